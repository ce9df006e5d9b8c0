/*
 * test_cidr.c: lib/cidr.c, the one prefix library of the assert
 * operators and the network plugins.  Strict parsing, canonical text,
 * containment across families, and coverage by a set of prefixes,
 * checked against a brute-force enumeration on random small sets.
 */
#include "tests/unit/testutil.h"

#include "lib/cidr.h"

static struct cidr
P(const char *s) {
	struct cidr c;

	if (cidr_parse(s, strlen(s), 0, &c) != 0)
		fail_msg("'%s' did not parse", s);
	return c;
}

static void
test_parse_ok(void **state)
{
	static const struct {
		const char *in, *canon;
		int family;
		unsigned len;
	} v[] = {
		{ "0.0.0.0/0", "0.0.0.0/0", CIDR_V4, 0 },
		{ "0.0.0.0/00", "0.0.0.0/0", CIDR_V4, 0 },
		{ "0.0.0.0/000", "0.0.0.0/0", CIDR_V4, 0 },
		{ "::/0", "::/0", CIDR_V6, 0 },
		{ "::0/0", "::/0", CIDR_V6, 0 },
		{ "0:0:0:0:0:0:0:0/0", "::/0", CIDR_V6, 0 },
		{ "::/00", "::/0", CIDR_V6, 0 },
		{ "10.1.2.3/8", "10.0.0.0/8", CIDR_V4, 8 },
		{ "8.8.8.8", "8.8.8.8/32", CIDR_V4, 32 },
		{ "192.168.1.0/24", "192.168.1.0/24", CIDR_V4, 24 },
		{ "128.0.0.0/1", "128.0.0.0/1", CIDR_V4, 1 },
		{ "2001:DB8::/32", "2001:db8::/32", CIDR_V6, 32 },
		{ "2001:db8:0:0::1/128", "2001:db8::1/128", CIDR_V6, 128 },
		{ "::ffff:10.0.0.1", "::ffff:10.0.0.1/128", CIDR_V6, 128 },
		{ "8000::/1", "8000::/1", CIDR_V6, 1 },
	};
	char buf[CIDR_TEXT_MAX];
	struct cidr c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (cidr_parse(v[i].in, strlen(v[i].in), 0, &c) != 0)
			fail_msg("'%s' did not parse", v[i].in);
		assert_int_equal(c.family, v[i].family);
		assert_int_equal(c.len, v[i].len);
		assert_int_equal(cidr_format(&c, buf, sizeof(buf)), 0);
		assert_string_equal(buf, v[i].canon);
	}
	c = P("10.1.2.3/8");
	assert_true(c.host_bits);
	c = P("10.0.0.0/8");
	assert_false(c.host_bits);
	/* too small a buffer is refused, not truncated */
	assert_int_equal(cidr_format(&c, buf, 5), -1);
}

static void
test_parse_bad(void **state)
{
	static const char *const bad[] = { "", "/", "/0", "0.0.0.0/",
		"0.0.0.0/33", "::/129", "0.0.0.0/0000", "0.0.0.0/-0",
		"0.0.0.0/+0", "0.0.0.0/0/0", " 0.0.0.0/0", "0.0.0.0/0 ",
		"0.0.0.0 /0", "10.0.0/8", "010.0.0.0/8", "10.0.0.256/32",
		"1.2.3.4.5", "sg-12345", "pl-63a5400a", "fe80::1%eth0", "::g/0",
		"1:2:3:4:5:6:7:8:9/64", "0x0a.0.0.0/8", "0.0.0.0/0x",
		"0.0.0.0/1e1", "::/0\n", "all", "*" };
	struct cidr c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cidr_parse(bad[i], strlen(bad[i]), 0, &c) != -1)
			fail_msg("'%s' parsed", bad[i]);
	/* an embedded NUL byte */
	assert_int_equal(cidr_parse("0.0.0.0\0/0", 10, 0, &c), -1);
	/* a bare address when a length is required */
	assert_int_equal(cidr_parse("8.8.8.8", 7, CIDR_NEED_LEN, &c), -1);
	assert_int_equal(cidr_parse("8.8.8.8/32", 10, CIDR_NEED_LEN, &c), 0);
	assert_int_equal(cidr_parse(NULL, 0, 0, &c), -1);
}

static void
test_contains(void **state)
{
	struct cidr a = P("10.0.0.0/8"), b = P("10.1.0.0/16");
	struct cidr w4 = P("0.0.0.0/0"), w6 = P("::/0");
	struct cidr m = P("::ffff:10.1.2.3");

	(void)state;
	assert_true(cidr_contains(&a, &b));
	assert_false(cidr_contains(&b, &a));
	assert_true(cidr_contains(&a, &a));
	assert_true(cidr_contains(&w4, &a));
	/* families are separate */
	assert_false(cidr_contains(&w6, &a));
	assert_false(cidr_contains(&w4, &m));
	assert_true(cidr_contains(&w6, &m));
	assert_false(cidr_contains(&a, &m));
}

/* Whether the union of the given texts covers target. */
static int
covers(const char *target, const char *const *texts)
{
	struct cidr set[32], t = P(target);
	size_t n = 0;

	for (; texts[n] != NULL; n++)
		set[n] = P(texts[n]);
	return cidr_union_covers(set, n, &t);
}

static void
test_union(void **state)
{
	static const char *const halves[] = { "0.0.0.0/1", "128.0.0.0/1",
		NULL };
	static const char *const one_half[] = { "128.0.0.0/1", NULL };
	static const char *const v6halves[] = { "8000::/1", "::/1", NULL };
	static const char *const mixed[] = { "::/0", "0.0.0.0/1", NULL };
	static const char *const gap[] = { "0.0.0.0/2", "64.0.0.0/2",
		"128.0.0.0/2", "192.0.0.0/3", "240.0.0.0/4", NULL };
	static const char *const nogap[] = { "0.0.0.0/2", "64.0.0.0/2",
		"128.0.0.0/2", "192.0.0.0/3", "240.0.0.0/4", "224.0.0.0/4",
		NULL };
	static const char *const overlap[] = { "10.0.0.0/9", "0.0.0.0/0",
		"10.0.0.0/8", NULL };
	static const char *const one_host_short[] = { "0.0.0.0/1",
		"128.0.0.0/2", "192.0.0.0/3", "224.0.0.0/4", "240.0.0.0/5",
		"248.0.0.0/6", "252.0.0.0/7", "254.0.0.0/8", "255.0.0.0/9",
		"255.128.0.0/10", "255.192.0.0/11", "255.224.0.0/12",
		"255.240.0.0/13", "255.248.0.0/14", "255.252.0.0/15",
		"255.254.0.0/16", "255.255.0.0/17", "255.255.128.0/18",
		"255.255.192.0/19", "255.255.224.0/20", "255.255.240.0/21",
		"255.255.248.0/22", "255.255.252.0/23", "255.255.254.0/24",
		"255.255.255.0/25", "255.255.255.128/26", "255.255.255.192/27",
		"255.255.255.224/28", "255.255.255.240/29",
		"255.255.255.248/30", "255.255.255.252/31", NULL };
	static const char *const none[] = { NULL };
	struct cidr set[1];

	(void)state;
	assert_true(covers("0.0.0.0/0", halves));
	assert_false(covers("0.0.0.0/0", one_half));
	assert_true(covers("128.0.0.0/1", one_half));
	assert_true(covers("::/0", v6halves));
	assert_false(covers("0.0.0.0/0", v6halves));
	/* ::/0 does not cover IPv4, nor does IPv4 cover IPv6 */
	assert_false(covers("0.0.0.0/0", mixed));
	assert_false(covers("::/0", halves));
	assert_false(covers("0.0.0.0/0", gap));
	assert_true(covers("0.0.0.0/0", nogap));
	assert_true(covers("10.1.0.0/16", overlap));
	/* every address but 255.255.255.254/31 */
	assert_false(covers("0.0.0.0/0", one_host_short));
	assert_true(covers("0.0.0.0/1", one_host_short));
	assert_false(covers("0.0.0.0/0", none));
	set[0] = P("255.255.255.255/32");
	assert_true(cidr_union_covers(set, 1, &set[0]));
	cidr_all(CIDR_V6, &set[0]);
	assert_true(cidr_union_covers(set, 1, &set[0]));
}

/* A small xorshift generator: the same sequence on every run. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * Property: cidr_union_covers() agrees with enumerating every address.
 * Random sets of prefixes whose lengths keep the space small enough to
 * enumerate: inside a /24 (IPv4) or a /120 (IPv6) target, and over the
 * whole space with lengths <= 8 (then the first byte decides).
 */
static void
test_union_property(void **state)
{
	struct cidr set[12], copy[12], t;
	uint32_t seed = 0x2545F491u;
	int round, fam, whole, want, got;
	unsigned a, k, n, first;
	size_t i, outcomes[2] = { 0, 0 };

	(void)state;
	for (round = 0; round < 6000; round++) {
		fam = round % 2 ? CIDR_V6 : CIDR_V4;
		whole = round % 3 == 0;
		n = rnd(&seed) % 12 + 1;
		memset(&t, 0, sizeof(t));
		t.family = fam;
		first = fam == CIDR_V4 ? 3 : 15; /* byte the /24 /120 vary */
		if (whole) {
			t.len = 0;
		} else {
			t.addr[0] = fam == CIDR_V4 ? 10 : 0x20;
			t.len = cidr_bits(fam) - 8;
		}
		for (i = 0; i < n; i++) {
			memset(&set[i], 0, sizeof(set[i]));
			set[i].family = rnd(&seed) % 10 == 0
			    ? (fam == CIDR_V4 ? CIDR_V6 : CIDR_V4)
			    : fam;
			if (whole) {
				set[i].len = rnd(&seed) % 9;
				set[i].addr[0] = (uint8_t)(rnd(&seed) &
				    (0xFF00u >> set[i].len));
			} else {
				memcpy(set[i].addr, t.addr, 16);
				if (set[i].family != fam) {
					set[i].len = 0; /* the other space */
					memset(set[i].addr, 0, 16);
					continue;
				}
				k = rnd(&seed) % 9;
				set[i].len = cidr_bits(fam) - 8 + k;
				set[i].addr[first] =
				    (uint8_t)(rnd(&seed) & (0xFF00u >> k));
				/* now and then a prefix wider than t */
				if (rnd(&seed) % 8 == 0)
					set[i].len = cidr_bits(fam) - 9;
				if (set[i].len < cidr_bits(fam) - 8)
					set[i].addr[first] = 0;
			}
		}
		/* brute force over the 256 values of the varying byte */
		want = 1;
		for (a = 0; a < 256 && want; a++) {
			struct cidr h = t;

			h.addr[whole ? 0 : first] = (uint8_t)a;
			h.len = whole ? 8 : cidr_bits(fam);
			got = 0;
			for (i = 0; i < n && !got; i++)
				got = cidr_contains(&set[i], &h);
			want = got;
		}
		memcpy(copy, set, sizeof(set));
		if (cidr_union_covers(copy, n, &t) != want)
			fail_msg("round %d: union of %u prefixes, expected %d",
			    round, n, want);
		outcomes[want]++;
	}
	/* both answers are exercised, so the property can fail */
	assert_true(outcomes[0] > 500 && outcomes[1] > 500);
}

static void
test_public(void **state)
{
	static const struct {
		const char *in;
		int pub;
	} v[] = {
		{ "0.0.0.0/0", 1 },
		{ "10.0.0.0/8", 0 },
		{ "10.0.0.0/7", 1 },
		{ "172.16.0.0/12", 0 },
		{ "172.16.0.0/11", 1 },
		{ "192.0.0.9/32", 1 },
		{ "192.0.0.8/31", 1 },
		{ "192.0.0.8/32", 0 },
		{ "192.0.0.10/31", 1 },
		{ "192.0.0.0/29", 0 },
		{ "8.8.8.8", 1 },
		{ "::/0", 1 },
		{ "fd00::/8", 0 },
		{ "fc00::/6", 1 },
		{ "::1", 0 },
		{ "2001:db8::/48", 0 },
		{ "2600:1f18::/32", 1 },
		{ "::ffff:10.1.2.3", 0 },
		{ "::ffff:8.8.8.8", 1 },
		{ "::ffff:0.0.0.0/96", 1 },
	};
	struct cidr c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		c = P(v[i].in);
		if (cidr_has_public(&c) != v[i].pub)
			fail_msg(
			    "'%s': public should be %d", v[i].in, v[i].pub);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_union_property),
		cmocka_unit_test(test_public),
	};

	RUN_TESTS("cidr", tests, argc, argv);
}
