/*
 * test_roundtrip.c: the JSON report holds the whole assessment.  For real
 * exports (the example AWS export, AWS Config files, a Kubernetes
 * cluster, Google Cloud and OCI recordings) over the example,
 * FedRAMP Moderate and High baselines, with POA&M, attestations, CRM and
 * scope files, a result cap, a tailored selection and --gate checks: run
 * the engine, write every format (the writers table) to memory, write
 * JSON, read it back (report_read_assessment) and write every format
 * again: each must be byte-identical.  A generator of assessments
 * (random statuses and counts above the cap, waivers, missing evidence)
 * proves the same for what the real exports do not show.
 */
#include "testutil.h"

#include "reports/report.h"

#define FIXED 1795737600LL /* 2026-11-27T00:00:00Z */
#define RT "tests/fixtures/roundtrip/"

struct rt_case {
	const char *name;
	const char *baseline;
	const char *const *inputs;
	const char *poam, *attest, *crm, *scope;
	size_t max_results;
	const char *skip; /* --skip-check glob, or NULL */
	enum gate gate;
};

static const char *const aws[] = { "examples/aws-export", NULL };
static const char *const many[] = { "examples/aws-export",
	"tests/fixtures/config/history-recorder.json",
	"tests/fixtures/config/s3-bucket.json", "tests/fixtures/k8s/cluster",
	"tests/fixtures/gcp/real/gcpdiag-gce1-aaaa",
	"tests/fixtures/oci/tenancy", NULL };

static const struct rt_case cases[] = {
	{ "example", "example", aws, NULL, NULL, NULL, NULL, 1000, NULL,
	    GATE_ELIGIBILITY },
	{ "moderate+files", "fedramp-moderate", aws, RT "poam.yaml",
	    RT "attestations.yaml", RT "crm.yaml", RT "scope.yaml", 1000, NULL,
	    GATE_ELIGIBILITY },
	{ "high+many", "fedramp-high", many, RT "poam.yaml", NULL, NULL, NULL,
	    1000, NULL, GATE_ELIGIBILITY },
	{ "moderate capped", "fedramp-moderate", many, RT "poam.yaml",
	    RT "attestations.yaml", RT "crm.yaml", RT "scope.yaml", 1, NULL,
	    GATE_ELIGIBILITY },
	{ "high tailored gate", "fedramp-high", aws, NULL, NULL, RT "crm.yaml",
	    NULL, 2, "aws-iam-*", GATE_CHECKS },
};

/* What a case loads, as `scan` loads it. */
static void
load_defs(struct diag *d, const struct rt_case *c, struct report_defs *df)
{
	struct report_setup s;

	memset(&s, 0, sizeof(s));
	s.baseline = c->baseline;
	s.poam = c->poam;
	s.attest = c->attest;
	s.crm = c->crm;
	s.scope = c->scope;
	if (report_defs_load(d, &s, df) != 0) {
		diag_print(d, stderr, 0, 0);
		fail_msg("cannot load the definitions of '%s'", c->name);
	}
}

/* Writer w over as into a new buffer (*len bytes). */
static char *
render(const struct writer *w, const struct assessment *as,
    const struct report_opts *o, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);

	assert_non_null(fp);
	assert_int_equal(w->write(fp, as, o), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

/* The first line where x and y differ, for the failure message. */
static void
first_diff(const char *name, const char *x, size_t nx, const char *y, size_t ny)
{
	size_t i, line = 1, start = 0;

	for (i = 0; i < nx && i < ny && x[i] == y[i]; i++)
		if (x[i] == '\n') {
			line++;
			start = i + 1;
		}
	print_message("%s differs at line %zu:\n  before: %.*s\n  after:  "
		      "%.*s\n",
	    name, line, (int)(nx - start < 160 ? nx - start : 160), x + start,
	    (int)(ny - start < 160 ? ny - start : 160), y + start);
}

/*
 * Write every format of as, then JSON; read the JSON back with df and
 * write every format again: byte for byte the same.
 */
static void
round_trip(const char *what, const struct assessment *as,
    const struct report_defs *df, const struct report_opts *o)
{
	struct report_doc *rd;
	struct report_opts o2;
	struct run *back;
	struct arena *a = arena_new();
	struct diag d;
	char *before[32], *after, *json;
	size_t nb[32], na, nj, i;
	int bad = 0;

	assert_non_null(a);
	assert_true(nwriters <= 32);
	diag_init(&d);
	for (i = 0; i < nwriters; i++)
		before[i] = render(writers[i], as, o, &nb[i]);
	json = render(writer_find("json"), as, o, &nj);
	if (report_doc_from_buf(&d, "report.json", json, nj, &rd) != 0 ||
	    report_read_assessment(&d, rd, df, NULL, &back) != 0) {
		diag_print(&d, stderr, 0, 0);
		fail_msg("%s: the report does not read back", what);
	}
	memset(&o2, 0, sizeof(o2));
	assert_int_equal(report_read_opts(&d, a, rd, &o2), 0);
	o2.verbose = o->verbose;
	o2.sarif_include_passes = o->sarif_include_passes;
	o2.max_items = o->max_items;
	o2.max_items_set = o->max_items_set;
	for (i = 0; i < nwriters; i++) {
		after = render(writers[i], &back->as, &o2, &na);
		if (na != nb[i] || memcmp(after, before[i], na) != 0) {
			first_diff(
			    writers[i]->name, before[i], nb[i], after, na);
			bad = 1;
		}
		free(after);
		free(before[i]);
	}
	run_free(back);
	report_doc_free(rd);
	arena_free(a);
	diag_free(&d);
	if (bad)
		fail_msg("%s: a format differs after the round trip", what);
}

static const char prov[] =
    "{\"configuration\":[{\"role\":\"tool\",\"name\":\"rampart\","
    "\"version\":\"0.1.0\"}],\"options\":{\"fixed_time\":"
    "\"2026-11-27T00:00:00Z\",\"gate\":\"eligibility\"}}";

static void
test_real_exports(void **state)
{
	const struct rt_case *c;
	struct report_defs df;
	struct report_opts o;
	struct run_opts ro;
	const char *skip[1];
	struct run *r;
	struct diag d;
	size_t k, i;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		c = &cases[k];
		diag_init(&d);
		load_defs(&d, c, &df);
		memset(&ro, 0, sizeof(ro));
		ro.now = FIXED;
		ro.max_results = c->max_results;
		ro.max_evidence_age = 3650 * 86400LL;
		ro.gate = c->gate;
		if (c->skip != NULL) {
			skip[0] = c->skip;
			ro.sel.skip = skip;
			ro.sel.nskip = 1;
			ro.sel.text = "--skip-check aws-iam-*";
		}
		load_limits_default(&ro.lim);
		r = run_new(&d, df.bl, df.rs, df.poam, &ro);
		assert_non_null(r);
		r->as.attest = df.attest;
		r->as.crm = df.crm;
		r->as.scope = df.scope;
		for (i = 0; c->inputs[i] != NULL; i++) {
			if (run_input(r, c->inputs[i], NULL) != 0) {
				diag_print(&d, stderr, 0, 0);
				fail_msg("%s: cannot read '%s'", c->name,
				    c->inputs[i]);
			}
			assert_int_equal(run_track_inputs(r), 0);
		}
		assert_int_equal(run_finish(r), 0);
		memset(&o, 0, sizeof(o));
		o.tool_version = "0.1.0";
		o.fixed_time = FIXED;
		o.provenance = prov;
		round_trip(c->name, &r->as, &df, &o);
		/* The text report with passing checks, the SARIF passes. */
		o.verbose = 1;
		o.sarif_include_passes = 1;
		round_trip(c->name, &r->as, &df, &o);
		run_free(r);
		report_defs_free(&df);
		diag_free(&d);
	}
}

/* A small deterministic generator (xorshift), seeded per round. */
static uint64_t
next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static size_t
pick(uint64_t *x, size_t n)
{
	return (size_t)(next(x) % n);
}

/* Resource ids: some match the POA&M item's "c7n-test-*" (a waiver). */
static const char *const ids[] = { "c7n-test-logs", "c7n-test-2",
	"arn:aws:s3:::b\"q<&>", "vm 1\n\ttab", "\xc3\xa9t\xc3\xa9", "i-0" };
static const char *const messages[] = { "ok",
	"value \"x\" is <bad> & "
	"worse",
	"line1\nline2", "", "control \x01 char" };

/* Two inputs with random identity, staleness and providers. */
static void
gen_inputs(struct run *r, uint64_t *x)
{
	struct input_info *in;
	size_t i, k;

	for (i = 0; i < 2; i++) {
		in = run_add_input(r, i ? "exports/b.json" : "exports/a dir",
		    i ? "aws-config" : "aws-cli");
		assert_non_null(in);
		for (k = 0; k < SHA256_HEX_LEN; k++)
			in->sha256[k] = "0123456789abcdef"[pick(x, 16)];
		in->resources = pick(x, 5000);
		in->listings = pick(x, 40);
		in->collected =
		    pick(x, 2) ? FIXED - (int64_t)pick(x, 90) * 86400 : 0;
		in->collected_how =
		    in->collected ? "export capture time" : NULL;
		in->stale = (int)pick(x, 4) == 0;
		in->account = pick(x, 2) ? "123456789012" : NULL;
		in->providers =
		    1u << PROV_AWS | (pick(x, 3) == 0 ? 1u << PROV_K8S : 0);
		r->as.providers |= in->providers;
	}
}

/* Random listed results, counts (some above the cap), seen, listing. */
static void
gen_outcome(struct run *r, struct check_outcome *o, uint64_t *x)
{
	static const enum status st[] = { ST_PASS, ST_FAIL, ST_ERROR,
		ST_NOT_APPLICABLE };
	struct check_result res;
	struct evidence ev[2];
	size_t k, n = pick(x, 6), t;
	/* 0: every result passes; 1: fails on waived resources only;
	 * else anything. */
	size_t mode = pick(x, 4);

	if (pick(x, 8) == 0)
		o->not_run = "not run: --skip-check";
	for (t = 0; t < o->rule->ntypes; t++)
		o->seen[t] = mode < 2 || pick(x, 3) != 0;
	o->listed = (int)pick(x, 2);
	for (k = 0; k < n && k < r->as.opts.max_results * 4; k++) {
		memset(&res, 0, sizeof(res));
		res.status = mode == 0 ? ST_PASS
		    : mode == 1        ? ST_FAIL
				       : st[pick(x, 4)];
		if (o->counts[res.status] >= r->as.opts.max_results) {
			o->counts[res.status]++; /* counted, not listed */
			continue;
		}
		res.resource_id = mode == 1 ? ids[pick(x, 2)] : ids[pick(x, 6)];
		res.resource_type = o->rule->ntypes ? o->rule->types[0] : "T";
		res.region = pick(x, 2) ? "us-east-1" : NULL;
		res.account = pick(x, 2) ? "123456789012" : NULL;
		res.namespace = pick(x, 4) == 0 ? "kube-system" : NULL;
		res.message = messages[pick(x, 5)];
		ev[0].path = "Config.Encrypted";
		ev[0].value = pick(x, 2) ? "false" : NULL;
		memset(&ev[0].source, 0, sizeof(ev[0].source));
		ev[1].path = "Tags[0].Value";
		ev[1].value = "\"a\\\"b\"";
		ev[1].source.file = "exports/a dir/x.json";
		ev[1].source.line = (uint32_t)pick(x, 900) + 1;
		ev[1].source.col = (uint32_t)pick(x, 80) + 1;
		res.ev = ev;
		res.nev = pick(x, 3);
		o->counts[res.status]++;
		assert_int_equal(
		    run_add_result(r, o, &res, (uint32_t)pick(x, 2)), 0);
	}
	for (k = 0; mode > 1 && k < 4; k++)
		if (pick(x, 6) == 0)
			o->counts[st[k]] += 1 + pick(x, 3000);
}

/*
 * Generated assessments round-trip: random statuses, counts above the
 * cap, waivers of the POA&M item (its resource glob), not-run checks,
 * stale inputs, missing evidence, awkward strings in every field.
 */
static void
test_generated(void **state)
{
	static const struct rt_case c = { "generated", "fedramp-moderate", aws,
		RT "poam.yaml", RT "attestations.yaml", RT "crm.yaml",
		RT "scope.yaml", 3, NULL, GATE_ELIGIBILITY };
	size_t seen[ST_COUNT] = { 0 };
	struct report_defs df;
	struct report_opts o;
	struct run_opts ro;
	struct run *r;
	struct diag d;
	uint64_t x;
	unsigned round;
	size_t i, k, waivers = 0;

	(void)state;
	diag_init(&d);
	load_defs(&d, &c, &df);
	for (round = 1; round <= 24; round++) {
		x = 0x9e3779b97f4a7c15ULL * round;
		memset(&ro, 0, sizeof(ro));
		ro.now = FIXED;
		ro.max_results = 1 + pick(&x, 3);
		ro.max_evidence_age = 30 * 86400LL;
		ro.gate = pick(&x, 2) ? GATE_CHECKS : GATE_ELIGIBILITY;
		ro.sel.text = pick(&x, 2) ? "--skip-check (generated)" : NULL;
		load_limits_default(&ro.lim);
		r = run_new(&d, df.bl, df.rs, df.poam, &ro);
		assert_non_null(r);
		r->as.attest = df.attest;
		r->as.crm = df.crm;
		r->as.scope = df.scope;
		gen_inputs(r, &x);
		for (i = 0; i < r->as.nchecks; i++)
			gen_outcome(r, &r->as.checks[i], &x);
		assert_int_equal(run_finish(r), 0);
		for (i = 0; i < r->as.ncontrols; i++) {
			seen[r->as.controls[i].status]++;
			for (k = 0; k < r->as.controls[i].nchecks; k++)
				waivers +=
				    r->as.controls[i].checks[k].waiver != NULL;
		}
		memset(&o, 0, sizeof(o));
		o.tool_version = "0.1.0";
		o.fixed_time = pick(&x, 2) ? FIXED : 0;
		o.verbose = (int)pick(&x, 2);
		o.sarif_include_passes = (int)pick(&x, 2);
		round_trip("generated", &r->as, &df, &o);
		run_free(r);
	}
	/* The generator reaches the decisions it is meant to exercise. */
	assert_true(seen[ST_FAIL] > 0 && seen[ST_ERROR] > 0);
	assert_true(waivers > 0 && seen[ST_PASS] + seen[ST_PARTIAL] > 0);
	assert_true(seen[ST_MANUAL] > 0 && seen[ST_INHERITED] > 0);
	report_defs_free(&df);
	diag_free(&d);
}

/* A report read with another baseline than its own is refused. */
static void
test_other_baseline(void **state)
{
	static const struct rt_case ex = { "example", "example", aws, NULL,
		NULL, NULL, NULL, 1000, NULL, GATE_ELIGIBILITY };
	static const struct rt_case mod = { "moderate", "fedramp-moderate", aws,
		NULL, NULL, NULL, NULL, 1000, NULL, GATE_ELIGIBILITY };
	struct report_defs df, other;
	struct report_doc *rd;
	struct report_opts o;
	struct run_opts ro;
	struct run *r, *back = NULL;
	struct diag d;
	char *json;
	size_t nj;

	(void)state;
	diag_init(&d);
	load_defs(&d, &ex, &df);
	load_defs(&d, &mod, &other);
	memset(&ro, 0, sizeof(ro));
	ro.now = FIXED;
	ro.max_results = 1000;
	load_limits_default(&ro.lim);
	r = run_new(&d, df.bl, df.rs, NULL, &ro);
	assert_non_null(r);
	assert_int_equal(run_input(r, aws[0], NULL), 0);
	assert_int_equal(run_finish(r), 0);
	memset(&o, 0, sizeof(o));
	o.tool_version = "0.1.0";
	json = render(writer_find("json"), &r->as, &o, &nj);
	assert_int_equal(
	    report_doc_from_buf(&d, "report.json", json, nj, &rd), 0);
	assert_int_equal(
	    report_read_assessment(&d, rd, &other, NULL, &back), -1);
	assert_null(back);
	assert_diag_has(&d,
	    "the report was made with baseline 'example-aws-moderate' "
	    "(sha256 ");
	assert_diag_has(&d, "not the loaded 'fedramp-moderate'");
	/* Its own baseline reads it; no result lists an input (untracked). */
	diag_clear(&d);
	assert_int_equal(report_read_assessment(&d, rd, &df, NULL, &back), 0);
	assert_int_equal(back->as.verdict, r->as.verdict);
	run_free(back);
	report_doc_free(rd);
	run_free(r);
	report_defs_free(&df);
	report_defs_free(&other);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_exports),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_other_baseline),
	};

	setenv("RAMPART_RULES_DIR", "rules", 1);
	RUN_TESTS("roundtrip", tests, argc, argv);
}
