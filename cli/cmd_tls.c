/*
 * cmd_tls.c: `rampart tls HOST[:PORT]...` probes TLS endpoints against
 * NIST SP 800-52 Rev 2 and prints one verdict per endpoint with every
 * check's status and reason.  Exit: 0 every endpoint passes (warnings
 * allowed), 1 any fails, 4 any could not be probed and none fails,
 * 2 usage, 3 bad targets file, 5 system error.
 *
 * Each endpoint is printed as soon as it and every target before it are
 * finished (tls_scan_each() delivers in target order), then freed, so
 * output is deterministic and memory does not grow with the target list.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/tls/tls.h"
#include "cli/cli.h"
#include "cli/scan_tls.h"

enum {
	O_TARGETS = 1,
	O_SNI,
	O_CA,
	O_CTIMEOUT,
	O_HTIMEOUT,
	O_CONC,
	O_PERHOST,
	O_FORMAT,
	O_CITIZEN,
	O_TIME,
	O_HELP,
	O_TIMEOUT,
	O_ONLY_FAILURES,
	O_CONFIG
};

const struct opt tls_opts[] = {
	{ "targets", 0, "FILE", O_TARGETS, OPT_REPEAT,
	    "read targets, one 'HOST[:PORT] [SERVER-NAME]' a line", NULL },
	{ "sni", 0, "NAME", O_SNI, 0,
	    "server name to send and to match the certificate against "
	    "(default: the host)",
	    NULL },
	{ "ca-file", 0, "PEM", O_CA, OPT_CFG,
	    "trust anchors (default: the system store)", NULL },
	{ "timeout", 0, "S", O_TIMEOUT, OPT_CFG,
	    "connect and handshake timeout, seconds", NULL },
	{ "connect-timeout", 0, "S", O_CTIMEOUT, OPT_CFG,
	    "TCP connect timeout alone, seconds (default 5)", NULL },
	{ "handshake-timeout", 0, "S", O_HTIMEOUT, OPT_CFG,
	    "per-handshake deadline alone, seconds (default 10)", NULL },
	{ "concurrency", 0, "N", O_CONC, OPT_CFG,
	    "connections at once (default 64)", NULL },
	{ "per-host", 0, "N", O_PERHOST, OPT_CFG,
	    "connections at once per host (default 8)", NULL },
	{ "citizen-facing", 0, NULL, O_CITIZEN, OPT_CFG,
	    "TLS 1.1 is a warning, not a failure", NULL },
	{ "fixed-time", 0, "T", O_TIME, OPT_CFG,
	    "check certificates as of T (RFC 3339 or YYYY-MM-DD, UTC)", NULL },
	{ "time", 0, "T", O_TIME, OPT_ALIAS, "--fixed-time", NULL },
	{ "now", 0, "T", O_TIME, OPT_ALIAS, "--fixed-time", NULL },
	{ "format", 'f', "F", O_FORMAT, OPT_CFG, "output format (default text)",
	    "text|json" },
	{ "json", 0, NULL, O_FORMAT, OPT_ALIAS, "--format json", "json" },
	{ "only-failures", 0, NULL, O_ONLY_FAILURES, OPT_CFG,
	    "text: print only endpoints that fail or could not be probed",
	    NULL },
	{ "config", 0, "FILE", O_CONFIG, OPT_CFGFILE,
	    "configuration file (default ./.rampart.yaml when present)", NULL },
	{ "no-config", 0, NULL, O_CONFIG, OPT_CFGFILE,
	    "ignore .rampart.yaml and RAMPART_* variables", NULL },
	{ "help", 'h', NULL, O_HELP, 0, "show this help", NULL },
	OPT_END,
};

static void
tls_help(const struct command *cmd)
{
	cli_help(cmd, stdout);
	printf("\nProbe TLS endpoints and check them against NIST SP 800-52 "
	       "Rev 2:\nprotocol versions, cipher suites, key exchange, the "
	       "certificate and\nextensions.  IPv6 literals are written "
	       "[::1]:443; the default port is 443.\n"
	       "\nexit: 0 all pass, 1 a failure, 4 an endpoint could not be "
	       "probed\n");
}

/* Seconds (decimal) to milliseconds, within (0, 3600]. */
static int
parse_secs(const char *s, int *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v > 0) || v > 3600)
		return -1;
	*ms = (int)(v * 1000 + 0.5);
	if (*ms < 1)
		*ms = 1;
	return 0;
}

static int
parse_count(const char *s, int max, int *out)
{
	int64_t v;

	if (parse_int64(s, &v) == -1 || v < 1 || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static const char *
colour(const struct cli *c, enum tls_status s)
{
	if (!c->color_out)
		return "";
	switch (s) {
	case TLS_PASS:
		return "\033[32m";
	case TLS_WARN:
		return "\033[33m";
	case TLS_FAIL:
		return "\033[1;31m";
	case TLS_ERROR:
		return "\033[35m";
	default:
		return "\033[2m";
	}
}

/*
 * s (or dflt when NULL) escaped into buf for the terminal: host names,
 * reasons and certificate names come from the server or the command line
 * and must not drive the terminal.
 */
static const char *
esc(char *buf, size_t len, const char *s, const char *dflt)
{
	if (s == NULL)
		return dflt;
	term_escape(buf, len, s, strlen(s), 0);
	return buf;
}

static void
print_text(const struct cli *c, const struct tls_result *r)
{
	const char *off = c->color_out ? "\033[0m" : "";
	const char *st;
	char b1[1024], b2[1024], b3[256];
	size_t i;

	esc(b1, sizeof(b1), r->target.host, "?");
	if (strchr(r->target.host, ':') != NULL)
		printf("[%s]:%u", b1, r->target.port);
	else
		printf("%s:%u", b1, r->target.port);
	st = r->status == TLS_WARN  ? "PASS (with warnings)"
	    : r->status == TLS_PASS ? "PASS"
	    : r->status == TLS_FAIL ? "FAIL"
				    : "ERROR";
	printf(" (server name %s): %s%s%s, %zu handshakes, %.2f s\n",
	    esc(b1, sizeof(b1), r->sni, "?"), colour(c, r->status), st, off,
	    r->nprobes, (double)r->elapsed_ms / 1000);
	if (r->error != NULL) {
		printf("  error: %s\n", esc(b1, sizeof(b1), r->error, ""));
		return;
	}
	for (i = 0; i < TLS_C_COUNT; i++)
		printf("  %s%-5s%s %-27s %s\n", colour(c, r->checks[i].status),
		    r->checks[i].status == TLS_NA
			? "n/a"
			: tls_status_name(r->checks[i].status),
		    off, tls_checks[i].name,
		    esc(b1, sizeof(b1), r->checks[i].reason, ""));
	if (r->cert.present)
		printf("  certificate: %s, issuer %s, %s %d%s%s\n",
		    esc(b1, sizeof(b1), r->cert.subject, "?"),
		    esc(b2, sizeof(b2), r->cert.issuer, "?"), r->cert.key_type,
		    r->cert.key_bits, r->cert.key_curve ? " " : "",
		    esc(b3, sizeof(b3), r->cert.key_curve, ""));
}

/* What the per-endpoint callback needs, and what it counts. */
struct tls_out {
	struct cli *c;
	int json;
	int only_failures; /* --only-failures: failing/erroring endpoints */
	size_t nout, npass, nwarn, nfail, nerr;
	struct tls_progress prog;
	struct strbuf sb; /* one endpoint's JSON, reused */
};

/*
 * The totals after the endpoints (text: a line when there were several
 * endpoints or some were left out; JSON: a "totals" member).
 */
static void
print_totals(const struct tls_out *out, size_t n)
{
	if (out->json) {
		printf(",\"totals\":{\"endpoints\":%zu,\"pass\":%zu,"
		       "\"warn\":%zu,\"fail\":%zu,\"error\":%zu,"
		       "\"shown\":%zu}",
		    n, out->npass, out->nwarn, out->nfail, out->nerr,
		    out->nout);
		return;
	}
	if (n < 2 && !out->only_failures)
		return;
	printf("%s%zu endpoint%s: %zu pass, %zu pass with warnings, %zu fail, "
	       "%zu error",
	    out->nout > 0 ? "\n" : "", n, n == 1 ? "" : "s", out->npass,
	    out->nwarn, out->nfail, out->nerr);
	if (out->only_failures)
		printf(" (%zu passing not shown: --only-failures)",
		    out->npass + out->nwarn);
	putchar('\n');
}

static void
json_head(void)
{
	char now[32];

	format_time((int64_t)time(NULL), now);
	printf("{\"tool\":\"rampart\",\"version\":\"%s\",\"policy\":\"NIST SP "
	       "800-52 Rev 2\",\"scanned_at\":\"%s\",\"endpoints\":[",
	    RAMPART_VERSION, now);
}

/* tls_scan_each() callback: print one endpoint, count its verdict. */
static int
print_one(void *ctx, size_t idx, struct tls_result *r)
{
	struct tls_out *out = ctx;

	(void)idx;
	out->npass += r->status == TLS_PASS;
	out->nwarn += r->status == TLS_WARN;
	out->nfail += r->status == TLS_FAIL;
	out->nerr += r->status == TLS_ERROR;
	if (out->only_failures &&
	    (r->status == TLS_PASS || r->status == TLS_WARN))
		return 0;
	if (!out->json) {
		progress_clear(&out->prog.line);
		print_text(out->c, r);
		out->nout++;
		return 0;
	}
	if (out->nout++ == 0)
		json_head();
	else
		putchar(',');
	out->sb.len = 0;
	if (tls_result_json(&out->sb, r) == -1 || out->sb.oom) {
		fprintf(stderr, "rampart tls: out of memory\n");
		return -1;
	}
	fwrite(out->sb.s, 1, out->sb.len, stdout);
	return 0;
}

/* The command line of tls; targets is lib-allocated. */
struct tls_args {
	struct tls_opts o;
	struct tls_target *targets;
	size_t n;
	const char *files[16]; /* --targets */
	size_t nfiles;
	int json, only_failures;
};

/* Append the target operand arg to ta; -1 to go on, or the exit code. */
static int
tls_add_target(struct cli *c, const struct command *cmd, struct arena *a,
    struct diag *d, struct tls_args *ta, const char *arg)
{
	struct tls_target *nv;

	if ((nv = lib_realloc(ta->targets, (ta->n + 1) * sizeof(*nv))) ==
	    NULL) {
		fprintf(stderr, "rampart tls: out of memory\n");
		return EXIT_SYSTEM;
	}
	ta->targets = nv;
	if (tls_target_parse(a, d, NULL, arg, &ta->targets[ta->n]) == -1) {
		cli_diag(c, d);
		return cli_usage_err(cmd, "bad target '%s'", arg);
	}
	ta->n++;
	return -1;
}

/*
 * One option (or operand) of tls into ta; the opt_next() id is opt.
 * Returns -1 to go on, or the exit code to return (0 after --help), the
 * reason printed.
 */
static int
tls_option(struct cli *c, struct opt_parse *p, int opt, struct arena *a,
    struct diag *d, struct tls_args *ta)
{
	const struct command *cmd = p->cmd;
	const char *arg = p->arg;
	struct time_error terr;
	int64_t t;

	switch (opt) {
	case -2:
		return EXIT_USAGE;
	case 0:
		return tls_add_target(c, cmd, a, d, ta, opt_operand(p));
	case O_TARGETS:
		if (ta->nfiles == 16)
			return cli_usage_err(cmd, "too many --targets");
		ta->files[ta->nfiles++] = arg;
		break;
	case O_SNI:
		ta->o.sni = arg;
		break;
	case O_CA:
		ta->o.ca_file = arg;
		break;
	case O_CTIMEOUT:
	case O_HTIMEOUT:
	case O_TIMEOUT:
		if (parse_secs(arg,
			opt == O_HTIMEOUT ? &ta->o.handshake_timeout_ms
					  : &ta->o.connect_timeout_ms) == -1)
			return cli_usage_err(cmd,
			    "bad timeout '%s' (seconds, e.g. 2 or "
			    "0.5)",
			    arg);
		if (opt == O_TIMEOUT)
			ta->o.handshake_timeout_ms = ta->o.connect_timeout_ms;
		break;
	case O_CONC:
	case O_PERHOST:
		if (parse_count(arg, 4096,
			opt == O_CONC ? &ta->o.concurrency : &ta->o.per_host) ==
		    -1)
			return cli_usage_err(
			    cmd, "bad count '%s' (1 to 4096)", arg);
		break;
	case O_FORMAT:
		ta->json = strcmp(arg, "json") == 0;
		break;
	case O_ONLY_FAILURES:
		ta->only_failures = 1;
		break;
	case O_CITIZEN:
		ta->o.citizen_facing = 1;
		break;
	case O_TIME:
		if (time_parse(arg, strlen(arg), TIME_ANY, &t, &terr) == -1)
			return cli_usage_err(cmd,
			    "invalid %.*s '%s': %s (use an RFC "
			    "3339 date-time such as "
			    "2026-12-31T00:00:00Z, or a date "
			    "2026-12-31)",
			    (int)strcspn(p->given, "="), p->given, arg,
			    terr.why);
		ta->o.now = t;
		break;
	case O_HELP:
		tls_help(cmd);
		return 0;
	default:
		return opt_unhandled(p, opt);
	}
	return -1;
}

/*
 * Probe every target of ta, printing each result as it completes, then
 * the totals.  Returns the exit code.
 */
static int
tls_run(struct cli *c, struct diag *d, struct tls_args *ta)
{
	struct tls_out out;
	int rc = EXIT_SYSTEM;

	memset(&out, 0, sizeof(out));
	sb_init(&out.sb);
	out.only_failures = ta->only_failures;
	out.c = c;
	out.json = ta->json;
	progress_start(&out.prog.line, c);
	out.prog.who = "rampart tls";
	/* N/TOTAL on a terminal's stderr, whatever the output format. */
	if (c->tty_err) {
		ta->o.progress = tls_progress;
		ta->o.progress_ctx = &out.prog;
	}
	if (tls_scan_each(&ta->o, ta->targets, ta->n, print_one, &out, d) ==
	    -1) {
		if (out.json && out.nout > 0)
			fputs("\n", stdout); /* a truncated document */
		cli_diag(c, d);
		rc = cli_exit_for(d);
		goto out;
	}
	progress_clear(&out.prog.line);
	if (ta->json && out.nout == 0)
		json_head();
	if (ta->json)
		fputs("]", stdout);
	print_totals(&out, ta->n);
	if (ta->json)
		fputs("}\n", stdout);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "rampart tls: cannot write the output: %s\n",
		    strerror(errno));
		goto out;
	}
	rc = out.nfail ? EXIT_NOT_ELIGIBLE : out.nerr ? EXIT_INCOMPLETE : 0;
out:
	sb_free(&out.sb);
	return rc;
}

int
cmd_tls(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("tls");
	struct tls_args ta;
	struct arena *a = NULL;
	struct diag d;
	struct opt_parse p;
	size_t i;
	int opt, rc = EXIT_SYSTEM;

	memset(&ta, 0, sizeof(ta));
	diag_init(&d);
	if ((a = arena_new()) == NULL) {
		fprintf(stderr, "rampart tls: out of memory\n");
		return EXIT_SYSTEM;
	}
	opt_init(&p, c, cmd, argc, argv);
	while ((opt = opt_next(&p)) != -1)
		if ((rc = tls_option(c, &p, opt, a, &d, &ta)) != -1)
			goto out;
	for (i = 0; i < ta.nfiles; i++)
		if (tls_targets_read(a, &d, ta.files[i], &ta.targets, &ta.n) ==
		    -1) {
			cli_diag(c, &d);
			rc = cli_exit_for(&d);
			goto out;
		}
	if (ta.n == 0) {
		rc = cli_usage_err(cmd, "no target given");
		goto out;
	}
	rc = tls_run(c, &d, &ta);
out:
	lib_free(ta.targets);
	arena_free(a);
	diag_free(&d);
	return rc;
}
