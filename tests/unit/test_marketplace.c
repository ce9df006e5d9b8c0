/*
 * test_marketplace.c: the Marketplace feed loader, workloads and the
 * placement decision (rules/marketplace.c), as tables and generated
 * classes, over synthetic feeds and the real 2026-04-28 feed (the compact
 * copy in rules/marketplace/, and ../shared's original when present).
 */
#include "testutil.h"

#include "reports/placement.h"
#include "rules/marketplace.h"

#define T0 "2026-04-28T02:40:42.651Z"
#define SHIPPED "rules/marketplace/fedramp-marketplace.json"

/* Write text to a fresh temporary file; returns its malloc'd path. */
static char *
tmpfile_with(const char *text)
{
	char *path = strdup("/tmp/rampart-test-mkt.XXXXXX");
	int fd;
	size_t n = strlen(text);

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

/* One offering of a synthetic official feed. */
static void
off(struct strbuf *sb, const char *id, const char *status, const char *lvl,
    const char *models, const char *leveraged)
{
	sb_printf(sb,
	    "%s{\"id\":\"%s\",\"csp\":\"CSP %s\",\"cso\":\"Offering %s\","
	    "\"status\":\"%s\",\"impact_level\":\"%s\",\"service_model\":"
	    "[%s],\"deployment_model\":\"Public Cloud\",\"auth_type\":"
	    "\"Agency\",\"auth_date\":\"\",\"leveraged_systems\":[%s]}",
	    sb->len > 0 && sb->s[sb->len - 1] == '}' ? "," : "", id, id, id,
	    status, lvl, models, leveraged);
}

static struct mkt_feed *
load_text(struct diag *d, const char *text)
{
	char *p = tmpfile_with(text);
	struct mkt_feed *f = mkt_feed_load(d, p);

	unlink(p);
	free(p);
	return f;
}

static struct mkt_feed *
load_products(struct diag *d, struct strbuf *products)
{
	struct strbuf sb;
	struct mkt_feed *f;

	sb_init(&sb);
	sb_printf(&sb,
	    "{\"meta\":{\"last_change\":\"" T0 "\",\"produced_by\":\"t\"},"
	    "\"data\":{\"Products\":[%s]}}",
	    products->s ? products->s : "");
	f = load_text(d, sb.s);
	sb_free(&sb);
	return f;
}

static struct mkt_workload *
workload(struct diag *d, const char *yaml)
{
	char *p = tmpfile_with(yaml);
	struct mkt_workload *w = mkt_workload_load(d, p);

	unlink(p);
	free(p);
	return w;
}

static const struct mkt_candidate *
cand(const struct mkt_placement *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].o->id, id) == 0)
			return &p->v[i];
	return NULL;
}

static int
has_reason(const struct mkt_candidate *c, const char *needle)
{
	size_t i;

	for (i = 0; i < c->nreasons; i++)
		if (strstr(c->reasons[i], needle) != NULL)
			return 1;
	return 0;
}

/* ------------------------------------------------------------- tables */

/*
 * A synthetic feed with one offering per case; each row: workload,
 * offering id, expected decision and a reason that must be given.
 */
static void
decide_table(void **state)
{
	static const struct {
		const char *workload;
		const char *id;
		enum mkt_verdict want;
		const char *reason; /* NULL: none expected */
	} rows[] = {
		{ "impact: moderate\nservice_models: [IaaS]", "AUTH_HIGH",
		    MKT_ELIGIBLE, NULL },
		{ "impact: moderate\nservice_models: [IaaS]", "AUTH_MOD",
		    MKT_ELIGIBLE, NULL },
		{ "impact: high\nservice_models: [IaaS]", "AUTH_MOD",
		    MKT_NOT_ELIGIBLE, "below the workload's 'High'" },
		{ "impact: moderate", "READY_HIGH", MKT_NOT_ELIGIBLE,
		    "'FedRAMP Ready'" },
		{ "impact: moderate", "INPROC", MKT_NOT_ELIGIBLE,
		    "'FedRAMP In Process'" },
		{ "impact: low", "AGENCY", MKT_NOT_ELIGIBLE,
		    "'Agency In Process'" },
		{ "impact: moderate\nservice_models: [IaaS]", "SAAS_HIGH",
		    MKT_NOT_ELIGIBLE, "does not provide IaaS" },
		{ "impact: moderate\nservice_models: [SaaS]", "SAAS_HIGH",
		    MKT_ELIGIBLE, NULL },
		{ "impact: moderate\nservice_models: [IaaS, PaaS]", "AUTH_MOD",
		    MKT_NOT_ELIGIBLE, "does not provide PaaS" },
		/* A 20x level is compared by its level. */
		{ "impact: moderate", "X20_MOD", MKT_ELIGIBLE, NULL },
		{ "impact: high", "X20_MOD", MKT_NOT_ELIGIBLE,
		    "authorized at '20x Moderate'" },
		{ "impact: low", "X20_LOW", MKT_ELIGIBLE, NULL },
		{ "impact: low", "LISAAS", MKT_NOT_ELIGIBLE,
		    "authorized at 'LI-SaaS'" },
		{ "impact: li-saas", "LISAAS", MKT_ELIGIBLE, NULL },
		/* Built on a Low offering: not eligible at Moderate. */
		{ "impact: moderate", "ON_LOW", MKT_NOT_ELIGIBLE,
		    "built on 'BASE_LOW'" },
		{ "impact: low", "ON_LOW", MKT_ELIGIBLE, NULL },
		/* Transitively: TOP on MID on BASE_LOW. */
		{ "impact: moderate", "TOP", MKT_NOT_ELIGIBLE,
		    "built on 'BASE_LOW'" },
		/* Built on a Ready offering. */
		{ "impact: moderate", "ON_READY", MKT_NOT_ELIGIBLE,
		    "built on 'READY_HIGH'" },
		/* A cycle of leverage terminates. */
		{ "impact: moderate", "CYC1", MKT_ELIGIBLE, NULL },
		/* Unknown values: never taken for known ones. */
		{ "impact: moderate", "UNK_STATUS", MKT_INCOMPLETE,
		    "not taken as an authorization" },
		{ "impact: moderate", "UNK_LEVEL", MKT_INCOMPLETE,
		    "'IL5' is not one rampart knows" },
		{ "impact: moderate\nservice_models: [IaaS]", "UNK_MODEL",
		    MKT_NOT_ELIGIBLE, "does not provide IaaS" },
		{ "impact: moderate\nservice_models: [SaaS]", "UNK_MODEL",
		    MKT_ELIGIBLE, NULL },
		/* Unknown status but a too-low level: blocked anyway. */
		{ "impact: high", "UNK_STATUS", MKT_NOT_ELIGIBLE,
		    "below the workload's 'High'" },
	};
	struct strbuf sb;
	struct diag d;
	struct mkt_feed *f;
	struct mkt_workload *w;
	struct arena *a;
	struct mkt_placement p;
	const struct mkt_candidate *c;
	char yaml[256];
	size_t i, j;

	(void)state;
	sb_init(&sb);
	off(&sb, "AUTH_HIGH", "FedRAMP Authorized", "High",
	    "\"IaaS\",\"PaaS\",\"SaaS\"", "");
	off(&sb, "AUTH_MOD", "FedRAMP Authorized", "Moderate", "\"IaaS\"", "");
	off(&sb, "READY_HIGH", "FedRAMP Ready", "High", "\"IaaS\"",
	    "{\"id\":\"ON_READY\"}");
	off(&sb, "INPROC", "FedRAMP In Process", "High", "\"IaaS\"", "");
	off(&sb, "AGENCY", "Agency In Process", "High", "\"IaaS\"", "");
	off(&sb, "SAAS_HIGH", "FedRAMP Authorized", "High", "\"SaaS\"", "");
	off(&sb, "X20_MOD", "FedRAMP Authorized", "20x Moderate", "\"SaaS\"",
	    "");
	off(&sb, "X20_LOW", "FedRAMP Authorized", "20x Low", "\"SaaS\"", "");
	off(&sb, "LISAAS", "FedRAMP Authorized", "LI-SaaS", "\"SaaS\"", "");
	off(&sb, "BASE_LOW", "FedRAMP Authorized", "Low", "\"IaaS\"",
	    "{\"id\":\"ON_LOW\"},{\"id\":\"MID\"}");
	off(&sb, "ON_LOW", "FedRAMP Authorized", "High", "\"SaaS\"", "");
	off(&sb, "MID", "FedRAMP Authorized", "High", "\"PaaS\"",
	    "{\"id\":\"TOP\"}");
	off(&sb, "TOP", "FedRAMP Authorized", "High", "\"SaaS\"", "");
	off(&sb, "ON_READY", "FedRAMP Authorized", "High", "\"SaaS\"", "");
	off(&sb, "CYC1", "FedRAMP Authorized", "High", "\"SaaS\"",
	    "{\"id\":\"CYC2\"}");
	off(&sb, "CYC2", "FedRAMP Authorized", "High", "\"SaaS\"",
	    "{\"id\":\"CYC1\"}");
	off(&sb, "UNK_STATUS", "FedRAMP Authorised (Provisional)", "Moderate",
	    "\"SaaS\"", "");
	off(&sb, "UNK_LEVEL", "FedRAMP Authorized", "IL5", "\"SaaS\"", "");
	off(&sb, "UNK_MODEL", "FedRAMP Authorized", "High", "\"SaaS\",\"DaaS\"",
	    "");
	diag_init(&d);
	f = load_products(&d, &sb);
	assert_non_null(f);
	/* Every unknown value is reported, with its position. */
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(f->nunknown, 3);
	assert_diag_has(
	    &d, "unknown status 'FedRAMP Authorised (Provisional)'");
	assert_diag_has(&d, "unknown impact level 'IL5'");
	assert_diag_has(&d, "unknown service model 'DaaS'");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(yaml, sizeof(yaml), "name: t\n%s\n", rows[i].workload);
		w = workload(&d, yaml);
		assert_non_null(w);
		a = arena_new();
		assert_int_equal(mkt_decide(a, f, w, NULL, 0, 0, &p), 0);
		c = cand(&p, rows[i].id);
		assert_non_null(c);
		if (c->decision != rows[i].want) {
			for (j = 0; j < c->nreasons; j++)
				print_message("  %s\n", c->reasons[j]);
			fail_msg("row %zu (%s): got %s", i, rows[i].id,
			    mkt_verdict_name(c->decision));
		}
		if (rows[i].reason != NULL && !has_reason(c, rows[i].reason))
			fail_msg("row %zu (%s): no reason '%s'", i, rows[i].id,
			    rows[i].reason);
		if (rows[i].want == MKT_ELIGIBLE)
			assert_int_equal(c->nreasons, 0);
		/* Ranking: eligible before incomplete before the rest. */
		for (j = 1; j < p.n; j++)
			assert_true((p.v[j - 1].decision == MKT_ELIGIBLE) >=
			    (p.v[j].decision == MKT_ELIGIBLE));
		arena_free(a);
		mkt_workload_free(w);
	}
	mkt_feed_free(f);
	diag_free(&d);
	sb_free(&sb);
}

/*
 * The whole class: every status x level x model set x workload level x
 * required models.  Eligible exactly when the status is FedRAMP
 * Authorized, the level covers the workload's and every required model is
 * provided; never eligible otherwise.
 */
static void
decide_exhaustive(void **state)
{
	static const char *const st[] = { "FedRAMP Authorized", "FedRAMP Ready",
		"FedRAMP In Process", "Agency In Process", "FedRAMP authorized",
		"" };
	static const char *const lv[] = { "LI-SaaS", "Low", "Moderate", "High",
		"20x Low", "20x Moderate", "20x High", "high", "Moderate " };
	static const char *const wl[] = { "li-saas", "low", "moderate",
		"high" };
	static const char *const mnames[] = { "IaaS", "PaaS", "SaaS" };
	struct strbuf sb, models;
	struct diag d;
	struct mkt_feed *f;
	struct mkt_workload *w;
	struct arena *a;
	struct mkt_placement p;
	const struct mkt_candidate *c;
	const struct mkt_offering *o;
	char id[32], yaml[256], req[64];
	size_t si, li, m, k, wi, rm, n = 0;
	int want, rl;

	(void)state;
	sb_init(&sb);
	for (si = 0; si < sizeof(st) / sizeof(st[0]); si++)
		for (li = 0; li < sizeof(lv) / sizeof(lv[0]); li++)
			for (m = 0; m < 8; m++) {
				sb_init(&models);
				for (k = 0; k < 3; k++)
					if (m & (1u << k))
						sb_printf(&models, "%s\"%s\"",
						    models.len ? "," : "",
						    mnames[k]);
				snprintf(
				    id, sizeof(id), "O%zu_%zu_%zu", si, li, m);
				off(&sb, id, st[si], lv[li],
				    models.s ? models.s : "", "");
				sb_free(&models);
			}
	diag_init(&d);
	f = load_products(&d, &sb);
	assert_non_null(f);
	for (wi = 0; wi < 4; wi++)
		for (rm = 0; rm < 8; rm++) {
			req[0] = '\0';
			for (k = 0; k < 3; k++)
				if (rm & (1u << k))
					snprintf(req + strlen(req),
					    sizeof(req) - strlen(req), "%s%s",
					    req[0] ? ", " : "", mnames[k]);
			snprintf(yaml, sizeof(yaml),
			    "name: t\nimpact: %s\n%s%s%s", wl[wi],
			    rm ? "service_models: [" : "", req,
			    rm ? "]\n" : "");
			w = workload(&d, yaml);
			assert_non_null(w);
			a = arena_new();
			assert_int_equal(
			    mkt_decide(a, f, w, NULL, 0, 0, &p), 0);
			assert_int_equal(p.n, f->n);
			for (k = 0; k < p.n; k++) {
				c = &p.v[k];
				o = c->o;
				rl = strstr(o->impact_level, "LI-SaaS") ? 1
				    : strcmp(o->impact_level, "Low") == 0 ||
					strcmp(o->impact_level, "20x Low") == 0
				    ? 2
				    : strcmp(o->impact_level, "Moderate") ==
					    0 ||
					strcmp(o->impact_level,
					    "20x Moderate") == 0
				    ? 3
				    : strcmp(o->impact_level, "High") == 0 ||
					strcmp(o->impact_level, "20x High") == 0
				    ? 4
				    : 0;
				want = strcmp(o->status,
					   "FedRAMP Authorized") == 0 &&
				    rl >= (int)wi + 1 && (o->models & rm) == rm;
				if (want != (c->decision == MKT_ELIGIBLE))
					fail_msg("%s for %s/%zu: %s", o->id,
					    wl[wi], rm,
					    mkt_verdict_name(c->decision));
				/* Blocked only when something known blocks. */
				if (c->decision == MKT_INCOMPLETE)
					assert_true(o->st == MKT_ST_UNKNOWN ||
					    o->level == MKT_LVL_UNKNOWN);
				n++;
			}
			arena_free(a);
			mkt_workload_free(w);
		}
	assert_int_equal(n, 6 * 9 * 8 * 4 * 8);
	mkt_feed_free(f);
	diag_free(&d);
	sb_free(&sb);
}

/* Evidence: every verdict x matching or other baseline. */
static void
decide_evidence(void **state)
{
	static const struct {
		const char *baseline, *verdict;
		enum mkt_verdict want;
		const char *reason;
	} rows[] = {
		{ "fedramp-moderate", "eligible", MKT_ELIGIBLE, NULL },
		{ "fedramp-moderate", "not_eligible", MKT_NOT_ELIGIBLE,
		    "is 'not_eligible'" },
		{ "fedramp-moderate", "incomplete", MKT_INCOMPLETE,
		    "is incomplete" },
		{ "fedramp-high", "eligible", MKT_NOT_ELIGIBLE,
		    "for baseline 'fedramp-high'" },
		{ "fedramp-low", "eligible", MKT_NOT_ELIGIBLE,
		    "for baseline 'fedramp-low'" },
		{ "fedramp-low", "incomplete", MKT_NOT_ELIGIBLE,
		    "for baseline 'fedramp-low'" },
		{ "fedramp-moderate", "passed", MKT_NOT_ELIGIBLE, "'passed'" },
	};
	struct strbuf sb;
	struct diag d;
	struct mkt_feed *f;
	struct mkt_workload *w;
	struct arena *a;
	struct mkt_placement p;
	struct mkt_evidence ev;
	const struct mkt_candidate *c;
	size_t i;

	(void)state;
	sb_init(&sb);
	off(&sb, "A", "FedRAMP Authorized", "High", "\"IaaS\"", "");
	off(&sb, "B", "FedRAMP Authorized", "Moderate", "\"IaaS\"", "");
	diag_init(&d);
	assert_non_null(f = load_products(&d, &sb));
	assert_non_null(w = workload(&d, "name: t\nimpact: moderate\n"));
	assert_string_equal(w->baseline, "fedramp-moderate");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&ev, 0, sizeof(ev));
		ev.offering_id = "A";
		ev.path = "a.json";
		ev.baseline_id = rows[i].baseline;
		ev.verdict = rows[i].verdict;
		a = arena_new();
		assert_int_equal(mkt_decide(a, f, w, &ev, 1, 0, &p), 0);
		c = cand(&p, "A");
		assert_ptr_equal(c->evidence, &ev);
		if (c->decision != rows[i].want)
			fail_msg("row %zu: got %s", i,
			    mkt_verdict_name(c->decision));
		if (rows[i].reason != NULL)
			assert_true(has_reason(c, rows[i].reason));
		/* B has no evidence and stays eligible: the overall verdict
		 * is eligible whatever A's evidence says. */
		assert_int_equal(cand(&p, "B")->decision, MKT_ELIGIBLE);
		assert_int_equal(p.verdict, MKT_ELIGIBLE);
		arena_free(a);
	}
	/* Alone, incomplete evidence makes the placement incomplete. */
	mkt_workload_free(w);
	assert_non_null(w = workload(&d, "name: t\nimpact: high\n"));
	ev.baseline_id = "fedramp-high";
	ev.verdict = "incomplete";
	a = arena_new();
	assert_int_equal(mkt_decide(a, f, w, &ev, 1, 0, &p), 0);
	assert_int_equal(p.verdict, MKT_INCOMPLETE);
	ev.verdict = "not_eligible";
	assert_int_equal(mkt_decide(a, f, w, &ev, 1, 0, &p), 0);
	assert_int_equal(p.verdict, MKT_NOT_ELIGIBLE);
	ev.verdict = "eligible";
	assert_int_equal(mkt_decide(a, f, w, &ev, 1, 0, &p), 0);
	assert_int_equal(p.verdict, MKT_ELIGIBLE);
	arena_free(a);
	mkt_workload_free(w);
	mkt_feed_free(f);
	diag_free(&d);
	sb_free(&sb);
}

/* -------------------------------------------------------- malformed */

static void
malformed_feeds(void **state)
{
	static const struct {
		const char *text, *msg;
	} rows[] = {
		{ "[]", "not a JSON object" },
		{ "{\"data\":{\"Products\":[]}}", "'meta' is missing" },
		{ "{\"meta\":{\"last_change\":\"yesterday\"},\"data\":{}}",
		    "not an RFC 3339 time" },
		{ "{\"meta\":{\"last_change\":\"" T0 "\"}}",
		    "'data' is missing" },
		{ "{\"meta\":{\"last_change\":\"" T0
		  "\"},\"data\":{\"Products\":"
		  "{}}}",
		    "'data.Products' is missing or not a list" },
		{ "{\"meta\":{\"last_change\":\"" T0
		  "\"},\"data\":{\"Products\":"
		  "[]}}",
		    "lists no offerings" },
		{ "{\"meta\":{\"last_change\":\"" T0
		  "\"},\"data\":{\"Products\":"
		  "[{\"csp\":\"x\"}]}}",
		    "'id' is missing" },
		{ "{\"meta\":{\"last_change\":\"" T0
		  "\"},\"data\":{\"Products\":"
		  "[{\"id\":\"A\",\"csp\":\"x\",\"cso\":\"y\",\"status\":1,"
		  "\"impact_level\":\"High\"}]}}",
		    "'status' is missing or not a string" },
		{ "{\"meta\":{\"last_change\":\"" T0
		  "\"},\"data\":{\"Products\":"
		  "[{\"id\":\"A\",\"csp\":\"x\",\"cso\":\"y\",\"status\":\"s\","
		  "\"impact_level\":\"High\",\"service_model\":\"IaaS\","
		  "\"leveraged_systems\":[]}]}}",
		    "'service_model' is missing or not a list" },
		{ "{\"meta\":{\"last_change\":\"" T0
		  "\"},\"data\":{\"Products\":"
		  "[{\"id\":\"A\",\"csp\":\"x\",\"cso\":\"y\",\"status\":\"s\","
		  "\"impact_level\":\"High\",\"service_model\":[],"
		  "\"leveraged_systems\":[{\"name\":\"B\"}]}]}}",
		    "a leveraged system has no string 'id'" },
		{ "{\"meta\":{\"last_change\":\"" T0
		  "\"},\"data\":{\"Products\":"
		  "[{\"id\":\"A\",\"csp\":\"x\",\"cso\":\"y\",\"status\":\"s\","
		  "\"impact_level\":\"High\",\"service_model\":[],"
		  "\"leveraged_systems\":[]},{\"id\":\"A\",\"csp\":\"x\","
		  "\"cso\":\"y\",\"status\":\"s\",\"impact_level\":\"High\","
		  "\"service_model\":[],\"leveraged_systems\":[]}]}}",
		    "duplicate offering id 'A'" },
		{ "{\"rampart_marketplace\":2}", "unsupported compact feed" },
		{ "{\"rampart_marketplace\":1,\"source\":{\"last_change\":\"" T0
		  "\",\"sha256\":\"abc\"},\"offerings\":[]}",
		    "'source.sha256' is missing or not 64 hex digits" },
		{ "{\"meta\":{\"last_change\":\"" T0
		  "\"},\"data\":{\"Products\":"
		  "[{\"id\":\"A\"",
		    "" },
	};
	struct diag d;
	struct mkt_feed *f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		diag_init(&d);
		f = load_text(&d, rows[i].text);
		if (f != NULL)
			fail_msg("row %zu loaded", i);
		assert_true(d.nerrors > 0);
		assert_diag_has(&d, rows[i].msg);
		diag_free(&d);
	}
}

static void
workload_errors(void **state)
{
	static const struct {
		const char *yaml, *msg;
	} rows[] = {
		{ "impact: moderate\n", "'name' is missing" },
		{ "name: x\n", "'impact' is missing" },
		{ "name: x\nimpact: medium\n", "unknown impact 'medium'" },
		{ "name: x\nimpact: Moderate\n", "unknown impact 'Moderate'" },
		{ "name: x\nimpact: high\nservice_models: [IaaS, FaaS]\n",
		    "unknown service model 'FaaS'" },
		{ "name: x\nimpact: high\nservice_models: []\n",
		    "not a non-empty list" },
		{ "name: x\nimpact: high\nprovider: [Amazon]\n",
		    "unknown workload key 'provider'" },
		{ "name: x\nimpact: high\nproviders: Amazon\n",
		    "'providers' is not a non-empty list" },
		{ "- name: x\n", "a workload is a map" },
	};
	struct diag d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		diag_init(&d);
		if (workload(&d, rows[i].yaml) != NULL)
			fail_msg("row %zu loaded", i);
		assert_diag_has(&d, rows[i].msg);
		diag_free(&d);
	}
}

/* -------------------------------------------------------- real feed */

static void
real_feed_decisions(void **state)
{
	struct diag d;
	struct mkt_feed *f;
	struct mkt_workload *w;
	struct arena *a;
	struct mkt_placement p;
	const struct mkt_candidate *c;

	(void)state;
	diag_init(&d);
	f = mkt_feed_load(&d, SHIPPED);
	assert_non_null(f);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(f->n, 642);
	assert_true(f->compact);
	assert_string_equal(f->last_change, T0);
	assert_int_equal(f->nunknown, 0);

	/* Moderate IaaS at the large providers. */
	w = workload(&d,
	    "name: m\nimpact: moderate\nservice_models: [IaaS]\n"
	    "providers: [Amazon, Microsoft, Google, Google LLC, Akamai]\n");
	assert_non_null(w);
	a = arena_new();
	assert_int_equal(mkt_decide(a, f, w, NULL, 0, f->last_change_t, &p), 0);
	assert_int_equal(cand(&p, "AGENCYAMAZONEW")->decision, MKT_ELIGIBLE);
	assert_int_equal(cand(&p, "F1603047866")->decision, MKT_ELIGIBLE);
	assert_int_equal(cand(&p, "F1603087869")->decision, MKT_ELIGIBLE);
	assert_int_equal(cand(&p, "FR1805751477")->decision, MKT_ELIGIBLE);
	/* Akamai Cloud and Google Cloud VMware Engine: only Ready. */
	c = cand(&p, "FR2535161278");
	assert_int_equal(c->decision, MKT_NOT_ELIGIBLE);
	assert_true(has_reason(c, "'FedRAMP Ready'"));
	assert_int_equal(cand(&p, "FR2405153785")->decision, MKT_NOT_ELIGIBLE);
	/* Google Workspace covers SaaS only. */
	c = cand(&p, "F1206081364");
	assert_int_equal(c->decision, MKT_NOT_ELIGIBLE);
	assert_true(has_reason(c, "does not provide IaaS"));
	/* Gemini for Government: "20x Low", shown as such. */
	c = cand(&p, "FR2604952026");
	assert_string_equal(c->o->impact_level, "20x Low");
	assert_true(c->o->is_20x);
	assert_true(has_reason(c, "authorized at '20x Low'"));
	assert_int_equal(p.verdict, MKT_ELIGIBLE);
	assert_false(p.feed_stale);
	assert_int_equal(p.v[0].decision, MKT_ELIGIBLE);
	arena_free(a);
	mkt_workload_free(w);

	/* High: AWS US East/West is Moderate only; GovCloud is High. */
	w = workload(&d,
	    "name: h\nimpact: high\nservice_models: [IaaS, "
	    "PaaS]\nproviders: [amazon]\n");
	a = arena_new();
	assert_int_equal(
	    mkt_decide(a, f, w, NULL, 0, f->last_change_t + 91 * 86400, &p), 0);
	assert_true(p.feed_stale);
	assert_int_equal(p.feed_age_days, 91);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].o->id, "F1603047866");
	assert_int_equal(p.v[0].decision, MKT_ELIGIBLE);
	c = cand(&p, "AGENCYAMAZONEW");
	assert_int_equal(c->decision, MKT_NOT_ELIGIBLE);
	assert_true(has_reason(c, "authorized at 'Moderate', below"));
	arena_free(a);
	mkt_workload_free(w);

	/* A leveraged chain: Medallia GovCloud (High) is built on Akamai
	 * Content Delivery Services (Moderate). */
	w = workload(&d,
	    "name: h\nimpact: high\nservice_models: [SaaS]\n"
	    "providers: ['Medallia, Inc.']\n");
	a = arena_new();
	assert_int_equal(mkt_decide(a, f, w, NULL, 0, f->last_change_t, &p), 0);
	c = cand(&p, "FR1711262842");
	assert_non_null(c);
	assert_int_equal(c->decision, MKT_NOT_ELIGIBLE);
	assert_true(has_reason(c, "built on 'F1206061353'"));
	assert_true(c->nbases >= 2);
	arena_free(a);
	mkt_workload_free(w);
	/* The same offering at Moderate: the chain is fine. */
	w = workload(&d,
	    "name: m\nimpact: moderate\nservice_models: "
	    "[SaaS]\nproviders: ['Medallia, Inc.']\n");
	a = arena_new();
	assert_int_equal(mkt_decide(a, f, w, NULL, 0, f->last_change_t, &p), 0);
	assert_int_equal(cand(&p, "FR1711262842")->decision, MKT_ELIGIBLE);
	arena_free(a);
	mkt_workload_free(w);
	mkt_feed_free(f);
	diag_free(&d);
}

/*
 * The compact copy is what `marketplace import` makes of ../shared's
 * feed, byte for byte, and says the same about every offering.
 */
static void
compact_matches_source(void **state)
{
	const char *sh = test_shared_dir();
	char src[4096], *a = NULL, *b = NULL;
	struct diag d;
	struct mkt_feed *f, *g;
	FILE *fp;
	size_t alen, blen, i;

	(void)state;
	if (sh == NULL)
		skip();
	snprintf(src, sizeof(src), "%s/data/fedramp/marketplace/data.json", sh);
	diag_init(&d);
	f = mkt_feed_load(&d, src);
	assert_non_null(f);
	assert_false(f->compact);
	fp = open_memstream(&a, &alen);
	assert_int_equal(mkt_feed_write_compact(f, fp), 0);
	fclose(fp);
	assert_int_equal(file_read_all(&d, SHIPPED, 0, &b, &blen), 0);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	g = mkt_feed_load(&d, SHIPPED);
	assert_non_null(g);
	assert_string_equal(g->source_sha256, f->sha256);
	assert_string_equal(g->last_change, f->last_change);
	assert_int_equal(g->n, f->n);
	for (i = 0; i < f->n; i++) {
		assert_string_equal(g->v[i].id, f->v[i].id);
		assert_string_equal(g->v[i].status, f->v[i].status);
		assert_string_equal(g->v[i].impact_level, f->v[i].impact_level);
		assert_int_equal(g->v[i].models, f->v[i].models);
		assert_int_equal(g->v[i].nleveraged, f->v[i].nleveraged);
	}
	free(a);
	lib_free(b);
	mkt_feed_free(f);
	mkt_feed_free(g);
	diag_free(&d);
}

/*
 * Each allocation failing in turn: loading a feed and a workload and
 * deciding fail cleanly (an error, no result), never with a partial
 * decision that could read as eligible.
 */
static void
alloc_failures(void **state)
{
	struct strbuf sb;
	struct diag d;
	struct mkt_feed *f;
	struct mkt_workload *w;
	struct arena *a;
	struct mkt_placement p;
	char *feedp, *wlp;
	long k;
	int done = 0, rc;

	(void)state;
	sb_init(&sb);
	sb_adds(&sb,
	    "{\"meta\":{\"last_change\":\"" T0 "\"},\"data\":"
	    "{\"Products\":[");
	{
		struct strbuf pr;

		sb_init(&pr);
		off(&pr, "A", "FedRAMP Authorized", "High", "\"IaaS\"",
		    "{\"id\":\"B\"}");
		off(&pr, "B", "FedRAMP Authorized", "Low", "\"SaaS\"", "");
		off(&pr, "C", "FedRAMP Ready", "Moderate", "\"IaaS\"",
		    "{\"id\":\"B\"}");
		sb_adds(&sb, pr.s);
		sb_free(&pr);
	}
	sb_adds(&sb, "]}}");
	feedp = tmpfile_with(sb.s);
	wlp = tmpfile_with("name: t\nimpact: moderate\nservice_models: "
			   "[IaaS]\nproviders: [CSP A, CSP C]\n");
	for (k = 1; !done && k < 100000; k++) {
		diag_init(&d);
		f = NULL;
		w = NULL;
		a = NULL;
		lib_alloc_fail_at(k);
		rc = -1;
		if ((f = mkt_feed_load(&d, feedp)) != NULL &&
		    (w = mkt_workload_load(&d, wlp)) != NULL &&
		    (a = arena_new()) != NULL)
			rc = mkt_decide(a, f, w, NULL, 0, 0, &p);
		done = lib_alloc_count() < k;
		lib_alloc_fail_at(0);
		if (rc == 0) {
			/* Only a full decision: A eligible, C not. */
			assert_int_equal(p.n, 2);
			assert_int_equal(p.count[MKT_ELIGIBLE], 1);
			assert_string_equal(p.v[0].o->id, "A");
		} else {
			assert_true(d.nerrors > 0 || a == NULL ||
			    (f != NULL && w != NULL));
		}
		arena_free(a);
		mkt_workload_free(w);
		mkt_feed_free(f);
		diag_free(&d);
	}
	assert_true(done);
	print_message("%ld allocations\n", k - 1);
	unlink(feedp);
	unlink(wlp);
	free(feedp);
	free(wlp);
	sb_free(&sb);
}

/* Feed text is untrusted: every writer escapes it for its format. */
static void
writers_escape(void **state)
{
	static const char *const fmts[] = { "html", "json", "markdown",
		"text" };
	struct strbuf sb;
	struct diag d;
	struct mkt_feed *f;
	struct mkt_workload *w;
	struct arena *a;
	struct mkt_placement p;
	struct placement_report pr;
	char *out;
	size_t len, i;
	FILE *fp;

	(void)state;
	sb_init(&sb);
	sb_adds(&sb,
	    "{\"id\":\"E\",\"csp\":\"Evil <script>alert(1)"
	    "</script>\",\"cso\":\"a|b\\u001b[2J\\r\\nc\",\"status\":"
	    "\"FedRAMP Ready\",\"impact_level\":\"High\","
	    "\"service_model\":[\"IaaS\"],\"leveraged_systems\":[]}");
	diag_init(&d);
	assert_non_null(f = load_products(&d, &sb));
	assert_non_null(w = workload(&d, "name: '<b>x</b>'\nimpact: low\n"));
	a = arena_new();
	assert_int_equal(mkt_decide(a, f, w, NULL, 0, 0, &p), 0);
	memset(&pr, 0, sizeof(pr));
	pr.feed = f;
	pr.w = w;
	pr.p = &p;
	pr.tool_version = "t";
	for (i = 0; i < 4; i++) {
		out = NULL;
		fp = open_memstream(&out, &len);
		assert_int_equal(
		    placement_writer_find(fmts[i])->write(fp, &pr), 0);
		fclose(fp);
		/* No raw terminal escape in any format; no carriage return
		 * where it would break a line or a table row (HTML text may
		 * hold one harmlessly). */
		if (memchr(out, 0x1b, len) != NULL)
			fail_msg("%s: raw ESC", fmts[i]);
		if (strcmp(fmts[i], "html") != 0 &&
		    memchr(out, '\r', len) != NULL)
			fail_msg("%s: raw CR", fmts[i]);
		if (strcmp(fmts[i], "html") == 0) {
			assert_null(strstr(out, "<script>"));
			assert_null(strstr(out, "<b>x"));
			assert_non_null(strstr(out, "&lt;script&gt;"));
		}
		if (strcmp(fmts[i], "markdown") == 0)
			assert_non_null(strstr(out, "a\\|b"));
		free(out);
	}
	arena_free(a);
	mkt_workload_free(w);
	mkt_feed_free(f);
	diag_free(&d);
	sb_free(&sb);
}

static void
writers_sorted(void **state)
{
	(void)state;
	assert_non_null(placement_writer_find("html"));
	assert_non_null(placement_writer_find("json"));
	assert_non_null(placement_writer_find("markdown"));
	assert_non_null(placement_writer_find("text"));
	assert_null(placement_writer_find("sarif"));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decide_table),
		cmocka_unit_test(decide_exhaustive),
		cmocka_unit_test(decide_evidence),
		cmocka_unit_test(malformed_feeds),
		cmocka_unit_test(workload_errors),
		cmocka_unit_test(real_feed_decisions),
		cmocka_unit_test(compact_matches_source),
		cmocka_unit_test(alloc_failures),
		cmocka_unit_test(writers_escape),
		cmocka_unit_test(writers_sorted),
	};

	RUN_TESTS("marketplace", tests, argc, argv);
}
