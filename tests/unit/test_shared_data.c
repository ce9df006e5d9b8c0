/*
 * test_shared_data.c: every real export and FedRAMP file under
 * $SHARED/data/exports and $SHARED/data/fedramp loads with doc_load_file
 * (format from the name: .json JSON, .yaml/.yml YAML, .dump NDJSON), or,
 * for the files ../shared/data/exports/SOURCE.md marks as INVALID
 * upstream, fails with an error at the exact place.  .xml, .md and .txt files
 * are skipped and counted.
 */
#include "tests/unit/testutil.h"

#include <dirent.h>

/* Malformed upstream (SOURCE.md), with where and why. */
static const struct {
	const char *path; /* relative to data/exports */
	const char *diag; /* expected suffix of the error after the path */
} invalid[] = {
	{ "awscli-examples/extracted-json/ec2/"
	  "describe-security-groups.output1.json",
	    ":53:9: error: invalid JSON: trailing comma before '}'" },
	{ "awscli-examples/extracted-json/kms/describe-key.output1.json",
	    ":7:29: error: invalid JSON: expected ',' or '}' after a value, "
	    "found '-06-30T21'" },
	{ "awscli-examples/extracted-json/rds/"
	  "describe-db-instances.output1.json",
	    ":14:13: error: invalid JSON: unexpected character '.'" },
	{ "terraform-json-testdata/invalid_plan.json",
	    ":676:29: error: invalid JSON: unexpected '}' after the end of "
	    "the document" },
};

struct walk {
	const char *exports; /* the exports folder, for the invalid list */
	size_t loaded, failed_as_expected, skipped, bad;
	size_t by_format[4];
};

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const char *
expected_failure(const struct walk *w, const char *path)
{
	size_t i, n = strlen(w->exports);

	if (strncmp(path, w->exports, n) != 0 || path[n] != '/')
		return NULL;
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		if (strcmp(path + n + 1, invalid[i].path) == 0)
			return invalid[i].diag;
	return NULL;
}

static void
check_file(struct walk *w, const char *path)
{
	struct arena *a;
	struct diag d;
	struct doc_node **docs;
	size_t ndocs, i;
	enum doc_format fmt;
	const char *want;
	char msg[4608], expect[4608];
	int rc;

	if (has_suffix(path, ".xml") || has_suffix(path, ".md") ||
	    has_suffix(path, ".txt")) {
		w->skipped++;
		return;
	}
	if (has_suffix(path, ".json"))
		fmt = DOC_FMT_JSON;
	else if (has_suffix(path, ".yaml") || has_suffix(path, ".yml"))
		fmt = DOC_FMT_YAML;
	else if (has_suffix(path, ".dump"))
		fmt = DOC_FMT_NDJSON;
	else {
		print_message("  unexpected file type: %s\n", path);
		w->bad++;
		return;
	}
	assert_non_null(a = arena_new());
	diag_init(&d);
	rc = doc_load_file(a, &d, path, DOC_FMT_AUTO, NULL, &docs, &ndocs);
	want = expected_failure(w, path);
	if (want != NULL) {
		snprintf(expect, sizeof(expect), "%s%s", path, want);
		if (rc == 0 || d.nerrors != 1) {
			print_message("  should fail: %s\n", path);
			w->bad++;
		} else {
			diag_format(&d, 0, msg, sizeof(msg));
			if (strcmp(msg, expect) != 0) {
				print_message("  got:    %s\n  wanted: %s\n",
				    msg, expect);
				w->bad++;
			} else {
				w->failed_as_expected++;
			}
		}
	} else if (rc != 0 || ndocs == 0) {
		for (i = 0; i < d.n; i++) {
			diag_format(&d, i, msg, sizeof(msg));
			print_message("  %s\n", msg);
		}
		if (d.n == 0)
			print_message("  no document in %s\n", path);
		w->bad++;
	} else {
		w->loaded++;
		w->by_format[fmt]++;
	}
	diag_free(&d);
	arena_free(a);
}

/* Depth-first, in name order, so the output is stable. */
static void
walk_dir(struct walk *w, const char *dir)
{
	struct dirent **names;
	struct stat st;
	char path[4096];
	int i, n;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		fail_msg("cannot read %s", dir);
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			snprintf(
			    path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			assert_int_equal(stat(path, &st), 0);
			if (S_ISDIR(st.st_mode))
				walk_dir(w, path);
			else if (S_ISREG(st.st_mode))
				check_file(w, path);
		}
		free(names[i]);
	}
	free(names);
}

static void
test_every_shared_file(void **state)
{
	const char *shared = test_shared_dir();
	char exports[4096], fedramp[4096];
	struct walk w;

	(void)state;
	if (shared == NULL) {
		print_message("SHARED is not set or not a folder: skipped\n");
		skip();
	}
	snprintf(exports, sizeof(exports), "%s/data/exports", shared);
	snprintf(fedramp, sizeof(fedramp), "%s/data/fedramp", shared);
	memset(&w, 0, sizeof(w));
	w.exports = exports;
	walk_dir(&w, exports);
	walk_dir(&w, fedramp);
	print_message("  loaded %zu (json %zu, ndjson %zu, yaml %zu), failed "
		      "as SOURCE.md says %zu, skipped %zu (.xml, .md, .txt)\n",
	    w.loaded, w.by_format[DOC_FMT_JSON], w.by_format[DOC_FMT_NDJSON],
	    w.by_format[DOC_FMT_YAML], w.failed_as_expected, w.skipped);
	assert_int_equal(w.bad, 0);
	assert_int_equal(
	    w.failed_as_expected, sizeof(invalid) / sizeof(invalid[0]));
	assert_true(w.loaded > 100);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_shared_file),
	};

	RUN_TESTS("shared_data", tests, argc, argv);
}
