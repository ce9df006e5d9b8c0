/*
 * gcp_iam.c: IAM policies (GCP::IAM::Policy: `bindings`, `auditConfigs`
 * of a project, folder, organisation, bucket, ...) judged binding by
 * binding, which a path assertion cannot do (a role and its members must
 * be read together).
 *
 * Bindings (parameter `members` set): a binding whose role is one of
 * `roles` ("*" = any role) and that names a member matching `members`
 * (an entry ending in ':' is a prefix, "user:"; any other entry is the
 * whole member, "allUsers"; both without regard to case, "deleted:"
 * members included) fails the policy.  With `external_only: true` only
 * members outside `allowed_domains` count (when that list is empty, the
 * consumer domains of `consumer_domains`, gmail.com by default).  A
 * binding with an IAM condition still grants the role: it counts.
 *
 * Audit (parameter `audit_log_types` set): the policy's `auditConfigs`
 * entry for service "allServices" must enable every listed log type,
 * with no exempted members (an exemption leaves that member's accesses
 * unlogged).
 *
 * Policies of asset types not in `asset_types` (when set) are
 * not_applicable.  A policy whose bindings or audit configs are not of
 * the documented shape is `error`.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "checks/gcp/gcp.h"

/* Whether list (strings) holds s, without regard to case. */
static int
list_has(const struct doc_node *list, const char *s)
{
	const char *v;
	size_t i;

	for (i = 0; list != NULL && list->type == DOC_SEQ && i < list->u.seq.n;
	     i++)
		if ((v = doc_str(list->u.seq.items[i])) != NULL &&
		    (strcasecmp(v, s) == 0 || strcmp(v, "*") == 0))
			return 1;
	return 0;
}

/* Whether member m matches one entry of pats. */
static int
member_matches(const struct doc_node *pats, const char *m)
{
	const char *p;
	size_t i, n;

	if (strncasecmp(m, "deleted:", 8) == 0)
		m += 8;
	for (i = 0; pats != NULL && pats->type == DOC_SEQ && i < pats->u.seq.n;
	     i++) {
		if ((p = doc_str(pats->u.seq.items[i])) == NULL)
			continue;
		n = strlen(p);
		if (n > 0 && p[n - 1] == ':' ? strncasecmp(m, p, n) == 0
					     : strcasecmp(m, p) == 0)
			return 1;
	}
	return 0;
}

/* Whether m ("user:a@b.com") is outside the organisation's domains. */
static int
is_external(struct check_ctx *c, const char *m)
{
	const struct doc_node *allowed = check_param(c, "allowed_domains");
	const char *at = strrchr(m, '@');

	if (at == NULL)
		return 0; /* domain:, allUsers: judged by other checks */
	at++;
	if (allowed != NULL && allowed->type == DOC_SEQ && allowed->u.seq.n > 0)
		return !list_has(allowed, at);
	return list_has(check_param(c, "consumer_domains"), at);
}

static int
judge_bindings(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *b = doc_get(r->attrs, "bindings"), *bi, *ms;
	const struct doc_node *roles = check_param(c, "roles");
	const struct doc_node *pats = check_param(c, "members");
	const struct doc_node *ext = check_param(c, "external_only");
	const char *role, *m;
	char ev[48];
	size_t i, j, hits = 0;
	const char *frole = NULL, *fm = NULL;

	if (b == NULL || (b->type == DOC_SEQ && b->u.seq.n == 0))
		return check_emit(c, r, ST_PASS,
		    "the policy has no bindings: it grants nothing");
	if (b->type != DOC_SEQ) {
		check_evidence(c, "bindings", b);
		return check_emit(c, r, ST_ERROR, "'bindings' is not a list");
	}
	for (i = 0; i < b->u.seq.n; i++) {
		bi = b->u.seq.items[i];
		role = doc_str(doc_get(bi, "role"));
		ms = doc_get(bi, "members");
		snprintf(ev, sizeof(ev), "bindings[%zu]", i);
		if (role == NULL || ms == NULL || ms->type != DOC_SEQ) {
			check_evidence(c, ev, bi);
			return check_emit(c, r, ST_ERROR,
			    "binding %zu has no 'role' string and 'members' "
			    "list",
			    i);
		}
		if (!list_has(roles, role))
			continue;
		for (j = 0; j < ms->u.seq.n; j++) {
			if ((m = doc_str(ms->u.seq.items[j])) == NULL) {
				check_evidence(c, ev, bi);
				return check_emit(c, r, ST_ERROR,
				    "binding %zu holds a member that is not "
				    "a string",
				    i);
			}
			if (!member_matches(pats, m) ||
			    (ext != NULL && ext->type == DOC_BOOL && ext->u.b &&
				!is_external(c, m)))
				continue;
			if (hits++ == 0) {
				frole = role;
				fm = m;
				check_evidence(c, ev, bi);
			}
		}
	}
	if (hits > 0)
		return check_emit(c, r, ST_FAIL, "'%s' is granted '%s'%s", fm,
		    frole, hits > 1 ? " (and more grants)" : "");
	check_evidence(c, "bindings", b);
	return check_emit(c, r, ST_PASS,
	    "%zu bindings, none grants a listed role to a listed member",
	    b->u.seq.n);
}

static int
judge_audit(
    struct check_ctx *c, const struct resource *r, const struct doc_node *want)
{
	const struct doc_node *ac = doc_get(r->attrs, "auditConfigs");
	const struct doc_node *cfg = NULL, *lc, *e, *ex;
	const char *svc, *t;
	size_t i, j, k;
	int have;

	if (ac != NULL && ac->type != DOC_SEQ) {
		check_evidence(c, "auditConfigs", ac);
		return check_emit(
		    c, r, ST_ERROR, "'auditConfigs' is not a list");
	}
	for (i = 0; ac != NULL && i < ac->u.seq.n; i++) {
		svc = doc_str(doc_get(ac->u.seq.items[i], "service"));
		if (svc != NULL && strcmp(svc, "allServices") == 0)
			cfg = ac->u.seq.items[i];
	}
	check_evidence(c, "auditConfigs", ac);
	if (cfg == NULL)
		return check_emit(c, r, ST_FAIL,
		    "no audit config for 'allServices': data access logs are "
		    "off by default");
	lc = doc_get(cfg, "auditLogConfigs");
	if (lc == NULL || lc->type != DOC_SEQ)
		return check_emit(c, r, ST_ERROR,
		    "the 'allServices' audit config has no 'auditLogConfigs' "
		    "list");
	for (k = 0; k < want->u.seq.n; k++) {
		if ((t = doc_str(want->u.seq.items[k])) == NULL)
			return check_emit(c, r, ST_ERROR,
			    "parameter 'audit_log_types' holds a non-string");
		have = 0;
		for (j = 0; j < lc->u.seq.n; j++) {
			e = lc->u.seq.items[j];
			if (doc_str(doc_get(e, "logType")) == NULL ||
			    strcasecmp(doc_str(doc_get(e, "logType")), t) != 0)
				continue;
			have = 1;
			ex = doc_get(e, "exemptedMembers");
			if (ex != NULL && ex->type == DOC_SEQ &&
			    ex->u.seq.n > 0)
				return check_emit(c, r, ST_FAIL,
				    "'%s' logs exempt %zu members (first "
				    "'%s')",
				    t, ex->u.seq.n,
				    doc_str(ex->u.seq.items[0]) != NULL
					? doc_str(ex->u.seq.items[0])
					: "?");
		}
		if (!have)
			return check_emit(c, r, ST_FAIL,
			    "'allServices' does not enable '%s' logs", t);
	}
	return check_emit(c, r, ST_PASS,
	    "'allServices' enables every required log type, no exemptions");
}

static int
iam_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *types = check_param(c, "asset_types");
	const struct doc_node *audit = check_param(c, "audit_log_types");
	const char *at;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	at = doc_str(doc_get(r->attrs, "assetType"));
	if (types != NULL && types->type == DOC_SEQ && types->u.seq.n > 0 &&
	    (at == NULL || !list_has(types, at)))
		return check_emit(c, r, ST_NOT_APPLICABLE,
		    "a policy of a '%s', not of a listed asset type",
		    at != NULL ? at : "?");
	if (audit != NULL && audit->type == DOC_SEQ && audit->u.seq.n > 0)
		return judge_audit(c, r, audit);
	if (check_param(c, "members") == NULL ||
	    check_param(c, "roles") == NULL)
		return check_emit(c, r, ST_ERROR,
		    "set parameters 'roles' and 'members', or "
		    "'audit_log_types'");
	return judge_bindings(c, r);
}

static const char *const iam_types[] = { "GCP::IAM::Policy", NULL };

static const struct plugin_param iam_params[] = {
	{ "roles", DOC_SEQ, NULL,
	    "roles that must not be granted (\"*\": any)" },
	{ "members", DOC_SEQ, NULL,
	    "members that must not hold them (\"user:\" is a prefix)" },
	{ "external_only", DOC_BOOL, "false",
	    "count only members outside allowed_domains" },
	{ "allowed_domains", DOC_SEQ, "[]", "the organisation's own domains" },
	{ "consumer_domains", DOC_SEQ, "[gmail.com, googlemail.com]",
	    "domains counted as external when allowed_domains is empty" },
	{ "asset_types", DOC_SEQ, NULL,
	    "asset types whose policies are judged (others not applicable)" },
	{ "audit_log_types", DOC_SEQ, NULL,
	    "log types allServices must enable (audit mode)" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin gcp_iam_policy_plugin = {
	.name = "gcp_iam_policy",
	.summary = "IAM policies: roles granted to members, binding by "
		   "binding; allServices audit log types",
	.resource_types = iam_types,
	.params = iam_params,
	.evaluate = iam_evaluate,
};
