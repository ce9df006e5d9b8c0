/*
 * test_pipeline.c: the JSON loader's reader thread (lib/json.c) against
 * the loader on one thread.  The thread must change nothing a user can
 * see: for every input, with every piece size, both give the same
 * elements (every node and key with its line:col), the same diagnostics
 * in the same order, the same count and result, the same file digest,
 * and stop at the same element when the callback fails.
 *
 * Inputs: hand-written edge cases (each kind of syntax and string error,
 * limits, NDJSON, tokens that straddle pieces), the JSON fuzz corpus, the
 * real exports under ../shared/data (when present), and generated files
 * larger than the format-detection prefix, read through a descriptor.
 */
#include "tests/unit/testutil.h"

#include <dirent.h>
#include <fcntl.h>

/* Everything a load shows, as text. */
struct out {
	FILE *fp;
	char *text;
	size_t len;
	size_t n; /* elements seen */
	size_t stop_at; /* fail on this element (1-based); 0 = never */
	struct diag *d;
};

static void
dump(FILE *fp, const struct doc_node *n, int depth)
{
	size_t i;

	fprintf(fp, "%*s%s %u:%u", depth * 2, "", doc_type_name(n->type),
	    n->mark.line, n->mark.col);
	if (n->str != NULL) {
		fputc(' ', fp);
		fwrite(n->str, 1, n->len, fp);
	}
	fputc('\n', fp);
	if (n->type == DOC_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			dump(fp, n->u.seq.items[i], depth + 1);
	} else if (n->type == DOC_MAP) {
		for (i = 0; i < n->u.map.n; i++) {
			dump(fp, n->u.map.pairs[i].key, depth + 1);
			dump(fp, n->u.map.pairs[i].val, depth + 2);
		}
	}
}

static int
on_elem(void *ctx, struct doc_node *e, struct arena *a)
{
	struct out *o = ctx;

	(void)a;
	o->n++;
	fprintf(o->fp, "-- element %zu\n", o->n);
	dump(o->fp, e, 0);
	if (o->stop_at != 0 && o->n == o->stop_at)
		return diag_err(o->d, &e->mark, "callback stops here");
	return 0;
}

enum how { BUF, FILE_PATH };

/*
 * Stream `in` (len bytes) once, with the loader threads set as given, and
 * return everything it showed (malloc'd).
 */
static char *
run(const char *in, size_t len, enum doc_format fmt, const char *coll,
    const struct load_limits *lim0, size_t stop_at, enum how how,
    enum load_threads mode, size_t piece)
{
	struct load_limits lim = *lim0;
	struct load_digest dg;
	char path[] = "/tmp/rampart-pipeline-XXXXXX";
	char line[1200];
	struct diag d;
	struct out o;
	size_t count = 0, i;
	int rc, fd = -1;

	memset(&o, 0, sizeof(o));
	memset(&dg, 0, sizeof(dg));
	diag_init(&d);
	o.fp = open_memstream(&o.text, &o.len);
	assert_non_null(o.fp);
	o.stop_at = stop_at;
	o.d = &d;
	load_set_threads(mode, piece);
	if (how == FILE_PATH) {
		fd = mkstemp(path);
		assert_true(fd != -1);
		assert_int_equal(write(fd, in, len), (ssize_t)len);
		close(fd);
		dg.path = path;
		lim.digest = &dg;
		rc = doc_stream_file(
		    &d, path, fmt, coll, &lim, on_elem, &o, &count);
		unlink(path);
	} else {
		rc = doc_stream_buf(&d, "in.json", in, len, fmt, coll, &lim,
		    on_elem, &o, &count);
	}
	load_set_threads(LOAD_THREADS_AUTO, 0);
	fprintf(o.fp, "== rc %d, count %zu, seen %zu, %zu errors\n", rc, count,
	    o.n, d.nerrors);
	if (dg.done)
		fprintf(o.fp, "== sha256 %s\n", dg.hex);
	for (i = 0; i < d.n; i++) {
		diag_format(&d, i, line, sizeof(line));
		/* The temporary file's name differs from run to run. */
		if (how == FILE_PATH && strncmp(line, path, strlen(path)) == 0)
			fprintf(o.fp, "FILE%s\n", line + strlen(path));
		else
			fprintf(o.fp, "%s\n", line);
	}
	diag_free(&d);
	fclose(o.fp);
	return o.text;
}

/* Piece sizes: 0 is the default; 1 and 3 split every token. */
static const size_t pieces[] = { 1, 3, 64, 0 };

/*
 * The thread must show exactly what one thread shows, given the same
 * pieces.  Small inputs are tried with every piece size, large ones with
 * the larger sizes.
 */
static void
same(const char *in, size_t len, enum doc_format fmt, const char *coll,
    const struct load_limits *lim, size_t stop_at, enum how how)
{
	char *want, *got;
	size_t i;

	for (i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		if ((pieces[i] == 1 && len > 4000) ||
		    (pieces[i] != 0 && pieces[i] < 64 && len > 20000))
			continue;
		want = run(in, len, fmt, coll, lim, stop_at, how,
		    LOAD_THREADS_OFF, pieces[i]);
		got = run(in, len, fmt, coll, lim, stop_at, how,
		    LOAD_THREADS_ALWAYS, pieces[i]);
		if (strcmp(want, got) != 0) {
			fprintf(stderr,
			    "piece %zu, collection %s: differs\n"
			    "--- one thread:\n%.3000s\n--- reader thread:\n"
			    "%.3000s\n",
			    pieces[i], coll != NULL ? coll : "(none)", want,
			    got);
			fail();
		}
		free(want);
		free(got);
	}
}

/* Every way to read one input. */
static void
same_all(const char *in, size_t len)
{
	static const char *const colls[] = { NULL, "[*]",
		"configurationItems[*]", "a.b[*]" };
	struct load_limits lim;
	size_t c;

	load_limits_default(&lim);
	for (c = 0; c < sizeof(colls) / sizeof(colls[0]); c++) {
		same(in, len, DOC_FMT_JSON, colls[c], &lim, 0, BUF);
		same(in, len, DOC_FMT_NDJSON, colls[c], &lim, 0, BUF);
	}
	same(in, len, DOC_FMT_JSON, "[*]", &lim, 2, BUF);
	lim.max_depth = 3;
	lim.max_scalar = 5;
	lim.max_doc_bytes = 600;
	same(in, len, DOC_FMT_JSON, NULL, &lim, 0, BUF);
	same(in, len, DOC_FMT_JSON, "[*]", &lim, 0, BUF);
}

static const char *const cases[] = {
	"",
	"   \n  ",
	"{}",
	"[]",
	"[1, 2.5, -0, 1e5, true, false, null, \"s\"]",
	"{\"a\": {\"b\": [{\"x\": 1}, {\"y\": [2, 3]}, 4]}}",
	"[{\"k\": \"\\u00e9\\ud83d\\ude00\\n\\\"\"}, {\"\xc3\xa9t\xc3\xa9\": "
	"\"caf\xc3\xa9\"}]",
	"[{\"a\": 1, \"a\": 2}]",
	"[{\"a\": 1}, {\"b\": 2, \"c\": 3, \"b\": 4}]",
	"[1, 2,]",
	"{\"a\": 1,}",
	"[1 2]",
	"{\"a\" 1}",
	"{1: 2}",
	"[01]",
	"[\"\\ud800\"]",
	"[\"\\udc00x\"]",
	"[\"\\x\"]",
	"[\"bad \xff byte\"]",
	"[\"over \xc0\xaf long\"]",
	"[\"ctl \x01 char\"]",
	"[\"unterminated",
	"[{\"a\": [1, 2, {\"b\": ",
	"[1] [2]",
	"[1] x",
	"// comment\n[1]",
	"['single']",
	"[nul]",
	"[truee]",
	"[-]",
	"[1.]",
	"{\"long key over the scalar limit\": \"and a long value too\"}",
	"[[[[[[[[1]]]]]]]]",
	"{\"a\": {\"b\": [[[[[[1]]]]]]}}",
	"[{\"x\": \"0123456789012345678901234567890123456789012345678901234"
	"5678901234567890123456789\"}, {\"y\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10,"
	" 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]}]",
	"{\"a\": 1}\n{\"a\": 2}\n\n{\"b\": [3]}\n",
	"{\"a\": 1}\n{\"a\": }\n{\"b\": 3}\n",
	"{\"configurationItems\": [{\"resourceType\": \"AWS::S3::Bucket\", "
	"\"configuration\": \"{\\\"name\\\":\\\"b\\\"}\"}, {\"resourceType\": "
	"\"AWS::IAM::User\"}], \"trailer\": [1]}",
	"{\"configurationItems\": {\"not\": \"a list\"}}",
	"{\"configurationItems\": [1, 2], \"configurationItems\": [3]}",
	"[\"a\"]\r\n",
	"\xef\xbb\xbf[1]",
	"[1e999, -1e-999, 123456789012345678901234567890]",
};

static void
test_edge_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same_all(cases[i], strlen(cases[i]));
}

/* Every *.json file of a directory, recursively, up to max bytes each. */
static size_t
walk_dir(const char *dir, size_t max)
{
	struct dirent *e;
	struct stat st;
	char path[4096], *buf;
	size_t n = 0, len;
	DIR *dp;
	FILE *fp;

	if ((dp = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			n += walk_dir(path, max);
			continue;
		}
		len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 5, ".json") != 0 ||
		    (size_t)st.st_size > max)
			continue;
		buf = malloc((size_t)st.st_size + 1);
		assert_non_null(buf);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		len = fread(buf, 1, (size_t)st.st_size, fp);
		fclose(fp);
		same_all(buf, len);
		free(buf);
		n++;
	}
	closedir(dp);
	return n;
}

static void
test_fuzz_corpus(void **state)
{
	(void)state;
	assert_true(walk_dir("tests/fuzz/corpus/json", 1 << 20) >= 10);
}

static void
test_shared_exports(void **state)
{
	const char *sh = test_shared_dir();
	char dir[4096];

	(void)state;
	if (sh == NULL) {
		skip();
		return;
	}
	snprintf(dir, sizeof(dir), "%s/data/exports", sh);
	assert_true(walk_dir(dir, 256 * 1024) > 0);
}

/*
 * A snapshot of n items, larger than the 64 KiB format-detection prefix,
 * so that a file is read through its descriptor, in pieces, with the
 * digest; `tail` ends it (a syntax error, say).
 */
static char *
big_snapshot(size_t n, const char *tail, size_t *len)
{
	char *s = NULL;
	size_t i, sz = 0;
	FILE *fp = open_memstream(&s, &sz);

	assert_non_null(fp);
	fputs("{\"fileVersion\": \"1.0\",\n \"configurationItems\": [\n", fp);
	for (i = 0; i < n; i++)
		fprintf(fp,
		    "  {\"resourceType\": \"AWS::EC2::Volume\", "
		    "\"resourceId\": "
		    "\"vol-%06zu\", \"tags\": {\"caf\xc3\xa9\": "
		    "\"\\u00e9%zu\"}, "
		    "\"configuration\": {\"size\": %zu, \"encrypted\": %s, "
		    "\"note\": \"line\\nbreak \\\"q\\\"\", \"n\": null}}%s\n",
		    i, i, i % 1000, i % 3 ? "true" : "false",
		    i + 1 < n ? "," : "");
	fputs(tail, fp);
	fclose(fp);
	*len = sz;
	return s;
}

static void
test_large_files(void **state)
{
	static const char *const tails[] = {
		" ]}\n",
		" ]}\n  trailing",
		" ]",
		" ], \"configurationItems\": []}\n",
		" , {\"resourceId\": \"\\ud800\"}]}\n",
	};
	struct load_limits lim;
	size_t i, len;
	char *s;

	(void)state;
	load_limits_default(&lim);
	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		s = big_snapshot(1500, tails[i], &len);
		assert_true(len > 3 * 65536);
		same(s, len, DOC_FMT_JSON, "configurationItems[*]", &lim, 0,
		    FILE_PATH);
		same(s, len, DOC_FMT_AUTO, NULL, &lim, 0, FILE_PATH);
		same(s, len, DOC_FMT_JSON, "configurationItems[*]", &lim, 1200,
		    FILE_PATH);
		free(s);
	}
	/* A document limit hit deep in the file, and NDJSON lines. */
	s = big_snapshot(1500, " ]}\n", &len);
	lim.max_doc_bytes = 200000;
	same(s, len, DOC_FMT_JSON, NULL, &lim, 0, FILE_PATH);
	free(s);
}

/*
 * Nesting far past the depth limit, in a file read in pieces: the same
 * error at the same place (the reader stops one level past the builder's
 * limit, so it cannot run ahead), for limits on both sides of each piece.
 */
static void
test_deep_nesting(void **state)
{
	static const uint32_t depths[] = { 1, 2, 255, 256, 257, 100000 };
	struct load_limits lim;
	size_t n = 150000, len, i;
	char *s;

	(void)state;
	len = 7 + 2 * n;
	s = malloc(len + 1);
	assert_non_null(s);
	memcpy(s, "{\"a\": ", 6);
	memset(s + 6, '[', n);
	memset(s + 6 + n, ']', n);
	s[len - 1] = '}';
	s[len] = '\0';
	load_limits_default(&lim);
	for (i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		lim.max_depth = depths[i];
		same(s, len, DOC_FMT_JSON, NULL, &lim, 0, FILE_PATH);
		same(s, len, DOC_FMT_JSON, "a[*]", &lim, 0, FILE_PATH);
	}
	free(s);
}

/* The thread is really used by default for a large file. */
static void
test_default_uses_thread(void **state)
{
	struct load_limits lim;
	size_t len;
	char *s, *a, *b;

	(void)state;
	load_limits_default(&lim);
	s = big_snapshot(1500, " ]}\n", &len);
	a = run(s, len, DOC_FMT_JSON, "configurationItems[*]", &lim, 0,
	    FILE_PATH, LOAD_THREADS_AUTO, 0);
	b = run(s, len, DOC_FMT_JSON, "configurationItems[*]", &lim, 0,
	    FILE_PATH, LOAD_THREADS_OFF, 0);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "== rc 0, count 1500, seen 1500, 0 errors"));
	assert_non_null(strstr(a, "== sha256 "));
	free(a);
	free(b);
	free(s);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_fuzz_corpus),
		cmocka_unit_test(test_shared_exports),
		cmocka_unit_test(test_large_files),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_default_uses_thread),
	};

	RUN_TESTS("pipeline", tests, argc, argv);
}
