/*
 * k8s_cluster.c: checks of cluster-wide Kubernetes objects: RBAC, the
 * namespaces, service accounts and the kube-apiserver's flags.
 *
 * Parameter `check` selects one of:
 *
 *   rbac_broad_admin      RoleBinding, ClusterRoleBinding: no binding gives
 *                         cluster-admin or a wildcard role (verbs or
 *                         resources "*") to a broad subject
 *                         (system:authenticated, system:unauthenticated,
 *                         system:anonymous, system:serviceaccounts, all
 *                         service accounts of a namespace); the role is
 *                         the adapter's join (attribute Role), absent:
 *                         `error`
 *   rbac_wildcard_role    Role, ClusterRole: no rule grants "*" verbs or
 *                         resources (the built-in cluster-admin is
 *                         `not_applicable`: its bindings are the check)
 *   namespace_psa         Namespace: label
 *                         pod-security.kubernetes.io/enforce is one of
 *                         parameter `levels`
 *   namespace_default_deny Namespace: a NetworkPolicy selects every pod
 *                         (empty podSelector), has policy type Ingress and
 *                         no ingress rule; without the input's listing of
 *                         NetworkPolicies (attribute NetworkPolicies):
 *                         `error`
 *   default_sa_automount  ServiceAccount "default": automountServiceAccount
 *                         Token is false (others: not_applicable)
 *   apiserver_audit       the kube-apiserver Pod: --audit-policy-file and
 *                         --audit-log-path (or --audit-webhook-config-file)
 *   apiserver_encryption  --encryption-provider-config
 *   apiserver_anonymous   --anonymous-auth=false
 *   apiserver_authz       --authorization-mode set, without AlwaysAllow
 *   apiserver_tls         --tls-min-version at least parameter
 *                         `min_version`; --tls-cipher-suites, when set,
 *                         only TLS 1.2 ECDHE AES-GCM and TLS 1.3 AES-GCM
 *
 * The apiserver checks read a Pod whose container runs kube-apiserver
 * (command or args, in kube-system); every other Pod is not_applicable.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "checks/k8s/k8s.h"

/* -------------------------------------------------------------- RBAC */

/* Why subject s is broad, or NULL. */
static const char *
broad_subject(struct arena *a, const struct doc_node *s)
{
	const char *kind = doc_str(doc_get(s, "kind"));
	const char *name = doc_str(doc_get(s, "name"));

	if (kind == NULL || name == NULL)
		return NULL;
	if (strcmp(kind, "Group") == 0 &&
	    (strcmp(name, "system:authenticated") == 0 ||
		strcmp(name, "system:unauthenticated") == 0 ||
		strcmp(name, "system:serviceaccounts") == 0))
		return arena_printf(a, "group '%s'", name);
	if (strcmp(kind, "Group") == 0 &&
	    strncmp(name, "system:serviceaccounts:", 23) == 0)
		return arena_printf(a,
		    "group '%s' (every service account of namespace '%s')",
		    name, name + 23);
	if (strcmp(kind, "User") == 0 && strcmp(name, "system:anonymous") == 0)
		return arena_printf(a, "user '%s'", name);
	return NULL;
}

/*
 * Whether the list at key of rule holds "*": 1, 0, or -1 when it is not
 * a list of strings.
 */
static int
has_star(const struct doc_node *rule, const char *key)
{
	const struct doc_node *l = doc_get(rule, key);
	const char *s;
	size_t i;

	if (l == NULL)
		return 0;
	if (l->type != DOC_SEQ)
		return -1;
	for (i = 0; i < l->u.seq.n; i++) {
		if ((s = doc_str(l->u.seq.items[i])) == NULL)
			return -1;
		if (strcmp(s, "*") == 0)
			return 1;
	}
	return 0;
}

/*
 * Whether role grants a wildcard: 1 (rule index in *at), 0, -1 (rules
 * unreadable: why in *why).
 */
static int
role_wildcard(struct check_ctx *c, const struct doc_node *role,
    const char *path, size_t *at, const char **why)
{
	struct arena *a = check_arena(c);
	const struct doc_node *rules = doc_get(role, "rules"), *r;
	size_t i;
	int v, res;

	k8s_evidence(c, rules, "%s.rules", path);
	if (rules == NULL || (rules->type == DOC_SEQ && rules->u.seq.n == 0)) {
		if (doc_get(role, "aggregationRule") != NULL) {
			*why = "an aggregated ClusterRole whose rules the "
			       "input does not show";
			return -1;
		}
		return 0;
	}
	if (rules->type != DOC_SEQ) {
		*why = "'rules' is not a list";
		return -1;
	}
	for (i = 0; i < rules->u.seq.n; i++) {
		r = rules->u.seq.items[i];
		v = has_star(r, "verbs");
		res = has_star(r, "resources");
		if (v < 0 || res < 0 || r->type != DOC_MAP) {
			*why = arena_printf(a,
			    "rule %zu: verbs or resources is not a list of "
			    "strings",
			    i);
			return -1;
		}
		if (v || res) {
			*at = i;
			return 1;
		}
	}
	return 0;
}

static int
rbac_broad_admin(struct check_ctx *c, const struct resource *r)
{
	struct arena *a = check_arena(c);
	const struct doc_node *subj, *ref, *role;
	const char *who = NULL, *w, *rkind, *rname, *why = NULL;
	size_t i, at = 0;
	int wc;

	subj = doc_get(r->attrs, "subjects");
	check_evidence(c, "subjects", subj);
	if (subj == NULL)
		return check_emit(
		    c, r, ST_PASS, "'%s' binds no subject", r->id);
	if (subj->type != DOC_SEQ)
		return check_emit(
		    c, r, ST_ERROR, "'%s': 'subjects' is not a list", r->id);
	for (i = 0; i < subj->u.seq.n && who == NULL; i++)
		if ((w = broad_subject(a, subj->u.seq.items[i])) != NULL)
			who = w;
	if (who == NULL)
		return check_emit(c, r, ST_PASS,
		    "'%s' binds no broad subject (all authenticated, "
		    "unauthenticated or anonymous users, all service "
		    "accounts)",
		    r->id);
	ref = doc_get(r->attrs, "roleRef");
	check_evidence(c, "roleRef", ref);
	rkind = doc_str(doc_get(ref, "kind"));
	rname = doc_str(doc_get(ref, "name"));
	if (rkind == NULL || rname == NULL)
		return check_emit(c, r, ST_ERROR,
		    "'%s': roleRef has no kind and name", r->id);
	if (strcmp(rkind, "ClusterRole") == 0 &&
	    strcmp(rname, "cluster-admin") == 0)
		return check_emit(c, r, ST_FAIL,
		    "'%s' gives cluster-admin to %s", r->id, who);
	role = doc_get(r->attrs, K8S_ROLE);
	if (role == NULL)
		return check_emit(c, r, ST_ERROR,
		    "'%s' binds %s to %s '%s', which is not in the input: "
		    "what it grants is unknown",
		    r->id, who, rkind, rname);
	wc = role_wildcard(c, role, K8S_ROLE, &at, &why);
	if (wc < 0)
		return check_emit(c, r, ST_ERROR, "'%s': %s '%s': %s", r->id,
		    rkind, rname, why);
	if (wc > 0)
		return check_emit(c, r, ST_FAIL,
		    "'%s' gives %s '%s' (rule %zu grants \"*\") to %s", r->id,
		    rkind, rname, at, who);
	return check_emit(c, r, ST_PASS,
	    "'%s' binds %s to %s '%s', which grants no wildcard", r->id, who,
	    rkind, rname);
}

static int
rbac_wildcard_role(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *md = doc_get(r->attrs, "metadata");
	const char *name = doc_str(doc_get(md, "name"));
	const char *boot = doc_str(
	    doc_get(doc_get(md, "labels"), "kubernetes.io/bootstrapping"));
	const char *kind = doc_str(doc_get(r->attrs, "kind"));
	const char *why = NULL;
	size_t at = 0;
	int wc;

	/*
	 * The API server recreates its default roles at every start
	 * (label kubernetes.io/bootstrapping: rbac-defaults): cluster-admin
	 * and the system: roles of its own controllers cannot be narrowed,
	 * only withheld; who holds them is the binding check's question.
	 */
	if (kind != NULL && strcmp(kind, "ClusterRole") == 0 && name != NULL &&
	    (strcmp(name, "cluster-admin") == 0 ||
		strncmp(name, "system:", 7) == 0) &&
	    boot != NULL && strcmp(boot, "rbac-defaults") == 0)
		return check_emit(c, r, ST_NOT_APPLICABLE,
		    "'%s' is a built-in role the API server reconciles; who "
		    "holds it is checked by k8s-rbac-broad-admin-binding",
		    r->id);
	wc = role_wildcard(c, r->attrs, "", &at, &why);
	if (wc < 0)
		return check_emit(c, r, ST_ERROR, "'%s': %s", r->id, why);
	if (wc > 0)
		return check_emit(c, r, ST_FAIL,
		    "'%s': rule %zu grants \"*\" verbs or resources", r->id,
		    at);
	return check_emit(
	    c, r, ST_PASS, "'%s' grants no wildcard verb or resource", r->id);
}

/* ---------------------------------------------------------- namespaces */

static int
namespace_psa(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *labels, *v, *levels;
	const char *s, *l;
	size_t i;

	labels = doc_get(doc_get(r->attrs, "metadata"), "labels");
	v = doc_get(labels, "pod-security.kubernetes.io/enforce");
	check_evidence(
	    c, "metadata.labels[\"pod-security.kubernetes.io/enforce\"]", v);
	levels = check_param(c, "levels");
	if (levels == NULL || levels->type != DOC_SEQ)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'levels' is not a list of levels");
	if (v == NULL)
		return check_emit(c, r, ST_FAIL,
		    "'%s' has no pod-security.kubernetes.io/enforce label "
		    "(the cluster's default level applies, privileged "
		    "unless configured)",
		    r->id);
	if ((s = doc_str(v)) == NULL)
		return check_emit(c, r, ST_ERROR,
		    "'%s': the enforce label is not a string", r->id);
	for (i = 0; i < levels->u.seq.n; i++)
		if ((l = doc_str(levels->u.seq.items[i])) != NULL &&
		    strcmp(l, s) == 0)
			return check_emit(c, r, ST_PASS,
			    "'%s' enforces Pod Security level '%s'", r->id, s);
	return check_emit(c, r, ST_FAIL,
	    "'%s' enforces Pod Security level '%s', not an allowed one", r->id,
	    s);
}

/* Whether a podSelector selects every pod: 1, 0, -1 (bad shape). */
static int
selects_all(const struct doc_node *sel)
{
	const struct doc_node *ml, *me;
	size_t i;

	if (sel == NULL || sel->type == DOC_NULL)
		return 1; /* the API defaults an absent selector to {} */
	if (sel->type != DOC_MAP)
		return -1;
	for (i = 0; i < sel->u.map.n; i++) {
		const char *k = sel->u.map.pairs[i].key->str;

		if (strcmp(k, "matchLabels") != 0 &&
		    strcmp(k, "matchExpressions") != 0)
			return -1;
	}
	ml = doc_get(sel, "matchLabels");
	me = doc_get(sel, "matchExpressions");
	if (ml != NULL && ml->type != DOC_NULL &&
	    !(ml->type == DOC_MAP && ml->u.map.n == 0))
		return ml->type == DOC_MAP ? 0 : -1;
	if (me != NULL && me->type != DOC_NULL &&
	    !(me->type == DOC_SEQ && me->u.seq.n == 0))
		return me->type == DOC_SEQ ? 0 : -1;
	return 1;
}

/* Whether policy p denies all ingress to every pod: 1, 0, -1. */
static int
default_deny(const struct doc_node *p)
{
	const struct doc_node *spec = doc_get(p, "spec"), *types, *ing;
	const char *t;
	size_t i;
	int all, ingress = 0;

	if (spec == NULL || spec->type != DOC_MAP)
		return -1;
	if ((all = selects_all(doc_get(spec, "podSelector"))) != 1)
		return all;
	types = doc_get(spec, "policyTypes");
	ing = doc_get(spec, "ingress");
	if (types == NULL) {
		ingress = 1; /* Ingress is always implied without types */
	} else if (types->type != DOC_SEQ) {
		return -1;
	} else {
		for (i = 0; i < types->u.seq.n; i++) {
			if ((t = doc_str(types->u.seq.items[i])) == NULL)
				return -1;
			if (strcmp(t, "Ingress") == 0)
				ingress = 1;
		}
	}
	if (!ingress)
		return 0;
	/* Any ingress rule, even `- {}`, allows something (`{}`: all). */
	if (ing == NULL || ing->type == DOC_NULL)
		return 1;
	if (ing->type != DOC_SEQ)
		return -1;
	return ing->u.seq.n == 0;
}

/*
 * Whether policy p allows all ingress to every pod (an ingress rule with
 * no `from` and no `ports`): policies add up, so such a policy undoes any
 * default-deny beside it.  1, 0, or -1 (unreadable).
 */
static int
allows_all(const struct doc_node *p)
{
	const struct doc_node *spec = doc_get(p, "spec"), *ing, *rule, *v;
	size_t i;
	int all;

	if (spec == NULL || spec->type != DOC_MAP)
		return -1;
	if ((all = selects_all(doc_get(spec, "podSelector"))) != 1)
		return all;
	ing = doc_get(spec, "ingress");
	if (ing == NULL || ing->type == DOC_NULL)
		return 0;
	if (ing->type != DOC_SEQ)
		return -1;
	for (i = 0; i < ing->u.seq.n; i++) {
		rule = ing->u.seq.items[i];
		if (rule->type == DOC_NULL)
			return 1;
		if (rule->type != DOC_MAP)
			return -1;
		v = doc_get(rule, "from");
		if (v != NULL && v->type != DOC_NULL &&
		    !(v->type == DOC_SEQ && v->u.seq.n == 0))
			continue;
		v = doc_get(rule, "ports");
		if (v != NULL && v->type != DOC_NULL &&
		    !(v->type == DOC_SEQ && v->u.seq.n == 0))
			continue;
		return 1;
	}
	return 0;
}

static int
namespace_default_deny(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *pols = doc_get(r->attrs, K8S_NETWORK_POLICIES);
	const struct doc_node *p;
	const char *pname, *deny = NULL;
	size_t i, denyat = 0;
	int bad = 0, baddeny = 0;

	if (pols == NULL || pols->type != DOC_SEQ) {
		check_evidence(c, K8S_NETWORK_POLICIES, NULL);
		return check_emit(c, r, ST_ERROR,
		    "'%s': the input does not list NetworkPolicies, so "
		    "whether one denies ingress by default is unknown "
		    "(export networkpolicies with the namespaces)",
		    r->id);
	}
	for (i = 0; i < pols->u.seq.n; i++) {
		p = pols->u.seq.items[i];
		pname = doc_str(doc_get(doc_get(p, "metadata"), "name"));
		if (pname == NULL)
			pname = "?";
		/* Policies add up: an allow-all undoes any default deny. */
		switch (allows_all(p)) {
		case 1:
			k8s_evidence(c, doc_get(p, "spec"), "%s[%zu].spec",
			    K8S_NETWORK_POLICIES, i);
			return check_emit(c, r, ST_FAIL,
			    "'%s': NetworkPolicy '%s' allows all ingress to "
			    "every pod, which undoes any default deny",
			    r->id, pname);
		case -1:
			bad++;
			continue;
		}
		switch (deny == NULL ? default_deny(p) : 0) {
		case 1:
			deny = pname;
			denyat = i;
			break;
		case -1:
			baddeny++;
			break;
		}
	}
	check_evidence(c, K8S_NETWORK_POLICIES, pols);
	if (bad > 0)
		return check_emit(c, r, ST_ERROR,
		    "'%s': %d NetworkPolicy spec(s) could not be read: one "
		    "may allow all ingress",
		    r->id, bad);
	if (deny == NULL && baddeny > 0)
		return check_emit(c, r, ST_ERROR,
		    "'%s': %d NetworkPolicy spec(s) could not be read, and "
		    "no other denies ingress by default",
		    r->id, baddeny);
	if (deny != NULL)
		return check_emit(c, r, ST_PASS,
		    "'%s': NetworkPolicy '%s' (%s[%zu]) denies all ingress by "
		    "default and no policy allows all",
		    r->id, deny, K8S_NETWORK_POLICIES, denyat);
	return check_emit(c, r, ST_FAIL,
	    "'%s' has no default-deny ingress NetworkPolicy (empty "
	    "podSelector, policyTypes Ingress, no ingress rule) among %zu",
	    r->id, pols->u.seq.n);
}

static int
default_sa_automount(struct check_ctx *c, const struct resource *r)
{
	const char *name =
	    doc_str(doc_get(doc_get(r->attrs, "metadata"), "name"));
	const struct doc_node *am =
	    doc_get(r->attrs, "automountServiceAccountToken");

	if (name == NULL || strcmp(name, "default") != 0)
		return check_emit(c, r, ST_NOT_APPLICABLE,
		    "'%s' is not a namespace's default service account", r->id);
	check_evidence(c, "automountServiceAccountToken", am);
	switch (k8s_bool(am)) {
	case 0:
		return check_emit(c, r, ST_PASS,
		    "'%s' does not mount its token into pods", r->id);
	case -2:
		return check_emit(c, r, ST_ERROR,
		    "'%s': automountServiceAccountToken is not a boolean",
		    r->id);
	default:
		return check_emit(c, r, ST_FAIL,
		    "'%s' mounts its API token into every pod that does "
		    "not opt out (automountServiceAccountToken not false)",
		    r->id);
	}
}

/* ------------------------------------------------------- kube-apiserver */

#define MAX_ARGS 512

/* The arguments of an apiserver container, split as the shell would. */
struct args {
	const char *v[MAX_ARGS];
	const struct doc_node *node[MAX_ARGS];
	size_t n;
};

static int
args_add(struct arena *a, struct args *x, const struct doc_node *item)
{
	const char *s = doc_str(item), *p, *e;

	if (s == NULL)
		return 0;
	/* A shell command line in one item: split on blanks. */
	for (p = s; *p != '\0' && x->n < MAX_ARGS;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && !isspace((unsigned char)*e); e++)
			;
		if ((x->v[x->n] = arena_strndup(a, p, (size_t)(e - p))) == NULL)
			return -1;
		x->node[x->n++] = item;
		p = e;
	}
	return 0;
}

static int
is_apiserver_word(const char *s)
{
	const char *b = strrchr(s, '/');

	return strcmp(b != NULL ? b + 1 : s, "kube-apiserver") == 0;
}

/*
 * The kube-apiserver container of a Pod (its arguments in *x), or NULL
 * when the Pod runs none, or when memory ran out (*oom set).
 */
static const struct doc_node *
apiserver_container(
    struct check_ctx *c, const struct resource *r, struct args *x, int *oom)
{
	struct arena *a = check_arena(c);
	const struct doc_node *spec = doc_get(r->attrs, K8S_POD_SPEC);
	const struct doc_node *ctrs = doc_get(spec, "containers"), *ctr, *l;
	size_t i, j, k;
	static const char *const keys[] = { "command", "args" };

	if (ctrs == NULL || ctrs->type != DOC_SEQ)
		return NULL;
	for (i = 0; i < ctrs->u.seq.n; i++) {
		ctr = ctrs->u.seq.items[i];
		x->n = 0;
		for (k = 0; k < 2; k++) {
			l = doc_get(ctr, keys[k]);
			for (j = 0;
			     l != NULL && l->type == DOC_SEQ && j < l->u.seq.n;
			     j++)
				if (args_add(a, x, l->u.seq.items[j]) != 0) {
					*oom = 1;
					return NULL;
				}
		}
		for (j = 0; j < x->n; j++)
			if (x->v[j] != NULL && is_apiserver_word(x->v[j]))
				return ctr;
	}
	return NULL;
}

/*
 * The value of --name (last one wins, as pflag does): "--name=value", or
 * "--name value" for flags that take a value.  NULL when absent; *node
 * gets the item it came from.
 */
static const char *
flag(struct check_ctx *c, const struct args *x, const char *name,
    int takes_value)
{
	const char *val = NULL;
	const struct doc_node *from = NULL;
	size_t i, n = strlen(name);

	for (i = 0; i < x->n; i++) {
		const char *s = x->v[i];

		if (s == NULL || strncmp(s, "--", 2) != 0 ||
		    strncmp(s + 2, name, n) != 0)
			continue;
		if (s[2 + n] == '=') {
			val = s + 3 + n;
			from = x->node[i];
		} else if (s[2 + n] == '\0') {
			from = x->node[i];
			if (takes_value && i + 1 < x->n &&
			    x->v[i + 1] != NULL &&
			    strncmp(x->v[i + 1], "--", 2) != 0)
				val = x->v[++i];
			else
				val = takes_value ? "" : "true";
		}
	}
	k8s_evidence(c, from, "kube-apiserver --%s", name);
	return val;
}

/*
 * A Pod that runs no kube-apiserver is not_applicable, unless it says it
 * is one (label component: kube-apiserver, as kubeadm and minikube
 * write): then its command is unreadable (a wrapper script, an image
 * entrypoint) and its flags unknown, which is `error`.
 */
static int
not_apiserver(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *comp = doc_get(
	    doc_get(doc_get(r->attrs, "metadata"), "labels"), "component");
	const char *v = doc_str(comp);

	if (v != NULL && strcmp(v, "kube-apiserver") == 0) {
		check_evidence(c, "metadata.labels.component", comp);
		return check_emit(c, r, ST_ERROR,
		    "'%s' is labelled component: kube-apiserver but no "
		    "container's command or args runs kube-apiserver: its "
		    "flags are unknown",
		    r->id);
	}
	return check_emit(
	    c, r, ST_NOT_APPLICABLE, "'%s' does not run kube-apiserver", r->id);
}

static int
apiserver_flags(
    struct check_ctx *c, const struct resource *r, const char *which)
{
	struct arena *a = check_arena(c);
	struct args *x = arena_alloc(a, sizeof(*x));
	const char *v, *w;
	int oom = 0;

	if (x == NULL)
		return diag_sys(check_diag(c), NULL, "out of memory");
	if (apiserver_container(c, r, x, &oom) == NULL)
		return oom ? diag_sys(check_diag(c), NULL, "out of memory")
			   : not_apiserver(c, r);
	if (strcmp(which, "apiserver_audit") == 0) {
		v = flag(c, x, "audit-policy-file", 1);
		w = flag(c, x, "audit-log-path", 1);
		if (w == NULL || *w == '\0')
			w = flag(c, x, "audit-webhook-config-file", 1);
		if (v == NULL || *v == '\0')
			return check_emit(c, r, ST_FAIL,
			    "'%s': kube-apiserver has no --audit-policy-file "
			    "(no audit events are recorded without a policy)",
			    r->id);
		if (w == NULL || *w == '\0')
			return check_emit(c, r, ST_FAIL,
			    "'%s': kube-apiserver has no audit backend "
			    "(--audit-log-path or --audit-webhook-config-file)",
			    r->id);
		return check_emit(c, r, ST_PASS,
		    "'%s': audit policy '%s', audit log '%s'", r->id, v, w);
	}
	if (strcmp(which, "apiserver_encryption") == 0) {
		v = flag(c, x, "encryption-provider-config", 1);
		if (v == NULL || *v == '\0')
			return check_emit(c, r, ST_FAIL,
			    "'%s': kube-apiserver has no "
			    "--encryption-provider-config: Secrets are stored "
			    "unencrypted in etcd",
			    r->id);
		return check_emit(c, r, ST_PASS,
		    "'%s': encryption at rest configured by '%s' (its "
		    "providers are not in the input)",
		    r->id, v);
	}
	if (strcmp(which, "apiserver_anonymous") == 0) {
		v = flag(c, x, "anonymous-auth", 0);
		if (v == NULL)
			return check_emit(c, r, ST_FAIL,
			    "'%s': kube-apiserver does not set "
			    "--anonymous-auth=false (it defaults to true)",
			    r->id);
		if (strcasecmp(v, "false") == 0)
			return check_emit(c, r, ST_PASS,
			    "'%s': --anonymous-auth=false", r->id);
		if (strcasecmp(v, "true") == 0)
			return check_emit(c, r, ST_FAIL,
			    "'%s': --anonymous-auth=%s", r->id, v);
		return check_emit(c, r, ST_ERROR,
		    "'%s': --anonymous-auth='%s' is not a boolean", r->id, v);
	}
	/* apiserver_authz */
	v = flag(c, x, "authorization-mode", 1);
	w = flag(c, x, "authorization-config", 1);
	if ((v == NULL || *v == '\0') && w != NULL && *w != '\0')
		return check_emit(c, r, ST_ERROR,
		    "'%s': authorization is configured by file '%s', which "
		    "the input does not hold",
		    r->id, w);
	if (v == NULL || *v == '\0')
		return check_emit(c, r, ST_FAIL,
		    "'%s': kube-apiserver has no --authorization-mode (it "
		    "defaults to AlwaysAllow)",
		    r->id);
	if (strstr(v, "AlwaysAllow") != NULL)
		return check_emit(c, r, ST_FAIL,
		    "'%s': --authorization-mode=%s allows every request", r->id,
		    v);
	return check_emit(
	    c, r, ST_PASS, "'%s': --authorization-mode=%s", r->id, v);
}

/* TLS versions in order, as the flag spells them. */
static int
tls_rank(const char *v)
{
	static const char *const names[] = { "VersionTLS10", "VersionTLS11",
		"VersionTLS12", "VersionTLS13" };
	size_t i;

	for (i = 0; i < 4; i++)
		if (strcmp(v, names[i]) == 0)
			return (int)i;
	return -1;
}

/* Suites that NIST SP 800-52 Rev. 2 allows, as Go names them. */
static int
suite_ok(const char *s)
{
	static const char *const ok[] = {
		"TLS_AES_128_GCM_SHA256",
		"TLS_AES_256_GCM_SHA384",
		"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
		"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
		"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
		"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(s, ok[i]) == 0)
			return 1;
	return 0;
}

static int
apiserver_tls(struct check_ctx *c, const struct resource *r)
{
	struct arena *a = check_arena(c);
	struct args *x = arena_alloc(a, sizeof(*x));
	const char *v, *min, *suites, *p, *e;
	int have, want, oom = 0;

	if (x == NULL)
		return diag_sys(check_diag(c), NULL, "out of memory");
	if (apiserver_container(c, r, x, &oom) == NULL)
		return oom ? diag_sys(check_diag(c), NULL, "out of memory")
			   : not_apiserver(c, r);
	min = doc_str(check_param(c, "min_version"));
	if (min == NULL || (want = tls_rank(min)) < 0)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'min_version' is not VersionTLS10..13");
	v = flag(c, x, "tls-min-version", 1);
	if (v == NULL || *v == '\0')
		return check_emit(c, r, ST_FAIL,
		    "'%s': kube-apiserver does not set --tls-min-version "
		    "(the minimum is then the Go default of its build, TLS "
		    "1.0 before Kubernetes 1.30); set it to %s",
		    r->id, min);
	if ((have = tls_rank(v)) < 0)
		return check_emit(c, r, ST_ERROR,
		    "'%s': unknown --tls-min-version '%s'", r->id, v);
	if (have < want)
		return check_emit(c, r, ST_FAIL,
		    "'%s': --tls-min-version=%s is below %s", r->id, v, min);
	suites = flag(c, x, "tls-cipher-suites", 1);
	for (p = suites; p != NULL && *p != '\0'; p = *e ? e + 1 : e) {
		char *s;

		for (e = p; *e != '\0' && *e != ','; e++)
			;
		if ((s = arena_strndup(a, p, (size_t)(e - p))) == NULL)
			return diag_sys(check_diag(c), NULL, "out of memory");
		if (*s != '\0' && !suite_ok(s))
			return check_emit(c, r, ST_FAIL,
			    "'%s': --tls-cipher-suites allows '%s', which is "
			    "not an approved TLS 1.2 ECDHE AES-GCM suite",
			    r->id, s);
	}
	return check_emit(c, r, ST_PASS, "'%s': --tls-min-version=%s%s", r->id,
	    v, suites != NULL ? " with approved cipher suites" : "");
}

/* -------------------------------------------------------------- plugin */

static int
cluster_evaluate(struct check_ctx *c, const struct resource *r)
{
	const char *w = doc_str(check_param(c, "check"));

	if (w == NULL)
		w = "";
	if (strcmp(w, "rbac_broad_admin") == 0)
		return rbac_broad_admin(c, r);
	if (strcmp(w, "rbac_wildcard_role") == 0)
		return rbac_wildcard_role(c, r);
	if (strcmp(w, "namespace_psa") == 0)
		return namespace_psa(c, r);
	if (strcmp(w, "namespace_default_deny") == 0)
		return namespace_default_deny(c, r);
	if (strcmp(w, "default_sa_automount") == 0)
		return default_sa_automount(c, r);
	if (strcmp(w, "apiserver_tls") == 0)
		return apiserver_tls(c, r);
	if (strcmp(w, "apiserver_audit") == 0 ||
	    strcmp(w, "apiserver_encryption") == 0 ||
	    strcmp(w, "apiserver_anonymous") == 0 ||
	    strcmp(w, "apiserver_authz") == 0)
		return apiserver_flags(c, r, w);
	return check_emit(c, r, ST_ERROR, "k8s_cluster: unknown check '%s'", w);
}

static const char *const cluster_types[] = {
	"K8s::Core::Namespace",
	"K8s::Core::Pod",
	"K8s::Core::ServiceAccount",
	"K8s::Rbac::ClusterRole",
	"K8s::Rbac::ClusterRoleBinding",
	"K8s::Rbac::Role",
	"K8s::Rbac::RoleBinding",
	NULL,
};

static const struct plugin_param cluster_params[] = {
	{ "check", DOC_STRING, NULL,
	    "which check: rbac_broad_admin, rbac_wildcard_role, "
	    "namespace_psa, namespace_default_deny, default_sa_automount, "
	    "apiserver_audit, apiserver_encryption, apiserver_anonymous, "
	    "apiserver_authz, apiserver_tls" },
	{ "levels", DOC_SEQ, "[baseline, restricted]",
	    "namespace_psa: the Pod Security levels a namespace may enforce" },
	{ "min_version", DOC_STRING, "VersionTLS12",
	    "apiserver_tls: the lowest --tls-min-version allowed" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin k8s_cluster_plugin = {
	.name = "k8s_cluster",
	.summary = "Kubernetes RBAC, namespaces, service accounts and "
		   "kube-apiserver flags",
	.resource_types = cluster_types,
	.params = cluster_params,
	.evaluate = cluster_evaluate,
};
