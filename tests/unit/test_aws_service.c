/*
 * test_aws_service.c: the IA-5(1) password checks as FedRAMP Rev5 writes
 * them, phishing-resistant MFA (IA-2(1)/(2)), service state (CloudTrail,
 * Config recorders, VPC flow logs, IMDS) and the credential report's
 * shape.  Each class is proved over generated variants, each with the
 * exact status expected, and missing evidence is `error`, never pass.
 * The per-check fixtures from real recordings are in
 * tests/fixtures/aws-checks (test_aws_content).
 */
#include "tests/unit/testutil.h"

#include "rules/rules.h"
#include "tests/unit/collect.h"

static struct rule_set *rs;

/* The last evaluation, its message tp.msg (valid until the next). */
static struct test_plugin tp = { .now = 1704067200 };

/* Evaluate plugin `plugin` with {"check": which} on r. */
static enum status
eval_plugin(const char *plugin, const char *which, const struct resource *r)
{
	char params[128];

	snprintf(params, sizeof(params), "{\"check\": \"%s\"}", which);
	return test_eval(&tp, plugin, r, params);
}

/* Evaluate the shipped check `id` (an assertion) on attrs. */
static enum status
eval_rule(const char *id, const struct doc_node *attrs)
{
	const struct rule *ru = rule_find(rs, id);
	struct arena *a = arena_new();
	struct check_ctx c;
	struct diag d;
	const char *why = NULL;
	enum status st;

	assert_non_null(ru);
	assert_non_null(ru->assert);
	diag_init(&d);
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.d = &d;
	c.now = 1704067200;
	c.params = ru->params;
	check_ctx_reset(&c);
	st = assert_eval(ru->assert, attrs, &c, &why);
	snprintf(tp.msg, sizeof(tp.msg), "%s", why != NULL ? why : "");
	diag_free(&d);
	arena_free(a);
	return st;
}

#define EXPECT(got, want, ...) \
	do { \
		enum status got_ = (got); \
		if (got_ != (want)) { \
			print_message(__VA_ARGS__); \
			print_message(": %s (%s), expected %s\n", \
			    status_name(got_), tp.msg, status_name(want)); \
			failures++; \
		} \
	} while (0)

static int
setup(void **state)
{
	struct diag d;

	(void)state;
	setenv("RAMPART_RULES_DIR", "rules", 1);
	diag_init(&d);
	rs = rule_set_new();
	if (rs == NULL || rule_set_load_shipped(rs, &d) != 0) {
		diag_free(&d);
		return -1;
	}
	diag_free(&d);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rule_set_free(rs);
	return 0;
}

/* ------------------------------------------------------------ IA-5(1) */

/*
 * Every combination of RequireSymbols, ExpirePasswords, MaxPasswordAge
 * (absent, and the values AWS prints) and MinimumPasswordLength 8..20:
 * the exact status of each IA-5(1) check, and of the control (all pass).
 */
static void
test_password_generator(void **state)
{
	static const char *const flag[] = { NULL, "false", "true", "\"true\"" };
	static const char *const age[] = { NULL, "0", "1", "90", "1095" };
	char json[512];
	size_t s, e, g, o, ncases = 0, ncontrol_pass = 0;
	int len, failures = 0;

	(void)state;
	for (s = 0; s < 4; s++)
		for (e = 0; e < 4; e++)
			for (g = 0; g < 5; g++)
				for (len = 8; len <= 20; len++) {
					struct arena *a = arena_new();
					struct resource *r;
					enum status want_len, want_sym,
					    want_exp;
					int sym = s >= 2, exp = e >= 2,
					    aged = g >= 2;

					o = (size_t)snprintf(json, sizeof(json),
					    "{\"PasswordPolicy\": "
					    "{\"MinimumPasswordLength\": %d, "
					    "\"RequireNumbers\": true, "
					    "\"AllowUsersToChangePassword\": "
					    "true",
					    len);
					if (flag[s] != NULL)
						o += (size_t)snprintf(json + o,
						    sizeof(json) - o,
						    ", \"RequireSymbols\": %s",
						    flag[s]);
					if (flag[e] != NULL)
						o += (size_t)snprintf(json + o,
						    sizeof(json) - o,
						    ", \"ExpirePasswords\": %s",
						    flag[e]);
					if (age[g] != NULL)
						o += (size_t)snprintf(json + o,
						    sizeof(json) - o,
						    ", \"MaxPasswordAge\": %s",
						    age[g]);
					snprintf(
					    json + o, sizeof(json) - o, "}}");
					r = test_inline_res(a,
					    "AWS::IAM::PasswordPolicy",
					    "account", json);
					want_len =
					    len >= 14 ? ST_PASS : ST_FAIL;
					want_sym = sym ? ST_FAIL : ST_PASS;
					want_exp =
					    exp || aged ? ST_FAIL : ST_PASS;
					EXPECT(
					    eval_rule(
						"aws-iam-password-min-length",
						r->attrs),
					    want_len, "min-length %s", json);
					EXPECT(eval_rule("aws-iam-password-no-"
							 "symbol-rule",
						   r->attrs),
					    want_sym, "no-symbol-rule %s",
					    json);
					EXPECT(eval_rule(
						   "aws-iam-password-no-expiry",
						   r->attrs),
					    want_exp, "no-expiry %s", json);
					ncontrol_pass += want_len == ST_PASS &&
					    want_sym == ST_PASS &&
					    want_exp == ST_PASS;
					ncases++;
					arena_free(a);
				}
	print_message("%zu password policies, %zu satisfy IA-5(1)\n", ncases,
	    ncontrol_pass);
	assert_int_equal(ncases, 4 * 4 * 5 * 13);
	/* len 14..20 (7), symbols absent/false (2), no expiry (2 x 2) */
	assert_int_equal(ncontrol_pass, 7 * 2 * 2 * 2);
	assert_int_equal(failures, 0);
}

/* The example, no policy at all, and missing evidence. */
static void
test_password_edges(void **state)
{
	static const char *const ids[] = { "aws-iam-password-min-length",
		"aws-iam-password-no-symbol-rule", "aws-iam-password-no-expiry",
		NULL };
	struct arena *a = arena_new();
	struct resource *r;
	int failures = 0;
	size_t i;

	(void)state;
	/* 15 characters, no composition rules, no expiry: all pass */
	r = test_inline_res(a, "AWS::IAM::PasswordPolicy", "account",
	    "{\"PasswordPolicy\": {\"MinimumPasswordLength\": 15, "
	    "\"RequireSymbols\": false, \"RequireNumbers\": false, "
	    "\"RequireUppercaseCharacters\": false, "
	    "\"RequireLowercaseCharacters\": false, "
	    "\"AllowUsersToChangePassword\": true, "
	    "\"ExpirePasswords\": false}}");
	for (i = 0; ids[i] != NULL; i++)
		EXPECT(eval_rule(ids[i], r->attrs), ST_PASS, "15 chars %s",
		    ids[i]);
	/* NoSuchEntity: the length check fails, the others pass */
	r = test_inline_res(a, "AWS::IAM::PasswordPolicy", "account",
	    "{\"PasswordPolicy\": null, \"NotConfigured\": "
	    "{\"PasswordPolicy\": \"NoSuchEntity\"}}");
	EXPECT(eval_rule(ids[0], r->attrs), ST_FAIL, "no policy");
	EXPECT(eval_rule(ids[1], r->attrs), ST_PASS, "no policy");
	EXPECT(eval_rule(ids[2], r->attrs), ST_PASS, "no policy");
	/* no evidence of the policy: error, never pass */
	r = test_inline_res(a, "AWS::IAM::PasswordPolicy", "account", "{}");
	for (i = 0; ids[i] != NULL; i++)
		EXPECT(eval_rule(ids[i], r->attrs), ST_ERROR, "{} %s", ids[i]);
	/* unreadable values are not taken for absent ones */
	r = test_inline_res(a, "AWS::IAM::PasswordPolicy", "account",
	    "{\"PasswordPolicy\": {\"MinimumPasswordLength\": 15, "
	    "\"RequireSymbols\": \"yes\", \"MaxPasswordAge\": \"90 days\"}}");
	EXPECT(eval_rule(ids[2], r->attrs), ST_ERROR, "MaxPasswordAge text");
	arena_free(a);
	assert_int_equal(failures, 0);
}

/*
 * No IA-5(1) check's remediation tells users to add symbols, and the
 * retired Rev4 checks (reuse, complexity) are gone.
 */
static void
test_password_texts(void **state)
{
	const char *p;
	size_t i;

	(void)state;
	assert_null(rule_find(rs, "aws-iam-password-reuse"));
	assert_null(rule_find(rs, "aws-iam-password-complexity"));
	for (i = 0; i < rs->n; i++) {
		if (strncmp(rs->v[i]->id, "aws-iam-password-", 17) != 0)
			continue;
		p = rs->v[i]->remediation;
		while ((p = strstr(p, "--require-symbols")) != NULL) {
			assert_true(p - rs->v[i]->remediation >= 8);
			assert_memory_equal(p - 8, "without ", 8);
			p++;
		}
		assert_null(strstr(rs->v[i]->remediation, "add symbols"));
		assert_null(
		    strstr(rs->v[i]->remediation, "special characters"));
	}
}

/* ------------------------------------------------------- IA-2(1)/(2) */

#define ROW(pw, mfa) \
	"\"CredentialReport\": {\"user\": \"alice\", \"password_enabled\": " \
	"\"" pw "\", \"mfa_active\": \"" mfa "\"}"
#define U2F "{\"SerialNumber\": \"arn:aws:iam::1:u2f/user/alice/key-1\"}"
#define VIRT "{\"SerialNumber\": \"arn:aws:iam::1:mfa/alice\"}"
#define HW "{\"SerialNumber\": \"GAHT12345678\"}"

static void
test_user_mfa(void **state)
{
	static const struct {
		const char *json;
		enum status want;
		const char *msg;
	} cases[] = {
		{ "{" ROW("false", "false") "}", ST_NOT_APPLICABLE,
		    "no console password" },
		{ "{" ROW("true", "true") ", \"MFADevices\": [" U2F "]}",
		    ST_PASS, "FIDO" },
		{ "{" ROW("true", "true") ", \"MFADevices\": [" U2F ", " U2F
					  "]}",
		    ST_PASS, "FIDO" },
		{ "{" ROW("true", "true") ", \"MFADevices\": [" VIRT "]}",
		    ST_FAIL, "virtual (TOTP)" },
		{ "{" ROW("true", "true") ", \"MFADevices\": [" HW "]}",
		    ST_FAIL, "hardware TOTP" },
		{ "{" ROW("true", "true") ", \"MFADevices\": [" U2F ", " VIRT
					  "]}",
		    ST_FAIL, "can be phished" },
		{ "{" ROW("true", "true") ", \"MFADevices\": [" HW ", " U2F
					  "]}",
		    ST_FAIL, "can be phished" },
		{ "{" ROW("true", "false") ", \"MFADevices\": []}", ST_FAIL,
		    "no MFA device" },
		{ "{" ROW("true", "false") ", \"MFADevices\": [" U2F "]}",
		    ST_ERROR, "disagrees" },
		{ "{" ROW("true", "true") "}", ST_ERROR,
		    "list-mfa-devices/alice.json missing" },
		{ "{" ROW("true", "true") ", \"MFADevices\": {}}", ST_ERROR,
		    "not a list" },
		{ "{" ROW("true", "true") ", \"MFADevices\": [{}]}", ST_ERROR,
		    "no SerialNumber" },
		{ "{" ROW("maybe", "true") ", \"MFADevices\": [" U2F "]}",
		    ST_ERROR, "password_enabled" },
		{ "{" ROW("true", "yes") ", \"MFADevices\": [" U2F "]}",
		    ST_ERROR, "mfa_active" },
		{ "{\"CredentialReport\": {\"user\": \"alice\", "
		  "\"password_enabled\": \"true\"}, \"MFADevices\": [" U2F "]}",
		    ST_ERROR, "mfa_active" },
		{ "{\"UserName\": \"alice\", \"MFADevices\": [" U2F "]}",
		    ST_ERROR, "no credential report row" },
	};
	struct arena *a = arena_new();
	struct resource *r;
	int failures = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = test_inline_res(
		    a, "AWS::IAM::User", "alice", cases[i].json);
		EXPECT(eval_plugin("aws_service", "user_mfa", r), cases[i].want,
		    "case %zu %s", i, cases[i].json);
		if (strstr(tp.msg, cases[i].msg) == NULL) {
			print_message("case %zu: '%s' lacks '%s'\n", i, tp.msg,
			    cases[i].msg);
			failures++;
		}
	}
	/* the wrong resource type is an error, not a pass */
	r = test_inline_res(a, "AWS::IAM::AccountSummary", "account", "{}");
	EXPECT(eval_plugin("aws_service", "user_mfa", r), ST_ERROR, "type");
	arena_free(a);
	assert_int_equal(failures, 0);
}

#define SUMMARY(on) "\"SummaryMap\": {\"AccountMFAEnabled\": " on "}"
#define ROOTDEV(serial, arn) \
	"{\"SerialNumber\": \"" serial "\", \"User\": {\"Arn\": \"" arn "\"}}"

static void
test_root_mfa(void **state)
{
	static const struct {
		const char *json;
		enum status want;
		const char *msg;
	} cases[] = {
		{ "{" SUMMARY("0") ", \"VirtualMFADevices\": []}", ST_FAIL,
		    "no MFA" },
		{ "{" SUMMARY("1") ", \"VirtualMFADevices\": [" ROOTDEV(
		      "arn:aws:iam::1:mfa/root-account-mfa-device",
		      "arn:aws:iam::1:root") "]}",
		    ST_FAIL, "virtual (TOTP)" },
		/* any name, assigned to the root ARN */
		{ "{" SUMMARY("1") ", \"VirtualMFADevices\": [" ROOTDEV(
		      "arn:aws:iam::1:mfa/my-phone",
		      "arn:aws-us-gov:iam::1:root") "]}",
		    ST_FAIL, "my-phone" },
		/* root's console name, no assignment shown */
		{ "{" SUMMARY(
		      "1") ", \"VirtualMFADevices\": [{\"SerialNumber\": "
			   "\"arn:aws:iam::1:mfa/"
			   "root-account-mfa-device\"}]}",
		    ST_FAIL, "virtual (TOTP)" },
		/* that name assigned to an IAM user is the user's */
		{ "{" SUMMARY("1") ", \"VirtualMFADevices\": [" ROOTDEV(
		      "arn:aws:iam::1:mfa/root-account-mfa-device",
		      "arn:aws:iam::1:user/bob") "]}",
		    ST_ERROR, "FIDO security key or a hardware TOTP token" },
		{ "{" SUMMARY("1") ", \"VirtualMFADevices\": []}", ST_ERROR,
		    "attest it" },
		{ "{" SUMMARY("1") "}", ST_ERROR,
		    "list-virtual-mfa-devices.json" },
		{ "{\"SummaryMap\": {}, \"VirtualMFADevices\": []}", ST_ERROR,
		    "AccountMFAEnabled" },
		{ "{" SUMMARY("\"1\"") ", \"VirtualMFADevices\": []}", ST_ERROR,
		    "AccountMFAEnabled" },
		{ "{" SUMMARY("2") ", \"VirtualMFADevices\": []}", ST_ERROR,
		    "not 0 or 1" },
		{ "{" SUMMARY("1") ", \"VirtualMFADevices\": [{}]}", ST_ERROR,
		    "no SerialNumber" },
	};
	struct arena *a = arena_new();
	struct resource *r;
	int failures = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = test_inline_res(
		    a, "AWS::IAM::AccountSummary", "account", cases[i].json);
		EXPECT(eval_plugin("aws_service", "root_mfa", r), cases[i].want,
		    "case %zu %s", i, cases[i].json);
		if (strstr(tp.msg, cases[i].msg) == NULL) {
			print_message("case %zu: '%s' lacks '%s'\n", i, tp.msg,
			    cases[i].msg);
			failures++;
		}
	}
	/* the credential report's root row: false fails, true is error */
	static const struct {
		const char *json;
		enum status want;
	} rep[] = {
		{ "{\"Users\": [{\"user\": \"<root_account>\", "
		  "\"mfa_active\": \"false\"}]}",
		    ST_FAIL },
		{ "{\"Users\": [{\"user\": \"<root_account>\", "
		  "\"mfa_active\": \"true\"}]}",
		    ST_ERROR },
		{ "{\"Users\": [{\"user\": \"<root_account>\", "
		  "\"mfa_active\": \"true\\r\"}]}",
		    ST_ERROR },
		{ "{\"Users\": [{\"user\": \"bob\", \"mfa_active\": "
		  "\"false\"}]}",
		    ST_ERROR },
		{ "{}", ST_ERROR },
	};
	for (i = 0; i < sizeof(rep) / sizeof(rep[0]); i++) {
		r = test_inline_res(
		    a, "AWS::IAM::CredentialReport", "account", rep[i].json);
		EXPECT(eval_plugin("aws_service", "root_mfa", r), rep[i].want,
		    "report case %zu %s", i, rep[i].json);
	}
	arena_free(a);
	assert_int_equal(failures, 0);
}

/* ---------------------------------------------------------- CloudTrail */

/*
 * Basic selectors: every pair of (IncludeManagementEvents,
 * ReadWriteType) selectors, one or two of them, with the trail logging
 * or not and multi-region or not.  Passes exactly when some included
 * selectors together cover reads and writes, and the trail is
 * multi-region and logging.
 */
static void
test_trail_basic_selectors(void **state)
{
	static const char *const rw[] = { "All", "ReadOnly", "WriteOnly" };
	char json[1024], sel[2][128];
	size_t i, j, k, n, o, npass = 0;
	int inc[2], multi, logging, failures = 0;

	(void)state;
	for (n = 1; n <= 2; n++)
		for (i = 0; i < 6; i++)
			for (j = 0; j < (n == 2 ? 6u : 1u); j++)
				for (k = 0; k < 4; k++) {
					struct arena *a = arena_new();
					struct resource *r;
					int reads = 0, writes = 0, t;
					size_t idx[2] = { i, j };
					enum status want;

					multi = (k & 1) == 0;
					logging = (k & 2) == 0;
					for (t = 0; t < (int)n; t++) {
						inc[t] = idx[t] < 3;
						snprintf(sel[t], sizeof(sel[t]),
						    "{\"IncludeManagementEvents"
						    "\":"
						    " %s, \"ReadWriteType\": "
						    "\"%s\", \"DataResources\":"
						    " []}",
						    inc[t] ? "true" : "false",
						    rw[idx[t] % 3]);
						if (!inc[t])
							continue;
						reads |= idx[t] % 3 != 2;
						writes |= idx[t] % 3 != 1;
					}
					o = (size_t)snprintf(json, sizeof(json),
					    "{\"Name\": \"t\", "
					    "\"IsMultiRegionTrail\": %s, "
					    "\"Status\": {\"IsLogging\": %s}, "
					    "\"EventSelectors\": [%s",
					    multi ? "true" : "false",
					    logging ? "true" : "false", sel[0]);
					snprintf(json + o, sizeof(json) - o,
					    "%s%s]}", n == 2 ? ", " : "",
					    n == 2 ? sel[1] : "");
					r = test_inline_res(a,
					    "AWS::CloudTrail::Trail", "t",
					    json);
					want =
					    multi && logging && reads && writes
					    ? ST_PASS
					    : ST_FAIL;
					npass += want == ST_PASS;
					EXPECT(eval_plugin(
						   "aws_service", "trail", r),
					    want, "%s", json);
					arena_free(a);
				}
	assert_true(npass > 0);
	assert_int_equal(failures, 0);
}

static void
test_trail_advanced_and_missing(void **state)
{
	static const struct {
		const char *sel;
		enum status want;
	} cases[] = {
		/* the placebo recording: management, rdsdata excluded */
		{ "\"AdvancedEventSelectors\": [{\"FieldSelectors\": "
		  "[{\"Field\": \"eventCategory\", \"Equals\": "
		  "[\"Management\"]}, {\"Field\": \"eventSource\", "
		  "\"NotEquals\": [\"rdsdata.amazonaws.com\"]}]}]",
		    ST_PASS },
		{ "\"AdvancedEventSelectors\": [{\"FieldSelectors\": "
		  "[{\"Field\": \"eventCategory\", \"Equals\": "
		  "[\"Management\"]}, {\"Field\": \"readOnly\", \"Equals\": "
		  "[\"true\"]}]}]",
		    ST_FAIL },
		{ "\"AdvancedEventSelectors\": [{\"FieldSelectors\": "
		  "[{\"Field\": \"eventCategory\", \"Equals\": "
		  "[\"Management\"]}, {\"Field\": \"readOnly\", \"Equals\": "
		  "[\"false\"]}]}, {\"FieldSelectors\": [{\"Field\": "
		  "\"eventCategory\", \"Equals\": [\"Management\"]}, "
		  "{\"Field\": \"readOnly\", \"Equals\": [\"true\"]}]}]",
		    ST_PASS },
		/* data events only */
		{ "\"AdvancedEventSelectors\": [{\"FieldSelectors\": "
		  "[{\"Field\": \"eventCategory\", \"Equals\": [\"Data\"]}, "
		  "{\"Field\": \"resources.type\", \"Equals\": "
		  "[\"AWS::S3::Object\"]}]}]",
		    ST_FAIL },
		{ "\"AdvancedEventSelectors\": []", ST_FAIL },
		{ "\"EventSelectors\": []", ST_FAIL },
		/* shapes that cannot be read */
		{ "\"AdvancedEventSelectors\": [{\"FieldSelectors\": "
		  "[{\"Field\": \"eventCategory\", \"Equals\": "
		  "\"Management\"}]}]",
		    ST_ERROR },
		{ "\"EventSelectors\": [{\"ReadWriteType\": \"All\"}]",
		    ST_ERROR },
		{ "\"EventSelectors\": [{\"IncludeManagementEvents\": true, "
		  "\"ReadWriteType\": \"Everything\"}]",
		    ST_ERROR },
		{ "\"EventSelectors\": {}", ST_ERROR },
		/* selectors not exported */
		{ "\"Other\": 1", ST_ERROR },
	};
	struct arena *a = arena_new();
	struct resource *r;
	char json[1024];
	int failures = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(json, sizeof(json),
		    "{\"IsMultiRegionTrail\": true, \"Status\": "
		    "{\"IsLogging\": true}, %s}",
		    cases[i].sel);
		r = test_inline_res(a, "AWS::CloudTrail::Trail", "t", json);
		EXPECT(eval_plugin("aws_service", "trail", r), cases[i].want,
		    "case %zu %s", i, json);
	}
	/* no status joined: error; a stopped trail fails whatever else */
	r = test_inline_res(a, "AWS::CloudTrail::Trail", "t",
	    "{\"IsMultiRegionTrail\": true, \"EventSelectors\": "
	    "[{\"IncludeManagementEvents\": true, \"ReadWriteType\": "
	    "\"All\"}]}");
	EXPECT(eval_plugin("aws_service", "trail", r), ST_ERROR, "no status");
	r = test_inline_res(a, "AWS::CloudTrail::Trail", "t",
	    "{\"IsMultiRegionTrail\": true, \"Status\": {\"IsLogging\": "
	    "false}}");
	EXPECT(eval_plugin("aws_service", "trail", r), ST_FAIL, "stopped");
	arena_free(a);
	assert_int_equal(failures, 0);
}

/* ------------------------------------------------------------- Config */

static void
test_config_recorder(void **state)
{
	static const struct {
		const char *json;
		enum status want;
	} cases[] = {
		/* statuses in another order than the recorders: by name */
		{ "{\"ConfigurationRecorders\": [{\"name\": \"a\", "
		  "\"recordingGroup\": {\"allSupported\": true}}, {\"name\": "
		  "\"b\", \"recordingGroup\": {\"allSupported\": true}}], "
		  "\"ConfigurationRecordersStatus\": [{\"name\": \"b\", "
		  "\"recording\": true}, {\"name\": \"a\", \"recording\": "
		  "true, \"lastStatus\": \"SUCCESS\"}]}",
		    ST_PASS },
		/* the stopped one is b, listed first among the statuses */
		{ "{\"ConfigurationRecorders\": [{\"name\": \"a\", "
		  "\"recordingGroup\": {\"allSupported\": true}}, {\"name\": "
		  "\"b\", \"recordingGroup\": {\"allSupported\": true}}], "
		  "\"ConfigurationRecordersStatus\": [{\"name\": \"b\", "
		  "\"recording\": false}, {\"name\": \"a\", \"recording\": "
		  "true}]}",
		    ST_FAIL },
		/* a status for another recorder only: error */
		{ "{\"ConfigurationRecorders\": [{\"name\": \"default\", "
		  "\"recordingGroup\": {\"allSupported\": true}}], "
		  "\"ConfigurationRecordersStatus\": [{\"name\": \"other\", "
		  "\"recording\": true}]}",
		    ST_ERROR },
		{ "{\"ConfigurationRecorders\": [{\"name\": \"default\", "
		  "\"recordingGroup\": {\"allSupported\": true}}], "
		  "\"ConfigurationRecordersStatus\": []}",
		    ST_ERROR },
		{ "{\"ConfigurationRecorders\": [{\"name\": \"default\", "
		  "\"recordingGroup\": {\"allSupported\": true}}]}",
		    ST_ERROR },
		{ "{\"ConfigurationRecorders\": [{\"name\": \"default\", "
		  "\"recordingGroup\": {\"allSupported\": true}}], "
		  "\"ConfigurationRecordersStatus\": [{\"name\": \"default\", "
		  "\"recording\": true, \"lastStatus\": \"FAILURE\"}]}",
		    ST_FAIL },
		{ "{\"ConfigurationRecorders\": [{\"name\": \"default\", "
		  "\"recordingGroup\": {\"allSupported\": false}}], "
		  "\"ConfigurationRecordersStatus\": [{\"name\": \"default\", "
		  "\"recording\": true}]}",
		    ST_FAIL },
		{ "{\"ConfigurationRecorders\": [{\"name\": \"default\"}], "
		  "\"ConfigurationRecordersStatus\": [{\"name\": \"default\", "
		  "\"recording\": true}]}",
		    ST_ERROR },
		{ "{\"ConfigurationRecorders\": [{\"name\": \"default\", "
		  "\"recordingGroup\": {\"allSupported\": true}}], "
		  "\"ConfigurationRecordersStatus\": [{\"name\": "
		  "\"default\"}]}",
		    ST_ERROR },
		{ "{\"ConfigurationRecorders\": [], "
		  "\"ConfigurationRecordersStatus\": []}",
		    ST_FAIL },
		{ "{}", ST_ERROR },
	};
	struct arena *a = arena_new();
	struct resource *r;
	int failures = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = test_inline_res(a, "AWS::Config::ConfigurationRecorder",
		    "account", cases[i].json);
		EXPECT(eval_plugin("aws_service", "config_recorder", r),
		    cases[i].want, "case %zu %s", i, cases[i].json);
	}
	arena_free(a);
	assert_int_equal(failures, 0);
}

/* ------------------------------------------------------ VPC flow logs */

static void
test_flow_logs(void **state)
{
	static const struct {
		const char *json;
		enum status want;
	} cases[] = {
		{ "{\"FlowLogs\": [{\"FlowLogStatus\": \"ACTIVE\", "
		  "\"DeliverLogsStatus\": \"SUCCESS\"}]}",
		    ST_PASS },
		{ "{\"FlowLogs\": [{\"FlowLogStatus\": \"ACTIVE\", "
		  "\"DeliverLogsStatus\": \"FAILED\"}]}",
		    ST_FAIL },
		{ "{\"FlowLogs\": [{\"FlowLogStatus\": \"ACTIVE\", "
		  "\"DeliverLogsStatus\": \"FAILED\"}, {\"FlowLogStatus\": "
		  "\"ACTIVE\", \"DeliverLogsStatus\": \"SUCCESS\"}]}",
		    ST_PASS },
		{ "{\"FlowLogs\": [{\"FlowLogStatus\": \"INACTIVE\", "
		  "\"DeliverLogsStatus\": \"SUCCESS\"}]}",
		    ST_FAIL },
		{ "{\"FlowLogs\": [{\"FlowLogStatus\": \"active\", "
		  "\"DeliverLogsStatus\": \"success\"}]}",
		    ST_PASS },
		{ "{\"FlowLogs\": [{\"FlowLogStatus\": \"ACTIVE\"}]}",
		    ST_ERROR },
		{ "{\"FlowLogs\": [{\"DeliverLogsStatus\": \"SUCCESS\"}]}",
		    ST_ERROR },
		{ "{\"FlowLogs\": []}", ST_FAIL },
		{ "{\"FlowLogs\": {}}", ST_ERROR },
		{ "{\"VpcId\": \"vpc-1\"}", ST_ERROR },
	};
	struct arena *a = arena_new();
	struct resource *r;
	int failures = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = test_inline_res(a, "AWS::EC2::VPC", "vpc-1", cases[i].json);
		EXPECT(eval_plugin("aws_service", "flow_logs", r),
		    cases[i].want, "case %zu %s", i, cases[i].json);
	}
	arena_free(a);
	assert_int_equal(failures, 0);
}

/* ----------------------------------------------------------------- IMDS */

/*
 * Every state x HttpTokens x HttpEndpoint: terminated instances are not
 * evaluated; an absent or unknown setting is error; a disabled endpoint
 * passes, else HttpTokens decides.
 */
static void
test_imds(void **state)
{
	static const char *const states[] = { "running", "stopped",
		"terminated", NULL };
	static const char *const tokens[] = { "required", "optional", "weird",
		NULL };
	static const char *const endpoints[] = { "enabled", "disabled", "weird",
		NULL };
	char json[512], mo[256];
	size_t s, t, e, o;
	int failures = 0;

	(void)state;
	for (s = 0; s < 4; s++)
		for (t = 0; t < 4; t++)
			for (e = 0; e < 4; e++) {
				struct arena *a = arena_new();
				struct resource *r;
				enum status want;

				o = 0;
				mo[0] = '\0';
				if (tokens[t] != NULL)
					o += (size_t)snprintf(mo + o,
					    sizeof(mo) - o,
					    "\"HttpTokens\": \"%s\"",
					    tokens[t]);
				if (endpoints[e] != NULL)
					snprintf(mo + o, sizeof(mo) - o,
					    "%s\"HttpEndpoint\": \"%s\"",
					    o ? ", " : "", endpoints[e]);
				snprintf(json, sizeof(json),
				    "{\"InstanceId\": \"i-1\"%s%s%s, "
				    "\"MetadataOptions\": {%s}}",
				    states[s] ? ", \"State\": {\"Name\": \""
					      : "",
				    states[s] ? states[s] : "",
				    states[s] ? "\"}" : "", mo);
				r = test_inline_res(
				    a, "AWS::EC2::Instance", "i-1", json);
				if (s == 2)
					want = ST_NOT_APPLICABLE;
				else if (e >= 2 || t >= 2)
					want = ST_ERROR; /* unknown, absent */
				else if (e == 1 || t == 0)
					want = ST_PASS;
				else
					want = ST_FAIL;
				EXPECT(eval_plugin("aws_service", "imds", r),
				    want, "%s", json);
				arena_free(a);
			}
	assert_int_equal(failures, 0);
}

/* ---------------------------------------------- credential report shape */

static const char *const cr_checks[] = { "console_mfa", "key_rotation",
	"unused_credentials", "root_access_keys", "root_mfa", NULL };

/* A sound report's rows: root and two users, every column present. */
#define CR_COLS(u, pw, mfa) \
	"{\"user\": \"" u "\", \"password_enabled\": \"" pw "\", " \
	"\"password_last_used\": \"N/A\", \"password_last_changed\": " \
	"\"N/A\", \"user_creation_time\": \"2023-12-01T00:00:00+00:00\", " \
	"\"mfa_active\": \"" mfa "\", \"access_key_1_active\": \"false\", " \
	"\"access_key_1_last_rotated\": \"N/A\", " \
	"\"access_key_1_last_used_date\": \"N/A\", " \
	"\"access_key_2_active\": \"false\", " \
	"\"access_key_2_last_rotated\": \"N/A\", " \
	"\"access_key_2_last_used_date\": \"N/A\"}"
#define CR_ROOT CR_COLS("<root_account>", "not_supported", "true")
#define CR_BOB CR_COLS("bob", "false", "false")
#define CR_EVE CR_COLS("eve", "true", "true")

/*
 * Each defect of the report's shape is `error` for every check that
 * reads it; the sound report is not.
 */
static void
test_credential_report_shape(void **state)
{
	static const struct {
		const char *users;
		const char *msg; /* NULL: sound */
	} cases[] = {
		{ "[" CR_ROOT ", " CR_BOB ", " CR_EVE "]", NULL },
		{ "[" CR_BOB ", " CR_EVE "]", "no <root_account> row" },
		{ "[]", "no rows" },
		{ "[" CR_ROOT ", " CR_ROOT ", " CR_BOB "]",
		    "more than one <root_account>" },
		/* CR-only endings: a value holds the next row */
		{ "[" CR_ROOT ", {\"user\": \"bob\\r<root_account>\"}]",
		    "line break" },
		{ "[" CR_ROOT ", " CR_BOB ", {\"user\": \"eve\", "
		  "\"password_enabled\": \"true\"}]",
		    "has 2 columns" },
		{ "[" CR_ROOT ", {\"user\": \"bob\", \"x\\ry\": \"1\", "
		  "\"password_enabled\": \"false\", \"password_last_used\": "
		  "\"N/A\", \"password_last_changed\": \"N/A\", "
		  "\"user_creation_time\": \"N/A\", \"mfa_active\": \"false\", "
		  "\"access_key_1_active\": \"false\", "
		  "\"access_key_1_last_rotated\": \"N/A\", "
		  "\"access_key_1_last_used_date\": \"N/A\", "
		  "\"access_key_2_active\": \"false\", "
		  "\"access_key_2_last_rotated\": \"N/A\"}]",
		    "column name holds a line break" },
		{ "[" CR_ROOT ", {\"user\": \"bob\", \"password_enabled\": 1}]",
		    "not text" },
		{ "[" CR_ROOT ", 7]", "not a map" },
	};
	struct arena *a = arena_new();
	struct resource *r;
	char json[8192];
	int failures = 0;
	size_t i, k;
	enum status st;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(json, sizeof(json), "{\"Users\": %s}", cases[i].users);
		r = test_inline_res(
		    a, "AWS::IAM::CredentialReport", "account", json);
		for (k = 0; cr_checks[k] != NULL; k++) {
			st = eval_plugin(
			    "aws_credential_report", cr_checks[k], r);
			if (cases[i].msg == NULL) {
				if (st != ST_PASS) {
					print_message("sound report: %s is "
						      "%s (%s)\n",
					    cr_checks[k], status_name(st),
					    tp.msg);
					failures++;
				}
				continue;
			}
			if (st != ST_ERROR ||
			    strstr(tp.msg, cases[i].msg) == NULL) {
				print_message("case %zu %s: %s (%s), expected "
					      "error '%s'\n",
				    i, cr_checks[k], status_name(st), tp.msg,
				    cases[i].msg);
				failures++;
			}
		}
	}
	/* one user's row with a line break: error for that user */
	r = test_inline_res(a, "AWS::IAM::User", "bob",
	    "{\"CredentialReport\": {\"user\": \"bob\", \"password_enabled\": "
	    "\"true\\r\", \"mfa_active\": \"true\"}}");
	EXPECT(eval_plugin("aws_credential_report", "console_mfa", r), ST_ERROR,
	    "user row with CR");
	arena_free(a);
	assert_int_equal(failures, 0);
}

/*
 * Copy the real report (placebo) into dir/iam/get-credential-report.json,
 * its CSV line endings turned into CR only when cr, read it through the
 * aws-cli adapter and evaluate every credential-report check on it into
 * st[] (ST_COUNT when the adapter refused the export).
 */
static void
cr_report_statuses(int cr, enum status *st)
{
	char dir[64], path[160], src[1024];
	const struct adapter *ad = adapter_find("aws-cli");
	struct coll c;
	struct diag d;
	FILE *in, *out;
	size_t i, k;
	int ch, rc;

	snprintf(src, sizeof(src),
	    "%s/data/exports/custodian-placebo/test_account_credential_report/"
	    "iam.GetCredentialReport_1.json",
	    test_shared_dir());
	snprintf(dir, sizeof(dir), "/tmp/rampart-svc-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/iam", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/iam/get-credential-report.json", dir);
	in = fopen(src, "r");
	assert_non_null(in);
	out = fopen(path, "w");
	assert_non_null(out);
	/* JSON escapes: the CSV's "\n" becomes "\r" */
	while ((ch = fgetc(in)) != EOF) {
		if (ch == '\\') {
			fputc(ch, out);
			if ((ch = fgetc(in)) == 'n' && cr)
				ch = 'r';
			if (ch == EOF)
				break;
		}
		fputc(ch, out);
	}
	fclose(in);
	fclose(out);
	memset(&c, 0, sizeof(c));
	c.a = arena_new();
	diag_init(&d);
	rc = ad->read(&d, dir, NULL, collect, &c, NULL);
	for (k = 0; cr_checks[k] != NULL; k++)
		st[k] = ST_COUNT;
	if (rc != 0)
		assert_true(d.n > 0); /* refused, with a diagnostic */
	for (i = 0; rc == 0 && i < c.n; i++)
		if (strcmp(c.v[i].type, "AWS::IAM::CredentialReport") == 0)
			for (k = 0; cr_checks[k] != NULL; k++)
				st[k] = eval_plugin("aws_credential_report",
				    cr_checks[k], &c.v[i]);
	diag_free(&d);
	arena_free(c.a);
	unlink(path);
	snprintf(path, sizeof(path), "%s/iam", dir);
	rmdir(path);
	rmdir(dir);
}

/*
 * The real report with CR-only line endings: the adapter reads a lone CR
 * as a line end (docs/resources.md), so no rows merge and every check
 * decides exactly as on the original; or it refuses the export.  Never a
 * result that differs (merged rows read as one user).
 */
static void
test_credential_report_cr_only(void **state)
{
	enum status lf[16], cr[16];
	size_t k;
	int failures = 0;

	(void)state;
	if (test_shared_dir() == NULL)
		skip();
	cr_report_statuses(0, lf);
	cr_report_statuses(1, cr);
	for (k = 0; cr_checks[k] != NULL; k++) {
		assert_true(lf[k] != ST_COUNT);
		if (cr[k] != ST_COUNT && cr[k] != lf[k]) {
			print_message("CR-only report, %s: %s, LF report %s\n",
			    cr_checks[k], status_name(cr[k]),
			    status_name(lf[k]));
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_generator),
		cmocka_unit_test(test_password_edges),
		cmocka_unit_test(test_password_texts),
		cmocka_unit_test(test_user_mfa),
		cmocka_unit_test(test_root_mfa),
		cmocka_unit_test(test_trail_basic_selectors),
		cmocka_unit_test(test_trail_advanced_and_missing),
		cmocka_unit_test(test_config_recorder),
		cmocka_unit_test(test_flow_logs),
		cmocka_unit_test(test_imds),
		cmocka_unit_test(test_credential_report_shape),
		cmocka_unit_test(test_credential_report_cr_only),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name(
	    "aws_service", tests, setup, teardown);
}
