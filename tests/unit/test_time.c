/*
 * test_time.c: the strict date and time parser (lib/time.c): a table of
 * accepted and refused values, a round-trip property over random valid
 * times formatted by the C library, random corruptions that must be
 * refused or read as another valid time (never crash), and the
 * overflow-safe day arithmetic.
 */
#include "testutil.h"

#include <time.h>

#include "checks/check.h"
#include "rules/rules.h"

struct good {
	const char *s;
	int64_t want;
	int form;
};

static const struct good goods[] = {
	{ "2026-12-03T08:00:00Z", 1796284800, TIME_DATETIME },
	{ "2026-12-03t08:00:00z", 1796284800, TIME_DATETIME },
	{ "2026-12-03T13:30:00+05:30", 1796284800, TIME_DATETIME },
	{ "2026-12-03T03:00:00-05:00", 1796284800, TIME_DATETIME },
	{ "2026-12-03T08:00:00-00:00", 1796284800, TIME_DATETIME },
	{ "2026-12-03T08:00:00.999999999Z", 1796284800, TIME_DATETIME },
	{ "2026-12-03T08:00:00.5+00:00", 1796284800, TIME_DATETIME },
	{ "2026-12-03", 1796256000, TIME_DATE },
	{ "1970-01-01", 0, TIME_DATE },
	{ "1970-01-01T00:00:00Z", 0, TIME_DATETIME },
	{ "1969-12-31T23:59:59Z", -1, TIME_DATETIME },
	{ "2024-02-29", 1709164800, TIME_DATE },
	{ "2000-02-29", 951782400, TIME_DATE },
	{ "2016-12-31T23:59:60Z", 1483228799, TIME_DATETIME },
	{ "2016-12-31T18:59:60-05:00", 1483228799, TIME_DATETIME },
	{ "2015-06-30T23:59:60.5Z", 1435708799, TIME_DATETIME },
	{ "0000-01-01", -62167219200LL, TIME_DATE },
	{ "0000-01-01T00:00:00+23:59", TIME_PARSE_MIN, TIME_DATETIME },
	{ "9999-12-31T23:59:59Z", 253402300799LL, TIME_DATETIME },
	{ "9999-12-31T23:59:59-23:59", TIME_PARSE_MAX, TIME_DATETIME },
	/* The credential report's and AWS CLI's forms. */
	{ "2016-05-19T22:01:05+00:00", 1463695265, TIME_DATETIME },
	{ "2019-10-18T21:38:40.000Z", 1571434720, TIME_DATETIME },
};

static const char *const bads[] = {
	"",
	"20261231",
	"1796284800",
	"1796284800.5",
	"NaN",
	"nan",
	"inf",
	"-1",
	"N/A",
	"no_information",
	"not_supported",
	"2025-02-29",
	"1900-02-29",
	"2100-02-29",
	"2026-13-01",
	"2026-00-10",
	"2026-04-31",
	"2026-01-00",
	"2026-01-32",
	"2026-1-05",
	"26-01-05",
	"+2026-01-05",
	"-2026-01-05",
	"12026-01-05",
	"2026/01/05",
	" 2026-01-05",
	"2026-01-05 ",
	"2026-01-05\n",
	"\t2026-01-05",
	"2026-01-05x",
	"2026-01-05T",
	"2026-12-03T24:00:00Z",
	"2026-12-03T23:60:00Z",
	"2026-12-03T23:59:61Z",
	"2026-12-03T12:00:60Z", /* leap second not at 23:59 UTC */
	"2026-12-30T23:59:60Z", /* ... nor at a month's end */
	"2016-12-31T23:59:60+01:00", /* 22:59:60 UTC */
	"2026-12-03T08:00Z",
	"2026-12-03T08Z",
	"2026-12-03T08:00:00",
	"2026-12-03T08:00:00.123",
	"2026-12-03 08:00:00Z",
	"2026-12-03T08:00:00+0000",
	"2026-12-03T08:00:00+00",
	"2026-12-03T08:00:00+24:00",
	"2026-12-03T08:00:00+05:60",
	"2026-12-03T08:00:00.Z",
	"2026-12-03T08:00:00,5Z",
	"2026-12-03T08:00:00ZZ",
	"2026-12-03T08:00:00Z ",
	"2026-12-03T08:00:00 Z",
	"2026-12-03T8:00:00Z",
	"2026-12-03T08:0:00Z",
	"2026-12-03T08:00:0Z",
	"2026-W49-4",
	"2026-337",
	"yesterday",
	"1e9",
	"0x7fffffff",
	"2026-12-03T08:00:00.000000000000000000000000000000000000000000001Z",
};

static void
good_values(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		int64_t t = 42;
		struct time_error err = { NULL, 0 };
		int rc = time_parse(
		    goods[i].s, strlen(goods[i].s), TIME_ANY, &t, &err);

		if (rc != goods[i].form || t != goods[i].want)
			fail_msg("'%s': rc %d t %lld (want %d %lld): %s",
			    goods[i].s, rc, (long long)t, goods[i].form,
			    (long long)goods[i].want, err.why ? err.why : "-");
		assert_int_equal(parse_time(goods[i].s, &t), 0);
	}
}

static void
bad_values(void **state)
{
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		int64_t t = 42;
		struct time_error err = { NULL, 99999 };

		len = strlen(bads[i]);
		if (time_parse(bads[i], len, TIME_ANY, &t, &err) != -1)
			fail_msg(
			    "'%s' accepted as %lld", bads[i], (long long)t);
		assert_int_equal(t, 42); /* untouched */
		assert_non_null(err.why);
		assert_true(err.why[0] >= 'a' && err.why[0] <= 'z');
		assert_true(err.at <= len);
		assert_int_equal(parse_time(bads[i], &t), -1);
	}
	assert_int_equal(parse_time(NULL, NULL), -1);
}

/* A message names the actual problem, at the right byte. */
static void
reasons(void **state)
{
	struct {
		const char *s, *why;
		size_t at;
	} r[] = {
		{ "20261231", "not a number", 4 },
		{ "2025-02-29", "not a leap year", 8 },
		{ "2026-12-03T24:00:00Z", "hour out of range", 11 },
		{ "2026-12-03T08:00:00", "no UTC offset", 19 },
		{ "2026-12-03 08:00:00Z", "a space instead of 'T'", 10 },
		{ "2026-12-03x", "trailing characters", 10 },
		{ "", "empty", 0 },
		{ " 2026-12-03", "leading white space", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		struct time_error err = { NULL, 0 };
		int64_t t;

		assert_int_equal(
		    time_parse(r[i].s, strlen(r[i].s), TIME_ANY, &t, &err), -1);
		if (strstr(err.why, r[i].why) == NULL || err.at != r[i].at)
			fail_msg("'%s': '%s' at %zu", r[i].s, err.why, err.at);
	}
}

/* An embedded NUL byte is refused, not read as the end of the value. */
static void
embedded_nul(void **state)
{
	static const char s[] = "2026-12-03\0T08:00:00Z";
	int64_t t;

	(void)state;
	assert_int_equal(time_parse(s, sizeof(s) - 1, TIME_ANY, &t, NULL), -1);
	assert_int_equal(time_parse(s, 10, TIME_ANY, &t, NULL), TIME_DATE);
}

/* TIME_DATE or TIME_DATETIME alone refuses the other form. */
static void
forms(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(
	    time_parse("2026-12-03", 10, TIME_DATETIME, &t, NULL), -1);
	assert_int_equal(
	    time_parse("2026-12-03T00:00:00Z", 20, TIME_DATE, &t, NULL), -1);
	assert_int_equal(
	    time_parse("2026-12-03", 10, TIME_DATE, &t, NULL), TIME_DATE);
}

/* xorshift64*: a fixed seed, so a failure reproduces. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/*
 * Random instants of years 0000..9999, formatted by gmtime_r and
 * strftime, with random case, fractions and offsets, parse back to the
 * same instant; the bare date parses to its midnight.
 */
static void
round_trip(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	const int64_t lo = -62167219200LL, hi = 253402300799LL;
	char date[32], buf[96];
	int i;

	(void)state;
	for (i = 0; i < 200000; i++) {
		int64_t want =
		    lo + (int64_t)(rnd(&seed) % (uint64_t)(hi - lo + 1));
		int64_t got, off, shifted;
		time_t tt = (time_t)want;
		struct tm tm;
		unsigned v = (unsigned)rnd(&seed);
		int n;

		assert_non_null(gmtime_r(&tt, &tm));
		/* A local time at a random offset within -23:59..+23:59. */
		off = (int64_t)(rnd(&seed) % (2 * 1439 + 1)) - 1439;
		shifted = want + off * 60;
		if (shifted < lo || shifted > hi)
			off = 0, shifted = want;
		tt = (time_t)shifted;
		assert_non_null(gmtime_r(&tt, &tm));
		/* %Y does not pad years below 1000: format it here. */
		snprintf(date, sizeof(date), "%04d-%02d-%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		assert_int_equal(strlen(date), 10);
		if (off == 0 && (v & 1))
			n = snprintf(buf, sizeof(buf), "%s%c%02d:%02d:%02d%s%c",
			    date, v & 2 ? 'T' : 't', tm.tm_hour, tm.tm_min,
			    tm.tm_sec, v & 4 ? ".123456" : "",
			    v & 8 ? 'Z' : 'z');
		else
			n = snprintf(buf, sizeof(buf),
			    "%sT%02d:%02d:%02d%s%c%02d:%02d", date, tm.tm_hour,
			    tm.tm_min, tm.tm_sec, v & 4 ? ".5" : "",
			    off < 0 ? '-' : '+', (int)(llabs(off) / 60),
			    (int)(llabs(off) % 60));
		assert_true(n > 0 && (size_t)n < sizeof(buf));
		if (time_parse(buf, (size_t)n, TIME_ANY, &got, NULL) !=
			TIME_DATETIME ||
		    got != want)
			fail_msg("'%s': got %lld, want %lld", buf,
			    (long long)got, (long long)want);
		/* The date alone is its midnight UTC. */
		assert_int_equal(
		    time_parse(date, 10, TIME_ANY, &got, NULL), TIME_DATE);
		assert_int_equal(
		    got, shifted - ((shifted % 86400) + 86400) % 86400);
		/* format_time agrees with gmtime_r. */
		if (off == 0) {
			char f[32], g[32];

			format_time(want, f);
			snprintf(g, sizeof(g), "%sT%02d:%02d:%02dZ", date,
			    tm.tm_hour, tm.tm_min, tm.tm_sec);
			assert_string_equal(f, g);
		}
	}
}

/*
 * Random corruptions of valid values (a byte replaced, inserted or
 * deleted, a truncation): each is refused, or read as a valid time in
 * range that its own canonical form confirms; never a crash (ASan), never
 * a value outside the documented range.
 */
static void
corruptions(void **state)
{
	static const char *const seeds[] = { "2026-12-03T08:00:00Z",
		"2024-02-29", "2016-12-31T23:59:60Z",
		"2019-10-18T21:38:40.000+05:30", "0000-01-01", "9999-12-31" };
	static const char alphabet[] = "0123456789-:T tZz+.,\0x9";
	uint64_t seed = 12345;
	char buf[64];
	int i, accepted = 0;

	(void)state;
	for (i = 0; i < 300000; i++) {
		const char *s = seeds[rnd(&seed) % 6];
		size_t len = strlen(s), pos, k;
		unsigned op = (unsigned)(rnd(&seed) % 4);
		char c = alphabet[rnd(&seed) % (sizeof(alphabet) - 1)];
		struct time_error err = { NULL, 0 };
		int64_t t = 0;
		int rc;

		memcpy(buf, s, len);
		pos = (size_t)(rnd(&seed) % (len + 1));
		switch (op) {
		case 0: /* replace */
			if (pos == len)
				pos--;
			buf[pos] = c;
			break;
		case 1: /* insert */
			memmove(buf + pos + 1, buf + pos, len - pos);
			buf[pos] = c;
			len++;
			break;
		case 2: /* delete */
			if (pos == len)
				pos--;
			memmove(buf + pos, buf + pos + 1, len - pos - 1);
			len--;
			break;
		default: /* truncate */
			len = pos;
			break;
		}
		/* Parse a heap copy of exactly len bytes, so ASan sees reads
		 * past the end. */
		{
			char *h = malloc(len ? len : 1);

			assert_non_null(h);
			memcpy(h, buf, len);
			rc = time_parse(h, len, TIME_ANY, &t, &err);
			free(h);
		}
		if (rc == -1) {
			assert_non_null(err.why);
			assert_true(err.at <= len);
			continue;
		}
		accepted++;
		assert_true(rc == TIME_DATE || rc == TIME_DATETIME);
		assert_true(t >= TIME_PARSE_MIN && t <= TIME_PARSE_MAX);
		for (k = 0; k < len; k++)
			assert_true(buf[k] != '\0' && buf[k] != ' ');
	}
	/* Some corruptions stay valid (a digit for a digit). */
	assert_true(accepted > 0);
}

static void
days_between(void **state)
{
	(void)state;
	assert_int_equal(time_days_between(0, 86399), 0);
	assert_int_equal(time_days_between(0, 86400), 1);
	assert_int_equal(time_days_between(86400, 0), -1);
	assert_int_equal(time_days_between(1, 0), -1);
	assert_int_equal(time_days_between(-1, 0), 0);
	assert_int_equal(time_days_between(-86400, 0), 1);
	assert_int_equal(time_days_between(43200, 86400 + 43199), 0);
	assert_int_equal(time_days_between(43200, 86400 + 43200), 1);
	/* The extremes: no overflow (UBSan would abort). */
	assert_int_equal(time_days_between(INT64_MIN, INT64_MAX),
	    INT64_MAX / 86400 - (INT64_MIN / 86400 - 1));
	assert_int_equal(time_days_between(INT64_MAX, INT64_MIN),
	    -(INT64_MAX / 86400 - (INT64_MIN / 86400 - 1)) - 1);
	assert_int_equal(time_days_between(INT64_MIN, INT64_MIN), 0);
}

static void
add_days(void **state)
{
	int64_t t = 7;

	(void)state;
	assert_int_equal(time_add_days(0, 30, &t), 0);
	assert_int_equal(t, 30 * 86400);
	assert_int_equal(time_add_days(86400, -1, &t), 0);
	assert_int_equal(t, 0);
	t = 7;
	assert_int_equal(time_add_days(INT64_MAX - 10, 1, &t), -1);
	assert_int_equal(time_add_days(INT64_MIN + 10, -1, &t), -1);
	assert_int_equal(time_add_days(0, INT64_MAX, &t), -1);
	assert_int_equal(time_add_days(0, INT64_MIN, &t), -1);
	assert_int_equal(t, 7);
}

static void
format_extremes(void **state)
{
	char out[32];

	(void)state;
	format_time(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	format_time(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	format_time(253402300799LL, out);
	assert_string_equal(out, "9999-12-31T23:59:59Z");
	/* Out of any calendar a report uses, but no crash and no 1970. */
	format_time(INT64_MAX, out);
	assert_null(strstr(out, "1970"));
	format_time(INT64_MIN, out);
	assert_null(strstr(out, "1970"));
}

/* ------------------------------------------------ credential report */

#define NOW 1796284800 /* 2026-12-03T08:00:00Z */

/*
 * Evaluate aws_credential_report's `which` check on one user row whose
 * date column `col` holds `value` (JSON-escaped) and whose other dates
 * are recent.  The message of the result goes to *msg when not NULL.
 */
static enum status
cr_eval(struct arena *a, const char *which, const char *col, const char *value,
    const char **msg)
{
	static const char *const cols[] = { "user_creation_time",
		"password_last_used", "password_last_changed",
		"access_key_1_last_rotated", "access_key_1_last_used_date" };
	const struct check_plugin *p =
	    check_plugin_find("aws_credential_report");
	struct resource r;
	struct check_ctx c;
	struct diag d;
	struct doc_node **docs;
	char json[2048], params[128];
	size_t n, i, o;

	o = (size_t)snprintf(json, sizeof(json),
	    "{\"CredentialReport\": {\"user\": \"alice\", "
	    "\"password_enabled\": \"true\", \"mfa_active\": \"true\", "
	    "\"access_key_1_active\": \"true\", "
	    "\"access_key_2_active\": \"false\"");
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		o += (size_t)snprintf(json + o, sizeof(json) - o,
		    ", \"%s\": \"%s\"", cols[i],
		    strcmp(cols[i], col) == 0 ? value
					      : "2026-11-30T00:00:00+00:00");
	snprintf(json + o, sizeof(json) - o, "}}");
	snprintf(params, sizeof(params), "{\"check\": \"%s\"}", which);
	assert_non_null(p);
	diag_init(&d);
	memset(&r, 0, sizeof(r));
	r.type = "AWS::IAM::User";
	r.id = "alice";
	r.source = "inline.json";
	assert_int_equal(doc_load_buf(a, &d, "inline.json", json, strlen(json),
			     DOC_FMT_JSON, NULL, &docs, &n),
	    0);
	r.attrs = docs[0];
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.d = &d;
	c.now = NOW;
	assert_int_equal(doc_load_buf(a, &d, "params.json", params,
			     strlen(params), DOC_FMT_JSON, NULL, &docs, &n),
	    0);
	c.params = docs[0];
	check_ctx_reset(&c);
	assert_int_equal(p->evaluate(&c, &r), 0);
	assert_true(c.emitted);
	diag_free(&d);
	if (msg != NULL)
		*msg = c.result.message;
	return c.result.status;
}

/*
 * Every refused value of the table, in every date column a check reads,
 * makes that check `error` (never `pass`, never a time like INT64_MIN),
 * and the message names the user, the column, the value and where.
 */
static void
credential_report_bad_dates(void **state)
{
	static const struct {
		const char *which, *col;
	} uses[] = {
		{ "key_rotation", "access_key_1_last_rotated" },
		{ "unused_credentials", "access_key_1_last_used_date" },
		{ "unused_credentials", "password_last_used" },
	};
	struct arena *a = arena_new();
	const char *msg;
	size_t i, k;

	(void)state;
	for (k = 0; k < sizeof(uses) / sizeof(uses[0]); k++) {
		/* The compliant twin: a recent date passes. */
		assert_int_equal(cr_eval(a, uses[k].which, uses[k].col,
				     "2026-11-20T10:00:00+00:00", NULL),
		    ST_PASS);
		/* And an old one fails: the column is really read. */
		assert_int_equal(cr_eval(a, uses[k].which, uses[k].col,
				     "2020-01-01T00:00:00+00:00", NULL),
		    ST_FAIL);
		for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
			/* N/A and no_information are documented markers. */
			if (strcmp(bads[i], "N/A") == 0 ||
			    strcmp(bads[i], "no_information") == 0 ||
			    strchr(bads[i], '\n') != NULL ||
			    strchr(bads[i], '\t') != NULL)
				continue;
			if (cr_eval(a, uses[k].which, uses[k].col, bads[i],
				&msg) != ST_ERROR)
				fail_msg("%s '%s' = '%s': not an error",
				    uses[k].which, uses[k].col, bads[i]);
			assert_non_null(strstr(msg, "user 'alice'"));
			assert_non_null(strstr(msg, uses[k].col));
			assert_non_null(strstr(msg, "is not a date"));
			assert_non_null(strstr(msg, "inline.json:"));
		}
	}
	arena_free(a);
}

/* The report's markers, where AWS documents them and nowhere else. */
static void
credential_report_markers(void **state)
{
	struct arena *a = arena_new();
	const char *msg;

	(void)state;
	/* A key never used: its age counts from its rotation (recent). */
	assert_int_equal(cr_eval(a, "unused_credentials",
			     "access_key_1_last_used_date", "N/A", NULL),
	    ST_PASS);
	assert_int_equal(cr_eval(a, "unused_credentials", "password_last_used",
			     "no_information", NULL),
	    ST_PASS);
	/* A rotation date is never "no_information" nor "not_supported". */
	assert_int_equal(cr_eval(a, "key_rotation", "access_key_1_last_rotated",
			     "no_information", &msg),
	    ST_ERROR);
	assert_non_null(strstr(msg, "only documented for last-used"));
	assert_int_equal(cr_eval(a, "unused_credentials", "password_last_used",
			     "not_supported", &msg),
	    ST_ERROR);
	assert_non_null(strstr(msg, "only documented for the root"));
	/* An active key without a rotation date: error, as before. */
	assert_int_equal(cr_eval(a, "key_rotation", "access_key_1_last_rotated",
			     "N/A", NULL),
	    ST_ERROR);
	/* Dates only: a bare date is not what the report writes. */
	assert_int_equal(cr_eval(a, "key_rotation", "access_key_1_last_rotated",
			     "2026-11-30", NULL),
	    ST_ERROR);
	arena_free(a);
}

/* ----------------------------------------------------- attestations */

/* Load an attestation whose `key` (date or expires) is `value`. */
static struct attest_set *
attest_with(struct diag *d, const char *key, const char *value)
{
	static const char path[] = "/tmp/rampart-test-time-attest.yaml";
	FILE *fp = fopen(path, "w");
	struct attest_set *s;

	assert_non_null(fp);
	fprintf(fp,
	    "attestations:\n"
	    "  - control: ac-1\n"
	    "    statement: policy approved\n"
	    "    evidence: [https://grc.example/doc/1]\n"
	    "    attested_by: Jane Doe, ISSO\n"
	    "    date: %s\n"
	    "    expires: %s\n",
	    strcmp(key, "date") == 0 ? value : "2025-01-15",
	    strcmp(key, "expires") == 0 ? value : "2027-01-15");
	assert_int_equal(fclose(fp), 0);
	s = attest_load(d, path);
	unlink(path);
	return s;
}

/*
 * Attestation dates: every refused value of the table is an error at the
 * value's line:col naming the field and the reason; the accepted forms
 * load with the right time.
 */
static void
attestation_dates(void **state)
{
	static const char *const keys[] = { "date", "expires" };
	struct attest_set *s;
	struct diag d;
	size_t i, k;
	char want[400];

	(void)state;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
			char quoted[160], esc[160];

			/* YAML-quoted, so the parser sees the exact bytes. */
			if (strchr(bads[i], '\'') != NULL ||
			    strchr(bads[i], '\n') != NULL)
				continue;
			snprintf(quoted, sizeof(quoted), "'%s'", bads[i]);
			diag_init(&d);
			s = attest_with(&d, keys[k], quoted);
			if (s != NULL)
				fail_msg("%s '%s' accepted", keys[k], bads[i]);
			/* Messages show control bytes escaped (\x09). */
			term_escape(
			    esc, sizeof(esc), bads[i], strlen(bads[i]), 0);
			snprintf(want, sizeof(want),
			    "rampart-test-time-attest.yaml:%d:%d: error: "
			    "invalid date '%s' in '%s': ",
			    k == 0 ? 6 : 7, k == 0 ? 11 : 14, esc, keys[k]);
			assert_diag_has(&d, want);
			diag_free(&d);
		}
	}
	diag_init(&d);
	s = attest_with(&d, "date", "2024-02-29T12:00:00+12:00");
	assert_non_null(s);
	assert_int_equal(s->items[0].date, 1709164800);
	attest_free(s);
	diag_free(&d);
}

/* A scalar where the list belongs is refused, not read as no items. */
static void
attestation_and_poam_lists(void **state)
{
	static const char path[] = "/tmp/rampart-test-time-list.yaml";
	static const char *const files[] = { "attestations: x\n",
		"attestations: 2026-01-01\n", "items: x\n", "items: 7\n",
		"items:\n  - {id: a, control: ac-1, justification: j, "
		"approver: a, expires: 2026-01-01, milestones: soon}\n" };
	struct diag d;
	size_t i;
	FILE *fp;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_non_null(fp = fopen(path, "w"));
		fputs(files[i], fp);
		assert_int_equal(fclose(fp), 0);
		diag_init(&d);
		if (files[i][0] == 'a') {
			assert_null(attest_load(&d, path));
			assert_diag_has(&d,
			    "1:15: error: 'attestations' must be "
			    "a list of attestations, found ");
		} else if (files[i][6] != '\n') {
			assert_null(poam_load(&d, path));
			assert_diag_has(&d,
			    "1:8: error: 'items' must be a list "
			    "of POA&M items, found ");
		} else {
			assert_null(poam_load(&d, path));
			assert_diag_has(&d,
			    "'milestones' must be a list of "
			    "{description, due}, found string");
		}
		diag_free(&d);
	}
	unlink(path);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_values),
		cmocka_unit_test(bad_values),
		cmocka_unit_test(reasons),
		cmocka_unit_test(embedded_nul),
		cmocka_unit_test(forms),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(corruptions),
		cmocka_unit_test(days_between),
		cmocka_unit_test(add_days),
		cmocka_unit_test(format_extremes),
		cmocka_unit_test(credential_report_bad_dates),
		cmocka_unit_test(credential_report_markers),
		cmocka_unit_test(attestation_dates),
		cmocka_unit_test(attestation_and_poam_lists),
	};

	RUN_TESTS("time", tests, argc, argv);
}
