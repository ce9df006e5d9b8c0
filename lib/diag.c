/*
 * diag.c: diagnostics.  Every message about a user's file is
 * `file:line:col: level: message`, kept in a list and counted, so a lint
 * run reports every problem at once.  Positions are 1-based everywhere;
 * the loaders convert their parsers' 0-based marks before calling here.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "lib/lib.h"

#define DIAG_DEFAULT_MAX 1000
#define DIAG_SRC_MAX 240

/*
 * Length of the valid, printable UTF-8 sequence at s (at most n bytes), or
 * 0 when the bytes there must be escaped: an invalid or overlong sequence,
 * a surrogate, a C1 control (U+0080..U+009F, which some terminals read as
 * CSI and friends) or a bidirectional override (U+202A..U+202E,
 * U+2066..U+2069, which reorder what the reader sees).
 */
static size_t
utf8_printable(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return len;
}

size_t
term_escape(char *dst, size_t len, const char *src, size_t n, int keep_tab)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0, u;

	if (len == 0)
		return 0;
	while (i < n) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			u = 1;
		} else if (s[i] == '\t' && keep_tab) {
			u = 1;
		} else if ((u = utf8_printable(s + i, n - i)) == 0) {
			/* One byte as \xNN. */
			if (o + 4 >= len)
				break;
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[s[i] >> 4];
			dst[o++] = hex[s[i] & 0xf];
			i++;
			continue;
		}
		if (o + u >= len)
			break;
		memcpy(dst + o, s + i, u);
		o += u;
		i += u;
	}
	dst[o] = '\0';
	return o;
}

void
term_fputs(FILE *fp, const char *s)
{
	char buf[1024];
	size_t n = strlen(s), chunk;

	/*
	 * Whole chunks of at most 250 bytes always fit once escaped (4
	 * bytes out per byte in).  A chunk ends before a UTF-8 continuation
	 * byte, so a valid sequence is not cut in two and shown escaped.
	 */
	while (n > 0) {
		chunk = n < 250 ? n : 250;
		while (chunk < n && chunk > 246 &&
		    ((unsigned char)s[chunk] & 0xc0) == 0x80)
			chunk--;
		term_escape(buf, sizeof(buf), s, chunk, 0);
		fputs(buf, fp);
		s += chunk;
		n -= chunk;
	}
}

void
diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void
diag_clear(struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		lib_free(d->v[i].file);
		lib_free(d->v[i].msg);
	}
	d->n = 0;
	d->nerrors = d->nwarnings = 0;
	memset(d->nclass, 0, sizeof(d->nclass));
}

void
diag_free(struct diag *d)
{
	if (d == NULL)
		return;
	diag_clear(d);
	lib_free(d->v);
	d->v = NULL;
	d->cap = 0;
}

/* Room for one more entry: 1, or 0 when full (d->max) or out of memory. */
static int
diag_room(struct diag *d)
{
	size_t max = d->max ? d->max : DIAG_DEFAULT_MAX, ncap;
	struct diag_entry *nv;

	if (d->n >= max)
		return 0;
	if (d->n == d->cap) {
		ncap = d->cap ? d->cap * 2 : 8;
		if ((nv = lib_realloc(d->v, ncap * sizeof(*nv))) == NULL)
			return 0;
		d->v = nv;
		d->cap = ncap;
	}
	return 1;
}

static void diag_add(struct diag *d, enum diag_level lv, enum diag_class cls,
    const struct mark *m, const char *fmt, va_list ap) PRINTF_LIKE(5, 0);

static void
diag_add(struct diag *d, enum diag_level lv, enum diag_class cls,
    const struct mark *m, const char *fmt, va_list ap)
{
	struct diag_entry *e;
	char buf[1024], safe[1024];

	if ((unsigned)cls >= DIAG_NCLASS)
		cls = DIAG_SYSTEM;
	if (lv == DIAG_ERROR) {
		d->nerrors++;
		d->nclass[cls]++;
	} else if (lv == DIAG_WARNING)
		d->nwarnings++;
	if (!diag_room(d))
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	/*
	 * Messages quote untrusted text (bundle fields, TSA status text,
	 * values from exports): escape it once here, so no consumer of the
	 * message can let it draw on a terminal.
	 */
	term_escape(safe, sizeof(safe), buf, strlen(buf), 0);
	e = &d->v[d->n];
	memset(e, 0, sizeof(*e));
	e->level = lv;
	e->cls = cls;
	if ((e->msg = lib_strdup(safe)) == NULL)
		return;
	if (m != NULL && m->file != NULL) {
		if ((e->file = lib_strdup(m->file)) == NULL) {
			lib_free(e->msg);
			return;
		}
		e->line = m->line;
		e->col = m->col;
	}
	d->n++;
}

void
diag_move(struct diag *dst, struct diag *src)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		if (diag_room(dst)) {
			dst->v[dst->n++] = src->v[i];
		} else {
			lib_free(src->v[i].file);
			lib_free(src->v[i].msg);
		}
	}
	dst->nerrors += src->nerrors;
	dst->nwarnings += src->nwarnings;
	for (i = 0; i < DIAG_NCLASS; i++)
		dst->nclass[i] += src->nclass[i];
	src->n = 0;
	src->nerrors = src->nwarnings = 0;
	memset(src->nclass, 0, sizeof(src->nclass));
}

int
diag_err(struct diag *d, const struct mark *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_ERROR, DIAG_INPUT, m, fmt, ap);
	va_end(ap);
	return -1;
}

int
diag_sys(struct diag *d, const struct mark *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_ERROR, DIAG_SYSTEM, m, fmt, ap);
	va_end(ap);
	return -1;
}

int
diag_err_class(struct diag *d, enum diag_class cls, const struct mark *m,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_ERROR, cls, m, fmt, ap);
	va_end(ap);
	return -1;
}

enum diag_class
diag_errno_class(int err)
{
	/*
	 * What the user can fix by naming another file or changing its
	 * permissions.  Everything else (EIO, EMFILE, ENFILE, ENOMEM,
	 * ENOSPC, EINTR...) is the machine's failure.
	 */
	switch (err) {
	case ENOENT:
	case ENOTDIR:
	case EISDIR:
	case EACCES:
	case EPERM:
	case ELOOP:
	case ENAMETOOLONG:
	case ENXIO:
		return DIAG_INPUT;
	default:
		return DIAG_SYSTEM;
	}
}

int
diag_errno(struct diag *d, const struct mark *m, int err, const char *fmt, ...)
{
	va_list ap;
	char buf[768];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return diag_err_class(
	    d, diag_errno_class(err), m, "%s: %s", buf, strerror(err));
}

int
diag_warn(struct diag *d, const struct mark *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_WARNING, DIAG_INPUT, m, fmt, ap);
	va_end(ap);
	return 0;
}

int
diag_note(struct diag *d, const struct mark *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_NOTE, DIAG_INPUT, m, fmt, ap);
	va_end(ap);
	return 0;
}

/* Drain the OpenSSL error queue into one error of class cls.  -1. */
static int
openssl_err(
    struct diag *d, enum diag_class cls, const struct mark *m, const char *what)
{
	unsigned long e, last = 0;
	char buf[256];

	/* Keep the most specific (last queued) reason; drain the rest. */
	while ((e = ERR_get_error()) != 0)
		last = e;
	if (last == 0)
		return diag_err_class(d, cls, m, "%s", what);
	ERR_error_string_n(last, buf, sizeof(buf));
	return diag_err_class(d, cls, m, "%s: %s", what, buf);
}

int
diag_openssl(struct diag *d, const struct mark *m, const char *what)
{
	return openssl_err(d, DIAG_CRYPTO, m, what);
}

int
diag_openssl_input(struct diag *d, const struct mark *m, const char *what)
{
	return openssl_err(d, DIAG_INPUT, m, what);
}

static const char *
level_name(enum diag_level lv)
{
	switch (lv) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	default:
		return "note";
	}
}

void
diag_format(const struct diag *d, size_t i, char *buf, size_t len)
{
	const struct diag_entry *e = &d->v[i];
	char file[1024];

	if (e->file != NULL)
		term_escape(file, sizeof(file), e->file, strlen(e->file), 0);
	if (e->file != NULL && e->line > 0)
		snprintf(buf, len, "%s:%u:%u: %s: %s", file, e->line, e->col,
		    level_name(e->level), e->msg);
	else if (e->file != NULL)
		snprintf(
		    buf, len, "%s: %s: %s", file, level_name(e->level), e->msg);
	else
		snprintf(buf, len, "%s: %s", level_name(e->level), e->msg);
}

/*
 * Re-read line `line` of a file into buf (raw bytes, NUL bytes included,
 * at most len - 1); *outlen gets its length.  0 on success.
 */
static int
source_line(
    const char *file, uint32_t line, char *buf, size_t len, size_t *outlen)
{
	FILE *fp;
	uint32_t cur = 1;
	size_t n = 0;
	int ch;

	if (strcmp(file, "-") == 0 || (fp = fopen(file, "rb")) == NULL)
		return -1;
	while (cur < line && (ch = getc(fp)) != EOF)
		if (ch == '\n')
			cur++;
	if (cur != line) {
		fclose(fp);
		return -1;
	}
	while ((ch = getc(fp)) != EOF && ch != '\n' && n + 1 < len)
		buf[n++] = ch == '\r' ? ' ' : (char)ch;
	buf[n] = '\0';
	*outlen = n;
	fclose(fp);
	return 0;
}

void
diag_print(const struct diag *d, FILE *fp, int show_source, int color)
{
	const struct diag_entry *e;
	const char *on, *off = color ? "\033[0m" : "";
	char line[DIAG_SRC_MAX + 1], safe[4 * DIAG_SRC_MAX + 1];
	size_t i, len, w, c;

	for (i = 0; i < d->n; i++) {
		e = &d->v[i];
		on = !color                    ? ""
		    : e->level == DIAG_ERROR   ? "\033[1;31m"
		    : e->level == DIAG_WARNING ? "\033[1;35m"
					       : "\033[1;36m";
		if (e->file != NULL) {
			term_fputs(fp, e->file);
			if (e->line > 0)
				fprintf(fp, ":%u:%u", e->line, e->col);
			fputs(": ", fp);
		}
		/* e->msg was escaped when it was recorded. */
		fprintf(
		    fp, "%s%s:%s %s\n", on, level_name(e->level), off, e->msg);
		if (!show_source || e->file == NULL || e->line == 0 ||
		    source_line(e->file, e->line, line, sizeof(line), &len) !=
			0)
			continue;
		/*
		 * The line is the user's file, untrusted like any input:
		 * escaped, tabs kept so the caret lines up under the column,
		 * which is found in the escaped text.
		 */
		term_escape(safe, sizeof(safe), line, len, 1);
		fprintf(fp, " %5u | %s\n       | ", e->line, safe);
		w = e->col > 0 ? e->col - 1 : 0;
		if (w > len)
			w = len;
		w = term_escape(safe, sizeof(safe), line, w, 1);
		for (c = 0; c < w; c++)
			fputc(safe[c] == '\t' ? '\t' : ' ', fp);
		fprintf(fp, "%s^%s\n", on, off);
	}
	if (d->nerrors + d->nwarnings > d->n)
		fprintf(fp, "(%zu more messages not shown)\n",
		    d->nerrors + d->nwarnings - d->n);
}
