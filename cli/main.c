/*
 * main.c: the subcommand table and dispatch.  Help text, `rampart help`
 * and lookups all come from commands[], kept sorted by name so lookups
 * can bsearch(); tests/e2e/cli.sh asserts the order of `rampart help`,
 * which is printed from this table.
 */
#include <errno.h>
#include <signal.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

static int cmd_help(struct cli *, int, char **);

enum { H_HELP = 1, H_MAN };

static const struct opt help_opts[] = {
	{ "help", 'h', NULL, H_HELP, 0, "show this help", NULL },
	{ "man", 0, NULL, H_MAN, 0,
	    "print the SYNOPSIS section of docs/rampart.1 (mdoc)", NULL },
	OPT_END,
};

/*
 * Sorted by name.  One line per subcommand: name, runner, options,
 * operands, summary, subcommands, flags.
 */
static const struct command commands[] = {
	{ "baseline", cmd_baseline, baseline_opts,
	    "list | show NAME | lint FILE... | import-oscal F",
	    "list, show, lint and import (OSCAL) control baselines",
	    "list show lint import-oscal", CMD_RULES },
	{ "checks", cmd_checks, checks_opts, "list | show ID",
	    "list the checks and the controls they evidence", "list show",
	    CMD_RULES },
	{ "completion", cmd_completion, completion_opts, "bash | zsh | fish",
	    "print a shell completion script", "bash zsh fish", 0 },
	{ "diff", cmd_diff, diff_opts, "OLD.json NEW.json",
	    "compare two JSON reports; exit 1 when NEW regresses", NULL,
	    CMD_CONFIG },
	{ "doc", cmd_doc, doc_opts, "FILE",
	    "load a YAML or JSON file and print its tree with positions", NULL,
	    0 },
	{ "help", cmd_help, help_opts, "[COMMAND]",
	    "show help for rampart or a command", NULL, 0 },
	{ "keygen", cmd_keygen, keygen_opts, "-o PREFIX",
	    "generate a key pair for signing reports", NULL, 0 },
	{ "marketplace", cmd_marketplace, marketplace_opts,
	    "import FILE | show ID|NAME | list",
	    "look up FedRAMP Marketplace offerings; import a newer feed",
	    "import show list", 0 },
	{ "merge", cmd_merge, merge_opts, "SHARD_REPORT.json...",
	    "join the reports of scan --shard K/N into one decision", NULL,
	    CMD_RULES | CMD_CONFIG },
	{ "place", cmd_place, place_opts, "--workload FILE",
	    "decide where a workload may go (Marketplace + tenancy evidence)",
	    NULL, CMD_CONFIG },
	{ "report", cmd_report, report_opts, "REPORT.json",
	    "write a JSON report again in other formats, offline", NULL, 0 },
	{ "scan", cmd_scan, scan_opts,
	    "-b NAME|FILE (-i PATH | --tls HOST[:PORT])...",
	    "scan exports against a baseline and decide eligibility", NULL,
	    CMD_RULES | CMD_CONFIG },
	{ "sign", cmd_sign, sign_opts, "REPORT --key KEY",
	    "sign a report: write REPORT.sigstore.json", NULL, 0 },
	{ "tls", cmd_tls, tls_opts, "HOST[:PORT]... | --targets FILE",
	    "probe TLS endpoints against NIST SP 800-52r2", NULL, CMD_CONFIG },
	{ "verify", cmd_verify, verify_opts,
	    "REPORT (--key PUB | --keyring FILE)", "verify a signed report",
	    NULL, CMD_RULES | CMD_CONFIG },
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

const struct command *
cli_commands(size_t *n)
{
	*n = NCOMMANDS;
	return commands;
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

/*
 * Whether standard output is a pipe (or socket) nobody reads any more:
 * Linux reports POLLERR on the write end once the read end is closed.
 */
static int
stdout_broken(void)
{
	struct pollfd pfd = { STDOUT_FILENO, POLLOUT, 0 };
	struct stat st;

	if (fstat(STDOUT_FILENO, &st) == -1 ||
	    (!S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode)))
		return 0;
	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR) != 0;
}

/*
 * `rampart scan | head`: the reader went away.  End the way every Unix
 * filter does, by SIGPIPE (status 128+13 in the shell), quietly, instead
 * of reporting a system error.  SIGPIPE is ignored while we run (a TLS
 * peer that closes must not kill a scan), so restore it and raise it.
 */
static void
die_of_sigpipe(void)
{
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
}

int
cli_finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno == EPIPE || stdout_broken())
			die_of_sigpipe();
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
	    "\nexit: 0 eligible, 1 not eligible, 2 usage, 3 bad input, "
	    "4 incomplete, 5 system\n"
	    "Run 'rampart help COMMAND' for a command's options.\n");
}

static int
unknown_command(const char *name)
{
	const char *names[NCOMMANDS], *near;
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	near = cli_suggest(name, names, NCOMMANDS);
	fprintf(stderr, "rampart: unknown command '%s'", name);
	if (near != NULL)
		fprintf(stderr, " (did you mean '%s'?)", near);
	fprintf(stderr, "\ncommands:");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(stderr, " %s", commands[i].name);
	fprintf(stderr, "\n");
	return EXIT_USAGE;
}

static int
cmd_help(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("help"), *sub;
	struct opt_parse p;
	const char *name = NULL;
	char *args[] = { NULL, "--help", NULL };
	int o;

	opt_init(&p, c, cmd, argc, argv);
	while ((o = opt_next(&p)) != -1) {
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (name != NULL)
				return cli_usage_err(cmd, "too many operands");
			name = opt_operand(&p);
			break;
		case H_HELP:
			cli_help(cmd, stdout);
			return 0;
		case H_MAN:
			cli_man_synopsis(stdout);
			return 0;
		default:
			return opt_unhandled(&p, o);
		}
	}
	if (name == NULL) {
		print_help(stdout);
		return 0;
	}
	if ((sub = cli_find(name)) == NULL)
		return unknown_command(name);
	args[0] = (char *)sub->name;
	return sub->run(c, 2, args);
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
	int rc;

	/* A peer or pipe that closes must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
#ifdef __GLIBC__
	/*
	 * A scan frees each input's memory and takes as much again for the
	 * next.  By default glibc gives the top of a heap back to the kernel
	 * as soon as 128 KiB of it are free, so every input paid fresh page
	 * faults (18,151 against 5,994 for 200 account exports), and with
	 * --jobs each worker's heap was shrunk by madvise() after every
	 * input, which makes the kernel flush the TLB of every CPU running
	 * the process.  Keeping up to 64 MiB does not raise the peak.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
	/* RAMPART_THREADS=1: parse JSON on the main thread alone. */
	if ((env = getenv("RAMPART_THREADS")) != NULL && strcmp(env, "1") == 0)
		load_set_threads(LOAD_THREADS_OFF, 0);
	memset(&c, 0, sizeof(c));
	c.argv0 = argv[0];
	c.color_out = want_color(STDOUT_FILENO);
	c.color_err = want_color(STDERR_FILENO);
	/* Progress on a terminal; escape codes only where colour is on
	 * (never under TERM=dumb or NO_COLOR). */
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
	if ((cmd = cli_find(argv[1])) == NULL)
		return unknown_command(argv[1]);
	rc = cmd->run(&c, argc - 1, argv + 1);
	/* A write to stdout failed because nobody reads it: not an error. */
	if (ferror(stdout) && stdout_broken())
		die_of_sigpipe();
	arena_free(c.a);
	return cli_finish(rc);
}
