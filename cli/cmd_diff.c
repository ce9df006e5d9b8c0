/*
 * cmd_diff.c: `rampart diff OLD.json NEW.json`, the regression gate.
 *
 * Compares two JSON reports finding by finding (a finding is one check
 * on one resource, named by its fingerprint: docs/reports.md) and control
 * by control, then the verdict and the coverage.  Exit 1 when NEW
 * regresses against OLD: a failing or errored finding that is new or
 * changed status (also inside a control that already failed), a control
 * newly failing, erroring or weakened, a control no longer assessed, a
 * worse verdict, fewer controls assessed by checks.  Reports of different
 * baselines or mappings are refused (exit 3) unless
 * --allow-baseline-change.  When a report's list of results was capped
 * (--max-results) so that failing or errored findings are counted but
 * not listed, the lists cannot be compared exactly: diff says so and
 * exits 4 instead of claiming no regression.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "reports/report.h"

enum { O_ALLOW_BASELINE = 1, O_FORMAT, O_HELP, O_CONFIG };

const struct opt diff_opts[] = {
	{ "format", 'f', "F", O_FORMAT, OPT_CFG, "output format", "text|json" },
	{ "json", 0, NULL, O_FORMAT, OPT_ALIAS, "--format json", "json" },
	{ "allow-baseline-change", 0, NULL, O_ALLOW_BASELINE, 0,
	    "compare reports of different baselines or mappings", NULL },
	{ "config", 0, "FILE", O_CONFIG, OPT_CFGFILE,
	    "configuration file (default ./.rampart.yaml when present)", NULL },
	{ "no-config", 0, NULL, O_CONFIG, OPT_CFGFILE,
	    "ignore .rampart.yaml and RAMPART_* variables", NULL },
	{ "help", 'h', NULL, O_HELP, 0, "show this help", NULL },
	OPT_END,
};

/* Control changes. */
enum change {
	CH_NEW_FAIL,
	CH_NEW_ERROR,
	CH_WEAKENED,
	CH_FIXED,
	CH_REMOVED,
	CH_ADDED,
	CH_OTHER,
	CH_COUNT
};

static const char *const change_names[CH_COUNT] = { "new_failures",
	"new_errors", "weakened", "fixed", "removed", "added", "changed" };

/*
 * A check (in one control) whose failing or errored count rose while a
 * capped list hides which results did: the counts are exact even when
 * the list is not.
 */
struct rise {
	const char *control, *check, *status;
	long long from, to;
};

/* Finding changes. */
enum fchange { FC_NEW, FC_CHANGED, FC_RESOLVED, FC_COUNT };

static const char *const fchange_names[FC_COUNT] = { "new", "changed",
	"resolved" };

struct item {
	const char *id, *label, *from, *to;
};

/* One finding of a report: a check on a resource, or on no resource. */
struct finding {
	char fp[SHA256_HEX_LEN + 1];
	const char *check, *type, *id, *region;
	const char *status; /* fail error waived pass not_applicable */
	const char *control; /* label of the first control using it */
};

struct fset {
	struct finding *v;
	size_t n, cap;
	/* Check ids whose failing or errored results are not all listed. */
	const char **capped;
	size_t ncapped;
};

struct fitem {
	const struct finding *f; /* the NEW one, or the OLD one if gone */
	const char *from, *to;
};

struct diff {
	struct item *v[CH_COUNT];
	size_t n[CH_COUNT];
	struct fitem *fv[FC_COUNT];
	size_t fn[FC_COUNT];
	struct rise *rv;
	size_t nrise;
	const char *verdict_old, *verdict_new;
	long long auto_old, auto_new;
	int baseline_changed;
	int regressed;
	int exact; /* no capped list hides a failing or errored finding */
	const struct fset *old, *new;
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

/*
 * How far a control status is from decided: partial and manual are open
 * (2, 3), error and fail are bad (4, 5), the rest decided (0).
 */
static int
control_rank(const char *s)
{
	if (s == NULL)
		return 0;
	if (strcmp(s, "fail") == 0)
		return 5;
	if (strcmp(s, "error") == 0)
		return 4;
	if (strcmp(s, "manual") == 0)
		return 3;
	if (strcmp(s, "partial") == 0)
		return 2;
	return 0;
}

/* Severity of a finding status, to merge duplicates: worst wins. */
static int
finding_rank(const char *s)
{
	static const char *const order[] = { "not_applicable", "pass", "waived",
		"error", "fail" };
	size_t i;

	for (i = 0; s != NULL && i < sizeof(order) / sizeof(order[0]); i++)
		if (strcmp(s, order[i]) == 0)
			return (int)i + 1;
	return 0;
}

/*
 * How many controls the report assesses with checks (responsibility
 * automated, whatever their status), or -1 when it lists no controls.
 * Coverage's "automated" count moves with decisions (a failing control
 * that becomes partial leaves it), so it cannot say what is assessed.
 */
static long long
automated(const struct report_doc *rd)
{
	const struct doc_node *cs = rd->controls;
	const char *resp;
	long long n = 0;
	size_t i;

	if (cs == NULL || cs->type != DOC_SEQ)
		return -1;
	for (i = 0; i < cs->u.seq.n; i++) {
		resp = doc_str(doc_get(cs->u.seq.items[i], "responsibility"));
		n += resp != NULL && strcmp(resp, "automated") == 0;
	}
	return n;
}

static long long
int_of(const struct doc_node *n)
{
	return n != NULL && n->type == DOC_INT ? (long long)n->u.i : 0;
}

/*
 * Check the shape diff reads of a report (read with REPORT_DOC_PARTIAL);
 * report every problem with file:line:col.
 */
static int
check_report(struct diag *d, const struct report_doc *rd)
{
	const struct doc_node *root = rd->root, *cs = rd->controls, *c, *ks, *k,
			      *rs;
	size_t i, j;
	int rc = 0;

	if (root->type != DOC_MAP)
		return diag_err(d, &root->mark,
		    "expected a rampart JSON report (a map), found %s",
		    doc_type_name(root->type));
	if (verdict_rank(rd->verdict) < 0)
		rc = diag_err(d, &root->mark, "report has no valid 'verdict'");
	if (cs == NULL || cs->type != DOC_SEQ)
		return diag_err(
		    d, &root->mark, "report has no 'controls' list");
	for (i = 0; i < cs->u.seq.n; i++) {
		c = cs->u.seq.items[i];
		if (doc_str(doc_get(c, "id")) == NULL ||
		    doc_str(doc_get(c, "status")) == NULL) {
			rc = diag_err(
			    d, &c->mark, "control without 'id' or 'status'");
			continue;
		}
		if ((ks = doc_get(c, "checks")) == NULL)
			continue;
		if (ks->type != DOC_SEQ) {
			rc = diag_err(d, &ks->mark, "'checks' is not a list");
			continue;
		}
		for (j = 0; j < ks->u.seq.n; j++) {
			k = ks->u.seq.items[j];
			rs = doc_get(k, "resources");
			if (doc_str(doc_get(k, "id")) == NULL ||
			    doc_str(doc_get(k, "status")) == NULL ||
			    (rs != NULL && rs->type != DOC_SEQ))
				rc = diag_err(d, &k->mark,
				    "check without 'id' or 'status', or "
				    "with 'resources' not a list");
		}
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
fadd(struct arena *a, struct diff *df, enum fchange ch, const struct finding *f,
    const char *from, const char *to)
{
	struct fitem *v;

	v = arena_realloc(a, df->fv[ch], df->fn[ch] * sizeof(*v),
	    (df->fn[ch] + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	df->fv[ch] = v;
	v[df->fn[ch]].f = f;
	v[df->fn[ch]].from = from;
	v[df->fn[ch]].to = to;
	df->fn[ch]++;
	return 0;
}

static struct finding *
fs_push(struct fset *fs)
{
	struct finding *v;
	size_t cap;

	if (fs->n == fs->cap) {
		cap = fs->cap ? fs->cap * 2 : 64;
		if ((v = lib_realloc(fs->v, cap * sizeof(*v))) == NULL)
			return NULL;
		fs->v = v;
		fs->cap = cap;
	}
	memset(&fs->v[fs->n], 0, sizeof(fs->v[0]));
	return &fs->v[fs->n++];
}

static void
fs_free(struct fset *fs)
{
	lib_free(fs->v);
	lib_free(fs->capped);
}

static int
fs_capped(struct fset *fs, const char *check)
{
	const char **v;
	size_t i;

	for (i = 0; i < fs->ncapped; i++)
		if (strcmp(fs->capped[i], check) == 0)
			return 0;
	if ((v = lib_realloc(fs->capped, (fs->ncapped + 1) * sizeof(*v))) ==
	    NULL)
		return -1;
	fs->capped = v;
	fs->capped[fs->ncapped++] = check;
	return 0;
}

static int
fs_is_capped(const struct fset *fs, const char *check)
{
	size_t i;

	for (i = 0; i < fs->ncapped; i++)
		if (strcmp(fs->capped[i], check) == 0)
			return 1;
	return 0;
}

static int
fp_cmp(const void *a, const void *b)
{
	return strcmp(
	    ((const struct finding *)a)->fp, ((const struct finding *)b)->fp);
}

/*
 * A result's fingerprint: the one the report recorded, else (a report
 * of an earlier version) computed from its fields by the same recipe.
 */
static void
result_fp(const struct doc_node *res, const char *check, char *out)
{
	const char *fp = doc_str(doc_get(res, "fingerprint"));

	if (fp != NULL && strlen(fp) == SHA256_HEX_LEN) {
		memcpy(out, fp, SHA256_HEX_LEN + 1);
		return;
	}
	report_fingerprint(check, doc_str(doc_get(res, "type")),
	    doc_str(doc_get(res, "id")), doc_str(doc_get(res, "region")), out);
}

/* Listed results of a check in status s. */
static size_t
listed(const struct doc_node *rs, const char *s)
{
	size_t i, n = 0;

	for (i = 0; rs != NULL && i < rs->u.seq.n; i++)
		if (strcmp(doc_str(doc_get(rs->u.seq.items[i], "status"))
			    ? doc_str(doc_get(rs->u.seq.items[i], "status"))
			    : "",
			s) == 0)
			n++;
	return n;
}

/*
 * Every finding of a report, once each (a check bound to several
 * controls lists its results under each; the worst status wins, and a
 * failure counts as waived only where its check is waived), sorted by
 * fingerprint.  A check that errored with no errored result listed (its
 * evidence is missing) is a finding of its own with no resource.
 */
static int
collect(const struct report_doc *rd, struct fset *fs)
{
	const struct doc_node *cs = rd->controls, *c, *ks, *k, *rs, *res, *cnt;
	const char *check, *kst, *st;
	struct finding *f;
	size_t i, j, m, w;

	for (i = 0; i < cs->u.seq.n; i++) {
		c = cs->u.seq.items[i];
		ks = doc_get(c, "checks");
		for (j = 0; ks != NULL && j < ks->u.seq.n; j++) {
			k = ks->u.seq.items[j];
			check = doc_str(doc_get(k, "id"));
			kst = doc_str(doc_get(k, "status"));
			rs = doc_get(k, "resources");
			cnt = doc_get(k, "counts");
			if ((int_of(doc_get(cnt, "fail")) >
				    (long long)listed(rs, "fail") ||
				int_of(doc_get(cnt, "error")) >
				    (long long)listed(rs, "error")) &&
			    fs_capped(fs, check) == -1)
				return -1;
			for (m = 0; rs != NULL && m < rs->u.seq.n; m++) {
				res = rs->u.seq.items[m];
				st = doc_str(doc_get(res, "status"));
				if ((f = fs_push(fs)) == NULL)
					return -1;
				result_fp(res, check, f->fp);
				f->check = check;
				f->type = doc_str(doc_get(res, "type"));
				f->id = doc_str(doc_get(res, "id"));
				f->region = doc_str(doc_get(res, "region"));
				f->status = st != NULL && kst != NULL &&
					strcmp(st, "fail") == 0 &&
					strcmp(kst, "waived") == 0
				    ? "waived"
				    : st;
				f->control = doc_str(doc_get(c, "label"));
			}
			if (kst != NULL && strcmp(kst, "error") == 0 &&
			    listed(rs, "error") == 0) {
				if ((f = fs_push(fs)) == NULL)
					return -1;
				report_fingerprint(
				    check, NULL, NULL, NULL, f->fp);
				f->check = check;
				f->status = "error";
				f->control = doc_str(doc_get(c, "label"));
			}
		}
	}
	if (fs->n > 1)
		qsort(fs->v, fs->n, sizeof(fs->v[0]), fp_cmp);
	/* Merge duplicates: the worst status wins. */
	for (i = 0, w = 0; i < fs->n; i++) {
		if (w > 0 && strcmp(fs->v[w - 1].fp, fs->v[i].fp) == 0) {
			if (finding_rank(fs->v[i].status) >
			    finding_rank(fs->v[w - 1].status))
				fs->v[w - 1].status = fs->v[i].status;
			continue;
		}
		fs->v[w++] = fs->v[i];
	}
	fs->n = w;
	return 0;
}

static const struct finding *
fs_find(const struct fset *fs, const char *fp)
{
	struct finding key;

	if (fs->n == 0)
		return NULL;
	memcpy(key.fp, fp, SHA256_HEX_LEN + 1);
	return bsearch(&key, fs->v, fs->n, sizeof(fs->v[0]), fp_cmp);
}

static int
compare_findings(struct arena *a, struct diff *df)
{
	const struct finding *f, *o;
	size_t i;

	for (i = 0; i < df->new->n; i++) {
		f = &df->new->v[i];
		o = fs_find(df->old, f->fp);
		if (o == NULL) {
			if (is_bad(f->status) &&
			    fadd(a, df, FC_NEW, f, NULL, f->status) == -1)
				return -1;
			continue;
		}
		if (strcmp(o->status ? o->status : "",
			f->status ? f->status : "") == 0)
			continue;
		if (is_bad(o->status) && !is_bad(f->status)) {
			if (fadd(a, df, FC_RESOLVED, f, o->status, f->status) ==
			    -1)
				return -1;
		} else if (fadd(a, df, FC_CHANGED, f, o->status, f->status) ==
		    -1) {
			return -1;
		}
	}
	for (i = 0; i < df->old->n; i++) {
		o = &df->old->v[i];
		if (!is_bad(o->status) || fs_find(df->new, o->fp) != NULL)
			continue;
		/* Absent from a capped list: maybe still there, unlisted. */
		if (o->check != NULL && fs_is_capped(df->new, o->check))
			continue;
		if (fadd(a, df, FC_RESOLVED, o, o->status, NULL) == -1)
			return -1;
	}
	return 0;
}

static const struct doc_node *
find_check(const struct doc_node *c, const char *id)
{
	const struct doc_node *ks = doc_get(c, "checks");
	size_t i;

	for (i = 0; ks != NULL && i < ks->u.seq.n; i++)
		if (strcmp(doc_str(doc_get(ks->u.seq.items[i], "id")), id) == 0)
			return ks->u.seq.items[i];
	return NULL;
}

/*
 * Counts of failing and errored results that rose for a check of a
 * control present in both reports, where either list is capped.
 */
static int
compare_counts(struct arena *a, const struct doc_node *oc,
    const struct doc_node *nc, struct diff *df)
{
	static const char *const bad[] = { "fail", "error" };
	const struct doc_node *c, *o, *ks, *k, *ok;
	const char *check;
	struct rise *v;
	long long from, to;
	size_t i, j, b;

	for (i = 0; i < nc->u.seq.n; i++) {
		c = nc->u.seq.items[i];
		if ((o = find_control(oc, doc_str(doc_get(c, "id")))) == NULL)
			continue;
		ks = doc_get(c, "checks");
		for (j = 0; ks != NULL && j < ks->u.seq.n; j++) {
			k = ks->u.seq.items[j];
			check = doc_str(doc_get(k, "id"));
			if ((ok = find_check(o, check)) == NULL ||
			    (!fs_is_capped(df->new, check) &&
				!fs_is_capped(df->old, check)))
				continue;
			for (b = 0; b < 2; b++) {
				from = int_of(
				    doc_get(doc_get(ok, "counts"), bad[b]));
				to = int_of(
				    doc_get(doc_get(k, "counts"), bad[b]));
				if (to <= from)
					continue;
				v = arena_realloc(a, df->rv,
				    df->nrise * sizeof(*v),
				    (df->nrise + 1) * sizeof(*v));
				if (v == NULL)
					return -1;
				df->rv = v;
				v[df->nrise].control =
				    doc_str(doc_get(c, "label"));
				v[df->nrise].check = check;
				v[df->nrise].status = bad[b];
				v[df->nrise].from = from;
				v[df->nrise].to = to;
				df->nrise++;
			}
		}
	}
	return 0;
}

static int
compare(struct arena *a, const struct report_doc *old,
    const struct report_doc *new, struct diff *df)
{
	const struct doc_node *oc = old->controls, *nc = new->controls;
	const struct doc_node *c, *o;
	const char *from, *to;
	enum change ch;
	size_t i;

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
		/* fail -> error loses the evidence of the failure: worse. */
		if (strcmp(to, "fail") == 0)
			ch = CH_NEW_FAIL;
		else if (strcmp(to, "error") == 0)
			ch = CH_NEW_ERROR;
		else if (is_bad(from))
			ch = CH_FIXED;
		else if (control_rank(to) > control_rank(from))
			ch = CH_WEAKENED;
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
	if (compare_findings(a, df) == -1 ||
	    compare_counts(a, oc, nc, df) == -1)
		return -1;
	df->verdict_old = old->verdict;
	df->verdict_new = new->verdict;
	df->auto_old = automated(old);
	df->auto_new = automated(new);
	df->regressed = df->n[CH_NEW_FAIL] > 0 || df->n[CH_NEW_ERROR] > 0 ||
	    df->n[CH_WEAKENED] > 0 || df->n[CH_REMOVED] > 0 ||
	    df->fn[FC_NEW] > 0 || df->nrise > 0 ||
	    verdict_rank(df->verdict_new) > verdict_rank(df->verdict_old) ||
	    (df->auto_old >= 0 && df->auto_new >= 0 &&
		df->auto_new < df->auto_old);
	for (i = 0; i < df->fn[FC_CHANGED]; i++)
		if (is_bad(df->fv[FC_CHANGED][i].to))
			df->regressed = 1;
	/*
	 * A capped OLD can only make a finding look new (a false alarm);
	 * a capped NEW can hide a new one: only that is inexact.
	 */
	df->exact = df->new->ncapped == 0;
	return 0;
}

/* Both NULL or the same string. */
static int
same_str(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	return strcmp(x, y) == 0;
}

/* The baseline fields that must match: id, sha256, mapping. */
static int
same_baseline(const struct report_doc *a, const struct report_doc *b)
{
	return same_str(a->baseline_id, b->baseline_id) &&
	    same_str(a->baseline_sha256, b->baseline_sha256) &&
	    same_str(a->mapping, b->mapping);
}

static const char *
or_none(const char *s)
{
	return s != NULL ? s : "(none)";
}

static void
print_finding(const struct fitem *it)
{
	const struct finding *f = it->f;

	printf("  %-14s -> %-14s %s", it->from ? it->from : "(absent)",
	    it->to ? it->to : "(absent)", f->check ? f->check : "?");
	if (f->type == NULL && f->id == NULL)
		printf("  (no evidence in the inputs)");
	else
		printf("  %s %s", f->type ? f->type : "?",
		    f->id ? f->id : "(listing)");
	if (f->region != NULL)
		printf(" (%s)", f->region);
	if (f->control != NULL)
		printf("  [%s]", f->control);
	putchar('\n');
}

static void
print_text(const struct diff *df, const struct report_doc *old,
    const struct report_doc *new)
{
	static const char *const ftitle[FC_COUNT] = { "new findings",
		"changed findings", "resolved findings" };
	size_t i;
	int ch;

	if (df->baseline_changed)
		printf("baseline: %s -> %s (allowed by "
		       "--allow-baseline-change)\n",
		    or_none(old->baseline_id), or_none(new->baseline_id));
	else
		printf("baseline: %s (sha256 %.12s, mapping %s)\n",
		    or_none(new->baseline_id), or_none(new->baseline_sha256),
		    or_none(new->mapping));
	printf("verdict:  %s -> %s\n", df->verdict_old, df->verdict_new);
	if (df->auto_old >= 0 || df->auto_new >= 0)
		printf("coverage: %lld -> %lld controls assessed by checks\n",
		    df->auto_old, df->auto_new);
	printf("findings: %zu -> %zu\n", df->old->n, df->new->n);
	for (ch = 0; ch < FC_COUNT; ch++) {
		if (df->fn[ch] == 0)
			continue;
		printf("%s (%zu):\n", ftitle[ch], df->fn[ch]);
		for (i = 0; i < df->fn[ch]; i++)
			print_finding(&df->fv[ch][i]);
	}
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
	if (df->nrise > 0)
		printf("more failing or errored results in capped lists "
		       "(%zu):\n",
		    df->nrise);
	for (i = 0; i < df->nrise; i++)
		printf("  %-12s %s: %lld -> %lld %s\n",
		    df->rv[i].control ? df->rv[i].control : "?",
		    df->rv[i].check, df->rv[i].from, df->rv[i].to,
		    df->rv[i].status);
	for (i = 0; i < df->new->ncapped; i++)
		printf("capped:   NEW lists only part of the failing or "
		       "errored results of %s\n",
		    df->new->capped[i]);
	for (i = 0; i < df->old->ncapped; i++)
		printf("capped:   OLD lists only part of the failing or "
		       "errored results of %s\n",
		    df->old->capped[i]);
	if (df->regressed)
		printf("REGRESSED\n");
	else if (!df->exact)
		printf("CANNOT COMPARE EXACTLY: no regression among the "
		       "listed findings, but capped lists hide some (scan "
		       "with --max-results 0)\n");
	else
		printf("no regression\n");
}

static void
json_finding(struct jw *w, const struct fitem *it)
{
	const struct finding *f = it->f;

	jw_obj(w);
	jw_kstr(w, "fingerprint", f->fp);
	jw_kstr(w, "check", f->check);
	jw_kstr(w, "type", f->type);
	jw_kstr(w, "id", f->id);
	jw_kstr(w, "region", f->region);
	jw_kstr(w, "control", f->control);
	jw_kstr(w, "from", it->from);
	jw_kstr(w, "to", it->to);
	jw_end_obj(w);
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
	jw_key(&w, "baseline_changed");
	jw_bool(&w, df->baseline_changed);
	jw_key(&w, "regressed");
	jw_bool(&w, df->regressed);
	jw_key(&w, "exact");
	jw_bool(&w, df->exact);
	jw_key(&w, "capped");
	jw_obj(&w);
	jw_key(&w, "old");
	jw_arr(&w);
	for (i = 0; i < df->old->ncapped; i++)
		jw_str(&w, df->old->capped[i]);
	jw_end_arr(&w);
	jw_key(&w, "new");
	jw_arr(&w);
	for (i = 0; i < df->new->ncapped; i++)
		jw_str(&w, df->new->capped[i]);
	jw_end_arr(&w);
	jw_end_obj(&w);
	jw_key(&w, "count_rises");
	jw_arr(&w);
	for (i = 0; i < df->nrise; i++) {
		jw_obj(&w);
		jw_kstr(&w, "control", df->rv[i].control);
		jw_kstr(&w, "check", df->rv[i].check);
		jw_kstr(&w, "status", df->rv[i].status);
		jw_kint(&w, "from", df->rv[i].from);
		jw_kint(&w, "to", df->rv[i].to);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_key(&w, "findings");
	jw_obj(&w);
	for (ch = 0; ch < FC_COUNT; ch++) {
		jw_key(&w, fchange_names[ch]);
		jw_arr(&w);
		for (i = 0; i < df->fn[ch]; i++)
			json_finding(&w, &df->fv[ch][i]);
		jw_end_arr(&w);
	}
	jw_end_obj(&w);
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
diff_read_findings(struct arena *a, struct diag *d, const char *path,
    struct report_findings *out)
{
	struct report_doc *rd = NULL;
	struct fset fs;
	size_t i;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&fs, 0, sizeof(fs));
	if (report_doc_open(d, path, REPORT_DOC_PARTIAL, &rd) == -1 ||
	    check_report(d, rd) == -1)
		goto out;
	if (collect(rd, &fs) == -1) {
		diag_sys(d, NULL, "out of memory");
		goto out;
	}
	out->capped = fs.ncapped > 0;
	if ((out->fp = arena_alloc(a, (fs.n + 1) * sizeof(*out->fp))) == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto out;
	}
	/* collect() sorted them by fingerprint and merged duplicates. */
	for (i = 0; i < fs.n; i++)
		if (fs.v[i].status != NULL &&
		    (strcmp(fs.v[i].status, "fail") == 0 ||
			strcmp(fs.v[i].status, "waived") == 0 ||
			strcmp(fs.v[i].status, "error") == 0))
			memcpy(
			    out->fp[out->n++], fs.v[i].fp, SHA256_HEX_LEN + 1);
	rc = 0;
out:
	fs_free(&fs);
	report_doc_free(rd);
	return rc;
}

/* What `rampart diff` was asked. */
struct diff_args {
	const char *files[2]; /* OLD, NEW */
	int json, allow;
};

static void
diff_help(const struct command *cmd)
{
	cli_help(cmd, stdout);
	printf("\nCompare two JSON reports (rampart scan --format "
	       "json) finding by finding\n(check and resource, by "
	       "fingerprint) and control by control.\n\n"
	       "Exit 1 when NEW regresses: a new or changed "
	       "failing "
	       "or errored finding\n(also inside a control that "
	       "already failed), a control newly failing,\n"
	       "erroring or weakened (pass to partial or manual), "
	       "a control no longer\nassessed, a worse verdict, "
	       "or "
	       "fewer controls assessed by checks.  Exit 3 "
	       "for\nreports of "
	       "different baselines or mappings.  Exit 4 when no "
	       "regression is\nfound but a capped list "
	       "(--max-results) hides failing or errored "
	       "findings.\n");
}

/* Parse the command line into *da: -1 to go on, else the exit code. */
static int
diff_parse(struct cli *c, const struct command *cmd, int argc, char **argv,
    struct diff_args *da)
{
	struct opt_parse p;
	int o, nf = 0;

	memset(da, 0, sizeof(*da));
	opt_init(&p, c, cmd, argc, argv);
	while ((o = opt_next(&p)) != -1) {
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (nf == 2)
				return cli_usage_err(cmd, "two reports only");
			da->files[nf++] = opt_operand(&p);
			break;
		case O_ALLOW_BASELINE:
			da->allow = 1;
			break;
		case O_FORMAT:
			da->json = strcmp(p.arg, "json") == 0;
			break;
		case O_HELP:
			diff_help(cmd);
			return 0;
		default:
			return opt_unhandled(&p, o);
		}
	}
	if (nf != 2)
		return cli_usage_err(cmd, "expected OLD.json and NEW.json");
	return -1;
}

/* Reports of different baselines or mappings: -1 unless allowed. */
static int
diff_baselines(struct diag *d, const struct diff_args *da,
    const struct report_doc *old, const struct report_doc *new, struct diff *df)
{
	struct mark m = { da->files[1], 0, 0 };

	if (same_baseline(old, new))
		return 0;
	df->baseline_changed = 1;
	if (da->allow)
		return 0;
	return diag_err(d, &m,
	    "the reports use different baselines or "
	    "mappings: '%s' (sha256 %s, mapping '%s') and "
	    "'%s' (sha256 %s, mapping '%s'); compare them "
	    "with --allow-baseline-change",
	    or_none(old->baseline_id), or_none(old->baseline_sha256),
	    or_none(old->mapping), or_none(new->baseline_id),
	    or_none(new->baseline_sha256), or_none(new->mapping));
}

/* Warn on stderr about the capped lists of either report. */
static void
warn_capped(const struct fset *fo, const struct fset *fn)
{
	if (fn->ncapped > 0)
		fprintf(stderr,
		    "rampart diff: warning: NEW lists only part of the "
		    "failing or errored results of %zu check%s "
		    "(--max-results): the findings cannot be compared "
		    "exactly\n",
		    fn->ncapped, fn->ncapped == 1 ? "" : "s");
	if (fo->ncapped > 0)
		fprintf(stderr,
		    "rampart diff: warning: OLD lists only part of the "
		    "failing or errored results of %zu check%s "
		    "(--max-results): a finding reported new may have been "
		    "there, unlisted\n",
		    fo->ncapped, fo->ncapped == 1 ? "" : "s");
}

/* Read both reports, compare and print them: the exit code. */
static int
diff_run(struct diag *d, const struct diff_args *da)
{
	struct report_doc *old = NULL, *new = NULL;
	struct fset fo, fn;
	struct arena *a;
	struct diff df;
	int rc = EXIT_INVALID_INPUT;

	memset(&fo, 0, sizeof(fo));
	memset(&fn, 0, sizeof(fn));
	memset(&df, 0, sizeof(df));
	if ((a = arena_new()) == NULL)
		return EXIT_SYSTEM;
	if (report_doc_open(d, da->files[0], REPORT_DOC_PARTIAL, &old) == -1 ||
	    check_report(d, old) == -1 ||
	    report_doc_open(d, da->files[1], REPORT_DOC_PARTIAL, &new) == -1 ||
	    check_report(d, new) == -1 ||
	    diff_baselines(d, da, old, new, &df) == -1)
		goto out;
	df.old = &fo;
	df.new = &fn;
	if (collect(old, &fo) == -1 || collect(new, &fn) == -1 ||
	    compare(a, old, new, &df) == -1) {
		rc = EXIT_SYSTEM;
		goto out;
	}
	warn_capped(&fo, &fn);
	if (da->json)
		print_json(&df);
	else
		print_text(&df, old, new);
	rc = df.regressed ? EXIT_NOT_ELIGIBLE : !df.exact ? EXIT_INCOMPLETE : 0;
out:
	fs_free(&fo);
	fs_free(&fn);
	report_doc_free(old);
	report_doc_free(new);
	arena_free(a);
	return rc;
}

int
cmd_diff(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("diff");
	struct diff_args da;
	struct diag d;
	int rc;

	if ((rc = diff_parse(c, cmd, argc, argv, &da)) != -1)
		return rc;
	diag_init(&d);
	rc = diff_run(&d, &da);
	if (rc == EXIT_INVALID_INPUT)
		rc = cli_exit_for(&d);
	if (d.n > 0)
		cli_diag(c, &d);
	diag_free(&d);
	return rc;
}
