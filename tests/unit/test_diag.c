/*
 * test_diag.c: diagnostic classes (lib/diag.c) and the one mapping of
 * classes to exit codes (cli/exit.c).  Each recording function gives its
 * class and the per-class counts add up to nerrors, also past the entry
 * cap and when the entry itself cannot be stored (out of memory: the
 * count is what makes the exit code 5); diag_move and diag_clear carry
 * and reset them; the errno rule; cli_exit_for over every combination of
 * classes; and real call sites: a missing input is input, a write to
 * /dev/full or under a regular file is system, an allocation failure in
 * the loader is system.
 */
#include "testutil.h"

#include <errno.h>

#include "cli/cli.h"
#include "cli/exit.c"

/* Sum of the per-class counts. */
static size_t
class_sum(const struct diag *d)
{
	size_t i, n = 0;

	for (i = 0; i < DIAG_NCLASS; i++)
		n += d->nclass[i];
	return n;
}

static void
test_classes(void **state)
{
	struct diag d;
	struct mark m = { "f.yaml", 3, 7 };

	(void)state;
	diag_init(&d);
	assert_int_equal(diag_err(&d, &m, "bad '%s'", "x"), -1);
	assert_int_equal(diag_sys(&d, NULL, "out of memory"), -1);
	assert_int_equal(diag_openssl(&d, NULL, "signing failed"), -1);
	assert_int_equal(diag_openssl_input(&d, &m, "cannot load CA"), -1);
	assert_int_equal(diag_err_class(&d, DIAG_USAGE, NULL, "bad -x"), -1);
	assert_int_equal(diag_warn(&d, &m, "a warning"), 0);
	assert_int_equal(diag_note(&d, &m, "a note"), 0);
	assert_int_equal(d.n, 7);
	assert_int_equal(d.v[0].cls, DIAG_INPUT);
	assert_int_equal(d.v[1].cls, DIAG_SYSTEM);
	assert_int_equal(d.v[2].cls, DIAG_CRYPTO);
	assert_int_equal(d.v[3].cls, DIAG_INPUT);
	assert_int_equal(d.v[4].cls, DIAG_USAGE);
	assert_int_equal(d.nerrors, 5);
	assert_int_equal(d.nwarnings, 1);
	assert_int_equal(d.nclass[DIAG_INPUT], 2);
	assert_int_equal(d.nclass[DIAG_SYSTEM], 1);
	assert_int_equal(d.nclass[DIAG_CRYPTO], 1);
	assert_int_equal(d.nclass[DIAG_USAGE], 1);
	/* Messages are what they were before classes existed. */
	assert_diag(&d, 0, "f.yaml:3:7: error: bad 'x'");
	assert_diag(&d, 1, "error: out of memory");
	assert_diag(&d, 2, "error: signing failed");
	/* A class out of range is not an index past nclass. */
	diag_err_class(&d, (enum diag_class)99, NULL, "odd");
	assert_int_equal(d.nclass[DIAG_SYSTEM], 2);
	assert_int_equal(class_sum(&d), d.nerrors);
	diag_clear(&d);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(class_sum(&d), 0);
	diag_free(&d);
}

static void
test_counts_past_cap(void **state)
{
	struct diag d;
	int i;

	(void)state;
	diag_init(&d);
	d.max = 2;
	for (i = 0; i < 5; i++)
		diag_err(&d, NULL, "input %d", i);
	diag_sys(&d, NULL, "out of memory");
	assert_int_equal(d.n, 2);
	assert_int_equal(d.nerrors, 6);
	assert_int_equal(d.nclass[DIAG_INPUT], 5);
	assert_int_equal(d.nclass[DIAG_SYSTEM], 1);
	/* The system error was never stored, yet it decides the code. */
	assert_int_equal(cli_exit_for(&d), EXIT_SYSTEM);
	diag_free(&d);
}

/*
 * Out of memory while recording: the entry is lost, the class is not.
 * For every allocation diag_sys makes, failing it keeps the count.
 */
static void
test_counts_under_oom(void **state)
{
	struct diag d;
	long nth;

	(void)state;
	for (nth = 1; nth <= 4; nth++) {
		diag_init(&d);
		lib_alloc_fail_at(nth);
		diag_sys(&d, NULL, "out of memory reading JSON");
		lib_alloc_fail_at(0);
		assert_int_equal(d.nclass[DIAG_SYSTEM], 1);
		assert_int_equal(d.nerrors, 1);
		assert_int_equal(cli_exit_for(&d), EXIT_SYSTEM);
		diag_free(&d);
	}
}

static void
test_move(void **state)
{
	struct diag a, b;

	(void)state;
	diag_init(&a);
	diag_init(&b);
	diag_err(&a, NULL, "a input");
	diag_sys(&b, NULL, "b system");
	diag_openssl(&b, NULL, "b crypto");
	diag_err(&b, NULL, "b input");
	diag_move(&a, &b);
	assert_int_equal(a.n, 4);
	assert_int_equal(a.nerrors, 4);
	assert_int_equal(a.nclass[DIAG_INPUT], 2);
	assert_int_equal(a.nclass[DIAG_SYSTEM], 1);
	assert_int_equal(a.nclass[DIAG_CRYPTO], 1);
	assert_int_equal(a.v[1].cls, DIAG_SYSTEM);
	assert_int_equal(b.n, 0);
	assert_int_equal(b.nerrors, 0);
	assert_int_equal(class_sum(&b), 0);
	/* The moved system error decides the exit code of the target. */
	assert_int_equal(cli_exit_for(&a), EXIT_SYSTEM);
	diag_free(&a);
	diag_free(&b);
}

static void
test_errno_rule(void **state)
{
	static const int input[] = { ENOENT, ENOTDIR, EISDIR, EACCES, EPERM,
		ELOOP, ENAMETOOLONG, ENXIO };
	static const int sys[] = { EIO, EMFILE, ENFILE, ENOMEM, ENOSPC, EDQUOT,
		EROFS, EINTR, EAGAIN, EBADF, 0 };
	struct diag d;
	struct mark m = { "in.json", 0, 0 };
	char want[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(input) / sizeof(input[0]); i++)
		assert_int_equal(diag_errno_class(input[i]), DIAG_INPUT);
	for (i = 0; i < sizeof(sys) / sizeof(sys[0]); i++)
		assert_int_equal(diag_errno_class(sys[i]), DIAG_SYSTEM);
	diag_init(&d);
	assert_int_equal(
	    diag_errno(&d, &m, ENOENT, "cannot open '%s'", "x"), -1);
	assert_int_equal(diag_errno(&d, &m, EIO, "read error"), -1);
	snprintf(want, sizeof(want), "in.json: error: cannot open 'x': %s",
	    strerror(ENOENT));
	assert_diag(&d, 0, want);
	snprintf(want, sizeof(want), "in.json: error: read error: %s",
	    strerror(EIO));
	assert_diag(&d, 1, want);
	assert_int_equal(d.v[0].cls, DIAG_INPUT);
	assert_int_equal(d.v[1].cls, DIAG_SYSTEM);
	diag_free(&d);
}

/* Every combination of classes present: system/crypto > input > usage. */
static void
test_exit_for_table(void **state)
{
	struct diag d;
	unsigned set, c;
	int want;

	(void)state;
	for (set = 0; set < 1u << DIAG_NCLASS; set++) {
		diag_init(&d);
		for (c = 0; c < DIAG_NCLASS; c++)
			if (set & 1u << c)
				diag_err_class(&d, (enum diag_class)c, NULL,
				    "class %u", c);
		/* Warnings never change the code. */
		diag_warn(&d, NULL, "warning");
		if (set & (1u << DIAG_SYSTEM | 1u << DIAG_CRYPTO))
			want = EXIT_SYSTEM;
		else if (set & 1u << DIAG_INPUT)
			want = EXIT_INVALID_INPUT;
		else if (set & 1u << DIAG_USAGE)
			want = EXIT_USAGE;
		else
			want = EXIT_SYSTEM; /* failed, reported nothing */
		if (cli_exit_for(&d) != want)
			fail_msg("classes 0x%x: exit %d, want %d", set,
			    cli_exit_for(&d), want);
		diag_free(&d);
	}
}

/* Real call sites: what the user named is input, the machine is system. */
static void
test_call_sites(void **state)
{
	struct diag d;
	struct arena *a;
	char dir[] = "/tmp/rampart-diag-XXXXXX", path[512];
	char *buf = NULL;
	size_t len = 0;
	struct doc_node **docs;
	size_t ndocs;
	long nth;
	int sawoom = 0, rc;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	diag_init(&d);
	/* A missing input file: input (exit 3). */
	snprintf(path, sizeof(path), "%s/missing.json", dir);
	assert_int_equal(file_read_all(&d, path, 0, &buf, &len), -1);
	assert_int_equal(d.nclass[DIAG_INPUT], 1);
	assert_int_equal(cli_exit_for(&d), EXIT_INVALID_INPUT);
	diag_clear(&d);
	/* An output under a regular file: the temporary file cannot be
	 * made (ENOTDIR), a system error (exit 5). */
	snprintf(path, sizeof(path), "%s/file", dir);
	assert_non_null(fp = fopen(path, "w"));
	fclose(fp);
	snprintf(path, sizeof(path), "%s/file/out.json", dir);
	assert_int_equal(atomic_write(&d, path, "{}", 2, 0644), -1);
	assert_int_equal(d.nclass[DIAG_SYSTEM], 1);
	assert_int_equal(d.nclass[DIAG_INPUT], 0);
	assert_int_equal(cli_exit_for(&d), EXIT_SYSTEM);
	diag_clear(&d);
	/* A full device: the write fails, a system error. */
	if (access("/dev/full", W_OK) == 0) {
		assert_int_equal(
		    atomic_write(&d, "/dev/full", "{}\n", 3, 0644), -1);
		assert_true(d.nclass[DIAG_SYSTEM] >= 1);
		assert_int_equal(d.nclass[DIAG_INPUT], 0);
		diag_clear(&d);
	}
	/* Out of memory anywhere in loading a document is system, never
	 * input: every failing allocation of a small load in turn. */
	snprintf(path, sizeof(path), "%s/in.json", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("{\"a\": [1, 2, {\"b\": \"c\"}], \"d\": true}\n", fp);
	fclose(fp);
	for (nth = 1; nth < 200; nth++) {
		assert_non_null(a = arena_new());
		lib_alloc_fail_at(nth);
		rc = doc_load_file(
		    a, &d, path, DOC_FMT_JSON, NULL, &docs, &ndocs);
		lib_alloc_fail_at(0);
		arena_free(a);
		if (rc == 0) {
			assert_int_equal(d.nerrors, 0);
			diag_clear(&d);
			break;
		}
		sawoom = 1;
		if (d.nclass[DIAG_INPUT] != 0 ||
		    cli_exit_for(&d) != EXIT_SYSTEM)
			fail_msg("allocation %ld failing: %zu input errors, "
				 "exit %d",
			    nth, d.nclass[DIAG_INPUT], cli_exit_for(&d));
		diag_clear(&d);
	}
	assert_true(sawoom);
	assert_true(nth < 200);
	diag_free(&d);
	unlink(path);
	snprintf(path, sizeof(path), "%s/file", dir);
	unlink(path);
	rmdir(dir);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_counts_past_cap),
		cmocka_unit_test(test_counts_under_oom),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_errno_rule),
		cmocka_unit_test(test_exit_for_table),
		cmocka_unit_test(test_call_sites),
	};

	RUN_TESTS("diag", tests, argc, argv);
}
