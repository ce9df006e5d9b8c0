/*
 * terraform_impl.h: what the plan reader (terraform.c) and the table
 * engine (terraform_map.c) share.  Internal to the Terraform adapter.
 */
#ifndef RAMPART_TERRAFORM_IMPL_H
#define RAMPART_TERRAFORM_IMPL_H

#include <stdarg.h>

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

#endif /* RAMPART_TERRAFORM_IMPL_H */
