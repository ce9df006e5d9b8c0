/*
 * test_registry.c: adapter detection.  Detection skips an adapter whose
 * max_dir_score cannot beat the best score already found (checks/check.h),
 * so the bound must hold: on every directory under tests/fixtures and
 * examples, each adapter's detect() stays within its max_dir_score, and
 * adapter_detect() picks what asking every adapter picks (the highest
 * score, ties to the first in the table).
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>

#include "testutil.h"
#include "checks/check.h"

static size_t ndirs, nknown;

/* What asking every adapter gives: the highest score, the first on ties. */
static const struct adapter *
brute_force(const char *path)
{
	const struct adapter *best = NULL;
	int score, bestscore = 0;
	size_t i;

	for (i = 0; i < nadapters; i++) {
		score = adapters[i]->detect(path, 1, NULL, 0);
		if (adapters[i]->max_dir_score > 0) {
			if (score > adapters[i]->max_dir_score)
				print_message("%s: %s scores %d > %d\n", path,
				    adapters[i]->name, score,
				    adapters[i]->max_dir_score);
			assert_true(score <= adapters[i]->max_dir_score);
		}
		if (score > bestscore) {
			bestscore = score;
			best = adapters[i];
		}
	}
	return best;
}

static int
visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const struct adapter *want, *got;
	struct diag d;

	(void)st;
	(void)ftw;
	if (type != FTW_D)
		return 0;
	want = brute_force(path);
	diag_init(&d);
	got = adapter_detect(&d, path);
	diag_free(&d);
	if (want != got)
		print_message("%s: detected %s, every adapter asked: %s\n",
		    path, got ? got->name : "(none)",
		    want ? want->name : "(none)");
	assert_ptr_equal(want, got);
	ndirs++;
	nknown += got != NULL;
	return 0;
}

static void
dir_scores_bounded(void **state)
{
	(void)state;
	ndirs = nknown = 0;
	assert_int_equal(nftw("tests/fixtures", visit, 16, FTW_PHYS), 0);
	assert_int_equal(nftw("examples", visit, 16, FTW_PHYS), 0);
	print_message("%zu directories, %zu detected\n", ndirs, nknown);
	/* The walk reached the provider fixtures, not just a few folders. */
	assert_true(ndirs > 500);
	assert_true(nknown > 100);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dir_scores_bounded),
	};

	RUN_TESTS("registry", tests, argc, argv);
}
