/*
 * sarif.c: the SARIF 2.1.0 report (OASIS errata01 schema), for code
 * scanning UIs and CI systems that already read SARIF.
 *
 * Rules are the checks (one reportingDescriptor per check outcome, i.e.
 * per rule and parameter set), carrying the controls they evidence in
 * their properties.  Results are the per-resource results; each points at
 * the export file, line and column its evidence came from, so a UI can
 * show the offending line (a TLS endpoint: tls://host:port; evidence
 * missing altogether: the input it is missing from).  By default only
 * failing and errored results are listed (sarif_include_passes: all).
 * Levels follow SARIF's `kind`: a failure is
 * `fail` with a level from the rule's severity; a pass is `pass`; data
 * that could not be evaluated is `open`; a failure waived by POA&M is a
 * failure with an accepted external suppression.  Order is deterministic:
 * checks in run order, results failures first then input order.
 */
#include <string.h>
#include <unistd.h>

#include "reports/report.h"

#define SARIF_SCHEMA \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/" \
	"schemas/sarif-schema-2.1.0.json"

static const char *
level_of(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL:
	case SEV_HIGH:
		return "error";
	case SEV_MEDIUM:
		return "warning";
	default:
		return "note";
	}
}

/* GitHub's security-severity scale (0.0-10.0), as a string. */
static const char *
score_of(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL:
		return "9.5";
	case SEV_HIGH:
		return "8.0";
	case SEV_MEDIUM:
		return "5.5";
	case SEV_LOW:
		return "3.0";
	default:
		return "0.0";
	}
}

/*
 * The SARIF rule id of check outcome i: the rule id, with "/N" added when
 * the same rule is bound again with other parameters (SARIF's
 * hierarchical id form), so ids stay unique within the run.
 */
static void
rule_id(const struct assessment *r, size_t i, char *buf, size_t len)
{
	const char *id = r->checks[i].rule->id;
	size_t k, seen = 0;

	for (k = 0; k < i; k++)
		if (strcmp(r->checks[k].rule->id, id) == 0)
			seen++;
	if (seen == 0)
		snprintf(buf, len, "%s", id);
	else
		snprintf(buf, len, "%s/%zu", id, seen + 1);
}

/* Every control that uses check outcome o, in baseline order. */
static void
write_controls(struct jw *w, const struct assessment *r,
    const struct check_outcome *o, int labels)
{
	size_t i, j;

	jw_arr(w);
	for (i = 0; i < r->ncontrols; i++)
		for (j = 0; j < r->controls[i].nchecks; j++)
			if (r->controls[i].checks[j].outcome == o) {
				jw_str(w,
				    labels ? r->controls[i].control->label
					   : r->controls[i].control->id);
				break;
			}
	jw_end_arr(w);
}

/*
 * The waiver covering o's failures, when every control that uses o has
 * it waived (a failure still open for one control is not suppressed).
 */
static const struct control_check_outcome *
waived(const struct assessment *r, const struct check_outcome *o)
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

/* The labels of the controls that use o, as array items. */
static void
write_control_tags(
    struct jw *w, const struct assessment *r, const struct check_outcome *o)
{
	size_t i, j;

	for (i = 0; i < r->ncontrols; i++)
		for (j = 0; j < r->controls[i].nchecks; j++)
			if (r->controls[i].checks[j].outcome == o) {
				jw_str(w, r->controls[i].control->label);
				break;
			}
}

/*
 * help: what the check looks at and how to fix a failure, as plain text
 * and as Markdown (GitHub and GitLab show the Markdown one).
 */
static void
write_help(struct jw *w, const struct rule *ru)
{
	struct strbuf t, m;

	sb_init(&t);
	sb_init(&m);
	sb_adds(&t,
	    ru->description != NULL ? ru->description
				    : (ru->title ? ru->title : ru->id));
	sb_adds(&m, t.s != NULL ? t.s : "");
	if (ru->remediation != NULL) {
		sb_printf(&t, "\n\nRemediation: %s", ru->remediation);
		sb_printf(&m, "\n\n**Remediation:** %s", ru->remediation);
	}
	sb_printf(&m, "\n\nCheck `%s` (severity %s).", ru->id,
	    severity_name(ru->severity));
	jw_key(w, "help");
	jw_obj(w);
	jw_kstr(w, "text", t.s != NULL ? t.s : "");
	jw_kstr(w, "markdown", m.s != NULL ? m.s : "");
	jw_end_obj(w);
	sb_free(&t);
	sb_free(&m);
}

static void
write_rule(struct jw *w, const struct assessment *r, size_t i)
{
	const struct check_outcome *o = &r->checks[i];
	const struct rule *ru = o->rule;
	char id[512];
	size_t k;

	rule_id(r, i, id, sizeof(id));
	jw_obj(w);
	jw_kstr(w, "id", id);
	jw_key(w, "shortDescription");
	jw_obj(w);
	jw_kstr(w, "text", ru->title != NULL ? ru->title : ru->id);
	jw_end_obj(w);
	if (ru->description != NULL) {
		jw_key(w, "fullDescription");
		jw_obj(w);
		jw_kstr(w, "text", ru->description);
		jw_end_obj(w);
	}
	write_help(w, ru);
	jw_key(w, "defaultConfiguration");
	jw_obj(w);
	jw_kstr(w, "level", level_of(ru->severity));
	jw_end_obj(w);
	jw_key(w, "properties");
	jw_obj(w);
	jw_kstr(w, "severity", severity_name(ru->severity));
	jw_kstr(w, "security-severity", score_of(ru->severity));
	jw_key(w, "controls");
	write_controls(w, r, o, 1);
	jw_key(w, "controlIds");
	write_controls(w, r, o, 0);
	jw_key(w, "resourceTypes");
	jw_arr(w);
	for (k = 0; k < ru->ntypes; k++)
		jw_str(w, ru->types[k]);
	jw_end_arr(w);
	jw_key(w, "parameters");
	jw_doc(w, o->params);
	/* Where each value came from (the FedRAMP parameter and its text),
	 * as in the other formats. */
	if (o->param_src != NULL) {
		jw_key(w, "parameterSources");
		jw_doc(w, o->param_src);
	}
	/* Tags: what code-scanning UIs filter on, the controls too. */
	jw_key(w, "tags");
	jw_arr(w);
	jw_str(w, "compliance");
	jw_str(w, "security");
	write_control_tags(w, r, o);
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_obj(w);
}

/*
 * The URI of a file for artifactLocation: relative, as code scanning
 * resolves it against the checkout (an absolute path under the working
 * directory is made relative to it; any other stays file:///...).
 */
static void
artifact_uri(struct strbuf *sb, const char *path)
{
	char cwd[4096];
	size_t n;

	if (path[0] == '/' && getcwd(cwd, sizeof(cwd)) != NULL) {
		n = strlen(cwd);
		if (n > 1 && strncmp(path, cwd, n) == 0 && path[n] == '/' &&
		    path[n + 1] != '\0')
			path += n + 1;
	}
	while (path[0] == '.' && path[1] == '/' && path[2] != '\0')
		path += 2;
	uri_from_path(sb, path);
}

/*
 * Open a location object holding a physical location: uri (already a
 * URI) and, when line > 0, the region (the caller adds to the object and
 * closes it).
 */
static void
write_location(struct jw *w, const char *uri, uint32_t line, uint32_t col)
{
	jw_obj(w);
	jw_key(w, "physicalLocation");
	jw_obj(w);
	jw_key(w, "artifactLocation");
	jw_obj(w);
	jw_kstr(w, "uri", uri);
	jw_end_obj(w);
	if (line > 0) {
		jw_key(w, "region");
		jw_obj(w);
		jw_kint(w, "startLine", line);
		if (col > 0)
			jw_kint(w, "startColumn", col);
		jw_end_obj(w);
	}
	jw_end_obj(w);
}

/* The location of an evidence mark (its file, line and column). */
static void
write_mark(struct jw *w, const struct mark *m)
{
	struct strbuf sb;

	sb_init(&sb);
	artifact_uri(&sb, m->file);
	write_location(w, sb.s != NULL ? sb.s : "", m->line, m->col);
	sb_free(&sb);
}

static int
is_tls(const char *type)
{
	return type != NULL && strncmp(type, "TLS::", 5) == 0;
}

/*
 * Where a result without an evidence mark points: a TLS endpoint as
 * tls://host:port, anything else (or a check that lacks evidence) the
 * input it came from: the run's first input that is not a TLS probe,
 * else the baseline.
 */
static void
write_fallback(
    struct jw *w, const struct assessment *r, const char *type, const char *id)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	if (is_tls(type) && id != NULL) {
		sb_printf(&sb, "tls://%s", id);
	} else {
		for (i = 0; i < r->ninputs; i++)
			if (r->inputs[i].format == NULL ||
			    strcmp(r->inputs[i].format, "tls") != 0)
				break;
		if (i < r->ninputs && r->inputs[i].path != NULL &&
		    strcmp(r->inputs[i].path, "-") != 0)
			artifact_uri(&sb, r->inputs[i].path);
		else if (r->bl->path != NULL)
			artifact_uri(&sb, r->bl->path);
		else
			sb_adds(&sb, "rampart-baseline");
	}
	write_location(w, sb.s != NULL ? sb.s : "", 0, 0);
	sb_free(&sb);
}

static void
write_logical(struct jw *w, const struct check_result *res)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_printf(&sb, "%s/%s", res->resource_type ? res->resource_type : "",
	    res->resource_id ? res->resource_id : "");
	jw_key(w, "logicalLocations");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "name", res->resource_id);
	jw_kstr(w, "fullyQualifiedName", sb.s);
	jw_kstr(w, "kind", "resource");
	jw_end_obj(w);
	jw_end_arr(w);
	sb_free(&sb);
}

/*
 * The first evidence that has a source in a file, or NULL.  A TLS
 * endpoint's evidence is the probe's own JSON, in no file: its result
 * points at the endpoint instead.
 */
static const struct evidence *
primary(const struct check_result *res)
{
	size_t i;

	if (is_tls(res->resource_type))
		return NULL;
	for (i = 0; i < res->nev; i++)
		if (res->ev[i].source.file != NULL)
			return &res->ev[i];
	return NULL;
}

static void
write_result(struct jw *w, const struct assessment *r, size_t ci,
    const char *id, const struct check_result *res,
    const struct control_check_outcome *wv)
{
	const struct rule *ru = r->checks[ci].rule;
	const struct evidence *ev = primary(res);
	struct strbuf sb;
	char fp[SHA256_HEX_LEN + 1], src[4200];
	size_t i;
	int nrel = 0;

	jw_obj(w);
	jw_kstr(w, "ruleId", id);
	jw_kint(w, "ruleIndex", (long long)ci);
	switch (res->status) {
	case ST_FAIL:
		jw_kstr(w, "kind", "fail");
		jw_kstr(w, "level", level_of(ru->severity));
		break;
	case ST_PASS:
		jw_kstr(w, "kind", "pass");
		jw_kstr(w, "level", "none");
		break;
	case ST_NOT_APPLICABLE:
		jw_kstr(w, "kind", "notApplicable");
		jw_kstr(w, "level", "none");
		break;
	default:
		jw_kstr(w, "kind", "open");
		jw_kstr(w, "level", "none");
		break;
	}
	sb_init(&sb);
	sb_printf(&sb, "%s %s: %s",
	    res->resource_type ? res->resource_type : "",
	    res->resource_id ? res->resource_id : "",
	    res->message && res->message[0] ? res->message
					    : status_name(res->status));
	jw_key(w, "message");
	jw_obj(w);
	jw_kstr(w, "text", sb.s);
	jw_end_obj(w);
	sb_free(&sb);
	jw_key(w, "locations");
	jw_arr(w);
	if (ev != NULL)
		write_mark(w, &ev->source);
	else
		write_fallback(w, r, res->resource_type, res->resource_id);
	write_logical(w, res);
	jw_end_obj(w);
	jw_end_arr(w);
	/* Further evidence with a source: related locations. */
	for (i = 0; i < res->nev && ev != NULL; i++) {
		if (res->ev[i].source.file == NULL || &res->ev[i] == ev)
			continue;
		if (nrel++ == 0) {
			jw_key(w, "relatedLocations");
			jw_arr(w);
		}
		write_mark(w, &res->ev[i].source);
		jw_kint(w, "id", nrel);
		jw_key(w, "message");
		jw_obj(w);
		sb_init(&sb);
		sb_printf(&sb, "%s = %s", res->ev[i].path,
		    res->ev[i].value ? res->ev[i].value : "(absent)");
		jw_kstr(w, "text", sb.s);
		sb_free(&sb);
		jw_end_obj(w);
		jw_end_obj(w);
	}
	if (nrel > 0)
		jw_end_arr(w);
	/*
	 * Stable across runs and the same as the JSON report's fingerprint,
	 * so a UI (and rampart diff) tracks one finding over time.
	 */
	report_fingerprint(
	    ru->id, res->resource_type, res->resource_id, res->region, fp);
	jw_key(w, "partialFingerprints");
	jw_obj(w);
	jw_kstr(w, "rampartFinding/v1", fp);
	jw_end_obj(w);
	if (wv != NULL && res->status == ST_FAIL) {
		sb_init(&sb);
		sb_printf(&sb, "POA&M item %s until %s: %s", wv->waiver->id,
		    wv->waiver->expires_text ? wv->waiver->expires_text : "?",
		    wv->waiver->justification ? wv->waiver->justification : "");
		jw_key(w, "suppressions");
		jw_arr(w);
		jw_obj(w);
		jw_kstr(w, "kind", "external");
		jw_kstr(w, "status", "accepted");
		jw_kstr(w, "justification", sb.s);
		jw_end_obj(w);
		jw_end_arr(w);
		sb_free(&sb);
	}
	jw_key(w, "properties");
	jw_obj(w);
	jw_kstr(w, "status", status_name(res->status));
	jw_kstr(w, "resourceType", res->resource_type);
	jw_kstr(w, "resourceId", res->resource_id);
	if (res->region != NULL)
		jw_kstr(w, "region", res->region);
	jw_key(w, "evidence");
	jw_arr(w);
	for (i = 0; i < res->nev; i++) {
		jw_obj(w);
		jw_kstr(w, "path", res->ev[i].path);
		jw_kstr(w, "value", res->ev[i].value);
		if (res->ev[i].source.file != NULL) {
			snprintf(src, sizeof(src), "%s:%u:%u",
			    res->ev[i].source.file, res->ev[i].source.line,
			    res->ev[i].source.col);
			jw_kstr(w, "source", src);
		}
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_obj(w);
}

/* Evidence a check lacks: a result with no location. */
static void
write_missing(
    struct jw *w, const struct assessment *r, size_t ci, const char *id)
{
	const struct rule *ru = r->checks[ci].rule;
	char fp[SHA256_HEX_LEN + 1];
	struct strbuf sb;

	sb_init(&sb);
	sb_adds(&sb,
	    report_missing(&r->checks[ci]) ? report_missing(&r->checks[ci])
					   : "evidence is missing");
	/* A finding of the check itself: no resource, no region. */
	report_fingerprint(ru->id, NULL, NULL, NULL, fp);
	jw_obj(w);
	jw_kstr(w, "ruleId", id);
	jw_kint(w, "ruleIndex", (long long)ci);
	jw_kstr(w, "kind", "open");
	jw_kstr(w, "level", "none");
	jw_key(w, "message");
	jw_obj(w);
	jw_kstr(w, "text", sb.s);
	jw_end_obj(w);
	/* The input the evidence is missing from (code scanning needs a
	 * location on every result). */
	jw_key(w, "locations");
	jw_arr(w);
	write_fallback(w, r, NULL, NULL);
	jw_end_obj(w);
	jw_end_arr(w);
	jw_key(w, "partialFingerprints");
	jw_obj(w);
	jw_kstr(w, "rampartFinding/v1", fp);
	jw_end_obj(w);
	jw_key(w, "properties");
	jw_obj(w);
	jw_kstr(w, "status", "error");
	jw_end_obj(w);
	jw_end_obj(w);
	sb_free(&sb);
}

static void
write_counts(struct jw *w, const char *key, const size_t *n)
{
	int i;

	jw_key(w, key);
	jw_obj(w);
	for (i = 0; i < ST_COUNT; i++)
		jw_kint(w, status_name((enum status)i), (long long)n[i]);
	jw_end_obj(w);
}

int
report_sarif(FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	struct jw w;
	char started[32], finished[32], id[512];
	const struct check_outcome *co;
	const struct control_check_outcome *wv;
	size_t i, j, n, *idx, checks[ST_COUNT];
	int rc = 0;

	report_times(r, o, started, finished);
	report_check_counts(r, checks);
	jw_init(&w, fp);
	jw_obj(&w);
	jw_kstr(&w, "$schema", SARIF_SCHEMA);
	jw_kstr(&w, "version", "2.1.0");
	jw_key(&w, "runs");
	jw_arr(&w);
	jw_obj(&w);
	jw_key(&w, "tool");
	jw_obj(&w);
	jw_key(&w, "driver");
	jw_obj(&w);
	jw_kstr(&w, "name", "rampart");
	jw_kstr(&w, "version", o->tool_version ? o->tool_version : "unknown");
	jw_key(&w, "rules");
	jw_arr(&w);
	for (i = 0; i < r->nchecks; i++)
		write_rule(&w, r, i);
	jw_end_arr(&w);
	jw_end_obj(&w);
	jw_end_obj(&w);
	jw_key(&w, "automationDetails");
	jw_obj(&w);
	snprintf(id, sizeof(id), "rampart/%s/", r->bl->id);
	jw_kstr(&w, "id", id);
	jw_end_obj(&w);
	jw_key(&w, "invocations");
	jw_arr(&w);
	jw_obj(&w);
	jw_kstr(&w, "startTimeUtc", started);
	jw_kstr(&w, "endTimeUtc", finished);
	jw_key(&w, "executionSuccessful");
	jw_bool(&w, 1);
	jw_end_obj(&w);
	jw_end_arr(&w);
	jw_key(&w, "results");
	jw_arr(&w);
	for (i = 0; i < r->nchecks && rc == 0; i++) {
		co = &r->checks[i];
		rule_id(r, i, id, sizeof(id));
		if (report_missing(co) != NULL ||
		    (co->n == 0 && co->status == ST_ERROR)) {
			write_missing(&w, r, i, id);
			if (co->n == 0)
				continue;
		}
		if ((idx = lib_calloc(co->n + 1, sizeof(*idx))) == NULL) {
			rc = -1;
			break;
		}
		wv = waived(r, co);
		n = report_order(co, idx);
		for (j = 0; j < n; j++) {
			/*
			 * Code scanning lists what is wrong: passes and
			 * not-applicable results only when asked.
			 */
			if (!o->sarif_include_passes &&
			    co->results[idx[j]].status != ST_FAIL &&
			    co->results[idx[j]].status != ST_ERROR)
				continue;
			write_result(&w, r, i, id, &co->results[idx[j]], wv);
		}
		lib_free(idx);
	}
	jw_end_arr(&w);
	jw_key(&w, "properties");
	jw_obj(&w);
	jw_kstr(&w, "verdict", verdict_name(r->verdict));
	if (report_gate_result(r) != NULL)
		jw_kstr(&w, "gate_result", report_gate_result(r));
	jw_kstr(&w, "gate", gate_name(r->opts.gate));
	if (report_gate_note(r) != NULL)
		jw_kstr(&w, "gate_note", report_gate_note(r));
	if (r->opts.sel.text != NULL)
		jw_kstr(&w, "selection", r->opts.sel.text);
	jw_key(&w, "baseline");
	jw_obj(&w);
	jw_kstr(&w, "id", r->bl->id);
	jw_kstr(&w, "impact", r->bl->impact);
	jw_kstr(&w, "sha256", r->bl->sha256);
	jw_end_obj(&w);
	jw_key(&w, "inputs");
	jw_arr(&w);
	for (i = 0; i < r->ninputs; i++) {
		jw_obj(&w);
		jw_kstr(&w, "path", r->inputs[i].path);
		jw_kstr(&w, "format", r->inputs[i].format);
		jw_kstr(&w, "sha256", r->inputs[i].sha256);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	write_counts(&w, "controls", r->count_controls);
	write_counts(&w, "checks", checks);
	jw_end_obj(&w);
	jw_end_obj(&w);
	jw_end_arr(&w);
	jw_end_obj(&w);
	if (jw_finish(&w) == -1)
		rc = -1;
	return rc;
}
