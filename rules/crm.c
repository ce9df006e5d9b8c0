/*
 * crm.c: customer responsibility matrices.  A provider's FedRAMP package
 * says, control by control, what the provider implements for its
 * customers (inherited), what it shares with them, and what is the
 * customer's alone:
 *
 *   provider: Example Cloud (US)
 *   authorization: FedRAMP High P-ATO F1234567890
 *   controls:
 *     - id: pe-3
 *       responsibility: inherited
 *     - id: ac-2
 *       responsibility: shared
 *       note: provider manages its own staff accounts
 *
 * Inherited controls are reported `inherited` with the provider's
 * authorization reference and their checks are not run; shared controls
 * keep their own evaluation (the customer's part) and carry the note.
 */
#include <string.h>

#include "rules/rules.h"

static const struct field file_fields[] = {
	{ "provider", DOC_STRING, 1 },
	{ "authorization", DOC_STRING, 1 },
	{ "controls", DOC_SEQ, 1 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field item_fields[] = {
	{ "id", DOC_STRING, 1 },
	{ "responsibility", DOC_STRING, 1 },
	{ "reference", DOC_STRING, 0 },
	{ "note", DOC_STRING, 0 },
	{ NULL, DOC_NULL, 0 },
};

static const char *const names[] = { "none", "customer", "shared",
	"inherited" };

const char *
crm_resp_name(enum crm_resp r)
{
	return (unsigned)r <= CRM_INHERITED ? names[r] : "?";
}

void
crm_free(struct crm *c)
{
	if (c == NULL)
		return;
	arena_free(c->a);
	lib_free(c);
}

static int
load_item(struct crm *c, struct diag *d, const struct doc_node *n,
    struct crm_entry *e)
{
	const char *r;
	size_t i;

	if (schema_check(d, n, item_fields, "CRM entry") == -1 ||
	    n->type != DOC_MAP)
		return -1;
	e->mark = n->mark;
	e->control = schema_str(n, "id");
	e->reference = schema_str(n, "reference");
	e->note = schema_str(n, "note");
	r = schema_str(n, "responsibility");
	for (i = CRM_CUSTOMER; i <= CRM_INHERITED; i++)
		if (strcmp(r, names[i]) == 0)
			e->resp = (enum crm_resp)i;
	if (e->resp == CRM_NONE)
		return diag_err(d, &doc_get(n, "responsibility")->mark,
		    "unknown responsibility '%s' (expected inherited, shared "
		    "or customer)",
		    r);
	for (i = 0; i < (size_t)(e - c->items); i++)
		if (strcmp(c->items[i].control, e->control) == 0)
			return diag_err(d, &doc_get(n, "id")->mark,
			    "duplicate CRM entry for '%s' (first at %u:%u)",
			    e->control, c->items[i].mark.line,
			    c->items[i].mark.col);
	return 0;
}

struct crm *
crm_load(struct diag *d, const char *path)
{
	struct crm *c;
	struct doc_node *root, *list;
	size_t i;
	int rc = 0;

	if ((c = lib_calloc(1, sizeof(*c))) == NULL ||
	    (c->a = arena_new()) == NULL) {
		lib_free(c);
		diag_sys(d, NULL, "out of memory");
		return NULL;
	}
	if ((c->path = arena_strdup(c->a, path)) == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto fail;
	}
	if ((root = doc_load_one(c->a, d, path, DOC_FMT_YAML, NULL)) == NULL)
		goto fail;
	if (schema_check(d, root, file_fields, "CRM file") == -1)
		goto fail;
	c->provider = schema_str(root, "provider");
	c->authorization = schema_str(root, "authorization");
	list = doc_get(root, "controls");
	c->items = arena_alloc(c->a, (list->u.seq.n + 1) * sizeof(*c->items));
	if (c->items == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto fail;
	}
	for (i = 0; i < list->u.seq.n; i++) {
		if (load_item(c, d, list->u.seq.items[i], &c->items[c->n]) ==
		    -1) {
			rc = -1;
			continue;
		}
		c->n++;
	}
	if (rc == 0)
		return c;
fail:
	crm_free(c);
	return NULL;
}

long
crm_apply(const struct crm *c, struct baseline *b, struct diag *d)
{
	struct control *ct;
	char id[32];
	size_t i;
	long missing = 0;

	(void)d;
	for (i = 0; i < c->n; i++) {
		/* Any id form (AC-2(3), ac-2.3), as POA&M and attestations:
		 * a row missed for its spelling would hide a conflict. */
		if (poam_control_id(c->items[i].control, id, sizeof(id)) ==
			-1 ||
		    (ct = baseline_control(b, id)) == NULL) {
			missing++;
			continue;
		}
		ct->crm = c->items[i].resp;
		ct->crm_provider = c->provider;
		ct->crm_reference = c->items[i].reference != NULL
		    ? c->items[i].reference
		    : c->authorization;
		if (c->items[i].resp == CRM_INHERITED)
			ct->resp = RESP_INHERITED;
	}
	return missing;
}
