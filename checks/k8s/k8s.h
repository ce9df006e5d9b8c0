/*
 * k8s.h: the native Kubernetes check plugins (checks/k8s/), the names of
 * the attributes the "kubernetes" adapter (checks/sources/k8s.c) adds to
 * the objects it reads, and the helpers the plugins share.  Internal to
 * checks/: the registry lists the plugins and the adapter.
 */
#ifndef RAMPART_K8S_H
#define RAMPART_K8S_H

#include "checks/check.h"

extern const struct check_plugin k8s_cluster_plugin;
extern const struct check_plugin k8s_workload_plugin;
extern const struct adapter adapter_k8s;

/* Attributes the adapter adds (docs/resources.md, "Kubernetes"). */
#define K8S_POD_SPEC "PodSpec"
#define K8S_NETWORK_POLICIES "NetworkPolicies"
#define K8S_ROLE "Role"
#define K8S_SERVICE_ACCOUNT "ServiceAccount"
/* What a Secret's values (and env values that look secret) show. */
#define K8S_REDACTED "(redacted)"

/*
 * Where a resource of the adapter lives: provider "kubernetes", the
 * object's namespace (NULL when cluster-scoped); the account (cluster
 * name) is not known from an export and stays NULL.
 */
#define K8S_SET_PLACEMENT(r, ns) \
	((r)->provider = "kubernetes", (r)->namespace = (ns))

/*
 * Per-container verdict of a workload check: ST_PASS, ST_FAIL, ST_ERROR
 * (with *why set, allocated in the check's arena), or ST_NOT_APPLICABLE
 * (the check does not apply to this container).  pod is the pod spec,
 * ctr the container, path its attribute path ("PodSpec.containers[0]")
 * for evidence, label how messages name it ("container 'web'").
 */
typedef enum status (*k8s_container_fn)(struct check_ctx *c,
    const struct doc_node *pod, const struct doc_node *ctr, const char *list,
    const char *path, const char *label, const char **why);

/*
 * Evaluate fn on every container of r's pod template: containers,
 * initContainers and ephemeralContainers, and emit one result: fail when
 * a container fails, else error when one errors, else pass (ok describes
 * the pass).  A missing pod template, a missing or empty containers list
 * or a container list that is not a list is `error`.  Returns
 * check_emit()'s value.
 */
int k8s_each_container(struct check_ctx *c, const struct resource *r,
    k8s_container_fn fn, const char *ok);

/* The pod spec of r (attribute PodSpec), or NULL after emitting error. */
const struct doc_node *k8s_pod_spec(
    struct check_ctx *c, const struct resource *r, int *emitted);

/*
 * check_evidence() at a path formatted like printf in the check's arena.
 * 0, or -1 with the error in the check's diagnostics when memory runs
 * out (the evidence is then missing; the status is unaffected).
 */
int k8s_evidence(struct check_ctx *c, const struct doc_node *v, const char *fmt,
    ...) PRINTF_LIKE(3, 4);

/* 1 true, 0 false, -1 absent, -2 present but not a boolean. */
int k8s_bool(const struct doc_node *n);

/*
 * Whether an environment variable's name looks like it holds a secret
 * (PASSWORD, SECRET, TOKEN, CREDENTIAL, API/ACCESS/PRIVATE KEY anywhere;
 * KEY, PASS, PWD, PASSPHRASE as words): any case, words separated by
 * _ - . or camelCase alike.  PWD alone (the shell's directory) is not.
 */
int k8s_secret_name(const char *name);

#endif /* RAMPART_K8S_H */
