/*
 * azure.h: the native Azure check plugins (checks/azure/).  Internal to
 * checks/: the registry lists them.
 */
#ifndef RAMPART_AZURE_H
#define RAMPART_AZURE_H

#include "checks/check.h"

extern const struct check_plugin azure_key_rotation_plugin;
extern const struct check_plugin azure_nsg_exposure_plugin;
extern const struct check_plugin azure_sql_firewall_plugin;

#endif /* RAMPART_AZURE_H */
