/*
 * oscal_common.c: what the OSCAL documents share (assessment plan,
 * assessment results, POA&M): name-based UUIDs, properties, metadata with
 * roles and parties, the tool as an assessment asset, reviewed controls
 * and the inputs in the back-matter.
 *
 * UUIDs are version 5 (SHA-1) over content, never random and never the
 * clock: items of one document live in the document's namespace (the
 * document's own UUID, made from the baseline and input digests), and
 * what several documents name alike (the tool, a party, a scanned
 * resource) lives in one fixed namespace, so the results, the plan and
 * the POA&M point at the same UUIDs.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "reports/report.h"

const unsigned char oscal_ns_rampart[16] = { 0xec, 0x4f, 0x85, 0x61, 0x8e, 0xb3,
	0x5f, 0xbd, 0x99, 0x5a, 0x40, 0xac, 0xd0, 0x80, 0xa7, 0x06 };

int
oscal_uuid5(struct oscal_uuid *u, const unsigned char ns[16], const void *name,
    size_t len)
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

/* The UUID of a formatted name in namespace ns; on failure x->err. */
static const char *vuuid(struct oscal_ctx *x, struct oscal_uuid *u,
    const unsigned char ns[16], const char *fmt, va_list ap) PRINTF_LIKE(4, 0);

static const char *
vuuid(struct oscal_ctx *x, struct oscal_uuid *u, const unsigned char ns[16],
    const char *fmt, va_list ap)
{
	char small[512], *buf = small;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= 0 && (size_t)n >= sizeof(small) &&
	    (buf = lib_malloc((size_t)n + 1)) != NULL)
		n = vsnprintf(buf, (size_t)n + 1, fmt, aq);
	va_end(aq);
	if (n < 0 || buf == NULL || oscal_uuid5(u, ns, buf, (size_t)n) == -1) {
		x->err = 1;
		memcpy(u->s, "00000000-0000-5000-8000-000000000000", 37);
	}
	if (buf != small)
		lib_free(buf);
	return u->s;
}

const char *
oscal_item_uuid(struct oscal_ctx *x, struct oscal_uuid *u, const char *fmt, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, fmt);
	s = vuuid(x, u, x->doc.b, fmt, ap);
	va_end(ap);
	return s;
}

const char *
oscal_global_uuid(
    struct oscal_ctx *x, struct oscal_uuid *u, const char *fmt, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, fmt);
	s = vuuid(x, u, oscal_ns_rampart, fmt, ap);
	va_end(ap);
	return s;
}

int
oscal_begin(struct oscal_ctx *x, struct jw *w, const struct assessment *r,
    const struct report_opts *o, const char *kind)
{
	struct strbuf sb;
	size_t i;

	memset(x, 0, sizeof(*x));
	x->w = w;
	x->r = r;
	x->o = o;
	report_times(r, o, x->started, x->finished);
	/* The document's identity: what was assessed against what. */
	sb_init(&sb);
	sb_printf(&sb, "%s\n%s\n%s", kind, r->bl->id, r->bl->sha256);
	for (i = 0; i < r->ninputs; i++)
		sb_printf(
		    &sb, "\n%s\n%s", r->inputs[i].path, r->inputs[i].sha256);
	if (sb.oom ||
	    oscal_uuid5(&x->doc, oscal_ns_rampart, sb.s, sb.len) == -1) {
		sb_free(&sb);
		return -1;
	}
	sb_free(&sb);
	return 0;
}

void
oscal_kstr_sb(struct oscal_ctx *x, const char *key, struct strbuf *sb)
{
	/* Text that could not be built fails the document, never a null. */
	if (sb->oom || sb->s == NULL)
		x->err = 1;
	jw_kstr(x->w, key, sb->s != NULL ? sb->s : "");
	sb_free(sb);
}

void
oscal_prop(struct jw *w, int *open, const char *ns, const char *name,
    const char *value)
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
	if (ns != NULL || strcmp(name, "version") != 0)
		jw_kstr(w, "ns", ns != NULL ? ns : OSCAL_RAMPART_NS);
	jw_key(w, "value");
	jw_strn(w, value, len);
	jw_end_obj(w);
}

void
oscal_props_end(struct jw *w, int open)
{
	if (open)
		jw_end_arr(w);
}

const char *
oscal_tool_uuid(struct oscal_ctx *x, struct oscal_uuid *u)
{
	return oscal_global_uuid(x, u, "tool\nrampart");
}

const char *
oscal_resource_uuid(
    struct oscal_ctx *x, struct oscal_uuid *u, const char *type, const char *id)
{
	/* The same resource gets the same UUID in every run and document. */
	return oscal_global_uuid(
	    x, u, "resource\n%s\n%s", type ? type : "", id ? id : "");
}

/* A party: an organization or person by name. */
static void
party(struct oscal_ctx *x, const char *kind, const char *type, const char *name,
    const char *remarks)
{
	struct oscal_uuid u;

	jw_obj(x->w);
	jw_kstr(x->w, "uuid",
	    oscal_global_uuid(x, &u, "party\n%s\n%s", kind, name));
	jw_kstr(x->w, "type", type);
	jw_kstr(x->w, "name", name);
	if (remarks != NULL)
		jw_kstr(x->w, "remarks", remarks);
	jw_end_obj(x->w);
}

static void
role(struct jw *w, const char *id, const char *title)
{
	jw_obj(w);
	jw_kstr(w, "id", id);
	jw_kstr(w, "title", title);
	jw_end_obj(w);
}

static void
responsible(struct oscal_ctx *x, const char *role_id, const char *kind,
    const char *name)
{
	struct oscal_uuid u;

	jw_obj(x->w);
	jw_kstr(x->w, "role-id", role_id);
	jw_key(x->w, "party-uuids");
	jw_arr(x->w);
	jw_str(x->w, oscal_global_uuid(x, &u, "party\n%s\n%s", kind, name));
	jw_end_arr(x->w);
	jw_end_obj(x->w);
}

/*
 * The party names: the assessor and system given, else a name that says
 * none was given (FedRAMP requires both parties; an invented name would
 * be worse than an honest placeholder).
 */
#define NO_ASSESSOR "operator not named (rampart scan --assessor)"
#define NO_SYSTEM "system not named (rampart scan --system)"

const char *
oscal_assessor_uuid(struct oscal_ctx *x, struct oscal_uuid *u)
{
	return oscal_global_uuid(x, u, "party\nassessor\n%s",
	    x->o->assessor ? x->o->assessor : NO_ASSESSOR);
}

void
oscal_metadata(struct oscal_ctx *x, const char *title)
{
	struct jw *w = x->w;
	const struct report_opts *o = x->o;
	const char *assessor = o->assessor ? o->assessor : NO_ASSESSOR;
	const char *sys = o->system ? o->system : NO_SYSTEM;
	int open = 0;

	if (title == NULL)
		x->err = 1;
	jw_key(w, "metadata");
	jw_obj(w);
	jw_kstr(w, "title", title != NULL ? title : "rampart");
	jw_kstr(w, "last-modified", x->finished);
	jw_kstr(w, "version", o->tool_version ? o->tool_version : "unknown");
	jw_kstr(w, "oscal-version", OSCAL_VERSION);
	oscal_prop(w, &open, NULL, "tool", "rampart");
	oscal_prop(w, &open, NULL, "tool-version", o->tool_version);
	oscal_prop(w, &open, NULL, "scan-started", x->started);
	oscal_prop(w, &open, NULL, "scan-finished", x->finished);
	oscal_props_end(w, open);
	jw_key(w, "roles");
	jw_arr(w);
	role(w, "assessor", "Assessor (operator of the automated assessment)");
	role(w, "prepared-by", "Prepared By");
	role(w, "prepared-for", "Prepared For (cloud service provider)");
	role(w, "system-owner", "System Owner");
	jw_end_arr(w);
	jw_key(w, "parties");
	jw_arr(w);
	party(x, "assessor", o->assessor ? "person" : "organization", assessor,
	    o->assessor ? NULL : "no --assessor was given");
	party(x, "system", "organization", sys,
	    o->system ? NULL : "no --system was given");
	jw_end_arr(w);
	jw_key(w, "responsible-parties");
	jw_arr(w);
	responsible(x, "assessor", "assessor", assessor);
	responsible(x, "prepared-by", "assessor", assessor);
	responsible(x, "prepared-for", "system", sys);
	responsible(x, "system-owner", "system", sys);
	jw_end_arr(w);
	jw_end_obj(w);
}

void
oscal_assessment_assets(struct oscal_ctx *x)
{
	struct jw *w = x->w;
	struct oscal_uuid u;
	int open = 0;

	jw_key(w, "assessment-assets");
	jw_obj(w);
	jw_key(w, "components");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "uuid", oscal_tool_uuid(x, &u));
	jw_kstr(w, "type", "software");
	jw_kstr(w, "title", "rampart");
	jw_kstr(w, "description",
	    "rampart, an automated compliance assessment tool: checks over "
	    "cloud configuration exports and TLS endpoints");
	oscal_prop(w, &open, OSCAL_FEDRAMP_NS, "vendor-name", "rampart");
	oscal_prop(w, &open, OSCAL_FEDRAMP_NS, "name", "rampart");
	oscal_prop(w, &open, NULL, "version", x->o->tool_version);
	oscal_props_end(w, open);
	jw_key(w, "status");
	jw_obj(w);
	jw_kstr(w, "state", "operational");
	jw_end_obj(w);
	jw_end_obj(w);
	jw_end_arr(w);
	jw_key(w, "assessment-platforms");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "uuid", oscal_global_uuid(x, &u, "platform\nrampart"));
	jw_kstr(w, "title", "rampart automated assessment");
	jw_key(w, "uses-components");
	jw_arr(w);
	jw_obj(w);
	jw_kstr(w, "component-uuid", oscal_tool_uuid(x, &u));
	jw_end_obj(w);
	jw_end_arr(w);
	jw_end_obj(w);
	jw_end_arr(w);
	jw_end_obj(w);
}

int
oscal_assessed(const struct control_outcome *co)
{
	const struct control *c = co->control;

	return (c->resp == RESP_AUTOMATED && co->nchecks > 0) ||
	    co->attestation != NULL || c->resp == RESP_INHERITED;
}

void
oscal_reviewed_controls(struct oscal_ctx *x)
{
	const struct assessment *r = x->r;
	struct jw *w = x->w;
	size_t i, nrev = 0;

	jw_key(w, "reviewed-controls");
	jw_obj(w);
	jw_key(w, "control-selections");
	jw_arr(w);
	jw_obj(w);
	for (i = 0; i < r->ncontrols; i++) {
		if (!oscal_assessed(&r->controls[i]))
			continue;
		if (nrev++ == 0) {
			jw_key(w, "include-controls");
			jw_arr(w);
		}
		jw_obj(w);
		jw_kstr(w, "control-id", r->controls[i].control->id);
		jw_end_obj(w);
	}
	if (nrev > 0)
		jw_end_arr(w);
	else
		jw_kstr(
		    w, "description", "no control was assessed by this scan");
	jw_end_obj(w);
	jw_end_arr(w);
	jw_end_obj(w);
}

void
oscal_back_matter_inputs(struct oscal_ctx *x, const char *extra_uuid,
    const char *extra_title, const char *extra_type)
{
	const struct assessment *r = x->r;
	struct jw *w = x->w;
	struct strbuf sb;
	struct oscal_uuid u;
	size_t i;
	int open = 0;

	if (r->ninputs == 0 && extra_uuid == NULL)
		return;
	jw_key(w, "back-matter");
	jw_obj(w);
	jw_key(w, "resources");
	jw_arr(w);
	if (extra_uuid != NULL) {
		jw_obj(w);
		jw_kstr(w, "uuid", extra_uuid);
		jw_kstr(w, "title", extra_title);
		oscal_prop(w, &open, OSCAL_FEDRAMP_NS, "type", extra_type);
		oscal_props_end(w, open);
		jw_end_obj(w);
	}
	for (i = 0; i < r->ninputs; i++) {
		jw_obj(w);
		jw_kstr(w, "uuid", oscal_item_uuid(x, &u, "input\n%zu", i));
		jw_kstr(w, "title", r->inputs[i].path);
		jw_kstr(w, "description", "export read by this scan");
		jw_key(w, "rlinks");
		jw_arr(w);
		jw_obj(w);
		sb_init(&sb);
		uri_from_path(&sb, r->inputs[i].path);
		oscal_kstr_sb(x, "href", &sb);
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
