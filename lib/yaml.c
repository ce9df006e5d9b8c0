/*
 * yaml.c: the YAML loader, on libyaml 0.2.5's event API.
 *
 * libyaml hands us events; we type plain scalars by the YAML 1.2 core
 * schema (`no` is a string, `0o17` is 15), resolve anchors and aliases
 * with our own hash table and an expansion budget, and drive the builder,
 * which assembles trees, enforces depth and size limits, rejects duplicate
 * keys and cuts streams into elements.  Input is pulled through a read
 * handler (the prefix buffer, then the file in chunks), so memory stays
 * flat whatever the file size.
 *
 * Decisions, each pinned by a test in tests/unit/test_yaml.c:
 * - Aliases attach the anchored node again (a shared subtree in the same
 *   arena, never a copy); every alias charges the expanded size of its
 *   node against max_alias_nodes, so billion-laughs inputs fail at the
 *   first alias past the budget.  Anchors are per document.  When
 *   streaming a collection, an alias cannot reach an anchor defined in
 *   another element or outside any element: that is an error, never a
 *   read of freed memory.
 * - Merge keys (`<<: *base`) are rejected: YAML 1.2 has no merge, and
 *   merging silently around the duplicate-key check would let a merged
 *   `encrypted: false` hide behind an explicit key.  Quote the key
 *   ("<<") to use it as an ordinary string.
 * - Tags: !!str !!int !!float !!bool !!null are honoured and a value that
 *   does not match its tag is an error; !!map and !!seq must match their
 *   node; !!binary and !!timestamp load as strings; the non-specific `!`
 *   tag makes a string.  Any other tag (`!Ref`, `!!set`) is ignored with
 *   one warning per document, and a tagged scalar loads as a string.
 * - Mapping keys must be scalars (or aliases of scalars); keys are always
 *   strings in the document tree, whatever their tag.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "lib/lib.h"
#include "lib/builder_impl.h"
#include "lib/loader.h"

#define YAML_READ_CHUNK 65536
/* Characters that may pass without an event, beyond 4 x max_scalar. */
#define YAML_EVENT_SLACK (1u << 20)
#define TAG_PREFIX "tag:yaml.org,2002:"

/* One anchor definition; the most recent one of a name wins. */
struct anchor {
	char *name; /* owned */
	uint32_t hash;
	uint64_t seq; /* definition number, to spot redefinitions */
	int complete; /* the anchored node has ended */
	int scalar; /* the anchored node is a scalar */
	int in_elem; /* defined inside an element being built */
	size_t elem; /* builder_count() when defined */
	struct doc_node *node; /* NULL when not built */
	uint64_t size; /* nodes reachable from it, aliases expanded */
	char *keytext; /* owned copy, for an anchored mapping key */
	size_t keylen;
};

/* One open mapping or sequence. */
struct yframe {
	int is_map;
	int expect_key; /* maps: the next event is a key */
	size_t anchor; /* index + 1 into anchors, 0 = none */
	uint64_t anchor_seq;
	int in_elem;
	size_t elem;
	uint64_t nodes; /* expanded nodes inside so far */
};

struct yfeed {
	struct builder *b;
	struct diag *d;
	const char *name;
	const struct load_limits *lim;

	/* Input: a window of bytes handed to libyaml in slices. */
	int fd;
	char *buf; /* lib_malloc'd chunk buffer for fd input */
	const char *win; /* current window: prefix or buf */
	size_t wlen, wpos;
	uint64_t woff; /* stream offset of win[0] */
	uint32_t wline, wcol; /* 1-based position of win[0] */
	uint64_t delivered; /* bytes handed to libyaml */
	uint64_t chars; /* characters handed to libyaml */
	uint64_t last_event; /* character index after the last event */
	yaml_mark_t last_mark; /* where the last event ended */
	int in_err; /* the read handler failed and reported it */

	/* Open collections. */
	struct yframe *stack;
	size_t depth, cap;

	/* Anchors of the current document. */
	struct anchor *anchors;
	size_t nanchors, acap;
	uint32_t *ahash; /* index + 1 into anchors; open addressing */
	size_t hcap;
	uint64_t aseq;

	/* Alias expansion charged in the current document or element. */
	uint64_t alias_nodes;
	uint64_t alias_bytes;
	size_t alias_elem; /* builder_count() the charges belong to */
	int warned_tag; /* an unknown tag was reported in this document */
};

/*
 * The one conversion of libyaml's 0-based marks into our 1-based ones.
 */
static struct mark
ymark(const struct yfeed *y, yaml_mark_t m)
{
	struct mark r;

	r.file = y->name;
	r.line = (uint32_t)m.line + 1;
	r.col = (uint32_t)m.column + 1;
	return r;
}

/* Advance a 1-based line:col over n bytes of UTF-8 text. */
static void
advance_pos(const char *s, size_t n, uint32_t *line, uint32_t *col)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static int
read_fail(struct yfeed *y, const char *msg, int err)
{
	struct mark m = { y->name, 0, 0 };

	y->in_err = 1;
	if (err != 0)
		diag_errno(y->d, &m, err, "%s", msg);
	else
		diag_sys(y->d, &m, "%s", msg); /* out of memory */
	return 0;
}

/*
 * Replace the window by the next chunk of the file, keeping the last few
 * bytes of the old one: libyaml may still report a reader error in an
 * incomplete UTF-8 sequence that straddles the two.
 */
static int
refill(struct yfeed *y)
{
	size_t keep, got = 0;
	ssize_t r;

	if (y->buf == NULL &&
	    (y->buf = lib_malloc(YAML_READ_CHUNK + 4)) == NULL)
		return read_fail(y, "out of memory reading the file", 0);
	keep = y->wlen < 4 ? y->wlen : 4;
	advance_pos(y->win, y->wlen - keep, &y->wline, &y->wcol);
	y->woff += y->wlen - keep;
	memmove(y->buf, y->win + y->wlen - keep, keep);
	if ((r = read_full(y->fd, y->buf + keep, YAML_READ_CHUNK)) == -1)
		return read_fail(y, "read error", errno);
	got = (size_t)r;
	if (got == 0)
		y->fd = -1;
	/* The digest sees every byte, so a pipe is never read twice. */
	if (digest_update(y->b->md, y->d, y->name, y->buf + keep, got) == -1) {
		y->in_err = 1;
		return 0;
	}
	y->win = y->buf;
	y->wlen = keep + got;
	y->wpos = keep;
	return 1;
}

/* libyaml's read handler: 1 on success (0 bytes at the end), 0 on error. */
static int
read_handler(void *data, unsigned char *out, size_t size, size_t *size_read)
{
	struct yfeed *y = data;
	const struct load_limits *lim = y->lim;
	size_t n, i;

	*size_read = 0;
	/*
	 * libyaml holds a whole token in memory before it yields an event:
	 * bound how far the input may run ahead of the last event, so a
	 * gigabyte scalar fails early instead of filling memory.
	 */
	if (lim->max_scalar > 0 &&
	    y->chars - y->last_event >
		(uint64_t)lim->max_scalar * 4 + YAML_EVENT_SLACK) {
		struct mark m = ymark(y, y->last_mark);

		y->in_err = 1;
		diag_err(y->d, &m,
		    "no YAML event within %llu characters after this point "
		    "(a scalar or comment far beyond the limit of %zu bytes)",
		    (unsigned long long)(y->chars - y->last_event),
		    lim->max_scalar);
		return 0;
	}
	if (y->wpos == y->wlen) {
		if (y->fd == -1)
			return 1;
		if (refill(y) == 0)
			return 0;
	}
	n = y->wlen - y->wpos;
	if (n > size)
		n = size;
	memcpy(out, y->win + y->wpos, n);
	for (i = 0; i < n; i++)
		y->chars += (out[i] & 0xC0) != 0x80;
	y->wpos += n;
	y->delivered += n;
	*size_read = n;
	if (lim->max_file_bytes > 0 && y->delivered > lim->max_file_bytes) {
		struct mark m = { y->name, 0, 0 };

		y->in_err = 1;
		diag_err(y->d, &m, "file larger than the limit of %llu bytes",
		    (unsigned long long)lim->max_file_bytes);
		return 0;
	}
	return 1;
}

/* Position of stream offset off, if it still lies in the window. */
static struct mark
offset_mark(const struct yfeed *y, uint64_t off, int *byte)
{
	struct mark m = { y->name, 0, 0 };

	*byte = -1;
	if (off < y->woff || off > y->woff + y->wlen)
		return m;
	m.line = y->wline;
	m.col = y->wcol;
	advance_pos(y->win, (size_t)(off - y->woff), &m.line, &m.col);
	if (off < y->woff + y->wlen)
		*byte = (unsigned char)y->win[off - y->woff];
	return m;
}

/* Turn libyaml's error state into one diagnostic. */
static int
parser_error(struct yfeed *y, const yaml_parser_t *p)
{
	struct mark m, cm;
	int byte;

	if (y->in_err)
		return -1; /* the read handler reported it */
	switch (p->error) {
	case YAML_MEMORY_ERROR:
		m.file = y->name;
		m.line = m.col = 0;
		return diag_sys(y->d, &m, "out of memory parsing YAML");
	case YAML_READER_ERROR:
		m = offset_mark(y, p->problem_offset, &byte);
		if (strstr(p->problem, "UTF-8") != NULL ||
		    strstr(p->problem, "Unicode") != NULL) {
			if (byte >= 0)
				return diag_err(y->d, &m,
				    "invalid UTF-8 byte 0x%02x (%s); YAML "
				    "files must be UTF-8 encoded",
				    (unsigned)byte, p->problem);
			return diag_err(y->d, &m,
			    "invalid UTF-8 (%s); YAML files must be UTF-8 "
			    "encoded",
			    p->problem);
		}
		if (p->problem_value >= 0)
			return diag_err(y->d, &m, "%s (character 0x%02x)",
			    p->problem, (unsigned)p->problem_value);
		return diag_err(y->d, &m, "%s", p->problem);
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		m = ymark(y, p->problem_mark);
		if (p->context == NULL)
			return diag_err(y->d, &m, "%s",
			    p->problem ? p->problem : "syntax error");
		cm = ymark(y, p->context_mark);
		if (cm.line == m.line && cm.col == m.col)
			return diag_err(
			    y->d, &m, "%s %s", p->problem, p->context);
		return diag_err(y->d, &m, "%s %s at %u:%u", p->problem,
		    p->context, cm.line, cm.col);
	default:
		m.file = y->name;
		m.line = m.col = 0;
		return diag_err(
		    y->d, &m, "YAML parser failed (error %d)", (int)p->error);
	}
}

/* --------------------------------------------------------- core schema */

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_null(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') ||
	    (n == 4 &&
		(memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 ||
		    memcmp(s, "NULL", 4) == 0));
}

static int
is_bool(const char *s, size_t n)
{
	static const char *const v[] = { "true", "True", "TRUE", "false",
		"False", "FALSE" };
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strlen(v[i]) == n && memcmp(s, v[i], n) == 0)
			return 1;
	return 0;
}

/* [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+ */
static int
is_int(const char *s, size_t n)
{
	size_t i = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
		for (i = 2; i < n; i++) {
			if (s[1] == 'o' && (s[i] < '0' || s[i] > '7'))
				return 0;
			if (s[1] == 'x' && !is_digit(s[i]) &&
			    !((s[i] >= 'a' && s[i] <= 'f') ||
				(s[i] >= 'A' && s[i] <= 'F')))
				return 0;
		}
		return 1;
	}
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	if (i == n)
		return 0;
	for (; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

static int
is_word(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(s, w, n) == 0;
}

/*
 * [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?,
 * [-+]?\.(inf|Inf|INF), \.(nan|NaN|NAN)
 */
static int
is_float(const char *s, size_t n)
{
	size_t i = 0, digits = 0;

	if (is_word(s, n, ".nan") || is_word(s, n, ".NaN") ||
	    is_word(s, n, ".NAN"))
		return 1;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	if (is_word(s + i, n - i, ".inf") || is_word(s + i, n - i, ".Inf") ||
	    is_word(s + i, n - i, ".INF"))
		return 1;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit(s[i]))
			i++, digits++;
		if (digits == 0)
			return 0;
	} else {
		while (i < n && is_digit(s[i]))
			i++, digits++;
		if (digits == 0)
			return 0;
		if (i < n && s[i] == '.') {
			i++;
			while (i < n && is_digit(s[i]))
				i++;
		}
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		digits = 0;
		while (i < n && is_digit(s[i]))
			i++, digits++;
		if (digits == 0)
			return 0;
	}
	return i == n;
}

/* The core schema's type of a plain, untagged scalar. */
static enum doc_type
resolve_plain(const char *s, size_t n)
{
	if (is_null(s, n))
		return DOC_NULL;
	if (is_bool(s, n))
		return DOC_BOOL;
	if (is_int(s, n))
		return DOC_INT;
	if (is_float(s, n))
		return DOC_FLOAT;
	return DOC_STRING;
}

/* "tag:yaml.org,2002:int" -> "int"; NULL for other tags. */
static const char *
std_tag(const char *tag)
{
	if (strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)) != 0)
		return NULL;
	return tag + strlen(TAG_PREFIX);
}

/* Warn once per document about a tag we do not know. */
static void
unknown_tag(struct yfeed *y, const char *tag, const struct mark *m)
{
	const char *st = std_tag(tag);

	if (y->warned_tag)
		return;
	y->warned_tag = 1;
	diag_warn(y->d, m,
	    "unknown tag '%s%s' ignored (tagged scalars load as strings; "
	    "further unknown tags in this document are not reported)",
	    st ? "!!" : "", st ? st : tag);
}

/*
 * Type a scalar from its tag and style.  Returns 0 with *t set, or -1
 * when the value does not match an explicit tag.
 */
static int
scalar_type(struct yfeed *y, const yaml_event_t *ev, const struct mark *m,
    enum doc_type *t)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	const char *st;
	int ok;

	if (tag == NULL) {
		*t = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
		    ? resolve_plain(s, n)
		    : DOC_STRING;
		return 0;
	}
	*t = DOC_STRING;
	if (strcmp(tag, "!") == 0)
		return 0;
	if ((st = std_tag(tag)) == NULL) {
		unknown_tag(y, tag, m);
		return 0;
	}
	if (strcmp(st, "str") == 0 || strcmp(st, "binary") == 0 ||
	    strcmp(st, "timestamp") == 0)
		return 0;
	if (strcmp(st, "int") == 0) {
		*t = DOC_INT;
		ok = is_int(s, n);
	} else if (strcmp(st, "float") == 0) {
		*t = DOC_FLOAT;
		ok = is_float(s, n) ||
		    (is_int(s, n) && s[1] != 'o' && s[1] != 'x');
	} else if (strcmp(st, "bool") == 0) {
		*t = DOC_BOOL;
		ok = is_bool(s, n);
	} else if (strcmp(st, "null") == 0) {
		*t = DOC_NULL;
		ok = is_null(s, n);
	} else if (strcmp(st, "map") == 0 || strcmp(st, "seq") == 0) {
		return diag_err(y->d, m, "tag '!!%s' on a scalar", st);
	} else {
		unknown_tag(y, tag, m);
		return 0;
	}
	if (!ok)
		return diag_err(y->d, m,
		    "value '%.*s' does not match its tag "
		    "'!!%s'",
		    (int)(n > 64 ? 64 : n), s, st);
	return 0;
}

/* Check the tag of a mapping or sequence start. */
static int
container_tag(
    struct yfeed *y, const char *tag, int is_map, const struct mark *m)
{
	const char *st;

	if (tag == NULL || strcmp(tag, "!") == 0)
		return 0;
	if ((st = std_tag(tag)) == NULL) {
		unknown_tag(y, tag, m);
		return 0;
	}
	if (strcmp(st, is_map ? "map" : "seq") == 0)
		return 0;
	if (strcmp(st, "map") == 0 || strcmp(st, "seq") == 0 ||
	    strcmp(st, "str") == 0 || strcmp(st, "int") == 0 ||
	    strcmp(st, "float") == 0 || strcmp(st, "bool") == 0 ||
	    strcmp(st, "null") == 0 || strcmp(st, "binary") == 0 ||
	    strcmp(st, "timestamp") == 0)
		return diag_err(y->d, m, "tag '!!%s' on a %s", st,
		    is_map ? "mapping" : "sequence");
	unknown_tag(y, tag, m);
	return 0;
}

/* ------------------------------------------------------------- anchors */

static uint32_t
name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Forget every anchor (a new document starts). */
static void
anchors_clear(struct yfeed *y)
{
	size_t i;

	for (i = 0; i < y->nanchors; i++) {
		lib_free(y->anchors[i].name);
		lib_free(y->anchors[i].keytext);
	}
	y->nanchors = 0;
	/*
	 * A large table is dropped rather than wiped, so one document with a
	 * million anchors does not make every later document pay for it.
	 */
	if (y->hcap > 1024) {
		lib_free(y->ahash);
		y->ahash = NULL;
		y->hcap = 0;
	} else if (y->ahash != NULL) {
		memset(y->ahash, 0, y->hcap * sizeof(*y->ahash));
	}
	y->alias_nodes = 0;
	y->alias_bytes = 0;
	y->warned_tag = 0;
}

/* Index + 1 of the anchor called name, or 0. */
static size_t
anchor_find(const struct yfeed *y, const char *name)
{
	uint32_t h = name_hash(name);
	size_t j;

	if (y->hcap == 0)
		return 0;
	for (j = h & (y->hcap - 1); y->ahash[j] != 0;
	     j = (j + 1) & (y->hcap - 1)) {
		const struct anchor *a = &y->anchors[y->ahash[j] - 1];

		if (a->hash == h && strcmp(a->name, name) == 0)
			return y->ahash[j];
	}
	return 0;
}

static int
anchor_grow_hash(struct yfeed *y)
{
	size_t ncap = y->hcap ? y->hcap * 2 : 64, i, j;
	uint32_t *h;

	if ((h = lib_calloc(ncap, sizeof(*h))) == NULL)
		return -1;
	for (i = 0; i < y->nanchors; i++) {
		j = y->anchors[i].hash & (ncap - 1);
		while (h[j] != 0)
			j = (j + 1) & (ncap - 1);
		h[j] = (uint32_t)i + 1;
	}
	lib_free(y->ahash);
	y->ahash = h;
	y->hcap = ncap;
	return 0;
}

/*
 * Define (or redefine) an anchor as incomplete; returns its index + 1,
 * or 0 when memory runs out (reported).
 */
static size_t
anchor_define(struct yfeed *y, const char *name, const struct mark *m)
{
	struct anchor *a;
	size_t idx, j;

	if ((idx = anchor_find(y, name)) != 0) {
		a = &y->anchors[idx - 1];
		lib_free(a->keytext);
		a->keytext = NULL;
	} else {
		if (y->nanchors == UINT32_MAX - 1)
			goto nomem;
		if (y->nanchors == y->acap) {
			size_t ncap = y->acap ? y->acap * 2 : 16;

			a = lib_realloc(y->anchors, ncap * sizeof(*a));
			if (a == NULL)
				goto nomem;
			y->anchors = a;
			y->acap = ncap;
		}
		if ((y->nanchors + 1) * 2 > y->hcap &&
		    anchor_grow_hash(y) == -1)
			goto nomem;
		a = &y->anchors[y->nanchors];
		memset(a, 0, sizeof(*a));
		if ((a->name = lib_strdup(name)) == NULL)
			goto nomem;
		a->hash = name_hash(name);
		idx = ++y->nanchors;
		j = a->hash & (y->hcap - 1);
		while (y->ahash[j] != 0)
			j = (j + 1) & (y->hcap - 1);
		y->ahash[j] = (uint32_t)idx;
	}
	a->seq = ++y->aseq;
	a->complete = 0;
	a->scalar = 0;
	a->node = NULL;
	a->size = 0;
	a->in_elem = builder_in_element(y->b);
	a->elem = builder_count(y->b);
	return idx;
nomem:
	diag_sys(y->d, m, "out of memory");
	return 0;
}

/* Mark an anchored node as complete, unless it was redefined meanwhile. */
static void
anchor_complete(struct yfeed *y, size_t idx, uint64_t seq, uint64_t size,
    int in_elem, size_t elem)
{
	struct anchor *a = &y->anchors[idx - 1];

	if (a->seq != seq)
		return;
	a->complete = 1;
	a->size = size;
	/*
	 * The node is kept only when it was built and its element is still
	 * open (an element's root is delivered and freed as it ends).
	 */
	if (in_elem && builder_in_element(y->b) && builder_count(y->b) == elem)
		a->node = builder_last(y->b);
	a->in_elem = in_elem;
	a->elem = elem;
}

/* ------------------------------------------------------------- events */

/* Charges belong to one document, or to one element when streaming. */
static void
alias_reset_if_new_element(struct yfeed *y)
{
	if (y->alias_elem != builder_count(y->b)) {
		y->alias_elem = builder_count(y->b);
		y->alias_nodes = 0;
		y->alias_bytes = 0;
	}
}

/* A completed value of `size` expanded nodes in the current container. */
static void
value_added(struct yfeed *y, uint64_t size)
{
	struct yframe *f;

	if (y->depth == 0)
		return;
	f = &y->stack[y->depth - 1];
	f->nodes += size;
	if (f->is_map)
		f->expect_key = 1;
}

static int
charge_bytes(
    struct yfeed *y, size_t len, const char *alias, const struct mark *m)
{
	uint64_t max = y->lim->max_doc_bytes;

	alias_reset_if_new_element(y);
	y->alias_bytes += len;
	if (max > 0 && y->alias_bytes > max)
		return diag_err(y->d, m,
		    "alias '*%s' expansion exceeds the limit of %llu bytes",
		    alias, (unsigned long long)max);
	return 0;
}

/* Look up an alias; reports unknown and self-referring ones. */
static struct anchor *
alias_target(struct yfeed *y, const char *name, const struct mark *m)
{
	struct anchor *a;
	size_t idx;

	if ((idx = anchor_find(y, name)) == 0) {
		diag_err(y->d, m, "unknown alias '*%s'", name);
		return NULL;
	}
	a = &y->anchors[idx - 1];
	if (!a->complete) {
		diag_err(y->d, m,
		    "alias '*%s' refers to its own enclosing node", name);
		return NULL;
	}
	return a;
}

/*
 * Whether anchor a's node may be used here: it must have been built in
 * the element now being built.  Reports why not.
 */
static int
alias_usable(struct yfeed *y, const struct anchor *a, const char *name,
    const struct mark *m)
{
	if (a->in_elem && builder_in_element(y->b) &&
	    a->elem == builder_count(y->b) && a->node != NULL)
		return 0;
	if (a->in_elem &&
	    (a->elem != builder_count(y->b) || !builder_in_element(y->b)))
		return diag_err(y->d, m,
		    "alias '*%s' refers to an anchor in another streamed "
		    "element; anchors cannot cross elements",
		    name);
	return diag_err(y->d, m,
	    "alias '*%s' refers to an anchor outside the streamed elements; "
	    "anchors cannot cross elements",
	    name);
}

static int
on_key_scalar(struct yfeed *y, const yaml_event_t *ev, const struct mark *m)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	const char *anchor = (const char *)ev->data.scalar.anchor;
	struct anchor *a;
	size_t idx;

	if (ev->data.scalar.tag == NULL &&
	    ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && n == 2 &&
	    memcmp(s, "<<", 2) == 0)
		return diag_err(y->d, m,
		    "merge keys ('<<') are not supported; write the merged "
		    "keys out, or quote '\"<<\"' for a literal key");
	if (builder_key(y->b, s, n, m) == -1)
		return -1;
	y->stack[y->depth - 1].expect_key = 0;
	y->stack[y->depth - 1].nodes++;
	if (anchor == NULL)
		return 0;
	if ((idx = anchor_define(y, anchor, m)) == 0)
		return -1;
	a = &y->anchors[idx - 1];
	if ((a->keytext = lib_malloc(n + 1)) == NULL)
		return diag_sys(y->d, m, "out of memory");
	memcpy(a->keytext, s, n);
	a->keytext[n] = '\0';
	a->keylen = n;
	a->complete = 1;
	a->scalar = 1;
	a->size = 1;
	return 0;
}

static int
on_scalar(struct yfeed *y, const yaml_event_t *ev)
{
	struct mark m = ymark(y, ev->start_mark);
	const char *anchor = (const char *)ev->data.scalar.anchor;
	enum doc_type t;
	size_t idx = 0, elem;
	uint64_t seq;
	int in_elem;

	if (y->depth > 0 && y->stack[y->depth - 1].expect_key)
		return on_key_scalar(y, ev, &m);
	if (scalar_type(y, ev, &m, &t) == -1)
		return -1;
	if (anchor != NULL && (idx = anchor_define(y, anchor, &m)) == 0)
		return -1;
	seq = y->aseq;
	in_elem = builder_in_element(y->b);
	elem = builder_count(y->b);
	if (builder_scalar(y->b, t, (const char *)ev->data.scalar.value,
		ev->data.scalar.length, &m) == -1)
		return -1;
	if (idx != 0) {
		anchor_complete(y, idx, seq, 1, in_elem, elem);
		if (y->anchors[idx - 1].seq == seq)
			y->anchors[idx - 1].scalar = 1;
	}
	value_added(y, 1);
	return 0;
}

static int
on_alias(struct yfeed *y, const yaml_event_t *ev)
{
	struct mark m = ymark(y, ev->start_mark);
	const char *name = (const char *)ev->data.alias.anchor;
	struct anchor *a;
	struct doc_node *n;
	uint64_t max = y->lim->max_alias_nodes;
	const char *s;
	size_t len;

	if ((a = alias_target(y, name, &m)) == NULL)
		return -1;
	if (y->depth > 0 && y->stack[y->depth - 1].expect_key) {
		/* An alias as a key: it must name a scalar. */
		if (a->keytext != NULL) {
			s = a->keytext;
			len = a->keylen;
		} else if (!a->scalar) {
			return diag_err(
			    y->d, &m, "mapping key must be a scalar");
		} else {
			/* Check before touching a node that may be freed. */
			if (alias_usable(y, a, name, &m) == -1)
				return -1;
			n = a->node;
			if (n->type == DOC_NULL)
				s = "null", len = 4;
			else if (n->type == DOC_BOOL)
				s = n->u.b ? "true" : "false", len = strlen(s);
			else
				s = n->str, len = n->len;
		}
		if (charge_bytes(y, len, name, &m) == -1 ||
		    builder_key(y->b, s, len, &m) == -1)
			return -1;
		y->stack[y->depth - 1].expect_key = 0;
		y->stack[y->depth - 1].nodes++;
		return 0;
	}
	alias_reset_if_new_element(y);
	y->alias_nodes += a->size;
	if (max > 0 && y->alias_nodes > max)
		return diag_err(y->d, &m,
		    "alias expansion exceeds the limit of %llu nodes",
		    (unsigned long long)max);
	if (!builder_wants_value(y->b)) {
		/* Outside the selected elements: nobody will see it. */
		if (builder_node(y->b, NULL) == -1)
			return -1;
	} else if (a->keytext != NULL) {
		/* An anchored key reused as a value: a string. */
		if (charge_bytes(y, a->keylen, name, &m) == -1 ||
		    builder_scalar(
			y->b, DOC_STRING, a->keytext, a->keylen, &m) == -1)
			return -1;
	} else {
		if (alias_usable(y, a, name, &m) == -1 ||
		    builder_node(y->b, a->node) == -1)
			return -1;
	}
	value_added(y, a->size);
	return 0;
}

static int
on_start(struct yfeed *y, const yaml_event_t *ev, int is_map)
{
	struct mark m = ymark(y, ev->start_mark);
	const char *anchor, *tag;
	struct yframe *f;
	size_t idx = 0, ncap;

	if (is_map) {
		anchor = (const char *)ev->data.mapping_start.anchor;
		tag = (const char *)ev->data.mapping_start.tag;
	} else {
		anchor = (const char *)ev->data.sequence_start.anchor;
		tag = (const char *)ev->data.sequence_start.tag;
	}
	if (y->depth > 0 && y->stack[y->depth - 1].expect_key)
		return diag_err(y->d, &m, "mapping key must be a scalar");
	if (container_tag(y, tag, is_map, &m) == -1)
		return -1;
	/* The builder enforces max_depth, so the stack stays bounded. */
	if ((is_map ? builder_map_start(y->b, &m)
		    : builder_seq_start(y->b, &m)) == -1)
		return -1;
	if (y->depth == y->cap) {
		ncap = y->cap ? y->cap * 2 : 32;
		if ((f = lib_realloc(y->stack, ncap * sizeof(*f))) == NULL)
			return diag_sys(y->d, &m, "out of memory");
		y->stack = f;
		y->cap = ncap;
	}
	if (anchor != NULL && (idx = anchor_define(y, anchor, &m)) == 0)
		return -1;
	f = &y->stack[y->depth++];
	memset(f, 0, sizeof(*f));
	f->is_map = is_map;
	f->expect_key = is_map;
	f->anchor = idx;
	f->anchor_seq = idx ? y->aseq : 0;
	/* The start may have begun an element: record it after the call. */
	f->in_elem = builder_in_element(y->b);
	f->elem = builder_count(y->b);
	return 0;
}

static int
on_end(struct yfeed *y, int is_map)
{
	struct yframe f;

	if (y->depth == 0)
		return diag_err(y->d, NULL, "internal error: unbalanced end");
	f = y->stack[--y->depth];
	if ((is_map ? builder_map_end(y->b) : builder_seq_end(y->b)) == -1)
		return -1;
	if (f.anchor != 0)
		anchor_complete(
		    y, f.anchor, f.anchor_seq, f.nodes + 1, f.in_elem, f.elem);
	value_added(y, f.nodes + 1);
	return 0;
}

/*
 * Handle one event.  Returns 0, 1 at the end of the stream, or -1.
 */
static int
on_event(struct yfeed *y, const yaml_event_t *ev)
{
	struct mark m;

	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
	case YAML_NO_EVENT:
		return 0;
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		anchors_clear(y);
		y->alias_elem = builder_count(y->b);
		m = ymark(y, ev->start_mark);
		return builder_doc_start(y->b, &m);
	case YAML_DOCUMENT_END_EVENT:
		return builder_doc_end(y->b);
	case YAML_MAPPING_START_EVENT:
		return on_start(y, ev, 1);
	case YAML_MAPPING_END_EVENT:
		return on_end(y, 1);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(y, ev, 0);
	case YAML_SEQUENCE_END_EVENT:
		return on_end(y, 0);
	case YAML_SCALAR_EVENT:
		return on_scalar(y, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(y, ev);
	}
	return 0;
}

int
yaml_feed(struct builder *b, struct diag *d, const char *name,
    const char *prefix, size_t plen, int fd, const struct load_limits *lim)
{
	struct load_limits dl;
	struct yfeed y;
	yaml_parser_t parser;
	yaml_event_t ev;
	int have_parser = 0, have_ev = 0, rc = -1, r;

	if (lim == NULL) {
		load_limits_default(&dl);
		lim = &dl;
	}
	memset(&y, 0, sizeof(y));
	y.b = b;
	y.d = d;
	y.name = name;
	y.lim = lim;
	y.fd = fd;
	y.win = prefix;
	y.wlen = plen;
	y.wline = y.wcol = 1;
	if (!yaml_parser_initialize(&parser)) {
		struct mark m = { name, 0, 0 };

		diag_sys(d, &m, "out of memory starting the YAML parser");
		goto out;
	}
	have_parser = 1;
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input(&parser, read_handler, &y);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev)) {
			parser_error(&y, &parser);
			goto out;
		}
		have_ev = 1;
		y.last_event = ev.end_mark.index;
		y.last_mark = ev.end_mark;
		if ((r = on_event(&y, &ev)) == -1)
			goto out;
		yaml_event_delete(&ev);
		have_ev = 0;
		if (r == 1)
			break;
	}
	rc = 0;
out:
	if (have_ev)
		yaml_event_delete(&ev);
	if (have_parser)
		yaml_parser_delete(&parser);
	anchors_clear(&y);
	lib_free(y.anchors);
	lib_free(y.ahash);
	lib_free(y.stack);
	lib_free(y.buf);
	return rc;
}
