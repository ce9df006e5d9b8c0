/*
 * poam_csv.c: the open POA&M items (report_poam_open(), oscal_poam.c) as
 * CSV under the column names of the FedRAMP POA&M template's "Open POA&M
 * Items" sheet, for officers who work in spreadsheets.  RFC 4180: CRLF
 * line ends, every field quoted, quotes doubled.  A field that a
 * spreadsheet would read as a formula (starting with = + - @, tab or
 * CR) gets a leading apostrophe, so resource ids from an export can
 * never run as formulas.
 */
#include <string.h>

#include "reports/report.h"

static const char *const columns[] = {
	"POAM ID",
	"Controls",
	"Weakness Name",
	"Weakness Description",
	"Weakness Detector Source",
	"Weakness Source Identifier",
	"Asset Identifier",
	"Point of Contact",
	"Resources Required",
	"Overall Remediation Plan",
	"Original Detection Date",
	"Scheduled Completion Date",
	"Planned Milestones",
	"Milestone Changes",
	"Status Date",
	"Vendor Dependency",
	"Last Vendor Check-in Date",
	"Vendor Dependent Product Name",
	"Original Risk Rating",
	"Adjusted Risk Rating",
	"Risk Adjustment",
	"False Positive",
	"Operational Requirement",
	"Deviation Rationale",
	"Supporting Documents",
	"Comments",
	"Auto-Approve",
};

#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

static void
field(FILE *fp, int first, const char *s)
{
	if (!first)
		fputc(',', fp);
	fputc('"', fp);
	if (s != NULL &&
	    (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
		s[0] == '\t' || s[0] == '\r'))
		fputc('\'', fp);
	for (; s != NULL && *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* A field built in sb, then sb freed; text lost to no memory sets *err. */
static void
field_sb(FILE *fp, struct strbuf *sb, int *err)
{
	if (sb->oom || sb->s == NULL)
		*err = 1;
	field(fp, 0, sb->s != NULL ? sb->s : "");
	sb_free(sb);
}

/* A risk rating as the template writes it: "Low", "Moderate", "High". */
static const char *
rating(enum severity s)
{
	const char *w = report_risk_word(s);

	return strcmp(w, "high") == 0    ? "High"
	    : strcmp(w, "moderate") == 0 ? "Moderate"
					 : "Low";
}

static const char *
yes_no(const struct poam_open *p, enum poam_deviation dev)
{
	return p->item != NULL && p->item->deviation == dev ? "Yes" : "No";
}

/* Dates as the template's MM/DD/YYYY. */
static void
us_date(int64_t t, char out[32])
{
	char iso[32];

	format_time(t, iso);
	/* iso: YYYY-MM-DDTHH:MM:SSZ */
	snprintf(out, 32, "%.2s/%.2s/%.4s", iso + 5, iso + 8, iso);
}

static int
write_row(FILE *fp, const struct assessment *r, const struct report_opts *o,
    const struct poam_open *p, const char *status_date)
{
	const struct poam_item *it = p->item;
	struct strbuf sb;
	char d1[32], d2[32];
	size_t c, m;
	int n = 0, err = 0;

	field(fp, 1, p->id);
	sb_init(&sb);
	for (c = 0; c < r->ncontrols; c++) {
		const struct control_outcome *co = &r->controls[c];
		size_t j;

		for (j = 0; j < co->nchecks; j++)
			if (co->checks[j].outcome == p->check)
				break;
		if (j == co->nchecks)
			continue;
		sb_printf(&sb, "%s%s", n++ ? ", " : "",
		    co->control->label ? co->control->label : co->control->id);
	}
	field_sb(fp, &sb, &err);
	field(fp, 0,
	    it && it->weakness          ? it->weakness
		: p->check->rule->title ? p->check->rule->title
					: p->check->rule->id);
	sb_init(&sb);
	if (it != NULL && it->description != NULL)
		sb_adds(&sb, it->description);
	else {
		if (p->check->rule->description != NULL)
			sb_printf(&sb, "%s ", p->check->rule->description);
		if (p->res != NULL)
			sb_printf(&sb, "(%s%s%s)",
			    p->res->status == ST_FAIL
				? "failed"
				: "could not be evaluated",
			    p->res->message ? ": " : "",
			    p->res->message ? p->res->message : "");
		else if (p->unlisted > 0)
			sb_printf(&sb,
			    "(%zu further failed or errored results not "
			    "listed: raise --max-results to itemize them)",
			    p->unlisted);
		else
			sb_printf(&sb, "(evidence missing: %s)",
			    report_missing(p->check) ? report_missing(p->check)
						     : "not evaluated");
	}
	field_sb(fp, &sb, &err);
	sb_init(&sb);
	sb_printf(&sb, "rampart %s", o->tool_version ? o->tool_version : "");
	field_sb(fp, &sb, &err);
	field(fp, 0, p->check->rule->id);
	field(fp, 0,
	    p->res && p->res->resource_id ? p->res->resource_id
		: p->unlisted > 0         ? "(unlisted resources)"
					  : "(missing evidence)");
	field(fp, 0,
	    it && it->contact ? it->contact
		: o->system   ? o->system
			      : "unassigned");
	field(fp, 0, it ? it->resources_required : NULL);
	field(fp, 0,
	    it && it->remediation_plan ? it->remediation_plan
				       : p->check->rule->remediation);
	us_date(p->detected, d1);
	field(fp, 0, d1);
	us_date(p->due, d2);
	field(fp, 0, d2);
	sb_init(&sb);
	for (m = 0; it != NULL && m < it->nmilestones; m++) {
		us_date(it->milestones[m].due, d1);
		sb_printf(&sb, "%s%s (%s)", m ? "; " : "",
		    it->milestones[m].description, d1);
	}
	if (it == NULL || it->nmilestones == 0)
		sb_printf(&sb, "remediate and rescan (%s)", d2);
	field_sb(fp, &sb, &err);
	field(fp, 0, NULL);
	field(fp, 0, status_date);
	field(fp, 0, it && it->vendor_product ? "Yes" : "No");
	field(fp, 0, NULL);
	field(fp, 0, it ? it->vendor_product : NULL);
	field(fp, 0, rating(p->original));
	field(fp, 0, rating(p->adjusted));
	field(fp, 0, yes_no(p, POAM_DEV_RISK_ADJUSTMENT));
	field(fp, 0, yes_no(p, POAM_DEV_FALSE_POSITIVE));
	field(fp, 0, yes_no(p, POAM_DEV_OPERATIONAL_REQUIREMENT));
	field(fp, 0,
	    it && it->deviation != POAM_DEV_NONE
		? (it->deviation_rationale ? it->deviation_rationale
					   : it->justification)
		: NULL);
	field(fp, 0, NULL);
	sb_init(&sb);
	sb_printf(&sb, "fingerprint %s; first seen from %s", p->fingerprint,
	    p->first_seen_how);
	field_sb(fp, &sb, &err);
	field(fp, 0, "No");
	fputs("\r\n", fp);
	return err ? -1 : 0;
}

int
report_poam_csv(
    FILE *fp, const struct assessment *r, const struct report_opts *o)
{
	struct poam_open *v;
	char started[32], finished[32], today[32];
	size_t i, n;
	int64_t t;

	if (report_poam_open(r, o, &v, &n) == -1)
		return -1;
	report_times(r, o, started, finished);
	if (parse_time(finished, &t) == 0)
		us_date(t, today);
	else
		today[0] = '\0';
	for (i = 0; i < NCOLUMNS; i++)
		field(fp, i == 0, columns[i]);
	fputs("\r\n", fp);
	for (i = 0; i < n; i++)
		if (write_row(fp, r, o, &v[i], today) == -1)
			break;
	lib_free(v);
	return i < n || ferror(fp) ? -1 : 0;
}
