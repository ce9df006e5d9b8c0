/*
 * cidr.h: IPv4 and IPv6 prefixes (lib/cidr.c).  Parsing is strict,
 * families are kept apart (0.0.0.0/0 never covers ::/0), and sets of
 * prefixes are compared as the address sets they denote, never as text:
 * 0.0.0.0/1 plus 128.0.0.0/1 covers the whole IPv4 space as 0.0.0.0/0
 * does.  Nothing here allocates.
 */
#ifndef RAMPART_CIDR_H
#define RAMPART_CIDR_H

#include <stddef.h>
#include <stdint.h>

#define CIDR_V4 4
#define CIDR_V6 6

/* cidr_parse() flags. */
#define CIDR_NEED_LEN 0x1 /* refuse a bare address without "/n" */

/* Longest text cidr_format() writes, with its NUL. */
#define CIDR_TEXT_MAX 50

struct cidr {
	/* Network address, host bits cleared; IPv4 in addr[0..3], rest 0. */
	uint8_t addr[16];
	unsigned len; /* prefix length, 0..32 (IPv4) or 0..128 (IPv6) */
	int family; /* CIDR_V4 or CIDR_V6 */
	int host_bits; /* the text had bits set past the prefix length */
};

/*
 * Parse len bytes of s as "addr" or "addr/n" (n required with
 * CIDR_NEED_LEN).  IPv4 is dotted quad without leading zeros in octets;
 * IPv6 is any RFC 4291 text form (no zone id).  The length is 1 to 3
 * decimal digits, leading zeros read as decimal ("/00" is /0), at most
 * 32 or 128.  No spaces, signs or NUL bytes anywhere.  Host bits are
 * cleared (and host_bits set).  An IPv4-mapped IPv6 text stays IPv6.
 * Returns 0, or -1 when s is not such a prefix (*out is then zeroed).
 */
int cidr_parse(const char *s, size_t len, unsigned flags, struct cidr *out);

/*
 * Turn an IPv4-mapped IPv6 prefix (::ffff:a.b.c.d/n, n >= 96) into the
 * IPv4 prefix it maps; 1 when *c changed, 0 when it was left alone.
 * Callers that judge addresses, not rules of one family, use it.
 */
int cidr_unmap(struct cidr *c);

/* Address bits of a family: 32 or 128 (0 for an unknown family). */
unsigned cidr_bits(int family);

/* The whole address space of a family (0.0.0.0/0 or ::/0) into *out. */
void cidr_all(int family, struct cidr *out);

/*
 * Canonical text of c ("10.0.0.0/8", "2001:db8::/32") into buf of size
 * bytes (CIDR_TEXT_MAX is always enough).  Returns 0, or -1 if it does
 * not fit.
 */
int cidr_format(const struct cidr *c, char *buf, size_t size);

/* Whether inner lies entirely inside outer (same family only): 1 or 0. */
int cidr_contains(const struct cidr *outer, const struct cidr *inner);

/*
 * Whether the union of the n prefixes of set covers every address of
 * target.  Prefixes of another family than target's count for nothing.
 * set is reordered (sorted by address) in place; O(n log n).  1 or 0.
 */
int cidr_union_covers(struct cidr *set, size_t n, const struct cidr *target);

/*
 * Whether c holds at least one globally reachable address: one outside
 * every special-purpose block of the IANA IPv4 and IPv6 registries
 * ("globally reachable: false").  IPv4-mapped IPv6 (::ffff:a.b.c.d) is
 * judged as the IPv4 address.  Unallocated global unicast counts as
 * public.  1 or 0.
 */
int cidr_has_public(const struct cidr *c);

#endif /* RAMPART_CIDR_H */
