/*
 * test_decide.c: the decision model (rules/decide.c) as a table of
 * inputs and expected control statuses, then exhaustively: every
 * combination of up to three bindings (each status, full or part) with
 * every CRM share, attestation, declaration and LI-SaaS method must obey
 * the model's invariants (docs/decisions.md).
 */
#include "testutil.h"

#include "rules/rules.h"

#define P ST_PASS
#define F ST_FAIL
#define E ST_ERROR
#define NA ST_NOT_APPLICABLE
#define W ST_WAIVED
#define M ST_MANUAL /* a binding: the check was not run (selection) */

struct row {
	const char *name;
	enum crm_resp crm;
	const char *method;
	const char *declared;
	const char *attested;
	size_t nb;
	enum status st[3];
	int full[3];
	enum status expect;
	int open;
	const char *note; /* substring of the note, or NULL */
};

static const struct row rows[] = {
	{ "no binding is manual", CRM_NONE, NULL, NULL, NULL, 0, { 0 }, { 0 },
	    ST_MANUAL, 1, NULL },
	{ "one full pass passes", CRM_NONE, NULL, NULL, NULL, 1, { P }, { 1 },
	    ST_PASS, 0, NULL },
	{ "one part pass is partial", CRM_NONE, NULL, NULL, NULL, 1, { P },
	    { 0 }, ST_PARTIAL, 1, "decides: part" },
	{ "full and part passes are partial", CRM_NONE, NULL, NULL, NULL, 2,
	    { P, P }, { 1, 0 }, ST_PARTIAL, 1, NULL },
	{ "pass and not_applicable (SC-7 without SGs) is not a pass", CRM_NONE,
	    NULL, NULL, NULL, 2, { P, NA }, { 0, 0 }, ST_PARTIAL, 1, NULL },
	{ "a fail beats passes", CRM_NONE, NULL, NULL, NULL, 3, { P, F, P },
	    { 1, 1, 1 }, ST_FAIL, 0, NULL },
	{ "a fail beats an error", CRM_NONE, NULL, NULL, NULL, 2, { E, F },
	    { 1, 1 }, ST_FAIL, 0, NULL },
	{ "an error beats passes", CRM_NONE, NULL, NULL, NULL, 2, { P, E },
	    { 1, 1 }, ST_ERROR, 0, "could not be evaluated" },
	{ "all not_applicable is open", CRM_NONE, NULL, NULL, NULL, 2,
	    { NA, NA }, { 1, 1 }, ST_MANUAL, 1, "no resource in scope" },
	{ "a waived full binding is waived", CRM_NONE, NULL, NULL, NULL, 2,
	    { W, P }, { 1, 1 }, ST_WAIVED, 0, NULL },
	{ "a waived part binding stays partial", CRM_NONE, NULL, NULL, NULL, 1,
	    { W }, { 0 }, ST_PARTIAL, 1, NULL },
	{ "attestation covers the rest", CRM_NONE, NULL, NULL, "isso", 1, { P },
	    { 0 }, ST_PASS, 0, NULL },
	{ "attestation of a manual control", CRM_NONE, NULL, NULL, "isso", 0,
	    { 0 }, { 0 }, ST_PASS, 0, NULL },
	{ "attestation does not hide an error", CRM_NONE, NULL, NULL, "isso", 1,
	    { E }, { 0 }, ST_ERROR, 0, NULL },
	{ "attestation against a failing check is a fail, named", CRM_NONE,
	    NULL, NULL, "isso", 1, { F }, { 0 }, ST_FAIL, 0,
	    "attested by isso, but check 'c0' fails" },
	{ "inherited with passing checks", CRM_INHERITED, NULL, NULL, NULL, 1,
	    { P }, { 0 }, ST_INHERITED, 0, NULL },
	{ "inherited without checks", CRM_INHERITED, NULL, NULL, NULL, 0, { 0 },
	    { 0 }, ST_INHERITED, 0, NULL },
	{ "inherited against a failing check is a fail, named", CRM_INHERITED,
	    NULL, NULL, NULL, 1, { F }, { 1 }, ST_FAIL, 0,
	    "marks this control inherited, but check 'c0' fails" },
	{ "shared keeps the checks' decision", CRM_SHARED, NULL, NULL, NULL, 1,
	    { P }, { 0 }, ST_PARTIAL, 1, NULL },
	{ "declared not applicable", CRM_NONE, NULL, "no facility", NULL, 0,
	    { 0 }, { 0 }, ST_NOT_APPLICABLE, 0, "no facility" },
	{ "declared not applicable hides no failure", CRM_NONE, NULL,
	    "no facility", NULL, 1, { F }, { 1 }, ST_FAIL, 0,
	    "declared not applicable" },
	{ "LI-SaaS NSO is not decided by checks", CRM_NONE, "NSO", NULL, NULL,
	    1, { P }, { 1 }, ST_NOT_APPLICABLE, 0, "NSO" },
	{ "LI-SaaS NSO still fails on a failing check", CRM_NONE, "NSO", NULL,
	    NULL, 1, { F }, { 1 }, ST_FAIL, 0, NULL },
	{ "LI-SaaS NSO,ASSESS is assessed", CRM_NONE, "NSO,ASSESS", NULL, NULL,
	    1, { P }, { 1 }, ST_PASS, 0, NULL },
	{ "LI-SaaS FED is the agency's", CRM_NONE, "FED", NULL, NULL, 0, { 0 },
	    { 0 }, ST_NOT_APPLICABLE, 0, "FED" },
	{ "LI-SaaS ATTEST needs an attestation despite full checks", CRM_NONE,
	    "ATTEST", NULL, NULL, 1, { P }, { 1 }, ST_PARTIAL, 1, "ATTEST" },
	{ "LI-SaaS ATTEST with an attestation passes", CRM_NONE, "ATTEST", NULL,
	    "isso", 1, { P }, { 1 }, ST_PASS, 0, NULL },
	{ "LI-SaaS ATTEST without evidence is open", CRM_NONE, "ATTEST", NULL,
	    NULL, 0, { 0 }, { 0 }, ST_MANUAL, 1, "ATTEST" },
	/* A tailored scan: a check not run never lets its control pass. */
	{ "a check not run keeps full passes open", CRM_NONE, NULL, NULL, NULL,
	    2, { P, M }, { 1, 1 }, ST_MANUAL, 1, "check 'c1' not run" },
	{ "a check not run alone is open", CRM_NONE, NULL, NULL, NULL, 1, { M },
	    { 1 }, ST_MANUAL, 1, "the control stays open" },
	{ "a check not run is not covered by an attestation", CRM_NONE, NULL,
	    NULL, "isso", 1, { M }, { 0 }, ST_MANUAL, 1, "not run" },
	{ "a check not run is not covered by the CRM", CRM_INHERITED, NULL,
	    NULL, NULL, 2, { P, M }, { 1, 1 }, ST_MANUAL, 1, "not run" },
	{ "a failing check still fails beside one not run", CRM_NONE, NULL,
	    NULL, NULL, 2, { M, F }, { 1, 1 }, ST_FAIL, 0, NULL },
	{ "an erroring check still errors beside one not run", CRM_NONE, NULL,
	    NULL, NULL, 2, { M, E }, { 1, 1 }, ST_ERROR, 0, NULL },
};

static void
decide_table(void **state)
{
	struct decide_binding b[3];
	struct decide_control_in in;
	struct decide_control_out out;
	struct arena *a = arena_new();
	const char *ids[3] = { "c0", "c1", "c2" };
	size_t i, j;

	(void)state;
	assert_non_null(a);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&in, 0, sizeof(in));
		for (j = 0; j < rows[i].nb; j++) {
			b[j].status = rows[i].st[j];
			b[j].full = rows[i].full[j];
			b[j].check_id = ids[j];
			b[j].not_run =
			    b[j].status == M ? "not run: --skip-check" : NULL;
		}
		in.b = b;
		in.nb = rows[i].nb;
		in.crm = rows[i].crm;
		in.crm_provider = "Example Cloud";
		in.method = rows[i].method;
		in.declared_na = rows[i].declared;
		in.attested_by = rows[i].attested;
		decide_control(a, &in, &out);
		if (out.status != rows[i].expect || out.open != rows[i].open) {
			print_error("%s: got %s open=%d, expected %s open=%d\n",
			    rows[i].name, status_name(out.status), out.open,
			    status_name(rows[i].expect), rows[i].open);
			fail();
		}
		if (rows[i].note != NULL &&
		    (out.note == NULL ||
			strstr(out.note, rows[i].note) == NULL)) {
			print_error("%s: note '%s' lacks '%s'\n", rows[i].name,
			    out.note ? out.note : "(none)", rows[i].note);
			fail();
		}
	}
	arena_free(a);
}

static const enum status bstat[] = { P, F, E, NA, W };

/*
 * Every combination: no fail may be hidden, no error may pass, a pass
 * needs full bindings or an attestation, not_applicable needs a
 * declaration or the baseline's tailoring, and the verdict of a baseline
 * holding the control is eligible only when the control is decided.
 */
static void
decide_exhaustive(void **state)
{
	struct decide_binding b[3];
	struct decide_control_in in;
	struct decide_control_out out;
	struct arena *a = arena_new();
	static const enum crm_resp crms[] = { CRM_NONE, CRM_CUSTOMER,
		CRM_SHARED, CRM_INHERITED };
	static const char *const methods[] = { NULL, "ASSESS", "ATTEST", "NSO",
		"FED", "NSO,ATTEST" };
	size_t nb, combo, ncombo, k, ci, mi, fails, errs, allfull, cases = 0;
	size_t counts[ST_COUNT];
	int att, dec;
	enum verdict v;

	(void)state;
	assert_non_null(a);
	for (nb = 0; nb <= 3; nb++) {
		ncombo = 1;
		for (k = 0; k < nb; k++)
			ncombo *= 10; /* 5 statuses x full/part */
		for (combo = 0; combo < ncombo; combo++)
			for (ci = 0; ci < 4; ci++)
				for (mi = 0; mi < 6; mi++)
					for (att = 0; att < 2; att++)
						for (dec = 0; dec < 2; dec++) {
							size_t c = combo;

							fails = errs = 0;
							allfull = 1;
							for (k = 0; k < nb;
							     k++) {
								b[k].status =
								    bstat[c %
									5];
								b[k].full =
								    (int)(c /
									5 % 2);
								b[k].check_id =
								    "c";
								c /= 10;
								fails +=
								    b[k].status ==
								    F;
								errs +=
								    b[k].status ==
								    E;
								allfull &=
								    b[k].full;
							}
							memset(
							    &in, 0, sizeof(in));
							in.b = b;
							in.nb = nb;
							in.crm = crms[ci];
							in.method = methods[mi];
							in.attested_by =
							    att ? "isso" : NULL;
							in.declared_na = dec
							    ? "declared"
							    : NULL;
							decide_control(
							    a, &in, &out);
							cases++;
							if (fails > 0)
								assert_int_equal(
								    out.status,
								    ST_FAIL);
							if (out.status ==
							    ST_PASS) {
								assert_int_equal(
								    errs, 0);
								assert_true(
								    att ||
								    (allfull &&
									nb >
									    0));
								assert_false(
								    dec);
							}
							if (out.status ==
							    ST_NOT_APPLICABLE)
								assert_true(
								    dec ||
								    (methods[mi] !=
									    NULL &&
									(strcmp(
									     methods
										 [mi],
									     "N"
									     "S"
									     "O") ==
										0 ||
									    strcmp(
										methods
										    [mi],
										"FED") ==
										0)));
							if (errs > 0 &&
							    fails == 0 &&
							    !dec &&
							    out.status !=
								ST_NOT_APPLICABLE)
								assert_int_equal(
								    out.status,
								    ST_ERROR);
							if (out.status ==
							    ST_INHERITED)
								assert_int_equal(
								    crms[ci],
								    CRM_INHERITED);
							memset(counts, 0,
							    sizeof(counts));
							counts[out.status]++;
							v = decide_verdict(
							    counts);
							if (v ==
							    VERDICT_ELIGIBLE)
								assert_true(
								    out.status ==
									ST_PASS ||
								    out.status ==
									ST_WAIVED ||
								    out.status ==
									ST_INHERITED ||
								    out.status ==
									ST_NOT_APPLICABLE);
							assert_int_equal(
							    out.open,
							    out.status ==
								    ST_MANUAL ||
								out.status ==
								    ST_PARTIAL);
						}
	}
	assert_int_equal(cases, (1 + 10 + 100 + 1000) * 4 * 6 * 4);
	arena_free(a);
}

static void
verdicts(void **state)
{
	size_t c[ST_COUNT];
	enum status s;

	(void)state;
	for (s = 0; s < ST_COUNT; s++) {
		memset(c, 0, sizeof(c));
		c[ST_PASS] = 5;
		c[s]++;
		switch (s) {
		case ST_FAIL:
			assert_int_equal(
			    decide_verdict(c), VERDICT_NOT_ELIGIBLE);
			assert_int_equal(
			    decide_gate_checks(c), VERDICT_NOT_ELIGIBLE);
			break;
		case ST_ERROR:
			assert_int_equal(decide_verdict(c), VERDICT_INCOMPLETE);
			assert_int_equal(
			    decide_gate_checks(c), VERDICT_INCOMPLETE);
			break;
		case ST_PARTIAL:
		case ST_MANUAL:
			assert_int_equal(decide_verdict(c), VERDICT_INCOMPLETE);
			break;
		default:
			assert_int_equal(decide_verdict(c), VERDICT_ELIGIBLE);
			break;
		}
	}
	assert_string_equal(gate_name(GATE_CHECKS), "checks");
	assert_string_equal(gate_name(GATE_ELIGIBILITY), "eligibility");
}

static void
control_ids(void **state)
{
	(void)state;
	assert_true(control_id_eq("AC-2(3)", "ac-2.3"));
	assert_true(control_id_eq("ac-02.03", "AC-2(3)"));
	assert_true(control_id_eq("SC-7", "sc-7"));
	assert_false(control_id_eq("ac-2", "ac-2.3"));
	assert_false(control_id_eq("ac-20", "ac-2"));
	assert_false(control_id_eq("ac-2.10", "ac-2.1"));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decide_table),
		cmocka_unit_test(decide_exhaustive),
		cmocka_unit_test(verdicts),
		cmocka_unit_test(control_ids),
	};

	RUN_TESTS("decide", tests, argc, argv);
}
