/*
 * sign.c: what `rampart sign` signs about an existing report.  The facts
 * come from the report file's own bytes (read once by the caller, who
 * hashes the same buffer): a JSON report states them all; an HTML, SARIF,
 * JUnit, Markdown or text report states its verdict, which must agree
 * with the report.json of the same run that supplies the rest.  Nothing
 * comes from the user's command line, and a report that does not parse is
 * an error, never a reason to look elsewhere.
 */
#include <string.h>

#include "reports/report.h"
#include "reports/sign.h"

/* Optional string member: NULL when absent, -1 when not a string. */
static int
opt_str(struct diag *d, const struct doc_node *map, const char *key,
    const char **out)
{
	const struct doc_node *n = doc_get(map, key);

	*out = NULL;
	if (n == NULL || n->type == DOC_NULL)
		return 0;
	if ((*out = doc_plain_str(n)) == NULL)
		return diag_err(d, &n->mark, "'%s' must be a string", key);
	return 0;
}

static int
read_controls(struct arena *a, struct diag *d, const struct doc_node *ctl,
    struct sign_meta *m)
{
	struct sign_control *all;
	const char **passed, **failed;
	const struct doc_node *c;
	const char *id, *status;
	size_t i, n;

	if (ctl == NULL)
		return 0;
	if (ctl->type != DOC_SEQ)
		return diag_err(d, &ctl->mark, "'controls' must be a list");
	n = ctl->u.seq.n;
	passed = arena_alloc(a, (n ? n : 1) * sizeof(*passed));
	failed = arena_alloc(a, (n ? n : 1) * sizeof(*failed));
	all = arena_alloc(a, (n ? n : 1) * sizeof(*all));
	if (passed == NULL || failed == NULL || all == NULL)
		return diag_sys(d, &ctl->mark, "out of memory");
	for (i = 0; i < n; i++) {
		c = ctl->u.seq.items[i];
		if ((id = doc_plain_str(doc_get(c, "id"))) == NULL ||
		    (status = doc_plain_str(doc_get(c, "status"))) == NULL)
			return diag_err(d, &c->mark,
			    "each control needs a string 'id' and 'status'");
		all[i].id = id;
		all[i].status = status;
		if (strcmp(status, "pass") == 0)
			passed[m->npassed++] = id;
		else if (strcmp(status, "fail") == 0)
			failed[m->nfailed++] = id;
	}
	m->passed = passed;
	m->failed = failed;
	m->controls = all;
	m->ncontrols = n;
	return 0;
}

static int
read_inputs(struct arena *a, struct diag *d, const struct doc_node *in,
    struct sign_meta *m)
{
	struct sign_input *v;
	const struct doc_node *e;
	size_t i;

	if (in == NULL)
		return 0;
	if (in->type != DOC_SEQ)
		return diag_err(d, &in->mark, "'inputs' must be a list");
	if ((v = arena_alloc(
		 a, (in->u.seq.n ? in->u.seq.n : 1) * sizeof(*v))) == NULL)
		return diag_sys(d, &in->mark, "out of memory");
	for (i = 0; i < in->u.seq.n; i++) {
		e = in->u.seq.items[i];
		if ((v[i].path = doc_plain_str(doc_get(e, "path"))) == NULL ||
		    (v[i].sha256 = doc_plain_str(doc_get(e, "sha256"))) == NULL)
			return diag_err(d, &e->mark,
			    "each input needs a string 'path' and 'sha256'");
	}
	m->inputs = v;
	m->ninputs = in->u.seq.n;
	return 0;
}

/* The options of a report's provenance: a map of strings. */
static int
read_options(struct arena *a, struct diag *d, const struct doc_node *o,
    struct sign_meta *m)
{
	struct sign_option *v;
	size_t i;

	if (o == NULL || o->type != DOC_MAP)
		return diag_err(d, o ? &o->mark : NULL,
		    "'provenance.options' must be a map");
	if ((v = arena_alloc(a, (o->u.map.n + 1) * sizeof(*v))) == NULL)
		return diag_sys(d, &o->mark, "out of memory");
	for (i = 0; i < o->u.map.n; i++) {
		v[i].name = doc_plain_str(o->u.map.pairs[i].key);
		if ((v[i].value = doc_plain_str(o->u.map.pairs[i].val)) ==
			NULL ||
		    v[i].name == NULL)
			return diag_err(d, &o->u.map.pairs[i].val->mark,
			    "provenance options must be strings");
	}
	m->options = v;
	m->noptions = o->u.map.n;
	return 0;
}

/*
 * The facts of a rampart JSON report, read with REPORT_DOC_PARTIAL: a
 * minimal one states only its verdict; what it states must be well typed.
 */
static int
read_json_report(struct arena *a, struct diag *d, const struct report_doc *rd,
    struct sign_meta *m)
{
	const struct doc_node *root = rd->root, *base = rd->baseline,
			      *prov = rd->provenance, *vn;
	struct sign_pin *pins;
	const char *v;

	memset(m, 0, sizeof(*m));
	if (root->type != DOC_MAP || (vn = doc_get(root, "verdict")) == NULL)
		return diag_err(
		    d, &root->mark, "not a rampart JSON report: no 'verdict'");
	if ((v = doc_plain_str(vn)) == NULL ||
	    sign_verdict_parse(v, &m->verdict))
		return diag_err(d, &vn->mark,
		    "'verdict' must be 'eligible', 'not_eligible' or "
		    "'incomplete'");
	if (opt_str(d, root, "started", &m->started) == -1 ||
	    opt_str(d, root, "finished", &m->finished) == -1)
		return -1;
	if (base != NULL) {
		if (base->type != DOC_MAP)
			return diag_err(
			    d, &base->mark, "'baseline' must be a map");
		if (opt_str(d, base, "id", &m->baseline_id) == -1 ||
		    opt_str(d, base, "sha256", &m->baseline_sha256) == -1)
			return -1;
	}
	if (read_inputs(a, d, rd->inputs, m) == -1 ||
	    read_controls(a, d, rd->controls, m) == -1)
		return -1;
	/* A report from before provenance pins only baseline and inputs. */
	if (prov == NULL)
		return 0;
	if (prov->type != DOC_MAP)
		return diag_err(d, &prov->mark, "'provenance' must be a map");
	if (pins_parse(
		a, d, doc_get(prov, "configuration"), &pins, &m->npins) == -1 ||
	    read_options(a, d, doc_get(prov, "options"), m) == -1)
		return -1;
	m->pins = pins;
	return 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The facts of the JSON report in buf, named name in messages. */
static int
json_report_meta(struct arena *a, struct diag *d, const char *name,
    const char *buf, size_t len, struct sign_meta *m)
{
	struct report_doc rd;

	if (report_doc_parse(a, d, name, buf, len, REPORT_DOC_PARTIAL, &rd) ==
	    -1)
		return -1;
	return read_json_report(a, d, &rd, m);
}

/* Parse buf as one JSON document (a SARIF report); errors are reported. */
static const struct doc_node *
parse_json(struct arena *a, struct diag *d, const char *name, const char *buf,
    size_t len)
{
	struct doc_node **docs = NULL;
	size_t n = 0;
	struct mark mk = { name, 0, 0 };

	if (doc_load_buf(a, d, name, buf, len, DOC_FMT_JSON, NULL, &docs, &n) ==
	    -1)
		return NULL;
	if (n != 1) {
		diag_err(d, &mk, "expected one JSON document");
		return NULL;
	}
	return docs[0];
}

/* The text up to the next delimiter after needle in buf, or NULL. */
static const char *
after(struct arena *a, const char *buf, size_t len, const char *needle,
    const char *stop)
{
	const char *p = NULL, *q, *end = buf + len;
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= len; i++)
		if (memcmp(buf + i, needle, k) == 0) {
			p = buf + i + k;
			break;
		}
	if (p == NULL)
		return NULL;
	for (q = p; q < end && strchr(stop, *q) == NULL; q++)
		;
	if (q == end)
		return NULL;
	return arena_printf(a, "%.*s", (int)(q - p), p);
}

/* "ELIGIBLE", "NOT ELIGIBLE", "INCOMPLETE" at the start of s. */
static const char *
verdict_of_text(const char *s)
{
	if (s == NULL)
		return NULL;
	if (strncmp(s, "NOT ELIGIBLE", 12) == 0)
		return "not_eligible";
	if (strncmp(s, "ELIGIBLE", 8) == 0)
		return "eligible";
	if (strncmp(s, "INCOMPLETE", 10) == 0)
		return "incomplete";
	return NULL;
}

/*
 * The verdict a non-JSON report states, read from its own bytes; *bsha
 * gets the baseline digest when the file states one.  NULL with an error
 * when the file is not one rampart can read a verdict from.
 */
static const char *
stated_verdict(struct arena *a, struct diag *d, const char *path,
    const char *buf, size_t len, const char **bsha, const char **finished,
    const char **started)
{
	const struct doc_node *root, *runs, *props, *inv;
	struct mark mk = { path, 0, 0 };
	const char *v = NULL, *t;

	*bsha = NULL;
	*finished = NULL;
	*started = NULL;
	if (memchr(buf, '\0', len) != NULL) {
		diag_err(d, &mk, "not a rampart report: it holds NUL bytes");
		return NULL;
	}
	if (ends_with(path, ".sarif")) {
		if ((root = parse_json(a, d, path, buf, len)) == NULL)
			return NULL;
		runs = doc_get(root, "runs");
		if (runs == NULL || runs->type != DOC_SEQ ||
		    runs->u.seq.n != 1) {
			diag_err(d, &mk,
			    "not a rampart SARIF report: "
			    "expected one run");
			return NULL;
		}
		props = doc_get(runs->u.seq.items[0], "properties");
		v = doc_plain_str(doc_get(props, "verdict"));
		*bsha = doc_plain_str(
		    doc_get(doc_get(props, "baseline"), "sha256"));
		inv = doc_get(runs->u.seq.items[0], "invocations");
		if (inv != NULL && inv->type == DOC_SEQ && inv->u.seq.n == 1) {
			*finished = doc_plain_str(
			    doc_get(inv->u.seq.items[0], "endTimeUtc"));
			*started = doc_plain_str(
			    doc_get(inv->u.seq.items[0], "startTimeUtc"));
		}
	} else if (ends_with(path, ".html")) {
		v = after(a, buf, len, "<header class=\"banner v-", "\"");
		*finished =
		    after(a, buf, len, "<tr><th>finished</th><td>", "<");
	} else if (ends_with(path, ".xml")) {
		v = after(
		    a, buf, len, "<property name=\"verdict\" value=\"", "\"");
		*bsha = after(a, buf, len,
		    "<property name=\"baseline.sha256\" value=\"", "\"");
		*started = after(a, buf, len, " timestamp=\"", "\"");
	} else if (ends_with(path, ".md")) {
		v = verdict_of_text(after(a, buf, len, "\n**Verdict: ", "*\n"));
		*finished = after(a, buf, len, "\n| finished | ", " |");
	} else if (ends_with(path, ".txt")) {
		t = buf[0] == 'v' ? after(a, buf, len, "verdict: ", "\n")
				  : after(a, buf, len, "\nverdict: ", "\n");
		v = verdict_of_text(t);
	} else {
		diag_err(d, &mk,
		    "cannot read a verdict from this file: sign a report "
		    "rampart wrote (.json, .html, .sarif, .junit.xml, .md, "
		    ".txt)");
		return NULL;
	}
	if (v == NULL) {
		diag_err(d, &mk, "no verdict found in this report");
		return NULL;
	}
	return v;
}

/* The path of report.json beside path, in the arena. */
static char *
sibling_json(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return arena_strdup(a, "report.json");
	return arena_printf(a, "%.*s/report.json", (int)(slash - path), path);
}

int
sign_meta_from_report(struct arena *a, struct diag *d, const char *report_path,
    const char *buf, size_t len, struct sign_meta *m)
{
	const char *stated, *bsha, *json, *fin, *sta;
	char *jbuf = NULL;
	size_t jlen = 0;
	enum sign_verdict sv;
	struct mark mk = { report_path, 0, 0 };
	int rc = -1;

	memset(m, 0, sizeof(*m));
	if (ends_with(report_path, BUNDLE_SUFFIX))
		return diag_err(d, &mk, "this is a bundle, not a report");
	if (ends_with(report_path, ".json")) {
		/* Its own facts, or an error: never a sibling's. */
		if (json_report_meta(a, d, report_path, buf, len, m) == -1) {
			diag_note(d, NULL,
			    "'%s' must be a complete rampart JSON report",
			    report_path);
			return -1;
		}
		return 0;
	}
	if ((stated = stated_verdict(
		 a, d, report_path, buf, len, &bsha, &fin, &sta)) == NULL)
		return -1;
	if (sign_verdict_parse(stated, &sv) == -1)
		return diag_err(
		    d, &mk, "unknown verdict '%s' in this report", stated);
	if ((json = sibling_json(a, report_path)) == NULL)
		return diag_sys(d, NULL, "out of memory");
	if (file_read_all(d, json, 0, &jbuf, &jlen) == -1 ||
	    json_report_meta(a, d, json, jbuf, jlen, m) == -1) {
		diag_note(d, NULL,
		    "signing '%s' needs the complete report.json of the same "
		    "run beside it",
		    report_path);
		goto out;
	}
	if (m->verdict != sv) {
		diag_err(d, &mk,
		    "this report says '%s' but '%s' beside it says '%s': "
		    "they are not from the same run; not signed",
		    stated, json, sign_verdict_name(m->verdict));
		goto out;
	}
	if (bsha != NULL &&
	    (m->baseline_sha256 == NULL ||
		strcmp(bsha, m->baseline_sha256) != 0)) {
		diag_err(d, &mk,
		    "this report's baseline sha256 %s differs from '%s': "
		    "they are not from the same run; not signed",
		    bsha, json);
		goto out;
	}
	/* The run's times, where both files state them. */
	if ((fin != NULL && m->finished != NULL &&
		strcmp(fin, m->finished) != 0) ||
	    (sta != NULL && m->started != NULL &&
		strcmp(sta, m->started) != 0)) {
		diag_err(d, &mk,
		    "this report's run time differs from '%s': they are "
		    "not from the same run; not signed",
		    json);
		goto out;
	}
	rc = 0;
out:
	lib_free(jbuf);
	return rc;
}
