/*
 * text.c: the report for a person at a terminal, in 80 columns (long
 * lines wrap under their own indentation).  The verdict comes first,
 * then the counts; then the failing checks, each once whatever the number
 * of controls it evidences (every failing resource up to --max-items,
 * its evidence, the remediation); the evidence gaps (every errored result
 * with its reason, also inside failing checks); waived checks; then the
 * controls by status, each listing its checks by id; attestations; a
 * per-family summary.  Evidence values that are absent say nothing the
 * result's message does not, and are left out (report.json keeps them).
 * Colour only when asked (a tty without NO_COLOR).
 */
#include <stdarg.h>
#include <string.h>

#include "reports/report.h"

#define TEXT_WIDTH 80
/* Bytes of one evidence value shown; the JSON report has all of it. */
#define TEXT_VALUE_MAX 240

struct tctx {
	FILE *fp;
	const struct assessment *r;
	const struct report_opts *o;
	int color;
	size_t max; /* resources shown per check and status */
	struct strbuf line; /* the logical line being built */
};

/* ------------------------------------------------------- wrapped lines */

static void
t_raw(struct tctx *t, const char *s)
{
	sb_adds(&t->line, s);
}

static void PRINTF_LIKE(2, 3) t_fmt(struct tctx *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sb_adds(&t->line, buf);
}

/*
 * Append at most max bytes (0 = all) of untrusted s, escaped as
 * text_escape() does: controls, DEL, C1 and malformed UTF-8 are shown,
 * never sent to the terminal.  A cut value says how long it was.
 */
static void
t_esc_max(struct tctx *t, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len, done = 0, i;
	uint32_t cp;
	char buf[8];

	if (s == NULL)
		return;
	n = strlen(s);
	while (done < n) {
		if (max > 0 && done >= max) {
			t_fmt(t, "... (%zu bytes)", n);
			return;
		}
		len = utf8_decode(p + done, n - done, &cp);
		if (len == 1 && cp == '\n') {
			t_raw(t, "\\n");
		} else if (len == 1 && cp == '\t') {
			t_raw(t, "\\t");
		} else if (len == 0 || cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0)) {
			if (len == 0)
				len = 1;
			for (i = 0; i < len; i++) {
				snprintf(
				    buf, sizeof(buf), "\\x%02x", p[done + i]);
				t_raw(t, buf);
			}
		} else {
			sb_add(&t->line, (const char *)p + done, len);
		}
		done += len;
	}
}

static void
t_esc(struct tctx *t, const char *s)
{
	t_esc_max(t, s, 0);
}

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

/* Length of the unit at p: a whole colour sequence or one character. */
static size_t
unit_len(const char *p, int *width)
{
	size_t n = 1;

	if (p[0] == '\033') {
		/* Ours alone: untrusted text has its ESC escaped. */
		while (p[n] != '\0' && p[n] != 'm')
			n++;
		*width = 0;
		return p[n] == 'm' ? n + 1 : n;
	}
	while ((((unsigned char)p[n]) & 0xc0) == 0x80)
		n++;
	*width = 1;
	return n;
}

static size_t
text_width(const char *p, size_t n)
{
	size_t i = 0, w = 0, u;
	int cw;

	while (i < n) {
		u = unit_len(p + i, &cw);
		i += u;
		w += (size_t)cw;
	}
	return w;
}

static void
newline(struct tctx *t, size_t hang, size_t *col_)
{
	fprintf(t->fp, "\n%*s", (int)hang, "");
	*col_ = hang;
}

/*
 * Where to cut the word [p, q) to fit room columns: after the last '/'
 * or ':' that fits, when that keeps at least half the room; else after
 * room columns.
 */
static const char *
cut_point(const char *p, const char *q, size_t room)
{
	const char *end = p, *sep = NULL;
	size_t c = 0, u;
	int cw;

	while (end < q) {
		u = unit_len(end, &cw);
		if (c + (size_t)cw > room)
			break;
		c += (size_t)cw;
		end += u;
		if (end[-1] == '/' || end[-1] == ':')
			sep = end;
	}
	if (end == p && p < q) /* nothing fits: one character anyway */
		end += unit_len(p, &cw);
	return sep != NULL && (size_t)(sep - p) * 2 >= room && sep < q ? sep
								       : end;
}

/*
 * Write the logical line at indent, wrapped at TEXT_WIDTH columns with
 * the continuation lines at hang; a word wider than a line is cut.
 */
static void
t_line(struct tctx *t, size_t indent, size_t hang)
{
	const char *p = t->line.s != NULL ? t->line.s : "";
	const char *q, *sp, *cut;
	size_t c = indent, w, u;
	int cw, first = 1;

	if (t->line.oom) {
		fputs("(out of memory)\n", t->fp);
		t->line.oom = 0;
		t->line.len = 0;
		return;
	}
	fprintf(t->fp, "%*s", (int)indent, "");
	while (*p != '\0') {
		sp = p;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		q = p;
		while (*q != '\0' && *q != ' ')
			q++;
		w = text_width(p, (size_t)(q - p));
		if (!first && c + (size_t)(p - sp) + w > TEXT_WIDTH)
			newline(t, hang, &c);
		else if (!first) {
			fwrite(sp, 1, (size_t)(p - sp), t->fp);
			c += (size_t)(p - sp);
		}
		/*
		 * Cut a word that fits on no line: after its last '/' or
		 * ':' that fits (an ARN, a path), else where the line ends.
		 */
		while (c + w > TEXT_WIDTH && c < TEXT_WIDTH) {
			cut = cut_point(p, q, TEXT_WIDTH - c);
			while (p < cut) {
				u = unit_len(p, &cw);
				fwrite(p, 1, u, t->fp);
				p += u;
				c += (size_t)cw;
			}
			w = text_width(p, (size_t)(q - p));
			if (w > 0)
				newline(t, hang, &c);
		}
		fwrite(p, 1, (size_t)(q - p), t->fp);
		c += w;
		p = q;
		first = 0;
	}
	fputc('\n', t->fp);
	t->line.len = 0;
	if (t->line.s != NULL)
		t->line.s[0] = '\0';
}

/* ------------------------------------------------------------- pieces */

static void
counts_line(struct tctx *t, const char *what, const size_t *n, int controls)
{
	int i, first = 1;

	t_fmt(t, "%-9s", what);
	for (i = 0; i < ST_COUNT; i++) {
		if (!controls && i >= ST_MANUAL && i != ST_WAIVED)
			continue;
		/* Zeros but the three that always matter are noise. */
		if (n[i] == 0 && i != ST_PASS && i != ST_FAIL && i != ST_ERROR)
			continue;
		t_fmt(t, "%s %s%zu %s%s", first ? "" : ",",
		    n[i] ? col(t, (enum status)i) : "", n[i],
		    report_status_text((enum status)i), n[i] ? off(t) : "");
		first = 0;
	}
	t_line(t, 0, 10);
}

/*
 * Whether evidence j of res is worth a line: an absent value says
 * nothing the message does not ("... is absent", "not exported"), so it
 * is shown only for a result without a message.
 */
static int
ev_shown(const struct check_result *res, size_t j)
{
	return res->ev[j].value != NULL || res->message == NULL ||
	    res->message[0] == '\0';
}

/*
 * An evidence file named under the run's only input: the part after the
 * input's path (the header names the input once).  With several inputs
 * the whole path, so no file is mistaken for another.
 */
static const char *
short_path(const struct assessment *r, const char *file)
{
	size_t n;

	if (r->ninputs != 1 || r->inputs[0].path == NULL)
		return file;
	n = strlen(r->inputs[0].path);
	if (n > 0 && strncmp(file, r->inputs[0].path, n) == 0 &&
	    file[n] == '/' && file[n + 1] != '\0')
		return file + n + 1;
	return file;
}

static void
show_result(struct tctx *t, const struct check_result *res)
{
	size_t j, shown = 0;

	t_esc(t, res->resource_type ? res->resource_type : "?");
	t_raw(t, " ");
	t_esc(t, res->resource_id ? res->resource_id : "(listing)");
	if (res->region != NULL) {
		t_raw(t, " (");
		t_esc(t, res->region);
		t_raw(t, ")");
	}
	t_line(t, 4, 8);
	t_esc(t,
	    res->message && res->message[0] ? res->message
					    : status_name(res->status));
	t_line(t, 6, 6);
	for (j = 0; j < res->nev && shown < 4; j++) {
		if (!ev_shown(res, j))
			continue;
		shown++;
		t_raw(t, "evidence: ");
		t_esc(t, res->ev[j].path);
		t_raw(t, " = ");
		if (res->ev[j].value != NULL)
			t_esc_max(t, res->ev[j].value, TEXT_VALUE_MAX);
		else
			t_raw(t, "(absent)");
		if (res->ev[j].source.file != NULL) {
			t_raw(t, " at ");
			t_esc(t, short_path(t->r, res->ev[j].source.file));
			t_fmt(t, ":%u:%u", res->ev[j].source.line,
			    res->ev[j].source.col);
		}
		t_line(t, 6, 10);
	}
}

/*
 * The results of o in status want, at most t->max, then how many were
 * cut: by --max-items here, by --max-results in the engine (the counts
 * stay exact either way).
 */
static void
show_results(struct tctx *t, const struct check_outcome *o, enum status want)
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
		t_fmt(t, "... and %s more %s resources",
		    report_count_text(o->counts[want] - shown, a),
		    want == ST_FAIL        ? "failing"
			: want == ST_ERROR ? "errored"
					   : "passing");
		if (listed < o->counts[want])
			t_fmt(t, " (%s listed of %s: --max-results)",
			    report_count_text(listed, a),
			    report_count_text(o->counts[want], b));
		else
			t_raw(t, " (--max-items)");
		t_line(t, 4, 8);
	}
}

/*
 * The parameters of a check that a baseline set or tried to set, with
 * their provenance: `max_unused_days = 90 from ac-02.03_odp.02 "ninety
 * (90) days"`.  Plain defaults are not repeated.
 */
static void
show_params(struct tctx *t, const struct check_outcome *o)
{
	struct strbuf sb;
	size_t i;

	for (i = 0; i < report_nparams(o); i++) {
		sb_init(&sb);
		if (report_param_text(o, i, &sb) == 1) {
			t_esc(t, sb.s);
			t_line(t, 4, 8);
		}
		sb_free(&sb);
	}
}

/* "[AC-2(3), SC-7]": the labels of the controls that use o. */
static void
control_labels(
    struct tctx *t, const struct assessment *r, const struct check_outcome *o)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->ncontrols; i++)
		for (j = 0; j < r->controls[i].nchecks; j++)
			if (r->controls[i].checks[j].outcome == o) {
				t_raw(t, n++ ? ", " : "[");
				t_esc(t, r->controls[i].control->label);
				break;
			}
	if (n > 0)
		t_raw(t, "]");
}

/*
 * The waiver of o when every control that uses o has it waived (a
 * failure still open for one control is a failure), else NULL.
 */
static const struct control_check_outcome *
all_waived(const struct assessment *r, const struct check_outcome *o)
{
	const struct control_check_outcome *cc, *found = NULL;
	size_t i, j;

	for (i = 0; i < r->ncontrols; i++)
		for (j = 0; j < r->controls[i].nchecks; j++) {
			cc = &r->controls[i].checks[j];
			if (cc->outcome != o)
				continue;
			if (cc->status != ST_WAIVED || cc->waiver == NULL)
				return NULL;
			if (found == NULL)
				found = cc;
		}
	return found;
}

/* The POA&M items that waive o for some control, one line each. */
static void
waivers(
    struct tctx *t, const struct assessment *r, const struct check_outcome *o)
{
	const struct control_check_outcome *cc;
	size_t i, j;

	for (i = 0; i < r->ncontrols; i++)
		for (j = 0; j < r->controls[i].nchecks; j++) {
			cc = &r->controls[i].checks[j];
			if (cc->outcome != o || cc->waiver == NULL)
				continue;
			t_raw(t, "waived for ");
			t_esc(t, r->controls[i].control->label);
			t_raw(t, " by POA&M item ");
			t_esc(t, cc->waiver->id);
			t_raw(t, " until ");
			t_esc(t, cc->waiver->expires_text);
			t_line(t, 4, 8);
		}
}

/* One check's heading: status, id, severity, title, its controls. */
static void
check_head(struct tctx *t, const struct assessment *r,
    const struct check_outcome *o, enum status s)
{
	const struct rule *ru = o->rule;

	t_fmt(t, "%s%s%s ", col(t, s), status_name(s), off(t));
	t_esc(t, ru->id);
	t_fmt(t, " [%s] ", severity_name(ru->severity));
	control_labels(t, r, o);
	t_line(t, 2, 6);
	if (ru->title != NULL) {
		t_esc(t, ru->title);
		t_line(t, 4, 4);
	}
}

/* Errored resources of o, said in one line (EVIDENCE GAPS lists them). */
static void
errors_pointer(struct tctx *t, const struct check_outcome *o)
{
	char a[32];

	if (o->counts[ST_ERROR] > 0)
		t_fmt(t,
		    "%s resource%s could not be evaluated: see EVIDENCE GAPS",
		    report_count_text(o->counts[ST_ERROR], a),
		    o->counts[ST_ERROR] == 1 ? "" : "s");
	else if (report_missing(o) != NULL)
		t_raw(t, "evidence is missing: see EVIDENCE GAPS");
	else
		return;
	t_line(t, 4, 8);
}

static int
failing(const struct check_outcome *o)
{
	return o->counts[ST_FAIL] > 0 || o->status == ST_FAIL;
}

/*
 * Every failing check once (waived = 0: those some control still fails
 * for; 1: those every control waives), with its failing resources,
 * waivers, a pointer to its gaps and the remediation.
 */
static void
failed_checks(struct tctx *t, const struct assessment *r, int waived)
{
	const struct check_outcome *o;
	size_t i, n = 0;

	for (i = 0; i < r->nchecks; i++) {
		o = &r->checks[i];
		if (!failing(o) || (all_waived(r, o) != NULL) != waived)
			continue;
		if (n++ == 0) {
			fputc('\n', t->fp);
			t_fmt(t, "%s%s%s", col(t, waived ? ST_WAIVED : ST_FAIL),
			    waived ? "WAIVED BY POA&M (failing checks every "
				     "control has waived)"
				   : "FAILED CHECKS",
			    off(t));
			t_line(t, 0, 2);
		}
		check_head(t, r, o, waived ? ST_WAIVED : ST_FAIL);
		show_params(t, o);
		show_results(t, o, ST_FAIL);
		waivers(t, r, o);
		errors_pointer(t, o);
		if (o->rule->remediation != NULL) {
			t_raw(t, "remediation: ");
			t_esc(t, o->rule->remediation);
			t_line(t, 4, 6);
		}
	}
}

/*
 * Every check that could not evaluate some resource, or saw no evidence
 * at all, with each errored resource and its reason: whatever the status
 * of the controls using it, since an error inside a failing control is
 * evidence missing all the same.
 */
static void
gaps(struct tctx *t, const struct assessment *r)
{
	const struct check_outcome *o;
	size_t i, n = 0;

	for (i = 0; i < r->nchecks; i++) {
		o = &r->checks[i];
		if (!report_gap(o))
			continue;
		if (n++ == 0) {
			fputc('\n', t->fp);
			t_fmt(t,
			    "%sEVIDENCE GAPS (could not evaluate: never a "
			    "pass)%s",
			    col(t, ST_ERROR), off(t));
			t_line(t, 0, 2);
		}
		check_head(t, r, o, ST_ERROR);
		show_params(t, o);
		if (report_missing(o) != NULL) {
			t_esc(t, report_missing(o));
			t_line(t, 4, 6);
		}
		if (o->counts[ST_ERROR] > 0)
			show_results(t, o, ST_ERROR);
	}
}

/* The checks of co in status s, by id: "fail: a, b". */
static int
checks_in(
    struct tctx *t, const struct control_outcome *co, enum status s, int n)
{
	size_t j;
	int k = 0;

	for (j = 0; j < co->nchecks; j++) {
		if (co->checks[j].status != s)
			continue;
		if (k++ == 0)
			t_fmt(t, "%s%s%s%s: ", n > 0 ? "; " : "", col(t, s),
			    report_status_text(s), off(t));
		else
			t_raw(t, ", ");
		t_esc(t, co->checks[j].outcome->rule->id);
	}
	return n + k;
}

/*
 * Every control whose status is s, each with its checks by id (the
 * checks' findings are above, once each) and the decision's note.
 */
static size_t
controls(struct tctx *t, const struct assessment *r, enum status s,
    const char *title)
{
	static const enum status order[] = { ST_FAIL, ST_ERROR, ST_WAIVED,
		ST_PASS, ST_NOT_APPLICABLE };
	const struct control_outcome *co;
	size_t i, k, n = 0, lw;
	int m;

	for (i = 0; i < r->ncontrols; i++) {
		co = &r->controls[i];
		if (co->status != s)
			continue;
		if (n++ == 0) {
			fputc('\n', t->fp);
			t_fmt(t, "%s%s%s", col(t, s), title, off(t));
			t_line(t, 0, 2);
		}
		t_esc(t, co->control->label);
		lw = strlen(co->control->label);
		t_fmt(t, "%*s ", (int)(lw < 9 ? 9 - lw : 0), "");
		t_esc(t, co->control->title);
		t_line(t, 2, 12);
		for (k = 0, m = 0; k < sizeof(order) / sizeof(order[0]); k++)
			m = checks_in(t, co, order[k], m);
		if (m > 0)
			t_line(t, 12, 14);
		/*
		 * An undecided control's note names its erroring check,
		 * listed just above; partial controls share the note the
		 * section title says.
		 */
		if (co->note != NULL && s != ST_ERROR &&
		    !(s == ST_PARTIAL &&
			strncmp(co->note, "the checks decide part", 22) == 0)) {
			t_raw(t, "note: ");
			t_esc(t, co->note);
			t_line(t, 12, 14);
		}
	}
	return n;
}

/* Width of the BY FAMILY column of status s. */
static int
fam_width(int s)
{
	size_t n = strlen(report_status_text((enum status)s));

	return n < 5 ? 5 : (int)n;
}

static void
families(struct tctx *t, const struct assessment *r)
{
	struct family_count fc[64];
	size_t nf, f, len;
	int s;

	nf = report_families(r, fc, 64);
	fputs("\nBY FAMILY\n  family", t->fp);
	for (s = 0; s < ST_COUNT; s++)
		fprintf(t->fp, " %*s", fam_width(s),
		    report_status_text((enum status)s));
	fputc('\n', t->fp);
	for (f = 0; f < nf; f++) {
		fputs("  ", t->fp);
		text_escape(t->fp, fc[f].name);
		len = strlen(fc[f].name);
		fprintf(t->fp, "%*s", (int)(len < 6 ? 6 - len : 0), "");
		for (s = 0; s < ST_COUNT; s++)
			fprintf(t->fp, " %*zu", fam_width(s), fc[f].n[s]);
		fputc('\n', t->fp);
	}
}

/*
 * Manual controls decided by attestation (a pass on someone's word, so
 * shown apart from automated passes), and stale attestations.
 */
static void
attested(struct tctx *t, const struct assessment *r)
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
			fputs("\nATTESTED (manual evidence, not verified by "
			      "this scan)\n",
			    t->fp);
		t_esc(t, co->control->label);
		if (at == NULL) {
			t_raw(t, "  still manual: ");
			t_esc(t, co->note);
			t_line(t, 2, 6);
			continue;
		}
		t_raw(t, "  attested by ");
		t_esc(t, at->attested_by);
		t_raw(t, " on ");
		t_esc(t, at->date_text);
		t_raw(t, ", expires ");
		t_esc(t, at->expires_text);
		t_fmt(t, ", %zu evidence reference%s", at->nevidence,
		    at->nevidence == 1 ? "" : "s");
		t_line(t, 2, 6);
	}
}

/* With --verbose: every passing check with its passing resources. */
static void
passed_checks(struct tctx *t, const struct assessment *r)
{
	const struct check_outcome *o;
	size_t i, n = 0;

	for (i = 0; i < r->nchecks; i++) {
		o = &r->checks[i];
		if (o->status != ST_PASS)
			continue;
		if (n++ == 0) {
			fputc('\n', t->fp);
			t_fmt(t, "%sPASSED CHECKS%s", col(t, ST_PASS), off(t));
			t_line(t, 0, 2);
		}
		check_head(t, r, o, ST_PASS);
		show_params(t, o);
		show_results(t, o, ST_PASS);
	}
}

static void
header(struct tctx *t, const struct assessment *r)
{
	enum status vs;
	size_t i, checks[ST_COUNT];
	char when[32];

	vs = r->verdict == VERDICT_ELIGIBLE      ? ST_PASS
	    : r->verdict == VERDICT_NOT_ELIGIBLE ? ST_FAIL
						 : ST_ERROR;
	t_fmt(t, "verdict: %s%s%s  baseline ", col(t, vs),
	    report_verdict_text(r->verdict), off(t));
	t_esc(t, r->bl->id);
	t_raw(t, " (");
	t_esc(t, r->bl->title ? r->bl->title : "");
	t_raw(t, ", impact ");
	t_esc(t, r->bl->impact ? r->bl->impact : "unset");
	t_raw(t, ")");
	t_line(t, 0, 10);
	if (report_gate_note(r) != NULL) {
		t_fmt(t, "%s%s%s", col(t, vs), report_gate_note(r), off(t));
		t_line(t, 0, 10);
	}
	if (r->opts.sel.text != NULL) {
		t_raw(t, "selection: ");
		t_esc(t, r->opts.sel.text);
		t_raw(t,
		    " (a tailored scan: controls of checks not run stay "
		    "open)");
		t_line(t, 0, 11);
	}
	if (t->o->new_since != NULL) {
		t_raw(t, "new since ");
		t_esc(t, t->o->new_since);
		t_fmt(t,
		    ": %zu new failing finding%s; known (already there): %zu",
		    t->o->nnew, t->o->nnew == 1 ? "" : "s", t->o->nknown);
		t_line(t, 0, 10);
	}
	/* Zero parts but automated and open say nothing. */
	t_fmt(t, "coverage: %zu controls: %zu automated", r->ncontrols,
	    r->cov.automated);
	if (r->cov.attested > 0)
		t_fmt(t, ", %zu attested", r->cov.attested);
	if (r->cov.inherited > 0)
		t_fmt(t, ", %zu inherited", r->cov.inherited);
	if (r->cov.declared > 0)
		t_fmt(t, ", %zu declared not applicable", r->cov.declared);
	t_fmt(t, ", %zu open (manual or partial)", r->cov.open);
	t_line(t, 0, 10);
	counts_line(t, "controls:", r->count_controls, 1);
	report_check_counts(r, checks);
	counts_line(t, "checks:", checks, 0);
	for (i = 0; i < r->ninputs; i++) {
		t_raw(t, "input:    ");
		t_esc(t, r->inputs[i].path);
		t_raw(t, " (");
		t_esc(t, r->inputs[i].format);
		t_fmt(t, ", %zu resources", r->inputs[i].resources);
		if (r->inputs[i].collected != 0) {
			format_time(r->inputs[i].collected, when);
			t_fmt(t, ", collected %s (", when);
			t_esc(t, r->inputs[i].collected_how);
			t_raw(t, ")");
		}
		if (r->inputs[i].stale)
			t_raw(t, ", OLDER THAN --max-evidence-age");
		t_raw(t, ")");
		t_line(t, 0, 10);
	}
	if (r->count_controls[ST_MANUAL] > 0) {
		t_fmt(t,
		    "note:     manual controls: %zu; they need attested "
		    "evidence, this scan does not decide them",
		    r->count_controls[ST_MANUAL]);
		t_line(t, 0, 10);
	}
}

int
report_text(FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	struct tctx t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.fp = fp;
	t.r = r;
	t.o = o;
	t.color = o->color;
	t.max = report_max_items(o, REPORT_DEFAULT_MAX_ITEMS);
	sb_init(&t.line);
	header(&t, r);
	failed_checks(&t, r, 0);
	gaps(&t, r);
	failed_checks(&t, r, 1);
	controls(&t, r, ST_FAIL, "FAILED CONTROLS");
	controls(&t, r, ST_ERROR,
	    "UNDECIDED CONTROLS (error: evidence missing or unreadable)");
	controls(&t, r, ST_PARTIAL,
	    "PARTIAL CONTROLS (the checks decide part of each; attest the "
	    "rest, or have the provider's CRM cover it)");
	controls(&t, r, ST_WAIVED, "WAIVED CONTROLS (POA&M)");
	attested(&t, r);
	if (o->verbose) {
		controls(&t, r, ST_PASS, "PASSED CONTROLS");
		passed_checks(&t, r);
	}
	families(&t, r);
	rc = ferror(fp) || t.line.oom ? -1 : 0;
	sb_free(&t.line);
	return rc;
}
