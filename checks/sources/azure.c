/*
 * azure.c: the "azure" adapter.  Azure Resource Manager objects from
 *
 *  - Azure Resource Graph output (`az graph query -q ... --first 1000`:
 *    {"count", "data": [...], "skip_token", "total_records"}, or a plain
 *    array of objects),
 *  - ARM REST list responses (`az rest`: {"value": [...], "nextLink"}),
 *    a single ARM object (`az rest` GET of one resource),
 *  - a directory of such files, as scripts/collect-azure.sh writes it:
 *    `<group>/<command>.json`, and per parent
 *    `<group>/<command>/<parent-name>.json` (files[] below), plus
 *    Microsoft Graph listings for Entra ID.
 *
 * Every object is recognised by its ARM id ("/subscriptions/..." or
 * "/providers/...") and its provider type, compared case-insensitively
 * (Resource Graph lower-cases it; recordings may hold null, then the id
 * says it).  The resource keeps the ARM REST shape (docs/resources.md):
 * az CLI's flattened objects are folded back under `properties`.
 *
 * Evidence honesty: a file of the collector's layout is the complete
 * listing of its type (a listing marker), unless a paging token is left
 * in it or it records an ARM error in place of the listing (an error
 * marker); any other file lists completely only the types it holds.
 * Large files are streamed element by element (lib/ builder), so a
 * Resource Graph dump of any size scans in flat memory.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/sources/dump.h"

/* ARM provider types rampart's checks read, sorted (lower case). */
static const struct az_type {
	const char *arm; /* lower case */
	const char *type;
} az_types[] = {
	{ "microsoft.authorization/roleassignments",
	    "Azure::Authorization::RoleAssignment" },
	{ "microsoft.cdn/profiles", "Azure::Cdn::Profile" },
	{ "microsoft.cdn/profiles/customdomains", "Azure::Cdn::CustomDomain" },
	{ "microsoft.dbformysql/flexibleservers",
	    "Azure::DBforMySQL::FlexibleServer" },
	{ "microsoft.dbformysql/flexibleservers/configurations",
	    "Azure::DBforMySQL::FlexibleServerConfiguration" },
	{ "microsoft.dbforpostgresql/flexibleservers",
	    "Azure::DBforPostgreSQL::FlexibleServer" },
	{ "microsoft.dbforpostgresql/servers",
	    "Azure::DBforPostgreSQL::Server" },
	{ "microsoft.insights/diagnosticsettings",
	    "Azure::Insights::SubscriptionDiagnosticSetting" },
	{ "microsoft.insights/logprofiles", "Azure::Insights::LogProfile" },
	{ "microsoft.keyvault/vaults", "Azure::KeyVault::Vault" },
	{ "microsoft.keyvault/vaults/keys", "Azure::KeyVault::Key" },
	{ "microsoft.network/applicationgateways",
	    "Azure::Network::ApplicationGateway" },
	{ "microsoft.network/networksecuritygroups",
	    "Azure::Network::NetworkSecurityGroup" },
	{ "microsoft.network/networkwatchers",
	    "Azure::Network::NetworkWatcher" },
	{ "microsoft.network/networkwatchers/flowlogs",
	    "Azure::Network::FlowLog" },
	{ "microsoft.security/pricings", "Azure::Security::Pricing" },
	{ "microsoft.sql/servers", "Azure::Sql::Server" },
	{ "microsoft.sql/servers/firewallrules", "Azure::Sql::FirewallRule" },
	{ "microsoft.storage/storageaccounts",
	    "Azure::Storage::StorageAccount" },
	{ "microsoft.storage/storageaccounts/blobservices",
	    "Azure::Storage::BlobService" },
	{ "microsoft.storage/storageaccounts/blobservices/containers",
	    "Azure::Storage::BlobContainer" },
	{ "microsoft.web/sites", "Azure::Web::Site" },
	{ "microsoft.web/sites/config", "Azure::Web::SiteConfig" },
};

#define NTYPES (sizeof(az_types) / sizeof(az_types[0]))

/*
 * The collector's layout (scripts/collect-azure.sh), as a table of the
 * API-dump reader core (dump.h): one row per call, whose file
 * `<svc>/<call>.json` holds the ARM list response of the call (`value`,
 * paged by `nextLink`), a Resource Graph result (`data`, `skip_token`),
 * a plain array, or a Microsoft Graph listing (`value`,
 * `@odata.nextLink`); either way its objects are the complete listing of
 * `type`.  DUMP_PER_PARENT: the folder `<svc>/<call>/` holds one such
 * file per resource of type `parent`, named after its `name`
 * (`keyvault/key-list/<vault>.json`).  Objects are typed by their ARM
 * id, not by the row, except Entra ID's (Microsoft Graph objects, typed
 * by the row and named by `id`).  Sorted by file name.
 */
/*
 * ONCE: a call whose file lists type; PER: a folder of such listings,
 * one per resource of type parent, named after its name.
 */
#define ONCE(svc_, call_, type_) \
	{ \
		.svc = svc_, .call = call_, .type = type_ \
	}
#define PER(svc_, call_, type_, parent_) \
	{ \
		.svc = svc_, .call = call_, .type = type_, \
		.per = DUMP_PER_PARENT, .parent = parent_, .pkey = "name" \
	}
static const struct dump_call az_calls[] = {
	ONCE("ad", "user-registration-details",
	    "Azure::Entra::UserRegistrationDetails"),
	PER("cdn", "custom-domain-list", "Azure::Cdn::CustomDomain",
	    "Azure::Cdn::Profile"),
	ONCE("cdn", "profile-list", "Azure::Cdn::Profile"),
	PER("keyvault", "key-list", "Azure::KeyVault::Key",
	    "Azure::KeyVault::Vault"),
	ONCE("keyvault", "list", "Azure::KeyVault::Vault"),
	ONCE("monitor", "diagnostic-settings-subscription-list",
	    "Azure::Insights::SubscriptionDiagnosticSetting"),
	ONCE("monitor", "log-profile-list", "Azure::Insights::LogProfile"),
	PER("mysql", "configuration-list",
	    "Azure::DBforMySQL::FlexibleServerConfiguration",
	    "Azure::DBforMySQL::FlexibleServer"),
	ONCE("mysql", "flexible-server-list",
	    "Azure::DBforMySQL::FlexibleServer"),
	ONCE("network", "application-gateway-list",
	    "Azure::Network::ApplicationGateway"),
	PER("network", "flow-log-list", "Azure::Network::FlowLog",
	    "Azure::Network::NetworkWatcher"),
	ONCE("network", "nsg-list", "Azure::Network::NetworkSecurityGroup"),
	ONCE("network", "watcher-list", "Azure::Network::NetworkWatcher"),
	ONCE("postgres", "flexible-server-list",
	    "Azure::DBforPostgreSQL::FlexibleServer"),
	ONCE("postgres", "server-list", "Azure::DBforPostgreSQL::Server"),
	ONCE("role", "assignment-list", "Azure::Authorization::RoleAssignment"),
	ONCE("security", "pricing-list", "Azure::Security::Pricing"),
	PER("sql", "firewall-rule-list", "Azure::Sql::FirewallRule",
	    "Azure::Sql::Server"),
	ONCE("sql", "server-list", "Azure::Sql::Server"),
	ONCE("storage", "account-list", "Azure::Storage::StorageAccount"),
	PER("storage", "blob-service-list", "Azure::Storage::BlobService",
	    "Azure::Storage::StorageAccount"),
	PER("storage", "container-list", "Azure::Storage::BlobContainer",
	    "Azure::Storage::StorageAccount"),
	PER("webapp", "config", "Azure::Web::SiteConfig", "Azure::Web::Site"),
	ONCE("webapp", "list", "Azure::Web::Site"),
#undef ONCE
#undef PER
};

#define NFILES (sizeof(az_calls) / sizeof(az_calls[0]))
/* The row of c in az_calls[]. */
#define ROW(c) ((size_t)((c)-az_calls))
/* The types of Microsoft Graph objects (Entra ID). */
#define GRAPH_TYPES "Azure::Entra::"

/* Members that say more pages follow (ARM, Resource Graph, MS Graph). */
static const char *const az_page_tokens[] = {
	"nextLink",
	"@odata.nextLink",
	"skip_token",
	"$skipToken",
	"skipToken",
	NULL,
};

/* Resource Graph's flag, true or "true" when the result is cut. */
static const char *const az_page_flags[] = { "resultTruncated", NULL };

#define NPAGE_TOKENS (sizeof(az_page_tokens) / sizeof(az_page_tokens[0]) - 1)
#define NPAGE_KEYS \
	(NPAGE_TOKENS + sizeof(az_page_flags) / sizeof(az_page_flags[0]) - 1)

/*
 * ARM and Microsoft Graph error codes, as the collector records them
 * ({"error": {"code", "message"}}), and how messages word them.  Every
 * error makes the listing an error marker; the class only words the
 * message.  Codes not listed are "failed".
 */
static const struct dump_error az_errors[] = {
	{ "AuthenticationFailed", DUMP_CLS_DENIED, NULL },
	{ "AuthorizationFailed", DUMP_CLS_DENIED, NULL },
	{ "Authorization_RequestDenied", DUMP_CLS_DENIED, NULL },
	{ "Forbidden", DUMP_CLS_DENIED, NULL },
	{ "InvalidAuthenticationToken", DUMP_CLS_DENIED, NULL },
	{ "LinkedAuthorizationFailed", DUMP_CLS_DENIED, NULL },
	{ "MissingSubscriptionRegistration", DUMP_CLS_OTHER, "not registered" },
	{ "ResourceRequestsThrottled", DUMP_CLS_THROTTLED, NULL },
	{ "SubscriptionNotRegistered", DUMP_CLS_OTHER, "not registered" },
	{ "SubscriptionRequestsThrottled", DUMP_CLS_THROTTLED, NULL },
	{ "TooManyRequests", DUMP_CLS_THROTTLED, NULL },
};

static const char *az_more_words(struct dump *d, const struct dump_call *c,
    const char *file, const char *key);

static const struct dump_layout az_layout = {
	.provider = "azure",
	.tool = "az",
	.what = "az",
	.calls = az_calls,
	.ncalls = NFILES,
	.errors = az_errors,
	.nerrors = sizeof(az_errors) / sizeof(az_errors[0]),
	.page_tokens = az_page_tokens,
	.page_flags = az_page_flags,
	.marker_attrs = 1,
	.flag_strings = 1,
	.more_words = az_more_words,
};

/* Keys of an ARM object outside `properties` (az CLI keeps them too). */
static const char *const az_envelope[] = {
	"etag",
	"extendedLocation",
	"id",
	"identity",
	"kind",
	"location",
	"managedBy",
	"name",
	"plan",
	"properties",
	"resourceGroup",
	"sku",
	"subscriptionId",
	"systemData",
	"tags",
	"tenantId",
	"type",
	"zones",
};

/* az CLI (Python SDK) names that differ from ARM's, folded back. */
static const struct az_rename {
	const char *sdk, *arm;
} az_renames[] = {
	{ "enableHttpsTrafficOnly", "supportsHttpsTrafficOnly" },
};

/* A Resource Graph page holds at most this many rows (`--first`). */
#define GRAPH_PAGE_MAX 1000
/* Bytes of a large file's end searched for a paging token. */
#define TAIL_BYTES 65536
/* Distinct types one file may hold that we keep track of. */
#define MAX_FILE_TYPES (NTYPES + NFILES)

/* A listing's state, per canonical type, emitted at the end. */
struct az_mark {
	const char *type;
	const char *err; /* NULL: complete */
	struct mark mark;
};

struct az {
	struct dump dp; /* the core's state: dp.keep lives for the read */
	size_t emitted, skipped; /* resources emitted, objects skipped */
	/* The file being read. */
	const struct dump_call *row;
	const char *file;
	size_t nobj;
	const char *ftypes[MAX_FILE_TYPES];
	size_t nftypes;
	/* Listing states, and the parents listed / per-parent files. */
	struct az_mark *marks;
	size_t nmarks, capmarks;
	struct dump_strv parents[NFILES]; /* by row of the parent listing */
	struct dump_strv children[NFILES]; /* by per-parent row */
	int parent_read[NFILES];
	int child_dir[NFILES];
	const char *child_err[NFILES];
};

/* ---------------------------------------------------------- lookups */

static int
type_cmp(const void *key, const void *elem)
{
	const struct az_type *t = elem;

	return strcmp(key, t->arm);
}

/* The canonical type of an ARM type (any case), or NULL. */
static const char *
canon_type(const char *arm, size_t len)
{
	char buf[128];
	const struct az_type *t;
	size_t i;

	if (len == 0 || len >= sizeof(buf))
		return NULL;
	for (i = 0; i < len; i++)
		buf[i] = (char)tolower((unsigned char)arm[i]);
	buf[len] = '\0';
	t = bsearch(buf, az_types, NTYPES, sizeof(az_types[0]), type_cmp);
	return t != NULL ? t->type : NULL;
}

static int
is_envelope(const char *k)
{
	size_t i;

	for (i = 0; i < sizeof(az_envelope) / sizeof(az_envelope[0]); i++)
		if (strcmp(k, az_envelope[i]) == 0)
			return 1;
	return 0;
}

/*
 * Whether rel ("network/nsg-list.json") starts with row c's
 * "<svc>/<call>" in any case; *n is then that prefix's length.
 */
static int
rel_is(const char *rel, const struct dump_call *c, size_t *n)
{
	size_t ls = strlen(c->svc), lc = strlen(c->call);

	if (strncasecmp(rel, c->svc, ls) != 0 || rel[ls] != '/' ||
	    strncasecmp(rel + ls + 1, c->call, lc) != 0)
		return 0;
	*n = ls + 1 + lc;
	return 1;
}

/* The row of a path relative to the root ("network/nsg-list.json"). */
static const struct dump_call *
file_row(const char *rel, const char **parent_name)
{
	const struct dump_call *c;
	size_t n;

	*parent_name = NULL;
	for (c = az_calls; c < az_calls + NFILES; c++) {
		if (!rel_is(rel, c, &n))
			continue;
		if (c->per == DUMP_ONCE) {
			if (strcasecmp(rel + n, ".json") == 0)
				return c;
			continue;
		}
		if (rel[n] == '/' && strchr(rel + n + 1, '/') == NULL) {
			*parent_name = rel + n + 1;
			return c;
		}
	}
	return NULL;
}

/* ------------------------------------------------------ bookkeeping */

/* Add a copy of v (len bytes) to s.  0 or -1. */
static int
names_add(struct az *z, struct dump_strv *s, const char *v, size_t len)
{
	const char *copy = arena_strndup(z->dp.keep, v, len);

	if (copy == NULL || dump_strv_push(z->dp.keep, s, copy) != 0)
		return dump_oom(&z->dp);
	return 0;
}

/* Whether s holds v in any case (resource names are not case-kept). */
static int
names_has(const struct dump_strv *s, const char *v)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcasecmp(s->v[i], v) == 0)
			return 1;
	return 0;
}

/*
 * Record the listing state of type: complete (err NULL) or not.  An
 * error outranks completeness: once incomplete, a type stays so.
 */
static int
mark_type(struct az *z, const char *type, const char *err, const struct mark *m)
{
	struct az_mark *nm;
	size_t i;

	for (i = 0; i < z->nmarks; i++) {
		if (strcmp(z->marks[i].type, type) != 0)
			continue;
		if (err != NULL && z->marks[i].err == NULL) {
			z->marks[i].err = err;
			z->marks[i].mark = *m;
		}
		return 0;
	}
	if (z->nmarks == z->capmarks) {
		z->capmarks = z->capmarks ? z->capmarks * 2 : 16;
		nm = arena_alloc(z->dp.keep, z->capmarks * sizeof(*nm));
		if (nm == NULL)
			return diag_sys(z->dp.d, NULL, "out of memory");
		if (z->nmarks > 0)
			memcpy(nm, z->marks, z->nmarks * sizeof(*nm));
		z->marks = nm;
	}
	z->marks[z->nmarks].type = type;
	z->marks[z->nmarks].err = err;
	z->marks[z->nmarks].mark = *m;
	z->nmarks++;
	return 0;
}

static void
file_type_seen(struct az *z, const char *type)
{
	size_t i;

	for (i = 0; i < z->nftypes; i++)
		if (z->ftypes[i] == type)
			return;
	if (z->nftypes < MAX_FILE_TYPES)
		z->ftypes[z->nftypes++] = type;
}

/* ------------------------------------------------------- resources */

/* The subscription id of an ARM id, into buf; NULL when it has none. */
static const char *
id_subscription(const char *id, char *buf, size_t size)
{
	const char *p, *e;

	if (strncasecmp(id, "/subscriptions/", 15) != 0)
		return NULL;
	p = id + 15;
	e = strchr(p, '/');
	if (e == NULL)
		e = p + strlen(p);
	if (e == p || (size_t)(e - p) >= size)
		return NULL;
	memcpy(buf, p, (size_t)(e - p));
	buf[e - p] = '\0';
	return buf;
}

/* The resource group of an ARM id, into buf, or NULL. */
static const char *
id_group(const char *id, char *buf, size_t size)
{
	const char *p = id, *e;

	while ((p = strchr(p, '/')) != NULL) {
		p++;
		if (strncasecmp(p, "resourceGroups/", 15) == 0)
			break;
	}
	if (p == NULL)
		return NULL;
	p += 15;
	e = strchr(p, '/');
	if (e == NULL)
		e = p + strlen(p);
	if (e == p || (size_t)(e - p) >= size)
		return NULL;
	memcpy(buf, p, (size_t)(e - p));
	buf[e - p] = '\0';
	return buf;
}

/*
 * The provider type named by an ARM id: after its last "/providers/",
 * the namespace and every other segment ("Microsoft.Web/sites/x/config/
 * web" -> "Microsoft.Web/sites/config"), into buf.  NULL when the id
 * has no provider part or buf is too small.
 */
static const char *
id_type(const char *id, char *buf, size_t size)
{
	const char *p = NULL, *q, *seg, *e;
	size_t n = 0, k, i = 0;

	/* After the last "/providers/" (extension resources nest them). */
	for (q = id; (q = strchr(q, '/')) != NULL; q++)
		if (strncasecmp(q, "/providers/", 11) == 0)
			p = q + 11;
	if (p == NULL)
		return NULL;
	for (seg = p; *seg != '\0'; seg = *e != '\0' ? e + 1 : e, i++) {
		e = strchr(seg, '/');
		if (e == NULL)
			e = seg + strlen(seg);
		k = (size_t)(e - seg);
		if (i == 0 || i % 2 == 1) {
			if (k == 0 || n + k + 2 > size)
				return NULL;
			if (n > 0)
				buf[n++] = '/';
			memcpy(buf + n, seg, k);
			n += k;
		}
	}
	buf[n] = '\0';
	return i >= 2 ? buf : NULL;
}

/*
 * A diagnostic setting counts only at subscription scope
 * (/subscriptions/S/providers/microsoft.insights/diagnosticSettings/N):
 * the activity log's export.  A resource's own settings are skipped.
 */
static int
subscription_scope(const char *id)
{
	const char *p;

	if (strncasecmp(id, "/subscriptions/", 15) != 0)
		return 0;
	p = strchr(id + 15, '/');
	return p != NULL && strncasecmp(p, "/providers/", 11) == 0 &&
	    strchr(p + 11, '/') != NULL &&
	    strncasecmp(strchr(p + 11, '/'), "/diagnosticSettings/", 20) == 0;
}

/* The server parameters (configurations) a check reads; others skipped. */
static int
config_read(const char *name)
{
	static const char *const names[] = { "require_secure_transport",
		"tls_version" };
	size_t i;

	for (i = 0; name != NULL && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* Fold az CLI's flattened object (no `properties`) back into ARM's. */
static struct doc_node *
fold(struct arena *a, const struct doc_node *o)
{
	struct doc_node *out, *props;
	const char *k;
	size_t i, j;

	if ((out = src_map(a, &o->mark)) == NULL ||
	    (props = src_map(a, &o->mark)) == NULL)
		return NULL;
	for (i = 0; i < o->u.map.n; i++) {
		k = o->u.map.pairs[i].key->str;
		if (is_envelope(k)) {
			if (src_set(a, out, k, o->u.map.pairs[i].val) != 0)
				return NULL;
			continue;
		}
		for (j = 0; j < sizeof(az_renames) / sizeof(az_renames[0]); j++)
			if (strcmp(k, az_renames[j].sdk) == 0)
				k = az_renames[j].arm;
		if (src_set(a, props, k, o->u.map.pairs[i].val) != 0)
			return NULL;
	}
	if (src_set(a, out, "properties", props) != 0)
		return NULL;
	return out;
}

/* Fold each flattened NSG rule of list key under props. */
static int
fold_rules(struct arena *a, struct doc_node *props, const char *key)
{
	struct doc_node *l = doc_get(props, key), *nl, *f;
	size_t i;

	if (l == NULL || l->type != DOC_SEQ)
		return 0;
	if ((nl = src_seq(a, &l->mark)) == NULL)
		return -1;
	for (i = 0; i < l->u.seq.n; i++) {
		f = l->u.seq.items[i];
		if (f->type == DOC_MAP && doc_get(f, "properties") == NULL &&
		    (f = fold(a, f)) == NULL)
			return -1;
		if (doc_seq_push(a, nl, f) != 0)
			return -1;
	}
	return src_set(a, props, key, nl);
}

/* The ARM object's attributes, in ARM's shape, with placement added. */
static struct doc_node *
arm_attrs(struct arena *a, const struct doc_node *o, const char *sub,
    const char *group, int nsg)
{
	struct doc_node *attrs, *props, *s;

	if (doc_get(o, "properties") == NULL)
		attrs = fold(a, o);
	else
		attrs = src_map_clone(a, o);
	if (attrs == NULL)
		return NULL;
	props = doc_get(attrs, "properties");
	if (nsg && props != NULL && props->type == DOC_MAP &&
	    doc_get(o, "properties") == NULL &&
	    (fold_rules(a, props, "securityRules") != 0 ||
		fold_rules(a, props, "defaultSecurityRules") != 0))
		return NULL;
	if (sub != NULL && doc_get(attrs, "subscriptionId") == NULL &&
	    ((s = src_str(a, sub, &o->mark)) == NULL ||
		src_set(a, attrs, "subscriptionId", s) != 0))
		return NULL;
	if (group != NULL && doc_get(attrs, "resourceGroup") == NULL &&
	    ((s = src_str(a, group, &o->mark)) == NULL ||
		src_set(a, attrs, "resourceGroup", s) != 0))
		return NULL;
	return attrs;
}

static int
emit(struct az *z, struct resource *r, struct arena *a)
{
	r->source = r->mark.file != NULL ? r->mark.file : z->file;
	r->provider = "azure";
	r->collected = z->dp.collected;
	z->emitted++;
	return z->dp.fn(z->dp.ctx, r, a);
}

/* A Microsoft Graph object of a graph row. */
static int
graph_object(struct az *z, const struct doc_node *o, struct arena *a)
{
	struct resource r;
	const char *id = doc_str(doc_get(o, "id"));

	if (id == NULL || *id == '\0')
		return diag_err(z->dp.d, &o->mark,
		    "a Microsoft Graph object without an 'id' in '%s'",
		    z->file);
	memset(&r, 0, sizeof(r));
	r.type = z->row->type;
	r.id = id;
	r.mark = o->mark;
	if ((r.attrs = src_map_clone(a, o)) == NULL)
		return diag_sys(z->dp.d, NULL, "out of memory");
	file_type_seen(z, r.type);
	return emit(z, &r, a);
}

/* One element of a listing: an ARM object, emitted when a check reads it. */
static int
arm_object(struct az *z, const struct doc_node *o, struct arena *a)
{
	struct resource r;
	char sub[64], group[128], tbuf[160], loc[64];
	const char *id, *arm, *type, *s;
	const struct doc_node *t, *l;
	size_t i;

	z->nobj++;
	if (o->type != DOC_MAP)
		return diag_err(z->dp.d, &o->mark,
		    "expected an ARM object in '%s', found %s", z->file,
		    doc_type_name(o->type));
	if (z->row != NULL &&
	    strncmp(z->row->type, GRAPH_TYPES, strlen(GRAPH_TYPES)) == 0)
		return graph_object(z, o, a);
	id = doc_str(doc_get(o, "id"));
	/*
	 * The subscription diagnostic settings API prints its ids without
	 * the leading slash ("subscriptions/S/providers/..."): add it, so
	 * every resource is named alike.
	 */
	if (id != NULL && strncasecmp(id, "subscriptions/", 14) == 0 &&
	    (id = arena_printf(a, "/%s", id)) == NULL)
		return diag_sys(z->dp.d, NULL, "out of memory");
	if (id == NULL || id[0] != '/')
		return diag_err(z->dp.d, &o->mark,
		    "an object without an ARM 'id' (/subscriptions/...) in "
		    "'%s'",
		    z->file);
	t = doc_get(o, "type");
	arm = t != NULL && t->type == DOC_STRING && t->len > 0
	    ? t->str
	    : id_type(id, tbuf, sizeof(tbuf));
	/*
	 * No type and no provider segment: the subscription itself
	 * (az rest GET /subscriptions/S) or a tenant object, which no check
	 * reads.
	 */
	type = arm != NULL ? canon_type(arm, strlen(arm)) : NULL;
	if (type != NULL &&
	    strcmp(type, "Azure::Insights::SubscriptionDiagnosticSetting") ==
		0 &&
	    !subscription_scope(id))
		type = NULL;
	/* Of a server's hundreds of parameters, those a check reads. */
	if (type != NULL &&
	    strcmp(type, "Azure::DBforMySQL::FlexibleServerConfiguration") ==
		0 &&
	    !config_read(doc_str(doc_get(o, "name"))))
		type = NULL;
	if (type == NULL) {
		z->skipped++;
		return 0;
	}
	memset(&r, 0, sizeof(r));
	r.type = type;
	r.id = id;
	r.mark = o->mark;
	r.account = id_subscription(id, sub, sizeof(sub));
	if (r.account == NULL)
		r.account = doc_str(doc_get(o, "subscriptionId"));
	l = doc_get(o, "location");
	if ((s = doc_str(l)) != NULL && l->len > 0 && l->len < sizeof(loc) &&
	    strcasecmp(s, "global") != 0) {
		for (i = 0; i <= l->len; i++)
			loc[i] = (char)tolower((unsigned char)s[i]);
		r.region = loc;
	}
	r.attrs = arm_attrs(a, o, r.account, id_group(id, group, sizeof(group)),
	    strcmp(type, "Azure::Network::NetworkSecurityGroup") == 0);
	if (r.attrs == NULL)
		return diag_sys(z->dp.d, NULL, "out of memory");
	file_type_seen(z, type);
	/* The names of listed parents, for the per-parent completeness. */
	if (z->row != NULL && z->row->parent == NULL &&
	    strcmp(z->row->type, type) == 0 &&
	    (s = doc_str(doc_get(o, "name"))) != NULL &&
	    names_add(z, &z->parents[ROW(z->row)], s, strlen(s)) != 0)
		return -1;
	return emit(z, &r, a);
}

static int
elem_cb(void *ctx, struct doc_node *elem, struct arena *a)
{
	return arm_object(ctx, elem, a);
}

/* ----------------------------------------------------------- files */

/* The state of one file: paging left, error recorded, shape. */
struct az_state {
	const char *err; /* why the listing is incomplete, or NULL */
	int unknown; /* cannot tell whether pages follow */
	int plain; /* a plain array */
};

/*
 * The page-key hook: how a key saying more pages follow is worded (a
 * token left, or Resource Graph's truncation flag).
 */
static const char *
az_more_words(struct dump *d, const struct dump_call *c, const char *file,
    const char *key)
{
	(void)c;
	if (strcmp(key, az_page_flags[0]) == 0)
		return arena_printf(d->a,
		    "'%s' is true in '%s': the Resource Graph result is "
		    "truncated",
		    key, file);
	return arena_printf(d->a,
	    "'%s' is left in '%s': only the first pages of the listing were "
	    "collected",
	    key, file);
}

/*
 * Whether a map's paging members say more pages follow (the layout's
 * tokens and flags): the message, or NULL.
 */
static const char *
page_left(struct az *z, const struct doc_node *doc)
{
	const char *key = dump_more_pages(&az_layout, doc);

	return key != NULL ? az_more_words(&z->dp, z->row, z->file, key) : NULL;
}

/* An ARM error object recorded in place of the listing. */
static const char *
recorded_error(struct az *z, const struct doc_node *doc)
{
	const struct doc_node *e = doc_get(doc, "error");
	const char *code, *msg;

	if (e == NULL)
		return NULL;
	code = doc_str(doc_get(e, "code"));
	msg = doc_str(doc_get(e, "message"));
	return arena_printf(z->dp.keep, "the listing in '%s' was %s: %s%s%s",
	    z->file, dump_error_words(&az_layout, NULL, code, 0),
	    code != NULL ? code : "unknown error", msg != NULL ? ": " : "",
	    msg != NULL ? msg : "");
}

/* A whole (small) document. */
static int
whole_doc(
    struct az *z, struct doc_node *doc, struct arena *a, struct az_state *st)
{
	const struct doc_node *list;
	size_t i;

	if (doc->type == DOC_SEQ) {
		st->plain = 1;
		list = doc;
	} else if (doc->type != DOC_MAP) {
		return diag_err(z->dp.d, &doc->mark,
		    "expected ARM JSON (an object or an array) in '%s'",
		    z->file);
	} else if ((st->err = recorded_error(z, doc)) != NULL) {
		return 0;
	} else {
		st->err = page_left(z, doc);
		list = doc_get(doc, "value");
		if (list == NULL)
			list = doc_get(doc, "data");
		if (list != NULL && list->type == DOC_MAP &&
		    doc_get(list, "columns") != NULL)
			return diag_err(z->dp.d, &list->mark,
			    "a Resource Graph result in the table format: "
			    "query with the objectArray result format "
			    "(az graph query prints it)");
		if (list == NULL)
			return arm_object(z, doc, a);
		if (list->type != DOC_SEQ)
			return diag_err(z->dp.d, &list->mark,
			    "'value' or 'data' in '%s' is not a list", z->file);
	}
	for (i = 0; i < list->u.seq.n; i++)
		if (arm_object(z, list->u.seq.items[i], a) != 0)
			return -1;
	return 0;
}

struct whole_ctx {
	struct az *z;
	struct az_state *st;
};

static int
whole_cb(void *ctx, struct doc_node *doc, struct arena *a)
{
	struct whole_ctx *w = ctx;

	return whole_doc(w->z, doc, a, w->st);
}

/* Whether the text from p (before end) starts with s. */
static int
starts(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

/*
 * Whether buf (len bytes: a file's head or tail) holds a paging member
 * whose value says more pages follow, as dump_more_pages() reads a whole
 * document: a token unless null or "", a flag unless false or "false".
 * Used around a streamed listing, whose siblings the stream does not
 * keep.  A match inside a resource's own text can only err on the side
 * of an incomplete listing.
 */
static int
text_page_left(const char *buf, size_t len, const char **which)
{
	const char *p, *end = buf + len, *key;
	size_t i, klen;

	for (i = 0; i < NPAGE_KEYS; i++) {
		key = i < NPAGE_TOKENS ? az_page_tokens[i]
				       : az_page_flags[i - NPAGE_TOKENS];
		klen = strlen(key);
		for (p = buf; p + klen + 2 < end; p++) {
			if (p[0] != '"' || memcmp(p + 1, key, klen) != 0 ||
			    p[klen + 1] != '"')
				continue;
			p += klen + 2;
			while (p < end && isspace((unsigned char)*p))
				p++;
			if (p >= end || *p != ':')
				continue;
			p++;
			while (p < end && isspace((unsigned char)*p))
				p++;
			if (p >= end)
				continue;
			if (i < NPAGE_TOKENS ? starts(p, end, "null") ||
				    starts(p, end, "\"\"")
					     : starts(p, end, "false") ||
				    starts(p, end, "\"false\""))
				continue;
			*which = key;
			return 1;
		}
	}
	return 0;
}

/* The end of a regular file: paging members written after the list. */
static int
tail_page_left(const char *path, const char **which)
{
	char *buf;
	struct stat st;
	off_t off;
	ssize_t n;
	int fd, left = -1;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) == -1)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (buf = malloc(TAIL_BYTES)) != NULL) {
		off = st.st_size > TAIL_BYTES ? st.st_size - TAIL_BYTES : 0;
		n = pread(fd, buf, TAIL_BYTES, off);
		if (n >= 0)
			left = text_page_left(buf, (size_t)n, which);
		free(buf);
	}
	close(fd);
	return left;
}

/*
 * Which list a large file's head shows: "[*]" for a plain array, else the
 * first member of the top-level object named "value" or "data" whose
 * value is a list ("value[*]", "data[*]"), found by walking the head's
 * nesting (so a "value" inside a resource does not count); NULL when the
 * head shows none.
 */
static const char *
stream_path(const char *head, size_t len)
{
	size_t i = 0, ks = 0, kl = 0;
	int depth = 0, key = 0;

	while (i < len &&
	    (isspace((unsigned char)head[i]) ||
		(unsigned char)head[i] == 0xef ||
		(unsigned char)head[i] == 0xbb ||
		(unsigned char)head[i] == 0xbf))
		i++;
	if (i < len && head[i] == '[')
		return "[*]";
	for (; i < len; i++) {
		switch (head[i]) {
		case '"':
			ks = ++i;
			while (i < len && head[i] != '"')
				i += head[i] == '\\' ? 2 : 1;
			kl = i - ks;
			key = depth == 1;
			break;
		case ':':
			if (!key)
				break;
			key = 0;
			while (++i < len && isspace((unsigned char)head[i]))
				;
			if (i >= len)
				return NULL;
			if (head[i] != '[') {
				i--;
				break;
			}
			if (kl == 5 && memcmp(head + ks, "value", 5) == 0)
				return "value[*]";
			if (kl == 4 && memcmp(head + ks, "data", 4) == 0)
				return "data[*]";
			i--;
			break;
		case '{':
		case '[':
			depth++;
			key = 0;
			break;
		case '}':
		case ']':
			depth--;
			key = 0;
			break;
		default:
			if (!isspace((unsigned char)head[i]) && head[i] != ',')
				key = 0;
			break;
		}
	}
	return NULL;
}

/* Stream a large listing, then look for paging members around it. */
static int
read_streamed(struct az *z, const char *path, const struct load_limits *lim,
    const struct input *in, const char *coll, struct az_state *st)
{
	const char *which = NULL;
	int left;

	st->plain = strcmp(coll, "[*]") == 0;
	if (doc_stream_file(
		z->dp.d, path, DOC_FMT_JSON, coll, lim, elem_cb, z, NULL) != 0)
		return -1;
	if (st->plain)
		return 0;
	if (text_page_left(in->head, in->hlen, &which))
		left = 1;
	else if (in->is_regular)
		left = tail_page_left(path, &which);
	else
		left = -1;
	if (left == 1)
		st->err = arena_printf(z->dp.keep,
		    "'%s' is left in '%s': only the first pages of the "
		    "listing were collected",
		    which, z->file);
	else if (left == -1)
		st->unknown = 1;
	return 0;
}

/* After a file: its listing markers (states recorded, emitted later). */
static int
file_markers(struct az *z, const struct az_state *st, const struct mark *m)
{
	const char *err = st->err;
	size_t i;

	if (err == NULL && st->unknown)
		err = arena_printf(z->dp.keep,
		    "'%s' was read from a pipe past its first %u bytes: "
		    "whether "
		    "more pages follow cannot be told; give it as a file",
		    z->file, (unsigned)INPUT_HEAD);
	if (err == NULL && st->plain && z->nobj > 0 &&
	    z->nobj % GRAPH_PAGE_MAX == 0)
		err = arena_printf(z->dp.keep,
		    "'%s' holds exactly %zu objects in a plain array, a "
		    "multiple of az graph query's page size: it may be "
		    "truncated (use the object form, which carries "
		    "'skip_token')",
		    z->file, z->nobj);
	if (z->row != NULL) {
		if (z->row->parent != NULL) {
			if (err != NULL && z->child_err[ROW(z->row)] == NULL)
				z->child_err[ROW(z->row)] = err;
			return 0;
		}
		if (err == NULL)
			z->parent_read[ROW(z->row)] = 1;
		return mark_type(z, z->row->type, err, m);
	}
	/*
	 * Any other file lists nothing: it may hold one resource group's or
	 * one parent's share of a type, or a filtered query.  Its resources
	 * are evaluated; only its incompleteness is recorded, as an error
	 * for every type it holds.  An error recorded for a call of unknown
	 * type cannot be attached to a type: it is said aloud.
	 */
	if (err == NULL)
		return 0;
	if (z->nftypes == 0)
		diag_warn(
		    z->dp.d, m, "%s; no Azure type can be named for it", err);
	for (i = 0; i < z->nftypes; i++)
		if (mark_type(z, z->ftypes[i], err, m) != 0)
			return -1;
	return 0;
}

/*
 * Read one file (or the input itself): row is its layout row or NULL,
 * parent the parent's name for a per-parent row.  in is the opened
 * input when the caller has one (a pipe is read once).
 */
static int
read_file(struct az *z, const char *path, const struct dump_call *row,
    const char *parent, const struct load_limits *lim)
{
	struct input own, *in;
	struct load_limits ol;
	struct az_state st;
	struct whole_ctx w;
	struct mark m = { path, 0, 0 };
	const char *coll;
	int rc = -1;

	memset(&own, 0, sizeof(own));
	memset(&st, 0, sizeof(st));
	z->row = row;
	z->file = path;
	z->nobj = 0;
	z->nftypes = 0;
	if ((m.file = arena_strdup(z->dp.keep, path)) == NULL)
		return diag_sys(z->dp.d, NULL, "out of memory");
	z->file = m.file;
	if ((in = input_of(lim, path)) == NULL) {
		if (lim != NULL)
			ol = *lim;
		else
			load_limits_default(&ol);
		ol.input = NULL;
		if (input_open(z->dp.d, path, &own) == -1)
			goto out;
		ol.input = in = &own;
		lim = &ol;
	}
	coll = in->eof ? NULL : stream_path(in->head, in->hlen);
	if (coll != NULL) {
		rc = read_streamed(z, path, lim, in, coll, &st);
	} else {
		w.z = z;
		w.st = &st;
		rc = doc_stream_file(
		    z->dp.d, path, DOC_FMT_JSON, NULL, lim, whole_cb, &w, NULL);
	}
	if (rc == 0 && row != NULL && row->parent != NULL && parent != NULL) {
		size_t plen = strlen(parent);

		if (plen > 5 && strcasecmp(parent + plen - 5, ".json") == 0)
			plen -= 5;
		rc = names_add(z, &z->children[ROW(row)], parent, plen);
	}
	if (rc == 0)
		rc = file_markers(z, &st, &m);
out:
	input_close(&own);
	return rc;
}

/* ------------------------------------------------------- directory */

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted entry names of dir (no dot files), in arena a. */
static int
list_dir(struct az *z, const char *dir, struct dump_strv *out)
{
	DIR *dp;
	struct dirent *de;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if ((dp = opendir(dir)) == NULL)
		return diag_errno(z->dp.d, NULL, errno,
		    "cannot read the directory '%s'", dir);
	while (rc == 0 && (de = readdir(dp)) != NULL)
		if (de->d_name[0] != '.')
			rc = names_add(z, out, de->d_name, strlen(de->d_name));
	closedir(dp);
	if (rc == 0 && out->n > 1)
		qsort(out->v, out->n, sizeof(out->v[0]), str_cmp);
	return rc;
}

static int
has_json_ext(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcasecmp(name + n - 5, ".json") == 0;
}

/*
 * Walk the export: `<group>/<file>.json` and
 * `<group>/<command>/<parent>.json`, two levels at most below the root;
 * root-level JSON files are read too (as files of no layout row).
 */
static int
walk(struct az *z, const char *root, const char *rel, int depth)
{
	char path[PATH_MAX], sub[PATH_MAX];
	struct dump_strv ents;
	const struct dump_call *row;
	const char *parent, *e;
	struct stat st;
	size_t i;
	int n;

	n = snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	if (n < 0 || (size_t)n >= sizeof(path))
		return diag_err(
		    z->dp.d, NULL, "path too long under '%s'", root);
	if (list_dir(z, path, &ents) != 0)
		return -1;
	for (i = 0; i < ents.n; i++) {
		e = ents.v[i];
		n = snprintf(
		    sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e);
		if (n < 0 || (size_t)n >= sizeof(sub))
			return diag_err(
			    z->dp.d, NULL, "path too long under '%s'", root);
		if (depth == 0 && strcmp(e, "rampart-collection.json") == 0)
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", root, sub);
		if (n < 0 || (size_t)n >= sizeof(path))
			return diag_err(
			    z->dp.d, NULL, "path too long under '%s'", root);
		if (lstat(path, &st) != 0)
			return diag_errno(
			    z->dp.d, NULL, errno, "cannot read '%s'", path);
		row = file_row(sub, &parent);
		if (S_ISDIR(st.st_mode)) {
			const struct dump_call *crow =
			    file_row(arena_printf(z->dp.keep, "%s/x.json", sub),
				&parent);

			if (crow != NULL && crow->parent != NULL)
				z->child_dir[ROW(crow)] = 1;
			if (depth < 2 && walk(z, root, sub, depth + 1) != 0)
				return -1;
			continue;
		}
		if (!has_json_ext(e)) {
			diag_warn(z->dp.d, NULL,
			    "'%s' is not a .json file: not read", path);
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			const char *why = arena_printf(z->dp.keep,
			    "'%s' is not a regular file: not read", path);
			struct mark m = { arena_strdup(z->dp.keep, path), 0,
				0 };

			if (row != NULL && row->parent == NULL)
				mark_type(z, row->type, why, &m);
			else if (row != NULL)
				z->child_err[ROW(row)] = why;
			diag_warn(z->dp.d, NULL, "%s", why);
			continue;
		}
		if (read_file(z, path, row, parent, z->dp.lim) != 0)
			return -1;
	}
	return 0;
}

/* Per-parent listings: complete only with a file for every parent. */
static int
child_markers(struct az *z, const char *root)
{
	const struct dump_call *r;
	const struct dump_strv *ps;
	const char *err, *missing;
	struct mark m = { root, 0, 0 };
	size_t i, j, p, nmiss;

	for (i = 0; i < NFILES; i++) {
		r = &az_calls[i];
		if (r->parent == NULL)
			continue;
		for (p = 0; p < NFILES; p++)
			if (az_calls[p].parent == NULL &&
			    strcmp(az_calls[p].type, r->parent) == 0)
				break;
		if (p == NFILES)
			continue;
		if (!z->parent_read[p]) {
			if (z->child_dir[i] || z->children[i].n > 0)
				mark_type(z, r->type,
				    arena_printf(z->dp.keep,
					"'%s/%s' holds per-parent listings "
					"but the parent listing '%s/%s.json' "
					"is missing or incomplete",
					r->svc, r->call, az_calls[p].svc,
					az_calls[p].call),
				    &m);
			continue;
		}
		ps = &z->parents[p];
		err = z->child_err[i];
		nmiss = 0;
		missing = NULL;
		for (j = 0; j < ps->n; j++)
			if (!names_has(&z->children[i], ps->v[j])) {
				if (missing == NULL)
					missing = ps->v[j];
				nmiss++;
			}
		if (err == NULL && nmiss > 0)
			err = arena_printf(z->dp.keep,
			    "no '%s/%s/%s.json' in the export (%zu of %zu "
			    "%s listed have no listing file)",
			    r->svc, r->call, missing, nmiss, ps->n, r->parent);
		if (mark_type(z, r->type, err, &m) != 0)
			return -1;
	}
	return 0;
}

/* The listing markers recorded, at the end of the read. */
static int
emit_markers(struct az *z)
{
	struct dump_scope s = { z->dp.root, NULL };
	size_t i;

	for (i = 0; i < z->nmarks; i++)
		if (dump_marker(&z->dp, &s, z->marks[i].type, z->marks[i].err,
			&z->marks[i].mark) != 0)
			return -1;
	return 0;
}

/* ------------------------------------------------------- the adapter */

/*
 * Whether a directory holds the collector's layout (2), or at least one
 * JSON file, up to two levels down, whose start names an ARM id (1).
 */
static int
dir_kind(const char *path, int depth)
{
	char sub[PATH_MAX], head[4096];
	struct dirent *de;
	struct stat st;
	DIR *dp;
	size_t i, n;
	int fd, kind = 0;

	for (i = 0; depth == 0 && i < NFILES; i++)
		if (snprintf(sub, sizeof(sub), "%s/%s/%s%s", path,
			az_calls[i].svc, az_calls[i].call,
			az_calls[i].per == DUMP_ONCE ? ".json" : "") <
			(int)sizeof(sub) &&
		    stat(sub, &st) == 0)
			return 2;
	if ((dp = opendir(path)) == NULL)
		return 0;
	while (kind == 0 && (de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' ||
		    snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) >=
			(int)sizeof(sub) ||
		    lstat(sub, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth < 2)
				kind = dir_kind(sub, depth + 1);
			continue;
		}
		if (!S_ISREG(st.st_mode) || !has_json_ext(de->d_name) ||
		    (fd = open(sub, O_RDONLY | O_NOFOLLOW)) == -1)
			continue;
		n = 0;
		if ((n = (size_t)read(fd, head, sizeof(head) - 1)) ==
		    (size_t)-1)
			n = 0;
		close(fd);
		head[n] = '\0';
		if (strstr(head, "\"/subscriptions/") != NULL)
			kind = 1;
	}
	closedir(dp);
	return kind;
}

static int
az_detect(const char *path, int is_dir, const char *head, size_t len)
{
	if (is_dir) {
		switch (dir_kind(path, 0)) {
		case 2:
			return 45;
		case 1:
			return 35;
		default:
			return 0;
		}
	}
	if (head == NULL || strstr(head, "\"/subscriptions/") == NULL ||
	    !src_has_key(head, len, "id"))
		return 0;
	if (src_has_key(head, len, "skip_token") ||
	    src_has_key(head, len, "total_records"))
		return 70;
	return 55;
}

static int
az_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	struct az z;
	struct stat st;
	struct mark m = { path, 0, 0 };
	const char *parent;
	int rc = -1;

	memset(&z, 0, sizeof(z));
	if (dump_init(&z.dp, &az_layout, d, path, lim, fn, ctx) != 0)
		return -1;
	if ((input_of(lim, path) != NULL && input_of(lim, path)->is_dir) ||
	    (input_of(lim, path) == NULL && stat(path, &st) == 0 &&
		S_ISDIR(st.st_mode))) {
		if (dump_read_collection(&z.dp) != 0 ||
		    walk(&z, path, "", 0) != 0 || child_markers(&z, path) != 0)
			goto out;
	} else {
		/* A single file named like a layout file lists its type. */
		const char *base = strrchr(path, '/');
		const char *slash2 = NULL;

		if (base != NULL) {
			for (slash2 = base - 1; slash2 > path && *slash2 != '/';
			     slash2--)
				;
			if (*slash2 == '/')
				slash2++;
		}
		if (read_file(&z, path,
			slash2 != NULL ? file_row(slash2, &parent) : NULL, NULL,
			lim) != 0)
			goto out;
		z.row = NULL;
	}
	if (emit_markers(&z) != 0)
		goto out;
	if (z.skipped > 0)
		diag_note(d, &m,
		    "skipped %zu Azure objects of types no check reads",
		    z.skipped);
	rc = 0;
out:
	if (nresources != NULL)
		*nresources = z.emitted + z.dp.emitted;
	dump_fini(&z.dp);
	return rc;
}

const struct adapter adapter_azure = {
	.name = "azure",
	.summary =
	    "Azure Resource Graph output, ARM REST list responses "
	    "(az rest) or a directory of them (scripts/collect-azure.sh)",
	.detect = az_detect,
	.read = az_read,
	.max_dir_score = 45,
};
