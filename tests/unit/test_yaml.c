/*
 * test_yaml.c: the YAML loader (lib/yaml.c) through the public loaders:
 * core schema typing, tags, anchors and aliases with their budget,
 * limits, error positions, encodings, streaming and allocation failure.
 *
 * Usage: build/tests/test_yaml [glob]; SHARED=../shared enables the
 * tests over real files.
 */
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <time.h>

#include "testutil.h"

struct fixture {
	struct arena *a;
	struct diag d;
	struct doc_node **docs;
	size_t n;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->a = arena_new()) == NULL)
		return -1;
	diag_init(&f->d);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	arena_free(f->a);
	diag_free(&f->d);
	free(f);
	return 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
print_diags(const struct diag *d)
{
	char buf[2048];
	size_t i;

	for (i = 0; i < d->n; i++) {
		diag_format(d, i, buf, sizeof(buf));
		print_message("  diag[%zu]: %s\n", i, buf);
	}
}

/* Load a buffer as "f.yaml" with limits lim (NULL = defaults). */
static int
load_lim(
    struct fixture *f, const char *s, size_t len, const struct load_limits *lim)
{
	return doc_load_buf(
	    f->a, &f->d, "f.yaml", s, len, DOC_FMT_YAML, lim, &f->docs, &f->n);
}

static int
load(struct fixture *f, const char *s)
{
	return load_lim(f, s, strlen(s), NULL);
}

/* Load s, expecting success and one document. */
static struct doc_node *
load_ok(struct fixture *f, const char *s)
{
	if (load(f, s) != 0) {
		print_diags(&f->d);
		fail_msg("load failed: %s", s);
	}
	assert_int_equal(f->n, 1);
	return f->docs[0];
}

/* Load s, expecting failure with exactly one diagnostic, `expect`. */
static void
load_err(struct fixture *f, const char *s, const char *expect)
{
	if (load(f, s) != -1)
		fail_msg("load succeeded: %s", s);
	if (f->d.nerrors != 1)
		print_diags(&f->d);
	assert_int_equal(f->d.nerrors, 1);
	assert_diag(&f->d, f->d.n - 1, expect);
}

static void
test_multi_document(void **state)
{
	struct fixture *f = *state;
	struct doc_node *v;

	assert_int_equal(
	    load(f, "a: 1\n---\nb: [x, y]\n--- 3\n...\n---\n# empty\n"), 0);
	assert_int_equal(f->n, 4);
	v = doc_get(f->docs[0], "a");
	assert_non_null(v);
	assert_int_equal(v->type, DOC_INT);
	assert_int_equal(v->u.i, 1);
	v = doc_get(f->docs[1], "b");
	assert_non_null(v);
	assert_int_equal(v->u.seq.n, 2);
	assert_string_equal(doc_str(doc_index(v, 1)), "y");
	assert_int_equal(doc_index(v, 1)->mark.line, 3);
	assert_int_equal(doc_index(v, 1)->mark.col, 8);
	assert_int_equal(f->docs[2]->type, DOC_INT);
	assert_int_equal(f->docs[2]->u.i, 3);
	assert_int_equal(f->docs[3]->type, DOC_NULL);
}

static void
test_empty_stream(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f, ""), 0);
	assert_int_equal(f->n, 0);
	assert_int_equal(load(f, "# only a comment\n"), 0);
	assert_int_equal(f->n, 0);
}

struct schema_case {
	const char *text;
	enum doc_type type;
	int64_t i; /* ints and bools */
	double fl; /* floats; NAN checked with isnan */
};

/* YAML 1.2.2 core schema (10.3.2), and what it leaves as strings. */
static const struct schema_case schema_cases[] = {
	{ "null", DOC_NULL, 0, 0 },
	{ "Null", DOC_NULL, 0, 0 },
	{ "NULL", DOC_NULL, 0, 0 },
	{ "~", DOC_NULL, 0, 0 },
	{ "", DOC_NULL, 0, 0 },
	{ "nULL", DOC_STRING, 0, 0 },
	{ "true", DOC_BOOL, 1, 0 },
	{ "True", DOC_BOOL, 1, 0 },
	{ "TRUE", DOC_BOOL, 1, 0 },
	{ "false", DOC_BOOL, 0, 0 },
	{ "False", DOC_BOOL, 0, 0 },
	{ "FALSE", DOC_BOOL, 0, 0 },
	{ "tRUE", DOC_STRING, 0, 0 },
	{ "yes", DOC_STRING, 0, 0 },
	{ "no", DOC_STRING, 0, 0 },
	{ "on", DOC_STRING, 0, 0 },
	{ "off", DOC_STRING, 0, 0 },
	{ "y", DOC_STRING, 0, 0 },
	{ "n", DOC_STRING, 0, 0 },
	{ "0", DOC_INT, 0, 0 },
	{ "12", DOC_INT, 12, 0 },
	{ "+12", DOC_INT, 12, 0 },
	{ "-12", DOC_INT, -12, 0 },
	{ "012", DOC_INT, 12, 0 }, /* 1.2 core: decimal, not octal */
	{ "0o17", DOC_INT, 15, 0 },
	{ "0x1F", DOC_INT, 31, 0 },
	{ "0xff", DOC_INT, 255, 0 },
	{ "0o8", DOC_STRING, 0, 0 },
	{ "0x", DOC_STRING, 0, 0 },
	{ "-0x1F", DOC_STRING, 0, 0 },
	{ "0b101", DOC_STRING, 0, 0 },
	{ "1_000", DOC_STRING, 0, 0 },
	{ "9223372036854775807", DOC_INT, INT64_MAX, 0 },
	{ "1e3", DOC_FLOAT, 0, 1000.0 },
	{ "1.5", DOC_FLOAT, 0, 1.5 },
	{ "-1.5e-2", DOC_FLOAT, 0, -0.015 },
	{ ".5", DOC_FLOAT, 0, 0.5 },
	{ "1.", DOC_FLOAT, 0, 1.0 },
	{ "+1.0E+2", DOC_FLOAT, 0, 100.0 },
	{ ".inf", DOC_FLOAT, 0, INFINITY },
	{ ".Inf", DOC_FLOAT, 0, INFINITY },
	{ "+.INF", DOC_FLOAT, 0, INFINITY },
	{ "-.inf", DOC_FLOAT, 0, -INFINITY },
	{ ".nan", DOC_FLOAT, 0, NAN },
	{ ".NaN", DOC_FLOAT, 0, NAN },
	{ "-.nan", DOC_STRING, 0, 0 },
	{ ".", DOC_STRING, 0, 0 },
	{ "1e", DOC_STRING, 0, 0 },
	{ "e3", DOC_STRING, 0, 0 },
	{ "1.2.3", DOC_STRING, 0, 0 },
	{ "12:30", DOC_STRING, 0, 0 },
	{ "2024-01-02", DOC_STRING, 0, 0 },
	{ "\"true\"", DOC_STRING, 0, 0 },
	{ "'12'", DOC_STRING, 0, 0 },
	{ "\"~\"", DOC_STRING, 0, 0 },
	{ "! 12", DOC_STRING, 0, 0 },
	{ "|\n  12", DOC_STRING, 0, 0 },
};

static void
test_core_schema(void **state)
{
	struct fixture *f = *state;
	const struct schema_case *c;
	struct doc_node *v;
	char buf[128];
	size_t i;

	for (i = 0; i < sizeof(schema_cases) / sizeof(schema_cases[0]); i++) {
		c = &schema_cases[i];
		snprintf(buf, sizeof(buf), "v: %s\n", c->text);
		v = doc_get(load_ok(f, buf), "v");
		assert_non_null(v);
		if (v->type != c->type)
			fail_msg("'%s': got %s, want %s", c->text,
			    doc_type_name(v->type), doc_type_name(c->type));
		if (c->type == DOC_INT)
			assert_int_equal(v->u.i, c->i);
		else if (c->type == DOC_BOOL)
			assert_int_equal(v->u.b, (int)c->i);
		else if (c->type == DOC_FLOAT && isnan(c->fl))
			assert_true(isnan(v->u.f));
		else if (c->type == DOC_FLOAT)
			assert_true(v->u.f == c->fl);
		if (c->type == DOC_INT || c->type == DOC_FLOAT)
			assert_string_equal(v->str, c->text);
	}
	/* Quoted scalars keep their text exactly. */
	v = doc_get(load_ok(f, "v: \"true\"\n"), "v");
	assert_string_equal(doc_str(v), "true");
}

static void
test_tags(void **state)
{
	struct fixture *f = *state;
	struct doc_node *r;

	r = load_ok(f,
	    "a: !!int \"12\"\nb: !!str 12\nc: !!float 1\nd: !!bool 'true'\n"
	    "e: !!null ''\nf: !!binary aGk=\ng: !!map {k: 1}\nh: !!seq []\n"
	    "i: !<tag:yaml.org,2002:int> 0x10\n");
	assert_int_equal(doc_get(r, "a")->type, DOC_INT);
	assert_int_equal(doc_get(r, "a")->u.i, 12);
	assert_string_equal(doc_str(doc_get(r, "b")), "12");
	assert_int_equal(doc_get(r, "c")->type, DOC_FLOAT);
	assert_true(doc_get(r, "c")->u.f == 1.0);
	assert_int_equal(doc_get(r, "d")->type, DOC_BOOL);
	assert_int_equal(doc_get(r, "d")->u.b, 1);
	assert_int_equal(doc_get(r, "e")->type, DOC_NULL);
	assert_string_equal(doc_str(doc_get(r, "f")), "aGk=");
	assert_int_equal(doc_get(r, "g")->type, DOC_MAP);
	assert_int_equal(doc_get(r, "h")->type, DOC_SEQ);
	assert_int_equal(doc_get(r, "i")->u.i, 16);
	assert_int_equal(f->d.n, 0);

	load_err(f, "a: 1\nb: !!int abc\n",
	    "f.yaml:2:4: error: value 'abc' does not match its tag '!!int'");
	diag_clear(&f->d);
	load_err(f, "b: !!bool yes\n",
	    "f.yaml:1:4: error: value 'yes' does not match its tag '!!bool'");
	diag_clear(&f->d);
	load_err(f, "b: !!null 0\n",
	    "f.yaml:1:4: error: value '0' does not match its tag '!!null'");
	diag_clear(&f->d);
	load_err(f, "b: !!float x\n",
	    "f.yaml:1:4: error: value 'x' does not match its tag '!!float'");
	diag_clear(&f->d);
	load_err(
	    f, "b: !!map x\n", "f.yaml:1:4: error: tag '!!map' on a scalar");
	diag_clear(&f->d);
	load_err(f, "b: !!str [1]\n",
	    "f.yaml:1:4: error: tag '!!str' on a sequence");
	diag_clear(&f->d);
}

static void
test_unknown_tag_warns_once(void **state)
{
	struct fixture *f = *state;
	struct doc_node *r;

	/* CloudFormation style: loaded as strings, one warning a document. */
	r = load_ok(f,
	    "Bucket: !Ref MyBucket\nArn: !GetAtt [B, Arn]\n"
	    "n: !Custom 12\ns: !!set {a: null}\n");
	assert_string_equal(doc_str(doc_get(r, "Bucket")), "MyBucket");
	assert_int_equal(doc_get(r, "Arn")->type, DOC_SEQ);
	assert_int_equal(doc_get(r, "n")->type, DOC_STRING);
	assert_int_equal(doc_get(r, "s")->type, DOC_MAP);
	assert_int_equal(f->d.nerrors, 0);
	assert_int_equal(f->d.nwarnings, 1);
	assert_diag(&f->d, 0,
	    "f.yaml:1:9: warning: unknown tag '!Ref' ignored (tagged scalars "
	    "load as strings; further unknown tags in this document are not "
	    "reported)");
}

static void
test_key_order(void **state)
{
	struct fixture *f = *state;
	static const char *const keys[] = { "zeta", "alpha", "mid", "beta",
		"omega", "a1", "a0" };
	struct doc_node *r;
	size_t i;

	r = load_ok(f,
	    "zeta: 1\nalpha: 2\nmid: 3\nbeta: 4\nomega: 5\n"
	    "a1: 6\na0: 7\n");
	assert_int_equal(r->u.map.n, 7);
	for (i = 0; i < 7; i++) {
		assert_string_equal(r->u.map.pairs[i].key->str, keys[i]);
		assert_int_equal(r->u.map.pairs[i].val->u.i, (int64_t)i + 1);
		assert_int_equal(r->u.map.pairs[i].key->mark.line, i + 1);
	}
}

static void
test_duplicate_key(void **state)
{
	struct fixture *f = *state;

	load_err(f, "kind: Bucket\nencrypted: false\nencrypted: true\n",
	    "f.yaml:3:1: error: duplicate key 'encrypted' (first defined at "
	    "2:1)");
	diag_clear(&f->d);
	load_err(f, "a:\n  x: 1\n  'x': 2\n",
	    "f.yaml:3:3: error: duplicate key 'x' (first defined at 2:3)");
	diag_clear(&f->d);
	load_err(f, "{a: 1, b: 2, \"a\": 3}",
	    "f.yaml:1:14: error: duplicate key 'a' (first defined at 1:2)");
}

static void
test_merge_key_rejected(void **state)
{
	struct fixture *f = *state;
	struct doc_node *r;

	load_err(f, "base: &b {a: 1}\nx:\n  <<: *b\n  c: 2\n",
	    "f.yaml:3:3: error: merge keys ('<<') are not supported; write "
	    "the merged keys out, or quote '\"<<\"' for a literal key");
	diag_clear(&f->d);
	r = load_ok(f, "\"<<\": x\n");
	assert_string_equal(doc_str(doc_get(r, "<<")), "x");
}

static void
test_alias_shares_node(void **state)
{
	struct fixture *f = *state;
	struct doc_node *r, *a, *b;

	r = load_ok(f, "a: &x {k: [1, 2]}\nb: *x\nc: &s hello\nd: *s\n");
	a = doc_get(r, "a");
	b = doc_get(r, "b");
	assert_non_null(a);
	assert_ptr_equal(a, b); /* one subtree, attached twice */
	assert_string_equal(doc_str(doc_get(r, "d")), "hello");
	/* Redefinition: an alias takes the most recent anchor. */
	r = load_ok(f, "[&a 1, &a 2, *a]");
	assert_int_equal(doc_index(r, 2)->u.i, 2);
	/* An inner redefinition inside the outer node is not a cycle. */
	r = load_ok(f, "&a [&a 1, *a]");
	assert_int_equal(doc_index(r, 1)->u.i, 1);
}

static void
test_alias_as_key(void **state)
{
	struct fixture *f = *state;
	struct doc_node *r;

	r = load_ok(f, "- &k name\n- {*k : 1}\n- {&j other: 2, v: *j}\n");
	assert_int_equal(doc_get(doc_index(r, 1), "name")->u.i, 1);
	assert_string_equal(doc_str(doc_get(doc_index(r, 2), "v")), "other");
	diag_clear(&f->d);
	load_err(f, "- &m {a: 1}\n- {*m : 1}\n",
	    "f.yaml:2:4: error: mapping key must be a scalar");
}

static void
test_self_cycle(void **state)
{
	struct fixture *f = *state;

	load_err(f, "a: &a [1, *a]\n",
	    "f.yaml:1:11: error: alias '*a' refers to its own enclosing node");
	diag_clear(&f->d);
	load_err(f, "&r\nk:\n  - x: *r\n",
	    "f.yaml:3:8: error: alias '*r' refers to its own enclosing node");
}

static void
test_unknown_alias(void **state)
{
	struct fixture *f = *state;

	load_err(
	    f, "a: 1\nb: *nope\n", "f.yaml:2:4: error: unknown alias '*nope'");
	diag_clear(&f->d);
	/* Anchors are per document. */
	load_err(f, "a: &x 1\n---\nb: *x\n",
	    "f.yaml:3:4: error: unknown alias '*x'");
}

/* The classic: 9 levels of 9 aliases, 9^9 nodes if expanded. */
static void
test_billion_laughs(void **state)
{
	struct fixture *f = *state;
	struct strbuf sb;
	double t0, dt;
	int i, j;

	sb_init(&sb);
	sb_adds(&sb, "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (i = 1; i <= 9; i++) {
		sb_printf(&sb, "a%d: &a%d [", i, i);
		for (j = 0; j < 9; j++)
			sb_printf(&sb, "%s*a%d", j ? ", " : "", i - 1);
		sb_adds(&sb, "]\n");
	}
	assert_int_equal(sb.oom, 0);
	t0 = now();
	assert_int_equal(load_lim(f, sb.s, sb.len, NULL), -1);
	dt = now() - t0;
	print_message("  billion laughs rejected in %.3f ms\n", dt * 1e3);
	assert_true(dt < 2.0);
	/* Expanded so far: 90 + 819 + 7380 + 66429 = 74718; +66430 > 1e5. */
	assert_diag(&f->d, 0,
	    "f.yaml:6:10: error: alias expansion exceeds the limit of 100000 "
	    "nodes");
	sb_free(&sb);
}

static void
test_alias_budget_limit(void **state)
{
	struct fixture *f = *state;
	struct load_limits lim;

	load_limits_default(&lim);
	lim.max_alias_nodes = 5;
	assert_int_equal(load_lim(f, "a: &a [1, 2]\nb: *a\nc: *a\n",
			     strlen("a: &a [1, 2]\nb: *a\nc: *a\n"), &lim),
	    -1);
	assert_diag(&f->d, 0,
	    "f.yaml:3:4: error: alias expansion exceeds the limit of 5 nodes");
}

static void
test_deep_nesting_fast(void **state)
{
	struct fixture *f = *state;
	size_t n = 100000;
	char *s = malloc(n + 1);
	double t0, dt;

	assert_non_null(s);
	memset(s, '[', n);
	s[n] = '\0';
	t0 = now();
	assert_int_equal(load_lim(f, s, n, NULL), -1);
	dt = now() - t0;
	print_message("  100k-deep '[' rejected in %.3f ms\n", dt * 1e3);
	assert_true(dt < 2.0);
	assert_int_equal(f->d.nerrors, 1);
	assert_diag(&f->d, 0,
	    "f.yaml:1:257: error: nesting deeper than the limit of 256");
	/* Block style: the 257th level is at line 257, column 257. */
	diag_clear(&f->d);
	{
		struct strbuf sb;
		size_t i;

		sb_init(&sb);
		for (i = 0; i < 300; i++) {
			sb_printf(&sb, "%*sk:\n", (int)i, "");
		}
		assert_int_equal(load_lim(f, sb.s, sb.len, NULL), -1);
		assert_diag(&f->d, 0,
		    "f.yaml:257:257: error: nesting deeper than the limit of "
		    "256");
		sb_free(&sb);
	}
	free(s);
}

static void
test_many_anchors_fast(void **state)
{
	struct fixture *f = *state;
	struct strbuf sb;
	struct doc_node *r;
	double t0, dt;
	int i;

	sb_init(&sb);
	for (i = 0; i < 20000; i++)
		sb_printf(&sb, "- &a%d %d\n", i, i);
	for (i = 0; i < 20000; i++)
		sb_printf(&sb, "- *a%d\n", i);
	assert_int_equal(sb.oom, 0);
	t0 = now();
	assert_int_equal(load_lim(f, sb.s, sb.len, NULL), 0);
	dt = now() - t0;
	print_message("  20k anchors + 20k aliases in %.3f ms\n", dt * 1e3);
	assert_true(dt < 1.0);
	r = f->docs[0];
	assert_int_equal(r->u.seq.n, 40000);
	assert_int_equal(doc_index(r, 39999)->u.i, 19999);
	/* Later small documents do not pay for the big anchor table. */
	sb_adds(&sb, "---\n");
	for (i = 0; i < 2000; i++)
		sb_printf(&sb, "--- [&x %d, *x]\n", i);
	t0 = now();
	assert_int_equal(load_lim(f, sb.s, sb.len, NULL), 0);
	dt = now() - t0;
	assert_int_equal(f->n, 2002);
	assert_int_equal(doc_index(f->docs[2001], 1)->u.i, 1999);
	assert_true(dt < 1.0);
	sb_free(&sb);
}

static void
test_complex_key(void **state)
{
	struct fixture *f = *state;

	load_err(f, "? [a, b]\n: 1\n",
	    "f.yaml:1:3: error: mapping key must be a scalar");
	diag_clear(&f->d);
	load_err(f, "x: {{a: 1}: 2}\n",
	    "f.yaml:1:5: error: mapping key must be a scalar");
}

static void
test_syntax_errors(void **state)
{
	struct fixture *f = *state;

	load_err(f, "a:\n\tb: 1\n",
	    "f.yaml:2:1: error: found character that cannot start any token "
	    "while scanning for the next token");
	diag_clear(&f->d);
	load_err(f, "a: [1, 2\nb: 3\n",
	    "f.yaml:2:2: error: did not find expected ',' or ']' while "
	    "parsing a flow sequence at 1:4");
	diag_clear(&f->d);
	load_err(f, "a: 1\n b: 2\n",
	    "f.yaml:2:3: error: mapping values are not allowed in this "
	    "context");
	diag_clear(&f->d);
	load_err(f, "a: \"unterminated\n",
	    "f.yaml:2:1: error: found unexpected end of stream while "
	    "scanning a quoted scalar at 1:4");
}

static void
test_invalid_utf8(void **state)
{
	struct fixture *f = *state;

	load_err(f, "a: b\nc: d\xc3\xa9\xff\n",
	    "f.yaml:2:6: error: invalid UTF-8 byte 0xff (invalid leading "
	    "UTF-8 octet); YAML files must be UTF-8 encoded");
	diag_clear(&f->d);
	load_err(f, "a: \x01\n",
	    "f.yaml:1:4: error: control characters are not allowed "
	    "(character 0x01)");
}

/* Write len bytes to a fresh temporary file; returns its malloc'd path. */
static char *
temp_file(const char *buf, size_t len)
{
	char *path = strdup("/tmp/test_yaml_XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	return path;
}

static void
test_utf16le_bom(void **state)
{
	struct fixture *f = *state;
	const char *text = "kind: Pod\nname: caf\xc3\xa9\n";
	unsigned char buf[128];
	size_t n = 0, i;
	struct doc_node *r;
	char *path;

	buf[n++] = 0xFF;
	buf[n++] = 0xFE;
	/* ASCII plus U+00E9, little-endian. */
	for (i = 0; text[i] != '\0'; i++) {
		if ((unsigned char)text[i] == 0xC3) {
			buf[n++] = 0xE9;
			buf[n++] = 0;
			i++;
			continue;
		}
		buf[n++] = (unsigned char)text[i];
		buf[n++] = 0;
	}
	path = temp_file((const char *)buf, n);
	r = doc_load_one(f->a, &f->d, path, DOC_FMT_YAML, NULL);
	unlink(path);
	free(path);
	if (r == NULL)
		print_diags(&f->d);
	assert_non_null(r);
	assert_string_equal(doc_str(doc_get(r, "name")), "caf\xc3\xa9");
	assert_int_equal(doc_get(r, "name")->mark.line, 2);
	/* The same bytes from a buffer. */
	assert_int_equal(load_lim(f, (const char *)buf, n, NULL), 0);
	assert_string_equal(doc_str(doc_get(f->docs[0], "kind")), "Pod");
}

/* A file bigger than the loader's prefix: chunks and positions. */
static void
test_large_file_positions(void **state)
{
	struct fixture *f = *state;
	struct strbuf sb;
	char *path, expect[256];
	struct doc_node *r;
	int i, lines = 30000;

	sb_init(&sb);
	for (i = 0; i < lines; i++)
		sb_printf(&sb, "- item \xc3\xa9 %d\n", i);
	assert_int_equal(sb.oom, 0);
	path = temp_file(sb.s, sb.len);
	r = doc_load_one(f->a, &f->d, path, DOC_FMT_YAML, NULL);
	unlink(path);
	free(path);
	assert_non_null(r);
	assert_int_equal(r->u.seq.n, (size_t)lines);
	assert_int_equal(doc_index(r, 29999)->mark.line, 30000);

	/* An invalid byte far past the first chunk. */
	sb_adds(&sb, "- ab\xfe\n");
	path = temp_file(sb.s, sb.len);
	assert_null(doc_load_one(f->a, &f->d, path, DOC_FMT_YAML, NULL));
	snprintf(expect, sizeof(expect),
	    "%s:%d:5: error: invalid UTF-8 byte 0xfe (invalid leading "
	    "UTF-8 octet); YAML files must be UTF-8 encoded",
	    path, lines + 1);
	assert_diag(&f->d, 0, expect);
	unlink(path);
	free(path);
	sb_free(&sb);
}

static void
test_scalar_limit(void **state)
{
	struct fixture *f = *state;
	struct load_limits lim;
	const char *s = "a: short\nb: 12345678901\n";

	load_limits_default(&lim);
	lim.max_scalar = 10;
	assert_int_equal(load_lim(f, s, strlen(s), &lim), -1);
	assert_diag(&f->d, 0,
	    "f.yaml:2:4: error: scalar longer than the limit of 10 bytes");
	diag_clear(&f->d);
	s = "a: short\nkey_is_too_long: 1\n";
	lim.max_file_bytes = 12;
	assert_int_equal(load_lim(f, s, strlen(s), &lim), -1);
	assert_diag(
	    &f->d, 0, "f.yaml: error: file larger than the limit of 12 bytes");
	diag_clear(&f->d);
	lim.max_file_bytes = 0;
	assert_int_equal(load_lim(f, s, strlen(s), &lim), -1);
	assert_diag(&f->d, 0,
	    "f.yaml:2:1: error: key longer than the limit of 10 bytes");
}

/* libyaml buffers a whole token: a huge one fails before it fills memory. */
static void
test_runaway_token(void **state)
{
	struct fixture *f = *state;
	struct load_limits lim;
	struct strbuf sb;
	size_t i;

	load_limits_default(&lim);
	lim.max_scalar = 1000;
	sb_init(&sb);
	sb_adds(&sb, "a: 1\nb: \"");
	for (i = 0; i < (2u << 20) / 64; i++)
		sb_adds(&sb,
		    "0123456789012345678901234567890123456789"
		    "01234567890123456789012\n");
	sb_adds(&sb, "\"\n");
	assert_int_equal(sb.oom, 0);
	assert_int_equal(load_lim(f, sb.s, sb.len, &lim), -1);
	assert_int_equal(f->d.nerrors, 1);
	assert_diag_has(&f->d, "f.yaml:2:2: error: no YAML event within ");
	assert_diag_has(&f->d, "beyond the limit of 1000 bytes)");
	sb_free(&sb);
}

struct seen {
	size_t n;
	char kinds[8][32];
	size_t ntotal; /* sequence lengths seen */
};

static int
each_doc(void *ctx, struct doc_node *elem, struct arena *a)
{
	struct seen *s = ctx;
	const char *k = doc_str(doc_get(elem, "kind"));

	(void)a;
	if (s->n < 8)
		snprintf(s->kinds[s->n], sizeof(s->kinds[0]), "%s",
		    k != NULL ? k : "-");
	s->n++;
	return 0;
}

static void
test_stream_documents(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };
	const char *y = "kind: A\n---\nkind: B\nx: &x [1]\ny: *x\n---\n"
			"kind: C\n";
	size_t count = 0;

	assert_int_equal(doc_stream_buf(&f->d, "s.yaml", y, strlen(y),
			     DOC_FMT_YAML, NULL, NULL, each_doc, &s, &count),
	    0);
	assert_int_equal(count, 3);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.kinds[0], "A");
	assert_string_equal(s.kinds[1], "B");
	assert_string_equal(s.kinds[2], "C");
}

static void
test_stream_collection(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };
	const char *y = "apiVersion: v1\nkind: List\nmeta: &m {x: 1}\n"
			"other: *m\nitems:\n"
			"- kind: Pod\n  a: &p {q: 1}\n  b: *p\n"
			"- kind: Service\n"
			"- kind: Deployment\n";
	size_t count = 0;

	assert_int_equal(
	    doc_stream_buf(&f->d, "l.yaml", y, strlen(y), DOC_FMT_YAML,
		"items[*]", NULL, each_doc, &s, &count),
	    0);
	assert_int_equal(count, 3);
	assert_string_equal(s.kinds[0], "Pod");
	assert_string_equal(s.kinds[1], "Service");
	assert_string_equal(s.kinds[2], "Deployment");
}

static void
test_stream_alias_across_elements(void **state)
{
	struct fixture *f = *state;
	struct seen s = { 0 };
	const char *y = "items:\n- kind: Pod\n  a: &p {q: 1}\n- kind: X\n"
			"  b: *p\n";

	assert_int_equal(
	    doc_stream_buf(&f->d, "l.yaml", y, strlen(y), DOC_FMT_YAML,
		"items[*]", NULL, each_doc, &s, NULL),
	    -1);
	assert_diag(&f->d, 0,
	    "l.yaml:5:6: error: alias '*p' refers to an anchor in another "
	    "streamed element; anchors cannot cross elements");
	diag_clear(&f->d);
	y = "defaults: &d {q: 1}\nitems:\n- kind: Pod\n  a: *d\n";
	assert_int_equal(
	    doc_stream_buf(&f->d, "l.yaml", y, strlen(y), DOC_FMT_YAML,
		"items[*]", NULL, each_doc, &s, NULL),
	    -1);
	assert_diag(&f->d, 0,
	    "l.yaml:4:6: error: alias '*d' refers to an anchor outside the "
	    "streamed elements; anchors cannot cross elements");
	diag_clear(&f->d);
	/* An alias that is itself an element. */
	y = "items:\n- &e {kind: Pod}\n- *e\n";
	assert_int_equal(
	    doc_stream_buf(&f->d, "l.yaml", y, strlen(y), DOC_FMT_YAML,
		"items[*]", NULL, each_doc, &s, NULL),
	    -1);
	assert_diag(&f->d, 0,
	    "l.yaml:3:3: error: alias '*e' refers to an anchor in another "
	    "streamed element; anchors cannot cross elements");
	diag_clear(&f->d);
	/* An alias key to a scalar of an element already freed. */
	y = "items:\n- {a: &s x}\n- {*s : 1}\n";
	assert_int_equal(
	    doc_stream_buf(&f->d, "l.yaml", y, strlen(y), DOC_FMT_YAML,
		"items[*]", NULL, each_doc, &s, NULL),
	    -1);
	assert_diag(&f->d, 0,
	    "l.yaml:3:4: error: alias '*s' refers to an anchor in another "
	    "streamed element; anchors cannot cross elements");
	diag_clear(&f->d);
	y = "items:\n- &e {kind: Pod}\n- *e\n";
	/* Doc mode loads the same input whole. */
	assert_int_equal(load(f, y), 0);
	assert_ptr_equal(doc_index(doc_get(f->docs[0], "items"), 0),
	    doc_index(doc_get(f->docs[0], "items"), 1));
}

static int
stop_cb(void *ctx, struct doc_node *elem, struct arena *a)
{
	(void)ctx;
	(void)elem;
	(void)a;
	return -1;
}

static void
test_stream_callback_stops(void **state)
{
	struct fixture *f = *state;
	const char *y = "a: 1\n---\nb: 2\n";
	size_t count = 0;

	assert_int_equal(doc_stream_buf(&f->d, "s.yaml", y, strlen(y),
			     DOC_FMT_YAML, NULL, NULL, stop_cb, NULL, &count),
	    -1);
	assert_int_equal(count, 1);
}

/* Fail each allocation in turn: -1 and a diagnostic, never a crash. */
static void
test_alloc_failure(void **state)
{
	struct fixture *f = *state;
	const char *y = "a: &a {k: [1, 2, x]}\nb: *a\nc: &c s\n"
			"d: [*c, *a, {e: f}]\n---\n- &z 1\n- *z\n";
	struct arena *a;
	long n, total;
	int rc;

	lib_alloc_fail_at(0);
	(void)lib_alloc_count();
	for (n = 1; n < 10000; n++) {
		struct diag d;
		struct doc_node **docs;
		size_t nd;

		diag_init(&d);
		a = arena_new();
		assert_non_null(a);
		lib_alloc_fail_at(n);
		rc = doc_load_buf(a, &d, "f.yaml", y, strlen(y), DOC_FMT_YAML,
		    NULL, &docs, &nd);
		total = lib_alloc_count();
		lib_alloc_fail_at(0);
		if (rc == 0) {
			assert_int_equal(nd, 2);
			arena_free(a);
			diag_free(&d);
			if (total < n)
				break; /* no allocation left to fail */
			continue;
		}
		assert_int_equal(rc, -1);
		if (d.nerrors == 0)
			fail_msg(
			    "allocation %ld failed without a diagnostic", n);
		arena_free(a);
		diag_free(&d);
	}
	print_message("  failed each of %ld allocations in turn\n", n - 1);
	assert_true(n > 5 && n < 10000);
	/* The same while streaming elements, each in its own arena. */
	y = "items:\n- &p {k: [1, 2]}\n- {a: &q x, b: *q, c: [*q]}\n"
	    "- {kind: &r Pod, z: *r}\n";
	for (n = 1; n < 10000; n++) {
		struct diag d;
		size_t cnt = 0;

		diag_init(&d);
		lib_alloc_fail_at(n);
		rc = doc_stream_buf(&d, "s.yaml", y, strlen(y), DOC_FMT_YAML,
		    "items[*]", NULL, NULL, NULL, &cnt);
		total = lib_alloc_count();
		lib_alloc_fail_at(0);
		if (rc == -1 && d.nerrors == 0)
			fail_msg(
			    "allocation %ld failed without a diagnostic", n);
		diag_free(&d);
		if (rc == 0) {
			assert_int_equal(cnt, 3);
			if (total < n)
				break;
		}
	}
	assert_true(n > 5 && n < 10000);
	(void)f;
}

/* ------------------------------------------------------ real files */

static int
load_timed(const char *path, size_t *ndocs, double *dt)
{
	struct arena *a = arena_new();
	struct diag d;
	struct doc_node **docs;
	double t0;
	int rc;

	diag_init(&d);
	t0 = now();
	rc = doc_load_file(a, &d, path, DOC_FMT_YAML, NULL, &docs, ndocs);
	*dt = now() - t0;
	if (rc != 0)
		print_diags(&d);
	arena_free(a);
	diag_free(&d);
	return rc;
}

static int
is_yaml_name(const char *n)
{
	size_t l = strlen(n);

	return (l > 5 && strcmp(n + l - 5, ".yaml") == 0) ||
	    (l > 4 && strcmp(n + l - 4, ".yml") == 0);
}

static void
walk_yaml(const char *dir, int *count)
{
	char path[4096];
	struct dirent *de;
	struct stat st;
	DIR *dp;
	size_t n;
	double dt;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk_yaml(path, count);
			continue;
		}
		if (!is_yaml_name(de->d_name))
			continue;
		if (load_timed(path, &n, &dt) != 0)
			fail_msg("cannot load %s", path);
		assert_true(n >= 1);
		(*count)++;
	}
	closedir(dp);
}

static void
test_real_kubernetes(void **state)
{
	const char *sh = test_shared_dir();
	char dir[4096];
	int count = 0;

	(void)state;
	if (sh == NULL) {
		print_message("  SHARED not set: skipped\n");
		skip();
	}
	snprintf(dir, sizeof(dir), "%s/data/exports/checkov-kubernetes", sh);
	walk_yaml(dir, &count);
	print_message("  loaded %d kubernetes YAML files\n", count);
	assert_true(count >= 10);
}

static int
count_kind(void *ctx, struct doc_node *elem, struct arena *a)
{
	struct seen *s = ctx;

	(void)a;
	/* The file ends with a `- null` item ("shouldn't crash"). */
	if (elem->type == DOC_NULL)
		return 0;
	if (doc_str(doc_get(elem, "kind")) == NULL)
		return -1;
	s->n++;
	return 0;
}

static void
test_real_kubernetes_list(void **state)
{
	struct fixture *f = *state;
	const char *sh = test_shared_dir();
	char path[4096];
	struct seen s = { 0 };
	size_t count = 0;

	if (sh == NULL) {
		print_message("  SHARED not set: skipped\n");
		skip();
	}
	snprintf(path, sizeof(path),
	    "%s/data/exports/checkov-kubernetes/example_DockerSocketVolume/"
	    "scope-2PASSED-1FAILED.yaml",
	    sh);
	if (doc_stream_file(&f->d, path, DOC_FMT_YAML, "items[*]", NULL,
		count_kind, &s, &count) != 0)
		print_diags(&f->d);
	assert_int_equal(f->d.nerrors, 0);
	print_message("  kind: List streamed as %zu items\n", count);
	assert_int_equal(count, 9);
	assert_int_equal(s.n, 8);
}

static void
test_real_fedramp(void **state)
{
	const char *sh = test_shared_dir();
	static const char *const files[] = {
		"FedRAMP_rev5_LI-SaaS-baseline-resolved-profile_catalog.yaml",
		"FedRAMP_rev5_LOW-baseline-resolved-profile_catalog.yaml",
		"FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.yaml",
		"b5f530eb/FedRAMP_rev5_HIGH-baseline-resolved-profile_catalog."
		"yaml",
	};
	char path[4096];
	size_t i, n;
	double dt;

	(void)state;
	if (sh == NULL) {
		print_message("  SHARED not set: skipped\n");
		skip();
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(
		    path, sizeof(path), "%s/data/fedramp/%s", sh, files[i]);
		if (access(path, R_OK) != 0) {
			print_message("  missing %s\n", path);
			continue;
		}
		if (load_timed(path, &n, &dt) != 0)
			fail_msg("cannot load %s", path);
		print_message(
		    "  %s: %zu doc, %.1f ms\n", files[i], n, dt * 1e3);
		assert_int_equal(n, 1);
		assert_true(dt < 2.0);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_multi_document, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_empty_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_core_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tags, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_unknown_tag_warns_once, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_key_order, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_duplicate_key, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_merge_key_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_alias_shares_node, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_alias_as_key, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_self_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_unknown_alias, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_billion_laughs, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_alias_budget_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_deep_nesting_fast, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_many_anchors_fast, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_complex_key, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_syntax_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_invalid_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_utf16le_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_large_file_positions, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scalar_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_runaway_token, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stream_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stream_collection, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stream_alias_across_elements, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stream_callback_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_alloc_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_real_kubernetes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_real_kubernetes_list, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_real_fedramp, setup, teardown),
	};

	RUN_TESTS("yaml", tests, argc, argv);
}
