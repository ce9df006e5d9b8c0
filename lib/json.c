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
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

#include "lib/lib.h"
#include "lib/builder_impl.h"

#define JSON_CHUNK (128u * 1024)

/* What the last callback was, to explain a syntax error. */
enum json_ev { EV_NONE, EV_OPEN, EV_KEY, EV_VALUE };

struct json_ctx {
	struct builder *b;
	struct diag *d;
	const char *name;
	const struct load_limits *lim;
	yajl_handle h;
	int ndjson;

	/* The buffer being given to yajl_parse (NULL while completing). */
	const char *seg, *segend;
	int completing;
	/* Just past the last token that raised a callback in seg, or NULL. */
	const char *last;

	/* Position cursor: line and column of byte `cur` in the buffer. */
	const char *buf, *bufend;
	const char *cur;
	const char *nl, *hi; /* the next '\n' and byte >= 0x80 from cur */
	const char *stop; /* the nearer of nl and hi */
	uint32_t line, col;

	/* A token begun in an earlier buffer and not finished yet. */
	int pending;
	struct mark pend_mark;
	struct strbuf carry; /* its raw bytes so far */
	char sep; /* separator passed before it ("," or ":"), or 0 */

	/* The token of the running callback. */
	const char *tok; /* its start in seg, or NULL when in carry */
	struct mark tok_mark;
	const char *tok_e; /* its end in seg (NULL when completing) */
	int tok_hi; /* it may hold non-ASCII bytes */

	/* Grammar state, for error messages only. */
	enum json_ev ev;
	int last_zero; /* the last value was the number 0 or -0 */
	struct mark *open; /* marks of the open containers */
	char *openc; /* and their brackets */
	size_t nopen, capopen;

	uint64_t total; /* bytes read */

	/* The file's digest (the builder's), fed every byte read. */
	EVP_MD_CTX *md;
	/* With the reader thread: the piece whose events are being
	 * collected (see "reader thread" below), else NULL, and its next
	 * and end event slots (pc->nev is set when the piece is done). */
	struct piece *pc;
	struct pev *evp, *eve;
};

/* ------------------------------------------------------ reader thread */

/*
 * With two CPUs, a large input is parsed on a thread of its own: yajl and
 * everything in this file above the builder (positions, string checks,
 * error messages) run on the reader thread, which turns each buffer of
 * input (a "piece") into a list of events; the calling thread replays
 * the events, in order, into the builder, which builds the trees and
 * calls the element callback there, as without the thread.  Whichever
 * thread would otherwise wait reads the file ahead and feeds the digest
 * (fill_one(): the calling thread when it has no events to replay, the
 * reader when it has no input), one at a time and in order.  A streamed
 * export thus loads at close to yajl's own speed, and a scan's checks run
 * beside the parsing.
 *
 * The result is the same as without the thread, diagnostics included:
 * the events are the builder calls the callbacks would have made, with
 * the same marks; the reader's diagnostics are kept apart and reported
 * after the last event it handed over, which is where it stopped (a read
 * error travels to it in the piece where it happened); when the builder
 * or the element callback fails first, the reader is told to stop, and
 * whatever it found past that point is dropped, as it would never have
 * been parsed.
 *
 * A piece's text stays in its buffer until its events are replayed, so
 * an event points into it; the few strings yajl does not hand over in
 * place (with escapes, or split between buffers) are copied beside the
 * events.  PIPE_SLOTS pieces of at most JSON_CHUNK bytes are in flight,
 * so memory stays flat: the bench snapshot streams in 5 MB of RSS, and
 * the densest input (NDJSON lines "0", 1.5 events a byte at 20 bytes an
 * event) in 20 MB; larger pieces were no faster.  Nesting cannot run
 * ahead either: the reader stops one level past the builder's depth
 * limit.  A slot goes round: free, input (read, waiting for the reader),
 * parsed (events waiting for the builder), free.
 */
enum pev_kind {
	PEV_NULL,
	PEV_FALSE,
	PEV_TRUE,
	PEV_INT,
	PEV_FLOAT,
	PEV_STRING,
	PEV_KEY,
	PEV_MAP,
	PEV_SEQ,
	PEV_MAP_END,
	PEV_SEQ_END,
	PEV_DOC_START,
	PEV_DOC_END,
};

/* The event's text is at offset off in the piece's copies, not its data. */
#define PEV_COPY 0x100u

/*
 * 20 bytes: a piece holds up to one event per byte or so ("{}" lines of
 * NDJSON), so its events can outweigh it.  Offsets and lengths fit in 32
 * bits because the thread is only used with a scalar limit of at most
 * PIPE_MAX_SCALAR (pipe_wanted()).
 */
struct pev {
	uint32_t off; /* of the text, in the piece's data or copies */
	uint32_t n;
	uint32_t line, col;
	uint32_t kind;
};

struct piece {
	const char *data; /* its input: in own, or in the caller's buffer */
	size_t len;
	int end; /* no input: the end of the file */
	int err; /* no input: reading failed with this errno */
	char *own; /* piece_max bytes, for input read from the file */
	struct pev *ev;
	size_t nev, cev;
	struct strbuf copies;
};

#define PIPE_SLOTS 4
#define PIPE_MAX_SCALAR (256u << 20)

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t parsed; /* the builder's side waits for events */
	pthread_cond_t input; /* the reader waits for input */
	int rwait, bwait; /* the reader, the builder's side, is waiting */
	struct piece slot[PIPE_SLOTS];
	/* Next slot to fill with input, to parse, to replay (mod SLOTS). */
	size_t fill, parse, replay;
	size_t nin, nparsed; /* slots with input, with events */
	int stop; /* the builder failed: the reader stops */
	int done; /* the reader has handed over its last piece */
	int rc; /* and its result */
	struct diag d; /* the reader's diagnostics */
	/* The input: read by one thread at a time (filling), in order. */
	const char *prefix;
	size_t plen, poff;
	int fd;
	int eof; /* the end (or an error) is queued: no more input */
	int filling; /* a thread is reading into slot `fill` */
	size_t piece_max;
};

/*
 * See load_set_threads() in lib.h.  A piece size set there applies with
 * and without the thread (so that tests compare the two on the same
 * pieces: where the input is cut can change which token an error message
 * quotes); 0 keeps the defaults: the prefix whole and JSON_CHUNK reads,
 * the same pieces for the thread.
 */
static enum load_threads pipe_mode = LOAD_THREADS_AUTO;
static size_t pipe_piece;

void
load_set_threads(enum load_threads mode, size_t piece)
{
	pipe_mode = mode;
	pipe_piece = piece;
}

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
	return diag_err(j->d, m, "out of memory reading JSON");
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

/* Start a document whose first byte is p. */
static int
doc_begin(struct json_ctx *j, const char *p)
{
	struct mark m = mark_at(j, p);

	j->h = yajl_alloc(
	    j->pc != NULL ? &json_callbacks_p : &json_callbacks, NULL, j);
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

static int
input(struct json_ctx *j, const char *p, size_t n)
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
static int
input_end(struct json_ctx *j, int ndjson)
{
	struct mark m = { j->name, 1, 1 };

	if (j->h != NULL)
		return doc_finish(j);
	if (!ndjson)
		return diag_err(j->d, &m, "empty document");
	return 0;
}

/* Bytes read at a time, and the largest piece: the same with the thread. */
static size_t
chunk_size(void)
{
	return pipe_piece > 0 ? pipe_piece : JSON_CHUNK;
}

static int
read_error(struct json_ctx *j)
{
	struct mark m = { j->name, 0, 0 };

	return diag_err(j->d, &m, "read error: %s", strerror(errno));
}

/* json_feed() on the calling thread alone. */
static int
feed_serial(
    struct json_ctx *j, const char *prefix, size_t plen, int fd, int ndjson)
{
	size_t chunk = chunk_size();
	size_t off = 0, n;
	char *buf = NULL;
	ssize_t r;
	int rc = -1;

	do {
		n = pipe_piece > 0 && plen - off > pipe_piece ? pipe_piece
							      : plen - off;
		if (input(j, prefix + off, n) == -1)
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
				read_error(j);
				goto out;
			}
			if (r == 0)
				break;
			/* The caller's digest of the file: one read, two uses. */
			if (digest_update(
				j->md, j->d, j->name, buf, (size_t)r) == -1 ||
			    input(j, buf, (size_t)r) == -1)
				goto out;
		}
	}
	rc = input_end(j, ndjson);
out:
	lib_free(buf);
	return rc;
}

/* ---------------------------------------------------- the reader's side */

/* The next piece to parse, or NULL when the builder has failed. */
static int fill_one(struct pipe *pp, struct json_ctx *j, struct diag *d);

static struct piece *
piece_get(struct pipe *pp, struct json_ctx *j)
{
	struct piece *pc;
	int rc;

	pthread_mutex_lock(&pp->mu);
	while (pp->nin == 0 && !pp->stop) {
		/* The builder's side is busy: read the input here. */
		if ((rc = fill_one(pp, j, &pp->d)) == 1)
			continue;
		if (rc == -1)
			break;
		pp->rwait = 1;
		pthread_cond_wait(&pp->input, &pp->mu);
		pp->rwait = 0;
	}
	pc = pp->stop || pp->nin == 0 ? NULL : &pp->slot[pp->parse];
	pthread_mutex_unlock(&pp->mu);
	return pc;
}

/* Hand the piece's events over to the builder's thread. */
static void
piece_put(struct pipe *pp)
{
	pthread_mutex_lock(&pp->mu);
	pp->parse = (pp->parse + 1) % PIPE_SLOTS;
	pp->nin--;
	pp->nparsed++;
	if (pp->bwait)
		pthread_cond_signal(&pp->parsed);
	pthread_mutex_unlock(&pp->mu);
}

/*
 * The reader: parse the pieces as they come, handing over each one, even
 * when parsing it failed (for the events before the error).  0, or -1
 * with the reason in pp->d (or stopped by the builder's side).
 */
static int
reader_run(struct json_ctx *j, struct pipe *pp, int ndjson)
{
	struct piece *pc;
	int rc, last;

	for (;;) {
		if ((pc = piece_get(pp, j)) == NULL)
			return -1;
		pc->copies.len = 0;
		j->pc = pc;
		j->evp = pc->ev;
		j->eve = pc->ev + pc->cev;
		/* Once handed over, the slot is the other side's. */
		last = pc->end || pc->err != 0;
		if (pc->err != 0) {
			errno = pc->err;
			rc = read_error(j);
		} else if (pc->end) {
			rc = input_end(j, ndjson);
		} else {
			rc = input(j, pc->data, pc->len);
		}
		pc->nev = (size_t)(j->evp - pc->ev);
		j->pc = NULL;
		piece_put(pp);
		if (rc == -1 || last)
			return rc;
	}
}

struct reader_arg {
	struct json_ctx *j;
	struct pipe *pp;
	int ndjson;
};

static void *
reader_main(void *arg)
{
	struct reader_arg *ra = arg;
	struct pipe *pp = ra->pp;
	int rc;

	rc = reader_run(ra->j, pp, ra->ndjson);
	pthread_mutex_lock(&pp->mu);
	pp->rc = rc;
	pp->done = 1;
	pthread_cond_signal(&pp->parsed);
	pthread_mutex_unlock(&pp->mu);
	return NULL;
}

/* --------------------------------------------------- the builder's side */

/* Replay a piece's events into the builder.  0 or -1. */
static int
replay(struct builder *b, const char *name, const struct piece *pc)
{
	static const char *const lit[] = { "null", "false", "true" };
	const struct pev *e = pc->ev, *end = pc->ev + pc->nev;
	struct mark m = { name, 0, 0 };
	const char *s, *base;
	int rc;

	for (; e < end; e++) {
		m.line = e->line;
		m.col = e->col;
		base = e->kind & PEV_COPY ? pc->copies.s : pc->data;
		s = base != NULL ? base + e->off : "";
		switch (e->kind & ~PEV_COPY) {
		case PEV_KEY:
			rc = builder_key_fast(b, s, e->n, &m);
			break;
		case PEV_STRING:
			rc = builder_scalar_fast(b, DOC_STRING, s, e->n, &m);
			break;
		case PEV_NULL:
			rc = builder_scalar_fast(b, DOC_NULL, lit[0], 4, &m);
			break;
		case PEV_FALSE:
			rc = builder_scalar_fast(b, DOC_BOOL, lit[1], 5, &m);
			break;
		case PEV_TRUE:
			rc = builder_scalar_fast(b, DOC_BOOL, lit[2], 4, &m);
			break;
		case PEV_INT:
			rc = builder_scalar(b, DOC_INT, s, e->n, &m);
			break;
		case PEV_FLOAT:
			rc = builder_scalar(b, DOC_FLOAT, s, e->n, &m);
			break;
		case PEV_MAP:
			rc = builder_open_fast(b, DOC_MAP, &m);
			break;
		case PEV_SEQ:
			rc = builder_open_fast(b, DOC_SEQ, &m);
			break;
		case PEV_MAP_END:
			rc = builder_close_fast(b, DOC_MAP);
			break;
		case PEV_SEQ_END:
			rc = builder_close_fast(b, DOC_SEQ);
			break;
		case PEV_DOC_START:
			rc = builder_doc_start(b, &m);
			break;
		default: /* PEV_DOC_END */
			rc = builder_doc_end(b);
			break;
		}
		if (rc == -1)
			return -1;
	}
	return 0;
}

/*
 * Give the free slot pc the next input: a piece of the prefix, the next
 * bytes of the file (fed to the digest), or the end (or a read error)
 * after which there is no more.  Runs unlocked, by the one thread that
 * holds pp->filling.  0, 1 when this was the last input, or -1 when the
 * digest failed (reported in d).
 */
static int
read_piece(
    struct pipe *pp, struct piece *pc, struct json_ctx *j, struct diag *d)
{
	size_t n, max = pp->piece_max;
	ssize_t r;

	pc->end = 0;
	pc->err = 0;
	pc->data = NULL;
	pc->len = 0;
	if (pp->poff < pp->plen) {
		n = pp->plen - pp->poff < max ? pp->plen - pp->poff : max;
		pc->data = pp->prefix + pp->poff;
		pc->len = n;
		pp->poff += n;
		return 0;
	}
	if (pp->fd != -1) {
		if (pc->own == NULL && (pc->own = lib_malloc(max)) == NULL) {
			pc->err = ENOMEM;
			return 1;
		}
		if ((r = read_full(pp->fd, pc->own, max)) < 0) {
			pc->err = errno != 0 ? errno : EIO;
			return 1;
		}
		if (r > 0) {
			if (digest_update(
				j->md, d, j->name, pc->own, (size_t)r) == -1)
				return -1;
			pc->data = pc->own;
			pc->len = (size_t)r;
			return 0;
		}
	}
	pc->end = 1;
	return 1;
}

/*
 * Called with the lock held, from either thread: read the next input
 * into the next free slot, unless there is none or another thread is
 * reading (reads stay in order).  The lock is released while reading.
 * 1 when a slot was filled, 0 when there was nothing to do, -1 when the
 * digest failed (reported in d).
 */
static int
fill_one(struct pipe *pp, struct json_ctx *j, struct diag *d)
{
	struct piece *pc;
	int rc;

	if (pp->eof || pp->filling || pp->nin + pp->nparsed == PIPE_SLOTS)
		return 0;
	pp->filling = 1;
	pc = &pp->slot[pp->fill];
	pthread_mutex_unlock(&pp->mu);
	rc = read_piece(pp, pc, j, d);
	pthread_mutex_lock(&pp->mu);
	pp->filling = 0;
	if (rc != 0)
		pp->eof = 1;
	if (rc == -1)
		return -1;
	pp->fill = (pp->fill + 1) % PIPE_SLOTS;
	pp->nin++;
	if (pp->rwait)
		pthread_cond_signal(&pp->input);
	return 1;
}

/*
 * The builder's side: keep the free slots filled with input (when the
 * reader is busy parsing), and replay the reader's pieces as they come.
 * 0, or -1 when the builder failed (the reader is then told to stop).
 */
static int
builder_side(struct pipe *pp, struct json_ctx *j, struct diag *d)
{
	struct piece *pc;
	int rc;

	pthread_mutex_lock(&pp->mu);
	for (;;) {
		/*
		 * Nothing to replay: this side is the faster one, so it
		 * reads ahead for the reader (which reads for itself when
		 * it is the faster one).
		 */
		if (pp->nparsed == 0) {
			while ((rc = fill_one(pp, j, d)) == 1)
				;
			if (rc == -1)
				goto fail;
		}
		if (pp->nparsed == 0) {
			if (pp->done)
				break;
			if (pp->rwait && pp->nin > 0)
				pthread_cond_signal(&pp->input);
			pp->bwait = 1;
			pthread_cond_wait(&pp->parsed, &pp->mu);
			pp->bwait = 0;
			continue;
		}
		pc = &pp->slot[pp->replay];
		pthread_mutex_unlock(&pp->mu);
		rc = replay(j->b, j->name, pc);
		pthread_mutex_lock(&pp->mu);
		if (rc == -1)
			goto fail;
		pp->replay = (pp->replay + 1) % PIPE_SLOTS;
		pp->nparsed--;
		/* A slot is free: a waiting reader can read into it. */
		if (pp->rwait)
			pthread_cond_signal(&pp->input);
	}
	pthread_mutex_unlock(&pp->mu);
	return 0;
fail:
	pp->stop = 1;
	pthread_cond_signal(&pp->input);
	pthread_mutex_unlock(&pp->mu);
	return -1;
}

static void
pipe_free(struct pipe *pp)
{
	size_t i;

	for (i = 0; i < PIPE_SLOTS; i++) {
		lib_free(pp->slot[i].own);
		lib_free(pp->slot[i].ev);
		sb_free(&pp->slot[i].copies);
	}
	diag_free(&pp->d);
	pthread_cond_destroy(&pp->parsed);
	pthread_cond_destroy(&pp->input);
	pthread_mutex_destroy(&pp->mu);
}

/*
 * Whether to parse on a reader thread (see load_set_threads()): not with
 * a scalar limit over PIPE_MAX_SCALAR (or none), as events count in 32
 * bits.
 */
static int
pipe_wanted(int fd, const struct load_limits *lim)
{
	/* Atomic: `scan --jobs` workers load files on several threads. */
	static _Atomic long ncpu;
	long n;

	if (pipe_mode == LOAD_THREADS_OFF || lib_alloc_armed() ||
	    lim->max_scalar == 0 || lim->max_scalar > PIPE_MAX_SCALAR)
		return 0;
	if (pipe_mode == LOAD_THREADS_ALWAYS)
		return 1;
	if ((n = atomic_load_explicit(&ncpu, memory_order_relaxed)) == 0) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		atomic_store_explicit(&ncpu, n, memory_order_relaxed);
	}
	return fd != -1 && n >= 2;
}

/*
 * json_feed() with the reader thread.  1 when the thread could not be
 * started (nothing is consumed yet: go on without it), else 0 or -1.
 */
static int
feed_piped(
    struct json_ctx *j, const char *prefix, size_t plen, int fd, int ndjson)
{
	struct diag *d = j->d;
	struct pipe *pp;
	struct reader_arg ra;
	sigset_t all, old;
	pthread_t t;
	size_t i;
	int rc, err;

	if ((pp = lib_calloc(1, sizeof(*pp))) == NULL)
		return 1;
	if (pthread_mutex_init(&pp->mu, NULL) != 0) {
		lib_free(pp);
		return 1;
	}
	if (pthread_cond_init(&pp->parsed, NULL) != 0) {
		pthread_mutex_destroy(&pp->mu);
		lib_free(pp);
		return 1;
	}
	if (pthread_cond_init(&pp->input, NULL) != 0) {
		pthread_cond_destroy(&pp->parsed);
		pthread_mutex_destroy(&pp->mu);
		lib_free(pp);
		return 1;
	}
	for (i = 0; i < PIPE_SLOTS; i++)
		sb_init(&pp->slot[i].copies);
	diag_init(&pp->d);
	pp->prefix = prefix;
	pp->plen = plen;
	pp->fd = fd;
	pp->piece_max = chunk_size();
	ra.j = j;
	ra.pp = pp;
	ra.ndjson = ndjson;
	j->d = &pp->d;
	/* Signals are for the calling thread: the reader blocks them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&t, NULL, reader_main, &ra);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0) {
		pipe_free(pp);
		lib_free(pp);
		return 1;
	}
	rc = builder_side(pp, j, d);
	pthread_join(t, NULL);
	/* The reader's errors count only where the builder went on. */
	if (rc == 0 && pp->rc == -1) {
		diag_move(d, &pp->d);
		rc = -1;
	}
	pipe_free(pp);
	lib_free(pp);
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
	if (pipe_wanted(fd, lim))
		rc = feed_piped(&j, prefix, plen, fd, ndjson);
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
