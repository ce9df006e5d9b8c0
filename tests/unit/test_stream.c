/*
 * test_stream.c: streaming through the builder (doc_stream_file,
 * doc_stream_buf) with JSON input: collections, per-element arenas,
 * stopping, missing collections, duplicate keys on the path, limits, and
 * doc_load_* keeping everything in the caller's arena.
 */
#include "tests/unit/testutil.h"

#include <fcntl.h>

/* What the callback saw. */
struct seen {
	size_t n, freed, freed_before_last;
	size_t stop_at; /* return -1 on this element (1-based); 0 = never */
	struct diag *d;
	char types[64][40];
	uint32_t lines[64];
};

static void
count_free(void *p)
{
	((struct seen *)p)->freed++;
}

static int
on_elem(void *ctx, struct doc_node *e, struct arena *a)
{
	struct seen *s = ctx;
	const char *t = doc_str(doc_get(e, "resourceType"));

	/* The arena is freed after we return: count it. */
	assert_int_equal(arena_defer(a, count_free, s), 0);
	s->freed_before_last = s->freed;
	if (s->n < 64) {
		snprintf(s->types[s->n], sizeof(s->types[0]), "%s",
		    t != NULL ? t : doc_type_name(e->type));
		s->lines[s->n] = e->mark.line;
	}
	s->n++;
	if (s->stop_at != 0 && s->n == s->stop_at)
		return diag_err(s->d, &e->mark, "stop here");
	return 0;
}

static const char snapshot[] =
    "{\"fileVersion\": \"1.0\",\n"
    " \"configSnapshotId\": \"abc\",\n"
    " \"configurationItems\": [\n"
    "  {\"resourceType\": \"AWS::S3::Bucket\", \"configuration\": "
    "\"{\\\"name\\\":\\\"b\\\"}\"},\n"
    "  {\"resourceType\": \"AWS::EC2::SecurityGroup\", \"configuration\": "
    "{\"ipPermissions\": [{\"fromPort\": 22}]}},\n"
    "  {\"resourceType\": \"AWS::IAM::User\"}\n"
    " ],\n"
    " \"trailer\": {\"x\": [1, 2, 3]}}\n";

static void
test_config_snapshot(void **state)
{
	struct seen s = { 0 };
	struct diag d;
	size_t count = 99;

	(void)state;
	diag_init(&d);
	assert_int_equal(
	    doc_stream_buf(&d, "snap.json", snapshot, sizeof(snapshot) - 1,
		DOC_FMT_JSON, "configurationItems[*]", NULL, on_elem, &s,
		&count),
	    0);
	assert_int_equal(count, 3);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.types[0], "AWS::S3::Bucket");
	assert_string_equal(s.types[1], "AWS::EC2::SecurityGroup");
	assert_string_equal(s.types[2], "AWS::IAM::User");
	assert_int_equal(s.lines[0], 4);
	assert_int_equal(s.lines[2], 6);
	/* Each element's arena was freed, right after its callback. */
	assert_int_equal(s.freed, 3);
	assert_int_equal(s.freed_before_last, 2);
	diag_free(&d);
}

static void
test_top_level_array(void **state)
{
	static const char text[] = "[{\"resourceType\": \"a\"}, 7, \"s\", "
				   "[1], {\"resourceType\": \"b\"}]";
	struct seen s = { 0 };
	struct diag d;
	size_t count;

	(void)state;
	diag_init(&d);
	assert_int_equal(doc_stream_buf(&d, "t.json", text, sizeof(text) - 1,
			     DOC_FMT_JSON, "[*]", NULL, on_elem, &s, &count),
	    0);
	assert_int_equal(count, 5);
	assert_string_equal(s.types[0], "a");
	assert_string_equal(s.types[1], "int");
	assert_string_equal(s.types[2], "string");
	assert_string_equal(s.types[3], "seq");
	assert_string_equal(s.types[4], "b");
	assert_int_equal(s.freed, 5);
	diag_free(&d);
}

static void
test_ndjson_lines(void **state)
{
	static const char text[] = "{\"resourceType\": \"a\"}\n"
				   "\n"
				   "{\"resourceType\": \"b\"}\n"
				   "{\"resourceType\": \"c\"}\n";
	struct seen s = { 0 };
	struct diag d;
	size_t count;

	(void)state;
	diag_init(&d);
	assert_int_equal(doc_stream_buf(&d, "t.ndjson", text, sizeof(text) - 1,
			     DOC_FMT_AUTO, NULL, NULL, on_elem, &s, &count),
	    0);
	assert_int_equal(count, 3);
	assert_string_equal(s.types[2], "c");
	assert_int_equal(s.lines[0], 1);
	assert_int_equal(s.lines[1], 3);
	assert_int_equal(s.lines[2], 4);
	assert_int_equal(s.freed, 3);
	/* With a collection, each line must hold it. */
	s.n = s.freed = 0;
	assert_int_equal(doc_stream_buf(&d, "t.ndjson",
			     "{\"v\": [1, 2]}\n{\"v\": [3]}\n{\"w\": 1}\n", 34,
			     DOC_FMT_NDJSON, "v[*]", NULL, on_elem, &s, &count),
	    -1);
	assert_int_equal(count, 3);
	assert_diag(&d, 0,
	    "t.ndjson:3:1: error: expected a collection at 'v[*]', found none "
	    "in this document");
	diag_free(&d);
}

static void
test_missing_collection(void **state)
{
	struct seen s = { 0 };
	struct diag d;
	size_t count;

	(void)state;
	diag_init(&d);
	assert_int_equal(doc_stream_buf(&d, "t.json",
			     "\n {\"fileVersion\": \"1.0\", \"items\": []}", 37,
			     DOC_FMT_JSON, "configurationItems[*]", NULL,
			     on_elem, &s, &count),
	    -1);
	assert_int_equal(d.nerrors, 1);
	assert_diag(&d, 0,
	    "t.json:2:2: error: expected a collection at "
	    "'configurationItems[*]', found none in this document");
	/* A scalar is not a collection. */
	diag_clear(&d);
	assert_int_equal(
	    doc_stream_buf(&d, "t.json", "{\"configurationItems\": \"none\"}",
		30, DOC_FMT_JSON, "configurationItems[*]", NULL, on_elem, &s,
		&count),
	    -1);
	assert_diag_has(&d, "expected a collection at 'configurationItems[*]'");
	/* As in path expressions, [*] over a map selects its values. */
	diag_clear(&d);
	s.n = 0;
	assert_int_equal(doc_stream_buf(&d, "t.json",
			     "{\"configurationItems\": {\"a\": 1, \"b\": {}}}",
			     41, DOC_FMT_JSON, "configurationItems[*]", NULL,
			     on_elem, &s, &count),
	    0);
	assert_int_equal(count, 2);
	assert_string_equal(s.types[0], "int");
	assert_string_equal(s.types[1], "map");
	/* An empty one is fine: zero elements. */
	diag_clear(&d);
	assert_int_equal(
	    doc_stream_buf(&d, "t.json", "{\"configurationItems\": []}", 26,
		DOC_FMT_JSON, "configurationItems[*]", NULL, on_elem, &s,
		&count),
	    0);
	assert_int_equal(count, 0);
	diag_free(&d);
}

static void
test_callback_stops(void **state)
{
	struct seen s = { 0 };
	struct diag d;
	size_t count;

	(void)state;
	diag_init(&d);
	s.stop_at = 2;
	s.d = &d;
	assert_int_equal(
	    doc_stream_buf(&d, "snap.json", snapshot, sizeof(snapshot) - 1,
		DOC_FMT_JSON, "configurationItems[*]", NULL, on_elem, &s,
		&count),
	    -1);
	assert_int_equal(s.n, 2);
	assert_int_equal(count, 2);
	assert_int_equal(s.freed, 2);
	/* Only the callback's own error: the loader adds nothing. */
	assert_int_equal(d.nerrors, 1);
	assert_diag(&d, 0, "snap.json:5:3: error: stop here");
	diag_free(&d);
}

static void
test_duplicate_keys_on_path(void **state)
{
	struct seen s = { 0 };
	struct diag d;
	size_t count;

	(void)state;
	diag_init(&d);
	/* A second collection would be read differently by another tool. */
	assert_int_equal(doc_stream_buf(&d, "t.json",
			     "{\"configurationItems\": [],\n"
			     " \"configurationItems\": [{}]}",
			     55, DOC_FMT_JSON, "configurationItems[*]", NULL,
			     on_elem, &s, &count),
	    -1);
	assert_diag(&d, 0,
	    "t.json:2:2: error: duplicate key 'configurationItems' (first "
	    "defined at 1:2)");
	/* Off the path too (keys are checked everywhere). */
	diag_clear(&d);
	assert_int_equal(doc_stream_buf(&d, "t.json",
			     "{\"a\": 1, \"configurationItems\": [], \"a\": 2}",
			     43, DOC_FMT_JSON, "configurationItems[*]", NULL,
			     on_elem, &s, &count),
	    -1);
	assert_diag_has(&d, "duplicate key 'a'");
	/* Inside an element. */
	diag_clear(&d);
	assert_int_equal(doc_stream_buf(&d, "t.json",
			     "{\"configurationItems\": [{\"k\": 1, \"k\": 2}]}",
			     43, DOC_FMT_JSON, "configurationItems[*]", NULL,
			     on_elem, &s, &count),
	    -1);
	assert_diag(&d, 0,
	    "t.json:1:34: error: duplicate key 'k' (first defined at 1:26)");
	diag_free(&d);
}

static void
test_limits_in_elements(void **state)
{
	struct load_limits lim;
	struct seen s = { 0 };
	struct diag d;
	struct strbuf sb;
	size_t count;
	int i;

	(void)state;
	diag_init(&d);
	load_limits_default(&lim);
	lim.max_depth = 4;
	assert_int_equal(doc_stream_buf(&d, "t.json", "{\"v\": [[[1]]]}", 14,
			     DOC_FMT_JSON, "v[*]", &lim, on_elem, &s, &count),
	    0);
	assert_int_equal(doc_stream_buf(&d, "t.json", "{\"v\": [[[[1]]]]}", 16,
			     DOC_FMT_JSON, "v[*]", &lim, on_elem, &s, &count),
	    -1);
	assert_diag(
	    &d, 0, "t.json:1:10: error: nesting deeper than the limit of 4");
	/* One element larger than max_doc_bytes; the others are fine. */
	diag_clear(&d);
	load_limits_default(&lim);
	lim.max_doc_bytes = 4096;
	sb_init(&sb);
	sb_adds(&sb, "{\"v\": [{\"a\": 1},\n{\"big\": [");
	for (i = 0; i < 1000; i++)
		sb_printf(&sb, "%s\"item %d\"", i ? ", " : "", i);
	sb_adds(&sb, "]}]}");
	assert_int_equal(doc_stream_buf(&d, "t.json", sb.s, sb.len,
			     DOC_FMT_JSON, "v[*]", &lim, on_elem, &s, &count),
	    -1);
	assert_int_equal(count, 1);
	assert_diag_has(&d, ":2:");
	assert_diag_has(&d, "document exceeds the size limit of 4096 bytes");
	sb_free(&sb);
	diag_free(&d);
}

static void
test_key_order_and_get(void **state)
{
	struct arena *a = arena_new();
	struct diag d;
	struct doc_node **docs, *r;
	size_t n, i;
	static const char text[] =
	    "{\"z\": 1, \"b\": 2, \"y\": 3, \"a\": 4, \"x\": 5, \"c\": 6, "
	    "\"w\": 7, \"d\": 8, \"v\": 9, \"e\": 10, \"u\": 11, \"f\": 12, "
	    "\"t\": 13, \"g\": 14, \"s\": 15, \"h\": 16, \"r\": 17, \"i\": 18}";
	static const char order[] = "zbyaxcwdveuftgshri";

	(void)state;
	diag_init(&d);
	assert_int_equal(doc_load_buf(a, &d, "t.json", text, sizeof(text) - 1,
			     DOC_FMT_JSON, NULL, &docs, &n),
	    0);
	r = docs[0];
	assert_int_equal(r->u.map.n, 18);
	for (i = 0; i < 18; i++) {
		assert_int_equal(r->u.map.pairs[i].key->str[0], order[i]);
		assert_int_equal(r->u.map.pairs[i].val->u.i, (int64_t)i + 1);
	}
	assert_int_equal(doc_get(r, "r")->u.i, 17);
	assert_null(doc_get(r, "nope"));
	assert_null(doc_get(doc_get(r, "a"), "a"));
	diag_free(&d);
	arena_free(a);
}

/* Write a snapshot with n items, one per line, to a temporary file. */
static void
write_snapshot(char *path, size_t pathlen, int n)
{
	FILE *fp;
	int fd, i;

	snprintf(path, pathlen, "/tmp/rampart-stream-XXXXXX");
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(fp = fdopen(fd, "w"));
	fprintf(fp, "{\"fileVersion\": \"1.0\", \"configurationItems\": [\n");
	for (i = 0; i < n; i++)
		fprintf(fp,
		    "%s{\"resourceType\": \"AWS::S3::Bucket\", \"resourceId\": "
		    "\"bucket-%d\", \"tags\": {\"owner\": \"caf\xc3\xa9\"}, "
		    "\"configuration\": \"{\\\"name\\\": \\\"bucket-%d\\\"}\", "
		    "\"n\": [%d, %d.5, true, null]}\n",
		    i ? "," : "", i, i, i, i);
	fprintf(fp, "]}\n");
	assert_int_equal(fclose(fp), 0);
}

struct check_lines {
	size_t n;
	int bad;
};

static int
on_item_line(void *ctx, struct doc_node *e, struct arena *a)
{
	struct check_lines *c = ctx;
	const struct doc_node *id = doc_get(e, "resourceId");
	char want[32];

	(void)a;
	snprintf(want, sizeof(want), "bucket-%zu", c->n);
	/* Item i is on line i + 2, at column 1 or 2 (after the comma). */
	if (id == NULL || strcmp(id->str, want) != 0 ||
	    e->mark.line != c->n + 2 || e->mark.col != (c->n ? 2u : 1u))
		c->bad++;
	c->n++;
	return 0;
}

static void
test_stream_file_many_chunks(void **state)
{
	struct check_lines c = { 0, 0 };
	struct diag d;
	char path[64];
	size_t count;

	(void)state;
	write_snapshot(path, sizeof(path), 20000); /* about 3 MB */
	diag_init(&d);
	assert_int_equal(
	    doc_stream_file(&d, path, DOC_FMT_AUTO, "configurationItems[*]",
		NULL, on_item_line, &c, &count),
	    0);
	assert_int_equal(count, 20000);
	assert_int_equal(c.bad, 0);
	unlink(path);
	diag_free(&d);
}

static void
test_load_file_keeps_nodes(void **state)
{
	struct arena *a = arena_new();
	struct diag d;
	struct doc_node **docs, *items, *last;
	char path[64];
	size_t n;

	(void)state;
	write_snapshot(path, sizeof(path), 3000);
	diag_init(&d);
	assert_int_equal(
	    doc_load_file(a, &d, path, DOC_FMT_JSON, NULL, &docs, &n), 0);
	unlink(path);
	assert_int_equal(n, 1);
	/* Everything is still there (ASan checks it is still alive). */
	items = doc_get(docs[0], "configurationItems");
	assert_int_equal(items->u.seq.n, 3000);
	last = doc_index(items, 2999);
	assert_string_equal(
	    doc_str(doc_get(last, "resourceId")), "bucket-2999");
	assert_string_equal(docs[0]->mark.file, path);
	assert_int_equal(last->mark.line, 3001);
	assert_string_equal(
	    doc_str(doc_get(doc_get(doc_index(items, 0), "tags"), "owner")),
	    "caf\xc3\xa9");
	diag_free(&d);
	arena_free(a);
}

static void
test_load_one(void **state)
{
	struct arena *a = arena_new();
	struct diag d;
	char path[64];

	(void)state;
	write_snapshot(path, sizeof(path), 2);
	diag_init(&d);
	assert_non_null(doc_load_one(a, &d, path, DOC_FMT_AUTO, NULL));
	unlink(path);
	assert_null(
	    doc_load_one(a, &d, "/nonexistent/x.json", DOC_FMT_AUTO, NULL));
	assert_diag_has(&d, "/nonexistent/x.json: error: cannot open");
	diag_free(&d);
	arena_free(a);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_snapshot),
		cmocka_unit_test(test_top_level_array),
		cmocka_unit_test(test_ndjson_lines),
		cmocka_unit_test(test_missing_collection),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_duplicate_keys_on_path),
		cmocka_unit_test(test_limits_in_elements),
		cmocka_unit_test(test_key_order_and_get),
		cmocka_unit_test(test_stream_file_many_chunks),
		cmocka_unit_test(test_load_file_keeps_nodes),
		cmocka_unit_test(test_load_one),
	};

	RUN_TESTS("stream", tests, argc, argv);
}
