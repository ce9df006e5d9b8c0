/*
 * report.h: report writers over the results the engine produced.  One
 * writer per format, in one sorted table; each writes to a FILE and never
 * decides exit codes.  Files are written atomically by report_write().
 */
#ifndef RAMPART_REPORT_H
#define RAMPART_REPORT_H

#include <string.h>

#include "lib/jw.h"
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
	 * OSCAL and POA&M outputs: the operator or assessor (--assessor)
	 * and the cloud service provider or system (--system), each a
	 * party in the metadata; NULL when not given.
	 */
	const char *assessor;
	const char *system;
	/* First-seen dates from a previous POA&M (--previous), or NULL. */
	const struct poam_history *previous;
	/*
	 * The run's provenance as a compact JSON object (reports/sign.h
	 * provenance_json): report.json carries it so that `rampart sign`
	 * pins what the scan pinned.  NULL: left out.
	 */
	const char *provenance;
	/* --quiet: no summary on stdout beside --output-dir. */
	int quiet;
	/* SARIF: list passing results too (default: fail and error only). */
	int sarif_include_passes;
	/* --color: COLOR_AUTO decides by the terminal, TERM and NO_COLOR. */
	enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_mode;
	/*
	 * What the configuration sources gave (JSON "config"): the file
	 * read (--config or ./.rampart.yaml) and its sha256, and the names
	 * of the RAMPART_* variables used; NULL and 0 when none.
	 */
	const char *config_file;
	const char *config_sha256;
	const char *const *config_env;
	size_t nconfig_env;
	/*
	 * --new-since REPORT (JSON "new_since"; NULL: not given): failing
	 * findings REPORT already had are "known" (sorted fingerprints),
	 * nnew counts the others.
	 */
	const char *new_since;
	const char *const *known;
	size_t nknown;
	size_t nnew;
	/*
	 * Threads that may render the JSON report's controls at once (scan
	 * --jobs); 0 or 1: this thread alone.  The bytes are the same.
	 */
	unsigned jobs;
};

struct writer {
	const char *name; /* "json", "text" */
	const char *filename; /* fixed name in --output-dir */
	const char *summary;
	int (*write)(
	    FILE *fp, const struct assessment *r, const struct report_opts *o);
	/*
	 * A second document the first one links to by a relative path
	 * (the OSCAL results import their assessment plan), or NULL.
	 * report_write() writes it beside the first file under the
	 * companion's own filename; a report sent to stdout has none.
	 */
	const struct writer *companion;
};

/* Writers, sorted by name. */
extern const struct writer *const writers[];
extern const size_t nwriters;
const struct writer *writer_find(const char *name);

/*
 * Write a report atomically to path (mode 0644), and its companion (if
 * any) first, beside it under the companion's filename.  0 or -1.
 */
int report_write(struct diag *d, const struct writer *w,
    const struct assessment *r, const struct report_opts *o, const char *path);

/*
 * The path of w's companion beside path (same folder, the companion's
 * filename) into out (len bytes).  0, or -1 when w has no companion or
 * out is too small.
 */
int report_companion_path(
    const struct writer *w, const char *path, char *out, size_t len);

/* Timestamps of a run, honouring fixed_time, as RFC 3339 UTC. */
void report_times(const struct assessment *r, const struct report_opts *o,
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
/*
 * Parameter i of o with its provenance, as one line of plain text into
 * sb: `max_unused_days = 90 from ac-02.03_odp.02 "ninety (90) days"`.
 * 1 when written, 0 when there is nothing to say (a plain default or no
 * such parameter), -1 when memory ran out.  Writers escape the text.
 */
int report_param_text(
    const struct check_outcome *o, size_t i, struct strbuf *sb);
/* How many parameters o records the provenance of. */
static inline size_t
report_nparams(const struct check_outcome *o)
{
	return o->param_src != NULL && o->param_src->type == DOC_MAP
	    ? o->param_src->u.map.n
	    : 0;
}

/*
 * The result of the `--gate checks` gate ("pass": no check fails or
 * errors, "fail", "error"), or NULL for the eligibility gate.
 */
static inline const char *
report_gate_result(const struct assessment *r)
{
	if (r->opts.gate != GATE_CHECKS)
		return NULL;
	return r->exit_verdict == VERDICT_ELIGIBLE    ? "pass"
	    : r->exit_verdict == VERDICT_NOT_ELIGIBLE ? "fail"
						      : "error";
}

/*
 * What `--gate checks` decided, said in every format beside the verdict
 * (which stays the eligibility decision), so nobody mistakes the gate
 * for an eligibility decision; NULL for the eligibility gate.
 */
static inline const char *
report_gate_note(const struct assessment *r)
{
	const char *g = report_gate_result(r);

	if (g == NULL)
		return NULL;
	return strcmp(g, "pass") == 0
	    ? "gate: checks: PASS (exit 0): no automated check fails or "
	      "errors; this gate is not an eligibility decision, the "
	      "verdict weighs every control"
	    : strcmp(g, "fail") == 0
	    ? "gate: checks: FAIL (exit 1): an automated check fails; this "
	      "gate is not an eligibility decision, the verdict weighs "
	      "every control"
	    : "gate: checks: ERROR (exit 4): an automated check could not "
	      "be evaluated; this gate is not an eligibility decision, the "
	      "verdict weighs every control";
}
/* Whether o belongs in the evidence gaps: errored results or a lack. */
static inline int
report_gap(const struct check_outcome *o)
{
	return o->counts[ST_ERROR] > 0 || o->status == ST_ERROR ||
	    report_missing(o) != NULL;
}

int report_html(
    FILE *fp, const struct assessment *r, const struct report_opts *o);
int report_json(
    FILE *fp, const struct assessment *r, const struct report_opts *o);
int report_junit(
    FILE *fp, const struct assessment *r, const struct report_opts *o);
int report_markdown(
    FILE *fp, const struct assessment *r, const struct report_opts *o);
int report_oscal_ap(
    FILE *fp, const struct assessment *r, const struct report_opts *o);
int report_oscal_ar(
    FILE *fp, const struct assessment *r, const struct report_opts *o);
int report_oscal_poam(
    FILE *fp, const struct assessment *r, const struct report_opts *o);
int report_poam_csv(
    FILE *fp, const struct assessment *r, const struct report_opts *o);
int report_sarif(
    FILE *fp, const struct assessment *r, const struct report_opts *o);
int report_summary_md(
    FILE *fp, const struct assessment *r, const struct report_opts *o);
int report_text(
    FILE *fp, const struct assessment *r, const struct report_opts *o);

/*
 * The few lines `scan --output-dir` shows on stdout beside the files:
 * verdict, counts, the worst failing checks, the evidence gaps (colour
 * when o->color).  0 or -1.
 */
int report_summary(
    FILE *fp, const struct assessment *r, const struct report_opts *o);

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
    const struct assessment *r, struct family_count *fc, size_t max);
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
void report_check_counts(const struct assessment *r, size_t n[ST_COUNT]);

/* Results of o in status s that are listed (o->counts[s] counts all). */
size_t report_listed(const struct check_outcome *o, enum status s);

/* n with thousands separators ("1,234") into buf; returns buf. */
const char *report_count_text(size_t n, char buf[32]);

/* ------------------------------------- OSCAL helpers (oscal_common.c) */

#define OSCAL_VERSION "1.1.2"
#define OSCAL_RAMPART_NS "https://rampart.dev/ns/oscal"
#define OSCAL_FEDRAMP_NS "https://fedramp.gov/ns/oscal"
/* The assessment plan's file name, beside the results that import it. */
#define OSCAL_AP_FILENAME "report.oscal-ap.json"

struct oscal_uuid {
	unsigned char b[16];
	char s[37];
};

/* uuid5(NAMESPACE_URL, "https://rampart.dev/ns/oscal-ar"). */
extern const unsigned char oscal_ns_rampart[16];

/* Version 5 (SHA-1, name-based) UUID of name in namespace ns.  0 or -1. */
int oscal_uuid5(struct oscal_uuid *u, const unsigned char ns[16],
    const void *name, size_t len);

/* The state every OSCAL writer shares. */
struct oscal_ctx {
	struct jw *w;
	const struct assessment *r;
	const struct report_opts *o;
	struct oscal_uuid doc; /* namespace of every item of the document */
	char started[32], finished[32];
	int err; /* a UUID could not be made: the document is refused */
};

/*
 * Start an OSCAL document of kind ("assessment-results", "plan", ...):
 * its UUID is a v5 UUID over the kind, baseline and input digests, so
 * the same inputs give the same identity.  0 or -1.
 */
int oscal_begin(struct oscal_ctx *x, struct jw *w, const struct assessment *r,
    const struct report_opts *o, const char *kind);
/* The UUID of an item named by a printf-style string, under the document. */
const char *oscal_item_uuid(struct oscal_ctx *x, struct oscal_uuid *u,
    const char *fmt, ...) PRINTF_LIKE(3, 4);
/*
 * A UUID the same in every document and run (the tool, a party by name,
 * a scanned resource): v5 of the string in oscal_ns_rampart.
 */
const char *oscal_global_uuid(struct oscal_ctx *x, struct oscal_uuid *u,
    const char *fmt, ...) PRINTF_LIKE(3, 4);
/*
 * "key": the text of sb, then free sb.  Text that ran out of memory
 * sets x->err (the writer fails) rather than writing a null.
 */
void oscal_kstr_sb(struct oscal_ctx *x, const char *key, struct strbuf *sb);
/*
 * Append a property {name, ns, value} to an object, opening "props" on
 * the first one (*open).  The value is trimmed (OSCAL forbids leading or
 * trailing white space) and an empty or NULL one is left out.  ns NULL
 * is rampart's namespace.
 */
void oscal_prop(struct jw *w, int *open, const char *ns, const char *name,
    const char *value);
void oscal_props_end(struct jw *w, int open);
/*
 * The metadata object: title, last-modified, version, oscal-version,
 * roles and parties (the assessor and system of report_opts, and the
 * tool) and responsible-parties.
 */
void oscal_metadata(struct oscal_ctx *x, const char *title);
/* The assessor party's UUID (the same in every document). */
const char *oscal_assessor_uuid(struct oscal_ctx *x, struct oscal_uuid *u);
/* The tool's component UUID (the same in every document). */
const char *oscal_tool_uuid(struct oscal_ctx *x, struct oscal_uuid *u);
/* The tool as an assessment asset: {"components": [...], platforms}. */
void oscal_assessment_assets(struct oscal_ctx *x);
/* The inventory-item UUID of a scanned resource (type, id). */
const char *oscal_resource_uuid(struct oscal_ctx *x, struct oscal_uuid *u,
    const char *type, const char *id);
/* Whether this scan assessed control co (reviewed-controls). */
int oscal_assessed(const struct control_outcome *co);
/* reviewed-controls: the controls this scan assessed. */
void oscal_reviewed_controls(struct oscal_ctx *x);
/* back-matter resources: each input with its SHA-256. */
void oscal_back_matter_inputs(struct oscal_ctx *x, const char *extra_uuid,
    const char *extra_title, const char *extra_type);

/* ------------------------------------------- POA&M items (oscal_poam.c) */

/* First-seen dates read from a previous POA&M (--previous). */
struct poam_history;

/*
 * Load the first-seen dates of a previous report.poam.oscal.json: every
 * POA&M item's rampart `fingerprint` and `original-detection-date`
 * properties.  A file that is not such a POA&M, or a date that the strict
 * parser refuses, is an error with file:line:col.  NULL on error.
 */
struct poam_history *poam_history_load(struct diag *d, const char *path);
void poam_history_free(struct poam_history *h); /* accepts NULL */
/* The first-seen time of fingerprint fp in h; 0, or -1 when unknown. */
int poam_history_find(
    const struct poam_history *h, const char *fp, int64_t *when);

/* One open weakness: a failed or errored finding not closed by a deviation. */
struct poam_open {
	const struct check_outcome *check;
	const struct check_result *res; /* NULL: missing or unlisted evidence */
	size_t unlisted; /* res NULL: results over --max-results, else 0 */
	const struct poam_item *item; /* the POA&M file's item, or NULL */
	char fingerprint[SHA256_HEX_LEN + 1];
	char id[64]; /* the item's id, or RAMPART-<fingerprint prefix> */
	const char *first_seen_how; /* "poam", "previous" or "this-scan" */
	int64_t detected, due;
	enum severity original, adjusted;
};

/*
 * The open weaknesses of run r in a stable order (check order, then
 * report order): *out is lib_malloc'd (free with lib_free), *n its
 * length.  0 or -1 (no memory).
 */
int report_poam_open(const struct assessment *r, const struct report_opts *o,
    struct poam_open **out, size_t *n);
/* FedRAMP's risk word for a severity: "low", "moderate" or "high". */
const char *report_risk_word(enum severity s);

/* ------------------------------------------- the reader (reports/read.c) */

/*
 * A JSON report read back (docs/report.schema.json): the one place that
 * knows its top-level members.  buf holds the file's bytes exactly as
 * read, once: the digest, a signature check and the parse all use them.
 * Strings and nodes live in a.
 */
struct report_doc {
	struct arena *a;
	const char *path;
	char *buf; /* lib_malloc'd */
	size_t len;
	char sha256[SHA256_HEX_LEN + 1]; /* of buf */
	const struct doc_node *root;
	const struct doc_node *baseline; /* its `baseline` member */
	const char *verdict, *baseline_id, *baseline_sha256, *mapping;
	const char *version; /* rampart.version */
	const struct doc_node *provenance; /* {configuration, options} */
	const struct doc_node *inputs, *controls; /* DOC_SEQ */
	/* Its `shard` object: shard_of 0 when it is not a shard report. */
	unsigned shard_k, shard_of;
	size_t total_inputs, total_targets, targets;
};

/*
 * Flags of report_doc_open() and report_doc_parse().  REPORT_DOC_PARTIAL:
 * only parse (one JSON document) and digest; every member is read when
 * present and may be absent or of another type (a string field is then
 * NULL; baseline, provenance, inputs and controls are the nodes as found,
 * for the caller to check with their marks).  For callers that accept
 * less than a whole report: sign (minimal files), diff (hand-edited
 * reports), verify --rescan.
 */
#define REPORT_DOC_PARTIAL 0x1

/*
 * Read and parse the JSON report at path: it must have a verdict, a
 * baseline id and sha256, inputs and controls.  *out is freed with
 * report_doc_free().  0 or -1.
 */
int report_doc_load(struct diag *d, const char *path, struct report_doc **out);
/* The same with flags (REPORT_DOC_*). */
int report_doc_open(
    struct diag *d, const char *path, int flags, struct report_doc **out);
/*
 * The same over buf (len bytes, lib_malloc'd; ownership passes to the
 * report, also on error); name is used in messages.  0 or -1.
 */
int report_doc_from_buf(struct diag *d, const char *name, char *buf, size_t len,
    struct report_doc **out);
void report_doc_free(struct report_doc *rd); /* accepts NULL */
/*
 * Parse buf (len bytes, the caller's, not kept: rd->buf stays NULL) into
 * *rd, its strings and nodes in the caller's arena a; flags as above.
 * Not freed with report_doc_free(): a owns it all.  0 or -1.
 */
int report_doc_parse(struct arena *a, struct diag *d, const char *name,
    const char *buf, size_t len, int flags, struct report_doc *rd);

/*
 * Read the check outcomes of report rd into run r, made by run_new() on
 * the same baseline and mapping (each control must bind the same checks,
 * else -1): rd's inputs are appended to r's; each check's counts add up,
 * its types seen and complete listing are or-ed, its listed results are
 * appended with the input they came from.  A check bound to several
 * controls is read once.  Nothing is decided here: call
 * run_merge_order() once every report is read, then run_finish().
 */
int report_read_outcomes(struct run *r, const struct report_doc *rd);

struct sign_pin;

/*
 * The pins of report rd's provenance ("configuration") into *v (arena
 * a), or -1 (reported) when it has none: a report written to stdout.
 */
int report_pins(struct arena *a, struct diag *d, const struct report_doc *rd,
    struct sign_pin **v, size_t *n);

#define REPORT_SETUP_MAX 64

/* What a report was run with, as its provenance pins and options say. */
struct report_setup {
	struct sign_pin *pins;
	size_t npins;
	const char *baseline; /* the baseline file */
	const char *rules[REPORT_SETUP_MAX], *plugins[REPORT_SETUP_MAX];
	size_t nrules, nplugins;
	const char *poam, *attest, *crm, *scope; /* NULL: not given */
	struct run_opts ro; /* gate, max_results, evidence age, now */
	int fixed; /* the run had --fixed-time (ro.now is it) */
	const char *gate;
	long long max_age_days, max_results;
};

/*
 * Read the setup of report rd from its provenance (strings in a): the
 * files it pins and its options.  need_time: refuse a report scanned
 * without --fixed-time (merge).  0, or -1 with the reason in d.
 */
int report_setup_read(struct arena *a, struct diag *d,
    const struct report_doc *rd, int need_time, struct report_setup *s);

/*
 * Every definition file setup s pins (mapping, rules, plugins, POA&M,
 * attestations, CRM, scope) still has the digest it pinned: 0, or -1
 * with each changed or unreadable file reported.  The baseline is
 * checked by report_read_assessment().
 */
int report_setup_check(struct diag *d, const struct report_setup *s);

/* The definitions a report names, loaded (report_defs_load). */
struct report_defs {
	struct rule_set *rs;
	struct baseline *bl;
	struct poam *poam;
	struct attest_set *attest;
	struct crm *crm;
	struct scope *scope;
};

/*
 * Load what setup s names as `scan` loads it: plugins, shipped and named
 * rules, the baseline and its mapping, POA&M, CRM, attestations and scope,
 * each validated against the baseline.  On -1 (reported in d) the caller
 * still frees df with report_defs_free().
 */
int report_defs_load(
    struct diag *d, const struct report_setup *s, struct report_defs *df);
void report_defs_free(struct report_defs *df);

/*
 * Read JSON report rd whole into a new assessment (*out's as), made with
 * the definitions df, which must be the baseline and mapping the report
 * names (its baseline sha256, id and mapping; refused with a message
 * otherwise, as is a control binding other checks): every input, every
 * check outcome (counts, listed results with evidence, account,
 * namespace and input, types seen, complete listing, status, why,
 * not_run, absent), the options it states (gate, evidence age,
 * selection; opts gives the rest, may be NULL), times and shard.  Then
 * decide() decides controls and the verdict.  0, or -1 with the reason
 * in d.  Free *out with run_free().
 */
int report_read_assessment(struct diag *d, const struct report_doc *rd,
    const struct report_defs *df, const struct run_opts *opts,
    struct run **out);

/*
 * The writer options report rd was written with (tool version, fixed
 * time, provenance, configuration sources, --new-since findings) into o,
 * strings in a or rd: writing the assessment read back with them gives
 * the same report.  0 or -1.
 */
int report_read_opts(struct diag *d, struct arena *a,
    const struct report_doc *rd, struct report_opts *o);

#endif /* RAMPART_REPORT_H */
