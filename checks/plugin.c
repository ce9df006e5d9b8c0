/*
 * plugin.c: loading external check plugins from shared objects.
 *
 * A plugin runs with rampart's privileges (its constructors run as soon
 * as it is loaded, before any of our checks on what it declares), so the
 * loader refuses a file that someone other than its owner could have
 * replaced: the file and every directory above it, up to the root, must
 * be owned by root or by the user running rampart and must not be
 * writable by group or others (as OpenSSH checks an authorized_keys path).
 * A sticky directory owned by root (/tmp) is the one exception: there only
 * an entry's owner can rename or remove it.  The file is opened once with
 * O_NOFOLLOW and that very open file is handed to dlopen() through
 * /proc/self/fd/N, so what was checked is what gets loaded (no race
 * between the check and the load).
 */
#define _XOPEN_SOURCE 700 /* realpath, S_ISVTX */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/check.h"

/* A sanity bound on the number of plugins one object may declare. */
#define PLUGIN_MAX_PER_OBJECT 1024

struct plugin_handle {
	void *dl;
	const struct rampart_plugin_v1 *desc;
};

/*
 * Whether st describes something only its owner (root or us) can change.
 * what is "file" or "directory" for the message.
 */
static int
check_perms(struct diag *d, const struct mark *m, const char *path,
    const char *what, const struct stat *st)
{
	uid_t me = geteuid();

	if (st->st_uid != 0 && st->st_uid != me)
		return diag_err(d, m,
		    "refusing plugin: %s '%s' is owned by uid %lu, "
		    "not by root or the current user",
		    what, path, (unsigned long)st->st_uid);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return diag_err(d, m,
		    "refusing plugin: %s '%s' is writable by %s (mode %04o); "
		    "make it writable by its owner only",
		    what, path, (st->st_mode & S_IWOTH) ? "others" : "group",
		    (unsigned)(st->st_mode & 07777));
	return 0;
}

/*
 * Check one directory on the way up: as check_perms(), but a sticky
 * directory owned by root may be writable by all, since nobody else can
 * rename or remove what we own in it.
 */
static int
check_ancestor(struct diag *d, const struct mark *m, const char *dir,
    const struct stat *st)
{
	if (!S_ISDIR(st->st_mode))
		return diag_err(d, m,
		    "refusing plugin: '%s' on its path is not a directory",
		    dir);
	if (st->st_uid == 0 && (st->st_mode & S_ISVTX))
		return 0;
	return check_perms(d, m, dir, "directory", st);
}

/*
 * Check every directory from dir up to "/": first the path as given (made
 * absolute, symbolic links not followed, so a link in a writable
 * directory is caught), then the physical path realpath() finds (so the
 * directories a link leads through are checked too).  0 or -1.
 */
static int
check_ancestors(struct diag *d, const struct mark *m, const char *dir)
{
	char buf[PATH_MAX], cwd[PATH_MAX], *slash;
	struct stat st;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			if (realpath(dir, buf) == NULL)
				return diag_errno(d, m, errno,
				    "cannot resolve plugin directory '%s'",
				    dir);
		} else if (dir[0] == '/') {
			if (snprintf(buf, sizeof(buf), "%s", dir) >=
			    (int)sizeof(buf))
				return diag_err(
				    d, m, "plugin path '%s' is too long", dir);
		} else {
			if (getcwd(cwd, sizeof(cwd)) == NULL)
				return diag_sys(d, m,
				    "cannot find the current directory: %s",
				    strerror(errno));
			if (snprintf(buf, sizeof(buf), "%s/%s", cwd, dir) >=
			    (int)sizeof(buf))
				return diag_err(
				    d, m, "plugin path '%s' is too long", dir);
		}
		for (;;) {
			if (lstat(buf, &st) != 0)
				return diag_errno(d, m, errno,
				    "cannot stat plugin directory '%s'", buf);
			/* A link's own mode means nothing; its target is
			 * checked in the second pass. */
			if (!S_ISLNK(st.st_mode) &&
			    check_ancestor(d, m, buf, &st) != 0)
				return -1;
			if ((slash = strrchr(buf, '/')) == NULL ||
			    strcmp(buf, "/") == 0)
				break;
			if (slash == buf)
				slash[1] = '\0';
			else
				*slash = '\0';
		}
	}
	return 0;
}

/* The directory part of path into buf ("." when there is none). */
static int
dir_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL)
		return snprintf(buf, len, ".") < (int)len ? 0 : -1;
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= len)
		return -1;
	memcpy(buf, path, n);
	buf[n] = '\0';
	return 0;
}

/* Validate what the object declares; 0 or -1. */
static int
validate(struct diag *d, const struct mark *m, const char *path,
    const struct rampart_plugin_v1 *desc)
{
	size_t i, j;
	const struct check_plugin *p;

	if (desc->abi != RAMPART_PLUGIN_ABI)
		return diag_err(d, m,
		    "plugin '%s': plugin ABI version %u, this rampart "
		    "supports %u",
		    path, desc->abi, (unsigned)RAMPART_PLUGIN_ABI);
	if (desc->plugins == NULL || desc->n == 0)
		return diag_err(d, m, "plugin '%s' declares no checks", path);
	if (desc->n > PLUGIN_MAX_PER_OBJECT)
		return diag_err(d, m,
		    "plugin '%s' declares %zu checks (at most %d)", path,
		    desc->n, PLUGIN_MAX_PER_OBJECT);
	for (i = 0; i < desc->n; i++) {
		p = &desc->plugins[i];
		if (p->name == NULL || p->name[0] == '\0')
			return diag_err(d, m,
			    "plugin '%s': check #%zu has no name", path, i + 1);
		if (p->evaluate == NULL)
			return diag_err(d, m,
			    "plugin '%s': check '%s' has no evaluate function",
			    path, p->name);
		if (p->resource_types == NULL || p->resource_types[0] == NULL)
			return diag_err(d, m,
			    "plugin '%s': check '%s' declares no resource "
			    "types",
			    path, p->name);
		if (check_plugin_find(p->name) != NULL)
			return diag_err(d, m,
			    "plugin '%s': check '%s' has the name of a "
			    "built-in check",
			    path, p->name);
		for (j = 0; j < i; j++)
			if (strcmp(desc->plugins[j].name, p->name) == 0)
				return diag_err(d, m,
				    "plugin '%s': check '%s' is declared "
				    "twice",
				    path, p->name);
	}
	return 0;
}

/* Descriptor numbers tried before giving up on a fresh /proc name. */
#define FD_PATH_TRIES 16

/*
 * The /proc/self/fd name of *fd for dlopen().  The dynamic loader returns
 * an object already loaded under the same name instead of reading the
 * file again, so a name still in use (an earlier plugin opened through a
 * descriptor of the same number) is avoided by moving *fd to another
 * number.  0 or -1.
 */
static int
fd_path(struct diag *d, const struct mark *m, int *fd, char *buf, size_t len)
{
	int old[FD_PATH_TRIES], n = 0, nfd, rc = -1;
	void *h;

	for (;;) {
		snprintf(buf, len, "/proc/self/fd/%d", *fd);
		if ((h = dlopen(buf, RTLD_LAZY | RTLD_NOLOAD)) == NULL) {
			rc = 0;
			break;
		}
		dlclose(h);
		if (n == FD_PATH_TRIES ||
		    (nfd = fcntl(*fd, F_DUPFD_CLOEXEC, *fd + 1)) < 0) {
			diag_err(d, m,
			    "cannot find a free descriptor name to "
			    "load the plugin from");
			break;
		}
		old[n++] = *fd;
		*fd = nfd;
	}
	while (n > 0)
		close(old[--n]);
	return rc;
}

/*
 * Load the plugin object at path.  Returns a handle (owned by the caller,
 * released with plugin_unload) or NULL with the reason in d.
 */
struct plugin_handle *
plugin_load(struct diag *d, const char *path)
{
	struct mark m = { path, 0, 0 };
	struct plugin_handle *h = NULL;
	const struct rampart_plugin_v1 *desc;
	char dir[PATH_MAX], fdpath[64];
	struct stat st;
	void *dl = NULL;
	int fd = -1, dfd = -1;
	const char *err;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP)
			diag_err(d, &m,
			    "refusing plugin '%s': it is a symbolic link",
			    path);
		else
			diag_errno(
			    d, &m, errno, "cannot open plugin '%s'", path);
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		diag_sys(d, &m, "cannot stat plugin '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_err(
		    d, &m, "refusing plugin '%s': not a regular file", path);
		goto out;
	}
	if (check_perms(d, &m, path, "file", &st) != 0)
		goto out;
	if (dir_of(path, dir, sizeof(dir)) != 0) {
		diag_err(d, &m, "plugin path '%s' is too long", path);
		goto out;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fstat(dfd, &st) != 0) {
		diag_errno(
		    d, &m, errno, "cannot stat plugin directory '%s'", dir);
		goto out;
	}
	if (check_perms(d, &m, dir, "directory", &st) != 0 ||
	    check_ancestors(d, &m, dir) != 0)
		goto out;
	if (fd_path(d, &m, &fd, fdpath, sizeof(fdpath)) != 0)
		goto out;
	if ((dl = dlopen(fdpath, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		err = dlerror();
		diag_err(d, &m, "cannot load plugin '%s': %s", path,
		    err != NULL ? err : "unknown error");
		goto out;
	}
	desc = dlsym(dl, "rampart_plugin_v1");
	if (desc == NULL) {
		diag_err(d, &m,
		    "plugin '%s' does not export 'rampart_plugin_v1'", path);
		goto out;
	}
	if (validate(d, &m, path, desc) != 0)
		goto out;
	if ((h = lib_calloc(1, sizeof(*h))) == NULL) {
		diag_sys(d, &m, "out of memory");
		goto out;
	}
	h->dl = dl;
	h->desc = desc;
	dl = NULL;
out:
	if (dl != NULL)
		dlclose(dl);
	if (dfd >= 0)
		close(dfd);
	if (fd >= 0)
		close(fd);
	return h;
}

/* Unload a plugin; its checks must no longer be used.  Accepts NULL. */
void
plugin_unload(struct plugin_handle *h)
{
	if (h == NULL)
		return;
	dlclose(h->dl);
	lib_free(h);
}

size_t
plugin_count(const struct plugin_handle *h)
{
	return h != NULL ? h->desc->n : 0;
}

const struct check_plugin *
plugin_get(const struct plugin_handle *h, size_t i)
{
	return h != NULL && i < h->desc->n ? &h->desc->plugins[i] : NULL;
}
