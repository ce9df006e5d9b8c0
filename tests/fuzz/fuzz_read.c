/*
 * fuzz_read.c: the JSON report reader (reports/read.c) on arbitrary
 * bytes, as `rampart merge` meets shard reports: parse, read the check
 * outcomes into a run of tests/fixtures/scale/mini-baseline.yaml, order
 * and cap them, decide.  Invariants: a refusal always comes with an
 * error diagnostic; after a successful read every listed result names an
 * input of the run, no check lists more results of a status than the
 * cap, and the run decides.  The rule set and baseline are loaded once
 * (run from the repository root: shipped packs under rules/).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rule_set *rs;
static struct baseline *bl;

static void
load_once(void)
{
	struct diag d;

	if (rs != NULL)
		return;
	setenv("RAMPART_RULES_DIR", "rules", 0);
	diag_init(&d);
	if ((rs = rule_set_new()) == NULL ||
	    rule_set_load_shipped(rs, &d) == -1 ||
	    (bl = baseline_load(
		 &d, "tests/fixtures/scale/mini-baseline.yaml", rs)) == NULL)
		abort();
	diag_free(&d);
}

/* The invariants of a run read back and decided. */
static void
check_run(const struct run *r)
{
	size_t i, k, listed[ST_COUNT];
	int s;

	for (i = 0; i < r->as.nchecks; i++) {
		memset(listed, 0, sizeof(listed));
		if (r->as.checks[i].ntracked != r->as.checks[i].n)
			abort();
		for (k = 0; k < r->as.checks[i].n; k++) {
			s = (int)r->as.checks[i].results[k].status;
			if (s < 0 || s >= ST_COUNT ||
			    r->as.checks[i].result_input[k] >= r->as.ninputs)
				abort();
			if (++listed[s] > r->as.opts.max_results)
				abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_doc *rd = NULL;
	struct run_opts ro;
	struct run *r = NULL;
	struct diag d;
	char *buf;

	load_once();
	diag_init(&d);
	if ((buf = lib_malloc(size + 1)) == NULL)
		goto out;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (report_doc_from_buf(&d, "fuzz.json", buf, size, &rd) == -1) {
		if (d.nerrors == 0)
			abort();
		goto out;
	}
	memset(&ro, 0, sizeof(ro));
	ro.now = 1795737600;
	ro.max_results = 2;
	load_limits_default(&ro.lim);
	if ((r = run_new(&d, bl, rs, NULL, &ro)) == NULL)
		goto out;
	if (report_read_outcomes(r, rd) == -1 || run_merge_order(r) == -1) {
		if (d.nerrors == 0)
			abort();
		goto out;
	}
	check_run(r);
	if (run_finish(r) == -1 && d.nerrors == 0)
		abort();
out:
	run_free(r);
	report_doc_free(rd);
	diag_free(&d);
	return 0;
}
