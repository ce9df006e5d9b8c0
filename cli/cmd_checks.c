/*
 * cmd_checks.c: `rampart checks list [--json]` and `rampart checks show
 * ID`, printed from the loaded rule packs and the plugin table.
 */
#include <string.h>

#include "cli/cli.h"
#include "reports/report.h"

enum { O_HELP = 1, O_JSON, O_RULES, O_PLUGIN };

static const struct opt ck_opts[] = {
	{ "help", 0, O_HELP },
	{ "json", 0, O_JSON },
	{ "rules", 1, O_RULES },
	{ "plugin", 1, O_PLUGIN },
	{ NULL, 0, 0 },
};

static void
list_text(const struct rule_set *rs)
{
	const struct rule *r;
	size_t i, j;

	printf(
	    "%-44s %-8s %-22s %s\n", "check", "severity", "plugin", "controls");
	for (i = 0; i < rs->n; i++) {
		r = rs->v[i];
		printf("%-44s %-8s %-22s", r->id, severity_name(r->severity),
		    r->plugin);
		for (j = 0; j < r->ncontrols; j++)
			printf("%s%s", j ? "," : " ", r->controls[j]);
		putchar('\n');
	}
	printf("%zu checks; plugins:", rs->n);
	for (i = 0; i < check_nplugins; i++)
		printf(" %s", check_plugins[i]->name);
	putchar('\n');
}

static void
list_json(const struct rule_set *rs)
{
	struct jw w;
	const struct rule *r;
	size_t i, j;

	jw_init(&w, stdout);
	jw_arr(&w);
	for (i = 0; i < rs->n; i++) {
		r = rs->v[i];
		jw_obj(&w);
		jw_kstr(&w, "id", r->id);
		jw_kstr(&w, "title", r->title);
		jw_kstr(&w, "severity", severity_name(r->severity));
		jw_kstr(&w, "plugin", r->plugin);
		jw_key(&w, "resource_types");
		jw_arr(&w);
		for (j = 0; j < r->ntypes; j++)
			jw_str(&w, r->types[j]);
		jw_end_arr(&w);
		jw_key(&w, "controls");
		jw_arr(&w);
		for (j = 0; j < r->ncontrols; j++)
			jw_str(&w, r->controls[j]);
		jw_end_arr(&w);
		jw_kstr(&w, "pack", r->pack);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_finish(&w);
}

static int
show(const struct rule_set *rs, const char *id)
{
	const struct rule *r = rule_find(rs, id);
	size_t j;

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
	printf("\n  controls:   ");
	for (j = 0; j < r->ncontrols; j++)
		printf(" %s", r->controls[j]);
	printf("\n  required:    %s\n",
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

int
cmd_checks(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("checks");
	const char *arg, *op = NULL, *id = NULL;
	struct rule_set *rs;
	struct diag d;
	int i = 1, o, json = 0, rc = 0;

	diag_init(&d);
	if ((rs = rule_set_new()) == NULL)
		return EXIT_SYSTEM;
	while ((o = opt_next(cmd, ck_opts, argc, argv, &i, &arg)) != -1) {
		switch (o) {
		case -2:
			rc = EXIT_USAGE;
			goto out;
		case 0:
			if (op == NULL)
				op = argv[i++];
			else if (id == NULL)
				id = argv[i++];
			else {
				rc = cli_usage_err(cmd, "too many operands");
				goto out;
			}
			break;
		case O_HELP:
			cli_usage(cmd, stdout);
			printf("\n  list [--json]   list every check with its "
			       "controls\n  show ID         show one check\n"
			       "options: --rules PATH, --plugin FILE.so\n");
			goto out;
		case O_JSON:
			json = 1;
			break;
		case O_RULES:
			if (rule_set_load(rs, &d, arg) == -1)
				rc = EXIT_INVALID_INPUT;
			break;
		case O_PLUGIN:
			if (rule_set_add_plugin(rs, &d, arg) == -1)
				rc = EXIT_INVALID_INPUT;
			break;
		}
	}
	if (rc == 0 && rule_set_load_shipped(rs, &d) == -1)
		rc = EXIT_INVALID_INPUT;
	if (rc != 0) {
		cli_diag(c, &d);
		goto out;
	}
	if (op == NULL || strcmp(op, "list") == 0) {
		if (json)
			list_json(rs);
		else
			list_text(rs);
	} else if (strcmp(op, "show") == 0 && id != NULL) {
		rc = show(rs, id);
	} else {
		rc = cli_usage_err(cmd, "expected 'list' or 'show ID'");
	}
out:
	rule_set_free(rs);
	diag_free(&d);
	return rc;
}
