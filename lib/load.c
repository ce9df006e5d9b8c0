/*
 * load.c: the entry points of the document loaders.  Opens the input,
 * deals with byte-order marks and encodings, picks the format, and hands
 * the bytes to lib/json.c or lib/yaml.c, which drive the builder.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/lib.h"
#include "lib/builder_impl.h"
#include "lib/loader.h"

#define PREFIX_BYTES INPUT_HEAD

/* Position (1-based line and column in characters) of byte off in buf. */
static void
pos_of(const char *buf, size_t off, uint32_t *line, uint32_t *col)
{
	size_t i;
	uint32_t l = 1, c = 1;

	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

static const char *
bom_name(const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf;

	if (len >= 4 && p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0)
		return "UTF-32LE";
	if (len >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF)
		return "UTF-32BE";
	if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE)
		return "UTF-16LE";
	if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
		return "UTF-16BE";
	return NULL;
}

int
text_check_utf8(struct diag *d, const char *name, const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf;
	const char *bom;
	struct mark m = { name, 0, 0 };
	size_t i = 0, n;
	uint32_t cp;

	if ((bom = bom_name(buf, len)) != NULL)
		return diag_err(d, &m,
		    "file is %s encoded; convert it to "
		    "UTF-8",
		    bom);
	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0) {
			pos_of(buf, i, &m.line, &m.col);
			return diag_err(
			    d, &m, "invalid UTF-8 byte 0x%02x", p[i]);
		}
		i += n;
	}
	return 0;
}

static int
put_utf8(struct strbuf *sb, uint32_t cp)
{
	char b[4];

	if (cp < 0x80) {
		b[0] = (char)cp;
		return sb_add(sb, b, 1);
	}
	if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		return sb_add(sb, b, 2);
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		return sb_add(sb, b, 3);
	}
	b[0] = (char)(0xF0 | cp >> 18);
	b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	b[3] = (char)(0x80 | (cp & 0x3F));
	return sb_add(sb, b, 4);
}

int
text_to_utf8(struct diag *d, const char *name, const char *buf, size_t len,
    char **out, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)buf;
	const char *bom = bom_name(buf, len);
	struct mark m = { name, 1, 1 };
	struct strbuf sb;
	uint32_t u, u2, line = 1, col = 1;
	size_t i;
	int le;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		*out = (char *)buf + 3;
		*outlen = len - 3;
		return 2;
	}
	if (bom == NULL)
		return 0;
	if (strncmp(bom, "UTF-32", 6) == 0)
		return diag_err(d, &m,
		    "file is %s encoded; convert it to "
		    "UTF-8",
		    bom);
	le = strcmp(bom, "UTF-16LE") == 0;
	sb_init(&sb);
	for (i = 2; i + 1 < len; i += 2) {
		u = le ? (uint32_t)(p[i] | p[i + 1] << 8)
		       : (uint32_t)(p[i] << 8 | p[i + 1]);
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (i + 3 >= len)
				goto bad;
			u2 = le ? (uint32_t)(p[i + 2] | p[i + 3] << 8)
				: (uint32_t)(p[i + 2] << 8 | p[i + 3]);
			if (u2 < 0xDC00 || u2 > 0xDFFF)
				goto bad;
			u = 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00);
			i += 2;
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			goto bad;
		}
		if (put_utf8(&sb, u) == -1) {
			sb_free(&sb);
			return diag_sys(
			    d, &m, "out of memory decoding %s", bom);
		}
		if (u == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	if (i < len)
		goto odd;
	*outlen = sb.len;
	if ((*out = sb_detach(&sb)) == NULL)
		return diag_sys(d, &m, "out of memory decoding %s", bom);
	return 1;
bad:
	sb_free(&sb);
	m.line = line;
	m.col = col;
	return diag_err(d, &m, "invalid %s: unpaired surrogate", bom);
odd:
	sb_free(&sb);
	m.line = line;
	m.col = col;
	return diag_err(d, &m, "invalid %s: odd number of bytes", bom);
}

ssize_t
read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, (char *)buf + got, n - got);
		if (r == 0)
			break;
		if (r == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/*
 * The digest of load_limits.digest: started when a file is opened for
 * that very path, fed every byte read from it (here for the first
 * PREFIX_BYTES and UTF-16 input, in lib/json.c and lib/yaml.c for the
 * rest), finished when the parse succeeded.  Every byte goes through the
 * digest as it is parsed, so no input is read a second time to hash it.
 */
static int
digest_begin(struct builder *b, struct diag *d, const char *path,
    const struct load_limits *lim)
{
	struct mark m = { path, 0, 0 };
	struct load_digest *dg = lim != NULL ? lim->digest : NULL;

	if (dg == NULL || dg->done || dg->path == NULL ||
	    strcmp(dg->path, path) != 0)
		return 0;
	if ((b->md = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(b->md, lib_sha256_md(), NULL))
		return diag_openssl(d, &m, "sha256");
	return 0;
}

int
digest_update(
    EVP_MD_CTX *md, struct diag *d, const char *name, const char *p, size_t n)
{
	struct mark m = { name, 0, 0 };

	if (md != NULL && n > 0 && !EVP_DigestUpdate(md, p, n))
		return diag_openssl(d, &m, "sha256");
	return 0;
}

static void
digest_drop(struct builder *b)
{
	EVP_MD_CTX_free(b->md);
	b->md = NULL;
}

/* Finish the digest after a parse that returned rc.  Returns rc or -1. */
static int
digest_end(struct builder *b, struct diag *d, const char *path,
    const struct load_limits *lim, int rc)
{
	struct mark m = { path, 0, 0 };
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (b->md == NULL)
		return rc;
	if (rc == 0) {
		if (!EVP_DigestFinal_ex(b->md, md, &mdlen) || mdlen != 32) {
			rc = diag_openssl(d, &m, "sha256");
		} else {
			hex_encode(md, 32, lim->digest->hex);
			lim->digest->done = 1;
		}
	}
	digest_drop(b);
	return rc;
}

/*
 * The common path: input is either a buffer (fd == -1) or an open file
 * whose first bytes are in prefix.  Decodes UTF-16, detects the format
 * and runs the parser.
 */
static int
run(struct builder *b, struct diag *d, const char *name, const char *prefix,
    size_t plen, int fd, enum doc_format fmt, const struct load_limits *lim)
{
	struct mark m = { name, 0, 0 };
	char *whole = NULL, *dec = NULL, *nb;
	size_t wlen = plen, declen = 0, cap;
	ssize_t r;
	int rc, enc;

	if (bom_name(prefix, plen) != NULL && fd != -1) {
		/* UTF-16 input is rare and small: decode it whole. */
		cap = plen + PREFIX_BYTES;
		if ((whole = lib_malloc(cap)) == NULL)
			return diag_sys(d, &m, "out of memory");
		memcpy(whole, prefix, plen);
		for (;;) {
			if (wlen == cap) {
				if (cap > (size_t)lim->max_doc_bytes * 2) {
					lib_free(whole);
					return diag_err(d, &m,
					    "UTF-16 file "
					    "larger than the document limit");
				}
				if ((nb = lib_realloc(whole, cap * 2)) ==
				    NULL) {
					lib_free(whole);
					return diag_sys(d, &m, "out of memory");
				}
				whole = nb;
				cap *= 2;
			}
			if ((r = read_full(fd, whole + wlen, cap - wlen)) < 0) {
				lib_free(whole);
				return diag_errno(d, &m, errno, "read error");
			}
			if (r == 0)
				break;
			if (digest_update(b->md, d, name, whole + wlen,
				(size_t)r) == -1) {
				lib_free(whole);
				return -1;
			}
			wlen += (size_t)r;
		}
		prefix = whole;
		plen = wlen;
		fd = -1;
	}
	if ((enc = text_to_utf8(d, name, prefix, plen, &dec, &declen)) == -1) {
		lib_free(whole);
		return -1;
	}
	if (enc > 0) {
		prefix = dec;
		plen = declen;
	}
	if (fmt == DOC_FMT_AUTO)
		fmt = doc_format_detect(name, prefix, plen);
	if (fmt == DOC_FMT_YAML)
		rc = yaml_feed(b, d, name, prefix, plen, fd, lim);
	else
		rc = json_feed(
		    b, d, name, prefix, plen, fd, fmt == DOC_FMT_NDJSON, lim);
	if (enc == 1)
		lib_free(dec);
	lib_free(whole);
	return rc;
}

/* Whether st is a kind of file an input may be: refused with a message. */
static int
input_kind(struct diag *d, const char *path, const struct stat *st, int fd)
{
	struct mark m = { path, 0, 0 };
	const char *what;

	if (S_ISREG(st->st_mode) || S_ISFIFO(st->st_mode) ||
	    S_ISDIR(st->st_mode))
		return 0;
	if (S_ISSOCK(st->st_mode))
		what = "a socket";
	else if (S_ISBLK(st->st_mode))
		what = "a block device";
	else if (S_ISCHR(st->st_mode) && fd != -1 && isatty(fd))
		what = "a terminal";
	else if (S_ISCHR(st->st_mode))
		what = "a character device";
	else
		what = "not a regular file";
	return diag_err(d, &m,
	    "cannot read '%s': it is %s; give a file, a directory "
	    "or a pipe",
	    path, what);
}

/*
 * input_open() when open(2) of path failed with err: the message stat(2)
 * gives (missing, a socket), a directory that can be looked at but not
 * opened (an input still, as its adapter reports what it cannot read),
 * else the open's error.
 */
static int
input_open_failed(struct diag *d, const char *path, struct input *in, int err)
{
	struct mark m = { path, 0, 0 };
	struct stat st;

	if (stat(path, &st) == -1)
		return diag_errno(d, &m, errno, "cannot open '%s'", path);
	if (input_kind(d, path, &st, -1) == -1)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		in->is_dir = 1;
		return 0;
	}
	return diag_errno(d, &m, err, "cannot open '%s'", path);
}

/*
 * Open path (not "-") into in->fd and its stat into *st: 1 when it is a
 * directory (in->is_dir set, no descriptor kept), 0, or -1.  One path
 * walk: open first, then look at what was opened.  O_NONBLOCK so that
 * neither a FIFO without a writer nor a device can block the open,
 * O_NOCTTY so that a terminal never becomes ours; a device is closed
 * again unread (input_kind()).  A FIFO opened so has no writer yet, and
 * a read would see its end: wait (poll(2)) until its first writer has
 * written or come and gone, then read it blocking, as a blocking open
 * would have waited for that writer.
 */
static int
input_open_path(
    struct diag *d, const char *path, struct input *in, struct stat *st)
{
	struct mark m = { path, 0, 0 };
	struct pollfd p;
	int fl;

	in->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (in->fd == -1)
		return input_open_failed(d, path, in, errno) == -1 ? -1 : 1;
	if (fstat(in->fd, st) == -1)
		return diag_errno(d, &m, errno, "cannot open '%s'", path);
	/* fd -1: a terminal is "a character device", as stat(2) showed it */
	if (input_kind(d, path, st, -1) == -1)
		return -1;
	if (S_ISDIR(st->st_mode)) {
		close(in->fd);
		in->fd = -1;
		in->is_dir = 1;
		return 1;
	}
	if (!S_ISFIFO(st->st_mode))
		return 0;
	p.fd = in->fd;
	p.events = POLLIN;
	while (poll(&p, 1, -1) == -1)
		if (errno != EINTR)
			return diag_errno(
			    d, &m, errno, "read error in '%s'", path);
	if ((fl = fcntl(in->fd, F_GETFL)) == -1 ||
	    fcntl(in->fd, F_SETFL, fl & ~O_NONBLOCK) == -1)
		return diag_errno(d, &m, errno, "cannot open '%s'", path);
	return 0;
}

int
input_open(struct diag *d, const char *path, struct input *in)
{
	struct mark m = { path, 0, 0 };
	struct stat st;
	ssize_t n;
	int rc;

	memset(in, 0, sizeof(*in));
	in->path = path;
	in->fd = -1;
	if (strcmp(path, "-") == 0) {
		/* A copy, so input_close() never closes standard input. */
		if ((in->fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)) == -1)
			return diag_errno(
			    d, &m, errno, "cannot read '-' (standard input)");
		if (fstat(in->fd, &st) == -1)
			return diag_errno(
			    d, &m, errno, "cannot open '%s'", path);
	} else if ((rc = input_open_path(d, path, in, &st)) != 0) {
		return rc == 1 ? 0 : -1;
	}
	if (input_kind(d, path, &st, in->fd) == -1)
		return -1;
	if (S_ISDIR(st.st_mode))
		return diag_err(d, &m,
		    "cannot read '%s': it became a directory while "
		    "being opened",
		    path);
	in->is_regular = S_ISREG(st.st_mode);
	if ((in->head = lib_malloc(INPUT_HEAD + 1)) == NULL)
		return diag_sys(d, &m, "out of memory");
	if ((n = read_full(in->fd, in->head, INPUT_HEAD)) < 0)
		return diag_errno(d, &m, errno, "read error in '%s'", path);
	in->hlen = (size_t)n;
	in->head[in->hlen] = '\0';
	in->eof = in->hlen < INPUT_HEAD;
	return 0;
}

void
input_close(struct input *in)
{
	if (in == NULL || in->path == NULL)
		return;
	if (in->fd != -1)
		close(in->fd);
	in->fd = -1;
	lib_free(in->head);
	in->head = NULL;
	in->hlen = 0;
	dir_index_free(in->dirs);
	in->dirs = NULL;
}

struct input *
input_of(const struct load_limits *lim, const char *path)
{
	if (lim == NULL || lim->input == NULL || lim->input->path == NULL ||
	    path == NULL || strcmp(lim->input->path, path) != 0)
		return NULL;
	return lim->input;
}

/*
 * The input to read path from: lim's when it is that path (and not a
 * regular file already read, which is simply opened again), else *own,
 * opened here (the caller closes it when the result is own).  NULL on
 * error.
 */
static struct input *
input_get(struct diag *d, const char *path, const struct load_limits *lim,
    struct input *own)
{
	struct input *in = input_of(lim, path);

	if (in != NULL && !(in->used && in->is_regular))
		return in;
	if (input_open(d, path, own) == -1) {
		input_close(own);
		return NULL;
	}
	return own;
}

/* Parse an opened input: the head, then the rest from its descriptor. */
static int
stream_input(struct builder *b, struct diag *d, const char *name,
    struct input *in, enum doc_format fmt, const struct load_limits *lim)
{
	struct mark m = { name, 0, 0 };

	if (in->is_dir)
		return diag_err(d, &m,
		    "cannot read '%s': it is a directory, and a file "
		    "is expected here",
		    in->path);
	if (in->used)
		return diag_err(d, &m,
		    "input '%s' was already read (a pipe can be read only "
		    "once)",
		    in->path);
	in->used = 1;
	if (digest_update(b->md, d, name, in->head, in->hlen) == -1)
		return -1;
	return run(
	    b, d, name, in->head, in->hlen, in->eof ? -1 : in->fd, fmt, lim);
}

int
doc_stream_file(struct diag *d, const char *path, enum doc_format fmt,
    const char *collection, const struct load_limits *lim, doc_each_fn cb,
    void *ctx, size_t *count)
{
	struct load_limits dl;
	struct input own, *in;
	struct builder *b;
	int rc;

	if (lim == NULL) {
		load_limits_default(&dl);
		lim = &dl;
	}
	if ((in = input_get(d, path, lim, &own)) == NULL)
		return -1;
	if ((b = builder_new(d, path, collection, lim, cb, ctx)) == NULL) {
		if (in == &own)
			input_close(&own);
		return -1;
	}
	rc = digest_begin(b, d, path, lim);
	if (rc == 0)
		rc = stream_input(b, d, path, in, fmt, lim);
	rc = digest_end(b, d, path, lim, rc);
	if (count != NULL)
		*count = builder_count(b);
	builder_free(b);
	if (in == &own)
		input_close(&own);
	return rc;
}

int
doc_stream_buf(struct diag *d, const char *name, const char *buf, size_t len,
    enum doc_format fmt, const char *collection, const struct load_limits *lim,
    doc_each_fn cb, void *ctx, size_t *count)
{
	struct load_limits dl;
	struct builder *b;
	int rc;

	if (lim == NULL) {
		load_limits_default(&dl);
		lim = &dl;
	}
	if ((b = builder_new(d, name, collection, lim, cb, ctx)) == NULL)
		return -1;
	rc = run(b, d, name, buf, len, -1, fmt, lim);
	if (count != NULL)
		*count = builder_count(b);
	builder_free(b);
	return rc;
}

struct collect {
	struct arena *a;
	struct doc_node **v;
	size_t n;
	struct diag *d; /* the callback reports its own errors */
};

static int
collect_doc(void *ctx, struct doc_node *root, struct arena *a)
{
	struct collect *c = ctx;
	struct doc_node **v;

	(void)a;
	v = arena_realloc(
	    c->a, c->v, c->n * sizeof(*v), (c->n + 1) * sizeof(*v));
	if (v == NULL)
		return diag_sys(c->d, &root->mark, "out of memory");
	v[c->n++] = root;
	c->v = v;
	return 0;
}

static int
load_common(struct arena *a, struct diag *d, const char *name, const char *buf,
    size_t len, struct input *in, enum doc_format fmt,
    const struct load_limits *lim, struct doc_node ***docs, size_t *ndocs)
{
	struct load_limits dl;
	struct builder *b;
	struct collect c = { a, NULL, 0, d };
	const char *iname;
	struct mark m = { name, 0, 0 };
	int rc;

	*docs = NULL;
	*ndocs = 0;
	if (lim == NULL) {
		load_limits_default(&dl);
		lim = &dl;
	}
	if ((iname = arena_strdup(a, name)) == NULL)
		return diag_sys(d, &m, "out of memory");
	if ((b = builder_new(d, iname, NULL, lim, collect_doc, &c)) == NULL)
		return -1;
	builder_set_arena(b, a);
	if (in != NULL) {
		rc = digest_begin(b, d, name, lim);
		if (rc == 0)
			rc = stream_input(b, d, iname, in, fmt, lim);
		rc = digest_end(b, d, name, lim, rc);
	} else {
		rc = run(b, d, iname, buf, len, -1, fmt, lim);
	}
	builder_free(b);
	*docs = c.v;
	*ndocs = c.n;
	return rc;
}

int
doc_load_buf(struct arena *a, struct diag *d, const char *name, const char *buf,
    size_t len, enum doc_format fmt, const struct load_limits *lim,
    struct doc_node ***docs, size_t *ndocs)
{
	return load_common(a, d, name, buf, len, NULL, fmt, lim, docs, ndocs);
}

int
doc_load_file(struct arena *a, struct diag *d, const char *path,
    enum doc_format fmt, const struct load_limits *lim, struct doc_node ***docs,
    size_t *ndocs)
{
	struct input own, *in;
	int rc;

	*docs = NULL;
	*ndocs = 0;
	if ((in = input_get(d, path, lim, &own)) == NULL)
		return -1;
	rc = load_common(a, d, path, NULL, 0, in, fmt, lim, docs, ndocs);
	if (in == &own)
		input_close(&own);
	return rc;
}

/* The one document of docs (n of them) loaded from name, else NULL. */
static struct doc_node *
one_doc(struct diag *d, const char *name, struct doc_node **docs, size_t n)
{
	struct mark m = { name, 0, 0 };

	if (n != 1) {
		if (n == 0)
			diag_err(d, &m, "file holds no document");
		else
			diag_err(d, &m, "expected one document, found %zu", n);
		return NULL;
	}
	return docs[0];
}

struct doc_node *
doc_load_one(struct arena *a, struct diag *d, const char *path,
    enum doc_format fmt, const struct load_limits *lim)
{
	struct doc_node **docs;
	size_t n;

	if (doc_load_file(a, d, path, fmt, lim, &docs, &n) == -1)
		return NULL;
	return one_doc(d, path, docs, n);
}

struct doc_node *
doc_load_one_buf(struct arena *a, struct diag *d, const char *name,
    const char *buf, size_t len, enum doc_format fmt,
    const struct load_limits *lim)
{
	struct doc_node **docs;
	size_t n;

	if (doc_load_buf(a, d, name, buf, len, fmt, lim, &docs, &n) == -1)
		return NULL;
	return one_doc(d, name, docs, n);
}
