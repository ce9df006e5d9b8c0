/*
 * markdown.c: the Markdown report (GitHub-flavoured tables), for pull
 * request comments, wikis and CI job summaries.
 *
 * Verdict and counts first, then a table per control family, then what
 * failed (resources, evidence, remediation), what could not be
 * evaluated, what is waived, and every control.  User-controlled text is
 * escaped by markdown_escape(), so a resource id cannot inject links,
 * HTML or table cells.
 */
#include <string.h>

#include "reports/report.h"

#define MAX_FAMILIES 64
#define MAX_SHOWN 50 /* resources per check before "and N more" */

static const enum status col_order[] = { ST_PASS, ST_FAIL, ST_ERROR, ST_WAIVED,
	ST_NOT_APPLICABLE, ST_MANUAL, ST_INHERITED };
#define NCOLS (sizeof(col_order) / sizeof(col_order[0]))

static void
resources(FILE *fp, const struct check_outcome *o, enum status want)
{
	const struct check_result *res;
	size_t i, j, shown = 0;

	for (i = 0; i < o->n; i++) {
		res = &o->results[i];
		if (res->status != want)
			continue;
		if (shown++ == MAX_SHOWN)
			break;
		fputs("  - ", fp);
		markdown_escape(fp, res->resource_type);
		fputs(" **", fp);
		markdown_escape(fp, res->resource_id);
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
			markdown_escape(fp,
			    res->ev[j].value ? res->ev[j].value : "(absent)");
			if (res->ev[j].source.file != NULL) {
				fputs(" at ", fp);
				markdown_escape(fp, res->ev[j].source.file);
				fprintf(fp, ":%u:%u", res->ev[j].source.line,
				    res->ev[j].source.col);
			}
			fputc('\n', fp);
		}
	}
	if (o->counts[want] > MAX_SHOWN)
		fprintf(
		    fp, "  - ... and %zu more\n", o->counts[want] - MAX_SHOWN);
}

static void
section(FILE *fp, const struct run *r, enum status s, const char *title)
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
		for (j = 0; j < co->nchecks; j++) {
			cc = &co->checks[j];
			if (cc->status != s)
				continue;
			ru = cc->outcome->rule;
			fputs("- **", fp);
			markdown_escape(fp, ru->id);
			fprintf(fp, "** (%s): ", severity_name(ru->severity));
			markdown_escape(fp, ru->title);
			fputc('\n', fp);
			if (s == ST_ERROR && cc->outcome->n == 0) {
				fputs("  - no resource of type ", fp);
				markdown_escape(
				    fp, ru->ntypes ? ru->types[0] : "?");
				fputs(" in the inputs: evidence is missing\n",
				    fp);
			}
			resources(
			    fp, cc->outcome, s == ST_WAIVED ? ST_FAIL : s);
			if (cc->waiver != NULL) {
				fputs("  - waived by POA&M item ", fp);
				markdown_escape(fp, cc->waiver->id);
				fputs(" until ", fp);
				markdown_escape(fp, cc->waiver->expires_text);
				fputs(": ", fp);
				markdown_escape(fp, cc->waiver->justification);
				fputc('\n', fp);
			}
			if ((s == ST_FAIL || s == ST_WAIVED) &&
			    ru->remediation != NULL) {
				fputs("  - remediation: ", fp);
				markdown_escape(fp, ru->remediation);
				fputc('\n', fp);
			}
		}
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
report_markdown(FILE *fp, const struct run *r, const struct report_opts *o)
{
	struct family_count fam[MAX_FAMILIES];
	char started[32], finished[32];
	const struct control_outcome *co;
	size_t i, j, nf;

	report_times(r, o, started, finished);
	fputs("# rampart report: ", fp);
	markdown_escape(fp, r->bl->title ? r->bl->title : r->bl->id);
	fprintf(fp, "\n\n**Verdict: %s**\n\n", report_verdict_text(r->verdict));
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
	count_row(fp, "checks", r->count_checks);
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
	section(fp, r, ST_FAIL, "Failed");
	section(fp, r, ST_ERROR, "Could not evaluate");
	section(fp, r, ST_WAIVED, "Waived by POA&M");
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
