/*
 * aws_cli_impl.h: what the parts of the aws-cli adapter share:
 * aws_cli.c (the calls table, reading calls, resources and markers, the
 * driver), aws_cli_read.c (the joins of each service) and
 * aws_cli_layout.c (the checks of the export's layout, placebo
 * recordings).  Internal to checks/sources/.
 */
#ifndef RAMPART_AWS_CLI_IMPL_H
#define RAMPART_AWS_CLI_IMPL_H

#include "checks/sources/sources.h"

/* Recordings of an account-wide call looked for: _1 to _9. */
#define PLACEBO_MAX_SEQ 8

enum resp_kind { RESP_MISSING, RESP_OK, RESP_NOTCONF, RESP_ERROR };

struct resp {
	enum resp_kind kind;
	struct doc_node *data; /* RESP_OK: the response, wrapper removed */
	const char *code; /* NOTCONF, ERROR: the error code */
	const char *msg; /* ERROR: "Code: message (file)" */
	struct mark mark;
};

/* A growable array of strings in an arena (doubling: linear memory). */
struct strv {
	const char **v;
	size_t n, cap;
};

/* One placebo recording "<stem>_<seq>.json" of the input's root. */
struct precording {
	const char *stem; /* "ec2.DescribeInstances" */
	size_t seq; /* 1, 2, ... */
};

struct cli {
	struct diag *d;
	struct arena *a;
	const struct load_limits *lim;
	const char *root;
	int placebo;
	const char *account;
	resource_fn fn;
	void *ctx;
	size_t emitted; /* resources and listing markers */
	size_t resources; /* resources alone */
	struct precording *rec; /* placebo layout: sorted by stem, seq */
	size_t nrec;
	struct strv joined; /* per-resource files read in this scope */
	struct arena *keep; /* c->a of the whole read (a may be scratch) */
	int64_t collected; /* rampart-collection.json's start, or 0 */
};

/* When the collection ran (scripts/collect-aws.sh), at the export root. */
#define COLLECTION_FILE "rampart-collection.json"

/* The directory a scope reads from, and its region (NULL: none). */
struct scope {
	const char *dir;
	const char *region;
};

/* Post-processing of a joined value (JSON strings, defaults). */
enum fixup { FIX_NONE, FIX_JSON_STRING, FIX_VERSIONING, FIX_POLICY_VERSION };

/* One row of the calls table (aws_cli.c). */
struct call_info {
	const char *svc, *call, *type;
	int per_resource; /* <svc>/<call>/<name>.json */
	const char *member, *id; /* a listing read by ac_read_simple_lists() */
	const char *notconf; /* the error code meaning "not configured" */
	const char *op; /* placebo operation, when not the PascalCase */
	/*
	 * A per-resource call joined into each resource of the type by
	 * ac_join_all(): attrs[attr or field] = response[field] (the whole
	 * response when field is ""), or every field merged (field NULL,
	 * and then an error makes the whole resource unreadable).
	 */
	int joined;
	const char *field, *attr;
	enum fixup fix;
};

/* The calls the adapter reads, sorted by service and call. */
extern const struct call_info ac_calls[];
extern const size_t ac_ncalls;

const char *ac_account_id(const struct cli *c);
int ac_add_read_error(struct cli *c, struct doc_node *attrs, const char *call,
    const struct resp *r, const char **rerr);
int ac_call_path(const struct cli *c, const struct scope *s, const char *svc,
    const char *call, const char *name, size_t index, char *buf, size_t len);
int ac_check_layout(struct cli *c, const struct scope *s, int root);
int ac_check_per_resource(struct cli *c, const struct scope *s);
int ac_cli_get(struct cli *c, const struct scope *s, const char *svc,
    const char *call, const char *name, size_t index, struct resp *r);
int ac_cmp_rec(const void *a, const void *b);
int ac_cmp_str(const void *a, const void *b);
int ac_element(struct cli *c, const struct scope *s, const char *type,
    const struct doc_node *e, const char *idkey, struct doc_node **attrs,
    const char **id);
int ac_emit(struct cli *c, const struct scope *s, const char *type,
    const char *id, struct doc_node *attrs, const char *rerr,
    const struct mark *m);
int ac_emit_marker(struct cli *c, const struct scope *s, const char *type,
    const char *rerr, const struct mark *m);
int ac_index_recordings(struct cli *c, const struct scope *s);
int ac_is_global_service(const char *svc);
int ac_join(struct cli *c, const struct scope *s, struct doc_node *attrs,
    const char **rerr, const char *svc, const char *call, const char *name,
    size_t index, const char *field, const char *attr, enum fixup f);
int ac_join_all(struct cli *c, const struct scope *s, const char *type,
    struct doc_node *attrs, const char **rerr, const char *name, size_t index);
int ac_listing(struct cli *c, const struct scope *s, const char *type,
    const char *svc, const char *call, const char *key, struct resp *r,
    const struct doc_node **list);
int ac_mark_calls_error(struct cli *c, const struct scope *s, const char *svc,
    const char *call, const char *path, const char *why);
int ac_path_join(char *buf, size_t len, const char *dir, const char *name);
void ac_placebo_op(const char *call, char *buf, size_t len);
const char *ac_placebo_svc(const char *svc);
int ac_read_account_summary(struct cli *c, const struct scope *s);
int ac_read_buckets(struct cli *c, const struct scope *s);
int ac_read_classic_elbs(struct cli *c, const struct scope *s);
int ac_read_config_recorder(struct cli *c, const struct scope *s);
int ac_read_credential_report(
    struct cli *c, const struct scope *s, const struct doc_node **users);
int ac_read_described(struct cli *c, const struct scope *s, const char *type,
    const char *svc, const char *list_call, const char *list_key,
    const char *id_key, const char *name_key, const char *call,
    const char *field, enum fixup f, const char *id_path);
int ac_read_guardduty(struct cli *c, const struct scope *s);
int ac_read_instances(struct cli *c, const struct scope *s);
int ac_read_keys(struct cli *c, const struct scope *s);
int ac_read_listing(struct cli *c, const struct scope *s, const char *type,
    const char *svc, const char *call, const char *key, int shared,
    struct resp *r, const struct doc_node **list);
int ac_read_load_balancers(struct cli *c, const struct scope *s);
int ac_read_simple_lists(struct cli *c, const struct scope *s);
int ac_read_trails(struct cli *c, const struct scope *s);
int ac_read_users(
    struct cli *c, const struct scope *s, const struct doc_node *rep);
int ac_read_vpcs(struct cli *c, const struct scope *s);
void ac_recordings(const struct cli *c, const char *svc, const char *call,
    size_t *n, size_t *max);
int ac_scan_root(
    const char *root, struct arena *a, char ***regions, size_t *nreg);
int ac_singleton(struct cli *c, const struct scope *s, const char *type,
    const char *svc, const char *call, const char *attr,
    struct doc_node **attrsp, const char **rerrp, struct mark *mp);
int ac_strv_has(const struct strv *sv, const char *str);
int ac_strv_push(struct arena *a, struct strv *sv, const char *str);

#endif /* RAMPART_AWS_CLI_IMPL_H */
