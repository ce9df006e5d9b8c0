/*
 * oci_cli.c: the "oci-cli" adapter.  A directory of OCI CLI outputs
 * (`oci ... --output json`: {"data": ...}, kebab-case keys) as written by
 * scripts/collect-oci.sh:
 *
 *	OUT/iam/compartment-list.json             tenancy-wide calls
 *	OUT/iam/policy-list/<compartment>.json    one file per compartment
 *	OUT/iam/user-api-key-list/<user>.json     one file per parent
 *	OUT/<region>/network/security-list-list/<compartment>.json
 *
 * One declarative table (calls[]) says, per call, which file, which
 * resource type it lists or joins into, the list member, the id field
 * and whether it is read once, per compartment or per parent resource.
 * A recorded error ({"ServiceError": {"code", "message", "status"}}) is
 * classed by oci_error_class() (denied, throttled, other) and is never
 * taken for an empty listing; an "opc-next-page" left makes the listing
 * incomplete.  The whole directory is held in memory while it is joined
 * (a tenancy's CLI outputs are megabytes); docs/oci.md has the layout.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checks/sources/sources.h"

#define COLLECTION_FILE "rampart-collection.json"

enum call_scope {
	CALL_ONCE, /* <svc>/<cmd>.json */
	CALL_PER_COMPARTMENT, /* <svc>/<cmd>/<compartment-ocid>.json */
	CALL_PER_PARENT /* <svc>/<cmd>/<parent key>.json */
};

struct call {
	const char *svc, *cmd;
	const char *type; /* the type listed, or joined into */
	enum call_scope scope;
	int regional; /* under <region>/ (or the root for one region) */
	/* Where the list is under "data": NULL (data itself), "items"... */
	const char *member;
	/* The id field of a listed element; NULL: a singleton of the tenancy. */
	const char *id;
	/* CALL_PER_PARENT: the parent type and the field naming its file. */
	const char *parent;
	const char *pkey;
	/* A join: the attribute set to the data; "" merges its keys. */
	const char *attr;
};

/*
 * Sorted by order of reading: a parent before the calls that need it.
 * Tenancy-wide calls (regional 0) are read at the root only.
 */
static const struct call calls[] = {
	{ .svc = "iam",
	    .cmd = "compartment-list",
	    .type = "OCI::Identity::Compartment",
	    .id = "id" },
	{ .svc = "iam",
	    .cmd = "user-list",
	    .type = "OCI::Identity::User",
	    .id = "id" },
	{ .svc = "iam",
	    .cmd = "user-api-key-list",
	    .type = "OCI::Identity::User",
	    .scope = CALL_PER_PARENT,
	    .parent = "OCI::Identity::User",
	    .pkey = "id",
	    .attr = "api-keys" },
	{ .svc = "iam",
	    .cmd = "user-list-groups",
	    .type = "OCI::Identity::User",
	    .scope = CALL_PER_PARENT,
	    .parent = "OCI::Identity::User",
	    .pkey = "id",
	    .attr = "groups" },
	{ .svc = "iam",
	    .cmd = "group-list",
	    .type = "OCI::Identity::Group",
	    .id = "id" },
	{ .svc = "iam",
	    .cmd = "policy-list",
	    .type = "OCI::Identity::Policy",
	    .scope = CALL_PER_COMPARTMENT,
	    .id = "id" },
	{ .svc = "iam",
	    .cmd = "authentication-policy-get",
	    .type = "OCI::Identity::AuthenticationPolicy" },
	{ .svc = "iam",
	    .cmd = "domain-list",
	    .type = "OCI::Identity::Domain",
	    .id = "id" },
	{ .svc = "identity-domains",
	    .cmd = "password-policies-list",
	    .type = "OCI::IdentityDomains::PasswordPolicy",
	    .scope = CALL_PER_PARENT,
	    .member = "resources",
	    .id = "ocid",
	    .parent = "OCI::Identity::Domain",
	    .pkey = "id" },
	{ .svc = "audit",
	    .cmd = "config-get",
	    .type = "OCI::Audit::Configuration" },
	{ .svc = "cloud-guard",
	    .cmd = "configuration-get",
	    .type = "OCI::CloudGuard::Configuration" },
	{ .svc = "network",
	    .cmd = "security-list-list",
	    .type = "OCI::Core::SecurityList",
	    .scope = CALL_PER_COMPARTMENT,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "network",
	    .cmd = "nsg-list",
	    .type = "OCI::Core::NetworkSecurityGroup",
	    .scope = CALL_PER_COMPARTMENT,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "network",
	    .cmd = "nsg-rules-list",
	    .type = "OCI::Core::NetworkSecurityGroup",
	    .scope = CALL_PER_PARENT,
	    .regional = 1,
	    .parent = "OCI::Core::NetworkSecurityGroup",
	    .pkey = "id",
	    .attr = "security-rules" },
	{ .svc = "network",
	    .cmd = "subnet-list",
	    .type = "OCI::Core::Subnet",
	    .scope = CALL_PER_COMPARTMENT,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "network",
	    .cmd = "vcn-list",
	    .type = "OCI::Core::Vcn",
	    .scope = CALL_PER_COMPARTMENT,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "os",
	    .cmd = "bucket-list",
	    .type = "OCI::ObjectStorage::Bucket",
	    .scope = CALL_PER_COMPARTMENT,
	    .regional = 1,
	    .id = "name" },
	{ .svc = "os",
	    .cmd = "bucket-get",
	    .type = "OCI::ObjectStorage::Bucket",
	    .scope = CALL_PER_PARENT,
	    .regional = 1,
	    .parent = "OCI::ObjectStorage::Bucket",
	    .pkey = "name",
	    .attr = "" },
	{ .svc = "kms",
	    .cmd = "management-vault-list",
	    .type = "OCI::KeyManagement::Vault",
	    .scope = CALL_PER_COMPARTMENT,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "kms",
	    .cmd = "management-key-list",
	    .type = "OCI::KeyManagement::Key",
	    .scope = CALL_PER_PARENT,
	    .regional = 1,
	    .id = "id",
	    .parent = "OCI::KeyManagement::Vault",
	    .pkey = "id" },
	{ .svc = "kms",
	    .cmd = "management-key-version-list",
	    .type = "OCI::KeyManagement::Key",
	    .scope = CALL_PER_PARENT,
	    .regional = 1,
	    .parent = "OCI::KeyManagement::Key",
	    .pkey = "id",
	    .attr = "key-versions" },
	{ .svc = "lb",
	    .cmd = "load-balancer-list",
	    .type = "OCI::LoadBalancer::LoadBalancer",
	    .scope = CALL_PER_COMPARTMENT,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "db",
	    .cmd = "autonomous-database-list",
	    .type = "OCI::Database::AutonomousDatabase",
	    .scope = CALL_PER_COMPARTMENT,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "logging",
	    .cmd = "log-group-list",
	    .type = "OCI::Logging::LogGroup",
	    .scope = CALL_PER_COMPARTMENT,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "logging",
	    .cmd = "log-list",
	    .type = "OCI::Logging::Log",
	    .scope = CALL_PER_PARENT,
	    .regional = 1,
	    .id = "id",
	    .parent = "OCI::Logging::LogGroup",
	    .pkey = "id" },
	{ .svc = "events",
	    .cmd = "rule-list",
	    .type = "OCI::Events::Rule",
	    .scope = CALL_PER_COMPARTMENT,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "events",
	    .cmd = "rule-get",
	    .type = "OCI::Events::Rule",
	    .scope = CALL_PER_PARENT,
	    .regional = 1,
	    .parent = "OCI::Events::Rule",
	    .pkey = "id",
	    .attr = "" },
};

#define NCALLS (sizeof(calls) / sizeof(calls[0]))

/* One resource being assembled. */
struct res {
	const char *type, *id;
	struct doc_node *attrs;
	struct doc_node *unread; /* attr -> why, or NULL */
	const char *read_error;
	struct mark mark;
	const char *source;
};

/* A listing of one type in one scope: read (complete or not). */
struct listing {
	const char *type;
	const char *why; /* NULL: complete */
	const char *source;
};

struct ocli {
	struct diag *d;
	struct arena *a;
	const struct load_limits *lim;
	const char *root;
	const char *tenancy;
	const char **comps; /* active compartments, tenancy first */
	size_t ncomps;
	resource_fn fn;
	void *ctx;
	int64_t collected;
	size_t resources;
	/* The current scope: region (NULL at the root) and its dir. */
	const char *region;
	const char *dir;
	struct res *v;
	size_t n, cap;
	struct listing *l;
	size_t nl, capl;
	/*
	 * Every region's Events rules, for the tenancy-wide rule set
	 * (identity events are delivered in the home region only, so the
	 * rules of all regions together are judged): the rules, whether any
	 * region listed them, the first incomplete listing.
	 */
	struct doc_node *rules;
	int rules_listed;
	const char *rules_why;
};

/* A response file, unwrapped. */
enum resp_kind { RESP_MISSING, RESP_OK, RESP_ERROR };

struct resp {
	enum resp_kind kind;
	struct doc_node *data; /* RESP_OK: kebab-case, member taken */
	const char *why; /* RESP_ERROR: the message; OK: a next page */
	const char *path;
	struct mark mark;
};

static int
oom(struct ocli *c)
{
	return diag_sys(c->d, NULL, "out of memory");
}

static const char *
join3(struct ocli *c, const char *a, const char *b, const char *d)
{
	if (d != NULL)
		return arena_printf(c->a, "%s/%s/%s", a, b, d);
	return arena_printf(c->a, "%s/%s", a, b);
}

/*
 * Read one CLI output.  A path that is not there is RESP_MISSING; a
 * path that is not a regular file, or not an OCI CLI output, is an input
 * error (-1), never an empty listing.
 */
static int
read_resp(struct ocli *c, const char *path, const char *member, int list,
    struct resp *r)
{
	struct doc_node *doc, *data;
	const struct doc_node *se, *code, *msg, *st;
	struct stat sb;
	enum oci_err cls;
	int64_t status = 0;

	memset(r, 0, sizeof(*r));
	r->path = path;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			return 0;
		return diag_errno(c->d, NULL, errno, "cannot read '%s'", path);
	}
	if (!S_ISREG(sb.st_mode))
		return diag_err(c->d, NULL,
		    "'%s' is not a regular file (an OCI CLI output was "
		    "expected)",
		    path);
	if ((doc = doc_load_one(c->a, c->d, path, DOC_FMT_JSON, c->lim)) ==
	    NULL)
		return -1;
	r->mark = doc->mark;
	se = doc_get(doc, "ServiceError");
	if (se != NULL) {
		code = doc_get(se, "code");
		msg = doc_get(se, "message");
		st = doc_get(se, "status");
		if (st != NULL && st->type == DOC_INT)
			status = st->u.i;
		cls = oci_error_class(doc_str(code), status);
		r->kind = RESP_ERROR;
		r->why = arena_printf(c->a, "'%s' %s: %s: %s", path,
		    oci_error_name(cls),
		    doc_str(code) != NULL ? doc_str(code) : "(no code)",
		    doc_str(msg) != NULL ? doc_str(msg) : "(no message)");
		return r->why != NULL ? 0 : oom(c);
	}
	if (doc->type != DOC_MAP || (data = doc_get(doc, "data")) == NULL)
		return diag_err(c->d, &doc->mark,
		    "'%s' is not an OCI CLI output: expected {\"data\": ...} "
		    "or {\"ServiceError\": ...}",
		    path);
	if ((data = oci_kebab(c->a, data)) == NULL)
		return diag_err(c->d, &doc->mark,
		    "cannot read '%s': a key spelt two ways in one map, "
		    "nesting too deep, or out of memory",
		    path);
	if (member != NULL && data->type == DOC_MAP)
		data = doc_get(data, member);
	if (data == NULL || (list && data->type != DOC_SEQ) ||
	    (!list && data->type != DOC_MAP && data->type != DOC_SEQ))
		return diag_err(c->d, &doc->mark,
		    "'%s': 'data%s%s' must be a %s", path, member ? "." : "",
		    member ? member : "", list ? "list" : "map");
	r->kind = RESP_OK;
	r->data = data;
	if (doc_get(doc, "opc-next-page") != NULL &&
	    (r->why = arena_printf(c->a,
		 "'%s' is one page: 'opc-next-page' is set, so the listing is "
		 "incomplete (collect with --all)",
		 path)) == NULL)
		return oom(c);
	return 0;
}

static struct listing *
listing_get(struct ocli *c, const char *type)
{
	struct listing *l;
	size_t i;

	for (i = 0; i < c->nl; i++)
		if (strcmp(c->l[i].type, type) == 0)
			return &c->l[i];
	if (c->nl == c->capl) {
		c->capl = c->capl ? c->capl * 2 : 16;
		l = arena_realloc(
		    c->a, c->l, c->nl * sizeof(*l), c->capl * sizeof(*l));
		if (l == NULL)
			return NULL;
		c->l = l;
	}
	l = &c->l[c->nl++];
	memset(l, 0, sizeof(*l));
	l->type = type;
	return l;
}

/* Record that a listing of type was read; why != NULL: incomplete. */
static int
listed(struct ocli *c, const char *type, const char *why, const char *src)
{
	struct listing *l;

	if ((l = listing_get(c, type)) == NULL)
		return oom(c);
	if (l->source == NULL)
		l->source = src;
	if (why != NULL && l->why == NULL)
		l->why = why;
	return 0;
}

static int
add_res(struct ocli *c, const char *type, const char *id,
    struct doc_node *attrs, const char *src)
{
	struct res *v;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		v = arena_realloc(
		    c->a, c->v, c->n * sizeof(*v), c->cap * sizeof(*v));
		if (v == NULL)
			return oom(c);
		c->v = v;
	}
	v = &c->v[c->n++];
	memset(v, 0, sizeof(*v));
	v->type = type;
	v->id = id;
	v->attrs = attrs;
	v->mark = attrs->mark;
	v->source = src;
	return 0;
}

/* The elements of a listed response become resources of l->type. */
static int
add_listed(struct ocli *c, const struct call *l, const struct resp *r)
{
	struct doc_node *e, *attrs, *idn;
	const char *id, *ns;
	size_t i, n;

	n = r->data->type == DOC_SEQ ? r->data->u.seq.n : 1;
	for (i = 0; i < n; i++) {
		e = r->data->type == DOC_SEQ ? r->data->u.seq.items[i]
					     : r->data;
		if (e->type != DOC_MAP)
			return diag_err(c->d, &e->mark,
			    "'%s': element %zu is not a map", r->path, i);
		if ((attrs = src_map_clone(c->a, e)) == NULL)
			return oom(c);
		if (l->id == NULL) {
			id = c->tenancy;
		} else {
			id = doc_str(doc_get(e, l->id));
			if (id == NULL && strcmp(l->id, "ocid") == 0)
				id = doc_str(doc_get(e, "id"));
		}
		if (id == NULL || id[0] == '\0')
			return diag_err(c->d, &e->mark,
			    "'%s': element %zu has no '%s'", r->path, i,
			    l->id != NULL ? l->id : "tenancy OCID");
		/* A bucket is named by its OCID once `os bucket get` says it. */
		if (strcmp(l->type, "OCI::ObjectStorage::Bucket") == 0 &&
		    (ns = doc_str(doc_get(e, "namespace"))) != NULL)
			id = arena_printf(c->a, "%s/%s", ns, id);
		if (id == NULL || (idn = src_str(c->a, id, &e->mark)) == NULL ||
		    (l->id == NULL && src_set(c->a, attrs, "id", idn) != 0) ||
		    add_res(c, l->type, id, attrs, r->path) != 0)
			return oom(c);
	}
	return 0;
}

/* Read a listing call of the current scope. */
static int
read_listing(
    struct ocli *c, const struct call *l, const char **keys, size_t nkeys)
{
	const char *dir, *path, *why = NULL, *src;
	struct resp r;
	struct stat sb;
	size_t i;

	if (l->scope == CALL_ONCE) {
		path = join3(
		    c, c->dir, l->svc, arena_printf(c->a, "%s.json", l->cmd));
		if (path == NULL ||
		    read_resp(c, path, l->member, l->id != NULL, &r) != 0)
			return path == NULL ? oom(c) : -1;
		if (r.kind == RESP_MISSING)
			return 0;
		if (r.kind == RESP_OK && add_listed(c, l, &r) != 0)
			return -1;
		return listed(c, l->type, r.why, path);
	}
	dir = join3(c, c->dir, l->svc, l->cmd);
	if (dir == NULL)
		return oom(c);
	if (stat(dir, &sb) != 0)
		return 0; /* not collected: no listing at all */
	if (!S_ISDIR(sb.st_mode))
		return diag_err(c->d, NULL, "'%s' must be a directory", dir);
	for (i = 0; i < nkeys; i++) {
		path = arena_printf(c->a, "%s/%s.json", dir, keys[i]);
		if (path == NULL || read_resp(c, path, l->member, 1, &r) != 0)
			return path == NULL ? oom(c) : -1;
		if (r.kind == RESP_MISSING) {
			if (why == NULL)
				why = arena_printf(c->a,
				    "'%s' is missing: the listing of '%s' is "
				    "incomplete",
				    path, l->type);
			continue;
		}
		if (r.kind == RESP_OK && add_listed(c, l, &r) != 0)
			return -1;
		if (r.why != NULL && why == NULL)
			why = r.why;
	}
	src = dir;
	return listed(c, l->type, why, src);
}

/* Set attribute attr of resource x (an unreadable one: why). */
static int
set_unreadable(struct ocli *c, struct res *x, const char *attr, const char *why)
{
	struct doc_node *w;

	if (attr[0] == '\0') {
		if (x->read_error == NULL)
			x->read_error = why;
		return 0;
	}
	if (x->unread == NULL) {
		if ((x->unread = src_map(c->a, &x->mark)) == NULL ||
		    src_set(c->a, x->attrs, RESOURCE_UNREADABLE, x->unread) !=
			0)
			return oom(c);
	}
	if ((w = src_str(c->a, why, &x->mark)) == NULL ||
	    src_set(c->a, x->unread, attr, w) != 0)
		return oom(c);
	return 0;
}

/* A join: one file per resource of l->type, into l->attr. */
static int
read_join(struct ocli *c, const struct call *l)
{
	const char *dir, *path, *key;
	struct doc_node *m;
	struct res *x;
	struct resp r;
	struct stat sb;
	size_t i, j;

	dir = join3(c, c->dir, l->svc, l->cmd);
	if (dir == NULL)
		return oom(c);
	if (stat(dir, &sb) != 0)
		return 0;
	for (i = 0; i < c->n; i++) {
		x = &c->v[i];
		if (strcmp(x->type, l->type) != 0)
			continue;
		key = doc_str(doc_get(x->attrs, l->pkey));
		if (key == NULL)
			continue;
		path = arena_printf(c->a, "%s/%s.json", dir, key);
		if (path == NULL ||
		    read_resp(c, path, l->member, l->attr[0] != '\0', &r) != 0)
			return path == NULL ? oom(c) : -1;
		if (r.kind == RESP_MISSING)
			continue; /* not collected: the attribute is absent */
		if (r.kind == RESP_ERROR || r.why != NULL) {
			if (set_unreadable(c, x, l->attr, r.why) != 0)
				return -1;
			continue;
		}
		if (l->attr[0] != '\0') {
			if (src_set(c->a, x->attrs, l->attr, r.data) != 0)
				return oom(c);
			continue;
		}
		m = r.data;
		for (j = 0; m->type == DOC_MAP && j < m->u.map.n; j++)
			if (src_set(c->a, x->attrs, m->u.map.pairs[j].key->str,
				m->u.map.pairs[j].val) != 0)
				return oom(c);
		/* `os bucket get` names the bucket by its OCID. */
		if ((key = doc_str(doc_get(m, "id"))) != NULL)
			x->id = key;
	}
	return 0;
}

/* The keys of the parents of a per-parent listing, in this scope. */
static int
parent_keys(struct ocli *c, const struct call *l, const char ***keys, size_t *n)
{
	const char **v;
	const char *k;
	size_t i;

	*n = 0;
	if ((v = arena_alloc(c->a, (c->n + 1) * sizeof(*v))) == NULL)
		return oom(c);
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].type, l->parent) != 0)
			continue;
		if ((k = doc_str(doc_get(c->v[i].attrs, l->pkey))) != NULL)
			v[(*n)++] = k;
	}
	*keys = v;
	return 0;
}

/* Whether the parent listing of l in this scope is complete. */
static const struct listing *
parent_listing(struct ocli *c, const char *type)
{
	size_t i;

	for (i = 0; i < c->nl; i++)
		if (strcmp(c->l[i].type, type) == 0)
			return &c->l[i];
	return NULL;
}

/*
 * Subnets: `flow-logs` = the flow logs (logs of service flowlogs whose
 * source resource is the subnet).  Only when every log of the scope was
 * listed: else the attribute stays absent (not collected) or is
 * unreadable (an incomplete listing).
 */
static int
join_flow_logs(struct ocli *c)
{
	const struct listing *ll;
	struct doc_node *seq;
	const struct doc_node *src;
	const char *svc, *res;
	size_t i, j;

	ll = parent_listing(c, "OCI::Logging::Log");
	if (ll == NULL || parent_listing(c, "OCI::Logging::LogGroup") == NULL)
		return 0;
	if (parent_listing(c, "OCI::Logging::LogGroup")->why != NULL &&
	    ll->why == NULL)
		ll = parent_listing(c, "OCI::Logging::LogGroup");
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].type, "OCI::Core::Subnet") != 0)
			continue;
		if (ll->why != NULL) {
			if (set_unreadable(c, &c->v[i], "flow-logs", ll->why) !=
			    0)
				return -1;
			continue;
		}
		if ((seq = src_seq(c->a, &c->v[i].mark)) == NULL)
			return oom(c);
		for (j = 0; j < c->n; j++) {
			if (strcmp(c->v[j].type, "OCI::Logging::Log") != 0)
				continue;
			src = doc_get(
			    doc_get(c->v[j].attrs, "configuration"), "source");
			svc = doc_str(doc_get(src, "service"));
			res = doc_str(doc_get(src, "resource"));
			if (svc != NULL && res != NULL &&
			    strcmp(svc, "flowlogs") == 0 &&
			    strcmp(res, c->v[i].id) == 0 &&
			    doc_seq_push(c->a, seq, c->v[j].attrs) != 0)
				return oom(c);
		}
		if (src_set(c->a, c->v[i].attrs, "flow-logs", seq) != 0)
			return oom(c);
	}
	return 0;
}

/*
 * Add this scope's Events rules to the tenancy-wide rule set.  A rule
 * whose `get` failed keeps its read error in the set (the plugin cannot
 * judge it).
 */
static int
gather_rules(struct ocli *c)
{
	const struct listing *l = parent_listing(c, "OCI::Events::Rule");
	struct doc_node *r, *w;
	size_t i;

	if (l == NULL)
		return 0;
	c->rules_listed = 1;
	if (l->why != NULL && c->rules_why == NULL)
		c->rules_why = l->why;
	if (c->rules == NULL && (c->rules = src_seq(c->a, NULL)) == NULL)
		return oom(c);
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].type, "OCI::Events::Rule") != 0)
			continue;
		r = c->v[i].attrs;
		if (c->v[i].read_error != NULL &&
		    ((r = src_map_clone(c->a, r)) == NULL ||
			(w = src_str(c->a, c->v[i].read_error, &r->mark)) ==
			    NULL ||
			src_set(c->a, r, SRC_READ_ERRORS, w) != 0))
			return oom(c);
		if (doc_seq_push(c->a, c->rules, r) != 0)
			return oom(c);
	}
	return 0;
}

/* The tenancy-wide OCI::Events::RuleSet: {"rules": [...]}, and its listing. */
static int
emit_rule_set(struct ocli *c)
{
	struct resource r;
	struct doc_node *attrs;
	struct mark m = { c->root, 0, 0 };

	if (!c->rules_listed)
		return 0;
	if ((attrs = src_map(c->a, &m)) == NULL ||
	    src_set(c->a, attrs, "rules", c->rules) != 0)
		return oom(c);
	memset(&r, 0, sizeof(r));
	r.type = "OCI::Events::RuleSet";
	r.id = c->tenancy;
	r.account = c->tenancy;
	r.source = c->root;
	r.mark = m;
	r.attrs = attrs;
	r.read_error = c->rules_why;
	r.collected = c->collected;
	OCI_SET_PROVIDER(r);
	c->resources++;
	if (c->fn(c->ctx, &r, c->a) != 0)
		return -1;
	r.id = NULL;
	r.attrs = NULL;
	r.listing = 1;
	return c->fn(c->ctx, &r, c->a);
}

static int
emit_scope(struct ocli *c)
{
	struct resource r;
	struct mark m;
	size_t i;

	for (i = 0; i < c->n; i++) {
		memset(&r, 0, sizeof(r));
		r.type = c->v[i].type;
		r.id = c->v[i].id;
		r.region = c->region;
		r.account = c->tenancy;
		r.source = c->v[i].source;
		r.mark = c->v[i].mark;
		r.attrs = c->v[i].attrs;
		r.read_error = c->v[i].read_error;
		r.unreadable = c->v[i].unread;
		r.collected = c->collected;
		OCI_SET_PROVIDER(r);
		c->resources++;
		if (c->fn(c->ctx, &r, c->a) != 0)
			return -1;
	}
	for (i = 0; i < c->nl; i++) {
		memset(&r, 0, sizeof(r));
		m.file = c->l[i].source;
		m.line = 0;
		m.col = 0;
		r.type = c->l[i].type;
		r.region = c->region;
		r.account = c->tenancy;
		r.source = c->l[i].source;
		r.mark = m;
		r.listing = 1;
		r.read_error = c->l[i].why;
		r.collected = c->collected;
		OCI_SET_PROVIDER(r);
		if (c->fn(c->ctx, &r, c->a) != 0)
			return -1;
	}
	return 0;
}

/* Every call of one scope: the root (region NULL) or a region folder. */
static int
read_scope(struct ocli *c, const char *region, const char *dir, int root)
{
	const struct call *l;
	const struct listing *pl;
	const char **keys;
	size_t i, nkeys;

	c->region = region;
	c->dir = dir;
	c->n = c->nl = 0;
	for (i = 0; i < NCALLS; i++) {
		l = &calls[i];
		if (!l->regional && !root)
			continue;
		if (l->attr != NULL) {
			if (read_join(c, l) != 0)
				return -1;
			continue;
		}
		keys = c->comps;
		nkeys = c->ncomps;
		if (l->scope == CALL_PER_PARENT &&
		    parent_keys(c, l, &keys, &nkeys) != 0)
			return -1;
		if (read_listing(c, l, keys, nkeys) != 0)
			return -1;
		/*
		 * No parent in a complete parent listing: provably no
		 * child, whether or not the child folder exists.
		 */
		if (l->scope == CALL_PER_PARENT && nkeys == 0 &&
		    (pl = parent_listing(c, l->parent)) != NULL &&
		    pl->why == NULL &&
		    listed(c, l->type, NULL, pl->source) != 0)
			return -1;
		/* Children of an incomplete parent listing are incomplete. */
		if (l->scope == CALL_PER_PARENT &&
		    (pl = parent_listing(c, l->parent)) != NULL &&
		    pl->why != NULL && parent_listing(c, l->type) != NULL &&
		    listed(c, l->type, pl->why, pl->source) != 0)
			return -1;
	}
	if (join_flow_logs(c) != 0 || gather_rules(c) != 0)
		return -1;
	return emit_scope(c);
}

/*
 * iam/compartment-list.json: the tenancy (the root compartment, listed
 * with --include-root, or the parent of a top-level compartment) and
 * every active compartment, each of which per-compartment calls must
 * have a file for.
 */
static int
read_compartments(struct ocli *c)
{
	const char *path, *id, *st, *parent;
	struct resp r;
	const struct doc_node *e;
	size_t i, n;

	path = arena_printf(c->a, "%s/iam/compartment-list.json", c->root);
	if (path == NULL)
		return oom(c);
	if (read_resp(c, path, NULL, 1, &r) != 0)
		return -1;
	if (r.kind != RESP_OK || r.why != NULL)
		return diag_err(c->d, NULL,
		    "%s: the compartment list is needed to tell whether the "
		    "per-compartment listings are complete",
		    r.kind == RESP_MISSING
			? arena_printf(c->a, "'%s' is missing", path)
			: r.why);
	n = r.data->u.seq.n;
	if ((c->comps = arena_alloc(c->a, (n + 1) * sizeof(*c->comps))) == NULL)
		return oom(c);
	for (i = 0; i < n; i++) {
		e = r.data->u.seq.items[i];
		id = doc_str(doc_get(e, "id"));
		parent = doc_str(doc_get(e, "compartment-id"));
		if (oci_is_tenancy(id))
			c->tenancy = id;
		else if (c->tenancy == NULL && oci_is_tenancy(parent))
			c->tenancy = parent;
	}
	if (c->tenancy == NULL)
		return diag_err(c->d, &r.mark,
		    "'%s' names no tenancy (list with --include-root)", path);
	c->comps[c->ncomps++] = c->tenancy;
	for (i = 0; i < n; i++) {
		e = r.data->u.seq.items[i];
		id = doc_str(doc_get(e, "id"));
		st = doc_str(doc_get(e, "lifecycle-state"));
		if (id == NULL || strcmp(id, c->tenancy) == 0)
			continue;
		if (st != NULL && strcmp(st, "ACTIVE") != 0)
			continue;
		c->comps[c->ncomps++] = id;
	}
	return 0;
}

/* rampart-collection.json: {"started": RFC 3339} as collect-oci.sh writes. */
static int
read_collection(struct ocli *c)
{
	struct doc_node *doc;
	const struct doc_node *v;
	struct time_error te;
	const char *path;
	struct stat st;

	path = arena_printf(c->a, "%s/%s", c->root, COLLECTION_FILE);
	if (path == NULL)
		return oom(c);
	if (stat(path, &st) != 0)
		return 0;
	if ((doc = doc_load_one(c->a, c->d, path, DOC_FMT_JSON, c->lim)) ==
	    NULL)
		return -1;
	v = doc_get(doc, "started");
	if (v == NULL || v->type != DOC_STRING)
		return diag_err(c->d, &doc->mark,
		    "'started' must be the RFC 3339 time the collection began");
	if (time_parse(v->str, v->len, TIME_DATETIME, &c->collected, &te) == -1)
		return diag_err(
		    c->d, &v->mark, "'started' ('%s'): %s", v->str, te.why);
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The region folders of the root, sorted (reproducible order). */
static int
regions(struct ocli *c, const char ***out, size_t *n)
{
	DIR *dp;
	struct dirent *de;
	const char **v = NULL, **nv;
	size_t cap = 0;

	*n = 0;
	if ((dp = opendir(c->root)) == NULL)
		return diag_errno(
		    c->d, NULL, errno, "cannot read directory '%s'", c->root);
	while ((de = readdir(dp)) != NULL) {
		if (!src_is_region(de->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			nv = arena_realloc(
			    c->a, v, *n * sizeof(*v), cap * sizeof(*v));
			if (nv == NULL) {
				closedir(dp);
				return oom(c);
			}
			v = nv;
		}
		if ((v[*n] = arena_strdup(c->a, de->d_name)) == NULL) {
			closedir(dp);
			return oom(c);
		}
		(*n)++;
	}
	closedir(dp);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), name_cmp);
	*out = v;
	return 0;
}

static int
ocli_detect(const char *path, int is_dir, const char *head, size_t len)
{
	char p[PATH_MAX];
	struct stat st;

	(void)head;
	(void)len;
	if (!is_dir)
		return 0;
	if (snprintf(p, sizeof(p), "%s/iam/compartment-list.json", path) <
		(int)sizeof(p) &&
	    stat(p, &st) == 0)
		return 60;
	return 0;
}

static int
ocli_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	struct ocli c;
	const char **regs = NULL, *dir;
	size_t nregs = 0, i;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.d = d;
	c.lim = lim;
	c.root = path;
	c.fn = fn;
	c.ctx = ctx;
	if ((c.a = arena_new()) == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto out;
	}
	if (read_collection(&c) != 0 || read_compartments(&c) != 0 ||
	    regions(&c, &regs, &nregs) != 0)
		goto out;
	if (read_scope(&c, NULL, path, 1) != 0)
		goto out;
	for (i = 0; i < nregs; i++) {
		if ((dir = arena_printf(c.a, "%s/%s", path, regs[i])) == NULL) {
			oom(&c);
			goto out;
		}
		if (read_scope(&c, regs[i], dir, 0) != 0)
			goto out;
	}
	if (emit_rule_set(&c) != 0)
		goto out;
	rc = 0;
out:
	if (nresources != NULL)
		*nresources = c.resources;
	arena_free(c.a);
	return rc;
}

const struct adapter adapter_oci_cli = {
	.name = "oci-cli",
	.summary = "a directory of OCI CLI outputs (scripts/collect-oci.sh)",
	.detect = ocli_detect,
	.read = ocli_read,
};
