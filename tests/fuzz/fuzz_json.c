/*
 * fuzz_json.c: the JSON loader on arbitrary bytes.  Loads the input as
 * JSON and as NDJSON (doc_load_buf, fresh arena and diagnostics each),
 * streams it with a collection path, walks every tree it gets, and checks
 * the invariants: a failure always comes with an error, every error has a
 * 1-based position, every string is NUL-terminated valid UTF-8.  Then it
 * streams the input again on one thread and on the loader's reader thread
 * (small pieces, so tokens straddle them) and aborts unless both show the
 * same elements, positions, diagnostics and result.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Strict UTF-8 (RFC 3629); s may hold NUL bytes (from \u0000). */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, len, k;
	uint32_t cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xC2 && s[i] <= 0xDF)
			len = 2, cp = s[i] & 0x1F;
		else if (s[i] >= 0xE0 && s[i] <= 0xEF)
			len = 3, cp = s[i] & 0x0F;
		else if (s[i] >= 0xF0 && s[i] <= 0xF4)
			len = 4, cp = s[i] & 0x07;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

static void
walk(const struct doc_node *n, int depth)
{
	size_t i;

	if (depth > 10000 || n->mark.line == 0 || n->mark.col == 0)
		abort();
	switch (n->type) {
	case DOC_SEQ:
		for (i = 0; i < n->u.seq.n; i++)
			walk(n->u.seq.items[i], depth + 1);
		break;
	case DOC_MAP:
		for (i = 0; i < n->u.map.n; i++) {
			if (n->u.map.pairs[i].key->type != DOC_STRING)
				abort();
			walk(n->u.map.pairs[i].key, depth + 1);
			walk(n->u.map.pairs[i].val, depth + 1);
		}
		break;
	case DOC_STRING:
		if (n->str == NULL || n->str[n->len] != '\0' ||
		    !utf8_ok((const unsigned char *)n->str, n->len))
			abort();
		break;
	case DOC_INT:
	case DOC_FLOAT:
		if (n->str == NULL || n->str[n->len] != '\0' || n->len == 0)
			abort();
		break;
	default:
		break;
	}
}

static void
check_diag(const struct diag *d, int rc)
{
	size_t i;

	if (rc == -1 && d->nerrors == 0)
		abort();
	if (rc == 0 && d->nerrors != 0)
		abort();
	/* Syntax errors always say where. */
	for (i = 0; i < d->n; i++)
		if (d->v[i].line == 0 &&
		    strstr(d->v[i].msg, "invalid JSON") != NULL)
			abort();
}

static int
each(void *ctx, struct doc_node *elem, struct arena *a)
{
	(void)ctx;
	(void)a;
	walk(elem, 0);
	return 0;
}

/* Every node of an element, with its position, as text. */
static void
show(FILE *fp, const struct doc_node *n)
{
	size_t i;

	fprintf(fp, "%d %u:%u ", (int)n->type, n->mark.line, n->mark.col);
	if (n->str != NULL)
		fwrite(n->str, 1, n->len, fp);
	fputc('\n', fp);
	if (n->type == DOC_SEQ)
		for (i = 0; i < n->u.seq.n; i++)
			show(fp, n->u.seq.items[i]);
	if (n->type == DOC_MAP)
		for (i = 0; i < n->u.map.n; i++) {
			show(fp, n->u.map.pairs[i].key);
			show(fp, n->u.map.pairs[i].val);
		}
}

static int
each_show(void *ctx, struct doc_node *elem, struct arena *a)
{
	(void)a;
	show(ctx, elem);
	return 0;
}

/* Stream with the loader threads set so; everything shown, malloc'd. */
static char *
stream_as(const uint8_t *data, size_t size, enum doc_format fmt,
    enum load_threads mode)
{
	char *text = NULL, line[1200];
	size_t len = 0, count = 0, i;
	struct diag d;
	FILE *fp;
	int rc;

	if ((fp = open_memstream(&text, &len)) == NULL)
		abort();
	diag_init(&d);
	load_set_threads(mode, 5);
	rc = doc_stream_buf(&d, "fuzz.json", (const char *)data, size, fmt,
	    "[*]", NULL, each_show, fp, &count);
	load_set_threads(LOAD_THREADS_AUTO, 0);
	fprintf(fp, "rc %d count %zu\n", rc, count);
	for (i = 0; i < d.n; i++) {
		diag_format(&d, i, line, sizeof(line));
		fprintf(fp, "%s\n", line);
	}
	diag_free(&d);
	fclose(fp);
	return text;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum doc_format fmts[] = { DOC_FMT_JSON, DOC_FMT_NDJSON };
	struct arena *a;
	struct diag d;
	struct doc_node **docs;
	size_t ndocs, i, k;
	int rc;

	for (k = 0; k < 2; k++) {
		if ((a = arena_new()) == NULL)
			return 0;
		diag_init(&d);
		rc = doc_load_buf(a, &d, "fuzz.json", (const char *)data, size,
		    fmts[k], NULL, &docs, &ndocs);
		check_diag(&d, rc);
		if (rc == 0)
			for (i = 0; i < ndocs; i++)
				walk(docs[i], 0);
		diag_free(&d);
		arena_free(a);

		diag_init(&d);
		rc = doc_stream_buf(&d, "fuzz.json", (const char *)data, size,
		    fmts[k], k == 0 ? "[*]" : NULL, NULL, each, NULL, NULL);
		check_diag(&d, rc);
		diag_free(&d);
	}
	for (k = 0; k < 2; k++) {
		char *one = stream_as(data, size, fmts[k], LOAD_THREADS_OFF);
		char *two = stream_as(data, size, fmts[k], LOAD_THREADS_ALWAYS);

		if (strcmp(one, two) != 0)
			abort();
		free(one);
		free(two);
	}
	return 0;
}
