/*
 * jw.c: the streaming JSON emitter (jw.h).  Output is gathered in the
 * emitter's buffer and written out in large pieces (jw_finish() writes
 * the rest).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/jw.h"

void
jw_init(struct jw *w, FILE *fp)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
	w->first[0] = 1;
}

void
jw_init_sb(struct jw *w, struct strbuf *sb)
{
	memset(w, 0, sizeof(*w));
	w->sb = sb;
	w->compact = 1;
	w->first[0] = 1;
}

void
jw_init_sb_at(struct jw *w, struct strbuf *sb, int depth, int first)
{
	memset(w, 0, sizeof(*w));
	w->sb = sb;
	w->depth = depth < 0 ? 0 : depth > 63 ? 63 : depth;
	w->first[w->depth] = first;
}

static void
out(struct jw *w, const char *s, size_t n)
{
	if (w->sb != NULL)
		sb_add(w->sb, s, n);
	else
		fwrite(s, 1, n, w->fp);
}

static void
flush(struct jw *w)
{
	if (w->n > 0)
		out(w, w->buf, w->n);
	w->n = 0;
}

static void
put(struct jw *w, const char *s, size_t n)
{
	if (n > sizeof(w->buf) - w->n) {
		flush(w);
		if (n > sizeof(w->buf)) {
			out(w, s, n);
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

static void
putch(struct jw *w, char c)
{
	if (w->n == sizeof(w->buf))
		flush(w);
	w->buf[w->n++] = c;
}

/* A newline and two spaces per level (depth is at most 63). */
static void
indent(struct jw *w)
{
	static const char nl[] = "\n                                "
				 "                                "
				 "                                "
				 "                                ";

	if (!w->compact)
		put(w, nl, 1 + 2 * (size_t)w->depth);
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
		putch(w, ',');
	w->first[w->depth] = 0;
	indent(w);
}

static void
open_c(struct jw *w, char c)
{
	pre(w);
	putch(w, c);
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
	putch(w, c);
}

void
jw_splice(struct jw *w, const char *s, size_t n)
{
	put(w, s, n);
	w->after_key = 0;
	w->first[w->depth] = 0;
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

/* A JSON string, escaped as sb_json_str() does: plain runs copied whole. */
void
jw_strn(struct jw *w, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, start = 0, k;
	char esc[6];

	pre(w);
	putch(w, '"');
	for (i = 0; (i += json_plain_len(s + i, n - i)) < n; i++) {
		k = json_escape(p[i], esc);
		put(w, s + start, i - start);
		put(w, esc, k);
		start = i + 1;
	}
	put(w, s + start, n - start);
	putch(w, '"');
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
	put(w, ": ", w->compact ? 1 : 2);
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
	put(w, q, (size_t)(e - q));
}

void
jw_bool(struct jw *w, int v)
{
	pre(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void
jw_null(struct jw *w)
{
	pre(w);
	put(w, "null", 4);
}

void
jw_raw(struct jw *w, const char *json)
{
	pre(w);
	put(w, json, strlen(json));
}

void
jw_doc(struct jw *w, const struct doc_node *n)
{
	if (n == NULL) {
		jw_null(w);
		return;
	}
	pre(w);
	flush(w);
	if (w->sb != NULL)
		doc_write_json_sb(n, w->sb);
	else
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
	if (w->sb != NULL) {
		flush(w);
		return w->sb->oom ? -1 : 0;
	}
	putch(w, '\n');
	flush(w);
	return ferror(w->fp) ? -1 : 0;
}
