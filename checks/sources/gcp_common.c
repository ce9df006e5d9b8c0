/*
 * gcp_common.c: what the Google Cloud adapters (gcp_asset.c, gcp_gcloud.c)
 * share: the table of asset types rampart reads and their canonical
 * resource types (docs/resources.md), the project and region of a
 * resource, and the normalisation of IAM and organisation policies to
 * the REST API's camelCase (Cloud Asset exports also spell them in
 * snake_case, with the audit log type as the proto enum's number).
 */
#include <stdio.h>
#include <string.h>

#include "checks/sources/dump.h"

/* Sorted by asset type (a unit test asserts it). */
static const struct gcp_type gcp_types[] = {
	{ "cloudkms.googleapis.com/CryptoKey", "GCP::KMS::CryptoKey" },
	{ "cloudresourcemanager.googleapis.com/Folder",
	    "GCP::ResourceManager::Folder" },
	{ "cloudresourcemanager.googleapis.com/Organization",
	    "GCP::ResourceManager::Organization" },
	{ "cloudresourcemanager.googleapis.com/Project",
	    "GCP::ResourceManager::Project" },
	{ "compute.googleapis.com/Firewall", "GCP::Compute::Firewall" },
	{ "compute.googleapis.com/Network", "GCP::Compute::Network" },
	{ "compute.googleapis.com/SslPolicy", "GCP::Compute::SslPolicy" },
	{ "compute.googleapis.com/Subnetwork", "GCP::Compute::Subnetwork" },
	{ "compute.googleapis.com/TargetHttpsProxy",
	    "GCP::Compute::TargetHttpsProxy" },
	{ "container.googleapis.com/Cluster", "GCP::Container::Cluster" },
	{ "iam.googleapis.com/ServiceAccount", "GCP::IAM::ServiceAccount" },
	{ "iam.googleapis.com/ServiceAccountKey",
	    "GCP::IAM::ServiceAccountKey" },
	{ "logging.googleapis.com/LogBucket", "GCP::Logging::LogBucket" },
	{ "logging.googleapis.com/LogSink", "GCP::Logging::Sink" },
	{ "serviceusage.googleapis.com/Service",
	    "GCP::ServiceUsage::EnabledServices" },
	{ "sqladmin.googleapis.com/Instance", "GCP::SQL::Instance" },
	{ "storage.googleapis.com/Bucket", "GCP::Storage::Bucket" },
};

const struct gcp_type *
gcp_type_table(size_t *n)
{
	*n = sizeof(gcp_types) / sizeof(gcp_types[0]);
	return gcp_types;
}

const char *
gcp_type_of(const char *asset_type)
{
	size_t i;

	if (asset_type == NULL)
		return NULL;
	for (i = 0; i < sizeof(gcp_types) / sizeof(gcp_types[0]); i++)
		if (strcmp(gcp_types[i].asset_type, asset_type) == 0)
			return gcp_types[i].type;
	return NULL;
}

/*
 * The segment after "<kind>/" in name ("projects/p1/zones/..." -> "p1"),
 * copied into a, or NULL.
 */
static const char *
segment_after(struct arena *a, const char *name, const char *kind)
{
	size_t klen = strlen(kind);
	const char *p = name, *e;

	while ((p = strstr(p, kind)) != NULL) {
		if ((p == name || p[-1] == '/') && p[klen] == '/') {
			p += klen + 1;
			e = strchr(p, '/');
			if (e == NULL)
				e = p + strlen(p);
			return e > p ? arena_strndup(a, p, (size_t)(e - p))
				     : NULL;
		}
		p += klen;
	}
	return NULL;
}

const char *
gcp_project_of(struct arena *a, const char *name, const struct doc_node *anc)
{
	const char *p = NULL, *s;
	size_t i;

	if (name != NULL)
		p = segment_after(a, name, "projects");
	for (i = 0; p == NULL && anc != NULL && anc->type == DOC_SEQ &&
	     i < anc->u.seq.n;
	     i++)
		if ((s = doc_str(anc->u.seq.items[i])) != NULL)
			p = segment_after(a, s, "projects");
	return p;
}

/* The last path segment of a URL or name ("…/regions/us-east1"). */
static const char *
last_segment(const char *s)
{
	const char *e = strrchr(s, '/');

	return e != NULL ? e + 1 : s;
}

const char *
gcp_region_of(
    struct arena *a, const struct doc_node *data, const char *location)
{
	const char *z;
	size_t n;

	if (location != NULL && *location != '\0')
		return location;
	if ((z = doc_str(doc_get(data, "region"))) != NULL && *z != '\0')
		return last_segment(z);
	if ((z = doc_str(doc_get(data, "location"))) != NULL && *z != '\0')
		return z;
	if ((z = doc_str(doc_get(data, "zone"))) != NULL && *z != '\0') {
		z = last_segment(z);
		n = strlen(z);
		/* us-central1-a is a zone of us-central1 */
		if (n > 2 && z[n - 2] == '-')
			return arena_strndup(a, z, n - 2);
		return z;
	}
	return NULL;
}

/* audit_log_configs[].log_type as the proto enum's number. */
static const char *const log_types[] = { "LOG_TYPE_UNSPECIFIED", "ADMIN_READ",
	"DATA_WRITE", "DATA_READ" };

/* "audit_log_configs" -> "auditLogConfigs" into a. */
static char *
camel_key(struct arena *a, const char *k, size_t len)
{
	char *o = arena_alloc(a, len + 1);
	size_t i, j = 0;
	int up = 0;

	if (o == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (k[i] == '_' && j > 0) {
			up = 1;
			continue;
		}
		o[j++] = up && k[i] >= 'a' && k[i] <= 'z'
		    ? (char)(k[i] - 'a' + 'A')
		    : k[i];
		up = 0;
	}
	o[j] = '\0';
	return o;
}

struct doc_node *
gcp_camel(struct arena *a, const struct doc_node *n, int depth)
{
	struct doc_node *o, *k, *v;
	const char *key;
	size_t i;

	if (n == NULL)
		return NULL;
	if (depth > 64)
		return (
		    struct doc_node *)n; /* deeper keys are left as they are */
	if (n->type == DOC_SEQ) {
		if ((o = src_seq(a, &n->mark)) == NULL)
			return NULL;
		for (i = 0; i < n->u.seq.n; i++)
			if ((v = gcp_camel(a, n->u.seq.items[i], depth + 1)) ==
				NULL ||
			    doc_seq_push(a, o, v) != 0)
				return NULL;
		return o;
	}
	if (n->type != DOC_MAP)
		return (struct doc_node *)n;
	if ((o = src_map(a, &n->mark)) == NULL)
		return NULL;
	for (i = 0; i < n->u.map.n; i++) {
		key = camel_key(
		    a, n->u.map.pairs[i].key->str, n->u.map.pairs[i].key->len);
		if (key == NULL)
			return NULL;
		v = n->u.map.pairs[i].val;
		if (strcmp(key, "logType") == 0 && v->type == DOC_INT &&
		    v->u.i >= 0 && v->u.i <= 3)
			v = src_str(a, log_types[v->u.i], &v->mark);
		else
			v = gcp_camel(a, v, depth + 1);
		if (v == NULL ||
		    (k = src_str(a, key, &n->u.map.pairs[i].key->mark)) ==
			NULL ||
		    doc_map_put(a, o, k, v) != 0)
			return NULL;
	}
	return o;
}

int
gcp_org_policies(struct arena *a, const struct doc_node *list,
    const struct mark *m, struct doc_node **out, const char **why)
{
	struct doc_node *cons, *attrs, *p;
	const char *c;
	size_t i;

	*why = NULL;
	if ((attrs = src_map(a, m)) == NULL || (cons = src_map(a, m)) == NULL ||
	    src_set(a, attrs, "constraints", cons) != 0)
		return -1;
	*out = attrs;
	if (list == NULL || list->type != DOC_SEQ) {
		*why = "the organisation policies are not a list";
		return 0;
	}
	for (i = 0; i < list->u.seq.n; i++) {
		if ((p = gcp_camel(a, list->u.seq.items[i], 0)) == NULL)
			return -1;
		c = doc_str(doc_get(p, "constraint"));
		if (p->type != DOC_MAP || c == NULL) {
			*why = "an organisation policy names no 'constraint'";
			continue;
		}
		if (strncmp(c, "constraints/", 12) == 0)
			c += 12;
		if (doc_get(cons, c) != NULL) {
			*why = "a constraint is set twice";
			continue;
		}
		if (src_set(a, cons, c, p) != 0)
			return -1;
	}
	return 0;
}

/*
 * Whether resp holds the page token of a listing that goes on: the
 * core's rule (dump_more_pages()), a token other than null or "", in
 * either spelling (REST camelCase, Cloud Asset's snake_case).
 */
int
gcp_more_pages(const struct doc_node *resp)
{
	static const char *const tokens[] = { "nextPageToken",
		"next_page_token", NULL };
	static const struct dump_layout lay = { .page_tokens = tokens };

	return dump_more_pages(&lay, resp) != NULL;
}
