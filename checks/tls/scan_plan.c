/*
 * scan_plan.c: the probe plan of one endpoint (which probes a finished
 * probe's answer calls for: phase 0, then the rest unless phase 0 saw no
 * TLS at all) and the enumeration of weak and unapproved suites (repeat
 * the probe without the suites already accepted, at most MAX_ITER
 * rounds).  Part of the prober (scan.c).
 */
#include <string.h>

#include "checks/tls/scan_impl.h"

int
tsc_unapproved_init(struct scan *s)
{
	STACK_OF(SSL_CIPHER) * sk;
	const SSL_CIPHER *ci;
	SSL *ssl = NULL;
	uint16_t id;
	int i, kx, rc = -1;

	if ((ssl = SSL_new(s->ctx)) == NULL)
		return diag_openssl(s->d, NULL, "SSL_new");
	if (SSL_set_cipher_list(ssl, "ALL:COMPLEMENTOFALL:@SECLEVEL=0") != 1) {
		diag_openssl(s->d, NULL, "cannot list OpenSSL's cipher suites");
		goto out;
	}
	sk = SSL_get_ciphers(ssl);
	for (i = 0; i < sk_SSL_CIPHER_num(sk); i++) {
		ci = sk_SSL_CIPHER_value(sk, i);
		id = (uint16_t)(SSL_CIPHER_get_protocol_id(ci) & 0xffff);
		if ((id >> 8) == 0x13) /* TLS 1.3 suites */
			continue;
		kx = SSL_CIPHER_get_kx_nid(ci);
		/* PSK and SRP need credentials we do not have. */
		if (kx == NID_kx_psk || kx == NID_kx_ecdhe_psk ||
		    kx == NID_kx_dhe_psk || kx == NID_kx_rsa_psk ||
		    kx == NID_kx_srp)
			continue;
		if (tls_suite_class_of(id) != TLS_SUITE_WEAK)
			continue;
		if (s->unapp.n ==
		    sizeof(s->unapp.code) / sizeof(s->unapp.code[0]))
			break;
		s->unapp.code[s->unapp.n] = id;
		s->unapp.name[s->unapp.n++] = SSL_CIPHER_get_name(ci);
		s->unapp.iana[s->unapp.n - 1] = SSL_CIPHER_standard_name(ci);
	}
	rc = 0;
out:
	SSL_free(ssl);
	return rc;
}

static void
log_probe(
    struct endpoint *ep, enum tls_probe_kind k, const struct tls_probe_rec *p)
{
	struct tls_result *r = ep->res;
	struct tls_probe_log *nv, *l;
	size_t ncap;

	if (r->nprobes == ep->probes_cap) {
		ncap = ep->probes_cap ? ep->probes_cap * 2 : 16;
		nv = arena_realloc(r->arena, r->probes,
		    ep->probes_cap * sizeof(*nv), ncap * sizeof(*nv));
		if (nv == NULL)
			return;
		r->probes = nv;
		ep->probes_cap = ncap;
	}
	l = &r->probes[r->nprobes++];
	l->kind = (int)k;
	l->name = tls_probe_name(k);
	l->outcome = p->outcome;
	l->detail = p->detail;
	l->version = p->hello ? p->version : 0;
	l->suite = p->hello ? p->suite : 0;
}

static void
add_weak(
    struct endpoint *ep, uint16_t code, uint16_t version, const char *fallback)
{
	struct tls_result *r = ep->res;
	const struct tls_suite *ts = tls_suite_find(code);
	struct tls_accepted_suite *nv, *w;
	size_t i, ncap;

	if (tls_suite_class_of(code) != TLS_SUITE_WEAK)
		return;
	for (i = 0; i < r->nweak_suites; i++)
		if (r->weak_suites[i].code == code &&
		    r->weak_suites[i].version == version)
			return;
	if (r->nweak_suites == ep->weak_cap) {
		ncap = ep->weak_cap ? ep->weak_cap * 2 : 8;
		nv = arena_realloc(r->arena, r->weak_suites,
		    ep->weak_cap * sizeof(*nv), ncap * sizeof(*nv));
		if (nv == NULL)
			return;
		r->weak_suites = nv;
		ep->weak_cap = ncap;
	}
	w = &r->weak_suites[r->nweak_suites++];
	w->code = code;
	w->version = version;
	w->name = ts
	    ? ts->name
	    : (fallback ? fallback : arena_printf(r->arena, "0x%04x", code));
	w->weak = ts ? ts->weak : TLS_WEAK_OTHER;
}

/*
 * A probe finished: keep its record, note weak suites, and queue what
 * the answer calls for.
 */
void
tsc_plan_done(struct scan *s, struct endpoint *ep, enum tls_probe_kind k,
    const struct tls_probe_rec *p)
{
	unsigned ph0 = TLS_K_PHASE0;
	const char *oname = NULL;
	size_t i;
	int stop = 1;

	ep->rec[k] = *p;
	log_probe(ep, k, p);
	for (i = 0; p->hello && i < TLS_P_COUNT; i++)
		if (tls_protocols[i].wire == p->version)
			ep->res->hello_versions |= 1u << i;
	if (p->hello && p->suite != 0) {
		for (i = 0; k == TLS_K_UNAPPROVED && i < s->unapp.n; i++)
			if (s->unapp.code[i] == p->suite)
				oname = s->unapp.iana[i];
		if (k != TLS_K_SSL2)
			add_weak(ep, p->suite, p->version, oname);
	}
	if (k == TLS_K_SSL2 && p->hello)
		add_weak(ep, 0xff00, 0x0002, "SSL 2.0 cipher specs");
	/* Expand only when the server accepted a weak suite. */
	if (k == TLS_K_WEAK && p->hello && p->suite != 0 &&
	    ep->weak_iter < MAX_ITER) {
		ep->weak_excl[ep->nweak_excl++] = p->suite;
		ep->pending |= 1u << TLS_K_WEAK;
	}
	if (k == TLS_K_UNAPPROVED && p->hello && p->suite != 0 &&
	    ep->unapp_iter < MAX_ITER) {
		ep->unapp_excl[ep->nunapp_excl++] = p->suite;
		ep->pending |= 1u << TLS_K_UNAPPROVED;
	}
	if (ep->phase == 0 && (ep->active & ph0) == 0 &&
	    (ep->pending & ph0) == 0) {
		/*
		 * Phase 0 over.  Go on unless it cost us timeouts or TCP
		 * errors without a single TLS answer: then the remaining
		 * probes would only wait out the same deadlines.
		 */
		ep->phase = 1;
		for (i = 0; i < TLS_K_COUNT; i++) {
			if (!(ph0 & (1u << i)))
				continue;
			if (ep->rec[i].hello ||
			    ep->rec[i].outcome == TLS_O_OK ||
			    ep->rec[i].outcome == TLS_O_ALERT) {
				stop = 0;
				break;
			}
			if (ep->rec[i].outcome != TLS_O_TIMEOUT &&
			    ep->rec[i].outcome != TLS_O_TCP)
				stop = 0;
		}
		if (!stop)
			ep->pending |= ((1u << TLS_K_COUNT) - 1) & ~ph0;
	}
}

const char *
tsc_unapproved_list(struct scan *s, struct endpoint *ep, struct strbuf *sb)
{
	size_t i, j;
	int skip;

	for (i = 0; i < s->unapp.n; i++) {
		for (skip = 0, j = 0; j < ep->nunapp_excl; j++)
			skip |= ep->unapp_excl[j] == s->unapp.code[i];
		if (skip)
			continue;
		if (sb->len)
			sb_addc(sb, ':');
		sb_adds(sb, s->unapp.name[i]);
	}
	if (sb->len == 0)
		return NULL;
	sb_adds(sb, ":@SECLEVEL=0");
	return sb->s;
}
