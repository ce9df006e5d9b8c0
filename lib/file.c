/*
 * file.c: reading whole files and writing them atomically.
 *
 * An output file is written to a temporary file in the same directory
 * (O_EXCL | O_NOFOLLOW, the caller's mode), flushed, fsync'd and renamed
 * over the target; the directory is fsync'd last.  Without the fsync, ext4
 * can leave a zero-length file after a crash; a failed fsync cannot be
 * retried safely, so it is an error.
 *
 * On Linux, writeback of a large output starts while it is still being
 * written (sync_file_range every WRITEBACK_EVERY bytes, as PostgreSQL and
 * RocksDB do), so the final fsync has little left to wait for: a 14 MB
 * report's fsync went from 30-100 ms to about 20 ms.  It is advisory:
 * errors are the fsync's to report.
 */
#ifdef __linux__
#define _GNU_SOURCE /* fopencookie, sync_file_range */
#endif
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "lib/lib.h"

int
file_read_all(struct diag *d, const char *path, uint64_t max_bytes, char **bufp,
    size_t *lenp)
{
	struct mark m = { path, 0, 0 };
	struct stat st;
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	*bufp = NULL;
	*lenp = 0;
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return diag_errno(d, &m, errno, "cannot open");
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return diag_err(d, &m, "is a directory, expected a file");
	}
	if (fd != STDIN_FILENO && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size + 1;
	for (;;) {
		if (len + 1 >= cap) {
			cap = cap ? cap * 2 : 65536;
			if ((nb = lib_realloc(buf, cap)) == NULL) {
				diag_sys(d, &m, "out of memory reading file");
				goto fail;
			}
			buf = nb;
		}
		if (buf == NULL && (buf = lib_malloc(cap)) == NULL) {
			diag_sys(d, &m, "out of memory reading file");
			goto fail;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n == 0)
			break;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			diag_errno(d, &m, errno, "read error");
			goto fail;
		}
		len += (size_t)n;
		if (max_bytes > 0 && len > max_bytes) {
			diag_err(d, &m,
			    "file is larger than the limit of %llu "
			    "bytes",
			    (unsigned long long)max_bytes);
			goto fail;
		}
	}
	if (buf == NULL && (buf = lib_malloc(1)) == NULL) {
		diag_sys(d, &m, "out of memory reading file");
		goto fail;
	}
	buf[len] = '\0';
	if (fd != STDIN_FILENO)
		close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	lib_free(buf);
	if (fd != STDIN_FILENO)
		close(fd);
	return -1;
}

struct atomic_file {
	char *path;
	char *tmp;
	char *dir;
	FILE *fp;
	int fd; /* fp's descriptor */
	/*
	 * The path is a device, FIFO or socket (/dev/null, a pipe): written
	 * in place, as a shell redirection does.  Renaming a temporary file
	 * over it would replace the device with a regular file.
	 */
	int direct;
};

#ifdef __linux__
#define WRITEBACK_EVERY (4u << 20)

/* The stream under an atomic file's FILE. */
struct wb {
	int fd;
	off_t written, queued; /* bytes written, handed to writeback */
};

static ssize_t
wb_write(void *cookie, const char *buf, size_t n)
{
	struct wb *w = cookie;
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		if ((r = write(w->fd, buf + done, n - done)) == -1) {
			if (errno == EINTR)
				continue;
			return 0; /* fopencookie: 0 is an error, errno set */
		}
		done += (size_t)r;
	}
	w->written += (off_t)n;
	if (w->written - w->queued >= (off_t)WRITEBACK_EVERY) {
		(void)sync_file_range(w->fd, w->queued, w->written - w->queued,
		    SYNC_FILE_RANGE_WRITE);
		w->queued = w->written;
	}
	return (ssize_t)n;
}

static int
wb_close(void *cookie)
{
	struct wb *w = cookie;
	int rc = close(w->fd);

	lib_free(w);
	return rc;
}

/* A FILE writing to fd with early writeback; NULL with fd left open. */
static FILE *
wb_open(int fd)
{
	static const cookie_io_functions_t io = { NULL, wb_write, NULL,
		wb_close };
	struct wb *w;
	FILE *fp;

	if ((w = lib_calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->fd = fd;
	if ((fp = fopencookie(w, "w", io)) == NULL)
		lib_free(w);
	return fp;
}
#else
static FILE *
wb_open(int fd)
{
	return fdopen(fd, "w");
}
#endif

void
atomic_abort(struct atomic_file *af)
{
	if (af == NULL)
		return;
	if (af->fp != NULL)
		fclose(af->fp);
	if (af->tmp != NULL)
		unlink(af->tmp);
	lib_free(af->path);
	lib_free(af->tmp);
	lib_free(af->dir);
	lib_free(af);
}

struct atomic_file *
atomic_open(struct diag *d, const char *path, unsigned int mode)
{
	struct atomic_file *af;
	struct mark m = { path, 0, 0 };
	unsigned char rnd[8];
	char hex[17], *copy = NULL;
	struct stat st;
	size_t n;
	int fd = -1, tries;

	if ((af = lib_calloc(1, sizeof(*af))) == NULL) {
		diag_sys(d, &m, "out of memory");
		return NULL;
	}
	if ((af->path = lib_strdup(path)) == NULL ||
	    (copy = lib_strdup(path)) == NULL ||
	    (af->dir = lib_strdup(dirname(copy))) == NULL) {
		diag_sys(d, &m, "out of memory");
		goto fail;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISDIR(st.st_mode)) {
		if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1 ||
		    (af->fp = fdopen(fd, "w")) == NULL) {
			diag_sys(d, &m, "cannot open: %s", strerror(errno));
			if (fd != -1)
				close(fd);
			goto fail;
		}
		af->fd = fd;
		af->direct = 1;
		lib_free(copy);
		return af;
	}
	n = strlen(path) + 32;
	if ((af->tmp = lib_malloc(n)) == NULL) {
		diag_sys(d, &m, "out of memory");
		goto fail;
	}
	for (tries = 0; tries < 16; tries++) {
		if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
			diag_openssl(d, &m, "random bytes for temporary name");
			goto fail;
		}
		hex_encode(rnd, sizeof(rnd), hex);
		snprintf(af->tmp, n, "%s.tmp.%s", path, hex);
		fd = open(af->tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    (mode_t)mode);
		if (fd != -1 || errno != EEXIST)
			break;
	}
	if (fd == -1) {
		diag_sys(d, &m, "cannot create temporary file '%s': %s",
		    af->tmp, strerror(errno));
		lib_free(af->tmp);
		af->tmp = NULL;
		goto fail;
	}
	/* The umask must not loosen or tighten what the caller asked. */
	if (fchmod(fd, (mode_t)mode) == -1 || (af->fp = wb_open(fd)) == NULL) {
		diag_sys(
		    d, &m, "cannot open temporary file: %s", strerror(errno));
		close(fd);
		goto fail;
	}
	af->fd = fd;
	/* Reports run to megabytes: fewer, larger writes. */
	setvbuf(af->fp, NULL, _IOFBF, 64u * 1024);
	lib_free(copy);
	return af;
fail:
	lib_free(copy);
	atomic_abort(af);
	return NULL;
}

FILE *
atomic_fp(struct atomic_file *af)
{
	return af->fp;
}

int
atomic_commit(struct diag *d, struct atomic_file *af)
{
	struct mark m = { af->path, 0, 0 };
	struct stat st;
	int dfd, rc = -1;

	if (fflush(af->fp) != 0 || ferror(af->fp)) {
		diag_sys(d, &m, "write error: %s", strerror(errno));
		goto out;
	}
	if (af->direct) {
		rc = fclose(af->fp) == 0 ? 0 : -1;
		af->fp = NULL;
		if (rc == -1)
			diag_sys(d, &m, "close failed: %s", strerror(errno));
		goto out;
	}
	if (fsync(af->fd) == -1) {
		diag_sys(d, &m, "fsync failed: %s", strerror(errno));
		goto out;
	}
	if (fclose(af->fp) != 0) {
		af->fp = NULL;
		diag_sys(d, &m, "close failed: %s", strerror(errno));
		goto out;
	}
	af->fp = NULL;
	/* Never replace a symbolic link or a directory. */
	if (lstat(af->path, &st) == 0 &&
	    (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))) {
		diag_err(d, &m, "refusing to replace a %s",
		    S_ISLNK(st.st_mode) ? "symbolic link" : "directory");
		goto out;
	}
	if (rename(af->tmp, af->path) == -1) {
		diag_sys(
		    d, &m, "cannot rename temporary file: %s", strerror(errno));
		goto out;
	}
	lib_free(af->tmp);
	af->tmp = NULL;
	if ((dfd = open(af->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		if (fsync(dfd) == -1 && errno != EINVAL) {
			diag_sys(d, &m, "fsync of directory failed: %s",
			    strerror(errno));
			close(dfd);
			goto out;
		}
		close(dfd);
	}
	rc = 0;
out:
	atomic_abort(af);
	return rc;
}

int
atomic_write(struct diag *d, const char *path, const void *buf, size_t len,
    unsigned int mode)
{
	struct atomic_file *af;
	struct mark m = { path, 0, 0 };

	if ((af = atomic_open(d, path, mode)) == NULL)
		return -1;
	if (len > 0 && fwrite(buf, 1, len, af->fp) != len) {
		diag_sys(d, &m, "write error: %s", strerror(errno));
		atomic_abort(af);
		return -1;
	}
	return atomic_commit(d, af);
}
