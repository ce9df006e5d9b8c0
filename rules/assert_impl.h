/*
 * assert_impl.h: what the parts of the assertion language share
 * (rules/assert.c compiles, assert_eval.c evaluates, assert_value.c reads
 * numbers, times and networks).  Internal to rules/.
 */
#ifndef RAMPART_ASSERT_IMPL_H
#define RAMPART_ASSERT_IMPL_H

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

/* By enum cmp: names (lt), symbols (<) and negations (ge). */
extern const char *const assert_cmp_names[];
extern const char *const assert_cmp_syms[];
extern const enum cmp assert_cmp_negs[];

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

struct num {
	int is_int;
	int64_t i;
	double f;
};

/* av_num() results besides 0. */
#define NUM_NOT -1 /* not a number at all */
#define NUM_RANGE -2 /* a number no double or int64 holds exactly */

/* Whether number text has only digits after its sign (no . e E). */
int av_integer_text(const char *s, size_t len);
/* A number node's value: 0, NUM_NOT or NUM_RANGE. */
int av_num(const struct doc_node *n, struct num *out);
/* -1, 0 or 1 as a < b, a == b, a > b. */
int av_num_cmp(const struct num *a, const struct num *b);
/* Whether the comparison c holds for a num_cmp() result. */
int av_cmp_holds(enum cmp c, int r);
/* A time node (epoch number or RFC 3339 text) in seconds.  0 or -1. */
int av_time(const struct doc_node *n, int64_t *t);
/* A network for the CIDR operators.  0 or -1. */
int av_net(const char *s, size_t len, struct cidr *out);
/* What is wrong with v as the operand an operator wants, or NULL. */
const char *av_operand_problem(enum want w, const struct doc_node *v);
/* "a string", "an integer" ... for messages. */
const char *av_article(enum doc_type t);

#endif /* RAMPART_ASSERT_IMPL_H */
