/*
 * test_oci.c: the Oracle Cloud adapters (checks/sources/oci_*.c) and
 * plugins (checks/oci/).  Real records first (the CIS landing-zone
 * inventory and the converted cassettes under tests/fixtures/oci), then
 * generators: the same open rule written with every protocol, port range,
 * source and key spelling OCI accepts must fail, its closed twin pass; the
 * same admin grant written with any case, quoting, domain or subject list
 * must fail, its Administrators twin pass; an export with a page left, a
 * denied call or a missing compartment file must never read as complete.
 */
#include "tests/unit/testutil.h"

#include "checks/check.h"
#include "checks/sources/sources.h"
#include "tests/unit/collect.h"

#define INV "tests/fixtures/oci/cis-inventory.json"
#define SL "OCI::Core::SecurityList"
#define NSG "OCI::Core::NetworkSecurityGroup"
#define POL "OCI::Identity::Policy"
#define ADMIN "{\"ports\": [22, 3389]}"
#define ALLPORTS "{\"min_open_ports\": 65000}"
#define ADMINS "{\"admin_groups\": [\"Administrators\"]}"

static struct test_plugin tp = { .now = 1704067200 };

#define EXPECT(st, plugin, r, params) \
	do { \
		enum status got_ = test_eval(&tp, (plugin), (r), (params)); \
		if (got_ != (st)) \
			fail_msg("line %d: %s, expected %s: %s", __LINE__, \
			    status_name(got_), status_name(st), tp.msg); \
	} while (0)

static void
read_path(struct coll *c, const char *path, const char *adapter)
{
	const struct adapter *ad;
	struct diag d;

	memset(c, 0, sizeof(*c));
	c->a = arena_new();
	diag_init(&d);
	ad = adapter != NULL ? adapter_find(adapter) : adapter_detect(&d, path);
	assert_non_null(ad);
	if (ad->read(&d, path, NULL, collect, c, NULL) != 0) {
		diag_print(&d, stderr, 0, 0);
		fail_msg("cannot read %s", path);
	}
	diag_free(&d);
}

/* ------------------------------------------------------- real records */

static void
test_inventory(void **state)
{
	struct coll c;
	const struct resource *r;
	size_t i, nsl = 0, nfail = 0, nerr = 0;

	(void)state;
	read_path(&c, INV, NULL);
	for (i = 0; i < c.n; i++) {
		r = &c.v[i];
		assert_non_null(r->id);
		if (strcmp(r->type, SL) != 0)
			continue;
		nsl++;
		assert_string_equal(r->region, "us-ashburn-1");
		assert_non_null(r->account);
		assert_true(oci_is_tenancy(r->account));
		switch (test_eval(&tp, "oci_network_exposure", r, ADMIN)) {
		case ST_FAIL:
			nfail++;
			break;
		case ST_ERROR:
			nerr++;
			break;
		default:
			break;
		}
	}
	/* SOURCE.md: 14 security lists, 4 open on admin ports */
	assert_int_equal(nsl, 14);
	assert_int_equal(nfail, 4);
	assert_int_equal(nerr, 5); /* ingressSecurityRules: null */
	r = coll_find(&c, SL,
	    "ocid1.securitylist.oc1.iad."
	    "aaaaaaaaklqidovpcgun4q7bma73s7jxqzqgjnx5"
	    "geuzzu2t32jvvj7qf67q");
	assert_non_null(r);
	/* camelCase details read in the CLI's kebab-case */
	assert_non_null(doc_get(r->attrs, "ingress-security-rules"));
	assert_null(doc_get(r->attrs, "ingressSecurityRules"));
	EXPECT(ST_FAIL, "oci_network_exposure", r, ALLPORTS);
	/* IAM is tenancy-wide: no region */
	for (i = 0; i < c.n; i++)
		if (strcmp(c.v[i].type, POL) == 0)
			assert_null(c.v[i].region);
	/* dynamic groups are not groups of users */
	assert_null(coll_find(&c, "OCI::Identity::Group",
	    "ocid1.dynamicgroup.oc1..aaaaaaaahrcq57bkwsty6lwycmtzax5u3fihr27at6"
	    "wabic7yzqs56ugn4qa"));
	arena_free(c.a);
}

/* -------------------------------------------- network: generators */

/* Protocol spellings of tcp, and of every protocol. */
static const char *const tcp_forms[] = { "\"6\"", "6", "\"tcp\"", "\"TCP\"",
	"\"Tcp\"" };
static const char *const all_forms[] = { "\"all\"", "\"ALL\"", "\"All\"",
	"\"*\"" };
/* tcp-options admitting port 22. */
static const char *const p22_forms[] = { "", ", \"tcp-options\": null",
	", \"tcp-options\": {\"destination-port-range\": null}",
	", \"tcp-options\": {\"source-port-range\": {\"min\": 22, \"max\": "
	"22}}",
	", \"tcp-options\": {\"destination-port-range\": {\"min\": 22, "
	"\"max\": 22}}",
	", \"tcp-options\": {\"destination-port-range\": {\"min\": 1, "
	"\"max\": 65535}}",
	", \"tcp-options\": {\"destination-port-range\": {\"min\": 20, "
	"\"max\": 30}}" };
/* One source, or rules whose sources together are the internet. */
static const char *const open_sources[] = { "0.0.0.0/0", "0.0.0.0/00", "::/0",
	"::0/0", "0:0:0:0:0:0:0:0/0", "1.2.3.4/0" };

static void
test_network_metamorphic(void **state)
{
	char buf[2048], rule[512];
	size_t i, j, k;

	(void)state;
	for (i = 0; i < sizeof(tcp_forms) / sizeof(tcp_forms[0]); i++)
		for (j = 0; j < sizeof(p22_forms) / sizeof(p22_forms[0]); j++)
			for (k = 0;
			     k < sizeof(open_sources) / sizeof(open_sources[0]);
			     k++) {
				snprintf(rule, sizeof(rule),
				    "{\"protocol\": %s, \"source\": \"%s\"%s}",
				    tcp_forms[i], open_sources[k],
				    p22_forms[j]);
				snprintf(buf, sizeof(buf),
				    "{\"ingress-security-rules\": [%s]}", rule);
				EXPECT(ST_FAIL, "oci_network_exposure",
				    test_res(&tp, SL, buf), ADMIN);
				/* the same rule in an NSG */
				snprintf(buf, sizeof(buf),
				    "{\"security-rules\": [{\"direction\": "
				    "\"INGRESS\", \"source-type\": "
				    "\"CIDR_BLOCK\", \"protocol\": %s, "
				    "\"source\": \"%s\"%s}]}",
				    tcp_forms[i], open_sources[k],
				    p22_forms[j]);
				EXPECT(ST_FAIL, "oci_network_exposure",
				    test_res(&tp, NSG, buf), ADMIN);
				/* closed twin: a private source */
				snprintf(buf, sizeof(buf),
				    "{\"ingress-security-rules\": "
				    "[{\"protocol\": %s, \"source\": "
				    "\"10.0.0.0/8\"%s}]}",
				    tcp_forms[i], p22_forms[j]);
				EXPECT(ST_PASS, "oci_network_exposure",
				    test_res(&tp, SL, buf), ADMIN);
			}
	for (i = 0; i < sizeof(all_forms) / sizeof(all_forms[0]); i++) {
		snprintf(buf, sizeof(buf),
		    "{\"ingress-security-rules\": [{\"protocol\": %s, "
		    "\"source\": \"::/0\"}]}",
		    all_forms[i]);
		EXPECT(ST_FAIL, "oci_network_exposure", test_res(&tp, SL, buf),
		    ADMIN);
		EXPECT(ST_FAIL, "oci_network_exposure", test_res(&tp, SL, buf),
		    ALLPORTS);
	}
}

static void
test_network_classes(void **state)
{
	(void)state;
	/* Two halves of the internet, in two rules, add up. */
	EXPECT(ST_FAIL, "oci_network_exposure",
	    test_res(&tp, SL,
		"{\"ingress-security-rules\": [{\"protocol\": \"6\", "
		"\"source\": \"0.0.0.0/1\"}, {\"protocol\": \"6\", \"source\": "
		"\"128.0.0.0/1\", \"tcp-options\": "
		"{\"destination-port-range\": "
		"{\"min\": 3389, \"max\": 3389}}}]}"),
	    ADMIN);
	/* One half only: closed. */
	EXPECT(ST_PASS, "oci_network_exposure",
	    test_res(&tp, SL,
		"{\"ingress-security-rules\": [{\"protocol\": \"6\", "
		"\"source\": \"0.0.0.0/1\"}]}"),
	    ADMIN);
	/* IPv4 and IPv6 halves do not make a whole of either. */
	EXPECT(ST_PASS, "oci_network_exposure",
	    test_res(&tp, SL,
		"{\"ingress-security-rules\": [{\"protocol\": \"6\", "
		"\"source\": \"0.0.0.0/1\"}, {\"protocol\": \"6\", \"source\": "
		"\"8000::/1\"}]}"),
	    ADMIN);
	/* udp 3389 open */
	EXPECT(ST_FAIL, "oci_network_exposure",
	    test_res(&tp, SL,
		"{\"ingress-security-rules\": [{\"protocol\": \"17\", "
		"\"source\": \"0.0.0.0/0\", \"udp-options\": "
		"{\"destination-port-range\": {\"min\": 3389, \"max\": "
		"3389}}}]}"),
	    ADMIN);
	/* port 23 only, icmp, service CIDR, NSG source, egress: closed */
	EXPECT(ST_PASS, "oci_network_exposure",
	    test_res(&tp, SL,
		"{\"ingress-security-rules\": [{\"protocol\": \"6\", "
		"\"source\": \"0.0.0.0/0\", \"tcp-options\": "
		"{\"destination-port-range\": {\"min\": 23, \"max\": 23}}}, "
		"{\"protocol\": \"1\", \"source\": \"0.0.0.0/0\"}, "
		"{\"protocol\": \"all\", \"source-type\": "
		"\"SERVICE_CIDR_BLOCK\", \"source\": "
		"\"all-iad-services-in-oracle-services-network\"}]}"),
	    ADMIN);
	EXPECT(ST_PASS, "oci_network_exposure",
	    test_res(&tp, NSG,
		"{\"security-rules\": [{\"direction\": \"EGRESS\", "
		"\"protocol\": \"all\", \"destination\": \"0.0.0.0/0\"}, "
		"{\"direction\": \"ingress\", \"protocol\": \"all\", "
		"\"source-type\": \"NETWORK_SECURITY_GROUP\", \"source\": "
		"\"ocid1.networksecuritygroup.oc1.iad.x\"}]}"),
	    ADMIN);
	/* All tcp ports but a few, in two rules: "all ports". */
	EXPECT(ST_FAIL, "oci_network_exposure",
	    test_res(&tp, SL,
		"{\"ingress-security-rules\": [{\"protocol\": \"6\", "
		"\"source\": \"0.0.0.0/0\", \"tcp-options\": "
		"{\"destination-port-range\": {\"min\": 1, \"max\": 21}}}, "
		"{\"protocol\": \"6\", \"source\": \"0.0.0.0/0\", "
		"\"tcp-options\": {\"destination-port-range\": {\"min\": 30, "
		"\"max\": 65535}}}]}"),
	    ALLPORTS);
	/* Absent, null, a bad rule beside closed ones: error, not pass. */
	EXPECT(
	    ST_ERROR, "oci_network_exposure", test_res(&tp, SL, "{}"), ADMIN);
	EXPECT(ST_ERROR, "oci_network_exposure",
	    test_res(&tp, SL, "{\"ingress-security-rules\": null}"), ADMIN);
	EXPECT(
	    ST_ERROR, "oci_network_exposure", test_res(&tp, NSG, "{}"), ADMIN);
	EXPECT(ST_ERROR, "oci_network_exposure",
	    test_res(&tp, SL,
		"{\"ingress-security-rules\": [{\"protocol\": \"6\", "
		"\"source\": \"10.0.0.0/8\"}, {\"protocol\": \"tcpx\", "
		"\"source\": \"0.0.0.0/0\"}]}"),
	    ADMIN);
	EXPECT(ST_ERROR, "oci_network_exposure",
	    test_res(&tp, SL,
		"{\"ingress-security-rules\": [{\"protocol\": \"6\", "
		"\"source\": \"0.0.0.0/0\", \"tcp-options\": "
		"{\"destination-port-range\": {\"min\": 30, \"max\": "
		"20}}}]}"),
	    ADMIN);
	EXPECT(ST_ERROR, "oci_network_exposure",
	    test_res(&tp, SL,
		"{\"ingress-security-rules\": [{\"protocol\": \"6\", "
		"\"source\": \"internet\"}]}"),
	    ADMIN);
	EXPECT(ST_ERROR, "oci_network_exposure",
	    test_res(&tp, NSG,
		"{\"security-rules\": [{\"protocol\": \"6\", \"source\": "
		"\"0.0.0.0/0\"}]}"),
	    ADMIN);
	/* A bad rule does not hide an open one. */
	EXPECT(ST_FAIL, "oci_network_exposure",
	    test_res(&tp, SL,
		"{\"ingress-security-rules\": [{\"protocol\": \"x\"}, "
		"{\"protocol\": \"6\", \"source\": \"0.0.0.0/0\"}]}"),
	    ADMIN);
}

/* --------------------------------------------- policy: generators */

static void
policy(const char *stmt, enum status want)
{
	char buf[1024], esc[512];
	size_t i, o = 0;

	for (i = 0; stmt[i] != '\0' && o + 2 < sizeof(esc); i++) {
		if (stmt[i] == '"')
			esc[o++] = '\\';
		esc[o++] = stmt[i];
	}
	esc[o] = '\0';
	snprintf(buf, sizeof(buf),
	    "{\"statements\": [\"Allow group Auditors to inspect "
	    "all-resources in tenancy\", \"%s\"]}",
	    esc);
	if (test_eval(&tp, "oci_iam_policy", test_res(&tp, POL, buf), ADMINS) !=
	    want)
		fail_msg("'%s': %s, expected %s: %s", stmt,
		    status_name(tp.last.status), status_name(want), tp.msg);
}

static void
test_policy_metamorphic(void **state)
{
	static const char *const allow[] = { "Allow", "allow", "ALLOW",
		"aLLow" };
	static const char *const manage[] = { "manage", "MANAGE", "Manage" };
	static const char *const tenancy[] = { "tenancy", "TENANCY",
		"Tenancy" };
	static const char *const others[] = { "group Ops", "group 'Ops'",
		"group \"Ops Team\"", "group Default/Ops",
		"group 'Default'/'Ops'", "group Administrators, Ops",
		"group Ops, Administrators", "group id ocid1.group.oc1..aaaa",
		"dynamic-group Administrators", "any-user", "ANY-USER",
		"any-group", "service cloudguard", "resource psmrp psm",
		"group OtherDomain/Administrators" };
	static const char *const admins[] = { "group Administrators",
		"group administrators", "GROUP ADMINISTRATORS",
		"group 'Administrators'", "group Default/Administrators",
		"group 'Default'/'Administrators'" };
	char s[512];
	size_t a, m, t, o;

	(void)state;
	for (a = 0; a < 4; a++)
		for (m = 0; m < 3; m++)
			for (t = 0; t < 3; t++) {
				for (o = 0;
				     o < sizeof(others) / sizeof(*others);
				     o++) {
					snprintf(s, sizeof(s),
					    "%s %s to %s all-resources in %s",
					    allow[a], others[o], manage[m],
					    tenancy[t]);
					policy(s, ST_FAIL);
					/* a where clause narrows requests,
					 * not the privilege */
					snprintf(s, sizeof(s),
					    "%s  %s to %s all-resources in "
					    "%s where request.user.name = "
					    "'x'",
					    allow[a], others[o], manage[m],
					    tenancy[t]);
					policy(s, ST_FAIL);
				}
				for (o = 0;
				     o < sizeof(admins) / sizeof(*admins);
				     o++) {
					snprintf(s, sizeof(s),
					    "%s %s to %s all-resources in %s",
					    allow[a], admins[o], manage[m],
					    tenancy[t]);
					policy(s, ST_PASS);
				}
			}
	/* Narrower grants and other statement kinds pass. */
	policy("Allow group Ops to manage all-resources in compartment Ops",
	    ST_PASS);
	policy("Allow group Ops to read all-resources in tenancy", ST_PASS);
	policy("Allow group Ops to manage instance-family in tenancy", ST_PASS);
	policy("Endorse group Ops to manage all-resources in tenancy Other",
	    ST_PASS);
	policy("Define tenancy Other as ocid1.tenancy.oc1..x", ST_PASS);
	/* Unparsable Allow statements and bad shapes are errors. */
	policy("Allow group Ops manage all-resources", ST_ERROR);
	policy("Allow group 'Ops to manage all-resources in tenancy", ST_ERROR);
	EXPECT(ST_ERROR, "oci_iam_policy", test_res(&tp, POL, "{}"), ADMINS);
	EXPECT(ST_ERROR, "oci_iam_policy",
	    test_res(&tp, POL, "{\"statements\": [1]}"), ADMINS);
	/* An error does not hide a failure. */
	EXPECT(ST_FAIL, "oci_iam_policy",
	    test_res(&tp, POL,
		"{\"statements\": [1, \"allow any-user to manage "
		"all-resources in tenancy\"]}"),
	    ADMINS);
}

/* ------------------------------------------------- events rules */

#define EV_TYPES \
	"{\"event_types\": " \
	"[\"com.oraclecloud.identitycontrolplane.createuser\", " \
	"\"com.oraclecloud.identitycontrolplane.deleteuser\"]}"
#define RS "OCI::Events::RuleSet"

/* A rule set of one rule: enabled (JSON), condition (JSON text), actions. */
static struct resource *
ruleset(const char *enabled, const char *cond, const char *actions)
{
	char buf[2048], esc[1024];
	size_t i, o = 0;

	for (i = 0; cond[i] != '\0' && o + 2 < sizeof(esc); i++) {
		if (cond[i] == '"' || cond[i] == '\\' || cond[i] == '\n')
			esc[o++] = '\\';
		esc[o++] = cond[i] == '\n' ? 'n' : cond[i];
	}
	esc[o] = '\0';
	snprintf(buf, sizeof(buf),
	    "{\"rules\": [{%s, \"condition\": \"%s\", %s}]}", enabled, esc,
	    actions);
	return test_res(&tp, RS, buf);
}

static void
test_events(void **state)
{
	static const char *const covering[] = {
		"{\"eventType\": "
		"[\"com.oraclecloud.identitycontrolplane.createuser\", "
		"\"com.oraclecloud.identitycontrolplane.deleteuser\"]}",
		"{\"eventType\": "
		"[\"COM.ORACLECLOUD.IDENTITYCONTROLPLANE.CREATEUSER\", "
		"\"com.oraclecloud.identitycontrolplane.DeleteUser\", \"x\"]}",
		"  {\"eventType\":\n "
		"[\"com.oraclecloud.identitycontrolplane.createuser\","
		"\"com.oraclecloud.identitycontrolplane.deleteuser\"]}\n",
	};
	static const char *const on[] = { "\"is-enabled\": true",
		"\"lifecycle-state\": \"ACTIVE\"",
		"\"lifecycle-state\": \"active\"" };
	static const char *const notify[] = {
		"\"actions\": {\"actions\": [{\"action-type\": \"ONS\", "
		"\"is-enabled\": true}]}",
		"\"actions-details\": [{\"action-type\": \"FAAS\"}, "
		"{\"action-type\": \"ons\"}]"
	};
	size_t i, j, k;

	(void)state;
	for (i = 0; i < sizeof(covering) / sizeof(*covering); i++)
		for (j = 0; j < sizeof(on) / sizeof(*on); j++)
			for (k = 0; k < sizeof(notify) / sizeof(*notify); k++)
				EXPECT(ST_PASS, "oci_events",
				    ruleset(on[j], covering[i], notify[k]),
				    EV_TYPES);
	/* one type missing; a data filter narrows; a string eventType */
	EXPECT(ST_FAIL, "oci_events",
	    ruleset(on[0],
		"{\"eventType\": "
		"\"com.oraclecloud.identitycontrolplane.createuser\"}",
		notify[0]),
	    EV_TYPES);
	EXPECT(ST_FAIL, "oci_events",
	    ruleset(on[0],
		"{\"eventType\": "
		"[\"com.oraclecloud.identitycontrolplane.createuser\", "
		"\"com.oraclecloud.identitycontrolplane.deleteuser\"], "
		"\"data\": "
		"{\"compartmentName\": \"x\"}}",
		notify[0]),
	    EV_TYPES);
	/* disabled rule, disabled or non-notifying actions */
	EXPECT(ST_FAIL, "oci_events",
	    ruleset("\"is-enabled\": false", covering[0], notify[0]), EV_TYPES);
	EXPECT(ST_FAIL, "oci_events",
	    ruleset(
		"\"lifecycle-state\": \"INACTIVE\"", covering[0], notify[1]),
	    EV_TYPES);
	EXPECT(ST_FAIL, "oci_events",
	    ruleset(on[0], covering[0],
		"\"actions\": {\"actions\": [{\"action-type\": \"ONS\", "
		"\"is-enabled\": false}, {\"action-type\": \"OSS\"}]}"),
	    EV_TYPES);
	/* cannot be judged: error, never pass */
	EXPECT(ST_ERROR, "oci_events", ruleset(on[0], covering[0], "\"x\": 1"),
	    EV_TYPES);
	EXPECT(ST_ERROR, "oci_events", ruleset(on[0], "{not json", notify[0]),
	    EV_TYPES);
	EXPECT(ST_ERROR, "oci_events",
	    ruleset("\"y\": 1", covering[0], notify[0]), EV_TYPES);
	EXPECT(ST_ERROR, "oci_events", test_res(&tp, RS, "{}"), EV_TYPES);
	EXPECT(ST_FAIL, "oci_events", test_res(&tp, RS, "{\"rules\": []}"),
	    EV_TYPES);
}

/* ------------------------------------------------ key spellings */

static void
test_kebab(void **state)
{
	static const char *const cases[][2] = {
		{ "isMfaActivated", "is-mfa-activated" },
		{ "is_mfa_activated", "is-mfa-activated" },
		{ "is-mfa-activated", "is-mfa-activated" },
		{ "ingressSecurityRules", "ingress-security-rules" },
		{ "ipv6CidrBlock", "ipv6-cidr-block" },
		{ "vcnID", "vcn-id" },
		{ "URLPath", "url-path" },
		{ "canUseOAuth2ClientCredentials",
		    "can-use-o-auth2-client-credentials" },
		{ "id", "id" },
	};
	struct arena *a = arena_new();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(
		    oci_kebab_key(a, cases[i][0], strlen(cases[i][0])),
		    cases[i][1]);
	assert_string_equal(
	    oci_ocid_region(a, "ocid1.vcn.oc1.iad.x"), "us-ashburn-1");
	assert_string_equal(
	    oci_ocid_region(a, "ocid1.vcn.oc1.PHX.x"), "us-phoenix-1");
	assert_string_equal(oci_ocid_region(a, "ocid1.vcn.oc1.xyz.x"), "xyz");
	assert_null(oci_ocid_region(a, "ocid1.user.oc1..x"));
	assert_null(oci_ocid_region(a, "arn:aws:x"));
	/* two spellings of one key: refused, never read one way */
	assert_null(oci_kebab(a,
	    test_res(&tp, SL,
		"{\"isMfaActivated\": true, \"is-mfa-activated\": false}")
		->attrs));
	assert_null(oci_kebab(
	    a, test_res(&tp, SL, "{\"x\": [{\"a_b\": 1, \"aB\": 2}]}")->attrs));
	/* kebab-case input is shared, not copied; tags keep their keys */
	{
		struct resource *r = test_res(&tp, SL,
		    "{\"a-b\": {\"c\": [1, {\"d-e\": 2}]}, "
		    "\"defined-tags\": {\"Oracle_Tags\": {\"CreatedBy\": 1}}}");
		const struct doc_node *k = oci_kebab(a, r->attrs);

		assert_ptr_equal(k, r->attrs);
		r = test_res(&tp, SL,
		    "{\"freeformTags\": {\"Cost_Center\": 1}, "
		    "\"fooBar\": 1}");
		k = oci_kebab(a, r->attrs);
		assert_non_null(
		    doc_get(doc_get(k, "freeform-tags"), "Cost_Center"));
		assert_non_null(doc_get(k, "foo-bar"));
	}
	arena_free(a);
}

/* Write text to path. */
static void
put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/*
 * The same security list as a CIS inventory in snake/camel case, as a
 * structured search in kebab and camel case: the same attributes, the
 * same verdict.
 */
static void
test_spellings(void **state)
{
	static const char *const forms[] = {
		"{\"r-1\": {\"SecurityList\": [{\"resource_type\": "
		"\"SecurityList\", \"identifier\": "
		"\"ocid1.securitylist.oc1.iad.a\", "
		"\"compartment_id\": \"ocid1.tenancy.oc1..t\", "
		"\"additional_details\": {\"ingressSecurityRules\": "
		"[{\"protocol\": \"6\", \"source\": \"0.0.0.0/0\", "
		"\"tcpOptions\": {\"destinationPortRange\": {\"min\": 22, "
		"\"max\": 22}}}]}}]}}",
		"{\"data\": {\"items\": [{\"resource-type\": \"SecurityList\", "
		"\"identifier\": \"ocid1.securitylist.oc1.iad.a\", "
		"\"compartment-id\": \"ocid1.tenancy.oc1..t\", "
		"\"additional-details\": {\"ingressSecurityRules\": "
		"[{\"protocol\": \"6\", \"source\": \"0.0.0.0/0\", "
		"\"tcpOptions\": {\"destinationPortRange\": {\"min\": 22, "
		"\"max\": 22}}}]}}]}}",
		"{\"data\": {\"items\": [{\"resourceType\": \"SecurityList\", "
		"\"identifier\": \"ocid1.securitylist.oc1.iad.a\", "
		"\"compartmentId\": \"ocid1.tenancy.oc1..t\", "
		"\"additionalDetails\": {\"ingress_security_rules\": "
		"[{\"protocol\": \"6\", \"source\": \"0.0.0.0/0\", "
		"\"tcp_options\": {\"destination_port_range\": {\"min\": 22, "
		"\"max\": 22}}}]}}]}}",
		"{\"data\": [{\"resource-type\": \"SecurityList\", "
		"\"identifier\": \"ocid1.securitylist.oc1.iad.a\", "
		"\"compartment-id\": \"ocid1.tenancy.oc1..t\", "
		"\"additional-details\": {\"ingress-security-rules\": "
		"[{\"protocol\": \"6\", \"source\": \"0.0.0.0/0\", "
		"\"tcp-options\": {\"destination-port-range\": {\"min\": 22, "
		"\"max\": 22}}}]}}]}",
	};
	char dir[] = "/tmp/rampart-oci-XXXXXX", path[64];
	struct coll c;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/in.json", dir);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		put(path, forms[i]);
		read_path(&c, path, NULL);
		assert_int_equal(c.n, 1);
		assert_string_equal(c.v[0].type, SL);
		assert_string_equal(
		    c.v[0].region, i == 0 ? "r-1" : "us-ashburn-1");
		EXPECT(ST_FAIL, "oci_network_exposure", &c.v[0], ADMIN);
		arena_free(c.a);
	}
	unlink(path);
	rmdir(dir);
}

/* ----------------------------------------- listings and read errors */

struct marks {
	size_t n, errors;
	char why[8][512];
	char types[8][64];
};

static int
on_marker(void *ctx, const struct resource *r, struct arena *a)
{
	struct marks *m = ctx;

	(void)a;
	if (!r->listing)
		return 0;
	if (r->read_error != NULL && m->errors < 8) {
		snprintf(
		    m->why[m->errors], sizeof(m->why[0]), "%s", r->read_error);
		snprintf(
		    m->types[m->errors], sizeof(m->types[0]), "%s", r->type);
		m->errors++;
	}
	m->n++;
	return 0;
}

static void
markers(const char *path, const char *adapter, struct marks *m)
{
	struct diag d;

	memset(m, 0, sizeof(*m));
	diag_init(&d);
	assert_int_equal(
	    adapter_find(adapter)->read(&d, path, NULL, on_marker, m, NULL), 0);
	diag_free(&d);
}

static void
mkdirs(const char *root, const char *rel)
{
	char p[512], *s;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
}

static void
putf(const char *root, const char *rel, const char *text)
{
	char p[512];

	mkdirs(root, rel);
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	put(p, text);
}

#define COMPS \
	"{\"data\": [{\"id\": \"ocid1.tenancy.oc1..t\", \"compartment-id\": " \
	"\"ocid1.tenancy.oc1..t\", \"lifecycle-state\": \"ACTIVE\"}, " \
	"{\"id\": \"ocid1.compartment.oc1..c\", \"compartment-id\": " \
	"\"ocid1.tenancy.oc1..t\", \"lifecycle-state\": \"ACTIVE\"}]}"

static void
test_cli_listings(void **state)
{
	char dir[] = "/tmp/rampart-oci-XXXXXX";
	struct marks m;
	char cmd[128];

	(void)state;
	assert_non_null(mkdtemp(dir));
	putf(dir, "iam/compartment-list.json", COMPS);
	/* complete: both compartments listed */
	putf(dir,
	    "us-ashburn-1/network/security-list-list/ocid1.tenancy.oc1..t.json",
	    "{\"data\": []}");
	putf(dir,
	    "us-ashburn-1/network/security-list-list/ocid1.compartment.oc1..c."
	    "json",
	    "{\"data\": []}");
	markers(dir, "oci-cli", &m);
	assert_int_equal(m.errors, 0);
	assert_true(m.n >= 2); /* compartments and security lists */
	/* a page left */
	putf(dir,
	    "us-ashburn-1/network/security-list-list/ocid1.compartment.oc1..c."
	    "json",
	    "{\"data\": [], \"opc-next-page\": \"AAA\"}");
	markers(dir, "oci-cli", &m);
	assert_int_equal(m.errors, 1);
	assert_non_null(strstr(m.why[0], "opc-next-page"));
	/* a denied call */
	putf(dir,
	    "us-ashburn-1/network/security-list-list/ocid1.compartment.oc1..c."
	    "json",
	    "{\"ServiceError\": {\"code\": \"NotAuthorizedOrNotFound\", "
	    "\"message\": \"Authorization failed\", \"status\": 404}}");
	markers(dir, "oci-cli", &m);
	assert_int_equal(m.errors, 1);
	assert_non_null(strstr(m.why[0], "denied"));
	/* throttled */
	putf(dir,
	    "us-ashburn-1/network/security-list-list/ocid1.compartment.oc1..c."
	    "json",
	    "{\"ServiceError\": {\"code\": \"TooManyRequests\", \"status\": "
	    "429}}");
	markers(dir, "oci-cli", &m);
	assert_int_equal(m.errors, 1);
	assert_non_null(strstr(m.why[0], "throttled"));
	/* a compartment file missing */
	snprintf(cmd, sizeof(cmd),
	    "rm %s/us-ashburn-1/network/security-list-list/"
	    "ocid1.compartment.oc1..c.json",
	    dir);
	assert_int_equal(system(cmd), 0);
	markers(dir, "oci-cli", &m);
	assert_int_equal(m.errors, 1);
	assert_non_null(strstr(m.why[0], "missing"));
	snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_search_pages(void **state)
{
	char dir[] = "/tmp/rampart-oci-XXXXXX", path[64];
	struct marks m;
	FILE *fp;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.json", dir);
	put(path,
	    "{\"data\": {\"items\": [{\"resource-type\": \"Bucket\", "
	    "\"identifier\": \"ocid1.bucket.oc1.iad.b\"}]}}");
	markers(path, "oci-search", &m);
	assert_int_equal(m.errors, 0);
	assert_int_equal(m.n, 1); /* only the type it holds */
	put(path,
	    "{\"data\": {\"items\": [{\"resource-type\": \"Bucket\", "
	    "\"identifier\": \"ocid1.bucket.oc1.iad.b\"}]}, "
	    "\"opc-next-page\": \"x\"}");
	markers(path, "oci-search", &m);
	assert_true(m.errors > 5); /* every type: the next page may hold any */
	/* the same past the head: streamed, the page still seen */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("{\"data\": {\"items\": [", fp);
	for (i = 0; i < 2000; i++)
		fprintf(fp,
		    "%s{\"resource-type\": \"Bucket\", \"identifier\": "
		    "\"ocid1.bucket.oc1.iad.b%zu\", \"additional-details\": "
		    "{\"publicAccessType\": \"NoPublicAccess\"}}",
		    i ? "," : "", i);
	fputs("]}, \"opc-next-page\": \"x\"}", fp);
	assert_int_equal(fclose(fp), 0);
	markers(path, "oci-search", &m);
	assert_true(m.errors > 5);
	assert_non_null(strstr(m.why[0], "opc-next-page"));
	unlink(path);
	rmdir(dir);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inventory),
		cmocka_unit_test(test_network_metamorphic),
		cmocka_unit_test(test_network_classes),
		cmocka_unit_test(test_policy_metamorphic),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_kebab),
		cmocka_unit_test(test_spellings),
		cmocka_unit_test(test_cli_listings),
		cmocka_unit_test(test_search_pages),
	};

	RUN_TESTS("oci", tests, argc, argv);
}
