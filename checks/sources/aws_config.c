/*
 * aws_config.c: the "aws-config" adapter.  AWS Config configuration items
 * from snapshots and configuration history ({"configurationItems": [...]},
 * streamed one item at a time), bare items, Config rule invocation events
 * (invokingEvent: a JSON string holding the item), and the output of
 * `aws configservice batch-get-resource-config` (baseConfigurationItems)
 * and `select-resource-config` (Results: JSON strings).
 *
 * Config spells configuration keys in camelCase and wraps several values
 * in JSON strings; each item becomes a resource whose attributes have the
 * AWS CLI's shape (docs/resources.md), so one rule reads both exports.
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "checks/sources/sources.h"

/* A set of strings (types, regions), in the read's own arena. */
struct cfg_set {
	const char **v;
	size_t n;
};

/*
 * A configuration recorder's recording group, as the input shows it: the
 * one evidence that a snapshot holds every resource of a type.
 */
struct cfg_recorder {
	const char *region; /* NULL: the input does not say (describe output) */
	struct mark mark;
	int all; /* allSupported */
	int global; /* includeGlobalResourceTypes */
	int exclusion; /* recordingStrategy EXCLUSION_BY_RESOURCE_TYPES */
	struct cfg_set types; /* resourceTypes (inclusion) */
	struct cfg_set excluded; /* exclusionByResourceTypes */
};

struct cfg_read {
	struct diag *d;
	const char *path;
	resource_fn fn;
	void *ctx;
	size_t emitted, skipped;
	struct arena *a; /* lives for the whole read */
	int snapshot; /* a delivered snapshot (configSnapshotId) */
	int oom;
	struct cfg_set types, regions; /* seen in items */
	const char *account;
	struct cfg_recorder *rec;
	size_t nrec;
	struct cfg_set *page; /* types of a page that has more, or NULL */
};

/*
 * Config-recordable types that rampart's AWS rule packs and plugins read,
 * and whether Config records them only as global resources
 * (includeGlobalResourceTypes).  With allSupported, a recorder records
 * each of them; a type not listed here gets a listing marker only when
 * items of it are in the snapshot or the recorder names it.  Sorted.
 */
static const struct {
	const char *type;
	int global;
} cfg_known_types[] = {
	{ "AWS::ACM::Certificate", 0 },
	{ "AWS::CloudTrail::Trail", 0 },
	{ "AWS::EC2::Instance", 0 },
	{ "AWS::EC2::NetworkAcl", 0 },
	{ "AWS::EC2::SecurityGroup", 0 },
	{ "AWS::EC2::VPC", 0 },
	{ "AWS::EC2::Volume", 0 },
	{ "AWS::ElasticLoadBalancing::LoadBalancer", 0 },
	{ "AWS::ElasticLoadBalancingV2::LoadBalancer", 0 },
	{ "AWS::GuardDuty::Detector", 0 },
	{ "AWS::IAM::Group", 1 },
	{ "AWS::IAM::Policy", 1 },
	{ "AWS::IAM::Role", 1 },
	{ "AWS::IAM::User", 1 },
	{ "AWS::KMS::Key", 0 },
	{ "AWS::Logs::LogGroup", 0 },
	{ "AWS::RDS::DBInstance", 0 },
	{ "AWS::S3::AccountPublicAccessBlock", 0 },
	{ "AWS::S3::Bucket", 0 },
	{ "AWS::SecurityHub::Hub", 0 },
};

#define CFG_NKNOWN (sizeof(cfg_known_types) / sizeof(cfg_known_types[0]))

/* Whether Config records type as a global (account-wide) resource. */
static int
cfg_is_global(const char *type)
{
	size_t i;

	for (i = 0; i < CFG_NKNOWN; i++)
		if (strcmp(cfg_known_types[i].type, type) == 0)
			return cfg_known_types[i].global;
	return strncmp(type, "AWS::IAM::", 10) == 0;
}

static int
set_has(const struct cfg_set *s, const char *v)
{
	size_t i;

	for (i = s->n; i > 0; i--)
		if (strcmp(s->v[i - 1], v) == 0)
			return 1;
	return 0;
}

/* Add a copy of v to s unless present.  0 or -1 (out of memory). */
static int
set_add(struct arena *a, struct cfg_set *s, const char *v)
{
	const char **nv;
	char *c;

	if (v == NULL || set_has(s, v))
		return 0;
	nv = arena_realloc(
	    a, s->v, s->n * sizeof(*nv), (s->n + 1) * sizeof(*nv));
	if (nv == NULL || (c = arena_strdup(a, v)) == NULL)
		return -1;
	nv[s->n++] = c;
	s->v = nv;
	return 0;
}

static const char *
str_of(const struct doc_node *n, const char *key)
{
	return doc_str(doc_get(n, key));
}

/* Config's ACL permission names to the S3 API's. */
static const char *
acl_permission(const char *p)
{
	static const struct {
		const char *config, *api;
	} map[] = {
		{ "FullControl", "FULL_CONTROL" },
		{ "Read", "READ" },
		{ "ReadAcp", "READ_ACP" },
		{ "Write", "WRITE" },
		{ "WriteAcp", "WRITE_ACP" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(p, map[i].config) == 0)
			return map[i].api;
	return p;
}

/* Whether a Config ACL node is a list, or absent or null. */
static int
seq_or_none(const struct doc_node *n)
{
	return n == NULL || n->type == DOC_NULL || n->type == DOC_SEQ;
}

static size_t
seq_len(const struct doc_node *n)
{
	return n != NULL && n->type == DOC_SEQ ? n->u.seq.n : 0;
}

/*
 * Whether a Config AccessControlList can be read as grants: a map whose
 * grantList and grantSet are lists or absent/null, and at least one of
 * them a list.
 */
static int
acl_grants_ok(const struct doc_node *acl)
{
	const struct doc_node *l = doc_get(acl, "grantList");
	const struct doc_node *s = doc_get(acl, "grantSet");

	if (acl == NULL || acl->type != DOC_MAP)
		return 0;
	if (!seq_or_none(l) || !seq_or_none(s))
		return 0;
	return (l != NULL && l->type == DOC_SEQ) ||
	    (s != NULL && s->type == DOC_SEQ);
}

/* The number of grants in grantList and grantSet together. */
static size_t
acl_ngrants(const struct doc_node *acl)
{
	return seq_len(doc_get(acl, "grantList")) +
	    seq_len(doc_get(acl, "grantSet"));
}

/* Grant j of grantList followed by grantSet. */
static const struct doc_node *
acl_grant(const struct doc_node *acl, size_t j)
{
	const struct doc_node *l = doc_get(acl, "grantList");

	if (j < seq_len(l))
		return l->u.seq.items[j];
	return doc_get(acl, "grantSet")->u.seq.items[j - seq_len(l)];
}

/* Config's grantee forms to the CLI's {Type, ID | URI | EmailAddress}. */
static struct doc_node *
acl_grantee(struct arena *a, const struct doc_node *g)
{
	static const struct {
		const char *name, *uri;
	} groups[] = {
		{ "AllUsers",
		    "http://acs.amazonaws.com/groups/global/AllUsers" },
		{ "AuthenticatedUsers",
		    "http://acs.amazonaws.com/groups/global/"
		    "AuthenticatedUsers" },
		{ "LogDelivery",
		    "http://acs.amazonaws.com/groups/s3/LogDelivery" },
	};
	const struct mark *m = &g->mark;
	struct doc_node *out, *v;
	const char *s, *ti;
	size_t i;

	if ((out = src_map(a, m)) == NULL)
		return NULL;
	if ((s = doc_str(g)) != NULL) {
		for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
			if (strcasecmp(s, groups[i].name) == 0)
				break;
		if (src_set(a, out, "Type", src_str(a, "Group", m)) ||
		    (v = src_str(a,
			 i < sizeof(groups) / sizeof(groups[0]) ? groups[i].uri
								: s,
			 m)) == NULL ||
		    src_set(a, out, "URI", v))
			return NULL;
		return out;
	}
	if (g->type != DOC_MAP)
		return doc_copy(a, g);
	ti = str_of(g, "typeIdentifier");
	if ((s = str_of(g, "identifier")) != NULL && ti != NULL) {
		if (strcasecmp(ti, "uri") == 0)
			return src_set(
				   a, out, "Type", src_str(a, "Group", m)) ||
				src_set(a, out, "URI", src_str(a, s, m))
			    ? NULL
			    : out;
		if (strcasecmp(ti, "emailAddress") == 0)
			return src_set(a, out, "Type",
				   src_str(a, "AmazonCustomerByEmail", m)) ||
				src_set(
				    a, out, "EmailAddress", src_str(a, s, m))
			    ? NULL
			    : out;
		/*
		 * Only "id" names a canonical user: any other kind is kept
		 * without an ID, so the check cannot read it as a harmless
		 * account grant (a "URI" spelled otherwise was one).
		 */
		if (strcasecmp(ti, "id") != 0)
			return src_set(
				   a, out, "TypeIdentifier", src_str(a, ti, m))
			    ? NULL
			    : out;
		return src_set(
			   a, out, "Type", src_str(a, "CanonicalUser", m)) ||
			src_set(a, out, "ID", src_str(a, s, m))
		    ? NULL
		    : out;
	}
	if ((v = doc_get(g, "displayName")) != NULL &&
	    src_set(a, out, "DisplayName", doc_copy(a, v)))
		return NULL;
	if ((v = doc_get(g, "id")) != NULL &&
	    src_set(a, out, "ID", doc_copy(a, v)))
		return NULL;
	if (src_set(a, out, "Type", src_str(a, "CanonicalUser", m)))
		return NULL;
	return out;
}

/* Rename Owner.Id (Config) to Owner.ID (S3 API). */
static int
fix_owner(struct arena *a, struct doc_node *attrs)
{
	struct doc_node *o = doc_get(attrs, "Owner"), *c, *id;

	if (o == NULL || o->type != DOC_MAP || (id = doc_get(o, "Id")) == NULL)
		return 0;
	if ((c = src_map(a, &o->mark)) == NULL)
		return -1;
	if (doc_get(o, "DisplayName") != NULL &&
	    src_set(a, c, "DisplayName", doc_get(o, "DisplayName")))
		return -1;
	if (src_set(a, c, "ID", id) || src_set(a, attrs, "Owner", c))
		return -1;
	return 0;
}

/*
 * Parse a supplementary value, which Config stores as a JSON string (the
 * ACL even twice).  NULL with *why set when it is not valid JSON.
 */
static struct doc_node *
supp_value(struct arena *a, const struct doc_node *v, const char **why)
{
	*why = NULL;
	if (v->type == DOC_STRING)
		return src_parse_json_string(a, v, why);
	return (struct doc_node *)v;
}

/*
 * The handlers of S3's supplementaryConfiguration keys: each turns the
 * parsed value p into the CLI's attributes.  0, -1 (out of memory), or 1
 * with *rerr set (the value cannot be read: the bucket is unreadable).
 */
static int
supp_acl(struct arena *a, struct doc_node *attrs, struct doc_node *p,
    const struct mark *m, const char **rerr)
{
	struct doc_node *out, *e, *x;
	size_t j;

	(void)m;
	(void)rerr;
	if ((out = src_seq(a, &p->mark)) == NULL)
		return -1;
	/*
	 * The grants are in grantList or grantSet (the SDK writes either).
	 * A list of grants that is neither absent/null nor a list, or an
	 * ACL with neither, is kept as it is, so aws_s3_acl reports the
	 * object instead of reading "no grants" as "not public".
	 */
	if (!acl_grants_ok(p))
		return src_set(a, attrs, "Grants", p) ? -1 : 0;
	for (j = 0; j < acl_ngrants(p); j++) {
		const struct doc_node *gr = acl_grant(p, j);
		const char *perm = str_of(gr, "permission");

		if ((e = src_map(a, &gr->mark)) == NULL)
			return -1;
		if (doc_get(gr, "grantee") != NULL &&
		    ((x = acl_grantee(a, doc_get(gr, "grantee"))) == NULL ||
			src_set(a, e, "Grantee", x)))
			return -1;
		if (perm != NULL &&
		    src_set(a, e, "Permission",
			src_str(a, acl_permission(perm), &gr->mark)))
			return -1;
		if (doc_seq_push(a, out, e))
			return -1;
	}
	return src_set(a, attrs, "Grants", out) ? -1 : 0;
}

static int
supp_policy(struct arena *a, struct doc_node *attrs, struct doc_node *p,
    const struct mark *m, const char **rerr)
{
	const struct doc_node *v = doc_get(p, "policyText");
	struct doc_node *x;
	const char *why;

	(void)m;
	if (v == NULL || v->type == DOC_NULL)
		return src_not_configured(
			   a, attrs, "Policy", "NoSuchBucketPolicy", &p->mark)
		    ? -1
		    : 0;
	if ((x = supp_value(a, v, &why)) == NULL) {
		*rerr = arena_printf(
		    a, "bucket policy is not valid JSON: %s", why ? why : "?");
		return 1;
	}
	return src_set(a, attrs, "Policy", x) ? -1 : 0;
}

static int
supp_versioning(struct arena *a, struct doc_node *attrs, struct doc_node *p,
    const struct mark *m, const char **rerr)
{
	const struct doc_node *v;
	struct doc_node *out;

	(void)m;
	(void)rerr;
	if ((out = src_map(a, &p->mark)) == NULL)
		return -1;
	v = doc_get(p, "status");
	if (src_set(a, out, "Status",
		v != NULL && v->type == DOC_STRING
		    ? doc_copy(a, v)
		    : src_str(a, "Off", &p->mark)))
		return -1;
	v = doc_get(p, "isMfaDeleteEnabled");
	if (v != NULL && v->type == DOC_BOOL &&
	    src_set(a, out, "MFADelete",
		src_str(a, v->u.b ? "Enabled" : "Disabled", &v->mark)))
		return -1;
	return src_set(a, attrs, "Versioning", out) ? -1 : 0;
}

static int
supp_logging(struct arena *a, struct doc_node *attrs, struct doc_node *p,
    const struct mark *m, const char **rerr)
{
	const struct doc_node *v;
	struct doc_node *out, *e;

	(void)m;
	(void)rerr;
	if ((out = src_map(a, &p->mark)) == NULL)
		return -1;
	v = doc_get(p, "destinationBucketName");
	if (v != NULL && v->type == DOC_STRING) {
		if ((e = src_map(a, &v->mark)) == NULL ||
		    src_set(a, e, "TargetBucket", doc_copy(a, v)) ||
		    src_set(a, out, "LoggingEnabled", e))
			return -1;
		v = doc_get(p, "logFilePrefix");
		if (v != NULL && v->type == DOC_STRING &&
		    src_set(a, e, "TargetPrefix", doc_copy(a, v)))
			return -1;
	}
	return src_set(a, attrs, "Logging", out) ? -1 : 0;
}

static int
supp_tagging(struct arena *a, struct doc_node *attrs, struct doc_node *p,
    const struct mark *m, const char **rerr)
{
	const struct doc_node *g;
	struct doc_node *wrap, *x;

	(void)rerr;
	g = doc_get(doc_index(doc_get(p, "tagSets"), 0), "tags");
	if (g == NULL || g->type != DOC_MAP)
		return 0;
	/* src_pascal turns a `tags` map into a list */
	if ((wrap = src_map(a, m)) == NULL ||
	    src_set(a, wrap, "tags", (struct doc_node *)g))
		return -1;
	if ((x = src_pascal(a, wrap)) == NULL ||
	    src_set(a, attrs, "Tags", doc_get(x, "Tags")))
		return -1;
	return 0;
}

static const struct {
	const char *key;
	int (*fn)(struct arena *, struct doc_node *, struct doc_node *,
	    const struct mark *, const char **);
} supp_handlers[] = {
	{ "AccessControlList", supp_acl },
	{ "BucketLoggingConfiguration", supp_logging },
	{ "BucketPolicy", supp_policy },
	{ "BucketTaggingConfiguration", supp_tagging },
	{ "BucketVersioningConfiguration", supp_versioning },
};

/* The S3 bucket's supplementary configuration in the CLI's shape. */
static int
s3_supplementary(struct arena *a, struct doc_node *attrs,
    const struct doc_node *supp, const struct mark *m, const char **rerr)
{
	const struct doc_node *v;
	struct doc_node *p, *x;
	const char *why, *s;
	size_t i, h, nh = sizeof(supp_handlers) / sizeof(supp_handlers[0]);
	int rc;

	for (i = 0; supp != NULL && i < supp->u.map.n; i++) {
		s = supp->u.map.pairs[i].key->str;
		v = supp->u.map.pairs[i].val;
		if ((p = supp_value(a, v, &why)) == NULL) {
			*rerr = arena_printf(a,
			    "supplementaryConfiguration.%s is not valid JSON: "
			    "%s",
			    s, why ? why : "?");
			return 0;
		}
		for (h = 0; h < nh && strcmp(s, supp_handlers[h].key) != 0; h++)
			;
		if (h < nh) {
			if ((rc = supp_handlers[h].fn(a, attrs, p, m, rerr)) !=
			    0)
				return rc > 0 ? 0 : -1;
			continue;
		}
		if ((x = src_pascal(a, p)) == NULL || src_set(a, attrs, s, x))
			return -1;
	}
	if (doc_get(attrs, "ServerSideEncryptionConfiguration") == NULL &&
	    src_not_configured(a, attrs, "ServerSideEncryptionConfiguration",
		"ServerSideEncryptionConfigurationNotFoundError", m))
		return -1;
	if (doc_get(attrs, "PublicAccessBlockConfiguration") == NULL &&
	    src_not_configured(a, attrs, "PublicAccessBlockConfiguration",
		"NoSuchPublicAccessBlockConfiguration", m))
		return -1;
	if (doc_get(attrs, "Policy") == NULL &&
	    doc_get(doc_get(attrs, SRC_NOT_CONFIGURED), "Policy") == NULL &&
	    src_not_configured(a, attrs, "Policy", "NoSuchBucketPolicy", m))
		return -1;
	return fix_owner(a, attrs);
}

/* Append the IPv4 ranges of list l to seq, each as {"CidrIp": ...}. */
static int
sg_push_ranges(struct arena *a, struct doc_node *seq, struct doc_node *l)
{
	struct doc_node *it, *e;
	size_t j;

	for (j = 0; j < l->u.seq.n; j++) {
		it = l->u.seq.items[j];
		if (it->type == DOC_STRING) {
			if ((e = src_map(a, &it->mark)) == NULL ||
			    src_set(a, e, "CidrIp", it))
				return -1;
			it = e;
		}
		if (doc_seq_push(a, seq, it))
			return -1;
	}
	return 0;
}

/*
 * Config spells a permission's IPv4 sources twice: `ipRanges` (a list of
 * CIDR strings, the only one in old items) and `ipv4Ranges` (a list of
 * {"cidrIp": ...}, as the CLI's IpRanges).  src_pascal() makes the latter
 * IpRanges and keeps the former as SRC_LEGACY_IP_RANGES (or IpRanges when
 * alone).  An item whose two lists differ (one empty or null) must not
 * lose a source: IpRanges becomes the union of both, as {"CidrIp": ...}.
 * One that is present but not a list is kept as IpRanges, so
 * aws_network_exposure reports its shape.
 */
static int
sg_fix_ranges(struct arena *a, struct doc_node *attrs, const char *key)
{
	struct doc_node *perms = doc_get(attrs, key), *p, *r, *v4, *seq;
	size_t i;

	for (i = 0;
	     perms != NULL && perms->type == DOC_SEQ && i < perms->u.seq.n;
	     i++) {
		p = perms->u.seq.items[i];
		r = doc_get(p, "IpRanges");
		v4 = doc_get(p, SRC_LEGACY_IP_RANGES);
		if (r != NULL && r->type == DOC_NULL)
			r = NULL;
		if (v4 != NULL && v4->type == DOC_NULL)
			v4 = NULL;
		if (r == NULL && v4 == NULL)
			continue;
		if ((r != NULL && r->type != DOC_SEQ) ||
		    (v4 != NULL && v4->type != DOC_SEQ)) {
			if (src_set(a, p, "IpRanges",
				r != NULL && r->type != DOC_SEQ ? r : v4))
				return -1;
			continue;
		}
		if ((seq = src_seq(a, &(r != NULL ? r : v4)->mark)) == NULL)
			return -1;
		if ((r != NULL && sg_push_ranges(a, seq, r)) ||
		    (v4 != NULL && sg_push_ranges(a, seq, v4)) ||
		    src_set(a, p, "IpRanges", seq))
			return -1;
	}
	return 0;
}

/* n decimal digits at *p into *v; advances *p.  0 when they are not. */
static int
digits(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return 0;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return 1;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * Seconds since the epoch of an RFC 3339 date-time, strictly: full date,
 * `T`, full time with optional fraction (dropped), `Z` or a numeric
 * offset ("2017-11-27T14:26:11.300Z", "2020-11-02T03:28:12.399000-05:00").
 * 0 or -1.  The lead switches this to lib/time.c's strict parser
 * (time-poam) when it lands; until then it is kept static here.
 */
static int
rfc3339_parse(const char *s, int64_t *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	const char *p = s;
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0, leap, dim;

	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) ||
	    *p++ != '-' || !digits(&p, 2, &d) || (*p != 'T' && *p != 't'))
		return -1;
	p++;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) ||
	    *p++ != ':' || !digits(&p, 2, &sec))
		return -1;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om))
			return -1;
	} else {
		return -1;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 60 ||
	    oh > 23 || om > 59)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	dim = mdays[mo - 1] + (mo == 2 && leap);
	if (d < 1 || d > dim)
		return -1;
	if (sec == 60)
		sec = 59; /* a leap second: no earlier than the second before */
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    (int64_t)sign * (oh * 3600 + om * 60);
	return 0;
}

/* Capture times accepted: after 1970, before the year 10000. */
#define CFG_TIME_MAX INT64_C(253402300800)

/*
 * The item's configurationItemCaptureTime into *out (0: absent or null),
 * or a message (in a) saying why it cannot be a capture time: an RFC 3339
 * string, or seconds since the epoch as a number (boto's JSON), in range.
 */
static const char *
capture_time(struct arena *a, const struct doc_node *v, int64_t *out)
{
	double f;

	*out = 0;
	if (v == NULL || v->type == DOC_NULL)
		return NULL;
	if (v->type == DOC_STRING) {
		if (rfc3339_parse(v->str, out) == 0 && *out > 0 &&
		    *out < CFG_TIME_MAX)
			return NULL;
		*out = 0;
		return arena_printf(a,
		    "configurationItemCaptureTime '%s' (line %u, column %u) "
		    "is not an RFC 3339 date-time after 1970",
		    v->str, v->mark.line, v->mark.col);
	}
	if (v->type == DOC_INT && v->u.i > 0 && v->u.i < CFG_TIME_MAX) {
		*out = v->u.i;
		return NULL;
	}
	if (v->type == DOC_FLOAT) {
		f = v->u.f;
		if (isfinite(f) && f >= 1 && f < (double)CFG_TIME_MAX) {
			*out = (int64_t)f;
			return NULL;
		}
	}
	if (v->type == DOC_INT || v->type == DOC_FLOAT)
		return arena_printf(a,
		    "configurationItemCaptureTime %s (line %u, column %u) is "
		    "outside the range of a capture time (seconds since 1970, "
		    "before the year 10000)",
		    v->str, v->mark.line, v->mark.col);
	return arena_printf(a,
	    "configurationItemCaptureTime (line %u, column %u) is %s, not a "
	    "date-time",
	    v->mark.line, v->mark.col, doc_type_name(v->type));
}

/* Strings of a DOC_SEQ into s; 1 when an element is not a string. */
static int
cfg_types(struct cfg_read *x, const struct doc_node *seq, struct cfg_set *s)
{
	size_t i;
	int bad = 0;

	if (seq == NULL || seq->type == DOC_NULL)
		return 0;
	if (seq->type != DOC_SEQ)
		return 1;
	for (i = 0; i < seq->u.seq.n; i++) {
		if (seq->u.seq.items[i]->type != DOC_STRING)
			bad = 1;
		else if (set_add(x->a, s, seq->u.seq.items[i]->str))
			x->oom = 1;
	}
	return bad;
}

/*
 * Remember a recorder's recording group (rec is a recorder object in
 * Config's spelling: {"name", "recordingGroup": {...}}), for the listing
 * markers cfg_markers() emits.  region NULL: not known.  0 or -1.
 */
static int
cfg_recorder_add(struct cfg_read *x, const struct doc_node *rec,
    const char *region, const struct mark *m)
{
	const struct doc_node *g = doc_get(rec, "recordingGroup"), *v;
	struct cfg_recorder *r, *nv;

	if (g == NULL || g->type != DOC_MAP) {
		diag_warn(x->d, m,
		    "configuration recorder without a 'recordingGroup': it "
		    "does not show which resource types are recorded");
		return 0;
	}
	nv = arena_realloc(
	    x->a, x->rec, x->nrec * sizeof(*nv), (x->nrec + 1) * sizeof(*nv));
	if (nv == NULL)
		return diag_sys(x->d, m, "out of memory");
	x->rec = nv;
	r = &x->rec[x->nrec++];
	memset(r, 0, sizeof(*r));
	r->mark = *m;
	if (region != NULL && (r->region = arena_strdup(x->a, region)) == NULL)
		return diag_sys(x->d, m, "out of memory");
	v = doc_get(g, "allSupported");
	r->all = v != NULL && v->type == DOC_BOOL && v->u.b;
	v = doc_get(g, "includeGlobalResourceTypes");
	r->global = v != NULL && v->type == DOC_BOOL && v->u.b;
	v = doc_get(doc_get(g, "recordingStrategy"), "useOnly");
	r->exclusion = doc_str(v) != NULL &&
	    strcmp(doc_str(v), "EXCLUSION_BY_RESOURCE_TYPES") == 0;
	if (cfg_types(x, doc_get(g, "resourceTypes"), &r->types))
		diag_warn(x->d, m,
		    "recordingGroup.resourceTypes holds a value that is not "
		    "a type name; it is ignored");
	if (cfg_types(x,
		doc_get(
		    doc_get(g, "exclusionByResourceTypes"), "resourceTypes"),
		&r->excluded)) {
		/* An exclusion we cannot read: claim nothing. */
		diag_warn(x->d, m,
		    "recordingGroup.exclusionByResourceTypes cannot be read; "
		    "no resource type is taken as completely recorded");
		r->all = r->exclusion = 0;
		r->types.n = 0;
	}
	return x->oom ? diag_sys(x->d, m, "out of memory") : 0;
}

/* Whether recorder r records type (see docs/resources.md). */
static int
rec_records(const struct cfg_recorder *r, const char *type)
{
	int global = cfg_is_global(type);

	if (set_has(&r->excluded, type))
		return 0;
	if (r->all || r->exclusion)
		return !global || r->global;
	return set_has(&r->types, type);
}

/* Whether a recorder of region (NULL: any) records type. */
static int
cfg_recorded(const struct cfg_read *x, const char *region, const char *type)
{
	size_t i;

	for (i = 0; i < x->nrec; i++)
		if (x->rec[i].region == NULL || region == NULL ||
		    strcmp(x->rec[i].region, region) == 0)
			if (rec_records(&x->rec[i], type))
				return 1;
	return 0;
}

static int
cfg_marker(struct cfg_read *x, const char *type, const char *region)
{
	struct resource r;

	memset(&r, 0, sizeof(r));
	r.listing = 1;
	r.type = type;
	r.region = region;
	r.account = x->account;
	r.source = x->path;
	r.mark = x->rec[0].mark;
	return x->fn(x->ctx, &r, x->a);
}

/*
 * The listing markers: a delivered snapshot lists every resource its
 * recorder records, so for each recorded type, in each region of the
 * snapshot (a global type: account-wide), no item means none exist.
 * Without recorder information nothing is claimed, and checks whose
 * types have no item are `error` (no evidence), not `not_applicable`.
 */
static int
cfg_markers(struct cfg_read *x)
{
	struct cfg_set cand = { NULL, 0 }, regions = { NULL, 0 };
	struct mark m = { x->path, 0, 0 };
	const char *t;
	size_t i, j;

	if (x->nrec == 0)
		return 0;
	if (!x->snapshot) {
		diag_note(x->d, &x->rec[0].mark,
		    "the configuration recorder's recording group is not "
		    "taken as proof of complete listings: the input is not a "
		    "delivered snapshot (no 'configSnapshotId')");
		return 0;
	}
	for (i = 0; i < CFG_NKNOWN; i++)
		if (set_add(x->a, &cand, cfg_known_types[i].type))
			return diag_sys(x->d, &m, "out of memory");
	for (i = 0; i < x->types.n; i++)
		if (set_add(x->a, &cand, x->types.v[i]))
			return diag_sys(x->d, &m, "out of memory");
	for (i = 0; i < x->nrec; i++)
		for (j = 0; j < x->rec[i].types.n; j++)
			if (set_add(x->a, &cand, x->rec[i].types.v[j]))
				return diag_sys(x->d, &m, "out of memory");
	for (i = 0; i < x->regions.n; i++)
		if (strcmp(x->regions.v[i], "global") != 0 &&
		    set_add(x->a, &regions, x->regions.v[i]))
			return diag_sys(x->d, &m, "out of memory");
	for (i = 0; i < x->nrec; i++)
		if (set_add(x->a, &regions, x->rec[i].region))
			return diag_sys(x->d, &m, "out of memory");
	for (i = 0; i < cand.n; i++) {
		t = cand.v[i];
		if (cfg_is_global(t) || regions.n == 0) {
			if (cfg_recorded(x, NULL, t) &&
			    cfg_marker(x, t, NULL) != 0)
				return -1;
			continue;
		}
		for (j = 0; j < regions.n; j++)
			if (cfg_recorded(x, regions.v[j], t) &&
			    cfg_marker(x, t, regions.v[j]) != 0)
				return -1;
	}
	return 0;
}

static int
is_skipped_status(const char *s)
{
	return s != NULL &&
	    (strcmp(s, "ResourceDeleted") == 0 ||
		strcmp(s, "ResourceNotRecorded") == 0 ||
		strcmp(s, "ResourceDeletedNotRecorded") == 0);
}

/* One configuration item (in Config's shape) to one resource. */
static int
cfg_item(struct cfg_read *x, const struct doc_node *ci, struct arena *a)
{
	struct resource r;
	const struct doc_node *conf, *supp, *tags;
	struct doc_node *attrs = NULL, *parsed;
	const char *why = NULL, *rerr = NULL, *status;
	struct doc_node *t;
	size_t i;

	if (ci == NULL || ci->type != DOC_MAP)
		return diag_err(x->d, ci != NULL ? &ci->mark : NULL,
		    "configuration item is not an object");
	status = str_of(ci, "configurationItemStatus");
	if (is_skipped_status(status)) {
		x->skipped++;
		return 0;
	}
	memset(&r, 0, sizeof(r));
	r.type = str_of(ci, "resourceType");
	if (r.type == NULL)
		return diag_err(x->d, &ci->mark,
		    "configuration item has no 'resourceType'");
	if (strcmp(r.type, "AWS::S3::Bucket") == 0)
		r.id = str_of(ci, "resourceName");
	if (r.id == NULL)
		r.id = str_of(ci, "resourceId");
	if (r.id == NULL)
		r.id = str_of(ci, "resourceName");
	if (r.id == NULL)
		r.id = str_of(ci, "arn");
	if (r.id == NULL)
		r.id = str_of(ci, "ARN");
	if (r.id == NULL)
		return diag_err(x->d, &ci->mark,
		    "configuration item of type '%s' has no 'resourceId'",
		    r.type);
	r.region = str_of(ci, "awsRegion");
	r.account = str_of(ci, "awsAccountId");
	if (r.account == NULL)
		r.account = str_of(ci, "accountId");
	r.source = x->path;
	r.mark = ci->mark;
	if (set_add(x->a, &x->types, r.type) ||
	    (x->page != NULL && set_add(x->a, x->page, r.type)) ||
	    set_add(x->a, &x->regions, r.region) ||
	    (x->account == NULL && r.account != NULL &&
		(x->account = arena_strdup(x->a, r.account)) == NULL))
		return diag_sys(x->d, &ci->mark, "out of memory");
	rerr = capture_time(
	    a, doc_get(ci, "configurationItemCaptureTime"), &r.collected);

	conf = doc_get(ci, "configuration");
	if (conf != NULL && conf->type == DOC_STRING) {
		if ((parsed = src_parse_json_string(a, conf, &why)) == NULL &&
		    rerr == NULL)
			rerr = arena_printf(a,
			    "configuration is not valid JSON: %s",
			    why ? why : "?");
		conf = parsed;
	}
	if (strcmp(r.type, "AWS::Config::ConfigurationRecorder") == 0 &&
	    conf != NULL && conf->type == DOC_MAP &&
	    cfg_recorder_add(x, conf, r.region, &ci->mark) == -1)
		return -1;
	if (conf != NULL && conf->type == DOC_MAP) {
		if ((attrs = src_pascal(a, conf)) == NULL)
			return diag_sys(x->d, NULL, "out of memory");
	} else {
		if (rerr == NULL)
			rerr = "the configuration item holds no "
			       "'configuration' object";
		if ((attrs = src_map(a, &ci->mark)) == NULL)
			return diag_sys(x->d, NULL, "out of memory");
	}
	tags = doc_get(ci, "tags");
	if (doc_get(attrs, "Tags") == NULL && tags != NULL &&
	    tags->type == DOC_MAP) {
		struct doc_node *wrap = src_map(a, &tags->mark);

		if (wrap == NULL ||
		    src_set(a, wrap, "tags", (struct doc_node *)tags) ||
		    (t = src_pascal(a, wrap)) == NULL ||
		    src_set(a, attrs, "Tags", doc_get(t, "Tags")))
			return diag_sys(x->d, NULL, "out of memory");
	}
	supp = doc_get(ci, "supplementaryConfiguration");
	if (supp != NULL && supp->type != DOC_MAP)
		supp = NULL;
	if (strcmp(r.type, "AWS::S3::Bucket") == 0 && rerr == NULL) {
		if (s3_supplementary(a, attrs, supp, &ci->mark, &rerr))
			return diag_sys(x->d, NULL, "out of memory");
	} else {
		for (i = 0; supp != NULL && i < supp->u.map.n; i++) {
			parsed = supp_value(a, supp->u.map.pairs[i].val, &why);
			if (parsed == NULL)
				parsed = doc_copy(a, supp->u.map.pairs[i].val);
			else
				parsed = src_pascal(a, parsed);
			if (parsed == NULL ||
			    src_set(a, attrs, supp->u.map.pairs[i].key->str,
				parsed))
				return diag_sys(x->d, NULL, "out of memory");
		}
	}
	if (strcmp(r.type, "AWS::EC2::SecurityGroup") == 0 &&
	    (sg_fix_ranges(a, attrs, "IpPermissions") ||
		sg_fix_ranges(a, attrs, "IpPermissionsEgress")))
		return diag_sys(x->d, NULL, "out of memory");
	r.attrs = attrs;
	r.read_error = rerr;
	x->emitted++;
	return x->fn(x->ctx, &r, a);
}

/* Each element of a sequence of items (maybe JSON strings). */
static int
cfg_items(struct cfg_read *x, const struct doc_node *seq, struct arena *a,
    int strings, const char *key)
{
	const struct doc_node *it;
	const char *why;
	size_t i;

	if (seq == NULL)
		return 0;
	/*
	 * Present but not a list (null, an object): no item could be read,
	 * and beside a snapshot's recorder that read as "every type empty".
	 */
	if (seq->type != DOC_SEQ)
		return diag_err(x->d, &seq->mark, "'%s' is %s, not a list", key,
		    doc_type_name(seq->type));
	for (i = 0; i < seq->u.seq.n; i++) {
		it = seq->u.seq.items[i];
		if (strings && it->type == DOC_STRING) {
			if ((it = src_parse_json_string(a, it, &why)) == NULL)
				return diag_err(x->d,
				    &seq->u.seq.items[i]->mark,
				    "select result is not valid JSON: %s",
				    why ? why : "?");
		}
		if (cfg_item(x, it, a) != 0)
			return -1;
	}
	return 0;
}

/* A Config rule invocation event: the item is inside a JSON string. */
static int
cfg_event(struct cfg_read *x, const struct doc_node *ev, struct arena *a)
{
	const struct doc_node *ie = doc_get(ev, "invokingEvent"), *ci;
	const char *why;

	if (ie != NULL && ie->type == DOC_STRING) {
		if ((ie = src_parse_json_string(a, ie, &why)) == NULL)
			return diag_err(x->d,
			    &doc_get(ev, "invokingEvent")->mark,
			    "'invokingEvent' is not valid JSON: %s",
			    why ? why : "?");
	}
	if ((ci = doc_get(ie, "configurationItem")) != NULL)
		return cfg_item(x, ci, a);
	if ((ci = doc_get(ie, "configurationItemSummary")) != NULL) {
		struct resource r;

		/* Oversized items carry no configuration: never a pass. */
		memset(&r, 0, sizeof(r));
		r.type = str_of(ci, "resourceType");
		r.id = str_of(ci, "resourceId");
		if (r.type == NULL || r.id == NULL)
			return diag_err(x->d, &ci->mark,
			    "configuration item summary without "
			    "'resourceType' or 'resourceId'");
		r.region = str_of(ci, "awsRegion");
		r.account = str_of(ci, "awsAccountId");
		r.source = x->path;
		r.mark = ci->mark;
		r.attrs = src_map(a, &ci->mark);
		r.read_error = "oversized configuration item: the event "
			       "holds no configuration";
		if (r.attrs == NULL)
			return diag_sys(x->d, NULL, "out of memory");
		x->emitted++;
		return x->fn(x->ctx, &r, a);
	}
	return diag_err(
	    x->d, &ev->mark, "Config rule event without 'configurationItem'");
}

/*
 * batch-get-resource-config's unprocessedResourceKeys: resources AWS
 * Config did not return.  Each is named in the report as unevaluated.
 */
static int
cfg_unprocessed(struct cfg_read *x, const struct doc_node *seq, struct arena *a)
{
	const struct doc_node *k;
	struct resource r;
	size_t i;

	if (seq == NULL || seq->type == DOC_NULL)
		return 0;
	if (seq->type != DOC_SEQ)
		return diag_err(x->d, &seq->mark,
		    "'unprocessedResourceKeys' is %s, not a list",
		    doc_type_name(seq->type));
	for (i = 0; i < seq->u.seq.n; i++) {
		k = seq->u.seq.items[i];
		memset(&r, 0, sizeof(r));
		r.type = str_of(k, "resourceType");
		r.id = str_of(k, "resourceId");
		if (r.type == NULL || r.id == NULL)
			return diag_err(x->d, &k->mark,
			    "unprocessed resource key without 'resourceType' "
			    "or 'resourceId'");
		r.source = x->path;
		r.mark = k->mark;
		r.account = x->account;
		r.read_error = "not returned by AWS Config "
			       "(unprocessedResourceKeys)";
		if ((r.attrs = src_map(a, &k->mark)) == NULL)
			return diag_sys(x->d, &k->mark, "out of memory");
		x->emitted++;
		if (x->fn(x->ctx, &r, a) != 0)
			return -1;
	}
	return 0;
}

/* Recorders given beside the items (describe-configuration-recorders). */
static int
cfg_doc_recorders(struct cfg_read *x, const struct doc_node *doc)
{
	const struct doc_node *v = doc_get(doc, "configurationRecorders");
	size_t i;

	if (v == NULL)
		v = doc_get(doc, "ConfigurationRecorders");
	if (v == NULL)
		return 0;
	if (v->type != DOC_SEQ)
		return diag_err(x->d, &v->mark,
		    "'configurationRecorders' is %s, not a list",
		    doc_type_name(v->type));
	for (i = 0; i < v->u.seq.n; i++)
		if (cfg_recorder_add(
			x, v->u.seq.items[i], NULL, &v->u.seq.items[i]->mark))
			return -1;
	return 0;
}

/*
 * The items of one page of get-resource-config-history,
 * list-aggregate-discovered-resources style output or select-resource-
 * config: a page whose nextToken (NextToken for select) says more follow
 * is an incomplete listing of every type on it (an error marker each);
 * such a page without items names no type and is refused.
 */
static int
cfg_page(struct cfg_read *x, const struct doc_node *doc,
    const struct doc_node *items, struct arena *a, int strings, const char *key)
{
	static const char *const keys[] = { "nextToken", "NextToken" };
	const struct doc_node *tok = NULL;
	struct cfg_set page = { NULL, 0 };
	struct resource r;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && tok == NULL; i++) {
		tok = doc_get(doc, keys[i]);
		if (tok != NULL &&
		    (tok->type == DOC_NULL ||
			(tok->type == DOC_STRING && tok->len == 0)))
			tok = NULL;
	}
	if (tok == NULL)
		return cfg_items(x, items, a, strings, key);
	x->page = &page;
	rc = cfg_items(x, items, a, strings, key);
	x->page = NULL;
	if (rc != 0)
		return rc;
	if (page.n == 0)
		return diag_err(x->d, &tok->mark,
		    "'%s' says more pages follow, and this page has no "
		    "item: the export is incomplete",
		    keys[i - 1]);
	for (i = 0; i < page.n; i++) {
		memset(&r, 0, sizeof(r));
		r.listing = 1;
		r.type = page.v[i];
		r.account = x->account;
		r.source = x->path;
		r.mark = tok->mark;
		r.read_error = arena_printf(a,
		    "the AWS Config output is incomplete: its '%s' says "
		    "more pages exist than the export holds (%s:%u)",
		    tok == doc_get(doc, "nextToken") ? "nextToken"
						     : "NextToken",
		    tok->mark.file != NULL ? tok->mark.file : x->path,
		    tok->mark.line);
		if (r.read_error == NULL)
			return diag_sys(x->d, &tok->mark, "out of memory");
		if (x->fn(x->ctx, &r, a) != 0)
			return -1;
	}
	return 0;
}

/* One whole document: decide what it holds. */
static int
cfg_doc(void *ctx, struct doc_node *doc, struct arena *a)
{
	struct cfg_read *x = ctx;
	const struct doc_node *v;

	if (doc->type != DOC_MAP)
		return diag_err(x->d, &doc->mark,
		    "expected an AWS Config object, found %s",
		    doc_type_name(doc->type));
	if (cfg_doc_recorders(x, doc) == -1)
		return -1;
	if ((v = doc_get(doc, "configurationItems")) != NULL) {
		if (doc_get(doc, "configSnapshotId") != NULL)
			x->snapshot = 1;
		return cfg_page(x, doc, v, a, 0, "configurationItems");
	}
	if ((v = doc_get(doc, "baseConfigurationItems")) != NULL ||
	    doc_get(doc, "unprocessedResourceKeys") != NULL) {
		if (cfg_items(x, v, a, 0, "baseConfigurationItems") != 0)
			return -1;
		return cfg_unprocessed(
		    x, doc_get(doc, "unprocessedResourceKeys"), a);
	}
	if ((v = doc_get(doc, "Results")) != NULL)
		return cfg_page(x, doc, v, a, 1, "Results");
	if (doc_get(doc, "invokingEvent") != NULL)
		return cfg_event(x, doc, a);
	if (doc_get(doc, "resourceType") != NULL)
		return cfg_item(x, doc, a);
	if (doc_get(doc, "configurationRecorders") != NULL ||
	    doc_get(doc, "ConfigurationRecorders") != NULL)
		return 0;
	return diag_err(x->d, &doc->mark,
	    "not an AWS Config export: expected 'configurationItems', "
	    "'baseConfigurationItems', 'Results', 'invokingEvent' or a "
	    "configuration item");
}

static int
cfg_elem(void *ctx, struct doc_node *elem, struct arena *a)
{
	return cfg_item(ctx, elem, a);
}

static int
cfg_detect(const char *path, int is_dir, const char *head, size_t len)
{
	(void)path;
	if (is_dir || head == NULL)
		return 0;
	if (src_has_key(head, len, "configurationItems") ||
	    src_has_key(head, len, "baseConfigurationItems") ||
	    src_has_key(head, len, "unprocessedResourceKeys"))
		return 90;
	if (src_has_key(head, len, "invokingEvent"))
		return 85;
	if (src_has_key(head, len, "Results") &&
	    (src_has_key(head, len, "QueryInfo") ||
		strstr(head, "\\\"resourceType\\\"") != NULL))
		return 70;
	if (src_has_key(head, len, "configurationItemCaptureTime") ||
	    (src_has_key(head, len, "resourceType") &&
		src_has_key(head, len, "configuration")))
		return 60;
	return 0;
}

static int
cfg_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	struct cfg_read x;
	struct mark m = { path, 0, 0 };
	struct load_limits ol;
	struct input own, *in;
	int rc = -1, stream;

	memset(&x, 0, sizeof(x));
	x.d = d;
	x.path = path;
	x.fn = fn;
	x.ctx = ctx;
	memset(&own, 0, sizeof(own));
	/*
	 * The input is read once: through the caller's opened input when
	 * there is one (a pipe cannot be opened twice), else opened here;
	 * the choice below looks at its head, the parse continues from it.
	 */
	if ((in = input_of(lim, path)) == NULL) {
		if (lim != NULL)
			ol = *lim;
		else
			load_limits_default(&ol);
		if (input_open(d, path, &own) == -1)
			goto out;
		ol.input = in = &own;
		lim = &ol;
	}
	if ((x.a = arena_new()) == NULL) {
		diag_sys(d, &m, "out of memory");
		goto out;
	}
	/*
	 * A snapshot can be gigabytes: when the head shows the
	 * configurationItems array of a delivered snapshot
	 * (configSnapshotId) and the input goes on past the head, stream
	 * the array element by element.  History pages are read whole, so
	 * that a nextToken after the items is seen (cfg_page).  Everything else (bare items,
	 * events, query output, a small snapshot) is read as whole
	 * documents, so keys beside the items are seen wherever they are.
	 */
	stream = !in->is_dir && !in->eof &&
	    src_has_key(in->head, in->hlen, "configurationItems") &&
	    src_has_key(in->head, in->hlen, "configSnapshotId");
	if (stream) {
		x.snapshot =
		    src_has_key(in->head, in->hlen, "configSnapshotId");
		if (src_has_key(in->head, in->hlen, "configurationRecorders"))
			diag_warn(d, &m,
			    "'configurationRecorders' beside the items of a "
			    "streamed snapshot is not read; give the recorder "
			    "as an AWS::Config::ConfigurationRecorder item");
		rc = doc_stream_file(d, path, DOC_FMT_AUTO,
		    "configurationItems[*]", lim, cfg_elem, &x, NULL);
	} else {
		rc = doc_stream_file(
		    d, path, DOC_FMT_AUTO, NULL, lim, cfg_doc, &x, NULL);
	}
	if (rc == 0)
		rc = cfg_markers(&x);
	if (x.skipped > 0)
		diag_note(d, &m,
		    "skipped %zu deleted or not recorded configuration items",
		    x.skipped);
out:
	/* Resources only: listing markers are not counted. */
	if (nresources != NULL)
		*nresources = x.emitted;
	arena_free(x.a);
	input_close(&own); /* a no-op unless opened here */
	return rc;
}

const struct adapter adapter_aws_config = {
	.name = "aws-config",
	.summary = "AWS Config snapshots, configuration history, items, "
		   "rule events, batch-get/select-resource-config output",
	.detect = cfg_detect,
	.read = cfg_read,
};
