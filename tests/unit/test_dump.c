/*
 * test_dump.c: the provider-neutral API-dump reader core
 * (checks/sources/dump.c) through a toy provider's table: a listing,
 * a per-resource join, a hidden parent (type NULL) naming a child's
 * files.  Generators: every way a page can be left (token of any shape,
 * a truncated flag of any spelling), every error class, a directory or
 * a missing file where a file belongs, must give an incomplete listing
 * marker and never a clean one; their clean twins (null or "" token,
 * false flag) must give a clean marker; every odd entry where a call's
 * file belongs (links, a FIFO, a folder, a file where the service folder
 * is) reads as stat(2) says.  The pure functions (classes,
 * wording, page keys, src_marker) are checked as tables.
 */
#include "tests/unit/testutil.h"

#include <errno.h>

#include "checks/sources/dump.h"

#define FW "Toy::Firewall"
#define KEY "Toy::Key"

static const struct dump_call toy_calls[] = {
	{ .svc = "net",
	    .call = "fw-list",
	    .type = FW,
	    .regional = 1,
	    .member = "items",
	    .id = "name" },
	{ .svc = "net",
	    .call = "fw-rules",
	    .type = FW,
	    .per = DUMP_PER_PARENT,
	    .regional = 1,
	    .parent = FW,
	    .pkey = "name",
	    .join = 1,
	    .field = "",
	    .attr = "rules" },
	{ .svc = "kms", .call = "rings", .member = "rings", .id = "name" },
	{ .svc = "kms",
	    .call = "keys",
	    .type = KEY,
	    .per = DUMP_PER_PARENT,
	    .member = "keys",
	    .id = "name",
	    .parent = "kms/rings",
	    .pkey = "name" },
	{ .svc = "svc", .call = "get-setting", .notconf = "NoSetting" },
};

static const struct dump_error toy_errors[] = {
	{ .code = "Denied", .cls = DUMP_CLS_DENIED },
	{ .code = "Slow",
	    .cls = DUMP_CLS_THROTTLED,
	    .words = "throttled "
		     "(quota)" },
};

static const char *const toy_tokens[] = { "next", NULL };
static const char *const toy_flags[] = { "truncated", NULL };

static const struct dump_layout toy = {
	.provider = "toy",
	.tool = "toy",
	.what = "toy CLI",
	.calls = toy_calls,
	.ncalls = sizeof(toy_calls) / sizeof(toy_calls[0]),
	.errors = toy_errors,
	.nerrors = sizeof(toy_errors) / sizeof(toy_errors[0]),
	.page_tokens = toy_tokens,
	.page_flags = toy_flags,
	.flag_strings = 1,
};

/* What one read emitted: resources and markers, copied. */
struct seen {
	struct arena *a;
	size_t n;
	struct {
		const char *type, *id, *rerr, *provider;
		int listing, unreadable;
	} v[64];
};

static int
keep(void *ctx, const struct resource *r, struct arena *ra)
{
	struct seen *s = ctx;

	(void)ra;
	assert_true(s->n < 64);
	s->v[s->n].type = arena_strdup(s->a, r->type);
	s->v[s->n].id = r->id ? arena_strdup(s->a, r->id) : NULL;
	s->v[s->n].rerr =
	    r->read_error ? arena_strdup(s->a, r->read_error) : NULL;
	s->v[s->n].provider = r->provider;
	s->v[s->n].listing = r->listing;
	s->v[s->n].unreadable = r->unreadable != NULL;
	s->n++;
	return 0;
}

/* The marker of type in s, or -1. */
static int
marker_of(const struct seen *s, const char *type)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].listing && strcmp(s->v[i].type, type) == 0)
			return (int)i;
	return -1;
}

static char root[64];

static void
put(const char *rel, const char *text)
{
	char path[512], dir[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = dir + strlen(root) + 1; (slash = strchr(slash, '/'));
	     slash++) {
		*slash = '\0';
		assert_true(mkdir(dir, 0700) == 0 || errno == EEXIST);
		*slash = '/';
	}
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
fresh(void)
{
	char cmd[128];

	if (root[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		assert_int_equal(system(cmd), 0);
	}
	snprintf(root, sizeof(root), "/tmp/rampart-dump-XXXXXX");
	assert_non_null(mkdtemp(root));
}

/* One clean export: two firewalls with rules, a ring with a key. */
static void
clean_export(const char *fw_list)
{
	fresh();
	put("net/fw-list.json", fw_list);
	put("net/fw-rules/a.json", "[{\"port\": 22}]");
	put("net/fw-rules/b.json", "[]");
	put("kms/rings.json", "{\"rings\": [{\"name\": \"r1\"}]}");
	put("kms/keys/r1.json", "{\"keys\": [{\"name\": \"k1\"}]}");
}

static void
read_all(struct seen *s)
{
	struct dump d;
	struct diag dg;
	struct dump_scope sc = { root, NULL };

	memset(s, 0, sizeof(*s));
	s->a = arena_new();
	diag_init(&dg);
	assert_int_equal(dump_init(&d, &toy, &dg, root, NULL, keep, s), 0);
	d.account = "acct";
	assert_int_equal(dump_read_scope(&d, &sc, 1), 0);
	assert_int_equal(dump_emit_scope(&d, &sc), 0);
	dump_fini(&d);
	diag_free(&dg);
}

#define FW_OK "{\"items\": [{\"name\": \"a\"}, {\"name\": \"b\"}]"

static void
test_clean(void **state)
{
	struct seen s;
	size_t i, nfw = 0;
	int m;

	(void)state;
	clean_export(FW_OK "}");
	read_all(&s);
	for (i = 0; i < s.n; i++) {
		/* the hidden parent row is never emitted */
		assert_null(strchr(s.v[i].type, '/'));
		assert_string_equal(s.v[i].provider, "toy");
		if (!s.v[i].listing && strcmp(s.v[i].type, FW) == 0) {
			nfw++;
			assert_null(s.v[i].rerr);
			assert_false(s.v[i].unreadable);
		}
	}
	assert_int_equal(nfw, 2);
	assert_true((m = marker_of(&s, FW)) >= 0);
	assert_null(s.v[m].rerr);
	assert_true((m = marker_of(&s, KEY)) >= 0);
	assert_null(s.v[m].rerr);
	arena_free(s.a);
}

/* A listing variant: clean (1) or incomplete (0). */
static const struct {
	const char *tail;
	int clean;
} pages[] = {
	{ "}", 1 },
	{ ", \"next\": null}", 1 },
	{ ", \"next\": \"\"}", 1 },
	{ ", \"truncated\": false}", 1 },
	{ ", \"truncated\": \"false\"}", 1 },
	{ ", \"next\": \"tok\"}", 0 },
	{ ", \"next\": 7}", 0 },
	{ ", \"next\": {}}", 0 },
	{ ", \"next\": []}", 0 },
	{ ", \"next\": false}", 0 },
	{ ", \"truncated\": true}", 0 },
	{ ", \"truncated\": \"true\"}", 0 },
	{ ", \"truncated\": \"yes\"}", 0 },
	{ ", \"truncated\": 1}", 0 },
	{ ", \"truncated\": null}", 0 },
};

static void
test_pages_metamorphic(void **state)
{
	char text[256];
	struct seen s;
	size_t i;
	int m;

	(void)state;
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		snprintf(text, sizeof(text), "%s%s", FW_OK, pages[i].tail);
		clean_export(text);
		read_all(&s);
		m = marker_of(&s, FW);
		assert_true(m >= 0);
		if (pages[i].clean) {
			assert_null(s.v[m].rerr);
		} else {
			assert_non_null(s.v[m].rerr);
			assert_non_null(strstr(s.v[m].rerr, "more pages"));
		}
		arena_free(s.a);
	}
}

/* Every error recorded, or a wrong file, is an incomplete listing. */
static void
test_errors_never_complete(void **state)
{
	static const struct {
		const char *text, *want;
	} errs[] = {
		{ "{\"Error\": {\"Code\": \"Denied\"}}", "Denied" },
		{ "{\"Error\": {\"Code\": \"Slow\", \"Message\": \"m\"}}",
		    "Slow: m" },
		{ "{\"Error\": {\"Code\": \"Weird\"}}", "Weird" },
		{ "{\"Error\": {}}", "UnknownError" },
	};
	struct seen s;
	char path[512];
	size_t i;
	int m;

	(void)state;
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		clean_export(errs[i].text);
		read_all(&s);
		assert_true((m = marker_of(&s, FW)) >= 0);
		assert_non_null(s.v[m].rerr);
		assert_non_null(strstr(s.v[m].rerr, errs[i].want));
		arena_free(s.a);
	}
	/* a directory where the file belongs: an error, never a listing */
	clean_export(FW_OK "}");
	snprintf(path, sizeof(path), "%s/net/fw-list.json", root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	read_all(&s);
	assert_true((m = marker_of(&s, FW)) >= 0);
	assert_non_null(s.v[m].rerr);
	assert_non_null(strstr(s.v[m].rerr, "directory"));
	arena_free(s.a);
	/* the listing's file missing: no marker (no evidence), no resource */
	assert_int_equal(rmdir(path), 0);
	read_all(&s);
	assert_int_equal(marker_of(&s, FW), -1);
	arena_free(s.a);
}

/* A child's file missing, a join's error: incomplete, unreadable. */
static void
test_children_and_joins(void **state)
{
	char path[512];
	struct seen s;
	size_t i;
	int m, found = 0;

	(void)state;
	clean_export(FW_OK "}");
	snprintf(path, sizeof(path), "%s/kms/keys/r1.json", root);
	assert_int_equal(unlink(path), 0);
	put("net/fw-rules/a.json", "{\"Error\": {\"Code\": \"Denied\"}}");
	read_all(&s);
	assert_true((m = marker_of(&s, KEY)) >= 0);
	assert_non_null(s.v[m].rerr);
	assert_non_null(strstr(s.v[m].rerr, "is missing"));
	for (i = 0; i < s.n; i++)
		if (!s.v[i].listing && strcmp(s.v[i].id, "a") == 0) {
			found = 1;
			assert_true(s.v[i].unreadable);
		} else if (!s.v[i].listing) {
			assert_false(s.v[i].unreadable);
		}
	assert_true(found);
	arena_free(s.a);
	/* an incomplete parent makes the children incomplete */
	clean_export(FW_OK "}");
	put("kms/rings.json",
	    "{\"rings\": [{\"name\": \"r1\"}], "
	    "\"next\": \"t\"}");
	read_all(&s);
	assert_true((m = marker_of(&s, KEY)) >= 0);
	assert_non_null(s.v[m].rerr);
	arena_free(s.a);
	/* no parent in a complete parent listing: provably no child */
	clean_export(FW_OK "}");
	put("kms/rings.json", "{\"rings\": []}");
	snprintf(path, sizeof(path), "%s/kms/keys/r1.json", root);
	assert_int_equal(unlink(path), 0);
	read_all(&s);
	assert_true((m = marker_of(&s, KEY)) >= 0);
	assert_null(s.v[m].rerr);
	arena_free(s.a);
}

/* The service folder against the table: a misnamed output is an error. */
static void
test_service_dir(void **state)
{
	static const struct {
		const char *entry, *want; /* want NULL: no marker */
		int dir;
	} v[] = {
		{ "fw-list.json", NULL, 0 },
		{ "notes.json", NULL, 0 },
		{ "FW-List.json", "unexpected case", 0 },
		{ "fw-list", "without the '.json' extension", 0 },
		{ "fw-list.JSON", "without the '.json' extension", 0 },
		{ "fw-list.json", "a folder stands where", 1 },
		{ "fw-list", "a folder stands where", 1 },
		{ "FW-RULES", "folder name in unexpected case", 1 },
		{ "other", NULL, 1 },
	};
	char path[1024], dir[512];
	struct dump d;
	struct diag dg;
	struct dump_scope sc;
	struct seen s;
	size_t i;
	int m;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fresh();
		snprintf(dir, sizeof(dir), "%s/net", root);
		assert_int_equal(mkdir(dir, 0700), 0);
		snprintf(path, sizeof(path), "%s/%s", dir, v[i].entry);
		if (v[i].dir)
			assert_int_equal(mkdir(path, 0700), 0);
		else
			put(path + strlen(root) + 1, "{}");
		memset(&s, 0, sizeof(s));
		s.a = arena_new();
		diag_init(&dg);
		sc.dir = root;
		sc.region = NULL;
		assert_int_equal(
		    dump_init(&d, &toy, &dg, root, NULL, keep, &s), 0);
		assert_int_equal(
		    dump_check_service_dir(&d, &sc, "net", dir), 0);
		m = marker_of(&s, FW);
		if (v[i].want == NULL) {
			assert_int_equal(m, -1);
		} else {
			assert_true(m >= 0);
			assert_non_null(s.v[m].rerr);
			assert_non_null(strstr(s.v[m].rerr, v[i].want));
		}
		dump_fini(&d);
		diag_free(&dg);
		arena_free(s.a);
	}
}

/*
 * The reader answers "is the call's file there, of which kind" from its
 * folder listings (lib.h, "directory index"): every odd entry where the
 * listing's file belongs must read as it did with stat(2).  A link to a
 * good file is that file; a FIFO, a folder, or a file where the service
 * folder belongs is an error (the FIFO never opened: this would hang);
 * a dangling link, a case-changed name or nothing is missing (no
 * marker, no resource).  Never a clean marker but for the good file.
 */
static void
test_index_entries(void **state)
{
	enum { CLEAN, ERROR, MISSING };
	static const struct {
		const char *what;
		int want;
		const char *words;
	} v[] = {
		{ "link", CLEAN, NULL },
		{ "link-to-link", CLEAN, NULL },
		{ "fifo", ERROR, "not a regular file" },
		{ "dir", ERROR, "directory stands where" },
		{ "file-as-folder", ERROR, "Not a directory" },
		{ "dangling", MISSING, NULL },
		{ "case", MISSING, NULL },
		{ "absent", MISSING, NULL },
	};
	char path[512], other[512], cmd[1200];
	struct seen s;
	size_t i, j, nfw;
	int m;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		clean_export(FW_OK "}");
		put("other/real.json", FW_OK "}");
		snprintf(path, sizeof(path), "%s/net/fw-list.json", root);
		snprintf(other, sizeof(other), "%s/other/real.json", root);
		assert_int_equal(unlink(path), 0);
		if (strcmp(v[i].what, "link") == 0) {
			assert_int_equal(symlink(other, path), 0);
		} else if (strcmp(v[i].what, "link-to-link") == 0) {
			snprintf(cmd, sizeof(cmd), "%s/other/l", root);
			assert_int_equal(symlink(other, cmd), 0);
			assert_int_equal(symlink(cmd, path), 0);
		} else if (strcmp(v[i].what, "fifo") == 0) {
			assert_int_equal(mkfifo(path, 0600), 0);
		} else if (strcmp(v[i].what, "dir") == 0) {
			assert_int_equal(mkdir(path, 0700), 0);
		} else if (strcmp(v[i].what, "file-as-folder") == 0) {
			snprintf(cmd, sizeof(cmd), "rm -rf '%s/net'", root);
			assert_int_equal(system(cmd), 0);
			put("net", "{}");
		} else if (strcmp(v[i].what, "dangling") == 0) {
			assert_int_equal(symlink("nowhere.json", path), 0);
		} else if (strcmp(v[i].what, "case") == 0) {
			put("net/FW-list.json", FW_OK "}");
		}
		read_all(&s);
		m = marker_of(&s, FW);
		for (j = 0, nfw = 0; j < s.n; j++)
			nfw += !s.v[j].listing && strcmp(s.v[j].type, FW) == 0;
		switch (v[i].want) {
		case CLEAN:
			assert_true(m >= 0);
			assert_null(s.v[m].rerr);
			assert_int_equal(nfw, 2);
			break;
		case ERROR:
			assert_true(m >= 0);
			assert_non_null(s.v[m].rerr);
			if (strstr(s.v[m].rerr, v[i].words) == NULL)
				fail_msg("%s: '%s'", v[i].what, s.v[m].rerr);
			assert_int_equal(nfw, 0);
			break;
		default:
			assert_int_equal(m, -1);
			assert_int_equal(nfw, 0);
		}
		arena_free(s.a);
	}
}

static void
test_pure_tables(void **state)
{
	const struct dump_call *ns = dump_call_find(&toy, "svc", "get-setting");
	struct resource r, place;

	(void)state;
	assert_non_null(ns);
	assert_null(dump_call_find(&toy, "svc", "nope"));
	assert_int_equal(
	    dump_classify(&toy, NULL, "Denied", 0), DUMP_CLS_DENIED);
	assert_int_equal(
	    dump_classify(&toy, NULL, "Slow", 500), DUMP_CLS_THROTTLED);
	assert_int_equal(
	    dump_classify(&toy, ns, "NoSetting", 404), DUMP_CLS_NOTCONF);
	/* not configured only for the row that says so */
	assert_int_equal(
	    dump_classify(&toy, NULL, "NoSetting", 404), DUMP_CLS_DENIED);
	assert_int_equal(dump_classify(&toy, NULL, "X", 401), DUMP_CLS_DENIED);
	assert_int_equal(dump_classify(&toy, NULL, "X", 403), DUMP_CLS_DENIED);
	assert_int_equal(
	    dump_classify(&toy, NULL, NULL, 429), DUMP_CLS_THROTTLED);
	assert_int_equal(dump_classify(&toy, NULL, "X", 500), DUMP_CLS_OTHER);
	assert_string_equal(
	    dump_error_words(&toy, NULL, "Slow", 0), "throttled (quota)");
	assert_string_equal(
	    dump_error_words(&toy, NULL, "Denied", 0), "denied");
	assert_string_equal(dump_error_words(&toy, NULL, "X", 0), "failed");
	memset(&place, 0, sizeof(place));
	place.provider = "toy";
	place.account = "acct";
	place.region = "r";
	place.collected = 42;
	src_marker(&r, &place, FW, "f.json", "why");
	assert_true(r.listing);
	assert_null(r.id);
	assert_null(r.attrs);
	assert_string_equal(r.provider, "toy");
	assert_string_equal(r.account, "acct");
	assert_string_equal(r.region, "r");
	assert_int_equal(r.collected, 42);
	assert_string_equal(r.source, "f.json");
	assert_string_equal(r.read_error, "why");
}

static int
cleanup(void **state)
{
	char cmd[128];

	(void)state;
	if (root[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		return system(cmd) == 0 ? 0 : -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_pages_metamorphic),
		cmocka_unit_test(test_errors_never_complete),
		cmocka_unit_test(test_children_and_joins),
		cmocka_unit_test(test_service_dir),
		cmocka_unit_test(test_index_entries),
		cmocka_unit_test_teardown(test_pure_tables, cleanup),
	};

	RUN_TESTS("dump", tests, argc, argv);
}
