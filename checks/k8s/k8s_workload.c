/*
 * k8s_workload.c: checks of pod templates (Pods and every workload kind,
 * through the adapter's PodSpec attribute).  Every container counts:
 * containers, initContainers and ephemeralContainers alike.
 *
 * Parameter `check` selects one of:
 *
 *   privileged            no container runs privileged
 *   host_namespaces       hostPID, hostIPC and hostNetwork are not true
 *   host_path             no hostPath volume
 *   privilege_escalation  allowPrivilegeEscalation is false on every
 *                         container (unset means true; privileged or
 *                         CAP_SYS_ADMIN imply it whatever it says)
 *   capabilities          every container drops ALL and adds nothing but
 *                         NET_BIND_SERVICE
 *   run_as_non_root       no container runs as root: runAsUser 0 fails,
 *                         runAsUser > 0 or runAsNonRoot true (container,
 *                         else pod level) passes
 *   image_digest          every image is pinned by @sha256:<64 hex>
 *   env_secrets           no env[].value of a variable named like a
 *                         secret (valueFrom is fine)
 *   read_only_root_fs     readOnlyRootFilesystem true on every container
 *   resource_limits       limits for every resource of parameter
 *                         `resources` (ephemeral containers have none)
 *   seccomp               seccompProfile RuntimeDefault or Localhost
 *                         (container, else pod level)
 *   sa_token              the pod does not mount the default service
 *                         account's token (automountServiceAccountToken
 *                         false, or a dedicated service account)
 *
 * A value of the wrong type is `error`, never read as unset.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/k8s/k8s.h"

/* Failing containers named in one message, at most. */
#define MAX_NAMED 3

int
k8s_evidence(
    struct check_ctx *c, const struct doc_node *v, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return diag_err(check_diag(c), NULL, "evidence path too long");
	/* A longer path is cut: it names evidence, it decides nothing. */
	return check_evidence(c, buf, v);
}

int
k8s_bool(const struct doc_node *n)
{
	if (n == NULL)
		return -1;
	if (n->type == DOC_BOOL)
		return n->u.b != 0;
	return -2;
}

const struct doc_node *
k8s_pod_spec(struct check_ctx *c, const struct resource *r, int *emitted)
{
	const struct doc_node *spec = doc_get(r->attrs, K8S_POD_SPEC);

	*emitted = 0;
	if (spec != NULL && spec->type == DOC_MAP)
		return spec;
	check_evidence(c, K8S_POD_SPEC, spec);
	*emitted = 1;
	check_emit(c, r, ST_ERROR,
	    spec == NULL ? "'%s' has no pod template (spec, "
			   "spec.template.spec or "
			   "spec.jobTemplate.spec.template.spec)"
			 : "'%s': the pod spec is not a map",
	    r->id);
	return NULL;
}

static const char *const ctr_lists[] = {
	"containers",
	"initContainers",
	"ephemeralContainers",
};

int
k8s_each_container(struct check_ctx *c, const struct resource *r,
    k8s_container_fn fn, const char *ok)
{
	struct arena *a = check_arena(c);
	const struct doc_node *pod, *l, *ctr;
	const char *why, *name, *path, *label, *firstfail = NULL;
	const char *firsterr = NULL, *named[MAX_NAMED];
	size_t i, j, nfail = 0, nerr = 0, nseen = 0, nna = 0;
	int emitted;
	enum status st;

	if ((pod = k8s_pod_spec(c, r, &emitted)) == NULL)
		return 0;
	for (i = 0; i < 3; i++) {
		l = doc_get(pod, ctr_lists[i]);
		if (l == NULL && i > 0)
			continue;
		if (l == NULL || l->type != DOC_SEQ ||
		    (i == 0 && l->u.seq.n == 0)) {
			k8s_evidence(c, l, "PodSpec.%s", ctr_lists[i]);
			return check_emit(c, r, ST_ERROR, "'%s': '%s' is %s",
			    r->id, ctr_lists[i],
			    l == NULL ? "absent"
				      : (l->type == DOC_SEQ ? "empty"
							    : "not a list"));
		}
		for (j = 0; j < l->u.seq.n; j++) {
			ctr = l->u.seq.items[j];
			path =
			    arena_printf(a, "PodSpec.%s[%zu]", ctr_lists[i], j);
			name = doc_str(doc_get(ctr, "name"));
			label = arena_printf(a, "%s '%s'",
			    i == 0 ? "container"
				   : (i == 1 ? "init container"
					     : "ephemeral container"),
			    name != NULL ? name : "?");
			if (path == NULL || label == NULL)
				return diag_sys(
				    check_diag(c), NULL, "out of memory");
			nseen++;
			why = NULL;
			if (ctr->type != DOC_MAP) {
				st = ST_ERROR;
				why = arena_printf(a, "%s is not a map", path);
			} else {
				st = fn(c, pod, ctr, ctr_lists[i], path, label,
				    &why);
			}
			if (st == ST_FAIL) {
				if (nfail < MAX_NAMED)
					named[nfail] = label;
				if (nfail++ == 0)
					firstfail = why;
			} else if (st == ST_ERROR) {
				if (nerr++ == 0)
					firsterr = why;
			} else if (st == ST_NOT_APPLICABLE) {
				nna++;
			}
		}
	}
	if (nfail > 0)
		return check_emit(c, r, ST_FAIL, "'%s': %s%s", r->id,
		    firstfail != NULL ? firstfail : named[0],
		    nfail > 1 ? arena_printf(a, " (%zu containers fail)", nfail)
			      : "");
	if (nerr > 0)
		return check_emit(c, r, ST_ERROR, "'%s': %s", r->id,
		    firsterr != NULL ? firsterr : "a container errored");
	if (nna == nseen)
		return check_emit(c, r, ST_NOT_APPLICABLE,
		    "'%s': the check applies to none of its containers", r->id);
	return check_emit(c, r, ST_PASS, "'%s': %zu container%s: %s", r->id,
	    nseen - nna, nseen - nna == 1 ? "" : "s", ok);
}

/* ------------------------------------------------------------- helpers */

/* The container's securityContext field, with its evidence path. */
static const struct doc_node *
sc_get(struct check_ctx *c, const struct doc_node *ctr, const char *path,
    const char *key)
{
	const struct doc_node *v =
	    doc_get(doc_get(ctr, "securityContext"), key);

	k8s_evidence(c, v, "%s.securityContext.%s", path, key);
	return v;
}

/* The pod-level securityContext field, with its evidence. */
static const struct doc_node *
podsc_get(struct check_ctx *c, const struct doc_node *pod, const char *key)
{
	const struct doc_node *v =
	    doc_get(doc_get(pod, "securityContext"), key);

	k8s_evidence(c, v, "PodSpec.securityContext.%s", key);
	return v;
}

static enum status
bad_type(struct check_ctx *c, const char *label, const char *what,
    const struct doc_node *v, const char **why)
{
	*why = arena_printf(check_arena(c), "%s: '%s' is a %s, not a boolean",
	    label, what, doc_type_name(v->type));
	return ST_ERROR;
}

/* A capability name upper-cased without its CAP_ prefix, or NULL. */
static const char *
cap_norm(struct arena *a, const struct doc_node *n)
{
	const char *s = doc_str(n);
	char *u;
	size_t i;

	if (s == NULL)
		return NULL;
	if (strncasecmp(s, "CAP_", 4) == 0)
		s += 4;
	if ((u = arena_strdup(a, s)) == NULL)
		return NULL;
	for (i = 0; u[i] != '\0'; i++)
		u[i] = (char)toupper((unsigned char)u[i]);
	return u;
}

/* ----------------------------------------------------- container checks */

static enum status
c_privileged(struct check_ctx *c, const struct doc_node *pod,
    const struct doc_node *ctr, const char *list, const char *path,
    const char *label, const char **why)
{
	const struct doc_node *v = sc_get(c, ctr, path, "privileged");

	(void)pod;
	(void)list;
	switch (k8s_bool(v)) {
	case 1:
		*why =
		    arena_printf(check_arena(c), "%s runs privileged", label);
		return ST_FAIL;
	case -2:
		return bad_type(c, label, "privileged", v, why);
	default:
		return ST_PASS;
	}
}

/* Whether the container adds CAP_SYS_ADMIN: 1, 0, or -1 (bad shape). */
static int
adds_sys_admin(struct check_ctx *c, const struct doc_node *ctr)
{
	const struct doc_node *add = doc_get(
	    doc_get(doc_get(ctr, "securityContext"), "capabilities"), "add");
	const char *n;
	size_t i;

	if (add == NULL)
		return 0;
	if (add->type != DOC_SEQ)
		return -1;
	for (i = 0; i < add->u.seq.n; i++) {
		if ((n = cap_norm(check_arena(c), add->u.seq.items[i])) == NULL)
			return -1;
		if (strcmp(n, "SYS_ADMIN") == 0 || strcmp(n, "ALL") == 0)
			return 1;
	}
	return 0;
}

static enum status
c_escalation(struct check_ctx *c, const struct doc_node *pod,
    const struct doc_node *ctr, const char *list, const char *path,
    const char *label, const char **why)
{
	struct arena *a = check_arena(c);
	const struct doc_node *v, *p;
	int sa;

	(void)pod;
	(void)list;
	p = sc_get(c, ctr, path, "privileged");
	v = sc_get(c, ctr, path, "allowPrivilegeEscalation");
	if (k8s_bool(p) == 1) {
		*why = arena_printf(a,
		    "%s runs privileged, which always allows privilege "
		    "escalation",
		    label);
		return ST_FAIL;
	}
	if ((sa = adds_sys_admin(c, ctr)) == 1) {
		*why = arena_printf(a,
		    "%s adds CAP_SYS_ADMIN, which always allows privilege "
		    "escalation",
		    label);
		return ST_FAIL;
	}
	if (sa < 0) {
		*why = arena_printf(a,
		    "%s: 'securityContext.capabilities.add' is not a list of "
		    "names",
		    label);
		return ST_ERROR;
	}
	switch (k8s_bool(v)) {
	case 0:
		return ST_PASS;
	case 1:
		*why = arena_printf(
		    a, "%s sets allowPrivilegeEscalation: true", label);
		return ST_FAIL;
	case -1:
		*why = arena_printf(a,
		    "%s does not set allowPrivilegeEscalation: false (it "
		    "defaults to true)",
		    label);
		return ST_FAIL;
	default:
		return bad_type(c, label, "allowPrivilegeEscalation", v, why);
	}
}

static enum status
c_capabilities(struct check_ctx *c, const struct doc_node *pod,
    const struct doc_node *ctr, const char *list, const char *path,
    const char *label, const char **why)
{
	struct arena *a = check_arena(c);
	const struct doc_node *add, *drop;
	const char *n, *s;
	size_t i;
	int all = 0;

	(void)pod;
	(void)list;
	add = doc_get(
	    doc_get(doc_get(ctr, "securityContext"), "capabilities"), "add");
	drop = doc_get(
	    doc_get(doc_get(ctr, "securityContext"), "capabilities"), "drop");
	k8s_evidence(c, add, "%s.securityContext.capabilities.add", path);
	k8s_evidence(c, drop, "%s.securityContext.capabilities.drop", path);
	if ((add != NULL && add->type != DOC_SEQ) ||
	    (drop != NULL && drop->type != DOC_SEQ)) {
		*why = arena_printf(
		    a, "%s: capabilities add/drop is not a list", label);
		return ST_ERROR;
	}
	for (i = 0; add != NULL && i < add->u.seq.n; i++) {
		if ((n = cap_norm(a, add->u.seq.items[i])) == NULL) {
			*why = arena_printf(a,
			    "%s: an added capability is not a string", label);
			return ST_ERROR;
		}
		if (strcmp(n, "NET_BIND_SERVICE") != 0) {
			*why = arena_printf(a, "%s adds capability '%s'", label,
			    doc_str(add->u.seq.items[i]));
			return ST_FAIL;
		}
	}
	for (i = 0; drop != NULL && i < drop->u.seq.n; i++) {
		if ((s = doc_str(drop->u.seq.items[i])) == NULL) {
			*why = arena_printf(a,
			    "%s: a dropped capability is not a string", label);
			return ST_ERROR;
		}
		/* Pod Security "restricted" accepts exactly "ALL". */
		if (strcmp(s, "ALL") == 0)
			all = 1;
	}
	if (!all) {
		*why = arena_printf(a,
		    "%s does not drop ALL capabilities (drop must list "
		    "\"ALL\", spelled so)",
		    label);
		return ST_FAIL;
	}
	return ST_PASS;
}

/* Container value of key in securityContext, else the pod's. */
static const struct doc_node *
effective_sc(struct check_ctx *c, const struct doc_node *pod,
    const struct doc_node *ctr, const char *path, const char *key)
{
	const struct doc_node *v = sc_get(c, ctr, path, key);

	return v != NULL ? v : podsc_get(c, pod, key);
}

static enum status
c_nonroot(struct check_ctx *c, const struct doc_node *pod,
    const struct doc_node *ctr, const char *list, const char *path,
    const char *label, const char **why)
{
	struct arena *a = check_arena(c);
	const struct doc_node *uid, *nonroot;
	int nr;

	(void)list;
	uid = effective_sc(c, pod, ctr, path, "runAsUser");
	nonroot = effective_sc(c, pod, ctr, path, "runAsNonRoot");
	if (uid != NULL) {
		if (uid->type != DOC_INT || uid->u.i < 0) {
			*why = arena_printf(a,
			    "%s: runAsUser is not a user id (a %s)", label,
			    doc_type_name(uid->type));
			return ST_ERROR;
		}
		if (uid->u.i == 0) {
			*why = arena_printf(
			    a, "%s runs as root (runAsUser: 0)", label);
			return ST_FAIL;
		}
	}
	nr = k8s_bool(nonroot);
	if (nr == -2)
		return bad_type(c, label, "runAsNonRoot", nonroot, why);
	/* A non-zero runAsUser runs as that user, whatever runAsNonRoot. */
	if (uid != NULL || nr == 1)
		return ST_PASS;
	*why = arena_printf(a,
	    nr == 0 ? "%s sets runAsNonRoot: false and no non-zero runAsUser"
		    : "%s may run as root: neither runAsNonRoot: true nor a "
		      "non-zero runAsUser is set (container or pod)",
	    label);
	return ST_FAIL;
}

/* Whether an image reference ends in @sha256:<64 lowercase hex>. */
static int
pinned(const char *img)
{
	const char *at = strrchr(img, '@');
	size_t i;

	if (at == NULL || strncmp(at + 1, "sha256:", 7) != 0)
		return 0;
	at += 8;
	for (i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)at[i]) ||
		    isupper((unsigned char)at[i]))
			return 0;
	return at[64] == '\0';
}

static enum status
c_digest(struct check_ctx *c, const struct doc_node *pod,
    const struct doc_node *ctr, const char *list, const char *path,
    const char *label, const char **why)
{
	struct arena *a = check_arena(c);
	const struct doc_node *img = doc_get(ctr, "image");
	const char *s = doc_str(img);

	(void)pod;
	(void)list;
	k8s_evidence(c, img, "%s.image", path);
	if (s == NULL || *s == '\0') {
		*why = arena_printf(a, "%s has no image", label);
		return ST_ERROR;
	}
	if (!pinned(s)) {
		*why = arena_printf(a,
		    "%s image '%s' is not pinned by digest (@sha256:...)",
		    label, s);
		return ST_FAIL;
	}
	return ST_PASS;
}

int
k8s_secret_name(const char *name)
{
	static const char *const inside[] = { "PASSWORD", "PASSWD", "SECRET",
		"TOKEN", "CREDENTIAL", "PRIVATEKEY", "APIKEY", "ACCESSKEY",
		"AUTHKEY", "SIGNINGKEY", "ENCRYPTIONKEY" };
	char up[256], word[256];
	size_t i, j, n = 0, w;

	/* Upper-case, without separators; and words for KEY / PASS. */
	for (i = 0; name[i] != '\0' && n < sizeof(up) - 1; i++)
		if (isalnum((unsigned char)name[i]))
			up[n++] = (char)toupper((unsigned char)name[i]);
	up[n] = '\0';
	for (j = 0; j < sizeof(inside) / sizeof(inside[0]); j++)
		if (strstr(up, inside[j]) != NULL)
			return 1;
	/* KEY and PASS as words: DB_KEY, api-key, dbPass; not MONKEY. */
	for (i = 0, w = 0;; i++) {
		int sep = name[i] == '\0' || !isalnum((unsigned char)name[i]) ||
		    (i > 0 && isupper((unsigned char)name[i]) &&
			islower((unsigned char)name[i - 1]));

		if (sep && w > 0) {
			word[w] = '\0';
			if (strcmp(word, "KEY") == 0 ||
			    strcmp(word, "PASS") == 0 ||
			    strcmp(word, "PWD") == 0 ||
			    strcmp(word, "PASSPHRASE") == 0)
				return strcmp(up, "PWD") != 0;
			w = 0;
		}
		if (name[i] == '\0')
			break;
		if (isalnum((unsigned char)name[i]) && w < sizeof(word) - 1)
			word[w++] = (char)toupper((unsigned char)name[i]);
	}
	return 0;
}

static enum status
c_env(struct check_ctx *c, const struct doc_node *pod,
    const struct doc_node *ctr, const char *list, const char *path,
    const char *label, const char **why)
{
	struct arena *a = check_arena(c);
	const struct doc_node *env = doc_get(ctr, "env"), *e, *v;
	struct doc_node *red;
	const char *name;
	size_t i;

	(void)pod;
	(void)list;
	if (env == NULL)
		return ST_PASS;
	if (env->type != DOC_SEQ) {
		k8s_evidence(c, env, "%s.env", path);
		*why = arena_printf(a, "%s: 'env' is not a list", label);
		return ST_ERROR;
	}
	for (i = 0; i < env->u.seq.n; i++) {
		e = env->u.seq.items[i];
		name = doc_str(doc_get(e, "name"));
		if (name == NULL) {
			*why = arena_printf(
			    a, "%s: env[%zu] has no name", label, i);
			return ST_ERROR;
		}
		v = doc_get(e, "value");
		if (v == NULL || !k8s_secret_name(name) ||
		    (v->type == DOC_STRING && v->len == 0) ||
		    v->type == DOC_NULL)
			continue;
		/* The value itself never reaches the report. */
		k8s_evidence(
		    c, doc_get(e, "name"), "%s.env[%zu].name", path, i);
		red = doc_new_string(
		    a, K8S_REDACTED, strlen(K8S_REDACTED), &v->mark);
		k8s_evidence(c, red, "%s.env[%zu].value", path, i);
		*why = arena_printf(a,
		    "%s sets '%s' to a plain value (use valueFrom."
		    "secretKeyRef)",
		    label, name);
		return ST_FAIL;
	}
	return ST_PASS;
}

static enum status
c_rofs(struct check_ctx *c, const struct doc_node *pod,
    const struct doc_node *ctr, const char *list, const char *path,
    const char *label, const char **why)
{
	const struct doc_node *v =
	    sc_get(c, ctr, path, "readOnlyRootFilesystem");

	(void)pod;
	(void)list;
	switch (k8s_bool(v)) {
	case 1:
		return ST_PASS;
	case -2:
		return bad_type(c, label, "readOnlyRootFilesystem", v, why);
	default:
		*why = arena_printf(check_arena(c),
		    "%s does not set readOnlyRootFilesystem: true", label);
		return ST_FAIL;
	}
}

static enum status
c_limits(struct check_ctx *c, const struct doc_node *pod,
    const struct doc_node *ctr, const char *list, const char *path,
    const char *label, const char **why)
{
	struct arena *a = check_arena(c);
	const struct doc_node *want = check_param(c, "resources"), *lim, *v;
	const char *res;
	size_t i;

	(void)pod;
	/* The API refuses resources on ephemeral containers. */
	if (strcmp(list, "ephemeralContainers") == 0)
		return ST_NOT_APPLICABLE;
	if (want == NULL || want->type != DOC_SEQ || want->u.seq.n == 0) {
		*why = "parameter 'resources' is not a list of resource names";
		return ST_ERROR;
	}
	lim = doc_get(doc_get(ctr, "resources"), "limits");
	for (i = 0; i < want->u.seq.n; i++) {
		if ((res = doc_str(want->u.seq.items[i])) == NULL) {
			*why = "parameter 'resources' is not a list of names";
			return ST_ERROR;
		}
		v = doc_get(lim, res);
		k8s_evidence(c, v, "%s.resources.limits.%s", path, res);
		if (v == NULL || v->type == DOC_NULL) {
			*why =
			    arena_printf(a, "%s has no %s limit", label, res);
			return ST_FAIL;
		}
		if (v->type != DOC_STRING && v->type != DOC_INT &&
		    v->type != DOC_FLOAT) {
			*why = arena_printf(a,
			    "%s: the %s limit is not a quantity", label, res);
			return ST_ERROR;
		}
	}
	return ST_PASS;
}

static enum status
c_seccomp(struct check_ctx *c, const struct doc_node *pod,
    const struct doc_node *ctr, const char *list, const char *path,
    const char *label, const char **why)
{
	struct arena *a = check_arena(c);
	const struct doc_node *p, *t;
	const char *s;

	(void)list;
	p = sc_get(c, ctr, path, "seccompProfile");
	if (p == NULL)
		p = podsc_get(c, pod, "seccompProfile");
	t = doc_get(p, "type");
	s = doc_str(t);
	if (p == NULL) {
		*why = arena_printf(
		    a, "%s has no seccomp profile (container or pod)", label);
		return ST_FAIL;
	}
	if (s == NULL) {
		*why = arena_printf(
		    a, "%s: seccompProfile.type is not a string", label);
		return ST_ERROR;
	}
	if (strcmp(s, "RuntimeDefault") == 0 || strcmp(s, "Localhost") == 0)
		return ST_PASS;
	if (strcmp(s, "Unconfined") == 0) {
		*why = arena_printf(a, "%s runs unconfined by seccomp", label);
		return ST_FAIL;
	}
	*why =
	    arena_printf(a, "%s: unknown seccompProfile.type '%s'", label, s);
	return ST_ERROR;
}

/* ----------------------------------------------------------- pod checks */

static int
host_namespaces(struct check_ctx *c, const struct resource *r)
{
	static const char *const keys[] = { "hostPID", "hostIPC",
		"hostNetwork" };
	const struct doc_node *pod, *v;
	const char *on[3];
	size_t i, n = 0;
	int emitted;

	if ((pod = k8s_pod_spec(c, r, &emitted)) == NULL)
		return 0;
	for (i = 0; i < 3; i++) {
		v = doc_get(pod, keys[i]);
		k8s_evidence(c, v, "PodSpec.%s", keys[i]);
		if (k8s_bool(v) == -2)
			return check_emit(c, r, ST_ERROR,
			    "'%s': '%s' is not a boolean", r->id, keys[i]);
		if (k8s_bool(v) == 1)
			on[n++] = keys[i];
	}
	if (n > 0)
		return check_emit(c, r, ST_FAIL,
		    "'%s' shares the host's namespaces: %s%s%s%s%s", r->id,
		    on[0], n > 1 ? ", " : "", n > 1 ? on[1] : "",
		    n > 2 ? ", " : "", n > 2 ? on[2] : "");
	return check_emit(c, r, ST_PASS,
	    "'%s' shares no host namespace (hostPID, hostIPC, hostNetwork)",
	    r->id);
}

static int
host_path(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *pod, *vols, *v, *hp;
	const char *p;
	size_t i;
	int emitted;

	if ((pod = k8s_pod_spec(c, r, &emitted)) == NULL)
		return 0;
	vols = doc_get(pod, "volumes");
	if (vols == NULL)
		return check_emit(c, r, ST_PASS, "'%s' has no volumes", r->id);
	if (vols->type != DOC_SEQ) {
		check_evidence(c, "PodSpec.volumes", vols);
		return check_emit(
		    c, r, ST_ERROR, "'%s': 'volumes' is not a list", r->id);
	}
	for (i = 0; i < vols->u.seq.n; i++) {
		v = vols->u.seq.items[i];
		if ((hp = doc_get(v, "hostPath")) == NULL)
			continue;
		k8s_evidence(c, hp, "PodSpec.volumes[%zu].hostPath", i);
		p = doc_str(doc_get(hp, "path"));
		return check_emit(c, r, ST_FAIL,
		    "'%s' mounts host path '%s' (volume '%s')", r->id,
		    p != NULL ? p : "?",
		    doc_str(doc_get(v, "name")) != NULL
			? doc_str(doc_get(v, "name"))
			: "?");
	}
	return check_emit(c, r, ST_PASS, "'%s': no hostPath volume among %zu",
	    r->id, vols->u.seq.n);
}

static int
sa_token(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *pod, *am, *sa, *saam;
	const char *name;
	int emitted, v;

	if ((pod = k8s_pod_spec(c, r, &emitted)) == NULL)
		return 0;
	am = doc_get(pod, "automountServiceAccountToken");
	sa = doc_get(pod, "serviceAccountName");
	if (sa == NULL)
		sa = doc_get(pod, "serviceAccount"); /* deprecated alias */
	check_evidence(c, "PodSpec.automountServiceAccountToken", am);
	check_evidence(c, "PodSpec.serviceAccountName", sa);
	if (sa != NULL && doc_str(sa) == NULL)
		return check_emit(c, r, ST_ERROR,
		    "'%s': serviceAccountName is not a string", r->id);
	name = sa != NULL && *doc_str(sa) != '\0' ? doc_str(sa) : "default";
	/* The pod's own setting wins over its service account's. */
	switch (k8s_bool(am)) {
	case 0:
		return check_emit(c, r, ST_PASS,
		    "'%s' does not mount a service account token", r->id);
	case -2:
		return check_emit(c, r, ST_ERROR,
		    "'%s': automountServiceAccountToken is not a boolean",
		    r->id);
	case 1:
		if (strcmp(name, "default") == 0)
			return check_emit(c, r, ST_FAIL,
			    "'%s' mounts the default service account's token "
			    "(automountServiceAccountToken: true)",
			    r->id);
		break;
	default:
		if (strcmp(name, "default") != 0)
			break;
		saam = doc_get(doc_get(r->attrs, K8S_SERVICE_ACCOUNT),
		    "automountServiceAccountToken");
		check_evidence(c,
		    K8S_SERVICE_ACCOUNT ".automountServiceAccountToken", saam);
		if ((v = k8s_bool(saam)) == 0)
			return check_emit(c, r, ST_PASS,
			    "'%s' runs as the default service account, which "
			    "does not automount its token",
			    r->id);
		if (v == -2)
			return check_emit(c, r, ST_ERROR,
			    "'%s': the default service account's "
			    "automountServiceAccountToken is not a boolean",
			    r->id);
		return check_emit(c, r, ST_FAIL,
		    "'%s' runs as the default service account and neither "
		    "it nor the pod sets automountServiceAccountToken: false%s",
		    r->id,
		    doc_get(r->attrs, K8S_SERVICE_ACCOUNT) == NULL
			? " (the service account is not in the input)"
			: "");
	}
	return check_emit(c, r, ST_PASS,
	    "'%s' uses the dedicated service account '%s' (its token is "
	    "taken as needed by the workload)",
	    r->id, name);
}

/* -------------------------------------------------------------- plugin */

static const struct {
	const char *name;
	k8s_container_fn fn;
	const char *ok;
	int (*pod)(struct check_ctx *c, const struct resource *r);
} k8s_workload_checks[] = {
	{ "capabilities", c_capabilities,
	    "drop ALL and add nothing beyond NET_BIND_SERVICE", NULL },
	{ "env_secrets", c_env, "no secret-named variable holds a plain value",
	    NULL },
	{ "host_namespaces", NULL, NULL, host_namespaces },
	{ "host_path", NULL, NULL, host_path },
	{ "image_digest", c_digest, "every image is pinned by digest", NULL },
	{ "privilege_escalation", c_escalation,
	    "allowPrivilegeEscalation is false", NULL },
	{ "privileged", c_privileged, "none runs privileged", NULL },
	{ "read_only_root_fs", c_rofs, "readOnlyRootFilesystem is true", NULL },
	{ "resource_limits", c_limits, "the required limits are set", NULL },
	{ "run_as_non_root", c_nonroot, "none runs as root", NULL },
	{ "sa_token", NULL, NULL, sa_token },
	{ "seccomp", c_seccomp, "seccomp RuntimeDefault or Localhost", NULL },
};

static int
workload_evaluate(struct check_ctx *c, const struct resource *r)
{
	const char *which = doc_str(check_param(c, "check"));
	size_t i;

	for (i = 0; which != NULL &&
	     i < sizeof(k8s_workload_checks) / sizeof(k8s_workload_checks[0]);
	     i++) {
		if (strcmp(which, k8s_workload_checks[i].name) != 0)
			continue;
		if (k8s_workload_checks[i].pod != NULL)
			return k8s_workload_checks[i].pod(c, r);
		return k8s_each_container(
		    c, r, k8s_workload_checks[i].fn, k8s_workload_checks[i].ok);
	}
	return check_emit(c, r, ST_ERROR, "k8s_workload: unknown check '%s'",
	    which ? which : "(none)");
}

static const char *const workload_types[] = {
	"K8s::Apps::DaemonSet",
	"K8s::Apps::Deployment",
	"K8s::Apps::ReplicaSet",
	"K8s::Apps::StatefulSet",
	"K8s::Batch::CronJob",
	"K8s::Batch::Job",
	"K8s::Core::Pod",
	"K8s::Core::PodTemplate",
	"K8s::Core::ReplicationController",
	NULL,
};

static const struct plugin_param workload_params[] = {
	{ "check", DOC_STRING, NULL,
	    "which check: capabilities, env_secrets, host_namespaces, "
	    "host_path, image_digest, privilege_escalation, privileged, "
	    "read_only_root_fs, resource_limits, run_as_non_root, sa_token, "
	    "seccomp" },
	{ "resources", DOC_SEQ, "[cpu, memory]",
	    "resource_limits: the resources every container must limit" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin k8s_workload_plugin = {
	.name = "k8s_workload",
	.summary = "Kubernetes pod templates: container security context, "
		   "host access, images, environment, limits, tokens",
	.resource_types = workload_types,
	.params = workload_params,
	.evaluate = workload_evaluate,
};
