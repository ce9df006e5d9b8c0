/*
 * json.c: one endpoint result as a JSON object, through the one JSON
 * emitter (lib/jw.h, compact).  Keys come in a fixed order and nothing
 * depends on timing, so two scans of the same server configuration give
 * the same bytes (probe timings are left out).
 */
#include <string.h>

#include "lib/jw.h"
#include "checks/tls/tls.h"

/* -1 unknown (null), else false or true. */
static void
jbool3(struct jw *w, const char *k, int v)
{
	jw_key(w, k);
	if (v < 0)
		jw_null(w);
	else
		jw_bool(w, v);
}

static void
jtime(struct jw *w, const char *k, int64_t t)
{
	char buf[32];

	format_time(t, buf);
	jw_kstr(w, k, buf);
}

static const char *
proto_state(enum tls_outcome o)
{
	switch (o) {
	case TLS_O_OK:
		return "accepted";
	case TLS_O_ALERT:
		return "refused";
	case TLS_O_NONE:
		return "not_probed";
	default:
		return "unknown";
	}
}

static void
write_cert(struct jw *w, const struct tls_cert_info *c)
{
	size_t i;

	if (!c->present) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_kstr(w, "subject", c->subject);
	jw_kstr(w, "issuer", c->issuer);
	jw_key(w, "subject_alt_names");
	jw_arr(w);
	for (i = 0; i < c->nsans; i++)
		jw_str(w, c->sans[i]);
	jw_end_arr(w);
	jtime(w, "not_before", c->not_before);
	jtime(w, "not_after", c->not_after);
	jw_kstr(w, "key_type", c->key_type);
	jw_kint(w, "key_bits", c->key_bits);
	jw_kstr(w, "key_curve", c->key_curve);
	jw_kstr(w, "signature_algorithm", c->sig_alg);
	jbool3(w, "eku_server_auth", c->eku_server_auth);
	jw_kint(w, "chain_length", c->chain_len);
	jw_kstr(w, "verify_error", c->verify_error);
	jw_kstr(w, "source", c->source);
	jw_end_obj(w);
}

static void
write_negotiated(struct jw *w, const struct tls_negotiated *n)
{
	jw_obj(w);
	jw_kstr(w, "protocol", n->protocol);
	jw_kstr(w, "cipher", n->cipher);
	jw_kstr(w, "key_exchange", n->group);
	jw_kint(w, "key_exchange_bits", n->kx_bits);
	jbool3(w, "extended_master_secret", n->ems);
	jbool3(w, "secure_renegotiation", n->secure_reneg);
	jbool3(w, "ocsp_stapled", n->ocsp_stapled);
	jw_key(w, "compression_method");
	if (n->compression < 0)
		jw_null(w);
	else
		jw_int(w, n->compression);
	jw_end_obj(w);
}

static void
write_checks(struct jw *w, const struct tls_result *r)
{
	const struct tls_check *ck;
	size_t i;

	jw_key(w, "checks");
	jw_obj(w);
	for (i = 0; i < TLS_C_COUNT; i++) {
		ck = &tls_checks[i];
		jw_key(w, ck->name);
		jw_obj(w);
		jw_kstr(w, "status", tls_status_name(r->checks[i].status));
		jw_kstr(w, "reason", r->checks[i].reason);
		jw_kstr(w, "title", ck->title);
		jw_kstr(w, "reference", ck->ref);
		jw_kstr(w, "controls", ck->controls);
		jw_end_obj(w);
	}
	jw_end_obj(w);
}

static void
write_evidence(struct jw *w, const struct tls_result *r)
{
	const struct tls_accepted_suite *ws;
	const struct tls_probe_log *pl;
	char code[8];
	size_t i;

	jw_key(w, "evidence");
	jw_obj(w);
	jw_kstr(w, "address", r->address);
	jw_key(w, "addresses");
	jw_arr(w);
	for (i = 0; i < r->naddresses; i++)
		jw_str(w, r->addresses[i]);
	jw_end_arr(w);
	jw_key(w, "protocols");
	jw_obj(w);
	for (i = 0; i < TLS_P_COUNT; i++)
		jw_kstr(w, tls_protocols[i].key, proto_state(r->protocols[i]));
	jw_end_obj(w);
	jw_key(w, "accepted_weak_suites");
	jw_arr(w);
	for (i = 0; i < r->nweak_suites; i++) {
		ws = &r->weak_suites[i];
		jw_obj(w);
		jw_kstr(w, "suite", ws->name);
		snprintf(code, sizeof(code), "0x%04x", ws->code);
		jw_kstr(w, "code", code);
		jw_kstr(w, "protocol", tls_version_name(ws->version));
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "negotiated");
	write_negotiated(w, &r->neg);
	jw_key(w, "certificate");
	write_cert(w, &r->cert);
	jw_kint(w, "handshakes", (long long)r->nprobes);
	jw_key(w, "probes");
	jw_arr(w);
	for (i = 0; i < r->nprobes; i++) {
		pl = &r->probes[i];
		jw_obj(w);
		jw_kstr(w, "probe", pl->name);
		jw_kstr(w, "outcome", tls_outcome_name(pl->outcome));
		jw_kstr(w, "version",
		    pl->version ? tls_version_name(pl->version) : NULL);
		jw_kstr(w, "detail", pl->detail);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_end_obj(w);
}

int
tls_result_json(struct strbuf *sb, const struct tls_result *r)
{
	struct strbuf target;
	struct jw w;
	int oom;

	sb_init(&target);
	if (strchr(r->target.host, ':') != NULL)
		sb_printf(&target, "[%s]:%u", r->target.host, r->target.port);
	else
		sb_printf(&target, "%s:%u", r->target.host, r->target.port);
	oom = target.oom;
	jw_init_sb(&w, sb);
	jw_obj(&w);
	jw_kstr(&w, "target", oom ? NULL : target.s);
	sb_free(&target);
	jw_kstr(&w, "host", r->target.host);
	jw_kint(&w, "port", r->target.port);
	jw_kstr(&w, "server_name", r->sni);
	jw_kstr(&w, "status", tls_status_name(r->status));
	jw_kstr(&w, "error", r->error);
	write_checks(&w, r);
	write_evidence(&w, r);
	jw_end_obj(&w);
	return jw_finish(&w) == -1 || oom ? -1 : 0;
}
