/*
 * fuzz_azure.c: the "azure" adapter on mutated exports.  Byte 0 picks how
 * the bytes that follow are given: as a collector directory's
 * network/nsg-list.json, as a single file, without ".json", a directory
 * or a FIFO in its place.  The invariants: a failed read comes with an
 * error; every resource has a type, an id and a map of attributes; a
 * marker has no id; and the NSG type never gets a clean listing marker
 * unless its file is a regular .json file whose bytes parse and hold no
 * paging token and no recorded error, so a cut, paged, denied or
 * misplaced listing can never read as complete.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSG "Azure::Network::NetworkSecurityGroup"

enum layout { LAY_DIR_FILE, LAY_SINGLE, LAY_NOEXT, LAY_DIRPLACE, LAY_FIFO };

struct seen {
	int clean, error;
};

static int
on_resource(void *ctx, const struct resource *r, struct arena *a)
{
	struct seen *s = ctx;

	(void)a;
	if (r->type == NULL || strncmp(r->type, "Azure::", 7) != 0)
		abort();
	if (r->listing) {
		if (r->id != NULL)
			abort();
		if (strcmp(r->type, NSG) == 0) {
			if (r->read_error != NULL)
				s->error = 1;
			else
				s->clean = 1;
		}
		return 0;
	}
	if (r->id == NULL || r->attrs == NULL || r->attrs->type != DOC_MAP)
		abort();
	return 0;
}

static void
put(const char *path, const void *buf, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL)
		abort();
	if (len > 0 && fwrite(buf, 1, len, fp) != len)
		abort();
	if (fclose(fp) != 0)
		abort();
}

/*
 * Whether the bytes may say the listing is incomplete, judged apart from
 * the adapter: a paging member that is not null or "", a truncation
 * flag, an error object, or bytes that do not parse as one document.
 */
static int
maybe_incomplete(const uint8_t *buf, size_t len)
{
	static const char *const keys[] = { "nextLink", "@odata.nextLink",
		"skip_token", "$skipToken", "skipToken", "resultTruncated",
		"error" };
	struct arena *a = arena_new();
	struct doc_node **docs;
	const struct doc_node *v;
	struct diag d;
	size_t n, k;
	int more = 1;

	if (a == NULL)
		abort();
	diag_init(&d);
	if (doc_load_buf(a, &d, "listing", (const char *)buf, len, DOC_FMT_JSON,
		NULL, &docs, &n) == 0 &&
	    n == 1) {
		more = 0;
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			v = doc_get(docs[0], keys[k]);
			if (v != NULL && v->type != DOC_NULL &&
			    !(v->type == DOC_STRING && v->len == 0))
				more = 1;
		}
	}
	diag_free(&d);
	arena_free(a);
	return more;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char root[64] = "/tmp/rampart-fuzz-azure-XXXXXX";
	char dir[256], path[512], input[512], cmd[600];
	const struct adapter *ad = adapter_find("azure");
	struct seen s = { 0, 0 };
	struct diag d;
	enum layout lay;
	int rc;

	if (size < 1 || ad == NULL || mkdtemp(root) == NULL)
		return 0;
	lay = (enum layout)(data[0] % 5);
	snprintf(dir, sizeof(dir), "%s/network", root);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/nsg-list.json", dir);
	snprintf(input, sizeof(input), "%s", root);
	switch (lay) {
	case LAY_DIR_FILE:
		put(path, data + 1, size - 1);
		break;
	case LAY_SINGLE:
		put(path, data + 1, size - 1);
		snprintf(input, sizeof(input), "%s", path);
		break;
	case LAY_NOEXT:
		path[strlen(path) - 5] = '\0';
		put(path, data + 1, size - 1);
		break;
	case LAY_DIRPLACE:
		mkdir(path, 0755);
		break;
	case LAY_FIFO:
		if (mkfifo(path, 0644) != 0)
			abort();
		break;
	}
	/* another complete listing, so the directory is recognised */
	snprintf(cmd, sizeof(cmd), "%s/security", root);
	mkdir(cmd, 0755);
	snprintf(cmd, sizeof(cmd), "%s/security/pricing-list.json", root);
	put(cmd, "{\"value\": []}", 13);
	diag_init(&d);
	rc = ad->read(&d, input, NULL, on_resource, &s, NULL);
	if (rc != 0 && d.nerrors == 0)
		abort();
	if (rc == 0 && s.clean &&
	    (lay > LAY_SINGLE || maybe_incomplete(data + 1, size - 1)))
		abort();
	diag_free(&d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		abort();
	return 0;
}
