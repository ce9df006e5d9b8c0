/*
 * terraform_map.c: the engine that applies a provider's table
 * (checks/sources/tf_<provider>.c) to one planned resource: the plan's
 * `after` values, read beside their `after_unknown` and `after_sensitive`
 * mirrors, become the canonical attributes of docs/resources.md.
 *
 * A value known only after apply is never read as absent or as a
 * default: its canonical attribute is unreadable ("not known until
 * apply"), or, in a list of allow-only rules, an element the check
 * reports as error unless the known rules already fail.  A sensitive
 * value is never copied: the attribute holds "(sensitive)" and is
 * unreadable, so nothing prints it and no check decides on it.
 */
#include <stdio.h>
#include <string.h>

#include "checks/sources/terraform.h"
#include "checks/sources/terraform_impl.h"

#define TF_SENSITIVE "(sensitive)"

static int
is_true(const struct doc_node *m)
{
	return m != NULL && m->type == DOC_BOOL && m->u.b;
}

/*
 * One step of a mirror (after_unknown, after_sensitive): `true` covers
 * everything below it; anything else is followed like the value.
 */
static const struct doc_node *
mstep(const struct doc_node *m, const char *key, size_t len, long idx)
{
	if (m == NULL || is_true(m))
		return m;
	if (idx >= 0)
		return m->type == DOC_SEQ && (size_t)idx < m->u.seq.n
		    ? m->u.seq.items[idx]
		    : NULL;
	return doc_getn(m, key, len);
}

/* The value, unknown and sensitive mirrors at a dotted path. */
struct tf_at {
	const struct doc_node *v, *u, *s;
};

static void
walk(struct tf_at *at, const char *path)
{
	const char *p = path, *e;
	size_t len, i;
	long idx;

	while (*p != '\0') {
		e = strchr(p, '.');
		len = e != NULL ? (size_t)(e - p) : strlen(p);
		idx = -1;
		for (i = 0; i < len && p[i] >= '0' && p[i] <= '9'; i++)
			;
		if (len > 0 && i == len) {
			idx = 0;
			for (i = 0; i < len; i++)
				idx = idx * 10 + (p[i] - '0');
		}
		if (idx >= 0)
			at->v = at->v != NULL && at->v->type == DOC_SEQ &&
				(size_t)idx < at->v->u.seq.n
			    ? at->v->u.seq.items[idx]
			    : NULL;
		else
			at->v = doc_getn(at->v, p, len);
		at->u = mstep(at->u, p, len, idx);
		at->s = mstep(at->s, p, len, idx);
		p += len;
		if (*p == '.')
			p++;
	}
}

/* The first key of a dotted canonical path, in the arena. */
static const char *
top_key(struct arena *a, const char *to)
{
	const char *e = strchr(to, '.');

	return e != NULL ? arena_strndup(a, to, (size_t)(e - to)) : to;
}

int
tf_mark(struct tf_conv *c, const char *to, const char *fmt, ...)
{
	struct doc_node *why;
	const char *key;
	char *msg;
	va_list ap;

	c->unknown = 1;
	if (c->flag_only)
		return 0;
	if ((key = top_key(c->a, to)) == NULL)
		return tf_oom(c);
	if (c->unread == NULL) {
		if ((c->unread = src_map(c->a, c->m)) == NULL)
			return tf_oom(c);
	}
	if (doc_get(c->unread, key) != NULL)
		return 0;
	va_start(ap, fmt);
	msg = tf_vprintf(c->a, fmt, ap);
	va_end(ap);
	if (msg == NULL || (why = src_str(c->a, msg, c->m)) == NULL ||
	    src_set(c->a, c->unread, key, why) != 0)
		return tf_oom(c);
	return 0;
}

int
tf_oom(struct tf_conv *c)
{
	c->oom = 1;
	return -1;
}

struct doc_node *
tf_get(const struct doc_node *map, const char *to)
{
	const char *e;

	while ((e = strchr(to, '.')) != NULL) {
		map = doc_getn(map, to, (size_t)(e - to));
		to = e + 1;
	}
	return doc_get(map, to);
}

/* Set a dotted path in map, creating the maps on the way.  0 or -1. */
int
tf_set(struct tf_conv *c, struct doc_node *map, const char *to,
    struct doc_node *val)
{
	const char *e;
	struct doc_node *sub;
	char *key;

	while ((e = strchr(to, '.')) != NULL) {
		if ((key = arena_strndup(c->a, to, (size_t)(e - to))) == NULL)
			return tf_oom(c);
		sub = doc_get(map, key);
		if (sub == NULL || sub->type != DOC_MAP) {
			if ((sub = src_map(c->a, c->m)) == NULL ||
			    src_set(c->a, map, key, sub) != 0)
				return tf_oom(c);
		}
		map = sub;
		to = e + 1;
	}
	if (src_set(c->a, map, to, val) != 0)
		return tf_oom(c);
	return 0;
}

static void
set_marks(struct doc_node *n, const struct mark *m)
{
	size_t i;

	n->mark = *m;
	if (n->type == DOC_SEQ)
		for (i = 0; i < n->u.seq.n; i++)
			set_marks(n->u.seq.items[i], m);
	else if (n->type == DOC_MAP)
		for (i = 0; i < n->u.map.n; i++) {
			n->u.map.pairs[i].key->mark = *m;
			set_marks(n->u.map.pairs[i].val, m);
		}
}

/*
 * Parse JSON text of a table (a default, an enum, a constant; a string
 * literal stays a string).  Every node gets the resource's mark.
 */
struct doc_node *
tf_json(struct tf_conv *c, const char *text)
{
	struct doc_node **docs = NULL;
	struct diag d;
	size_t ndocs = 0;

	diag_init(&d);
	if (doc_load_buf(c->a, &d, "<table>", text, strlen(text), DOC_FMT_JSON,
		NULL, &docs, &ndocs) != 0 ||
	    ndocs != 1) {
		/* The tables hold valid JSON (test_terraform proves it). */
		diag_free(&d);
		c->oom = 1;
		return NULL;
	}
	diag_free(&d);
	set_marks(docs[0], c->m);
	return docs[0];
}

/* The element standing for rules not known until apply. */
static struct doc_node *
placeholder(struct tf_conv *c, const char *key, const char *what)
{
	struct doc_node *m, *v;
	char *msg;

	msg = arena_printf(c->a, "(not known until apply: '%s')", what);
	if (msg == NULL || (m = src_map(c->a, c->m)) == NULL ||
	    (v = src_str(c->a, msg, c->m)) == NULL ||
	    src_set(c->a, m, key, v) != 0) {
		tf_oom(c);
		return NULL;
	}
	return m;
}

struct doc_node *
tf_placeholder(struct tf_conv *c, const char *key, const char *what)
{
	return placeholder(c, key, what);
}

static int convert(struct tf_conv *c, struct doc_node *out,
    const struct tf_attr *attrs, const struct tf_at *base, const char *where,
    const char *top);

/* The list `to` of out, created when absent (two blocks may fill it). */
static struct doc_node *
list_at(struct tf_conv *c, struct doc_node *out, const char *to)
{
	struct doc_node *l = tf_get(out, to);

	if (l != NULL && l->type == DOC_SEQ)
		return l;
	if ((l = src_seq(c->a, c->m)) == NULL || tf_set(c, out, to, l) != 0) {
		tf_oom(c);
		return NULL;
	}
	return l;
}

/* TF_LIST and TF_BLOCK: each element through the sub-table. */
static int
convert_blocks(struct tf_conv *c, struct doc_node *out,
    const struct tf_attr *at, const struct tf_at *v, const char *where,
    const char *top)
{
	struct doc_node *list = NULL, *elem;
	struct tf_at e;
	size_t i, n;
	int saved_flag = c->flag_only, saved_unknown;
	char *w;

	if (v->v->type == DOC_MAP)
		n = 1; /* a block given as an object: one element */
	else if (v->v->type != DOC_SEQ)
		return tf_mark(c, top, "'%s%s' is %s, not a list of blocks",
		    where, at->from, doc_type_name(v->v->type));
	else
		n = v->v->u.seq.n;
	if (n == 0 && (at->conv == TF_BLOCK || at->empty_absent))
		return 0;
	if (at->conv == TF_LIST && (list = list_at(c, out, at->to)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		e.v = v->v->type == DOC_MAP ? v->v : v->v->u.seq.items[i];
		e.u = v->v->type == DOC_MAP ? v->u
					    : mstep(v->u, NULL, 0, (long)i);
		e.s = v->v->type == DOC_MAP ? v->s
					    : mstep(v->s, NULL, 0, (long)i);
		w = arena_printf(c->a, "%s%s.%zu.", where, at->from, i);
		if (w == NULL || (elem = src_map(c->a, c->m)) == NULL)
			return tf_oom(c);
		saved_unknown = c->unknown;
		c->unknown = 0;
		if (at->unknown_as != NULL)
			c->flag_only = 1;
		if (is_true(e.u))
			tf_mark(c, top, "'%s%s[%zu]' is not known until apply",
			    where, at->from, i);
		else if (convert(c, elem, at->sub, &e, w, top) != 0)
			return -1;
		c->flag_only = saved_flag;
		if (c->unknown && at->unknown_as != NULL &&
		    (elem = placeholder(c, at->unknown_as,
			 arena_printf(
			     c->a, "%s%s[%zu]", where, at->from, i))) == NULL)
			return -1;
		c->unknown |= saved_unknown;
		if (at->conv == TF_BLOCK)
			return tf_set(c, out, at->to, elem);
		if (doc_seq_push(c->a, list, elem) != 0)
			return tf_oom(c);
	}
	return 0;
}

/* TF_WRAP: scalars as a list of {wrap: value}. */
static int
convert_wrap(struct tf_conv *c, struct doc_node *out, const struct tf_attr *at,
    const struct tf_at *v, const char *where, const char *top)
{
	struct doc_node *list, *m;
	const struct doc_node *item;
	size_t i, n;

	if ((list = list_at(c, out, at->to)) == NULL)
		return -1;
	n = v->v->type == DOC_SEQ ? v->v->u.seq.n : 1;
	for (i = 0; i < n; i++) {
		item = v->v->type == DOC_SEQ ? v->v->u.seq.items[i] : v->v;
		if (v->v->type == DOC_SEQ &&
		    is_true(mstep(v->u, NULL, 0, (long)i)))
			return tf_mark(c, top,
			    "'%s%s[%zu]' is not known until apply", where,
			    at->from, i);
		if (v->v->type == DOC_SEQ &&
		    is_true(mstep(v->s, NULL, 0, (long)i)))
			return tf_mark(c, top,
			    "'%s%s[%zu]' is sensitive in the plan: not "
			    "evaluated",
			    where, at->from, i);
		if (item->type == DOC_SEQ || item->type == DOC_MAP)
			return tf_mark(c, top, "'%s%s' holds %s, not a value",
			    where, at->from, doc_type_name(item->type));
		if ((m = src_map(c->a, c->m)) == NULL ||
		    src_set(c->a, m, at->wrap, (struct doc_node *)item) != 0 ||
		    doc_seq_push(c->a, list, m) != 0)
			return tf_oom(c);
	}
	return 0;
}

/* A null or absent value: the documented default, or nothing. */
static int
convert_default(
    struct tf_conv *c, struct doc_node *out, const struct tf_attr *at)
{
	struct doc_node *v, *s;

	if (at->def == NULL || at->src == NULL)
		return 0;
	if ((v = tf_json(c, at->def)) == NULL)
		return tf_oom(c);
	if (tf_set(c, out, at->to, v) != 0)
		return -1;
	if (c->defaults == NULL && (c->defaults = src_map(c->a, c->m)) == NULL)
		return tf_oom(c);
	if ((s = src_str(c->a, at->src, c->m)) == NULL ||
	    src_set(c->a, c->defaults, at->to, s) != 0)
		return tf_oom(c);
	return 0;
}

/* A scalar as an enum compares it: strings as they are, booleans. */
static const char *
enum_text(const struct doc_node *n)
{
	if (n->type == DOC_BOOL)
		return n->u.b ? "true" : "false";
	return n->type == DOC_STRING ? n->str : "";
}

static int
convert_one(struct tf_conv *c, struct doc_node *out, const struct tf_attr *at,
    const struct tf_at *base, const char *where, const char *top)
{
	struct tf_at v = *base;
	struct doc_node *n;
	const char *why;
	size_t i;

	if (at->conv == TF_ADDRESS) {
		if (at->fallback && tf_get(out, at->to) != NULL)
			return 0;
		why = arena_printf(c->a, "(planned: %s)",
		    c->address != NULL ? c->address : "?");
		if (why == NULL || (n = src_str(c->a, why, c->m)) == NULL)
			return tf_oom(c);
		return tf_set(c, out, at->to, n);
	}
	if (at->conv == TF_CONST)
		return (n = tf_json(c, at->def)) == NULL
		    ? tf_oom(c)
		    : tf_set(c, out, at->to, n);
	if (at->fallback && tf_get(out, at->to) != NULL)
		return 0;
	walk(&v, at->from);
	if (top == NULL)
		top = at->to;
	if (is_true(v.u) && at->ident)
		return 0;
	if (is_true(v.u) && at->joinable) {
		if (c->notin == NULL &&
		    (c->notin = src_map(c->a, c->m)) == NULL)
			return tf_oom(c);
		why = arena_printf(
		    c->a, "'%s%s' is not known until apply", where, at->from);
		if (why == NULL || (n = src_str(c->a, why, c->m)) == NULL ||
		    src_set(c->a, c->notin, at->to, n) != 0)
			return tf_oom(c);
		return 0;
	}
	if (is_true(v.u)) {
		if (at->unknown_as != NULL && !c->flag_only) {
			c->unknown = 1;
			n = placeholder(c, at->unknown_as,
			    arena_printf(c->a, "%s%s", where, at->from));
			if (n == NULL ||
			    (out = list_at(c, out, at->to)) == NULL)
				return tf_oom(c);
			return doc_seq_push(c->a, out, n) ? tf_oom(c) : 0;
		}
		return tf_mark(
		    c, top, "'%s%s' is not known until apply", where, at->from);
	}
	if (is_true(v.s)) {
		if ((n = src_str(c->a, TF_SENSITIVE, c->m)) == NULL ||
		    tf_set(c, out, at->to, n) != 0)
			return tf_oom(c);
		return tf_mark(c, top,
		    "'%s%s' is sensitive in the plan: not evaluated", where,
		    at->from);
	}
	if (v.v != NULL && v.v->type == DOC_NULL && at->keep_null)
		return tf_set(c, out, at->to, (struct doc_node *)v.v);
	if (v.v == NULL || v.v->type == DOC_NULL)
		return convert_default(c, out, at);
	switch (at->conv) {
	case TF_ZERO_ABSENT:
		if (v.v->type == DOC_INT && v.v->u.i == 0)
			return 0;
		/* FALLTHROUGH */
	case TF_COPY:
		/* The API omits an empty list (Google: no ports = all). */
		if (at->empty_absent && v.v->type == DOC_SEQ &&
		    v.v->u.seq.n == 0)
			return 0;
		return tf_set(c, out, at->to, (struct doc_node *)v.v);
	case TF_JSON:
		if (v.v->type != DOC_STRING)
			return tf_set(c, out, at->to, (struct doc_node *)v.v);
		if ((n = src_parse_json_string(c->a, v.v, &why)) == NULL)
			return tf_mark(c, top, "'%s%s' is not valid JSON: %s",
			    where, at->from, why != NULL ? why : "?");
		return tf_set(c, out, at->to, n);
	case TF_ENUM:
		for (i = 0; at->enums[i].value != NULL; i++)
			if (strcmp(enum_text(v.v), at->enums[i].value) == 0)
				return (n = tf_json(c, at->enums[i].json)) ==
					NULL
				    ? tf_oom(c)
				    : tf_set(c, out, at->to, n);
		return tf_mark(c, top,
		    "'%s%s' has a value rampart does not "
		    "know",
		    where, at->from);
	case TF_WRAP:
		return convert_wrap(c, out, at, &v, where, top);
	case TF_LIST:
	case TF_BLOCK:
		return convert_blocks(c, out, at, &v, where, top);
	case TF_CONST:
	case TF_ADDRESS:
		break;
	}
	return 0;
}

static int
convert(struct tf_conv *c, struct doc_node *out, const struct tf_attr *attrs,
    const struct tf_at *base, const char *where, const char *top)
{
	size_t i;

	for (i = 0; attrs[i].to != NULL; i++)
		if (convert_one(c, out, &attrs[i], base, where, top) != 0 ||
		    c->oom)
			return -1;
	return 0;
}

int
tf_convert(struct tf_conv *c, struct doc_node *out, const struct tf_attr *attrs,
    const struct doc_node *after, const struct doc_node *unknown,
    const struct doc_node *sensitive)
{
	struct tf_at base;

	base.v = after;
	base.u = unknown;
	base.s = sensitive;
	return convert(c, out, attrs, &base, "", NULL);
}
