/*
 * tf_oci.c: the oracle/oci provider's plan attributes mapped onto the
 * OCI CLI shapes (kebab-case) of the Oracle Cloud section of
 * docs/resources.md, one table.  Defaults only where the provider's
 * documentation states them (registry.terraform.io/providers/oracle/oci/
 * latest/docs/resources/<name>, quoted in `src`).
 */
#include "checks/sources/terraform.h"

#define DOC "oracle/oci docs, "

static const struct tf_attr port_range[] = {
	{ .from = "min", .to = "destination-port-range.min" },
	{ .from = "max", .to = "destination-port-range.max" },
	{ .from = NULL },
};

/*
 * Security list rules only allow (stateful or not), so a rule known only
 * after apply is a rule whose protocol is "(not known until apply ...)":
 * error unless the known rules already fail.
 */
static const struct tf_attr ingress_rule[] = {
	{ .from = "protocol", .to = "protocol" },
	{ .from = "source", .to = "source" },
	{ .from = "source_type", .to = "source-type" },
	{ .from = "stateless", .to = "is-stateless" },
	{ .from = "tcp_options",
	    .to = "tcp-options",
	    .conv = TF_BLOCK,
	    .sub = port_range },
	{ .from = "udp_options",
	    .to = "udp-options",
	    .conv = TF_BLOCK,
	    .sub = port_range },
	{ .from = NULL },
};

static const struct tf_attr security_list[] = {
	{ .from = "id", .to = "id", .ident = 1 },
	{ .from = "display_name", .to = "display-name" },
	{ .from = "vcn_id", .to = "vcn-id", .ident = 1 },
	{ .from = "ingress_security_rules",
	    .to = "ingress-security-rules",
	    .conv = TF_LIST,
	    .sub = ingress_rule,
	    .unknown_as = "protocol" },
	{ .from = NULL },
};

#define BUCKET DOC "oci_objectstorage_bucket: "

static const struct tf_attr bucket[] = {
	{ .from = "name", .to = "name" },
	{ .from = "namespace", .to = "namespace" },
	{ .from = "access_type",
	    .to = "public-access-type",
	    .def = "\"NoPublicAccess\"",
	    .src = BUCKET "access_type 'By default, a bucket is created with "
			  "NoPublicAccess'" },
	{ .from = "kms_key_id", .to = "kms-key-id", .keep_null = 1 },
	{ .from = "versioning", .to = "versioning" },
	{ .from = NULL },
};

/* Sorted by tf name (test_terraform checks it). */
static const struct tf_type types[] = {
	{ .tf = "oci_core_security_list",
	    .type = "OCI::Core::SecurityList",
	    .attrs = security_list },
	{ .tf = "oci_objectstorage_bucket",
	    .type = "OCI::ObjectStorage::Bucket",
	    .attrs = bucket },
};

static const struct tf_absent absent[] = {
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

const struct tf_provider tf_oci = {
	.prefix = "oci_",
	.name = "oci",
	.types = types,
	.ntypes = sizeof(types) / sizeof(types[0]),
	.absent = absent,
};
