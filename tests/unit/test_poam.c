/*
 * test_poam.c: POA&M loading and validation (rules/poam.c) against the
 * shipped rule packs and the FedRAMP Moderate baseline.  Every rule has
 * a non-compliant variant that is refused with its message at
 * file:line:col and a compliant twin that is accepted; the RA-5(d)
 * deadline is proved over every severity, on both sides of the limit,
 * with and without each deviation type.
 */
#include "testutil.h"

#include <ctype.h>

#include "rules/rules.h"

struct env {
	struct rule_set *rs;
	struct baseline *bl;
	const struct control *ctl; /* a control that binds checks */
	const struct rule *bound; /* a check bound to ctl */
	const struct rule *unbound; /* a check not bound to ctl */
	const struct control *manual; /* a control that binds no check */
	char dir[64];
	struct diag d;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	size_t i, j, k;

	if (e == NULL)
		return -1;
	diag_init(&e->d);
	snprintf(e->dir, sizeof(e->dir), "/tmp/rampart-poam-XXXXXX");
	if (mkdtemp(e->dir) == NULL || (e->rs = rule_set_new()) == NULL ||
	    rule_set_load_shipped(e->rs, &e->d) == -1 ||
	    (e->bl = baseline_load(&e->d, "fedramp-moderate", e->rs)) == NULL) {
		diag_print(&e->d, stderr, 0, 0);
		return -1;
	}
	/*
	 * An enhancement (so AC-2(3) forms are tried) that binds a check of
	 * medium or high severity (so a lower and a higher rating exist).
	 */
	for (i = 0; i < e->bl->ncontrols && e->ctl == NULL; i++) {
		const struct control *c = &e->bl->controls[i];

		if (strchr(c->id, '.') == NULL)
			continue;
		for (k = 0; k < c->nchecks; k++)
			if (c->checks[k].rule != NULL &&
			    c->checks[k].rule->severity >= SEV_MEDIUM &&
			    c->checks[k].rule->severity <= SEV_HIGH) {
				e->ctl = c;
				e->bound = c->checks[k].rule;
				break;
			}
	}
	if (e->ctl == NULL)
		return -1;
	for (i = 0; i < e->bl->ncontrols && e->manual == NULL; i++)
		if (e->bl->controls[i].nchecks == 0)
			e->manual = &e->bl->controls[i];
	if (e->manual == NULL)
		return -1;
	for (j = 0; j < e->rs->n && e->unbound == NULL; j++) {
		for (k = 0; k < e->ctl->nchecks; k++)
			if (e->ctl->checks[k].rule == e->rs->v[j])
				break;
		if (k == e->ctl->nchecks)
			e->unbound = e->rs->v[j];
	}
	*state = e;
	return e->bound != NULL && e->unbound != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	char path[128];

	snprintf(path, sizeof(path), "%s/p.yaml", e->dir);
	unlink(path);
	rmdir(e->dir);
	baseline_free(e->bl);
	rule_set_free(e->rs);
	diag_free(&e->d);
	free(e);
	return 0;
}

/* The label form of a control id: "ac-2.3" -> "AC-2(3)". */
static void
label_of(const char *id, char *out, size_t len)
{
	size_t i, o = 0;
	int open = 0;

	for (i = 0; id[i] != '\0' && o + 2 < len; i++) {
		if (id[i] == '.') {
			out[o++] = '(';
			open = 1;
		} else {
			out[o++] = (char)toupper((unsigned char)id[i]);
		}
	}
	if (open)
		out[o++] = ')';
	out[o] = '\0';
}

/*
 * One item's fields, each NULL for "omit" or the YAML value text.  The
 * item is written at line 2 with one field a line in this order, so
 * field k (0-based) is at line 3 + k, column 5.
 */
struct item {
	const char *id, *control, *check, *severity, *detected, *expires,
	    *justification, *approver, *deviation, *due;
};

static const char *
write_poam(struct env *e, const struct item *it, int n)
{
	static char path[128];
	FILE *fp;
	int i;

	snprintf(path, sizeof(path), "%s/p.yaml", e->dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("items:\n", fp);
	for (i = 0; i < n; i++) {
		fprintf(fp, "  - id: %s\n", it[i].id);
#define F(name, v) \
	if ((v) != NULL) \
		fprintf(fp, "    " name ": %s\n", (v));
		F("control", it[i].control)
		F("check", it[i].check)
		F("severity", it[i].severity)
		F("detected", it[i].detected)
		F("expires", it[i].expires)
		F("justification", it[i].justification)
		F("approver", it[i].approver)
		F("deviation", it[i].deviation)
		if (it[i].due != NULL)
			fprintf(fp,
			    "    milestones:\n"
			    "      - {description: fix it, due: %s}\n",
			    it[i].due);
#undef F
	}
	assert_int_equal(fclose(fp), 0);
	return path;
}

/* The compliant twin every variant starts from. */
static struct item
good_item(const struct env *e)
{
	struct item it = { "POAM-1", e->ctl->id, e->bound->id, "high",
		"2026-11-01", "2026-12-01", "legacy system, migration planned",
		"ISSO Jane Doe", NULL, "2026-11-20" };

	return it;
}

/* Load and validate; 0 when both accept, and the diagnostics in e->d. */
static int
load_validate(struct env *e, const struct item *it, int n, struct poam **pp)
{
	struct poam *p;
	int rc;

	diag_clear(&e->d);
	p = poam_load(&e->d, write_poam(e, it, n));
	if (p == NULL) {
		rc = -1;
	} else {
		rc = poam_validate(p, e->bl, e->rs, &e->d);
		assert_true(rc == 0 || e->d.nerrors > 0);
	}
	if (pp != NULL)
		*pp = p;
	else
		poam_free(p);
	return rc;
}

static void
expect_refused(struct env *e, const struct item *it, const char *msg)
{
	if (load_validate(e, it, 1, NULL) != -1)
		fail_msg("accepted; expected '%s'", msg);
	assert_diag_has(&e->d, msg);
}

static void
valid_twin_passes(void **state)
{
	struct env *e = *state;
	struct item it = good_item(e);
	struct poam *p;

	assert_int_equal(load_validate(e, &it, 1, &p), 0);
	assert_int_equal(e->d.nerrors, 0);
	assert_int_equal(p->n, 1);
	assert_string_equal(p->items[0].control, e->ctl->id);
	assert_int_equal(p->items[0].severity, SEV_HIGH);
	assert_int_equal(p->items[0].detected, 1793491200); /* 2026-11-01 */
	assert_int_equal(p->items[0].expires, 1796083200); /* 2026-12-01 */
	assert_int_equal(p->items[0].deviation, POAM_DEV_NONE);
	poam_free(p);
}

/* id, approver and justification must hold text after trimming. */
static void
blank_fields_refused(void **state)
{
	static const char *const blanks[] = { "''", "' '", "\"\\t\"",
		"\"  \\n \"" };
	struct env *e = *state;
	size_t i;

	for (i = 0; i < sizeof(blanks) / sizeof(blanks[0]); i++) {
		struct item it = good_item(e);

		it.id = blanks[i];
		expect_refused(
		    e, &it, "p.yaml:2:9: error: POA&M item id is blank");
		it = good_item(e);
		it.approver = blanks[i];
		expect_refused(e, &it,
		    "p.yaml:9:15: error: POA&M item 'POAM-1' has an empty "
		    "approver");
		it = good_item(e);
		it.justification = blanks[i];
		expect_refused(e, &it,
		    "p.yaml:8:20: error: POA&M item 'POAM-1' has an empty "
		    "justification");
		it = good_item(e);
		it.control = blanks[i];
		expect_refused(e, &it, "has an empty control");
		it = good_item(e);
		it.check = blanks[i];
		expect_refused(e, &it, "has an empty check");
		it = good_item(e);
		it.deviation = NULL;
		it.due = NULL;
		write_poam(e, &it, 1);
		{
			char path[128], text[512];
			FILE *fp;

			snprintf(path, sizeof(path), "%s/p.yaml", e->dir);
			assert_non_null(fp = fopen(path, "a"));
			fprintf(fp, "    resource: %s\n", blanks[i]);
			assert_int_equal(fclose(fp), 0);
			diag_clear(&e->d);
			assert_null(poam_load(&e->d, path));
			snprintf(text, sizeof(text),
			    "p.yaml:10:15: error: POA&M item 'POAM-1' has an "
			    "empty resource");
			assert_diag_has(&e->d, text);
		}
	}
	/* Missing keys are the schema's errors. */
	{
		struct item it = good_item(e);

		it.approver = NULL;
		expect_refused(e, &it,
		    "p.yaml:2:5: error: POA&M item is missing required key "
		    "'approver'");
	}
}

/* AC-2(3), ac-2.3, Ac-02 (03): one control, the baseline's id. */
static void
control_forms_match(void **state)
{
	struct env *e = *state;
	char label[32], spaced[40], padded[40], mixed[32];
	const char *forms[5];
	const char *dot = strchr(e->ctl->id, '.');
	struct poam *p;
	size_t i;

	label_of(e->ctl->id, label, sizeof(label));
	snprintf(spaced, sizeof(spaced), "'%.*s (%s)'", (int)(dot - e->ctl->id),
	    label, dot + 1);
	snprintf(padded, sizeof(padded), "%c%c-0%.*s.0%s",
	    toupper((unsigned char)e->ctl->id[0]), e->ctl->id[1],
	    (int)(dot - e->ctl->id - 3), e->ctl->id + 3, dot + 1);
	snprintf(mixed, sizeof(mixed), "%s", e->ctl->id);
	mixed[0] = (char)toupper((unsigned char)mixed[0]);
	forms[0] = label;
	forms[1] = e->ctl->id;
	forms[2] = spaced;
	forms[3] = padded;
	forms[4] = mixed;
	for (i = 0; i < 5; i++) {
		struct item it = good_item(e);

		it.control = forms[i];
		if (load_validate(e, &it, 1, &p) != 0) {
			diag_print(&e->d, stderr, 0, 0);
			fail_msg("control form %s refused", forms[i]);
		}
		assert_string_equal(p->items[0].control, e->ctl->id);
		poam_free(p);
	}
}

static void
control_id_syntax(void **state)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{ "AC-2", "ac-2" },
		{ "ac-2", "ac-2" },
		{ "AC-2(3)", "ac-2.3" },
		{ "ac-2.3", "ac-2.3" },
		{ "AC-02(03)", "ac-2.3" },
		{ "AC-2 (3)", "ac-2.3" },
		{ "sc-7.12", "sc-7.12" },
		{ "SI-100", "si-100" },
	};
	static const char *const bad[] = { "", "AC2", "AC-", "AC-2(3",
		"AC-2)3(", "AC-2(3)x", "A-2", "ACC-2", "AC-2.", "AC-1234",
		"AC-2()", "AC-2(3)(4)", "AC-2.3.4", "1C-2", "AC -2", "AC-2 ",
		" AC-2", "AC-x", "AC-2(-3)" };
	char out[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(
		    poam_control_id(ok[i].in, out, sizeof(out)), 0);
		assert_string_equal(out, ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (poam_control_id(bad[i], out, sizeof(out)) != -1)
			fail_msg("'%s' accepted as '%s'", bad[i], out);
	assert_int_equal(poam_control_id(NULL, out, sizeof(out)), -1);
	assert_int_equal(poam_control_id("AC-2(3)", out, 4), -1);
}

static void
unknown_control_and_check(void **state)
{
	struct env *e = *state;
	struct item it = good_item(e);

	it.control = "ac-99";
	it.check = NULL;
	expect_refused(e, &it,
	    "p.yaml:3:14: error: POA&M item 'POAM-1' names control 'ac-99', "
	    "which baseline 'fedramp-moderate' does not contain");
	it.control = "'AC 2'";
	expect_refused(e, &it,
	    "p.yaml:3:14: error: POA&M item 'POAM-1': 'AC 2' is not a "
	    "control id like AC-2(3) or ac-2.3");
	it = good_item(e);
	it.check = "no-such-check";
	expect_refused(e, &it,
	    "p.yaml:4:12: error: POA&M item 'POAM-1' names unknown check "
	    "'no-such-check'");
	it.check = e->unbound->id;
	expect_refused(e, &it, "is not bound to control");
	/* No check: every check of the control. */
	it.check = NULL;
	assert_int_equal(load_validate(e, &it, 1, NULL), 0);
}

static void
severity_and_detected_required(void **state)
{
	struct env *e = *state;
	struct item it = good_item(e);

	it.severity = NULL;
	expect_refused(e, &it,
	    "p.yaml:2:5: error: POA&M item 'POAM-1' needs a 'severity'");
	it = good_item(e);
	it.detected = NULL;
	expect_refused(e, &it,
	    "p.yaml:2:5: error: POA&M item 'POAM-1' needs a 'detected' date");
	it = good_item(e);
	it.severity = "urgent";
	expect_refused(e, &it,
	    "p.yaml:5:15: error: POA&M item 'POAM-1': unknown severity "
	    "'urgent'");
	it.severity = "info";
	expect_refused(e, &it, "unknown severity 'info'");
	/* Case does not matter; critical is rated like high. */
	it.severity = "HIGH";
	assert_int_equal(load_validate(e, &it, 1, NULL), 0);
	it.severity = "Critical";
	assert_int_equal(load_validate(e, &it, 1, NULL), 0);
}

/* Every date goes through the strict parser, with its position. */
static void
dates_strict(void **state)
{
	static const char *const bad[] = { "20261231", "2025-02-29",
		"2026-13-01", "'2026-12-01 00:00:00Z'", "NaN", "1796284800",
		"2026-12-01T24:00:00Z", "[2026-12-01]" };
	struct env *e = *state;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct item it = good_item(e);

		it.expires = bad[i];
		expect_refused(e, &it, "p.yaml:7:14: error: ");
		assert_diag_has(&e->d, "'expires' must be a date");
		it = good_item(e);
		it.detected = bad[i];
		expect_refused(e, &it, "p.yaml:6:15: error: ");
		assert_diag_has(&e->d, "'detected' must be a date");
		it = good_item(e);
		it.due = bad[i];
		expect_refused(e, &it, "'due' must be a date");
	}
	{
		struct item it = good_item(e);

		it.expires = "2026-10-01";
		expect_refused(e, &it,
		    "p.yaml:7:14: error: POA&M item 'POAM-1' expires "
		    "(2026-10-01) before the finding was detected "
		    "(2026-11-01)");
		/* RFC 3339 date-times are dates too. */
		it.expires = "2026-11-30T23:59:59+05:30";
		assert_int_equal(load_validate(e, &it, 1, NULL), 0);
	}
}

/*
 * RA-5(d): for every severity, expires on the deadline is accepted, one
 * day (and one second) later is refused, unless an operational
 * requirement or false positive deviation is approved; a risk
 * adjustment changes the rating, not the deadline.
 */
static void
remediation_deadlines(void **state)
{
	static const struct {
		const char *sev;
		int days;
	} sevs[] = { { "critical", 30 }, { "high", 30 }, { "moderate", 90 },
		{ "medium", 90 }, { "low", 180 } };
	static const char *const devs[] = {
		NULL,
		"{type: operational_requirement, approved_by: AO, approved: "
		"2026-01-10}",
		"{type: false_positive, approved_by: AO, approved: 2026-01-10}",
		"{type: risk_adjustment, approved_by: AO, approved: 2026-01-10}"
	};
	struct env *e = *state;
	char on[32], late[32], second[40];
	size_t i, k;

	for (i = 0; i < sizeof(sevs) / sizeof(sevs[0]); i++) {
		int64_t d0 = 1767225600; /* 2026-01-01 */

		format_time(d0 + (int64_t)sevs[i].days * 86400, on);
		on[10] = '\0';
		format_time(d0 + ((int64_t)sevs[i].days + 1) * 86400, late);
		late[10] = '\0';
		format_time(d0 + (int64_t)sevs[i].days * 86400 + 1, second);
		for (k = 0; k < sizeof(devs) / sizeof(devs[0]); k++) {
			struct item it = good_item(e);
			int exempt = k == 1 || k == 2;

			/* A control without checks: no rating to compare. */
			it.control = e->manual->id;
			it.check = NULL;
			it.severity = sevs[i].sev;
			it.detected = "2026-01-01";
			it.deviation = devs[k];
			it.due = "2026-01-15";
			it.expires = on;
			if (load_validate(e, &it, 1, NULL) != 0)
				fail_msg("%s dev %zu: deadline day %s refused",
				    sevs[i].sev, k, on);
			it.expires = late;
			if ((load_validate(e, &it, 1, NULL) == 0) != exempt)
				fail_msg("%s dev %zu: %s", sevs[i].sev, k,
				    exempt ? "exempt item refused"
					   : "late item accepted");
			if (!exempt)
				assert_diag_has(
				    &e->d, "after the RA-5(d) deadline");
			it.expires = second;
			assert_int_equal(
			    load_validate(e, &it, 1, NULL) == 0, exempt);
		}
	}
	/* The message names the deadline and the rating. */
	{
		struct item it = good_item(e);

		it.expires = "2026-12-02";
		expect_refused(e, &it,
		    "p.yaml:7:14: error: POA&M item 'POAM-1' expires "
		    "2026-12-02, after the RA-5(d) deadline for a high "
		    "finding detected 2026-11-01 (30 days: 2026-12-01)");
	}
}

static void
deviation_shape(void **state)
{
	static const struct {
		const char *dev, *msg;
	} bad[] = {
		{ "{type: waiver, approved_by: AO, approved: 2026-01-10}",
		    "unknown deviation type 'waiver'" },
		{ "{type: operational_requirement, approved: 2026-01-10}",
		    "missing required key 'approved_by'" },
		{ "{type: operational_requirement, approved_by: ' ', "
		  "approved: 2026-01-10}",
		    "the deviation needs the approving official" },
		{ "{type: operational_requirement, approved_by: AO}",
		    "missing required key 'approved'" },
		{ "{type: operational_requirement, approved_by: AO, "
		  "approved: 20260110}",
		    "'approved' must be a date" },
		{ "{type: operational_requirement, approved_by: AO, "
		  "approved: 2026-01-10, note: x}",
		    "unknown key 'note'" },
		{ "approved", "must be a map" },
	};
	struct env *e = *state;
	struct item it = good_item(e);
	struct poam *p;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		it.deviation = bad[i].dev;
		expect_refused(e, &it, bad[i].msg);
	}
	it.deviation = "{type: operational_requirement, approved_by: AO Roe, "
		       "approved: 2026-11-02, reference: DR-7}";
	it.expires = "2031-01-01";
	assert_int_equal(load_validate(e, &it, 1, &p), 0);
	assert_int_equal(
	    p->items[0].deviation, POAM_DEV_OPERATIONAL_REQUIREMENT);
	assert_string_equal(p->items[0].deviation_approver, "AO Roe");
	assert_int_equal(p->items[0].deviation_approved, 1793577600);
	poam_free(p);
}

/* A check rated lower than its own severity needs a risk adjustment. */
static void
lowered_rating(void **state)
{
	struct env *e = *state;
	struct item it = good_item(e);
	char msg[256];

	it.severity = "low";
	snprintf(msg, sizeof(msg),
	    "p.yaml:5:15: error: POA&M item 'POAM-1' rates check '%s' (%s) "
	    "as low: a lower rating needs an approved risk_adjustment "
	    "deviation",
	    e->bound->id, severity_name(e->bound->severity));
	expect_refused(e, &it, msg);
	it.deviation = "{type: risk_adjustment, approved_by: AO, approved: "
		       "2026-11-02}";
	assert_int_equal(load_validate(e, &it, 1, NULL), 0);
	/* Rated at or above the check's severity: no deviation needed. */
	it.deviation = NULL;
	it.severity = "critical";
	assert_int_equal(load_validate(e, &it, 1, NULL), 0);
	/* Leaving `check` out compares with the control's worst check. */
	it.check = NULL;
	it.severity = "low";
	expect_refused(e, &it, "which its control binds, as low");
	it.deviation = "{type: risk_adjustment, approved_by: AO, approved: "
		       "2026-11-02}";
	assert_int_equal(load_validate(e, &it, 1, NULL), 0);
}

/* Every problem of every item is reported in one run. */
static void
every_problem_reported(void **state)
{
	struct env *e = *state;
	struct item it[3];
	struct poam *p;

	it[0] = good_item(e);
	it[0].id = "A";
	it[0].control = "zz-1";
	it[0].severity = NULL;
	it[1] = good_item(e);
	it[1].id = "B";
	it[1].check = "nope";
	it[1].expires = "2027-06-01";
	it[2] = good_item(e);
	it[2].id = "C";
	p = NULL;
	assert_int_equal(load_validate(e, it, 3, &p), -1);
	assert_non_null(p);
	assert_int_equal(e->d.nerrors, 4);
	assert_diag_has(&e->d, "'A' needs a 'severity'");
	assert_diag_has(&e->d, "'A' names control 'zz-1'");
	assert_diag_has(&e->d, "'B' names unknown check 'nope'");
	assert_diag_has(&e->d, "'B' expires 2027-06-01, after the RA-5(d)");
	poam_free(p);
	/* Without a rule set, checks are not looked up. */
	diag_clear(&e->d);
	p = poam_load(&e->d, write_poam(e, &it[1], 1));
	assert_non_null(p);
	assert_int_equal(poam_validate(p, e->bl, NULL, &e->d), -1);
	assert_int_equal(e->d.nerrors, 1);
	poam_free(p);
	/* Duplicate ids are still found. */
	it[1] = it[2];
	assert_int_equal(load_validate(e, &it[1], 2, NULL), -1);
	assert_diag_has(&e->d, "duplicate POA&M item 'C'");
}

/*
 * A refused item's fields do not leak into the next one (its slot is
 * reused): here the second item has no `expires`, and the first one's
 * dates must not be compared with it (found by fuzz_poam: a crash).
 */
static void
refused_item_leaves_nothing(void **state)
{
	struct env *e = *state;
	struct item it[2];

	it[0] = good_item(e);
	it[0].approver = "' '";
	it[0].expires = "2026-10-01"; /* before detected: an error too */
	it[1] = good_item(e);
	it[1].id = "POAM-2";
	it[1].expires = NULL;
	it[1].detected = NULL;
	assert_int_equal(load_validate(e, it, 2, NULL), -1);
	assert_diag_has(&e->d, "'POAM-1' has an empty approver");
	assert_diag_has(&e->d, "'POAM-1' expires (2026-10-01) before");
	assert_diag_has(&e->d, "missing required key 'expires'");
	assert_int_equal(e->d.nerrors, 3);
}

/* The shipped example validates against every FedRAMP baseline it uses. */
static void
shipped_example_validates(void **state)
{
	struct env *e = *state;
	struct baseline *b;
	struct poam *p;

	diag_clear(&e->d);
	p = poam_load(&e->d, "examples/poam.yaml");
	assert_non_null(p);
	b = baseline_load(&e->d, "rules/baselines/example.yaml", e->rs);
	assert_non_null(b);
	if (poam_validate(p, b, e->rs, &e->d) != 0) {
		diag_print(&e->d, stderr, 0, 0);
		fail();
	}
	assert_string_equal(p->items[0].control, "au-11");
	baseline_free(b);
	poam_free(p);
}

static void
remediation_days_table(void **state)
{
	(void)state;
	assert_int_equal(poam_remediation_days(SEV_CRITICAL), 30);
	assert_int_equal(poam_remediation_days(SEV_HIGH), 30);
	assert_int_equal(poam_remediation_days(SEV_MEDIUM), 90);
	assert_int_equal(poam_remediation_days(SEV_LOW), 180);
	assert_int_equal(poam_remediation_days(SEV_INFO), -1);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    valid_twin_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    blank_fields_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    control_forms_match, setup, teardown),
		cmocka_unit_test(control_id_syntax),
		cmocka_unit_test_setup_teardown(
		    unknown_control_and_check, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    severity_and_detected_required, setup, teardown),
		cmocka_unit_test_setup_teardown(dates_strict, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    remediation_deadlines, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    deviation_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    lowered_rating, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    every_problem_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    refused_item_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    shipped_example_validates, setup, teardown),
		cmocka_unit_test(remediation_days_table),
	};

	/* The shipped packs and baselines of this tree (run from its root). */
	setenv("RAMPART_RULES_DIR", "rules", 1);

	RUN_TESTS("poam", tests, argc, argv);
}
