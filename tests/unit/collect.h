/*
 * collect.h: tests that read exports through an adapter keep every
 * resource it produces in one arena (adapters free theirs after each
 * callback).  Include after testutil.h.
 */
#ifndef RAMPART_TEST_COLLECT_H
#define RAMPART_TEST_COLLECT_H

#include "checks/check.h"

struct coll {
	struct arena *a;
	struct resource *v;
	size_t n;
	size_t cap; /* v grows by doubling (linear memory in the arena) */
};

/*
 * Copied nodes keep marks naming files by pointers into the adapter's
 * arena, which is freed after the callback: re-point them.
 */
static void
own_marks(
    struct arena *a, struct doc_node *n, const char **last, const char **mine)
{
	size_t i;

	if (n->mark.file != NULL) {
		if (*last == NULL || strcmp(*last, n->mark.file) != 0) {
			*last = n->mark.file;
			*mine = arena_strdup(a, n->mark.file);
		}
		n->mark.file = *mine;
	}
	if (n->type == DOC_SEQ)
		for (i = 0; i < n->u.seq.n; i++)
			own_marks(a, n->u.seq.items[i], last, mine);
	else if (n->type == DOC_MAP)
		for (i = 0; i < n->u.map.n; i++) {
			n->u.map.pairs[i].key->mark.file = NULL;
			own_marks(a, n->u.map.pairs[i].val, last, mine);
		}
}

/* A resource_fn: deep-copy r into c. */
static int
collect(void *ctx, const struct resource *r, struct arena *ra)
{
	struct coll *c = ctx;
	struct resource *g;
	const char *last = NULL, *mine = NULL;

	(void)ra;
	/* Listing markers (no id, no attributes) are not resources. */
	if (r->listing)
		return 0;
	if (c->n == c->cap) {
		c->v = arena_realloc(c->a, c->v, c->cap * sizeof(*g),
		    (c->cap ? c->cap * 2 : 64) * sizeof(*g));
		assert_non_null(c->v);
		c->cap = c->cap ? c->cap * 2 : 64;
	}
	g = &c->v[c->n++];
	memset(g, 0, sizeof(*g));
	g->type = arena_strdup(c->a, r->type);
	g->id = arena_strdup(c->a, r->id);
	g->region = r->region ? arena_strdup(c->a, r->region) : NULL;
	g->account = r->account ? arena_strdup(c->a, r->account) : NULL;
	g->read_error =
	    r->read_error ? arena_strdup(c->a, r->read_error) : NULL;
	g->attrs = doc_copy(c->a, r->attrs);
	assert_non_null(g->attrs);
	/* The adapter's unreadable map is the one in attrs: keep it so. */
	g->unreadable = r->unreadable != NULL
	    ? doc_get(g->attrs, RESOURCE_UNREADABLE)
	    : NULL;
	assert_true((r->unreadable == NULL) == (g->unreadable == NULL));
	own_marks(c->a, g->attrs, &last, &mine);
	return 0;
}

/* The first resource of type (and id, unless NULL), or NULL. */
static inline const struct resource *
coll_find(const struct coll *c, const char *type, const char *id)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].type, type) == 0 &&
		    (id == NULL || strcmp(c->v[i].id, id) == 0))
			return &c->v[i];
	return NULL;
}

#endif
