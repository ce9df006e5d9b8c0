/*
 * poam.c: Plan of Action and Milestones.  An unexpired item turns a
 * matching failure into `waived`; an expired one does not, and the report
 * says so.  A malformed file is invalid input (exit 3), never ignored.
 *
 * poam_load() checks what the file alone can show; poam_validate() checks
 * the items against the baseline, the rule set and the RA-5(d)
 * remediation deadlines (docs/formats.md, "POA&M").
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

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
	{ "severity", DOC_STRING, 0 },
	{ "detected", DOC_NULL, 0 },
	{ "deviation", DOC_MAP, 0 },
	{ "weakness", DOC_STRING, 0 },
	{ "description", DOC_STRING, 0 },
	{ "contact", DOC_STRING, 0 },
	{ "remediation_plan", DOC_STRING, 0 },
	{ "resources_required", DOC_STRING, 0 },
	{ "vendor_dependency", DOC_STRING, 0 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field milestone_fields[] = {
	{ "description", DOC_STRING, 1 },
	{ "due", DOC_NULL, 1 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field deviation_fields[] = {
	{ "type", DOC_STRING, 1 },
	{ "approved_by", DOC_STRING, 1 },
	{ "approved", DOC_NULL, 1 },
	{ "reference", DOC_STRING, 0 },
	{ "rationale", DOC_STRING, 0 },
	{ NULL, DOC_NULL, 0 },
};

/* Severity words of a POA&M item, FedRAMP's and CVSS's. */
static const struct {
	const char *name;
	enum severity sev;
} sev_words[] = {
	{ "critical", SEV_CRITICAL },
	{ "high", SEV_HIGH },
	{ "low", SEV_LOW },
	{ "medium", SEV_MEDIUM },
	{ "moderate", SEV_MEDIUM },
};

static const struct {
	const char *name;
	enum poam_deviation dev;
} dev_words[] = {
	{ "false_positive", POAM_DEV_FALSE_POSITIVE },
	{ "operational_requirement", POAM_DEV_OPERATIONAL_REQUIREMENT },
	{ "risk_adjustment", POAM_DEV_RISK_ADJUSTMENT },
};

void
poam_free(struct poam *p)
{
	if (p == NULL)
		return;
	arena_free(p->a);
	lib_free(p);
}

int
poam_remediation_days(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL:
	case SEV_HIGH:
		return 30;
	case SEV_MEDIUM:
		return 90;
	case SEV_LOW:
		return 180;
	case SEV_INFO:
		break;
	}
	return -1;
}

static int
blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

/* Digits without leading zeros into out; the end of them, or NULL. */
static const char *
id_number(const char *p, char *out, size_t len, size_t *o)
{
	size_t n = 0;

	while (*p == '0' && isdigit((unsigned char)p[1]))
		p++;
	while (isdigit((unsigned char)*p)) {
		if (++n > 3 || *o + 1 >= len)
			return NULL;
		out[(*o)++] = *p++;
	}
	return n == 0 ? NULL : p;
}

int
poam_control_id(const char *s, char *out, size_t len)
{
	size_t o = 0;
	const char *p = s;

	if (s == NULL || len < 8)
		return -1;
	if (!isalpha((unsigned char)p[0]) || !isalpha((unsigned char)p[1]) ||
	    p[2] != '-')
		return -1;
	out[o++] = (char)tolower((unsigned char)p[0]);
	out[o++] = (char)tolower((unsigned char)p[1]);
	out[o++] = '-';
	if ((p = id_number(p + 3, out, len, &o)) == NULL)
		return -1;
	if (*p == '.' || *p == '(' || *p == ' ') {
		int paren;

		while (*p == ' ')
			p++;
		paren = *p == '(';
		if (*p != '.' && *p != '(')
			return -1;
		if (o + 1 >= len)
			return -1;
		out[o++] = '.';
		if ((p = id_number(p + 1, out, len, &o)) == NULL)
			return -1;
		if (paren && *p++ != ')')
			return -1;
	}
	if (*p != '\0')
		return -1;
	out[o] = '\0';
	return 0;
}

/* A date scalar through the strict parser; the field's name in errors. */
static int
node_time(struct diag *d, const struct doc_node *n, const char *key,
    const char *id, int64_t *t)
{
	struct time_error err;

	if (n->type != DOC_STRING)
		return diag_err(d, &n->mark,
		    "POA&M item '%s': '%s' must be a date like 2026-12-31, "
		    "found %s '%s'",
		    id, key, doc_type_name(n->type), n->str ? n->str : "");
	if (time_parse(n->str, n->len, TIME_ANY, t, &err) == -1)
		return diag_err(d, &n->mark,
		    "'%s' must be a date like 2026-12-31 or an RFC 3339 "
		    "date-time, found '%s': %s",
		    key, n->str, err.why);
	return 0;
}

static int
load_deviation(struct diag *d, const struct doc_node *n, struct poam_item *it)
{
	const struct doc_node *tn, *an;
	const char *type;
	size_t i;
	int rc = 0;

	if (schema_check(d, n, deviation_fields, "POA&M deviation") == -1)
		return -1;
	tn = doc_get(n, "type");
	type = tn->str;
	for (i = 0; i < sizeof(dev_words) / sizeof(dev_words[0]); i++)
		if (strcmp(type, dev_words[i].name) == 0)
			break;
	if (i == sizeof(dev_words) / sizeof(dev_words[0]))
		rc = diag_err(d, &tn->mark,
		    "POA&M item '%s': unknown deviation type '%s' (expected "
		    "false_positive, operational_requirement or "
		    "risk_adjustment)",
		    it->id, type);
	it->deviation_approver = schema_str(n, "approved_by");
	it->deviation_rationale = schema_str(n, "rationale");
	if (doc_get(n, "rationale") != NULL && blank(it->deviation_rationale))
		rc = diag_err(d, &doc_get(n, "rationale")->mark,
		    "POA&M item '%s': the deviation's rationale is blank "
		    "(omit the key or explain the deviation)",
		    it->id);
	if (blank(it->deviation_approver))
		rc = diag_err(d, &doc_get(n, "approved_by")->mark,
		    "POA&M item '%s': the deviation needs the approving "
		    "official in 'approved_by'",
		    it->id);
	an = doc_get(n, "approved");
	if (node_time(d, an, "approved", it->id, &it->deviation_approved) == -1)
		rc = -1;
	if (rc == 0)
		it->deviation = dev_words[i].dev;
	return rc;
}

/*
 * The optional text fields of the FedRAMP POA&M template: each, when
 * given, must hold text (a blank one is an error, never a silent gap in
 * the POA&M an officer submits).
 */
static int
load_text_fields(struct diag *d, const struct doc_node *n, struct poam_item *it)
{
	static const struct {
		const char *key;
		size_t off;
	} tf[] = {
		{ "contact", offsetof(struct poam_item, contact) },
		{ "description", offsetof(struct poam_item, description) },
		{ "remediation_plan",
		    offsetof(struct poam_item, remediation_plan) },
		{ "resources_required",
		    offsetof(struct poam_item, resources_required) },
		{ "vendor_dependency",
		    offsetof(struct poam_item, vendor_product) },
		{ "weakness", offsetof(struct poam_item, weakness) },
	};
	const struct doc_node *e;
	const char *v;
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(tf) / sizeof(tf[0]); i++) {
		if ((e = doc_get(n, tf[i].key)) == NULL)
			continue;
		v = schema_str(n, tf[i].key);
		if (blank(v)) {
			rc = diag_err(d, &e->mark,
			    "POA&M item '%s' has an empty '%s' (omit the key "
			    "or give its text)",
			    schema_str(n, "id") ? schema_str(n, "id") : "?",
			    tf[i].key);
			continue;
		}
		memcpy((char *)it + tf[i].off, &v, sizeof(v));
	}
	return rc;
}

/* Keys that, when present, must not be blank, and what to say. */
static const struct {
	const char *key, *hint;
} nonblank[] = {
	{ "justification", "" },
	{ "approver", "" },
	{ "control", "" },
	{ "resource", " (omit the key to cover every resource)" },
	{ "check", " (omit the key to cover every check of the control)" },
};

/* Every present key of nonblank[] holds text.  0 or -1. */
static int
no_blanks(struct diag *d, const struct doc_node *n, const char *id)
{
	const struct doc_node *v;
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(nonblank) / sizeof(nonblank[0]); i++)
		if ((v = doc_get(n, nonblank[i].key)) != NULL &&
		    blank(schema_str(n, nonblank[i].key)))
			rc = diag_err(d, &v->mark,
			    "POA&M item '%s' has an empty %s%s", id ? id : "?",
			    nonblank[i].key, nonblank[i].hint);
	return rc;
}

/* `severity: low|moderate|high|critical` (any case).  0 or -1. */
static int
load_severity(struct diag *d, const struct doc_node *sn, struct poam_item *it)
{
	size_t i;

	for (i = 0; i < sizeof(sev_words) / sizeof(sev_words[0]); i++)
		if (strcasecmp(sn->str, sev_words[i].name) == 0) {
			it->severity = sev_words[i].sev;
			it->has_severity = 1;
			return 0;
		}
	return diag_err(d, &sn->mark,
	    "POA&M item '%s': unknown severity '%s' "
	    "(expected low, moderate, high or critical)",
	    it->id ? it->id : "?", sn->str);
}

/*
 * `milestones`: a list of {description, due}.  0, -1 (errors in d, go
 * on checking), or -2 (out of memory).
 */
static int
load_milestones(struct poam *p, struct diag *d, const struct doc_node *ms,
    struct poam_item *it)
{
	const struct doc_node *m;
	int64_t t;
	size_t i;
	int rc = 0;

	if (ms->type != DOC_SEQ)
		return diag_err(d, &ms->mark,
		    "POA&M item '%s': 'milestones' must be a list of "
		    "{description, due}, found %s",
		    it->id ? it->id : "?", doc_type_name(ms->type));
	if (ms->u.seq.n > 0 &&
	    (it->milestones = arena_alloc(
		 p->a, ms->u.seq.n * sizeof(*it->milestones))) == NULL) {
		diag_sys(d, &ms->mark, "out of memory");
		return -2;
	}
	for (i = 0; i < ms->u.seq.n; i++) {
		m = ms->u.seq.items[i];
		if (schema_check(d, m, milestone_fields, "milestone") == -1) {
			rc = -1;
			continue;
		}
		if (node_time(d, doc_get(m, "due"), "due",
			it->id ? it->id : "?", &t) == -1)
			rc = -1;
		else if (it->milestones != NULL) {
			it->milestones[it->nmilestones].description =
			    schema_str(m, "description");
			it->milestones[it->nmilestones].due = t;
			it->milestones[it->nmilestones].due_text =
			    doc_get(m, "due")->str;
			it->nmilestones++;
		}
		if (blank(schema_str(m, "description")))
			rc = diag_err(d, &doc_get(m, "description")->mark,
			    "POA&M item '%s' has a milestone without a "
			    "description",
			    it->id ? it->id : "?");
	}
	return rc;
}

static int
load_item(struct poam *p, struct diag *d, const struct doc_node *n,
    struct poam_item *it)
{
	const struct doc_node *e, *ms, *sn;
	int rc = 0;

	/* The slot of a refused item is reused: start from nothing. */
	memset(it, 0, sizeof(*it));
	if (schema_check(d, n, item_fields, "POA&M item") == -1)
		rc = -1;
	if (n->type != DOC_MAP)
		return -1;
	if (load_text_fields(d, n, it) == -1)
		rc = -1;
	it->node = n;
	it->mark = n->mark;
	it->id = schema_str(n, "id");
	it->control = schema_str(n, "control");
	it->check = schema_str(n, "check");
	it->resource = schema_str(n, "resource");
	it->justification = schema_str(n, "justification");
	it->approver = schema_str(n, "approver");
	if (it->id != NULL && blank(it->id)) {
		rc = diag_err(
		    d, &doc_get(n, "id")->mark, "POA&M item id is blank");
		it->id = NULL;
	}
	if (it->id == NULL)
		rc = -1;
	if (no_blanks(d, n, it->id) == -1)
		rc = -1;
	e = doc_get(n, "expires");
	if (e != NULL) {
		if (node_time(d, e, "expires", it->id ? it->id : "?",
			&it->expires) == -1)
			rc = -1;
		it->expires_text = e->str;
	}
	if ((sn = doc_get(n, "severity")) != NULL && sn->type == DOC_STRING &&
	    load_severity(d, sn, it) == -1)
		rc = -1;
	if ((e = doc_get(n, "detected")) != NULL) {
		if (node_time(d, e, "detected", it->id ? it->id : "?",
			&it->detected) == -1)
			rc = -1;
		else
			it->detected_text = e->str;
	}
	if (it->detected_text != NULL && it->expires_text != NULL &&
	    it->expires < it->detected)
		rc = diag_err(d, &doc_get(n, "expires")->mark,
		    "POA&M item '%s' expires (%s) before the finding was "
		    "detected (%s)",
		    it->id ? it->id : "?", it->expires_text, it->detected_text);
	if ((e = doc_get(n, "deviation")) != NULL && e->type == DOC_MAP &&
	    load_deviation(d, e, it) == -1)
		rc = -1;
	ms = doc_get(n, "milestones");
	if (ms != NULL) {
		switch (load_milestones(p, d, ms, it)) {
		case -2:
			return -1;
		case -1:
			rc = -1;
			break;
		}
	}
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
		diag_sys(d, NULL, "out of memory");
		return NULL;
	}
	if ((p->path = arena_strdup(p->a, path)) == NULL ||
	    (root = doc_load_one(p->a, d, path, DOC_FMT_YAML, NULL)) == NULL)
		goto fail;
	if (schema_check(d, root, poam_fields, "POA&M file") == -1)
		rc = -1;
	items = doc_get(root, "items");
	if (items == NULL)
		goto fail; /* reported by schema_check() */
	/* schema_check() takes a scalar for a list of one: not here. */
	if (items->type != DOC_SEQ) {
		diag_err(d, &items->mark,
		    "'items' must be a list of POA&M items, found %s",
		    doc_type_name(items->type));
		goto fail;
	}
	if ((p->items = arena_alloc(
		 p->a, (items->u.seq.n + 1) * sizeof(*p->items))) == NULL) {
		diag_sys(d, NULL, "out of memory");
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

/* Where key of the item is written, else the item itself. */
static const struct mark *
field_mark(const struct poam_item *it, const char *key)
{
	const struct doc_node *n = it->node ? doc_get(it->node, key) : NULL;

	return n != NULL ? &n->mark : &it->mark;
}

static const char *
sev_word(enum severity s)
{
	return s == SEV_MEDIUM ? "moderate" : severity_name(s);
}

/* Whether control c binds check id. */
static int
binds(const struct control *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nchecks; i++)
		if (strcmp(c->checks[i].check_id, id) == 0)
			return 1;
	return 0;
}

/* The most severe check bound to c, or NULL. */
static const struct rule *
most_severe(const struct control *c)
{
	const struct rule *r = NULL;
	size_t i;

	for (i = 0; i < c->nchecks; i++)
		if (c->checks[i].rule != NULL &&
		    (r == NULL || c->checks[i].rule->severity > r->severity))
			r = c->checks[i].rule;
	return r;
}

static int
validate_item(struct poam_item *it, const struct baseline *b,
    const struct rule_set *rs, struct diag *d)
{
	const struct control *c = NULL;
	const struct rule *r = NULL;
	char id[32], when[32];
	int64_t deadline;
	int days, rc = 0;

	if (!it->has_severity)
		rc = diag_err(d, &it->mark,
		    "POA&M item '%s' needs a 'severity' (low, moderate, high "
		    "or critical): RA-5(d) sets its remediation deadline",
		    it->id);
	if (it->detected_text == NULL)
		rc = diag_err(d, &it->mark,
		    "POA&M item '%s' needs a 'detected' date (when the "
		    "finding was first detected): RA-5(d) deadlines run "
		    "from it",
		    it->id);
	if (poam_control_id(it->control, id, sizeof(id)) == -1)
		rc = diag_err(d, field_mark(it, "control"),
		    "POA&M item '%s': '%s' is not a control id like AC-2(3) "
		    "or ac-2.3",
		    it->id, it->control);
	else if ((c = baseline_control(b, id)) == NULL)
		rc = diag_err(d, field_mark(it, "control"),
		    "POA&M item '%s' names control '%s', which baseline '%s' "
		    "does not contain",
		    it->id, it->control, b->id);
	else
		it->control = c->id;
	if (it->check != NULL && rs != NULL) {
		if ((r = rule_find(rs, it->check)) == NULL)
			rc = diag_err(d, field_mark(it, "check"),
			    "POA&M item '%s' names unknown check '%s' "
			    "(rampart checks list shows the loaded checks)",
			    it->id, it->check);
		else if (c != NULL && !binds(c, r->id))
			rc = diag_err(d, field_mark(it, "check"),
			    "POA&M item '%s': check '%s' is not bound to "
			    "control '%s' in baseline '%s', so the item "
			    "would waive nothing",
			    it->id, it->check, c->label ? c->label : c->id,
			    b->id);
	}
	/*
	 * The rating may not understate what the item covers: its check,
	 * or, without one, the most severe check bound to the control (an
	 * item cannot escape the comparison by leaving `check` out).
	 */
	if (it->check == NULL && c != NULL)
		r = most_severe(c);
	if (r != NULL && it->has_severity && it->severity < r->severity &&
	    r->severity > SEV_INFO && it->deviation != POAM_DEV_RISK_ADJUSTMENT)
		rc = diag_err(d, field_mark(it, "severity"),
		    "POA&M item '%s' rates check '%s' (%s)%s as %s: a lower "
		    "rating needs an approved risk_adjustment deviation",
		    it->id, r->id, severity_name(r->severity),
		    it->check == NULL ? ", which its control binds," : "",
		    sev_word(it->severity));
	if (!it->has_severity || it->detected_text == NULL ||
	    it->expires_text == NULL ||
	    it->deviation == POAM_DEV_OPERATIONAL_REQUIREMENT ||
	    it->deviation == POAM_DEV_FALSE_POSITIVE)
		return rc;
	days = poam_remediation_days(it->severity);
	if (days < 0 || time_add_days(it->detected, days, &deadline) == -1)
		return diag_err(d, field_mark(it, "severity"),
		    "POA&M item '%s': no remediation deadline for its "
		    "severity",
		    it->id);
	if (it->expires > deadline) {
		format_time(deadline, when);
		rc = diag_err(d, field_mark(it, "expires"),
		    "POA&M item '%s' expires %s, after the RA-5(d) deadline "
		    "for a %s finding detected %s (%d days: %.10s); an "
		    "item open longer needs an approved "
		    "operational_requirement deviation",
		    it->id, it->expires_text, sev_word(it->severity),
		    it->detected_text, days, when);
	}
	return rc;
}

int
poam_validate(struct poam *p, const struct baseline *b,
    const struct rule_set *rs, struct diag *d)
{
	size_t i;
	int rc = 0;

	if (p == NULL || b == NULL)
		return 0;
	for (i = 0; i < p->n; i++)
		if (validate_item(&p->items[i], b, rs, d) == -1)
			rc = -1;
	return rc;
}

int
poam_item_waives(const struct poam_item *it, int64_t now)
{
	if (it == NULL || it->expires <= now)
		return 0;
	if (it->deviation != POAM_DEV_OPERATIONAL_REQUIREMENT &&
	    it->deviation != POAM_DEV_FALSE_POSITIVE)
		return 0;
	return it->deviation_approver != NULL && it->deviation_approved <= now;
}
