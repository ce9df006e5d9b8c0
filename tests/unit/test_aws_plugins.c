/*
 * test_aws_plugins.c: the native AWS plugins (checks/aws/) on real
 * recordings from ../shared/data/exports read through the adapters, and
 * on small inline documents for the edge cases: each has passing and
 * failing inputs, and a missing attribute is `error`, never pass.
 */
#include "tests/unit/testutil.h"

#include "checks/check.h"
#include "tests/unit/collect.h"

static void
read_input(struct coll *c, const char *rel)
{
	char path[1024];
	const struct adapter *ad;
	struct diag d;
	const char *s = test_shared_dir();

	memset(c, 0, sizeof(*c));
	c->a = arena_new();
	snprintf(path, sizeof(path), "%s/data/exports/%s", s, rel);
	diag_init(&d);
	ad = adapter_detect(&d, path);
	assert_non_null(ad);
	assert_int_equal(ad->read(&d, path, NULL, collect, c, NULL), 0);
	diag_free(&d);
}

static const struct resource *
find(const struct coll *c, const char *type, const char *id)
{
	const struct resource *r = coll_find(c, type, id);

	if (r == NULL)
		fail_msg("no resource %s %s", type, id ? id : "");
	return r;
}

/* The last result eval_at() built (its arena lives until the next). */
static struct check_result last;

/* The value recorded as evidence at path by the last evaluation. */
static const char *
last_ev(const char *path)
{
	size_t i;

	for (i = 0; i < last.nev; i++)
		if (strcmp(last.ev[i].path, path) == 0)
			return last.ev[i].value != NULL ? last.ev[i].value
							: "(absent)";
	return NULL;
}

/* Evaluate plugin p on r with parameters params (JSON) at time now. */
static enum status
eval_at(const char *plugin, const struct resource *r, const char *params,
    int64_t now, const char **msg)
{
	static struct test_plugin tp;
	enum status s;

	tp.now = now;
	s = test_eval(&tp, plugin, r, params);
	last = tp.last;
	if (msg != NULL)
		*msg = tp.msg;
	return s;
}

static enum status
eval(const char *plugin, const struct resource *r, const char *params)
{
	return eval_at(plugin, r, params, 1700000000, NULL);
}

#define NEED_SHARED() \
	do { \
		if (test_shared_dir() == NULL) \
			skip(); \
	} while (0)

#define PLACEBO "custodian-placebo/"

static void
test_plugins_sorted(void **state)
{
	size_t i;

	(void)state;
	assert_true(check_nplugins >= 3);
	for (i = 1; i < check_nplugins; i++)
		assert_true(strcmp(check_plugins[i - 1]->name,
				check_plugins[i]->name) < 0);
	for (i = 0; i < check_nplugins; i++) {
		assert_ptr_equal(check_plugin_find(check_plugins[i]->name),
		    check_plugins[i]);
		assert_non_null(check_plugins[i]->evaluate);
		assert_non_null(check_plugins[i]->resource_types[0]);
	}
	assert_null(check_plugin_find("nope"));
}

/* ------------------------------------------------- network exposure */

static void
test_sg_real(void **state)
{
	struct coll c;
	size_t i, fail22 = 0, failany = 0;

	(void)state;
	NEED_SHARED();
	read_input(&c, PLACEBO "test_only_ports_and_cidr_ingress");
	assert_int_equal(c.n, 19);
	for (i = 0; i < c.n; i++) {
		fail22 += eval("aws_network_exposure", &c.v[i],
			      "{\"ports\": [22]}") == ST_FAIL;
		failany += eval("aws_network_exposure", &c.v[i],
			       "{\"ports\": []}") == ST_FAIL;
	}
	assert_int_equal(fail22, 1);
	assert_int_equal(failany, 2);
	arena_free(c.a);

	read_input(&c,
	    "custodian-aws-config/cwe/"
	    "event-config-rule-security-group.json");
	assert_int_equal(
	    eval("aws_network_exposure", &c.v[0], "{\"ports\": [22, 3389]}"),
	    ST_FAIL);
	assert_int_equal(
	    eval("aws_network_exposure", &c.v[0], "{\"ports\": [3389]}"),
	    ST_PASS);
	arena_free(c.a);
}

static void
test_nacl(void **state)
{
	struct arena *a = arena_new();
	struct resource *r;
	const char *msg;

	(void)state;
	if (test_shared_dir() != NULL) {
		struct coll c;

		read_input(&c, PLACEBO "test_network_acl_s3_missing");
		assert_int_equal(
		    eval("aws_network_exposure", &c.v[0], "{\"ports\": [22]}"),
		    ST_FAIL);
		arena_free(c.a);
	}
	/* a lower-numbered deny of 22 wins over the allow-all */
	r = test_inline_res(a, "AWS::EC2::NetworkAcl", "inline",
	    "{\"Entries\": ["
	    "{\"RuleNumber\": 200, \"Protocol\": \"-1\", \"Egress\": false,"
	    " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\"},"
	    "{\"RuleNumber\": 100, \"Protocol\": \"6\", \"Egress\": false,"
	    " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"deny\","
	    " \"PortRange\": {\"From\": 0, \"To\": 1024}},"
	    "{\"RuleNumber\": 101, \"Protocol\": \"17\", \"Egress\": false,"
	    " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"deny\","
	    " \"PortRange\": {\"From\": 0, \"To\": 1024}},"
	    "{\"RuleNumber\": 90, \"Protocol\": \"-1\", \"Egress\": true,"
	    " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\"}]}");
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": [22]}"), ST_PASS);
	/* ...but not over ports above 1024 */
	assert_int_equal(
	    eval_at("aws_network_exposure", r, "{\"ports\": []}", 0, &msg),
	    ST_FAIL);
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": [3389]}"), ST_FAIL);
	/* missing attributes: error */
	r = test_inline_res(
	    a, "AWS::EC2::NetworkAcl", "inline", "{\"NetworkAclId\": \"x\"}");
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": [22]}"), ST_ERROR);
	r = test_inline_res(
	    a, "AWS::EC2::SecurityGroup", "inline", "{\"GroupId\": \"x\"}");
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": [22]}"), ST_ERROR);
	r = test_inline_res(a, "AWS::EC2::SecurityGroup", "inline",
	    "{\"IpPermissions\": [{\"IpProtocol\": \"tcp\","
	    " \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}]}");
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": [22]}"), ST_ERROR);
	/* ipv6 world, port range, protocol -1 */
	r = test_inline_res(a, "AWS::EC2::SecurityGroup", "inline",
	    "{\"IpPermissions\": [{\"IpProtocol\": \"tcp\", \"FromPort\": 3000,"
	    " \"ToPort\": 4000, \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]}]}");
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": [3389]}"), ST_FAIL);
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": [22]}"), ST_PASS);
	r = test_inline_res(a, "AWS::EC2::SecurityGroup", "inline",
	    "{\"IpPermissions\": [{\"IpProtocol\": \"-1\","
	    " \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}]}");
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": []}"), ST_PASS);
	/* an unreadable resource is an error */
	r->read_error = "AccessDenied";
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": []}"), ST_ERROR);
	arena_free(a);
}

/* ------------------------------------------------------ IAM policy */

static void
test_policy_real(void **state)
{
	struct coll c;
	const struct resource *r;
	const char *dir;
	char cmd[256];

	(void)state;
	NEED_SHARED();
	/* URL-encoded admin policy */
	read_input(&c, PLACEBO "test_iam_policy_allow_all");
	r = find(&c, "AWS::IAM::Policy", NULL);
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_FAIL);
	arena_free(c.a);
	/* a bucket policy with only Deny statements; no TLS deny */
	dir = "/tmp/rampart-plug-XXXXXX";
	snprintf(cmd, sizeof(cmd), "%s", dir);
	assert_non_null(mkdtemp(cmd));
	{
		char sh[8192];

		snprintf(sh, sizeof(sh),
		    "mkdir -p %s/s3api/get-bucket-policy && "
		    "cp %s/data/exports/" PLACEBO
		    "test_s3_encryption_audit/s3.ListBuckets_1.json "
		    "%s/s3api/list-buckets.json && "
		    "cp %s/data/exports/" PLACEBO
		    "test_s3_has_statement/s3.GetBucketPolicy_3.json "
		    "%s/s3api/get-bucket-policy/"
		    "c7n-aws-s3-encryption-audit-test-a.json",
		    cmd, test_shared_dir(), cmd, test_shared_dir(), cmd);
		assert_int_equal(system(sh), 0);
		memset(&c, 0, sizeof(c));
		c.a = arena_new();
		{
			struct diag d;

			diag_init(&d);
			assert_int_equal(adapter_find("aws-cli")->read(
					     &d, cmd, NULL, collect, &c, NULL),
			    0);
			diag_free(&d);
		}
		r = find(&c, "AWS::S3::Bucket",
		    "c7n-aws-s3-encryption-audit-test-a");
		assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_PASS);
		assert_int_equal(eval("aws_iam_policy", r,
				     "{\"require_secure_transport\": true}"),
		    ST_FAIL);
		/* bucket b: no policy file at all: error, never pass */
		r = find(&c, "AWS::S3::Bucket",
		    "c7n-aws-s3-encryption-audit-test-b");
		assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
		arena_free(c.a);
		snprintf(sh, sizeof(sh), "rm -rf %s", cmd);
		assert_int_equal(system(sh), 0);
	}
	/* Config: policyText null = no policy */
	read_input(&c, "custodian-aws-config/config/s3.json");
	assert_int_equal(eval("aws_iam_policy", &c.v[0], "{}"), ST_PASS);
	assert_int_equal(eval("aws_iam_policy", &c.v[0],
			     "{\"require_secure_transport\": true}"),
	    ST_FAIL);
	arena_free(c.a);
}

static void
test_policy_inline(void **state)
{
	struct arena *a = arena_new();
	struct resource *r;

	(void)state;
	/* public read, no condition */
	r = test_inline_res(a, "AWS::S3::Bucket", "inline",
	    "{\"Policy\": {\"Statement\": {\"Effect\": \"Allow\","
	    " \"Principal\": {\"AWS\": [\"arn:aws:iam::1:root\", \"*\"]},"
	    " \"Action\": \"s3:GetObject\", \"Resource\": "
	    "\"arn:aws:s3:::b/*\"}}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_FAIL);
	/* restricted to a VPC endpoint */
	r = test_inline_res(a, "AWS::S3::Bucket", "inline",
	    "{\"Policy\": \"{\\\"Statement\\\": [{\\\"Effect\\\": "
	    "\\\"Allow\\\","
	    " \\\"Principal\\\": \\\"*\\\", \\\"Action\\\": \\\"s3:*\\\","
	    " \\\"Resource\\\": \\\"*\\\", \\\"Condition\\\": "
	    "{\\\"StringEquals\\\":"
	    " {\\\"aws:SourceVpce\\\": \\\"vpce-1\\\"}}},"
	    " {\\\"Effect\\\": \\\"Deny\\\", \\\"Principal\\\": {\\\"AWS\\\": "
	    "\\\"*\\\"},"
	    " \\\"Action\\\": \\\"s3:*\\\", \\\"Resource\\\": "
	    "[\\\"arn:aws:s3:::inline\\\","
	    " \\\"arn:aws:s3:::inline/*\\\"], \\\"Condition\\\": {\\\"Bool\\\":"
	    " {\\\"aws:SecureTransport\\\": \\\"false\\\"}}}]}\"}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_PASS);
	assert_int_equal(
	    eval("aws_iam_policy", r, "{\"require_secure_transport\": true}"),
	    ST_PASS);
	/* a negated condition does not restrict */
	r = test_inline_res(a, "AWS::S3::Bucket", "inline",
	    "{\"Policy\": {\"Statement\": [{\"Effect\": \"Allow\","
	    " \"Principal\": \"*\", \"Action\": \"s3:GetObject\","
	    " \"Resource\": \"*\", \"Condition\": {\"StringNotEquals\":"
	    " {\"aws:SourceVpce\": \"vpce-1\"}}}]}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_FAIL);
	/* NotPrincipal with Allow is broad */
	r = test_inline_res(a, "AWS::S3::Bucket", "inline",
	    "{\"Policy\": {\"Statement\": [{\"Effect\": \"Allow\","
	    " \"NotPrincipal\": {\"AWS\": \"arn:aws:iam::1:root\"},"
	    " \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_FAIL);
	/* IAM: scoped policy passes, NotAction on * fails */
	r = test_inline_res(a, "AWS::IAM::Policy", "inline",
	    "{\"PolicyVersion\": {\"Document\": {\"Statement\": [{\"Effect\":"
	    " \"Allow\", \"Action\": [\"s3:GetObject\"], \"Resource\": "
	    "\"*\"}]}}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_PASS);
	r = test_inline_res(a, "AWS::IAM::Policy", "inline",
	    "{\"PolicyVersion\": {\"Document\": {\"Statement\": [{\"Effect\":"
	    " \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"}]}}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_FAIL);
	/* Config's PolicyVersionList, URL-encoded default version */
	r = test_inline_res(a, "AWS::IAM::Policy", "inline",
	    "{\"PolicyVersionList\": [{\"IsDefaultVersion\": false,"
	    " \"Document\": \"%7B%22Statement%22%3A%5B%5D%7D\"},"
	    " {\"IsDefaultVersion\": true, \"Document\": "
	    "\"%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action"
	    "%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%7D\"}]}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_FAIL);
	/* missing or malformed: error */
	r = test_inline_res(
	    a, "AWS::IAM::Policy", "inline", "{\"PolicyName\": \"x\"}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	r = test_inline_res(
	    a, "AWS::S3::Bucket", "inline", "{\"Policy\": \"{not json\"}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	r = test_inline_res(
	    a, "AWS::S3::Bucket", "inline", "{\"Policy\": {\"Version\": 1}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	arena_free(a);
}

/* ------------------------------------------------ credential report */

/* 2016-12-01T00:00:00Z */
#define DEC_2016 1480550400

static void
test_credential_report(void **state)
{
	struct coll c;
	const struct resource *rep, *u;
	const char *msg;

	(void)state;
	NEED_SHARED();
	read_input(&c, PLACEBO "test_account_credential_report");
	rep = find(&c, "AWS::IAM::CredentialReport", NULL);
	assert_int_equal(
	    eval("aws_credential_report", rep, "{\"check\": \"root_mfa\"}"),
	    ST_PASS);
	assert_int_equal(eval("aws_credential_report", rep,
			     "{\"check\": \"root_access_keys\"}"),
	    ST_PASS);
	assert_int_equal(
	    eval("aws_credential_report", rep, "{\"check\": \"console_mfa\"}"),
	    ST_FAIL);
	u = find(&c, "AWS::IAM::User", "andrew");
	assert_int_equal(
	    eval("aws_credential_report", u, "{\"check\": \"console_mfa\"}"),
	    ST_FAIL);
	u = find(&c, "AWS::IAM::User", "anthony");
	assert_int_equal(
	    eval("aws_credential_report", u, "{\"check\": \"console_mfa\"}"),
	    ST_PASS);
	/* andrew: key 1 rotated 2016-10-11, key 2 on 2016-08-30 */
	u = find(&c, "AWS::IAM::User", "andrew");
	assert_int_equal(eval_at("aws_credential_report", u,
			     "{\"check\": \"key_rotation\", "
			     "\"max_key_age_days\": 120}",
			     DEC_2016, NULL),
	    ST_PASS);
	assert_int_equal(eval_at("aws_credential_report", u,
			     "{\"check\": \"key_rotation\", "
			     "\"max_key_age_days\": 90}",
			     DEC_2016, &msg),
	    ST_FAIL);
	/* key 1 never used: counted from its creation (2016-10-11) */
	assert_int_equal(eval_at("aws_credential_report", u,
			     "{\"check\": \"unused_credentials\", "
			     "\"max_unused_days\": 45}",
			     DEC_2016, NULL),
	    ST_FAIL);
	assert_int_equal(eval_at("aws_credential_report", u,
			     "{\"check\": \"unused_credentials\", "
			     "\"max_unused_days\": 60}",
			     DEC_2016, NULL),
	    ST_PASS);
	/* root checks on a user: not applicable */
	assert_int_equal(
	    eval("aws_credential_report", u, "{\"check\": \"root_mfa\"}"),
	    ST_NOT_APPLICABLE);
	arena_free(c.a);

	/* root with an active access key and no MFA */
	read_input(&c, PLACEBO "test_iam_user_unused_keys");
	rep = find(&c, "AWS::IAM::CredentialReport", NULL);
	assert_int_equal(eval("aws_credential_report", rep,
			     "{\"check\": \"root_access_keys\"}"),
	    ST_FAIL);
	assert_int_equal(
	    eval("aws_credential_report", rep, "{\"check\": \"root_mfa\"}"),
	    ST_FAIL);
	/* kaleb: password never used ("no_information"): never a pass */
	u = find(&c, "AWS::IAM::User", "kaleb");
	assert_int_equal(eval("aws_credential_report", u,
			     "{\"check\": \"unused_credentials\"}"),
	    ST_FAIL);
	arena_free(c.a);
}

static void
test_credential_report_errors(void **state)
{
	struct arena *a = arena_new();
	struct resource *r;

	(void)state;
	r = test_inline_res(a, "AWS::IAM::CredentialReport", "inline", "{}");
	assert_int_equal(
	    eval("aws_credential_report", r, "{\"check\": \"root_mfa\"}"),
	    ST_ERROR);
	r = test_inline_res(a, "AWS::IAM::CredentialReport", "inline",
	    "{\"Users\": [{\"user\": \"bob\", \"password_enabled\": \"true\","
	    " \"mfa_active\": \"true\"}]}");
	/* no root row */
	assert_int_equal(
	    eval("aws_credential_report", r, "{\"check\": \"root_mfa\"}"),
	    ST_ERROR);
	/* ... is a truncated report for every check, not a pass */
	assert_int_equal(
	    eval("aws_credential_report", r, "{\"check\": \"console_mfa\"}"),
	    ST_ERROR);
	/* bad parameter */
	assert_int_equal(
	    eval("aws_credential_report", r, "{\"check\": \"everything\"}"),
	    ST_ERROR);
	/* an active key whose dates are all unknown: error */
	r = test_inline_res(a, "AWS::IAM::User", "inline",
	    "{\"CredentialReport\": {\"user\": \"x\", \"password_enabled\":"
	    " \"false\", \"access_key_1_active\": \"true\","
	    " \"access_key_1_last_rotated\": \"N/A\","
	    " \"access_key_1_last_used_date\": \"N/A\","
	    " \"access_key_2_active\": \"false\"}}");
	assert_int_equal(
	    eval("aws_credential_report", r, "{\"check\": \"key_rotation\"}"),
	    ST_ERROR);
	assert_int_equal(eval("aws_credential_report", r,
			     "{\"check\": \"unused_credentials\"}"),
	    ST_ERROR);
	r = test_inline_res(
	    a, "AWS::IAM::User", "inline", "{\"UserName\": \"x\"}");
	assert_int_equal(
	    eval("aws_credential_report", r, "{\"check\": \"console_mfa\"}"),
	    ST_ERROR);
	arena_free(a);
}

/*
 * A pass shows what it was decided on: the rules, entries, statements
 * or report columns read, capped for long lists.
 */
static void
test_evidence_on_pass(void **state)
{
	struct arena *a = arena_new();
	struct resource *r;
	char json[8192];
	size_t i, o;

	(void)state;
	/* security group: the permissions read */
	r = test_inline_res(a, "AWS::EC2::SecurityGroup", "inline",
	    "{\"IpPermissions\": [{\"IpProtocol\": \"tcp\", \"FromPort\": 443,"
	    " \"ToPort\": 443, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}]}");
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": [22]}"), ST_PASS);
	assert_non_null(last_ev("IpPermissions"));
	assert_non_null(strstr(last_ev("IpPermissions"), "443"));
	r = test_inline_res(
	    a, "AWS::EC2::SecurityGroup", "inline", "{\"IpPermissions\": []}");
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": []}"), ST_PASS);
	assert_string_equal(last_ev("IpPermissions"), "[]");
	/* a long list: the rules open to the world, capped */
	o = (size_t)snprintf(json, sizeof(json), "{\"IpPermissions\": [");
	for (i = 0; i < 40; i++)
		o += (size_t)snprintf(json + o, sizeof(json) - o,
		    "%s{\"IpProtocol\": \"tcp\", \"FromPort\": %zu, "
		    "\"ToPort\": "
		    "%zu, \"IpRanges\": [{\"CidrIp\": \"%s\"}]}",
		    i ? ", " : "", 1000 + i, 1000 + i,
		    i == 7 || i >= 20 ? "0.0.0.0/0" : "10.0.0.0/8");
	snprintf(json + o, sizeof(json) - o, "]}");
	r = test_inline_res(a, "AWS::EC2::SecurityGroup", "inline", json);
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": [22]}"), ST_PASS);
	assert_null(last_ev("IpPermissions"));
	assert_non_null(last_ev("IpPermissions[7]"));
	assert_null(last_ev("IpPermissions[6]"));
	assert_true(last.nev > 0 && last.nev <= 16);
	/* network ACL: the entries read */
	r = test_inline_res(a, "AWS::EC2::NetworkAcl", "inline",
	    "{\"Entries\": [{\"RuleNumber\": 100, \"Protocol\": \"6\","
	    " \"Egress\": false, \"CidrBlock\": \"0.0.0.0/0\","
	    " \"RuleAction\": \"allow\", \"PortRange\": {\"From\": 443,"
	    " \"To\": 443}}]}");
	assert_int_equal(
	    eval("aws_network_exposure", r, "{\"ports\": [22]}"), ST_PASS);
	assert_non_null(last_ev("Entries"));
	/* policies: the statements read */
	r = test_inline_res(a, "AWS::IAM::Policy", "inline",
	    "{\"PolicyVersion\": {\"Document\": {\"Statement\": [{\"Effect\":"
	    " \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": "
	    "\"*\"}]}}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_PASS);
	assert_non_null(last_ev("PolicyVersion.Document.Statement"));
	assert_non_null(strstr(
	    last_ev("PolicyVersion.Document.Statement"), "s3:GetObject"));
	r = test_inline_res(a, "AWS::S3::Bucket", "inline",
	    "{\"Policy\": {\"Statement\": {\"Effect\": \"Deny\", \"Principal\":"
	    " \"*\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\":"
	    " {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}}}");
	assert_int_equal(
	    eval("aws_iam_policy", r, "{\"require_secure_transport\": true}"),
	    ST_PASS);
	assert_non_null(last_ev("Policy.Statement"));
	/* a long policy: the Allow statements judged and the TLS Deny */
	o = (size_t)snprintf(
	    json, sizeof(json), "{\"Policy\": {\"Statement\": [");
	for (i = 0; i < 30; i++)
		o += (size_t)snprintf(json + o, sizeof(json) - o,
		    "%s{\"Effect\": \"%s\", \"Principal\": {\"AWS\": "
		    "\"arn:aws:iam::1:root\"}, \"Action\": \"s3:GetObject\", "
		    "\"Resource\": \"*\"}",
		    i ? ", " : "", i % 2 ? "Allow" : "Deny");
	snprintf(json + o, sizeof(json) - o,
	    ", {\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": "
	    "\"s3:*\", \"Resource\": \"*\", \"Condition\": {\"Bool\": "
	    "{\"aws:SecureTransport\": false}}}]}}");
	r = test_inline_res(a, "AWS::S3::Bucket", "inline", json);
	assert_int_equal(
	    eval("aws_iam_policy", r, "{\"require_secure_transport\": true}"),
	    ST_PASS);
	assert_null(last_ev("Policy.Statement"));
	assert_non_null(last_ev("Policy.Statement[30]"));
	assert_non_null(last_ev("Policy.Statement[1]"));
	assert_null(last_ev("Policy.Statement[0]"));
	assert_true(last.nev <= 16);
	/* credential report: the columns of a row it skips */
	r = test_inline_res(a, "AWS::IAM::User", "inline",
	    "{\"CredentialReport\": {\"user\": \"x\", \"password_enabled\":"
	    " \"false\", \"mfa_active\": \"false\"}}");
	assert_int_equal(
	    eval("aws_credential_report", r, "{\"check\": \"console_mfa\"}"),
	    ST_PASS);
	assert_string_equal(
	    last_ev("CredentialReport.password_enabled"), "\"false\"");
	arena_free(a);
}

/* A report of many users: capped evidence, offending rows always kept. */
static void
test_credential_report_evidence_cap(void **state)
{
	struct arena *a = arena_new();
	struct resource *r;
	char json[16384];
	size_t i, o;
	int bad;

	(void)state;
	for (bad = 0; bad <= 1; bad++) {
		o = (size_t)snprintf(json, sizeof(json), "{\"Users\": [");
		for (i = 0; i < 60; i++)
			o += (size_t)snprintf(json + o, sizeof(json) - o,
			    "%s{\"user\": \"u%zu\", \"password_enabled\": "
			    "\"true\", \"mfa_active\": \"%s\"}",
			    i ? ", " : "", i,
			    bad && i == 59 ? "false" : "true");
		/* the root row every real report has */
		snprintf(json + o, sizeof(json) - o,
		    ", {\"user\": \"<root_account>\", \"password_enabled\": "
		    "\"not_supported\", \"mfa_active\": \"true\"}]}");
		r = test_inline_res(
		    a, "AWS::IAM::CredentialReport", "inline", json);
		assert_int_equal(eval("aws_credential_report", r,
				     "{\"check\": \"console_mfa\"}"),
		    bad ? ST_FAIL : ST_PASS);
		assert_non_null(last_ev("Users[0].password_enabled"));
		assert_non_null(last_ev("Users[0].mfa_active"));
		assert_true(last.nev <= 25 + 2);
		if (bad)
			assert_string_equal(
			    last_ev("Users[59].mfa_active"), "\"false\"");
		else
			assert_null(last_ev("Users[59].mfa_active"));
	}
	arena_free(a);
}

/*
 * A column missing from a row is a malformed report: `error`, not the
 * report's "never used" marker, which ages the credential from its
 * creation instead.
 */
#define NO_KEYS \
	"\"access_key_1_active\": \"false\", \"access_key_2_active\": " \
	"\"false\""

static void
test_credential_report_missing_columns(void **state)
{
	static const struct {
		const char *row;
		enum status st;
		const char *column; /* named in the message */
	} cases[] = {
		/* password: never used (a marker) vs no column */
		{ "\"password_enabled\": \"true\", \"password_last_used\": "
		  "\"no_information\", \"password_last_changed\": "
		  "\"2016-11-20T00:00:00+00:00\", " NO_KEYS,
		    ST_PASS, NULL },
		{ "\"password_enabled\": \"true\", \"password_last_changed\": "
		  "\"2016-11-20T00:00:00+00:00\", " NO_KEYS,
		    ST_ERROR, "password_last_used" },
		{ "\"password_enabled\": \"true\", \"password_last_used\": "
		  "\"yesterday\", \"password_last_changed\": "
		  "\"2016-11-20T00:00:00+00:00\", " NO_KEYS,
		    ST_ERROR, "password_last_used" },
		/* access key 1: never used vs no column */
		{ "\"password_enabled\": \"false\", \"access_key_1_active\": "
		  "\"true\", \"access_key_1_last_rotated\": "
		  "\"2016-11-20T00:00:00+00:00\", "
		  "\"access_key_1_last_used_date\": \"N/A\", "
		  "\"access_key_2_active\": \"false\"",
		    ST_PASS, NULL },
		{ "\"password_enabled\": \"false\", \"access_key_1_active\": "
		  "\"true\", \"access_key_1_last_rotated\": "
		  "\"2016-11-20T00:00:00+00:00\", "
		  "\"access_key_2_active\": \"false\"",
		    ST_ERROR, "access_key_1_last_used_date" },
		/* access key 2, on a row cut short after its rotation date */
		{ "\"password_enabled\": \"false\", \"access_key_1_active\": "
		  "\"false\", \"access_key_2_active\": \"true\", "
		  "\"access_key_2_last_rotated\": "
		  "\"2016-11-20T00:00:00+00:00\"",
		    ST_ERROR, "access_key_2_last_used_date" },
		/* a row without access key columns at all */
		{ "\"password_enabled\": \"false\"", ST_ERROR,
		    "access_key_1_active" },
	};
	struct arena *a = arena_new();
	struct resource *r;
	const char *msg;
	char json[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(json, sizeof(json),
		    "{\"CredentialReport\": {\"user\": \"u\", %s}}",
		    cases[i].row);
		r = test_inline_res(a, "AWS::IAM::User", "inline", json);
		if (eval_at("aws_credential_report", r,
			"{\"check\": \"unused_credentials\"}", DEC_2016,
			&msg) != cases[i].st)
			fail_msg("case %zu: %s", i, msg);
		if (cases[i].column != NULL) {
			assert_non_null(strstr(msg, cases[i].column));
			assert_non_null(last_ev(arena_printf(
			    a, "CredentialReport.%s", cases[i].column)));
		}
	}
	/* key rotation reads no last-use column */
	r = test_inline_res(a, "AWS::IAM::User", "inline",
	    "{\"CredentialReport\": {\"user\": \"u\", \"access_key_1_active\":"
	    " \"true\", \"access_key_1_last_rotated\": "
	    "\"2016-11-20T00:00:00+00:00\", \"access_key_2_active\": "
	    "\"false\"}}");
	assert_int_equal(eval_at("aws_credential_report", r,
			     "{\"check\": \"key_rotation\"}", DEC_2016, NULL),
	    ST_PASS);
	arena_free(a);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plugins_sorted),
		cmocka_unit_test(test_sg_real),
		cmocka_unit_test(test_nacl),
		cmocka_unit_test(test_policy_real),
		cmocka_unit_test(test_policy_inline),
		cmocka_unit_test(test_credential_report),
		cmocka_unit_test(test_credential_report_errors),
		cmocka_unit_test(test_evidence_on_pass),
		cmocka_unit_test(test_credential_report_evidence_cap),
		cmocka_unit_test(test_credential_report_missing_columns),
	};

	RUN_TESTS("aws_plugins", tests, argc, argv);
}
