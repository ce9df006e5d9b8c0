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

static void
indent(struct jw *w)
{
	int i;

	fputc('\n', w->fp);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->fp);
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

void
jw_strn(struct jw *w, const char *s, size_t n)
{
	struct strbuf sb;

	pre(w);
	sb_init(&sb);
	if (sb_json_str(&sb, s, n) == 0)
		fwrite(sb.s, 1, sb.len, w->fp);
	else
		fputs("null", w->fp);
	sb_free(&sb);
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
	pre(w);
	fprintf(w->fp, "%lld", v);
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
