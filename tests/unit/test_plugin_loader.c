/*
 * test_plugin_loader.c: loading external plugins (checks/plugin.c).  The
 * shipped example (build/plugins/example_plugin.so; $BUILD overrides
 * "build") loads and evaluates; copies that group or others could replace
 * (mode 0666, or in a 0777 directory), symbolic links, an ABI mismatch,
 * a missing descriptor and an invalid check are refused.
 */
#include "tests/unit/testutil.h"

#include "checks/check.h"

static char tmpdir[256];

static const char *
example_so(void)
{
	static char buf[512];
	const char *b = getenv("BUILD");

	snprintf(buf, sizeof(buf), "%s/plugins/example_plugin.so",
	    b != NULL && b[0] != '\0' ? b : "build");
	return buf;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/rampart-plugin-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return chmod(tmpdir, 0700);
}

static int
teardown(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(
	    cmd, sizeof(cmd), "chmod -R u+w '%s'; rm -rf '%s'", tmpdir, tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Run a shell command built printf-style; it must succeed. */
#define SH(...) \
	do { \
		char cmd_[2048]; \
		snprintf(cmd_, sizeof(cmd_), __VA_ARGS__); \
		assert_int_equal(system(cmd_), 0); \
	} while (0)

/* Evaluate check p on a resource with the given attributes (JSON). */
static enum status
run_check(const struct check_plugin *p, const char *json, size_t *nev)
{
	struct arena *a = arena_new();
	struct check_ctx c;
	struct resource r;
	struct doc_node **docs;
	struct diag d;
	size_t n;
	enum status s;

	diag_init(&d);
	assert_int_equal(doc_load_buf(a, &d, "res.json", json, strlen(json),
			     DOC_FMT_JSON, NULL, &docs, &n),
	    0);
	memset(&r, 0, sizeof(r));
	r.type = "AWS::EC2::Instance";
	r.id = "i-1";
	r.attrs = docs[0];
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.d = &d;
	c.params = doc_new(a, DOC_MAP, NULL);
	check_ctx_reset(&c);
	assert_int_equal(p->evaluate(&c, &r), 0);
	assert_true(c.emitted);
	s = c.result.status;
	*nev = c.result.nev;
	arena_free(a);
	diag_free(&d);
	return s;
}

static void
test_load_example(void **state)
{
	struct plugin_handle *h;
	const struct check_plugin *p;
	struct diag d;
	size_t nev;

	(void)state;
	diag_init(&d);
	h = plugin_load(&d, example_so());
	if (h == NULL)
		assert_diag_has(&d, "<none>");
	assert_int_equal(plugin_count(h), 1);
	p = plugin_get(h, 0);
	assert_string_equal(p->name, "example_owner_tag");
	assert_null(plugin_get(h, 1));
	assert_int_equal(
	    run_check(p,
		"{\"Tags\": [{\"Key\": \"Name\", \"Value\": \"a\"},"
		" {\"Key\": \"Owner\", \"Value\": \"ops\"}]}",
		&nev),
	    ST_PASS);
	assert_int_equal(nev, 1);
	assert_int_equal(
	    run_check(
		p, "{\"Tags\": [{\"Key\": \"Name\", \"Value\": \"a\"}]}", &nev),
	    ST_FAIL);
	assert_int_equal(nev, 1);
	assert_int_equal(
	    run_check(
		p, "{\"Tags\": [{\"Key\": \"Owner\", \"Value\": \"\"}]}", &nev),
	    ST_FAIL);
	assert_int_equal(
	    run_check(p, "{\"InstanceId\": \"i-1\"}", &nev), ST_ERROR);
	assert_int_equal(nev, 1);
	plugin_unload(h);
	plugin_unload(NULL);
	diag_free(&d);
}

static void
test_refuse_writable_file(void **state)
{
	struct plugin_handle *h;
	char path[512];
	struct diag d;

	(void)state;
	diag_init(&d);
	snprintf(path, sizeof(path), "%s/p.so", tmpdir);
	SH("cp '%s' '%s'", example_so(), path);
	SH("chmod 0666 '%s'", path);
	assert_null(plugin_load(&d, path));
	assert_diag_has(&d, "is writable by others (mode 0666)");
	diag_clear(&d);
	SH("chmod 0664 '%s'", path);
	assert_null(plugin_load(&d, path));
	assert_diag_has(&d, "writable by group");
	diag_clear(&d);
	SH("chmod 0755 '%s'", path);
	h = plugin_load(&d, path);
	assert_non_null(h);
	plugin_unload(h);
	diag_free(&d);
}

static void
test_refuse_writable_dir(void **state)
{
	char dir[512], path[600];
	struct diag d;

	(void)state;
	diag_init(&d);
	snprintf(dir, sizeof(dir), "%s/open", tmpdir);
	snprintf(path, sizeof(path), "%s/p.so", dir);
	SH("mkdir '%s' && chmod 0777 '%s'", dir, dir);
	SH("cp '%s' '%s'", example_so(), path);
	SH("chmod 0755 '%s'", path);
	assert_null(plugin_load(&d, path));
	assert_diag_has(&d, "directory");
	assert_diag_has(&d, "writable by others (mode 0777)");
	diag_free(&d);
}

static void
test_refuse_symlink(void **state)
{
	char path[512];
	struct diag d;

	(void)state;
	diag_init(&d);
	snprintf(path, sizeof(path), "%s/link.so", tmpdir);
	if (example_so()[0] == '/')
		SH("ln -s '%s' '%s'", example_so(), path);
	else
		SH("ln -s \"$PWD/%s\" '%s'", example_so(), path);
	assert_null(plugin_load(&d, path));
	assert_diag_has(&d, "symbolic link");
	diag_clear(&d);
	assert_null(plugin_load(&d, "/nonexistent/p.so"));
	assert_diag_has(&d, "cannot open plugin");
	diag_free(&d);
}

/* Build tests/fixtures/plugins/bad_plugin.c with a flag into tmpdir. */
static void
build_fixture(const char *flag, const char *out)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd),
	    "${CC:-cc} -std=c11 -I. -Ilib -fPIC -shared %s -o '%s' "
	    "tests/fixtures/plugins/bad_plugin.c && chmod 0755 '%s'",
	    flag, out, out);
	assert_int_equal(system(cmd), 0);
}

static void
test_refuse_bad_objects(void **state)
{
	char path[512];
	struct diag d;
	struct plugin_handle *h;

	(void)state;
	diag_init(&d);
	snprintf(path, sizeof(path), "%s/abi2.so", tmpdir);
	build_fixture("-DBAD_ABI", path);
	assert_null(plugin_load(&d, path));
	assert_diag_has(&d, "plugin ABI version 2, this rampart supports 1");
	diag_clear(&d);

	snprintf(path, sizeof(path), "%s/nosym.so", tmpdir);
	build_fixture("-DNO_SYMBOL", path);
	assert_null(plugin_load(&d, path));
	assert_diag_has(&d, "does not export 'rampart_plugin_v1'");
	diag_clear(&d);

	snprintf(path, sizeof(path), "%s/noeval.so", tmpdir);
	build_fixture("-DNO_EVALUATE", path);
	assert_null(plugin_load(&d, path));
	assert_diag_has(&d, "check 'fixture_check' has no evaluate function");
	diag_clear(&d);

	snprintf(path, sizeof(path), "%s/good.so", tmpdir);
	build_fixture("", path);
	h = plugin_load(&d, path);
	assert_non_null(h);
	assert_string_equal(plugin_get(h, 0)->name, "fixture_check");
	plugin_unload(h);

	/* not a shared object at all */
	snprintf(path, sizeof(path), "%s/junk.so", tmpdir);
	SH("echo junk > '%s' && chmod 0755 '%s'", path, path);
	assert_null(plugin_load(&d, path));
	assert_diag_has(&d, "cannot load plugin");
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_example),
		cmocka_unit_test(test_refuse_writable_file),
		cmocka_unit_test(test_refuse_writable_dir),
		cmocka_unit_test(test_refuse_symlink),
		cmocka_unit_test(test_refuse_bad_objects),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name(
	    "plugin_loader", tests, setup, teardown);
}
