/*
 * registry.c: the tables of built-in check plugins and export adapters.
 * Adding a plugin or an adapter is one file plus one line here; both
 * tables are sorted by name (a unit test asserts it) so lookups bsearch.
 */
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/aws/aws.h"
#include "checks/azure/azure.h"
#include "checks/gcp/gcp.h"
#include "checks/k8s/k8s.h"
#include "checks/oci/oci.h"
#include "checks/sources/sources.h"
#include "checks/tls/endpoint.h"

const struct check_plugin *const check_plugins[] = {
	&aws_credential_report_plugin,
	&aws_iam_policy_plugin,
	&aws_network_exposure_plugin,
	&aws_s3_acl_plugin,
	&aws_service_plugin,
	&azure_key_rotation_plugin,
	&azure_nsg_exposure_plugin,
	&azure_sql_firewall_plugin,
	&gcp_firewall_plugin,
	&gcp_iam_policy_plugin,
	&gcp_kms_rotation_plugin,
	&k8s_cluster_plugin,
	&k8s_workload_plugin,
	&oci_events_plugin,
	&oci_iam_policy_plugin,
	&oci_network_exposure_plugin,
	&tls_endpoint_plugin,
};

const size_t check_nplugins = sizeof(check_plugins) / sizeof(check_plugins[0]);

const struct adapter *const adapters[] = {
	&adapter_aws_cli,
	&adapter_aws_config,
	&adapter_azure,
	&adapter_gcp_asset,
	&adapter_gcp_gcloud,
	&adapter_k8s,
	&adapter_oci_cli,
	&adapter_oci_search,
	&adapter_terraform_plan,
};

const size_t nadapters = sizeof(adapters) / sizeof(adapters[0]);

static int
plugin_cmp(const void *key, const void *elem)
{
	const struct check_plugin *const *p = elem;

	return strcmp(key, (*p)->name);
}

const struct check_plugin *
check_plugin_find(const char *name)
{
	const struct check_plugin *const *p;

	if (name == NULL)
		return NULL;
	p = bsearch(name, check_plugins, check_nplugins,
	    sizeof(check_plugins[0]), plugin_cmp);
	return p != NULL ? *p : NULL;
}

static int
adapter_cmp(const void *key, const void *elem)
{
	const struct adapter *const *a = elem;

	return strcmp(key, (*a)->name);
}

const struct adapter *
adapter_find(const char *name)
{
	const struct adapter *const *a;

	if (name == NULL)
		return NULL;
	a = bsearch(
	    name, adapters, nadapters, sizeof(adapters[0]), adapter_cmp);
	return a != NULL ? *a : NULL;
}

/* Bytes of a file's start shown to detect(). */
#define DETECT_HEAD 4096

/*
 * Ask every adapter; the highest score wins (ties go to the first in the
 * table, which keeps the choice deterministic).  A file nobody recognises
 * is an error naming the file and the known formats, never an empty scan.
 * The head comes from the opened input, so a pipe is not read here.
 */
const struct adapter *
adapter_detect_input(struct diag *d, const struct input *in)
{
	const struct adapter *best = NULL;
	const char *path = in->path;
	struct mark m = { path, 0, 0 };
	char head[DETECT_HEAD];
	struct strbuf names;
	size_t got = 0;
	int score, bestscore = 0, is_dir = in->is_dir;
	size_t i;

	if (!is_dir) {
		got = in->hlen < sizeof(head) - 1 ? in->hlen : sizeof(head) - 1;
		if (got > 0)
			memcpy(head, in->head, got);
		head[got] = '\0';
	}
	for (i = 0; i < nadapters; i++) {
		/* Ties go to the first: a later adapter must beat bestscore. */
		if (is_dir && adapters[i]->max_dir_score > 0 &&
		    adapters[i]->max_dir_score <= bestscore)
			continue;
		score = adapters[i]->detect(
		    path, is_dir, is_dir ? NULL : head, got);
		if (score > bestscore) {
			bestscore = score;
			best = adapters[i];
		}
	}
	if (best != NULL)
		return best;
	sb_init(&names);
	for (i = 0; i < nadapters; i++) {
		sb_adds(&names, i ? ", " : "");
		sb_adds(&names, adapters[i]->name);
	}
	diag_err(d, &m,
	    "cannot tell the export format of '%s' (known formats: %s); "
	    "use --input-format",
	    path, names.s != NULL ? names.s : "");
	sb_free(&names);
	return NULL;
}

/*
 * The same for a path: opens it, detects, closes.  Only for a path that
 * is read again by path afterwards (a regular file or a directory); a
 * pipe must go through input_open() and adapter_detect_input().
 */
const struct adapter *
adapter_detect(struct diag *d, const char *path)
{
	const struct adapter *ad = NULL;
	struct input in;

	if (input_open(d, path, &in) == 0)
		ad = adapter_detect_input(d, &in);
	input_close(&in);
	return ad;
}
