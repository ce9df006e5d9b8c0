/*
 * placement.c: the placement report in JSON, text, Markdown and HTML.
 * Every format shows the same facts: the workload, the feed (its date,
 * digest and age), the evidence, and the ranked candidates with every
 * reason.  Feed text is untrusted: it is escaped for each format.
 */
#include <stdlib.h>
#include <string.h>

#include "reports/placement.h"
#include "reports/report.h"

static const char *
verdict_upper(enum mkt_verdict v)
{
	return v == MKT_ELIGIBLE    ? "ELIGIBLE"
	    : v == MKT_NOT_ELIGIBLE ? "NOT ELIGIBLE"
				    : "INCOMPLETE";
}

static const char *
models_csv(const struct mkt_workload *w, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (w->models & MKT_SM_IAAS)
		n += (size_t)snprintf(buf + n, len - n, "IaaS");
	if (w->models & MKT_SM_PAAS)
		n +=
		    (size_t)snprintf(buf + n, len - n, "%sPaaS", n ? ", " : "");
	if (w->models & MKT_SM_SAAS)
		n +=
		    (size_t)snprintf(buf + n, len - n, "%sSaaS", n ? ", " : "");
	if (n == 0)
		snprintf(buf, len, "any");
	return buf;
}

/* ---------------------------------------------------------------- json */

static void
json_offering_ref(struct jw *w, const struct mkt_offering *o)
{
	jw_kstr(w, "id", o->id);
	jw_kstr(w, "csp", o->csp);
	jw_kstr(w, "cso", o->cso);
	jw_kstr(w, "status", o->status);
	jw_kstr(w, "impact_level", o->impact_level);
}

static void
json_evidence(struct jw *w, const struct mkt_evidence *e)
{
	jw_obj(w);
	jw_kstr(w, "offering", e->offering_id);
	jw_kstr(w, "path", e->path);
	jw_kstr(w, "sha256", e->sha256);
	jw_kstr(w, "baseline", e->baseline_id);
	jw_kstr(w, "verdict", e->verdict);
	jw_kstr(w, "finished", e->finished);
	jw_kstr(w, "signer_key_id", e->signer_key_id);
	jw_key(w, "verified");
	jw_bool(w, 1);
	jw_end_obj(w);
}

/* One ranked candidate offering with its decision and reasons. */
static void
json_candidate(struct jw *w, const struct mkt_candidate *c, size_t rank)
{
	size_t j;

	jw_obj(w);
	jw_kint(w, "rank", (long long)rank);
	jw_kstr(w, "id", c->o->id);
	jw_kstr(w, "csp", c->o->csp);
	jw_kstr(w, "cso", c->o->cso);
	jw_key(w, "eligible");
	jw_bool(w, c->decision == MKT_ELIGIBLE);
	jw_kstr(w, "decision", mkt_verdict_name(c->decision));
	jw_kstr(w, "status", c->o->status);
	jw_kstr(w, "impact_level", c->o->impact_level);
	jw_key(w, "fedramp_20x");
	jw_bool(w, c->o->is_20x);
	jw_key(w, "service_models");
	jw_arr(w);
	for (j = 0; j < c->o->nmodels; j++)
		jw_str(w, c->o->service_models[j]);
	jw_end_arr(w);
	jw_kstr(w, "deployment_model", c->o->deployment_model);
	jw_kstr(w, "auth_type", c->o->auth_type);
	jw_kstr(w, "auth_date", c->o->auth_date);
	jw_key(w, "built_on");
	jw_arr(w);
	for (j = 0; j < c->nbases; j++) {
		jw_obj(w);
		json_offering_ref(w, c->bases[j].o);
		jw_kint(w, "depth", c->bases[j].depth);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "reasons");
	jw_arr(w);
	for (j = 0; j < c->nreasons; j++)
		jw_str(w, c->reasons[j]);
	jw_end_arr(w);
	jw_kstr(w, "tenancy",
	    c->evidence != NULL ? c->evidence->verdict : "not_evidenced");
	jw_key(w, "evidence");
	if (c->evidence != NULL)
		json_evidence(w, c->evidence);
	else
		jw_null(w);
	jw_end_obj(w);
}

static int
write_json(FILE *fp, const struct placement_report *r)
{
	const struct mkt_placement *p = r->p;
	struct jw w;
	char t[32];
	size_t i;

	jw_init(&w, fp);
	jw_obj(&w);
	jw_key(&w, "rampart");
	jw_obj(&w);
	jw_kstr(&w, "version", r->tool_version);
	jw_end_obj(&w);
	jw_kstr(&w, "kind", "placement");
	jw_key(&w, "workload");
	jw_obj(&w);
	jw_kstr(&w, "name", r->w->name);
	jw_kstr(&w, "path", r->w->path);
	jw_kstr(&w, "sha256", r->w->sha256);
	jw_kstr(&w, "impact", mkt_level_name(r->w->impact));
	jw_key(&w, "service_models");
	jw_arr(&w);
	if (r->w->models & MKT_SM_IAAS)
		jw_str(&w, "IaaS");
	if (r->w->models & MKT_SM_PAAS)
		jw_str(&w, "PaaS");
	if (r->w->models & MKT_SM_SAAS)
		jw_str(&w, "SaaS");
	jw_end_arr(&w);
	jw_key(&w, "providers");
	jw_arr(&w);
	for (i = 0; i < r->w->nproviders; i++)
		jw_str(&w, r->w->providers[i]);
	jw_end_arr(&w);
	jw_kstr(&w, "baseline", r->w->baseline);
	jw_end_obj(&w);
	jw_key(&w, "marketplace");
	jw_obj(&w);
	jw_kstr(&w, "path", r->feed->path);
	jw_kstr(&w, "sha256", r->feed->sha256);
	jw_kstr(&w, "last_change", r->feed->last_change);
	jw_kstr(&w, "source_sha256", r->feed->source_sha256);
	jw_kint(&w, "offerings", (long long)r->feed->n);
	jw_kint(&w, "age_days", (long long)p->feed_age_days);
	jw_key(&w, "stale");
	jw_bool(&w, p->feed_stale);
	jw_end_obj(&w);
	jw_key(&w, "evidence");
	jw_arr(&w);
	for (i = 0; i < r->nev; i++)
		json_evidence(&w, &r->ev[i]);
	jw_end_arr(&w);
	format_time(r->decided, t);
	jw_kstr(&w, "decided", t);
	jw_kstr(&w, "gate", "eligibility");
	jw_kstr(&w, "verdict", mkt_verdict_name(p->verdict));
	jw_key(&w, "summary");
	jw_obj(&w);
	jw_kint(&w, "candidates", (long long)p->n);
	jw_kint(&w, "eligible", (long long)p->count[MKT_ELIGIBLE]);
	jw_kint(&w, "not_eligible", (long long)p->count[MKT_NOT_ELIGIBLE]);
	jw_kint(&w, "incomplete", (long long)p->count[MKT_INCOMPLETE]);
	jw_end_obj(&w);
	jw_key(&w, "warnings");
	jw_arr(&w);
	for (i = 0; i < r->nwarnings; i++)
		jw_str(&w, r->warnings[i]);
	jw_end_arr(&w);
	jw_key(&w, "candidates");
	jw_arr(&w);
	for (i = 0; i < p->n; i++)
		json_candidate(&w, &p->v[i], i + 1);
	jw_end_arr(&w);
	jw_end_obj(&w);
	return jw_finish(&w);
}

/* ---------------------------------------------------------------- text */

static int
write_text(FILE *fp, const struct placement_report *r)
{
	const struct mkt_placement *p = r->p;
	const struct mkt_candidate *c;
	char t[32], buf[64];
	size_t i, j;

	fputs("rampart placement: ", fp);
	text_escape(fp, r->w->name);
	fprintf(fp, "\n  impact %s, service models %s, baseline ",
	    mkt_level_name(r->w->impact), models_csv(r->w, buf, sizeof(buf)));
	text_escape(fp, r->w->baseline);
	fputs("\n  providers: ", fp);
	for (i = 0; i < r->w->nproviders; i++) {
		if (i > 0)
			fputs(", ", fp);
		text_escape(fp, r->w->providers[i]);
	}
	if (r->w->nproviders == 0)
		fputs("any", fp);
	fputs("\nfeed: ", fp);
	text_escape(fp, r->feed->path);
	fputs(" (FedRAMP Marketplace of ", fp);
	text_escape(fp, r->feed->last_change);
	fprintf(fp, ", %lld days old, sha256 %s)\n",
	    (long long)p->feed_age_days, r->feed->source_sha256);
	for (i = 0; i < r->nwarnings; i++) {
		fputs("warning: ", fp);
		text_escape(fp, r->warnings[i]);
		fputc('\n', fp);
	}
	for (i = 0; i < r->nev; i++) {
		fputs("evidence: ", fp);
		text_escape(fp, r->ev[i].offering_id);
		fputs(" = ", fp);
		text_escape(fp, r->ev[i].path);
		fputs(" (", fp);
		text_escape(fp, r->ev[i].baseline_id);
		fputs(", ", fp);
		text_escape(fp, r->ev[i].verdict);
		fprintf(fp, ", signature verified, key %.16s)\n",
		    r->ev[i].signer_key_id ? r->ev[i].signer_key_id : "-");
	}
	format_time(r->decided, t);
	fprintf(fp, "decided: %s\n\n", t);
	fprintf(fp, "%-4s %-13s %-16s %-20s %-14s %s\n", "#", "decision", "id",
	    "level", "models", "provider / offering");
	for (i = 0; i < p->n; i++) {
		c = &p->v[i];
		buf[0] = '\0';
		for (j = 0; j < c->o->nmodels; j++)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "%s%s", j ? "," : "", c->o->service_models[j]);
		fprintf(fp, "%-4zu ", i + 1);
		if (r->color)
			fputs(c->decision == MKT_ELIGIBLE       ? "\033[32m"
				: c->decision == MKT_INCOMPLETE ? "\033[33m"
								: "\033[31m",
			    fp);
		fprintf(fp, "%-13s", verdict_upper(c->decision));
		if (r->color)
			fputs("\033[0m", fp);
		fputc(' ', fp);
		text_escape(fp, c->o->id);
		fprintf(fp, "%*s",
		    (int)(c->o->id && strlen(c->o->id) < 17
			    ? 17 - strlen(c->o->id)
			    : 1),
		    "");
		fprintf(fp, "%-20.20s %-14.14s ", c->o->impact_level, buf);
		text_escape(fp, c->o->csp);
		fputs(" / ", fp);
		text_escape(fp, c->o->cso);
		fputc('\n', fp);
		fputs("     status: ", fp);
		text_escape(fp, c->o->status);
		if (c->evidence != NULL) {
			fputs("; tenancy: ", fp);
			text_escape(fp, c->evidence->verdict);
			fputs(" (signed scan ", fp);
			text_escape(fp, c->evidence->path);
			fputs(")", fp);
		} else {
			fputs("; tenancy: not evidenced", fp);
		}
		fputc('\n', fp);
		for (j = 0; j < c->nbases; j++) {
			fputs("     built on: ", fp);
			text_escape(fp, c->bases[j].o->id);
			fputs(" ", fp);
			text_escape(fp, c->bases[j].o->cso);
			fputs(" (", fp);
			text_escape(fp, c->bases[j].o->impact_level);
			fputs(", ", fp);
			text_escape(fp, c->bases[j].o->status);
			fputs(")\n", fp);
		}
		for (j = 0; j < c->nreasons; j++) {
			fputs("     - ", fp);
			text_escape(fp, c->reasons[j]);
			fputc('\n', fp);
		}
	}
	fprintf(fp,
	    "\n%zu candidates: %zu eligible, %zu not eligible, %zu "
	    "incomplete\nverdict: %s\n",
	    p->n, p->count[MKT_ELIGIBLE], p->count[MKT_NOT_ELIGIBLE],
	    p->count[MKT_INCOMPLETE], verdict_upper(p->verdict));
	return ferror(fp) ? -1 : 0;
}

/* ------------------------------------------------------------ markdown */

static int
write_markdown(FILE *fp, const struct placement_report *r)
{
	const struct mkt_placement *p = r->p;
	const struct mkt_candidate *c;
	char t[32], buf[64];
	size_t i, j;

	fputs("# Placement: ", fp);
	markdown_escape(fp, r->w->name);
	fprintf(fp, "\n\n**Verdict: %s** (%zu of %zu candidates eligible)\n\n",
	    verdict_upper(p->verdict), p->count[MKT_ELIGIBLE], p->n);
	fprintf(fp, "- impact: %s; service models: %s; baseline: ",
	    mkt_level_name(r->w->impact), models_csv(r->w, buf, sizeof(buf)));
	markdown_escape(fp, r->w->baseline);
	fputs("\n- feed: ", fp);
	markdown_escape(fp, r->feed->path);
	fputs(", FedRAMP Marketplace of ", fp);
	markdown_escape(fp, r->feed->last_change);
	fprintf(fp, " (%lld days old), sha256 `%s`\n",
	    (long long)p->feed_age_days, r->feed->source_sha256);
	for (i = 0; i < r->nev; i++) {
		fputs("- evidence for ", fp);
		markdown_escape(fp, r->ev[i].offering_id);
		fputs(": ", fp);
		markdown_escape(fp, r->ev[i].path);
		fputs(" (", fp);
		markdown_escape(fp, r->ev[i].verdict);
		fprintf(fp, ", sha256 `%s`, signature verified)\n",
		    r->ev[i].sha256);
	}
	format_time(r->decided, t);
	fprintf(fp, "- decided: %s\n", t);
	for (i = 0; i < r->nwarnings; i++) {
		fputs("\n> **Warning:** ", fp);
		markdown_escape(fp, r->warnings[i]);
		fputc('\n', fp);
	}
	fputs("\n| # | decision | id | provider | offering | status | level "
	      "| models | tenancy | reasons |\n"
	      "|---|---|---|---|---|---|---|---|---|---|\n",
	    fp);
	for (i = 0; i < p->n; i++) {
		c = &p->v[i];
		fprintf(fp, "| %zu | %s | ", i + 1, verdict_upper(c->decision));
		markdown_escape(fp, c->o->id);
		fputs(" | ", fp);
		markdown_escape(fp, c->o->csp);
		fputs(" | ", fp);
		markdown_escape(fp, c->o->cso);
		fputs(" | ", fp);
		markdown_escape(fp, c->o->status);
		fputs(" | ", fp);
		markdown_escape(fp, c->o->impact_level);
		fputs(" | ", fp);
		for (j = 0; j < c->o->nmodels; j++) {
			if (j > 0)
				fputs(", ", fp);
			markdown_escape(fp, c->o->service_models[j]);
		}
		fputs(" | ", fp);
		markdown_escape(fp,
		    c->evidence != NULL ? c->evidence->verdict
					: "not evidenced");
		fputs(" | ", fp);
		for (j = 0; j < c->nreasons; j++) {
			if (j > 0)
				fputs("; ", fp);
			markdown_escape(fp, c->reasons[j]);
		}
		fputs(" |\n", fp);
	}
	return ferror(fp) ? -1 : 0;
}

/* ---------------------------------------------------------------- html */

static int
write_html(FILE *fp, const struct placement_report *r)
{
	const struct mkt_placement *p = r->p;
	const struct mkt_candidate *c;
	char t[32], buf[64];
	size_t i, j;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	      "charset=\"utf-8\">\n<title>Placement: ",
	    fp);
	markup_escape(fp, r->w->name, 0);
	fputs("</title>\n<style>body{font-family:sans-serif;margin:2em}"
	      "table{border-collapse:collapse}td,th{border:1px solid #ccc;"
	      "padding:.3em .5em;vertical-align:top}.eligible{color:#060}"
	      ".not_eligible{color:#a00}.incomplete{color:#a60}</style>\n"
	      "</head>\n<body>\n<h1>Placement: ",
	    fp);
	markup_escape(fp, r->w->name, 0);
	fprintf(fp,
	    "</h1>\n<p class=\"%s\"><strong>Verdict: %s</strong> (%zu "
	    "of %zu candidates eligible)</p>\n<ul>\n",
	    mkt_verdict_name(p->verdict), verdict_upper(p->verdict),
	    p->count[MKT_ELIGIBLE], p->n);
	fprintf(fp, "<li>impact %s, service models %s, baseline ",
	    mkt_level_name(r->w->impact), models_csv(r->w, buf, sizeof(buf)));
	markup_escape(fp, r->w->baseline, 0);
	fputs("</li>\n<li>feed ", fp);
	markup_escape(fp, r->feed->path, 0);
	fputs(", FedRAMP Marketplace of ", fp);
	markup_escape(fp, r->feed->last_change, 0);
	fprintf(fp, " (%lld days old), sha256 <code>%s</code></li>\n",
	    (long long)p->feed_age_days, r->feed->source_sha256);
	for (i = 0; i < r->nev; i++) {
		fputs("<li>evidence for ", fp);
		markup_escape(fp, r->ev[i].offering_id, 0);
		fputs(": ", fp);
		markup_escape(fp, r->ev[i].path, 0);
		fputs(" (", fp);
		markup_escape(fp, r->ev[i].verdict, 0);
		fputs(", signature verified)</li>\n", fp);
	}
	format_time(r->decided, t);
	fprintf(fp, "<li>decided %s</li>\n</ul>\n", t);
	for (i = 0; i < r->nwarnings; i++) {
		fputs("<p class=\"incomplete\"><strong>Warning:</strong> ", fp);
		markup_escape(fp, r->warnings[i], 0);
		fputs("</p>\n", fp);
	}
	fputs("<table>\n<tr><th>#</th><th>decision</th><th>id</th>"
	      "<th>provider</th><th>offering</th><th>status</th><th>level"
	      "</th><th>models</th><th>tenancy</th><th>built on</th><th>reasons"
	      "</th></tr>\n",
	    fp);
	for (i = 0; i < p->n; i++) {
		c = &p->v[i];
		fprintf(fp, "<tr><td>%zu</td><td class=\"%s\">%s</td><td>",
		    i + 1, mkt_verdict_name(c->decision),
		    verdict_upper(c->decision));
		markup_escape(fp, c->o->id, 0);
		fputs("</td><td>", fp);
		markup_escape(fp, c->o->csp, 0);
		fputs("</td><td>", fp);
		markup_escape(fp, c->o->cso, 0);
		fputs("</td><td>", fp);
		markup_escape(fp, c->o->status, 0);
		fputs("</td><td>", fp);
		markup_escape(fp, c->o->impact_level, 0);
		fputs("</td><td>", fp);
		for (j = 0; j < c->o->nmodels; j++) {
			if (j > 0)
				fputs(", ", fp);
			markup_escape(fp, c->o->service_models[j], 0);
		}
		fputs("</td><td>", fp);
		markup_escape(fp,
		    c->evidence != NULL ? c->evidence->verdict
					: "not evidenced",
		    0);
		fputs("</td><td>", fp);
		for (j = 0; j < c->nbases; j++) {
			if (j > 0)
				fputs("<br>", fp);
			markup_escape(fp, c->bases[j].o->cso, 0);
			fputs(" (", fp);
			markup_escape(fp, c->bases[j].o->impact_level, 0);
			fputs(")", fp);
		}
		fputs("</td><td>", fp);
		for (j = 0; j < c->nreasons; j++) {
			if (j > 0)
				fputs("<br>", fp);
			markup_escape(fp, c->reasons[j], 0);
		}
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n</body>\n</html>\n", fp);
	return ferror(fp) ? -1 : 0;
}

/* Sorted by name. */
static const struct placement_writer pl_writers[] = {
	{ "html", "placement.html", write_html },
	{ "json", "placement.json", write_json },
	{ "markdown", "placement.md", write_markdown },
	{ "text", "placement.txt", write_text },
};

static int
writer_cmp(const void *key, const void *elem)
{
	const struct placement_writer *w = elem;

	return strcmp(key, w->name);
}

const struct placement_writer *
placement_writer_find(const char *name)
{
	return bsearch(name, pl_writers,
	    sizeof(pl_writers) / sizeof(pl_writers[0]), sizeof(pl_writers[0]),
	    writer_cmp);
}

const char *
placement_formats(void)
{
	return "html, json, markdown, text";
}
