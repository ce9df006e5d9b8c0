/*
 * test_sources.c: the export adapters (checks/sources/) on real exports
 * from ../shared/data/exports: AWS Config items and events, placebo
 * recordings laid out as an AWS CLI directory or read in their own
 * layout, and the AWS CLI documentation's examples.
 */
#include "tests/unit/testutil.h"

#include <fcntl.h>

#include "checks/check.h"
#include "tests/unit/collect.h"

/* A listing marker an adapter emitted (struct resource's `listing`). */
struct marker {
	const char *type, *region, *read_error, *source;
};

/* The markers of the last read_with(), in the coll's arena. */
static struct marker *markers;
static size_t nmarkers;

/* A resource_fn: markers apart, resources into the coll. */
static int
collect_marks(void *ctx, const struct resource *r, struct arena *ra)
{
	struct coll *c = ctx;
	struct marker *m;

	if (!r->listing)
		return collect(ctx, r, ra);
	/* A marker names no resource and holds no attributes. */
	assert_null(r->id);
	assert_true(r->attrs == NULL || r->attrs->u.map.n == 0);
	markers = arena_realloc(
	    c->a, markers, nmarkers * sizeof(*m), (nmarkers + 1) * sizeof(*m));
	assert_non_null(markers);
	m = &markers[nmarkers++];
	m->type = arena_strdup(c->a, r->type);
	m->region = r->region ? arena_strdup(c->a, r->region) : NULL;
	m->read_error =
	    r->read_error ? arena_strdup(c->a, r->read_error) : NULL;
	m->source = r->source ? arena_strdup(c->a, r->source) : NULL;
	return 0;
}

/* Read path with the named adapter (NULL: detect) into c. */
static int
read_with(struct coll *c, struct diag *d, const char *adapter, const char *path)
{
	const struct adapter *ad;
	size_t n = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	c->a = arena_new();
	assert_non_null(c->a);
	markers = NULL;
	nmarkers = 0;
	ad = adapter ? adapter_find(adapter) : adapter_detect(d, path);
	if (ad == NULL)
		return -1;
	rc = ad->read(d, path, NULL, collect_marks, c, &n);
	if (rc == 0)
		assert_int_equal(n, c->n + nmarkers);
	return rc;
}

/*
 * The marker of type in region (NULL: account-wide or root), clean or
 * not (any: either): 1 found, 0 not.
 */
enum mk { MK_CLEAN, MK_ERROR, MK_ANY };

static const struct marker *
marker_find(const char *type, const char *region, enum mk want)
{
	size_t i;

	for (i = 0; i < nmarkers; i++) {
		if (strcmp(markers[i].type, type) != 0)
			continue;
		if ((region == NULL) != (markers[i].region == NULL) ||
		    (region != NULL && strcmp(region, markers[i].region) != 0))
			continue;
		if (want == MK_ANY ||
		    (want == MK_ERROR) == (markers[i].read_error != NULL))
			return &markers[i];
	}
	return NULL;
}

static const struct resource *
find(const struct coll *c, const char *type, const char *id)
{
	return coll_find(c, type, id);
}

static size_t
count(const struct coll *c, const char *type)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		n += strcmp(c->v[i].type, type) == 0;
	return n;
}

/* The node at path expr under attrs (NULL when absent). */
static const struct doc_node *
at(const struct coll *c, const struct doc_node *attrs, const char *expr)
{
	struct diag d;
	struct doc_path *p;

	diag_init(&d);
	p = doc_path_compile(c->a, &d, expr, NULL);
	assert_non_null(p);
	diag_free(&d);
	return doc_path_first(p, attrs);
}

static const char *
at_str(const struct coll *c, const struct doc_node *attrs, const char *expr)
{
	return doc_str(at(c, attrs, expr));
}

static char *
shared_path(const char *rel)
{
	static char buf[4][1024];
	static int k;
	const char *s = test_shared_dir();

	if (s == NULL)
		return NULL;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/data/exports/%s", s, rel);
	return buf[k];
}

#define NEED_SHARED() \
	do { \
		if (test_shared_dir() == NULL) \
			skip(); \
	} while (0)

/* ------------------------------------------------------ temp dirs */

static char tmproot[256];

static void
mkdirs(const char *path)
{
	char buf[1024], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	mkdir(buf, 0755);
}

static void
write_file(const char *path, const char *data, size_t len)
{
	char dir[1024], *slash;
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		mkdirs(dir);
	}
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void
write_str(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
}

/* Copy a shared export file to dir/rel. */
static void
put(const char *dir, const char *rel, const char *shared_rel)
{
	struct diag d;
	char *buf, dst[1024];
	size_t len;

	diag_init(&d);
	assert_int_equal(
	    file_read_all(&d, shared_path(shared_rel), 0, &buf, &len), 0);
	snprintf(dst, sizeof(dst), "%s/%s", dir, rel);
	write_file(dst, buf, len);
	lib_free(buf);
	diag_free(&d);
}

static const char *
new_tmpdir(const char *tag)
{
	char tmpl[256];

	snprintf(tmpl, sizeof(tmpl), "/tmp/rampart-src-%s-XXXXXX", tag);
	assert_non_null(mkdtemp(tmpl));
	snprintf(tmproot, sizeof(tmproot), "%s", tmpl);
	return tmproot;
}

static void
rm_rf(const char *dir)
{
	char cmd[512];

	if (strncmp(dir, "/tmp/rampart-src-", 17) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* -------------------------------------------------------- tables */

static void
test_adapters_sorted(void **state)
{
	size_t i;

	(void)state;
	assert_true(nadapters >= 2);
	for (i = 1; i < nadapters; i++)
		assert_true(
		    strcmp(adapters[i - 1]->name, adapters[i]->name) < 0);
	for (i = 0; i < nadapters; i++)
		assert_ptr_equal(adapter_find(adapters[i]->name), adapters[i]);
	assert_null(adapter_find("nope"));
}

/* ------------------------------------------------------ aws-config */

static void
test_config_s3_bucket(void **state)
{
	struct coll c;
	struct diag d;
	const struct resource *g;

	(void)state;
	NEED_SHARED();
	diag_init(&d);
	assert_int_equal(
	    read_with(&c, &d, NULL,
		shared_path("custodian-aws-config/config/s3.json")),
	    0);
	assert_int_equal(c.n, 1);
	g = &c.v[0];
	assert_string_equal(g->type, "AWS::S3::Bucket");
	assert_string_equal(g->id, "config-rule-sanity");
	assert_string_equal(g->region, "us-east-2");
	assert_string_equal(g->account, "644160558196");
	assert_null(g->read_error);
	/* configuration (a JSON string) parsed into the CLI's names */
	assert_string_equal(at_str(&c, g->attrs, "Name"), "config-rule-sanity");
	assert_string_equal(at_str(&c, g->attrs, "Owner.ID"),
	    "e7c8bb65a5fc49cf906715eae09de9e4bb7861a96361ba79b833aa45f6833b15");
	assert_string_equal(
	    at_str(&c, g->attrs, "Owner.DisplayName"), "mandeep.bal");
	/* the ACL is encoded twice */
	assert_string_equal(
	    at_str(&c, g->attrs, "Grants[0].Permission"), "FULL_CONTROL");
	assert_string_equal(
	    at_str(&c, g->attrs, "Grants[0].Grantee.Type"), "CanonicalUser");
	assert_string_equal(at_str(&c, g->attrs, "Versioning.Status"), "Off");
	assert_non_null(at(&c, g->attrs, "Logging"));
	assert_null(at(&c, g->attrs, "Logging.LoggingEnabled"));
	/* policyText null: no policy, recorded as not configured */
	assert_int_equal(at(&c, g->attrs, "Policy")->type, DOC_NULL);
	assert_string_equal(
	    at_str(&c, g->attrs, "NotConfigured.Policy"), "NoSuchBucketPolicy");
	assert_int_equal(
	    at(&c, g->attrs, "ServerSideEncryptionConfiguration")->type,
	    DOC_NULL);
	assert_non_null(at(
	    &c, g->attrs, "NotConfigured.ServerSideEncryptionConfiguration"));
	assert_non_null(
	    at(&c, g->attrs, "NotConfigured.PublicAccessBlockConfiguration"));
	/* tags from the item, as the CLI's Key/Value list */
	assert_string_equal(at_str(&c, g->attrs, "Tags[0].Key"), "Verbose");
	assert_string_equal(at_str(&c, g->attrs, "Tags[0].Value"), "Game");
	arena_free(c.a);
	diag_free(&d);
}

static void
test_config_s3_public_read(void **state)
{
	struct coll c;
	struct diag d;
	const struct resource *g;
	const struct doc_node *grants;
	size_t i;
	int allusers = 0;

	(void)state;
	NEED_SHARED();
	diag_init(&d);
	assert_int_equal(
	    read_with(&c, &d, "aws-config",
		shared_path("custodian-aws-config/config/s3-lifecycle.json")),
	    0);
	assert_int_equal(c.n, 1);
	g = &c.v[0];
	assert_string_equal(g->id, "testing-99");
	assert_string_equal(
	    at_str(&c, g->attrs, "Versioning.Status"), "Suspended");
	grants = at(&c, g->attrs, "Grants");
	assert_non_null(grants);
	for (i = 0; i < grants->u.seq.n; i++) {
		const char *uri = doc_str(
		    doc_get(doc_get(grants->u.seq.items[i], "Grantee"), "URI"));

		if (uri != NULL &&
		    strcmp(uri,
			"http://acs.amazonaws.com/groups/global/AllUsers") ==
			0) {
			allusers = 1;
			assert_string_equal(
			    doc_str(
				doc_get(grants->u.seq.items[i], "Permission")),
			    "READ");
		}
	}
	assert_true(allusers);
	arena_free(c.a);
	diag_free(&d);
}

static void
test_config_event_security_group(void **state)
{
	struct coll c;
	struct diag d;
	const struct resource *g;

	(void)state;
	NEED_SHARED();
	diag_init(&d);
	assert_int_equal(
	    read_with(&c, &d, NULL,
		shared_path("custodian-aws-config/cwe/"
			    "event-config-rule-security-group.json")),
	    0);
	assert_int_equal(c.n, 1);
	g = &c.v[0];
	assert_string_equal(g->type, "AWS::EC2::SecurityGroup");
	assert_string_equal(g->id, "sg-e2fb6999");
	assert_string_equal(g->region, "eu-west-1");
	assert_string_equal(g->account, "123456789012");
	assert_string_equal(at_str(&c, g->attrs, "GroupId"), "sg-e2fb6999");
	assert_string_equal(
	    at_str(&c, g->attrs, "IpPermissions[0].IpProtocol"), "tcp");
	assert_int_equal(
	    at(&c, g->attrs, "IpPermissions[0].FromPort")->u.i, 22);
	assert_string_equal(
	    at_str(&c, g->attrs, "IpPermissions[0].IpRanges[0].CidrIp"),
	    "0.0.0.0/0");
	assert_string_equal(
	    at_str(&c, g->attrs, "IpPermissionsEgress[0].IpProtocol"), "-1");
	assert_null(at(&c, g->attrs, "IpPermissions[0].Ipv4Ranges"));
	arena_free(c.a);
	diag_free(&d);
}

static void
test_config_history_and_elb(void **state)
{
	struct coll c;
	struct diag d;

	(void)state;
	NEED_SHARED();
	diag_init(&d);
	assert_int_equal(
	    read_with(&c, &d, NULL,
		shared_path("custodian-aws-config/config/rds-cluster.json")),
	    0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].type, "AWS::RDS::DBCluster");
	assert_string_equal(c.v[0].id, "cluster-NCSP75A6Z36KOFQRT4SDHYMS3I");
	assert_int_equal(at(&c, c.v[0].attrs, "BackupRetentionPeriod")->u.i, 7);
	arena_free(c.a);
	assert_int_equal(
	    read_with(&c, &d, NULL,
		shared_path("custodian-aws-config/config/app-elb.json")),
	    0);
	assert_int_equal(c.n, 1);
	assert_string_equal(
	    c.v[0].type, "AWS::ElasticLoadBalancingV2::LoadBalancer");
	assert_string_equal(at_str(&c, c.v[0].attrs, "DNSName"),
	    "internal-Migration-QAEAST-ELB-91111.us-east-1.elb.amazonaws.com");
	assert_string_equal(at_str(&c, c.v[0].attrs, "Tags[0].Key"), "App");
	arena_free(c.a);
	diag_free(&d);
}

/* batch-get, select, deleted items, bad JSON in a string. */
static void
test_config_query_outputs(void **state)
{
	static const char batch[] =
	    "{\"baseConfigurationItems\": [\n"
	    " {\"resourceType\": \"AWS::EC2::Volume\", \"resourceId\": "
	    "\"vol-1\", \"awsRegion\": \"us-east-1\", \"accountId\": \"1\",\n"
	    "  \"configurationItemStatus\": \"OK\",\n"
	    "  \"configuration\": \"{\\\"volumeId\\\":\\\"vol-1\\\","
	    "\\\"encrypted\\\":false}\"},\n"
	    " {\"resourceType\": \"AWS::EC2::Volume\", \"resourceId\": "
	    "\"vol-2\", \"configurationItemStatus\": \"ResourceDeleted\"},\n"
	    " {\"resourceType\": \"AWS::EC2::Volume\", \"resourceId\": "
	    "\"vol-3\", \"configuration\": \"{not json\"}\n"
	    "], \"unprocessedResourceKeys\": []}\n";
	static const char select[] =
	    "{\"Results\": [\"{\\\"resourceId\\\":\\\"vol-9\\\","
	    "\\\"resourceType\\\":\\\"AWS::EC2::Volume\\\","
	    "\\\"configuration\\\":{\\\"encrypted\\\":true}}\"],\n"
	    " \"QueryInfo\": {\"SelectFields\": [{\"Name\": "
	    "\"resourceId\"}]}}\n";
	const char *dir = new_tmpdir("cfg");
	char p1[512], p2[512];
	struct coll c;
	struct diag d;

	(void)state;
	diag_init(&d);
	snprintf(p1, sizeof(p1), "%s/batch.json", dir);
	snprintf(p2, sizeof(p2), "%s/select.json", dir);
	write_file(p1, batch, sizeof(batch) - 1);
	write_file(p2, select, sizeof(select) - 1);
	assert_int_equal(read_with(&c, &d, NULL, p1), 0);
	assert_int_equal(c.n, 2); /* the deleted item is skipped */
	assert_string_equal(c.v[0].id, "vol-1");
	assert_int_equal(at(&c, c.v[0].attrs, "Encrypted")->type, DOC_BOOL);
	assert_false(at(&c, c.v[0].attrs, "Encrypted")->u.b);
	assert_string_equal(at_str(&c, c.v[0].attrs, "VolumeId"), "vol-1");
	assert_string_equal(c.v[1].id, "vol-3");
	assert_non_null(c.v[1].read_error);
	assert_non_null(strstr(c.v[1].read_error, "not valid JSON"));
	assert_diag_has(&d, "skipped 1 deleted");
	arena_free(c.a);
	assert_int_equal(read_with(&c, &d, NULL, p2), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].id, "vol-9");
	assert_true(at(&c, c.v[0].attrs, "Encrypted")->u.b);
	arena_free(c.a);
	rm_rf(dir);
	diag_free(&d);
}

/* A generated snapshot streams item by item. */
static void
test_config_big_snapshot(void **state)
{
	const char *dir = new_tmpdir("big");
	char path[512];
	struct coll c;
	struct diag d;
	FILE *fp;
	int i, n = 20000;

	(void)state;
	diag_init(&d);
	snprintf(path, sizeof(path), "%s/snapshot.json", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp,
	    "{\"fileVersion\": \"1.0\", \"configSnapshotId\": \"x\",\n"
	    " \"configurationItems\": [\n");
	for (i = 0; i < n; i++)
		fprintf(fp,
		    "%s{\"resourceType\": \"AWS::EC2::Volume\", "
		    "\"resourceId\": \"vol-%d\", \"awsRegion\": \"us-east-1\", "
		    "\"awsAccountId\": \"123456789012\", "
		    "\"configurationItemStatus\": \"OK\", "
		    "\"configuration\": {\"volumeId\": \"vol-%d\", "
		    "\"encrypted\": %s, \"size\": 8}}\n",
		    i ? "," : "", i, i, i % 2 ? "true" : "false");
	fprintf(fp, "]}\n");
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(read_with(&c, &d, NULL, path), 0);
	assert_int_equal(c.n, (size_t)n);
	assert_string_equal(c.v[n - 1].id, "vol-19999");
	assert_true(at(&c, c.v[n - 1].attrs, "Encrypted")->u.b);
	arena_free(c.a);
	rm_rf(dir);
	diag_free(&d);
}

/* ---------------------------------------------------------- aws-cli */

#define PLACEBO "custodian-placebo/"

/* A CLI directory built from placebo recordings. */
static const char *
build_cli_dir(void)
{
	const char *dir = new_tmpdir("cli");

	put(dir, "s3api/list-buckets.json",
	    PLACEBO "test_s3_encryption_audit/s3.ListBuckets_1.json");
	put(dir,
	    "s3api/get-bucket-encryption/"
	    "c7n-aws-s3-encryption-audit-test-a.json",
	    PLACEBO "test_s3_encryption_audit/s3.GetBucketEncryption_1.json");
	put(dir,
	    "s3api/get-bucket-encryption/"
	    "c7n-aws-s3-encryption-audit-test-b.json",
	    PLACEBO "test_s3_encryption_audit/s3.GetBucketEncryption_2.json");
	put(dir,
	    "s3api/get-bucket-encryption/"
	    "c7n-aws-s3-encryption-audit-test-c.json",
	    PLACEBO "test_s3_encryption_audit/s3.GetBucketEncryption_3.json");
	put(dir,
	    "s3api/get-public-access-block/"
	    "c7n-aws-s3-encryption-audit-test-a.json",
	    PLACEBO
	    "test_s3_check_public_block/s3.GetPublicAccessBlock_2.json");
	put(dir,
	    "s3api/get-public-access-block/"
	    "c7n-aws-s3-encryption-audit-test-b.json",
	    PLACEBO
	    "test_s3_check_public_block/s3.GetPublicAccessBlock_1.json");
	put(dir,
	    "s3api/get-public-access-block/"
	    "c7n-aws-s3-encryption-audit-test-c.json",
	    PLACEBO
	    "test_s3_check_public_block/s3.GetPublicAccessBlock_3.json");
	put(dir,
	    "s3api/get-bucket-policy/c7n-aws-s3-encryption-audit-test-a.json",
	    PLACEBO "test_s3_has_statement/s3.GetBucketPolicy_3.json");
	put(dir, "s3api/get-bucket-acl/c7n-aws-s3-encryption-audit-test-b.json",
	    PLACEBO "test_s3_global_grants_filter/s3.GetBucketAcl_3.json");
	put(dir,
	    "s3api/get-bucket-versioning/"
	    "c7n-aws-s3-encryption-audit-test-a.json",
	    "awscli-examples/extracted-json/s3api/"
	    "get-bucket-versioning.output1.json");
	put(dir, "s3control/get-public-access-block.json",
	    PLACEBO "test_account_filter_s3_public_block_missing/"
		    "s3-control.GetPublicAccessBlock_1.json");
	put(dir, "iam/get-account-password-policy.json",
	    PLACEBO "test_account_missing_password_policy/"
		    "iam.GetAccountPasswordPolicy_1.json");
	put(dir, "iam/get-account-summary.json",
	    PLACEBO "test_account_root_mfa/iam.GetAccountSummary_1.json");
	put(dir, "iam/list-virtual-mfa-devices.json",
	    PLACEBO
	    "test_account_virtual_mfa/iam.ListVirtualMFADevices_1.json");
	put(dir, "iam/get-credential-report.json",
	    PLACEBO "test_account_credential_report/"
		    "iam.GetCredentialReport_1.json");
	put(dir, "iam/list-users.json",
	    PLACEBO "test_iam_mfa_filter/iam.ListUsers_1.json");
	put(dir, "iam/list-access-keys/andrew.json",
	    PLACEBO "test_iam_user_access_key_multi/iam.ListAccessKeys_1.json");
	put(dir, "iam/get-policy-version/allow-all.json",
	    PLACEBO "test_iam_policy_allow_all/iam.GetPolicyVersion_1.json");
	/* a second policy: its version is "v1" too */
	put(dir, "iam/get-policy-version/ops-admin.json",
	    PLACEBO "test_iam_policy_allow_all/iam.GetPolicyVersion_1.json");
	/* regional services under a region directory */
	put(dir, "us-east-1/ec2/describe-security-groups.json",
	    PLACEBO "test_only_ports_and_cidr_ingress/"
		    "ec2.DescribeSecurityGroups_1.json");
	put(dir, "us-east-1/ec2/describe-network-acls.json",
	    PLACEBO
	    "test_network_acl_s3_missing/ec2.DescribeNetworkAcls_1.json");
	put(dir, "us-east-1/ec2/describe-vpcs.json",
	    PLACEBO "test_vpc_flow_logs/ec2.DescribeVpcs_1.json");
	put(dir, "us-east-1/ec2/describe-flow-logs.json",
	    PLACEBO "test_vpc_flow_logs/ec2.DescribeFlowLogs_1.json");
	put(dir, "us-east-1/ec2/describe-volumes.json",
	    PLACEBO "test_ebs_aws_managed_kms_keys/ec2.DescribeVolumes_1.json");
	put(dir, "us-east-1/ec2/describe-instances.json",
	    PLACEBO
	    "test_ec2_metric_extended_stats/ec2.DescribeInstances_1.json");
	put(dir, "us-east-1/ec2/get-ebs-encryption-by-default.json",
	    PLACEBO
	    "test_account_ebs_encrypt/ec2.GetEbsEncryptionByDefault_1.json");
	put(dir, "us-east-1/rds/describe-db-instances.json",
	    PLACEBO "test_rds_default_vpc/rds.DescribeDBInstances_1.json");
	put(dir, "us-east-1/kms/list-keys.json",
	    PLACEBO "test_key_rotation/kms.ListKeys_1.json");
	put(dir,
	    "us-east-1/kms/describe-key/"
	    "ffb1402c-040a-4b1f-b1e5-9918a0238aa7.json",
	    PLACEBO "test_key_rotation/kms.DescribeKey_1.json");
	put(dir,
	    "us-east-1/kms/get-key-rotation-status/"
	    "ffb1402c-040a-4b1f-b1e5-9918a0238aa7.json",
	    PLACEBO "test_key_rotation/kms.GetKeyRotationStatus_1.json");
	put(dir, "us-east-1/cloudtrail/describe-trails.json",
	    PLACEBO "test_account_trail/cloudtrail.DescribeTrails_1.json");
	put(dir, "us-east-1/cloudtrail/get-trail-status/skunk-trails.json",
	    PLACEBO "test_cloudtrail_status/cloudtrail.GetTrailStatus_1.json");
	put(dir,
	    "us-east-1/configservice/describe-configuration-recorders.json",
	    PLACEBO
	    "test_account_config/config.DescribeConfigurationRecorders_1.json");
	put(dir,
	    "us-east-1/configservice/"
	    "describe-configuration-recorder-status.json",
	    PLACEBO "test_account_config/"
		    "config.DescribeConfigurationRecorderStatus_1.json");
	put(dir, "us-east-1/guardduty/list-detectors.json",
	    PLACEBO
	    "test_account_guard_duty_filter/guardduty.ListDetectors_1.json");
	put(dir,
	    "us-east-1/guardduty/get-detector/"
	    "06b01209ca77b0865dd973df0355fc1e.json",
	    PLACEBO
	    "test_account_guard_duty_filter/guardduty.GetDetector_1.json");
	put(dir, "us-east-1/securityhub/describe-hub.json",
	    PLACEBO "test_enable_securityhub/securityhub.DescribeHub_1.json");
	put(dir, "us-east-1/logs/describe-log-groups.json",
	    PLACEBO "test_log_group_put_subscription_filter/"
		    "logs.DescribeLogGroups_1.json");
	put(dir, "us-east-1/acm/describe-certificate/x.json",
	    PLACEBO
	    "test_acm_certificate_augment/acm.DescribeCertificate_1.json");
	put(dir, "us-east-1/elbv2/describe-load-balancers.json",
	    PLACEBO "test_appelb_listener_rules_filter/"
		    "elasticloadbalancing.DescribeLoadBalancers_1.json");
	put(dir, "us-east-1/elbv2/describe-listeners.json",
	    PLACEBO "test_appelb_listener_rules_filter/"
		    "elasticloadbalancing.DescribeListeners_1.json");
	put(dir, "us-east-1/elb/describe-load-balancers.json",
	    PLACEBO "test_ssl_ciphers/"
		    "elasticloadbalancing.DescribeLoadBalancers_1.json");
	put(dir,
	    "us-east-1/elb/describe-load-balancer-policies/"
	    "test-elb-valid-policy.json",
	    PLACEBO "test_ssl_ciphers/"
		    "elasticloadbalancing.DescribeLoadBalancerPolicies_1.json");
	return dir;
}

static void
test_cli_directory(void **state)
{
	struct coll c;
	struct diag d;
	const struct resource *g;
	const char *dir;
	char buf[256];

	(void)state;
	NEED_SHARED();
	diag_init(&d);
	dir = build_cli_dir();
	assert_ptr_equal(adapter_detect(&d, dir), adapter_find("aws-cli"));
	assert_int_equal(read_with(&c, &d, NULL, dir), 0);
	if (d.nerrors) {
		diag_format(&d, 0, buf, sizeof(buf));
		fail_msg("%s", buf);
	}

	/* S3: encryption joined, 404 = not configured, 403 = read error */
	assert_int_equal(count(&c, "AWS::S3::Bucket"), 3);
	g = find(&c, "AWS::S3::Bucket", "c7n-aws-s3-encryption-audit-test-a");
	assert_non_null(g);
	assert_null(g->read_error);
	assert_string_equal(
	    at_str(&c, g->attrs,
		"ServerSideEncryptionConfiguration.Rules[0]."
		"ApplyServerSideEncryptionByDefault.SSEAlgorithm"),
	    "aws:kms");
	assert_string_equal(
	    at_str(&c, g->attrs, "CreationDate"), "2021-02-12T13:48:00+00:00");
	assert_false(
	    at(&c, g->attrs, "PublicAccessBlockConfiguration.IgnorePublicAcls")
		->u.b);
	assert_string_equal(
	    at_str(&c, g->attrs, "Policy.Statement[0].Sid"), "Zebra");
	assert_string_equal(
	    at_str(&c, g->attrs, "Versioning.Status"), "Enabled");
	g = find(&c, "AWS::S3::Bucket", "c7n-aws-s3-encryption-audit-test-b");
	assert_null(g->read_error);
	assert_int_equal(
	    at(&c, g->attrs, "PublicAccessBlockConfiguration")->type, DOC_NULL);
	assert_string_equal(at_str(&c, g->attrs,
				"NotConfigured.PublicAccessBlockConfiguration"),
	    "NoSuchPublicAccessBlockConfiguration");
	assert_string_equal(at_str(&c, g->attrs, "Grants[0].Grantee.URI"),
	    "http://acs.amazonaws.com/groups/global/AllUsers");
	/* get-public-access-block denied: that attribute alone is
	 * unreadable, the rest of the bucket is evidence. */
	g = find(&c, "AWS::S3::Bucket", "c7n-aws-s3-encryption-audit-test-c");
	assert_null(g->read_error);
	assert_non_null(g->unreadable);
	assert_ptr_equal(g->unreadable, doc_get(g->attrs, RESOURCE_UNREADABLE));
	assert_int_equal(g->unreadable->u.map.n, 1);
	assert_non_null(strstr(
	    at_str(&c, g->attrs, "Unreadable.PublicAccessBlockConfiguration"),
	    "AccessDenied"));
	assert_int_equal(
	    at(&c, g->attrs, "ServerSideEncryptionConfiguration")->type,
	    DOC_NULL);
	assert_string_equal(
	    at_str(&c, g->attrs,
		"NotConfigured.ServerSideEncryptionConfiguration"),
	    "ServerSideEncryptionConfigurationNotFoundError");
	assert_non_null(at(&c, g->attrs, "ReadErrors.get-public-access-block"));

	/* account singletons */
	g = find(&c, "AWS::S3::AccountPublicAccessBlock", NULL);
	assert_non_null(g);
	assert_null(g->read_error);
	assert_non_null(
	    at(&c, g->attrs, "NotConfigured.PublicAccessBlockConfiguration"));
	g = find(&c, "AWS::IAM::PasswordPolicy", NULL);
	assert_non_null(g);
	assert_null(g->read_error);
	assert_int_equal(at(&c, g->attrs, "PasswordPolicy")->type, DOC_NULL);
	assert_string_equal(
	    at_str(&c, g->attrs, "NotConfigured.PasswordPolicy"),
	    "NoSuchEntity");
	g = find(&c, "AWS::IAM::AccountSummary", NULL);
	assert_int_equal(
	    at(&c, g->attrs, "SummaryMap.AccountMFAEnabled")->u.i, 1);
	assert_non_null(at(&c, g->attrs, "VirtualMFADevices[0].SerialNumber"));
	g = find(&c, "AWS::SecurityHub::Hub", NULL);
	assert_non_null(g);
	assert_string_equal(g->region, "us-east-1");
	assert_null(g->read_error);
	assert_string_equal(at_str(&c, g->attrs, "NotConfigured.HubArn"),
	    "InvalidAccessException");
	g = find(&c, "AWS::EC2::EBSEncryptionByDefault", NULL);
	assert_false(at(&c, g->attrs, "EbsEncryptionByDefault")->u.b);
	g = find(&c, "AWS::Config::ConfigurationRecorder", NULL);
	assert_false(at(&c, g->attrs,
	    "ConfigurationRecorders[0].recordingGroup."
	    "includeGlobalResourceTypes")
			 ->u.b);
	assert_true(
	    at(&c, g->attrs, "ConfigurationRecordersStatus[0].recording")->u.b);
	g = find(&c, "AWS::GuardDuty::Detector", NULL);
	assert_string_equal(
	    at_str(&c, g->attrs, "Detectors[0].Status"), "ENABLED");

	/* credential report: root + 20 users; users joined */
	g = find(&c, "AWS::IAM::CredentialReport", NULL);
	assert_non_null(g);
	assert_int_equal(at(&c, g->attrs, "Users")->u.seq.n, 21);
	assert_string_equal(
	    at_str(&c, g->attrs, "Users[0].user"), "<root_account>");
	assert_string_equal(
	    at_str(&c, g->attrs, "Users[1].mfa_active"), "false");
	assert_null(find(&c, "AWS::IAM::User", "<root_account>"));
	g = find(&c, "AWS::IAM::User", "andrew");
	assert_non_null(g);
	assert_string_equal(
	    at_str(&c, g->attrs, "CredentialReport.password_enabled"), "true");
	assert_string_equal(
	    at_str(&c, g->attrs, "AccessKeyMetadata[0].Status"), "Active");
	g = find(&c, "AWS::IAM::User", "george");
	assert_non_null(g);
	assert_string_equal(at_str(&c, g->attrs, "PasswordLastUsed"),
	    "2016-07-19T17:50:23+00:00");

	/*
	 * IAM policy: URL-encoded document decoded and parsed; without
	 * list-policies.json each policy is named by its file, never by its
	 * version id, which every policy's first version shares.
	 */
	assert_int_equal(count(&c, "AWS::IAM::Policy"), 2);
	assert_null(find(&c, "AWS::IAM::Policy", "v1"));
	g = find(&c, "AWS::IAM::Policy", "allow-all");
	assert_non_null(g);
	assert_string_equal(
	    at_str(&c, g->attrs, "PolicyVersion.Document.Statement[0].Action"),
	    "*");
	assert_string_equal(
	    at_str(&c, g->attrs, "PolicyVersion.VersionId"), "v1");
	assert_non_null(find(&c, "AWS::IAM::Policy", "ops-admin"));

	/* regional lists */
	assert_int_equal(count(&c, "AWS::EC2::SecurityGroup"), 19);
	g = find(&c, "AWS::EC2::SecurityGroup", NULL);
	assert_string_equal(g->region, "us-east-1");
	assert_int_equal(count(&c, "AWS::EC2::NetworkAcl"), 1);
	assert_int_equal(count(&c, "AWS::EC2::Volume"), 3);
	g = find(&c, "AWS::EC2::Volume", "vol-37e189b7");
	assert_non_null(g);
	assert_false(at(&c, g->attrs, "Encrypted")->u.b);
	assert_int_equal(count(&c, "AWS::EC2::Instance"), 3);
	assert_int_equal(count(&c, "AWS::RDS::DBInstance"), 2);
	assert_int_equal(count(&c, "AWS::Logs::LogGroup"), 1);
	g = find(&c, "AWS::EC2::VPC", "vpc-0d2f08cdd14782e56");
	assert_non_null(g);
	assert_non_null(at(&c, g->attrs, "FlowLogs"));
	g = find(&c, "AWS::KMS::Key", "ffb1402c-040a-4b1f-b1e5-9918a0238aa7");
	assert_non_null(g);
	assert_true(at(&c, g->attrs, "KeyRotationEnabled")->u.b);
	assert_string_equal(
	    at_str(&c, g->attrs, "KeyMetadata.KeyManager"), "CUSTOMER");
	g = find(&c, "AWS::CloudTrail::Trail", "skunk-trails");
	assert_non_null(g);
	assert_false(at(&c, g->attrs, "Status.IsLogging")->u.b);
	assert_true(at(&c, g->attrs, "IsMultiRegionTrail")->u.b);
	assert_null(at(&c, g->attrs, "EventSelectors"));
	g = find(&c, "AWS::ACM::Certificate", NULL);
	assert_non_null(g);
	assert_non_null(strstr(g->id, "arn:aws:acm:"));
	g = find(&c, "AWS::ElasticLoadBalancingV2::LoadBalancer", NULL);
	assert_non_null(g);
	assert_int_equal(at(&c, g->attrs, "Listeners")->u.seq.n, 1);
	assert_string_equal(
	    at_str(&c, g->attrs, "Listeners[0].Protocol"), "HTTP");
	/* classic load balancers, with their SSL negotiation policies */
	assert_int_equal(
	    count(&c, "AWS::ElasticLoadBalancing::LoadBalancer"), 3);
	g = find(&c, "AWS::ElasticLoadBalancing::LoadBalancer",
	    "test-elb-valid-policy");
	assert_non_null(g);
	assert_string_equal(g->region, "us-east-1");
	assert_int_equal(at(&c, g->attrs, "PolicyDescriptions")->u.seq.n, 2);
	assert_string_equal(at_str(&c, g->attrs,
				"ListenerDescriptions[0].SslNegotiationPolicy."
				"PolicyName"),
	    "ELBSecurityPolicy-2015-05");
	assert_string_equal(at_str(&c, g->attrs,
				"ListenerDescriptions[0].SslNegotiationPolicy."
				"Attributes[\"Protocol-TLSv1\"]"),
	    "true");
	assert_string_equal(at_str(&c, g->attrs,
				"ListenerDescriptions[0].SslNegotiationPolicy."
				"Attributes[\"Reference-Security-Policy\"]"),
	    "ELBSecurityPolicy-2015-05");
	/* no policies file: no policy, and nothing invented */
	g = find(&c, "AWS::ElasticLoadBalancing::LoadBalancer",
	    "test-elb-invalid-policy");
	assert_null(at(&c, g->attrs, "PolicyDescriptions"));
	assert_null(
	    at(&c, g->attrs, "ListenerDescriptions[0].SslNegotiationPolicy"));
	arena_free(c.a);
	rm_rf(dir);
	diag_free(&d);
}

/*
 * Load balancers in placebo recordings: classic ELB and elbv2 share the
 * file names elasticloadbalancing.DescribeLoadBalancers_N.json, and
 * elbv2 listeners are recorded per balancer in any order.
 */
static void
test_placebo_load_balancers(void **state)
{
	static const char lbs[] =
	    "{\"status_code\": 200, \"data\": {\"LoadBalancers\": ["
	    "{\"LoadBalancerArn\": \"arn:lb/a\", \"LoadBalancerName\": \"a\"},"
	    "{\"LoadBalancerArn\": \"arn:lb/b\", \"LoadBalancerName\": "
	    "\"b\"}]}}\n";
	/* b's listeners recorded first */
	static const char l1[] =
	    "{\"status_code\": 200, \"data\": {\"Listeners\": ["
	    "{\"LoadBalancerArn\": \"arn:lb/b\", \"Protocol\": \"HTTP\", "
	    "\"Port\": 80}]}}\n";
	static const char l2[] =
	    "{\"status_code\": 200, \"data\": {\"Listeners\": ["
	    "{\"LoadBalancerArn\": \"arn:lb/a\", \"Protocol\": \"HTTPS\", "
	    "\"Port\": 443, \"SslPolicy\": "
	    "\"ELBSecurityPolicy-TLS13-1-2-2021-06\"}]}}\n";
	const char *dir;
	const struct resource *g;
	struct coll c;
	struct diag d;
	char p[512];

	(void)state;
	NEED_SHARED();
	diag_init(&d);
	assert_int_equal(
	    read_with(&c, &d, NULL, shared_path(PLACEBO "test_ssl_ciphers")),
	    0);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(
	    count(&c, "AWS::ElasticLoadBalancing::LoadBalancer"), 3);
	assert_int_equal(
	    count(&c, "AWS::ElasticLoadBalancingV2::LoadBalancer"), 0);
	g = find(&c, "AWS::ElasticLoadBalancing::LoadBalancer",
	    "test-elb-valid-policy");
	assert_string_equal(at_str(&c, g->attrs,
				"ListenerDescriptions[0].SslNegotiationPolicy."
				"Attributes[\"Protocol-TLSv1.1\"]"),
	    "true");
	arena_free(c.a);

	assert_int_equal(
	    read_with(&c, &d, NULL,
		shared_path(PLACEBO "test_appelb_listener_rules_filter")),
	    0);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(
	    count(&c, "AWS::ElasticLoadBalancing::LoadBalancer"), 0);
	g = find(&c, "AWS::ElasticLoadBalancingV2::LoadBalancer", NULL);
	assert_non_null(g);
	assert_int_equal(at(&c, g->attrs, "Listeners")->u.seq.n, 1);
	assert_string_equal(
	    at_str(&c, g->attrs, "Listeners[0].Protocol"), "HTTP");
	arena_free(c.a);

	/* listeners joined on LoadBalancerArn, not by recording order */
	dir = new_tmpdir("plb");
	snprintf(p, sizeof(p),
	    "%s/elasticloadbalancing.DescribeLoadBalancers_1.json", dir);
	write_file(p, lbs, sizeof(lbs) - 1);
	snprintf(p, sizeof(p),
	    "%s/elasticloadbalancing.DescribeListeners_1.json", dir);
	write_file(p, l1, sizeof(l1) - 1);
	snprintf(p, sizeof(p),
	    "%s/elasticloadbalancing.DescribeListeners_2.json", dir);
	write_file(p, l2, sizeof(l2) - 1);
	assert_int_equal(read_with(&c, &d, NULL, dir), 0);
	assert_int_equal(
	    count(&c, "AWS::ElasticLoadBalancingV2::LoadBalancer"), 2);
	g = find(&c, "AWS::ElasticLoadBalancingV2::LoadBalancer", "arn:lb/a");
	assert_int_equal(at(&c, g->attrs, "Listeners")->u.seq.n, 1);
	assert_string_equal(
	    at_str(&c, g->attrs, "Listeners[0].Protocol"), "HTTPS");
	g = find(&c, "AWS::ElasticLoadBalancingV2::LoadBalancer", "arn:lb/b");
	assert_int_equal(at(&c, g->attrs, "Listeners")->u.seq.n, 1);
	assert_string_equal(
	    at_str(&c, g->attrs, "Listeners[0].Protocol"), "HTTP");
	arena_free(c.a);
	rm_rf(dir);
	diag_free(&d);
}

/* The placebo layout itself: per-resource recordings in list order. */
static void
test_placebo_directory(void **state)
{
	struct coll c;
	struct diag d;
	const struct resource *g;

	(void)state;
	NEED_SHARED();
	diag_init(&d);
	assert_int_equal(read_with(&c, &d, NULL,
			     shared_path(PLACEBO "test_s3_encryption_audit")),
	    0);
	assert_int_equal(c.n, 3);
	g = find(&c, "AWS::S3::Bucket", "c7n-aws-s3-encryption-audit-test-b");
	assert_string_equal(
	    at_str(&c, g->attrs,
		"ServerSideEncryptionConfiguration.Rules[0]."
		"ApplyServerSideEncryptionByDefault.SSEAlgorithm"),
	    "AES256");
	g = find(&c, "AWS::S3::Bucket", "c7n-aws-s3-encryption-audit-test-c");
	assert_non_null(at(
	    &c, g->attrs, "NotConfigured.ServerSideEncryptionConfiguration"));
	arena_free(c.a);

	/* a list call that failed: one unreadable placeholder */
	assert_int_equal(
	    read_with(&c, &d, NULL, shared_path(PLACEBO "test_key_rotation")),
	    0);
	g = find(&c, "AWS::KMS::Key", NULL);
	assert_non_null(g);
	assert_true(at(&c, g->attrs, "KeyRotationEnabled")->u.b);
	arena_free(c.a);
	assert_int_equal(
	    read_with(&c, &d, NULL,
		shared_path(PLACEBO "test_account_credential_report")),
	    0);
	assert_int_equal(count(&c, "AWS::IAM::CredentialReport"), 1);
	assert_int_equal(count(&c, "AWS::IAM::User"), 20);
	arena_free(c.a);

	/* a policy version without a listing: named by its recording */
	assert_int_equal(read_with(&c, &d, NULL,
			     shared_path(PLACEBO "test_iam_policy_allow_all")),
	    0);
	assert_int_equal(count(&c, "AWS::IAM::Policy"), 1);
	assert_non_null(find(&c, "AWS::IAM::Policy", "iam.GetPolicyVersion_1"));
	arena_free(c.a);

	/* ListMFADevices_3 is the third listed user's (placebo order) */
	assert_int_equal(
	    read_with(&c, &d, NULL, shared_path(PLACEBO "test_iam_mfa_filter")),
	    0);
	assert_int_equal(count(&c, "AWS::IAM::User"), 3);
	g = find(&c, "AWS::IAM::User", "mandeep");
	assert_string_equal(
	    at_str(&c, g->attrs, "MFADevices[0].UserName"), "mandeep");
	g = find(&c, "AWS::IAM::User", "george");
	assert_null(at(&c, g->attrs, "MFADevices"));
	arena_free(c.a);
	diag_free(&d);
}

static void
test_cli_access_denied_listing(void **state)
{
	static const char denied[] =
	    "{\"Error\": {\"Code\": \"AccessDenied\", \"Message\": \"User is "
	    "not authorized\"}}\n";
	const char *dir = new_tmpdir("deny");
	char p[512];
	struct coll c;
	struct diag d;

	(void)state;
	diag_init(&d);
	snprintf(p, sizeof(p), "%s/ec2/describe-security-groups.json", dir);
	write_file(p, denied, sizeof(denied) - 1);
	snprintf(p, sizeof(p), "%s/iam/get-account-password-policy.json", dir);
	write_file(p, denied, sizeof(denied) - 1);
	assert_int_equal(read_with(&c, &d, "aws-cli", dir), 0);
	/* The singleton is an unreadable resource and an error marker. */
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].type, "AWS::IAM::PasswordPolicy");
	assert_non_null(strstr(c.v[0].read_error, "AccessDenied"));
	assert_non_null(strstr(
	    marker_find("AWS::IAM::PasswordPolicy", NULL, MK_ERROR)->read_error,
	    "AccessDenied"));
	/* The denied listing: an error marker, no resource, no clean one. */
	assert_non_null(strstr(
	    marker_find("AWS::EC2::SecurityGroup", NULL, MK_ERROR)->read_error,
	    "AccessDenied"));
	assert_null(marker_find("AWS::EC2::SecurityGroup", NULL, MK_CLEAN));
	assert_int_equal(nmarkers, 2);
	arena_free(c.a);
	rm_rf(dir);
	diag_free(&d);
}

static void
test_cli_malformed(void **state)
{
	const char *dir;
	struct coll c;
	struct diag d;

	(void)state;
	NEED_SHARED();
	diag_init(&d);
	dir = new_tmpdir("bad");
	put(dir, "ec2/describe-security-groups.json",
	    "awscli-examples/extracted-json/ec2/"
	    "describe-security-groups.output1.json");
	assert_int_equal(read_with(&c, &d, "aws-cli", dir), -1);
	assert_diag_has(&d, "describe-security-groups.json:");
	assert_true(d.nerrors > 0);
	{
		char buf[1024];

		diag_format(&d, 0, buf, sizeof(buf));
		/* file:line:col */
		assert_non_null(strstr(buf, ".json:"));
		assert_true(d.v[0].line > 0 && d.v[0].col > 0);
	}
	arena_free(c.a);
	rm_rf(dir);
	diag_free(&d);
}

static void
test_cli_examples(void **state)
{
	const char *dir;
	struct coll c;
	struct diag d;
	const struct resource *g;

	(void)state;
	NEED_SHARED();
	diag_init(&d);
	dir = new_tmpdir("ex");
#define EX "awscli-examples/extracted-json/"
	put(dir, "iam/get-account-password-policy.json",
	    EX "iam/get-account-password-policy.output1.json");
	put(dir, "us-west-2/cloudtrail/describe-trails.json",
	    EX "cloudtrail/describe-trails.output1.json");
	put(dir, "us-west-2/ec2/get-ebs-encryption-by-default.json",
	    EX "ec2/get-ebs-encryption-by-default.output1.json");
	put(dir, "sts/get-caller-identity.json",
	    EX "ec2/get-ebs-encryption-by-default.output2.json");
	assert_int_equal(read_with(&c, &d, NULL, dir), 0);
	g = find(&c, "AWS::IAM::PasswordPolicy", NULL);
	assert_non_null(g);
	assert_int_equal(
	    at(&c, g->attrs, "PasswordPolicy.MinimumPasswordLength")->u.i, 8);
	assert_true(count(&c, "AWS::CloudTrail::Trail") >= 1);
	g = find(&c, "AWS::CloudTrail::Trail", NULL);
	assert_string_equal(g->region, "us-west-2");
	arena_free(c.a);
	rm_rf(dir);
	diag_free(&d);
}

/* -------------------------------------- aws-cli: evidence never lost */

#define EXAMPLE "examples/aws-export"

/* A fresh copy of the example export (real recordings) in a temp dir. */
static const char *
fresh_example(void)
{
	const char *dir = new_tmpdir("mut");
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cp -r %s/. '%s'", EXAMPLE, dir);
	assert_int_equal(system(cmd), 0);
	return dir;
}

/*
 * Whether the evidence of type is reported as not whole: an error
 * marker, or resources of the type that all carry a read error.
 */
static int
type_errors(const struct coll *c, const char *type, const char *region)
{
	size_t i, n = 0, bad = 0;

	if (marker_find(type, region, MK_ERROR) != NULL)
		return 1;
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].type, type) != 0)
			continue;
		n++;
		bad += c->v[i].read_error != NULL;
	}
	return n > 0 && bad == n;
}

/* path's bytes (lib_free them); not inlined, for gcc's pointer checks. */
static __attribute__((noinline)) char *
slurp(const char *path, size_t *len)
{
	struct diag d;
	char *buf = NULL;
	int rc;

	diag_init(&d);
	rc = file_read_all(&d, path, 0, &buf, len);
	diag_free(&d);
	assert_int_equal(rc, 0);
	return buf;
}

/* Insert text right after the response object's '{' (placebo: data's). */
static void
insert_field(const char *path, const char *text)
{
	char *buf, *at, *out;
	size_t len, off, tl = strlen(text);

	buf = slurp(path, &len);
	at = strstr(buf, "\"data\"");
	at = strchr(at != NULL ? at : buf, '{');
	assert_non_null(at);
	off = (size_t)(at - buf) + 1;
	out = malloc(len + tl);
	assert_non_null(out);
	memcpy(out, buf, off);
	memcpy(out + off, text, tl);
	memcpy(out + off + tl, buf + off, len - off);
	write_file(path, out, len + tl);
	free(out);
	lib_free(buf);
}

static void
rename_rel(const char *dir, const char *from, const char *to)
{
	char a[1024], b[1024];

	snprintf(a, sizeof(a), "%s/%s", dir, from);
	snprintf(b, sizeof(b), "%s/%s", dir, to);
	assert_int_equal(rename(a, b), 0);
}

/* The listing calls of the example and the type each one lists. */
static const struct {
	const char *file, *type;
} ex_listings[] = {
	{ "cloudtrail/describe-trails.json", "AWS::CloudTrail::Trail" },
	{ "ec2/describe-flow-logs.json", "AWS::EC2::VPC" },
	{ "ec2/describe-instances.json", "AWS::EC2::Instance" },
	{ "ec2/describe-network-acls.json", "AWS::EC2::NetworkAcl" },
	{ "ec2/describe-security-groups.json", "AWS::EC2::SecurityGroup" },
	{ "ec2/describe-volumes.json", "AWS::EC2::Volume" },
	{ "ec2/describe-vpcs.json", "AWS::EC2::VPC" },
	{ "elbv2/describe-listeners.json",
	    "AWS::ElasticLoadBalancingV2::LoadBalancer" },
	{ "elbv2/describe-load-balancers.json",
	    "AWS::ElasticLoadBalancingV2::LoadBalancer" },
	{ "guardduty/list-detectors.json", "AWS::GuardDuty::Detector" },
	{ "iam/list-virtual-mfa-devices.json", "AWS::IAM::AccountSummary" },
	{ "kms/list-keys.json", "AWS::KMS::Key" },
	{ "logs/describe-log-groups.json", "AWS::Logs::LogGroup" },
	{ "rds/describe-db-instances.json", "AWS::RDS::DBInstance" },
	{ "s3api/list-buckets.json", "AWS::S3::Bucket" },
};

enum mutation {
	MUT_NEXT_TOKEN,
	MUT_NEXT_MARKER,
	MUT_TRUNCATED,
	MUT_UPPER_EXT,
	MUT_NO_EXT,
	MUT_CASE,
	MUT_DIR,
	MUT_FIFO,
	MUT_STATUS_STRING,
	MUT_MARKER,
	MUT_TRUNCATED_KMS,
	MUT_CONT_TOKEN,
	MUT_COUNT
};

static const char *const mut_names[] = { "NextToken", "NextMarker",
	"Marker+IsTruncated", ".JSON", "no extension", "changed case",
	"directory", "FIFO", "status_code \"403\"",
	"Marker (RDS: no IsTruncated)", "Truncated (KMS)",
	"ContinuationToken (S3 list-buckets)" };

static void
mutate(const char *dir, const char *rel, enum mutation m)
{
	static const char denied[] =
	    "{\"status_code\": \"403\", \"data\": {\"Error\": {\"Code\": "
	    "\"AccessDenied\", \"Message\": \"no\"}}}\n";
	char path[1024], to[1024], *slash, *buf, *at;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	switch (m) {
	case MUT_NEXT_TOKEN:
		insert_field(path, "\"NextToken\": \"eyJwYWdlIjogMn0=\", ");
		break;
	case MUT_NEXT_MARKER:
		insert_field(path, "\"NextMarker\": \"page-2\", ");
		break;
	case MUT_TRUNCATED:
		buf = slurp(path, &len);
		at = strstr(buf, "\"IsTruncated\": false");
		if (at != NULL) {
			/* the listing's own flag turned, same length */
			memcpy(at + 15, "true ", 5);
			write_file(path, buf, len);
			insert_field(path, "\"Marker\": \"m\", ");
		} else
			insert_field(
			    path, "\"Marker\": \"m\", \"IsTruncated\": true, ");
		lib_free(buf);
		break;
	case MUT_UPPER_EXT:
		snprintf(to, sizeof(to), "%.*sJSON", (int)strlen(rel) - 4, rel);
		rename_rel(dir, rel, to);
		break;
	case MUT_NO_EXT:
		snprintf(to, sizeof(to), "%.*s", (int)strlen(rel) - 5, rel);
		rename_rel(dir, rel, to);
		break;
	case MUT_CASE:
		snprintf(to, sizeof(to), "%s", rel);
		slash = strchr(to, '/');
		slash[1] = (char)(slash[1] - 'a' + 'A');
		rename_rel(dir, rel, to);
		break;
	case MUT_DIR:
		assert_int_equal(unlink(path), 0);
		assert_int_equal(mkdir(path, 0755), 0);
		break;
	case MUT_FIFO:
		assert_int_equal(unlink(path), 0);
		assert_int_equal(mkfifo(path, 0644), 0);
		break;
	case MUT_STATUS_STRING:
		write_file(path, denied, sizeof(denied) - 1);
		break;
	/* Each service's own spelling of "more pages" (review-aws). */
	case MUT_MARKER:
		insert_field(path, "\"Marker\": \"bW9yZQ==\", ");
		break;
	case MUT_TRUNCATED_KMS:
		buf = slurp(path, &len);
		at = strstr(buf, "\"Truncated\": false");
		if (at != NULL) {
			memcpy(at + 13, "true ", 5);
			write_file(path, buf, len);
		} else
			insert_field(path, "\"Truncated\": true, ");
		lib_free(buf);
		break;
	case MUT_CONT_TOKEN:
		insert_field(path, "\"ContinuationToken\": \"dG9rZW4=\", ");
		break;
	case MUT_COUNT:
		break;
	}
}

/* The unmutated example: a clean marker per listing, no error, no warning. */
static void
test_cli_markers_clean(void **state)
{
	static const char *const singletons[] = { "AWS::IAM::PasswordPolicy",
		"AWS::IAM::AccountSummary", "AWS::IAM::CredentialReport",
		"AWS::IAM::User", "AWS::EC2::EBSEncryptionByDefault",
		"AWS::Config::ConfigurationRecorder", "AWS::SecurityHub::Hub",
		"AWS::S3::AccountPublicAccessBlock" };
	const char *dir = fresh_example();
	struct coll c;
	struct diag d;
	size_t i;

	(void)state;
	diag_init(&d);
	assert_int_equal(read_with(&c, &d, "aws-cli", dir), 0);
	assert_int_equal(d.nwarnings, 0);
	for (i = 0; i < nmarkers; i++)
		if (markers[i].read_error != NULL)
			fail_msg("unexpected error marker %s: %s",
			    markers[i].type, markers[i].read_error);
	for (i = 0; i < sizeof(ex_listings) / sizeof(ex_listings[0]); i++)
		assert_non_null(
		    marker_find(ex_listings[i].type, NULL, MK_CLEAN));
	for (i = 0; i < sizeof(singletons) / sizeof(singletons[0]); i++)
		assert_non_null(marker_find(singletons[i], NULL, MK_CLEAN));
	/* No listing of IAM policies: no marker (the engine decides). */
	assert_null(marker_find("AWS::IAM::Policy", NULL, MK_ANY));
	arena_free(c.a);
	rm_rf(dir);
	diag_free(&d);
}

/*
 * The generator: every listing of a real passing export, mutated each
 * way that loses evidence, must report its type as not whole (an error
 * marker or unreadable resources), never silently drop it.
 */
static void
test_cli_mutations(void **state)
{
	const char *dir;
	struct coll c;
	struct diag d;
	size_t i, m;

	(void)state;
	for (i = 0; i < sizeof(ex_listings) / sizeof(ex_listings[0]); i++)
		for (m = 0; m < MUT_COUNT; m++) {
			dir = fresh_example();
			mutate(dir, ex_listings[i].file, (enum mutation)m);
			diag_init(&d);
			assert_int_equal(read_with(&c, &d, "aws-cli", dir), 0);
			if (!type_errors(&c, ex_listings[i].type, NULL))
				fail_msg("%s with %s: %s not reported as "
					 "incomplete",
				    ex_listings[i].file, mut_names[m],
				    ex_listings[i].type);
			arena_free(c.a);
			diag_free(&d);
			rm_rf(dir);
		}
}

/* Region files, folder case, per-resource files, region folders. */
static void
test_cli_layout_mutations(void **state)
{
	static const struct {
		const char *file, *type;
	} region_files[] = {
		{ "configservice/describe-configuration-recorders.json",
		    "AWS::Config::ConfigurationRecorder" },
		{ "ec2/get-ebs-encryption-by-default.json",
		    "AWS::EC2::EBSEncryptionByDefault" },
		{ "guardduty/list-detectors.json", "AWS::GuardDuty::Detector" },
	};
	static const struct {
		const char *svc, *up, *type;
	} services[] = {
		{ "acm", "ACM", "AWS::ACM::Certificate" },
		{ "cloudtrail", "CloudTrail", "AWS::CloudTrail::Trail" },
		{ "configservice", "ConfigService",
		    "AWS::Config::ConfigurationRecorder" },
		{ "ec2", "EC2", "AWS::EC2::SecurityGroup" },
		{ "elbv2", "ELBv2",
		    "AWS::ElasticLoadBalancingV2::LoadBalancer" },
		{ "guardduty", "GuardDuty", "AWS::GuardDuty::Detector" },
		{ "iam", "IAM", "AWS::IAM::PasswordPolicy" },
		{ "kms", "KMS", "AWS::KMS::Key" },
		{ "logs", "Logs", "AWS::Logs::LogGroup" },
		{ "rds", "RDS", "AWS::RDS::DBInstance" },
		{ "s3api", "S3API", "AWS::S3::Bucket" },
		{ "s3control", "S3Control",
		    "AWS::S3::AccountPublicAccessBlock" },
		{ "securityhub", "SecurityHub", "AWS::SecurityHub::Hub" },
	};
	static const struct {
		const char *from, *to, *type;
	} per_resource[] = {
		{ "kms/describe-key/ffb1402c-040a-4b1f-b1e5-9918a0238aa7.json",
		    "kms/describe-key/not-listed.json", "AWS::KMS::Key" },
		{ "cloudtrail/get-trail-status/skunk-trails.json",
		    "cloudtrail/get-trail-status/other-trail.json",
		    "AWS::CloudTrail::Trail" },
		{ "guardduty/get-detector/"
		  "06b01209ca77b0865dd973df0355fc1e.json",
		    "guardduty/get-detector/0000.json",
		    "AWS::GuardDuty::Detector" },
		{ "s3api/get-bucket-encryption/"
		  "c7n-aws-s3-encryption-audit-test-c.json",
		    "s3api/get-bucket-encryption/other-bucket.json",
		    "AWS::S3::Bucket" },
		/* the file of a listed bucket, in another case */
		{ "s3api/get-bucket-encryption/"
		  "c7n-aws-s3-encryption-audit-test-c.json",
		    "s3api/get-bucket-encryption/"
		    "c7n-aws-s3-encryption-audit-test-c.JSON",
		    "AWS::S3::Bucket" },
		/* a per-resource folder where a file is expected */
		{ "kms/list-keys.json", "kms/list-keys/x.json",
		    "AWS::KMS::Key" },
	};
	const struct marker *mk;
	const char *dir;
	char p[1024], q[1024];
	struct coll c;
	struct diag d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(region_files) / sizeof(region_files[0]); i++) {
		dir = fresh_example();
		snprintf(p, sizeof(p), "%s/%s", dir, region_files[i].file);
		assert_int_equal(unlink(p), 0);
		diag_init(&d);
		assert_int_equal(read_with(&c, &d, "aws-cli", dir), 0);
		mk = marker_find(region_files[i].type, NULL, MK_ERROR);
		if (mk == NULL)
			fail_msg("%s deleted: no error marker",
			    region_files[i].file);
		assert_non_null(strstr(mk->read_error, "missing region file"));
		arena_free(c.a);
		diag_free(&d);
		rm_rf(dir);
	}
	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		dir = fresh_example();
		rename_rel(dir, services[i].svc, services[i].up);
		diag_init(&d);
		assert_int_equal(read_with(&c, &d, "aws-cli", dir), 0);
		if (marker_find(services[i].type, NULL, MK_ERROR) == NULL)
			fail_msg("'%s/' not reported", services[i].up);
		arena_free(c.a);
		diag_free(&d);
		rm_rf(dir);
	}
	for (i = 0; i < sizeof(per_resource) / sizeof(per_resource[0]); i++) {
		dir = fresh_example();
		snprintf(p, sizeof(p), "%s/%s", dir, per_resource[i].to);
		snprintf(q, sizeof(q), "%s/%s", dir, per_resource[i].from);
		{
			char *buf;
			size_t len;

			buf = slurp(q, &len);
			write_file(p, buf, len);
			lib_free(buf);
		}
		if (strstr(per_resource[i].to, ".JSON") != NULL)
			assert_int_equal(unlink(q), 0);
		diag_init(&d);
		assert_int_equal(read_with(&c, &d, "aws-cli", dir), 0);
		if (!type_errors(&c, per_resource[i].type, NULL))
			fail_msg("'%s' not reported", per_resource[i].to);
		arena_free(c.a);
		diag_free(&d);
		rm_rf(dir);
	}

	/* A region holding volumes without its region files: error there. */
	dir = fresh_example();
	snprintf(p, sizeof(p), "%s/us-west-2/ec2", dir);
	mkdirs(p);
	rename_rel(dir, "ec2/describe-volumes.json",
	    "us-west-2/ec2/describe-volumes.json");
	/* an unknown region-ish folder hiding a listing */
	snprintf(p, sizeof(p), "%s/useast1/rds", dir);
	mkdirs(p);
	rename_rel(dir, "rds/describe-db-instances.json",
	    "useast1/rds/describe-db-instances.json");
	/* an account-wide service under a region folder */
	snprintf(p, sizeof(p), "%s/us-west-2/iam", dir);
	mkdirs(p);
	rename_rel(dir, "iam/get-account-password-policy.json",
	    "us-west-2/iam/get-account-password-policy.json");
	/* junk that holds no evidence: warnings */
	snprintf(p, sizeof(p), "%s/notes", dir);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/ec2/describe-subnets", dir);
	write_file(p, "{}", 2);
	snprintf(p, sizeof(p), "%s/s3api/get-bucket-encryption/.DS_Store", dir);
	write_file(p, "\0\0\0\1Bud1", 8);
	diag_init(&d);
	assert_int_equal(read_with(&c, &d, "aws-cli", dir), 0);
	assert_non_null(marker_find("AWS::EC2::Volume", "us-west-2", MK_CLEAN));
	assert_true(count(&c, "AWS::EC2::Volume") > 0);
	mk = marker_find(
	    "AWS::EC2::EBSEncryptionByDefault", "us-west-2", MK_ERROR);
	assert_non_null(mk);
	assert_non_null(strstr(mk->read_error, "us-west-2"));
	assert_non_null(
	    marker_find("AWS::GuardDuty::Detector", "us-west-2", MK_ERROR));
	assert_non_null(marker_find(
	    "AWS::Config::ConfigurationRecorder", "us-west-2", MK_ERROR));
	assert_non_null(marker_find("AWS::RDS::DBInstance", NULL, MK_ERROR));
	assert_non_null(
	    marker_find("AWS::IAM::PasswordPolicy", "us-west-2", MK_ERROR));
	assert_true(d.nwarnings >= 3);
	assert_diag_has(&d, "notes");
	assert_diag_has(&d, "describe-subnets");
	assert_diag_has(&d, ".DS_Store");
	/* a hidden file is no bucket's evidence: a warning, no error */
	assert_null(marker_find("AWS::S3::Bucket", NULL, MK_ERROR));
	arena_free(c.a);
	diag_free(&d);
	rm_rf(dir);
}

/* Config recorder status joined by name. */
static void
test_cli_recorder_status(void **state)
{
	const char *dir = fresh_example();
	const struct resource *g;
	char p[1024], *buf, *at;
	struct coll c;
	struct diag d;
	size_t len;

	(void)state;
	diag_init(&d);
	assert_int_equal(read_with(&c, &d, "aws-cli", dir), 0);
	g = find(&c, "AWS::Config::ConfigurationRecorder", NULL);
	assert_non_null(g);
	assert_null(g->read_error);
	arena_free(c.a);
	/* the status of another recorder */
	snprintf(p, sizeof(p),
	    "%s/configservice/describe-configuration-recorder-status.json",
	    dir);
	buf = slurp(p, &len);
	at = strstr(buf, "\"name\": \"");
	assert_non_null(at);
	at[9] = 'X';
	write_file(p, buf, len);
	lib_free(buf);
	assert_int_equal(read_with(&c, &d, "aws-cli", dir), 0);
	g = find(&c, "AWS::Config::ConfigurationRecorder", NULL);
	assert_non_null(g->read_error);
	assert_non_null(strstr(g->read_error, "has no status"));
	arena_free(c.a);
	/* no status file at all */
	assert_int_equal(unlink(p), 0);
	assert_int_equal(read_with(&c, &d, "aws-cli", dir), 0);
	g = find(&c, "AWS::Config::ConfigurationRecorder", NULL);
	assert_non_null(g->read_error);
	arena_free(c.a);
	rm_rf(dir);
	diag_free(&d);
}

/* The credential report: base64 with line breaks, broken reports. */
static void
test_cli_credential_report(void **state)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *dir = new_tmpdir("cred");
	char p[1024], *out;
	const char *csv;
	const struct resource *g;
	struct coll c;
	struct diag d;
	size_t i, o, n, k;
	unsigned v;
	static const char *const reports[] = {
		/* 0: good */
		"user,arn,password_enabled\n<root_account>,arn:r,not_"
		"supported\n"
		"alice,arn:a,true\n",
		/* 1: no root row */
		"user,arn,password_enabled\nalice,arn:a,true\n",
		/* 2: rows merged (a line ending lost) */
		"user,arn,password_enabled\n<root_account>,arn:r,not_supported"
		"alice,arn:a,true\n",
		/* 3: CR line endings are line endings */
		"user,arn,password_enabled\r<root_account>,arn:r,not_"
		"supported\r"
		"alice,arn:a,true\r",
	};
	static const int ok[] = { 1, 0, 0, 1 };

	(void)state;
	diag_init(&d);
	snprintf(p, sizeof(p), "%s/iam/get-credential-report.json", dir);
	for (k = 0; k < sizeof(reports) / sizeof(reports[0]); k++) {
		csv = reports[k];
		n = strlen(csv);
		out = malloc(n * 2 + 200);
		assert_non_null(out);
		o = (size_t)snprintf(out, 200, "{\"Content\": \"");
		/* base64, a "\n" escape every 16 characters */
		for (i = 0; i < n; i += 3) {
			v = (unsigned)(unsigned char)csv[i] << 16;
			if (i + 1 < n)
				v |= (unsigned)(unsigned char)csv[i + 1] << 8;
			if (i + 2 < n)
				v |= (unsigned char)csv[i + 2];
			out[o++] = b64[v >> 18 & 63];
			out[o++] = b64[v >> 12 & 63];
			out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
			out[o++] = i + 2 < n ? b64[v & 63] : '=';
			if ((i / 3) % 4 == 3) {
				out[o++] = '\\';
				out[o++] = 'n';
			}
		}
		o += (size_t)snprintf(out + o, 200,
		    "\", \"ReportFormat\": "
		    "\"text/csv\"}\n");
		write_file(p, out, o);
		free(out);
		assert_int_equal(read_with(&c, &d, "aws-cli", dir), 0);
		g = find(&c, "AWS::IAM::CredentialReport", NULL);
		assert_non_null(g);
		if (ok[k]) {
			if (g->read_error != NULL)
				fail_msg("report %zu: %s", k, g->read_error);
			assert_non_null(find(&c, "AWS::IAM::User", "alice"));
			assert_non_null(
			    marker_find("AWS::IAM::User", NULL, MK_CLEAN));
		} else {
			assert_non_null(g->read_error);
			assert_non_null(
			    marker_find("AWS::IAM::User", NULL, MK_ERROR));
		}
		arena_free(c.a);
	}
	/* not base64: the byte is named */
	write_str(p, "{\"Content\": \"QUJD*REVG\"}");
	assert_int_equal(read_with(&c, &d, "aws-cli", dir), 0);
	g = find(&c, "AWS::IAM::CredentialReport", NULL);
	assert_non_null(strstr(g->read_error, "byte 4"));
	arena_free(c.a);
	rm_rf(dir);
	diag_free(&d);
}

/* Placebo pages: every page joined; a gap, an open token, an error. */
static void
test_placebo_pages(void **state)
{
	const char *dir;
	char p[1024];
	struct coll c;
	struct diag d;
	size_t n1, n2;
	const struct marker *mk;

	(void)state;
	NEED_SHARED();
	diag_init(&d);
	/* the real recording whose page 1 is missing */
	assert_int_equal(
	    read_with(&c, &d, NULL,
		shared_path(PLACEBO "test_security_group_self_reference")),
	    0);
	mk = marker_find("AWS::EC2::SecurityGroup", NULL, MK_ERROR);
	assert_non_null(mk);
	assert_non_null(strstr(mk->read_error, "recording 1 of 2 is missing"));
	n2 = count(&c, "AWS::EC2::SecurityGroup");
	assert_true(n2 > 0);
	arena_free(c.a);

	dir = new_tmpdir("pages");
	put(dir, "ec2.DescribeSecurityGroups_1.json",
	    PLACEBO "test_only_ports_and_cidr_ingress/"
		    "ec2.DescribeSecurityGroups_1.json");
	assert_int_equal(read_with(&c, &d, NULL, dir), 0);
	assert_non_null(marker_find("AWS::EC2::SecurityGroup", NULL, MK_CLEAN));
	n1 = count(&c, "AWS::EC2::SecurityGroup");
	arena_free(c.a);
	/* page 1 says more follow, page 2 is there: one whole listing */
	snprintf(p, sizeof(p), "%s/ec2.DescribeSecurityGroups_1.json", dir);
	insert_field(p, "\"NextToken\": \"t2\", ");
	put(dir, "ec2.DescribeSecurityGroups_2.json",
	    PLACEBO "test_security_group_self_reference/"
		    "ec2.DescribeSecurityGroups_2.json");
	assert_int_equal(read_with(&c, &d, NULL, dir), 0);
	assert_non_null(marker_find("AWS::EC2::SecurityGroup", NULL, MK_CLEAN));
	assert_null(marker_find("AWS::EC2::SecurityGroup", NULL, MK_ERROR));
	assert_int_equal(count(&c, "AWS::EC2::SecurityGroup"), n1 + n2);
	arena_free(c.a);
	/* page 2 dropped: page 1's token is left open */
	rename_rel(dir, "ec2.DescribeSecurityGroups_2.json",
	    "ec2.DescribeSecurityGroups_3.json");
	assert_int_equal(read_with(&c, &d, NULL, dir), 0);
	mk = marker_find("AWS::EC2::SecurityGroup", NULL, MK_ERROR);
	assert_non_null(mk);
	assert_non_null(strstr(mk->read_error, "recording 2 of 3"));
	arena_free(c.a);
	snprintf(p, sizeof(p), "%s/ec2.DescribeSecurityGroups_3.json", dir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(read_with(&c, &d, NULL, dir), 0);
	mk = marker_find("AWS::EC2::SecurityGroup", NULL, MK_ERROR);
	assert_non_null(mk);
	assert_non_null(strstr(mk->read_error, "NextToken"));
	arena_free(c.a);
	/* an error response on a later page, status_code as a string */
	snprintf(p, sizeof(p), "%s/ec2.DescribeSecurityGroups_2.json", dir);
	write_str(p,
	    "{\"status_code\": \"503\", \"data\": {\"Error\": {\"Code\": "
	    "\"Throttling\", \"Message\": \"Rate exceeded\"}}}");
	assert_int_equal(read_with(&c, &d, NULL, dir), 0);
	mk = marker_find("AWS::EC2::SecurityGroup", NULL, MK_ERROR);
	assert_non_null(mk);
	assert_non_null(strstr(mk->read_error, "Throttling"));
	arena_free(c.a);
	/* a status that is no status */
	write_str(p, "{\"status_code\": \"OK\", \"data\": {}}");
	assert_int_equal(read_with(&c, &d, NULL, dir), 0);
	mk = marker_find("AWS::EC2::SecurityGroup", NULL, MK_ERROR);
	assert_non_null(mk);
	assert_non_null(strstr(mk->read_error, "status_code"));
	arena_free(c.a);
	/* a recording name in another case is reported, not skipped */
	assert_int_equal(unlink(p), 0);
	snprintf(p, sizeof(p), "%s/ec2.DescribeSecurityGroups_1.json", dir);
	{
		char *buf;
		size_t len;

		buf = slurp(p, &len);
		assert_int_equal(unlink(p), 0);
		snprintf(
		    p, sizeof(p), "%s/ec2.DescribeSecurityGroups_1.JSON", dir);
		write_file(p, buf, len);
		lib_free(buf);
	}
	put(dir, "ec2.DescribeVpcs_1.json",
	    PLACEBO "test_vpc_flow_logs/ec2.DescribeVpcs_1.json");
	assert_int_equal(read_with(&c, &d, NULL, dir), 0);
	assert_non_null(marker_find("AWS::EC2::SecurityGroup", NULL, MK_ERROR));
	arena_free(c.a);
	rm_rf(dir);

	/* a per-resource recording dropped: that bucket's evidence */
	dir = new_tmpdir("drop");
	put(dir, "s3.ListBuckets_1.json",
	    PLACEBO "test_s3_encryption_audit/s3.ListBuckets_1.json");
	put(dir, "s3.GetBucketEncryption_1.json",
	    PLACEBO "test_s3_encryption_audit/s3.GetBucketEncryption_1.json");
	put(dir, "s3.GetBucketEncryption_3.json",
	    PLACEBO "test_s3_encryption_audit/s3.GetBucketEncryption_3.json");
	assert_int_equal(read_with(&c, &d, NULL, dir), 0);
	assert_null(
	    find(&c, "AWS::S3::Bucket", "c7n-aws-s3-encryption-audit-test-a")
		->unreadable);
	assert_non_null(
	    find(&c, "AWS::S3::Bucket", "c7n-aws-s3-encryption-audit-test-b")
		->unreadable);
	arena_free(c.a);
	rm_rf(dir);
	diag_free(&d);
}

static void
test_detect_unknown(void **state)
{
	const char *dir = new_tmpdir("unk");
	char p[512];
	struct diag d;

	(void)state;
	diag_init(&d);
	snprintf(p, sizeof(p), "%s/thing.json", dir);
	write_file(p, "{\"hello\": 1}\n", 13);
	assert_null(adapter_detect(&d, p));
	assert_diag_has(&d, "known formats: aws-cli, aws-config");
	assert_null(adapter_detect(&d, dir));
	rm_rf(dir);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adapters_sorted),
		cmocka_unit_test(test_config_s3_bucket),
		cmocka_unit_test(test_config_s3_public_read),
		cmocka_unit_test(test_config_event_security_group),
		cmocka_unit_test(test_config_history_and_elb),
		cmocka_unit_test(test_config_query_outputs),
		cmocka_unit_test(test_config_big_snapshot),
		cmocka_unit_test(test_cli_directory),
		cmocka_unit_test(test_placebo_directory),
		cmocka_unit_test(test_placebo_load_balancers),
		cmocka_unit_test(test_cli_access_denied_listing),
		cmocka_unit_test(test_cli_malformed),
		cmocka_unit_test(test_cli_examples),
		cmocka_unit_test(test_detect_unknown),
		cmocka_unit_test(test_cli_markers_clean),
		cmocka_unit_test(test_cli_mutations),
		cmocka_unit_test(test_cli_layout_mutations),
		cmocka_unit_test(test_cli_recorder_status),
		cmocka_unit_test(test_cli_credential_report),
		cmocka_unit_test(test_placebo_pages),
	};

	RUN_TESTS("sources", tests, argc, argv);
}
