/*
 * opt.c: the option parser every command uses, driven by the command's
 * option table (cli.h struct opt): long and short options, aliases, a
 * repeated single-valued option is an error, "did you mean" for a
 * mistyped option or value, and the options a pipeline repeats from
 * RAMPART_* variables and the configuration file (config.c).  The help
 * text and usage line are printed from the same table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "rules/rules.h"

void
cli_usage(const struct command *cmd, FILE *fp)
{
	int opts = cmd->opts != NULL && cmd->opts[0].name != NULL &&
	    cmd->opts[1].name != NULL;
	size_t len = 15 + strlen(cmd->name) + 1 + strlen(cmd->synopsis);

	fprintf(fp, "usage: rampart %s%s%s", cmd->name,
	    cmd->synopsis[0] != '\0' ? " " : "", cmd->synopsis);
	/* 80 columns: "[options]" on a line of its own when it must. */
	if (opts)
		fprintf(fp, "%s[options]", len + 10 > 80 ? "\n       " : " ");
	fputc('\n', fp);
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

/*
 * Edit distance of two short words (capped at 64 bytes), counting a swap
 * of two neighbours as one edit ("scna" is one edit from "scan").
 */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, t;
	size_t m[65][65];

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		m[i][0] = i;
	for (j = 0; j <= lb; j++)
		m[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			t = m[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (m[i - 1][j] + 1 < t)
				t = m[i - 1][j] + 1;
			if (m[i][j - 1] + 1 < t)
				t = m[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && m[i - 2][j - 2] + 1 < t)
				t = m[i - 2][j - 2] + 1;
			m[i][j] = t;
		}
	return m[la][lb];
}

const char *
cli_suggest(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t i, d, bestd = (size_t)-1, len = strlen(word), limit;

	/* A third of the word may be wrong, at least one and at most 3. */
	limit = len / 3 < 1 ? 1 : len / 3 > 3 ? 3 : len / 3;
	for (i = 0; i < n; i++) {
		if (names[i] == NULL)
			continue;
		/* A prefix of a longer name ("--base") is close too. */
		if (len >= 3 && strncmp(names[i], word, len) == 0)
			d = 1;
		else
			d = edit_distance(word, names[i]);
		if (d <= limit && d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	return best;
}

static size_t
opt_count(const struct opt *o)
{
	size_t n = 0;

	while (o != NULL && o[n].name != NULL)
		n++;
	return n;
}

void
opt_init(struct opt_parse *p, struct cli *c, const struct command *cmd,
    int argc, char **argv)
{
	memset(p, 0, sizeof(*p));
	p->cli = c;
	p->cmd = cmd;
	p->opts = cmd->opts;
	p->argc = argc;
	p->argv = argv;
	p->i = 1;
}

const char *
opt_operand(struct opt_parse *p)
{
	return p->i < p->argc ? p->argv[p->i++] : NULL;
}

/* Index of the first entry with id (the canonical option). */
static size_t
canon(const struct opt *opts, int id)
{
	size_t k;

	for (k = 0; opts[k].name != NULL; k++)
		if (opts[k].id == id && !(opts[k].flags & OPT_ALIAS))
			return k;
	for (k = 0; opts[k].name != NULL; k++)
		if (opts[k].id == id)
			return k;
	return 0;
}

int
opt_seen(const struct opt_parse *p, int id)
{
	return p->seen[canon(p->opts, id)] != 0;
}

int
opt_source(const struct opt_parse *p, int id)
{
	return p->seen[canon(p->opts, id)];
}

/* Split "a|b|c" into names (pointers into buf). */
static size_t
split_values(
    const char *values, char *buf, size_t len, const char **names, size_t max)
{
	char *s, *bar;
	size_t n = 0;

	if ((size_t)snprintf(buf, len, "%s", values) >= len)
		return 0;
	for (s = buf; s != NULL && n < max; s = bar) {
		if ((bar = strchr(s, '|')) != NULL)
			*bar++ = '\0';
		names[n++] = s;
	}
	return n;
}

int
opt_bad_value(const struct opt_parse *p, const char *what, const char *arg,
    const char *const *names, size_t n)
{
	const char *near = cli_suggest(arg, names, n);
	size_t i;

	fprintf(stderr, "rampart %s: unknown %s '%s'", p->cmd->name, what, arg);
	if (near != NULL)
		fprintf(stderr, " (did you mean '%s'?)", near);
	fprintf(stderr, "\nvalid values:");
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s %s", i ? "," : "", names[i]);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

int
opt_unhandled(const struct opt_parse *p, int id)
{
	fprintf(stderr,
	    "rampart %s: internal error: option '--%s' is accepted but not "
	    "handled\n",
	    p->cmd->name, p->opts[canon(p->opts, id)].name);
	return EXIT_SYSTEM;
}

/* Check a value against o->values; 0 or -2 (reported). */
static int
check_value(struct opt_parse *p, const struct opt *o, const char *arg)
{
	const char *names[32];
	char buf[512];
	size_t n, i;

	if (o->values == NULL || o->arg == NULL)
		return 0;
	n = split_values(o->values, buf, sizeof(buf), names, 32);
	for (i = 0; i < n; i++)
		if (strcmp(names[i], arg) == 0)
			return 0;
	opt_bad_value(p, o->name, arg, names, n);
	return -2;
}

/*
 * Return option k (with its argument) as the next one: marks it seen and
 * rejects a second occurrence of a single-valued option.  src: 1 argv,
 * 2 environment, 3 configuration file.
 */
int
opt_take(struct opt_parse *p, size_t k, const char *arg, int src)
{
	const struct opt *o = &p->opts[k];
	size_t c = canon(p->opts, o->id);

	if (o->arg == NULL && o->values != NULL)
		arg = o->values; /* --json: --format json */
	if (src == 1 && p->seen[c] != 0 && !(p->opts[c].flags & OPT_REPEAT)) {
		fprintf(stderr,
		    "rampart %s: option '--%s' given twice (it takes one "
		    "value)\n",
		    p->cmd->name, p->opts[c].name);
		return -2;
	}
	if (arg != NULL && check_value(p, &p->opts[c], arg) != 0)
		return -2;
	if (p->seen[c] == 0 || src == 1)
		p->seen[c] = (unsigned char)src;
	p->arg = arg;
	return o->id;
}

/* Unknown option: report it with the closest name. */
static int
unknown_option(struct opt_parse *p, const char *given, size_t n)
{
	const char *names[OPT_MAX + 1], *near;
	char word[128];
	size_t k, m = opt_count(p->opts);

	for (k = 0; k < m && k < OPT_MAX; k++)
		names[k] = p->opts[k].name;
	snprintf(word, sizeof(word), "%.*s", (int)n, given);
	near = cli_suggest(word, names, k);
	fprintf(stderr, "rampart %s: unknown option '%s%s'", p->cmd->name,
	    n == 1 ? "-" : "--", word);
	if (near != NULL)
		fprintf(stderr, " (did you mean '--%s'?)", near);
	fputc('\n', stderr);
	fprintf(
	    stderr, "run 'rampart %s --help' for the options\n", p->cmd->name);
	return -2;
}

static int
next_short(struct opt_parse *p, const char *a)
{
	size_t k;

	for (k = 0; p->opts[k].name != NULL; k++) {
		if (p->opts[k].short_name != a[1])
			continue;
		p->given = a;
		p->i++;
		if (p->opts[k].arg == NULL) {
			if (a[2] != '\0')
				break;
			return opt_take(p, k, NULL, 1);
		}
		if (a[2] != '\0')
			return opt_take(p, k, a + 2, 1);
		if (p->i >= p->argc) {
			fprintf(stderr,
			    "rampart %s: option '-%c' needs an argument\n",
			    p->cmd->name, a[1]);
			return -2;
		}
		return opt_take(p, k, p->argv[p->i++], 1);
	}
	return unknown_option(p, a + 1, strlen(a + 1));
}

static int
next_argv(struct opt_parse *p)
{
	const char *a, *eq, *name;
	size_t n, k;

	a = p->argv[p->i];
	if (strcmp(a, "--") == 0) {
		p->i++;
		p->stage = -1; /* operands only from here */
		return p->i < p->argc ? 0 : -1;
	}
	if (a[0] != '-' || a[1] == '\0')
		return 0;
	if (a[1] != '-')
		return next_short(p, a);
	name = a + 2;
	eq = strchr(name, '=');
	n = eq ? (size_t)(eq - name) : strlen(name);
	for (k = 0; p->opts[k].name != NULL; k++) {
		if (strlen(p->opts[k].name) != n ||
		    strncmp(p->opts[k].name, name, n) != 0)
			continue;
		p->given = a;
		p->i++;
		if ((p->opts[k].flags & OPT_CFGFILE) &&
		    p->opts[k].arg == NULL && eq == NULL) {
			p->no_config = 1; /* --no-config */
			return opt_next(p);
		}
		if (p->opts[k].arg == NULL) {
			if (eq != NULL) {
				fprintf(stderr,
				    "rampart %s: option '--%s' takes no "
				    "argument\n",
				    p->cmd->name, p->opts[k].name);
				return -2;
			}
			return opt_take(p, k, NULL, 1);
		}
		if (eq == NULL && p->i >= p->argc) {
			fprintf(stderr,
			    "rampart %s: option '--%s' needs an argument\n",
			    p->cmd->name, p->opts[k].name);
			return -2;
		}
		if (p->opts[k].flags & OPT_CFGFILE) {
			p->config_path = eq ? eq + 1 : p->argv[p->i++];
			return opt_next(p);
		}
		return opt_take(p, k, eq ? eq + 1 : p->argv[p->i++], 1);
	}
	return unknown_option(p, name, n);
}

int
opt_next(struct opt_parse *p)
{
	p->arg = NULL;
	if (p->stage <= 0 && p->i < p->argc) {
		if (p->stage == -1)
			return 0;
		return next_argv(p);
	}
	if (p->stage <= 0)
		p->stage = 1;
	if (!(p->cmd->flags & CMD_CONFIG) || p->no_config)
		return -1;
	return config_next(p);
}

/* Print s wrapped at 80 columns, continuation lines indented by col. */
static void
print_wrapped(FILE *fp, const char *s, size_t at, size_t col)
{
	size_t w, len;

	while (*s != '\0') {
		len = strlen(s);
		if (at + len <= 79) {
			fprintf(fp, "%s", s);
			break;
		}
		/* Break at the last space that fits. */
		for (w = 79 - at; w > 0 && s[w] != ' '; w--)
			;
		if (w == 0)
			for (w = 79 - at; s[w] != '\0' && s[w] != ' '; w++)
				;
		fprintf(fp, "%.*s\n%*s", (int)w, s, (int)col, "");
		s += w;
		while (*s == ' ')
			s++;
		at = col;
	}
	fputc('\n', fp);
}

void
cli_help(const struct command *cmd, FILE *fp)
{
	const struct opt *o;
	char left[96], help[512], dir[4096];
	size_t col = 0, len, ncfg = 0;

	cli_usage(cmd, fp);
	fprintf(fp, "\n%s\n", cmd->summary);
	/* Where the shipped rule packs and baselines come from. */
	if ((cmd->flags & CMD_RULES) && rules_dir(dir, sizeof(dir)) == 0)
		fprintf(fp, "rule packs and baselines: %s\n", dir);
	if (cmd->opts == NULL || cmd->opts[0].name == NULL)
		return;
	fprintf(fp, "\noptions:\n");
	for (o = cmd->opts; o->name != NULL; o++) {
		len = 2 + 4 + 2 + strlen(o->name) +
		    (o->arg ? 1 + strlen(o->arg) : 0);
		if (len > col && len <= 30)
			col = len;
	}
	col += 2;
	for (o = cmd->opts; o->name != NULL; o++) {
		if (o->short_name != 0)
			snprintf(left, sizeof(left), "  -%c, --%s%s%s",
			    o->short_name, o->name, o->arg ? " " : "",
			    o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "      --%s%s%s", o->name,
			    o->arg ? " " : "", o->arg ? o->arg : "");
		if (o->flags & OPT_ALIAS)
			snprintf(help, sizeof(help), "same as %s", o->help);
		else
			snprintf(help, sizeof(help), "%s%s%s%s%s", o->help,
			    o->arg && o->values ? " (" : "",
			    o->arg && o->values ? o->values : "",
			    o->arg && o->values ? ")" : "",
			    o->flags & OPT_REPEAT ? " (repeatable)" : "");
		len = strlen(left);
		if (len + 1 > col) {
			fprintf(fp, "%s\n%*s", left, (int)col, "");
		} else {
			fprintf(fp, "%-*s", (int)col, left);
		}
		print_wrapped(fp, help, col, col);
		if (o->flags & OPT_CFG)
			ncfg++;
	}
	if (ncfg > 0 && (cmd->flags & CMD_CONFIG)) {
		fprintf(fp,
		    "\nfrom the environment (RAMPART_NAME) or .rampart.yaml "
		    "(section '%s'),\nbelow the command line:",
		    cmd->name);
		len = 0;
		for (o = cmd->opts; o->name != NULL; o++) {
			if (!(o->flags & OPT_CFG) || (o->flags & OPT_ALIAS))
				continue;
			if (len == 0 || len + strlen(o->name) + 2 > 76) {
				fprintf(fp, "\n ");
				len = 1;
			}
			fprintf(fp, " %s", o->name);
			len += strlen(o->name) + 1;
		}
		fputc('\n', fp);
	}
}
