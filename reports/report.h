/*
 * report.h: report writers over the results the engine produced.  One
 * writer per format, in one sorted table; each writes to a FILE and never
 * decides exit codes.  Files are written atomically by report_write().
 */
#ifndef RAMPART_REPORT_H
#define RAMPART_REPORT_H

#include "rules/rules.h"

struct report_opts {
	int color; /* ANSI colour (text only) */
	int verbose; /* text: list passing checks too */
	int64_t fixed_time; /* nonzero: use for every timestamp */
	const char *tool_version;
	/*
	 * --max-items: resources shown per check and status in the text,
	 * Markdown and HTML reports (the rest are counted: "... and N
	 * more").  Unset (0) means the format's default; set with value 0
	 * means no cap.
	 */
	int max_items_set;
	size_t max_items;
	/*
	 * The run's provenance as a compact JSON object (reports/sign.h
	 * provenance_json): report.json carries it so that `rampart sign`
	 * pins what the scan pinned.  NULL: left out.
	 */
	const char *provenance;
};

struct writer {
	const char *name; /* "json", "text" */
	const char *filename; /* fixed name in --output-dir */
	const char *summary;
	int (*write)(
	    FILE *fp, const struct run *r, const struct report_opts *o);
};

/* Writers, sorted by name. */
extern const struct writer *const writers[];
extern const size_t nwriters;
const struct writer *writer_find(const char *name);

/* Write a report atomically to path (mode 0644).  0 or -1. */
int report_write(struct diag *d, const struct writer *w, const struct run *r,
    const struct report_opts *o, const char *path);

/* Timestamps of a run, honouring fixed_time, as RFC 3339 UTC. */
void report_times(const struct run *r, const struct report_opts *o,
    char started[32], char finished[32]);

/* Results of a check outcome in report order: failures first. */
size_t report_order(const struct check_outcome *o, size_t *idx);
/*
 * The evidence o lacks ("no listing of T in the inputs: ..."), the
 * engine's own words, or NULL.  Writers print it; they never rebuild it.
 */
static inline const char *
report_missing(const struct check_outcome *o)
{
	return o->status != ST_NOT_APPLICABLE ? o->why : NULL;
}
/* Whether o belongs in the evidence gaps: errored results or a lack. */
static inline int
report_gap(const struct check_outcome *o)
{
	return o->counts[ST_ERROR] > 0 || o->status == ST_ERROR ||
	    report_missing(o) != NULL;
}

/*
 * A small streaming JSON emitter shared by the JSON-based writers: it
 * tracks commas and indentation so output is deterministic and pretty.
 */
struct jw {
	FILE *fp;
	int depth;
	int first[64]; /* no element yet at this depth */
	int after_key;
	/* Output waits here and goes to fp in large writes: reports run to
	 * megabytes, written a few bytes at a time. */
	size_t n;
	char buf[16384];
};

void jw_init(struct jw *w, FILE *fp);
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
/* Finish: newline, and 0 or -1 if the stream had an error. */
int jw_finish(struct jw *w);

int report_html(FILE *fp, const struct run *r, const struct report_opts *o);
int report_json(FILE *fp, const struct run *r, const struct report_opts *o);
int report_junit(FILE *fp, const struct run *r, const struct report_opts *o);
int report_markdown(FILE *fp, const struct run *r, const struct report_opts *o);
int report_oscal_ar(FILE *fp, const struct run *r, const struct report_opts *o);
int report_sarif(FILE *fp, const struct run *r, const struct report_opts *o);
int report_text(FILE *fp, const struct run *r, const struct report_opts *o);

/* ------------------------------------------- helpers for writers (markup.c) */

/*
 * Write s escaped for XML and HTML text (attr 0) or a double- or
 * single-quoted attribute value (attr 1).  Malformed UTF-8 and the
 * characters XML 1.0 forbids (C0 controls but tab and newlines, U+FFFE,
 * U+FFFF) and C1 controls become U+FFFD.  s NULL writes nothing.
 */
void markup_escape(FILE *fp, const char *s, int attr);
/*
 * Write s as literal Markdown text on one line: characters that could
 * start inline markup, raw HTML or a table cell are backslash-escaped,
 * newlines become spaces.  s NULL writes nothing.
 */
void markdown_escape(FILE *fp, const char *s);
/*
 * Write s for a terminal: C0 and C1 controls, DEL and malformed UTF-8
 * are shown as \n, \t or \xHH escapes, never sent to the terminal.
 */
void text_escape(FILE *fp, const char *s);
/*
 * Append a file path as a URI reference: a relative path stays relative,
 * an absolute one becomes file:///...; bytes outside RFC 3986's
 * unreserved set (and '/') are percent-encoded.  0 or -1.
 */
int uri_from_path(struct strbuf *sb, const char *path);

/* Control statuses counted per family, in order of first appearance. */
struct family_count {
	const char *name; /* "AC"; borrowed from the baseline */
	size_t n[ST_COUNT];
	size_t total;
};

/* Fill at most max families of r's controls into fc; returns how many. */
size_t report_families(
    const struct run *r, struct family_count *fc, size_t max);
/* "ELIGIBLE", "NOT ELIGIBLE", "INCOMPLETE". */
const char *report_verdict_text(enum verdict v);
/* status_name(), but "n/a" for not_applicable (for tables). */
const char *report_status_text(enum status s);

/* Default --max-items of the text and Markdown reports (HTML: no cap). */
#define REPORT_DEFAULT_MAX_ITEMS 50

/*
 * Resources to show per check and status: o->max_items when set (0 =
 * SIZE_MAX, no cap), else def (0 = no cap).
 */
size_t report_max_items(const struct report_opts *o, size_t def);

/*
 * The finding fingerprint (docs/reports.md): lowercase hex SHA-256 of
 * "rampart-finding/v1\n" followed by, for check id, resource type,
 * resource id and region in that order, the field's byte length in
 * decimal, ':', its bytes and '\n', or "-\n" for an absent (NULL)
 * field.  Stable across runs and formats; out holds 65 bytes.
 */
void report_fingerprint(const char *check_id, const char *type, const char *id,
    const char *region, char out[SHA256_HEX_LEN + 1]);

/*
 * Check outcomes counted by status the way every report shows them: a
 * failing check that every control using it has waived by POA&M counts
 * as waived, never as a failure; the rest by their own status.
 */
void report_check_counts(const struct run *r, size_t n[ST_COUNT]);

/* Results of o in status s that are listed (o->counts[s] counts all). */
size_t report_listed(const struct check_outcome *o, enum status s);

/* n with thousands separators ("1,234") into buf; returns buf. */
const char *report_count_text(size_t n, char buf[32]);

#endif /* RAMPART_REPORT_H */
