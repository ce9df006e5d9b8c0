/*
 * test_mapping.c: the fedramp control-to-check mapping applied to the
 * shipped baselines (lint of every shipped baseline against the shipped
 * packs), parameter bindings per impact level, tailoring of
 * fedramp-moderate, attestations, CRMs and the coverage figures.
 */
#include "tests/unit/testutil.h"
#include "rules/rules.h"

static const char *const shipped[] = { "fedramp-high", "fedramp-li-saas",
	"fedramp-low", "fedramp-moderate" };

static void
print_diags(const struct diag *d)
{
	char buf[2048];
	size_t i;

	for (i = 0; i < d->n; i++) {
		diag_format(d, i, buf, sizeof(buf));
		print_message("  %s\n", buf);
	}
}

static struct rule_set *
shipped_rules(void)
{
	struct rule_set *rs = rule_set_new();
	struct diag d;

	diag_init(&d);
	assert_non_null(rs);
	if (rule_set_load_shipped(rs, &d) == -1)
		print_diags(&d);
	assert_int_equal(d.nerrors, 0);
	diag_free(&d);
	return rs;
}

/* Every shipped baseline loads with the shipped packs: every mapped
 * check exists and every parameter binding resolves. */
static void
lint_shipped(void **state)
{
	struct rule_set *rs = shipped_rules();
	struct baseline *b;
	struct diag d;
	size_t i, j, automated;

	(void)state;
	for (i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		diag_init(&d);
		b = baseline_load(&d, shipped[i], rs);
		if (b == NULL)
			print_diags(&d);
		assert_non_null(b);
		assert_int_equal(d.nerrors, 0);
		assert_string_equal(b->mapping, "fedramp");
		for (j = automated = 0; j < b->ncontrols; j++)
			if (b->controls[j].resp == RESP_AUTOMATED) {
				automated++;
				assert_non_null(b->controls[j].checks[0].rule);
				assert_non_null(
				    b->controls[j].checks[0].rationale);
			}
		print_message("%s: %zu of %zu controls automated\n", shipped[i],
		    automated, b->ncontrols);
		assert_true(automated > 0);
		baseline_free(b);
		diag_free(&d);
	}
	rule_set_free(rs);
}

/* Every control the mapping names exists in the largest baseline. */
static void
mapping_controls_exist(void **state)
{
	struct arena *a = arena_new();
	struct baseline *b;
	struct doc_node *root, *bs;
	struct diag d;
	size_t i;

	(void)state;
	diag_init(&d);
	b = baseline_load(&d, "fedramp-high", NULL);
	assert_non_null(b);
	root = doc_load_one(
	    a, &d, "rules/mappings/fedramp.yaml", DOC_FMT_YAML, NULL);
	assert_non_null(root);
	bs = doc_get(root, "bindings");
	assert_non_null(bs);
	for (i = 0; i < bs->u.seq.n; i++) {
		const char *id =
		    doc_str(doc_get(bs->u.seq.items[i], "control"));

		if (baseline_control(b, id) == NULL)
			fail_msg(
			    "mapping names '%s', in no FedRAMP baseline", id);
	}
	baseline_free(b);
	arena_free(a);
	diag_free(&d);
}

static int64_t
bound_int(const struct baseline *b, const char *control, const char *check,
    const char *param)
{
	const struct control *c = baseline_control(b, control);
	const struct doc_node *v;
	size_t i;

	assert_non_null(c);
	for (i = 0; i < c->nchecks; i++)
		if (strcmp(c->checks[i].check_id, check) == 0) {
			v = doc_get(c->checks[i].params, param);
			assert_non_null(v);
			assert_int_equal(v->type, DOC_INT);
			return v->u.i;
		}
	fail_msg("'%s' does not bind '%s'", control, check);
	return -1;
}

/* One binding, each baseline's own value: 90 days MODERATE, 35 HIGH, and
 * a tailoring override reaches the check. */
static void
param_bindings(void **state)
{
	struct rule_set *rs = shipped_rules();
	struct baseline *b;
	struct diag d;

	(void)state;
	if (rule_find(rs, "aws-iam-unused-credentials") == NULL) {
		rule_set_free(rs);
		skip();
	}
	diag_init(&d);
	b = baseline_load(&d, "fedramp-moderate", rs);
	if (b == NULL)
		print_diags(&d);
	assert_non_null(b);
	assert_int_equal(bound_int(b, "ac-2.3", "aws-iam-unused-credentials",
			     "max_unused_days"),
	    90);
	baseline_free(b);
	b = baseline_load(&d, "fedramp-high", rs);
	assert_non_null(b);
	assert_int_equal(bound_int(b, "ac-2.3", "aws-iam-unused-credentials",
			     "max_unused_days"),
	    35);
	baseline_free(b);
	b = baseline_load(&d, "tests/fixtures/oscal/tailor-ok.yaml", rs);
	assert_non_null(b);
	assert_int_equal(bound_int(b, "ac-2.3", "aws-iam-unused-credentials",
			     "max_unused_days"),
	    60);
	baseline_free(b);
	diag_free(&d);
	rule_set_free(rs);
}

static void
tailoring(void **state)
{
	struct baseline *b;
	struct diag d;

	(void)state;
	diag_init(&d);
	b = baseline_load(&d, "tests/fixtures/oscal/tailor-ok.yaml", NULL);
	if (b == NULL)
		print_diags(&d);
	assert_non_null(b);
	assert_int_equal(b->ncontrols, 323 - 2 + 1);
	assert_null(baseline_control(b, "pe-17"));
	assert_null(baseline_control(b, "ac-18.1"));
	assert_non_null(baseline_control(b, "sa-22.1"));
	assert_string_equal(
	    doc_str(doc_get(b->params, "ac-02.03_odp.02")), "sixty (60) days");
	/* Untouched values still come from the parent. */
	assert_string_equal(doc_str(doc_get(b->params, "ac-02_odp.06")),
	    "twenty-four (24) hours");
	assert_string_equal(b->impact, "moderate");
	baseline_free(b);

	assert_null(
	    baseline_load(&d, "tests/fixtures/oscal/tailor-bad.yaml", NULL));
	assert_diag_has(&d,
	    "tests/fixtures/oscal/tailor-bad.yaml:7:5: error: removal is "
	    "missing "
	    "required key 'reason'");
	assert_diag_has(&d,
	    "tests/fixtures/oscal/tailor-bad.yaml:8:9: error: cannot remove "
	    "'zz-1': no such control in 'fedramp-moderate'");
	assert_diag_has(&d,
	    "tests/fixtures/oscal/tailor-bad.yaml:5:3: error: unknown "
	    "parameter 'ac-02.03_odp.99': no control of this baseline "
	    "declares it");
	diag_free(&d);
}

static void
attestations(void **state)
{
	const struct attestation *at, *stale;
	struct attest_set *s;
	struct diag d;
	int64_t now;

	(void)state;
	diag_init(&d);
	assert_int_equal(parse_time("2025-06-01", &now), 0);
	s = attest_load(&d, "tests/fixtures/attest/attestations.yaml");
	assert_non_null(s);
	assert_int_equal(s->n, 3);
	at = attest_find(s, "ac-1", now, &stale);
	assert_non_null(at);
	assert_int_equal(at->nevidence, 2);
	assert_null(attest_find(s, "at-1", now, &stale)); /* expired */
	assert_non_null(stale);
	assert_string_equal(stale->expires_text, "2024-01-01");
	assert_null(attest_find(s, "pl-1", now, &stale)); /* not yet */
	assert_non_null(stale);
	assert_null(attest_find(s, "ps-1", now, &stale));
	assert_null(stale);
	attest_free(s);

	assert_null(attest_load(&d, "tests/fixtures/attest/bad.yaml"));
	assert_diag_has(&d,
	    "tests/fixtures/attest/bad.yaml:3:16: error: "
	    "attestation of 'ac-1' needs a statement");
	assert_diag_has(&d,
	    "tests/fixtures/attest/bad.yaml:4:15: error: "
	    "attestation of 'ac-1' lists no evidence reference");
	assert_diag_has(&d,
	    "tests/fixtures/attest/bad.yaml:7:14: error: attestation of "
	    "'ac-1' expires (2024-01-15) before it is dated (2025-01-15)");
	assert_diag_has(&d,
	    "tests/fixtures/attest/bad.yaml:12:11: error: "
	    "invalid date 'not-a-date'");
	diag_free(&d);
}

static void
crm(void **state)
{
	struct crm *c;
	struct baseline *b;
	struct diag d;
	const struct control *ct;

	(void)state;
	diag_init(&d);
	c = crm_load(&d, "tests/fixtures/crm/provider.yaml");
	assert_non_null(c);
	b = baseline_load(&d, "fedramp-moderate", NULL);
	assert_non_null(b);
	assert_int_equal(crm_apply(c, b, &d), 1); /* pe-18 is HIGH only */
	ct = baseline_control(b, "pe-3");
	assert_int_equal(ct->resp, RESP_INHERITED);
	assert_int_equal(ct->crm, CRM_INHERITED);
	assert_string_equal(
	    ct->crm_reference, "FedRAMP Moderate P-ATO FR0000000001");
	ct = baseline_control(b, "ps-1");
	assert_int_equal(ct->resp, RESP_MANUAL);
	assert_int_equal(ct->crm, CRM_SHARED);
	assert_string_equal(ct->crm_reference, "FR0000000001 CRM row 212");
	baseline_free(b);
	crm_free(c);

	assert_null(crm_load(&d, "tests/fixtures/crm/bad.yaml"));
	assert_diag_has(&d,
	    "tests/fixtures/crm/bad.yaml:5:21: error: unknown "
	    "responsibility 'provider' (expected inherited, shared or "
	    "customer)");
	assert_diag_has(&d,
	    "tests/fixtures/crm/bad.yaml:8:9: error: "
	    "duplicate CRM entry for 'pe-3' (first at 6:5)");
	diag_free(&d);
}

/* Attested, inherited and open controls in a run; the verdict policy. */
static void
coverage_and_verdict(void **state)
{
	struct rule_set *rs = rule_set_new();
	struct attest_set *as;
	struct crm *c;
	struct baseline *b;
	struct run_opts o;
	struct run *r;
	struct diag d;
	size_t i;

	(void)state;
	diag_init(&d);
	b = baseline_load(&d, "tests/fixtures/attest/mini-baseline.yaml", rs);
	assert_non_null(b);
	as = attest_load(&d, "tests/fixtures/attest/attestations.yaml");
	c = crm_load(&d, "tests/fixtures/crm/provider.yaml");
	assert_non_null(as);
	assert_non_null(c);
	assert_int_equal(crm_apply(c, b, &d), 3);
	memset(&o, 0, sizeof(o));
	load_limits_default(&o.lim);
	assert_int_equal(parse_time("2025-06-01T00:00:00Z", &o.now), 0);
	for (i = 0; i < 2; i++) {
		o.require_attestations = (int)i;
		r = run_new(&d, b, rs, NULL, &o);
		assert_non_null(r);
		r->attest = as;
		assert_int_equal(run_finish(r), 0);
		/* ac-1 attested, at-1 expired, pl-1 future, pe-1 inherited,
		 * ps-1 shared but the customer's part is still open. */
		assert_int_equal(r->controls[0].status, ST_PASS);
		assert_non_null(r->controls[0].attestation);
		assert_int_equal(r->controls[1].status, ST_MANUAL);
		assert_string_equal(r->controls[1].note,
		    "attestation by John Roe, ISSM expired on 2024-01-01");
		assert_int_equal(r->controls[2].status, ST_MANUAL);
		assert_string_equal(r->controls[2].note,
		    "attestation by Jane Doe, ISSO is dated 2030-01-01, after "
		    "this evaluation");
		assert_int_equal(r->controls[3].status, ST_INHERITED);
		assert_int_equal(r->controls[4].status, ST_MANUAL);
		assert_int_equal(r->cov.automated, 0);
		assert_int_equal(r->cov.attested, 1);
		assert_int_equal(r->cov.inherited, 1);
		assert_int_equal(r->cov.open, 3);
		/* Default: open manual controls do not decide the verdict
		 * (the report states them); --require-attestations makes
		 * them incomplete. */
		assert_int_equal(
		    r->verdict, i == 0 ? VERDICT_ELIGIBLE : VERDICT_INCOMPLETE);
		run_free(r);
	}
	baseline_free(b);
	attest_free(as);
	crm_free(c);
	rule_set_free(rs);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lint_shipped),
		cmocka_unit_test(mapping_controls_exist),
		cmocka_unit_test(param_bindings),
		cmocka_unit_test(tailoring),
		cmocka_unit_test(attestations),
		cmocka_unit_test(crm),
		cmocka_unit_test(coverage_and_verdict),
	};

	setenv("RAMPART_RULES_DIR", "rules", 1);
	RUN_TESTS("mapping", tests, argc, argv);
}
