/*
 * test_reports.c: the report writers, on an evaluated run built in memory
 * (so they are tested independently of the engine and the shipped
 * content): the writer table, determinism, --fixed-time, escaping of
 * hostile strings in every markup, SARIF locations, OSCAL identifiers,
 * JUnit counts, atomic writes.
 *
 * With RAMPART_REPORTS_DUMP=DIR set, the `dump` test also writes every
 * format of the fixture into DIR under its fixed file name, for
 * tests/e2e/reports.sh to validate against the official schemas.
 */
#include "tests/unit/testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "reports/report.h"

#define FIXED_TIME 1767323045 /* 2026-01-02T03:04:05Z */
#define FIXED_TEXT "2026-01-02T03:04:05Z"

#define HOSTILE_ID "<script>alert(\"x\")</script> & 'q' | *b* ]]> [l](u)"
#define HOSTILE_MSG "bad\x01\x1b[31m\ttab\nline2 \xc3\xa9 \xe2\x9c\x93 `x`"
#define HOSTILE_VALUE "\"<img src=x onerror=alert(1)>\""
#define EXPORT_FILE "exports/aws config#1.json"

enum { C_IAM, C_S3, C_TRAIL, C_KMS, C_EBS, C_RDS, NCHECKS };
enum { K_AC2_1, K_AC3, K_AU2, K_CM2, K_PE1, K_SC13, K_SC28, NCONTROLS };

struct fx {
	struct arena *a;
	struct baseline bl;
	struct control ctl[NCONTROLS];
	struct rule rules[NCHECKS];
	const char *types[NCHECKS];
	struct check_outcome out[NCHECKS];
	struct check_result res[8];
	struct evidence ev[8];
	struct control_outcome co[NCONTROLS];
	struct control_check_outcome cco[10];
	struct poam poam;
	struct poam_item item;
	struct input_info in;
	struct run run;
};

static void
add_rule(struct fx *f, int i, const char *id, const char *title,
    enum severity sev, const char *type, int required)
{
	struct rule *ru = &f->rules[i];

	ru->id = id;
	ru->title = title;
	ru->description = "what the check looks at";
	ru->remediation = "turn it on & keep it <on>";
	ru->severity = sev;
	f->types[i] = type;
	ru->types = &f->types[i];
	ru->ntypes = 1;
	ru->required = required;
	ru->plugin = "assert";
	f->out[i].rule = ru;
}

static struct check_result *
add_result(struct fx *f, size_t *nres, size_t *nev, int check, enum status s,
    const char *id, const char *msg, const char *path, const char *value,
    uint32_t line, uint32_t col)
{
	struct check_result *res = &f->res[(*nres)++];
	struct check_outcome *o = &f->out[check];

	res->status = s;
	res->resource_id = id;
	res->resource_type = f->types[check];
	res->region = "us-east-1";
	res->message = msg;
	if (path != NULL) {
		res->ev = &f->ev[(*nev)++];
		res->ev->path = path;
		res->ev->value = value;
		if (line > 0) {
			res->ev->source.file = EXPORT_FILE;
			res->ev->source.line = line;
			res->ev->source.col = col;
		}
		res->nev = 1;
	}
	/* Results of one check are contiguous in f->res. */
	if (o->n == 0)
		o->results = res;
	o->n++;
	o->counts[s]++;
	return res;
}

static void
add_control(struct fx *f, int i, const char *id, const char *label,
    const char *title, const char *family, enum responsibility resp)
{
	f->ctl[i].id = id;
	f->ctl[i].label = label;
	f->ctl[i].title = title;
	f->ctl[i].family = family;
	f->ctl[i].resp = resp;
	f->co[i].control = &f->ctl[i];
}

static void
bind(struct fx *f, size_t *ncco, int control, int check, enum status s)
{
	struct control_check_outcome *cc = &f->cco[(*ncco)++];
	struct control_outcome *co = &f->co[control];

	cc->outcome = &f->out[check];
	cc->status = s;
	if (co->nchecks == 0)
		co->checks = cc;
	co->nchecks++;
}

static struct doc_node *
int_params(struct arena *a, const char *key, const char *num)
{
	struct doc_node *m, *k, *v;

	m = doc_new(a, DOC_MAP, NULL);
	k = doc_new_string(a, key, strlen(key), NULL);
	v = doc_new(a, DOC_INT, NULL);
	assert_non_null(m);
	assert_non_null(k);
	assert_non_null(v);
	v->str = num;
	v->len = strlen(num);
	assert_int_equal(parse_int64(num, &v->u.i), 0);
	assert_int_equal(doc_map_put(a, m, k, v), 0);
	return m;
}

/*
 * The fixture: seven controls covering every control status, six checks
 * covering every check status (one shared by two controls, one required
 * with no resource), hostile strings in a failing result.
 */
static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	size_t nres = 0, nev = 0, ncco = 0, i;
	struct run *r;

	assert_non_null(f);
	f->a = arena_new();
	assert_non_null(f->a);
	f->bl.id = "test-moderate";
	f->bl.title = "Test baseline (moderate)";
	f->bl.impact = "moderate";
	f->bl.path = "rules/baselines/test-moderate.yaml";
	memset(f->bl.sha256, 'a', SHA256_HEX_LEN);

	add_rule(f, C_IAM, "iam-user-mfa", "IAM users have MFA", SEV_HIGH,
	    "AWS::IAM::User", 1);
	add_rule(f, C_S3, "s3-public-access-blocked",
	    "S3 buckets block public access", SEV_CRITICAL, "AWS::S3::Bucket",
	    1);
	add_rule(f, C_TRAIL, "cloudtrail-enabled", "CloudTrail is on",
	    SEV_MEDIUM, "AWS::CloudTrail::Trail", 0);
	add_rule(f, C_KMS, "kms-rotation", "KMS keys rotate", SEV_LOW,
	    "AWS::KMS::Key", 1);
	add_rule(f, C_EBS, "ebs-encrypted", "EBS volumes are encrypted",
	    SEV_MEDIUM, "AWS::EC2::Volume", 1);
	add_rule(f, C_RDS, "rds-encrypted", "RDS storage is encrypted",
	    SEV_HIGH, "AWS::RDS::DBInstance", 1);
	f->out[C_IAM].params = int_params(f->a, "max_age_days", "90");

	add_result(f, &nres, &nev, C_IAM, ST_FAIL, HOSTILE_ID, HOSTILE_MSG,
	    "MFADevices", HOSTILE_VALUE, 12, 7);
	add_result(f, &nres, &nev, C_IAM, ST_PASS, "alice", "MFA enabled",
	    "MFADevices", "[\"arn\"]", 30, 9);
	add_result(f, &nres, &nev, C_IAM, ST_FAIL, "bob", "no MFA device",
	    "MFADevices", "[]", 41, 21);
	add_result(f, &nres, &nev, C_S3, ST_PASS, "logs-bucket",
	    "public access blocked", "PublicAccessBlock.BlockPublicAcls",
	    "true", 55, 33);
	add_result(f, &nres, &nev, C_KMS, ST_FAIL, "key-1", "rotation disabled",
	    "KeyRotationEnabled", "false", 70, 5);
	add_result(f, &nres, &nev, C_EBS, ST_ERROR, "vol-1",
	    "attribute 'Encrypted' is absent", "Encrypted", NULL, 0, 0);
	f->out[C_IAM].status = ST_FAIL;
	f->out[C_S3].status = ST_PASS;
	f->out[C_TRAIL].status = ST_NOT_APPLICABLE;
	f->out[C_KMS].status = ST_FAIL;
	f->out[C_EBS].status = ST_ERROR;
	f->out[C_RDS].status = ST_ERROR;

	add_control(f, K_AC2_1, "ac-2.1", "AC-2(1)",
	    "Automated System Account Management", "AC", RESP_AUTOMATED);
	add_control(f, K_AC3, "ac-3", "AC-3", "Access Enforcement", "AC",
	    RESP_AUTOMATED);
	add_control(
	    f, K_AU2, "au-2", "AU-2", "Event Logging", "AU", RESP_AUTOMATED);
	add_control(f, K_CM2, "cm-2", "CM-2", "Baseline Configuration", "CM",
	    RESP_MANUAL);
	add_control(f, K_PE1, "pe-1", "PE-1", "Policy and Procedures", "PE",
	    RESP_INHERITED);
	add_control(f, K_SC13, "sc-13", "SC-13", "Cryptographic Protection",
	    "SC", RESP_AUTOMATED);
	add_control(f, K_SC28, "sc-28", "SC-28",
	    "Protection of Information at Rest", "SC", RESP_AUTOMATED);
	bind(f, &ncco, K_AC2_1, C_IAM, ST_FAIL);
	bind(f, &ncco, K_AC3, C_S3, ST_PASS);
	bind(f, &ncco, K_AU2, C_TRAIL, ST_NOT_APPLICABLE);
	bind(f, &ncco, K_SC13, C_KMS, ST_WAIVED);
	bind(f, &ncco, K_SC28, C_S3, ST_PASS);
	bind(f, &ncco, K_SC28, C_EBS, ST_ERROR);
	bind(f, &ncco, K_SC28, C_RDS, ST_ERROR);
	f->item.id = "POAM-7";
	f->item.control = "sc-13";
	f->item.justification = "vendor fix scheduled <Q3>";
	f->item.approver = "ISSO";
	f->item.expires_text = "2027-01-01";
	f->poam.path = "poam.yaml";
	f->poam.items = &f->item;
	f->poam.n = 1;
	f->cco[3].waiver = &f->item;
	f->co[K_AC2_1].status = ST_FAIL;
	f->co[K_AC3].status = ST_PASS;
	f->co[K_AU2].status = ST_NOT_APPLICABLE;
	f->co[K_CM2].status = ST_MANUAL;
	f->co[K_PE1].status = ST_INHERITED;
	f->co[K_SC13].status = ST_WAIVED;
	f->co[K_SC13].note = "failure waived by POA&M item 'POAM-7' until "
			     "2027-01-01";
	f->co[K_SC28].status = ST_ERROR;

	f->in.path = EXPORT_FILE;
	f->in.format = "aws-config";
	memset(f->in.sha256, 'b', SHA256_HEX_LEN);
	f->in.resources = 6;

	r = &f->run;
	r->as.a = f->a;
	r->as.bl = &f->bl;
	r->as.poam = &f->poam;
	r->as.inputs = &f->in;
	r->as.ninputs = 1;
	r->as.checks = f->out;
	r->as.nchecks = NCHECKS;
	r->as.controls = f->co;
	r->as.ncontrols = NCONTROLS;
	for (i = 0; i < NCHECKS; i++)
		r->as.count_checks[f->out[i].status]++;
	for (i = 0; i < NCONTROLS; i++)
		r->as.count_controls[f->co[i].status]++;
	r->as.verdict = VERDICT_NOT_ELIGIBLE;
	r->as.started = 1700000000;
	r->as.finished = 1700000042;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	arena_free(f->a);
	free(f);
	return 0;
}

/* Render a format into a malloc'd NUL-terminated buffer. */
static char *
render(const struct run *r, const char *format, int64_t fixed, size_t *len)
{
	const struct writer *w = writer_find(format);
	struct report_opts o;
	char *buf = NULL;
	size_t n = 0;
	FILE *fp;

	assert_non_null(w);
	memset(&o, 0, sizeof(o));
	o.fixed_time = fixed;
	o.tool_version = "9.9.9-test";
	fp = open_memstream(&buf, &n);
	assert_non_null(fp);
	assert_int_equal(w->write(fp, &r->as, &o), 0);
	assert_int_equal(fclose(fp), 0);
	if (len != NULL)
		*len = n;
	return buf;
}

/* Render with options (max_items); a malloc'd NUL-terminated buffer. */
static char *
render_o(const struct run *r, const char *format, struct report_opts *o)
{
	const struct writer *w = writer_find(format);
	char *buf = NULL;
	size_t n = 0;
	FILE *fp;

	assert_non_null(w);
	o->fixed_time = FIXED_TIME;
	o->tool_version = "9.9.9-test";
	fp = open_memstream(&buf, &n);
	assert_non_null(fp);
	assert_int_equal(w->write(fp, &r->as, o), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
test_table_sorted(void **state)
{
	size_t i, j;

	(void)state;
	assert_true(nwriters >= 7);
	for (i = 1; i < nwriters; i++)
		assert_true(strcmp(writers[i - 1]->name, writers[i]->name) < 0);
	for (i = 0; i < nwriters; i++) {
		assert_ptr_equal(writer_find(writers[i]->name), writers[i]);
		assert_non_null(writers[i]->summary);
		for (j = 0; j < i; j++)
			assert_string_not_equal(
			    writers[i]->filename, writers[j]->filename);
	}
	assert_null(writer_find("pdf"));
	assert_string_equal(writer_find("sarif")->filename, "report.sarif");
	assert_string_equal(writer_find("junit")->filename, "report.junit.xml");
	assert_string_equal(
	    writer_find("oscal")->filename, "report.oscal.json");
	assert_string_equal(writer_find("markdown")->filename, "report.md");
	assert_string_equal(writer_find("html")->filename, "report.html");
}

/* Same run, same bytes; --fixed-time stamps every timestamp. */
static void
test_deterministic(void **state)
{
	struct fx *f = *state;
	char *a, *b, started[32];
	size_t i, la, lb;

	format_time(f->run.as.started, started);
	for (i = 0; i < nwriters; i++) {
		a = render(&f->run, writers[i]->name, FIXED_TIME, &la);
		b = render(&f->run, writers[i]->name, FIXED_TIME, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		/* Text and the POA&M CSV (MM/DD/YYYY dates) show no times. */
		if (strcmp(writers[i]->name, "text") != 0 &&
		    strcmp(writers[i]->name, "poam-csv") != 0) {
			if (strstr(a, FIXED_TEXT) == NULL)
				fail_msg("%s: no fixed time", writers[i]->name);
			assert_null(strstr(a, started));
		}
		free(a);
		free(b);
		/* Without a fixed time the run's own times are used. */
		a = render(&f->run, writers[i]->name, 0, &la);
		b = render(&f->run, writers[i]->name, 0, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		if (strcmp(writers[i]->name, "text") != 0 &&
		    strcmp(writers[i]->name, "poam-csv") != 0)
			assert_non_null(strstr(a, started));
		free(a);
		free(b);
	}
}

/* The JSON report rendered with 2 to 8 threads: one's bytes each time. */
static void
assert_threads_render(const struct run *r, const char *one)
{
	struct report_opts o;
	unsigned jobs;
	char *many;

	for (jobs = 2; jobs <= 8; jobs++) {
		memset(&o, 0, sizeof(o));
		o.jobs = jobs;
		many = render_o(r, "json", &o);
		assert_string_equal(many, one);
		free(many);
	}
}

/*
 * report.json's controls rendered by 1 to 8 threads (scan --jobs, in
 * any order, spliced in order) are the bytes one thread writes.
 */
static void
test_json_threads(void **state)
{
	struct fx *f = *state;
	struct report_opts o;
	char *one;

	assert_true(f->run.as.ncontrols >= 2);
	memset(&o, 0, sizeof(o));
	one = render_o(&f->run, "json", &o);
	assert_threads_render(&f->run, one);
	free(one);
}

/* Occurrences of needle in s. */
static size_t
count_of(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/*
 * The threads cut a check's results in pieces of 64 (reports/json.c):
 * every count around the cut, statuses mixed (the report lists failures
 * first), results with and without an input index, a check under two
 * controls: the bytes are those of one thread, every result is listed
 * once per control of its check.
 */
static void
test_json_threads_pieces(void **state)
{
	static const size_t sizes[] = { 0, 1, 63, 64, 65, 127, 128, 129, 300 };
	static const enum status st[] = { ST_PASS, ST_FAIL, ST_ERROR, ST_PASS,
		ST_NOT_APPLICABLE };
	struct fx *f = *state;
	struct check_outcome *o = &f->out[C_S3], *o2 = &f->out[C_IAM];
	struct check_result *res, *res2;
	struct report_opts opt;
	char *one, last[32];
	uint32_t *in;
	size_t i, k, n;

	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		n = sizes[k];
		res = calloc(n + 1, sizeof(*res));
		res2 = calloc(2 * n + 1, sizeof(*res2));
		in = calloc(n + 1, sizeof(*in));
		assert_non_null(res);
		assert_non_null(res2);
		assert_non_null(in);
		for (i = 0; i < n; i++) {
			res[i] = f->res[3];
			res[i].status = st[i % 5];
			res[i].resource_id =
			    arena_printf(f->a, "bucket-%zu", i);
			in[i] = i % 7 == 3 ? UINT32_MAX : (uint32_t)(i / 10);
		}
		for (i = 0; i < 2 * n; i++) {
			res2[i] = f->res[0];
			res2[i].status = st[(i + 1) % 5];
			res2[i].resource_id = arena_printf(f->a, "user-%zu", i);
		}
		o->results = res;
		o->n = n;
		o->result_input = in;
		o->ntracked = n / 2;
		o2->results = res2;
		o2->n = 2 * n;
		memset(&opt, 0, sizeof(opt));
		one = render_o(&f->run, "json", &opt);
		if (n > 0) {
			snprintf(last, sizeof(last), "\"bucket-%zu\"", n - 1);
			/* ac-3 and sc-28 list the bucket check. */
			assert_int_equal(count_of(one, last), 2);
			snprintf(last, sizeof(last), "\"user-%zu\"", 2 * n - 1);
			assert_int_equal(count_of(one, last), 1);
		}
		assert_threads_render(&f->run, one);
		free(one);
		o->results = NULL;
		o->n = 0;
		o->result_input = NULL;
		o->ntracked = 0;
		free(res);
		free(res2);
		free(in);
	}
}

static void
assert_no_controls(const char *what, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t')
			fail_msg("%s: control byte 0x%02x at %zu", what,
			    (unsigned char)s[i], i);
}

static void
test_html_escaping(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *s = render(&f->run, "html", FIXED_TIME, &len);

	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<img"));
	assert_null(strstr(s, "onerror=alert(1)>"));
	assert_non_null(strstr(s,
	    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
	    "&#39;q&#39;"));
	assert_non_null(strstr(s, "&lt;img src=x onerror=alert(1)&gt;"));
	assert_non_null(strstr(s, "bad\xef\xbf\xbd\xef\xbf\xbd[31m\ttab"));
	/* Self-contained: no external assets, no scripts at all. */
	assert_null(strstr(s, "http://"));
	assert_null(strstr(s, "https://"));
	assert_null(strstr(s, "<link"));
	assert_non_null(strstr(s, "<style>"));
	assert_non_null(strstr(s, "default-src 'none'"));
	assert_no_controls("html", s, len);
	/* Summary, per-family table and failed items with evidence. */
	assert_non_null(strstr(s, "NOT ELIGIBLE"));
	assert_non_null(strstr(s, "<h2>By family</h2>"));
	assert_non_null(strstr(s, "<h2>Failed (1)</h2>"));
	assert_non_null(strstr(s, "exports/aws config#1.json:12:7"));
	assert_non_null(strstr(s, "POAM-7"));
	free(s);
}

static void
test_junit_escaping(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *s = render(&f->run, "junit", FIXED_TIME, &len);

	assert_no_controls("junit", s, len);
	assert_null(strstr(s, "]]>"));
	assert_null(strstr(s, "<script"));
	assert_non_null(strstr(s, "]]&gt;"));
	/* One testcase per control and check: 7 pairs + 2 without checks. */
	assert_non_null(strstr(s,
	    "<testsuites name=\"test-moderate\" tests=\"9\" failures=\"1\" "
	    "errors=\"2\""));
	assert_non_null(strstr(s,
	    "<testsuite name=\"SC\" package=\"test-moderate\" tests=\"4\" "
	    "failures=\"0\" errors=\"2\" skipped=\"1\""));
	assert_non_null(
	    strstr(s, "<testcase name=\"iam-user-mfa\" classname=\"AC-2(1)\""));
	assert_non_null(strstr(s, "<skipped type=\"manual\""));
	assert_non_null(strstr(s,
	    "<skipped type=\"waived\" message=\"waived by "
	    "POA&amp;M item POAM-7 until 2027-01-01\">"));
	free(s);
}

static void
test_markdown_escaping(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *s = render(&f->run, "markdown", FIXED_TIME, &len);
	size_t i;

	/* Every '<' is an escaped literal: no raw HTML gets through. */
	for (i = 0; i < len; i++)
		if (s[i] == '<' && (i == 0 || s[i - 1] != '\\'))
			fail_msg("markdown: raw '<' at %zu", i);
	assert_non_null(strstr(s,
	    "\\<script\\>alert(\"x\")\\</script\\> \\& 'q' \\| \\*b\\* "
	    "\\]\\]\\> \\[l\\](u)"));
	assert_non_null(strstr(s, "**Verdict: NOT ELIGIBLE**"));
	assert_non_null(strstr(s, "## By family"));
	/* pass fail error partial waived n/a manual inherited */
	assert_non_null(
	    strstr(s, "| SC | 2 | 0 | 0 | 1 | 0 | 1 | 0 | 0 | 0 |"));
	assert_no_controls("markdown", s, len);
	free(s);
}

static void
test_text_escaping(void **state)
{
	struct fx *f = *state;
	size_t len, i;
	char *s = render(&f->run, "text", 0, &len);

	/* No ESC or other control reaches the terminal; newlines only. */
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n')
			fail_msg("text: control byte 0x%02x at %zu",
			    (unsigned char)s[i], i);
	assert_non_null(strstr(s, "bad\\x01\\x1b[31m\\ttab\\nline2"));
	assert_memory_equal(s, "verdict: NOT ELIGIBLE", 21);
	free(s);
}

static void
test_markup_escape(void **state)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp;

	(void)state;
	fp = open_memstream(&buf, &n);
	assert_non_null(fp);
	/* Bad byte, overlong '/', surrogate, U+FFFF, C1, then fine text. */
	markup_escape(fp,
	    "a\xff"
	    "b\xc0\xaf"
	    "c\xed\xa0\x80"
	    "d\xef\xbf\xbf"
	    "e\xc2\x85"
	    "f\xf0\x9f\x98\x80",
	    0);
	fputc('|', fp);
	markup_escape(fp, "x\ny\"z\x7f", 1);
	fputc('|', fp);
	markdown_escape(fp, "a|b\nc_d\x02");
	assert_int_equal(fclose(fp), 0);
	assert_string_equal(buf,
	    "a\xef\xbf\xbd"
	    "b\xef\xbf\xbd\xef\xbf\xbd"
	    "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "d\xef\xbf\xbd"
	    "e\xef\xbf\xbd"
	    "f\xf0\x9f\x98\x80"
	    "|x&#10;y&quot;z\xef\xbf\xbd"
	    "|a\\|b c\\_d\xef\xbf\xbd");
	free(buf);
}

static void
test_uri(void **state)
{
	struct strbuf sb;

	(void)state;
	sb_init(&sb);
	assert_int_equal(uri_from_path(&sb, "exp/a b#1:x%.json"), 0);
	assert_string_equal(sb.s, "exp/a%20b%231%3Ax%25.json");
	sb_free(&sb);
	sb_init(&sb);
	assert_int_equal(uri_from_path(&sb, "/srv/ex\xc3\xa9.json"), 0);
	assert_string_equal(sb.s, "file:///srv/ex%C3%A9.json");
	sb_free(&sb);
}

/* Load a JSON report and return the string or integer at a path. */
static const struct doc_node *
at(struct arena *a, const struct doc_node *root, const char *path)
{
	struct diag d;
	struct doc_path *p;
	const struct doc_node *n;

	diag_init(&d);
	p = doc_path_compile(a, &d, path, NULL);
	assert_non_null(p);
	n = doc_path_first(p, root);
	diag_free(&d);
	if (n == NULL)
		fail_msg("nothing at '%s'", path);
	return n;
}

static struct doc_node *
load_json(struct arena *a, const char *name, const char *buf, size_t len)
{
	struct diag d;
	struct doc_node **docs = NULL;
	size_t n = 0;

	diag_init(&d);
	if (doc_load_buf(
		a, &d, name, buf, len, DOC_FMT_JSON, NULL, &docs, &n) != 0) {
		diag_print(&d, stderr, 0, 0);
		fail_msg("%s: not JSON", name);
	}
	diag_free(&d);
	assert_int_equal(n, 1);
	return docs[0];
}

static void
test_sarif(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	struct doc_node *root;
	size_t len;
	char *s = render(&f->run, "sarif", FIXED_TIME, &len);

	root = load_json(a, "report.sarif", s, len);
	assert_string_equal(doc_str(at(a, root, "version")), "2.1.0");
	assert_string_equal(
	    doc_str(at(a, root, "runs[0].tool.driver.rules[0].id")),
	    "iam-user-mfa");
	assert_string_equal(doc_str(at(a, root,
				"runs[0].tool.driver.rules[0].properties."
				"controls[0]")),
	    "AC-2(1)");
	/* A check used by two controls maps to both. */
	assert_string_equal(doc_str(at(a, root,
				"runs[0].tool.driver.rules[1].properties."
				"controlIds[1]")),
	    "sc-28");
	/* Failures first; the location is the evidence's file:line:col. */
	assert_string_equal(
	    doc_str(at(a, root, "runs[0].results[0].kind")), "fail");
	assert_string_equal(
	    doc_str(at(a, root, "runs[0].results[0].level")), "error");
	assert_string_equal(doc_str(at(a, root,
				"runs[0].results[0].locations[0]."
				"physicalLocation.artifactLocation.uri")),
	    "exports/aws%20config%231.json");
	assert_int_equal(at(a, root,
			     "runs[0].results[0].locations[0]."
			     "physicalLocation.region.startLine")
			     ->u.i,
	    12);
	assert_int_equal(at(a, root,
			     "runs[0].results[0].locations[0]."
			     "physicalLocation.region.startColumn")
			     ->u.i,
	    7);
	assert_string_equal(doc_str(at(a, root,
				"runs[0].results[1].locations[0]."
				"logicalLocations[0].name")),
	    "bob");
	/* Passes are left out by default. */
	assert_null(strstr(s, "\"kind\": \"pass\""));
	/* The waived KMS failure carries an accepted suppression. */
	assert_string_equal(
	    doc_str(at(a, root, "runs[0].results[2].ruleId")), "kms-rotation");
	assert_string_equal(
	    doc_str(at(a, root, "runs[0].results[2].suppressions[0].status")),
	    "accepted");
	/*
	 * Could not evaluate: open.  Missing evidence points at the input
	 * it is missing from: code scanning needs a location on every
	 * result.
	 */
	assert_string_equal(
	    doc_str(at(a, root, "runs[0].results[3].kind")), "open");
	assert_string_equal(
	    doc_str(at(a, root, "runs[0].results[4].ruleId")), "rds-encrypted");
	assert_string_equal(doc_str(at(a, root,
				"runs[0].results[4].locations[0]."
				"physicalLocation.artifactLocation.uri")),
	    "exports/aws%20config%231.json");
	assert_null(doc_index(
	    doc_get(doc_index(doc_get(root, "runs"), 0), "results"), 5));
	/* Help text and Markdown: description and remediation. */
	assert_non_null(strstr(doc_str(at(a, root,
				   "runs[0].tool.driver.rules[0].help."
				   "markdown")),
	    "**Remediation:** turn it on & keep it <on>"));
	assert_string_equal(doc_str(at(a, root,
				"runs[0].tool.driver.rules[1].properties."
				"tags[3]")),
	    "SC-28");
	free(s);
	arena_free(a);
}

/*
 * --sarif-include-passes lists passes too; every result, listed or
 * missing, passing or not, has a physical location (code scanning
 * refuses results without one).
 */
static void
test_sarif_passes(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	struct report_opts o;
	const struct doc_node *res, *root;
	char *s;
	size_t i, n;

	memset(&o, 0, sizeof(o));
	o.sarif_include_passes = 1;
	s = render_o(&f->run, "sarif", &o);
	root = load_json(a, "report.sarif", s, strlen(s));
	assert_string_equal(
	    doc_str(at(a, root, "runs[0].results[2].kind")), "pass");
	res = doc_get(doc_index(doc_get(root, "runs"), 0), "results");
	n = res->u.seq.n;
	assert_int_equal(n, 7);
	for (i = 0; i < n; i++)
		if (doc_get(
			doc_get(doc_index(
				    doc_get(doc_index(res, i), "locations"), 0),
			    "physicalLocation"),
			"artifactLocation") == NULL)
			fail_msg("result %zu has no physical location", i);
	free(s);
	arena_free(a);
}

static int
is_uuid5(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 36 || s[14] != '5' ||
	    strchr("89ab", s[19]) == NULL)
		return 0;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23
			? s[i] != '-'
			: !strchr("0123456789"
				  "abcdef",
			      s[i]))
			return 0;
	return 1;
}

static void
test_oscal(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	const struct doc_node *root, *inc, *findings, *obs;
	char *s, *t, uuid[64];
	size_t len, i;

	s = render(&f->run, "oscal", FIXED_TIME, &len);
	root = load_json(a, "report.oscal.json", s, len);
	assert_true(
	    is_uuid5(doc_str(at(a, root, "[\"assessment-results\"].uuid"))));
	snprintf(uuid, sizeof(uuid), "%s",
	    doc_str(at(a, root, "[\"assessment-results\"].uuid")));
	/*
	 * Reviewed controls are the assessed ones (checks, attestation,
	 * inheritance) under the baseline's ids, in its order: the open
	 * manual CM-2 is not among them.
	 */
	inc = at(a, root,
	    "[\"assessment-results\"].results[0][\"reviewed-controls\"]"
	    "[\"control-selections\"][0][\"include-controls\"]");
	assert_int_equal(inc->u.seq.n, NCONTROLS - 1);
	for (i = 0; i < NCONTROLS - 1; i++)
		assert_string_equal(
		    doc_str(doc_get(doc_index(inc, i), "control-id")),
		    f->ctl[i < K_CM2 ? i : i + 1].id);
	/* A finding per control but the inherited PE-1. */
	findings = at(a, root, "[\"assessment-results\"].results[0].findings");
	assert_int_equal(findings->u.seq.n, NCONTROLS - 1);
	assert_string_equal(doc_str(at(a, root,
				"[\"assessment-results\"].results[0]."
				"findings[0].target[\"target-id\"]")),
	    "ac-2.1_obj");
	assert_string_equal(doc_str(at(a, root,
				"[\"assessment-results\"].results[0]."
				"findings[0].target.status.state")),
	    "not-satisfied");
	assert_string_equal(doc_str(at(a, root,
				"[\"assessment-results\"].results[0]."
				"findings[1].target.status.state")),
	    "satisfied");
	obs = at(a, root, "[\"assessment-results\"].results[0].observations");
	assert_int_equal(obs->u.seq.n, 7);
	for (i = 0; i < obs->u.seq.n; i++)
		assert_true(
		    is_uuid5(doc_str(doc_get(doc_index(obs, i), "uuid"))));
	/* Identifiers do not depend on the clock... */
	t = render(&f->run, "oscal", FIXED_TIME + 3600, NULL);
	assert_non_null(strstr(t, uuid));
	free(t);
	/* ...but on what was assessed. */
	f->in.sha256[0] = 'c';
	t = render(&f->run, "oscal", FIXED_TIME, NULL);
	assert_null(strstr(t, uuid));
	f->in.sha256[0] = 'b';
	free(t);
	free(s);
	arena_free(a);
}

/* The finding of control id in an OSCAL document, or NULL. */
static const struct doc_node *
oscal_finding(struct arena *a, const struct doc_node *root, const char *id)
{
	const struct doc_node *fs, *t;
	char want[64];
	size_t i;

	snprintf(want, sizeof(want), "%s_obj", id);
	fs = at(a, root, "[\"assessment-results\"].results[0].findings");
	for (i = 0; fs != NULL && i < fs->u.seq.n; i++) {
		t = doc_get(doc_index(fs, i), "target");
		if (strcmp(doc_str(doc_get(t, "target-id")), want) == 0)
			return t;
	}
	return NULL;
}

/* Whether control id is in the OSCAL reviewed-controls. */
static int
oscal_reviewed(struct arena *a, const struct doc_node *root, const char *id)
{
	const struct doc_node *inc;
	size_t i;

	inc = at(a, root,
	    "[\"assessment-results\"].results[0][\"reviewed-controls\"]"
	    "[\"control-selections\"][0]");
	inc = doc_get(inc, "include-controls");
	for (i = 0; inc != NULL && i < inc->u.seq.n; i++)
		if (strcmp(doc_str(doc_get(doc_index(inc, i), "control-id")),
			id) == 0)
			return 1;
	return 0;
}

/*
 * OSCAL states over every control status: `satisfied` only for pass;
 * fail, error, partial, waived, manual (open) and not_applicable are
 * `not-satisfied` with remarks saying why.  Open manual controls are not
 * reviewed; an attested one is.
 */
static void
test_oscal_states(void **state)
{
	struct fx *f = *state;
	struct arena *a;
	const struct doc_node *root, *t;
	struct attestation at_ok;
	char *s;
	size_t len;
	int st;

	for (st = 0; st < ST_COUNT; st++) {
		if (st == ST_INHERITED)
			continue; /* a status of inherited controls only */
		a = arena_new();
		assert_non_null(a);
		f->co[K_AC3].status = (enum status)st;
		s = render(&f->run, "oscal", FIXED_TIME, &len);
		root = load_json(a, "report.oscal.json", s, len);
		t = oscal_finding(a, root, "ac-3");
		assert_non_null(t);
		if (strcmp(doc_str(at(a, t, "status.state")),
			st == ST_PASS ? "satisfied" : "not-satisfied") != 0)
			fail_msg("control status %s: OSCAL state %s",
			    status_name((enum status)st),
			    doc_str(at(a, t, "status.state")));
		if (st != ST_PASS && doc_str(doc_get(t, "remarks")) == NULL &&
		    st != ST_FAIL)
			fail_msg("%s: not-satisfied without remarks",
			    status_name((enum status)st));
		assert_true(oscal_reviewed(a, root, "ac-3"));
		free(s);
		arena_free(a);
	}
	f->co[K_AC3].status = ST_PASS;

	/* An open manual control: a not-satisfied finding, not reviewed. */
	a = arena_new();
	s = render(&f->run, "oscal", FIXED_TIME, &len);
	root = load_json(a, "report.oscal.json", s, len);
	assert_false(oscal_reviewed(a, root, "cm-2"));
	assert_string_equal(
	    doc_str(at(a, oscal_finding(a, root, "cm-2"), "status.state")),
	    "not-satisfied");
	/* Inherited: reviewed, no finding (the provider decides it). */
	assert_true(oscal_reviewed(a, root, "pe-1"));
	assert_null(oscal_finding(a, root, "pe-1"));
	free(s);
	arena_free(a);

	/* Attested: reviewed and satisfied. */
	memset(&at_ok, 0, sizeof(at_ok));
	at_ok.control = "cm-2";
	at_ok.attested_by = "ISSO";
	at_ok.statement = "baseline configuration reviewed";
	at_ok.date_text = "2026-01-01";
	at_ok.expires_text = "2027-01-01";
	f->co[K_CM2].attestation = &at_ok;
	f->co[K_CM2].status = ST_PASS;
	a = arena_new();
	s = render(&f->run, "oscal", FIXED_TIME, &len);
	root = load_json(a, "report.oscal.json", s, len);
	assert_true(oscal_reviewed(a, root, "cm-2"));
	assert_string_equal(
	    doc_str(at(a, oscal_finding(a, root, "cm-2"), "status.state")),
	    "satisfied");
	free(s);
	arena_free(a);
	f->co[K_CM2].attestation = NULL;
	f->co[K_CM2].status = ST_MANUAL;
}

/*
 * The fingerprint recipe of docs/reports.md, against vectors computed
 * with Python's hashlib, and unambiguous: moving bytes between fields,
 * or an absent field against an empty one, changes it.
 */
static void
test_fingerprint(void **state)
{
	char a[SHA256_HEX_LEN + 1], b[SHA256_HEX_LEN + 1];

	(void)state;
	report_fingerprint(
	    "iam-user-mfa", "AWS::IAM::User", "bob", "us-east-1", a);
	assert_string_equal(a,
	    "1d658ff01b631542864a62bf89548726065fa9155ccd17e641da63ddbed8e645");
	report_fingerprint(
	    "aws-ec2-sg", "AWS::EC2::SecurityGroup", "sg-1", NULL, a);
	assert_string_equal(a,
	    "eb61f2c77a47d06ad815a7480a47baac14744eb0012f6a51f4db8f79bd75d1fb");
	report_fingerprint("c", "T", "ab", "r", a);
	report_fingerprint("c", "Ta", "b", "r", b);
	assert_string_not_equal(a, b);
	report_fingerprint("c", "T", "i", NULL, a);
	report_fingerprint("c", "T", "i", "", b);
	assert_string_not_equal(a, b);
	report_fingerprint("c\n1:x", "T", "i", NULL, a);
	report_fingerprint("c", "1:x\nT", "i", NULL, b);
	assert_string_not_equal(a, b);
}

/* JSON and SARIF carry the same fingerprint for each result listed. */
static void
test_fingerprint_in_reports(void **state)
{
	struct fx *f = *state;
	char fp[SHA256_HEX_LEN + 1], *json, *sarif;
	size_t i;

	json = render(&f->run, "json", FIXED_TIME, NULL);
	sarif = render(&f->run, "sarif", FIXED_TIME, NULL);
	for (i = 0; i < 6; i++) {
		const struct check_result *res = &f->res[i];
		size_t c;

		for (c = 0; c < NCHECKS; c++)
			if (res >= f->out[c].results &&
			    res < f->out[c].results + f->out[c].n)
				break;
		assert_true(c < NCHECKS);
		report_fingerprint(f->rules[c].id, res->resource_type,
		    res->resource_id, res->region, fp);
		if (strstr(json, fp) == NULL)
			fail_msg("json: no fingerprint for result %zu", i);
		/* SARIF lists passes only when asked. */
		if ((strstr(sarif, fp) == NULL) !=
		    (res->status != ST_FAIL && res->status != ST_ERROR))
			fail_msg("sarif: fingerprint for result %zu %s", i,
			    res->status == ST_PASS ? "listed" : "missing");
	}
	assert_non_null(strstr(sarif, "\"rampartFinding/v1\""));
	free(json);
	free(sarif);
}

/*
 * An errored result inside a failing check of a failing control is
 * listed with its reason in text, Markdown and HTML (the Evidence gaps
 * section), not hidden behind the failure.
 */
static void
test_errors_in_failing_control(void **state)
{
	struct fx *f = *state;
	static const char *const fmts[] = { "text", "markdown", "html" };
	static const char *const heads[] = { "EVIDENCE GAPS",
		"## Evidence gaps", "<h2>Evidence gaps</h2>" };
	struct report_opts o;
	char *s;
	const char *gap;
	size_t i;

	/* alice: from pass to error, in the failing iam-user-mfa. */
	f->res[1].status = ST_ERROR;
	f->res[1].message = "could not read 'MFADevices': AccessDenied";
	f->out[C_IAM].counts[ST_PASS]--;
	f->out[C_IAM].counts[ST_ERROR]++;
	for (i = 0; i < 3; i++) {
		memset(&o, 0, sizeof(o));
		s = render_o(&f->run, fmts[i], &o);
		gap = strstr(s, heads[i]);
		if (gap == NULL)
			fail_msg("%s: no evidence gaps section", fmts[i]);
		if (strstr(gap, "alice") == NULL ||
		    strstr(gap, "AccessDenied") == NULL)
			fail_msg("%s: the errored result of a failing control "
				 "is not listed with its reason",
			    fmts[i]);
		/* The missing-evidence check is a gap too. */
		if (strstr(gap, "rds-encrypted") == NULL)
			fail_msg(
			    "%s: check without evidence not a gap", fmts[i]);
		/* And the failing resources are still listed. */
		if (strstr(s, "bob") == NULL)
			fail_msg("%s: failing resource missing", fmts[i]);
		free(s);
	}
}

/*
 * --max-items caps the failing resources shown and says how many were
 * cut; the engine's --max-results cap is told as "N listed of M".
 */
static void
test_max_items(void **state)
{
	struct fx *f = *state;
	static const char *const fmts[] = { "text", "markdown", "html" };
	struct report_opts o;
	char *s;
	size_t i;

	for (i = 0; i < 3; i++) {
		memset(&o, 0, sizeof(o));
		o.max_items_set = 1;
		o.max_items = 1;
		s = render_o(&f->run, fmts[i], &o);
		if (strstr(
			s, "... and 1 more failing resources (--max-items)") ==
		    NULL)
			fail_msg("%s: no cut line", fmts[i]);
		free(s);
		/* 0 = no cap: both failing resources, no cut line. */
		o.max_items = 0;
		s = render_o(&f->run, fmts[i], &o);
		assert_non_null(strstr(s, "bob"));
		assert_null(strstr(s, "more failing"));
		free(s);
	}
	/* The engine kept 2 of 1,236 failures: counts stay exact. */
	f->out[C_IAM].counts[ST_FAIL] = 1236;
	for (i = 0; i < 3; i++) {
		memset(&o, 0, sizeof(o));
		s = render_o(&f->run, fmts[i], &o);
		if (strstr(s,
			"... and 1,234 more failing resources (2 listed "
			"of 1,236: --max-results)") == NULL)
			fail_msg("%s: capped list not said", fmts[i]);
		free(s);
	}
	f->out[C_IAM].counts[ST_FAIL] = 2;
}

/*
 * Waived checks are not failures in any summary (issue 12): the failing
 * kms-rotation, waived for its only control, counts as waived; a check
 * still failing for one of its controls stays a failure.
 */
static void
test_waived_counts(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	const struct doc_node *root;
	size_t n[ST_COUNT];
	char *s;
	size_t len;

	report_check_counts(&f->run.as, n);
	assert_int_equal(n[ST_FAIL], 1);
	assert_int_equal(n[ST_WAIVED], 1);
	s = render(&f->run, "json", FIXED_TIME, &len);
	root = load_json(a, "report.json", s, len);
	assert_int_equal(at(a, root, "summary.checks.fail")->u.i, 1);
	assert_int_equal(at(a, root, "summary.checks.waived")->u.i, 1);
	free(s);
	s = render(&f->run, "sarif", FIXED_TIME, &len);
	root = load_json(a, "report.sarif", s, len);
	assert_int_equal(at(a, root, "runs[0].properties.checks.fail")->u.i, 1);
	free(s);
	s = render(&f->run, "text", FIXED_TIME, NULL);
	assert_non_null(strstr(s, " 1 fail,"));
	assert_non_null(strstr(s, " 1 waived\n"));
	free(s);
	s = render(&f->run, "markdown", FIXED_TIME, NULL);
	/* total pass fail error partial waived n/a manual inherited */
	assert_non_null(strstr(s, "| checks | 6 | 1 | 1 | 2 | 0 | 1 | 1 |"));
	free(s);
	/* s3 fails; waived for AC-3 but not for SC-28: still a failure. */
	f->out[C_S3].status = ST_FAIL;
	f->cco[1].status = ST_WAIVED;
	f->cco[4].status = ST_FAIL;
	report_check_counts(&f->run.as, n);
	assert_int_equal(n[ST_FAIL], 2);
	assert_int_equal(n[ST_WAIVED], 1);
	f->cco[4].status = ST_WAIVED;
	report_check_counts(&f->run.as, n);
	assert_int_equal(n[ST_FAIL], 1);
	assert_int_equal(n[ST_WAIVED], 2);
	arena_free(a);
}

/* Partial controls and the incomplete verdict in every writer. */
static void
test_partial_everywhere(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *fmt, *partial, *verdict;
	} want[] = {
		{ "html", "s-partial", "v-incomplete" },
		{ "json", "\"status\": \"partial\"", "\"incomplete\"" },
		{ "junit", "type=\"partial\"", "value=\"incomplete\"" },
		{ "markdown", "## Partial", "INCOMPLETE" },
		{ "oscal", "partial: automated evidence", "incomplete" },
		/*
		 * The POA&M lists open weaknesses, not control statuses:
		 * the failing check of the fixture is there, the partial
		 * control is not an item.
		 */
		{ "oscal-poam", "\"poam-items\"", "\"POAM-ID\"" },
		{ "poam-csv", "\"POAM ID\"", "\"Weakness Name\"" },
		{ "sarif", "\"partial\": 1", "\"incomplete\"" },
		{ "summary-md", " partial |", "INCOMPLETE" },
		{ "text", "PARTIAL", "INCOMPLETE" },
	};
	char *s;
	size_t i;

	f->co[K_AC2_1].status = ST_PARTIAL;
	f->run.as.count_controls[ST_FAIL]--;
	f->run.as.count_controls[ST_PARTIAL]++;
	f->run.as.verdict = VERDICT_INCOMPLETE;
	assert_int_equal(sizeof(want) / sizeof(want[0]), nwriters);
	for (i = 0; i < nwriters; i++) {
		s = render(&f->run, want[i].fmt, FIXED_TIME, NULL);
		if (strstr(s, want[i].partial) == NULL)
			fail_msg("%s: no '%s'", want[i].fmt, want[i].partial);
		if (strstr(s, want[i].verdict) == NULL)
			fail_msg("%s: no '%s'", want[i].fmt, want[i].verdict);
		free(s);
	}
}

/* Columns of one line: code points, colour sequences not counted. */
static size_t
columns(const char *p, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '\033') {
			while (i < n && p[i] != 'm')
				i++;
			continue;
		}
		w += ((unsigned char)p[i] & 0xc0) != 0x80;
	}
	return w;
}

/*
 * The text report fits 80 columns with colour on or off, whatever the
 * length of ids and messages: a long ARN is cut after a '/' or ':' and
 * nothing of it is lost; every failing check is listed once however many
 * controls use it (s3 is used by two).
 */
static void
test_text_width(void **state)
{
	struct fx *f = *state;
	static const char arn[] =
	    "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
	    "loadbalancer/app/a-very-long-load-balancer-name-for-a-test/"
	    "1234567890abcdef";
	struct report_opts o;
	char *s, *p, *nl, *flat;
	size_t i, k;
	int color;

	f->res[2].resource_id = arn;
	f->res[2].message = "a message long enough to wrap: every word of it "
			    "must stay, in order, on lines of at most eighty "
			    "columns under the indentation of its resource";
	f->out[C_S3].status = ST_FAIL;
	f->res[3].status = ST_FAIL;
	f->out[C_S3].counts[ST_PASS]--;
	f->out[C_S3].counts[ST_FAIL]++;
	for (color = 0; color < 2; color++) {
		memset(&o, 0, sizeof(o));
		o.color = color;
		s = render_o(&f->run, "text", &o);
		for (p = s; *p != '\0'; p = nl + 1) {
			if ((nl = strchr(p, '\n')) == NULL)
				break;
			if (columns(p, (size_t)(nl - p)) > 80)
				fail_msg(
				    "colour %d: a line of %zu columns: %.*s",
				    color, columns(p, (size_t)(nl - p)),
				    (int)(nl - p), p);
		}
		/* Joined again (a cut after '/' or ':'), nothing is lost. */
		flat = calloc(1, strlen(s) + 1);
		assert_non_null(flat);
		for (i = 0, k = 0; s[i] != '\0'; i++) {
			if (s[i] == '\n' && k > 0 &&
			    (flat[k - 1] == '/' || flat[k - 1] == ':')) {
				while (s[i + 1] == ' ')
					i++;
				continue;
			}
			flat[k++] = s[i] == '\n' ? ' ' : s[i];
		}
		assert_non_null(strstr(flat, arn));
		free(flat);
		/* One heading for s3, bound to AC-3 and SC-28. */
		p = strstr(
		    s, "s3-public-access-blocked [critical] [AC-3, SC-28]");
		assert_non_null(p);
		assert_null(
		    strstr(p + 1, "s3-public-access-blocked [critical]"));
		free(s);
	}
}

static int
write_fails(FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	(void)r;
	(void)o;
	fputs("partial", fp);
	return -1;
}

static void
test_report_write(void **state)
{
	struct fx *f = *state;
	static const struct writer bad = { "bad", "bad.out", "fails",
		write_fails, NULL };
	struct report_opts o;
	struct diag d;
	char dir[] = "/tmp/rampart-reports-XXXXXX", path[128], *buf = NULL;
	size_t len = 0, n = 0;
	struct dirent *de;
	DIR *dp;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/report.html", dir);
	memset(&o, 0, sizeof(o));
	o.fixed_time = FIXED_TIME;
	diag_init(&d);
	assert_int_equal(atomic_write(&d, path, "old", 3, 0644), 0);
	/* A writer that fails leaves the old file and no temporary. */
	assert_int_equal(report_write(&d, &bad, &f->run.as, &o, path), -1);
	assert_diag_has(&d, "cannot write bad report");
	assert_int_equal(file_read_all(&d, path, 0, &buf, &len), 0);
	assert_string_equal(buf, "old");
	lib_free(buf);
	assert_int_equal(
	    report_write(&d, writer_find("html"), &f->run.as, &o, path), 0);
	assert_int_equal(file_read_all(&d, path, 0, &buf, &len), 0);
	assert_true(len > 1000);
	assert_memory_equal(buf, "<!DOCTYPE html>", 15);
	lib_free(buf);
	dp = opendir(dir);
	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(dp);
	assert_int_equal(n, 1);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	diag_free(&d);
}

/*
 * A report written to a device or a FIFO (--output /dev/null, a named
 * pipe) goes into it, as a shell redirection does: renaming a temporary
 * file over the path would replace /dev/null with a regular file.
 */
static void
test_atomic_devices(void **state)
{
	char dir[] = "/tmp/rampart-reports-XXXXXX", path[128], buf[16];
	struct diag d;
	struct stat st;
	struct dirent *de;
	DIR *dp;
	size_t n = 0;
	int rfd;

	(void)state;
	diag_init(&d);
	assert_int_equal(atomic_write(&d, "/dev/null", "x", 1, 0644), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	rfd = open(path, O_RDONLY | O_NONBLOCK);
	assert_true(rfd >= 0);
	assert_int_equal(atomic_write(&d, path, "report", 6, 0644), 0);
	assert_int_equal(read(rfd, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, "report", 6);
	close(rfd);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	dp = opendir(dir);
	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(dp);
	assert_int_equal(n, 1); /* no temporary file left beside it */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	diag_free(&d);
}

/* Failing each allocation in turn: a clean 0 or -1, never a crash. */
static void
test_alloc_failures(void **state)
{
	struct fx *f = *state;
	struct report_opts o;
	char *buf;
	size_t i, n;
	long k, used;
	FILE *fp;
	int rc;

	memset(&o, 0, sizeof(o));
	o.fixed_time = FIXED_TIME;
	for (i = 0; i < nwriters; i++) {
		/* How many allocations a clean run makes. */
		buf = NULL;
		fp = open_memstream(&buf, &n);
		assert_non_null(fp);
		lib_alloc_fail_at(1000000);
		assert_int_equal(writers[i]->write(fp, &f->run.as, &o), 0);
		used = lib_alloc_count();
		lib_alloc_fail_at(0);
		fclose(fp);
		free(buf);
		for (k = 1; k <= used; k++) {
			buf = NULL;
			fp = open_memstream(&buf, &n);
			assert_non_null(fp);
			lib_alloc_fail_at(k);
			rc = writers[i]->write(fp, &f->run.as, &o);
			lib_alloc_fail_at(0);
			assert_true(rc == 0 || rc == -1);
			fclose(fp);
			free(buf);
		}
	}
}

/* For tests/e2e/reports.sh: every format of the fixture into a folder. */
static void
test_dump(void **state)
{
	struct fx *f = *state;
	const char *dir = getenv("RAMPART_REPORTS_DUMP");
	struct report_opts o;
	struct diag d;
	char path[4096];
	size_t i;

	if (dir == NULL)
		skip();
	memset(&o, 0, sizeof(o));
	o.fixed_time = FIXED_TIME;
	o.tool_version = "9.9.9-test";
	diag_init(&d);
	for (i = 0; i < nwriters; i++) {
		snprintf(
		    path, sizeof(path), "%s/%s", dir, writers[i]->filename);
		if (report_write(&d, writers[i], &f->run.as, &o, path) != 0) {
			diag_print(&d, stderr, 0, 0);
			fail();
		}
	}
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted),
		cmocka_unit_test_setup_teardown(
		    test_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_json_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_json_threads_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_html_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_junit_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_markdown_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_text_escaping, setup, teardown),
		cmocka_unit_test(test_markup_escape),
		cmocka_unit_test(test_uri),
		cmocka_unit_test_setup_teardown(test_sarif, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_text_width, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sarif_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oscal, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_oscal_states, setup, teardown),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test_setup_teardown(
		    test_fingerprint_in_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_errors_in_failing_control, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_max_items, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_waived_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_partial_everywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_write, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_alloc_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test(test_atomic_devices),
	};

	RUN_TESTS("reports", tests, argc, argv);
}
