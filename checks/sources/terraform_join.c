/*
 * terraform_join.c: the Terraform adapter's joins.  A part (a bucket's
 * public access block, a group's rule) configures a target (the bucket,
 * the group) that may come anywhere in the plan, before or after it.  As
 * the plan streams, terraform.c hands each converted target and part to
 * tf_index(), which writes it to the spill file (terraform_spill.c) and
 * keeps in memory only its slot (24 bytes) and, for a target, the
 * hashes it is found by (12 bytes each, at most 4).  At the end,
 * tf_finish() reads them back one at a time: each part finds its target
 * (by value, else by the configuration's reference; a hash hit is always
 * checked against the strings read back), then each target is read with
 * the parts joined to it, in plan order, and handed over.  Memory holds
 * one target and its parts at a time, whatever the plan's size.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/sources/terraform.h"
#include "checks/sources/terraform_impl.h"

#define NONE UINT32_MAX
/* Distinct canonical attributes a target's parts set (tables: <= 8). */
#define MAX_INTOS 32

static int
same_module(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static const char *
part_into(const struct tf_item *part)
{
	const struct tf_type *t = part->t;

	if (t->dir_attr != NULL && part->dir != NULL &&
	    strcasecmp(part->dir, t->dir_value) == 0)
		return t->into_alt;
	return t->into;
}

/* The part's value to join: its attribute, or a placeholder rule. */
static struct doc_node *
part_value(struct tf_read *x, const struct tf_item *part)
{
	struct tf_conv c;

	memset(&c, 0, sizeof(c));
	c.a = x->s;
	c.m = &part->mark;
	if (part->unknown && part->t->unknown_as != NULL)
		return tf_placeholder(&c, part->t->unknown_as, part->address);
	if (part->t->part_key != NULL)
		return doc_get(part->attrs, part->t->part_key);
	return part->attrs;
}

/* Drop key from a target's unreadable map (a part now sets it). */
static void
unmark(struct tf_item *it, const char *key)
{
	struct doc_node *u = it->unread;
	size_t i;

	for (i = 0; u != NULL && i < u->u.map.n; i++)
		if (strcmp(u->u.map.pairs[i].key->str, key) == 0) {
			memmove(&u->u.map.pairs[i], &u->u.map.pairs[i + 1],
			    (u->u.map.n - i - 1) * sizeof(u->u.map.pairs[0]));
			u->u.map.n--;
			return;
		}
}

static int
mark_item(
    struct tf_read *x, struct tf_item *it, const char *key, const char *why)
{
	struct tf_conv c;

	memset(&c, 0, sizeof(c));
	c.a = x->s;
	c.m = &it->mark;
	c.unread = it->unread;
	if (tf_mark(&c, key, "%s", why) != 0)
		return -1;
	it->unread = c.unread;
	return 0;
}

static int
join(struct tf_read *x, struct tf_item *part, struct tf_item *t)
{
	const char *into = part_into(part);
	struct doc_node *v = part_value(x, part), *l;
	struct tf_conv c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.a = x->s;
	c.m = &t->mark;
	if (v == NULL)
		return 0; /* the part sets nothing of it (null in the plan) */
	if (part->unread != NULL && part->t->unknown_as == NULL &&
	    part->unread->u.map.n > 0)
		return mark_item(x, t, into,
		    arena_printf(x->s, "%s (in %s)",
			doc_str(part->unread->u.map.pairs[0].val),
			part->address));
	if (!part->t->append) {
		unmark(t, into);
		return tf_set(&c, t->attrs, into, v);
	}
	l = tf_get(t->attrs, into);
	if (l == NULL || l->type != DOC_SEQ) {
		if ((l = src_seq(x->s, &t->mark)) == NULL ||
		    tf_set(&c, t->attrs, into, l) != 0)
			return -1;
	}
	if (v->type == DOC_SEQ) {
		for (i = 0; i < v->u.seq.n; i++)
			if (doc_seq_push(x->s, l, v->u.seq.items[i]) != 0)
				return -1;
		return 0;
	}
	return doc_seq_push(x->s, l, v);
}

/*
 * Whether the configuration shows the target's block without the plain
 * attribute that maps to `into`: then a value known only after apply is
 * the provider reading back what the service holds, not the block's.
 */
static int
config_unset(struct tf_read *x, const struct tf_item *it, const char *into)
{
	const char *mp = tf_module_path(x->s, it->module), *addr, *from = NULL;
	size_t i;
	int seen = 0;

	for (i = 0; it->t->attrs[i].to != NULL; i++)
		if (strcmp(it->t->attrs[i].to, into) == 0 &&
		    it->t->attrs[i].joinable &&
		    it->t->attrs[i].conv != TF_BLOCK &&
		    it->t->attrs[i].conv != TF_LIST)
			from = it->t->attrs[i].from;
	addr = arena_printf(x->s, "%s.%s", it->t->tf, it->name);
	if (from == NULL || mp == NULL || addr == NULL)
		return 0;
	for (i = 0; i < x->nrefs; i++) {
		if (x->refs[i].set == 0 || strcmp(x->refs[i].module, mp) != 0 ||
		    strcmp(x->refs[i].addr, addr) != 0)
			continue;
		if (x->refs[i].set == 1 && strcmp(x->refs[i].to, from) == 0)
			return 0;
		if (x->refs[i].set == 2)
			seen = 1;
	}
	return seen;
}

/* What a target holds where no part set an attribute (tf_absent). */
static int
absent(struct tf_read *x, struct tf_item *it)
{
	const struct tf_absent *ab;
	struct doc_node *v, *s, *defs;
	struct tf_conv c;
	const char *why;

	memset(&c, 0, sizeof(c));
	c.a = x->s;
	c.m = &it->mark;
	for (ab = it->p->absent; ab->target != NULL; ab++) {
		if (strcmp(ab->target, it->t->tf) != 0 ||
		    tf_get(it->attrs, ab->into) != NULL ||
		    (it->unread != NULL && doc_get(it->unread, ab->into)))
			continue;
		if ((ab->not_configured || ab->created != NULL) &&
		    doc_get(doc_get(it->info, "NotInPlan"), ab->into) &&
		    !config_unset(x, it, ab->into))
			continue; /* not known until apply: stays absent */
		if (it->created && ab->not_configured) {
			if (src_not_configured(x->s, it->attrs, ab->into,
				ab->src, &it->mark) != 0)
				return -1;
			continue;
		}
		if (it->created && ab->created != NULL) {
			if ((v = tf_json(&c, ab->created)) == NULL ||
			    tf_set(&c, it->attrs, ab->into, v) != 0)
				return -1;
			if ((defs = doc_get(it->info, "ProviderDefaults")) ==
			    NULL) {
				if ((defs = src_map(x->s, &it->mark)) == NULL ||
				    src_set(x->s, it->info, "ProviderDefaults",
					defs) != 0)
					return -1;
			}
			if ((s = src_str(x->s, ab->src, &it->mark)) == NULL ||
			    src_set(x->s, defs, ab->into, s) != 0)
				return -1;
			continue;
		}
		/*
		 * Absent, as an export that lacks the call's file: a check
		 * reading it is error; the reason is in the evidence.
		 */
		why = arena_printf(x->s,
		    "not in the plan: no %s sets it for this %s; its value "
		    "after apply is set outside this configuration",
		    ab->part, it->created ? "new resource" : "resource");
		if ((defs = doc_get(it->info, "NotInPlan")) == NULL) {
			if ((defs = src_map(x->s, &it->mark)) == NULL ||
			    src_set(x->s, it->info, "NotInPlan", defs) != 0)
				return -1;
		}
		if (doc_get(defs, ab->into) != NULL)
			continue; /* not known until apply, said already */
		if (why == NULL ||
		    (s = src_str(x->s, why, &it->mark)) == NULL ||
		    src_set(x->s, defs, ab->into, s) != 0)
			return -1;
	}
	return 0;
}

/*
 * The group key of a grouped target known only after apply: the
 * resource its configuration refers to, in its module instance.
 */
static const char *
group_by_reference(struct tf_read *x, const struct tf_item *it)
{
	const char *mp = tf_module_path(x->s, it->module), *addr;
	size_t i;

	addr = arena_printf(x->s, "%s.%s", it->t->tf, it->name);
	for (i = 0; mp != NULL && addr != NULL && i < x->nrefs; i++)
		if (x->refs[i].set == 3 && strcmp(x->refs[i].module, mp) == 0 &&
		    strcmp(x->refs[i].addr, addr) == 0)
			return arena_printf(x->s, "%s|%s",
			    it->module != NULL ? it->module : "",
			    x->refs[i].to);
	return NULL;
}

/* ------------------------------------------------------------- index */

static uint64_t
hash_of(char tag, const char *a, const char *b, const char *c, size_t clen)
{
	uint64_t h = tf_hash(TF_HASH_INIT, &tag, 1);

	h = tf_hash(h, a != NULL ? a : "", a != NULL ? strlen(a) : 0);
	h = tf_hash(h, b != NULL ? b : "", b != NULL ? strlen(b) : 0);
	return tf_hash(h, c != NULL ? c : "", c != NULL ? clen : 0);
}

/* The target's name with its module, then with its instance key. */
static uint64_t
name_hash(const char *module, const char *tf, const char *name, size_t nl)
{
	return hash_of('n', module, tf, name, nl);
}

static uint64_t
inst_hash(uint64_t named, const char *inst)
{
	return tf_hash(tf_hash(named, "i", 1), inst, strlen(inst));
}

static int
grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 256;
	if ((p = lib_realloc(*v, c * size)) == NULL)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

static int
add_entry(struct tf_read *x, uint64_t h, uint32_t idx)
{
	struct tf_entry *e;

	if (grow((void **)&x->ents, &x->capents, x->nents, sizeof(*e)) != 0)
		return -1;
	e = &x->ents[x->nents++];
	e->hi = (uint32_t)(h >> 32);
	e->lo = (uint32_t)h;
	e->idx = idx;
	return 0;
}

/* Whether a part of the provider configures tf type `tf`. */
static int
targeted(const struct tf_provider *p, const char *tf)
{
	size_t i;

	for (i = 0; i < p->ntypes; i++)
		if (p->types[i].target != NULL &&
		    strcmp(p->types[i].target, tf) == 0)
			return 1;
	return 0;
}

/* The hashes a target is found by: its name, instance, known values. */
static int
target_entries(struct tf_read *x, const struct tf_item *it, uint32_t idx)
{
	const struct tf_provider *p = it->p;
	const char *k, *v;
	uint64_t h;
	size_t i, j;

	h = name_hash(it->module, it->t->tf, it->name, strlen(it->name));
	if (add_entry(x, h, idx) != 0 ||
	    add_entry(x, inst_hash(h, it->inst), idx) != 0)
		return -1;
	for (i = 0; i < p->ntypes; i++) {
		if (p->types[i].target == NULL ||
		    strcmp(p->types[i].target, it->t->tf) != 0)
			continue;
		k = p->types[i].target_key;
		for (j = 0; j < i; j++) /* each key once */
			if (p->types[j].target != NULL &&
			    strcmp(p->types[j].target, it->t->tf) == 0 &&
			    strcmp(p->types[j].target_key, k) == 0)
				break;
		if (j < i || (v = doc_str(doc_get(it->keys, k))) == NULL)
			continue;
		if (add_entry(
			x, hash_of('v', it->t->tf, k, v, strlen(v)), idx) != 0)
			return -1;
	}
	return 0;
}

int
tf_index(struct tf_read *x, const struct tf_item *it)
{
	struct tf_slot *sl;
	uint32_t idx = (uint32_t)x->nslots;
	size_t pi;

	if (x->nslots >= TF_MAX_HELD)
		return diag_err(x->d, &it->mark,
		    "the plan holds more than %u resources that configure "
		    "others or that others configure (buckets, groups, "
		    "their rules...): not evaluated",
		    TF_MAX_HELD);
	if (grow((void **)&x->slots, &x->capslots, x->nslots, sizeof(*sl)) != 0)
		return diag_sys(x->d, NULL, "out of memory");
	sl = &x->slots[idx];
	memset(sl, 0, sizeof(*sl));
	for (pi = 0; pi < tf_nproviders && tf_providers[pi] != it->p; pi++)
		;
	sl->pi = (uint8_t)pi;
	sl->ti = (uint8_t)(it->t - it->p->types);
	if (tf_spill_put(&x->spill, it, &sl->off) != 0)
		return diag_err(x->d, &it->mark,
		    "cannot write the plan's held resources to a temporary "
		    "file: %s",
		    x->spill.why);
	x->nslots++;
	if (it->t->type == NULL) {
		sl->flags |= TF_S_PART;
		if (it->key == NULL)
			x->needcfg = 1;
		return 0;
	}
	if (doc_get(it->info, "NotInPlan") != NULL)
		x->needcfg = 1;
	if (it->t->group != NULL && it->gkey == NULL) {
		sl->flags |= TF_S_NOGKEY;
		x->needcfg = 1;
	} else if (it->t->group != NULL &&
	    add_entry(x,
		hash_of('g', it->t->tf, "", it->gkey, strlen(it->gkey)),
		idx) != 0)
		return diag_sys(x->d, NULL, "out of memory");
	if (targeted(it->p, it->t->tf) && target_entries(x, it, idx) != 0)
		return diag_sys(x->d, NULL, "out of memory");
	return 0;
}

void
tf_index_free(struct tf_read *x)
{
	lib_free(x->slots);
	lib_free(x->ents);
	lib_free(x->unres);
	x->slots = NULL;
	x->ents = NULL;
	x->unres = NULL;
	tf_spill_close(&x->spill);
}

static int
ent_cmp(const void *a, const void *b)
{
	const struct tf_entry *p = a, *q = b;

	if (p->hi != q->hi)
		return p->hi < q->hi ? -1 : 1;
	if (p->lo != q->lo)
		return p->lo < q->lo ? -1 : 1;
	return p->idx < q->idx ? -1 : p->idx > q->idx;
}

/* The first entry of hash h (entries sorted), or x->nents. */
static size_t
first_of(const struct tf_read *x, uint64_t h)
{
	struct tf_entry k = { (uint32_t)(h >> 32), (uint32_t)h, 0 };
	size_t lo = 0, hi = x->nents, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ent_cmp(&x->ents[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
is_hash(const struct tf_read *x, size_t e, uint64_t h)
{
	return e < x->nents && x->ents[e].hi == (uint32_t)(h >> 32) &&
	    x->ents[e].lo == (uint32_t)h;
}

/* Read slot i back into x->s (head_only: no trees). */
static int
load(struct tf_read *x, uint32_t i, int head_only, struct tf_item *it)
{
	if (tf_spill_get(
		&x->spill, x->slots[i].off, head_only, x->s, x->path, it) != 0)
		return diag_err(x->d, NULL,
		    "cannot read the plan's held resources back from their "
		    "temporary file: %s",
		    x->spill.why);
	if (x->slots[i].flags & TF_S_AMBIGUOUS)
		it->ref_unknown = 1;
	return 0;
}

/* ----------------------------------------------------------- finding */

/*
 * The target whose key is the part's known reference, or NONE; *n: how
 * many bear it (two targets of one name, resource groups: ambiguous).
 */
static int
by_value(
    struct tf_read *x, const struct tf_item *part, uint32_t *hit, size_t *n)
{
	const char *tk = part->t->target_key, *v;
	struct tf_item it;
	uint64_t h;
	size_t e;

	*hit = NONE;
	*n = 0;
	if (part->key == NULL)
		return 0;
	h = hash_of('v', part->t->target, tk, part->key, strlen(part->key));
	for (e = first_of(x, h); is_hash(x, e, h); e++) {
		if (load(x, x->ents[e].idx, 1, &it) != 0)
			return -1;
		if (it.t->type != NULL &&
		    strcmp(it.t->tf, part->t->target) == 0 &&
		    (v = doc_str(doc_get(it.keys, tk))) != NULL &&
		    strcmp(v, part->key) == 0 && (*n)++ == 0)
			*hit = x->ents[e].idx;
	}
	if (*n > 1)
		*hit = NONE;
	return 0;
}

/* Which target first_named() gives when several match. */
#define NAMED_FIRST 0
#define NAMED_LAST 1 /* two changes of one address: the last */
#define NAMED_ONLY 2 /* none: the reference is ambiguous */

/*
 * The target of hash h that is the part's target type, in its module,
 * named `name` (nl bytes), with instance key inst (NULL: any), as `which`
 * says; *hit NONE when there is none.
 */
static int
first_named(struct tf_read *x, const struct tf_item *part, uint64_t h,
    const char *name, size_t nl, const char *inst, int which, uint32_t *hit)
{
	struct tf_item it;
	size_t e;

	for (e = first_of(x, h); is_hash(x, e, h); e++) {
		if (load(x, x->ents[e].idx, 1, &it) != 0)
			return -1;
		if (it.t->type == NULL ||
		    strcmp(it.t->tf, part->t->target) != 0 ||
		    !same_module(it.module, part->module) ||
		    strlen(it.name) != nl || strncmp(it.name, name, nl) != 0 ||
		    (inst != NULL && strcmp(it.inst, inst) != 0))
			continue;
		if (which == NAMED_ONLY && *hit != NONE) {
			*hit = NONE;
			return 0;
		}
		*hit = x->ents[e].idx;
		if (which == NAMED_FIRST)
			return 0;
	}
	return 0;
}

/*
 * The target a part's configuration reference names, or NONE: the
 * instance the reference names, else the one of the part's own instance
 * key, else the only one of that name (several: NONE, the part may
 * configure any of them).
 */
static int
by_reference(struct tf_read *x, const struct tf_item *part, uint32_t *hit)
{
	const char *mp = tf_module_path(x->s, part->module), *addr, *to = NULL;
	const char *name, *idx;
	size_t i, nl;
	uint64_t h;

	*hit = NONE;
	addr = arena_printf(x->s, "%s.%s", part->t->tf, part->name);
	for (i = 0; mp != NULL && addr != NULL && i < x->nrefs; i++)
		if (x->refs[i].set == 0 && strcmp(x->refs[i].module, mp) == 0 &&
		    strcmp(x->refs[i].addr, addr) == 0) {
			to = x->refs[i].to;
			break;
		}
	if (to == NULL)
		return 0;
	name = to + strlen(part->t->target) + 1;
	idx = strchr(name, '[');
	nl = idx != NULL ? (size_t)(idx - name) : strlen(name);
	h = name_hash(part->module, part->t->target, name, nl);
	if (idx != NULL)
		return first_named(
		    x, part, inst_hash(h, idx), name, nl, idx, NAMED_LAST, hit);
	if (first_named(x, part, inst_hash(h, part->inst), name, nl, part->inst,
		NAMED_FIRST, hit) != 0)
		return -1;
	if (*hit != NONE)
		return 0;
	/* Several instances, none of the part's own key: ambiguous. */
	return first_named(x, part, h, name, nl, NULL, NAMED_ONLY, hit);
}

/* ----------------------------------------------------------- joining */

/*
 * A part whose target is not in the plan.  Allow-only rules (security
 * group or ACL rules: `append`) are evaluated on their own, as the
 * rules this plan adds to a resource it does not show.  When the
 * reference is known only after apply and could not be resolved, the
 * part may belong to any target the plan creates: it is listed, and
 * each of them gets the part's attribute as unreadable (or a
 * placeholder rule) unless a part of its own set it before (replay).
 */
static int
orphan(struct tf_read *x, uint32_t i, struct tf_item *part)
{
	const char *into = part_into(part), *type = NULL;
	struct doc_node *v, *l;
	struct tf_conv c;
	size_t k;

	for (k = 0; k < part->p->ntypes && type == NULL; k++)
		if (strcmp(part->p->types[k].tf, part->t->target) == 0)
			type = part->p->types[k].type;
	if (type == NULL)
		return 0;
	if (part->ref_unknown || part->key == NULL) {
		if (grow((void **)&x->unres, &x->capunres, x->nunres,
			sizeof(*x->unres)) != 0)
			return -1;
		x->unres[x->nunres++] = i;
	}
	if (!part->t->append)
		return 0;
	/* The rules alone, under the part's own address. */
	if (load(x, i, 0, part) != 0)
		return -1;
	if ((v = part_value(x, part)) == NULL)
		return 0;
	memset(&c, 0, sizeof(c));
	c.a = x->s;
	c.m = &part->mark;
	if ((l = src_seq(x->s, &part->mark)) == NULL ||
	    doc_seq_push(x->s, l, v) != 0)
		return -1;
	part->attrs = src_map(x->s, &part->mark);
	if (part->attrs == NULL || tf_set(&c, part->attrs, into, l) != 0)
		return -1;
	if (part->key != NULL &&
	    (src_set(x->s, part->info, "JoinedTo",
		 src_str(x->s, part->key, &part->mark)) != 0))
		return -1;
	return tf_emit(x, part, type, part->address, x->s);
}

/* Find part i's target; chain it there, or treat it as an orphan. */
static int
resolve(struct tf_read *x, uint32_t i)
{
	struct tf_item part;
	struct tf_slot *t;
	uint32_t hit;
	size_t n;

	if (load(x, i, 1, &part) != 0 || by_value(x, &part, &hit, &n) != 0)
		return -1;
	if (hit == NONE && part.key == NULL &&
	    by_reference(x, &part, &hit) != 0)
		return -1;
	/* Named, but several targets bear the name: any of them. */
	if (hit == NONE && part.key != NULL && n > 1) {
		x->slots[i].flags |= TF_S_AMBIGUOUS;
		part.ref_unknown = 1;
	}
	if (hit == NONE) {
		if (orphan(x, i, &part) == 0)
			return 0;
		return x->d->nerrors == 0
		    ? diag_sys(x->d, NULL, "out of memory")
		    : -1;
	}
	t = &x->slots[hit];
	if (t->last != 0)
		x->slots[t->last - 1].first = i + 1;
	else
		t->first = i + 1;
	t->last = i + 1;
	return 0;
}

/*
 * An unresolved part on a target the plan creates of its target type:
 * the attribute unreadable, unless a part joined earlier set it, or a
 * placeholder rule.
 */
static int
unresolved(struct tf_read *x, const struct tf_item *part, struct tf_item *it,
    const char *const *intos, size_t nintos)
{
	const char *into = part_into(part), *why;
	struct doc_node *l, *ph;
	struct tf_conv c;
	size_t k;

	why = arena_printf(x->s,
	    "%s (%s) configures a %s whose reference is known only "
	    "after apply and could not be resolved%s%s",
	    part->address, part->t->tf, part->t->target,
	    x->noconfig ? ": " : "", x->noconfig ? x->noconfig : "");
	if (why == NULL)
		return -1;
	if (!part->t->append) {
		for (k = 0; k < nintos; k++)
			if (strcmp(intos[k], into) == 0)
				return 0;
		return mark_item(x, it, into, why);
	}
	memset(&c, 0, sizeof(c));
	c.a = x->s;
	c.m = &part->mark;
	ph = tf_placeholder(&c,
	    part->t->unknown_as != NULL ? part->t->unknown_as : "RuleAction",
	    part->address);
	l = tf_get(it->attrs, into);
	if (ph == NULL)
		return -1;
	if (l == NULL || l->type != DOC_SEQ) {
		if ((l = src_seq(x->s, &it->mark)) == NULL ||
		    tf_set(&c, it->attrs, into, l) != 0)
			return -1;
	}
	return doc_seq_push(x->s, l, ph);
}

/* Whether unresolved part j may concern target it. */
static int
may_concern(const struct tf_read *x, uint32_t j, const struct tf_item *it)
{
	const struct tf_slot *s = &x->slots[j];

	return it->created &&
	    strcmp(tf_providers[s->pi]->types[s->ti].target, it->t->tf) == 0;
}

/* Apply, in plan order, the parts joined to it and the unresolved ones. */
static int
replay(struct tf_read *x, uint32_t i, struct tf_item *it)
{
	const char *intos[MAX_INTOS];
	struct tf_item part;
	uint32_t j = x->slots[i].first, u = 0;
	size_t nintos = 0, k;

	for (;;) {
		while (u < x->nunres && !may_concern(x, x->unres[u], it))
			u++;
		if (j == 0 && u == x->nunres)
			return 0;
		if (j != 0 && (u == x->nunres || j - 1 < x->unres[u])) {
			if (load(x, j - 1, 0, &part) != 0 ||
			    join(x, &part, it) != 0)
				return -1;
			for (k = 0; k < nintos &&
			     strcmp(intos[k], part_into(&part)) != 0;
			     k++)
				;
			if (k == nintos && nintos < MAX_INTOS)
				intos[nintos++] = part_into(&part);
			j = x->slots[j - 1].first;
			continue;
		}
		if (load(x, x->unres[u], 1, &part) != 0 ||
		    unresolved(x, &part, it, intos, nintos) != 0)
			return -1;
		u++;
	}
}

/* A grouped target's group key (by value, else by reference), or NULL. */
static const char *
group_key(struct tf_read *x, const struct tf_item *it)
{
	return it->gkey != NULL ? it->gkey : group_by_reference(x, it);
}

/*
 * Give a grouped target the canonical attributes of its group, itself
 * included, in plan order (grouped types are never join targets: their
 * attributes are as spilled).
 */
static int
group(struct tf_read *x, struct tf_item *it)
{
	const char *g = group_key(x, it), *mg;
	struct doc_node *l;
	struct tf_item m;
	struct tf_conv c;
	uint64_t h;
	size_t e;

	if (g == NULL)
		return 0;
	memset(&c, 0, sizeof(c));
	c.a = x->s;
	c.m = &it->mark;
	if ((l = src_seq(x->s, &it->mark)) == NULL)
		return -1;
	h = hash_of('g', it->t->tf, "", g, strlen(g));
	for (e = first_of(x, h); is_hash(x, e, h); e++) {
		if (load(x, x->ents[e].idx, 0, &m) != 0)
			return -1;
		if (m.t == it->t && (mg = group_key(x, &m)) != NULL &&
		    strcmp(mg, g) == 0 && doc_seq_push(x->s, l, m.attrs) != 0)
			return -1;
	}
	return tf_set(&c, it->attrs, it->t->group_into, l);
}

/* Target i, joined, completed and handed over. */
static int
emit_target(struct tf_read *x, uint32_t i)
{
	struct tf_item it;

	if (load(x, i, 0, &it) != 0 || replay(x, i, &it) != 0)
		goto fail;
	if (it.t->group != NULL && group(x, &it) != 0)
		goto fail;
	if (absent(x, &it) != 0)
		goto fail;
	return tf_emit(x, &it, it.t->type, it.address, x->s);
fail:
	return x->d->nerrors == 0 ? diag_sys(x->d, NULL, "out of memory") : -1;
}

/* The group keys known only by reference, now that the refs are read. */
static int
late_groups(struct tf_read *x)
{
	struct tf_item it;
	const char *g;
	uint32_t i;

	for (i = 0; i < x->nslots; i++) {
		if (!(x->slots[i].flags & TF_S_NOGKEY))
			continue;
		if ((x->s = arena_new()) == NULL || load(x, i, 1, &it) != 0)
			return -1;
		if ((g = group_by_reference(x, &it)) != NULL &&
		    add_entry(x, hash_of('g', it.t->tf, "", g, strlen(g)), i))
			return -1;
		arena_free(x->s);
		x->s = NULL;
	}
	return 0;
}

/* fn on every part (parts 1) or every target (0), in plan order. */
static int
each(struct tf_read *x, int parts, int (*fn)(struct tf_read *, uint32_t))
{
	uint32_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < x->nslots; i++) {
		if (!(x->slots[i].flags & TF_S_PART) != !parts)
			continue;
		rc = (x->s = arena_new()) == NULL ? -1 : fn(x, i);
		arena_free(x->s);
		x->s = NULL;
	}
	return rc;
}

int
tf_finish(struct tf_read *x)
{
	int rc = late_groups(x);

	if (rc == 0 && x->nents > 1)
		qsort(x->ents, x->nents, sizeof(x->ents[0]), ent_cmp);
	if (rc == 0)
		rc = each(x, 1, resolve);
	if (rc == 0)
		rc = each(x, 0, emit_target);
	arena_free(x->s);
	x->s = NULL;
	if (rc != 0 && x->d->nerrors == 0)
		diag_sys(x->d, NULL, "out of memory");
	return rc;
}
