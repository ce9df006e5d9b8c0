/*
 * aws_network_exposure.c: security groups and network ACLs that let the
 * whole internet (0.0.0.0/0 or ::/0) reach given ports.
 *
 * Parameter `ports` lists TCP/UDP ports (e.g. [22, 3389]); empty or absent
 * means any port.  Security groups: an ingress permission open to the
 * world whose protocol is tcp, udp or "-1" (all) and whose FromPort..ToPort
 * covers a port.  Network ACLs: ingress entries (Egress false) are taken
 * in RuleNumber order and the first world-wide entry that covers a port
 * decides, so a lower-numbered deny wins over a later allow.  ICMP and
 * other port-less protocols are not port exposure and are ignored.
 * Evidence: the offending rule on fail; on pass, the rules read (or,
 * for a long list, those open to the internet).
 */
#include <stdlib.h>
#include <string.h>

#include "checks/aws/aws.h"

#define PORT_MAX 65535
/*
 * A pass records the list it read when it has at most this many rules,
 * else the rules open to the internet it examined, up to this many.
 */
#define PASS_EVIDENCE 16

/* Protocol: 6 tcp, 17 udp, -1 all, 0 other (no ports). */
static int
proto_of(const struct doc_node *n)
{
	const char *s = doc_str(n);
	int64_t v;

	if (n != NULL && n->type == DOC_INT)
		v = n->u.i;
	else if (s == NULL)
		return 0;
	else if (strcmp(s, "tcp") == 0)
		return 6;
	else if (strcmp(s, "udp") == 0)
		return 17;
	else if (strcmp(s, "all") == 0)
		return -1;
	else if (parse_int64(s, &v) != 0)
		return 0;
	return v == 6 || v == 17 || v == -1 ? (int)v : 0;
}

static int
int_of(const struct doc_node *n, int64_t *v)
{
	if (n != NULL && n->type == DOC_INT) {
		*v = n->u.i;
		return 0;
	}
	if (doc_str(n) != NULL && parse_int64(doc_str(n), v) == 0)
		return 0;
	return -1;
}

/* The ports parameter: *n ports in *v (NULL, 0 for any); -1 if invalid. */
static int
get_ports(struct check_ctx *c, int64_t **v, size_t *n)
{
	const struct doc_node *p = check_param(c, "ports");
	size_t i;

	*v = NULL;
	*n = 0;
	if (p == NULL || p->type == DOC_NULL)
		return 0;
	if (p->type == DOC_INT) {
		if ((*v = arena_alloc(check_arena(c), sizeof(**v))) == NULL)
			return -1;
		**v = p->u.i;
		*n = 1;
		return 0;
	}
	if (p->type != DOC_SEQ)
		return -1;
	if (p->u.seq.n == 0)
		return 0;
	if ((*v = arena_alloc(check_arena(c), p->u.seq.n * sizeof(**v))) ==
	    NULL)
		return -1;
	for (i = 0; i < p->u.seq.n; i++)
		if (int_of(p->u.seq.items[i], &(*v)[i]) != 0 || (*v)[i] < 0 ||
		    (*v)[i] > PORT_MAX)
			return -1;
	*n = p->u.seq.n;
	return 0;
}

/* Whether [from, to] holds one of the ports (any port when n == 0). */
static int
covers(int64_t from, int64_t to, const int64_t *ports, size_t n)
{
	size_t i;

	if (n == 0)
		return from <= to;
	for (i = 0; i < n; i++)
		if (ports[i] >= from && ports[i] <= to)
			return 1;
	return 0;
}

static int
world_v4(const char *s)
{
	return s != NULL && strcmp(s, "0.0.0.0/0") == 0;
}

static int
world_v6(const char *s)
{
	return s != NULL && strcmp(s, "::/0") == 0;
}

/* Whether a security group permission has a world-wide source. */
static const struct doc_node *
sg_world(const struct doc_node *perm)
{
	const struct doc_node *r;
	size_t i;

	r = doc_get(perm, "IpRanges");
	for (i = 0; r != NULL && r->type == DOC_SEQ && i < r->u.seq.n; i++)
		if (world_v4(doc_str(doc_get(r->u.seq.items[i], "CidrIp"))))
			return r->u.seq.items[i];
	r = doc_get(perm, "Ipv6Ranges");
	for (i = 0; r != NULL && r->type == DOC_SEQ && i < r->u.seq.n; i++)
		if (world_v6(doc_str(doc_get(r->u.seq.items[i], "CidrIpv6"))))
			return r->u.seq.items[i];
	return NULL;
}

static int
eval_sg(struct check_ctx *c, const struct resource *r, const int64_t *ports,
    size_t nports)
{
	const struct doc_node *perms, *p;
	char path[64];
	int64_t from, to;
	size_t i, nbad = 0;
	int proto;
	const char *first = NULL;

	perms = doc_get(r->attrs, "IpPermissions");
	if (perms == NULL || perms->type != DOC_SEQ) {
		check_evidence(c, "IpPermissions", perms);
		return check_emit(c, r, ST_ERROR,
		    "security group '%s' has no 'IpPermissions' list", r->id);
	}
	for (i = 0; i < perms->u.seq.n; i++) {
		p = perms->u.seq.items[i];
		if (sg_world(p) == NULL)
			continue;
		proto = proto_of(doc_get(p, "IpProtocol"));
		if (proto == 0) {
			if (doc_get(p, "IpProtocol") == NULL) {
				snprintf(path, sizeof(path),
				    "IpPermissions[%zu].IpProtocol", i);
				check_evidence(c, path, NULL);
				return check_emit(c, r, ST_ERROR,
				    "permission %zu has no 'IpProtocol'", i);
			}
			continue;
		}
		if (proto == -1) {
			from = 0;
			to = PORT_MAX;
		} else if (int_of(doc_get(p, "FromPort"), &from) != 0 ||
		    int_of(doc_get(p, "ToPort"), &to) != 0) {
			snprintf(path, sizeof(path), "IpPermissions[%zu]", i);
			check_evidence(c, path, p);
			return check_emit(c, r, ST_ERROR,
			    "permission %zu has no 'FromPort'/'ToPort'", i);
		}
		if (from < 0 && to < 0) {
			from = 0;
			to = PORT_MAX;
		}
		if (!covers(from, to, ports, nports))
			continue;
		snprintf(path, sizeof(path), "IpPermissions[%zu]", i);
		if (check_evidence(c, path, p) != 0)
			return -1;
		if (nbad++ == 0)
			first = arena_printf(check_arena(c),
			    "ingress %s %lld-%lld open to the internet",
			    proto == -1      ? "all traffic"
				: proto == 6 ? "tcp"
					     : "udp",
			    (long long)from, (long long)to);
	}
	if (nbad > 0)
		return check_emit(c, r, ST_FAIL, "security group '%s': %s%s",
		    r->id, first ? first : "open",
		    nbad > 1 ? " (and more rules)" : "");
	/* What the pass rests on: the rules, or those open to the world. */
	if (perms->u.seq.n <= PASS_EVIDENCE) {
		if (check_evidence(c, "IpPermissions", perms) != 0)
			return -1;
	} else {
		for (i = 0, nbad = 0;
		     i < perms->u.seq.n && nbad < PASS_EVIDENCE; i++) {
			if (sg_world(perms->u.seq.items[i]) == NULL)
				continue;
			snprintf(path, sizeof(path), "IpPermissions[%zu]", i);
			if (check_evidence(c, path, perms->u.seq.items[i]) != 0)
				return -1;
			nbad++;
		}
	}
	return check_emit(c, r, ST_PASS,
	    "no ingress rule opens the given ports to 0.0.0.0/0 or ::/0");
}

/* One NACL entry, decoded. */
struct nacl_entry {
	int64_t num, from, to;
	int proto; /* 6, 17, -1, 0 */
	int allow, world;
	size_t index;
	const struct doc_node *node;
};

static int
entry_cmp(const void *a, const void *b)
{
	const struct nacl_entry *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

/* Whether entry e applies to protocol p (6 or 17). */
static int
entry_proto(const struct nacl_entry *e, int p)
{
	return e->proto == -1 || e->proto == p;
}

/*
 * Whether some port of [from, to] (and of the wanted ports) reaches entry
 * k for protocol p, i.e. is not denied world-wide by an earlier entry.
 */
static int
reaches(const struct nacl_entry *v, size_t k, int p, const int64_t *ports,
    size_t nports)
{
	int64_t cand[64 + 1], x;
	size_t nc = 0, i, j;
	int blocked;

	if (nports > 0) {
		for (i = 0; i < nports && nc < 64; i++)
			if (ports[i] >= v[k].from && ports[i] <= v[k].to)
				cand[nc++] = ports[i];
	} else {
		/* Any port: the range start or just past an earlier deny. */
		cand[nc++] = v[k].from;
		for (j = 0; j < k && nc < 64; j++)
			if (v[j].to + 1 >= v[k].from && v[j].to + 1 <= v[k].to)
				cand[nc++] = v[j].to + 1;
	}
	for (i = 0; i < nc; i++) {
		x = cand[i];
		blocked = 0;
		for (j = 0; j < k && !blocked; j++)
			blocked = v[j].world && entry_proto(&v[j], p) &&
			    x >= v[j].from && x <= v[j].to;
		if (!blocked)
			return 1;
	}
	return 0;
}

static int
eval_nacl(struct check_ctx *c, const struct resource *r, const int64_t *ports,
    size_t nports)
{
	const struct doc_node *entries, *e, *eg, *pr;
	struct nacl_entry *v;
	const char *act;
	char path[64];
	size_t i, n = 0;
	int p;

	entries = doc_get(r->attrs, "Entries");
	if (entries == NULL || entries->type != DOC_SEQ) {
		check_evidence(c, "Entries", entries);
		return check_emit(c, r, ST_ERROR,
		    "network ACL '%s' has no 'Entries' list", r->id);
	}
	v = arena_alloc(check_arena(c), (entries->u.seq.n + 1) * sizeof(*v));
	if (v == NULL)
		return diag_err(check_diag(c), NULL, "out of memory");
	for (i = 0; i < entries->u.seq.n; i++) {
		e = entries->u.seq.items[i];
		eg = doc_get(e, "Egress");
		act = doc_str(doc_get(e, "RuleAction"));
		snprintf(path, sizeof(path), "Entries[%zu]", i);
		if (eg == NULL || eg->type != DOC_BOOL || act == NULL ||
		    int_of(doc_get(e, "RuleNumber"), &v[n].num) != 0 ||
		    doc_get(e, "Protocol") == NULL) {
			check_evidence(c, path, e);
			return check_emit(c, r, ST_ERROR,
			    "entry %zu lacks Egress, RuleAction, RuleNumber or "
			    "Protocol",
			    i);
		}
		if (eg->u.b)
			continue;
		v[n].proto = proto_of(doc_get(e, "Protocol"));
		v[n].allow = strcmp(act, "allow") == 0;
		v[n].world = world_v4(doc_str(doc_get(e, "CidrBlock"))) ||
		    world_v6(doc_str(doc_get(e, "Ipv6CidrBlock")));
		v[n].index = i;
		v[n].node = e;
		v[n].from = 0;
		v[n].to = PORT_MAX;
		pr = doc_get(e, "PortRange");
		if (v[n].proto > 0 && pr != NULL &&
		    (int_of(doc_get(pr, "From"), &v[n].from) != 0 ||
			int_of(doc_get(pr, "To"), &v[n].to) != 0)) {
			check_evidence(c, path, e);
			return check_emit(c, r, ST_ERROR,
			    "entry %zu has an unreadable PortRange", i);
		}
		if (v[n].proto > 0 && pr == NULL) {
			check_evidence(c, path, e);
			return check_emit(c, r, ST_ERROR,
			    "entry %zu (tcp/udp) has no PortRange", i);
		}
		n++;
	}
	qsort(v, n, sizeof(*v), entry_cmp);
	for (i = 0; i < n; i++) {
		if (!v[i].allow || !v[i].world || v[i].proto == 0 ||
		    !covers(v[i].from, v[i].to, ports, nports))
			continue;
		for (p = 6; p <= 17; p += 11) {
			if (!entry_proto(&v[i], p) ||
			    !reaches(v, i, p, ports, nports))
				continue;
			snprintf(
			    path, sizeof(path), "Entries[%zu]", v[i].index);
			if (check_evidence(c, path, v[i].node) != 0)
				return -1;
			return check_emit(c, r, ST_FAIL,
			    "network ACL '%s': rule %lld allows %s %lld-%lld "
			    "from the internet",
			    r->id, (long long)v[i].num,
			    v[i].proto == -1 ? "all traffic"
				: p == 6     ? "tcp"
					     : "udp",
			    (long long)v[i].from, (long long)v[i].to);
		}
	}
	/* What the pass rests on: the entries, or the world-wide ingress. */
	if (entries->u.seq.n <= PASS_EVIDENCE) {
		if (check_evidence(c, "Entries", entries) != 0)
			return -1;
	} else {
		for (i = 0, p = 0; i < n && p < PASS_EVIDENCE; i++) {
			if (!v[i].world)
				continue;
			snprintf(
			    path, sizeof(path), "Entries[%zu]", v[i].index);
			if (check_evidence(c, path, v[i].node) != 0)
				return -1;
			p++;
		}
	}
	return check_emit(c, r, ST_PASS,
	    "no ingress entry allows the given ports from the internet");
}

static int
ne_evaluate(struct check_ctx *c, const struct resource *r)
{
	int64_t *ports;
	size_t nports;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	if (get_ports(c, &ports, &nports) != 0)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'ports' must be a list of port numbers "
		    "0..65535");
	if (strcmp(r->type, "AWS::EC2::NetworkAcl") == 0)
		return eval_nacl(c, r, ports, nports);
	if (strcmp(r->type, "AWS::EC2::SecurityGroup") == 0)
		return eval_sg(c, r, ports, nports);
	return check_emit(c, r, ST_ERROR,
	    "aws_network_exposure does not read resources of type '%s'",
	    r->type);
}

static const char *const ne_types[] = { "AWS::EC2::NetworkAcl",
	"AWS::EC2::SecurityGroup", NULL };

static const struct plugin_param ne_params[] = {
	{ "ports", DOC_SEQ, "[]",
	    "ports that must not be open to the internet; empty = any port" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin aws_network_exposure_plugin = {
	.name = "aws_network_exposure",
	.summary = "security group / network ACL ingress open to 0.0.0.0/0 "
		   "or ::/0 on given ports",
	.resource_types = ne_types,
	.params = ne_params,
	.evaluate = ne_evaluate,
};
