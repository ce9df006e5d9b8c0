/*
 * markdown.c: the Markdown report (GitHub-flavoured tables), for pull
 * request comments, wikis and CI job summaries.
 *
 * Verdict and counts first, then a table per control family, then what
 * failed (every failing resource up to --max-items, evidence,
 * remediation), what could not be evaluated, the evidence gaps (every
 * errored result with its reason), partial and waived controls, and
 * every control.  User-controlled text is
 * escaped by markdown_escape(), so a resource id cannot inject links,
 * HTML or table cells.
 */
#include <string.h>

#include "reports/report.h"

#define MAX_FAMILIES 64
static const enum status col_order[] = { ST_PASS, ST_FAIL, ST_ERROR, ST_PARTIAL,
	ST_WAIVED, ST_NOT_APPLICABLE, ST_MANUAL, ST_INHERITED };
#define NCOLS (sizeof(col_order) / sizeof(col_order[0]))

static void
resource(FILE *fp, const struct check_result *res)
{
	size_t j;

	fputs("  - ", fp);
	markdown_escape(fp, res->resource_type ? res->resource_type : "?");
	fputs(" **", fp);
	markdown_escape(fp, res->resource_id ? res->resource_id : "(listing)");
	fputs("**", fp);
	if (res->region != NULL) {
		fputs(" (", fp);
		markdown_escape(fp, res->region);
		fputc(')', fp);
	}
	if (res->message != NULL && res->message[0] != '\0') {
		fputs(": ", fp);
		markdown_escape(fp, res->message);
	}
	fputc('\n', fp);
	for (j = 0; j < res->nev; j++) {
		fputs("    - evidence: ", fp);
		markdown_escape(fp, res->ev[j].path);
		fputs(" = ", fp);
		markdown_escape(
		    fp, res->ev[j].value ? res->ev[j].value : "(absent)");
		if (res->ev[j].source.file != NULL) {
			fputs(" at ", fp);
			markdown_escape(fp, res->ev[j].source.file);
			fprintf(fp, ":%u:%u", res->ev[j].source.line,
			    res->ev[j].source.col);
		}
		fputc('\n', fp);
	}
}

/* Results of o in status want, at most max, then how many were cut. */
static void
resources(FILE *fp, const struct check_outcome *o, enum status want, size_t max)
{
	size_t i, shown = 0, listed = report_listed(o, want);
	char a[32], b[32];

	for (i = 0; i < o->n && shown < max; i++) {
		if (o->results[i].status != want)
			continue;
		shown++;
		resource(fp, &o->results[i]);
	}
	if (o->counts[want] > shown) {
		fprintf(fp, "  - ... and %s more %s resources",
		    report_count_text(o->counts[want] - shown, a),
		    want == ST_FAIL ? "failing" : "errored");
		if (listed < o->counts[want])
			fprintf(fp, " (%s listed of %s: --max-results)",
			    report_count_text(listed, a),
			    report_count_text(o->counts[want], b));
		else
			fputs(" (--max-items)", fp);
		fputc('\n', fp);
	}
}

/*
 * Every control whose status is s, with each check that is not a plain
 * pass: failing resources, a pointer to the evidence gaps for errored
 * ones (an error is never hidden by a failure of the same control).
 */
/* The check's parameters with where their values came from. */
static void
params(FILE *fp, const struct check_outcome *o)
{
	struct strbuf sb;
	size_t i;

	for (i = 0; i < report_nparams(o); i++) {
		sb_init(&sb);
		if (report_param_text(o, i, &sb) == 1) {
			fputs("  - parameter ", fp);
			markdown_escape(fp, sb.s);
			fputc('\n', fp);
		}
		sb_free(&sb);
	}
}

static void
section(FILE *fp, const struct assessment *r, enum status s, const char *title,
    size_t max)
{
	const struct control_outcome *co;
	const struct control_check_outcome *cc;
	const struct rule *ru;
	size_t i, j, n = 0;
	char a[32];

	for (i = 0; i < r->ncontrols; i++) {
		co = &r->controls[i];
		if (co->status != s)
			continue;
		if (n++ == 0)
			fprintf(fp, "\n## %s\n", title);
		fputs("\n### ", fp);
		markdown_escape(fp, co->control->label);
		fputs(" ", fp);
		markdown_escape(fp, co->control->title);
		fputs("\n\n", fp);
		if (co->note != NULL) {
			fputs("> ", fp);
			markdown_escape(fp, co->note);
			fputs("\n\n", fp);
		}
		if (s == ST_PARTIAL)
			fputs("The checks support part of this control; the "
			      "rest is open until an attestation or the "
			      "provider's inheritance covers it.\n\n",
			    fp);
		for (j = 0; j < co->nchecks; j++) {
			cc = &co->checks[j];
			if (s != ST_PARTIAL &&
			    (cc->status == ST_PASS ||
				cc->status == ST_NOT_APPLICABLE))
				continue;
			ru = cc->outcome->rule;
			fprintf(fp, "- %s **", status_name(cc->status));
			markdown_escape(fp, ru->id);
			fprintf(fp, "** (%s): ", severity_name(ru->severity));
			markdown_escape(fp, ru->title);
			fputc('\n', fp);
			params(fp, cc->outcome);
			if (cc->status == ST_FAIL || cc->status == ST_WAIVED)
				resources(fp, cc->outcome, ST_FAIL, max);
			if (cc->outcome->counts[ST_ERROR] > 0)
				fprintf(fp,
				    "  - %s resource%s could not be "
				    "evaluated: see Evidence gaps\n",
				    report_count_text(
					cc->outcome->counts[ST_ERROR], a),
				    cc->outcome->counts[ST_ERROR] == 1 ? ""
								       : "s");
			else if (cc->outcome->status == ST_ERROR)
				fputs("  - evidence is missing: see Evidence "
				      "gaps\n",
				    fp);
			if (cc->waiver != NULL) {
				fputs("  - waived by POA&M item ", fp);
				markdown_escape(fp, cc->waiver->id);
				fputs(" until ", fp);
				markdown_escape(fp, cc->waiver->expires_text);
				fputs(": ", fp);
				markdown_escape(fp, cc->waiver->justification);
				fputc('\n', fp);
			}
			if ((cc->status == ST_FAIL ||
				cc->status == ST_WAIVED) &&
			    ru->remediation != NULL) {
				fputs("  - remediation: ", fp);
				markdown_escape(fp, ru->remediation);
				fputc('\n', fp);
			}
		}
	}
}

/*
 * Every check that could not evaluate a resource or saw no evidence,
 * with each errored resource and its reason, whatever its controls'
 * status.
 */
static void
gaps(FILE *fp, const struct assessment *r, size_t max)
{
	const struct check_outcome *o;
	const struct rule *ru;
	size_t i, c, j, n = 0, nc;

	for (i = 0; i < r->nchecks; i++) {
		o = &r->checks[i];
		ru = o->rule;
		if (o->counts[ST_ERROR] == 0 && o->status != ST_ERROR)
			continue;
		if (n++ == 0)
			fputs("\n## Evidence gaps\n\nCould not evaluate: "
			      "missing or unreadable evidence is never a "
			      "pass.\n\n",
			    fp);
		fputs("- **", fp);
		markdown_escape(fp, ru->id);
		fputs("**", fp);
		nc = 0;
		for (c = 0; c < r->ncontrols; c++)
			for (j = 0; j < r->controls[c].nchecks; j++)
				if (r->controls[c].checks[j].outcome == o) {
					fputs(nc++ ? ", " : " (", fp);
					markdown_escape(
					    fp, r->controls[c].control->label);
					break;
				}
		fputs(nc ? ")\n" : "\n", fp);
		if (report_missing(o) != NULL) {
			fputs("  - ", fp);
			markdown_escape(fp, report_missing(o));
			fputc('\n', fp);
		}
		if (o->counts[ST_ERROR] > 0)
			resources(fp, o, ST_ERROR, max);
	}
}

static void
header_row(FILE *fp, const char *first)
{
	size_t k;

	fprintf(fp, "| %s | total |", first);
	for (k = 0; k < NCOLS; k++)
		fprintf(fp, " %s |", report_status_text(col_order[k]));
	fputs("\n|---|--:|", fp);
	for (k = 0; k < NCOLS; k++)
		fputs("--:|", fp);
	fputc('\n', fp);
}

static void
count_row(FILE *fp, const char *name, const size_t *n)
{
	size_t k, total = 0;

	for (k = 0; k < ST_COUNT; k++)
		total += n[k];
	fputs("| ", fp);
	markdown_escape(fp, name);
	fprintf(fp, " | %zu |", total);
	for (k = 0; k < NCOLS; k++)
		fprintf(fp, " %zu |", n[col_order[k]]);
	fputc('\n', fp);
}

int
report_markdown(
    FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	struct family_count fam[MAX_FAMILIES];
	char started[32], finished[32];
	const struct control_outcome *co;
	size_t i, j, nf, checks[ST_COUNT];
	size_t max = report_max_items(o, REPORT_DEFAULT_MAX_ITEMS);

	report_times(r, o, started, finished);
	report_check_counts(r, checks);
	fputs("# rampart report: ", fp);
	markdown_escape(fp, r->bl->title ? r->bl->title : r->bl->id);
	fprintf(fp, "\n\n**Verdict: %s**\n\n", report_verdict_text(r->verdict));
	if (report_gate_note(r) != NULL)
		fprintf(fp, "> **%s**\n\n", report_gate_note(r));
	if (r->opts.sel.text != NULL) {
		fputs("> **selection:** ", fp);
		markdown_escape(fp, r->opts.sel.text);
		fputs(" (a tailored scan: controls of checks not run stay "
		      "open)\n\n",
		    fp);
	}
	fputs("| | |\n|---|---|\n| baseline | ", fp);
	markdown_escape(fp, r->bl->id);
	fputs(" (impact ", fp);
	markdown_escape(fp, r->bl->impact ? r->bl->impact : "unset");
	fprintf(fp, ") |\n| baseline sha256 | %s |\n", r->bl->sha256);
	for (i = 0; i < r->ninputs; i++) {
		fputs("| input | ", fp);
		markdown_escape(fp, r->inputs[i].path);
		fputs(" (", fp);
		markdown_escape(fp, r->inputs[i].format);
		fprintf(fp, ", %zu resources, sha256 %s) |\n",
		    r->inputs[i].resources, r->inputs[i].sha256);
	}
	if (r->poam != NULL) {
		fputs("| POA&M | ", fp);
		markdown_escape(fp, r->poam->path);
		fprintf(fp, " (%zu items) |\n", r->poam->n);
	}
	fprintf(fp, "| started | %s |\n| finished | %s |\n", started, finished);
	fputs("| rampart | ", fp);
	markdown_escape(fp, o->tool_version ? o->tool_version : "unknown");
	fputs(" |\n\n## Summary\n\n", fp);
	header_row(fp, "");
	count_row(fp, "controls", r->count_controls);
	count_row(fp, "checks", checks);
	if (r->count_controls[ST_MANUAL] > 0)
		fprintf(fp,
		    "\nManual controls: %zu. They need attested evidence; "
		    "this scan does not decide them.\n",
		    r->count_controls[ST_MANUAL]);
	fputs("\n## By family\n\n", fp);
	header_row(fp, "family");
	nf = report_families(r, fam, MAX_FAMILIES);
	for (i = 0; i < nf; i++)
		count_row(fp, fam[i].name, fam[i].n);
	section(fp, r, ST_FAIL, "Failed", max);
	section(fp, r, ST_ERROR, "Could not evaluate", max);
	gaps(fp, r, max);
	section(fp, r, ST_PARTIAL,
	    "Partial (automated evidence supports part of the control)", max);
	section(fp, r, ST_WAIVED, "Waived by POA&M", max);
	fputs("\n## All controls\n\n| control | title | family | status | "
	      "checks |\n|---|---|---|---|---|\n",
	    fp);
	for (i = 0; i < r->ncontrols; i++) {
		co = &r->controls[i];
		fputs("| ", fp);
		markdown_escape(fp, co->control->label);
		fputs(" | ", fp);
		markdown_escape(fp, co->control->title);
		fputs(" | ", fp);
		markdown_escape(fp, co->control->family);
		fprintf(fp, " | %s | ", report_status_text(co->status));
		for (j = 0; j < co->nchecks; j++) {
			if (j > 0)
				fputs(", ", fp);
			markdown_escape(fp, co->checks[j].outcome->rule->id);
			fprintf(fp, " (%s)",
			    report_status_text(co->checks[j].status));
		}
		fputs(" |\n", fp);
	}
	return ferror(fp) ? -1 : 0;
}
