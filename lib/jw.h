/*
 * jw.h: the one streaming JSON emitter: reports (pretty, two-space
 * indentation, to a stream) and TLS endpoint results (compact, into a
 * strbuf) both write through it, so commas, escaping and number forms
 * are the same everywhere.
 */
#ifndef RAMPART_JW_H
#define RAMPART_JW_H

#include <stdio.h>

#include "lib/lib.h"

struct jw {
	FILE *fp; /* the stream, or NULL when writing into sb */
	struct strbuf *sb;
	int compact; /* no newlines or indentation, ":" without a space */
	int depth;
	int first[64]; /* no element yet at this depth */
	int after_key;
	/* Output waits here and goes out in large writes: reports run to
	 * megabytes, written a few bytes at a time. */
	size_t n;
	char buf[16384];
};

/* Pretty JSON to fp. */
void jw_init(struct jw *w, FILE *fp);
/* Compact JSON appended to sb (sb->oom tells of a failure). */
void jw_init_sb(struct jw *w, struct strbuf *sb);
/*
 * Pretty JSON appended to sb: one element of a container at `depth` of a
 * pretty stream (first: the container's first element, no comma before
 * it), rendered exactly as that stream would render it, to be put in it
 * with jw_splice().  Several threads can so render elements at once.
 */
void jw_init_sb_at(struct jw *w, struct strbuf *sb, int depth, int first);
/*
 * Append n bytes that a jw_init_sb_at() writer rendered for w's current
 * depth (and first flag) as the next element there, as if w had.
 */
void jw_splice(struct jw *w, const char *s, size_t n);
void jw_obj(struct jw *w); /* { */
void jw_arr(struct jw *w); /* [ */
void jw_end_obj(struct jw *w);
void jw_end_arr(struct jw *w);
void jw_key(struct jw *w, const char *k);
void jw_str(struct jw *w, const char *s); /* NULL -> null */
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, long long v);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
void jw_raw(struct jw *w, const char *json); /* pre-serialised value */
/* A document node as compact JSON; NULL -> null. */
void jw_doc(struct jw *w, const struct doc_node *n);
/* Convenience: "key": "value" / number. */
void jw_kstr(struct jw *w, const char *k, const char *s);
void jw_kint(struct jw *w, const char *k, long long v);
/*
 * Finish: a stream gets a final newline; 0, or -1 if the stream had an
 * error or sb ran out of memory.
 */
int jw_finish(struct jw *w);

#endif /* RAMPART_JW_H */
