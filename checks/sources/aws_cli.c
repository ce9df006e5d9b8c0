/*
 * aws_cli.c: the "aws-cli" adapter.  A directory of AWS CLI JSON outputs
 * (`<service>/<call>.json`, per-resource `<service>/<call>/<name>.json`,
 * regional services optionally under `<region>/`), as written by
 * scripts/collect-aws.sh, or a directory of placebo recordings
 * (`<service>.<Operation>_N.json`, `{"status_code": N, "data": {...}}`).
 *
 * The calls are joined into resources in the CLI's shape
 * (docs/resources.md).  An error recorded in the export makes the resource
 * unreadable (every check on it is `error`); an error that means "this
 * setting is absent" (NoSuchEntity for the password policy, ...) is the
 * evidence of absence: the attribute is null and NotConfigured says why.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "checks/sources/aws_cli_impl.h"

/* ------------------------------------------------------- file naming */

/*
 * The calls the adapter reads (the API-dump core's table, dump.h): one
 * row per (call, resource type whose evidence it holds), sorted by
 * service and call.  The reader is driven by it where the shape allows:
 * file names (alias: the placebo operation when it is not the call's
 * PascalCase), which error code means "not configured", the listings
 * whose elements are resources as they are (member, id), the field and
 * attribute of each per-resource call (join: joined by dump_join_all),
 * and the layout checks (a file of one of these calls that cannot be
 * read as it is makes its type's marker an error).  type NULL: collected
 * but holding no evidence.  Pagination is the layout's page keys.  The
 * joins of the other types are code (read_*()).
 */
const struct dump_call ac_calls[] = {
	{ .svc = "acm",
	    .call = "describe-certificate",
	    .type = "AWS::ACM::Certificate",
	    .per = DUMP_PER_PARENT,
	    .field = "Certificate" },
	{ .svc = "acm",
	    .call = "list-certificates",
	    .type = "AWS::ACM::Certificate" },
	{ .svc = "cloudtrail",
	    .call = "describe-trails",
	    .type = "AWS::CloudTrail::Trail" },
	{ .svc = "cloudtrail",
	    .call = "get-event-selectors",
	    .type = "AWS::CloudTrail::Trail",
	    .per = DUMP_PER_PARENT,
	    .join = 1 },
	{ .svc = "cloudtrail",
	    .call = "get-trail-status",
	    .type = "AWS::CloudTrail::Trail",
	    .per = DUMP_PER_PARENT,
	    .join = 1,
	    .field = "",
	    .attr = "Status" },
	{ .svc = "configservice",
	    .call = "describe-configuration-recorder-status",
	    .type = "AWS::Config::ConfigurationRecorder",
	    .field = "ConfigurationRecordersStatus" },
	{ .svc = "configservice",
	    .call = "describe-configuration-recorders",
	    .type = "AWS::Config::ConfigurationRecorder" },
	{ .svc = "ec2", .call = "describe-flow-logs", .type = "AWS::EC2::VPC" },
	{ .svc = "ec2",
	    .call = "describe-instances",
	    .type = "AWS::EC2::Instance" },
	{ .svc = "ec2",
	    .call = "describe-network-acls",
	    .type = "AWS::EC2::NetworkAcl",
	    .member = "NetworkAcls",
	    .id = "NetworkAclId" },
	{ .svc = "ec2",
	    .call = "describe-security-groups",
	    .type = "AWS::EC2::SecurityGroup",
	    .member = "SecurityGroups",
	    .id = "GroupId" },
	{ .svc = "ec2",
	    .call = "describe-volumes",
	    .type = "AWS::EC2::Volume",
	    .member = "Volumes",
	    .id = "VolumeId" },
	{ .svc = "ec2", .call = "describe-vpcs", .type = "AWS::EC2::VPC" },
	{ .svc = "ec2",
	    .call = "get-ebs-encryption-by-default",
	    .type = "AWS::EC2::EBSEncryptionByDefault" },
	{ .svc = "elb",
	    .call = "describe-load-balancer-policies",
	    .type = "AWS::ElasticLoadBalancing::LoadBalancer",
	    .per = DUMP_PER_PARENT,
	    .field = "PolicyDescriptions" },
	{ .svc = "elb",
	    .call = "describe-load-balancers",
	    .type = "AWS::ElasticLoadBalancing::LoadBalancer" },
	{ .svc = "elbv2",
	    .call = "describe-listeners",
	    .type = "AWS::ElasticLoadBalancingV2::LoadBalancer",
	    .per = DUMP_PER_PARENT,
	    .field = "Listeners" },
	{ .svc = "elbv2",
	    .call = "describe-load-balancers",
	    .type = "AWS::ElasticLoadBalancingV2::LoadBalancer" },
	{ .svc = "guardduty",
	    .call = "get-detector",
	    .type = "AWS::GuardDuty::Detector",
	    .per = DUMP_PER_PARENT },
	{ .svc = "guardduty",
	    .call = "list-detectors",
	    .type = "AWS::GuardDuty::Detector" },
	{ .svc = "iam",
	    .call = "get-account-password-policy",
	    .type = "AWS::IAM::PasswordPolicy",
	    .notconf = "NoSuchEntity" },
	{ .svc = "iam",
	    .call = "get-account-summary",
	    .type = "AWS::IAM::AccountSummary" },
	{ .svc = "iam",
	    .call = "get-credential-report",
	    .type = "AWS::IAM::CredentialReport" },
	{ .svc = "iam",
	    .call = "get-credential-report",
	    .type = "AWS::IAM::User" },
	{ .svc = "iam",
	    .call = "get-policy-version",
	    .type = "AWS::IAM::Policy",
	    .per = DUMP_PER_PARENT,
	    .field = "PolicyVersion",
	    .fix = FIX_POLICY_VERSION },
	{ .svc = "iam",
	    .call = "list-access-keys",
	    .type = "AWS::IAM::User",
	    .per = DUMP_PER_PARENT,
	    .field = "AccessKeyMetadata" },
	{ .svc = "iam",
	    .call = "list-mfa-devices",
	    .type = "AWS::IAM::User",
	    .per = DUMP_PER_PARENT,
	    .field = "MFADevices",
	    .alias = "ListMFADevices" },
	{ .svc = "iam", .call = "list-policies", .type = "AWS::IAM::Policy" },
	{ .svc = "iam", .call = "list-users", .type = "AWS::IAM::User" },
	{ .svc = "iam",
	    .call = "list-virtual-mfa-devices",
	    .type = "AWS::IAM::AccountSummary",
	    .field = "VirtualMFADevices",
	    .alias = "ListVirtualMFADevices" },
	{ .svc = "kms",
	    .call = "describe-key",
	    .type = "AWS::KMS::Key",
	    .per = DUMP_PER_PARENT,
	    .join = 1,
	    .field = "KeyMetadata" },
	{ .svc = "kms",
	    .call = "get-key-rotation-status",
	    .type = "AWS::KMS::Key",
	    .per = DUMP_PER_PARENT,
	    .notconf = "UnsupportedOperationException",
	    .join = 1,
	    .field = "KeyRotationEnabled" },
	{ .svc = "kms", .call = "list-keys", .type = "AWS::KMS::Key" },
	{ .svc = "logs",
	    .call = "describe-log-groups",
	    .type = "AWS::Logs::LogGroup",
	    .member = "logGroups",
	    .id = "logGroupName" },
	{ .svc = "rds",
	    .call = "describe-db-instances",
	    .type = "AWS::RDS::DBInstance",
	    .member = "DBInstances",
	    .id = "DBInstanceIdentifier",
	    .alias = "DescribeDBInstances" },
	{ .svc = "s3api",
	    .call = "get-bucket-acl",
	    .type = "AWS::S3::Bucket",
	    .per = DUMP_PER_PARENT,
	    .join = 1 },
	{ .svc = "s3api",
	    .call = "get-bucket-encryption",
	    .type = "AWS::S3::Bucket",
	    .per = DUMP_PER_PARENT,
	    .notconf = "ServerSideEncryptionConfigurationNotFoundError",
	    .join = 1,
	    .field = "ServerSideEncryptionConfiguration" },
	/* collected (scripts/collect-aws.sh) for the reader, not evidence */
	{ .svc = "s3api",
	    .call = "get-bucket-location",
	    .per = DUMP_PER_PARENT },
	{ .svc = "s3api",
	    .call = "get-bucket-logging",
	    .type = "AWS::S3::Bucket",
	    .per = DUMP_PER_PARENT,
	    .join = 1,
	    .field = "",
	    .attr = "Logging" },
	{ .svc = "s3api",
	    .call = "get-bucket-policy",
	    .type = "AWS::S3::Bucket",
	    .per = DUMP_PER_PARENT,
	    .notconf = "NoSuchBucketPolicy",
	    .join = 1,
	    .field = "Policy",
	    .fix = FIX_JSON_STRING },
	{ .svc = "s3api",
	    .call = "get-bucket-tagging",
	    .type = "AWS::S3::Bucket",
	    .per = DUMP_PER_PARENT,
	    .notconf = "NoSuchTagSet",
	    .join = 1,
	    .field = "TagSet",
	    .attr = "Tags" },
	{ .svc = "s3api",
	    .call = "get-bucket-versioning",
	    .type = "AWS::S3::Bucket",
	    .per = DUMP_PER_PARENT,
	    .join = 1,
	    .field = "",
	    .attr = "Versioning",
	    .fix = FIX_VERSIONING },
	{ .svc = "s3api",
	    .call = "get-public-access-block",
	    .type = "AWS::S3::Bucket",
	    .per = DUMP_PER_PARENT,
	    .notconf = "NoSuchPublicAccessBlockConfiguration",
	    .join = 1,
	    .field = "PublicAccessBlockConfiguration" },
	{ .svc = "s3api", .call = "list-buckets", .type = "AWS::S3::Bucket" },
	{ .svc = "s3control",
	    .call = "get-public-access-block",
	    .type = "AWS::S3::AccountPublicAccessBlock",
	    .notconf = "NoSuchPublicAccessBlockConfiguration" },
	{ .svc = "securityhub",
	    .call = "describe-hub",
	    .type = "AWS::SecurityHub::Hub",
	    .notconf = "InvalidAccessException" },
	{ .svc = "sts", .call = "get-caller-identity" },
};

#define NCALLS (sizeof(ac_calls) / sizeof(ac_calls[0]))

const size_t ac_ncalls = NCALLS;

/* CLI service names to placebo's (botocore endpoint prefixes). */
static const struct {
	const char *cli, *placebo;
} svc_map[] = {
	{ "cloudwatch", "monitoring" },
	{ "configservice", "config" },
	{ "elb", "elasticloadbalancing" },
	{ "elbv2", "elasticloadbalancing" },
	{ "s3api", "s3" },
	{ "s3control", "s3-control" },
};

const char *
ac_placebo_svc(const char *svc)
{
	size_t i;

	for (i = 0; i < sizeof(svc_map) / sizeof(svc_map[0]); i++)
		if (strcmp(svc, svc_map[i].cli) == 0)
			return svc_map[i].placebo;
	return svc;
}

/* "get-account-password-policy" -> "GetAccountPasswordPolicy" into buf. */
void
ac_placebo_op(const char *call, char *buf, size_t len)
{
	size_t i, o = 0;
	int up = 1;

	for (i = 0; i < NCALLS; i++)
		if (ac_calls[i].alias != NULL &&
		    strcmp(call, ac_calls[i].call) == 0) {
			snprintf(buf, len, "%s", ac_calls[i].alias);
			return;
		}
	for (i = 0; call[i] != '\0' && o + 1 < len; i++) {
		if (call[i] == '-') {
			up = 1;
			continue;
		}
		buf[o++] = up && call[i] >= 'a' && call[i] <= 'z'
		    ? (char)(call[i] - 'a' + 'A')
		    : call[i];
		up = 0;
	}
	buf[o] = '\0';
}

/*
 * The file holding a call's output.  name NULL: the account- or
 * region-wide call; else the per-resource output for name (CLI layout)
 * or the index-th recording (placebo layout, which records calls in the
 * order the resources were listed).  Returns 0, or -1 when too long.
 */
int
ac_call_path(const struct dump *c, const struct dump_scope *s, const char *svc,
    const char *call, const char *name, size_t index, char *buf, size_t len)
{
	char op[128], safe[NAME_MAX];
	size_t i;
	int n;

	if (AWS(c)->placebo) {
		ac_placebo_op(call, op, sizeof(op));
		n = snprintf(buf, len, "%s/%s.%s_%zu.json", s->dir,
		    ac_placebo_svc(svc), op, index + 1);
	} else if (name != NULL && name[0] != '\0') {
		/* A name never escapes its directory. */
		for (i = 0; name[i] != '\0' && i + 1 < sizeof(safe); i++)
			safe[i] = name[i] == '/' ? '_' : name[i];
		safe[i] = '\0';
		if (strcmp(safe, ".") == 0 || strcmp(safe, "..") == 0)
			return -1;
		n = snprintf(
		    buf, len, "%s/%s/%s/%s.json", s->dir, svc, call, safe);
	} else {
		n = snprintf(buf, len, "%s/%s/%s.json", s->dir, svc, call);
	}
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* Services read at the root only (their calls are account-wide). */
int
ac_is_global_service(const char *svc)
{
	return strcmp(svc, "iam") == 0 || strcmp(svc, "s3api") == 0 ||
	    strcmp(svc, "s3control") == 0 || strcmp(svc, "sts") == 0;
}

int
ac_cmp_rec(const void *a, const void *b)
{
	const struct precording *x = a, *y = b;
	int k = strcmp(x->stem, y->stem);

	if (k != 0)
		return k;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * The recordings of `aws svc call` (placebo layout): *n how many there
 * are, *max the highest sequence number (a page is missing when they
 * differ).
 */
void
ac_recordings(const struct dump *c, const char *svc, const char *call,
    size_t *n, size_t *max)
{
	char stem[256], op[128];
	struct precording key = { stem, 0 };
	size_t lo = 0, hi = AWS(c)->nrec, mid;

	ac_placebo_op(call, op, sizeof(op));
	snprintf(stem, sizeof(stem), "%s.%s", ac_placebo_svc(svc), op);
	*n = *max = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ac_cmp_rec(&AWS(c)->rec[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < AWS(c)->nrec && strcmp(AWS(c)->rec[lo].stem, stem) == 0;
	     lo++) {
		(*n)++;
		*max = AWS(c)->rec[lo].seq;
	}
}

/* ------------------------------------------------------ reading calls */

/* A copy of map without ResponseMetadata. */
static struct doc_node *
strip_metadata(struct arena *a, const struct doc_node *map)
{
	struct doc_node *c;
	size_t i;

	if ((c = src_map(a, &map->mark)) == NULL)
		return NULL;
	for (i = 0; i < map->u.map.n; i++)
		if (strcmp(map->u.map.pairs[i].key->str, "ResponseMetadata") !=
			0 &&
		    doc_map_put(a, c, map->u.map.pairs[i].key,
			map->u.map.pairs[i].val) != 0)
			return NULL;
	return c;
}

/*
 * The HTTP status of a placebo recording: an integer, or a string of
 * digits (some recorders write "403").  0, or -1 with *why set.
 */
static int
placebo_status(const struct doc_node *sc, long *status, const char **why)
{
	char *end;
	long v;

	if (sc->type == DOC_INT) {
		v = (long)sc->u.i;
	} else if (sc->type == DOC_STRING && sc->len > 0 && sc->str[0] >= '0' &&
	    sc->str[0] <= '9') {
		errno = 0;
		v = strtol(sc->str, &end, 10);
		if (errno != 0 || *end != '\0') {
			*why = "'status_code' is a string that is not an "
			       "HTTP status";
			return -1;
		}
	} else {
		*why = "'status_code' is not an HTTP status";
		return -1;
	}
	if (v < 100 || v > 599) {
		*why = "'status_code' is outside the HTTP status range";
		return -1;
	}
	*status = v;
	return 0;
}

/* An error response r: "'aws svc call' failed: why (file)". */
static int
resp_error(struct dump *c, struct dump_resp *r, const struct dump_call *ci,
    const char *code, const char *why, const char *file)
{
	r->kind = DUMP_ERROR;
	r->code = code;
	r->msg = arena_printf(
	    c->a, "'aws %s %s' failed: %s (%s)", ci->svc, ci->call, why, file);
	return r->msg == NULL ? dump_oom(c) : 0;
}

/*
 * The path hook: ac_call_path(), and an account-wide call of a placebo
 * test that may be recorded only after others (GetCredentialReport_2
 * after GenerateCredentialReport_1): the first recording there is.
 */
static int
aws_path(struct dump *c, const struct dump_scope *s, const struct dump_call *ci,
    const char *name, size_t index, char *buf, size_t len)
{
	struct stat st;

	if (ac_call_path(c, s, ci->svc, ci->call, name, index, buf, len) != 0)
		return -1;
	while (AWS(c)->placebo && name == NULL && index < PLACEBO_MAX_SEQ &&
	    dir_index_stat(c->ix, buf, &st) != 0 && errno == ENOENT)
		if (ac_call_path(
			c, s, ci->svc, ci->call, name, ++index, buf, len) != 0)
			return -1;
	return 0;
}

/*
 * The envelope hook: a placebo recording's {"status_code", "data"}
 * (without them, or with a bad status, the file is unreadable), placebo
 * datetimes made strings, {"Error": {"Code", "Message"}} or an HTTP
 * error status an error, ResponseMetadata dropped.
 */
static int
aws_unwrap(struct dump *c, const struct dump_call *ci, struct doc_node *doc,
    struct dump_resp *r)
{
	struct doc_node *data = doc, *err;
	const struct doc_node *sc;
	const char *code, *msg, *file = doc->mark.file, *why;
	long status = 0;

	if (doc->type != DOC_MAP)
		return diag_err(c->d, &doc->mark,
		    "expected the JSON object printed by 'aws %s %s', found %s",
		    ci->svc, ci->call, doc_type_name(doc->type));
	sc = doc_get(doc, "status_code");
	if (AWS(c)->placebo || (sc != NULL && doc_get(doc, "data") != NULL)) {
		data = doc_get(doc, "data");
		if (sc == NULL || data == NULL)
			return resp_error(c, r, ci, "Unreadable",
			    "the recording has no 'status_code' and 'data'",
			    file);
		if (placebo_status(sc, &status, &why) != 0)
			return resp_error(c, r, ci, "Unreadable", why, file);
		if (data->type != DOC_MAP)
			return diag_err(c->d, &data->mark,
			    "placebo 'data' is not an object");
	}
	if (src_fix_datetimes(c->a, data) != 0)
		return dump_oom(c);
	err = doc_get(data, "Error");
	if (err != NULL || status >= 400) {
		code = doc_str(doc_get(err, "Code"));
		msg = doc_str(doc_get(err, "Message"));
		if (code == NULL)
			code = status >= 400
			    ? arena_printf(c->a, "HTTP %ld", status)
			    : "UnknownError";
		r->kind = DUMP_ERROR;
		r->code = code;
		r->status = status;
		r->msg = arena_printf(c->a, "'aws %s %s' failed: %s%s%s (%s)",
		    ci->svc, ci->call, code ? code : "?", msg ? ": " : "",
		    msg ? msg : "", file);
		return r->msg == NULL ? dump_oom(c) : 0;
	}
	if ((r->data = strip_metadata(c->a, data)) == NULL)
		return dump_oom(c);
	r->kind = DUMP_OK;
	return 0;
}

/* The row of `aws svc call` (the table has every call read). */
const struct dump_call *
ac_row(const char *svc, const char *call)
{
	return dump_call_find(&ac_layout, svc, call);
}

/* Read `aws svc call`'s output into r (dump_get()). */
int
ac_cli_get(struct dump *c, const struct dump_scope *s, const char *svc,
    const char *call, const char *name, size_t index, struct dump_resp *r)
{
	return dump_get(c, s, ac_row(svc, call), name, index, r);
}

/* --------------------------------------------------------- resources */

const char *
ac_account_id(const struct dump *c)
{
	return c->account != NULL ? c->account : "account";
}

/*
 * The keys of a listing response saying that more pages exist than were
 * collected.  Each service spells it its own way: NextToken (EC2, ACM,
 * GuardDuty), nextToken (Logs), NextMarker (ELB, KMS), Marker (RDS, and
 * IAM beside IsTruncated), ContinuationToken (S3 list-buckets),
 * IsTruncated (IAM) or Truncated (KMS) true.  None of the calls read
 * here echoes the request's Marker or ContinuationToken, so either one
 * present means another page.  A token of any other shape than null or
 * "" counts as more pages, and so does a Truncated flag that is not the
 * boolean false.
 */
static const char *const page_tokens[] = { "ContinuationToken", "Marker",
	"NextContinuationToken", "NextMarker", "NextPageToken", "NextToken",
	"nextToken", NULL };
static const char *const page_flags[] = { "IsTruncated", "Truncated", NULL };

static struct doc_node *
fixup(struct dump *c, struct doc_node *v, enum fixup f, const char **why)
{
	struct doc_node *doc, *pv;
	const char *p;
	char *dec;
	size_t n;

	*why = NULL;
	switch (f) {
	case FIX_NONE:
		return v;
	case FIX_JSON_STRING:
		return v->type == DOC_STRING
		    ? src_parse_json_string(c->a, v, why)
		    : v;
	case FIX_VERSIONING:
		/* The CLI prints {} for a bucket never versioned. */
		if ((v = src_map_clone(c->a, v)) == NULL)
			return NULL;
		if (doc_get(v, "Status") == NULL &&
		    src_set(c->a, v, "Status", src_str(c->a, "Off", &v->mark)))
			return NULL;
		return v;
	case FIX_POLICY_VERSION:
		doc = doc_get(v, "Document");
		if (doc == NULL || doc->type != DOC_STRING)
			return v;
		/* The IAM API returns documents URL-encoded ("%7B...");
		 * JSON text, even after white space, is not decoded. */
		for (p = doc->str;
		     *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'; p++)
			;
		if (*p == '%') {
			if ((dec = url_decode(
				 p, doc->len - (size_t)(p - doc->str), &n)) ==
			    NULL) {
				*why = "Document is not valid URL encoding";
				return NULL;
			}
			pv = doc_new_string(c->a, dec, n, &doc->mark);
			lib_free(dec);
			if (pv == NULL)
				return NULL;
			doc = pv;
		}
		if ((doc = src_parse_json_string(c->a, doc, why)) == NULL)
			return NULL;
		if ((v = src_map_clone(c->a, v)) == NULL ||
		    src_set(c->a, v, "Document", doc))
			return NULL;
		return v;
	}
	return v;
}

/* The fix hook: fixup() of a joined value. */
static int
aws_fix(struct dump *c, int f, struct doc_node *v, struct doc_node **out,
    const char **why)
{
	*out = fixup(c, v, (enum fixup)f, why);
	return 0;
}

/* Words for a missing recording of a listing (placebo layout). */
static const char *
aws_page_missing(struct dump *c, const struct dump_scope *s,
    const struct dump_call *ci, size_t index, size_t npages)
{
	return arena_printf(c->a,
	    "'aws %s %s' is incomplete: recording %zu of %zu is missing "
	    "(%s/%s.*_%zu.json)",
	    ci->svc, ci->call, index + 1, npages, s->dir,
	    ac_placebo_svc(ci->svc), index + 1);
}

/*
 * The missing hook: placebo, a call recorded for other resources but
 * not this one (its recording is missing) is missing evidence, not
 * absence.
 */
static int
aws_missing(struct dump *c, const struct dump_scope *s,
    const struct dump_call *ci, const char *name, size_t index,
    struct dump_resp *r)
{
	size_t n, max;

	if (!AWS(c)->placebo || name == NULL)
		return 0;
	ac_recordings(c, ci->svc, ci->call, &n, &max);
	if (n == 0)
		return 0;
	return resp_error(c, r, ci, "Missing",
	    arena_printf(c->a,
		"recording %zu is missing, %zu of the call are present",
		index + 1, n),
	    s->dir);
}

/* Join `aws svc call`'s output of name into attrs (dump_join()). */
int
ac_join(struct dump *c, const struct dump_scope *s, struct doc_node *attrs,
    const char **rerr, const char *svc, const char *call, const char *name,
    size_t index)
{
	return dump_join(c, s, attrs, rerr, ac_row(svc, call), name, index);
}

/*
 * An account- or region-wide resource from one call, and its listing
 * marker; no file, no resource and no marker.  Not configured:
 * attrs[attr] = null + NotConfigured.
 */
int
ac_singleton(struct dump *c, const struct dump_scope *s, const char *type,
    const char *svc, const char *call, const char *attr,
    struct doc_node **attrsp, const char **rerrp, struct mark *mp)
{
	struct doc_node *attrs;
	const struct dump_call *ci = ac_row(svc, call);
	const char *rerr = NULL;
	struct dump_resp r;

	*attrsp = NULL;
	if (dump_get(c, s, ci, NULL, 0, &r) != 0)
		return -1;
	if (r.kind == DUMP_MISSING)
		return 0;
	/* A listing read as one resource (list-detectors) may be cut. */
	if (r.kind == DUMP_OK && r.more != NULL &&
	    resp_error(c, &r, ci, "Incomplete",
		arena_printf(c->a,
		    "its output says '%s': more pages exist than the "
		    "export holds",
		    r.more),
		r.mark.file) != 0)
		return -1;
	if ((attrs = r.kind == DUMP_OK ? src_map_clone(c->a, r.data)
				       : src_map(c->a, &r.mark)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	if (r.kind == DUMP_NOTCONF &&
	    src_not_configured(c->a, attrs, attr, r.code, &r.mark))
		return diag_sys(c->d, NULL, "out of memory");
	if (r.kind == DUMP_ERROR &&
	    dump_add_read_error(c, attrs, call, &r, &rerr))
		return -1;
	/* The file is the whole evidence of the type in this scope. */
	if (dump_marker(c, s, type, rerr, &r.mark) != 0)
		return -1;
	*attrsp = attrs;
	*rerrp = rerr;
	*mp = r.mark;
	return 0;
}

static int
simple_singleton(struct dump *c, const struct dump_scope *s, const char *type,
    const char *svc, const char *call, const char *attr)
{
	struct doc_node *attrs;
	const char *rerr;
	struct mark m;

	if (ac_singleton(c, s, type, svc, call, attr, &attrs, &rerr, &m) != 0)
		return -1;
	if (attrs == NULL)
		return 0;
	return dump_emit(c, s, type, ac_account_id(c), attrs, rerr, &m);
}

/*
 * The listing at member key of `aws svc call` (dump_read_listing()):
 * in the placebo layout the pages are the recordings _1 ... _max; in
 * the CLI layout the one file <svc>/<call>.json.  shared: the
 * recordings are shared with another API (classic ELB and elbv2), whose
 * pages lack key and are skipped.
 */
int
ac_read_listing(struct dump *c, const struct dump_scope *s, const char *type,
    const char *svc, const char *call, const char *key, int shared,
    struct dump_resp *r, const struct doc_node **list)
{
	size_t n = 1, max = 1;

	if (AWS(c)->placebo)
		ac_recordings(c, svc, call, &n, &max);
	return dump_read_listing(
	    c, s, type, ac_row(svc, call), key, max, shared, r, list);
}

int
ac_listing(struct dump *c, const struct dump_scope *s, const char *type,
    const char *svc, const char *call, const char *key, struct dump_resp *r,
    const struct doc_node **list)
{
	return ac_read_listing(c, s, type, svc, call, key, 0, r, list);
}

int
ac_element(struct dump *c, const struct dump_scope *s, const char *type,
    const struct doc_node *e, const char *idkey, struct doc_node **attrs,
    const char **id)
{
	if (e->type != DOC_MAP)
		return diag_err(
		    c->d, &e->mark, "%s entry is not an object", type);
	if ((*id = doc_str(doc_get(e, idkey))) == NULL)
		return diag_err(
		    c->d, &e->mark, "%s entry has no '%s'", type, idkey);
	if ((*attrs = src_map_clone(c->a, e)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	(void)s;
	return 0;
}

/* ----------------------------------------------------------- driver */

static int
read_global(struct dump *c, const struct dump_scope *s)
{
	const struct doc_node *users;

	if (simple_singleton(c, s, "AWS::IAM::PasswordPolicy", "iam",
		"get-account-password-policy", "PasswordPolicy") ||
	    ac_read_account_summary(c, s) ||
	    ac_read_credential_report(c, s, &users) ||
	    ac_read_users(c, s, users) ||
	    ac_read_described(c, s, "AWS::IAM::Policy", "iam", "list-policies",
		"Policies", "PolicyName", "PolicyName", "get-policy-version",
		"PolicyVersion", NULL) ||
	    simple_singleton(c, s, "AWS::S3::AccountPublicAccessBlock",
		"s3control", "get-public-access-block",
		"PublicAccessBlockConfiguration") ||
	    ac_read_buckets(c, s))
		return -1;
	return 0;
}

/*
 * Whether scope s holds an output of `aws svc call` (any kind of file:
 * one that cannot be read is reported where it is read).
 */
static int
call_present(const struct dump *c, const struct dump_scope *s, const char *svc,
    const char *call)
{
	char path[PATH_MAX];
	struct stat st;
	size_t n, max;

	if (AWS(c)->placebo) {
		ac_recordings(c, svc, call, &n, &max);
		return n > 0;
	}
	if (ac_call_path(c, s, svc, call, NULL, 0, path, sizeof(path)) != 0)
		return 0;
	return dir_index_stat(c->ix, path, &st) == 0 || errno != ENOENT;
}

/*
 * Region-wide settings that checks need in every region holding
 * resources: without the file, the region's evidence of the type is
 * missing, which is an error for that region, never an absence.
 */
static const struct {
	const char *svc, *call, *type;
} region_files[] = {
	{ "configservice", "describe-configuration-recorders",
	    "AWS::Config::ConfigurationRecorder" },
	{ "ec2", "get-ebs-encryption-by-default",
	    "AWS::EC2::EBSEncryptionByDefault" },
	{ "guardduty", "list-detectors", "AWS::GuardDuty::Detector" },
};

static int
check_region_files(struct dump *c, const struct dump_scope *s)
{
	struct mark m = { NULL, 0, 0 };
	const char *msg;
	size_t i;

	m.file = s->dir;
	for (i = 0; i < sizeof(region_files) / sizeof(region_files[0]); i++) {
		if (call_present(
			c, s, region_files[i].svc, region_files[i].call))
			continue;
		msg = arena_printf(c->a,
		    "missing region file: %s '%s' holds resources but no "
		    "output of 'aws %s %s'",
		    s->region != NULL ? "region" : "folder",
		    s->region != NULL ? s->region : s->dir, region_files[i].svc,
		    region_files[i].call);
		if (msg == NULL)
			return diag_sys(c->d, NULL, "out of memory");
		if (dump_marker(c, s, region_files[i].type, msg, &m) != 0)
			return -1;
	}
	return 0;
}

static int
read_regional(struct dump *c, const struct dump_scope *s)
{
	size_t before = c->resources;

	if (ac_read_simple_lists(c, s) || ac_read_instances(c, s) ||
	    ac_read_vpcs(c, s) ||
	    simple_singleton(c, s, "AWS::EC2::EBSEncryptionByDefault", "ec2",
		"get-ebs-encryption-by-default", "EbsEncryptionByDefault") ||
	    ac_read_keys(c, s) || ac_read_trails(c, s) ||
	    ac_read_config_recorder(c, s) || ac_read_guardduty(c, s) ||
	    simple_singleton(c, s, "AWS::SecurityHub::Hub", "securityhub",
		"describe-hub", "HubArn") ||
	    ac_read_classic_elbs(c, s) || ac_read_load_balancers(c, s) ||
	    ac_read_described(c, s, "AWS::ACM::Certificate", "acm",
		"list-certificates", "CertificateSummaryList", "CertificateArn",
		"CertificateArn", "describe-certificate", "Certificate",
		"CertificateArn"))
		return -1;
	if (c->resources > before && check_region_files(c, s) != 0)
		return -1;
	return 0;
}

static int
cli_detect(const char *path, int is_dir, const char *head, size_t len)
{
	struct dir_index *ix;
	int kind;

	(void)head;
	(void)len;
	if (!is_dir || (ix = dir_index_new()) == NULL)
		return 0;
	kind = ac_scan_root(ix, path, NULL, NULL, NULL);
	dir_index_free(ix);
	return kind != 0 ? 50 : 0;
}

/* One scope: its layout, its resources and its per-resource folders. */
static int
read_scope(struct dump *c, const struct dump_scope *s, int root)
{
	if (!AWS(c)->placebo && ac_check_layout(c, s, root) != 0)
		return -1;
	if (root && read_global(c, s) != 0)
		return -1;
	if (read_regional(c, s) != 0)
		return -1;
	if (!AWS(c)->placebo && ac_check_per_resource(c, s) != 0)
		return -1;
	return 0;
}

/* Errors whose class the core records (AWS words its own messages). */
static const struct dump_error aws_errors[] = {
	{ .code = "AccessDenied", .cls = DUMP_CLS_DENIED },
	{ .code = "AccessDeniedException", .cls = DUMP_CLS_DENIED },
	{ .code = "RequestLimitExceeded", .cls = DUMP_CLS_THROTTLED },
	{ .code = "Throttling", .cls = DUMP_CLS_THROTTLED },
	{ .code = "ThrottlingException", .cls = DUMP_CLS_THROTTLED },
	{ .code = "UnauthorizedOperation", .cls = DUMP_CLS_DENIED },
};

const struct dump_layout ac_layout = {
	.tool = "aws",
	.what = "AWS CLI",
	.calls = ac_calls,
	.ncalls = NCALLS,
	.errors = aws_errors,
	.nerrors = sizeof(aws_errors) / sizeof(aws_errors[0]),
	.page_tokens = page_tokens,
	.page_flags = page_flags,
	.marker_attrs = 1,
	.path = aws_path,
	.unwrap = aws_unwrap,
	.fix = aws_fix,
	.page_missing = aws_page_missing,
	.missing = aws_missing,
};

static int
cli_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	struct dump c;
	struct aws aws;
	struct dump_scope s;
	struct dump_resp r;
	char **regions = NULL, dir[PATH_MAX];
	struct mark m = { path, 0, 0 };
	size_t nreg = 0, i;
	int kind, rc = -1;

	if (dump_init(&c, &ac_layout, d, path, lim, fn, ctx) != 0)
		return -1;
	memset(&aws, 0, sizeof(aws));
	c.priv = &aws;
	kind = ac_scan_root(c.ix, path, c.a, &regions, &nreg);
	if (kind == 0) {
		diag_err(d, &m,
		    "'%s' holds no AWS CLI outputs (<service>/<call>.json) "
		    "and no placebo recordings (<service>.<Operation>_N.json)",
		    path);
		goto out;
	}
	aws.placebo = kind == 2;
	if (dump_read_collection(&c) != 0)
		goto out;
	s.dir = path;
	s.region = NULL;
	if (aws.placebo && ac_index_recordings(&c, &s) != 0)
		goto out;
	if (ac_cli_get(&c, &s, "sts", "get-caller-identity", NULL, 0, &r) != 0)
		goto out;
	if (r.kind == DUMP_OK)
		c.account = doc_str(doc_get(r.data, "Account"));
	if (read_scope(&c, &s, 1) != 0)
		goto out;
	for (i = 0; i < nreg; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", path, regions[i]);
		s.dir = arena_strdup(c.a, dir);
		s.region = regions[i];
		if (s.dir == NULL || read_scope(&c, &s, 0) != 0)
			goto out;
	}
	rc = 0;
out:
	if (nresources != NULL)
		*nresources = c.emitted;
	dump_fini(&c);
	return rc;
}

const struct adapter adapter_aws_cli = {
	.name = "aws-cli",
	.summary = "a directory of AWS CLI JSON outputs "
		   "(scripts/collect-aws.sh) or placebo recordings",
	.detect = cli_detect,
	.read = cli_read,
	.max_dir_score = 50,
};
