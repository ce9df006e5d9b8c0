/*
 * endpoint.c: TLS probe results as engine resources, and the
 * `tls_endpoint` plugin.
 *
 * A rule names the prober's checks it decides on (param `checks`, e.g.
 * ["protocol.ssl3", "protocol.tls1_0"]).  Any of them `fail` → fail; else
 * any `error` or missing → error (never pass); else pass.  `warn` counts
 * as a pass unless the rule sets `warn_fails: true`, and its reason is kept
 * in the message.  Checks that are not applicable are skipped; if every
 * named check is, the rule is not applicable.
 */
#include <string.h>

#include "checks/tls/endpoint.h"

int
tls_endpoint_resource(struct arena *a, struct diag *d,
    const struct tls_result *res, struct resource *out, struct strbuf *evidence)
{
	struct strbuf sb;
	struct doc_node **docs;
	size_t n;
	char port[8];
	const char *name;

	memset(out, 0, sizeof(*out));
	sb_init(&sb);
	if (tls_result_json(&sb, res) == -1 || sb.oom) {
		sb_free(&sb);
		return diag_sys(d, NULL, "out of memory");
	}
	snprintf(port, sizeof(port), "%u", (unsigned)res->target.port);
	name = res->target.is_ip && strchr(res->target.host, ':')
	    ? arena_printf(a, "[%s]:%s", res->target.host, port)
	    : arena_printf(a, "%s:%s", res->target.host, port);
	if (name == NULL) {
		sb_free(&sb);
		return diag_sys(d, NULL, "out of memory");
	}
	if (doc_load_buf(a, d, name, sb.s, sb.len, DOC_FMT_JSON, NULL, &docs,
		&n) == -1 ||
	    n != 1) {
		sb_free(&sb);
		return diag_err(d, NULL,
		    "internal error: TLS result for '%s' "
		    "is not one JSON document",
		    name);
	}
	if (evidence != NULL)
		sb_add(evidence, sb.s, sb.len);
	sb_free(&sb);
	out->type = TLS_RESOURCE_TYPE;
	out->id = name;
	out->source = name;
	out->attrs = docs[0];
	if (res->status == TLS_ERROR && res->error != NULL)
		out->read_error = arena_printf(a,
		    "endpoint could not be "
		    "probed: %s",
		    res->error);
	return 0;
}

static const char *const types[] = { TLS_RESOURCE_TYPE, NULL };

static const struct plugin_param params[] = {
	{ "checks", DOC_SEQ, NULL,
	    "prober check ids this rule decides on (rampart tls --format "
	    "json lists them)" },
	{ "warn_fails", DOC_BOOL, "false",
	    "treat a warning (e.g. RSA key transport) as a failure" },
	{ NULL, DOC_NULL, NULL, NULL },
};

static int
evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *ids = check_param(c, "checks");
	const struct doc_node *wf = check_param(c, "warn_fails");
	const struct doc_node *checks = doc_get(r->attrs, "checks");
	const struct doc_node *ck, *st, *why;
	const char *s, *failed = NULL, *errored = NULL, *warned = NULL;
	const char *wreason = NULL, *freason = NULL, *ereason = NULL;
	size_t i, applicable = 0;
	int warn_fails = wf != NULL && wf->type == DOC_BOOL && wf->u.b;
	char path[160];

	if (ids == NULL || ids->type != DOC_SEQ || ids->u.seq.n == 0)
		return check_emit(c, r, ST_ERROR,
		    "rule sets no TLS checks "
		    "(param 'checks')");
	for (i = 0; i < ids->u.seq.n; i++) {
		s = doc_str(ids->u.seq.items[i]);
		if (s == NULL)
			return check_emit(c, r, ST_ERROR,
			    "param 'checks' must "
			    "list strings");
		snprintf(path, sizeof(path), "checks[\"%s\"].status", s);
		ck = doc_get(checks, s);
		st = doc_get(ck, "status");
		why = doc_get(ck, "reason");
		if (check_evidence(c, path, st) == -1)
			return -1;
		if (doc_str(st) == NULL) {
			if (errored == NULL) {
				errored = s;
				ereason = "not evaluated by the prober";
			}
			continue;
		}
		if (strcmp(st->str, "not_applicable") == 0)
			continue;
		applicable++;
		if (strcmp(st->str, "fail") == 0 ||
		    (warn_fails && strcmp(st->str, "warn") == 0)) {
			if (failed == NULL) {
				failed = s;
				freason = doc_str(why);
			}
		} else if (strcmp(st->str, "warn") == 0) {
			if (warned == NULL) {
				warned = s;
				wreason = doc_str(why);
			}
		} else if (strcmp(st->str, "pass") != 0) {
			if (errored == NULL) {
				errored = s;
				ereason = doc_str(why);
			}
		}
	}
	if (failed != NULL)
		return check_emit(c, r, ST_FAIL, "%s: %s", failed,
		    freason ? freason : "failed");
	if (errored != NULL)
		return check_emit(c, r, ST_ERROR, "%s: %s", errored,
		    ereason ? ereason : "could not be evaluated");
	if (applicable == 0)
		return check_emit(c, r, ST_NOT_APPLICABLE,
		    "no applicable "
		    "check");
	if (warned != NULL)
		return check_emit(c, r, ST_PASS,
		    "passes with a warning: %s: %s", warned,
		    wreason ? wreason : "warning");
	return check_emit(c, r, ST_PASS, "all %zu checks pass", applicable);
}

const struct check_plugin tls_endpoint_plugin = {
	"tls_endpoint",
	"decide a rule from the TLS prober's checks (SP 800-52r2)",
	types,
	params,
	evaluate,
};
