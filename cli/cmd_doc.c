/*
 * cmd_doc.c: `rampart doc FILE [--path EXPR]` loads a YAML or JSON file
 * and prints its tree (or the nodes a path selects) with types and
 * line:col, for users debugging their exports and path expressions.
 */
#include <string.h>

#include "cli/cli.h"

enum { O_PATH = 1, O_INPUT_FORMAT, O_FORMAT, O_HELP, O_COLLECTION };

const struct opt doc_opts[] = {
	{ "path", 0, "EXPR", O_PATH, 0,
	    "print only the nodes EXPR selects, e.g. "
	    "'configurationItems[*].resourceType'",
	    NULL },
	{ "collection", 0, "EXPR", O_COLLECTION, 0,
	    "stream the elements EXPR selects, one at a time", NULL },
	{ "input-format", 0, "F", O_INPUT_FORMAT, 0,
	    "how to read FILE (default auto)", "auto|json|ndjson|yaml" },
	{ "format", 'f', "F", O_FORMAT, 0,
	    "output: the tree with positions, or the nodes as JSON lines",
	    "text|json" },
	{ "json", 0, NULL, O_FORMAT, OPT_ALIAS, "--format json", "json" },
	{ "help", 'h', NULL, O_HELP, 0, "show this help", NULL },
	LIMIT_OPTS,
	OPT_END,
};

struct doc_ctx {
	struct doc_path *path;
	int json;
	size_t shown;
	size_t docno;
};

static int
show_node(void *ctx, const struct doc_node *n)
{
	struct doc_ctx *dc = ctx;

	dc->shown++;
	if (dc->json) {
		doc_write_json(n, stdout);
		fputc('\n', stdout);
	} else {
		doc_dump(n, stdout, 0);
	}
	return 0;
}

static int
show_doc(void *ctx, struct doc_node *root, struct arena *a)
{
	struct doc_ctx *dc = ctx;

	(void)a;
	dc->docno++;
	if (dc->path == NULL)
		return show_node(dc, root);
	return doc_path_eval(dc->path, root, show_node, dc, NULL) < 0 ? -1 : 0;
}

static void
doc_help(const struct command *cmd)
{
	cli_help(cmd, stdout);
	printf("\nFILE is YAML, JSON or NDJSON; '-' reads standard input.\n");
	cli_limit_help(stdout);
}

int
cmd_doc(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("doc");
	struct arena *a = NULL;
	struct diag d;
	struct doc_ctx dc;
	struct load_limits lim;
	enum doc_format fmt = DOC_FMT_AUTO;
	const char *file = NULL, *path = NULL, *coll = NULL, *arg;
	struct opt_parse p;
	int o, rc = EXIT_INVALID_INPUT;

	memset(&dc, 0, sizeof(dc));
	load_limits_default(&lim);
	diag_init(&d);
	opt_init(&p, c, cmd, argc, argv);
	while ((o = opt_next(&p)) != -1) {
		arg = p.arg;
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (file != NULL)
				return cli_usage_err(cmd, "one FILE only");
			file = opt_operand(&p);
			break;
		case O_PATH:
			path = arg;
			break;
		case O_COLLECTION:
			coll = arg;
			break;
		case O_INPUT_FORMAT:
			if (doc_format_parse(arg, &fmt) == -1)
				return cli_usage_err(
				    cmd, "unknown input format '%s'", arg);
			break;
		case O_FORMAT:
			dc.json = strcmp(arg, "json") == 0;
			break;
		case O_HELP:
			doc_help(cmd);
			return 0;
		default:
			if (o < LIMIT_OPT_BASE || o > LIMIT_OPT_BASE + 3)
				return opt_unhandled(&p, o);
			if (cli_limit_opt(cmd, o, arg, &lim) != 0)
				return EXIT_USAGE;
			break;
		}
	}
	if (file == NULL)
		return cli_usage_err(cmd, "missing FILE");
	if ((a = arena_new()) == NULL) {
		fprintf(stderr, "rampart: out of memory\n");
		return EXIT_SYSTEM;
	}
	if (path != NULL &&
	    (dc.path = doc_path_compile(a, &d, path, NULL)) == NULL) {
		cli_diag(c, &d);
		rc = EXIT_USAGE;
		goto out;
	}
	if (doc_stream_file(&d, file, fmt, coll, &lim, show_doc, &dc, NULL) ==
	    -1) {
		cli_diag(c, &d);
		rc = cli_exit_for(&d);
		goto out;
	}
	if (path != NULL && dc.shown == 0)
		fprintf(stderr,
		    "rampart doc: path '%s' selects nothing in "
		    "'%s'\n",
		    path, file);
	rc = 0;
out:
	arena_free(a);
	diag_free(&d);
	return rc;
}
