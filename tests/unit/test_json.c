/*
 * test_json.c: the JSON and NDJSON loader (lib/json.c on yajl): values,
 * exact text of numbers, strings and their escapes, positions, every
 * error path with its exact `file:line:col: error: message`, limits,
 * chunk boundaries of the streaming reader, and allocation failures.
 */
#include "tests/unit/testutil.h"

#include <fcntl.h>

struct fx {
	struct arena *a;
	struct diag d;
	struct doc_node **docs;
	size_t ndocs;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_non_null(f->a = arena_new());
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

/* Load text (len bytes) as fmt under the name "t.json". */
static int
load_len(struct fx *f, const char *text, size_t len, enum doc_format fmt,
    const struct load_limits *lim)
{
	return doc_load_buf(
	    f->a, &f->d, "t.json", text, len, fmt, lim, &f->docs, &f->ndocs);
}

static int
load(struct fx *f, const char *text)
{
	return load_len(f, text, strlen(text), DOC_FMT_JSON, NULL);
}

/* Load text, expect failure with exactly one error, equal to expect. */
static void
fails(struct fx *f, const char *text, const char *expect)
{
	diag_clear(&f->d);
	if (load(f, text) != -1)
		fail_msg("loaded without error: %s", text);
	assert_int_equal(f->d.nerrors, 1);
	assert_diag(&f->d, 0, expect);
}

static void
assert_mark(const struct doc_node *n, uint32_t line, uint32_t col)
{
	assert_non_null(n);
	if (n->mark.line != line || n->mark.col != col)
		fail_msg("mark %u:%u, expected %u:%u", n->mark.line,
		    n->mark.col, line, col);
}

/* ---------------------------------------------------------- values */

static void
test_values_and_positions(void **state)
{
	struct fx *f = *state;
	struct doc_node *r, *v;

	assert_int_equal(load(f,
			     "{\"a\": 1,\n"
			     "  \"bb\" : [true, false,null,\n"
			     "\t-1.5e3, \"x\"],\r\n"
			     "  \"c\": {}}"),
	    0);
	assert_int_equal(f->ndocs, 1);
	r = f->docs[0];
	assert_int_equal(r->type, DOC_MAP);
	assert_mark(r, 1, 1);
	assert_int_equal(r->u.map.n, 3);
	/* Key order is source order. */
	assert_string_equal(r->u.map.pairs[0].key->str, "a");
	assert_string_equal(r->u.map.pairs[1].key->str, "bb");
	assert_string_equal(r->u.map.pairs[2].key->str, "c");
	assert_mark(r->u.map.pairs[1].key, 2, 3);
	v = doc_get(r, "a");
	assert_int_equal(v->type, DOC_INT);
	assert_int_equal(v->u.i, 1);
	assert_mark(v, 1, 7);
	v = doc_get(r, "bb");
	assert_int_equal(v->type, DOC_SEQ);
	assert_mark(v, 2, 10);
	assert_int_equal(v->u.seq.n, 5);
	assert_int_equal(doc_index(v, 0)->type, DOC_BOOL);
	assert_int_equal(doc_index(v, 0)->u.b, 1);
	assert_mark(doc_index(v, 0), 2, 11);
	assert_int_equal(doc_index(v, 1)->u.b, 0);
	assert_mark(doc_index(v, 1), 2, 17);
	assert_int_equal(doc_index(v, 2)->type, DOC_NULL);
	assert_mark(doc_index(v, 2), 2, 23);
	assert_int_equal(doc_index(v, 3)->type, DOC_FLOAT);
	assert_true(doc_index(v, 3)->u.f == -1500.0);
	assert_mark(doc_index(v, 3), 3, 2);
	assert_string_equal(doc_str(doc_index(v, 4)), "x");
	assert_mark(doc_index(v, 4), 3, 10);
	v = doc_get(r, "c");
	assert_int_equal(v->type, DOC_MAP);
	assert_int_equal(v->u.map.n, 0);
	assert_mark(v, 4, 8);
}

static void
test_scalar_documents(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load(f, "  42  "), 0);
	assert_int_equal(f->docs[0]->type, DOC_INT);
	assert_int_equal(f->docs[0]->u.i, 42);
	assert_mark(f->docs[0], 1, 3);
	assert_int_equal(load(f, "\"s\""), 0);
	assert_string_equal(doc_str(f->docs[0]), "s");
	assert_int_equal(load(f, "\n\nnull"), 0);
	assert_int_equal(f->docs[0]->type, DOC_NULL);
	assert_mark(f->docs[0], 3, 1);
	assert_int_equal(load(f, "true"), 0);
	assert_int_equal(f->docs[0]->u.b, 1);
	assert_int_equal(load(f, "[]"), 0);
	assert_int_equal(f->docs[0]->u.seq.n, 0);
}

static void
test_numbers_keep_text(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *text;
		enum doc_type type;
	} cases[] = {
		{ "1.10", DOC_FLOAT },
		{ "1e3", DOC_FLOAT },
		{ "1E+3", DOC_FLOAT },
		{ "-0", DOC_INT },
		{ "0", DOC_INT },
		{ "-12", DOC_INT },
		{ "9223372036854775807", DOC_INT },
		{ "-9223372036854775808", DOC_INT },
		{ "12345678901234567890", DOC_FLOAT },
		{ "0.000001", DOC_FLOAT },
		{ "-2.5e-10", DOC_FLOAT },
	};
	char buf[64];
	struct doc_node *n;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "[%s]", cases[i].text);
		assert_int_equal(load(f, buf), 0);
		n = doc_index(f->docs[0], 0);
		assert_non_null(n);
		assert_string_equal(n->str, cases[i].text);
		assert_int_equal(n->len, strlen(cases[i].text));
		if (n->type != cases[i].type)
			fail_msg("'%s' has type %s", cases[i].text,
			    doc_type_name(n->type));
	}
	assert_int_equal(load(f, "[-0, 1e3, 12345678901234567890]"), 0);
	assert_int_equal(doc_index(f->docs[0], 0)->u.i, 0);
	assert_true(doc_index(f->docs[0], 1)->u.f == 1000.0);
	assert_true(doc_index(f->docs[0], 2)->u.f > 1.2e19);
	assert_int_equal(load(f, "[9223372036854775807]"), 0);
	assert_true(doc_index(f->docs[0], 0)->u.i == INT64_MAX);
}

static void
test_string_escapes(void **state)
{
	struct fx *f = *state;
	const struct doc_node *n;

	assert_int_equal(
	    load(f, "[\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20ac\"]"),
	    0);
	n = doc_index(f->docs[0], 0);
	assert_string_equal(
	    n->str, "q\" b\\ s/ \b\f\n\r\t \xc3\xa9\xe2\x82\xac");
	/* \u0000 is a valid escape: the string holds a NUL and says so. */
	assert_int_equal(load(f, "[\"a\\u0000b\"]"), 0);
	n = doc_index(f->docs[0], 0);
	assert_int_equal(n->len, 3);
	assert_memory_equal(n->str, "a\0b", 3);
	/* Raw UTF-8 passes through; columns count characters. */
	assert_int_equal(load(f, "[\"h\xc3\xa9llo \xe6\x97\xa5\", 1]"), 0);
	assert_string_equal(
	    doc_str(doc_index(f->docs[0], 0)), "h\xc3\xa9llo \xe6\x97\xa5");
	assert_mark(doc_index(f->docs[0], 1), 1, 13);
}

static void
test_surrogate_pairs(void **state)
{
	struct fx *f = *state;

	assert_int_equal(
	    load(f, "{\"\\ud83d\\ude00\": \"x\\ud83d\\ude00y\"}"), 0);
	assert_string_equal(
	    f->docs[0]->u.map.pairs[0].key->str, "\xf0\x9f\x98\x80");
	assert_string_equal(
	    doc_str(f->docs[0]->u.map.pairs[0].val), "x\xf0\x9f\x98\x80y");
	assert_int_equal(load(f, "[\"\\uDBFF\\uDFFF\"]"), 0);
	assert_string_equal(
	    doc_str(doc_index(f->docs[0], 0)), "\xf4\x8f\xbf\xbf");
}

static void
test_lone_surrogates_rejected(void **state)
{
	struct fx *f = *state;

	fails(f, "[\"\\ud800\"]",
	    "t.json:1:3: error: invalid JSON: unpaired surrogate '\\ud800' "
	    "in a string");
	fails(f, "[\"ab\\udc00\"]",
	    "t.json:1:5: error: invalid JSON: unpaired surrogate '\\udc00' "
	    "in a string");
	fails(f, "[\"\\ud800\\u0041\"]",
	    "t.json:1:3: error: invalid JSON: unpaired surrogate '\\ud800' "
	    "in a string");
	fails(f, "[\"\\ud83d x\"]",
	    "t.json:1:3: error: invalid JSON: unpaired surrogate '\\ud83d' "
	    "in a string");
	fails(f, "{\"k\\uDC01\": 1}",
	    "t.json:1:4: error: invalid JSON: unpaired surrogate '\\uDC01' "
	    "in a string");
	/* A literal '?' and a real astral character are fine. */
	assert_int_equal(load(f, "[\"?\\u0041 \xf0\x9f\x98\x80\"]"), 0);
}

static void
test_long_keys(void **state)
{
	struct fx *f = *state;
	char *buf = malloc(4000);
	size_t i, o = 0;

	assert_non_null(buf);
	buf[o++] = '{';
	buf[o++] = '"';
	for (i = 0; i < 1500; i++)
		buf[o++] = (char)('a' + i % 26);
	memcpy(buf + o, "\": true, \"b\": 2}", 17);
	assert_int_equal(load(f, buf), 0);
	assert_int_equal(f->docs[0]->u.map.pairs[0].key->len, 1500);
	assert_mark(doc_get(f->docs[0], "b"), 1, 1517);
	free(buf);
}

/* "[[[...]]]" nested n deep. */
static char *
nested(size_t n)
{
	char *s = malloc(2 * n + 1);
	size_t i;

	assert_non_null(s);
	for (i = 0; i < n; i++) {
		s[i] = '[';
		s[2 * n - 1 - i] = ']';
	}
	s[2 * n] = '\0';
	return s;
}

static void
test_depth_limit(void **state)
{
	struct fx *f = *state;
	struct load_limits lim;
	char *s;

	s = nested(LOAD_DEFAULT_MAX_DEPTH);
	assert_int_equal(load(f, s), 0);
	free(s);
	s = nested(LOAD_DEFAULT_MAX_DEPTH + 1);
	fails(
	    f, s, "t.json:1:257: error: nesting deeper than the limit of 256");
	free(s);
	/* yajl has no hidden limit below ours: a high limit works. */
	load_limits_default(&lim);
	lim.max_depth = 5000;
	s = nested(5000);
	assert_int_equal(load_len(f, s, strlen(s), DOC_FMT_JSON, &lim), 0);
	free(s);
	/* And a hostile depth stops at the limit, quickly. */
	s = nested(1000000);
	diag_clear(&f->d);
	assert_int_equal(load(f, s), -1);
	assert_diag(&f->d, 0,
	    "t.json:1:257: error: nesting deeper than the limit of 256");
	free(s);
}

static void
test_duplicate_keys(void **state)
{
	struct fx *f = *state;

	fails(f, "{\"a\": 1,\n \"b\": 2,\n \"a\": 3}",
	    "t.json:3:2: error: duplicate key 'a' (first defined at 1:2)");
	fails(f, "[{}, {\"x\": {\"k\": 1, \"k\": 1}}]",
	    "t.json:1:21: error: duplicate key 'k' (first defined at 1:13)");
	/* Keys equal after decoding escapes are duplicates. */
	fails(f, "{\"\\u0061\": 1, \"a\": 2}",
	    "t.json:1:15: error: duplicate key 'a' (first defined at 1:2)");
}

static void
test_duplicate_keys_large_map(void **state)
{
	struct fx *f = *state;
	struct strbuf sb;
	int i;

	sb_init(&sb);
	sb_adds(&sb, "{");
	for (i = 0; i < 100; i++)
		sb_printf(&sb, "\"k%d\": %d, ", i, i);
	sb_adds(&sb, "\"k42\": 0}");
	assert_false(sb.oom);
	fails(f, sb.s,
	    "t.json:1:1082: error: duplicate key 'k42' (first "
	    "defined at 1:444)");
	sb_free(&sb);
}

static void
test_utf16le_bom(void **state)
{
	struct fx *f = *state;
	static const char text[] = "{\"k\": [1, \"\xc3\xa9\"],\n\"z\": x}";
	char buf[128];
	size_t i, n = 0;

	/* UTF-16LE with a BOM, as one of checkov's tfplan files is. */
	buf[n++] = (char)0xFF;
	buf[n++] = (char)0xFE;
	for (i = 0; text[i] != '\0'; i++) {
		if ((unsigned char)text[i] == 0xc3) {
			buf[n++] = (char)0xE9; /* U+00E9 */
			buf[n++] = 0;
			i++;
			continue;
		}
		buf[n++] = text[i];
		buf[n++] = 0;
	}
	assert_int_equal(load_len(f, buf, n, DOC_FMT_AUTO, NULL), -1);
	/* Positions count characters of the decoded text. */
	assert_diag(&f->d, 0,
	    "t.json:2:6: error: invalid JSON: invalid literal 'x' (expected "
	    "a value)");
	/* The same document, valid. */
	buf[n - 4] = '1';
	diag_clear(&f->d);
	assert_int_equal(load_len(f, buf, n, DOC_FMT_AUTO, NULL), 0);
	assert_string_equal(
	    doc_str(doc_index(doc_get(f->docs[0], "k"), 1)), "\xc3\xa9");
	assert_mark(doc_get(f->docs[0], "z"), 2, 6);
	/* A UTF-8 BOM is skipped. */
	assert_int_equal(
	    load_len(f, "\xef\xbb\xbf[1]", 6, DOC_FMT_JSON, NULL), 0);
}

static void
test_invalid_utf8(void **state)
{
	struct fx *f = *state;

	fails(f, "[\"ab\xff\"]", "t.json:1:5: error: invalid UTF-8 byte 0xff");
	fails(f, "{\n  \"k\": \"\xc3\xa9\xc0\x80\"}",
	    "t.json:2:10: error: invalid UTF-8 byte 0xc0");
	/* yajl lets these through; we do not. */
	fails(f, "[\"\xed\xa0\x80\"]",
	    "t.json:1:3: error: invalid UTF-8 byte 0xed");
	fails(f, "[\"\xf5\x80\x80\x80\"]",
	    "t.json:1:3: error: invalid UTF-8 byte 0xf5");
	fails(
	    f, "[\"x\xe2\x82\"]", "t.json:1:4: error: invalid UTF-8 byte 0xe2");
	fails(f, "{\"\xe9t\xe9\": 1}",
	    "t.json:1:3: error: invalid UTF-8 byte 0xe9");
	/* Outside strings. */
	fails(f, "[\xc3\xa9]",
	    "t.json:1:2: error: invalid JSON: unexpected byte 0xc3");
}

static void
test_nul_and_control_bytes(void **state)
{
	struct fx *f = *state;

	diag_clear(&f->d);
	assert_int_equal(load_len(f, "[1,\0]", 5, DOC_FMT_JSON, NULL), -1);
	assert_diag(&f->d, 0, "t.json:1:4: error: invalid JSON: NUL byte");
	diag_clear(&f->d);
	assert_int_equal(load_len(f, "[\"a\0\"]", 6, DOC_FMT_JSON, NULL), -1);
	assert_diag(
	    &f->d, 0, "t.json:1:4: error: invalid JSON: NUL byte in a string");
	diag_clear(&f->d);
	assert_int_equal(load_len(f, "[1]\0", 4, DOC_FMT_JSON, NULL), -1);
	assert_diag(&f->d, 0, "t.json:1:4: error: invalid JSON: NUL byte");
	fails(f, "[\"a\tb\"]",
	    "t.json:1:4: error: invalid JSON: control character 0x09 in a "
	    "string (escape it)");
	fails(f, "[\"a\nb\"]",
	    "t.json:1:4: error: invalid JSON: control character 0x0a in a "
	    "string (escape it)");
}

static void
test_syntax_errors(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *in, *diag;
	} cases[] = {
		{ "{\"a\":1,}",
		    "1:8: error: invalid JSON: trailing comma "
		    "before '}'" },
		{ "[1,\n]",
		    "2:1: error: invalid JSON: trailing comma before "
		    "']'" },
		{ "[1 2]",
		    "1:4: error: invalid JSON: expected ',' or ']' "
		    "after a value, found '2'" },
		{ "[1}",
		    "1:3: error: invalid JSON: expected ',' or ']' after "
		    "a value, found '}'" },
		{ "{\"a\" 1}",
		    "1:6: error: invalid JSON: expected ':' after "
		    "a key, found '1'" },
		{ "{\"a\",",
		    "1:5: error: invalid JSON: expected ':' after a "
		    "key, found ','" },
		{ "{\"a\":1 \"b\":2}",
		    "1:8: error: invalid JSON: expected "
		    "',' or '}' after a value, found "
		    "'\"b\"'" },
		{ "{1:2}",
		    "1:2: error: invalid JSON: expected a string key, "
		    "found '1'" },
		{ "{\"a\":1,,}",
		    "1:8: error: invalid JSON: expected a string "
		    "key, found ','" },
		{ "[,1]", "1:2: error: invalid JSON: unexpected ','" },
		{ "{\"a\":}", "1:6: error: invalid JSON: unexpected '}'" },
		{ ":", "1:1: error: invalid JSON: unexpected ':'" },
		{ "[1] [2]",
		    "1:5: error: invalid JSON: unexpected '[' after "
		    "the end of the document" },
		{ "{} x",
		    "1:4: error: invalid JSON: unexpected 'x' after the "
		    "end of the document" },
		{ "[tru]",
		    "1:2: error: invalid JSON: invalid literal 'tru' "
		    "(expected a value)" },
		{ "[True]",
		    "1:2: error: invalid JSON: invalid literal 'True' "
		    "(expected a value)" },
		{ "[NaN]",
		    "1:2: error: invalid JSON: invalid literal 'NaN' "
		    "(expected a value)" },
		{ "['a']",
		    "1:2: error: invalid JSON: strings must be in "
		    "double quotes" },
		{ "[1.]", "1:2: error: invalid JSON: malformed number '1.'" },
		{ "[-]", "1:2: error: invalid JSON: malformed number '-'" },
		{ "[1e]", "1:2: error: invalid JSON: malformed number '1e'" },
		{ "[.5]",
		    "1:2: error: invalid JSON: unexpected character "
		    "'.'" },
		{ "[01]",
		    "1:3: error: invalid JSON: numbers cannot have "
		    "leading zeros" },
		{ "[+1]",
		    "1:2: error: invalid JSON: unexpected character "
		    "'+'" },
		{ "[\"a\\qb\"]",
		    "1:4: error: invalid JSON: invalid escape "
		    "'\\q' in a string" },
		{ "[\"a\\u12\"]",
		    "1:4: error: invalid JSON: '\\u' must be "
		    "followed by four hex digits" },
		{ "[1] // c",
		    "1:5: error: invalid JSON: comments are not "
		    "allowed" },
		{ "[\n  1,\n  /* c */ 2]",
		    "3:3: error: invalid JSON: "
		    "comments are not allowed" },
		{ "[\"abc", "1:2: error: invalid JSON: unterminated string" },
		{ "{\"a\": [1,\n",
		    "2:1: error: invalid JSON: unexpected end "
		    "of input ('[' opened at 1:7 is not closed)" },
		{ "{",
		    "1:2: error: invalid JSON: unexpected end of input ('{' "
		    "opened at 1:1 is not closed)" },
		{ "[1",
		    "1:3: error: invalid JSON: unexpected end of input "
		    "('[' opened at 1:1 is not closed)" },
		{ "{\"a\":2017-06-30}",
		    "1:10: error: invalid JSON: expected "
		    "',' or '}' after a value, found "
		    "'-06-30'" },
	};
	char expect[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(expect, sizeof(expect), "t.json:%s", cases[i].diag);
		fails(f, cases[i].in, expect);
	}
}

static void
test_empty_input(void **state)
{
	struct fx *f = *state;

	fails(f, "", "t.json:1:1: error: empty document");
	fails(f, " \n\t\r\n", "t.json:1:1: error: empty document");
	/* An empty NDJSON file is zero records, not an error. */
	assert_int_equal(load_len(f, "", 0, DOC_FMT_NDJSON, NULL), 0);
	assert_int_equal(f->ndocs, 0);
}

static void
test_ndjson(void **state)
{
	struct fx *f = *state;

	static const char text[] = "{\"a\": 1}\n"
				   "\n"
				   "   \r\n"
				   "  [2, 3]\r\n"
				   "\"s\"";

	assert_int_equal(
	    load_len(f, text, sizeof(text) - 1, DOC_FMT_NDJSON, NULL), 0);
	assert_int_equal(f->ndocs, 3);
	assert_mark(f->docs[0], 1, 1);
	assert_mark(doc_get(f->docs[0], "a"), 1, 7);
	assert_mark(f->docs[1], 4, 3);
	assert_mark(doc_index(f->docs[1], 1), 4, 7);
	assert_string_equal(doc_str(f->docs[2]), "s");
	assert_mark(f->docs[2], 5, 1);
}

static void
test_ndjson_bad_line(void **state)
{
	struct fx *f = *state;
	static const char text[] = "{\"id\": 1}\n"
				   "{\"id\": 2}\n"
				   "{\"id\": 3,}\n"
				   "{\"id\": 4}\n";

	assert_int_equal(
	    load_len(f, text, sizeof(text) - 1, DOC_FMT_NDJSON, NULL), -1);
	assert_int_equal(f->d.nerrors, 1);
	assert_diag(&f->d, 0,
	    "t.json:3:10: error: invalid JSON: trailing comma before '}'");
	/* A value split over two lines is an error on its first line. */
	diag_clear(&f->d);
	assert_int_equal(
	    load_len(f, "[1]\n{\"a\":\n1}\n", 13, DOC_FMT_NDJSON, NULL), -1);
	assert_diag(&f->d, 0,
	    "t.json:2:6: error: invalid JSON: unexpected end of input ('{' "
	    "opened at 2:1 is not closed)");
	/* Two values on one line. */
	diag_clear(&f->d);
	assert_int_equal(load_len(f, "1\n2 3\n", 6, DOC_FMT_NDJSON, NULL), -1);
	assert_diag(&f->d, 0,
	    "t.json:2:3: error: invalid JSON: unexpected '3' after the end "
	    "of the document");
	/* Duplicate keys and limits apply per line, with the line number. */
	diag_clear(&f->d);
	assert_int_equal(
	    load_len(f, "{}\n{\"a\":1,\"a\":2}", 16, DOC_FMT_NDJSON, NULL), -1);
	assert_diag(&f->d, 0,
	    "t.json:2:8: error: duplicate key 'a' (first defined at 2:2)");
}

static void
test_scalar_limit(void **state)
{
	struct fx *f = *state;
	struct load_limits lim;

	load_limits_default(&lim);
	lim.max_scalar = 8;
	assert_int_equal(load_len(f, "[\"12345678\", \"\\u0041bcdefgh\"]", 29,
			     DOC_FMT_JSON, &lim),
	    0);
	assert_int_equal(
	    load_len(f, "\n  [\"123456789\"]", 16, DOC_FMT_JSON, &lim), -1);
	assert_diag(&f->d, 0,
	    "t.json:2:4: error: scalar longer than the limit of 8 bytes");
	diag_clear(&f->d);
	assert_int_equal(
	    load_len(f, "{\"123456789\": 1}", 16, DOC_FMT_JSON, &lim), -1);
	assert_diag(&f->d, 0,
	    "t.json:1:2: error: key longer than the limit of 8 bytes");
}

/* ------------------------------------------------ files and chunks */

struct tmpfile {
	char path[64];
};

static void
write_tmp(struct tmpfile *t, const char *buf, size_t len)
{
	int fd;

	snprintf(t->path, sizeof(t->path), "/tmp/rampart-json-XXXXXX");
	assert_true((fd = mkstemp(t->path)) != -1);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/* Everything a load produced, as text: dump or diagnostics. */
static char *
load_result(int rc, struct fx *f)
{
	char *out = NULL, line[2048];
	size_t len = 0, i;
	FILE *fp = open_memstream(&out, &len);

	assert_non_null(fp);
	fprintf(fp, "rc=%d docs=%zu\n", rc, f->ndocs);
	for (i = 0; i < f->ndocs; i++)
		doc_dump(f->docs[i], fp, 0);
	for (i = 0; i < f->d.n; i++) {
		diag_format(&f->d, i, line, sizeof(line));
		fprintf(fp, "%s\n", line);
	}
	fclose(fp);
	return out;
}

/*
 * Load buf as a file (read in chunks) and as one buffer: both must give
 * the same tree, marks and diagnostics.
 */
static void
same_as_file(struct fx *f, const char *buf, size_t len, enum doc_format fmt)
{
	struct tmpfile t;
	char *a, *b;
	int rc;

	write_tmp(&t, buf, len);
	diag_clear(&f->d);
	rc = doc_load_buf(
	    f->a, &f->d, t.path, buf, len, fmt, NULL, &f->docs, &f->ndocs);
	a = load_result(rc, f);
	diag_clear(&f->d);
	rc = doc_load_file(f->a, &f->d, t.path, fmt, NULL, &f->docs, &f->ndocs);
	b = load_result(rc, f);
	unlink(t.path);
	if (strcmp(a, b) != 0)
		fail_msg(
		    "buffer and file differ:\n%.2000s\n---\n%.2000s", a, b);
	free(a);
	free(b);
}

/* Lines of spaces, n bytes in all, so line counting crosses chunks too. */
static void
pad(char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = i % 61 == 60 ? '\n' : ' ';
}

/*
 * Every token of each document straddles the first chunk boundary of
 * the file reader (64 KiB, lib/load.c's prefix) in turn.
 */
static void
test_chunk_boundaries(void **state)
{
	struct fx *f = *state;
	static const char *const docs[] = {
		("{\"key\": \"v\\u00e9\\ud83d\\ude00\\\"q\", \"n\": -12.5e3, "
		 "\"t\": [true, false, null, 0, 12345]}"),
		"{\"caf\xc3\xa9\": \"\xe6\x97\xa5\xe6\x9c\xac\", \"x\": 1}",
		"[1, 2,]",
		"[\"abc\\qd\"]",
		"[\"ab\xff\"]",
		"[\"\\ud800\"]",
		"[tru]",
		"[1.]",
		"{\"a\": 1, \"a\": 2}",
		"[\"unterminated",
		"{\"a\": [1, 2",
		"[12345",
		"[1] x",
	};
	const size_t boundary = 65536;
	size_t i, s, len, n;
	char *buf;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		len = strlen(docs[i]);
		buf = malloc(boundary + len + 1);
		assert_non_null(buf);
		for (s = 0; s <= len; s++) {
			n = boundary - s;
			pad(buf, n);
			memcpy(buf + n, docs[i], len);
			same_as_file(f, buf, n + len, DOC_FMT_JSON);
		}
		free(buf);
	}
}

/* A string longer than a read chunk, holding escapes and characters. */
static void
test_string_spanning_chunks(void **state)
{
	struct fx *f = *state;
	const size_t big = 700 * 1024;
	struct strbuf sb;
	struct doc_node *v;
	size_t i;

	sb_init(&sb);
	sb_adds(&sb, "{\"a\": \"");
	for (i = 0; sb.len < big; i++) {
		if (i % 1000 == 0)
			sb_adds(&sb, "\\ud83d\\ude00\\n");
		else if (i % 333 == 0)
			sb_adds(&sb, "\xc3\xa9");
		else
			sb_addc(&sb, (char)('a' + i % 26));
	}
	sb_adds(&sb, "\",\n \"b\": [1, 2]}");
	assert_false(sb.oom);
	same_as_file(f, sb.s, sb.len, DOC_FMT_JSON);
	assert_int_equal(f->d.n, 0);
	v = doc_get(f->docs[0], "b");
	assert_mark(v, 2, 7);
	v = doc_get(f->docs[0], "a");
	assert_true(v->len > big - 10000);
	/* Now break it far from the start: the error is still exact. */
	sb.s[big - 100] = '\x01';
	same_as_file(f, sb.s, sb.len, DOC_FMT_JSON);
	assert_diag_has(&f->d, "control character 0x01");
	sb.s[big - 100] = 'x';
	memcpy(sb.s + big - 200, "\\ud800xxxxxx", 12);
	same_as_file(f, sb.s, sb.len, DOC_FMT_JSON);
	assert_diag_has(&f->d, "unpaired surrogate");
	sb_free(&sb);
}

static void
test_huge_string_fails_cleanly(void **state)
{
	struct fx *f = *state;
	struct load_limits lim;
	struct tmpfile t;
	size_t n = 3u << 20, i;
	char *buf = malloc(n);

	/* A 3 MB string against a 64 KiB limit: stopped early, with place. */
	assert_non_null(buf);
	memcpy(buf, "{\"k\":\n \"", 8);
	for (i = 8; i < n - 2; i++)
		buf[i] = 'x';
	buf[n - 2] = '"';
	buf[n - 1] = '}';
	write_tmp(&t, buf, n);
	load_limits_default(&lim);
	lim.max_scalar = 65536;
	assert_int_equal(doc_load_file(f->a, &f->d, t.path, DOC_FMT_JSON, &lim,
			     &f->docs, &f->ndocs),
	    -1);
	assert_int_equal(f->d.nerrors, 1);
	assert_diag_has(&f->d,
	    ":2:2: error: scalar longer than the limit of "
	    "65536 bytes");
	unlink(t.path);
	free(buf);
}

static void
test_ndjson_file(void **state)
{
	struct fx *f = *state;
	struct strbuf sb;
	int i;

	/* Lines across several chunks; the 5000th is bad. */
	sb_init(&sb);
	for (i = 1; i <= 6000; i++)
		sb_printf(&sb,
		    "{\"name\": \"asset-%d\", \"asset_type\": \"t\", "
		    "\"ancestors\": [\"a\", \"b\"], \"pad\": \"%0*d\"}\n",
		    i, 60 + i % 50, i);
	assert_false(sb.oom);
	same_as_file(f, sb.s, sb.len, DOC_FMT_NDJSON);
	assert_int_equal(f->ndocs, 6000);
	assert_mark(f->docs[5999], 6000, 1);
	sb_free(&sb);
	sb_init(&sb);
	for (i = 1; i <= 6000; i++)
		sb_printf(&sb,
		    "{\"name\": \"asset-%d\", \"pad\": \"%0*d\"}%s\n", i,
		    60 + i % 50, i, i == 5000 ? "}" : "");
	same_as_file(f, sb.s, sb.len, DOC_FMT_NDJSON);
	assert_diag_has(&f->d, ":5000:");
	sb_free(&sb);
}

static void
test_real_trailing_comma(void **state)
{
	struct fx *f = *state;
	const char *shared = test_shared_dir();
	char path[1024];

	if (shared == NULL)
		skip();
	snprintf(path, sizeof(path),
	    "%s/data/exports/awscli-examples/extracted-json/ec2/"
	    "describe-security-groups.output1.json",
	    shared);
	assert_int_equal(doc_load_file(f->a, &f->d, path, DOC_FMT_AUTO, NULL,
			     &f->docs, &f->ndocs),
	    -1);
	assert_int_equal(f->d.nerrors, 1);
	assert_diag_has(&f->d,
	    "describe-security-groups.output1.json:53:9: error: invalid "
	    "JSON: trailing comma before '}'");
}

/* ------------------------------------------------ allocation failures */

static void
test_allocation_failures(void **state)
{
	struct fx *f = *state;
	/* The valid inputs first. */
	static const char *const inputs[] = {
		"{\"a\": [1, 2.5, \"x\\u00e9\"], \"b\": {\"c\": null}, "
		"\"d\": true}",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]"
		"]]]]]]]]]]]]]",
		"{\"a\": 1,}",
		"[\"\\ud800\"]",
		"{\"a\": 1, \"a\": 1}",
	};
	const size_t nvalid = 2;
	struct arena *a;
	struct diag d;
	struct doc_node **docs;
	size_t ndocs, i;
	long n;
	int rc, fmt;

	(void)f;
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		for (fmt = 0; fmt < 2; fmt++) {
			for (n = 1;; n++) {
				if ((a = arena_new()) == NULL)
					fail();
				diag_init(&d);
				lib_alloc_fail_at(n);
				rc = doc_load_buf(a, &d, "t.json", inputs[i],
				    strlen(inputs[i]),
				    fmt ? DOC_FMT_NDJSON : DOC_FMT_JSON, NULL,
				    &docs, &ndocs);
				lib_alloc_fail_at(0);
				if (rc == -1 && d.nerrors == 0)
					fail_msg("input %zu, failure %ld: -1 "
						 "without an error",
					    i, n);
				if (rc == 0 && i >= nvalid)
					fail_msg("input %zu loaded", i);
				arena_free(a);
				diag_free(&d);
				/* Past the last allocation: nothing failed. */
				if (n > 200 || rc == 0)
					break;
			}
			if (i < nvalid)
				assert_true(n < 200);
		}
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_values_and_positions, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scalar_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_numbers_keep_text, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_string_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_surrogate_pairs, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_lone_surrogates_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_long_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_depth_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_duplicate_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_duplicate_keys_large_map, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_utf16le_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_invalid_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_nul_and_control_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_syntax_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_empty_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ndjson, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ndjson_bad_line, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scalar_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_chunk_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_string_spanning_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_huge_string_fails_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ndjson_file, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_real_trailing_comma, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_allocation_failures, setup, teardown),
	};

	RUN_TESTS("json", tests, argc, argv);
}
