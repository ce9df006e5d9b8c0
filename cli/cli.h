/*
 * cli.h: the command-line layer.  Only cli/ exits, prints to the user and
 * maps results to exit codes.
 */
#ifndef RAMPART_CLI_H
#define RAMPART_CLI_H

#include "lib/lib.h"

/* Exit codes: documented in README.md and docs/rampart.1. */
enum rampart_exit {
	EXIT_ELIGIBLE = 0, /* every required control passes */
	EXIT_NOT_ELIGIBLE = 1, /* a failure not covered by POA&M */
	EXIT_USAGE = 2, /* bad command line */
	EXIT_INVALID_INPUT = 3, /* bad baseline, rule, export, POA&M file */
	EXIT_INCOMPLETE = 4, /* no failure, but evidence missing */
	EXIT_SYSTEM = 5 /* system, I/O or crypto error */
};

/* Per-invocation state shared by subcommands; no mutable globals. */
struct cli {
	const char *argv0;
	int color_out; /* stdout is a tty and NO_COLOR unset */
	int color_err; /* stderr likewise */
	int tty_err; /* stderr is a tty (progress) */
};

struct command {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
	const char *synopsis; /* "FILE [--path EXPR]" */
	const char *summary; /* one line for `rampart help` */
};

/* The command table lives in main.c; each cmd_*.c defines one runner. */
int cmd_baseline(struct cli *c, int argc, char **argv);
int cmd_checks(struct cli *c, int argc, char **argv);
int cmd_diff(struct cli *c, int argc, char **argv);
int cmd_doc(struct cli *c, int argc, char **argv);
int cmd_keygen(struct cli *c, int argc, char **argv);
int cmd_marketplace(struct cli *c, int argc, char **argv);
int cmd_merge(struct cli *c, int argc, char **argv);
int cmd_place(struct cli *c, int argc, char **argv);
int cmd_scan(struct cli *c, int argc, char **argv);
int cmd_sign(struct cli *c, int argc, char **argv);
int cmd_tls(struct cli *c, int argc, char **argv);
int cmd_verify(struct cli *c, int argc, char **argv);
/* (further cmd_* prototypes are added here, one line each, sorted) */

/*
 * Option parsing helper: getopt_long wrapper semantics are awkward across
 * subcommands, so each command uses this small parser.  Long options only
 * ("--name VALUE", "--name=VALUE", "--flag"), "--" ends options.
 */
struct opt {
	const char *name; /* without "--" */
	int has_arg;
	int id;
};

/*
 * Parse argv from index *i.  Returns the option id, 0 at the first operand
 * (left at argv[*i]), -1 at the end, or -2 on an unknown option or a
 * missing argument (already reported on stderr).  *arg gets the argument.
 */
int opt_next(const struct command *cmd, const struct opt *opts, int argc,
    char **argv, int *i, const char **arg);
/* Find a command by name (bsearch on the sorted table). */
const struct command *cli_find(const char *name);
/* Print "usage: rampart NAME SYNOPSIS" on fp. */
void cli_usage(const struct command *cmd, FILE *fp);
/* Report an error about the command line on stderr; returns EXIT_USAGE. */
int cli_usage_err(const struct command *cmd, const char *fmt, ...)
    PRINTF_LIKE(2, 3);
/* Print collected diagnostics on stderr (with source lines, colour). */
void cli_diag(struct cli *c, const struct diag *d);
/*
 * The input limits every command that reads user files accepts:
 * --max-depth, --max-alias-nodes, --max-scalar-bytes, --max-document-bytes.
 * LIMIT_OPTS are their struct opt lines (ids LIMIT_OPT_BASE..+3); call
 * cli_limit_opt() for those ids.  Returns 0 or EXIT_USAGE.
 */
#define LIMIT_OPT_BASE 1000
#define LIMIT_OPTS \
	{ "max-depth", 1, LIMIT_OPT_BASE }, \
	    { "max-alias-nodes", 1, LIMIT_OPT_BASE + 1 }, \
	    { "max-scalar-bytes", 1, LIMIT_OPT_BASE + 2 }, \
	{ \
		"max-document-bytes", 1, LIMIT_OPT_BASE + 3 \
	}
int cli_limit_opt(
    const struct command *cmd, int id, const char *arg, struct load_limits *l);
/* Help text for the limit options. */
void cli_limit_help(FILE *fp);

/*
 * The shipped Marketplace feed: <rules dir>/marketplace/
 * fedramp-marketplace.json, into buf.  0, or -1 when there is no rules
 * directory (cmd_marketplace.c).
 */
int cli_marketplace_default(char *buf, size_t len);

/* Flush and close stdout; EXIT_SYSTEM when that fails, else rc. */
int cli_finish(int rc);

#endif /* RAMPART_CLI_H */
