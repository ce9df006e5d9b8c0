/*
 * oscal_ar.c: the OSCAL 1.1.2 assessment-results report, for GRC tools
 * and FedRAMP reviewers that read OSCAL.
 *
 * One result holds the whole run: reviewed-controls lists the controls
 * this scan assessed (automated checks, an attestation, or the
 * provider's inheritance) under the baseline's own ids; one observation
 * per listed check result (what was tested on which resource, with its
 * evidence); one finding per control but the inherited ones, targeting
 * the control's objective and linking the observations behind it.  Only
 * a control that passed is `satisfied`: fail, waived, error, partial,
 * open (manual) and declared not applicable are `not-satisfied` with the
 * reason in the remarks.  Inherited controls are reviewed but get no
 * finding: the provider's authorization decides them.
 *
 * UUIDs are name-based (RFC 4122 version 5, SHA-1) over the baseline and
 * input digests and the item's identity, never random and never the
 * clock, so the same inputs give the same bytes.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "reports/report.h"

#define OSCAL_VERSION "1.1.2"
#define RAMPART_NS "https://rampart.dev/ns/oscal"

/* uuid5(NAMESPACE_URL, "https://rampart.dev/ns/oscal-ar") */
static const unsigned char ns_rampart[16] = { 0xec, 0x4f, 0x85, 0x61, 0x8e,
	0xb3, 0x5f, 0xbd, 0x99, 0x5a, 0x40, 0xac, 0xd0, 0x80, 0xa7, 0x06 };

struct uuid {
	unsigned char b[16];
	char s[37];
};

/* Version 5 UUID of name (len bytes) in namespace ns.  0 or -1. */
static int
uuid5(struct uuid *u, const unsigned char ns[16], const void *name, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	size_t i, k = 0;
	int ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, ns, 16) == 1 &&
	    EVP_DigestUpdate(ctx, name, len) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen >= 16;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	memcpy(u->b, md, 16);
	u->b[6] = (unsigned char)((u->b[6] & 0x0f) | 0x50);
	u->b[8] = (unsigned char)((u->b[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			u->s[k++] = '-';
		u->s[k++] = hex[u->b[i] >> 4];
		u->s[k++] = hex[u->b[i] & 15];
	}
	u->s[k] = '\0';
	return 0;
}

struct octx {
	struct jw *w;
	const struct run *r;
	const char *collected;
	struct uuid doc; /* namespace of every item below the document */
	int err;
};

/* UUID of an item named by a printf-style string, under the document. */
static const char *item_uuid(
    struct octx *x, struct uuid *u, const char *fmt, ...) PRINTF_LIKE(3, 4);

static const char *
item_uuid(struct octx *x, struct uuid *u, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	int n;

	/* Names hold rule ids and indexes only, so they fit. */
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf) ||
	    uuid5(u, x->doc.b, buf, (size_t)n) == -1) {
		x->err = 1;
		memcpy(u->s, "00000000-0000-5000-8000-000000000000", 37);
	}
	return u->s;
}

/*
 * A property: OSCAL string values may not be empty nor start or end with
 * whitespace, so the value is trimmed and an empty one is left out.
 */
static void
prop(struct jw *w, int *open, const char *name, const char *value)
{
	size_t len;

	if (value == NULL)
		return;
	while (
	    *value == ' ' || *value == '\t' || *value == '\n' || *value == '\r')
		value++;
	len = strlen(value);
	while (len > 0 &&
	    (value[len - 1] == ' ' || value[len - 1] == '\t' ||
		value[len - 1] == '\n' || value[len - 1] == '\r'))
		len--;
	if (len == 0)
		return;
	if (!*open) {
		jw_key(w, "props");
		jw_arr(w);
		*open = 1;
	}
	jw_obj(w);
	jw_kstr(w, "name", name);
	jw_kstr(w, "ns", RAMPART_NS);
	jw_key(w, "value");
	jw_strn(w, value, len);
	jw_end_obj(w);
}

static void
props_end(struct jw *w, int open)
{
	if (open)
		jw_end_arr(w);
}

/* The title of a resource as "type id"; lib_malloc'd, NULL if no memory. */
static char *
resource_title(const struct check_result *res)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_printf(&sb, "%s %s", res->resource_type ? res->resource_type : "?",
	    res->resource_id ? res->resource_id : "?");
	if (sb.oom) {
		sb_free(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

static void
write_observation(struct octx *x, size_t ci, size_t k)
{
	const struct check_outcome *o = &x->r->checks[ci];
	const struct check_result *res = &o->results[k];
	struct jw *w = x->w;
	struct uuid u, su;
	struct strbuf sb;
	char *title, src[4200];
	size_t i;
	int open = 0;

	title = resource_title(res);
	jw_obj(w);
	jw_kstr(w, "uuid",
	    item_uuid(x, &u, "observation\n%s\n%zu\n%zu", o->rule->id, ci, k));
	sb_init(&sb);
	sb_printf(&sb, "%s on %s", o->rule->id, title ? title : "?");
	jw_kstr(w, "title", sb.s);
	sb_free(&sb);
	jw_kstr(w, "description",
	    res->message && res->message[0] ? res->message
					    : status_name(res->status));
	prop(w, &open, "check-id", o->rule->id);
	prop(w, &open, "status", status_name(res->status));
	prop(w, &open, "severity", severity_name(o->rule->severity));
	prop(w, &open, "resource-type", res->resource_type);
	prop(w, &open, "resource-id", res->resource_id);
	prop(w, &open, "region", res->region);
	props_end(w, open);
	jw_key(w, "methods");
	jw_arr(w);
	jw_str(w, "TEST");
	jw_end_arr(w);
	jw_key(w, "subjects");
	jw_arr(w);
	jw_obj(w);
	/* The same resource gets the same subject uuid in every run. */
	sb_init(&sb);
	sb_printf(&sb, "resource\n%s\n%s",
	    res->resource_type ? res->resource_type : "",
	    res->resource_id ? res->resource_id : "");
	if (sb.s == NULL || uuid5(&su, ns_rampart, sb.s, sb.len) == -1)
		x->err = 1;
	sb_free(&sb);
	jw_kstr(w, "subject-uuid", x->err ? "" : su.s);
	jw_kstr(w, "type", "resource");
	jw_kstr(w, "title", title);
	jw_end_obj(w);
	jw_end_arr(w);
	if (res->nev > 0) {
		jw_key(w, "relevant-evidence");
		jw_arr(w);
		for (i = 0; i < res->nev; i++) {
			jw_obj(w);
			if (res->ev[i].source.file != NULL) {
				sb_init(&sb);
				uri_from_path(&sb, res->ev[i].source.file);
				jw_kstr(w, "href", sb.s);
				sb_free(&sb);
				snprintf(src, sizeof(src), " at %s:%u:%u",
				    res->ev[i].source.file,
				    res->ev[i].source.line,
				    res->ev[i].source.col);
			} else {
				src[0] = '\0';
			}
			sb_init(&sb);
			sb_printf(&sb, "%s = %s%s", res->ev[i].path,
			    res->ev[i].value ? res->ev[i].value : "(absent)",
			    src);
			jw_kstr(w, "description", sb.s);
			sb_free(&sb);
			jw_end_obj(w);
		}
		jw_end_arr(w);
	}
	jw_kstr(w, "collected", x->collected);
	jw_end_obj(w);
	lib_free(title);
}

/* Evidence a check lacks: the absence is the observation. */
static void
write_missing(struct octx *x, size_t ci)
{
	const struct check_outcome *o = &x->r->checks[ci];
	struct jw *w = x->w;
	struct uuid u;
	struct strbuf desc;
	int open = 0;

	sb_init(&desc);
	sb_adds(&desc,
	    report_missing(o) ? report_missing(o) : "evidence is missing");
	jw_obj(w);
	jw_kstr(w, "uuid",
	    item_uuid(x, &u, "observation\n%s\n%zu\nmissing", o->rule->id, ci));
	jw_kstr(w, "title", o->rule->id);
	jw_kstr(
	    w, "description", desc.s != NULL ? desc.s : "evidence is missing");
	prop(w, &open, "check-id", o->rule->id);
	prop(w, &open, "status", "error");
	props_end(w, open);
	jw_key(w, "methods");
	jw_arr(w);
	jw_str(w, "TEST");
	jw_end_arr(w);
	jw_kstr(w, "collected", x->collected);
	jw_end_obj(w);
	sb_free(&desc);
}

/* Related observations of check outcome ci, in observation order. */
static void
write_related(struct octx *x, size_t ci)
{
	const struct check_outcome *o = &x->r->checks[ci];
	struct uuid u;
	size_t k;

	if (o->n == 0 && o->status == ST_ERROR) {
		jw_obj(x->w);
		jw_kstr(x->w, "observation-uuid",
		    item_uuid(x, &u, "observation\n%s\n%zu\nmissing",
			o->rule->id, ci));
		jw_end_obj(x->w);
		return;
	}
	for (k = 0; k < o->n; k++) {
		jw_obj(x->w);
		jw_kstr(x->w, "observation-uuid",
		    item_uuid(x, &u, "observation\n%s\n%zu\n%zu", o->rule->id,
			ci, k));
		jw_end_obj(x->w);
	}
}

static size_t
check_index(const struct run *r, const struct check_outcome *o)
{
	return (size_t)(o - r->checks);
}

static void
write_finding(struct octx *x, const struct control_outcome *co)
{
	const struct control *c = co->control;
	struct jw *w = x->w;
	struct uuid u;
	struct strbuf sb, rem;
	const char *state, *reason, *remarks = co->note, *why = NULL;
	size_t j, nobs = 0;
	int open = 0;

	sb_init(&rem);

	/*
	 * Only a pass is satisfied.  Everything else is not-satisfied with
	 * the reason: a failure (waived or not), evidence that could not be
	 * evaluated, evidence for part of the control only, a control left
	 * open, and a control declared not applicable (the declaration is
	 * recorded, but nothing was assessed that could satisfy it).
	 */
	state = "not-satisfied";
	reason = "other";
	switch (co->status) {
	case ST_PASS:
		state = "satisfied";
		reason = "pass";
		if (co->attestation != NULL && remarks == NULL)
			remarks = "decided by an attestation (manual "
				  "evidence, not verified by this scan)";
		break;
	case ST_FAIL:
		reason = "fail";
		break;
	case ST_WAIVED:
		reason = "fail";
		if (remarks == NULL)
			remarks = "failure accepted by a POA&M item: a known "
				  "deviation, not a pass";
		break;
	case ST_PARTIAL:
		why = "partial: automated evidence supports part of the "
		      "control; the rest is open until an attestation or "
		      "the provider's inheritance covers it";
		break;
	case ST_NOT_APPLICABLE:
		why = "declared not applicable: recorded, but nothing was "
		      "assessed that could satisfy the control";
		break;
	case ST_MANUAL:
		why = "open: no automated evidence and no valid attestation; "
		      "this scan does not decide the control";
		break;
	default:
		why = "evidence could not be evaluated: missing data is "
		      "never a pass";
		break;
	}
	if (why != NULL) {
		if (remarks != NULL)
			sb_printf(&rem, "%s (%s)", why, remarks);
		else
			sb_adds(&rem, why);
		remarks = rem.oom ? why : rem.s;
	}
	jw_obj(w);
	jw_kstr(w, "uuid", item_uuid(x, &u, "finding\n%s", c->id));
	sb_init(&sb);
	sb_printf(&sb, "%s %s", c->label ? c->label : c->id,
	    c->title ? c->title : "");
	jw_kstr(w, "title", sb.s);
	sb_free(&sb);
	sb_init(&sb);
	sb_printf(&sb, "control %s is %s (%zu automated check%s%s)",
	    c->label ? c->label : c->id, status_name(co->status), co->nchecks,
	    co->nchecks == 1 ? "" : "s",
	    co->attestation != NULL ? ", attested" : "");
	jw_kstr(w, "description", sb.s);
	sb_free(&sb);
	prop(w, &open, "control-id", c->id);
	prop(w, &open, "status", status_name(co->status));
	for (j = 0; j < co->nchecks; j++)
		if (co->checks[j].waiver != NULL)
			prop(w, &open, "poam-item", co->checks[j].waiver->id);
	props_end(w, open);
	jw_key(w, "target");
	jw_obj(w);
	jw_kstr(w, "type", "objective-id");
	sb_init(&sb);
	sb_printf(&sb, "%s_obj", c->id);
	jw_kstr(w, "target-id", sb.s);
	sb_free(&sb);
	jw_key(w, "status");
	jw_obj(w);
	jw_kstr(w, "state", state);
	jw_kstr(w, "reason", reason);
	jw_end_obj(w);
	if (remarks != NULL)
		jw_kstr(w, "remarks", remarks);
	jw_end_obj(w);
	for (j = 0; j < co->nchecks; j++) {
		const struct check_outcome *o = co->checks[j].outcome;

		if (o->n == 0 && o->status != ST_ERROR)
			continue;
		if (nobs++ == 0) {
			jw_key(w, "related-observations");
			jw_arr(w);
		}
		write_related(x, check_index(x->r, o));
	}
	if (nobs > 0)
		jw_end_arr(w);
	jw_end_obj(w);
	sb_free(&rem);
}

/*
 * Whether this scan assessed control co: automated checks bound to it,
 * an attestation that decided it, or the provider's inheritance.  A
 * control left open (manual, no attestation) is not reviewed.
 */
static int
assessed(const struct control_outcome *co)
{
	const struct control *c = co->control;

	return (c->resp == RESP_AUTOMATED && co->nchecks > 0) ||
	    co->attestation != NULL || c->resp == RESP_INHERITED;
}

static void
write_inputs(struct octx *x)
{
	const struct run *r = x->r;
	struct jw *w = x->w;
	struct strbuf sb;
	struct uuid u;
	size_t i;

	if (r->ninputs == 0)
		return;
	jw_key(w, "back-matter");
	jw_obj(w);
	jw_key(w, "resources");
	jw_arr(w);
	for (i = 0; i < r->ninputs; i++) {
		jw_obj(w);
		jw_kstr(w, "uuid", item_uuid(x, &u, "input\n%zu", i));
		jw_kstr(w, "title", r->inputs[i].path);
		jw_kstr(w, "description", "export read by this scan");
		jw_key(w, "rlinks");
		jw_arr(w);
		jw_obj(w);
		sb_init(&sb);
		uri_from_path(&sb, r->inputs[i].path);
		jw_kstr(w, "href", sb.s);
		sb_free(&sb);
		jw_key(w, "hashes");
		jw_arr(w);
		jw_obj(w);
		jw_kstr(w, "algorithm", "SHA-256");
		jw_kstr(w, "value", r->inputs[i].sha256);
		jw_end_obj(w);
		jw_end_arr(w);
		jw_end_obj(w);
		jw_end_arr(w);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
}

int
report_oscal_ar(FILE *fp, const struct run *r, const struct report_opts *o)
{
	struct jw w;
	struct octx x;
	struct strbuf sb;
	struct uuid u;
	char started[32], finished[32];
	size_t i, k, nobs = 0, nfind = 0, nrev = 0;
	int open = 0;

	report_times(r, o, started, finished);
	memset(&x, 0, sizeof(x));
	x.w = &w;
	x.r = r;
	x.collected = finished;
	/* The document's identity: what was assessed against what. */
	sb_init(&sb);
	sb_printf(&sb, "assessment-results\n%s\n%s", r->bl->id, r->bl->sha256);
	for (i = 0; i < r->ninputs; i++)
		sb_printf(
		    &sb, "\n%s\n%s", r->inputs[i].path, r->inputs[i].sha256);
	if (sb.oom || uuid5(&x.doc, ns_rampart, sb.s, sb.len) == -1) {
		sb_free(&sb);
		return -1;
	}
	sb_free(&sb);
	jw_init(&w, fp);
	jw_obj(&w);
	jw_key(&w, "assessment-results");
	jw_obj(&w);
	jw_kstr(&w, "uuid", x.doc.s);
	jw_key(&w, "metadata");
	jw_obj(&w);
	sb_init(&sb);
	sb_printf(&sb, "rampart assessment results: %s",
	    r->bl->title ? r->bl->title : r->bl->id);
	jw_kstr(&w, "title", sb.s);
	sb_free(&sb);
	jw_kstr(&w, "last-modified", finished);
	jw_kstr(&w, "version", o->tool_version ? o->tool_version : "unknown");
	jw_kstr(&w, "oscal-version", OSCAL_VERSION);
	prop(&w, &open, "tool", "rampart");
	prop(&w, &open, "tool-version", o->tool_version);
	props_end(&w, open);
	jw_end_obj(&w);
	jw_key(&w, "import-ap");
	jw_obj(&w);
	/*
	 * rampart assesses against a baseline, not an assessment plan;
	 * import-ap is required, so it names the baseline file.
	 */
	sb_init(&sb);
	uri_from_path(&sb, r->bl->path ? r->bl->path : r->bl->id);
	jw_kstr(&w, "href", sb.s);
	sb_free(&sb);
	jw_kstr(&w, "remarks",
	    "no assessment plan: the controls were assessed against this "
	    "baseline");
	jw_end_obj(&w);
	jw_key(&w, "results");
	jw_arr(&w);
	jw_obj(&w);
	jw_kstr(&w, "uuid", item_uuid(&x, &u, "result"));
	sb_init(&sb);
	sb_printf(&sb, "rampart scan against %s", r->bl->id);
	jw_kstr(&w, "title", sb.s);
	sb_free(&sb);
	sb_init(&sb);
	sb_printf(&sb,
	    "verdict: %s; controls: %zu pass, %zu fail, %zu error, "
	    "%zu partial, %zu waived, %zu not applicable, %zu manual, "
	    "%zu inherited",
	    verdict_name(r->verdict), r->count_controls[ST_PASS],
	    r->count_controls[ST_FAIL], r->count_controls[ST_ERROR],
	    r->count_controls[ST_PARTIAL], r->count_controls[ST_WAIVED],
	    r->count_controls[ST_NOT_APPLICABLE], r->count_controls[ST_MANUAL],
	    r->count_controls[ST_INHERITED]);
	jw_kstr(&w, "description", sb.s);
	sb_free(&sb);
	jw_kstr(&w, "start", started);
	jw_kstr(&w, "end", finished);
	open = 0;
	prop(&w, &open, "verdict", verdict_name(r->verdict));
	prop(&w, &open, "baseline-id", r->bl->id);
	prop(&w, &open, "baseline-impact", r->bl->impact);
	prop(&w, &open, "baseline-sha256", r->bl->sha256);
	props_end(&w, open);
	jw_key(&w, "reviewed-controls");
	jw_obj(&w);
	jw_key(&w, "control-selections");
	jw_arr(&w);
	jw_obj(&w);
	for (i = 0; i < r->ncontrols; i++) {
		if (!assessed(&r->controls[i]))
			continue;
		if (nrev++ == 0) {
			jw_key(&w, "include-controls");
			jw_arr(&w);
		}
		jw_obj(&w);
		jw_kstr(&w, "control-id", r->controls[i].control->id);
		jw_end_obj(&w);
	}
	if (nrev > 0)
		jw_end_arr(&w);
	else
		jw_kstr(
		    &w, "description", "no control was assessed by this scan");
	jw_end_obj(&w);
	jw_end_arr(&w);
	jw_end_obj(&w);
	for (i = 0; i < r->nchecks; i++) {
		if (r->checks[i].n == 0 && !report_gap(&r->checks[i]))
			continue;
		if (nobs++ == 0) {
			jw_key(&w, "observations");
			jw_arr(&w);
		}
		if (report_missing(&r->checks[i]) != NULL ||
		    r->checks[i].n == 0)
			write_missing(&x, i);
		for (k = 0; k < r->checks[i].n; k++)
			write_observation(&x, i, k);
	}
	if (nobs > 0)
		jw_end_arr(&w);
	/*
	 * A finding for every control but the inherited ones (the
	 * provider's authorization decides those): open controls are
	 * not-satisfied findings, so a reader never takes silence for a
	 * pass.
	 */
	for (i = 0; i < r->ncontrols; i++) {
		if (r->controls[i].control->resp == RESP_INHERITED)
			continue;
		if (nfind++ == 0) {
			jw_key(&w, "findings");
			jw_arr(&w);
		}
		write_finding(&x, &r->controls[i]);
	}
	if (nfind > 0)
		jw_end_arr(&w);
	jw_end_obj(&w);
	jw_end_arr(&w);
	write_inputs(&x);
	jw_end_obj(&w);
	jw_end_obj(&w);
	if (jw_finish(&w) == -1 || x.err)
		return -1;
	return 0;
}
