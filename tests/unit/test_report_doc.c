/*
 * test_report_doc.c: the one reader of a JSON report's top level
 * (reports/read.c report_doc).  A whole report passes the strict mode; a
 * report missing any of verdict, baseline, inputs and controls, or with
 * one of another type, is refused by it (every subset is tried) and read
 * by REPORT_DOC_PARTIAL with exactly the members it has.  Every truncation
 * of a report is refused in both modes: partial never means "read what
 * parses".  report_doc_parse into the caller's arena reads what
 * report_doc_from_buf reads, digest included.
 */
#include "testutil.h"

#include "reports/report.h"

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

enum { M_VERDICT, M_BASELINE, M_INPUTS, M_CONTROLS, M_COUNT };

/* The report with the members of mask, each well typed or not. */
static void
make_report(char *out, size_t n, unsigned mask, int bad)
{
	static const char *const good[M_COUNT] = {
		"\"verdict\": \"eligible\"",
		"\"baseline\": {\"id\": \"b\", \"sha256\": \"" SHA
		"\", \"mapping\": \"m\"}",
		"\"inputs\": [{\"path\": \"in\", \"sha256\": \"" SHA "\"}]",
		"\"controls\": [{\"id\": \"ac-2\", \"status\": \"pass\"}]",
	};
	static const char *const wrong[M_COUNT] = { "\"verdict\": 1",
		"\"baseline\": [\"b\"]", "\"inputs\": {\"path\": \"in\"}",
		"\"controls\": \"ac-2\"" };
	size_t len;
	int i;

	len = (size_t)snprintf(out, n,
	    "{\"rampart\": {\"version\": \"0.1.0\"}, \"shard\": {\"index\": "
	    "2, \"of\": 3, \"total_inputs\": 5, \"total_targets\": 1, "
	    "\"targets\": 1}");
	for (i = 0; i < M_COUNT; i++)
		if (mask & (1u << i))
			len += (size_t)snprintf(out + len, n - len, ", %s",
			    bad ? wrong[i] : good[i]);
	snprintf(out + len, n - len, "}\n");
}

/* report_doc_from_buf over a copy of s. */
static int
from_buf(struct diag *d, const char *s, struct report_doc **rd)
{
	size_t len = strlen(s);
	char *buf = lib_malloc(len + 1);

	assert_non_null(buf);
	memcpy(buf, s, len + 1);
	return report_doc_from_buf(d, "r.json", buf, len, rd);
}

static void
test_members(void **state)
{
	char doc[1024], hex[SHA256_HEX_LEN + 1];
	struct report_doc *rd, pd;
	struct arena *a;
	struct diag d;
	unsigned mask;
	int bad, all;

	(void)state;
	diag_init(&d);
	for (bad = 0; bad < 2; bad++) {
		for (mask = 0; mask < (1u << M_COUNT); mask++) {
			make_report(doc, sizeof(doc), mask, bad);
			all = mask == (1u << M_COUNT) - 1 && !bad;
			diag_clear(&d);
			assert_int_equal(from_buf(&d, doc, &rd), all ? 0 : -1);
			if (!all) {
				assert_null(rd);
				assert_diag_has(
				    &d, "not a rampart JSON report");
			}
			report_doc_free(rd);
			assert_non_null(a = arena_new());
			diag_clear(&d);
			assert_int_equal(
			    report_doc_parse(a, &d, "r.json", doc, strlen(doc),
				REPORT_DOC_PARTIAL, &pd),
			    0);
			assert_int_equal(d.nerrors, 0);
			sha256_hex(doc, strlen(doc), hex);
			assert_string_equal(pd.sha256, hex);
			assert_null(pd.buf);
			/* A string member: read when a string, else NULL. */
			assert_int_equal(pd.verdict != NULL,
			    (mask & (1u << M_VERDICT)) && !bad);
			assert_int_equal(pd.baseline_id != NULL,
			    (mask & (1u << M_BASELINE)) && !bad);
			assert_int_equal(pd.mapping != NULL,
			    (mask & (1u << M_BASELINE)) && !bad);
			/* A node member: as found, for the caller to check. */
			assert_int_equal(pd.baseline != NULL,
			    (mask & (1u << M_BASELINE)) != 0);
			assert_int_equal(
			    pd.inputs != NULL, (mask & (1u << M_INPUTS)) != 0);
			assert_int_equal(pd.controls != NULL,
			    (mask & (1u << M_CONTROLS)) != 0);
			if (pd.controls != NULL)
				assert_int_equal(pd.controls->type,
				    bad ? DOC_STRING : DOC_SEQ);
			if (pd.inputs != NULL)
				assert_int_equal(
				    pd.inputs->type, bad ? DOC_MAP : DOC_SEQ);
			assert_string_equal(pd.version, "0.1.0");
			assert_int_equal(pd.shard_k, 2);
			assert_int_equal(pd.shard_of, 3);
			assert_int_equal(pd.total_inputs, 5);
			arena_free(a);
		}
	}
	diag_free(&d);
}

static void
test_truncated(void **state)
{
	char doc[1024];
	struct report_doc *rd, pd;
	struct arena *a;
	struct diag d;
	size_t len, i;

	(void)state;
	diag_init(&d);
	make_report(doc, sizeof(doc), (1u << M_COUNT) - 1, 0);
	len = strlen(doc) - 1; /* the last '}' and the LF */
	assert_non_null(a = arena_new());
	for (i = 0; i < len; i++) {
		char *cut = lib_malloc(i + 1);

		assert_non_null(cut);
		memcpy(cut, doc, i);
		cut[i] = '\0';
		diag_clear(&d);
		assert_int_equal(report_doc_parse(a, &d, "r.json", cut, i,
				     REPORT_DOC_PARTIAL, &pd),
		    -1);
		assert_true(d.nerrors > 0);
		diag_clear(&d);
		assert_int_equal(report_doc_from_buf(&d, "r.json", cut, i, &rd),
		    -1); /* owns cut */
		assert_null(rd);
	}
	arena_free(a);
	diag_free(&d);
}

static void
test_same_reading(void **state)
{
	char doc[1024];
	struct report_doc *rd, pd;
	struct arena *a;
	struct diag d;

	(void)state;
	diag_init(&d);
	make_report(doc, sizeof(doc), (1u << M_COUNT) - 1, 0);
	assert_int_equal(from_buf(&d, doc, &rd), 0);
	assert_non_null(a = arena_new());
	assert_int_equal(
	    report_doc_parse(a, &d, "r.json", doc, strlen(doc), 0, &pd), 0);
	assert_string_equal(pd.sha256, rd->sha256);
	assert_string_equal(pd.verdict, rd->verdict);
	assert_string_equal(pd.baseline_id, rd->baseline_id);
	assert_string_equal(pd.baseline_sha256, rd->baseline_sha256);
	assert_string_equal(pd.mapping, rd->mapping);
	assert_string_equal(pd.path, rd->path);
	assert_int_equal(pd.inputs->u.seq.n, rd->inputs->u.seq.n);
	assert_int_equal(pd.controls->u.seq.n, rd->controls->u.seq.n);
	assert_int_equal(pd.targets, rd->targets);
	assert_int_equal(pd.len, rd->len);
	assert_memory_equal(rd->buf, doc, rd->len);
	report_doc_free(rd);
	arena_free(a);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_same_reading),
	};

	RUN_TESTS("report_doc", tests, argc, argv);
}
