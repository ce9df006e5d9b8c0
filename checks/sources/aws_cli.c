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
 * The calls the adapter reads: one row per (call, resource type whose
 * evidence it holds), sorted by service and call.  The reader is driven
 * by it where the shape allows: file names (the placebo operation when
 * it is not the call's PascalCase), which error code means "not
 * configured", the listings whose elements are resources as they are
 * (member, id), and the layout checks (a file of one of these calls that
 * cannot be read as it is makes its type's marker an error).  type NULL:
 * collected but holding no evidence.  Pagination is generic
 * (more_pages()).  The joins of the other types are code (read_*()).
 */
const struct call_info ac_calls[] = {
	{ .svc = "acm",
	    .call = "describe-certificate",
	    .type = "AWS::ACM::Certificate",
	    .per_resource = 1 },
	{ .svc = "acm",
	    .call = "list-certificates",
	    .type = "AWS::ACM::Certificate" },
	{ .svc = "cloudtrail",
	    .call = "describe-trails",
	    .type = "AWS::CloudTrail::Trail" },
	{ .svc = "cloudtrail",
	    .call = "get-event-selectors",
	    .type = "AWS::CloudTrail::Trail",
	    .per_resource = 1,
	    .joined = 1 },
	{ .svc = "cloudtrail",
	    .call = "get-trail-status",
	    .type = "AWS::CloudTrail::Trail",
	    .per_resource = 1,
	    .joined = 1,
	    .field = "",
	    .attr = "Status" },
	{ .svc = "configservice",
	    .call = "describe-configuration-recorder-status",
	    .type = "AWS::Config::ConfigurationRecorder" },
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
	    .per_resource = 1 },
	{ .svc = "elb",
	    .call = "describe-load-balancers",
	    .type = "AWS::ElasticLoadBalancing::LoadBalancer" },
	{ .svc = "elbv2",
	    .call = "describe-listeners",
	    .type = "AWS::ElasticLoadBalancingV2::LoadBalancer",
	    .per_resource = 1 },
	{ .svc = "elbv2",
	    .call = "describe-load-balancers",
	    .type = "AWS::ElasticLoadBalancingV2::LoadBalancer" },
	{ .svc = "guardduty",
	    .call = "get-detector",
	    .type = "AWS::GuardDuty::Detector",
	    .per_resource = 1 },
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
	    .per_resource = 1 },
	{ .svc = "iam",
	    .call = "list-access-keys",
	    .type = "AWS::IAM::User",
	    .per_resource = 1 },
	{ .svc = "iam",
	    .call = "list-mfa-devices",
	    .type = "AWS::IAM::User",
	    .per_resource = 1,
	    .op = "ListMFADevices" },
	{ .svc = "iam", .call = "list-policies", .type = "AWS::IAM::Policy" },
	{ .svc = "iam", .call = "list-users", .type = "AWS::IAM::User" },
	{ .svc = "iam",
	    .call = "list-virtual-mfa-devices",
	    .type = "AWS::IAM::AccountSummary",
	    .op = "ListVirtualMFADevices" },
	{ .svc = "kms",
	    .call = "describe-key",
	    .type = "AWS::KMS::Key",
	    .per_resource = 1,
	    .joined = 1,
	    .field = "KeyMetadata" },
	{ .svc = "kms",
	    .call = "get-key-rotation-status",
	    .type = "AWS::KMS::Key",
	    .per_resource = 1,
	    .notconf = "UnsupportedOperationException",
	    .joined = 1,
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
	    .op = "DescribeDBInstances" },
	{ .svc = "s3api",
	    .call = "get-bucket-acl",
	    .type = "AWS::S3::Bucket",
	    .per_resource = 1,
	    .joined = 1 },
	{ .svc = "s3api",
	    .call = "get-bucket-encryption",
	    .type = "AWS::S3::Bucket",
	    .per_resource = 1,
	    .notconf = "ServerSideEncryptionConfigurationNotFoundError",
	    .joined = 1,
	    .field = "ServerSideEncryptionConfiguration" },
	/* collected (scripts/collect-aws.sh) for the reader, not evidence */
	{ .svc = "s3api", .call = "get-bucket-location", .per_resource = 1 },
	{ .svc = "s3api",
	    .call = "get-bucket-logging",
	    .type = "AWS::S3::Bucket",
	    .per_resource = 1,
	    .joined = 1,
	    .field = "",
	    .attr = "Logging" },
	{ .svc = "s3api",
	    .call = "get-bucket-policy",
	    .type = "AWS::S3::Bucket",
	    .per_resource = 1,
	    .notconf = "NoSuchBucketPolicy",
	    .joined = 1,
	    .field = "Policy",
	    .fix = FIX_JSON_STRING },
	{ .svc = "s3api",
	    .call = "get-bucket-tagging",
	    .type = "AWS::S3::Bucket",
	    .per_resource = 1,
	    .notconf = "NoSuchTagSet",
	    .joined = 1,
	    .field = "TagSet",
	    .attr = "Tags" },
	{ .svc = "s3api",
	    .call = "get-bucket-versioning",
	    .type = "AWS::S3::Bucket",
	    .per_resource = 1,
	    .joined = 1,
	    .field = "",
	    .attr = "Versioning",
	    .fix = FIX_VERSIONING },
	{ .svc = "s3api",
	    .call = "get-public-access-block",
	    .type = "AWS::S3::Bucket",
	    .per_resource = 1,
	    .notconf = "NoSuchPublicAccessBlockConfiguration",
	    .joined = 1,
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

/* The first row of `aws svc call` (svc NULL: any service), or NULL. */
static const struct call_info *
call_find(const char *svc, const char *call)
{
	size_t i;

	for (i = 0; i < NCALLS; i++)
		if ((svc == NULL || strcmp(ac_calls[i].svc, svc) == 0) &&
		    strcmp(ac_calls[i].call, call) == 0)
			return &ac_calls[i];
	return NULL;
}

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
		if (ac_calls[i].op != NULL &&
		    strcmp(call, ac_calls[i].call) == 0) {
			snprintf(buf, len, "%s", ac_calls[i].op);
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
ac_call_path(const struct cli *c, const struct scope *s, const char *svc,
    const char *call, const char *name, size_t index, char *buf, size_t len)
{
	char op[128], safe[NAME_MAX];
	size_t i;
	int n;

	if (c->placebo) {
		ac_placebo_op(call, op, sizeof(op));
		n = snprintf(buf, len, "%s/%s.%s_%zu.json", s->dir,
		    ac_placebo_svc(svc), op, index + 1);
	} else if (name != NULL) {
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
ac_strv_push(struct arena *a, struct strv *sv, const char *str)
{
	const char **v;
	size_t cap;

	if (sv->n == sv->cap) {
		cap = sv->cap != 0 ? sv->cap * 2 : 64;
		if ((v = arena_realloc(a, sv->v, sv->cap * sizeof(*v),
			 cap * sizeof(*v))) == NULL)
			return -1;
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = str;
	return 0;
}

int
ac_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether the sorted sv holds str. */
int
ac_strv_has(const struct strv *sv, const char *str)
{
	return sv->n != 0 &&
	    bsearch(&str, sv->v, sv->n, sizeof(*sv->v), ac_cmp_str) != NULL;
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
ac_recordings(const struct cli *c, const char *svc, const char *call, size_t *n,
    size_t *max)
{
	char stem[256], op[128];
	struct precording key = { stem, 0 };
	size_t lo = 0, hi = c->nrec, mid;

	ac_placebo_op(call, op, sizeof(op));
	snprintf(stem, sizeof(stem), "%s.%s", ac_placebo_svc(svc), op);
	*n = *max = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ac_cmp_rec(&c->rec[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->nrec && strcmp(c->rec[lo].stem, stem) == 0; lo++) {
		(*n)++;
		*max = c->rec[lo].seq;
	}
}

/* ------------------------------------------------------ reading calls */

/* Whether code means "not configured" for `aws svc call`. */
static int
is_not_configured(const char *svc, const char *call, const char *code)
{
	const struct call_info *ci = call_find(svc, call);

	return ci != NULL && ci->notconf != NULL &&
	    strcmp(code, ci->notconf) == 0;
}

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

/* An error response r for the call: "'aws svc call' failed: why (file)". */
static int
resp_error(struct cli *c, struct resp *r, const char *svc, const char *call,
    const char *code, const char *why, const char *file)
{
	r->kind = RESP_ERROR;
	r->code = code;
	r->msg = arena_printf(
	    c->a, "'aws %s %s' failed: %s (%s)", svc, call, why, file);
	return r->msg == NULL ? diag_sys(c->d, NULL, "out of memory") : 0;
}

/*
 * Read one call's output into r.  A missing file is RESP_MISSING; a
 * directory, FIFO or other non-regular file in its place, a placebo
 * recording without its wrapper or with a bad status, or an error
 * response is RESP_ERROR (never opened when not a regular file, so a
 * FIFO cannot block); an unparsable file is an error (-1) with its
 * file:line:col.
 */
int
ac_cli_get(struct cli *c, const struct scope *s, const char *svc,
    const char *call, const char *name, size_t index, struct resp *r)
{
	char path[PATH_MAX];
	struct doc_node *doc, *data, *err;
	const struct doc_node *sc;
	struct stat st;
	const char *code, *msg, *file, *why;
	long status = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (ac_call_path(c, s, svc, call, name, index, path, sizeof(path)) != 0)
		return 0;
	/*
	 * A placebo test may record an account-wide call only after others
	 * (GetCredentialReport_2 after GenerateCredentialReport_1): take the
	 * first recording there is.
	 */
	while ((rc = stat(path, &st)) != 0 && errno == ENOENT && c->placebo &&
	    name == NULL && index < PLACEBO_MAX_SEQ)
		if (ac_call_path(c, s, svc, call, name, ++index, path,
			sizeof(path)) != 0)
			return 0;
	if (rc != 0 && errno == ENOENT)
		return 0;
	r->mark.file = arena_strdup(c->a, path);
	if (r->mark.file == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	if (rc != 0)
		return resp_error(c, r, svc, call, "Unreadable",
		    strerror(errno), r->mark.file);
	if (!S_ISREG(st.st_mode))
		return resp_error(c, r, svc, call, "Unreadable",
		    S_ISDIR(st.st_mode)
			? "a directory stands where its output file should be"
			: "its output is not a regular file",
		    r->mark.file);
	if ((doc = doc_load_one(c->a, c->d, path, DOC_FMT_JSON, c->lim)) ==
	    NULL)
		return -1;
	file = doc->mark.file;
	r->mark = doc->mark;
	if (doc->type != DOC_MAP)
		return diag_err(c->d, &doc->mark,
		    "expected the JSON object printed by 'aws %s %s', found %s",
		    svc, call, doc_type_name(doc->type));
	data = doc;
	sc = doc_get(doc, "status_code");
	if (c->placebo || (sc != NULL && doc_get(doc, "data") != NULL)) {
		data = doc_get(doc, "data");
		if (sc == NULL || data == NULL)
			return resp_error(c, r, svc, call, "Unreadable",
			    "the recording has no 'status_code' and 'data'",
			    file);
		if (placebo_status(sc, &status, &why) != 0)
			return resp_error(
			    c, r, svc, call, "Unreadable", why, file);
		if (data->type != DOC_MAP)
			return diag_err(c->d, &data->mark,
			    "placebo 'data' is not an object");
	}
	if (src_fix_datetimes(c->a, data) != 0)
		return diag_sys(c->d, NULL, "out of memory");
	err = doc_get(data, "Error");
	if (err != NULL || status >= 400) {
		code = doc_str(doc_get(err, "Code"));
		msg = doc_str(doc_get(err, "Message"));
		if (code == NULL)
			code = status >= 400
			    ? arena_printf(c->a, "HTTP %ld", status)
			    : "UnknownError";
		r->code = code;
		if (code != NULL && is_not_configured(svc, call, code)) {
			r->kind = RESP_NOTCONF;
			return 0;
		}
		r->kind = RESP_ERROR;
		r->msg = arena_printf(c->a, "'aws %s %s' failed: %s%s%s (%s)",
		    svc, call, code ? code : "?", msg ? ": " : "",
		    msg ? msg : "", file);
		if (r->msg == NULL)
			return diag_sys(c->d, NULL, "out of memory");
		return 0;
	}
	if ((r->data = strip_metadata(c->a, data)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	r->kind = RESP_OK;
	return 0;
}

/* --------------------------------------------------------- resources */

int
ac_emit(struct cli *c, const struct scope *s, const char *type, const char *id,
    struct doc_node *attrs, const char *rerr, const struct mark *m)
{
	struct resource r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.id = id;
	r.region = s->region;
	r.account = c->account;
	r.source = m->file != NULL ? m->file : c->root;
	r.mark = *m;
	r.attrs = attrs;
	r.read_error = rerr;
	r.unreadable = doc_get(attrs, RESOURCE_UNREADABLE);
	r.collected = c->collected;
	c->emitted++;
	c->resources++;
	return c->fn(c->ctx, &r, c->a);
}

/*
 * The listing marker of type in scope s (docs/resources.md): rerr NULL
 * says the input holds the whole listing of the type there (possibly
 * empty); else why that listing is incomplete or unreadable.  Its attrs
 * are an empty map, so a consumer that reads them finds nothing.
 */
int
ac_emit_marker(struct cli *c, const struct scope *s, const char *type,
    const char *rerr, const struct mark *m)
{
	struct resource r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.region = s->region;
	r.account = c->account;
	r.source = m->file != NULL ? m->file : c->root;
	r.mark = *m;
	r.listing = 1;
	r.read_error = rerr;
	r.collected = c->collected;
	if ((r.attrs = src_map(c->a, m)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	c->emitted++;
	return c->fn(c->ctx, &r, c->a);
}

/*
 * An error marker for every type read from service svc (call NULL) or
 * from its call, with the message "why: 'path'".  0 or -1.
 */
int
ac_mark_calls_error(struct cli *c, const struct scope *s, const char *svc,
    const char *call, const char *path, const char *why)
{
	const char *done[NCALLS], *msg;
	struct mark m = { NULL, 0, 0 };
	size_t i, j, n = 0;

	if ((msg = arena_printf(c->a, "%s: '%s'", why, path)) == NULL ||
	    (m.file = arena_strdup(c->a, path)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	for (i = 0; i < NCALLS; i++) {
		if (ac_calls[i].type == NULL ||
		    strcmp(ac_calls[i].svc, svc) != 0 ||
		    (call != NULL && strcmp(ac_calls[i].call, call) != 0))
			continue;
		for (j = 0; j < n && strcmp(done[j], ac_calls[i].type) != 0;
		     j++)
			;
		if (j < n)
			continue;
		done[n++] = ac_calls[i].type;
		if (ac_emit_marker(c, s, ac_calls[i].type, msg, &m) != 0)
			return -1;
	}
	return 0;
}

const char *
ac_account_id(const struct cli *c)
{
	return c->account != NULL ? c->account : "account";
}

/* attrs[map][key] = r's message, creating the map attrs[map].  0 or -1. */
static int
note_msg(struct cli *c, struct doc_node *attrs, const char *map,
    const char *key, const struct resp *r)
{
	struct doc_node *m;

	if ((m = doc_get(attrs, map)) == NULL) {
		if ((m = src_map(c->a, &r->mark)) == NULL ||
		    src_set(c->a, attrs, map, m) != 0)
			return diag_sys(c->d, NULL, "out of memory");
	}
	if (src_set(c->a, m, key, src_str(c->a, r->msg, &r->mark)) != 0)
		return diag_sys(c->d, NULL, "out of memory");
	return 0;
}

/* Record a per-call read error on attrs; the first one becomes *rerr. */
int
ac_add_read_error(struct cli *c, struct doc_node *attrs, const char *call,
    const struct resp *r, const char **rerr)
{
	if (note_msg(c, attrs, SRC_READ_ERRORS, call, r) != 0)
		return -1;
	if (*rerr == NULL)
		*rerr = r->msg;
	return 0;
}

/*
 * Record that the attribute `attr` could not be read (call denied): in
 * ReadErrors, and in attrs[RESOURCE_UNREADABLE][attr], which makes the
 * checks that read it `error` and leaves the others to be evaluated.
 */
static int
add_unreadable(struct cli *c, struct doc_node *attrs, const char *call,
    const char *attr, const struct resp *r)
{
	if (note_msg(c, attrs, SRC_READ_ERRORS, call, r) != 0)
		return -1;
	return note_msg(c, attrs, RESOURCE_UNREADABLE, attr, r);
}

/*
 * The key of a listing response saying that more pages exist than were
 * collected, or NULL.  Each service spells it its own way: NextToken
 * (EC2, ACM, GuardDuty), nextToken (Logs), NextMarker (ELB, KMS),
 * Marker (RDS, and IAM beside IsTruncated), ContinuationToken (S3
 * list-buckets), IsTruncated (IAM) or Truncated (KMS) true.  None of
 * the calls read here echoes the request's Marker or ContinuationToken,
 * so either one present means another page.  A token of any other shape
 * than null or "" counts as more pages, and so does a Truncated flag
 * that is not the boolean false.
 */
static const char *
more_pages(const struct doc_node *data)
{
	static const char *const keys[] = { "ContinuationToken", "Marker",
		"NextContinuationToken", "NextMarker", "NextPageToken",
		"NextToken", "nextToken" };
	static const char *const flags[] = { "IsTruncated", "Truncated" };
	const struct doc_node *v;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = doc_get(data, keys[i]);
		if (v != NULL && v->type != DOC_NULL &&
		    !(v->type == DOC_STRING && v->len == 0))
			return keys[i];
	}
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		v = doc_get(data, flags[i]);
		if (v != NULL && !(v->type == DOC_BOOL && !v->u.b))
			return flags[i];
	}
	return NULL;
}

/*
 * Remember that the per-resource file of name for `aws svc call` was
 * looked for (CLI layout), so that a file no listing names is found
 * (ac_check_per_resource).  0 or -1.
 */
static int
note_joined(struct cli *c, const char *svc, const char *call, const char *name)
{
	char *key;
	size_t i, o;

	if (c->placebo || name == NULL || name[0] == '\0')
		return 0;
	if ((key = arena_printf(c->keep, "%s/%s/%s", svc, call, name)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	/* The file name ac_call_path() gives it. */
	o = strlen(svc) + strlen(call) + 2;
	for (i = o; key[i] != '\0'; i++)
		if (key[i] == '/')
			key[i] = '_';
	if (ac_strv_push(c->keep, &c->joined, key) != 0)
		return diag_sys(c->d, NULL, "out of memory");
	return 0;
}

static struct doc_node *
fixup(struct cli *c, struct doc_node *v, enum fixup f, const char **why)
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

/*
 * Join one call's output into attrs.  field NULL merges every field of
 * the response; else attrs[attr] = response[field] (or the whole response
 * when field is "").  Not configured: attrs[attr] = null + NotConfigured.
 * An error: ReadErrors and *rerr (the whole resource is unreadable), or,
 * when rerr is NULL (only with a field: the attribute is known, and no
 * other attribute is derived from it), the attribute alone is unreadable
 * (add_unreadable).  Missing file: nothing (the attribute stays absent,
 * so checks reading it are `error`).
 */
int
ac_join(struct cli *c, const struct scope *s, struct doc_node *attrs,
    const char **rerr, const char *svc, const char *call, const char *name,
    size_t index, const char *field, const char *attr, enum fixup f)
{
	struct resp r;
	struct doc_node *v;
	const char *why;
	size_t i, n, max;

	if (note_joined(c, svc, call, name) != 0 ||
	    ac_cli_get(c, s, svc, call, name, index, &r) != 0)
		return -1;
	/*
	 * Placebo: a call recorded for other resources but not this one
	 * (its recording is missing) is missing evidence, not absence.
	 */
	if (r.kind == RESP_MISSING && c->placebo && name != NULL) {
		ac_recordings(c, svc, call, &n, &max);
		if (n > 0 &&
		    resp_error(c, &r, svc, call, "Missing",
			arena_printf(c->a,
			    "recording %zu is missing, %zu of the call are "
			    "present",
			    index + 1, n),
			s->dir) != 0)
			return -1;
	}
	if (r.kind == RESP_OK && (why = more_pages(r.data)) != NULL &&
	    resp_error(c, &r, svc, call, "Incomplete",
		arena_printf(c->a,
		    "its output says '%s': more pages exist than the "
		    "export holds",
		    why),
		r.mark.file) != 0)
		return -1;
	switch (r.kind) {
	case RESP_MISSING:
		return 0;
	case RESP_ERROR:
		if (rerr == NULL && field != NULL)
			return add_unreadable(
			    c, attrs, call, attr != NULL ? attr : field, &r);
		return ac_add_read_error(c, attrs, call, &r, rerr);
	case RESP_NOTCONF:
		if (src_not_configured(c->a, attrs,
			attr != NULL        ? attr
			    : field != NULL ? field
					    : call,
			r.code, &r.mark))
			return diag_sys(c->d, NULL, "out of memory");
		return 0;
	case RESP_OK:
		break;
	}
	if (field == NULL) {
		for (i = 0; i < r.data->u.map.n; i++)
			if (src_set(c->a, attrs,
				r.data->u.map.pairs[i].key->str,
				r.data->u.map.pairs[i].val))
				return diag_sys(c->d, NULL, "out of memory");
		return 0;
	}
	v = field[0] == '\0' ? r.data : doc_get(r.data, field);
	if (v == NULL)
		return 0;
	if ((v = fixup(c, v, f, &why)) == NULL) {
		r.msg = arena_printf(c->a, "'aws %s %s': %s is unreadable: %s",
		    svc, call, field, why != NULL ? why : "out of memory");
		if (r.msg == NULL)
			return diag_sys(c->d, NULL, "out of memory");
		if (rerr == NULL)
			return add_unreadable(
			    c, attrs, call, attr != NULL ? attr : field, &r);
		return ac_add_read_error(c, attrs, call, &r, rerr);
	}
	if (src_set(c->a, attrs, attr != NULL ? attr : field, v))
		return diag_sys(c->d, NULL, "out of memory");
	return 0;
}

/*
 * An account- or region-wide resource from one call, and its listing
 * marker; no file, no resource and no marker.  Not configured:
 * attrs[attr] = null + NotConfigured.
 */
int
ac_singleton(struct cli *c, const struct scope *s, const char *type,
    const char *svc, const char *call, const char *attr,
    struct doc_node **attrsp, const char **rerrp, struct mark *mp)
{
	struct doc_node *attrs;
	const char *rerr = NULL, *why;
	struct resp r;

	*attrsp = NULL;
	if (ac_cli_get(c, s, svc, call, NULL, 0, &r) != 0)
		return -1;
	if (r.kind == RESP_MISSING)
		return 0;
	/* A listing read as one resource (list-detectors) may be cut. */
	if (r.kind == RESP_OK && (why = more_pages(r.data)) != NULL &&
	    resp_error(c, &r, svc, call, "Incomplete",
		arena_printf(c->a,
		    "its output says '%s': more pages exist than the "
		    "export holds",
		    why),
		r.mark.file) != 0)
		return -1;
	if ((attrs = r.kind == RESP_OK ? src_map_clone(c->a, r.data)
				       : src_map(c->a, &r.mark)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	if (r.kind == RESP_NOTCONF &&
	    src_not_configured(c->a, attrs, attr, r.code, &r.mark))
		return diag_sys(c->d, NULL, "out of memory");
	if (r.kind == RESP_ERROR &&
	    ac_add_read_error(c, attrs, call, &r, &rerr))
		return -1;
	/* The file is the whole evidence of the type in this scope. */
	if (ac_emit_marker(c, s, type, rerr, &r.mark) != 0)
		return -1;
	*attrsp = attrs;
	*rerrp = rerr;
	*mp = r.mark;
	return 0;
}

static int
simple_singleton(struct cli *c, const struct scope *s, const char *type,
    const char *svc, const char *call, const char *attr)
{
	struct doc_node *attrs;
	const char *rerr;
	struct mark m;

	if (ac_singleton(c, s, type, svc, call, attr, &attrs, &rerr, &m) != 0)
		return -1;
	if (attrs == NULL)
		return 0;
	return ac_emit(c, s, type, ac_account_id(c), attrs, rerr, &m);
}

/*
 * The listing at member key of `aws svc call`: every page read and their
 * members joined into *list (NULL when no page holds the ac_listing).  In
 * the placebo layout the pages are the recordings _1 ... _max; in the
 * CLI layout the one file <svc>/<call>.json.  With type, emits the
 * type's listing marker for s: clean when every page is present,
 * readable and the last says no more pages follow; with a read error
 * naming the first problem otherwise; none when there is no listing.
 * shared: the recordings are shared with another API (classic ELB and
 * elbv2), whose pages lack key and are skipped.  *r receives the first
 * readable page, with kind RESP_ERROR and msg the problem when the
 * listing is incomplete; *r is RESP_MISSING when there is no listing.
 */
int
ac_read_listing(struct cli *c, const struct scope *s, const char *type,
    const char *svc, const char *call, const char *key, int shared,
    struct resp *r, const struct doc_node **list)
{
	const struct doc_node *l, *last = NULL;
	struct doc_node *all = NULL;
	const char *rerr = NULL, *more;
	struct mark m = { NULL, 0, 0 };
	size_t n = 1, max = 1, i, j, pages = 0;
	int seen = 0;
	struct resp p;

	*list = NULL;
	memset(r, 0, sizeof(*r));
	if (c->placebo)
		ac_recordings(c, svc, call, &n, &max);
	for (i = 0; i < max; i++) {
		if (ac_cli_get(c, s, svc, call, c->placebo ? "" : NULL, i, &p))
			return -1;
		if (p.kind == RESP_MISSING) {
			/* Only in the placebo layout: a gap in _1 ... _max. */
			if (rerr == NULL &&
			    (rerr = arena_printf(c->a,
				 "'aws %s %s' is incomplete: recording %zu of "
				 "%zu is missing (%s/%s.*_%zu.json)",
				 svc, call, i + 1, max, s->dir,
				 ac_placebo_svc(svc), i + 1)) == NULL)
				return diag_sys(c->d, NULL, "out of memory");
			continue;
		}
		if (p.kind != RESP_OK) {
			/* Shared recordings: an error is either API's. */
			if (!seen)
				m = p.mark;
			seen = 1;
			if (rerr == NULL)
				rerr = p.msg != NULL
				    ? p.msg
				    : arena_printf(c->a,
					  "'aws %s %s' failed: %s (%s)", svc,
					  call, p.code, p.mark.file);
			if (rerr == NULL)
				return diag_sys(c->d, NULL, "out of memory");
			continue;
		}
		l = doc_get(p.data, key);
		if (l == NULL && shared)
			continue;
		if (l == NULL || l->type != DOC_SEQ)
			return diag_err(c->d, &p.mark,
			    "output of 'aws %s %s' has no '%s' list", svc, call,
			    key);
		if (r->kind == RESP_MISSING) {
			*r = p;
			if (!seen)
				m = p.mark;
		}
		seen = 1;
		last = p.data;
		if (pages++ == 0) {
			*list = l;
			continue;
		}
		if (all == NULL) {
			if ((all = src_seq(c->a, &(*list)->mark)) == NULL)
				return diag_sys(c->d, NULL, "out of memory");
			for (j = 0; j < (*list)->u.seq.n; j++)
				if (doc_seq_push(
					c->a, all, (*list)->u.seq.items[j]))
					return diag_sys(
					    c->d, NULL, "out of memory");
			*list = all;
		}
		for (j = 0; j < l->u.seq.n; j++)
			if (doc_seq_push(c->a, all, l->u.seq.items[j]))
				return diag_sys(c->d, NULL, "out of memory");
	}
	if (!seen)
		return 0;
	if (rerr == NULL && last != NULL && (more = more_pages(last)) != NULL &&
	    (rerr = arena_printf(c->a,
		 "'aws %s %s' is incomplete: its last page says '%s', so "
		 "more pages exist than the export holds (%s)",
		 svc, call, more, r->mark.file)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	if (rerr != NULL) {
		r->kind = RESP_ERROR;
		r->msg = rerr;
	}
	if (type != NULL && ac_emit_marker(c, s, type, rerr, &m) != 0)
		return -1;
	return 0;
}

int
ac_listing(struct cli *c, const struct scope *s, const char *type,
    const char *svc, const char *call, const char *key, struct resp *r,
    const struct doc_node **list)
{
	return ac_read_listing(c, s, type, svc, call, key, 0, r, list);
}

int
ac_element(struct cli *c, const struct scope *s, const char *type,
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
read_global(struct cli *c, const struct scope *s)
{
	const struct doc_node *users;

	if (simple_singleton(c, s, "AWS::IAM::PasswordPolicy", "iam",
		"get-account-password-policy", "PasswordPolicy") ||
	    ac_read_account_summary(c, s) ||
	    ac_read_credential_report(c, s, &users) ||
	    ac_read_users(c, s, users) ||
	    ac_read_described(c, s, "AWS::IAM::Policy", "iam", "list-policies",
		"Policies", "PolicyName", "PolicyName", "get-policy-version",
		"PolicyVersion", FIX_POLICY_VERSION, NULL) ||
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
call_present(const struct cli *c, const struct scope *s, const char *svc,
    const char *call)
{
	char path[PATH_MAX];
	struct stat st;
	size_t n, max;

	if (c->placebo) {
		ac_recordings(c, svc, call, &n, &max);
		return n > 0;
	}
	if (ac_call_path(c, s, svc, call, NULL, 0, path, sizeof(path)) != 0)
		return 0;
	return stat(path, &st) == 0 || errno != ENOENT;
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
check_region_files(struct cli *c, const struct scope *s)
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
		if (ac_emit_marker(c, s, region_files[i].type, msg, &m) != 0)
			return -1;
	}
	return 0;
}

static int
read_regional(struct cli *c, const struct scope *s)
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
		FIX_NONE, "CertificateArn"))
		return -1;
	if (c->resources > before && check_region_files(c, s) != 0)
		return -1;
	return 0;
}

static int
cli_detect(const char *path, int is_dir, const char *head, size_t len)
{
	(void)head;
	(void)len;
	if (!is_dir)
		return 0;
	return ac_scan_root(path, NULL, NULL, NULL) != 0 ? 50 : 0;
}

/* One scope: its layout, its resources and its per-resource folders. */
static int
read_scope(struct cli *c, const struct scope *s, int root)
{
	if (!c->placebo && ac_check_layout(c, s, root) != 0)
		return -1;
	if (root && read_global(c, s) != 0)
		return -1;
	if (read_regional(c, s) != 0)
		return -1;
	if (!c->placebo && ac_check_per_resource(c, s) != 0)
		return -1;
	return 0;
}

/*
 * rampart-collection.json, written by scripts/collect-aws.sh at the root
 * of the export: when the evidence was collected ("started", RFC 3339),
 * the time the scan's evidence age is measured from.  Absent, the engine
 * falls back to file times.  A file that is there but unreadable or holds
 * no strict time is an input error, never ignored.  0 or -1.
 */
static int
read_collection(struct cli *c, const char *root)
{
	char path[PATH_MAX];
	struct doc_node *doc;
	const struct doc_node *v;
	struct time_error te;
	struct stat st;

	if (ac_path_join(path, sizeof(path), root, COLLECTION_FILE) != 0 ||
	    stat(path, &st) != 0)
		return 0;
	if ((doc = doc_load_one(c->a, c->d, path, DOC_FMT_JSON, c->lim)) ==
	    NULL)
		return -1;
	v = doc_get(doc, "started");
	if (v == NULL || v->type != DOC_STRING)
		return diag_err(c->d, v != NULL ? &v->mark : &doc->mark,
		    "'started' must be the RFC 3339 time the collection "
		    "began");
	if (time_parse(v->str, v->len, TIME_DATETIME, &c->collected, &te) == -1)
		return diag_err(
		    c->d, &v->mark, "'started' ('%s'): %s", v->str, te.why);
	return 0;
}

static int
cli_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	struct cli c;
	struct scope s;
	struct resp r;
	char **regions = NULL, dir[PATH_MAX];
	struct mark m = { path, 0, 0 };
	size_t nreg = 0, i;
	int kind, rc = -1;

	memset(&c, 0, sizeof(c));
	c.d = d;
	c.lim = lim;
	c.root = path;
	c.fn = fn;
	c.ctx = ctx;
	if ((c.a = arena_new()) == NULL)
		return diag_sys(d, &m, "out of memory");
	c.keep = c.a;
	kind = ac_scan_root(path, c.a, &regions, &nreg);
	if (kind == 0) {
		diag_err(d, &m,
		    "'%s' holds no AWS CLI outputs (<service>/<call>.json) "
		    "and no placebo recordings (<service>.<Operation>_N.json)",
		    path);
		goto out;
	}
	c.placebo = kind == 2;
	if (read_collection(&c, path) != 0)
		goto out;
	s.dir = path;
	s.region = NULL;
	if (c.placebo && ac_index_recordings(&c, &s) != 0)
		goto out;
	if (ac_cli_get(&c, &s, "sts", "get-caller-identity", NULL, 0, &r) != 0)
		goto out;
	if (r.kind == RESP_OK)
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
	arena_free(c.a);
	return rc;
}

const struct adapter adapter_aws_cli = {
	.name = "aws-cli",
	.summary = "a directory of AWS CLI JSON outputs "
		   "(scripts/collect-aws.sh) or placebo recordings",
	.detect = cli_detect,
	.read = cli_read,
};
