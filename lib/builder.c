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
#include "lib/loader.h"

enum step_kind { STEP_KEY, STEP_INDEX, STEP_ANY };

struct step {
	enum step_kind kind;
	const char *key;
	size_t keylen;
	size_t index;
};

/* Keys seen in a map on the path to the collection (usually a handful). */
struct seen_key {
	char *s;
	size_t len;
	struct mark mark;
};

struct frame {
	enum doc_type type; /* DOC_MAP or DOC_SEQ */
	struct doc_node *node; /* NULL when not building */
	struct doc_node *key; /* pending key of a map being built */
	/* Position of the next value inside this container, for matching. */
	const char *pkey;
	size_t pkeylen;
	size_t index;
	int on_path; /* all frames above matched so far */
	/* Duplicate-key index for large maps (being built). */
	uint32_t *hash;
	size_t hcap;
	/* Keys of on-path maps that are not built. */
	struct seen_key *seen;
	size_t nseen;
	char *pkeybuf; /* owned copy of pkey for on-path maps */
};

struct builder {
	struct diag *d;
	const char *name;
	struct load_limits lim;
	doc_each_fn cb;
	void *ctx;
	struct step *steps;
	size_t nsteps;
	int whole_doc; /* no collection: each doc */
	struct frame *stack;
	size_t depth, cap;
	struct arena *ea; /* current element's arena */
	struct arena *fixed; /* doc_load: one arena */
	size_t elem_depth; /* stack depth at element root */
	int building;
	struct doc_node *last;
	size_t count;
	int found; /* the collection was present */
	struct mark doc_mark;
	char *pathcopy;
};

static int
parse_collection(struct builder *b, const char *expr)
{
	const char *p = expr;
	struct step *s;
	size_t n = 0, cap = 8, len;
	char *q;

	if ((b->pathcopy = lib_strdup(expr)) == NULL ||
	    (b->steps = lib_calloc(cap, sizeof(*s))) == NULL)
		return diag_err(b->d, NULL, "out of memory");
	q = b->pathcopy;
	p = q;
	while (*p != '\0') {
		if (n == cap) {
			cap *= 2;
			s = lib_realloc(b->steps, cap * sizeof(*s));
			if (s == NULL)
				return diag_err(b->d, NULL, "out of memory");
			b->steps = s;
		}
		s = &b->steps[n];
		memset(s, 0, sizeof(*s));
		if (*p == '.') {
			p++;
			continue;
		}
		if (p[0] == '[' && p[1] == '*' && p[2] == ']') {
			s->kind = STEP_ANY;
			p += 3;
		} else if (p[0] == '*' &&
		    (p[1] == '.' || p[1] == '\0' || p[1] == '[')) {
			s->kind = STEP_ANY;
			p += 1;
		} else if (p[0] == '[' && p[1] == '"') {
			const char *e = strchr(p + 2, '"');

			if (e == NULL || e[1] != ']')
				goto bad;
			s->kind = STEP_KEY;
			s->key = p + 2;
			s->keylen = (size_t)(e - p - 2);
			p = e + 2;
		} else if (p[0] == '[') {
			char *end;
			unsigned long v;

			v = strtoul(p + 1, &end, 10);
			if (end == p + 1 || *end != ']')
				goto bad;
			s->kind = STEP_INDEX;
			s->index = v;
			p = end + 1;
		} else {
			len = strcspn(p, ".[");
			s->kind = STEP_KEY;
			s->key = p;
			s->keylen = len;
			p += len;
		}
		n++;
	}
	b->nsteps = n;
	return 0;
bad:
	return diag_err(b->d, NULL, "invalid collection path '%s'", expr);
}

struct builder *
builder_new(struct diag *d, const char *name, const char *collection,
    const struct load_limits *lim, doc_each_fn cb, void *ctx)
{
	struct builder *b;

	if ((b = lib_calloc(1, sizeof(*b))) == NULL) {
		diag_err(d, NULL, "out of memory");
		return NULL;
	}
	b->d = d;
	b->name = name;
	if (lim != NULL)
		b->lim = *lim;
	else
		load_limits_default(&b->lim);
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
	if (f->hash == NULL && f->seen == NULL && f->pkeybuf == NULL)
		return;
	lib_free(f->hash);
	for (i = 0; i < f->nseen; i++)
		lib_free(f->seen[i].s);
	lib_free(f->seen);
	lib_free(f->pkeybuf);
	f->hash = NULL;
	f->seen = NULL;
	f->nseen = 0;
	f->pkeybuf = NULL;
}

void
builder_free(struct builder *b)
{
	if (b == NULL)
		return;
	while (b->depth > 0)
		frame_release(&b->stack[--b->depth]);
	lib_free(b->stack);
	if (b->ea != b->fixed)
		arena_free(b->ea);
	lib_free(b->steps);
	lib_free(b->pathcopy);
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
	const struct step *s;

	if (b->depth == 0)
		return 1;
	f = &b->stack[b->depth - 1];
	if (!f->on_path || b->depth > b->nsteps)
		return 0;
	s = &b->steps[b->depth - 1];
	switch (s->kind) {
	case STEP_ANY:
		return 1;
	case STEP_INDEX:
		return f->type == DOC_SEQ && f->index == s->index;
	case STEP_KEY:
		return f->type == DOC_MAP && f->pkey != NULL &&
		    f->pkeylen == s->keylen &&
		    memcmp(f->pkey, s->key, s->keylen) == 0;
	}
	return 0;
}

static int
oom(struct builder *b, const struct mark *m)
{
	return diag_err(b->d, m, "out of memory building the document");
}

/* Start an element (a whole document, or one collection member). */
static int
element_start(struct builder *b, const struct mark *m)
{
	if (b->fixed != NULL) {
		b->ea = b->fixed;
	} else if ((b->ea = arena_new()) == NULL) {
		return oom(b, m);
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
	if (a != b->fixed)
		arena_free(a);
	b->ea = NULL;
	return rc;
}

static int
check_size(struct builder *b, const struct mark *m)
{
	if (b->ea != NULL && b->lim.max_doc_bytes > 0 && b->ea != b->fixed &&
	    arena_used(b->ea) > b->lim.max_doc_bytes)
		return diag_err(b->d, m,
		    "document exceeds the size limit of "
		    "%zu bytes",
		    b->lim.max_doc_bytes);
	return 0;
}

/* A completed value: attach it to its parent or deliver it. */
static int
value_done(struct builder *b, struct doc_node *n)
{
	struct frame *f;

	b->last = n;
	if (b->depth == b->elem_depth)
		return element_deliver(b, n);
	f = &b->stack[b->depth - 1];
	if (f->type == DOC_SEQ) {
		if (doc_seq_push(b->ea, f->node, n) == -1)
			return oom(b, &n->mark);
	} else {
		if (f->key == NULL)
			return diag_err(b->d, &n->mark, "value without a key");
		if (doc_map_put(b->ea, f->node, f->key, n) == -1)
			return oom(b, &n->mark);
		f->key = NULL;
	}
	return check_size(b, &n->mark);
}

/* Advance the position of the enclosing container after a value. */
static void
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
		    b->pathcopy);
	return 0;
}

static int
push(struct builder *b, enum doc_type t, const struct mark *m)
{
	struct frame *f, *ns;
	size_t ncap;
	int on;

	if (b->depth >= b->lim.max_depth)
		return diag_err(b->d, m, "nesting deeper than the limit of %u",
		    b->lim.max_depth);
	on = !b->building && !b->whole_doc && value_on_path(b);
	if (on && b->depth == b->nsteps)
		on = 0; /* this container is an element itself */
	if (!b->building && !b->whole_doc && value_on_path(b) &&
	    b->depth == b->nsteps) {
		if (element_start(b, m) == -1)
			return -1;
	}
	if (b->depth == b->cap) {
		ncap = b->cap ? b->cap * 2 : 32;
		if ((ns = lib_realloc(b->stack, ncap * sizeof(*ns))) == NULL)
			return oom(b, m);
		b->stack = ns;
		b->cap = ncap;
	}
	f = &b->stack[b->depth];
	memset(f, 0, sizeof(*f));
	f->type = t;
	f->on_path = on;
	if (on && b->depth + 1 == b->nsteps)
		b->found = 1;
	if (b->building && (f->node = doc_new(b->ea, t, m)) == NULL)
		return oom(b, m);
	b->depth++;
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
	n = f->node;
	frame_release(f);
	if (n != NULL)
		rc = value_done(b, n);
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

static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
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
hash_rebuild(struct frame *f, size_t ncap)
{
	uint32_t *h;
	size_t i, j;
	struct doc_node *k;

	if ((h = lib_calloc(ncap, sizeof(*h))) == NULL)
		return -1;
	for (i = 0; i < f->node->u.map.n; i++) {
		k = f->node->u.map.pairs[i].key;
		j = hash_bytes(k->str, k->len) & (ncap - 1);
		while (h[j] != 0)
			j = (j + 1) & (ncap - 1);
		h[j] = (uint32_t)i + 1;
	}
	lib_free(f->hash);
	f->hash = h;
	f->hcap = ncap;
	return 0;
}

/* Check a key against a map being built; 0 if new. */
static int
check_dup_built(struct builder *b, struct frame *f, const char *s, size_t n,
    const struct mark *m)
{
	struct doc_pair *p = f->node->u.map.pairs;
	size_t cnt = f->node->u.map.n, i, j;
	struct doc_node *k;

	if (cnt < 16) {
		for (i = 0; i < cnt; i++)
			if (p[i].key->len == n &&
			    memcmp(p[i].key->str, s, n) == 0)
				return dup_error(b, m, s, n, &p[i].key->mark);
		return 0;
	}
	if ((f->hash == NULL || cnt * 2 >= f->hcap) &&
	    hash_rebuild(f, f->hcap ? f->hcap * 2 : 64) == -1)
		return oom(b, m);
	j = hash_bytes(s, n) & (f->hcap - 1);
	while (f->hash[j] != 0) {
		k = p[f->hash[j] - 1].key;
		if (k->len == n && memcmp(k->str, s, n) == 0)
			return dup_error(b, m, s, n, &k->mark);
		j = (j + 1) & (f->hcap - 1);
	}
	return 0;
}

/* Record the new key of a built map in its index (after the put). */
static void
hash_note(struct frame *f)
{
	struct doc_node *k;
	size_t j, idx = f->node->u.map.n; /* index the pending key gets */

	if (f->hash == NULL)
		return;
	k = f->key;
	j = hash_bytes(k->str, k->len) & (f->hcap - 1);
	while (f->hash[j] != 0)
		j = (j + 1) & (f->hcap - 1);
	f->hash[j] = (uint32_t)idx + 1;
}

int
builder_key(struct builder *b, const char *s, size_t n, const struct mark *m)
{
	struct frame *f;
	struct seen_key *sk;
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
		if (check_dup_built(b, f, s, n, m) == -1)
			return -1;
		if ((f->key = doc_new_string(b->ea, s, n, m)) == NULL)
			return oom(b, m);
		hash_note(f);
		f->pkey = f->key->str;
		f->pkeylen = n;
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

/* Float value, including YAML's .inf, -.inf and .nan spellings. */
static double
scalar_float(const char *s)
{
	const char *p = s;
	int neg = 0;

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
	if (t == DOC_NULL || t == DOC_BOOL)
		n = doc_new(b->ea, t, m);
	else if ((n = doc_new_string(b->ea, text, len, m)) != NULL)
		n->type = t; /* the text and the node in one allocation */
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
