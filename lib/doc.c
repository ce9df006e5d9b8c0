/*
 * doc.c: the document tree shared by the YAML and JSON loaders: lookups,
 * construction, copying, comparison and printing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lib.h"

const char *
doc_type_name(enum doc_type t)
{
	static const char *const names[] = { "null", "bool", "int", "float",
		"string", "seq", "map" };

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

struct doc_node *
doc_get(const struct doc_node *map, const char *key)
{
	return doc_getn(map, key, strlen(key));
}

struct doc_node *
doc_index(const struct doc_node *seq, size_t i)
{
	if (seq == NULL || seq->type != DOC_SEQ || i >= seq->u.seq.n)
		return NULL;
	return seq->u.seq.items[i];
}

const char *
doc_str(const struct doc_node *n)
{
	return n != NULL && n->type == DOC_STRING ? n->str : NULL;
}

const char *
doc_plain_str(const struct doc_node *n)
{
	const char *s = doc_str(n);

	if (s == NULL || strlen(s) != n->len)
		return NULL;
	return s;
}

struct doc_node *
doc_new(struct arena *a, enum doc_type t, const struct mark *m)
{
	struct doc_node *n;

	if ((n = arena_alloc_uninit(a, sizeof(*n))) == NULL)
		return NULL;
	memset(n, 0, sizeof(*n)); /* a constant size: inlined */
	n->type = t;
	if (m != NULL)
		n->mark = *m;
	return n;
}

struct doc_node *
doc_new_string(struct arena *a, const char *s, size_t len, const struct mark *m)
{
	struct doc_node *n;
	char *str;

	/* One allocation for the node and its text: loaders make millions. */
	if (len > SIZE_MAX - sizeof(*n) - 1 ||
	    (n = arena_alloc_uninit(a, sizeof(*n) + len + 1)) == NULL)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->type = DOC_STRING;
	if (m != NULL)
		n->mark = *m;
	str = (char *)(n + 1);
	if (len > 0)
		memcpy(str, s, len);
	str[len] = '\0';
	n->str = str;
	n->len = len;
	return n;
}

/* Capacity is implicit: the next power of two at or above n. */
static size_t
cap_for(size_t n)
{
	size_t c = 4;

	while (c < n)
		c *= 2;
	return c;
}

int
doc_seq_push(struct arena *a, struct doc_node *seq, struct doc_node *item)
{
	size_t n = seq->u.seq.n;
	struct doc_node **v = seq->u.seq.items;

	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		v = arena_realloc(
		    a, v, n * sizeof(*v), cap_for(n + 1) * sizeof(*v));
		if (v == NULL)
			return -1;
		seq->u.seq.items = v;
	}
	v[n] = item;
	seq->u.seq.n = n + 1;
	return 0;
}

int
doc_map_put(struct arena *a, struct doc_node *map, struct doc_node *key,
    struct doc_node *val)
{
	size_t n = map->u.map.n;
	struct doc_pair *v = map->u.map.pairs;

	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		v = arena_realloc(
		    a, v, n * sizeof(*v), cap_for(n + 1) * sizeof(*v));
		if (v == NULL)
			return -1;
		map->u.map.pairs = v;
	}
	v[n].key = key;
	v[n].val = val;
	map->u.map.n = n + 1;
	return 0;
}

struct doc_node *
doc_copy(struct arena *a, const struct doc_node *n)
{
	struct doc_node *c, *k, *v;
	size_t i;

	if ((c = doc_new(a, n->type, &n->mark)) == NULL)
		return NULL;
	c->u = n->u;
	c->len = n->len;
	if (n->str != NULL &&
	    (c->str = arena_strndup(a, n->str, n->len)) == NULL)
		return NULL;
	if (n->type == DOC_SEQ) {
		c->u.seq.items = NULL;
		c->u.seq.n = 0;
		for (i = 0; i < n->u.seq.n; i++)
			if ((v = doc_copy(a, n->u.seq.items[i])) == NULL ||
			    doc_seq_push(a, c, v) == -1)
				return NULL;
	} else if (n->type == DOC_MAP) {
		c->u.map.pairs = NULL;
		c->u.map.n = 0;
		for (i = 0; i < n->u.map.n; i++)
			if ((k = doc_copy(a, n->u.map.pairs[i].key)) == NULL ||
			    (v = doc_copy(a, n->u.map.pairs[i].val)) == NULL ||
			    doc_map_put(a, c, k, v) == -1)
				return NULL;
	}
	return c;
}

static double
num_value(const struct doc_node *n)
{
	return n->type == DOC_INT ? (double)n->u.i : n->u.f;
}

int
doc_equal(const struct doc_node *a, const struct doc_node *b)
{
	size_t i;

	if ((a->type == DOC_INT || a->type == DOC_FLOAT) &&
	    (b->type == DOC_INT || b->type == DOC_FLOAT)) {
		if (a->type == DOC_INT && b->type == DOC_INT)
			return a->u.i == b->u.i;
		return num_value(a) == num_value(b);
	}
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case DOC_NULL:
		return 1;
	case DOC_BOOL:
		return !a->u.b == !b->u.b;
	case DOC_STRING:
		return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
	case DOC_SEQ:
		if (a->u.seq.n != b->u.seq.n)
			return 0;
		for (i = 0; i < a->u.seq.n; i++)
			if (!doc_equal(a->u.seq.items[i], b->u.seq.items[i]))
				return 0;
		return 1;
	case DOC_MAP:
		if (a->u.map.n != b->u.map.n)
			return 0;
		for (i = 0; i < a->u.map.n; i++)
			if (!doc_equal(
				a->u.map.pairs[i].key, b->u.map.pairs[i].key) ||
			    !doc_equal(
				a->u.map.pairs[i].val, b->u.map.pairs[i].val))
				return 0;
		return 1;
	default:
		return 0;
	}
}

static void
put_json_str(FILE *fp, const char *s, size_t len)
{
	struct strbuf sb;

	sb_init(&sb);
	if (sb_json_str(&sb, s, len) == 0)
		fwrite(sb.s, 1, sb.len, fp);
	sb_free(&sb);
}

static void
dump_scalar(const struct doc_node *n, FILE *fp)
{
	switch (n->type) {
	case DOC_NULL:
		fputs("null", fp);
		break;
	case DOC_BOOL:
		fputs(n->u.b ? "true" : "false", fp);
		break;
	case DOC_INT:
	case DOC_FLOAT:
		if (n->str != NULL)
			fwrite(n->str, 1, n->len, fp);
		else if (n->type == DOC_INT)
			fprintf(fp, "%lld", (long long)n->u.i);
		else
			fprintf(fp, "%.17g", n->u.f);
		break;
	case DOC_STRING:
		put_json_str(fp, n->str, n->len);
		break;
	default:
		break;
	}
}

static void
dump_rec(const struct doc_node *n, FILE *fp, int indent, int depth)
{
	size_t i;

	if (depth > 10000)
		return;
	fprintf(fp, "%s", doc_type_name(n->type));
	if (n->type != DOC_SEQ && n->type != DOC_MAP) {
		fputc(' ', fp);
		dump_scalar(n, fp);
	} else {
		fprintf(
		    fp, " (%zu)", n->type == DOC_SEQ ? n->u.seq.n : n->u.map.n);
	}
	fprintf(fp, "  @%u:%u\n", n->mark.line, n->mark.col);
	if (n->type == DOC_SEQ) {
		for (i = 0; i < n->u.seq.n; i++) {
			fprintf(fp, "%*s[%zu] ", indent + 2, "", i);
			dump_rec(n->u.seq.items[i], fp, indent + 2, depth + 1);
		}
	} else if (n->type == DOC_MAP) {
		for (i = 0; i < n->u.map.n; i++) {
			fprintf(fp, "%*s", indent + 2, "");
			put_json_str(fp, n->u.map.pairs[i].key->str,
			    n->u.map.pairs[i].key->len);
			fputs(": ", fp);
			dump_rec(
			    n->u.map.pairs[i].val, fp, indent + 2, depth + 1);
		}
	}
}

void
doc_dump(const struct doc_node *n, FILE *fp, int indent)
{
	fprintf(fp, "%*s", indent, "");
	dump_rec(n, fp, indent, 0);
}

void
doc_write_json(const struct doc_node *n, FILE *fp)
{
	size_t i;

	switch (n->type) {
	case DOC_SEQ:
		fputc('[', fp);
		for (i = 0; i < n->u.seq.n; i++) {
			if (i > 0)
				fputc(',', fp);
			doc_write_json(n->u.seq.items[i], fp);
		}
		fputc(']', fp);
		break;
	case DOC_MAP:
		fputc('{', fp);
		for (i = 0; i < n->u.map.n; i++) {
			if (i > 0)
				fputc(',', fp);
			put_json_str(fp, n->u.map.pairs[i].key->str,
			    n->u.map.pairs[i].key->len);
			fputc(':', fp);
			doc_write_json(n->u.map.pairs[i].val, fp);
		}
		fputc('}', fp);
		break;
	case DOC_FLOAT:
		/* YAML's .inf and .nan have no JSON spelling. */
		if (!isfinite(n->u.f)) {
			fputs("null", fp);
			break;
		}
		if (n->str != NULL && n->str[0] != '.' && n->str[0] != '+') {
			fprintf(fp, "%.17g", n->u.f);
			break;
		}
		fprintf(fp, "%.17g", n->u.f);
		break;
	case DOC_INT:
		fprintf(fp, "%lld", (long long)n->u.i);
		break;
	default:
		dump_scalar(n, fp);
	}
}

int
doc_write_json_sb(const struct doc_node *n, struct strbuf *sb)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int rc;

	if ((fp = open_memstream(&buf, &len)) == NULL) {
		sb->oom = 1;
		return -1;
	}
	doc_write_json(n, fp);
	if (fclose(fp) != 0) {
		free(buf);
		sb->oom = 1;
		return -1;
	}
	rc = sb_add(sb, buf, len);
	free(buf);
	return rc;
}

const char *
doc_format_name(enum doc_format f)
{
	switch (f) {
	case DOC_FMT_JSON:
		return "json";
	case DOC_FMT_NDJSON:
		return "ndjson";
	case DOC_FMT_YAML:
		return "yaml";
	default:
		return "auto";
	}
}

int
doc_format_parse(const char *s, enum doc_format *out)
{
	if (strcmp(s, "json") == 0)
		*out = DOC_FMT_JSON;
	else if (strcmp(s, "ndjson") == 0 || strcmp(s, "jsonl") == 0)
		*out = DOC_FMT_NDJSON;
	else if (strcmp(s, "yaml") == 0 || strcmp(s, "yml") == 0)
		*out = DOC_FMT_YAML;
	else if (strcmp(s, "auto") == 0)
		*out = DOC_FMT_AUTO;
	else
		return -1;
	return 0;
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcmp(s + a - b, suf) == 0;
}

enum doc_format
doc_format_detect(const char *name, const char *buf, size_t len)
{
	size_t i = 0;

	if (name != NULL) {
		if (has_suffix(name, ".ndjson") || has_suffix(name, ".jsonl") ||
		    has_suffix(name, ".dump"))
			return DOC_FMT_NDJSON;
		if (has_suffix(name, ".json"))
			return DOC_FMT_JSON;
		if (has_suffix(name, ".yaml") || has_suffix(name, ".yml"))
			return DOC_FMT_YAML;
	}
	/* Skip a UTF-8 BOM and white space, then look at the first byte. */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	if (len >= 2 &&
	    ((unsigned char)buf[0] == 0xFF || (unsigned char)buf[0] == 0xFE))
		return DOC_FMT_JSON;
	while (i < len && strchr(" \t\r\n", buf[i]) != NULL)
		i++;
	if (i < len && (buf[i] == '{' || buf[i] == '['))
		return DOC_FMT_JSON;
	return DOC_FMT_YAML;
}

void
load_limits_default(struct load_limits *l)
{
	l->max_depth = LOAD_DEFAULT_MAX_DEPTH;
	l->max_alias_nodes = LOAD_DEFAULT_MAX_ALIAS_NODES;
	l->max_scalar = LOAD_DEFAULT_MAX_SCALAR;
	l->max_doc_bytes = LOAD_DEFAULT_MAX_DOC_BYTES;
	l->digest = NULL;
	l->input = NULL;
	l->max_file_bytes = 0;
}
