/*
 * dirwalk.c: hash every regular file of a directory tree in manifest
 * order (lib.h, dir_walk_files()): the run's digest of a directory input
 * (rules/engine.c) and the provenance pins (reports/provenance.c) walk
 * the same way.  Each directory is read once through its descriptor,
 * and each file is looked at and opened relative to it (fstatat(2),
 * openat(2)), so no full path is walked again per file; the file's own
 * descriptor gives its type and time (fstat(2)) and its bytes.  Given a
 * directory index, the walk leaves it every listing and the bytes of
 * every file under INPUT_HEAD bytes, for the reader that follows.
 */
#define _DEFAULT_SOURCE /* d_type and DT_* of struct dirent */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/lib.h"

#define WALK_MAX_DEPTH 16

/* The walk's fixed arguments. */
struct walk {
	struct diag *d;
	const char *root;
	const struct mark *m;
	unsigned flags;
	int (*want)(const char *name);
	int (*fn)(void *ctx, const struct walk_file *f);
	void *ctx;
	struct dir_index *ix;
	char *copy; /* with ix: INPUT_HEAD bytes, a small file's content */
};

static int
ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dir_entry *)a)->name,
	    ((const struct dir_entry *)b)->name);
}

/* Free the n entries of v (their names are the walk's, lib_strdup'd). */
static void
free_entries(struct dir_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		lib_free((char *)v[i].name);
	lib_free(v);
}

/*
 * The entries of dp but "." and "..", in readdir order (the listing
 * handed to the index); 0 or -1 (memory).
 */
static int
read_entries(DIR *dp, struct dir_entry **out, size_t *n)
{
	struct dir_entry *v = NULL, *nv;
	struct dirent *de;
	size_t cap = 0;

	*n = 0;
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (*n == cap) {
			cap = cap != 0 ? cap * 2 : 32;
			if ((nv = lib_realloc(v, cap * sizeof(*v))) == NULL)
				goto oom;
			v = nv;
		}
		if ((v[*n].name = lib_strdup(de->d_name)) == NULL)
			goto oom;
		v[(*n)++].type = de->d_type;
	}
	*out = v;
	return 0;
oom:
	free_entries(v, *n);
	*n = 0;
	*out = NULL;
	return -1;
}

/*
 * What entry e of the directory dfd is, as lstat(2) (or stat(2) with
 * WALK_FOLLOW) would say: DT_DIR, DT_REG, or 0 for anything else and
 * for what cannot be looked at (skipped, as before).  d_type answers
 * without a system call but for a link (followed) or an unknown type.
 */
static unsigned char
entry_type(const struct walk *w, int dfd, const struct dir_entry *e)
{
	struct stat st;

	if (e->type == DT_DIR || e->type == DT_REG)
		return e->type;
	if (e->type != DT_UNKNOWN &&
	    !(e->type == DT_LNK && (w->flags & WALK_FOLLOW)))
		return 0;
	if (fstatat(dfd, e->name, &st,
		(w->flags & WALK_FOLLOW) ? 0 : AT_SYMLINK_NOFOLLOW) == -1)
		return 0;
	return S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : 0;
}

static int walk_dir(struct walk *w, int dfd, const char *rel, int depth);

/*
 * Open entry name of dfd with flags (O_NOFOLLOW unless WALK_FOLLOW):
 * the descriptor, or -1 with errno (see skip_failed()).
 */
static int
open_entry(const struct walk *w, int dfd, const char *name, int flags)
{
	if (!(w->flags & WALK_FOLLOW))
		flags |= O_NOFOLLOW;
	return openat(dfd, name, flags | O_RDONLY | O_CLOEXEC);
}

/*
 * Whether a failed open of entry name (errno err) means "skip it": the
 * entry is gone or is now a link (without WALK_FOLLOW), or it cannot be
 * looked at (a folder that can be listed but not searched), which is
 * what lstat(2) (stat(2)) said before the walk opened first; or it is
 * no longer of type t.  Else the open's failure is the error.
 */
static int
skip_failed(
    const struct walk *w, int dfd, const char *name, int err, unsigned char t)
{
	struct stat st;

	if (err == ENOENT || (err == ELOOP && !(w->flags & WALK_FOLLOW)))
		return 1;
	if (fstatat(dfd, name, &st,
		(w->flags & WALK_FOLLOW) ? 0 : AT_SYMLINK_NOFOLLOW) == -1)
		return 1;
	return t == DT_DIR ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode);
}

/* Hash regular file e (path, sub) of dfd and hand it to fn. */
static int
hash_entry(struct walk *w, int dfd, const struct dir_entry *e, const char *sub,
    const char *path)
{
	char hex[SHA256_HEX_LEN + 1];
	struct walk_file f;
	struct mark m = { path, 0, 0 };
	struct stat st;
	size_t len = 0;
	int fd, rc, err;

	if (w->want != NULL && !w->want(e->name))
		return 0;
	/* O_NONBLOCK: were it now a FIFO, the open must not wait */
	if ((fd = open_entry(w, dfd, e->name, O_NONBLOCK)) == -1) {
		err = errno;
		return skip_failed(w, dfd, e->name, err, DT_REG)
		    ? 0
		    : diag_errno(w->d, &m, err, "cannot open");
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	/*
	 * A file small enough to be parsed from one buffer (less than
	 * INPUT_HEAD bytes, read whole by input_open()) is kept for the
	 * reader: it parses the bytes hashed here, and opens it no more.
	 */
	if (w->ix != NULL && st.st_size < INPUT_HEAD && w->copy == NULL &&
	    (w->copy = lib_malloc(INPUT_HEAD)) == NULL) {
		close(fd);
		return diag_sys(w->d, NULL, "out of memory");
	}
	rc = w->ix != NULL && st.st_size < INPUT_HEAD
	    ? sha256_fd_copy(w->d, fd, path, hex, w->copy, INPUT_HEAD - 1, &len)
	    : sha256_fd_hex(w->d, fd, path, hex);
	close(fd);
	if (rc != 0)
		return -1;
	if (w->ix != NULL && st.st_size < INPUT_HEAD && len < INPUT_HEAD &&
	    dir_index_keep(w->ix, path, w->copy, len) != 0)
		return diag_sys(w->d, NULL, "out of memory");
	f.rel = sub;
	f.path = path;
	f.name = e->name;
	f.sha256 = hex;
	f.st = &st;
	return w->fn(w->ctx, &f);
}

/* Entry i of directory dfd (rel): a folder walked, a file hashed. */
static int
walk_entry(struct walk *w, int dfd, const char *rel, const struct dir_entry *e,
    int depth)
{
	char sub[PATH_MAX], path[PATH_MAX];
	unsigned char t;
	int fd;

	if ((size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "",
		e->name) >= sizeof(sub) ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", w->root, sub) >=
		sizeof(path))
		return diag_err(
		    w->d, NULL, "path too long under '%s'", w->root);
	if ((t = entry_type(w, dfd, e)) == DT_REG)
		return hash_entry(w, dfd, e, sub, path);
	if (t != DT_DIR)
		return 0;
	if ((fd = open_entry(w, dfd, e->name, O_DIRECTORY)) == -1 &&
	    skip_failed(w, dfd, e->name, errno, DT_DIR))
		return 0;
	/* fd -1: walk_dir() opens it by path, and says why it cannot */
	return walk_dir(w, fd, sub, depth + 1);
}

/*
 * Directory rel of the root, at dfd (or -1: opened here by path, whose
 * failure is the error).  The descriptor is the walk's to close.
 */
static int
walk_dir(struct walk *w, int dfd, const char *rel, int depth)
{
	char path[PATH_MAX];
	struct dir_entry *v = NULL;
	size_t n = 0, i, k;
	DIR *dp = NULL;
	int rc = 0;

	if (depth > WALK_MAX_DEPTH) {
		if (dfd != -1)
			close(dfd);
		return diag_err(
		    w->d, NULL, "directory '%s' nests too deep", w->root);
	}
	if ((size_t)snprintf(path, sizeof(path), "%s%s%s", w->root,
		rel[0] ? "/" : "", rel) >= sizeof(path)) {
		if (dfd != -1)
			close(dfd);
		return diag_err(
		    w->d, NULL, "path too long under '%s'", w->root);
	}
	if (dfd == -1)
		dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1 || (dp = fdopendir(dfd)) == NULL) {
		if (dfd != -1)
			close(dfd);
		return diag_err(w->d, w->m, "cannot open directory '%s'", path);
	}
	if (read_entries(dp, &v, &n) != 0 ||
	    (w->ix != NULL && dir_index_add(w->ix, path, dfd, v, n) != 0))
		rc = diag_sys(w->d, NULL, "out of memory");
	/* the walk's own order: dot names left out, the rest sorted */
	for (i = k = 0; i < n; i++)
		if (v[i].name[0] == '.')
			lib_free((char *)v[i].name);
		else
			v[k++] = v[i];
	if (k > 1)
		qsort(v, k, sizeof(*v), ent_cmp);
	for (i = 0; i < k && rc == 0; i++)
		rc = walk_entry(w, dirfd(dp), rel, &v[i], depth);
	closedir(dp);
	free_entries(v, k);
	return rc;
}

int
dir_walk_files(struct diag *d, const char *root, const struct mark *m,
    unsigned flags, int (*want)(const char *name),
    int (*fn)(void *ctx, const struct walk_file *f), void *ctx,
    struct dir_index *ix)
{
	struct walk w = { d, root, m, flags, want, fn, ctx, ix, NULL };
	int rc;

	rc = walk_dir(&w, -1, "", 0);
	lib_free(w.copy);
	return rc;
}
