/*
 * test_hardening.c: trust hardening of signing and verification.
 * Untrusted text is escaped before it reaches a terminal (lib/diag.c);
 * keyrings are schema-checked; key ids are canonical; private key files
 * must be private; plugins' ancestor directories are checked.
 */
#include "testutil.h"

#include <fcntl.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "checks/check.h"
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

/* term_fputs() keeps long valid UTF-8 text whole across its chunks. */
static void
fputs_long_utf8(void **state)
{
	char in[3 * 400 + 1], buf[4096];
	FILE *fp;
	size_t i, n;

	(void)state;
	for (i = 0; i < 400; i++)
		memcpy(in + 3 * i, "\xe2\x9c\x93", 3); /* U+2713 */
	in[3 * 400] = '\0';
	assert_non_null(fp = tmpfile());
	term_fputs(fp, in);
	term_fputs(fp, "\x1b");
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	assert_int_equal(n, 3 * 400 + 4);
	assert_memory_equal(buf, in, 3 * 400);
	assert_string_equal(buf + 3 * 400, "\\x1b");
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

#define KEY_ID \
	"9492d5e693b78ee332a8fe677b998acbdea977d188d405d3dbab428e199228eb"

/* Write text to a fresh file under /tmp; returns its path (static). */
static const char *
tmp_file(const char *name, const char *text, unsigned int mode)
{
	static char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "/tmp/rampart-hard-%ld-%s", (long)getpid(),
	    name);
	unlink(path);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/*
 * Every misspelled or unknown entry key is an error at its line:col (a
 * note names the field meant), where before it was silently ignored and
 * the key stayed trusted; the same entry with the right key loads.
 */
static void
keyring_unknown_keys(void **state)
{
	static const char *const bad[] = { "revoked", "not_after", "retired",
		"expires", "revokedAt", "revoked_at_", "Revoked_at" };
	static const char *const good[] = { "revoked_at", "retired_at",
		"not_before" };
	char cwd[256], text[1024], want[256];
	const char *path;
	struct keyring *kr;
	struct diag d;
	size_t i;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
		    "keys:\n"
		    "  - id: \"%s\"\n"
		    "    path: %s/tests/fixtures/sign/test.pub\n"
		    "    %s: 2026-01-01T00:00:00Z\n",
		    KEY_ID, cwd, bad[i]);
		path = tmp_file("ring.yaml", text, 0644);
		diag_init(&d);
		assert_null(keyring_load(&d, path));
		snprintf(want, sizeof(want),
		    "ring.yaml:4:5: error: unknown key '%s' in keyring entry",
		    bad[i]);
		assert_diag_has(&d, want);
		diag_free(&d);
	}
	/* The note for the two typos the review found. */
	diag_init(&d);
	snprintf(text, sizeof(text),
	    "keys:\n  - id: \"%s\"\n    path: %s/tests/fixtures/sign/test.pub\n"
	    "    revoked: 2026-01-01T00:00:00Z\n",
	    KEY_ID, cwd);
	assert_null(keyring_load(&d, tmp_file("ring.yaml", text, 0644)));
	assert_diag_has(&d, "ring.yaml:4:5: note: did you mean 'revoked_at'?");
	diag_free(&d);
	/* An unknown top-level key, in JSON too. */
	diag_init(&d);
	snprintf(text, sizeof(text),
	    "{\"keys\": [{\"id\": \"%s\", \"path\": "
	    "\"%s/tests/fixtures/sign/test.pub\"}],\n \"revoked\": []}\n",
	    KEY_ID, cwd);
	assert_null(keyring_load(&d, tmp_file("ring.json", text, 0644)));
	assert_diag_has(
	    &d, "ring.json:2:2: error: unknown key 'revoked' in keyring");
	diag_free(&d);
	/* Compliant twins load, with the date in its field. */
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text),
		    "keys:\n"
		    "  - id: \"%s\"\n"
		    "    path: %s/tests/fixtures/sign/test.pub\n"
		    "    %s: 2026-01-01T00:00:00Z\n",
		    KEY_ID, cwd, good[i]);
		diag_init(&d);
		assert_non_null(
		    kr = keyring_load(&d, tmp_file("ring.yaml", text, 0644)));
		assert_int_equal(kr->n, 1);
		assert_int_equal(kr->v[0].not_before + kr->v[0].retired_at +
			kr->v[0].revoked_at,
		    1767225600);
		keyring_free(kr);
		diag_free(&d);
	}
	unlink(path);
}

/* Run a shell command built from a format; assert it succeeded. */
static void sh(const char *fmt, ...) PRINTF_LIKE(1, 2);
static void
sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

/* plugin_load(path) must fail with a message containing want. */
static void
plugin_refused(const char *path, const char *want)
{
	struct plugin_handle *h;
	struct diag d;

	diag_init(&d);
	h = plugin_load(&d, path);
	if (h != NULL)
		plugin_unload(h);
	assert_null(h);
	assert_diag_has(&d, want);
	diag_free(&d);
}

static void
plugin_loads(const char *path)
{
	struct plugin_handle *h;
	struct diag d;

	diag_init(&d);
	h = plugin_load(&d, path);
	if (h == NULL)
		diag_print(&d, stderr, 0, 0);
	assert_non_null(h);
	plugin_unload(h);
	diag_free(&d);
}

/*
 * Every ancestor of a plugin is checked, not only its parent: a group- or
 * other-writable directory two or three levels up (where anyone could
 * rename the parent away and put their own in its place) is refused, at
 * each level and for each mode; the same tree with 0755 loads.  Links:
 * one in a writable directory, and one leading through a writable
 * directory, are both refused.
 */
static void
plugin_ancestors(void **state)
{
	static const char *const levels[] = { "a", "a/b", "a/b/c" };
	static const unsigned int modes[] = { 0777, 0775, 0757, 0773 };
	char top[] = "/tmp/rampart-hard-plug-XXXXXX", path[512], dir[512];
	char want[640];
	size_t i, j;

	(void)state;
	assert_non_null(mkdtemp(top));
	sh("mkdir -p '%s/a/b/c' && cp build/plugins/example_plugin.so "
	   "'%s/a/b/c/p.so' && chmod 0755 '%s/a/b/c/p.so'",
	    top, top, top);
	snprintf(path, sizeof(path), "%s/a/b/c/p.so", top);
	plugin_loads(path);
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		for (j = 0; j < sizeof(modes) / sizeof(modes[0]); j++) {
			snprintf(dir, sizeof(dir), "%s/%s", top, levels[i]);
			assert_int_equal(chmod(dir, modes[j]), 0);
			snprintf(want, sizeof(want),
			    "refusing plugin: directory '%s' is writable by %s "
			    "(mode %04o)",
			    dir, (modes[j] & 02) ? "others" : "group",
			    modes[j]);
			plugin_refused(path, want);
			assert_int_equal(chmod(dir, 0755), 0);
		}
	}
	plugin_loads(path);
	/* Relative paths are made absolute before walking up. */
	assert_int_equal(chmod(top, 0777), 0);
	{
		char cwd[512], rel[512];

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_int_equal(chdir(top), 0);
		snprintf(rel, sizeof(rel), "a/b/c/p.so");
		snprintf(want, sizeof(want), "directory '%s' is writable", top);
		plugin_refused(rel, want);
		assert_int_equal(chdir(cwd), 0);
	}
	assert_int_equal(chmod(top, 0700), 0);
	/* A link kept in a writable directory. */
	sh("mkdir -m 0777 '%s/open' && ln -s '%s/a/b/c' '%s/open/l'", top, top,
	    top);
	snprintf(path, sizeof(path), "%s/open/l/p.so", top);
	snprintf(want, sizeof(want), "directory '%s/open' is writable", top);
	plugin_refused(path, want);
	/* A safe link leading through a writable directory. */
	sh("mkdir -m 0755 '%s/safe' && ln -s '%s/open/real' '%s/safe/l' && "
	   "mkdir -m 0755 '%s/open/real' && cp '%s/a/b/c/p.so' '%s/open/real/'",
	    top, top, top, top, top, top);
	snprintf(path, sizeof(path), "%s/safe/l/p.so", top);
	plugin_refused(path, want);
	sh("rm -rf '%s'", top);
}

#define FIX "tests/fixtures/sign/"

/* Copy a fixture to /tmp with a mode; returns the path (static). */
static const char *
copy_mode(const char *fixture, const char *name, unsigned int mode)
{
	static char path[512];

	snprintf(path, sizeof(path), "/tmp/rampart-hard-%ld-%s", (long)getpid(),
	    name);
	unlink(path);
	sh("cp '%s' '%s'", fixture, path);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/*
 * A private key any group or other user may access is refused (every
 * such mode bit, alone), as ssh does; 0600 and 0400 load.  An unencrypted
 * key loads with a warning at every use; an encrypted one without.
 */
static void
private_key_modes(void **state)
{
	static const unsigned int open_modes[] = { 0604, 0640, 0644, 0660, 0666,
		0610, 0601, 0620, 0602, 0700 | 0004 };
	static const unsigned int closed_modes[] = { 0600, 0400 };
	struct sign_key *k;
	const char *path;
	struct diag d;
	char want[256], *pass;
	size_t i, plen;

	(void)state;
	for (i = 0; i < sizeof(open_modes) / sizeof(open_modes[0]); i++) {
		path = copy_mode(FIX "test.key", "k.key", open_modes[i]);
		diag_init(&d);
		assert_null(key_load_private(&d, path, NULL, 0));
		snprintf(want, sizeof(want),
		    "error: refusing private key: permissions %04o are too "
		    "open",
		    open_modes[i]);
		assert_diag_has(&d, want);
		assert_diag_has(&d, "chmod 600");
		diag_free(&d);
	}
	for (i = 0; i < sizeof(closed_modes) / sizeof(closed_modes[0]); i++) {
		path = copy_mode(FIX "test.key", "k.key", closed_modes[i]);
		diag_init(&d);
		assert_non_null(k = key_load_private(&d, path, NULL, 0));
		assert_int_equal(d.nerrors, 0);
		assert_int_equal(d.nwarnings, 1);
		assert_diag_has(&d, "warning: private key is not encrypted");
		key_free(k);
		diag_free(&d);
	}
	unlink(path);
	/* Encrypted: no warning. */
	diag_init(&d);
	path = copy_mode(FIX "test-enc.key", "e.key", 0600);
	assert_int_equal(
	    key_read_passphrase(&d, FIX "test-enc.pass", 0, &pass, &plen), 0);
	assert_non_null(k = key_load_private(&d, path, pass, plen));
	assert_int_equal(d.n, 0);
	key_passphrase_free(pass, plen);
	key_free(k);
	diag_free(&d);
	unlink(path);
}

/*
 * keygen refuses a passphrase decryption would not accept (more than
 * PEM_BUFSIZE bytes), where before it wrote a key nobody could load; the
 * longest accepted one round-trips.
 */
static void
passphrase_cap(void **state)
{
	char pass[1026], path[256];
	struct sign_key *k, *back;
	struct diag d;

	(void)state;
	memset(pass, 'p', sizeof(pass));
	snprintf(path, sizeof(path), "/tmp/rampart-hard-%ld-cap.key",
	    (long)getpid());
	diag_init(&d);
	assert_non_null(k = key_generate(&d, KEY_ALG_ED25519));
	assert_int_equal(key_write_private(&d, k, path, pass, 1025), -1);
	assert_diag_has(&d, "passphrase is 1025 bytes long; at most 1024");
	diag_clear(&d);
	assert_int_equal(key_write_private(&d, k, path, pass, 1024), 0);
	assert_non_null(back = key_load_private(&d, path, pass, 1024));
	assert_string_equal(back->id, k->id);
	key_free(back);
	key_free(k);
	diag_free(&d);
	unlink(path);
}

/* RAMPART_PASSPHRASE is read once, then gone from the environment. */
static void
passphrase_env_dropped(void **state)
{
	struct diag d;
	char *pass;
	size_t plen;

	(void)state;
	diag_init(&d);
	assert_int_equal(setenv("RAMPART_PASSPHRASE", "s3cret-pass", 1), 0);
	assert_int_equal(key_read_passphrase(&d, NULL, 1, &pass, &plen), 0);
	assert_non_null(pass);
	assert_string_equal(pass, "s3cret-pass");
	assert_int_equal(plen, 11);
	assert_null(getenv("RAMPART_PASSPHRASE"));
	key_passphrase_free(pass, plen);
	/* Empty is still an error, and dropped too. */
	assert_int_equal(setenv("RAMPART_PASSPHRASE", "", 1), 0);
	assert_int_equal(key_read_passphrase(&d, NULL, 1, &pass, &plen), -1);
	assert_null(getenv("RAMPART_PASSPHRASE"));
	assert_diag_has(&d, "RAMPART_PASSPHRASE is empty");
	diag_free(&d);
}

/*
 * Loading a private key, generating one and reading a passphrase each
 * make the process non-dumpable (no core file, no ptrace by other
 * processes of the user) before the secret exists.  Each case runs in a
 * child, since the flag stays set.
 */
static void
secrets_not_dumpable(void **state)
{
	const char *path;
	pid_t pid;
	int how, st;

	(void)state;
	path = copy_mode(FIX "test.key", "d.key", 0600);
	for (how = 0; how < 3; how++) {
		assert_true((pid = fork()) >= 0);
		if (pid == 0) {
			struct diag d;
			struct sign_key *k = NULL;
			char *pass = NULL;
			size_t plen = 0;

			diag_init(&d);
			/* Earlier tests in this process held secrets. */
			if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0 ||
			    prctl(PR_GET_DUMPABLE) != 1)
				_exit(2);
			if (how == 0)
				k = key_load_private(&d, path, NULL, 0);
			else if (how == 1)
				k = key_generate(&d, KEY_ALG_ECDSA_P256);
			else if (key_read_passphrase(&d, FIX "test-enc.pass", 0,
				     &pass, &plen) == -1)
				_exit(3);
			if (how < 2 && k == NULL)
				_exit(3);
			_exit(prctl(PR_GET_DUMPABLE) == 0 ? 0 : 1);
		}
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	unlink(path);
}

/* The fixture public key re-encoded by openssl ec with extra options. */
static const char *
reencode(const char *name, const char *opts, int private)
{
	static char path[512];

	snprintf(path, sizeof(path), "/tmp/rampart-hard-%ld-%s", (long)getpid(),
	    name);
	sh("openssl ec %s -in " FIX "%s %s -out '%s' 2>/dev/null && "
	   "chmod 600 '%s'",
	    private ? "" : "-pubin", private ? "test.key" : "test.pub", opts,
	    path, path);
	return path;
}

/*
 * One key, one id: the fixture key read from a compressed-point or
 * hybrid SPKI (and from a compressed private key) gets the id of its
 * uncompressed named-curve form; explicit curve parameters are refused in
 * every form.
 */
static void
key_ids_canonical(void **state)
{
	static const char *const forms[] = { "-pubout -conv_form compressed",
		"-pubout -conv_form hybrid", "-pubout -conv_form uncompressed",
		"-pubout" };
	static const char *const explicit_forms[] = {
		"-pubout -param_enc explicit",
		"-pubout -param_enc explicit -conv_form compressed",
	};
	struct sign_key *k;
	struct diag d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		diag_init(&d);
		assert_non_null(
		    k = key_load_public(&d, reencode("c.pub", forms[i], 0)));
		assert_string_equal(k->id, KEY_ID);
		key_free(k);
		diag_free(&d);
	}
	diag_init(&d);
	assert_non_null(
	    k = key_load_private(
		&d, reencode("c.key", "-conv_form compressed", 1), NULL, 0));
	assert_string_equal(k->id, KEY_ID);
	key_free(k);
	diag_free(&d);
	for (i = 0; i < sizeof(explicit_forms) / sizeof(explicit_forms[0]);
	     i++) {
		diag_init(&d);
		assert_null(key_load_public(
		    &d, reencode("x.pub", explicit_forms[i], 0)));
		assert_diag_has(&d, "explicit curve parameters");
		diag_free(&d);
	}
	diag_init(&d);
	assert_null(key_load_private(
	    &d, reencode("x.key", "-param_enc explicit", 1), NULL, 0));
	assert_diag_has(&d, "explicit curve parameters");
	diag_free(&d);
}

/*
 * A keyring cannot hold one key twice: the fixture key and the same key
 * with a compressed point, under any id and name, are refused as a
 * duplicate (or as an id that is not the key's); two different keys load.
 */
static void
keyring_unique_by_key(void **state)
{
	char cwd[256], text[2048];
	const char *comp;
	struct keyring *kr;
	struct diag d;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	comp = reencode("comp.pub", "-pubout -conv_form compressed", 0);
	snprintf(text, sizeof(text),
	    "keys:\n"
	    "  - id: \"%s\"\n"
	    "    name: alice\n"
	    "    path: %s/tests/fixtures/sign/test.pub\n"
	    "    revoked_at: 2026-01-01T00:00:00Z\n"
	    "  - id: \"%s\"\n"
	    "    name: alice-again\n"
	    "    path: %s\n",
	    KEY_ID, cwd, KEY_ID, comp);
	diag_init(&d);
	assert_null(keyring_load(&d, tmp_file("ring.yaml", text, 0644)));
	assert_diag_has(&d, "ring.yaml:6:5: error: duplicate key in keyring");
	diag_free(&d);
	/* The id the compressed encoding used to hash to is not its id. */
	snprintf(text, sizeof(text),
	    "keys:\n"
	    "  - id: \"%s\"\n"
	    "    path: %s/tests/fixtures/sign/test.pub\n"
	    "    revoked_at: 2026-01-01T00:00:00Z\n"
	    "  - id: "
	    "\"db0e32d7bd0c3644c3d0bfd78af4ffc9a959d3760385e658b5a1686050fb6d3a"
	    "\"\n"
	    "    path: %s\n",
	    KEY_ID, cwd, comp);
	diag_init(&d);
	assert_null(keyring_load(&d, tmp_file("ring.yaml", text, 0644)));
	assert_diag_has(&d, "does not match its key, whose id is '" KEY_ID);
	diag_free(&d);
	/* Twin: two different keys. */
	snprintf(text, sizeof(text),
	    "keys:\n"
	    "  - id: \"%s\"\n"
	    "    path: %s/tests/fixtures/sign/test.pub\n"
	    "  - id: \"%s\"\n"
	    "    path: %s/tests/fixtures/sign/test-ed25519.pub\n",
	    KEY_ID, cwd, "PLACEHOLDER", cwd);
	{
		struct sign_key *ed;
		char *p;

		diag_init(&d);
		assert_non_null(
		    ed = key_load_public(&d, FIX "test-ed25519.pub"));
		assert_non_null(p = strstr(text, "PLACEHOLDER"));
		memmove(p + 64, p + 11, strlen(p + 11) + 1);
		memcpy(p, ed->id, 64);
		key_free(ed);
		assert_non_null(
		    kr = keyring_load(&d, tmp_file("ring.yaml", text, 0644)));
		assert_int_equal(kr->n, 2);
		keyring_free(kr);
		diag_free(&d);
	}
}

/* The provider named is the one OpenSSL fetched the operation from. */
static void
provider_named(void **state)
{
	static const char *const keys[] = { FIX "test.pub",
		FIX "test-ed25519.pub" };
	struct sign_key *k;
	struct diag d;
	const char *name;
	size_t i;

	(void)state;
	diag_init(&d);
	for (i = 0; i < 2; i++) {
		assert_non_null(k = key_load_public(&d, keys[i]));
		assert_non_null(name = key_provider_name(k));
		assert_string_equal(name, "default");
		key_free(k);
	}
	assert_non_null(k = key_generate(&d, KEY_ALG_ECDSA_P256));
	assert_string_equal(key_provider_name(k), "default");
	key_free(k);
	assert_null(key_provider_name(NULL));
	diag_free(&d);
}

/*
 * At signing, a TSA reply is checked against the CA, the policy, its
 * stated accuracy and the time of the exchange: a reply from a TSA whose
 * clock is two hours off (either way) is refused; the same reply inside
 * its window passes.  The reply comes from `openssl ts -reply`.
 */
static void
tsa_reply_checked(void **state)
{
	char dir[] = "/tmp/rampart-hard-tsa-XXXXXX", path[256];
	const char data[] = "signature bytes";
	char *der = NULL;
	size_t derlen = 0;
	struct diag d;
	int64_t now = (int64_t)time(NULL);

	(void)state;
	assert_non_null(mkdtemp(dir));
	sh("cd '%s' && "
	   "printf 'basicConstraints = critical, CA:FALSE\\nkeyUsage = "
	   "critical, digitalSignature\\nextendedKeyUsage = critical, "
	   "timeStamping\\n' >ext.cnf && "
	   "printf '[ tsa ]\\ndefault_tsa = c\\n[ c ]\\ndir = %s\\n"
	   "serial = %s/serial\\nsigner_cert = %s/tsa.pem\\n"
	   "certs = %s/tsa.pem\\nsigner_key = %s/tsa.key\\n"
	   "signer_digest = sha256\\ndefault_policy = 1.2.3.4.1\\n"
	   "digests = sha256\\naccuracy = secs:1\\n"
	   "ess_cert_id_alg = sha256\\n' >ts.cnf && echo 01 >serial && "
	   "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	   "-nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=ca "
	   "-addext basicConstraints=critical,CA:TRUE "
	   "-addext keyUsage=critical,keyCertSign 2>/dev/null && "
	   "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	   "-nodes -keyout tsa.key -out tsa.csr -subj /CN=tsa 2>/dev/null && "
	   "openssl x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key "
	   "-CAcreateserial -out tsa.pem -days 2 -extfile ext.cnf "
	   "2>/dev/null && "
	   "printf 'signature bytes' >data && "
	   "openssl ts -query -data data -sha256 -cert -out q.tsq 2>/dev/null "
	   "&& "
	   "openssl ts -reply -config ts.cnf -queryfile q.tsq -out r.tsr "
	   "2>/dev/null",
	    dir, dir, dir, dir, dir, dir);
	snprintf(path, sizeof(path), "%s/r.tsr", dir);
	diag_init(&d);
	assert_int_equal(file_read_all(&d, path, 0, &der, &derlen), 0);
	snprintf(path, sizeof(path), "%s/ca.pem", dir);
	assert_int_equal(tsa_check_reply(&d, (unsigned char *)der, derlen, data,
			     strlen(data), path, "1.2.3.4.1", now - 5, now + 5),
	    1);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(tsa_check_reply(&d, (unsigned char *)der, derlen, data,
			     strlen(data), path, NULL, now + 7200, now + 7201),
	    0);
	assert_diag_has(&d, "is not when it was asked");
	diag_clear(&d);
	assert_int_equal(tsa_check_reply(&d, (unsigned char *)der, derlen, data,
			     strlen(data), path, NULL, now - 7201, now - 7200),
	    0);
	assert_diag_has(&d, "is not when it was asked");
	diag_clear(&d);
	assert_int_equal(tsa_check_reply(&d, (unsigned char *)der, derlen, data,
			     strlen(data), path, "1.2.3.4.9", now - 5, now + 5),
	    0);
	assert_diag_has(&d, "policy '1.2.3.4.1', not the required '1.2.3.4.9'");
	diag_clear(&d);
	/* Over other data: the imprint does not match. */
	assert_int_equal(tsa_check_reply(&d, (unsigned char *)der, derlen,
			     "other", 5, path, NULL, now - 5, now + 5),
	    0);
	diag_free(&d);
	lib_free(der);
	sh("rm -rf '%s'", dir);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_every_byte),
		cmocka_unit_test(escape_utf8),
		cmocka_unit_test(fputs_long_utf8),
		cmocka_unit_test(diag_escapes_message_file_and_source),
		cmocka_unit_test(keyring_unknown_keys),
		cmocka_unit_test(plugin_ancestors),
		cmocka_unit_test(private_key_modes),
		cmocka_unit_test(passphrase_cap),
		cmocka_unit_test(passphrase_env_dropped),
		cmocka_unit_test(secrets_not_dumpable),
		cmocka_unit_test(key_ids_canonical),
		cmocka_unit_test(keyring_unique_by_key),
		cmocka_unit_test(provider_named),
		cmocka_unit_test(tsa_reply_checked),
	};

	RUN_TESTS("hardening", tests, argc, argv);
}
