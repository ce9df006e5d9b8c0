/*
 * marketplace.c: the FedRAMP Marketplace feed, placement workloads and the
 * placement decision.  See marketplace.h and docs/placement.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/marketplace.h"

#define FEED_MAX_BYTES (256u << 20)

static const struct {
	const char *text;
	enum mkt_status st;
} statuses[] = {
	{ "Agency In Process", MKT_ST_AGENCY_IN_PROCESS },
	{ "FedRAMP Authorized", MKT_ST_AUTHORIZED },
	{ "FedRAMP In Process", MKT_ST_IN_PROCESS },
	{ "FedRAMP Ready", MKT_ST_READY },
};

static const struct {
	const char *feed; /* as the feed spells it */
	const char *name; /* as a workload spells it */
	enum mkt_level level;
} levels[] = {
	{ "LI-SaaS", "li-saas", MKT_LVL_LI_SAAS },
	{ "Low", "low", MKT_LVL_LOW },
	{ "Moderate", "moderate", MKT_LVL_MODERATE },
	{ "High", "high", MKT_LVL_HIGH },
};

static const struct {
	const char *name;
	unsigned bit;
} models[] = {
	{ "IaaS", MKT_SM_IAAS },
	{ "PaaS", MKT_SM_PAAS },
	{ "SaaS", MKT_SM_SAAS },
};

#define NELEM(x) (sizeof(x) / sizeof((x)[0]))

enum mkt_status
mkt_status_from_feed(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < NELEM(statuses); i++)
		if (strcmp(s, statuses[i].text) == 0)
			return statuses[i].st;
	return MKT_ST_UNKNOWN;
}

const char *
mkt_status_name(enum mkt_status s)
{
	switch (s) {
	case MKT_ST_AUTHORIZED:
		return "authorized";
	case MKT_ST_READY:
		return "ready";
	case MKT_ST_IN_PROCESS:
		return "in_process";
	case MKT_ST_AGENCY_IN_PROCESS:
		return "agency_in_process";
	default:
		return "unknown";
	}
}

enum mkt_level
mkt_level_from_feed(const char *s, int *is_20x)
{
	size_t i;

	*is_20x = 0;
	if (s == NULL)
		return MKT_LVL_UNKNOWN;
	if (strncmp(s, "20x ", 4) == 0) {
		*is_20x = 1;
		s += 4;
	}
	for (i = 0; i < NELEM(levels); i++)
		if (strcmp(s, levels[i].feed) == 0)
			return levels[i].level;
	*is_20x = 0;
	return MKT_LVL_UNKNOWN;
}

const char *
mkt_level_name(enum mkt_level l)
{
	size_t i;

	for (i = 0; i < NELEM(levels); i++)
		if (levels[i].level == l)
			return levels[i].name;
	return "unknown";
}

int
mkt_level_parse(const char *s, enum mkt_level *out)
{
	size_t i;

	for (i = 0; s != NULL && i < NELEM(levels); i++)
		if (strcmp(s, levels[i].name) == 0) {
			*out = levels[i].level;
			return 0;
		}
	return -1;
}

/* The feed's spelling of a level ("Moderate"). */
static const char *
level_feed_name(enum mkt_level l)
{
	size_t i;

	for (i = 0; i < NELEM(levels); i++)
		if (levels[i].level == l)
			return levels[i].feed;
	return "unknown";
}

static unsigned
model_bit(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < NELEM(models); i++)
		if (strcmp(s, models[i].name) == 0)
			return models[i].bit;
	return 0;
}

const char *
mkt_verdict_name(enum mkt_verdict v)
{
	return v == MKT_ELIGIBLE    ? "eligible"
	    : v == MKT_NOT_ELIGIBLE ? "not_eligible"
				    : "incomplete";
}

/* ---------------------------------------------------------------- feed */

void
mkt_feed_free(struct mkt_feed *f)
{
	if (f == NULL)
		return;
	arena_free(f->a);
	lib_free(f);
}

static int
offering_cmp(const void *x, const void *y)
{
	const struct mkt_offering *a = x, *b = y;

	return strcmp(a->id, b->id);
}

const struct mkt_offering *
mkt_find(const struct mkt_feed *f, const char *id)
{
	struct mkt_offering key;

	memset(&key, 0, sizeof(key));
	key.id = id;
	return bsearch(&key, f->v, f->n, sizeof(f->v[0]), offering_cmp);
}

/* A required string member of map n, else an error at n. */
static const char *
need_str(struct diag *d, const struct doc_node *n, const char *key)
{
	const struct doc_node *v = doc_get(n, key);

	if (v == NULL || v->type != DOC_STRING) {
		diag_err(d, &n->mark, "'%s' is missing or not a string", key);
		return NULL;
	}
	return v->str;
}

/* An optional string member: NULL when absent; an error when not a string. */
static int
opt_str(
    struct diag *d, const struct doc_node *n, const char *key, const char **out)
{
	const struct doc_node *v = doc_get(n, key);

	*out = NULL;
	if (v == NULL || v->type == DOC_NULL)
		return 0;
	if (v->type != DOC_STRING)
		return diag_err(d, &v->mark, "'%s' is not a string", key);
	*out = v->str;
	return 0;
}

static int
load_offering(struct mkt_feed *f, struct diag *d, const struct doc_node *p,
    struct mkt_offering *o)
{
	const struct doc_node *sm, *ls, *it;
	size_t i;
	unsigned bit;

	if (p->type != DOC_MAP)
		return diag_err(d, &p->mark, "an offering is not a map");
	o->mark = p->mark;
	if ((o->id = need_str(d, p, "id")) == NULL ||
	    (o->csp = need_str(d, p, "csp")) == NULL ||
	    (o->cso = need_str(d, p, "cso")) == NULL ||
	    (o->status = need_str(d, p, "status")) == NULL ||
	    (o->impact_level = need_str(d, p, "impact_level")) == NULL)
		return -1;
	if (o->id[0] == '\0')
		return diag_err(d, &p->mark, "an offering has an empty 'id'");
	if (opt_str(d, p, "deployment_model", &o->deployment_model) == -1 ||
	    opt_str(d, p, "auth_type", &o->auth_type) == -1 ||
	    opt_str(d, p, "auth_date", &o->auth_date) == -1 ||
	    opt_str(d, p, "annual_assessment", &o->annual_assessment) == -1)
		return -1;
	o->st = mkt_status_from_feed(o->status);
	o->level = mkt_level_from_feed(o->impact_level, &o->is_20x);
	if (o->st == MKT_ST_UNKNOWN)
		diag_warn(d, &p->mark,
		    "offering '%s': unknown status '%s' (not taken as an "
		    "authorization)",
		    o->id, o->status);
	if (o->level == MKT_LVL_UNKNOWN)
		diag_warn(d, &p->mark,
		    "offering '%s': unknown impact level '%s'", o->id,
		    o->impact_level);
	sm = doc_get(p, "service_model");
	if (sm == NULL || sm->type != DOC_SEQ)
		return diag_err(d, &p->mark,
		    "offering '%s': 'service_model' is missing or not a list",
		    o->id);
	o->nmodels = sm->u.seq.n;
	o->service_models =
	    arena_alloc(f->a, (sm->u.seq.n + 1) * sizeof(char *));
	if (o->service_models == NULL)
		return diag_sys(d, NULL, "out of memory");
	for (i = 0; i < sm->u.seq.n; i++) {
		it = sm->u.seq.items[i];
		if (it->type != DOC_STRING)
			return diag_err(d, &it->mark,
			    "offering '%s': a service model is not a string",
			    o->id);
		o->service_models[i] = it->str;
		if ((bit = model_bit(it->str)) == 0) {
			o->unknown_model = 1;
			diag_warn(d, &it->mark,
			    "offering '%s': unknown service model '%s'", o->id,
			    it->str);
		}
		o->models |= bit;
	}
	ls = doc_get(p, "leveraged_systems");
	if (ls == NULL || ls->type != DOC_SEQ)
		return diag_err(d, &p->mark,
		    "offering '%s': 'leveraged_systems' is missing or not a "
		    "list",
		    o->id);
	o->nleveraged = ls->u.seq.n;
	o->leveraged = arena_alloc(f->a, (ls->u.seq.n + 1) * sizeof(char *));
	if (o->leveraged == NULL)
		return diag_sys(d, NULL, "out of memory");
	for (i = 0; i < ls->u.seq.n; i++) {
		it = ls->u.seq.items[i];
		/* The official feed lists objects, the compact copy ids. */
		if (it->type == DOC_MAP)
			it = doc_get(it, "id");
		if (it == NULL || it->type != DOC_STRING)
			return diag_err(d, &ls->u.seq.items[i]->mark,
			    "offering '%s': a leveraged system has no string "
			    "'id'",
			    o->id);
		o->leveraged[i] = it->str;
	}
	if (o->st == MKT_ST_UNKNOWN || o->level == MKT_LVL_UNKNOWN ||
	    o->unknown_model)
		f->nunknown++;
	return 0;
}

static int
load_meta(struct mkt_feed *f, struct diag *d, const struct doc_node *root,
    const struct doc_node *meta, const char *what)
{
	const struct doc_node *lc;
	struct time_error te;

	if (meta == NULL || meta->type != DOC_MAP)
		return diag_err(
		    d, &root->mark, "'%s' is missing or not a map", what);
	lc = doc_get(meta, "last_change");
	if (lc == NULL || lc->type != DOC_STRING)
		return diag_err(d, &meta->mark,
		    "'%s.last_change' is missing or not a string", what);
	if (time_parse(
		lc->str, lc->len, TIME_DATETIME, &f->last_change_t, &te) == -1)
		return diag_err(d, &lc->mark,
		    "'%s.last_change' is not an RFC 3339 time: %s", what,
		    te.why);
	f->last_change = lc->str;
	if (opt_str(d, meta, "produced_by", &f->produced_by) == -1)
		return -1;
	return 0;
}

static int
is_hex64(const char *s)
{
	size_t i;

	for (i = 0; i < SHA256_HEX_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[i] == '\0';
}

struct mkt_feed *
mkt_feed_load(struct diag *d, const char *path)
{
	struct mkt_feed *f;
	char *buf = NULL;
	size_t len;

	if (file_read_all(d, path, FEED_MAX_BYTES, &buf, &len) == -1)
		return NULL;
	f = mkt_feed_load_buf(d, path, buf, len);
	lib_free(buf);
	return f;
}

struct mkt_feed *
mkt_feed_load_buf(struct diag *d, const char *name, const char *buf, size_t len)
{
	struct mkt_feed *f = NULL;
	struct load_limits lim;
	struct doc_node *root, *data, *list, *v;
	size_t i, j;
	size_t nerr = d->nerrors;

	if ((f = lib_calloc(1, sizeof(*f))) == NULL ||
	    (f->a = arena_new()) == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto fail;
	}
	if ((f->path = arena_strdup(f->a, name)) == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto fail;
	}
	sha256_hex(buf, len, f->sha256);
	load_limits_default(&lim);
	{
		struct doc_node **docs;
		size_t ndocs;

		if (doc_load_buf(f->a, d, f->path, buf, len, DOC_FMT_JSON, &lim,
			&docs, &ndocs) == -1)
			goto fail;
		if (ndocs != 1) {
			diag_err(d, NULL, "%s: not one JSON document", name);
			goto fail;
		}
		root = docs[0];
	}
	if (root->type != DOC_MAP) {
		diag_err(d, &root->mark, "the feed is not a JSON object");
		goto fail;
	}
	if ((v = doc_get(root, "rampart_marketplace")) != NULL) {
		/* rampart's compact copy. */
		if (v->type != DOC_INT || v->u.i != 1) {
			diag_err(d, &v->mark,
			    "unsupported compact feed version (want 1)");
			goto fail;
		}
		f->compact = 1;
		if (load_meta(f, d, root, doc_get(root, "source"), "source") ==
		    -1)
			goto fail;
		v = doc_get(doc_get(root, "source"), "sha256");
		if (v == NULL || v->type != DOC_STRING || !is_hex64(v->str)) {
			diag_err(d, &root->mark,
			    "'source.sha256' is missing or not 64 hex digits");
			goto fail;
		}
		f->source_sha256 = v->str;
		list = doc_get(root, "offerings");
		if (list == NULL || list->type != DOC_SEQ) {
			diag_err(d, &root->mark,
			    "'offerings' is missing or not a list");
			goto fail;
		}
	} else {
		if (load_meta(f, d, root, doc_get(root, "meta"), "meta") == -1)
			goto fail;
		f->source_sha256 = f->sha256;
		data = doc_get(root, "data");
		if (data == NULL || data->type != DOC_MAP) {
			diag_err(d, &root->mark,
			    "'data' is missing or not a map (not a FedRAMP "
			    "Marketplace feed)");
			goto fail;
		}
		list = doc_get(data, "Products");
		if (list == NULL || list->type != DOC_SEQ) {
			diag_err(d, &data->mark,
			    "'data.Products' is missing or not a list");
			goto fail;
		}
	}
	if (list->u.seq.n == 0) {
		diag_err(d, &list->mark, "the feed lists no offerings");
		goto fail;
	}
	f->n = list->u.seq.n;
	if ((f->v = arena_alloc(f->a, f->n * sizeof(f->v[0]))) == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto fail;
	}
	for (i = 0; i < f->n; i++)
		(void)load_offering(f, d, list->u.seq.items[i], &f->v[i]);
	if (d->nerrors > nerr)
		goto fail;
	qsort(f->v, f->n, sizeof(f->v[0]), offering_cmp);
	for (i = 1; i < f->n; i++)
		if (strcmp(f->v[i - 1].id, f->v[i].id) == 0)
			diag_err(d, &f->v[i].mark, "duplicate offering id '%s'",
			    f->v[i].id);
	if (d->nerrors > nerr)
		goto fail;
	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->v[i].nleveraged; j++)
			if (mkt_find(f, f->v[i].leveraged[j]) == NULL)
				diag_warn(d, &f->v[i].mark,
				    "offering '%s': leveraged system '%s' is "
				    "not in the feed",
				    f->v[i].id, f->v[i].leveraged[j]);
	return f;
fail:
	mkt_feed_free(f);
	return NULL;
}

static void
put_json_str(FILE *fp, const char *s)
{
	char esc[6];
	size_t n;

	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if ((n = json_escape((unsigned char)*s, esc)) > 0)
			fwrite(esc, 1, n, fp);
		else
			fputc(*s, fp);
	}
	fputc('"', fp);
}

int
mkt_feed_write_compact(const struct mkt_feed *f, FILE *fp)
{
	const struct mkt_offering *o;
	size_t i, j;

	fputs("{\n  \"rampart_marketplace\": 1,\n  \"source\": {\n"
	      "    \"last_change\": ",
	    fp);
	put_json_str(fp, f->last_change);
	fputs(",\n    \"produced_by\": ", fp);
	put_json_str(fp, f->produced_by);
	fputs(",\n    \"sha256\": ", fp);
	put_json_str(fp, f->source_sha256);
	fputs("\n  },\n  \"offerings\": [", fp);
	for (i = 0; i < f->n; i++) {
		o = &f->v[i];
		fputs(i > 0 ? ",\n    {" : "\n    {", fp);
		fputs("\"id\": ", fp);
		put_json_str(fp, o->id);
		fputs(", \"csp\": ", fp);
		put_json_str(fp, o->csp);
		fputs(", \"cso\": ", fp);
		put_json_str(fp, o->cso);
		fputs(", \"status\": ", fp);
		put_json_str(fp, o->status);
		fputs(", \"impact_level\": ", fp);
		put_json_str(fp, o->impact_level);
		fputs(", \"service_model\": [", fp);
		for (j = 0; j < o->nmodels; j++) {
			if (j > 0)
				fputs(", ", fp);
			put_json_str(fp, o->service_models[j]);
		}
		fputs("], \"deployment_model\": ", fp);
		put_json_str(fp, o->deployment_model);
		fputs(", \"auth_type\": ", fp);
		put_json_str(fp, o->auth_type);
		fputs(", \"auth_date\": ", fp);
		put_json_str(fp, o->auth_date);
		fputs(", \"annual_assessment\": ", fp);
		put_json_str(fp, o->annual_assessment);
		fputs(", \"leveraged_systems\": [", fp);
		for (j = 0; j < o->nleveraged; j++) {
			if (j > 0)
				fputs(", ", fp);
			put_json_str(fp, o->leveraged[j]);
		}
		fputs("]}", fp);
	}
	fputs("\n  ]\n}\n", fp);
	return ferror(fp) ? -1 : 0;
}

/* ------------------------------------------------------------ workload */

void
mkt_workload_free(struct mkt_workload *w)
{
	if (w == NULL)
		return;
	arena_free(w->a);
	lib_free(w);
}

static int
workload_fields(struct mkt_workload *w, struct diag *d, struct doc_node *root)
{
	static const char *const known[] = { "baseline", "impact", "name",
		"providers", "service_models" };
	const struct doc_node *v, *it;
	size_t i, k;
	unsigned bit;

	if (root->type != DOC_MAP)
		return diag_err(d, &root->mark, "a workload is a map");
	for (i = 0; i < root->u.map.n; i++) {
		for (k = 0; k < NELEM(known); k++)
			if (strcmp(root->u.map.pairs[i].key->str, known[k]) ==
			    0)
				break;
		if (k == NELEM(known))
			diag_err(d, &root->u.map.pairs[i].key->mark,
			    "unknown workload key '%s' (name, impact, "
			    "service_models, providers, baseline)",
			    root->u.map.pairs[i].key->str);
	}
	if ((w->name = need_str(d, root, "name")) == NULL)
		return -1;
	v = doc_get(root, "impact");
	if (v == NULL || v->type != DOC_STRING)
		return diag_err(d, &root->mark,
		    "'impact' is missing (li-saas, low, moderate, high)");
	if (mkt_level_parse(v->str, &w->impact) == -1)
		return diag_err(d, &v->mark,
		    "unknown impact '%s' (li-saas, low, moderate, high)",
		    v->str);
	if ((v = doc_get(root, "service_models")) != NULL) {
		if (v->type != DOC_SEQ || v->u.seq.n == 0)
			return diag_err(d, &v->mark,
			    "'service_models' is not a non-empty list");
		for (i = 0; i < v->u.seq.n; i++) {
			it = v->u.seq.items[i];
			if ((bit = model_bit(doc_str(it))) == 0)
				return diag_err(d, &it->mark,
				    "unknown service model '%s' (IaaS, PaaS, "
				    "SaaS)",
				    it->type == DOC_STRING ? it->str : "?");
			w->models |= bit;
		}
	}
	if ((v = doc_get(root, "providers")) != NULL) {
		if (v->type != DOC_SEQ || v->u.seq.n == 0)
			return diag_err(
			    d, &v->mark, "'providers' is not a non-empty list");
		w->nproviders = v->u.seq.n;
		w->providers = arena_alloc(w->a, v->u.seq.n * sizeof(char *));
		if (w->providers == NULL)
			return diag_sys(d, NULL, "out of memory");
		for (i = 0; i < v->u.seq.n; i++) {
			it = v->u.seq.items[i];
			if (it->type != DOC_STRING || it->len == 0)
				return diag_err(d, &it->mark,
				    "a provider is not a non-empty string");
			w->providers[i] = it->str;
		}
	}
	if ((v = doc_get(root, "baseline")) != NULL) {
		if (v->type != DOC_STRING || v->len == 0)
			return diag_err(
			    d, &v->mark, "'baseline' is not a string");
		w->baseline = v->str;
	} else {
		w->baseline =
		    arena_printf(w->a, "fedramp-%s", mkt_level_name(w->impact));
		if (w->baseline == NULL)
			return diag_sys(d, NULL, "out of memory");
	}
	return 0;
}

struct mkt_workload *
mkt_workload_load(struct diag *d, const char *path)
{
	struct mkt_workload *w;
	struct load_limits lim;
	struct doc_node *root;
	size_t nerr = d->nerrors;

	if ((w = lib_calloc(1, sizeof(*w))) == NULL ||
	    (w->a = arena_new()) == NULL) {
		lib_free(w);
		diag_sys(d, NULL, "out of memory");
		return NULL;
	}
	load_limits_default(&lim);
	lim.digest = NULL;
	if ((w->path = arena_strdup(w->a, path)) == NULL ||
	    sha256_file_hex(d, path, w->sha256) == -1 ||
	    (root = doc_load_one(w->a, d, path, DOC_FMT_AUTO, &lim)) == NULL ||
	    workload_fields(w, d, root) == -1 || d->nerrors > nerr) {
		mkt_workload_free(w);
		return NULL;
	}
	return w;
}

/* ------------------------------------------------------------ decision */

static int
provider_match(const struct mkt_workload *w, const struct mkt_offering *o)
{
	size_t i;

	if (w->nproviders == 0)
		return 1;
	for (i = 0; i < w->nproviders; i++)
		if (strcasecmp(w->providers[i], o->csp) == 0)
			return 1;
	return 0;
}

struct reasons {
	struct arena *a;
	const char **v;
	size_t n, cap;
	int oom;
};

static void reason_add(struct reasons *r, const char *fmt, ...)
    PRINTF_LIKE(2, 3);

static void
reason_add(struct reasons *r, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];
	const char **nv;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (r->n == r->cap) {
		nv = arena_realloc(r->a, r->v, r->cap * sizeof(char *),
		    (r->cap ? r->cap * 2 : 8) * sizeof(char *));
		if (nv == NULL) {
			r->oom = 1;
			return;
		}
		r->v = nv;
		r->cap = r->cap ? r->cap * 2 : 8;
	}
	if ((r->v[r->n] = arena_strdup(r->a, buf)) == NULL) {
		r->oom = 1;
		return;
	}
	r->n++;
}

/*
 * The offerings o is built on: those whose leveraged_systems name o,
 * transitively (breadth first, each once).  by[] is the inverse index.
 */
struct inverse {
	size_t *start; /* f->n + 1 offsets into idx */
	size_t *idx;
};

static int
inverse_build(struct arena *a, const struct mkt_feed *f, struct inverse *inv)
{
	size_t i, j, k, total = 0, *fill;
	const struct mkt_offering *t;

	inv->start = arena_alloc(a, (f->n + 1) * sizeof(size_t));
	fill = arena_alloc(a, (f->n + 1) * sizeof(size_t));
	if (inv->start == NULL || fill == NULL)
		return -1;
	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->v[i].nleveraged; j++)
			if ((t = mkt_find(f, f->v[i].leveraged[j])) != NULL) {
				inv->start[t - f->v + 1]++;
				total++;
			}
	for (i = 0; i < f->n; i++)
		inv->start[i + 1] += inv->start[i];
	if ((inv->idx = arena_alloc(a, (total + 1) * sizeof(size_t))) == NULL)
		return -1;
	memcpy(fill, inv->start, (f->n + 1) * sizeof(size_t));
	/* i ascends, so each list of bases is sorted by index (= id). */
	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->v[i].nleveraged; j++)
			if ((t = mkt_find(f, f->v[i].leveraged[j])) != NULL) {
				k = (size_t)(t - f->v);
				inv->idx[fill[k]++] = i;
			}
	return 0;
}

static int
bases_of(struct arena *a, const struct mkt_feed *f, const struct inverse *inv,
    size_t self, struct mkt_candidate *c)
{
	unsigned char *seen;
	size_t *queue, *depth, head = 0, tail = 0, k, b;

	seen = arena_alloc(a, f->n);
	queue = arena_alloc(a, f->n * sizeof(size_t));
	depth = arena_alloc(a, f->n * sizeof(size_t));
	if (seen == NULL || queue == NULL || depth == NULL)
		return -1;
	seen[self] = 1;
	queue[tail] = self;
	depth[tail++] = 0;
	while (head < tail) {
		k = queue[head];
		for (b = inv->start[k]; b < inv->start[k + 1]; b++) {
			if (seen[inv->idx[b]])
				continue;
			seen[inv->idx[b]] = 1;
			queue[tail] = inv->idx[b];
			depth[tail++] = depth[head] + 1;
		}
		head++;
	}
	c->nbases = tail - 1;
	if (c->nbases == 0)
		return 0;
	if ((c->bases = arena_alloc(a, c->nbases * sizeof(c->bases[0]))) ==
	    NULL)
		return -1;
	for (k = 1; k < tail; k++) {
		c->bases[k - 1].o = &f->v[queue[k]];
		c->bases[k - 1].depth = (int)depth[k];
	}
	return 0;
}

static const char *
models_text(unsigned m, char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < NELEM(models); i++)
		if (m & models[i].bit)
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
			    o ? ", " : "", models[i].name);
	return buf;
}

/* The feed's own list of service models, unknown ones included. */
static const char *
models_list(const struct mkt_offering *o, char *buf, size_t len)
{
	size_t i, n = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; i < o->nmodels && n < len; i++) {
		w = snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
		    o->service_models[i]);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	if (o->nmodels == 0)
		snprintf(buf, len, "none");
	return buf;
}

/* Decide one candidate.  0 or -1 (memory). */
static int
decide_one(struct arena *a, const struct mkt_feed *f,
    const struct mkt_workload *w, const struct inverse *inv, size_t idx,
    const struct mkt_evidence *ev, struct mkt_candidate *c)
{
	const struct mkt_offering *o = &f->v[idx], *b;
	struct reasons r = { a, NULL, 0, 0, 0 };
	const char *want = level_feed_name(w->impact);
	char buf[64], buf2[256];
	int blocked = 0, open = 0;
	size_t i;

	c->o = o;
	c->evidence = ev;
	switch (o->st) {
	case MKT_ST_AUTHORIZED:
		break;
	case MKT_ST_UNKNOWN:
		open = 1;
		reason_add(&r,
		    "status '%s' is not one rampart knows: not taken as an "
		    "authorization",
		    o->status);
		break;
	default:
		blocked = 1;
		reason_add(&r,
		    "status is '%s': only FedRAMP Authorized is an "
		    "authorization",
		    o->status);
		break;
	}
	if (o->level == MKT_LVL_UNKNOWN) {
		open = 1;
		reason_add(&r, "impact level '%s' is not one rampart knows",
		    o->impact_level);
	} else if (o->level < w->impact) {
		blocked = 1;
		reason_add(&r, "authorized at '%s', below the workload's '%s'",
		    o->impact_level, want);
	}
	if ((w->models & ~o->models) != 0) {
		blocked = 1;
		reason_add(&r, "does not provide %s (the feed lists: %s)",
		    models_text(w->models & ~o->models, buf, sizeof(buf)),
		    models_list(o, buf2, sizeof(buf2)));
	}
	if (bases_of(a, f, inv, idx, c) == -1)
		return -1;
	for (i = 0; i < c->nbases; i++) {
		b = c->bases[i].o;
		if (b->st == MKT_ST_UNKNOWN || b->level == MKT_LVL_UNKNOWN) {
			open = 1;
			reason_add(&r,
			    "built on '%s' (%s) whose status '%s' or level "
			    "'%s' rampart does not know",
			    b->id, b->cso, b->status, b->impact_level);
		} else if (b->st != MKT_ST_AUTHORIZED) {
			blocked = 1;
			reason_add(&r, "built on '%s' (%s), which is '%s'",
			    b->id, b->cso, b->status);
		} else if (b->level < w->impact) {
			blocked = 1;
			reason_add(&r,
			    "built on '%s' (%s), authorized at '%s', below "
			    "'%s'",
			    b->id, b->cso, b->impact_level, want);
		}
	}
	if (ev != NULL) {
		if (ev->baseline_id == NULL ||
		    strcmp(ev->baseline_id, w->baseline) != 0) {
			blocked = 1;
			reason_add(&r,
			    "tenancy evidence '%s' is for baseline '%s', not "
			    "the workload's '%s'",
			    ev->path, ev->baseline_id ? ev->baseline_id : "-",
			    w->baseline);
		} else if (ev->verdict != NULL &&
		    strcmp(ev->verdict, "eligible") == 0) {
			/* Evidence supports the placement: no reason. */
		} else if (ev->verdict != NULL &&
		    strcmp(ev->verdict, "incomplete") == 0) {
			open = 1;
			reason_add(&r,
			    "tenancy evidence '%s' is incomplete: the "
			    "tenancy is not shown compliant",
			    ev->path);
		} else {
			blocked = 1;
			reason_add(&r,
			    "tenancy evidence '%s' is '%s': the tenancy is "
			    "not compliant with '%s'",
			    ev->path, ev->verdict ? ev->verdict : "-",
			    w->baseline);
		}
	}
	if (r.oom)
		return -1;
	c->reasons = r.v;
	c->nreasons = r.n;
	c->decision = blocked ? MKT_NOT_ELIGIBLE
	    : open            ? MKT_INCOMPLETE
			      : MKT_ELIGIBLE;
	return 0;
}

/*
 * Ranking: eligible first, then incomplete, then not eligible; within a
 * group those with tenancy evidence first, then the higher authorized level, then fewer reasons, then csp,
 * cso and id, so the order is total and the output deterministic.
 */
static int
candidate_cmp(const void *x, const void *y)
{
	const struct mkt_candidate *a = x, *b = y;
	static const int rank[] = { 0, 2, 1 };
	int c;

	if (rank[a->decision] != rank[b->decision])
		return rank[a->decision] - rank[b->decision];
	/* Verified tenancy evidence ranks a candidate above one without. */
	if ((a->evidence != NULL) != (b->evidence != NULL))
		return a->evidence != NULL ? -1 : 1;
	if (a->o->level != b->o->level)
		return (int)b->o->level - (int)a->o->level;
	if (a->nreasons != b->nreasons)
		return a->nreasons < b->nreasons ? -1 : 1;
	if ((c = strcmp(a->o->csp, b->o->csp)) != 0)
		return c;
	if ((c = strcmp(a->o->cso, b->o->cso)) != 0)
		return c;
	return strcmp(a->o->id, b->o->id);
}

int
mkt_decide(struct arena *a, const struct mkt_feed *f,
    const struct mkt_workload *w, const struct mkt_evidence *ev, size_t nev,
    int64_t now, struct mkt_placement *out)
{
	struct inverse inv;
	const struct mkt_evidence *e;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	if (inverse_build(a, f, &inv) == -1)
		return -1;
	if ((out->v = arena_alloc(a, (f->n + 1) * sizeof(out->v[0]))) == NULL)
		return -1;
	for (i = 0; i < f->n; i++) {
		if (!provider_match(w, &f->v[i]))
			continue;
		e = NULL;
		for (j = 0; j < nev; j++)
			if (strcmp(ev[j].offering_id, f->v[i].id) == 0)
				e = &ev[j];
		if (decide_one(a, f, w, &inv, i, e, &out->v[out->n]) == -1)
			return -1;
		out->count[out->v[out->n].decision]++;
		out->n++;
	}
	qsort(out->v, out->n, sizeof(out->v[0]), candidate_cmp);
	out->verdict = out->count[MKT_ELIGIBLE] > 0 ? MKT_ELIGIBLE
	    : out->count[MKT_INCOMPLETE] > 0        ? MKT_INCOMPLETE
						    : MKT_NOT_ELIGIBLE;
	out->feed_age_days = time_days_between(f->last_change_t, now);
	out->feed_stale = out->feed_age_days > MKT_STALE_DAYS;
	return 0;
}
