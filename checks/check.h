/*
 * check.h: the check plugin interface, the resource model the export
 * adapters produce, and the registries of built-in plugins and adapters.
 *
 * A plugin knows the document tree (lib/) and this header, never the rule
 * engine: it is handed one resource at a time with its parameters and
 * emits one result per resource, with the evidence it read.  The engine
 * (rules/) aggregates results into controls and a verdict.
 */
#ifndef RAMPART_CHECK_H
#define RAMPART_CHECK_H

#include "lib/lib.h"

/* Result of one check on one resource, and of controls (all values). */
enum status {
	ST_PASS,
	ST_FAIL,
	ST_ERROR, /* could not evaluate: missing/unreadable data */
	ST_NOT_APPLICABLE, /* no resource of that kind in scope */
	ST_MANUAL, /* controls only: needs attested evidence */
	ST_INHERITED, /* controls only: the provider's duty */
	ST_WAIVED, /* controls only: covered by a POA&M item */
	/*
	 * Controls only: automated evidence supports part of the control
	 * (a `decides: part` binding passed); the rest is open until an
	 * attestation or the provider's inheritance covers it.
	 */
	ST_PARTIAL,
	ST_COUNT
};

const char *status_name(enum status s); /* "pass", "not_applicable" */
int status_parse(const char *s, enum status *out);

/*
 * A resource from an export, in the canonical shape of its type (see
 * docs/resources.md): attribute names as the provider's API spells them
 * (AWS: PascalCase as the AWS CLI prints), whichever export it came from.
 * Everything lives in the arena of the streamed element.
 */
struct resource {
	const char *type; /* "AWS::S3::Bucket" */
	const char *id; /* bucket name, sg-..., account id */
	const char *region; /* region or location, may be NULL */
	/* Account, subscription, project or tenancy, may be NULL. */
	const char *account;
	/*
	 * Provider-neutral placement: the provider ("aws", "azure", "gcp",
	 * "oci", "kubernetes"), NULL = the one of the type's prefix
	 * (provider_of_type()); the Kubernetes namespace or the Terraform
	 * module address, may be NULL.
	 */
	const char *provider;
	const char *namespace;
	const char *source; /* export file */
	struct mark mark; /* where it starts in that file */
	struct doc_node *attrs; /* DOC_MAP of attributes */
	/*
	 * Set by an adapter when the export says the data could not be read
	 * (an API error such as AccessDenied recorded in the export): every
	 * check on this resource is `error` with this message, never pass.
	 */
	const char *read_error;
	/*
	 * Set by an adapter when only some attributes could not be read (a
	 * joined call was denied): a DOC_MAP attribute -> why, also in attrs
	 * under RESOURCE_UNREADABLE, or NULL.  A declarative check reading
	 * one of them is `error`, one reading others is evaluated as usual;
	 * a plugin check on such a resource is `error` (the engine cannot
	 * tell what a plugin reads).
	 */
	const struct doc_node *unreadable;
	/*
	 * When the evidence was captured (seconds since the epoch, UTC), as
	 * the export records it (AWS Config configurationItemCaptureTime, a
	 * collection manifest), or 0 when the adapter does not know; the
	 * engine keeps the oldest per input for --max-evidence-age.
	 */
	int64_t collected;
	/*
	 * Nonzero: this is not a resource but a listing marker.  It states
	 * that the input holds the listing of every resource of `type` (in
	 * `region`, or account-wide when region is NULL), so that no
	 * resource of the type means "none exist" (`not_applicable`), not
	 * "no evidence" (`error`).  With read_error set, the listing is
	 * known to be incomplete or unreadable (a NextToken left, a denied
	 * call, a missing region file): every check on the type gets an
	 * `error` result naming it.  id may be NULL; attrs may be NULL.
	 * The engine never hands a marker to a plugin.
	 */
	int listing;
};

#define RESOURCE_UNREADABLE "Unreadable"

/* One piece of evidence: what was read, where, and its value. */
struct evidence {
	const char *path; /* attribute path, e.g. "Encrypted" */
	const char *value; /* compact JSON text, or NULL (absent) */
	struct mark source; /* file:line:col of the value */
};

/* The result of one check on one resource. */
struct check_result {
	enum status status;
	const char *resource_id;
	const char *resource_type;
	const char *region;
	const char *account; /* struct resource's, may be NULL */
	const char *namespace; /* struct resource's, may be NULL */
	const char *message;
	struct evidence *ev;
	size_t nev;
};

/* A parameter a plugin declares (name, type, default, description). */
struct plugin_param {
	const char *name;
	enum doc_type type; /* DOC_INT, DOC_STRING, DOC_SEQ... */
	const char *def; /* default as YAML text, or NULL */
	const char *summary;
};

/*
 * The context of one evaluation, filled by the engine.  Its fields are
 * public only so the engine can fill it on the stack; plugins use the
 * functions below, never the fields, which may change.
 */
struct check_ctx {
	struct arena *a; /* the resource's arena: freed after the resource */
	struct diag *d;
	const struct doc_node *params; /* DOC_MAP name -> value */
	int64_t now;
	const void *rule; /* the engine's rule */
	/* The result being built for the current resource. */
	struct check_result result;
	size_t evcap;
	int emitted;
	/*
	 * Set by the engine when only the status of this evaluation counts
	 * (the result will not be listed): check_evidence() then records
	 * nothing and check_emit() only the status.  Plugins need not look
	 * at it, but may skip work that only feeds evidence.
	 */
	int status_only;
	/* The resource's unreadable attributes (struct resource), or NULL. */
	const struct doc_node *unreadable;
};

/* Reset the per-resource part before evaluating a resource. */
void check_ctx_reset(struct check_ctx *c);

/*
 * A built-in or external plugin.  evaluate() is called once per resource
 * whose type is in the rule's resource types (or the plugin's, when the
 * rule names none); it must call check_emit() exactly once for that
 * resource (the engine turns a missing emit into `error`).  It returns 0,
 * or -1 on an internal failure (reported through check_diag()).
 */
struct check_plugin {
	const char *name;
	const char *summary;
	const char *const *resource_types; /* NULL-terminated */
	const struct plugin_param *params; /* { NULL } terminated */
	int (*evaluate)(struct check_ctx *c, const struct resource *r);
};

/* ------------------------------------------------ what a plugin may call */

/* The parameter value bound for this rule (baseline value or default). */
const struct doc_node *check_param(struct check_ctx *c, const char *name);
/* Integer parameter, or def when absent/not an integer. */
int64_t check_param_int(struct check_ctx *c, const char *name, int64_t def);
/* Evaluation time (injectable; reports are reproducible with it). */
int64_t check_now(const struct check_ctx *c);
/*
 * The arena for the result being built: the streamed resource's, freed
 * after the resource is evaluated (the engine copies each result it keeps
 * into the run's own arena).  Nothing allocated here may be kept.
 */
struct arena *check_arena(struct check_ctx *c);
struct diag *check_diag(struct check_ctx *c);
/*
 * Record evidence for the result being built: the attribute path and the
 * node read (NULL when absent).  The value is serialised and copied.
 */
int check_evidence(
    struct check_ctx *c, const char *path, const struct doc_node *value);
/* Emit the result for resource r.  printf-style message. */
int check_emit(struct check_ctx *c, const struct resource *r, enum status s,
    const char *fmt, ...) PRINTF_LIKE(4, 5);

/* ------------------------------------------------------------- providers */

/*
 * The providers rampart knows, by resource type prefix ("AWS::",
 * "Azure::", "GCP::", "OCI::", "K8s::", "TLS::").  A cloud provider's
 * checks are judged only when the run has an input of that provider
 * (docs/decisions.md); TLS endpoints are always required evidence.
 */
enum provider {
	PROV_AWS,
	PROV_AZURE,
	PROV_GCP,
	PROV_OCI,
	PROV_K8S,
	PROV_TLS,
	PROV_COUNT,
	PROV_NONE = PROV_COUNT /* no known prefix */
};

/* The provider of a resource type by its prefix, or PROV_NONE. */
enum provider provider_of_type(const char *type);
/* "aws", "azure", "gcp", "oci", "kubernetes", "tls". */
const char *provider_name(enum provider p);
/* "AWS", "Azure", "Google Cloud", "Oracle Cloud", "Kubernetes", "TLS". */
const char *provider_title(enum provider p);
/* Whether the provider's checks need an input of it to be judged. */
int provider_is_cloud(enum provider p);

/* ------------------------------------------------------------ registries */

/* Built-in plugins, sorted by name. */
extern const struct check_plugin *const check_plugins[];
extern const size_t check_nplugins;
const struct check_plugin *check_plugin_find(const char *name);

/*
 * External plugins: a shared object exporting
 *	const struct rampart_plugin_v1 rampart_plugin_v1;
 * with abi == RAMPART_PLUGIN_ABI.  The file and its directory must not be
 * writable by group or others.
 */
#define RAMPART_PLUGIN_ABI 1

struct rampart_plugin_v1 {
	unsigned int abi;
	const struct check_plugin *plugins; /* array of n */
	size_t n;
};

struct plugin_handle;

struct plugin_handle *plugin_load(struct diag *d, const char *path);
void plugin_unload(struct plugin_handle *h);
size_t plugin_count(const struct plugin_handle *h);
const struct check_plugin *plugin_get(const struct plugin_handle *h, size_t i);

/* --------------------------------------------------------- export adapters */

/*
 * Called for each resource an adapter produces; the resource and its
 * arena are freed after the call.  Return 0 to go on, -1 to stop.
 */
typedef int (*resource_fn)(
    void *ctx, const struct resource *r, struct arena *a);

struct adapter {
	const char *name; /* "aws-config", "aws-cli" */
	const char *summary;
	/*
	 * Whether the adapter recognises the input: path is a file or
	 * directory; head holds its first bytes (NULL for a directory).
	 * Returns a score (0 = no, higher = more specific).
	 */
	int (*detect)(
	    const char *path, int is_dir, const char *head, size_t len);
	/* Stream every resource of the input to fn.  0 or -1. */
	int (*read)(struct diag *d, const char *path,
	    const struct load_limits *lim, resource_fn fn, void *ctx,
	    size_t *nresources);
	/*
	 * The highest score detect() can give a directory, or 0 (unknown:
	 * always asked).  Detection skips an adapter that cannot beat the
	 * score already found, so a directory is not walked once per
	 * adapter (the Azure and Kubernetes detectors read every JSON or
	 * YAML file's start).  test_registry checks it on every fixture.
	 */
	int max_dir_score;
};

/* Adapters, sorted by name. */
extern const struct adapter *const adapters[];
extern const size_t nadapters;
const struct adapter *adapter_find(const char *name);
/* Pick the adapter for an input, or NULL with an error in d. */
const struct adapter *adapter_detect(struct diag *d, const char *path);
/* The same for an input opened with input_open() (a pipe is read once). */
const struct adapter *adapter_detect_input(
    struct diag *d, const struct input *in);

#endif /* RAMPART_CHECK_H */
