/*
 * diag.c: diagnostics.  Every message about a user's file is
 * `file:line:col: level: message`, kept in a list and counted, so a lint
 * run reports every problem at once.  Positions are 1-based everywhere;
 * the loaders convert their parsers' 0-based marks before calling here.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "lib/lib.h"

#define DIAG_DEFAULT_MAX 1000
#define DIAG_SRC_MAX 240

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

static void diag_add(struct diag *d, enum diag_level lv, const struct mark *m,
    const char *fmt, va_list ap) PRINTF_LIKE(4, 0);

static void
diag_add(struct diag *d, enum diag_level lv, const struct mark *m,
    const char *fmt, va_list ap)
{
	struct diag_entry *e;
	char buf[1024];

	if (lv == DIAG_ERROR)
		d->nerrors++;
	else if (lv == DIAG_WARNING)
		d->nwarnings++;
	if (!diag_room(d))
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	e = &d->v[d->n];
	memset(e, 0, sizeof(*e));
	e->level = lv;
	if ((e->msg = lib_strdup(buf)) == NULL)
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
	src->n = 0;
	src->nerrors = src->nwarnings = 0;
}

int
diag_err(struct diag *d, const struct mark *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_ERROR, m, fmt, ap);
	va_end(ap);
	return -1;
}

int
diag_warn(struct diag *d, const struct mark *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_WARNING, m, fmt, ap);
	va_end(ap);
	return 0;
}

int
diag_note(struct diag *d, const struct mark *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_NOTE, m, fmt, ap);
	va_end(ap);
	return 0;
}

int
diag_openssl(struct diag *d, const struct mark *m, const char *what)
{
	unsigned long e, last = 0;
	char buf[256];

	/* Keep the most specific (last queued) reason; drain the rest. */
	while ((e = ERR_get_error()) != 0)
		last = e;
	if (last == 0)
		return diag_err(d, m, "%s", what);
	ERR_error_string_n(last, buf, sizeof(buf));
	return diag_err(d, m, "%s: %s", what, buf);
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

	if (e->file != NULL && e->line > 0)
		snprintf(buf, len, "%s:%u:%u: %s: %s", e->file, e->line, e->col,
		    level_name(e->level), e->msg);
	else if (e->file != NULL)
		snprintf(buf, len, "%s: %s: %s", e->file, level_name(e->level),
		    e->msg);
	else
		snprintf(buf, len, "%s: %s", level_name(e->level), e->msg);
}

/* Re-read line `line` of a file; 0 on success. */
static int
source_line(const char *file, uint32_t line, char *buf, size_t len)
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
	fclose(fp);
	return 0;
}

void
diag_print(const struct diag *d, FILE *fp, int show_source, int color)
{
	const struct diag_entry *e;
	const char *on, *off = color ? "\033[0m" : "";
	char line[DIAG_SRC_MAX + 1];
	size_t i, len;
	uint32_t c, w;

	for (i = 0; i < d->n; i++) {
		e = &d->v[i];
		on = !color                    ? ""
		    : e->level == DIAG_ERROR   ? "\033[1;31m"
		    : e->level == DIAG_WARNING ? "\033[1;35m"
					       : "\033[1;36m";
		if (e->file != NULL && e->line > 0)
			fprintf(fp, "%s:%u:%u: ", e->file, e->line, e->col);
		else if (e->file != NULL)
			fprintf(fp, "%s: ", e->file);
		fprintf(
		    fp, "%s%s:%s %s\n", on, level_name(e->level), off, e->msg);
		if (!show_source || e->file == NULL || e->line == 0 ||
		    source_line(e->file, e->line, line, sizeof(line)) != 0)
			continue;
		fprintf(fp, " %5u | %s\n       | ", e->line, line);
		/* Keep tabs so the caret lines up under the column. */
		w = e->col > 0 ? e->col - 1 : 0;
		len = strlen(line);
		for (c = 0; c < w && c < DIAG_SRC_MAX; c++)
			fputc(c < len && line[c] == '\t' ? '\t' : ' ', fp);
		fprintf(fp, "%s^%s\n", on, off);
	}
	if (d->nerrors + d->nwarnings > d->n)
		fprintf(fp, "(%zu more messages not shown)\n",
		    d->nerrors + d->nwarnings - d->n);
}
