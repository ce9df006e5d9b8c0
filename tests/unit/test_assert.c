/*
 * test_assert.c: the assertion language.  Most operator behaviour is
 * tested as data (tests/rules/<name>.test, run by test_rules_data); this
 * file covers what data blocks cannot: evidence, the explanation's
 * arena, trees built without a loader, deep nesting, every lint error
 * with its file:line:col, regex limits, parameters bound at evaluation,
 * the clock, and allocation failures.
 */
#include "testutil.h"

#include <time.h>

#include "rules/rules.h"

struct fx {
	struct arena *a; /* rules and documents */
	struct arena *res; /* results (check_arena) */
	struct diag d;
	struct check_ctx c;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->a = arena_new();
	f->res = arena_new();
	assert_non_null(f->a);
	assert_non_null(f->res);
	diag_init(&f->d);
	f->c.a = f->res;
	f->c.d = &f->d;
	f->c.now = 1717200000; /* 2024-06-01T00:00:00Z */
	check_ctx_reset(&f->c);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	arena_free(f->a);
	arena_free(f->res);
	diag_free(&f->d);
	free(f);
	return 0;
}

static struct doc_node *
load(struct fx *f, const char *name, const char *text)
{
	struct doc_node **docs;
	size_t n;

	if (doc_load_buf(f->a, &f->d, name, text, strlen(text), DOC_FMT_AUTO,
		NULL, &docs, &n) == -1 ||
	    n != 1) {
		diag_print(&f->d, stderr, 0, 0);
		fail_msg("cannot load '%s'", text);
	}
	return docs[0];
}

/* Compile an assertion tree given as YAML; params as YAML or NULL. */
static struct assertion *
compile(struct fx *f, const char *tree, const char *params)
{
	struct doc_node *t = load(f, "rule.yaml", tree);
	struct doc_node *p = params ? load(f, "params.yaml", params) : NULL;

	return assert_compile(f->a, &f->d, t, p);
}

static enum status
eval(struct fx *f, const struct assertion *as, const char *attrs,
    const char **why)
{
	const char *w = NULL;
	enum status st;

	assert_non_null(as);
	check_ctx_reset(&f->c);
	st = assert_eval(
	    as, attrs ? load(f, "input.json", attrs) : NULL, &f->c, &w);
	assert_non_null(w);
	if (why != NULL)
		*why = w;
	return st;
}

static void
test_op_table_sorted(void **state)
{
	/* The table is static; check through behaviour: every name in
	 * sorted order compiles as an operator. */
	static const char *const trees[] = {
		"{path: a, absent: true}",
		"{path: a, age_days: {lt: 1}}",
		"{path: a, cidr_contains: '10.0.0.0/8'}",
		"{path: a, cidr_public: true}",
		"{path: a, contains: 1}",
		"{path: a, count: {eq: 1}}",
		"{path: a, eq: 1}",
		"{path: a, exists: true}",
		"{path: a, ge: 1}",
		"{path: a, gt: 1}",
		"{path: a, in: [1]}",
		"{path: a, le: 1}",
		"{path: a, lt: 1}",
		"{path: a, matches: x}",
		"{path: a, ne: 1}",
		"{path: a, not_in: [1]}",
	};
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		if (compile(f, trees[i], NULL) == NULL) {
			diag_print(&f->d, stderr, 0, 0);
			fail_msg("'%s' did not compile", trees[i]);
		}
		if (i > 0)
			assert_true(strcmp(trees[i - 1], trees[i]) < 0);
	}
}

/* Trees built by hand (no loader), and a NULL resource. */
static void
test_built_tree(void **state)
{
	struct fx *f = *state;
	struct mark m = { "built", 1, 1 };
	struct doc_node *tree, *attrs, *k, *v;
	struct assertion *as;
	const char *why;

	tree = doc_new(f->a, DOC_MAP, &m);
	k = doc_new_string(f->a, "path", 4, &m);
	v = doc_new_string(f->a, "Encrypted", 9, &m);
	assert_int_equal(doc_map_put(f->a, tree, k, v), 0);
	k = doc_new_string(f->a, "eq", 2, &m);
	v = doc_new(f->a, DOC_BOOL, &m);
	v->u.b = 1;
	assert_int_equal(doc_map_put(f->a, tree, k, v), 0);
	as = assert_compile(f->a, &f->d, tree, NULL);
	assert_non_null(as);

	attrs = doc_new(f->a, DOC_MAP, &m);
	k = doc_new_string(f->a, "Encrypted", 9, &m);
	v = doc_new(f->a, DOC_BOOL, &m);
	v->u.b = 1;
	assert_int_equal(doc_map_put(f->a, attrs, k, v), 0);
	check_ctx_reset(&f->c);
	assert_int_equal(assert_eval(as, attrs, &f->c, &why), ST_PASS);
	check_ctx_reset(&f->c);
	assert_int_equal(assert_eval(as, NULL, &f->c, &why), ST_ERROR);
	assert_string_equal(why, "'Encrypted' is absent");
	/* No tree: an error at compile time. */
	assert_null(assert_compile(f->a, &f->d, NULL, NULL));
	assert_diag_has(&f->d, "missing assertion");
}

static void
test_evidence(void **state)
{
	struct fx *f = *state;
	struct assertion *as;
	const char *why;
	struct strbuf sb;
	int i;

	/* One value. */
	as = compile(f, "{path: A.B, eq: 1}", NULL);
	assert_int_equal(eval(f, as, "{\"A\": {\"B\": 2}}", &why), ST_FAIL);
	assert_int_equal(f->c.result.nev, 1);
	assert_string_equal(f->c.result.ev[0].path, "A.B");
	assert_string_equal(f->c.result.ev[0].value, "2");
	assert_string_equal(f->c.result.ev[0].source.file, "input.json");
	assert_int_equal(f->c.result.ev[0].source.line, 1);
	assert_int_equal(f->c.result.ev[0].source.col, 13);
	/* Absent: NULL value. */
	assert_int_equal(eval(f, as, "{\"A\": {}}", &why), ST_ERROR);
	assert_int_equal(f->c.result.nev, 1);
	assert_null(f->c.result.ev[0].value);
	/* The root path is shown as "$". */
	as = compile(f, "{contains: 1}", NULL);
	assert_int_equal(eval(f, as, "[1]", &why), ST_PASS);
	assert_string_equal(f->c.result.ev[0].path, "$");
	/* Every leaf records its values. */
	as = compile(f, "all: [{path: a, eq: 1}, {path: b, eq: 2}]", NULL);
	assert_int_equal(eval(f, as, "{\"a\": 1, \"b\": 3}", &why), ST_FAIL);
	assert_int_equal(f->c.result.nev, 2);
	assert_string_equal(f->c.result.ev[1].path, "b");
	/*
	 * Many values: capped at 8, and the deciding value is among them
	 * even when it comes late.
	 */
	sb_init(&sb);
	sb_adds(&sb, "{\"v\": [");
	for (i = 0; i < 30; i++)
		sb_printf(&sb, "%s%d", i ? ", " : "", i == 20 ? 99 : 1);
	sb_adds(&sb, "]}");
	as = compile(f, "{path: 'v[*]', eq: 1}", NULL);
	assert_int_equal(eval(f, as, sb.s, &why), ST_FAIL);
	assert_int_equal(f->c.result.nev, 8);
	assert_string_equal(f->c.result.ev[7].value, "99");
	assert_string_equal(why, "'v[*]' is 99, expected 1");
	/* All pass: the first 7 (one slot is kept for a deciding value). */
	as = compile(f, "{path: 'v[*]', ge: 1}", NULL);
	assert_int_equal(eval(f, as, sb.s, &why), ST_PASS);
	assert_int_equal(f->c.result.nev, 7);
	assert_string_equal(why, "'v[*]' is 1, expected >= 1 (all 30 values)");
	sb_free(&sb);
}

/* The explanation lives in check_arena(c), not in a temporary arena. */
static void
test_why_arena(void **state)
{
	struct fx *f = *state;
	struct assertion *as = compile(f, "{path: a, eq: 'x'}", NULL);
	const char *why;
	size_t before;

	before = arena_used(f->res);
	assert_int_equal(eval(f, as, "{\"a\": \"y\"}", &why), ST_FAIL);
	assert_true(arena_used(f->res) > before);
	assert_string_equal(why, "'a' is 'y', expected 'x'");
	/* Long and control-character values are shortened and escaped. */
	assert_int_equal(eval(f, as,
			     "{\"a\": \"line1\\nline2 "
			     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			     "\"}",
			     &why),
	    ST_FAIL);
	assert_null(strchr(why, '\n'));
	assert_non_null(strstr(why, "'line1\\x0aline2 aaaa"));
	assert_non_null(strstr(why, "...'"));
}

static void
test_deep_nesting(void **state)
{
	struct fx *f = *state;
	struct strbuf sb;
	int i;

	sb_init(&sb);
	for (i = 0; i < 70; i++)
		sb_adds(&sb, "{not: ");
	sb_adds(&sb, "{path: a, eq: 1}");
	for (i = 0; i < 70; i++)
		sb_adds(&sb, "}");
	assert_null(compile(f, sb.s, NULL));
	assert_diag_has(&f->d, "assertion nested deeper than 64 levels");
	sb_free(&sb);
	/* 60 levels are fine, and evaluate. */
	sb_init(&sb);
	for (i = 0; i < 60; i++)
		sb_adds(&sb, "{not: ");
	sb_adds(&sb, "{path: a, eq: 1}");
	for (i = 0; i < 60; i++)
		sb_adds(&sb, "}");
	assert_int_equal(
	    eval(f, compile(f, sb.s, NULL), "{\"a\": 1}", NULL), ST_PASS);
	sb_free(&sb);
}

/* Lint: every error, each with its file:line:col. */
static void
test_lint_all_errors(void **state)
{
	struct fx *f = *state;
	const char *tree = "any:\n"
			   "  - path: a\n"
			   "    in: 3\n"
			   "  - path: 'b..c'\n"
			   "    eq: 1\n"
			   "  - {path: c, lt: x, gt: 1}\n"
			   "  - {path: d, ge: {param: nope}}\n"
			   "  - {path: e, eq: 1, quantifier: most}\n";

	assert_null(compile(f, tree, "{known: {default: 1}}"));
	assert_int_equal(f->d.nerrors, 6);
	assert_diag(
	    &f->d, 0, "rule.yaml:3:9: error: 'in' expects a list, got an int");
	/* The file is not on disk: the quote is not seen, the column is
	 * the scalar's plus the offset. */
	assert_diag(&f->d, 1,
	    "rule.yaml:4:13: error: invalid path 'b..c': expected a key after "
	    "'.'");
	assert_diag(&f->d, 2,
	    "rule.yaml:6:22: error: assertion has more than one operator "
	    "('lt' and 'gt')");
	assert_diag(&f->d, 3,
	    "rule.yaml:6:19: error: 'lt' expects a number, got a string");
	assert_diag(
	    &f->d, 4, "rule.yaml:7:27: error: undeclared parameter 'nope'");
	assert_diag(&f->d, 5,
	    "rule.yaml:8:34: error: unknown quantifier 'most' (expected all, "
	    "any or none)");
}

/* A regex error in a rule file on disk: the column accounts for quotes. */
static void
test_lint_regex_column_file(void **state)
{
	struct fx *f = *state;
	char path[] = "/tmp/rampart-test-assert-XXXXXX";
	const char *text = "path: a\n"
			   "matches: \"^x\\\\d{2,1}\"\n";
	struct doc_node *t;
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs(text, fp);
	fclose(fp);
	t = doc_load_one(f->a, &f->d, path, DOC_FMT_YAML, NULL);
	assert_non_null(t);
	assert_null(assert_compile(f->a, &f->d, t, NULL));
	/*
	 * Value '^x\d{2,1}' (9 bytes); PCRE2 reports offset 8 (the '}').
	 * Source: `"` at column 10, then ^ x \\ d { 2 , 1 }: offset 8 is
	 * column 20.
	 */
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].line, 2);
	assert_int_equal(f->d.v[0].col, 20);
	assert_non_null(strstr(f->d.v[0].msg, "numbers out of order"));
	unlink(path);
}

/* The catastrophic regex of PITFALLS.md: error (never fail/pass), fast. */
static void
test_regex_limit(void **state)
{
	struct fx *f = *state;
	struct assertion *as, *neg;
	struct strbuf sb;
	struct timespec t0, t1;
	const char *why;
	int i;

	sb_init(&sb);
	sb_adds(&sb, "{\"Name\": \"");
	for (i = 0; i < 20000; i++)
		sb_addc(&sb, 'a');
	sb_adds(&sb, "\"}");
	as = compile(f, "{path: Name, matches: '(?:a|a)*\\d'}", NULL);
	neg = compile(f, "{not: {path: Name, matches: '(?:a|a)*\\d'}}", NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(eval(f, as, sb.s, &why), ST_ERROR);
	assert_non_null(strstr(why, "limit exceeded"));
	assert_int_equal(eval(f, neg, sb.s, &why), ST_ERROR);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 3);
	/* Subjects over 64 KiB are errors too. */
	sb_free(&sb);
	sb_init(&sb);
	sb_adds(&sb, "{\"Name\": \"");
	for (i = 0; i < 70000; i++)
		sb_addc(&sb, 'b');
	sb_adds(&sb, "\"}");
	as = compile(f, "{path: Name, matches: 'x'}", NULL);
	assert_int_equal(eval(f, as, sb.s, &why), ST_ERROR);
	assert_non_null(strstr(why, "65536"));
	sb_free(&sb);
}

/*
 * Each match has a time budget, and so has the whole evaluation: twenty
 * slow values cost about one second, not twenty budgets.
 */
static void
test_regex_eval_budget(void **state)
{
	struct fx *f = *state;
	struct assertion *as;
	struct strbuf sb;
	struct timespec t0, t1;
	const char *why;
	int i, j;

	sb_init(&sb);
	sb_adds(&sb, "{\"v\": [");
	for (i = 0; i < 20; i++) {
		sb_adds(&sb, i ? ", \"" : "\"");
		for (j = 0; j < 65536; j++)
			sb_addc(&sb, 'a');
		sb_addc(&sb, '"');
	}
	sb_adds(&sb, "]}");
	as = compile(
	    f, "{path: 'v[*]', matches: 'a{1,200}a{1,200}(?:b|\\d)'}", NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(eval(f, as, sb.s, &why), ST_ERROR);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_non_null(strstr(why, "budget"));
	assert_true((double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e9 <
	    2.5);
	sb_free(&sb);
}

/* Parameters are read at evaluation; a regex parameter is cached. */
static void
test_params(void **state)
{
	struct fx *f = *state;
	const char *decl = "{re: {type: string, default: '^a'}, "
			   "n: {type: int, default: 3}}";
	struct assertion *as;
	const char *why;
	int i;

	as = compile(f,
	    "all: [{path: s, matches: {param: re}}, "
	    "{path: x, le: {param: n}}]",
	    decl);
	assert_non_null(as);
	/* No bound values at all. */
	f->c.params = NULL;
	assert_int_equal(
	    eval(f, as, "{\"s\": \"ab\", \"x\": 1}", &why), ST_ERROR);
	assert_string_equal(why, "parameter 're' has no value");
	assert_string_equal(f->c.result.ev[0].path, "params.re");
	/* Alternate between more patterns than the cache holds. */
	for (i = 0; i < 12; i++) {
		char vals[128];

		snprintf(
		    vals, sizeof(vals), "{re: '^%c', n: %d}", 'a' + i % 6, i);
		f->c.params = load(f, "values.yaml", vals);
		assert_int_equal(eval(f, as, "{\"s\": \"cc\", \"x\": 2}", &why),
		    i % 6 == 2 && i >= 2 ? ST_PASS : ST_FAIL);
	}
	/* A numeric string is not a number parameter. */
	f->c.params = load(f, "values.yaml", "{re: 'c', n: '3'}");
	assert_int_equal(
	    eval(f, as, "{\"s\": \"cc\", \"x\": 2}", &why), ST_ERROR);
	assert_string_equal(
	    why, "parameter 'n' is a string; 'le' expects a number");
	/* Params may be declared as bare defaults too. */
	as = compile(f, "{path: x, eq: {param: v}}", "{v: 5}");
	f->c.params = load(f, "values.yaml", "{v: 5}");
	assert_int_equal(eval(f, as, "{\"x\": 5}", &why), ST_PASS);
}

static void
test_age_now(void **state)
{
	struct fx *f = *state;
	struct assertion *as =
	    compile(f, "{path: t, age_days: {gt: 10}}", NULL);
	const char *why;

	f->c.now = 1000 * 86400;
	/* Exactly 10 days old: not > 10. */
	assert_int_equal(eval(f, as, "{\"t\": 85536000}", NULL), ST_FAIL);
	assert_int_equal(eval(f, as, "{\"t\": 85535999}", NULL), ST_PASS);
	assert_int_equal(eval(f, as, "{\"t\": 0}", NULL), ST_PASS);
	assert_int_equal(
	    eval(f, as, "{\"t\": \"1970-01-02T00:00:00Z\"}", NULL), ST_PASS);
	f->c.now = 11 * 86400;
	assert_int_equal(
	    eval(f, as, "{\"t\": \"1970-01-02T00:00:00Z\"}", &why), ST_FAIL);
	assert_string_equal(
	    why, "'t' is '1970-01-02T00:00:00Z', expected an age > 10 days");
	f->c.now = 11 * 86400 + 1;
	assert_int_equal(eval(f, as, "{\"t\": 86400}", NULL), ST_PASS);
	assert_int_equal(eval(f, as, "{\"t\": 1e300}", NULL), ST_ERROR);
}

static void
test_cidr(void **state)
{
	static const struct {
		const char *v;
		enum status st; /* of cidr_public: true */
	} cases[] = {
		{ "0.0.0.0/0", ST_PASS },
		{ "0.0.0.0/8", ST_FAIL },
		{ "0.0.0.0/7", ST_PASS },
		{ "::/0", ST_PASS },
		{ "::/1", ST_PASS },
		{ "::ffff:0:0/96", ST_PASS },
		{ "fe80::/10", ST_FAIL },
		{ "ff02::1", ST_FAIL },
		{ "2001:db8::1", ST_FAIL },
		{ "2a05:d000::/25", ST_PASS },
		{ "224.0.0.0/3", ST_FAIL },
		{ "223.255.255.255", ST_PASS },
		{ "255.255.255.255", ST_FAIL },
		{ "100.63.255.255", ST_PASS },
		{ "100.128.0.0", ST_PASS },
		{ "198.18.0.0/15", ST_FAIL },
		{ "198.18.0.0/14", ST_PASS },
		{ "10.0.0.1/8", ST_FAIL },
		{ "1.2.3.4/", ST_ERROR },
		{ "1.2.3.4/+8", ST_ERROR },
		{ "01.2.3.4", ST_ERROR },
		{ "", ST_ERROR },
	};
	struct fx *f = *state;
	struct assertion *as = compile(f, "{path: c, cidr_public: true}", NULL);
	char in[128];
	size_t i;
	enum status st;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(in, sizeof(in), "{\"c\": \"%s\"}", cases[i].v);
		st = eval(f, as, in, NULL);
		if (st != cases[i].st)
			fail_msg("cidr_public '%s': got %s, want %s",
			    cases[i].v, status_name(st),
			    status_name(cases[i].st));
	}
}

/* Allocation failures: compile and evaluate fail cleanly, never pass. */
static void
test_alloc_failures(void **state)
{
	struct fx *f = *state;
	const char *tree = "all:\n"
			   "  - {path: 'a[*].b', in: [1, 2], quantifier: any}\n"
			   "  - not: {path: s, matches: {param: re}}\n"
			   "  - {path: c, cidr_public: false}\n";
	const char *decl = "{re: {default: '^x'}}";
	const char *input = "{\"a\": [{\"b\": 1}], \"s\": \"y\", "
			    "\"c\": \"10.0.0.0/8\"}";
	struct doc_node *t, *p, *in, *vals;
	struct assertion *as;
	const char *why;
	enum status st;
	long n, reached;

	t = load(f, "rule.yaml", tree);
	p = load(f, "params.yaml", decl);
	in = load(f, "input.json", input);
	vals = load(f, "values.yaml", "{re: '^x'}");
	for (n = 1; n < 200; n++) {
		struct arena *a = arena_new();
		struct diag d;

		diag_init(&d);
		lib_alloc_fail_at(n);
		as = assert_compile(a, &d, t, p);
		reached = lib_alloc_count() >= n;
		lib_alloc_fail_at(0);
		if (reached)
			assert_null(as);
		else
			assert_non_null(as);
		arena_free(a);
		diag_free(&d);
		if (!reached)
			break;
	}
	as = assert_compile(f->a, &f->d, t, p);
	assert_non_null(as);
	f->c.params = vals;
	check_ctx_reset(&f->c);
	assert_int_equal(assert_eval(as, in, &f->c, &why), ST_PASS);
	for (n = 1; n < 400; n++) {
		struct arena *res = arena_new();

		assert_non_null(res);
		f->c.a = res;
		check_ctx_reset(&f->c);
		lib_alloc_fail_at(n);
		st = assert_eval(as, in, &f->c, &why);
		reached = lib_alloc_count() >= n;
		lib_alloc_fail_at(0);
		assert_non_null(why);
		if (reached && st != ST_ERROR)
			fail_msg("allocation %ld failed, status %s", n,
			    status_name(st));
		if (!reached)
			assert_int_equal(st, ST_PASS);
		f->c.a = f->res;
		arena_free(res);
		if (!reached)
			break;
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_op_table_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_built_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_why_arena, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_deep_nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_lint_all_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_lint_regex_column_file, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_regex_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_regex_eval_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_age_now, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cidr, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_alloc_failures, setup, teardown),
	};

	RUN_TESTS("assert", tests, argc, argv);
}
