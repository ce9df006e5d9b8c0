/*
 * test_oscal_out.c: the OSCAL assessment plan, results and POA&M, and the
 * POA&M CSV, over a real scan of examples/aws-export with the example
 * baseline and examples/poam.yaml (reports/oscal_*.c, poam_csv.c).
 *
 * - every failed or errored listed result is exactly one open POA&M item
 *   (by fingerprint), except failures that an unexpired item with an
 *   approved deviation closes; errors are never closed;
 * - a POA&M file item lends its id, dates, milestones and deviation to
 *   the findings it matches (an expired one still does, and the finding
 *   is open);
 * - --previous carries the original detection date by fingerprint, and
 *   a previous file with a bad date is refused;
 * - every OSCAL document is byte-identical across renders at a fixed
 *   time, with version 5 UUIDs, unique within the document;
 * - CSV cells that a spreadsheet would run as formulas are defused.
 */
#include "tests/unit/testutil.h"

#include "reports/report.h"

#define T0 1796083200 /* 2026-12-01T00:00:00Z */
#define T0_TEXT "2026-12-01T00:00:00Z"

struct fx {
	struct rule_set *rs;
	struct baseline *bl;
	struct poam *poam;
	struct run *r;
	struct diag d;
};

static void
print_diag(const struct diag *d)
{
	char buf[2048];
	size_t i;

	for (i = 0; i < d->n; i++) {
		diag_format(d, i, buf, sizeof(buf));
		print_message("%s\n", buf);
	}
}

/* Scan the example export with the example baseline (and POA&M file). */
static struct fx *
scan_max(const char *poam_path, int64_t now, size_t max_results)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct run_opts ro;

	assert_non_null(f);
	setenv("RAMPART_RULES_DIR", "rules", 1);
	diag_init(&f->d);
	f->rs = rule_set_new();
	assert_non_null(f->rs);
	if (rule_set_load_shipped(f->rs, &f->d) != 0)
		print_diag(&f->d);
	assert_int_equal(f->d.nerrors, 0);
	f->bl = baseline_load(&f->d, "rules/baselines/example.yaml", f->rs);
	if (f->bl == NULL)
		print_diag(&f->d);
	assert_non_null(f->bl);
	if (poam_path != NULL) {
		f->poam = poam_load(&f->d, poam_path);
		if (f->poam == NULL ||
		    poam_validate(f->poam, f->bl, f->rs, &f->d) == -1)
			print_diag(&f->d);
		assert_non_null(f->poam);
	}
	memset(&ro, 0, sizeof(ro));
	ro.now = now;
	ro.max_results = max_results;
	ro.max_evidence_age = 0;
	load_limits_default(&ro.lim);
	f->r = run_new(&f->d, f->bl, f->rs, f->poam, &ro);
	assert_non_null(f->r);
	if (run_input(f->r, "examples/aws-export", NULL) == -1)
		print_diag(&f->d);
	assert_int_equal(run_finish(f->r), 0);
	return f;
}

static struct fx *
scan(const char *poam_path, int64_t now)
{
	return scan_max(poam_path, now, 0);
}

static char *
write_tmp(const char *text, size_t len)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/rampart-oscal-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static void
fx_free(struct fx *f)
{
	run_free(f->r);
	poam_free(f->poam);
	baseline_free(f->bl);
	rule_set_free(f->rs);
	diag_free(&f->d);
	free(f);
}

static char *
render(const struct fx *f, const char *fmt, const struct report_opts *o,
    size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	assert_non_null(fp);
	assert_int_equal(writer_find(fmt)->write(fp, &f->r->as, o), 0);
	assert_int_equal(fclose(fp), 0);
	if (len != NULL)
		*len = n;
	return buf;
}

static void
opts(struct report_opts *o, int64_t t)
{
	memset(o, 0, sizeof(*o));
	o->fixed_time = t;
	o->tool_version = "test";
	o->assessor = "Jane Assessor";
	o->system = "Example Cloud";
}

/* The open item with fingerprint fp, or NULL. */
static const struct poam_open *
find_fp(const struct poam_open *v, size_t n, const char *fp,
    const struct check_outcome *co)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].fingerprint, fp) == 0 && v[i].check == co)
			return &v[i];
	return NULL;
}

/*
 * Whether res is closed: every control binding the check has, as its
 * first unexpired covering item, one with an approved deviation.
 */
static int
closed(const struct run *r, const struct check_outcome *o,
    const struct check_result *res, int64_t now)
{
	size_t c, j, i, nbound = 0;

	if (r->as.poam == NULL || res->status != ST_FAIL)
		return 0;
	for (c = 0; c < r->as.ncontrols; c++) {
		const struct control_outcome *co = &r->as.controls[c];
		const struct poam_item *cover = NULL;

		for (j = 0; j < co->nchecks; j++)
			if (co->checks[j].outcome == o)
				break;
		if (j == co->nchecks)
			continue;
		nbound++;
		for (i = 0; i < r->as.poam->n && cover == NULL; i++) {
			const struct poam_item *it = &r->as.poam->items[i];

			if (strcmp(it->control, co->control->id) == 0 &&
			    it->expires > now &&
			    (it->check == NULL ||
				strcmp(it->check, o->rule->id) == 0) &&
			    (it->resource == NULL ||
				glob_match(it->resource, res->resource_id)))
				cover = it;
		}
		if (cover == NULL || cover->deviation == POAM_DEV_NONE)
			return 0;
	}
	return nbound > 0;
}

/*
 * The class, over every check and result of the scan: each failed or
 * errored listed result is one item unless closed; passes never are.
 */
static void
check_items(const struct fx *f, const struct report_opts *o, size_t *nclosed)
{
	const struct run *r = f->r;
	struct poam_open *v;
	size_t n, i, k, want = 0;
	char fp[SHA256_HEX_LEN + 1];

	assert_int_equal(report_poam_open(&r->as, o, &v, &n), 0);
	*nclosed = 0;
	for (i = 0; i < r->as.nchecks; i++) {
		const struct check_outcome *co = &r->as.checks[i];

		for (k = 0; k < co->n; k++) {
			const struct check_result *res = &co->results[k];
			const struct poam_open *p;

			report_fingerprint(co->rule->id, res->resource_type,
			    res->resource_id, res->region, fp);
			p = find_fp(v, n, fp, co);
			if (res->status != ST_FAIL && res->status != ST_ERROR) {
				assert_null(p);
				continue;
			}
			if (closed(r, co, res, o->fixed_time)) {
				assert_null(p);
				(*nclosed)++;
				continue;
			}
			if (p == NULL)
				fail_msg("%s on %s: no POA&M item",
				    co->rule->id, res->resource_id);
			assert_true(p->due > p->detected);
			/* A resource listed twice is one item. */
			if (p->res == res)
				want++;
			else
				assert_int_equal(p->res->status == ST_FAIL ||
					p->res->status == ST_ERROR,
				    1);
		}
		if (report_missing(co) != NULL ||
		    (co->n == 0 && co->status == ST_ERROR))
			want++;
	}
	/* Nothing else: no item without a failed or errored finding. */
	assert_int_equal(n, want);
	lib_free(v);
}

static void
test_items_class(void **state)
{
	struct report_opts o;
	struct fx *f;
	size_t nclosed;

	(void)state;
	opts(&o, T0);
	f = scan(NULL, T0);
	check_items(f, &o, &nclosed);
	assert_int_equal(nclosed, 0);
	fx_free(f);
	/* With the example POA&M: its deviation closes failures. */
	f = scan("examples/poam.yaml", T0);
	check_items(f, &o, &nclosed);
	assert_true(nclosed > 0);
	fx_free(f);
}

/* The POA&M file's items lend their fields; deviations close findings. */
static void
test_items_from_poam(void **state)
{
	struct report_opts o;
	struct poam_open *v;
	struct fx *f;
	size_t n, i, nret = 0, nacm = 0;

	(void)state;
	opts(&o, T0);
	f = scan("examples/poam.yaml", T0);
	assert_int_equal(report_poam_open(&f->r->as, &o, &v, &n), 0);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		const char *id = v[i].check->rule->id;

		if (strcmp(id, "aws-logs-retention") == 0 && v[i].res &&
		    strncmp(v[i].res->resource_id, "c7n-test-", 9) == 0 &&
		    v[i].res->status == ST_FAIL)
			nret++;
		if (strcmp(id, "aws-acm-cert-expiry") == 0 &&
		    v[i].res != NULL && v[i].res->status == ST_FAIL) {
			/* The expired item: its id, date and milestones. */
			assert_non_null(v[i].item);
			assert_string_equal(v[i].item->id, "POAM-2024-031");
			assert_int_equal(
			    strncmp(v[i].id, "POAM-2024-031", 13), 0);
			assert_string_equal(v[i].first_seen_how, "poam");
			assert_int_equal(v[i].detected, v[i].item->detected);
			/* RA-5(d): high, 30 days after detection. */
			assert_int_equal(
			    v[i].due, v[i].item->detected + 30 * 86400LL);
			assert_int_equal(v[i].item->nmilestones, 1);
			nacm++;
		}
		if (v[i].item == NULL) {
			assert_string_equal(v[i].first_seen_how, "this-scan");
			assert_int_equal(v[i].detected, T0);
			assert_int_equal(strncmp(v[i].id, "RAMPART-", 8), 0);
		}
	}
	/* The waived log groups (approved deviation) are not open. */
	assert_int_equal(nret, 0);
	assert_true(nacm > 0);
	lib_free(v);
	fx_free(f);
}

/* Failed or errored listed results whose resource was listed before. */
static size_t
dup_results(const struct check_outcome *co)
{
	char a[SHA256_HEX_LEN + 1], b[SHA256_HEX_LEN + 1];
	size_t i, j, n = 0;

	for (i = 0; i < co->n; i++) {
		const struct check_result *x = &co->results[i];

		if (x->status != ST_FAIL && x->status != ST_ERROR)
			continue;
		report_fingerprint(co->rule->id, x->resource_type,
		    x->resource_id, x->region, a);
		for (j = 0; j < i; j++) {
			const struct check_result *y = &co->results[j];

			if (y->status != ST_FAIL && y->status != ST_ERROR)
				continue;
			report_fingerprint(co->rule->id, y->resource_type,
			    y->resource_id, y->region, b);
			if (strcmp(a, b) == 0)
				break;
		}
		if (j < i)
			n++;
	}
	return n;
}

/*
 * Results over --max-results are counted in one item per check, never
 * dropped: listed items plus the counted ones are every failed or
 * errored result of every check, for each cap.
 */
static void
test_unlisted_counted(void **state)
{
	static const size_t caps[] = { 1, 2, 5 };
	struct report_opts o;
	struct poam_open *v;
	struct fx *f;
	size_t c, i, k, n, total, got;

	(void)state;
	opts(&o, T0);
	for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		f = scan_max(NULL, T0, caps[c]);
		assert_int_equal(report_poam_open(&f->r->as, &o, &v, &n), 0);
		for (i = 0; i < f->r->as.nchecks; i++) {
			const struct check_outcome *co = &f->r->as.checks[i];

			total = co->counts[ST_FAIL] + co->counts[ST_ERROR];
			got = 0;
			for (k = 0; k < n; k++) {
				if (v[k].check != co)
					continue;
				if (v[k].res != NULL)
					got++;
				got += v[k].unlisted;
			}
			/* Listed duplicates of one resource are one item. */
			total -= dup_results(co);
			if (got != total)
				fail_msg("cap %zu, %s: %zu of %zu results",
				    caps[c], co->rule->id, got, total);
		}
		/* The cap did cut lists: the counting was exercised. */
		for (k = 0, got = 0; k < n; k++)
			got += v[k].unlisted;
		if (caps[c] == 1)
			assert_true(got > 0);
		lib_free(v);
		fx_free(f);
	}
}

/*
 * A weakness of two controls (aws-ec2-imdsv2: AC-3 and CM-6) is closed
 * only when a deviation covers it for both; one is not enough.
 */
static void
test_deviation_every_control(void **state)
{
	static const char item[] =
	    "  - id: %s\n"
	    "    control: %s\n"
	    "    check: aws-ec2-imdsv2\n"
	    "    severity: critical\n"
	    "    detected: 2026-11-01\n"
	    "    justification: j\n"
	    "    approver: a\n"
	    "    expires: 2027-06-30\n"
	    "    deviation: {type: operational_requirement, approved_by: AO, "
	    "approved: 2026-11-10}\n";
	struct report_opts o;
	struct poam_open *v;
	struct fx *f;
	char text[2048], *path;
	size_t n, i, nimds;
	int len, both;

	(void)state;
	opts(&o, T0);
	for (both = 0; both <= 1; both++) {
		len = snprintf(text, sizeof(text), "items:\n");
		len += snprintf(text + len, sizeof(text) - (size_t)len, item,
		    "P-AC3", "AC-3");
		if (both)
			len += snprintf(text + len, sizeof(text) - (size_t)len,
			    item, "P-CM6", "CM-6");
		path = write_tmp(text, (size_t)len);
		f = scan(path, T0);
		unlink(path);
		assert_int_equal(report_poam_open(&f->r->as, &o, &v, &n), 0);
		for (i = 0, nimds = 0; i < n; i++)
			if (strcmp(v[i].check->rule->id, "aws-ec2-imdsv2") ==
				0 &&
			    v[i].res != NULL && v[i].res->status == ST_FAIL)
				nimds++;
		if (both)
			assert_int_equal(nimds, 0);
		else
			assert_true(nimds > 0);
		lib_free(v);
		fx_free(f);
	}
}

/* The item ids are unique: the CSV's first column keys a spreadsheet. */
static void
test_ids_unique(void **state)
{
	struct report_opts o;
	struct poam_open *v;
	struct fx *f;
	size_t n, i, j;

	(void)state;
	opts(&o, T0);
	f = scan("examples/poam.yaml", T0);
	assert_int_equal(report_poam_open(&f->r->as, &o, &v, &n), 0);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(v[i].id, v[j].id) == 0)
				fail_msg("duplicate POA&M id '%s'", v[i].id);
	lib_free(v);
	fx_free(f);
}

static void
test_previous(void **state)
{
	struct report_opts o;
	struct poam_history *h;
	struct poam_open *v;
	struct fx *f;
	char *s, *path, *bad;
	size_t len, n, i, nprev = 0;
	struct diag d;
	int64_t t;

	(void)state;
	/* A first run at T0 writes the POA&M ... */
	opts(&o, T0);
	f = scan(NULL, T0);
	s = render(f, "oscal-poam", &o, &len);
	path = write_tmp(s, len);
	diag_init(&d);
	h = poam_history_load(&d, path);
	unlink(path);
	if (h == NULL)
		print_diag(&d);
	assert_non_null(h);
	fx_free(f);
	/* ... and a run 40 days later keeps each item's first-seen date. */
	opts(&o, T0 + 40 * 86400LL);
	o.previous = h;
	f = scan(NULL, T0 + 40 * 86400LL);
	assert_int_equal(report_poam_open(&f->r->as, &o, &v, &n), 0);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(poam_history_find(h, v[i].fingerprint, &t), 0);
		assert_int_equal(t, T0);
		assert_int_equal(v[i].detected, T0);
		assert_string_equal(v[i].first_seen_how, "previous");
		nprev++;
	}
	assert_int_equal(nprev, n);
	lib_free(v);
	assert_int_equal(poam_history_find(h, "no-such", &t), -1);
	poam_history_free(h);
	/* A date the strict parser refuses is an error, never "now". */
	bad = strstr(s, T0_TEXT);
	assert_non_null(bad);
	while ((bad = strstr(s, "\"value\": \"" T0_TEXT)) != NULL)
		memcpy(bad + 10, "20261201", 8);
	path = write_tmp(s, len);
	h = poam_history_load(&d, path);
	unlink(path);
	assert_null(h);
	assert_diag_has(&d, "invalid original-detection-date");
	diag_free(&d);
	/* Not a POA&M at all. */
	diag_init(&d);
	path = write_tmp("{\"assessment-results\": {}}", 26);
	assert_null(poam_history_load(&d, path));
	unlink(path);
	assert_diag_has(&d, "not an OSCAL POA&M");
	diag_free(&d);
	free(s);
	fx_free(f);
}

/* Every "uuid" value of a document: version 5, unique. */
static void
check_uuids(const char *s, const char *what)
{
	const char *p = s;
	char **seen = NULL;
	size_t n = 0, i;

	while ((p = strstr(p, "\"uuid\": \"")) != NULL) {
		p += 9;
		assert_true(strlen(p) > 36);
		assert_int_equal(p[36], '"');
		if (p[14] != '5')
			fail_msg("%s: uuid %.36s is not version 5", what, p);
		for (i = 0; i < n; i++)
			if (strncmp(seen[i], p, 36) == 0)
				fail_msg("%s: uuid %.36s twice", what, p);
		seen = realloc(seen, (n + 1) * sizeof(*seen));
		assert_non_null(seen);
		seen[n++] = (char *)p;
	}
	assert_true(n > 0);
	free(seen);
}

static void
test_deterministic(void **state)
{
	static const char *const fmts[] = { "oscal", "oscal-ap", "oscal-poam",
		"poam-csv" };
	struct report_opts o;
	struct fx *f, *g;
	char *a, *b;
	size_t i, la, lb;

	(void)state;
	opts(&o, T0);
	f = scan("examples/poam.yaml", T0);
	g = scan("examples/poam.yaml", T0);
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		const struct writer *w = writer_find(fmts[i]);

		if (w == NULL) /* the plan is the results' companion */
			w = writer_find("oscal")->companion;
		assert_non_null(w);
		a = NULL;
		{
			FILE *fp = open_memstream(&a, &la);

			assert_int_equal(w->write(fp, &f->r->as, &o), 0);
			fclose(fp);
			fp = open_memstream(&b, &lb);
			assert_int_equal(w->write(fp, &g->r->as, &o), 0);
			fclose(fp);
		}
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		if (strcmp(fmts[i], "poam-csv") != 0)
			check_uuids(a, fmts[i]);
		free(a);
		free(b);
	}
	fx_free(f);
	fx_free(g);
}

/* The results: parties, the plan import, collected from the inputs. */
static void
test_results_shape(void **state)
{
	struct report_opts o;
	struct fx *f;
	char *s;

	(void)state;
	opts(&o, T0);
	f = scan(NULL, T0);
	s = render(f, "oscal", &o, NULL);
	assert_non_null(strstr(s, "\"href\": \"" OSCAL_AP_FILENAME "\""));
	assert_non_null(strstr(s, "\"name\": \"Jane Assessor\""));
	assert_non_null(strstr(s, "\"name\": \"Example Cloud\""));
	assert_non_null(strstr(s, "\"inventory-items\""));
	assert_non_null(strstr(s, "\"risks\""));
	assert_non_null(strstr(s, "\"EXAMINE\""));
	assert_non_null(strstr(s, ".json#L"));
	/* The observations' origin is the assessor party of the metadata. */
	{
		const char *party = strstr(s, "\"name\": \"Jane Assessor\"");
		const char *uuid;
		char u[64];

		/* The party object: "uuid" comes before "name". */
		uuid = party;
		while (uuid > s && strncmp(uuid, "\"uuid\": \"", 9) != 0)
			uuid--;
		snprintf(u, sizeof(u), "\"actor-uuid\": \"%.36s\"", uuid + 9);
		assert_non_null(strstr(party, u));
	}
	free(s);
	fx_free(f);
}

static void
test_csv_formula(void **state)
{
	struct report_opts o;
	struct fx *f;
	char *s, *line;
	size_t i, j;

	(void)state;
	opts(&o, T0);
	o.system = "=HYPERLINK(\"http://x\")";
	f = scan(NULL, T0);
	s = render(f, "poam-csv", &o, NULL);
	assert_int_equal(strncmp(s, "\"POAM ID\",\"Controls\",", 21), 0);
	assert_null(strstr(s, ",\"=HYPERLINK"));
	assert_non_null(strstr(s, ",\"'=HYPERLINK(\"\"http://x\"\")\""));
	/* Every row has the header's 27 columns (quotes doubled inside). */
	for (line = s; *line; line = strstr(line, "\r\n") + 2) {
		int inq = 0;

		for (i = 0, j = 1; line[i] && !(line[i] == '\r' && !inq); i++) {
			if (line[i] == '"')
				inq = !inq;
			else if (line[i] == ',' && !inq)
				j++;
		}
		assert_int_equal(j, 27);
	}
	free(s);
	fx_free(f);
}

/*
 * Each allocation of each OSCAL and POA&M writer fails in turn: the
 * writer either fails (-1) or writes exactly what it writes with memory,
 * never a shorter or null-filled document.
 */
static void
test_alloc_failures(void **state)
{
	static const char *const fmts[] = { "oscal", "oscal-ap", "oscal-poam",
		"poam-csv" };
	struct report_opts o;
	struct fx *f;
	size_t i, len, glen;
	char *good, *buf;
	long nth, fails, made;
	int rc;

	(void)state;
	opts(&o, T0);
	f = scan("examples/poam.yaml", T0);
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		const struct writer *w = writer_find(fmts[i]);
		FILE *fp;

		if (w == NULL)
			w = writer_find("oscal")->companion;
		fp = open_memstream(&good, &glen);
		assert_int_equal(w->write(fp, &f->r->as, &o), 0);
		fclose(fp);
		for (nth = 1, fails = 0;; nth++) {
			buf = NULL;
			fp = open_memstream(&buf, &len);
			lib_alloc_fail_at(nth);
			rc = w->write(fp, &f->r->as, &o);
			made = lib_alloc_count();
			lib_alloc_fail_at(0);
			fclose(fp);
			if (rc == 0) {
				if (len != glen || memcmp(buf, good, len) != 0)
					fail_msg("%s: allocation %ld failed, "
						 "output differs",
					    fmts[i], nth);
			} else {
				fails++;
			}
			free(buf);
			/* Past the writer's last allocation: done. */
			if (rc == 0 && made < nth)
				break;
		}
		assert_true(fails > 0);
		print_message("%s: %ld allocations, each failing once\n",
		    fmts[i], nth - 1);
		free(good);
	}
	fx_free(f);
}

/* The optional FedRAMP fields of a POA&M file item; blank ones fail. */
static void
test_poam_yaml_fields(void **state)
{
	static const char good[] =
	    "items:\n"
	    "  - id: P-1\n"
	    "    control: AU-11\n"
	    "    check: aws-logs-retention\n"
	    "    severity: moderate\n"
	    "    detected: 2026-11-02\n"
	    "    justification: legacy\n"
	    "    approver: ISSO\n"
	    "    expires: 2027-01-31\n"
	    "    weakness: short log retention\n"
	    "    description: test log groups keep 7 days\n"
	    "    contact: ops@example.com\n"
	    "    remediation_plan: move them\n"
	    "    resources_required: 1 day\n"
	    "    vendor_dependency: Example 1.0\n"
	    "    milestones:\n"
	    "      - {description: first, due: 2026-12-15}\n"
	    "      - {description: second, due: 2027-01-15}\n"
	    "    deviation:\n"
	    "      type: operational_requirement\n"
	    "      approved_by: AO\n"
	    "      approved: 2026-11-20\n"
	    "      rationale: the tests need it\n";
	static const char *const blanks[] = { "weakness", "description",
		"contact", "remediation_plan", "resources_required",
		"vendor_dependency" };
	char text[sizeof(good) + 64], *path;
	struct poam *p;
	struct diag d;
	size_t i;
	int n;

	(void)state;
	diag_init(&d);
	path = write_tmp(good, sizeof(good) - 1);
	p = poam_load(&d, path);
	if (p == NULL)
		print_diag(&d);
	assert_non_null(p);
	assert_string_equal(p->items[0].weakness, "short log retention");
	assert_string_equal(
	    p->items[0].description, "test log groups keep 7 days");
	assert_string_equal(p->items[0].contact, "ops@example.com");
	assert_string_equal(p->items[0].remediation_plan, "move them");
	assert_string_equal(p->items[0].resources_required, "1 day");
	assert_string_equal(p->items[0].vendor_product, "Example 1.0");
	assert_string_equal(
	    p->items[0].deviation_rationale, "the tests need it");
	assert_int_equal(p->items[0].nmilestones, 2);
	assert_string_equal(p->items[0].milestones[1].description, "second");
	assert_int_equal(p->items[0].milestones[0].due, 1797292800);
	poam_free(p);
	unlink(path);
	/* Each optional field, present but blank, is an error. */
	for (i = 0; i < sizeof(blanks) / sizeof(blanks[0]); i++) {
		n = snprintf(text, sizeof(text),
		    "items:\n  - id: P-1\n    control: AU-11\n"
		    "    justification: j\n    approver: a\n"
		    "    expires: 2027-01-31\n    %s: \"  \"\n",
		    blanks[i]);
		path = write_tmp(text, (size_t)n);
		diag_clear(&d);
		assert_null(poam_load(&d, path));
		assert_diag_has(&d, blanks[i]);
		unlink(path);
	}
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items_class),
		cmocka_unit_test(test_items_from_poam),
		cmocka_unit_test(test_unlisted_counted),
		cmocka_unit_test(test_deviation_every_control),
		cmocka_unit_test(test_ids_unique),
		cmocka_unit_test(test_previous),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_results_shape),
		cmocka_unit_test(test_csv_formula),
		cmocka_unit_test(test_poam_yaml_fields),
		cmocka_unit_test(test_alloc_failures),
	};

	RUN_TESTS("oscal_out", tests, argc, argv);
}
