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

/*
 * The exit code of a command that stopped on errors, from the classes of
 * the errors in d (enum diag_class): any DIAG_SYSTEM or DIAG_CRYPTO
 * error gives EXIT_SYSTEM (the run could not be done, whatever else was
 * wrong), else any DIAG_INPUT error EXIT_INVALID_INPUT, else any
 * DIAG_USAGE error EXIT_USAGE.  A failure that recorded no error at all
 * (an allocation that failed silently) is EXIT_SYSTEM.  The one place
 * where classes become exit codes.
 */
int cli_exit_for(const struct diag *d);

/* Per-invocation state shared by subcommands; no mutable globals. */
struct cli {
	const char *argv0;
	int color_out; /* stdout is a tty and NO_COLOR unset */
	int color_err; /* stderr likewise */
	int tty_err; /* stderr is a tty (progress) */
	/* Until exit: option values read from the configuration file and
	 * the environment (main frees it after the command returns). */
	struct arena *a;
};

/* struct command flags. */
enum cmd_flag {
	CMD_RULES = 1 << 0, /* loads the shipped rule packs (rules dir) */
	CMD_CONFIG = 1 << 1 /* reads .rampart.yaml and RAMPART_* */
};

struct opt;

struct command {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
	const struct opt *opts; /* every option the command accepts */
	const char *synopsis; /* operands: "FILE", "list | show ID" */
	const char *summary; /* one line for `rampart help` */
	const char *subs; /* subcommands, space-separated, or NULL */
	unsigned flags; /* CMD_* */
};

/*
 * One accepted option.  Each command has one table of these; its help,
 * usage line, the man page synopsis and the shell completions are printed
 * from it, so an option cannot be accepted without being documented.
 */
enum opt_flag {
	OPT_REPEAT = 1 << 0, /* may be given more than once */
	OPT_ALIAS = 1 << 1, /* an older name of the option with the same id */
	OPT_CFG = 1 << 2, /* may come from RAMPART_NAME or .rampart.yaml */
	/* --config FILE, --no-config: consumed by the parser */
	OPT_CFGFILE = 1 << 3
};

struct opt {
	const char *name; /* long name, without "--" */
	int short_name; /* 'b' for -b, or 0 */
	const char *arg; /* metavariable ("FILE"); NULL for a flag */
	int id; /* returned by opt_next(); > 0 */
	unsigned flags; /* OPT_* */
	const char *help; /* one line (wrapped); for an alias, its target */
	/*
	 * With arg: the only values allowed, '|'-separated ("text|json"),
	 * checked by the parser (with "did you mean"); NULL = any.  For an
	 * alias flag: the argument it stands for (--json: "json").
	 */
	const char *values;
};

#define OPT_END \
	{ \
		NULL, 0, NULL, 0, 0, NULL, NULL \
	}
#define OPT_MAX 128 /* entries per table */

/*
 * What the configuration sources gave: the file read (with its SHA-256)
 * and the RAMPART_* variables used.  The scan report records it.
 */
struct cli_config {
	const char *path; /* NULL: no file read */
	char digest[65];
	const char *env[OPT_MAX]; /* names of the variables used */
	size_t nenv;
};

/* Parser state: one per command invocation. */
struct opt_parse {
	const struct command *cmd;
	const struct opt *opts;
	int argc;
	char **argv;
	int i; /* next argv index; an operand is argv[i] */
	const char *arg; /* argument of the option just returned */
	const char *given; /* the option as written ("--json", "-b", key) */
	int stage; /* 0 argv, 1 environment, 2 config file, 3 done */
	size_t next; /* index into opts (stage 1) or pairs (stage 2) */
	size_t vi; /* item of the config list being returned */
	int cfg_loaded;
	int no_config; /* --no-config: the command line alone */
	const char *config_path; /* from --config */
	char *pending; /* rest of a comma-separated RAMPART_* list */
	size_t pending_k; /* its option */
	unsigned char seen[OPT_MAX]; /* 1 argv, 2 env, 3 config */
	struct cli *cli; /* its arena holds the configuration's values */
	const struct doc_node *cfg_map; /* this command's section */
	struct cli_config cfg;
};

/* Start parsing argv (argv[0] is the command name). */
void opt_init(struct opt_parse *p, struct cli *c, const struct command *cmd,
    int argc, char **argv);
/*
 * The next option: its id (argument in p->arg), 0 at an operand (argv[p->i];
 * call opt_operand() to take it), -1 at the end, -2 on an error already
 * reported on stderr (exit EXIT_USAGE).  After the command line, options
 * marked OPT_CFG that it did not give come from RAMPART_NAME variables,
 * then from the command's section of the configuration file.
 */
int opt_next(struct opt_parse *p);
/* Internal to opt.c and config.c: return option k with arg from src. */
int opt_take(struct opt_parse *p, size_t k, const char *arg, int src);
int config_next(struct opt_parse *p);
/* Take the operand at argv[p->i]. */
const char *opt_operand(struct opt_parse *p);
/* Whether option id was given (from any source). */
int opt_seen(const struct opt_parse *p, int id);
/* Where option id came from: 0 not given, 1 argv, 2 env, 3 file. */
int opt_source(const struct opt_parse *p, int id);
/*
 * For options the command checks itself: 'arg' is not one of names[0..n):
 * report it with "did you mean" and the list.  Returns EXIT_USAGE.
 */
int opt_bad_value(const struct opt_parse *p, const char *what, const char *arg,
    const char *const *names, size_t n);
/* An id the command's switch does not handle: a bug; EXIT_SYSTEM. */
int opt_unhandled(const struct opt_parse *p, int id);
/* The closest of names[0..n) to word, or NULL when none is close. */
const char *cli_suggest(const char *word, const char *const *names, size_t n);

/* Find a command by name (bsearch on the sorted table). */
const struct command *cli_find(const char *name);
/* The command table (sorted) and its length. */
const struct command *cli_commands(size_t *n);
/* Print "usage: rampart NAME SYNOPSIS" on fp. */
void cli_usage(const struct command *cmd, FILE *fp);
/* Print the usage line, summary and option table of cmd on fp. */
void cli_help(const struct command *cmd, FILE *fp);
/* Report an error about the command line on stderr; returns EXIT_USAGE. */
int cli_usage_err(const struct command *cmd, const char *fmt, ...)
    PRINTF_LIKE(2, 3);
/* Print a shell completion script (bash, zsh, fish) on fp; -1 unknown. */
int cli_completion(const char *shell, FILE *fp);
/* Print the mdoc SYNOPSIS of every command on fp (docs/rampart.1). */
void cli_man_synopsis(FILE *fp);
/* The command table lives in main.c; each cmd_*.c defines one runner. */
int cmd_baseline(struct cli *c, int argc, char **argv);
int cmd_checks(struct cli *c, int argc, char **argv);
int cmd_completion(struct cli *c, int argc, char **argv);
int cmd_diff(struct cli *c, int argc, char **argv);
int cmd_doc(struct cli *c, int argc, char **argv);
int cmd_keygen(struct cli *c, int argc, char **argv);
int cmd_marketplace(struct cli *c, int argc, char **argv);
int cmd_merge(struct cli *c, int argc, char **argv);
int cmd_place(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_scan(struct cli *c, int argc, char **argv);
int cmd_sign(struct cli *c, int argc, char **argv);
int cmd_tls(struct cli *c, int argc, char **argv);
int cmd_verify(struct cli *c, int argc, char **argv);
/* (further cmd_* prototypes are added here, one line each, sorted) */

/* Each command's option table, defined beside its runner (sorted). */
extern const struct opt baseline_opts[];
extern const struct opt checks_opts[];
extern const struct opt completion_opts[];
extern const struct opt diff_opts[];
extern const struct opt doc_opts[];
extern const struct opt keygen_opts[];
extern const struct opt marketplace_opts[];
extern const struct opt merge_opts[];
extern const struct opt place_opts[];
extern const struct opt report_opts[];
extern const struct opt scan_opts[];
extern const struct opt sign_opts[];
extern const struct opt tls_opts[];
extern const struct opt verify_opts[];

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
	{ "max-depth", 0, "N", LIMIT_OPT_BASE, 0, \
		"input limit: nesting of maps and lists", NULL }, \
	    { "max-alias-nodes", 0, "N", LIMIT_OPT_BASE + 1, 0, \
		    "input limit: nodes reachable through YAML aliases", \
		    NULL }, \
	    { "max-scalar-bytes", 0, "N", LIMIT_OPT_BASE + 2, 0, \
		    "input limit: one string or key", NULL }, \
	{ \
		"max-document-bytes", 0, "N", LIMIT_OPT_BASE + 3, 0, \
		    "input limit: one document or streamed element", NULL \
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

/*
 * The failing, waived and errored findings of a JSON report, read the way
 * `rampart diff` reads them (cmd_diff.c): fingerprints, sorted, in arena
 * a; capped when the report did not list all of them (--max-results).
 * 0, or -1 with the error in d.
 */
struct report_findings {
	char (*fp)[SHA256_HEX_LEN + 1];
	size_t n;
	int capped;
};
int diff_read_findings(struct arena *a, struct diag *d, const char *path,
    struct report_findings *out);

/*
 * One progress line on stderr (cli/progress.c), for a command that takes
 * long.  It is shown only when stderr is a terminal (struct cli tty_err),
 * drawn and erased with "\r" and spaces alone whatever NO_COLOR, --color
 * or TERM say, escaped as term_escape() does and cut to the terminal's
 * width less one column, so it never wraps.
 */
struct progress {
	int on; /* stderr is a terminal */
	size_t width; /* columns now shown; 0: none */
};
/* Begin with nothing shown; on when c's stderr is a terminal. */
void progress_start(struct progress *p, const struct cli *c);
/* Replace the line shown with the printf-formatted text (when on). */
void progress_update(struct progress *p, const char *fmt, ...)
    PRINTF_LIKE(2, 3);
/* Erase the line shown, if any. */
void progress_clear(struct progress *p);
/*
 * For progress_update() and its test: text escaped into dst (len bytes),
 * cut after cols columns without splitting a UTF-8 sequence.  Returns the
 * columns kept.
 */
size_t progress_fit(char *dst, size_t len, const char *text, size_t cols);

/* Flush and close stdout; EXIT_SYSTEM when that fails, else rc. */
int cli_finish(int rc);

#endif /* RAMPART_CLI_H */
