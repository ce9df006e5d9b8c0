/*
 * test_aws_network.c: checks/aws/aws_network_exposure.c decides on the
 * sets of ports and addresses security groups and network ACLs admit.
 * Each class has a violating variant that fails (or errors) and a
 * compliant twin that passes, derived from the real recordings copied
 * under tests/fixtures/aws-checks (custodian placebo, see its README),
 * and generators mutate a real open rule (split CIDRs, case, protocol
 * number or name, IPv6 forms, split port ranges) and assert that every
 * mutation still fails and that removing the open piece passes.
 */
#include "tests/unit/testutil.h"

#include <time.h>

#include "checks/check.h"
#include "lib/cidr.h"
#include "tests/unit/collect.h"

#define FIX "tests/fixtures/aws-checks/"
#define SG_REAL FIX "aws-ec2-sg-no-admin-ports/mixed"
#define SG_ALL_REAL FIX "aws-ec2-sg-no-all-ports/mixed"
#define NACL_FAIL FIX "aws-ec2-nacl-no-admin-ports/fail"
#define NACL_PASS FIX "aws-ec2-nacl-no-admin-ports/pass"

#define ADMIN "{\"ports\": [22, 3389]}"
#define ALLPORTS "{\"min_open_ports\": 64512}"

#define SG "AWS::EC2::SecurityGroup"
#define NACL "AWS::EC2::NetworkAcl"

static struct test_plugin tp = { .now = 1700000000 };

static void
read_dir(struct coll *c, const char *path)
{
	const struct adapter *ad;
	struct diag d;

	memset(c, 0, sizeof(*c));
	c->a = arena_new();
	diag_init(&d);
	ad = adapter_detect(&d, path);
	assert_non_null(ad);
	assert_int_equal(ad->read(&d, path, NULL, collect, c, NULL), 0);
	diag_free(&d);
}

static const struct resource *
find(const struct coll *c, const char *type, const char *id)
{
	const struct resource *r = coll_find(c, type, id);

	if (r == NULL)
		fail_msg("no resource %s", id);
	return r;
}

/*
 * Evaluate aws_network_exposure on r with params (JSON): an error carries
 * evidence too, unless the resource was unreadable or a parameter bad.
 */
static enum status
eval(const struct resource *r, const char *params)
{
	enum status st = test_eval(&tp, "aws_network_exposure", r, params);

	if (st == ST_ERROR && r->read_error == NULL &&
	    strncmp(tp.msg, "parameter", 9) != 0)
		assert_true(tp.last.nev > 0);
	return st;
}

static const char *
ev_at(const char *path)
{
	size_t i;

	for (i = 0; i < tp.last.nev; i++)
		if (strcmp(tp.last.ev[i].path, path) == 0)
			return tp.last.ev[i].value ? tp.last.ev[i].value
						   : "(absent)";
	return NULL;
}

#define EXPECT(st, r, params) \
	do { \
		enum status got_ = eval((r), (params)); \
		if (got_ != (st)) \
			fail_msg("line %d: %s, expected %s: %s", __LINE__, \
			    status_name(got_), status_name(st), tp.msg); \
	} while (0)

/* One security group permission (JSON text) as a group. */
static struct resource *
sg1(const char *perm)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "{\"IpPermissions\": [%s]}", perm);
	return test_res(&tp, SG, buf);
}

static struct resource *
nacl(const char *entries)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "{\"Entries\": [%s]}", entries);
	return test_res(&tp, NACL, buf);
}

/* ------------------------------------------------------ real records */

static void
test_real_records(void **state)
{
	struct coll c;
	size_t i, nfail = 0;

	(void)state;
	read_dir(&c, SG_REAL);
	/* the recording's two world-open groups: 22 in one of them */
	EXPECT(ST_FAIL, find(&c, SG, "sg-0d40e803b8b644e79"), ADMIN);
	assert_non_null(strstr(tp.msg, "tcp port 22"));
	assert_non_null(ev_at("IpPermissions[1]"));
	/* 1234-4321 holds 3389; the evidence is that rule, not the one
	 * from 10.2.0.0/16 that also admits 3389 */
	EXPECT(ST_FAIL, find(&c, SG, "sg-02a60363e2b087ff8"), ADMIN);
	assert_non_null(ev_at("IpPermissions[3]"));
	assert_null(ev_at("IpPermissions[2]"));
	assert_non_null(strstr(tp.msg, "(IpPermissions[3])"));
	EXPECT(
	    ST_PASS, find(&c, SG, "sg-02a60363e2b087ff8"), "{\"ports\": [22]}");
	/* 1234-4321 open to the world: open ports, but not "all ports" */
	EXPECT(
	    ST_FAIL, find(&c, SG, "sg-02a60363e2b087ff8"), "{\"ports\": []}");
	EXPECT(ST_PASS, find(&c, SG, "sg-02a60363e2b087ff8"), ALLPORTS);
	/* a group whose only source is another group: named as such */
	EXPECT(ST_PASS, find(&c, SG, "sg-0828f69f583e2cd6b"), ADMIN);
	assert_non_null(strstr(tp.msg, "security-group sources"));
	assert_non_null(ev_at("IpPermissions[0]"));
	for (i = 0; i < c.n; i++)
		if (!c.v[i].listing)
			nfail += eval(&c.v[i], ADMIN) == ST_FAIL;
	assert_int_equal(nfail, 2);
	arena_free(c.a);

	read_dir(&c, SG_ALL_REAL);
	EXPECT(ST_FAIL, find(&c, SG, "sg-8a4b64f7"), ALLPORTS);
	assert_non_null(strstr(tp.msg, "65536 of the 65536 tcp ports"));
	/* 0-65535 from 169.254.169.254/32 only */
	EXPECT(ST_PASS, find(&c, SG, "sg-f8c78787"), ALLPORTS);
	EXPECT(ST_PASS, find(&c, SG, "sg-f8c78787"), "{\"ports\": []}");
	arena_free(c.a);

	read_dir(&c, NACL_FAIL);
	EXPECT(ST_FAIL, find(&c, NACL, "acl-6c9db915"), ADMIN);
	assert_non_null(strstr(tp.msg, "rule 100"));
	arena_free(c.a);
	read_dir(&c, NACL_PASS);
	EXPECT(ST_PASS, find(&c, NACL, "acl-6c9db915"), ADMIN);
	/* the twin's denies are IPv4 only: other ports stay open */
	EXPECT(ST_FAIL, find(&c, NACL, "acl-6c9db915"), "{\"ports\": [23]}");
	arena_free(c.a);
}

/* ------------------------------------------------- address families */

static void
test_families(void **state)
{
	(void)state;
	/* a deny of 0.0.0.0/0 does not stop ::/0 */
	EXPECT(ST_FAIL,
	    nacl(
		"{\"RuleNumber\": 50, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"deny\"},"
		"{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"Ipv6CidrBlock\": \"::/0\", \"RuleAction\": \"allow\"}"),
	    ADMIN);
	assert_non_null(strstr(tp.msg, "IPv6"));
	EXPECT(ST_PASS,
	    nacl(
		"{\"RuleNumber\": 50, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"deny\"},"
		"{\"RuleNumber\": 60, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"Ipv6CidrBlock\": \"::/0\", \"RuleAction\": \"deny\"},"
		"{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"Ipv6CidrBlock\": \"::/0\", \"RuleAction\": \"allow\"}"),
	    ADMIN);
	/* and vice versa */
	EXPECT(ST_FAIL,
	    nacl(
		"{\"RuleNumber\": 50, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"Ipv6CidrBlock\": \"::/0\", \"RuleAction\": \"deny\"},"
		"{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\"}"),
	    ADMIN);
	/* an IPv4 half plus an IPv6 half is not the whole of either */
	EXPECT(ST_PASS,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		" \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/1\"}],"
		" \"Ipv6Ranges\": [{\"CidrIpv6\": \"8000::/1\"}]}"),
	    ADMIN);
	EXPECT(ST_FAIL,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		" \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/1\"}],"
		" \"Ipv6Ranges\": [{\"CidrIpv6\": \"8000::/1\"},"
		" {\"CidrIpv6\": \"::/1\"}]}"),
	    ADMIN);
	/* both halves are the cause, in their two permissions */
	EXPECT(ST_FAIL,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		" \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/1\"}]},"
		"{\"IpProtocol\": \"tcp\", \"FromPort\": 20, \"ToPort\": 25,"
		" \"IpRanges\": [{\"CidrIp\": \"128.0.0.0/1\"}]},"
		"{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		" \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}"),
	    ADMIN);
	assert_non_null(ev_at("IpPermissions[0]"));
	assert_non_null(ev_at("IpPermissions[1]"));
	assert_null(ev_at("IpPermissions[2]"));
	/* AWS Config writes the other family's block as null */
	EXPECT(ST_FAIL,
	    nacl("{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": "
		 "false, \"CidrBlock\": null, \"Ipv6CidrBlock\": \"::/0\","
		 " \"RuleAction\": \"allow\"}"),
	    ADMIN);
	EXPECT(ST_ERROR,
	    nacl("{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": "
		 "false, \"CidrBlock\": null, \"Ipv6CidrBlock\": null,"
		 " \"RuleAction\": \"allow\"}"),
	    ADMIN);
	/* names in any case: UDP fails, ICMPv6 has no ports */
	EXPECT(ST_FAIL,
	    sg1("{\"IpProtocol\": \"UDP\", \"FromPort\": 3389, \"ToPort\":"
		" 3389, \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]}"),
	    ADMIN);
	assert_non_null(strstr(tp.msg, "udp port 3389"));
	EXPECT(ST_FAIL,
	    sg1("{\"IpProtocol\": 17, \"FromPort\": 3389, \"ToPort\":"
		" 3389, \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]}"),
	    ADMIN);
	EXPECT(ST_PASS,
	    sg1("{\"IpProtocol\": \"ICMPv6\", \"FromPort\": -1, "
		"\"ToPort\": -1, \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]}"),
	    "{\"ports\": []}");
	/* an IPv4-mapped IPv6 range is IPv6, not the IPv4 internet */
	EXPECT(ST_PASS,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		" \"Ipv6Ranges\": [{\"CidrIpv6\": \"::ffff:0.0.0.0/96\"}]}"),
	    ADMIN);
}

/* ---------------------------------------- NACL order and direction */

static void
test_nacl_order(void **state)
{
	(void)state;
	/* egress entries do not admit ingress traffic */
	EXPECT(ST_PASS,
	    nacl("{\"RuleNumber\": 100, \"Protocol\": \"6\", \"Egress\": true,"
		 " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\","
		 " \"PortRange\": {\"From\": 22, \"To\": 22}}"),
	    ADMIN);
	EXPECT(ST_FAIL,
	    nacl("{\"RuleNumber\": 100, \"Protocol\": \"6\", \"Egress\": false,"
		 " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\","
		 " \"PortRange\": {\"From\": 22, \"To\": 22}}"),
	    ADMIN);
	/* an egress deny does not stop an ingress allow */
	EXPECT(ST_FAIL,
	    nacl("{\"RuleNumber\": 10, \"Protocol\": \"-1\", \"Egress\": true,"
		 " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"deny\"},"
		 "{\"RuleNumber\": 100, \"Protocol\": \"6\", \"Egress\": false,"
		 " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\","
		 " \"PortRange\": {\"From\": 22, \"To\": 22}}"),
	    ADMIN);
	/* rule-number order, not list order: the deny first in number */
	EXPECT(ST_PASS,
	    nacl("{\"RuleNumber\": 100, \"Protocol\": \"6\", \"Egress\": false,"
		 " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\","
		 " \"PortRange\": {\"From\": 0, \"To\": 65535}},"
		 "{\"RuleNumber\": 90, \"Protocol\": \"6\", \"Egress\": false,"
		 " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"DENY\","
		 " \"PortRange\": {\"From\": 22, \"To\": 3389}}"),
	    ADMIN);
	EXPECT(ST_FAIL,
	    nacl("{\"RuleNumber\": 100, \"Protocol\": \"6\", \"Egress\": false,"
		 " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\","
		 " \"PortRange\": {\"From\": 0, \"To\": 65535}},"
		 "{\"RuleNumber\": 110, \"Protocol\": \"6\", \"Egress\": false,"
		 " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"DENY\","
		 " \"PortRange\": {\"From\": 22, \"To\": 3389}}"),
	    ADMIN);
	/* a deny split in halves blocks as the whole does */
	EXPECT(ST_PASS,
	    nacl(
		"{\"RuleNumber\": 1, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"CidrBlock\": \"0.0.0.0/1\", \"RuleAction\": \"deny\"},"
		"{\"RuleNumber\": 2, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"CidrBlock\": \"128.0.0.0/1\", \"RuleAction\": \"deny\"},"
		"{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\"}"),
	    ADMIN);
	/* a deny of one address leaves the world-wide allow reached */
	EXPECT(ST_FAIL,
	    nacl(
		"{\"RuleNumber\": 1, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"CidrBlock\": \"198.51.100.7/32\", \"RuleAction\": "
		"\"deny\"},"
		"{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\"}"),
	    ADMIN);
	/* a deny of tcp does not stop udp */
	EXPECT(ST_FAIL,
	    nacl(
		"{\"RuleNumber\": 1, \"Protocol\": \"6\", \"Egress\": false,"
		" \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"deny\","
		" \"PortRange\": {\"From\": 0, \"To\": 65535}},"
		"{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": false,"
		" \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\"}"),
	    ADMIN);
	assert_non_null(strstr(tp.msg, "udp port 22"));
	/* ICMP is not port exposure */
	EXPECT(ST_PASS,
	    nacl("{\"RuleNumber\": 100, \"Protocol\": \"1\", \"Egress\": false,"
		 " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\"}"),
	    "{\"ports\": []}");
}

/* ---------------------------------------------------- all ports */

static void
test_all_ports(void **state)
{
	(void)state;
	EXPECT(ST_FAIL,
	    sg1("{\"IpProtocol\": \"-1\","
		" \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}"),
	    ALLPORTS);
	/* all but 1024 ports: the threshold itself fails */
	EXPECT(ST_FAIL,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 1024, \"ToPort\": "
		"65535, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}"),
	    ALLPORTS);
	EXPECT(ST_PASS,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 1025, \"ToPort\": "
		"65535, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}"),
	    ALLPORTS);
	/* all ports but one, in two rules */
	EXPECT(ST_FAIL,
	    sg1("{\"IpProtocol\": \"udp\", \"FromPort\": 0, \"ToPort\": 21,"
		" \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]},"
		"{\"IpProtocol\": \"udp\", \"FromPort\": 23, \"ToPort\": 65535,"
		" \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}],"
		" \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}"),
	    ALLPORTS);
	assert_non_null(strstr(tp.msg, "65535 of the 65536 udp ports"));
	/* the same ports from half the internet each: not open */
	EXPECT(ST_PASS,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 0, \"ToPort\": 65535,"
		" \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/1\"}]},"
		"{\"IpProtocol\": \"tcp\", \"FromPort\": 0, \"ToPort\": 30000,"
		" \"IpRanges\": [{\"CidrIp\": \"128.0.0.0/1\"}]}"),
	    ALLPORTS);
	EXPECT(ST_FAIL,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 0, \"ToPort\": 65535,"
		" \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/1\"}]},"
		"{\"IpProtocol\": \"6\", \"FromPort\": 0, \"ToPort\": 65535,"
		" \"IpRanges\": [{\"CidrIp\": \"128.0.0.0/1\"}]}"),
	    ALLPORTS);
	/* ports and min_open_ports together are a parameter error */
	EXPECT(ST_ERROR,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 0, \"ToPort\": 1,"
		" \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}"),
	    "{\"ports\": [22], \"min_open_ports\": 64512}");
	EXPECT(ST_ERROR,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 0, \"ToPort\": 1,"
		" \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}"),
	    "{\"min_open_ports\": 0}");
}

/* ------------------------------------ shapes: error, never skipped */

static void
test_shapes(void **state)
{
	/* {bad permission, its compliant twin}: error, then pass */
	static const char *const sg_cases[][2] = {
		{ "{\"IpProtocol\": \"tcpx\", \"FromPort\": 22, \"ToPort\": 22,"
		  " \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 80, \"ToPort\": "
		    "80,"
		    " \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}" },
		{ "{\"IpProtocol\": null, \"IpRanges\": [{\"CidrIp\": "
		  "\"0.0.0.0/0\"}]}",
		    "{\"IpProtocol\": \"icmp\", \"FromPort\": -1, \"ToPort\": "
		    "-1, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}" },
		{ "{\"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}",
		    "{\"IpProtocol\": \"58\", \"IpRanges\": [{\"CidrIp\": "
		    "\"0.0.0.0/0\"}]}" },
		{ "{\"IpProtocol\": \"256\", \"IpRanges\": []}",
		    "{\"IpProtocol\": \"50\", \"IpRanges\": []}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": 3390, \"ToPort\": "
		  "3388, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 3390, \"ToPort\": "
		    "3398, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": 70000, \"ToPort\": "
		  "70022, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 7000, \"ToPort\": "
		    "7022, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": 21.5, \"ToPort\": "
		  "22, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 21, \"ToPort\": "
		    "22, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": 22.0, \"ToPort\": "
		  "22, \"IpRanges\": []}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": "
		    "22, \"IpRanges\": []}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": \"22\", \"ToPort\": "
		  "22, \"IpRanges\": []}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": "
		    "22, \"IpRanges\": []}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": -0, \"ToPort\": "
		  "0, \"IpRanges\": []}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 0, \"ToPort\": "
		    "0, \"IpRanges\": []}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": 1e400, \"ToPort\": "
		  "22, \"IpRanges\": []}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 1, \"ToPort\": "
		    "22, \"IpRanges\": []}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": "
		  "99999999999999999999, \"ToPort\": 22, \"IpRanges\": []}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 9, \"ToPort\": "
		    "22, \"IpRanges\": []}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		  " \"IpRanges\": {\"CidrIp\": \"0.0.0.0/0\"}}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": "
		    "22, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		  " \"IpRanges\": [\"0.0.0.0/0\"]}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": "
		    "22, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		  " \"IpRanges\": [{\"CidrIp\": \"0.0.0.0\"}]}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": "
		    "22, \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/32\"}]}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		  " \"IpRanges\": [{\"CidrIp\": \"::/0\"}]}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": "
		    "22, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		  " \"Ipv6Ranges\": [{\"CidrIpv6\": \"0.0.0.0/0\"}]}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": "
		    "22, \"Ipv6Ranges\": [{\"CidrIpv6\": \"fd00::/8\"}]}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		  " \"Ipv6Ranges\": null}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": "
		    "22, \"Ipv6Ranges\": []}" },
		{ "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		  " \"PrefixListIds\": \"pl-1\"}",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": "
		    "22, \"PrefixListIds\": [{\"PrefixListId\": \"pl-1\"}]}" },
		{ "\"tcp 22\"",
		    "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": "
		    "22}" },
	};
	static const char *const nacl_cases[][2] = {
		{ "{\"RuleNumber\": 100, \"Protocol\": null, \"Egress\": false,"
		  " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\"}",
		    "{\"RuleNumber\": 100, \"Protocol\": \"1\", \"Egress\": "
		    "false, \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": "
		    "\"allow\"}" },
		{ "{\"RuleNumber\": 100, \"Protocol\": \"6\", \"Egress\": "
		  "false,"
		  " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\","
		  " \"PortRange\": {\"From\": 443, \"To\": 80}}",
		    "{\"RuleNumber\": 100, \"Protocol\": \"6\", \"Egress\": "
		    "false, \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": "
		    "\"allow\", \"PortRange\": {\"From\": 80, \"To\": 443}}" },
		{ "{\"RuleNumber\": 100, \"Protocol\": \"6\", \"Egress\": "
		  "false,"
		  " \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": \"allow\"}",
		    "{\"RuleNumber\": 100, \"Protocol\": \"6\", \"Egress\": "
		    "false, \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": "
		    "\"allow\", \"PortRange\": {\"From\": 80, \"To\": 80}}" },
		{ "{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": "
		  "false, \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": "
		  "\"permit\"}",
		    "{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": "
		    "false, \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": "
		    "\"Deny\"}" },
		{ "{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": "
		  "\"false\", \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": "
		  "\"deny\"}",
		    "{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": "
		    "false, \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": "
		    "\"deny\"}" },
		{ "{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": "
		  "false, \"RuleAction\": \"deny\"}",
		    "{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": "
		    "false, \"Ipv6CidrBlock\": \"::/0\", \"RuleAction\": "
		    "\"deny\"}" },
		{ "{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": "
		  "false, \"CidrBlock\": \"0.0.0.0/0\", \"Ipv6CidrBlock\": "
		  "\"::/0\", \"RuleAction\": \"deny\"}",
		    "{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": "
		    "false, \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": "
		    "\"deny\"}" },
		{ "{\"RuleNumber\": 0, \"Protocol\": \"-1\", \"Egress\": "
		  "false, \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": "
		  "\"deny\"}",
		    "{\"RuleNumber\": 1, \"Protocol\": \"-1\", \"Egress\": "
		    "false, \"CidrBlock\": \"0.0.0.0/0\", \"RuleAction\": "
		    "\"deny\"}" },
		{ "{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": "
		  "false, \"CidrBlock\": \"10.0.0.0/8\", \"RuleAction\": "
		  "\"allow\"}, {\"RuleNumber\": 100, \"Protocol\": \"-1\", "
		  "\"Egress\": false, \"CidrBlock\": \"0.0.0.0/0\", "
		  "\"RuleAction\": \"deny\"}",
		    "{\"RuleNumber\": 100, \"Protocol\": \"-1\", \"Egress\": "
		    "false, \"CidrBlock\": \"10.0.0.0/8\", \"RuleAction\": "
		    "\"allow\"}, {\"RuleNumber\": 100, \"Protocol\": \"-1\", "
		    "\"Egress\": true, \"CidrBlock\": \"0.0.0.0/0\", "
		    "\"RuleAction\": \"deny\"}" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sg_cases) / sizeof(sg_cases[0]); i++) {
		if (eval(sg1(sg_cases[i][0]), ADMIN) != ST_ERROR)
			fail_msg("sg case %zu: %s, expected error: %s", i,
			    status_name(tp.last.status), tp.msg);
		if (eval(sg1(sg_cases[i][1]), ADMIN) != ST_PASS)
			fail_msg("sg twin %zu: %s, expected pass: %s", i,
			    status_name(tp.last.status), tp.msg);
	}
	for (i = 0; i < sizeof(nacl_cases) / sizeof(nacl_cases[0]); i++) {
		if (eval(nacl(nacl_cases[i][0]), ADMIN) != ST_ERROR)
			fail_msg("nacl case %zu: %s, expected error: %s", i,
			    status_name(tp.last.status), tp.msg);
		if (eval(nacl(nacl_cases[i][1]), ADMIN) != ST_PASS)
			fail_msg("nacl twin %zu: %s, expected pass: %s", i,
			    status_name(tp.last.status), tp.msg);
	}
	/* the error names the node */
	EXPECT(ST_ERROR,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		" \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}, {\"CidrIp\":"
		" \"any\"}]}"),
	    ADMIN);
	assert_non_null(ev_at("IpPermissions[0].IpRanges[1]"));
	/* a rule that opens a port wins over an unreadable one: fail */
	EXPECT(ST_FAIL,
	    sg1("{\"IpProtocol\": \"bogus\"}, {\"IpProtocol\": \"tcp\","
		" \"FromPort\": 22, \"ToPort\": 22,"
		" \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}"),
	    ADMIN);
	assert_non_null(strstr(tp.msg, "could not be read"));
	/* missing lists and unreadable resources */
	EXPECT(ST_ERROR, test_res(&tp, SG, "{\"GroupId\": \"sg-1\"}"), ADMIN);
	EXPECT(ST_ERROR, test_res(&tp, NACL, "{\"Entries\": {}}"), ADMIN);
	{
		struct resource *r = sg1("");

		r->read_error = "AccessDenied";
		EXPECT(ST_ERROR, r, ADMIN);
	}
}

/* ---------------------------- sources that are not internet ranges */

static void
test_other_sources(void **state)
{
	(void)state;
	EXPECT(ST_PASS,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		" \"PrefixListIds\": [{\"PrefixListId\": \"pl-63a5400a\"}]}"),
	    ADMIN);
	assert_non_null(strstr(tp.msg, "prefix-list"));
	assert_non_null(strstr(tp.msg, "not internet-open by themselves"));
	assert_non_null(ev_at("IpPermissions"));
	/* with a world range beside it, the rule is open */
	EXPECT(ST_FAIL,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		" \"PrefixListIds\": [{\"PrefixListId\": \"pl-63a5400a\"}],"
		" \"Ipv6Ranges\": [{\"CidrIpv6\": \"::0/0\"}]}"),
	    ADMIN);
	/* a plain private group says nothing of prefix lists */
	EXPECT(ST_PASS,
	    sg1("{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,"
		" \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}"),
	    ADMIN);
	assert_null(strstr(tp.msg, "prefix-list"));
}

/* ------------------------------------------------------ generators */

/* Split the whole space of fam into k prefixes (k >= 1), as text. */
static void
split_space(int fam, size_t k, char out[][CIDR_TEXT_MAX])
{
	struct cidr v[16];
	size_t n = 1, i, w;

	assert_true(k >= 1 && k <= 16);
	cidr_all(fam, &v[0]);
	while (n < k) {
		/* split the widest prefix (the first of least length) */
		for (w = 0, i = 1; i < n; i++)
			if (v[i].len < v[w].len)
				w = i;
		v[n] = v[w];
		v[w].len++;
		v[n].len++;
		v[n].addr[(v[n].len - 1) / 8] |=
		    (uint8_t)(0x80u >> ((v[n].len - 1) % 8));
		n++;
	}
	for (i = 0; i < k; i++)
		assert_int_equal(cidr_format(&v[i], out[i], CIDR_TEXT_MAX), 0);
}

/* Spellings of the world-wide ranges AWS or a hostile export may use. */
static const char *const v4_world[] = { "0.0.0.0/0", "0.0.0.0/00",
	"0.0.0.0/000", "10.1.2.3/0" };
static const char *const v6_world[] = { "::/0", "::0/0", "::/00",
	"0:0:0:0:0:0:0:0/0", "2001:DB8::1/0" };
/* Protocols that admit tcp port 22: names any case, numbers, all. */
static const char *const tcp_names[] = { "\"tcp\"", "\"TCP\"", "\"Tcp\"",
	"\"6\"", "6", "\"-1\"", "-1", "\"all\"", "\"ALL\"" };

/*
 * The real group sg-0d40e803b8b644e79 (80, 22 and 443 open to the
 * world) with its port-22 permission replaced by perm: the other two
 * permissions are kept as recorded.
 */
static struct resource *
real_with(const struct resource *real, const char *perms)
{
	const struct doc_node *l = doc_get(real->attrs, "IpPermissions");
	struct strbuf sb;
	char *mem = NULL;
	size_t memlen = 0, i;
	FILE *fp;
	struct resource *r;

	sb_init(&sb);
	sb_adds(&sb, "{\"IpPermissions\": [");
	for (i = 0; i < l->u.seq.n; i++) {
		const struct doc_node *p = l->u.seq.items[i];
		const struct doc_node *fp22 = doc_get(p, "FromPort");

		if (fp22 != NULL && fp22->type == DOC_INT && fp22->u.i == 22)
			continue;
		fp = open_memstream(&mem, &memlen);
		assert_non_null(fp);
		doc_write_json(p, fp);
		fclose(fp);
		sb_printf(&sb, "%s, ", mem);
		free(mem);
		mem = NULL;
	}
	sb_printf(&sb, "%s]}", perms);
	assert_false(sb.oom);
	r = test_res(&tp, SG, sb.s);
	sb_free(&sb);
	return r;
}

/*
 * Every mutation of the real open SSH rule still fails; removing one
 * piece of the split range passes (the other permissions of the group,
 * 80 and 443, never open 22).
 */
static void
test_generator_sg(void **state)
{
	char pieces[16][CIDR_TEXT_MAX];
	struct coll c;
	const struct resource *real;
	struct strbuf sb, cut;
	size_t k, i, pn, sp, drop, nmut = 0;
	int fam;

	(void)state;
	read_dir(&c, SG_REAL);
	real = find(&c, SG, "sg-0d40e803b8b644e79");
	EXPECT(ST_FAIL, real, ADMIN);
	for (pn = 0; pn < sizeof(tcp_names) / sizeof(tcp_names[0]); pn++) {
		for (fam = CIDR_V4; fam <= CIDR_V6; fam += 2) {
			for (k = 1; k <= 16; k++) {
				split_space(fam, k, pieces);
				if (k == 1)
					snprintf(pieces[0], CIDR_TEXT_MAX, "%s",
					    fam == CIDR_V4
						? v4_world[nmut % 4]
						: v6_world[nmut % 5]);
				/* pieces spread over sp permissions */
				sp = k % 3 + 1;
				drop = k / 2;
				sb_init(&sb);
				sb_init(&cut);
				for (i = 0; i < sp; i++) {
					size_t j, n1 = 0, n2 = 0;

					sb_printf(&sb,
					    "%s{\"IpProtocol\": %s, "
					    "\"FromPort\": %d, \"ToPort\": %d,"
					    " \"%s\": [",
					    i ? ", " : "", tcp_names[pn],
					    i == 1 ? 20 : 22, i == 2 ? 30 : 22,
					    fam == CIDR_V4 ? "IpRanges"
							   : "Ipv6Ranges");
					sb_printf(&cut,
					    "%s{\"IpProtocol\": %s, "
					    "\"FromPort\": %d, \"ToPort\": %d,"
					    " \"%s\": [",
					    i ? ", " : "", tcp_names[pn],
					    i == 1 ? 20 : 22, i == 2 ? 30 : 22,
					    fam == CIDR_V4 ? "IpRanges"
							   : "Ipv6Ranges");
					for (j = i; j < k; j += sp) {
						sb_printf(&sb,
						    "%s{\"%s\": \"%s\"}",
						    n1++ ? ", " : "",
						    fam == CIDR_V4 ? "CidrIp"
								   : "CidrIpv6",
						    pieces[j]);
						if (j == drop)
							continue;
						sb_printf(&cut,
						    "%s{\"%s\": \"%s\"}",
						    n2++ ? ", " : "",
						    fam == CIDR_V4 ? "CidrIp"
								   : "CidrIpv6",
						    pieces[j]);
					}
					sb_adds(&sb, "]}");
					sb_adds(&cut, "]}");
				}
				assert_false(sb.oom || cut.oom);
				if (eval(real_with(real, sb.s), ADMIN) !=
				    ST_FAIL)
					fail_msg("mutation %zu passed: %s: %s",
					    nmut, sb.s, tp.msg);
				if (eval(real_with(real, cut.s), ADMIN) !=
				    ST_PASS)
					fail_msg("cut %zu did not pass: %s: %s",
					    nmut, cut.s, tp.msg);
				nmut++;
				sb_free(&sb);
				sb_free(&cut);
			}
		}
	}
	assert_int_equal(nmut, 9 * 2 * 16);
	arena_free(c.a);
}

/*
 * The real NACL's allow-all ingress entry 100, split into k entries
 * (rule numbers 100..), spelled in other cases and protocols, in IPv4
 * or IPv6, behind the real twin's IPv4 denies when IPv6: fails; without
 * one piece: passes.
 */
static void
test_generator_nacl(void **state)
{
	static const char *const acts[] = { "allow", "ALLOW", "Allow" };
	static const char *const protos[] = { "\"-1\"", "\"6\"", "6", "-1" };
	char pieces[16][CIDR_TEXT_MAX];
	struct strbuf sb, cut;
	size_t k, i, a, p, nmut = 0;
	int fam;

	(void)state;
	for (a = 0; a < 3; a++)
		for (p = 0; p < 4; p++)
			for (fam = CIDR_V4; fam <= CIDR_V6; fam += 2)
				for (k = 1; k <= 16; k++) {
					split_space(fam, k, pieces);
					sb_init(&sb);
					sb_init(&cut);
					/* the real twin's IPv4 deny of 22 */
					sb_adds(&sb,
					    "{\"RuleNumber\": 50, \"Protocol\":"
					    " \"6\", \"Egress\": false, "
					    "\"CidrBlock\": \"0.0.0.0/0\", "
					    "\"RuleAction\": \"deny\", "
					    "\"PortRange\": {\"From\": 22, "
					    "\"To\": 22}}");
					sb_adds(&cut, sb.s);
					for (i = 0; i < k; i++) {
						char e[1024];

						snprintf(e, sizeof(e),
						    ", {\"RuleNumber\": %zu, "
						    "\"Protocol\": %s, "
						    "\"Egress\": false, "
						    "\"%s\": \"%s\", "
						    "\"RuleAction\": \"%s\", "
						    "\"PortRange\": {\"From\":"
						    " 3389, \"To\": 3389}}",
						    100 + i, protos[p],
						    fam == CIDR_V4
							? "CidrBlock"
							: "Ipv6CidrBlock",
						    pieces[i], acts[a]);
						sb_adds(&sb, e);
						if (i != k / 2)
							sb_adds(&cut, e);
					}
					assert_false(sb.oom || cut.oom);
					if (eval(nacl(sb.s), ADMIN) != ST_FAIL)
						fail_msg("nacl mutation %zu "
							 "passed: %s",
						    nmut, sb.s);
					if (eval(nacl(cut.s), ADMIN) != ST_PASS)
						fail_msg("nacl cut %zu: %s: %s",
						    nmut, cut.s, tp.msg);
					nmut++;
					sb_free(&sb);
					sb_free(&cut);
				}
	assert_int_equal(nmut, 3 * 4 * 2 * 16);
}

/*
 * The real all-ports rule (sg-8a4b64f7, tcp 0-65535 from 0.0.0.0/0)
 * with its port range cut into n pieces over as many permissions and
 * its range split in two: fails the all-ports check; dropping one half
 * range from the widest piece passes.
 */
static void
test_generator_all_ports(void **state)
{
	char pieces[2][CIDR_TEXT_MAX];
	struct coll c;
	struct strbuf sb, cut;
	size_t n, i, widest;
	int64_t from, to, w;

	(void)state;
	read_dir(&c, SG_ALL_REAL);
	EXPECT(ST_FAIL, find(&c, SG, "sg-8a4b64f7"), ALLPORTS);
	split_space(CIDR_V4, 2, pieces);
	for (n = 1; n <= 12; n++) {
		sb_init(&sb);
		sb_init(&cut);
		w = 65536 / (int64_t)n;
		widest = n - 1;
		for (i = 0; i < n; i++) {
			from = (int64_t)i * w;
			to = i + 1 == n ? 65535 : from + w - 1;
			sb_printf(&sb,
			    "%s{\"IpProtocol\": \"%s\", \"FromPort\": %lld, "
			    "\"ToPort\": %lld, \"IpRanges\": [{\"CidrIp\": "
			    "\"%s\"}, {\"CidrIp\": \"%s\"}]}",
			    i ? ", " : "", i % 2 ? "TCP" : "6", (long long)from,
			    (long long)to, pieces[0], pieces[1]);
			sb_printf(&cut,
			    "%s{\"IpProtocol\": \"%s\", \"FromPort\": %lld, "
			    "\"ToPort\": %lld, \"IpRanges\": [{\"CidrIp\": "
			    "\"%s\"}%s%s%s]}",
			    i ? ", " : "", i % 2 ? "TCP" : "6", (long long)from,
			    (long long)to, pieces[0],
			    i == widest ? "" : ", {\"CidrIp\": \"",
			    i == widest ? "" : pieces[1],
			    i == widest ? "" : "\"}");
		}
		assert_false(sb.oom || cut.oom);
		if (eval(sg1(sb.s), ALLPORTS) != ST_FAIL)
			fail_msg("all-ports mutation %zu passed: %s", n, sb.s);
		/* with n >= 2, the cut piece holds more than 1024 ports */
		if (n >= 2 && eval(sg1(cut.s), ALLPORTS) != ST_PASS)
			fail_msg("all-ports cut %zu: %s", n, tp.msg);
		sb_free(&sb);
		sb_free(&cut);
	}
	arena_free(c.a);
}

/*
 * The largest groups and ACLs the check evaluates, with every rule on
 * its own port range (the worst case: the sets are recomputed per
 * range), finish in bounded time; one more rule is error, not skipped.
 */
static void
test_limits(void **state)
{
	struct strbuf sb;
	struct timespec t0, t1;
	size_t i, n;
	double secs;

	(void)state;
	for (n = 1024; n <= 1025; n++) {
		sb_init(&sb);
		sb_adds(&sb, "{\"IpPermissions\": [");
		for (i = 0; i < n; i++)
			sb_printf(&sb,
			    "%s{\"IpProtocol\": \"tcp\", \"FromPort\": %zu, "
			    "\"ToPort\": %zu, \"IpRanges\": [{\"CidrIp\": "
			    "\"%zu.%zu.0.0/16\"}, {\"CidrIp\": "
			    "\"%s/1\"}]}",
			    i ? ", " : "", i * 60, i * 60 + 90, i % 200,
			    i / 200, i % 2 ? "128.0.0.0" : "0.0.0.0");
		sb_adds(&sb, "]}");
		assert_false(sb.oom);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (n == 1024) {
			EXPECT(ST_FAIL, test_res(&tp, SG, sb.s),
			    "{\"ports\": []}");
			/* the halves meet on 30 of every 60 ports only */
			EXPECT(ST_PASS, test_res(&tp, SG, sb.s), ALLPORTS);
		} else {
			EXPECT(ST_ERROR, test_res(&tp, SG, sb.s),
			    "{\"ports\": []}");
			assert_non_null(strstr(tp.msg, "more than the 1024"));
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		secs = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		print_message("security group, %zu rules: %.2f s\n", n, secs);
		assert_true(secs < 20);
		sb_free(&sb);
	}
	for (n = 128; n <= 129; n++) {
		sb_init(&sb);
		sb_adds(&sb, "{\"Entries\": [");
		for (i = 0; i < n; i++)
			sb_printf(&sb,
			    "%s{\"RuleNumber\": %zu, \"Protocol\": \"6\", "
			    "\"Egress\": false, \"CidrBlock\": "
			    "\"%zu.0.0.0/%d\", \"RuleAction\": \"%s\", "
			    "\"PortRange\": {\"From\": %zu, \"To\": %zu}}",
			    i ? ", " : "", i + 1, (size_t)(i % 2 ? 128 : 0), 1,
			    i % 3 ? "allow" : "deny", i * 500, i * 500 + 700);
		sb_adds(&sb, "]}");
		assert_false(sb.oom);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		EXPECT(n == 128 ? ST_FAIL : ST_ERROR, test_res(&tp, NACL, sb.s),
		    "{\"ports\": []}");
		clock_gettime(CLOCK_MONOTONIC, &t1);
		secs = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		print_message("network ACL, %zu entries: %.2f s\n", n, secs);
		assert_true(secs < 20);
		sb_free(&sb);
	}
}

static int
teardown(void **state)
{
	(void)state;
	test_plugin_free(&tp);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_real_records, teardown),
		cmocka_unit_test_teardown(test_families, teardown),
		cmocka_unit_test_teardown(test_nacl_order, teardown),
		cmocka_unit_test_teardown(test_all_ports, teardown),
		cmocka_unit_test_teardown(test_shapes, teardown),
		cmocka_unit_test_teardown(test_other_sources, teardown),
		cmocka_unit_test_teardown(test_generator_sg, teardown),
		cmocka_unit_test_teardown(test_generator_nacl, teardown),
		cmocka_unit_test_teardown(test_generator_all_ports, teardown),
		cmocka_unit_test_teardown(test_limits, teardown),
	};

	RUN_TESTS("aws_network", tests, argc, argv);
}
