/*
 * cmd_doc.c: `rampart doc FILE [--path EXPR]` loads a YAML or JSON file
 * and prints its tree (or the nodes a path selects) with types and
 * line:col, for users debugging their exports and path expressions.
 */
#include <string.h>

#include "cli/cli.h"

enum { O_PATH = 1, O_FORMAT, O_JSON, O_HELP, O_COLLECTION };

static const struct opt doc_opts[] = {
	{ "path", 1, O_PATH },
	{ "format", 1, O_FORMAT },
	{ "input-format", 1, O_FORMAT },
	{ "json", 0, O_JSON },
	{ "collection", 1, O_COLLECTION },
	{ "help", 0, O_HELP },
	LIMIT_OPTS,
	{ NULL, 0, 0 },
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
	cli_usage(cmd, stdout);
	printf("\nLoad FILE (YAML, JSON or NDJSON; '-' for standard input) and "
	       "print its\ntree with each node's type and line:col.\n\n"
	       "  --path EXPR        print only the nodes EXPR selects, e.g.\n"
	       "                     'configurationItems[*].resourceType'\n"
	       "  --collection EXPR  stream the elements EXPR selects, one "
	       "at a time\n"
	       "  --format F         auto (default), json, ndjson or yaml\n"
	       "  --json             print selected nodes as JSON lines\n");
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
	int i = 1, o, rc = EXIT_INVALID_INPUT;

	memset(&dc, 0, sizeof(dc));
	load_limits_default(&lim);
	diag_init(&d);
	while ((o = opt_next(cmd, doc_opts, argc, argv, &i, &arg)) != -1) {
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (file != NULL)
				return cli_usage_err(cmd, "one FILE only");
			file = argv[i++];
			break;
		case O_PATH:
			path = arg;
			break;
		case O_COLLECTION:
			coll = arg;
			break;
		case O_FORMAT:
			if (doc_format_parse(arg, &fmt) == -1)
				return cli_usage_err(cmd,
				    "unknown format "
				    "'%s'",
				    arg);
			break;
		case O_JSON:
			dc.json = 1;
			break;
		case O_HELP:
			doc_help(cmd);
			return 0;
		default:
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
