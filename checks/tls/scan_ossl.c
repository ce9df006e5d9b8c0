/*
 * scan_ossl.c: the prober's OpenSSL handshake probes (scan.c): one SSL
 * per connection from the scan's shared SSL_CTX, the protocol, suites
 * and groups pinned by the probe kind, the ServerHello and alerts seen
 * by a message callback, and the outcome read from what OpenSSL did.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "checks/tls/scan_impl.h"

static void
msg_cb(int write_p, int version, int content_type, const void *buf, size_t len,
    SSL *ssl, void *arg)
{
	struct conn *c = arg;
	const unsigned char *p = buf;

	(void)version;
	(void)ssl;
	if (write_p || c == NULL)
		return;
	if (content_type == SSL3_RT_ALERT && len >= 2 && !c->alert_recv) {
		c->alert_recv = 1;
		c->alert_desc = p[1];
	} else if (content_type == SSL3_RT_HANDSHAKE && len >= 4 &&
	    p[0] == SSL3_MT_SERVER_HELLO && !c->hello) {
		if (tls_server_hello_parse(p, len, &c->reply) !=
		    TLS_REPLY_MALFORMED)
			c->hello = 1;
	}
}

static const char TLS13_SUITES[] =
    "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:"
    "TLS_AES_128_CCM_8_SHA256:TLS_CHACHA20_POLY1305_SHA256";
static const char ALL_GROUPS[] =
    "P-256:X25519:P-384:P-521:X448:ffdhe2048:ffdhe3072:ffdhe4096";
static const char ALL_CIPHERS[] = "ALL:COMPLEMENTOFALL:@SECLEVEL=0";

static int
is_main(enum tls_probe_kind k)
{
	return k == TLS_K_TLS13 || k == TLS_K_TLS12 || k == TLS_K_TLS11 ||
	    k == TLS_K_TLS10;
}

static uint16_t
group_code(SSL *ssl, int nid)
{
	const struct tls_group *g;
	const char *n;

	if (nid == 0 || (n = SSL_group_to_name(ssl, nid)) == NULL)
		return 0;
	if (strcmp(n, "prime256v1") == 0)
		n = "secp256r1";
	g = tls_group_by_name(n);
	return g ? g->code : 0;
}

static void
tls_success(struct conn *c)
{
	struct arena *a = c->ep->res->arena;
	struct endpoint *ep = c->ep;
	struct tls_probe_rec p;
	const SSL_CIPHER *ci = SSL_get_current_cipher(c->ssl);
	const unsigned char *resp = NULL;
	long rlen;
	EVP_PKEY *pk = NULL;
	STACK_OF(X509) * chain;
	const struct tls_group *g;
	int base;

	memset(&p, 0, sizeof(p));
	p.outcome = TLS_O_OK;
	p.hello = 1;
	p.version = (uint16_t)SSL_version(c->ssl);
	p.suite = ci ? (uint16_t)(SSL_CIPHER_get_protocol_id(ci) & 0xffff) : 0;
	p.cipher = ci ? SSL_CIPHER_get_name(ci) : NULL;
	p.ems = SSL_get_extms_support(c->ssl) == 1;
	p.reneg = SSL_get_secure_renegotiation_support(c->ssl) ? 1 : 0;
	rlen = SSL_get_tlsext_status_ocsp_resp(c->ssl, &resp);
	if (rlen > 0 && resp != NULL)
		p.ocsp = tls_ocsp_check(a, resp, rlen,
			     SSL_get_peer_cert_chain(c->ssl), c->s->store,
			     c->s->now, &p.ocsp_why)
		    ? 1
		    : 2;
	p.compression = 0;
	p.group = group_code(c->ssl, SSL_get_negotiated_group(c->ssl));
	if (SSL_get_peer_tmp_key(c->ssl, &pk) == 1 && pk != NULL) {
		p.kx_bits = EVP_PKEY_get_bits(pk);
		base = EVP_PKEY_get_base_id(pk);
		if (base == EVP_PKEY_DH || base == EVP_PKEY_DHX)
			p.kx = "DHE";
		EVP_PKEY_free(pk);
	}
	if (p.kx == NULL && (g = tls_group_find(p.group)) != NULL)
		p.kx = g->name;
	p.detail = arena_printf(a, "%s %s%s%s (%d bits)",
	    SSL_get_version(c->ssl), p.cipher ? p.cipher : "?", p.kx ? " " : "",
	    p.kx ? p.kx : "", p.kx_bits);
	/* Keep the certificate chain of the best main handshake. */
	if (is_main(c->kind) && SSL_get0_peer_certificate(c->ssl) != NULL &&
	    (ep->chain == NULL || (int)c->kind < ep->chain_kind) &&
	    (chain = SSL_get_peer_cert_chain(c->ssl)) != NULL) {
		sk_X509_pop_free(ep->chain, X509_free);
		ep->chain = X509_chain_up_ref(chain);
		ep->chain_kind = c->kind;
	}
	tsc_conn_finish(c, &p);
}

/* Failures that mean OpenSSL stopped before any reply was read. */
static void
tls_failure(struct conn *c, int e, int err)
{
	struct arena *a = c->ep->res->arena;
	struct tls_probe_rec p;
	BIO *rb = SSL_get_rbio(c->ssl);
	uint64_t nread = rb ? BIO_number_read(rb) : 0;
	const char *why, *after;
	int reason = 0;

	why = tsc_ossl_reason(a, &reason);
	memset(&p, 0, sizeof(p));
	p.compression = -1;
	after = c->hello ? "after its ServerHello" : "after our ClientHello";
	if (c->alert_recv) {
		p.outcome = TLS_O_ALERT;
		p.detail = arena_printf(a, "server sent alert %s (%u)%s",
		    tls_alert_name(c->alert_desc), c->alert_desc,
		    c->hello ? " after its ServerHello" : "");
	} else if (e == SSL_ERROR_SYSCALL &&
	    (err == ECONNRESET || err == EPIPE)) {
		p.outcome = TLS_O_RESET;
		p.detail =
		    arena_printf(a, "connection reset by the server %s", after);
	} else if ((e == SSL_ERROR_SYSCALL && err == 0) ||
	    e == SSL_ERROR_ZERO_RETURN ||
	    reason == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
		p.outcome = TLS_O_CLOSED;
		p.detail = arena_printf(
		    a, "connection closed by the server %s", after);
	} else if (e == SSL_ERROR_SYSCALL) {
		p.outcome = TLS_O_TCP;
		p.detail = arena_printf(a, "socket error: %s", strerror(err));
	} else if (c->hello) {
		p.outcome = TLS_O_LOCAL;
		p.detail = arena_printf(a, "%s, then OpenSSL refused: %s",
		    tsc_hello_desc(a, &c->reply), why);
	} else if (nread == 0) {
		p.outcome = TLS_O_LOCAL;
		p.detail = arena_printf(
		    a, "OpenSSL refused before any reply: %s", why);
	} else {
		p.outcome = TLS_O_PROTOCOL;
		p.detail =
		    arena_printf(a, "invalid TLS reply (%llu bytes read): %s",
			(unsigned long long)nread, why);
	}
	tsc_conn_finish(c, &p);
}

void
tsc_ossl_step(struct conn *c)
{
	int r, e, err;

	ERR_clear_error();
	errno = 0;
	r = SSL_connect(c->ssl);
	err = errno;
	if (r == 1) {
		tls_success(c);
		return;
	}
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ)
		tsc_want(c, EPOLLIN);
	else if (e == SSL_ERROR_WANT_WRITE)
		tsc_want(c, EPOLLOUT);
	else
		tls_failure(c, e, err);
}

int
tsc_ossl_setup(struct conn *c)
{
	struct scan *s = c->s;
	struct endpoint *ep = c->ep;
	struct arena *a = ep->res->arena;
	const char *ciphers = NULL, *suites = NULL, *groups = NULL, *sni;
	struct strbuf sb;
	int v = 0, ok = 1;

	sb_init(&sb);
	switch (c->kind) {
	case TLS_K_TLS13:
		v = TLS1_3_VERSION;
		suites = TLS13_SUITES;
		groups = ALL_GROUPS;
		break;
	case TLS_K_TLS12:
	case TLS_K_TLS11:
	case TLS_K_TLS10:
		v = c->kind == TLS_K_TLS12   ? TLS1_2_VERSION
		    : c->kind == TLS_K_TLS11 ? TLS1_1_VERSION
					     : TLS1_VERSION;
		ciphers = ALL_CIPHERS;
		groups = ALL_GROUPS;
		break;
	case TLS_K_UNAPPROVED:
		v = TLS1_2_VERSION;
		groups = ALL_GROUPS;
		if ((ciphers = tsc_unapproved_list(s, ep, &sb)) == NULL) {
			sb_free(&sb);
			tsc_conn_fail(c, TLS_O_NONE,
			    "no suite left that OpenSSL can offer");
			return -1;
		}
		break;
	case TLS_K_RSAKX:
		v = TLS1_2_VERSION;
		ciphers = "kRSA+AES:@SECLEVEL=0";
		break;
	case TLS_K_DHE:
		v = TLS1_2_VERSION;
		ciphers = "kDHE:@SECLEVEL=0";
		break;
	case TLS_K_CHACHA:
		v = TLS1_3_VERSION;
		suites = "TLS_CHACHA20_POLY1305_SHA256";
		groups = ALL_GROUPS;
		break;
	case TLS_K_GROUPS13:
		v = TLS1_3_VERSION;
		suites = TLS13_SUITES;
		groups = "P-256:P-384:P-521:ffdhe2048:ffdhe3072:ffdhe4096";
		break;
	case TLS_K_GROUPS12:
		v = TLS1_2_VERSION;
		ciphers = "ECDHE:@SECLEVEL=0";
		groups = "P-256:P-384:P-521";
		break;
	default:
		break;
	}
	if ((c->ssl = SSL_new(s->ctx)) == NULL)
		ok = 0;
	if (ok &&
	    (SSL_set_min_proto_version(c->ssl, v) != 1 ||
		SSL_set_max_proto_version(c->ssl, v) != 1))
		ok = 0;
	if (ok && ciphers && SSL_set_cipher_list(c->ssl, ciphers) != 1)
		ok = 0;
	if (ok && suites && SSL_set_ciphersuites(c->ssl, suites) != 1)
		ok = 0;
	if (ok && groups && SSL_set1_groups_list(c->ssl, groups) != 1)
		ok = 0;
	if (ok && (sni = tsc_sni_of(ep)) != NULL &&
	    SSL_set_tlsext_host_name(c->ssl, sni) != 1)
		ok = 0;
	if (ok && is_main(c->kind) &&
	    SSL_set_tlsext_status_type(c->ssl, TLSEXT_STATUSTYPE_ocsp) != 1)
		ok = 0;
	if (ok && SSL_set_fd(c->ssl, c->fd) != 1)
		ok = 0;
	sb_free(&sb);
	if (!ok) {
		tsc_conn_fail(c, TLS_O_LOCAL,
		    arena_printf(a, "cannot set up the probe: %s",
			tsc_ossl_reason(a, NULL)));
		return -1;
	}
	SSL_set_msg_callback(c->ssl, msg_cb);
	SSL_set_msg_callback_arg(c->ssl, c);
	SSL_set_connect_state(c->ssl);
	return 0;
}
