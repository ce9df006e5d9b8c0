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
