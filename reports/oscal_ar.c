/*
 * oscal_ar.c: the OSCAL 1.1.2 assessment-results report, shaped after
 * the FedRAMP Rev5 SAR template, for GRC tools and FedRAMP reviewers
 * that read OSCAL.
 *
 * The results import the assessment plan written beside them
 * (report.oscal-ap.json, oscal_ap.c) by a relative link.  The metadata
 * names the assessor (--assessor) and the system (--system) as parties
 * in the template's roles.  One result holds the whole run:
 *
 * - local-definitions: the tool as the assessment asset, and one
 *   inventory item per scanned resource (asset-id = the resource id);
 * - reviewed-controls: the controls this scan assessed (automated
 *   checks, an attestation, or the provider's inheritance);
 * - one observation per listed check result: method TEST for probes of
 *   live endpoints, EXAMINE for exported configuration; type `finding`
 *   for a failure or error, `control-objective` otherwise; origin = the
 *   tool run by the assessor; collected = when the input's evidence was
 *   collected (input_info.collected), never the scan time when the
 *   export says otherwise; relevant-evidence points at the input file
 *   and line of each evidence value;
 * - one risk per failing check: likelihood and impact from the check's
 *   severity, status open (remediating or deviation-approved when a
 *   POA&M item covers it), deadline per RA-5(d);
 * - one finding per control but the inherited ones, targeting the
 *   control's objective and linking its observations and risks.  Only a
 *   control that passed is `satisfied`: fail, waived, error, partial,
 *   open (manual) and declared not applicable are `not-satisfied` with
 *   the reason in the remarks.
 *
 * UUIDs are name-based (oscal_common.c), so the same inputs give the
 * same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

/* The title of a resource as "type id"; lib_malloc'd, NULL if no memory. */
static char *
resource_title(const struct check_result *res)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_printf(&sb, "%s %s", res->resource_type ? res->resource_type : "?",
	    res->resource_id ? res->resource_id : "?");
	if (sb.oom) {
		sb_free(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

/* A live probe is a test; reading exported configuration an examination. */
static const char *
method_of(const struct check_outcome *o)
{
	return o->rule->plugin != NULL &&
		strncmp(o->rule->plugin, "tls", 3) == 0
	    ? "TEST"
	    : "EXAMINE";
}

/*
 * When the evidence read from file was collected: the collection time of
 * the input holding it (the longest input path that is file or a folder
 * above it); without a file, the oldest collection time of all inputs;
 * the scan's end when no input records one.
 */
static void
collected_at(const struct oscal_ctx *x, const char *file, char out[32])
{
	const struct assessment *r = x->r;
	const struct input_info *best = NULL;
	int64_t oldest = 0;
	size_t i, len, blen = 0;

	for (i = 0; i < r->ninputs; i++) {
		const struct input_info *in = &r->inputs[i];

		if (in->collected != 0 &&
		    (oldest == 0 || in->collected < oldest))
			oldest = in->collected;
		if (file == NULL || in->path == NULL)
			continue;
		len = strlen(in->path);
		if (strncmp(file, in->path, len) == 0 &&
		    (file[len] == '\0' || file[len] == '/' ||
			(len > 0 && in->path[len - 1] == '/')) &&
		    len >= blen) {
			best = in;
			blen = len;
		}
	}
	if (best != NULL && best->collected != 0)
		format_time(best->collected, out);
	else if (best == NULL && oldest != 0)
		format_time(oldest, out);
	else
		memcpy(out, x->finished, 32);
}

/* origins: the tool, run by the assessor. */
static void
write_origins(struct oscal_ctx *x)
{
	struct jw *w = x->w;
	struct oscal_uuid u;

	jw_key(w, "origins");
	jw_arr(w);
	jw_obj(w);
	jw_key(w, "actors");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "type", "tool");
	jw_kstr(w, "actor-uuid", oscal_tool_uuid(x, &u));
	jw_end_obj(w);
	jw_obj(w);
	jw_kstr(w, "type", "party");
	jw_kstr(w, "actor-uuid", oscal_assessor_uuid(x, &u));
	jw_end_obj(w);
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_arr(w);
}

static void
write_methods(struct jw *w, const char *method, const char *type)
{
	jw_key(w, "methods");
	jw_arr(w);
	jw_str(w, method);
	jw_end_arr(w);
	jw_key(w, "types");
	jw_arr(w);
	jw_str(w, type);
	jw_end_arr(w);
}

static void
write_observation(struct oscal_ctx *x, size_t ci, size_t k)
{
	const struct check_outcome *o = &x->r->checks[ci];
	const struct check_result *res = &o->results[k];
	struct jw *w = x->w;
	struct oscal_uuid u;
	struct strbuf sb;
	char *title, collected[32];
	size_t i;
	int open = 0;

	title = resource_title(res);
	jw_obj(w);
	jw_kstr(w, "uuid",
	    oscal_item_uuid(
		x, &u, "observation\n%s\n%zu\n%zu", o->rule->id, ci, k));
	sb_init(&sb);
	sb_printf(&sb, "%s on %s", o->rule->id, title ? title : "?");
	oscal_kstr_sb(x, "title", &sb);
	jw_kstr(w, "description",
	    res->message && res->message[0] ? res->message
					    : status_name(res->status));
	oscal_prop(w, &open, NULL, "check-id", o->rule->id);
	oscal_prop(w, &open, NULL, "status", status_name(res->status));
	oscal_prop(
	    w, &open, NULL, "severity", severity_name(o->rule->severity));
	oscal_prop(w, &open, NULL, "resource-type", res->resource_type);
	oscal_prop(w, &open, NULL, "resource-id", res->resource_id);
	oscal_prop(w, &open, NULL, "region", res->region);
	oscal_props_end(w, open);
	write_methods(w, method_of(o),
	    res->status == ST_FAIL || res->status == ST_ERROR
		? "finding"
		: "control-objective");
	write_origins(x);
	jw_key(w, "subjects");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "subject-uuid",
	    oscal_resource_uuid(x, &u, res->resource_type, res->resource_id));
	jw_kstr(w, "type", "inventory-item");
	jw_kstr(w, "title", title);
	jw_end_obj(w);
	jw_end_arr(w);
	if (res->nev > 0) {
		jw_key(w, "relevant-evidence");
		jw_arr(w);
		for (i = 0; i < res->nev; i++) {
			const struct mark *m = &res->ev[i].source;

			jw_obj(w);
			sb_init(&sb);
			if (m->file != NULL) {
				/* The input file and the line of the value. */
				uri_from_path(&sb, m->file);
				if (m->line > 0)
					sb_printf(&sb, "#L%u", m->line);
				oscal_kstr_sb(x, "href", &sb);
				sb_init(&sb);
			}
			sb_printf(&sb, "%s = %s", res->ev[i].path,
			    res->ev[i].value ? res->ev[i].value : "(absent)");
			if (m->file != NULL)
				sb_printf(&sb, " at %s:%u:%u", m->file, m->line,
				    m->col);
			oscal_kstr_sb(x, "description", &sb);
			jw_end_obj(w);
		}
		jw_end_arr(w);
	}
	collected_at(
	    x, res->nev > 0 ? res->ev[0].source.file : NULL, collected);
	jw_kstr(w, "collected", collected);
	jw_end_obj(w);
	lib_free(title);
}

/* Evidence a check lacks: the absence is the observation. */
static void
write_missing(struct oscal_ctx *x, size_t ci)
{
	const struct check_outcome *o = &x->r->checks[ci];
	struct jw *w = x->w;
	struct oscal_uuid u;
	char collected[32];
	int open = 0;

	jw_obj(w);
	jw_kstr(w, "uuid",
	    oscal_item_uuid(
		x, &u, "observation\n%s\n%zu\nmissing", o->rule->id, ci));
	jw_kstr(w, "title", o->rule->id);
	jw_kstr(w, "description",
	    report_missing(o) ? report_missing(o) : "evidence is missing");
	oscal_prop(w, &open, NULL, "check-id", o->rule->id);
	oscal_prop(w, &open, NULL, "status", "error");
	oscal_props_end(w, open);
	write_methods(w, method_of(o), "finding");
	write_origins(x);
	collected_at(x, NULL, collected);
	jw_kstr(w, "collected", collected);
	jw_end_obj(w);
}

/*
 * A valid attestation behind control co: an examination of manual
 * evidence, by its author, on the attestation's date.  The evidence
 * references are described, not linked: they are the owner's words
 * (document ids, URLs, digests), not files this scan read.
 */
static void
write_attestation(struct oscal_ctx *x, const struct control_outcome *co)
{
	const struct attestation *at = co->attestation;
	struct jw *w = x->w;
	struct oscal_uuid u;
	struct strbuf sb;
	char when[32];
	size_t i;
	int open = 0;

	jw_obj(w);
	jw_kstr(w, "uuid",
	    oscal_item_uuid(
		x, &u, "observation\nattestation\n%s", co->control->id));
	sb_init(&sb);
	sb_printf(&sb, "attestation of %s",
	    co->control->label ? co->control->label : co->control->id);
	oscal_kstr_sb(x, "title", &sb);
	jw_kstr(w, "description",
	    at->statement ? at->statement : "attested (no statement)");
	oscal_prop(w, &open, NULL, "control-id", co->control->id);
	oscal_prop(w, &open, NULL, "attested-by", at->attested_by);
	oscal_prop(w, &open, NULL, "attestation-expires", at->expires_text);
	oscal_props_end(w, open);
	write_methods(w, "EXAMINE", "control-objective");
	write_origins(x);
	if (at->nevidence > 0) {
		jw_key(w, "relevant-evidence");
		jw_arr(w);
		for (i = 0; i < at->nevidence; i++) {
			jw_obj(w);
			jw_kstr(w, "description", at->evidence[i]);
			jw_end_obj(w);
		}
		jw_end_arr(w);
	}
	if (at->date != 0)
		format_time(at->date, when);
	else
		memcpy(when, x->finished, 32);
	jw_kstr(w, "collected", when);
	jw_kstr(w, "remarks",
	    "manual evidence attested by its owner; rampart did not verify it");
	jw_end_obj(w);
}

/* Related observations of check outcome ci, in observation order. */
static void
write_related(struct oscal_ctx *x, size_t ci)
{
	const struct check_outcome *o = &x->r->checks[ci];
	struct oscal_uuid u;
	size_t k;

	if (report_missing(o) != NULL || o->n == 0) {
		jw_obj(x->w);
		jw_kstr(x->w, "observation-uuid",
		    oscal_item_uuid(x, &u, "observation\n%s\n%zu\nmissing",
			o->rule->id, ci));
		jw_end_obj(x->w);
	}
	for (k = 0; k < o->n; k++) {
		jw_obj(x->w);
		jw_kstr(x->w, "observation-uuid",
		    oscal_item_uuid(x, &u, "observation\n%s\n%zu\n%zu",
			o->rule->id, ci, k));
		jw_end_obj(x->w);
	}
}

/* Whether check outcome o has observations (listed results or a lack). */
static int
observed(const struct check_outcome *o)
{
	return o->n > 0 || report_gap(o);
}

static size_t
check_index(const struct assessment *r, const struct check_outcome *o)
{
	return (size_t)(o - r->checks);
}

/* Whether check outcome o failed for some control (a risk is recorded). */
static int
risky(const struct check_outcome *o)
{
	return o->counts[ST_FAIL] > 0 || o->status == ST_FAIL;
}

/*
 * The status of the risk of check ci: open, unless every control using
 * the check waived it by a POA&M item; then deviation-approved when each
 * such item carries an approved deviation, else remediating.
 */
static const char *
risk_status(const struct assessment *r, const struct check_outcome *o)
{
	size_t i, j, nwaived = 0, ndev = 0, nused = 0;

	for (i = 0; i < r->ncontrols; i++)
		for (j = 0; j < r->controls[i].nchecks; j++) {
			const struct control_check_outcome *cc =
			    &r->controls[i].checks[j];

			if (cc->outcome != o)
				continue;
			nused++;
			if (cc->waiver != NULL) {
				nwaived++;
				if (cc->waiver->deviation != POAM_DEV_NONE)
					ndev++;
			}
		}
	if (nused == 0 || nwaived < nused)
		return "open";
	return ndev == nused ? "deviation-approved" : "remediating";
}

static void
facet(struct jw *w, const char *name, const char *value)
{
	int open = 0;

	jw_obj(w);
	jw_kstr(w, "name", name);
	jw_kstr(w, "system", "https://fedramp.gov");
	jw_kstr(w, "value", value);
	oscal_prop(w, &open, NULL, "state", "initial");
	oscal_props_end(w, open);
	jw_end_obj(w);
}

static void
write_risk(struct oscal_ctx *x, size_t ci)
{
	const struct check_outcome *o = &x->r->checks[ci];
	struct jw *w = x->w;
	struct oscal_uuid u;
	struct strbuf sb;
	char deadline[32];
	int64_t t, due;
	int days, open = 0;
	size_t k, nrel = 0;

	jw_obj(w);
	jw_kstr(w, "uuid",
	    oscal_item_uuid(x, &u, "risk\n%s\n%zu", o->rule->id, ci));
	jw_kstr(w, "title", o->rule->title ? o->rule->title : o->rule->id);
	jw_kstr(w, "description",
	    o->rule->description ? o->rule->description : o->rule->id);
	sb_init(&sb);
	sb_printf(&sb, "check %s failed on %zu resource%s", o->rule->id,
	    o->counts[ST_FAIL], o->counts[ST_FAIL] == 1 ? "" : "s");
	oscal_kstr_sb(x, "statement", &sb);
	oscal_prop(w, &open, NULL, "check-id", o->rule->id);
	oscal_prop(
	    w, &open, NULL, "severity", severity_name(o->rule->severity));
	oscal_props_end(w, open);
	jw_kstr(w, "status", risk_status(x->r, o));
	write_origins(x);
	jw_key(w, "characterizations");
	jw_arr(w);
	jw_obj(w);
	jw_key(w, "origin");
	jw_obj(w);
	jw_key(w, "actors");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "type", "tool");
	jw_kstr(w, "actor-uuid", oscal_tool_uuid(x, &u));
	jw_end_obj(w);
	jw_end_arr(w);
	jw_end_obj(w);
	jw_key(w, "facets");
	jw_arr(w);
	/* A check's severity rates both: the tool knows no finer split. */
	facet(w, "likelihood", report_risk_word(o->rule->severity));
	facet(w, "impact", report_risk_word(o->rule->severity));
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_arr(w);
	if (parse_time(x->finished, &t) == 0) {
		days = poam_remediation_days(o->rule->severity);
		if (time_add_days(t, days > 0 ? days : 180, &due) == 0) {
			format_time(due, deadline);
			jw_kstr(w, "deadline", deadline);
		}
	}
	if (o->rule->remediation != NULL) {
		jw_key(w, "remediations");
		jw_arr(w);
		jw_obj(w);
		jw_kstr(w, "uuid",
		    oscal_item_uuid(
			x, &u, "remediation\n%s\n%zu", o->rule->id, ci));
		jw_kstr(w, "lifecycle", "recommendation");
		jw_kstr(w, "title", "Recommended remediation");
		jw_kstr(w, "description", o->rule->remediation);
		jw_end_obj(w);
		jw_end_arr(w);
	}
	for (k = 0; k < o->n; k++) {
		if (o->results[k].status != ST_FAIL)
			continue;
		if (nrel++ == 0) {
			jw_key(w, "related-observations");
			jw_arr(w);
		}
		jw_obj(w);
		jw_kstr(w, "observation-uuid",
		    oscal_item_uuid(x, &u, "observation\n%s\n%zu\n%zu",
			o->rule->id, ci, k));
		jw_end_obj(w);
	}
	if (nrel > 0)
		jw_end_arr(w);
	jw_end_obj(w);
}

/*
 * The one statement part every binding of co names (`objective:` in the
 * mapping), so the finding can target "<control>_obj.<part>"; NULL when
 * the bindings name none or several (the whole objective is targeted).
 */
static const char *
one_part(const struct control_outcome *co)
{
	const char *part = NULL;
	size_t j, k;

	for (j = 0; j < co->nchecks; j++) {
		if (co->checks[j].nobjective == 0)
			return NULL;
		for (k = 0; k < co->checks[j].nobjective; k++) {
			if (part == NULL)
				part = co->checks[j].objective[k];
			else if (strcmp(part, co->checks[j].objective[k]) != 0)
				return NULL;
		}
	}
	return part;
}

/*
 * The OSCAL state and reason of a control's status, and why it is not
 * satisfied (NULL for a pass, a failure and a waiver, whose reason says
 * it).  Only a pass is satisfied.  Everything else is not-satisfied with
 * the reason: a failure (waived or not), evidence that could not be
 * evaluated, evidence for part of the control only, a control left open,
 * and a control declared not applicable (the declaration is recorded,
 * but nothing was assessed that could satisfy it).  *remarks gets the
 * status's own remark when the control has none.
 */
static const char *
finding_state(
    const struct control_outcome *co, const char **reason, const char **remarks)
{
	*reason = "other";
	switch (co->status) {
	case ST_PASS:
		*reason = "pass";
		if (co->attestation != NULL && *remarks == NULL)
			*remarks = "decided by an attestation (manual "
				   "evidence, not verified by this scan)";
		return NULL;
	case ST_FAIL:
		*reason = "fail";
		return NULL;
	case ST_WAIVED:
		*reason = "fail";
		if (*remarks == NULL)
			*remarks = "failure accepted by a POA&M item: a known "
				   "deviation, not a pass";
		return NULL;
	case ST_PARTIAL:
		return "partial: automated evidence supports part of the "
		       "control; the rest is open until an attestation or "
		       "the provider's inheritance covers it";
	case ST_NOT_APPLICABLE:
		return "declared not applicable: recorded, but nothing was "
		       "assessed that could satisfy the control";
	case ST_MANUAL:
		return "open: no automated evidence and no valid attestation; "
		       "this scan does not decide the control";
	default:
		return "evidence could not be evaluated: missing data is "
		       "never a pass";
	}
}

/* "control X is S (N automated checks)" and parameter provenance. */
static void
finding_description(struct oscal_ctx *x, const struct control_outcome *co)
{
	const struct control *c = co->control;
	struct strbuf sb;
	size_t j, pi, mark;

	sb_init(&sb);
	sb_printf(&sb, "control %s is %s (%zu automated check%s%s)",
	    c->label ? c->label : c->id, status_name(co->status), co->nchecks,
	    co->nchecks == 1 ? "" : "s",
	    co->attestation != NULL ? ", attested" : "");
	/* Parameter provenance, as in every other format. */
	for (j = 0; j < co->nchecks; j++) {
		const struct check_outcome *po = co->checks[j].outcome;

		for (pi = 0;
		     po->param_src != NULL && po->param_src->type == DOC_MAP &&
		     pi < po->param_src->u.map.n;
		     pi++) {
			mark = sb.len;
			sb_printf(&sb, "; %s: ", po->rule->id);
			if (report_param_text(po, pi, &sb) != 1) {
				sb.len = mark;
				if (sb.s != NULL)
					sb.s[mark] = '\0';
			}
		}
	}
	oscal_kstr_sb(x, "description", &sb);
}

/*
 * The finding's related observations (the attestation, each observed
 * check) or related risks (each risky check): a check bound twice to a
 * control is listed once.
 */
static void
finding_related(
    struct oscal_ctx *x, const struct control_outcome *co, int risks)
{
	struct jw *w = x->w;
	struct oscal_uuid u;
	size_t j, k, n = 0;

	if (!risks && co->attestation != NULL) {
		n++;
		jw_key(w, "related-observations");
		jw_arr(w);
		jw_obj(w);
		jw_kstr(w, "observation-uuid",
		    oscal_item_uuid(x, &u, "observation\nattestation\n%s",
			co->control->id));
		jw_end_obj(w);
	}
	for (j = 0; j < co->nchecks; j++) {
		const struct check_outcome *o = co->checks[j].outcome;

		if (risks ? !risky(o) : !observed(o))
			continue;
		for (k = 0; k < j; k++)
			if (co->checks[k].outcome == o)
				break;
		if (k < j)
			continue;
		if (n++ == 0) {
			jw_key(w,
			    risks ? "related-risks" : "related-observations");
			jw_arr(w);
		}
		if (!risks) {
			write_related(x, check_index(x->r, o));
			continue;
		}
		jw_obj(w);
		jw_kstr(w, "risk-uuid",
		    oscal_item_uuid(x, &u, "risk\n%s\n%zu", o->rule->id,
			check_index(x->r, o)));
		jw_end_obj(w);
	}
	if (n > 0)
		jw_end_arr(w);
}

static void
write_finding(struct oscal_ctx *x, const struct control_outcome *co)
{
	const struct control *c = co->control;
	struct jw *w = x->w;
	struct oscal_uuid u;
	struct strbuf sb, rem;
	const char *reason, *remarks = co->note, *why, *part;
	size_t j;
	int open = 0;

	sb_init(&rem);
	why = finding_state(co, &reason, &remarks);
	if (why != NULL) {
		if (remarks != NULL)
			sb_printf(&rem, "%s (%s)", why, remarks);
		else
			sb_adds(&rem, why);
		remarks = rem.oom ? why : rem.s;
	}
	jw_obj(w);
	jw_kstr(w, "uuid", oscal_item_uuid(x, &u, "finding\n%s", c->id));
	sb_init(&sb);
	sb_printf(&sb, "%s %s", c->label ? c->label : c->id,
	    c->title ? c->title : "");
	oscal_kstr_sb(x, "title", &sb);
	finding_description(x, co);
	oscal_prop(w, &open, NULL, "control-id", c->id);
	oscal_prop(w, &open, NULL, "status", status_name(co->status));
	for (j = 0; j < co->nchecks; j++)
		if (co->checks[j].waiver != NULL)
			oscal_prop(w, &open, NULL, "poam-item",
			    co->checks[j].waiver->id);
	oscal_props_end(w, open);
	write_origins(x);
	jw_key(w, "target");
	jw_obj(w);
	jw_kstr(w, "type", "objective-id");
	sb_init(&sb);
	sb_printf(&sb, "%s_obj", c->id);
	if ((part = one_part(co)) != NULL)
		sb_printf(&sb, ".%s", part);
	oscal_kstr_sb(x, "target-id", &sb);
	jw_key(w, "status");
	jw_obj(w);
	jw_kstr(
	    w, "state", co->status == ST_PASS ? "satisfied" : "not-satisfied");
	jw_kstr(w, "reason", reason);
	jw_end_obj(w);
	if (remarks != NULL)
		jw_kstr(w, "remarks", remarks);
	jw_end_obj(w);
	finding_related(x, co, 0);
	finding_related(x, co, 1);
	jw_end_obj(w);
	sb_free(&rem);
}

static int
cmp_res(const void *a, const void *b)
{
	const struct check_result *x = *(const struct check_result *const *)a;
	const struct check_result *y = *(const struct check_result *const *)b;
	int c;

	c = strcmp(x->resource_type ? x->resource_type : "",
	    y->resource_type ? y->resource_type : "");
	if (c != 0)
		return c;
	return strcmp(x->resource_id ? x->resource_id : "",
	    y->resource_id ? y->resource_id : "");
}

/*
 * local-definitions: one inventory item per scanned resource (listed
 * results, sorted by type and id, each once) and the tool as the
 * assessment asset.  0 or -1 (no memory).
 */
static int
write_local_definitions(struct oscal_ctx *x)
{
	const struct assessment *r = x->r;
	struct jw *w = x->w;
	const struct check_result **v;
	struct oscal_uuid u;
	struct strbuf sb;
	size_t i, k, n = 0, total = 0;
	int open;

	for (i = 0; i < r->nchecks; i++)
		total += r->checks[i].n;
	if ((v = lib_calloc(total + 1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < r->nchecks; i++)
		for (k = 0; k < r->checks[i].n; k++)
			v[n++] = &r->checks[i].results[k];
	qsort(v, n, sizeof(*v), cmp_res);
	jw_key(w, "local-definitions");
	jw_obj(w);
	for (i = 0, k = 0; i < n; i++) {
		if (i > 0 && cmp_res(&v[i - 1], &v[i]) == 0)
			continue;
		if (k++ == 0) {
			jw_key(w, "inventory-items");
			jw_arr(w);
		}
		jw_obj(w);
		jw_kstr(w, "uuid",
		    oscal_resource_uuid(
			x, &u, v[i]->resource_type, v[i]->resource_id));
		sb_init(&sb);
		sb_printf(&sb, "%s %s",
		    v[i]->resource_type ? v[i]->resource_type : "?",
		    v[i]->resource_id ? v[i]->resource_id : "?");
		oscal_kstr_sb(x, "description", &sb);
		open = 0;
		oscal_prop(
		    w, &open, OSCAL_FEDRAMP_NS, "asset-id", v[i]->resource_id);
		oscal_prop(
		    w, &open, NULL, "resource-type", v[i]->resource_type);
		oscal_prop(w, &open, NULL, "region", v[i]->region);
		oscal_props_end(w, open);
		jw_end_obj(w);
	}
	if (k > 0)
		jw_end_arr(w);
	oscal_assessment_assets(x);
	jw_end_obj(w);
	lib_free(v);
	return 0;
}

/* The result's title, description (verdict and counts) and props. */
static void
result_head(struct oscal_ctx *x)
{
	const struct assessment *r = x->r;
	struct jw *w = x->w;
	struct oscal_uuid u;
	struct strbuf sb;
	int open = 0;

	jw_kstr(w, "uuid", oscal_item_uuid(x, &u, "result"));
	sb_init(&sb);
	sb_printf(&sb, "rampart scan against %s", r->bl->id);
	oscal_kstr_sb(x, "title", &sb);
	sb_init(&sb);
	sb_printf(&sb,
	    "verdict: %s; controls: %zu pass, %zu fail, %zu error, "
	    "%zu partial, %zu waived, %zu not applicable, %zu manual, "
	    "%zu inherited",
	    verdict_name(r->verdict), r->count_controls[ST_PASS],
	    r->count_controls[ST_FAIL], r->count_controls[ST_ERROR],
	    r->count_controls[ST_PARTIAL], r->count_controls[ST_WAIVED],
	    r->count_controls[ST_NOT_APPLICABLE], r->count_controls[ST_MANUAL],
	    r->count_controls[ST_INHERITED]);
	if (report_gate_note(r) != NULL)
		sb_printf(&sb, "; %s", report_gate_note(r));
	oscal_kstr_sb(x, "description", &sb);
	jw_kstr(w, "start", x->started);
	jw_kstr(w, "end", x->finished);
	oscal_prop(w, &open, NULL, "verdict", verdict_name(r->verdict));
	oscal_prop(w, &open, NULL, "gate", gate_name(r->opts.gate));
	if (report_gate_result(r) != NULL)
		oscal_prop(
		    w, &open, NULL, "gate-result", report_gate_result(r));
	if (r->opts.sel.text != NULL)
		oscal_prop(w, &open, NULL, "selection", r->opts.sel.text);
	oscal_prop(w, &open, NULL, "baseline-id", r->bl->id);
	oscal_prop(w, &open, NULL, "baseline-impact", r->bl->impact);
	oscal_prop(w, &open, NULL, "baseline-sha256", r->bl->sha256);
	oscal_props_end(w, open);
}

/* Open the array `key` before its first element (*n counts them). */
static void
array_item(struct jw *w, const char *key, size_t *n)
{
	if ((*n)++ == 0) {
		jw_key(w, key);
		jw_arr(w);
	}
}

/*
 * The one result: observations (each observed check's results, its
 * missing evidence, each attestation), risks, and a finding for every
 * control but the inherited ones (the provider's authorization decides
 * those): open controls are not-satisfied findings, so a reader never
 * takes silence for a pass.  0 or -1.
 */
static int
write_result(struct oscal_ctx *x)
{
	const struct assessment *r = x->r;
	struct jw *w = x->w;
	size_t i, k, nobs = 0, nfind = 0, nrisk = 0;
	int rc = 0;

	result_head(x);
	if (write_local_definitions(x) == -1)
		rc = -1;
	oscal_reviewed_controls(x);
	for (i = 0; i < r->nchecks; i++) {
		if (!observed(&r->checks[i]))
			continue;
		array_item(w, "observations", &nobs);
		if (report_missing(&r->checks[i]) != NULL ||
		    r->checks[i].n == 0)
			write_missing(x, i);
		for (k = 0; k < r->checks[i].n; k++)
			write_observation(x, i, k);
	}
	for (i = 0; i < r->ncontrols; i++) {
		if (r->controls[i].attestation == NULL)
			continue;
		array_item(w, "observations", &nobs);
		write_attestation(x, &r->controls[i]);
	}
	if (nobs > 0)
		jw_end_arr(w);
	for (i = 0; i < r->nchecks; i++) {
		if (!risky(&r->checks[i]))
			continue;
		array_item(w, "risks", &nrisk);
		write_risk(x, i);
	}
	if (nrisk > 0)
		jw_end_arr(w);
	for (i = 0; i < r->ncontrols; i++) {
		if (r->controls[i].control->resp == RESP_INHERITED)
			continue;
		array_item(w, "findings", &nfind);
		write_finding(x, &r->controls[i]);
	}
	if (nfind > 0)
		jw_end_arr(w);
	return rc;
}

int
report_oscal_ar(
    FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	struct jw w;
	struct oscal_ctx x;
	struct strbuf sb;
	int rc;

	if (oscal_begin(&x, &w, r, o, "assessment-results") == -1)
		return -1;
	jw_init(&w, fp);
	jw_obj(&w);
	jw_key(&w, "assessment-results");
	jw_obj(&w);
	jw_kstr(&w, "uuid", x.doc.s);
	sb_init(&sb);
	sb_printf(&sb, "rampart assessment results: %s",
	    r->bl->title ? r->bl->title : r->bl->id);
	oscal_metadata(&x, sb.s);
	sb_free(&sb);
	jw_key(&w, "import-ap");
	jw_obj(&w);
	/* Relative to this file, as FedRAMP's tools want it. */
	jw_kstr(&w, "href", OSCAL_AP_FILENAME);
	jw_kstr(&w, "remarks",
	    "the assessment plan rampart wrote beside these results: "
	    "baseline, tool, inputs and the controls assessed");
	jw_end_obj(&w);
	jw_key(&w, "results");
	jw_arr(&w);
	jw_obj(&w);
	rc = write_result(&x);
	jw_end_obj(&w);
	jw_end_arr(&w);
	oscal_back_matter_inputs(&x, NULL, NULL, NULL);
	jw_end_obj(&w);
	jw_end_obj(&w);
	if (jw_finish(&w) == -1 || x.err || rc == -1)
		return -1;
	return 0;
}
