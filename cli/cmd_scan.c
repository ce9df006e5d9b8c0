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
	O_TLS_TIMEOUT,
	O_SCOPE,
	O_GATE,
	O_MAX_AGE,
	O_ASSESSOR,
	O_SYSTEM,
	O_PREVIOUS,
	O_INPUTS_FROM,
	O_INPUT_EACH,
	O_JOBS,
	O_SHARD
};

static const struct opt scan_opts[] = {
	{ "baseline", 1, O_BASELINE },
	{ "input", 1, O_INPUT },
	{ "input-format", 1, O_INPUT_FORMAT },
	{ "poam", 1, O_POAM },
	{ "plugin", 1, O_PLUGIN },
	{ "rules", 1, O_RULES },
	{ "format", 1, O_FORMAT },
	{ "output", 1, O_OUTPUT },
	{ "output-dir", 1, O_OUTPUT_DIR },
	{ "fixed-time", 1, O_FIXED_TIME },
	{ "max-results", 1, O_MAX_RESULTS },
	{ "max-items", 1, O_MAX_ITEMS },
	{ "require-attestations", 0, O_REQUIRE_ATTEST },
	{ "verbose", 0, O_VERBOSE },
	{ "sign", 1, O_SIGN },
	{ "passphrase-file", 1, O_PASSFILE },
	{ "tsa-url", 1, O_TSA },
	{ "tsa-ca", 1, O_TSA_CA },
	{ "help", 0, O_HELP },
	{ "crm", 1, O_CRM },
	{ "attest", 1, O_ATTEST },
	{ "tls", 1, O_TLS },
	{ "tls-targets", 1, O_TLS_TARGETS },
	{ "tls-ca-file", 1, O_TLS_CA },
	{ "tls-timeout", 1, O_TLS_TIMEOUT },
	{ "scope", 1, O_SCOPE },
	{ "gate", 1, O_GATE },
	{ "max-evidence-age", 1, O_MAX_AGE },
	{ "assessor", 1, O_ASSESSOR },
	{ "system", 1, O_SYSTEM },
	{ "previous", 1, O_PREVIOUS },
	{ "inputs-from", 1, O_INPUTS_FROM },
	{ "input-each", 1, O_INPUT_EACH },
	{ "jobs", 1, O_JOBS },
	{ "shard", 1, O_SHARD },
	LIMIT_OPTS,
	{ NULL, 0, 0 },
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
	struct scan_tls_args tls;
	struct load_limits lim;
};

static void
scan_help(const struct command *cmd)
{
	size_t i;

	cli_usage(cmd, stdout);
	printf("\nScan cloud configuration exports against a baseline and "
	       "decide whether the\nworkload may be placed.\n\n"
	       "  --baseline NAME|FILE   shipped baseline name or a baseline "
	       "file (required)\n"
	       "  --input PATH           export file or directory, - for "
	       "standard input\n"
	       "                         (repeatable, required)\n"
	       "  --inputs-from FILE     more inputs, one path a line "
	       "('#' comments)\n"
	       "  --input-each DIR       each entry of DIR is one input "
	       "(sorted)\n"
	       "  --jobs N               read inputs with N workers (default: "
	       "online CPUs);\n"
	       "                         the report is the same whatever N "
	       "is\n"
	       "  --shard K/N            take part K of N of the inputs and "
	       "TLS targets\n"
	       "                         (stable hash; `rampart merge` joins "
	       "the parts)\n"
	       "  --input-format F       adapter to use instead of "
	       "detection:");
	for (i = 0; i < nadapters; i++)
		printf(" %s", adapters[i]->name);
	printf("\n  --poam FILE            POA&M items that waive failures "
	       "until they expire\n"
	       "  --crm FILE             provider's customer responsibility "
	       "matrix: inherited\n"
	       "                         controls are the provider's "
	       "(not evaluated)\n"
	       "  --attest FILE          attestations deciding manual "
	       "controls until they expire\n"
	       "  --plugin FILE.so       load an external check plugin "
	       "(repeatable)\n"
	       "  --rules PATH           extra rule pack file or directory "
	       "(repeatable)\n"
	       "  --format F[,F...]      report formats:");
	for (i = 0; i < nwriters; i++)
		printf(" %s", writers[i]->name);
	printf(" (default text)\n"
	       "  --output FILE          write the (single) report to FILE "
	       "atomically\n"
	       "  --output-dir DIR       write each format to DIR under its "
	       "fixed name\n"
	       "  --fixed-time T         evaluate and stamp reports at T "
	       "(RFC 3339 or YYYY-MM-DD, UTC)\n"
	       "  --max-results N        list at most N results per check "
	       "and status (default %d, 0 = all)\n"
	       "  --scope FILE           declared out-of-scope resource types "
	       "and not-applicable\n"
	       "                         controls, each with a reason "
	       "(recorded in the report)\n"
	       "  --gate eligibility|checks  what decides the exit code: "
	       "every control\n"
	       "                         (default), or the automated checks "
	       "alone (CI; not\n"
	       "                         an eligibility decision, and every "
	       "output says so)\n"
	       "  --max-evidence-age D   evidence collected more than D days "
	       "ago is error\n"
	       "                         (default 30, 0 = no limit)\n"
	       "  --assessor NAME        the assessor or operator (OSCAL and "
	       "POA&M parties)\n"
	       "  --system NAME          the system or cloud service provider "
	       "assessed\n"
	       "  --previous FILE        a previous report.poam.oscal.json: "
	       "POA&M items keep\n"
	       "                         their original detection date\n"
	       "  --max-items N          show at most N resources per check "
	       "and status in text,\n"
	       "                         markdown, html (default 50, html "
	       "all; 0 = all)\n"
	       "  --tls HOST[:PORT]      probe a TLS endpoint as evidence "
	       "(repeatable)\n"
	       "  --tls-targets FILE     endpoints, one 'HOST[:PORT] [SNI]' "
	       "per line\n"
	       "  --tls-ca-file PEM      trust anchors for TLS endpoints "
	       "(default: system)\n"
	       "  --tls-timeout S        connect and handshake timeout, "
	       "seconds\n"
	       "  --verbose              list passing checks in the text "
	       "report\n"
	       "  --sign KEY             sign every report written: "
	       "<file>.sigstore.json beside it\n"
	       "  --passphrase-file F    passphrase of an encrypted KEY "
	       "(else RAMPART_PASSPHRASE)\n"
	       "  --tsa-url URL          add an RFC 3161 timestamp from this "
	       "http:// TSA\n"
	       "  --tsa-ca FILE          check the TSA's reply against these "
	       "CA certificates\n\n"
	       "exit: 0 eligible, 1 not eligible, 2 usage, 3 invalid input, "
	       "4 incomplete,\n      5 system error\n",
	    RUN_DEFAULT_MAX_RESULTS);
	cli_limit_help(stdout);
}

static int
parse_args(
    const struct command *cmd, int argc, char **argv, struct scan_args *a)
{
	struct time_error terr;
	const char *arg;
	char *end;
	double secs;
	int i = 1, o;
	size_t j;

	memset(a, 0, sizeof(*a));
	a->jobs = scan_jobs_default();
	load_limits_default(&a->lim);
	a->max_results = RUN_DEFAULT_MAX_RESULTS;
	a->max_age_days = RUN_DEFAULT_MAX_EVIDENCE_AGE / 86400;
	a->max_items = -1;
	while ((o = opt_next(cmd, scan_opts, argc, argv, &i, &arg)) != -1) {
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			return cli_usage_err(cmd,
			    "unexpected operand '%s' "
			    "(inputs are given with --input)",
			    argv[i]);
		case O_BASELINE:
			a->baseline = arg;
			break;
		case O_INPUT:
			for (j = 0; strcmp(arg, "-") == 0 && j < a->inputs.n;
			     j++)
				if (strcmp(a->inputs.v[j], "-") == 0)
					return cli_usage_err(cmd,
					    "'--input -' given twice: standard "
					    "input can be read only once");
			if (scan_list_add(cmd, &a->inputs, arg) != 0)
				return EXIT_USAGE;
			break;
		case O_INPUTS_FROM:
			if (scan_inputs_from(cmd, &a->inputs, arg) != 0)
				return EXIT_USAGE;
			break;
		case O_INPUT_EACH:
			if (scan_input_each(cmd, &a->inputs, arg) != 0)
				return EXIT_USAGE;
			break;
		case O_JOBS:
			if (scan_jobs_parse(cmd, arg, &a->jobs) != 0)
				return EXIT_USAGE;
			break;
		case O_SHARD:
			if (scan_shard_parse(
				cmd, arg, &a->shard_k, &a->shard_n) != 0)
				return EXIT_USAGE;
			break;
		case O_PLUGIN:
			if (a->nplugins == MAX_LIST)
				return cli_usage_err(cmd, "too many plugins");
			a->plugins[a->nplugins++] = arg;
			break;
		case O_RULES:
			if (a->nrules == MAX_LIST)
				return cli_usage_err(cmd, "too many packs");
			a->rules[a->nrules++] = arg;
			break;
		case O_INPUT_FORMAT:
			if (adapter_find(arg) == NULL)
				return cli_usage_err(cmd,
				    "unknown input "
				    "format '%s'",
				    arg);
			a->input_format = arg;
			break;
		case O_POAM:
			a->poam = arg;
			break;
		case O_CRM:
			a->crm = arg;
			break;
		case O_ATTEST:
			a->attest = arg;
			break;
		case O_FORMAT:
			a->format = arg;
			break;
		case O_OUTPUT:
			a->output = arg;
			break;
		case O_OUTPUT_DIR:
			a->output_dir = arg;
			break;
		case O_FIXED_TIME:
			if (time_parse(arg, strlen(arg), TIME_ANY,
				&a->fixed_time, &terr) == -1)
				return cli_usage_err(cmd,
				    "invalid --fixed-time '%s': %s (use "
				    "an RFC 3339 date-time such as "
				    "2026-12-31T00:00:00Z, or a date "
				    "2026-12-31)",
				    arg, terr.why);
			if (a->fixed_time <= 0)
				return cli_usage_err(cmd,
				    "invalid --fixed-time '%s': not after "
				    "1970-01-01T00:00:00Z",
				    arg);
			break;
		case O_MAX_RESULTS:
			errno = 0;
			a->max_results = strtoll(arg, &end, 10);
			if (errno || *end || end == arg || a->max_results < 0)
				return cli_usage_err(cmd,
				    "invalid number "
				    "'%s'",
				    arg);
			break;
		case O_MAX_ITEMS:
			errno = 0;
			a->max_items = strtoll(arg, &end, 10);
			if (errno || *end || end == arg || a->max_items < 0)
				return cli_usage_err(
				    cmd, "invalid number '%s'", arg);
			break;
		case O_REQUIRE_ATTEST:
			/* Open controls always keep the verdict incomplete. */
			a->require_attest = 1;
			break;
		case O_SCOPE:
			a->scope = arg;
			break;
		case O_ASSESSOR:
			a->assessor = arg;
			break;
		case O_SYSTEM:
			a->system = arg;
			break;
		case O_PREVIOUS:
			a->previous = arg;
			break;
		case O_GATE:
			if (strcmp(arg, "eligibility") == 0)
				a->gate = GATE_ELIGIBILITY;
			else if (strcmp(arg, "checks") == 0)
				a->gate = GATE_CHECKS;
			else
				return cli_usage_err(cmd,
				    "unknown gate '%s' (expected "
				    "eligibility or checks)",
				    arg);
			break;
		case O_MAX_AGE:
			errno = 0;
			a->max_age_days = strtoll(arg, &end, 10);
			if (errno || *end || end == arg ||
			    a->max_age_days < 0 || a->max_age_days > 36500)
				return cli_usage_err(cmd,
				    "invalid --max-evidence-age '%s' "
				    "(days, 0 to 36500)",
				    arg);
			break;
		case O_VERBOSE:
			a->verbose = 1;
			break;
		case O_SIGN:
			a->sign = arg;
			break;
		case O_PASSFILE:
			a->passfile = arg;
			break;
		case O_TSA:
			a->tsa_url = arg;
			break;
		case O_TSA_CA:
			a->tsa_ca = arg;
			break;
		case O_TLS:
			if (a->tls.ntargets == 64)
				return cli_usage_err(cmd, "too many --tls");
			a->tls.targets[a->tls.ntargets++] = arg;
			break;
		case O_TLS_TARGETS:
			if (a->tls.nfiles == 16)
				return cli_usage_err(
				    cmd, "too many --tls-targets");
			a->tls.files[a->tls.nfiles++] = arg;
			break;
		case O_TLS_CA:
			a->tls.ca_file = arg;
			break;
		default:
			if (o >= LIMIT_OPT_BASE &&
			    cli_limit_opt(cmd, o, arg, &a->lim) != 0)
				return EXIT_USAGE;
			break;
		case O_TLS_TIMEOUT:
			errno = 0;
			secs = strtod(arg, &end);
			/* Range-check before the cast: "1e999", "nan" and
			 * "inf" would make it undefined. */
			if (errno || *end || end == arg || !(secs > 0) ||
			    !(secs <= 600))
				return cli_usage_err(
				    cmd, "invalid timeout '%s' (seconds)", arg);
			a->tls.connect_timeout_ms = (int)(secs * 1000);
			if (a->tls.connect_timeout_ms <= 0)
				return cli_usage_err(
				    cmd, "invalid timeout '%s' (seconds)", arg);
			a->tls.handshake_timeout_ms = a->tls.connect_timeout_ms;
			break;
		case O_HELP:
			scan_help(cmd);
			return -1;
		}
	}
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

/* Write one report file and, with --sign, its bundle beside it. */
static int
write_one(struct diag *d, const struct writer *w, const struct run *r,
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
    const struct run *r, struct diag *d, const struct sign_key *key,
    const struct writer *const *ws, size_t n, const struct report_opts *ro,
    const struct sign_meta *m);

static int
write_reports(struct cli *c, const struct command *cmd,
    const struct scan_args *a, const struct run *r, struct diag *d,
    const struct sign_key *key, const struct poam_history *previous)
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
	if (parse_formats(cmd, a->format ? a->format : "text", ws, &n) != 0)
		return EXIT_USAGE;
	if (a->output == NULL && a->output_dir == NULL) {
		ro.color = c->color_out && strcmp(ws[0]->name, "text") == 0;
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
	if ((pa = arena_new()) == NULL) {
		diag_err(d, NULL, "out of memory");
		return EXIT_SYSTEM;
	}
	sb_init(&prov);
	if (sign_meta_from_run(pa, d, r, &ro, &ss, &m) == -1 ||
	    scan_meta_shard(pa, d, &m, a->shard_k, a->shard_n) == -1 ||
	    provenance_json(&prov, &m) == -1) {
		if (prov.oom)
			diag_err(d, NULL, "out of memory");
		rc = EXIT_SYSTEM;
		goto out;
	}
	ro.provenance = prov.s;
	rc = write_files(cmd, a, r, d, key, ws, n, &ro, &m);
out:
	sb_free(&prov);
	arena_free(pa);
	return rc;
}

static int
write_files(const struct command *cmd, const struct scan_args *a,
    const struct run *r, struct diag *d, const struct sign_key *key,
    const struct writer *const *ws, size_t n, const struct report_opts *ro,
    const struct sign_meta *m)
{
	char path[4096];
	size_t i;

	if (a->output_dir != NULL) {
		/* The folder itself (not its parents) is made when missing. */
		if (mkdir(a->output_dir, 0755) == -1 && errno != EEXIST) {
			struct mark mk = { a->output_dir, 0, 0 };

			diag_err(d, &mk, "cannot create directory: %s",
			    strerror(errno));
			return EXIT_SYSTEM;
		}
		for (i = 0; i < n; i++) {
			if ((size_t)snprintf(path, sizeof(path), "%s/%s",
				a->output_dir, ws[i]->filename) >= sizeof(path))
				return cli_usage_err(cmd, "path too long");
			if (write_one(d, ws[i], r, ro, path, key, a->tsa_url,
				a->tsa_ca, m) == -1)
				return EXIT_SYSTEM;
		}
		return 0;
	}
	if (n != 1)
		return cli_usage_err(cmd, "several formats need --output-dir");
	return write_one(d, ws[0], r, ro, a->output, key, a->tsa_url, a->tsa_ca,
		   m) == -1
	    ? EXIT_SYSTEM
	    : 0;
}

static void
scan_progress(void *arg, size_t i, const char *path)
{
	(void)i;
	fprintf(stderr, "rampart: reading %s...\r", path);
	(void)arg;
}

/*
 * Every --input (after --shard took its part) with --jobs workers
 * (rules/merge.c: the report does not depend on their number); the TLS
 * targets' shard goes to scan_tls().  0 or -1.
 */
static int
scan_run_inputs(
    struct cli *c, struct run *r, struct scan_args *a, const struct adapter *ad)
{
	struct scan_loader ld;
	struct run_jobs j;

	if (a->shard_n != 0) {
		scan_list_shard(&a->inputs, a->shard_k, a->shard_n);
		r->shard.k = a->shard_k;
		r->shard.of = a->shard_n;
		r->shard.total_inputs = a->inputs.total;
		a->tls.shard_k = a->shard_k;
		a->tls.shard_n = a->shard_n;
	}
	a->tls.ordinal = a->inputs.total;
	memset(&ld, 0, sizeof(ld));
	ld.baseline = a->baseline;
	ld.plugins = a->plugins;
	ld.nplugins = a->nplugins;
	ld.rules = a->rules;
	ld.nrules = a->nrules;
	memset(&j, 0, sizeof(j));
	j.paths = a->inputs.v;
	j.ordinals = a->inputs.ordinals;
	j.n = a->inputs.n;
	j.ad = ad;
	j.jobs = a->jobs;
	j.load = scan_load;
	j.unload = scan_unload;
	j.arg = &ld;
	if (c->tty_err)
		j.progress = scan_progress;
	return run_inputs(r, &j);
}

int
cmd_scan(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("scan");
	struct scan_args a;
	struct diag d;
	struct rule_set *rs = NULL;
	struct baseline *bl = NULL;
	struct poam *poam = NULL;
	struct crm *crm = NULL;
	struct attest_set *attest = NULL;
	struct scope *scope = NULL;
	struct poam_history *previous = NULL;
	struct run *r = NULL;
	struct sign_key *key = NULL;
	char *pass = NULL;
	size_t passlen = 0;
	long stray;
	struct run_opts ro;
	const struct adapter *ad = NULL;
	size_t i;
	int rc;

	if ((rc = parse_args(cmd, argc, argv, &a)) != 0) {
		scan_list_free(&a.inputs);
		return rc == -1 ? 0 : rc;
	}
	diag_init(&d);
	rc = EXIT_INVALID_INPUT;
	if ((rs = rule_set_new()) == NULL) {
		rc = EXIT_SYSTEM;
		goto out;
	}
	for (i = 0; i < a.nplugins; i++)
		if (rule_set_add_plugin(rs, &d, a.plugins[i]) == -1)
			goto out;
	if (rule_set_load_shipped(rs, &d) == -1)
		goto out;
	for (i = 0; i < a.nrules; i++)
		if (rule_set_load(rs, &d, a.rules[i]) == -1)
			goto out;
	if ((bl = baseline_load(&d, a.baseline, rs)) == NULL)
		goto out;
	/* The key is loaded before the scan: a wrong passphrase fails fast. */
	if (a.sign != NULL &&
	    (key_read_passphrase(&d, a.passfile, 1, &pass, &passlen) == -1 ||
		(key = key_load_private(&d, a.sign, pass, passlen)) == NULL))
		goto out;
	if (a.poam != NULL &&
	    ((poam = poam_load(&d, a.poam)) == NULL ||
		poam_validate(poam, bl, rs, &d) == -1))
		goto out;
	if (a.crm != NULL) {
		if ((crm = crm_load(&d, a.crm)) == NULL ||
		    (stray = crm_apply(crm, bl, &d)) == -1)
			goto out;
		if (stray > 0)
			diag_warn(&d, NULL,
			    "%ld CRM entries name controls that baseline '%s' "
			    "does not have",
			    stray, bl->id);
	}
	if (a.attest != NULL &&
	    ((attest = attest_load(&d, a.attest)) == NULL ||
		attest_validate(attest, bl, &d) == -1))
		goto out;
	if (a.scope != NULL &&
	    ((scope = scope_load(&d, a.scope)) == NULL ||
		scope_check_controls(scope, bl, &d) == -1))
		goto out;
	if (a.previous != NULL &&
	    (previous = poam_history_load(&d, a.previous)) == NULL)
		goto out;
	if (a.input_format != NULL)
		ad = adapter_find(a.input_format);
	memset(&ro, 0, sizeof(ro));
	ro.now = a.fixed_time;
	ro.max_results = (size_t)a.max_results;
	ro.require_attestations = a.require_attest;
	ro.gate = a.gate;
	ro.max_evidence_age = (int64_t)a.max_age_days * 86400;
	ro.lim = a.lim;
	if ((r = run_new(&d, bl, rs, poam, &ro)) == NULL)
		goto out;
	r->attest = attest;
	r->crm = crm;
	r->scope = scope;
	if (scan_run_inputs(c, r, &a, ad) == -1 ||
	    scan_tls(c, r, &a.tls, &d) == -1 || run_track_inputs(r) == -1)
		goto out;
	if (c->tty_err)
		fprintf(stderr, "\033[K");
	if (run_finish(r) == -1)
		goto out;
	if (d.nwarnings > 0)
		cli_diag(c, &d);
	diag_clear(&d);
	if ((rc = write_reports(c, cmd, &a, r, &d, key, previous)) != 0)
		goto out;
	switch (r->exit_verdict) {
	case VERDICT_ELIGIBLE:
		rc = EXIT_ELIGIBLE;
		break;
	case VERDICT_NOT_ELIGIBLE:
		rc = EXIT_NOT_ELIGIBLE;
		break;
	default:
		rc = EXIT_INCOMPLETE;
		break;
	}
out:
	if (d.n > 0)
		cli_diag(c, &d);
	if (rc == EXIT_INVALID_INPUT && d.nerrors > 0)
		fprintf(stderr,
		    "rampart scan: %zu error%s; no report "
		    "written\n",
		    d.nerrors, d.nerrors == 1 ? "" : "s");
	key_passphrase_free(pass, passlen);
	key_free(key);
	run_free(r);
	poam_free(poam);
	attest_free(attest);
	scope_free(scope);
	poam_history_free(previous);
	baseline_free(bl);
	crm_free(crm);
	rule_set_free(rs);
	diag_free(&d);
	scan_list_free(&a.inputs);
	return rc;
}
