/*
 * testutil.h: shared helpers for the cmocka unit tests.  Each test file
 * includes this after <cmocka.h>'s prerequisites.
 *
 * A test binary takes an optional name filter as argv[1] (a glob), as
 * libssh's torture does: `build/tests/test_json 'surrogate*'`.
 *
 * Besides the assertions: sorted subdirectories (test_subdirs), the
 * fixtures' `expect` files (test_read_expect), the shipped rule set with
 * one check bound by a one-control baseline (test_rules_setup,
 * test_run_check) and one plugin on one inline resource (test_res,
 * test_eval).  Everything is static inline: a test uses what it needs.
 */
#ifndef RAMPART_TESTUTIL_H
#define RAMPART_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "lib/lib.h"
#include "rules/rules.h"

/* Run a group with the optional filter from argv[1]. */
#define RUN_TESTS(name, tests, argc, argv) \
	do { \
		if ((argc) > 1) \
			cmocka_set_test_filter((argv)[1]); \
		return cmocka_run_group_tests_name(name, tests, NULL, NULL); \
	} while (0)

/* Where ../shared is (SHARED env set by the test runner), or NULL. */
static inline const char *
test_shared_dir(void)
{
	const char *s = getenv("SHARED");
	struct stat st;

	if (s == NULL || stat(s, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return s;
}

/* Assert that diagnostic i, formatted, equals expect exactly. */
static inline void
assert_diag(const struct diag *d, size_t i, const char *expect)
{
	char buf[2048];

	assert_true(i < d->n);
	diag_format(d, i, buf, sizeof(buf));
	assert_string_equal(buf, expect);
}

/* Assert that some diagnostic contains the substring. */
static inline void
assert_diag_has(const struct diag *d, const char *needle)
{
	char buf[2048];
	size_t i;

	for (i = 0; i < d->n; i++) {
		diag_format(d, i, buf, sizeof(buf));
		if (strstr(buf, needle) != NULL)
			return;
	}
	for (i = 0; i < d->n; i++) {
		diag_format(d, i, buf, sizeof(buf));
		print_message("  diag[%zu]: %s\n", i, buf);
	}
	fail_msg("no diagnostic contains '%s'", needle);
}

/* Print every diagnostic of d as a cmocka message. */
static inline void
test_print_diag(const struct diag *d)
{
	char buf[2048];
	size_t i;

	for (i = 0; i < d->n; i++) {
		diag_format(d, i, buf, sizeof(buf));
		print_message("  diag: %s\n", buf);
	}
}

/* qsort() comparison of two strings (char * elements). */
static inline int
test_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The names of dir's subdirectories (no dot entries), sorted, in a
 * NULL-terminated list; NULL when dir cannot be read or has none.  Free
 * with test_free_list().
 */
static inline char **
test_subdirs(const char *dir)
{
	char **v = NULL, p[1400];
	struct dirent *de;
	struct stat st;
	size_t n = 0;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		v = realloc(v, (n + 2) * sizeof(*v));
		assert_non_null(v);
		v[n++] = strdup(de->d_name);
		v[n] = NULL;
	}
	closedir(dp);
	if (v != NULL)
		qsort(v, n, sizeof(*v), test_cmp_str);
	return v;
}

/* Free a test_subdirs() list (NULL too). */
static inline void
test_free_list(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* ------------------------------------------------ fixture expect files */

#define TEST_NOW 1704067200 /* 2024-01-01T00:00:00Z, the default `now` */
#define TEST_MAX_EXPECT 64

/*
 * A fixture's `expect` file, one "KEY REST" a line ('#' comments):
 *
 *	now 2016-12-01T00:00:00Z	evaluation time (default TEST_NOW)
 *	param NAME YAML-VALUE		parameter bound by the baseline
 *	adapter NAME			the adapter
 *	input RELATIVE-PATH		the input, under the case dir
 *	check ID			the check
 *	STATUS RESOURCE-ID		one line per resource, exact
 *
 * A test with lines of its own reads them with the `other` callback.
 */
struct test_expect {
	int64_t now;
	char adapter[64]; /* empty: not given */
	char input[512]; /* relative; empty: not given */
	char check[128];
	char params[1024]; /* YAML flow-map body: "a: 1, b: x" */
	struct {
		enum status st;
		char id[256];
	} v[TEST_MAX_EXPECT];
	size_t n;
};

/* One line of a test_expect file: 0, or -1 when it is bad. */
static inline int
test_expect_line(
    struct test_expect *e, const char *key, char *rest, size_t *plen)
{
	char *v;

	if (strcmp(key, "now") == 0)
		return parse_time(rest, &e->now) != 0 ? -1 : 0;
	if (strcmp(key, "adapter") == 0) {
		snprintf(e->adapter, sizeof(e->adapter), "%s", rest);
	} else if (strcmp(key, "check") == 0) {
		snprintf(e->check, sizeof(e->check), "%s", rest);
	} else if (strcmp(key, "input") == 0) {
		if (rest[0] == '/' || strstr(rest, "..") != NULL)
			return -1;
		snprintf(e->input, sizeof(e->input), "%s", rest);
	} else if (strcmp(key, "param") == 0) {
		if ((v = strchr(rest, ' ')) == NULL)
			return -1;
		*v++ = '\0';
		*plen += (size_t)snprintf(e->params + *plen,
		    sizeof(e->params) - *plen, "%s%s: %s", *plen ? ", " : "",
		    rest, v);
		if (*plen >= sizeof(e->params))
			return -1;
	} else {
		if (e->n == TEST_MAX_EXPECT ||
		    status_parse(key, &e->v[e->n].st) != 0)
			return -1;
		snprintf(e->v[e->n].id, sizeof(e->v[e->n].id), "%s", rest);
		e->n++;
	}
	return 0;
}

/*
 * Read the expect file at path into e.  A line whose key other (when not
 * NULL) takes (it returns 1; -1: a bad line; 0: not its key) is the
 * caller's.  0, or -1 when the file cannot be read or has a bad line
 * (printed).
 */
static inline int
test_read_expect(const char *path, struct test_expect *e,
    int (*other)(void *ctx, const char *key, char *rest), void *ctx)
{
	char line[1024], *sp, *nl;
	size_t plen = 0;
	FILE *fp;
	int k = 0;

	memset(e, 0, sizeof(*e));
	e->now = TEST_NOW;
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if ((sp = strchr(line, ' ')) == NULL)
			goto bad;
		*sp++ = '\0';
		if (other != NULL && (k = other(ctx, line, sp)) != 0) {
			if (k == -1)
				goto bad;
			continue;
		}
		if (test_expect_line(e, line, sp, &plen) == -1)
			goto bad;
	}
	fclose(fp);
	return 0;
bad:
	print_message("%s: bad line '%s'\n", path, line);
	fclose(fp);
	return -1;
}

/* ------------------------------------------ shipped rules, one check */

/*
 * Set RAMPART_RULES_DIR to ./rules, make a temporary directory from tmpl
 * ("/tmp/rampart-x-XXXXXX") in tmpdir and load the shipped rule set into
 * *rs.  0 or -1 (diagnostics printed).
 */
static inline int
test_rules_setup(
    struct rule_set **rs, char *tmpdir, size_t len, const char *tmpl)
{
	struct diag d;

	setenv("RAMPART_RULES_DIR", "rules", 1);
	snprintf(tmpdir, len, "%s", tmpl);
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	diag_init(&d);
	*rs = rule_set_new();
	if (*rs == NULL || rule_set_load_shipped(*rs, &d) != 0) {
		test_print_diag(&d);
		diag_free(&d);
		return -1;
	}
	diag_free(&d);
	return 0;
}

/*
 * Free rs and remove tmpdir with baseline.yaml and the NULL-terminated
 * files and empty directories extra (relative to tmpdir, children first).
 */
static inline void
test_rules_teardown(
    struct rule_set *rs, const char *tmpdir, const char *const *extra)
{
	char p[256];
	size_t i;

	rule_set_free(rs);
	snprintf(p, sizeof(p), "%s/baseline.yaml", tmpdir);
	unlink(p);
	for (i = 0; extra != NULL && extra[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s/%s", tmpdir, extra[i]);
		remove(p);
	}
	rmdir(tmpdir);
}

/*
 * Run one check of rs on input with adapter ad (NULL: detected), bound
 * by a one-control baseline written to tmpdir/baseline.yaml; binding is
 * the YAML the check's entry carries besides its id ("params: {a: 1}",
 * "decides: part").  Returns the finished run, or NULL with the reason
 * on d; the caller frees the run and *blp (set when loaded, else NULL).
 */
static inline struct run *
test_run_check(struct rule_set *rs, const char *tmpdir, const char *check,
    const char *binding, int64_t now, const char *input,
    const struct adapter *ad, struct baseline **blp, struct diag *d)
{
	char path[256];
	struct run_opts ro;
	struct run *r;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/baseline.yaml", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp,
	    "id: t\ntitle: t\nimpact: moderate\ncontrols:\n"
	    "  - id: ca-7\n    checks:\n      - id: %s\n"
	    "        %s\n",
	    check, binding);
	fclose(fp);
	if ((*blp = baseline_load(d, path, rs)) == NULL)
		return NULL;
	memset(&ro, 0, sizeof(ro));
	ro.now = now;
	load_limits_default(&ro.lim);
	if ((r = run_new(d, *blp, rs, NULL, &ro)) == NULL)
		return NULL;
	if (run_input(r, input, ad) != 0 || run_finish(r) != 0) {
		run_free(r);
		return NULL;
	}
	return r;
}

/*
 * A resource of type with id from inline JSON attributes (source
 * "inline.json"), in arena a; a test fails on bad JSON.
 */
static inline struct resource *
test_inline_res(
    struct arena *a, const char *type, const char *id, const char *json)
{
	struct resource *r = arena_alloc(a, sizeof(*r));
	struct doc_node **docs;
	size_t n;
	struct diag d;

	assert_non_null(r);
	diag_init(&d);
	if (doc_load_buf(a, &d, "inline.json", json, strlen(json), DOC_FMT_JSON,
		NULL, &docs, &n) != 0 ||
	    n == 0)
		fail_msg("bad test JSON: %s", json);
	diag_free(&d);
	r->type = type;
	r->id = id;
	r->attrs = docs[0];
	r->source = "inline.json";
	return r;
}

/* ------------------------------------------- one plugin, one resource */

/*
 * The stand-in harness of the plugin tests: resources from inline JSON
 * and one plugin evaluated on one of them, as the engine would, with the
 * result kept until the next evaluation.
 */
struct test_plugin {
	int64_t now; /* the evaluation time */
	struct arena *res_a; /* resources of test_res() */
	struct arena *a; /* the last evaluation */
	struct check_result last;
	char msg[1024]; /* its message, "" when none */
};

/* A resource of type with attributes json, id "inline" (t owns it). */
static inline struct resource *
test_res(struct test_plugin *t, const char *type, const char *json)
{
	if (t->res_a == NULL)
		t->res_a = arena_new();
	return test_inline_res(t->res_a, type, "inline", json);
}

/*
 * Evaluate plugin on r with params (JSON) at t->now; it must emit one
 * result, with evidence when it fails.  Returns its status; the result
 * is t->last and t->msg until the next call.
 */
static inline enum status
test_eval(struct test_plugin *t, const char *plugin, const struct resource *r,
    const char *params)
{
	const struct check_plugin *p = check_plugin_find(plugin);
	struct check_ctx c;
	struct diag d;
	struct doc_node **docs;
	size_t n;

	assert_non_null(p);
	arena_free(t->a);
	t->a = arena_new();
	diag_init(&d);
	memset(&c, 0, sizeof(c));
	c.a = t->a;
	c.d = &d;
	c.now = t->now;
	assert_int_equal(doc_load_buf(t->a, &d, "params.json", params,
			     strlen(params), DOC_FMT_JSON, NULL, &docs, &n),
	    0);
	c.params = docs[0];
	check_ctx_reset(&c);
	assert_int_equal(p->evaluate(&c, r), 0);
	assert_true(c.emitted);
	if (c.result.status == ST_FAIL)
		assert_true(c.result.nev > 0);
	t->last = c.result;
	snprintf(t->msg, sizeof(t->msg), "%s",
	    c.result.message ? c.result.message : "");
	diag_free(&d);
	return c.result.status;
}

/* Free what t holds; it can be used again. */
static inline void
test_plugin_free(struct test_plugin *t)
{
	arena_free(t->res_a);
	arena_free(t->a);
	t->res_a = NULL;
	t->a = NULL;
}

/*
 * A scratch tree's end: every folder made writable again (a test may
 * have locked some) and the tree removed.  Asserts it worked.
 */
static inline void
test_rm_tree(const char *dir)
{
	char cmd[600];

	snprintf(
	    cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", dir, dir);
	assert_int_equal(system(cmd), 0);
}

/* Write text to dir/rel (the folders must exist). */
static inline void
test_put(const char *dir, const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_non_null(f = fopen(path, "w"));
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

#endif
