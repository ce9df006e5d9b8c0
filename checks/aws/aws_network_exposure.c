/*
 * aws_network_exposure.c: security groups and network ACLs that let the
 * whole internet reach tcp or udp ports, decided on the sets of ports
 * and addresses the rules admit, never on the text of one rule.
 *
 * A port of a protocol (tcp, udp) is open to the internet when, for
 * IPv4 or for IPv6 taken apart, the sources admitted for that port cover
 * the whole address space of the family (lib/cidr.h), however they are
 * split: 0.0.0.0/0, 0.0.0.0/00, ::/0, ::0/0, two halves, many pieces.
 *
 * Security groups: permissions are allowed-only and add up, so the
 * sources of every ingress permission whose protocol (tcp/udp, or -1 for
 * all) and FromPort..ToPort hold the port are united.  Sources that are
 * prefix lists or other security groups are not internet addresses; a
 * permission that has only those is named in the evidence as such.
 *
 * Network ACLs: ingress entries (Egress false) of one family are taken
 * in RuleNumber order, first match wins, for each port and protocol.  An
 * allow entry is reached when some of its range is not denied by lower-
 * numbered entries; the port is open when the reached allow entries
 * cover the whole family.  A deny of 0.0.0.0/0 does not stop ::/0.
 *
 * Parameters: `ports` (the ports that must not be open; empty = any) or
 * `min_open_ports` (fail only when at least that many of the 65536 ports
 * of tcp, or of udp, are open: "all ports", also when all but a few are).
 *
 * An unknown or null protocol, ports that are not integers in 0..65535 or
 * run backwards, ranges or entries of an unexpected shape are `error`
 * with the offending node as evidence, unless another rule already
 * fails the resource.  ICMP and other protocols without ports are not
 * port exposure.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/aws/aws.h"
#include "lib/cidr.h"

#define PORT_MAX 65535
#define NPORTS 65536
/*
 * A pass records the list it read when it has at most this many rules,
 * else the rules with a public source, up to this many.
 */
#define PASS_EVIDENCE 16
/* Rules recorded as the cause of a failure, at most. */
#define FAIL_EVIDENCE 8
/* Rules (and address ranges) one resource may have to be evaluated. */
#define MAX_SG 1024
#define MAX_NACL 128
#define MAX_SOURCES 4096

/* One security group permission or network ACL ingress entry, decoded. */
struct rule {
	int proto; /* -1 all, else an IP protocol number 0..255 */
	int64_t from, to; /* ports, for tcp, udp and -1 */
	int allow; /* security groups: always */
	int64_t num; /* network ACLs: RuleNumber */
	size_t index; /* in IpPermissions or Entries */
	const struct doc_node *node;
	struct cidr *src; /* internet sources (IPv4 and IPv6) */
	size_t nsrc, cap;
	size_t nother; /* prefix-list and security-group sources */
};

/* What the evaluation of one resource works with. */
struct net {
	struct check_ctx *c;
	const struct resource *r;
	int nacl;
	struct rule *v;
	size_t n;
	struct cidr *s1, *s2; /* scratch, one slot per source */
	size_t *hit; /* rules that made a port open, FAIL_EVIDENCE */
	size_t nhit;
	/* The first unreadable rule: its path, node and problem. */
	char bad_path[96];
	const struct doc_node *bad_node;
	const char *bad_why;
};

#define NO_INDEX ((size_t)-1)

/*
 * Record the first shape problem, at list[i], list[i].key or
 * list[i].key[j] (key NULL, j NO_INDEX when not wanted).
 */
static void
bad(struct net *x, const struct doc_node *n, const char *why, size_t i,
    const char *key, size_t j)
{
	const char *list = x->nacl ? "Entries" : "IpPermissions";
	int o;

	if (x->bad_why != NULL)
		return;
	o = snprintf(x->bad_path, sizeof(x->bad_path), "%s[%zu]", list, i);
	if (key != NULL && o > 0 && (size_t)o < sizeof(x->bad_path))
		o += snprintf(x->bad_path + o, sizeof(x->bad_path) - (size_t)o,
		    ".%s", key);
	if (j != NO_INDEX && o > 0 && (size_t)o < sizeof(x->bad_path))
		snprintf(x->bad_path + o, sizeof(x->bad_path) - (size_t)o,
		    "[%zu]", j);
	x->bad_node = n;
	x->bad_why = why;
}

/*
 * An IP protocol as AWS writes it: a name (tcp, udp, icmp, icmpv6, all;
 * any case), or a number -1..255 as an integer or decimal text.  The
 * protocol into *p; -1 when the node is none of these.
 */
static int
proto_of(const struct doc_node *n, int *p)
{
	static const struct {
		const char *name;
		int num;
	} names[] = { { "all", -1 }, { "icmp", 1 }, { "icmpv6", 58 },
		{ "tcp", 6 }, { "udp", 17 } };
	const char *s;
	int64_t v;
	size_t i;

	if (n == NULL)
		return -1;
	if (n->type == DOC_INT && n->str != NULL && n->str[0] == '-' &&
	    n->u.i == 0)
		return -1; /* "-0" */
	if (n->type == DOC_INT) {
		v = n->u.i;
	} else if (n->type == DOC_STRING && strlen(n->str) == n->len) {
		s = n->str;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (strcasecmp(s, names[i].name) == 0) {
				*p = names[i].num;
				return 0;
			}
		}
		/* Decimal text: "-1", "6"; no sign but '-', no "-0", "06". */
		if (n->len == 0 || n->len > 3 || (s[0] == '0' && n->len > 1) ||
		    strcmp(s, "-0") == 0 || s[0] == '+' ||
		    parse_int64(s, &v) != 0)
			return -1;
	} else {
		return -1;
	}
	if (v < -1 || v > 255)
		return -1;
	*p = (int)v;
	return 0;
}

/* Whether protocol p has tcp/udp ports: the ones this check is about. */
static int
has_ports(int p)
{
	return p == 6 || p == 17;
}

/*
 * A port number: an integer 0..65535, or -1 where allow_m1 (AWS writes
 * -1 for "all" in some fields).  Floats (22.0, 1e400), strings, "-0"
 * and huge integers are refused.  0 or -1.
 */
static int
port_of(const struct doc_node *n, int allow_m1, int64_t *v)
{
	if (n == NULL || n->type != DOC_INT)
		return -1;
	if (n->str != NULL && n->str[0] == '-' && n->u.i == 0)
		return -1;
	*v = n->u.i;
	if (*v == -1 && allow_m1)
		return 0;
	return *v >= 0 && *v <= PORT_MAX ? 0 : -1;
}

/* Room for n more sources in ru (grown by doubling, in the arena). */
static int
src_room(struct net *x, struct rule *ru, size_t n)
{
	struct cidr *v;
	size_t cap = ru->cap ? ru->cap : 2;

	if (ru->nsrc + n <= ru->cap)
		return 0;
	while (cap < ru->nsrc + n)
		cap *= 2;
	v = arena_alloc(check_arena(x->c), cap * sizeof(*v));
	if (v == NULL)
		return -1;
	if (ru->nsrc > 0)
		memcpy(v, ru->src, ru->nsrc * sizeof(*v));
	ru->src = v;
	ru->cap = cap;
	return 0;
}

static int
add_src(struct net *x, struct rule *ru, const struct cidr *net)
{
	if (src_room(x, ru, 1) != 0)
		return -1;
	ru->src[ru->nsrc++] = *net;
	return 0;
}

/*
 * One list of sources of a security group permission: key (IpRanges or
 * Ipv6Ranges) of maps with field (CidrIp or CidrIpv6) of family fam.
 * Absent is no source; anything else not of that shape is a problem.
 */
static int
sg_ranges(
    struct net *x, struct rule *ru, const char *key, const char *field, int fam)
{
	const struct doc_node *l = doc_get(ru->node, key), *it, *t;
	struct cidr net;
	size_t j;

	if (l == NULL)
		return 0;
	if (l->type != DOC_SEQ) {
		bad(x, l, "is not a list", ru->index, key, NO_INDEX);
		return 1;
	}
	if (src_room(x, ru, l->u.seq.n) != 0)
		return -1;
	for (j = 0; j < l->u.seq.n; j++) {
		it = l->u.seq.items[j];
		t = doc_get(it, field);
		if (t == NULL || t->type != DOC_STRING ||
		    cidr_parse(t->str, t->len, CIDR_NEED_LEN, &net) != 0 ||
		    net.family != fam) {
			bad(x, it,
			    fam == CIDR_V4 ? "has no IPv4 prefix in 'CidrIp'"
					   : "has no IPv6 prefix in 'CidrIpv6'",
			    ru->index, key, j);
			return 1;
		}
		if (add_src(x, ru, &net) != 0)
			return -1;
	}
	return 0;
}

/* Prefix-list or security-group sources (key): their number, or -1. */
static long
sg_others(struct net *x, struct rule *ru, const char *key)
{
	const struct doc_node *l = doc_get(ru->node, key);

	if (l == NULL)
		return 0;
	if (l->type != DOC_SEQ) {
		bad(x, l, "is not a list", ru->index, key, NO_INDEX);
		return -1;
	}
	return (long)l->u.seq.n;
}

/*
 * Decode permission i into *ru.  0 when usable, 1 when it has a shape
 * problem (recorded, the rule is left out), -1 on no memory.
 */
static int
sg_rule(struct net *x, const struct doc_node *p, size_t i, struct rule *ru)
{
	long o1, o2;
	int rc;

	memset(ru, 0, sizeof(*ru));
	ru->index = i;
	ru->node = p;
	ru->allow = 1;
	if (p == NULL || p->type != DOC_MAP) {
		bad(x, p, "is not a map", i, NULL, NO_INDEX);
		return 1;
	}
	if (proto_of(doc_get(p, "IpProtocol"), &ru->proto) != 0) {
		bad(x, doc_get(p, "IpProtocol"),
		    "is not a protocol (tcp, udp, icmp, icmpv6, -1 or a "
		    "number 0..255)",
		    i, "IpProtocol", NO_INDEX);
		return 1;
	}
	ru->from = 0;
	ru->to = PORT_MAX;
	if (has_ports(ru->proto)) {
		if (port_of(doc_get(p, "FromPort"), 1, &ru->from) != 0 ||
		    port_of(doc_get(p, "ToPort"), 1, &ru->to) != 0 ||
		    (ru->from == -1) != (ru->to == -1) || ru->from > ru->to) {
			bad(x, p,
			    "has no 'FromPort'..'ToPort' range of integers "
			    "0..65535",
			    i, NULL, NO_INDEX);
			return 1;
		}
		if (ru->from == -1) { /* -1/-1: every port */
			ru->from = 0;
			ru->to = PORT_MAX;
		}
	}
	if ((rc = sg_ranges(x, ru, "IpRanges", "CidrIp", CIDR_V4)) != 0 ||
	    (rc = sg_ranges(x, ru, "Ipv6Ranges", "CidrIpv6", CIDR_V6)) != 0)
		return rc;
	if ((o1 = sg_others(x, ru, "PrefixListIds")) < 0 ||
	    (o2 = sg_others(x, ru, "UserIdGroupPairs")) < 0)
		return 1;
	ru->nother = (size_t)(o1 + o2);
	return 0;
}

/* Decode network ACL entry i; as sg_rule(), and 2 for an egress entry. */
static int
nacl_rule(struct net *x, const struct doc_node *e, size_t i, struct rule *ru)
{
	const struct doc_node *eg, *act, *v4, *v6, *t, *pr;
	struct cidr net;

	memset(ru, 0, sizeof(*ru));
	ru->index = i;
	ru->node = e;
	eg = doc_get(e, "Egress");
	if (e == NULL || e->type != DOC_MAP || eg == NULL ||
	    eg->type != DOC_BOOL) {
		bad(x, e, "has no boolean 'Egress'", i, NULL, NO_INDEX);
		return 1;
	}
	if (eg->u.b)
		return 2;
	act = doc_get(e, "RuleAction");
	if (act == NULL || act->type != DOC_STRING ||
	    (strcasecmp(act->str, "allow") != 0 &&
		strcasecmp(act->str, "deny") != 0)) {
		bad(x, act, "is not 'allow' or 'deny'", i, "RuleAction",
		    NO_INDEX);
		return 1;
	}
	ru->allow = strcasecmp(act->str, "allow") == 0;
	t = doc_get(e, "RuleNumber");
	if (t == NULL || t->type != DOC_INT || t->u.i < 1 || t->u.i > 32767 ||
	    (t->str != NULL && t->str[0] == '-')) {
		bad(x, t, "is not a rule number 1..32767", i, "RuleNumber",
		    NO_INDEX);
		return 1;
	}
	ru->num = t->u.i;
	if (proto_of(doc_get(e, "Protocol"), &ru->proto) != 0) {
		bad(x, doc_get(e, "Protocol"),
		    "is not a protocol (-1 or a number 0..255)", i, "Protocol",
		    NO_INDEX);
		return 1;
	}
	/* AWS Config writes the other family's block as null. */
	v4 = doc_get(e, "CidrBlock");
	v6 = doc_get(e, "Ipv6CidrBlock");
	if (v4 != NULL && v4->type == DOC_NULL)
		v4 = NULL;
	if (v6 != NULL && v6->type == DOC_NULL)
		v6 = NULL;
	t = v4 != NULL ? v4 : v6;
	if ((v4 == NULL) == (v6 == NULL) || t->type != DOC_STRING ||
	    cidr_parse(t->str, t->len, CIDR_NEED_LEN, &net) != 0 ||
	    net.family != (v4 != NULL ? CIDR_V4 : CIDR_V6)) {
		bad(x, e,
		    "needs one of an IPv4 'CidrBlock' or an IPv6 "
		    "'Ipv6CidrBlock'",
		    i, NULL, NO_INDEX);
		return 1;
	}
	if (add_src(x, ru, &net) != 0)
		return -1;
	ru->from = 0;
	ru->to = PORT_MAX;
	if (has_ports(ru->proto)) {
		pr = doc_get(e, "PortRange");
		if (pr == NULL || pr->type != DOC_MAP ||
		    port_of(doc_get(pr, "From"), 0, &ru->from) != 0 ||
		    port_of(doc_get(pr, "To"), 0, &ru->to) != 0 ||
		    ru->from > ru->to) {
			bad(x, pr,
			    "is not a 'From'..'To' range of integers "
			    "0..65535",
			    i, "PortRange", NO_INDEX);
			return 1;
		}
	}
	return 0;
}

static int
by_number(const void *a, const void *b)
{
	const struct rule *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

/* Whether rule ru admits protocol p (6 or 17) on port. */
static int
applies(const struct rule *ru, int p, int64_t port)
{
	return (ru->proto == -1 || ru->proto == p) && port >= ru->from &&
	    port <= ru->to;
}

/*
 * Whether port of protocol p is open to the whole of family fam, rule
 * `skip` left out (NO_INDEX: none).  With record, every allowing rule
 * that adds a range goes to x->hit.
 */
static int
open_at(struct net *x, int p, int fam, int64_t port, size_t skip, int record)
{
	const struct rule *ru;
	struct cidr all;
	size_t i, j, n1 = 0, n2 = 0, n1_before;

	cidr_all(fam, &all);
	x->nhit = 0;
	for (i = 0; i < x->n; i++) {
		ru = &x->v[i];
		if (i == skip || !applies(ru, p, port))
			continue;
		n1_before = n1;
		if (!ru->allow) {
			/* NACL deny: its ranges stop later entries. */
			for (j = 0; j < ru->nsrc; j++)
				if (ru->src[j].family == fam)
					x->s2[n2++] = ru->src[j];
			continue;
		}
		for (j = 0; j < ru->nsrc; j++) {
			if (ru->src[j].family != fam)
				continue;
			/* NACL: only what lower-numbered denies leave. */
			if (x->nacl && n2 > 0 &&
			    cidr_union_covers(x->s2, n2, &ru->src[j]))
				continue;
			x->s1[n1++] = ru->src[j];
		}
		if (record && n1 > n1_before)
			x->hit[x->nhit++] = i;
	}
	return cidr_union_covers(x->s1, n1, &all);
}

/* Whether port of protocol p is open to IPv4 or IPv6 as a whole. */
static int
port_open(struct net *x, int p, int64_t port)
{
	return open_at(x, p, CIDR_V4, port, NO_INDEX, 0) ||
	    open_at(x, p, CIDR_V6, port, NO_INDEX, 0);
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The ports of protocol p open to the internet: their number into
 * *count and the first one into *first (-1 when none).  The port space
 * is cut where some rule's range starts or ends; within a piece every
 * port is alike.  -1 on no memory.
 */
static int
open_ports(struct net *x, int p, int64_t *count, int64_t *first)
{
	int64_t *b;
	size_t i, nb = 0, k;

	b = arena_alloc(check_arena(x->c), (2 * x->n + 2) * sizeof(*b));
	if (b == NULL)
		return -1;
	b[nb++] = 0;
	b[nb++] = NPORTS;
	for (i = 0; i < x->n; i++) {
		b[nb++] = x->v[i].from;
		b[nb++] = x->v[i].to + 1;
	}
	qsort(b, nb, sizeof(*b), cmp64);
	*count = 0;
	*first = -1;
	for (k = 0; k + 1 < nb; k++) {
		if (b[k] == b[k + 1] || !port_open(x, p, b[k]))
			continue;
		*count += b[k + 1] - b[k];
		if (*first < 0)
			*first = b[k];
	}
	return 0;
}

/* The parameters: the ports (NULL, 0 for any) and min_open_ports. */
struct params {
	int64_t *ports;
	size_t nports;
	int64_t min_open; /* 0: not given */
};

static int
get_params(struct check_ctx *c, struct params *pa)
{
	const struct doc_node *p = check_param(c, "ports"), *it;
	const struct doc_node *m = check_param(c, "min_open_ports");
	size_t i;

	memset(pa, 0, sizeof(*pa));
	if (m != NULL && m->type != DOC_NULL) {
		if (m->type != DOC_INT || m->u.i < 1 || m->u.i > NPORTS)
			return -1;
		pa->min_open = m->u.i;
	}
	if (p == NULL || p->type == DOC_NULL)
		return 0;
	if (p->type == DOC_INT) { /* one port */
		it = p;
		if ((pa->ports = arena_alloc(
			 check_arena(c), sizeof(int64_t))) == NULL ||
		    port_of(it, 0, pa->ports) != 0)
			return -1;
		pa->nports = 1;
		return pa->min_open > 0 ? -1 : 0;
	}
	if (p->type != DOC_SEQ)
		return -1;
	if (p->u.seq.n == 0)
		return 0;
	if (pa->min_open > 0)
		return -1; /* one or the other */
	pa->ports = arena_alloc(check_arena(c), p->u.seq.n * sizeof(int64_t));
	if (pa->ports == NULL)
		return -1;
	for (i = 0; i < p->u.seq.n; i++)
		if (port_of(p->u.seq.items[i], 0, &pa->ports[i]) != 0)
			return -1;
	pa->nports = p->u.seq.n;
	return 0;
}

static const char *
proto_name(int p)
{
	return p == 6 ? "tcp" : "udp";
}

/* Evidence: the rules in x->hit, by their path. */
static int
hit_evidence(struct net *x)
{
	char path[64];
	size_t i;
	const struct rule *ru;

	for (i = 0; i < x->nhit; i++) {
		ru = &x->v[x->hit[i]];
		snprintf(path, sizeof(path), "%s[%zu]",
		    x->nacl ? "Entries" : "IpPermissions", ru->index);
		if (check_evidence(x->c, path, ru->node) != 0)
			return -1;
	}
	return 0;
}

/* The text of the rules that opened a port: "rule 100" or "[0], [3]". */
static const char *
hit_text(struct net *x)
{
	struct strbuf sb;
	char *s;
	size_t i;

	sb_init(&sb);
	for (i = 0; i < x->nhit; i++) {
		if (x->nacl)
			sb_printf(&sb, "%s%lld", i ? ", " : "rule ",
			    (long long)x->v[x->hit[i]].num);
		else
			sb_printf(&sb, "%sIpPermissions[%zu]", i ? ", " : "",
			    x->v[x->hit[i]].index);
	}
	s = sb.oom || sb.s == NULL
	    ? NULL
	    : arena_strndup(check_arena(x->c), sb.s, sb.len);
	sb_free(&sb);
	return s != NULL ? s : "?";
}

/*
 * The rules that open port of protocol p to family fam into x->hit:
 * those without which it would be closed, or, when no single rule is
 * needed (the ranges overlap), every rule that adds a range.  At most
 * FAIL_EVIDENCE of them.
 */
static void
culprits(struct net *x, int p, int fam, int64_t port)
{
	size_t *all = x->hit + x->n, nall, i, k = 0;

	open_at(x, p, fam, port, NO_INDEX, 1);
	nall = x->nhit;
	memcpy(all, x->hit, nall * sizeof(*all));
	for (i = 0; i < nall; i++)
		if (!open_at(x, p, fam, port, all[i], 0))
			x->hit[k++] = all[i];
	if (k == 0) {
		memcpy(x->hit, all, nall * sizeof(*all));
		k = nall;
	}
	x->nhit = k < FAIL_EVIDENCE ? k : FAIL_EVIDENCE;
}

/*
 * Fail for port of protocol p: find the family that is open, record
 * the rules that open it, and emit.  head and tail frame the message.
 */
static int
fail_port(
    struct net *x, int p, int64_t port, const char *head, const char *tail)
{
	int fam = open_at(x, p, CIDR_V4, port, NO_INDEX, 0) ? CIDR_V4 : CIDR_V6;

	culprits(x, p, fam, port);
	if (hit_evidence(x) != 0)
		return -1;
	return check_emit(x->c, x->r, ST_FAIL,
	    "%s '%s': %s%s port %lld is open to the whole %s internet (%s)%s%s",
	    x->nacl ? "network ACL" : "security group", x->r->id, head,
	    proto_name(p), (long long)port, fam == CIDR_V4 ? "IPv4" : "IPv6",
	    hit_text(x), tail,
	    x->bad_why != NULL ? "; another rule could not be read" : "");
}

/* Pass evidence: the list, or its rules with a public source. */
static int
pass_evidence(struct net *x, const struct doc_node *list, const char *key)
{
	char path[64];
	size_t i, j, k = 0;
	int pub;

	if (list->u.seq.n <= PASS_EVIDENCE)
		return check_evidence(x->c, key, list);
	for (i = 0; i < x->n && k < PASS_EVIDENCE; i++) {
		for (j = 0, pub = 0; j < x->v[i].nsrc && !pub; j++)
			pub = cidr_has_public(&x->v[i].src[j]);
		if (!pub)
			continue;
		snprintf(path, sizeof(path), "%s[%zu]", key, x->v[i].index);
		if (check_evidence(x->c, path, x->v[i].node) != 0)
			return -1;
		k++;
	}
	return 0;
}

/*
 * Security groups: the permissions with only prefix-list or group
 * sources are named (they are not internet-open by themselves, but
 * what the prefix list or group holds is not in this evidence).
 */
static size_t
only_other(struct net *x, int record)
{
	char path[64];
	size_t i, k = 0;

	for (i = 0; i < x->n; i++) {
		if (x->v[i].nsrc > 0 || x->v[i].nother == 0)
			continue;
		if (record && k < PASS_EVIDENCE) {
			snprintf(path, sizeof(path), "IpPermissions[%zu]",
			    x->v[i].index);
			if (check_evidence(x->c, path, x->v[i].node) != 0)
				return (size_t)-1;
		}
		k++;
	}
	return k;
}

static int
decide(struct net *x, const struct params *pa, const struct doc_node *list,
    const char *key)
{
	const char *kind = x->nacl ? "network ACL" : "security group";
	int64_t count, first;
	size_t k, nother;
	int p;
	char text[128];

	for (p = 6; p <= 17; p += 11) {
		if (pa->nports > 0) {
			for (k = 0; k < pa->nports; k++)
				if (port_open(x, p, pa->ports[k]))
					return fail_port(
					    x, p, pa->ports[k], "", "");
			continue;
		}
		if (open_ports(x, p, &count, &first) != 0)
			return diag_sys(
			    check_diag(x->c), NULL, "out of memory");
		if (pa->min_open > 0 && count >= pa->min_open) {
			snprintf(text, sizeof(text),
			    "%lld of the 65536 %s ports are open to the "
			    "internet (fewer than %lld may be): ",
			    (long long)count, proto_name(p),
			    (long long)pa->min_open);
			return fail_port(x, p, first, text, "");
		}
		if (pa->min_open == 0 && count > 0) {
			snprintf(text, sizeof(text),
			    "; %lld %s port%s open in all", (long long)count,
			    proto_name(p), count > 1 ? "s" : "");
			return fail_port(x, p, first, "", text);
		}
	}
	if (x->bad_why != NULL) {
		check_evidence(x->c, x->bad_path, x->bad_node);
		return check_emit(x->c, x->r, ST_ERROR, "%s '%s': '%s' %s",
		    kind, x->r->id, x->bad_path, x->bad_why);
	}
	if (pass_evidence(x, list, key) != 0)
		return -1;
	nother = x->nacl ? 0 : only_other(x, 1);
	if (nother == (size_t)-1)
		return -1;
	return check_emit(x->c, x->r, ST_PASS, "%s%s",
	    pa->min_open > 0
		? "fewer than the given number of tcp and of udp ports are "
		  "open to the whole IPv4 or IPv6 internet"
		: "no given port is open to the whole IPv4 or IPv6 internet",
	    nother > 0 ? "; rules with only prefix-list or security-group "
			 "sources are not internet-open by themselves "
			 "(what those hold is not in this evidence)"
		       : "");
}

/* Count sources to size the scratch sets. */
static int
scratch(struct net *x)
{
	size_t i, ns = 1;

	for (i = 0; i < x->n; i++)
		ns += x->v[i].nsrc;
	x->s1 = arena_alloc(check_arena(x->c), ns * sizeof(*x->s1));
	x->s2 = arena_alloc(check_arena(x->c), ns * sizeof(*x->s2));
	/* x->hit: the rules, then as many again for culprits() */
	x->hit =
	    arena_alloc(check_arena(x->c), (2 * x->n + 1) * sizeof(size_t));
	return x->s1 == NULL || x->s2 == NULL || x->hit == NULL ? -1 : 0;
}

/*
 * Whether the rules are more than this check evaluates (the sets are
 * recomputed per port range, so time grows with the square of their
 * number): then the result is error, emitted here, and 1 is returned
 * (0 when they are not too many, -1 on no memory).  AWS allows at most
 * 1000 rules per security group and 40 per network ACL direction.
 */
static int
too_many(struct net *x, const struct doc_node *list, const char *key)
{
	char path[64];
	size_t i, ns = 0, max = x->nacl ? MAX_NACL : MAX_SG;
	const struct doc_node *at;

	for (i = 0; i < x->n; i++)
		ns += x->v[i].nsrc;
	if (x->n <= max && ns <= MAX_SOURCES)
		return 0;
	/* The first rule past the limit, or the last one. */
	i = x->n > max ? x->v[max].index : list->u.seq.n - 1;
	at = x->n > max ? x->v[max].node : list->u.seq.items[i];
	snprintf(path, sizeof(path), "%s[%zu]", key, i);
	if (check_evidence(x->c, path, at) != 0 ||
	    check_emit(x->c, x->r, ST_ERROR,
		"%s '%s' has %zu rules with %zu address ranges, more than "
		"the %zu rules and %d ranges this check evaluates",
		x->nacl ? "network ACL" : "security group", x->r->id, x->n, ns,
		max, MAX_SOURCES) != 0)
		return -1;
	return 1;
}

static int
eval_list(struct check_ctx *c, const struct resource *r,
    const struct params *pa, int nacl)
{
	const char *key = nacl ? "Entries" : "IpPermissions";
	const struct doc_node *list = doc_get(r->attrs, key);
	struct net x;
	size_t i;
	int rc;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.r = r;
	x.nacl = nacl;
	if (list == NULL || list->type != DOC_SEQ) {
		check_evidence(c, key, list);
		return check_emit(c, r, ST_ERROR, "%s '%s' has no '%s' list",
		    nacl ? "network ACL" : "security group", r->id, key);
	}
	x.v = arena_alloc(check_arena(c), (list->u.seq.n + 1) * sizeof(*x.v));
	if (x.v == NULL)
		return diag_sys(check_diag(c), NULL, "out of memory");
	for (i = 0; i < list->u.seq.n; i++) {
		rc = nacl ? nacl_rule(&x, list->u.seq.items[i], i, &x.v[x.n])
			  : sg_rule(&x, list->u.seq.items[i], i, &x.v[x.n]);
		if (rc < 0)
			return diag_sys(check_diag(c), NULL, "out of memory");
		if (rc == 0)
			x.n++;
	}
	if (nacl) {
		qsort(x.v, x.n, sizeof(*x.v), by_number);
		for (i = 1; i < x.n; i++) {
			if (x.v[i].num != x.v[i - 1].num)
				continue;
			bad(&x, x.v[i].node,
			    "has the rule number of another ingress entry",
			    x.v[i].index, NULL, NO_INDEX);
			/* Which one applies first is unknown: drop both. */
			x.v[i].nsrc = x.v[i - 1].nsrc = 0;
		}
	}
	if ((rc = too_many(&x, list, key)) != 0)
		return rc < 0 ? -1 : 0;
	if (scratch(&x) != 0)
		return diag_sys(check_diag(c), NULL, "out of memory");
	return decide(&x, pa, list, key);
}

static int
ne_evaluate(struct check_ctx *c, const struct resource *r)
{
	struct params pa;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	if (get_params(c, &pa) != 0)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'ports' must be a list of port numbers "
		    "0..65535, or 'min_open_ports' a number 1..65536 with "
		    "'ports' empty");
	if (strcmp(r->type, "AWS::EC2::NetworkAcl") == 0)
		return eval_list(c, r, &pa, 1);
	if (strcmp(r->type, "AWS::EC2::SecurityGroup") == 0)
		return eval_list(c, r, &pa, 0);
	return check_emit(c, r, ST_ERROR,
	    "aws_network_exposure does not read resources of type '%s'",
	    r->type);
}

static const char *const ne_types[] = { "AWS::EC2::NetworkAcl",
	"AWS::EC2::SecurityGroup", NULL };

static const struct plugin_param ne_params[] = {
	{ "min_open_ports", DOC_INT, NULL,
	    "fail only when at least this many of the 65536 tcp (or udp) "
	    "ports are open to the internet (the all-ports test); "
	    "'ports' must then be empty" },
	{ "ports", DOC_SEQ, "[]",
	    "ports that must not be open to the internet; empty = any port" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin aws_network_exposure_plugin = {
	.name = "aws_network_exposure",
	.summary = "tcp/udp ports that security groups or network ACLs open "
		   "to the whole IPv4 or IPv6 internet",
	.resource_types = ne_types,
	.params = ne_params,
	.evaluate = ne_evaluate,
};
