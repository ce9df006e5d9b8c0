/*
 * common.c: helpers shared by the export adapters: building attribute
 * maps, the not-configured marker, placebo datetimes, JSON held in
 * strings, and the camelCase to PascalCase mapping of AWS Config.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "checks/sources/sources.h"

struct doc_node *
src_str(struct arena *a, const char *s, const struct mark *m)
{
	return doc_new_string(a, s, strlen(s), m);
}

struct doc_node *
src_map(struct arena *a, const struct mark *m)
{
	return doc_new(a, DOC_MAP, m);
}

struct doc_node *
src_seq(struct arena *a, const struct mark *m)
{
	return doc_new(a, DOC_SEQ, m);
}

int
src_set(struct arena *a, struct doc_node *map, const char *key,
    struct doc_node *val)
{
	struct doc_node *k;
	size_t i;

	for (i = 0; i < map->u.map.n; i++)
		if (strcmp(map->u.map.pairs[i].key->str, key) == 0) {
			map->u.map.pairs[i].val = val;
			return 0;
		}
	if ((k = src_str(a, key, &val->mark)) == NULL)
		return -1;
	return doc_map_put(a, map, k, val);
}

struct doc_node *
src_map_clone(struct arena *a, const struct doc_node *map)
{
	struct doc_node *c;
	size_t i;

	if ((c = src_map(a, &map->mark)) == NULL)
		return NULL;
	if (map->type != DOC_MAP)
		return c;
	for (i = 0; i < map->u.map.n; i++)
		if (doc_map_put(a, c, map->u.map.pairs[i].key,
			map->u.map.pairs[i].val) != 0)
			return NULL;
	return c;
}

int
src_not_configured(struct arena *a, struct doc_node *attrs, const char *attr,
    const char *code, const struct mark *m)
{
	struct doc_node *nc, *null, *c;

	if ((nc = doc_get(attrs, SRC_NOT_CONFIGURED)) == NULL) {
		if ((nc = src_map(a, m)) == NULL ||
		    src_set(a, attrs, SRC_NOT_CONFIGURED, nc) != 0)
			return -1;
	}
	if ((null = doc_new(a, DOC_NULL, m)) == NULL ||
	    (c = src_str(a, code, m)) == NULL ||
	    src_set(a, attrs, attr, null) != 0 || src_set(a, nc, attr, c) != 0)
		return -1;
	return 0;
}

/* The integer member key of a datetime object, or -1. */
static long
dt_field(const struct doc_node *n, const char *key)
{
	const struct doc_node *v = doc_get(n, key);

	return v != NULL && v->type == DOC_INT ? (long)v->u.i : -1;
}

int
src_fix_datetimes(struct arena *a, struct doc_node *n)
{
	const char *cls;
	long y, mo, d, h, mi, s, us;
	char *iso;
	size_t i;

	if (n == NULL)
		return 0;
	if (n->type == DOC_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			if (src_fix_datetimes(a, n->u.seq.items[i]) != 0)
				return -1;
		return 0;
	}
	if (n->type != DOC_MAP)
		return 0;
	cls = doc_str(doc_get(n, "__class__"));
	if (cls != NULL && strcmp(cls, "datetime") == 0) {
		y = dt_field(n, "year");
		mo = dt_field(n, "month");
		d = dt_field(n, "day");
		h = dt_field(n, "hour");
		mi = dt_field(n, "minute");
		s = dt_field(n, "second");
		us = dt_field(n, "microsecond");
		/* A malformed object stays as it is: checks then error. */
		if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 ||
		    mi < 0 || s < 0)
			return 0;
		if (us > 0)
			iso = arena_printf(a,
			    "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%06ld+00:00",
			    y, mo, d, h, mi, s, us);
		else
			iso = arena_printf(a,
			    "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld+00:00", y, mo,
			    d, h, mi, s);
		if (iso == NULL)
			return -1;
		n->type = DOC_STRING;
		n->str = iso;
		n->len = strlen(iso);
		return 0;
	}
	for (i = 0; i < n->u.map.n; i++)
		if (src_fix_datetimes(a, n->u.map.pairs[i].val) != 0)
			return -1;
	return 0;
}

static void
set_marks(struct doc_node *n, const struct mark *m)
{
	size_t i;

	n->mark = *m;
	if (n->type == DOC_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			set_marks(n->u.seq.items[i], m);
	} else if (n->type == DOC_MAP) {
		for (i = 0; i < n->u.map.n; i++) {
			n->u.map.pairs[i].key->mark = *m;
			set_marks(n->u.map.pairs[i].val, m);
		}
	}
}

struct doc_node *
src_parse_json_string(
    struct arena *a, const struct doc_node *s, const char **why)
{
	struct doc_node **docs = NULL, *n = NULL;
	struct diag d;
	size_t ndocs = 0;
	char buf[512];
	int depth;

	if (why != NULL)
		*why = NULL;
	if (s == NULL || s->type != DOC_STRING) {
		if (why != NULL)
			*why = "not a string";
		return NULL;
	}
	diag_init(&d);
	/* Some exports encode twice (a JSON string holding a JSON string). */
	for (depth = 0; depth < 2; depth++) {
		docs = NULL;
		ndocs = 0;
		if (doc_load_buf(a, &d,
			s->mark.file != NULL ? s->mark.file : "<string>",
			s->str, s->len, DOC_FMT_JSON, NULL, &docs,
			&ndocs) != 0 ||
		    ndocs != 1) {
			if (why != NULL) {
				if (d.n > 0)
					diag_format(&d, 0, buf, sizeof(buf));
				else
					snprintf(buf, sizeof(buf),
					    "expected one JSON value");
				*why = arena_strdup(a, buf);
			}
			n = NULL;
			break;
		}
		n = docs[0];
		if (n->type != DOC_STRING)
			break;
		s = n;
	}
	diag_free(&d);
	if (n != NULL)
		set_marks(n, &s->mark);
	return n;
}

/* Exact key renames from AWS Config's names to the AWS CLI's. */
static const struct {
	const char *config, *cli;
} key_renames[] = {
	{ "ipv4Ranges", "IpRanges" },
	{ "kmsMasterKeyID", "KMSMasterKeyID" },
	{ "sseAlgorithm", "SSEAlgorithm" },
};

/* Keys whose values are user data or policy text: copied verbatim. */
static const char *const opaque_keys[] = {
	"assumeRolePolicyDocument",
	"document",
	"keyPolicy",
	"policy",
	"policyDocument",
	"policyText",
};

static int
is_opaque(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(opaque_keys) / sizeof(opaque_keys[0]); i++)
		if (strcmp(key, opaque_keys[i]) == 0)
			return 1;
	return 0;
}

static struct doc_node *
pascal_key(struct arena *a, const struct doc_node *k)
{
	char *s;
	size_t i;

	for (i = 0; i < sizeof(key_renames) / sizeof(key_renames[0]); i++)
		if (strcmp(k->str, key_renames[i].config) == 0)
			return src_str(a, key_renames[i].cli, &k->mark);
	if ((s = arena_strndup(a, k->str, k->len)) == NULL)
		return NULL;
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] = (char)(s[0] - 'a' + 'A');
	return doc_new_string(a, s, k->len, &k->mark);
}

/* A tag map {"k": "v"} as the CLI's list [{"Key": "k", "Value": "v"}]. */
static struct doc_node *
tags_to_list(struct arena *a, const struct doc_node *map)
{
	struct doc_node *seq, *e, *k, *v;
	size_t i;

	if ((seq = src_seq(a, &map->mark)) == NULL)
		return NULL;
	for (i = 0; i < map->u.map.n; i++) {
		k = map->u.map.pairs[i].key;
		if ((e = src_map(a, &k->mark)) == NULL ||
		    (v = doc_copy(a, k)) == NULL || src_set(a, e, "Key", v) ||
		    (v = doc_copy(a, map->u.map.pairs[i].val)) == NULL ||
		    src_set(a, e, "Value", v) || doc_seq_push(a, seq, e))
			return NULL;
	}
	return seq;
}

struct doc_node *
src_pascal(struct arena *a, const struct doc_node *n)
{
	struct doc_node *c, *k, *v;
	const char *key;
	size_t i;

	if (n->type == DOC_SEQ) {
		if ((c = src_seq(a, &n->mark)) == NULL)
			return NULL;
		for (i = 0; i < n->u.seq.n; i++)
			if ((v = src_pascal(a, n->u.seq.items[i])) == NULL ||
			    doc_seq_push(a, c, v) != 0)
				return NULL;
		return c;
	}
	if (n->type != DOC_MAP)
		return doc_copy(a, n);
	if ((c = src_map(a, &n->mark)) == NULL)
		return NULL;
	for (i = 0; i < n->u.map.n; i++) {
		key = n->u.map.pairs[i].key->str;
		v = n->u.map.pairs[i].val;
		/*
		 * Config keeps the legacy `ipRanges` (a list of CIDR strings)
		 * beside `ipv4Ranges`; the CLI's IpRanges is the latter.
		 */
		if (strcmp(key, "ipRanges") == 0 &&
		    doc_get(n, "ipv4Ranges") != NULL)
			continue;
		if ((k = pascal_key(a, n->u.map.pairs[i].key)) == NULL)
			return NULL;
		if (strcmp(key, "tags") == 0 && v->type == DOC_MAP)
			v = tags_to_list(a, v);
		else if (is_opaque(key))
			v = doc_copy(a, v);
		else
			v = src_pascal(a, v);
		if (v == NULL || doc_map_put(a, c, k, v) != 0)
			return NULL;
	}
	return c;
}

int
src_is_region(const char *s)
{
	size_t i, dashes = 0;

	if (s == NULL || !islower((unsigned char)s[0]))
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '-')
			dashes++;
		else if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]))
			return 0;
	}
	return dashes >= 2 && i > 2 && isdigit((unsigned char)s[i - 1]);
}

int
src_has_key(const char *head, size_t len, const char *key)
{
	size_t klen = strlen(key), i, j;

	for (i = 0; i + klen + 2 <= len; i++) {
		if (head[i] != '"' || (i > 0 && head[i - 1] == '\\'))
			continue;
		if (memcmp(head + i + 1, key, klen) != 0 ||
		    head[i + 1 + klen] != '"')
			continue;
		for (j = i + klen + 2;
		     j < len && isspace((unsigned char)head[j]); j++)
			;
		if (j < len && head[j] == ':')
			return 1;
	}
	return 0;
}
