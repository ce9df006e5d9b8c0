/*
 * test_keyring.c: keyring entries' ids and dates (reports/keyring.c).
 * A key id written as a bare number gets a message saying so (not that
 * the id is missing); validity dates go through the strict time parser
 * and each refusal names the field, the value and the reason, with
 * file:line:col; a valid twin of each loads with the right time.
 */
#include "testutil.h"

#include "reports/sign.h"

#define KEY_ID \
	"9492d5e693b78ee332a8fe677b998acbdea977d188d405d3dbab428e199228eb"

static char dir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/rampart-keyring-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/ring.yaml", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Write a one-key keyring whose entry has the extra line `extra`. */
static const char *
ring(const char *id, const char *extra)
{
	static char path[512];
	char cwd[256];
	FILE *fp;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(path, sizeof(path), "%s/ring.yaml", dir);
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp,
	    "keys:\n"
	    "  - id: %s\n"
	    "    path: %s/tests/fixtures/sign/test.pub\n"
	    "%s",
	    id, cwd, extra);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void
digit_id_is_named_a_number(void **state)
{
	static const char *const ids[] = { "12345", "0123", "1e5", "3.5" };
	struct diag d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		char want[128];

		diag_init(&d);
		assert_null(keyring_load(&d, ring(ids[i], "")));
		snprintf(want, sizeof(want),
		    "ring.yaml:2:9: error: keyring entry id %s is a number, "
		    "not a string",
		    ids[i]);
		assert_diag_has(&d, want);
		assert_diag_has(&d, "quote it");
		diag_free(&d);
	}
	/* Quoted, it is a string: the id is then compared with the key's. */
	diag_init(&d);
	assert_null(keyring_load(&d, ring("'12345'", "")));
	assert_diag_has(&d, "keyring entry id '12345' does not match its key");
	diag_free(&d);
	/* Missing is still missing. */
	diag_init(&d);
	assert_null(keyring_load(&d, ring("null", "")));
	assert_diag_has(&d, "keyring entry id must be a string of hex digits");
	diag_free(&d);
}

static void
dates_are_strict(void **state)
{
	static const struct {
		const char *line, *why;
	} bad[] = {
		{ "    not_before: 20261231\n", "found int '20261231'" },
		{ "    not_before: '20261231'\n", "not a number" },
		{ "    retired_at: 2025-02-29T00:00:00Z\n", "not a leap year" },
		{ "    revoked_at: 2026-12-03T24:00:00Z\n",
		    "hour out of range" },
		{ "    revoked_at: 2026-12-03T08:00:00\n", "no UTC offset" },
		{ "    retired_at: '2026-12-03 08:00:00Z'\n",
		    "a space instead" },
		{ "    retired_at: NaN\n", "four-digit year" },
		{ "    not_before: 1969-12-31T00:00:00Z\n",
		    "is not after 1970" },
	};
	struct keyring *kr;
	struct diag d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		diag_init(&d);
		assert_null(keyring_load(&d, ring(KEY_ID, bad[i].line)));
		assert_diag_has(&d, "ring.yaml:4:17: error: '");
		assert_diag_has(&d, bad[i].why);
		diag_free(&d);
	}
	/* The compliant twins. */
	diag_init(&d);
	kr = keyring_load(&d,
	    ring(KEY_ID,
		"    not_before: 2024-02-29\n"
		"    retired_at: 2026-12-03T13:30:00+05:30\n"
		"    revoked_at: 2026-12-03T08:00:00.5z\n"));
	assert_non_null(kr);
	assert_int_equal(kr->v[0].not_before, 1709164800);
	assert_int_equal(kr->v[0].retired_at, 1796284800);
	assert_int_equal(kr->v[0].revoked_at, 1796284800);
	keyring_free(kr);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    digit_id_is_named_a_number, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    dates_are_strict, setup, teardown),
	};

	RUN_TESTS("keyring", tests, argc, argv);
}
