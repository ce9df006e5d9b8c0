/*
 * gcp_asset.c: the "gcp-asset" adapter.  Cloud Asset Inventory exports:
 *
 *  - `gcloud asset export --content-type=resource|iam-policy|org-policy`
 *    output: newline-delimited JSON, one asset a line, keys in camelCase
 *    (`assetType`, `iamPolicy`, `orgPolicy`) or snake_case (`asset_type`,
 *    `iam_policy`, `org_policy`), streamed one asset at a time;
 *  - the same assets as one JSON array (streamed element by element);
 *  - `gcloud asset search-all-resources --format=json` (an array of
 *    search results) or the API's `{"results": [...]}`.
 *
 * Which fields of an asset become which resource is the table assets[]
 * below; which asset types are read, gcp_common.c.  Firewall rules are
 * kept (they are small) until the end of the input, because a rule's
 * effect depends on the other rules of its network (priorities, deny
 * rules): each is emitted with the network's rules beside it.
 */
#include <stdlib.h>
#include <string.h>

#include "checks/sources/sources.h"

/* What one content of an asset becomes. */
enum content { C_RESOURCE, C_IAM, C_ORG, C_OTHER };

/*
 * The contents of an asset, in both spellings.  Access policies and
 * service perimeters are recognised and not read (counted in a note).
 */
static const struct asset_field {
	const char *camel, *snake;
	enum content what;
	const char *type; /* canonical type, or NULL (from the asset type) */
} assets[] = {
	{ "resource", "resource", C_RESOURCE, NULL },
	{ "iamPolicy", "iam_policy", C_IAM, "GCP::IAM::Policy" },
	{ "orgPolicy", "org_policy", C_ORG, "GCP::OrgPolicy::Policy" },
	{ "accessPolicy", "access_policy", C_OTHER, NULL },
	{ "servicePerimeter", "service_perimeter", C_OTHER, NULL },
	{ "accessLevel", "access_level", C_OTHER, NULL },
	{ "osInventory", "os_inventory", C_OTHER, NULL },
};

#define NASSETS (sizeof(assets) / sizeof(assets[0]))

/* A firewall rule kept until the end of the input. */
struct fw {
	const char *id, *project, *network;
	struct mark mark;
	const char *json; /* the rule's data as compact JSON text */
	size_t len;
};

/* An enabled service of a project (serviceusage Service assets). */
struct svc {
	const char *project, *name;
	struct mark mark;
};

struct asset_read {
	struct diag *d;
	const char *path;
	resource_fn fn;
	void *ctx;
	struct arena *keep; /* firewalls and names that outlive an element */
	size_t emitted, skipped, other, search;
	int container; /* a project, folder or organisation resource seen */
	int container_iam; /* an IAM policy of one of them seen */
	int org; /* an organisation policy seen */
	int fwtype; /* a firewall seen */
	struct fw *fw;
	size_t nfw, fwcap;
	struct svc *svc; /* enabled services, for EnabledServices */
	size_t nsvc, svccap;
	const char *svc_error; /* a Service asset that could not be read */
};

/* map[camel] or map[snake]. */
static const struct doc_node *
field(const struct doc_node *map, const char *camel, const char *snake)
{
	const struct doc_node *v = doc_get(map, camel);

	return v != NULL ? v : doc_get(map, snake);
}

static int
is_container(const char *asset_type)
{
	return asset_type != NULL &&
	    strncmp(asset_type, "cloudresourcemanager.googleapis.com/", 36) ==
	    0;
}

static int
emit(struct asset_read *x, struct resource *r, struct arena *a)
{
	r->source = x->path;
	r->provider = "gcp";
	x->emitted++;
	return x->fn(x->ctx, r, a);
}

/*
 * Keep a firewall rule for the end, as compact JSON text in x->keep: a
 * third of its tree's size, so an export with tens of thousands of rules
 * still scans in flat memory (docs/gcp.md).
 */
static int
keep_firewall(struct asset_read *x, const struct resource *r)
{
	const char *net;
	char *buf = NULL;
	size_t cap, blen = 0;
	struct fw *v;
	FILE *fp;

	if (x->nfw == x->fwcap) {
		cap = x->fwcap != 0 ? x->fwcap * 2 : 64;
		if ((v = realloc(x->fw, cap * sizeof(*v))) == NULL)
			return diag_sys(x->d, NULL, "out of memory");
		x->fw = v;
		x->fwcap = cap;
	}
	if ((fp = open_memstream(&buf, &blen)) == NULL)
		return diag_sys(x->d, NULL, "out of memory");
	doc_write_json(r->attrs, fp);
	if (fclose(fp) != 0) {
		free(buf);
		return diag_sys(x->d, NULL, "out of memory");
	}
	v = &x->fw[x->nfw];
	memset(v, 0, sizeof(*v));
	net = doc_str(doc_get(r->attrs, "network"));
	v->json = arena_strndup(x->keep, buf, blen);
	v->len = blen;
	free(buf);
	if (v->json == NULL || (v->id = arena_strdup(x->keep, r->id)) == NULL ||
	    (r->account != NULL &&
		(v->project = arena_strdup(x->keep, r->account)) == NULL) ||
	    (net != NULL && (v->network = arena_strdup(x->keep, net)) == NULL))
		return diag_sys(x->d, NULL, "out of memory");
	v->mark = r->mark;
	x->nfw++;
	return 0;
}

/*
 * A serviceusage.googleapis.com/Service asset: its name is kept when its
 * state is ENABLED, for the project's GCP::ServiceUsage::EnabledServices
 * resource emitted at the end.
 */
static int
keep_service(
    struct asset_read *x, const struct resource *r, const struct doc_node *data)
{
	const char *st = doc_str(doc_get(data, "state"));
	const char *name = doc_str(doc_get(data, "name"));
	struct svc *v;
	size_t cap;

	if (r->account == NULL || name == NULL || st == NULL) {
		if (x->svc_error == NULL &&
		    (x->svc_error = arena_printf(x->keep,
			 "service asset '%s' names no project, service or "
			 "state",
			 r->id)) == NULL)
			return diag_sys(x->d, NULL, "out of memory");
		return 0;
	}
	if (strcmp(st, "ENABLED") != 0)
		return 0;
	if (x->nsvc == x->svccap) {
		cap = x->svccap != 0 ? x->svccap * 2 : 64;
		if ((v = realloc(x->svc, cap * sizeof(*v))) == NULL)
			return diag_sys(x->d, NULL, "out of memory");
		x->svc = v;
		x->svccap = cap;
	}
	v = &x->svc[x->nsvc];
	if ((v->project = arena_strdup(x->keep, r->account)) == NULL ||
	    (v->name = arena_strdup(x->keep, name)) == NULL)
		return diag_sys(x->d, NULL, "out of memory");
	v->mark = r->mark;
	x->nsvc++;
	return 0;
}

/* The resource content of an asset. */
static int
on_resource_content(struct asset_read *x, struct resource *r,
    const char *asset_type, const struct doc_node *res, struct arena *a)
{
	const struct doc_node *data = doc_get(res, "data");

	r->type = gcp_type_of(asset_type);
	if (is_container(asset_type))
		x->container = 1;
	if (r->type == NULL) {
		x->skipped++;
		return 0;
	}
	r->region = gcp_region_of(a, data, doc_str(doc_get(res, "location")));
	if (data == NULL || data->type != DOC_MAP) {
		r->read_error = "the asset holds no 'resource.data' object";
		r->attrs = src_map(a, &res->mark);
	} else {
		r->attrs = (struct doc_node *)data;
	}
	if (r->attrs == NULL)
		return diag_sys(x->d, NULL, "out of memory");
	if (strcmp(r->type, "GCP::Compute::Firewall") == 0) {
		x->fwtype = 1;
		if (r->read_error == NULL)
			return keep_firewall(x, r);
	}
	if (strcmp(r->type, "GCP::ServiceUsage::EnabledServices") == 0)
		return keep_service(x, r, data);
	return emit(x, r, a);
}

/* The IAM policy of an asset: GCP::IAM::Policy named after the asset. */
static int
on_iam(struct asset_read *x, struct resource *r, const char *asset_type,
    const struct doc_node *pol, struct arena *a)
{
	struct doc_node *at;

	r->type = "GCP::IAM::Policy";
	if (is_container(asset_type))
		x->container_iam = 1;
	if (pol->type != DOC_MAP) {
		r->read_error = "the asset's IAM policy is not an object";
		r->attrs = src_map(a, &pol->mark);
	} else {
		r->attrs = gcp_camel(a, pol, 0);
	}
	if (r->attrs == NULL ||
	    (at = src_str(a, asset_type, &pol->mark)) == NULL ||
	    src_set(a, r->attrs, "assetType", at) != 0)
		return diag_sys(x->d, NULL, "out of memory");
	return emit(x, r, a);
}

static int
on_org(struct asset_read *x, struct resource *r, const char *asset_type,
    const struct doc_node *list, struct arena *a)
{
	struct doc_node *at;

	r->type = "GCP::OrgPolicy::Policy";
	x->org = 1;
	if (gcp_org_policies(a, list, &list->mark, &r->attrs, &r->read_error) !=
		0 ||
	    (at = src_str(a, asset_type, &list->mark)) == NULL ||
	    src_set(a, r->attrs, "assetType", at) != 0)
		return diag_sys(x->d, NULL, "out of memory");
	return emit(x, r, a);
}

/*
 * A search-all-resources result: the asset's summary, never its
 * configuration, so each resource of a type rampart reads is emitted
 * unreadable: its checks are `error`, and say how to export the rest.
 */
static int
on_search(struct asset_read *x, const struct doc_node *it, struct arena *a)
{
	struct resource r;

	memset(&r, 0, sizeof(r));
	r.type = gcp_type_of(doc_str(doc_get(it, "assetType")));
	r.id = doc_str(doc_get(it, "name"));
	x->search++;
	if (r.type == NULL || r.id == NULL) {
		x->skipped++;
		return 0;
	}
	r.mark = it->mark;
	r.account = gcp_project_of(a, r.id, NULL);
	r.region = doc_str(doc_get(it, "location"));
	r.attrs = (struct doc_node *)it;
	r.read_error = "gcloud asset search-all-resources holds the asset's "
		       "summary, not its configuration; export it with "
		       "gcloud asset export --content-type=resource";
	return emit(x, &r, a);
}

/* One element: an asset, a search result, or a search envelope. */
static int
on_elem(void *ctx, struct doc_node *el, struct arena *a)
{
	struct asset_read *x = ctx;
	const struct doc_node *v, *res;
	const char *name, *asset_type;
	struct resource r;
	size_t i;
	int rc;

	if (el == NULL || el->type != DOC_MAP)
		return diag_err(x->d, el != NULL ? &el->mark : NULL,
		    "a Cloud Asset export holds objects, one asset each");
	if ((res = doc_get(el, "results")) != NULL && res->type == DOC_SEQ) {
		for (i = 0; i < res->u.seq.n; i++)
			if (on_search(x, res->u.seq.items[i], a) != 0)
				return -1;
		if (gcp_more_pages(el))
			diag_warn(x->d, &el->mark,
			    "search results go on (nextPageToken): "
			    "the resources of later pages are not read");
		return 0;
	}
	name = doc_str(doc_get(el, "name"));
	asset_type = doc_str(field(el, "assetType", "asset_type"));
	if (name == NULL || asset_type == NULL)
		return diag_err(x->d, &el->mark,
		    "asset without a 'name' and an 'assetType' (or "
		    "'asset_type')");
	if (doc_get(el, "project") != NULL &&
	    field(el, "resource", "resource") == NULL &&
	    field(el, "iamPolicy", "iam_policy") == NULL)
		return on_search(x, el, a);
	memset(&r, 0, sizeof(r));
	r.id = name;
	r.mark = el->mark;
	r.account = gcp_project_of(a, name, doc_get(el, "ancestors"));
	rc = 0;
	for (i = 0; i < NASSETS && rc == 0; i++) {
		if ((v = field(el, assets[i].camel, assets[i].snake)) == NULL)
			continue;
		r.read_error = NULL;
		r.region = NULL;
		switch (assets[i].what) {
		case C_RESOURCE:
			rc = on_resource_content(x, &r, asset_type, v, a);
			break;
		case C_IAM:
			rc = on_iam(x, &r, asset_type, v, a);
			break;
		case C_ORG:
			rc = on_org(x, &r, asset_type, v, a);
			break;
		case C_OTHER:
			x->other++;
			break;
		}
	}
	return rc;
}

static int
fw_cmp(const void *a, const void *b)
{
	const struct fw *x = a, *y = b;
	int k = strcmp(x->network != NULL ? x->network : "",
	    y->network != NULL ? y->network : "");

	return k != 0 ? k : strcmp(x->id, y->id);
}

static int
same_net(const struct fw *x, const struct fw *y)
{
	return strcmp(x->network != NULL ? x->network : "",
		   y->network != NULL ? y->network : "") == 0;
}

/* Every node of n at mark m (the asset's line: the text has no place). */
static void
set_marks(struct doc_node *n, const struct mark *m)
{
	size_t i;

	n->mark = *m;
	if (n->type == DOC_SEQ)
		for (i = 0; i < n->u.seq.n; i++)
			set_marks(n->u.seq.items[i], m);
	else if (n->type == DOC_MAP)
		for (i = 0; i < n->u.map.n; i++) {
			n->u.map.pairs[i].key->mark = *m;
			set_marks(n->u.map.pairs[i].val, m);
		}
}

/* The rules [from, to) of one network, parsed again into a. */
static int
load_network(struct asset_read *x, struct arena *a, size_t from, size_t to,
    struct doc_node **seq)
{
	struct doc_node **docs;
	size_t i, n;

	if ((*seq = src_seq(a, &x->fw[from].mark)) == NULL)
		return diag_sys(x->d, NULL, "out of memory");
	for (i = from; i < to; i++) {
		if (doc_load_buf(a, x->d, x->path, x->fw[i].json, x->fw[i].len,
			DOC_FMT_JSON, NULL, &docs, &n) != 0 ||
		    n != 1)
			return diag_err(x->d, &x->fw[i].mark,
			    "firewall rule '%s' cannot be read again",
			    x->fw[i].id);
		set_marks(docs[0], &x->fw[i].mark);
		if (doc_seq_push(a, *seq, docs[0]) != 0)
			return diag_sys(x->d, NULL, "out of memory");
	}
	return 0;
}

/*
 * The kept firewall rules, sorted by network then name, one network at
 * a time, each with the rules of its network (itself included) under
 * SRC_GCP_NETWORK_RULES.
 */
static int
emit_firewalls(struct asset_read *x)
{
	struct doc_node *seq = NULL;
	struct resource r;
	struct arena *a, *ra;
	size_t i, j, k;
	int rc = 0;

	if (x->nfw > 0)
		qsort(x->fw, x->nfw, sizeof(*x->fw), fw_cmp);
	for (i = 0; i < x->nfw && rc == 0; i = j) {
		for (j = i; j < x->nfw && same_net(&x->fw[i], &x->fw[j]); j++)
			;
		if ((a = arena_new()) == NULL)
			return diag_sys(x->d, NULL, "out of memory");
		if (load_network(x, a, i, j, &seq) != 0) {
			arena_free(a);
			return -1;
		}
		for (k = i; k < j && rc == 0; k++) {
			memset(&r, 0, sizeof(r));
			/* a copy of the map, so the list does not hold itself */
			if ((r.attrs = src_map_clone(
				 a, seq->u.seq.items[k - i])) == NULL ||
			    src_set(a, r.attrs, SRC_GCP_NETWORK_RULES, seq)) {
				arena_free(a);
				return diag_sys(x->d, NULL, "out of memory");
			}
			r.type = "GCP::Compute::Firewall";
			r.id = x->fw[k].id;
			r.account = x->fw[k].project;
			r.region = "global";
			r.mark = x->fw[k].mark;
			if ((ra = arena_new()) == NULL) {
				arena_free(a);
				return diag_sys(x->d, NULL, "out of memory");
			}
			rc = emit(x, &r, ra);
			arena_free(ra);
		}
		arena_free(a);
	}
	return rc;
}

static int
svc_cmp(const void *a, const void *b)
{
	const struct svc *x = a, *y = b;
	int k = strcmp(x->project, y->project);

	return k != 0 ? k : strcmp(x->name, y->name);
}

/*
 * One GCP::ServiceUsage::EnabledServices per project with an enabled
 * service: {"services": [names, sorted]}.  A service asset that could
 * not be read makes every one of them unreadable.
 */
static int
emit_services(struct asset_read *x)
{
	struct resource r;
	struct doc_node *seq, *v;
	struct arena *a;
	size_t i, j;
	int rc = 0;

	if (x->nsvc > 0)
		qsort(x->svc, x->nsvc, sizeof(*x->svc), svc_cmp);
	for (i = 0; i < x->nsvc && rc == 0; i = j) {
		if ((a = arena_new()) == NULL)
			return diag_sys(x->d, NULL, "out of memory");
		memset(&r, 0, sizeof(r));
		r.type = "GCP::ServiceUsage::EnabledServices";
		r.account = x->svc[i].project;
		r.mark = x->svc[i].mark;
		r.read_error = x->svc_error;
		r.id = arena_printf(
		    a, "//serviceusage.googleapis.com/projects/%s", r.account);
		if (r.id == NULL || (r.attrs = src_map(a, &r.mark)) == NULL ||
		    (seq = src_seq(a, &r.mark)) == NULL ||
		    src_set(a, r.attrs, "services", seq) != 0) {
			arena_free(a);
			return diag_sys(x->d, NULL, "out of memory");
		}
		for (j = i; j < x->nsvc &&
		     strcmp(x->svc[i].project, x->svc[j].project) == 0;
		     j++)
			if ((v = src_str(a, x->svc[j].name, &x->svc[j].mark)) ==
				NULL ||
			    doc_seq_push(a, seq, v) != 0) {
				arena_free(a);
				return diag_sys(x->d, NULL, "out of memory");
			}
		rc = emit(x, &r, a);
		arena_free(a);
	}
	return rc;
}

static int
marker(struct asset_read *x, const char *type)
{
	struct resource r;
	struct arena *a;
	int rc;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.listing = 1;
	r.provider = "gcp";
	r.source = x->path;
	r.mark.file = x->path;
	if ((a = arena_new()) == NULL)
		return diag_sys(x->d, NULL, "out of memory");
	rc = x->fn(x->ctx, &r, a);
	arena_free(a);
	return rc;
}

/*
 * Listing markers.  An asset export cannot show that it was not narrowed
 * with --asset-types (a narrowed export of a project still holds the
 * project's own asset), so it never claims to list every resource type:
 * a type with no asset is missing evidence (`error`), unless the scope
 * file declares it out of scope; the gcloud layout (collect-gcp.sh) lists
 * each type on its own.  The IAM policy listing is complete when the
 * export holds the policy of a project, folder or organisation (the
 * iam-policy content type of the whole scope); organisation policies when
 * any is there.
 */
static int
emit_markers(struct asset_read *x)
{
	if (x->container_iam && marker(x, "GCP::IAM::Policy") != 0)
		return -1;
	if (x->org && marker(x, "GCP::OrgPolicy::Policy") != 0)
		return -1;
	return 0;
}

static int
asset_detect(const char *path, int is_dir, const char *head, size_t len)
{
	(void)path;
	if (is_dir || head == NULL)
		return 0;
	if (src_has_key(head, len, "asset_type") ||
	    src_has_key(head, len, "assetType")) {
		if (src_has_key(head, len, "name") &&
		    (strstr(head, "\"//") != NULL))
			return 80;
		return 40;
	}
	return 0;
}

static int
asset_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	struct asset_read x;
	struct load_limits ol;
	struct input own, *in;
	struct mark m = { path, 0, 0 };
	enum doc_format fmt = DOC_FMT_NDJSON;
	const char *coll = NULL;
	size_t i;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	memset(&own, 0, sizeof(own));
	x.d = d;
	x.path = path;
	x.fn = fn;
	x.ctx = ctx;
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
	if ((x.keep = arena_new()) == NULL) {
		diag_sys(d, &m, "out of memory");
		goto out;
	}
	/* An array is streamed element by element; else one asset a line. */
	for (i = 0; i < in->hlen && strchr(" \t\r\n", in->head[i]) != NULL; i++)
		;
	if (i < in->hlen && in->head[i] == '[') {
		fmt = DOC_FMT_JSON;
		coll = "[*]";
	} else if (src_has_key(in->head, in->hlen, "results")) {
		fmt = DOC_FMT_JSON; /* the search API's one response */
	}
	rc = doc_stream_file(d, path, fmt, coll, lim, on_elem, &x, NULL);
	if (rc == 0)
		rc = emit_firewalls(&x);
	if (rc == 0)
		rc = emit_services(&x);
	if (rc == 0 && x.emitted == 0 && !x.container && !x.org)
		rc = diag_err(d, &m,
		    "'%s' holds no Cloud Asset rampart reads (%zu assets of "
		    "other types)",
		    path, x.skipped);
	if (rc == 0)
		rc = emit_markers(&x);
	if (rc == 0 && (x.skipped > 0 || x.other > 0))
		diag_note(d, &m,
		    "%zu assets of types rampart does not read, %zu access "
		    "policies or other contents",
		    x.skipped, x.other);
out:
	if (nresources != NULL)
		*nresources = x.emitted;
	free(x.fw);
	free(x.svc);
	arena_free(x.keep);
	input_close(&own);
	return rc;
}

const struct adapter adapter_gcp_asset = {
	.name = "gcp-asset",
	.summary = "Google Cloud Asset Inventory exports (gcloud asset export, "
		   "NDJSON or an array) and search-all-resources output",
	.detect = asset_detect,
	.read = asset_read,
};
