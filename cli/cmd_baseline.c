/*
 * cmd_baseline.c: `rampart baseline list|show|lint`.
 */
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "reports/report.h"

enum {
	O_HELP = 1,
	O_COVERAGE,
	O_PLUGIN,
	O_RULES,
	O_JSON,
	O_PROFILE,
	O_OUT,
	O_ID,
	O_TITLE,
	O_IMPACT,
	O_MAPPING,
	O_CRM,
	O_ATTEST
};

static const struct opt bl_opts[] = {
	{ "help", 0, O_HELP },
	{ "coverage", 0, O_COVERAGE },
	{ "plugin", 1, O_PLUGIN },
	{ "rules", 1, O_RULES },
	{ "json", 0, O_JSON },
	{ "profile", 1, O_PROFILE },
	{ "out", 1, O_OUT },
	{ "id", 1, O_ID },
	{ "title", 1, O_TITLE },
	{ "impact", 1, O_IMPACT },
	{ "mapping", 1, O_MAPPING },
	{ "crm", 1, O_CRM },
	{ "attest", 1, O_ATTEST },
	{ NULL, 0, 0 },
};

static void
bl_help(const struct command *cmd)
{
	cli_usage(cmd, stdout);
	printf(
	    "\n  list                  list the shipped baselines\n"
	    "  show NAME [--coverage] [--crm FILE] [--attest FILE]\n"
	    "                        show a baseline's controls, or its "
	    "per-family\n"
	    "                        coverage (automated, attested, manual, "
	    "inherited)\n"
	    "  lint FILE...          check baseline or rule-pack files and "
	    "report every\n"
	    "                        error with file:line:col\n"
	    "  import-oscal CATALOG [--profile PROFILE] --out FILE [--id ID]\n"
	    "               [--title T] [--impact I] [--mapping NAME]\n"
	    "                        convert an OSCAL catalog (YAML or JSON), "
	    "optionally\n"
	    "                        through a profile, into a baseline\n"
	    "options: --rules PATH (extra packs), --plugin FILE.so\n");
}

/* "x/FedRAMP-low.yaml" -> "fedramp-low" (lowercase, no extension). */
static void
id_from_path(const char *path, char *buf, size_t len)
{
	const char *b = strrchr(path, '/');
	size_t i, n;

	b = b != NULL ? b + 1 : path;
	n = strcspn(b, ".");
	for (i = 0; i < n && i + 1 < len; i++)
		buf[i] = (char)(b[i] >= 'A' && b[i] <= 'Z' ? b[i] - 'A' + 'a'
							   : b[i]);
	buf[i] = '\0';
}

static int
bl_import(
    struct cli *c, const char *catalog, struct oscal_opts *o, const char *out)
{
	struct oscal_stats st;
	struct timespec t0, t1;
	struct diag d;
	char id[256];
	int rc;

	if (o->id == NULL) {
		id_from_path(out, id, sizeof(id));
		o->id = id;
	}
	diag_init(&d);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = oscal_import(&d, catalog, o, out, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cli_diag(c, &d);
	diag_free(&d);
	if (rc == -1)
		return EXIT_INVALID_INPUT;
	printf("%s: %zu controls in %zu families, %zu parameters (%zu with "
	       "a FedRAMP value, %zu assignments left open), %.0f ms\n",
	    out, st.controls, st.families, st.params, st.values, st.assignments,
	    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	return 0;
}

/* Load shipped packs plus extras; NULL on error (reported in d). */
static struct rule_set *
load_rules(struct diag *d, const char **extra, size_t nextra,
    const char **plugins, size_t nplugins)
{
	struct rule_set *rs;
	size_t i;
	int rc = 0;

	if ((rs = rule_set_new()) == NULL) {
		diag_err(d, NULL, "out of memory");
		return NULL;
	}
	for (i = 0; i < nplugins; i++)
		if (rule_set_add_plugin(rs, d, plugins[i]) == -1)
			rc = -1;
	if (rule_set_load_shipped(rs, d) == -1)
		rc = -1;
	for (i = 0; i < nextra; i++)
		if (rule_set_load(rs, d, extra[i]) == -1)
			rc = -1;
	if (rc == -1) {
		rule_set_free(rs);
		return NULL;
	}
	return rs;
}

static int
bl_list(void)
{
	char **names = baseline_list_shipped(), dir[4096];
	struct baseline *b;
	struct diag d;
	size_t i;

	diag_init(&d);
	if (rules_dir(dir, sizeof(dir)) == 0)
		printf("shipped baselines (%s/baselines):\n", dir);
	for (i = 0; names != NULL && names[i] != NULL; i++) {
		/* Controls and titles without resolving checks (fast). */
		if ((b = baseline_load(&d, names[i], NULL)) != NULL) {
			printf("  %-22s %-9s %4zu controls  %s\n", names[i],
			    b->impact ? b->impact : "-", b->ncontrols,
			    b->title ? b->title : "");
			baseline_free(b);
		} else {
			printf("  %-22s (does not load: run 'rampart baseline "
			       "lint')\n",
			    names[i]);
		}
		lib_free(names[i]);
	}
	lib_free(names);
	diag_free(&d);
	return 0;
}

/* Coverage columns of `baseline show --coverage`. */
enum { COV_AUTO, COV_ATTESTED, COV_OPEN, COV_INHERITED, COV_N };

static int
cov_column(const struct control *ct, const struct attest_set *as, int64_t now)
{
	if (ct->resp == RESP_AUTOMATED)
		return COV_AUTO;
	if (ct->resp == RESP_INHERITED)
		return COV_INHERITED;
	return attest_find(as, ct->id, now, NULL) != NULL ? COV_ATTESTED
							  : COV_OPEN;
}

/*
 * One check binding of `baseline show`: what it decides, and each
 * parameter a baseline value set (or could not set) with its source.
 */
static void
show_binding(const struct control_check *cc)
{
	const struct doc_node *src, *v;
	const char *from, *param, *text;
	size_t k;

	printf("      check %s (decides %s)\n", cc->check_id,
	    cc->full ? "full" : "part");
	if (cc->param_src == NULL)
		return;
	for (k = 0; k < cc->param_src->u.map.n; k++) {
		src = cc->param_src->u.map.pairs[k].val;
		from = doc_str(doc_get(src, "from"));
		param = doc_str(doc_get(src, "param"));
		text = doc_str(doc_get(src, "text"));
		if (from == NULL ||
		    (param == NULL && strcmp(from, "default") == 0))
			continue;
		v = doc_get(cc->params, cc->param_src->u.map.pairs[k].key->str);
		printf("        %s = %s",
		    cc->param_src->u.map.pairs[k].key->str,
		    v != NULL && v->str != NULL ? v->str : "?");
		if (param != NULL)
			printf(" (default; %s%s%s%s)", param, text ? " \"" : "",
			    text ? text : "", text ? "\"" : "");
		else if (strcmp(from, "binding") == 0)
			printf(" (set by the binding)");
		else
			printf(" from %s%s%s%s", from, text ? " \"" : "",
			    text ? text : "", text ? "\"" : "");
		putchar('\n');
	}
}

static int
bl_show(struct cli *c, const char *name, int coverage, struct rule_set *rs,
    const char *crm_path, const char *attest_path)
{
	struct baseline *b = NULL;
	struct crm *crm = NULL;
	struct attest_set *as = NULL;
	struct diag d;
	const char *fam[64];
	size_t cnt[64][COV_N], nf = 0, i, j, f, tot[COV_N];
	int64_t now = (int64_t)time(NULL);
	int col, rc = EXIT_INVALID_INPUT;

	diag_init(&d);
	memset(tot, 0, sizeof(tot));
	if ((b = baseline_load(&d, name, rs)) == NULL ||
	    (crm_path != NULL &&
		((crm = crm_load(&d, crm_path)) == NULL ||
		    crm_apply(crm, b, &d) == -1)) ||
	    (attest_path != NULL &&
		(as = attest_load(&d, attest_path)) == NULL))
		goto out;
	printf("%s: %s\nimpact: %s\ncontrols: %zu\nsha256: %s\n", b->id,
	    b->title ? b->title : "", b->impact ? b->impact : "-", b->ncontrols,
	    b->sha256);
	if (b->source_file != NULL)
		printf("source: %s (sha256 %s)\n", b->source_file,
		    b->source_sha256 ? b->source_sha256 : "-");
	if (b->extends != NULL)
		printf("extends: %s\n", b->extends);
	if (!coverage) {
		for (i = 0; i < b->ncontrols; i++) {
			const struct control *ct = &b->controls[i];

			printf("  %-12s %-9s %s\n", ct->label,
			    responsibility_name(ct->resp),
			    ct->title ? ct->title : "");
			for (j = 0; j < ct->nchecks; j++)
				show_binding(&ct->checks[j]);
		}
		rc = 0;
		goto out;
	}
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < b->ncontrols; i++) {
		for (f = 0; f < nf; f++)
			if (strcmp(fam[f], b->controls[i].family) == 0)
				break;
		if (f == nf && nf < 64)
			fam[nf++] = b->controls[i].family;
		col = cov_column(&b->controls[i], as, now);
		if (f < 64) {
			cnt[f][col]++;
			tot[col]++;
		}
	}
	if (crm != NULL)
		printf("crm: %s (%s)\n", crm->provider, crm->authorization);
	printf("\n  %-6s %9s %9s %9s %9s %7s\n", "family", "automated",
	    "attested", "manual", "inherited", "total");
	for (f = 0; f < nf; f++)
		printf("  %-6s %9zu %9zu %9zu %9zu %7zu\n", fam[f],
		    cnt[f][COV_AUTO], cnt[f][COV_ATTESTED], cnt[f][COV_OPEN],
		    cnt[f][COV_INHERITED],
		    cnt[f][COV_AUTO] + cnt[f][COV_ATTESTED] + cnt[f][COV_OPEN] +
			cnt[f][COV_INHERITED]);
	printf("  %-6s %9zu %9zu %9zu %9zu %7zu\n", "all", tot[COV_AUTO],
	    tot[COV_ATTESTED], tot[COV_OPEN], tot[COV_INHERITED], b->ncontrols);
	printf("\nmanual = open: no check binds it and no valid attestation "
	       "decides it\n");
	rc = 0;
out:
	cli_diag(c, &d);
	baseline_free(b);
	crm_free(crm);
	attest_free(as);
	diag_free(&d);
	return rc;
}

/* A pack has a top-level `checks:`; a baseline does not. */
static int
is_pack(const char *path)
{
	struct arena *a = arena_new();
	struct diag d;
	struct doc_node *root;
	int r = 0;

	diag_init(&d);
	if (a != NULL &&
	    (root = doc_load_one(a, &d, path, DOC_FMT_YAML, NULL)) != NULL)
		r = doc_get(root, "checks") != NULL;
	arena_free(a);
	diag_free(&d);
	return r;
}

static int
bl_lint(struct cli *c, char **files, int n, struct rule_set *rs)
{
	struct diag d;
	struct baseline *b;
	struct rule_set *tmp;
	int i, bad = 0;

	diag_init(&d);
	for (i = 0; i < n; i++) {
		if (is_pack(files[i])) {
			if ((tmp = rule_set_new()) == NULL)
				return EXIT_SYSTEM;
			if (rule_set_load(tmp, &d, files[i]) == -1)
				bad = 1;
			rule_set_free(tmp);
		} else if ((b = baseline_load(&d, files[i], rs)) == NULL) {
			bad = 1;
		} else {
			baseline_free(b);
		}
	}
	cli_diag(c, &d);
	if (bad || d.nerrors > 0)
		fprintf(stderr, "rampart baseline lint: %zu error%s\n",
		    d.nerrors, d.nerrors == 1 ? "" : "s");
	else
		printf("%d file%s ok\n", n, n == 1 ? "" : "s");
	diag_free(&d);
	return bad || d.nerrors ? EXIT_INVALID_INPUT : 0;
}

int
cmd_baseline(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("baseline");
	const char *arg, *extra[16], *plugins[16], *out = NULL;
	const char *crm = NULL, *attest = NULL;
	struct oscal_opts oo;
	char *ops[256];
	size_t nextra = 0, nplugins = 0;
	int i = 1, o, nops = 0, coverage = 0, rc;
	struct rule_set *rs = NULL;
	struct diag d;

	memset(&oo, 0, sizeof(oo));
	while ((o = opt_next(cmd, bl_opts, argc, argv, &i, &arg)) != -1) {
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (nops == 256)
				return cli_usage_err(cmd, "too many operands");
			ops[nops++] = argv[i++];
			break;
		case O_HELP:
			bl_help(cmd);
			return 0;
		case O_COVERAGE:
			coverage = 1;
			break;
		case O_RULES:
			if (nextra < 16)
				extra[nextra++] = arg;
			break;
		case O_PLUGIN:
			if (nplugins < 16)
				plugins[nplugins++] = arg;
			break;
		case O_JSON:
			break;
		case O_PROFILE:
			oo.profile = arg;
			break;
		case O_OUT:
			out = arg;
			break;
		case O_ID:
			oo.id = arg;
			break;
		case O_TITLE:
			oo.title = arg;
			break;
		case O_IMPACT:
			oo.impact = arg;
			break;
		case O_MAPPING:
			oo.mapping = arg;
			break;
		case O_CRM:
			crm = arg;
			break;
		case O_ATTEST:
			attest = arg;
			break;
		}
	}
	if (nops == 0)
		return cli_usage_err(cmd,
		    "missing subcommand (list, show or "
		    "lint)");
	if (strcmp(ops[0], "list") == 0)
		return bl_list();
	if (strcmp(ops[0], "import-oscal") == 0) {
		if (nops != 2)
			return cli_usage_err(
			    cmd, "'import-oscal' needs one catalog file");
		if (out == NULL)
			return cli_usage_err(
			    cmd, "'import-oscal' needs --out FILE");
		return bl_import(c, ops[1], &oo, out);
	}
	if (strcmp(ops[0], "show") != 0 && strcmp(ops[0], "lint") != 0)
		return cli_usage_err(cmd, "unknown subcommand '%s'", ops[0]);
	if (nops < 2)
		return cli_usage_err(cmd, "'%s' needs %s", ops[0],
		    strcmp(ops[0], "show") == 0 ? "a baseline" : "files");
	diag_init(&d);
	if ((rs = load_rules(&d, extra, nextra, plugins, nplugins)) == NULL) {
		cli_diag(c, &d);
		diag_free(&d);
		return EXIT_INVALID_INPUT;
	}
	diag_free(&d);
	if (strcmp(ops[0], "show") == 0)
		rc = bl_show(c, ops[1], coverage, rs, crm, attest);
	else
		rc = bl_lint(c, ops + 1, nops - 1, rs);
	rule_set_free(rs);
	return rc;
}
