/*
 * test_aws_policy.c: policy documents evaluated as AWS evaluates them
 * (aws_iam_policy) and bucket ACLs (aws_s3_acl).  Each class has its
 * compliant policy passing and generated variants that must never pass:
 * TLS-only Deny mutations, public Allow conditions that restrict nothing,
 * administrator Action x Resource x Condition forms, policy versions,
 * string documents, ACL shapes.  The base documents are the real ones of
 * examples/aws-export (custodian placebo recordings), as the comments say.
 */
#include "tests/unit/testutil.h"

#include "checks/check.h"
#include "tests/unit/collect.h"

#define BUCKET "c7n-aws-s3-encryption-audit-test-a"
#define EXAMPLES "examples/aws-export"

static struct test_plugin tp = { .now = 1700000000 };

/* Evaluate plugin on r with params (JSON); the status, message kept. */
static enum status
eval(const char *plugin, const struct resource *r, const char *params)
{
	return test_eval(&tp, plugin, r, params);
}

#define TLS "{\"require_secure_transport\": true}"
#define ACL_DEFAULTS \
	"{\"public_groups\": [" \
	"\"http://acs.amazonaws.com/groups/global/AllUsers\"," \
	"\"http://acs.amazonaws.com/groups/global/AuthenticatedUsers\"]}"

/* A bucket whose policy holds the given statements (JSON list items). */
static struct resource *
bucket(struct arena *a, const char *stmts)
{
	char *j = arena_printf(a,
	    "{\"Name\": \"" BUCKET "\", \"Policy\": {\"Version\": "
	    "\"2012-10-17\", \"Statement\": [%s]}}",
	    stmts);

	return test_inline_res(a, "AWS::S3::Bucket", BUCKET, j);
}

/* An IAM policy whose default version holds the given statements. */
static struct resource *
iam_policy(struct arena *a, const char *stmts)
{
	char *j = arena_printf(a,
	    "{\"PolicyName\": \"p\", \"DefaultVersionId\": \"v1\", "
	    "\"PolicyVersion\": {\"VersionId\": \"v1\", \"IsDefaultVersion\": "
	    "true, \"Document\": {\"Version\": \"2012-10-17\", \"Statement\": "
	    "[%s]}}}",
	    stmts);

	return test_inline_res(a, "AWS::IAM::Policy", BUCKET, j);
}

/* ------------------------------------------------------ TLS-only Deny */

/*
 * The two Deny statements of the real placebo policy (test_s3_has_
 * statement/s3.GetBucketPolicy_3.json, examples/aws-export), which
 * concern encryption, not transport: kept in every variant.
 */
#define REAL_DENIES \
	"{\"Sid\":\"Zebra\",\"Effect\":\"Deny\",\"Principal\":\"*\"," \
	"\"Action\":\"s3:PutObject\",\"Resource\":" \
	"\"arn:aws:s3:::custodian-policy-test/*\",\"Condition\":" \
	"{\"StringNotEquals\":{\"s3:x-amz-server-side-encryption\":" \
	"[\"AES256\",\"aws:kms\"]}}}," \
	"{\"Sid\":\"Zebra\",\"Effect\":\"Deny\",\"Principal\":" \
	"\"arn:aws:iam::644160558196:root\",\"Action\":\"s3:PutObject\"," \
	"\"Resource\":\"arn:aws:s3:::custodian-policy-test/*\"}"

#define ARN_B "\"arn:aws:s3:::" BUCKET "\""
#define ARN_O "\"arn:aws:s3:::" BUCKET "/*\""

static const char *const tls_principals[] = { "\"*\"", "{\"AWS\": \"*\"}",
	"{\"AWS\": [\"arn:aws:iam::644160558196:root\", \"*\"]}", NULL };
static const char *const tls_actions[] = { "\"s3:*\"", "\"*\"",
	"[\"s3:GetObject\", \"s3:*\"]", "\"S3:*\"", "\"*:*\"", "\"s3:**\"",
	"\"s3*\"", NULL };
static const char *const tls_resources[] = { "[" ARN_B ", " ARN_O "]", "\"*\"",
	"\"arn:aws:s3:::*\"", "\"arn:aws:s3:::" BUCKET "*\"",
	"[" ARN_O ", \"arn:aws:s3:::other\", " ARN_B "]",
	"[\"arn:aws-us-gov:s3:::" BUCKET "\", \"arn:aws-us-gov:s3:::" BUCKET
	"/*\"]",
	"[\"arn:*:s3:::" BUCKET "\", \"arn:aws:s3:::" BUCKET "/?*\"]", NULL };
static const char *const tls_conditions[] = {
	"{\"Bool\": {\"aws:SecureTransport\": \"false\"}}",
	"{\"Bool\": {\"aws:SecureTransport\": false}}",
	"{\"BoolIfExists\": {\"aws:SecureTransport\": \"false\"}}",
	"{\"Bool\": {\"AWS:SECURETRANSPORT\": [\"false\"]}}",
	"{\"BoolIfExists\": {\"aws:securetransport\": [false]}}", NULL
};

static char *
tls_stmt(struct arena *a, const char *principal, const char *action,
    const char *res_key, const char *resource, const char *cond)
{
	return arena_printf(a,
	    REAL_DENIES ", {\"Sid\": \"DenyInsecureTransport\", \"Effect\": "
			"\"Deny\", \"Principal\": %s, \"Action\": %s, \"%s\": "
			"%s, \"Condition\": %s}",
	    principal, action, res_key, resource, cond);
}

static void
test_tls_compliant(void **state)
{
	struct arena *a = arena_new();
	size_t p, ac, r, c, n = 0;

	(void)state;
	for (p = 0; tls_principals[p] != NULL; p++)
		for (ac = 0; tls_actions[ac] != NULL; ac++)
			for (r = 0; tls_resources[r] != NULL; r++)
				for (c = 0; tls_conditions[c] != NULL; c++) {
					struct resource *b = bucket(a,
					    tls_stmt(a, tls_principals[p],
						tls_actions[ac], "Resource",
						tls_resources[r],
						tls_conditions[c]));

					if (eval("aws_iam_policy", b, TLS) !=
					    ST_PASS)
						fail_msg("%s %s %s %s: %s",
						    tls_principals[p],
						    tls_actions[ac],
						    tls_resources[r],
						    tls_conditions[c], tp.msg);
					n++;
				}
	assert_true(n > 500);
	arena_free(a);
}

/* One mutation of a compliant TLS Deny: which field becomes what. */
struct tls_mut {
	const char *name, *principal, *action, *res_key, *resource, *cond;
};

static const struct tls_mut tls_muts[] = {
	{ "object ARN dropped", NULL, NULL, NULL, "[" ARN_B "]", NULL },
	{ "bucket ARN dropped", NULL, NULL, NULL, "[" ARN_O "]", NULL },
	{ "NotResource", NULL, NULL, "NotResource", NULL, NULL },
	{ "NotResource other", NULL, NULL, "NotResource",
	    "\"arn:aws:s3:::other\"", NULL },
	{ "other bucket", NULL, NULL, NULL,
	    "[\"arn:aws:s3:::custodian-policy-test\", "
	    "\"arn:aws:s3:::custodian-policy-test/*\"]",
	    NULL },
	{ "bucket prefix only", NULL, NULL, NULL,
	    "[\"arn:aws:s3:::c7n-aws-s3-encryption-audit-test-a-logs\", "
	    "\"arn:aws:s3:::c7n-aws-s3-encryption-audit-test-a-logs/*\"]",
	    NULL },
	{ "objects under a prefix", NULL, NULL, NULL,
	    "[" ARN_B ", \"arn:aws:s3:::" BUCKET "/private/*\"]", NULL },
	{ "other partition service", NULL, NULL, NULL,
	    "[\"arn:aws:s3-object-lambda:::" BUCKET "\", " ARN_O "]", NULL },
	{ "narrowing vpce", NULL, NULL, NULL, NULL,
	    "{\"Bool\": {\"aws:SecureTransport\": \"false\"}, "
	    "\"StringNotEquals\": {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}}" },
	{ "narrowing same operator", NULL, NULL, NULL, NULL,
	    "{\"Bool\": {\"aws:SecureTransport\": \"false\", "
	    "\"aws:ViaAWSService\": \"false\"}}" },
	{ "narrowing tls version", NULL, NULL, NULL, NULL,
	    "{\"Bool\": {\"aws:SecureTransport\": \"false\"}, "
	    "\"NumericLessThan\": {\"s3:TlsVersion\": \"1.2\"}}" },
	{ "tls version alone", NULL, NULL, NULL, NULL,
	    "{\"NumericLessThan\": {\"s3:TlsVersion\": \"1.2\"}}" },
	{ "true", NULL, NULL, NULL, NULL,
	    "{\"Bool\": {\"aws:SecureTransport\": \"true\"}}" },
	{ "False spelled otherwise", NULL, NULL, NULL, NULL,
	    "{\"Bool\": {\"aws:SecureTransport\": \"no\"}}" },
	{ "operator lowercase", NULL, NULL, NULL, NULL,
	    "{\"bool\": {\"aws:SecureTransport\": \"false\"}}" },
	{ "other key", NULL, NULL, NULL, NULL,
	    "{\"Bool\": {\"aws:SecureTransportX\": \"false\"}}" },
	{ "no condition", NULL, NULL, NULL, NULL, "{}" },
	{ "NotPrincipal", "NP", NULL, NULL, NULL, NULL },
	{ "one account", "{\"AWS\": \"arn:aws:iam::644160558196:root\"}", NULL,
	    NULL, NULL, NULL },
	{ "one action", NULL, "\"s3:GetObject\"", NULL, NULL, NULL },
	{ "Get only", NULL, "\"s3:Get*\"", NULL, NULL, NULL },
	{ "other service", NULL, "\"s3-object-lambda:*\"", NULL, NULL, NULL },
	{ "NotAction", NULL, "NA", NULL, NULL, NULL },
};

static void
test_tls_mutations(void **state)
{
	struct arena *a = arena_new();
	const struct tls_mut *m;
	const char *pr, *ac, *rk, *rs, *co, *st;
	size_t i, p, c, n = 0;

	(void)state;
	for (i = 0; i < sizeof(tls_muts) / sizeof(tls_muts[0]); i++) {
		m = &tls_muts[i];
		for (p = 0; tls_principals[p] != NULL; p++)
			for (c = 0; tls_conditions[c] != NULL; c++) {
				pr = m->principal ? m->principal
						  : tls_principals[p];
				ac = m->action ? m->action : "\"s3:*\"";
				rk = m->res_key ? m->res_key : "Resource";
				rs = m->resource ? m->resource
						 : "[" ARN_B ", " ARN_O "]";
				co = m->cond ? m->cond : tls_conditions[c];
				/* NotPrincipal / NotAction replace the key. */
				if (strcmp(pr, "NP") == 0)
					st = arena_printf(a,
					    REAL_DENIES
					    ", {\"Effect\": "
					    "\"Deny\", "
					    "\"NotPrincipal\": "
					    "{\"AWS\": "
					    "\"arn:aws:iam::1:"
					    "root\"}, \"Action\": "
					    "\"s3:*\", \"Resource\": "
					    "%s, \"Condition\": %s}",
					    rs, co);
				else if (strcmp(ac, "NA") == 0)
					st = arena_printf(a,
					    REAL_DENIES
					    ", {\"Effect\": "
					    "\"Deny\", \"Principal\": "
					    "%s, \"NotAction\": "
					    "\"s3:GetObject\", "
					    "\"Resource\": %s, "
					    "\"Condition\": %s}",
					    pr, rs, co);
				else
					st = tls_stmt(a, pr, ac, rk, rs, co);
				if (eval("aws_iam_policy", bucket(a, st),
					TLS) == ST_PASS)
					fail_msg("mutation '%s' passed: %s",
					    m->name, st);
				n++;
			}
	}
	assert_true(n > 300);
	/* a near miss names what is missing */
	assert_int_equal(eval("aws_iam_policy",
			     bucket(a,
				 tls_stmt(a, "\"*\"", "\"s3:*\"", "Resource",
				     "[" ARN_B "]", tls_conditions[0])),
			     TLS),
	    ST_FAIL);
	assert_non_null(strstr(tp.msg, "arn:aws:s3:::" BUCKET "/*"));
	assert_int_equal(
	    eval("aws_iam_policy",
		bucket(a,
		    tls_stmt(a, "\"*\"", "\"s3:*\"", "Resource",
			"[" ARN_B ", " ARN_O "]", tls_muts[8].cond)),
		TLS),
	    ST_FAIL);
	assert_non_null(strstr(tp.msg, "aws:SourceVpce"));
	/* bucket and objects may be covered by two statements ... */
	st = arena_printf(a, "%s, %s",
	    tls_stmt(
		a, "\"*\"", "\"s3:*\"", "Resource", ARN_B, tls_conditions[0]),
	    tls_stmt(
		a, "\"*\"", "\"s3:*\"", "Resource", ARN_O, tls_conditions[2]));
	assert_int_equal(eval("aws_iam_policy", bucket(a, st), TLS), ST_PASS);
	/* ... but each must count: one narrowed leaves the objects open */
	st = arena_printf(a, "%s, %s",
	    tls_stmt(
		a, "\"*\"", "\"s3:*\"", "Resource", ARN_B, tls_conditions[0]),
	    tls_stmt(
		a, "\"*\"", "\"s3:*\"", "Resource", ARN_O, tls_muts[8].cond));
	assert_int_equal(eval("aws_iam_policy", bucket(a, st), TLS), ST_FAIL);
	st = arena_printf(a, "%s, %s",
	    tls_stmt(
		a, "\"*\"", "\"s3:*\"", "Resource", ARN_B, tls_conditions[0]),
	    tls_stmt(a, "\"*\"", "\"s3:GetObject\"", "Resource", ARN_O,
		tls_conditions[0]));
	assert_int_equal(eval("aws_iam_policy", bucket(a, st), TLS), ST_FAIL);
	arena_free(a);
}

/* The real example export: its TLS Deny names another bucket. */
static void
test_tls_real_example(void **state)
{
	struct coll c;
	struct diag d;
	const struct resource *r;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.a = arena_new();
	diag_init(&d);
	assert_int_equal(adapter_find("aws-cli")->read(
			     &d, EXAMPLES, NULL, collect, &c, NULL),
	    0);
	diag_free(&d);
	r = coll_find(&c, "AWS::S3::Bucket", BUCKET);
	assert_non_null(r);
	assert_int_equal(eval("aws_iam_policy", r, TLS), ST_FAIL);
	assert_non_null(strstr(tp.msg, "does not cover"));
	/* without the TLS requirement it allows nothing to everyone */
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_PASS);
	/* its ACL: canonical owner only (a); AllUsers WRITE (b) */
	assert_int_equal(eval("aws_s3_acl", r, ACL_DEFAULTS), ST_PASS);
	r = coll_find(
	    &c, "AWS::S3::Bucket", "c7n-aws-s3-encryption-audit-test-b");
	assert_non_null(r);
	assert_int_equal(eval("aws_s3_acl", r, ACL_DEFAULTS), ST_FAIL);
	assert_non_null(strstr(tp.msg, "AllUsers"));
	/* the real admin policy (URL-encoded Action "*" Resource "*") */
	r = coll_find(&c, "AWS::IAM::Policy", NULL);
	assert_non_null(r);
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_FAIL);
	assert_non_null(strstr(tp.msg, "administrator"));
	arena_free(c.a);
}

/* -------------------------------------------------------- public Allow */

static const char *const everyone[] = { "\"Principal\": \"*\"",
	"\"Principal\": {\"AWS\": \"*\"}",
	"\"Principal\": {\"AWS\": [\"arn:aws:iam::644160558196:root\", "
	"\"*\"]}",
	"\"NotPrincipal\": {\"AWS\": \"arn:aws:iam::644160558196:root\"}",
	NULL };

/* Conditions that restrict nothing (or nothing we can vouch for). */
static const char *const open_conditions[] = {
	NULL, /* no Condition */
	"{}",
	"null",
	"{\"ForAllValues:StringEquals\": {\"aws:SourceVpce\": \"vpce-1\"}}",
	"{\"ForAllValues:StringLike\": {\"aws:PrincipalOrgID\": \"o-abc\"}}",
	"{\"StringLike\": {\"aws:SourceVpce\": \"*\"}}",
	"{\"StringLike\": {\"aws:SourceVpce\": \"?*\"}}",
	"{\"StringLike\": {\"aws:SourceVpce\": [\"vpce-1\", \"*\"]}}",
	"{\"StringLike\": {\"aws:SourceVpce\": \"vpce-*\"}}",
	"{\"StringLike\": {\"aws:PrincipalOrgID\": \"o-*\"}}",
	"{\"StringLike\": {\"aws:SourceAccount\": \"*?\"}}",
	"{\"StringLike\": {\"aws:userid\": \"AIDA*\"}}",
	"{\"ArnLike\": {\"aws:SourceArn\": \"*\"}}",
	"{\"ArnLike\": {\"aws:SourceArn\": \"arn:*\"}}",
	"{\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/x\"}}",
	"{\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::?*:root\"}}",
	"{\"StringEquals\": {\"aws:SourceVpce\": \"*\"}}",
	"{\"StringEquals\": {\"aws:SourceVpce\": []}}",
	"{\"IpAddress\": {\"aws:SourceIp\": \"0.0.0.0/0\"}}",
	"{\"IpAddress\": {\"aws:SourceIp\": \"0.0.0.0/00\"}}",
	"{\"IpAddress\": {\"aws:SourceIp\": \"::/0\"}}",
	"{\"IpAddress\": {\"aws:SourceIp\": \"::0/0\"}}",
	"{\"IpAddress\": {\"aws:SourceIp\": [\"0.0.0.0/1\", "
	"\"128.0.0.0/1\"]}}",
	"{\"IpAddress\": {\"aws:SourceIp\": [\"192.0.2.0/24\", \"::/1\", "
	"\"8000::/1\"]}}",
	"{\"IpAddress\": {\"aws:SourceIp\": [\"128.0.0.0/2\", \"0.0.0.0/1\", "
	"\"192.0.0.0/2\"]}}",
	"{\"IpAddress\": {\"aws:SourceIp\": [\"10.1.2.3/0\"]}}",
	"{\"IpAddress\": {\"aws:SourceIp\": \"not-an-address\"}}",
	"{\"IpAddressIfExists\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}",
	"{\"StringEqualsIfExists\": {\"aws:SourceVpce\": \"vpce-1\"}}",
	"{\"StringNotEquals\": {\"aws:SourceVpce\": \"vpce-1\"}}",
	"{\"StringNotLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::1:*\"}}",
	"{\"ArnNotEquals\": {\"aws:SourceArn\": "
	"\"arn:aws:sns:us-east-1:1:t\"}}",
	"{\"NotIpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}",
	"{\"Null\": {\"aws:SourceVpce\": \"false\"}}",
	"{\"stringequals\": {\"aws:SourceVpce\": \"vpce-1\"}}",
	"{\"StringEquals\": {\"aws:Referer\": \"https://example.com\"}}",
	"{\"StringEquals\": {\"s3:x-amz-acl\": \"bucket-owner-full-control\"}}",
	"{\"StringEquals\": {\"aws:SourceIp\": \"10.0.0.1\"}}",
	"{\"Bool\": {\"aws:SecureTransport\": \"true\"}}",
};

/* Conditions that do restrict. */
static const char *const closed_conditions[] = {
	"{\"StringEquals\": {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}}",
	"{\"StringEquals\": {\"AWS:SOURCEVPCE\": [\"vpce-1\", \"vpce-2\"]}}",
	"{\"ForAnyValue:StringEquals\": {\"aws:PrincipalOrgID\": \"o-abc\"}}",
	"{\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-abc\"}}",
	"{\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}",
	"{\"IpAddress\": {\"aws:SourceIp\": [\"0.0.0.0/1\", \"::/1\"]}}",
	"{\"IpAddress\": {\"aws:SourceIp\": [\"0.0.0.0/1\", "
	"\"128.0.0.0/2\", \"192.0.0.0/3\"]}}",
	"{\"ArnLike\": {\"aws:PrincipalArn\": "
	"\"arn:aws:iam::644160558196:role/*\"}}",
	"{\"StringLike\": {\"aws:SourceVpce\": \"vpce-1a2b*\"}}",
	"{\"StringEquals\": {\"aws:SourceAccount\": \"644160558196\"}, "
	"\"StringLike\": {\"aws:SourceVpce\": \"*\"}}",
	NULL,
};

static char *
allow_stmt(struct arena *a, const char *who, const char *cond)
{
	return arena_printf(a,
	    REAL_DENIES ", {\"Effect\": \"Allow\", %s, \"Action\": "
			"\"s3:GetObject\", \"Resource\": " ARN_O "%s%s}",
	    who, cond != NULL ? ", \"Condition\": " : "",
	    cond != NULL ? cond : "");
}

static void
test_public_allow(void **state)
{
	struct arena *a = arena_new();
	size_t w, c, n = 0;
	size_t nopen = sizeof(open_conditions) / sizeof(open_conditions[0]);

	(void)state;
	for (w = 0; everyone[w] != NULL; w++) {
		for (c = 0; c < nopen; c++) {
			const char *st =
			    allow_stmt(a, everyone[w], open_conditions[c]);

			if (eval("aws_iam_policy", bucket(a, st), "{}") !=
			    ST_FAIL)
				fail_msg("not failed: %s", st);
			if (eval("aws_iam_policy", iam_policy(a, st), "{}") !=
			    ST_FAIL)
				fail_msg("IAM not failed: %s", st);
			n++;
		}
		for (c = 0; closed_conditions[c] != NULL; c++) {
			const char *st =
			    allow_stmt(a, everyone[w], closed_conditions[c]);

			if (eval("aws_iam_policy", bucket(a, st), "{}") !=
			    ST_PASS)
				fail_msg("not passed: %s: %s", st, tp.msg);
		}
	}
	assert_true(n > 100);
	/* an Allow to one account needs no condition */
	assert_int_equal(eval("aws_iam_policy",
			     bucket(a,
				 allow_stmt(a,
				     "\"Principal\": {\"AWS\": "
				     "\"arn:aws:iam::644160558196:root\"}",
				     NULL)),
			     "{}"),
	    ST_PASS);
	arena_free(a);
}

/* ------------------------------------------------------- administrator */

static const char *const admin_actions[] = { "\"Action\": \"*\"",
	"\"Action\": \"**\"", "\"Action\": \"*:*\"", "\"Action\": \"?*:*\"",
	"\"Action\": \"*:**\"", "\"Action\": [\"s3:GetObject\", \"*\"]",
	"\"NotAction\": \"iam:*\"", "\"NotAction\": []",
	"\"Action\": \"iam:*\"", "\"Action\": \"IAM:*\"", NULL };
static const char *const admin_resources[] = { "\"Resource\": \"*\"",
	"\"Resource\": \"**\"", "\"Resource\": \"arn:*\"",
	"\"Resource\": \"arn:aws:*:*:*:*\"", "\"Resource\": \"arn:*:*:*:*:*\"",
	"\"Resource\": \"arn:aws:*\"", "\"Resource\": \"arn:aws:*:*\"",
	"\"Resource\": \"arn:aws-us-gov:*:*:*:*\"",
	"\"Resource\": [\"arn:aws:s3:::b\", \"*\"]",
	"\"NotResource\": \"arn:aws:s3:::b\"", NULL };
static const char *const admin_conditions[] = { "", ", \"Condition\": {}",
	", \"Condition\": null",
	", \"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": "
	"\"true\"}}",
	NULL };

static void
test_admin(void **state)
{
	struct arena *a = arena_new();
	size_t ac, r, c, n = 0;
	const char *st;

	(void)state;
	for (ac = 0; admin_actions[ac] != NULL; ac++)
		for (r = 0; admin_resources[r] != NULL; r++)
			for (c = 0; admin_conditions[c] != NULL; c++) {
				st = arena_printf(a,
				    "{\"Sid\": \"Everything\", \"Effect\": "
				    "\"Allow\", %s, %s%s}",
				    admin_actions[ac], admin_resources[r],
				    admin_conditions[c]);
				if (eval("aws_iam_policy", iam_policy(a, st),
					"{}") != ST_FAIL)
					fail_msg("admin not failed: %s", st);
				assert_non_null(
				    strstr(tp.msg, "administrator"));
				/* a condition is named, never an exemption */
				if (c == 3)
					assert_non_null(strstr(tp.msg,
					    "aws:MultiFactorAuthPresent"));
				n++;
			}
	assert_true(n >= 400);
	/* compliant twins: scoped Action or scoped Resource */
	st = "{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", "
	     "\"s3:ListBucket\"], \"Resource\": \"*\"}";
	assert_int_equal(
	    eval("aws_iam_policy", iam_policy(a, st), "{}"), ST_PASS);
	st = "{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": "
	     "[\"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\"]}";
	assert_int_equal(
	    eval("aws_iam_policy", iam_policy(a, st), "{}"), ST_PASS);
	st = "{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": "
	     "\"arn:aws:s3:::*\"}";
	assert_int_equal(
	    eval("aws_iam_policy", iam_policy(a, st), "{}"), ST_PASS);
	st = "{\"Effect\": \"Allow\", \"Action\": \"ec2:Describe*\", "
	     "\"Resource\": \"*\"}";
	assert_int_equal(
	    eval("aws_iam_policy", iam_policy(a, st), "{}"), ST_PASS);
	/* a Deny of everything is not an Allow */
	st = "{\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}";
	assert_int_equal(
	    eval("aws_iam_policy", iam_policy(a, st), "{}"), ST_PASS);
	/* shapes AWS would refuse are errors, not skipped */
	st = "{\"Effect\": \"Allow\", \"Action\": {\"a\": \"*\"}, "
	     "\"Resource\": \"*\"}";
	assert_int_equal(
	    eval("aws_iam_policy", iam_policy(a, st), "{}"), ST_ERROR);
	st = "{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", "
	     "\"Condition\": \"none\"}";
	assert_int_equal(
	    eval("aws_iam_policy", iam_policy(a, st), "{}"), ST_ERROR);
	arena_free(a);
}

/* ------------------------------------------------------ policy version */

/* "%7B...%7D": the real allow-all document of examples/aws-export. */
#define ALLOW_ALL_ENC \
	"%7B%0A%20%20%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20" \
	"%20%20%22Statement%22%3A%20%5B%0A%20%20%20%20%20%20%20%20%7B%0A%20" \
	"%20%20%20%20%20%20%20%20%20%20%20%22Sid%22%3A%20%22Everything%22%2C" \
	"%0A%20%20%20%20%20%20%20%20%20%20%20%20%22Effect%22%3A%20%22Allow" \
	"%22%2C%0A%20%20%20%20%20%20%20%20%20%20%20%20%22Action%22%3A%20%22" \
	"%2A%22%2C%0A%20%20%20%20%20%20%20%20%20%20%20%20%22Resource%22%3A" \
	"%20%22%2A%22%0A%20%20%20%20%20%20%20%20%7D%0A%20%20%20%20%5D%0A%7D"
#define SCOPED "{\"Statement\": []}"

static void
test_policy_version(void **state)
{
	struct arena *a = arena_new();
	struct resource *r;

	(void)state;
	/* get-policy-version of the default version: evaluated (fails) */
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"DefaultVersionId\": \"v1\", \"PolicyVersion\": {\"Document\": "
	    "\"" ALLOW_ALL_ENC "\", \"VersionId\": \"v1\", "
	    "\"IsDefaultVersion\": true}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_FAIL);
	/* another version than the listing's default: error */
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"DefaultVersionId\": \"v2\", \"PolicyVersion\": {\"Document\": "
	    "\"" ALLOW_ALL_ENC "\", \"VersionId\": \"v1\", "
	    "\"IsDefaultVersion\": true}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	assert_non_null(strstr(tp.msg, "'v2'"));
	/* a scoped old version must not stand in for the default either */
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"DefaultVersionId\": \"v2\", \"PolicyVersion\": "
	    "{\"Document\": " SCOPED
	    ", \"VersionId\": \"v1\", \"IsDefaultVersion\": false}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"PolicyVersion\": {\"Document\": " SCOPED
	    ", \"VersionId\": \"v1\", \"IsDefaultVersion\": false}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"DefaultVersionId\": \"v2\", \"PolicyVersion\": "
	    "{\"Document\": " SCOPED "}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	/* its compliant twin */
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"DefaultVersionId\": \"v2\", \"PolicyVersion\": "
	    "{\"Document\": " SCOPED
	    ", \"VersionId\": \"v2\", \"IsDefaultVersion\": true}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_PASS);
	/* Config's list: two versions marked default */
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"PolicyVersionList\": [{\"VersionId\": \"v1\", "
	    "\"IsDefaultVersion\": true, \"Document\": " SCOPED "}, "
	    "{\"VersionId\": \"v2\", \"IsDefaultVersion\": true, "
	    "\"Document\": \"" ALLOW_ALL_ENC "\"}]}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	assert_non_null(strstr(tp.msg, "2 versions"));
	/* the list's marked default disagrees with DefaultVersionId */
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"DefaultVersionId\": \"v2\", \"PolicyVersionList\": "
	    "[{\"VersionId\": \"v1\", \"IsDefaultVersion\": true, "
	    "\"Document\": " SCOPED "}, {\"VersionId\": \"v2\", "
	    "\"IsDefaultVersion\": false, \"Document\": \"" ALLOW_ALL_ENC
	    "\"}]}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	/* none marked */
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"PolicyVersionList\": [{\"VersionId\": \"v1\", "
	    "\"IsDefaultVersion\": false, \"Document\": " SCOPED "}]}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	/* DefaultVersionId names the admin version: it is the one read */
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"DefaultVersionId\": \"v2\", \"PolicyVersionList\": "
	    "[{\"VersionId\": \"v1\", \"IsDefaultVersion\": false, "
	    "\"Document\": " SCOPED "}, {\"VersionId\": \"v2\", "
	    "\"IsDefaultVersion\": true, \"Document\": \"" ALLOW_ALL_ENC
	    "\"}]}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_FAIL);
	arena_free(a);
}

/*
 * Through the aws-cli adapter: the real get-policy-version recording of
 * examples/aws-export (VersionId v1) under a listing whose
 * DefaultVersionId is v1 (evaluated: admin, fail) or v2 (error).
 */
static void
test_policy_version_listing(void **state)
{
	static const char *const defaults[] = { "v1", "v2" };
	static const enum status want[] = { ST_FAIL, ST_ERROR };
	char dir[] = "/tmp/rampart-policy-XXXXXX", cmd[1024];
	struct coll c;
	struct diag d;
	const struct resource *r;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
	    "mkdir -p %s/iam/get-policy-version && cp " EXAMPLES
	    "/iam/get-policy-version/allow-all.json "
	    "%s/iam/get-policy-version/",
	    dir, dir);
	assert_int_equal(system(cmd), 0);
	for (i = 0; i < 2; i++) {
		char list[512];

		snprintf(list, sizeof(list),
		    "{\"Policies\": [{\"PolicyName\": \"allow-all\", "
		    "\"Arn\": \"arn:aws:iam::644160558196:policy/allow-all\", "
		    "\"DefaultVersionId\": \"%s\"}]}",
		    defaults[i]);
		test_put(dir, "iam/list-policies.json", list);
		memset(&c, 0, sizeof(c));
		c.a = arena_new();
		diag_init(&d);
		assert_int_equal(adapter_find("aws-cli")->read(
				     &d, dir, NULL, collect, &c, NULL),
		    0);
		diag_free(&d);
		r = coll_find(&c, "AWS::IAM::Policy", "allow-all");
		assert_non_null(r);
		assert_int_equal(eval("aws_iam_policy", r, "{}"), want[i]);
		arena_free(c.a);
	}
	assert_non_null(strstr(tp.msg, "'v1'"));
	assert_non_null(strstr(tp.msg, "'v2'"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/*
 * Through the aws-cli adapter: a Document that is JSON text after white
 * space, with a '%' inside, is parsed (it was URL-decoded and refused as
 * "not valid URL encoding"); URL-encoded text after white space is
 * decoded.
 */
static void
test_document_text_adapter(void **state)
{
	static const char *const docs[] = {
		"\" \\n{\\\"Statement\\\": [{\\\"Effect\\\": "
		"\\\"Allow\\\", \\\"Action\\\": \\\"s3:GetObject\\\", "
		"\\\"Resource\\\": \\\"arn:aws:s3:::b/100%\\\"}]}\"",
		"\"  " ALLOW_ALL_ENC "\"",
	};
	static const enum status want[] = { ST_PASS, ST_FAIL };
	char dir[] = "/tmp/rampart-policy-XXXXXX", cmd[1024];
	struct coll c;
	struct diag d;
	const struct resource *r;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/iam/get-policy-version", dir);
	assert_int_equal(system(cmd), 0);
	for (i = 0; i < 2; i++) {
		char *text;
		struct arena *a = arena_new();

		text = arena_printf(a,
		    "{\"PolicyVersion\": {\"Document\": %s, \"VersionId\": "
		    "\"v1\", \"IsDefaultVersion\": true}}",
		    docs[i]);
		test_put(dir, "iam/get-policy-version/p.json", text);
		arena_free(a);
		memset(&c, 0, sizeof(c));
		c.a = arena_new();
		diag_init(&d);
		assert_int_equal(adapter_find("aws-cli")->read(
				     &d, dir, NULL, collect, &c, NULL),
		    0);
		diag_free(&d);
		r = coll_find(&c, "AWS::IAM::Policy", "p");
		assert_non_null(r);
		if (eval("aws_iam_policy", r, "{}") != want[i])
			fail_msg("document %zu: %s", i, tp.msg);
		arena_free(c.a);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* ---------------------------------------------------- string documents */

static void
test_string_documents(void **state)
{
	struct arena *a = arena_new();
	struct resource *r;

	(void)state;
	/* JSON with leading white space and a '%' inside: parsed */
	r = test_inline_res(a, "AWS::S3::Bucket", BUCKET,
	    "{\"Policy\": \" \\n\\t{\\\"Statement\\\": [{\\\"Effect\\\": "
	    "\\\"Allow\\\", \\\"Principal\\\": \\\"*\\\", \\\"Action\\\": "
	    "\\\"s3:GetObject\\\", \\\"Resource\\\": \\\"arn:aws:s3:::b/100%"
	    "\\\"}]}\"}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_FAIL);
	assert_non_null(strstr(tp.msg, "allows everyone"));
	/* URL-encoded after white space: decoded */
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"PolicyVersion\": {\"Document\": \"  " ALLOW_ALL_ENC "\"}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_FAIL);
	assert_non_null(strstr(tp.msg, "administrator"));
	/* a bad escape is named with its offset */
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"PolicyVersion\": {\"Document\": \"%7B%22Statement%ZZ\"}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	assert_non_null(strstr(tp.msg, "invalid escape at offset 15"));
	r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"PolicyVersion\": {\"Document\": \"%7B%2\"}}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	assert_non_null(strstr(tp.msg, "invalid escape"));
	/* neither JSON nor URL-encoded */
	r = test_inline_res(
	    a, "AWS::S3::Bucket", BUCKET, "{\"Policy\": \"Statement: x\"}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	assert_non_null(strstr(tp.msg, "starts with 'S'"));
	r = test_inline_res(
	    a, "AWS::S3::Bucket", BUCKET, "{\"Policy\": \"  \"}");
	assert_int_equal(eval("aws_iam_policy", r, "{}"), ST_ERROR);
	arena_free(a);
}

/* ----------------------------------------------------------- S3 ACL */

static void
test_acl(void **state)
{
	struct arena *a = arena_new();
	struct resource *r;
	size_t i;
	/* The real ACLs of examples/aws-export (test_s3_global_grants). */
	static const char *const public_grantees[] = {
		"{\"Type\": \"Group\", \"URI\": "
		"\"http://acs.amazonaws.com/groups/global/AllUsers\"}",
		"{\"Type\": \"Group\", \"URI\": "
		"\"https://acs.amazonaws.com/groups/global/AllUsers\"}",
		"{\"Type\": \"Group\", \"URI\": "
		"\"http://acs.amazonaws.com/groups/global/"
		"authenticatedusers\"}",
		"{\"URI\": "
		"\"http://acs.amazonaws.com/groups/global/AllUsers\"}",
		NULL
	};
	static const char *const unreadable[] = {
		"{\"Grants\": {\"Grantee\": {\"Type\": \"Group\", \"URI\": "
		"\"http://acs.amazonaws.com/groups/global/AllUsers\"}, "
		"\"Permission\": \"READ\"}}",
		"{\"Grants\": [{\"Grantee\": {\"Type\": \"Group\"}, "
		"\"Permission\": \"READ\"}]}",
		"{\"Grants\": [{\"Grantee\": {\"Type\": \"Group\", \"URI\": "
		"null}, \"Permission\": \"READ\"}]}",
		"{\"Grants\": [{\"Grantee\": {\"DisplayName\": \"x\"}, "
		"\"Permission\": \"READ\"}]}",
		"{\"Grants\": [\"AllUsers\"]}", "{\"Grants\": null}",
		"{\"Grants\": \"private\"}", "{\"Owner\": {\"ID\": \"x\"}}",
		NULL
	};

	(void)state;
	r = test_inline_res(a, "AWS::S3::Bucket", BUCKET,
	    "{\"Grants\": [{\"Grantee\": {\"Type\": \"CanonicalUser\", "
	    "\"DisplayName\": \"k_vertigo\", \"ID\": "
	    "\"904fc4c4790937100e9eb293a15e6a0a1f265a064888055b43d030034f8881"
	    "ee\"}, \"Permission\": \"FULL_CONTROL\"}, {\"Grantee\": "
	    "{\"Type\": \"Group\", \"URI\": "
	    "\"http://acs.amazonaws.com/groups/s3/LogDelivery\"}, "
	    "\"Permission\": \"WRITE\"}]}");
	assert_int_equal(eval("aws_s3_acl", r, ACL_DEFAULTS), ST_PASS);
	r = test_inline_res(a, "AWS::S3::Bucket", BUCKET, "{\"Grants\": []}");
	assert_int_equal(eval("aws_s3_acl", r, ACL_DEFAULTS), ST_PASS);
	for (i = 0; public_grantees[i] != NULL; i++) {
		r = test_inline_res(a, "AWS::S3::Bucket", BUCKET,
		    arena_printf(a,
			"{\"Grants\": [{\"Grantee\": {\"Type\": "
			"\"CanonicalUser\", \"ID\": \"abc\"}, \"Permission\": "
			"\"FULL_CONTROL\"}, {\"Grantee\": %s, \"Permission\": "
			"\"WRITE\"}]}",
			public_grantees[i]));
		if (eval("aws_s3_acl", r, ACL_DEFAULTS) != ST_FAIL)
			fail_msg(
			    "public grantee passed: %s", public_grantees[i]);
	}
	for (i = 0; unreadable[i] != NULL; i++) {
		r = test_inline_res(
		    a, "AWS::S3::Bucket", BUCKET, unreadable[i]);
		if (eval("aws_s3_acl", r, ACL_DEFAULTS) != ST_ERROR)
			fail_msg("unreadable ACL not an error: %s: %s",
			    unreadable[i], tp.msg);
	}
	r = test_inline_res(a, "AWS::S3::Bucket", BUCKET, unreadable[0]);
	eval("aws_s3_acl", r, ACL_DEFAULTS);
	assert_non_null(strstr(tp.msg, "not a list"));
	r = test_inline_res(a, "AWS::S3::Bucket", BUCKET, unreadable[1]);
	eval("aws_s3_acl", r, ACL_DEFAULTS);
	assert_non_null(strstr(tp.msg, "Group grantee without a URI"));
	/* an unreadable resource stays an error */
	r = test_inline_res(a, "AWS::S3::Bucket", BUCKET, "{\"Grants\": []}");
	r->read_error = "get-bucket-acl: AccessDenied";
	assert_int_equal(eval("aws_s3_acl", r, ACL_DEFAULTS), ST_ERROR);
	arena_free(a);
}

/* ------------------------------------------------- allocation failure */

/*
 * Evaluate with the nth allocation failing (0: none): the plugin returns
 * 0 or -1, and what it emits is *st (ST_NOT_APPLICABLE when nothing).
 */
static int
eval_failing(const char *plugin, const struct resource *r, const char *params,
    long nth, enum status *st, long *count)
{
	const struct check_plugin *p = check_plugin_find(plugin);
	struct arena *a = arena_new();
	struct check_ctx c;
	struct diag d;
	struct doc_node **docs;
	size_t n;
	int rc;

	diag_init(&d);
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.d = &d;
	c.now = 1700000000;
	assert_int_equal(doc_load_buf(a, &d, "params.json", params,
			     strlen(params), DOC_FMT_JSON, NULL, &docs, &n),
	    0);
	c.params = docs[0];
	check_ctx_reset(&c);
	lib_alloc_fail_at(nth);
	rc = p->evaluate(&c, r);
	*count = lib_alloc_count();
	lib_alloc_fail_at(0);
	*st = c.emitted ? c.result.status : ST_NOT_APPLICABLE;
	diag_free(&d);
	arena_free(a);
	return rc;
}

/* Failing and erroring documents never pass when memory runs out. */
static void
test_allocation_failure(void **state)
{
	struct arena *a = arena_new();
	struct {
		struct resource *r;
		const char *plugin, *params;
	} cases[6];
	enum status st, want;
	long total, k, cnt, runs = 0;
	size_t i;
	int rc;

	(void)state;
	cases[0].r = iam_policy(a,
	    "{\"Effect\": \"Allow\", \"Action\": \"*:*\", \"Resource\": "
	    "\"arn:aws:*:*:*:*\", \"Condition\": {\"Bool\": "
	    "{\"aws:MultiFactorAuthPresent\": \"true\"}}}");
	cases[1].r = bucket(a,
	    allow_stmt(a, everyone[0],
		"{\"IpAddress\": {\"aws:SourceIp\": [\"0.0.0.0/1\", "
		"\"128.0.0.0/1\"]}}"));
	cases[2].r = bucket(a,
	    tls_stmt(a, "\"*\"", "\"s3:*\"", "Resource", "[" ARN_B "]",
		tls_conditions[0]));
	cases[3].r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"PolicyVersion\": {\"Document\": \"  " ALLOW_ALL_ENC "\"}}");
	cases[4].r = test_inline_res(a, "AWS::IAM::Policy", BUCKET,
	    "{\"PolicyVersion\": {\"Document\": \"%7B%22Statement%ZZ\"}}");
	cases[5].r = test_inline_res(a, "AWS::S3::Bucket", BUCKET,
	    "{\"Grants\": [{\"Grantee\": {\"Type\": \"Group\"}}]}");
	for (i = 0; i < 6; i++) {
		cases[i].plugin = i == 5 ? "aws_s3_acl" : "aws_iam_policy";
		cases[i].params = i == 2 ? TLS : i == 5 ? ACL_DEFAULTS : "{}";
	}
	for (i = 0; i < 6; i++) {
		assert_int_equal(eval_failing(cases[i].plugin, cases[i].r,
				     cases[i].params, 0, &want, &total),
		    0);
		assert_true(want == ST_FAIL || want == ST_ERROR);
		for (k = 1; k <= total + 1; k++) {
			rc = eval_failing(cases[i].plugin, cases[i].r,
			    cases[i].params, k, &st, &cnt);
			assert_true(rc == 0 || rc == -1);
			if (st == ST_PASS)
				fail_msg("case %zu passed with allocation %ld "
					 "failing",
				    i, k);
			runs++;
		}
	}
	assert_true(runs > 30);
	arena_free(a);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls_compliant),
		cmocka_unit_test(test_tls_mutations),
		cmocka_unit_test(test_tls_real_example),
		cmocka_unit_test(test_public_allow),
		cmocka_unit_test(test_admin),
		cmocka_unit_test(test_policy_version),
		cmocka_unit_test(test_policy_version_listing),
		cmocka_unit_test(test_document_text_adapter),
		cmocka_unit_test(test_string_documents),
		cmocka_unit_test(test_acl),
		cmocka_unit_test(test_allocation_failure),
	};

	RUN_TESTS("aws_policy", tests, argc, argv);
}
