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

enum { O_HELP = 1, O_JSON, O_MAPPING, O_RULES, O_PLUGIN };

static const struct opt ck_opts[] = {
	{ "help", 0, O_HELP },
	{ "json", 0, O_JSON },
	{ "mapping", 1, O_MAPPING },
	{ "rules", 1, O_RULES },
	{ "plugin", 1, O_PLUGIN },
	{ NULL, 0, 0 },
};

/* The bindings of one mapping, read once. */
struct binds {
	const char *name;
	struct mapping_binding *v;
	size_t n;
};

static void
list_text(const struct rule_set *rs, const struct binds *bd)
{
	const struct rule *r;
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
				    bd->v[j].control,
				    bd->v[j].full ? "(full)" : "");
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

static void
list_json(const struct rule_set *rs, const struct binds *bd)
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
		for (j = 0; j < bd->n; j++)
			if (strcmp(bd->v[j].check_id, r->id) == 0)
				jw_str(&w, bd->v[j].control);
		jw_end_arr(&w);
		jw_key(&w, "bindings");
		jw_arr(&w);
		for (j = 0; j < bd->n; j++) {
			if (strcmp(bd->v[j].check_id, r->id) != 0)
				continue;
			jw_obj(&w);
			jw_kstr(&w, "control", bd->v[j].control);
			jw_kstr(&w, "decides", bd->v[j].full ? "full" : "part");
			jw_kstr(&w, "rationale", bd->v[j].rationale);
			jw_end_obj(&w);
		}
		jw_end_arr(&w);
		jw_kstr(&w, "mapping", bd->name);
		jw_kstr(&w, "pack", r->pack);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_finish(&w);
}

static int
show(const struct rule_set *rs, const struct binds *bd, const char *id)
{
	const struct rule *r = rule_find(rs, id);
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
			printf("    %-10s decides %s: %s\n", bd->v[j].control,
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

int
cmd_checks(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("checks");
	const char *arg, *op = NULL, *id = NULL;
	struct rule_set *rs;
	struct arena *a;
	struct binds bd;
	struct diag d;
	int i = 1, o, json = 0, rc = 0;

	diag_init(&d);
	memset(&bd, 0, sizeof(bd));
	bd.name = "fedramp";
	if ((rs = rule_set_new()) == NULL)
		return EXIT_SYSTEM;
	if ((a = arena_new()) == NULL) {
		rule_set_free(rs);
		return EXIT_SYSTEM;
	}
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
			       "options: --rules PATH, --plugin FILE.so, "
			       "--mapping NAME|FILE (default fedramp)\n");
			goto out;
		case O_JSON:
			json = 1;
			break;
		case O_MAPPING:
			bd.name = arg;
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
	if (rc == 0 && mapping_bindings(a, &d, bd.name, &bd.v, &bd.n) == -1)
		rc = EXIT_INVALID_INPUT;
	if (rc != 0) {
		cli_diag(c, &d);
		goto out;
	}
	if (op == NULL || strcmp(op, "list") == 0) {
		if (json)
			list_json(rs, &bd);
		else
			list_text(rs, &bd);
	} else if (strcmp(op, "show") == 0 && id != NULL) {
		rc = show(rs, &bd, id);
	} else {
		rc = cli_usage_err(cmd, "expected 'list' or 'show ID'");
	}
out:
	arena_free(a);
	rule_set_free(rs);
	diag_free(&d);
	return rc;
}
