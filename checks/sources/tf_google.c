/*
 * tf_google.c: the hashicorp/google provider's plan attributes mapped
 * onto the Compute and Storage API shapes of the Google Cloud section of
 * docs/resources.md, one table.  Defaults only where the provider's
 * documentation states them (registry.terraform.io/providers/hashicorp/
 * google/latest/docs/resources/<name>, quoted in `src`).
 */
#include "checks/sources/terraform.h"

#define DOC "hashicorp/google docs, "
#define FW DOC "google_compute_firewall: "

static const struct tf_attr fw_entry[] = {
	{ .from = "protocol", .to = "IPProtocol" },
	{ .from = "ports", .to = "ports", .empty_absent = 1 },
	{ .from = NULL },
};

/*
 * Google Cloud judges a rule with the other rules of its network
 * (priority, deny before allow): the rules of one network in the plan
 * are grouped (tf_type.group), and a rule known only after apply is
 * unreadable (error), never assumed.
 */
static const struct tf_attr firewall[] = {
	{ .from = "name", .to = "name" },
	{ .from = "id", .to = "id", .ident = 1 },
	{ .from = "network", .to = "network", .ident = 1 },
	{ .from = "direction",
	    .to = "direction",
	    .def = "\"INGRESS\"",
	    .src = FW "direction 'If unspecified, the default is INGRESS'" },
	{ .from = "priority",
	    .to = "priority",
	    .def = "1000",
	    .src = FW "priority 'Default value is 1000'" },
	{ .from = "disabled", .to = "disabled" },
	{ .from = "source_ranges", .to = "sourceRanges", .empty_absent = 1 },
	{ .from = "source_tags", .to = "sourceTags", .empty_absent = 1 },
	{ .from = "source_service_accounts",
	    .to = "sourceServiceAccounts",
	    .empty_absent = 1 },
	{ .from = "destination_ranges",
	    .to = "destinationRanges",
	    .empty_absent = 1 },
	{ .from = "target_tags", .to = "targetTags", .empty_absent = 1 },
	{ .from = "target_service_accounts",
	    .to = "targetServiceAccounts",
	    .empty_absent = 1 },
	{ .from = "allow",
	    .to = "allowed",
	    .conv = TF_LIST,
	    .sub = fw_entry,
	    .empty_absent = 1 },
	{ .from = "deny",
	    .to = "denied",
	    .conv = TF_LIST,
	    .sub = fw_entry,
	    .empty_absent = 1 },
	{ .from = NULL },
};

#define GCS DOC "google_storage_bucket: "

static const struct tf_attr bucket[] = {
	{ .from = "name", .to = "name" },
	{ .from = "location", .to = "location", .ident = 1 },
	{ .from = "uniform_bucket_level_access",
	    .to = "iamConfiguration.uniformBucketLevelAccess.enabled" },
	{ .from = "public_access_prevention",
	    .to = "iamConfiguration.publicAccessPrevention" },
	{ .from = "encryption.0.default_kms_key_name",
	    .to = "encryption.defaultKmsKeyName" },
	{ .from = "versioning.0.enabled", .to = "versioning.enabled" },
	{ .from = NULL },
};

/* Sorted by tf name (test_terraform checks it). */
static const struct tf_type types[] = {
	{ .tf = "google_compute_firewall",
	    .type = "GCP::Compute::Firewall",
	    .attrs = firewall,
	    .deferred = 1,
	    .group = "network",
	    .group_ref = "google_compute_network",
	    .group_into = "rampartNetworkRules" },
	{ .tf = "google_storage_bucket",
	    .type = "GCP::Storage::Bucket",
	    .attrs = bucket },
};

static const struct tf_absent absent[] = {
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

const struct tf_provider tf_google = {
	.prefix = "google_",
	.name = "gcp",
	.types = types,
	.ntypes = sizeof(types) / sizeof(types[0]),
	.absent = absent,
};
