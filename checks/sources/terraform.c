/*
 * terraform.c: the "terraform-plan" adapter.  `terraform show -json
 * PLANFILE` output, format versions 0.1 to 1.2: the planned state of
 * every managed resource that will exist after apply
 * (resource_changes[].change.after for create, update, no-op and the
 * replacements; never a delete or a forget), in root and child modules,
 * with count and for_each instances, each reported under its full
 * address.
 *
 * Memory: resource_changes[*] is streamed one change at a time.  Only the
 * resources that other resources configure (buckets, security groups,
 * network ACLs: the `deferred` types of a provider table) and those parts
 * are kept, converted, until the end, where the parts are joined: by
 * value when the part's reference is known, else by the reference the
 * plan's `configuration` shows.  The configuration is read in a second
 * pass over a regular file, as one element (configuration.root_module,
 * bounded by the loader's per-element limit); it grows with the source
 * code, not with the number of instances.  Nothing else is kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/sources/terraform.h"
#include "checks/sources/terraform_impl.h"

/* One table per provider; a provider added is one line here. */
static const struct tf_provider *const tf_providers[] = {
	&tf_aws,
	&tf_azure,
	&tf_google,
	&tf_oci,
};

#define NPROVIDERS (sizeof(tf_providers) / sizeof(tf_providers[0]))

/* A deferred resource or part, converted, in the read's arena. */
struct tf_item {
	const struct tf_type *t;
	const struct tf_provider *p;
	const char *address, *module, *name, *inst;
	struct mark mark;
	int created;
	struct doc_node *attrs; /* canonical attributes, or the part's */
	struct doc_node *unread; /* may be NULL */
	struct doc_node *info; /* the Terraform map */
	const char *key; /* parts: the known value of ref */
	/* Targets: target_key -> its known value, for each part type. */
	struct doc_node *keys;
	const char *dir; /* parts: the dir_attr value */
	const char *rerr; /* the whole resource is unreadable: why */
	const char *gkey; /* tf_type.group: the group's value, or NULL */
	int unknown; /* parts: some value is not known until apply */
	int ref_unknown; /* parts: the reference is known only after apply */
	struct tf_item *target; /* parts: where it was joined */
};

/* A reference of a part's configuration block, as the plan shows it. */
struct tf_ref {
	const char *module; /* "net.inner": module call names */
	const char *addr; /* "aws_s3_bucket_policy.p" */
	const char *to; /* "aws_s3_bucket.b" or "aws_s3_bucket.b[0]" */
	/*
	 * 1: `to` is an attribute the block of a target writes (one of its
	 * joinable attributes); 2: the target's block exists (to "").
	 */
	int set;
};

struct tf_read {
	struct diag *d;
	const char *path; /* owned copy: deferred marks point here */
	resource_fn fn;
	void *ctx;
	struct arena *a; /* lives for the whole read */
	struct tf_item **items;
	size_t nitems, capitems;
	struct tf_ref *refs;
	size_t nrefs, caprefs;
	const char *noconfig; /* why the configuration was not read */
	size_t emitted, deleted, data, unmapped, forgotten, changes;
	const char *unmapped_first;
};

char *
tf_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	char *s;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || (s = arena_alloc_uninit(a, (size_t)n + 1)) == NULL)
		return NULL;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static int
type_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tf_type *)elem)->tf);
}

/* The table entry of a tf type, and its provider; NULL when unmapped. */
static const struct tf_type *
tf_lookup(const char *tf, const struct tf_provider **pp)
{
	const struct tf_provider *p;
	size_t i;

	for (i = 0; i < NPROVIDERS; i++) {
		p = tf_providers[i];
		if (strncmp(tf, p->prefix, strlen(p->prefix)) != 0)
			continue;
		*pp = p;
		return bsearch(
		    tf, p->types, p->ntypes, sizeof(p->types[0]), type_cmp);
	}
	return NULL;
}

/* Re-point every mark of a tree kept past the stream at our path. */
static void
refile(struct doc_node *n, const char *file)
{
	size_t i;

	if (n == NULL)
		return;
	n->mark.file = file;
	if (n->type == DOC_SEQ)
		for (i = 0; i < n->u.seq.n; i++)
			refile(n->u.seq.items[i], file);
	else if (n->type == DOC_MAP)
		for (i = 0; i < n->u.map.n; i++) {
			n->u.map.pairs[i].key->mark.file = file;
			refile(n->u.map.pairs[i].val, file);
		}
}

/* Which actions the change has; -1 (with *bad) on an unknown one. */
#define ACT_CREATE 1
#define ACT_DELETE 2
#define ACT_KEEP 4 /* update, no-op, read */
#define ACT_FORGET 8

static int
tf_actions(const struct doc_node *acts, const char **bad)
{
	static const struct {
		const char *name;
		int bit;
	} known[] = {
		{ "create", ACT_CREATE },
		{ "delete", ACT_DELETE },
		{ "update", ACT_KEEP },
		{ "no-op", ACT_KEEP },
		{ "read", ACT_KEEP },
		{ "forget", ACT_FORGET },
	};
	const char *s;
	size_t i, j;
	int bits = 0;

	if (acts == NULL || acts->type != DOC_SEQ || acts->u.seq.n == 0) {
		*bad = "'change.actions' is not a list of actions";
		return -1;
	}
	for (i = 0; i < acts->u.seq.n; i++) {
		s = doc_str(acts->u.seq.items[i]);
		for (j = 0; s != NULL && j < sizeof(known) / sizeof(known[0]);
		     j++)
			if (strcmp(s, known[j].name) == 0)
				break;
		if (s == NULL || j == sizeof(known) / sizeof(known[0])) {
			*bad = s != NULL ? s : "(not a string)";
			return -1;
		}
		bits |= known[j].bit;
	}
	return bits;
}

/* "[0]" or "[\"a\"]" after "type.name" in the address, else "". */
static const char *
instance_of(const char *address, const char *tf, const char *name)
{
	size_t tl = strlen(tf), nl = strlen(name);
	const char *p = address, *hit = NULL;

	while ((p = strstr(p, tf)) != NULL) {
		if ((p == address || p[-1] == '.') && p[tl] == '.' &&
		    strncmp(p + tl + 1, name, nl) == 0 &&
		    (p[tl + 1 + nl] == '[' || p[tl + 1 + nl] == '\0'))
			hit = p + tl + 1 + nl;
		p += tl;
	}
	return hit != NULL ? hit : "";
}

/* The Terraform map every planned resource carries. */
static struct doc_node *
tf_info(struct tf_conv *c, const struct doc_node *rc, const char *address,
    const char *module, const char *tf, const char *name)
{
	struct doc_node *info, *v;
	const char *cfg;

	cfg = module != NULL && *module != '\0'
	    ? arena_printf(c->a, "%s.%s.%s", module, tf, name)
	    : arena_printf(c->a, "%s.%s", tf, name);
	if ((info = src_map(c->a, c->m)) == NULL || cfg == NULL ||
	    (v = src_str(c->a, address, c->m)) == NULL ||
	    src_set(c->a, info, "Address", v) != 0 ||
	    (v = src_str(c->a, cfg, c->m)) == NULL ||
	    src_set(c->a, info, "ConfigAddress", v) != 0)
		return NULL;
	if ((v = doc_get(doc_get(rc, "change"), "actions")) != NULL &&
	    src_set(c->a, info, "Actions", v) != 0)
		return NULL;
	if ((v = doc_get(rc, "provider_name")) != NULL &&
	    src_set(c->a, info, "ProviderName", v) != 0)
		return NULL;
	return info;
}

/* Hand one resource to the caller. */
static int
tf_emit(struct tf_read *x, const struct tf_item *it, const char *type,
    const char *id, struct arena *a)
{
	struct resource r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.id = id;
	r.source = x->path;
	r.mark = it->mark;
	r.attrs = it->attrs;
	r.read_error = it->rerr;
	r.provider = it->p->name;
	r.namespace =
	    it->module != NULL && *it->module != '\0' ? it->module : NULL;
	if (it->info != NULL && src_set(a, r.attrs, "Terraform", it->info))
		return diag_sys(x->d, NULL, "out of memory");
	if (it->unread != NULL && it->unread->u.map.n > 0) {
		if (src_set(a, r.attrs, RESOURCE_UNREADABLE, it->unread))
			return diag_sys(x->d, NULL, "out of memory");
		r.unreadable = it->unread;
	}
	x->emitted++;
	return x->fn(x->ctx, &r, a);
}

static int
keep_item(struct tf_read *x, struct tf_item *it)
{
	struct tf_item **v;
	size_t cap;

	if (x->nitems == x->capitems) {
		cap = x->capitems ? x->capitems * 2 : 64;
		v = arena_realloc(
		    x->a, x->items, x->capitems * sizeof(*v), cap * sizeof(*v));
		if (v == NULL)
			return -1;
		x->items = v;
		x->capitems = cap;
	}
	x->items[x->nitems++] = it;
	return 0;
}

/*
 * The known values of every attribute the parts of a target's type name
 * it by (a group's name for its rules, its id for its flow logs).
 */
static int
target_keys(struct tf_read *x, struct tf_item *it, const struct doc_node *after)
{
	const struct tf_provider *p = it->p;
	const char *v, *k;
	struct doc_node *s;
	size_t i;

	for (i = 0; i < p->ntypes; i++) {
		if (p->types[i].target == NULL ||
		    strcmp(p->types[i].target, it->t->tf) != 0)
			continue;
		k = p->types[i].target_key;
		if ((v = doc_str(doc_get(after, k))) == NULL)
			continue;
		if (it->keys == NULL &&
		    (it->keys = src_map(x->a, &it->mark)) == NULL)
			return -1;
		if ((s = src_str(x->a, v, &it->mark)) == NULL ||
		    src_set(x->a, it->keys, k, s) != 0)
			return -1;
	}
	return 0;
}

/* Copy a converted resource or part into the read's arena. */
static int
defer(struct tf_read *x, const struct tf_item *src, const struct doc_node *rc)
{
	const struct doc_node *after = doc_get(doc_get(rc, "change"), "after");
	const struct doc_node *unk =
	    doc_get(doc_get(rc, "change"), "after_unknown");
	const struct tf_type *t = src->t;
	const char *k = t->type != NULL ? NULL : t->ref;
	struct tf_item *it;

	if ((it = arena_alloc(x->a, sizeof(*it))) == NULL)
		return -1;
	*it = *src;
	it->address = arena_strdup(x->a, src->address);
	it->module = src->module ? arena_strdup(x->a, src->module) : NULL;
	it->name = arena_strdup(x->a, src->name);
	it->inst = arena_strdup(x->a, src->inst);
	it->mark.file = x->path;
	it->attrs = doc_copy(x->a, src->attrs);
	it->unread = src->unread ? doc_copy(x->a, src->unread) : NULL;
	it->info = doc_copy(x->a, src->info);
	if (src->rerr != NULL &&
	    (it->rerr = arena_strdup(x->a, src->rerr)) == NULL)
		return -1;
	if (it->address == NULL || it->name == NULL || it->inst == NULL ||
	    it->attrs == NULL || it->info == NULL ||
	    (src->unread != NULL && it->unread == NULL))
		return -1;
	refile(it->attrs, x->path);
	refile(it->unread, x->path);
	refile(it->info, x->path);
	if (k != NULL && doc_str(doc_get(after, k)) != NULL &&
	    (it->key = arena_strdup(x->a, doc_str(doc_get(after, k)))) == NULL)
		return -1;
	if (k != NULL && doc_get(unk, k) != NULL &&
	    doc_get(unk, k)->type == DOC_BOOL && doc_get(unk, k)->u.b)
		it->ref_unknown = 1;
	if (t->type != NULL && target_keys(x, it, after) != 0)
		return -1;
	if (t->group != NULL && doc_str(doc_get(after, t->group)) != NULL &&
	    (it->gkey = arena_printf(
		 x->a, "=%s", doc_str(doc_get(after, t->group)))) == NULL)
		return -1;
	if (t->dir_attr != NULL && doc_str(doc_get(after, t->dir_attr)) &&
	    (it->dir = arena_strdup(
		 x->a, doc_str(doc_get(after, t->dir_attr)))) == NULL)
		return -1;
	return keep_item(x, it);
}

/* Fields of a resource change every plan format has. */
struct tf_rc {
	const char *address, *mode, *tf, *name, *module;
	const struct doc_node *change, *after;
};

static int
tf_fields(struct tf_read *x, const struct doc_node *rc, struct tf_rc *f)
{
	static const char *const req[] = { "address", "mode", "type", "name" };
	const char **out[] = { &f->address, &f->mode, &f->tf, &f->name };
	size_t i;

	if (rc->type != DOC_MAP)
		return diag_err(x->d, &rc->mark,
		    "a resource change is %s, not an object",
		    doc_type_name(rc->type));
	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		if ((*out[i] = doc_str(doc_get(rc, req[i]))) == NULL)
			return diag_err(x->d, &rc->mark,
			    "resource change without a string '%s'", req[i]);
	f->module = doc_str(doc_get(rc, "module_address"));
	if ((f->change = doc_get(rc, "change")) == NULL ||
	    f->change->type != DOC_MAP)
		return diag_err(x->d, &rc->mark,
		    "resource change '%s' has no 'change' object", f->address);
	f->after = doc_get(f->change, "after");
	return 0;
}

/* One resource change of the stream. */
static int
tf_change(void *ctx, struct doc_node *rc, struct arena *a)
{
	struct tf_read *x = ctx;
	const struct tf_provider *p = NULL;
	const struct tf_type *t;
	struct tf_rc f;
	struct tf_conv c;
	struct tf_item it;
	const char *bad = NULL;
	int acts;

	x->changes++;
	if (tf_fields(x, rc, &f) != 0)
		return -1;
	if (strcmp(f.mode, "managed") != 0) {
		x->data++; /* data sources are read, not deployed */
		return 0;
	}
	if ((t = tf_lookup(f.tf, &p)) == NULL) {
		if (x->unmapped++ == 0 &&
		    (x->unmapped_first = arena_strdup(x->a, f.tf)) == NULL)
			return diag_sys(x->d, NULL, "out of memory");
		return 0;
	}
	memset(&c, 0, sizeof(c));
	memset(&it, 0, sizeof(it));
	c.a = a;
	c.m = &rc->mark;
	c.address = f.address;
	it.t = t;
	it.p = p;
	it.address = f.address;
	it.module = f.module;
	it.name = f.name;
	it.inst = instance_of(f.address, f.tf, f.name);
	it.mark = rc->mark;
	acts = tf_actions(doc_get(f.change, "actions"), &bad);
	if (acts > 0 && !(acts & (ACT_CREATE | ACT_KEEP))) {
		if (acts & ACT_FORGET)
			x->forgotten++;
		else
			x->deleted++;
		return 0;
	}
	it.created = acts > 0 && (acts & ACT_CREATE);
	if ((it.attrs = src_map(a, &rc->mark)) == NULL ||
	    (it.info = tf_info(&c, rc, f.address, f.module, f.tf, f.name)) ==
		NULL)
		return diag_sys(x->d, NULL, "out of memory");
	if (acts < 0)
		it.rerr = arena_printf(a, "unknown plan action '%s'", bad);
	else if (f.after == NULL || f.after->type != DOC_MAP)
		it.rerr = "the planned values ('change.after') are not an "
			  "object";
	if (acts < 0 || it.rerr != NULL) {
		if (it.rerr == NULL)
			return diag_sys(x->d, NULL, "out of memory");
	} else if (tf_convert(&c, it.attrs, t->attrs, f.after,
		       doc_get(f.change, "after_unknown"),
		       doc_get(f.change, "after_sensitive")) != 0)
		return diag_sys(x->d, NULL, "out of memory");
	if (c.oom)
		return diag_sys(x->d, NULL, "out of memory");
	if (c.defaults != NULL &&
	    src_set(a, it.info, "ProviderDefaults", c.defaults) != 0)
		return diag_sys(x->d, NULL, "out of memory");
	if (c.notin != NULL && src_set(a, it.info, "NotInPlan", c.notin) != 0)
		return diag_sys(x->d, NULL, "out of memory");
	it.unread = c.unread;
	it.unknown = c.unknown;
	if (t->type == NULL || t->deferred) {
		if (defer(x, &it, rc) != 0)
			return diag_sys(x->d, NULL, "out of memory");
		return 0;
	}
	return tf_emit(x, &it, t->type, f.address, a);
}

/* ------------------------------------------------- the configuration */

static int
keep_ref(struct tf_read *x, const char *module, const char *addr,
    const char *to, size_t tolen, int set)
{
	struct tf_ref *v;
	size_t cap;

	if (x->nrefs == x->caprefs) {
		cap = x->caprefs ? x->caprefs * 2 : 32;
		v = arena_realloc(
		    x->a, x->refs, x->caprefs * sizeof(*v), cap * sizeof(*v));
		if (v == NULL)
			return -1;
		x->refs = v;
		x->caprefs = cap;
	}
	v = &x->refs[x->nrefs];
	v->module = arena_strdup(x->a, module);
	v->addr = arena_strdup(x->a, addr);
	v->to = arena_strndup(x->a, to, tolen);
	v->set = set;
	if (v->module == NULL || v->addr == NULL || v->to == NULL)
		return -1;
	x->nrefs++;
	return 0;
}

/*
 * The first reference of expression `e` to a resource of type `target`:
 * "aws_s3_bucket.b.id" gives "aws_s3_bucket.b", "aws_s3_bucket.b[0]"
 * keeps its index.  Its length, or 0.
 */
static size_t
ref_to(const struct doc_node *e, const char *target, const char **out)
{
	const struct doc_node *refs = doc_get(e, "references");
	size_t i, tl = strlen(target), n;
	const char *s, *q;

	for (i = 0; refs != NULL && refs->type == DOC_SEQ && i < refs->u.seq.n;
	     i++) {
		if ((s = doc_str(refs->u.seq.items[i])) == NULL ||
		    strncmp(s, target, tl) != 0 || s[tl] != '.')
			continue;
		n = tl + 1 + strcspn(s + tl + 1, ".[");
		if (s[n] == '[' && (q = strchr(s + n, ']')) != NULL)
			n = (size_t)(q - s) + 1;
		*out = s;
		return n;
	}
	return 0;
}

/*
 * A target's block: which of its joinable attributes it writes.  They
 * are plain attributes (acl, policy), which the configuration always
 * shows when written; dynamic blocks never are, so a joinable block
 * known only after apply is never read as unset.
 */
static int
config_target(struct tf_read *x, const struct doc_node *r,
    const struct tf_type *t, const char *path, const char *addr)
{
	const struct doc_node *e = doc_get(r, "expressions");
	size_t i;
	const char *to;
	size_t n;

	if (keep_ref(x, path, addr, "", 0, 2) != 0)
		return -1;
	if (t->group != NULL &&
	    (n = ref_to(doc_get(e, t->group), t->group_ref, &to)) > 0 &&
	    keep_ref(x, path, addr, to, n, 3) != 0)
		return -1;
	for (i = 0; t->attrs[i].to != NULL; i++)
		if (t->attrs[i].joinable && t->attrs[i].conv != TF_BLOCK &&
		    t->attrs[i].conv != TF_LIST &&
		    doc_get(e, t->attrs[i].from) != NULL &&
		    keep_ref(x, path, addr, t->attrs[i].from,
			strlen(t->attrs[i].from), 1) != 0)
			return -1;
	return 0;
}

/* Walk one module of the configuration (depth-bounded). */
static int
config_module(
    struct tf_read *x, const struct doc_node *mod, const char *path, int depth)
{
	const struct doc_node *res, *calls, *r;
	const struct tf_provider *p;
	const struct tf_type *t;
	const char *tf, *addr, *to, *sub;
	size_t i, n;

	if (depth > 64)
		return diag_err(x->d, &mod->mark,
		    "modules nested more than 64 deep in 'configuration'");
	res = doc_get(mod, "resources");
	for (i = 0; res != NULL && res->type == DOC_SEQ && i < res->u.seq.n;
	     i++) {
		r = res->u.seq.items[i];
		tf = doc_str(doc_get(r, "type"));
		addr = doc_str(doc_get(r, "address"));
		if (tf == NULL || addr == NULL ||
		    (t = tf_lookup(tf, &p)) == NULL)
			continue;
		if (t->deferred && config_target(x, r, t, path, addr) != 0)
			return diag_sys(x->d, NULL, "out of memory");
		if (t->target == NULL)
			continue;
		n = ref_to(
		    doc_get(doc_get(r, "expressions"), t->ref), t->target, &to);
		if (n > 0 && keep_ref(x, path, addr, to, n, 0) != 0)
			return diag_sys(x->d, NULL, "out of memory");
	}
	calls = doc_get(mod, "module_calls");
	for (i = 0;
	     calls != NULL && calls->type == DOC_MAP && i < calls->u.map.n;
	     i++) {
		sub = *path != '\0'
		    ? arena_printf(
			  x->a, "%s.%s", path, calls->u.map.pairs[i].key->str)
		    : arena_strdup(x->a, calls->u.map.pairs[i].key->str);
		if (sub == NULL)
			return diag_sys(x->d, NULL, "out of memory");
		if (config_module(x,
			doc_get(calls->u.map.pairs[i].val, "module"), sub,
			depth + 1) != 0)
			return -1;
	}
	return 0;
}

static int
tf_config(void *ctx, struct doc_node *root, struct arena *a)
{
	(void)a;
	return config_module(ctx, root, "", 0);
}

/* "module.a[0].module.b" as "a.b", the configuration's module path. */
static const char *
module_path(struct arena *a, const char *module)
{
	struct strbuf sb;
	const char *p = module;
	size_t n;
	char *s;

	if (module == NULL)
		return "";
	sb_init(&sb);
	while (strncmp(p, "module.", 7) == 0) {
		p += 7;
		n = strcspn(p, ".[");
		if (sb.len > 0)
			sb_addc(&sb, '.');
		sb_add(&sb, p, n);
		p += n;
		if (*p == '[')
			p += strcspn(p, "]") + (p[strcspn(p, "]")] ? 1 : 0);
		if (*p == '.')
			p++;
	}
	s = sb.oom ? NULL : arena_strdup(a, sb.s != NULL ? sb.s : "");
	sb_free(&sb);
	return s;
}

/* ---------------------------------------------------------- joining */

static int
same_module(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* The target a part's configuration reference names, or NULL. */
static struct tf_item *
by_reference(struct tf_read *x, const struct tf_item *part)
{
	const char *mp = module_path(x->a, part->module), *addr, *to = NULL;
	const char *name, *idx;
	struct tf_item *hit = NULL, *it;
	size_t i, nl, nhits = 0;

	addr = arena_printf(x->a, "%s.%s", part->t->tf, part->name);
	for (i = 0; mp != NULL && addr != NULL && i < x->nrefs; i++)
		if (x->refs[i].set == 0 && strcmp(x->refs[i].module, mp) == 0 &&
		    strcmp(x->refs[i].addr, addr) == 0) {
			to = x->refs[i].to;
			break;
		}
	if (to == NULL)
		return NULL;
	name = to + strlen(part->t->target) + 1;
	idx = strchr(name, '[');
	nl = idx != NULL ? (size_t)(idx - name) : strlen(name);
	for (i = 0; i < x->nitems; i++) {
		it = x->items[i];
		if (it->t->type == NULL ||
		    strcmp(it->t->tf, part->t->target) != 0 ||
		    !same_module(it->module, part->module) ||
		    strlen(it->name) != nl || strncmp(it->name, name, nl) != 0)
			continue;
		if (idx != NULL && strcmp(it->inst, idx) != 0)
			continue;
		if (idx == NULL && nhits > 0 &&
		    strcmp(it->inst, part->inst) != 0)
			continue;
		if (idx == NULL && hit != NULL &&
		    strcmp(hit->inst, part->inst) == 0)
			continue;
		hit = it;
		nhits++;
	}
	/* Several instances, none of the part's own key: ambiguous. */
	if (idx == NULL && nhits > 1 && strcmp(hit->inst, part->inst) != 0)
		return NULL;
	return hit;
}

/* The target whose key is the part's known reference, or NULL. */
static struct tf_item *
by_value(struct tf_read *x, const struct tf_item *part)
{
	struct tf_item *it;
	size_t i;
	struct tf_item *hit = NULL;
	const char *v;

	for (i = 0; part->key != NULL && i < x->nitems; i++) {
		it = x->items[i];
		if (it->t->type != NULL &&
		    strcmp(it->t->tf, part->t->target) == 0 &&
		    (v = doc_str(doc_get(it->keys, part->t->target_key))) &&
		    strcmp(v, part->key) == 0) {
			/* Two targets of one name (resource groups): ambiguous. */
			if (hit != NULL)
				return NULL;
			hit = it;
		}
	}
	return hit;
}

/* Whether several targets bear the part's known reference. */
static int
ambiguous(const struct tf_read *x, const struct tf_item *part)
{
	size_t i, n = 0;

	const char *v;

	for (i = 0; i < x->nitems; i++)
		if (x->items[i]->t->type != NULL &&
		    strcmp(x->items[i]->t->tf, part->t->target) == 0 &&
		    (v = doc_str(doc_get(
			 x->items[i]->keys, part->t->target_key))) != NULL &&
		    strcmp(v, part->key) == 0)
			n++;
	return n > 1;
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
	c.a = x->a;
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
	c.a = x->a;
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
	c.a = x->a;
	c.m = &t->mark;
	part->target = t;
	if (v == NULL)
		return 0; /* the part sets nothing of it (null in the plan) */
	if (part->unread != NULL && part->t->unknown_as == NULL &&
	    part->unread->u.map.n > 0)
		return mark_item(x, t, into,
		    arena_printf(x->a, "%s (in %s)",
			doc_str(part->unread->u.map.pairs[0].val),
			part->address));
	if (!part->t->append) {
		unmark(t, into);
		return tf_set(&c, t->attrs, into, v);
	}
	l = tf_get(t->attrs, into);
	if (l == NULL || l->type != DOC_SEQ) {
		if ((l = src_seq(x->a, &t->mark)) == NULL ||
		    tf_set(&c, t->attrs, into, l) != 0)
			return -1;
	}
	if (v->type == DOC_SEQ) {
		for (i = 0; i < v->u.seq.n; i++)
			if (doc_seq_push(x->a, l, v->u.seq.items[i]) != 0)
				return -1;
		return 0;
	}
	return doc_seq_push(x->a, l, v);
}

/* Whether a part of the plan was joined into t's attribute `into`. */
static int
joined(const struct tf_read *x, const struct tf_item *t, const char *into)
{
	size_t i;

	for (i = 0; i < x->nitems; i++)
		if (x->items[i]->target == t &&
		    strcmp(part_into(x->items[i]), into) == 0)
			return 1;
	return 0;
}

/*
 * A part whose target is not in the plan.  Allow-only rules (security
 * group or ACL rules: `append`) are evaluated on their own, as the
 * rules this plan adds to a resource it does not show.  When the
 * reference is known only after apply and could not be resolved, the
 * part may belong to any target the plan creates: each of them gets the
 * part's attribute as unreadable (or a placeholder rule) unless a part
 * of its own already set it.
 */
static int
orphan(struct tf_read *x, struct tf_item *part, struct arena *a)
{
	const char *into = part_into(part), *type = NULL, *why;
	struct doc_node *v, *l, *ph;
	struct tf_item *it;
	const struct tf_type *tt;
	struct tf_conv c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.a = x->a;
	c.m = &part->mark;
	for (i = 0; i < part->p->ntypes && type == NULL; i++)
		if (strcmp(part->p->types[i].tf, part->t->target) == 0)
			type = part->p->types[i].type;
	if (type == NULL)
		return 0;
	if (part->ref_unknown || part->key == NULL) {
		why = arena_printf(x->a,
		    "%s (%s) configures a %s whose reference is known only "
		    "after apply and could not be resolved%s%s",
		    part->address, part->t->tf, part->t->target,
		    x->noconfig ? ": " : "", x->noconfig ? x->noconfig : "");
		if (why == NULL)
			return -1;
		for (i = 0; i < x->nitems; i++) {
			it = x->items[i];
			tt = it->t;
			if (tt->type == NULL || !it->created ||
			    strcmp(tt->tf, part->t->target) != 0)
				continue;
			if (!part->t->append) {
				if (!joined(x, it, into) &&
				    mark_item(x, it, into, why) != 0)
					return -1;
				continue;
			}
			ph = tf_placeholder(&c,
			    part->t->unknown_as != NULL ? part->t->unknown_as
							: "RuleAction",
			    part->address);
			l = tf_get(it->attrs, into);
			if (ph == NULL)
				return -1;
			if (l == NULL || l->type != DOC_SEQ) {
				if ((l = src_seq(x->a, &it->mark)) == NULL ||
				    tf_set(&c, it->attrs, into, l) != 0)
					return -1;
			}
			if (doc_seq_push(x->a, l, ph) != 0)
				return -1;
		}
	}
	if (!part->t->append)
		return 0;
	/* The rules alone, under the part's own address. */
	if ((v = part_value(x, part)) == NULL)
		return 0;
	if ((l = src_seq(x->a, &part->mark)) == NULL ||
	    doc_seq_push(x->a, l, v) != 0)
		return -1;
	part->attrs = src_map(x->a, &part->mark);
	if (part->attrs == NULL || tf_set(&c, part->attrs, into, l) != 0)
		return -1;
	if (part->key != NULL &&
	    (src_set(x->a, part->info, "JoinedTo",
		 src_str(x->a, part->key, &part->mark)) != 0))
		return -1;
	return tf_emit(x, part, type, part->address, a);
}

/*
 * Whether the configuration shows the target's block without the plain
 * attribute that maps to `into`: then a value known only after apply is
 * the provider reading back what the service holds, not the block's.
 */
static int
config_unset(struct tf_read *x, const struct tf_item *it, const char *into)
{
	const char *mp = module_path(x->a, it->module), *addr, *from = NULL;
	size_t i;
	int seen = 0;

	for (i = 0; it->t->attrs[i].to != NULL; i++)
		if (strcmp(it->t->attrs[i].to, into) == 0 &&
		    it->t->attrs[i].joinable &&
		    it->t->attrs[i].conv != TF_BLOCK &&
		    it->t->attrs[i].conv != TF_LIST)
			from = it->t->attrs[i].from;
	addr = arena_printf(x->a, "%s.%s", it->t->tf, it->name);
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
	c.a = x->a;
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
			if (src_not_configured(x->a, it->attrs, ab->into,
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
				if ((defs = src_map(x->a, &it->mark)) == NULL ||
				    src_set(x->a, it->info, "ProviderDefaults",
					defs) != 0)
					return -1;
			}
			if ((s = src_str(x->a, ab->src, &it->mark)) == NULL ||
			    src_set(x->a, defs, ab->into, s) != 0)
				return -1;
			continue;
		}
		/*
		 * Absent, as an export that lacks the call's file: a check
		 * reading it is error; the reason is in the evidence.
		 */
		why = arena_printf(x->a,
		    "not in the plan: no %s sets it for this %s; its value "
		    "after apply is set outside this configuration",
		    ab->part, it->created ? "new resource" : "resource");
		if ((defs = doc_get(it->info, "NotInPlan")) == NULL) {
			if ((defs = src_map(x->a, &it->mark)) == NULL ||
			    src_set(x->a, it->info, "NotInPlan", defs) != 0)
				return -1;
		}
		if (doc_get(defs, ab->into) != NULL)
			continue; /* not known until apply, said already */
		if (why == NULL ||
		    (s = src_str(x->a, why, &it->mark)) == NULL ||
		    src_set(x->a, defs, ab->into, s) != 0)
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
	const char *mp = module_path(x->a, it->module), *addr;
	size_t i;

	addr = arena_printf(x->a, "%s.%s", it->t->tf, it->name);
	for (i = 0; mp != NULL && addr != NULL && i < x->nrefs; i++)
		if (x->refs[i].set == 3 && strcmp(x->refs[i].module, mp) == 0 &&
		    strcmp(x->refs[i].addr, addr) == 0)
			return arena_printf(x->a, "%s|%s",
			    it->module != NULL ? it->module : "",
			    x->refs[i].to);
	return NULL;
}

/* Give every grouped target the canonical attributes of its group. */
static int
tf_groups(struct tf_read *x)
{
	struct doc_node **snap, *l;
	struct tf_conv c;
	struct tf_item *it;
	size_t i, j;

	if ((snap = arena_alloc(x->a, (x->nitems + 1) * sizeof(*snap))) == NULL)
		return -1;
	for (i = 0; i < x->nitems; i++) {
		it = x->items[i];
		if (it->t->group == NULL)
			continue;
		if (it->gkey == NULL)
			it->gkey = group_by_reference(x, it);
		/* A copy: the group's list holds each member's attributes. */
		if ((snap[i] = doc_copy(x->a, it->attrs)) == NULL)
			return -1;
	}
	memset(&c, 0, sizeof(c));
	c.a = x->a;
	for (i = 0; i < x->nitems; i++) {
		it = x->items[i];
		if (it->t->group == NULL || it->gkey == NULL)
			continue;
		c.m = &it->mark;
		if ((l = src_seq(x->a, &it->mark)) == NULL)
			return -1;
		for (j = 0; j < x->nitems; j++)
			if (x->items[j]->t == it->t && x->items[j]->gkey &&
			    strcmp(x->items[j]->gkey, it->gkey) == 0 &&
			    doc_seq_push(x->a, l, snap[j]) != 0)
				return -1;
		if (tf_set(&c, it->attrs, it->t->group_into, l) != 0)
			return -1;
	}
	return 0;
}

/* Join every part, then hand the deferred resources over. */
static int
tf_finish(struct tf_read *x)
{
	struct tf_item *it, *t;
	struct arena *a;
	size_t i;
	int rc = 0;

	if ((a = arena_new()) == NULL)
		return diag_sys(x->d, NULL, "out of memory");
	for (i = 0; i < x->nitems && rc == 0; i++) {
		it = x->items[i];
		if (it->t->type != NULL)
			continue;
		if ((t = by_value(x, it)) == NULL && it->key == NULL)
			t = by_reference(x, it);
		/* Named, but several targets bear the name: any of them. */
		if (t == NULL && it->key != NULL && ambiguous(x, it))
			it->ref_unknown = 1;
		if (t != NULL)
			rc = join(x, it, t);
		else
			rc = orphan(x, it, a);
		if (rc != 0 && x->d->nerrors == 0)
			diag_sys(x->d, NULL, "out of memory");
	}
	if (rc == 0 && tf_groups(x) != 0)
		rc = diag_sys(x->d, NULL, "out of memory");
	for (i = 0; i < x->nitems && rc == 0; i++) {
		it = x->items[i];
		if (it->t->type == NULL)
			continue;
		if (absent(x, it) != 0) {
			rc = diag_sys(x->d, NULL, "out of memory");
			break;
		}
		rc = tf_emit(x, it, it->t->type, it->address, a);
	}
	arena_free(a);
	return rc;
}

/* ------------------------------------------------------------ adapter */

/* Whether a part still needs the configuration to find its target. */
static int
need_config(const struct tf_read *x)
{
	size_t i;
	for (i = 0; i < x->nitems; i++)
		if ((x->items[i]->t->type == NULL &&
			x->items[i]->key == NULL) ||
		    (x->items[i]->t->group != NULL &&
			x->items[i]->gkey == NULL) ||
		    doc_get(x->items[i]->info, "NotInPlan") != NULL)
			return 1;
	return 0;
}

/*
 * The head as ASCII for key detection: a plan saved by Windows
 * PowerShell is UTF-16 with a byte-order mark (its code units above
 * 0x7f become '?').  *buf is lib_malloc'd when it differs from head.
 */
static const char *
head_ascii(const char *head, size_t len, size_t *outlen, char **buf)
{
	const unsigned char *u = (const unsigned char *)head;
	size_t i, n = 0;
	int le;

	*buf = NULL;
	*outlen = len;
	if (len < 2 ||
	    !((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
		return head;
	le = u[0] == 0xff;
	if ((*buf = lib_malloc(len / 2 + 1)) == NULL)
		return head;
	for (i = 2; i + 1 < len; i += 2) {
		unsigned int cu = le ? (unsigned int)(u[i] | u[i + 1] << 8)
				     : (unsigned int)(u[i] << 8 | u[i + 1]);

		(*buf)[n++] = cu > 0 && cu < 0x80 ? (char)cu : '?';
	}
	(*buf)[n] = '\0';
	*outlen = n;
	return *buf;
}

/* 0: not Terraform; 1: a plan; 2: a state (values, no plan keys). */
static int
tf_kind(const char *head, size_t len)
{
	char *buf;
	const char *h = head_ascii(head, len, &len, &buf);
	int kind = 0;

	if (src_has_key(h, len, "format_version") &&
	    (src_has_key(h, len, "planned_values") ||
		src_has_key(h, len, "resource_changes") ||
		src_has_key(h, len, "prior_state")))
		kind = 1;
	else if (src_has_key(h, len, "format_version") &&
	    src_has_key(h, len, "terraform_version"))
		/*
		 * A state holds "values" at the top; a plan whose variables
		 * fill the head shows neither yet: read it as a plan.
		 */
		kind = src_has_key(h, len, "values") &&
			!src_has_key(h, len, "variables")
		    ? 2
		    : 1;
	lib_free(buf);
	return kind;
}

static int
tf_detect(const char *path, int is_dir, const char *head, size_t len)
{
	(void)path;
	if (is_dir || head == NULL)
		return 0;
	return tf_kind(head, len) != 0 ? 95 : 0;
}

static void
tf_notes(struct tf_read *x)
{
	struct mark m = { x->path, 0, 0 };

	if (x->deleted > 0)
		diag_note(x->d, &m,
		    "%zu resources the plan deletes are not evaluated",
		    x->deleted);
	if (x->forgotten > 0)
		diag_note(x->d, &m,
		    "%zu resources the plan removes from state (forget) are "
		    "not evaluated",
		    x->forgotten);
	if (x->data > 0)
		diag_note(
		    x->d, &m, "%zu data sources are not evaluated", x->data);
	if (x->unmapped > 0)
		diag_note(x->d, &m,
		    "%zu planned resources of types rampart does not map "
		    "(such as '%s') are not evaluated",
		    x->unmapped, x->unmapped_first);
}

static int
tf_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	struct tf_read x;
	struct mark m = { path, 0, 0 };
	struct load_limits ol, cl;
	struct input own, *in;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	memset(&own, 0, sizeof(own));
	x.d = d;
	x.fn = fn;
	x.ctx = ctx;
	if ((x.a = arena_new()) == NULL ||
	    (x.path = arena_strdup(x.a, path)) == NULL) {
		diag_sys(d, &m, "out of memory");
		goto out;
	}
	m.file = x.path;
	/* Read once: through the caller's opened input, else our own. */
	if ((in = input_of(lim, path)) == NULL) {
		if (lim != NULL)
			ol = *lim;
		else
			load_limits_default(&ol);
		if (input_open(d, path, &own) == -1)
			goto out;
		ol.input = in = &own;
		lim = &ol;
	}
	if (!in->is_dir && tf_kind(in->head, in->hlen) == 2) {
		diag_err(d, &m,
		    "'%s' is a Terraform state ('values'), not a plan: give "
		    "the output of 'terraform show -json PLANFILE'",
		    path);
		goto out;
	}
	rc = doc_stream_file(d, path, DOC_FMT_JSON, "resource_changes[*]", lim,
	    tf_change, &x, NULL);
	if (rc == 0 &&
	    need_config(
		&x)) { /* Standard input cannot be opened again, even from a file. */
		if (!in->is_regular || strcmp(path, "-") == 0) {
			x.noconfig =
			    "the plan was read from a pipe or standard "
			    "input, so its 'configuration' could not "
			    "be read again; give it as a file";
		} else {
			cl = *lim;
			cl.input = NULL;
			cl.digest = NULL;
			rc = doc_stream_file(d, path, DOC_FMT_JSON,
			    "configuration.root_module", &cl, tf_config, &x,
			    NULL);
		}
	}
	if (rc == 0)
		rc = tf_finish(&x);
	if (rc == 0)
		tf_notes(&x);
out:
	if (nresources != NULL)
		*nresources = x.emitted;
	arena_free(x.a);
	input_close(&own);
	return rc;
}

const struct adapter adapter_terraform_plan = {
	.name = "terraform-plan",
	.summary = "Terraform plans: the output of 'terraform show -json "
		   "PLANFILE' (format 0.1 to 1.2)",
	.detect = tf_detect,
	.read = tf_read,
};
