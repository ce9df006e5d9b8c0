/*
 * test_dirwalk.c: dir_walk_files() (lib/dirwalk.c) walks as the two
 * walkers it replaced did (rules/engine.c manifest() and
 * reports/provenance.c walk(), kept here as the reference: paths
 * rebuilt from the root, lstat(2) or stat(2) of each, the file hashed
 * by path).  Over a generated tree of every kind of entry (files at
 * several depths, names whose order is not their creation order, dot
 * files and folders, links to a file, to a folder and to nothing, a
 * FIFO, an empty folder, YAML and other files), both modes
 * must give the same files in the same order with the same digests and
 * times, and the same error for a tree nested too deep.  The same tree
 * created in the opposite order gives the same manifest.  The listings
 * the walk hands to a directory index answer as the index's own would,
 * and the small files' bytes it keeps parse as the files do.  A file that
 * cannot be read needs a user other than root: skipped as root.
 */
#include "tests/unit/testutil.h"

#include <errno.h>
#include <limits.h>

static char base[64];

/* ------------------------------------------- the reference walkers */

static int
ref_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The walk before dir_walk_files(), lines "rel-or-path NUL hex LF". */
static int
ref_walk(struct diag *d, const struct mark *m, const char *root,
    const char *rel, int follow, struct strbuf *sb, int64_t *oldest, int depth)
{
	char path[PATH_MAX], sub[PATH_MAX], hex[SHA256_HEX_LEN + 1];
	char **names = NULL;
	struct dirent *de;
	struct stat st;
	size_t n = 0, i, len;
	DIR *dp;
	int rc = 0;

	if (depth > 16)
		return diag_err(d, NULL, "directory '%s' nests too deep", root);
	if ((size_t)snprintf(path, sizeof(path), "%s%s%s", root,
		rel[0] ? "/" : "", rel) >= sizeof(path))
		return diag_err(d, NULL, "path too long under '%s'", root);
	if ((dp = opendir(path)) == NULL)
		return diag_err(d, m, "cannot open directory '%s'", path);
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(de->d_name);
	}
	closedir(dp);
	if (n > 1)
		qsort(names, n, sizeof(*names), ref_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		if ((size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel,
			rel[0] ? "/" : "", names[i]) >= sizeof(sub) ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", root, sub) >=
			sizeof(path)) {
			rc =
			    diag_err(d, NULL, "path too long under '%s'", root);
			break;
		}
		if ((follow ? stat(path, &st) : lstat(path, &st)) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			rc = ref_walk(
			    d, m, root, sub, follow, sb, oldest, depth + 1);
			continue;
		}
		len = strlen(names[i]);
		if (!S_ISREG(st.st_mode) ||
		    (follow &&
			!((len > 5 &&
			      strcmp(names[i] + len - 5, ".yaml") == 0) ||
			    (len > 4 &&
				strcmp(names[i] + len - 4, ".yml") == 0))))
			continue;
		if (*oldest == 0 || (int64_t)st.st_mtime < *oldest)
			*oldest = (int64_t)st.st_mtime;
		if (sha256_file_hex(d, path, hex) == -1) {
			rc = -1;
			break;
		}
		sb_adds(sb, follow ? path : sub);
		sb_addc(sb, '\0');
		sb_adds(sb, hex);
		sb_addc(sb, '\n');
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int
is_yaml(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

struct got {
	struct strbuf *sb;
	int64_t *oldest;
	int follow;
};

static int
collect(void *ctx, const struct walk_file *f)
{
	struct got *g = ctx;

	if (*g->oldest == 0 || (int64_t)f->st->st_mtime < *g->oldest)
		*g->oldest = (int64_t)f->st->st_mtime;
	sb_adds(g->sb, g->follow ? f->path : f->rel);
	sb_addc(g->sb, '\0');
	sb_adds(g->sb, f->sha256);
	sb_addc(g->sb, '\n');
	return 0;
}

/* The diagnostics of d, one per line. */
static void
diags(const struct diag *d, struct strbuf *sb)
{
	char buf[2048];
	size_t i;

	for (i = 0; i < d->n; i++) {
		diag_format(d, i, buf, sizeof(buf));
		sb_adds(sb, buf);
		sb_addc(sb, '\n');
	}
}

/* Both walkers over root in one mode: equal in every respect. */
static void
same_walk(const char *root, int follow, size_t *nfiles)
{
	struct mark m = { root, 0, 0 };
	struct strbuf a, b, da, db;
	struct diag dga, dgb;
	int64_t oa = 0, ob = 0;
	struct got g = { &b, &ob, follow };
	int ra, rb;
	size_t i;

	sb_init(&a);
	sb_init(&b);
	sb_init(&da);
	sb_init(&db);
	diag_init(&dga);
	diag_init(&dgb);
	ra = ref_walk(&dga, &m, root, "", follow, &a, &oa, 0);
	rb = dir_walk_files(&dgb, root, &m, follow ? WALK_FOLLOW : 0,
	    follow ? is_yaml : NULL, collect, &g, NULL);
	diags(&dga, &da);
	diags(&dgb, &db);
	assert_int_equal(ra, rb);
	assert_int_equal(a.len, b.len);
	if (a.len > 0)
		assert_memory_equal(a.s, b.s, a.len);
	assert_int_equal(oa, ob);
	assert_string_equal(da.s != NULL ? da.s : "", db.s != NULL ? db.s : "");
	for (i = 0; i < a.len; i++)
		*nfiles += a.s[i] == '\n';
	sb_free(&a);
	sb_free(&b);
	sb_free(&da);
	sb_free(&db);
	diag_free(&dga);
	diag_free(&dgb);
}

/* ------------------------------------------------------- the trees */

static void
mk(const char *root, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

/* The entries of a tree, in creation order (a folder before its own). */
static const struct {
	char kind; /* f file, d folder, l link, p FIFO */
	const char *rel, *text;
} tree[] = {
	{ 'f', "z.json", "{\"z\": 1}" },
	{ 'f', "a.yaml", "a: 1" },
	{ 'f', "B.yml", "b: 2" },
	{ 'f', "a-b.json", "[]" },
	{ 'f', "a.b.json", "[1]" },
	{ 'f', "10.json", "{}" },
	{ 'f', "9.json", "{ }" },
	{ 'f', ".hidden.json", "{}" },
	{ 'd', ".git", NULL },
	{ 'f', ".git/config.yaml", "x: 1" },
	{ 'd', "iam", NULL },
	{ 'f', "iam/list-users.json", "{\"Users\": []}" },
	{ 'd', "iam/get-user", NULL },
	{ 'f', "iam/get-user/bob.json", "{\"User\": {}}" },
	{ 'f', "iam/get-user/alice.yaml", "User: {}" },
	{ 'd', "empty", NULL },
	{ 'd', "us-east-1", NULL },
	{ 'd', "us-east-1/ec2", NULL },
	{ 'f', "us-east-1/ec2/describe-vpcs.json", "{\"Vpcs\": []}" },
	{ 'l', "link-file.yaml", "a.yaml" },
	{ 'l', "link-dir", "iam" },
	{ 'l', "dangling.yaml", "nowhere.yaml" },
	{ 'p', "fifo.yaml", NULL },
};

static void
build(const char *root, int reverse)
{
	char p[512];
	size_t n = sizeof(tree) / sizeof(tree[0]), k, i;

	/* folders first (in order), then the rest in either order */
	for (i = 0; i < n; i++)
		if (tree[i].kind == 'd')
			mk(root, tree[i].rel);
	for (k = 0; k < n; k++) {
		i = reverse ? n - 1 - k : k;
		snprintf(p, sizeof(p), "%s/%s", root, tree[i].rel);
		switch (tree[i].kind) {
		case 'f':
			test_put(root, tree[i].rel, tree[i].text);
			break;
		case 'l':
			assert_int_equal(symlink(tree[i].text, p), 0);
			break;
		case 'p':
			assert_int_equal(mkfifo(p, 0600), 0);
			break;
		default:
			break;
		}
	}
}

static int
setup(void **state)
{
	(void)state;
	snprintf(base, sizeof(base), "/tmp/rampart-dirwalk-XXXXXX");
	assert_non_null(mkdtemp(base));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	test_rm_tree(base);
	return 0;
}

static void
test_same_as_before(void **state)
{
	char root[128];
	size_t n = 0;

	(void)state;
	snprintf(root, sizeof(root), "%s/t", base);
	assert_int_equal(mkdir(root, 0755), 0);
	build(root, 0);
	same_walk(root, 0, &n);
	/* z a B a-b a.b 10 9, iam x3 (links skipped), vpcs */
	assert_int_equal(n, 11);
	n = 0;
	same_walk(root, 1, &n);
	/* a.yaml, B.yml, get-user/alice.yaml twice (link-dir), link-file */
	assert_int_equal(n, 5);
	/* a root that is missing, or a file */
	snprintf(root, sizeof(root), "%s/nope", base);
	same_walk(root, 0, &n);
	snprintf(root, sizeof(root), "%s/t/z.json", base);
	same_walk(root, 0, &n);
}

/* The same tree created in the opposite order: the same manifest. */
static void
test_order_independent(void **state)
{
	char r1[128], r2[128];
	struct strbuf a, b;
	struct diag d;
	int64_t o1 = 0, o2 = 0;
	struct got g1 = { &a, &o1, 0 }, g2 = { &b, &o2, 0 };

	(void)state;
	snprintf(r1, sizeof(r1), "%s/fwd", base);
	snprintf(r2, sizeof(r2), "%s/rev", base);
	assert_int_equal(mkdir(r1, 0755), 0);
	assert_int_equal(mkdir(r2, 0755), 0);
	build(r1, 0);
	build(r2, 1);
	sb_init(&a);
	sb_init(&b);
	diag_init(&d);
	assert_int_equal(
	    dir_walk_files(&d, r1, NULL, 0, NULL, collect, &g1, NULL), 0);
	assert_int_equal(
	    dir_walk_files(&d, r2, NULL, 0, NULL, collect, &g2, NULL), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.s, b.s, a.len);
	sb_free(&a);
	sb_free(&b);
	diag_free(&d);
}

/* 16 levels below the root are walked, 17 are an error, as before. */
static void
test_depth(void **state)
{
	char root[128], p[1024];
	size_t i, n = 0;
	FILE *f;
	int len;

	(void)state;
	snprintf(root, sizeof(root), "%s/deep", base);
	assert_int_equal(mkdir(root, 0755), 0);
	len = snprintf(p, sizeof(p), "%s", root);
	for (i = 0; i < 16; i++) {
		len += snprintf(p + len, sizeof(p) - (size_t)len, "/d");
		assert_int_equal(mkdir(p, 0755), 0);
	}
	test_put(root, "f.json", "{}");
	snprintf(p + len, sizeof(p) - (size_t)len, "/leaf.json");
	assert_non_null(f = fopen(p, "w"));
	fclose(f);
	same_walk(root, 0, &n);
	assert_int_equal(n, 2);
	snprintf(p + len, sizeof(p) - (size_t)len, "/d");
	assert_int_equal(mkdir(p, 0755), 0);
	same_walk(root, 0, &n);
	same_walk(root, 1, &n);
}

/* An unreadable file or folder (not as root: root reads everything). */
static void
test_unreadable(void **state)
{
	char root[128], p[256];
	size_t n = 0;

	(void)state;
	if (geteuid() == 0) {
		print_message("  skipped: running as root, which reads every "
			      "file (run as another user to test this)\n");
		skip();
	}
	snprintf(root, sizeof(root), "%s/locked", base);
	assert_int_equal(mkdir(root, 0755), 0);
	build(root, 0);
	snprintf(p, sizeof(p), "%s/iam/get-user", root);
	/* listable, not searchable: its files are skipped, as lstat did */
	assert_int_equal(chmod(p, 0644), 0);
	same_walk(root, 0, &n);
	same_walk(root, 1, &n);
	/* not listable: the error */
	assert_int_equal(chmod(p, 0311), 0);
	same_walk(root, 0, &n);
	assert_int_equal(chmod(p, 0755), 0);
	/* a file that cannot be opened: the error */
	snprintf(p, sizeof(p), "%s/a.yaml", root);
	assert_int_equal(chmod(p, 0000), 0);
	same_walk(root, 0, &n);
	same_walk(root, 1, &n);
}

/*
 * The listings the walk hands to an index (the run's digest walk, then
 * the reader) are those the index would list itself: the same names in
 * the same order, the same answers as stat(2), for every folder walked
 * (dot files included: the reader sees them) and for what the walk
 * does not enter (a link to a folder, a missing folder).
 */
static void
test_handoff(void **state)
{
	static const char *const dirs[] = { "", "/iam", "/iam/get-user",
		"/empty", "/us-east-1", "/us-east-1/ec2", "/.git", "/link-dir",
		"/nope" };
	char root[128], p[512], q[1024];
	const char *const *a, *const *b;
	struct dir_index *walked, *own;
	struct stat sa, sb;
	struct diag d;
	struct strbuf sb0;
	int64_t o = 0;
	struct got g = { &sb0, &o, 0 };
	size_t i, j, na, nb;
	int ra, rb, ea, eb;

	(void)state;
	snprintf(root, sizeof(root), "%s/handoff", base);
	assert_int_equal(mkdir(root, 0755), 0);
	build(root, 0);
	assert_non_null(walked = dir_index_new());
	assert_non_null(own = dir_index_new());
	sb_init(&sb0);
	diag_init(&d);
	assert_int_equal(
	    dir_walk_files(&d, root, NULL, 0, NULL, collect, &g, walked), 0);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", root, dirs[i]);
		ra = dir_index_names(walked, p, &a, &na);
		ea = errno;
		rb = dir_index_names(own, p, &b, &nb);
		eb = errno;
		assert_int_equal(ra, rb);
		if (ra != 0) {
			assert_int_equal(ea, eb);
			continue;
		}
		assert_int_equal(na, nb);
		for (j = 0; j < na; j++) {
			assert_string_equal(a[j], b[j]);
			snprintf(q, sizeof(q), "%s/%s", p, a[j]);
			errno = 0;
			ra = dir_index_stat(walked, q, &sa);
			ea = errno;
			rb = stat(q, &sb);
			eb = errno;
			assert_int_equal(ra, rb);
			if (ra != 0)
				assert_int_equal(ea, eb);
			else
				assert_int_equal(
				    S_ISDIR(sa.st_mode), S_ISDIR(sb.st_mode));
			if (ra == 0)
				assert_int_equal(
				    S_ISREG(sa.st_mode), S_ISREG(sb.st_mode));
		}
		snprintf(q, sizeof(q), "%s/missing.json", p);
		assert_int_equal(dir_index_stat(walked, q, &sa), -1);
		assert_int_equal(errno, ENOENT);
	}
	dir_index_free(walked);
	dir_index_free(own);
	sb_free(&sb0);
	diag_free(&d);
}

/*
 * The walk keeps the bytes of each small file it hashed for the reader
 * (dir_index_keep()): exactly the file's bytes, none for a file of
 * INPUT_HEAD bytes or more, none for what it does not hash (dot files,
 * links); and parsing them gives what parsing the file gives, a
 * malformed file's message included (doc_load_one_buf()).
 */
static void
test_kept_bytes(void **state)
{
	static const char *const files[] = { "z.json", "a.yaml", "10.json",
		"iam/list-users.json", "iam/get-user/bob.json",
		"us-east-1/ec2/describe-vpcs.json", "bad.json", "two.json" };
	static const char *const not_kept[] = { "big.json", ".hidden.json",
		"link-file.yaml", "fifo.yaml", "nope.json" };
	char root[128], p[512], *big, want[256], ga[2048], gb[2048];
	struct dir_index *ix;
	struct strbuf sb;
	struct diag d, da, db;
	struct arena *a;
	struct doc_node *x, *y;
	int64_t o = 0;
	struct got g = { &sb, &o, 0 };
	const char *buf;
	size_t i, len;
	FILE *f;

	(void)state;
	snprintf(root, sizeof(root), "%s/kept", base);
	assert_int_equal(mkdir(root, 0755), 0);
	build(root, 0);
	test_put(root, "bad.json", "{\"a\": [1, 2,, 3]}");
	test_put(root, "two.json", "{} {}");
	assert_non_null(big = malloc(INPUT_HEAD + 10));
	memset(big, ' ', INPUT_HEAD + 9);
	big[0] = '[';
	big[INPUT_HEAD + 7] = ']';
	big[INPUT_HEAD + 9] = '\0';
	test_put(root, "big.json", big);
	free(big);
	assert_non_null(ix = dir_index_new());
	assert_non_null(a = arena_new());
	sb_init(&sb);
	diag_init(&d);
	assert_int_equal(
	    dir_walk_files(&d, root, NULL, 0, NULL, collect, &g, ix), 0);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", root, files[i]);
		assert_int_equal(dir_index_bytes(ix, p, &buf, &len), 1);
		assert_non_null(f = fopen(p, "r"));
		assert_int_equal(fread(want, 1, sizeof(want), f), len);
		fclose(f);
		assert_memory_equal(buf, want, len);
		/* parsed from the bytes as from the file */
		diag_init(&da);
		diag_init(&db);
		x = doc_load_one(a, &da, p, DOC_FMT_AUTO, NULL);
		y = doc_load_one_buf(a, &db, p, buf, len, DOC_FMT_AUTO, NULL);
		assert_int_equal(x == NULL, y == NULL);
		if (x != NULL)
			assert_int_equal(x->type, y->type);
		assert_int_equal(da.n, db.n);
		if (da.n > 0) {
			diag_format(&da, 0, ga, sizeof(ga));
			diag_format(&db, 0, gb, sizeof(gb));
			assert_string_equal(ga, gb);
		}
		diag_free(&da);
		diag_free(&db);
	}
	for (i = 0; i < sizeof(not_kept) / sizeof(not_kept[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", root, not_kept[i]);
		assert_int_equal(dir_index_bytes(ix, p, &buf, &len), 0);
	}
	assert_int_equal(dir_index_bytes(NULL, p, &buf, &len), 0);
	dir_index_free(ix);
	arena_free(a);
	sb_free(&sb);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_before),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_handoff),
		cmocka_unit_test(test_kept_bytes),
		cmocka_unit_test(test_unreadable),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("dirwalk", tests, setup, teardown);
}
