/*
 * cidr.c: IPv4 and IPv6 prefixes as address sets (lib/cidr.h).
 *
 * An address is held big-endian in 16 bytes (IPv4 in the first 4), so
 * memcmp() orders addresses of one family.  Coverage by a set is an
 * interval union: sort by start address, sweep, and look for a gap.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cidr.h"

unsigned
cidr_bits(int family)
{
	return family == CIDR_V4 ? 32 : family == CIDR_V6 ? 128 : 0;
}

/* Clear (set = 0) or set (set = 1) every bit of a from bit `from` on. */
static void
fill_from(uint8_t *a, unsigned from, unsigned bits, int set)
{
	unsigned i;

	for (i = from; i < bits; i++) {
		if (set)
			a[i / 8] |= (uint8_t)(0x80u >> (i % 8));
		else
			a[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
	}
}

int
cidr_parse(const char *s, size_t len, unsigned flags, struct cidr *out)
{
	char buf[64];
	uint8_t before[16];
	const char *slash, *p;
	unsigned plen = 0, max;
	size_t alen, i;

	memset(out, 0, sizeof(*out));
	if (s == NULL || len == 0 || len >= sizeof(buf))
		return -1;
	for (i = 0; i < len; i++) {
		/* inet_pton() is strict, but say so for NUL and spaces. */
		if (s[i] == '\0' || s[i] == ' ' || s[i] == '\t' ||
		    s[i] == '\n' || s[i] == '\r' || s[i] == '%')
			return -1;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	slash = memchr(buf, '/', len);
	alen = slash != NULL ? (size_t)(slash - buf) : len;
	buf[alen] = '\0';
	if (memchr(buf, ':', alen) != NULL) {
		if (inet_pton(AF_INET6, buf, out->addr) != 1)
			goto bad;
		out->family = CIDR_V6;
	} else {
		if (inet_pton(AF_INET, buf, out->addr) != 1)
			goto bad;
		out->family = CIDR_V4;
	}
	max = cidr_bits(out->family);
	if (slash != NULL) {
		p = slash + 1;
		if (*p == '\0' || strlen(p) > 3)
			goto bad;
		for (; *p != '\0'; p++) {
			if (*p < '0' || *p > '9')
				goto bad;
			plen = plen * 10 + (unsigned)(*p - '0');
		}
		if (plen > max)
			goto bad;
	} else if (flags & CIDR_NEED_LEN) {
		goto bad;
	} else {
		plen = max;
	}
	out->len = plen;
	memcpy(before, out->addr, sizeof(before));
	fill_from(out->addr, plen, max, 0);
	out->host_bits = memcmp(before, out->addr, sizeof(before)) != 0;
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return -1;
}

void
cidr_all(int family, struct cidr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = family;
}

int
cidr_format(const struct cidr *c, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	int n;

	if (inet_ntop(c->family == CIDR_V4 ? AF_INET : AF_INET6, c->addr, a,
		sizeof(a)) == NULL)
		return -1;
	n = snprintf(buf, size, "%s/%u", a, c->len);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Whether the first len bits of a and b are equal. */
static int
prefix_eq(const uint8_t *a, const uint8_t *b, unsigned len)
{
	unsigned full = len / 8, rem = len % 8;
	uint8_t mask;

	if (memcmp(a, b, full) != 0)
		return 0;
	if (rem == 0)
		return 1;
	mask = (uint8_t)(0xFF << (8 - rem));
	return (a[full] & mask) == (b[full] & mask);
}

int
cidr_contains(const struct cidr *outer, const struct cidr *inner)
{
	return outer->family == inner->family && inner->len >= outer->len &&
	    prefix_eq(inner->addr, outer->addr, outer->len);
}

/* Last address of c into end. */
static void
last_addr(const struct cidr *c, uint8_t end[16])
{
	memcpy(end, c->addr, 16);
	fill_from(end, c->len, cidr_bits(c->family), 1);
}

/* a += 1 within bits; 1 when it wrapped past the top of the space. */
static int
incr(uint8_t a[16], unsigned bits)
{
	size_t i = bits / 8;

	while (i-- > 0)
		if (++a[i] != 0)
			return 0;
	return 1;
}

static int
by_start(const void *x, const void *y)
{
	const struct cidr *a = x, *b = y;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->addr, b->addr, 16);
}

int
cidr_union_covers(struct cidr *set, size_t n, const struct cidr *target)
{
	uint8_t reach[16], end[16], tend[16];
	unsigned bits = cidr_bits(target->family);
	size_t i;

	if (bits == 0)
		return 0;
	if (n > 1)
		qsort(set, n, sizeof(*set), by_start);
	memcpy(reach, target->addr, 16);
	last_addr(target, tend);
	for (i = 0; i < n; i++) {
		if (set[i].family != target->family)
			continue;
		last_addr(&set[i], end);
		if (memcmp(end, reach, 16) < 0)
			continue; /* wholly before what is still open */
		if (memcmp(set[i].addr, reach, 16) > 0)
			return 0; /* a gap at reach: sorted, so none later */
		if (memcmp(end, tend, 16) >= 0)
			return 1;
		memcpy(reach, end, 16);
		if (incr(reach, bits))
			return 1; /* cannot happen below tend; be safe */
	}
	return 0;
}

#define V4(a, b, c, d, l) \
	{ \
		{ a, b, c, d }, l, CIDR_V4, 0 \
	}

/*
 * Address space that is not globally reachable (IANA special-purpose
 * registries, "globally reachable: false").  A false "public" fails a
 * rule, a false "private" would pass one: so unallocated global unicast
 * is public, and only blocks the registries mark are listed.
 */
static const struct cidr nonpublic_v4[] = {
	V4(0, 0, 0, 0, 8), /* "this network" */
	V4(10, 0, 0, 0, 8), /* RFC 1918 */
	V4(100, 64, 0, 0, 10), /* shared address space (CGNAT) */
	V4(127, 0, 0, 0, 8), /* loopback */
	V4(169, 254, 0, 0, 16), /* link-local */
	V4(172, 16, 0, 0, 12), /* RFC 1918 */
	/* 192.0.0.0/24 IETF assignments, except .9 and .10 (global). */
	V4(192, 0, 0, 0, 29), V4(192, 0, 0, 8, 32), V4(192, 0, 0, 11, 32),
	V4(192, 0, 0, 12, 30), V4(192, 0, 0, 16, 28), V4(192, 0, 0, 32, 27),
	V4(192, 0, 0, 64, 26), V4(192, 0, 0, 128, 25),
	V4(192, 0, 2, 0, 24), /* TEST-NET-1 */
	V4(192, 168, 0, 0, 16), /* RFC 1918 */
	V4(198, 18, 0, 0, 15), /* benchmarking */
	V4(198, 51, 100, 0, 24), /* TEST-NET-2 */
	V4(203, 0, 113, 0, 24), /* TEST-NET-3 */
	V4(224, 0, 0, 0, 4), /* multicast */
	V4(240, 0, 0, 0, 4), /* reserved, broadcast */
};

static const struct cidr nonpublic_v6[] = {
	{ { 0 }, 128, CIDR_V6, 0 }, /* :: unspecified */
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 128, CIDR_V6,
	    0 }, /* ::1 */
	{ { 0, 0x64, 0xff, 0x9b, 0, 1 }, 48, CIDR_V6, 0 }, /* local NAT64 */
	{ { 0x01, 0x00 }, 64, CIDR_V6, 0 }, /* 100::/64 discard-only */
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, CIDR_V6, 0 }, /* documentation */
	{ { 0x3f, 0xff }, 20, CIDR_V6, 0 }, /* 3fff::/20 documentation */
	{ { 0xfc }, 7, CIDR_V6, 0 }, /* fc00::/7 unique local */
	{ { 0xfe, 0x80 }, 10, CIDR_V6, 0 }, /* fe80::/10 link-local */
	{ { 0xfe, 0xc0 }, 10, CIDR_V6, 0 }, /* fec0::/10 site-local */
	{ { 0xff }, 8, CIDR_V6, 0 }, /* ff00::/8 multicast */
};

#define N4 (sizeof(nonpublic_v4) / sizeof(nonpublic_v4[0]))
#define N6 (sizeof(nonpublic_v6) / sizeof(nonpublic_v6[0]))

int
cidr_unmap(struct cidr *c)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };
	uint8_t v4[4];

	if (c->family != CIDR_V6 || c->len < 96 ||
	    memcmp(c->addr, mapped, 12) != 0)
		return 0;
	memcpy(v4, c->addr + 12, 4);
	memset(c->addr, 0, sizeof(c->addr));
	memcpy(c->addr, v4, 4);
	c->len -= 96;
	c->family = CIDR_V4;
	return 1;
}

int
cidr_has_public(const struct cidr *c)
{
	struct cidr set[N4 > N6 ? N4 : N6], u = *c;

	cidr_unmap(&u);
	if (u.family == CIDR_V4) {
		memcpy(set, nonpublic_v4, sizeof(nonpublic_v4));
		return !cidr_union_covers(set, N4, &u);
	}
	if (u.family == CIDR_V6) {
		memcpy(set, nonpublic_v6, sizeof(nonpublic_v6));
		return !cidr_union_covers(set, N6, &u);
	}
	return 0;
}
