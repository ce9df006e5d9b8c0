/*
 * test_engine.c: evaluation, aggregation into controls, POA&M, the
 * verdict, parameter binding and tailoring.  A test plugin and a test
 * adapter stand in for real exports, so each rule of the engine is pinned
 * on its own.
 */
#include "testutil.h"

#include "rules/rules.h"

/* ------------------------------------------------------------ fixtures */

/*
 * The test plugin reads attribute "v": "ok" passes, "bad" fails, absent is
 * an error; "silent" emits nothing (the engine must turn that into
 * error).  It records the bound parameter "limit" in the message.
 */
static int
tp_eval(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *v = doc_get(r->attrs, "v");
	int64_t lim = check_param_int(c, "limit", -1);

	check_evidence(c, "v", v);
	if (v == NULL)
		return check_emit(c, r, ST_ERROR, "'v' is absent (limit %lld)",
		    (long long)lim);
	if (strcmp(doc_str(v) ? doc_str(v) : "", "silent") == 0)
		return 0;
	if (strcmp(doc_str(v) ? doc_str(v) : "", "ok") == 0)
		return check_emit(
		    c, r, ST_PASS, "ok (limit %lld)", (long long)lim);
	return check_emit(c, r, ST_FAIL, "bad (limit %lld)", (long long)lim);
}

static const char *const tp_types[] = { "Test::Thing", NULL };
static const struct plugin_param tp_params[] = {
	{ "limit", DOC_INT, "7", "a threshold" },
	{ NULL, DOC_NULL, NULL, NULL },
};
static const struct check_plugin test_plugin = { "test_plugin", "test",
	tp_types, tp_params, tp_eval };

/* Resources the test adapter emits: YAML flow maps, one per entry. */
struct feed {
	const char *items[16];
	const char *read_error[16];
};

static const struct feed *cur_feed;
/* Options for the next scan(), reset by setup. */
static enum gate cur_gate;
static struct scope *cur_scope_set;
static int64_t cur_max_age;
static const char *cur_scope;

static int
ta_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *n)
{
	struct resource r;
	struct arena *a;
	struct doc_node **docs;
	size_t nd, i;
	int rc = 0;

	(void)path;
	(void)lim;
	*n = 0;
	for (i = 0; cur_feed->items[i] != NULL && rc == 0; i++) {
		a = arena_new();
		assert_non_null(a);
		assert_int_equal(
		    doc_load_buf(a, d, "feed.yaml", cur_feed->items[i],
			strlen(cur_feed->items[i]), DOC_FMT_YAML, NULL, &docs,
			&nd),
		    0);
		memset(&r, 0, sizeof(r));
		r.type = doc_str(doc_get(docs[0], "type"));
		r.id = doc_str(doc_get(docs[0], "id"));
		/* {listing: TYPE}: the input lists every resource of TYPE. */
		if (doc_get(docs[0], "listing") != NULL) {
			r.type = doc_str(doc_get(docs[0], "listing"));
			r.listing = 1;
		}
		if (doc_get(docs[0], "collected") != NULL)
			r.collected = doc_get(docs[0], "collected")->u.i;
		r.source = "feed.yaml";
		r.attrs = docs[0];
		r.read_error = cur_feed->read_error[i];
		rc = fn(ctx, &r, a);
		arena_free(a);
		(*n)++;
	}
	return rc;
}

static int
ta_detect(const char *p, int dir, const char *h, size_t l)
{
	(void)p;
	(void)dir;
	(void)h;
	(void)l;
	return 1;
}

static const struct adapter test_adapter = {
	.name = "test", .summary = "test", .detect = ta_detect, .read = ta_read
};

struct env {
	char dir[64];
	struct rule_set *rs;
	struct diag d;
};

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Add a rule that uses the test plugin, as a pack would. */
static struct rule *
add_rule(struct rule_set *rs, const char *id, int required)
{
	struct rule *r = arena_alloc(rs->a, sizeof(*r));
	struct rule **v;
	struct doc_node *k, *def;

	assert_non_null(r);
	r->id = id;
	r->title = id;
	r->remediation = "fix it";
	r->plugin = "test_plugin";
	r->impl = &test_plugin;
	r->types = (const char **)tp_types;
	r->ntypes = 1;
	r->required = required;
	r->params = doc_new(rs->a, DOC_MAP, NULL);
	k = doc_new_string(rs->a, "limit", 5, NULL);
	def = doc_new(rs->a, DOC_INT, NULL);
	def->u.i = 7;
	def->str = "7";
	def->len = 1;
	doc_map_put(rs->a, r->params, k, def);
	/* As a pack's `unit: days`: "90 days" binds as 90. */
	r->units = doc_new(rs->a, DOC_MAP, NULL);
	doc_map_put(rs->a, r->units, k, doc_new_string(rs->a, "days", 4, NULL));
	v = lib_realloc(rs->v, (rs->n + 1) * sizeof(*v));
	assert_non_null(v);
	rs->v = v;
	/* Keep the table sorted: tests add ids in order. */
	rs->v[rs->n++] = r;
	return r;
}

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	snprintf(e->dir, sizeof(e->dir), "/tmp/rampart-engine-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	e->rs = rule_set_new();
	assert_non_null(e->rs);
	add_rule(e->rs, "chk-a", 0);
	add_rule(e->rs, "chk-b", 0);
	add_rule(e->rs, "chk-req", 1);
	diag_init(&e->d);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];

	rule_set_free(e->rs);
	diag_free(&e->d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
	assert_int_equal(system(cmd), 0);
	free(e);
	return 0;
}

static const char *base_yaml =
    "id: t\ntitle: test baseline\nimpact: moderate\n"
    "parameters:\n  p-days: \"90 days\"\n  p-text: \"annually\"\n"
    "controls:\n"
    "  - id: ac-1\n    checks: [{id: chk-a}]\n"
    "  - id: ac-2\n    checks: [{id: chk-a}, {id: chk-b}]\n"
    "  - id: ac-2.3\n    checks:\n"
    "      - {id: chk-b, params: {limit: {baseline: p-days}}}\n"
    "  - id: ps-3\n    responsibility: manual\n"
    "  - id: pe-3\n    responsibility: inherited\n";

/* Load the baseline text, run the feed through it, finish. */
static struct run *
scan(struct env *e, const char *bl_text, const struct feed *f,
    const char *poam_text, int require_attest, struct baseline **blp,
    struct poam **pp)
{
	char path[128], ppath[128];
	struct run_opts ro;
	struct run *r;

	snprintf(path, sizeof(path), "%s/b.yaml", e->dir);
	write_file(path, bl_text);
	*blp = baseline_load(&e->d, path, e->rs);
	if (*blp == NULL) {
		diag_print(&e->d, stderr, 0, 0);
		fail_msg("baseline did not load");
	}
	*pp = NULL;
	if (poam_text != NULL) {
		snprintf(ppath, sizeof(ppath), "%s/p.yaml", e->dir);
		write_file(ppath, poam_text);
		*pp = poam_load(&e->d, ppath);
		assert_non_null(*pp);
	}
	memset(&ro, 0, sizeof(ro));
	ro.now = 1790000000; /* 2026-09-21 */
	ro.max_results = 1000;
	ro.require_attestations = require_attest;
	ro.gate = cur_gate;
	ro.max_evidence_age = cur_max_age;
	load_limits_default(&ro.lim);
	r = run_new(&e->d, *blp, e->rs, *pp, &ro);
	assert_non_null(r);
	if (cur_scope != NULL) {
		snprintf(ppath, sizeof(ppath), "%s/scope.yaml", e->dir);
		write_file(ppath, cur_scope);
		r->as.scope = cur_scope_set = scope_load(&e->d, ppath);
		assert_non_null(r->as.scope);
	}
	cur_feed = f;
	assert_int_equal(run_input(r, e->dir, &test_adapter), 0);
	assert_int_equal(run_finish(r), 0);
	return r;
}

static enum status
control_status(const struct run *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->as.ncontrols; i++)
		if (strcmp(r->as.controls[i].control->id, id) == 0)
			return r->as.controls[i].status;
	fail_msg("no control %s", id);
	return ST_COUNT;
}

static void
done(struct run *r, struct baseline *b, struct poam *p)
{
	scope_free(cur_scope_set);
	cur_scope_set = NULL;
	cur_scope = NULL;
	cur_gate = GATE_ELIGIBILITY;
	cur_max_age = 0;
	run_free(r);
	baseline_free(b);
	poam_free(p);
}

/* --------------------------------------------------------------- tests */

/* Every control decided (full bindings passed, inherited): eligible. */
static const char *full_yaml =
    "id: t\ntitle: test baseline\nimpact: moderate\n"
    "controls:\n"
    "  - id: ac-1\n    checks: [{id: chk-a, decides: full}]\n"
    "  - id: ac-2\n    checks: [{id: chk-a, decides: full}, "
    "{id: chk-b, decides: full}]\n"
    "  - id: pe-3\n    responsibility: inherited\n";

static void
all_pass_is_eligible(void **state)
{
	struct env *e = *state;
	static const struct feed f = {
		{ "{type: Test::Thing, id: x1, v: ok}",
		    "{type: Test::Thing, id: x2, v: ok}" },
		{ NULL }
	};
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e, full_yaml, &f, NULL, 0, &b, &p);

	assert_int_equal(r->as.verdict, VERDICT_ELIGIBLE);
	assert_int_equal(control_status(r, "ac-1"), ST_PASS);
	assert_int_equal(control_status(r, "pe-3"), ST_INHERITED);
	assert_int_equal(r->as.count_controls[ST_PASS], 2);
	assert_int_equal(r->as.inputs[0].resources, 2);
	done(r, b, p);
}

/*
 * The same passing checks bound as `decides: part` (the default of a
 * baseline's own list) only support their controls, and a manual control
 * is open: the verdict is incomplete, never eligible.
 */
static void
partial_and_manual_are_incomplete(void **state)
{
	struct env *e = *state;
	static const struct feed f = {
		{ "{type: Test::Thing, id: x1, v: ok}",
		    "{type: Test::Thing, id: x2, v: ok}" },
		{ NULL }
	};
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e, base_yaml, &f, NULL, 0, &b, &p);

	assert_int_equal(control_status(r, "ac-1"), ST_PARTIAL);
	assert_int_equal(control_status(r, "ps-3"), ST_MANUAL);
	assert_int_equal(control_status(r, "pe-3"), ST_INHERITED);
	assert_true(r->as.controls[0].open);
	assert_int_equal(r->as.verdict, VERDICT_INCOMPLETE);
	assert_int_equal(r->as.cov.open, 4); /* ac-1, ac-2, ac-2.3, ps-3 */
	done(r, b, p);
}

static void
one_failure_is_not_eligible(void **state)
{
	struct env *e = *state;
	static const struct feed f = {
		{ "{type: Test::Thing, id: x1, v: ok}",
		    "{type: Test::Thing, id: x2, v: bad}" },
		{ NULL }
	};
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e, base_yaml, &f, NULL, 0, &b, &p);

	assert_int_equal(r->as.verdict, VERDICT_NOT_ELIGIBLE);
	assert_int_equal(control_status(r, "ac-1"), ST_FAIL);
	assert_int_equal(control_status(r, "ac-2"), ST_FAIL);
	done(r, b, p);
}

static void
missing_attribute_is_error_never_pass(void **state)
{
	struct env *e = *state;
	static const struct feed f = { { "{type: Test::Thing, id: x1, v: ok}",
					   "{type: Test::Thing, id: x2}" },
		{ NULL } };
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e, base_yaml, &f, NULL, 0, &b, &p);

	assert_int_equal(control_status(r, "ac-1"), ST_ERROR);
	assert_int_equal(r->as.verdict, VERDICT_INCOMPLETE);
	done(r, b, p);
}

static void
read_error_is_error(void **state)
{
	struct env *e = *state;
	/* The data says "ok", but the export recorded AccessDenied. */
	static const struct feed f = { { "{type: Test::Thing, id: x1, v: ok}" },
		{ "AccessDenied: not authorized" } };
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e, base_yaml, &f, NULL, 0, &b, &p);

	assert_int_equal(control_status(r, "ac-1"), ST_ERROR);
	assert_int_equal(r->as.verdict, VERDICT_INCOMPLETE);
	assert_non_null(
	    strstr(r->as.checks[0].results[0].message, "AccessDenied"));
	done(r, b, p);
}

static void
silent_plugin_is_error(void **state)
{
	struct env *e = *state;
	static const struct feed f = {
		{ "{type: Test::Thing, id: x1, v: silent}" }, { NULL }
	};
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e, base_yaml, &f, NULL, 0, &b, &p);

	assert_int_equal(control_status(r, "ac-1"), ST_ERROR);
	done(r, b, p);
}

/*
 * Absent is not empty: no resource of a check's type is `error` ("no
 * listing"), `not_applicable` only with a clean listing marker of the
 * type or a scope declaration; a listing known to be incomplete is an
 * error result; and a control whose checks found nothing stays open.
 */
static void
absent_is_not_empty(void **state)
{
	struct env *e = *state;
	static const struct feed none = { { "{type: Other::Thing, id: o1}" },
		{ NULL } };
	static const struct feed listed = { { "{type: Other::Thing, id: o1}",
						"{listing: Test::Thing}" },
		{ NULL } };
	static const struct feed truncated = {
		{ "{type: Test::Thing, id: x1, v: ok}",
		    "{listing: Test::Thing}" },
		{ NULL, "NextToken left: page 2 missing" }
	};
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e, full_yaml, &none, NULL, 0, &b, &p);

	assert_int_equal(r->as.checks[0].status, ST_ERROR);
	assert_non_null(
	    strstr(r->as.checks[0].why, "no listing of Test::Thing"));
	assert_int_equal(control_status(r, "ac-1"), ST_ERROR);
	assert_int_equal(r->as.verdict, VERDICT_INCOMPLETE);
	done(r, b, p);

	r = scan(e, full_yaml, &listed, NULL, 0, &b, &p);
	assert_int_equal(r->as.checks[0].status, ST_NOT_APPLICABLE);
	assert_int_equal(r->as.inputs[0].listings, 1);
	assert_int_equal(control_status(r, "ac-1"), ST_MANUAL);
	assert_non_null(strstr(r->as.controls[0].note, "not evidenced"));
	assert_int_equal(r->as.verdict, VERDICT_INCOMPLETE);
	done(r, b, p);

	cur_scope = "out_of_scope:\n  - type: \"Test::*\"\n"
		    "    reason: the workload has no things\n";
	r = scan(e, full_yaml, &none, NULL, 0, &b, &p);
	assert_int_equal(r->as.checks[0].status, ST_NOT_APPLICABLE);
	assert_non_null(strstr(r->as.checks[0].why, "no things"));
	done(r, b, p);

	/* A passing resource does not hide the rest of a truncated list. */
	r = scan(e, full_yaml, &truncated, NULL, 0, &b, &p);
	assert_int_equal(r->as.checks[0].status, ST_ERROR);
	assert_int_equal(r->as.checks[0].counts[ST_PASS], 1);
	assert_int_equal(r->as.checks[0].counts[ST_ERROR], 1);
	assert_non_null(
	    strstr(r->as.checks[0].results[1].message, "NextToken"));
	assert_int_equal(control_status(r, "ac-1"), ST_ERROR);
	done(r, b, p);
}

/* An input with no resource and no listing is refused, not a pass. */
static void
empty_input_is_refused(void **state)
{
	struct env *e = *state;
	static const struct feed f = { { NULL }, { NULL } };
	struct baseline *b;
	struct run_opts ro;
	struct run *r;
	char path[128];

	snprintf(path, sizeof(path), "%s/b.yaml", e->dir);
	write_file(path, full_yaml);
	b = baseline_load(&e->d, path, e->rs);
	assert_non_null(b);
	memset(&ro, 0, sizeof(ro));
	ro.now = 1790000000;
	load_limits_default(&ro.lim);
	r = run_new(&e->d, b, e->rs, NULL, &ro);
	cur_feed = &f;
	assert_int_equal(run_input(r, e->dir, &test_adapter), -1);
	assert_diag_has(&e->d, "nothing to evaluate");
	run_free(r);
	baseline_free(b);
}

/* A CRM's or the baseline's "inherited" never hides a failing check. */
static void
inherited_conflict_fails(void **state)
{
	struct env *e = *state;
	static const struct feed f = {
		{ "{type: Test::Thing, id: x1, v: bad}" }, { NULL }
	};
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e,
	    "id: t\ntitle: t\ncontrols:\n  - id: sc-7\n"
	    "    responsibility: inherited\n"
	    "    checks: [{id: chk-a, decides: full}]\n",
	    &f, NULL, 0, &b, &p);

	assert_int_equal(control_status(r, "sc-7"), ST_FAIL);
	assert_non_null(strstr(r->as.controls[0].note, "inherited"));
	assert_non_null(strstr(r->as.controls[0].note, "chk-a"));
	assert_int_equal(r->as.verdict, VERDICT_NOT_ELIGIBLE);
	done(r, b, p);
}

/* --gate checks: the checks alone decide, and the run says so. */
static void
gate_checks(void **state)
{
	struct env *e = *state;
	static const struct feed ok = {
		{ "{type: Test::Thing, id: x1, v: ok}" }, { NULL }
	};
	static const struct feed bad = {
		{ "{type: Test::Thing, id: x1, v: bad}" }, { NULL }
	};
	struct baseline *b;
	struct poam *p;
	struct run *r;

	cur_gate = GATE_CHECKS;
	r = scan(e, base_yaml, &ok, NULL, 0, &b, &p);
	/* Partial and manual controls, yet the checks gate passes; the
	 * verdict stays the eligibility decision (incomplete). */
	assert_int_equal(control_status(r, "ac-1"), ST_PARTIAL);
	assert_int_equal(r->as.exit_verdict, VERDICT_ELIGIBLE);
	assert_int_equal(r->as.verdict, VERDICT_INCOMPLETE);
	assert_int_equal(r->as.opts.gate, GATE_CHECKS);
	done(r, b, p);
	cur_gate = GATE_CHECKS;
	r = scan(e, base_yaml, &bad, NULL, 0, &b, &p);
	assert_int_equal(r->as.exit_verdict, VERDICT_NOT_ELIGIBLE);
	assert_int_equal(r->as.verdict, VERDICT_NOT_ELIGIBLE);
	done(r, b, p);
}

/* Evidence captured before the maximum age is error, never pass. */
static void
stale_evidence_is_error(void **state)
{
	struct env *e = *state;
	static const struct feed f = { { "{type: Test::Thing, id: x1, v: ok, "
					 "collected: 1780000000}" },
		{ NULL } };
	struct baseline *b;
	struct poam *p;
	struct run *r;

	cur_max_age = 30 * 86400;
	r = scan(e, full_yaml, &f, NULL, 0, &b, &p);
	assert_int_equal(r->as.checks[0].status, ST_ERROR);
	assert_non_null(strstr(r->as.checks[0].results[0].message, "older"));
	assert_true(r->as.inputs[0].stale);
	assert_int_equal(r->as.inputs[0].collected, 1780000000);
	done(r, b, p);
	cur_max_age = 200 * 86400;
	r = scan(e, full_yaml, &f, NULL, 0, &b, &p);
	assert_int_equal(r->as.checks[0].status, ST_PASS);
	assert_false(r->as.inputs[0].stale);
	done(r, b, p);
}

static void
parameters_come_from_the_baseline(void **state)
{
	struct env *e = *state;
	static const struct feed f = {
		{ "{type: Test::Thing, id: x1, v: bad}" }, { NULL }
	};
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e, base_yaml, &f, NULL, 0, &b, &p);
	size_t i, seen90 = 0, seen7 = 0;

	/* chk-b runs twice: default limit 7 (ac-2) and 90 (ac-2.3). */
	assert_int_equal(r->as.nchecks, 3);
	for (i = 0; i < r->as.nchecks; i++) {
		if (strstr(r->as.checks[i].results[0].message, "limit 90"))
			seen90++;
		if (strstr(r->as.checks[i].results[0].message, "limit 7"))
			seen7++;
	}
	assert_int_equal(seen90, 1);
	assert_int_equal(seen7, 2);
	done(r, b, p);
}

static void
negative_parameter_values_bind(void **state)
{
	struct env *e = *state;
	static const struct feed f = { { "{type: Test::Thing, id: x1, v: ok}" },
		{ NULL } };
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e,
	    "id: t\ntitle: t\nparameters:\n  p-neg: \"-30 days\"\n"
	    "  p-dash: \"renew 30-day certificates\"\n"
	    "controls:\n  - id: sc-12\n    checks:\n"
	    "      - {id: chk-a, params: {limit: {baseline: p-neg}}}\n"
	    "      - {id: chk-b, params: {limit: {baseline: p-dash}}}\n",
	    &f, NULL, 0, &b, &p);

	assert_non_null(
	    strstr(r->as.checks[0].results[0].message, "limit -30"));
	assert_non_null(strstr(r->as.checks[1].results[0].message, "limit 30"));
	done(r, b, p);
}

static void
tailoring_overrides_reach_checks(void **state)
{
	struct env *e = *state;
	char parent[128], child[256];
	static const struct feed f = {
		{ "{type: Test::Thing, id: x1, v: bad}" }, { NULL }
	};
	struct baseline *b;
	struct poam *p;
	struct run *r;
	size_t i, seen60 = 0;

	snprintf(parent, sizeof(parent), "%s/parent.yaml", e->dir);
	write_file(parent, base_yaml);
	snprintf(child, sizeof(child),
	    "id: c\ntitle: child\nextends: %s\nparameters:\n"
	    "  p-days: \"60 days\"\nremove:\n  - {id: pe-3, reason: no "
	    "facility}\n",
	    parent);
	r = scan(e, child, &f, NULL, 0, &b, &p);
	for (i = 0; i < r->as.nchecks; i++)
		if (strstr(r->as.checks[i].results[0].message, "limit 60"))
			seen60++;
	assert_int_equal(seen60, 1);
	assert_null(baseline_control(b, "pe-3"));
	assert_string_equal(b->impact, "moderate");
	done(r, b, p);
}

static void
removal_needs_a_reason(void **state)
{
	struct env *e = *state;
	char parent[128], child[128], text[256];

	snprintf(parent, sizeof(parent), "%s/parent.yaml", e->dir);
	write_file(parent, base_yaml);
	snprintf(child, sizeof(child), "%s/child.yaml", e->dir);
	snprintf(text, sizeof(text),
	    "id: c\ntitle: child\nextends: %s\nremove:\n  - {id: pe-3, "
	    "reason: \"\"}\n  - {id: zz-9, reason: x}\n",
	    parent);
	write_file(child, text);
	assert_null(baseline_load(&e->d, child, e->rs));
	assert_diag_has(&e->d,
	    "child.yaml:5:5: error: removal of 'pe-3' "
	    "needs a stated reason");
	assert_diag_has(&e->d, "child.yaml:6:10: error: cannot remove 'zz-9'");
}

static void
baseline_lint_reports_every_error(void **state)
{
	struct env *e = *state;
	char path[128];

	snprintf(path, sizeof(path), "%s/bad.yaml", e->dir);
	write_file(path,
	    "id: bad\ntitle: bad\nimpact: extreme\ncolour: red\n"
	    "controls:\n  - id: AC-1\n    checks: [{id: no-such-check}]\n"
	    "  - id: ac-2\n    responsibility: automated\n"
	    "  - id: ac-3\n    checks:\n"
	    "      - {id: chk-a, params: {limit: {baseline: nope}}}\n");
	assert_null(baseline_load(&e->d, path, e->rs));
	assert_diag_has(&e->d, "bad.yaml:3:9: error: unknown impact 'extreme'");
	assert_diag_has(&e->d,
	    "bad.yaml:4:1: error: unknown key 'colour' in "
	    "baseline");
	assert_diag_has(&e->d,
	    "bad.yaml:6:9: error: control id 'AC-1' must be "
	    "lowercase");
	assert_diag_has(&e->d,
	    "bad.yaml:7:19: error: unknown check "
	    "'no-such-check'");
	assert_diag_has(&e->d,
	    "bad.yaml:9:21: error: control 'ac-2' is "
	    "automated but binds no checks");
	assert_diag_has(&e->d, "has no parameter 'nope'");
	assert_true(e->d.nerrors >= 6);
}

static const char *poam_ok =
    "items:\n"
    "  - id: P-1\n    control: ac-1\n    check: chk-a\n"
    "    resource: \"x*\"\n    justification: legacy\n"
    "    approver: ISSO\n    expires: 2027-01-31\n"
    "    deviation: {type: operational_requirement, approved_by: AO,\n"
    "      approved: 2026-06-01}\n";

/*
 * Which POA&M items waive, as a generator over the item's deviation and
 * expiry and the check's other evidence (fail alone, plus an errored
 * resource, plus a read error).  Only an unexpired item with a
 * false_positive or operational_requirement deviation approved by the
 * evaluation time (2026-09-21) waives; a plain item is an open weakness.
 * And a waiver covers failures only: an errored resource or missing
 * evidence in the same check keeps it `error`.  Nothing else may make
 * the control `waived`/`pass` or the verdict eligible.
 */
static void
poam_waiver_class(void **state)
{
	struct env *e = *state;
	static const struct {
		const char *dev; /* the deviation line, "" for none */
		const char *expires;
		int waives;
	} items[] = {
		{ "", "2027-01-31", 0 },
		{ "{type: risk_adjustment, approved_by: AO, approved: "
		  "2026-06-01}",
		    "2027-01-31", 0 },
		{ "{type: operational_requirement, approved_by: AO, "
		  "approved: 2027-01-01}",
		    "2027-01-31", 0 },
		{ "{type: false_positive, approved_by: AO, approved: "
		  "2027-01-01}",
		    "2027-01-31", 0 },
		{ "{type: operational_requirement, approved_by: AO, "
		  "approved: 2026-06-01}",
		    "2026-09-01", 0 },
		{ "{type: operational_requirement, approved_by: AO, "
		  "approved: 2026-06-01}",
		    "2027-01-31", 1 },
		{ "{type: false_positive, approved_by: AO, approved: "
		  "2026-09-21}",
		    "2027-01-31", 1 },
	};
	static const struct feed feeds[] = {
		{ { "{type: Test::Thing, id: x2, v: bad}" }, { NULL } },
		{ { "{type: Test::Thing, id: x2, v: bad}",
		      "{type: Test::Thing, id: x3}" },
		    { NULL } },
		{ { "{type: Test::Thing, id: x2, v: bad}",
		      "{type: Test::Thing, id: x4, v: ok}" },
		    { NULL, "AccessDenied: not authorized" } },
	};
	char text[512];
	size_t i, j;

	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		for (j = 0; j < sizeof(feeds) / sizeof(feeds[0]); j++) {
			struct baseline *b;
			struct poam *p;
			struct run *r;
			enum status st, want;

			snprintf(text, sizeof(text),
			    "items:\n  - id: P-7\n    control: ac-1\n"
			    "    check: chk-a\n    justification: j\n"
			    "    approver: ISSO\n    expires: %s\n%s%s%s",
			    items[i].expires,
			    *items[i].dev ? "    deviation: " : "",
			    items[i].dev, *items[i].dev ? "\n" : "");
			r = scan(e,
			    "id: t\ntitle: t\ncontrols:\n  - id: ac-1\n"
			    "    checks: [{id: chk-a, decides: full}]\n",
			    &feeds[j], text, 0, &b, &p);
			st = control_status(r, "ac-1");
			want = !items[i].waives ? ST_FAIL
			    : j == 0            ? ST_WAIVED
						: ST_ERROR;
			if (st != want)
				fail_msg("item %zu feed %zu: %s, want %s", i, j,
				    status_name(st), status_name(want));
			if (want != ST_WAIVED)
				assert_int_not_equal(
				    r->as.verdict, VERDICT_ELIGIBLE);
			else
				assert_int_equal(
				    r->as.verdict, VERDICT_ELIGIBLE);
			assert_non_null(r->as.controls[0].note);
			assert_non_null(strstr(r->as.controls[0].note, "P-7"));
			done(r, b, p);
		}
}

static void
poam_waives_unexpired(void **state)
{
	struct env *e = *state;
	static const struct feed f = {
		{ "{type: Test::Thing, id: x2, v: bad}" }, { NULL }
	};
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e,
	    "id: t\ntitle: t\ncontrols:\n  - id: ac-1\n"
	    "    checks: [{id: chk-a, decides: full}]\n",
	    &f, poam_ok, 0, &b, &p);

	assert_int_equal(control_status(r, "ac-1"), ST_WAIVED);
	assert_int_equal(r->as.verdict, VERDICT_ELIGIBLE);
	assert_non_null(strstr(r->as.controls[0].note, "P-1"));
	done(r, b, p);
}

static void
poam_expired_does_not_waive(void **state)
{
	struct env *e = *state;
	static const struct feed f = {
		{ "{type: Test::Thing, id: x2, v: bad}" }, { NULL }
	};
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e,
	    "id: t\ntitle: t\ncontrols:\n  - id: ac-1\n"
	    "    checks: [{id: chk-a}]\n",
	    &f,
	    "items:\n  - id: P-9\n    control: ac-1\n    justification: j\n"
	    "    approver: a\n    expires: 2025-01-01\n",
	    0, &b, &p);

	assert_int_equal(control_status(r, "ac-1"), ST_FAIL);
	assert_int_equal(r->as.verdict, VERDICT_NOT_ELIGIBLE);
	assert_non_null(strstr(r->as.controls[0].note, "expired"));
	done(r, b, p);
}

static void
poam_resource_glob_must_match(void **state)
{
	struct env *e = *state;
	static const struct feed f = {
		{ "{type: Test::Thing, id: y7, v: bad}" }, { NULL }
	};
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e,
	    "id: t\ntitle: t\ncontrols:\n  - id: ac-1\n"
	    "    checks: [{id: chk-a}]\n",
	    &f, poam_ok, 0, &b, &p);

	assert_int_equal(control_status(r, "ac-1"), ST_FAIL);
	done(r, b, p);
}

static void
poam_malformed_is_an_error(void **state)
{
	struct env *e = *state;
	char path[128];

	snprintf(path, sizeof(path), "%s/p.yaml", e->dir);
	write_file(path,
	    "items:\n  - id: P-1\n    control: ac-1\n"
	    "    approver: a\n    expires: someday\n");
	assert_null(poam_load(&e->d, path));
	assert_diag_has(&e->d,
	    "p.yaml:2:5: error: POA&M item is missing "
	    "required key 'justification'");
	assert_diag_has(&e->d, "p.yaml:5:14: error: 'expires' must be a date");
}

static void
require_attestations_makes_manual_incomplete(void **state)
{
	struct env *e = *state;
	static const struct feed f = { { "{type: Test::Thing, id: x1, v: ok}" },
		{ NULL } };
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e, base_yaml, &f, NULL, 1, &b, &p);

	assert_int_equal(r->as.verdict, VERDICT_INCOMPLETE);
	done(r, b, p);
}

static void
unevidenced_control_stays_open_when_attestations_required(void **state)
{
	struct env *e = *state;
	static const struct feed f = { { "{type: Other::Thing, id: o1}" },
		{ NULL } };
	struct baseline *b;
	struct poam *p;
	struct run *r = scan(e,
	    "id: t\ntitle: t\ncontrols:\n  - id: sc-17\n"
	    "    checks: [{id: chk-a}]\n",
	    &f, NULL, 1, &b, &p);

	/* No listing of the check's type: missing evidence, not n/a. */
	assert_int_equal(control_status(r, "sc-17"), ST_ERROR);
	assert_int_equal(r->as.verdict, VERDICT_INCOMPLETE);
	done(r, b, p);
}

static void
results_are_capped_but_counted(void **state)
{
	struct env *e = *state;
	static const struct feed f = {
		{ "{type: Test::Thing, id: a, v: bad}",
		    "{type: Test::Thing, id: b, v: bad}",
		    "{type: Test::Thing, id: c, v: bad}",
		    "{type: Test::Thing, id: d, v: ok}" },
		{ NULL }
	};
	struct baseline *b;
	struct run_opts ro;
	struct run *r;
	char path[128];

	snprintf(path, sizeof(path), "%s/b.yaml", e->dir);
	write_file(path,
	    "id: t\ntitle: t\ncontrols:\n  - id: ac-1\n"
	    "    checks: [{id: chk-a}]\n");
	b = baseline_load(&e->d, path, e->rs);
	assert_non_null(b);
	memset(&ro, 0, sizeof(ro));
	ro.now = 1790000000;
	ro.max_results = 2;
	load_limits_default(&ro.lim);
	r = run_new(&e->d, b, e->rs, NULL, &ro);
	cur_feed = &f;
	assert_int_equal(run_input(r, e->dir, &test_adapter), 0);
	assert_int_equal(run_finish(r), 0);
	assert_int_equal(r->as.checks[0].counts[ST_FAIL], 3);
	assert_int_equal(r->as.checks[0].counts[ST_PASS], 1);
	assert_int_equal(r->as.checks[0].n, 3); /* 2 fails listed + 1 pass */
	assert_int_equal(r->as.verdict, VERDICT_NOT_ELIGIBLE);
	run_free(r);
	baseline_free(b);
}

static void
status_names_round_trip(void **state)
{
	enum status s;
	int i;

	(void)state;
	for (i = 0; i < ST_COUNT; i++) {
		assert_int_equal(
		    status_parse(status_name((enum status)i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(status_parse("passed", &s), -1);
	assert_string_equal(verdict_name(VERDICT_NOT_ELIGIBLE), "not_eligible");
}

/*
 * A cloud provider's checks are judged only when the run has an input of
 * that provider: with none, the check is not_applicable ("no Azure input
 * in this run") and decides nothing; with any input of the provider, the
 * check needs its own evidence (absent is not empty).  Over every pair of
 * cloud providers (P's check, an input of Q only; then of P too).
 */
static void
absent_provider_decides_nothing(void **state)
{
	static const char *const pre[] = { "AWS", "Azure", "GCP", "OCI",
		"K8s" };
	static const char *types[5][2];
	static char tname[5][32], ok[5][128], other[5][128];
	struct env *e = *state;
	struct rule *ru;
	size_t p, q, n = sizeof(pre) / sizeof(pre[0]);

	for (p = 0; p < n; p++) {
		snprintf(
		    tname[p], sizeof(tname[p]), "%.8s::Test::Thing", pre[p]);
		types[p][0] = tname[p];
		snprintf(ok[p], sizeof(ok[p]),
		    "{type: %.31s, id: %.31s-1, v: ok}", tname[p], pre[p]);
		snprintf(other[p], sizeof(other[p]),
		    "{type: %.31s::Other::Thing, id: %.31s-2, v: ok}", pre[p],
		    pre[p]);
	}
	ru = add_rule(e->rs, "chk-x-p", 0);
	for (p = 0; p < n; p++) {
		ru->types = (const char **)types[p];
		for (q = 0; q < n; q++) {
			struct feed f = { { ok[q], NULL }, { NULL } };
			struct baseline *b;
			struct poam *pp;
			struct run *r;

			if (q == p)
				continue;
			r = scan(e,
			    "id: t\ntitle: t\nimpact: moderate\ncontrols:\n"
			    "  - id: ac-1\n    checks: [{id: chk-x-p}]\n",
			    &f, NULL, 0, &b, &pp);
			assert_int_equal(
			    r->as.checks[0].status, ST_NOT_APPLICABLE);
			assert_true(r->as.checks[0].absent);
			assert_non_null(
			    strstr(r->as.checks[0].why, " input in "));
			/* Decides nothing: the control stays open. */
			assert_int_equal(control_status(r, "ac-1"), ST_MANUAL);
			assert_int_equal(
			    r->as.count_bindings[ST_NOT_APPLICABLE], 0);
			done(r, b, pp);

			/* An input of P (another type): evidence is due. */
			f.items[1] = other[p];
			r = scan(e,
			    "id: t\ntitle: t\nimpact: moderate\ncontrols:\n"
			    "  - id: ac-1\n    checks: [{id: chk-x-p}]\n",
			    &f, NULL, 0, &b, &pp);
			assert_int_equal(r->as.checks[0].status, ST_ERROR);
			assert_false(r->as.checks[0].absent);
			assert_int_equal(control_status(r, "ac-1"), ST_ERROR);
			assert_int_equal(r->as.verdict, VERDICT_INCOMPLETE);
			assert_true(r->as.inputs[0].providers >> p & 1);
			done(r, b, pp);
		}
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    all_pass_is_eligible, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    one_failure_is_not_eligible, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    missing_attribute_is_error_never_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    read_error_is_error, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    silent_plugin_is_error, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    partial_and_manual_are_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    absent_is_not_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    absent_provider_decides_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    empty_input_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    inherited_conflict_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(gate_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    stale_evidence_is_error, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    parameters_come_from_the_baseline, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    negative_parameter_values_bind, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    tailoring_overrides_reach_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    removal_needs_a_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    baseline_lint_reports_every_error, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    poam_waives_unexpired, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    poam_expired_does_not_waive, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    poam_waiver_class, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    poam_resource_glob_must_match, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    poam_malformed_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    require_attestations_makes_manual_incomplete, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    results_are_capped_but_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    unevidenced_control_stays_open_when_attestations_required,
		    setup, teardown),
		cmocka_unit_test(status_names_round_trip),
	};

	RUN_TESTS("engine", tests, argc, argv);
}
