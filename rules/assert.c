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
#include <stdarg.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/cidr.h"
#include "rules/rules.h"

#define ASSERT_MAX_DEPTH 64
/* Evidence entries one leaf records at most. */
#define ASSERT_MAX_EVIDENCE 8
/* Compiled regexes kept per `matches: {param: ...}` leaf. */
#define RE_CACHE_SIZE 4

enum akind { AK_ALL, AK_ANY, AK_NONE, AK_NOT, AK_LEAF };

enum op {
	OP_ABSENT,
	OP_AGE_DAYS,
	OP_CIDR_CONTAINS,
	OP_CIDR_PUBLIC,
	OP_CONTAINS,
	OP_COUNT,
	OP_EQ,
	OP_EXISTS,
	OP_GE,
	OP_GT,
	OP_IN,
	OP_LE,
	OP_LT,
	OP_MATCHES,
	OP_NE,
	OP_NOT_IN
};

/* What an operator's operand must be. */
enum want {
	W_TRUE, /* exists, absent: the literal true */
	W_ANY, /* eq, ne, contains */
	W_SEQ, /* in, not_in */
	W_REGEX, /* matches: a string, compiled */
	W_NUMBER, /* lt le gt ge, and inside age_days */
	W_COUNT, /* inside count: an integer >= 0 */
	W_BOOL, /* cidr_public */
	W_CIDR /* cidr_contains: a string holding a network */
};

enum cmp { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

enum quant { Q_ALL, Q_ANY, Q_NONE };

/* A value's satisfaction of an operator. */
enum tri { T_UNSAT, T_SAT, T_UNKNOWN };

struct op_def {
	const char *name;
	enum op op;
	enum want want;
	int negated; /* ne, not_in, absent: the positive op, inverted */
	int cmpmap; /* operand is { lt|le|gt|ge...: N } */
	enum cmp cmp; /* lt le gt ge */
};

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

static const char *const cmp_names[] = { "eq", "ne", "lt", "le", "gt", "ge" };
static const char *const cmp_syms[] = { "==", "!=", "<", "<=", ">", ">=" };
static const enum cmp cmp_negs[] = { CMP_NE, CMP_EQ, CMP_GE, CMP_GT, CMP_LE,
	CMP_LT };

struct re_cache_entry {
	struct arena *a; /* owns re; NULL = empty slot */
	char *pattern;
	struct regex *re; /* NULL when the pattern did not compile */
	char *error;
};

/* Regexes compiled at evaluation from parameter values. */
struct re_cache {
	struct re_cache_entry v[RE_CACHE_SIZE];
	unsigned next;
};

struct operand {
	const struct doc_node *lit; /* copied literal, or NULL */
	const char *param; /* parameter name, or NULL */
};

struct assertion {
	enum akind kind;
	struct mark mark;
	const char *message; /* shown when this node fails */
	struct assertion **kids;
	size_t nkids;
	/* Leaves. */
	const struct op_def *op;
	struct doc_path *path;
	const char *ptext; /* path text for messages; "$" = root */
	enum quant quant;
	enum status absent; /* ST_PASS, ST_FAIL or ST_ERROR */
	enum cmp cmp;
	struct operand operand;
	struct regex *re; /* matches, literal */
	struct cidr net; /* cidr_contains, literal */
	struct re_cache *cache; /* matches, parameter */
};

/* ------------------------------------------------------------- values */

struct num {
	int is_int;
	int64_t i;
	double f;
};

/* num_of() results besides 0. */
#define NUM_NOT -1 /* not a number at all */
#define NUM_RANGE -2 /* a number no double or int64 holds exactly */

/* Whether number text has only digits after its sign (no . e E). */
static int
integer_text(const char *s, size_t len)
{
	size_t i = 0;

	if (s == NULL || len == 0)
		return 0;
	if (s[0] == '-' || s[0] == '+')
		i++;
	if (i == len)
		return 0;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * A number: DOC_INT, DOC_FLOAT, or a string that is entirely a decimal
 * number ("90", "-1.5", "1e3"; no spaces, hex, inf or nan).  0, NUM_NOT,
 * or NUM_RANGE for a number that cannot be represented: an overflowing
 * float (1e400, .inf) or an integer beyond 64 bits, which the loaders
 * keep as a float that would compare loosely.
 */
static int
num_of(const struct doc_node *n, struct num *out)
{
	const char *s;
	char buf[64], *end;
	size_t i = 0, len;
	int digits = 0, is_int = 1;

	switch (n->type) {
	case DOC_INT:
		out->is_int = 1;
		out->i = n->u.i;
		out->f = (double)n->u.i;
		return 0;
	case DOC_FLOAT:
		if (isnan(n->u.f))
			return NUM_NOT;
		if (!isfinite(n->u.f) || integer_text(n->str, n->len))
			return NUM_RANGE;
		out->is_int = 0;
		out->f = n->u.f;
		return 0;
	case DOC_STRING:
		break;
	default:
		return -1;
	}
	s = n->str;
	len = n->len;
	if (len == 0 || len >= sizeof(buf) || strlen(s) != len)
		return -1;
	if (s[i] == '+' || s[i] == '-')
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < len && s[i] == '.') {
		is_int = 0;
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	}
	if (digits == 0)
		return -1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		is_int = 0;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i == len || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i != len)
		return -1;
	memcpy(buf, s[0] == '+' ? s + 1 : s, len - (s[0] == '+'));
	buf[len - (s[0] == '+')] = '\0';
	if (is_int && parse_int64(buf, &out->i) == 0) {
		out->is_int = 1;
		out->f = (double)out->i;
		return 0;
	}
	if (is_int)
		return NUM_RANGE;
	errno = 0;
	out->f = strtod(buf, &end);
	if (*end != '\0')
		return NUM_NOT;
	if (!isfinite(out->f))
		return NUM_RANGE;
	out->is_int = 0;
	return 0;
}

static int
num_cmp(const struct num *a, const struct num *b)
{
	if (a->is_int && b->is_int)
		return a->i < b->i ? -1 : a->i > b->i;
	return a->f < b->f ? -1 : a->f > b->f;
}

static int
cmp_holds(enum cmp c, int r)
{
	switch (c) {
	case CMP_EQ:
		return r == 0;
	case CMP_NE:
		return r != 0;
	case CMP_LT:
		return r < 0;
	case CMP_LE:
		return r <= 0;
	case CMP_GT:
		return r > 0;
	case CMP_GE:
		return r >= 0;
	}
	return 0;
}

/*
 * Latest accepted time, 9999-12-31T23:59:59Z.  Epoch milliseconds of
 * today's dates lie far beyond it, so they are refused rather than read
 * as seconds in a distant future (which would make every age negative
 * and pass an "age < N" check).
 */
#define TIME_MAX 253402300799LL

/*
 * A timestamp: a JSON/YAML number of epoch seconds, or a string that the
 * strict time_parse() reads (RFC 3339 date-time or YYYY-MM-DD).  A string
 * of digits is not read as epoch seconds: "20261231" would be 1970.
 */
static int
time_of(const struct doc_node *n, int64_t *t)
{
	if (n->type == DOC_INT) {
		*t = n->u.i;
	} else if (n->type == DOC_FLOAT) {
		if (!isfinite(n->u.f) || fabs(n->u.f) > (double)TIME_MAX)
			return -1;
		*t = (int64_t)floor(n->u.f);
	} else if (n->type != DOC_STRING ||
	    time_parse(n->str, n->len, TIME_ANY, t, NULL) == -1) {
		return -1;
	}
	return *t > TIME_MAX || *t < -TIME_MAX ? -1 : 0;
}

/* ------------------------------------------------------------- networks */

/*
 * A network for the CIDR operators (lib/cidr.h): "addr" or "addr/n",
 * IPv4 or IPv6, host bits ignored; an IPv4-mapped IPv6 network
 * (::ffff:10.0.0.0/104) is the IPv4 network, as docs/rules.md says.
 * Families never mix: 0.0.0.0/0 does not contain ::/0.  0 or -1.
 */
static int
net_parse(const char *s, size_t len, struct cidr *out)
{
	if (cidr_parse(s, len, 0, out) == -1)
		return -1;
	cidr_unmap(out);
	return 0;
}

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

/* "a string", "an int", ... for messages. */
static const char *
type_article(enum doc_type t)
{
	static const char *const names[] = { "null", "a bool", "an int",
		"a float", "a string", "a list", "a map" };

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

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
 * Whether v fits what an operand must be.  NULL when it does, else a
 * description of the problem (static text).  Regexes are compiled
 * elsewhere.
 */
static const char *
operand_problem(enum want w, const struct doc_node *v)
{
	struct cidr net;

	switch (w) {
	case W_TRUE:
		return v->type == DOC_BOOL && v->u.b ? NULL : "expects true";
	case W_ANY:
		return NULL;
	case W_SEQ:
		return v->type == DOC_SEQ ? NULL : "expects a list";
	case W_REGEX:
		if (v->type != DOC_STRING)
			return "expects a string (a regex)";
		return strlen(v->str) == v->len ? NULL
						: "regex contains a NUL byte";
	case W_NUMBER:
		if (v->type == DOC_FLOAT && !isfinite(v->u.f))
			return "expects a finite number";
		if (v->type == DOC_FLOAT && integer_text(v->str, v->len))
			return "expects an integer that fits in 64 bits";
		return v->type == DOC_INT || v->type == DOC_FLOAT
		    ? NULL
		    : "expects a number";
	case W_COUNT:
		return v->type == DOC_INT && v->u.i >= 0 &&
			!(v->u.i == 0 && v->str != NULL && v->len > 0 &&
			    v->str[0] == '-')
		    ? NULL
		    : "expects a non-negative integer";
	case W_BOOL:
		return v->type == DOC_BOOL ? NULL : "expects true or false";
	case W_CIDR:
		if (v->type != DOC_STRING ||
		    net_parse(v->str, v->len, &net) == -1)
			return "expects an IP network such as '10.0.0.0/8'";
		return NULL;
	}
	return "?";
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
			cerr(s, pn, "out of memory");
			return;
		}
		def = decl->type == DOC_MAP ? doc_get(decl, "default") : decl;
		if (def == NULL)
			return;
		if ((prob = operand_problem(w, def)) != NULL) {
			cerr(s, pn,
			    "parameter '%s' cannot be used with '%s': its "
			    "default is %s, '%s' %s",
			    pn->str, opname, type_article(def->type), opname,
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
	if ((prob = operand_problem(w, v)) != NULL) {
		if (strncmp(prob, "expects ", 8) == 0)
			cerr(s, v, "'%s' %s, got %s", opname, prob,
			    type_article(v->type));
		else
			cerr(s, v, "'%s': %s", opname, prob);
		return;
	}
	if (w == W_TRUE)
		return;
	if ((as->operand.lit = doc_copy(s->a, v)) == NULL) {
		cerr(s, v, "out of memory");
		return;
	}
	if (w == W_REGEX) {
		if ((as->re = regex_compile(s->a, s->d, v->str, &v->mark)) ==
		    NULL)
			s->errors++;
	} else if (w == W_CIDR) {
		net_parse(v->str, v->len, &as->net);
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
			if (strcmp(k->str, cmp_names[j]) == 0)
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
		cerr(s, n, "out of memory");
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
			    type_article(v->type));
			return NULL;
		}
		if ((as->kids = arena_alloc(s->a, sizeof(*as->kids))) == NULL) {
			cerr(s, v, "out of memory");
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
		    type_article(v->type));
		return NULL;
	}
	if (v->u.seq.n == 0) {
		cerr(s, v, "'%s' needs at least one assertion", k->str);
		return NULL;
	}
	as->nkids = v->u.seq.n;
	if ((as->kids = arena_alloc(s->a, as->nkids * sizeof(*as->kids))) ==
	    NULL) {
		cerr(s, v, "out of memory");
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

static struct assertion *
compile_leaf(struct cst *s, const struct doc_node *n)
{
	struct assertion *as;
	const struct doc_node *k, *v, *opkey = NULL, *opval = NULL;
	const struct doc_node *pathn = NULL, *quantn = NULL, *absentn = NULL;
	const struct op_def *od;
	struct mark pm;
	size_t i;
	int errors = s->errors;

	if ((as = arena_alloc(s->a, sizeof(*as))) == NULL) {
		cerr(s, n, "out of memory");
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
				cerr(s, v, "out of memory");
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
	/* The path; "" or none is the attributes themselves. */
	if (pathn != NULL && pathn->type != DOC_NULL &&
	    pathn->type != DOC_STRING) {
		cerr(s, pathn, "'path' expects a string, got %s",
		    type_article(pathn->type));
	} else {
		const char *text = pathn != NULL && pathn->type == DOC_STRING
		    ? pathn->str
		    : "";

		if (pathn != NULL && pathn->type == DOC_STRING &&
		    strlen(text) != pathn->len) {
			cerr(s, pathn, "'path' contains a NUL byte");
		} else {
			pm = pathn != NULL ? scalar_mark(&pathn->mark, text, 0)
					   : n->mark;
			as->path = doc_path_compile(s->a, s->d, text, &pm);
			if (as->path == NULL)
				s->errors++;
			as->ptext = text[0] != '\0' ? text : "$";
		}
	}
	if (quantn != NULL) {
		if (quantn->type == DOC_STRING &&
		    strcmp(quantn->str, "all") == 0)
			as->quant = Q_ALL;
		else if (quantn->type == DOC_STRING &&
		    strcmp(quantn->str, "any") == 0)
			as->quant = Q_ANY;
		else if (quantn->type == DOC_STRING &&
		    strcmp(quantn->str, "none") == 0)
			as->quant = Q_NONE;
		else
			cerr(s, quantn,
			    "unknown quantifier '%s' (expected all, any or "
			    "none)",
			    quantn->type == DOC_STRING
				? quantn->str
				: type_article(quantn->type));
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
	if (absentn != NULL) {
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
			cerr(s, absentn,
			    "'absent: %s' has no meaning with '%s'",
			    absentn->str, opkey->str);
	}
	if (opkey != NULL && as->op->op == OP_MATCHES &&
	    as->operand.param != NULL) {
		if ((as->cache = arena_alloc(s->a, sizeof(*as->cache))) ==
			NULL ||
		    arena_defer(s->a, re_cache_release, as->cache) == -1)
			cerr(s, n, "out of memory");
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
		    type_article(n->type));
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

/* ----------------------------------------------------------- evaluation */

/* The state of one assert_eval() call. */
struct ev {
	struct check_ctx *c;
	struct arena *tmp; /* messages: the result's arena */
	int oom;
	long long regex_ns; /* time spent matching regexes */
};

/*
 * Regex time one evaluation may spend over all its values (each match
 * also has its own budget in regex.c), so a wildcard over thousands of
 * strings cannot stall a scan.
 */
#define EVAL_REGEX_BUDGET_NS (1000 * 1000000LL)

static long long
mono_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A resolved operand. */
struct opval {
	const struct doc_node *v;
	struct num num;
	struct cidr net;
	const struct regex *re;
};

static char *
ev_detach(struct ev *e, struct strbuf *sb)
{
	char *s = NULL;

	if (!sb->oom && sb->s != NULL)
		s = arena_strndup(e->tmp, sb->s, sb->len);
	else if (!sb->oom)
		s = arena_strdup(e->tmp, "");
	sb_free(sb);
	if (s == NULL)
		e->oom = 1;
	return s;
}

/* A string, quoted, truncated to about max bytes, control bytes escaped. */
static void
put_str(struct strbuf *sb, const char *s, size_t len, size_t max)
{
	size_t i, n = len;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	sb_addc(sb, '\'');
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f)
			sb_printf(sb, "\\x%02x", ch);
		else
			sb_addc(sb, (char)ch);
	}
	if (n < len)
		sb_adds(sb, "...");
	sb_addc(sb, '\'');
}

/* A value for a one-line message, bounded in size and depth. */
static void
put_value(struct strbuf *sb, const struct doc_node *n, int depth)
{
	size_t i;

	if (n == NULL) {
		sb_adds(sb, "absent");
		return;
	}
	switch (n->type) {
	case DOC_NULL:
		sb_adds(sb, "null");
		break;
	case DOC_BOOL:
		sb_adds(sb, n->u.b ? "true" : "false");
		break;
	case DOC_INT:
	case DOC_FLOAT:
		if (n->str != NULL)
			sb_add(sb, n->str, n->len > 40 ? 40 : n->len);
		else if (n->type == DOC_INT)
			sb_printf(sb, "%lld", (long long)n->u.i);
		else
			sb_printf(sb, "%g", n->u.f);
		break;
	case DOC_STRING:
		put_str(sb, n->str, n->len, 80);
		break;
	case DOC_SEQ:
		if (depth > 1) {
			sb_adds(sb, "[...]");
			break;
		}
		sb_addc(sb, '[');
		for (i = 0; i < n->u.seq.n && i < 4; i++) {
			if (i > 0)
				sb_adds(sb, ", ");
			put_value(sb, n->u.seq.items[i], depth + 1);
		}
		if (n->u.seq.n > 4)
			sb_printf(sb, ", ... (%zu items)", n->u.seq.n);
		sb_addc(sb, ']');
		break;
	case DOC_MAP:
		if (depth > 1) {
			sb_adds(sb, "{...}");
			break;
		}
		sb_addc(sb, '{');
		for (i = 0; i < n->u.map.n && i < 3; i++) {
			if (i > 0)
				sb_adds(sb, ", ");
			put_str(sb, n->u.map.pairs[i].key->str,
			    n->u.map.pairs[i].key->len, 40);
			sb_adds(sb, ": ");
			put_value(sb, n->u.map.pairs[i].val, depth + 1);
		}
		if (n->u.map.n > 3)
			sb_printf(sb, ", ... (%zu keys)", n->u.map.n);
		sb_addc(sb, '}');
		break;
	}
}

/* What the leaf expects, negated when neg (for messages). */
static void
put_expect(struct strbuf *sb, const struct assertion *as,
    const struct opval *ov, int neg)
{
	int n = neg ^ as->op->negated;
	enum cmp c = n ? cmp_negs[as->cmp] : as->cmp;
	size_t i;

	switch (as->op->op) {
	case OP_EXISTS:
	case OP_ABSENT:
		sb_adds(sb, n ? "it to be absent" : "it to exist");
		return;
	case OP_EQ:
	case OP_NE:
		if (n)
			sb_adds(sb, "not ");
		put_value(sb, ov->v, 0);
		return;
	case OP_IN:
	case OP_NOT_IN:
		sb_adds(sb, n ? "none of " : "one of ");
		for (i = 0; ov->v != NULL && i < ov->v->u.seq.n && i < 8; i++) {
			if (i > 0)
				sb_adds(sb, ", ");
			put_value(sb, ov->v->u.seq.items[i], 1);
		}
		if (ov->v != NULL && ov->v->u.seq.n > 8)
			sb_printf(sb, ", ... (%zu values)", ov->v->u.seq.n);
		if (ov->v != NULL && ov->v->u.seq.n == 0)
			sb_adds(sb, "an empty list");
		return;
	case OP_MATCHES:
		sb_adds(sb, n ? "not to match " : "to match ");
		put_value(sb, ov->v, 0);
		return;
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		sb_printf(sb, "%s ", cmp_syms[c]);
		put_value(sb, ov->v, 0);
		return;
	case OP_AGE_DAYS:
		sb_printf(sb, "an age %s ", cmp_syms[c]);
		put_value(sb, ov->v, 0);
		sb_adds(sb, " days");
		return;
	case OP_COUNT:
		sb_printf(sb, "a count %s ", cmp_syms[c]);
		put_value(sb, ov->v, 0);
		return;
	case OP_CIDR_PUBLIC:
		sb_adds(sb,
		    (ov->v != NULL && ov->v->u.b) ^ n
			? "a network with public addresses"
			: "no public address");
		return;
	case OP_CIDR_CONTAINS:
		sb_adds(sb, n ? "a network not within " : "a network within ");
		put_value(sb, ov->v, 0);
		return;
	case OP_CONTAINS:
		sb_adds(sb, n ? "not to contain " : "to contain ");
		put_value(sb, ov->v, 0);
		return;
	}
}

/* Substring search over lengths (values may hold NUL bytes). */
static int
has_substr(const char *h, size_t hl, const char *nd, size_t nl)
{
	size_t i;

	if (nl == 0)
		return 1;
	for (i = 0; i + nl <= hl; i++)
		if (h[i] == nd[0] && memcmp(h + i, nd, nl) == 0)
			return 1;
	return 0;
}

/*
 * When the operand is an integer, the field holds a count or a size: a
 * value with a fraction or an exponent (14.5, 14.0, 1e1) or a negative
 * zero ("-0") is not one and is not compared.  NULL when x is fine,
 * else why it is not.
 */
static const char *
not_count(const struct doc_node *n, const struct num *x, const struct opval *ov)
{
	if (ov->v == NULL || ov->v->type != DOC_INT)
		return NULL;
	if (!x->is_int)
		return "is not an integer, and the operand is one";
	if (x->i == 0 && n->str != NULL && n->len > 0 && n->str[0] == '-')
		return "is negative zero, not an integer count";
	return NULL;
}

/*
 * Whether one selected value satisfies the (positive) operator.
 * *problem receives why it could not be decided (T_UNKNOWN).
 */
static enum tri
value_sat(const struct assertion *as, const struct opval *ov,
    const struct doc_node *n, int64_t now, const char **problem)
{
	struct num x;
	struct cidr net;
	int64_t t;
	double age;
	size_t i;
	int rc;

	switch (as->op->op) {
	case OP_EQ:
	case OP_NE:
		return doc_equal(n, ov->v) ? T_SAT : T_UNSAT;
	case OP_IN:
	case OP_NOT_IN:
		for (i = 0; i < ov->v->u.seq.n; i++)
			if (doc_equal(n, ov->v->u.seq.items[i]))
				return T_SAT;
		return T_UNSAT;
	case OP_MATCHES:
		if (n->type != DOC_STRING) {
			*problem = "is not a string";
			return T_UNKNOWN;
		}
		rc = regex_match(ov->re, n->str, n->len, problem);
		if (rc == -1) {
			if (*problem == NULL)
				*problem = "regex error";
			return T_UNKNOWN;
		}
		return rc == 1 ? T_SAT : T_UNSAT;
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		if ((rc = num_of(n, &x)) != 0) {
			*problem = rc == NUM_RANGE
			    ? "is a number out of the range that can be "
			      "compared exactly"
			    : "is not a number";
			return T_UNKNOWN;
		}
		if ((*problem = not_count(n, &x, ov)) != NULL)
			return T_UNKNOWN;
		return cmp_holds(as->cmp, num_cmp(&x, &ov->num)) ? T_SAT
								 : T_UNSAT;
	case OP_AGE_DAYS:
		if (time_of(n, &t) == -1) {
			*problem = "is not a timestamp";
			return T_UNKNOWN;
		}
		age = ((double)now - (double)t) / 86400.0;
		return cmp_holds(
			   as->cmp, age < ov->num.f ? -1 : age > ov->num.f)
		    ? T_SAT
		    : T_UNSAT;
	case OP_CIDR_PUBLIC:
	case OP_CIDR_CONTAINS:
		if (n->type != DOC_STRING ||
		    net_parse(n->str, n->len, &net) == -1) {
			*problem = "is not an IP address or network";
			return T_UNKNOWN;
		}
		if (as->op->op == OP_CIDR_CONTAINS)
			return cidr_contains(&ov->net, &net) ? T_SAT : T_UNSAT;
		return cidr_has_public(&net) == !!ov->v->u.b ? T_SAT : T_UNSAT;
	case OP_CONTAINS:
		if (n->type == DOC_SEQ) {
			for (i = 0; i < n->u.seq.n; i++)
				if (doc_equal(n->u.seq.items[i], ov->v))
					return T_SAT;
			return T_UNSAT;
		}
		if (n->type == DOC_STRING) {
			if (ov->v->type != DOC_STRING)
				return T_UNSAT;
			return has_substr(
				   n->str, n->len, ov->v->str, ov->v->len)
			    ? T_SAT
			    : T_UNSAT;
		}
		*problem = "is neither a list nor a string";
		return T_UNKNOWN;
	default:
		*problem = "internal error: unexpected operator";
		return T_UNKNOWN;
	}
}

/* Compile (or find) the regex of a parameter value. */
static const struct regex *
cached_regex(struct ev *e, struct re_cache *rc, const struct doc_node *v,
    const char **err)
{
	struct re_cache_entry *ce;
	struct diag d;
	size_t i;

	for (i = 0; i < RE_CACHE_SIZE; i++) {
		ce = &rc->v[i];
		if (ce->a != NULL && strcmp(ce->pattern, v->str) == 0) {
			*err = ce->error;
			return ce->re;
		}
	}
	ce = &rc->v[rc->next];
	rc->next = (rc->next + 1) % RE_CACHE_SIZE;
	arena_free(ce->a);
	memset(ce, 0, sizeof(*ce));
	if ((ce->a = arena_new()) == NULL ||
	    (ce->pattern = arena_strdup(ce->a, v->str)) == NULL) {
		arena_free(ce->a);
		ce->a = NULL;
		e->oom = 1;
		*err = "out of memory";
		return NULL;
	}
	diag_init(&d);
	ce->re = regex_compile(ce->a, &d, v->str, NULL);
	if (ce->re == NULL)
		ce->error =
		    arena_strdup(ce->a, d.n > 0 ? d.v[0].msg : "invalid regex");
	diag_free(&d);
	*err = ce->error;
	return ce->re;
}

/*
 * Resolve the operand of a leaf into ov.  NULL when it is usable, else
 * the reason it is not (the leaf is then `error`).
 */
static const char *
resolve_operand(struct ev *e, const struct assertion *as, struct opval *ov)
{
	const char *prob, *err = NULL;
	enum want w = as->op->op == OP_COUNT ? W_COUNT : as->op->want;
	struct strbuf sb;

	memset(ov, 0, sizeof(*ov));
	if (w == W_TRUE)
		return NULL;
	ov->v = as->operand.lit;
	ov->re = as->re;
	ov->net = as->net;
	if (as->operand.param != NULL) {
		sb_init(&sb);
		ov->v = check_param(e->c, as->operand.param);
		if (ov->v == NULL) {
			sb_printf(&sb, "parameter '%s' has no value",
			    as->operand.param);
			return ev_detach(e, &sb);
		}
		if ((prob = operand_problem(w, ov->v)) != NULL) {
			sb_printf(&sb, "parameter '%s' is %s; '%s' %s",
			    as->operand.param, type_article(ov->v->type),
			    as->op->name, prob);
			return ev_detach(e, &sb);
		}
		if (w == W_REGEX &&
		    (ov->re = cached_regex(e, as->cache, ov->v, &err)) ==
			NULL) {
			sb_printf(&sb, "parameter '%s': %s", as->operand.param,
			    err != NULL ? err : "invalid regex");
			return ev_detach(e, &sb);
		}
		if (w == W_CIDR)
			net_parse(ov->v->str, ov->v->len, &ov->net);
		sb_free(&sb);
	}
	if (w == W_NUMBER || w == W_COUNT)
		num_of(ov->v, &ov->num);
	return NULL;
}

/* The iteration over the nodes a leaf's path selects. */
struct leafrun {
	struct ev *e;
	const struct assertion *as;
	const struct opval *ov;
	long seen;
	int nrec; /* evidence recorded */
	int count_only; /* exists, absent, count */
	/* The first value of each verdict, and whether it was recorded. */
	const struct doc_node *first[3];
	int first_rec[3];
	const char *first_problem;
	const struct doc_node *first_any;
	int stop_on; /* ST_FAIL or ST_PASS */
};

static void
record(struct leafrun *lr, const struct doc_node *n)
{
	if (check_evidence(lr->e->c, lr->as->ptext, n) == -1)
		lr->e->oom = 1;
	else
		lr->nrec++;
}

static int
leaf_cb(void *ctx, const struct doc_node *n)
{
	struct leafrun *lr = ctx;
	const char *problem = NULL;
	enum tri t;
	enum status v;
	int rec = 0;

	lr->seen++;
	if (lr->first_any == NULL)
		lr->first_any = n;
	/* Keep one evidence slot for the deciding value. */
	if (lr->nrec < ASSERT_MAX_EVIDENCE - (lr->count_only ? 0 : 1)) {
		record(lr, n);
		rec = 1;
	}
	if (lr->count_only)
		return 0;
	if (lr->as->op->op == OP_MATCHES) {
		long long t0 = mono_ns();

		if (lr->e->regex_ns > EVAL_REGEX_BUDGET_NS) {
			t = T_UNKNOWN;
			problem =
			    "regex time budget of this evaluation exceeded";
		} else {
			t = value_sat(
			    lr->as, lr->ov, n, check_now(lr->e->c), &problem);
		}
		lr->e->regex_ns += mono_ns() - t0;
	} else {
		t = value_sat(lr->as, lr->ov, n, check_now(lr->e->c), &problem);
	}
	if (t == T_UNKNOWN)
		v = ST_ERROR;
	else if ((t == T_SAT) ^ lr->as->op->negated ^ (lr->as->quant == Q_NONE))
		v = ST_PASS;
	else
		v = ST_FAIL;
	if (lr->first[v] == NULL) {
		lr->first[v] = n;
		lr->first_rec[v] = rec;
		if (v == ST_ERROR)
			lr->first_problem = problem;
	}
	return (int)v == lr->stop_on ? 1 : 0;
}

/* "'P' is V" */
static void
put_subject(
    struct strbuf *sb, const struct assertion *as, const struct doc_node *n)
{
	sb_adds(sb, "'");
	sb_adds(sb, as->ptext);
	sb_adds(sb, "' is ");
	put_value(sb, n, 0);
}

/* Stands for the absent branches of a wildcard path. */
static const struct doc_node gap_node = { DOC_NULL, { NULL, 0, 0 }, NULL, 0,
	{ 0 } };

/*
 * Why the leaf cannot be evaluated when it reads an attribute the export
 * could not read (check_ctx.unreadable: attribute -> why), else NULL.  A
 * path that does not start with a key (the root, a wildcard) may read
 * any of them.
 */
static char *
unreadable(struct ev *e, const struct assertion *as)
{
	const struct doc_node *un = e->c->unreadable, *why;
	const char *key;
	size_t len;

	if (un->type != DOC_MAP || un->u.map.n == 0)
		return NULL;
	if (!doc_path_head(as->path, &key, &len))
		why = un->u.map.pairs[0].val;
	else
		why = doc_getn(un, key, len);
	if (why == NULL)
		return NULL;
	return arena_printf(e->tmp, "'%s' could not be read: %s", as->ptext,
	    doc_str(why) != NULL ? doc_str(why) : "unreadable");
}

static enum status
eval_leaf(struct ev *e, const struct assertion *as,
    const struct doc_node *attrs, int neg, char **why)
{
	struct leafrun lr;
	struct opval ov;
	struct strbuf sb;
	const struct doc_node *dn;
	const char *prob;
	enum status st;
	int missing = 0, sat;
	/* Only the status counts: build no message (see check_ctx). */
	int quiet = e->c->status_only;
	long r;

	sb_init(&sb);
	if ((prob = resolve_operand(e, as, &ov)) != NULL) {
		/* The evidence is the parameter value that was unusable. */
		sb_printf(&sb, "params.%s", as->operand.param);
		if (sb.oom ||
		    check_evidence(
			e->c, sb.s, check_param(e->c, as->operand.param)) == -1)
			e->oom = 1;
		sb_free(&sb);
		*why = (char *)prob;
		return ST_ERROR;
	}
	/* Denied, not absent: never read as absence (nor anything else). */
	if (e->c->unreadable != NULL && (*why = unreadable(e, as)) != NULL) {
		if (check_evidence(e->c, as->ptext, NULL) == -1)
			e->oom = 1;
		return ST_ERROR;
	}
	memset(&lr, 0, sizeof(lr));
	lr.e = e;
	lr.as = as;
	lr.ov = &ov;
	lr.count_only = as->op->op == OP_EXISTS || as->op->op == OP_ABSENT ||
	    as->op->op == OP_COUNT;
	lr.stop_on = as->quant == Q_ANY ? ST_PASS : ST_FAIL;
	r = doc_path_eval(as->path, attrs, leaf_cb, &lr, &missing);
	if (r == -1) {
		*why = "internal error: path evaluation failed";
		return ST_ERROR;
	}
	if (lr.seen == 0 && check_evidence(e->c, as->ptext, NULL) == -1)
		e->oom = 1;

	/* Presence and counting. */
	if (as->op->op == OP_COUNT) {
		st = cmp_holds(
			 as->cmp, lr.seen < ov.num.i ? -1 : lr.seen > ov.num.i)
		    ? ST_PASS
		    : ST_FAIL;
		if (quiet)
			goto quiet;
		sb_printf(&sb, "'%s' selects %ld value%s, expected ", as->ptext,
		    lr.seen, lr.seen == 1 ? "" : "s");
		put_expect(&sb, as, &ov, neg);
		goto out;
	}
	if (lr.count_only) {
		if (as->op->op == OP_ABSENT || as->quant == Q_ANY)
			sat = lr.seen > 0;
		else
			sat = lr.seen > 0 && !missing;
		st = sat ^ as->op->negated ? ST_PASS : ST_FAIL;
		if (quiet)
			goto quiet;
		if (lr.seen == 0)
			sb_printf(&sb, "'%s' is absent", as->ptext);
		else if (missing && as->op->op == OP_EXISTS &&
		    as->quant == Q_ALL)
			sb_printf(&sb, "'%s' is partly absent", as->ptext);
		else
			put_subject(&sb, as, lr.first_any);
		sb_adds(&sb, ", expected ");
		put_expect(&sb, as, &ov, neg);
		goto out;
	}

	/* Nothing selected: the leaf's absence policy decides. */
	if (lr.seen == 0) {
		st = as->absent;
		if (quiet)
			goto quiet;
		sb_printf(&sb, "'%s' is absent", as->ptext);
		if (st == ST_PASS)
			sb_adds(&sb, " (allowed by 'absent: pass')");
		else if (st == ST_FAIL)
			sb_adds(&sb, " ('absent: fail')");
		goto out;
	}
	/*
	 * Some branches of a wildcard path were absent: together they count
	 * as one more value whose verdict is the absence policy.
	 */
	if (missing && lr.first[as->absent] == NULL)
		lr.first[as->absent] = &gap_node;
	if (as->quant == Q_ANY)
		st = lr.first[ST_PASS] != NULL   ? ST_PASS
		    : lr.first[ST_ERROR] != NULL ? ST_ERROR
						 : ST_FAIL;
	else
		st = lr.first[ST_FAIL] != NULL   ? ST_FAIL
		    : lr.first[ST_ERROR] != NULL ? ST_ERROR
						 : ST_PASS;
	dn = lr.first[st];
	if (dn == &gap_node) {
		if (check_evidence(e->c, as->ptext, NULL) == -1)
			e->oom = 1;
		if (quiet)
			goto quiet;
		sb_printf(&sb, "'%s' is partly absent", as->ptext);
		if (st == ST_PASS)
			sb_adds(&sb, " (allowed by 'absent: pass')");
		else if (st == ST_FAIL)
			sb_adds(&sb, " ('absent: fail')");
		goto out;
	}
	if (!lr.first_rec[st])
		record(&lr, dn);
	if (quiet)
		goto quiet;
	put_subject(&sb, as, dn);
	if (st == ST_ERROR) {
		prob = lr.first_problem != NULL ? lr.first_problem
						: "cannot be evaluated";
		/* "is not a number" reads on; engine errors follow a colon. */
		sb_adds(&sb, strncmp(prob, "is ", 3) == 0 ? ", which " : ": ");
		sb_adds(&sb, prob);
		goto out;
	}
	sb_adds(&sb, ", expected ");
	put_expect(&sb, as, &ov, neg ^ (as->quant == Q_NONE));
	if (lr.seen > 1 && as->quant == Q_ANY && st == ST_FAIL)
		sb_printf(&sb, " (none of %ld values)", lr.seen);
	else if (lr.seen > 1 && as->quant != Q_ANY && st == ST_PASS)
		sb_printf(&sb, " (all %ld values)", lr.seen);
out:
	*why = ev_detach(e, &sb);
	return st;
quiet:
	sb_free(&sb);
	*why = NULL;
	return st;
}

static enum status eval_node(struct ev *e, const struct assertion *as,
    const struct doc_node *attrs, int neg, char **why);

static enum status
flip(enum status st)
{
	return st == ST_PASS ? ST_FAIL : st == ST_FAIL ? ST_PASS : st;
}

static enum status
eval_combinator(struct ev *e, const struct assertion *as,
    const struct doc_node *attrs, int neg, char **why)
{
	const char *first[3] = { NULL, NULL, NULL };
	struct strbuf sb;
	enum status st, k;
	char *w;
	size_t i, nfail = 0;
	int quiet = e->c->status_only;

	sb_init(&sb);
	for (i = 0; i < as->nkids; i++) {
		w = NULL;
		k = eval_node(
		    e, as->kids[i], attrs, neg ^ (as->kind == AK_NONE), &w);
		/* For none, a child that holds is a violation. */
		if (as->kind == AK_NONE)
			k = flip(k);
		if (first[k] == NULL)
			first[k] = w != NULL ? w : "";
		if (!quiet && k == ST_FAIL && as->kind == AK_ANY &&
		    nfail++ < 3) {
			sb_adds(
			    &sb, nfail > 1 ? "; " : "no alternative holds: ");
			sb_adds(&sb, w != NULL ? w : "");
		}
	}
	if (as->kind == AK_ANY) {
		st = first[ST_PASS]   ? ST_PASS
		    : first[ST_ERROR] ? ST_ERROR
				      : ST_FAIL;
		if (quiet) {
			sb_free(&sb);
			*why = NULL;
			return st;
		}
		if (st == ST_FAIL && as->nkids > 1) {
			if (as->nkids > 3)
				sb_printf(
				    &sb, "; ... (%zu alternatives)", as->nkids);
			*why = ev_detach(e, &sb);
			return st;
		}
	} else {
		st = first[ST_FAIL]   ? ST_FAIL
		    : first[ST_ERROR] ? ST_ERROR
				      : ST_PASS;
		if (quiet) {
			sb_free(&sb);
			*why = NULL;
			return st;
		}
		if (st == ST_PASS && as->nkids > 1) {
			sb_free(&sb);
			sb_init(&sb);
			if (as->kind == AK_NONE)
				sb_printf(&sb, "none of %zu conditions holds",
				    as->nkids);
			else
				sb_printf(
				    &sb, "all %zu conditions hold", as->nkids);
			*why = ev_detach(e, &sb);
			return st;
		}
	}
	sb_free(&sb);
	*why = (char *)first[st];
	return st;
}

static enum status
eval_node(struct ev *e, const struct assertion *as,
    const struct doc_node *attrs, int neg, char **why)
{
	enum status st;

	if (as == NULL) {
		*why = "internal error: missing assertion";
		return ST_ERROR;
	}
	switch (as->kind) {
	case AK_LEAF:
		st = eval_leaf(e, as, attrs, neg, why);
		break;
	case AK_NOT:
		st = flip(eval_node(e, as->kids[0], attrs, !neg, why));
		break;
	default:
		st = eval_combinator(e, as, attrs, neg, why);
		break;
	}
	/* A node's message speaks for the rule: only where it fails it. */
	if (st == ST_FAIL && !neg && as->message != NULL)
		*why = (char *)as->message;
	return st;
}

enum status
assert_eval(const struct assertion *as, const struct doc_node *attrs,
    struct check_ctx *c, const char **why)
{
	/*
	 * Messages are built in the result's arena, which is the streamed
	 * resource's and is freed with it: no arena of its own to create
	 * and free per evaluation, and no final copy.
	 */
	struct ev e = { c, check_arena(c), 0, 0 };
	enum status st;
	char *w = NULL;

	*why = NULL;
	st = eval_node(&e, as, attrs, 0, &w);
	if (e.oom) {
		st = ST_ERROR;
		w = "out of memory";
	}
	*why = w != NULL ? w : "";
	return st;
}
