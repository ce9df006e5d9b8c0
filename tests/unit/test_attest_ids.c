/*
 * test_attest_ids.c: an attestation names its control in any id form and
 * is matched to the baseline's own id; one naming a control the baseline
 * lacks is an error.  Before, "AC-2(3)" was silently ignored, so an
 * attestation of a failing control never surfaced its conflict.
 */
#include "testutil.h"

#include "rules/rules.h"

static const char *bl_text =
    "id: t\ntitle: t\ncontrols:\n  - id: ac-2.3\n  - id: sc-7\n";

static void
write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Every spelling of a baseline control matches it; others are errors. */
static void
attest_ids_normalised(void **state)
{
	static const struct {
		const char *written, *want; /* want NULL: an error */
	} v[] = {
		{ "ac-2.3", "ac-2.3" },
		{ "AC-2(3)", "ac-2.3" },
		{ "AC-2 (3)", "ac-2.3" },
		{ "ac-02.03", "ac-2.3" },
		{ "Ac-2(03)", "ac-2.3" },
		{ "SC-7", "sc-7" },
		{ "sc-07", "sc-7" },
		{ "SC-7(5)", NULL },
		{ "ac-2", NULL },
		{ "ac-99", NULL },
		{ "not a control", NULL },
	};
	char dir[] = "/tmp/rampart-attest-XXXXXX", bpath[64], apath[64];
	char text[512], cmd[96];
	struct rule_set *rs = rule_set_new();
	struct baseline *b;
	struct diag d;
	size_t i;

	(void)state;
	assert_non_null(rs);
	assert_non_null(mkdtemp(dir));
	snprintf(bpath, sizeof(bpath), "%s/b.yaml", dir);
	snprintf(apath, sizeof(apath), "%s/a.yaml", dir);
	write_text(bpath, bl_text);
	diag_init(&d);
	b = baseline_load(&d, bpath, rs);
	assert_non_null(b);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct attest_set *s;
		int rc;

		snprintf(text, sizeof(text),
		    "attestations:\n  - control: \"%s\"\n"
		    "    statement: s\n    evidence: [x]\n"
		    "    attested_by: ISSO\n    date: 2026-01-01\n"
		    "    expires: 2027-01-01\n",
		    v[i].written);
		write_text(apath, text);
		diag_clear(&d);
		s = attest_load(&d, apath);
		assert_non_null(s);
		rc = attest_validate(s, b, &d);
		if (v[i].want == NULL) {
			if (rc != -1 || d.nerrors == 0)
				fail_msg("'%s' accepted", v[i].written);
		} else {
			if (rc != 0)
				fail_msg("'%s' refused", v[i].written);
			assert_string_equal(s->items[0].control, v[i].want);
			assert_non_null(
			    attest_find(s, v[i].want, 1790000000, NULL));
		}
		attest_free(s);
	}
	diag_free(&d);
	baseline_free(b);
	rule_set_free(rs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* A CRM row matches its control in any id form too. */
static void
crm_ids_normalised(void **state)
{
	static const char *const forms[] = { "ac-2.3", "AC-2(3)", "AC-2 (3)",
		"ac-02.03" };
	char dir[] = "/tmp/rampart-crm-XXXXXX", bpath[64], cpath[64];
	char text[256], cmd[96];
	struct rule_set *rs = rule_set_new();
	struct diag d;
	size_t i;

	(void)state;
	assert_non_null(rs);
	assert_non_null(mkdtemp(dir));
	snprintf(bpath, sizeof(bpath), "%s/b.yaml", dir);
	snprintf(cpath, sizeof(cpath), "%s/c.yaml", dir);
	write_text(bpath, bl_text);
	diag_init(&d);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct baseline *b = baseline_load(&d, bpath, rs);
		struct crm *c;

		assert_non_null(b);
		snprintf(text, sizeof(text),
		    "provider: P\nauthorization: A\ncontrols:\n"
		    "  - id: \"%s\"\n    responsibility: inherited\n"
		    "  - id: \"SC-99\"\n    responsibility: inherited\n",
		    forms[i]);
		write_text(cpath, text);
		c = crm_load(&d, cpath);
		assert_non_null(c);
		assert_int_equal(crm_apply(c, b, &d), 1); /* sc-99 only */
		assert_int_equal(
		    baseline_control(b, "ac-2.3")->crm, CRM_INHERITED);
		crm_free(c);
		baseline_free(b);
	}
	diag_free(&d);
	rule_set_free(rs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(attest_ids_normalised),
		cmocka_unit_test(crm_ids_normalised),
	};

	RUN_TESTS("attest_ids", tests, argc, argv);
}
