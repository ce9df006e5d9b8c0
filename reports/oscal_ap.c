/*
 * oscal_ap.c: the OSCAL 1.1.2 assessment plan that the assessment
 * results import (report.oscal-ap.json, written beside them), after the
 * FedRAMP Rev5 SAP template: what was to be assessed, with what, and
 * how.
 *
 * - import-ssp: rampart reads no SSP, so it points at a back-matter
 *   resource of FedRAMP type `no-oscal-ssp` naming the system
 *   (--system), as the template does for systems without an OSCAL SSP;
 * - local-definitions: each input (export file, folder or TLS endpoint)
 *   as an inventory item with its format, SHA-256 and collection time,
 *   and the automated checks as the assessment activity (method EXAMINE
 *   for exports, TEST for live probes);
 * - reviewed-controls: the controls this scan assessed, the same list
 *   the results review;
 * - assessment-subjects: the inputs;
 * - assessment-assets: rampart as the tool and platform;
 * - back-matter: the baseline (with its SHA-256) and the inputs.
 */
#include <string.h>

#include "reports/report.h"

static void
write_input_item(struct oscal_ctx *x, size_t i)
{
	const struct input_info *in = &x->r->inputs[i];
	struct jw *w = x->w;
	struct oscal_uuid u;
	struct strbuf sb;
	char when[32];
	int open = 0;

	jw_obj(w);
	jw_kstr(w, "uuid", oscal_item_uuid(x, &u, "subject\n%zu", i));
	sb_init(&sb);
	sb_printf(&sb, "input %s (%s)", in->path,
	    in->format ? in->format : "unknown format");
	oscal_kstr_sb(x, "description", &sb);
	oscal_prop(w, &open, NULL, "input-path", in->path);
	oscal_prop(w, &open, NULL, "input-format", in->format);
	oscal_prop(w, &open, NULL, "sha256", in->sha256);
	if (in->collected != 0) {
		format_time(in->collected, when);
		oscal_prop(w, &open, NULL, "collected", when);
		oscal_prop(w, &open, NULL, "collected-how", in->collected_how);
	}
	oscal_props_end(w, open);
	jw_end_obj(w);
}

/* Whether any check of the run probes live endpoints, or reads exports. */
static void
methods_used(const struct assessment *r, int *test, int *examine)
{
	size_t i;

	*test = *examine = 0;
	for (i = 0; i < r->nchecks; i++) {
		const char *p = r->checks[i].rule->plugin;

		if (p != NULL && strncmp(p, "tls", 3) == 0)
			*test = 1;
		else
			*examine = 1;
	}
}

static void
write_activity(struct oscal_ctx *x)
{
	struct jw *w = x->w;
	struct oscal_uuid u;
	int open = 0, test, examine;

	methods_used(x->r, &test, &examine);
	jw_key(w, "activities");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "uuid", oscal_item_uuid(x, &u, "activity\nchecks"));
	jw_kstr(w, "title", "Automated checks");
	jw_kstr(w, "description",
	    "rampart evaluates the checks the baseline's mapping binds to "
	    "each control over the inputs: exported configuration is "
	    "examined, live endpoints are tested; missing, truncated or "
	    "unreadable evidence is an error, never a pass");
	if (examine)
		oscal_prop(w, &open, NULL, "method", "EXAMINE");
	if (test)
		oscal_prop(w, &open, NULL, "method", "TEST");
	oscal_props_end(w, open);
	jw_end_obj(w);
	jw_end_arr(w);
}

int
report_oscal_ap(
    FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	struct jw w;
	struct oscal_ctx x;
	struct strbuf sb;
	struct oscal_uuid u, ssp;
	size_t i;
	int open = 0;

	if (oscal_begin(&x, &w, r, o, "assessment-plan") == -1)
		return -1;
	jw_init(&w, fp);
	jw_obj(&w);
	jw_key(&w, "assessment-plan");
	jw_obj(&w);
	jw_kstr(&w, "uuid", x.doc.s);
	sb_init(&sb);
	sb_printf(&sb, "rampart assessment plan: %s",
	    r->bl->title ? r->bl->title : r->bl->id);
	oscal_metadata(&x, sb.s);
	sb_free(&sb);
	oscal_item_uuid(&x, &ssp, "no-oscal-ssp");
	jw_key(&w, "import-ssp");
	jw_obj(&w);
	sb_init(&sb);
	sb_printf(&sb, "#%s", ssp.s);
	oscal_kstr_sb(&x, "href", &sb);
	jw_kstr(&w, "remarks",
	    "rampart reads no system security plan: the system is named in "
	    "the back-matter");
	jw_end_obj(&w);
	jw_key(&w, "local-definitions");
	jw_obj(&w);
	if (r->ninputs > 0) {
		jw_key(&w, "inventory-items");
		jw_arr(&w);
		for (i = 0; i < r->ninputs; i++)
			write_input_item(&x, i);
		jw_end_arr(&w);
	}
	write_activity(&x);
	jw_end_obj(&w);
	oscal_reviewed_controls(&x);
	jw_key(&w, "assessment-subjects");
	jw_arr(&w);
	jw_obj(&w);
	jw_kstr(&w, "type", "inventory-item");
	jw_kstr(&w, "description",
	    r->ninputs > 0 ? "the exports and endpoints this scan read"
			   : "no input was read");
	if (r->ninputs > 0) {
		jw_key(&w, "include-subjects");
		jw_arr(&w);
		for (i = 0; i < r->ninputs; i++) {
			jw_obj(&w);
			jw_kstr(&w, "subject-uuid",
			    oscal_item_uuid(&x, &u, "subject\n%zu", i));
			jw_kstr(&w, "type", "inventory-item");
			jw_end_obj(&w);
		}
		jw_end_arr(&w);
	}
	jw_end_obj(&w);
	jw_end_arr(&w);
	oscal_assessment_assets(&x);
	jw_key(&w, "back-matter");
	jw_obj(&w);
	jw_key(&w, "resources");
	jw_arr(&w);
	jw_obj(&w);
	jw_kstr(&w, "uuid", ssp.s);
	jw_kstr(&w, "title",
	    o->system ? o->system : "system not named (rampart scan --system)");
	jw_kstr(&w, "description",
	    "the system assessed; no OSCAL system security plan was read");
	oscal_prop(&w, &open, OSCAL_FEDRAMP_NS, "type", "no-oscal-ssp");
	oscal_props_end(&w, open);
	jw_end_obj(&w);
	jw_obj(&w);
	jw_kstr(&w, "uuid", oscal_item_uuid(&x, &u, "baseline"));
	jw_kstr(&w, "title", r->bl->title ? r->bl->title : r->bl->id);
	sb_init(&sb);
	sb_printf(&sb, "the baseline assessed against: %s (impact %s)",
	    r->bl->id, r->bl->impact ? r->bl->impact : "unknown");
	oscal_kstr_sb(&x, "description", &sb);
	open = 0;
	oscal_prop(&w, &open, NULL, "baseline-id", r->bl->id);
	oscal_prop(&w, &open, NULL, "baseline-impact", r->bl->impact);
	oscal_props_end(&w, open);
	jw_key(&w, "rlinks");
	jw_arr(&w);
	jw_obj(&w);
	sb_init(&sb);
	uri_from_path(&sb, r->bl->path ? r->bl->path : r->bl->id);
	oscal_kstr_sb(&x, "href", &sb);
	jw_key(&w, "hashes");
	jw_arr(&w);
	jw_obj(&w);
	jw_kstr(&w, "algorithm", "SHA-256");
	jw_kstr(&w, "value", r->bl->sha256);
	jw_end_obj(&w);
	jw_end_arr(&w);
	jw_end_obj(&w);
	jw_end_arr(&w);
	jw_end_obj(&w);
	jw_end_arr(&w);
	jw_end_obj(&w);
	jw_end_obj(&w);
	jw_end_obj(&w);
	if (jw_finish(&w) == -1 || x.err)
		return -1;
	return 0;
}
