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
 * The calls are the table calls[] below: per call, the resource type its
 * output lists, the envelope members holding the list, how a resource's
 * full asset name is built, the listing that names per-resource files,
 * and which error means "nothing is configured" (the service's API is
 * disabled, so none of its resources exists).  Every listing read whole
 * gives a clean listing marker; a page token left, a denied, throttled
 * or failed call, a file in the wrong case or shape, a per-resource file
 * missing gives an error marker (docs/gcp.md).
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

#define GCP_COLLECTION_FILE "rampart-collection.json"

enum shape {
	SH_LIST, /* a list of resources */
	SH_POLICY, /* one IAM policy */
	SH_ORGPOL, /* a list of organisation policies */
	SH_INFO, /* not evidence: read for the project id */
	SH_SERVICES, /* the enabled services: one resource per project */
};

/*
 * One call.  id: the resource's full asset name is idprefix (where "%p"
 * is the project) followed by the element's idfield; idfield "selfLink"
 * takes the compute URL's path after the API version.  per: the index of
 * the listing (in this table) whose elements name the per-resource
 * files, by their field key ('/' in it becomes '_').
 */
/* gcall.per: a folder of outputs that another row's reader reads. */
#define PER_FOLDER -2

static const struct gcall {
	const char *svc, *cmd, *type;
	enum shape shape;
	const char *members; /* envelope keys of the list, ',' separated */
	const char *idfield, *idprefix;
	const char *asset_type; /* SH_POLICY: whose policy */
	int per; /* -1 none, else the listing's row */
	const char *key;
	int disabled_empty; /* API disabled: an empty listing */
} calls[] = {
	/* 0 */ { "compute", "firewall-rules-list", "GCP::Compute::Firewall",
	    SH_LIST, "items,firewalls", "selfLink", "//compute.googleapis.com/",
	    NULL, -1, NULL, 1 },
	/* 1 */
	{ "compute", "networks-subnets-list", "GCP::Compute::Subnetwork",
	    SH_LIST, "items", "selfLink", "//compute.googleapis.com/", NULL, -1,
	    NULL, 1 },
	/* 2 */
	{ "compute", "ssl-policies-list", "GCP::Compute::SslPolicy", SH_LIST,
	    "items", "selfLink", "//compute.googleapis.com/", NULL, -1, NULL,
	    1 },
	/* 3 */
	{ "compute", "target-https-proxies-list",
	    "GCP::Compute::TargetHttpsProxy", SH_LIST, "items", "selfLink",
	    "//compute.googleapis.com/", NULL, -1, NULL, 1 },
	/* 4 */
	{ "iam", "service-accounts-keys-list", "GCP::IAM::ServiceAccountKey",
	    SH_LIST, "keys", "name", "//iam.googleapis.com/", NULL, 5, "email",
	    0 },
	/* 5 */
	{ "iam", "service-accounts-list", "GCP::IAM::ServiceAccount", SH_LIST,
	    "accounts", "name", "//iam.googleapis.com/", NULL, -1, NULL, 1 },
	/* 6 */
	{ "kms", "keyrings-list", NULL, SH_LIST, "keyRings", "name",
	    "//cloudkms.googleapis.com/", NULL, -1, NULL, 1 },
	/* 7 */
	{ "kms", "keys-list", "GCP::KMS::CryptoKey", SH_LIST, "cryptoKeys",
	    "name", "//cloudkms.googleapis.com/", NULL, 6, "name", 0 },
	/* 8 */
	{ "logging", "buckets-list", "GCP::Logging::LogBucket", SH_LIST,
	    "buckets", "name", "//logging.googleapis.com/", NULL, -1, NULL, 1 },
	/* 9 */
	{ "logging", "sinks-list", "GCP::Logging::Sink", SH_LIST, "sinks",
	    "name", "//logging.googleapis.com/projects/%p/sinks/", NULL, -1,
	    NULL, 1 },
	/* 10 */
	{ "projects", "describe", NULL, SH_INFO, NULL, NULL, NULL, NULL, -1,
	    NULL, 0 },
	/* 11 */
	{ "projects", "get-iam-policy", "GCP::IAM::Policy", SH_POLICY, NULL,
	    NULL, "//cloudresourcemanager.googleapis.com/projects/%p",
	    "cloudresourcemanager.googleapis.com/Project", -1, NULL, 0 },
	/* 12 */
	{ "resource-manager", "org-policies-list", "GCP::OrgPolicy::Policy",
	    SH_ORGPOL, "policies", NULL,
	    "//cloudresourcemanager.googleapis.com/projects/%p",
	    "cloudresourcemanager.googleapis.com/Project", -1, NULL, 0 },
	/* 13 */
	{ "sql", "instances-list", "GCP::SQL::Instance", SH_LIST, "items",
	    "name", "//cloudsql.googleapis.com/projects/%p/instances/", NULL,
	    -1, NULL, 1 },
	/* 14 */
	{ "storage", "buckets-get-iam-policy", "GCP::IAM::Policy", SH_POLICY,
	    NULL, NULL, "//storage.googleapis.com/",
	    "storage.googleapis.com/Bucket", 15, "name", 0 },
	/* 15 */
	{ "storage", "buckets-list", "GCP::Storage::Bucket", SH_LIST, "items",
	    "name", "//storage.googleapis.com/", NULL, -1, NULL, 1 },
	/* 16 */
	{ "services", "list", "GCP::ServiceUsage::EnabledServices", SH_SERVICES,
	    "services", NULL, "//serviceusage.googleapis.com/projects/%p", NULL,
	    -1, NULL, 0 },
	/* 17 */
	{ "container", "clusters-list", "GCP::Container::Cluster", SH_LIST,
	    "clusters", "selfLink", "//container.googleapis.com/", NULL, -1,
	    NULL, 1 },
	/* 18: a folder of `describe --effective` outputs, read by row 12 */
	{ "resource-manager", "org-policies-describe-effective", NULL, SH_INFO,
	    NULL, NULL, NULL, NULL, PER_FOLDER, NULL, 0 },
};

#define NCALLS (sizeof(calls) / sizeof(calls[0]))
#define EFFECTIVE_DIR "resource-manager/org-policies-describe-effective"

/*
 * The error statuses a call may record, and what each means.  Any other
 * status is an error of unknown cause, also never a pass.
 */
static const struct {
	const char *status, *meaning;
} errors[] = {
	{ "PERMISSION_DENIED", "denied" },
	{ "UNAUTHENTICATED", "denied (no valid credentials)" },
	{ "RESOURCE_EXHAUSTED", "throttled (quota exhausted)" },
	{ "SERVICE_DISABLED", "the service's API is disabled" },
	{ "NOT_FOUND", "not found" },
};

struct gc {
	struct diag *d;
	struct arena *a; /* the whole read */
	const char *root;
	resource_fn fn;
	void *ctx;
	size_t emitted;
	int64_t collected;
	/* per scope */
	const char *dir, *project;
	/* per scope: the names each listing gave (for per-resource files) */
	struct doc_node *names[NCALLS];
	const char *failed[NCALLS]; /* why the listing is not complete */
	int seen[NCALLS];
};

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n >= k && strcmp(s + n - k, suf) == 0;
}

static int
emit(struct gc *g, struct resource *r)
{
	struct arena *a;
	int rc;

	r->source = r->source != NULL ? r->source : g->root;
	r->collected = g->collected;
	r->provider = "gcp";
	if (!r->listing)
		g->emitted++;
	if ((a = arena_new()) == NULL)
		return diag_sys(g->d, NULL, "out of memory");
	rc = g->fn(g->ctx, r, a);
	arena_free(a);
	return rc;
}

static int
marker(struct gc *g, const char *type, const char *file, const char *err)
{
	struct resource r;

	if (type == NULL)
		return 0;
	memset(&r, 0, sizeof(r));
	r.type = type;
	r.listing = 1;
	r.account = g->project;
	r.source = file;
	r.mark.file = file;
	r.read_error = err;
	return emit(g, &r);
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
full_name(struct gc *g, const struct gcall *c, const char *rest)
{
	const char *p = strstr(c->idprefix, "%p");
	const char *proj = g->project != NULL ? g->project : "-";

	if (p == NULL)
		return arena_printf(g->a, "%s%s", c->idprefix, rest);
	return arena_printf(g->a, "%.*s%s%s%s", (int)(p - c->idprefix),
	    c->idprefix, proj, p + 2, rest);
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
 * The error a response records, as "STATUS: message (file)", with
 * *empty set when it means the API is disabled (nothing configured);
 * NULL when the response is no error.
 */
static const char *
resp_error(
    struct gc *g, const struct doc_node *resp, const char *file, int *empty)
{
	const struct doc_node *e = doc_get(resp, "error"), *det;
	const char *status, *msg, *reason, *meaning = "failed";
	size_t i;

	*empty = 0;
	if (e == NULL || e->type != DOC_MAP)
		return NULL;
	status = doc_str(doc_get(e, "status"));
	msg = doc_str(doc_get(e, "message"));
	det = doc_get(e, "details");
	for (i = 0; det != NULL && det->type == DOC_SEQ && i < det->u.seq.n;
	     i++) {
		reason = doc_str(doc_get(det->u.seq.items[i], "reason"));
		if (reason != NULL && strcmp(reason, "SERVICE_DISABLED") == 0)
			status = reason;
	}
	if (status == NULL)
		status = "UNKNOWN";
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (strcmp(status, errors[i].status) == 0)
			meaning = errors[i].meaning;
	*empty = strcmp(status, "SERVICE_DISABLED") == 0;
	(void)g;
	return arena_printf(g->a, "the call was %s: %s: %s (%s)", meaning,
	    status, msg != NULL ? msg : "", file);
}

/*
 * The list a response holds: the response itself (gcloud prints an
 * array), one of the envelope members, or the lists of an aggregated
 * response ({"items": {"regions/x": {"<kind>": [...]}}}) gathered into
 * one.  NULL with *why when there is none.
 */
static const struct doc_node *
resp_list(struct gc *g, const struct gcall *c, const struct doc_node *resp,
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
	for (m = c->members; m != NULL && *m != '\0'; m = *e ? e + 1 : e) {
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
		if ((all = src_seq(g->a, &v->mark)) == NULL)
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
						if (doc_seq_push(g->a, all,
							l->u.seq.items[k]))
							return NULL;
				}
		}
		return all;
	}
	/* an empty list: the API leaves the member out */
	if (resp->type == DOC_MAP && c->members != NULL &&
	    (resp->u.map.n == 0 ||
		(doc_get(resp, "kind") != NULL &&
		    doc_get(resp, "items") == NULL &&
		    strstr(c->members, "items") != NULL) ||
		(resp->u.map.n == 1 && doc_get(resp, "nextPageToken"))))
		return src_seq(g->a, &resp->mark);
	*why = "the output holds no list of the call's resources";
	return NULL;
}

/* The id of list element el of call c, or NULL. */
static const char *
elem_id(struct gc *g, const struct gcall *c, const struct doc_node *el)
{
	const char *v = doc_str(doc_get(el, c->idfield)), *p;

	if (v == NULL)
		return NULL;
	if (strcmp(c->idfield, "selfLink") == 0) {
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

	if ((m = src_map_clone(g->a, el)) == NULL ||
	    (seq = src_seq(g->a, &el->mark)) == NULL ||
	    src_set(g->a, m, SRC_GCP_NETWORK_RULES, seq) != 0)
		return NULL;
	for (i = 0; i < list->u.seq.n; i++) {
		o = doc_str(doc_get(list->u.seq.items[i], "network"));
		if ((net == NULL) != (o == NULL) ||
		    (net != NULL && strcmp(net, o) != 0))
			continue;
		if (doc_seq_push(g->a, seq, list->u.seq.items[i]) != 0)
			return NULL;
	}
	return m;
}

/* The elements of a list call's response, emitted. */
static int
read_list(struct gc *g, int ci, const struct doc_node *list, const char *file)
{
	const struct gcall *c = &calls[ci];
	const struct doc_node *el, *k;
	struct resource r;
	size_t i;

	for (i = 0; i < list->u.seq.n; i++) {
		el = list->u.seq.items[i];
		memset(&r, 0, sizeof(r));
		r.type = c->type;
		r.mark = el->mark;
		r.source = file;
		if (g->project == NULL && el->type == DOC_MAP)
			g->project = doc_str(doc_get(el, "project")) != NULL
			    ? doc_str(doc_get(el, "project"))
			    : gcp_project_of(g->a,
				  doc_str(doc_get(el, c->idfield)) != NULL
				      ? doc_str(doc_get(el, c->idfield))
				      : "",
				  NULL);
		r.account = g->project;
		if (el->type != DOC_MAP || (r.id = elem_id(g, c, el)) == NULL) {
			g->failed[ci] = arena_printf(g->a,
			    "element %zu of '%s' has no '%s'", i, file,
			    c->idfield);
			continue;
		}
		if ((k = doc_get(el, "name")) != NULL ||
		    (k = doc_get(el, "email")) != NULL)
			if (doc_seq_push(
				g->a, g->names[ci], (struct doc_node *)el) != 0)
				return diag_sys(g->d, NULL, "out of memory");
		r.region = gcp_region_of(g->a, el, NULL);
		r.attrs = (struct doc_node *)el;
		if (c->type != NULL &&
		    strcmp(c->type, "GCP::Compute::Firewall") == 0) {
			r.region = "global";
			if ((r.attrs = with_network(g, list, el)) == NULL)
				return diag_sys(g->d, NULL, "out of memory");
		}
		if (c->type != NULL && emit(g, &r) != 0)
			return -1;
	}
	return 0;
}

/* One IAM policy (projects get-iam-policy, buckets get-iam-policy). */
static int
read_policy(struct gc *g, int ci, const struct doc_node *resp, const char *file,
    const char *of, const char *err)
{
	const struct gcall *c = &calls[ci];
	struct resource r;
	struct doc_node *at;
	struct mark m = { file, 0, 0 };

	memset(&r, 0, sizeof(r));
	r.type = c->type;
	r.id = full_name(g, c, of != NULL ? of : "");
	r.account = g->project;
	r.source = file;
	r.mark = resp != NULL ? resp->mark : m;
	r.read_error = err;
	if (resp != NULL && resp->type == DOC_MAP && err == NULL)
		r.attrs = gcp_camel(g->a, resp, 0);
	else
		r.attrs = src_map(g->a, &r.mark);
	if (r.id == NULL || r.attrs == NULL ||
	    (at = src_str(g->a, c->asset_type, &r.mark)) == NULL ||
	    src_set(g->a, r.attrs, "assetType", at) != 0)
		return diag_sys(g->d, NULL, "out of memory");
	if (err == NULL && resp != NULL && resp->type != DOC_MAP)
		r.read_error = arena_printf(
		    g->a, "'%s' does not hold an IAM policy object", file);
	return emit(g, &r);
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

	if ((eff = src_map(g->a, m)) == NULL ||
	    src_set(g->a, attrs, "effective", eff) != 0)
		return diag_sys(g->d, NULL, "out of memory");
	if (snprintf(dir, sizeof(dir), "%s/%s", g->dir, EFFECTIVE_DIR) >=
		(int)sizeof(dir) ||
	    (dp = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".json") ||
		    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
			(int)sizeof(path) ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (doc_load_file(g->a, g->d, arena_strdup(g->a, path),
			DOC_FMT_JSON, NULL, &docs, &n) != 0) {
			closedir(dp);
			return -1;
		}
		if (n != 1 || doc_get(docs[0], "error") != NULL ||
		    (pol = gcp_camel(g->a, docs[0], 0)) == NULL ||
		    (c = doc_str(doc_get(pol, "constraint"))) == NULL)
			continue;
		if (strncmp(c, "constraints/", 12) == 0)
			c += 12;
		if (src_set(g->a, eff, c, pol) != 0) {
			closedir(dp);
			return diag_sys(g->d, NULL, "out of memory");
		}
	}
	closedir(dp);
	return 0;
}

static int
read_orgpol(struct gc *g, int ci, const struct doc_node *resp, const char *file)
{
	const struct gcall *c = &calls[ci];
	const struct doc_node *list = resp;
	struct resource r;
	struct doc_node *at;

	if (resp->type == DOC_MAP && (list = doc_get(resp, "policies")) == NULL)
		list = src_seq(g->a, &resp->mark);
	memset(&r, 0, sizeof(r));
	r.type = c->type;
	r.id = full_name(g, c, "");
	r.account = g->project;
	r.source = file;
	r.mark = resp->mark;
	if (list == NULL || r.id == NULL ||
	    gcp_org_policies(
		g->a, list, &resp->mark, &r.attrs, &r.read_error) != 0 ||
	    (at = src_str(g->a, c->asset_type, &r.mark)) == NULL ||
	    src_set(g->a, r.attrs, "assetType", at) != 0)
		return diag_sys(g->d, NULL, "out of memory");
	if (gcp_more_pages(resp))
		r.read_error = arena_printf(
		    g->a, "'%s' says more pages follow (nextPageToken)", file);
	if (read_effective(g, r.attrs, &r.mark) != 0)
		return -1;
	return emit(g, &r);
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
read_services(struct gc *g, int ci, const struct doc_node *list,
    const char *file, const char *err)
{
	const struct doc_node *el;
	struct doc_node *seq, *v;
	struct resource r;
	const char *n, *st, *sl;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.type = calls[ci].type;
	r.id = full_name(g, &calls[ci], "");
	r.account = g->project;
	r.source = file;
	r.mark = list->mark;
	r.read_error = err;
	if (r.id == NULL || (r.attrs = src_map(g->a, &r.mark)) == NULL ||
	    (seq = src_seq(g->a, &r.mark)) == NULL ||
	    src_set(g->a, r.attrs, "services", seq) != 0)
		return diag_sys(g->d, NULL, "out of memory");
	for (i = 0; list->type == DOC_SEQ && i < list->u.seq.n; i++) {
		el = list->u.seq.items[i];
		st = doc_str(doc_get(el, "state"));
		if ((n = doc_str(doc_get(doc_get(el, "config"), "name"))) ==
			NULL &&
		    (n = doc_str(doc_get(el, "name"))) != NULL &&
		    (sl = strrchr(n, '/')) != NULL)
			n = sl + 1;
		if (n == NULL) {
			r.read_error = arena_printf(
			    g->a, "service %zu of '%s' has no name", i, file);
			continue;
		}
		if (st != NULL && strcmp(st, "ENABLED") != 0)
			continue;
		if ((v = src_str(g->a, n, &el->mark)) == NULL ||
		    doc_seq_push(g->a, seq, v) != 0)
			return diag_sys(g->d, NULL, "out of memory");
	}
	return emit(g, &r);
}

/*
 * Read one output file of call ci (path).  Returns 0 (errors of the
 * evidence go to g->failed[ci] or the resource), -1 on a failure of the
 * run (memory, an unparsable file is an input error).
 */
static int
read_file(struct gc *g, int ci, const char *path, const char *of)
{
	const struct gcall *c = &calls[ci];
	const struct doc_node *list;
	struct doc_node *resp;
	const char *err, *why = NULL;
	int empty;

	if ((resp = doc_load_one(g->a, g->d, path, DOC_FMT_JSON, NULL)) == NULL)
		return -1;
	g->seen[ci] = 1;
	err = resp_error(g, resp, path, &empty);
	if (c->shape == SH_INFO) {
		if (err == NULL && g->project == NULL)
			g->project = doc_str(doc_get(resp, "projectId"));
		return 0;
	}
	if (c->shape == SH_POLICY)
		return read_policy(g, ci, err ? NULL : resp, path, of, err);
	if (err != NULL) {
		if (!(empty && c->disabled_empty) && g->failed[ci] == NULL)
			g->failed[ci] = err;
		return 0;
	}
	if (c->shape == SH_ORGPOL)
		return read_orgpol(g, ci, resp, path);
	if ((list = resp_list(g, c, resp, &why)) == NULL) {
		if (why == NULL)
			return diag_sys(g->d, NULL, "out of memory");
		g->failed[ci] = arena_printf(g->a, "%s (%s)", why, path);
		return 0;
	}
	if (c->shape == SH_SERVICES)
		return read_services(g, ci, list, path,
		    gcp_more_pages(resp)
			? arena_printf(g->a,
			      "'%s' says more pages follow (nextPageToken)",
			      path)
			: NULL);
	if (gcp_more_pages(resp) && g->failed[ci] == NULL)
		g->failed[ci] = arena_printf(
		    g->a, "'%s' says more pages follow (nextPageToken)", path);
	if (hier_allows(resp) && g->failed[ci] == NULL)
		g->failed[ci] = arena_printf(g->a,
		    "'%s' holds hierarchical firewall policy rules that allow "
		    "ingress; they are evaluated before the VPC rules and "
		    "rampart does not read them",
		    path);
	return read_list(g, ci, list, path);
}

/*
 * A per-resource file of call ci that no element of its listing names
 * says the listing missed a resource: the listing's type and call ci's
 * are errors.
 */
static int
unlisted(struct gc *g, int ci, const struct doc_node *names)
{
	const struct gcall *c = &calls[ci];
	char dir[PATH_MAX];
	const char *key, *fn;
	struct dirent *de;
	size_t i, n;
	int hit;
	DIR *dp;

	if (snprintf(dir, sizeof(dir), "%s/%s/%s", g->dir, c->svc, c->cmd) >=
		(int)sizeof(dir) ||
	    (dp = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL && g->failed[c->per] == NULL) {
		if (de->d_name[0] == '.')
			continue;
		n = strlen(de->d_name);
		hit = 0;
		for (i = 0; !hit && ends_with(de->d_name, ".json") &&
		     i < names->u.seq.n;
		     i++)
			hit = (key = doc_str(doc_get(
				   names->u.seq.items[i], c->key))) != NULL &&
			    (fn = file_name(g->a, key)) != NULL &&
			    strlen(fn) == n - 5 &&
			    strncmp(fn, de->d_name, n - 5) == 0;
		if (!hit) {
			/* both listings: the parent's and the one it names */
			g->failed[c->per] = arena_printf(g->a,
			    "'%s/%s' is the output of a resource the listing "
			    "does not name",
			    dir, de->d_name);
			if (g->failed[ci] == NULL)
				g->failed[ci] = g->failed[c->per];
		}
	}
	closedir(dp);
	return 0;
}

/* The per-resource files of call ci, one per element of its listing. */
static int
read_per(struct gc *g, int ci)
{
	const struct gcall *c = &calls[ci];
	const struct doc_node *names = g->names[c->per];
	char path[PATH_MAX];
	const char *key, *fn;
	struct stat st;
	size_t i;

	if (!g->seen[c->per] || g->failed[c->per] != NULL) {
		if (g->seen[c->per])
			g->failed[ci] = arena_printf(g->a,
			    "the listing it depends on is incomplete: %s",
			    g->failed[c->per]);
		return 0;
	}
	g->seen[ci] = 1;
	for (i = 0; i < names->u.seq.n; i++) {
		key = doc_str(doc_get(names->u.seq.items[i], c->key));
		if (key == NULL || (fn = file_name(g->a, key)) == NULL)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/%s/%s.json", g->dir,
			c->svc, c->cmd, fn) >= (int)sizeof(path))
			return diag_err(g->d, NULL, "path too long");
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			const char *miss = arena_printf(g->a,
			    "'%s' is missing or not a regular file", path);

			if (c->shape == SH_POLICY) {
				if (read_policy(g, ci, NULL, path, key, miss))
					return -1;
			} else if (g->failed[ci] == NULL)
				g->failed[ci] = miss;
			continue;
		}
		if (read_file(g, ci, arena_strdup(g->a, path), key) != 0)
			return -1;
	}
	return unlisted(g, ci, names);
}

/*
 * The service folders of scope dir: a file or folder whose name is one
 * of a call's in another case, or without ".json", makes the call's
 * listing an error; anything else unknown is a warning.
 */
static int
check_layout(struct gc *g)
{
	char path[PATH_MAX], sub[PATH_MAX];
	struct dirent *de, *fe;
	struct stat st;
	DIR *dp, *fp;
	size_t i, n;
	int known;

	if ((dp = opendir(g->dir)) == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' ||
		    strcmp(de->d_name, GCP_COLLECTION_FILE) == 0 ||
		    ends_with(de->d_name, ".md") ||
		    snprintf(path, sizeof(path), "%s/%s", g->dir, de->d_name) >=
			(int)sizeof(path))
			continue;
		known = 0;
		for (i = 0; i < NCALLS; i++)
			if (strcmp(calls[i].svc, de->d_name) == 0)
				known = 1;
		if (!known) {
			for (i = 0; i < NCALLS; i++)
				if (strcasecmp(calls[i].svc, de->d_name) == 0 &&
				    g->failed[i] == NULL)
					g->failed[i] = arena_printf(g->a,
					    "'%s' is not read: service folder "
					    "name in unexpected case",
					    path);
			if (g->project != NULL || stat(path, &st) != 0 ||
			    !S_ISDIR(st.st_mode))
				diag_warn(g->d, NULL,
				    "'%s' is not read: not a gcloud output "
				    "folder (<service>/<command>.json)",
				    path);
			continue;
		}
		if ((fp = opendir(path)) == NULL)
			continue;
		while ((fe = readdir(fp)) != NULL) {
			if (fe->d_name[0] == '.')
				continue;
			n = strlen(fe->d_name);
			if (ends_with(fe->d_name, ".json"))
				n -= 5;
			if (snprintf(sub, sizeof(sub), "%s/%s", path,
				fe->d_name) >= (int)sizeof(sub))
				continue;
			known = 0;
			for (i = 0; i < NCALLS; i++) {
				if (strcmp(calls[i].svc, de->d_name) != 0 ||
				    strlen(calls[i].cmd) != n ||
				    strncasecmp(calls[i].cmd, fe->d_name, n))
					continue;
				known = 1;
				if (strncmp(calls[i].cmd, fe->d_name, n) == 0 &&
				    (ends_with(fe->d_name, ".json") ||
					calls[i].per != -1))
					continue;
				if (g->failed[i] == NULL)
					g->failed[i] = arena_printf(g->a,
					    "'%s' is not read: output name in "
					    "unexpected case or without "
					    "'.json'",
					    sub);
			}
			if (!known)
				diag_warn(g->d, NULL,
				    "'%s' is not read: not an output of a "
				    "command rampart reads",
				    sub);
		}
		closedir(fp);
	}
	closedir(dp);
	return 0;
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
		    marker(g, calls[i].type, g->dir, err) != 0)
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

	g->dir = dir;
	g->project = project;
	memset(g->failed, 0, sizeof(g->failed));
	memset(g->seen, 0, sizeof(g->seen));
	for (i = 0; i < NCALLS; i++)
		if ((g->names[i] = src_seq(g->a, NULL)) == NULL)
			return diag_sys(g->d, NULL, "out of memory");
	/* projects describe first: it names the project */
	for (i = 0; i < NCALLS; i++) {
		if (calls[i].shape != SH_INFO)
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s.json", dir, calls[i].svc,
		    calls[i].cmd);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    read_file(g, (int)i, arena_strdup(g->a, path), NULL))
			return -1;
	}
	if (check_layout(g) != 0)
		return -1;
	for (i = 0; i < NCALLS; i++) {
		if (calls[i].shape == SH_INFO || calls[i].per >= 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/%s.json", dir,
			calls[i].svc, calls[i].cmd) >= (int)sizeof(path))
			return diag_err(g->d, NULL, "path too long");
		if (stat(path, &st) != 0)
			continue;
		if (!S_ISREG(st.st_mode)) {
			g->failed[i] = arena_printf(
			    g->a, "'%s' is not a regular file", path);
			g->seen[i] = 1;
			continue;
		}
		if (read_file(g, (int)i, arena_strdup(g->a, path), NULL))
			return -1;
	}
	for (i = 0; i < NCALLS; i++)
		if (calls[i].per >= 0 && read_per(g, (int)i) != 0)
			return -1;
	return scope_markers(g);
}

/*
 * Whether dir holds a service folder of a call (case as written): 1, or
 * 2 when it holds one of the calls' outputs as well (`iam/` alone may
 * be an AWS CLI export).
 */
static int
has_service(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;
	size_t i;
	int found = 0;

	for (i = 0; i < NCALLS; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, calls[i].svc) >=
			(int)sizeof(path) ||
		    stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		found = 1;
		if (snprintf(path, sizeof(path), "%s/%s/%s%s", dir,
			calls[i].svc, calls[i].cmd,
			calls[i].per >= 0 ? "" : ".json") < (int)sizeof(path) &&
		    stat(path, &st) == 0)
			return 2;
	}
	return found;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The project folders of a root holding one folder per project. */
static int
project_dirs(struct gc *g, char ***out, size_t *n)
{
	char path[PATH_MAX], **v = NULL, **nv;
	struct dirent *de;
	size_t cap = 0;
	DIR *dp;

	*n = 0;
	if ((dp = opendir(g->root)) == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", g->root,
			de->d_name) >= (int)sizeof(path) ||
		    has_service(path) != 2)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = arena_realloc(g->a, v, *n * sizeof(*v),
				 cap * sizeof(*v))) == NULL) {
				closedir(dp);
				return diag_sys(g->d, NULL, "out of memory");
			}
			v = nv;
		}
		if ((v[(*n)++] = arena_strdup(g->a, de->d_name)) == NULL) {
			closedir(dp);
			return diag_sys(g->d, NULL, "out of memory");
		}
	}
	closedir(dp);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), name_cmp);
	*out = v;
	return 0;
}

static int
gcloud_detect(const char *path, int is_dir, const char *head, size_t len)
{
	char sub[PATH_MAX], **dirs;
	struct gc g;
	size_t n = 0;
	int score = 0;

	(void)head;
	(void)len;
	if (!is_dir)
		return 0;
	/* above aws-cli (50) when a gcloud output is there */
	if ((score = has_service(path)) != 0)
		return score == 2 ? 60 : 45;
	memset(&g, 0, sizeof(g));
	g.root = path;
	if ((g.a = arena_new()) == NULL)
		return 0;
	g.d = NULL;
	if (project_dirs(&g, &dirs, &n) == 0 && n > 0 &&
	    snprintf(sub, sizeof(sub), "%s/%s", path, dirs[0]) <
		(int)sizeof(sub))
		score = 60;
	arena_free(g.a);
	return score;
}

/* rampart-collection.json's "started" (scripts/collect-gcp.sh). */
static int
read_collection(struct gc *g)
{
	char path[PATH_MAX];
	const struct doc_node *doc, *v;
	struct time_error te;
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s", g->root,
		GCP_COLLECTION_FILE) >= (int)sizeof(path) ||
	    stat(path, &st) != 0)
		return 0;
	if ((doc = doc_load_one(g->a, g->d, arena_strdup(g->a, path),
		 DOC_FMT_JSON, NULL)) == NULL)
		return -1;
	v = doc_get(doc, "started");
	if (v == NULL || v->type != DOC_STRING)
		return diag_err(g->d, &doc->mark,
		    "'started' must be the RFC 3339 time the collection "
		    "began");
	if (time_parse(v->str, v->len, TIME_DATETIME, &g->collected, &te) == -1)
		return diag_err(
		    g->d, &v->mark, "'started' ('%s'): %s", v->str, te.why);
	return 0;
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

	(void)lim;
	memset(&g, 0, sizeof(g));
	g.d = d;
	g.root = path;
	g.fn = fn;
	g.ctx = ctx;
	if ((g.a = arena_new()) == NULL)
		return diag_sys(d, &m, "out of memory");
	if (read_collection(&g) != 0)
		goto out;
	if (has_service(path)) {
		rc = read_scope(&g, path, NULL);
		goto out;
	}
	if (project_dirs(&g, &dirs, &n) != 0)
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
		if (read_scope(&g, arena_strdup(g.a, sub), dirs[i]) != 0)
			goto out;
	}
	rc = 0;
out:
	if (nresources != NULL)
		*nresources = g.emitted;
	arena_free(g.a);
	return rc;
}

const struct adapter adapter_gcp_gcloud = {
	.name = "gcp-gcloud",
	.summary = "a directory of gcloud --format=json outputs "
		   "(scripts/collect-gcp.sh), one folder per project or one "
		   "project",
	.detect = gcloud_detect,
	.read = gcloud_read,
};
