/*
 * test_cli.c: the option parser and the configuration sources (cli/opt.c,
 * cli/config.c), compiled into the test with a small command table of its
 * own: long, short and attached forms give the same option; an alias is
 * its option (a second one is "given twice"); values are checked; the
 * command line wins over RAMPART_* which wins over the file, option by
 * option, for every order of the sources (a loop over permutations);
 * "did you mean" finds one-edit and one-swap typos and nothing far.
 */
#include "testutil.h"

#include "cli/cli.h"
#include "cli/config.c"
#include "cli/opt.c"

enum { T_BASE = 1, T_IN, T_FMT, T_QUIET, T_HELP, T_CFG, T_GATE };

static const struct opt t_opts[] = {
	{ "baseline", 'b', "NAME", T_BASE, OPT_CFG, "baseline", NULL },
	{ "input", 'i', "PATH", T_IN, OPT_REPEAT | OPT_CFG, "input", NULL },
	{ "format", 'f', "F", T_FMT, OPT_CFG, "format", "text|json" },
	{ "json", 0, NULL, T_FMT, OPT_ALIAS, "--format json", "json" },
	{ "quiet", 'q', NULL, T_QUIET, OPT_CFG, "quiet", NULL },
	{ "gate", 0, "G", T_GATE, 0, "not from the configuration",
	    "eligibility|checks" },
	{ "config", 0, "FILE", T_CFG, OPT_CFGFILE, "config", NULL },
	{ "no-config", 0, NULL, T_CFG, OPT_CFGFILE, "no config", NULL },
	{ "help", 'h', NULL, T_HELP, 0, "help", NULL },
	OPT_END,
};

static int
t_run(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	return 0;
}

/* Sorted, as cli_find() requires. */
static const struct command t_cmds[] = {
	{ "other", t_run, t_opts, "", "other", NULL, 0 },
	{ "scan", t_run, t_opts, "", "scan", NULL, CMD_CONFIG },
};

const struct command *
cli_commands(size_t *n)
{
	*n = 2;
	return t_cmds;
}

const struct command *
cli_find(const char *name)
{
	size_t i;

	for (i = 0; i < 2; i++)
		if (strcmp(t_cmds[i].name, name) == 0)
			return &t_cmds[i];
	return NULL;
}

/* What a parse gave: the last value of each option, all inputs. */
struct got {
	int rc; /* 0, or -2 */
	const char *base, *fmt;
	const char *in[8];
	int nin, quiet;
	const char *ops[4];
	int nops;
};

static void
parse(struct cli *c, const char *cmd, int argc, char **argv, struct got *g)
{
	struct opt_parse p;
	int o;

	memset(g, 0, sizeof(*g));
	opt_init(&p, c, cli_find(cmd), argc, argv);
	while ((o = opt_next(&p)) != -1) {
		switch (o) {
		case -2:
			g->rc = -2;
			return;
		case 0:
			g->ops[g->nops++] = opt_operand(&p);
			break;
		case T_BASE:
			g->base = p.arg;
			break;
		case T_IN:
			g->in[g->nin++] = p.arg;
			break;
		case T_FMT:
			g->fmt = p.arg;
			break;
		case T_QUIET:
			g->quiet = 1;
			break;
		default:
			break;
		}
	}
}

#define ARGV(...) \
	(char *[]) \
	{ \
		"scan", __VA_ARGS__, NULL \
	}
#define ARGC(v) ((int)(sizeof(v) / sizeof(char *)) - 1)

static void
clear_env(void)
{
	unsetenv("RAMPART_BASELINE");
	unsetenv("RAMPART_INPUT");
	unsetenv("RAMPART_FORMAT");
	unsetenv("RAMPART_QUIET");
	unsetenv("RAMPART_GATE");
}

static void
test_forms(void **state)
{
	struct cli c = { 0 };
	struct got g;
	char **forms[] = { ARGV("--baseline", "x"), ARGV("--baseline=x"),
		ARGV("-b", "x"), ARGV("-bx") };
	int lens[] = { 3, 2, 3, 2 };
	size_t i;

	(void)state;
	clear_env();
	for (i = 0; i < 4; i++) {
		parse(&c, "other", lens[i], forms[i], &g);
		assert_int_equal(g.rc, 0);
		assert_non_null(g.base);
		assert_string_equal(g.base, "x");
	}
	parse(&c, "other", 2, ARGV("--json"), &g);
	assert_string_equal(g.fmt, "json");
	parse(&c, "other", 3, ARGV("-f", "text"), &g);
	assert_string_equal(g.fmt, "text");
	parse(&c, "other", 5, ARGV("a", "--", "-b", "c"), &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.nops, 3);
	assert_string_equal(g.ops[1], "-b");
	arena_free(c.a);
}

static void
test_errors(void **state)
{
	struct cli c = { 0 };
	struct got g;

	(void)state;
	clear_env();
	/* One value, given twice, by any name. */
	parse(&c, "other", 5, ARGV("-b", "x", "--baseline", "y"), &g);
	assert_int_equal(g.rc, -2);
	parse(&c, "other", 4, ARGV("--json", "--format", "text"), &g);
	assert_int_equal(g.rc, -2);
	/* A repeatable option repeats. */
	parse(&c, "other", 5, ARGV("-i", "a", "--input", "b"), &g);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.nin, 2);
	/* Values, flags, missing arguments, unknown options. */
	parse(&c, "other", 3, ARGV("--format", "jsno"), &g);
	assert_int_equal(g.rc, -2);
	parse(&c, "other", 2, ARGV("--quiet=1"), &g);
	assert_int_equal(g.rc, -2);
	parse(&c, "other", 2, ARGV("--baseline"), &g);
	assert_int_equal(g.rc, -2);
	parse(&c, "other", 2, ARGV("--basline=x"), &g);
	assert_int_equal(g.rc, -2);
	parse(&c, "other", 2, ARGV("-qz"), &g);
	assert_int_equal(g.rc, -2);
	arena_free(c.a);
}

static void
test_suggest(void **state)
{
	static const char *const names[] = { "baseline", "scan", "skip-check",
		"check", "format", "json" };
	static const struct {
		const char *word, *want;
	} cases[] = {
		{ "basline", "baseline" },
		{ "baselien", "baseline" },
		{ "scna", "scan" },
		{ "sacn", "scan" },
		{ "skip-chek", "skip-check" },
		{ "fromat", "format" },
		{ "jsno", "json" },
		{ "base", "baseline" },
		{ "zzzz", NULL },
		{ "x", NULL },
		{ "verify", NULL },
	};
	size_t i;
	const char *got;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = cli_suggest(cases[i].word, names, 6);
		if (cases[i].want == NULL)
			assert_null(got);
		else
			assert_string_equal(got, cases[i].want);
	}
}

/*
 * Precedence, for each of the 8 combinations of sources giving the
 * baseline: the command line, else the environment, else the file; and
 * what is recorded names only the sources used.
 */
static void
test_precedence(void **state)
{
	char dir[] = "/tmp/rampart-test-cli.XXXXXX", path[256];
	struct cli c = { 0 };
	struct got g;
	FILE *fp;
	int mask;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/c.yaml", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(
	    "scan:\n  baseline: file\n  input: [f1, f2]\n  quiet: false\n", fp);
	fclose(fp);
	for (mask = 0; mask < 8; mask++) {
		char *v[6] = { "scan", NULL, NULL, NULL, NULL, NULL };
		int n = 1;
		const char *want = "none";

		clear_env();
		if (mask & 4) {
			v[n++] = "--config";
			v[n++] = path;
		}
		if (mask & 2)
			setenv("RAMPART_BASELINE", "env", 1);
		if (mask & 1) {
			v[n++] = "-b";
			v[n++] = "cli";
		}
		parse(&c, "scan", n, v, &g);
		assert_int_equal(g.rc, 0);
		if (mask & 4)
			want = "file";
		if (mask & 2)
			want = "env";
		if (mask & 1)
			want = "cli";
		assert_string_equal(g.base ? g.base : "none", want);
		/* The file's list comes along when the file is read. */
		assert_int_equal(g.nin, mask & 4 ? 2 : 0);
		assert_int_equal(g.quiet, 0);
	}
	/* The command line's list replaces the file's; env lists split. */
	clear_env();
	parse(&c, "scan", 5, ARGV("--config", path, "-i", "c1"), &g);
	assert_int_equal(g.nin, 1);
	setenv("RAMPART_INPUT", "e1,e2,e3", 1);
	parse(&c, "scan", 3, ARGV("--config", path), &g);
	assert_int_equal(g.nin, 3);
	assert_string_equal(g.in[2], "e3");
	/* --no-config: neither; a command without CMD_CONFIG: neither. */
	setenv("RAMPART_BASELINE", "env", 1);
	parse(&c, "scan", 2, ARGV("--no-config"), &g);
	assert_null(g.base);
	parse(&c, "other", 1, ARGV(NULL), &g);
	assert_null(g.base);
	/* Options not marked OPT_CFG are not read from the environment. */
	setenv("RAMPART_GATE", "checks", 1);
	parse(&c, "scan", 2, ARGV("--no-config"), &g);
	assert_int_equal(g.rc, 0);
	/* A flag variable is a boolean. */
	setenv("RAMPART_QUIET", "1", 1);
	parse(&c, "scan", 1, ARGV(NULL), &g);
	assert_int_equal(g.quiet, 1);
	setenv("RAMPART_QUIET", "maybe", 1);
	parse(&c, "scan", 1, ARGV(NULL), &g);
	assert_int_equal(g.rc, -2);
	clear_env();
	unlink(path);
	rmdir(dir);
	arena_free(c.a);
}

/* Bad files: every one an error, never a silent default. */
static void
test_bad_files(void **state)
{
	static const char *const bad[] = {
		"scan:\n  basline: x\n",
		"scna:\n  baseline: x\n",
		"other:\n  baseline: x\n", /* a command without CMD_CONFIG */
		"scan:\n  baseline: [a, b]\n",
		"scan:\n  quiet: 1\n",
		"scan:\n  gate: checks\n", /* not OPT_CFG */
		"scan:\n  format: jsno\n",
		"scan:\n  baseline: a\n  baseline: b\n",
		"- scan\n",
		"scan: [baseline]\n",
		"scan:\n  baseline: {a: b}\n",
	};
	char dir[] = "/tmp/rampart-test-cli.XXXXXX", path[256];
	struct cli c = { 0 };
	struct got g;
	size_t i;
	FILE *fp;

	(void)state;
	clear_env();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bad.yaml", dir);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fp = fopen(path, "w");
		assert_non_null(fp);
		fputs(bad[i], fp);
		fclose(fp);
		parse(&c, "scan", 3, ARGV("--config", path), &g);
		if (g.rc != -2)
			fail_msg("accepted: %s", bad[i]);
	}
	parse(&c, "scan", 3, ARGV("--config", "/nonexistent/c.yaml"), &g);
	assert_int_equal(g.rc, -2);
	unlink(path);
	rmdir(dir);
	arena_free(c.a);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_bad_files),
	};

	RUN_TESTS("cli", tests, argc, argv);
}
