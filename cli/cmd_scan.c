/*
 * cmd_scan.c: `rampart scan`, the main job: load a baseline and the rule
 * packs, stream every input through the checks, aggregate, decide the
 * verdict, write the reports, exit with the verdict's code.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/scan_gate.h"
#include "cli/scan_inputs.h"
#include "cli/scan_tls.h"
#include "reports/report.h"
#include "reports/sign.h"

enum {
	O_BASELINE = 1,
	O_INPUT,
	O_INPUT_FORMAT,
	O_POAM,
	O_PLUGIN,
	O_RULES,
	O_FORMAT,
	O_OUTPUT,
	O_OUTPUT_DIR,
	O_FIXED_TIME,
	O_MAX_RESULTS,
	O_MAX_ITEMS,
	O_REQUIRE_ATTEST,
	O_VERBOSE,
	O_SIGN,
	O_PASSFILE,
	O_TSA,
	O_TSA_CA,
	O_HELP,
	O_CRM,
	O_ATTEST,
	O_TLS,
	O_TLS_TARGETS,
	O_TLS_CA,
	O_TIMEOUT,
	O_CTIMEOUT,
	O_HTIMEOUT,
	O_SCOPE,
	O_GATE,
	O_MAX_AGE,
	O_ASSESSOR,
	O_SYSTEM,
	O_PREVIOUS,
	O_CHECK,
	O_SKIP_CHECK,
	O_SEVERITY,
	O_FAIL_ON,
	O_NEW_SINCE,
	O_QUIET,
	O_COLOR,
	O_SARIF_PASSES,
	O_CONFIG,
	O_INPUTS_FROM,
	O_INPUT_EACH,
	O_JOBS,
	O_SHARD
};

#define SEVERITIES "info|low|medium|high|critical"

/* One line per option: name, short, argument, id, flags, help, values. */
const struct opt scan_opts[] = {
	{ "baseline", 'b', "NAME|FILE", O_BASELINE, OPT_CFG,
	    "shipped baseline name or a baseline file (required)", NULL },
	{ "input", 'i', "PATH", O_INPUT, OPT_REPEAT,
	    "export file or directory, - for standard input", NULL },
	{ "inputs-from", 0, "FILE", O_INPUTS_FROM, OPT_REPEAT,
	    "more inputs, one path a line ('#' comments)", NULL },
	{ "input-each", 0, "DIR", O_INPUT_EACH, OPT_REPEAT,
	    "each entry of DIR is one input (sorted)", NULL },
	{ "jobs", 'j', "N", O_JOBS, OPT_CFG,
	    "read inputs with N workers (default: online CPUs); the report "
	    "is the same whatever N is",
	    NULL },
	{ "shard", 0, "K/N", O_SHARD, 0,
	    "take part K of N of the inputs and TLS targets (stable hash; "
	    "`rampart merge` joins the parts)",
	    NULL },
	{ "input-format", 0, "F", O_INPUT_FORMAT, OPT_CFG,
	    "adapter to use instead of detection (see below)", NULL },
	{ "format", 'f', "F[,F...]", O_FORMAT, OPT_CFG,
	    "report formats (see below; default text)", NULL },
	{ "json", 0, NULL, O_FORMAT, OPT_ALIAS, "--format json", "json" },
	{ "output", 'o', "FILE", O_OUTPUT, 0,
	    "write the (single) report to FILE atomically", NULL },
	{ "output-dir", 0, "DIR", O_OUTPUT_DIR, OPT_CFG,
	    "write each format to DIR under its fixed name", NULL },
	{ "fixed-time", 0, "T", O_FIXED_TIME, OPT_CFG,
	    "evaluate and stamp reports at T (RFC 3339 or YYYY-MM-DD, UTC)",
	    NULL },
	{ "time", 0, "T", O_FIXED_TIME, OPT_ALIAS, "--fixed-time", NULL },
	{ "now", 0, "T", O_FIXED_TIME, OPT_ALIAS, "--fixed-time", NULL },
	{ "check", 0, "ID", O_CHECK, OPT_REPEAT | OPT_CFG,
	    "run only the checks matching ID (a glob; a tailoring: reports "
	    "say so and skipped controls stay open)",
	    NULL },
	{ "skip-check", 0, "ID", O_SKIP_CHECK, OPT_REPEAT | OPT_CFG,
	    "do not run the checks matching ID (a glob; a tailoring)", NULL },
	{ "severity", 0, "LEVEL", O_SEVERITY, OPT_CFG,
	    "run only checks at or above LEVEL (a tailoring)", SEVERITIES },
	{ "fail-on", 0, "LEVEL", O_FAIL_ON, OPT_CFG,
	    "only failures at or above LEVEL make exit 1 (others are still "
	    "reported)",
	    SEVERITIES },
	{ "new-since", 0, "REPORT", O_NEW_SINCE, 0,
	    "exit 1 only for failures absent from this earlier JSON report "
	    "(the others are reported as known)",
	    NULL },
	{ "gate", 0, "WHAT", O_GATE, OPT_CFG,
	    "what decides the exit code: every control (eligibility), or the "
	    "automated checks alone (checks: CI, not an eligibility decision)",
	    "eligibility|checks" },
	{ "poam", 0, "FILE", O_POAM, OPT_CFG,
	    "POA&M items that waive failures until they expire", NULL },
	{ "crm", 0, "FILE", O_CRM, OPT_CFG,
	    "provider's customer responsibility matrix: inherited controls "
	    "are the provider's",
	    NULL },
	{ "attest", 0, "FILE", O_ATTEST, OPT_CFG,
	    "attestations deciding manual controls until they expire", NULL },
	{ "scope", 0, "FILE", O_SCOPE, OPT_CFG,
	    "declared out-of-scope resource types and not-applicable "
	    "controls, each with a reason",
	    NULL },
	{ "require-attestations", 0, NULL, O_REQUIRE_ATTEST, OPT_CFG,
	    "kept for old scripts: open controls always keep the verdict "
	    "incomplete",
	    NULL },
	{ "plugin", 0, "FILE.so", O_PLUGIN, OPT_REPEAT | OPT_CFG,
	    "load an external check plugin", NULL },
	{ "rules", 0, "PATH", O_RULES, OPT_REPEAT | OPT_CFG,
	    "extra rule pack file or directory", NULL },
	{ "max-evidence-age", 0, "DAYS", O_MAX_AGE, OPT_CFG,
	    "evidence collected more than DAYS ago is error (default 30, 0 = "
	    "no limit)",
	    NULL },
	{ "max-results", 0, "N", O_MAX_RESULTS, OPT_CFG,
	    "keep at most N results per check and status (0 = all)", NULL },
	{ "max-items", 0, "N", O_MAX_ITEMS, OPT_CFG,
	    "show at most N resources per check and status in text, markdown, "
	    "html (default 50, html all; 0 = all)",
	    NULL },
	{ "assessor", 0, "NAME", O_ASSESSOR, OPT_CFG,
	    "the assessor or operator (OSCAL and POA&M parties)", NULL },
	{ "system", 0, "NAME", O_SYSTEM, OPT_CFG,
	    "the system or cloud service provider assessed", NULL },
	{ "previous", 0, "FILE", O_PREVIOUS, 0,
	    "a previous report.poam.oscal.json: POA&M items keep their "
	    "original detection date",
	    NULL },
	{ "tls", 0, "HOST[:PORT]", O_TLS, OPT_REPEAT,
	    "probe a TLS endpoint as evidence", NULL },
	{ "targets", 0, "FILE", O_TLS_TARGETS, OPT_REPEAT,
	    "TLS endpoints, one 'HOST[:PORT] [SNI]' per line", NULL },
	{ "tls-targets", 0, "FILE", O_TLS_TARGETS, OPT_ALIAS | OPT_REPEAT,
	    "--targets", NULL },
	{ "ca-file", 0, "PEM", O_TLS_CA, OPT_CFG,
	    "trust anchors for TLS endpoints (default: system)", NULL },
	{ "tls-ca-file", 0, "PEM", O_TLS_CA, OPT_ALIAS, "--ca-file", NULL },
	{ "timeout", 0, "S", O_TIMEOUT, OPT_CFG,
	    "TLS connect and handshake timeout, seconds", NULL },
	{ "tls-timeout", 0, "S", O_TIMEOUT, OPT_ALIAS, "--timeout", NULL },
	{ "connect-timeout", 0, "S", O_CTIMEOUT, OPT_CFG,
	    "TLS connect timeout alone, seconds", NULL },
	{ "handshake-timeout", 0, "S", O_HTIMEOUT, OPT_CFG,
	    "TLS handshake deadline alone, seconds", NULL },
	{ "verbose", 'v', NULL, O_VERBOSE, OPT_CFG,
	    "list passing checks in the text report", NULL },
	{ "quiet", 'q', NULL, O_QUIET, OPT_CFG,
	    "no summary on stdout when writing files, no progress", NULL },
	{ "color", 0, "WHEN", O_COLOR, OPT_CFG,
	    "colour in text output (auto: a terminal, NO_COLOR unset, TERM "
	    "not dumb)",
	    "auto|always|never" },
	{ "sarif-include-passes", 0, NULL, O_SARIF_PASSES, OPT_CFG,
	    "SARIF lists passing results too (default: failing and errored)",
	    NULL },
	{ "sign", 0, "KEY", O_SIGN, 0,
	    "sign every report written: <file>.sigstore.json beside it", NULL },
	{ "passphrase-file", 0, "F", O_PASSFILE, 0,
	    "passphrase of an encrypted KEY (else RAMPART_PASSPHRASE)", NULL },
	{ "tsa-url", 0, "URL", O_TSA, OPT_CFG,
	    "add an RFC 3161 timestamp from this http:// TSA", NULL },
	{ "tsa-ca", 0, "FILE", O_TSA_CA, OPT_CFG,
	    "check the TSA's reply against these CA certificates", NULL },
	{ "config", 0, "FILE", O_CONFIG, OPT_CFGFILE,
	    "configuration file (default ./.rampart.yaml when present)", NULL },
	{ "no-config", 0, NULL, O_CONFIG, OPT_CFGFILE,
	    "ignore .rampart.yaml and RAMPART_* variables", NULL },
	{ "help", 'h', NULL, O_HELP, 0, "show this help", NULL },
	LIMIT_OPTS,
	OPT_END,
};

#define MAX_LIST 64

struct scan_args {
	const char *baseline;
	struct scan_list inputs; /* --input, --inputs-from, --input-each */
	unsigned jobs; /* --jobs, default: online CPUs */
	unsigned shard_k, shard_n; /* --shard K/N; shard_n 0 = none */
	const char *plugins[MAX_LIST];
	size_t nplugins;
	const char *rules[MAX_LIST];
	size_t nrules;
	const char *input_format;
	const char *poam;
	const char *crm;
	const char *attest;
	const char *scope;
	const char *assessor; /* OSCAL and POA&M parties */
	const char *system;
	const char *previous; /* a previous report.poam.oscal.json */
	enum gate gate;
	long long max_age_days;
	const char *format;
	const char *output;
	const char *output_dir;
	const char *sign; /* private key: sign every report written */
	const char *passfile;
	const char *tsa_url;
	const char *tsa_ca; /* check the TSA's reply against these CAs */
	int64_t fixed_time;
	long long max_results;
	long long max_items; /* -1 = each format's default */
	int require_attest;
	int verbose;
	int quiet;
	int color_mode; /* 0 auto, 1 always, 2 never */
	int sarif_passes;
	const char *checks[MAX_LIST]; /* --check globs */
	size_t nchecks;
	const char *skips[MAX_LIST]; /* --skip-check globs */
	size_t nskips;
	const char *severity; /* --severity LEVEL or NULL */
	const char *fail_on; /* --fail-on LEVEL or NULL */
	const char *new_since; /* --new-since REPORT or NULL */
	struct cli_config cfg; /* what the configuration sources gave */
	struct scan_tls_args tls;
	struct load_limits lim;
};

/* Print " word", or a new indented line first past 79 columns. */
static int
help_word(int col, const char *word)
{
	int n = (int)strlen(word) + 1;

	if (col + n > 79) {
		fputs("\n ", stdout);
		col = 1;
	}
	printf(" %s", word);
	return col + n;
}

static void
scan_help(const struct command *cmd)
{
	size_t i;
	int col;

	cli_help(cmd, stdout);
	col = printf("\nreport formats:") - 1;
	for (i = 0; i < nwriters; i++)
		col = help_word(col, writers[i]->name);
	col = printf("\ninput formats:") - 1;
	for (i = 0; i < nadapters; i++)
		col = help_word(col, adapters[i]->name);
	printf("\n\nexit: 0 eligible, 1 not eligible, 2 usage, 3 invalid "
	       "input, 4 incomplete,\n      5 system error\n");
	cli_limit_help(stdout);
}

static int
parse_num(
    const struct command *cmd, const char *arg, long long max, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(arg, &end, 10);
	if (errno || *end || end == arg || *out < 0 || *out > max)
		return cli_usage_err(
		    cmd, "invalid number '%s' (0 to %lld)", arg, max);
	return 0;
}

/* Seconds (0 < S <= 600) into milliseconds. */
static int
parse_timeout(const struct command *cmd, const char *arg, int *ms)
{
	double secs;
	char *end;

	errno = 0;
	secs = strtod(arg, &end);
	/* Range-check before the cast: "1e999", "nan" and "inf" would make
	 * it undefined. */
	if (errno || *end || end == arg || !(secs > 0) || !(secs <= 600) ||
	    (int)(secs * 1000) <= 0)
		return cli_usage_err(
		    cmd, "invalid timeout '%s' (seconds)", arg);
	*ms = (int)(secs * 1000);
	return 0;
}

static int
add_list(const struct command *cmd, const char **v, size_t *n, const char *arg,
    const char *what)
{
	if (*n == MAX_LIST)
		return cli_usage_err(cmd, "too many %s", what);
	v[(*n)++] = arg;
	return 0;
}

/* The output, signing and TLS options of parse_args(). */
static int
scan_opt_out(struct opt_parse *p, int o, struct scan_args *a)
{
	const struct command *cmd = p->cmd;
	const char *arg = p->arg;

	switch (o) {
	case O_VERBOSE:
		a->verbose = 1;
		return 0;
	case O_QUIET:
		a->quiet = 1;
		return 0;
	case O_COLOR:
		a->color_mode = strcmp(arg, "always") == 0 ? 1
		    : strcmp(arg, "never") == 0            ? 2
							   : 0;
		return 0;
	case O_SARIF_PASSES:
		a->sarif_passes = 1;
		return 0;
	case O_SIGN:
		a->sign = arg;
		return 0;
	case O_PASSFILE:
		a->passfile = arg;
		return 0;
	case O_TSA:
		a->tsa_url = arg;
		return 0;
	case O_TSA_CA:
		a->tsa_ca = arg;
		return 0;
	case O_TLS:
		if (a->tls.ntargets == 64)
			return cli_usage_err(cmd, "too many --tls");
		a->tls.targets[a->tls.ntargets++] = arg;
		return 0;
	case O_TLS_TARGETS:
		if (a->tls.nfiles == 16)
			return cli_usage_err(cmd, "too many --targets");
		a->tls.files[a->tls.nfiles++] = arg;
		return 0;
	case O_TLS_CA:
		a->tls.ca_file = arg;
		return 0;
	case O_TIMEOUT:
		if (parse_timeout(cmd, arg, &a->tls.connect_timeout_ms) != 0)
			return EXIT_USAGE;
		a->tls.handshake_timeout_ms = a->tls.connect_timeout_ms;
		return 0;
	case O_CTIMEOUT:
		return parse_timeout(cmd, arg, &a->tls.connect_timeout_ms);
	case O_HTIMEOUT:
		return parse_timeout(cmd, arg, &a->tls.handshake_timeout_ms);
	default:
		if (o >= LIMIT_OPT_BASE && o < LIMIT_OPT_BASE + 4)
			return cli_limit_opt(cmd, o, arg, &a->lim);
		return opt_unhandled(p, o);
	}
}

/* Every name of a --format list is a writer: checked before the scan. */
static int
check_formats(const struct opt_parse *p, const char *list)
{
	const char *names[MAX_LIST], *s, *e;
	char one[64];
	size_t j, len;

	/* Each piece, empty ones too ("json," names an empty format). */
	for (s = list;; s = e + 1) {
		e = s + strcspn(s, ",");
		len = (size_t)(e - s);
		snprintf(one, sizeof(one), "%.*s", (int)len, s);
		if (len == 0 || len >= sizeof(one) ||
		    writer_find(one) == NULL) {
			for (j = 0; j < nwriters && j < MAX_LIST; j++)
				names[j] = writers[j]->name;
			return opt_bad_value(p, "format", one, names, j);
		}
		if (*e == '\0')
			return 0;
	}
}

/* The options that say what to read and how to split the work. */
static int
input_opt(
    const struct command *cmd, int o, const char *arg, struct scan_args *a)
{
	size_t j;

	switch (o) {
	case O_INPUT:
		for (j = 0; strcmp(arg, "-") == 0 && j < a->inputs.n; j++)
			if (strcmp(a->inputs.v[j], "-") == 0)
				return cli_usage_err(cmd,
				    "'--input -' given twice: standard input "
				    "can be read only once");
		return scan_list_add(cmd, &a->inputs, arg) != 0 ? EXIT_USAGE
								: 0;
	case O_INPUTS_FROM:
		return scan_inputs_from(cmd, &a->inputs, arg) != 0 ? EXIT_USAGE
								   : 0;
	case O_INPUT_EACH:
		return scan_input_each(cmd, &a->inputs, arg) != 0 ? EXIT_USAGE
								  : 0;
	case O_JOBS:
		return scan_jobs_parse(cmd, arg, &a->jobs) != 0 ? EXIT_USAGE
								: 0;
	case O_SHARD:
		return scan_shard_parse(cmd, arg, &a->shard_k, &a->shard_n) != 0
		    ? EXIT_USAGE
		    : 0;
	}
	return 0;
}

/* One option of parse_args(); 0, or an exit code. */
static int
scan_opt(struct opt_parse *p, int o, struct scan_args *a)
{
	const struct command *cmd = p->cmd;
	const char *arg = p->arg;
	const char *names[64];
	struct time_error terr;
	size_t j;

	switch (o) {
	case O_BASELINE:
		a->baseline = arg;
		return 0;
	case O_INPUT:
	case O_INPUTS_FROM:
	case O_INPUT_EACH:
	case O_JOBS:
	case O_SHARD:
		return input_opt(cmd, o, arg, a);
	case O_PLUGIN:
		return add_list(cmd, a->plugins, &a->nplugins, arg, "plugins");
	case O_RULES:
		return add_list(cmd, a->rules, &a->nrules, arg, "packs");
	case O_CHECK:
		return add_list(cmd, a->checks, &a->nchecks, arg, "--check");
	case O_SKIP_CHECK:
		return add_list(cmd, a->skips, &a->nskips, arg, "--skip-check");
	case O_INPUT_FORMAT:
		if (adapter_find(arg) == NULL) {
			for (j = 0; j < nadapters && j < 64; j++)
				names[j] = adapters[j]->name;
			return opt_bad_value(p, "input format", arg, names, j);
		}
		a->input_format = arg;
		return 0;
	case O_POAM:
		a->poam = arg;
		return 0;
	case O_CRM:
		a->crm = arg;
		return 0;
	case O_ATTEST:
		a->attest = arg;
		return 0;
	case O_FORMAT:
		a->format = arg;
		return check_formats(p, arg);
	case O_OUTPUT:
		a->output = arg;
		return 0;
	case O_OUTPUT_DIR:
		a->output_dir = arg;
		return 0;
	case O_FIXED_TIME:
		if (time_parse(arg, strlen(arg), TIME_ANY, &a->fixed_time,
			&terr) == -1)
			return cli_usage_err(cmd,
			    "invalid --fixed-time '%s': %s (use an RFC 3339 "
			    "date-time such as 2026-12-31T00:00:00Z, or a "
			    "date 2026-12-31)",
			    arg, terr.why);
		if (a->fixed_time <= 0)
			return cli_usage_err(cmd,
			    "invalid --fixed-time '%s': not after "
			    "1970-01-01T00:00:00Z",
			    arg);
		return 0;
	case O_MAX_RESULTS:
		return parse_num(cmd, arg, 1LL << 40, &a->max_results);
	case O_MAX_ITEMS:
		return parse_num(cmd, arg, 1LL << 40, &a->max_items);
	case O_MAX_AGE:
		if (parse_num(cmd, arg, 36500, &a->max_age_days) != 0)
			return cli_usage_err(cmd,
			    "invalid --max-evidence-age '%s' (days, 0 to "
			    "36500)",
			    arg);
		return 0;
	case O_REQUIRE_ATTEST:
		/* Open controls always keep the verdict incomplete. */
		a->require_attest = 1;
		return 0;
	case O_SCOPE:
		a->scope = arg;
		return 0;
	case O_ASSESSOR:
		a->assessor = arg;
		return 0;
	case O_SYSTEM:
		a->system = arg;
		return 0;
	case O_PREVIOUS:
		a->previous = arg;
		return 0;
	case O_GATE:
		a->gate =
		    strcmp(arg, "checks") == 0 ? GATE_CHECKS : GATE_ELIGIBILITY;
		return 0;
	case O_SEVERITY:
		a->severity = arg;
		return 0;
	case O_FAIL_ON:
		a->fail_on = arg;
		return 0;
	case O_NEW_SINCE:
		a->new_since = arg;
		return 0;
	case O_HELP:
		scan_help(cmd);
		return -1;
	default:
		return scan_opt_out(p, o, a);
	}
}

static int check_args(const struct command *cmd, const struct scan_args *a);

static int
parse_args(struct cli *c, const struct command *cmd, int argc, char **argv,
    struct scan_args *a)
{
	struct opt_parse p;
	int o, rc = 0;

	memset(a, 0, sizeof(*a));
	a->jobs = scan_jobs_default();
	load_limits_default(&a->lim);
	a->max_results = RUN_DEFAULT_MAX_RESULTS;
	a->max_age_days = RUN_DEFAULT_MAX_EVIDENCE_AGE / 86400;
	a->max_items = -1;
	opt_init(&p, c, cmd, argc, argv);
	while (rc == 0 && (o = opt_next(&p)) != -1) {
		if (o == -2)
			rc = EXIT_USAGE;
		else if (o == 0)
			rc = cli_usage_err(cmd,
			    "unexpected operand '%s' (inputs are given with "
			    "--input)",
			    p.argv[p.i]);
		else
			rc = scan_opt(&p, o, a);
	}
	if (rc == 0)
		rc = check_args(cmd, a);
	/* Its strings live in c->a, as long as the command runs. */
	a->cfg = p.cfg;
	return rc;
}

static int
check_args(const struct command *cmd, const struct scan_args *a)
{
	if (a->baseline == NULL)
		return cli_usage_err(cmd, "missing --baseline");
	if (a->inputs.n == 0 && a->tls.ntargets == 0 && a->tls.nfiles == 0)
		return cli_usage_err(cmd, "missing --input or --tls");
	if (a->output != NULL && a->output_dir != NULL)
		return cli_usage_err(cmd,
		    "--output and --output-dir exclude "
		    "each other");
	if (a->sign != NULL && a->output == NULL && a->output_dir == NULL)
		return cli_usage_err(cmd,
		    "--sign needs --output or --output-dir "
		    "(a signature covers a file)");
	if ((a->passfile != NULL || a->tsa_url != NULL) && a->sign == NULL)
		return cli_usage_err(cmd,
		    "--passphrase-file and --tsa-url go with "
		    "--sign");
	if (a->tsa_ca != NULL && a->tsa_url == NULL)
		return cli_usage_err(cmd, "--tsa-ca goes with --tsa-url");
	if (a->tsa_url != NULL && strncmp(a->tsa_url, "http://", 7) != 0)
		return cli_usage_err(cmd, "--tsa-url must be an http:// URL");
	return 0;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Write one report file and, with --sign, its bundle beside it. */
static int
write_one(struct diag *d, const struct writer *w, const struct assessment *r,
    const struct report_opts *ro, const char *path, const struct sign_key *key,
    const char *tsa_url, const char *tsa_ca, const struct sign_meta *m)
{
	struct sign_meta mm;

	if (report_write(d, w, r, ro, path) == -1)
		return -1;
	if (key == NULL)
		return 0;
	/* The report file is read once and that buffer is hashed. */
	mm = *m;
	mm.tsa_ca = tsa_ca; /* NULL: bundle_build warns */
	if (bundle_sign_file(d, path, &mm, key, tsa_url) == -1)
		return -1;
	/* The OSCAL plan beside the results is signed as well. */
	if (w->companion != NULL) {
		char cpath[4096];

		if (report_companion_path(w, path, cpath, sizeof(cpath)) ==
			-1 ||
		    bundle_sign_file(d, cpath, &mm, key, tsa_url) == -1)
			return -1;
	}
	return 0;
}

/* Split "json,sarif" into writers; -1 on an unknown name. */
static int
parse_formats(const struct command *cmd, const char *list,
    const struct writer **out, size_t *n)
{
	char buf[256], *p, *comma;
	const struct writer *w;

	*n = 0;
	if ((size_t)snprintf(buf, sizeof(buf), "%s", list) >= sizeof(buf))
		return cli_usage_err(cmd, "format list too long");
	for (p = buf; p != NULL; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		if ((w = writer_find(p)) == NULL)
			return cli_usage_err(cmd, "unknown format '%s'", p);
		if (*n == MAX_LIST)
			return cli_usage_err(cmd, "too many formats");
		out[(*n)++] = w;
	}
	return 0;
}

static int write_files(const struct command *cmd, const struct scan_args *a,
    const struct assessment *r, struct diag *d, const struct sign_key *key,
    const struct writer *const *ws, size_t n, const struct report_opts *ro,
    const struct sign_meta *m);

/*
 * Beside --output-dir, a few lines on stdout for the person reading the
 * log: the verdict, counts, worst failing checks (report_summary()), and
 * where the files are.  --quiet leaves it out.
 */
static int
print_summary(const struct cli *c, const struct scan_args *a,
    const struct assessment *r, const struct writer *const *ws, size_t n,
    const struct report_opts *ro)
{
	struct report_opts so = *ro;
	size_t i;

	so.color = c->color_out;
	if (report_summary(stdout, r, &so) == -1)
		return EXIT_SYSTEM;
	fputs("  reports in ", stdout);
	term_fputs(stdout, a->output_dir);
	fputc(':', stdout);
	for (i = 0; i < n; i++)
		printf(" %s%s", ws[i]->filename, i + 1 < n ? "," : "\n");
	return fflush(stdout) == EOF || ferror(stdout) ? EXIT_SYSTEM : 0;
}

/* "FILE sha256:HEX; env: RAMPART_A,RAMPART_B" for the signed statement. */
static const char *
config_text(struct arena *pa, const struct cli_config *cfg)
{
	struct strbuf sb;
	const char *s;
	size_t i;

	if (cfg->path == NULL && cfg->nenv == 0)
		return NULL;
	sb_init(&sb);
	if (cfg->path != NULL)
		sb_printf(&sb, "%s sha256:%s", cfg->path, cfg->digest);
	for (i = 0; i < cfg->nenv; i++)
		sb_printf(&sb, "%s%s",
		    i            ? ","
			: sb.len ? "; env: "
				 : "env: ",
		    cfg->env[i]);
	s = sb.oom ? NULL : arena_strdup(pa, sb.s);
	sb_free(&sb);
	return s;
}

static int
write_reports(struct cli *c, const struct command *cmd,
    const struct scan_args *a, const struct assessment *r, struct diag *d,
    const struct sign_key *key, const struct poam_history *previous,
    const struct scan_gate *g)
{
	const struct writer *ws[MAX_LIST];
	struct report_opts ro;
	struct sign_scan ss;
	struct sign_meta m;
	struct strbuf prov;
	struct arena *pa;
	size_t n;
	int rc;

	memset(&ro, 0, sizeof(ro));
	ro.tool_version = RAMPART_VERSION;
	ro.fixed_time = a->fixed_time;
	ro.verbose = a->verbose;
	ro.max_items_set = a->max_items >= 0;
	ro.max_items = a->max_items >= 0 ? (size_t)a->max_items : 0;
	ro.assessor = a->assessor;
	ro.system = a->system;
	ro.previous = previous;
	ro.quiet = a->quiet;
	ro.sarif_include_passes = a->sarif_passes;
	ro.color_mode = a->color_mode == 1 ? COLOR_ALWAYS
	    : a->color_mode == 2           ? COLOR_NEVER
					   : COLOR_AUTO;
	ro.config_file = a->cfg.path;
	ro.config_sha256 = a->cfg.path != NULL ? a->cfg.digest : NULL;
	ro.config_env = a->cfg.env;
	ro.nconfig_env = a->cfg.nenv;
	ro.new_since = a->new_since;
	/*
	 * The JSON report renders controls on the workers' threads only for
	 * many inputs: for one input it gained nothing measurable and held
	 * about 10 MB of rendered controls (tests/bench/run.sh, 500 MB).
	 */
	ro.jobs = a->inputs.n > 1 ? a->jobs : 1;
	ro.known = g->known;
	ro.nknown = g->nknown;
	ro.nnew = g->nnew;
	if (parse_formats(cmd, a->format ? a->format : "text", ws, &n) != 0)
		return EXIT_USAGE;
	if (a->output == NULL && a->output_dir == NULL) {
		ro.color = strcmp(ws[0]->name, "text") == 0 &&
		    (a->color_mode == 1 ||
			(a->color_mode == 0 && c->color_out));
		if (n != 1)
			return cli_usage_err(
			    cmd, "several formats need --output-dir");
		return ws[0]->write(stdout, r, &ro) == -1 ? EXIT_SYSTEM : 0;
	}
	/* What every file pins (report.json's provenance, signatures). */
	memset(&ss, 0, sizeof(ss));
	ss.poam = a->poam;
	ss.crm = a->crm;
	ss.attest = a->attest;
	ss.scope = a->scope;
	ss.rules = a->rules;
	ss.nrules = a->nrules;
	ss.plugins = a->plugins;
	ss.nplugins = a->nplugins;
	ss.input_format = a->input_format;
	ss.gate = a->gate == GATE_CHECKS ? "checks" : "eligibility";
	ss.max_evidence_age_days = a->max_age_days;
	ss.max_results = a->max_results;
	ss.fixed_time = a->fixed_time;
	ss.selection = r->opts.sel.text;
	ss.input_files = a->inputs.pinned;
	ss.ninput_files = a->inputs.pinned != NULL ? a->inputs.n : 0;
	if ((pa = arena_new()) == NULL) {
		diag_sys(d, NULL, "out of memory");
		return EXIT_SYSTEM;
	}
	ss.config = config_text(pa, &a->cfg);
	sb_init(&prov);
	if (sign_meta_from_run(pa, d, r, &ro, &ss, &m) == -1 ||
	    scan_meta_shard(pa, d, &m, a->shard_k, a->shard_n) == -1 ||
	    provenance_json(&prov, &m) == -1) {
		if (prov.oom)
			diag_sys(d, NULL, "out of memory");
		rc = EXIT_SYSTEM;
		goto out;
	}
	ro.provenance = prov.s;
	rc = write_files(cmd, a, r, d, key, ws, n, &ro, &m);
	if (rc == 0 && a->output_dir != NULL && !ro.quiet)
		rc = print_summary(c, a, r, ws, n, &ro);
out:
	sb_free(&prov);
	arena_free(pa);
	return rc;
}

static int
write_files(const struct command *cmd, const struct scan_args *a,
    const struct assessment *r, struct diag *d, const struct sign_key *key,
    const struct writer *const *ws, size_t n, const struct report_opts *ro,
    const struct sign_meta *m)
{
	char path[4096];
	size_t i;

	if (a->output_dir != NULL) {
		/* The folder itself (not its parents) is made when missing. */
		if (mkdir(a->output_dir, 0755) == -1 && errno != EEXIST) {
			struct mark mk = { a->output_dir, 0, 0 };

			diag_sys(d, &mk, "cannot create directory: %s",
			    strerror(errno));
			return EXIT_SYSTEM;
		}
		for (i = 0; i < n; i++) {
			if ((size_t)snprintf(path, sizeof(path), "%s/%s",
				a->output_dir, ws[i]->filename) >= sizeof(path))
				return cli_usage_err(cmd, "path too long");
			if (write_one(d, ws[i], r, ro, path, key, a->tsa_url,
				a->tsa_ca, m) == -1)
				return cli_exit_for(d);
		}
		return 0;
	}
	if (n != 1)
		return cli_usage_err(cmd, "several formats need --output-dir");
	return write_one(d, ws[0], r, ro, a->output, key, a->tsa_url, a->tsa_ca,
		   m) == -1
	    ? cli_exit_for(d)
	    : 0;
}

/* "rampart: reading X..." on a terminal, replacing the previous one. */
static void
scan_progress(void *arg, size_t i, const char *path)
{
	struct scan_loader *ld = arg;

	(void)i;
	progress_update(&ld->prog, "rampart: reading %s...", path);
}

/*
 * Every --input (after --shard took its part) with --jobs workers
 * (rules/merge.c: the report does not depend on their number); the TLS
 * targets' shard goes to scan_tls().  0 or -1.
 */
/* What scan_load() loads for the workers, as the arguments say. */
static void
scan_loader_init(struct scan_loader *ld, const struct scan_args *a)
{
	memset(ld, 0, sizeof(*ld));
	ld->baseline = a->baseline;
	ld->plugins = a->plugins;
	ld->nplugins = a->nplugins;
	ld->rules = a->rules;
	ld->nrules = a->nrules;
}

static int
scan_run_inputs(struct cli *c, struct run *r, struct scan_args *a,
    const struct adapter *ad, struct scan_preload *pre)
{
	struct scan_loader ld;
	struct run_jobs j;
	int rc;

	if (a->shard_n != 0) {
		scan_list_shard(&a->inputs, a->shard_k, a->shard_n);
		run_shard(r, a->shard_k, a->shard_n, a->inputs.total);
		a->tls.shard_k = a->shard_k;
		a->tls.shard_n = a->shard_n;
	}
	a->tls.ordinal = a->inputs.total;
	scan_loader_init(&ld, a);
	ld.pre = pre;
	memset(&j, 0, sizeof(j));
	j.paths = a->inputs.v;
	j.ordinals = a->inputs.ordinals;
	j.n = a->inputs.n;
	j.ad = ad;
	j.jobs = a->jobs;
	j.load = scan_load;
	j.unload = scan_unload;
	j.arg = &ld;
	progress_start(&ld.prog, c);
	if (c->tty_err && !a->quiet)
		j.progress = scan_progress;
	/* A report file pins each directory input's files: hash them on the
	 * thread that read the input, not all of them after the scan. */
	if ((a->output != NULL || a->output_dir != NULL) &&
	    scan_pin_begin(&a->inputs) == 0) {
		ld.pin = &a->inputs;
		j.input_done = scan_pin_input;
	}
	rc = run_inputs(r, &j);
	progress_clear(&ld.prog);
	return rc;
}

/* What a scan loads before it reads its inputs; each member owned. */
struct scan_loaded {
	struct rule_set *rs;
	struct baseline *bl;
	struct poam *poam;
	struct crm *crm;
	struct attest_set *attest;
	struct scope *scope;
	struct poam_history *previous;
	struct sign_key *key;
	char *pass;
	size_t passlen;
};

/*
 * Load the rules, the baseline, the signing key and every optional input
 * a names into *l (zeroed first; release with scan_loaded_free() in every
 * case).  Returns 0, or the exit code with the reason on d.
 */
static int
scan_prepare(const struct scan_args *a, struct diag *d, struct scan_loaded *l)
{
	size_t i;
	long stray;

	memset(l, 0, sizeof(*l));
	if ((l->rs = rule_set_new()) == NULL)
		return EXIT_SYSTEM;
	for (i = 0; i < a->nplugins; i++)
		if (rule_set_add_plugin(l->rs, d, a->plugins[i]) == -1)
			return EXIT_INVALID_INPUT;
	if (rule_set_load_shipped(l->rs, d) == -1)
		return EXIT_INVALID_INPUT;
	for (i = 0; i < a->nrules; i++)
		if (rule_set_load(l->rs, d, a->rules[i]) == -1)
			return EXIT_INVALID_INPUT;
	if ((l->bl = baseline_load(d, a->baseline, l->rs)) == NULL)
		return EXIT_INVALID_INPUT;
	/* The key is loaded before the scan: a wrong passphrase fails fast. */
	if (a->sign != NULL &&
	    (key_read_passphrase(d, a->passfile, 1, &l->pass, &l->passlen) ==
		    -1 ||
		(l->key = key_load_private(d, a->sign, l->pass, l->passlen)) ==
		    NULL))
		return EXIT_INVALID_INPUT;
	if (a->poam != NULL &&
	    ((l->poam = poam_load(d, a->poam)) == NULL ||
		poam_validate(l->poam, l->bl, l->rs, d) == -1))
		return EXIT_INVALID_INPUT;
	if (a->crm != NULL) {
		if ((l->crm = crm_load(d, a->crm)) == NULL ||
		    (stray = crm_apply(l->crm, l->bl, d)) == -1)
			return EXIT_INVALID_INPUT;
		if (stray > 0)
			diag_warn(d, NULL,
			    "%ld CRM entries name controls that baseline '%s' "
			    "does not have",
			    stray, l->bl->id);
	}
	if (a->attest != NULL &&
	    ((l->attest = attest_load(d, a->attest)) == NULL ||
		attest_validate(l->attest, l->bl, d) == -1))
		return EXIT_INVALID_INPUT;
	if (a->scope != NULL &&
	    ((l->scope = scope_load(d, a->scope)) == NULL ||
		scope_check_controls(l->scope, l->bl, d) == -1))
		return EXIT_INVALID_INPUT;
	if (a->previous != NULL &&
	    (l->previous = poam_history_load(d, a->previous)) == NULL)
		return EXIT_INVALID_INPUT;
	return 0;
}

/* Release what scan_prepare() loaded (all of it, or part of it). */
static void
scan_loaded_free(struct scan_loaded *l)
{
	key_passphrase_free(l->pass, l->passlen);
	key_free(l->key);
	poam_free(l->poam);
	attest_free(l->attest);
	scope_free(l->scope);
	poam_history_free(l->previous);
	baseline_free(l->bl);
	crm_free(l->crm);
	rule_set_free(l->rs);
}

/* The engine's options from the scan's arguments (selection apart). */
static void
scan_run_opts(const struct scan_args *a, struct run_opts *ro)
{
	memset(ro, 0, sizeof(*ro));
	ro->now = a->fixed_time;
	ro->max_results = (size_t)a->max_results;
	ro->require_attestations = a->require_attest;
	ro->gate = a->gate;
	ro->max_evidence_age = (int64_t)a->max_age_days * 86400;
	ro->lim = a->lim;
}

/* The exit code of the assessment's verdict, before --fail-on. */
static int
scan_verdict_exit(const struct assessment *as)
{
	switch (as->exit_verdict) {
	case VERDICT_ELIGIBLE:
		return EXIT_ELIGIBLE;
	case VERDICT_NOT_ELIGIBLE:
		return EXIT_NOT_ELIGIBLE;
	default:
		return EXIT_INCOMPLETE;
	}
}

int
cmd_scan(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("scan");
	struct scan_args a;
	struct diag d;
	struct scan_loaded l;
	struct scan_loader ldr;
	struct scan_preload pre;
	struct run *r = NULL;
	struct run_opts ro;
	struct scan_select sel;
	struct report_findings prev;
	struct scan_gate *gate = NULL;
	struct arena *ga = NULL;
	const struct adapter *ad = NULL;
	int rc, vrc;

	memset(&pre, 0, sizeof(pre));
	if ((rc = parse_args(c, cmd, argc, argv, &a)) != 0) {
		scan_list_free(&a.inputs);
		return rc == -1 ? 0 : rc;
	}
	diag_init(&d);
	/* With workers, the tool's digest for the provenance meanwhile. */
	if (a.jobs > 1 && (a.output != NULL || a.output_dir != NULL))
		lib_self_sha256_start();
	/* ... and the second worker's rules while this thread loads its own. */
	if (a.jobs > 1 && a.inputs.n > 1) {
		scan_loader_init(&ldr, &a);
		scan_preload_start(&pre, &ldr);
	}
	if ((rc = scan_prepare(&a, &d, &l)) != 0)
		goto out;
	rc = EXIT_INVALID_INPUT;
	if (a.input_format != NULL)
		ad = adapter_find(a.input_format);
	scan_run_opts(&a, &ro);
	if ((ga = arena_new()) == NULL ||
	    (gate = lib_calloc(1, sizeof(*gate))) == NULL) {
		rc = EXIT_SYSTEM;
		goto out;
	}
	sel.only = a.checks;
	sel.nonly = a.nchecks;
	sel.skip = a.skips;
	sel.nskip = a.nskips;
	sel.severity = a.severity;
	if ((rc = scan_selection(cmd, ga, l.rs, &sel, &ro.sel)) != 0)
		goto out;
	rc = EXIT_INVALID_INPUT;
	if (a.new_since != NULL &&
	    diff_read_findings(ga, &d, a.new_since, &prev) == -1)
		goto out;
	if ((r = run_new(&d, l.bl, l.rs, l.poam, &ro)) == NULL)
		goto out;
	run_declare(r, l.attest, l.crm, l.scope);
	if (a.quiet)
		c->tty_err = 0; /* no progress either */
	if (scan_run_inputs(c, r, &a, ad, &pre) == -1 ||
	    scan_tls(c, r, &a.tls, &d) == -1 || run_track_inputs(r) == -1)
		goto out;
	if (run_finish(r) == -1)
		goto out;
	if (d.nwarnings > 0)
		cli_diag(c, &d);
	diag_clear(&d);
	rc = scan_verdict_exit(&r->as);
	/* --fail-on and --new-since decide exit 1; the reports say so. */
	vrc = scan_gate_exit(
	    &r->as, a.fail_on, a.new_since ? &prev : NULL, ga, gate, rc);
	if (gate->nknown > 1)
		qsort(
		    gate->known, gate->nknown, sizeof(gate->known[0]), str_cmp);
	if ((rc = write_reports(
		 c, cmd, &a, &r->as, &d, l.key, l.previous, gate)) != 0)
		goto out;
	rc = vrc;
out:
	if (rc == EXIT_INVALID_INPUT)
		rc = cli_exit_for(&d);
	if (d.n > 0)
		cli_diag(c, &d);
	if (rc == EXIT_INVALID_INPUT && d.nerrors > 0)
		fprintf(stderr,
		    "rampart scan: %zu error%s; no report "
		    "written\n",
		    d.nerrors, d.nerrors == 1 ? "" : "s");
	run_free(r);
	scan_loaded_free(&l);
	diag_free(&d);
	lib_free(gate);
	arena_free(ga);
	scan_preload_end(&pre);
	scan_list_free(&a.inputs);
	lib_self_sha256_wait();
	return rc;
}
