/*
 * json_pipe.c: the JSON loader's reader thread (see "reader thread" in
 * lib/json_impl.h): yajl and everything of lib/json.c run on a thread of
 * their own and hand over events, which the calling thread replays into
 * the builder.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "lib/json_impl.h"

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

size_t
json_piece(void)
{
	return pipe_piece;
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
			rc = json_read_error(j);
		} else if (pc->end) {
			rc = json_input_end(j, ndjson);
		} else {
			rc = json_input(j, pc->data, pc->len);
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
int
json_pipe_wanted(int fd, const struct load_limits *lim)
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
int
json_feed_piped(
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
	pp->piece_max = json_chunk_size();
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
