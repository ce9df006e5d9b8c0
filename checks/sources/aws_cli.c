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

#include "checks/sources/sources.h"

/* Recordings of an account-wide call looked for: _1 to _9. */
#define PLACEBO_MAX_SEQ 8

enum resp_kind { RESP_MISSING, RESP_OK, RESP_NOTCONF, RESP_ERROR };

struct resp {
	enum resp_kind kind;
	struct doc_node *data; /* RESP_OK: the response, wrapper removed */
	const char *code; /* NOTCONF, ERROR: the error code */
	const char *msg; /* ERROR: "Code: message (file)" */
	struct mark mark;
};

/* A growable array of strings in an arena (doubling: linear memory). */
struct strv {
	const char **v;
	size_t n, cap;
};

/* One placebo recording "<stem>_<seq>.json" of the input's root. */
struct precording {
	const char *stem; /* "ec2.DescribeInstances" */
	size_t seq; /* 1, 2, ... */
};

struct cli {
	struct diag *d;
	struct arena *a;
	const struct load_limits *lim;
	const char *root;
	int placebo;
	const char *account;
	resource_fn fn;
	void *ctx;
	size_t emitted; /* resources and listing markers */
	size_t resources; /* resources alone */
	struct precording *rec; /* placebo layout: sorted by stem, seq */
	size_t nrec;
	struct strv joined; /* per-resource files read in this scope */
	struct arena *keep; /* c->a of the whole read (a may be scratch) */
	int64_t collected; /* rampart-collection.json's start, or 0 */
};

/* When the collection ran (scripts/collect-aws.sh), at the export root. */
#define COLLECTION_FILE "rampart-collection.json"

/* The directory a scope reads from, and its region (NULL: none). */
struct scope {
	const char *dir;
	const char *region;
};

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
/* Post-processing of a joined value (JSON strings, defaults). */
enum fixup { FIX_NONE, FIX_JSON_STRING, FIX_VERSIONING, FIX_POLICY_VERSION };

static const struct call_info {
	const char *svc, *call, *type;
	int per_resource; /* <svc>/<call>/<name>.json */
	const char *member, *id; /* a listing read by read_simple_lists() */
	const char *notconf; /* the error code meaning "not configured" */
	const char *op; /* placebo operation, when not the PascalCase */
	/*
	 * A per-resource call joined into each resource of the type by
	 * join_all(): attrs[attr or field] = response[field] (the whole
	 * response when field is ""), or every field merged (field NULL,
	 * and then an error makes the whole resource unreadable).
	 */
	int joined;
	const char *field, *attr;
	enum fixup fix;
} calls[] = {
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

#define NCALLS (sizeof(calls) / sizeof(calls[0]))

/* The first row of `aws svc call` (svc NULL: any service), or NULL. */
static const struct call_info *
call_find(const char *svc, const char *call)
{
	size_t i;

	for (i = 0; i < NCALLS; i++)
		if ((svc == NULL || strcmp(calls[i].svc, svc) == 0) &&
		    strcmp(calls[i].call, call) == 0)
			return &calls[i];
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

static const char *
placebo_svc(const char *svc)
{
	size_t i;

	for (i = 0; i < sizeof(svc_map) / sizeof(svc_map[0]); i++)
		if (strcmp(svc, svc_map[i].cli) == 0)
			return svc_map[i].placebo;
	return svc;
}

/* "get-account-password-policy" -> "GetAccountPasswordPolicy" into buf. */
static void
placebo_op(const char *call, char *buf, size_t len)
{
	size_t i, o = 0;
	int up = 1;

	for (i = 0; i < NCALLS; i++)
		if (calls[i].op != NULL && strcmp(call, calls[i].call) == 0) {
			snprintf(buf, len, "%s", calls[i].op);
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
static int
call_path(const struct cli *c, const struct scope *s, const char *svc,
    const char *call, const char *name, size_t index, char *buf, size_t len)
{
	char op[128], safe[NAME_MAX];
	size_t i;
	int n;

	if (c->placebo) {
		placebo_op(call, op, sizeof(op));
		n = snprintf(buf, len, "%s/%s.%s_%zu.json", s->dir,
		    placebo_svc(svc), op, index + 1);
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
static int
is_global_service(const char *svc)
{
	return strcmp(svc, "iam") == 0 || strcmp(svc, "s3api") == 0 ||
	    strcmp(svc, "s3control") == 0 || strcmp(svc, "sts") == 0;
}

static int
strv_push(struct arena *a, struct strv *sv, const char *str)
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

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether the sorted sv holds str. */
static int
strv_has(const struct strv *sv, const char *str)
{
	return sv->n != 0 &&
	    bsearch(&str, sv->v, sv->n, sizeof(*sv->v), cmp_str) != NULL;
}

static int
cmp_rec(const void *a, const void *b)
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
static void
recordings(const struct cli *c, const char *svc, const char *call, size_t *n,
    size_t *max)
{
	char stem[256], op[128];
	struct precording key = { stem, 0 };
	size_t lo = 0, hi = c->nrec, mid;

	placebo_op(call, op, sizeof(op));
	snprintf(stem, sizeof(stem), "%s.%s", placebo_svc(svc), op);
	*n = *max = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cmp_rec(&c->rec[mid], &key) < 0)
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
	return r->msg == NULL ? diag_err(c->d, NULL, "out of memory") : 0;
}

/*
 * Read one call's output into r.  A missing file is RESP_MISSING; a
 * directory, FIFO or other non-regular file in its place, a placebo
 * recording without its wrapper or with a bad status, or an error
 * response is RESP_ERROR (never opened when not a regular file, so a
 * FIFO cannot block); an unparsable file is an error (-1) with its
 * file:line:col.
 */
static int
cli_get(struct cli *c, const struct scope *s, const char *svc, const char *call,
    const char *name, size_t index, struct resp *r)
{
	char path[PATH_MAX];
	struct doc_node *doc, *data, *err;
	const struct doc_node *sc;
	struct stat st;
	const char *code, *msg, *file, *why;
	long status = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (call_path(c, s, svc, call, name, index, path, sizeof(path)) != 0)
		return 0;
	/*
	 * A placebo test may record an account-wide call only after others
	 * (GetCredentialReport_2 after GenerateCredentialReport_1): take the
	 * first recording there is.
	 */
	while ((rc = stat(path, &st)) != 0 && errno == ENOENT && c->placebo &&
	    name == NULL && index < PLACEBO_MAX_SEQ)
		if (call_path(c, s, svc, call, name, ++index, path,
			sizeof(path)) != 0)
			return 0;
	if (rc != 0 && errno == ENOENT)
		return 0;
	r->mark.file = arena_strdup(c->a, path);
	if (r->mark.file == NULL)
		return diag_err(c->d, NULL, "out of memory");
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
		return diag_err(c->d, NULL, "out of memory");
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
			return diag_err(c->d, NULL, "out of memory");
		return 0;
	}
	if ((r->data = strip_metadata(c->a, data)) == NULL)
		return diag_err(c->d, NULL, "out of memory");
	r->kind = RESP_OK;
	return 0;
}

/* --------------------------------------------------------- resources */

static int
emit(struct cli *c, const struct scope *s, const char *type, const char *id,
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
static int
emit_marker(struct cli *c, const struct scope *s, const char *type,
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
		return diag_err(c->d, NULL, "out of memory");
	c->emitted++;
	return c->fn(c->ctx, &r, c->a);
}

/*
 * An error marker for every type read from service svc (call NULL) or
 * from its call, with the message "why: 'path'".  0 or -1.
 */
static int
mark_calls_error(struct cli *c, const struct scope *s, const char *svc,
    const char *call, const char *path, const char *why)
{
	const char *done[NCALLS], *msg;
	struct mark m = { NULL, 0, 0 };
	size_t i, j, n = 0;

	if ((msg = arena_printf(c->a, "%s: '%s'", why, path)) == NULL ||
	    (m.file = arena_strdup(c->a, path)) == NULL)
		return diag_err(c->d, NULL, "out of memory");
	for (i = 0; i < NCALLS; i++) {
		if (calls[i].type == NULL || strcmp(calls[i].svc, svc) != 0 ||
		    (call != NULL && strcmp(calls[i].call, call) != 0))
			continue;
		for (j = 0; j < n && strcmp(done[j], calls[i].type) != 0; j++)
			;
		if (j < n)
			continue;
		done[n++] = calls[i].type;
		if (emit_marker(c, s, calls[i].type, msg, &m) != 0)
			return -1;
	}
	return 0;
}

static const char *
account_id(const struct cli *c)
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
			return diag_err(c->d, NULL, "out of memory");
	}
	if (src_set(c->a, m, key, src_str(c->a, r->msg, &r->mark)) != 0)
		return diag_err(c->d, NULL, "out of memory");
	return 0;
}

/* Record a per-call read error on attrs; the first one becomes *rerr. */
static int
add_read_error(struct cli *c, struct doc_node *attrs, const char *call,
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
 * (check_per_resource).  0 or -1.
 */
static int
note_joined(struct cli *c, const char *svc, const char *call, const char *name)
{
	char *key;
	size_t i, o;

	if (c->placebo || name == NULL || name[0] == '\0')
		return 0;
	if ((key = arena_printf(c->keep, "%s/%s/%s", svc, call, name)) == NULL)
		return diag_err(c->d, NULL, "out of memory");
	/* The file name call_path() gives it. */
	o = strlen(svc) + strlen(call) + 2;
	for (i = o; key[i] != '\0'; i++)
		if (key[i] == '/')
			key[i] = '_';
	if (strv_push(c->keep, &c->joined, key) != 0)
		return diag_err(c->d, NULL, "out of memory");
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
static int
join(struct cli *c, const struct scope *s, struct doc_node *attrs,
    const char **rerr, const char *svc, const char *call, const char *name,
    size_t index, const char *field, const char *attr, enum fixup f)
{
	struct resp r;
	struct doc_node *v;
	const char *why;
	size_t i, n, max;

	if (note_joined(c, svc, call, name) != 0 ||
	    cli_get(c, s, svc, call, name, index, &r) != 0)
		return -1;
	/*
	 * Placebo: a call recorded for other resources but not this one
	 * (its recording is missing) is missing evidence, not absence.
	 */
	if (r.kind == RESP_MISSING && c->placebo && name != NULL) {
		recordings(c, svc, call, &n, &max);
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
		return add_read_error(c, attrs, call, &r, rerr);
	case RESP_NOTCONF:
		if (src_not_configured(c->a, attrs,
			attr != NULL        ? attr
			    : field != NULL ? field
					    : call,
			r.code, &r.mark))
			return diag_err(c->d, NULL, "out of memory");
		return 0;
	case RESP_OK:
		break;
	}
	if (field == NULL) {
		for (i = 0; i < r.data->u.map.n; i++)
			if (src_set(c->a, attrs,
				r.data->u.map.pairs[i].key->str,
				r.data->u.map.pairs[i].val))
				return diag_err(c->d, NULL, "out of memory");
		return 0;
	}
	v = field[0] == '\0' ? r.data : doc_get(r.data, field);
	if (v == NULL)
		return 0;
	if ((v = fixup(c, v, f, &why)) == NULL) {
		r.msg = arena_printf(c->a, "'aws %s %s': %s is unreadable: %s",
		    svc, call, field, why != NULL ? why : "out of memory");
		if (r.msg == NULL)
			return diag_err(c->d, NULL, "out of memory");
		if (rerr == NULL)
			return add_unreadable(
			    c, attrs, call, attr != NULL ? attr : field, &r);
		return add_read_error(c, attrs, call, &r, rerr);
	}
	if (src_set(c->a, attrs, attr != NULL ? attr : field, v))
		return diag_err(c->d, NULL, "out of memory");
	return 0;
}

/*
 * An account- or region-wide resource from one call, and its listing
 * marker; no file, no resource and no marker.  Not configured:
 * attrs[attr] = null + NotConfigured.
 */
static int
singleton(struct cli *c, const struct scope *s, const char *type,
    const char *svc, const char *call, const char *attr,
    struct doc_node **attrsp, const char **rerrp, struct mark *mp)
{
	struct doc_node *attrs;
	const char *rerr = NULL, *why;
	struct resp r;

	*attrsp = NULL;
	if (cli_get(c, s, svc, call, NULL, 0, &r) != 0)
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
		return diag_err(c->d, NULL, "out of memory");
	if (r.kind == RESP_NOTCONF &&
	    src_not_configured(c->a, attrs, attr, r.code, &r.mark))
		return diag_err(c->d, NULL, "out of memory");
	if (r.kind == RESP_ERROR && add_read_error(c, attrs, call, &r, &rerr))
		return -1;
	/* The file is the whole evidence of the type in this scope. */
	if (emit_marker(c, s, type, rerr, &r.mark) != 0)
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

	if (singleton(c, s, type, svc, call, attr, &attrs, &rerr, &m) != 0)
		return -1;
	if (attrs == NULL)
		return 0;
	return emit(c, s, type, account_id(c), attrs, rerr, &m);
}

/*
 * The listing at member key of `aws svc call`: every page read and their
 * members joined into *list (NULL when no page holds the listing).  In
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
static int
read_listing(struct cli *c, const struct scope *s, const char *type,
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
		recordings(c, svc, call, &n, &max);
	for (i = 0; i < max; i++) {
		if (cli_get(c, s, svc, call, c->placebo ? "" : NULL, i, &p))
			return -1;
		if (p.kind == RESP_MISSING) {
			/* Only in the placebo layout: a gap in _1 ... _max. */
			if (rerr == NULL &&
			    (rerr = arena_printf(c->a,
				 "'aws %s %s' is incomplete: recording %zu of "
				 "%zu is missing (%s/%s.*_%zu.json)",
				 svc, call, i + 1, max, s->dir,
				 placebo_svc(svc), i + 1)) == NULL)
				return diag_err(c->d, NULL, "out of memory");
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
				return diag_err(c->d, NULL, "out of memory");
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
				return diag_err(c->d, NULL, "out of memory");
			for (j = 0; j < (*list)->u.seq.n; j++)
				if (doc_seq_push(
					c->a, all, (*list)->u.seq.items[j]))
					return diag_err(
					    c->d, NULL, "out of memory");
			*list = all;
		}
		for (j = 0; j < l->u.seq.n; j++)
			if (doc_seq_push(c->a, all, l->u.seq.items[j]))
				return diag_err(c->d, NULL, "out of memory");
	}
	if (!seen)
		return 0;
	if (rerr == NULL && last != NULL && (more = more_pages(last)) != NULL &&
	    (rerr = arena_printf(c->a,
		 "'aws %s %s' is incomplete: its last page says '%s', so "
		 "more pages exist than the export holds (%s)",
		 svc, call, more, r->mark.file)) == NULL)
		return diag_err(c->d, NULL, "out of memory");
	if (rerr != NULL) {
		r->kind = RESP_ERROR;
		r->msg = rerr;
	}
	if (type != NULL && emit_marker(c, s, type, rerr, &m) != 0)
		return -1;
	return 0;
}

static int
listing(struct cli *c, const struct scope *s, const char *type, const char *svc,
    const char *call, const char *key, struct resp *r,
    const struct doc_node **list)
{
	return read_listing(c, s, type, svc, call, key, 0, r, list);
}

static int
element(struct cli *c, const struct scope *s, const char *type,
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
		return diag_err(c->d, NULL, "out of memory");
	(void)s;
	return 0;
}

/* The listings whose elements are resources as they are (calls[]). */
static int
read_simple_lists(struct cli *c, const struct scope *s)
{
	const struct call_info *l;
	const struct doc_node *list;
	struct doc_node *attrs;
	struct resp r;
	const char *id;
	size_t i, j;

	for (i = 0; i < NCALLS; i++) {
		l = &calls[i];
		if (l->member == NULL)
			continue;
		if (listing(
			c, s, l->type, l->svc, l->call, l->member, &r, &list))
			return -1;
		for (j = 0; list != NULL && j < list->u.seq.n; j++) {
			if (element(c, s, l->type, list->u.seq.items[j], l->id,
				&attrs, &id) ||
			    emit(c, s, l->type, id, attrs, NULL,
				&list->u.seq.items[j]->mark))
				return -1;
		}
	}
	return 0;
}

static int
read_instances(struct cli *c, const struct scope *s)
{
	const char *type = "AWS::EC2::Instance", *id;
	const struct doc_node *res, *inst;
	struct doc_node *attrs;
	struct resp r;
	size_t i, j;

	if (listing(c, s, type, "ec2", "describe-instances", "Reservations", &r,
		&res))
		return -1;
	for (i = 0; res != NULL && i < res->u.seq.n; i++) {
		inst = doc_get(res->u.seq.items[i], "Instances");
		for (j = 0;
		     inst != NULL && inst->type == DOC_SEQ && j < inst->u.seq.n;
		     j++)
			if (element(c, s, type, inst->u.seq.items[j],
				"InstanceId", &attrs, &id) ||
			    emit(c, s, type, id, attrs, NULL,
				&inst->u.seq.items[j]->mark))
				return -1;
	}
	return 0;
}

static int
read_vpcs(struct cli *c, const struct scope *s)
{
	const char *type = "AWS::EC2::VPC", *id, *rerr;
	const struct doc_node *vpcs, *fl, *f;
	struct doc_node *attrs, *mine;
	struct resp r, fr;
	size_t i, j;

	if (listing(c, s, type, "ec2", "describe-vpcs", "Vpcs", &r, &vpcs))
		return -1;
	if (vpcs == NULL)
		return 0;
	/* Flow logs are a listing too: incomplete, every VPC is unreadable. */
	if (read_listing(c, s, NULL, "ec2", "describe-flow-logs", "FlowLogs", 0,
		&fr, &fl))
		return -1;
	for (i = 0; i < vpcs->u.seq.n; i++) {
		rerr = NULL;
		if (element(
			c, s, type, vpcs->u.seq.items[i], "VpcId", &attrs, &id))
			return -1;
		if (fr.kind == RESP_ERROR || fr.kind == RESP_NOTCONF) {
			if (fr.msg == NULL)
				fr.msg = fr.code;
			if (add_read_error(
				c, attrs, "describe-flow-logs", &fr, &rerr))
				return -1;
		} else if (fr.kind == RESP_OK) {
			if ((mine = src_seq(c->a, &fr.mark)) == NULL)
				return diag_err(c->d, NULL, "out of memory");
			for (j = 0; fl != NULL && fl->type == DOC_SEQ &&
			     j < fl->u.seq.n;
			     j++) {
				f = fl->u.seq.items[j];
				if (doc_str(doc_get(f, "ResourceId")) != NULL &&
				    strcmp(doc_str(doc_get(f, "ResourceId")),
					id) == 0 &&
				    doc_seq_push(
					c->a, mine, (struct doc_node *)f))
					return diag_err(
					    c->d, NULL, "out of memory");
			}
			if (src_set(c->a, attrs, "FlowLogs", mine))
				return diag_err(c->d, NULL, "out of memory");
		}
		if (emit(c, s, type, id, attrs, rerr,
			&vpcs->u.seq.items[i]->mark))
			return -1;
	}
	return 0;
}

/*
 * Every per-resource call calls[] joins into resources of type, in
 * table order, for the resource name (index-th listed).  A merged call
 * (field NULL) that failed makes the resource unreadable (*rerr); the
 * others spoil their attribute only.  0 or -1.
 */
static int
join_all(struct cli *c, const struct scope *s, const char *type,
    struct doc_node *attrs, const char **rerr, const char *name, size_t index)
{
	const struct call_info *ci;
	size_t i;

	for (i = 0; i < NCALLS; i++) {
		ci = &calls[i];
		if (!ci->joined || ci->type == NULL ||
		    strcmp(ci->type, type) != 0)
			continue;
		if (join(c, s, attrs, ci->field != NULL ? NULL : rerr, ci->svc,
			ci->call, name, index, ci->field, ci->attr, ci->fix))
			return -1;
	}
	return 0;
}

static int
read_buckets(struct cli *c, const struct scope *s)
{
	const char *type = "AWS::S3::Bucket", *id, *rerr;
	const struct doc_node *list, *owner;
	struct doc_node *attrs;
	struct resp r;
	size_t i;

	if (listing(c, s, type, "s3api", "list-buckets", "Buckets", &r, &list))
		return -1;
	owner = list != NULL ? doc_get(r.data, "Owner") : NULL;
	for (i = 0; list != NULL && i < list->u.seq.n; i++) {
		rerr = NULL;
		if (element(
			c, s, type, list->u.seq.items[i], "Name", &attrs, &id))
			return -1;
		if (owner != NULL &&
		    src_set(c->a, attrs, "Owner", (struct doc_node *)owner))
			return diag_err(c->d, NULL, "out of memory");
		if (join_all(c, s, type, attrs, &rerr, id, i) ||
		    emit(c, s, type, id, attrs, rerr,
			&list->u.seq.items[i]->mark))
			return -1;
	}
	return 0;
}

static int
read_keys(struct cli *c, const struct scope *s)
{
	const char *type = "AWS::KMS::Key", *id, *rerr;
	const struct doc_node *list;
	struct doc_node *attrs;
	struct resp r;
	size_t i;

	if (listing(c, s, type, "kms", "list-keys", "Keys", &r, &list))
		return -1;
	for (i = 0; list != NULL && i < list->u.seq.n; i++) {
		rerr = NULL;
		if (element(c, s, type, list->u.seq.items[i], "KeyId", &attrs,
			&id) ||
		    join_all(c, s, type, attrs, &rerr, id, i) ||
		    emit(c, s, type, id, attrs, rerr,
			&list->u.seq.items[i]->mark))
			return -1;
	}
	return 0;
}

static int
read_trails(struct cli *c, const struct scope *s)
{
	const char *type = "AWS::CloudTrail::Trail", *id, *rerr;
	const struct doc_node *list;
	struct doc_node *attrs;
	struct resp r;
	size_t i;

	if (listing(c, s, type, "cloudtrail", "describe-trails", "trailList",
		&r, &list))
		return -1;
	for (i = 0; list != NULL && i < list->u.seq.n; i++) {
		rerr = NULL;
		if (element(c, s, type, list->u.seq.items[i], "Name", &attrs,
			&id) ||
		    join_all(c, s, type, attrs, &rerr, id, i) ||
		    emit(c, s, type, id, attrs, rerr,
			&list->u.seq.items[i]->mark))
			return -1;
	}
	return 0;
}

/*
 * The listing of a load balancer API.  Classic ELB (`elb`) and elbv2
 * share their placebo file names (elasticloadbalancing.
 * DescribeLoadBalancers_N.json): there, the listing is the first
 * recording that holds key, and a recording of the other API is not an
 * error.
 */
static int
elb_listing(struct cli *c, const struct scope *s, const char *type,
    const char *svc, const char *key, struct resp *r,
    const struct doc_node **list)
{
	return read_listing(c, s, type, svc, "describe-load-balancers", key,
	    c->placebo, r, list);
}

/*
 * A classic listener description with `SslNegotiationPolicy`: the
 * description of the SSLNegotiationPolicyType policy it names among pols
 * (describe-load-balancer-policies), plus `Attributes`, that policy's
 * PolicyAttributeDescriptions as a map AttributeName -> AttributeValue.
 * ld itself when it names no such policy; NULL when out of memory.
 */
static struct doc_node *
with_ssl_policy(struct cli *c, struct doc_node *ld, const struct doc_node *pols)
{
	const struct doc_node *names, *p = NULL, *ads, *ad;
	const char *nm, *pn, *pt;
	struct doc_node *out, *pol, *map;
	size_t i, j;

	names = doc_get(ld, "PolicyNames");
	if (ld->type != DOC_MAP || names == NULL || names->type != DOC_SEQ)
		return ld;
	for (i = 0; p == NULL && i < names->u.seq.n; i++) {
		if ((nm = doc_str(names->u.seq.items[i])) == NULL)
			continue;
		for (j = 0; p == NULL && j < pols->u.seq.n; j++) {
			pn = doc_str(
			    doc_get(pols->u.seq.items[j], "PolicyName"));
			pt = doc_str(
			    doc_get(pols->u.seq.items[j], "PolicyTypeName"));
			if (pn != NULL && pt != NULL && strcmp(pn, nm) == 0 &&
			    strcmp(pt, "SSLNegotiationPolicyType") == 0)
				p = pols->u.seq.items[j];
		}
	}
	if (p == NULL || p->type != DOC_MAP)
		return ld;
	if ((map = src_map(c->a, &p->mark)) == NULL)
		return NULL;
	ads = doc_get(p, "PolicyAttributeDescriptions");
	for (i = 0; ads != NULL && ads->type == DOC_SEQ && i < ads->u.seq.n;
	     i++) {
		ad = ads->u.seq.items[i];
		nm = doc_str(doc_get(ad, "AttributeName"));
		if (nm != NULL && doc_get(ad, "AttributeValue") != NULL &&
		    src_set(c->a, map, nm,
			(struct doc_node *)doc_get(ad, "AttributeValue")))
			return NULL;
	}
	if ((pol = src_map_clone(c->a, p)) == NULL ||
	    src_set(c->a, pol, "Attributes", map) ||
	    (out = src_map_clone(c->a, ld)) == NULL ||
	    src_set(c->a, out, "SslNegotiationPolicy", pol))
		return NULL;
	return out;
}

/*
 * Classic load balancers: elb/describe-load-balancers.json, each joined
 * with elb/describe-load-balancer-policies/<LoadBalancerName>.json
 * (PolicyDescriptions), and each listener description with its SSL
 * negotiation policy (with_ssl_policy).
 */
static int
read_classic_elbs(struct cli *c, const struct scope *s)
{
	const char *type = "AWS::ElasticLoadBalancing::LoadBalancer";
	const char *id, *rerr;
	const struct doc_node *list, *lds, *pols;
	struct doc_node *attrs, *mine, *ld;
	struct resp r;
	size_t i, j;

	if (elb_listing(
		c, s, type, "elb", "LoadBalancerDescriptions", &r, &list))
		return -1;
	for (i = 0; list != NULL && i < list->u.seq.n; i++) {
		rerr = NULL;
		if (element(c, s, type, list->u.seq.items[i],
			"LoadBalancerName", &attrs, &id) ||
		    join(c, s, attrs, &rerr, "elb",
			"describe-load-balancer-policies", id, i,
			"PolicyDescriptions", NULL, FIX_NONE))
			return -1;
		pols = doc_get(attrs, "PolicyDescriptions");
		lds = doc_get(attrs, "ListenerDescriptions");
		if (pols != NULL && pols->type == DOC_SEQ && lds != NULL &&
		    lds->type == DOC_SEQ) {
			if ((mine = src_seq(c->a, &lds->mark)) == NULL)
				return diag_err(c->d, NULL, "out of memory");
			for (j = 0; j < lds->u.seq.n; j++)
				if ((ld = with_ssl_policy(c,
					 lds->u.seq.items[j], pols)) == NULL ||
				    doc_seq_push(c->a, mine, ld))
					return diag_err(
					    c->d, NULL, "out of memory");
			if (src_set(c->a, attrs, "ListenerDescriptions", mine))
				return diag_err(c->d, NULL, "out of memory");
		}
		if (emit(c, s, type, id, attrs, rerr,
			&list->u.seq.items[i]->mark))
			return -1;
	}
	return 0;
}

/*
 * Every elbv2 listener recorded region-wide, into *all (NULL: none): the
 * CLI layout's one elbv2/describe-listeners.json, or every placebo
 * recording of DescribeListeners (one per balancer, in an order that
 * need not be the listing's, so they are joined on LoadBalancerArn, not
 * by position).  *lr is RESP_ERROR when a file holds an error, a page is
 * missing or more pages were not collected.
 */
static int
elbv2_listeners(struct cli *c, const struct scope *s, struct resp *lr,
    struct doc_node **all)
{
	const struct doc_node *l;

	if (read_listing(c, s, NULL, "elbv2", "describe-listeners", "Listeners",
		0, lr, &l))
		return -1;
	*all = (struct doc_node *)l;
	return 0;
}

/*
 * The listeners of list whose LoadBalancerArn is arn; with unnamed, also
 * those without a LoadBalancerArn (a per-balancer file names its
 * balancer).  A new list in c->a, or NULL when out of memory.
 */
static struct doc_node *
listeners_of(struct cli *c, const struct doc_node *list, const char *arn,
    int unnamed, const struct mark *m)
{
	struct doc_node *mine;
	const char *la;
	size_t j;

	if ((mine = src_seq(c->a, m)) == NULL)
		return NULL;
	for (j = 0; j < list->u.seq.n; j++) {
		la = doc_str(doc_get(list->u.seq.items[j], "LoadBalancerArn"));
		if ((la != NULL ? strcmp(la, arn) == 0 : unnamed) &&
		    doc_seq_push(c->a, mine, list->u.seq.items[j]))
			return NULL;
	}
	return mine;
}

static int
read_load_balancers(struct cli *c, const struct scope *s)
{
	const char *type = "AWS::ElasticLoadBalancingV2::LoadBalancer";
	const char *id, *name, *rerr;
	const struct doc_node *list, *l;
	struct doc_node *attrs, *all, *mine;
	struct resp r, lr;
	size_t i;

	if (elb_listing(c, s, type, "elbv2", "LoadBalancers", &r, &list))
		return -1;
	if (list == NULL)
		return 0;
	/* Listeners either all in one file, or one file per balancer. */
	if (elbv2_listeners(c, s, &lr, &all) != 0)
		return -1;
	for (i = 0; i < list->u.seq.n; i++) {
		rerr = NULL;
		if (element(c, s, type, list->u.seq.items[i], "LoadBalancerArn",
			&attrs, &id))
			return -1;
		name = doc_str(doc_get(attrs, "LoadBalancerName"));
		if (lr.kind == RESP_ERROR) {
			if (add_read_error(
				c, attrs, "describe-listeners", &lr, &rerr))
				return -1;
		} else if (all != NULL) {
			if ((mine = listeners_of(c, all, id, 0, &lr.mark)) ==
				NULL ||
			    src_set(c->a, attrs, "Listeners", mine))
				return diag_err(c->d, NULL, "out of memory");
		} else if (!c->placebo) {
			if (join(c, s, attrs, &rerr, "elbv2",
				"describe-listeners", name != NULL ? name : id,
				i, "Listeners", NULL, FIX_NONE))
				return -1;
			l = doc_get(attrs, "Listeners");
			if (l != NULL && l->type == DOC_SEQ &&
			    ((mine = listeners_of(c, l, id, 1, &l->mark)) ==
				    NULL ||
				src_set(c->a, attrs, "Listeners", mine)))
				return diag_err(c->d, NULL, "out of memory");
		}
		if (emit(c, s, type, id, attrs, rerr,
			&list->u.seq.items[i]->mark))
			return -1;
	}
	return 0;
}

/*
 * The name of the file holding the index-th per-resource output called
 * name: "allow-all" for <svc>/<call>/allow-all.json, the recording's
 * "<service>.<Operation>_N" in the placebo layout.  In c->a, or NULL.
 */
static const char *
file_stem(struct cli *c, const struct scope *s, const char *svc,
    const char *call, const char *name, size_t index)
{
	char path[PATH_MAX];
	const char *base;
	size_t len;

	if (!c->placebo)
		return name;
	if (call_path(c, s, svc, call, "", index, path, sizeof(path)) != 0)
		return NULL;
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	len = strlen(base);
	return arena_strndup(c->a, base, len > 5 ? len - 5 : len);
}

/*
 * Names of per-resource outputs when their listing is absent: the files
 * of <svc>/<call>/ (CLI layout, sorted) or the count of recordings
 * (placebo layout, named "1", "2"...).  NULL-terminated, in c->a.
 */
static char **
per_resource_names(
    struct cli *c, const struct scope *s, const char *svc, const char *call)
{
	char path[PATH_MAX], **v, *nm;
	size_t n, max, i, len;
	struct strv sv = { NULL, 0, 0 };
	struct dirent *de;
	DIR *dir;

	if (c->placebo) {
		/* Every sequence number up to the last: a gap is read as a
		 * missing recording, never skipped. */
		recordings(c, svc, call, &n, &max);
		if ((v = arena_alloc(c->a, (max + 1) * sizeof(*v))) == NULL)
			return NULL;
		for (i = 0; i < max; i++)
			if ((v[i] = arena_printf(c->a, "%zu", i + 1)) == NULL)
				return NULL;
		return v;
	}
	snprintf(path, sizeof(path), "%s/%s/%s", s->dir, svc, call);
	if ((dir = opendir(path)) == NULL)
		return arena_alloc(c->a, sizeof(*v));
	/* Grown by doubling: memory stays linear in the number of files. */
	while ((de = readdir(dir)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if ((nm = arena_strndup(c->a, de->d_name, len - 5)) == NULL ||
		    strv_push(c->a, &sv, nm) != 0) {
			closedir(dir);
			return NULL;
		}
	}
	closedir(dir);
	if (strv_push(c->a, &sv, NULL) != 0)
		return NULL;
	qsort(sv.v, sv.n - 1, sizeof(*sv.v), cmp_str);
	return (char **)sv.v;
}

/* The index-th per-resource output (name) alone as a resource. */
static int
described_one(struct cli *c, const struct scope *s, const char *type,
    const char *svc, const char *call, const char *field, enum fixup f,
    const char *id_path, const char *name, size_t i)
{
	struct doc_node *attrs, *v;
	const char *id, *rerr = NULL;

	if ((attrs = src_map(c->a, NULL)) == NULL)
		return diag_err(c->d, NULL, "out of memory");
	if (join(c, s, attrs, &rerr, svc, call, c->placebo ? "" : name, i,
		field, NULL, f))
		return -1;
	if (attrs->u.map.n == 0 && rerr == NULL &&
	    (rerr = arena_printf(c->a,
		 "'aws %s %s': recording %zu is missing (%s)", svc, call, i + 1,
		 s->dir)) == NULL)
		return diag_err(c->d, NULL, "out of memory");
	/* The id from the output itself when it holds one. */
	v = id_path != NULL ? doc_get(doc_get(attrs, field), id_path) : NULL;
	if ((id = doc_str(v)) == NULL &&
	    (id = file_stem(c, s, svc, call, name, i)) == NULL)
		return diag_err(c->d, NULL, "out of memory");
	if (doc_get(attrs, field) != NULL)
		attrs->mark = doc_get(attrs, field)->mark;
	return emit(c, s, type, id, attrs, rerr, &attrs->mark);
}

/*
 * Resources listed by list_call (key list_key, id id_key, file name
 * name_key) and described by a per-resource call; when the listing is
 * absent, the per-resource outputs alone.  Their id is then the output's
 * value at id_path when the output holds a unique one (an ARN), else the
 * per-resource file's name (`get-policy-version/allow-all.json` is
 * "allow-all"; a placebo recording's name, "iam.GetPolicyVersion_1"):
 * never a value that many resources share, such as a policy's VersionId,
 * which would merge them in reports and POA&M resource globs.
 */
static int
read_described(struct cli *c, const struct scope *s, const char *type,
    const char *svc, const char *list_call, const char *list_key,
    const char *id_key, const char *name_key, const char *call,
    const char *field, enum fixup f, const char *id_path)
{
	const struct doc_node *list, *e;
	struct doc_node *attrs;
	const char *id, *name, *rerr;
	struct arena *saved;
	struct resp r;
	char **names;
	size_t i;
	int rc;

	if (listing(c, s, type, svc, list_call, list_key, &r, &list))
		return -1;
	if (r.kind != RESP_MISSING) {
		for (i = 0; list != NULL && i < list->u.seq.n; i++) {
			rerr = NULL;
			e = list->u.seq.items[i];
			if (element(c, s, type, e, id_key, &attrs, &id))
				return -1;
			name = doc_str(doc_get(e, name_key));
			if (name == NULL)
				name = id;
			/* An ARN's last part is the file name. */
			if (strrchr(name, '/') != NULL)
				name = strrchr(name, '/') + 1;
			if (join(c, s, attrs, &rerr, svc, call, name, i, field,
				NULL, f) ||
			    emit(c, s, type, id, attrs, rerr, &e->mark))
				return -1;
		}
		return 0;
	}
	if ((names = per_resource_names(c, s, svc, call)) == NULL)
		return diag_err(c->d, NULL, "out of memory");
	for (i = 0; names[i] != NULL; i++) {
		/*
		 * Each output is read into its own arena, freed once the
		 * resource is handed over (the callback copies what it
		 * keeps): memory does not grow with the number of files.
		 */
		saved = c->a;
		if ((c->a = arena_new()) == NULL) {
			c->a = saved;
			return diag_err(c->d, NULL, "out of memory");
		}
		rc = described_one(
		    c, s, type, svc, call, field, f, id_path, names[i], i);
		arena_free(c->a);
		c->a = saved;
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------- IAM */

/*
 * Split CSV text into rows of fields (the credential report's subset:
 * no quoting).  Lines end with LF, CRLF or a lone CR.  A row whose
 * field count differs from the header's (rows merged or cut) sets *bad
 * to why; the report then is unreadable.  NULL when out of memory.
 */
static struct doc_node *
csv_users(struct cli *c, const char *text, size_t len, const struct mark *m,
    const char **bad)
{
	struct doc_node *users, *row = NULL, *val;
	const char *p = text, *end = text + len, *eol, *f, *comma, *cr;
	const char *hdr[64];
	size_t hlen[64], nh = 0, i, line = 0;
	int first = 1;

	*bad = NULL;
	if ((users = src_seq(c->a, m)) == NULL)
		return NULL;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		cr = memchr(p, '\r', (size_t)(eol - p));
		if (cr != NULL)
			eol = cr;
		line++;
		if (eol == p) {
			p = eol + 1;
			continue;
		}
		if (!first && (row = src_map(c->a, m)) == NULL)
			return NULL;
		for (i = 0, f = p; f <= eol; i++) {
			comma = memchr(f, ',', (size_t)(eol - f));
			if (comma == NULL)
				comma = eol;
			if (first) {
				if (nh == 64) {
					*bad = "the header has more than 64 "
					       "fields";
					return users;
				}
				hdr[nh] = f;
				hlen[nh++] = (size_t)(comma - f);
			} else if (i < nh) {
				if ((val = doc_new_string(c->a, f,
					 (size_t)(comma - f), m)) == NULL ||
				    doc_map_put(c->a, row,
					doc_new_string(
					    c->a, hdr[i], hlen[i], m),
					val))
					return NULL;
			}
			f = comma + 1;
		}
		if (!first && i != nh && *bad == NULL &&
		    (*bad = arena_printf(c->a,
			 "line %zu has %zu fields, the header %zu (rows "
			 "merged or cut)",
			 line, i, nh)) == NULL)
			return NULL;
		if (!first && doc_seq_push(c->a, users, row))
			return NULL;
		first = 0;
		p = eol + 1;
		if (eol < end && *eol == '\r' && p < end && *p == '\n')
			p++;
	}
	return users;
}

/*
 * Base64 text with the line breaks and blanks a CLI or an editor may
 * have put in it removed, decoded; NULL with *why when not base64.
 */
static unsigned char *
decode_content(struct cli *c, const char *text, size_t len, size_t *outlen,
    const char **why)
{
	char *clean;
	unsigned char *dec;
	size_t i, n = 0;

	if ((clean = arena_alloc(c->a, len + 1)) == NULL) {
		*why = "out of memory";
		return NULL;
	}
	for (i = 0; i < len; i++) {
		if (text[i] == '\n' || text[i] == '\r' || text[i] == ' ' ||
		    text[i] == '\t')
			continue;
		if (!((text[i] >= 'A' && text[i] <= 'Z') ||
			(text[i] >= 'a' && text[i] <= 'z') ||
			(text[i] >= '0' && text[i] <= '9') || text[i] == '+' ||
			text[i] == '/' || text[i] == '=')) {
			*why = arena_printf(c->a,
			    "credential report 'Content' is neither CSV nor "
			    "base64: byte %zu is 0x%02x",
			    i, (unsigned char)text[i]);
			return NULL;
		}
		clean[n++] = text[i];
	}
	if ((dec = base64_decode(clean, n, outlen)) == NULL)
		*why = arena_printf(c->a,
		    "credential report 'Content' is not valid base64 (%zu "
		    "characters without line breaks, padding misplaced or "
		    "length not a multiple of 4)",
		    n);
	return dec;
}

/*
 * The credential report singleton: Content (base64 from the CLI, plain
 * text in placebo recordings) parsed into Users.  *users receives the
 * list (NULL when unavailable).  A report without the <root_account>
 * row, with rows merged or cut, or undecodable is unreadable.
 */
static int
read_credential_report(
    struct cli *c, const struct scope *s, const struct doc_node **users)
{
	const char *type = "AWS::IAM::CredentialReport", *rerr = NULL, *why;
	const struct doc_node *content;
	struct doc_node *attrs, *u;
	unsigned char *dec = NULL;
	const char *text, *nm;
	size_t len, i;
	struct resp r;
	int root = 0;

	*users = NULL;
	if (cli_get(c, s, "iam", "get-credential-report", NULL, 0, &r) != 0)
		return -1;
	if (r.kind == RESP_MISSING)
		return 0;
	if ((attrs = src_map(c->a, &r.mark)) == NULL)
		return diag_err(c->d, NULL, "out of memory");
	if (r.kind != RESP_OK) {
		if (r.msg == NULL)
			r.msg = r.code;
		if (add_read_error(
			c, attrs, "get-credential-report", &r, &rerr))
			return -1;
		goto done;
	}
	content = doc_get(r.data, "Content");
	if (doc_get(r.data, "GeneratedTime") != NULL &&
	    src_set(
		c->a, attrs, "GeneratedTime", doc_get(r.data, "GeneratedTime")))
		return diag_err(c->d, NULL, "out of memory");
	if (doc_get(r.data, "ReportFormat") != NULL &&
	    src_set(
		c->a, attrs, "ReportFormat", doc_get(r.data, "ReportFormat")))
		return diag_err(c->d, NULL, "out of memory");
	if (content == NULL || content->type != DOC_STRING) {
		rerr = "credential report has no 'Content'";
		goto done;
	}
	text = content->str;
	len = content->len;
	if (memchr(text, ',', len) == NULL) {
		if ((dec = decode_content(c, text, len, &len, &why)) == NULL) {
			rerr = why != NULL ? why : "out of memory";
			goto done;
		}
		text = (const char *)dec;
	}
	u = csv_users(c, text, len, &content->mark, &why);
	lib_free(dec);
	if (u == NULL)
		return diag_err(c->d, NULL, "out of memory");
	for (i = 0; i < u->u.seq.n; i++)
		root |= (nm = doc_str(doc_get(u->u.seq.items[i], "user"))) !=
			NULL &&
		    strcmp(nm, "<root_account>") == 0;
	if (why != NULL)
		rerr =
		    arena_printf(c->a, "credential report 'Content': %s", why);
	else if (!root)
		rerr = "credential report has no '<root_account>' row";
	if (src_set(c->a, attrs, "Users", u))
		return diag_err(c->d, NULL, "out of memory");
	if (rerr == NULL)
		*users = u;
done:
	/* The report lists every user: a clean one is their listing. */
	if (emit_marker(c, s, type, rerr, &r.mark) != 0 ||
	    emit_marker(c, s, "AWS::IAM::User", rerr, &r.mark) != 0)
		return -1;
	return emit(c, s, type, account_id(c), attrs, rerr, &r.mark);
}

/*
 * One AWS::IAM::User per user of list-users and of the credential report
 * (the root account excluded: it is checked on the report).
 */
static int
read_users(struct cli *c, const struct scope *s, const struct doc_node *rep)
{
	const char *type = "AWS::IAM::User", *id, *rerr, *nm;
	const struct doc_node *list = NULL, *row;
	struct doc_node *attrs;
	struct resp r;
	size_t i, j, nlist = 0;
	int seen;

	if (listing(c, s, type, "iam", "list-users", "Users", &r, &list))
		return -1;
	if (list != NULL)
		nlist = list->u.seq.n;
	for (i = 0; i < nlist; i++) {
		rerr = NULL;
		if (element(c, s, type, list->u.seq.items[i], "UserName",
			&attrs, &id))
			return -1;
		for (j = 0; rep != NULL && j < rep->u.seq.n; j++) {
			row = rep->u.seq.items[j];
			if ((nm = doc_str(doc_get(row, "user"))) != NULL &&
			    strcmp(nm, id) == 0 &&
			    src_set(c->a, attrs, "CredentialReport",
				(struct doc_node *)row))
				return diag_err(c->d, NULL, "out of memory");
		}
		if (join(c, s, attrs, &rerr, "iam", "list-mfa-devices", id, i,
			"MFADevices", NULL, FIX_NONE) ||
		    join(c, s, attrs, &rerr, "iam", "list-access-keys", id, i,
			"AccessKeyMetadata", NULL, FIX_NONE) ||
		    emit(c, s, type, id, attrs, rerr,
			&list->u.seq.items[i]->mark))
			return -1;
	}
	for (j = 0; rep != NULL && j < rep->u.seq.n; j++) {
		row = rep->u.seq.items[j];
		nm = doc_str(doc_get(row, "user"));
		if (nm == NULL || strcmp(nm, "<root_account>") == 0)
			continue;
		for (i = 0, seen = 0; i < nlist && !seen; i++)
			seen = doc_str(doc_get(
				   list->u.seq.items[i], "UserName")) != NULL &&
			    strcmp(doc_str(doc_get(
				       list->u.seq.items[i], "UserName")),
				nm) == 0;
		if (seen)
			continue;
		rerr = NULL;
		if ((attrs = src_map(c->a, &row->mark)) == NULL ||
		    src_set(c->a, attrs, "UserName",
			src_str(c->a, nm, &row->mark)) ||
		    src_set(c->a, attrs, "CredentialReport",
			(struct doc_node *)row))
			return diag_err(c->d, NULL, "out of memory");
		if (doc_get(row, "arn") != NULL &&
		    src_set(c->a, attrs, "Arn", doc_get(row, "arn")))
			return diag_err(c->d, NULL, "out of memory");
		if (!c->placebo &&
		    (join(c, s, attrs, &rerr, "iam", "list-mfa-devices", nm, 0,
			 "MFADevices", NULL, FIX_NONE) ||
			join(c, s, attrs, &rerr, "iam", "list-access-keys", nm,
			    0, "AccessKeyMetadata", NULL, FIX_NONE)))
			return -1;
		if (emit(c, s, type, nm, attrs, rerr, &row->mark))
			return -1;
	}
	return 0;
}

static int
read_account_summary(struct cli *c, const struct scope *s)
{
	const char *type = "AWS::IAM::AccountSummary", *rerr;
	struct doc_node *attrs;
	struct mark m;

	if (singleton(c, s, type, "iam", "get-account-summary", "SummaryMap",
		&attrs, &rerr, &m) != 0)
		return -1;
	if (attrs == NULL)
		return 0;
	if (join(c, s, attrs, &rerr, "iam", "list-virtual-mfa-devices", NULL, 0,
		"VirtualMFADevices", NULL, FIX_NONE))
		return -1;
	return emit(c, s, type, account_id(c), attrs, rerr, &m);
}

/* ---------------------------------------------- regional singletons */

/*
 * The recorders of a region (describe-configuration-recorders) with
 * their statuses.  A status belongs to the recorder of the same name; a
 * recorder without one makes the resource unreadable (its state is
 * unknown, so no check on it may pass).
 */
static int
read_config_recorder(struct cli *c, const struct scope *s)
{
	const char *type = "AWS::Config::ConfigurationRecorder", *rerr;
	const struct doc_node *recs, *sts, *nm;
	struct doc_node *attrs;
	struct mark m;
	size_t i, j;
	int found;

	if (singleton(c, s, type, "configservice",
		"describe-configuration-recorders", "ConfigurationRecorders",
		&attrs, &rerr, &m) != 0)
		return -1;
	if (attrs == NULL)
		return 0;
	if (join(c, s, attrs, &rerr, "configservice",
		"describe-configuration-recorder-status", NULL, 0,
		"ConfigurationRecordersStatus", NULL, FIX_NONE))
		return -1;
	recs = doc_get(attrs, "ConfigurationRecorders");
	sts = doc_get(attrs, "ConfigurationRecordersStatus");
	for (i = 0; rerr == NULL && recs != NULL && recs->type == DOC_SEQ &&
	     i < recs->u.seq.n;
	     i++) {
		nm = doc_get(recs->u.seq.items[i], "name");
		for (j = 0, found = 0;
		     !found && nm != NULL && nm->type == DOC_STRING &&
		     sts != NULL && sts->type == DOC_SEQ && j < sts->u.seq.n;
		     j++)
			found = doc_str(doc_get(sts->u.seq.items[j], "name")) !=
				NULL &&
			    strcmp(
				doc_str(doc_get(sts->u.seq.items[j], "name")),
				nm->str) == 0;
		if (!found &&
		    (rerr = arena_printf(c->a,
			 "configuration recorder '%s' has no status in the "
			 "output of 'aws configservice "
			 "describe-configuration-recorder-status' (%s)",
			 doc_str(nm) != NULL ? doc_str(nm) : "?", s->dir)) ==
			NULL)
			return diag_err(c->d, NULL, "out of memory");
	}
	return emit(c, s, type, account_id(c), attrs, rerr, &m);
}

static int
read_guardduty(struct cli *c, const struct scope *s)
{
	const char *type = "AWS::GuardDuty::Detector", *rerr, *id;
	const struct doc_node *ids;
	struct doc_node *attrs, *dets, *det;
	struct mark m;
	size_t i;

	if (singleton(c, s, type, "guardduty", "list-detectors", "DetectorIds",
		&attrs, &rerr, &m) != 0)
		return -1;
	if (attrs == NULL)
		return 0;
	ids = doc_get(attrs, "DetectorIds");
	if ((dets = src_seq(c->a, &m)) == NULL ||
	    src_set(c->a, attrs, "Detectors", dets))
		return diag_err(c->d, NULL, "out of memory");
	for (i = 0; ids != NULL && ids->type == DOC_SEQ && i < ids->u.seq.n;
	     i++) {
		if ((id = doc_str(ids->u.seq.items[i])) == NULL)
			continue;
		if ((det = src_map(c->a, &ids->u.seq.items[i]->mark)) == NULL ||
		    src_set(c->a, det, "DetectorId",
			(struct doc_node *)ids->u.seq.items[i]))
			return diag_err(c->d, NULL, "out of memory");
		if (join(c, s, det, &rerr, "guardduty", "get-detector", id, i,
			NULL, NULL, FIX_NONE))
			return -1;
		if (doc_get(det, SRC_READ_ERRORS) != NULL &&
		    src_set(c->a, attrs, SRC_READ_ERRORS,
			doc_get(det, SRC_READ_ERRORS)))
			return diag_err(c->d, NULL, "out of memory");
		if (doc_seq_push(c->a, dets, det))
			return diag_err(c->d, NULL, "out of memory");
	}
	return emit(c, s, type, account_id(c), attrs, rerr, &m);
}

/* ----------------------------------------------------------- driver */

static int
read_global(struct cli *c, const struct scope *s)
{
	const struct doc_node *users;

	if (simple_singleton(c, s, "AWS::IAM::PasswordPolicy", "iam",
		"get-account-password-policy", "PasswordPolicy") ||
	    read_account_summary(c, s) ||
	    read_credential_report(c, s, &users) || read_users(c, s, users) ||
	    read_described(c, s, "AWS::IAM::Policy", "iam", "list-policies",
		"Policies", "PolicyName", "PolicyName", "get-policy-version",
		"PolicyVersion", FIX_POLICY_VERSION, NULL) ||
	    simple_singleton(c, s, "AWS::S3::AccountPublicAccessBlock",
		"s3control", "get-public-access-block",
		"PublicAccessBlockConfiguration") ||
	    read_buckets(c, s))
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
		recordings(c, svc, call, &n, &max);
		return n > 0;
	}
	if (call_path(c, s, svc, call, NULL, 0, path, sizeof(path)) != 0)
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
			return diag_err(c->d, NULL, "out of memory");
		if (emit_marker(c, s, region_files[i].type, msg, &m) != 0)
			return -1;
	}
	return 0;
}

static int
read_regional(struct cli *c, const struct scope *s)
{
	size_t before = c->resources;

	if (read_simple_lists(c, s) || read_instances(c, s) ||
	    read_vpcs(c, s) ||
	    simple_singleton(c, s, "AWS::EC2::EBSEncryptionByDefault", "ec2",
		"get-ebs-encryption-by-default", "EbsEncryptionByDefault") ||
	    read_keys(c, s) || read_trails(c, s) ||
	    read_config_recorder(c, s) || read_guardduty(c, s) ||
	    simple_singleton(c, s, "AWS::SecurityHub::Hub", "securityhub",
		"describe-hub", "HubArn") ||
	    read_classic_elbs(c, s) || read_load_balancers(c, s) ||
	    read_described(c, s, "AWS::ACM::Certificate", "acm",
		"list-certificates", "CertificateSummaryList", "CertificateArn",
		"CertificateArn", "describe-certificate", "Certificate",
		FIX_NONE, "CertificateArn"))
		return -1;
	if (c->resources > before && check_region_files(c, s) != 0)
		return -1;
	return 0;
}

/* Services whose presence marks a CLI export directory. */
static const char *const cli_services[] = { "acm", "cloudtrail",
	"configservice", "ec2", "elb", "elbv2", "guardduty", "iam", "kms",
	"logs", "rds", "s3api", "s3control", "securityhub", "sts", NULL };

static int
is_cli_service(const char *name)
{
	size_t i;

	for (i = 0; cli_services[i] != NULL; i++)
		if (strcmp(name, cli_services[i]) == 0)
			return 1;
	return 0;
}

/* The service name matches case-insensitively, or NULL. */
static const char *
service_nocase(const char *name, size_t len)
{
	size_t i;

	for (i = 0; cli_services[i] != NULL; i++)
		if (strlen(cli_services[i]) == len &&
		    strncasecmp(name, cli_services[i], len) == 0)
			return cli_services[i];
	return NULL;
}

/* The call of svc whose name matches case-insensitively, or NULL. */
static const struct call_info *
call_nocase(const char *svc, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NCALLS; i++)
		if (strcmp(calls[i].svc, svc) == 0 &&
		    strlen(calls[i].call) == len &&
		    strncasecmp(name, calls[i].call, len) == 0)
			return &calls[i];
	return NULL;
}

/* name's length without a last extension (".JSON", ".txt"). */
static size_t
stem_len(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot != NULL && dot != name ? (size_t)(dot - name) : strlen(name);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* dir/name into buf; -1 when it does not fit. */
static int
path_join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* A warning that path is not read, with why. */
static int
warn_unread(struct cli *c, const char *path, const char *why)
{
	struct mark m = { NULL, 0, 0 };

	m.file = path;
	diag_warn(c->d, &m, "'%s' is not read: %s", path, why);
	return 0;
}

/*
 * The per-resource folders of scope s (CLI layout): every entry must be
 * a regular "<name>.json" that a listing named (join() looked for it).
 * Anything else could be evidence of a resource the reader did not
 * see, so the type's marker carries the error (one per folder, with
 * the count and the first such file).
 */
static int
check_per_resource(struct cli *c, const struct scope *s)
{
	char dir[PATH_MAX], path[PATH_MAX], *key;
	const char *first, *why;
	struct dirent *de;
	struct stat st;
	size_t i, bad, len;
	DIR *dp;

	if (c->joined.n > 0)
		qsort(c->joined.v, c->joined.n, sizeof(*c->joined.v), cmp_str);
	for (i = 0; i < NCALLS; i++) {
		if (!calls[i].per_resource || calls[i].type == NULL ||
		    (s->region != NULL && is_global_service(calls[i].svc)))
			continue;
		snprintf(dir, sizeof(dir), "%s/%s/%s", s->dir, calls[i].svc,
		    calls[i].call);
		if ((dp = opendir(dir)) == NULL) {
			if (errno == ENOENT)
				continue;
			if (mark_calls_error(c, s, calls[i].svc, calls[i].call,
				dir,
				errno == ENOTDIR
				    ? "per-resource outputs expected in a "
				      "folder, found a file"
				    : "per-resource folder cannot be read"))
				return -1;
			continue;
		}
		bad = 0;
		first = why = NULL;
		while ((de = readdir(dp)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			if (de->d_name[0] == '.' &&
			    path_join(path, sizeof(path), dir, de->d_name) ==
				0) {
				/* never written by a collector; holds no
				 * resource's evidence (.DS_Store, .tmp) */
				warn_unread(c, path, "hidden file");
				continue;
			}
			len = strlen(de->d_name);
			key = NULL;
			if (path_join(path, sizeof(path), dir, de->d_name))
				why = "path too long to read";
			else if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
				why = "not a regular file";
			else if (!ends_with(de->d_name, ".json") || len == 5)
				why = "not a '<name>.json' file";
			else if ((key = arena_printf(c->a, "%s/%s/%.*s",
				      calls[i].svc, calls[i].call,
				      (int)(len - 5), de->d_name)) == NULL) {
				closedir(dp);
				return diag_err(c->d, NULL, "out of memory");
			} else if (strv_has(&c->joined, key))
				continue;
			else
				why = "a resource that no listing in the "
				      "export names";
			if (bad++ == 0 &&
			    (first = arena_printf(
				 c->a, "%s (%s)", path, why)) == NULL) {
				closedir(dp);
				return diag_err(c->d, NULL, "out of memory");
			}
		}
		closedir(dp);
		if (bad > 0 &&
		    mark_calls_error(c, s, calls[i].svc, calls[i].call, first,
			bad == 1 ? "1 per-resource output is not read"
				 : arena_printf(c->a,
				       "%zu per-resource outputs are not "
				       "read, the first",
				       bad)))
			return -1;
	}
	c->joined.n = 0;
	return 0;
}

/*
 * A service folder svc of scope s: files of calls the adapter reads in
 * another case or without ".json", and folders where an output file is
 * expected, could hide the evidence of their type: its marker carries
 * the error.  Other unexpected entries are warnings.
 */
static int
check_service_dir(
    struct cli *c, const struct scope *s, const char *svc, const char *dir)
{
	char path[PATH_MAX];
	const struct call_info *ci;
	struct dirent *de;
	struct stat st;
	size_t len;
	int isdir, rc = 0;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return mark_calls_error(
		    c, s, svc, NULL, dir, "service folder cannot be read");
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (path_join(path, sizeof(path), dir, de->d_name)) {
			rc = mark_calls_error(c, s, svc, NULL, dir,
			    "an entry's path is too long to read");
			continue;
		}
		isdir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
		len = strlen(de->d_name);
		if (!isdir && ends_with(de->d_name, ".json")) {
			ci = call_nocase(svc, de->d_name, len - 5);
			if (ci != NULL &&
			    strncmp(ci->call, de->d_name, len - 5) != 0)
				rc = mark_calls_error(c, s, svc, ci->call, path,
				    "output file name in unexpected case");
			continue;
		}
		if (isdir) {
			ci = call_nocase(svc, de->d_name, len);
			if (ci == NULL)
				rc = warn_unread(c, path,
				    "not a per-resource folder of a call "
				    "rampart reads");
			else if (strcmp(ci->call, de->d_name) != 0)
				rc = mark_calls_error(c, s, svc, ci->call, path,
				    "per-resource folder name in unexpected "
				    "case");
			else if (!ci->per_resource)
				rc = mark_calls_error(c, s, svc, ci->call, path,
				    "a folder stands where the call's output "
				    "file is expected");
			continue;
		}
		ci = call_nocase(svc, de->d_name, stem_len(de->d_name));
		if (ci == NULL)
			ci = call_nocase(svc, de->d_name, len);
		if (ci != NULL)
			rc = mark_calls_error(c, s, svc, ci->call, path,
			    "output file without the '.json' extension");
		else
			rc = warn_unread(c, path, "not a '<call>.json' file");
	}
	closedir(dp);
	return rc;
}

/*
 * The service folders under an unknown folder of the root: their types'
 * evidence is not read (the folder is no region), so their markers
 * carry the error.  Returns how many were found, or -1.
 */
static int
check_unknown_dir(struct cli *c, const struct scope *s, const char *dir)
{
	char path[PATH_MAX];
	const char *svc;
	struct dirent *de;
	DIR *dp;
	int n = 0;

	if ((dp = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL) {
		svc = service_nocase(de->d_name, strlen(de->d_name));
		if (svc == NULL)
			continue;
		if (path_join(path, sizeof(path), dir, de->d_name))
			continue;
		n++;
		if (mark_calls_error(c, s, svc, NULL, path,
			"outputs under a folder that is not an AWS region "
			"name are not read")) {
			closedir(dp);
			return -1;
		}
	}
	closedir(dp);
	return n;
}

/*
 * The layout of scope s (the root, or a region folder): every entry is
 * a service folder in its exact case, a region folder (root), or
 * documentation; anything else is an error marker for the types it
 * could hold, or a warning when it can hold none.
 */
static int
check_layout(struct cli *c, const struct scope *s, int root)
{
	char path[PATH_MAX];
	const char *svc;
	struct dirent *de;
	struct stat st;
	int rc = 0, isdir, n;
	DIR *dp;

	if ((dp = opendir(s->dir)) == NULL)
		return 0;
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (path_join(path, sizeof(path), s->dir, de->d_name)) {
			rc = warn_unread(
			    c, s->dir, "an entry's path is too long to read");
			continue;
		}
		isdir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
		svc = service_nocase(de->d_name,
		    isdir ? strlen(de->d_name) : stem_len(de->d_name));
		if (isdir && is_cli_service(de->d_name)) {
			if (!root && is_global_service(de->d_name))
				rc = mark_calls_error(c, s, de->d_name, NULL,
				    path,
				    "an account-wide service under a region "
				    "folder is not read");
			else
				rc = check_service_dir(c, s, de->d_name, path);
		} else if (isdir && root && src_is_region(de->d_name)) {
			continue;
		} else if (svc != NULL) {
			rc = mark_calls_error(c, s, svc, NULL, path,
			    isdir ? "service folder name in unexpected case"
				  : "a file stands where the service folder "
				    "is expected");
		} else if (isdir) {
			if ((n = check_unknown_dir(c, s, path)) < 0)
				rc = -1;
			else if (n == 0)
				rc = warn_unread(c, path,
				    "not an AWS CLI service or region folder");
		} else if (!ends_with(de->d_name, ".md") &&
		    !ends_with(de->d_name, ".txt") &&
		    !(root && strcmp(de->d_name, COLLECTION_FILE) == 0)) {
			rc = warn_unread(c, path,
			    "not an AWS CLI output (<service>/<call>.json)");
		}
	}
	closedir(dp);
	return rc;
}

/* Whether name looks like a placebo recording "<svc>.<Op>_N.json". */
static int
is_placebo_name(const char *name)
{
	const char *dot = strchr(name, '.'), *us = strrchr(name, '_');
	size_t len = strlen(name);

	return dot != NULL && us != NULL && us > dot && len > 5 &&
	    strcmp(name + len - 5, ".json") == 0 && dot[1] >= 'A' &&
	    dot[1] <= 'Z' && us[1] >= '0' && us[1] <= '9';
}

/*
 * name as a placebo recording: *stem_len and *seq, or 0 when it is not
 * exactly "<svc>.<Op>_<digits>.json".
 */
static int
parse_recording(const char *name, size_t *slen, size_t *seq)
{
	const char *us = strrchr(name, '_'), *p;
	size_t v = 0;

	if (!is_placebo_name(name))
		return 0;
	for (p = us + 1; *p >= '0' && *p <= '9'; p++) {
		if (v > 1000000)
			return 0;
		v = v * 10 + (size_t)(*p - '0');
	}
	if (strcmp(p, ".json") != 0 || v == 0)
		return 0;
	*slen = (size_t)(us - name);
	*seq = v;
	return 1;
}

/*
 * An entry of a placebo root that is no recording: when it names,
 * in any case and with any extension, an operation the adapter reads,
 * its types' markers carry the error; else a warning.
 */
static int
check_placebo_entry(struct cli *c, const struct scope *s, const char *name)
{
	char path[PATH_MAX], op[128], stem[256];
	const char *us = strrchr(name, '_');
	size_t i, len = us != NULL ? (size_t)(us - name) : stem_len(name);
	int hit = 0;

	if (path_join(path, sizeof(path), s->dir, name))
		return 0;
	for (i = 0; i < NCALLS; i++) {
		placebo_op(calls[i].call, op, sizeof(op));
		snprintf(
		    stem, sizeof(stem), "%s.%s", placebo_svc(calls[i].svc), op);
		if (calls[i].type == NULL || strlen(stem) != len ||
		    strncasecmp(stem, name, len) != 0)
			continue;
		hit = 1;
		if (mark_calls_error(c, s, calls[i].svc, calls[i].call, path,
			"recording name not in the form "
			"'<service>.<Operation>_<N>.json'"))
			return -1;
	}
	return hit ? 0 : warn_unread(c, path, "not a placebo recording");
}

/* Index the recordings of a placebo root into c->rec; report the rest. */
static int
index_recordings(struct cli *c, const struct scope *s)
{
	struct precording *v;
	struct dirent *de;
	size_t cap = 0, slen, seq;
	DIR *dp;
	int rc = 0;

	if ((dp = opendir(s->dir)) == NULL)
		return diag_err(c->d, NULL, "cannot read '%s': %s", s->dir,
		    strerror(errno));
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (!parse_recording(de->d_name, &slen, &seq)) {
			if (!ends_with(de->d_name, ".md") &&
			    !ends_with(de->d_name, ".txt"))
				rc = check_placebo_entry(c, s, de->d_name);
			continue;
		}
		if (c->nrec == cap) {
			cap = cap != 0 ? cap * 2 : 64;
			if ((v = arena_realloc(c->a, c->rec,
				 c->nrec * sizeof(*v), cap * sizeof(*v))) ==
			    NULL) {
				rc = diag_err(c->d, NULL, "out of memory");
				break;
			}
			c->rec = v;
		}
		c->rec[c->nrec].seq = seq;
		if ((c->rec[c->nrec++].stem =
			    arena_strndup(c->a, de->d_name, slen)) == NULL)
			rc = diag_err(c->d, NULL, "out of memory");
	}
	closedir(dp);
	if (rc == 0 && c->nrec > 0)
		qsort(c->rec, c->nrec, sizeof(*c->rec), cmp_rec);
	return rc;
}

/* 2 placebo layout, 1 CLI layout, 0 neither.  Regions into *regions. */
static int
scan_root(const char *root, struct arena *a, char ***regions, size_t *nreg)
{
	struct dirent *de;
	DIR *dir;
	int kind = 0;
	char path[PATH_MAX];
	struct stat st;
	size_t cap = 0;
	char **v;

	if (regions != NULL)
		*regions = NULL, *nreg = 0;
	if ((dir = opendir(root)) == NULL)
		return 0;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (is_placebo_name(de->d_name) && kind == 0)
			kind = 2;
		snprintf(path, sizeof(path), "%s/%s", root, de->d_name);
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		if (is_cli_service(de->d_name))
			kind = 1;
		else if (src_is_region(de->d_name)) {
			kind = 1;
			if (regions != NULL && a != NULL) {
				if (*nreg == cap) {
					cap = cap != 0 ? cap * 2 : 16;
					v = arena_realloc(a, *regions,
					    *nreg * sizeof(char *),
					    cap * sizeof(char *));
					if (v == NULL)
						break;
					*regions = v;
				}
				(*regions)[(*nreg)++] =
				    arena_strdup(a, de->d_name);
			}
		}
	}
	closedir(dir);
	if (regions != NULL && *regions != NULL)
		qsort(*regions, *nreg, sizeof(char *), cmp_str);
	return kind;
}

static int
cli_detect(const char *path, int is_dir, const char *head, size_t len)
{
	(void)head;
	(void)len;
	if (!is_dir)
		return 0;
	return scan_root(path, NULL, NULL, NULL) != 0 ? 50 : 0;
}

/* One scope: its layout, its resources and its per-resource folders. */
static int
read_scope(struct cli *c, const struct scope *s, int root)
{
	if (!c->placebo && check_layout(c, s, root) != 0)
		return -1;
	if (root && read_global(c, s) != 0)
		return -1;
	if (read_regional(c, s) != 0)
		return -1;
	if (!c->placebo && check_per_resource(c, s) != 0)
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

	if (path_join(path, sizeof(path), root, COLLECTION_FILE) != 0 ||
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
		return diag_err(d, &m, "out of memory");
	c.keep = c.a;
	kind = scan_root(path, c.a, &regions, &nreg);
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
	if (c.placebo && index_recordings(&c, &s) != 0)
		goto out;
	if (cli_get(&c, &s, "sts", "get-caller-identity", NULL, 0, &r) != 0)
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
