/*
 * poam.c: Plan of Action and Milestones.  An unexpired item turns a
 * matching failure into `waived`; an expired one does not, and the report
 * says so.  A malformed file is invalid input (exit 3), never ignored.
 */
#include <string.h>

#include "rules/rules.h"

static const struct field poam_fields[] = {
	{ "items", DOC_SEQ, 1 },
	{ "system", DOC_STRING, 0 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field item_fields[] = {
	{ "id", DOC_STRING, 1 },
	{ "control", DOC_STRING, 1 },
	{ "check", DOC_STRING, 0 },
	{ "resource", DOC_STRING, 0 },
	{ "justification", DOC_STRING, 1 },
	{ "approver", DOC_STRING, 1 },
	{ "milestones", DOC_SEQ, 0 },
	{ "expires", DOC_NULL, 1 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field milestone_fields[] = {
	{ "description", DOC_STRING, 1 },
	{ "due", DOC_NULL, 1 },
	{ NULL, DOC_NULL, 0 },
};

void
poam_free(struct poam *p)
{
	if (p == NULL)
		return;
	arena_free(p->a);
	lib_free(p);
}

/* A date scalar: YAML gives a string ("2026-12-01"); ints are epochs. */
static int
node_time(const struct doc_node *n, int64_t *t)
{
	if (n == NULL)
		return -1;
	if (n->type == DOC_STRING || n->type == DOC_INT)
		return parse_time(n->str, t);
	return -1;
}

static int
load_item(struct poam *p, struct diag *d, const struct doc_node *n,
    struct poam_item *it)
{
	const struct doc_node *e, *ms;
	int64_t t;
	size_t i;
	int rc = 0;

	if (schema_check(d, n, item_fields, "POA&M item") == -1)
		rc = -1;
	if (n->type != DOC_MAP)
		return -1;
	it->mark = n->mark;
	it->id = schema_str(n, "id");
	it->control = schema_str(n, "control");
	it->check = schema_str(n, "check");
	it->resource = schema_str(n, "resource");
	it->justification = schema_str(n, "justification");
	it->approver = schema_str(n, "approver");
	if (it->justification != NULL && it->justification[0] == '\0')
		rc = diag_err(d, &doc_get(n, "justification")->mark,
		    "POA&M item '%s' has an empty justification",
		    it->id ? it->id : "?");
	e = doc_get(n, "expires");
	if (e != NULL) {
		if (node_time(e, &it->expires) == -1)
			rc = diag_err(d, &e->mark,
			    "'expires' must be a date "
			    "like 2026-12-31, found '%s'",
			    e->str ? e->str : doc_type_name(e->type));
		it->expires_text = e->str;
	}
	ms = doc_get(n, "milestones");
	for (i = 0; ms != NULL && ms->type == DOC_SEQ && i < ms->u.seq.n; i++) {
		const struct doc_node *m = ms->u.seq.items[i];

		if (schema_check(d, m, milestone_fields, "milestone") == -1) {
			rc = -1;
			continue;
		}
		if (node_time(doc_get(m, "due"), &t) == -1)
			rc = diag_err(d, &doc_get(m, "due")->mark,
			    "'due' must "
			    "be a date like 2026-12-31");
	}
	(void)p;
	return rc;
}

struct poam *
poam_load(struct diag *d, const char *path)
{
	struct poam *p;
	struct doc_node *root, *items;
	size_t i, j;
	int rc = 0;

	if ((p = lib_calloc(1, sizeof(*p))) == NULL ||
	    (p->a = arena_new()) == NULL) {
		lib_free(p);
		diag_err(d, NULL, "out of memory");
		return NULL;
	}
	if ((p->path = arena_strdup(p->a, path)) == NULL ||
	    (root = doc_load_one(p->a, d, path, DOC_FMT_YAML, NULL)) == NULL)
		goto fail;
	if (schema_check(d, root, poam_fields, "POA&M file") == -1)
		rc = -1;
	items = doc_get(root, "items");
	if (items == NULL || items->type != DOC_SEQ)
		goto fail;
	if ((p->items = arena_alloc(
		 p->a, (items->u.seq.n + 1) * sizeof(*p->items))) == NULL) {
		diag_err(d, NULL, "out of memory");
		goto fail;
	}
	for (i = 0; i < items->u.seq.n; i++) {
		if (load_item(p, d, items->u.seq.items[i], &p->items[p->n]) ==
		    -1) {
			rc = -1;
			continue;
		}
		for (j = 0; j < p->n; j++)
			if (strcmp(p->items[j].id, p->items[p->n].id) == 0)
				rc = diag_err(d, &p->items[p->n].mark,
				    "duplicate POA&M item '%s' (first at "
				    "%u:%u)",
				    p->items[j].id, p->items[j].mark.line,
				    p->items[j].mark.col);
		p->n++;
	}
	if (rc == -1)
		goto fail;
	return p;
fail:
	poam_free(p);
	return NULL;
}
