/*
 * ctx.c: what a plugin may call while evaluating a resource: parameters,
 * the clock, evidence and the result.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"

const char *
status_name(enum status s)
{
	static const char *const names[ST_COUNT] = { "pass", "fail", "error",
		"not_applicable", "manual", "inherited", "waived", "partial" };

	return (unsigned)s < ST_COUNT ? names[s] : "?";
}

int
status_parse(const char *s, enum status *out)
{
	int i;

	for (i = 0; i < ST_COUNT; i++)
		if (strcmp(s, status_name((enum status)i)) == 0) {
			*out = (enum status)i;
			return 0;
		}
	return -1;
}

void
check_ctx_reset(struct check_ctx *c)
{
	memset(&c->result, 0, sizeof(c->result));
	c->evcap = 0;
	c->emitted = 0;
}

const struct doc_node *
check_param(struct check_ctx *c, const char *name)
{
	return doc_get(c->params, name);
}

int64_t
check_param_int(struct check_ctx *c, const char *name, int64_t def)
{
	const struct doc_node *n = check_param(c, name);

	return n != NULL && n->type == DOC_INT ? n->u.i : def;
}

int64_t
check_now(const struct check_ctx *c)
{
	return c->now;
}

struct arena *
check_arena(struct check_ctx *c)
{
	return c->a;
}

struct diag *
check_diag(struct check_ctx *c)
{
	return c->d;
}

/* Compact JSON text of a node, capped so evidence stays readable. */
static char *
node_text(struct arena *a, const struct doc_node *n)
{
	struct strbuf sb;
	char *s;

	/*
	 * Scalars (nearly all evidence) are formatted as doc_write_json()
	 * would, without a memory stream: opening one per value costs a
	 * zeroed buffer each, and a scan records millions of values.
	 */
	switch (n->type) {
	case DOC_NULL:
		return arena_strdup(a, "null");
	case DOC_BOOL:
		return arena_strdup(a, n->u.b ? "true" : "false");
	case DOC_INT:
		return arena_printf(a, "%lld", (long long)n->u.i);
	case DOC_STRING:
		sb_init(&sb);
		if (sb_json_str(&sb, n->str, n->len) == -1 || sb.oom) {
			sb_free(&sb);
			return NULL;
		}
		if (sb.len > 1024)
			s = arena_printf(
			    a, "%.1000s...(%zu bytes)", sb.s, sb.len);
		else
			s = arena_strndup(a, sb.s, sb.len);
		sb_free(&sb);
		return s;
	default:
		break;
	}
	sb_init(&sb);
	if (doc_write_json_sb(n, &sb) == -1 || sb.oom) {
		sb_free(&sb);
		return NULL;
	}
	if (sb.len > 1024)
		s = arena_printf(a, "%.1000s...(%zu bytes)", sb.s, sb.len);
	else
		s = arena_strndup(a, sb.s, sb.len);
	sb_free(&sb);
	return s;
}

int
check_evidence(
    struct check_ctx *c, const char *path, const struct doc_node *value)
{
	struct check_result *r = &c->result;
	struct evidence *ev;
	size_t ncap;

	if (c->status_only)
		return 0;
	if (r->nev == c->evcap) {
		ncap = c->evcap ? c->evcap * 2 : 4;
		ev = arena_realloc(
		    c->a, r->ev, c->evcap * sizeof(*ev), ncap * sizeof(*ev));
		if (ev == NULL)
			return diag_sys(c->d, NULL, "out of memory");
		r->ev = ev;
		c->evcap = ncap;
	}
	ev = &r->ev[r->nev];
	memset(ev, 0, sizeof(*ev));
	if ((ev->path = arena_strdup(c->a, path)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	if (value != NULL) {
		if ((ev->value = node_text(c->a, value)) == NULL)
			return diag_sys(c->d, NULL, "out of memory");
		ev->source = value->mark;
		if (value->mark.file != NULL &&
		    (ev->source.file = arena_strdup(c->a, value->mark.file)) ==
			NULL)
			return diag_sys(c->d, NULL, "out of memory");
	}
	r->nev++;
	return 0;
}

int
check_emit(struct check_ctx *c, const struct resource *res, enum status s,
    const char *fmt, ...)
{
	struct check_result *r = &c->result;
	char buf[1024];
	va_list ap;

	if (c->emitted)
		return diag_err(c->d, &res->mark,
		    "internal error: check "
		    "emitted twice for resource '%s'",
		    res->id);
	if (c->status_only) {
		r->status = s;
		c->emitted = 1;
		return 0;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->status = s;
	if ((r->message = arena_strdup(c->a, buf)) == NULL ||
	    (r->resource_id = arena_strdup(c->a, res->id ? res->id : "?")) ==
		NULL ||
	    (r->resource_type = arena_strdup(c->a, res->type)) == NULL ||
	    (res->region != NULL &&
		(r->region = arena_strdup(c->a, res->region)) == NULL))
		return diag_sys(c->d, NULL, "out of memory");
	/* The resource's arena outlives the result: the engine copies. */
	r->account = res->account;
	r->namespace = res->namespace;
	c->emitted = 1;
	return 0;
}
