/*
 * fuzz_terraform.c: the terraform-plan adapter on arbitrary plans.  The
 * input is written to a temporary file and read through the adapter (so
 * the second pass over the configuration runs too), and the invariants
 * are checked: a failed read comes with an error; every resource has a
 * canonical type, an address as id, a 1-based mark and a map of
 * attributes, and its unreadable map is the one in its attributes, with
 * a reason per entry; a read never emits a listing marker.  Then the
 * input is parsed on its own and, for every change of an EBS volume, RDS
 * instance or KMS key whose setting is false, known only after apply or
 * sensitive, the resource emitted under that address must not hold
 * `true` there, and an unknown or sensitive setting must be unreadable:
 * a violating or unknown plan value never reads as compliant.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXR 256

struct got {
	struct arena *a;
	const char *id[MAXR];
	struct doc_node *attrs[MAXR];
	size_t n;
	int dup;
};

static int
on_resource(void *ctx, const struct resource *r, struct arena *a)
{
	struct got *g = ctx;
	const struct doc_node *un, *v;
	size_t i;

	(void)a;
	if (r->listing || r->type == NULL ||
	    (strncmp(r->type, "AWS::", 5) && strncmp(r->type, "Azure::", 7) &&
		strncmp(r->type, "GCP::", 5) && strncmp(r->type, "OCI::", 5)) ||
	    r->id == NULL || r->id[0] == '\0' || r->attrs == NULL ||
	    r->attrs->type != DOC_MAP || r->mark.line == 0 || r->mark.col == 0)
		abort();
	un = doc_get(r->attrs, RESOURCE_UNREADABLE);
	if (un != r->unreadable)
		abort();
	for (i = 0; un != NULL && i < un->u.map.n; i++) {
		v = un->u.map.pairs[i].val;
		if (doc_str(v) == NULL || v->len == 0)
			abort();
	}
	for (i = 0; i < g->n; i++)
		if (strcmp(g->id[i], r->id) == 0)
			g->dup = 1;
	/* A whole-resource read error is error for every check. */
	if (r->read_error != NULL)
		return 0;
	if (g->n < MAXR) {
		g->id[g->n] = arena_strdup(g->a, r->id);
		g->attrs[g->n] = doc_copy(g->a, r->attrs);
		if (g->id[g->n] == NULL || g->attrs[g->n] == NULL)
			abort();
		g->n++;
	}
	return 0;
}

static const struct {
	const char *tf, *attr, *canon;
} watched[] = {
	{ "aws_ebs_volume", "encrypted", "Encrypted" },
	{ "aws_db_instance", "storage_encrypted", "StorageEncrypted" },
	{ "aws_kms_key", "enable_key_rotation", "KeyRotationEnabled" },
};

static int
is_bool(const struct doc_node *n, int b)
{
	return n != NULL && n->type == DOC_BOOL && n->u.b == b;
}

/* Whether two changes of the input have this address. */
static int
dups(const struct doc_node *rcs, const char *addr)
{
	const char *a;
	size_t i, n = 0;

	for (i = 0; i < rcs->u.seq.n; i++)
		if ((a = doc_str(doc_get(rcs->u.seq.items[i], "address"))) &&
		    strcmp(a, addr) == 0)
			n++;
	return n > 1;
}

/* One change of the input against what the adapter made of it. */
static void
check_change(
    const struct got *g, const struct doc_node *rcs, const struct doc_node *rc)
{
	const struct doc_node *ch = doc_get(rc, "change"), *after, *v;
	const struct doc_node *attrs = NULL;
	const char *addr = doc_str(doc_get(rc, "address"));
	const char *tf = doc_str(doc_get(rc, "type"));
	size_t i, k;
	int unknown, sensitive;

	if (addr == NULL || tf == NULL || dups(rcs, addr))
		return;
	for (i = 0; i < g->n; i++)
		if (strcmp(g->id[i], addr) == 0)
			attrs = g->attrs[i];
	if (attrs == NULL)
		return;
	after = doc_get(ch, "after");
	for (k = 0; k < sizeof(watched) / sizeof(watched[0]); k++) {
		if (strcmp(tf, watched[k].tf) != 0)
			continue;
		v = doc_get(attrs, watched[k].canon);
		unknown = is_bool(doc_get(ch, "after_unknown"), 1) ||
		    is_bool(
			doc_get(doc_get(ch, "after_unknown"), watched[k].attr),
			1);
		sensitive = is_bool(doc_get(ch, "after_sensitive"), 1) ||
		    is_bool(doc_get(doc_get(ch, "after_sensitive"),
				watched[k].attr),
			1);
		if ((unknown || sensitive) &&
		    doc_get(doc_get(attrs, RESOURCE_UNREADABLE),
			watched[k].canon) == NULL)
			abort();
		if ((unknown || sensitive ||
			is_bool(doc_get(after, watched[k].attr), 0)) &&
		    is_bool(v, 1))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct adapter *ad = adapter_find("terraform-plan");
	char path[] = "/tmp/fuzz-terraform-XXXXXX";
	struct doc_node **docs = NULL, *rcs;
	struct got g;
	struct diag d;
	struct arena *pa;
	size_t n = 0, i;
	int fd, rc;

	if (ad == NULL || (fd = mkstemp(path)) < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	memset(&g, 0, sizeof(g));
	if ((g.a = arena_new()) == NULL)
		abort();
	diag_init(&d);
	rc = ad->read(&d, path, NULL, on_resource, &g, NULL);
	if (rc != 0 && d.nerrors == 0)
		abort();
	unlink(path);
	diag_free(&d);
	if (rc == 0 && !g.dup) {
		diag_init(&d);
		pa = arena_new();
		if (pa != NULL &&
		    doc_load_buf(pa, &d, "plan", (const char *)data, size,
			DOC_FMT_JSON, NULL, &docs, &n) == 0 &&
		    n == 1 &&
		    (rcs = doc_get(docs[0], "resource_changes")) != NULL &&
		    rcs->type == DOC_SEQ)
			for (i = 0; i < rcs->u.seq.n; i++)
				check_change(&g, rcs, rcs->u.seq.items[i]);
		arena_free(pa);
		diag_free(&d);
	}
	arena_free(g.a);
	return 0;
}
