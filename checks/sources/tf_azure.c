/*
 * tf_azure.c: the hashicorp/azurerm provider's plan attributes mapped
 * onto the ARM shapes of the Azure section of docs/resources.md, one
 * table.  Defaults only where the provider's documentation states them
 * (registry.terraform.io/providers/hashicorp/azurerm/latest/docs/
 * resources/<name>, quoted in `src`).  docs/terraform.md prints it.
 */
#include "checks/sources/terraform.h"

#define DOC "hashicorp/azurerm docs, "

/*
 * A security rule, inline or separate.  Azure evaluates rules by
 * priority, Deny before a later Allow, so a rule known only after apply
 * could shadow or open anything: its `properties` are then "(not known
 * until apply ...)", which the check reports as error.
 */
static const struct tf_attr nsg_rule[] = {
	{ .from = "name", .to = "name" },
	{ .from = "priority", .to = "properties.priority" },
	{ .from = "direction", .to = "properties.direction" },
	{ .from = "access", .to = "properties.access" },
	{ .from = "protocol", .to = "properties.protocol" },
	{ .from = "source_address_prefix",
	    .to = "properties.sourceAddressPrefix" },
	{ .from = "source_address_prefixes",
	    .to = "properties.sourceAddressPrefixes" },
	{ .from = "source_application_security_group_ids",
	    .to = "properties.sourceApplicationSecurityGroups",
	    .conv = TF_WRAP,
	    .wrap = "id" },
	{ .from = "destination_port_range",
	    .to = "properties.destinationPortRange" },
	{ .from = "destination_port_ranges",
	    .to = "properties.destinationPortRanges" },
	{ .from = "destination_address_prefix",
	    .to = "properties.destinationAddressPrefix" },
	{ .from = "destination_address_prefixes",
	    .to = "properties.destinationAddressPrefixes" },
	{ .from = NULL },
};

static const struct tf_attr nsg[] = {
	{ .from = "name", .to = "name" },
	{ .from = "location", .to = "location", .ident = 1 },
	{ .from = "id", .to = "id", .ident = 1 },
	{ .from = "security_rule",
	    .to = "properties.securityRules",
	    .conv = TF_LIST,
	    .sub = nsg_rule,
	    .unknown_as = "properties" },
	{ .from = NULL },
};

static const struct tf_enum enabled_disabled[] = {
	{ "true", "\"Enabled\"" },
	{ "false", "\"Disabled\"" },
	{ NULL, NULL },
};

#define SA DOC "azurerm_storage_account: "

/*
 * Only what the checks read: everything sits under `properties`, the
 * key an unreadable value marks, so one attribute known only after
 * apply (network_rules, computed when omitted) would make every check of
 * the account error.
 *
 * `https_traffic_only_enabled` (provider 4) and `enable_https_traffic_
 * only` (2 and 3), `allow_nested_items_to_be_public` (3 and 4) and
 * `allow_blob_public_access` (2): whichever the plan holds.  Their
 * defaults differ between provider versions, so none is assumed.
 */
static const struct tf_attr storage_account[] = {
	{ .from = "name", .to = "name" },
	{ .from = "location", .to = "location", .ident = 1 },
	{ .from = "id", .to = "id", .ident = 1 },
	{ .from = "https_traffic_only_enabled",
	    .to = "properties.supportsHttpsTrafficOnly" },
	{ .from = "enable_https_traffic_only",
	    .to = "properties.supportsHttpsTrafficOnly",
	    .fallback = 1 },
	{ .from = "min_tls_version",
	    .to = "properties.minimumTlsVersion",
	    .def = "\"TLS1_2\"",
	    .src = SA "min_tls_version 'Defaults to TLS1_2 for new storage "
		      "accounts'" },
	{ .from = "allow_nested_items_to_be_public",
	    .to = "properties.allowBlobPublicAccess" },
	{ .from = "allow_blob_public_access",
	    .to = "properties.allowBlobPublicAccess",
	    .fallback = 1 },
	{ .from = "public_network_access_enabled",
	    .to = "properties.publicNetworkAccess",
	    .conv = TF_ENUM,
	    .enums = enabled_disabled },
	{ .from = NULL },
};

static const struct tf_attr flow_log[] = {
	{ .from = "id", .to = "id", .ident = 1 },
	{ .to = "id", .conv = TF_ADDRESS, .fallback = 1 },
	{ .from = "name", .to = "name" },
	{ .from = "enabled", .to = "properties.enabled" },
	{ .from = "retention_policy.0.enabled",
	    .to = "properties.retentionPolicy.enabled" },
	{ .from = "retention_policy.0.days",
	    .to = "properties.retentionPolicy.days" },
	{ .from = NULL },
};

/* Sorted by tf name (test_terraform checks it). */
static const struct tf_type types[] = {
	{ .tf = "azurerm_network_security_group",
	    .type = "Azure::Network::NetworkSecurityGroup",
	    .attrs = nsg,
	    .deferred = 1 },
	{ .tf = "azurerm_network_security_rule",
	    .attrs = nsg_rule,
	    .target = "azurerm_network_security_group",
	    .ref = "network_security_group_name",
	    .target_key = "name",
	    .into = "properties.securityRules",
	    .append = 1,
	    .unknown_as = "properties" },
	{ .tf = "azurerm_network_watcher_flow_log",
	    .attrs = flow_log,
	    .target = "azurerm_network_security_group",
	    .ref = "network_security_group_id",
	    .target_key = "id",
	    .into = "properties.flowLogs",
	    .append = 1 },
	{ .tf = "azurerm_storage_account",
	    .type = "Azure::Storage::StorageAccount",
	    .attrs = storage_account },
};

/*
 * A group the provider creates has no rule of its own but Azure's fixed
 * defaults, which the adapters of exports list apart
 * (defaultSecurityRules) and the check adds itself.
 */
static const struct tf_absent absent[] = {
	{ "azurerm_network_security_group", "properties.securityRules",
	    "azurerm_network_security_rule", "[]", 0,
	    "ARM: a new network security group has no security rules but "
	    "Azure's default rules" },
	{ "azurerm_network_security_group", "properties.flowLogs",
	    "azurerm_network_watcher_flow_log", "[]", 0,
	    "ARM: a new network security group has no flow log" },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

const struct tf_provider tf_azure = {
	.prefix = "azurerm_",
	.name = "azure",
	.types = types,
	.ntypes = sizeof(types) / sizeof(types[0]),
	.absent = absent,
};
