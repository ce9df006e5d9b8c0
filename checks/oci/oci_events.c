/*
 * oci_events.c: the tenancy's Events rules notify someone of every
 * identity change (users, groups, policies, identity providers).
 *
 * The resource is the tenancy-wide OCI::Events::RuleSet the adapters
 * build from the rules of every region (identity events are delivered in
 * the home region only).  An event type of the parameter `event_types`
 * is covered when an enabled rule (is-enabled true; lifecycle-state
 * ACTIVE where the export has no is-enabled) with an enabled notification
 * action (action-type ONS: actions.actions[*] of `oci events rule get`,
 * actions-details[*] of a search summary) has a condition matching it:
 * the condition is a JSON text {"eventType": "t" | ["t", ...]}, compared
 * case-insensitively; a condition with any other key (a "data" filter)
 * narrows the events it matches and covers nothing here.  The check
 * fails naming the types no rule covers; a rule that cannot be judged
 * (condition not JSON, no actions collected, a failed `rule get`) makes
 * it `error` when the types left uncovered might be its.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "checks/oci/oci.h"
#include "checks/sources/sources.h"

#define MAX_TYPES 256

/* Whether rule r is enabled: 1, 0, or -1 when the export cannot say. */
static int
rule_enabled(const struct doc_node *r)
{
	const struct doc_node *e = doc_get(r, "is-enabled");
	const char *st = doc_str(doc_get(r, "lifecycle-state"));

	if (e != NULL && e->type == DOC_BOOL)
		return e->u.b;
	if (e != NULL)
		return -1;
	if (st == NULL)
		return -1;
	return strcasecmp(st, "ACTIVE") == 0;
}

/* Whether r notifies (an enabled ONS action): 1, 0, or -1 unknown. */
static int
rule_notifies(const struct doc_node *r)
{
	const struct doc_node *acts, *a, *en;
	const char *t;
	size_t i;

	acts = doc_get(doc_get(r, "actions"), "actions");
	if (acts == NULL)
		acts = doc_get(r, "actions-details");
	if (acts == NULL || acts->type != DOC_SEQ)
		return -1;
	for (i = 0; i < acts->u.seq.n; i++) {
		a = acts->u.seq.items[i];
		t = doc_str(doc_get(a, "action-type"));
		en = doc_get(a, "is-enabled");
		if (t != NULL && strcasecmp(t, "ONS") == 0 &&
		    (en == NULL || (en->type == DOC_BOOL && en->u.b)))
			return 1;
	}
	return 0;
}

/*
 * The event types rule r's condition matches, into covered[] (by index
 * of want); 0, or -1 when the condition cannot be read.
 */
static int
rule_cover(struct check_ctx *c, const struct doc_node *r,
    const struct doc_node *want, unsigned char *covered)
{
	const struct doc_node *cond = doc_get(r, "condition"), *et, *t;
	struct doc_node **docs;
	struct diag d;
	size_t n, i, j;
	int rc = -1;

	if (cond == NULL || cond->type != DOC_STRING)
		return -1;
	diag_init(&d);
	if (doc_load_buf(check_arena(c), &d, "condition", cond->str, cond->len,
		DOC_FMT_JSON, NULL, &docs, &n) != 0 ||
	    n != 1 || docs[0]->type != DOC_MAP)
		goto out;
	rc = 0;
	/* Any key but eventType narrows the rule: it covers nothing. */
	if (docs[0]->u.map.n != 1 ||
	    (et = doc_get(docs[0], "eventType")) == NULL)
		goto out;
	for (i = 0; i < (et->type == DOC_SEQ ? et->u.seq.n : 1); i++) {
		t = et->type == DOC_SEQ ? et->u.seq.items[i] : et;
		if (t->type != DOC_STRING) {
			rc = -1;
			goto out;
		}
		for (j = 0; j < want->u.seq.n; j++)
			if (doc_str(want->u.seq.items[j]) != NULL &&
			    strcasecmp(doc_str(want->u.seq.items[j]), t->str) ==
				0)
				covered[j] = 1;
	}
out:
	diag_free(&d);
	return rc;
}

static int
ev_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *want, *rules, *rule;
	unsigned char covered[MAX_TYPES];
	char path[48], missing[512];
	size_t i, nmiss = 0, o = 0, unknown = 0;
	int en, no;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	want = check_param(c, "event_types");
	if (want == NULL || want->type != DOC_SEQ || want->u.seq.n == 0 ||
	    want->u.seq.n > MAX_TYPES)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'event_types' is not a list of 1 to %d event "
		    "types",
		    MAX_TYPES);
	rules = doc_get(r->attrs, "rules");
	if (rules == NULL || rules->type != DOC_SEQ) {
		check_evidence(c, "rules", rules);
		return check_emit(c, r, ST_ERROR,
		    "'rules' is absent: the Events rules were not collected");
	}
	memset(covered, 0, sizeof(covered));
	for (i = 0; i < rules->u.seq.n; i++) {
		rule = rules->u.seq.items[i];
		if ((en = rule_enabled(rule)) == 0)
			continue;
		no = rule_notifies(rule);
		if (no == 0)
			continue;
		if (en < 0 || no < 0 ||
		    doc_get(rule, SRC_READ_ERRORS) != NULL ||
		    rule_cover(c, rule, want, covered) != 0) {
			unknown++;
			continue;
		}
		snprintf(path, sizeof(path), "rules[%zu]", i);
		check_evidence(c, path, doc_get(rule, "condition"));
	}
	missing[0] = '\0';
	for (i = 0; i < want->u.seq.n; i++) {
		if (covered[i])
			continue;
		if (nmiss++ < 3 && o < sizeof(missing) - 1)
			o += (size_t)snprintf(missing + o, sizeof(missing) - o,
			    "%s'%s'", nmiss > 1 ? ", " : "",
			    doc_str(want->u.seq.items[i]) != NULL
				? doc_str(want->u.seq.items[i])
				: "?");
	}
	if (nmiss == 0)
		return check_emit(c, r, ST_PASS,
		    "every identity event type is notified by an enabled rule");
	check_evidence(c, "rules", rules);
	if (unknown > 0)
		return check_emit(c, r, ST_ERROR,
		    "%zu event types are not known to be notified (%s%s) and "
		    "%zu rules could not be judged (condition, state or "
		    "actions not collected)",
		    nmiss, missing, nmiss > 3 ? ", ..." : "", unknown);
	return check_emit(c, r, ST_FAIL,
	    "%zu identity event types are notified by no enabled rule: %s%s",
	    nmiss, missing, nmiss > 3 ? ", ..." : "");
}

static const char *const ev_types[] = { "OCI::Events::RuleSet", NULL };

static const struct plugin_param ev_params[] = {
	{ "event_types", DOC_SEQ, NULL,
	    "event types an enabled notifying rule must match" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin oci_events_plugin = {
	.name = "oci_events",
	.summary = "OCI Events rules notifying every identity change",
	.resource_types = ev_types,
	.params = ev_params,
	.evaluate = ev_evaluate,
};
