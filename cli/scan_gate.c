/*
 * scan_gate.c: choosing and gating for `rampart scan`.  The selection
 * (--check, --skip-check, --severity) is a tailoring: every glob must name
 * a loaded check, and its text goes into the run so every report states
 * it and the signed statement pins it.  --fail-on and --new-since change
 * only which failures make exit 1; the verdict is stated as it is.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/scan_gate.h"
#include "reports/report.h"

/* Report a glob that names no loaded check, with the closest id. */
static int
no_match(const struct command *cmd, const struct rule_set *rs, const char *opt,
    const char *glob)
{
	const char **names, *near = NULL;
	size_t i;

	if ((names = lib_calloc(rs->n + 1, sizeof(*names))) != NULL) {
		for (i = 0; i < rs->n; i++)
			names[i] = rs->v[i]->id;
		near = cli_suggest(glob, names, rs->n);
	}
	fprintf(stderr, "rampart %s: %s '%s' matches no check", cmd->name, opt,
	    glob);
	if (near != NULL)
		fprintf(stderr, " (did you mean '%s'?)", near);
	fprintf(stderr, "\nsee 'rampart checks list'\n");
	lib_free(names);
	return EXIT_USAGE;
}

static int
check_globs(const struct command *cmd, const struct rule_set *rs,
    const char *opt, const char *const *g, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < rs->n; j++)
			if (fnmatch(g[i], rs->v[j]->id, 0) == 0)
				break;
		if (j == rs->n)
			return no_match(cmd, rs, opt, g[i]);
	}
	return 0;
}

int
scan_selection(const struct command *cmd, struct arena *a,
    const struct rule_set *rs, const struct scan_select *in,
    struct run_selection *sel)
{
	struct strbuf sb;
	size_t i;
	int rc;

	memset(sel, 0, sizeof(*sel));
	if ((rc = check_globs(cmd, rs, "--check", in->only, in->nonly)) != 0 ||
	    (rc = check_globs(cmd, rs, "--skip-check", in->skip, in->nskip)) !=
		0)
		return rc;
	sel->only = in->only;
	sel->nonly = in->nonly;
	sel->skip = in->skip;
	sel->nskip = in->nskip;
	sel->min_severity = SEV_INFO;
	if (in->severity != NULL &&
	    severity_parse(in->severity, &sel->min_severity) == -1)
		return cli_usage_err(
		    cmd, "unknown severity '%s'", in->severity);
	if (in->nonly == 0 && in->nskip == 0 && sel->min_severity == SEV_INFO)
		return 0; /* every check: a full run */
	/* The tailoring as the command line states it. */
	sb_init(&sb);
	for (i = 0; i < in->nonly; i++)
		sb_printf(&sb, "%s--check %s", sb.len ? " " : "", in->only[i]);
	for (i = 0; i < in->nskip; i++)
		sb_printf(
		    &sb, "%s--skip-check %s", sb.len ? " " : "", in->skip[i]);
	if (sel->min_severity != SEV_INFO)
		sb_printf(&sb, "%s--severity %s", sb.len ? " " : "",
		    severity_name(sel->min_severity));
	sel->text = sb.oom ? NULL : arena_strdup(a, sb.s);
	sb_free(&sb);
	if (sel->text == NULL) {
		fprintf(stderr, "rampart %s: out of memory\n", cmd->name);
		return EXIT_SYSTEM;
	}
	return 0;
}

static int
fp_cmp(const void *key, const void *elem)
{
	return strcmp(key, elem);
}

/*
 * Whether the failures of check outcome o are all in the previous
 * report: each listed failing result by fingerprint; failures past the
 * --max-results cap cannot be compared, so they count as new.
 */
static int
all_known(const struct check_outcome *o, const struct report_findings *prev,
    struct scan_gate *g, struct arena *a)
{
	char fp[SHA256_HEX_LEN + 1];
	size_t i, listed = 0;
	int known = 1;

	for (i = 0; i < o->n; i++) {
		if (o->results[i].status != ST_FAIL)
			continue;
		listed++;
		report_fingerprint(o->rule->id, o->results[i].resource_type,
		    o->results[i].resource_id, o->results[i].region, fp);
		if (bsearch(fp, prev->fp, prev->n, sizeof(prev->fp[0]),
			fp_cmp) == NULL) {
			known = 0;
			g->nnew++;
		} else if (g->nknown < SCAN_GATE_MAX_KNOWN) {
			g->known[g->nknown++] = arena_strdup(a, fp);
		}
	}
	if (listed < o->counts[ST_FAIL]) {
		g->nnew += o->counts[ST_FAIL] - listed;
		known = 0;
	}
	return known;
}

int
scan_gate_exit(const struct assessment *r, const char *fail_on,
    const struct report_findings *prev, struct arena *a, struct scan_gate *g,
    int rc)
{
	const struct control_outcome *co;
	const struct check_outcome *o;
	enum severity min = SEV_INFO;
	size_t i, j, k, gating = 0, seen;

	memset(g, 0, sizeof(*g));
	if (fail_on == NULL && prev == NULL)
		return rc;
	if (fail_on != NULL)
		severity_parse(fail_on, &min); /* checked by the parser */
	/* Each failing check once, whatever the number of its controls. */
	for (i = 0; i < r->nchecks; i++) {
		o = &r->checks[i];
		if (o->status != ST_FAIL)
			continue;
		/* Failing for a control at least (not waived everywhere). */
		seen = 0;
		for (j = 0; j < r->ncontrols && !seen; j++) {
			co = &r->controls[j];
			for (k = 0; k < co->nchecks; k++)
				if (co->checks[k].outcome == o &&
				    co->checks[k].status == ST_FAIL)
					seen = 1;
		}
		if (!seen)
			continue;
		if (o->rule->severity < min) {
			g->nbelow++;
			continue;
		}
		if (prev != NULL && all_known(o, prev, g, a))
			continue;
		gating++;
	}
	if (gating > 0)
		return EXIT_NOT_ELIGIBLE;
	if (r->exit_verdict != VERDICT_NOT_ELIGIBLE)
		return rc;
	/*
	 * Every failure is below --fail-on or already known: not exit 1.
	 * Under --gate checks the other checks decide (errors: 4); under
	 * --gate eligibility a control with a failure is never stated as
	 * passing, so the run stays incomplete.
	 */
	if (r->opts.gate == GATE_CHECKS)
		return r->count_bindings[ST_ERROR] > 0 ? EXIT_INCOMPLETE
						       : EXIT_ELIGIBLE;
	return EXIT_INCOMPLETE;
}
