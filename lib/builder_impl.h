/*
 * builder_impl.h: the builder's state and the inline fast paths of its
 * hottest events, for lib/builder.c and the JSON loader (lib/json.c).
 *
 * A streamed snapshot is millions of keys and strings, and each event
 * through the general entry points costs a few calls; the fast paths here
 * handle the common case (inside an element being built, a small map,
 * nothing to report) in the caller and hand everything else to the
 * builder_* functions of lib.h, which keep the whole logic: limits,
 * errors, duplicate keys of large maps, collection matching, delivery.
 * Internal to lib/.
 */
#ifndef RAMPART_BUILDER_IMPL_H
#define RAMPART_BUILDER_IMPL_H

#include <openssl/evp.h>
#include <stdint.h>
#include <string.h>

#include "lib/lib.h"
#include "lib/arena_impl.h"
#include "lib/loader.h"

/* Maps up to this many keys find duplicates by scanning, past it by hash. */
#define BUILDER_SMALL_MAP 32

/* Keys seen in a map on the path to the collection (usually a handful). */
struct seen_key {
	char *s;
	size_t len;
	struct mark mark;
};

/*
 * An open container.  While it is being built, its members wait on the
 * builder's scratch stacks (pairs for maps, items for sequences) from
 * `base` up, and are copied into the arena once, at its end: no doubling
 * reallocations, and nested containers simply stack above.
 */
struct frame {
	enum doc_type type; /* DOC_MAP or DOC_SEQ */
	int on_path; /* all frames above matched so far */
	struct doc_node *node; /* NULL when not building */
	struct doc_node *key; /* pending key of a map being built */
	size_t base; /* first scratch slot of this container */
	/* Position of the next value inside this container, for matching. */
	const char *pkey;
	size_t pkeylen;
	size_t index;
	/* Duplicate-key index for large maps (being built). */
	uint32_t *hash;
	size_t hcap;
	/* Keys of on-path maps that are not built. */
	struct seen_key *seen;
	size_t nseen;
	/* One bit per key of a small built map (key_bit): a clear bit means
	 * the key is new without comparing. */
	uint64_t bloom[2];
};

struct builder {
	struct diag *d;
	const char *name;
	struct load_limits lim;
	doc_each_fn cb;
	void *ctx;
	const struct doc_step *steps; /* of path, in patha */
	size_t nsteps;
	int whole_doc; /* no collection: each doc */
	struct frame *stack;
	size_t depth, cap;
	struct frame *top; /* &stack[depth - 1], NULL at depth 0 */
	struct arena *ea; /* current element's arena */
	struct arena *fixed; /* doc_load: one arena */
	struct arena *spare; /* a freed element's arena, kept for the next */
	size_t elem_depth; /* stack depth at element root */
	size_t scalar_max; /* lim.max_scalar, or SIZE_MAX when 0 */
	/* max_doc_bytes for this element, or SIZE_MAX for none (one test) */
	size_t size_limit;
	int building;
	struct doc_node *last;
	size_t count;
	int found; /* the collection was present */
	struct mark doc_mark;
	struct arena *patha; /* holds the collection path */
	const struct doc_path *path;
	/* Members of the containers being built (see struct frame). */
	struct doc_pair *pairs;
	size_t npairs, cpairs;
	struct doc_node **items;
	size_t nitems, citems;
	/*
	 * Not the builder's own state, but it travels with it to the JSON
	 * loader: the SHA-256 of the input file being read (load_digest),
	 * fed every byte read from the file, or NULL (see lib/load.c).
	 */
	EVP_MD_CTX *md;
};

/* Out of line, in builder.c. */
int builder_grow_pairs(struct builder *b, const struct mark *m);
int builder_grow_items(struct builder *b, const struct mark *m);
int builder_fail(struct builder *b, int what, const struct mark *m);

#define BUILDER_OOM 0
#define BUILDER_TOO_BIG 1
#define BUILDER_NO_KEY 2

/*
 * Copy n bytes: short strings (nearly all keys and values) without a
 * call, as two overlapping moves.
 */
static inline void
builder_copy(char *d, const char *s, size_t n)
{
	uint64_t a, b;
	uint32_t x, y;
	char t[16], u[16];

	if (n >= 16 && n <= 32) {
		memcpy(t, s, 16);
		memcpy(u, s + n - 16, 16);
		memcpy(d, t, 16);
		memcpy(d + n - 16, u, 16);
	} else if (n >= 8 && n < 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else if (n > 0 && n < 4) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	} else if (n > 32) {
		memcpy(d, s, n);
	}
}

/*
 * A fresh node in the element's arena, with its text (when text is not
 * NULL) in the same allocation.  NULL when memory runs out.
 */
__attribute__((always_inline)) static inline struct doc_node *
builder_node_new(struct builder *b, enum doc_type t, const char *text,
    size_t len, const struct mark *m)
{
	struct doc_node *n;
	char *str;

	if (text == NULL) {
		if ((n = arena_bump_small(b->ea, sizeof(*n))) == NULL)
			return NULL;
		n->str = NULL;
		n->len = 0;
	} else {
		if (len > ARENA_SMALL_MAX - sizeof(*n) - 1 ||
		    (n = arena_bump_small(b->ea, sizeof(*n) + len + 1)) == NULL)
			return NULL;
		str = (char *)(n + 1);
		builder_copy(str, text, len);
		str[len] = '\0';
		n->str = str;
		n->len = len;
	}
	n->type = t;
	n->mark = *m;
	memset(&n->u, 0, sizeof(n->u));
	return n;
}

/* The bloom bit of a key (0..127): from its length and three bytes. */
static inline unsigned
builder_key_bit(const char *s, size_t n)
{
	uint32_t x = (uint32_t)(n & 0xff) << 24;

	if (n > 0)
		x |= (uint32_t)(unsigned char)s[0] |
		    (uint32_t)(unsigned char)s[n - 1] << 8 |
		    (uint32_t)(unsigned char)s[n / 2] << 16;
	return (x * 0x9E3779B1u) >> 25;
}

static inline int
builder_bloom_has(const struct frame *f, unsigned bit)
{
	return (f->bloom[bit >> 6] >> (bit & 63)) & 1;
}

static inline void
builder_bloom_add(struct frame *f, unsigned bit)
{
	f->bloom[bit >> 6] |= 1ull << (bit & 63);
}

/*
 * Attach a finished value n to the open container f being built (never
 * the element's root: that one is delivered).  0 or -1.
 */
static inline int
builder_attach(struct builder *b, struct frame *f, struct doc_node *n)
{
	struct doc_pair *p;

	b->last = n;
	if (f->type == DOC_SEQ) {
		if (b->nitems == b->citems &&
		    builder_grow_items(b, &n->mark) == -1)
			return -1;
		b->items[b->nitems++] = n;
	} else {
		if (f->key == NULL)
			return builder_fail(b, BUILDER_NO_KEY, &n->mark);
		if (b->npairs == b->cpairs &&
		    builder_grow_pairs(b, &n->mark) == -1)
			return -1;
		p = &b->pairs[b->npairs++];
		p->key = f->key;
		p->val = n;
		f->key = NULL;
	}
	if (b->ea->used > b->size_limit)
		return builder_fail(b, BUILDER_TOO_BIG, &n->mark);
	return 0;
}

/* builder_key(), inline for a key of a small map being built. */
static inline int
builder_key_fast(
    struct builder *b, const char *s, size_t n, const struct mark *m)
{
	struct frame *f;
	unsigned bit;

	if ((f = b->top) == NULL)
		return builder_key(b, s, n, m);
	if (f->node == NULL || f->type != DOC_MAP || n > b->scalar_max ||
	    b->npairs - f->base >= BUILDER_SMALL_MAP)
		return builder_key(b, s, n, m);
	bit = builder_key_bit(s, n);
	if (builder_bloom_has(f, bit))
		return builder_key(b, s, n, m); /* maybe a duplicate */
	if ((f->key = builder_node_new(b, DOC_STRING, s, n, m)) == NULL)
		return builder_fail(b, BUILDER_OOM, m);
	builder_bloom_add(f, bit);
	return 0;
}

/*
 * builder_scalar(), inline for a string, null or bool inside an element
 * being built (not the element itself).
 */
static inline int
builder_scalar_fast(struct builder *b, enum doc_type t, const char *text,
    size_t len, const struct mark *m)
{
	struct doc_node *n;

	if (!b->building || len > b->scalar_max || b->depth == b->elem_depth)
		return builder_scalar(b, t, text, len, m);
	n = builder_node_new(b, t, t == DOC_STRING ? text : NULL, len, m);
	if (n == NULL)
		return builder_fail(b, BUILDER_OOM, m);
	if (t == DOC_BOOL)
		n->u.b = len > 0 && (text[0] == 't' || text[0] == 'T');
	return builder_attach(b, b->top, n);
}

/* builder_map_start() / builder_seq_start(), inline inside an element. */
static inline int
builder_open_fast(struct builder *b, enum doc_type t, const struct mark *m)
{
	struct frame *f;

	if (!b->building || b->depth >= b->lim.max_depth || b->depth == b->cap)
		return t == DOC_MAP ? builder_map_start(b, m)
				    : builder_seq_start(b, m);
	f = &b->stack[b->depth];
	f->type = t;
	f->on_path = 0;
	f->key = NULL;
	f->pkey = NULL;
	f->pkeylen = 0;
	f->index = 0;
	f->hash = NULL;
	f->hcap = 0;
	f->seen = NULL;
	f->nseen = 0;
	f->bloom[0] = f->bloom[1] = 0;
	f->base = t == DOC_MAP ? b->npairs : b->nitems;
	if ((f->node = builder_node_new(b, t, NULL, 0, m)) == NULL)
		return builder_fail(b, BUILDER_OOM, m);
	b->depth++;
	b->top = f;
	return 0;
}

/* Capacity is implicit (doc_seq_push, doc_map_put): see doc.c. */
static inline size_t
builder_cap_for(size_t n)
{
	size_t c = 4;

	while (c < n)
		c *= 2;
	return c;
}

/*
 * Move a finished container's members from the scratch stack into the
 * arena, with the capacity doc_map_put() and doc_seq_push() expect, so
 * adapters can still append to the tree.  0 or -1.
 */
static inline int
builder_node_finish(struct builder *b, const struct frame *f)
{
	struct doc_node *n = f->node;
	size_t cnt;
	void *v;

	if (f->type == DOC_MAP) {
		cnt = b->npairs - f->base;
		if (cnt == 0)
			return 0;
		if ((v = arena_bump(b->ea,
			 builder_cap_for(cnt) * sizeof(struct doc_pair))) ==
		    NULL)
			return -1;
		memcpy(v, b->pairs + f->base, cnt * sizeof(struct doc_pair));
		n->u.map.pairs = v;
		n->u.map.n = cnt;
		b->npairs = f->base;
	} else {
		cnt = b->nitems - f->base;
		if (cnt == 0)
			return 0;
		if ((v = arena_bump(b->ea,
			 builder_cap_for(cnt) * sizeof(struct doc_node *))) ==
		    NULL)
			return -1;
		memcpy(v, b->items + f->base, cnt * sizeof(struct doc_node *));
		n->u.seq.items = v;
		n->u.seq.n = cnt;
		b->nitems = f->base;
	}
	return 0;
}

/*
 * builder_map_end() / builder_seq_end(), inline for a container nested
 * inside an element (the element's root is delivered by the builder).
 */
static inline int
builder_close_fast(struct builder *b, enum doc_type t)
{
	struct frame *f;

	if (!b->building || b->depth <= b->elem_depth + 1)
		return t == DOC_MAP ? builder_map_end(b) : builder_seq_end(b);
	f = b->top;
	if (f->type != t || f->hash != NULL || f->seen != NULL)
		return t == DOC_MAP ? builder_map_end(b) : builder_seq_end(b);
	if (builder_node_finish(b, f) == -1)
		return builder_fail(b, BUILDER_OOM, &f->node->mark);
	b->depth--;
	b->top = f - 1; /* the element's root at least */
	return builder_attach(b, f - 1, f->node);
}

#endif /* RAMPART_BUILDER_IMPL_H */
