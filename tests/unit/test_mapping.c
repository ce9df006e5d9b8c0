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

/* Find the binding of check in control c, or NULL. */
static const struct control_check *
binding(const struct control *c, const char *check)
{
	size_t i;

	for (i = 0; c != NULL && i < c->nchecks; i++)
		if (strcmp(c->checks[i].check_id, check) == 0)
			return &c->checks[i];
	return NULL;
}

/*
 * Every binding of the shipped mapping says `decides:`; `full` is rare
 * and its rationale says why; every bound check exists and every shipped
 * check but the deliberately unbound one is bound somewhere.
 */
static void
every_binding_decides(void **state)
{
	struct rule_set *rs = shipped_rules();
	struct arena *a = arena_new();
	struct mapping_binding *v;
	struct diag d;
	size_t i, j, n, full = 0, bound;

	(void)state;
	diag_init(&d);
	assert_int_equal(mapping_bindings(a, &d, "fedramp", &v, &n), 0);
	assert_int_equal(d.nerrors, 0);
	assert_true(n > 40);
	for (i = 0; i < n; i++) {
		if (rule_find(rs, v[i].check_id) == NULL)
			fail_msg(
			    "mapping binds unknown check '%s'", v[i].check_id);
		assert_non_null(v[i].rationale);
		if (v[i].full) {
			full++;
			print_message(
			    "full: %s %s\n", v[i].control, v[i].check_id);
			assert_non_null(strstr(v[i].rationale, "full"));
		}
	}
	assert_true(full >= 1 && full * 10 < n);
	for (j = 0; j < rs->n; j++) {
		for (i = bound = 0; i < n; i++)
			bound += strcmp(v[i].check_id, rs->v[j]->id) == 0;
		/* Unbound on purpose: the mapping's header says why. */
		if (bound == 0 &&
		    strcmp(rs->v[j]->id, "aws-securityhub-enabled") != 0 &&
		    strcmp(rs->v[j]->id, "aws-iam-password-complexity") != 0 &&
		    strcmp(rs->v[j]->id, "aws-iam-password-reuse") != 0)
			fail_msg(
			    "check '%s' is bound to no control", rs->v[j]->id);
	}
	arena_free(a);
	diag_free(&d);
	rule_set_free(rs);
}

/* Bindings an assessor rejects are absent from every baseline, and each
 * shipped baseline carries `decides` and provenance on every binding. */
static void
rejected_bindings_absent(void **state)
{
	static const char *const rejected[][2] = {
		{ "ac-6.2", "aws-iam-root-no-access-keys" },
		{ "ia-5.2", "tls-certificate" },
		{ "sc-7.5", "aws-ec2-sg-no-all-ports" },
		{ "ia-5.1", "aws-iam-password-complexity" },
		{ "ia-5.1", "aws-iam-password-reuse" },
	};
	struct rule_set *rs = shipped_rules();
	struct baseline *b;
	struct diag d;
	size_t i, j, k;

	(void)state;
	for (i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		diag_init(&d);
		b = baseline_load(&d, shipped[i], rs);
		assert_non_null(b);
		assert_int_equal(d.nwarnings, 0);
		for (j = 0; j < sizeof(rejected) / sizeof(rejected[0]); j++)
			assert_null(binding(baseline_control(b, rejected[j][0]),
			    rejected[j][1]));
		for (j = 0; j < b->ncontrols; j++)
			for (k = 0; k < b->controls[j].nchecks; k++)
				assert_non_null(
				    b->controls[j].checks[k].param_src);
		/* Root keys moved to AC-6 (MODERATE and HIGH have it), and
		 * CM-8(1) is the full one. */
		if (baseline_control(b, "ac-6") != NULL)
			assert_non_null(binding(baseline_control(b, "ac-6"),
			    "aws-iam-root-no-access-keys"));
		assert_true(binding(baseline_control(b, "cm-8.1"),
				"aws-config-recorder-on") == NULL ||
		    binding(
			baseline_control(b, "cm-8.1"), "aws-config-recorder-on")
			->full);
		assert_false(
		    binding(baseline_control(b, "sc-28"), "aws-rds-encrypted")
			->full);
		baseline_free(b);
		diag_free(&d);
	}
	rule_set_free(rs);
}

/* The provenance of a bound parameter: {from: ID, text} or the default
 * with the FedRAMP text it could not use. */
static void
param_provenance(void **state)
{
	struct rule_set *rs = shipped_rules();
	const struct doc_node *src;
	struct baseline *b;
	struct diag d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		diag_init(&d);
		b = baseline_load(&d, shipped[i], rs);
		assert_non_null(b);
		src =
		    binding(baseline_control(b, "au-11"), "aws-logs-retention")
			->param_src;
		src = doc_get(src, "min_retention_days");
		assert_string_equal(doc_str(doc_get(src, "from")), "default");
		assert_string_equal(
		    doc_str(doc_get(src, "param")), "au-11_odp");
		assert_string_equal(doc_str(doc_get(src, "text")),
		    "a time period in compliance with M-21-31");
		assert_non_null(
		    strstr(doc_str(doc_get(src, "note")), "M-21-31"));
		if (baseline_control(b, "ac-2.3") != NULL) {
			src = binding(baseline_control(b, "ac-2.3"),
			    "aws-iam-unused-credentials")
				  ->param_src;
			src = doc_get(src, "max_unused_days");
			assert_string_equal(
			    doc_str(doc_get(src, "from")), "ac-02.03_odp.02");
			assert_non_null(strstr(doc_str(doc_get(src, "text")),
			    " (")); /* words (N) */
			src = doc_get(binding(baseline_control(b, "ac-2.3"),
					  "aws-iam-unused-credentials")
					  ->param_src,
			    "check");
			assert_string_equal(
			    doc_str(doc_get(src, "from")), "default");
		}
		baseline_free(b);
		diag_free(&d);
	}
	rule_set_free(rs);
}

static void
write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/*
 * The AC-2(3) value of a tailored baseline, end to end through the
 * shipped check: each text either binds its exact number of days or the
 * baseline is refused with an error naming both parameters and the
 * text; never the text's first number.
 */
static void
parameter_text_binds_exactly(void **state)
{
	static const struct {
		const char *text;
		long long days; /* -1 refused */
	} v[] = {
		{ "one (1) year", 365 },
		{ "1,095 days", 1095 },
		{ "thirty-five (35) days", 35 },
		{ "twenty-four (24) hours", 1 },
		{ "two (2) weeks", 14 },
		{ "at least every 3 years", 1095 },
		{ "at least annually", -1 },
		{ "a time period in compliance with M-21-31", -1 },
		{ "ten (10) days for privileged users, thirty (30) days for "
		  "Incident Response roles",
		    -1 },
		{ "eight (8) hours", -1 },
		{ "six (6) months", -1 },
		{ "90", -1 },
		{ "ninety (80) days", -1 },
	};
	struct rule_set *rs = shipped_rules();
	char dir[] = "/tmp/rampart-map-XXXXXX", path[128], text[512];
	struct baseline *b;
	struct diag d;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.yaml", dir);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(text, sizeof(text),
		    "id: t\ntitle: t\nextends: fedramp-moderate\n"
		    "parameters:\n  ac-02.03_odp.02: \"%s\"\n",
		    v[i].text);
		write_text(path, text);
		diag_init(&d);
		b = baseline_load(&d, path, rs);
		if (v[i].days == -1) {
			if (b != NULL)
				fail_msg("'%s' was read as %lld", v[i].text,
				    (long long)bound_int(b, "ac-2.3",
					"aws-iam-unused-credentials",
					"max_unused_days"));
			snprintf(text, sizeof(text),
			    "baseline parameter 'ac-02.03_odp.02' ('%s') "
			    "cannot be read as check parameter "
			    "'max_unused_days' of 'aws-iam-unused-credentials'",
			    v[i].text);
			assert_diag_has(&d, text);
		} else {
			if (b == NULL)
				print_diags(&d);
			assert_non_null(b);
			assert_int_equal(
			    bound_int(b, "ac-2.3", "aws-iam-unused-credentials",
				"max_unused_days"),
			    v[i].days);
			baseline_free(b);
		}
		diag_free(&d);
	}
	unlink(path);
	rmdir(dir);
	rule_set_free(rs);
}

/* A mapping binding without `decides:`, or with another value, is an
 * error at its line:col; a baseline's own binding without it warns. */
static void
decides_required(void **state)
{
	struct rule_set *rs = shipped_rules();
	char dir[] = "/tmp/rampart-map-XXXXXX", map[128], bl[128], text[512];
	struct baseline *b;
	struct diag d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(map, sizeof(map), "%s/m.yaml", dir);
	snprintf(bl, sizeof(bl), "%s/b.yaml", dir);
	write_text(map,
	    "id: m\nbindings:\n  - control: ac-6\n    checks:\n"
	    "      - id: aws-iam-no-admin-policies\n"
	    "        rationale: r\n"
	    "      - id: aws-iam-root-no-access-keys\n"
	    "        decides: mostly\n        rationale: r\n");
	snprintf(text, sizeof(text),
	    "id: t\ntitle: t\nmapping: %s\ncontrols:\n  - id: ac-6\n", map);
	write_text(bl, text);
	diag_init(&d);
	assert_null(baseline_load(&d, bl, rs));
	snprintf(text, sizeof(text),
	    "%s:5:9: error: binding of check 'aws-iam-no-admin-policies' "
	    "needs 'decides: full' or 'decides: part'",
	    map);
	assert_diag_has(&d, text);
	snprintf(text, sizeof(text),
	    "%s:8:18: error: 'decides' must be 'full' or 'part', found "
	    "'mostly'",
	    map);
	assert_diag_has(&d, text);
	diag_free(&d);

	write_text(bl,
	    "id: t\ntitle: t\ncontrols:\n  - id: ac-6\n    checks:\n"
	    "      - id: aws-iam-no-admin-policies\n"
	    "      - id: aws-iam-root-no-access-keys\n"
	    "        decides: full\n");
	diag_init(&d);
	b = baseline_load(&d, bl, rs);
	assert_non_null(b);
	assert_int_equal(d.nwarnings, 1);
	snprintf(text, sizeof(text),
	    "%s:6:9: warning: binding of check 'aws-iam-no-admin-policies' "
	    "has no 'decides: full|part'; it counts as 'part'",
	    bl);
	assert_diag_has(&d, text);
	assert_false(
	    binding(baseline_control(b, "ac-6"), "aws-iam-no-admin-policies")
		->full);
	assert_true(
	    binding(baseline_control(b, "ac-6"), "aws-iam-root-no-access-keys")
		->full);
	baseline_free(b);
	diag_free(&d);
	unlink(map);
	unlink(bl);
	rmdir(dir);
	rule_set_free(rs);
}

/*
 * A mapping may bind one control in several entries (one section per
 * provider): the bindings add up.  The same check bound twice to one
 * control is an error at the second binding.
 */
static void
repeated_entries_add_up(void **state)
{
	struct rule_set *rs = shipped_rules();
	char dir[] = "/tmp/rampart-map-XXXXXX", map[128], bl[128], text[512];
	struct baseline *b;
	struct control *c;
	struct diag d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(map, sizeof(map), "%s/m.yaml", dir);
	snprintf(bl, sizeof(bl), "%s/b.yaml", dir);
	write_text(map,
	    "id: m\nbindings:\n  - control: ac-6\n    checks:\n"
	    "      - {id: aws-iam-no-admin-policies, decides: part, "
	    "rationale: r}\n"
	    "  - control: ac-6\n    checks:\n"
	    "      - {id: aws-iam-root-no-access-keys, decides: part, "
	    "rationale: r}\n");
	snprintf(text, sizeof(text),
	    "id: t\ntitle: t\nmapping: %s\ncontrols:\n  - id: ac-6\n", map);
	write_text(bl, text);
	diag_init(&d);
	b = baseline_load(&d, bl, rs);
	assert_non_null(b);
	c = baseline_control(b, "ac-6");
	assert_int_equal(c->nchecks, 2);
	assert_non_null(binding(c, "aws-iam-no-admin-policies"));
	assert_non_null(binding(c, "aws-iam-root-no-access-keys"));
	assert_int_equal(c->resp, RESP_AUTOMATED);
	baseline_free(b);
	diag_free(&d);

	write_text(map,
	    "id: m\nbindings:\n  - control: ac-6\n    checks:\n"
	    "      - {id: aws-iam-no-admin-policies, decides: part, "
	    "rationale: r}\n"
	    "  - control: ac-6\n    checks:\n"
	    "      - {id: aws-iam-no-admin-policies, decides: part, "
	    "rationale: r}\n");
	diag_init(&d);
	assert_null(baseline_load(&d, bl, rs));
	snprintf(text, sizeof(text),
	    "%s:8:9: error: check 'aws-iam-no-admin-policies' is bound to "
	    "control 'ac-6' twice",
	    map);
	assert_diag_has(&d, text);
	diag_free(&d);
	unlink(map);
	unlink(bl);
	rmdir(dir);
	rule_set_free(rs);
}

/* An `extends` cycle (two files, and a file extending itself) is one
 * error, not one per level of the chain. */
static void
extends_cycle_once(void **state)
{
	char dir[] = "/tmp/rampart-map-XXXXXX", a[128], b[128], text[1024];
	struct diag d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.yaml", dir);
	snprintf(b, sizeof(b), "%s/b.yaml", dir);
	snprintf(text, sizeof(text), "id: a\ntitle: a\nextends: %s\n", b);
	write_text(a, text);
	snprintf(text, sizeof(text), "id: b\ntitle: b\nextends: %s\n", a);
	write_text(b, text);
	diag_init(&d);
	assert_null(baseline_load(&d, a, NULL));
	if (d.nerrors != 1)
		print_diags(&d);
	assert_int_equal(d.nerrors, 1);
	snprintf(text, sizeof(text),
	    "%s:3:10: error: baseline 'extends' cycle: %s -> %s -> %s", b, a, b,
	    a);
	assert_diag_has(&d, text);
	diag_free(&d);

	snprintf(text, sizeof(text), "id: a\ntitle: a\nextends: %s\n", a);
	write_text(a, text);
	diag_init(&d);
	assert_null(baseline_load(&d, a, NULL));
	assert_int_equal(d.nerrors, 1);
	assert_diag_has(&d, "cycle");
	diag_free(&d);
	unlink(a);
	unlink(b);
	rmdir(dir);
}

/* Shipped packs no longer list controls (the mapping does), so loading
 * them warns about nothing; an old pack's list is ignored with a warning.
 */
static void
packs_do_not_list_controls(void **state)
{
	struct rule_set *rs = rule_set_new();
	char dir[] = "/tmp/rampart-map-XXXXXX", p[128];
	struct diag d;

	(void)state;
	diag_init(&d);
	assert_int_equal(rule_set_load_shipped(rs, &d), 0);
	assert_int_equal(d.n, 0);
	rule_set_free(rs);
	diag_free(&d);

	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/p.yaml", dir);
	write_text(p,
	    "checks:\n  - id: old-check\n    title: t\n"
	    "    severity: low\n    remediation: r\n"
	    "    resource_types: [T]\n    controls: [ac-2]\n"
	    "    assert: {path: a, eq: 1}\n");
	rs = rule_set_new();
	diag_init(&d);
	assert_int_equal(rule_set_load(rs, &d, p), 0);
	assert_int_equal(d.nwarnings, 1);
	assert_diag_has(&d, "'controls' of check 'old-check' is ignored");
	rule_set_free(rs);
	diag_free(&d);
	unlink(p);
	rmdir(dir);
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
		r->as.attest = as;
		assert_int_equal(run_finish(r), 0);
		/* ac-1 attested, at-1 expired, pl-1 future, pe-1 inherited,
		 * ps-1 shared but the customer's part is still open. */
		assert_int_equal(r->as.controls[0].status, ST_PASS);
		assert_non_null(r->as.controls[0].attestation);
		assert_int_equal(r->as.controls[1].status, ST_MANUAL);
		assert_string_equal(r->as.controls[1].note,
		    "attestation by John Roe, ISSM expired on 2024-01-01");
		assert_int_equal(r->as.controls[2].status, ST_MANUAL);
		assert_string_equal(r->as.controls[2].note,
		    "attestation by Jane Doe, ISSO is dated 2030-01-01, after "
		    "this evaluation");
		assert_int_equal(r->as.controls[3].status, ST_INHERITED);
		assert_int_equal(r->as.controls[4].status, ST_MANUAL);
		assert_int_equal(r->as.cov.automated, 0);
		assert_int_equal(r->as.cov.attested, 1);
		assert_int_equal(r->as.cov.inherited, 1);
		assert_int_equal(r->as.cov.open, 3);
		/* Open controls keep the verdict incomplete, with or
		 * without the (now always on) --require-attestations. */
		assert_int_equal(r->as.verdict, VERDICT_INCOMPLETE);
		assert_int_equal(r->as.cov.declared, 0);
		assert_true(r->as.controls[1].open && r->as.controls[4].open);
		assert_false(r->as.controls[0].open || r->as.controls[3].open);
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
		cmocka_unit_test(every_binding_decides),
		cmocka_unit_test(rejected_bindings_absent),
		cmocka_unit_test(param_provenance),
		cmocka_unit_test(parameter_text_binds_exactly),
		cmocka_unit_test(decides_required),
		cmocka_unit_test(repeated_entries_add_up),
		cmocka_unit_test(extends_cycle_once),
		cmocka_unit_test(packs_do_not_list_controls),
		cmocka_unit_test(tailoring),
		cmocka_unit_test(attestations),
		cmocka_unit_test(crm),
		cmocka_unit_test(coverage_and_verdict),
	};

	setenv("RAMPART_RULES_DIR", "rules", 1);
	RUN_TESTS("mapping", tests, argc, argv);
}
