/*
 * assert_eval.c: evaluation of compiled assertions (rules/assert.c) over
 * a resource's attributes: three-valued, and missing data is never a
 * pass.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/assert_impl.h"

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
	enum cmp c = n ? assert_cmp_negs[as->cmp] : as->cmp;
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
		sb_printf(sb, "%s ", assert_cmp_syms[c]);
		put_value(sb, ov->v, 0);
		return;
	case OP_AGE_DAYS:
		sb_printf(sb, "an age %s ", assert_cmp_syms[c]);
		put_value(sb, ov->v, 0);
		sb_adds(sb, " days");
		return;
	case OP_COUNT:
		sb_printf(sb, "a count %s ", assert_cmp_syms[c]);
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
		if ((rc = av_num(n, &x)) != 0) {
			*problem = rc == NUM_RANGE
			    ? "is a number out of the range that can be "
			      "compared exactly"
			    : "is not a number";
			return T_UNKNOWN;
		}
		if ((*problem = not_count(n, &x, ov)) != NULL)
			return T_UNKNOWN;
		return av_cmp_holds(as->cmp, av_num_cmp(&x, &ov->num))
		    ? T_SAT
		    : T_UNSAT;
	case OP_AGE_DAYS:
		if (av_time(n, &t) == -1) {
			*problem = "is not a timestamp";
			return T_UNKNOWN;
		}
		age = ((double)now - (double)t) / 86400.0;
		return av_cmp_holds(
			   as->cmp, age < ov->num.f ? -1 : age > ov->num.f)
		    ? T_SAT
		    : T_UNSAT;
	case OP_CIDR_PUBLIC:
	case OP_CIDR_CONTAINS:
		if (n->type != DOC_STRING ||
		    av_net(n->str, n->len, &net) == -1) {
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
		if ((prob = av_operand_problem(w, ov->v)) != NULL) {
			sb_printf(&sb, "parameter '%s' is %s; '%s' %s",
			    as->operand.param, av_article(ov->v->type),
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
			av_net(ov->v->str, ov->v->len, &ov->net);
		sb_free(&sb);
	}
	if (w == W_NUMBER || w == W_COUNT)
		av_num(ov->v, &ov->num);
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

/*
 * The verdict of a presence or counting leaf (exists, absent, count)
 * over what the path selected, and, unless quiet, its message in sb.
 */
static enum status
count_verdict(const struct leafrun *lr, const struct opval *ov, int missing,
    int neg, int quiet, struct strbuf *sb)
{
	const struct assertion *as = lr->as;
	enum status st;
	int sat;

	if (as->op->op == OP_COUNT) {
		st = av_cmp_holds(as->cmp,
			 lr->seen < ov->num.i ? -1 : lr->seen > ov->num.i)
		    ? ST_PASS
		    : ST_FAIL;
		if (quiet)
			return st;
		sb_printf(sb, "'%s' selects %ld value%s, expected ", as->ptext,
		    lr->seen, lr->seen == 1 ? "" : "s");
		put_expect(sb, as, ov, neg);
		return st;
	}
	if (as->op->op == OP_ABSENT || as->quant == Q_ANY)
		sat = lr->seen > 0;
	else
		sat = lr->seen > 0 && !missing;
	st = sat ^ as->op->negated ? ST_PASS : ST_FAIL;
	if (quiet)
		return st;
	if (lr->seen == 0)
		sb_printf(sb, "'%s' is absent", as->ptext);
	else if (missing && as->op->op == OP_EXISTS && as->quant == Q_ALL)
		sb_printf(sb, "'%s' is partly absent", as->ptext);
	else
		put_subject(sb, as, lr->first_any);
	sb_adds(sb, ", expected ");
	put_expect(sb, as, ov, neg);
	return st;
}

/*
 * The verdict of a value leaf over the values the path selected (the
 * absence policy when it selected none or some branches were absent),
 * and, unless quiet, its message in sb.
 */
static enum status
value_verdict(
    struct leafrun *lr, int missing, int neg, int quiet, struct strbuf *sb)
{
	const struct assertion *as = lr->as;
	struct ev *e = lr->e;
	const struct doc_node *dn;
	const char *prob;
	enum status st;

	if (lr->seen == 0) {
		st = as->absent;
		if (quiet)
			return st;
		sb_printf(sb, "'%s' is absent", as->ptext);
		if (st == ST_PASS)
			sb_adds(sb, " (allowed by 'absent: pass')");
		else if (st == ST_FAIL)
			sb_adds(sb, " ('absent: fail')");
		return st;
	}
	/*
	 * Some branches of a wildcard path were absent: together they count
	 * as one more value whose verdict is the absence policy.
	 */
	if (missing && lr->first[as->absent] == NULL)
		lr->first[as->absent] = &gap_node;
	if (as->quant == Q_ANY)
		st = lr->first[ST_PASS] != NULL   ? ST_PASS
		    : lr->first[ST_ERROR] != NULL ? ST_ERROR
						  : ST_FAIL;
	else
		st = lr->first[ST_FAIL] != NULL   ? ST_FAIL
		    : lr->first[ST_ERROR] != NULL ? ST_ERROR
						  : ST_PASS;
	dn = lr->first[st];
	if (dn == &gap_node) {
		if (check_evidence(e->c, as->ptext, NULL) == -1)
			e->oom = 1;
		if (quiet)
			return st;
		sb_printf(sb, "'%s' is partly absent", as->ptext);
		if (st == ST_PASS)
			sb_adds(sb, " (allowed by 'absent: pass')");
		else if (st == ST_FAIL)
			sb_adds(sb, " ('absent: fail')");
		return st;
	}
	if (!lr->first_rec[st])
		record(lr, dn);
	if (quiet)
		return st;
	put_subject(sb, as, dn);
	if (st == ST_ERROR) {
		prob = lr->first_problem != NULL ? lr->first_problem
						 : "cannot be evaluated";
		/* "is not a number" reads on; engine errors follow a colon. */
		sb_adds(sb, strncmp(prob, "is ", 3) == 0 ? ", which " : ": ");
		sb_adds(sb, prob);
		return st;
	}
	sb_adds(sb, ", expected ");
	put_expect(sb, as, lr->ov, neg ^ (as->quant == Q_NONE));
	if (lr->seen > 1 && as->quant == Q_ANY && st == ST_FAIL)
		sb_printf(sb, " (none of %ld values)", lr->seen);
	else if (lr->seen > 1 && as->quant != Q_ANY && st == ST_PASS)
		sb_printf(sb, " (all %ld values)", lr->seen);
	return st;
}

static enum status
eval_leaf(struct ev *e, const struct assertion *as,
    const struct doc_node *attrs, int neg, char **why)
{
	struct leafrun lr;
	struct opval ov;
	struct strbuf sb;
	const char *prob;
	enum status st;
	int missing = 0;
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

	st = lr.count_only ? count_verdict(&lr, &ov, missing, neg, quiet, &sb)
			   : value_verdict(&lr, missing, neg, quiet, &sb);
	if (quiet) {
		sb_free(&sb);
		*why = NULL;
		return st;
	}
	*why = ev_detach(e, &sb);
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
