/*
 * oci_cli.c: the "oci-cli" adapter.  A directory of OCI CLI outputs
 * (`oci ... --output json`: {"data": ...}, kebab-case keys) as written by
 * scripts/collect-oci.sh:
 *
 *	OUT/iam/compartment-list.json             tenancy-wide calls
 *	OUT/iam/policy-list/<compartment>.json    one file per compartment
 *	OUT/iam/user-api-key-list/<user>.json     one file per parent
 *	OUT/<region>/network/security-list-list/<compartment>.json
 *
 * A layout of the API-dump reader core (dump.h): one declarative table
 * (calls[]) says, per call, which file, which resource type it lists or
 * joins into, the list member, the id field and whether it is read
 * once, per compartment (DUMP_PER_KEY) or per parent resource.  A
 * recorded error ({"ServiceError": {"code", "message", "status"}}) is
 * classed by the errors[] table (denied, throttled, other) and is never
 * taken for an empty listing; an "opc-next-page" left makes the listing
 * incomplete.  What stays here: the envelope, ids, the compartments,
 * subnet flow logs and the tenancy-wide Events rule set.  A scope is
 * held in memory while it is joined (a tenancy's CLI outputs are
 * megabytes); docs/oci.md has the layout.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checks/sources/dump.h"

static const struct dump_call calls[] = {
	{ .svc = "iam",
	    .call = "compartment-list",
	    .type = "OCI::Identity::Compartment",
	    .id = "id" },
	{ .svc = "iam",
	    .call = "user-list",
	    .type = "OCI::Identity::User",
	    .id = "id" },
	{ .svc = "iam",
	    .call = "user-api-key-list",
	    .type = "OCI::Identity::User",
	    .per = DUMP_PER_PARENT,
	    .parent = "OCI::Identity::User",
	    .pkey = "id",
	    .join = 1,
	    .field = "",
	    .attr = "api-keys" },
	{ .svc = "iam",
	    .call = "user-list-groups",
	    .type = "OCI::Identity::User",
	    .per = DUMP_PER_PARENT,
	    .parent = "OCI::Identity::User",
	    .pkey = "id",
	    .join = 1,
	    .field = "",
	    .attr = "groups" },
	{ .svc = "iam",
	    .call = "group-list",
	    .type = "OCI::Identity::Group",
	    .id = "id" },
	{ .svc = "iam",
	    .call = "policy-list",
	    .type = "OCI::Identity::Policy",
	    .per = DUMP_PER_KEY,
	    .id = "id" },
	{ .svc = "iam",
	    .call = "authentication-policy-get",
	    .type = "OCI::Identity::AuthenticationPolicy" },
	{ .svc = "iam",
	    .call = "domain-list",
	    .type = "OCI::Identity::Domain",
	    .id = "id" },
	{ .svc = "identity-domains",
	    .call = "password-policies-list",
	    .type = "OCI::IdentityDomains::PasswordPolicy",
	    .per = DUMP_PER_PARENT,
	    .member = "resources",
	    .id = "ocid",
	    .parent = "OCI::Identity::Domain",
	    .pkey = "id" },
	{ .svc = "audit",
	    .call = "config-get",
	    .type = "OCI::Audit::Configuration" },
	{ .svc = "cloud-guard",
	    .call = "configuration-get",
	    .type = "OCI::CloudGuard::Configuration" },
	{ .svc = "network",
	    .call = "security-list-list",
	    .type = "OCI::Core::SecurityList",
	    .per = DUMP_PER_KEY,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "network",
	    .call = "nsg-list",
	    .type = "OCI::Core::NetworkSecurityGroup",
	    .per = DUMP_PER_KEY,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "network",
	    .call = "nsg-rules-list",
	    .type = "OCI::Core::NetworkSecurityGroup",
	    .per = DUMP_PER_PARENT,
	    .regional = 1,
	    .parent = "OCI::Core::NetworkSecurityGroup",
	    .pkey = "id",
	    .join = 1,
	    .field = "",
	    .attr = "security-rules" },
	{ .svc = "network",
	    .call = "subnet-list",
	    .type = "OCI::Core::Subnet",
	    .per = DUMP_PER_KEY,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "network",
	    .call = "vcn-list",
	    .type = "OCI::Core::Vcn",
	    .per = DUMP_PER_KEY,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "os",
	    .call = "bucket-list",
	    .type = "OCI::ObjectStorage::Bucket",
	    .per = DUMP_PER_KEY,
	    .regional = 1,
	    .id = "name" },
	{ .svc = "os",
	    .call = "bucket-get",
	    .type = "OCI::ObjectStorage::Bucket",
	    .per = DUMP_PER_PARENT,
	    .regional = 1,
	    .parent = "OCI::ObjectStorage::Bucket",
	    .pkey = "name",
	    .join = 1,
	    .rename = "id" },
	{ .svc = "kms",
	    .call = "management-vault-list",
	    .type = "OCI::KeyManagement::Vault",
	    .per = DUMP_PER_KEY,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "kms",
	    .call = "management-key-list",
	    .type = "OCI::KeyManagement::Key",
	    .per = DUMP_PER_PARENT,
	    .regional = 1,
	    .id = "id",
	    .parent = "OCI::KeyManagement::Vault",
	    .pkey = "id" },
	{ .svc = "kms",
	    .call = "management-key-version-list",
	    .type = "OCI::KeyManagement::Key",
	    .per = DUMP_PER_PARENT,
	    .regional = 1,
	    .parent = "OCI::KeyManagement::Key",
	    .pkey = "id",
	    .join = 1,
	    .field = "",
	    .attr = "key-versions" },
	{ .svc = "lb",
	    .call = "load-balancer-list",
	    .type = "OCI::LoadBalancer::LoadBalancer",
	    .per = DUMP_PER_KEY,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "db",
	    .call = "autonomous-database-list",
	    .type = "OCI::Database::AutonomousDatabase",
	    .per = DUMP_PER_KEY,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "logging",
	    .call = "log-group-list",
	    .type = "OCI::Logging::LogGroup",
	    .per = DUMP_PER_KEY,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "logging",
	    .call = "log-list",
	    .type = "OCI::Logging::Log",
	    .per = DUMP_PER_PARENT,
	    .regional = 1,
	    .id = "id",
	    .parent = "OCI::Logging::LogGroup",
	    .pkey = "id" },
	{ .svc = "events",
	    .call = "rule-list",
	    .type = "OCI::Events::Rule",
	    .per = DUMP_PER_KEY,
	    .regional = 1,
	    .id = "id" },
	{ .svc = "events",
	    .call = "rule-get",
	    .type = "OCI::Events::Rule",
	    .per = DUMP_PER_PARENT,
	    .regional = 1,
	    .parent = "OCI::Events::Rule",
	    .pkey = "id",
	    .join = 1,
	    .rename = "id" },
};

#define NCALLS (sizeof(calls) / sizeof(calls[0]))

/*
 * The error classes of OCI service error codes (the CLI prints
 * ServiceError {"code", "message", "status"}); an unknown code is
 * classed by its status (dump_classify()), and is a read error anyway.
 */
static const struct dump_error errors[] = {
	{ .code = "Forbidden", .cls = DUMP_CLS_DENIED },
	{ .code = "NotAuthenticated", .cls = DUMP_CLS_DENIED },
	{ .code = "NotAuthorized", .cls = DUMP_CLS_DENIED },
	{ .code = "NotAuthorizedOrNotFound", .cls = DUMP_CLS_DENIED },
	{ .code = "NotAuthorizedOrResourceAlreadyExists",
	    .cls = DUMP_CLS_DENIED },
	{ .code = "TooManyRequests", .cls = DUMP_CLS_THROTTLED },
};

/* The adapter's own state beside the core's (struct dump.priv). */
struct ocli {
	/*
	 * Every region's Events rules, for the tenancy-wide rule set
	 * (identity events are delivered in the home region only, so the
	 * rules of all regions together are judged): the rules, whether any
	 * region listed them, the first incomplete listing.
	 */
	struct doc_node *rules;
	int rules_listed;
	const char *rules_why;
};

#define OCLI(d) ((struct ocli *)(d)->priv)

/*
 * The envelope hook: {"data": ...} in kebab-case, "opc-next-page" left
 * (a page of a listing), or {"ServiceError": {"code", "message",
 * "status"}}.  Anything else is not an OCI CLI output (an input error).
 */
static int
oci_unwrap(struct dump *d, const struct dump_call *c, struct doc_node *doc,
    struct dump_resp *r)
{
	const struct doc_node *se, *code, *msg, *st;
	const char *path = doc->mark.file;
	struct doc_node *data;

	se = doc_get(doc, "ServiceError");
	if (se != NULL) {
		code = doc_get(se, "code");
		msg = doc_get(se, "message");
		st = doc_get(se, "status");
		if (st != NULL && st->type == DOC_INT)
			r->status = st->u.i;
		r->kind = DUMP_ERROR;
		r->code = doc_str(code);
		r->msg = arena_printf(d->a, "'%s' %s: %s: %s", path,
		    dump_error_words(d->lay, c, r->code, r->status),
		    r->code != NULL ? r->code : "(no code)",
		    doc_str(msg) != NULL ? doc_str(msg) : "(no message)");
		return r->msg != NULL ? 0 : dump_oom(d);
	}
	if (doc->type != DOC_MAP || (data = doc_get(doc, "data")) == NULL)
		return diag_err(d->d, &doc->mark,
		    "'%s' is not an OCI CLI output: expected {\"data\": ...} "
		    "or {\"ServiceError\": ...}",
		    path);
	if ((data = oci_kebab(d->a, data)) == NULL)
		return diag_err(d->d, &doc->mark,
		    "cannot read '%s': a key spelt two ways in one map, "
		    "nesting too deep, or out of memory",
		    path);
	r->kind = DUMP_OK;
	r->data = data;
	if (doc_get(doc, "opc-next-page") != NULL)
		r->more = "opc-next-page";
	return 0;
}

/* The words of a page left ("opc-next-page" set). */
static const char *
oci_more_words(struct dump *d, const struct dump_call *c, const char *file,
    const char *key)
{
	(void)c;
	return arena_printf(d->a,
	    "'%s' is one page: '%s' is set, so the listing is incomplete "
	    "(collect with --all)",
	    file, key);
}

/*
 * The id hook: the element's id field (a domain resource's "ocid", or
 * its "id"); the tenancy for a tenancy singleton; a bucket is named
 * "<namespace>/<name>" (until `os bucket get` gives its OCID).
 */
static const char *
oci_id(struct dump *d, const struct dump_scope *s, const struct dump_call *c,
    const struct doc_node *e)
{
	const char *id, *ns;

	(void)s;
	if (c->id == NULL)
		return d->account;
	id = doc_str(doc_get(e, c->id));
	if (id == NULL && strcmp(c->id, "ocid") == 0)
		id = doc_str(doc_get(e, "id"));
	if (id != NULL && c->type != NULL &&
	    strcmp(c->type, "OCI::ObjectStorage::Bucket") == 0 &&
	    (ns = doc_str(doc_get(e, "namespace"))) != NULL)
		id = arena_printf(d->a, "%s/%s", ns, id);
	return id;
}

static const struct dump_layout oci_layout = {
	.provider = "oci",
	.tool = "oci",
	.what = "OCI CLI",
	.calls = calls,
	.ncalls = NCALLS,
	.errors = errors,
	.nerrors = sizeof(errors) / sizeof(errors[0]),
	.strict_files = 1,
	.unwrap = oci_unwrap,
	.id = oci_id,
	.more_words = oci_more_words,
};

/*
 * Subnets: `flow-logs` = the flow logs (logs of service flowlogs whose
 * source resource is the subnet).  Only when every log of the scope was
 * listed: else the attribute stays absent (not collected) or is
 * unreadable (an incomplete listing).
 */
static int
join_flow_logs(struct dump *c)
{
	const struct dump_listing *ll;
	struct doc_node *seq;
	const struct doc_node *src;
	const char *svc, *res;
	size_t i, j;

	ll = dump_listing_of(c, "OCI::Logging::Log");
	if (ll == NULL || dump_listing_of(c, "OCI::Logging::LogGroup") == NULL)
		return 0;
	if (dump_listing_of(c, "OCI::Logging::LogGroup")->why != NULL &&
	    ll->why == NULL)
		ll = dump_listing_of(c, "OCI::Logging::LogGroup");
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].type, "OCI::Core::Subnet") != 0)
			continue;
		if (ll->why != NULL) {
			if (dump_res_unreadable(
				c, &c->v[i], "flow-logs", ll->why) != 0)
				return -1;
			continue;
		}
		if ((seq = src_seq(c->a, &c->v[i].mark)) == NULL)
			return dump_oom(c);
		for (j = 0; j < c->n; j++) {
			if (strcmp(c->v[j].type, "OCI::Logging::Log") != 0)
				continue;
			src = doc_get(
			    doc_get(c->v[j].attrs, "configuration"), "source");
			svc = doc_str(doc_get(src, "service"));
			res = doc_str(doc_get(src, "resource"));
			if (svc != NULL && res != NULL &&
			    strcmp(svc, "flowlogs") == 0 &&
			    strcmp(res, c->v[i].id) == 0 &&
			    doc_seq_push(c->a, seq, c->v[j].attrs) != 0)
				return dump_oom(c);
		}
		if (src_set(c->a, c->v[i].attrs, "flow-logs", seq) != 0)
			return dump_oom(c);
	}
	return 0;
}

/*
 * Add this scope's Events rules to the tenancy-wide rule set.  A rule
 * whose `get` failed keeps its read error in the set (the plugin cannot
 * judge it).
 */
static int
gather_rules(struct dump *c)
{
	const struct dump_listing *l = dump_listing_of(c, "OCI::Events::Rule");
	struct doc_node *r, *w;
	size_t i;

	if (l == NULL)
		return 0;
	OCLI(c)->rules_listed = 1;
	if (l->why != NULL && OCLI(c)->rules_why == NULL)
		OCLI(c)->rules_why = l->why;
	if (OCLI(c)->rules == NULL &&
	    (OCLI(c)->rules = src_seq(c->a, NULL)) == NULL)
		return dump_oom(c);
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].type, "OCI::Events::Rule") != 0)
			continue;
		r = c->v[i].attrs;
		if (c->v[i].read_error != NULL &&
		    ((r = src_map_clone(c->a, r)) == NULL ||
			(w = src_str(c->a, c->v[i].read_error, &r->mark)) ==
			    NULL ||
			src_set(c->a, r, SRC_READ_ERRORS, w) != 0))
			return dump_oom(c);
		if (doc_seq_push(c->a, OCLI(c)->rules, r) != 0)
			return dump_oom(c);
	}
	return 0;
}

/* The tenancy-wide OCI::Events::RuleSet: {"rules": [...]}, and its listing. */
static int
emit_rule_set(struct dump *c)
{
	struct resource r;
	struct doc_node *attrs;
	struct mark m = { c->root, 0, 0 };

	if (!OCLI(c)->rules_listed)
		return 0;
	if ((attrs = src_map(c->a, &m)) == NULL ||
	    src_set(c->a, attrs, "rules", OCLI(c)->rules) != 0)
		return dump_oom(c);
	memset(&r, 0, sizeof(r));
	r.type = "OCI::Events::RuleSet";
	r.id = c->account;
	r.account = c->account;
	r.source = c->root;
	r.mark = m;
	r.attrs = attrs;
	r.read_error = OCLI(c)->rules_why;
	r.collected = c->collected;
	OCI_SET_PROVIDER(r);
	c->resources++;
	if (c->fn(c->ctx, &r, c->a) != 0)
		return -1;
	r.id = NULL;
	r.attrs = NULL;
	r.listing = 1;
	return c->fn(c->ctx, &r, c->a);
}

/* Every call of one scope: the root (region NULL) or a region folder. */
static int
read_scope(struct dump *c, const struct dump_scope *s, int root)
{
	if (dump_read_scope(c, s, root) != 0 || join_flow_logs(c) != 0 ||
	    gather_rules(c) != 0)
		return -1;
	return dump_emit_scope(c, s);
}

/*
 * iam/compartment-list.json: the tenancy (the root compartment, listed
 * with --include-root, or the parent of a top-level compartment) and
 * every active compartment, each of which per-compartment calls must
 * have a file for.
 */
static int
read_compartments(struct dump *c)
{
	const struct dump_scope root = { c->root, NULL };
	const char *path, *id, *st, *parent, *why;
	const char **comps;
	struct dump_resp r;
	const struct doc_node *e;
	size_t i, n;

	path = arena_printf(c->a, "%s/iam/compartment-list.json", c->root);
	if (path == NULL)
		return dump_oom(c);
	if (dump_get(c, &root, &calls[0], NULL, 0, &r) != 0)
		return -1;
	if (r.kind == DUMP_OK && r.data->type != DOC_SEQ)
		return diag_err(
		    c->d, &r.mark, "'%s': 'data' must be a list", path);
	why = r.kind == DUMP_MISSING
	    ? arena_printf(c->a, "'%s' is missing", path)
	    : r.kind != DUMP_OK ? r.msg
	    : r.more != NULL    ? oci_more_words(c, &calls[0], path, r.more)
				: NULL;
	if (r.kind != DUMP_OK || why != NULL)
		return diag_err(c->d, NULL,
		    "%s: the compartment list is needed to tell whether the "
		    "per-compartment listings are complete",
		    why);
	n = r.data->u.seq.n;
	if ((comps = arena_alloc(c->a, (n + 1) * sizeof(*comps))) == NULL)
		return dump_oom(c);
	c->keys = comps;
	for (i = 0; i < n; i++) {
		e = r.data->u.seq.items[i];
		id = doc_str(doc_get(e, "id"));
		parent = doc_str(doc_get(e, "compartment-id"));
		if (oci_is_tenancy(id))
			c->account = id;
		else if (c->account == NULL && oci_is_tenancy(parent))
			c->account = parent;
	}
	if (c->account == NULL)
		return diag_err(c->d, &r.mark,
		    "'%s' names no tenancy (list with --include-root)", path);
	comps[c->nkeys++] = c->account;
	for (i = 0; i < n; i++) {
		e = r.data->u.seq.items[i];
		id = doc_str(doc_get(e, "id"));
		st = doc_str(doc_get(e, "lifecycle-state"));
		if (id == NULL || strcmp(id, c->account) == 0)
			continue;
		if (st != NULL && strcmp(st, "ACTIVE") != 0)
			continue;
		comps[c->nkeys++] = id;
	}
	return 0;
}

static int
ocli_detect(const char *path, int is_dir, const char *head, size_t len)
{
	char p[PATH_MAX];
	struct stat st;

	(void)head;
	(void)len;
	if (!is_dir)
		return 0;
	if (snprintf(p, sizeof(p), "%s/iam/compartment-list.json", path) <
		(int)sizeof(p) &&
	    stat(p, &st) == 0)
		return 60;
	return 0;
}

static int
ocli_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	struct dump c;
	struct ocli o;
	struct dump_scope s;
	const char **regs = NULL;
	size_t nregs = 0, i;
	int rc = -1;

	if (dump_init(&c, &oci_layout, d, path, lim, fn, ctx) != 0)
		return -1;
	memset(&o, 0, sizeof(o));
	c.priv = &o;
	if (dump_read_collection(&c) != 0 || read_compartments(&c) != 0 ||
	    dump_regions(&c, &regs, &nregs) != 0)
		goto out;
	s.dir = path;
	s.region = NULL;
	if (read_scope(&c, &s, 1) != 0)
		goto out;
	for (i = 0; i < nregs; i++) {
		s.region = regs[i];
		if ((s.dir = arena_printf(c.a, "%s/%s", path, regs[i])) ==
		    NULL) {
			dump_oom(&c);
			goto out;
		}
		if (read_scope(&c, &s, 0) != 0)
			goto out;
	}
	if (emit_rule_set(&c) != 0)
		goto out;
	rc = 0;
out:
	if (nresources != NULL)
		*nresources = c.resources;
	dump_fini(&c);
	return rc;
}

const struct adapter adapter_oci_cli = {
	.name = "oci-cli",
	.summary = "a directory of OCI CLI outputs (scripts/collect-oci.sh)",
	.detect = ocli_detect,
	.read = ocli_read,
	.max_dir_score = 60,
};
