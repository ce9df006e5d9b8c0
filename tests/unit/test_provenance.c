/*
 * test_provenance.c: what a signed statement pins (reports/provenance.c):
 * the directory manifest and its order, rechecking every pin (each change,
 * removal and addition named), pins through a signed bundle and back, and
 * verification of a pinned statement with each allocation failing.
 */
#include "testutil.h"

#include "reports/sign.h"

#define FIX "tests/fixtures/sign/"

static char tmpdir[64];

static int
setup_tmp(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/rampart-test-prov-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int
teardown_tmp(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static const char *
tpath(const char *name)
{
	static char buf[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmpdir, name);
	return buf[i];
}

static void
put(const char *name, const char *s)
{
	FILE *fp = fopen(tpath(name), "w");

	assert_non_null(fp);
	fputs(s, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Files of the test directory input "in", in manifest order. */
static const char *const files[] = { "a/b.json", "a/c/d.json", "a.txt",
	"z.json" };
#define NFILES (sizeof(files) / sizeof(files[0]))

static void
make_input(void)
{
	char rel[64];
	size_t i;

	assert_int_equal(mkdir(tpath("in"), 0755), 0);
	assert_int_equal(mkdir(tpath("in/a"), 0755), 0);
	assert_int_equal(mkdir(tpath("in/a/c"), 0755), 0);
	for (i = 0; i < NFILES; i++) {
		snprintf(rel, sizeof(rel), "in/%s", files[i]);
		put(rel, files[i]);
	}
	/* Skipped: dot names and symbolic links. */
	put("in/.hidden", "x");
	assert_int_equal(symlink("z.json", tpath("in/link.json")), 0);
	put("poam.yaml", "items: []\n");
}

/*
 * The manifest: depth first, each directory sorted ("a" before "a.txt",
 * so a/... precedes a.txt although '.' < '/'), "REL\0HEX\n" per file.
 */
static void
test_dir_manifest(void **state)
{
	struct sign_pin *v;
	struct strbuf sb;
	struct arena *a;
	struct diag d;
	char digest[SHA256_HEX_LEN + 1], want[SHA256_HEX_LEN + 1];
	char hex[SHA256_HEX_LEN + 1];
	size_t n, i;

	(void)state;
	make_input();
	diag_init(&d);
	assert_non_null(a = arena_new());
	assert_int_equal(pins_dir(a, &d, tpath("in"), &v, &n, digest), 0);
	assert_int_equal(n, NFILES);
	sb_init(&sb);
	for (i = 0; i < n; i++) {
		assert_string_equal(v[i].name, files[i]);
		assert_string_equal(v[i].role, "input-file");
		assert_string_equal(v[i].input, tpath("in"));
		sha256_hex(files[i], strlen(files[i]), hex);
		assert_string_equal(v[i].sha256, hex);
		sb_adds(&sb, files[i]);
		sb_addc(&sb, '\0');
		sb_adds(&sb, hex);
		sb_addc(&sb, '\n');
	}
	sha256_hex(sb.s, sb.len, want);
	assert_string_equal(digest, want);
	sb_free(&sb);
	/* A missing directory is an error, not an empty manifest. */
	assert_int_equal(pins_dir(a, &d, tpath("nope"), &v, &n, digest), -1);
	arena_free(a);
	diag_free(&d);
}

/* Pins of the test input: its manifest digest and files, and a POA&M. */
static void
pins_of_input(struct arena *a, struct sign_pin **out, size_t *n)
{
	struct sign_pin *files_v, *v;
	char digest[SHA256_HEX_LEN + 1], hex[SHA256_HEX_LEN + 1];
	struct diag d;
	size_t nf, i;

	diag_init(&d);
	assert_int_equal(
	    pins_dir(a, &d, tpath("in"), &files_v, &nf, digest), 0);
	assert_non_null(v = arena_alloc(a, (nf + 3) * sizeof(*v)));
	memset(v, 0, (nf + 3) * sizeof(*v));
	v[0].role = "tool";
	v[0].name = "rampart";
	v[0].sha256 = arena_strdup(a, digest); /* any digest */
	v[1].role = "poam";
	v[1].name = "poam.yaml";
	assert_int_equal(sha256_file_hex(&d, tpath("poam.yaml"), hex), 0);
	v[1].sha256 = arena_strdup(a, hex);
	v[2].role = "input";
	v[2].name = "in";
	v[2].sha256 = arena_strdup(a, digest);
	for (i = 0; i < nf; i++) {
		v[3 + i] = files_v[i];
		v[3 + i].input = "in";
	}
	*out = v;
	*n = nf + 3;
	diag_free(&d);
}

static const struct pin_check *
find_check(const struct pin_check *c, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return &c[i];
	return NULL;
}

/*
 * The class: one byte of any pinned file changed, any file removed, a
 * file added: each named with its status, nothing else flagged but the
 * directory input holding it; the unchanged tree rechecks clean.
 */
static void
test_recheck_every_pin(void **state)
{
	const char *dirs[1] = { tmpdir };
	const char *all[NFILES + 1];
	const struct pin_check *pc;
	struct pin_check *c;
	struct sign_pin *v;
	struct arena *a;
	struct diag d;
	char rel[64], *buf;
	size_t n, nc, i, j, len;
	FILE *fp;

	(void)state;
	make_input();
	diag_init(&d);
	assert_non_null(a = arena_new());
	pins_of_input(a, &v, &n);
	assert_int_equal(pins_recheck(a, &d, v, n, dirs, 1, &c, &nc), 0);
	assert_int_equal(nc, n);
	assert_int_equal(c[0].status, PIN_NOT_RECHECKED);
	for (i = 1; i < nc; i++)
		assert_int_equal(c[i].status, PIN_OK);
	for (i = 0; i < NFILES; i++)
		all[i] = files[i];
	all[NFILES] = "poam.yaml";
	for (i = 0; i <= NFILES; i++) {
		int removed;

		for (removed = 0; removed < 2; removed++) {
			if (i < NFILES)
				snprintf(rel, sizeof(rel), "in/%s", all[i]);
			else
				snprintf(rel, sizeof(rel), "%s", all[i]);
			assert_int_equal(
			    file_read_all(&d, tpath(rel), 0, &buf, &len), 0);
			if (removed) {
				assert_int_equal(unlink(tpath(rel)), 0);
			} else {
				fp = fopen(tpath(rel), "r+");
				assert_non_null(fp);
				fputc(buf[0] ^ 1, fp);
				fclose(fp);
			}
			assert_true(
			    pins_recheck(a, &d, v, n, dirs, 1, &c, &nc) >= 1);
			pc = find_check(c, nc, all[i]);
			assert_non_null(pc);
			assert_int_equal(
			    pc->status, removed ? PIN_MISSING : PIN_CHANGED);
			for (j = 1; j < nc; j++) {
				if (&c[j] == pc ||
				    (i < NFILES &&
					strcmp(c[j].name, "in") == 0))
					continue;
				assert_int_equal(c[j].status, PIN_OK);
			}
			if (i < NFILES)
				assert_int_equal(
				    find_check(c, nc, "in")->status,
				    PIN_CHANGED);
			fp = fopen(tpath(rel), "w");
			assert_non_null(fp);
			assert_int_equal(fwrite(buf, 1, len, fp), len);
			fclose(fp);
			lib_free(buf);
		}
	}
	/* An added file: unpinned, and the directory changed. */
	put("in/a/new.json", "{}");
	assert_int_equal(pins_recheck(a, &d, v, n, dirs, 1, &c, &nc), 2);
	assert_non_null(pc = find_check(c, nc, "a/new.json"));
	assert_int_equal(pc->status, PIN_UNPINNED);
	assert_int_equal(find_check(c, nc, "in")->status, PIN_CHANGED);
	assert_int_equal(unlink(tpath("in/a/new.json")), 0);
	/* A live TLS probe has no file to recheck: listed, not missing. */
	{
		struct sign_pin tls = { "input", "tls-endpoint",
			"555555555555555555555555555555555555555555555555555555"
			"5555555555",
			NULL, "tls", NULL, NULL, NULL, NULL, NULL, NULL };

		assert_int_equal(
		    pins_recheck(a, &d, &tls, 1, dirs, 1, &c, &nc), 0);
		assert_int_equal(c[0].status, PIN_NOT_RECHECKED);
	}
	/* Nothing under the directory given: every pin missing. */
	dirs[0] = "/nonexistent-rampart-dir";
	assert_int_equal(
	    pins_recheck(a, &d, v, n, dirs, 1, &c, &nc), (long)n - 1);
	arena_free(a);
	diag_free(&d);
}

static struct sign_key *
load_priv(const char *path)
{
	struct sign_key *k;
	struct diag d;

	/* git checks key fixtures out 0644; a key must be 0600 (as ssh). */
	assert_int_equal(chmod(path, 0600), 0);
	diag_init(&d);
	k = key_load_private(&d, path, NULL, 0);
	diag_free(&d);
	assert_non_null(k);
	return k;
}

static const struct sign_pin sample_pins[] = {
	{ "tool", "rampart",
	    "1111111111111111111111111111111111111111111111111111111111111111",
	    NULL, NULL, NULL, NULL, "0.1.0", "abcd", NULL, NULL },
	{ "baseline", "fedramp-moderate",
	    "2222222222222222222222222222222222222222222222222222222222222222",
	    NULL, NULL, NULL, NULL, NULL, NULL, "bl.yaml", NULL },
	{ "input", "exp",
	    "3333333333333333333333333333333333333333333333333333333333333333",
	    NULL, "aws-cli", "2026-11-30T00:00:00Z", "file modification time",
	    NULL, NULL, NULL, NULL },
	{ "input-file", "iam/users.json",
	    "4444444444444444444444444444444444444444444444444444444444444444",
	    "exp", NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};
static const struct sign_option sample_opts[] = { { "gate", "checks" },
	{ "max_evidence_age_days", "30" } };
static const struct sign_control sample_ctl[] = { { "AC-2", "pass" },
	{ "SC-8", "error" } };

static void
pinned_meta(struct sign_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->verdict = SIGN_VERDICT_INCOMPLETE;
	m->finished = "2026-12-01T00:00:00Z";
	m->sign_time = "2026-12-01T00:00:00Z";
	m->pins = sample_pins;
	m->npins = 4;
	m->options = sample_opts;
	m->noptions = 2;
	m->controls = sample_ctl;
	m->ncontrols = 2;
}

static char *
pinned_bundle(const struct sign_key *k, const char *body)
{
	struct sign_meta m;
	struct strbuf sb;
	struct diag d;
	char digest[SHA256_HEX_LEN + 1];

	pinned_meta(&m);
	sha256_hex(body, strlen(body), digest);
	sb_init(&sb);
	diag_init(&d);
	assert_int_equal(
	    bundle_build(&d, &sb, "report.json", digest, &m, k, NULL), 0);
	diag_free(&d);
	return sb_detach(&sb);
}

/* Pins, options and statuses survive signing and verification intact. */
static void
test_pins_round_trip(void **state)
{
	const char *body = "{\"verdict\": \"incomplete\"}\n";
	struct verify_opts o;
	struct verify_result r;
	struct sign_key *k;
	struct sign_meta m;
	struct strbuf sb;
	struct arena *a;
	struct diag d;
	struct sign_pin bad;
	char *b;
	size_t i;

	(void)state;
	diag_init(&d);
	k = load_priv(FIX "test.key");
	b = pinned_bundle(k, body);
	memset(&o, 0, sizeof(o));
	o.key = k;
	assert_non_null(a = arena_new());
	assert_int_equal(bundle_verify_buf(a, &d, "b", b, strlen(b), body,
			     strlen(body), &o, &r),
	    VERIFY_VALID);
	assert_int_equal(r.npins, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(r.pins[i].role, sample_pins[i].role);
		assert_string_equal(r.pins[i].name, sample_pins[i].name);
		assert_string_equal(r.pins[i].sha256, sample_pins[i].sha256);
	}
	assert_string_equal(r.pins[3].input, "exp");
	assert_string_equal(r.pins[2].collected, "2026-11-30T00:00:00Z");
	assert_string_equal(r.pins[1].path, "bl.yaml");
	assert_string_equal(r.build_id, "abcd");
	assert_string_equal(r.tool_version, "0.1.0");
	assert_int_equal(r.noptions, 2);
	assert_string_equal(r.options[0].value, "checks");
	assert_int_equal(r.ncontrols, 2);
	assert_string_equal(r.controls[1].id, "SC-8");
	assert_string_equal(r.controls[1].status, "error");
	/* A pin without a valid digest is never signed. */
	pinned_meta(&m);
	bad = sample_pins[2];
	bad.sha256 = "0";
	m.pins = &bad;
	m.npins = 1;
	sb_init(&sb);
	assert_int_equal(bundle_build(&d, &sb, "report.json",
			     sample_pins[0].sha256, &m, k, NULL),
	    -1);
	sb_free(&sb);
	lib_free(b);
	key_free(k);
	arena_free(a);
	diag_free(&d);
}

/* A pinned statement under each allocation failing: never valid. */
static void
test_pinned_verify_alloc_failure(void **state)
{
	const char *body = "{}";
	struct verify_opts o;
	struct verify_result r;
	struct sign_key *k;
	struct arena *a;
	struct diag d;
	long n, total;
	char *b;
	int rc;

	(void)state;
	diag_init(&d);
	k = load_priv(FIX "test.key");
	b = pinned_bundle(k, body);
	memset(&o, 0, sizeof(o));
	o.key = k;
	assert_non_null(a = arena_new());
	lib_alloc_fail_at(0);
	assert_int_equal(bundle_verify_buf(a, &d, "b", b, strlen(b), body,
			     strlen(body), &o, &r),
	    VERIFY_VALID);
	total = lib_alloc_count();
	arena_free(a);
	assert_true(total > 0);
	for (n = 1; n <= total; n++) {
		assert_non_null(a = arena_new());
		diag_clear(&d);
		lib_alloc_fail_at(n);
		rc = bundle_verify_buf(
		    a, &d, "b", b, strlen(b), body, strlen(body), &o, &r);
		lib_alloc_fail_at(0);
		if (rc == VERIFY_VALID)
			fail_msg("allocation %ld of %ld failed, yet valid", n,
			    total);
		arena_free(a);
	}
	lib_free(b);
	key_free(k);
	diag_free(&d);
}

#define HEX64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* report.json's provenance: read back exactly, or refused. */
static void
test_report_provenance(void **state)
{
	static const char *const bad[] = {
		/* digest not 64 hex */
		"[{\"name\": \"x\", \"digest\": {\"sha256\": \"0\"}, "
		"\"annotations\": {\"role\": \"input\"}}], \"options\": {}",
		/* unknown role */
		"[{\"name\": \"x\", \"digest\": {\"sha256\": \"" HEX64 "\"}, "
		"\"annotations\": {\"role\": \"inptu\"}}], \"options\": {}",
		/* input-file without its input */
		"[{\"name\": \"x\", \"digest\": {\"sha256\": \"" HEX64 "\"}, "
		"\"annotations\": {\"role\": \"input-file\"}}], "
		"\"options\": {}",
		/* an option that is not a string */
		"[], \"options\": {\"gate\": 1}",
		/* no options */
		"[]",
	};
	const char *good = "[{\"name\": \"a/b.json\", \"digest\": "
			   "{\"sha256\": \"" HEX64 "\"}, \"annotations\": "
			   "{\"role\": \"input-file\", \"input\": \"in\"}}], "
			   "\"options\": {\"gate\": \"checks\"}";
	char cfg[1024], doc[2048];
	struct sign_meta m;
	struct arena *a;
	struct diag d;
	size_t i;

	(void)state;
	diag_init(&d);
	assert_non_null(a = arena_new());
	for (i = 0; i <= sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(cfg, sizeof(cfg), "%s",
		    i < sizeof(bad) / sizeof(bad[0]) ? bad[i] : good);
		snprintf(doc, sizeof(doc),
		    "{\"verdict\": \"eligible\", \"controls\": [], "
		    "\"provenance\": {\"configuration\": %s}}",
		    cfg);
		diag_clear(&d);
		if (i < sizeof(bad) / sizeof(bad[0])) {
			assert_int_equal(
			    sign_meta_from_report(
				a, &d, "report.json", doc, strlen(doc), &m),
			    -1);
			assert_true(d.nerrors > 0);
			continue;
		}
		assert_int_equal(sign_meta_from_report(a, &d, "report.json",
				     doc, strlen(doc), &m),
		    0);
		assert_int_equal(m.npins, 1);
		assert_string_equal(m.pins[0].input, "in");
		assert_string_equal(m.pins[0].sha256, HEX64);
		assert_int_equal(m.noptions, 1);
		assert_string_equal(m.options[0].value, "checks");
	}
	arena_free(a);
	diag_free(&d);
}

/*
 * A directory input holding 0 to 5 unpinned files, with 3 pins after it:
 * every pin and every unpinned file is listed once, in order.  The list
 * grew only while unpinned files were added, so with 2 or 3 of them the
 * pins after them were written past its end (ARENA_DEBUG under ASan).
 */
static void
test_recheck_many_unpinned(void **state)
{
	const char *dirs[1] = { tmpdir };
	const char *zero = "0000000000000000000000000000000000000000000000000"
			   "000000000000000";
	struct sign_pin v[] = {
		{ .role = "input", .sha256 = zero },
		{ .role = "input-file", .name = "f0.json", .sha256 = zero },
		{ .role = "baseline",
		    .name = "b",
		    .sha256 = zero,
		    .path = "no-such-baseline.yaml" },
		{ .role = "rules",
		    .name = "no-such-rules.yaml",
		    .sha256 = zero },
	};
	struct pin_check *c;
	struct arena *a;
	struct diag d;
	char dir[32], rel[64], name[32];
	size_t nc, i, k;

	(void)state;
	diag_init(&d);
	assert_non_null(a = arena_new());
	for (k = 0; k <= 5; k++) {
		snprintf(dir, sizeof(dir), "many%zu", k);
		v[0].name = v[1].input = dir;
		assert_int_equal(mkdir(tpath(dir), 0755), 0);
		for (i = 0; i <= k; i++) {
			snprintf(rel, sizeof(rel), "%s/f%zu.json", dir, i);
			put(rel, "{}");
		}
		/* The directory and f0 changed, k unpinned, 2 missing. */
		assert_int_equal(
		    pins_recheck(a, &d, v, 4, dirs, 1, &c, &nc), (long)(4 + k));
		assert_int_equal(nc, 4 + k);
		assert_string_equal(c[0].name, dir);
		assert_int_equal(c[0].status, PIN_CHANGED);
		for (i = 1; i <= k; i++) {
			snprintf(name, sizeof(name), "f%zu.json", i);
			assert_string_equal(c[i].name, name);
			assert_string_equal(c[i].input, dir);
			assert_int_equal(c[i].status, PIN_UNPINNED);
		}
		assert_string_equal(c[k + 1].name, "f0.json");
		assert_int_equal(c[k + 1].status, PIN_CHANGED);
		assert_string_equal(c[k + 2].name, "b");
		assert_int_equal(c[k + 2].status, PIN_MISSING);
		assert_string_equal(c[k + 3].name, "no-such-rules.yaml");
		assert_int_equal(c[k + 3].status, PIN_MISSING);
	}
	arena_free(a);
	diag_free(&d);
}

/*
 * The tool pin's digest: hashed on its own thread (scan --jobs) or on
 * the caller's, it is the digest of the running binary, every time.
 */
static void
test_self_digest(void **state)
{
	struct diag d;
	char want[SHA256_HEX_LEN + 1], got[SHA256_HEX_LEN + 1];

	(void)state;
	diag_init(&d);
	assert_int_equal(sha256_file_hex(&d, "/proc/self/exe", want), 0);
	lib_self_sha256_wait(); /* nothing started: returns */
	lib_self_sha256_start();
	lib_self_sha256_start(); /* started: no second thread */
	memset(got, 0, sizeof(got));
	assert_int_equal(lib_self_sha256(&d, got), 0);
	assert_string_equal(got, want);
	memset(got, 0, sizeof(got));
	assert_int_equal(lib_self_sha256(&d, got), 0);
	assert_string_equal(got, want);
	lib_self_sha256_wait();
	assert_int_equal(d.n, 0);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_dir_manifest, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(
		    test_recheck_every_pin, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(
		    test_recheck_many_unpinned, setup_tmp, teardown_tmp),
		cmocka_unit_test(test_pins_round_trip),
		cmocka_unit_test(test_self_digest),
		cmocka_unit_test(test_pinned_verify_alloc_failure),
		cmocka_unit_test(test_report_provenance),
	};

	RUN_TESTS("provenance", tests, argc, argv);
}
