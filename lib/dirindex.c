/*
 * dirindex.c: a directory index for one input (lib.h, "directory
 * index"): each directory is listed once (names and d_type) and the
 * questions a reader asks about a path ("is there a file here, is it a
 * folder") are answered from the listing, as stat(2) would answer them,
 * without a path walk per question.  Where the listing cannot tell
 * (d_type DT_UNKNOWN or DT_LNK, a directory that cannot be listed or
 * searched) the kernel is asked, exactly as before the index.  A walk
 * that reads the folders anyway (the run's digest, lib/dirwalk.c) hands
 * it their listings (dir_index_add()) and the bytes of the small files
 * it read whole (dir_index_keep()), which the reader parses instead of
 * reading the files again (dir_index_bytes()).
 */
#define _DEFAULT_SOURCE /* d_type and DT_* of struct dirent */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/lib.h"

/* One listed directory (or the error listing it gave). */
struct dx_dir {
	const char *path;
	uint64_t hash;
	int err; /* opendir()'s errno, 0: listed */
	/*
	 * Whether a name can be looked up in it: a directory that can be
	 * read but not searched (mode r--) lists its names, yet stat(2)
	 * of each is EACCES; then every answer comes from stat(2).
	 */
	int searchable;
	const char **names; /* readdir order, "." and ".." left out */
	struct dir_entry *ents; /* names[i] and its d_type */
	struct dir_entry **sorted; /* ents by name, for bsearch */
	size_t n;
	/* Bytes kept of ents[i] (dir_index_keep()), or NULL; lazily. */
	const char **data;
	size_t *dlen;
};

struct dir_index {
	struct arena *a;
	struct dx_dir **tab; /* open addressing, cap a power of two */
	size_t cap, used;
	size_t kept; /* bytes of files kept, at most DIR_INDEX_KEEP_MAX */
};

struct dir_index *
dir_index_new(void)
{
	struct dir_index *ix;

	if ((ix = lib_calloc(1, sizeof(*ix))) == NULL)
		return NULL;
	if ((ix->a = arena_new()) == NULL) {
		lib_free(ix);
		return NULL;
	}
	return ix;
}

void
dir_index_free(struct dir_index *ix)
{
	if (ix == NULL)
		return;
	arena_free(ix->a);
	lib_free(ix->tab);
	lib_free(ix);
}

/* FNV-1a of s, len bytes. */
static uint64_t
dx_hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* The slot of dir (len bytes, hash h): its entry, or the empty slot. */
static size_t
dx_slot(const struct dir_index *ix, const char *dir, size_t len, uint64_t h)
{
	size_t i = (size_t)h & (ix->cap - 1);
	const struct dx_dir *e;

	while ((e = ix->tab[i]) != NULL) {
		if (e->hash == h && strlen(e->path) == len &&
		    memcmp(e->path, dir, len) == 0)
			break;
		i = (i + 1) & (ix->cap - 1);
	}
	return i;
}

static int
dx_grow(struct dir_index *ix)
{
	struct dx_dir **old = ix->tab, **nt;
	size_t ocap = ix->cap, cap = ocap != 0 ? ocap * 2 : 64, i, j;

	if ((nt = lib_calloc(cap, sizeof(*nt))) == NULL)
		return -1;
	ix->tab = nt;
	ix->cap = cap;
	for (i = 0; i < ocap; i++) {
		if (old[i] == NULL)
			continue;
		j = (size_t)old[i]->hash & (cap - 1);
		while (nt[j] != NULL)
			j = (j + 1) & (cap - 1);
		nt[j] = old[i];
	}
	lib_free(old);
	return 0;
}

static int
dx_cmp(const void *a, const void *b)
{
	return strcmp((*(struct dir_entry *const *)a)->name,
	    (*(struct dir_entry *const *)b)->name);
}

/* e's names (readdir order) and its entries sorted by name.  0/-1. */
static int
dx_sort(struct dir_index *ix, struct dx_dir *e)
{
	size_t i;

	if (e->n == 0)
		return 0;
	if ((e->names = arena_alloc(ix->a, e->n * sizeof(*e->names))) == NULL ||
	    (e->sorted = arena_alloc(ix->a, e->n * sizeof(*e->sorted))) == NULL)
		return -1;
	for (i = 0; i < e->n; i++) {
		e->names[i] = e->ents[i].name;
		e->sorted[i] = &e->ents[i];
	}
	qsort(e->sorted, e->n, sizeof(*e->sorted), dx_cmp);
	return 0;
}

/* The names of dp into e (readdir order, then sorted).  0 or -1. */
static int
dx_read(struct dir_index *ix, struct dx_dir *e, DIR *dp)
{
	struct dirent *de;
	size_t cap = 0, ncap;
	struct dir_entry *nv;

	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (e->n == cap) {
			ncap = cap != 0 ? cap * 2 : 16;
			if ((nv = arena_realloc(ix->a, e->ents,
				 cap * sizeof(*nv), ncap * sizeof(*nv))) ==
			    NULL)
				return -1;
			e->ents = nv;
			cap = ncap;
		}
		if ((e->ents[e->n].name = arena_strdup(ix->a, de->d_name)) ==
		    NULL)
			return -1;
		e->ents[e->n++].type = de->d_type;
	}
	return dx_sort(ix, e);
}

/*
 * Whether a name can be looked up in the folder at dfd, whose first
 * entry is first (NULL: it has none): one lookup relative to it, whose
 * EACCES says no (see searchable).
 */
static int
dx_searchable(int dfd, const char *first)
{
	struct stat st;

	return fstatat(dfd, first != NULL ? first : ".", &st,
		   AT_SYMLINK_NOFOLLOW) == 0 ||
	    errno != EACCES;
}

/* A new record of dir (len bytes, hash h), not yet in the table. */
static struct dx_dir *
dx_new(struct dir_index *ix, const char *dir, size_t len, uint64_t h)
{
	struct dx_dir *e;

	if ((ix->used + 1) * 2 > ix->cap && dx_grow(ix) != 0)
		return NULL;
	if ((e = arena_alloc(ix->a, sizeof(*e))) == NULL ||
	    (e->path = arena_strndup(ix->a, dir, len)) == NULL)
		return NULL;
	e->hash = h;
	return e;
}

/* Put e in the table (dx_new() made room for it). */
static void
dx_insert(struct dir_index *ix, struct dx_dir *e)
{
	size_t len = strlen(e->path);

	ix->tab[dx_slot(ix, e->path, len, e->hash)] = e;
	ix->used++;
}

/*
 * List dir once: its record (listed, or holding opendir()'s errno), or
 * NULL with errno set when memory runs out or the error may pass (too
 * many open files): nothing is recorded then.
 */
static struct dx_dir *dx_lookup(
    const struct dir_index *ix, const char *dir, size_t len);
static const struct dir_entry *dx_find(
    const struct dx_dir *e, const char *name);

/*
 * What opendir(dir) would fail with, known from the listing of its
 * parent when the index holds it: ENOENT (not in it, or the parent is
 * missing), ENOTDIR (a file that is no folder and no link, or the
 * parent is one), else 0 (ask the kernel).
 */
static int
dx_known_error(const struct dir_index *ix, const char *dir, size_t len)
{
	const struct dx_dir *p;
	const struct dir_entry *hit;
	const char *slash = NULL;
	char name[NAME_MAX + 1];
	size_t i, n;

	for (i = len; i > 0; i--)
		if (dir[i - 1] == '/') {
			slash = dir + i - 1;
			break;
		}
	if (slash == NULL || slash == dir ||
	    (n = len - (size_t)(slash + 1 - dir)) == 0 || n > NAME_MAX)
		return 0;
	memcpy(name, slash + 1, n);
	name[n] = '\0';
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    (p = dx_lookup(ix, dir, (size_t)(slash - dir))) == NULL)
		return 0;
	/* under a missing folder, or under a file: the same error */
	if (p->err == ENOENT || p->err == ENOTDIR)
		return p->err;
	if (p->err != 0 || !p->searchable)
		return 0;
	if ((hit = dx_find(p, name)) == NULL)
		return ENOENT;
	if (hit->type == DT_REG || hit->type == DT_FIFO ||
	    hit->type == DT_SOCK || hit->type == DT_CHR || hit->type == DT_BLK)
		return ENOTDIR;
	return 0;
}

/* The record of dir in ix, or NULL when it was never listed. */
static struct dx_dir *
dx_lookup(const struct dir_index *ix, const char *dir, size_t len)
{
	return ix->cap != 0 ? ix->tab[dx_slot(ix, dir, len, dx_hash(dir, len))]
			    : NULL;
}

/* The entry name of listed folder e, or NULL. */
static const struct dir_entry *
dx_find(const struct dx_dir *e, const char *name)
{
	struct dir_entry key, *kp = &key, **hit;

	if (e->n == 0)
		return NULL;
	key.name = name;
	hit = bsearch(&kp, e->sorted, e->n, sizeof(*e->sorted), dx_cmp);
	return hit != NULL ? *hit : NULL;
}

static struct dx_dir *
dx_dir(struct dir_index *ix, const char *dir, size_t len)
{
	struct dx_dir *e;
	uint64_t h = dx_hash(dir, len);
	DIR *dp;
	int err;

	if (ix->cap != 0 && (e = ix->tab[dx_slot(ix, dir, len, h)]) != NULL)
		return e;
	if ((e = dx_new(ix, dir, len, h)) == NULL)
		goto oom;
	if ((e->err = dx_known_error(ix, dir, len)) != 0) {
		/* known from the parent's listing: no system call */
	} else if ((dp = opendir(e->path)) == NULL) {
		err = errno;
		if (err == EMFILE || err == ENFILE || err == ENOMEM) {
			errno = err;
			return NULL;
		}
		e->err = err;
	} else {
		if (dx_read(ix, e, dp) != 0) {
			closedir(dp);
			goto oom;
		}
		e->searchable =
		    dx_searchable(dirfd(dp), e->n > 0 ? e->ents[0].name : NULL);
		closedir(dp);
	}
	dx_insert(ix, e);
	return e;
oom:
	errno = ENOMEM;
	return NULL;
}

int
dir_index_add(struct dir_index *ix, const char *dir, int dfd,
    const struct dir_entry *v, size_t n)
{
	struct dx_dir *e;
	size_t len = strlen(dir), i;
	uint64_t h = dx_hash(dir, len);

	if (ix->cap != 0 && ix->tab[dx_slot(ix, dir, len, h)] != NULL)
		return 0;
	if ((e = dx_new(ix, dir, len, h)) == NULL ||
	    (n > 0 &&
		(e->ents = arena_alloc(ix->a, n * sizeof(*e->ents))) == NULL))
		return -1;
	for (i = 0; i < n; i++) {
		if ((e->ents[i].name = arena_strdup(ix->a, v[i].name)) == NULL)
			return -1;
		e->ents[i].type = v[i].type;
	}
	e->n = n;
	if (dx_sort(ix, e) != 0)
		return -1;
	e->searchable = dx_searchable(dfd, n > 0 ? v[0].name : NULL);
	dx_insert(ix, e);
	return 0;
}

int
dir_index_names(
    struct dir_index *ix, const char *dir, const char *const **names, size_t *n)
{
	const struct dx_dir *e;

	*names = NULL;
	*n = 0;
	if ((e = dx_dir(ix, dir, strlen(dir))) == NULL)
		return -1;
	if (e->err != 0) {
		errno = e->err;
		return -1;
	}
	*names = e->names;
	*n = e->n;
	return 0;
}

/* st as stat(2) gives it for a file of d_type t; 0, or -1 when t says
 * nothing (a symbolic link, unknown). */
static int
dx_mode(unsigned char t, struct stat *st)
{
	mode_t m;

	switch (t) {
	case DT_REG:
		m = S_IFREG;
		break;
	case DT_DIR:
		m = S_IFDIR;
		break;
	case DT_FIFO:
		m = S_IFIFO;
		break;
	case DT_SOCK:
		m = S_IFSOCK;
		break;
	case DT_CHR:
		m = S_IFCHR;
		break;
	case DT_BLK:
		m = S_IFBLK;
		break;
	default:
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = m;
	return 0;
}

int
dir_index_stat(struct dir_index *ix, const char *path, struct stat *st)
{
	const char *slash, *name;
	const struct dir_entry *hit;
	const struct dx_dir *e;

	if (ix == NULL || (slash = strrchr(path, '/')) == NULL || slash == path)
		return stat(path, st);
	name = slash + 1;
	/* What a listing cannot answer as stat(2) does: "." and "..",
	 * "dir/", a name too long for any directory. */
	if (name[0] == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0 || strlen(name) > NAME_MAX)
		return stat(path, st);
	if ((e = dx_dir(ix, path, (size_t)(slash - path))) == NULL)
		return stat(path, st);
	if (e->err != 0) {
		/* A missing folder, or a file where one is in the path:
		 * stat(2) of anything under it fails the same way. */
		if (e->err != ENOENT && e->err != ENOTDIR)
			return stat(path, st);
		errno = e->err;
		return -1;
	}
	if (!e->searchable)
		return stat(path, st);
	if ((hit = dx_find(e, name)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (dx_mode(hit->type, st) != 0)
		return stat(path, st);
	return 0;
}

int
dir_index_keep(
    struct dir_index *ix, const char *path, const char *buf, size_t len)
{
	struct dx_dir *e;
	const struct dir_entry *hit;
	const char *slash;
	char *copy;
	size_t k;

	if (len > DIR_INDEX_KEEP_MAX - ix->kept ||
	    (slash = strrchr(path, '/')) == NULL ||
	    (e = dx_lookup(ix, path, (size_t)(slash - path))) == NULL ||
	    e->err != 0 || (hit = dx_find(e, slash + 1)) == NULL)
		return 0;
	k = (size_t)(hit - e->ents);
	if (e->data == NULL &&
	    ((e->data = arena_alloc(ix->a, e->n * sizeof(*e->data))) == NULL ||
		(e->dlen = arena_alloc(ix->a, e->n * sizeof(*e->dlen))) ==
		    NULL))
		return -1;
	if ((copy = arena_alloc_uninit(ix->a, len + 1)) == NULL)
		return -1;
	memcpy(copy, buf, len);
	copy[len] = '\0';
	e->data[k] = copy;
	e->dlen[k] = len;
	ix->kept += len;
	return 0;
}

int
dir_index_bytes(
    struct dir_index *ix, const char *path, const char **buf, size_t *len)
{
	const struct dx_dir *e;
	const struct dir_entry *hit;
	const char *slash;
	size_t k;

	if (ix == NULL || (slash = strrchr(path, '/')) == NULL ||
	    (e = dx_lookup(ix, path, (size_t)(slash - path))) == NULL ||
	    e->data == NULL || (hit = dx_find(e, slash + 1)) == NULL)
		return 0;
	k = (size_t)(hit - e->ents);
	if (e->data[k] == NULL)
		return 0;
	*buf = e->data[k];
	*len = e->dlen[k];
	return 1;
}
