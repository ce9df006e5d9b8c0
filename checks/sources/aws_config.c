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
#include <string.h>

#include "checks/sources/sources.h"

struct cfg_read {
	struct diag *d;
	const char *path;
	resource_fn fn;
	void *ctx;
	size_t emitted, skipped;
};

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
			if (strcmp(s, groups[i].name) == 0)
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
		if (strcmp(ti, "uri") == 0)
			return src_set(
				   a, out, "Type", src_str(a, "Group", m)) ||
				src_set(a, out, "URI", src_str(a, s, m))
			    ? NULL
			    : out;
		if (strcmp(ti, "emailAddress") == 0)
			return src_set(a, out, "Type",
				   src_str(a, "AmazonCustomerByEmail", m)) ||
				src_set(
				    a, out, "EmailAddress", src_str(a, s, m))
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

/* The S3 bucket's supplementary configuration in the CLI's shape. */
static int
s3_supplementary(struct arena *a, struct doc_node *attrs,
    const struct doc_node *supp, const struct mark *m, const char **rerr)
{
	const struct doc_node *v, *g;
	struct doc_node *p, *out, *e, *x;
	const char *why, *s;
	size_t i, j;

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
		if (strcmp(s, "AccessControlList") == 0) {
			if ((out = src_seq(a, &p->mark)) == NULL)
				return -1;
			g = doc_get(p, "grantList");
			for (j = 0;
			     g != NULL && g->type == DOC_SEQ && j < g->u.seq.n;
			     j++) {
				const struct doc_node *gr = g->u.seq.items[j];
				const char *perm = str_of(gr, "permission");

				if ((e = src_map(a, &gr->mark)) == NULL)
					return -1;
				if (doc_get(gr, "grantee") != NULL &&
				    ((x = acl_grantee(
					  a, doc_get(gr, "grantee"))) == NULL ||
					src_set(a, e, "Grantee", x)))
					return -1;
				if (perm != NULL &&
				    src_set(a, e, "Permission",
					src_str(a, acl_permission(perm),
					    &gr->mark)))
					return -1;
				if (doc_seq_push(a, out, e))
					return -1;
			}
			if (src_set(a, attrs, "Grants", out))
				return -1;
		} else if (strcmp(s, "BucketPolicy") == 0) {
			v = doc_get(p, "policyText");
			if (v == NULL || v->type == DOC_NULL) {
				if (src_not_configured(a, attrs, "Policy",
					"NoSuchBucketPolicy", &p->mark))
					return -1;
				continue;
			}
			if ((x = supp_value(a, v, &why)) == NULL) {
				*rerr = arena_printf(a,
				    "bucket policy is not valid JSON: %s",
				    why ? why : "?");
				return 0;
			}
			if (src_set(a, attrs, "Policy", x))
				return -1;
		} else if (strcmp(s, "BucketVersioningConfiguration") == 0) {
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
				src_str(a, v->u.b ? "Enabled" : "Disabled",
				    &v->mark)))
				return -1;
			if (src_set(a, attrs, "Versioning", out))
				return -1;
		} else if (strcmp(s, "BucketLoggingConfiguration") == 0) {
			if ((out = src_map(a, &p->mark)) == NULL)
				return -1;
			v = doc_get(p, "destinationBucketName");
			if (v != NULL && v->type == DOC_STRING) {
				if ((e = src_map(a, &v->mark)) == NULL ||
				    src_set(
					a, e, "TargetBucket", doc_copy(a, v)) ||
				    src_set(a, out, "LoggingEnabled", e))
					return -1;
				v = doc_get(p, "logFilePrefix");
				if (v != NULL && v->type == DOC_STRING &&
				    src_set(
					a, e, "TargetPrefix", doc_copy(a, v)))
					return -1;
			}
			if (src_set(a, attrs, "Logging", out))
				return -1;
		} else if (strcmp(s, "BucketTaggingConfiguration") == 0) {
			g = doc_get(p, "tagSets");
			g = doc_index(g, 0);
			g = doc_get(g, "tags");
			if (g != NULL && g->type == DOC_MAP) {
				struct doc_node *wrap = src_map(a, m);

				/* src_pascal turns a `tags` map into a list */
				if (wrap == NULL ||
				    src_set(
					a, wrap, "tags", (struct doc_node *)g))
					return -1;
				if ((x = src_pascal(a, wrap)) == NULL ||
				    src_set(
					a, attrs, "Tags", doc_get(x, "Tags")))
					return -1;
			}
		} else {
			if ((x = src_pascal(a, p)) == NULL ||
			    src_set(a, attrs, s, x))
				return -1;
		}
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

/*
 * Old configuration items hold `ipRanges` as a list of CIDR strings only;
 * the CLI's IpRanges is a list of {"CidrIp": ...}.
 */
static int
sg_fix_ranges(struct arena *a, struct doc_node *attrs, const char *key)
{
	struct doc_node *perms = doc_get(attrs, key), *r, *seq, *e;
	size_t i, j;

	for (i = 0;
	     perms != NULL && perms->type == DOC_SEQ && i < perms->u.seq.n;
	     i++) {
		r = doc_get(perms->u.seq.items[i], "IpRanges");
		if (r == NULL || r->type != DOC_SEQ || r->u.seq.n == 0 ||
		    r->u.seq.items[0]->type != DOC_STRING)
			continue;
		if ((seq = src_seq(a, &r->mark)) == NULL)
			return -1;
		for (j = 0; j < r->u.seq.n; j++)
			if ((e = src_map(a, &r->u.seq.items[j]->mark)) ==
				NULL ||
			    src_set(a, e, "CidrIp", r->u.seq.items[j]) ||
			    doc_seq_push(a, seq, e))
				return -1;
		if (src_set(a, perms->u.seq.items[i], "IpRanges", seq))
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

	conf = doc_get(ci, "configuration");
	if (conf != NULL && conf->type == DOC_STRING) {
		if ((parsed = src_parse_json_string(a, conf, &why)) == NULL)
			rerr = arena_printf(a,
			    "configuration is not valid JSON: %s",
			    why ? why : "?");
		conf = parsed;
	}
	if (conf != NULL && conf->type == DOC_MAP) {
		if ((attrs = src_pascal(a, conf)) == NULL)
			return diag_err(x->d, NULL, "out of memory");
	} else {
		if (rerr == NULL)
			rerr = "the configuration item holds no "
			       "'configuration' object";
		if ((attrs = src_map(a, &ci->mark)) == NULL)
			return diag_err(x->d, NULL, "out of memory");
	}
	tags = doc_get(ci, "tags");
	if (doc_get(attrs, "Tags") == NULL && tags != NULL &&
	    tags->type == DOC_MAP) {
		struct doc_node *wrap = src_map(a, &tags->mark);

		if (wrap == NULL ||
		    src_set(a, wrap, "tags", (struct doc_node *)tags) ||
		    (t = src_pascal(a, wrap)) == NULL ||
		    src_set(a, attrs, "Tags", doc_get(t, "Tags")))
			return diag_err(x->d, NULL, "out of memory");
	}
	supp = doc_get(ci, "supplementaryConfiguration");
	if (supp != NULL && supp->type != DOC_MAP)
		supp = NULL;
	if (strcmp(r.type, "AWS::S3::Bucket") == 0 && rerr == NULL) {
		if (s3_supplementary(a, attrs, supp, &ci->mark, &rerr))
			return diag_err(x->d, NULL, "out of memory");
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
				return diag_err(x->d, NULL, "out of memory");
		}
	}
	if (strcmp(r.type, "AWS::EC2::SecurityGroup") == 0 &&
	    (sg_fix_ranges(a, attrs, "IpPermissions") ||
		sg_fix_ranges(a, attrs, "IpPermissionsEgress")))
		return diag_err(x->d, NULL, "out of memory");
	r.attrs = attrs;
	r.read_error = rerr;
	x->emitted++;
	return x->fn(x->ctx, &r, a);
}

/* Each element of a sequence of items (maybe JSON strings). */
static int
cfg_items(struct cfg_read *x, const struct doc_node *seq, struct arena *a,
    int strings)
{
	const struct doc_node *it;
	const char *why;
	size_t i;

	if (seq == NULL || seq->type != DOC_SEQ)
		return 0;
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
			return diag_err(x->d, NULL, "out of memory");
		x->emitted++;
		return x->fn(x->ctx, &r, a);
	}
	return diag_err(
	    x->d, &ev->mark, "Config rule event without 'configurationItem'");
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
	if ((v = doc_get(doc, "configurationItems")) != NULL)
		return cfg_items(x, v, a, 0);
	if ((v = doc_get(doc, "baseConfigurationItems")) != NULL)
		return cfg_items(x, v, a, 0);
	if ((v = doc_get(doc, "Results")) != NULL)
		return cfg_items(x, v, a, 1);
	if (doc_get(doc, "invokingEvent") != NULL)
		return cfg_event(x, doc, a);
	if (doc_get(doc, "resourceType") != NULL)
		return cfg_item(x, doc, a);
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
	    src_has_key(head, len, "baseConfigurationItems"))
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

/* Bytes read to choose between streaming the items and whole documents. */
#define CFG_HEAD 65536

static int
cfg_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	struct cfg_read x = { d, path, fn, ctx, 0, 0 };
	struct mark m = { path, 0, 0 };
	char *head = NULL;
	size_t hlen = 0;
	int rc, stream = 0;
	FILE *fp;

	/*
	 * A snapshot can be gigabytes: when its head shows the
	 * configurationItems array, stream the array element by element.
	 * Everything else (bare items, events, query output) is small.
	 */
	if (strcmp(path, "-") != 0 && (fp = fopen(path, "rb")) != NULL) {
		if ((head = lib_malloc(CFG_HEAD + 1)) != NULL) {
			hlen = fread(head, 1, CFG_HEAD, fp);
			head[hlen] = '\0';
			stream = src_has_key(head, hlen, "configurationItems");
		}
		fclose(fp);
		lib_free(head);
	}
	if (stream)
		rc = doc_stream_file(d, path, DOC_FMT_AUTO,
		    "configurationItems[*]", lim, cfg_elem, &x, NULL);
	else
		rc = doc_stream_file(
		    d, path, DOC_FMT_AUTO, NULL, lim, cfg_doc, &x, NULL);
	if (x.skipped > 0)
		diag_note(d, &m,
		    "skipped %zu deleted or not recorded configuration items",
		    x.skipped);
	if (nresources != NULL)
		*nresources = x.emitted;
	return rc;
}

const struct adapter adapter_aws_config = {
	.name = "aws-config",
	.summary = "AWS Config snapshots, configuration history, items, "
		   "rule events, batch-get/select-resource-config output",
	.detect = cfg_detect,
	.read = cfg_read,
};
