/*
 * test_azure_plugins.c: checks/azure/ plugins.  azure_nsg_exposure is
 * driven by a generator of equivalent rule texts (protocol case, source
 * forms including split halves and IPv6, port forms): every variant of an
 * open rule fails, and each compliant twin (a lower-numbered Deny, a
 * narrower source, another port, outbound) passes; Deny semantics by
 * priority and by family are pinned.  azure_key_rotation is tested over
 * ISO 8601 duration forms and action cases.
 */
#include "tests/unit/testutil.h"

#include "checks/check.h"

static struct test_plugin tp = { .now = 1700000000 };

/* ----------------------------------------------------------- NSG */

#define ADMIN "{\"ports\": [22, 3389]}"
#define ALLP "{\"ports\": [], \"min_open_ports\": 60000}"
#define NSGT "Azure::Network::NetworkSecurityGroup"

/* A rule: name, priority, access, direction, protocol, ports, sources. */
static void
rule(char *buf, size_t len, const char *name, int prio, const char *access,
    const char *dir, const char *proto, const char *ports, const char *src)
{
	snprintf(buf, len,
	    "{\"name\": \"%s\", \"properties\": {\"priority\": %d, "
	    "\"access\": \"%s\", \"direction\": \"%s\", \"protocol\": \"%s\", "
	    "%s, %s, \"sourcePortRange\": \"*\", "
	    "\"destinationAddressPrefix\": \"*\"}}",
	    name, prio, access, dir, proto, ports, src);
}

static enum status
nsg(const char *params, const char *r1, const char *r2, const char *r3)
{
	char json[8192];

	snprintf(json, sizeof(json),
	    "{\"id\": \"/subscriptions/s/resourceGroups/g/providers/"
	    "Microsoft.Network/networkSecurityGroups/n\", \"properties\": "
	    "{\"securityRules\": [%s%s%s%s%s], \"defaultSecurityRules\": ["
	    "{\"name\": \"AllowVnetInBound\", \"properties\": {\"priority\": "
	    "65000, \"access\": \"Allow\", \"direction\": \"Inbound\", "
	    "\"protocol\": \"*\", \"destinationPortRange\": \"*\", "
	    "\"sourceAddressPrefix\": \"VirtualNetwork\"}}, "
	    "{\"name\": \"DenyAllInBound\", \"properties\": {\"priority\": "
	    "65500, \"access\": \"Deny\", \"direction\": \"Inbound\", "
	    "\"protocol\": \"*\", \"destinationPortRange\": \"*\", "
	    "\"sourceAddressPrefix\": \"*\"}}]}}",
	    r1 ? r1 : "", r2 ? "," : "", r2 ? r2 : "", r3 ? "," : "",
	    r3 ? r3 : "");
	return test_eval(
	    &tp, "azure_nsg_exposure", test_res(&tp, NSGT, json), params);
}

static const char *const protos[] = { "Tcp", "TCP", "tcp", "*" };
static const char *const srcs[] = {
	"\"sourceAddressPrefix\": \"*\"",
	"\"sourceAddressPrefix\": \"Internet\"",
	"\"sourceAddressPrefix\": \"internet\"",
	"\"sourceAddressPrefix\": \"Any\"",
	"\"sourceAddressPrefix\": \"0.0.0.0/0\"",
	"\"sourceAddressPrefix\": \"0.0.0.0/00\"",
	"\"sourceAddressPrefix\": \"\", \"sourceAddressPrefixes\": "
	"[\"0.0.0.0/1\", \"128.0.0.0/1\"]",
	"\"sourceAddressPrefix\": \"::/0\"",
	"\"sourceAddressPrefix\": \"::0/0\"",
	"\"sourceAddressPrefixes\": [\"10.0.0.0/8\", \"0.0.0.0/0\"]",
};
static const char *const ports[] = {
	"\"destinationPortRange\": \"22\"",
	"\"destinationPortRange\": \"20-25\"",
	"\"destinationPortRange\": \"*\"",
	"\"destinationPortRange\": \"0-65535\"",
	"\"destinationPortRange\": \"\", \"destinationPortRanges\": "
	"[\"21-23\"]",
	"\"destinationPortRanges\": [\"80\", \"22\"]",
};

#define NA(a) (sizeof(a) / sizeof((a)[0]))

/* Every form of an SSH rule open to the world fails; its twins pass. */
static void
test_nsg_metamorphic(void **state)
{
	char open[1024], deny[1024], twin[1024];
	size_t i, j, k, n = 0;

	(void)state;
	for (i = 0; i < NA(protos); i++)
		for (j = 0; j < NA(srcs); j++)
			for (k = 0; k < NA(ports); k++, n++) {
				rule(open, sizeof(open), "ssh", 300, "Allow",
				    "Inbound", protos[i], ports[k], srcs[j]);
				if (nsg(ADMIN, open, NULL, NULL) != ST_FAIL)
					fail_msg(
					    "variant %zu/%zu/%zu passed: %s", i,
					    j, k, tp.msg);
				/* A Deny of everything for 22 before it. */
				rule(deny, sizeof(deny), "deny", 200, "Deny",
				    "Inbound", "*",
				    "\"destinationPortRanges\": [\"22\", "
				    "\"3389\"]",
				    "\"sourceAddressPrefix\": \"*\"");
				if (nsg(ADMIN, open, deny, NULL) != ST_PASS)
					fail_msg(
					    "shadowed variant %zu/%zu/%zu: "
					    "%s",
					    i, j, k, tp.msg);
				/* The same Deny after it does not help. */
				rule(deny, sizeof(deny), "deny", 400, "Deny",
				    "Inbound", "*",
				    "\"destinationPortRange\": "
				    "\"*\"",
				    "\"sourceAddressPrefix\": \"*\"");
				assert_int_equal(
				    nsg(ADMIN, open, deny, NULL), ST_FAIL);
				/* Outbound, or a Deny rule, is no exposure. */
				rule(twin, sizeof(twin), "ssh", 300, "Allow",
				    "Outbound", protos[i], ports[k], srcs[j]);
				assert_int_equal(
				    nsg(ADMIN, twin, NULL, NULL), ST_PASS);
				rule(twin, sizeof(twin), "ssh", 300, "Deny",
				    "Inbound", protos[i], ports[k], srcs[j]);
				assert_int_equal(
				    nsg(ADMIN, twin, NULL, NULL), ST_PASS);
			}
	assert_int_equal(n, NA(protos) * NA(srcs) * NA(ports));
}

/* Families, narrower sources, other ports, UDP, unreadable rules. */
static void
test_nsg_semantics(void **state)
{
	char a[1024], b[1024], c[1024];

	(void)state;
	/* A Deny of 0.0.0.0/0 does not stop ::/0. */
	rule(a, sizeof(a), "all", 300, "Allow", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"22\"",
	    "\"sourceAddressPrefix\": \"*\"");
	rule(b, sizeof(b), "deny4", 100, "Deny", "Inbound", "*",
	    "\"destinationPortRange\": \"22\"",
	    "\"sourceAddressPrefix\": \"0.0.0.0/0\"");
	assert_int_equal(nsg(ADMIN, a, b, NULL), ST_FAIL);
	assert_non_null(strstr(tp.msg, "IPv6"));
	rule(c, sizeof(c), "deny6", 110, "Deny", "Inbound", "*",
	    "\"destinationPortRange\": \"22\"",
	    "\"sourceAddressPrefix\": \"::/0\"");
	assert_int_equal(nsg(ADMIN, a, b, c), ST_PASS);
	/* A partial Deny first leaves part of the internet out: pass. */
	rule(b, sizeof(b), "deny-part", 100, "Deny", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"22\"",
	    "\"sourceAddressPrefix\": \"128.0.0.0/2\"");
	rule(c, sizeof(c), "v6", 90, "Deny", "Inbound", "*",
	    "\"destinationPortRange\": \"22\"",
	    "\"sourceAddressPrefix\": \"::/0\"");
	assert_int_equal(nsg(ADMIN, a, b, c), ST_PASS);
	/* Halves in two rules, a Deny of a quarter between them: pass. */
	rule(a, sizeof(a), "lo", 100, "Allow", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"3389\"",
	    "\"sourceAddressPrefix\": \"0.0.0.0/1\"");
	rule(b, sizeof(b), "q", 105, "Deny", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"3389\"",
	    "\"sourceAddressPrefix\": \"192.0.0.0/2\"");
	rule(c, sizeof(c), "hi", 110, "Allow", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"3389\"",
	    "\"sourceAddressPrefix\": \"128.0.0.0/1\"");
	assert_int_equal(nsg(ADMIN, a, b, c), ST_PASS);
	assert_int_equal(nsg(ADMIN, a, c, NULL), ST_FAIL);
	/* Narrower or other service tags are not the internet. */
	rule(a, sizeof(a), "n", 100, "Allow", "Inbound", "*",
	    "\"destinationPortRange\": \"*\"",
	    "\"sourceAddressPrefixes\": [\"10.0.0.0/8\", \"203.0.113.7\"]");
	assert_int_equal(nsg(ADMIN, a, NULL, NULL), ST_PASS);
	rule(a, sizeof(a), "n", 100, "Allow", "Inbound", "*",
	    "\"destinationPortRange\": \"*\"",
	    "\"sourceAddressPrefix\": \"AzureCloud.EastUS\"");
	assert_int_equal(nsg(ADMIN, a, NULL, NULL), ST_PASS);
	/* UDP 3389 counts; ICMP has no ports; port 23 is not admin. */
	rule(a, sizeof(a), "u", 100, "Allow", "Inbound", "Udp",
	    "\"destinationPortRange\": \"3389\"",
	    "\"sourceAddressPrefix\": \"*\"");
	assert_int_equal(nsg(ADMIN, a, NULL, NULL), ST_FAIL);
	assert_non_null(strstr(tp.msg, "udp port 3389"));
	rule(a, sizeof(a), "i", 100, "Allow", "Inbound", "Icmp",
	    "\"destinationPortRange\": \"*\"",
	    "\"sourceAddressPrefix\": \"*\"");
	assert_int_equal(nsg(ADMIN, a, NULL, NULL), ST_PASS);
	rule(a, sizeof(a), "t", 100, "Allow", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"23\"",
	    "\"sourceAddressPrefix\": \"*\"");
	assert_int_equal(nsg(ADMIN, a, NULL, NULL), ST_PASS);
	/* An unreadable Deny (bad priority) is error, never pass. */
	rule(a, sizeof(a), "d", 100, "Deny", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"22\"",
	    "\"sourceAddressPrefix\": \"*\"");
	assert_int_equal(nsg(ADMIN, a, NULL, NULL), ST_PASS);
	memcpy(strstr(a, "\"priority\": 100"), "\"priority\":\"10\"", 15);
	assert_int_equal(nsg(ADMIN, a, NULL, NULL), ST_ERROR);
	/* Bad ports, bad source text, unknown protocol: error. */
	rule(a, sizeof(a), "p", 100, "Allow", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"25-22\"",
	    "\"sourceAddressPrefix\": \"10.0.0.0/8\"");
	assert_int_equal(nsg(ADMIN, a, NULL, NULL), ST_ERROR);
	rule(a, sizeof(a), "p", 100, "Deny", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"22\"",
	    "\"sourceAddressPrefix\": \"010.0.0.0/8\"");
	assert_int_equal(nsg(ADMIN, a, NULL, NULL), ST_ERROR);
	rule(a, sizeof(a), "p", 100, "Deny", "Inbound", "Sctp",
	    "\"destinationPortRange\": \"22\"",
	    "\"sourceAddressPrefix\": \"*\"");
	assert_int_equal(nsg(ADMIN, a, NULL, NULL), ST_ERROR);
	/* An unreadable Allow beside an open one: the failure stands. */
	rule(a, sizeof(a), "ok", 100, "Allow", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"22\"",
	    "\"sourceAddressPrefix\": \"*\"");
	rule(b, sizeof(b), "bad", 110, "Allow", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"x\"",
	    "\"sourceAddressPrefix\": \"*\"");
	assert_int_equal(nsg(ADMIN, a, b, NULL), ST_FAIL);
	assert_int_equal(nsg(ADMIN, b, NULL, NULL), ST_ERROR);
	/* No securityRules list at all: error. */
	assert_int_equal(
	    test_eval(&tp, "azure_nsg_exposure",
		test_res(&tp, NSGT, "{\"properties\": {}}"), ADMIN),
	    ST_ERROR);
}

/* All ports: a Deny of a few does not make an open-all rule pass. */
static void
test_nsg_all_ports(void **state)
{
	char a[1024], b[1024];

	(void)state;
	rule(a, sizeof(a), "all", 100, "Allow", "Inbound", "*",
	    "\"destinationPortRange\": \"*\"",
	    "\"sourceAddressPrefix\": \"Internet\"");
	assert_int_equal(nsg(ALLP, a, NULL, NULL), ST_FAIL);
	rule(b, sizeof(b), "few", 90, "Deny", "Inbound", "*",
	    "\"destinationPortRanges\": [\"22\", \"3389\", \"1-1000\"]",
	    "\"sourceAddressPrefix\": \"*\"");
	assert_int_equal(nsg(ALLP, a, b, NULL), ST_FAIL);
	assert_non_null(strstr(tp.msg, "64535 tcp ports"));
	rule(b, sizeof(b), "many", 90, "Deny", "Inbound", "*",
	    "\"destinationPortRange\": \"1-10000\"",
	    "\"sourceAddressPrefix\": \"*\"");
	assert_int_equal(nsg(ALLP, a, b, NULL), ST_PASS);
	/* Two adjacent ranges add up. */
	rule(a, sizeof(a), "lo", 100, "Allow", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"0-32767\"",
	    "\"sourceAddressPrefix\": \"*\"");
	rule(b, sizeof(b), "hi", 110, "Allow", "Inbound", "Tcp",
	    "\"destinationPortRange\": \"32768-65535\"",
	    "\"sourceAddressPrefix\": \"*\"");
	assert_int_equal(nsg(ALLP, a, b, NULL), ST_FAIL);
	assert_int_equal(nsg(ALLP, a, NULL, NULL), ST_PASS);
}

/* ------------------------------------------------------ key rotation */

static enum status
key(const char *policy, const char *params)
{
	char json[2048];

	snprintf(json, sizeof(json),
	    "{\"id\": \"/subscriptions/s/resourceGroups/g/providers/"
	    "Microsoft.KeyVault/vaults/v/keys/k\", \"properties\": "
	    "{\"rotationPolicy\": %s}}",
	    policy);
	return test_eval(&tp, "azure_key_rotation",
	    test_res(&tp, "Azure::KeyVault::Key", json), params);
}

#define POL(trigger, type, expiry) \
	"{\"lifetimeActions\": [{\"trigger\": " trigger ", \"action\": " \
	"{\"type\": \"" type "\"}}], \"attributes\": {\"expiryTime\": " expiry \
	"}}"

static void
test_key_rotation(void **state)
{
	static const struct {
		const char *pol;
		enum status st;
	} cases[] = {
		{ POL("{\"timeAfterCreate\": \"P90D\"}", "Rotate", "null"),
		    ST_PASS },
		{ POL("{\"timeAfterCreate\": \"P90D\"}", "rotate", "null"),
		    ST_PASS },
		{ POL("{\"timeAfterCreate\": \"P1Y\"}", "Rotate", "null"),
		    ST_PASS },
		{ POL("{\"timeAfterCreate\": \"P12M\"}", "Rotate", "null"),
		    ST_FAIL }, /* up to 372 days */
		{ POL("{\"timeAfterCreate\": \"P2Y\"}", "Rotate", "null"),
		    ST_FAIL },
		{ POL("{\"timeAfterCreate\": \"P52W\"}", "Rotate", "null"),
		    ST_PASS },
		{ POL("{\"timeAfterCreate\": \"PT8760H\"}", "Rotate", "null"),
		    ST_PASS },
		{ POL("{\"timeAfterCreate\": \"90D\"}", "Rotate", "null"),
		    ST_ERROR },
		{ POL("{\"timeAfterCreate\": \"P\"}", "Rotate", "null"),
		    ST_ERROR },
		{ POL("{\"timeAfterCreate\": \"P90D\"}", "Notify", "null"),
		    ST_FAIL },
		{ POL("{\"timeAfterCreate\": \"P90D\"}", "Delete", "null"),
		    ST_ERROR },
		{ POL("{\"timeBeforeExpiry\": \"P30D\"}", "Rotate", "\"P90D\""),
		    ST_PASS },
		{ POL("{\"timeBeforeExpiry\": \"P30D\"}", "Rotate", "\"P2Y\""),
		    ST_FAIL },
		{ POL("{\"timeBeforeExpiry\": \"P30D\"}", "Rotate", "null"),
		    ST_ERROR },
		{ "null", ST_FAIL },
		{ "{\"lifetimeActions\": []}", ST_FAIL },
		{ "{\"lifetimeActions\": {}}", ST_ERROR },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NA(cases); i++)
		if (key(cases[i].pol, "{\"max_rotation_days\": 366}") !=
		    cases[i].st)
			fail_msg("case %zu: %s", i, tp.msg);
	/* The limit is the parameter's. */
	assert_int_equal(
	    key(POL("{\"timeAfterCreate\": \"P90D\"}", "Rotate", "null"),
		"{\"max_rotation_days\": 30}"),
	    ST_FAIL);
	/* Absent policy: fail (never rotated), not pass. */
	assert_int_equal(test_eval(&tp, "azure_key_rotation",
			     test_res(&tp, "Azure::KeyVault::Key",
				 "{\"properties\": {\"keyUri\": \"x\"}}"),
			     "{\"max_rotation_days\": 366}"),
	    ST_FAIL);
}

/* ------------------------------------------------------ SQL firewall */

static enum status
fw(const char *start, const char *end, const char *params)
{
	char json[1024];

	snprintf(json, sizeof(json),
	    "{\"id\": \"/subscriptions/s/resourceGroups/g/providers/"
	    "Microsoft.Sql/servers/x/firewallRules/r\", \"properties\": "
	    "{\"startIpAddress\": %s, \"endIpAddress\": %s}}",
	    start, end);
	return test_eval(&tp, "azure_sql_firewall",
	    test_res(&tp, "Azure::Sql::FirewallRule", json), params);
}

static void
test_sql_firewall(void **state)
{
	static const struct {
		const char *a, *b;
		enum status st;
	} cases[] = {
		{ "\"203.0.113.7\"", "\"203.0.113.7\"", ST_PASS },
		{ "\"1.2.2.0\"", "\"1.2.2.255\"", ST_PASS }, /* 256 */
		{ "\"1.2.2.0\"", "\"1.2.3.0\"", ST_FAIL }, /* 257 */
		{ "\"0.0.0.0\"", "\"0.0.0.0\"", ST_FAIL }, /* Azure-wide */
		{ "\"0.0.0.0\"", "\"255.255.255.255\"", ST_FAIL },
		{ "\"1.0.0.0\"", "\"255.255.255.255\"", ST_FAIL },
		{ "\"1.2.3.4\"", "\"1.2.3.3\"", ST_ERROR }, /* backwards */
		{ "\"01.2.3.4\"", "\"1.2.3.5\"", ST_ERROR }, /* leading 0 */
		{ "\"1.2.3.0/24\"", "\"1.2.3.5\"", ST_ERROR },
		{ "\"::1\"", "\"::2\"", ST_ERROR },
		{ "null", "\"1.2.3.5\"", ST_ERROR },
		{ "1", "2", ST_ERROR },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NA(cases); i++)
		if (fw(cases[i].a, cases[i].b, "{\"max_addresses\": 256}") !=
		    cases[i].st)
			fail_msg("case %zu: %s", i, tp.msg);
	assert_int_equal(
	    fw("\"1.2.2.0\"", "\"1.2.2.255\"", "{\"max_addresses\": 16}"),
	    ST_FAIL);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nsg_metamorphic),
		cmocka_unit_test(test_nsg_semantics),
		cmocka_unit_test(test_nsg_all_ports),
		cmocka_unit_test(test_key_rotation),
		cmocka_unit_test(test_sql_firewall),
	};

	RUN_TESTS("azure_plugins", tests, argc, argv);
}
