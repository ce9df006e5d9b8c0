/*
 * rules.h: the rule engine.  Baselines and rule packs (YAML), the
 * assertion language, PCRE2 with limits, POA&M, evaluation of checks over
 * streamed resources, aggregation into controls and the verdict.
 */
#ifndef RAMPART_RULES_H
#define RAMPART_RULES_H

#include "checks/check.h"

/* ------------------------------------------------------------ severities */

enum severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };

const char *severity_name(enum severity s);
int severity_parse(const char *s, enum severity *out);

/* ------------------------------------------------------- assertion trees */

/*
 * A compiled assertion (rules/assert.c).  Grammar (docs/rules.md):
 *   node := { all: [node...] } | { any: [node...] } | { none: [node...] }
 *         | { not: node } | leaf
 *   leaf := { path: P, OP: OPERAND [, quantifier: all|any|none]
 *             [, absent: pass|fail|error] }
 * Operands may be literals or { param: NAME } references.
 */
struct assertion;

/*
 * Compile the assertion tree `tree` (from a rule pack).  `params` is the
 * rule's declared parameters (DOC_MAP name -> declaration, may be NULL);
 * references to undeclared parameters are errors.  Every error of the
 * tree is reported with its file:line:col (regex errors point at the
 * offending offset).  Returns NULL when any error was found.
 */
struct assertion *assert_compile(struct arena *a, struct diag *d,
    const struct doc_node *tree, const struct doc_node *params);

/*
 * Evaluate against one resource's attributes.  Records evidence with
 * check_evidence() and returns the status; *why receives a one-line
 * explanation allocated in check_arena(c) (or static).  A path that selects nothing is
 * `error` unless the leaf declares absence compliant.  Regex engine
 * errors (match or depth limit) are `error`, never a match decision.
 */
enum status assert_eval(const struct assertion *as,
    const struct doc_node *attrs, struct check_ctx *c, const char **why);

/* --------------------------------------------------------- regex (PCRE2) */

struct regex;

/*
 * Compile with limits (pattern length, nesting), JIT when available.
 * Errors are reported at m with the column moved to the pattern offset.
 * The regex is released when the arena is freed (arena_defer).
 */
struct regex *regex_compile(
    struct arena *a, struct diag *d, const char *pattern, const struct mark *m);
/* 1 match, 0 no match, -1 error (limit hit, bad UTF-8): never "no match". */
int regex_match(
    const struct regex *re, const char *s, size_t len, const char **err);
/* Whether the regex runs JIT-compiled code ((*NO_JIT) turns it off). */
int regex_jit(const struct regex *re);
/*
 * The position of byte `off` of a YAML scalar's decoded value, given the
 * scalar's mark m: an opening quote and escapes are accounted for when the
 * source line can be read, else m's column plus the characters before off.
 */
struct mark scalar_mark(const struct mark *m, const char *value, size_t off);

/* --------------------------------------------------------------- rules */

/* A check from a rule pack. */
struct rule {
	const char *id;
	const char *title;
	const char *description;
	const char *remediation;
	enum severity severity;
	const char **types; /* resource types */
	size_t ntypes;
	const char *plugin; /* "assert" or a plugin name */
	const struct check_plugin *impl; /* NULL for assert */
	struct assertion *assert;
	struct doc_node *params; /* name -> default value */
	/*
	 * name -> unit (DOC_STRING, canonical: "days", "hours"...) of the
	 * parameters whose declaration says `unit:`; a threshold bound to
	 * a baseline parameter's text is converted to it (rules/param.c).
	 */
	struct doc_node *units;
	const char *pack; /* pack file */
	int required; /* no resource of its types in scope = error */
	struct mark mark;
};

struct rule_set {
	struct arena *a;
	struct rule **v; /* sorted by id */
	size_t n;
	struct plugin_handle **plugins; /* external plugins */
	size_t nplugins;
};

struct rule_set *rule_set_new(void);
void rule_set_free(struct rule_set *rs);
/* Load an external plugin .so into the set (its plugins become usable). */
int rule_set_add_plugin(struct rule_set *rs, struct diag *d, const char *path);
/* Load one pack file, or every *.yaml under a directory (sorted). */
int rule_set_load(struct rule_set *rs, struct diag *d, const char *path);
/* Load the shipped packs (RAMPART_RULES_DIR or the installed share dir). */
int rule_set_load_shipped(struct rule_set *rs, struct diag *d);
struct rule *rule_find(const struct rule_set *rs, const char *id);
/*
 * The shipped rules directory: $RAMPART_RULES_DIR, else ../rules or
 * ../share/rampart/rules beside the executable.  0, or -1 if none exists.
 */
int rules_dir(char *buf, size_t len);

/* ------------------------------------------------------------ baselines */

enum responsibility { RESP_AUTOMATED, RESP_MANUAL, RESP_INHERITED };

const char *responsibility_name(enum responsibility r);

struct control_check {
	const char *check_id;
	struct rule *rule; /* resolved at bind time */
	struct doc_node *params; /* bound values: name -> value */
	const char *rationale;
	/*
	 * The binding's `decides:` in the mapping: 1 for `full` (the
	 * checks cover the control's statement for the exported inventory),
	 * 0 for `part` (supporting evidence for part of the statement).
	 */
	int full;
	/*
	 * Where each parameter value of the check came from (set by
	 * baseline_load): name -> {from: PARAM-ID, text: "ninety (90)
	 * days"}, {from: "default"}, {from: "binding"} (a literal in the
	 * binding) or {from: "default", param: PARAM-ID, text: ...,
	 * note: why the baseline value was not used}.  NULL when no rule.
	 */
	const struct doc_node *param_src;
	/* `objective:` parts of the statement it evidences ("d"), or none. */
	const char **objective;
	size_t nobjective;
	struct mark mark;
};

/* An organisation-defined parameter of a control, as imported from OSCAL. */
struct control_param {
	const char *id; /* "ac-02_odp.10" */
	const char *label; /* "frequency", may be NULL */
	const char *value; /* FedRAMP value; NULL = organisation-defined */
	const char *select; /* "one", "one-or-more" or NULL */
	const char **choices; /* selection choices, inserts resolved */
	size_t nchoices;
	struct mark mark;
};

/* Customer responsibility (CRM) of a control for one provider. */
enum crm_resp { CRM_NONE, CRM_CUSTOMER, CRM_SHARED, CRM_INHERITED };

struct control {
	const char *id; /* "ac-2.1" */
	const char *label; /* "AC-2(1)" */
	const char *title;
	const char *family; /* "AC" */
	const char *klass; /* OSCAL class, may be NULL */
	const char *statement; /* prose, may be NULL */
	enum responsibility resp;
	struct control_check *checks;
	size_t nchecks;
	int core; /* FedRAMP CORE prop */
	const char *method; /* LI-SaaS method prop(s), comma-separated */
	struct control_param *params; /* organisation-defined parameters */
	size_t nparams;
	/* Set by crm_apply(): the provider's share of this control. */
	enum crm_resp crm;
	const char *crm_provider; /* may be NULL */
	const char *crm_reference; /* provider's authorization reference */
	/* Its checks come from a mapping (which may bind it in several
	 * entries, one per provider), not from the baseline's tailoring. */
	int mapped;
	struct mark mark;
};

struct baseline {
	struct arena *a;
	const char *id;
	const char *title;
	const char *impact; /* low moderate high li-saas */
	const char *path; /* file it was loaded from */
	char sha256[SHA256_HEX_LEN + 1];
	const char *source_file; /* OSCAL origin, may be NULL */
	const char *source_sha256;
	const char *extends;
	const char *source_version; /* OSCAL metadata version, may be NULL */
	const char *mapping; /* control-to-check mapping applied, or NULL */
	struct doc_node *params; /* param id -> value */
	struct control *controls; /* sorted by id */
	size_t ncontrols;
};

/*
 * Load a baseline by name (shipped: rules/baselines/NAME.yaml) or path,
 * following `extends`.  Every error is collected in d (lint reports all).
 * Check bindings are resolved against rs when rs is not NULL.
 */
struct baseline *baseline_load(
    struct diag *d, const char *name_or_path, const struct rule_set *rs);
void baseline_free(struct baseline *b);
struct control *baseline_control(const struct baseline *b, const char *id);
/*
 * The printed form of a control id: "ac-2.1" -> "AC-2(1)", "ac-2" ->
 * "AC-2", into buf.  0, or -1 when it does not fit.
 */
int control_label(const char *id, char *buf, size_t len);
/* Names of shipped baselines, for `baseline list`.  NULL-terminated. */
char **baseline_list_shipped(void);
/*
 * Bind the checks of a `checks:` list (YAML sequence of {id, params,
 * rationale}) to control c of baseline b: used by baselines and by
 * mapping files (rules/mapping.c).  Appends to c->checks (arena b->a);
 * the caller sets c->resp.  Unknown checks are errors when rs is not NULL.
 */
int baseline_bind_checks(struct baseline *b, struct diag *d,
    const struct rule_set *rs, const struct doc_node *seq, struct control *c);
/* The baseline b `extends` (loaded with it; path and sha256 set), or NULL. */
const struct baseline *baseline_parent(const struct baseline *b);

/* -------------------------------------------------------------- mappings */

/*
 * Apply the control-to-check mapping `name` (a shipped mapping,
 * rules/mappings/NAME.yaml, or a path) to baseline b: every control of b
 * that the mapping binds and that binds no checks of its own becomes
 * automated with the mapping's checks, rationale and parameter bindings.
 * Bindings for controls b does not contain are skipped (one mapping
 * serves every FedRAMP baseline).  `m` is where the baseline names the
 * mapping.  Every error is reported with the mapping file's line:col.
 */
int mapping_apply(struct baseline *b, struct diag *d, const char *name,
    const struct rule_set *rs, const struct mark *m);

/* One check binding of a mapping file, as `rampart checks` lists it. */
struct mapping_binding {
	const char *control; /* "ac-2.3" */
	const char *check_id;
	int full; /* decides: full */
	const char *rationale;
	struct mark mark;
};

/*
 * Read the bindings of mapping `name` (shipped name or path) without a
 * baseline: every (control, check) pair in file order, in arena a.
 * Missing `decides:` and other schema errors are reported in d.  0 or
 * -1.
 */
int mapping_bindings(struct arena *a, struct diag *d, const char *name,
    struct mapping_binding **out, size_t *nout);

/* ----------------------------------------------------------- parameters */

/* A quantity read from parameter text (rules/param.c). */
struct param_value {
	int64_t v;
	char unit[32]; /* canonical ("days", "years", "session"); "" none */
};

/*
 * Read organisation-defined parameter text as one quantity with its unit
 * and sign: digits and words ("ninety (90) days", "thirty-five (35)
 * days", "one hundred and eighty (180) days"), thousands separators
 * ("1,095 days"), signs ("-30 days", "minus 30 days", "30 days before").
 * Text repeating one quantity ("one (1) year or 1 year after ...") is
 * read; text with no number, several different quantities, a frequency
 * word ("annually"), identifiers ("M-21-31", "SP 800-53"), ordinals,
 * decimals or percentages is refused.  0, or -1 with the reason in why
 * (len bytes, may be NULL).
 */
int param_parse(
    const char *text, struct param_value *out, char *why, size_t len);
/* The canonical name of a unit ("Day" -> "days"); -1 if not a word. */
int param_unit_canon(const char *unit, char *buf, size_t len);
/*
 * Convert pv to `unit` (NULL or "" = a plain number) exactly: seconds,
 * minutes, hours, days, weeks, years (365 days) convert when the result
 * is whole; months convert only to and from years.  0, or -1 with the
 * reason in why.
 */
int param_convert(const struct param_value *pv, const char *unit, int64_t *out,
    char *why, size_t len);

/* ------------------------------------------------------ OSCAL importing */

struct oscal_opts {
	const char *profile; /* OSCAL profile applied to the catalog, or NULL */
	const char *id; /* baseline id (required) */
	const char *title; /* NULL: the catalog's metadata title */
	const char *impact; /* low moderate high li-saas, or NULL */
	const char *mapping; /* `mapping:` to emit, or NULL */
};

struct oscal_stats {
	size_t controls; /* controls and enhancements emitted */
	size_t families; /* families with at least one control */
	size_t params; /* parameters emitted */
	size_t values; /* ... of which have a FedRAMP value */
	size_t assignments; /* inserts left as [Assignment: ...] */
};

/*
 * Convert an OSCAL catalog (YAML or JSON; a resolved profile catalog such
 * as FedRAMP's), optionally filtered and modified by an OSCAL profile
 * (include/exclude-controls, set-parameters, control-level prop adds),
 * into a rampart baseline written atomically to `out`.  The catalog is
 * streamed one group (family) at a time.  0, or -1 with every error in d.
 */
int oscal_import(struct diag *d, const char *catalog,
    const struct oscal_opts *o, const char *out, struct oscal_stats *st);

/* ---------------------------------------------------------------- POA&M */

/* A FedRAMP deviation request's type (docs/formats.md, POA&M). */
enum poam_deviation {
	POAM_DEV_NONE,
	POAM_DEV_FALSE_POSITIVE,
	POAM_DEV_OPERATIONAL_REQUIREMENT,
	POAM_DEV_RISK_ADJUSTMENT,
};

/* A planned milestone of a POA&M item. */
struct poam_milestone {
	const char *description;
	int64_t due;
	const char *due_text;
};

struct poam_item {
	const char *id;
	const char *control; /* poam_validate(): the baseline's own id */
	const char *check; /* may be NULL: any check */
	const char *resource; /* glob, may be NULL: any resource */
	const char *justification;
	const char *approver;
	int64_t expires;
	const char *expires_text;
	struct mark mark;
	/* The finding's rating: SEV_LOW, SEV_MEDIUM (moderate), SEV_HIGH or
	 * SEV_CRITICAL; has_severity 0 when the file gives none. */
	enum severity severity;
	int has_severity;
	int64_t detected; /* original detection date */
	const char *detected_text; /* NULL when absent */
	/* An approved deviation request (all three set), else NONE. */
	enum poam_deviation deviation;
	const char *deviation_approver;
	int64_t deviation_approved;
	const struct doc_node *node; /* the item in the file, may be NULL */
	/*
	 * Optional FedRAMP POA&M template fields (docs/formats.md), NULL
	 * when the file gives none: weakness name and description, point
	 * of contact, overall remediation plan, resources required, the
	 * deviation's rationale, vendor dependency (product name), and the
	 * planned milestones in file order.
	 */
	const char *weakness;
	const char *description;
	const char *contact;
	const char *remediation_plan;
	const char *resources_required;
	const char *deviation_rationale;
	const char *vendor_product;
	struct poam_milestone *milestones;
	size_t nmilestones;
};

struct poam {
	struct arena *a;
	const char *path;
	struct poam_item *items;
	size_t n;
};

/*
 * Load a POA&M file: its shape, non-blank id / approver / justification,
 * strict dates, severity and deviation values, unique ids; every error in
 * d with file:line:col.  NULL on any error.  poam_validate() checks the
 * rest against the baseline.
 */
struct poam *poam_load(struct diag *d, const char *path);
/*
 * Validate a loaded POA&M against baseline b and rule set rs (NULL: no
 * check lookups): every item needs `severity` and `detected`; its control
 * (AC-2(3), ac-2.3, any case) must be in b and is rewritten to b's id;
 * its check must exist and be bound to that control; a check's severity
 * may only be rated lower under a risk-adjustment deviation; `expires`
 * may not lie beyond the RA-5(d) deadline (`detected` + 30 days for high
 * and critical, 90 moderate, 180 low) unless an operational-requirement
 * or false-positive deviation is approved.  Reports every problem, with
 * file:line:col; 0 or -1.
 */
int poam_validate(struct poam *p, const struct baseline *b,
    const struct rule_set *rs, struct diag *d);
/*
 * Normalise a control id written as "AC-2(3)", "ac-2.3", "AC-02 (03)" or
 * "ac-2" into out ("ac-2.3", "ac-2"); 0, or -1 when s is not such an id.
 */
int poam_control_id(const char *s, char *out, size_t len);
/* RA-5(d) remediation days for a severity (30, 90 or 180), -1 for info. */
int poam_remediation_days(enum severity s);
/*
 * Whether item it waives the failures it matches at time now: it has not
 * expired, and it carries a false_positive or operational_requirement
 * deviation approved at or before now.  An item without one (or with a
 * risk_adjustment, which only lowers the rating) tracks an open weakness
 * and waives nothing: the engine and the POA&M writers both ask this.
 */
int poam_item_waives(const struct poam_item *it, int64_t now);
void poam_free(struct poam *p);

/* --------------------------------------------------------- attestations */

/* Manual evidence for one control, recorded by its owner. */
struct attestation {
	const char *control;
	const char *statement;
	const char **evidence; /* references: URLs, document ids, digests */
	size_t nevidence;
	const char *attested_by;
	int64_t date, expires;
	const char *date_text, *expires_text;
	struct mark mark;
};

struct attest_set {
	struct arena *a;
	const char *path;
	struct attestation *items;
	size_t n;
};

/*
 * Load an attestations file (YAML: `attestations:` list of {control,
 * statement, evidence, attested_by, date, expires}).  Every error is
 * reported with file:line:col.  NULL on error.
 */
struct attest_set *attest_load(struct diag *d, const char *path);
/*
 * Check every attestation's control against baseline b: any id form
 * (AC-2(3), ac-2.3, AC-02 (03)) is rewritten to b's own id; a control b
 * does not have is an error with file:line:col (an attestation is never
 * silently ignored: it would also hide its conflict with a failing
 * check).  0 or -1.
 */
int attest_validate(
    struct attest_set *s, const struct baseline *b, struct diag *d);
void attest_free(struct attest_set *s); /* accepts NULL */
/*
 * The attestation of control `id` valid at `now` (date <= now < expires),
 * the latest-expiring one if several; NULL if none.  *stale (may be NULL)
 * receives an expired or not-yet-valid one when no valid one exists.
 */
const struct attestation *attest_find(const struct attest_set *s,
    const char *id, int64_t now, const struct attestation **stale);

/* ------------------------------------------------ customer responsibility */

struct crm_entry {
	const char *control;
	enum crm_resp resp;
	const char *reference; /* overrides the file's authorization */
	const char *note;
	struct mark mark;
};

struct crm {
	struct arena *a;
	const char *path;
	const char *provider;
	const char *authorization; /* e.g. the provider's FedRAMP package id */
	struct crm_entry *items;
	size_t n;
};

/*
 * Load a customer responsibility matrix (YAML: provider, authorization,
 * controls: [{id, responsibility: inherited|shared|customer, reference,
 * note}]).  NULL on error (all errors reported).
 */
struct crm *crm_load(struct diag *d, const char *path);
void crm_free(struct crm *c); /* accepts NULL */
const char *crm_resp_name(enum crm_resp r);
/*
 * Mark the controls of b with the CRM: `inherited` controls become
 * RESP_INHERITED (their checks are not run), `shared` and `customer`
 * keep their responsibility and record the provider.  The CRM must
 * outlive b's use.  Returns how many CRM entries name controls b does not
 * have (a provider's CRM usually covers a higher baseline), or -1.
 */
long crm_apply(const struct crm *c, struct baseline *b, struct diag *d);

/* ----------------------------------------------------------------- scope */

/* One declaration of a scope file: a resource type glob or a control. */
struct scope_item {
	const char *name; /* "AWS::RDS::*" or "pe-3" */
	const char *reason;
	struct mark mark;
};

/*
 * The user's scope file (docs/decisions.md): resource types the workload
 * does not use (`out_of_scope`) and controls tailored out
 * (`not_applicable`), each with a reason.  Recorded in every report.
 */
struct scope {
	struct arena *a;
	const char *path;
	char sha256[SHA256_HEX_LEN + 1];
	struct scope_item *types;
	size_t ntypes;
	struct scope_item *controls;
	size_t ncontrols;
};

/* Load a scope file; NULL with every error (file:line:col) in d. */
struct scope *scope_load(struct diag *d, const char *path);
void scope_free(struct scope *s); /* accepts NULL */
/* The declaration covering resource type t (glob), or NULL; s may be NULL. */
const struct scope_item *scope_type(const struct scope *s, const char *t);
/* The declaration of control id (any id form), or NULL; s may be NULL. */
const struct scope_item *scope_control(const struct scope *s, const char *id);
/* Every declared control must exist in b: 0, or -1 with each one reported. */
int scope_check_controls(
    const struct scope *s, const struct baseline *b, struct diag *d);
/*
 * Whether two control ids name the same control, whatever their form:
 * case, "AC-2(3)" or "ac-2.3", leading zeros ("ac-02").
 */
int control_id_eq(const char *x, const char *y);

/* ------------------------------------------------------------ evaluation */

enum verdict { VERDICT_ELIGIBLE, VERDICT_NOT_ELIGIBLE, VERDICT_INCOMPLETE };

const char *verdict_name(enum verdict v);

/*
 * What the verdict decides: eligibility (every control of the baseline
 * decided), or, for a CI gate, the automated checks alone (`--gate
 * checks`: no check fails or errors), which every output states so that
 * nobody mistakes it for an eligibility decision.
 */
enum gate { GATE_ELIGIBILITY, GATE_CHECKS };

const char *gate_name(enum gate g);

/* ------------------------------------------------------ decision model */

/* One check bound to a control, after POA&M, as the decision sees it. */
struct decide_binding {
	/* pass fail error not_applicable waived; manual = not run */
	enum status status;
	int full; /* decides: full */
	const char *check_id;
	const char *not_run; /* why the check was not run, or NULL */
};

/* Everything that decides one control (rules/decide.c). */
struct decide_control_in {
	enum crm_resp crm; /* the provider's CRM share */
	const char *crm_provider; /* may be NULL */
	const char *method; /* LI-SaaS method list, may be NULL */
	const char *declared_na; /* scope file reason, or NULL */
	const char *attested_by; /* a valid attestation's author, or NULL */
	const struct decide_binding *b;
	size_t nb;
};

struct decide_control_out {
	enum status status;
	const char *note; /* why, static or in the arena; may be NULL */
	int open; /* nothing decides (part of) the control yet */
};

/*
 * Decide one control (docs/decisions.md).  Pure: the output depends only
 * on in; notes naming checks are allocated in a.
 */
void decide_control(struct arena *a, const struct decide_control_in *in,
    struct decide_control_out *out);
/* The eligibility verdict from the count of each control status. */
enum verdict decide_verdict(const size_t counts[ST_COUNT]);
/*
 * The `--gate checks` verdict from the count of each status of the
 * check-control bindings after POA&M: fail, else error, else pass.
 */
enum verdict decide_gate_checks(const size_t counts[ST_COUNT]);

struct assessment;
/*
 * The one place the decision model lives (rules/decide.c): from the check
 * outcomes of as (status, counts, listed results, why) and the
 * definitions it names (baseline controls and their bindings, POA&M,
 * attestations, CRM, scope, options), decide every control's status,
 * its bindings after POA&M, notes and coverage, the counts and the
 * verdict.  It reads nothing else, so a run, a report read back
 * (reports/read.c) and merged shards are decided alike.  0, or -1 with
 * an error in d (memory).
 */
int decide(struct assessment *as, struct diag *d);

/* One rule evaluated with one set of parameter values. */
struct check_outcome {
	const struct rule *rule;
	struct doc_node *params;
	/* Provenance of params: control_check.param_src of the binding. */
	const struct doc_node *param_src;
	struct check_result *results;
	size_t n, cap;
	size_t counts[ST_COUNT];
	enum status status; /* aggregated over resources */
	int listed; /* a complete listing of one of its types was seen */
	/*
	 * One flag per rule type: a resource or a listing of it was seen.
	 * A type never seen is missing evidence, even when the check's
	 * other types pass.
	 */
	unsigned char *seen;
	/*
	 * Why the check ended where it did when no resource decided it
	 * ("no listing of ... in the inputs", "declared out of scope: ..."),
	 * or NULL.  Writers print this; they never rebuild it.  Unless the
	 * status is not_applicable, it names evidence that is missing (an
	 * evidence gap), also beside failures of the check's other types.
	 */
	const char *why;
	/* Left out by the run's selection (why it was not run), or NULL. */
	const char *not_run;
	/*
	 * The input (index in run.inputs) each of the first ntracked listed
	 * results came from, set by run_track_inputs() and run_fold()
	 * (rules/merge.c) in the run's arena; NULL when not tracked.  The
	 * JSON report writes it, so that merge can order the results of
	 * shards as one run lists them.
	 */
	uint32_t *result_input;
	size_t ntracked, tracked_cap;
	/*
	 * Nonzero: every type of the check belongs to a cloud provider of
	 * which the run has no input at all, so the check is not_applicable
	 * ("no Azure input in this run") and counts for no control.
	 */
	int absent;
};

/* One check as it counts for one control (after POA&M). */
struct control_check_outcome {
	struct check_outcome *outcome;
	enum status status;
	const struct poam_item *waiver; /* covering item, if any */
	const struct poam_item *expired; /* matching but expired */
	/* Matching, unexpired, but waiving nothing (poam_item_waives()). */
	const struct poam_item *tracked;
	int full; /* the binding decides the control fully (decides: full) */
	const char *const *objective; /* statement parts, from the binding */
	size_t nobjective;
};

struct control_outcome {
	const struct control *control;
	enum status status;
	struct control_check_outcome *checks;
	size_t nchecks;
	const char *note;
	/* A valid attestation of this control (it decides what checks do not). */
	const struct attestation *attestation;
	const struct scope_item *declared; /* declared not applicable */
	int open; /* (part of) the control is decided by nothing yet */
};

/*
 * How the controls of a run were decided: by automated checks, by
 * attestation, inherited from the provider, declared not applicable, or
 * left open (manual, or partial).  The five add up to the number of
 * controls.
 */
struct coverage {
	size_t automated, attested, inherited, open;
	size_t declared; /* not applicable: the scope file or the baseline */
};

struct input_info {
	const char *path;
	const char *format; /* adapter name */
	char sha256[SHA256_HEX_LEN + 1];
	size_t resources;
	size_t listings; /* listing markers the adapter emitted */
	/*
	 * When its evidence was collected (the oldest capture time the
	 * export records, else the file's modification time), 0 unknown;
	 * collected_how says which.
	 */
	int64_t collected;
	const char *collected_how;
	int stale; /* older than --max-evidence-age */
	/*
	 * The account, subscription or project of the input: the first
	 * resource's `account` (check.h), or NULL when no resource names
	 * one.
	 */
	const char *account;
	/*
	 * Position of the input in the whole list given to the scan (before
	 * --shard took its part), 0-based: merge orders shards' inputs by it.
	 */
	size_t ordinal;
	/* Bit (1u << enum provider) per provider of its resources/listings. */
	unsigned providers;
};

/* Per-check cap on listed results (the rest are counted). */
#define RUN_DEFAULT_MAX_RESULTS 1000

/*
 * A tailoring (--check, --skip-check, --severity): the checks a run
 * evaluates.  A check left out is not run (status manual, with why); the
 * controls bound to it stay open, never pass.  text states the selection
 * in every report and the signed statement; NULL = a full run.
 */
struct run_selection {
	const char *const *only; /* fnmatch(3) globs on check ids; none = all */
	size_t nonly;
	const char *const *skip; /* globs of checks not to run */
	size_t nskip;
	enum severity min_severity; /* run checks at or above; SEV_INFO = all */
	const char *text;
};

/* Why the selection leaves check r out ("not run: --skip-check"), or NULL. */
const char *run_selection_excludes(
    const struct run_selection *sel, const struct rule *r);

struct run_opts {
	struct run_selection sel;
	size_t max_results; /* 0 = unlimited */
	int64_t now; /* evaluation time; 0 = time(NULL) */
	int require_attestations; /* kept for old scripts: always on now */
	enum gate gate;
	/* Evidence older than this (seconds) is `error`; 0 = no limit. */
	int64_t max_evidence_age;
	struct load_limits lim;
};

#define RUN_DEFAULT_MAX_EVIDENCE_AGE (30 * 86400LL)

/*
 * An assessment: what a run found and decided, as plain data.  Per check
 * its outcome (status, exact counts, capped results with evidence, why it
 * ended where it did, parameter values with provenance), per control its
 * status with the checks, waivers and attestations behind it, per input its
 * identity, digest, collection time and provider; the verdict.  Nothing in
 * it points into the engine: the definitions it names (baseline, rules,
 * POA&M, attestations, CRM, scope) are the loaded documents the run was
 * given.  The engine fills one (struct run); reports/read.c reads one back
 * from a JSON report; every writer, sign, verify, diff and merge consume
 * only this (docs/decisions.md, "The assessment model").
 */
struct assessment {
	struct arena *a; /* holds every string and array below */
	struct run_opts opts;
	struct baseline *bl; /* borrowed */
	struct rule_set *rs; /* borrowed */
	struct poam *poam; /* borrowed, may be NULL */
	const struct attest_set *attest; /* borrowed, may be NULL */
	const struct crm *crm; /* borrowed, may be NULL (already applied) */
	const struct scope *scope; /* borrowed, may be NULL */
	struct coverage cov; /* set by run_finish */
	struct input_info *inputs;
	size_t ninputs;
	unsigned providers; /* union of the inputs' provider bits */
	struct check_outcome *checks;
	size_t nchecks;
	struct control_outcome *controls;
	size_t ncontrols;
	size_t count_controls[ST_COUNT];
	size_t count_checks[ST_COUNT];
	size_t count_bindings[ST_COUNT]; /* check-control, after POA&M */
	/* Always the eligibility verdict (every control weighed), also
	 * under --gate checks: reports and signatures state it. */
	enum verdict verdict;
	/* What decides the exit code: verdict, or under --gate checks the
	 * automated checks alone (decide_gate_checks()). */
	enum verdict exit_verdict;
	int64_t started, finished;
	/*
	 * --shard K/N (rules/merge.c): this run took the inputs and TLS
	 * targets whose stable hash falls in part K (1-based) of N, out of
	 * total_inputs inputs; of = 0 when the run is not a shard.
	 * merged = N when the run was rebuilt from N shard reports.
	 */
	struct {
		unsigned k, of;
		size_t total_inputs;
		size_t total_targets, targets;
		unsigned merged;
	} shard;
};

/*
 * The engine's handle on one run: the assessment it fills, the
 * diagnostics it reports to, and its own state (engine.c), which nothing
 * outside the engine reads.
 */
struct run {
	struct assessment as;
	struct diag *d;
	struct run_private *priv;
	/* A partial run's checks and seen flags (run_partial()), or NULL:
	 * not in its arena, which the fold may take with the results. */
	void *block;
};

/*
 * Prepare a run: one check outcome per distinct (rule, parameters) bound
 * by the baseline's automated controls.
 */
struct run *run_new(struct diag *d, struct baseline *bl, struct rule_set *rs,
    struct poam *poam, const struct run_opts *opts);
/*
 * A run for one input of a worker (run_inputs()), as run_new() would make
 * it with tmpl's baseline, rule set and options, but without controls and
 * at the cost of a copy: its checks share tmpl's parameters, and its cache
 * of the checks each resource type goes to is tmpl's.  tmpl must outlive
 * it, and both are used by one thread at a time.  NULL (said in d) when
 * memory runs out.  Only run_input() and run_fold() take it.
 */
struct run *run_partial(const struct run *tmpl, struct diag *d);
void run_free(struct run *r);
/*
 * Stream one input through every check.  adapter NULL = detect.  A read
 * error of the input is reported and returns -1 (exit 3).
 */
int run_input(struct run *r, const char *path, const struct adapter *ad);
/*
 * Live inputs (TLS endpoints) that are not files: register the input, then
 * hand each resource to run_resource().  sha256 is the digest of the
 * evidence observed (the caller computes it).
 */
struct input_info *run_add_input(
    struct run *r, const char *name, const char *format);
int run_resource(struct run *r, struct input_info *in,
    const struct resource *res, struct arena *a);

/*
 * The declarations the run decides with besides the baseline, rules and
 * POA&M given to run_new() (each borrowed, may be NULL): attestations,
 * the provider's CRM (already applied to the baseline) and the scope
 * file.  Call before run_finish().
 */
void run_declare(struct run *r, const struct attest_set *attest,
    const struct crm *crm, const struct scope *scope);

/*
 * Record that the run is part k (1-based) of n of total_inputs inputs
 * (--shard K/N), and, for its TLS targets, that it took `taken` of
 * total_targets (run_shard_targets()).  merged: the run was rebuilt
 * from n shard reports (merge).
 */
void run_shard(struct run *r, unsigned k, unsigned n, size_t total_inputs);
void run_shard_targets(struct run *r, size_t total_targets, size_t taken);
void run_merged(struct run *r, unsigned n);

/*
 * Aggregate each check over its resources (status, and why it ended
 * there), then decide(): controls, POA&M, the verdict.
 */
int run_finish(struct run *r);

/* ------------------------------------- many inputs and shards (merge.c) */

/*
 * Record that every result listed since the last call came from the last
 * input of r (check_outcome.result_input).  Call it after run_input() and
 * after the live inputs of one source were fed.  0 or -1 (memory).
 */
int run_track_inputs(struct run *r);

/*
 * Fold partial run p into r.  p ran over exactly one input (its
 * inputs[0]) with the same baseline and rules as r, so its checks are
 * r's, in the same order (checked: -1 otherwise).  The input is appended
 * to r->inputs; counts and seen/listing flags add up; p's listed results
 * are appended while r lists fewer than max_results of their status, so
 * that folding the partials of inputs 1..n in that order lists exactly
 * what one sequential run over inputs 1..n lists (each partial keeps the
 * first max_results per status in its own input order, and every result
 * of input k precedes every result of input k+1).  When p was made by
 * run_partial() and all of its listed results go into r, r takes p's
 * arena (run_adopt_arena()), where their strings are; otherwise they are
 * copied into r's.  p is freed
 * afterwards with run_free() either way.  0 or -1.
 */
int run_fold(struct run *r, struct run *p);
/*
 * r owns arena a from now on (freed with r): 0, or -1 (said in r's
 * diagnostics) when memory runs out, and then a is the caller's still.
 */
int run_adopt_arena(struct run *r, struct arena *a);

/* How run_inputs() reads many inputs. */
struct run_jobs {
	const char *const *paths; /* in command-line order */
	const size_t *ordinals; /* input_info.ordinal of each; NULL = index */
	size_t n;
	const struct adapter *ad; /* NULL = detect */
	unsigned jobs; /* workers; 1 = sequential on the caller's thread */
	/*
	 * Each worker but the first evaluates with its own baseline and
	 * rule set (compiled regexes keep match state, plugins may too):
	 * load() makes them, as the caller made r's, and unload() frees
	 * them.  The baselines must bind the same checks in the same order.
	 */
	int (*load)(void *arg, struct diag *d, struct baseline **bl,
	    struct rule_set **rs);
	void (*unload)(void *arg, struct baseline *bl, struct rule_set *rs);
	void *arg;
	/* Called on the caller's thread before input i is folded; may be NULL. */
	void (*progress)(void *arg, size_t i, const char *path);
	/*
	 * Called once input i was read without error, on the thread that
	 * read it (workers call it concurrently, each for its own i), with
	 * that input's input_info (valid during the call only); may be
	 * NULL.  Work that follows each input (`scan` pins a directory
	 * input's files for the report) is spread over the workers.
	 */
	void (*input_done)(void *arg, size_t i, const struct input_info *in);
};

/*
 * Stream every input of j into r with j->jobs workers.  Each worker
 * streams one input at a time into its own partial run; the caller's
 * thread folds the partials in input order (run_fold()), so the run, its
 * diagnostics and its reports are the same whatever the number of
 * workers.  At most 2 * jobs partials wait to be folded (memory stays
 * flat).  The first input that fails stops the scan as the sequential
 * run would: its diagnostics are moved to r->d and -1 is returned.
 */
int run_inputs(struct run *r, const struct run_jobs *j);

/*
 * Append a copy of result res (strings copied into r's arena) to o's
 * listed results, as coming from input `in` of r, without counting it
 * or capping: for readers of reports (reports/read.c), whose results
 * run_merge_order() then orders and caps.  0 or -1.
 */
int run_add_result(struct run *r, struct check_outcome *o,
    const struct check_result *res, uint32_t in);

/*
 * After the outcomes of several shard reports were read into r: order
 * r's inputs by their ordinal (a stable sort: inputs of equal ordinal,
 * such as each shard's TLS endpoints, keep the order they were read in),
 * then each check's listed results by their input (stable, so a shard's
 * own order within an input stays), and keep the first max_results of
 * each status: what one run over every input would list.  0 or -1.
 */
int run_merge_order(struct run *r);

/*
 * Whether `key` (an input's path as given, or a TLS target's
 * "host:port") falls in part k (1-based) of n: the first 8 bytes of its
 * sha256, big-endian, modulo n, equal k - 1.  Stable across machines,
 * versions and the order of the list.
 */
int shard_takes(const char *key, unsigned k, unsigned n);

/* ------------------------------------------ loading helpers (rules/ only) */

/* One allowed key of a YAML map: name, type (DOC_NULL = any), required. */
struct field {
	const char *key;
	enum doc_type type;
	int required;
};

/*
 * Check map against the allowed fields: unknown keys, wrong types and
 * missing required keys are each reported (all of them).  `what` names
 * the object in messages ("rule", "control").  0 or -1.
 */
int schema_check(struct diag *d, const struct doc_node *map,
    const struct field *fields, const char *what);
/* String value of key in map (arena-owned), or NULL. */
const char *schema_str(const struct doc_node *map, const char *key);
/* A list of strings (a scalar is a list of one) into an arena array. */
int schema_strlist(struct arena *a, struct diag *d, const struct doc_node *n,
    const char ***out, size_t *nout);
/* Whether s matches the glob pattern (fnmatch without FNM_PATHNAME). */
int glob_match(const char *pattern, const char *s);
/*
 * A binding's `decides:` value n: "full" sets *full (may be NULL) to 1,
 * "part" to 0; anything else is an error at n's mark.  0 or -1.
 */
int binding_decides(struct diag *d, const struct doc_node *n, int *full);

#endif /* RAMPART_RULES_H */
