/*
 * gcp_gcloud.c: the "gcp-gcloud" adapter.  A directory of `gcloud ...
 * --format=json` outputs named `<service>/<command>.json` (per-resource
 * outputs `<service>/<command>/<name>.json`), as scripts/collect-gcp.sh
 * writes them: one project per directory, or one folder per project.
 * Each file holds what gcloud prints (a JSON array for a list) or the
 * REST API's own response (`{"items": [...], "nextPageToken": ...}`,
 * `{"firewalls": [...]}`, aggregated lists keyed by scope), or the
 * error the call returned (`{"error": {"code", "status", "message"}}`).
 *
 * The layout is a table of the API-dump reader core (dump.h): calls[]
 * names each call's file, the resource type it lists, the field naming
 * an element, the listing that names per-resource files (parent, pkey)
 * and the error meaning "nothing is configured" (the service's API is
 * disabled, so none of its resources exists); gcp_errors[] classes and
 * words the recorded errors; nextPageToken is the page token.  The core
 * reads and classifies each file and emits resources and markers; what
 * the table cannot say is here, in shapes[] (the envelope members, how
 * a full asset name is built, the per-project resources) and its hooks.
 * Every listing read whole gives a clean listing marker; a page token
 * left, a denied, throttled or failed call, a file in the wrong case or
 * shape, a per-resource file missing gives an error marker (docs/gcp.md).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "checks/sources/dump.h"

#define GCP_COLLECTION_FILE "rampart-collection.json"
/* The error code of a call whose service's API is disabled. */
#define DISABLED "SERVICE_DISABLED"

/*
 * The calls, in the order a scope reads them (a listing before the
 * per-resource files its elements name).  id: the field naming an
 * element ("selfLink": the compute URL's path after the API version).
 * LIST: a listing whose API may be disabled (notconf DISABLED: then an
 * empty listing); ONE: a project's own resource (or no evidence); PER:
 * a folder of outputs, one per element of the parent listing (a type,
 * or "svc/call" of a row that is no evidence), named by its field pkey.
 */
#define LIST(svc_, call_, type_, id_) \
	{ \
		.svc = svc_, .call = call_, .type = type_, .id = id_, \
		.notconf = DISABLED \
	}
#define ONE(svc_, call_, type_) \
	{ \
		.svc = svc_, .call = call_, .type = type_ \
	}
#define PER(svc_, call_, type_, id_, parent_, pkey_) \
	{ \
		.svc = svc_, .call = call_, .type = type_, \
		.per = DUMP_PER_PARENT, .id = id_, .parent = parent_, \
		.pkey = pkey_ \
	}
static const struct dump_call calls[] = {
	LIST("compute", "firewall-rules-list", "GCP::Compute::Firewall",
	    "selfLink"),
	LIST("compute", "networks-subnets-list", "GCP::Compute::Subnetwork",
	    "selfLink"),
	LIST("compute", "ssl-policies-list", "GCP::Compute::SslPolicy",
	    "selfLink"),
	LIST("compute", "target-https-proxies-list",
	    "GCP::Compute::TargetHttpsProxy", "selfLink"),
	PER("iam", "service-accounts-keys-list", "GCP::IAM::ServiceAccountKey",
	    "name", "GCP::IAM::ServiceAccount", "email"),
	LIST(
	    "iam", "service-accounts-list", "GCP::IAM::ServiceAccount", "name"),
	LIST("kms", "keyrings-list", NULL, "name"),
	PER("kms", "keys-list", "GCP::KMS::CryptoKey", "name",
	    "kms/keyrings-list", "name"),
	LIST("logging", "buckets-list", "GCP::Logging::LogBucket", "name"),
	LIST("logging", "sinks-list", "GCP::Logging::Sink", "name"),
	ONE("projects", "describe", NULL),
	ONE("projects", "get-iam-policy", "GCP::IAM::Policy"),
	ONE("resource-manager", "org-policies-list", "GCP::OrgPolicy::Policy"),
	LIST("sql", "instances-list", "GCP::SQL::Instance", "name"),
	PER("storage", "buckets-get-iam-policy", "GCP::IAM::Policy", NULL,
	    "GCP::Storage::Bucket", "name"),
	LIST("storage", "buckets-list", "GCP::Storage::Bucket", "name"),
	ONE("services", "list", "GCP::ServiceUsage::EnabledServices"),
	LIST("container", "clusters-list", "GCP::Container::Cluster",
	    "selfLink"),
	/* a folder of `describe --effective` outputs, read by org policies */
	PER("resource-manager", "org-policies-describe-effective", NULL, NULL,
	    NULL, NULL),
#undef LIST
#undef ONE
#undef PER
};

#define NCALLS (sizeof(calls) / sizeof(calls[0]))
#define EFFECTIVE_DIR "resource-manager/org-policies-describe-effective"

enum shape {
	SH_LIST, /* a list of resources */
	SH_POLICY, /* one IAM policy */
	SH_ORGPOL, /* a list of organisation policies */
	SH_INFO, /* not evidence: read for the project id */
	SH_SERVICES, /* the enabled services: one resource per project */
	SH_FOLDER, /* a folder of outputs that another row's reader reads */
};

/*
 * What the core's table cannot say about a call, by its row in calls[]:
 * its shape, the envelope members holding its list (',' separated), the
 * prefix of a resource's full asset name ("%p" is the project), and for
 * a policy, whose policy it is.
 */
static const struct gshape {
	const char *call; /* calls[]'s row, checked by gcloud_read() */
	enum shape shape;
	const char *members, *idprefix, *asset_type;
} shapes[] = {
	{ "firewall-rules-list", SH_LIST, "items,firewalls",
	    "//compute.googleapis.com/", NULL },
	{ "networks-subnets-list", SH_LIST, "items",
	    "//compute.googleapis.com/", NULL },
	{ "ssl-policies-list", SH_LIST, "items", "//compute.googleapis.com/",
	    NULL },
	{ "target-https-proxies-list", SH_LIST, "items",
	    "//compute.googleapis.com/", NULL },
	{ "service-accounts-keys-list", SH_LIST, "keys",
	    "//iam.googleapis.com/", NULL },
	{ "service-accounts-list", SH_LIST, "accounts", "//iam.googleapis.com/",
	    NULL },
	{ "keyrings-list", SH_LIST, "keyRings", "//cloudkms.googleapis.com/",
	    NULL },
	{ "keys-list", SH_LIST, "cryptoKeys", "//cloudkms.googleapis.com/",
	    NULL },
	{ "buckets-list", SH_LIST, "buckets", "//logging.googleapis.com/",
	    NULL },
	{ "sinks-list", SH_LIST, "sinks",
	    "//logging.googleapis.com/projects/%p/sinks/", NULL },
	{ "describe", SH_INFO, NULL, NULL, NULL },
	{ "get-iam-policy", SH_POLICY, NULL,
	    "//cloudresourcemanager.googleapis.com/projects/%p",
	    "cloudresourcemanager.googleapis.com/Project" },
	{ "org-policies-list", SH_ORGPOL, "policies",
	    "//cloudresourcemanager.googleapis.com/projects/%p",
	    "cloudresourcemanager.googleapis.com/Project" },
	{ "instances-list", SH_LIST, "items",
	    "//cloudsql.googleapis.com/projects/%p/instances/", NULL },
	{ "buckets-get-iam-policy", SH_POLICY, NULL,
	    "//storage.googleapis.com/", "storage.googleapis.com/Bucket" },
	{ "buckets-list", SH_LIST, "items", "//storage.googleapis.com/", NULL },
	{ "list", SH_SERVICES, "services",
	    "//serviceusage.googleapis.com/projects/%p", NULL },
	{ "clusters-list", SH_LIST, "clusters", "//container.googleapis.com/",
	    NULL },
	{ "org-policies-describe-effective", SH_FOLDER, NULL, NULL, NULL },
};

_Static_assert(
    sizeof(shapes) / sizeof(shapes[0]) == NCALLS, "one shape per call");

/*
 * The error statuses a call may record, and how messages word them.
 * Any other status is an error of unknown cause, also never a pass.
 * SERVICE_DISABLED is "not configured" only for the rows saying so.
 */
static const struct dump_error gcp_errors[] = {
	{ "NOT_FOUND", DUMP_CLS_OTHER, "not found" },
	{ "PERMISSION_DENIED", DUMP_CLS_DENIED, "denied" },
	{ "RESOURCE_EXHAUSTED", DUMP_CLS_THROTTLED,
	    "throttled (quota exhausted)" },
	{ DISABLED, DUMP_CLS_OTHER, "the service's API is disabled" },
	{ "UNAUTHENTICATED", DUMP_CLS_DENIED, "denied (no valid credentials)" },
};

static const char *const gcp_page_tokens[] = { "nextPageToken",
	"next_page_token", NULL };

static int gcp_unwrap(struct dump *d, const struct dump_call *c,
    struct doc_node *doc, struct dump_resp *r);
static const char *gcp_more_words(struct dump *d, const struct dump_call *c,
    const char *file, const char *key);

static const struct dump_layout gcp_layout = {
	.provider = "gcp",
	.tool = "gcloud",
	.what = "gcloud",
	.calls = calls,
	.ncalls = NCALLS,
	.errors = gcp_errors,
	.nerrors = sizeof(gcp_errors) / sizeof(gcp_errors[0]),
	.page_tokens = gcp_page_tokens,
	.unwrap = gcp_unwrap,
	.more_words = gcp_more_words,
};

struct gc {
	struct dump dp; /* the core's state: project in dp.account */
	size_t emitted; /* resources alone */
	/* per scope */
	struct dump_scope s;
	/* per scope: the names each listing gave (for per-resource files) */
	struct doc_node *names[NCALLS];
	const char *failed[NCALLS]; /* why the listing is not complete */
	int seen[NCALLS];
};

/* The row of c in calls[] (c is one of its rows). */
#define ROW(c) ((size_t)((c)-calls))

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n >= k && strcmp(s + n - k, suf) == 0;
}

/* A resource of the scope, in region (NULL: none) from file. */
static int
emit(struct gc *g, const struct dump_call *c, const char *id,
    struct doc_node *attrs, const char *region, const char *err,
    const struct mark *m)
{
	struct dump_scope s = { g->s.dir, region };

	g->emitted++;
	return dump_emit(&g->dp, &s, c->type, id, attrs, err, m);
}

/* The listing marker of type in the scope (err NULL: complete). */
static int
marker(struct gc *g, const char *type, const char *file, const char *err)
{
	struct mark m = { file, 0, 0 };

	return dump_marker(&g->dp, &g->s, type, err, &m);
}

/* The row of a per-resource call's parent listing, NCALLS: none. */
static size_t
parent_row(const struct dump_call *c)
{
	const char *sl;
	size_t i;

	if (c->parent == NULL)
		return NCALLS;
	sl = strchr(c->parent, '/');
	for (i = 0; i < NCALLS; i++)
		if (sl != NULL
			? strncmp(calls[i].svc, c->parent,
			      (size_t)(sl - c->parent)) == 0 &&
			    calls[i].svc[sl - c->parent] == '\0' &&
			    strcmp(calls[i].call, sl + 1) == 0
			: calls[i].per == DUMP_ONCE && calls[i].type != NULL &&
			    strcmp(calls[i].type, c->parent) == 0)
			return i;
	return NCALLS;
}

/* "projects/p/.../x" with '/' made '_' (a per-resource file's name). */
static const char *
file_name(struct arena *a, const char *key)
{
	char *s = arena_strdup(a, key), *p;

	for (p = s; p != NULL && *p != '\0'; p++)
		if (*p == '/')
			*p = '_';
	return s;
}

/* idprefix with "%p" replaced by the project, then rest. */
static const char *
full_name(struct gc *g, const struct dump_call *c, const char *rest)
{
	const char *pre = shapes[ROW(c)].idprefix, *p = strstr(pre, "%p");
	const char *proj = g->dp.account != NULL ? g->dp.account : "-";

	if (p == NULL)
		return arena_printf(g->dp.a, "%s%s", pre, rest);
	return arena_printf(
	    g->dp.a, "%.*s%s%s%s", (int)(p - pre), pre, proj, p + 2, rest);
}

/*
 * A selfLink's resource path, from "projects/" on
 * ("https://www.googleapis.com/compute/v1/projects/p/..." and
 * "https://container.googleapis.com/v1/projects/p/..."), or NULL.
 */
static const char *
self_path(const char *link)
{
	const char *p = strstr(link, "/projects/");

	return p != NULL ? p + 1 : NULL;
}

/*
 * The envelope hook: {"error": {"code", "status", "message",
 * "details"}} is an error whose code is its status (a detail's reason
 * SERVICE_DISABLED wins), worded "the call was <words>: STATUS: message
 * (file)"; anything else is the response.
 */
static int
gcp_unwrap(struct dump *d, const struct dump_call *c, struct doc_node *doc,
    struct dump_resp *r)
{
	const struct doc_node *e = doc_get(doc, "error"), *det, *code;
	const char *status, *msg, *reason;
	size_t i;

	(void)c;
	if (e == NULL || e->type != DOC_MAP) {
		r->kind = DUMP_OK;
		r->data = doc;
		return 0;
	}
	status = doc_str(doc_get(e, "status"));
	msg = doc_str(doc_get(e, "message"));
	det = doc_get(e, "details");
	for (i = 0; det != NULL && det->type == DOC_SEQ && i < det->u.seq.n;
	     i++) {
		reason = doc_str(doc_get(det->u.seq.items[i], "reason"));
		if (reason != NULL && strcmp(reason, DISABLED) == 0)
			status = reason;
	}
	if (status == NULL)
		status = "UNKNOWN";
	if ((code = doc_get(e, "code")) != NULL && code->type == DOC_INT)
		r->status = code->u.i;
	r->kind = DUMP_ERROR;
	r->code = status;
	/* Worded by the status alone: an unknown one is "failed". */
	r->msg = arena_printf(d->a, "the call was %s: %s: %s (%s)",
	    dump_error_words(d->lay, NULL, status, 0), status,
	    msg != NULL ? msg : "", doc->mark.file);
	return r->msg == NULL ? dump_oom(d) : 0;
}

/* The page-token hook: "'FILE' says more pages follow (KEY)". */
static const char *
gcp_more_words(struct dump *d, const struct dump_call *c, const char *file,
    const char *key)
{
	(void)c;
	return arena_printf(
	    d->a, "'%s' says more pages follow (%s)", file, key);
}

/*
 * The list a response holds: the response itself (gcloud prints an
 * array), one of the envelope members, or the lists of an aggregated
 * response ({"items": {"regions/x": {"<kind>": [...]}}}) gathered into
 * one.  NULL with *why when there is none.
 */
static const struct doc_node *
resp_list(struct gc *g, const struct dump_call *c, const struct doc_node *resp,
    const char **why)
{
	char key[64];
	const char *m, *e;
	const struct doc_node *v, *scope;
	struct doc_node *all;
	size_t i, j, n;

	if (resp->type == DOC_SEQ)
		return resp;
	if (resp->type != DOC_MAP) {
		*why = "the output is neither a list nor an object";
		return NULL;
	}
	for (m = shapes[ROW(c)].members; m != NULL && *m != '\0';
	     m = *e ? e + 1 : e) {
		e = strchr(m, ',');
		if (e == NULL)
			e = m + strlen(m);
		n = (size_t)(e - m) < sizeof(key) ? (size_t)(e - m)
						  : sizeof(key) - 1;
		memcpy(key, m, n);
		key[n] = '\0';
		if ((v = doc_get(resp, key)) == NULL)
			continue;
		if (v->type == DOC_SEQ)
			return v;
		if (v->type != DOC_MAP || strcmp(key, "items") != 0)
			break;
		/* aggregated: every scope's list */
		if ((all = src_seq(g->dp.a, &v->mark)) == NULL)
			return NULL;
		for (i = 0; i < v->u.map.n; i++) {
			scope = v->u.map.pairs[i].val;
			for (j = 0;
			     scope->type == DOC_MAP && j < scope->u.map.n; j++)
				if (scope->u.map.pairs[j].val->type ==
				    DOC_SEQ) {
					const struct doc_node *l =
					    scope->u.map.pairs[j].val;
					size_t k;

					for (k = 0; k < l->u.seq.n; k++)
						if (doc_seq_push(g->dp.a, all,
							l->u.seq.items[k]))
							return NULL;
				}
		}
		return all;
	}
	/* an empty list: the API leaves the member out */
	if (resp->type == DOC_MAP && shapes[ROW(c)].members != NULL &&
	    (resp->u.map.n == 0 ||
		(doc_get(resp, "kind") != NULL &&
		    doc_get(resp, "items") == NULL &&
		    strstr(shapes[ROW(c)].members, "items") != NULL) ||
		(resp->u.map.n == 1 && doc_get(resp, "nextPageToken"))))
		return src_seq(g->dp.a, &resp->mark);
	*why = "the output holds no list of the call's resources";
	return NULL;
}

/* The id of list element el of call c, or NULL. */
static const char *
elem_id(struct gc *g, const struct dump_call *c, const struct doc_node *el)
{
	const char *v = doc_str(doc_get(el, c->id)), *p;

	if (v == NULL)
		return NULL;
	if (strcmp(c->id, "selfLink") == 0) {
		if ((p = self_path(v)) == NULL)
			return NULL;
		return full_name(g, c, p);
	}
	return full_name(g, c, v);
}

/*
 * A copy of firewall rule el with the rules of its network (those of
 * list with the same "network", as exported) under
 * SRC_GCP_NETWORK_RULES.  NULL when memory runs out.
 */
static struct doc_node *
with_network(
    struct gc *g, const struct doc_node *list, const struct doc_node *el)
{
	const char *net = doc_str(doc_get(el, "network")), *o;
	struct doc_node *m, *seq;
	size_t i;

	if ((m = src_map_clone(g->dp.a, el)) == NULL ||
	    (seq = src_seq(g->dp.a, &el->mark)) == NULL ||
	    src_set(g->dp.a, m, SRC_GCP_NETWORK_RULES, seq) != 0)
		return NULL;
	for (i = 0; i < list->u.seq.n; i++) {
		o = doc_str(doc_get(list->u.seq.items[i], "network"));
		if ((net == NULL) != (o == NULL) ||
		    (net != NULL && strcmp(net, o) != 0))
			continue;
		if (doc_seq_push(g->dp.a, seq, list->u.seq.items[i]) != 0)
			return NULL;
	}
	return m;
}

/* The elements of a list call's response, emitted. */
static int
read_list(
    struct gc *g, size_t ci, const struct doc_node *list, const char *file)
{
	const struct dump_call *c = &calls[ci];
	const struct doc_node *el, *k;
	struct doc_node *attrs;
	const char *id, *region;
	size_t i;

	for (i = 0; i < list->u.seq.n; i++) {
		el = list->u.seq.items[i];
		if (g->dp.account == NULL && el->type == DOC_MAP)
			g->dp.account = doc_str(doc_get(el, "project")) != NULL
			    ? doc_str(doc_get(el, "project"))
			    : gcp_project_of(g->dp.a,
				  doc_str(doc_get(el, c->id)) != NULL
				      ? doc_str(doc_get(el, c->id))
				      : "",
				  NULL);
		if (el->type != DOC_MAP || (id = elem_id(g, c, el)) == NULL) {
			g->failed[ci] = arena_printf(g->dp.a,
			    "element %zu of '%s' has no '%s'", i, file, c->id);
			continue;
		}
		if ((k = doc_get(el, "name")) != NULL ||
		    (k = doc_get(el, "email")) != NULL)
			if (doc_seq_push(g->dp.a, g->names[ci],
				(struct doc_node *)el) != 0)
				return dump_oom(&g->dp);
		region = gcp_region_of(g->dp.a, el, NULL);
		attrs = (struct doc_node *)el;
		if (c->type != NULL &&
		    strcmp(c->type, "GCP::Compute::Firewall") == 0) {
			region = "global";
			if ((attrs = with_network(g, list, el)) == NULL)
				return dump_oom(&g->dp);
		}
		if (c->type != NULL &&
		    emit(g, c, id, attrs, region, NULL, &el->mark) != 0)
			return -1;
	}
	return 0;
}

/*
 * One IAM policy (projects get-iam-policy, buckets get-iam-policy) of
 * the resource of, from resp (NULL: none read, err says why).
 */
static int
read_policy(struct gc *g, size_t ci, const struct doc_node *resp,
    const char *file, const char *of, const char *err)
{
	const struct dump_call *c = &calls[ci];
	struct doc_node *attrs, *at;
	struct mark m = { file, 0, 0 };
	const char *id;

	if (resp != NULL)
		m = resp->mark;
	id = full_name(g, c, of != NULL ? of : "");
	if (resp != NULL && resp->type == DOC_MAP && err == NULL)
		attrs = gcp_camel(g->dp.a, resp, 0);
	else
		attrs = src_map(g->dp.a, &m);
	if (id == NULL || attrs == NULL ||
	    (at = src_str(g->dp.a, shapes[ci].asset_type, &m)) == NULL ||
	    src_set(g->dp.a, attrs, "assetType", at) != 0)
		return dump_oom(&g->dp);
	if (err == NULL && resp != NULL && resp->type != DOC_MAP)
		err = arena_printf(
		    g->dp.a, "'%s' does not hold an IAM policy object", file);
	return emit(g, c, id, attrs, NULL, err, &m);
}

/*
 * The effective organisation policies of the project
 * (`gcloud resource-manager org-policies describe C --project=P
 * --effective`, one file per constraint under EFFECTIVE_DIR): inherited
 * from folders and the organisation, so a check can read what applies.
 * Into attrs.effective[constraint]; a file that is no policy (an error
 * the call recorded) is left out, so the check falls back to the policy
 * set on the project.
 */
static int
read_effective(struct gc *g, struct doc_node *attrs, const struct mark *m)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct doc_node *eff, *pol, **docs;
	const char *c;
	struct dirent *de;
	struct stat st;
	size_t n;
	DIR *dp;

	if ((eff = src_map(g->dp.a, m)) == NULL ||
	    src_set(g->dp.a, attrs, "effective", eff) != 0)
		return diag_sys(g->dp.d, NULL, "out of memory");
	if (snprintf(dir, sizeof(dir), "%s/%s", g->s.dir, EFFECTIVE_DIR) >=
		(int)sizeof(dir) ||
	    (dp = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".json") ||
		    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
			(int)sizeof(path) ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (doc_load_file(g->dp.a, g->dp.d, arena_strdup(g->dp.a, path),
			DOC_FMT_JSON, NULL, &docs, &n) != 0) {
			closedir(dp);
			return -1;
		}
		if (n != 1 || doc_get(docs[0], "error") != NULL ||
		    (pol = gcp_camel(g->dp.a, docs[0], 0)) == NULL ||
		    (c = doc_str(doc_get(pol, "constraint"))) == NULL)
			continue;
		if (strncmp(c, "constraints/", 12) == 0)
			c += 12;
		if (src_set(g->dp.a, eff, c, pol) != 0) {
			closedir(dp);
			return diag_sys(g->dp.d, NULL, "out of memory");
		}
	}
	closedir(dp);
	return 0;
}

/* The organisation policies of the project, with the effective ones. */
static int
read_orgpol(struct gc *g, size_t ci, const struct dump_resp *r)
{
	const struct dump_call *c = &calls[ci];
	const struct doc_node *resp = r->data, *list = resp;
	struct doc_node *attrs, *at;
	const char *id, *err = NULL, *file = r->mark.file;

	if (resp->type == DOC_MAP && (list = doc_get(resp, "policies")) == NULL)
		list = src_seq(g->dp.a, &resp->mark);
	id = full_name(g, c, "");
	if (list == NULL || id == NULL ||
	    gcp_org_policies(g->dp.a, list, &resp->mark, &attrs, &err) != 0 ||
	    (at = src_str(g->dp.a, shapes[ci].asset_type, &resp->mark)) ==
		NULL ||
	    src_set(g->dp.a, attrs, "assetType", at) != 0)
		return dump_oom(&g->dp);
	if (r->more != NULL &&
	    (err = gcp_more_words(&g->dp, c, file, r->more)) == NULL)
		return dump_oom(&g->dp);
	if (read_effective(g, attrs, &resp->mark) != 0)
		return -1;
	return emit(g, c, id, attrs, NULL, err, &resp->mark);
}

/*
 * Whether an effective-firewalls response (networks
 * get-effective-firewalls) holds hierarchical policy rules allowing
 * ingress: they decide before the VPC rules, so a VPC deny the checks
 * count could be overridden.  Egress and deny rules change nothing for
 * the checks (a deny only narrows what they find open).
 */
static int
hier_allows(const struct doc_node *resp)
{
	const struct doc_node *ps = doc_get(resp, "firewallPolicys"), *rs;
	const char *act, *dir;
	size_t i, j;

	for (i = 0; ps != NULL && ps->type == DOC_SEQ && i < ps->u.seq.n; i++) {
		rs = doc_get(ps->u.seq.items[i], "rules");
		for (j = 0;
		     rs != NULL && rs->type == DOC_SEQ && j < rs->u.seq.n;
		     j++) {
			act = doc_str(doc_get(rs->u.seq.items[j], "action"));
			dir = doc_str(doc_get(rs->u.seq.items[j], "direction"));
			if (act != NULL && strcasecmp(act, "allow") == 0 &&
			    (dir == NULL || strcasecmp(dir, "INGRESS") == 0))
				return 1;
		}
	}
	return 0;
}

/*
 * `gcloud services list --enabled`: one resource per project whose
 * "services" are the names of the enabled services (config.name, or the
 * last segment of name).
 */
static int
read_services(struct gc *g, size_t ci, const struct doc_node *list,
    const char *file, const char *err)
{
	const struct doc_node *el;
	struct doc_node *attrs, *seq, *v;
	const char *n, *st, *sl, *id;
	size_t i;

	id = full_name(g, &calls[ci], "");
	if (id == NULL || (attrs = src_map(g->dp.a, &list->mark)) == NULL ||
	    (seq = src_seq(g->dp.a, &list->mark)) == NULL ||
	    src_set(g->dp.a, attrs, "services", seq) != 0)
		return dump_oom(&g->dp);
	for (i = 0; list->type == DOC_SEQ && i < list->u.seq.n; i++) {
		el = list->u.seq.items[i];
		st = doc_str(doc_get(el, "state"));
		if ((n = doc_str(doc_get(doc_get(el, "config"), "name"))) ==
			NULL &&
		    (n = doc_str(doc_get(el, "name"))) != NULL &&
		    (sl = strrchr(n, '/')) != NULL)
			n = sl + 1;
		if (n == NULL) {
			err = arena_printf(g->dp.a,
			    "service %zu of '%s' has no name", i, file);
			continue;
		}
		if (st != NULL && strcmp(st, "ENABLED") != 0)
			continue;
		if ((v = src_str(g->dp.a, n, &el->mark)) == NULL ||
		    doc_seq_push(g->dp.a, seq, v) != 0)
			return dump_oom(&g->dp);
	}
	return emit(g, &calls[ci], id, attrs, NULL, err, &list->mark);
}

/*
 * Read the output of call ci (name: the per-resource file of the
 * resource of, NULL the scope-wide file) through the core.  Returns 0
 * (errors of the evidence go to g->failed[ci] or the resource), -1 on a
 * failure of the run (memory, an unparsable file is an input error).
 */
static int
read_file(struct gc *g, size_t ci, const char *name, const char *of)
{
	const struct dump_call *c = &calls[ci];
	const struct doc_node *list;
	const char *why = NULL, *path, *more = NULL;
	struct dump_resp r;

	if (dump_get(&g->dp, &g->s, c, name, 0, &r) != 0)
		return -1;
	if (r.kind == DUMP_MISSING)
		return 0;
	path = r.mark.file;
	g->seen[ci] = 1;
	if (shapes[ci].shape == SH_INFO) {
		if (r.kind == DUMP_OK && g->dp.account == NULL)
			g->dp.account = doc_str(doc_get(r.data, "projectId"));
		return 0;
	}
	if (shapes[ci].shape == SH_POLICY)
		return read_policy(g, ci, r.kind == DUMP_OK ? r.data : NULL,
		    path, of, r.kind == DUMP_OK ? NULL : r.msg);
	if (r.kind != DUMP_OK) {
		/* DUMP_NOTCONF: the API is disabled, none exists. */
		if (r.kind == DUMP_ERROR && g->failed[ci] == NULL)
			g->failed[ci] = r.msg;
		return 0;
	}
	if (shapes[ci].shape == SH_ORGPOL)
		return read_orgpol(g, ci, &r);
	if ((list = resp_list(g, c, r.data, &why)) == NULL) {
		if (why == NULL)
			return dump_oom(&g->dp);
		g->failed[ci] = arena_printf(g->dp.a, "%s (%s)", why, path);
		return 0;
	}
	if (r.more != NULL &&
	    (more = gcp_more_words(&g->dp, c, path, r.more)) == NULL)
		return dump_oom(&g->dp);
	if (shapes[ci].shape == SH_SERVICES)
		return read_services(g, ci, list, path, more);
	if (more != NULL && g->failed[ci] == NULL)
		g->failed[ci] = more;
	if (hier_allows(r.data) && g->failed[ci] == NULL)
		g->failed[ci] = arena_printf(g->dp.a,
		    "'%s' holds hierarchical firewall policy rules that allow "
		    "ingress; they are evaluated before the VPC rules and "
		    "rampart does not read them",
		    path);
	return read_list(g, ci, list, path);
}

/*
 * A per-resource file of call ci that no element of its parent listing
 * (row p) names says the listing missed a resource: the listing's type
 * and call ci's are errors.
 */
static int
unlisted(struct gc *g, size_t ci, size_t p)
{
	const struct dump_call *c = &calls[ci];
	const struct doc_node *names = g->names[p];
	char dir[PATH_MAX];
	const char *key, *fn;
	struct dirent *de;
	size_t i, n;
	int hit;
	DIR *dp;

	if (snprintf(dir, sizeof(dir), "%s/%s/%s", g->s.dir, c->svc, c->call) >=
		(int)sizeof(dir) ||
	    (dp = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL && g->failed[p] == NULL) {
		if (de->d_name[0] == '.')
			continue;
		n = strlen(de->d_name);
		hit = 0;
		for (i = 0; !hit && ends_with(de->d_name, ".json") &&
		     i < names->u.seq.n;
		     i++)
			hit = (key = doc_str(doc_get(
				   names->u.seq.items[i], c->pkey))) != NULL &&
			    (fn = file_name(g->dp.a, key)) != NULL &&
			    strlen(fn) == n - 5 &&
			    strncmp(fn, de->d_name, n - 5) == 0;
		if (!hit) {
			/* both listings: the parent's and the one it names */
			g->failed[p] = arena_printf(g->dp.a,
			    "'%s/%s' is the output of a resource the listing "
			    "does not name",
			    dir, de->d_name);
			if (g->failed[ci] == NULL)
				g->failed[ci] = g->failed[p];
		}
	}
	closedir(dp);
	return 0;
}

/* The per-resource files of call ci, one per element of its listing. */
static int
read_per(struct gc *g, size_t ci)
{
	const struct dump_call *c = &calls[ci];
	size_t p = parent_row(c), i;
	const struct doc_node *names;
	char path[PATH_MAX];
	const char *key, *fn, *miss;
	struct stat st;

	if (p == NCALLS)
		return 0; /* a folder another row reads */
	names = g->names[p];
	if (!g->seen[p] || g->failed[p] != NULL) {
		if (g->seen[p])
			g->failed[ci] = arena_printf(g->dp.a,
			    "the listing it depends on is incomplete: %s",
			    g->failed[p]);
		return 0;
	}
	g->seen[ci] = 1;
	for (i = 0; i < names->u.seq.n; i++) {
		key = doc_str(doc_get(names->u.seq.items[i], c->pkey));
		if (key == NULL || (fn = file_name(g->dp.a, key)) == NULL)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/%s/%s.json", g->s.dir,
			c->svc, c->call, fn) >= (int)sizeof(path))
			return diag_err(g->dp.d, NULL, "path too long");
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (read_file(g, ci, key, key) != 0)
				return -1;
			continue;
		}
		if ((miss = arena_printf(g->dp.a,
			 "'%s' is missing or not a regular file", path)) ==
		    NULL)
			return dump_oom(&g->dp);
		if (shapes[ci].shape == SH_POLICY) {
			if (read_policy(g, ci, NULL,
				arena_strdup(g->dp.a, path), key, miss))
				return -1;
		} else if (g->failed[ci] == NULL)
			g->failed[ci] = miss;
	}
	return unlisted(g, ci, p);
}

/*
 * The core's layout check (dump_check_service_dir) emits an error
 * marker per type it finds unreadable; a scope here has one marker per
 * type, at its end (scope_markers), so while the check runs its
 * markers are taken as the first error of their type's first row.
 */
static int
take_marker(void *ctx, const struct resource *r, struct arena *a)
{
	struct gc *g = ctx;
	size_t i;

	(void)a;
	for (i = 0; i < NCALLS; i++)
		if (calls[i].type != NULL &&
		    strcmp(calls[i].type, r->type) == 0) {
			if (g->failed[i] == NULL)
				g->failed[i] = r->read_error;
			break;
		}
	return 0;
}

/*
 * The service folders of scope dir: one whose name is a call's service
 * in another case makes the service's listings errors, and so does,
 * within a service folder, an output whose name is a call's in another
 * case or without ".json" (the core's check); anything else unknown is
 * a warning.
 */
static int
check_layout(struct gc *g)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	resource_fn fn = g->dp.fn;
	void *ctx = g->dp.ctx;
	DIR *dp;
	size_t i;
	int known, rc = 0;

	if ((dp = opendir(g->s.dir)) == NULL)
		return 0;
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' ||
		    strcmp(de->d_name, GCP_COLLECTION_FILE) == 0 ||
		    ends_with(de->d_name, ".md") ||
		    snprintf(path, sizeof(path), "%s/%s", g->s.dir,
			de->d_name) >= (int)sizeof(path))
			continue;
		for (known = 0, i = 0; i < NCALLS; i++)
			if (strcmp(calls[i].svc, de->d_name) == 0)
				known = 1;
		if (known) {
			g->dp.fn = take_marker;
			g->dp.ctx = g;
			rc = dump_check_service_dir(
			    &g->dp, &g->s, de->d_name, path);
			g->dp.fn = fn;
			g->dp.ctx = ctx;
			continue;
		}
		for (i = 0; i < NCALLS; i++)
			if (strcasecmp(calls[i].svc, de->d_name) == 0 &&
			    g->failed[i] == NULL)
				g->failed[i] = arena_printf(g->dp.a,
				    "'%s' is not read: service folder name in "
				    "unexpected case",
				    path);
		if (g->dp.account != NULL || stat(path, &st) != 0 ||
		    !S_ISDIR(st.st_mode))
			diag_warn(g->dp.d, NULL,
			    "'%s' is not read: not a gcloud output folder "
			    "(<service>/<command>.json)",
			    path);
	}
	closedir(dp);
	return rc;
}

/*
 * A listing marker per type the scope's outputs list: clean when every
 * call listing the type was read whole, else the first call's error.
 */
static int
scope_markers(struct gc *g)
{
	const char *err;
	size_t i, j;
	int seen, done;

	for (i = 0; i < NCALLS; i++) {
		if (calls[i].type == NULL)
			continue;
		for (done = 0, j = 0; j < i; j++)
			if (calls[j].type != NULL &&
			    strcmp(calls[j].type, calls[i].type) == 0)
				done = 1;
		if (done)
			continue;
		seen = 0;
		err = NULL;
		for (j = i; j < NCALLS; j++) {
			if (calls[j].type == NULL ||
			    strcmp(calls[j].type, calls[i].type) != 0)
				continue;
			seen |= g->seen[j];
			if (err == NULL)
				err = g->failed[j];
		}
		if ((seen || err != NULL) &&
		    marker(g, calls[i].type, g->s.dir, err) != 0)
			return -1;
	}
	return 0;
}

/* One project's folder. */
static int
read_scope(struct gc *g, const char *dir, const char *project)
{
	char path[PATH_MAX];
	struct stat st;
	size_t i;

	g->s.dir = dir;
	g->dp.account = project;
	memset(g->failed, 0, sizeof(g->failed));
	memset(g->seen, 0, sizeof(g->seen));
	for (i = 0; i < NCALLS; i++)
		if ((g->names[i] = src_seq(g->dp.a, NULL)) == NULL)
			return dump_oom(&g->dp);
	/* projects describe first: it names the project */
	for (i = 0; i < NCALLS; i++)
		if (shapes[i].shape == SH_INFO && read_file(g, i, NULL, NULL))
			return -1;
	if (check_layout(g) != 0)
		return -1;
	for (i = 0; i < NCALLS; i++) {
		if (shapes[i].shape == SH_INFO || calls[i].per != DUMP_ONCE)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/%s.json", dir,
			calls[i].svc, calls[i].call) >= (int)sizeof(path))
			return diag_err(g->dp.d, NULL, "path too long");
		if (stat(path, &st) != 0)
			continue;
		if (!S_ISREG(st.st_mode)) {
			g->failed[i] = arena_printf(
			    g->dp.a, "'%s' is not a regular file", path);
			g->seen[i] = 1;
			continue;
		}
		if (read_file(g, i, NULL, NULL) != 0)
			return -1;
	}
	for (i = 0; i < NCALLS; i++)
		if (calls[i].per != DUMP_ONCE && read_per(g, i) != 0)
			return -1;
	return scope_markers(g);
}

/*
 * Whether dir holds a service folder of a call (case as written): 1, or
 * 2 when it holds one of the calls' outputs as well (`iam/` alone may
 * be an AWS CLI export).
 */
static int
has_service(struct dir_index *ix, const char *dir)
{
	char path[PATH_MAX];
	struct stat st;
	size_t i;
	int found = 0;

	for (i = 0; i < NCALLS; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, calls[i].svc) >=
			(int)sizeof(path) ||
		    dir_index_stat(ix, path, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		found = 1;
		if (snprintf(path, sizeof(path), "%s/%s/%s%s", dir,
			calls[i].svc, calls[i].call,
			calls[i].per != DUMP_ONCE ? "" : ".json") <
			(int)sizeof(path) &&
		    dir_index_stat(ix, path, &st) == 0)
			return 2;
	}
	return found;
}

/*
 * The project folders of root, sorted, in arena a (d may be NULL), from
 * the listings in ix.
 */
static int
project_dirs(struct dir_index *ix, const char *root, struct arena *a,
    struct diag *d, char ***out, size_t *n)
{
	char path[PATH_MAX], **v = NULL, **nv;
	const char *const *names;
	size_t cap = 0, nn, i;

	*n = 0;
	if (dir_index_names(ix, root, &names, &nn) != 0)
		return 0;
	for (i = 0; i < nn; i++) {
		if (names[i][0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", root, names[i]) >=
			(int)sizeof(path) ||
		    has_service(ix, path) != 2)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = arena_realloc(a, v, *n * sizeof(*v),
				 cap * sizeof(*v))) == NULL)
				return diag_sys(d, NULL, "out of memory");
			v = nv;
		}
		if ((v[(*n)++] = arena_strdup(a, names[i])) == NULL)
			return diag_sys(d, NULL, "out of memory");
	}
	if (*n > 0)
		qsort(v, *n, sizeof(*v), dump_cmp_str);
	*out = v;
	return 0;
}

static int
gcloud_detect(const char *path, int is_dir, const char *head, size_t len)
{
	char **dirs;
	struct arena *a = NULL;
	struct dir_index *ix;
	size_t n = 0;
	int score = 0;

	(void)head;
	(void)len;
	if (!is_dir || (ix = dir_index_new()) == NULL)
		return 0;
	/* above aws-cli (50) when a gcloud output is there */
	if ((score = has_service(ix, path)) != 0)
		score = score == 2 ? 60 : 45;
	else if ((a = arena_new()) != NULL &&
	    project_dirs(ix, path, a, NULL, &dirs, &n) == 0 && n > 0)
		score = 60;
	arena_free(a);
	dir_index_free(ix);
	return score;
}

static int
gcloud_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	char sub[PATH_MAX], **dirs = NULL;
	struct mark m = { path, 0, 0 };
	struct gc g;
	size_t n = 0, i;
	int rc = -1;

	(void)lim; /* every file is read whole, under the default limits */
	for (i = 0; i < NCALLS; i++)
		if (strcmp(shapes[i].call, calls[i].call) != 0)
			return diag_err(d, &m,
			    "internal error: shapes[%zu] is not of '%s'", i,
			    calls[i].call);
	memset(&g, 0, sizeof(g));
	if (dump_init(&g.dp, &gcp_layout, d, path, NULL, fn, ctx) != 0)
		return -1;
	if (dump_read_collection(&g.dp) != 0)
		goto out;
	if (has_service(g.dp.ix, path)) {
		rc = read_scope(&g, path, NULL);
		goto out;
	}
	if (project_dirs(g.dp.ix, path, g.dp.a, d, &dirs, &n) != 0)
		goto out;
	if (n == 0) {
		diag_err(d, &m,
		    "'%s' holds no gcloud outputs (<service>/<command>.json, "
		    "or one such folder per project)",
		    path);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (snprintf(sub, sizeof(sub), "%s/%s", path, dirs[i]) >=
		    (int)sizeof(sub)) {
			diag_err(d, &m, "path too long under '%s'", path);
			goto out;
		}
		if (read_scope(&g, arena_strdup(g.dp.a, sub), dirs[i]) != 0)
			goto out;
	}
	rc = 0;
out:
	if (nresources != NULL)
		*nresources = g.emitted;
	dump_fini(&g.dp);
	return rc;
}

const struct adapter adapter_gcp_gcloud = {
	.name = "gcp-gcloud",
	.summary = "a directory of gcloud --format=json outputs "
		   "(scripts/collect-gcp.sh), one folder per project or one "
		   "project",
	.detect = gcloud_detect,
	.read = gcloud_read,
	.max_dir_score = 60,
};
