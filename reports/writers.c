/*
 * writers.c: the table of report formats and the atomic write around
 * each of them.  Adding a format is one file plus one line here.
 */
#include <string.h>

#include "reports/report.h"

static const struct writer w_html = { "html", "report.html",
	"self-contained HTML page (inline CSS, no scripts)", report_html,
	NULL };
static const struct writer w_json = { "json", "report.json",
	"machine-readable report (docs/report.schema.json)", report_json,
	NULL };
static const struct writer w_junit = { "junit", "report.junit.xml",
	"JUnit XML: one testcase per control and check", report_junit, NULL };
static const struct writer w_markdown = { "markdown", "report.md",
	"Markdown with GitHub tables", report_markdown, NULL };
/* Not in the table: written beside the results, which import it. */
static const struct writer w_oscal_ap = { "oscal-ap", OSCAL_AP_FILENAME,
	"OSCAL 1.1.2 assessment-plan", report_oscal_ap, NULL };
static const struct writer w_oscal = { "oscal", "report.oscal.json",
	"OSCAL 1.1.2 assessment-results (and its assessment plan, "
	"report.oscal-ap.json)",
	report_oscal_ar, &w_oscal_ap };
static const struct writer w_oscal_poam = { "oscal-poam",
	"report.poam.oscal.json",
	"OSCAL 1.1.2 POA&M: one item per open weakness", report_oscal_poam,
	NULL };
static const struct writer w_poam_csv = { "poam-csv", "report.poam.csv",
	"POA&M items with the FedRAMP template's column names", report_poam_csv,
	NULL };
static const struct writer w_sarif = { "sarif", "report.sarif",
	"SARIF 2.1.0 for code scanning", report_sarif, NULL };
static const struct writer w_summary_md = { "summary-md", "summary.md",
	"short Markdown summary for $GITHUB_STEP_SUMMARY (about 60 lines)",
	report_summary_md, NULL };
static const struct writer w_text = { "text", "report.txt",
	"readable summary for a terminal", report_text, NULL };

/* Sorted by name. */
const struct writer *const writers[] = {
	&w_html,
	&w_json,
	&w_junit,
	&w_markdown,
	&w_oscal,
	&w_oscal_poam,
	&w_poam_csv,
	&w_sarif,
	&w_summary_md,
	&w_text,
};

const size_t nwriters = sizeof(writers) / sizeof(writers[0]);

const struct writer *
writer_find(const char *name)
{
	size_t i;

	for (i = 0; i < nwriters; i++)
		if (strcmp(writers[i]->name, name) == 0)
			return writers[i];
	return NULL;
}

static int
write_file(struct diag *d, const struct writer *w, const struct assessment *r,
    const struct report_opts *o, const char *path)
{
	struct atomic_file *af;
	struct mark m = { path, 0, 0 };

	if ((af = atomic_open(d, path, 0644)) == NULL)
		return -1;
	if (w->write(atomic_fp(af), r, o) == -1) {
		atomic_abort(af);
		return diag_sys(d, &m, "cannot write %s report", w->name);
	}
	return atomic_commit(d, af);
}

int
report_companion_path(
    const struct writer *w, const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;

	if (w->companion == NULL ||
	    dirlen + strlen(w->companion->filename) + 1 > len)
		return -1;
	memcpy(out, path, dirlen);
	memcpy(out + dirlen, w->companion->filename,
	    strlen(w->companion->filename) + 1);
	return 0;
}

int
report_write(struct diag *d, const struct writer *w, const struct assessment *r,
    const struct report_opts *o, const char *path)
{
	char cpath[4096];
	struct mark m = { path, 0, 0 };

	/*
	 * The companion first: the file that links to it never exists
	 * without it.
	 */
	if (w->companion != NULL) {
		if (report_companion_path(w, path, cpath, sizeof(cpath)) == -1)
			return diag_err(d, &m, "path too long");
		if (write_file(d, w->companion, r, o, cpath) == -1)
			return -1;
	}
	return write_file(d, w, r, o, path);
}

void
report_times(const struct assessment *r, const struct report_opts *o,
    char started[32], char finished[32])
{
	format_time(o->fixed_time ? o->fixed_time : r->started, started);
	format_time(o->fixed_time ? o->fixed_time : r->finished, finished);
}

static int
rank(enum status s)
{
	switch (s) {
	case ST_FAIL:
		return 0;
	case ST_ERROR:
		return 1;
	case ST_WAIVED:
		return 2;
	case ST_PASS:
		return 3;
	default:
		return 4;
	}
}

size_t
report_order(const struct check_outcome *o, size_t *idx)
{
	size_t i, k = 0;
	int rk;

	/* A stable order: failures, errors, then passes, each in input order. */
	for (rk = 0; rk <= 4; rk++)
		for (i = 0; i < o->n; i++)
			if (rank(o->results[i].status) == rk)
				idx[k++] = i;
	return k;
}

int
report_param_text(const struct check_outcome *o, size_t i, struct strbuf *sb)
{
	const struct doc_node *src, *v;
	const char *from, *param, *text, *note, *name;

	if (o->param_src == NULL || o->param_src->type != DOC_MAP ||
	    i >= o->param_src->u.map.n)
		return 0;
	name = o->param_src->u.map.pairs[i].key->str;
	src = o->param_src->u.map.pairs[i].val;
	from = doc_str(doc_get(src, "from"));
	param = doc_str(doc_get(src, "param"));
	text = doc_str(doc_get(src, "text"));
	note = doc_str(doc_get(src, "note"));
	/* Plain defaults are not repeated. */
	if (from == NULL || (param == NULL && strcmp(from, "default") == 0))
		return 0;
	v = doc_get(o->params, name);
	sb_printf(
	    sb, "%s = %s", name, v != NULL && v->str != NULL ? v->str : "?");
	if (param != NULL) {
		sb_printf(sb, " (default; %s", param);
		if (text != NULL)
			sb_printf(sb, " \"%s\"", text);
		if (note != NULL)
			sb_printf(sb, ": %s", note);
		sb_adds(sb, ")");
	} else if (strcmp(from, "binding") == 0) {
		sb_adds(sb, " (set by the binding)");
	} else {
		sb_printf(sb, " from %s", from);
		if (text != NULL)
			sb_printf(sb, " \"%s\"", text);
	}
	return sb->oom ? -1 : 1;
}
