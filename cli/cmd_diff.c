/*
 * cmd_diff.c: `rampart diff OLD.json NEW.json`, the regression gate.
 * Compares two JSON reports control by control: new failures, new errors,
 * fixed controls, controls no longer assessed, the verdict and the
 * coverage.  Exit 1 when NEW regresses against OLD, so a CI pipeline can
 * refuse a change that makes the placement decision worse.
 */
#include <string.h>

#include "cli/cli.h"
#include "reports/report.h"

enum { O_FORMAT = 1, O_HELP };

static const struct opt diff_opts[] = {
	{ "format", 1, O_FORMAT },
	{ "help", 0, O_HELP },
	{ NULL, 0, 0 },
};

enum change {
	CH_NEW_FAIL,
	CH_NEW_ERROR,
	CH_FIXED,
	CH_REMOVED,
	CH_ADDED,
	CH_OTHER,
	CH_COUNT
};

static const char *const change_names[CH_COUNT] = { "new_failures",
	"new_errors", "fixed", "removed", "added", "changed" };

struct item {
	const char *id, *label, *from, *to;
};

struct diff {
	struct item *v[CH_COUNT];
	size_t n[CH_COUNT];
	const char *verdict_old, *verdict_new;
	long long auto_old, auto_new;
	int regressed;
};

/* Rank of a verdict: higher is worse; -1 if unknown. */
static int
verdict_rank(const char *v)
{
	if (v == NULL)
		return -1;
	if (strcmp(v, "eligible") == 0)
		return 0;
	if (strcmp(v, "incomplete") == 0)
		return 1;
	if (strcmp(v, "not_eligible") == 0)
		return 2;
	return -1;
}

static int
is_bad(const char *s)
{
	return s != NULL && (strcmp(s, "fail") == 0 || strcmp(s, "error") == 0);
}

static long long
automated(const struct doc_node *root)
{
	const struct doc_node *n =
	    doc_get(doc_get(doc_get(root, "summary"), "coverage"), "automated");

	return n != NULL && n->type == DOC_INT ? (long long)n->u.i : -1;
}

/* Check a report's shape; report every problem with file:line:col. */
static int
check_report(struct diag *d, const struct doc_node *root)
{
	const struct doc_node *cs, *c;
	size_t i;
	int rc = 0;

	if (root->type != DOC_MAP)
		return diag_err(d, &root->mark,
		    "expected a rampart JSON report "
		    "(a map), found %s",
		    doc_type_name(root->type));
	if (verdict_rank(doc_str(doc_get(root, "verdict"))) < 0)
		rc = diag_err(d, &root->mark, "report has no valid 'verdict'");
	cs = doc_get(root, "controls");
	if (cs == NULL || cs->type != DOC_SEQ)
		return diag_err(
		    d, &root->mark, "report has no 'controls' list");
	for (i = 0; i < cs->u.seq.n; i++) {
		c = cs->u.seq.items[i];
		if (doc_str(doc_get(c, "id")) == NULL ||
		    doc_str(doc_get(c, "status")) == NULL)
			rc = diag_err(d, &c->mark,
			    "control without 'id' or "
			    "'status'");
	}
	return rc;
}

static const struct doc_node *
find_control(const struct doc_node *cs, const char *id)
{
	size_t i;

	for (i = 0; i < cs->u.seq.n; i++)
		if (strcmp(doc_str(doc_get(cs->u.seq.items[i], "id")), id) == 0)
			return cs->u.seq.items[i];
	return NULL;
}

static int
add(struct arena *a, struct diff *df, enum change ch, const struct doc_node *c,
    const char *from, const char *to)
{
	struct item *v;

	v = arena_realloc(
	    a, df->v[ch], df->n[ch] * sizeof(*v), (df->n[ch] + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	df->v[ch] = v;
	v[df->n[ch]].id = doc_str(doc_get(c, "id"));
	v[df->n[ch]].label = doc_str(doc_get(c, "label"));
	v[df->n[ch]].from = from;
	v[df->n[ch]].to = to;
	df->n[ch]++;
	return 0;
}

static int
compare(struct arena *a, const struct doc_node *old, const struct doc_node *new,
    struct diff *df)
{
	const struct doc_node *oc = doc_get(old, "controls");
	const struct doc_node *nc = doc_get(new, "controls");
	const struct doc_node *c, *o;
	const char *from, *to;
	enum change ch;
	size_t i;

	memset(df, 0, sizeof(*df));
	for (i = 0; i < nc->u.seq.n; i++) {
		c = nc->u.seq.items[i];
		to = doc_str(doc_get(c, "status"));
		if ((o = find_control(oc, doc_str(doc_get(c, "id")))) == NULL) {
			if (add(a, df,
				is_bad(to)
				    ? (strcmp(to, "fail") == 0 ? CH_NEW_FAIL
							       : CH_NEW_ERROR)
				    : CH_ADDED,
				c, NULL, to) == -1)
				return -1;
			continue;
		}
		from = doc_str(doc_get(o, "status"));
		if (strcmp(from, to) == 0)
			continue;
		if (strcmp(to, "fail") == 0)
			ch = CH_NEW_FAIL;
		else if (strcmp(to, "error") == 0 && strcmp(from, "fail") != 0)
			ch = CH_NEW_ERROR;
		else if (is_bad(from) && !is_bad(to))
			ch = CH_FIXED;
		else
			ch = CH_OTHER;
		if (add(a, df, ch, c, from, to) == -1)
			return -1;
	}
	for (i = 0; i < oc->u.seq.n; i++) {
		o = oc->u.seq.items[i];
		if (find_control(nc, doc_str(doc_get(o, "id"))) == NULL &&
		    add(a, df, CH_REMOVED, o, doc_str(doc_get(o, "status")),
			NULL) == -1)
			return -1;
	}
	df->verdict_old = doc_str(doc_get(old, "verdict"));
	df->verdict_new = doc_str(doc_get(new, "verdict"));
	df->auto_old = automated(old);
	df->auto_new = automated(new);
	df->regressed = df->n[CH_NEW_FAIL] > 0 || df->n[CH_NEW_ERROR] > 0 ||
	    df->n[CH_REMOVED] > 0 ||
	    verdict_rank(df->verdict_new) > verdict_rank(df->verdict_old) ||
	    (df->auto_old >= 0 && df->auto_new >= 0 &&
		df->auto_new < df->auto_old);
	return 0;
}

static void
print_text(const struct diff *df)
{
	size_t i;
	int ch;

	printf("verdict:  %s -> %s\n", df->verdict_old, df->verdict_new);
	if (df->auto_old >= 0 || df->auto_new >= 0)
		printf("coverage: %lld -> %lld automated controls\n",
		    df->auto_old, df->auto_new);
	for (ch = 0; ch < CH_COUNT; ch++) {
		if (df->n[ch] == 0)
			continue;
		printf("%s (%zu):\n", change_names[ch], df->n[ch]);
		for (i = 0; i < df->n[ch]; i++)
			printf("  %-12s %s -> %s\n",
			    df->v[ch][i].label ? df->v[ch][i].label
					       : df->v[ch][i].id,
			    df->v[ch][i].from ? df->v[ch][i].from : "(absent)",
			    df->v[ch][i].to ? df->v[ch][i].to : "(absent)");
	}
	printf("%s\n", df->regressed ? "REGRESSED" : "no regression");
}

static void
print_json(const struct diff *df)
{
	struct jw w;
	size_t i;
	int ch;

	jw_init(&w, stdout);
	jw_obj(&w);
	jw_kstr(&w, "verdict_old", df->verdict_old);
	jw_kstr(&w, "verdict_new", df->verdict_new);
	jw_kint(&w, "automated_old", df->auto_old);
	jw_kint(&w, "automated_new", df->auto_new);
	jw_key(&w, "regressed");
	jw_bool(&w, df->regressed);
	for (ch = 0; ch < CH_COUNT; ch++) {
		jw_key(&w, change_names[ch]);
		jw_arr(&w);
		for (i = 0; i < df->n[ch]; i++) {
			jw_obj(&w);
			jw_kstr(&w, "id", df->v[ch][i].id);
			jw_kstr(&w, "label", df->v[ch][i].label);
			jw_kstr(&w, "from", df->v[ch][i].from);
			jw_kstr(&w, "to", df->v[ch][i].to);
			jw_end_obj(&w);
		}
		jw_end_arr(&w);
	}
	jw_end_obj(&w);
	jw_finish(&w);
}

int
cmd_diff(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("diff");
	const char *files[2] = { NULL, NULL }, *arg, *fmt = "text";
	struct doc_node *old, *new;
	struct arena *a = NULL;
	struct diff df;
	struct diag d;
	int i = 1, o, nf = 0, rc = EXIT_INVALID_INPUT;

	while ((o = opt_next(cmd, diff_opts, argc, argv, &i, &arg)) != -1) {
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (nf == 2)
				return cli_usage_err(cmd, "two reports only");
			files[nf++] = argv[i++];
			break;
		case O_FORMAT:
			if (strcmp(arg, "text") != 0 &&
			    strcmp(arg, "json") != 0)
				return cli_usage_err(
				    cmd, "unknown format '%s'", arg);
			fmt = arg;
			break;
		case O_HELP:
			cli_usage(cmd, stdout);
			printf(
			    "\nCompare two JSON reports (rampart scan --format "
			    "json) control by control.\nExit 1 when NEW "
			    "regresses: a new failure or error, a control no "
			    "longer\nassessed, a worse verdict, or fewer "
			    "automated controls.\n");
			return 0;
		}
	}
	if (nf != 2)
		return cli_usage_err(cmd, "expected OLD.json and NEW.json");
	diag_init(&d);
	if ((a = arena_new()) == NULL) {
		rc = EXIT_SYSTEM;
		goto out;
	}
	if ((old = doc_load_one(a, &d, files[0], DOC_FMT_JSON, NULL)) == NULL ||
	    check_report(&d, old) == -1)
		goto out;
	if ((new = doc_load_one(a, &d, files[1], DOC_FMT_JSON, NULL)) == NULL ||
	    check_report(&d, new) == -1)
		goto out;
	if (strcmp(doc_str(doc_get(doc_get(old, "baseline"), "id"))
		    ? doc_str(doc_get(doc_get(old, "baseline"), "id"))
		    : "",
		doc_str(doc_get(doc_get(new, "baseline"), "id"))
		    ? doc_str(doc_get(doc_get(new, "baseline"), "id"))
		    : "") != 0)
		fprintf(stderr,
		    "rampart diff: warning: the reports use "
		    "different baselines\n");
	if (compare(a, old, new, &df) == -1) {
		rc = EXIT_SYSTEM;
		goto out;
	}
	if (strcmp(fmt, "json") == 0)
		print_json(&df);
	else
		print_text(&df);
	rc = df.regressed ? EXIT_NOT_ELIGIBLE : 0;
out:
	if (d.n > 0)
		cli_diag(c, &d);
	arena_free(a);
	diag_free(&d);
	return rc;
}
