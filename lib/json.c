/*
 * json.c: the JSON and NDJSON loader, on yajl 2.  yajl's events drive the
 * builder; this file adds what yajl lacks: positions, strict strings and
 * readable errors.
 *
 * Positions.  yajl has no line or column.  Inside a callback,
 * yajl_get_bytes_consumed() is the offset just past the current token in
 * the buffer given to the running yajl_parse() (checked on yajl 2.1.0: the
 * counter restarts at 0 on each call).  The only bytes yajl consumes
 * between two callbacks are white space and the separators ',' and ':', so
 * a token starts at the first other byte after the end of the previous
 * one.  A cursor walks the input once, forward, counting lines and
 * characters (UTF-8 lead bytes), and stops at each token start.  A token
 * still open at the end of a chunk (yajl buffers it) is "pending": its
 * start mark is taken then, and its raw bytes are kept in `carry` so that
 * strings can still be checked and errors placed exactly.
 *
 * Strings.  yajl 2.1 checks UTF-8 loosely (it accepts overlong forms,
 * encoded surrogates and code points past U+10FFFF), turns a lone high
 * surrogate escape into '?' and a lone low one into invalid UTF-8.  Every
 * decoded string is therefore checked strictly, and when it holds escapes
 * or fails, its raw text is scanned to reject unpaired surrogates and to
 * find the exact offending byte.
 *
 * Depth.  yajl 2.1 keeps its state in a byte stack that grows on demand
 * (no fixed depth; 100000 levels parse fine), so the only nesting limit is
 * the builder's max_depth, which cancels the parse as soon as it is hit.
 *
 * Memory.  Input is read in JSON_CHUNK pieces; yajl allocates with plain
 * malloc (it does not check allocation failures, so it is not routed
 * through the fault-injection hook); the builder frees each element after
 * its callback.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/json_impl.h"

/* ------------------------------------------------------------ positions */

#define HIGHS 0x8080808080808080ull

/* The first byte >= 0x80 in [p, e), or e. */
static const char *
find_high(const char *p, const char *e)
{
	uint64_t w;

	uint64_t v;

	uint64_t x, y;

	/* Most text is ASCII: 32 bytes a step. */
	while (e - p >= 32) {
		memcpy(&w, p, 8);
		memcpy(&v, p + 8, 8);
		memcpy(&x, p + 16, 8);
		memcpy(&y, p + 24, 8);
		if ((w | v | x | y) & HIGHS)
			break;
		p += 32;
	}
	while (e - p >= 16) {
		memcpy(&w, p, 8);
		memcpy(&v, p + 8, 8);
		if ((w | v) & HIGHS)
			break;
		p += 16;
	}
	while (e - p >= 8) {
		memcpy(&w, p, 8);
		if (w & HIGHS)
			break;
		p += 8;
	}
	while (p < e && (unsigned char)*p < 0x80)
		p++;
	return p;
}

/* The first '\n' in [p, e), or e. */
static const char *
find_nl(const char *p, const char *e)
{
	const char *q = memchr(p, '\n', (size_t)(e - p));

	return q != NULL ? q : e;
}

/*
 * Move the cursor forward to `to` (in the current buffer), counting lines
 * and characters.  This runs for every token, so it is O(1) while the
 * cursor stays before the next newline (j->nl) and the next non-ASCII
 * byte (j->hi); those two are found by memchr-like scans that pass each
 * byte once.
 */
static void pos_past(struct json_ctx *j, const char *to);

static inline void
pos_to(struct json_ctx *j, const char *to)
{
	if (__builtin_expect(to <= j->stop, 1)) {
		j->col += (uint32_t)(to - j->cur);
		j->cur = to;
		return;
	}
	pos_past(j, to);
}

/* pos_to() when a newline or a non-ASCII byte lies before `to`. */
static void
pos_past(struct json_ctx *j, const char *to)
{
	const char *stop;

	for (;;) {
		stop = j->stop;
		if (to <= stop) {
			j->col += (uint32_t)(to - j->cur);
			j->cur = to;
			return;
		}
		j->col += (uint32_t)(stop - j->cur);
		j->cur = stop + 1;
		if (*stop == '\n') {
			j->line++;
			j->col = 1;
			j->nl = find_nl(stop + 1, j->bufend);
		} else {
			/* Count UTF-8 lead bytes, not continuation bytes. */
			j->col += ((unsigned char)*stop & 0xC0) != 0x80;
			j->hi = find_high(stop + 1, j->bufend);
		}
		j->stop = j->nl < j->hi ? j->nl : j->hi;
	}
}

static struct mark
mark_at(struct json_ctx *j, const char *p)
{
	struct mark m;

	pos_to(j, p);
	m.file = j->name;
	m.line = j->line;
	m.col = j->col;
	return m;
}

/* The mark of byte off of a token that starts at mark m (raw text p). */
static struct mark
mark_within(struct mark m, const char *p, size_t off)
{
	size_t i;

	for (i = 0; i < off; i++) {
		if (p[i] == '\n') {
			m.line++;
			m.col = 1;
		} else if (((unsigned char)p[i] & 0xC0) != 0x80) {
			m.col++;
		}
	}
	return m;
}

/* White space and the separators ',' and ':'. */
static const unsigned char sep_table[256] = {
	['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1, [','] = 1, [':'] = 1
};

static inline int
is_sep(char c)
{
	return sep_table[(unsigned char)c];
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* tok_begin() for a token begun in an earlier buffer, or at the end. */
static void
tok_begin_pending(struct json_ctx *j)
{
	j->tok_hi = 1; /* unknown: check */
	j->tok = NULL;
	j->tok_mark = j->pend_mark;
	j->pending = 0;
	if (j->completing) {
		j->tok_e = NULL;
		return;
	}
	j->tok_e = j->seg + yajl_get_bytes_consumed(j->h);
	j->last = j->tok_e;
	j->sep = 0;
}

/*
 * The start of the next token in the buffer being parsed: only white
 * space and separators lie between the last token and it, and a token
 * that is not pending is whole in the buffer and starts with another
 * byte, so the scan needs no bound.
 */
static inline const char *
tok_next(const struct json_ctx *j)
{
	const char *p = j->last != NULL ? j->last : j->seg;

	while (is_sep(*p))
		p++;
	return p;
}

/*
 * Called first in every callback but those of tok_in_place(): find where
 * the current token starts, set j->tok and j->tok_mark, and remember
 * where it ends.  j->tok_hi tells whether the token's bytes may include
 * non-ASCII ones.  len is the token's length when it is fixed (a bracket
 * or a literal), else 0 and yajl_get_bytes_consumed() tells the end.
 * The common case (a token inside the buffer being parsed) is one test
 * away; tok_mark.file is always the input's name, set once.
 */
static inline void
tok_begin(struct json_ctx *j, size_t len)
{
	const char *p, *e;

	if (j->completing | j->pending) {
		tok_begin_pending(j);
		return;
	}
	p = tok_next(j);
	e = len > 0 ? p + len : j->seg + yajl_get_bytes_consumed(j->h);
	j->tok = p;
	j->tok_e = e;
	pos_to(j, p);
	j->tok_mark.line = j->line;
	j->tok_mark.col = j->col;
	j->tok_hi = j->hi < e;
	j->last = e;
	j->sep = 0;
}

/*
 * tok_begin() for a string, key or number whose text yajl hands over in
 * place: its lexer passes a pointer into the buffer being parsed when the
 * token has no escapes and was not split across buffers (else a copy in
 * its own buffers).  Then the token is [s - q, s + n + q), where s is the
 * text passed (n bytes) and q the quotes around it (1 for a string, 0 for
 * a number), and neither yajl_get_bytes_consumed() nor a search for the
 * token's start is needed.  0 when the text is not in place: use
 * tok_begin().
 */
static inline int
tok_in_place(struct json_ctx *j, const char *s, size_t n, size_t q)
{
	/* Compared as integers: a copy is another object. */
	uintptr_t a = (uintptr_t)s;
	const char *p, *e;

	if (a < (uintptr_t)j->seg + q || a + n + q > (uintptr_t)j->segend ||
	    j->pending)
		return 0;
	p = s - q;
	e = s + n + q;
	j->tok = p;
	j->tok_e = e;
	pos_to(j, p);
	j->tok_mark.line = j->line;
	j->tok_mark.col = j->col;
	j->tok_hi = j->hi < e;
	j->last = e;
	j->sep = 0;
	return 1;
}

/*
 * The raw text of the current token, contiguous.  A pending token's text
 * is completed in the carry buffer.  -1 on allocation failure.
 */
static int
tok_raw(struct json_ctx *j, const char **p, size_t *n)
{
	const char *e = j->tok_e;

	if (j->tok != NULL) {
		*p = j->tok;
		*n = (size_t)(e - j->tok);
		return 0;
	}
	if (e != NULL && e > j->seg &&
	    sb_add(&j->carry, j->seg, (size_t)(e - j->seg)) == -1)
		return -1;
	*p = j->carry.s != NULL ? j->carry.s : "";
	*n = j->carry.len;
	return 0;
}

static inline size_t
tok_rawlen(const struct json_ctx *j)
{
	const char *e = j->tok_e;

	if (j->tok != NULL)
		return (size_t)(e - j->tok);
	return j->carry.len + (e != NULL ? (size_t)(e - j->seg) : 0);
}

/* ------------------------------------------------------------- strings */

/* Length of the valid UTF-8 sequence at p, or 0 (lib.h's decoder). */
static inline size_t
utf8_len(const unsigned char *p, size_t n)
{
	uint32_t cp;

	return utf8_decode(p, n, &cp);
}

/* What utf8_check found in a decoded string. */
#define U8_INVALID 1
#define U8_SUSPECT 2 /* '?' or a 4-byte sequence: maybe a bad surrogate */

/*
 * Check a decoded string: strict UTF-8, and whether it holds what yajl
 * makes of bad surrogate escapes ('?' for a lone high one, a 4-byte
 * sequence for a high one followed by a non-low escape).
 */
static int
utf8_check(const unsigned char *s, size_t n)
{
	size_t i = 0, k;
	uint64_t w;
	int r = 0;

	while (i < n) {
		if (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if ((w & HIGHS) == 0) {
				i += 8;
				continue;
			}
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_len(s + i, n - i)) == 0)
			return r | U8_INVALID;
		if (k == 4)
			r |= U8_SUSPECT;
		i += k;
	}
	if (r == 0 && memchr(s, '?', n) != NULL)
		r |= U8_SUSPECT;
	return r;
}

static int
hex4(const char *p, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;
	char c;

	if (n < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * Scan the raw text of a string token (from its opening quote) for the
 * first thing RFC 8259 forbids.  Returns 0 when it is clean, else -1 with
 * the offending byte's offset in *off and a message in msg.
 */
static int
str_scan(const char *p, size_t n, size_t *off, char *msg, size_t msglen)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 1, k;
	uint32_t cp, lo;
	char e;

	while (i < n) {
		if (u[i] == '"')
			return 0;
		if (u[i] == '\\') {
			e = i + 1 < n ? p[i + 1] : '\0';
			if (strchr("\"\\/bfnrt", e) != NULL && e != '\0') {
				i += 2;
				continue;
			}
			*off = i;
			if (e != 'u') {
				if (e >= 0x20 && e < 0x7F)
					snprintf(msg, msglen,
					    "invalid JSON: invalid escape "
					    "'\\%c' in a string",
					    e);
				else
					snprintf(msg, msglen,
					    "invalid JSON: invalid escape "
					    "in a string");
				return -1;
			}
			if (hex4(p + i + 2, n - i - 2, &cp) == -1) {
				snprintf(msg, msglen,
				    "invalid JSON: '\\u' must be followed by "
				    "four hex digits");
				return -1;
			}
			if (cp >= 0xDC00 && cp <= 0xDFFF) {
				snprintf(msg, msglen,
				    "invalid JSON: unpaired surrogate "
				    "'\\u%.4s' in a string",
				    p + i + 2);
				return -1;
			}
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (i + 7 >= n || p[i + 6] != '\\' ||
				    p[i + 7] != 'u' ||
				    hex4(p + i + 8, n - i - 8, &lo) == -1 ||
				    lo < 0xDC00 || lo > 0xDFFF) {
					snprintf(msg, msglen,
					    "invalid JSON: unpaired surrogate "
					    "'\\u%.4s' in a string",
					    p + i + 2);
					return -1;
				}
				i += 12;
				continue;
			}
			i += 6;
			continue;
		}
		if (u[i] < 0x20) {
			*off = i;
			if (u[i] == 0)
				snprintf(msg, msglen,
				    "invalid JSON: NUL byte in a string");
			else
				snprintf(msg, msglen,
				    "invalid JSON: control character 0x%02x "
				    "in a string (escape it)",
				    u[i]);
			return -1;
		}
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_len(u + i, n - i)) == 0) {
			*off = i;
			snprintf(
			    msg, msglen, "invalid UTF-8 byte 0x%02x", u[i]);
			return -1;
		}
		i += k;
	}
	return 0;
}

static int
oom(struct json_ctx *j, const struct mark *m)
{
	return diag_sys(j->d, m, "out of memory reading JSON");
}

/* check_string() past its fast path. */
static int
check_string_slow(struct json_ctx *j, const unsigned char *s, size_t n)
{
	const char *raw;
	size_t rawlen, off = 0;
	char msg[160];
	struct mark m;
	int esc, r;

	esc = tok_rawlen(j) != n + 2; /* escapes shrink the text */
	r = utf8_check(s, n);
	/* Bad surrogate escapes only show as '?' or 4-byte sequences. */
	if (r == 0 || (r == U8_SUSPECT && !esc))
		return 0;
	if (tok_raw(j, &raw, &rawlen) == -1)
		return oom(j, &j->tok_mark);
	if (str_scan(raw, rawlen, &off, msg, sizeof(msg)) == 0) {
		if (!(r & U8_INVALID))
			return 0;
		return diag_err(
		    j->d, &j->tok_mark, "invalid UTF-8 in a string");
	}
	m = mark_within(j->tok_mark, raw, off);
	return diag_err(j->d, &m, "%s", msg);
}

/*
 * Check the current string token, decoded as s (n bytes).  0, or -1 with
 * the error reported at the offending byte.
 */
static inline int
check_string(struct json_ctx *j, const unsigned char *s, size_t n)
{
	/* Plain ASCII without escapes (the text is the raw text minus the
	 * quotes): nothing to check. */
	if (!j->tok_hi && tok_rawlen(j) == n + 2)
		return 0;
	return check_string_slow(j, s, n);
}

/* ----------------------------------------------------------- callbacks */

static int
open_grow(struct json_ctx *j)
{
	struct mark *v;
	char *c;
	size_t cap;

	cap = j->capopen ? j->capopen * 2 : 32;
	if ((v = lib_realloc(j->open, cap * sizeof(*v))) == NULL)
		return oom(j, &j->tok_mark);
	j->open = v;
	if ((c = lib_realloc(j->openc, cap)) == NULL)
		return oom(j, &j->tok_mark);
	j->openc = c;
	j->capopen = cap;
	return 0;
}

/* Remember an open bracket for error messages (inline: every container). */
static inline int
open_push(struct json_ctx *j, char bracket)
{
	if (j->nopen == j->capopen && open_grow(j) == -1)
		return -1;
	j->openc[j->nopen] = bracket;
	j->open[j->nopen++] = j->tok_mark;
	return 0;
}

/*
 * Hand an event to the builder's thread: append it to the piece being
 * collected, with the mark m and the text [s, s+n) (s may be NULL).  1,
 * or 0 when memory runs out (yajl's convention: 0 cancels the parse).
 */
static int
emit_grow(struct json_ctx *j)
{
	struct piece *pc = j->pc;
	size_t n = (size_t)(j->evp - pc->ev);
	size_t cap = pc->cev ? pc->cev * 2 : 1024;
	struct pev *v;

	if ((v = lib_realloc(pc->ev, cap * sizeof(*v))) == NULL)
		return oom(j, &j->tok_mark);
	pc->ev = v;
	pc->cev = cap;
	j->evp = v + n;
	j->eve = v + cap;
	return 0;
}

/*
 * copy: the text is not in the piece (yajl's own copy): put it beside the
 * events.  Else s is NULL or in the piece.
 */
static inline int
emit(struct json_ctx *j, uint32_t kind, const char *s, size_t n, int copy,
    const struct mark *m)
{
	struct pev *e;

	if (j->evp == j->eve && emit_grow(j) == -1)
		return 0;
	e = j->evp;
	if (!copy) {
		e->off = s != NULL ? (uint32_t)(s - j->pc->data) : 0;
	} else {
		e->off = (uint32_t)j->pc->copies.len;
		if (sb_add(&j->pc->copies, s, n) == -1) {
			oom(j, m);
			return 0;
		}
		kind |= PEV_COPY;
	}
	e->n = (uint32_t)n;
	e->line = m->line;
	e->col = m->col;
	e->kind = kind;
	j->evp = e + 1;
	return 1;
}

/*
 * The callbacks' last step, to the builder directly or (piped, a
 * constant in each copy of the callbacks) through the reader's events.
 * 1 to go on, 0 to cancel the parse.
 */
#define JSON_INLINE static inline __attribute__((always_inline)) int

JSON_INLINE
sink_scalar(struct json_ctx *j, int piped, uint32_t kind, enum doc_type t,
    const char *s, size_t n, int copy)
{
	if (piped && kind != PEV_STRING)
		return emit(j, kind, NULL, 0, 0, &j->tok_mark);
	if (piped)
		return emit(j, kind, s, n, copy, &j->tok_mark);
	return builder_scalar_fast(j->b, t, s, n, &j->tok_mark) == 0;
}

JSON_INLINE
sink_number(struct json_ctx *j, int piped, enum doc_type t, const char *s,
    size_t n, int copy)
{
	if (piped)
		return emit(j, t == DOC_INT ? PEV_INT : PEV_FLOAT, s, n, copy,
		    &j->tok_mark);
	return builder_scalar(j->b, t, s, n, &j->tok_mark) == 0;
}

JSON_INLINE
sink_key(struct json_ctx *j, int piped, const char *s, size_t n, int copy)
{
	if (piped)
		return emit(j, PEV_KEY, s, n, copy, &j->tok_mark);
	return builder_key_fast(j->b, s, n, &j->tok_mark) == 0;
}

JSON_INLINE
sink_open(struct json_ctx *j, int piped, enum doc_type t)
{
	if (piped)
		return emit(j, t == DOC_MAP ? PEV_MAP : PEV_SEQ, NULL, 0, 0,
		    &j->tok_mark);
	return builder_open_fast(j->b, t, &j->tok_mark) == 0;
}

JSON_INLINE
sink_close(struct json_ctx *j, int piped, enum doc_type t)
{
	if (piped)
		return emit(j, t == DOC_MAP ? PEV_MAP_END : PEV_SEQ_END, NULL,
		    0, 0, &j->tok_mark);
	return builder_close_fast(j->b, t) == 0;
}

JSON_INLINE
do_null(void *ctx, int piped)
{
	struct json_ctx *j = ctx;

	tok_begin(j, 4);
	j->ev = EV_VALUE;
	j->last_zero = 0;
	return sink_scalar(j, piped, PEV_NULL, DOC_NULL, "null", 4, 0);
}

JSON_INLINE
do_bool(void *ctx, int v, int piped)
{
	struct json_ctx *j = ctx;

	tok_begin(j, v ? 4 : 5);
	j->ev = EV_VALUE;
	j->last_zero = 0;
	return sink_scalar(j, piped, v ? PEV_TRUE : PEV_FALSE, DOC_BOOL,
	    v ? "true" : "false", v ? 4 : 5, 0);
}

JSON_INLINE
do_number(void *ctx, const char *s, size_t n, int piped)
{
	struct json_ctx *j = ctx;
	enum doc_type t = DOC_INT;
	int copy = 0;
	size_t i;

	if (!tok_in_place(j, s, n, 0)) {
		tok_begin(j, 0);
		copy = 1;
	}
	/* yajl has checked the syntax; an int is -?[0-9]+. */
	for (i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == 'e' || s[i] == 'E') {
			t = DOC_FLOAT;
			break;
		}
	}
	j->ev = EV_VALUE;
	j->last_zero =
	    (n == 1 && s[0] == '0') || (n == 2 && s[0] == '-' && s[1] == '0');
	return sink_number(j, piped, t, s, n, copy);
}

/*
 * Find a string's or key's token and check its text.  0 when the text is
 * in place (in the buffer being parsed), 1 when it is yajl's copy, -1 on
 * error.
 */
static __attribute__((noinline)) int
string_begin_copy(struct json_ctx *j, const unsigned char *s, size_t n)
{
	tok_begin(j, 0);
	if (check_string(j, s, n) == -1)
		return -1;
	return 1;
}

JSON_INLINE
string_begin(struct json_ctx *j, const unsigned char *s, size_t n)
{
	if (__builtin_expect(tok_in_place(j, (const char *)s, n, 1), 1)) {
		/* The text is the raw text: only non-ASCII needs a check. */
		if (j->tok_hi && check_string_slow(j, s, n) == -1)
			return -1;
		return 0;
	}
	return string_begin_copy(j, s, n);
}

JSON_INLINE
do_string(void *ctx, const unsigned char *s, size_t n, int piped)
{
	struct json_ctx *j = ctx;
	int copy;

	if ((copy = string_begin(j, s, n)) == -1)
		return 0;
	j->ev = EV_VALUE;
	j->last_zero = 0;
	return sink_scalar(
	    j, piped, PEV_STRING, DOC_STRING, (const char *)s, n, copy);
}

JSON_INLINE
do_key(void *ctx, const unsigned char *s, size_t n, int piped)
{
	struct json_ctx *j = ctx;
	int copy;

	if ((copy = string_begin(j, s, n)) == -1)
		return 0;
	j->ev = EV_KEY;
	return sink_key(j, piped, (const char *)s, n, copy);
}

JSON_INLINE
do_open(void *ctx, enum doc_type t, int piped)
{
	struct json_ctx *j = ctx;

	tok_begin(j, 1);
	j->ev = EV_OPEN;
	if (open_push(j, t == DOC_MAP ? '{' : '[') == -1)
		return 0;
	if (!sink_open(j, piped, t))
		return 0;
	/*
	 * The builder stops at the first container past max_depth, but on
	 * the other thread, later: the reader stops one level further (with
	 * no message: the builder's is the one), so that deep nesting
	 * cannot fill memory ahead of it.
	 */
	if (piped && j->nopen > (size_t)j->lim->max_depth + 1)
		return 0;
	return 1;
}

/* Closing brackets need no mark: only move past them. */
static void
tok_close(struct json_ctx *j)
{
	if (!j->completing) {
		j->last = j->seg + yajl_get_bytes_consumed(j->h);
		j->pending = 0;
		j->sep = 0;
	}
	j->ev = EV_VALUE;
	j->last_zero = 0;
	if (j->nopen > 0)
		j->nopen--;
}

JSON_INLINE
do_close(void *ctx, enum doc_type t, int piped)
{
	struct json_ctx *j = ctx;

	tok_close(j);
	return sink_close(j, piped, t);
}

/* The callbacks: one set builds directly, the other (_p) is piped. */
#define JSON_CALLBACKS(sfx, piped) \
	static int on_null##sfx(void *c) \
	{ \
		return do_null(c, piped); \
	} \
	static int on_bool##sfx(void *c, int v) \
	{ \
		return do_bool(c, v, piped); \
	} \
	static int on_number##sfx(void *c, const char *s, size_t n) \
	{ \
		return do_number(c, s, n, piped); \
	} \
	static int on_string##sfx(void *c, const unsigned char *s, size_t n) \
	{ \
		return do_string(c, s, n, piped); \
	} \
	static int on_key##sfx(void *c, const unsigned char *s, size_t n) \
	{ \
		return do_key(c, s, n, piped); \
	} \
	static int on_map_start##sfx(void *c) \
	{ \
		return do_open(c, DOC_MAP, piped); \
	} \
	static int on_seq_start##sfx(void *c) \
	{ \
		return do_open(c, DOC_SEQ, piped); \
	} \
	static int on_map_end##sfx(void *c) \
	{ \
		return do_close(c, DOC_MAP, piped); \
	} \
	static int on_seq_end##sfx(void *c) \
	{ \
		return do_close(c, DOC_SEQ, piped); \
	} \
	static const yajl_callbacks json_callbacks##sfx = { \
		on_null##sfx, \
		on_bool##sfx, \
		NULL, /* integer: numbers come as text (yajl_number) */ \
		NULL, /* double */ \
		on_number##sfx, \
		on_string##sfx, \
		on_map_start##sfx, \
		on_key##sfx, \
		on_map_end##sfx, \
		on_seq_start##sfx, \
		on_seq_end##sfx, \
	};

JSON_CALLBACKS(, 0)
JSON_CALLBACKS(_p, 1)

/* -------------------------------------------------------------- errors */

/* A token as the mini lexer of the error path sees it. */
struct tok {
	const char *p;
	size_t n;
};

/* The next token in [p, e): one structural byte, a string, or a run. */
static int
lex_next(const char *p, const char *e, struct tok *t)
{
	const char *q;
	size_t k;

	while (p < e && is_ws(*p))
		p++;
	if (p >= e)
		return -1;
	t->p = p;
	if (strchr("{}[],:", *p) != NULL && *p != '\0') {
		t->n = 1;
		return 0;
	}
	q = p + 1;
	if (*p == '"') {
		while (q < e && *q != '"') {
			if (*q == '\\' && q + 1 < e)
				q++;
			q++;
		}
		if (q < e)
			q++;
	} else {
		while (q < e && !is_ws(*q) && strchr("{}[],:\"", *q) == NULL)
			q++;
		if (q == p + 1 && (unsigned char)*p >= 0x80 &&
		    (k = utf8_len((const unsigned char *)p, (size_t)(e - p))) >
			1)
			q = p + k;
	}
	t->n = (size_t)(q - p);
	return 0;
}

/* Quote a token for a message: printable, at most 24 bytes. */
static void
tok_show(const struct tok *t, char *buf, size_t len)
{
	size_t i, o = 0, max = t->n > 24 ? 24 : t->n;
	unsigned char c;

	for (i = 0; i < max && o + 5 < len; i++) {
		c = (unsigned char)t->p[i];
		if (c >= 0x20 && c < 0x7F && c != '\'') {
			buf[o++] = (char)c;
		} else {
			snprintf(buf + o, len - o, "\\x%02x", c);
			o += 4;
		}
	}
	if (max < t->n && o + 4 < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
}

/* A lexical error in token t starting at m: say what is wrong with it. */
static int
lexical_error(struct json_ctx *j, const struct tok *t, struct mark m)
{
	unsigned char c = (unsigned char)t->p[0];
	char show[128], msg[160];
	size_t off = 0;

	tok_show(t, show, sizeof(show));
	if (c == '"') {
		if (str_scan(t->p, t->n, &off, msg, sizeof(msg)) == -1) {
			m = mark_within(m, t->p, off);
			return diag_err(j->d, &m, "%s", msg);
		}
		if (t->n < 2 || t->p[t->n - 1] != '"')
			return diag_err(j->d, &m,
			    "invalid JSON: unterminated "
			    "string");
		return diag_err(j->d, &m, "invalid JSON: malformed string");
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return diag_err(
		    j->d, &m, "invalid JSON: malformed number '%s'", show);
	if (c == '/')
		return diag_err(
		    j->d, &m, "invalid JSON: comments are not allowed");
	if (c == '\'')
		return diag_err(
		    j->d, &m, "invalid JSON: strings must be in double quotes");
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return diag_err(j->d, &m,
		    "invalid JSON: invalid literal '%s' (expected a value)",
		    show);
	if (c == 0)
		return diag_err(j->d, &m, "invalid JSON: NUL byte");
	if (c < 0x20 || c >= 0x7F)
		return diag_err(
		    j->d, &m, "invalid JSON: unexpected byte 0x%02x", c);
	return diag_err(j->d, &m, "invalid JSON: unexpected character '%c'", c);
}

/*
 * yajl_parse or yajl_complete_parse failed with a syntax error: find the
 * offending token and report it at its start.  Always returns -1.
 */
static int
syntax_error(struct json_ctx *j)
{
	unsigned char *yerr;
	char ytext[200], show[128];
	struct tok t1, t2, t;
	struct mark m, eof;
	const char *p, *e;
	int lexical, have = 0, comma_before = 0, in_seg = 1;
	size_t i;

	yerr = yajl_get_error(j->h, 0, NULL, 0);
	snprintf(ytext, sizeof(ytext), "%s",
	    yerr != NULL ? (const char *)yerr : "parse error: unknown");
	if (yerr != NULL)
		yajl_free_error(j->h, yerr);
	for (i = 0; ytext[i] != '\0'; i++)
		if (ytext[i] == '\n')
			ytext[i] = ' ';
	while (i > 0 && (ytext[i - 1] == ' ' || ytext[i - 1] == '.'))
		ytext[--i] = '\0';
	lexical = strncmp(ytext, "lexical error: ", 15) == 0;

	eof.file = j->name;
	eof.line = j->line;
	eof.col = j->col;
	m = eof;
	t.p = "";
	t.n = 0;
	if (j->pending) {
		/* The token yajl was holding is the culprit. */
		if (!j->completing &&
		    sb_add(&j->carry, j->seg, (size_t)(j->segend - j->seg)) ==
			-1)
			return oom(j, &j->pend_mark);
		if (j->carry.len > 0 &&
		    lex_next(j->carry.s, j->carry.s + j->carry.len, &t) == 0) {
			have = 1;
			in_seg = 0;
			m = j->pend_mark;
			comma_before = j->sep == ',';
		}
	} else if (!j->completing) {
		p = j->last != NULL ? j->last : j->seg;
		e = j->segend;
		if (lex_next(p, e, &t1) == 0) {
			have = 1;
			t = t1;
			comma_before = j->sep == ',';
			if (j->sep == 0 && t1.n == 1 &&
			    ((j->ev == EV_KEY && t1.p[0] == ':') ||
				(j->ev == EV_VALUE && j->nopen > 0 &&
				    t1.p[0] == ',')) &&
			    lex_next(t1.p + 1, e, &t2) == 0) {
				t = t2;
				comma_before = t1.p[0] == ',';
			}
			m = mark_at(j, t.p);
		}
	}
	if (!have) {
		if (j->nopen > 0)
			return diag_err(j->d, &eof,
			    "invalid JSON: unexpected end of input ('%c' "
			    "opened at %u:%u is not closed)",
			    j->openc[j->nopen - 1], j->open[j->nopen - 1].line,
			    j->open[j->nopen - 1].col);
		return diag_err(
		    j->d, &eof, "invalid JSON: unexpected end of input");
	}
	if (lexical)
		return lexical_error(j, &t, m);
	tok_show(&t, show, sizeof(show));
	if (strstr(ytext, "premature EOF") != NULL) {
		if (t.p[0] == '"')
			return diag_err(
			    j->d, &m, "invalid JSON: unterminated string");
		return diag_err(
		    j->d, &eof, "invalid JSON: unexpected end of input");
	}
	if (comma_before && (t.p[0] == '}' || t.p[0] == ']'))
		return diag_err(j->d, &m,
		    "invalid JSON: trailing comma before '%c'", t.p[0]);
	if (j->last_zero && in_seg && t.p == j->last && t.p[0] >= '0' &&
	    t.p[0] <= '9')
		return diag_err(j->d, &m,
		    "invalid JSON: numbers cannot have leading zeros");
	/* Not even the start of a token (NUL, '/', '\'', binary...). */
	if (t.p[0] == '\0' ||
	    (strchr("{}[],:\"-0123456789", t.p[0]) == NULL &&
		!(t.p[0] >= 'a' && t.p[0] <= 'z') &&
		!(t.p[0] >= 'A' && t.p[0] <= 'Z')))
		return lexical_error(j, &t, m);
	if (strstr(ytext, "trailing garbage") != NULL)
		return diag_err(j->d, &m,
		    "invalid JSON: unexpected '%s' after the end of the "
		    "document",
		    show);
	if (strstr(ytext, "colon") != NULL)
		return diag_err(j->d, &m,
		    "invalid JSON: expected ':' after a key, found '%s'", show);
	if (strstr(ytext, "inside map") != NULL)
		return diag_err(j->d, &m,
		    "invalid JSON: expected ',' or '}' after a value, found "
		    "'%s'",
		    show);
	if (strstr(ytext, "array element") != NULL)
		return diag_err(j->d, &m,
		    "invalid JSON: expected ',' or ']' after a value, found "
		    "'%s'",
		    show);
	if (strstr(ytext, "object key") != NULL)
		return diag_err(j->d, &m,
		    "invalid JSON: expected a string key, found '%s'", show);
	if (strstr(ytext, "unallowed token") != NULL)
		return diag_err(
		    j->d, &m, "invalid JSON: unexpected '%s'", show);
	return diag_err(j->d, &m, "invalid JSON: %s", ytext);
}

/* ------------------------------------------------------------- driving */

/*
 * After yajl_parse took a whole buffer: whatever follows the last token
 * is separators and at most the start of one token, which becomes
 * pending.
 */
static int
seg_done(struct json_ctx *j)
{
	const char *p;
	size_t raw_max;

	if (j->pending && j->last == NULL) {
		/* The pending token covers this whole buffer. */
		if (sb_add(&j->carry, j->seg, (size_t)(j->segend - j->seg)) ==
		    -1)
			return oom(j, &j->pend_mark);
	} else {
		p = j->last != NULL ? j->last : j->seg;
		while (p < j->segend && is_sep(*p)) {
			if (*p == ',' || *p == ':')
				j->sep = *p;
			p++;
		}
		if (p < j->segend) {
			j->pending = 1;
			j->pend_mark = mark_at(j, p);
			j->carry.len = 0;
			if (sb_add(&j->carry, p, (size_t)(j->segend - p)) == -1)
				return oom(j, &j->pend_mark);
		}
	}
	j->last = NULL;
	/*
	 * yajl buffers an unfinished token whole; stop one that can only end
	 * beyond the scalar limit (an escape decodes 6 bytes to 1 at most).
	 */
	raw_max = j->lim->max_scalar;
	if (j->pending && raw_max > 0 && raw_max < SIZE_MAX / 8 &&
	    j->carry.len > raw_max * 6 + 2)
		return diag_err(j->d, &j->pend_mark,
		    "scalar longer than the limit of %zu bytes", raw_max);
	return 0;
}

/* Give yajl the buffer [p, p+n). */
static int
feed(struct json_ctx *j, const char *p, size_t n)
{
	yajl_status st;

	j->seg = p;
	j->segend = p + n;
	j->last = NULL;
	st = yajl_parse(j->h, (const unsigned char *)p, n);
	if (st == yajl_status_client_canceled)
		return -1;
	if (st != yajl_status_ok)
		return syntax_error(j);
	return seg_done(j);
}

/*
 * yajl 2.1 does not check its own allocations (its buffer, lexer and
 * byte stack write through what malloc returned), so running out of
 * memory inside it was a crash (SIGSEGV under `ulimit -v` with several
 * inputs).  Its allocator stops the program instead: a message and the
 * exit code of a system error (5, docs/cli.md), with _exit() as other
 * threads may run.  Nothing is half-written then: inputs are parsed
 * before any report file is opened, and temporary files are unlinked
 * when made.  Not lib_malloc(): failure injection tests rampart's own
 * handling, which yajl cannot take.
 */
static void
yajl_oom(void *ctx)
{
	const struct json_ctx *j = ctx;
	static const char head[] = "rampart: out of memory in the JSON parser";

	(void)!write(STDERR_FILENO, head, sizeof(head) - 1);
	if (j != NULL && j->name != NULL) {
		(void)!write(STDERR_FILENO, " reading '", 10);
		(void)!write(STDERR_FILENO, j->name, strlen(j->name));
		(void)!write(STDERR_FILENO, "'", 1);
	}
	(void)!write(STDERR_FILENO, "\n", 1);
	_exit(5);
}

static void *
ya_malloc(void *ctx, size_t n)
{
	void *p = malloc(n);

	if (p == NULL)
		yajl_oom(ctx);
	return p;
}

static void *
ya_realloc(void *ctx, void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL && n > 0)
		yajl_oom(ctx);
	return q;
}

static void
ya_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

/* Start a document whose first byte is p. */
static int
doc_begin(struct json_ctx *j, const char *p)
{
	struct mark m = mark_at(j, p);
	yajl_alloc_funcs af = { ya_malloc, ya_realloc, ya_free, j };

	j->h = yajl_alloc(
	    j->pc != NULL ? &json_callbacks_p : &json_callbacks, &af, j);
	if (j->h == NULL)
		return oom(j, &m);
	j->pending = 0;
	j->sep = 0;
	j->carry.len = 0;
	j->ev = EV_NONE;
	j->last_zero = 0;
	j->nopen = 0;
	if (j->pc != NULL)
		return emit(j, PEV_DOC_START, NULL, 0, 0, &m) ? 0 : -1;
	return builder_doc_start(j->b, &m);
}

/* End the document; the cursor must be at its end (for EOF errors). */
static int
doc_finish(struct json_ctx *j)
{
	yajl_status st;
	int rc = 0;

	j->completing = 1;
	j->seg = j->segend = NULL;
	st = yajl_complete_parse(j->h);
	if (st == yajl_status_client_canceled)
		rc = -1;
	else if (st != yajl_status_ok)
		rc = syntax_error(j);
	j->completing = 0;
	j->pending = 0;
	yajl_free(j->h);
	j->h = NULL;
	if (rc == 0 && j->pc != NULL)
		rc = emit(j, PEV_DOC_END, NULL, 0, 0, &j->tok_mark) ? 0 : -1;
	else if (rc == 0)
		rc = builder_doc_end(j->b);
	return rc;
}

/* One buffer of input: feed what belongs to a document. */
static int
chunk(struct json_ctx *j, const char *p, size_t n)
{
	const char *e = p + n, *nl, *lend, *q;

	j->buf = p;
	j->bufend = e;
	j->cur = p;
	j->nl = find_nl(p, e);
	j->hi = find_high(p, e);
	j->stop = j->nl < j->hi ? j->nl : j->hi;
	while (p < e) {
		if (j->ndjson) {
			nl = memchr(p, '\n', (size_t)(e - p));
			lend = nl != NULL ? nl : e;
		} else {
			nl = NULL;
			lend = e;
		}
		if (j->h == NULL) {
			q = p;
			while (q < lend && is_ws(*q))
				q++;
			if (q < lend) {
				if (doc_begin(j, q) == -1 ||
				    feed(j, q, (size_t)(lend - q)) == -1)
					return -1;
			}
		} else if (feed(j, p, (size_t)(lend - p)) == -1) {
			return -1;
		}
		if (nl == NULL)
			break;
		if (j->h != NULL) {
			pos_to(j, nl);
			if (doc_finish(j) == -1)
				return -1;
		}
		p = nl + 1;
	}
	pos_to(j, e);
	return 0;
}

int
json_input(struct json_ctx *j, const char *p, size_t n)
{
	struct mark m = { j->name, 0, 0 };

	j->total += n;
	if (j->lim->max_file_bytes > 0 && j->total > j->lim->max_file_bytes)
		return diag_err(j->d, &m,
		    "file larger than the limit of %llu bytes",
		    (unsigned long long)j->lim->max_file_bytes);
	return chunk(j, p, n);
}

/* The end of the input: finish the last document. */
int
json_input_end(struct json_ctx *j, int ndjson)
{
	struct mark m = { j->name, 1, 1 };

	if (j->h != NULL)
		return doc_finish(j);
	if (!ndjson)
		return diag_err(j->d, &m, "empty document");
	return 0;
}

/* Bytes read at a time, and the largest piece: the same with the thread. */
size_t
json_chunk_size(void)
{
	return json_piece() > 0 ? json_piece() : JSON_CHUNK;
}

int
json_read_error(struct json_ctx *j)
{
	struct mark m = { j->name, 0, 0 };

	return diag_errno(j->d, &m, errno, "read error");
}

/* json_feed() on the calling thread alone. */
static int
feed_serial(
    struct json_ctx *j, const char *prefix, size_t plen, int fd, int ndjson)
{
	size_t chunk = json_chunk_size();
	size_t off = 0, n;
	char *buf = NULL;
	ssize_t r;
	int rc = -1;

	do {
		n = json_piece() > 0 && plen - off > json_piece() ? json_piece()
								  : plen - off;
		if (json_input(j, prefix + off, n) == -1)
			return -1;
		off += n;
	} while (off < plen);
	if (fd != -1) {
		if ((buf = lib_malloc(chunk)) == NULL) {
			struct mark m = { j->name, 0, 0 };

			return oom(j, &m);
		}
		for (;;) {
			if ((r = read_full(fd, buf, chunk)) < 0) {
				json_read_error(j);
				goto out;
			}
			if (r == 0)
				break;
			/* The caller's digest of the file: one read, two uses. */
			if (digest_update(
				j->md, j->d, j->name, buf, (size_t)r) == -1 ||
			    json_input(j, buf, (size_t)r) == -1)
				goto out;
		}
	}
	rc = json_input_end(j, ndjson);
out:
	lib_free(buf);
	return rc;
}

int
json_feed(struct builder *b, struct diag *d, const char *name,
    const char *prefix, size_t plen, int fd, int ndjson,
    const struct load_limits *lim)
{
	struct json_ctx j;
	struct load_limits dl;
	int rc = 1;

	if (lim == NULL) {
		load_limits_default(&dl);
		lim = &dl;
	}
	memset(&j, 0, sizeof(j));
	j.b = b;
	j.d = d;
	j.name = name;
	j.lim = lim;
	j.ndjson = ndjson;
	j.line = 1;
	j.col = 1;
	j.tok_mark.file = name;
	j.md = b->md;
	sb_init(&j.carry);
	if (json_pipe_wanted(fd, lim))
		rc = json_feed_piped(&j, prefix, plen, fd, ndjson);
	if (rc == 1) {
		j.d = d;
		j.pc = NULL;
		rc = feed_serial(&j, prefix, plen, fd, ndjson);
	}
	if (j.h != NULL)
		yajl_free(j.h);
	lib_free(j.open);
	lib_free(j.openc);
	sb_free(&j.carry);
	return rc;
}
