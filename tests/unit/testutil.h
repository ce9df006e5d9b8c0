/*
 * testutil.h: shared helpers for the cmocka unit tests.  Each test file
 * includes this after <cmocka.h>'s prerequisites.
 *
 * A test binary takes an optional name filter as argv[1] (a glob), as
 * libssh's torture does: `build/tests/test_json 'surrogate*'`.
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
#include <sys/stat.h>
#include <cmocka.h>

#include "lib/lib.h"

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

#endif
