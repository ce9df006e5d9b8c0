/*
 * oscal_poam.c: the open weaknesses of a run as POA&M items, and the
 * OSCAL 1.1.2 plan-of-action-and-milestones written from them after the
 * FedRAMP Rev5 POA&M template (report.poam.oscal.json).  poam_csv.c
 * writes the same items with the template's column names.
 *
 * An open weakness is a failed or errored finding (one check on one
 * resource, or a check whose evidence is missing) that no unexpired
 * POA&M item with an approved deviation closes.  Errors are never
 * closed: a deviation accepts a known failure, not evidence nobody has
 * seen.  A POA&M file item matching the finding lends its fields (id,
 * weakness, contact, milestones, deviation); otherwise they come from
 * the check.  The original detection date is the item's `detected`,
 * else the first-seen date a previous POA&M (--previous) recorded for
 * the finding's fingerprint, else this scan; the scheduled completion
 * is that date plus the RA-5(d) days of the (adjusted) rating.
 */
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

const char *
report_risk_word(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL:
	case SEV_HIGH:
		return "high";
	case SEV_MEDIUM:
		return "moderate";
	default:
		return "low";
	}
}

/* ------------------------------------------------------------- history */

struct poam_seen {
	const char *fp;
	int64_t when;
};

struct poam_history {
	struct arena *a;
	struct poam_seen *v;
	size_t n;
};

static int
cmp_seen(const void *a, const void *b)
{
	const struct poam_seen *x = a, *y = b;
	int c = strcmp(x->fp, y->fp);

	if (c != 0)
		return c;
	return x->when < y->when ? -1 : x->when > y->when;
}

/* The value of the rampart property name of item, or NULL. */
static const struct doc_node *
item_prop(const struct doc_node *item, const char *name)
{
	const struct doc_node *props = doc_get(item, "props"), *p, *nm;
	size_t i;

	if (props == NULL || props->type != DOC_SEQ)
		return NULL;
	for (i = 0; i < props->u.seq.n; i++) {
		p = props->u.seq.items[i];
		nm = doc_get(p, "name");
		if (nm != NULL && nm->type == DOC_STRING &&
		    strcmp(nm->str, name) == 0 && doc_get(p, "value") != NULL &&
		    doc_get(p, "value")->type == DOC_STRING)
			return doc_get(p, "value");
	}
	return NULL;
}

struct poam_history *
poam_history_load(struct diag *d, const char *path)
{
	struct poam_history *h;
	struct load_limits lim;
	const struct doc_node *root, *plan, *items, *fp, *when;
	struct mark m = { path, 0, 0 };
	struct time_error terr;
	size_t i, k;
	int rc = 0;

	if ((h = lib_calloc(1, sizeof(*h))) == NULL ||
	    (h->a = arena_new()) == NULL) {
		lib_free(h);
		diag_sys(d, NULL, "out of memory");
		return NULL;
	}
	load_limits_default(&lim);
	if ((root = doc_load_one(h->a, d, path, DOC_FMT_JSON, &lim)) == NULL)
		goto bad;
	plan = doc_get(root, "plan-of-action-and-milestones");
	items = plan != NULL ? doc_get(plan, "poam-items") : NULL;
	if (items == NULL || items->type != DOC_SEQ) {
		diag_err(d, plan != NULL ? &plan->mark : &m,
		    "not an OSCAL POA&M: no 'plan-of-action-and-milestones' "
		    "with 'poam-items' (--previous takes a "
		    "report.poam.oscal.json)");
		goto bad;
	}
	h->v = arena_alloc(h->a, (items->u.seq.n + 1) * sizeof(*h->v));
	if (h->v == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto bad;
	}
	for (i = 0; i < items->u.seq.n; i++) {
		fp = item_prop(items->u.seq.items[i], "fingerprint");
		when =
		    item_prop(items->u.seq.items[i], "original-detection-date");
		/* Items of other tools carry no fingerprint: not ours. */
		if (fp == NULL)
			continue;
		if (when == NULL) {
			rc = diag_err(d, &fp->mark,
			    "POA&M item with fingerprint '%s' has no "
			    "'original-detection-date'",
			    fp->str);
			continue;
		}
		if (time_parse(when->str, when->len, TIME_ANY, &h->v[h->n].when,
			&terr) < 0) {
			rc = diag_err(d, &when->mark,
			    "invalid original-detection-date '%s': %s",
			    when->str, terr.why);
			continue;
		}
		h->v[h->n++].fp = fp->str;
	}
	if (rc == -1)
		goto bad;
	qsort(h->v, h->n, sizeof(*h->v), cmp_seen);
	/* The earliest date of a fingerprint listed twice wins. */
	for (i = 0, k = 0; i < h->n; i++)
		if (k == 0 || strcmp(h->v[k - 1].fp, h->v[i].fp) != 0)
			h->v[k++] = h->v[i];
	h->n = k;
	return h;
bad:
	poam_history_free(h);
	return NULL;
}

void
poam_history_free(struct poam_history *h)
{
	if (h == NULL)
		return;
	arena_free(h->a);
	lib_free(h);
}

int
poam_history_find(const struct poam_history *h, const char *fp, int64_t *when)
{
	size_t lo = 0, hi, mid;
	int c;

	if (h == NULL)
		return -1;
	hi = h->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(fp, h->v[mid].fp)) == 0) {
			*when = h->v[mid].when;
			return 0;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* ----------------------------------------------------- open weaknesses */

/* Whether control co binds check outcome o. */
static int
binds(const struct control_outcome *co, const struct check_outcome *o)
{
	size_t j;

	for (j = 0; j < co->nchecks; j++)
		if (co->checks[j].outcome == o)
			return 1;
	return 0;
}

/*
 * The POA&M file item that covers result res of check o (res NULL: the
 * check's missing evidence): its control binds the check, its check (if
 * any) is o's rule and its resource glob (if any) matches the resource.
 * An unexpired item wins over an expired one; file order otherwise.
 */
static const struct poam_item *
match_item(const struct assessment *r, const struct check_outcome *o,
    const struct check_result *res, int64_t now)
{
	const struct poam_item *it, *expired = NULL;
	size_t i, c;

	if (r->poam == NULL)
		return NULL;
	for (i = 0; i < r->poam->n; i++) {
		it = &r->poam->items[i];
		if (it->check != NULL && strcmp(it->check, o->rule->id) != 0)
			continue;
		if (it->resource != NULL &&
		    (res == NULL || res->resource_id == NULL ||
			!glob_match(it->resource, res->resource_id)))
			continue;
		for (c = 0; c < r->ncontrols; c++)
			if (it->control != NULL &&
			    strcmp(r->controls[c].control->id, it->control) ==
				0 &&
			    binds(&r->controls[c], o))
				break;
		if (c == r->ncontrols)
			continue;
		if (it->expires > now)
			return it;
		if (expired == NULL)
			expired = it;
	}
	return expired;
}

/*
 * Whether failed result res of check o is closed: for every control the
 * check is bound to, a POA&M item that waives it (poam_item_waives():
 * unexpired, false_positive or operational_requirement deviation
 * approved by now) covers it, as the engine picks it.  A weakness of two controls stays open while one of them
 * has no deviation.
 */
static int
closed_by_deviation(const struct assessment *r, const struct check_outcome *o,
    const struct check_result *res, int64_t now)
{
	const struct poam_item *it;
	size_t c, i, nbound = 0;

	if (r->poam == NULL || res->status != ST_FAIL)
		return 0;
	for (c = 0; c < r->ncontrols; c++) {
		if (!binds(&r->controls[c], o))
			continue;
		nbound++;
		for (i = 0; i < r->poam->n; i++) {
			it = &r->poam->items[i];
			if (it->control == NULL ||
			    strcmp(it->control, r->controls[c].control->id) !=
				0 ||
			    (it->check != NULL &&
				strcmp(it->check, o->rule->id) != 0) ||
			    (it->resource != NULL &&
				(res->resource_id == NULL ||
				    !glob_match(
					it->resource, res->resource_id))) ||
			    !poam_item_waives(it, now))
				continue;
			break;
		}
		if (i == r->poam->n)
			return 0;
	}
	return nbound > 0;
}

struct collect {
	const struct assessment *r;
	const struct report_opts *o;
	int64_t now;
	struct poam_open *v;
	size_t n, cap;
};

static int
add(struct collect *c, const struct check_outcome *o,
    const struct check_result *res, size_t unlisted)
{
	struct poam_open *p, *nv;
	size_t i, same = 0;
	int days;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		if ((nv = lib_realloc(c->v, c->cap * sizeof(*nv))) == NULL)
			return -1;
		c->v = nv;
	}
	p = &c->v[c->n];
	memset(p, 0, sizeof(*p));
	p->check = o;
	p->res = res;
	p->unlisted = unlisted;
	p->item = match_item(c->r, o, res, c->now);
	if (res != NULL)
		report_fingerprint(o->rule->id, res->resource_type,
		    res->resource_id, res->region, p->fingerprint);
	else
		report_fingerprint(o->rule->id,
		    unlisted > 0 ? "(unlisted results)" : "(missing evidence)",
		    NULL, NULL, p->fingerprint);
	if (p->item != NULL) {
		/* A file item matching several findings: id, id.2, ... */
		for (i = 0; i < c->n; i++)
			if (c->v[i].item == p->item)
				same++;
		if (same == 0)
			snprintf(p->id, sizeof(p->id), "%s", p->item->id);
		else
			snprintf(p->id, sizeof(p->id), "%.50s.%zu", p->item->id,
			    same + 1);
	} else {
		snprintf(p->id, sizeof(p->id), "RAMPART-%.12s", p->fingerprint);
		/* One rule run with two parameter sets: same fingerprint. */
		for (i = 0; i < c->n; i++)
			if (strcmp(c->v[i].id, p->id) == 0)
				break;
		if (i < c->n)
			snprintf(p->id, sizeof(p->id), "RAMPART-%.12s-%zu",
			    p->fingerprint, (size_t)(o - c->r->checks));
	}
	p->original = o->rule->severity;
	p->adjusted = p->original;
	if (p->item != NULL && p->item->has_severity &&
	    p->item->deviation == POAM_DEV_RISK_ADJUSTMENT)
		p->adjusted = p->item->severity;
	if (p->item != NULL && p->item->detected_text != NULL) {
		p->detected = p->item->detected;
		p->first_seen_how = "poam";
	} else if (poam_history_find(
		       c->o->previous, p->fingerprint, &p->detected) == 0) {
		p->first_seen_how = "previous";
	} else {
		p->detected = c->now;
		p->first_seen_how = "this-scan";
	}
	days = poam_remediation_days(p->adjusted);
	if (time_add_days(p->detected, days > 0 ? days : 180, &p->due) == -1)
		p->due = p->detected;
	c->n++;
	return 0;
}

int
report_poam_open(const struct assessment *r, const struct report_opts *o,
    struct poam_open **out, size_t *n)
{
	struct collect c;
	const struct check_outcome *co;
	const struct check_result *res;
	size_t i, j, k, listed, first;

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.o = o;
	/* The engine's evaluation time decides expiry, as for waivers. */
	c.now = r->opts.now ? r->opts.now
	    : o->fixed_time ? o->fixed_time
			    : r->finished;
	*out = NULL;
	*n = 0;
	for (i = 0; i < r->nchecks; i++) {
		co = &r->checks[i];
		first = c.n;
		if ((report_missing(co) != NULL ||
			(co->n == 0 && co->status == ST_ERROR)) &&
		    add(&c, co, NULL, 0) == -1)
			goto oom;
		for (k = 0; k < co->n; k++) {
			res = &co->results[k];
			if (res->status != ST_FAIL && res->status != ST_ERROR)
				continue;
			/* Closed: a failure under an approved deviation. */
			if (closed_by_deviation(r, co, res, c.now))
				continue;
			if (add(&c, co, res, 0) == -1)
				goto oom;
			/*
			 * A resource the check listed twice (read from two
			 * files) is one weakness: the first result stays.
			 */
			for (j = first; j + 1 < c.n; j++)
				if (strcmp(c.v[j].fingerprint,
					c.v[c.n - 1].fingerprint) == 0)
					break;
			if (j + 1 < c.n)
				c.n--;
		}
		/* Results over --max-results: counted, never dropped. */
		listed =
		    report_listed(co, ST_FAIL) + report_listed(co, ST_ERROR);
		if (co->counts[ST_FAIL] + co->counts[ST_ERROR] > listed &&
		    add(&c, co, NULL,
			co->counts[ST_FAIL] + co->counts[ST_ERROR] - listed) ==
			-1)
			goto oom;
	}
	*out = c.v;
	*n = c.n;
	return 0;
oom:
	lib_free(c.v);
	return -1;
}

/* ------------------------------------------------------------- writer */

/*
 * An item's UUIDs are named by its fingerprint and the index of its
 * check outcome (never its place in the list), so an item keeps its
 * UUIDs when others come and go.
 */
#define CHECK_NO(r, p) ((size_t)((p)->check - (r)->checks))

/* The weakness name, description and asset of an open item. */
static const char *
weakness_name(const struct poam_open *p)
{
	if (p->item != NULL && p->item->weakness != NULL)
		return p->item->weakness;
	return p->check->rule->title ? p->check->rule->title
				     : p->check->rule->id;
}

static void
describe(const struct poam_open *p, struct strbuf *sb)
{
	const struct check_outcome *o = p->check;

	if (p->item != NULL && p->item->description != NULL) {
		sb_adds(sb, p->item->description);
		return;
	}
	if (o->rule->description != NULL)
		sb_printf(sb, "%s ", o->rule->description);
	if (p->res != NULL)
		sb_printf(sb, "(%s on %s %s%s%s)",
		    p->res->status == ST_FAIL ? "failed"
					      : "could not be evaluated",
		    p->res->resource_type ? p->res->resource_type : "?",
		    p->res->resource_id ? p->res->resource_id : "?",
		    p->res->message ? ": " : "",
		    p->res->message ? p->res->message : "");
	else if (p->unlisted > 0)
		sb_printf(sb,
		    "(%zu further failed or errored results not listed: raise "
		    "--max-results to itemize them)",
		    p->unlisted);
	else
		sb_printf(sb, "(evidence missing: %s)",
		    report_missing(o) ? report_missing(o)
				      : "the check could not be evaluated");
}

static const char *
asset_id(const struct poam_open *p)
{
	if (p->res != NULL && p->res->resource_id != NULL)
		return p->res->resource_id;
	return p->unlisted > 0 ? "(unlisted resources)" : "(missing evidence)";
}

static const char *
contact(const struct poam_open *p, const struct report_opts *o)
{
	if (p->item != NULL && p->item->contact != NULL)
		return p->item->contact;
	if (o->system != NULL)
		return o->system;
	return "unassigned";
}

static const char *
dev_flag(const struct poam_open *p, enum poam_deviation dev)
{
	return p->item != NULL && p->item->deviation == dev ? "approved" : "no";
}

static void
write_milestones(struct oscal_ctx *x, const struct poam_open *p, size_t idx)
{
	struct jw *w = x->w;
	struct oscal_uuid u;
	char when[32];
	size_t m;

	jw_key(w, "tasks");
	jw_arr(w);
	if (p->item != NULL && p->item->nmilestones > 0) {
		for (m = 0; m < p->item->nmilestones; m++) {
			jw_obj(w);
			jw_kstr(w, "uuid",
			    oscal_item_uuid(x, &u, "milestone\n%s\n%zu\n%zu",
				p->fingerprint, idx, m));
			jw_kstr(w, "type", "milestone");
			jw_kstr(w, "title", p->item->milestones[m].description);
			jw_key(w, "timing");
			jw_obj(w);
			jw_key(w, "on-date");
			jw_obj(w);
			format_time(p->item->milestones[m].due, when);
			jw_kstr(w, "date", when);
			jw_end_obj(w);
			jw_end_obj(w);
			jw_end_obj(w);
		}
	} else {
		jw_obj(w);
		jw_kstr(w, "uuid",
		    oscal_item_uuid(x, &u, "milestone\n%s\n%zu\ndefault",
			p->fingerprint, idx));
		jw_kstr(w, "type", "milestone");
		jw_kstr(w, "title", "remediate and rescan");
		jw_key(w, "timing");
		jw_obj(w);
		jw_key(w, "on-date");
		jw_obj(w);
		format_time(p->due, when);
		jw_kstr(w, "date", when);
		jw_end_obj(w);
		jw_end_obj(w);
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

static void
facet(struct jw *w, const char *value, const char *state)
{
	int open = 0;

	jw_obj(w);
	jw_kstr(w, "name", "risk");
	jw_kstr(w, "system", OSCAL_FEDRAMP_NS);
	jw_kstr(w, "value", value);
	oscal_prop(w, &open, NULL, "state", state);
	oscal_props_end(w, open);
	jw_end_obj(w);
}

static void
tool_actor(struct oscal_ctx *x, const struct poam_open *p)
{
	struct jw *w = x->w;
	struct oscal_uuid u;
	int open = 0;

	jw_key(w, "actors");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "type", "tool");
	jw_kstr(w, "actor-uuid", oscal_tool_uuid(x, &u));
	/* The template's "Weakness Source Identifier". */
	oscal_prop(w, &open, OSCAL_FEDRAMP_NS, "plugin-id", p->check->rule->id);
	oscal_props_end(w, open);
	jw_end_obj(w);
	jw_end_arr(w);
}

static void
write_risk(struct oscal_ctx *x, const struct poam_open *p, size_t idx)
{
	const struct assessment *r = x->r;
	struct jw *w = x->w;
	struct oscal_uuid u;
	struct strbuf sb;
	char when[32];
	size_t c;
	int open = 0;

	jw_obj(w);
	jw_kstr(w, "uuid",
	    oscal_item_uuid(x, &u, "risk\n%s\n%zu", p->fingerprint, idx));
	jw_kstr(w, "title", weakness_name(p));
	sb_init(&sb);
	describe(p, &sb);
	oscal_kstr_sb(x, "description", &sb);
	sb_init(&sb);
	sb_printf(&sb, "%s on %s", p->check->rule->id, asset_id(p));
	oscal_kstr_sb(x, "statement", &sb);
	for (c = 0; c < r->ncontrols; c++)
		if (binds(&r->controls[c], p->check))
			oscal_prop(w, &open, OSCAL_FEDRAMP_NS,
			    "impacted-control-id", r->controls[c].control->id);
	oscal_prop(w, &open, OSCAL_FEDRAMP_NS, "risk-adjustment",
	    dev_flag(p, POAM_DEV_RISK_ADJUSTMENT));
	oscal_prop(w, &open, OSCAL_FEDRAMP_NS, "false-positive",
	    dev_flag(p, POAM_DEV_FALSE_POSITIVE));
	oscal_prop(w, &open, OSCAL_FEDRAMP_NS, "operational-requirement",
	    dev_flag(p, POAM_DEV_OPERATIONAL_REQUIREMENT));
	if (p->item != NULL && p->item->vendor_product != NULL)
		oscal_prop(w, &open, OSCAL_FEDRAMP_NS, "vendor-dependency",
		    "tracking");
	oscal_props_end(w, open);
	jw_kstr(w, "status", "open");
	jw_key(w, "characterizations");
	jw_arr(w);
	jw_obj(w);
	jw_key(w, "origin");
	jw_obj(w);
	tool_actor(x, p);
	jw_end_obj(w);
	jw_key(w, "facets");
	jw_arr(w);
	facet(w, report_risk_word(p->original), "initial");
	facet(w, report_risk_word(p->adjusted), "adjusted");
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_arr(w);
	format_time(p->due, when);
	jw_kstr(w, "deadline", when);
	jw_key(w, "remediations");
	jw_arr(w);
	if (p->check->rule->remediation != NULL) {
		jw_obj(w);
		jw_kstr(w, "uuid",
		    oscal_item_uuid(
			x, &u, "recommendation\n%s\n%zu", p->fingerprint, idx));
		jw_kstr(w, "lifecycle", "recommendation");
		jw_kstr(w, "title", "Recommended remediation");
		jw_kstr(w, "description", p->check->rule->remediation);
		jw_end_obj(w);
	}
	jw_obj(w);
	jw_kstr(w, "uuid",
	    oscal_item_uuid(x, &u, "plan\n%s\n%zu", p->fingerprint, idx));
	jw_kstr(w, "lifecycle", "planned");
	jw_kstr(w, "title", "Remediation plan");
	jw_kstr(w, "description",
	    p->item != NULL && p->item->remediation_plan != NULL
		? p->item->remediation_plan
		: "remediate the finding and rescan before the scheduled "
		  "completion date");
	open = 0;
	oscal_prop(w, &open, NULL, "point-of-contact", contact(p, x->o));
	if (p->item != NULL)
		oscal_prop(w, &open, NULL, "resources-required",
		    p->item->resources_required);
	oscal_props_end(w, open);
	write_milestones(x, p, idx);
	jw_end_obj(w);
	jw_end_arr(w);
	jw_key(w, "related-observations");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "observation-uuid",
	    oscal_item_uuid(
		x, &u, "observation\n%s\n%zu", p->fingerprint, idx));
	jw_end_obj(w);
	jw_end_arr(w);
	jw_end_obj(w);
}

/* The oldest evidence collection time of the inputs, else the scan's end. */
static const char *
collected(const struct oscal_ctx *x, char out[32])
{
	int64_t oldest = 0;
	size_t i;

	for (i = 0; i < x->r->ninputs; i++)
		if (x->r->inputs[i].collected != 0 &&
		    (oldest == 0 || x->r->inputs[i].collected < oldest))
			oldest = x->r->inputs[i].collected;
	if (oldest == 0)
		return x->finished;
	format_time(oldest, out);
	return out;
}

static void
write_obs(struct oscal_ctx *x, const struct poam_open *p, size_t idx)
{
	struct jw *w = x->w;
	struct oscal_uuid u;
	struct strbuf sb;
	char when[32];
	size_t i;
	int open = 0;

	jw_obj(w);
	jw_kstr(w, "uuid",
	    oscal_item_uuid(
		x, &u, "observation\n%s\n%zu", p->fingerprint, idx));
	sb_init(&sb);
	sb_printf(&sb, "%s on %s", p->check->rule->id, asset_id(p));
	oscal_kstr_sb(x, "title", &sb);
	sb_init(&sb);
	describe(p, &sb);
	oscal_kstr_sb(x, "description", &sb);
	oscal_prop(w, &open, NULL, "status",
	    p->res != NULL ? status_name(p->res->status) : "error");
	oscal_props_end(w, open);
	jw_key(w, "methods");
	jw_arr(w);
	jw_str(w,
	    p->check->rule->plugin != NULL &&
		    strncmp(p->check->rule->plugin, "tls", 3) == 0
		? "TEST"
		: "EXAMINE");
	jw_end_arr(w);
	jw_key(w, "types");
	jw_arr(w);
	jw_str(w, "finding");
	jw_end_arr(w);
	jw_key(w, "origins");
	jw_arr(w);
	jw_obj(w);
	tool_actor(x, p);
	jw_end_obj(w);
	jw_end_arr(w);
	if (p->res != NULL) {
		jw_key(w, "subjects");
		jw_arr(w);
		jw_obj(w);
		jw_kstr(w, "subject-uuid",
		    oscal_resource_uuid(
			x, &u, p->res->resource_type, p->res->resource_id));
		jw_kstr(w, "type", "inventory-item");
		jw_end_obj(w);
		jw_end_arr(w);
	}
	if (p->res != NULL && p->res->nev > 0) {
		jw_key(w, "relevant-evidence");
		jw_arr(w);
		for (i = 0; i < p->res->nev; i++) {
			const struct mark *m = &p->res->ev[i].source;

			jw_obj(w);
			if (m->file != NULL) {
				sb_init(&sb);
				uri_from_path(&sb, m->file);
				if (m->line > 0)
					sb_printf(&sb, "#L%u", m->line);
				oscal_kstr_sb(x, "href", &sb);
			}
			sb_init(&sb);
			sb_printf(&sb, "%s = %s", p->res->ev[i].path,
			    p->res->ev[i].value ? p->res->ev[i].value
						: "(absent)");
			oscal_kstr_sb(x, "description", &sb);
			jw_end_obj(w);
		}
		jw_end_arr(w);
	}
	jw_kstr(w, "collected", collected(x, when));
	jw_end_obj(w);
}

static void
write_item(struct oscal_ctx *x, const struct poam_open *p, size_t idx)
{
	struct jw *w = x->w;
	struct oscal_uuid u;
	struct strbuf sb;
	char when[32];
	int open = 0;

	jw_obj(w);
	jw_kstr(w, "uuid",
	    oscal_item_uuid(x, &u, "poam-item\n%s\n%zu", p->fingerprint, idx));
	jw_kstr(w, "title", weakness_name(p));
	sb_init(&sb);
	describe(p, &sb);
	oscal_kstr_sb(x, "description", &sb);
	oscal_prop(w, &open, OSCAL_FEDRAMP_NS, "POAM-ID", p->id);
	oscal_prop(w, &open, NULL, "fingerprint", p->fingerprint);
	format_time(p->detected, when);
	oscal_prop(w, &open, NULL, "original-detection-date", when);
	oscal_prop(w, &open, NULL, "first-seen-from", p->first_seen_how);
	format_time(p->due, when);
	oscal_prop(w, &open, NULL, "scheduled-completion-date", when);
	oscal_prop(
	    w, &open, NULL, "weakness-source-identifier", p->check->rule->id);
	oscal_prop(w, &open, NULL, "asset-identifier", asset_id(p));
	oscal_prop(w, &open, NULL, "point-of-contact", contact(p, x->o));
	oscal_prop(w, &open, NULL, "original-risk-rating",
	    report_risk_word(p->original));
	oscal_prop(w, &open, NULL, "adjusted-risk-rating",
	    report_risk_word(p->adjusted));
	oscal_prop(w, &open, NULL, "status", "open");
	if (p->item != NULL &&
	    p->item->expires <=
		(x->o->fixed_time ? x->o->fixed_time : x->r->finished))
		oscal_prop(
		    w, &open, NULL, "poam-item-expired", p->item->expires_text);
	oscal_props_end(w, open);
	jw_key(w, "origins");
	jw_arr(w);
	jw_obj(w);
	tool_actor(x, p);
	jw_end_obj(w);
	jw_end_arr(w);
	jw_key(w, "related-observations");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "observation-uuid",
	    oscal_item_uuid(
		x, &u, "observation\n%s\n%zu", p->fingerprint, idx));
	jw_end_obj(w);
	jw_end_arr(w);
	jw_key(w, "related-risks");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "risk-uuid",
	    oscal_item_uuid(x, &u, "risk\n%s\n%zu", p->fingerprint, idx));
	jw_end_obj(w);
	jw_end_arr(w);
	if (p->item != NULL && p->item->deviation != POAM_DEV_NONE)
		jw_kstr(w, "remarks",
		    p->item->deviation_rationale ? p->item->deviation_rationale
						 : p->item->justification);
	jw_end_obj(w);
}

int
report_oscal_poam(
    FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	struct jw w;
	struct oscal_ctx x;
	struct strbuf sb;
	struct poam_open *v;
	struct oscal_uuid u;
	size_t i, n, k;
	int open = 0;

	if (report_poam_open(r, o, &v, &n) == -1)
		return -1;
	if (oscal_begin(&x, &w, r, o, "plan-of-action-and-milestones") == -1) {
		lib_free(v);
		return -1;
	}
	jw_init(&w, fp);
	jw_obj(&w);
	jw_key(&w, "plan-of-action-and-milestones");
	jw_obj(&w);
	jw_kstr(&w, "uuid", x.doc.s);
	sb_init(&sb);
	sb_printf(
	    &sb, "rampart POA&M: %s", r->bl->title ? r->bl->title : r->bl->id);
	oscal_metadata(&x, sb.s);
	sb_free(&sb);
	jw_key(&w, "local-definitions");
	jw_obj(&w);
	jw_key(&w, "components");
	jw_arr(&w);
	jw_obj(&w);
	jw_kstr(&w, "uuid", oscal_tool_uuid(&x, &u));
	jw_kstr(&w, "type", "software");
	jw_kstr(&w, "title", "rampart");
	jw_kstr(&w, "description",
	    "the weakness detector source: rampart automated compliance "
	    "checks");
	oscal_prop(&w, &open, OSCAL_FEDRAMP_NS, "vendor-name", "rampart");
	oscal_prop(&w, &open, OSCAL_FEDRAMP_NS, "name", "rampart");
	oscal_prop(&w, &open, NULL, "version", o->tool_version);
	oscal_props_end(&w, open);
	jw_key(&w, "status");
	jw_obj(&w);
	jw_kstr(&w, "state", "operational");
	jw_end_obj(&w);
	jw_end_obj(&w);
	jw_end_arr(&w);
	for (i = 0, k = 0; i < n; i++) {
		size_t j;

		if (v[i].res == NULL)
			continue;
		/* Each resource once, at its first item. */
		for (j = 0; j < i; j++)
			if (v[j].res != NULL &&
			    strcmp(v[j].res->resource_type
				    ? v[j].res->resource_type
				    : "",
				v[i].res->resource_type
				    ? v[i].res->resource_type
				    : "") == 0 &&
			    strcmp(v[j].res->resource_id ? v[j].res->resource_id
							 : "",
				v[i].res->resource_id ? v[i].res->resource_id
						      : "") == 0)
				break;
		if (j < i)
			continue;
		if (k++ == 0) {
			jw_key(&w, "inventory-items");
			jw_arr(&w);
		}
		jw_obj(&w);
		jw_kstr(&w, "uuid",
		    oscal_resource_uuid(&x, &u, v[i].res->resource_type,
			v[i].res->resource_id));
		sb_init(&sb);
		sb_printf(&sb, "%s %s",
		    v[i].res->resource_type ? v[i].res->resource_type : "?",
		    v[i].res->resource_id ? v[i].res->resource_id : "?");
		oscal_kstr_sb(&x, "description", &sb);
		open = 0;
		oscal_prop(&w, &open, OSCAL_FEDRAMP_NS, "asset-id",
		    v[i].res->resource_id);
		oscal_props_end(&w, open);
		jw_end_obj(&w);
	}
	if (k > 0)
		jw_end_arr(&w);
	jw_end_obj(&w);
	if (n > 0) {
		jw_key(&w, "observations");
		jw_arr(&w);
		for (i = 0; i < n; i++)
			write_obs(&x, &v[i], CHECK_NO(r, &v[i]));
		jw_end_arr(&w);
		jw_key(&w, "risks");
		jw_arr(&w);
		for (i = 0; i < n; i++)
			write_risk(&x, &v[i], CHECK_NO(r, &v[i]));
		jw_end_arr(&w);
	}
	/* poam-items is required: an empty list says "no open weakness". */
	jw_key(&w, "poam-items");
	jw_arr(&w);
	for (i = 0; i < n; i++)
		write_item(&x, &v[i], CHECK_NO(r, &v[i]));
	jw_end_arr(&w);
	oscal_back_matter_inputs(&x, NULL, NULL, NULL);
	jw_end_obj(&w);
	jw_end_obj(&w);
	lib_free(v);
	if (jw_finish(&w) == -1 || x.err)
		return -1;
	return 0;
}
