/*
 * test_progress.c: the progress line (cli/progress.c), compiled into the
 * test.  Its text is escaped and cut to the width without splitting a
 * UTF-8 sequence; on stderr (a file here, with COLUMNS set, as the ioctl
 * fails on a file) a shorter line is padded over the longer one, the
 * line is erased with spaces and never holds an escape code, and nothing
 * at all is written when stderr is not a terminal.
 */
#include "testutil.h"

#include <fcntl.h>

#include "cli/progress.c"

static void
test_fit(void **state)
{
	char buf[256];

	(void)state;
	assert_int_equal(progress_fit(buf, sizeof(buf), "abcdef", 4), 4);
	assert_string_equal(buf, "abcd");
	assert_int_equal(progress_fit(buf, sizeof(buf), "abc", 10), 3);
	assert_string_equal(buf, "abc");
	/* "é" is two bytes and one column: never cut in two. */
	assert_int_equal(
	    progress_fit(buf, sizeof(buf), "\xc3\xa9\xc3\xa9x", 2), 2);
	assert_string_equal(buf, "\xc3\xa9\xc3\xa9");
	/* A control byte cannot reach the terminal. */
	progress_fit(buf, sizeof(buf), "a\x1b[2Jb", 40);
	assert_null(strchr(buf, '\x1b'));
	assert_non_null(strstr(buf, "\\x1b"));
	assert_int_equal(progress_fit(buf, sizeof(buf), "", 10), 0);
	assert_string_equal(buf, "");
}

/* Run f with stderr going to a temporary file; its text into out. */
static void
capture(void (*f)(struct progress *), struct progress *p, char *out, size_t len)
{
	char path[] = "/tmp/rampart-progress.XXXXXX";
	int fd, saved;
	ssize_t n;

	assert_true((fd = mkstemp(path)) >= 0);
	fflush(stderr);
	assert_true((saved = dup(STDERR_FILENO)) >= 0);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	f(p);
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	assert_true(lseek(fd, 0, SEEK_SET) == 0);
	assert_true((n = read(fd, out, len - 1)) >= 0);
	out[n] = '\0';
	close(fd);
	unlink(path);
}

static void
draw(struct progress *p)
{
	progress_update(p, "rampart: reading %s...", "a-long-file-name.json");
	progress_update(p, "rampart: reading %s...", "b");
	progress_clear(p);
	progress_clear(p); /* nothing shown: nothing written */
}

static void
test_line(void **state)
{
	struct progress p;
	struct cli c;
	char out[512];

	(void)state;
	memset(&c, 0, sizeof(c));
	setenv("COLUMNS", "21", 1);
	progress_start(&p, &c);
	assert_int_equal(p.on, 0);
	capture(draw, &p, out, sizeof(out));
	assert_string_equal(out, "");

	/* As on a terminal 21 columns wide: 20 are used. */
	p.on = 1;
	capture(draw, &p, out, sizeof(out));
	assert_string_equal(out,
	    "\rrampart: reading a-l"
	    "\rrampart: reading b.."
	    "\r                    \r");
	assert_int_equal(p.width, 0);
	assert_null(strchr(out, '\x1b'));

	/* A shorter line is padded over the longer one. */
	setenv("COLUMNS", "80", 1);
	capture(draw, &p, out, sizeof(out));
	assert_string_equal(out,
	    "\rrampart: reading a-long-file-name.json..."
	    "\rrampart: reading b...                    "
	    "\r                                         \r");
	unsetenv("COLUMNS");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_line),
	};

	RUN_TESTS("progress", tests, argc, argv);
}
