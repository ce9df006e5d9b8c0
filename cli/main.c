/*
 * main.c: the subcommand table and dispatch.  Help text, `rampart help`
 * and lookups all come from commands[], kept sorted by name so lookups
 * can bsearch(); tests/e2e/cli.sh asserts the order of `rampart help`,
 * which is printed from this table.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static int cmd_help(struct cli *, int, char **);

/* Sorted by name.  One line per subcommand. */
static const struct command commands[] = {
	{ "baseline", cmd_baseline,
	    "list | show NAME [--coverage] | lint FILE... | import-oscal "
	    "CATALOG --out FILE",
	    "list, show, lint and import (OSCAL) control baselines" },
	{ "checks", cmd_checks, "list [--json] | show ID",
	    "list the checks and the controls they evidence" },
	{ "diff", cmd_diff,
	    "OLD.json NEW.json [--format text|json] [--allow-baseline-change]",
	    "compare two JSON reports; exit 1 when NEW regresses" },
	{ "doc", cmd_doc, "FILE [--path EXPR] [--format F] [--json]",
	    "load a YAML or JSON file and print its tree with positions" },
	{ "help", cmd_help, "[COMMAND]", "show help for rampart or a command" },
	{ "keygen", cmd_keygen,
	    "--out PREFIX [--algorithm ecdsa-p256|ed25519] [--passphrase-file "
	    "F]",
	    "generate a key pair for signing reports" },
	{ "marketplace", cmd_marketplace,
	    "import FILE [--out F] | show ID|NAME | list [--csp NAME] "
	    "[--impact LEVEL] [--status STATUS] [--format json]",
	    "look up FedRAMP Marketplace offerings; import a newer feed" },
	{ "merge", cmd_merge,
	    "SHARD_REPORT.json... [--key PUB | --keyring FILE] [--format F] "
	    "[--output FILE|--output-dir DIR] [--sign KEY]",
	    "join the reports of scan --shard K/N into one decision" },
	{ "place", cmd_place,
	    "--workload FILE [--evidence ID=REPORT]... [--key PUB | "
	    "--keyring FILE] [--marketplace FILE] [--format F] "
	    "[--output-dir DIR] [--sign KEY]",
	    "decide where a workload may go (Marketplace + tenancy "
	    "evidence)" },
	{ "scan", cmd_scan,
	    "--baseline NAME|FILE (--input PATH | --tls HOST[:PORT])... "
	    "[--poam FILE] [--format F] [--output FILE|--output-dir DIR] "
	    "[--sign KEY]",
	    "scan exports against a baseline and decide eligibility" },
	{ "sign", cmd_sign,
	    "REPORT --key KEY [--passphrase-file F] [--tsa-url URL]",
	    "sign a report: write REPORT.sigstore.json" },
	{ "tls", cmd_tls, "HOST[:PORT]... [options]",
	    "probe TLS endpoints against NIST SP 800-52r2" },
	{ "verify", cmd_verify,
	    "REPORT [--bundle FILE] (--key PUB | --keyring FILE) [--tsa-ca F] "
	    "[--inputs DIR]... [--rescan] [--format text|json]",
	    "verify a signed report" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int
command_cmp(const void *key, const void *elem)
{
	const struct command *c = elem;

	return strcmp(key, c->name);
}

const struct command *
cli_find(const char *name)
{
	return bsearch(
	    name, commands, NCOMMANDS, sizeof(commands[0]), command_cmp);
}

void
cli_usage(const struct command *cmd, FILE *fp)
{
	fprintf(fp, "usage: rampart %s %s\n", cmd->name, cmd->synopsis);
}

int
cli_usage_err(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "rampart%s%s: ", cmd ? " " : "", cmd ? cmd->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd != NULL)
		cli_usage(cmd, stderr);
	return EXIT_USAGE;
}

int
opt_next(const struct command *cmd, const struct opt *opts, int argc,
    char **argv, int *i, const char **arg)
{
	const char *a, *eq;
	size_t n;

	*arg = NULL;
	if (*i >= argc)
		return -1;
	a = argv[*i];
	if (strcmp(a, "--") == 0) {
		(*i)++;
		return *i < argc ? 0 : -1;
	}
	if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
		if (a[0] == '-' && a[1] != '\0') {
			cli_usage_err(cmd, "unknown option '%s'", a);
			return -2;
		}
		return 0;
	}
	a += 2;
	eq = strchr(a, '=');
	n = eq ? (size_t)(eq - a) : strlen(a);
	for (; opts != NULL && opts->name != NULL; opts++) {
		if (strlen(opts->name) != n || strncmp(opts->name, a, n) != 0)
			continue;
		(*i)++;
		if (!opts->has_arg) {
			if (eq != NULL) {
				cli_usage_err(cmd,
				    "option '--%s' takes no "
				    "argument",
				    opts->name);
				return -2;
			}
			return opts->id;
		}
		if (eq != NULL) {
			*arg = eq + 1;
			return opts->id;
		}
		if (*i >= argc) {
			cli_usage_err(
			    cmd, "option '--%s' needs an argument", opts->name);
			return -2;
		}
		*arg = argv[(*i)++];
		return opts->id;
	}
	cli_usage_err(cmd, "unknown option '--%.*s'", (int)n, a);
	return -2;
}

int
cli_limit_opt(
    const struct command *cmd, int id, const char *arg, struct load_limits *l)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno != 0 || *end != '\0' || end == arg || arg[0] == '-' || v == 0)
		return cli_usage_err(cmd,
		    "invalid limit '%s' (a positive "
		    "number)",
		    arg);
	switch (id - LIMIT_OPT_BASE) {
	case 0:
		if (v > 100000)
			return cli_usage_err(cmd, "--max-depth at most 100000");
		l->max_depth = (uint32_t)v;
		break;
	case 1:
		l->max_alias_nodes = v;
		break;
	case 2:
		l->max_scalar = (size_t)v;
		break;
	default:
		l->max_doc_bytes = (size_t)v;
		break;
	}
	return 0;
}

void
cli_limit_help(FILE *fp)
{
	fprintf(fp,
	    "input limits (a breach is an error with file:line:col):\n"
	    "  --max-depth N          nesting of maps and lists (default "
	    "%u)\n"
	    "  --max-alias-nodes N    nodes reachable through YAML aliases "
	    "(default %u)\n"
	    "  --max-scalar-bytes N   one string or key (default %u)\n"
	    "  --max-document-bytes N one document or streamed element "
	    "(default %u)\n",
	    LOAD_DEFAULT_MAX_DEPTH, LOAD_DEFAULT_MAX_ALIAS_NODES,
	    LOAD_DEFAULT_MAX_SCALAR, LOAD_DEFAULT_MAX_DOC_BYTES);
}

void
cli_diag(struct cli *c, const struct diag *d)
{
	diag_print(d, stderr, 1, c->color_err);
}

int
cli_finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno != EPIPE)
			fprintf(stderr, "rampart: error writing output: %s\n",
			    strerror(errno));
		return EXIT_SYSTEM;
	}
	return rc;
}

static void
print_help(FILE *fp)
{
	size_t i;

	fprintf(fp,
	    "usage: rampart COMMAND [ARGS]\n"
	    "       rampart --version | --help\n\n"
	    "rampart audits cloud configuration exports and TLS endpoints\n"
	    "against FedRAMP/NIST SP 800-53 baselines.\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(
		    fp, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp,
	    "\nexit codes: 0 eligible, 1 not eligible, 2 usage, "
	    "3 invalid input,\n            4 incomplete, 5 system error\n"
	    "Run 'rampart help COMMAND' for a command's options.\n");
}

static int
cmd_help(struct cli *c, int argc, char **argv)
{
	const struct command *cmd;
	char *sub[] = { NULL, "--help", NULL };

	if (argc < 2) {
		print_help(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0) {
		cli_usage(cli_find("help"), stdout);
		return 0;
	}
	if (argv[1][0] == '-')
		return cli_usage_err(
		    cli_find("help"), "unknown option '%s'", argv[1]);
	if ((cmd = cli_find(argv[1])) == NULL)
		return cli_usage_err(NULL, "unknown command '%s'", argv[1]);
	if (cmd->run == cmd_help) {
		cli_usage(cmd, stdout);
		return 0;
	}
	sub[0] = argv[1];
	return cmd->run(c, 2, sub);
}

static int
want_color(int fd)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc != NULL && nc[0] != '\0')
		return 0;
	if (term != NULL && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fd);
}

int
main(int argc, char **argv)
{
	struct cli c;
	const struct command *cmd;
	const char *env;

	/* A peer or pipe that closes must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	/* RAMPART_THREADS=1: parse JSON on the main thread alone. */
	if ((env = getenv("RAMPART_THREADS")) != NULL && strcmp(env, "1") == 0)
		load_set_threads(LOAD_THREADS_OFF, 0);
	memset(&c, 0, sizeof(c));
	c.argv0 = argv[0];
	c.color_out = want_color(STDOUT_FILENO);
	c.color_err = want_color(STDERR_FILENO);
	c.tty_err = isatty(STDERR_FILENO);

	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("rampart %s\n", RAMPART_VERSION);
		return cli_finish(0);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_help(stdout);
		return cli_finish(0);
	}
	if ((cmd = cli_find(argv[1])) == NULL) {
		fprintf(stderr, "rampart: unknown command '%s'\n", argv[1]);
		print_help(stderr);
		return EXIT_USAGE;
	}
	return cli_finish(cmd->run(&c, argc - 1, argv + 1));
}
