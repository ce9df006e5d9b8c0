/*
 * test_param.c: reading organisation-defined parameter text
 * (rules/param.c).  A table of the real FedRAMP Rev5 values (every
 * `value:` of rules/baselines/fedramp-*.yaml holding a number, and the
 * issue's examples) with the quantity rampart must read or the refusal;
 * a generator over number words; conversion between units; and a sweep
 * over every parameter of the shipped baselines: a value that is read
 * never holds a number its text does not say.
 */
#include "tests/unit/testutil.h"
#include "rules/rules.h"

struct pcase {
	const char *text;
	int ok; /* 1 read, 0 refused */
	long long v;
	const char *unit;
	const char *why; /* substring of the refusal */
};

static const struct pcase cases[] = {
	/* Read: FedRAMP Rev5 values as written. */
	{ "ninety (90) days (See additional requirements and guidance.)", 1, 90,
	    "days", NULL },
	{ "thirty-five (35) days (See additional requirements and "
	  "guidance.)",
	    1, 35, "days", NULL },
	{ "twenty-four (24) hours", 1, 24, "hours", NULL },
	{ "eight (8) hours", 1, 8, "hours", NULL },
	{ "24 hours for user accounts", 1, 24, "hours", NULL },
	{ "no more than 24 hours from last use", 1, 24, "hours", NULL },
	{ "no more than 96 hours from last use", 1, 96, "hours", NULL },
	{ "inactivity is anticipated to exceed Fifteen (15) minutes", 1, 15,
	    "minutes", NULL },
	{ "one (1) hour", 1, 1, "hours", NULL },
	{ "fifteen (15) minutes", 1, 15, "minutes", NULL },
	{ "four (4) hours", 1, 4, "hours", NULL },
	{ "within twenty-four (24) hours", 1, 24, "hours", NULL },
	{ "within thirty (30) days of release of updates", 1, 30, "days",
	    NULL },
	{ "within 24 hours prior to running scans", 1, 24, "hours", NULL },
	{ "at least every ninety (90) days", 1, 90, "days", NULL },
	{ "at least every ninety (90) days or whenever there is a change in "
	  "the threat environment that warrants a review of the exceptions",
	    1, 90, "days", NULL },
	{ "at least every 180 days or whenever there is a change in the "
	  "threat environment that warrants a review of the exceptions",
	    1, 180, "days", NULL },
	{ "at least every 3 years", 1, 3, "years", NULL },
	{ "at least every three years", 1, 3, "years", NULL },
	{ "at least every three (3) years", 1, 3, "years", NULL },
	{ "at least every three (3) years and when a significant change "
	  "occurs",
	    1, 3, "years", NULL },
	{ "at least two (2) years", 1, 2, "years", NULL },
	{ "for a minimum of one (1) year", 1, 1, "years", NULL },
	{ "at least one (1) year or 1 year after completion of a specific "
	  "training program",
	    1, 1, "years", NULL },
	{ "five (5) years or 5 years after completion of a specific "
	  "training program",
	    1, 5, "years", NULL },
	{ "automated mechanisms with a maximum five-minute delay in "
	  "detection",
	    1, 5, "minutes", NULL },
	{ "one second granularity of time measurement", 1, 1, "seconds", NULL },
	/* Read: the examples and example.yaml's values. */
	{ "one (1) year", 1, 1, "years", NULL },
	{ "1,095 days", 1, 1095, "days", NULL },
	{ "-30 days", 1, -30, "days", NULL },
	{ "minus 30 days", 1, -30, "days", NULL },
	{ "minus thirty (30) days", 1, -30, "days", NULL },
	{ "30 days before expiry", 1, -30, "days", NULL },
	{ "thirty (30) days before the certificate expires", 1, -30, "days",
	    NULL },
	{ "one hundred and eighty (180) days", 1, 180, "days", NULL },
	{ "one thousand and ninety-five (1,095) days", 1, 1095, "days", NULL },
	{ "365 days online", 1, 365, "days", NULL },
	{ "24 generations", 1, 24, "generation", NULL },
	{ "90", 1, 90, "", NULL },
	{ "-30", 1, -30, "", NULL },
	{ "  7 Days ", 1, 7, "days", NULL },
	{ "renew 30-day certificates", 1, 30, "days", NULL },
	{ "a 5-year term", 1, 5, "years", NULL },
	/* Refused: no number, frequencies, several quantities. */
	{ "at least annually", 0, 0, NULL, "frequency" },
	{ "at least monthly", 0, 0, NULL, "frequency" },
	{ "daily incremental; weekly full", 0, 0, NULL, "frequency" },
	{ "monthly for privileged accessed, every six (6) months for "
	  "non-privileged access",
	    0, 0, NULL, "frequency" },
	{ "at least every six (6) months, including functional at least "
	  "annually",
	    0, 0, NULL, "frequency" },
	{ "a time period in compliance with M-21-31", 0, 0, NULL,
	    "'M-21-31' is not a quantity" },
	{ "In accordance with Federal requirements", 0, 0, NULL,
	    "holds no number" },
	{ "organization agreed upon time period", 0, 0, NULL,
	    "holds no number" },
	{ "", 0, 0, NULL, "holds no number" },
	{ "ten (10) days for privileged users, thirty (30) days for Incident "
	  "Response roles",
	    0, 0, NULL, "different quantities" },
	{ "no longer than ten (10) minutes for privileged sessions and no "
	  "longer than fifteen (15) minutes for user sessions",
	    0, 0, NULL, "different quantities" },
	{ "three (3) sessions for privileged access and two (2) sessions for "
	  "non-privileged access",
	    0, 0, NULL, "different quantities" },
	{ "high-risk vulnerabilities mitigated within thirty (30) days from "
	  "date of discovery; moderate-risk vulnerabilities mitigated within "
	  "ninety (90) days from date of discovery; low risk vulnerabilities "
	  "mitigated within one hundred and eighty (180) days from date of "
	  "discovery",
	    0, 0, NULL, "different quantities" },
	{ "terminations: immediately; transfers: within twenty-four (24) "
	  "hours",
	    0, 0, NULL, "different quantities" },
	{ "75%, or one month before expected negative impact", 0, 0, NULL,
	    "not a quantity" },
	{ "for national security clearances; a reinvestigation is required "
	  "during the fifth (5th) year for top secret security clearance",
	    0, 0, NULL, "'5th' is not a quantity" },
	{ "US-CERT incident reporting timelines as specified in NIST Special "
	  "Publication 800-61 (as amended)",
	    0, 0, NULL, "'800-61' is not a quantity" },
	{ "in accordance with OMB A-130 requirements or when a significant "
	  "change occurs",
	    0, 0, NULL, "'A-130' is not a quantity" },
	{ "The service provider shall use the DoD STIGs to establish "
	  "configuration settings; Center for Internet Security up to Level "
	  "2 (CIS Level 2) guidelines shall be used if STIGs are not "
	  "available",
	    0, 0, NULL, "has no unit" },
	{ "Continuously (via CM-7 (5))", 0, 0, NULL, "not a quantity" },
	{ "vulnerability scanning information; {{ insert: param, "
	  "au-06.05_odp.02 }}",
	    0, 0, NULL, "not a quantity" },
	{ "5.1.1+20231218-1", 0, 0, NULL, "not a quantity" },
	{ "1.5 days", 0, 0, NULL, "'1.5' is not a quantity" },
	{ "ninety (80) days", 0, 0, NULL, "differently" },
	{ "thirty-five (53) days", 0, 0, NULL, "differently" },
	{ "1,09 days", 0, 0, NULL, "not a quantity" },
	{ "immediately", 1, 0, "", NULL },
	{ "90 days, minus 30 days", 0, 0, NULL, "different quantities" },
	{ "minus -30 days", 0, 0, NULL, "two signs" },
	{ "-30 days before expiry", 0, 0, NULL, "two signs" },
	{ "99999999999999999999 days", 0, 0, NULL, "too large" },
	{ "five five days", 0, 0, NULL, "not a number" },
	{ "- 30 days", 0, 0, NULL, "sign before '30'" },
	{ "\xe2\x88\x92"
	  "30 days",
	    0, 0, NULL, "not a quantity" },
	{ "\xe2\x88\x92 30 days", 0, 0, NULL, "sign before '30'" },
	{ "\xe2\x80\x93"
	  "30 days",
	    0, 0, NULL, "not a quantity" },
	{ "10-20 days", 0, 0, NULL, "'10-20' is not a quantity" },
};

static void
table(void **state)
{
	struct param_value pv;
	char why[256];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = param_parse(cases[i].text, &pv, why, sizeof(why));
		if ((r == 0) != cases[i].ok)
			print_message("'%s': %s (%lld %s)\n", cases[i].text,
			    r == 0 ? "read" : why, (long long)pv.v, pv.unit);
		assert_int_equal(r == 0, cases[i].ok);
		if (cases[i].ok) {
			assert_int_equal(pv.v, cases[i].v);
			assert_string_equal(pv.unit, cases[i].unit);
		} else {
			if (strstr(why, cases[i].why) == NULL)
				print_message("'%s': %s\n", cases[i].text, why);
			assert_non_null(strstr(why, cases[i].why));
		}
	}
}

static const char *const small[] = { "zero", "one", "two", "three", "four",
	"five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
	"thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
	"nineteen" };
static const char *const tens[] = { "", "", "twenty", "thirty", "forty",
	"fifty", "sixty", "seventy", "eighty", "ninety" };

/* n (0..9999) in English words, as FedRAMP writes them. */
static void
words(int n, char *buf, size_t len, const char *join)
{
	size_t o = 0;

	buf[0] = '\0';
	if (n >= 1000) {
		o += (size_t)snprintf(
		    buf + o, len - o, "%s thousand", small[n / 1000]);
		n %= 1000;
		if (n == 0)
			return;
		o += (size_t)snprintf(buf + o, len - o, " ");
	}
	if (n >= 100) {
		o += (size_t)snprintf(
		    buf + o, len - o, "%s hundred", small[n / 100]);
		n %= 100;
		if (n == 0)
			return;
		o += (size_t)snprintf(buf + o, len - o, " and ");
	}
	if (n >= 20) {
		o += (size_t)snprintf(buf + o, len - o, "%s", tens[n / 10]);
		if (n % 10 != 0)
			snprintf(buf + o, len - o, "%s%s", join, small[n % 10]);
	} else {
		snprintf(buf + o, len - o, "%s", small[n]);
	}
}

/* Every number 0..9999 in words, with and without its digits, read
 * exactly; words and digits that disagree by one are refused. */
static void
number_words(void **state)
{
	struct param_value pv;
	char w[128], text[256], why[256];
	int n;

	(void)state;
	for (n = 0; n < 10000; n++) {
		words(n, w, sizeof(w), n % 2 ? "-" : " ");
		snprintf(text, sizeof(text), "%s (%d) days", w, n);
		if (param_parse(text, &pv, why, sizeof(why)) != 0)
			print_message("'%s': %s\n", text, why);
		assert_int_equal(param_parse(text, &pv, why, sizeof(why)), 0);
		assert_int_equal(pv.v, n);
		assert_string_equal(pv.unit, "days");
		snprintf(text, sizeof(text), "%s years", w);
		assert_int_equal(param_parse(text, &pv, why, sizeof(why)), 0);
		assert_int_equal(pv.v, n);
		snprintf(text, sizeof(text), "%s (%d) days", w, n + 1);
		assert_int_equal(param_parse(text, &pv, why, sizeof(why)), -1);
		snprintf(
		    text, sizeof(text), "%d,%03d days", n / 1000 + 1, n % 1000);
		assert_int_equal(param_parse(text, &pv, why, sizeof(why)), 0);
		assert_int_equal(pv.v, (n / 1000 + 1) * 1000 + n % 1000);
		/* Two different quantities are never read as the first. */
		snprintf(
		    text, sizeof(text), "%s (%d) days or %d days", w, n, n + 7);
		assert_int_equal(param_parse(text, &pv, why, sizeof(why)), -1);
		assert_non_null(strstr(why, "different"));
	}
}

struct ccase {
	long long v;
	const char *from, *to;
	int ok;
	long long out;
};

static const struct ccase conv[] = {
	{ 1, "years", "days", 1, 365 },
	{ 3, "years", "days", 1, 1095 },
	{ 2, "years", "months", 1, 24 },
	{ 24, "months", "years", 1, 2 },
	{ 18, "months", "years", 0, 0 },
	{ 1, "months", "days", 0, 0 },
	{ 24, "hours", "days", 1, 1 },
	{ 8, "hours", "days", 0, 0 },
	{ 1, "hours", "minutes", 1, 60 },
	{ 15, "minutes", "seconds", 1, 900 },
	{ 2, "weeks", "days", 1, 14 },
	{ -30, "days", "days", 1, -30 },
	{ -1, "years", "days", 1, -365 },
	{ 90, "days", "", 0, 0 },
	{ 90, "", "days", 0, 0 },
	{ 90, "", "", 1, 90 },
	{ 3, "session", "days", 0, 0 },
	{ 24, "generation", "generations", 1, 24 },
	{ 9000000000000000000LL, "years", "seconds", 0, 0 },
};

static void
convert(void **state)
{
	struct param_value pv;
	char why[256];
	int64_t out;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(conv) / sizeof(conv[0]); i++) {
		pv.v = conv[i].v;
		snprintf(pv.unit, sizeof(pv.unit), "%s", conv[i].from);
		out = 0;
		assert_int_equal(
		    param_convert(&pv, conv[i].to, &out, why, sizeof(why)) == 0,
		    conv[i].ok);
		if (conv[i].ok)
			assert_int_equal(out, conv[i].out);
		else
			assert_true(why[0] != '\0');
	}
}

/*
 * Every parameter value of the shipped FedRAMP baselines: a value that
 * is read holds its number in digits or in words, and a value with two
 * different digit runs is never read.
 */
static void
shipped_values(void **state)
{
	static const char *const bl[] = { "fedramp-high", "fedramp-li-saas",
		"fedramp-low", "fedramp-moderate" };
	struct param_value pv;
	struct baseline *b;
	struct diag d;
	const char *t, *p;
	char why[256], digits[32];
	size_t i, j, read = 0, refused = 0;
	long long first, x;
	int distinct;

	(void)state;
	for (i = 0; i < sizeof(bl) / sizeof(bl[0]); i++) {
		diag_init(&d);
		b = baseline_load(&d, bl[i], NULL);
		if (b == NULL && d.n > 0) {
			diag_format(&d, 0, why, sizeof(why));
			print_message("%s: %s\n", bl[i], why);
		}
		assert_non_null(b);
		for (j = 0; j < b->params->u.map.n; j++) {
			t = doc_str(b->params->u.map.pairs[j].val);
			if (t == NULL)
				continue;
			first = -1;
			distinct = 0;
			for (p = t; *p != '\0'; p++) {
				if (*p < '0' || *p > '9' ||
				    (p > t && p[-1] >= '0' && p[-1] <= '9'))
					continue;
				x = strtoll(p, NULL, 10);
				if (first == -1)
					first = x;
				else if (x != first)
					distinct = 1;
			}
			if (param_parse(t, &pv, why, sizeof(why)) != 0) {
				assert_true(why[0] != '\0');
				refused++;
				continue;
			}
			read++;
			assert_false(distinct);
			snprintf(digits, sizeof(digits), "%lld",
			    (long long)(pv.v < 0 ? -pv.v : pv.v));
			if (first != -1)
				assert_non_null(strstr(t, digits));
			else
				assert_true(strlen(pv.unit) > 0);
		}
		baseline_free(b);
		diag_free(&d);
	}
	print_message(
	    "shipped parameter values: %zu read, %zu refused\n", read, refused);
	assert_true(read > 20);
	assert_true(refused > 100);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(number_words),
		cmocka_unit_test(convert),
		cmocka_unit_test(shipped_values),
	};

	setenv("RAMPART_RULES_DIR", "rules", 1);
	RUN_TESTS("param", tests, argc, argv);
}
