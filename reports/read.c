/*
 * read.c: the one reader of the JSON report (docs/report.schema.json)
 * into an assessment (issue 10, docs/decisions.md "The assessment
 * model").  Per input its identity, digest, collection time, account,
 * providers, ordinal and staleness; per check its counts, listed results
 * with evidence and the input each came from, the evidence seen and
 * whether a complete listing was seen; and, for one report read back
 * whole (report_read_assessment), each check's status, why, not_run and
 * absent, the options, times and shard.  Control decisions are never
 * read: decide() makes them again from the outcomes and the definitions
 * the report names (loaded by the caller, checked against its digests).
 * Merge reads only the outcomes of each shard and lets run_finish()
 * decide the checks too, as one run over every input decides them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"
#include "reports/sign.h"

/* How the outcomes of one report are read (report_read_outcomes). */
struct rctx {
	struct run *r;
	const struct report_doc *rd;
	size_t base; /* inputs of r before rd's */
	size_t nin; /* rd's inputs */
	int restore; /* one report whole: statuses too, inputs optional */
};

void
report_doc_free(struct report_doc *rd)
{
	if (rd == NULL)
		return;
	lib_free(rd->buf);
	arena_free(rd->a);
	lib_free(rd);
}

/* A non-negative integer member, or def when absent. */
static long long
get_int(const struct doc_node *m, const char *key, long long def)
{
	const struct doc_node *n = doc_get(m, key);

	if (n == NULL || n->type != DOC_INT || n->u.i < 0)
		return def;
	return (long long)n->u.i;
}

int
report_doc_parse(struct arena *a, struct diag *d, const char *name,
    const char *buf, size_t len, int flags, struct report_doc *rd)
{
	struct doc_node **docs = NULL;
	const struct doc_node *sh;
	struct mark m = { name, 0, 0 };
	size_t n = 0;

	memset(rd, 0, sizeof(*rd));
	rd->a = a;
	rd->len = len;
	if ((rd->path = arena_strdup(a, name)) == NULL)
		return diag_sys(d, NULL, "out of memory");
	if (doc_load_buf(
		a, d, rd->path, buf, len, DOC_FMT_JSON, NULL, &docs, &n) == -1)
		return -1;
	if ((flags & REPORT_DOC_PARTIAL) && n != 1)
		return n == 0
		    ? diag_err(d, &m, "file holds no document")
		    : diag_err(d, &m, "expected one document, found %zu", n);
	sha256_hex(buf, len, rd->sha256);
	rd->root = n == 1 ? docs[0] : NULL;
	rd->baseline = doc_get(rd->root, "baseline");
	rd->verdict = doc_str(doc_get(rd->root, "verdict"));
	rd->baseline_id = doc_str(doc_get(rd->baseline, "id"));
	rd->baseline_sha256 = doc_str(doc_get(rd->baseline, "sha256"));
	rd->mapping = doc_str(doc_get(rd->baseline, "mapping"));
	rd->version = doc_str(doc_get(doc_get(rd->root, "rampart"), "version"));
	rd->provenance = doc_get(rd->root, "provenance");
	rd->inputs = doc_get(rd->root, "inputs");
	rd->controls = doc_get(rd->root, "controls");
	if (!(flags & REPORT_DOC_PARTIAL) &&
	    (rd->root == NULL || rd->root->type != DOC_MAP ||
		rd->verdict == NULL || rd->baseline_id == NULL ||
		rd->baseline_sha256 == NULL || rd->inputs == NULL ||
		rd->inputs->type != DOC_SEQ || rd->controls == NULL ||
		rd->controls->type != DOC_SEQ))
		return diag_err(d, &m,
		    "not a rampart JSON report (verdict, baseline, inputs and "
		    "controls are required)");
	if ((sh = doc_get(rd->root, "shard")) != NULL) {
		rd->shard_k = (unsigned)get_int(sh, "index", 0);
		rd->shard_of = (unsigned)get_int(sh, "of", 0);
		rd->total_inputs = (size_t)get_int(sh, "total_inputs", 0);
		rd->total_targets = (size_t)get_int(sh, "total_targets", 0);
		rd->targets = (size_t)get_int(sh, "targets", 0);
	}
	return 0;
}

/* A report of its own arena owning buf (also on error); flags as above. */
static int
doc_from_buf(struct diag *d, const char *name, char *buf, size_t len, int flags,
    struct report_doc **out)
{
	struct report_doc *rd;
	struct arena *a;

	*out = NULL;
	if ((rd = lib_calloc(1, sizeof(*rd))) == NULL ||
	    (a = arena_new()) == NULL) {
		lib_free(rd);
		lib_free(buf);
		return diag_sys(d, NULL, "out of memory");
	}
	if (report_doc_parse(a, d, name, buf, len, flags, rd) == -1) {
		rd->a = a;
		rd->buf = buf;
		report_doc_free(rd);
		return -1;
	}
	rd->buf = buf;
	*out = rd;
	return 0;
}

int
report_doc_load(struct diag *d, const char *path, struct report_doc **out)
{
	return report_doc_open(d, path, 0, out);
}

int
report_doc_open(
    struct diag *d, const char *path, int flags, struct report_doc **out)
{
	char *buf = NULL;
	size_t len = 0;

	*out = NULL;
	/* Read once: the same bytes are hashed, verified and parsed. */
	if (file_read_all(d, path, 0, &buf, &len) == -1)
		return -1;
	return doc_from_buf(d, path, buf, len, flags, out);
}

int
report_doc_from_buf(struct diag *d, const char *name, char *buf, size_t len,
    struct report_doc **out)
{
	return doc_from_buf(d, name, buf, len, 0, out);
}

/* A string member copied into the run's arena (NULL stays NULL). */
static const char *
run_str(struct run *r, const struct doc_node *m, const char *key, int *oom)
{
	const char *s = doc_str(doc_get(m, key));
	char *c;

	if (s == NULL)
		return NULL;
	if ((c = arena_strdup(r->as.a, s)) == NULL)
		*oom = 1;
	return c;
}

/*
 * The input's "providers" into its bits and the run's: a provider with
 * no input in the run has its checks not_applicable (rules/engine.c).
 */
static int
read_providers(struct run *r, const struct doc_node *n, struct input_info *in)
{
	const struct doc_node *pv = doc_get(n, "providers");
	const char *name;
	size_t i;
	unsigned p;

	for (i = 0; pv != NULL && pv->type == DOC_SEQ && i < pv->u.seq.n; i++) {
		name = doc_str(pv->u.seq.items[i]);
		for (p = 0; p < PROV_COUNT; p++)
			if (name != NULL &&
			    strcmp(provider_name((enum provider)p), name) == 0)
				break;
		if (p == PROV_COUNT) {
			struct mark m = pv->u.seq.items[i]->mark;

			return diag_err(r->d, &m, "unknown provider '%s'",
			    name ? name : "");
		}
		in->providers |= 1u << p;
	}
	r->as.providers |= in->providers;
	return 0;
}

/* One input of the report into a new input of r. */
static int
read_input(struct run *r, const struct report_doc *rd, const struct doc_node *n)
{
	struct input_info *v, *in;
	const char *sha, *col, *how;
	int oom = 0;

	v = arena_realloc(r->as.a, r->as.inputs, r->as.ninputs * sizeof(*v),
	    (r->as.ninputs + 1) * sizeof(*v));
	if (v == NULL)
		return diag_sys(r->d, NULL, "out of memory");
	r->as.inputs = v;
	in = &r->as.inputs[r->as.ninputs];
	memset(in, 0, sizeof(*in));
	in->path = run_str(r, n, "path", &oom);
	in->format = run_str(r, n, "format", &oom);
	in->account = run_str(r, n, "account", &oom);
	sha = doc_str(doc_get(n, "sha256"));
	if (in->path == NULL || sha == NULL || strlen(sha) != SHA256_HEX_LEN) {
		struct mark m = n->mark;

		return diag_err(r->d, &m,
		    "input of report '%s' without a path or a sha256",
		    rd->path);
	}
	memcpy(in->sha256, sha, sizeof(in->sha256));
	in->resources = (size_t)get_int(n, "resources", 0);
	in->listings = (size_t)get_int(n, "listings", 0);
	in->ordinal = (size_t)get_int(n, "ordinal", (long long)r->as.ninputs);
	if ((col = doc_str(doc_get(n, "collected"))) != NULL &&
	    time_parse(col, strlen(col), TIME_ANY, &in->collected, NULL) ==
		-1) {
		struct mark m = n->mark;

		return diag_err(r->d, &m, "invalid collection time '%s'", col);
	}
	how = run_str(r, n, "collected_from", &oom);
	in->collected_how = how;
	if (read_providers(r, n, in) == -1)
		return -1;
	in->stale = doc_get(n, "stale") != NULL &&
	    doc_get(n, "stale")->type == DOC_BOOL && doc_get(n, "stale")->u.b;
	if (oom)
		return diag_sys(r->d, NULL, "out of memory");
	r->as.ninputs++;
	return 0;
}

/* "file:line:col" into a mark (the file copied into the run's arena). */
static int
read_source(struct run *r, const char *s, struct mark *m)
{
	const char *c2, *c1;
	char *end;
	unsigned long line, col;

	memset(m, 0, sizeof(*m));
	if (s == NULL)
		return 0;
	if ((c2 = strrchr(s, ':')) == NULL || c2 == s)
		return 0;
	for (c1 = c2 - 1; c1 > s && *c1 != ':'; c1--)
		;
	if (*c1 != ':')
		return 0;
	line = strtoul(c1 + 1, &end, 10);
	if (end != c2)
		return 0;
	col = strtoul(c2 + 1, &end, 10);
	if (*end != '\0')
		return 0;
	if ((m->file = arena_strndup(r->as.a, s, (size_t)(c1 - s))) == NULL)
		return diag_sys(r->d, NULL, "out of memory");
	m->line = (uint32_t)line;
	m->col = (uint32_t)col;
	return 0;
}

static int
status_of(const char *s, enum status *out)
{
	int i;

	for (i = 0; s != NULL && i < ST_COUNT; i++)
		if (strcmp(status_name((enum status)i), s) == 0) {
			*out = (enum status)i;
			return 0;
		}
	return -1;
}

/* A result read back and where the engine listed it ("order"). */
struct placed {
	long long order;
	size_t pos;
};

static int
placed_cmp(const void *x, const void *y)
{
	const struct placed *a = x, *b = y;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/*
 * Put the results o[from..] read from one report back in the order the
 * engine listed them (each one's "order"; a report without it keeps the
 * listing's order).  0 or -1.
 */
static int
restore_order(struct run *r, struct check_outcome *o, size_t from,
    const struct doc_node *res)
{
	size_t n = o->n - from, i;
	struct placed *p;
	struct check_result *v;
	uint32_t *in;

	if (n < 2)
		return 0;
	p = lib_calloc(n, sizeof(*p));
	v = lib_calloc(n, sizeof(*v));
	in = lib_calloc(n, sizeof(*in));
	if (p == NULL || v == NULL || in == NULL) {
		lib_free(p);
		lib_free(v);
		lib_free(in);
		return diag_sys(r->d, NULL, "out of memory");
	}
	for (i = 0; i < n; i++) {
		p[i].order = get_int(res->u.seq.items[i], "order", -1);
		p[i].pos = i;
	}
	qsort(p, n, sizeof(*p), placed_cmp);
	for (i = 0; i < n; i++) {
		v[i] = o->results[from + p[i].pos];
		in[i] = o->result_input[from + p[i].pos];
	}
	memcpy(o->results + from, v, n * sizeof(*v));
	memcpy(o->result_input + from, in, n * sizeof(*in));
	lib_free(p);
	lib_free(v);
	lib_free(in);
	return 0;
}

/* One listed result into o, from input `in` of r. */
static int
read_result(
    const struct rctx *x, struct check_outcome *o, const struct doc_node *n)
{
	struct run *r = x->r;
	struct check_result res;
	const struct doc_node *ev, *e;
	struct evidence *v = NULL;
	long long in;
	size_t i;
	int oom = 0;

	memset(&res, 0, sizeof(res));
	in = get_int(n, "input", -1);
	if (status_of(doc_str(doc_get(n, "status")), &res.status) == -1 ||
	    (in < 0 && !x->restore) || (in >= 0 && (size_t)in >= x->nin)) {
		struct mark m = n->mark;

		return diag_err(r->d, &m,
		    "result of check '%s' without a status or the input it "
		    "came from (a report of an older rampart cannot be merged)",
		    o->rule->id);
	}
	res.resource_id = run_str(r, n, "id", &oom);
	res.resource_type = run_str(r, n, "type", &oom);
	res.region = run_str(r, n, "region", &oom);
	res.message = run_str(r, n, "message", &oom);
	res.account = run_str(r, n, "account", &oom);
	res.namespace = run_str(r, n, "namespace", &oom);
	if ((ev = doc_get(n, "evidence")) != NULL && ev->type == DOC_SEQ &&
	    ev->u.seq.n > 0) {
		if ((v = arena_alloc(r->as.a, ev->u.seq.n * sizeof(*v))) ==
		    NULL)
			return diag_sys(r->d, NULL, "out of memory");
		for (i = 0; i < ev->u.seq.n; i++) {
			e = ev->u.seq.items[i];
			v[i].path = run_str(r, e, "path", &oom);
			v[i].value = run_str(r, e, "value", &oom);
			if (read_source(r, doc_str(doc_get(e, "source")),
				&v[i].source) == -1)
				return -1;
		}
		res.ev = v;
		res.nev = ev->u.seq.n;
	}
	if (oom)
		return diag_sys(r->d, NULL, "out of memory");
	return run_add_result(
	    r, o, &res, in < 0 ? UINT32_MAX : (uint32_t)(x->base + (size_t)in));
}

/*
 * The check's own status (before POA&M: "check_status" when the binding's
 * "status" differs), why it ended there, whether the selection left it
 * out and whether its provider is absent from the run.
 */
static int
read_status(
    const struct rctx *x, struct check_outcome *o, const struct doc_node *n)
{
	const char *st = doc_str(doc_get(n, "check_status"));
	const struct doc_node *ab = doc_get(n, "absent");
	int oom = 0;

	if (st == NULL)
		st = doc_str(doc_get(n, "status"));
	if (status_of(st, &o->status) == -1) {
		struct mark m = n->mark;

		return diag_err(
		    x->r->d, &m, "check '%s' without a status", o->rule->id);
	}
	o->why = run_str(x->r, n, "why", &oom);
	o->not_run = run_str(x->r, n, "not_run", &oom);
	o->absent = ab != NULL && ab->type == DOC_BOOL && ab->u.b;
	if (oom)
		return diag_sys(x->r->d, NULL, "out of memory");
	return 0;
}

/* The outcome of one check, the first time the report shows it. */
static int
read_check(
    const struct rctx *x, struct check_outcome *o, const struct doc_node *n)
{
	struct run *r = x->r;
	const struct doc_node *cnt, *seen, *res, *cl;
	size_t i, t, from;
	int s;

	cnt = doc_get(n, "counts");
	for (s = 0; cnt != NULL && s < ST_COUNT; s++)
		o->counts[s] +=
		    (size_t)get_int(cnt, status_name((enum status)s), 0);
	seen = doc_get(n, "types_seen");
	cl = doc_get(n, "complete_listing");
	if (cnt == NULL || seen == NULL || seen->type != DOC_SEQ ||
	    cl == NULL || cl->type != DOC_BOOL) {
		struct mark m = n->mark;

		return diag_err(r->d, &m,
		    "check '%s' without counts, types_seen or "
		    "complete_listing (a report of an older rampart cannot be "
		    "merged)",
		    o->rule->id);
	}
	for (i = 0; i < seen->u.seq.n; i++)
		for (t = 0; t < o->rule->ntypes; t++)
			if (doc_str(seen->u.seq.items[i]) != NULL &&
			    strcmp(doc_str(seen->u.seq.items[i]),
				o->rule->types[t]) == 0)
				o->seen[t] = 1;
	o->listed |= cl->u.b;
	if ((res = doc_get(n, "resources")) == NULL || res->type != DOC_SEQ)
		return 0;
	from = o->n;
	for (i = 0; i < res->u.seq.n; i++)
		if (read_result(x, o, res->u.seq.items[i]) == -1)
			return -1;
	if (restore_order(r, o, from, res) == -1)
		return -1;
	return x->restore ? read_status(x, o, n) : 0;
}

/* Whether JSON control n is control co of the run, check for check. */
static int
same_control(const struct control_outcome *co, const struct doc_node *n)
{
	const struct doc_node *cks = doc_get(n, "checks");
	const char *id = doc_str(doc_get(n, "id"));
	size_t j;

	if (id == NULL || strcmp(id, co->control->id) != 0 || cks == NULL ||
	    cks->type != DOC_SEQ || cks->u.seq.n != co->nchecks)
		return 0;
	for (j = 0; j < co->nchecks; j++) {
		id = doc_str(doc_get(cks->u.seq.items[j], "id"));
		if (id == NULL || strcmp(id, co->checks[j].outcome->rule->id))
			return 0;
	}
	return 1;
}

static int
read_outcomes(const struct rctx *x)
{
	struct run *r = x->r;
	const struct report_doc *rd = x->rd;
	const struct doc_node *ctl = rd->controls, *cks;
	unsigned char *done;
	size_t i, j, k, nin = x->nin;
	struct mark m = { rd->path, 0, 0 };

	for (i = 0; i < nin; i++)
		if (read_input(r, rd, rd->inputs->u.seq.items[i]) == -1)
			return -1;
	if (ctl->u.seq.n != r->as.ncontrols)
		return diag_err(r->d, &m,
		    "the report has %zu controls, baseline '%s' %zu: it was "
		    "made with another baseline",
		    ctl->u.seq.n, r->as.bl->id, r->as.ncontrols);
	if ((done = lib_calloc(r->as.nchecks + 1, 1)) == NULL)
		return diag_sys(r->d, NULL, "out of memory");
	for (i = 0; i < r->as.ncontrols; i++) {
		if (!same_control(&r->as.controls[i], ctl->u.seq.items[i])) {
			struct mark cm = ctl->u.seq.items[i]->mark;

			lib_free(done);
			return diag_err(r->d, &cm,
			    "control '%s' binds other checks in the report "
			    "than in baseline '%s' and its mapping",
			    r->as.controls[i].control->id, r->as.bl->id);
		}
		cks = doc_get(ctl->u.seq.items[i], "checks");
		for (j = 0; j < r->as.controls[i].nchecks; j++) {
			k = (size_t)(r->as.controls[i].checks[j].outcome -
			    r->as.checks);
			if (done[k]++)
				continue;
			if (read_check(x, &r->as.checks[k],
				cks->u.seq.items[j]) == -1) {
				lib_free(done);
				return -1;
			}
		}
	}
	lib_free(done);
	return 0;
}

int
report_read_outcomes(struct run *r, const struct report_doc *rd)
{
	struct rctx x = { r, rd, r->as.ninputs, rd->inputs->u.seq.n, 0 };

	return read_outcomes(&x);
}

int
report_pins(struct arena *a, struct diag *d, const struct report_doc *rd,
    struct sign_pin **v, size_t *n)
{
	const struct doc_node *cfg = doc_get(rd->provenance, "configuration");
	struct mark m = { rd->path, 0, 0 };

	if (cfg == NULL)
		return diag_err(d, &m,
		    "the report has no provenance: write reports with "
		    "--output or --output-dir");
	return pins_parse(a, d, cfg, v, n);
}

/* A non-negative decimal option of the provenance, or -1 (reported). */
static long long
setup_number(struct diag *d, const struct report_doc *rd,
    const struct doc_node *o, const char *name)
{
	const char *v = doc_str(doc_get(o, name));
	struct mark m = { rd->path, 0, 0 };
	long long n;
	char *end;

	errno = 0;
	n = v ? strtoll(v, &end, 10) : -1;
	if (v == NULL || errno || *end || n < 0)
		return diag_err(d, &m, "option '%s' missing or bad", name);
	return n;
}

int
report_setup_read(struct arena *a, struct diag *d, const struct report_doc *rd,
    int need_time, struct report_setup *s)
{
	const struct doc_node *o = doc_get(rd->provenance, "options");
	const struct sign_pin *p;
	const char *ft;
	struct mark m = { rd->path, 0, 0 };
	size_t i;

	memset(s, 0, sizeof(*s));
	if (report_pins(a, d, rd, &s->pins, &s->npins) == -1)
		return -1;
	for (i = 0; i < s->npins; i++) {
		p = &s->pins[i];
		if (strcmp(p->role, "baseline") == 0 && s->baseline == NULL)
			s->baseline = p->path ? p->path : p->name;
		else if (strcmp(p->role, "rules") == 0 && p->source == NULL &&
		    s->nrules < REPORT_SETUP_MAX)
			s->rules[s->nrules++] = p->name;
		else if (strcmp(p->role, "plugin") == 0 &&
		    s->nplugins < REPORT_SETUP_MAX)
			s->plugins[s->nplugins++] = p->name;
		else if (strcmp(p->role, "poam") == 0)
			s->poam = p->name;
		else if (strcmp(p->role, "attestations") == 0)
			s->attest = p->name;
		else if (strcmp(p->role, "crm") == 0)
			s->crm = p->name;
		else if (strcmp(p->role, "scope") == 0)
			s->scope = p->name;
	}
	if (s->baseline == NULL)
		return diag_err(d, &m, "the provenance pins no baseline");
	if ((ft = doc_str(doc_get(o, "fixed_time"))) != NULL &&
	    time_parse(ft, strlen(ft), TIME_ANY, &s->ro.now, NULL) == -1)
		return diag_err(d, &m, "invalid fixed_time '%s'", ft);
	if (ft == NULL && need_time)
		return diag_err(d, &m,
		    "the shards were scanned without --fixed-time: give every "
		    "shard the same --fixed-time so that they judge evidence "
		    "age and POA&M expiry at one time");
	s->fixed = ft != NULL;
	s->gate = doc_str(doc_get(o, "gate"));
	s->ro.gate = s->gate != NULL && strcmp(s->gate, "checks") == 0
	    ? GATE_CHECKS
	    : GATE_ELIGIBILITY;
	if ((s->max_results = setup_number(d, rd, o, "max_results")) < 0 ||
	    (s->max_age_days =
		    setup_number(d, rd, o, "max_evidence_age_days")) < 0)
		return -1;
	s->ro.max_results = (size_t)s->max_results;
	s->ro.max_evidence_age = (int64_t)s->max_age_days * 86400;
	load_limits_default(&s->ro.lim);
	return 0;
}

int
report_setup_check(struct diag *d, const struct report_setup *s)
{
	static const char *const roles[] = { "mapping", "rules", "plugin",
		"poam", "attestations", "crm", "scope" };
	char hex[SHA256_HEX_LEN + 1];
	const struct sign_pin *p;
	size_t i, k;
	int rc = 0;

	for (i = 0; i < s->npins; i++) {
		p = &s->pins[i];
		for (k = 0; k < sizeof(roles) / sizeof(roles[0]); k++)
			if (strcmp(p->role, roles[k]) == 0)
				break;
		if (k == sizeof(roles) / sizeof(roles[0]))
			continue;
		if (sha256_file_hex(d, p->name, hex) == -1)
			rc = -1;
		else if (strcmp(hex, p->sha256) != 0) {
			struct mark m = { p->name, 0, 0 };

			rc = diag_err(d, &m,
			    "%s file changed since the report was made "
			    "(sha256 %.12s, pinned %.12s)",
			    p->role, hex, p->sha256);
		}
	}
	return rc;
}

int
report_defs_load(
    struct diag *d, const struct report_setup *s, struct report_defs *df)
{
	size_t i;

	memset(df, 0, sizeof(*df));
	if ((df->rs = rule_set_new()) == NULL)
		return diag_sys(d, NULL, "out of memory");
	for (i = 0; i < s->nplugins; i++)
		if (rule_set_add_plugin(df->rs, d, s->plugins[i]) == -1)
			return -1;
	if (rule_set_load_shipped(df->rs, d) == -1)
		return -1;
	for (i = 0; i < s->nrules; i++)
		if (rule_set_load(df->rs, d, s->rules[i]) == -1)
			return -1;
	if ((df->bl = baseline_load(d, s->baseline, df->rs)) == NULL)
		return -1;
	if (s->poam != NULL &&
	    ((df->poam = poam_load(d, s->poam)) == NULL ||
		poam_validate(df->poam, df->bl, df->rs, d) == -1))
		return -1;
	if (s->crm != NULL &&
	    ((df->crm = crm_load(d, s->crm)) == NULL ||
		crm_apply(df->crm, df->bl, d) == -1))
		return -1;
	if (s->attest != NULL &&
	    ((df->attest = attest_load(d, s->attest)) == NULL ||
		attest_validate(df->attest, df->bl, d) == -1))
		return -1;
	if (s->scope != NULL &&
	    ((df->scope = scope_load(d, s->scope)) == NULL ||
		scope_check_controls(df->scope, df->bl, d) == -1))
		return -1;
	return 0;
}

void
report_defs_free(struct report_defs *df)
{
	poam_free(df->poam);
	attest_free(df->attest);
	scope_free(df->scope);
	baseline_free(df->bl);
	crm_free(df->crm);
	rule_set_free(df->rs);
	memset(df, 0, sizeof(*df));
}

/* A time member of the report ("started"), or 0 when absent. */
static int
read_time(
    struct diag *d, const struct report_doc *rd, const char *key, int64_t *out)
{
	const char *t = doc_str(doc_get(rd->root, key));
	struct mark m = { rd->path, 0, 0 };

	*out = 0;
	if (t != NULL && time_parse(t, strlen(t), TIME_ANY, out, NULL) == -1)
		return diag_err(d, &m, "invalid time '%s' in '%s'", t, key);
	return 0;
}

/* The options the report states (gate, evidence age, selection). */
static int
read_opts(struct diag *d, const struct report_doc *rd, struct run_opts *ro)
{
	const char *gate = doc_str(doc_get(rd->root, "gate"));
	long long age = get_int(rd->root, "max_evidence_age_days", -1);
	int64_t fin;

	if (gate != NULL)
		ro->gate = strcmp(gate, "checks") == 0 ? GATE_CHECKS
						       : GATE_ELIGIBILITY;
	if (age >= 0)
		ro->max_evidence_age = (int64_t)age * 86400;
	if (ro->now == 0) {
		if (read_time(d, rd, "finished", &fin) == -1)
			return -1;
		ro->now = fin;
	}
	return 0;
}

/* The report was made with df's baseline and mapping, else -1. */
static int
same_definitions(
    struct diag *d, const struct report_doc *rd, const struct report_defs *df)
{
	struct mark m = { rd->path, 0, 0 };
	const char *mp = df->bl->mapping;

	if (strcmp(rd->baseline_sha256, df->bl->sha256) != 0 ||
	    strcmp(rd->baseline_id, df->bl->id) != 0)
		return diag_err(d, &m,
		    "the report was made with baseline '%s' (sha256 %.12s), "
		    "not the loaded "
		    "'%s' (sha256 %.12s): load the baseline the report was "
		    "run with",
		    rd->baseline_id, rd->baseline_sha256, df->bl->id,
		    df->bl->sha256);
	if ((rd->mapping == NULL) != (mp == NULL) ||
	    (mp != NULL && strcmp(rd->mapping, mp) != 0))
		return diag_err(d, &m,
		    "the report was made with mapping '%s', not the loaded "
		    "'%s'",
		    rd->mapping ? rd->mapping : "(none)", mp ? mp : "(none)");
	return 0;
}

int
report_read_assessment(struct diag *d, const struct report_doc *rd,
    const struct report_defs *df, const struct run_opts *opts, struct run **out)
{
	struct run_opts ro;
	struct run *r;
	struct rctx x;
	int oom = 0;
	size_t i;

	*out = NULL;
	if (same_definitions(d, rd, df) == -1)
		return -1;
	memset(&ro, 0, sizeof(ro));
	if (opts != NULL)
		ro = *opts;
	else {
		ro.max_results = RUN_DEFAULT_MAX_RESULTS;
		load_limits_default(&ro.lim);
	}
	if (read_opts(d, rd, &ro) == -1 ||
	    (r = run_new(d, df->bl, df->rs, df->poam, &ro)) == NULL)
		return -1;
	r->as.opts.sel.text = run_str(r, rd->root, "selection", &oom);
	run_declare(r, df->attest, df->crm, df->scope);
	x.r = r;
	x.rd = rd;
	x.base = 0;
	x.nin = rd->inputs->u.seq.n;
	x.restore = 1;
	if (oom) {
		diag_sys(d, NULL, "out of memory");
		goto fail;
	}
	if (read_outcomes(&x) == -1 ||
	    read_time(d, rd, "started", &r->as.started) == -1 ||
	    read_time(d, rd, "finished", &r->as.finished) == -1)
		goto fail;
	r->as.shard.k = rd->shard_k;
	r->as.shard.of = rd->shard_of;
	r->as.shard.total_inputs = rd->total_inputs;
	r->as.shard.total_targets = rd->total_targets;
	r->as.shard.targets = rd->targets;
	r->as.shard.merged = (unsigned)get_int(rd->root, "merged_shards", 0);
	memset(r->as.count_checks, 0, sizeof(r->as.count_checks));
	for (i = 0; i < r->as.nchecks; i++)
		r->as.count_checks[r->as.checks[i].status]++;
	if (decide(&r->as, d) == -1)
		goto fail;
	*out = r;
	return 0;
fail:
	run_free(r);
	return -1;
}

int
report_read_opts(struct diag *d, struct arena *a, const struct report_doc *rd,
    struct report_opts *o)
{
	const struct doc_node *cfg = doc_get(rd->root, "config");
	const struct doc_node *ns = doc_get(rd->root, "new_since");
	const struct doc_node *opts = doc_get(rd->provenance, "options");
	const struct doc_node *env, *kn;
	const char *ft = doc_str(doc_get(opts, "fixed_time"));
	const char **v;
	struct strbuf sb;
	struct jw w;
	size_t i;
	int oom = 0;

	o->tool_version = rd->version;
	if (ft != NULL &&
	    time_parse(ft, strlen(ft), TIME_ANY, &o->fixed_time, NULL) == -1) {
		struct mark m = { rd->path, 0, 0 };

		return diag_err(d, &m, "invalid fixed_time '%s'", ft);
	}
	if (rd->provenance != NULL) {
		sb_init(&sb);
		jw_init_sb(&w, &sb);
		jw_doc(&w, rd->provenance);
		oom |= jw_finish(&w) == -1 ||
		    (o->provenance = arena_strdup(a, sb.s ? sb.s : "")) == NULL;
		sb_free(&sb);
	}
	if (cfg != NULL) {
		o->config_file = doc_str(doc_get(cfg, "file"));
		o->config_sha256 = doc_str(doc_get(cfg, "sha256"));
		env = doc_get(cfg, "env");
		if (env != NULL && env->type == DOC_SEQ && env->u.seq.n > 0) {
			v = arena_alloc(a, env->u.seq.n * sizeof(*v));
			for (i = 0; v != NULL && i < env->u.seq.n; i++)
				v[i] = doc_str(env->u.seq.items[i]);
			oom |= v == NULL;
			o->config_env = v;
			o->nconfig_env = v ? env->u.seq.n : 0;
		}
	}
	if (ns != NULL) {
		o->new_since = doc_str(doc_get(ns, "report"));
		o->nnew = (size_t)get_int(ns, "new", 0);
		kn = doc_get(ns, "known");
		if (kn != NULL && kn->type == DOC_SEQ && kn->u.seq.n > 0) {
			v = arena_alloc(a, kn->u.seq.n * sizeof(*v));
			for (i = 0; v != NULL && i < kn->u.seq.n; i++)
				v[i] = doc_str(kn->u.seq.items[i]);
			oom |= v == NULL;
			o->known = v;
			o->nknown = v ? kn->u.seq.n : 0;
		}
	}
	return oom ? diag_sys(d, NULL, "out of memory") : 0;
}
