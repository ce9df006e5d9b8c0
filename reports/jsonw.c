/*
 * jsonw.c: a streaming JSON emitter with two-space indentation.
 */
#include <string.h>

#include "reports/report.h"

void
jw_init(struct jw *w, FILE *fp)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
	w->first[0] = 1;
}

/* A newline and two spaces per level (depth is at most 63), one write. */
static void
indent(struct jw *w)
{
	static const char nl[] = "\n                                "
				 "                                "
				 "                                "
				 "                                ";

	fwrite(nl, 1, 1 + 2 * (size_t)w->depth, w->fp);
}

/* Before a value or key: comma and newline as needed. */
static void
pre(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		fputc(',', w->fp);
	w->first[w->depth] = 0;
	indent(w);
}

static void
open_c(struct jw *w, char c)
{
	pre(w);
	fputc(c, w->fp);
	if (w->depth < 63)
		w->depth++;
	w->first[w->depth] = 1;
}

static void
close_c(struct jw *w, char c)
{
	int empty = w->first[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	fputc(c, w->fp);
}

void
jw_obj(struct jw *w)
{
	open_c(w, '{');
}

void
jw_arr(struct jw *w)
{
	open_c(w, '[');
}

void
jw_end_obj(struct jw *w)
{
	close_c(w, '}');
}

void
jw_end_arr(struct jw *w)
{
	close_c(w, ']');
}

/*
 * A JSON string, escaped as sb_json_str() does, written straight to the
 * stream: runs of plain bytes in one write each, no copy.
 */
void
jw_strn(struct jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char esc[7] = "\\u00";
	size_t i, start = 0;

	pre(w);
	putc('"', w->fp);
	for (i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] != '"' && p[i] != '\\' && p[i] != 0x7f)
			continue;
		fwrite(s + start, 1, i - start, w->fp);
		start = i + 1;
		switch (p[i]) {
		case '"':
			fputs("\\\"", w->fp);
			break;
		case '\\':
			fputs("\\\\", w->fp);
			break;
		case '\n':
			fputs("\\n", w->fp);
			break;
		case '\r':
			fputs("\\r", w->fp);
			break;
		case '\t':
			fputs("\\t", w->fp);
			break;
		default:
			esc[4] = hex[p[i] >> 4];
			esc[5] = hex[p[i] & 15];
			fwrite(esc, 1, 6, w->fp);
		}
	}
	fwrite(s + start, 1, n - start, w->fp);
	putc('"', w->fp);
}

void
jw_str(struct jw *w, const char *s)
{
	if (s == NULL)
		jw_null(w);
	else
		jw_strn(w, s, strlen(s));
}

void
jw_key(struct jw *w, const char *k)
{
	jw_str(w, k);
	fputs(": ", w->fp);
	w->after_key = 1;
}

void
jw_int(struct jw *w, long long v)
{
	char buf[24], *e = buf + sizeof(buf), *q = e;
	unsigned long long u =
	    v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	pre(w);
	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--q = '-';
	fwrite(q, 1, (size_t)(e - q), w->fp);
}

void
jw_bool(struct jw *w, int v)
{
	pre(w);
	fputs(v ? "true" : "false", w->fp);
}

void
jw_null(struct jw *w)
{
	pre(w);
	fputs("null", w->fp);
}

void
jw_raw(struct jw *w, const char *json)
{
	pre(w);
	fputs(json, w->fp);
}

void
jw_doc(struct jw *w, const struct doc_node *n)
{
	if (n == NULL) {
		jw_null(w);
		return;
	}
	pre(w);
	doc_write_json(n, w->fp);
}

void
jw_kstr(struct jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	jw_str(w, s);
}

void
jw_kint(struct jw *w, const char *k, long long v)
{
	jw_key(w, k);
	jw_int(w, v);
}

int
jw_finish(struct jw *w)
{
	fputc('\n', w->fp);
	return ferror(w->fp) ? -1 : 0;
}
