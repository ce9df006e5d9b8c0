/*
 * oci_network.c: OCI security lists and network security groups that let
 * the whole internet reach tcp or udp ports, decided on the sets of ports
 * and addresses the rules admit, never on the text of one rule.
 *
 * OCI security rules are allow-only, without priorities: a packet is
 * admitted when any ingress rule of any security list of the subnet or
 * NSG of the VNIC admits it, so the rules of one list add up.  For each
 * protocol (tcp, udp) and each port, the sources of the ingress rules
 * whose protocol ("all", "6"/"tcp", "17"/"udp", any case, as text or a
 * number) and destination port range hold the port are united, IPv4 and
 * IPv6 apart; the port is open when they cover the whole family
 * (0.0.0.0/0, ::/0, 0.0.0.0/00, two halves, many pieces: lib/cidr.h).
 * A rule without tcp-options / udp-options or without a
 * destination-port-range admits every port.  Sources of type
 * SERVICE_CIDR_BLOCK (the Oracle Services Network) and
 * NETWORK_SECURITY_GROUP are not internet addresses.  Stateless rules
 * admit traffic as stateful ones do.
 *
 * Parameters: `ports` (the ports that must not be open), or
 * `min_open_ports` > 0 (fail when at least that many of the 65536 ports
 * of tcp, or of udp, are open: "all ports", also all but a few).
 *
 * The rule list absent (not collected), a rule of an unexpected shape (a
 * protocol that is not a protocol, a port outside 1..65535 or a range
 * running backwards, a source that is not a CIDR, an unknown source type
 * or direction) is `error` with the offending node as evidence, unless
 * another rule already fails the resource.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/oci/oci.h"
#include "lib/cidr.h"

#define PORT_MAX 65535
#define MAX_RULES 4096
#define FAIL_EVIDENCE 8

struct orule {
	int proto; /* -1 all, else an IP protocol number */
	int64_t lo[2], hi[2]; /* ports for tcp [0] and udp [1] */
	int internet; /* source is a CIDR */
	struct cidr src;
	size_t index;
	const struct doc_node *node;
};

struct onet {
	struct check_ctx *c;
	const struct resource *r;
	const char *list; /* "ingress-security-rules", "security-rules" */
	struct orule *v;
	size_t n;
	char bad_path[96];
	const struct doc_node *bad_node;
	const char *bad_why;
};

static void
bad(struct onet *x, const struct doc_node *n, const char *why, size_t i,
    const char *key)
{
	if (x->bad_why != NULL)
		return;
	if (key != NULL)
		snprintf(x->bad_path, sizeof(x->bad_path), "%s[%zu].%s",
		    x->list, i, key);
	else
		snprintf(
		    x->bad_path, sizeof(x->bad_path), "%s[%zu]", x->list, i);
	x->bad_node = n;
	x->bad_why = why;
}

/*
 * A protocol as OCI writes it ("all", "6", "17", "1", "58") or by name
 * (tcp, udp, icmp, icmpv6; "*" for all), any case, as text or integer.
 */
static int
proto_of(const struct doc_node *n, int *p)
{
	static const struct {
		const char *name;
		int num;
	} names[] = { { "*", -1 }, { "all", -1 }, { "icmp", 1 },
		{ "icmpv6", 58 }, { "tcp", 6 }, { "udp", 17 } };
	const char *s;
	char *end;
	long v;
	size_t i;

	if (n == NULL)
		return -1;
	if (n->type == DOC_INT) {
		if (n->str != NULL && n->str[0] == '-')
			return -1;
		v = (long)n->u.i;
	} else if (n->type == DOC_STRING && strlen(n->str) == n->len &&
	    n->len > 0) {
		s = n->str;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcasecmp(s, names[i].name) == 0) {
				*p = names[i].num;
				return 0;
			}
		if (n->len > 3 || (s[0] == '0' && n->len > 1) || s[0] < '0' ||
		    s[0] > '9')
			return -1;
		v = strtol(s, &end, 10);
		if (*end != '\0')
			return -1;
	} else {
		return -1;
	}
	if (v < 0 || v > 255)
		return -1;
	*p = (int)v;
	return 0;
}

/*
 * The destination ports of tcp-options or udp-options: absent or null
 * options, or no destination-port-range, is every port.  0 or -1.
 */
static int
ports_of(const struct doc_node *opt, int64_t *lo, int64_t *hi)
{
	const struct doc_node *dr, *mn, *mx;

	*lo = 0;
	*hi = PORT_MAX;
	if (opt == NULL || opt->type == DOC_NULL)
		return 0;
	if (opt->type != DOC_MAP)
		return -1;
	dr = doc_get(opt, "destination-port-range");
	if (dr == NULL || dr->type == DOC_NULL)
		return 0;
	mn = doc_get(dr, "min");
	mx = doc_get(dr, "max");
	if (dr->type != DOC_MAP || mn == NULL || mx == NULL ||
	    mn->type != DOC_INT || mx->type != DOC_INT ||
	    (mn->str != NULL && mn->str[0] == '-') ||
	    (mx->str != NULL && mx->str[0] == '-') || mn->u.i < 1 ||
	    mx->u.i > PORT_MAX || mn->u.i > mx->u.i)
		return -1;
	*lo = mn->u.i;
	*hi = mx->u.i;
	return 0;
}

/* Decode rule i: 0 usable, 1 skipped (egress, shape problem recorded). */
static int
decode(struct onet *x, const struct doc_node *n, size_t i, struct orule *ru)
{
	const struct doc_node *dir, *st, *src;
	const char *t;

	memset(ru, 0, sizeof(*ru));
	ru->index = i;
	ru->node = n;
	if (n == NULL || n->type != DOC_MAP) {
		bad(x, n, "is not a map", i, NULL);
		return 1;
	}
	if (strcmp(x->list, "security-rules") == 0) {
		dir = doc_get(n, "direction");
		if (doc_str(dir) == NULL) {
			bad(x, dir, "has no 'direction' (INGRESS or EGRESS)", i,
			    "direction");
			return 1;
		}
		if (strcasecmp(doc_str(dir), "EGRESS") == 0)
			return 1;
		if (strcasecmp(doc_str(dir), "INGRESS") != 0) {
			bad(x, dir, "is not INGRESS or EGRESS", i, "direction");
			return 1;
		}
	}
	if (proto_of(doc_get(n, "protocol"), &ru->proto) != 0) {
		bad(x, doc_get(n, "protocol"),
		    "is not a protocol (all, or a number 0..255)", i,
		    "protocol");
		return 1;
	}
	if ((ru->proto == 6 || ru->proto == -1) &&
	    ports_of(ru->proto == 6 ? doc_get(n, "tcp-options") : NULL,
		&ru->lo[0], &ru->hi[0]) != 0) {
		bad(x, doc_get(n, "tcp-options"),
		    "has no destination port range of integers 1..65535", i,
		    "tcp-options");
		return 1;
	}
	if ((ru->proto == 17 || ru->proto == -1) &&
	    ports_of(ru->proto == 17 ? doc_get(n, "udp-options") : NULL,
		&ru->lo[1], &ru->hi[1]) != 0) {
		bad(x, doc_get(n, "udp-options"),
		    "has no destination port range of integers 1..65535", i,
		    "udp-options");
		return 1;
	}
	st = doc_get(n, "source-type");
	t = st == NULL || st->type == DOC_NULL ? "CIDR_BLOCK" : doc_str(st);
	if (t == NULL) {
		bad(x, st, "is not a source type", i, "source-type");
		return 1;
	}
	if (strcasecmp(t, "SERVICE_CIDR_BLOCK") == 0 ||
	    strcasecmp(t, "NETWORK_SECURITY_GROUP") == 0)
		return 0;
	if (strcasecmp(t, "CIDR_BLOCK") != 0) {
		bad(x, st,
		    "is not CIDR_BLOCK, SERVICE_CIDR_BLOCK or "
		    "NETWORK_SECURITY_GROUP",
		    i, "source-type");
		return 1;
	}
	src = doc_get(n, "source");
	if (src == NULL || src->type != DOC_STRING ||
	    cidr_parse(src->str, src->len, 0, &ru->src) != 0) {
		bad(x, src, "is not an IPv4 or IPv6 CIDR block", i, "source");
		return 1;
	}
	ru->internet = 1;
	return 0;
}

/* Whether rule ru admits port p of protocol k (0 tcp, 1 udp). */
static int
admits(const struct orule *ru, int k, int64_t p)
{
	if (ru->proto != -1 && ru->proto != (k == 0 ? 6 : 17))
		return 0;
	return p >= ru->lo[k] && p <= ru->hi[k];
}

/*
 * Whether port p of protocol k is open to the whole IPv4 or IPv6
 * internet; scratch has room for x->n prefixes.  The family into *fam.
 */
static int
port_open(struct onet *x, int k, int64_t p, struct cidr *scratch, int *fam)
{
	struct cidr all;
	size_t i, m = 0;
	int f;

	for (i = 0; i < x->n; i++)
		if (x->v[i].internet && admits(&x->v[i], k, p))
			scratch[m++] = x->v[i].src;
	for (f = 0; f < 2; f++) {
		cidr_all(f == 0 ? CIDR_V4 : CIDR_V6, &all);
		if (m > 0 && cidr_union_covers(scratch, m, &all)) {
			*fam = f == 0 ? CIDR_V4 : CIDR_V6;
			return 1;
		}
	}
	return 0;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The number of open ports of protocol k: the rules' ranges cut the
 * ports into segments on which the admitting rules do not change.
 */
static int64_t
open_count(struct onet *x, int k, struct cidr *scratch, int64_t *first)
{
	int64_t *b, total = 0;
	size_t i, nb = 0;
	int fam;

	*first = -1;
	b = arena_alloc(check_arena(x->c), (2 * x->n + 2) * sizeof(*b));
	if (b == NULL)
		return -1;
	b[nb++] = 0;
	b[nb++] = PORT_MAX + 1;
	for (i = 0; i < x->n; i++) {
		b[nb++] = x->v[i].lo[k];
		b[nb++] = x->v[i].hi[k] + 1;
	}
	qsort(b, nb, sizeof(*b), cmp64);
	for (i = 0; i + 1 < nb; i++) {
		if (b[i] == b[i + 1] || b[i] > PORT_MAX)
			continue;
		if (port_open(x, k, b[i], scratch, &fam)) {
			total += b[i + 1] - b[i];
			if (*first < 0)
				*first = b[i];
		}
	}
	return total;
}

/* Record as evidence the internet rules admitting port p of k. */
static void
evidence_for(struct onet *x, int k, int64_t p)
{
	char path[96];
	size_t i, m = 0;

	for (i = 0; i < x->n && m < FAIL_EVIDENCE; i++) {
		if (!x->v[i].internet || !admits(&x->v[i], k, p))
			continue;
		snprintf(path, sizeof(path), "%s[%zu]", x->list, x->v[i].index);
		check_evidence(x->c, path, x->v[i].node);
		m++;
	}
}

static int
net_evaluate(struct check_ctx *c, const struct resource *r)
{
	static const char *const pname[2] = { "tcp", "udp" };
	const struct doc_node *list, *ports, *it;
	struct cidr *scratch;
	struct onet x;
	int64_t minopen, p, cnt, first;
	size_t i;
	int k, fam;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.r = r;
	x.list = strcmp(r->type, "OCI::Core::NetworkSecurityGroup") == 0
	    ? "security-rules"
	    : "ingress-security-rules";
	list = doc_get(r->attrs, x.list);
	check_evidence(c, x.list, list);
	if (list == NULL || list->type != DOC_SEQ)
		return check_emit(c, r, ST_ERROR,
		    "'%s' is %s: the rules were not collected", x.list,
		    list == NULL                 ? "absent"
			: list->type == DOC_NULL ? "null, not a list"
						 : "not a list");
	if (list->u.seq.n > MAX_RULES)
		return check_emit(c, r, ST_ERROR,
		    "'%s' holds %zu rules, more than %d", x.list, list->u.seq.n,
		    MAX_RULES);
	ports = check_param(c, "ports");
	minopen = check_param_int(c, "min_open_ports", 0);
	if (minopen <= 0 &&
	    (ports == NULL || ports->type != DOC_SEQ || ports->u.seq.n == 0))
		return check_emit(c, r, ST_ERROR,
		    "neither 'ports' (a list) nor 'min_open_ports' is set");
	x.v = arena_alloc(check_arena(c), (list->u.seq.n + 1) * sizeof(*x.v));
	scratch =
	    arena_alloc(check_arena(c), (list->u.seq.n + 1) * sizeof(*scratch));
	if (x.v == NULL || scratch == NULL)
		return diag_sys(check_diag(c), NULL, "out of memory");
	for (i = 0; i < list->u.seq.n; i++)
		if (decode(&x, list->u.seq.items[i], i, &x.v[x.n]) == 0)
			x.n++;
	for (k = 0; k < 2; k++) {
		if (minopen > 0) {
			if ((cnt = open_count(&x, k, scratch, &first)) < 0)
				return diag_sys(
				    check_diag(c), NULL, "out of memory");
			if (cnt >= minopen) {
				evidence_for(&x, k, first);
				return check_emit(c, r, ST_FAIL,
				    "%lld %s ports are open to the whole "
				    "internet (at least %lld fail)",
				    (long long)cnt, pname[k],
				    (long long)minopen);
			}
			continue;
		}
		for (i = 0; i < ports->u.seq.n; i++) {
			it = ports->u.seq.items[i];
			if (it->type != DOC_INT || it->u.i < 0 ||
			    it->u.i > PORT_MAX)
				return check_emit(c, r, ST_ERROR,
				    "parameter 'ports' holds a value that is "
				    "not a port");
			p = it->u.i;
			if (port_open(&x, k, p, scratch, &fam)) {
				evidence_for(&x, k, p);
				return check_emit(c, r, ST_FAIL,
				    "port %lld/%s is open to the whole %s "
				    "internet",
				    (long long)p, pname[k],
				    fam == CIDR_V4 ? "IPv4" : "IPv6");
			}
		}
	}
	if (x.bad_why != NULL) {
		check_evidence(c, x.bad_path, x.bad_node);
		return check_emit(
		    c, r, ST_ERROR, "'%s' %s", x.bad_path, x.bad_why);
	}
	if (minopen > 0)
		return check_emit(c, r, ST_PASS,
		    "fewer than %lld tcp or udp ports are open to the whole "
		    "internet",
		    (long long)minopen);
	return check_emit(c, r, ST_PASS,
	    "none of the given ports is open to the whole internet");
}

static const char *const net_types[] = { "OCI::Core::SecurityList",
	"OCI::Core::NetworkSecurityGroup", NULL };

static const struct plugin_param net_params[] = {
	{ "ports", DOC_SEQ, "[22, 3389]",
	    "tcp/udp ports that must not be open to the whole internet" },
	{ "min_open_ports", DOC_INT, "0",
	    "fail when at least this many tcp (or udp) ports are open; 0: "
	    "use 'ports'" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin oci_network_exposure_plugin = {
	.name = "oci_network_exposure",
	.summary = "OCI security lists and NSGs opening ports to the "
		   "internet (rules united over ports and address families)",
	.resource_types = net_types,
	.params = net_params,
	.evaluate = net_evaluate,
};
