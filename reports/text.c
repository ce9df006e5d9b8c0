/*
 * text.c: the report for a person at a terminal.  The verdict comes
 * first, then the counts, then what failed (every failing
 * resource up to --max-items, evidence, remediation), what could not be
 * evaluated, the evidence gaps (every errored result with its reason,
 * also inside failing controls), partial and waived controls, and a
 * per-family summary.  Colour only when asked (a tty without NO_COLOR).
 */
#include <string.h>

#include "reports/report.h"

struct tctx {
	FILE *fp;
	int color;
	size_t max; /* resources shown per check and status */
};

static const char *
col(const struct tctx *t, enum status s)
{
	if (!t->color)
		return "";
	switch (s) {
	case ST_PASS:
		return "\033[32m";
	case ST_FAIL:
		return "\033[1;31m";
	case ST_ERROR:
		return "\033[33m";
	case ST_WAIVED:
		return "\033[36m";
	case ST_PARTIAL:
		return "\033[35m";
	default:
		return "\033[2m";
	}
}

static const char *
off(const struct tctx *t)
{
	return t->color ? "\033[0m" : "";
}

static void
counts_line(
    const struct tctx *t, const char *what, const size_t *n, int controls)
{
	int i, first = 1;

	fprintf(t->fp, "%-9s", what);
	for (i = 0; i < ST_COUNT; i++) {
		if (!controls && i >= ST_MANUAL && i != ST_WAIVED)
			continue;
		fprintf(t->fp, "%s %s%zu %s%s", first ? "" : ",",
		    n[i] ? col(t, (enum status)i) : "", n[i],
		    status_name((enum status)i), n[i] ? off(t) : "");
		first = 0;
	}
	fputc('\n', t->fp);
}

static void
show_result(const struct tctx *t, const struct check_result *res)
{
	size_t j;

	fputs("      ", t->fp);
	text_escape(t->fp, res->resource_type ? res->resource_type : "?");
	fputc(' ', t->fp);
	text_escape(t->fp, res->resource_id ? res->resource_id : "(listing)");
	if (res->region != NULL) {
		fputs(" (", t->fp);
		text_escape(t->fp, res->region);
		fputc(')', t->fp);
	}
	fputs(": ", t->fp);
	text_escape(t->fp,
	    res->message && res->message[0] ? res->message
					    : status_name(res->status));
	fputc('\n', t->fp);
	for (j = 0; j < res->nev && j < 4; j++) {
		fputs("        evidence: ", t->fp);
		text_escape(t->fp, res->ev[j].path);
		fputs(" = ", t->fp);
		text_escape(
		    t->fp, res->ev[j].value ? res->ev[j].value : "(absent)");
		if (res->ev[j].source.file != NULL) {
			fputs("  [", t->fp);
			text_escape(t->fp, res->ev[j].source.file);
			fprintf(t->fp, ":%u:%u]", res->ev[j].source.line,
			    res->ev[j].source.col);
		}
		fputc('\n', t->fp);
	}
}

/*
 * The results of o in status want, at most t->max, then how many were
 * cut: by --max-items here, by --max-results in the engine (the counts
 * stay exact either way).
 */
static void
show_results(
    const struct tctx *t, const struct check_outcome *o, enum status want)
{
	size_t i, shown = 0, listed = report_listed(o, want);
	char a[32], b[32];

	for (i = 0; i < o->n; i++) {
		if (o->results[i].status != want)
			continue;
		if (shown >= t->max)
			break;
		shown++;
		show_result(t, &o->results[i]);
	}
	if (o->counts[want] > shown) {
		fprintf(t->fp, "      ... and %s more %s resources",
		    report_count_text(o->counts[want] - shown, a),
		    want == ST_FAIL        ? "failing"
			: want == ST_ERROR ? "errored"
					   : "passing");
		if (listed < o->counts[want])
			fprintf(t->fp, " (%s listed of %s: --max-results)",
			    report_count_text(listed, a),
			    report_count_text(o->counts[want], b));
		else
			fputs(" (--max-items)", t->fp);
		fputc('\n', t->fp);
	}
}

/*
 * The parameters of a check that a baseline set or tried to set, with
 * their provenance: `max_unused_days = 90 from ac-02.03_odp.02 "ninety
 * (90) days"`.  Plain defaults are not repeated.
 */
static void
show_params(const struct tctx *t, const struct check_outcome *o)
{
	struct strbuf sb;
	size_t i;

	for (i = 0; i < report_nparams(o); i++) {
		sb_init(&sb);
		if (report_param_text(o, i, &sb) == 1) {
			fputs("      ", t->fp);
			text_escape(t->fp, sb.s);
			fputc('\n', t->fp);
		}
		sb_free(&sb);
	}
}

static void
check_line(const struct tctx *t, const struct control_check_outcome *cc)
{
	const struct rule *ru = cc->outcome->rule;

	fprintf(t->fp, "    %s%s%s ", col(t, cc->status),
	    status_name(cc->status), off(t));
	text_escape(t->fp, ru->id);
	fprintf(t->fp, " [%s] ", severity_name(ru->severity));
	text_escape(t->fp, ru->title);
	fputc('\n', t->fp);
}

/* Errored resources of o, said in one line (EVIDENCE GAPS lists them). */
static void
errors_pointer(const struct tctx *t, const struct check_outcome *o)
{
	char a[32];

	if (o->counts[ST_ERROR] > 0)
		fprintf(t->fp,
		    "      %s resource%s could not be evaluated: see "
		    "EVIDENCE GAPS\n",
		    report_count_text(o->counts[ST_ERROR], a),
		    o->counts[ST_ERROR] == 1 ? "" : "s");
	else if (o->status == ST_ERROR && o->n == 0)
		fputs("      evidence is missing: see EVIDENCE GAPS\n", t->fp);
}

/*
 * Print every control whose status is s with each of its checks that is
 * not a plain pass: failing resources in full, errored ones pointed to
 * the EVIDENCE GAPS section (so an error is never hidden by a failure of
 * the same control), the remediation.
 */
static size_t
section(
    const struct tctx *t, const struct run *r, enum status s, const char *title)
{
	const struct control_outcome *co;
	const struct control_check_outcome *cc;
	const struct rule *ru;
	size_t i, j, n = 0;

	for (i = 0; i < r->ncontrols; i++) {
		co = &r->controls[i];
		if (co->status != s)
			continue;
		if (n++ == 0)
			fprintf(t->fp, "\n%s%s%s\n", col(t, s), title, off(t));
		fprintf(t->fp, "  %s", col(t, s));
		text_escape(t->fp, co->control->label);
		fprintf(t->fp, "%s  ", off(t));
		text_escape(t->fp, co->control->title);
		fputc('\n', t->fp);
		if (co->note != NULL) {
			fputs("    note: ", t->fp);
			text_escape(t->fp, co->note);
			fputc('\n', t->fp);
		}
		if (s == ST_PARTIAL && co->note == NULL)
			fputs("    the checks support part of this control; "
			      "the rest is open until an attestation or the "
			      "provider's inheritance covers it\n",
			    t->fp);
		for (j = 0; j < co->nchecks; j++) {
			cc = &co->checks[j];
			if (s != ST_PASS && s != ST_PARTIAL &&
			    (cc->status == ST_PASS ||
				cc->status == ST_NOT_APPLICABLE))
				continue;
			ru = cc->outcome->rule;
			check_line(t, cc);
			show_params(t, cc->outcome);
			if (cc->status == ST_FAIL || cc->status == ST_WAIVED)
				show_results(t, cc->outcome, ST_FAIL);
			if (cc->waiver != NULL) {
				fputs("      waived by POA&M item ", t->fp);
				text_escape(t->fp, cc->waiver->id);
				fputs(" until ", t->fp);
				text_escape(t->fp, cc->waiver->expires_text);
				fputc('\n', t->fp);
			}
			errors_pointer(t, cc->outcome);
			if ((cc->status == ST_FAIL ||
				cc->status == ST_WAIVED) &&
			    ru->remediation != NULL) {
				fputs("      remediation: ", t->fp);
				text_escape(t->fp, ru->remediation);
				fputc('\n', t->fp);
			}
			if (s == ST_PASS)
				show_results(t, cc->outcome, ST_PASS);
		}
	}
	return n;
}

/* The labels of the controls that use check outcome o. */
static void
control_labels(
    const struct tctx *t, const struct run *r, const struct check_outcome *o)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->ncontrols; i++)
		for (j = 0; j < r->controls[i].nchecks; j++)
			if (r->controls[i].checks[j].outcome == o) {
				fputs(n++ ? ", " : "  [", t->fp);
				text_escape(
				    t->fp, r->controls[i].control->label);
				break;
			}
	if (n > 0)
		fputc(']', t->fp);
}

/*
 * Every check that could not evaluate some resource, or saw no evidence
 * at all, with each errored resource and its reason: whatever the status
 * of the controls using it, since an error inside a failing control is
 * evidence missing all the same.
 */
static void
gaps(const struct tctx *t, const struct run *r)
{
	const struct check_outcome *o;
	const struct rule *ru;
	size_t i, n = 0;

	for (i = 0; i < r->nchecks; i++) {
		o = &r->checks[i];
		ru = o->rule;
		if (!report_gap(o))
			continue;
		if (n++ == 0)
			fprintf(t->fp,
			    "\n%sEVIDENCE GAPS (could not evaluate: never a "
			    "pass)%s\n",
			    col(t, ST_ERROR), off(t));
		fputs("  ", t->fp);
		text_escape(t->fp, ru->id);
		control_labels(t, r, o);
		fputc('\n', t->fp);
		if (report_missing(o) != NULL) {
			fputs("      ", t->fp);
			text_escape(t->fp, report_missing(o));
			fputc('\n', t->fp);
		}
		if (o->counts[ST_ERROR] > 0)
			show_results(t, o, ST_ERROR);
	}
}

static void
families(const struct tctx *t, const struct run *r)
{
	const char *fam[64];
	size_t cnt[64][ST_COUNT], nf = 0, i, f;
	int s;

	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < r->ncontrols; i++) {
		const char *fm = r->controls[i].control->family;

		for (f = 0; f < nf; f++)
			if (strcmp(fam[f], fm) == 0)
				break;
		if (f == nf) {
			if (nf == 64)
				continue;
			fam[nf++] = fm;
		}
		cnt[f][r->controls[i].status]++;
	}
	fprintf(t->fp, "\nBY FAMILY\n  %-6s", "family");
	for (s = 0; s < ST_COUNT; s++)
		fprintf(t->fp, " %9.9s",
		    s == ST_NOT_APPLICABLE ? "n/a"
					   : status_name((enum status)s));
	fputc('\n', t->fp);
	for (f = 0; f < nf; f++) {
		fputs("  ", t->fp);
		text_escape(t->fp, fam[f]);
		fprintf(t->fp, "%*s",
		    (int)(strlen(fam[f]) < 6 ? 6 - strlen(fam[f]) : 0), "");
		for (s = 0; s < ST_COUNT; s++)
			fprintf(t->fp, " %9zu", cnt[f][s]);
		fputc('\n', t->fp);
	}
}

/*
 * Manual controls decided by attestation (a pass on someone's word, so
 * shown apart from automated passes), and stale attestations.
 */
static void
attested(const struct tctx *t, const struct run *r)
{
	const struct control_outcome *co;
	const struct attestation *at;
	size_t i, n = 0;

	for (i = 0; i < r->ncontrols; i++) {
		co = &r->controls[i];
		if ((at = co->attestation) == NULL &&
		    !(co->status == ST_MANUAL && co->note != NULL))
			continue;
		if (n++ == 0)
			fprintf(t->fp,
			    "\nATTESTED (manual evidence, not "
			    "verified by this scan)\n");
		fputs("  ", t->fp);
		text_escape(t->fp, co->control->label);
		if (at == NULL) {
			fputs("  still manual: ", t->fp);
			text_escape(t->fp, co->note);
			fputc('\n', t->fp);
			continue;
		}
		fputs("  attested by ", t->fp);
		text_escape(t->fp, at->attested_by);
		fprintf(t->fp, " on %s, expires %s, %zu evidence reference%s\n",
		    at->date_text, at->expires_text, at->nevidence,
		    at->nevidence == 1 ? "" : "s");
	}
}

int
report_text(FILE *fp, const struct run *r, const struct report_opts *o)
{
	struct tctx t = { fp, o->color,
		report_max_items(o, REPORT_DEFAULT_MAX_ITEMS) };
	const char *v;
	enum status vs;
	size_t i, checks[ST_COUNT];

	switch (r->verdict) {
	case VERDICT_ELIGIBLE:
		v = "ELIGIBLE";
		vs = ST_PASS;
		break;
	case VERDICT_NOT_ELIGIBLE:
		v = "NOT ELIGIBLE";
		vs = ST_FAIL;
		break;
	default:
		v = "INCOMPLETE";
		vs = ST_ERROR;
		break;
	}
	fprintf(fp, "%sverdict: %s%s  baseline ", col(&t, vs), v, off(&t));
	text_escape(fp, r->bl->id);
	fputs(" (", fp);
	text_escape(fp, r->bl->title ? r->bl->title : "");
	fputs(", impact ", fp);
	text_escape(fp, r->bl->impact ? r->bl->impact : "unset");
	fputs(")\n", fp);
	if (report_gate_note(r) != NULL)
		fprintf(
		    fp, "%s%s%s\n", col(&t, vs), report_gate_note(r), off(&t));
	if (r->opts.sel.text != NULL) {
		fputs("selection: ", fp);
		text_escape(fp, r->opts.sel.text);
		fputs(" (a tailored scan: controls of checks not run stay "
		      "open)\n",
		    fp);
	}
	if (o->new_since != NULL) {
		fputs("new since ", fp);
		text_escape(fp, o->new_since);
		fprintf(fp,
		    ": %zu new failing finding%s; known (already there): "
		    "%zu\n",
		    o->nnew, o->nnew == 1 ? "" : "s", o->nknown);
	}
	fprintf(fp,
	    "coverage: %zu controls: %zu automated, %zu attested, "
	    "%zu inherited, %zu declared not applicable, %zu open (manual "
	    "or partial)\n",
	    r->ncontrols, r->cov.automated, r->cov.attested, r->cov.inherited,
	    r->cov.declared, r->cov.open);
	counts_line(&t, "controls:", r->count_controls, 1);
	report_check_counts(r, checks);
	counts_line(&t, "checks:", checks, 0);
	for (i = 0; i < r->ninputs; i++) {
		fputs("input:    ", fp);
		text_escape(fp, r->inputs[i].path);
		fputs(" (", fp);
		text_escape(fp, r->inputs[i].format);
		fprintf(fp, ", %zu resources", r->inputs[i].resources);
		if (r->inputs[i].collected != 0) {
			char when[32];

			format_time(r->inputs[i].collected, when);
			fprintf(fp, ", collected %s (%s)", when,
			    r->inputs[i].collected_how);
		}
		if (r->inputs[i].stale)
			fputs(", OLDER THAN --max-evidence-age", fp);
		fputs(")\n", fp);
	}
	if (r->count_controls[ST_MANUAL] > 0)
		fprintf(fp,
		    "note:     manual controls: %zu; they need attested "
		    "evidence, this scan does not decide them\n",
		    r->count_controls[ST_MANUAL]);
	section(&t, r, ST_FAIL, "FAILED");
	section(&t, r, ST_ERROR, "COULD NOT EVALUATE (error)");
	gaps(&t, r);
	section(&t, r, ST_PARTIAL,
	    "PARTIAL (automated evidence supports part of the control; the "
	    "rest is open)");
	section(&t, r, ST_WAIVED, "WAIVED BY POA&M");
	attested(&t, r);
	if (o->verbose)
		section(&t, r, ST_PASS, "PASSED");
	families(&t, r);
	return ferror(fp) ? -1 : 0;
}
