/*
 * oci.h: the native Oracle Cloud (OCI) check plugins (checks/oci/), for
 * what a declarative assertion cannot express: the union of security
 * rules over ports and address families, and the grammar of IAM policy
 * statements.  Internal to checks/: the registry lists the plugins.
 */
#ifndef RAMPART_OCI_H
#define RAMPART_OCI_H

#include "checks/check.h"

extern const struct check_plugin oci_events_plugin;
extern const struct check_plugin oci_iam_policy_plugin;
extern const struct check_plugin oci_network_exposure_plugin;

#endif /* RAMPART_OCI_H */
