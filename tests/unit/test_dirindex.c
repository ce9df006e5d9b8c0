/*
 * test_dirindex.c: the directory index (lib/dirindex.c) answers every
 * question as stat(2) does.  A generator builds a folder of every kind
 * of entry (regular file, folder, empty folder, symbolic links to a
 * file, to a folder and to nothing, a FIFO, a socket, a file where a
 * folder is in the path) and asks, for every folder and every name
 * (each entry, its case-changed twins, ".", "..", "", a name too long
 * for any folder), what dir_index_stat() and stat(2) say: the result,
 * errno and the file type must be equal, with one index reused for all
 * questions and with a fresh one per question.  Listings keep readdir's
 * order; a missing folder and a file listed as a folder give opendir's
 * errno; a FIFO is never opened (the test would hang).  Unreadable
 * folders need a user other than root (root reads every folder): run
 * as root, that case is skipped, and says so.
 */
#include "tests/unit/testutil.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <sys/socket.h>
#include <sys/un.h>

static char root[64];

static void
path_of(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/%s", root, rel);
}

static void
put(const char *rel)
{
	test_put(root, rel, "{}");
}

static void
dir(const char *rel)
{
	char p[512];

	path_of(p, sizeof(p), rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static void
link_to(const char *rel, const char *target)
{
	char p[512];

	path_of(p, sizeof(p), rel);
	assert_int_equal(symlink(target, p), 0);
}

/* A UNIX socket's entry at path (bound, then closed: the entry stays). */
static void
socket_at(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	assert_true(strlen(path) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	assert_true((fd = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
}

static int
setup(void **state)
{
	char p[512];

	(void)state;
	snprintf(root, sizeof(root), "/tmp/rampart-dirindex-XXXXXX");
	assert_non_null(mkdtemp(root));
	put("a.json");
	put("B.json");
	put(".hidden");
	dir("svc");
	dir("svc/call");
	put("svc/call/x.json");
	put("svc/list-users.json");
	dir("empty");
	put("file");
	link_to("link-file", "a.json");
	link_to("link-dir", "svc");
	link_to("dangle", "nowhere");
	link_to("loop", "loop");
	path_of(p, sizeof(p), "fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	path_of(p, sizeof(p), "sock");
	socket_at(p);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	test_rm_tree(root);
	return 0;
}

/* The folders asked about (relative to root; "" the root itself). */
static const char *const dirs[] = { "", "svc", "svc/call", "empty", "nope",
	"file", "link-dir", "link-file", "dangle", "fifo", "svc/nope",
	"file/deeper", "loop", "nope/deeper", "fifo/deeper" };

/* The names asked in every folder, besides each folder's own entries. */
static const char *const extra_names[] = { "missing", ".", "..", "", "a.JSON",
	"A.json", "b.json", "LIST-USERS.json", "x.JSON", "X.json" };

/* The file type of mode, as a letter (ls -l's). */
static char
ftype(mode_t m)
{
	return S_ISREG(m) ? '-'
	    : S_ISDIR(m)  ? 'd'
	    : S_ISLNK(m)  ? 'l'
	    : S_ISFIFO(m) ? 'p'
	    : S_ISSOCK(m) ? 's'
	    : S_ISCHR(m)  ? 'c'
	    : S_ISBLK(m)  ? 'b'
			  : '?';
}

/* Compare one answer of the index with stat(2). */
static void
same_as_stat(struct dir_index *ix, const char *path, size_t *asked)
{
	struct stat want, got;
	int rw, rg, ew, eg;

	memset(&got, 0, sizeof(got));
	errno = 0;
	rw = stat(path, &want);
	ew = errno;
	errno = 0;
	rg = dir_index_stat(ix, path, &got);
	eg = errno;
	if (rw != rg || (rw != 0 && ew != eg) ||
	    (rw == 0 && ftype(want.st_mode) != ftype(got.st_mode)))
		fail_msg("'%s': stat %d (%s, %c), index %d (%s, %c)", path, rw,
		    strerror(ew), ftype(want.st_mode), rg, strerror(eg),
		    ftype(got.st_mode));
	(*asked)++;
}

/* Every question about dir d (names of every folder, and the extras). */
static void
ask_dir(struct dir_index *shared, const char *d, size_t *asked)
{
	static const char *const listed[] = { "", "svc", "svc/call" };
	char p[1024], long_name[NAME_MAX + 2], up[NAME_MAX + 1];
	const char *const *names;
	struct dir_index *fresh;
	size_t i, j, k, n;
	struct dir_index *src;

	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_non_null(src = dir_index_new());
	for (i = 0; i < sizeof(listed) / sizeof(listed[0]); i++) {
		snprintf(p, sizeof(p), "%s%s%s", root, listed[i][0] ? "/" : "",
		    listed[i]);
		assert_int_equal(dir_index_names(src, p, &names, &n), 0);
		for (j = 0; j < n; j++) {
			/* the name, and its case-changed twin */
			for (k = 0; names[j][k] != '\0' && k < NAME_MAX; k++)
				up[k] =
				    (char)toupper((unsigned char)names[j][k]);
			up[k] = '\0';
			snprintf(p, sizeof(p), "%s%s%s/%s", root,
			    d[0] ? "/" : "", d, names[j]);
			same_as_stat(shared, p, asked);
			assert_non_null(fresh = dir_index_new());
			same_as_stat(fresh, p, asked);
			dir_index_free(fresh);
			snprintf(p, sizeof(p), "%s%s%s/%s", root,
			    d[0] ? "/" : "", d, up);
			same_as_stat(shared, p, asked);
		}
	}
	dir_index_free(src);
	for (i = 0; i < sizeof(extra_names) / sizeof(extra_names[0]); i++) {
		snprintf(p, sizeof(p), "%s%s%s/%s", root, d[0] ? "/" : "", d,
		    extra_names[i]);
		same_as_stat(shared, p, asked);
	}
	snprintf(
	    p, sizeof(p), "%s%s%s/%s", root, d[0] ? "/" : "", d, long_name);
	same_as_stat(shared, p, asked);
	/* a doubled and a trailing slash */
	snprintf(p, sizeof(p), "%s%s%s//a.json", root, d[0] ? "/" : "", d);
	same_as_stat(shared, p, asked);
	snprintf(p, sizeof(p), "%s%s%s/svc/", root, d[0] ? "/" : "", d);
	same_as_stat(shared, p, asked);
}

static void
test_same_as_stat(void **state)
{
	struct dir_index *ix;
	size_t i, asked = 0;

	(void)state;
	assert_non_null(ix = dir_index_new());
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		ask_dir(ix, dirs[i], &asked);
	/* the same questions again, answered from the listings kept */
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		ask_dir(ix, dirs[i], &asked);
	dir_index_free(ix);
	assert_true(asked > 500);
	/* without an index: stat(2) itself */
	ask_dir(NULL, "", &asked);
}

static void
test_names(void **state)
{
	struct dir_index *ix;
	const char *const *names;
	struct dirent *de;
	char p[512];
	size_t n, i = 0;
	DIR *dp;

	(void)state;
	assert_non_null(ix = dir_index_new());
	/* readdir's order, "." and ".." left out, dot files kept */
	assert_int_equal(dir_index_names(ix, root, &names, &n), 0);
	assert_int_equal(n, 12);
	assert_non_null(dp = opendir(root));
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		assert_true(i < n);
		assert_string_equal(names[i++], de->d_name);
	}
	closedir(dp);
	assert_int_equal(i, n);
	/* asked again: the same listing, not a new one */
	{
		const char *const *again;
		size_t n2;

		assert_int_equal(dir_index_names(ix, root, &again, &n2), 0);
		assert_ptr_equal(again, names);
		assert_int_equal(n2, n);
	}
	path_of(p, sizeof(p), "empty");
	assert_int_equal(dir_index_names(ix, p, &names, &n), 0);
	assert_int_equal(n, 0);
	/* opendir's errno, every time it is asked */
	for (i = 0; i < 2; i++) {
		path_of(p, sizeof(p), "nope");
		errno = 0;
		assert_int_equal(dir_index_names(ix, p, &names, &n), -1);
		assert_int_equal(errno, ENOENT);
		assert_null(names);
		path_of(p, sizeof(p), "file");
		assert_int_equal(dir_index_names(ix, p, &names, &n), -1);
		assert_int_equal(errno, ENOTDIR);
		/* a FIFO is not opened (this would block) */
		path_of(p, sizeof(p), "fifo");
		assert_int_equal(dir_index_names(ix, p, &names, &n), -1);
		assert_int_equal(errno, ENOTDIR);
	}
	/* through a link: the target's listing */
	path_of(p, sizeof(p), "link-dir");
	assert_int_equal(dir_index_names(ix, p, &names, &n), 0);
	assert_int_equal(n, 2);
	dir_index_free(ix);
	dir_index_free(NULL);
}

/* Hundreds of folders: the table grows and finds every one. */
static void
test_many_dirs(void **state)
{
	struct dir_index *ix;
	struct stat st;
	char p[512], rel[64];
	size_t i;

	(void)state;
	dir("many");
	for (i = 0; i < 300; i++) {
		snprintf(rel, sizeof(rel), "many/d%zu", i);
		dir(rel);
		snprintf(rel, sizeof(rel), "many/d%zu/f%zu.json", i, i);
		put(rel);
	}
	assert_non_null(ix = dir_index_new());
	for (i = 0; i < 300; i++) {
		snprintf(p, sizeof(p), "%s/many/d%zu/f%zu.json", root, i, i);
		assert_int_equal(dir_index_stat(ix, p, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		snprintf(
		    p, sizeof(p), "%s/many/d%zu/f%zu.json", root, i, i + 1);
		assert_int_equal(dir_index_stat(ix, p, &st), -1);
		assert_int_equal(errno, ENOENT);
	}
	for (i = 0; i < 300; i++) {
		snprintf(p, sizeof(p), "%s/many/d%zu", root, i);
		assert_int_equal(dir_index_stat(ix, p, &st), 0);
		assert_true(S_ISDIR(st.st_mode));
	}
	dir_index_free(ix);
}

/*
 * Folders the user cannot list or search: the answers are still those
 * of stat(2) (EACCES, or found through a folder that can be searched
 * but not listed).  Root reads and searches every folder, so as root
 * there is nothing to see: skipped.
 */
static void
test_unreadable(void **state)
{
	static const mode_t modes[] = { 0000, 0100, 0300, 0400, 0500, 0600 };
	static const char *const names[] = { "a.json", "missing", "sub" };
	struct dir_index *ix;
	const char *const *v;
	char p[512];
	size_t i, j, n, asked = 0;

	(void)state;
	if (geteuid() == 0) {
		print_message("  skipped: running as root, which reads every "
			      "folder (run as another user to test this)\n");
		skip();
	}
	dir("locked");
	put("locked/a.json");
	dir("locked/sub");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		path_of(p, sizeof(p), "locked");
		assert_int_equal(chmod(p, modes[i]), 0);
		assert_non_null(ix = dir_index_new());
		if (!(modes[i] & 0400)) {
			assert_int_equal(dir_index_names(ix, p, &v, &n), -1);
			assert_int_equal(errno, EACCES);
		}
		for (j = 0; j < sizeof(names) / sizeof(names[0]); j++) {
			snprintf(p, sizeof(p), "%s/locked/%s", root, names[j]);
			same_as_stat(ix, p, &asked);
			snprintf(p, sizeof(p), "%s/locked/sub/x", root);
			same_as_stat(ix, p, &asked);
		}
		dir_index_free(ix);
	}
	path_of(p, sizeof(p), "locked");
	assert_int_equal(chmod(p, 0700), 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_stat),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_many_dirs),
		cmocka_unit_test(test_unreadable),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("dirindex", tests, setup, teardown);
}
