/*
 * decide.c: the decision model (docs/decisions.md).  How the checks bound
 * to a control, the user's declarations, attestations, the provider's CRM
 * and the POA&M make its status, and how control statuses make the
 * verdict.  These are pure functions of their inputs, tested as tables
 * (tests/unit/test_decide.c); the engine only gathers their inputs.
 *
 * The rules, most decisive first:
 *   fail     a bound check fails (not waived); also when the CRM or an
 *            attestation says otherwise: the conflict is named, never a
 *            silent pass
 *   not_applicable  declared by the user (scope file) with a reason, or
 *            by the baseline's own LI-SaaS tailoring (NSO, FED)
 *   error    a bound check could not be evaluated
 *   inherited  the provider's CRM covers it
 *   pass     a valid attestation covers what the checks do not, or every
 *            binding is `decides: full` and passed (waived: `waived`)
 *   partial  checks support part of the control; the rest is open
 *   manual   nothing decides it (no binding, or every check found
 *            nothing in scope), or a bound check was not run (the
 *            run's selection left it out: a tailored scan never passes
 *            a control it did not fully check)
 */
#include <string.h>

#include "rules/rules.h"

/*
 * How many methods of the comma-separated list m (may be NULL) are x;
 * *total receives how many there are.
 */
static size_t
method_count(const char *m, const char *x, size_t *total)
{
	size_t n = strlen(x), hits = 0;
	const char *p;

	*total = 0;
	for (p = m; p != NULL && *p != '\0'; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		while (*p == ' ')
			p++;
		(*total)++;
		if (strncmp(p, x, n) == 0 &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			hits++;
	}
	return hits;
}

/* Whether the method list m names method x. */
static int
method_has(const char *m, const char *x)
{
	size_t total;

	return method_count(m, x, &total) > 0;
}

/* Whether every method in the list is x (and there is one at least). */
static int
method_only(const char *m, const char *x)
{
	size_t total, hits = method_count(m, x, &total);

	return total > 0 && hits == total;
}

/* The first binding with status s, or NULL. */
static const struct decide_binding *
first_with(const struct decide_control_in *in, enum status s)
{
	size_t i;

	for (i = 0; i < in->nb; i++)
		if (in->b[i].status == s)
			return &in->b[i];
	return NULL;
}

/* The note of a failure that contradicts a claim of the CRM or user. */
static const char *
conflict_note(struct arena *a, const struct decide_control_in *in,
    const struct decide_binding *f)
{
	if (in->crm == CRM_INHERITED)
		return arena_printf(a,
		    "conflict: the CRM of %s marks this control inherited, "
		    "but check '%s' fails",
		    in->crm_provider ? in->crm_provider : "the provider",
		    f->check_id);
	if (in->attested_by != NULL)
		return arena_printf(a,
		    "conflict: attested by %s, but check '%s' fails",
		    in->attested_by, f->check_id);
	if (in->declared_na != NULL)
		return arena_printf(a,
		    "conflict: declared not applicable (%s), but check '%s' "
		    "fails",
		    in->declared_na, f->check_id);
	return NULL;
}

void
decide_control(struct arena *a, const struct decide_control_in *in,
    struct decide_control_out *out)
{
	const struct decide_binding *f;
	size_t i, npass = 0, nwaived = 0, nfull = 0;
	int attest_needed =
	    in->method != NULL && method_has(in->method, "ATTEST");

	memset(out, 0, sizeof(*out));
	if ((f = first_with(in, ST_FAIL)) != NULL) {
		out->status = ST_FAIL;
		out->note = conflict_note(a, in, f);
		return;
	}
	if (in->declared_na != NULL) {
		out->status = ST_NOT_APPLICABLE;
		f = first_with(in, ST_ERROR);
		out->note = f != NULL
		    ? arena_printf(a,
			  "declared not applicable: %s (check '%s' could not "
			  "be evaluated: see the evidence gaps)",
			  in->declared_na, f->check_id)
		    : arena_printf(
			  a, "declared not applicable: %s", in->declared_na);
		return;
	}
	if ((f = first_with(in, ST_ERROR)) != NULL) {
		out->status = ST_ERROR;
		out->note = arena_printf(a,
		    "check '%s' could not be evaluated: the control stays "
		    "undecided",
		    f->check_id);
		return;
	}
	if (method_only(in->method, "NSO")) {
		out->status = ST_NOT_APPLICABLE;
		out->note = "FedRAMP LI-SaaS method NSO: no security objective "
			    "for this control in the tailored baseline";
		return;
	}
	if (method_only(in->method, "FED")) {
		out->status = ST_NOT_APPLICABLE;
		out->note = "FedRAMP LI-SaaS method FED: the federal agency's "
			    "responsibility, not the provider's";
		return;
	}
	if ((f = first_with(in, ST_MANUAL)) != NULL) {
		out->status = ST_MANUAL;
		out->open = 1;
		out->note = arena_printf(a,
		    "check '%s' %s; the control stays open", f->check_id,
		    f->not_run != NULL ? f->not_run : "not run");
		return;
	}
	if (in->crm == CRM_INHERITED) {
		out->status = ST_INHERITED;
		return;
	}
	if (in->attested_by != NULL) {
		out->status = ST_PASS;
		return;
	}
	for (i = 0; i < in->nb; i++) {
		if (in->b[i].status == ST_PASS)
			npass++;
		else if (in->b[i].status == ST_WAIVED)
			nwaived++;
		if (in->b[i].full)
			nfull++;
	}
	if (in->nb == 0) {
		out->status = ST_MANUAL;
		out->open = 1;
		out->note = attest_needed
		    ? "FedRAMP LI-SaaS method ATTEST: needs an attestation"
		    : NULL;
		return;
	}
	if (npass + nwaived == 0) {
		out->status = ST_MANUAL;
		out->open = 1;
		out->note = "no resource in scope for any of its checks: not "
			    "evidenced by this scan";
		return;
	}
	if (nfull == in->nb && !attest_needed) {
		out->status = nwaived > 0 ? ST_WAIVED : ST_PASS;
		return;
	}
	out->status = ST_PARTIAL;
	out->open = 1;
	out->note = attest_needed
	    ? "FedRAMP LI-SaaS method ATTEST: the checks support it, an "
	      "attestation must decide it"
	    : "the checks decide part of the control (decides: part): "
	      "attest the rest, or have the provider's CRM cover it";
}

enum verdict
decide_verdict(const size_t counts[ST_COUNT])
{
	if (counts[ST_FAIL] > 0)
		return VERDICT_NOT_ELIGIBLE;
	if (counts[ST_ERROR] > 0 || counts[ST_PARTIAL] > 0 ||
	    counts[ST_MANUAL] > 0)
		return VERDICT_INCOMPLETE;
	return VERDICT_ELIGIBLE;
}

enum verdict
decide_gate_checks(const size_t counts[ST_COUNT])
{
	if (counts[ST_FAIL] > 0)
		return VERDICT_NOT_ELIGIBLE;
	if (counts[ST_ERROR] > 0)
		return VERDICT_INCOMPLETE;
	return VERDICT_ELIGIBLE;
}

const char *
gate_name(enum gate g)
{
	return g == GATE_CHECKS ? "checks" : "eligibility";
}

/*
 * ------------------------------------------------ controls and verdict
 *
 * decide() below gathers what decides each control of an assessment
 * from the assessment alone: its check outcomes and the definitions it
 * names (baseline, POA&M, attestations, CRM, scope, options).
 */

/*
 * The POA&M item waiving a failure (poam_item_waives()), or NULL; a
 * matching item that waives nothing goes to *expired (expired) or
 * *tracked (an open weakness without an approved deviation).
 */
static const struct poam_item *
poam_cover(const struct assessment *as, const struct control *c,
    const struct check_outcome *o, const char *resource,
    const struct poam_item **expired, const struct poam_item **tracked)
{
	const struct poam_item *it;
	size_t i;

	if (as->poam == NULL)
		return NULL;
	for (i = 0; i < as->poam->n; i++) {
		it = &as->poam->items[i];
		if (strcmp(it->control, c->id) != 0)
			continue;
		if (it->check != NULL && strcmp(it->check, o->rule->id) != 0)
			continue;
		if (it->resource != NULL &&
		    (resource == NULL || !glob_match(it->resource, resource)))
			continue;
		if (it->expires <= as->opts.now) {
			*expired = it;
			continue;
		}
		if (!poam_item_waives(it, as->opts.now)) {
			*tracked = it;
			continue;
		}
		return it;
	}
	return NULL;
}

/*
 * How one check counts for one control, after POA&M.  A waiver covers
 * failures only: when the check also errored or lacks evidence, it stays
 * `error` after its failures are waived (a waiver never hides a gap).
 */
static void
control_check_status(const struct assessment *as, const struct control *c,
    struct control_check_outcome *cco)
{
	const struct check_outcome *o = cco->outcome;
	const struct poam_item *it, *cover = NULL, *exp = NULL, *trk = NULL;
	size_t i, listed = 0;

	cco->status = o->status;
	if (o->status != ST_FAIL)
		return;
	for (i = 0; i < o->n; i++) {
		if (o->results[i].status != ST_FAIL)
			continue;
		listed++;
		it =
		    poam_cover(as, c, o, o->results[i].resource_id, &exp, &trk);
		if (it == NULL) {
			cco->expired = exp;
			cco->tracked = trk;
			return;
		}
		cover = it;
	}
	/* Failures beyond the listing cap: only a resource-wide item. */
	if (listed < o->counts[ST_FAIL]) {
		it = poam_cover(as, c, o, NULL, &exp, &trk);
		if (it == NULL) {
			cco->expired = exp;
			cco->tracked = trk;
			return;
		}
		cover = it;
	}
	if (cover != NULL) {
		/* outcome_status() leaves o->why set on a failing check
		 * only when evidence of one of its types is missing. */
		cco->status = o->counts[ST_ERROR] > 0 || o->why != NULL
		    ? ST_ERROR
		    : ST_WAIVED;
		cco->waiver = cover;
	}
}

/*
 * How each control was decided: by automated checks, by attestation,
 * inherited from the provider, declared not applicable, or left open
 * (nothing decides it, or checks decide only part).
 */
static void
coverage(struct assessment *as)
{
	const struct control_outcome *co;
	size_t i;

	memset(&as->cov, 0, sizeof(as->cov));
	for (i = 0; i < as->ncontrols; i++) {
		co = &as->controls[i];
		if (co->status == ST_INHERITED)
			as->cov.inherited++;
		else if (co->status == ST_NOT_APPLICABLE)
			as->cov.declared++;
		else if (co->open)
			as->cov.open++;
		else if (co->attestation != NULL && co->status == ST_PASS)
			as->cov.attested++;
		else
			as->cov.automated++;
	}
}

/* The note a POA&M item leaves on a control, or NULL. */
static const char *
poam_note(struct assessment *as, const struct control_check_outcome *cco)
{
	if (cco->expired != NULL && cco->status == ST_FAIL)
		return arena_printf(as->a,
		    "POA&M item '%s' expired on %s and no longer waives this "
		    "failure",
		    cco->expired->id, cco->expired->expires_text);
	if (cco->tracked != NULL && cco->status == ST_FAIL)
		return arena_printf(as->a,
		    "POA&M item '%s' tracks this failure as an open weakness "
		    "and waives nothing (no false_positive or "
		    "operational_requirement deviation approved by now)",
		    cco->tracked->id);
	if (cco->waiver != NULL && cco->status == ST_ERROR)
		return arena_printf(as->a,
		    "failure waived by POA&M item '%s' until %s, but the "
		    "check could not be evaluated on all its evidence",
		    cco->waiver->id, cco->waiver->expires_text);
	if (cco->waiver != NULL)
		return arena_printf(as->a,
		    "failure waived by POA&M item '%s' until %s",
		    cco->waiver->id, cco->waiver->expires_text);
	return NULL;
}

/*
 * Gather what decides control co (its bindings after POA&M, the CRM, a
 * valid attestation, the scope file) and let decide_control() decide.
 */
static int
finish_control(
    struct assessment *as, struct diag *d, struct control_outcome *co)
{
	const struct control *c = co->control;
	const struct attestation *at, *stale = NULL;
	struct decide_binding *b = NULL;
	struct decide_control_in in;
	struct decide_control_out out;
	const char *pnote = NULL, *n;
	size_t j;

	memset(&in, 0, sizeof(in));
	if (co->nchecks > 0 &&
	    (b = arena_alloc(as->a, co->nchecks * sizeof(*b))) == NULL)
		return diag_sys(d, NULL, "out of memory");
	for (j = 0; j < co->nchecks; j++) {
		control_check_status(as, c, &co->checks[j]);
		/* A provider the workload does not use decides nothing. */
		if (co->checks[j].outcome->absent)
			continue;
		as->count_bindings[co->checks[j].status]++;
		b[in.nb].status = co->checks[j].status;
		b[in.nb].full = co->checks[j].full;
		b[in.nb].check_id = co->checks[j].outcome->rule->id;
		b[in.nb].not_run = co->checks[j].outcome->not_run;
		in.nb++;
		if ((n = poam_note(as, &co->checks[j])) != NULL)
			pnote = n;
	}
	in.b = b;
	in.crm = c->resp == RESP_INHERITED ? CRM_INHERITED : c->crm;
	in.crm_provider = c->crm_provider;
	in.method = c->method;
	if ((co->declared = scope_control(as->scope, c->id)) != NULL)
		in.declared_na = co->declared->reason;
	at = attest_find(as->attest, c->id, as->opts.now, &stale);
	if (at != NULL) {
		co->attestation = at;
		in.attested_by = at->attested_by;
	}
	decide_control(as->a, &in, &out);
	co->status = out.status;
	co->open = out.open;
	co->note = out.note;
	if (pnote != NULL)
		co->note = co->note == NULL
		    ? pnote
		    : arena_printf(as->a, "%s; %s", co->note, pnote);
	if (co->note == NULL && at == NULL && stale != NULL)
		co->note = arena_printf(as->a,
		    stale->date > as->opts.now
			? "attestation by %s is dated %s, after this evaluation"
			: "attestation by %s expired on %s",
		    stale->attested_by,
		    stale->date > as->opts.now ? stale->date_text
					       : stale->expires_text);
	return 0;
}

int
decide(struct assessment *as, struct diag *d)
{
	struct control_outcome *co;
	size_t i;

	memset(as->count_controls, 0, sizeof(as->count_controls));
	memset(as->count_bindings, 0, sizeof(as->count_bindings));
	for (i = 0; i < as->ncontrols; i++) {
		co = &as->controls[i];
		if (finish_control(as, d, co) == -1)
			return -1;
		as->count_controls[co->status]++;
	}
	coverage(as);
	/*
	 * The verdict is always the eligibility decision; --gate checks
	 * changes only the exit code, so no report, and no signature,
	 * states "eligible" for a run whose controls are open.
	 */
	as->verdict = decide_verdict(as->count_controls);
	as->exit_verdict = as->opts.gate == GATE_CHECKS
	    ? decide_gate_checks(as->count_bindings)
	    : as->verdict;
	return 0;
}
