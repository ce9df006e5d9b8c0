/*
 * gcp_firewall.c: VPC firewall rules (compute#firewall) that open ports
 * to the internet, evaluated as Google Cloud does.
 *
 * A rule is judged with the other rules of its network beside it (the
 * adapters add them under GCP_NETWORK_RULES).  For an enabled INGRESS
 * allow rule R and each protocol (tcp, udp) and port it admits:
 *
 *   - the sources that reach the port are R's sourceRanges united with
 *     those of every other enabled ingress allow rule of the network
 *     that admits the same port and applies to every instance R applies
 *     to (no targets, or target tags / service accounts including R's);
 *     a rule with no source at all has the implied source 0.0.0.0/0;
 *     sourceTags and sourceServiceAccounts are VMs, not the internet;
 *   - the deny rules that take precedence are the enabled ingress deny
 *     rules denying the port whose priority number is lower than or
 *     equal to R's (lower wins; at equal priority deny wins) and that
 *     apply to every instance R applies to, at every address
 *     (a deny with destinationRanges does not count);
 *   - the port is open to the internet, and R fails, when the deny
 *     rules do not cover the whole IPv4 (or IPv6) space and R's own
 *     sources cover it, or R's sources hold a public address and the
 *     allow rules together cover it while none of them does alone
 *     (0.0.0.0/1 in one rule, 128.0.0.0/1 in another: both fail; a
 *     narrow rule beside a 0.0.0.0/0 rule does not, the wide one does).
 *     IPv4 and IPv6 are apart: a deny of 0.0.0.0/0 does not stop ::/0.
 *
 * Protocols are read in any case, by name (tcp, udp, icmp, esp, ah,
 * sctp, ipip, all) or number (0-255; 6 tcp, 17 udp); ports as "22" or
 * "1000-2000", absent meaning all.  Anything else (an unknown protocol,
 * a port that is no number in 0-65535 or runs backwards, a range that is
 * no prefix, a priority that is no integer 0-65535) is `error`, never
 * skipped.  Disabled rules, egress rules and deny rules open nothing:
 * they pass.
 *
 * Parameters: `ports` (a list of port numbers): fail when one of them is
 * open; or `min_open_ports` (an integer): fail when R opens at least
 * that many of the 65536 tcp or udp ports.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/gcp/gcp.h"
#include "lib/cidr.h"

#define MAX_SRC 256 /* source ranges of one rule */
#define MAX_ENT 16 /* protocol entries of one rule */
#define MAX_RANGES 32 /* port ranges of one entry */

/* One allowed/denied entry: a protocol and its port ranges. */
struct ent {
	int proto; /* -1 all, else 0..255 */
	int nr; /* 0: every port */
	unsigned lo[MAX_RANGES], hi[MAX_RANGES];
};

struct fwr {
	const struct doc_node *node;
	const char *name;
	int allow, ingress, disabled;
	long prio;
	struct cidr src[MAX_SRC];
	size_t nsrc;
	const struct doc_node *ttags, *tsas;
	int dest; /* INGRESS with destinationRanges: some addresses only */
	struct ent ent[MAX_ENT];
	size_t nent;
};

static const struct {
	const char *name;
	int num;
} protos[] = {
	{ "ah", 51 },
	{ "all", -1 },
	{ "esp", 50 },
	{ "icmp", 1 },
	{ "ipip", 94 },
	{ "sctp", 132 },
	{ "tcp", 6 },
	{ "udp", 17 },
};

static int
parse_uint(const char *s, size_t n, unsigned max, unsigned *out)
{
	unsigned long v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int
parse_proto(const char *s, int *out)
{
	unsigned v;
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcasecmp(s, protos[i].name) == 0) {
			*out = protos[i].num;
			return 0;
		}
	if (parse_uint(s, strlen(s), 255, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* The entries of list (allowed or denied) into f; a message or NULL. */
static const char *
parse_entries(struct fwr *f, const struct doc_node *list)
{
	const struct doc_node *e, *p, *ports, *pt;
	const char *dash;
	struct ent *en;
	size_t i, j;

	if (list->type != DOC_SEQ)
		return "'allowed'/'denied' is not a list";
	for (i = 0; i < list->u.seq.n; i++) {
		e = list->u.seq.items[i];
		if (f->nent == MAX_ENT)
			return "too many protocol entries";
		en = &f->ent[f->nent++];
		en->nr = 0;
		p = doc_get(e, "IPProtocol");
		if (p == NULL)
			p = doc_get(e, "ipProtocol");
		if (p == NULL)
			p = doc_get(e, "ip_protocol");
		if (p == NULL || p->type != DOC_STRING ||
		    parse_proto(p->str, &en->proto) != 0)
			return "an entry's 'IPProtocol' is missing or unknown";
		ports = doc_get(e, "ports");
		if (ports == NULL ||
		    (ports->type == DOC_SEQ && ports->u.seq.n == 0))
			continue;
		if (ports->type != DOC_SEQ)
			return "an entry's 'ports' is not a list";
		for (j = 0; j < ports->u.seq.n; j++) {
			pt = ports->u.seq.items[j];
			if (en->nr == MAX_RANGES)
				return "too many port ranges";
			if (pt->type != DOC_STRING)
				return "a port is not a string";
			dash = memchr(pt->str, '-', pt->len);
			if (dash == NULL) {
				if (parse_uint(pt->str, pt->len, 65535,
					&en->lo[en->nr]) != 0)
					return "a port is not a number 0-65535";
				en->hi[en->nr] = en->lo[en->nr];
			} else if (parse_uint(pt->str, (size_t)(dash - pt->str),
				       65535, &en->lo[en->nr]) != 0 ||
			    parse_uint(dash + 1,
				pt->len - (size_t)(dash - pt->str) - 1, 65535,
				&en->hi[en->nr]) != 0 ||
			    en->hi[en->nr] < en->lo[en->nr]) {
				return "a port range is not 'LOW-HIGH' in "
				       "0-65535";
			}
			en->nr++;
		}
	}
	return NULL;
}

/*
 * A rule that holds nothing, as a zeroed struct would, without zeroing
 * its arrays (about 10 KB, filled only up to nsrc, nent and nr): a
 * network's rules are parsed for each of its rules.
 */
static void
rule_blank(struct fwr *f)
{
	f->node = NULL;
	f->name = NULL;
	f->allow = f->ingress = f->disabled = f->dest = 0;
	f->prio = 0;
	f->nsrc = f->nent = 0;
	f->ttags = f->tsas = NULL;
}

static const char *
parse_rule(struct fwr *f, const struct doc_node *n)
{
	const struct doc_node *v, *al, *de, *r, *st, *ss;
	const char *why;
	size_t i;

	rule_blank(f);
	f->node = n;
	if (n == NULL || n->type != DOC_MAP)
		return "a firewall rule is not an object";
	f->name = doc_str(doc_get(n, "name"));
	if (f->name == NULL)
		f->name = "?";
	v = doc_get(n, "direction");
	f->ingress = v == NULL ||
	    (v->type == DOC_STRING && strcasecmp(v->str, "INGRESS") == 0);
	if (v != NULL && !f->ingress &&
	    (v->type != DOC_STRING || strcasecmp(v->str, "EGRESS") != 0))
		return "'direction' is neither INGRESS nor EGRESS";
	v = doc_get(n, "disabled");
	if (v != NULL && v->type != DOC_BOOL)
		return "'disabled' is not a boolean";
	f->disabled = v != NULL && v->u.b;
	v = doc_get(n, "priority");
	f->prio = 1000; /* the API's default */
	if (v != NULL) {
		unsigned p;

		if (v->type == DOC_INT && v->u.i >= 0 && v->u.i <= 65535)
			f->prio = (long)v->u.i;
		else if (v->type == DOC_STRING &&
		    parse_uint(v->str, v->len, 65535, &p) == 0)
			f->prio = (long)p;
		else
			return "'priority' is not an integer 0-65535";
	}
	al = doc_get(n, "allowed");
	de = doc_get(n, "denied");
	if ((al == NULL) == (de == NULL))
		return "the rule has not exactly one of 'allowed' and "
		       "'denied'";
	f->allow = al != NULL;
	if ((why = parse_entries(f, al != NULL ? al : de)) != NULL)
		return why;
	v = doc_get(n, "destinationRanges");
	f->dest =
	    f->ingress && v != NULL && v->type == DOC_SEQ && v->u.seq.n > 0;
	f->ttags = doc_get(n, "targetTags");
	f->tsas = doc_get(n, "targetServiceAccounts");
	r = doc_get(n, "sourceRanges");
	st = doc_get(n, "sourceTags");
	ss = doc_get(n, "sourceServiceAccounts");
	if (r != NULL && r->type != DOC_SEQ)
		return "'sourceRanges' is not a list";
	for (i = 0; r != NULL && i < r->u.seq.n; i++) {
		v = r->u.seq.items[i];
		if (f->nsrc == MAX_SRC)
			return "too many source ranges";
		if (v->type != DOC_STRING ||
		    cidr_parse(v->str, v->len, 0, &f->src[f->nsrc]) != 0)
			return "a source range is not an IP prefix";
		f->nsrc++;
	}
	if (f->ingress && (r == NULL || r->u.seq.n == 0) &&
	    (st == NULL || st->type != DOC_SEQ || st->u.seq.n == 0) &&
	    (ss == NULL || ss->type != DOC_SEQ || ss->u.seq.n == 0))
		cidr_all(CIDR_V4, &f->src[f->nsrc++]); /* implied source */
	return NULL;
}

/* Whether list a (strings, may be NULL) holds every element of b. */
static int
list_includes(const struct doc_node *a, const struct doc_node *b)
{
	size_t i, j;
	int hit;

	for (i = 0; b != NULL && b->type == DOC_SEQ && i < b->u.seq.n; i++) {
		hit = 0;
		for (j = 0; a != NULL && a->type == DOC_SEQ && j < a->u.seq.n;
		     j++)
			if (doc_equal(a->u.seq.items[j], b->u.seq.items[i]))
				hit = 1;
		if (!hit)
			return 0;
	}
	return 1;
}

static int
untargeted(const struct fwr *f)
{
	return (f->ttags == NULL || f->ttags->type != DOC_SEQ ||
		   f->ttags->u.seq.n == 0) &&
	    (f->tsas == NULL || f->tsas->type != DOC_SEQ ||
		f->tsas->u.seq.n == 0);
}

/* Whether rule o applies to every instance rule r applies to. */
static int
covers_targets(const struct fwr *o, const struct fwr *r)
{
	if (untargeted(o))
		return 1;
	if (untargeted(r))
		return 0;
	/* an instance of r has one of r's tags (or is one of its SAs) */
	return (r->ttags == NULL || r->ttags->u.seq.n == 0 ||
		   list_includes(o->ttags, r->ttags)) &&
	    (r->tsas == NULL || r->tsas->u.seq.n == 0 ||
		list_includes(o->tsas, r->tsas));
}

/* Whether f's entries match protocol proto (6 or 17) and port. */
static int
matches(const struct fwr *f, int proto, unsigned port)
{
	const struct ent *e;
	size_t i;
	int k;

	for (i = 0; i < f->nent; i++) {
		e = &f->ent[i];
		if (e->proto != -1 && e->proto != proto)
			continue;
		if (e->nr == 0)
			return 1;
		for (k = 0; k < e->nr; k++)
			if (port >= e->lo[k] && port <= e->hi[k])
				return 1;
	}
	return 0;
}

struct eval {
	struct fwr *r; /* the rule judged */
	struct fwr *all; /* the network's rules, parsed */
	size_t nall;
	struct cidr *set; /* scratch */
};

static int
has_public(const struct fwr *f, int fam)
{
	size_t i;

	for (i = 0; i < f->nsrc; i++)
		if (f->src[i].family == fam && cidr_has_public(&f->src[i]))
			return 1;
	return 0;
}

/* Whether f's own sources of family fam cover the whole space. */
static int
alone_covers(const struct fwr *f, int fam)
{
	struct cidr tmp[MAX_SRC], all;
	size_t i, n = 0;

	for (i = 0; i < f->nsrc; i++)
		if (f->src[i].family == fam)
			tmp[n++] = f->src[i];
	cidr_all(fam, &all);
	return n > 0 && cidr_union_covers(tmp, n, &all);
}

/*
 * The union of the sources of family fam of the allow (or deny) rules
 * that bear on x->r for proto/port, into x->set; its size.  *single is
 * set when one of those allow rules alone covers the whole space.
 */
static int
gather(
    struct eval *x, int allow, int proto, unsigned port, int fam, int *single)
{
	struct fwr *o;
	size_t i, j, n = 0;

	*single = 0;
	for (i = 0; i < x->nall; i++) {
		o = &x->all[i];
		if (o->disabled || !o->ingress || o->allow != allow ||
		    !matches(o, proto, port) || !covers_targets(o, x->r))
			continue;
		/* a deny narrowed to some destinations covers not all */
		if (!allow && (o->prio > x->r->prio || o->dest))
			continue;
		if (allow && alone_covers(o, fam))
			*single = 1;
		for (j = 0; j < o->nsrc; j++)
			if (o->src[j].family == fam)
				x->set[n++] = o->src[j];
	}
	return (int)n;
}

/*
 * Whether port (proto) is open to the whole internet of family fam
 * because of rule x->r: the deny rules taking precedence do not cover
 * the space, and r alone covers it, or r holds a public address and the
 * allow rules bearing on r cover it together while none of them alone
 * does (pieces: that rule is the one to blame, and fails itself).
 */
static int
open_fam(struct eval *x, int proto, unsigned port, int fam)
{
	struct cidr all;
	int n, single;

	if (!matches(x->r, proto, port))
		return 0;
	cidr_all(fam, &all);
	n = gather(x, 0, proto, port, fam, &single);
	if (cidr_union_covers(x->set, (size_t)n, &all))
		return 0;
	if (alone_covers(x->r, fam))
		return 1;
	if (!has_public(x->r, fam))
		return 0;
	n = gather(x, 1, proto, port, fam, &single);
	return !single && cidr_union_covers(x->set, (size_t)n, &all);
}

static int
is_open(struct eval *x, int proto, unsigned port)
{
	return open_fam(x, proto, port, CIDR_V4) ||
	    open_fam(x, proto, port, CIDR_V6);
}

static int
cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/*
 * How many ports of proto the rule opens: the port line is cut at every
 * range boundary of the network's rules, each piece decided once.
 */
static long
count_open(struct eval *x, int proto, unsigned *bounds, size_t cap)
{
	size_t i, k, n = 0;
	int r;
	long open = 0;

	bounds[n++] = 0;
	bounds[n++] = 65536;
	for (i = 0; i < x->nall; i++)
		for (k = 0; k < x->all[i].nent; k++)
			for (r = 0; r < x->all[i].ent[k].nr && n + 2 <= cap;
			     r++) {
				bounds[n++] = x->all[i].ent[k].lo[r];
				bounds[n++] = x->all[i].ent[k].hi[r] + 1;
			}
	qsort(bounds, n, sizeof(*bounds), cmp_uint);
	for (i = 0; i + 1 < n; i++)
		if (bounds[i] < bounds[i + 1] && bounds[i] < 65536 &&
		    is_open(x, proto, bounds[i]))
			open += (long)(bounds[i + 1] - bounds[i]);
	return open;
}

static int
judge(struct check_ctx *c, const struct resource *r, struct eval *x)
{
	const struct doc_node *ports = check_param(c, "ports");
	const struct doc_node *minp = check_param(c, "min_open_ports");
	static const int pr[] = { 6, 17 };
	unsigned *bounds;
	long n, min;
	size_t i, k, cap;

	check_evidence(c, "sourceRanges", doc_get(r->attrs, "sourceRanges"));
	check_evidence(c, "allowed", doc_get(r->attrs, "allowed"));
	check_evidence(c, "priority", doc_get(r->attrs, "priority"));
	if (ports != NULL && ports->type == DOC_SEQ) {
		for (i = 0; i < ports->u.seq.n; i++) {
			const struct doc_node *p = ports->u.seq.items[i];

			if (p->type != DOC_INT || p->u.i < 0 || p->u.i > 65535)
				return check_emit(c, r, ST_ERROR,
				    "parameter 'ports' holds a value that is "
				    "no port number");
			for (k = 0; k < 2; k++)
				if (is_open(x, pr[k], (unsigned)p->u.i))
					return check_emit(c, r, ST_FAIL,
					    "rule '%s' (priority %ld) opens "
					    "%s/%lld to the whole internet",
					    x->r->name, x->r->prio,
					    k == 0 ? "tcp" : "udp",
					    (long long)p->u.i);
		}
		return check_emit(c, r, ST_PASS,
		    "rule '%s' opens none of the %zu ports to the whole "
		    "internet",
		    x->r->name, ports->u.seq.n);
	}
	if (minp == NULL || minp->type != DOC_INT || minp->u.i <= 0)
		return check_emit(c, r, ST_ERROR,
		    "set parameter 'ports' (a list) or 'min_open_ports' "
		    "(a positive integer)");
	min = (long)minp->u.i;
	cap = 4;
	for (i = 0; i < x->nall; i++)
		for (k = 0; k < x->all[i].nent; k++)
			cap += 2 * (size_t)x->all[i].ent[k].nr;
	if ((bounds = arena_alloc(check_arena(c), cap * sizeof(*bounds))) ==
	    NULL)
		return -1;
	for (k = 0; k < 2; k++)
		if ((n = count_open(x, pr[k], bounds, cap)) >= min)
			return check_emit(c, r, ST_FAIL,
			    "rule '%s' (priority %ld) opens %ld %s ports to "
			    "the whole internet",
			    x->r->name, x->r->prio, n, k == 0 ? "tcp" : "udp");
	return check_emit(c, r, ST_PASS,
	    "rule '%s' opens fewer than %ld tcp or udp ports to the whole "
	    "internet",
	    x->r->name, min);
}

/*
 * Whether network list item n is rule a itself (the list holds the
 * network's rules as exported, a without the list): same name, and
 * same id when both have one.
 */
static int
same_rule(const struct doc_node *n, const struct doc_node *a)
{
	const char *x = doc_str(doc_get(n, "name")), *y;
	const struct doc_node *i = doc_get(n, "id"), *j = doc_get(a, "id");

	y = doc_str(doc_get(a, "name"));
	if (x == NULL || y == NULL || strcmp(x, y) != 0)
		return 0;
	return i == NULL || j == NULL || doc_equal(i, j);
}

static int
fw_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *net;
	struct eval x;
	const char *why;
	size_t i, n, self = (size_t)-1;
	int rc;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	net = doc_get(r->attrs, GCP_NETWORK_RULES);
	n = net != NULL && net->type == DOC_SEQ ? net->u.seq.n : 0;
	memset(&x, 0, sizeof(x));
	x.nall = n + 1;
	/* Every slot is parse_rule()'d or rule_blank()'d before use. */
	x.all = malloc(x.nall * sizeof(*x.all));
	x.set = malloc(x.nall * MAX_SRC * sizeof(*x.set));
	if (x.all == NULL || x.set == NULL) {
		free(x.all);
		free(x.set);
		return -1;
	}
	x.r = &x.all[0];
	rc = 0;
	if ((why = parse_rule(x.r, r->attrs)) != NULL) {
		rc = check_emit(c, r, ST_ERROR, "%s", why);
		goto out;
	}
	if (net == NULL) {
		rc = check_emit(c, r, ST_ERROR,
		    "the other rules of the rule's network are unknown "
		    "('%s' not set by the adapter)",
		    GCP_NETWORK_RULES);
		goto out;
	}
	if (x.r->disabled || !x.r->ingress || !x.r->allow) {
		rc = check_emit(c, r, ST_PASS,
		    "rule '%s' is %s: it opens nothing", x.r->name,
		    x.r->disabled       ? "disabled"
			: !x.r->ingress ? "an egress rule"
					: "a deny rule");
		goto out;
	}
	for (i = 0; i < n; i++) {
		/* the rule itself is in its network's list */
		if (self == (size_t)-1 &&
		    same_rule(net->u.seq.items[i], r->attrs)) {
			self = i;
			rule_blank(&x.all[i + 1]);
			continue;
		}
		if ((why = parse_rule(&x.all[i + 1], net->u.seq.items[i])) !=
		    NULL) {
			rc = check_emit(c, r, ST_ERROR,
			    "another rule of the network cannot be read: %s",
			    why);
			goto out;
		}
	}
	rc = judge(c, r, &x);
out:
	free(x.all);
	free(x.set);
	return rc;
}

static const char *const fw_types[] = { "GCP::Compute::Firewall", NULL };

static const struct plugin_param fw_params[] = {
	{ "ports", DOC_SEQ, NULL,
	    "port numbers that must not be open to the whole internet" },
	{ "min_open_ports", DOC_INT, NULL,
	    "fail when a rule opens at least this many tcp or udp ports" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin gcp_firewall_plugin = {
	.name = "gcp_firewall",
	.summary = "VPC firewall rules: ports open to the whole internet, with "
		   "priorities and deny rules evaluated as Google Cloud does",
	.resource_types = fw_types,
	.params = fw_params,
	.evaluate = fw_evaluate,
};
