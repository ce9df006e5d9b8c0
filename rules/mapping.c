/*
 * mapping.c: control-to-check mappings.  A mapping file binds catalog
 * controls to shipped checks, once for every baseline that contains them:
 *
 *   id: fedramp
 *   title: ...
 *   bindings:
 *     - control: ia-2.1
 *       checks:
 *         - id: aws-iam-unused-credentials
 *           decides: part
 *           rationale: one line saying what part of the statement it shows
 *           params: {max_unused_days: {baseline: ac-02.03_odp.02}}
 *
 * A generated baseline names its mapping (`mapping: fedramp`) and
 * baseline_load() applies it here, so the OSCAL-derived baselines stay
 * regenerable and the judgement of what evidences what lives in one
 * reviewed file.  Parameter bindings are resolved against each
 * baseline's own values afterwards (rules/baseline.c), so one binding
 * serves LOW, MODERATE, HIGH and LI-SaaS with their different values.
 */
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/rules.h"

static const struct field mapping_fields[] = {
	{ "id", DOC_STRING, 1 },
	{ "title", DOC_STRING, 0 },
	{ "description", DOC_STRING, 0 },
	{ "bindings", DOC_SEQ, 1 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field entry_fields[] = {
	{ "control", DOC_STRING, 1 },
	{ "checks", DOC_SEQ, 1 },
	{ NULL, DOC_NULL, 0 },
};

/* NAME (shipped rules/mappings/NAME.yaml) or a path -> file path. */
static int
mapping_path(struct diag *d, const struct mark *m, const char *name, char *buf,
    size_t len)
{
	char dir[PATH_MAX];
	struct stat st;

	if (strchr(name, '/') != NULL) {
		if ((size_t)snprintf(buf, len, "%s", name) >= len)
			return diag_err(d, m, "path too long");
		return 0;
	}
	if (rules_dir(dir, sizeof(dir)) == 0 &&
	    (size_t)snprintf(buf, len, "%s/mappings/%s.yaml", dir, name) <
		len &&
	    stat(buf, &st) == 0)
		return 0;
	return diag_err(d, m,
	    "no mapping named '%s' (expected "
	    "rules/mappings/%s.yaml)",
	    name, name);
}

/*
 * Every binding carries a rationale (a mapping nobody can review is not
 * evidence) and says how much of the control it decides: `decides:
 * full` or `decides: part`, never a silent default.
 */
static int
check_bindings(struct diag *d, const struct doc_node *checks)
{
	const struct doc_node *it, *r;
	const char *id;
	size_t i;
	int rc = 0;

	for (i = 0; i < checks->u.seq.n; i++) {
		it = checks->u.seq.items[i];
		if (it->type != DOC_MAP)
			continue;
		id = doc_str(doc_get(it, "id")) ? doc_str(doc_get(it, "id"))
						: "?";
		r = doc_get(it, "rationale");
		if (r == NULL || r->type != DOC_STRING ||
		    r->str[strspn(r->str, " \t\n")] == '\0')
			rc = diag_err(d, &it->mark,
			    "binding of check '%s' needs a one-line "
			    "'rationale'",
			    id);
		r = doc_get(it, "decides");
		if (r == NULL)
			rc = diag_err(d, &it->mark,
			    "binding of check '%s' needs 'decides: full' or "
			    "'decides: part'",
			    id);
		else if (binding_decides(d, r, NULL) == -1)
			rc = -1;
	}
	return rc;
}

/* Load and schema-check the mapping file: its root, or NULL. */
static struct doc_node *
mapping_load(
    struct arena *a, struct diag *d, const char *name, const struct mark *m)
{
	char path[PATH_MAX];
	struct doc_node *root;

	if (mapping_path(d, m, name, path, sizeof(path)) == -1)
		return NULL;
	if ((root = doc_load_one(a, d, path, DOC_FMT_YAML, NULL)) == NULL) {
		diag_err(d, m, "cannot load mapping '%s'", name);
		return NULL;
	}
	if (schema_check(d, root, mapping_fields, "mapping") == -1)
		return NULL;
	return root;
}

int
mapping_bindings(struct arena *a, struct diag *d, const char *name,
    struct mapping_binding **out, size_t *nout)
{
	struct doc_node *root, *bs, *e, *checks, *it;
	struct mapping_binding *v = NULL;
	size_t i, j, n = 0, cap = 0;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	if ((root = mapping_load(a, d, name, NULL)) == NULL)
		return -1;
	bs = doc_get(root, "bindings");
	for (i = 0; i < bs->u.seq.n; i++) {
		e = bs->u.seq.items[i];
		if (schema_check(d, e, entry_fields, "mapping entry") == -1 ||
		    e->type != DOC_MAP) {
			rc = -1;
			continue;
		}
		checks = doc_get(e, "checks");
		if (check_bindings(d, checks) == -1) {
			rc = -1;
			continue;
		}
		for (j = 0; j < checks->u.seq.n; j++) {
			it = checks->u.seq.items[j];
			if (doc_str(doc_get(it, "id")) == NULL)
				continue;
			if (n == cap) {
				struct mapping_binding *nv;

				cap = cap ? cap * 2 : 64;
				nv = arena_realloc(
				    a, v, n * sizeof(*v), cap * sizeof(*v));
				if (nv == NULL)
					return diag_sys(
					    d, &it->mark, "out of memory");
				v = nv;
			}
			v[n].control = schema_str(e, "control");
			v[n].check_id = doc_str(doc_get(it, "id"));
			v[n].rationale = schema_str(it, "rationale");
			binding_decides(d, doc_get(it, "decides"), &v[n].full);
			v[n].mark = it->mark;
			n++;
		}
	}
	*out = v;
	*nout = n;
	return rc;
}

int
mapping_apply(struct baseline *b, struct diag *d, const char *name,
    const struct rule_set *rs, const struct mark *m)
{
	struct doc_node *root, *bs, *e, *checks;
	struct control *c;
	const char *cid;
	size_t i;
	int rc = 0;

	/* The mapping's nodes live in the baseline's arena: bindings keep
	 * pointers to them. */
	if ((root = mapping_load(b->a, d, name, m)) == NULL)
		return -1;
	bs = doc_get(root, "bindings");
	for (i = 0; i < bs->u.seq.n; i++) {
		e = bs->u.seq.items[i];
		if (schema_check(d, e, entry_fields, "mapping entry") == -1 ||
		    e->type != DOC_MAP) {
			rc = -1;
			continue;
		}
		cid = schema_str(e, "control");
		checks = doc_get(e, "checks");
		if (check_bindings(d, checks) == -1) {
			rc = -1;
			continue;
		}
		if ((c = baseline_control(b, cid)) == NULL)
			continue; /* not in this impact level */
		/* A tailored control with its own checks or an inherited
		 * control keeps what the baseline says.  Entries of the
		 * same control (one per provider section) add up. */
		if ((c->nchecks > 0 && !c->mapped) || c->resp == RESP_INHERITED)
			continue;
		if (baseline_bind_checks(b, d, rs, checks, c) == -1) {
			rc = -1;
			continue;
		}
		c->mapped = 1;
		c->resp = RESP_AUTOMATED;
	}
	return rc;
}
