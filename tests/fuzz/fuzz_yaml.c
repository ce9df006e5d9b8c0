/*
 * fuzz_yaml.c: the YAML loader on arbitrary bytes.  Loads the input whole
 * (doc_load_buf) and streams it with a collection path, walks every tree
 * it receives (so ASan sees any node left in a freed arena), and checks the
 * house invariant: a failure always comes with an error diagnostic.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/lib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Visit every node, aliases expanded, within a budget. */
static void
walk(const struct doc_node *n, uint64_t *budget)
{
	size_t i;

	if (*budget == 0)
		return;
	(*budget)--;
	switch (n->type) {
	case DOC_SEQ:
		for (i = 0; i < n->u.seq.n; i++)
			walk(n->u.seq.items[i], budget);
		break;
	case DOC_MAP:
		for (i = 0; i < n->u.map.n; i++) {
			if (n->u.map.pairs[i].key->type != DOC_STRING)
				abort();
			walk(n->u.map.pairs[i].val, budget);
		}
		break;
	case DOC_STRING:
	case DOC_INT:
	case DOC_FLOAT:
		if (n->str == NULL || n->str[n->len] != '\0')
			abort();
		break;
	default:
		break;
	}
}

static int
each(void *ctx, struct doc_node *elem, struct arena *a)
{
	uint64_t budget = 1000000;

	(void)ctx;
	(void)a;
	walk(elem, &budget);
	return 0;
}

static void
check(int rc, const struct diag *d)
{
	if (rc == -1 && d->nerrors == 0)
		abort(); /* a failure without a diagnostic */
	if (rc == 0 && d->nerrors != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct load_limits lim;
	struct doc_node **docs;
	struct arena *a;
	struct diag d;
	size_t n, i;
	int rc;

	load_limits_default(&lim);
	lim.max_depth = 64;
	lim.max_alias_nodes = 10000;
	diag_init(&d);
	if ((a = arena_new()) != NULL) {
		rc = doc_load_buf(a, &d, "fuzz.yaml", (const char *)data, size,
		    DOC_FMT_YAML, &lim, &docs, &n);
		check(rc, &d);
		for (i = 0; i < n; i++)
			each(NULL, docs[i], a);
		arena_free(a);
	}
	diag_clear(&d);
	rc = doc_stream_buf(&d, "fuzz.yaml", (const char *)data, size,
	    DOC_FMT_YAML, "items[*]", &lim, each, NULL, NULL);
	check(rc, &d);
	diag_clear(&d);
	rc = doc_stream_buf(&d, "fuzz.yaml", (const char *)data, size,
	    DOC_FMT_YAML, NULL, &lim, each, NULL, NULL);
	check(rc, &d);
	diag_free(&d);
	return 0;
}
