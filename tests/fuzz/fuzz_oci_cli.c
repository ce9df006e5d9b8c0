/*
 * fuzz_oci_cli.c: the oci-cli directory adapter on mutated exports.  Byte
 * 0 picks which file of a small tenancy the rest of the input replaces
 * (the compartment list, a per-compartment listing, a per-resource join);
 * the directory is read through the adapter.  Invariants: a failed read
 * comes with an error; every resource has a type, an id and a map of
 * attributes; a marker has no id; the security list listing is never
 * clean when its bytes carry "opc-next-page" or a "ServiceError".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TEN "ocid1.tenancy.oc1..t"

static const struct {
	const char *rel, *body;
} files[] = {
	{ "iam/compartment-list.json",
	    "{\"data\": [{\"id\": \"" TEN "\", \"compartment-id\": \"" TEN
	    "\", \"lifecycle-state\": \"ACTIVE\"}]}" },
	{ "r-x-1/network/security-list-list/" TEN ".json",
	    "{\"data\": [{\"id\": \"ocid1.securitylist.oc1.iad.s\", "
	    "\"ingress-security-rules\": []}]}" },
	{ "r-x-1/network/nsg-list/" TEN ".json",
	    "{\"data\": [{\"id\": "
	    "\"ocid1.networksecuritygroup.oc1.iad.n\"}]}" },
	{ "r-x-1/network/nsg-rules-list/ocid1.networksecuritygroup.oc1.iad.n."
	  "json",
	    "{\"data\": []}" },
	{ "r-x-1/os/bucket-list/" TEN ".json",
	    "{\"data\": [{\"name\": \"b\", \"namespace\": \"ns\"}]}" },
	{ "r-x-1/os/bucket-get/b.json",
	    "{\"data\": {\"id\": \"ocid1.bucket.oc1.iad.b\", \"name\": "
	    "\"b\"}}" },
};

#define NFILES (sizeof(files) / sizeof(files[0]))

struct seen {
	int clean_sl;
};

static int
on_resource(void *ctx, const struct resource *r, struct arena *a)
{
	struct seen *s = ctx;

	(void)a;
	if (r->type == NULL)
		abort();
	if (r->listing) {
		if (r->id != NULL)
			abort();
		if (r->read_error == NULL &&
		    strcmp(r->type, "OCI::Core::SecurityList") == 0)
			s->clean_sl = 1;
		return 0;
	}
	if (r->id == NULL || r->attrs == NULL || r->attrs->type != DOC_MAP)
		abort();
	return 0;
}

static void
put(const char *root, const char *rel, const void *buf, size_t len)
{
	char p[512], *q;
	FILE *fp;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (q = p + strlen(root) + 1; (q = strchr(q, '/')) != NULL; q++) {
		*q = '\0';
		mkdir(p, 0755);
		*q = '/';
	}
	if ((fp = fopen(p, "wb")) == NULL)
		abort();
	if (len > 0 && fwrite(buf, 1, len, fp) != len)
		abort();
	if (fclose(fp) != 0)
		abort();
}

static int
has(const uint8_t *buf, size_t len, const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i + n <= len; i++)
		if (memcmp(buf + i, s, n) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char root[64] = "/tmp/rampart-fuzz-ocicli-XXXXXX", cmd[128];
	const struct adapter *ad = adapter_find("oci-cli");
	struct seen s = { 0 };
	struct diag d;
	size_t i, pick;
	int rc;

	if (size < 1 || ad == NULL || mkdtemp(root) == NULL)
		return 0;
	pick = data[0] % NFILES;
	for (i = 0; i < NFILES; i++)
		if (i == pick)
			put(root, files[i].rel, data + 1, size - 1);
		else
			put(root, files[i].rel, files[i].body,
			    strlen(files[i].body));
	diag_init(&d);
	rc = ad->read(&d, root, NULL, on_resource, &s, NULL);
	if (rc != 0 && d.n == 0)
		abort();
	if (rc == 0 && pick == 1 && s.clean_sl &&
	    (has(data + 1, size - 1, "opc-next-page") ||
		has(data + 1, size - 1, "ServiceError")))
		abort();
	diag_free(&d);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		abort();
	return 0;
}
