/*
 * cmd_checks.c: `rampart checks list [--json]` and `rampart checks show
 * ID`, printed from the loaded rule packs and the plugin table.  The
 * controls a check evidences are the ones the mapping binds it to (the
 * shipped `fedramp` mapping, or --mapping NAME|FILE): the mapping is the
 * one source of truth, rule packs do not list controls.
 */
#include <string.h>

#include "cli/cli.h"
#include "reports/report.h"

enum { O_HELP = 1, O_FORMAT, O_MAPPING, O_RULES, O_PLUGIN };

const struct opt checks_opts[] = {
	{ "format", 'f', "F", O_FORMAT, 0, "output of list and show",
	    "text|json" },
	{ "json", 0, NULL, O_FORMAT, OPT_ALIAS, "--format json", "json" },
	{ "mapping", 0, "NAME|FILE", O_MAPPING, 0,
	    "control-to-check mapping (default fedramp)", NULL },
	{ "rules", 0, "PATH", O_RULES, OPT_REPEAT,
	    "extra rule pack file or directory", NULL },
	{ "plugin", 0, "FILE.so", O_PLUGIN, OPT_REPEAT,
	    "load an external check plugin", NULL },
	{ "help", 'h', NULL, O_HELP, 0, "show this help", NULL },
	OPT_END,
};

/* The bindings of one mapping, read once. */
struct binds {
	const char *name;
	struct mapping_binding *v;
	size_t n;
};

/* A control id as CLI output prints it ("AC-2(3)"). */
static const char *
label(const char *id, char *buf, size_t len)
{
	return control_label(id, buf, len) == 0 ? buf : id;
}

static void
list_text(const struct rule_set *rs, const struct binds *bd)
{
	const struct rule *r;
	char lb[64];
	size_t i, j, k;

	printf(
	    "%-44s %-8s %-22s %s\n", "check", "severity", "plugin", "controls");
	for (i = 0; i < rs->n; i++) {
		r = rs->v[i];
		printf("%-44s %-8s %-22s", r->id, severity_name(r->severity),
		    r->plugin);
		for (j = k = 0; j < bd->n; j++)
			if (strcmp(bd->v[j].check_id, r->id) == 0)
				printf("%s%s%s", k++ ? "," : " ",
				    label(bd->v[j].control, lb, sizeof(lb)),
				    bd->v[j].full ? " (full)" : "");
		if (k == 0)
			printf(" -");
		putchar('\n');
	}
	printf("controls: as bound by the mapping '%s'; (full) = the check "
	       "decides the control\n",
	    bd->name);
	printf("%zu checks; plugins:", rs->n);
	for (i = 0; i < check_nplugins; i++)
		printf(" %s", check_plugins[i]->name);
	putchar('\n');
}

/* One check as JSON: controls by id and label side by side. */
static void
check_json(struct jw *w, const struct rule *r, const struct binds *bd)
{
	char lb[64];
	size_t j;

	jw_obj(w);
	jw_kstr(w, "id", r->id);
	jw_kstr(w, "title", r->title);
	jw_kstr(w, "severity", severity_name(r->severity));
	jw_kstr(w, "plugin", r->plugin);
	jw_key(w, "resource_types");
	jw_arr(w);
	for (j = 0; j < r->ntypes; j++)
		jw_str(w, r->types[j]);
	jw_end_arr(w);
	jw_key(w, "controls");
	jw_arr(w);
	for (j = 0; j < bd->n; j++)
		if (strcmp(bd->v[j].check_id, r->id) == 0)
			jw_str(w, bd->v[j].control);
	jw_end_arr(w);
	jw_key(w, "bindings");
	jw_arr(w);
	for (j = 0; j < bd->n; j++) {
		if (strcmp(bd->v[j].check_id, r->id) != 0)
			continue;
		jw_obj(w);
		jw_kstr(w, "control", bd->v[j].control);
		jw_kstr(w, "label", label(bd->v[j].control, lb, sizeof(lb)));
		jw_kstr(w, "decides", bd->v[j].full ? "full" : "part");
		jw_kstr(w, "rationale", bd->v[j].rationale);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_kstr(w, "mapping", bd->name);
	jw_kstr(w, "pack", r->pack);
	jw_key(w, "required");
	jw_bool(w, r->required);
	jw_key(w, "parameters");
	if (r->params != NULL)
		jw_doc(w, r->params);
	else
		jw_null(w);
	jw_end_obj(w);
}

static void
list_json(const struct rule_set *rs, const struct binds *bd)
{
	struct jw w;
	size_t i;

	jw_init(&w, stdout);
	jw_arr(&w);
	for (i = 0; i < rs->n; i++)
		check_json(&w, rs->v[i], bd);
	jw_end_arr(&w);
	jw_finish(&w);
}

static void
show_json(const struct rule_set *rs, const struct binds *bd, const char *id)
{
	struct jw w;

	jw_init(&w, stdout);
	check_json(&w, rule_find(rs, id), bd);
	jw_finish(&w);
}

static int
show(const struct rule_set *rs, const struct binds *bd, const char *id)
{
	const struct rule *r = rule_find(rs, id);
	char lb[64];
	size_t j, k;

	if (r == NULL) {
		fprintf(stderr,
		    "rampart checks: no check '%s' (see 'rampart "
		    "checks list')\n",
		    id);
		return EXIT_USAGE;
	}
	printf("%s\n  title:       %s\n  severity:    %s\n  plugin:      "
	       "%s\n  defined at:  %s:%u:%u\n",
	    r->id, r->title, severity_name(r->severity), r->plugin, r->pack,
	    r->mark.line, r->mark.col);
	printf("  resources:  ");
	for (j = 0; j < r->ntypes; j++)
		printf(" %s", r->types[j]);
	printf("\n  controls:    (mapping '%s')\n", bd->name);
	for (j = k = 0; j < bd->n; j++)
		if (strcmp(bd->v[j].check_id, r->id) == 0) {
			k++;
			printf("    %-10s decides %s: %s\n",
			    label(bd->v[j].control, lb, sizeof(lb)),
			    bd->v[j].full ? "full" : "part",
			    bd->v[j].rationale);
		}
	if (k == 0)
		printf(
		    "    none: the mapping binds this check to no control\n");
	printf("  required:    %s\n",
	    r->required ? "yes (no resource = "
			  "error)"
			: "no (no resource = not_applicable)");
	if (r->params != NULL && r->params->u.map.n > 0) {
		printf("  parameters:\n");
		for (j = 0; j < r->params->u.map.n; j++) {
			printf("    %s = ", r->params->u.map.pairs[j].key->str);
			doc_write_json(r->params->u.map.pairs[j].val, stdout);
			putchar('\n');
		}
	}
	if (r->description != NULL)
		printf("  description: %s\n", r->description);
	printf("  remediation: %s\n", r->remediation ? r->remediation : "-");
	return 0;
}

/* An unknown check id: EXIT_USAGE, as `baseline show` does. */
static int
unknown_check(const struct rule_set *rs, const char *id)
{
	const char **names, *near;
	size_t i;

	if ((names = lib_calloc(rs->n + 1, sizeof(*names))) == NULL)
		return EXIT_SYSTEM;
	for (i = 0; i < rs->n; i++)
		names[i] = rs->v[i]->id;
	near = cli_suggest(id, names, rs->n);
	fprintf(stderr, "rampart checks: no check '%s'", id);
	if (near != NULL)
		fprintf(stderr, " (did you mean '%s'?)", near);
	fprintf(stderr, "\nsee 'rampart checks list'\n");
	lib_free(names);
	return EXIT_USAGE;
}

int
cmd_checks(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("checks");
	const char *op = NULL, *id = NULL;
	struct opt_parse p;
	struct rule_set *rs;
	struct arena *a;
	struct binds bd;
	struct diag d;
	int o, json = 0, rc = 0;

	diag_init(&d);
	memset(&bd, 0, sizeof(bd));
	bd.name = "fedramp";
	if ((rs = rule_set_new()) == NULL)
		return EXIT_SYSTEM;
	if ((a = arena_new()) == NULL) {
		rule_set_free(rs);
		return EXIT_SYSTEM;
	}
	opt_init(&p, c, cmd, argc, argv);
	while (rc == 0 && (o = opt_next(&p)) != -1) {
		switch (o) {
		case -2:
			rc = EXIT_USAGE;
			goto out;
		case 0:
			if (op == NULL)
				op = opt_operand(&p);
			else if (id == NULL)
				id = opt_operand(&p);
			else
				rc = cli_usage_err(cmd, "too many operands");
			break;
		case O_HELP:
			cli_help(cmd, stdout);
			printf("\n  list      list every check with its "
			       "severity, plugin and controls\n"
			       "  show ID   show one check\n"
			       "\nexit: 0 ok, 2 usage or unknown check id, "
			       "3 invalid input\n");
			goto out;
		case O_FORMAT:
			json = strcmp(p.arg, "json") == 0;
			break;
		case O_MAPPING:
			bd.name = p.arg;
			break;
		case O_RULES:
			if (rule_set_load(rs, &d, p.arg) == -1)
				rc = EXIT_INVALID_INPUT;
			break;
		case O_PLUGIN:
			if (rule_set_add_plugin(rs, &d, p.arg) == -1)
				rc = EXIT_INVALID_INPUT;
			break;
		default:
			rc = opt_unhandled(&p, o);
			break;
		}
	}
	if (rc == EXIT_USAGE || rc == EXIT_SYSTEM)
		goto out;
	if (op != NULL && strcmp(op, "list") != 0 && strcmp(op, "show") != 0) {
		static const char *const subs[] = { "list", "show" };

		rc = opt_bad_value(&p, "subcommand", op, subs, 2);
		goto out;
	}
	if (op != NULL && strcmp(op, "show") == 0 && id == NULL) {
		rc = cli_usage_err(cmd, "'show' needs a check id");
		goto out;
	}
	if (op != NULL && strcmp(op, "list") == 0 && id != NULL) {
		rc = cli_usage_err(cmd, "'list' takes no operand");
		goto out;
	}
	if (rc == 0 && rule_set_load_shipped(rs, &d) == -1)
		rc = EXIT_INVALID_INPUT;
	if (rc == 0 && mapping_bindings(a, &d, bd.name, &bd.v, &bd.n) == -1)
		rc = EXIT_INVALID_INPUT;
	if (rc == EXIT_INVALID_INPUT)
		rc = cli_exit_for(&d);
	if (rc != 0) {
		cli_diag(c, &d);
		goto out;
	}
	if (op == NULL || strcmp(op, "list") == 0) {
		if (json)
			list_json(rs, &bd);
		else
			list_text(rs, &bd);
	} else if (rule_find(rs, id) == NULL) {
		rc = unknown_check(rs, id);
	} else if (json) {
		show_json(rs, &bd, id);
	} else {
		rc = show(rs, &bd, id);
	}
out:
	arena_free(a);
	rule_set_free(rs);
	diag_free(&d);
	return rc;
}
