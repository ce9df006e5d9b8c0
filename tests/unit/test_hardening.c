/*
 * test_hardening.c: trust hardening of signing and verification.
 * Untrusted text is escaped before it reaches a terminal (lib/diag.c);
 * keyrings are schema-checked; key ids are canonical; private key files
 * must be private; plugins' ancestor directories are checked.
 */
#include "testutil.h"

#include <fcntl.h>

#include "reports/sign.h"

/* No byte that could drive a terminal: C0 (but tab when allowed), DEL. */
static void
assert_inert(const char *s, int tab_ok)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\t' && tab_ok)
			continue;
		if (*p < 0x20 || *p == 0x7f)
			fail_msg("raw control byte 0x%02x in '%s'", *p, s);
		/* C1 controls as raw bytes or as UTF-8 (C2 80..C2 9F). */
		if (*p >= 0x80 && *p <= 0x9f &&
		    (p == (const unsigned char *)s || p[-1] < 0x80))
			fail_msg("raw C1 byte 0x%02x in '%s'", *p, s);
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fail_msg("UTF-8 C1 control in '%s'", s);
	}
}

/* Every byte value, alone and inside text, comes out inert. */
static void
escape_every_byte(void **state)
{
	char in[8], out[64];
	int b;

	(void)state;
	for (b = 1; b < 256; b++) {
		in[0] = 'a';
		in[1] = (char)b;
		in[2] = 'z';
		in[3] = '\0';
		term_escape(out, sizeof(out), in, 3, 0);
		assert_inert(out, 0);
		if (b >= 0x20 && b < 0x7f)
			assert_int_equal((unsigned char)out[1], b);
		else
			assert_true(out[1] == '\\' && out[2] == 'x');
	}
	/* NUL bytes inside the given length are escaped, not cut at. */
	assert_int_equal(term_escape(out, sizeof(out), "a\0b", 3, 0), 6);
	assert_string_equal(out, "a\\x00b");
}

/* Multi-byte sequences: valid text passes, dangerous code points do not. */
static void
escape_utf8(void **state)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "\xe2\x9c\x93 ok", "\xe2\x9c\x93 ok" },
		{ "\xf0\x9f\x94\x91", "\xf0\x9f\x94\x91" },
		{ "\xc2\x9b"
		  "31m",
		    "\\xc2\\x9b31m" }, /* C1 CSI */
		{ "\x9b"
		  "31m",
		    "\\x9b31m" }, /* raw 8-bit CSI */
		{ "\xe2\x80\xae"
		  "txt",
		    "\\xe2\\x80\\xaetxt" }, /* RLO */
		{ "\xe2\x81\xa6", "\\xe2\\x81\\xa6" }, /* LRI */
		{ "\xc0\x9b", "\\xc0\\x9b" }, /* overlong */
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" }, /* surrogate */
		{ "\xe2\x9c", "\\xe2\\x9c" }, /* truncated */
		{ "\x1b]0;title\x07", "\\x1b]0;title\\x07" },
		{ "a\tb\r\n", "a\\x09b\\x0d\\x0a" },
	};
	char out[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		term_escape(out, sizeof(out), v[i].in, strlen(v[i].in), 0);
		assert_string_equal(out, v[i].out);
		assert_inert(out, 0);
	}
	/* keep_tab is for source lines (the caret lines up under tabs). */
	term_escape(out, sizeof(out), "a\tb", 3, 1);
	assert_string_equal(out, "a\tb");
	/* Truncation never cuts an escape in half. */
	assert_int_equal(term_escape(out, 6, "\x1b\x1b", 2, 0), 4);
	assert_string_equal(out, "\\x1b");
}

/* A diagnostic quoting hostile text, printed and formatted, is inert. */
static void
diag_escapes_message_file_and_source(void **state)
{
	char path[] = "/tmp/rampart-hard-\x1b[2J-XXXXXX";
	char buf[4096], fmt[2048];
	struct mark m;
	struct diag d;
	FILE *fp, *out;
	size_t n;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs("ok: 1\nkey: \x1b[1;32mverified\x1b[0m\tx\xc2\x9b\n", fp);
	assert_int_equal(fclose(fp), 0);
	m.file = path;
	m.line = 2;
	m.col = 21;
	diag_init(&d);
	diag_err(&d, &m, "bad hint '%s'", "\x1b[2J\x1b[Hverified: eligible");
	diag_format(&d, 0, fmt, sizeof(fmt));
	assert_inert(fmt, 0);
	assert_non_null(strstr(fmt, "\\x1b[2J\\x1b[Hverified"));
	assert_non_null(strstr(fmt, "rampart-hard-\\x1b[2J"));
	assert_non_null(out = tmpfile());
	diag_print(&d, out, 1, 0);
	rewind(out);
	n = fread(buf, 1, sizeof(buf) - 1, out);
	buf[n] = '\0';
	fclose(out);
	/* Only the line ends are raw; every other byte is inert. */
	{
		char *line;
		int nl = 0;

		for (line = buf; (line = strchr(line, '\n')) != NULL; line++)
			nl++;
		assert_int_equal(nl, 3); /* message, source, caret */
	}
	for (n = 0; buf[n] != '\0'; n++)
		if (buf[n] != '\n' && buf[n] != '\t')
			assert_false((unsigned char)buf[n] < 0x20);
	assert_non_null(
	    strstr(buf, "\\x1b[1;32mverified\\x1b[0m\tx\\xc2\\x9b"));
	/*
	 * Column 21 is the second ESC; before it "key: " (5), one escape
	 * (4), "[1;32m" (6) and "verified" (8): the caret is under the
	 * escape, 23 columns in.
	 */
	assert_non_null(strstr(buf,
	    "\n       | "
	    "                       ^\n"));
	diag_free(&d);
	unlink(path);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_every_byte),
		cmocka_unit_test(escape_utf8),
		cmocka_unit_test(diag_escapes_message_file_and_source),
	};

	RUN_TESTS("hardening", tests, argc, argv);
}
