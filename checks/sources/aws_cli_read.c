/*
 * aws_cli_read.c: the aws-cli adapter's readers of each service: the
 * listings read as they are, and the joins that build a resource from
 * several calls (instances, VPCs, buckets, keys, trails, load balancers,
 * IAM users and the credential report, regional singletons).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "checks/sources/aws_cli_impl.h"

/* The listings whose elements are resources as they are (ac_calls[]). */
int
ac_read_simple_lists(struct dump *c, const struct dump_scope *s)
{
	const struct dump_call *l;
	const struct doc_node *list;
	struct doc_node *attrs;
	struct dump_resp r;
	const char *id;
	size_t i, j;

	for (i = 0; i < ac_ncalls; i++) {
		l = &ac_calls[i];
		if (l->member == NULL)
			continue;
		if (ac_listing(
			c, s, l->type, l->svc, l->call, l->member, &r, &list))
			return -1;
		for (j = 0; list != NULL && j < list->u.seq.n; j++) {
			if (ac_element(c, s, l->type, list->u.seq.items[j],
				l->id, &attrs, &id) ||
			    dump_emit(c, s, l->type, id, attrs, NULL,
				&list->u.seq.items[j]->mark))
				return -1;
		}
	}
	return 0;
}

int
ac_read_instances(struct dump *c, const struct dump_scope *s)
{
	const char *type = "AWS::EC2::Instance", *id;
	const struct doc_node *res, *inst;
	struct doc_node *attrs;
	struct dump_resp r;
	size_t i, j;

	if (ac_listing(c, s, type, "ec2", "describe-instances", "Reservations",
		&r, &res))
		return -1;
	for (i = 0; res != NULL && i < res->u.seq.n; i++) {
		inst = doc_get(res->u.seq.items[i], "Instances");
		for (j = 0;
		     inst != NULL && inst->type == DOC_SEQ && j < inst->u.seq.n;
		     j++)
			if (ac_element(c, s, type, inst->u.seq.items[j],
				"InstanceId", &attrs, &id) ||
			    dump_emit(c, s, type, id, attrs, NULL,
				&inst->u.seq.items[j]->mark))
				return -1;
	}
	return 0;
}

int
ac_read_vpcs(struct dump *c, const struct dump_scope *s)
{
	const char *type = "AWS::EC2::VPC", *id, *rerr;
	const struct doc_node *vpcs, *fl, *f;
	struct doc_node *attrs, *mine;
	struct dump_resp r, fr;
	size_t i, j;

	if (ac_listing(c, s, type, "ec2", "describe-vpcs", "Vpcs", &r, &vpcs))
		return -1;
	if (vpcs == NULL)
		return 0;
	/* Flow logs are a listing too: incomplete, every VPC is unreadable. */
	if (ac_read_listing(c, s, NULL, "ec2", "describe-flow-logs", "FlowLogs",
		0, &fr, &fl))
		return -1;
	for (i = 0; i < vpcs->u.seq.n; i++) {
		rerr = NULL;
		if (ac_element(
			c, s, type, vpcs->u.seq.items[i], "VpcId", &attrs, &id))
			return -1;
		if (fr.kind == DUMP_ERROR || fr.kind == DUMP_NOTCONF) {
			if (fr.msg == NULL)
				fr.msg = fr.code;
			if (dump_add_read_error(
				c, attrs, "describe-flow-logs", &fr, &rerr))
				return -1;
		} else if (fr.kind == DUMP_OK) {
			if ((mine = src_seq(c->a, &fr.mark)) == NULL)
				return diag_sys(c->d, NULL, "out of memory");
			for (j = 0; fl != NULL && fl->type == DOC_SEQ &&
			     j < fl->u.seq.n;
			     j++) {
				f = fl->u.seq.items[j];
				if (doc_str(doc_get(f, "ResourceId")) != NULL &&
				    strcmp(doc_str(doc_get(f, "ResourceId")),
					id) == 0 &&
				    doc_seq_push(
					c->a, mine, (struct doc_node *)f))
					return diag_sys(
					    c->d, NULL, "out of memory");
			}
			if (src_set(c->a, attrs, "FlowLogs", mine))
				return diag_sys(c->d, NULL, "out of memory");
		}
		if (dump_emit(c, s, type, id, attrs, rerr,
			&vpcs->u.seq.items[i]->mark))
			return -1;
	}
	return 0;
}

int
ac_read_buckets(struct dump *c, const struct dump_scope *s)
{
	const char *type = "AWS::S3::Bucket", *id, *rerr;
	const struct doc_node *list, *owner;
	struct doc_node *attrs;
	struct dump_resp r;
	size_t i;

	if (ac_listing(
		c, s, type, "s3api", "list-buckets", "Buckets", &r, &list))
		return -1;
	owner = list != NULL ? doc_get(r.data, "Owner") : NULL;
	for (i = 0; list != NULL && i < list->u.seq.n; i++) {
		rerr = NULL;
		if (ac_element(
			c, s, type, list->u.seq.items[i], "Name", &attrs, &id))
			return -1;
		if (owner != NULL &&
		    src_set(c->a, attrs, "Owner", (struct doc_node *)owner))
			return diag_sys(c->d, NULL, "out of memory");
		if (dump_join_all(c, s, type, attrs, &rerr, id, i) ||
		    dump_emit(c, s, type, id, attrs, rerr,
			&list->u.seq.items[i]->mark))
			return -1;
	}
	return 0;
}

int
ac_read_keys(struct dump *c, const struct dump_scope *s)
{
	const char *type = "AWS::KMS::Key", *id, *rerr;
	const struct doc_node *list;
	struct doc_node *attrs;
	struct dump_resp r;
	size_t i;

	if (ac_listing(c, s, type, "kms", "list-keys", "Keys", &r, &list))
		return -1;
	for (i = 0; list != NULL && i < list->u.seq.n; i++) {
		rerr = NULL;
		if (ac_element(c, s, type, list->u.seq.items[i], "KeyId",
			&attrs, &id) ||
		    dump_join_all(c, s, type, attrs, &rerr, id, i) ||
		    dump_emit(c, s, type, id, attrs, rerr,
			&list->u.seq.items[i]->mark))
			return -1;
	}
	return 0;
}

int
ac_read_trails(struct dump *c, const struct dump_scope *s)
{
	const char *type = "AWS::CloudTrail::Trail", *id, *rerr;
	const struct doc_node *list;
	struct doc_node *attrs;
	struct dump_resp r;
	size_t i;

	if (ac_listing(c, s, type, "cloudtrail", "describe-trails", "trailList",
		&r, &list))
		return -1;
	for (i = 0; list != NULL && i < list->u.seq.n; i++) {
		rerr = NULL;
		if (ac_element(c, s, type, list->u.seq.items[i], "Name", &attrs,
			&id) ||
		    dump_join_all(c, s, type, attrs, &rerr, id, i) ||
		    dump_emit(c, s, type, id, attrs, rerr,
			&list->u.seq.items[i]->mark))
			return -1;
	}
	return 0;
}

/*
 * The listing of a load balancer API.  Classic ELB (`elb`) and elbv2
 * share their placebo file names (elasticloadbalancing.
 * DescribeLoadBalancers_N.json): there, the listing is the first
 * recording that holds key, and a recording of the other API is not an
 * error.
 */
static int
elb_listing(struct dump *c, const struct dump_scope *s, const char *type,
    const char *svc, const char *key, struct dump_resp *r,
    const struct doc_node **list)
{
	return ac_read_listing(c, s, type, svc, "describe-load-balancers", key,
	    AWS(c)->placebo, r, list);
}

/*
 * A classic listener description with `SslNegotiationPolicy`: the
 * description of the SSLNegotiationPolicyType policy it names among pols
 * (describe-load-balancer-policies), plus `Attributes`, that policy's
 * PolicyAttributeDescriptions as a map AttributeName -> AttributeValue.
 * ld itself when it names no such policy; NULL when out of memory.
 */
static struct doc_node *
with_ssl_policy(
    struct dump *c, struct doc_node *ld, const struct doc_node *pols)
{
	const struct doc_node *names, *p = NULL, *ads, *ad;
	const char *nm, *pn, *pt;
	struct doc_node *out, *pol, *map;
	size_t i, j;

	names = doc_get(ld, "PolicyNames");
	if (ld->type != DOC_MAP || names == NULL || names->type != DOC_SEQ)
		return ld;
	for (i = 0; p == NULL && i < names->u.seq.n; i++) {
		if ((nm = doc_str(names->u.seq.items[i])) == NULL)
			continue;
		for (j = 0; p == NULL && j < pols->u.seq.n; j++) {
			pn = doc_str(
			    doc_get(pols->u.seq.items[j], "PolicyName"));
			pt = doc_str(
			    doc_get(pols->u.seq.items[j], "PolicyTypeName"));
			if (pn != NULL && pt != NULL && strcmp(pn, nm) == 0 &&
			    strcmp(pt, "SSLNegotiationPolicyType") == 0)
				p = pols->u.seq.items[j];
		}
	}
	if (p == NULL || p->type != DOC_MAP)
		return ld;
	if ((map = src_map(c->a, &p->mark)) == NULL)
		return NULL;
	ads = doc_get(p, "PolicyAttributeDescriptions");
	for (i = 0; ads != NULL && ads->type == DOC_SEQ && i < ads->u.seq.n;
	     i++) {
		ad = ads->u.seq.items[i];
		nm = doc_str(doc_get(ad, "AttributeName"));
		if (nm != NULL && doc_get(ad, "AttributeValue") != NULL &&
		    src_set(c->a, map, nm,
			(struct doc_node *)doc_get(ad, "AttributeValue")))
			return NULL;
	}
	if ((pol = src_map_clone(c->a, p)) == NULL ||
	    src_set(c->a, pol, "Attributes", map) ||
	    (out = src_map_clone(c->a, ld)) == NULL ||
	    src_set(c->a, out, "SslNegotiationPolicy", pol))
		return NULL;
	return out;
}

/*
 * Classic load balancers: elb/describe-load-balancers.json, each joined
 * with elb/describe-load-balancer-policies/<LoadBalancerName>.json
 * (PolicyDescriptions), and each listener description with its SSL
 * negotiation policy (with_ssl_policy).
 */
int
ac_read_classic_elbs(struct dump *c, const struct dump_scope *s)
{
	const char *type = "AWS::ElasticLoadBalancing::LoadBalancer";
	const char *id, *rerr;
	const struct doc_node *list, *lds, *pols;
	struct doc_node *attrs, *mine, *ld;
	struct dump_resp r;
	size_t i, j;

	if (elb_listing(
		c, s, type, "elb", "LoadBalancerDescriptions", &r, &list))
		return -1;
	for (i = 0; list != NULL && i < list->u.seq.n; i++) {
		rerr = NULL;
		if (ac_element(c, s, type, list->u.seq.items[i],
			"LoadBalancerName", &attrs, &id) ||
		    ac_join(c, s, attrs, &rerr, "elb",
			"describe-load-balancer-policies", id, i))
			return -1;
		pols = doc_get(attrs, "PolicyDescriptions");
		lds = doc_get(attrs, "ListenerDescriptions");
		if (pols != NULL && pols->type == DOC_SEQ && lds != NULL &&
		    lds->type == DOC_SEQ) {
			if ((mine = src_seq(c->a, &lds->mark)) == NULL)
				return diag_sys(c->d, NULL, "out of memory");
			for (j = 0; j < lds->u.seq.n; j++)
				if ((ld = with_ssl_policy(c,
					 lds->u.seq.items[j], pols)) == NULL ||
				    doc_seq_push(c->a, mine, ld))
					return diag_sys(
					    c->d, NULL, "out of memory");
			if (src_set(c->a, attrs, "ListenerDescriptions", mine))
				return diag_sys(c->d, NULL, "out of memory");
		}
		if (dump_emit(c, s, type, id, attrs, rerr,
			&list->u.seq.items[i]->mark))
			return -1;
	}
	return 0;
}

/*
 * Every elbv2 listener recorded region-wide, into *all (NULL: none): the
 * CLI layout's one elbv2/describe-listeners.json, or every placebo
 * recording of DescribeListeners (one per balancer, in an order that
 * need not be the listing's, so they are joined on LoadBalancerArn, not
 * by position).  *lr is DUMP_ERROR when a file holds an error, a page is
 * missing or more pages were not collected.
 */
static int
elbv2_listeners(struct dump *c, const struct dump_scope *s,
    struct dump_resp *lr, struct doc_node **all)
{
	const struct doc_node *l;

	if (ac_read_listing(c, s, NULL, "elbv2", "describe-listeners",
		"Listeners", 0, lr, &l))
		return -1;
	*all = (struct doc_node *)l;
	return 0;
}

/*
 * The listeners of list whose LoadBalancerArn is arn; with unnamed, also
 * those without a LoadBalancerArn (a per-balancer file names its
 * balancer).  A new list in c->a, or NULL when out of memory.
 */
static struct doc_node *
listeners_of(struct dump *c, const struct doc_node *list, const char *arn,
    int unnamed, const struct mark *m)
{
	struct doc_node *mine;
	const char *la;
	size_t j;

	if ((mine = src_seq(c->a, m)) == NULL)
		return NULL;
	for (j = 0; j < list->u.seq.n; j++) {
		la = doc_str(doc_get(list->u.seq.items[j], "LoadBalancerArn"));
		if ((la != NULL ? strcmp(la, arn) == 0 : unnamed) &&
		    doc_seq_push(c->a, mine, list->u.seq.items[j]))
			return NULL;
	}
	return mine;
}

int
ac_read_load_balancers(struct dump *c, const struct dump_scope *s)
{
	const char *type = "AWS::ElasticLoadBalancingV2::LoadBalancer";
	const char *id, *name, *rerr;
	const struct doc_node *list, *l;
	struct doc_node *attrs, *all, *mine;
	struct dump_resp r, lr;
	size_t i;

	if (elb_listing(c, s, type, "elbv2", "LoadBalancers", &r, &list))
		return -1;
	if (list == NULL)
		return 0;
	/* Listeners either all in one file, or one file per balancer. */
	if (elbv2_listeners(c, s, &lr, &all) != 0)
		return -1;
	for (i = 0; i < list->u.seq.n; i++) {
		rerr = NULL;
		if (ac_element(c, s, type, list->u.seq.items[i],
			"LoadBalancerArn", &attrs, &id))
			return -1;
		name = doc_str(doc_get(attrs, "LoadBalancerName"));
		if (lr.kind == DUMP_ERROR) {
			if (dump_add_read_error(
				c, attrs, "describe-listeners", &lr, &rerr))
				return -1;
		} else if (all != NULL) {
			if ((mine = listeners_of(c, all, id, 0, &lr.mark)) ==
				NULL ||
			    src_set(c->a, attrs, "Listeners", mine))
				return diag_sys(c->d, NULL, "out of memory");
		} else if (!AWS(c)->placebo) {
			if (ac_join(c, s, attrs, &rerr, "elbv2",
				"describe-listeners", name != NULL ? name : id,
				i))
				return -1;
			l = doc_get(attrs, "Listeners");
			if (l != NULL && l->type == DOC_SEQ &&
			    ((mine = listeners_of(c, l, id, 1, &l->mark)) ==
				    NULL ||
				src_set(c->a, attrs, "Listeners", mine)))
				return diag_sys(c->d, NULL, "out of memory");
		}
		if (dump_emit(c, s, type, id, attrs, rerr,
			&list->u.seq.items[i]->mark))
			return -1;
	}
	return 0;
}

/*
 * The name of the file holding the index-th per-resource output called
 * name: "allow-all" for <svc>/<call>/allow-all.json, the recording's
 * "<service>.<Operation>_N" in the placebo layout.  In c->a, or NULL.
 */
static const char *
file_stem(struct dump *c, const struct dump_scope *s, const char *svc,
    const char *call, const char *name, size_t index)
{
	char path[PATH_MAX];
	const char *base;
	size_t len;

	if (!AWS(c)->placebo)
		return name;
	if (ac_call_path(c, s, svc, call, "", index, path, sizeof(path)) != 0)
		return NULL;
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	len = strlen(base);
	return arena_strndup(c->a, base, len > 5 ? len - 5 : len);
}

/*
 * Names of per-resource outputs when their listing is absent: the files
 * of <svc>/<call>/ (CLI layout, sorted) or the count of recordings
 * (placebo layout, named "1", "2"...).  NULL-terminated, in c->a.
 */
static char **
per_resource_names(struct dump *c, const struct dump_scope *s, const char *svc,
    const char *call)
{
	char path[PATH_MAX], **v, *nm;
	const char *const *names;
	size_t n, max, i, len;
	struct dump_strv sv = { NULL, 0, 0 };

	if (AWS(c)->placebo) {
		/* Every sequence number up to the last: a gap is read as a
		 * missing recording, never skipped. */
		ac_recordings(c, svc, call, &n, &max);
		if ((v = arena_alloc(c->a, (max + 1) * sizeof(*v))) == NULL)
			return NULL;
		for (i = 0; i < max; i++)
			if ((v[i] = arena_printf(c->a, "%zu", i + 1)) == NULL)
				return NULL;
		return v;
	}
	snprintf(path, sizeof(path), "%s/%s/%s", s->dir, svc, call);
	if (dir_index_names(c->ix, path, &names, &n) != 0)
		return arena_alloc(c->a, sizeof(*v));
	/* Grown by doubling: memory stays linear in the number of files. */
	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		if (len <= 5 || strcmp(names[i] + len - 5, ".json") != 0)
			continue;
		if ((nm = arena_strndup(c->a, names[i], len - 5)) == NULL ||
		    dump_strv_push(c->a, &sv, nm) != 0)
			return NULL;
	}
	if (dump_strv_push(c->a, &sv, NULL) != 0)
		return NULL;
	qsort(sv.v, sv.n - 1, sizeof(*sv.v), dump_cmp_str);
	return (char **)sv.v;
}

/* The index-th per-resource output (name) alone as a resource. */
static int
described_one(struct dump *c, const struct dump_scope *s, const char *type,
    const char *svc, const char *call, const char *field, const char *id_path,
    const char *name, size_t i)
{
	struct doc_node *attrs, *v;
	const char *id, *rerr = NULL;

	if ((attrs = src_map(c->a, NULL)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	if (ac_join(
		c, s, attrs, &rerr, svc, call, AWS(c)->placebo ? "" : name, i))
		return -1;
	if (attrs->u.map.n == 0 && rerr == NULL &&
	    (rerr = arena_printf(c->a,
		 "'aws %s %s': recording %zu is missing (%s)", svc, call, i + 1,
		 s->dir)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	/* The id from the output itself when it holds one. */
	v = id_path != NULL ? doc_get(doc_get(attrs, field), id_path) : NULL;
	if ((id = doc_str(v)) == NULL &&
	    (id = file_stem(c, s, svc, call, name, i)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	if (doc_get(attrs, field) != NULL)
		attrs->mark = doc_get(attrs, field)->mark;
	return dump_emit(c, s, type, id, attrs, rerr, &attrs->mark);
}

/*
 * Resources listed by list_call (key list_key, id id_key, file name
 * name_key) and described by a per-resource call; when the listing is
 * absent, the per-resource outputs alone.  Their id is then the output's
 * value at id_path when the output holds a unique one (an ARN), else the
 * per-resource file's name (`get-policy-version/allow-all.json` is
 * "allow-all"; a placebo recording's name, "iam.GetPolicyVersion_1"):
 * never a value that many resources share, such as a policy's VersionId,
 * which would merge them in reports and POA&M resource globs.
 */
int
ac_read_described(struct dump *c, const struct dump_scope *s, const char *type,
    const char *svc, const char *list_call, const char *list_key,
    const char *id_key, const char *name_key, const char *call,
    const char *field, const char *id_path)
{
	const struct doc_node *list, *e;
	struct doc_node *attrs;
	const char *id, *name, *rerr;
	struct arena *saved;
	struct dump_resp r;
	char **names;
	size_t i;
	int rc;

	if (ac_listing(c, s, type, svc, list_call, list_key, &r, &list))
		return -1;
	if (r.kind != DUMP_MISSING) {
		for (i = 0; list != NULL && i < list->u.seq.n; i++) {
			rerr = NULL;
			e = list->u.seq.items[i];
			if (ac_element(c, s, type, e, id_key, &attrs, &id))
				return -1;
			name = doc_str(doc_get(e, name_key));
			if (name == NULL)
				name = id;
			/* An ARN's last part is the file name. */
			if (strrchr(name, '/') != NULL)
				name = strrchr(name, '/') + 1;
			if (ac_join(c, s, attrs, &rerr, svc, call, name, i) ||
			    dump_emit(c, s, type, id, attrs, rerr, &e->mark))
				return -1;
		}
		return 0;
	}
	if ((names = per_resource_names(c, s, svc, call)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	for (i = 0; names[i] != NULL; i++) {
		/*
		 * Each output is read into its own arena, freed once the
		 * resource is handed over (the callback copies what it
		 * keeps): memory does not grow with the number of files.
		 */
		saved = c->a;
		if ((c->a = arena_new()) == NULL) {
			c->a = saved;
			return diag_sys(c->d, NULL, "out of memory");
		}
		rc = described_one(
		    c, s, type, svc, call, field, id_path, names[i], i);
		arena_free(c->a);
		c->a = saved;
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------- IAM */

/*
 * Split CSV text into rows of fields (the credential report's subset:
 * no quoting).  Lines end with LF, CRLF or a lone CR.  A row whose
 * field count differs from the header's (rows merged or cut) sets *bad
 * to why; the report then is unreadable.  NULL when out of memory.
 */
static struct doc_node *
csv_users(struct dump *c, const char *text, size_t len, const struct mark *m,
    const char **bad)
{
	struct doc_node *users, *row = NULL, *val;
	const char *p = text, *end = text + len, *eol, *f, *comma, *cr;
	const char *hdr[64];
	size_t hlen[64], nh = 0, i, line = 0;
	int first = 1;

	*bad = NULL;
	if ((users = src_seq(c->a, m)) == NULL)
		return NULL;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		cr = memchr(p, '\r', (size_t)(eol - p));
		if (cr != NULL)
			eol = cr;
		line++;
		if (eol == p) {
			p = eol + 1;
			continue;
		}
		if (!first && (row = src_map(c->a, m)) == NULL)
			return NULL;
		for (i = 0, f = p; f <= eol; i++) {
			comma = memchr(f, ',', (size_t)(eol - f));
			if (comma == NULL)
				comma = eol;
			if (first) {
				if (nh == 64) {
					*bad = "the header has more than 64 "
					       "fields";
					return users;
				}
				hdr[nh] = f;
				hlen[nh++] = (size_t)(comma - f);
			} else if (i < nh) {
				if ((val = doc_new_string(c->a, f,
					 (size_t)(comma - f), m)) == NULL ||
				    doc_map_put(c->a, row,
					doc_new_string(
					    c->a, hdr[i], hlen[i], m),
					val))
					return NULL;
			}
			f = comma + 1;
		}
		if (!first && i != nh && *bad == NULL &&
		    (*bad = arena_printf(c->a,
			 "line %zu has %zu fields, the header %zu (rows "
			 "merged or cut)",
			 line, i, nh)) == NULL)
			return NULL;
		if (!first && doc_seq_push(c->a, users, row))
			return NULL;
		first = 0;
		p = eol + 1;
		if (eol < end && *eol == '\r' && p < end && *p == '\n')
			p++;
	}
	return users;
}

/*
 * Base64 text with the line breaks and blanks a CLI or an editor may
 * have put in it removed, decoded; NULL with *why when not base64.
 */
static unsigned char *
decode_content(struct dump *c, const char *text, size_t len, size_t *outlen,
    const char **why)
{
	char *clean;
	unsigned char *dec;
	size_t i, n = 0;

	if ((clean = arena_alloc(c->a, len + 1)) == NULL) {
		*why = "out of memory";
		return NULL;
	}
	for (i = 0; i < len; i++) {
		if (text[i] == '\n' || text[i] == '\r' || text[i] == ' ' ||
		    text[i] == '\t')
			continue;
		if (!((text[i] >= 'A' && text[i] <= 'Z') ||
			(text[i] >= 'a' && text[i] <= 'z') ||
			(text[i] >= '0' && text[i] <= '9') || text[i] == '+' ||
			text[i] == '/' || text[i] == '=')) {
			*why = arena_printf(c->a,
			    "credential report 'Content' is neither CSV nor "
			    "base64: byte %zu is 0x%02x",
			    i, (unsigned char)text[i]);
			return NULL;
		}
		clean[n++] = text[i];
	}
	if ((dec = base64_decode(clean, n, outlen)) == NULL)
		*why = arena_printf(c->a,
		    "credential report 'Content' is not valid base64 (%zu "
		    "characters without line breaks, padding misplaced or "
		    "length not a multiple of 4)",
		    n);
	return dec;
}

/*
 * The credential report singleton: Content (base64 from the CLI, plain
 * text in placebo ac_recordings) parsed into Users.  *users receives the
 * list (NULL when unavailable).  A report without the <root_account>
 * row, with rows merged or cut, or undecodable is unreadable.
 */
int
ac_read_credential_report(
    struct dump *c, const struct dump_scope *s, const struct doc_node **users)
{
	const char *type = "AWS::IAM::CredentialReport", *rerr = NULL, *why;
	const struct doc_node *content;
	struct doc_node *attrs, *u;
	unsigned char *dec = NULL;
	const char *text, *nm;
	size_t len, i;
	struct dump_resp r;
	int root = 0;

	*users = NULL;
	if (ac_cli_get(c, s, "iam", "get-credential-report", NULL, 0, &r) != 0)
		return -1;
	if (r.kind == DUMP_MISSING)
		return 0;
	if ((attrs = src_map(c->a, &r.mark)) == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	if (r.kind != DUMP_OK) {
		if (r.msg == NULL)
			r.msg = r.code;
		if (dump_add_read_error(
			c, attrs, "get-credential-report", &r, &rerr))
			return -1;
		goto done;
	}
	content = doc_get(r.data, "Content");
	if (doc_get(r.data, "GeneratedTime") != NULL &&
	    src_set(
		c->a, attrs, "GeneratedTime", doc_get(r.data, "GeneratedTime")))
		return diag_sys(c->d, NULL, "out of memory");
	if (doc_get(r.data, "ReportFormat") != NULL &&
	    src_set(
		c->a, attrs, "ReportFormat", doc_get(r.data, "ReportFormat")))
		return diag_sys(c->d, NULL, "out of memory");
	if (content == NULL || content->type != DOC_STRING) {
		rerr = "credential report has no 'Content'";
		goto done;
	}
	text = content->str;
	len = content->len;
	if (memchr(text, ',', len) == NULL) {
		if ((dec = decode_content(c, text, len, &len, &why)) == NULL) {
			rerr = why != NULL ? why : "out of memory";
			goto done;
		}
		text = (const char *)dec;
	}
	u = csv_users(c, text, len, &content->mark, &why);
	lib_free(dec);
	if (u == NULL)
		return diag_sys(c->d, NULL, "out of memory");
	for (i = 0; i < u->u.seq.n; i++)
		root |= (nm = doc_str(doc_get(u->u.seq.items[i], "user"))) !=
			NULL &&
		    strcmp(nm, "<root_account>") == 0;
	if (why != NULL)
		rerr =
		    arena_printf(c->a, "credential report 'Content': %s", why);
	else if (!root)
		rerr = "credential report has no '<root_account>' row";
	if (src_set(c->a, attrs, "Users", u))
		return diag_sys(c->d, NULL, "out of memory");
	if (rerr == NULL)
		*users = u;
done:
	/* The report lists every user: a clean one is their listing. */
	if (dump_marker(c, s, type, rerr, &r.mark) != 0 ||
	    dump_marker(c, s, "AWS::IAM::User", rerr, &r.mark) != 0)
		return -1;
	return dump_emit(c, s, type, ac_account_id(c), attrs, rerr, &r.mark);
}

/*
 * One AWS::IAM::User per user of list-users and of the credential report
 * (the root account excluded: it is checked on the report).
 */
int
ac_read_users(
    struct dump *c, const struct dump_scope *s, const struct doc_node *rep)
{
	const char *type = "AWS::IAM::User", *id, *rerr, *nm;
	const struct doc_node *list = NULL, *row;
	struct doc_node *attrs;
	struct dump_resp r;
	size_t i, j, nlist = 0;
	int seen;

	if (ac_listing(c, s, type, "iam", "list-users", "Users", &r, &list))
		return -1;
	if (list != NULL)
		nlist = list->u.seq.n;
	for (i = 0; i < nlist; i++) {
		rerr = NULL;
		if (ac_element(c, s, type, list->u.seq.items[i], "UserName",
			&attrs, &id))
			return -1;
		for (j = 0; rep != NULL && j < rep->u.seq.n; j++) {
			row = rep->u.seq.items[j];
			if ((nm = doc_str(doc_get(row, "user"))) != NULL &&
			    strcmp(nm, id) == 0 &&
			    src_set(c->a, attrs, "CredentialReport",
				(struct doc_node *)row))
				return diag_sys(c->d, NULL, "out of memory");
		}
		if (ac_join(
			c, s, attrs, &rerr, "iam", "list-mfa-devices", id, i) ||
		    ac_join(
			c, s, attrs, &rerr, "iam", "list-access-keys", id, i) ||
		    dump_emit(c, s, type, id, attrs, rerr,
			&list->u.seq.items[i]->mark))
			return -1;
	}
	for (j = 0; rep != NULL && j < rep->u.seq.n; j++) {
		row = rep->u.seq.items[j];
		nm = doc_str(doc_get(row, "user"));
		if (nm == NULL || strcmp(nm, "<root_account>") == 0)
			continue;
		for (i = 0, seen = 0; i < nlist && !seen; i++)
			seen = doc_str(doc_get(
				   list->u.seq.items[i], "UserName")) != NULL &&
			    strcmp(doc_str(doc_get(
				       list->u.seq.items[i], "UserName")),
				nm) == 0;
		if (seen)
			continue;
		rerr = NULL;
		if ((attrs = src_map(c->a, &row->mark)) == NULL ||
		    src_set(c->a, attrs, "UserName",
			src_str(c->a, nm, &row->mark)) ||
		    src_set(c->a, attrs, "CredentialReport",
			(struct doc_node *)row))
			return diag_sys(c->d, NULL, "out of memory");
		if (doc_get(row, "arn") != NULL &&
		    src_set(c->a, attrs, "Arn", doc_get(row, "arn")))
			return diag_sys(c->d, NULL, "out of memory");
		if (!AWS(c)->placebo &&
		    (ac_join(c, s, attrs, &rerr, "iam", "list-mfa-devices", nm,
			 0) ||
			ac_join(c, s, attrs, &rerr, "iam", "list-access-keys",
			    nm, 0)))
			return -1;
		if (dump_emit(c, s, type, nm, attrs, rerr, &row->mark))
			return -1;
	}
	return 0;
}

int
ac_read_account_summary(struct dump *c, const struct dump_scope *s)
{
	const char *type = "AWS::IAM::AccountSummary", *rerr;
	struct doc_node *attrs;
	struct mark m;

	if (ac_singleton(c, s, type, "iam", "get-account-summary", "SummaryMap",
		&attrs, &rerr, &m) != 0)
		return -1;
	if (attrs == NULL)
		return 0;
	if (ac_join(
		c, s, attrs, &rerr, "iam", "list-virtual-mfa-devices", NULL, 0))
		return -1;
	return dump_emit(c, s, type, ac_account_id(c), attrs, rerr, &m);
}

/* ---------------------------------------------- regional singletons */

/*
 * The recorders of a region (describe-configuration-recorders) with
 * their statuses.  A status belongs to the recorder of the same name; a
 * recorder without one makes the resource unreadable (its state is
 * unknown, so no check on it may pass).
 */
int
ac_read_config_recorder(struct dump *c, const struct dump_scope *s)
{
	const char *type = "AWS::Config::ConfigurationRecorder", *rerr;
	const struct doc_node *recs, *sts, *nm;
	struct doc_node *attrs;
	struct mark m;
	size_t i, j;
	int found;

	if (ac_singleton(c, s, type, "configservice",
		"describe-configuration-recorders", "ConfigurationRecorders",
		&attrs, &rerr, &m) != 0)
		return -1;
	if (attrs == NULL)
		return 0;
	if (ac_join(c, s, attrs, &rerr, "configservice",
		"describe-configuration-recorder-status", NULL, 0))
		return -1;
	recs = doc_get(attrs, "ConfigurationRecorders");
	sts = doc_get(attrs, "ConfigurationRecordersStatus");
	for (i = 0; rerr == NULL && recs != NULL && recs->type == DOC_SEQ &&
	     i < recs->u.seq.n;
	     i++) {
		nm = doc_get(recs->u.seq.items[i], "name");
		for (j = 0, found = 0;
		     !found && nm != NULL && nm->type == DOC_STRING &&
		     sts != NULL && sts->type == DOC_SEQ && j < sts->u.seq.n;
		     j++)
			found = doc_str(doc_get(sts->u.seq.items[j], "name")) !=
				NULL &&
			    strcmp(
				doc_str(doc_get(sts->u.seq.items[j], "name")),
				nm->str) == 0;
		if (!found &&
		    (rerr = arena_printf(c->a,
			 "configuration recorder '%s' has no status in the "
			 "output of 'aws configservice "
			 "describe-configuration-recorder-status' (%s)",
			 doc_str(nm) != NULL ? doc_str(nm) : "?", s->dir)) ==
			NULL)
			return diag_sys(c->d, NULL, "out of memory");
	}
	return dump_emit(c, s, type, ac_account_id(c), attrs, rerr, &m);
}

int
ac_read_guardduty(struct dump *c, const struct dump_scope *s)
{
	const char *type = "AWS::GuardDuty::Detector", *rerr, *id;
	const struct doc_node *ids;
	struct doc_node *attrs, *dets, *det;
	struct mark m;
	size_t i;

	if (ac_singleton(c, s, type, "guardduty", "list-detectors",
		"DetectorIds", &attrs, &rerr, &m) != 0)
		return -1;
	if (attrs == NULL)
		return 0;
	ids = doc_get(attrs, "DetectorIds");
	if ((dets = src_seq(c->a, &m)) == NULL ||
	    src_set(c->a, attrs, "Detectors", dets))
		return diag_sys(c->d, NULL, "out of memory");
	for (i = 0; ids != NULL && ids->type == DOC_SEQ && i < ids->u.seq.n;
	     i++) {
		if ((id = doc_str(ids->u.seq.items[i])) == NULL)
			continue;
		if ((det = src_map(c->a, &ids->u.seq.items[i]->mark)) == NULL ||
		    src_set(c->a, det, "DetectorId",
			(struct doc_node *)ids->u.seq.items[i]))
			return diag_sys(c->d, NULL, "out of memory");
		if (ac_join(
			c, s, det, &rerr, "guardduty", "get-detector", id, i))
			return -1;
		if (doc_get(det, SRC_READ_ERRORS) != NULL &&
		    src_set(c->a, attrs, SRC_READ_ERRORS,
			doc_get(det, SRC_READ_ERRORS)))
			return diag_sys(c->d, NULL, "out of memory");
		if (doc_seq_push(c->a, dets, det))
			return diag_sys(c->d, NULL, "out of memory");
	}
	return dump_emit(c, s, type, ac_account_id(c), attrs, rerr, &m);
}
