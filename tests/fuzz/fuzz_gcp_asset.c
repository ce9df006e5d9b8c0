/*
 * fuzz_gcp_asset.c: the gcp-asset adapter (Cloud Asset NDJSON, JSON
 * arrays, search results) on arbitrary bytes written to a file.  The
 * invariants: a failed read comes with an error; every resource has a
 * type, an id and a map of attributes; a marker has no id; every
 * firewall rule handed to the gcp_firewall and every IAM policy to the
 * gcp_iam_policy plugin gives exactly one result.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
run_plugin(const char *name, const char *params, const struct resource *r,
    struct arena *a)
{
	const struct check_plugin *p = check_plugin_find(name);
	struct check_ctx c;
	struct diag d;
	struct doc_node **docs;
	size_t n;

	if (p == NULL)
		abort();
	diag_init(&d);
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.d = &d;
	if (doc_load_buf(a, &d, "p", params, strlen(params), DOC_FMT_JSON, NULL,
		&docs, &n) != 0)
		abort();
	c.params = docs[0];
	check_ctx_reset(&c);
	if (p->evaluate(&c, r) != 0 || !c.emitted)
		abort();
	diag_free(&d);
}

static int
on_resource(void *ctx, const struct resource *r, struct arena *a)
{
	(void)ctx;
	if (r->type == NULL)
		abort();
	if (r->listing) {
		if (r->id != NULL)
			abort();
		return 0;
	}
	if (r->id == NULL || r->attrs == NULL || r->attrs->type != DOC_MAP)
		abort();
	if (strcmp(r->type, "GCP::Compute::Firewall") == 0)
		run_plugin("gcp_firewall", "{\"min_open_ports\": 64512}", r, a);
	else if (strcmp(r->type, "GCP::IAM::Policy") == 0)
		run_plugin("gcp_iam_policy",
		    "{\"roles\": [\"*\"], \"members\": [\"user:\"], "
		    "\"external_only\": true}",
		    r, a);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64] = "/tmp/rampart-fuzz-asset-XXXXXX";
	const struct adapter *ad = adapter_find("gcp-asset");
	struct diag d;
	FILE *fp;
	int fd, rc;

	if (ad == NULL || (fd = mkstemp(path)) < 0)
		return 0;
	if ((fp = fdopen(fd, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	if (fclose(fp) != 0)
		abort();
	diag_init(&d);
	rc = ad->read(&d, path, NULL, on_resource, NULL, NULL);
	if (rc != 0 && d.nerrors == 0)
		abort();
	diag_free(&d);
	unlink(path);
	return 0;
}
