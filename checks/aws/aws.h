/*
 * aws.h: the native AWS check plugins (checks/aws/) and the helpers they
 * share.  Internal to checks/: the registry lists the plugins.
 */
#ifndef RAMPART_AWS_H
#define RAMPART_AWS_H

#include "checks/check.h"

extern const struct check_plugin aws_credential_report_plugin;
extern const struct check_plugin aws_iam_policy_plugin;
extern const struct check_plugin aws_network_exposure_plugin;
extern const struct check_plugin aws_s3_acl_plugin;
extern const struct check_plugin aws_service_plugin;

#endif /* RAMPART_AWS_H */
