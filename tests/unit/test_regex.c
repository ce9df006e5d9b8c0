/*
 * test_regex.c: the PCRE2 wrapper: limits are errors (never "no match"),
 * UTF-8 handling, JIT and interpreter give the same answers, compile
 * errors point at the pattern offset.
 */
#include "testutil.h"

#include <time.h>

#include "rules/rules.h"

struct fx {
	struct arena *a;
	struct diag d;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->a = arena_new();
	assert_non_null(f->a);
	diag_init(&f->d);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	arena_free(f->a);
	diag_free(&f->d);
	free(f);
	return 0;
}

static struct regex *
re(struct fx *f, const char *pat)
{
	struct mark m = { "t.yaml", 3, 10 };
	struct regex *r = regex_compile(f->a, &f->d, pat, &m);

	if (r == NULL)
		fail_msg("compile '%s' failed (%zu diags)", pat, f->d.n);
	return r;
}

static int
match(const struct regex *r, const char *s)
{
	const char *err = NULL;
	int rc = regex_match(r, s, strlen(s), &err);

	if (rc == -1)
		assert_non_null(err);
	return rc;
}

static double
elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
test_basic(void **state)
{
	struct fx *f = *state;
	struct regex *r = re(f, "^arn:aws:iam::\\d{12}:root$");

	assert_int_equal(match(r, "arn:aws:iam::123456789012:root"), 1);
	assert_int_equal(match(r, "arn:aws:iam::12345:root"), 0);
	assert_int_equal(match(r, ""), 0);
	r = re(f, "");
	assert_int_equal(match(r, ""), 1);
	assert_int_equal(match(r, "x"), 1);
	/* Embedded NUL in the subject is data, not the end. */
	r = re(f, "b$");
	assert_int_equal(regex_match(r, "a\0b", 3, NULL), 1);
}

/* The pathological pattern of PITFALLS.md: must be -1, and quickly. */
static void
test_catastrophic(void **state)
{
	struct fx *f = *state;
	struct timespec t0;
	const char *err = NULL;
	struct regex *r;
	char *s;
	int i, rc;

	s = malloc(20001);
	assert_non_null(s);
	memset(s, 'a', 20000);
	s[20000] = '\0';
	for (i = 0; i < 2; i++) {
		r = re(f, i == 0 ? "(?:a|a)*\\d" : "(*NO_JIT)(?:a|a)*\\d");
		assert_int_equal(regex_jit(r) != 0 && i == 1, 0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = regex_match(r, s, 20000, &err);
		assert_int_equal(rc, -1);
		assert_non_null(err);
		assert_true(elapsed(&t0) < 2.0);
	}
	free(s);
}

/*
 * A pattern that stays under the match limit at each start position but
 * costs a lot in total: the time budget must stop it, as an error.
 */
static void
test_time_budget(void **state)
{
	struct fx *f = *state;
	struct timespec t0;
	const char *err = NULL;
	struct regex *r;
	char *s;
	size_t n = 65536;
	int i, rc;

	s = malloc(n + 1);
	assert_non_null(s);
	memset(s, 'a', n);
	s[n] = '\0';
	for (i = 0; i < 2; i++) {
		r = re(f,
		    i == 0 ? "a{1,200}a{1,200}(?:b|\\d)"
			   : "(*NO_JIT)a{1,200}a{1,200}(?:b|\\d)");
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = regex_match(r, s, n, &err);
		/* Either a limit or the budget; never a clean "no match". */
		assert_int_equal(rc, -1);
		assert_non_null(err);
		assert_true(elapsed(&t0) < 3.0);
	}
	free(s);
}

static void
test_subject_cap(void **state)
{
	struct fx *f = *state;
	struct regex *r = re(f, "x");
	const char *err = NULL;
	char *s = calloc(1, 65537 + 1);

	assert_non_null(s);
	memset(s, 'y', 65537);
	assert_int_equal(regex_match(r, s, 65537, &err), -1);
	assert_non_null(strstr(err, "65536"));
	assert_int_equal(regex_match(r, s, 65536, &err), 0);
	s[65535] = 'x';
	assert_int_equal(regex_match(r, s, 65536, &err), 1);
	free(s);
}

static void
test_utf8(void **state)
{
	struct fx *f = *state;
	const char *err = NULL;
	struct regex *r = re(f, "^.$");

	/* One character, two bytes: '.' is a character in UTF mode. */
	assert_int_equal(match(r, "\xc3\xa9"), 1);
	assert_int_equal(match(r, "ab"), 0);
	/* Invalid UTF-8 is an error, never "no match". */
	assert_int_equal(regex_match(r, "\xc3", 1, &err), -1);
	assert_non_null(strstr(err, "UTF-8"));
	r = re(f, "zzz");
	assert_int_equal(regex_match(r, "abc\xff", 4, &err), -1);
	/* Invalid bytes far after the first slice are still seen. */
	{
		char *s = malloc(3001);

		assert_non_null(s);
		memset(s, 'a', 3000);
		s[2999] = (char)0xff;
		s[3000] = '\0';
		assert_int_equal(regex_match(r, s, 3000, &err), -1);
		free(s);
	}
	/*
	 * Slices never start inside a character: after one 'a', every
	 * character is two bytes long, so slice boundaries (even offsets)
	 * fall inside characters.
	 */
	{
		char *s = malloc(4001);
		size_t i;

		assert_non_null(s);
		s[0] = 'a';
		for (i = 1; i + 1 < 3999; i += 2) {
			s[i] = (char)0xc3;
			s[i + 1] = (char)0xa9;
		}
		s[3999] = 'x';
		s[4000] = '\0';
		r = re(f, "(?<=\xc3\xa9)x$");
		assert_int_equal(regex_match(r, s, 4000, &err), 1);
		r = re(f, "\xc3\xa9x");
		assert_int_equal(regex_match(r, s, 4000, &err), 1);
		r = re(f, "^.{2000}x$");
		assert_int_equal(regex_match(r, s, 4000, &err), 1);
		free(s);
	}
	/* An invalid pattern is a compile error. */
	assert_null(regex_compile(f->a, &f->d, "\xff", NULL));
}

/* Matches found in later slices, anchors and lookbehind across slices. */
static void
test_slices(void **state)
{
	struct fx *f = *state;
	char *s = malloc(5001);
	int i;

	assert_non_null(s);
	memset(s, 'a', 5000);
	s[5000] = '\0';
	s[4000] = 'b';
	for (i = 0; i < 2; i++) {
		const char *pre = i == 0 ? "" : "(*NO_JIT)";
		char p[64];

		snprintf(p, sizeof(p), "%sab", pre);
		assert_int_equal(match(re(f, p), s), 1);
		snprintf(p, sizeof(p), "%s^b", pre);
		assert_int_equal(match(re(f, p), s), 0);
		snprintf(p, sizeof(p), "%s^a+b", pre);
		assert_int_equal(match(re(f, p), s), 1);
		snprintf(p, sizeof(p), "%s(?<=a{300})b", pre);
		assert_int_equal(match(re(f, p), s), 1);
		snprintf(p, sizeof(p), "%sa$", pre);
		assert_int_equal(match(re(f, p), s), 1);
		snprintf(p, sizeof(p), "%sc", pre);
		assert_int_equal(match(re(f, p), s), 0);
		snprintf(p, sizeof(p), "%s\\Ab", pre);
		assert_int_equal(match(re(f, p), s), 0);
	}
	free(s);
}

/* JIT and the interpreter agree on a table of cases. */
static void
test_jit_parity(void **state)
{
	static const struct {
		const char *pat, *subj;
		int want;
	} cases[] = {
		{ "^AES256$", "AES256", 1 },
		{ "^AES256$", "aes256", 0 },
		{ "(?i)^aes256$", "AES256", 1 },
		{ "^(aws:kms|AES256)$", "aws:kms", 1 },
		{ "\\bTLSv1\\.[01]\\b", "TLSv1.2_2021", 0 },
		{ "\\bTLSv1\\.[01]\\b", "ELBSecurityPolicy-TLSv1-0 TLSv1.0",
		    1 },
		{ "^\\p{Lu}", "\xc3\x89t\xc3\xa9", 1 },
		{ "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/0$", "0.0.0.0/0", 1 },
		{ "(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", -1 },
		{ "x*", "", 1 },
	};
	struct fx *f = *state;
	char p[256];
	size_t i;
	int rj, ri;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct regex *j = re(f, cases[i].pat), *in;

		snprintf(p, sizeof(p), "(*NO_JIT)%s", cases[i].pat);
		in = re(f, p);
		assert_false(regex_jit(in));
		rj = match(j, cases[i].subj);
		ri = match(in, cases[i].subj);
		if (rj != cases[i].want || ri != cases[i].want)
			fail_msg(
			    "'%s' on '%s': jit %d, interpreter %d, want %d",
			    cases[i].pat, cases[i].subj, rj, ri, cases[i].want);
	}
}

static void
test_compile_errors(void **state)
{
	struct fx *f = *state;
	struct mark m = { "mem.yaml", 3, 10 };
	char *big;

	assert_null(regex_compile(f->a, &f->d, "ab(c", &m));
	/* Column 10 + offset 4 (end of pattern). */
	assert_diag(&f->d, 0,
	    "mem.yaml:3:14: error: invalid regex 'ab(c': missing closing "
	    "parenthesis");
	assert_null(regex_compile(f->a, &f->d, "a\\C", &m));
	assert_int_equal(f->d.nerrors, 2);
	big = malloc(1100);
	assert_non_null(big);
	memset(big, 'a', 1099);
	big[1099] = '\0';
	assert_null(regex_compile(f->a, &f->d, big, &m));
	assert_diag_has(&f->d, "regex is too long");
	free(big);
	/* Nesting limit. */
	{
		char p[256];
		int i;

		for (i = 0; i < 60; i++)
			p[i] = '(';
		for (i = 0; i < 60; i++)
			p[60 + i] = ')';
		p[120] = '\0';
		assert_null(regex_compile(f->a, &f->d, p, &m));
		assert_diag_has(&f->d, "parentheses are too deeply nested");
	}
	/* A pattern cannot raise the caller's limits. */
	{
		struct regex *r = re(f, "(*LIMIT_MATCH=100000000)(?:a|a)*\\d");
		char s[5001];

		memset(s, 'a', 5000);
		s[5000] = '\0';
		assert_int_equal(match(r, s), -1);
	}
}

/* scalar_mark: quoted scalars in a real file. */
static void
test_scalar_mark(void **state)
{
	struct fx *f = *state;
	char path[] = "/tmp/rampart-test-regex-XXXXXX";
	const char *text = "a:\n"
			   "  x: 'it''s(('\n"
			   "  y: \"\\\\d\\u00e9(\"\n"
			   "  z: ab(\n";
	struct mark m, r;
	FILE *fp;
	int fd;

	(void)f;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	m.file = path;
	/* Single-quoted: value "it's((", offset 5 = first '('. */
	m.line = 2, m.col = 6;
	r = scalar_mark(&m, "it's((", 5);
	assert_int_equal(r.col, 6 + 1 + 6);
	/* Double-quoted: value "\\d" + "é" + "(", offset 4 = '('. */
	m.line = 3, m.col = 6;
	r = scalar_mark(&m, "\\d\xc3\xa9(", 4);
	assert_int_equal(r.col, 6 + 1 + 3 + 6);
	/* Plain. */
	m.line = 4, m.col = 6;
	r = scalar_mark(&m, "ab(", 2);
	assert_int_equal(r.col, 8);
	/* A line past the end, then line 2 again (read from the cache). */
	m.line = 9, m.col = 6;
	r = scalar_mark(&m, "ab(", 2);
	assert_int_equal(r.col, 8);
	m.line = 2, m.col = 6;
	r = scalar_mark(&m, "it's((", 5);
	assert_int_equal(r.col, 6 + 1 + 6);
	/*
	 * The file rewritten (another size): line 2 is now plain, and the
	 * cached text of the first version must not be used.
	 */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("a:\n  x: it's((\n", fp);
	fclose(fp);
	r = scalar_mark(&m, "it's((", 5);
	assert_int_equal(r.col, 6 + 5);
	/* Unreadable file: plain arithmetic. */
	m.file = "/nonexistent/x.yaml";
	r = scalar_mark(&m, "\xc3\xa9x", 2);
	assert_int_equal(r.col, 7);
	unlink(path);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_catastrophic, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_time_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_subject_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slices, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_jit_parity, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_compile_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scalar_mark, setup, teardown),
	};

	RUN_TESTS("regex", tests, argc, argv);
}
