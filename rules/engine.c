/*
 * engine.c: evaluation.  Each resource streamed from an input is handed
 * to every check whose resource types include it; results are aggregated
 * per check, then per control (with POA&M waivers), then into the
 * placement verdict.  Missing or unreadable evidence is `error`, never
 * `pass`: a check that sees no resource is `not_applicable` only when
 * the rule does not require its evidence.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "rules/rules.h"

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
	for (i = 0; i < r->nchecks; i++)
		lib_free(r->checks[i].results);
	arena_free(r->a);
	lib_free(r);
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

	if ((r = lib_calloc(1, sizeof(*r))) == NULL ||
	    (r->a = arena_new()) == NULL) {
		lib_free(r);
		diag_err(d, NULL, "out of memory");
		return NULL;
	}
	r->d = d;
	r->bl = bl;
	r->rs = rs;
	r->poam = poam;
	if (opts != NULL)
		r->opts = *opts;
	else {
		r->opts.max_results = RUN_DEFAULT_MAX_RESULTS;
		load_limits_default(&r->opts.lim);
	}
	if (r->opts.now == 0)
		r->opts.now = (int64_t)time(NULL);
	r->started = r->opts.now;
	for (i = 0; i < bl->ncontrols; i++)
		total += bl->controls[i].nchecks;
	r->checks = arena_alloc(r->a, (total + 1) * sizeof(*r->checks));
	r->controls =
	    arena_alloc(r->a, (bl->ncontrols + 1) * sizeof(*r->controls));
	if (r->checks == NULL || r->controls == NULL)
		goto oom;
	r->ncontrols = bl->ncontrols;
	for (i = 0; i < bl->ncontrols; i++) {
		c = &bl->controls[i];
		co = &r->controls[i];
		co->control = c;
		if (c->resp != RESP_AUTOMATED || c->nchecks == 0)
			continue;
		co->checks =
		    arena_alloc(r->a, c->nchecks * sizeof(*co->checks));
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
			    r->a, c->checks[j].rule, c->checks[j].params);
			if (p == NULL)
				goto oom;
			for (k = 0; k < r->nchecks; k++)
				if (r->checks[k].rule == c->checks[j].rule &&
				    params_equal(r->checks[k].params, p))
					break;
			if (k == r->nchecks) {
				o = &r->checks[r->nchecks++];
				o->rule = c->checks[j].rule;
				o->params = p;
			}
			co->checks[co->nchecks++].outcome = &r->checks[k];
		}
	}
	return r;
oom:
	diag_err(d, NULL, "out of memory");
	run_free(r);
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
	struct run_type_wants *w;
	size_t i;

	for (i = 0; i < r->nwants; i++)
		if (strcmp(r->wants[i].type, type) == 0)
			return r->wants[i].want;
	/* Bounded memory whatever the input: few types, short names. */
	if (r->nwants == RUN_TYPE_CACHE || strlen(type) > 128)
		return NULL;
	if (r->wants == NULL &&
	    (r->wants = arena_alloc(
		 r->a, RUN_TYPE_CACHE * sizeof(*r->wants))) == NULL)
		return NULL;
	w = &r->wants[r->nwants];
	if ((w->type = arena_strdup(r->a, type)) == NULL ||
	    (w->want = arena_alloc(r->a, r->nchecks + 1)) == NULL)
		return NULL;
	for (i = 0; i < r->nchecks; i++)
		w->want[i] = (unsigned char)rule_wants(r->checks[i].rule, type);
	r->nwants++;
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
			return diag_err(r->d, NULL, "out of memory");
		o->results = v;
		o->cap = ncap;
	}
	dst = &o->results[o->n];
	memset(dst, 0, sizeof(*dst));
	dst->status = res->status;
	dst->resource_id = copy_str(r->a, res->resource_id);
	dst->resource_type = copy_str(r->a, res->resource_type);
	dst->region = copy_str(r->a, res->region);
	dst->message = copy_str(r->a, res->message);
	if (res->nev > 0) {
		dst->ev = arena_alloc(r->a, res->nev * sizeof(*dst->ev));
		if (dst->ev == NULL)
			return diag_err(r->d, NULL, "out of memory");
		for (i = 0; i < res->nev; i++) {
			dst->ev[i].path = copy_str(r->a, res->ev[i].path);
			dst->ev[i].value = copy_str(r->a, res->ev[i].value);
			dst->ev[i].source = res->ev[i].source;
			dst->ev[i].source.file =
			    copy_str(r->a, res->ev[i].source.file);
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
	c->now = r->opts.now;
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

static int
on_resource(void *ctx, const struct resource *res, struct arena *a)
{
	struct input_ctx *ic = ctx;
	struct run *r = ic->r;
	struct check_outcome *o;
	struct check_ctx c;
	const unsigned char *wants = type_wants(r, res->type);
	size_t i, listed, max = r->opts.max_results;
	unsigned room, s;
	struct resource tmp;

	/*
	 * Interim, until the engine decides on listing markers: a clean
	 * marker is no resource; an error marker is evaluated as the
	 * unreadable placeholder "*" the adapters emitted before.
	 */
	if (res->listing) {
		if (res->read_error == NULL)
			return 0;
		tmp = *res;
		tmp.id = "*";
		res = &tmp;
	}
	ic->in->resources++;
	for (i = 0; i < r->nchecks; i++) {
		o = &r->checks[i];
		if (wants != NULL ? !wants[i] : !rule_wants(o->rule, res->type))
			continue;
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
		o->counts[c.result.status]++;
		/* Keep every listed result up to the cap; count the rest. */
		listed = o->counts[c.result.status];
		if (max == 0 || listed <= max)
			if (keep_result(r, o, &c.result) == -1)
				return -1;
	}
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Add "relative-path NUL sha256 LF" for every regular file under dir,
 * in sorted order, to sb: a manifest whose digest names the directory's
 * content.  Symbolic links are not followed.
 */
static int
manifest(struct diag *d, const char *root, const char *rel, struct strbuf *sb,
    int depth)
{
	char path[4096], sub[4096], hex[SHA256_HEX_LEN + 1], **names = NULL;
	struct dirent *de;
	struct stat st;
	size_t n = 0, i;
	DIR *dp;
	int rc = 0;

	if (depth > 16)
		return diag_err(d, NULL, "directory '%s' nests too deep", root);
	if ((size_t)snprintf(path, sizeof(path), "%s%s%s", root,
		rel[0] ? "/" : "", rel) >= sizeof(path))
		return diag_err(d, NULL, "path too long under '%s'", root);
	if ((dp = opendir(path)) == NULL) {
		struct mark m = { root, 0, 0 };
		return diag_err(d, &m, "cannot open directory '%s'", path);
	}
	while ((de = readdir(dp)) != NULL) {
		char **nv;

		if (de->d_name[0] == '.')
			continue;
		if ((nv = lib_realloc(names, (n + 1) * sizeof(*nv))) == NULL ||
		    (nv[n] = lib_strdup(de->d_name)) == NULL) {
			if (nv != NULL)
				names = nv;
			rc = diag_err(d, NULL, "out of memory");
			break;
		}
		names = nv;
		n++;
	}
	closedir(dp);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		if ((size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel,
			rel[0] ? "/" : "", names[i]) >= sizeof(sub) ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", root, sub) >=
			sizeof(path)) {
			rc =
			    diag_err(d, NULL, "path too long under '%s'", root);
			break;
		}
		if (lstat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			rc = manifest(d, root, sub, sb, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			if (sha256_file_hex(d, path, hex) == -1) {
				rc = -1;
				break;
			}
			sb_adds(sb, sub);
			sb_addc(sb, '\0');
			sb_adds(sb, hex);
			sb_addc(sb, '\n');
		}
	}
	for (i = 0; i < n; i++)
		lib_free(names[i]);
	lib_free(names);
	return rc;
}

/* Digest of a directory input: its manifest's sha256. */
static int
dir_digest(struct diag *d, const char *path, char out[SHA256_HEX_LEN + 1])
{
	struct strbuf sb;
	int rc;

	sb_init(&sb);
	rc = manifest(d, path, "", &sb, 0);
	if (rc == 0 && sb.oom)
		rc = diag_err(d, NULL, "out of memory");
	if (rc == 0)
		sha256_hex(sb.s ? sb.s : "", sb.len, out);
	sb_free(&sb);
	return rc;
}

struct input_info *
run_add_input(struct run *r, const char *name, const char *format)
{
	struct input_info *v, *in;

	v = arena_realloc(r->a, r->inputs, r->ninputs * sizeof(*v),
	    (r->ninputs + 1) * sizeof(*v));
	if (v == NULL) {
		diag_err(r->d, NULL, "out of memory");
		return NULL;
	}
	r->inputs = v;
	in = &r->inputs[r->ninputs++];
	memset(in, 0, sizeof(*in));
	if ((in->path = arena_strdup(r->a, name)) == NULL ||
	    (in->format = arena_strdup(r->a, format)) == NULL) {
		diag_err(r->d, NULL, "out of memory");
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

int
run_input(struct run *r, const char *path, const struct adapter *ad)
{
	struct input_info *v, *in;
	struct input_ctx ic;
	struct load_limits lim = r->opts.lim;
	struct load_digest dg;
	struct stat st;
	size_t n = 0;
	int is_dir;

	if (ad == NULL && (ad = adapter_detect(r->d, path)) == NULL)
		return -1;
	v = arena_realloc(r->a, r->inputs, r->ninputs * sizeof(*v),
	    (r->ninputs + 1) * sizeof(*v));
	if (v == NULL)
		return diag_err(r->d, NULL, "out of memory");
	r->inputs = v;
	in = &r->inputs[r->ninputs++];
	memset(in, 0, sizeof(*in));
	if ((in->path = arena_strdup(r->a, path)) == NULL)
		return diag_err(r->d, NULL, "out of memory");
	in->format = ad->name;
	/*
	 * A file's digest is computed by the loader as it parses the file
	 * (struct load_digest), so a multi-gigabyte export is read once; only
	 * when the adapter's loader could not see every byte (YAML, or an
	 * adapter that does not stream the file) is it read again here.
	 */
	is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	if (is_dir && dir_digest(r->d, path, in->sha256) == -1)
		return -1;
	memset(&dg, 0, sizeof(dg));
	dg.path = path;
	if (!is_dir)
		lim.digest = &dg;
	ic.r = r;
	ic.in = in;
	if (ad->read(r->d, path, &lim, on_resource, &ic, &n) == -1)
		return -1;
	if (is_dir)
		return 0;
	if (dg.done) {
		memcpy(in->sha256, dg.hex, sizeof(in->sha256));
		return 0;
	}
	return sha256_file_hex(r->d, path, in->sha256);
}

/* The POA&M item covering a failure, or NULL; *expired gets a match. */
static const struct poam_item *
poam_cover(const struct run *r, const struct control *c,
    const struct check_outcome *o, const char *resource,
    const struct poam_item **expired)
{
	const struct poam_item *it;
	size_t i;

	if (r->poam == NULL)
		return NULL;
	for (i = 0; i < r->poam->n; i++) {
		it = &r->poam->items[i];
		if (strcmp(it->control, c->id) != 0)
			continue;
		if (it->check != NULL && strcmp(it->check, o->rule->id) != 0)
			continue;
		if (it->resource != NULL &&
		    (resource == NULL || !glob_match(it->resource, resource)))
			continue;
		if (it->expires <= r->opts.now) {
			*expired = it;
			continue;
		}
		return it;
	}
	return NULL;
}

static enum status
outcome_status(const struct check_outcome *o)
{
	if (o->counts[ST_FAIL] > 0)
		return ST_FAIL;
	if (o->counts[ST_ERROR] > 0)
		return ST_ERROR;
	if (o->counts[ST_PASS] > 0)
		return ST_PASS;
	if (o->rule->required)
		return ST_ERROR;
	return ST_NOT_APPLICABLE;
}

/* How one check counts for one control, after POA&M. */
static void
control_check_status(const struct run *r, const struct control *c,
    struct control_check_outcome *cco)
{
	const struct check_outcome *o = cco->outcome;
	const struct poam_item *it, *cover = NULL, *exp = NULL;
	size_t i, listed = 0;

	cco->status = o->status;
	if (o->status != ST_FAIL)
		return;
	for (i = 0; i < o->n; i++) {
		if (o->results[i].status != ST_FAIL)
			continue;
		listed++;
		it = poam_cover(r, c, o, o->results[i].resource_id, &exp);
		if (it == NULL) {
			cco->expired = exp;
			return;
		}
		cover = it;
	}
	/* Failures beyond the listing cap: only a resource-wide item. */
	if (listed < o->counts[ST_FAIL]) {
		it = poam_cover(r, c, o, NULL, &exp);
		if (it == NULL) {
			cco->expired = exp;
			return;
		}
		cover = it;
	}
	if (cover != NULL) {
		cco->status = ST_WAIVED;
		cco->waiver = cover;
	}
}

/*
 * A manual control with a valid attestation passes (shown as attested);
 * an expired or not-yet-valid one leaves it manual with a note.
 */
static void
manual_status(struct run *r, struct control_outcome *co)
{
	const struct attestation *at, *stale = NULL;

	at = attest_find(r->attest, co->control->id, r->opts.now, &stale);
	if (at != NULL) {
		co->status = ST_PASS;
		co->attestation = at;
	} else if (stale != NULL) {
		co->note = arena_printf(r->a,
		    stale->date > r->opts.now
			? "attestation by %s is dated %s, after this evaluation"
			: "attestation by %s expired on %s",
		    stale->attested_by,
		    stale->date > r->opts.now ? stale->date_text
					      : stale->expires_text);
	}
}

/* Who decided each control: checks, attestation, provider, or nobody. */
static void
coverage(struct run *r)
{
	const struct control_outcome *co;
	size_t i;

	memset(&r->cov, 0, sizeof(r->cov));
	for (i = 0; i < r->ncontrols; i++) {
		co = &r->controls[i];
		if (co->control->resp == RESP_AUTOMATED)
			r->cov.automated++;
		else if (co->control->resp == RESP_INHERITED)
			r->cov.inherited++;
		else if (co->attestation != NULL)
			r->cov.attested++;
		else
			r->cov.open++;
	}
}

int
run_finish(struct run *r)
{
	struct control_outcome *co;
	size_t i, j, n[ST_COUNT];
	int manual_open = 0;

	r->finished = r->opts.now;
	memset(r->count_checks, 0, sizeof(r->count_checks));
	memset(r->count_controls, 0, sizeof(r->count_controls));
	for (i = 0; i < r->nchecks; i++) {
		r->checks[i].status = outcome_status(&r->checks[i]);
		r->count_checks[r->checks[i].status]++;
	}
	for (i = 0; i < r->ncontrols; i++) {
		co = &r->controls[i];
		switch (co->control->resp) {
		case RESP_INHERITED:
			co->status = ST_INHERITED;
			break;
		case RESP_MANUAL:
			co->status = ST_MANUAL;
			manual_status(r, co);
			if (co->status == ST_MANUAL)
				manual_open = 1;
			break;
		case RESP_AUTOMATED:
			memset(n, 0, sizeof(n));
			for (j = 0; j < co->nchecks; j++) {
				control_check_status(
				    r, co->control, &co->checks[j]);
				n[co->checks[j].status]++;
				if (co->checks[j].expired != NULL &&
				    co->checks[j].status == ST_FAIL)
					co->note = arena_printf(r->a,
					    "POA&M "
					    "item '%s' expired on %s and no "
					    "longer waives this failure",
					    co->checks[j].expired->id,
					    co->checks[j]
						.expired->expires_text);
				if (co->checks[j].waiver != NULL)
					co->note = arena_printf(r->a,
					    "failure "
					    "waived by POA&M item '%s' until "
					    "%s",
					    co->checks[j].waiver->id,
					    co->checks[j].waiver->expires_text);
			}
			co->status = n[ST_FAIL] ? ST_FAIL
			    : n[ST_ERROR]       ? ST_ERROR
			    : n[ST_WAIVED]      ? ST_WAIVED
			    : n[ST_PASS]        ? ST_PASS
						: ST_NOT_APPLICABLE;
			/*
			 * No check found anything in scope: the control is
			 * not evidenced by this scan.  Say so, and when
			 * attestations are required it stays open, so a scan
			 * that lacks the evidence cannot make it pass.
			 */
			if (co->status == ST_NOT_APPLICABLE) {
				co->note = "no resource in scope for any of "
					   "its checks: not evidenced by this "
					   "scan";
				if (r->opts.require_attestations)
					manual_open = 1;
			}
			break;
		}
		r->count_controls[co->status]++;
	}
	coverage(r);
	if (r->count_controls[ST_FAIL] > 0)
		r->verdict = VERDICT_NOT_ELIGIBLE;
	else if (r->count_controls[ST_ERROR] > 0 ||
	    (r->opts.require_attestations && manual_open))
		r->verdict = VERDICT_INCOMPLETE;
	else
		r->verdict = VERDICT_ELIGIBLE;
	return 0;
}
