/*
 * provider.c: the providers rampart knows, named by the prefix of their
 * resource types.  One table: adding a provider is one line here and one
 * enum value in check.h.
 */
#include <string.h>

#include "checks/check.h"

static const struct {
	const char *prefix; /* with its "::" */
	const char *name;
	const char *title;
	int cloud;
} providers[PROV_COUNT] = {
	[PROV_AWS] = { "AWS::", "aws", "AWS", 1 },
	[PROV_AZURE] = { "Azure::", "azure", "Azure", 1 },
	[PROV_GCP] = { "GCP::", "gcp", "Google Cloud", 1 },
	[PROV_OCI] = { "OCI::", "oci", "Oracle Cloud", 1 },
	[PROV_K8S] = { "K8s::", "kubernetes", "Kubernetes", 1 },
	[PROV_TLS] = { "TLS::", "tls", "TLS", 0 },
};

enum provider
provider_of_type(const char *type)
{
	size_t i;

	if (type == NULL)
		return PROV_NONE;
	for (i = 0; i < PROV_COUNT; i++)
		if (strncmp(type, providers[i].prefix,
			strlen(providers[i].prefix)) == 0)
			return (enum provider)i;
	return PROV_NONE;
}

const char *
provider_name(enum provider p)
{
	return p < PROV_COUNT ? providers[p].name : "unknown";
}

const char *
provider_title(enum provider p)
{
	return p < PROV_COUNT ? providers[p].title : "unknown";
}

int
provider_is_cloud(enum provider p)
{
	return p < PROV_COUNT && providers[p].cloud;
}
