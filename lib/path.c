/*
 * path.c: path expressions over document trees.
 *
 *	path   := [ "$" ] step*
 *	step   := [ "." ] name | "." "*" | "[" index "]" | "[*]"
 *		| "[" quoted "]"
 *	name   := characters other than . [ ] and white space
 *	quoted := '"' ... '"' | "'" ... "'"   (backslash escapes " ' \)
 *
 * `a.b[*].c` selects c in every element of the sequence a.b; `tags.*`
 * selects every value of the map tags; `["aws:SecureTransport"]` is a key
 * with characters that would otherwise be syntax.
 */
#include <string.h>

#include "lib/lib.h"

struct doc_path {
	const char *text;
	struct doc_step *steps;
	size_t n;
	int multi;
};

static int
path_err(struct diag *d, const struct mark *m, const char *expr, size_t off,
    const char *what)
{
	struct mark mm;

	if (m != NULL) {
		mm = *m;
		/* Point into the expression when it sits on one line. */
		if (mm.col > 0)
			mm.col += (uint32_t)off;
		return diag_err(d, &mm, "invalid path '%s': %s", expr, what);
	}
	return diag_err(
	    d, NULL, "invalid path '%s' at offset %zu: %s", expr, off, what);
}

struct doc_path *
doc_path_compile(
    struct arena *a, struct diag *d, const char *expr, const struct mark *m)
{
	struct doc_path *p;
	struct doc_step *s;
	const char *c = expr;
	size_t cap = 4, len;
	char q, *k;

	if ((p = arena_alloc(a, sizeof(*p))) == NULL ||
	    (p->text = arena_strdup(a, expr)) == NULL ||
	    (p->steps = arena_alloc(a, cap * sizeof(*s))) == NULL) {
		diag_sys(d, m, "out of memory");
		return NULL;
	}
	if (c[0] == '$')
		c++;
	while (*c != '\0') {
		if (p->n == cap) {
			s = arena_realloc(a, p->steps, cap * sizeof(*s),
			    2 * cap * sizeof(*s));
			if (s == NULL) {
				diag_sys(d, m, "out of memory");
				return NULL;
			}
			p->steps = s;
			cap *= 2;
		}
		s = &p->steps[p->n];
		if (*c == '.') {
			c++;
			if (*c == '\0' || *c == '.' || *c == '[') {
				path_err(d, m, expr, (size_t)(c - expr),
				    "expected a key after '.'");
				return NULL;
			}
		}
		if (*c == '*') {
			s->kind = DOC_STEP_ANY;
			c++;
		} else if (*c == '[') {
			c++;
			if (c[0] == '*' && c[1] == ']') {
				s->kind = DOC_STEP_ANY;
				c += 2;
			} else if (*c == '"' || *c == '\'') {
				q = *c++;
				if ((k = arena_alloc(a, strlen(c) + 1)) ==
				    NULL) {
					diag_sys(d, m, "out of memory");
					return NULL;
				}
				len = 0;
				while (*c != '\0' && *c != q) {
					if (*c == '\\' && c[1] != '\0')
						c++;
					k[len++] = *c++;
				}
				if (*c != q || c[1] != ']') {
					path_err(d, m, expr, (size_t)(c - expr),
					    "unterminated quoted key");
					return NULL;
				}
				c += 2;
				s->kind = DOC_STEP_KEY;
				s->key = k;
				s->keylen = len;
			} else if (*c >= '0' && *c <= '9') {
				s->kind = DOC_STEP_INDEX;
				s->index = 0;
				while (*c >= '0' && *c <= '9') {
					if (s->index > (SIZE_MAX - 9) / 10) {
						path_err(d, m, expr,
						    (size_t)(c - expr),
						    "index too large");
						return NULL;
					}
					s->index = s->index * 10 +
					    (size_t)(*c++ - '0');
				}
				if (*c++ != ']') {
					path_err(d, m, expr,
					    (size_t)(c - 1 - expr),
					    "expected ']'");
					return NULL;
				}
			} else {
				path_err(d, m, expr, (size_t)(c - expr),
				    "expected an index, '*' or a quoted key "
				    "after '['");
				return NULL;
			}
		} else {
			len = strcspn(c, ".[] \t\n");
			if (len == 0) {
				path_err(d, m, expr, (size_t)(c - expr),
				    "unexpected character");
				return NULL;
			}
			s->kind = DOC_STEP_KEY;
			if ((s->key = arena_strndup(a, c, len)) == NULL) {
				diag_sys(d, m, "out of memory");
				return NULL;
			}
			s->keylen = len;
			c += len;
		}
		if (s->kind == DOC_STEP_ANY)
			p->multi = 1;
		p->n++;
	}
	return p;
}

const struct doc_step *
doc_path_steps(const struct doc_path *p, size_t *n)
{
	*n = p->n;
	return p->steps;
}

const char *
doc_path_text(const struct doc_path *p)
{
	return p->text;
}

int
doc_path_is_multi(const struct doc_path *p)
{
	return p->multi;
}

int
doc_path_head(const struct doc_path *p, const char **key, size_t *len)
{
	if (p->n == 0 || p->steps[0].kind != DOC_STEP_KEY)
		return 0;
	*key = p->steps[0].key;
	*len = p->steps[0].keylen;
	return 1;
}

struct eval {
	const struct doc_path *p;
	doc_path_fn fn;
	void *ctx;
	int *missing;
	long visited;
	int stop;
};

static int
eval_rec(struct eval *e, size_t i, const struct doc_node *n)
{
	const struct doc_step *s;
	const struct doc_node *c;
	size_t j;
	int rc;

	if (e->stop)
		return 0;
	if (i == e->p->n) {
		e->visited++;
		if ((rc = e->fn(e->ctx, n)) == -1)
			return -1;
		if (rc == 1)
			e->stop = 1;
		return 0;
	}
	s = &e->p->steps[i];
	switch (s->kind) {
	case DOC_STEP_KEY:
		if ((c = doc_getn(n, s->key, s->keylen)) == NULL)
			goto missing;
		return eval_rec(e, i + 1, c);
	case DOC_STEP_INDEX:
		if (n->type != DOC_SEQ || s->index >= n->u.seq.n)
			goto missing;
		return eval_rec(e, i + 1, n->u.seq.items[s->index]);
	case DOC_STEP_ANY:
		if (n->type == DOC_SEQ) {
			for (j = 0; j < n->u.seq.n && !e->stop; j++)
				if (eval_rec(e, i + 1, n->u.seq.items[j]) == -1)
					return -1;
			return 0;
		}
		if (n->type == DOC_MAP) {
			for (j = 0; j < n->u.map.n && !e->stop; j++)
				if (eval_rec(e, i + 1, n->u.map.pairs[j].val) ==
				    -1)
					return -1;
			return 0;
		}
		goto missing;
	}
missing:
	if (e->missing != NULL)
		*e->missing = 1;
	return 0;
}

long
doc_path_eval(const struct doc_path *p, const struct doc_node *root,
    doc_path_fn fn, void *ctx, int *missing)
{
	struct eval e = { p, fn, ctx, missing, 0, 0 };

	if (missing != NULL)
		*missing = 0;
	if (root == NULL) {
		if (missing != NULL)
			*missing = 1;
		return 0;
	}
	if (eval_rec(&e, 0, root) == -1)
		return -1;
	return e.visited;
}

static int
first_fn(void *ctx, const struct doc_node *n)
{
	*(const struct doc_node **)ctx = n;
	return 1;
}

const struct doc_node *
doc_path_first(const struct doc_path *p, const struct doc_node *root)
{
	const struct doc_node *n = NULL;

	doc_path_eval(p, root, first_fn, &n, NULL);
	return n;
}
