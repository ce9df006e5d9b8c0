/*
 * json.c: one endpoint result as a JSON object.  Keys come in a fixed
 * order and nothing depends on timing, so two scans of the same server
 * configuration give the same bytes (probe timings are left out).
 */
#include <string.h>

#include "checks/tls/tls.h"

static void
jstr(struct strbuf *sb, const char *s)
{
	if (s == NULL)
		sb_adds(sb, "null");
	else
		sb_json_str(sb, s, strlen(s));
}

static void
jkey(struct strbuf *sb, const char *k, int first)
{
	if (!first)
		sb_addc(sb, ',');
	sb_json_str(sb, k, strlen(k));
	sb_addc(sb, ':');
}

static void
jbool3(struct strbuf *sb, int v)
{
	sb_adds(sb, v < 0 ? "null" : v ? "true" : "false");
}

static void
jtime(struct strbuf *sb, int64_t t)
{
	char buf[32];

	format_time(t, buf);
	jstr(sb, buf);
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
write_cert(struct strbuf *sb, const struct tls_cert_info *c)
{
	size_t i;

	if (!c->present) {
		sb_adds(sb, "null");
		return;
	}
	sb_addc(sb, '{');
	jkey(sb, "subject", 1);
	jstr(sb, c->subject);
	jkey(sb, "issuer", 0);
	jstr(sb, c->issuer);
	jkey(sb, "subject_alt_names", 0);
	sb_addc(sb, '[');
	for (i = 0; i < c->nsans; i++) {
		if (i)
			sb_addc(sb, ',');
		jstr(sb, c->sans[i]);
	}
	sb_addc(sb, ']');
	jkey(sb, "not_before", 0);
	jtime(sb, c->not_before);
	jkey(sb, "not_after", 0);
	jtime(sb, c->not_after);
	jkey(sb, "key_type", 0);
	jstr(sb, c->key_type);
	jkey(sb, "key_bits", 0);
	sb_printf(sb, "%d", c->key_bits);
	jkey(sb, "key_curve", 0);
	jstr(sb, c->key_curve);
	jkey(sb, "signature_algorithm", 0);
	jstr(sb, c->sig_alg);
	jkey(sb, "eku_server_auth", 0);
	jbool3(sb, c->eku_server_auth);
	jkey(sb, "chain_length", 0);
	sb_printf(sb, "%d", c->chain_len);
	jkey(sb, "verify_error", 0);
	jstr(sb, c->verify_error);
	jkey(sb, "source", 0);
	jstr(sb, c->source);
	sb_addc(sb, '}');
}

static void
write_negotiated(struct strbuf *sb, const struct tls_negotiated *n)
{
	sb_addc(sb, '{');
	jkey(sb, "protocol", 1);
	jstr(sb, n->protocol);
	jkey(sb, "cipher", 0);
	jstr(sb, n->cipher);
	jkey(sb, "key_exchange", 0);
	jstr(sb, n->group);
	jkey(sb, "key_exchange_bits", 0);
	sb_printf(sb, "%d", n->kx_bits);
	jkey(sb, "extended_master_secret", 0);
	jbool3(sb, n->ems);
	jkey(sb, "secure_renegotiation", 0);
	jbool3(sb, n->secure_reneg);
	jkey(sb, "ocsp_stapled", 0);
	jbool3(sb, n->ocsp_stapled);
	jkey(sb, "compression_method", 0);
	if (n->compression < 0)
		sb_adds(sb, "null");
	else
		sb_printf(sb, "%d", n->compression);
	sb_addc(sb, '}');
}

int
tls_result_json(struct strbuf *sb, const struct tls_result *r)
{
	const struct tls_check *ck;
	const struct tls_probe_log *pl;
	const struct tls_accepted_suite *w;
	const char *vn;
	size_t i;

	sb_addc(sb, '{');
	jkey(sb, "target", 1);
	if (strchr(r->target.host, ':') != NULL)
		sb_printf(sb, "\"[%s]:%u\"", r->target.host, r->target.port);
	else
		sb_printf(sb, "\"%s:%u\"", r->target.host, r->target.port);
	jkey(sb, "host", 0);
	jstr(sb, r->target.host);
	jkey(sb, "port", 0);
	sb_printf(sb, "%u", r->target.port);
	jkey(sb, "server_name", 0);
	jstr(sb, r->sni);
	jkey(sb, "status", 0);
	jstr(sb, tls_status_name(r->status));
	jkey(sb, "error", 0);
	jstr(sb, r->error);

	jkey(sb, "checks", 0);
	sb_addc(sb, '{');
	for (i = 0; i < TLS_C_COUNT; i++) {
		ck = &tls_checks[i];
		jkey(sb, ck->name, i == 0);
		sb_addc(sb, '{');
		jkey(sb, "status", 1);
		jstr(sb, tls_status_name(r->checks[i].status));
		jkey(sb, "reason", 0);
		jstr(sb, r->checks[i].reason);
		jkey(sb, "title", 0);
		jstr(sb, ck->title);
		jkey(sb, "reference", 0);
		jstr(sb, ck->ref);
		jkey(sb, "controls", 0);
		jstr(sb, ck->controls);
		sb_addc(sb, '}');
	}
	sb_addc(sb, '}');

	jkey(sb, "evidence", 0);
	sb_addc(sb, '{');
	jkey(sb, "address", 1);
	jstr(sb, r->address);
	jkey(sb, "addresses", 0);
	sb_addc(sb, '[');
	for (i = 0; i < r->naddresses; i++) {
		if (i)
			sb_addc(sb, ',');
		jstr(sb, r->addresses[i]);
	}
	sb_addc(sb, ']');
	jkey(sb, "protocols", 0);
	sb_addc(sb, '{');
	for (i = 0; i < TLS_P_COUNT; i++) {
		jkey(sb, tls_protocols[i].key, i == 0);
		jstr(sb, proto_state(r->protocols[i]));
	}
	sb_addc(sb, '}');
	jkey(sb, "accepted_weak_suites", 0);
	sb_addc(sb, '[');
	for (i = 0; i < r->nweak_suites; i++) {
		w = &r->weak_suites[i];
		if (i)
			sb_addc(sb, ',');
		sb_addc(sb, '{');
		jkey(sb, "suite", 1);
		jstr(sb, w->name);
		jkey(sb, "code", 0);
		sb_printf(sb, "\"0x%04x\"", w->code);
		jkey(sb, "protocol", 0);
		jstr(sb, tls_version_name(w->version));
		sb_addc(sb, '}');
	}
	sb_addc(sb, ']');
	jkey(sb, "negotiated", 0);
	write_negotiated(sb, &r->neg);
	jkey(sb, "certificate", 0);
	write_cert(sb, &r->cert);
	jkey(sb, "handshakes", 0);
	sb_printf(sb, "%zu", r->nprobes);
	jkey(sb, "probes", 0);
	sb_addc(sb, '[');
	for (i = 0; i < r->nprobes; i++) {
		pl = &r->probes[i];
		if (i)
			sb_addc(sb, ',');
		sb_addc(sb, '{');
		jkey(sb, "probe", 1);
		jstr(sb, pl->name);
		jkey(sb, "outcome", 0);
		jstr(sb, tls_outcome_name(pl->outcome));
		jkey(sb, "version", 0);
		vn = pl->version ? tls_version_name(pl->version) : NULL;
		jstr(sb, vn);
		jkey(sb, "detail", 0);
		jstr(sb, pl->detail);
		sb_addc(sb, '}');
	}
	sb_addc(sb, ']');
	sb_addc(sb, '}');
	sb_addc(sb, '}');
	return sb->oom ? -1 : 0;
}
