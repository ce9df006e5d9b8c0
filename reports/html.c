/*
 * html.c: the HTML report, one self-contained file for an auditor or a
 * manager: inline CSS, no scripts, no external assets (a Content Security
 * Policy in the file forbids them, so even an escaping bug could not run
 * code), printable.
 *
 * Verdict banner, counts, a table per control family, then what failed
 * (every failing resource, or --max-items per check, with its evidence
 * and file:line:col, remediation), what could not be evaluated, the
 * evidence gaps (every errored result with its reason), partial and
 * waived controls, and every control in a <details> block.  Ids never
 * break mid-word (white-space: nowrap); evidence wraps anywhere, and a
 * long value is folded in a <details>.  A resource table has no column
 * that no row fills (region, evidence).  Every user-controlled string
 * goes through markup_escape().
 */
#include <string.h>

#include "reports/report.h"

#define MAX_FAMILIES 64
static const enum status col_order[] = { ST_PASS, ST_FAIL, ST_ERROR, ST_PARTIAL,
	ST_WAIVED, ST_NOT_APPLICABLE, ST_MANUAL, ST_INHERITED };
#define NCOLS (sizeof(col_order) / sizeof(col_order[0]))

static const char css[] =
    ":root{--pass:#1a7f37;--fail:#cf222e;--error:#9a6700;--waived:#0969da;"
    "--partial:#8250df;--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa}\n"
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
    "'Helvetica Neue',Arial,sans-serif;color:#1f2328;margin:0 auto;"
    "max-width:1100px;padding:24px}\n"
    "h1{margin:0;font-size:28px}h2{margin:32px 0 12px;font-size:20px;"
    "border-bottom:1px solid var(--line);padding-bottom:6px}\n"
    "h3{margin:20px 0 8px;font-size:16px}\n"
    ".banner{border-radius:8px;padding:18px 22px;color:#fff}\n"
    ".banner p{margin:6px 0 0;opacity:.95}\n"
    ".v-eligible{background:var(--pass)}.v-not_eligible{background:"
    "var(--fail)}.v-incomplete{background:var(--error)}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}\n"
    ".card{flex:1 1 110px;border:1px solid var(--line);border-radius:8px;"
    "padding:10px 12px;background:var(--bg)}\n"
    ".card b{display:block;font-size:24px}\n"
    ".card span{color:var(--muted);font-size:13px}\n"
    "table{border-collapse:collapse;width:100%;margin:8px 0 16px;"
    "font-size:14px}\n"
    "th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;"
    "vertical-align:top;overflow-wrap:break-word}\n"
    ".id{white-space:nowrap}\n"
    ".ev code,.ev summary{overflow-wrap:anywhere;white-space:pre-wrap}\n"
    ".ev details{margin:0}.ev summary{font-weight:400}\n"
    "th{background:var(--bg)}td.n{text-align:right;"
    "font-variant-numeric:tabular-nums}\n"
    "table.meta th{width:180px}\n"
    ".s{display:inline-block;border-radius:10px;padding:0 8px;"
    "font-size:12px;font-weight:600;color:#fff;background:var(--muted)}\n"
    ".s-pass{background:var(--pass)}.s-fail{background:var(--fail)}"
    ".s-error{background:var(--error)}.s-waived{background:var(--waived)}"
    ".s-partial{background:var(--partial)}"
    "\n"
    "td.z{color:#afb8c1}\n"
    ".control{border:1px solid var(--line);border-left:4px solid "
    "var(--muted);border-radius:6px;padding:4px 14px 8px;margin:12px 0}\n"
    ".control.c-fail{border-left-color:var(--fail)}"
    ".control.c-error{border-left-color:var(--error)}"
    ".control.c-waived{border-left-color:var(--waived)}"
    ".control.c-partial{border-left-color:var(--partial)}\n"
    ".note,.rem{background:var(--bg);border-radius:6px;padding:6px 10px;"
    "margin:6px 0}\n"
    "code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
    "background:var(--bg);padding:0 3px;border-radius:3px}\n"
    ".ev{margin:0;padding-left:18px}\n"
    "details{margin:16px 0}summary{cursor:pointer;font-weight:600}\n"
    "footer{margin-top:32px;color:var(--muted);font-size:13px}\n"
    "@media print{details>*{display:block}body{padding:0}}\n";

static void
esc(FILE *fp, const char *s)
{
	markup_escape(fp, s, 0);
}

static void
badge(FILE *fp, enum status s)
{
	fprintf(fp, "<span class=\"s s-%s\">%s</span>", status_name(s),
	    report_status_text(s));
}

/* Evidence values longer than this are folded in a <details>. */
#define HTML_FOLD 160

/*
 * An evidence value: short ones inline, long ones folded (the first
 * HTML_FOLD bytes, cut on a character boundary, open to the whole).
 */
static void
value(FILE *fp, const char *v)
{
	char head[HTML_FOLD + 1];
	size_t n = strlen(v), k = HTML_FOLD;

	if (n <= HTML_FOLD) {
		fputs("<code>", fp);
		esc(fp, v);
		fputs("</code>", fp);
		return;
	}
	while (k > 0 && ((unsigned char)v[k] & 0xc0) == 0x80)
		k--;
	memcpy(head, v, k);
	head[k] = '\0';
	fputs("<details><summary><code>", fp);
	esc(fp, head);
	fprintf(fp, "</code>&hellip; (%zu bytes)</summary><code>", n);
	esc(fp, v);
	fputs("</code></details>", fp);
}

static void
evidence(FILE *fp, const struct check_result *res)
{
	size_t j;

	if (res->nev == 0)
		return;
	fputs("<ul class=\"ev\">", fp);
	for (j = 0; j < res->nev; j++) {
		fputs("<li><code class=\"id\">", fp);
		esc(fp, res->ev[j].path);
		fputs("</code> = ", fp);
		if (res->ev[j].value != NULL)
			value(fp, res->ev[j].value);
		else
			fputs("<i>absent</i>", fp);
		if (res->ev[j].source.file != NULL) {
			fputs(" <small>at ", fp);
			esc(fp, res->ev[j].source.file);
			fprintf(fp, ":%u:%u</small>", res->ev[j].source.line,
			    res->ev[j].source.col);
		}
		fputs("</li>", fp);
	}
	fputs("</ul>", fp);
}

/*
 * Results of o in status want, at most max, then how many were cut.  The
 * region and evidence columns are there only when a row shown fills them.
 */
static void
resources(FILE *fp, const struct check_outcome *o, enum status want, size_t max)
{
	const struct check_result *res;
	size_t i, shown = 0, listed = report_listed(o, want);
	int region = 0, ev = 0;
	char a[32], b[32];

	for (i = 0; i < o->n && shown < max; i++) {
		res = &o->results[i];
		if (res->status != want)
			continue;
		shown++;
		region |= res->region != NULL && res->region[0] != '\0';
		ev |= res->nev > 0;
	}
	shown = 0;
	for (i = 0; i < o->n && shown < max; i++) {
		res = &o->results[i];
		if (res->status != want)
			continue;
		if (shown++ == 0)
			fprintf(fp,
			    "<table><tr><th>resource</th>%s<th>result</th>"
			    "%s</tr>\n",
			    region ? "<th>region</th>" : "",
			    ev ? "<th>evidence</th>" : "");
		fputs("<tr><td><code class=\"id\">", fp);
		esc(fp, res->resource_type ? res->resource_type : "?");
		fputs("</code><br>", fp);
		esc(fp, res->resource_id ? res->resource_id : "(listing)");
		fputs("</td>", fp);
		if (region) {
			fputs("<td class=\"id\">", fp);
			esc(fp, res->region);
			fputs("</td>", fp);
		}
		fputs("<td>", fp);
		esc(fp,
		    res->message && res->message[0] ? res->message
						    : status_name(res->status));
		fputs("</td>", fp);
		if (ev) {
			fputs("<td>", fp);
			evidence(fp, res);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	if (shown > 0)
		fputs("</table>\n", fp);
	if (o->counts[want] > shown) {
		fprintf(fp, "<p>... and %s more %s resources",
		    report_count_text(o->counts[want] - shown, a),
		    want == ST_FAIL ? "failing" : "errored");
		if (listed < o->counts[want])
			fprintf(fp, " (%s listed of %s: --max-results)",
			    report_count_text(listed, a),
			    report_count_text(o->counts[want], b));
		else
			fputs(" (--max-items)", fp);
		fputs("</p>\n", fp);
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
			fputs("<p class=\"note\">parameter ", fp);
			esc(fp, sb.s);
			fputs("</p>\n", fp);
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

	for (i = 0; i < r->ncontrols; i++)
		if (r->controls[i].status == s)
			n++;
	if (n == 0)
		return;
	fprintf(fp, "<section>\n<h2>%s (%zu)</h2>\n", title, n);
	for (i = 0; i < r->ncontrols; i++) {
		co = &r->controls[i];
		if (co->status != s)
			continue;
		fprintf(
		    fp, "<div class=\"control c-%s\">\n<h3>", status_name(s));
		esc(fp, co->control->label);
		fputs(" ", fp);
		esc(fp, co->control->title);
		fputs("</h3>\n", fp);
		if (co->note != NULL) {
			fputs("<p class=\"note\">", fp);
			esc(fp, co->note);
			fputs("</p>\n", fp);
		}
		if (s == ST_PARTIAL)
			fputs("<p class=\"note\">The checks support part of "
			      "this control; the rest is open until an "
			      "attestation or the provider's inheritance "
			      "covers it.</p>\n",
			    fp);
		for (j = 0; j < co->nchecks; j++) {
			cc = &co->checks[j];
			if (s != ST_PARTIAL &&
			    (cc->status == ST_PASS ||
				cc->status == ST_NOT_APPLICABLE))
				continue;
			ru = cc->outcome->rule;
			fputs("<p>", fp);
			badge(fp, cc->status);
			fputs(" <b class=\"id\">", fp);
			esc(fp, ru->id);
			fprintf(fp, "</b> (%s) ", severity_name(ru->severity));
			esc(fp, ru->title);
			fputs("</p>\n", fp);
			params(fp, cc->outcome);
			if (cc->status == ST_FAIL || cc->status == ST_WAIVED)
				resources(fp, cc->outcome, ST_FAIL, max);
			if (cc->outcome->counts[ST_ERROR] > 0)
				fprintf(fp,
				    "<p>%s resource%s could not be evaluated: "
				    "see <a href=\"#gaps\">Evidence "
				    "gaps</a>.</p>\n",
				    report_count_text(
					cc->outcome->counts[ST_ERROR], a),
				    cc->outcome->counts[ST_ERROR] == 1 ? ""
								       : "s");
			else if (cc->outcome->status == ST_ERROR)
				fputs("<p>Evidence is missing: see <a "
				      "href=\"#gaps\">Evidence gaps</a>.</p>\n",
				    fp);
			if (cc->waiver != NULL) {
				fputs("<p class=\"note\">Waived by POA&amp;M "
				      "item <b>",
				    fp);
				esc(fp, cc->waiver->id);
				fputs("</b> until ", fp);
				esc(fp, cc->waiver->expires_text);
				fputs(" (approved by ", fp);
				esc(fp, cc->waiver->approver);
				fputs("): ", fp);
				esc(fp, cc->waiver->justification);
				fputs("</p>\n", fp);
			}
			if ((cc->status == ST_FAIL ||
				cc->status == ST_WAIVED) &&
			    ru->remediation != NULL) {
				fputs("<p class=\"rem\"><b>Remediation:</b> ",
				    fp);
				esc(fp, ru->remediation);
				fputs("</p>\n", fp);
			}
		}
		fputs("</div>\n", fp);
	}
	fputs("</section>\n", fp);
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
		if (!report_gap(o))
			continue;
		if (n++ == 0)
			fputs("<section id=\"gaps\">\n<h2>Evidence gaps</h2>\n"
			      "<p>Could not evaluate: missing or unreadable "
			      "evidence is never a pass.</p>\n",
			    fp);
		fputs("<div class=\"control c-error\">\n<h3 class=\"id\">", fp);
		esc(fp, ru->id);
		fputs("</h3>\n<p>controls: ", fp);
		nc = 0;
		for (c = 0; c < r->ncontrols; c++)
			for (j = 0; j < r->controls[c].nchecks; j++)
				if (r->controls[c].checks[j].outcome == o) {
					if (nc++)
						fputs(", ", fp);
					esc(fp, r->controls[c].control->label);
					break;
				}
		fputs("</p>\n", fp);
		if (report_missing(o) != NULL) {
			fputs("<p>", fp);
			esc(fp, report_missing(o));
			fputs("</p>\n", fp);
		}
		if (o->counts[ST_ERROR] > 0)
			resources(fp, o, ST_ERROR, max);
		fputs("</div>\n", fp);
	}
	if (n > 0)
		fputs("</section>\n", fp);
}

static void
count_cells(FILE *fp, const size_t *n)
{
	size_t k, total = 0;

	for (k = 0; k < ST_COUNT; k++)
		total += n[k];
	fprintf(fp, "<td class=\"n\">%zu</td>", total);
	for (k = 0; k < NCOLS; k++)
		fprintf(fp, "<td class=\"n%s\">%zu</td>",
		    n[col_order[k]] ? "" : " z", n[col_order[k]]);
}

static void
header_cells(FILE *fp, const char *first)
{
	size_t k;

	fprintf(fp, "<tr><th>%s</th><th>total</th>", first);
	for (k = 0; k < NCOLS; k++)
		fprintf(fp, "<th>%s</th>", report_status_text(col_order[k]));
	fputs("</tr>\n", fp);
}

/* A count card; s >= ST_COUNT means no status colour. */
static void
card(FILE *fp, size_t n, const char *what, enum status s)
{
	fputs("<div class=\"card\"><b", fp);
	if (s < ST_COUNT && n > 0)
		fprintf(
		    fp, " style=\"color:var(--%s,inherit)\"", status_name(s));
	fprintf(fp, ">%zu</b><span>%s</span></div>\n", n, what);
}

int
report_html(FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	struct family_count fam[MAX_FAMILIES];
	char started[32], finished[32];
	const struct control_outcome *co;
	size_t i, j, nf, checks[ST_COUNT];
	size_t max = report_max_items(o, 0);

	report_times(r, o, started, finished);
	report_check_counts(r, checks);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" "
	      "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	      "<title>rampart report: ",
	    fp);
	esc(fp, r->bl->title ? r->bl->title : r->bl->id);
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
	fprintf(fp, "<header class=\"banner v-%s\">\n<h1>%s</h1>\n",
	    verdict_name(r->verdict), report_verdict_text(r->verdict));
	if (report_gate_note(r) != NULL)
		fprintf(
		    fp, "<p><strong>%s</strong></p>\n", report_gate_note(r));
	if (r->opts.sel.text != NULL) {
		fputs("<p><strong>selection:</strong> ", fp);
		esc(fp, r->opts.sel.text);
		fputs(" (a tailored scan: controls of checks not run stay "
		      "open)</p>\n",
		    fp);
	}
	fputs("<p>", fp);
	esc(fp, r->bl->title ? r->bl->title : r->bl->id);
	fputs(" &middot; baseline <b>", fp);
	esc(fp, r->bl->id);
	fputs("</b> &middot; impact ", fp);
	esc(fp, r->bl->impact ? r->bl->impact : "unset");
	fputs("</p>\n</header>\n", fp);

	fputs("<div class=\"cards\">\n", fp);
	card(fp, r->ncontrols, "controls", ST_COUNT);
	for (i = 0; i < NCOLS; i++)
		card(fp, r->count_controls[col_order[i]],
		    report_status_text(col_order[i]), col_order[i]);
	fputs("</div>\n", fp);
	if (r->count_controls[ST_MANUAL] > 0)
		fprintf(fp,
		    "<p class=\"note\">Manual controls: %zu. They need "
		    "attested evidence; this scan does not decide them.</p>\n",
		    r->count_controls[ST_MANUAL]);

	fputs("<section>\n<h2>Summary</h2>\n<table class=\"meta\">\n", fp);
	fputs("<tr><th>baseline</th><td>", fp);
	esc(fp, r->bl->id);
	fputs("<br><small>sha256 ", fp);
	esc(fp, r->bl->sha256);
	fputs("</small></td></tr>\n", fp);
	for (i = 0; i < r->ninputs; i++) {
		fputs("<tr><th>input</th><td>", fp);
		esc(fp, r->inputs[i].path);
		fputs(" (", fp);
		esc(fp, r->inputs[i].format);
		fprintf(fp, ", %zu resources)<br><small>sha256 ",
		    r->inputs[i].resources);
		esc(fp, r->inputs[i].sha256);
		fputs("</small></td></tr>\n", fp);
	}
	if (r->poam != NULL) {
		fputs("<tr><th>POA&amp;M</th><td>", fp);
		esc(fp, r->poam->path);
		fprintf(fp, " (%zu items)</td></tr>\n", r->poam->n);
	}
	fprintf(fp,
	    "<tr><th>started</th><td>%s</td></tr>\n"
	    "<tr><th>finished</th><td>%s</td></tr>\n</table>\n",
	    started, finished);
	fputs("<table>\n", fp);
	header_cells(fp, "");
	fputs("<tr><th>controls</th>", fp);
	count_cells(fp, r->count_controls);
	fputs("</tr>\n<tr><th>checks</th>", fp);
	count_cells(fp, checks);
	fputs("</tr>\n</table>\n</section>\n", fp);

	fputs("<section>\n<h2>By family</h2>\n<table>\n", fp);
	header_cells(fp, "family");
	nf = report_families(r, fam, MAX_FAMILIES);
	for (i = 0; i < nf; i++) {
		fputs("<tr><th>", fp);
		esc(fp, fam[i].name);
		fputs("</th>", fp);
		count_cells(fp, fam[i].n);
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n</section>\n", fp);

	section(fp, r, ST_FAIL, "Failed", max);
	section(fp, r, ST_ERROR, "Could not evaluate", max);
	gaps(fp, r, max);
	section(fp, r, ST_PARTIAL,
	    "Partial (automated evidence supports part of the control)", max);
	section(fp, r, ST_WAIVED, "Waived by POA&amp;M", max);

	fprintf(fp,
	    "<details>\n<summary>All controls (%zu)</summary>\n<table>\n"
	    "<tr><th>control</th><th>title</th><th>family</th>"
	    "<th>responsibility</th><th>status</th><th>checks</th></tr>\n",
	    r->ncontrols);
	for (i = 0; i < r->ncontrols; i++) {
		co = &r->controls[i];
		fputs("<tr><td class=\"id\">", fp);
		esc(fp, co->control->label);
		fputs("</td><td>", fp);
		esc(fp, co->control->title);
		fputs("</td><td>", fp);
		esc(fp, co->control->family);
		fprintf(fp, "</td><td>%s</td><td>",
		    responsibility_name(co->control->resp));
		badge(fp, co->status);
		fputs("</td><td>", fp);
		for (j = 0; j < co->nchecks; j++) {
			fputs(j > 0 ? "<br><span class=\"id\">"
				    : "<span class=\"id\">",
			    fp);
			esc(fp, co->checks[j].outcome->rule->id);
			fputc(' ', fp);
			badge(fp, co->checks[j].status);
			fputs("</span>", fp);
		}
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n</details>\n", fp);
	fputs("<footer>Generated by rampart ", fp);
	esc(fp, o->tool_version ? o->tool_version : "");
	fprintf(fp, " at %s.</footer>\n</body>\n</html>\n", finished);
	return ferror(fp) ? -1 : 0;
}
