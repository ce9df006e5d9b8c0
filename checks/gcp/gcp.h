/*
 * gcp.h: the native Google Cloud check plugins (checks/gcp/).  Internal to
 * checks/: the registry lists the plugins.
 */
#ifndef RAMPART_GCP_H
#define RAMPART_GCP_H

#include "checks/check.h"

/*
 * The key the gcp-asset and gcp-gcloud adapters add beside each firewall
 * rule: the list of every rule of its network (itself included).
 */
#define GCP_NETWORK_RULES "rampartNetworkRules"

extern const struct check_plugin gcp_firewall_plugin;
extern const struct check_plugin gcp_iam_policy_plugin;
extern const struct check_plugin gcp_kms_rotation_plugin;

#endif /* RAMPART_GCP_H */
