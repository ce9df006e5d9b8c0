/*
 * assert.c: the declarative assertion language of `plugin: assert` rules
 * (docs/rules.md, "Assertions").
 *
 * A tree of all/any/none/not combinators over leaves; a leaf selects
 * nodes of a resource's attributes with a path, applies one operator to
 * each and combines the answers with a quantifier.  Everything is
 * three-valued (pass, fail, error) and missing data is never a pass:
 * a path that selects nothing is `error` unless the leaf says otherwise
 * (`absent: pass|fail`) or the operator is about presence (exists,
 * absent, count).
 *
 * Compilation (lint) reports every error of the tree with its
 * file:line:col and returns NULL at the end if there was any.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/assert_impl.h"

/* Sorted by name (bsearch; test_assert checks the order). */
static const struct op_def ops[] = {
	{ "absent", OP_ABSENT, W_TRUE, 1, 0, CMP_EQ },
	{ "age_days", OP_AGE_DAYS, W_NUMBER, 0, 1, CMP_EQ },
	{ "cidr_contains", OP_CIDR_CONTAINS, W_CIDR, 0, 0, CMP_EQ },
	{ "cidr_public", OP_CIDR_PUBLIC, W_BOOL, 0, 0, CMP_EQ },
	{ "contains", OP_CONTAINS, W_ANY, 0, 0, CMP_EQ },
	{ "count", OP_COUNT, W_COUNT, 0, 1, CMP_EQ },
	{ "eq", OP_EQ, W_ANY, 0, 0, CMP_EQ },
	{ "exists", OP_EXISTS, W_TRUE, 0, 0, CMP_EQ },
	{ "ge", OP_GE, W_NUMBER, 0, 0, CMP_GE },
	{ "gt", OP_GT, W_NUMBER, 0, 0, CMP_GT },
	{ "in", OP_IN, W_SEQ, 0, 0, CMP_EQ },
	{ "le", OP_LE, W_NUMBER, 0, 0, CMP_LE },
	{ "lt", OP_LT, W_NUMBER, 0, 0, CMP_LT },
	{ "matches", OP_MATCHES, W_REGEX, 0, 0, CMP_EQ },
	{ "ne", OP_NE, W_ANY, 1, 0, CMP_EQ },
	{ "not_in", OP_NOT_IN, W_SEQ, 1, 0, CMP_EQ },
};

#define NOPS (sizeof(ops) / sizeof(ops[0]))

const char *const assert_cmp_names[] = { "eq", "ne", "lt", "le", "gt", "ge" };
const char *const assert_cmp_syms[] = { "==", "!=", "<", "<=", ">", ">=" };
const enum cmp assert_cmp_negs[] = { CMP_NE, CMP_EQ, CMP_GE, CMP_GT, CMP_LE,
	CMP_LT };

/* ------------------------------------------------------------ compiling */

struct cst {
	struct arena *a;
	struct diag *d;
	const struct doc_node *params;
	int errors;
};

static int
op_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct op_def *)elem)->name);
}

static const struct op_def *
op_find(const char *name)
{
	return bsearch(name, ops, NOPS, sizeof(ops[0]), op_cmp);
}

static void cerr(struct cst *s, const struct doc_node *n, const char *fmt, ...)
    PRINTF_LIKE(3, 4);

/* Report a lint error at node n (its file:line:col). */
static void
cerr(struct cst *s, const struct doc_node *n, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag_err(s->d, n != NULL ? &n->mark : NULL, "%s", buf);
	s->errors++;
}

/* Out of memory while compiling node n: a system error, counted. */
static void
coom(struct cst *s, const struct doc_node *n)
{
	diag_sys(s->d, n != NULL ? &n->mark : NULL, "out of memory");
	s->errors++;
}

/* "a string", "an int", ... for messages. */

/* A { param: NAME } reference: returns the NAME node, else NULL. */
static const struct doc_node *
param_ref(const struct doc_node *n)
{
	if (n == NULL || n->type != DOC_MAP || n->u.map.n != 1 ||
	    strcmp(n->u.map.pairs[0].key->str, "param") != 0)
		return NULL;
	return n->u.map.pairs[0].val;
}

/*
 * Compile the operand of leaf `as` for operator key `opname`: a literal
 * (copied into the arena) or a parameter reference (declared, and its
 * default of the right type when it has one).
 */
static void
compile_operand(struct cst *s, struct assertion *as, const char *opname,
    const struct doc_node *v)
{
	const struct doc_node *pn, *decl, *def;
	const char *prob;
	enum want w = as->op->want;

	if (as->op->op == OP_COUNT)
		w = W_COUNT;
	if ((pn = param_ref(v)) != NULL) {
		if (w == W_TRUE) {
			cerr(
			    s, v, "'%s' expects true, not a parameter", opname);
			return;
		}
		if (pn->type != DOC_STRING || pn->len == 0) {
			cerr(s, pn, "'param' expects a parameter name");
			return;
		}
		if ((decl = doc_get(s->params, pn->str)) == NULL) {
			cerr(s, pn, "undeclared parameter '%s'", pn->str);
			return;
		}
		if ((as->operand.param = arena_strdup(s->a, pn->str)) == NULL) {
			coom(s, pn);
			return;
		}
		def = decl->type == DOC_MAP ? doc_get(decl, "default") : decl;
		if (def == NULL)
			return;
		if ((prob = av_operand_problem(w, def)) != NULL) {
			cerr(s, pn,
			    "parameter '%s' cannot be used with '%s': its "
			    "default is %s, '%s' %s",
			    pn->str, opname, av_article(def->type), opname,
			    prob);
			return;
		}
		if (w == W_REGEX) {
			if (regex_compile(s->a, s->d, def->str, &def->mark) ==
			    NULL)
				s->errors++;
		}
		return;
	}
	if ((prob = av_operand_problem(w, v)) != NULL) {
		if (strncmp(prob, "expects ", 8) == 0)
			cerr(s, v, "'%s' %s, got %s", opname, prob,
			    av_article(v->type));
		else
			cerr(s, v, "'%s': %s", opname, prob);
		return;
	}
	if (w == W_TRUE)
		return;
	if ((as->operand.lit = doc_copy(s->a, v)) == NULL) {
		coom(s, v);
		return;
	}
	if (w == W_REGEX) {
		if ((as->re = regex_compile(s->a, s->d, v->str, &v->mark)) ==
		    NULL)
			s->errors++;
	} else if (w == W_CIDR) {
		av_net(v->str, v->len, &as->net);
	}
}

/* age_days / count: { lt|le|gt|ge (count also eq, ne): N } */
static void
compile_cmpmap(struct cst *s, struct assertion *as, const char *opname,
    const struct doc_node *v)
{
	const struct doc_node *k;
	size_t i;
	int j, found = 0;

	if (v->type != DOC_MAP || v->u.map.n == 0 || param_ref(v) != NULL) {
		cerr(s, v, "'%s' expects a map such as { %s: N }", opname,
		    as->op->op == OP_COUNT ? "eq" : "gt");
		return;
	}
	for (i = 0; i < v->u.map.n; i++) {
		k = v->u.map.pairs[i].key;
		for (j = as->op->op == OP_COUNT ? 0 : 2; j < 6; j++)
			if (strcmp(k->str, assert_cmp_names[j]) == 0)
				break;
		if (j == 6) {
			cerr(s, k,
			    "unknown comparison '%s' in '%s' (expected %s)",
			    k->str, opname,
			    as->op->op == OP_COUNT ? "eq, ne, lt, le, gt or ge"
						   : "lt, le, gt or ge");
			continue;
		}
		if (found++) {
			cerr(s, k, "'%s' takes one comparison", opname);
			continue;
		}
		as->cmp = (enum cmp)j;
		compile_operand(s, as, k->str, v->u.map.pairs[i].val);
	}
}

static struct assertion *compile_node(
    struct cst *s, const struct doc_node *n, int depth);

static int
is_combinator(const char *k)
{
	return strcmp(k, "all") == 0 || strcmp(k, "any") == 0 ||
	    strcmp(k, "none") == 0 || strcmp(k, "not") == 0;
}

static struct assertion *
compile_combinator(struct cst *s, const struct doc_node *n, int depth)
{
	struct assertion *as;
	const struct doc_node *k = NULL, *v = NULL, *kk;
	size_t i;

	if ((as = arena_alloc(s->a, sizeof(*as))) == NULL) {
		coom(s, n);
		return NULL;
	}
	as->mark = n->mark;
	for (i = 0; i < n->u.map.n && k == NULL; i++)
		if (is_combinator(n->u.map.pairs[i].key->str))
			k = n->u.map.pairs[i].key;
	for (i = 0; i < n->u.map.n; i++) {
		kk = n->u.map.pairs[i].key;
		if (kk == k)
			continue;
		if (strcmp(kk->str, "message") == 0) {
			v = n->u.map.pairs[i].val;
			if (v->type != DOC_STRING)
				cerr(s, v, "'message' expects a string");
			else
				as->message = arena_strdup(s->a, v->str);
			continue;
		}
		if (!is_combinator(kk->str))
			cerr(s, kk, "unexpected key '%s' beside '%s'", kk->str,
			    k->str);
		else
			cerr(s, kk,
			    "'%s' cannot be combined with '%s' in one map",
			    kk->str, k->str);
	}
	v = doc_get(n, k->str);
	if (strcmp(k->str, "not") == 0) {
		as->kind = AK_NOT;
		if (v->type != DOC_MAP) {
			cerr(s, v, "'not' expects an assertion (a map), got %s",
			    av_article(v->type));
			return NULL;
		}
		if ((as->kids = arena_alloc(s->a, sizeof(*as->kids))) == NULL) {
			coom(s, v);
			return NULL;
		}
		as->nkids = 1;
		as->kids[0] = compile_node(s, v, depth + 1);
		return as;
	}
	as->kind = k->str[1] == 'l' ? AK_ALL
	    : k->str[1] == 'n'      ? AK_ANY
				    : AK_NONE;
	if (v->type != DOC_SEQ) {
		cerr(s, v, "'%s' expects a list of assertions, got %s", k->str,
		    av_article(v->type));
		return NULL;
	}
	if (v->u.seq.n == 0) {
		cerr(s, v, "'%s' needs at least one assertion", k->str);
		return NULL;
	}
	as->nkids = v->u.seq.n;
	if ((as->kids = arena_alloc(s->a, as->nkids * sizeof(*as->kids))) ==
	    NULL) {
		coom(s, v);
		return NULL;
	}
	for (i = 0; i < v->u.seq.n; i++)
		as->kids[i] = compile_node(s, v->u.seq.items[i], depth + 1);
	return as;
}

static void
re_cache_release(void *p)
{
	struct re_cache *rc = p;
	size_t i;

	for (i = 0; i < RE_CACHE_SIZE; i++)
		arena_free(rc->v[i].a);
}

/* A leaf's path; "" or none is the attributes themselves. */
static void
compile_path(struct cst *s, struct assertion *as, const struct doc_node *n,
    const struct doc_node *pathn)
{
	const char *text;
	struct mark pm;

	if (pathn != NULL && pathn->type != DOC_NULL &&
	    pathn->type != DOC_STRING) {
		cerr(s, pathn, "'path' expects a string, got %s",
		    av_article(pathn->type));
		return;
	}
	text = pathn != NULL && pathn->type == DOC_STRING ? pathn->str : "";
	if (pathn != NULL && pathn->type == DOC_STRING &&
	    strlen(text) != pathn->len) {
		cerr(s, pathn, "'path' contains a NUL byte");
		return;
	}
	pm = pathn != NULL ? scalar_mark(&pathn->mark, text, 0) : n->mark;
	as->path = doc_path_compile(s->a, s->d, text, &pm);
	if (as->path == NULL)
		s->errors++;
	as->ptext = text[0] != '\0' ? text : "$";
}

/* A leaf's `quantifier:` (opkey: its operator's key, or NULL). */
static void
compile_quant(struct cst *s, struct assertion *as, const struct doc_node *opkey,
    const struct doc_node *quantn)
{
	if (quantn->type == DOC_STRING && strcmp(quantn->str, "all") == 0)
		as->quant = Q_ALL;
	else if (quantn->type == DOC_STRING && strcmp(quantn->str, "any") == 0)
		as->quant = Q_ANY;
	else if (quantn->type == DOC_STRING && strcmp(quantn->str, "none") == 0)
		as->quant = Q_NONE;
	else
		cerr(s, quantn,
		    "unknown quantifier '%s' (expected all, any or "
		    "none)",
		    quantn->type == DOC_STRING ? quantn->str
					       : av_article(quantn->type));
	if (opkey != NULL &&
	    (as->op->op == OP_ABSENT || as->op->op == OP_COUNT))
		cerr(s, quantn, "'quantifier' has no meaning with '%s'",
		    opkey->str);
	else if (opkey != NULL && as->op->op == OP_EXISTS &&
	    as->quant == Q_NONE)
		cerr(s, quantn,
		    "'quantifier: none' with 'exists'; write "
		    "'absent: true'");
}

/* A leaf's `absent: pass|fail|error` (opkey as for compile_quant). */
static void
compile_absent(struct cst *s, struct assertion *as,
    const struct doc_node *opkey, const struct doc_node *absentn)
{
	if (strcmp(absentn->str, "pass") == 0)
		as->absent = ST_PASS;
	else if (strcmp(absentn->str, "fail") == 0)
		as->absent = ST_FAIL;
	else if (strcmp(absentn->str, "error") == 0)
		as->absent = ST_ERROR;
	else
		cerr(s, absentn,
		    "'absent' expects pass, fail or error (or true, "
		    "as an operator), got '%s'",
		    absentn->str);
	if (opkey != NULL &&
	    (as->op->op == OP_EXISTS || as->op->op == OP_ABSENT ||
		as->op->op == OP_COUNT))
		cerr(s, absentn, "'absent: %s' has no meaning with '%s'",
		    absentn->str, opkey->str);
}

static struct assertion *
compile_leaf(struct cst *s, const struct doc_node *n)
{
	struct assertion *as;
	const struct doc_node *k, *v, *opkey = NULL, *opval = NULL;
	const struct doc_node *pathn = NULL, *quantn = NULL, *absentn = NULL;
	const struct op_def *od;
	size_t i;
	int errors = s->errors;

	if ((as = arena_alloc(s->a, sizeof(*as))) == NULL) {
		coom(s, n);
		return NULL;
	}
	as->kind = AK_LEAF;
	as->mark = n->mark;
	as->absent = ST_ERROR;
	for (i = 0; i < n->u.map.n; i++) {
		k = n->u.map.pairs[i].key;
		v = n->u.map.pairs[i].val;
		if (strcmp(k->str, "path") == 0) {
			pathn = v;
		} else if (strcmp(k->str, "quantifier") == 0) {
			quantn = v;
		} else if (strcmp(k->str, "message") == 0) {
			if (v->type != DOC_STRING)
				cerr(s, v, "'message' expects a string");
			else if ((as->message = arena_strdup(s->a, v->str)) ==
			    NULL)
				coom(s, v);
		} else if (strcmp(k->str, "absent") == 0 &&
		    v->type == DOC_STRING) {
			absentn = v;
		} else if ((od = op_find(k->str)) != NULL) {
			if (opkey != NULL) {
				cerr(s, k,
				    "assertion has more than one operator "
				    "('%s' and '%s')",
				    opkey->str, k->str);
				continue;
			}
			opkey = k;
			opval = v;
			as->op = od;
		} else if (is_combinator(k->str)) {
			cerr(s, k, "'%s' cannot be combined with leaf keys",
			    k->str);
		} else if (strcmp(k->str, "param") == 0) {
			cerr(s, k,
			    "'{ param: ... }' is an operand, not an "
			    "assertion");
		} else {
			cerr(s, k, "unknown key '%s' in assertion", k->str);
		}
	}
	if (opkey == NULL) {
		cerr(s, n,
		    "assertion has no operator (one of exists, absent, eq, ne, "
		    "in, not_in, matches, lt, le, gt, ge, age_days, "
		    "cidr_public, cidr_contains, contains, count)");
	} else if (as->op->cmpmap) {
		compile_cmpmap(s, as, opkey->str, opval);
	} else {
		as->cmp = as->op->cmp;
		if (as->op->want == W_TRUE && opval->type == DOC_BOOL &&
		    !opval->u.b)
			cerr(s, opval,
			    "'%s: false' is not allowed; write '%s: true'",
			    opkey->str,
			    as->op->op == OP_EXISTS ? "absent" : "exists");
		else
			compile_operand(s, as, opkey->str, opval);
	}
	compile_path(s, as, n, pathn);
	if (quantn != NULL)
		compile_quant(s, as, opkey, quantn);
	if (absentn != NULL)
		compile_absent(s, as, opkey, absentn);
	if (opkey != NULL && as->op->op == OP_MATCHES &&
	    as->operand.param != NULL) {
		if ((as->cache = arena_alloc(s->a, sizeof(*as->cache))) ==
			NULL ||
		    arena_defer(s->a, re_cache_release, as->cache) == -1)
			coom(s, n);
	}
	return s->errors == errors ? as : NULL;
}

static struct assertion *
compile_node(struct cst *s, const struct doc_node *n, int depth)
{
	size_t i;

	if (n == NULL) {
		cerr(s, NULL, "missing assertion");
		return NULL;
	}
	if (depth > ASSERT_MAX_DEPTH) {
		cerr(s, n, "assertion nested deeper than %d levels",
		    ASSERT_MAX_DEPTH);
		return NULL;
	}
	if (n->type != DOC_MAP) {
		cerr(s, n, "an assertion must be a map, got %s",
		    av_article(n->type));
		return NULL;
	}
	if (n->u.map.n == 0) {
		cerr(s, n, "empty assertion");
		return NULL;
	}
	for (i = 0; i < n->u.map.n; i++)
		if (is_combinator(n->u.map.pairs[i].key->str)) {
			/* A leaf with a stray combinator key is reported
			 * by the leaf; a map with a path is a leaf. */
			if (doc_get(n, "path") == NULL)
				return compile_combinator(s, n, depth);
			break;
		}
	return compile_leaf(s, n);
}

struct assertion *
assert_compile(struct arena *a, struct diag *d, const struct doc_node *tree,
    const struct doc_node *params)
{
	struct cst s = { a, d, params, 0 };
	struct assertion *as;

	if (params != NULL && params->type != DOC_MAP)
		s.params = NULL;
	as = compile_node(&s, tree, 0);
	return s.errors == 0 ? as : NULL;
}
