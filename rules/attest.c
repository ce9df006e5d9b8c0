/*
 * attest.c: attestations, the evidence control owners record for manual
 * controls (policies, procedures, training records, ...).
 *
 *   attestations:
 *     - control: ac-1
 *       statement: Access control policy v3 approved and published
 *       evidence: [https://grc.example/doc/123, "sha256:ab12..."]
 *       attested_by: Jane Doe, ISSO
 *       date: 2025-01-15
 *       expires: 2026-01-15
 *
 * An attestation decides a manual control only while it is valid
 * (date <= evaluation time < expires); an expired or future one leaves
 * the control `manual` and the report says why.
 */
#include <string.h>

#include "rules/rules.h"

static const struct field file_fields[] = {
	{ "attestations", DOC_SEQ, 1 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field item_fields[] = {
	{ "control", DOC_STRING, 1 },
	{ "statement", DOC_STRING, 1 },
	{ "evidence", DOC_NULL, 1 },
	{ "attested_by", DOC_STRING, 1 },
	{ "date", DOC_STRING, 1 },
	{ "expires", DOC_STRING, 1 },
	{ NULL, DOC_NULL, 0 },
};

void
attest_free(struct attest_set *s)
{
	if (s == NULL)
		return;
	arena_free(s->a);
	lib_free(s);
}

static int
blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\n")] == '\0';
}

/* A date or RFC 3339 date-time, through the one strict parser. */
static int
load_time(struct diag *d, const struct doc_node *n, const char *key, int64_t *t)
{
	struct time_error err;

	if (n->type != DOC_STRING ||
	    time_parse(n->str, n->len, TIME_ANY, t, &err) == -1)
		return diag_err(d, &n->mark,
		    "invalid date '%s' in '%s': %s (expected YYYY-MM-DD or "
		    "an RFC 3339 date-time)",
		    n->str ? n->str : doc_type_name(n->type), key,
		    n->type != DOC_STRING ? "not a string" : err.why);
	return 0;
}

static int
load_item(struct attest_set *s, struct diag *d, const struct doc_node *n,
    struct attestation *at)
{
	const struct doc_node *dn, *en;
	size_t i;
	int rc = 0;

	if (schema_check(d, n, item_fields, "attestation") == -1 ||
	    n->type != DOC_MAP)
		return -1;
	at->mark = n->mark;
	at->control = schema_str(n, "control");
	at->statement = schema_str(n, "statement");
	at->attested_by = schema_str(n, "attested_by");
	at->date_text = schema_str(n, "date");
	at->expires_text = schema_str(n, "expires");
	if (blank(at->statement))
		rc = diag_err(d, &doc_get(n, "statement")->mark,
		    "attestation of '%s' needs a statement", at->control);
	if (blank(at->attested_by))
		rc = diag_err(d, &doc_get(n, "attested_by")->mark,
		    "attestation of '%s' needs 'attested_by'", at->control);
	en = doc_get(n, "evidence");
	if (schema_strlist(s->a, d, en, &at->evidence, &at->nevidence) == -1)
		rc = -1;
	else if (at->nevidence == 0)
		rc = diag_err(d, &en->mark,
		    "attestation of '%s' lists no evidence reference",
		    at->control);
	for (i = 0; i < at->nevidence; i++)
		if (blank(at->evidence[i]))
			rc = diag_err(d, &en->mark,
			    "empty evidence reference in the attestation of "
			    "'%s'",
			    at->control);
	dn = doc_get(n, "date");
	if (load_time(d, dn, "date", &at->date) == -1 ||
	    load_time(d, doc_get(n, "expires"), "expires", &at->expires) == -1)
		return -1;
	if (at->expires <= at->date)
		rc = diag_err(d, &doc_get(n, "expires")->mark,
		    "attestation of '%s' expires (%s) before it is dated "
		    "(%s)",
		    at->control, at->expires_text, at->date_text);
	return rc;
}

struct attest_set *
attest_load(struct diag *d, const char *path)
{
	struct attest_set *s;
	struct doc_node *root, *list;
	size_t i;
	int rc = 0;

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
	if ((root = doc_load_one(s->a, d, path, DOC_FMT_YAML, NULL)) == NULL)
		goto fail;
	if (schema_check(d, root, file_fields, "attestations file") == -1)
		goto fail;
	list = doc_get(root, "attestations");
	/* schema_check() takes a scalar for a list of one: not here. */
	if (list->type != DOC_SEQ) {
		diag_err(d, &list->mark,
		    "'attestations' must be a list of attestations, found %s",
		    doc_type_name(list->type));
		goto fail;
	}
	s->items = arena_alloc(s->a, (list->u.seq.n + 1) * sizeof(*s->items));
	if (s->items == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto fail;
	}
	for (i = 0; i < list->u.seq.n; i++)
		if (load_item(s, d, list->u.seq.items[i], &s->items[s->n++]) ==
		    -1)
			rc = -1;
	if (rc == 0)
		return s;
fail:
	attest_free(s);
	return NULL;
}

const struct attestation *
attest_find(const struct attest_set *s, const char *id, int64_t now,
    const struct attestation **stale)
{
	const struct attestation *best = NULL, *old = NULL, *at;
	size_t i;

	if (stale != NULL)
		*stale = NULL;
	for (i = 0; s != NULL && i < s->n; i++) {
		at = &s->items[i];
		if (strcmp(at->control, id) != 0)
			continue;
		if (at->date <= now && now < at->expires) {
			if (best == NULL || at->expires > best->expires)
				best = at;
		} else if (old == NULL || at->expires > old->expires) {
			old = at;
		}
	}
	if (best == NULL && stale != NULL)
		*stale = old;
	return best;
}

int
attest_validate(struct attest_set *s, const struct baseline *b, struct diag *d)
{
	const struct control *c;
	char id[32];
	size_t i;
	int rc = 0;

	for (i = 0; s != NULL && b != NULL && i < s->n; i++) {
		struct attestation *at = &s->items[i];

		if (poam_control_id(at->control, id, sizeof(id)) == -1)
			rc = diag_err(d, &at->mark,
			    "attestation: '%s' is not a control id like "
			    "AC-2(3) or ac-2.3",
			    at->control);
		else if ((c = baseline_control(b, id)) == NULL)
			rc = diag_err(d, &at->mark,
			    "attestation of '%s': baseline '%s' has no such "
			    "control",
			    at->control, b->id);
		else
			at->control = c->id;
	}
	return rc;
}
