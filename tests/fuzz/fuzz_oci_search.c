/*
 * fuzz_oci_search.c: the oci-search adapter (structured-search output,
 * CIS landing-zone inventory) and the OCI plugins on what it produces.
 * The input is the file's bytes, written to a temp file and read through
 * the adapter (byte 0 also picks whether to pad it past the 64 KiB head,
 * so the streamed path runs).  Invariants: a failed read comes with an
 * error; every resource has a type, an id and a map of attributes; a
 * marker has no id; when the bytes name "opc-next-page" as a top-level
 * key of a search export, no clean marker is emitted (a page left is
 * never a complete listing); each OCI plugin emits exactly one status
 * for every resource of its types.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	int clean;
};

static void
run_plugin(const char *name, const struct resource *r)
{
	const struct check_plugin *p = check_plugin_find(name);
	const char *const *t;
	struct check_ctx c;
	struct diag d;
	struct arena *a;
	struct doc_node **docs;
	size_t n;
	static const char params[] =
	    "{\"ports\": [22, 3389], \"min_open_ports\": 0, "
	    "\"admin_groups\": [\"Administrators\"], \"event_types\": "
	    "[\"com.oraclecloud.identitycontrolplane.createuser\"]}";

	if (p == NULL)
		abort();
	for (t = p->resource_types; *t != NULL; t++)
		if (strcmp(*t, r->type) == 0)
			break;
	if (*t == NULL)
		return;
	if ((a = arena_new()) == NULL)
		abort();
	diag_init(&d);
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.d = &d;
	c.now = 1704067200;
	if (doc_load_buf(a, &d, "p", params, sizeof(params) - 1, DOC_FMT_JSON,
		NULL, &docs, &n) != 0)
		abort();
	c.params = docs[0];
	check_ctx_reset(&c);
	if (p->evaluate(&c, r) != 0 && d.n == 0)
		abort();
	if (!c.emitted)
		abort();
	diag_free(&d);
	arena_free(a);
}

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
		if (r->read_error == NULL)
			s->clean = 1;
		return 0;
	}
	if (r->id == NULL || r->attrs == NULL || r->attrs->type != DOC_MAP)
		abort();
	run_plugin("oci_network_exposure", r);
	run_plugin("oci_iam_policy", r);
	run_plugin("oci_events", r);
	return 0;
}

/* Whether the bytes, parsed, hold a top-level "opc-next-page". */
static int
has_next(const uint8_t *buf, size_t len)
{
	struct arena *a = arena_new();
	struct doc_node **docs;
	struct diag d;
	size_t n;
	int more = 0;

	if (a == NULL)
		abort();
	diag_init(&d);
	if (doc_load_buf(a, &d, "f", (const char *)buf, len, DOC_FMT_JSON, NULL,
		&docs, &n) == 0 &&
	    n == 1)
		more = doc_get(docs[0], "opc-next-page") != NULL;
	diag_free(&d);
	arena_free(a);
	return more;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64] = "/tmp/rampart-fuzz-oci-XXXXXX";
	const struct adapter *ad = adapter_find("oci-search");
	struct seen s = { 0 };
	struct diag d;
	FILE *fp;
	int fd, rc, pad;

	if (size < 1 || ad == NULL || (fd = mkstemp(path)) == -1)
		return 0;
	pad = data[0] & 1;
	data++;
	size--;
	if ((fp = fdopen(fd, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	/* Trailing spaces past the head make the streamed path run. */
	if (pad)
		for (rc = 0; rc < 70000; rc++)
			fputc(' ', fp);
	if (fclose(fp) != 0)
		abort();
	diag_init(&d);
	rc = ad->read(&d, path, NULL, on_resource, &s, NULL);
	if (rc != 0 && d.n == 0)
		abort();
	if (rc == 0 && s.clean && has_next(data, size))
		abort();
	diag_free(&d);
	unlink(path);
	return 0;
}
