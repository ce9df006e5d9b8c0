/*
 * json.c: the JSON report.  Its schema is docs/report.schema.json; field
 * names are stable (CI pipelines read them).  Output is deterministic:
 * controls in baseline order, results failures first then input order.
 */
#include <pthread.h>
#include <string.h>

#include "reports/report.h"

static void
write_counts(struct jw *w, const char *key, const size_t *n, int controls)
{
	int i;

	jw_key(w, key);
	jw_obj(w);
	for (i = 0; i < ST_COUNT; i++) {
		if (!controls && i >= ST_MANUAL && i != ST_WAIVED)
			continue;
		jw_kint(w, status_name((enum status)i), (long long)n[i]);
	}
	jw_end_obj(w);
}

static void
write_source(struct jw *w, const struct mark *m)
{
	char buf[4200];

	if (m->file == NULL) {
		jw_null(w);
		return;
	}
	snprintf(buf, sizeof(buf), "%s:%u:%u", m->file, m->line, m->col);
	jw_str(w, buf);
}

/* "providers": ["aws", ...] of a provider bit set, in enum order. */
static void
write_providers(struct jw *w, unsigned bits)
{
	unsigned p;

	jw_key(w, "providers");
	jw_arr(w);
	for (p = 0; p < PROV_COUNT; p++)
		if (bits >> p & 1)
			jw_str(w, provider_name((enum provider)p));
	jw_end_arr(w);
}

/* What the configuration sources gave, and --new-since's findings. */
static void
write_config(struct jw *w, const struct report_opts *o)
{
	size_t i;

	if (o->config_file != NULL || o->nconfig_env > 0) {
		jw_key(w, "config");
		jw_obj(w);
		jw_kstr(w, "file", o->config_file);
		jw_kstr(w, "sha256", o->config_sha256);
		jw_key(w, "env");
		jw_arr(w);
		for (i = 0; i < o->nconfig_env; i++)
			jw_str(w, o->config_env[i]);
		jw_end_arr(w);
		jw_end_obj(w);
	}
	if (o->new_since != NULL) {
		jw_key(w, "new_since");
		jw_obj(w);
		jw_kstr(w, "report", o->new_since);
		jw_kint(w, "new", (long long)o->nnew);
		jw_key(w, "known");
		jw_arr(w);
		for (i = 0; i < o->nknown; i++)
			jw_str(w, o->known[i]);
		jw_end_arr(w);
		jw_end_obj(w);
	}
}

static void
write_result(struct jw *w, const struct rule *ru,
    const struct check_result *res, long long input, size_t order)
{
	char fp[SHA256_HEX_LEN + 1];
	size_t i;

	report_fingerprint(
	    ru->id, res->resource_type, res->resource_id, res->region, fp);
	jw_obj(w);
	jw_kstr(w, "fingerprint", fp);
	jw_kstr(w, "id", res->resource_id);
	jw_kstr(w, "type", res->resource_type);
	if (res->region != NULL)
		jw_kstr(w, "region", res->region);
	if (res->account != NULL)
		jw_kstr(w, "account", res->account);
	if (res->namespace != NULL)
		jw_kstr(w, "namespace", res->namespace);
	/* Which input it came from: merge orders shards' results by it. */
	if (input >= 0)
		jw_kint(w, "input", input);
	/* Its place in the engine's list (input order, statuses mixed):
	 * the reader restores it, as writers other than JSON list it. */
	jw_kint(w, "order", (long long)order);
	jw_kstr(w, "status", status_name(res->status));
	jw_kstr(w, "message", res->message);
	jw_key(w, "evidence");
	jw_arr(w);
	for (i = 0; i < res->nev; i++) {
		jw_obj(w);
		jw_kstr(w, "path", res->ev[i].path);
		jw_kstr(w, "value", res->ev[i].value);
		jw_key(w, "source");
		write_source(w, &res->ev[i].source);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
}

/* A check under a control, up to its open "resources" array. */
static void
write_check_head(struct jw *w, const struct control_check_outcome *cc)
{
	const struct check_outcome *o = cc->outcome;
	const struct rule *ru = o->rule;
	size_t i;

	jw_obj(w);
	jw_kstr(w, "id", ru->id);
	jw_kstr(w, "title", ru->title);
	jw_kstr(w, "severity", severity_name(ru->severity));
	jw_kstr(w, "status", status_name(cc->status));
	jw_kstr(w, "decides", cc->full ? "full" : "part");
	if (o->why != NULL)
		jw_kstr(w, "why", o->why);
	/* What the reader restores before decide() (reports/read.c): the
	 * check's own status when POA&M changed the binding's, whether the
	 * selection left it out, whether its provider is absent. */
	if (cc->status != o->status)
		jw_kstr(w, "check_status", status_name(o->status));
	if (o->not_run != NULL)
		jw_kstr(w, "not_run", o->not_run);
	if (o->absent) {
		jw_key(w, "absent");
		jw_bool(w, 1);
	}
	jw_key(w, "params");
	jw_doc(w, o->params);
	/* Where each value came from: a baseline parameter and its text,
	 * the binding, or the check's default (rules/baseline.c). */
	if (o->param_src != NULL) {
		jw_key(w, "param_sources");
		jw_doc(w, o->param_src);
	}
	if (cc->waiver != NULL) {
		jw_key(w, "waiver");
		jw_obj(w);
		jw_kstr(w, "poam_id", cc->waiver->id);
		jw_kstr(w, "expires", cc->waiver->expires_text);
		jw_kstr(w, "justification", cc->waiver->justification);
		jw_kstr(w, "approver", cc->waiver->approver);
		jw_end_obj(w);
	}
	if (cc->expired != NULL && cc->status == ST_FAIL) {
		jw_key(w, "expired_waiver");
		jw_obj(w);
		jw_kstr(w, "poam_id", cc->expired->id);
		jw_kstr(w, "expires", cc->expired->expires_text);
		jw_end_obj(w);
	}
	write_counts(w, "counts", o->counts, 0);
	jw_kint(w, "listed", (long long)o->n);
	/* The evidence seen, as the decision needs it to be merged. */
	jw_key(w, "types_seen");
	jw_arr(w);
	for (i = 0; o->seen != NULL && i < ru->ntypes; i++)
		if (o->seen[i])
			jw_str(w, ru->types[i]);
	jw_end_arr(w);
	jw_key(w, "complete_listing");
	jw_bool(w, o->listed);
	if (cc->status == ST_FAIL || cc->status == ST_WAIVED)
		jw_kstr(w, "remediation", ru->remediation);
	jw_key(w, "resources");
	jw_arr(w);
}

/* Results idx[from..to) of o (report_order()) as "resources" elements. */
static void
write_results(struct jw *w, const struct check_outcome *o, const size_t *idx,
    size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		write_result(w, o->rule, &o->results[idx[i]],
		    idx[i] < o->ntracked &&
			    o->result_input[idx[i]] != UINT32_MAX
			? (long long)o->result_input[idx[i]]
			: -1,
		    idx[i]);
}

/* Every listed result of the check, in report order, on this thread. */
static int
results_here(void *ctx, struct jw *w, const struct control_check_outcome *cc)
{
	const struct check_outcome *o = cc->outcome;
	size_t *idx;

	(void)ctx;
	if ((idx = lib_calloc(o->n + 1, sizeof(*idx))) == NULL)
		return -1;
	write_results(w, o, idx, 0, report_order(o, idx));
	lib_free(idx);
	return 0;
}

/* How the control was decided, its attestation and its CRM entry. */
static void
write_decided(struct jw *w, const struct control_outcome *co)
{
	const struct control *c = co->control;
	const struct attestation *at = co->attestation;
	size_t i;

	jw_kstr(w, "decided_by",
	    co->status == ST_INHERITED                ? "provider"
		: co->declared != NULL                ? "declaration"
		: co->status == ST_NOT_APPLICABLE     ? "baseline"
		: co->open                            ? "open"
		: at != NULL && co->status == ST_PASS ? "attestation"
						      : "checks");
	jw_key(w, "open");
	jw_bool(w, co->open);
	if (at != NULL) {
		jw_key(w, "attestation");
		jw_obj(w);
		jw_kstr(w, "statement", at->statement);
		jw_kstr(w, "attested_by", at->attested_by);
		jw_kstr(w, "date", at->date_text);
		jw_kstr(w, "expires", at->expires_text);
		jw_key(w, "evidence");
		jw_arr(w);
		for (i = 0; i < at->nevidence; i++)
			jw_str(w, at->evidence[i]);
		jw_end_arr(w);
		jw_end_obj(w);
	}
	if (c->crm != CRM_NONE) {
		jw_key(w, "crm");
		jw_obj(w);
		jw_kstr(w, "responsibility", crm_resp_name(c->crm));
		jw_kstr(w, "provider", c->crm_provider);
		jw_kstr(w, "reference", c->crm_reference);
		jw_end_obj(w);
	}
}

/* The user's scope file: what it declares, and its digest. */
static void
write_scope(struct jw *w, const struct scope *s)
{
	size_t i;

	jw_key(w, "scope");
	jw_obj(w);
	jw_kstr(w, "path", s->path);
	jw_kstr(w, "sha256", s->sha256);
	jw_key(w, "out_of_scope");
	jw_arr(w);
	for (i = 0; i < s->ntypes; i++) {
		jw_obj(w);
		jw_kstr(w, "type", s->types[i].name);
		jw_kstr(w, "reason", s->types[i].reason);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "not_applicable");
	jw_arr(w);
	for (i = 0; i < s->ncontrols; i++) {
		jw_obj(w);
		jw_kstr(w, "control", s->controls[i].name);
		jw_kstr(w, "reason", s->controls[i].reason);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
}

/* Every input: identity, digest, collection time, account. */
static void
write_inputs(struct jw *w, const struct assessment *r)
{
	const struct input_info *in;
	char t[32];
	size_t i;

	jw_key(w, "inputs");
	jw_arr(w);
	for (i = 0; i < r->ninputs; i++) {
		in = &r->inputs[i];
		jw_obj(w);
		jw_kstr(w, "path", in->path);
		jw_kstr(w, "format", in->format);
		jw_kstr(w, "sha256", in->sha256);
		jw_kint(w, "resources", (long long)in->resources);
		jw_kint(w, "listings", (long long)in->listings);
		write_providers(w, in->providers);
		if (in->collected != 0) {
			format_time(in->collected, t);
			jw_kstr(w, "collected", t);
			jw_kstr(w, "collected_from", in->collected_how);
		}
		jw_key(w, "stale");
		jw_bool(w, in->stale);
		if (in->account != NULL)
			jw_kstr(w, "account", in->account);
		if (r->shard.of != 0 || r->shard.merged != 0)
			jw_kint(w, "ordinal", (long long)in->ordinal);
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

/* A shard's part of the work (--shard K/N), or the shards merged. */
static void
write_shard(struct jw *w, const struct assessment *r)
{
	if (r->shard.of != 0) {
		jw_key(w, "shard");
		jw_obj(w);
		jw_kint(w, "index", (long long)r->shard.k);
		jw_kint(w, "of", (long long)r->shard.of);
		jw_kint(w, "total_inputs", (long long)r->shard.total_inputs);
		jw_kint(w, "total_targets", (long long)r->shard.total_targets);
		jw_kint(w, "targets", (long long)r->shard.targets);
		jw_end_obj(w);
	}
	if (r->shard.merged != 0)
		jw_kint(w, "merged_shards", (long long)r->shard.merged);
}

/* Writes the "resources" elements of a check: 0, or -1 to stop. */
typedef int (*results_fn)(
    void *ctx, struct jw *w, const struct control_check_outcome *cc);

static int
write_control(struct jw *w, const struct control_outcome *co,
    results_fn results, void *ctx)
{
	size_t j;
	int rc = 0;

	jw_obj(w);
	jw_kstr(w, "id", co->control->id);
	jw_kstr(w, "label", co->control->label);
	jw_kstr(w, "title", co->control->title);
	jw_kstr(w, "family", co->control->family);
	jw_kstr(w, "responsibility", responsibility_name(co->control->resp));
	jw_kstr(w, "status", status_name(co->status));
	if (co->note != NULL)
		jw_kstr(w, "note", co->note);
	write_decided(w, co);
	jw_key(w, "checks");
	jw_arr(w);
	for (j = 0; j < co->nchecks && rc == 0; j++) {
		write_check_head(w, &co->checks[j]);
		rc = results(ctx, w, &co->checks[j]);
		jw_end_arr(w);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
	return rc;
}

/*
 * The listed results rendered by several threads (report_opts.jobs).  A
 * report is mostly results, and one check can hold most of them, so the
 * work is cut in pieces of at most RES_CHUNK results of one check under
 * one control, in the order they appear in the report.  Threads claim
 * the next piece and render it into memory as the stream would
 * (jw_init_sb_at()); this thread writes everything else of the report
 * and puts the pieces in the stream in order (jw_splice()).  At most
 * 16 pieces per thread wait ahead of the one written, so memory does not
 * grow with the results.  The bytes are those of one thread writing the
 * whole report.
 */

#define RES_CHUNK 64
/* Depth of a result: report, controls, control, checks, check, resources. */
#define RES_DEPTH 6

struct res_piece {
	const struct control_check_outcome *cc; /* where it goes */
	const size_t *idx; /* cc's outcome's results in report order */
	size_t from, to;
	struct strbuf sb;
	unsigned char done;
};

struct res_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct res_piece *pc;
	size_t npc;
	size_t next; /* the next piece to claim */
	size_t written; /* pieces put in the stream */
	size_t ahead; /* claimed but not written: at most this many */
	int stop;
};

/* Render piece i (called unlocked); 0 or -1 (no memory). */
static int
piece_render(struct res_pool *p, size_t i)
{
	struct res_piece *pc = &p->pc[i];
	struct jw w;

	jw_init_sb_at(&w, &pc->sb, RES_DEPTH, pc->from == 0);
	write_results(&w, pc->cc->outcome, pc->idx, pc->from, pc->to);
	return jw_finish(&w);
}

/* Claim and render one piece if the window allows: 1, 0 or -1. */
static int
piece_claim(struct res_pool *p)
{
	size_t i;
	int rc;

	if (p->stop || p->next >= p->npc || p->next >= p->written + p->ahead)
		return 0;
	i = p->next++;
	pthread_mutex_unlock(&p->mu);
	rc = piece_render(p, i);
	pthread_mutex_lock(&p->mu);
	if (rc == -1)
		p->stop = 1;
	p->pc[i].done = 1;
	pthread_cond_broadcast(&p->cv);
	return rc == -1 ? -1 : 1;
}

static void *
piece_helper(void *arg)
{
	struct res_pool *p = arg;

	pthread_mutex_lock(&p->mu);
	while (!p->stop && p->next < p->npc)
		if (piece_claim(p) == 0)
			pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/*
 * results_fn of the pool: the pieces of cc's results, in order, each
 * rendered ahead by a thread or, when unclaimed, straight into the
 * stream by this one (only the helpers' pieces wait in memory).
 */
static int
results_pooled(void *ctx, struct jw *w, const struct control_check_outcome *cc)
{
	struct res_pool *p = ctx;
	struct res_piece *pc;
	int rc = 0, rendered;

	pthread_mutex_lock(&p->mu);
	while (rc == 0 && p->written < p->npc && p->pc[p->written].cc == cc) {
		pc = &p->pc[p->written];
		if (p->stop) {
			rc = -1;
		} else if (pc->done || p->next == p->written) {
			rendered = pc->done;
			if (p->next == p->written)
				p->next++;
			pthread_mutex_unlock(&p->mu);
			if (rendered)
				jw_splice(w, pc->sb.s, pc->sb.len);
			else
				write_results(w, pc->cc->outcome, pc->idx,
				    pc->from, pc->to);
			sb_free(&pc->sb);
			pthread_mutex_lock(&p->mu);
			p->written++;
			pthread_cond_broadcast(&p->cv);
		} else if (piece_claim(p) == 0) {
			pthread_cond_wait(&p->cv, &p->mu);
		}
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

/*
 * The pieces of every control's checks, in report order, and each check
 * outcome's results in report order (order[k] for r->checks[k]): 0, or
 * -1 (no memory).
 */
static int
pieces_plan(struct res_pool *p, const struct assessment *r, size_t **order,
    size_t *norder)
{
	const struct control_check_outcome *cc;
	size_t i, j, k, a, n = 0;

	for (k = 0; k < r->nchecks; k++) {
		if ((order[k] = lib_calloc(
			 r->checks[k].n + 1, sizeof(size_t))) == NULL)
			return -1;
		norder[k] = report_order(&r->checks[k], order[k]);
	}
	for (i = 0; i < r->ncontrols; i++)
		for (j = 0; j < r->controls[i].nchecks; j++) {
			k = (size_t)(r->controls[i].checks[j].outcome -
			    r->checks);
			n += (norder[k] + RES_CHUNK - 1) / RES_CHUNK;
		}
	if (n == 0 || (p->pc = lib_calloc(n, sizeof(*p->pc))) == NULL)
		return n == 0 ? 0 : -1;
	for (i = 0; i < r->ncontrols; i++)
		for (j = 0; j < r->controls[i].nchecks; j++) {
			cc = &r->controls[i].checks[j];
			k = (size_t)(cc->outcome - r->checks);
			for (a = 0; a < norder[k]; a += RES_CHUNK) {
				p->pc[p->npc].cc = cc;
				p->pc[p->npc].idx = order[k];
				p->pc[p->npc].from = a;
				p->pc[p->npc].to = a + RES_CHUNK < norder[k]
				    ? a + RES_CHUNK
				    : norder[k];
				sb_init(&p->pc[p->npc].sb);
				p->npc++;
			}
		}
	return 0;
}

static int
write_controls(struct jw *w, const struct assessment *r, unsigned jobs)
{
	struct res_pool p;
	pthread_t t[7];
	size_t i, nt = 0, nh, **order = NULL, *norder = NULL;
	int rc = 0, planned = -1;

	nh = jobs > 8 ? 7 : jobs > 1 ? jobs - 1 : 0;
	memset(&p, 0, sizeof(p));
	p.ahead = 16 * (nh + 1);
	/* One thread, and under allocation-failure injection (tests). */
	if (nh > 0 && r->nchecks > 0 && !lib_alloc_armed() &&
	    (order = lib_calloc(r->nchecks, sizeof(*order))) != NULL &&
	    (norder = lib_calloc(r->nchecks, sizeof(*norder))) != NULL)
		planned = pieces_plan(&p, r, order, norder);
	if (planned == -1 || p.npc == 0 ||
	    pthread_mutex_init(&p.mu, NULL) != 0) {
		for (i = 0; i < r->ncontrols && rc == 0; i++)
			rc = write_control(
			    w, &r->controls[i], results_here, NULL);
		goto out;
	}
	if (pthread_cond_init(&p.cv, NULL) != 0) {
		pthread_mutex_destroy(&p.mu);
		rc = -1;
		goto out;
	}
	/* Fewer helpers than asked is fine: this thread renders too. */
	while (nt < nh && pthread_create(&t[nt], NULL, piece_helper, &p) == 0)
		nt++;
	for (i = 0; i < r->ncontrols && rc == 0; i++)
		rc = write_control(w, &r->controls[i], results_pooled, &p);
	pthread_mutex_lock(&p.mu);
	p.stop = 1;
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	for (i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
out:
	for (i = 0; i < p.npc; i++)
		sb_free(&p.pc[i].sb);
	lib_free(p.pc);
	for (i = 0; order != NULL && i < r->nchecks; i++)
		lib_free(order[i]);
	lib_free(order);
	lib_free(norder);
	return rc;
}

int
report_json(FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	struct jw w;
	char started[32], finished[32];
	size_t checks[ST_COUNT];

	report_times(r, o, started, finished);
	report_check_counts(r, checks);
	jw_init(&w, fp);
	jw_obj(&w);
	jw_key(&w, "rampart");
	jw_obj(&w);
	jw_kstr(&w, "version", o->tool_version);
	jw_end_obj(&w);
	jw_key(&w, "baseline");
	jw_obj(&w);
	jw_kstr(&w, "id", r->bl->id);
	jw_kstr(&w, "title", r->bl->title);
	jw_kstr(&w, "impact", r->bl->impact);
	jw_kstr(&w, "sha256", r->bl->sha256);
	/* diff refuses to compare reports of different mappings. */
	jw_kstr(&w, "mapping", r->bl->mapping);
	if (r->bl->source_file != NULL) {
		jw_key(&w, "source");
		jw_obj(&w);
		jw_kstr(&w, "file", r->bl->source_file);
		jw_kstr(&w, "sha256", r->bl->source_sha256);
		jw_end_obj(&w);
	}
	jw_end_obj(&w);
	if (o->provenance != NULL) {
		jw_key(&w, "provenance");
		jw_raw(&w, o->provenance);
	}
	write_inputs(&w, r);
	write_shard(&w, r);
	if (r->poam != NULL) {
		jw_key(&w, "poam");
		jw_obj(&w);
		jw_kstr(&w, "path", r->poam->path);
		jw_kint(&w, "items", (long long)r->poam->n);
		jw_end_obj(&w);
	}
	if (r->scope != NULL)
		write_scope(&w, r->scope);
	report_times(r, o, started, finished);
	jw_kstr(&w, "started", started);
	jw_kstr(&w, "finished", finished);
	jw_kint(&w, "max_evidence_age_days",
	    (long long)(r->opts.max_evidence_age / 86400));
	jw_kstr(&w, "gate", gate_name(r->opts.gate));
	jw_kstr(&w, "verdict", verdict_name(r->verdict));
	if (report_gate_result(r) != NULL)
		jw_kstr(&w, "gate_result", report_gate_result(r));
	jw_kstr(&w, "selection", r->opts.sel.text);
	write_config(&w, o);
	jw_key(&w, "summary");
	jw_obj(&w);
	write_counts(&w, "controls", r->count_controls, 1);
	write_counts(&w, "checks", checks, 0);
	jw_key(&w, "coverage");
	jw_obj(&w);
	jw_kint(&w, "controls", (long long)r->ncontrols);
	jw_kint(&w, "automated", (long long)r->cov.automated);
	jw_kint(&w, "attested", (long long)r->cov.attested);
	jw_kint(&w, "inherited", (long long)r->cov.inherited);
	jw_kint(&w, "declared", (long long)r->cov.declared);
	jw_kint(&w, "open", (long long)r->cov.open);
	jw_key(&w, "complete");
	jw_bool(&w, r->cov.open == 0);
	jw_end_obj(&w);
	jw_end_obj(&w);
	jw_key(&w, "controls");
	jw_arr(&w);
	if (write_controls(&w, r, o->jobs) == -1)
		return -1;
	jw_end_arr(&w);
	jw_end_obj(&w);
	return jw_finish(&w);
}
