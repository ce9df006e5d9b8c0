/*
 * terraform_impl.h: what the plan reader (terraform.c) and the table
 * engine (terraform_map.c) share.  Internal to the Terraform adapter.
 */
#ifndef RAMPART_TERRAFORM_IMPL_H
#define RAMPART_TERRAFORM_IMPL_H

#include <stdarg.h>

#include <stdint.h>

#include "checks/sources/terraform.h"

/* The conversion of one planned resource (or part). */
struct tf_conv {
	struct arena *a;
	const struct mark *m; /* the resource change: every new node's mark */
	const char *address; /* the planned resource's address */
	struct doc_node *unread; /* canonical attribute -> why, or NULL */
	struct doc_node *defaults; /* canonical path -> provider doc, or NULL */
	struct doc_node *notin; /* canonical path -> why not in the plan */
	int unknown; /* some mapped value is not known until apply */
	int flag_only; /* inside an allow-only rule: only set `unknown` */
	int oom;
};

/*
 * Apply attrs to the planned values `after` with their mirrors
 * (after_unknown, after_sensitive; either may be NULL), adding the
 * canonical attributes to `out`.  Unreadable attributes go to c->unread,
 * defaults used to c->defaults.  0, or -1 when memory ran out (c->oom).
 */
int tf_convert(struct tf_conv *c, struct doc_node *out,
    const struct tf_attr *attrs, const struct doc_node *after,
    const struct doc_node *unknown, const struct doc_node *sensitive);

/* Mark the top key of canonical path `to` unreadable: why (printf). */
int tf_mark(struct tf_conv *c, const char *to, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* Set a dotted canonical path in map.  0 or -1 (c->oom). */
int tf_set(struct tf_conv *c, struct doc_node *map, const char *to,
    struct doc_node *val);
/* A tree from JSON text of a table; NULL when memory runs out. */
struct doc_node *tf_json(struct tf_conv *c, const char *text);
/* {key: "(not known until apply: 'what')"}; NULL on no memory. */
struct doc_node *tf_placeholder(
    struct tf_conv *c, const char *key, const char *what);
/* The node at a dotted canonical path of map, or NULL. */
struct doc_node *tf_get(const struct doc_node *map, const char *to);
/* Record that memory ran out; returns -1. */
int tf_oom(struct tf_conv *c);
/* vprintf into the arena; NULL on no memory. */
char *tf_vprintf(struct arena *a, const char *fmt, va_list ap)
    PRINTF_LIKE(2, 0);

/* A spilled resource or part, read back into an arena (terraform_spill.c). */
struct tf_item {
	const struct tf_type *t;
	const struct tf_provider *p;
	const char *address, *module, *name, *inst;
	struct mark mark;
	int created;
	struct doc_node *attrs; /* canonical attributes, or the part's */
	struct doc_node *unread; /* may be NULL */
	struct doc_node *info; /* the Terraform map */
	const char *key; /* parts: the known value of ref */
	/* Targets: target_key -> its known value, for each part type. */
	struct doc_node *keys;
	const char *dir; /* parts: the dir_attr value */
	const char *rerr; /* the whole resource is unreadable: why */
	const char *gkey; /* tf_type.group: the group's value, or NULL */
	int unknown; /* parts: some value is not known until apply */
	int ref_unknown; /* parts: the reference is known only after apply */
};

/* The provider tables, in the order the spill file numbers them. */
extern const struct tf_provider *const tf_providers[];
extern const size_t tf_nproviders;

/*
 * An unlinked temporary file (in $TMPDIR, else /tmp) where the adapter
 * keeps the targets and parts until the joins, and what went wrong.
 */
struct tf_spill {
	int fd;
	uint64_t size;
	const char *why; /* an I/O error, static text or errno's */
};

/* Create the file.  0, or -1 with s->why. */
int tf_spill_open(struct tf_spill *s);
/* Close it (its space is freed: it has no name).  Accepts fd -1. */
void tf_spill_close(struct tf_spill *s);
/* Append an item; its offset in *off.  0, or -1 with s->why. */
int tf_spill_put(struct tf_spill *s, const struct tf_item *it, uint64_t *off);
/*
 * Read the item at off into a (every mark's file is `file`); with
 * head_only, its strings and flags alone (no trees).  0, or -1 with
 * s->why.
 */
int tf_spill_get(struct tf_spill *s, uint64_t off, int head_only,
    struct arena *a, const char *file, struct tf_item *it);
/* FNV-1a over strings, each with its length (NULL as ""). */
uint64_t tf_hash(uint64_t h, const char *s, size_t len);
#define TF_HASH_INIT 0xcbf29ce484222325ULL

/* A reference of a part's configuration block, as the plan shows it. */
struct tf_ref {
	const char *module; /* "net.inner": module call names */
	const char *addr; /* "aws_s3_bucket_policy.p" */
	const char *to; /* "aws_s3_bucket.b" or "aws_s3_bucket.b[0]" */
	/*
	 * 0: a part's reference to its target; 1: `to` is an attribute the
	 * block of a target writes (one of its joinable attributes); 2: the
	 * target's block exists (to ""); 3: a grouped type's group.
	 */
	int set;
};

/*
 * What stays in memory of a spilled target or part: 24 bytes.  Parts
 * joined to one target are chained in plan order (first, last on the
 * target; first on a part is the next one).
 */
struct tf_slot {
	uint64_t off; /* in the spill file */
	uint32_t first, last; /* a slot number + 1, or 0 */
	uint8_t pi, ti; /* tf_providers[pi]->types[ti] */
	uint8_t flags;
};

#define TF_S_PART 1
#define TF_S_AMBIGUOUS 2 /* several targets bear the part's known value */
#define TF_S_NOGKEY 4 /* grouped, its group known only after apply */

/* A hash of what a target is found by, and its slot: 12 bytes. */
struct tf_entry {
	uint32_t hi, lo, idx;
};

/*
 * At most this many targets and parts in one plan (24 + up to 48 bytes
 * of memory each): a plan with more is refused, not half-joined.
 */
#define TF_MAX_HELD 1000000u

struct tf_read {
	struct diag *d;
	const char *path; /* owned copy: every mark read back points here */
	resource_fn fn;
	void *ctx;
	struct arena *a; /* lives for the whole read */
	struct arena *s; /* the join step's (one target or part), or NULL */
	struct tf_spill spill;
	struct tf_slot *slots; /* lib_malloc'd */
	size_t nslots, capslots;
	struct tf_entry *ents; /* lib_malloc'd; sorted by tf_finish */
	size_t nents, capents;
	uint32_t *unres; /* parts whose target could not be found */
	size_t nunres, capunres;
	struct tf_ref *refs;
	size_t nrefs, caprefs;
	int needcfg; /* a join needs the configuration */
	const char *noconfig; /* why the configuration was not read */
	size_t emitted, deleted, data, unmapped, forgotten, changes;
	const char *unmapped_first;
};

/* Spill a converted target or part and index it.  0 or -1 (in x->d). */
int tf_index(struct tf_read *x, const struct tf_item *it);
/* Join every part, then hand the targets over.  0 or -1 (in x->d). */
int tf_finish(struct tf_read *x);
/* Free what tf_index allocated. */
void tf_index_free(struct tf_read *x);
/* Hand one resource to the caller, its trees in arena a. */
int tf_emit(struct tf_read *x, const struct tf_item *it, const char *type,
    const char *id, struct arena *a);
/* "module.a[0].module.b" as "a.b", the configuration's module path. */
const char *tf_module_path(struct arena *a, const char *module);

#endif /* RAMPART_TERRAFORM_IMPL_H */
