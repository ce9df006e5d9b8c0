/*
 * placement.h: writers of the placement report (`rampart place`), one per
 * format in one sorted table, over the decision rules/marketplace.c made.
 */
#ifndef RAMPART_PLACEMENT_H
#define RAMPART_PLACEMENT_H

#include "rules/marketplace.h"

/* Everything a placement report shows; all borrowed. */
struct placement_report {
	const struct mkt_feed *feed;
	const struct mkt_workload *w;
	const struct mkt_placement *p;
	const struct mkt_evidence *ev; /* every evidence report given */
	size_t nev;
	int64_t decided; /* time of the decision, epoch seconds */
	const char *tool_version;
	/* Warnings of the decision (stale feed, a provider with no
	 * offering, unused evidence), shown by every format. */
	const char *const *warnings;
	size_t nwarnings;
	int color; /* text: ANSI colour */
};

struct placement_writer {
	const char *name; /* "json" */
	const char *filename; /* name in --output-dir */
	int (*write)(FILE *fp, const struct placement_report *r);
};

/* The writer of that format, or NULL.  The table is sorted by name. */
const struct placement_writer *placement_writer_find(const char *name);
/* The names of every format, comma separated (for messages). */
const char *placement_formats(void);

#endif /* RAMPART_PLACEMENT_H */
