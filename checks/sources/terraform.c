/*
 * terraform.c: the "terraform-plan" adapter.  `terraform show -json
 * PLANFILE` output, format versions 0.1 to 1.2: the planned state of
 * every managed resource that will exist after apply
 * (resource_changes[].change.after for create, update, no-op and the
 * replacements; never a delete or a forget), in root and child modules,
 * with count and for_each instances, each reported under its full
 * address.
 *
 * Memory: resource_changes[*] is streamed one change at a time.  The
 * resources that other resources configure (buckets, security groups,
 * network ACLs: the `deferred` types of a provider table) and those parts
 * are converted and spilled to a temporary file (terraform_spill.c),
 * with a slot and a few hashes each in memory; at the end the parts are
 * joined (terraform_join.c): by value when the part's reference is
 * known, else by the reference the plan's `configuration` shows.  The
 * configuration is read in a second pass over a regular file, as one
 * element (configuration.root_module, bounded by the loader's
 * per-element limit); it grows with the source code, not with the number
 * of instances.  Nothing else is kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/sources/terraform.h"
#include "checks/sources/terraform_impl.h"

/* One table per provider; a provider added is one line here. */
const struct tf_provider *const tf_providers[] = {
	&tf_aws,
	&tf_azure,
	&tf_google,
	&tf_oci,
};

#define NPROVIDERS (sizeof(tf_providers) / sizeof(tf_providers[0]))

const size_t tf_nproviders = NPROVIDERS;

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

int
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

/*
 * The known values of every attribute the parts of a target's type name
 * it by (a group's name for its rules, its id for its flow logs).
 */
static int
target_keys(struct arena *a, struct tf_item *it, const struct doc_node *after)
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
		    (it->keys = src_map(a, &it->mark)) == NULL)
			return -1;
		if ((s = src_str(a, v, &it->mark)) == NULL ||
		    src_set(a, it->keys, k, s) != 0)
			return -1;
	}
	return 0;
}

/*
 * A converted target or part: the values it is joined by, then to the
 * spill file (terraform_join.c), not kept in memory.
 */
static int
defer(struct tf_read *x, struct tf_item *it, const struct doc_node *rc,
    struct arena *a)
{
	const struct doc_node *after = doc_get(doc_get(rc, "change"), "after");
	const struct doc_node *unk =
	    doc_get(doc_get(rc, "change"), "after_unknown");
	const struct tf_type *t = it->t;
	const char *k = t->type != NULL ? NULL : t->ref;

	if (k != NULL)
		it->key = doc_str(doc_get(after, k));
	if (k != NULL && doc_get(unk, k) != NULL &&
	    doc_get(unk, k)->type == DOC_BOOL && doc_get(unk, k)->u.b)
		it->ref_unknown = 1;
	if (t->type != NULL && target_keys(a, it, after) != 0)
		return diag_sys(x->d, NULL, "out of memory");
	if (t->group != NULL && doc_str(doc_get(after, t->group)) != NULL &&
	    (it->gkey = arena_printf(
		 a, "=%s", doc_str(doc_get(after, t->group)))) == NULL)
		return diag_sys(x->d, NULL, "out of memory");
	if (t->dir_attr != NULL)
		it->dir = doc_str(doc_get(after, t->dir_attr));
	return tf_index(x, it);
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
	if (t->type == NULL || t->deferred)
		return defer(x, &it, rc, a);
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

const char *
tf_module_path(struct arena *a, const char *module)
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

/* ------------------------------------------------------------ adapter */

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
	x.spill.fd = -1;
	x.d = d;
	x.fn = fn;
	x.ctx = ctx;
	if ((x.a = arena_new()) == NULL ||
	    (x.path = arena_strdup(x.a, path)) == NULL) {
		diag_sys(d, &m, "out of memory");
		goto out;
	}
	m.file = x.path;
	if (tf_spill_open(&x.spill) != 0) {
		diag_err(d, &m,
		    "cannot create a temporary file for the plan's joins "
		    "(TMPDIR or /tmp): %s",
		    x.spill.why);
		goto out;
	}
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
	/* Standard input cannot be opened again, even from a file. */
	if (rc == 0 && x.needcfg) {
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
	tf_index_free(&x);
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
