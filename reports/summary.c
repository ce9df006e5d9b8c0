/*
 * summary.c: short summaries of a run.
 *
 * report_summary() is the few lines `rampart scan --output-dir` prints
 * on stdout beside the files it writes (the verdict, the counts, the
 * worst failing checks, the evidence gaps), for a person reading a CI
 * log.  The `summary-md` writer is the same in GitHub-flavoured Markdown,
 * short enough for $GITHUB_STEP_SUMMARY or a merge request comment (at
 * most about 60 lines): verdict, counts, a table of failing checks with
 * their resource counts, the evidence gaps by check id.  The full
 * reports say the rest; both summaries say so.
 */
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

/* Failing checks named in the text summary / the Markdown table. */
#define SUMMARY_TOP 5
#define SUMMARY_MD_ROWS 30
/* Evidence-gap check ids named before "and N more". */
#define SUMMARY_GAP_IDS 12

/*
 * Whether o counts as a failing check (report_check_counts): it fails
 * and not every control that uses it has the failure waived.
 */
static int
check_failing(const struct assessment *r, const struct check_outcome *o)
{
	size_t c, j, uses = 0, waived = 0;

	if (o->status != ST_FAIL)
		return 0;
	for (c = 0; c < r->ncontrols; c++)
		for (j = 0; j < r->controls[c].nchecks; j++) {
			if (r->controls[c].checks[j].outcome != o)
				continue;
			uses++;
			waived += r->controls[c].checks[j].status == ST_WAIVED;
		}
	return !(uses > 0 && waived == uses);
}

/* Worst first: severity, then failing resources, then run order. */
static int
worse(const void *a, const void *b)
{
	const struct check_outcome *x = *(const struct check_outcome *const *)a;
	const struct check_outcome *y = *(const struct check_outcome *const *)b;

	if (x->rule->severity != y->rule->severity)
		return x->rule->severity > y->rule->severity ? -1 : 1;
	if (x->counts[ST_FAIL] != y->counts[ST_FAIL])
		return x->counts[ST_FAIL] > y->counts[ST_FAIL] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/*
 * The failing checks of r, worst first, into a lib_malloc'd array (free
 * with lib_free); *n their number.  NULL with *n 0 when none, or when
 * memory ran out (*n then SIZE_MAX).
 */
static const struct check_outcome **
failing_checks(const struct assessment *r, size_t *n)
{
	const struct check_outcome **v;
	size_t i;

	*n = 0;
	if ((v = lib_calloc(r->nchecks + 1, sizeof(*v))) == NULL) {
		*n = SIZE_MAX;
		return NULL;
	}
	for (i = 0; i < r->nchecks; i++)
		if (check_failing(r, &r->checks[i]))
			v[(*n)++] = &r->checks[i];
	qsort(v, *n, sizeof(*v), worse);
	return v;
}

static size_t
ngaps(const struct assessment *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nchecks; i++)
		n += report_gap(&r->checks[i]) != 0;
	return n;
}

/* "1 pass, 16 fail, 4 error, 5 partial": zeros but the first three out. */
static void
counts(FILE *fp, const size_t *n, int controls)
{
	static const enum status order[] = { ST_PASS, ST_FAIL, ST_ERROR,
		ST_PARTIAL, ST_WAIVED, ST_NOT_APPLICABLE, ST_MANUAL,
		ST_INHERITED };
	size_t i;
	int first = 1;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!controls &&
		    (order[i] == ST_PARTIAL || order[i] == ST_MANUAL ||
			order[i] == ST_INHERITED))
			continue;
		if (n[order[i]] == 0 && i >= 3)
			continue;
		fprintf(fp, "%s%zu %s", first ? "" : ", ", n[order[i]],
		    report_status_text(order[i]));
		first = 0;
	}
}

/* The labels of the controls that use o, comma-separated (escaped by esc). */
static void
labels(FILE *fp, const struct assessment *r, const struct check_outcome *o,
    void (*esc)(FILE *, const char *))
{
	size_t i, j, n = 0;

	for (i = 0; i < r->ncontrols; i++)
		for (j = 0; j < r->controls[i].nchecks; j++)
			if (r->controls[i].checks[j].outcome == o) {
				if (n++ > 0)
					fputs(", ", fp);
				esc(fp, r->controls[i].control->label);
				break;
			}
}

static const char *
col_on(const struct report_opts *o, enum verdict v)
{
	if (!o->color)
		return "";
	return v == VERDICT_ELIGIBLE    ? "\033[32m"
	    : v == VERDICT_NOT_ELIGIBLE ? "\033[1;31m"
					: "\033[33m";
}

int
report_summary(
    FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	const struct check_outcome **top;
	size_t i, n, gaps = ngaps(r), checks[ST_COUNT];
	char a[32];

	fprintf(fp, "rampart: %s%s%s (", col_on(o, r->verdict),
	    report_verdict_text(r->verdict), o->color ? "\033[0m" : "");
	text_escape(fp, r->bl->id);
	fputs(")\n", fp);
	if (report_gate_result(r) != NULL)
		fprintf(fp,
		    "  gate:     checks: %s (not an eligibility "
		    "decision)\n",
		    report_gate_result(r));
	fprintf(fp, "  controls: %zu: ", r->ncontrols);
	counts(fp, r->count_controls, 1);
	fputs("\n  checks:   ", fp);
	report_check_counts(r, checks);
	counts(fp, checks, 0);
	fputc('\n', fp);
	if ((top = failing_checks(r, &n)) == NULL && n == SIZE_MAX)
		return -1;
	for (i = 0; i < n && i < SUMMARY_TOP; i++) {
		if (i == 0)
			fprintf(fp, "  top failing checks (%zu):\n", n);
		fprintf(fp, "    %-8s ", severity_name(top[i]->rule->severity));
		text_escape(fp, top[i]->rule->id);
		fprintf(fp, " (%s resource%s)\n",
		    report_count_text(top[i]->counts[ST_FAIL], a),
		    top[i]->counts[ST_FAIL] == 1 ? "" : "s");
	}
	if (n > SUMMARY_TOP)
		fprintf(fp, "    ... and %zu more failing checks\n",
		    n - SUMMARY_TOP);
	lib_free(top);
	if (gaps > 0)
		fprintf(fp,
		    "  evidence gaps: %zu check%s could not evaluate "
		    "everything (never a pass)\n",
		    gaps, gaps == 1 ? "" : "s");
	return ferror(fp) ? -1 : 0;
}

/* Markdown table cell text: escaped, on one line. */
static void
md(FILE *fp, const char *s)
{
	markdown_escape(fp, s);
}

static void
md_counts_table(FILE *fp, const struct assessment *r)
{
	static const enum status order[] = { ST_PASS, ST_FAIL, ST_ERROR,
		ST_PARTIAL, ST_WAIVED, ST_NOT_APPLICABLE, ST_MANUAL,
		ST_INHERITED };
	size_t i, checks[ST_COUNT];

	report_check_counts(r, checks);
	fputs("| |", fp);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		fprintf(fp, " %s |", report_status_text(order[i]));
	fputs("\n|---|", fp);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		fputs("---:|", fp);
	fputs("\n| controls |", fp);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		fprintf(fp, " %zu |", r->count_controls[order[i]]);
	fputs("\n| checks |", fp);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		fprintf(fp, " %zu |", checks[order[i]]);
	fputc('\n', fp);
}

static void
md_gaps(FILE *fp, const struct assessment *r, size_t gaps)
{
	size_t i, k = 0;

	fprintf(fp,
	    "\n**Evidence gaps** (could not evaluate, never a pass): %zu "
	    "check%s: ",
	    gaps, gaps == 1 ? "" : "s");
	for (i = 0; i < r->nchecks; i++) {
		if (!report_gap(&r->checks[i]))
			continue;
		if (k == SUMMARY_GAP_IDS) {
			fprintf(fp, ", and %zu more", gaps - k);
			break;
		}
		/* Escaped text, not a code span (which shows escapes). */
		fputs(k++ ? ", " : "", fp);
		md(fp, r->checks[i].rule->id);
	}
	fputc('\n', fp);
}

int
report_summary_md(
    FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	const struct check_outcome **top;
	size_t i, n, gaps = ngaps(r);
	char a[32], started[32], finished[32];

	report_times(r, o, started, finished);
	fprintf(fp, "## rampart: %s\n\n",
	    r->verdict == VERDICT_ELIGIBLE           ? "ELIGIBLE"
		: r->verdict == VERDICT_NOT_ELIGIBLE ? "NOT ELIGIBLE"
						     : "INCOMPLETE");
	fputs("Baseline ", fp);
	md(fp, r->bl->title != NULL ? r->bl->title : r->bl->id);
	fputs(" (", fp);
	md(fp, r->bl->id);
	fprintf(fp, "), %zu controls", r->ncontrols);
	for (i = 0; i < r->ninputs && i < 3; i++) {
		fputs(i == 0 ? "; input " : ", ", fp);
		md(fp, r->inputs[i].path);
	}
	if (r->ninputs > 3)
		fprintf(fp, " and %zu more", r->ninputs - 3);
	fprintf(fp, "; scanned %s.\n", started);
	if (report_gate_note(r) != NULL) {
		fputs("\n> ", fp);
		md(fp, report_gate_note(r));
		fputc('\n', fp);
	}
	fputc('\n', fp);
	md_counts_table(fp, r);
	if ((top = failing_checks(r, &n)) == NULL && n == SIZE_MAX)
		return -1;
	if (n > 0) {
		fprintf(fp,
		    "\n### Failing checks (%zu)\n\n"
		    "| severity | check | failing resources | controls |\n"
		    "|---|---|---:|---|\n",
		    n);
		for (i = 0; i < n && i < SUMMARY_MD_ROWS; i++) {
			fprintf(fp, "| %s | **",
			    severity_name(top[i]->rule->severity));
			md(fp, top[i]->rule->id);
			fputs("** ", fp);
			md(fp, top[i]->rule->title);
			fprintf(fp, " | %s | ",
			    report_count_text(top[i]->counts[ST_FAIL], a));
			labels(fp, r, top[i], md);
			fputs(" |\n", fp);
		}
		if (n > SUMMARY_MD_ROWS)
			fprintf(fp, "\n... and %zu more failing checks.\n",
			    n - SUMMARY_MD_ROWS);
	}
	lib_free(top);
	if (gaps > 0)
		md_gaps(fp, r, gaps);
	fputs("\nEvery resource, its evidence and the remediation: the full "
	      "reports (report.md, report.html, report.sarif).\n",
	    fp);
	return ferror(fp) ? -1 : 0;
}
