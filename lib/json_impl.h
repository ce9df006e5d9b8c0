/*
 * json_impl.h: what the JSON loader's two files share: lib/json.c (yajl,
 * positions, strict strings, errors: one thread) and lib/json_pipe.c
 * (the reader thread and the replay of its events into the builder).
 * Internal to lib/.
 */
#ifndef RAMPART_JSON_IMPL_H
#define RAMPART_JSON_IMPL_H

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

/* Give n bytes of input to the parser (json.c).  0 or -1. */
int json_input(struct json_ctx *j, const char *p, size_t n);
/* The end of the input: finish the last document.  0 or -1. */
int json_input_end(struct json_ctx *j, int ndjson);
/* Report errno as a read error of the input; -1. */
int json_read_error(struct json_ctx *j);
/* Bytes read at a time, and the largest piece: the same with the thread. */
size_t json_chunk_size(void);
/* The piece size set by load_set_threads(), 0 = the defaults. */
size_t json_piece(void);
/* Whether to parse on a reader thread (json_pipe.c). */
int json_pipe_wanted(int fd, const struct load_limits *lim);
/*
 * json_feed() with the reader thread: 0, -1, or 1 when the thread could
 * not be started (the caller then feeds serially).
 */
int json_feed_piped(
    struct json_ctx *j, const char *prefix, size_t plen, int fd, int ndjson);

#endif /* RAMPART_JSON_IMPL_H */
