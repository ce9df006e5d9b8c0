/*
 * scope.c: the user's declaration of what the workload does not use and
 * which controls it tailors out.  Absent evidence is `error`; only this
 * file, recorded in every report, turns it into `not_applicable`:
 *
 *   out_of_scope:
 *     - type: "AWS::RDS::*"
 *       reason: the workload keeps no data in RDS
 *   not_applicable:
 *     - control: pe-3
 *       reason: no facility of ours; the provider's data centres
 *
 * A declared type whose resources turn up in the inputs is still
 * evaluated: a declaration never hides a failure.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "rules/rules.h"

static const struct field file_fields[] = {
	{ "out_of_scope", DOC_SEQ, 0 },
	{ "not_applicable", DOC_SEQ, 0 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field type_fields[] = {
	{ "type", DOC_STRING, 1 },
	{ "reason", DOC_STRING, 1 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field control_fields[] = {
	{ "control", DOC_STRING, 1 },
	{ "reason", DOC_STRING, 1 },
	{ NULL, DOC_NULL, 0 },
};

void
scope_free(struct scope *s)
{
	if (s == NULL)
		return;
	arena_free(s->a);
	lib_free(s);
}

/* Whether s holds anything but white space. */
static int
blank(const char *s)
{
	while (*s != '\0' && isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/*
 * Load one list (`out_of_scope` or `not_applicable`) into *out.  key is
 * the field naming the item ("type", "control").  0 or -1, every error
 * reported.
 */
static int
load_list(struct scope *s, struct diag *d, const struct doc_node *seq,
    const struct field *fields, const char *key, struct scope_item **out,
    size_t *n)
{
	const struct doc_node *it;
	struct scope_item *e;
	size_t i, j;
	int rc = 0;

	*n = 0;
	if (seq == NULL)
		return 0;
	if ((*out = arena_alloc(s->a, (seq->u.seq.n + 1) * sizeof(**out))) ==
	    NULL)
		return diag_sys(d, NULL, "out of memory");
	for (i = 0; i < seq->u.seq.n; i++) {
		it = seq->u.seq.items[i];
		if (schema_check(d, it, fields, "scope entry") == -1 ||
		    it->type != DOC_MAP) {
			rc = -1;
			continue;
		}
		e = &(*out)[*n];
		e->name = schema_str(it, key);
		e->reason = schema_str(it, "reason");
		e->mark = it->mark;
		if (blank(e->reason)) {
			rc = diag_err(d, &doc_get(it, "reason")->mark,
			    "empty reason: a declaration must say why");
			continue;
		}
		for (j = 0; j < *n; j++)
			if (strcasecmp((*out)[j].name, e->name) == 0)
				break;
		if (j < *n) {
			rc = diag_err(d, &doc_get(it, key)->mark,
			    "'%s' is declared twice (first at %u:%u)", e->name,
			    (*out)[j].mark.line, (*out)[j].mark.col);
			continue;
		}
		(*n)++;
	}
	return rc;
}

struct scope *
scope_load(struct diag *d, const char *path)
{
	struct scope *s;
	struct doc_node *root;
	int rc;

	if ((s = lib_calloc(1, sizeof(*s))) == NULL ||
	    (s->a = arena_new()) == NULL) {
		lib_free(s);
		diag_sys(d, NULL, "out of memory");
		return NULL;
	}
	if ((s->path = arena_strdup(s->a, path)) == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto fail;
	}
	if (sha256_file_hex(d, path, s->sha256) == -1)
		goto fail;
	if ((root = doc_load_one(s->a, d, path, DOC_FMT_YAML, NULL)) == NULL)
		goto fail;
	if (schema_check(d, root, file_fields, "scope file") == -1 ||
	    root->type != DOC_MAP)
		goto fail;
	rc = load_list(s, d, doc_get(root, "out_of_scope"), type_fields, "type",
	    &s->types, &s->ntypes);
	if (load_list(s, d, doc_get(root, "not_applicable"), control_fields,
		"control", &s->controls, &s->ncontrols) == -1 ||
	    rc == -1)
		goto fail;
	return s;
fail:
	scope_free(s);
	return NULL;
}

const struct scope_item *
scope_type(const struct scope *s, const char *type)
{
	size_t i;

	for (i = 0; s != NULL && i < s->ntypes; i++)
		if (glob_match(s->types[i].name, type))
			return &s->types[i];
	return NULL;
}

const struct scope_item *
scope_control(const struct scope *s, const char *id)
{
	size_t i;

	for (i = 0; s != NULL && i < s->ncontrols; i++)
		if (control_id_eq(s->controls[i].name, id))
			return &s->controls[i];
	return NULL;
}

int
scope_check_controls(
    const struct scope *s, const struct baseline *b, struct diag *d)
{
	size_t i, j;
	int rc = 0;

	for (i = 0; s != NULL && i < s->ncontrols; i++) {
		for (j = 0; j < b->ncontrols; j++)
			if (control_id_eq(
				s->controls[i].name, b->controls[j].id))
				break;
		if (j == b->ncontrols)
			rc = diag_err(d, &s->controls[i].mark,
			    "baseline '%s' has no control '%s'", b->id,
			    s->controls[i].name);
	}
	return rc;
}

int
control_id_eq(const char *x, const char *y)
{
	char a[32], b[32];

	/* One normaliser for every id form (poam_control_id, rules/poam.c);
	 * text that is no control id only matches itself. */
	if (poam_control_id(x, a, sizeof(a)) == -1 ||
	    poam_control_id(y, b, sizeof(b)) == -1)
		return strcasecmp(x, y) == 0;
	return strcmp(a, b) == 0;
}
