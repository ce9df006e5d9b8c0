/*
 * cmd_report.c: `rampart report REPORT.json --format F[,F...]` (issue
 * 10): write a JSON report again in other formats, offline.  The report
 * is read whole into an assessment (reports/read.c) with the definitions
 * its provenance names (baseline, mapping, rules, POA&M, attestations,
 * CRM, scope), each of which must still have the digest the report
 * pinned; controls and the verdict are decided again (decide()) and
 * every writer writes from that assessment, so `report --format text`
 * prints what `scan --format text` printed, byte for byte.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "reports/report.h"

enum {
	R_FORMAT = 1,
	R_OUTPUT,
	R_OUTPUT_DIR,
	R_BASELINE,
	R_VERBOSE,
	R_HELP,
};

const struct opt report_opts[] = {
	{ "format", 'f', "F[,F...]", R_FORMAT, 0,
	    "formats to write (default text)", NULL },
	{ "output", 'o', "FILE", R_OUTPUT, 0,
	    "write the (single) report to FILE atomically", NULL },
	{ "output-dir", 0, "DIR", R_OUTPUT_DIR, 0,
	    "write each format to DIR under its fixed name", NULL },
	{ "baseline", 'b', "NAME|FILE", R_BASELINE, 0,
	    "the baseline the report was made with (default: the one its "
	    "provenance pins)",
	    NULL },
	{ "verbose", 'v', NULL, R_VERBOSE, 0,
	    "list passing checks in the text report", NULL },
	{ "help", 'h', NULL, R_HELP, 0, "show this help", NULL },
	OPT_END,
};

#define REPORT_MAX_FORMATS 16

struct report_args {
	const char *report, *format, *output, *output_dir, *baseline;
	int verbose;
};

static void
report_help(const struct command *cmd)
{
	cli_help(cmd, stdout);
	printf("\nWrite a JSON report of `rampart scan` (or `merge`) again "
	       "in other formats,\noffline: its check outcomes are read "
	       "back and controls and the verdict\ndecided again with the "
	       "baseline, mapping, rules, POA&M, attestations, CRM\nand "
	       "scope its provenance pins, which must still have the pinned "
	       "digests\n(a report without provenance, written to standard "
	       "output, needs -b).\n\nexit: as `rampart scan`: 0 eligible, "
	       "1 not eligible, 2 usage, 3 invalid\n      input (another "
	       "baseline or changed files included), 4 incomplete,\n      5 "
	       "system error\n");
}

static int
parse_args(struct cli *c, const struct command *cmd, int argc, char **argv,
    struct report_args *a)
{
	struct opt_parse p;
	int o;

	memset(a, 0, sizeof(*a));
	opt_init(&p, c, cmd, argc, argv);
	while ((o = opt_next(&p)) != -1) {
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (a->report != NULL)
				return cli_usage_err(
				    cmd, "one report at a time");
			a->report = opt_operand(&p);
			break;
		case R_FORMAT:
			a->format = p.arg;
			break;
		case R_OUTPUT:
			a->output = p.arg;
			break;
		case R_OUTPUT_DIR:
			a->output_dir = p.arg;
			break;
		case R_BASELINE:
			a->baseline = p.arg;
			break;
		case R_VERBOSE:
			a->verbose = 1;
			break;
		case R_HELP:
			report_help(cmd);
			return -1;
		default:
			return opt_unhandled(&p, o);
		}
	}
	if (a->report == NULL)
		return cli_usage_err(cmd, "missing the JSON report");
	if (a->output != NULL && a->output_dir != NULL)
		return cli_usage_err(
		    cmd, "--output and --output-dir exclude each other");
	return 0;
}

/* Everything the command loads; freed by state_free(). */
struct report_state {
	struct arena *a;
	struct report_doc *rd;
	struct report_setup s;
	struct report_defs df;
	struct run *r;
	struct report_opts ro;
};

static void
state_free(struct report_state *st)
{
	run_free(st->r);
	report_defs_free(&st->df);
	report_doc_free(st->rd);
	arena_free(st->a);
}

/* Read the report, load what it names and read it into an assessment. */
static int
load(struct diag *d, const struct report_args *a, struct report_state *st)
{
	struct mark m = { a->report, 0, 0 };

	if ((st->a = arena_new()) == NULL)
		return diag_sys(d, NULL, "out of memory");
	if (report_doc_load(d, a->report, &st->rd) == -1)
		return -1;
	if (st->rd->provenance != NULL) {
		if (report_setup_read(st->a, d, st->rd, 0, &st->s) == -1 ||
		    report_setup_check(d, &st->s) == -1)
			return -1;
	} else {
		if (a->baseline == NULL)
			return diag_err(d, &m,
			    "the report has no provenance (it was written to "
			    "standard output): name its baseline with -b");
		memset(&st->s, 0, sizeof(st->s));
		st->s.ro.max_results = RUN_DEFAULT_MAX_RESULTS;
		load_limits_default(&st->s.ro.lim);
	}
	if (a->baseline != NULL)
		st->s.baseline = a->baseline;
	if (report_defs_load(d, &st->s, &st->df) == -1 ||
	    report_read_assessment(d, st->rd, &st->df, &st->s.ro, &st->r) ==
		-1 ||
	    report_read_opts(d, st->a, st->rd, &st->ro) == -1)
		return -1;
	st->ro.verbose = a->verbose;
	return 0;
}

/* The writers of the --format list into ws (*n of them). */
static int
formats(const struct command *cmd, const char *list, const struct writer **ws,
    size_t *n)
{
	char buf[256], *p, *comma;

	*n = 0;
	if ((size_t)snprintf(buf, sizeof(buf), "%s", list ? list : "text") >=
	    sizeof(buf))
		return cli_usage_err(cmd, "format list too long");
	for (p = buf; p != NULL; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		if (*n == REPORT_MAX_FORMATS ||
		    (ws[(*n)++] = writer_find(p)) == NULL)
			return cli_usage_err(cmd, "unknown format '%s'", p);
	}
	return 0;
}

static int
write_reports(struct cli *c, const struct command *cmd,
    const struct report_args *a, struct diag *d, struct report_state *st)
{
	const struct writer *ws[REPORT_MAX_FORMATS];
	char path[4096];
	size_t n, i;
	int rc;

	if ((rc = formats(cmd, a->format, ws, &n)) != 0)
		return rc;
	if (a->output_dir == NULL && n != 1)
		return cli_usage_err(cmd, "several formats need --output-dir");
	if (a->output == NULL && a->output_dir == NULL) {
		st->ro.color = c->color_out && strcmp(ws[0]->name, "text") == 0;
		return ws[0]->write(stdout, &st->r->as, &st->ro) == -1
		    ? EXIT_SYSTEM
		    : 0;
	}
	if (a->output != NULL)
		return report_write(d, ws[0], &st->r->as, &st->ro, a->output) ==
			-1
		    ? EXIT_SYSTEM
		    : 0;
	if (mkdir(a->output_dir, 0755) == -1 && errno != EEXIST) {
		struct mark mk = { a->output_dir, 0, 0 };

		diag_sys(
		    d, &mk, "cannot create directory: %s", strerror(errno));
		return EXIT_SYSTEM;
	}
	for (i = 0; i < n; i++)
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", a->output_dir,
			ws[i]->filename) >= sizeof(path) ||
		    report_write(d, ws[i], &st->r->as, &st->ro, path) == -1)
			return EXIT_SYSTEM;
	return 0;
}

int
cmd_report(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("report");
	struct report_args a;
	struct report_state st;
	struct diag d;
	int rc;

	if ((rc = parse_args(c, cmd, argc, argv, &a)) != 0)
		return rc == -1 ? 0 : rc;
	diag_init(&d);
	memset(&st, 0, sizeof(st));
	if (load(&d, &a, &st) == -1)
		rc = cli_exit_for(&d);
	else if ((rc = write_reports(c, cmd, &a, &d, &st)) == 0)
		rc = st.r->as.exit_verdict == VERDICT_ELIGIBLE ? EXIT_ELIGIBLE
		    : st.r->as.exit_verdict == VERDICT_NOT_ELIGIBLE
		    ? EXIT_NOT_ELIGIBLE
		    : EXIT_INCOMPLETE;
	if (d.n > 0)
		cli_diag(c, &d);
	if (rc == EXIT_INVALID_INPUT)
		fprintf(stderr,
		    "rampart report: report refused; nothing "
		    "written\n");
	state_free(&st);
	diag_free(&d);
	return rc;
}
