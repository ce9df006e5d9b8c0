/*
 * junit.c: the JUnit XML report (Surefire / Jenkins xUnit junit-10.xsd),
 * for CI systems that show test results.
 *
 * One testsuite per control family; one testcase per control and check
 * (classname = the control's label, name = the check id), and one
 * testcase for each control without automated checks.  Statuses map as:
 * fail -> <failure> (resources, evidence, remediation in the body);
 * error -> <error> (could not evaluate); waived -> <skipped> naming the
 * POA&M item; not_applicable, manual and inherited -> <skipped>; pass ->
 * an empty testcase.  A partial control (its checks pass but decide only
 * part of it) gets one more testcase, name "control", <skipped
 * type="partial">: not a failure, not a pass either.  Every string is escaped by markup_escape(), which
 * also replaces the control characters XML 1.0 cannot carry at all.
 */
#include <string.h>

#include "reports/report.h"

#define MAX_FAMILIES 64
#define MAX_LISTED 50 /* resources listed in one failure body */

struct jcount {
	size_t tests, failures, errors, skipped;
};

static void
attr(FILE *fp, const char *name, const char *value)
{
	fprintf(fp, " %s=\"", name);
	markup_escape(fp, value != NULL ? value : "", 1);
	fputc('"', fp);
}

static void
count_case(struct jcount *c, enum status s)
{
	c->tests++;
	if (s == ST_FAIL)
		c->failures++;
	else if (s == ST_ERROR)
		c->errors++;
	else if (s != ST_PASS)
		c->skipped++;
}

static void
count_control(struct jcount *c, const struct control_outcome *co)
{
	size_t j;

	if (co->nchecks == 0) {
		count_case(c, co->status);
		return;
	}
	for (j = 0; j < co->nchecks; j++)
		count_case(c, co->checks[j].status);
	if (co->status == ST_PARTIAL)
		count_case(c, ST_PARTIAL);
}

/*
 * A partial control (its checks passed but decide only part of it): one
 * more testcase, skipped, since it is not a failure but not a pass
 * either; the per-check testcases above it pass.
 */
static void
write_partial(FILE *fp, const struct control_outcome *co)
{
	fputs("    <testcase name=\"control\"", fp);
	attr(fp, "classname", co->control->label);
	fputs(" time=\"0\">\n      <skipped type=\"partial\"", fp);
	attr(fp, "message",
	    "partial: the checks support part of this control; the rest "
	    "is open until an attestation or the provider's inheritance "
	    "covers it");
	fputs("/>\n    </testcase>\n", fp);
}

/* The body of a failure or error: each resource in that state. */
static void
body(FILE *fp, const struct check_outcome *o, enum status want)
{
	const struct check_result *res;
	size_t i, j, shown = 0;
	char line[64];

	for (i = 0; i < o->n; i++) {
		res = &o->results[i];
		if (res->status != want)
			continue;
		if (shown == MAX_LISTED)
			break;
		shown++;
		markup_escape(fp, res->resource_type, 0);
		fputc(' ', fp);
		markup_escape(fp, res->resource_id, 0);
		if (res->region != NULL) {
			fputs(" (", fp);
			markup_escape(fp, res->region, 0);
			fputc(')', fp);
		}
		fputs(": ", fp);
		markup_escape(fp, res->message, 0);
		fputc('\n', fp);
		for (j = 0; j < res->nev; j++) {
			fputs("  evidence: ", fp);
			markup_escape(fp, res->ev[j].path, 0);
			fputs(" = ", fp);
			markup_escape(fp,
			    res->ev[j].value ? res->ev[j].value : "(absent)",
			    0);
			if (res->ev[j].source.file != NULL) {
				fputs(" [", fp);
				markup_escape(fp, res->ev[j].source.file, 0);
				snprintf(line, sizeof(line), ":%u:%u]",
				    res->ev[j].source.line,
				    res->ev[j].source.col);
				fputs(line, fp);
			}
			fputc('\n', fp);
		}
	}
	if (o->counts[want] > shown) {
		char a[32], b[32];

		fprintf(fp, "... and %s more (%s in all",
		    report_count_text(o->counts[want] - shown, a),
		    report_count_text(o->counts[want], b));
		if (report_listed(o, want) < o->counts[want])
			fprintf(fp, ", %s listed: --max-results",
			    report_count_text(report_listed(o, want), a));
		fputs(")\n", fp);
	}
}

static void
write_check(FILE *fp, const struct control_outcome *co,
    const struct control_check_outcome *cc)
{
	const struct check_outcome *o = cc->outcome;
	const struct rule *ru = o->rule;
	char msg[256];

	fputs("    <testcase", fp);
	attr(fp, "name", ru->id);
	attr(fp, "classname", co->control->label);
	fputs(" time=\"0\">\n", fp);
	switch (cc->status) {
	case ST_PASS:
		break;
	case ST_FAIL:
		snprintf(msg, sizeof(msg), "%zu resource%s fail%s (%s)",
		    o->counts[ST_FAIL], o->counts[ST_FAIL] == 1 ? "" : "s",
		    o->counts[ST_FAIL] == 1 ? "s" : "",
		    severity_name(ru->severity));
		fputs("      <failure", fp);
		attr(fp, "type", severity_name(ru->severity));
		attr(fp, "message", msg);
		fputs(">", fp);
		markup_escape(fp, ru->title, 0);
		fputc('\n', fp);
		body(fp, o, ST_FAIL);
		if (ru->remediation != NULL) {
			fputs("remediation: ", fp);
			markup_escape(fp, ru->remediation, 0);
			fputc('\n', fp);
		}
		if (cc->expired != NULL) {
			fputs("POA&amp;M item ", fp);
			markup_escape(fp, cc->expired->id, 0);
			fputs(" expired on ", fp);
			markup_escape(fp, cc->expired->expires_text, 0);
			fputc('\n', fp);
		}
		fputs("</failure>\n", fp);
		break;
	case ST_ERROR:
		fputs("      <error type=\"error\"", fp);
		if (report_missing(o) != NULL && o->n == 0) {
			attr(fp, "message", report_missing(o));
			fputs(">", fp);
			markup_escape(fp, report_missing(o), 0);
			fputc('\n', fp);
		} else {
			attr(fp, "message", "could not evaluate");
			fputs(">", fp);
			body(fp, o, ST_ERROR);
		}
		fputs("</error>\n", fp);
		break;
	case ST_WAIVED:
		fputs("      <skipped type=\"waived\"", fp);
		if (cc->waiver != NULL) {
			fputs(" message=\"waived by POA&amp;M item ", fp);
			markup_escape(fp, cc->waiver->id, 1);
			fputs(" until ", fp);
			markup_escape(fp, cc->waiver->expires_text, 1);
			fputs("\">", fp);
			markup_escape(fp, cc->waiver->justification, 0);
			fputc('\n', fp);
			body(fp, o, ST_FAIL);
			fputs("</skipped>\n", fp);
		} else {
			fputs("/>\n", fp);
		}
		break;
	default:
		fputs("      <skipped", fp);
		attr(fp, "type", status_name(cc->status));
		attr(
		    fp, "message", "no resource of the checked types in scope");
		fputs("/>\n", fp);
		break;
	}
	fputs("    </testcase>\n", fp);
}

/* A control with no automated check: one skipped (or decided) case. */
static void
write_control(FILE *fp, const struct control_outcome *co)
{
	const char *why;

	fputs("    <testcase", fp);
	attr(fp, "name", co->control->label);
	attr(fp, "classname", co->control->label);
	fputs(" time=\"0\">\n", fp);
	switch (co->status) {
	case ST_MANUAL:
		why = "manual: needs attested evidence";
		break;
	case ST_INHERITED:
		why = "inherited: the provider's responsibility";
		break;
	case ST_NOT_APPLICABLE:
		why = "no automated check in scope";
		break;
	default:
		why = NULL;
	}
	if (why != NULL) {
		fputs("      <skipped", fp);
		attr(fp, "type", status_name(co->status));
		attr(fp, "message", why);
		fputs("/>\n", fp);
	} else if (co->status == ST_FAIL) {
		fputs("      <failure type=\"fail\"", fp);
		attr(fp, "message", co->note);
		fputs("/>\n", fp);
	} else if (co->status == ST_ERROR) {
		fputs("      <error type=\"error\"", fp);
		attr(fp, "message", co->note);
		fputs("/>\n", fp);
	}
	fputs("    </testcase>\n", fp);
}

static void
counts_attrs(FILE *fp, const struct jcount *c, int skipped)
{
	fprintf(fp, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"", c->tests,
	    c->failures, c->errors);
	if (skipped)
		fprintf(fp, " skipped=\"%zu\"", c->skipped);
}

int
report_junit(FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	struct family_count fam[MAX_FAMILIES];
	struct jcount all, c;
	char started[32], finished[32];
	const struct control_outcome *co;
	size_t nf, f, i, j;

	report_times(r, o, started, finished);
	nf = report_families(r, fam, MAX_FAMILIES);
	memset(&all, 0, sizeof(all));
	for (i = 0; i < r->ncontrols; i++)
		count_control(&all, &r->controls[i]);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", fp);
	attr(fp, "name", r->bl->id);
	counts_attrs(fp, &all, 0);
	fputs(" time=\"0\">\n", fp);
	for (f = 0; f < nf; f++) {
		memset(&c, 0, sizeof(c));
		for (i = 0; i < r->ncontrols; i++)
			if (strcmp(r->controls[i].control->family
				    ? r->controls[i].control->family
				    : "?",
				fam[f].name) == 0)
				count_control(&c, &r->controls[i]);
		fputs("  <testsuite", fp);
		attr(fp, "name", fam[f].name);
		attr(fp, "package", r->bl->id);
		counts_attrs(fp, &c, 1);
		attr(fp, "timestamp", started);
		fputs(" time=\"0\">\n", fp);
		fputs("    <properties>\n", fp);
		fputs("      <property name=\"baseline\"", fp);
		attr(fp, "value", r->bl->id);
		fputs("/>\n      <property name=\"baseline.sha256\"", fp);
		attr(fp, "value", r->bl->sha256);
		fputs("/>\n      <property name=\"verdict\"", fp);
		attr(fp, "value", verdict_name(r->verdict));
		fputs("/>\n      <property name=\"gate\"", fp);
		attr(fp, "value", gate_name(r->opts.gate));
		if (report_gate_result(r) != NULL) {
			fputs("/>\n      <property name=\"gate.result\"", fp);
			attr(fp, "value", report_gate_result(r));
		}
		if (r->opts.sel.text != NULL) {
			fputs("/>\n      <property name=\"selection\"", fp);
			attr(fp, "value", r->opts.sel.text);
		}
		fputs("/>\n      <property name=\"rampart.version\"", fp);
		attr(fp, "value", o->tool_version);
		fputs("/>\n    </properties>\n", fp);
		for (i = 0; i < r->ncontrols; i++) {
			co = &r->controls[i];
			if (strcmp(
				co->control->family ? co->control->family : "?",
				fam[f].name) != 0)
				continue;
			if (co->nchecks == 0)
				write_control(fp, co);
			for (j = 0; j < co->nchecks; j++)
				write_check(fp, co, &co->checks[j]);
			if (co->nchecks > 0 && co->status == ST_PARTIAL)
				write_partial(fp, co);
		}
		fputs("  </testsuite>\n", fp);
	}
	fputs("</testsuites>\n", fp);
	(void)finished;
	return ferror(fp) ? -1 : 0;
}
