/*
 * fuzz_marketplace.c: the FedRAMP Marketplace feed loader and the
 * placement decision (rules/marketplace.c) on arbitrary JSON.
 * Invariants: a refusal always comes with an error diagnostic; an accepted
 * feed has offerings sorted by unique, non-empty id whose parsed status and
 * level agree with their text; for every workload level, a candidate is
 * eligible only when it is FedRAMP Authorized at that level or above and
 * every offering it is built on is too, and the verdict agrees with the
 * counts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/marketplace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_decision(const struct mkt_feed *f, enum mkt_level lvl)
{
	struct mkt_workload w;
	struct mkt_placement p;
	struct arena *a;
	const struct mkt_candidate *c;
	size_t i, j;

	memset(&w, 0, sizeof(w));
	w.name = "fuzz";
	w.impact = lvl;
	w.baseline = "fedramp-moderate";
	if ((a = arena_new()) == NULL)
		return;
	if (mkt_decide(a, f, &w, NULL, 0, 0, &p) == 0) {
		if (p.n != f->n)
			abort();
		for (i = 0; i < p.n; i++) {
			c = &p.v[i];
			if (c->decision != MKT_ELIGIBLE)
				continue;
			if (c->o->st != MKT_ST_AUTHORIZED ||
			    c->o->level < lvl || c->nreasons != 0)
				abort();
			for (j = 0; j < c->nbases; j++)
				if (c->bases[j].o->st != MKT_ST_AUTHORIZED ||
				    c->bases[j].o->level < lvl ||
				    c->bases[j].o == c->o)
					abort();
		}
		if ((p.verdict == MKT_ELIGIBLE) != (p.count[MKT_ELIGIBLE] > 0))
			abort();
		if (p.count[0] + p.count[1] + p.count[2] != p.n)
			abort();
	}
	arena_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	struct mkt_feed *f;
	size_t i;
	int x;

	diag_init(&d);
	f = mkt_feed_load_buf(&d, "fuzz.json", (const char *)data, size);
	if (f == NULL) {
		if (d.nerrors == 0)
			abort();
		diag_free(&d);
		return 0;
	}
	for (i = 0; i < f->n; i++) {
		if (f->v[i].id[0] == '\0')
			abort();
		if (i > 0 && strcmp(f->v[i - 1].id, f->v[i].id) >= 0)
			abort();
		if (mkt_level_from_feed(f->v[i].impact_level, &x) !=
		    f->v[i].level)
			abort();
		if (mkt_status_from_feed(f->v[i].status) != f->v[i].st)
			abort();
	}
	check_decision(f, MKT_LVL_LI_SAAS);
	check_decision(f, MKT_LVL_MODERATE);
	check_decision(f, MKT_LVL_HIGH);
	mkt_feed_free(f);
	diag_free(&d);
	return 0;
}
