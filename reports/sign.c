/*
 * sign.c: what `rampart sign` signs about an existing report.  The facts
 * (verdict, times, baseline, inputs, control results) come from the JSON
 * report, never from the user's command line, so a signature always
 * matches what the report itself says.
 */
#include <string.h>

#include "reports/sign.h"

/* A string node without embedded NUL bytes, else NULL. */
static const char *
plain_str(const struct doc_node *n)
{
	const char *s = doc_str(n);

	if (s == NULL || strlen(s) != n->len)
		return NULL;
	return s;
}

/* Optional string member: NULL when absent, -1 when not a string. */
static int
opt_str(struct diag *d, const struct doc_node *map, const char *key,
    const char **out)
{
	const struct doc_node *n = doc_get(map, key);

	*out = NULL;
	if (n == NULL || n->type == DOC_NULL)
		return 0;
	if ((*out = plain_str(n)) == NULL)
		return diag_err(d, &n->mark, "'%s' must be a string", key);
	return 0;
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

static int
is_json_name(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && strcmp(path + n - 5, ".json") == 0 &&
	    (n < 14 || strcmp(path + n - 14, BUNDLE_SUFFIX) != 0);
}

static int
read_controls(struct arena *a, struct diag *d, const struct doc_node *ctl,
    struct sign_meta *m)
{
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
	if (passed == NULL || failed == NULL)
		return diag_err(d, &ctl->mark, "out of memory");
	for (i = 0; i < n; i++) {
		c = ctl->u.seq.items[i];
		if ((id = plain_str(doc_get(c, "id"))) == NULL ||
		    (status = plain_str(doc_get(c, "status"))) == NULL)
			return diag_err(d, &c->mark,
			    "each control needs a string 'id' and 'status'");
		if (strcmp(status, "pass") == 0)
			passed[m->npassed++] = id;
		else if (strcmp(status, "fail") == 0)
			failed[m->nfailed++] = id;
	}
	m->passed = passed;
	m->failed = failed;
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
		return diag_err(d, &in->mark, "out of memory");
	for (i = 0; i < in->u.seq.n; i++) {
		e = in->u.seq.items[i];
		if ((v[i].path = plain_str(doc_get(e, "path"))) == NULL ||
		    (v[i].sha256 = plain_str(doc_get(e, "sha256"))) == NULL)
			return diag_err(d, &e->mark,
			    "each input needs a string 'path' and 'sha256'");
	}
	m->inputs = v;
	m->ninputs = in->u.seq.n;
	return 0;
}

int
sign_meta_from_report(struct arena *a, struct diag *d, const char *report_path,
    struct sign_meta *m)
{
	struct doc_node *root = NULL;
	const struct doc_node *vn, *base;
	const char *json, *v;
	struct diag tmp;

	memset(m, 0, sizeof(*m));
	/*
	 * A JSON report carries its own facts; any other report file (HTML,
	 * SARIF, OSCAL, ...) takes them from report.json beside it.
	 */
	if (is_json_name(report_path)) {
		diag_init(&tmp);
		root = doc_load_one(a, &tmp, report_path, DOC_FMT_JSON, NULL);
		diag_free(&tmp);
		if (root != NULL && doc_get(root, "verdict") == NULL)
			root = NULL;
	}
	if (root == NULL) {
		if ((json = sibling_json(a, report_path)) == NULL)
			return diag_err(d, NULL, "out of memory");
		if ((root = doc_load_one(a, d, json, DOC_FMT_JSON, NULL)) ==
		    NULL) {
			diag_note(d, NULL,
			    "signing '%s' needs the JSON report of the same "
			    "run (REPORT itself or report.json beside it)",
			    report_path);
			return -1;
		}
	}
	if (root->type != DOC_MAP || (vn = doc_get(root, "verdict")) == NULL)
		return diag_err(
		    d, &root->mark, "not a rampart JSON report: no 'verdict'");
	if ((v = plain_str(vn)) == NULL || sign_verdict_parse(v, &m->verdict))
		return diag_err(d, &vn->mark,
		    "'verdict' must be 'eligible', 'not_eligible' or "
		    "'incomplete'");
	if (opt_str(d, root, "started", &m->started) == -1 ||
	    opt_str(d, root, "finished", &m->finished) == -1)
		return -1;
	if ((base = doc_get(root, "baseline")) != NULL) {
		if (base->type != DOC_MAP)
			return diag_err(
			    d, &base->mark, "'baseline' must be a map");
		if (opt_str(d, base, "id", &m->baseline_id) == -1 ||
		    opt_str(d, base, "sha256", &m->baseline_sha256) == -1)
			return -1;
	}
	if (read_inputs(a, d, doc_get(root, "inputs"), m) == -1 ||
	    read_controls(a, d, doc_get(root, "controls"), m) == -1)
		return -1;
	return 0;
}
