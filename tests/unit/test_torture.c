/*
 * test_torture.c: fail each allocation in turn (curl's torture, SQLite's
 * OOM tests) through the whole pipeline: loading a rule pack and a
 * baseline, streaming an export through the checks, aggregating and
 * writing the JSON report.  Every failure must be a clean error with a
 * diagnostic: no crash, no leak (run under ASan), and never a verdict
 * that claims more than the evidence.
 */
#include "testutil.h"

#include "reports/report.h"

static const char *pack =
    "checks:\n"
    "  - id: t-pw-len\n    title: password length\n    severity: medium\n"
    "    remediation: set it\n"
    "    resource_types: [AWS::IAM::PasswordPolicy]\n"
    "    controls: [ia-5.1]\n    required: true\n"
    "    params:\n      min_length: {type: int, default: 14, unit: "
    "characters}\n"
    "    assert:\n      all:\n"
    "        - {path: PasswordPolicy.MinimumPasswordLength, ge: {param: "
    "min_length}}\n"
    "        - {path: PasswordPolicy.RequireSymbols, eq: true}\n";

static const char *baseline =
    "id: t\ntitle: test\nimpact: moderate\n"
    "parameters:\n  ia-5.1_prm: \"at least 12 characters\"\n"
    "controls:\n"
    "  - id: ia-5.1\n    checks:\n"
    "      - {id: t-pw-len, decides: full,\n"
    "         params: {min_length: {baseline: ia-5.1_prm}}}\n";

static const char *policy =
    "{\"PasswordPolicy\": {\"MinimumPasswordLength\": 12,\n"
    " \"RequireSymbols\": true, \"RequireNumbers\": true}}\n";

struct paths {
	char dir[64], pack[96], bl[96], exp[96], out[96];
};

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void
make_tree(struct paths *p)
{
	char sub[256];

	snprintf(p->dir, sizeof(p->dir), "/tmp/rampart-torture-XXXXXX");
	assert_non_null(mkdtemp(p->dir));
	snprintf(p->pack, sizeof(p->pack), "%s/pack.yaml", p->dir);
	snprintf(p->bl, sizeof(p->bl), "%s/bl.yaml", p->dir);
	snprintf(p->exp, sizeof(p->exp), "%s/exp", p->dir);
	snprintf(p->out, sizeof(p->out), "%s/report.json", p->dir);
	write_file(p->pack, pack);
	write_file(p->bl, baseline);
	assert_int_equal(mkdir(p->exp, 0755), 0);
	snprintf(sub, sizeof(sub), "%s/iam", p->exp);
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(sub, sizeof(sub), "%s/iam/get-account-password-policy.json",
	    p->exp);
	write_file(sub, policy);
}

/*
 * The whole pipeline.  Returns the verdict, or -1 with at least one error
 * in d.
 */
static int
pipeline(const struct paths *p, struct diag *d)
{
	struct rule_set *rs = NULL;
	struct baseline *bl = NULL;
	struct run *r = NULL;
	struct run_opts ro;
	struct report_opts rep;
	int v = -1;

	if ((rs = rule_set_new()) == NULL) {
		diag_err(d, NULL, "out of memory");
		goto out;
	}
	if (rule_set_load(rs, d, p->pack) == -1)
		goto out;
	if ((bl = baseline_load(d, p->bl, rs)) == NULL)
		goto out;
	memset(&ro, 0, sizeof(ro));
	ro.now = 1790000000;
	ro.max_results = 100;
	load_limits_default(&ro.lim);
	if ((r = run_new(d, bl, rs, NULL, &ro)) == NULL)
		goto out;
	if (run_input(r, p->exp, adapter_find("aws-cli")) == -1)
		goto out;
	if (run_finish(r) == -1)
		goto out;
	memset(&rep, 0, sizeof(rep));
	rep.tool_version = "test";
	rep.fixed_time = 1790000000;
	if (report_write(d, writer_find("json"), &r->as, &rep, p->out) == -1)
		goto out;
	v = (int)r->as.verdict;
out:
	run_free(r);
	baseline_free(bl);
	rule_set_free(rs);
	return v;
}

static void
every_allocation_fails_cleanly(void **state)
{
	struct paths p;
	struct diag d;
	long n, total;
	int v, clean = 0;
	char cmd[160];

	(void)state;
	make_tree(&p);
	/* Reference run: how many allocations, and the honest verdict. */
	diag_init(&d);
	lib_alloc_fail_at(0);
	v = pipeline(&p, &d);
	total = lib_alloc_count();
	if (v != VERDICT_ELIGIBLE)
		diag_print(&d, stderr, 0, 0);
	assert_int_equal(v, VERDICT_ELIGIBLE);
	diag_free(&d);
	/* A real run allocates (48 when written): the loop has work. */
	assert_true(total > 30);
	for (n = 1; n <= total + 1; n++) {
		diag_init(&d);
		unlink(p.out);
		lib_alloc_fail_at(n);
		v = pipeline(&p, &d);
		lib_alloc_fail_at(0);
		if (v == -1) {
			/* A failure always says why, and leaves no report. */
			if (d.nerrors == 0)
				fail_msg("allocation %ld failed silently", n);
			assert_int_equal(access(p.out, F_OK), -1);
		} else {
			/*
			 * An allocation failure may not change the verdict
			 * into something the evidence does not support.
			 */
			assert_int_equal(v, VERDICT_ELIGIBLE);
			clean++;
		}
		diag_free(&d);
	}
	/* The last run (past every allocation) succeeded. */
	assert_true(clean >= 1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p.dir);
	assert_int_equal(system(cmd), 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_allocation_fails_cleanly),
	};

	RUN_TESTS("torture", tests, argc, argv);
}
