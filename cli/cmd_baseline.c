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
	O_FORMAT,
	O_PROFILE,
	O_OUT,
	O_ID,
	O_TITLE,
	O_IMPACT,
	O_MAPPING,
	O_CRM,
	O_ATTEST
};

const struct opt baseline_opts[] = {
	{ "format", 'f', "F", O_FORMAT, 0, "output of list and show",
	    "text|json" },
	{ "json", 0, NULL, O_FORMAT, OPT_ALIAS, "--format json", "json" },
	{ "coverage", 0, NULL, O_COVERAGE, 0,
	    "show: per-family coverage (automated, attested, manual, "
	    "inherited) and per-provider check counts",
	    NULL },
	{ "crm", 0, "FILE", O_CRM, 0,
	    "show: apply a customer responsibility matrix", NULL },
	{ "attest", 0, "FILE", O_ATTEST, 0,
	    "show --coverage: attestations deciding manual controls", NULL },
	{ "rules", 0, "PATH", O_RULES, OPT_REPEAT,
	    "extra rule pack file or directory", NULL },
	{ "plugin", 0, "FILE.so", O_PLUGIN, OPT_REPEAT,
	    "load an external check plugin", NULL },
	{ "output", 'o', "FILE", O_OUT, 0,
	    "import-oscal: the baseline file to write (required)", NULL },
	{ "out", 0, "FILE", O_OUT, OPT_ALIAS, "--output", NULL },
	{ "profile", 0, "PROFILE", O_PROFILE, 0,
	    "import-oscal: select controls through an OSCAL profile", NULL },
	{ "id", 0, "ID", O_ID, 0,
	    "import-oscal: baseline id (default: from the output name)", NULL },
	{ "title", 0, "T", O_TITLE, 0, "import-oscal: baseline title", NULL },
	{ "impact", 0, "I", O_IMPACT, 0, "import-oscal: impact level", NULL },
	{ "mapping", 0, "NAME", O_MAPPING, 0,
	    "import-oscal: bind checks with this control-to-check mapping",
	    NULL },
	{ "help", 'h', NULL, O_HELP, 0, "show this help", NULL },
	OPT_END,
};

static void
bl_help(const struct command *cmd)
{
	cli_help(cmd, stdout);
	printf("\n  list                  list the shipped baselines\n"
	       "  show NAME             show a baseline's controls and the "
	       "checks bound to them\n"
	       "  lint FILE...          check baseline or rule-pack files "
	       "(every error with\n"
	       "                        file:line:col)\n"
	       "  import-oscal CATALOG  convert an OSCAL catalog (YAML or "
	       "JSON) into a baseline\n"
	       "\nexit: 0 ok, 2 usage or unknown baseline, 3 invalid "
	       "input\n");
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
	rc = rc == -1 ? cli_exit_for(&d) : 0;
	diag_free(&d);
	if (rc != 0)
		return rc;
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
		diag_sys(d, NULL, "out of memory");
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
bl_list(int json)
{
	char **names = baseline_list_shipped(), dir[4096];
	struct baseline *b;
	struct diag d;
	struct jw w;
	size_t i;

	diag_init(&d);
	if (json) {
		jw_init(&w, stdout);
		jw_arr(&w);
	} else if (rules_dir(dir, sizeof(dir)) == 0) {
		printf("shipped baselines (%s/baselines):\n", dir);
	}
	for (i = 0; names != NULL && names[i] != NULL; i++) {
		/* Controls and titles without resolving checks (fast). */
		b = baseline_load(&d, names[i], NULL);
		if (json) {
			jw_obj(&w);
			jw_kstr(&w, "name", names[i]);
			jw_key(&w, "loads");
			jw_bool(&w, b != NULL);
			if (b != NULL) {
				jw_kstr(&w, "impact", b->impact);
				jw_kint(
				    &w, "controls", (long long)b->ncontrols);
				jw_kstr(&w, "title", b->title);
				jw_kstr(&w, "sha256", b->sha256);
			}
			jw_end_obj(&w);
		} else if (b != NULL) {
			printf("  %-22s %-9s %4zu controls  %s\n", names[i],
			    b->impact ? b->impact : "-", b->ncontrols,
			    b->title ? b->title : "");
		} else {
			printf("  %-22s (does not load: run 'rampart baseline "
			       "lint')\n",
			    names[i]);
		}
		baseline_free(b);
		lib_free(names[i]);
	}
	lib_free(names);
	diag_free(&d);
	if (json) {
		jw_end_arr(&w);
		if (jw_finish(&w) == -1)
			return EXIT_SYSTEM;
	}
	return 0;
}

/*
 * A name that is not a path and not a shipped baseline: an unknown id,
 * the same exit code as `checks show` (EXIT_USAGE), with "did you mean".
 * Returns 0 when name is a path or a shipped baseline.
 */
static int
bl_unknown(const struct command *cmd, const char *name)
{
	char **names;
	const char *v[128], *near;
	size_t i, n = 0;
	int found = 0;

	if (strchr(name, '/') != NULL || strchr(name, '.') != NULL)
		return 0;
	names = baseline_list_shipped();
	for (i = 0; names != NULL && names[i] != NULL; i++) {
		if (strcmp(names[i], name) == 0)
			found = 1;
		if (n < 128)
			v[n++] = names[i];
	}
	if (!found && names != NULL) {
		near = cli_suggest(name, v, n);
		fprintf(
		    stderr, "rampart %s: no baseline '%s'", cmd->name, name);
		if (near != NULL)
			fprintf(stderr, " (did you mean '%s'?)", near);
		fprintf(stderr, "\nshipped baselines:");
		for (i = 0; i < n; i++)
			fprintf(stderr, " %s", v[i]);
		fputc('\n', stderr);
	}
	for (i = 0; names != NULL && names[i] != NULL; i++)
		lib_free(names[i]);
	lib_free(names);
	return found || names == NULL ? 0 : EXIT_USAGE;
}

/* The providers of `baseline show --coverage`, by resource type prefix. */
static const struct {
	const char *prefix;
	const char *name;
} providers[] = {
	{ "AWS::", "AWS" },
	{ "Azure::", "Azure" },
	{ "GCP::", "Google Cloud" },
	{ "OCI::", "OCI" },
	{ "K8s::", "Kubernetes" },
	{ "TLS::", "TLS" },
};

#define NPROVIDERS (sizeof(providers) / sizeof(providers[0]))

/* cnt[p]: controls with at least one check of provider p. */
static void
provider_counts(const struct baseline *b, size_t cnt[NPROVIDERS])
{
	const struct control_check *cc;
	size_t i, j, t, p;
	int has[NPROVIDERS];

	memset(cnt, 0, NPROVIDERS * sizeof(cnt[0]));
	for (i = 0; i < b->ncontrols; i++) {
		memset(has, 0, sizeof(has));
		for (j = 0; j < b->controls[i].nchecks; j++) {
			cc = &b->controls[i].checks[j];
			for (t = 0; cc->rule != NULL && t < cc->rule->ntypes;
			     t++)
				for (p = 0; p < NPROVIDERS; p++)
					if (strncmp(cc->rule->types[t],
						providers[p].prefix,
						strlen(providers[p].prefix)) ==
					    0)
						has[p] = 1;
		}
		for (p = 0; p < NPROVIDERS; p++)
			cnt[p] += (size_t)has[p];
	}
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

/* `baseline show --format json`: the controls and their bindings. */
static void
show_json(struct jw *w, const struct baseline *b)
{
	const struct control *ct;
	size_t i, j;

	jw_key(w, "controls");
	jw_arr(w);
	for (i = 0; i < b->ncontrols; i++) {
		ct = &b->controls[i];
		jw_obj(w);
		jw_kstr(w, "id", ct->id);
		jw_kstr(w, "label", ct->label);
		jw_kstr(w, "family", ct->family);
		jw_kstr(w, "responsibility", responsibility_name(ct->resp));
		jw_kstr(w, "title", ct->title);
		jw_key(w, "checks");
		jw_arr(w);
		for (j = 0; j < ct->nchecks; j++) {
			jw_obj(w);
			jw_kstr(w, "check", ct->checks[j].check_id);
			jw_kstr(
			    w, "decides", ct->checks[j].full ? "full" : "part");
			jw_end_obj(w);
		}
		jw_end_arr(w);
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

struct cov_table {
	const char *fam[64];
	size_t cnt[64][COV_N], nf, tot[COV_N];
	size_t prov[NPROVIDERS];
};

static void
cov_count(
    const struct baseline *b, const struct attest_set *as, struct cov_table *t)
{
	int64_t now = (int64_t)time(NULL);
	size_t i, f;
	int col;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < b->ncontrols; i++) {
		for (f = 0; f < t->nf; f++)
			if (strcmp(t->fam[f], b->controls[i].family) == 0)
				break;
		if (f == t->nf && t->nf < 64)
			t->fam[t->nf++] = b->controls[i].family;
		col = cov_column(&b->controls[i], as, now);
		if (f < 64) {
			t->cnt[f][col]++;
			t->tot[col]++;
		}
	}
	provider_counts(b, t->prov);
}

static void
cov_json(struct jw *w, const struct baseline *b, const struct cov_table *t)
{
	static const char *const cols[COV_N] = { "automated", "attested",
		"manual", "inherited" };
	size_t f, k;

	jw_key(w, "coverage");
	jw_arr(w);
	for (f = 0; f <= t->nf; f++) {
		jw_obj(w);
		jw_kstr(w, "family", f < t->nf ? t->fam[f] : "all");
		for (k = 0; k < COV_N; k++)
			jw_kint(w, cols[k],
			    (long long)(f < t->nf ? t->cnt[f][k] : t->tot[k]));
		jw_kint(w, "total",
		    f < t->nf ? (long long)(t->cnt[f][0] + t->cnt[f][1] +
				    t->cnt[f][2] + t->cnt[f][3])
			      : (long long)b->ncontrols);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "providers");
	jw_arr(w);
	for (k = 0; k < NPROVIDERS; k++) {
		jw_obj(w);
		jw_kstr(w, "provider", providers[k].name);
		jw_kstr(w, "type_prefix", providers[k].prefix);
		jw_kint(w, "controls", (long long)t->prov[k]);
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

static void
cov_text(const struct baseline *b, const struct cov_table *t)
{
	size_t f, k;

	printf("\n  %-6s %9s %9s %9s %9s %7s\n", "family", "automated",
	    "attested", "manual", "inherited", "total");
	for (f = 0; f < t->nf; f++)
		printf("  %-6s %9zu %9zu %9zu %9zu %7zu\n", t->fam[f],
		    t->cnt[f][COV_AUTO], t->cnt[f][COV_ATTESTED],
		    t->cnt[f][COV_OPEN], t->cnt[f][COV_INHERITED],
		    t->cnt[f][COV_AUTO] + t->cnt[f][COV_ATTESTED] +
			t->cnt[f][COV_OPEN] + t->cnt[f][COV_INHERITED]);
	printf("  %-6s %9zu %9zu %9zu %9zu %7zu\n", "all", t->tot[COV_AUTO],
	    t->tot[COV_ATTESTED], t->tot[COV_OPEN], t->tot[COV_INHERITED],
	    b->ncontrols);
	printf("\nmanual = open: no check binds it and no valid attestation "
	       "decides it\n\ncontrols with a check per provider (by "
	       "resource type):\n");
	for (k = 0; k < NPROVIDERS; k++)
		printf("  %-13s %-8s %5zu of %zu\n", providers[k].name,
		    providers[k].prefix, t->prov[k], b->ncontrols);
}

static void
show_text(const struct baseline *b)
{
	size_t i, j;

	for (i = 0; i < b->ncontrols; i++) {
		const struct control *ct = &b->controls[i];

		printf("  %-12s %-9s %s\n", ct->label,
		    responsibility_name(ct->resp), ct->title ? ct->title : "");
		for (j = 0; j < ct->nchecks; j++)
			show_binding(&ct->checks[j]);
	}
}

static int
bl_show(struct cli *c, const char *name, int coverage, int json,
    struct rule_set *rs, const char *crm_path, const char *attest_path)
{
	struct baseline *b = NULL;
	struct crm *crm = NULL;
	struct attest_set *as = NULL;
	struct cov_table t;
	struct diag d;
	struct jw w;
	int rc = EXIT_INVALID_INPUT;

	diag_init(&d);
	if ((b = baseline_load(&d, name, rs)) == NULL ||
	    (crm_path != NULL &&
		((crm = crm_load(&d, crm_path)) == NULL ||
		    crm_apply(crm, b, &d) == -1)) ||
	    (attest_path != NULL &&
		(as = attest_load(&d, attest_path)) == NULL))
		goto out;
	if (coverage)
		cov_count(b, as, &t);
	rc = 0;
	if (json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_kstr(&w, "id", b->id);
		jw_kstr(&w, "title", b->title);
		jw_kstr(&w, "impact", b->impact);
		jw_kstr(&w, "sha256", b->sha256);
		jw_kstr(&w, "source", b->source_file);
		jw_kstr(&w, "extends", b->extends);
		jw_kstr(&w, "crm", crm != NULL ? crm->provider : NULL);
		if (coverage)
			cov_json(&w, b, &t);
		else
			show_json(&w, b);
		jw_end_obj(&w);
		if (jw_finish(&w) == -1)
			rc = EXIT_SYSTEM;
		goto out;
	}
	printf("%s: %s\nimpact: %s\ncontrols: %zu\nsha256: %s\n", b->id,
	    b->title ? b->title : "", b->impact ? b->impact : "-", b->ncontrols,
	    b->sha256);
	if (b->source_file != NULL)
		printf("source: %s (sha256 %s)\n", b->source_file,
		    b->source_sha256 ? b->source_sha256 : "-");
	if (b->extends != NULL)
		printf("extends: %s\n", b->extends);
	if (crm != NULL)
		printf("crm: %s (%s)\n", crm->provider, crm->authorization);
	if (coverage)
		cov_text(b, &t);
	else
		show_text(b);
out:
	if (rc == EXIT_INVALID_INPUT)
		rc = cli_exit_for(&d);
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
	int i, bad = 0, rc;

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
	rc = bad || d.nerrors ? cli_exit_for(&d) : 0;
	diag_free(&d);
	return rc;
}

int
cmd_baseline(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("baseline");
	const char *extra[16], *plugins[16], *out = NULL;
	const char *crm = NULL, *attest = NULL;
	struct oscal_opts oo;
	struct opt_parse p;
	char *ops[256];
	size_t nextra = 0, nplugins = 0;
	int o, nops = 0, coverage = 0, json = 0, rc;
	struct rule_set *rs = NULL;
	struct diag d;

	memset(&oo, 0, sizeof(oo));
	opt_init(&p, c, cmd, argc, argv);
	while ((o = opt_next(&p)) != -1) {
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (nops == 256)
				return cli_usage_err(cmd, "too many operands");
			ops[nops++] = (char *)opt_operand(&p);
			break;
		case O_HELP:
			bl_help(cmd);
			return 0;
		case O_COVERAGE:
			coverage = 1;
			break;
		case O_RULES:
			if (nextra == 16)
				return cli_usage_err(cmd, "too many --rules");
			extra[nextra++] = p.arg;
			break;
		case O_PLUGIN:
			if (nplugins == 16)
				return cli_usage_err(cmd, "too many --plugin");
			plugins[nplugins++] = p.arg;
			break;
		case O_FORMAT:
			json = strcmp(p.arg, "json") == 0;
			break;
		case O_PROFILE:
			oo.profile = p.arg;
			break;
		case O_OUT:
			out = p.arg;
			break;
		case O_ID:
			oo.id = p.arg;
			break;
		case O_TITLE:
			oo.title = p.arg;
			break;
		case O_IMPACT:
			oo.impact = p.arg;
			break;
		case O_MAPPING:
			oo.mapping = p.arg;
			break;
		case O_CRM:
			crm = p.arg;
			break;
		case O_ATTEST:
			attest = p.arg;
			break;
		default:
			return opt_unhandled(&p, o);
		}
	}
	if (nops == 0)
		return cli_usage_err(cmd,
		    "missing subcommand (list, show, lint or import-oscal)");
	if (strcmp(ops[0], "list") == 0) {
		if (nops != 1)
			return cli_usage_err(cmd, "'list' takes no operand");
		return bl_list(json);
	}
	if (strcmp(ops[0], "import-oscal") == 0) {
		if (nops != 2)
			return cli_usage_err(
			    cmd, "'import-oscal' needs one catalog file");
		if (out == NULL)
			return cli_usage_err(
			    cmd, "'import-oscal' needs --output FILE");
		return bl_import(c, ops[1], &oo, out);
	}
	if (strcmp(ops[0], "show") != 0 && strcmp(ops[0], "lint") != 0) {
		static const char *const subs[] = { "list", "show", "lint",
			"import-oscal" };

		return opt_bad_value(&p, "subcommand", ops[0], subs, 4);
	}
	if (nops < 2)
		return cli_usage_err(cmd, "'%s' needs %s", ops[0],
		    strcmp(ops[0], "show") == 0 ? "a baseline" : "files");
	if (strcmp(ops[0], "show") == 0) {
		if (nops != 2)
			return cli_usage_err(cmd, "'show' takes one baseline");
		if ((rc = bl_unknown(cmd, ops[1])) != 0)
			return rc;
	}
	diag_init(&d);
	if ((rs = load_rules(&d, extra, nextra, plugins, nplugins)) == NULL) {
		cli_diag(c, &d);
		rc = cli_exit_for(&d);
		diag_free(&d);
		return rc;
	}
	diag_free(&d);
	if (strcmp(ops[0], "show") == 0)
		rc = bl_show(c, ops[1], coverage, json, rs, crm, attest);
	else
		rc = bl_lint(c, ops + 1, nops - 1, rs);
	rule_set_free(rs);
	return rc;
}
