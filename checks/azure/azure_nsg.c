/*
 * azure_nsg.c: network security groups that let the whole internet reach
 * TCP or UDP ports, evaluated as Azure evaluates inbound rules.
 *
 * Azure takes the inbound rules of a group (its securityRules and the
 * fixed defaultSecurityRules) in priority order, lowest number first,
 * and the first rule whose protocol, destination port and source match a
 * packet decides it (Allow or Deny); nothing matching is denied.  So, for
 * one protocol, port and address family, every address of the family
 * reaches the port exactly when
 *
 *   (a) the Allow rules matching the port cover the whole family, and
 *   (b) every Deny rule matching it covers only addresses that an Allow
 *       rule of lower priority number already admitted:
 *       S(deny) is inside the union of S(allow) for allows before it.
 *
 * A Deny of the same source and port at a lower number shadows a later
 * Allow; a Deny of 0.0.0.0/0 does not stop ::/0.  Sources `*`, `Any` and
 * the service tag `Internet` stand for the whole of both families; other
 * service tags (VirtualNetwork, AzureLoadBalancer, AzureCloud, ...) and
 * application security groups are not the internet and add nothing to
 * an Allow (nor take anything away as a Deny, so they never make a group
 * pass).  Prefixes are read by lib/cidr.c and compared as address sets.
 *
 * A rule that cannot be read (direction, access, priority, protocol,
 * ports or source of an unexpected shape) makes the group `error`; when
 * the unreadable rule is an Allow, a failure found without it stands
 * (an Allow can only open more).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/azure/azure.h"
#include "lib/cidr.h"

#define NPORTS 65536
#define MAX_RULES 2048
#define MAX_PORTS 64 /* port ranges per rule */
#define MAX_SRC 512 /* source prefixes per rule */
#define FAIL_EVIDENCE 8
#define PASS_EVIDENCE 4 /* public Allow rules shown on a pass */

enum { PROTO_ANY = 0, PROTO_TCP = 6, PROTO_UDP = 17, PROTO_OTHER = -1 };

struct prange {
	int64_t lo, hi;
};

struct nrule {
	int64_t prio;
	int allow;
	int proto;
	struct prange *ports;
	size_t nports, capports;
	struct cidr *src; /* whole-family entries for *, Any, Internet */
	size_t nsrc, capsrc;
	const char *name;
	const char *key; /* "securityRules" or "defaultSecurityRules" */
	size_t index;
	const struct doc_node *node;
};

struct nsg {
	struct check_ctx *c;
	const struct resource *r;
	struct nrule *v;
	size_t n, cap;
	const char *bad; /* why a rule could not be read */
	int bad_allow_only; /* every unreadable rule is an Allow */
	const struct doc_node *list; /* properties.securityRules */
	struct cidr *scratch; /* union workspace */
	size_t nscratch;
};

static const char *
prop_str(const struct doc_node *p, const char *k)
{
	return doc_str(doc_get(p, k));
}

/* "22", "1000-1100", "*" into *out.  0 or -1. */
static int
parse_range(const char *s, struct prange *out)
{
	char *end;
	long long a, b;

	if (strcmp(s, "*") == 0) {
		out->lo = 0;
		out->hi = NPORTS - 1;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	a = strtoll(s, &end, 10);
	if (errno != 0)
		return -1;
	b = a;
	if (*end == '-') {
		s = end + 1;
		if (*s < '0' || *s > '9')
			return -1;
		b = strtoll(s, &end, 10);
		if (errno != 0)
			return -1;
	}
	if (*end != '\0' || a < 0 || b < a || b >= NPORTS)
		return -1;
	out->lo = a;
	out->hi = b;
	return 0;
}

static int
add_port(struct nrule *ru, const struct doc_node *n)
{
	if (n == NULL || n->type != DOC_STRING || ru->nports == ru->capports)
		return -1;
	return parse_range(n->str, &ru->ports[ru->nports++]);
}

/* Destination ports: destinationPortRange and destinationPortRanges. */
static int
read_ports(struct nsg *x, struct nrule *ru, const struct doc_node *p)
{
	const struct doc_node *one = doc_get(p, "destinationPortRange");
	const struct doc_node *many = doc_get(p, "destinationPortRanges");
	size_t i, cap;

	cap = 1 + (many != NULL && many->type == DOC_SEQ ? many->u.seq.n : 0);
	if (cap > MAX_PORTS)
		return -1;
	ru->ports =
	    arena_alloc_uninit(check_arena(x->c), cap * sizeof(*ru->ports));
	if (ru->ports == NULL)
		return -1;
	ru->capports = cap;
	/* ARM prints "" for the one of the pair that is not used. */
	if (one != NULL && one->type != DOC_NULL &&
	    !(one->type == DOC_STRING && one->len == 0) &&
	    add_port(ru, one) != 0)
		return -1;
	if (many != NULL && many->type != DOC_NULL) {
		if (many->type != DOC_SEQ)
			return -1;
		for (i = 0; i < many->u.seq.n; i++)
			if (add_port(ru, many->u.seq.items[i]) != 0)
				return -1;
	}
	return ru->nports > 0 ? 0 : -1;
}

/* Whether s is a service tag name (letters, digits, '.', '_', '-'). */
static int
is_tag(const char *s)
{
	const char *p;

	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			(*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
			*p == '-'))
			return 0;
	return 1;
}

static int
add_source(struct nrule *ru, const struct doc_node *n)
{
	const char *s;

	if (n == NULL || n->type != DOC_STRING || n->len == 0)
		return -1;
	s = n->str;
	if (ru->nsrc + 2 > ru->capsrc)
		return -1;
	if (strcmp(s, "*") == 0 || strcasecmp(s, "Any") == 0 ||
	    strcasecmp(s, "Internet") == 0) {
		cidr_all(CIDR_V4, &ru->src[ru->nsrc++]);
		cidr_all(CIDR_V6, &ru->src[ru->nsrc++]);
		return 0;
	}
	if (cidr_parse(s, n->len, 0, &ru->src[ru->nsrc]) == 0) {
		cidr_unmap(&ru->src[ru->nsrc]);
		ru->nsrc++;
		return 0;
	}
	/* Another service tag: not the internet. */
	return is_tag(s) ? 0 : -1;
}

static int
read_sources(struct nsg *x, struct nrule *ru, const struct doc_node *p)
{
	const struct doc_node *one = doc_get(p, "sourceAddressPrefix");
	const struct doc_node *many = doc_get(p, "sourceAddressPrefixes");
	const struct doc_node *asg =
	    doc_get(p, "sourceApplicationSecurityGroups");
	size_t i, seen = 0, cap;

	cap = 2 *
	    (1 + (many != NULL && many->type == DOC_SEQ ? many->u.seq.n : 0));
	if (cap > MAX_SRC)
		return -1;
	ru->src = arena_alloc_uninit(check_arena(x->c), cap * sizeof(*ru->src));
	if (ru->src == NULL)
		return -1;
	ru->capsrc = cap;
	if (one != NULL && one->type != DOC_NULL &&
	    !(one->type == DOC_STRING && one->len == 0)) {
		if (add_source(ru, one) != 0)
			return -1;
		seen++;
	}
	if (many != NULL && many->type != DOC_NULL) {
		if (many->type != DOC_SEQ)
			return -1;
		for (i = 0; i < many->u.seq.n; i++, seen++)
			if (add_source(ru, many->u.seq.items[i]) != 0)
				return -1;
	}
	if (asg != NULL && asg->type == DOC_SEQ && asg->u.seq.n > 0)
		seen++;
	return seen > 0 ? 0 : -1;
}

static int
read_proto(const char *s, int *out)
{
	static const char *const other[] = { "Icmp", "Esp", "Ah", "Icmpv6" };
	size_t i;

	if (s == NULL)
		return -1;
	if (strcmp(s, "*") == 0 || strcasecmp(s, "all") == 0)
		*out = PROTO_ANY;
	else if (strcasecmp(s, "Tcp") == 0 || strcmp(s, "6") == 0)
		*out = PROTO_TCP;
	else if (strcasecmp(s, "Udp") == 0 || strcmp(s, "17") == 0)
		*out = PROTO_UDP;
	else {
		for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
			if (strcasecmp(s, other[i]) == 0)
				break;
		if (i == sizeof(other) / sizeof(other[0]))
			return -1;
		*out = PROTO_OTHER;
	}
	return 0;
}

/* Note an unreadable rule; access says whether it is a known Allow. */
static void
bad_rule(
    struct nsg *x, const char *key, size_t i, const char *what, int is_allow)
{
	if (x->bad == NULL) {
		x->bad = arena_printf(check_arena(x->c),
		    "%s[%zu]: %s cannot be read", key, i, what);
		x->bad_allow_only = 1;
	}
	if (!is_allow)
		x->bad_allow_only = 0;
}

/* One rule of list key at index i: added to x->v when inbound. */
static int
read_rule(struct nsg *x, const char *key, size_t i, const struct doc_node *n)
{
	const struct doc_node *p = doc_get(n, "properties"), *pr;
	const char *dir, *acc;
	struct nrule ru;
	int allow;

	if (p == NULL || p->type != DOC_MAP) {
		bad_rule(x, key, i, "the rule", 0);
		return 0;
	}
	acc = prop_str(p, "access");
	allow = acc != NULL && strcasecmp(acc, "Allow") == 0;
	if (acc == NULL || (!allow && strcasecmp(acc, "Deny") != 0)) {
		bad_rule(x, key, i, "'access'", 0);
		return 0;
	}
	dir = prop_str(p, "direction");
	if (dir == NULL) {
		bad_rule(x, key, i, "'direction'", allow);
		return 0;
	}
	if (strcasecmp(dir, "Outbound") == 0)
		return 0;
	if (strcasecmp(dir, "Inbound") != 0) {
		bad_rule(x, key, i, "'direction'", allow);
		return 0;
	}
	memset(&ru, 0, sizeof(ru));
	ru.allow = allow;
	ru.key = key;
	ru.index = i;
	ru.node = n;
	ru.name = doc_str(doc_get(n, "name"));
	pr = doc_get(p, "priority");
	if (pr == NULL || pr->type != DOC_INT || pr->u.i < 0) {
		bad_rule(x, key, i, "'priority'", allow);
		return 0;
	}
	ru.prio = pr->u.i;
	if (read_proto(prop_str(p, "protocol"), &ru.proto) != 0) {
		bad_rule(x, key, i, "'protocol'", allow);
		return 0;
	}
	if (ru.proto == PROTO_OTHER)
		return 0; /* no ports: not port exposure */
	if (read_ports(x, &ru, p) != 0) {
		bad_rule(x, key, i, "the destination ports", allow);
		return 0;
	}
	if (read_sources(x, &ru, p) != 0) {
		bad_rule(x, key, i, "the source addresses", allow);
		return 0;
	}
	if (x->n == x->cap) {
		bad_rule(x, key, i, "more rules than the limit", 0);
		return 0;
	}
	x->v[x->n++] = ru;
	return 0;
}

static size_t
seq_len(const struct doc_node *l)
{
	return l != NULL && l->type == DOC_SEQ ? l->u.seq.n : 0;
}

static int
rule_cmp(const void *a, const void *b)
{
	const struct nrule *x = a, *y = b;

	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int
rule_matches(const struct nrule *ru, int proto, int64_t port)
{
	size_t i;

	if (ru->proto != PROTO_ANY && ru->proto != proto)
		return 0;
	for (i = 0; i < ru->nports; i++)
		if (ru->ports[i].lo <= port && port <= ru->ports[i].hi)
			return 1;
	return 0;
}

/*
 * Whether target is covered by the sources of the matching Allow rules
 * before position `before` (all of them when before is x->n), skipping
 * rule `skip`.
 */
static int
allows_cover(struct nsg *x, int proto, int64_t port, size_t before, size_t skip,
    const struct cidr *target)
{
	double share = 0;
	size_t i, j, k = 0;

	for (i = 0; i < before; i++) {
		if (i == skip || !x->v[i].allow ||
		    !rule_matches(&x->v[i], proto, port))
			continue;
		for (j = 0; j < x->v[i].nsrc; j++)
			if (x->v[i].src[j].family == target->family &&
			    k < x->nscratch) {
				x->scratch[k++] = x->v[i].src[j];
				if (x->v[i].src[j].len >= target->len)
					share += ldexp(1.0,
					    (int)target->len -
						(int)x->v[i].src[j].len);
				else
					share = 2;
			}
	}
	/*
	 * The prefixes' sizes must add up to the target's at least: a
	 * necessary condition, with a margin far above the rounding of
	 * the sum, so a real cover is never cut short here.  Most ports of
	 * most groups end here, without the sort.
	 */
	if (share < 1 - 1e-6)
		return 0;
	return cidr_union_covers(x->scratch, k, target);
}

/* Whether the whole family fam reaches port (rules sorted). */
static int
open_at(struct nsg *x, int proto, int fam, int64_t port, size_t skip)
{
	struct cidr all;
	size_t i, j;

	cidr_all(fam, &all);
	if (!allows_cover(x, proto, port, x->n, skip, &all))
		return 0;
	for (i = 0; i < x->n; i++) {
		if (x->v[i].allow || !rule_matches(&x->v[i], proto, port))
			continue;
		for (j = 0; j < x->v[i].nsrc; j++)
			if (x->v[i].src[j].family == fam &&
			    !allows_cover(
				x, proto, port, i, skip, &x->v[i].src[j]))
				return 0;
	}
	return 1;
}

static int
open_any(struct nsg *x, int proto, int64_t port, int *fam)
{
	if (open_at(x, proto, CIDR_V4, port, (size_t)-1)) {
		*fam = CIDR_V4;
		return 1;
	}
	if (open_at(x, proto, CIDR_V6, port, (size_t)-1)) {
		*fam = CIDR_V6;
		return 1;
	}
	return 0;
}

/* Evidence and text: the Allow rules without which the port closes. */
static const char *
culprits(struct nsg *x, int proto, int fam, int64_t port)
{
	struct strbuf sb;
	char path[96];
	const char *s;
	size_t i, k = 0;

	sb_init(&sb);
	for (i = 0; i < x->n && k < FAIL_EVIDENCE; i++) {
		if (!x->v[i].allow || !rule_matches(&x->v[i], proto, port) ||
		    open_at(x, proto, fam, port, i))
			continue;
		snprintf(path, sizeof(path), "properties.%s[%zu]", x->v[i].key,
		    x->v[i].index);
		if (check_evidence(x->c, path, x->v[i].node) != 0)
			break;
		sb_printf(&sb, "%s'%s' priority %lld", k ? ", " : "",
		    x->v[i].name != NULL ? x->v[i].name : "?",
		    (long long)x->v[i].prio);
		k++;
	}
	if (k == 0)
		sb_adds(&sb, "several overlapping rules");
	s = sb.oom || sb.s == NULL
	    ? "?"
	    : arena_strndup(check_arena(x->c), sb.s, sb.len);
	sb_free(&sb);
	return s != NULL ? s : "?";
}

static int
fail(struct nsg *x, int proto, int fam, int64_t port, const char *head)
{
	const char *who = culprits(x, proto, fam, port);

	return check_emit(x->c, x->r, ST_FAIL,
	    "network security group '%s': %s%s port %lld is open to the whole "
	    "%s internet (%s)%s",
	    x->r->id, head, proto == PROTO_TCP ? "tcp" : "udp", (long long)port,
	    fam == CIDR_V4 ? "IPv4" : "IPv6", who,
	    x->bad != NULL ? "; another rule could not be read" : "");
}

/* Port breakpoints of the rules of proto: segment starts, sorted. */
static int
int64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* How many ports of proto are open; *first the lowest one. */
static int64_t
count_open(struct nsg *x, int proto, int64_t *first, int *ffam)
{
	int64_t *b, total = 0, len;
	size_t i, j, nb = 0, cap = 2;
	int fam;

	for (i = 0; i < x->n; i++)
		cap += 2 * x->v[i].nports;
	if ((b = arena_alloc(check_arena(x->c), cap * sizeof(*b))) == NULL)
		return -1;
	b[nb++] = 0;
	b[nb++] = NPORTS;
	for (i = 0; i < x->n; i++)
		for (j = 0; j < x->v[i].nports; j++) {
			b[nb++] = x->v[i].ports[j].lo;
			b[nb++] = x->v[i].ports[j].hi + 1;
		}
	qsort(b, nb, sizeof(*b), int64_cmp);
	*first = -1;
	for (i = 0; i + 1 < nb; i++) {
		if (b[i] == b[i + 1] || b[i] >= NPORTS)
			continue;
		len = b[i + 1] - b[i];
		if (open_any(x, proto, b[i], &fam)) {
			if (*first < 0) {
				*first = b[i];
				*ffam = fam;
			}
			total += len;
		}
	}
	return total;
}

static int
read_params(
    struct check_ctx *c, int64_t **ports, size_t *nports, int64_t *min_open)
{
	const struct doc_node *p = check_param(c, "ports");
	const struct doc_node *m = check_param(c, "min_open_ports");
	size_t i;

	*ports = NULL;
	*nports = 0;
	*min_open = 0;
	if (m != NULL && m->type != DOC_NULL) {
		if (m->type != DOC_INT || m->u.i < 1 || m->u.i > NPORTS)
			return -1;
		*min_open = m->u.i;
	}
	if (p == NULL || p->type == DOC_NULL)
		return *min_open > 0 ? 0 : -1;
	if (p->type != DOC_SEQ)
		return -1;
	if (p->u.seq.n == 0)
		return *min_open > 0 ? 0 : -1;
	if (*min_open > 0)
		return -1;
	if ((*ports = arena_alloc(
		 check_arena(c), p->u.seq.n * sizeof(**ports))) == NULL)
		return -1;
	for (i = 0; i < p->u.seq.n; i++) {
		if (p->u.seq.items[i]->type != DOC_INT ||
		    p->u.seq.items[i]->u.i < 0 ||
		    p->u.seq.items[i]->u.i >= NPORTS)
			return -1;
		(*ports)[i] = p->u.seq.items[i]->u.i;
	}
	*nports = p->u.seq.n;
	return 0;
}

static int
read_list(
    struct nsg *x, const struct doc_node *props, const char *key, int required)
{
	const struct doc_node *l = doc_get(props, key);
	size_t i;

	if (l == NULL || l->type == DOC_NULL) {
		if (required)
			bad_rule(x, key, 0, "the list", 0);
		return 0;
	}
	if (l->type != DOC_SEQ) {
		bad_rule(x, key, 0, "the list", 0);
		return 0;
	}
	for (i = 0; i < l->u.seq.n; i++)
		if (read_rule(x, key, i, l->u.seq.items[i]) != 0)
			return -1;
	return 0;
}

/*
 * Pass evidence: the inbound Allow rules with a public source (those a
 * reader would suspect), at most PASS_EVIDENCE; the whole list only when
 * it is short.  Keeps reports of large subscriptions small.
 */
static int
pass_evidence(struct nsg *x)
{
	char path[96];
	size_t i, j, k = 0;

	if (x->list != NULL && x->list->type == DOC_SEQ &&
	    x->list->u.seq.n <= 2)
		return check_evidence(
		    x->c, "properties.securityRules", x->list);
	for (i = 0; i < x->n && k < PASS_EVIDENCE; i++) {
		if (!x->v[i].allow)
			continue;
		for (j = 0; j < x->v[i].nsrc; j++)
			if (cidr_has_public(&x->v[i].src[j]))
				break;
		if (j == x->v[i].nsrc)
			continue;
		snprintf(path, sizeof(path), "properties.%s[%zu]", x->v[i].key,
		    x->v[i].index);
		if (check_evidence(x->c, path, x->v[i].node) != 0)
			return -1;
		k++;
	}
	return 0;
}

static int
decide(struct nsg *x, const int64_t *ports, size_t nports, int64_t min_open)
{
	int64_t count, first;
	size_t i;
	int proto, fam = CIDR_V4;
	char head[96];

	for (proto = PROTO_TCP; proto <= PROTO_UDP; proto += 11) {
		if (nports > 0) {
			for (i = 0; i < nports; i++)
				if (open_any(x, proto, ports[i], &fam))
					return fail(
					    x, proto, fam, ports[i], "");
			continue;
		}
		count = count_open(x, proto, &first, &fam);
		if (count < 0)
			return check_emit(
			    x->c, x->r, ST_ERROR, "out of memory");
		if (count >= min_open) {
			snprintf(head, sizeof(head), "%lld %s ports are open; ",
			    (long long)count,
			    proto == PROTO_TCP ? "tcp" : "udp");
			return fail(x, proto, fam, first, head);
		}
	}
	if (x->bad != NULL)
		return check_emit(x->c, x->r, ST_ERROR,
		    "network security group '%s': %s", x->r->id, x->bad);
	if (pass_evidence(x) != 0)
		return -1;
	return check_emit(x->c, x->r, ST_PASS,
	    nports > 0 ? "network security group '%s': no given port is open "
			 "to the whole IPv4 or IPv6 internet"
		       : "network security group '%s': fewer ports than the "
			 "limit are open to the whole IPv4 or IPv6 internet",
	    x->r->id);
}

static int
nsg_evaluate(struct check_ctx *c, const struct resource *r)
{
	struct nsg x;
	const struct doc_node *props;
	int64_t *ports, min_open;
	size_t nports, i;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	if (read_params(c, &ports, &nports, &min_open) != 0)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'ports' must be a non-empty list of port "
		    "numbers 0..65535, or 'min_open_ports' a number 1..65536 "
		    "with 'ports' empty");
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.r = r;
	props = doc_get(r->attrs, "properties");
	if (props == NULL || props->type != DOC_MAP) {
		check_evidence(c, "properties", props);
		return check_emit(c, r, ST_ERROR,
		    "network security group '%s' has no 'properties'", r->id);
	}
	x.cap = seq_len(doc_get(props, "securityRules")) +
	    seq_len(doc_get(props, "defaultSecurityRules"));
	if (x.cap > MAX_RULES)
		x.cap = MAX_RULES;
	x.v = arena_alloc_uninit(check_arena(c), (x.cap + 1) * sizeof(*x.v));
	if (x.v == NULL)
		return check_emit(c, r, ST_ERROR, "out of memory");
	if (read_list(&x, props, "securityRules", 1) != 0 ||
	    read_list(&x, props, "defaultSecurityRules", 0) != 0)
		return check_emit(c, r, ST_ERROR, "out of memory");
	qsort(x.v, x.n, sizeof(*x.v), rule_cmp);
	for (i = 0; i < x.n; i++)
		x.nscratch += x.v[i].nsrc;
	x.scratch = arena_alloc_uninit(
	    check_arena(c), (x.nscratch + 1) * sizeof(*x.scratch));
	if (x.scratch == NULL)
		return check_emit(c, r, ST_ERROR, "out of memory");
	if (x.bad != NULL && !x.bad_allow_only) {
		check_evidence(c, "properties.securityRules",
		    doc_get(props, "securityRules"));
		return check_emit(c, r, ST_ERROR,
		    "network security group '%s': %s", r->id, x.bad);
	}
	x.list = doc_get(props, "securityRules");
	return decide(&x, ports, nports, min_open);
}

static const char *const nsg_types[] = { "Azure::Network::NetworkSecurityGroup",
	NULL };

static const struct plugin_param nsg_params[] = {
	{ "min_open_ports", DOC_INT, NULL,
	    "fail only when at least this many of the 65536 tcp (or udp) "
	    "ports are open to the internet; 'ports' must then be empty" },
	{ "ports", DOC_SEQ, "[]",
	    "ports that must not be open to the internet" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin azure_nsg_exposure_plugin = {
	.name = "azure_nsg_exposure",
	.summary = "tcp/udp ports that network security groups open to the "
		   "whole IPv4 or IPv6 internet, by priority and Deny rules",
	.resource_types = nsg_types,
	.params = nsg_params,
	.evaluate = nsg_evaluate,
};
