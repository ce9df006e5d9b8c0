/*
 * scan_raw.c: the prober's hand-built ClientHello probes (scan.c): SSL
 * 2.0, SSL 3.0, TLS 1.0 / 1.1, weak suites and DEFLATE hellos built by
 * hello.c, the reply read by tls_reply_parse() and, when no handshake
 * produced a certificate yet, the cleartext Certificate message of TLS
 * <= 1.2 after it (tls_certificate_parse()).
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/rand.h>

#include "checks/tls/scan_impl.h"

#define RAW_IN_MAX 8192
/* A raw reply read up to its Certificate: the list, ServerHello, headers. */
#define RAW_CERT_IN (MAX_CERT_LIST + 8192)

int
tsc_raw_setup(struct conn *c)
{
	static const uint16_t ssl3_extra[] = { 0x002F, 0x0033, 0x0035, 0x0039,
		0xC009, 0xC00A, 0xC013, 0xC014 };
	static const uint8_t deflate[] = { 1, 0 };
	struct endpoint *ep = c->ep;
	struct tls_hello_spec spec;
	uint16_t suites[128];
	unsigned char challenge[16];
	size_t n = 0, i, j;
	int skip, rc;

	memset(&spec, 0, sizeof(spec));
	if (RAND_bytes(spec.random, sizeof(spec.random)) != 1 ||
	    RAND_bytes(challenge, sizeof(challenge)) != 1) {
		tsc_conn_fail(c, TLS_O_LOCAL, "RAND_bytes failed");
		return -1;
	}
	if (c->kind == TLS_K_SSL2) {
		rc = tls_hello_build_ssl2(tls_ssl2_specs, tls_nssl2_specs,
		    challenge, c->out, sizeof(c->out), &c->outlen);
		goto built;
	}
	for (i = 0; i < tls_nsuites && n < 100; i++) {
		const struct tls_suite *t = &tls_suites[i];

		if (c->kind == TLS_K_RAW10 || c->kind == TLS_K_RAW11) {
			if ((t->code >> 8) != 0x13)
				suites[n++] = t->code;
			continue;
		}
		if (c->kind == TLS_K_COMPRESS) {
			if ((t->cls == TLS_SUITE_APPROVED ||
				t->cls == TLS_SUITE_RSA_KX) &&
			    (t->code >> 8) != 0x13)
				suites[n++] = t->code;
			continue;
		}
		if (!t->raw)
			continue;
		for (skip = 0, j = 0;
		     c->kind == TLS_K_WEAK && j < ep->nweak_excl; j++)
			skip |= ep->weak_excl[j] == t->code;
		if (!skip)
			suites[n++] = t->code;
	}
	if (c->kind == TLS_K_SSL3)
		for (i = 0; i < sizeof(ssl3_extra) / sizeof(ssl3_extra[0]); i++)
			suites[n++] = ssl3_extra[i];
	if (n == 0) {
		tsc_conn_fail(c, TLS_O_NONE, "no weak suite left to offer");
		return -1;
	}
	spec.suites = suites;
	spec.nsuites = n;
	if (c->kind == TLS_K_SSL3) {
		spec.record_version = spec.client_version = 0x0300;
	} else {
		spec.record_version = 0x0301;
		spec.client_version = c->kind == TLS_K_RAW10 ? 0x0301
		    : c->kind == TLS_K_RAW11                 ? 0x0302
							     : 0x0303;
		spec.extensions = 1;
		spec.sni = tsc_sni_of(ep);
	}
	if (c->kind == TLS_K_COMPRESS) {
		spec.compression = deflate;
		spec.ncompression = sizeof(deflate);
	}
	rc = tls_hello_build(&spec, c->out, sizeof(c->out), &c->outlen);
built:
	if (rc == -1) {
		tsc_conn_fail(c, TLS_O_LOCAL, "cannot build the ClientHello");
		return -1;
	}
	if ((c->in = lib_malloc(RAW_IN_MAX)) == NULL) {
		tsc_conn_fail(c, TLS_O_LOCAL, "out of memory");
		return -1;
	}
	c->incap = RAW_IN_MAX;
	c->outoff = 0;
	c->inlen = 0;
	return 0;
}

/*
 * Read on past a raw probe's ServerHello to its Certificate?  Only for
 * TLS <= 1.2 (1.3 encrypts it) and only while no handshake of this
 * endpoint has produced a chain yet.
 */
static int
cert_wanted(const struct conn *c)
{
	const struct endpoint *ep = c->ep;

	return ep->chain == NULL && ep->raw_chain == NULL &&
	    c->reply.kind == TLS_REPLY_SERVER_HELLO &&
	    c->reply.version >= 0x0300 && c->reply.version <= 0x0303;
}

/* Grow the raw input buffer; only past a ServerHello, up to RAW_CERT_IN. */
static int
raw_grow(struct conn *c)
{
	unsigned char *nb;
	size_t ncap;

	if (!c->got_hello || c->incap >= RAW_CERT_IN)
		return -1;
	ncap = c->incap * 2 > RAW_CERT_IN ? RAW_CERT_IN : c->incap * 2;
	if ((nb = lib_realloc(c->in, ncap)) == NULL)
		return -1;
	c->in = nb;
	c->incap = ncap;
	return 0;
}

/*
 * Look for the Certificate after the ServerHello.  0: need more bytes;
 * 1: decided (c->cert_note says how; the chain, if any, is kept as the
 * endpoint's raw_chain).
 */
static int
raw_certs(struct conn *c)
{
	struct endpoint *ep = c->ep;
	struct arena *a = ep->res->arena;
	struct tls_cert_list cl;
	STACK_OF(X509) *sk = NULL;
	const unsigned char *p;
	X509 *x;
	size_t i;

	switch (
	    tls_certificate_parse(c->in, c->inlen, c->hs, RAW_CERT_IN, &cl)) {
	case TLS_CERTS_NEED_MORE:
		return 0;
	case TLS_CERTS_FOUND:
		break;
	default:
		c->cert_note = arena_printf(a, "no certificate: %s", cl.why);
		return 1;
	}
	if ((sk = sk_X509_new_null()) == NULL)
		goto oom;
	for (i = 0; i < cl.n; i++) {
		p = cl.der[i];
		x = d2i_X509(NULL, &p, (long)cl.len[i]);
		if (x == NULL || p != cl.der[i] + cl.len[i]) {
			X509_free(x);
			c->cert_note = arena_printf(a,
			    "certificate %zu of the chain does not parse: %s",
			    i, tsc_ossl_reason(a, NULL));
			goto out;
		}
		if (sk_X509_push(sk, x) == 0) {
			X509_free(x);
			goto oom;
		}
	}
	c->cert_note = arena_printf(
	    a, "Certificate message with %zu certificate(s)", cl.n);
	if (ep->chain == NULL && ep->raw_chain == NULL) {
		ep->raw_chain = sk;
		ep->raw_chain_kind = c->kind;
		sk = NULL;
	}
	goto out;
oom:
	ERR_clear_error();
	c->cert_note = "no certificate: out of memory";
out:
	sk_X509_pop_free(sk, X509_free);
	return 1;
}

void
tsc_raw_reply(struct conn *c)
{
	struct arena *a = c->ep->res->arena;
	struct tls_probe_rec p;
	const struct tls_reply *r = &c->reply;

	memset(&p, 0, sizeof(p));
	p.compression = -1;
	switch (r->kind) {
	case TLS_REPLY_SERVER_HELLO:
	case TLS_REPLY_HRR:
		p.outcome = TLS_O_OK;
		p.hello = 1;
		p.version = r->version;
		p.suite = r->suite;
		p.compression = r->compression;
		p.ems = r->ems;
		p.reneg = r->reneg_info;
		p.detail = tsc_hello_desc(a, r);
		if (r->compression != 0)
			p.detail = arena_printf(
			    a, "%s, compression %u", p.detail, r->compression);
		break;
	case TLS_REPLY_SSL2_HELLO:
		p.outcome = TLS_O_OK;
		p.hello = 1;
		p.version = 0x0002;
		p.detail = arena_printf(a,
		    "SSL 2.0 SERVER-HELLO with %zu cipher spec(s)",
		    r->nssl2_specs);
		break;
	case TLS_REPLY_SSL2_ERROR:
		p.outcome = TLS_O_ALERT;
		p.detail = arena_printf(a, "SSL 2.0 error %u", r->ssl2_error);
		break;
	case TLS_REPLY_ALERT:
		p.outcome = TLS_O_ALERT;
		p.detail = arena_printf(a, "server sent alert %s (%u)",
		    tls_alert_name(r->alert_desc), r->alert_desc);
		break;
	default:
		p.outcome = TLS_O_PROTOCOL;
		p.detail = arena_printf(a, "invalid reply (%zu bytes): %s",
		    c->inlen, r->why ? r->why : "malformed");
	}
	if (c->cert_note != NULL && p.detail != NULL)
		p.detail = arena_printf(a, "%s; %s", p.detail, c->cert_note);
	tsc_conn_finish(c, &p);
}

void
tsc_raw_step(struct conn *c)
{
	ssize_t n;

	while (c->phase == C_RAW_SEND) {
		n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
		    MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			tsc_want(c, EPOLLOUT);
			return;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tsc_conn_fail(c,
			    errno == ECONNRESET || errno == EPIPE ? TLS_O_RESET
								  : TLS_O_TCP,
			    arena_printf(c->ep->res->arena,
				"sending the ClientHello: %s",
				strerror(errno)));
			return;
		}
		c->outoff += (size_t)n;
		if (c->outoff == c->outlen) {
			c->phase = C_RAW_RECV;
			tsc_want(c, EPOLLIN);
		}
	}
	for (;;) {
		if (c->inlen == c->incap && raw_grow(c) == -1) {
			if (c->got_hello) {
				c->cert_note = "no certificate: the reply "
					       "exceeds the certificate list "
					       "limit";
				tsc_raw_reply(c);
			} else {
				tsc_conn_fail(c, TLS_O_PROTOCOL,
				    "reply too long without a complete "
				    "ServerHello");
			}
			return;
		}
		n = recv(c->fd, c->in + c->inlen, c->incap - c->inlen, 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			tsc_want(c, EPOLLIN);
			return;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 && c->got_hello) {
			/* The ServerHello stands; only the certificate is lost. */
			c->cert_note = n == 0
			    ? "no certificate: connection closed before it"
			    : arena_printf(c->ep->res->arena,
				  "no certificate: %s before it",
				  strerror(errno));
			tsc_raw_reply(c);
			return;
		}
		if (n < 0) {
			tsc_conn_fail(c,
			    errno == ECONNRESET ? TLS_O_RESET : TLS_O_TCP,
			    errno == ECONNRESET
				? "connection reset by the server after our "
				  "ClientHello"
				: arena_printf(c->ep->res->arena, "recv: %s",
				      strerror(errno)));
			return;
		}
		if (n == 0) {
			if (c->inlen == 0)
				tsc_conn_fail(c, TLS_O_CLOSED,
				    "connection closed by the server after our "
				    "ClientHello");
			else
				tsc_conn_fail(c, TLS_O_PROTOCOL,
				    arena_printf(c->ep->res->arena,
					"connection closed after %zu bytes of "
					"an incomplete reply",
					c->inlen));
			return;
		}
		c->inlen += (size_t)n;
		if (!c->got_hello) {
			if (tls_reply_parse(c->in, c->inlen, &c->reply) ==
			    TLS_REPLY_NEED_MORE)
				continue;
			if (!cert_wanted(c)) {
				tsc_raw_reply(c);
				return;
			}
			c->got_hello = 1;
			if ((c->hs = lib_malloc(RAW_CERT_IN)) == NULL) {
				c->cert_note = "no certificate: out of memory";
				tsc_raw_reply(c);
				return;
			}
		}
		if (raw_certs(c) == 1) {
			tsc_raw_reply(c);
			return;
		}
	}
}
