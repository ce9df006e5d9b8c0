/*
 * fuzz_k8s.c: the kubernetes adapter on mutated manifests and lists.
 * Byte 0 picks how the bytes are laid out: a file named .yaml, .json or
 * without extension, or that file inside a directory; the rest is the
 * file.  Invariants: a failed read comes with an error; every resource is
 * a K8s:: type with an id and attributes, provider "kubernetes"; a
 * listing marker has no id; a Secret's data and stringData values are
 * "(redacted)", whatever the input held.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/k8s/k8s.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_redacted(const struct doc_node *m)
{
	size_t i;
	const char *s;

	if (m == NULL)
		return;
	if (m->type != DOC_MAP) {
		s = doc_str(m);
		if (s == NULL || strcmp(s, K8S_REDACTED) != 0)
			abort();
		return;
	}
	for (i = 0; i < m->u.map.n; i++) {
		s = doc_str(m->u.map.pairs[i].val);
		if (s == NULL || strcmp(s, K8S_REDACTED) != 0)
			abort();
	}
}

static int
on_resource(void *ctx, const struct resource *r, struct arena *a)
{
	(void)ctx;
	(void)a;
	if (r->type == NULL || strncmp(r->type, "K8s::", 5) != 0)
		abort();
	if (r->provider == NULL || strcmp(r->provider, "kubernetes") != 0)
		abort();
	if (r->listing) {
		if (r->id != NULL)
			abort();
		return 0;
	}
	if (r->id == NULL || r->attrs == NULL || r->attrs->type != DOC_MAP)
		abort();
	if (strcmp(r->type, "K8s::Core::Secret") == 0) {
		check_redacted(doc_get(r->attrs, "data"));
		check_redacted(doc_get(r->attrs, "stringData"));
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "m.yaml", "m.json", "m" };
	char dir[64], sub[96], path[128];
	struct diag d;
	size_t n = 0;
	int rc, lay;
	FILE *fp;

	if (size < 1)
		return 0;
	lay = data[0] % 4;
	snprintf(dir, sizeof(dir), "/tmp/fuzz-k8s-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(sub, sizeof(sub), "%s/d", dir);
	if (mkdir(sub, 0700) == -1)
		abort();
	snprintf(path, sizeof(path), "%s/%s", sub, names[lay == 3 ? 0 : lay]);
	if ((fp = fopen(path, "wb")) == NULL)
		abort();
	if (size > 1 && fwrite(data + 1, 1, size - 1, fp) != size - 1)
		abort();
	fclose(fp);
	diag_init(&d);
	rc = adapter_k8s.read(
	    &d, lay == 3 ? sub : path, NULL, on_resource, NULL, &n);
	if (rc != 0 && d.nerrors == 0)
		abort();
	diag_free(&d);
	unlink(path);
	rmdir(sub);
	rmdir(dir);
	return 0;
}
