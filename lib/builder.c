/*
 * builder.c: turns parser events into document trees.
 *
 * Both loaders feed the same events here, so limits, duplicate-key
 * rejection and streaming behave identically for YAML and JSON.  With a
 * collection path (e.g. "configurationItems[*]") only the selected
 * elements are built, each in its own arena that is freed after the
 * callback, so memory stays flat whatever the file size; everything
 * outside them is walked but not kept.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lib.h"
#include "lib/builder_impl.h"

/* The collection path, in the one path grammar (lib/path.c). */
static int
parse_collection(struct builder *b, const char *expr)
{
	if ((b->patha = arena_new()) == NULL)
		return diag_sys(b->d, NULL, "out of memory");
	if ((b->path = doc_path_compile(b->patha, b->d, expr, NULL)) == NULL)
		return -1;
	b->steps = doc_path_steps(b->path, &b->nsteps);
	return 0;
}

struct builder *
builder_new(struct diag *d, const char *name, const char *collection,
    const struct load_limits *lim, doc_each_fn cb, void *ctx)
{
	struct builder *b;

	if ((b = lib_calloc(1, sizeof(*b))) == NULL) {
		diag_sys(d, NULL, "out of memory");
		return NULL;
	}
	b->d = d;
	b->name = name;
	if (lim != NULL)
		b->lim = *lim;
	else
		load_limits_default(&b->lim);
	b->scalar_max = b->lim.max_scalar > 0 ? b->lim.max_scalar : SIZE_MAX;
	b->cb = cb;
	b->ctx = ctx;
	if (collection == NULL || collection[0] == '\0') {
		b->whole_doc = 1;
	} else if (parse_collection(b, collection) == -1) {
		builder_free(b);
		return NULL;
	}
	return b;
}

static void
frame_release(struct frame *f)
{
	size_t i;

	/* Most frames own nothing: keep the common pop cheap. */
	if (f->hash == NULL && f->seen == NULL)
		return;
	lib_free(f->hash);
	for (i = 0; i < f->nseen; i++)
		lib_free(f->seen[i].s);
	lib_free(f->seen);
	f->hash = NULL;
	f->seen = NULL;
	f->nseen = 0;
}

void
builder_free(struct builder *b)
{
	if (b == NULL)
		return;
	EVP_MD_CTX_free(b->md);
	while (b->depth > 0)
		frame_release(&b->stack[--b->depth]);
	b->top = NULL;
	lib_free(b->stack);
	if (b->ea != b->fixed)
		arena_free(b->ea);
	arena_free(b->spare);
	lib_free(b->pairs);
	lib_free(b->items);
	arena_free(b->patha);
	lib_free(b);
}

void
builder_set_arena(struct builder *b, struct arena *a)
{
	b->fixed = a;
}

const char *
builder_name(const struct builder *b)
{
	return b->name;
}

struct doc_node *
builder_last(const struct builder *b)
{
	return b->last;
}

struct arena *
builder_arena(const struct builder *b)
{
	return b->building ? b->ea : NULL;
}

size_t
builder_count(const struct builder *b)
{
	return b->count;
}

int
builder_in_element(const struct builder *b)
{
	return b->building;
}

/*
 * Whether a value starting now, at the current depth, lies on the path to
 * the collection: every enclosing frame matched its step.
 */
static int
value_on_path(const struct builder *b)
{
	const struct frame *f;
	const struct doc_step *s;

	if (b->depth == 0)
		return 1;
	f = &b->stack[b->depth - 1];
	if (!f->on_path || b->depth > b->nsteps)
		return 0;
	s = &b->steps[b->depth - 1];
	switch (s->kind) {
	case DOC_STEP_ANY:
		return 1;
	case DOC_STEP_INDEX:
		return f->type == DOC_SEQ && f->index == s->index;
	case DOC_STEP_KEY:
		return f->type == DOC_MAP && f->pkey != NULL &&
		    f->pkeylen == s->keylen &&
		    memcmp(f->pkey, s->key, s->keylen) == 0;
	}
	return 0;
}

static int
oom(struct builder *b, const struct mark *m)
{
	return diag_sys(b->d, m, "out of memory building the document");
}

/* Start an element (a whole document, or one collection member). */
static int
element_start(struct builder *b, const struct mark *m)
{
	if (b->fixed != NULL) {
		b->ea = b->fixed;
		b->size_limit = SIZE_MAX;
	} else {
		/* Reuse the last element's arena (and its first chunk). */
		if (b->spare != NULL) {
			b->ea = b->spare;
			b->spare = NULL;
		} else if ((b->ea = arena_new()) == NULL) {
			return oom(b, m);
		}
		b->size_limit =
		    b->lim.max_doc_bytes > 0 ? b->lim.max_doc_bytes : SIZE_MAX;
	}
	b->building = 1;
	b->elem_depth = b->depth;
	return 0;
}

static int
element_deliver(struct builder *b, struct doc_node *root)
{
	struct arena *a = b->ea;
	int rc = 0;

	b->building = 0;
	b->count++;
	b->last = NULL;
	if (b->cb != NULL)
		rc = b->cb(b->ctx, root, a);
	if (a != b->fixed) {
		/* Everything the element held is released here. */
		arena_reset(a);
		if (b->spare == NULL)
			b->spare = a;
		else
			arena_free(a);
	}
	b->ea = NULL;
	return rc;
}

/* Make room for one more entry on a scratch stack. */
static int
scratch_grow(void **v, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 256;
	void *p;

	if (ncap > SIZE_MAX / size ||
	    (p = lib_realloc(*v, ncap * size)) == NULL)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

int
builder_grow_pairs(struct builder *b, const struct mark *m)
{
	if (scratch_grow((void **)&b->pairs, &b->cpairs, sizeof(*b->pairs)) ==
	    -1)
		return oom(b, m);
	return 0;
}

int
builder_grow_items(struct builder *b, const struct mark *m)
{
	if (scratch_grow((void **)&b->items, &b->citems, sizeof(*b->items)) ==
	    -1)
		return oom(b, m);
	return 0;
}

/* The errors of the inline fast paths (builder_impl.h). */
int
builder_fail(struct builder *b, int what, const struct mark *m)
{
	switch (what) {
	case BUILDER_TOO_BIG:
		return diag_err(b->d, m,
		    "document exceeds the size limit of %zu bytes",
		    b->lim.max_doc_bytes);
	case BUILDER_NO_KEY:
		return diag_err(b->d, m, "value without a key");
	default:
		return oom(b, m);
	}
}

/* A completed value: attach it to its parent or deliver it. */
static int
value_done(struct builder *b, struct doc_node *n)
{
	if (b->depth == b->elem_depth) {
		b->last = n;
		return element_deliver(b, n);
	}
	return builder_attach(b, b->top, n);
}

/* Advance the position of the enclosing container after a value. */
static inline void
advance(struct builder *b)
{
	struct frame *f;

	if (b->depth == 0)
		return;
	f = &b->stack[b->depth - 1];
	if (f->type == DOC_SEQ)
		f->index++;
	else
		f->pkey = NULL;
}

int
builder_doc_start(struct builder *b, const struct mark *m)
{
	b->doc_mark = *m;
	b->found = 0;
	if (b->whole_doc)
		return element_start(b, m);
	return 0;
}

int
builder_doc_end(struct builder *b)
{
	if (!b->whole_doc && !b->found)
		return diag_err(b->d, &b->doc_mark,
		    "expected a collection at "
		    "'%s', found none in this document",
		    doc_path_text(b->path));
	return 0;
}

static int
push(struct builder *b, enum doc_type t, const struct mark *m)
{
	struct frame *f, *ns;
	size_t ncap;
	int on = 0;

	if (b->depth >= b->lim.max_depth)
		return diag_err(b->d, m, "nesting deeper than the limit of %u",
		    b->lim.max_depth);
	if (!b->building && !b->whole_doc && value_on_path(b)) {
		if (b->depth == b->nsteps) {
			/* This container is an element itself. */
			if (element_start(b, m) == -1)
				return -1;
		} else {
			on = 1;
		}
	}
	if (b->depth == b->cap) {
		ncap = b->cap ? b->cap * 2 : 32;
		if ((ns = lib_realloc(b->stack, ncap * sizeof(*ns))) == NULL)
			return oom(b, m);
		b->stack = ns;
		b->cap = ncap;
	}
	f = &b->stack[b->depth];
	f->type = t;
	f->on_path = on;
	f->node = NULL;
	f->key = NULL;
	f->pkey = NULL;
	f->pkeylen = 0;
	f->index = 0;
	f->hash = NULL;
	f->hcap = 0;
	f->seen = NULL;
	f->nseen = 0;
	f->bloom[0] = f->bloom[1] = 0;
	if (on && b->depth + 1 == b->nsteps)
		b->found = 1;
	if (b->building) {
		if ((f->node = builder_node_new(b, t, NULL, 0, m)) == NULL)
			return oom(b, m);
		f->base = t == DOC_MAP ? b->npairs : b->nitems;
	}
	b->depth++;
	b->top = f;
	return 0;
}

static int
pop(struct builder *b, enum doc_type t)
{
	struct frame *f;
	struct doc_node *n;
	int rc = 0;

	if (b->depth == 0 || b->stack[b->depth - 1].type != t)
		return diag_err(b->d, NULL, "internal error: unbalanced %s end",
		    doc_type_name(t));
	f = &b->stack[--b->depth];
	b->top = b->depth > 0 ? f - 1 : NULL;
	n = f->node;
	frame_release(f);
	if (n != NULL) {
		if (builder_node_finish(b, f) == -1)
			return oom(b, &n->mark);
		rc = value_done(b, n);
	}
	advance(b);
	return rc;
}

int
builder_map_start(struct builder *b, const struct mark *m)
{
	return push(b, DOC_MAP, m);
}

int
builder_map_end(struct builder *b)
{
	return pop(b, DOC_MAP);
}

int
builder_seq_start(struct builder *b, const struct mark *m)
{
	return push(b, DOC_SEQ, m);
}

int
builder_seq_end(struct builder *b)
{
	return pop(b, DOC_SEQ);
}

/*
 * Hash of a key for the index of large maps: every byte counts (input is
 * untrusted, so no sampling that a crafted file could collide), eight at
 * a time.
 */
static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n, w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDull;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
	}
	h ^= h >> 29;
	return (uint32_t)h;
}

static int
dup_error(struct builder *b, const struct mark *m, const char *s, size_t n,
    const struct mark *first)
{
	return diag_err(b->d, m,
	    "duplicate key '%.*s' (first defined at "
	    "%u:%u)",
	    (int)(n > 200 ? 200 : n), s, first->line, first->col);
}

/* Rebuild the open-addressing index of a built map (indices + 1). */
static int
hash_rebuild(struct builder *b, struct frame *f, size_t ncap)
{
	/* pairs is NULL before the first key: no arithmetic on it then. */
	const struct doc_pair *p = b->pairs != NULL ? b->pairs + f->base : NULL;
	size_t cnt = b->npairs - f->base, i, j;
	uint32_t *h;

	if ((h = lib_calloc(ncap, sizeof(*h))) == NULL)
		return -1;
	for (i = 0; i < cnt; i++) {
		j = hash_bytes(p[i].key->str, p[i].key->len) & (ncap - 1);
		while (h[j] != 0)
			j = (j + 1) & (ncap - 1);
		h[j] = (uint32_t)i + 1;
	}
	lib_free(f->hash);
	f->hash = h;
	f->hcap = ncap;
	return 0;
}

/*
 * Check a key against a map being built; 0 if new.  Small maps (nearly
 * all) are scanned; from BUILDER_SMALL_MAP keys on, an index is kept,
 * and *slot receives where the new key goes in it.
 */
static inline int
check_dup_built(struct builder *b, struct frame *f, const char *s, size_t n,
    const struct mark *m, uint32_t **slot)
{
	/* pairs is NULL before the first key: no arithmetic on it then. */
	const struct doc_pair *p = b->pairs != NULL ? b->pairs + f->base : NULL;
	size_t cnt = b->npairs - f->base, i, j;
	const struct doc_node *k;

	*slot = NULL;
	if (cnt < BUILDER_SMALL_MAP) {
		for (i = 0; i < cnt; i++) {
			k = p[i].key;
			if (k->len == n &&
			    (n == 0 ||
				(k->str[0] == s[0] &&
				    memcmp(k->str, s, n) == 0)))
				return dup_error(b, m, s, n, &k->mark);
		}
		return 0;
	}
	if ((f->hash == NULL || cnt * 2 >= f->hcap) &&
	    hash_rebuild(b, f, f->hcap ? f->hcap * 2 : 64) == -1)
		return oom(b, m);
	j = hash_bytes(s, n) & (f->hcap - 1);
	while (f->hash[j] != 0) {
		k = p[f->hash[j] - 1].key;
		if (k->len == n && memcmp(k->str, s, n) == 0)
			return dup_error(b, m, s, n, &k->mark);
		j = (j + 1) & (f->hcap - 1);
	}
	*slot = &f->hash[j];
	return 0;
}

int
builder_key(struct builder *b, const char *s, size_t n, const struct mark *m)
{
	struct frame *f;
	struct seen_key *sk;
	uint32_t *slot;
	size_t i;

	if (b->depth == 0 || b->stack[b->depth - 1].type != DOC_MAP)
		return diag_err(b->d, m, "internal error: key outside a map");
	if (b->lim.max_scalar > 0 && n > b->lim.max_scalar)
		return diag_err(b->d, m,
		    "key longer than the limit of %zu "
		    "bytes",
		    b->lim.max_scalar);
	f = &b->stack[b->depth - 1];
	if (f->node != NULL) {
		/* Built maps need no pkey: nothing is matched inside them. */
		if (check_dup_built(b, f, s, n, m, &slot) == -1)
			return -1;
		if ((f->key = builder_node_new(b, DOC_STRING, s, n, m)) == NULL)
			return oom(b, m);
		builder_bloom_add(f, builder_key_bit(s, n));
		if (slot != NULL)
			*slot = (uint32_t)(b->npairs - f->base) + 1;
		return 0;
	}
	if (!f->on_path) {
		f->pkey = NULL;
		return 0;
	}
	/* An on-path map: remember its keys to reject duplicates. */
	for (i = 0; i < f->nseen; i++)
		if (f->seen[i].len == n && memcmp(f->seen[i].s, s, n) == 0)
			return dup_error(b, m, s, n, &f->seen[i].mark);
	if (f->nseen == 0 ||
	    (f->nseen >= 4 && (f->nseen & (f->nseen - 1)) == 0)) {
		sk = lib_realloc(
		    f->seen, (f->nseen ? f->nseen * 2 : 4) * sizeof(*sk));
		if (sk == NULL)
			return oom(b, m);
		f->seen = sk;
	}
	sk = &f->seen[f->nseen];
	if ((sk->s = lib_malloc(n + 1)) == NULL)
		return oom(b, m);
	memcpy(sk->s, s, n);
	sk->s[n] = '\0';
	sk->len = n;
	sk->mark = *m;
	f->nseen++;
	f->pkey = sk->s;
	f->pkeylen = n;
	return 0;
}

/*
 * Integer value of a scalar typed DOC_INT: decimal, or YAML 1.2's 0o and
 * 0x forms, optionally signed.  -1 when it does not fit in int64.
 */
static int
scalar_int(struct doc_node *n)
{
	const char *p = n->str;
	int base = 10, neg = 0;
	char *end;
	long long v;
	unsigned long long u;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	/* Up to 18 decimal digits cannot overflow: no strtoll needed. */
	if (n->len - (size_t)(p - n->str) <= 18 && *p != '\0') {
		u = 0;
		while (*p >= '0' && *p <= '9')
			u = u * 10 + (unsigned)(*p++ - '0');
		if (*p == '\0') {
			n->u.i = neg ? -(int64_t)u : (int64_t)u;
			return 0;
		}
		p = n->str + (n->str[0] == '-' || n->str[0] == '+');
	}
	if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) {
		base = 8;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	errno = 0;
	if (base == 10) {
		v = strtoll(n->str, &end, 10);
		if (errno != 0 || *end != '\0')
			return -1;
		n->u.i = v;
		return 0;
	}
	u = strtoull(p, &end, base);
	if (errno != 0 || *end != '\0' || end == p ||
	    u > (unsigned long long)INT64_MAX + (unsigned)neg)
		return -1;
	n->u.i = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

/*
 * Exact powers of ten up to 1e22: a double holds each, so a product or
 * quotient with an integer below 2^53 rounds once, correctly (Clinger).
 */
static const double pow10_exact[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
	1e20, 1e21, 1e22 };

/*
 * The common decimal forms (-12.5, 3e4) with at most 15 digits and a small
 * exponent, computed exactly as strtod() would; -1 leaves the rest to it.
 */
static int
float_fast(const char *s, double *out)
{
	const char *p = s;
	uint64_t m = 0;
	int neg = 0, digits = 0, frac = 0, e = 0, eneg = 0, en = 0;
	double v;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		m = m * 10 + (unsigned)(*p++ - '0');
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			m = m * 10 + (unsigned)(*p++ - '0');
			digits++;
			frac++;
		}
	}
	if (digits > 15)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			eneg = *p++ == '-';
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9' && en < 4) {
			e = e * 10 + (*p++ - '0');
			en++;
		}
	}
	if (*p != '\0')
		return -1;
	e = (eneg ? -e : e) - frac;
	if (e < -22 || e > 22)
		return -1;
	v = (double)m;
	v = e < 0 ? v / pow10_exact[-e] : v * pow10_exact[e];
	*out = neg ? -v : v;
	return 0;
}

/* Float value, including YAML's .inf, -.inf and .nan spellings. */
static double
scalar_float(const char *s)
{
	const char *p = s;
	int neg = 0;
	double v;

	if (float_fast(s, &v) == 0)
		return v;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (p[0] == '.' && (p[1] == 'i' || p[1] == 'I'))
		return neg ? -INFINITY : INFINITY;
	if (p[0] == '.' && (p[1] == 'n' || p[1] == 'N'))
		return NAN;
	return strtod(s, NULL);
}

int
builder_scalar(struct builder *b, enum doc_type t, const char *text, size_t len,
    const struct mark *m)
{
	struct doc_node *n;
	char *end;

	if (b->lim.max_scalar > 0 && len > b->lim.max_scalar)
		return diag_err(b->d, m,
		    "scalar longer than the limit of %zu "
		    "bytes",
		    b->lim.max_scalar);
	if (!b->building) {
		if (!b->whole_doc && value_on_path(b) &&
		    b->depth == b->nsteps) {
			/* A scalar element of the collection. */
			if (element_start(b, m) == -1)
				return -1;
		} else {
			advance(b);
			return 0;
		}
	}
	/* The text and the node in one allocation (none for null, bool). */
	n = builder_node_new(
	    b, t, t == DOC_NULL || t == DOC_BOOL ? NULL : text, len, m);
	if (n == NULL)
		return oom(b, m);
	switch (t) {
	case DOC_BOOL:
		n->u.b = len > 0 && (text[0] == 't' || text[0] == 'T');
		break;
	case DOC_INT:
		if (scalar_int(n) == -1) {
			/* Out of int64 range: keep it as a float. */
			n->type = DOC_FLOAT;
			n->u.f = strtod(n->str, &end);
		}
		break;
	case DOC_FLOAT:
		n->u.f = scalar_float(n->str);
		break;
	default:
		break;
	}
	if (value_done(b, n) == -1)
		return -1;
	advance(b);
	return 0;
}

int
builder_wants_value(const struct builder *b)
{
	return b->building ||
	    (!b->whole_doc && value_on_path(b) && b->depth == b->nsteps);
}

int
builder_node(struct builder *b, struct doc_node *n)
{
	if (!b->building) {
		/*
		 * A node cannot become a collection element by itself: it
		 * lives in another element's arena.  Never drop it silently.
		 */
		if (builder_wants_value(b))
			return diag_err(b->d, n != NULL ? &n->mark : NULL,
			    "internal error: an alias cannot be a streamed "
			    "element");
		advance(b);
		return 0;
	}
	if (n == NULL)
		return diag_err(
		    b->d, NULL, "internal error: no node to attach");
	if (value_done(b, n) == -1)
		return -1;
	advance(b);
	return 0;
}
