/*
 * sources.h: the export adapters (checks/sources/) and the helpers they
 * share.  Internal to checks/: the rest of rampart sees adapters only
 * through the table in checks/registry.c.
 */
#ifndef RAMPART_SOURCES_H
#define RAMPART_SOURCES_H

#include "checks/check.h"

extern const struct adapter adapter_aws_cli;
extern const struct adapter adapter_aws_config;
extern const struct adapter adapter_terraform_plan;

/* The marker map naming attributes an export says are not configured. */
#define SRC_NOT_CONFIGURED "NotConfigured"
/*
 * Config's legacy `ipRanges` (CIDR strings) when `ipv4Ranges` is beside it:
 * src_pascal() keeps it under this key, the adapter unites the two.
 */
#define SRC_LEGACY_IP_RANGES "LegacyIpRanges"
/* The map of per-attribute read errors (resource read_error is set too). */
#define SRC_READ_ERRORS "ReadErrors"

/* A new DOC_STRING holding s (copied); NULL when memory runs out. */
struct doc_node *src_str(struct arena *a, const char *s, const struct mark *m);
/* A new empty DOC_MAP or DOC_SEQ at mark m. */
struct doc_node *src_map(struct arena *a, const struct mark *m);
struct doc_node *src_seq(struct arena *a, const struct mark *m);
/*
 * Set key in a map that was created with src_map (or copied by
 * src_map_clone): replaces the value of an existing key, else appends.
 * Returns 0 or -1 (out of memory).
 */
int src_set(struct arena *a, struct doc_node *map, const char *key,
    struct doc_node *val);
/* A fresh map holding the same pairs as map (values shared). */
struct doc_node *src_map_clone(struct arena *a, const struct doc_node *map);
/*
 * Record that attribute `attr` of attrs is not configured, as the export
 * says with error code `code`: attrs[attr] = null and
 * attrs.NotConfigured[attr] = code.  0 or -1.
 */
int src_not_configured(struct arena *a, struct doc_node *attrs,
    const char *attr, const char *code, const struct mark *m);

/*
 * Replace, in place, every placebo datetime object
 * {"__class__": "datetime", "year": ...} under n by an ISO 8601 string
 * ("2016-07-19T17:50:23+00:00", as the AWS CLI prints).  0 or -1.
 */
int src_fix_datetimes(struct arena *a, struct doc_node *n);

/*
 * Parse the JSON text held by the DOC_STRING s into a tree in arena a.
 * Every node of the result carries s's own mark (the text has no position
 * of its own in the file).  NULL when s is not a string or not valid JSON;
 * then *why (may be NULL) receives a message allocated in a and nothing is
 * recorded in d (the caller decides whether that is an error).
 */
struct doc_node *src_parse_json_string(
    struct arena *a, const struct doc_node *s, const char **why);

/*
 * Turn n's AWS Config camelCase keys into the AWS CLI's PascalCase (first
 * letter upper-cased, plus the known exceptions listed in
 * docs/resources.md), in place: n must be a tree of the streamed element's
 * arena that nothing needs in Config's spelling any more (tag maps become
 * the CLI's lists, allocated in a).  Values of opaque keys (policy
 * documents) are left verbatim.  Returns n, or NULL when memory runs out.
 */
struct doc_node *src_pascal(struct arena *a, const struct doc_node *n);

/*
 * Fill *r as the listing marker of type (docs/decisions.md): listing 1,
 * id and attrs NULL, the placement (provider, account, region, namespace,
 * collected) copied from place (may be NULL), source and mark.file
 * source, read_error rerr (NULL: the input holds the whole listing of
 * the type there, possibly empty; else why it is incomplete).  The
 * caller may then set attrs (an empty map) and emit it.
 */
void src_marker(struct resource *r, const struct resource *place,
    const char *type, const char *source, const char *rerr);

/* Whether a string looks like an AWS region name ("us-gov-west-1"). */
int src_is_region(const char *s);

/* Whether head (len bytes) contains "key" as a JSON key (not escaped). */
int src_has_key(const char *head, size_t len, const char *key);

/* Azure: Resource Graph, ARM REST lists, collector directories (azure.c). */
extern const struct adapter adapter_azure;
/* ------------------------------------------------------- Google Cloud */

extern const struct adapter adapter_gcp_asset;
extern const struct adapter adapter_gcp_gcloud;

/*
 * The key both adapters add beside each firewall rule: the list of every
 * rule of its network as exported (itself included, without this key),
 * so a check can evaluate priorities and deny rules.  checks/gcp/gcp.h
 * names the same key.
 */
#define SRC_GCP_NETWORK_RULES "rampartNetworkRules"

/* A Cloud Asset type rampart reads and its canonical resource type. */
struct gcp_type {
	const char *asset_type; /* "compute.googleapis.com/Firewall" */
	const char *type; /* "GCP::Compute::Firewall" */
};

/* The table of asset types read (sorted by asset type); *n its length. */
const struct gcp_type *gcp_type_table(size_t *n);
/* The canonical type of a Cloud Asset type, or NULL when not read. */
const char *gcp_type_of(const char *asset_type);
/*
 * The project of a resource: the segment after "projects/" in its name
 * (a full asset name or a relative one), else in its ancestors (a list of
 * "projects/123", "folders/..."; may be NULL).  Allocated in a, or NULL.
 */
const char *gcp_project_of(
    struct arena *a, const char *name, const struct doc_node *ancestors);
/*
 * The region of a resource: location when given, else its REST data's
 * region (a URL's last segment), location, or zone's region
 * ("us-central1-a" -> "us-central1").  NULL when none is known.
 */
const char *gcp_region_of(
    struct arena *a, const struct doc_node *data, const char *location);
/*
 * A copy of n in a with every map key in camelCase ("audit_configs" ->
 * "auditConfigs") and numeric `logType` values as the REST enum names
 * (1 ADMIN_READ, 2 DATA_WRITE, 3 DATA_READ).  Scalars are shared, and
 * so are subtrees nested deeper than 64 (left in their spelling).  NULL
 * when memory runs out.
 */
struct doc_node *gcp_camel(
    struct arena *a, const struct doc_node *n, int depth);
/*
 * The attributes of a GCP::OrgPolicy::Policy from a list of organisation
 * policies (v1, either case): {"constraints": {"<name without
 * 'constraints/'>": policy}}.  *why is set (and the bad entries skipped)
 * when the list is not one or an entry names no constraint or repeats
 * one.  0, or -1 when memory runs out.
 */
int gcp_org_policies(struct arena *a, const struct doc_node *list,
    const struct mark *m, struct doc_node **out, const char **why);
/* Whether a list response says more pages follow (nextPageToken). */
int gcp_more_pages(const struct doc_node *resp);
/* ------------------------------------------------ Oracle Cloud (OCI) */

extern const struct adapter adapter_oci_cli;
extern const struct adapter adapter_oci_search;

/* Sets the provider of a struct resource (the foundation's field). */
#define OCI_SET_PROVIDER(r) ((r).provider = "oci")

/* A canonical OCI type and the name OCI Search gives it. */
struct oci_type {
	const char *search; /* "SecurityList" */
	const char *type; /* "OCI::Core::SecurityList" */
	int global; /* tenancy-wide (IAM): resources have no region */
};

/* The type OCI Search calls name, or NULL when no check reads it. */
const struct oci_type *oci_type_by_search(const char *name);
/* The i-th known type (sorted by search name), NULL past the end. */
const struct oci_type *oci_type_at(size_t i);
/* A key in the OCI CLI's kebab-case, in arena a; NULL out of memory. */
char *oci_kebab_key(struct arena *a, const char *k, size_t len);
/*
 * A copy of n in arena a whose map keys are in kebab-case (camelCase of
 * the REST API and the inventory's details, snake_case of the Python SDK,
 * kebab-case of the CLI alike), except the keys inside free-form maps
 * (defined-tags, freeform-tags, system-tags, metadata).  Scalars are
 * shared.  NULL when memory runs out, the tree is deeper than 256, or
 * one map holds two spellings of a key.
 */
struct doc_node *oci_kebab(struct arena *a, const struct doc_node *n);
/*
 * The region an OCID names ("ocid1.vcn.oc1.iad.x" -> "us-ashburn-1"; an
 * unknown key as it is, in a), or NULL for a tenancy-wide OCID.
 */
const char *oci_ocid_region(struct arena *a, const char *ocid);
/* Whether s is a tenancy OCID. */
int oci_is_tenancy(const char *ocid);

#endif /* RAMPART_SOURCES_H */
