/*
 * k8s.c: the "kubernetes" adapter.  Kubernetes objects from
 * `kubectl get ... -A -o json` (`kind: List`, each item with its own kind),
 * raw API lists (`kind: PodList`, items without kind), single objects, and
 * directories of manifests (YAML, multi-document, and JSON), recursively.
 *
 * Each object becomes a resource of type K8s::<Group>::<Kind>, id
 * Kind/namespace/name (cluster-scoped kinds: Kind/name), whose attributes
 * are the object as kubectl prints it, plus the joins the checks need
 * (docs/resources.md, "Kubernetes"):
 *
 *   PodSpec          workloads: the pod spec at spec, spec.template.spec
 *                    or spec.jobTemplate.spec.template.spec
 *   NetworkPolicies  Namespace: the namespace's NetworkPolicy objects,
 *                    present only when the input lists NetworkPolicies
 *   Role             RoleBinding, ClusterRoleBinding: the role the binding
 *                    refers to, when the input holds it
 *   ServiceAccount   workloads: the service account the pods run as, when
 *                    the input holds it
 *
 * The joins need the whole input, so an input is held in memory while it
 * is read (a cluster dump is megabytes): every file is loaded into the
 * read's arena and the objects are emitted once the input has been read
 * to its end.
 * Secret values (data, stringData, the last-applied annotation) are
 * replaced by "(redacted)" before anything can print them.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

#include "checks/k8s/k8s.h"
#include "checks/sources/sources.h"

/* Files read from one directory, at most (a bound on a runaway tree). */
#define K8S_MAX_FILES 100000
#define K8S_MAX_DEPTH 16

struct k8s_obj {
	const char *type; /* K8s::Apps::Deployment */
	const char *kind; /* Deployment */
	const char *ns; /* NULL: cluster-scoped */
	const char *name;
	const char *id;
	const char *source;
	struct doc_node *doc; /* in the read's arena */
	int manifest; /* an authored manifest, not a List item */
};

/* A listing a List or a manifest set gives of one type. */
struct k8s_listing {
	const char *type;
	const char *source;
	struct mark mark;
	const char *error; /* NULL: complete */
};

struct k8s_read {
	struct diag *d;
	const char *path;
	resource_fn fn;
	void *ctx;
	struct arena *a; /* the whole read */
	struct load_limits lim; /* for the files of a directory */
	struct k8s_obj *obj;
	size_t nobj, capobj;
	struct k8s_obj **idx; /* obj sorted by kind, namespace, name */
	struct k8s_listing *lst;
	size_t nlst, caplst;
	size_t emitted, files;
	const char *file; /* the file being read (interned) */
};

/* Kinds whose group is fixed whatever apiVersion says (old extensions). */
static const struct {
	const char *kind;
	const char *group;
	int cluster; /* cluster-scoped */
} k8s_kinds[] = {
	{ "APIService", "Apiregistration", 1 },
	{ "CSIDriver", "Storage", 1 },
	{ "CertificateSigningRequest", "Certificates", 1 },
	{ "ClusterRole", "Rbac", 1 },
	{ "ClusterRoleBinding", "Rbac", 1 },
	{ "ComponentStatus", "Core", 1 },
	{ "ConfigMap", "Core", 0 },
	{ "ControllerRevision", "Apps", 0 },
	{ "CronJob", "Batch", 0 },
	{ "CustomResourceDefinition", "Apiextensions", 1 },
	{ "DaemonSet", "Apps", 0 },
	{ "Deployment", "Apps", 0 },
	{ "Endpoints", "Core", 0 },
	{ "Event", "Core", 0 },
	{ "Ingress", "Networking", 0 },
	{ "IngressClass", "Networking", 1 },
	{ "Job", "Batch", 0 },
	{ "LimitRange", "Core", 0 },
	{ "MutatingWebhookConfiguration", "Admissionregistration", 1 },
	{ "Namespace", "Core", 1 },
	{ "NetworkPolicy", "Networking", 0 },
	{ "Node", "Core", 1 },
	{ "PersistentVolume", "Core", 1 },
	{ "PersistentVolumeClaim", "Core", 0 },
	{ "Pod", "Core", 0 },
	{ "PodDisruptionBudget", "Policy", 0 },
	{ "PodSecurityPolicy", "Policy", 1 },
	{ "PodTemplate", "Core", 0 },
	{ "PriorityClass", "Scheduling", 1 },
	{ "ReplicaSet", "Apps", 0 },
	{ "ReplicationController", "Core", 0 },
	{ "ResourceQuota", "Core", 0 },
	{ "Role", "Rbac", 0 },
	{ "RoleBinding", "Rbac", 0 },
	{ "RuntimeClass", "Node", 1 },
	{ "Secret", "Core", 0 },
	{ "Service", "Core", 0 },
	{ "ServiceAccount", "Core", 0 },
	{ "StatefulSet", "Apps", 0 },
	{ "StorageClass", "Storage", 1 },
	{ "ValidatingWebhookConfiguration", "Admissionregistration", 1 },
};

#define K8S_NKINDS (sizeof(k8s_kinds) / sizeof(k8s_kinds[0]))

/*
 * Kinds that carry a pod template, and where: a manifest set that holds
 * one of them is the complete intended set of all of them (it deploys no
 * DaemonSet when it holds none).
 */
static const struct {
	const char *type;
	const char *path[5]; /* keys from the object to the pod spec */
} k8s_workloads[] = {
	{ "K8s::Apps::DaemonSet", { "spec", "template", "spec" } },
	{ "K8s::Apps::Deployment", { "spec", "template", "spec" } },
	{ "K8s::Apps::ReplicaSet", { "spec", "template", "spec" } },
	{ "K8s::Apps::StatefulSet", { "spec", "template", "spec" } },
	{ "K8s::Batch::CronJob",
	    { "spec", "jobTemplate", "spec", "template", "spec" } },
	{ "K8s::Batch::Job", { "spec", "template", "spec" } },
	{ "K8s::Core::Pod", { "spec" } },
	{ "K8s::Core::PodTemplate", { "template", "spec" } },
	{ "K8s::Core::ReplicationController", { "spec", "template", "spec" } },
};

#define K8S_NWORKLOADS (sizeof(k8s_workloads) / sizeof(k8s_workloads[0]))

/* The RBAC kinds: a manifest set with one of them lists all four. */
static const char *const k8s_rbac_types[] = {
	"K8s::Rbac::ClusterRole",
	"K8s::Rbac::ClusterRoleBinding",
	"K8s::Rbac::Role",
	"K8s::Rbac::RoleBinding",
};

#define K8S_NRBAC (sizeof(k8s_rbac_types) / sizeof(k8s_rbac_types[0]))

static int
kind_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/* The fixed group and scope of a well-known kind, or NULL. */
static const char *
known_group(const char *kind, int *cluster)
{
	const void *p = bsearch(
	    kind, k8s_kinds, K8S_NKINDS, sizeof(k8s_kinds[0]), kind_cmp);
	size_t i;

	if (p == NULL)
		return NULL;
	i = (size_t)((const char *)p - (const char *)k8s_kinds) /
	    sizeof(k8s_kinds[0]);
	*cluster = k8s_kinds[i].cluster;
	return k8s_kinds[i].group;
}

/*
 * The group name of an apiVersion: "v1" -> Core, "apps/v1" -> Apps,
 * "cert-manager.io/v1" -> CertManager (first DNS label, camel-cased).
 */
static const char *
group_of(struct arena *a, const char *apiversion)
{
	const char *slash = strchr(apiversion, '/'), *p;
	struct strbuf sb;
	char *g;
	int up = 1;

	if (slash == NULL)
		return "Core";
	sb_init(&sb);
	for (p = apiversion; p < slash && *p != '.'; p++) {
		if (*p == '-' || *p == '_') {
			up = 1;
			continue;
		}
		sb_addc(&sb,
		    up ? (char)toupper((unsigned char)*p)
		       : (char)tolower((unsigned char)*p));
		up = 0;
	}
	g = sb.s != NULL && !sb.oom ? arena_strdup(a, sb.s) : NULL;
	sb_free(&sb);
	return g;
}

/* Whether a pod-template kind: its index in k8s_workloads, or -1. */
static int
workload_index(const char *type)
{
	size_t i;

	for (i = 0; i < K8S_NWORKLOADS; i++)
		if (strcmp(k8s_workloads[i].type, type) == 0)
			return (int)i;
	return -1;
}

static int
oom(struct k8s_read *x, const struct mark *m)
{
	return diag_sys(x->d, m, "out of memory");
}

/* Record that the input lists type (error NULL) or lists it in part. */
static int
add_listing(struct k8s_read *x, const char *type, const struct mark *m,
    const char *error)
{
	struct k8s_listing *v;
	size_t i;

	for (i = 0; i < x->nlst; i++)
		if (strcmp(x->lst[i].type, type) == 0) {
			if (error != NULL && x->lst[i].error == NULL) {
				x->lst[i].error = error;
				x->lst[i].mark = *m;
			}
			return 0;
		}
	if (x->nlst == x->caplst) {
		size_t cap = x->caplst ? 2 * x->caplst : 16;

		if ((v = arena_realloc(x->a, x->lst, x->caplst * sizeof(*v),
			 cap * sizeof(*v))) == NULL)
			return oom(x, m);
		x->lst = v;
		x->caplst = cap;
	}
	x->lst[x->nlst].type = type;
	x->lst[x->nlst].source = x->file;
	x->lst[x->nlst].mark = *m;
	x->lst[x->nlst].error = error;
	x->nlst++;
	return 0;
}

static const struct k8s_listing *
listing_of(const struct k8s_read *x, const char *type)
{
	size_t i;

	for (i = 0; i < x->nlst; i++)
		if (strcmp(x->lst[i].type, type) == 0)
			return &x->lst[i];
	return NULL;
}

/* Replace every value of the map at key by "(redacted)". */
static int
redact_map(struct arena *a, struct doc_node *map)
{
	struct doc_node *v;
	size_t i;

	if (map == NULL)
		return 0;
	if (map->type != DOC_MAP) {
		/* Not a map: nothing of it may show either. */
		return 0;
	}
	for (i = 0; i < map->u.map.n; i++) {
		v = map->u.map.pairs[i].val;
		if ((map->u.map.pairs[i].val =
			    src_str(a, K8S_REDACTED, &v->mark)) == NULL)
			return -1;
	}
	return 0;
}

/*
 * A Secret's values never reach evidence: data and stringData values and
 * kubectl's last-applied-configuration annotation (which repeats them)
 * become "(redacted)"; a data or stringData that is no map is replaced
 * whole.
 */
static int
redact_secret(struct arena *a, struct doc_node *obj)
{
	static const char *const keys[] = { "data", "stringData" };
	struct doc_node *v, *ann;
	size_t i, k;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < obj->u.map.n; i++) {
			if (strcmp(obj->u.map.pairs[i].key->str, keys[k]) != 0)
				continue;
			v = obj->u.map.pairs[i].val;
			if (v->type == DOC_MAP) {
				if (redact_map(a, v) != 0)
					return -1;
			} else if ((obj->u.map.pairs[i].val = src_str(
					a, K8S_REDACTED, &v->mark)) == NULL) {
				return -1;
			}
		}
	}
	ann = doc_get(doc_get(obj, "metadata"), "annotations");
	if (ann != NULL && ann->type == DOC_MAP)
		for (i = 0; i < ann->u.map.n; i++)
			if (strcmp(ann->u.map.pairs[i].key->str,
				"kubectl.kubernetes.io/"
				"last-applied-configuration") == 0 &&
			    (ann->u.map.pairs[i].val = src_str(a, K8S_REDACTED,
				 &ann->u.map.pairs[i].val->mark)) == NULL)
				return -1;
	return 0;
}

/*
 * One object: item of a List (list_kind/list_api give the kind and
 * apiVersion of a raw API list's items, which lack them), or a whole
 * document.  The object stays in the read's arena; its top-level map is
 * copied (a raw API list's item gains its kind there).
 */
static int
add_object(struct k8s_read *x, const struct doc_node *item,
    const char *list_kind, const char *list_api)
{
	const struct doc_node *md;
	struct k8s_obj *o, *v;
	const char *kind, *api, *name, *ns, *group, *gen;
	int cluster = 0;

	if (item->type != DOC_MAP)
		return diag_err(x->d, &item->mark,
		    "expected a Kubernetes object, found %s",
		    doc_type_name(item->type));
	kind = doc_str(doc_get(item, "kind"));
	api = doc_str(doc_get(item, "apiVersion"));
	if (kind == NULL)
		kind = list_kind;
	if (api == NULL)
		api = list_api;
	if (kind == NULL || *kind == '\0' || api == NULL || *api == '\0')
		return diag_err(x->d, &item->mark,
		    "not a Kubernetes object: 'kind' and 'apiVersion' must be "
		    "non-empty strings");
	md = doc_get(item, "metadata");
	name = doc_str(doc_get(md, "name"));
	gen = doc_str(doc_get(md, "generateName"));
	if ((name == NULL || *name == '\0') && gen != NULL && *gen != '\0' &&
	    (name = arena_printf(x->a, "%s*", gen)) == NULL)
		return oom(x, &item->mark);
	if (name == NULL || *name == '\0')
		return diag_err(x->d, &item->mark,
		    "%s object without 'metadata.name'", kind);
	if ((group = known_group(kind, &cluster)) == NULL) {
		group = group_of(x->a, api);
		cluster = doc_get(md, "namespace") == NULL;
	}
	ns = doc_str(doc_get(md, "namespace"));
	if (doc_get(md, "namespace") != NULL && ns == NULL &&
	    doc_get(md, "namespace")->type != DOC_NULL)
		return diag_err(x->d, &doc_get(md, "namespace")->mark,
		    "%s '%s': 'metadata.namespace' is not a string", kind,
		    name);
	if (!cluster && (ns == NULL || *ns == '\0'))
		ns = "default"; /* where kubectl applies it without -n */
	if (cluster)
		ns = NULL;
	if (x->nobj == x->capobj) {
		size_t cap = x->capobj ? 2 * x->capobj : 64;

		if ((v = arena_realloc(x->a, x->obj, x->capobj * sizeof(*v),
			 cap * sizeof(*v))) == NULL)
			return oom(x, &item->mark);
		x->obj = v;
		x->capobj = cap;
	}
	o = &x->obj[x->nobj];
	memset(o, 0, sizeof(*o));
	o->kind = arena_strdup(x->a, kind);
	o->name = arena_strdup(x->a, name);
	o->ns = ns != NULL ? arena_strdup(x->a, ns) : NULL;
	o->type = group != NULL ? arena_printf(x->a, "K8s::%s::%s", group, kind)
				: NULL;
	o->id = ns != NULL ? arena_printf(x->a, "%s/%s/%s", kind, ns, name)
			   : arena_printf(x->a, "%s/%s", kind, name);
	o->source = x->file;
	/* A shallow copy: the item's own map may gain its kind below. */
	o->doc = src_map_clone(x->a, item);
	if (o->kind == NULL || o->name == NULL || (ns != NULL && !o->ns) ||
	    o->type == NULL || o->id == NULL || o->doc == NULL)
		return oom(x, &item->mark);
	if (doc_get(item, "kind") == NULL) {
		struct doc_node *k = src_str(x->a, kind, &item->mark);

		if (k == NULL || src_set(x->a, o->doc, "kind", k) != 0)
			return oom(x, &item->mark);
	}
	if (strcmp(kind, "Secret") == 0 && redact_secret(x->a, o->doc) != 0)
		return oom(x, &item->mark);
	x->nobj++;
	return 0;
}

/* Why a list is incomplete (a continue token left), or NULL. */
static const char *
list_incomplete(struct k8s_read *x, const struct doc_node *doc)
{
	const struct doc_node *md = doc_get(doc, "metadata");
	const struct doc_node *cont = doc_get(md, "continue");
	const struct doc_node *rem = doc_get(md, "remainingItemCount");

	if (cont != NULL && (cont->type != DOC_STRING || cont->len > 0))
		return arena_printf(x->a,
		    "'metadata.continue' is set at %s:%u:%u: more pages follow "
		    "(list without --chunk-size=0, or the API's limit)",
		    cont->mark.file, cont->mark.line, cont->mark.col);
	if (rem != NULL && !(rem->type == DOC_INT && rem->u.i == 0))
		return arena_printf(x->a,
		    "'metadata.remainingItemCount' is set at %s:%u:%u: more "
		    "items follow",
		    rem->mark.file, rem->mark.line, rem->mark.col);
	return NULL;
}

/*
 * A List (kubectl's `kind: List`) or a raw API list (`kind: PodList`): the
 * complete listing of the kinds it holds (an API list: of its own kind,
 * even empty); a continue token makes it an incomplete one.
 */
static int
add_list(struct k8s_read *x, const struct doc_node *doc, const char *kind)
{
	const struct doc_node *items = doc_get(doc, "items");
	const char *api = doc_str(doc_get(doc, "apiVersion"));
	const char *why = list_incomplete(x, doc), *ikind = NULL;
	size_t i, first = x->nobj;
	char *k;

	if (items == NULL || items->type != DOC_SEQ)
		return diag_err(
		    x->d, &doc->mark, "'%s' without an 'items' list", kind);
	if (strcmp(kind, "List") != 0) {
		if ((k = arena_strndup(x->a, kind, strlen(kind) - 4)) == NULL)
			return oom(x, &doc->mark);
		ikind = k;
	}
	for (i = 0; i < items->u.seq.n; i++) {
		if (items->u.seq.items[i]->type == DOC_NULL) {
			/* An empty item holds no object: said, not hidden. */
			diag_warn(x->d, &items->u.seq.items[i]->mark,
			    "skipped an empty (null) item of the list");
			continue;
		}
		if (add_object(x, items->u.seq.items[i], ikind, api) != 0)
			return -1;
		/* An authored List (no uid) is a set of manifests too. */
		x->obj[x->nobj - 1].manifest =
		    doc_get(doc_get(items->u.seq.items[i], "metadata"),
			"uid") == NULL;
	}
	if (ikind != NULL) {
		/* The list's own kind is listed even when empty. */
		int cl = 0;
		const char *g = known_group(ikind, &cl);
		const char *t;

		if (g == NULL && api != NULL)
			g = group_of(x->a, api);
		if (g == NULL ||
		    (t = arena_printf(x->a, "K8s::%s::%s", g, ikind)) == NULL)
			return oom(x, &doc->mark);
		if (add_listing(x, t, &doc->mark, why) != 0)
			return -1;
	}
	for (i = first; i < x->nobj; i++)
		if (add_listing(x, x->obj[i].type, &doc->mark, why) != 0)
			return -1;
	if (why != NULL && ikind == NULL && first == x->nobj)
		return diag_err(x->d, &doc->mark,
		    "a List page without items and with more pages to "
		    "follow: %s",
		    why);
	return 0;
}

/* Whether kind names a list: "List" or "<Kind>List" with items. */
static int
is_list(const struct doc_node *doc, const char *kind)
{
	size_t n = strlen(kind);

	return strcmp(kind, "List") == 0 ||
	    (n > 4 && strcmp(kind + n - 4, "List") == 0 &&
		doc_get(doc, "items") != NULL);
}

/* One document of a file. */
static int
k8s_doc(struct k8s_read *x, struct doc_node *doc)
{
	const char *kind, *api;

	if (doc->type == DOC_NULL)
		return 0; /* an empty document between two `---` */
	kind = doc_str(doc_get(doc, "kind"));
	api = doc_str(doc_get(doc, "apiVersion"));
	if (doc->type == DOC_MAP && kind != NULL && api != NULL &&
	    strncmp(api, "kustomize.config.k8s.io/", 24) == 0)
		return diag_err(x->d, &doc->mark,
		    "a kustomization is not what gets applied: render it "
		    "with 'kubectl kustomize DIR > out.yaml' and scan the "
		    "output");
	if (doc->type == DOC_MAP && kind != NULL && is_list(doc, kind))
		return add_list(x, doc, kind);
	if (add_object(x, doc, NULL, NULL) != 0)
		return -1;
	/*
	 * An object fetched from a cluster (metadata.uid) is one object,
	 * not a listing; an authored manifest is part of the intended set.
	 */
	x->obj[x->nobj - 1].manifest =
	    doc_get(doc_get(doc, "metadata"), "uid") == NULL;
	return 0;
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcasecmp(s + n - m, suf) == 0;
}

static int
is_manifest_name(const char *name)
{
	return has_suffix(name, ".yaml") || has_suffix(name, ".yml") ||
	    has_suffix(name, ".json");
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_dir(struct k8s_read *x, const char *dir, int depth);

/*
 * Load a file's documents straight into the read's arena (the joins need
 * every object until the end, and a copy would double the memory).
 */
static int
read_file(struct k8s_read *x, const char *path, const struct load_limits *lim)
{
	struct doc_node **docs;
	size_t n, i;

	if ((x->file = arena_strdup(x->a, path)) == NULL)
		return oom(x, NULL);
	x->files++;
	if (doc_load_file(x->a, x->d, path, DOC_FMT_AUTO, lim, &docs, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (k8s_doc(x, docs[i]) != 0)
			return -1;
	return 0;
}

/* One entry of a directory: a subdirectory, a manifest, or skipped. */
static int
read_entry(struct k8s_read *x, const char *path, const char *name, int depth)
{
	struct mark m = { x->path, 0, 0 };
	struct stat st;

	if (lstat(path, &st) == -1)
		return diag_err(x->d, &m, "cannot stat '%s'", path);
	if (S_ISLNK(st.st_mode)) {
		if (stat(path, &st) == -1)
			return diag_err(
			    x->d, &m, "'%s' is a dangling symbolic link", path);
		if (S_ISDIR(st.st_mode))
			return diag_warn(x->d, &m,
			    "skipped '%s': a symbolic link to a directory",
			    path);
	}
	if (S_ISDIR(st.st_mode))
		return read_dir(x, path, depth + 1);
	if (!S_ISREG(st.st_mode))
		return diag_err(
		    x->d, &m, "'%s' is neither a file nor a directory", path);
	if (!is_manifest_name(name))
		return diag_warn(x->d, &m,
		    "skipped '%s': not a .yaml, .yml or .json manifest", path);
	if (x->files >= K8S_MAX_FILES)
		return diag_err(x->d, &m,
		    "more than %d manifest files under '%s'", K8S_MAX_FILES,
		    x->path);
	return read_file(x, path, &x->lim);
}

static int
read_dir(struct k8s_read *x, const char *dir, int depth)
{
	struct mark m = { x->path, 0, 0 };
	char **names = NULL, **nv, *sub;
	struct dirent *de;
	size_t n = 0, i;
	int rc = 0;
	DIR *dp;

	if (depth > K8S_MAX_DEPTH)
		return diag_err(x->d, &m, "directory '%s' nests too deep", dir);
	if ((dp = opendir(dir)) == NULL)
		return diag_err(x->d, &m, "cannot open directory '%s'", dir);
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((nv = arena_realloc(x->a, names, n * sizeof(*nv),
			 (n + 1) * sizeof(*nv))) == NULL ||
		    (nv[n] = arena_strdup(x->a, de->d_name)) == NULL) {
			rc = oom(x, &m);
			break;
		}
		names = nv;
		n++;
	}
	closedir(dp);
	if (rc != 0)
		return rc;
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		if ((sub = arena_printf(x->a, "%s/%s", dir, names[i])) == NULL)
			return oom(x, &m);
		rc = read_entry(x, sub, names[i], depth);
	}
	return rc;
}

/* ------------------------------------------------------------- emitting */

static struct doc_node *
pod_spec_of(const struct k8s_obj *o)
{
	const struct doc_node *n = o->doc;
	int w = workload_index(o->type);
	size_t i;

	if (w < 0)
		return NULL;
	for (i = 0; i < 5 && k8s_workloads[w].path[i] != NULL; i++)
		n = doc_get(n, k8s_workloads[w].path[i]);
	return (struct doc_node *)n;
}

/* Order of objects by kind, namespace (cluster-scoped first), name. */
static int
obj_key_cmp(
    const char *kind, const char *ns, const char *name, const struct k8s_obj *o)
{
	int c;

	if ((c = strcmp(kind, o->kind)) != 0)
		return c;
	if (ns == NULL || o->ns == NULL) {
		if (ns != o->ns)
			return ns == NULL ? -1 : 1;
	} else if ((c = strcmp(ns, o->ns)) != 0) {
		return c;
	}
	return name != NULL ? strcmp(name, o->name) : 0;
}

static int
obj_cmp(const void *a, const void *b)
{
	const struct k8s_obj *x = *(const struct k8s_obj *const *)a;
	const struct k8s_obj *y = *(const struct k8s_obj *const *)b;
	int c = obj_key_cmp(x->kind, x->ns, x->name, y);

	/* Equal keys keep input order, so the last is kubectl's winner. */
	if (c == 0)
		c = x < y ? -1 : x > y;
	return c;
}

/* Sort the index once every object has been read.  0 or -1. */
static int
index_objects(struct k8s_read *x)
{
	size_t i;

	if (x->nobj == 0)
		return 0;
	if ((x->idx = arena_alloc(x->a, x->nobj * sizeof(*x->idx))) == NULL)
		return oom(x, NULL);
	for (i = 0; i < x->nobj; i++)
		x->idx[i] = &x->obj[i];
	qsort(x->idx, x->nobj, sizeof(*x->idx), obj_cmp);
	return 0;
}

/*
 * The objects of kind in ns (NULL: cluster-scoped) named name (NULL: any
 * name), in input order: x->idx[*lo .. *hi).
 */
static void
obj_range(const struct k8s_read *x, const char *kind, const char *ns,
    const char *name, size_t *lo, size_t *hi)
{
	size_t l = 0, h = x->nobj, m;

	while (l < h) {
		m = l + (h - l) / 2;
		if (obj_key_cmp(kind, ns, name, x->idx[m]) > 0)
			l = m + 1;
		else
			h = m;
	}
	*lo = l;
	for (h = l; h < x->nobj && obj_key_cmp(kind, ns, name, x->idx[h]) == 0;
	     h++)
		;
	*hi = h;
}

/*
 * The role a binding refers to.  Defined more than once (two manifests),
 * the union of the definitions' rules stands for it: a wildcard in any
 * one of them is seen, so a duplicate can never hide one.
 */
static struct doc_node *
role_of(struct k8s_read *x, const struct k8s_obj *binding)
{
	const struct doc_node *ref = doc_get(binding->doc, "roleRef"), *rules;
	const char *rkind = doc_str(doc_get(ref, "kind"));
	const char *rname = doc_str(doc_get(ref, "name"));
	struct doc_node *role, *all;
	size_t lo, hi, i, j;

	if (rkind == NULL || rname == NULL)
		return NULL;
	obj_range(x, rkind, strcmp(rkind, "Role") == 0 ? binding->ns : NULL,
	    rname, &lo, &hi);
	if (hi - lo <= 1)
		return lo < hi ? x->idx[lo]->doc : NULL;
	if ((role = src_map_clone(x->a, x->idx[hi - 1]->doc)) == NULL ||
	    (all = src_seq(x->a, &role->mark)) == NULL ||
	    src_set(x->a, role, "rules", all) != 0)
		return NULL;
	for (i = lo; i < hi; i++) {
		rules = doc_get(x->idx[i]->doc, "rules");
		if (rules == NULL || rules->type != DOC_SEQ) {
			/* An unreadable definition keeps the union unreadable. */
			if (rules != NULL &&
			    src_set(
				x->a, role, "rules", (struct doc_node *)rules))
				return NULL;
			if (rules != NULL)
				return role;
			continue;
		}
		for (j = 0; j < rules->u.seq.n; j++)
			if (doc_seq_push(x->a, all, rules->u.seq.items[j]) != 0)
				return NULL;
	}
	return role;
}

/*
 * The ServiceAccount a pod template runs as (serviceAccountName, the
 * deprecated serviceAccount, else "default"), when the input holds it;
 * the last definition when there are several, as kubectl keeps.
 */
static struct doc_node *
sa_of(const struct k8s_read *x, const struct k8s_obj *o,
    const struct doc_node *spec)
{
	const char *name = doc_str(doc_get(spec, "serviceAccountName"));
	size_t lo, hi;

	if (name == NULL || *name == '\0')
		name = doc_str(doc_get(spec, "serviceAccount"));
	if (name == NULL || *name == '\0')
		name = "default";
	if (o->ns == NULL)
		return NULL;
	obj_range(x, "ServiceAccount", o->ns, name, &lo, &hi);
	return lo < hi ? x->idx[hi - 1]->doc : NULL;
}

/* The attributes of o: the object plus its joins; NULL: out of memory. */
static struct doc_node *
attrs_of(struct k8s_read *x, const struct k8s_obj *o)
{
	const struct k8s_listing *np;
	struct doc_node *attrs, *spec, *seq, *role, *sa;
	size_t lo, hi, i;

	if ((attrs = src_map_clone(x->a, o->doc)) == NULL)
		return NULL;
	if ((spec = pod_spec_of(o)) != NULL &&
	    src_set(x->a, attrs, K8S_POD_SPEC, spec) != 0)
		return NULL;
	if (spec != NULL && (sa = sa_of(x, o, spec)) != NULL &&
	    src_set(x->a, attrs, K8S_SERVICE_ACCOUNT, sa) != 0)
		return NULL;
	if (strcmp(o->type, "K8s::Core::Namespace") == 0 &&
	    (np = listing_of(x, "K8s::Networking::NetworkPolicy")) != NULL &&
	    np->error == NULL) {
		if ((seq = src_seq(x->a, &o->doc->mark)) == NULL)
			return NULL;
		obj_range(x, "NetworkPolicy", o->name, NULL, &lo, &hi);
		for (i = lo; i < hi; i++)
			if (doc_seq_push(x->a, seq, x->idx[i]->doc) != 0)
				return NULL;
		if (src_set(x->a, attrs, K8S_NETWORK_POLICIES, seq) != 0)
			return NULL;
	}
	if (strcmp(o->type, "K8s::Rbac::RoleBinding") == 0 ||
	    strcmp(o->type, "K8s::Rbac::ClusterRoleBinding") == 0) {
		role = role_of(x, o);
		if (role != NULL && src_set(x->a, attrs, K8S_ROLE, role) != 0)
			return NULL;
	}
	return attrs;
}

static int
emit(struct k8s_read *x, struct resource *r)
{
	struct arena *scratch;
	int rc;

	/*
	 * The engine allocates while it evaluates: a scratch arena per
	 * resource keeps that from piling up in the read's arena.
	 */
	if ((scratch = arena_new()) == NULL)
		return oom(x, &r->mark);
	rc = x->fn(x->ctx, r, scratch);
	arena_free(scratch);
	return rc;
}

static int
emit_object(struct k8s_read *x, const struct k8s_obj *o)
{
	struct resource r;

	memset(&r, 0, sizeof(r));
	r.type = o->type;
	r.id = o->id;
	r.source = o->source;
	r.mark = o->doc->mark;
	K8S_SET_PLACEMENT(&r, o->ns);
	if ((r.attrs = attrs_of(x, o)) == NULL)
		return oom(x, &r.mark);
	x->emitted++;
	return emit(x, &r);
}

/*
 * A namespace that objects of the input live in, missing from the
 * input's own listing of namespaces: its labels are unknown, so it is a
 * resource that every namespace check reports as `error`.
 */
static int
emit_missing_namespaces(struct k8s_read *x)
{
	const struct k8s_listing *nl;
	struct resource r;
	const char **seen = NULL, **v;
	size_t i, j, n = 0, lo, hi;

	nl = listing_of(x, "K8s::Core::Namespace");
	if (nl == NULL || nl->error != NULL)
		return 0;
	for (i = 0; i < x->nobj; i++) {
		const char *ns = x->obj[i].ns;

		if (ns == NULL)
			continue;
		obj_range(x, "Namespace", NULL, ns, &lo, &hi);
		if (lo < hi)
			continue;
		for (j = 0; j < n && strcmp(seen[j], ns) != 0; j++)
			;
		if (j < n)
			continue;
		if ((v = arena_realloc(x->a, seen, n * sizeof(*v),
			 (n + 1) * sizeof(*v))) == NULL)
			return oom(x, NULL);
		seen = v;
		seen[n++] = ns;
		memset(&r, 0, sizeof(r));
		r.type = "K8s::Core::Namespace";
		r.id = arena_printf(x->a, "Namespace/%s", ns);
		r.source = x->obj[i].source;
		r.mark = x->obj[i].doc->mark;
		r.read_error = arena_printf(x->a,
		    "namespace '%s' holds %s but the input's namespaces do "
		    "not include it: its labels and policies are unknown",
		    ns, x->obj[i].id);
		if (r.id == NULL || r.read_error == NULL ||
		    (r.attrs = src_map(x->a, &r.mark)) == NULL)
			return oom(x, NULL);
		K8S_SET_PLACEMENT(&r, ns);
		x->emitted++;
		if (emit(x, &r) != 0)
			return -1;
	}
	return 0;
}

/*
 * Objects read outside any List are authored manifests: the complete
 * intended set of the kinds they hold; and of the whole family when they
 * hold a workload kind or an RBAC kind (docs/kubernetes.md).
 */
static int
manifest_listings(struct k8s_read *x)
{
	struct mark m = { x->path, 0, 0 };
	int work = 0, rbac = 0;
	size_t i, j;

	for (i = 0; i < x->nobj; i++) {
		if (!x->obj[i].manifest)
			continue;
		x->file = x->obj[i].source;
		if (add_listing(x, x->obj[i].type, &m, NULL) != 0)
			return -1;
		if (workload_index(x->obj[i].type) >= 0)
			work = 1;
		for (j = 0; j < K8S_NRBAC; j++)
			if (strcmp(x->obj[i].type, k8s_rbac_types[j]) == 0)
				rbac = 1;
	}
	for (i = 0; work && i < K8S_NWORKLOADS; i++)
		if (add_listing(x, k8s_workloads[i].type, &m, NULL) != 0)
			return -1;
	for (i = 0; rbac && i < K8S_NRBAC; i++)
		if (add_listing(x, k8s_rbac_types[i], &m, NULL) != 0)
			return -1;
	return 0;
}

/*
 * The same object twice (two manifests, or a List and a manifest): both
 * are evaluated, so neither hides the other; kubectl would keep the last.
 */
static void
warn_duplicates(struct k8s_read *x)
{
	const struct k8s_obj *a, *b;
	size_t i, warned = 0;

	for (i = 1; i < x->nobj && warned < 10; i++) {
		a = x->idx[i - 1];
		b = x->idx[i];
		if (obj_key_cmp(a->kind, a->ns, a->name, b) != 0)
			continue;
		diag_warn(x->d, &b->doc->mark,
		    "'%s' is also defined at %s:%u:%u; both are evaluated",
		    b->id, a->doc->mark.file, a->doc->mark.line,
		    a->doc->mark.col);
		warned++;
	}
}

static int
emit_all(struct k8s_read *x)
{
	struct resource r;
	size_t i;

	if (index_objects(x) != 0)
		return -1;
	warn_duplicates(x);
	if (manifest_listings(x) != 0)
		return -1;
	for (i = 0; i < x->nobj; i++)
		if (emit_object(x, &x->obj[i]) != 0)
			return -1;
	if (emit_missing_namespaces(x) != 0)
		return -1;
	for (i = 0; i < x->nlst; i++) {
		memset(&r, 0, sizeof(r));
		r.listing = 1;
		r.type = x->lst[i].type;
		r.source =
		    x->lst[i].source != NULL ? x->lst[i].source : x->path;
		r.mark = x->lst[i].mark;
		r.read_error = x->lst[i].error;
		K8S_SET_PLACEMENT(&r, NULL);
		if (emit(x, &r) != 0)
			return -1;
	}
	return 0;
}

/* --------------------------------------------------------------- adapter */

/*
 * Whether v (n bytes) is a Kubernetes API version: "v1", "apps/v1",
 * "batch/v1beta1", "cert-manager.io/v1alpha2"; not an Azure Resource
 * Manager date ("2021-04-01"), which also sits under "apiVersion".
 */
static int
is_api_version(const char *v, size_t n)
{
	const char *slash = memchr(v, '/', n), *p, *e = v + n;

	p = slash != NULL ? slash + 1 : v;
	if (slash == v || p >= e || *p++ != 'v' || p >= e ||
	    !isdigit((unsigned char)*p))
		return 0;
	while (p < e && isdigit((unsigned char)*p))
		p++;
	if (p < e &&
	    (strncmp(p, "alpha", 5) == 0 || strncmp(p, "beta", 4) == 0)) {
		p += *p == 'a' ? 5 : 4;
		if (p >= e || !isdigit((unsigned char)*p))
			return 0;
		while (p < e && isdigit((unsigned char)*p))
			p++;
	}
	return p == e;
}

/*
 * Whether head shows a Kubernetes object: an apiVersion key (JSON or
 * YAML) whose value is a Kubernetes API version, and a kind key.
 */
static int
head_is_k8s(const char *head, size_t len)
{
	const char *p = head, *v, *end = head + len;
	size_t n;
	int api = 0;

	while (!api && (p = strstr(p, "apiVersion")) != NULL) {
		v = p + 10;
		if (v < end && *v == '"')
			v++;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		p = v;
		if (v >= end || *v++ != ':')
			continue;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		if (v < end && (*v == '"' || *v == '\''))
			v++;
		for (n = 0; v + n < end &&
		     (isalnum((unsigned char)v[n]) || v[n] == '/' ||
			 v[n] == '.' || v[n] == '-');
		     n++)
			;
		api = is_api_version(v, n);
	}
	if (!api)
		return 0;
	return src_has_key(head, len, "kind") ||
	    strncmp(head, "kind:", 5) == 0 || strstr(head, "\nkind:") != NULL ||
	    strstr(head, " kind:") != NULL;
}

/* Whether a directory holds a manifest (depth-bounded, name-sorted). */
static int
dir_has_manifest(const char *dir, int depth, int *budget)
{
	char path[4096], head[4097];
	struct dirent *de;
	struct stat st;
	FILE *fp;
	size_t n;
	int found = 0;
	DIR *dp;

	if (depth > 4 || (dp = opendir(dir)) == NULL)
		return 0;
	while (!found && *budget > 0 && (de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		(*budget)--;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
			de->d_name) >= sizeof(path) ||
		    stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			found = dir_has_manifest(path, depth + 1, budget);
			continue;
		}
		if (!S_ISREG(st.st_mode) || !is_manifest_name(de->d_name) ||
		    (fp = fopen(path, "r")) == NULL)
			continue;
		n = fread(head, 1, sizeof(head) - 1, fp);
		fclose(fp);
		head[n] = '\0';
		found = head_is_k8s(head, n);
	}
	closedir(dp);
	return found;
}

static int
k8s_detect(const char *path, int is_dir, const char *head, size_t len)
{
	int budget = 200;

	if (is_dir)
		return dir_has_manifest(path, 0, &budget) ? 45 : 0;
	if (head == NULL || !head_is_k8s(head, len))
		return 0;
	return 75;
}

static int
k8s_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	struct k8s_read x;
	struct mark m = { path, 0, 0 };
	struct load_limits ol;
	struct input own, *in;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	memset(&own, 0, sizeof(own));
	x.d = d;
	x.path = path;
	x.fn = fn;
	x.ctx = ctx;
	if ((x.a = arena_new()) == NULL) {
		diag_sys(d, &m, "out of memory");
		goto out;
	}
	if (lim != NULL)
		x.lim = *lim;
	else
		load_limits_default(&x.lim);
	/* The input is read once, through the caller's descriptor. */
	if ((in = input_of(lim, path)) == NULL) {
		if (input_open(d, path, &own) == -1)
			goto out;
		in = &own;
	}
	if (in->is_dir) {
		x.lim.input = NULL;
		x.lim.digest = NULL;
		rc = read_dir(&x, path, 0);
		if (rc == 0 && x.nobj == 0 && x.nlst == 0)
			rc = diag_err(
			    d, &m, "no Kubernetes manifest under '%s'", path);
	} else {
		ol = x.lim;
		ol.input = in;
		rc = read_file(&x, path, &ol);
	}
	if (rc == 0)
		rc = emit_all(&x);
out:
	if (nresources != NULL)
		*nresources = x.emitted;
	arena_free(x.a);
	input_close(&own);
	return rc;
}

const struct adapter adapter_k8s = {
	.name = "kubernetes",
	.summary = "Kubernetes: kubectl get -A -o json (List), API lists, "
		   "objects, manifest directories (YAML, JSON)",
	.detect = k8s_detect,
	.read = k8s_read,
	.max_dir_score = 45,
};
