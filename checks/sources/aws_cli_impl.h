/*
 * aws_cli_impl.h: what the parts of the aws-cli adapter share:
 * aws_cli.c (the calls table and hooks of its API-dump layout, dump.h:
 * placebo file names and envelope, fix-ups; singletons, listings, the
 * driver), aws_cli_read.c (the joins of each service) and
 * aws_cli_layout.c (the checks of the export's layout, placebo
 * recordings).  Reading, emitting and markers are the core's (dump.c).
 * Internal to checks/sources/.
 */
#ifndef RAMPART_AWS_CLI_IMPL_H
#define RAMPART_AWS_CLI_IMPL_H

#include "checks/sources/dump.h"

/* Recordings of an account-wide call looked for: _1 to _9. */
#define PLACEBO_MAX_SEQ 8

/* The adapter's own state beside the core's (struct dump.priv). */
struct aws {
	int placebo;
	struct precording *rec; /* placebo layout: sorted by stem, seq */
	size_t nrec;
};

#define AWS(c) ((struct aws *)(c)->priv)

/* One placebo recording "<stem>_<seq>.json" of the input's root. */
struct precording {
	const char *stem; /* "ec2.DescribeInstances" */
	size_t seq; /* 1, 2, ... */
};

/* When the collection ran (scripts/collect-aws.sh), at the export root. */
#define COLLECTION_FILE "rampart-collection.json"

/* Post-processing of a joined value (a row's fix, the fix hook). */
enum fixup { FIX_NONE, FIX_JSON_STRING, FIX_VERSIONING, FIX_POLICY_VERSION };

/* The layout: the calls table and hooks (aws_cli.c). */
extern const struct dump_layout ac_layout;

/* The calls the adapter reads, sorted by service and call. */
extern const struct dump_call ac_calls[];
extern const size_t ac_ncalls;

const char *ac_account_id(const struct dump *c);
int ac_call_path(const struct dump *c, const struct dump_scope *s,
    const char *svc, const char *call, const char *name, size_t index,
    char *buf, size_t len);
int ac_check_layout(struct dump *c, const struct dump_scope *s, int root);
int ac_check_per_resource(struct dump *c, const struct dump_scope *s);
int ac_cli_get(struct dump *c, const struct dump_scope *s, const char *svc,
    const char *call, const char *name, size_t index, struct dump_resp *r);
int ac_cmp_rec(const void *a, const void *b);
int ac_element(struct dump *c, const struct dump_scope *s, const char *type,
    const struct doc_node *e, const char *idkey, struct doc_node **attrs,
    const char **id);
int ac_index_recordings(struct dump *c, const struct dump_scope *s);
int ac_is_global_service(const char *svc);
int ac_join(struct dump *c, const struct dump_scope *s, struct doc_node *attrs,
    const char **rerr, const char *svc, const char *call, const char *name,
    size_t index);
int ac_listing(struct dump *c, const struct dump_scope *s, const char *type,
    const char *svc, const char *call, const char *key, struct dump_resp *r,
    const struct doc_node **list);
void ac_placebo_op(const char *call, char *buf, size_t len);
const char *ac_placebo_svc(const char *svc);
int ac_read_account_summary(struct dump *c, const struct dump_scope *s);
int ac_read_buckets(struct dump *c, const struct dump_scope *s);
int ac_read_classic_elbs(struct dump *c, const struct dump_scope *s);
int ac_read_config_recorder(struct dump *c, const struct dump_scope *s);
int ac_read_credential_report(
    struct dump *c, const struct dump_scope *s, const struct doc_node **users);
int ac_read_described(struct dump *c, const struct dump_scope *s,
    const char *type, const char *svc, const char *list_call,
    const char *list_key, const char *id_key, const char *name_key,
    const char *call, const char *field, const char *id_path);
int ac_read_guardduty(struct dump *c, const struct dump_scope *s);
int ac_read_instances(struct dump *c, const struct dump_scope *s);
int ac_read_keys(struct dump *c, const struct dump_scope *s);
int ac_read_listing(struct dump *c, const struct dump_scope *s,
    const char *type, const char *svc, const char *call, const char *key,
    int shared, struct dump_resp *r, const struct doc_node **list);
int ac_read_load_balancers(struct dump *c, const struct dump_scope *s);
int ac_read_simple_lists(struct dump *c, const struct dump_scope *s);
int ac_read_trails(struct dump *c, const struct dump_scope *s);
int ac_read_users(
    struct dump *c, const struct dump_scope *s, const struct doc_node *rep);
int ac_read_vpcs(struct dump *c, const struct dump_scope *s);
void ac_recordings(const struct dump *c, const char *svc, const char *call,
    size_t *n, size_t *max);
const struct dump_call *ac_row(const char *svc, const char *call);
int ac_scan_root(struct dir_index *ix, const char *root, struct arena *a,
    char ***regions, size_t *nreg);
int ac_singleton(struct dump *c, const struct dump_scope *s, const char *type,
    const char *svc, const char *call, const char *attr,
    struct doc_node **attrsp, const char **rerrp, struct mark *mp);
#endif /* RAMPART_AWS_CLI_IMPL_H */
