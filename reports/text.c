/*
 * text.c: the report for a person at a terminal.  The verdict comes
 * first, then the counts, then what failed (resource, evidence,
 * remediation), what could not be evaluated, what is waived, and a
 * per-family summary.  Colour only when asked (a tty without NO_COLOR).
 */
#include <string.h>

#include "reports/report.h"

#define MAX_SHOWN 20 /* resources shown per check before "and N more" */

struct tctx {
	FILE *fp;
	int color;
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
show_results(
    const struct tctx *t, const struct check_outcome *o, enum status want)
{
	const struct check_result *res;
	size_t i, j, shown = 0, total = 0;

	for (i = 0; i < o->n; i++) {
		res = &o->results[i];
		if (res->status != want)
			continue;
		total++;
		if (shown >= MAX_SHOWN)
			continue;
		shown++;
		fputs("      ", t->fp);
		text_escape(t->fp, res->resource_type);
		fputc(' ', t->fp);
		text_escape(t->fp, res->resource_id);
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
			text_escape(t->fp,
			    res->ev[j].value ? res->ev[j].value : "(absent)");
			if (res->ev[j].source.file != NULL) {
				fputs("  [", t->fp);
				text_escape(t->fp, res->ev[j].source.file);
				fprintf(t->fp, ":%u:%u]",
				    res->ev[j].source.line,
				    res->ev[j].source.col);
			}
			fputc('\n', t->fp);
		}
	}
	if (o->counts[want] > shown)
		fprintf(
		    t->fp, "      ... and %zu more\n", o->counts[want] - shown);
	(void)total;
}

/*
 * The parameters of a check that a baseline set or tried to set, with
 * their provenance: `max_unused_days = 90 from ac-02.03_odp.02 "ninety
 * (90) days"`.  Plain defaults are not repeated.
 */
static void
show_params(const struct tctx *t, const struct check_outcome *o)
{
	const struct doc_node *src, *v;
	const char *from, *param, *text, *note;
	size_t i;

	if (o->param_src == NULL || o->param_src->type != DOC_MAP)
		return;
	for (i = 0; i < o->param_src->u.map.n; i++) {
		src = o->param_src->u.map.pairs[i].val;
		from = doc_str(doc_get(src, "from"));
		param = doc_str(doc_get(src, "param"));
		text = doc_str(doc_get(src, "text"));
		note = doc_str(doc_get(src, "note"));
		if (from == NULL ||
		    (param == NULL && strcmp(from, "default") == 0))
			continue;
		v = doc_get(o->params, o->param_src->u.map.pairs[i].key->str);
		fputs("      ", t->fp);
		text_escape(t->fp, o->param_src->u.map.pairs[i].key->str);
		fputs(" = ", t->fp);
		text_escape(t->fp, v != NULL && v->str != NULL ? v->str : "?");
		if (param != NULL) {
			fputs(" (default; ", t->fp);
			text_escape(t->fp, param);
			if (text != NULL) {
				fputs(" \"", t->fp);
				text_escape(t->fp, text);
				fputc('"', t->fp);
			}
			if (note != NULL) {
				fputs(": ", t->fp);
				text_escape(t->fp, note);
			}
			fputc(')', t->fp);
		} else if (strcmp(from, "binding") == 0) {
			fputs(" (set by the binding)", t->fp);
		} else {
			fputs(" from ", t->fp);
			text_escape(t->fp, from);
			if (text != NULL) {
				fputs(" \"", t->fp);
				text_escape(t->fp, text);
				fputc('"', t->fp);
			}
		}
		fputc('\n', t->fp);
	}
}

/* Print every control whose status is s, with its checks in state s. */
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
		for (j = 0; j < co->nchecks; j++) {
			cc = &co->checks[j];
			if (cc->status != s)
				continue;
			ru = cc->outcome->rule;
			fputs("    ", t->fp);
			text_escape(t->fp, ru->id);
			fprintf(t->fp, " [%s] ", severity_name(ru->severity));
			text_escape(t->fp, ru->title);
			fputc('\n', t->fp);
			show_params(t, cc->outcome);
			show_results(
			    t, cc->outcome, s == ST_WAIVED ? ST_FAIL : s);
			if (s == ST_ERROR && cc->outcome->n == 0 &&
			    cc->outcome->rule->required) {
				fputs("      no resource of type ", t->fp);
				text_escape(
				    t->fp, ru->ntypes ? ru->types[0] : "?");
				fputs(" in the inputs: evidence is missing\n",
				    t->fp);
			}
			if ((s == ST_FAIL || s == ST_WAIVED) &&
			    ru->remediation != NULL) {
				fputs("      remediation: ", t->fp);
				text_escape(t->fp, ru->remediation);
				fputc('\n', t->fp);
			}
		}
	}
	return n;
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
	struct tctx t = { fp, o->color };
	const char *v;
	enum status vs;
	size_t i;

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
	fprintf(fp,
	    "coverage: %zu controls: %zu automated, %zu attested, "
	    "%zu inherited, %zu open (manual, no valid attestation)\n",
	    r->ncontrols, r->cov.automated, r->cov.attested, r->cov.inherited,
	    r->cov.open);
	counts_line(&t, "controls:", r->count_controls, 1);
	counts_line(&t, "checks:", r->count_checks, 0);
	for (i = 0; i < r->ninputs; i++) {
		fputs("input:    ", fp);
		text_escape(fp, r->inputs[i].path);
		fputs(" (", fp);
		text_escape(fp, r->inputs[i].format);
		fprintf(fp, ", %zu resources)\n", r->inputs[i].resources);
	}
	if (r->count_controls[ST_MANUAL] > 0)
		fprintf(fp,
		    "note:     manual controls: %zu; they need attested "
		    "evidence, this scan does not decide them\n",
		    r->count_controls[ST_MANUAL]);
	section(&t, r, ST_FAIL, "FAILED");
	section(&t, r, ST_ERROR, "COULD NOT EVALUATE (error)");
	section(&t, r, ST_WAIVED, "WAIVED BY POA&M");
	attested(&t, r);
	if (o->verbose)
		section(&t, r, ST_PASS, "PASSED");
	families(&t, r);
	return ferror(fp) ? -1 : 0;
}
