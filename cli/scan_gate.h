/*
 * scan_gate.h: choosing and gating for `rampart scan` (scan_gate.c).
 */
#ifndef RAMPART_SCAN_GATE_H
#define RAMPART_SCAN_GATE_H

#include "cli/cli.h"
#include "rules/rules.h"

/* What the command line chose: --check, --skip-check, --severity. */
struct scan_select {
	const char *const *only;
	size_t nonly;
	const char *const *skip;
	size_t nskip;
	const char *severity; /* NULL: every severity */
};

/*
 * Check the selection against the loaded checks (a glob naming none is a
 * usage error, with the closest id) and fill sel, its text in arena a
 * (NULL for a full run).  0, or an exit code (reported).
 */
int scan_selection(const struct command *cmd, struct arena *a,
    const struct rule_set *rs, const struct scan_select *in,
    struct run_selection *sel);

#define SCAN_GATE_MAX_KNOWN 4096

/* What --fail-on and --new-since made of the failures. */
struct scan_gate {
	size_t nbelow; /* failing checks below --fail-on */
	size_t nnew; /* failing findings absent from --new-since's report */
	/* Fingerprints of failing findings it already had (sorted input). */
	const char *known[SCAN_GATE_MAX_KNOWN];
	size_t nknown;
};

/*
 * The exit code of a finished run under --fail-on LEVEL (NULL: any) and
 * --new-since (prev NULL: none), from rc, the verdict's code: exit 1 only
 * for a failing check at or above LEVEL with a finding prev lacks.  The
 * known findings' fingerprints go to g (strings in arena a).
 */
int scan_gate_exit(const struct assessment *r, const char *fail_on,
    const struct report_findings *prev, struct arena *a, struct scan_gate *g,
    int rc);

#endif /* RAMPART_SCAN_GATE_H */
