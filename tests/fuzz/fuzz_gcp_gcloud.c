/*
 * fuzz_gcp_gcloud.c: the gcp-gcloud directory adapter on mutated
 * directories.  Byte 0 picks one of the listings below, byte 1 how its
 * file is laid out (as is, in another case, without ".json", a directory
 * or a FIFO in its place), the rest is the listing file's bytes.  The
 * invariants: every resource has a type, an id and a map of attributes;
 * a marker has no id; and the picked type never gets a clean listing
 * marker unless its file is a regular, exactly named "<command>.json"
 * whose bytes parse and hold no error object and no page token left, so
 * a cut, denied, misnamed or unreadable listing never reads as complete.
 * Every firewall rule read is also handed to the gcp_firewall plugin,
 * which must emit exactly one result.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *svc, *cmd, *type, *body;
} listings[] = {
	{ "compute", "firewall-rules-list", "GCP::Compute::Firewall",
	    "[{\"name\": \"a\", \"selfLink\": \"https://www.googleapis.com/"
	    "compute/v1/projects/p/global/firewalls/a\", \"sourceRanges\": "
	    "[\"0.0.0.0/0\"], \"allowed\": [{\"IPProtocol\": \"tcp\"}]}]" },
	{ "sql", "instances-list", "GCP::SQL::Instance",
	    "{\"items\": [{\"name\": \"s\", \"settings\": {}}]}" },
	{ "storage", "buckets-list", "GCP::Storage::Bucket",
	    "[{\"name\": \"b\"}]" },
	{ "logging", "sinks-list", "GCP::Logging::Sink", "[]" },
};

#define NLIST (sizeof(listings) / sizeof(listings[0]))

enum layout { LAY_PLAIN, LAY_CASE, LAY_NOEXT, LAY_DIR, LAY_FIFO };

struct seen {
	const char *type;
	int clean;
};

static int
on_resource(void *ctx, const struct resource *r, struct arena *a)
{
	const struct check_plugin *p = check_plugin_find("gcp_firewall");
	struct seen *s = ctx;
	struct check_ctx c;
	struct diag d;
	struct doc_node **docs;
	size_t n;

	if (r->type == NULL)
		abort();
	if (r->listing) {
		if (r->id != NULL)
			abort();
		if (strcmp(r->type, s->type) == 0 && r->read_error == NULL)
			s->clean = 1;
		return 0;
	}
	if (r->id == NULL || r->attrs == NULL || r->attrs->type != DOC_MAP)
		abort();
	if (strcmp(r->type, "GCP::Compute::Firewall") != 0 || p == NULL)
		return 0;
	diag_init(&d);
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.d = &d;
	if (doc_load_buf(a, &d, "p", "{\"ports\": [22]}", 15, DOC_FMT_JSON,
		NULL, &docs, &n) != 0)
		abort();
	c.params = docs[0];
	check_ctx_reset(&c);
	if (p->evaluate(&c, r) != 0 || !c.emitted)
		abort();
	diag_free(&d);
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
 * Whether an error object says the service's API is disabled, the one
 * error that is evidence of an empty listing.
 */
static int
disabled(const struct doc_node *e)
{
	const struct doc_node *det = doc_get(e, "details");
	const char *r;
	size_t i;

	r = doc_str(doc_get(e, "status"));
	if (r != NULL && strcmp(r, "SERVICE_DISABLED") == 0)
		return 1;
	for (i = 0; det != NULL && det->type == DOC_SEQ && i < det->u.seq.n;
	     i++)
		if ((r = doc_str(doc_get(det->u.seq.items[i], "reason"))) !=
			NULL &&
		    strcmp(r, "SERVICE_DISABLED") == 0)
			return 1;
	return 0;
}

/* Whether the bytes may not be read as a whole, clean listing. */
static int
not_whole(const uint8_t *buf, size_t len)
{
	struct arena *a = arena_new();
	const struct doc_node *t, *e;
	struct doc_node **docs;
	struct diag d;
	size_t n;
	int bad = 1;

	if (a == NULL)
		abort();
	diag_init(&d);
	if (doc_load_buf(a, &d, "listing", (const char *)buf, len, DOC_FMT_JSON,
		NULL, &docs, &n) == 0 &&
	    n == 1) {
		t = doc_get(docs[0], "nextPageToken");
		e = doc_get(docs[0], "error");
		bad = (e != NULL && !(e->type == DOC_MAP && disabled(e))) ||
		    (t != NULL &&
			!(t->type == DOC_NULL ||
			    (t->type == DOC_STRING && t->len == 0)));
	}
	diag_free(&d);
	arena_free(a);
	return bad;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char root[64] = "/tmp/rampart-fuzz-gcloud-XXXXXX";
	char dir[256], path[512], cmd[600];
	const struct adapter *ad = adapter_find("gcp-gcloud");
	struct seen s = { NULL, 0 };
	struct diag d;
	size_t i, pick, n;
	enum layout lay;
	int rc;

	if (size < 2 || ad == NULL || mkdtemp(root) == NULL)
		return 0;
	pick = data[0] % NLIST;
	lay = (enum layout)(data[1] % 5);
	s.type = listings[pick].type;
	snprintf(path, sizeof(path), "%s/projects", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/projects/describe.json", root);
	put(path, "{\"projectId\": \"p\"}", 18);
	for (i = 0; i < NLIST; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", root, listings[i].svc);
		mkdir(dir, 0755);
		if (i == pick)
			continue;
		snprintf(
		    path, sizeof(path), "%s/%s.json", dir, listings[i].cmd);
		put(path, listings[i].body, strlen(listings[i].body));
	}
	snprintf(dir, sizeof(dir), "%s/%s", root, listings[pick].svc);
	n = (size_t)snprintf(
	    path, sizeof(path), "%s/%s.json", dir, listings[pick].cmd);
	switch (lay) {
	case LAY_CASE:
		path[strlen(dir) + 1] = (char)(path[strlen(dir) + 1] - 32);
		put(path, data + 2, size - 2);
		break;
	case LAY_NOEXT:
		path[n - 5] = '\0';
		put(path, data + 2, size - 2);
		break;
	case LAY_DIR:
		mkdir(path, 0755);
		break;
	case LAY_FIFO:
		if (mkfifo(path, 0644) != 0)
			abort();
		break;
	case LAY_PLAIN:
		put(path, data + 2, size - 2);
		break;
	}
	diag_init(&d);
	rc = ad->read(&d, root, NULL, on_resource, &s, NULL);
	if (rc != 0 && d.nerrors == 0)
		abort();
	if (rc == 0 && s.clean &&
	    (lay != LAY_PLAIN || not_whole(data + 2, size - 2)))
		abort();
	diag_free(&d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		abort();
	return 0;
}
