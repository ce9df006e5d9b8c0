/*
 * engine.c: evaluation.  Each resource streamed from an input is handed
 * to every check whose resource types include it; results are aggregated
 * per check, then per control (with POA&M waivers), then into the
 * placement verdict.  Missing or unreadable evidence is `error`, never
 * `pass`: a check that sees no resource is `not_applicable` only when
 * the rule does not require its evidence.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "rules/rules.h"

/*
 * Which checks take each resource type seen so far, so a resource costs
 * one lookup instead of a string comparison per check and type; at most
 * RUN_TYPE_CACHE types, the rest compared.
 */
#define RUN_TYPE_CACHE 64

struct run_type_wants {
	char *type; /* in the run's arena */
	unsigned char *want; /* one per check: 1 when it takes the type */
};

struct run_private {
	/* The arena of the run that made it: partial runs share it. */
	struct arena *a;
	/* Arenas of folded partial runs, which hold results (run_fold()). */
	struct arena **adopted;
	size_t nadopted, adopted_cap;
	struct run_type_wants wants[RUN_TYPE_CACHE];
	size_t nwants;
};

const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_ELIGIBLE:
		return "eligible";
	case VERDICT_NOT_ELIGIBLE:
		return "not_eligible";
	default:
		return "incomplete";
	}
}

/* Effective parameters: the rule's defaults overlaid with the binding. */
static struct doc_node *
effective_params(
    struct arena *a, const struct rule *r, const struct doc_node *bound)
{
	struct doc_node *m;
	size_t i, j;
	int over;

	if ((m = doc_new(a, DOC_MAP, &r->mark)) == NULL)
		return NULL;
	for (i = 0; r->params != NULL && i < r->params->u.map.n; i++) {
		over = 0;
		for (j = 0; bound != NULL && j < bound->u.map.n; j++)
			if (strcmp(bound->u.map.pairs[j].key->str,
				r->params->u.map.pairs[i].key->str) == 0)
				over = 1;
		if (!over &&
		    doc_map_put(a, m, r->params->u.map.pairs[i].key,
			r->params->u.map.pairs[i].val) == -1)
			return NULL;
	}
	for (j = 0; bound != NULL && j < bound->u.map.n; j++)
		if (doc_map_put(a, m, bound->u.map.pairs[j].key,
			bound->u.map.pairs[j].val) == -1)
			return NULL;
	return m;
}

/* Parameters as a canonical map for comparison (order-insensitive). */
static int
params_equal(const struct doc_node *x, const struct doc_node *y)
{
	size_t i;
	const struct doc_node *v;

	if (x->u.map.n != y->u.map.n)
		return 0;
	for (i = 0; i < x->u.map.n; i++) {
		v = doc_get(y, x->u.map.pairs[i].key->str);
		if (v == NULL || !doc_equal(v, x->u.map.pairs[i].val))
			return 0;
	}
	return 1;
}

void
run_free(struct run *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->as.nchecks; i++)
		lib_free(r->as.checks[i].results);
	/* Partial runs share their template's private part. */
	if (r->priv != NULL && r->priv->a == r->as.a) {
		for (i = 0; i < r->priv->nadopted; i++)
			arena_free(r->priv->adopted[i]);
		lib_free(r->priv->adopted);
	}
	lib_free(r->block);
	arena_free(r->as.a);
	lib_free(r);
}

int
run_adopt_arena(struct run *r, struct arena *a)
{
	struct run_private *p = r->priv;
	struct arena **v;
	size_t ncap;

	if (p->nadopted == p->adopted_cap) {
		ncap = p->adopted_cap ? p->adopted_cap * 2 : 16;
		if ((v = lib_realloc(p->adopted, ncap * sizeof(*v))) == NULL)
			return diag_sys(r->d, NULL, "out of memory");
		p->adopted = v;
		p->adopted_cap = ncap;
	}
	p->adopted[p->nadopted++] = a;
	return 0;
}

/* An empty run and its arena, or NULL (said in d). */
static struct run *
run_alloc(struct diag *d, struct baseline *bl, struct rule_set *rs)
{
	struct run *r;

	if ((r = lib_calloc(1, sizeof(*r))) == NULL ||
	    (r->as.a = arena_new()) == NULL) {
		lib_free(r);
		diag_sys(d, NULL, "out of memory");
		return NULL;
	}
	r->d = d;
	r->as.bl = bl;
	r->as.rs = rs;
	return r;
}

struct run *
run_new(struct diag *d, struct baseline *bl, struct rule_set *rs,
    struct poam *poam, const struct run_opts *opts)
{
	struct run *r;
	struct control *c;
	struct control_outcome *co;
	struct check_outcome *o;
	struct doc_node *p;
	size_t i, j, k, total = 0;

	if ((r = run_alloc(d, bl, rs)) == NULL)
		return NULL;
	r->as.poam = poam;
	if (opts != NULL)
		r->as.opts = *opts;
	else {
		r->as.opts.max_results = RUN_DEFAULT_MAX_RESULTS;
		load_limits_default(&r->as.opts.lim);
	}
	if (r->as.opts.now == 0)
		r->as.opts.now = (int64_t)time(NULL);
	r->as.started = r->as.opts.now;
	for (i = 0; i < bl->ncontrols; i++)
		total += bl->controls[i].nchecks;
	r->as.checks =
	    arena_alloc(r->as.a, (total + 1) * sizeof(*r->as.checks));
	r->as.controls =
	    arena_alloc(r->as.a, (bl->ncontrols + 1) * sizeof(*r->as.controls));
	r->priv = arena_alloc(r->as.a, sizeof(*r->priv));
	if (r->as.checks == NULL || r->as.controls == NULL || r->priv == NULL)
		goto oom;
	r->priv->a = r->as.a;
	r->as.ncontrols = bl->ncontrols;
	for (i = 0; i < bl->ncontrols; i++) {
		c = &bl->controls[i];
		co = &r->as.controls[i];
		co->control = c;
		/*
		 * Inherited controls run their checks too: a failing check
		 * contradicts the CRM and must surface (decide.c).
		 */
		if (c->nchecks == 0)
			continue;
		co->checks =
		    arena_alloc(r->as.a, c->nchecks * sizeof(*co->checks));
		if (co->checks == NULL)
			goto oom;
		for (j = 0; j < c->nchecks; j++) {
			if (c->checks[j].rule == NULL) {
				diag_err(d, &c->checks[j].mark,
				    "check '%s' of "
				    "control '%s' is not loaded",
				    c->checks[j].check_id, c->id);
				run_free(r);
				return NULL;
			}
			p = effective_params(
			    r->as.a, c->checks[j].rule, c->checks[j].params);
			if (p == NULL)
				goto oom;
			for (k = 0; k < r->as.nchecks; k++)
				if (r->as.checks[k].rule == c->checks[j].rule &&
				    params_equal(r->as.checks[k].params, p))
					break;
			if (k == r->as.nchecks) {
				o = &r->as.checks[r->as.nchecks++];
				o->rule = c->checks[j].rule;
				o->params = p;
				o->param_src = c->checks[j].param_src;
				o->not_run = run_selection_excludes(
				    &r->as.opts.sel, o->rule);
				o->seen =
				    arena_alloc(r->as.a, o->rule->ntypes + 1);
				if (o->seen == NULL)
					goto oom;
				memset(o->seen, 0, o->rule->ntypes + 1);
			}
			co->checks[co->nchecks].full = c->checks[j].full;
			co->checks[co->nchecks].objective =
			    c->checks[j].objective;
			co->checks[co->nchecks].nobjective =
			    c->checks[j].nobjective;
			co->checks[co->nchecks++].outcome = &r->as.checks[k];
		}
	}
	return r;
oom:
	diag_sys(d, NULL, "out of memory");
	run_free(r);
	return NULL;
}

struct run *
run_partial(const struct run *tmpl, struct diag *d)
{
	struct run *r;
	const struct check_outcome *t;
	struct check_outcome *o;
	unsigned char *seen;
	size_t i, size;

	if ((r = run_alloc(d, tmpl->as.bl, tmpl->as.rs)) == NULL)
		return NULL;
	r->as.opts = tmpl->as.opts;
	r->as.started = tmpl->as.started;
	r->priv = tmpl->priv;
	/* One block for the checks and their seen flags, out of the arena:
	 * the fold may take the arena, which should hold results alone. */
	size = (tmpl->as.nchecks + 1) * sizeof(*r->as.checks);
	for (i = 0; i < tmpl->as.nchecks; i++)
		size += tmpl->as.checks[i].rule->ntypes + 1;
	if ((r->block = lib_calloc(1, size)) == NULL) {
		diag_sys(d, NULL, "out of memory");
		run_free(r);
		return NULL;
	}
	r->as.checks = r->block;
	seen = (unsigned char *)(r->as.checks + tmpl->as.nchecks + 1);
	for (i = 0; i < tmpl->as.nchecks; i++) {
		t = &tmpl->as.checks[i];
		o = &r->as.checks[i];
		o->rule = t->rule;
		o->params = t->params;
		o->param_src = t->param_src;
		o->not_run = t->not_run;
		o->seen = seen;
		seen += o->rule->ntypes + 1;
	}
	r->as.nchecks = tmpl->as.nchecks;
	return r;
}

/* Mark the rule types of o that match type as seen (evidence exists). */
static void
mark_seen(struct check_outcome *o, const char *type)
{
	size_t i;

	for (i = 0; i < o->rule->ntypes; i++)
		if (!o->seen[i] &&
		    (strcmp(o->rule->types[i], type) == 0 ||
			strcmp(o->rule->types[i], "*") == 0))
			o->seen[i] = 1;
}

const char *
run_selection_excludes(const struct run_selection *sel, const struct rule *r)
{
	size_t i;

	for (i = 0; i < sel->nskip; i++)
		if (fnmatch(sel->skip[i], r->id, 0) == 0)
			return "not run: --skip-check";
	for (i = 0; i < sel->nonly; i++)
		if (fnmatch(sel->only[i], r->id, 0) == 0)
			break;
	if (sel->nonly > 0 && i == sel->nonly)
		return "not run: not chosen by --check";
	if (r->severity < sel->min_severity)
		return "not run: below --severity";
	return NULL;
}

static int
rule_wants(const struct rule *ru, const char *type)
{
	size_t i;

	for (i = 0; i < ru->ntypes; i++)
		if (strcmp(ru->types[i], type) == 0 ||
		    strcmp(ru->types[i], "*") == 0)
			return 1;
	return 0;
}

/*
 * The checks that take resources of this type: one flag per check, from
 * the run's cache (filled on first sight of a type), or NULL when the
 * cache is full, the name long, or memory ran out (then each check is
 * asked).
 */
static const unsigned char *
type_wants(struct run *r, const char *type)
{
	struct run_private *p = r->priv;
	struct run_type_wants *w;
	size_t i;

	for (i = 0; i < p->nwants; i++)
		if (strcmp(p->wants[i].type, type) == 0)
			return p->wants[i].want;
	/* Bounded memory whatever the input: few types, short names. */
	if (p->nwants == RUN_TYPE_CACHE || strlen(type) > 128)
		return NULL;
	w = &p->wants[p->nwants];
	if ((w->type = arena_strdup(p->a, type)) == NULL ||
	    (w->want = arena_alloc(p->a, r->as.nchecks + 1)) == NULL)
		return NULL;
	for (i = 0; i < r->as.nchecks; i++)
		w->want[i] = r->as.checks[i].not_run == NULL &&
		    rule_wants(r->as.checks[i].rule, type);
	p->nwants++;
	return w->want;
}

static const char *
copy_str(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strdup(a, s);
}

/* Keep a result: deep-copy it from the resource arena into the run's. */
static int
keep_result(
    struct run *r, struct check_outcome *o, const struct check_result *res)
{
	struct check_result *dst, *v;
	size_t i, ncap;

	if (o->n == o->cap) {
		ncap = o->cap ? o->cap * 2 : 16;
		if ((v = lib_realloc(o->results, ncap * sizeof(*v))) == NULL)
			return diag_sys(r->d, NULL, "out of memory");
		o->results = v;
		o->cap = ncap;
	}
	dst = &o->results[o->n];
	memset(dst, 0, sizeof(*dst));
	dst->status = res->status;
	dst->resource_id = copy_str(r->as.a, res->resource_id);
	dst->resource_type = copy_str(r->as.a, res->resource_type);
	dst->region = copy_str(r->as.a, res->region);
	dst->account = copy_str(r->as.a, res->account);
	dst->namespace = copy_str(r->as.a, res->namespace);
	dst->message = copy_str(r->as.a, res->message);
	if (res->nev > 0) {
		dst->ev = arena_alloc(r->as.a, res->nev * sizeof(*dst->ev));
		if (dst->ev == NULL)
			return diag_sys(r->d, NULL, "out of memory");
		for (i = 0; i < res->nev; i++) {
			dst->ev[i].path = copy_str(r->as.a, res->ev[i].path);
			dst->ev[i].value = copy_str(r->as.a, res->ev[i].value);
			dst->ev[i].source = res->ev[i].source;
			dst->ev[i].source.file =
			    copy_str(r->as.a, res->ev[i].source.file);
		}
		dst->nev = res->nev;
	}
	o->n++;
	return 0;
}

struct input_ctx {
	struct run *r;
	struct input_info *in;
};

/*
 * Why no check can read the resource: its read_error, or, for a plugin
 * (what it reads is unknown), the first of its unreadable attributes.
 * NULL when it can be evaluated.
 */
static const char *
unreadable_for(const struct check_outcome *o, const struct resource *res)
{
	const struct doc_node *un = res->unreadable;
	const char *why;

	if (res->read_error != NULL)
		return res->read_error;
	if (o->rule->assert != NULL || un == NULL || un->type != DOC_MAP ||
	    un->u.map.n == 0)
		return NULL;
	why = doc_str(un->u.map.pairs[0].val);
	return why != NULL ? why : "unreadable";
}

/*
 * Evaluate check o on resource res into c (reset first).  status_only:
 * the result will not be listed, so evidence and message are skipped.
 * 0 or -1.
 */
static int
evaluate(struct run *r, struct check_outcome *o, const struct resource *res,
    struct arena *a, struct check_ctx *c, int status_only)
{
	const char *why;
	enum status st;

	memset(c, 0, sizeof(*c));
	c->a = a;
	c->d = r->d;
	c->params = o->params;
	c->now = r->as.opts.now;
	c->rule = o->rule;
	c->status_only = status_only;
	c->unreadable = res->unreadable;
	check_ctx_reset(c);
	if ((why = unreadable_for(o, res)) != NULL) {
		if (check_emit(c, res, ST_ERROR,
			"evidence could not be read: %s", why) == -1)
			return -1;
	} else if (o->rule->assert != NULL) {
		why = NULL;
		st = assert_eval(o->rule->assert, res->attrs, c, &why);
		if (check_emit(c, res, st, "%s", why ? why : "") == -1)
			return -1;
	} else if (o->rule->impl != NULL) {
		if (o->rule->impl->evaluate(c, res) == -1 && !c->emitted)
			check_emit(c, res, ST_ERROR,
			    "plugin '%s' "
			    "failed on this resource",
			    o->rule->impl->name);
		if (!c->emitted &&
		    check_emit(c, res, ST_ERROR,
			"plugin '%s' reported no result",
			o->rule->impl->name) == -1)
			return -1;
	} else {
		check_emit(c, res, ST_ERROR,
		    "check has no "
		    "evaluator");
	}
	return 0;
}

/* The statuses a check evaluation can yield. */
#define RESULT_STATUSES \
	(1u << ST_PASS | 1u << ST_FAIL | 1u << ST_ERROR | \
	    1u << ST_NOT_APPLICABLE)

/* Count a result of o and keep it when it is within the listing cap. */
static int
count_result(
    struct run *r, struct check_outcome *o, const struct check_result *res)
{
	size_t max = r->as.opts.max_results;

	o->counts[res->status]++;
	if (max == 0 || o->counts[res->status] <= max)
		return keep_result(r, o, res);
	return 0;
}

/*
 * A listing marker (check.h): a clean one tells the checks of its type
 * that "no resource" means none exist; one with read_error is an `error`
 * result for each of them, named after the listing.
 */
static int
on_listing(struct run *r, struct input_info *in, const struct resource *res)
{
	const unsigned char *wants = type_wants(r, res->type);
	struct check_outcome *o;
	struct check_result cr;
	struct evidence ev;
	size_t i;

	in->listings++;
	for (i = 0; i < r->as.nchecks; i++) {
		o = &r->as.checks[i];
		if (wants != NULL
			? !wants[i]
			: o->not_run != NULL || !rule_wants(o->rule, res->type))
			continue;
		mark_seen(o, res->type);
		if (res->read_error == NULL) {
			o->listed = 1;
			continue;
		}
		memset(&cr, 0, sizeof(cr));
		cr.status = ST_ERROR;
		cr.resource_type = res->type;
		cr.resource_id = res->id != NULL
		    ? res->id
		    : arena_printf(r->as.a, "listing of %s", res->type);
		cr.region = res->region;
		cr.account = res->account;
		cr.namespace = res->namespace;
		cr.message =
		    arena_printf(r->as.a, "listing of %s%s%s is incomplete: %s",
			res->type, res->region ? " in " : "",
			res->region ? res->region : "", res->read_error);
		memset(&ev, 0, sizeof(ev));
		ev.path = "listing";
		ev.source = res->mark;
		cr.ev = &ev;
		cr.nev = res->mark.file != NULL;
		if (cr.resource_id == NULL || cr.message == NULL)
			return diag_sys(r->d, NULL, "out of memory");
		if (count_result(r, o, &cr) == -1)
			return -1;
	}
	return 0;
}

static const char how_export[] = "recorded in the export";
static const char how_mtime[] = "file modification time";

/*
 * The capture time of a resource's evidence, and why it is too old to
 * decide anything (a message in the run's arena), or NULL when fresh.
 */
static const char *
stale_for(struct run *r, struct input_info *in, const struct resource *res)
{
	int64_t t = res->collected ? res->collected : in->collected;
	char when[32];

	/* The oldest capture time the export records wins over mtimes. */
	if (res->collected != 0 &&
	    (in->collected_how != how_export ||
		res->collected < in->collected)) {
		in->collected = res->collected;
		in->collected_how = how_export;
	}
	if (r->as.opts.max_evidence_age <= 0 || t == 0 ||
	    r->as.opts.now - t <= r->as.opts.max_evidence_age)
		return NULL;
	in->stale = 1;
	format_time(t, when);
	return arena_printf(r->as.a,
	    "evidence collected %s (%s) is older than the maximum evidence "
	    "age of %lld days",
	    when, res->collected ? how_export : in->collected_how,
	    (long long)(r->as.opts.max_evidence_age / 86400));
}

/* Record that the input (and so the run) holds evidence of type's provider. */
static void
note_provider(struct run *r, struct input_info *in, const char *type)
{
	enum provider p = provider_of_type(type);

	if (p == PROV_NONE)
		return;
	in->providers |= 1u << p;
	r->as.providers |= 1u << p;
}

static int
on_resource(void *ctx, const struct resource *res, struct arena *a)
{
	struct input_ctx *ic = ctx;
	struct run *r = ic->r;
	struct check_outcome *o;
	struct check_ctx c;
	const unsigned char *wants;
	struct resource stale;
	const char *old;
	size_t i, max = r->as.opts.max_results;
	unsigned room, s;

	if (res->type == NULL)
		return 0;
	note_provider(r, ic->in, res->type);
	if (res->listing)
		return on_listing(r, ic->in, res);
	if ((old = stale_for(r, ic->in, res)) != NULL &&
	    res->read_error == NULL) {
		stale = *res;
		stale.read_error = old;
		res = &stale;
	}
	wants = type_wants(r, res->type);
	ic->in->resources++;
	/* The input's account (input_info): the first resource naming one. */
	if (ic->in->account == NULL && res->account != NULL &&
	    (ic->in->account = arena_strdup(r->as.a, res->account)) == NULL)
		return diag_sys(r->d, NULL, "out of memory");
	for (i = 0; i < r->as.nchecks; i++) {
		o = &r->as.checks[i];
		if (wants != NULL
			? !wants[i]
			: o->not_run != NULL || !rule_wants(o->rule, res->type))
			continue;
		mark_seen(o, res->type);
		/*
		 * Results past --max-results for their status are only
		 * counted.  Once some status is full, evaluate for the status
		 * alone (no evidence to format, which is most of the cost);
		 * the few results that turn out to be listed are evaluated
		 * again in full, so listed results are exactly as before.
		 * Evaluation is deterministic: same resource, same result.
		 */
		room = RESULT_STATUSES;
		for (s = 0; max != 0 && s < ST_COUNT; s++)
			if (o->counts[s] >= max)
				room &= ~(1u << s);
		if (evaluate(r, o, res, a, &c, room != RESULT_STATUSES) == -1)
			return -1;
		if (c.status_only && (room >> c.result.status & 1) &&
		    evaluate(r, o, res, a, &c, 0) == -1)
			return -1;
		/* Keep every listed result up to the cap; count the rest. */
		if (count_result(r, o, &c.result) == -1)
			return -1;
	}
	return 0;
}

/* dir_digest()'s walk: the manifest being built, the oldest time. */
struct manifest {
	struct strbuf *sb;
	int64_t *oldest;
};

/* Add "relative-path NUL sha256 LF" of one file (dir_walk_files()). */
static int
manifest_add(void *ctx, const struct walk_file *f)
{
	struct manifest *mf = ctx;

	if (*mf->oldest == 0 || (int64_t)f->st->st_mtime < *mf->oldest)
		*mf->oldest = (int64_t)f->st->st_mtime;
	sb_adds(mf->sb, f->rel);
	sb_addc(mf->sb, '\0');
	sb_adds(mf->sb, f->sha256);
	sb_addc(mf->sb, '\n');
	return 0;
}

/*
 * Digest of a directory input: its manifest's sha256; *oldest gets the
 * oldest modification time of its files (0 when it holds none); ix (may
 * be NULL) the listings of its folders, for the reader.
 */
static int
dir_digest(struct diag *d, const char *path, char out[SHA256_HEX_LEN + 1],
    int64_t *oldest, struct dir_index *ix)
{
	struct mark m = { path, 0, 0 };
	struct strbuf sb;
	struct manifest mf = { &sb, oldest };
	int rc;

	sb_init(&sb);
	*oldest = 0;
	/* every regular file, in sorted order; links are not followed */
	rc = dir_walk_files(d, path, &m, 0, NULL, manifest_add, &mf, ix);
	if (rc == 0 && sb.oom)
		rc = diag_sys(d, NULL, "out of memory");
	if (rc == 0)
		sha256_hex(sb.s ? sb.s : "", sb.len, out);
	sb_free(&sb);
	return rc;
}

void
run_declare(struct run *r, const struct attest_set *attest,
    const struct crm *crm, const struct scope *scope)
{
	r->as.attest = attest;
	r->as.crm = crm;
	r->as.scope = scope;
}

void
run_shard(struct run *r, unsigned k, unsigned n, size_t total_inputs)
{
	r->as.shard.k = k;
	r->as.shard.of = n;
	r->as.shard.total_inputs = total_inputs;
}

void
run_shard_targets(struct run *r, size_t total_targets, size_t taken)
{
	r->as.shard.total_targets = total_targets;
	r->as.shard.targets = taken;
}

void
run_merged(struct run *r, unsigned n)
{
	r->as.shard.merged = n;
}

struct input_info *
run_add_input(struct run *r, const char *name, const char *format)
{
	struct input_info *v, *in;

	v = arena_realloc(r->as.a, r->as.inputs, r->as.ninputs * sizeof(*v),
	    (r->as.ninputs + 1) * sizeof(*v));
	if (v == NULL) {
		diag_sys(r->d, NULL, "out of memory");
		return NULL;
	}
	r->as.inputs = v;
	in = &r->as.inputs[r->as.ninputs++];
	memset(in, 0, sizeof(*in));
	if ((in->path = arena_strdup(r->as.a, name)) == NULL ||
	    (in->format = arena_strdup(r->as.a, format)) == NULL) {
		diag_sys(r->d, NULL, "out of memory");
		return NULL;
	}
	return in;
}

int
run_resource(struct run *r, struct input_info *in, const struct resource *res,
    struct arena *a)
{
	struct input_ctx ic = { r, in };

	return on_resource(&ic, res, a);
}

/*
 * run_input() on an input opened once (src): detection reads its head and
 * the adapter's loader continues from the same descriptor, so a pipe
 * (`-`, /dev/stdin, <(...), a FIFO) is read exactly once.
 */
static int
run_input_src(struct run *r, const char *path, const struct adapter *ad,
    struct input *src)
{
	struct input_info *v, *in;
	struct input_ctx ic;
	struct load_limits lim = r->as.opts.lim;
	struct load_digest dg;
	struct stat st;
	size_t n = 0;
	int is_dir = src->is_dir;

	if (ad == NULL && (ad = adapter_detect_input(r->d, src)) == NULL)
		return -1;
	v = arena_realloc(r->as.a, r->as.inputs, r->as.ninputs * sizeof(*v),
	    (r->as.ninputs + 1) * sizeof(*v));
	if (v == NULL)
		return diag_sys(r->d, NULL, "out of memory");
	r->as.inputs = v;
	in = &r->as.inputs[r->as.ninputs++];
	memset(in, 0, sizeof(*in));
	if ((in->path = arena_strdup(r->as.a, path)) == NULL)
		return diag_sys(r->d, NULL, "out of memory");
	in->format = ad->name;
	/*
	 * A file's digest is computed by the loader as it parses the file
	 * (struct load_digest, JSON and YAML alike), so a multi-gigabyte
	 * export is read once; only when the adapter's loader did not see
	 * every byte is a regular file read again here (a pipe cannot be).
	 */
	/* The digest's walk lists every folder: the reader asks those
	 * listings (lib.h, "directory index") instead of the kernel. */
	if (is_dir && src->dirs == NULL &&
	    (src->dirs = dir_index_new()) == NULL)
		return diag_sys(r->d, NULL, "out of memory");
	if (is_dir &&
	    dir_digest(r->d, path, in->sha256, &in->collected, src->dirs) == -1)
		return -1;
	if (is_dir && in->collected != 0)
		in->collected_how = how_mtime;
	memset(&dg, 0, sizeof(dg));
	dg.path = path;
	if (!is_dir)
		lim.digest = &dg;
	lim.input = src;
	/* The file's time, until the export says when it was collected. */
	if (src->fd >= 0 && fstat(src->fd, &st) == 0 && S_ISREG(st.st_mode)) {
		in->collected = (int64_t)st.st_mtime;
		in->collected_how = how_mtime;
	}
	ic.r = r;
	ic.in = in;
	if (ad->read(r->d, path, &lim, on_resource, &ic, &n) == -1)
		return -1;
	if (in->resources == 0 && in->listings == 0) {
		struct mark m = { in->path, 0, 0 };

		return diag_err(r->d, &m,
		    "no resource and no listing in this %s input: nothing to "
		    "evaluate (an empty input is not evidence)",
		    ad->name);
	}
	if (is_dir)
		return 0;
	if (dg.done) {
		memcpy(in->sha256, dg.hex, sizeof(in->sha256));
		return 0;
	}
	if (!src->is_regular)
		return diag_err(r->d, NULL,
		    "input '%s' was not read to its end by the '%s' adapter",
		    path, ad->name);
	return sha256_file_hex(r->d, path, in->sha256);
}

int
run_input(struct run *r, const char *path, const struct adapter *ad)
{
	struct input src;
	int rc = -1;

	if (input_open(r->d, path, &src) == 0)
		rc = run_input_src(r, path, ad, &src);
	input_close(&src);
	return rc;
}

/*
 * Why check o lacks evidence: every rule type with neither a resource
 * nor a listing in the inputs and not declared out of scope, or NULL
 * when each type has evidence.  *declared receives the declaration when
 * every type lacking evidence is declared out of scope.
 */
static const char *
missing_evidence(struct run *r, const struct check_outcome *o,
    const struct scope_item **declared)
{
	const struct scope_item *si;
	struct strbuf sb;
	const char *why;
	size_t i, n = 0;

	*declared = NULL;
	sb_init(&sb);
	for (i = 0; i < o->rule->ntypes; i++) {
		if (o->seen[i] || strcmp(o->rule->types[i], "*") == 0)
			continue;
		if ((si = scope_type(r->as.scope, o->rule->types[i])) != NULL) {
			*declared = si;
			continue;
		}
		sb_adds(&sb, n++ == 0 ? "no listing of " : ", ");
		sb_adds(&sb, o->rule->types[i]);
	}
	if (n == 0) {
		sb_free(&sb);
		return NULL;
	}
	*declared = NULL;
	sb_adds(&sb,
	    " in the inputs: the evidence is missing (absent is not "
	    "empty; declare the type out of scope if the workload "
	    "does not use it)");
	why = sb.oom ? NULL : arena_strdup(r->as.a, sb.s);
	sb_free(&sb);
	return why != NULL ? why : "no evidence in the inputs";
}

/*
 * A check's status over its resources: fail, else error, else pass.  But
 * absent is not empty: a rule type with no resource and no listing in
 * the inputs (and not declared out of scope) is missing evidence, so the
 * check is `error` even when its other types pass.  With no resource at
 * all, `not_applicable` needs a complete listing or a declaration.  The
 * reason goes to o->why.
 */
/*
 * The cloud provider none of whose evidence the run holds, when every
 * type of o belongs to such a provider (so the check judges a provider
 * the workload does not use), else PROV_NONE.  TLS endpoints, unknown
 * prefixes and "*" always need evidence.
 */
static enum provider
absent_provider(const struct run *r, const struct check_outcome *o)
{
	enum provider p, first = PROV_NONE;
	size_t i;

	for (i = 0; i < o->rule->ntypes; i++) {
		p = provider_of_type(o->rule->types[i]);
		if (!provider_is_cloud(p) || (r->as.providers >> p & 1))
			return PROV_NONE;
		if (first == PROV_NONE)
			first = p;
	}
	return first;
}

static enum status
outcome_status(struct run *r, struct check_outcome *o)
{
	const struct scope_item *si;
	const char *missing;
	enum provider p;

	o->absent = 0;
	if ((p = absent_provider(r, o)) != PROV_NONE && o->n == 0) {
		o->absent = 1;
		o->why = arena_printf(r->as.a,
		    "no %s input in this run: the workload's inputs do not "
		    "use this provider",
		    provider_title(p));
		return ST_NOT_APPLICABLE;
	}
	/* A check the selection left out decides nothing (decide.c). */
	if (o->not_run != NULL) {
		o->why = o->not_run;
		return ST_MANUAL;
	}
	missing = missing_evidence(r, o, &si);
	o->why = missing;
	if (o->counts[ST_FAIL] > 0)
		return ST_FAIL; /* and the missing evidence is still a gap */
	if (missing != NULL)
		return ST_ERROR;
	if (o->counts[ST_ERROR] > 0)
		return ST_ERROR;
	if (o->counts[ST_PASS] > 0)
		return ST_PASS;
	if (o->listed) {
		o->why = "the inputs list no resource of its types";
		return ST_NOT_APPLICABLE;
	}
	if (si != NULL) {
		o->why = arena_printf(
		    r->as.a, "declared out of scope: %s", si->reason);
		return ST_NOT_APPLICABLE;
	}
	o->why = "no resource of its types in the inputs";
	return ST_ERROR;
}

int
run_finish(struct run *r)
{
	size_t i;

	r->as.finished = r->as.opts.now;
	memset(r->as.count_checks, 0, sizeof(r->as.count_checks));
	for (i = 0; i < r->as.nchecks; i++) {
		r->as.checks[i].status = outcome_status(r, &r->as.checks[i]);
		r->as.count_checks[r->as.checks[i].status]++;
	}
	return decide(&r->as, r->d);
}
