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

static void
write_check(struct jw *w, const struct control_check_outcome *cc)
{
	const struct check_outcome *o = cc->outcome;
	const struct rule *ru = o->rule;
	size_t *idx, n, i;

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
	if ((idx = lib_calloc(o->n + 1, sizeof(*idx))) != NULL) {
		n = report_order(o, idx);
		for (i = 0; i < n; i++)
			write_result(w, ru, &o->results[idx[i]],
			    idx[i] < o->ntracked &&
				    o->result_input[idx[i]] != UINT32_MAX
				? (long long)o->result_input[idx[i]]
				: -1,
			    idx[i]);
		lib_free(idx);
	}
	jw_end_arr(w);
	jw_end_obj(w);
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

static void
write_control(struct jw *w, const struct control_outcome *co)
{
	size_t j;

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
	for (j = 0; j < co->nchecks; j++)
		write_check(w, &co->checks[j]);
	jw_end_arr(w);
	jw_end_obj(w);
}

/*
 * The controls rendered by several threads (report_opts.jobs): each
 * claims the next control, renders it into memory as the stream would
 * (jw_init_sb_at()), and this thread puts them in the stream in order
 * (jw_splice()), at most two per thread ahead of the one written (a
 * control can hold megabytes of results: a window of 16 cost 9 MB of
 * peak RSS at 200 inputs).  The bytes are those of one thread rendering
 * them in turn.
 */

struct ctl_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const struct assessment *r;
	struct strbuf *sb; /* one per control */
	unsigned char *done;
	size_t next; /* the next control to claim */
	size_t written; /* controls put in the stream */
	size_t ahead; /* claimed but not written: at most this many */
	int stop;
};

/* Render control i (called unlocked); 0 or -1 (no memory). */
static int
ctl_render(struct ctl_pool *p, size_t i)
{
	struct jw w;

	/* Depth 2: report object, "controls" array. */
	jw_init_sb_at(&w, &p->sb[i], 2, i == 0);
	write_control(&w, &p->r->controls[i]);
	return jw_finish(&w);
}

/* Claim and render one control if the window allows: 1, 0 or -1. */
static int
ctl_claim(struct ctl_pool *p)
{
	size_t i;
	int rc;

	if (p->stop || p->next >= p->r->ncontrols ||
	    p->next >= p->written + p->ahead)
		return 0;
	i = p->next++;
	pthread_mutex_unlock(&p->mu);
	rc = ctl_render(p, i);
	pthread_mutex_lock(&p->mu);
	if (rc == -1)
		p->stop = 1;
	p->done[i] = 1;
	pthread_cond_broadcast(&p->cv);
	return rc == -1 ? -1 : 1;
}

static void *
ctl_helper(void *arg)
{
	struct ctl_pool *p = arg;
	int rc;

	pthread_mutex_lock(&p->mu);
	while (!p->stop && p->next < p->r->ncontrols)
		if ((rc = ctl_claim(p)) == 0)
			pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* This thread's part: claim, render, and write out in order. */
static int
ctl_drain(struct ctl_pool *p, struct jw *w)
{
	size_t i, n = p->r->ncontrols;
	int rc = 0, rendered;

	pthread_mutex_lock(&p->mu);
	while (rc == 0 && p->written < n) {
		if (p->stop) {
			rc = -1;
		} else if (p->done[p->written] || p->next == p->written) {
			/* The next control: rendered ahead by a helper, or
			 * unclaimed, and then straight into the stream (only
			 * the helpers' controls wait in memory). */
			i = p->written;
			rendered = p->done[i];
			if (p->next == i)
				p->next++;
			pthread_mutex_unlock(&p->mu);
			if (rendered)
				jw_splice(w, p->sb[i].s, p->sb[i].len);
			else
				write_control(w, &p->r->controls[i]);
			sb_free(&p->sb[i]);
			pthread_mutex_lock(&p->mu);
			p->written++;
			pthread_cond_broadcast(&p->cv);
		} else if (ctl_claim(p) == 0) {
			pthread_cond_wait(&p->cv, &p->mu);
		}
	}
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static int
write_controls(struct jw *w, const struct assessment *r, unsigned jobs)
{
	struct ctl_pool p;
	pthread_t t[7];
	size_t i, nt = 0, nh;
	int rc = -1;

	nh = jobs > 8 ? 7 : jobs > 1 ? jobs - 1 : 0;
	memset(&p, 0, sizeof(p));
	p.r = r;
	p.ahead = 2 * (nh + 1);
	/* One thread, and under allocation-failure injection (tests). */
	if (nh > 0 && r->ncontrols > 1 && !lib_alloc_armed()) {
		p.sb = lib_calloc(r->ncontrols, sizeof(*p.sb));
		p.done = lib_calloc(r->ncontrols, 1);
	}
	if (p.sb == NULL || p.done == NULL ||
	    pthread_mutex_init(&p.mu, NULL) != 0) {
		for (i = 0; i < r->ncontrols; i++)
			write_control(w, &r->controls[i]);
		rc = 0;
		goto out;
	}
	if (pthread_cond_init(&p.cv, NULL) != 0) {
		pthread_mutex_destroy(&p.mu);
		goto out;
	}
	for (i = 0; i < r->ncontrols; i++)
		sb_init(&p.sb[i]);
	/* Fewer helpers than asked is fine: this thread renders too. */
	while (nt < nh && pthread_create(&t[nt], NULL, ctl_helper, &p) == 0)
		nt++;
	rc = ctl_drain(&p, w);
	for (i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < r->ncontrols; i++)
		sb_free(&p.sb[i]);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
out:
	lib_free(p.sb);
	lib_free(p.done);
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
