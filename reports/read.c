/*
 * read.c: the reader of the JSON report (docs/report.schema.json), the
 * "one reader" of the assessment model (issue 10), as far as `rampart
 * merge` needs it: per input its identity, digest, collection time and
 * account; per check its counts, listed results with evidence, the
 * evidence seen and whether a complete listing was seen.  Statuses,
 * explanations and control decisions are not read back: they are
 * decided again by run_finish() from what is read, exactly as one run
 * decides them.
 */
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

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
report_doc_load(struct diag *d, const char *path, struct report_doc **out)
{
	char *buf = NULL;
	size_t len = 0;

	*out = NULL;
	/* Read once: the same bytes are hashed, verified and parsed. */
	if (file_read_all(d, path, 0, &buf, &len) == -1)
		return -1;
	return report_doc_from_buf(d, path, buf, len, out);
}

int
report_doc_from_buf(struct diag *d, const char *name, char *buf, size_t len,
    struct report_doc **out)
{
	struct report_doc *rd;
	struct doc_node **docs = NULL;
	const struct doc_node *bl, *sh;
	struct mark m = { name, 0, 0 };
	size_t n = 0;

	*out = NULL;
	if ((rd = lib_calloc(1, sizeof(*rd))) == NULL ||
	    (rd->a = arena_new()) == NULL) {
		lib_free(rd);
		lib_free(buf);
		return diag_sys(d, NULL, "out of memory");
	}
	rd->buf = buf;
	rd->len = len;
	if ((rd->path = arena_strdup(rd->a, name)) == NULL) {
		report_doc_free(rd);
		return diag_sys(d, NULL, "out of memory");
	}
	if (doc_load_buf(rd->a, d, rd->path, rd->buf, rd->len, DOC_FMT_JSON,
		NULL, &docs, &n) == -1) {
		report_doc_free(rd);
		return -1;
	}
	sha256_hex(rd->buf, rd->len, rd->sha256);
	rd->root = n == 1 ? docs[0] : NULL;
	bl = doc_get(rd->root, "baseline");
	rd->verdict = doc_str(doc_get(rd->root, "verdict"));
	rd->baseline_id = doc_str(doc_get(bl, "id"));
	rd->baseline_sha256 = doc_str(doc_get(bl, "sha256"));
	rd->mapping = doc_str(doc_get(bl, "mapping"));
	rd->version = doc_str(doc_get(doc_get(rd->root, "rampart"), "version"));
	rd->provenance = doc_get(rd->root, "provenance");
	rd->inputs = doc_get(rd->root, "inputs");
	rd->controls = doc_get(rd->root, "controls");
	if (rd->root == NULL || rd->root->type != DOC_MAP ||
	    rd->verdict == NULL || rd->baseline_id == NULL ||
	    rd->baseline_sha256 == NULL || rd->inputs == NULL ||
	    rd->inputs->type != DOC_SEQ || rd->controls == NULL ||
	    rd->controls->type != DOC_SEQ) {
		report_doc_free(rd);
		return diag_err(d, &m,
		    "not a rampart JSON report (verdict, baseline, inputs and "
		    "controls are required)");
	}
	if ((sh = doc_get(rd->root, "shard")) != NULL) {
		rd->shard_k = (unsigned)get_int(sh, "index", 0);
		rd->shard_of = (unsigned)get_int(sh, "of", 0);
		rd->total_inputs = (size_t)get_int(sh, "total_inputs", 0);
		rd->total_targets = (size_t)get_int(sh, "total_targets", 0);
		rd->targets = (size_t)get_int(sh, "targets", 0);
	}
	*out = rd;
	return 0;
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

/* One listed result into o, from input `in` of r. */
static int
read_result(struct run *r, struct check_outcome *o, const struct doc_node *n,
    size_t base, size_t ninputs)
{
	struct check_result res;
	const struct doc_node *ev, *e;
	struct evidence *v = NULL;
	long long in;
	size_t i;
	int oom = 0;

	memset(&res, 0, sizeof(res));
	if (status_of(doc_str(doc_get(n, "status")), &res.status) == -1 ||
	    (in = get_int(n, "input", -1)) < 0 || (size_t)in >= ninputs) {
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
	return run_add_result(r, o, &res, (uint32_t)(base + (size_t)in));
}

/* The outcome of one check, the first time the report shows it. */
static int
read_check(struct run *r, struct check_outcome *o, const struct doc_node *n,
    size_t base, size_t ninputs)
{
	const struct doc_node *cnt, *seen, *res, *cl;
	size_t i, t;
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
	for (i = 0; i < res->u.seq.n; i++)
		if (read_result(r, o, res->u.seq.items[i], base, ninputs) == -1)
			return -1;
	return 0;
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

int
report_read_outcomes(struct run *r, const struct report_doc *rd)
{
	const struct doc_node *ctl = rd->controls, *cks;
	unsigned char *done;
	size_t i, j, k, base = r->as.ninputs, nin = rd->inputs->u.seq.n;
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
			if (read_check(r, &r->as.checks[k], cks->u.seq.items[j],
				base, nin) == -1) {
				lib_free(done);
				return -1;
			}
		}
	}
	lib_free(done);
	return 0;
}
