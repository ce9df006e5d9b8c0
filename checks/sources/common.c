/*
 * common.c: helpers shared by the export adapters: building attribute
 * maps, the not-configured marker, placebo datetimes, JSON held in
 * strings, and the camelCase to PascalCase mapping of AWS Config.
 */
#include <ctype.h>
#include <pthread.h>
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

/*
 * The keys src_pascal() treats specially, with the AWS CLI's names.
 * PASCAL_RENAME: an exact rename.  PASCAL_OPAQUE: user data or policy
 * text, kept verbatim.  PASCAL_TAGS: a tag map, turned into the CLI's
 * list.  PASCAL_IPRANGES: Config's legacy `ipRanges`, dropped beside
 * `ipv4Ranges`.  A key renamed from this table points at the `cli` text
 * of its entry (an array, so no other string shares the address): on a
 * second visit of the same map (a YAML alias shares a subtree) that
 * pointer says the key was renamed and its value is already done.
 */
enum pascal_kind {
	PASCAL_RENAME,
	PASCAL_IPV4, /* `ipv4Ranges`: a rename that drops `ipRanges` */
	PASCAL_OPAQUE,
	PASCAL_TAGS,
	PASCAL_IPRANGES
};

static const struct pascal_key {
	const char *config;
	char cli[32];
	size_t len, clilen;
	enum pascal_kind kind;
} pascal_keys[] = {
#define PK(c, l, k) \
	{ \
		c, l, sizeof(c) - 1, sizeof(l) - 1, k \
	}
	PK("assumeRolePolicyDocument", "AssumeRolePolicyDocument",
	    PASCAL_OPAQUE),
	PK("document", "Document", PASCAL_OPAQUE),
	PK("ipRanges", "IpRanges", PASCAL_IPRANGES),
	PK("ipv4Ranges", "IpRanges", PASCAL_IPV4),
	PK("keyPolicy", "KeyPolicy", PASCAL_OPAQUE),
	PK("kmsMasterKeyID", "KMSMasterKeyID", PASCAL_RENAME),
	PK("policy", "Policy", PASCAL_OPAQUE),
	PK("policyDocument", "PolicyDocument", PASCAL_OPAQUE),
	PK("policyText", "PolicyText", PASCAL_OPAQUE),
	PK("sseAlgorithm", "SSEAlgorithm", PASCAL_RENAME),
	PK("tags", "Tags", PASCAL_TAGS),
#undef PK
};

#define NPASCAL_KEYS (sizeof(pascal_keys) / sizeof(pascal_keys[0]))

/*
 * A quick filter derived from the table, once: the lengths (below 64)
 * and first letters of its config names.  Most keys fail it without a
 * loop, and a key added to the table is in it by construction.
 */
static uint64_t pascal_lens;
static unsigned char pascal_first[256];
static pthread_once_t pascal_once = PTHREAD_ONCE_INIT;

static void
pascal_index(void)
{
	size_t i;

	for (i = 0; i < NPASCAL_KEYS; i++) {
		if (pascal_keys[i].len < 64)
			pascal_lens |= (uint64_t)1 << pascal_keys[i].len;
		else
			pascal_lens |= (uint64_t)1 << 63; /* check them all */
		pascal_first[(unsigned char)pascal_keys[i].config[0]] = 1;
	}
}

static const struct pascal_key *
pascal_find(const struct doc_node *k)
{
	size_t i;

	pthread_once(&pascal_once, pascal_index);
	if (!pascal_first[(unsigned char)k->str[0]] ||
	    !(pascal_lens >> (k->len < 63 ? k->len : 63) & 1))
		return NULL;
	for (i = 0; i < NPASCAL_KEYS; i++)
		if (k->len == pascal_keys[i].len &&
		    memcmp(k->str, pascal_keys[i].config, k->len) == 0)
			return &pascal_keys[i];
	return NULL;
}

/* The entry key k was renamed to by an earlier visit, or NULL. */
static const struct pascal_key *
pascal_renamed(const struct doc_node *k)
{
	size_t i;

	for (i = 0; i < NPASCAL_KEYS; i++)
		if (k->str == pascal_keys[i].cli)
			return &pascal_keys[i];
	return NULL;
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

/* The key Config's legacy `ipRanges` gets beside `ipv4Ranges`. */
static const char legacy_ip_ranges[] = SRC_LEGACY_IP_RANGES;

/* Whether map n holds Config's `ipv4Ranges` (maybe renamed already). */
static int
has_ipv4_ranges(const struct doc_node *n)
{
	const struct pascal_key *pk;
	size_t i;

	for (i = 0; i < n->u.map.n; i++) {
		pk = pascal_find(n->u.map.pairs[i].key);
		if (pk == NULL)
			pk = pascal_renamed(n->u.map.pairs[i].key);
		if (pk != NULL && pk->kind == PASCAL_IPV4)
			return 1;
	}
	return 0;
}

/*
 * Rename the keys of n's tree in place: n belongs to the streamed
 * element's arena, which is freed after the resource, so nothing needs the
 * camelCase tree any more, and copying every node cost as much as parsing
 * it.  A key whose first letter is all that changes is rewritten where it
 * lies (loaders give every key its own text); the listed exceptions point
 * at the table's text.  Idempotent, so a subtree shared through a YAML
 * alias comes out the same as a copy would.
 */
static int
pascal_tree(struct arena *a, struct doc_node *n)
{
	const struct pascal_key *pk;
	struct doc_pair *pairs;
	struct doc_node *k, *v;
	char *s;
	size_t i, o;

	if (n->type == DOC_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			if (pascal_tree(a, n->u.seq.items[i]) != 0)
				return -1;
		return 0;
	}
	if (n->type != DOC_MAP)
		return 0;
	pairs = n->u.map.pairs;
	for (i = o = 0; i < n->u.map.n; i++) {
		k = pairs[i].key;
		v = pairs[i].val;
		pk = k->len > 0 ? pascal_find(k) : NULL;
		/*
		 * Config keeps the legacy `ipRanges` (a list of CIDR strings)
		 * beside `ipv4Ranges`; the CLI's IpRanges is the latter.  The
		 * legacy list is kept as SRC_LEGACY_IP_RANGES, not dropped:
		 * the two can differ (one empty or null), and the adapter
		 * unites them so that no source is lost.
		 */
		if (pk != NULL && pk->kind == PASCAL_IPRANGES &&
		    has_ipv4_ranges(n)) {
			k->str = legacy_ip_ranges;
			k->len = sizeof(legacy_ip_ranges) - 1;
			pairs[o].key = k;
			pairs[o].val = v;
			o++;
			continue;
		}
		if (pk != NULL && pk->kind == PASCAL_TAGS &&
		    v->type == DOC_MAP) {
			if ((v = tags_to_list(a, v)) == NULL)
				return -1;
			k->str = pk->cli;
			k->len = pk->clilen;
		} else if (pk != NULL && pk->kind == PASCAL_OPAQUE) {
			k->str = pk->cli;
			k->len = pk->clilen;
		} else {
			if (pk != NULL &&
			    (pk->kind == PASCAL_RENAME ||
				pk->kind == PASCAL_IPV4)) {
				k->str = pk->cli;
				k->len = pk->clilen;
			} else if (k->str[0] >= 'a' && k->str[0] <= 'z') {
				s = (char *)k->str;
				s[0] = (char)(s[0] - 'a' + 'A');
			} else if ((pk = pascal_renamed(k)) != NULL &&
			    (pk->kind == PASCAL_OPAQUE ||
				pk->kind == PASCAL_TAGS)) {
				pairs[o++] = pairs[i];
				continue;
			}
			if (pascal_tree(a, v) != 0)
				return -1;
		}
		pairs[o].key = k;
		pairs[o].val = v;
		o++;
	}
	n->u.map.n = o;
	return 0;
}

struct doc_node *
src_pascal(struct arena *a, const struct doc_node *n)
{
	/*
	 * The tree is rewritten where it lies (see pascal_tree); every
	 * caller passes a tree of the element's arena it no longer needs in
	 * Config's spelling.
	 */
	struct doc_node *w = (struct doc_node *)n;

	return pascal_tree(a, w) == 0 ? w : NULL;
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

void
src_marker(struct resource *r, const struct resource *place, const char *type,
    const char *source, const char *rerr)
{
	memset(r, 0, sizeof(*r));
	if (place != NULL) {
		r->provider = place->provider;
		r->account = place->account;
		r->region = place->region;
		r->namespace = place->namespace;
		r->collected = place->collected;
	}
	r->type = type;
	r->listing = 1;
	r->source = source;
	r->mark.file = source;
	r->read_error = rerr;
}
