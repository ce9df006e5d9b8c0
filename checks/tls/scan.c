/*
 * scan.c: the prober.  One epoll loop drives every connection of every
 * endpoint: non-blocking sockets, one absolute deadline per connection
 * (connect timeout until connected, then handshake timeout), a global cap
 * on connections and a cap per host name.  Each endpoint runs the probe
 * plan of tls.h; a probe is either an OpenSSL handshake (one shared
 * SSL_CTX at security level 0 with an allow-all security callback, the
 * protocol pinned per probe) or a hand-built ClientHello whose reply is
 * read by tls_reply_parse() (and, when no OpenSSL handshake produced a
 * certificate, followed by the cleartext Certificate message of TLS <= 1.2,
 * read by tls_certificate_parse()).
 *
 * Memory is per open endpoint, not per target: endpoints are opened in
 * target order into a pool of `concurrency` slots, each result lives in
 * its own arena, and finished results are handed to the caller in target
 * order and freed.  A result that finishes before an earlier target waits
 * in a ring of `window` slots; the scheduler opens no target beyond the
 * oldest unfinished one plus the window, so the ring never overflows.
 *
 * Every distinct host name is resolved once, before the first probe, all
 * names concurrently and each within the connect timeout (resolve.c,
 * c-ares: a slow name delays no other), to at most TLS_MAX_ADDRS
 * addresses, IPv6 and IPv4 in the resolver's order; numeric addresses
 * need no resolver.  Each
 * connection tries them in order until one connects, within its connect
 * deadline: every address gets an equal share of what is left of it, so a
 * black-holed first address cannot starve the others.  The first address
 * that connects is the endpoint's from then on, and is the evidence's
 * `address`.
 *
 * The caller must ignore SIGPIPE (cli/main.c does): OpenSSL writes to
 * sockets the peer may have closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/rand.h>

#include "checks/tls/tls.h"

#define DEFAULT_CONNECT_MS 5000
#define DEFAULT_HANDSHAKE_MS 10000
#define DEFAULT_CONCURRENCY 64
#define DEFAULT_PER_HOST 8
#define DEFAULT_WINDOW_MIN 256
#define MAX_ITER 32 /* rounds of WEAK / UNAPPROVED enumeration */
#define MAX_CERT_LIST TLS_CERT_LIST_MAX /* peer certificate list, bytes */
#define RAW_IN_MAX 8192
/* A raw reply read up to its Certificate: the list, ServerHello, headers. */
#define RAW_CERT_IN (MAX_CERT_LIST + 8192)

/* All OpenSSL-offerable TLS <= 1.2 suites outside §3.3.1. */
struct unapproved {
	uint16_t code[256];
	const char *name[256]; /* OpenSSL's, for cipher lists */
	const char *iana[256]; /* the standard name, for evidence */
	size_t n;
};

/* What is shared by every connection of a scan. */
struct scan {
	const struct tls_opts *o;
	struct diag *d;
	SSL_CTX *ctx;
	X509_STORE *store;
	int ep_fd;
	int connect_ms, handshake_ms;
	int64_t now; /* certificate clock */
	struct unapproved unapp;
	const struct tls_target *targets;
	int *host_of; /* host group of each target */
	/* Per host group, its name's addresses (resolve.c); NULL: no names. */
	struct tls_resolved *resolved;
	size_t neps, done, next_new;
	struct endpoint *eps; /* pool of maxopen slots */
	struct endpoint **open; /* started, unfinished endpoints */
	size_t nopen, maxopen;
	int *host_active; /* connections per host group */
	struct conn *conns;
	size_t nconns, nactive;
	/* Ordered delivery: finished results by target index mod window. */
	struct tls_result **held;
	size_t window, next_out;
	tls_result_fn cb;
	void *cb_ctx;
	int failed; /* cb returned -1: stop */
};

struct endpoint {
	struct tls_result *res; /* NULL: free slot */
	size_t idx; /* target index */
	int host; /* host group */
	struct sockaddr_storage addrs[TLS_MAX_ADDRS];
	socklen_t alens[TLS_MAX_ADDRS];
	int naddrs;
	int addr_ok; /* index of the address that connected, -1: none yet */
	unsigned pending, active;
	int phase;
	int nactive;
	struct tls_probe_rec rec[TLS_K_COUNT];
	uint16_t weak_excl[MAX_ITER + 1];
	size_t nweak_excl;
	uint16_t unapp_excl[MAX_ITER + 1];
	size_t nunapp_excl;
	int weak_iter, unapp_iter;
	STACK_OF(X509) * chain; /* from the main handshake */
	int chain_kind; /* probe kind it came from */
	STACK_OF(X509) * raw_chain; /* from a raw probe's Certificate */
	int raw_chain_kind;
	size_t probes_cap, weak_cap;
	int64_t started;
};

enum conn_phase { C_FREE, C_CONNECT, C_TLS, C_RAW_SEND, C_RAW_RECV };

struct conn {
	enum conn_phase phase;
	int fd;
	unsigned events;
	int64_t deadline; /* of this attempt or phase */
	int64_t connect_end; /* connect deadline over every address */
	int ai; /* address being tried */
	const char *tried; /* why earlier addresses failed */
	struct scan *s;
	struct endpoint *ep;
	enum tls_probe_kind kind;
	SSL *ssl;
	/* Seen by the message callback. */
	int hello;
	struct tls_reply reply;
	int alert_recv;
	uint8_t alert_desc;
	/* Raw probes. */
	unsigned char out[TLS_HELLO_MAX];
	size_t outlen, outoff;
	unsigned char *in; /* lib_malloc'd, incap bytes */
	size_t inlen, incap;
	/* After a TLS <= 1.2 ServerHello, reading on to the Certificate. */
	int got_hello;
	unsigned char *hs; /* reassembly scratch, RAW_CERT_IN bytes */
	const char *cert_note; /* what became of the certificate */
};

/* Let OpenSSL offer and accept anything: we judge, it must not. */
static int
allow_all(const SSL *ssl, const SSL_CTX *ctx, int op, int bits, int nid,
    void *other, void *ex)
{
	(void)ssl;
	(void)ctx;
	(void)op;
	(void)bits;
	(void)nid;
	(void)other;
	(void)ex;
	return 1;
}

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

/* ------------------------------------------------------------ set-up */

static int
unapproved_init(struct scan *s)
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

static int
scan_init(struct scan *s)
{
	if ((s->ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return diag_openssl(s->d, NULL, "cannot create an SSL_CTX");
	SSL_CTX_set_security_level(s->ctx, 0);
	SSL_CTX_set_security_callback(s->ctx, allow_all);
	SSL_CTX_set_options(s->ctx, SSL_OP_LEGACY_SERVER_CONNECT);
	SSL_CTX_set_verify(s->ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_verify_depth(s->ctx, 8);
	SSL_CTX_set_max_cert_list(s->ctx, MAX_CERT_LIST);
	SSL_CTX_set_session_cache_mode(s->ctx, SSL_SESS_CACHE_OFF);
	if (unapproved_init(s) == -1)
		return -1;
	if ((s->store = X509_STORE_new()) == NULL)
		return diag_openssl(s->d, NULL, "X509_STORE_new");
	if (s->o->ca_file != NULL) {
		if (X509_STORE_load_file(s->store, s->o->ca_file) != 1)
			return diag_openssl_input(s->d, NULL,
			    "cannot load trust anchors from the CA file");
	} else if (X509_STORE_set_default_paths(s->store) != 1) {
		return diag_openssl(
		    s->d, NULL, "cannot load the system trust store");
	}
	ERR_clear_error();
	if ((s->ep_fd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return diag_sys(
		    s->d, NULL, "epoll_create1: %s", strerror(errno));
	return 0;
}

/* ------------------------------------------------------- endpoint plan */

static const char *
ep_name(const struct endpoint *ep)
{
	return ep->res->sni;
}

/* The name sent as SNI: never an IP literal (RFC 6066 §3). */
static const char *
sni_of(const struct endpoint *ep)
{
	unsigned char tmp[16];
	const char *n = ep_name(ep);

	if (n == NULL || inet_pton(AF_INET, n, tmp) == 1 ||
	    inet_pton(AF_INET6, n, tmp) == 1)
		return NULL;
	return n;
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
static void
plan_done(struct scan *s, struct endpoint *ep, enum tls_probe_kind k,
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

/* ---------------------------------------------------------- connections */

static const char TLS13_SUITES[] =
    "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:"
    "TLS_AES_128_CCM_8_SHA256:TLS_CHACHA20_POLY1305_SHA256";
static const char ALL_GROUPS[] =
    "P-256:X25519:P-384:P-521:X448:ffdhe2048:ffdhe3072:ffdhe4096";
static const char ALL_CIPHERS[] = "ALL:COMPLEMENTOFALL:@SECLEVEL=0";

static void
want(struct conn *c, unsigned events)
{
	struct epoll_event ev;

	if (c->events == events)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = c;
	if (epoll_ctl(c->s->ep_fd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->events = events;
}

/* The most specific queued OpenSSL error as text; clears the queue. */
static const char *
ossl_reason(struct arena *a, int *reason)
{
	unsigned long e, last = 0;
	char buf[256];

	while ((e = ERR_get_error()) != 0)
		last = e;
	if (reason != NULL)
		*reason = last ? ERR_GET_REASON(last) : 0;
	if (last == 0)
		return "unknown OpenSSL error";
	ERR_error_string_n(last, buf, sizeof(buf));
	return arena_strdup(a, buf);
}

static void ep_finish(struct scan *s, struct endpoint *ep);

static void
conn_release(struct conn *c)
{
	struct scan *s = c->s;
	struct endpoint *ep = c->ep;

	SSL_free(c->ssl);
	c->ssl = NULL;
	lib_free(c->in);
	c->in = NULL;
	c->inlen = c->incap = 0;
	lib_free(c->hs);
	c->hs = NULL;
	if (c->fd != -1) {
		epoll_ctl(s->ep_fd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
	}
	c->phase = C_FREE;
	s->nactive--;
	s->host_active[ep->host]--;
	ep->nactive--;
	ep->active &= ~(1u << c->kind);
}

/* Record what the connection came to and release it. */
static void
conn_finish(struct conn *c, struct tls_probe_rec *p)
{
	struct scan *s = c->s;
	struct endpoint *ep = c->ep;

	if (c->hello && !p->hello) {
		p->hello = 1;
		p->version = c->reply.version;
		p->suite = c->reply.suite;
		p->compression = c->reply.compression;
	}
	conn_release(c);
	plan_done(s, ep, c->kind, p);
	if (ep->pending == 0 && ep->active == 0)
		ep_finish(s, ep);
}

static void
conn_fail(struct conn *c, enum tls_outcome o, const char *detail)
{
	struct tls_probe_rec p;

	memset(&p, 0, sizeof(p));
	p.outcome = o;
	p.detail = detail;
	p.compression = -1;
	conn_finish(c, &p);
}

static const char *
hello_desc(struct arena *a, const struct tls_reply *r)
{
	const struct tls_suite *ts = tls_suite_find(r->suite);
	const char *v = tls_version_name(r->version);

	if (ts != NULL)
		return arena_printf(
		    a, "server selected %s %s", v ? v : "?", ts->name);
	return arena_printf(
	    a, "server selected %s suite 0x%04x", v ? v : "?", r->suite);
}

/* ------------------------------------------------------ OpenSSL probes */

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
	conn_finish(c, &p);
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

	why = ossl_reason(a, &reason);
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
		    hello_desc(a, &c->reply), why);
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
	conn_finish(c, &p);
}

static void
tls_step(struct conn *c)
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
		want(c, EPOLLIN);
	else if (e == SSL_ERROR_WANT_WRITE)
		want(c, EPOLLOUT);
	else
		tls_failure(c, e, err);
}

static const char *
unapproved_list(struct scan *s, struct endpoint *ep, struct strbuf *sb)
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

static int
tls_setup(struct conn *c)
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
		if ((ciphers = unapproved_list(s, ep, &sb)) == NULL) {
			sb_free(&sb);
			conn_fail(c, TLS_O_NONE,
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
	if (ok && (sni = sni_of(ep)) != NULL &&
	    SSL_set_tlsext_host_name(c->ssl, sni) != 1)
		ok = 0;
	if (ok && is_main(c->kind) &&
	    SSL_set_tlsext_status_type(c->ssl, TLSEXT_STATUSTYPE_ocsp) != 1)
		ok = 0;
	if (ok && SSL_set_fd(c->ssl, c->fd) != 1)
		ok = 0;
	sb_free(&sb);
	if (!ok) {
		conn_fail(c, TLS_O_LOCAL,
		    arena_printf(a, "cannot set up the probe: %s",
			ossl_reason(a, NULL)));
		return -1;
	}
	SSL_set_msg_callback(c->ssl, msg_cb);
	SSL_set_msg_callback_arg(c->ssl, c);
	SSL_set_connect_state(c->ssl);
	return 0;
}

/* ---------------------------------------------------------- raw probes */

static int
raw_setup(struct conn *c)
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
		conn_fail(c, TLS_O_LOCAL, "RAND_bytes failed");
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
		conn_fail(c, TLS_O_NONE, "no weak suite left to offer");
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
		spec.sni = sni_of(ep);
	}
	if (c->kind == TLS_K_COMPRESS) {
		spec.compression = deflate;
		spec.ncompression = sizeof(deflate);
	}
	rc = tls_hello_build(&spec, c->out, sizeof(c->out), &c->outlen);
built:
	if (rc == -1) {
		conn_fail(c, TLS_O_LOCAL, "cannot build the ClientHello");
		return -1;
	}
	if ((c->in = lib_malloc(RAW_IN_MAX)) == NULL) {
		conn_fail(c, TLS_O_LOCAL, "out of memory");
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
			    i, ossl_reason(a, NULL));
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

static void
raw_reply(struct conn *c)
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
		p.detail = hello_desc(a, r);
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
	conn_finish(c, &p);
}

static void
raw_step(struct conn *c)
{
	ssize_t n;

	while (c->phase == C_RAW_SEND) {
		n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
		    MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			want(c, EPOLLOUT);
			return;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			conn_fail(c,
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
			want(c, EPOLLIN);
		}
	}
	for (;;) {
		if (c->inlen == c->incap && raw_grow(c) == -1) {
			if (c->got_hello) {
				c->cert_note = "no certificate: the reply "
					       "exceeds the certificate list "
					       "limit";
				raw_reply(c);
			} else {
				conn_fail(c, TLS_O_PROTOCOL,
				    "reply too long without a complete "
				    "ServerHello");
			}
			return;
		}
		n = recv(c->fd, c->in + c->inlen, c->incap - c->inlen, 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			want(c, EPOLLIN);
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
			raw_reply(c);
			return;
		}
		if (n < 0) {
			conn_fail(c,
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
				conn_fail(c, TLS_O_CLOSED,
				    "connection closed by the server after our "
				    "ClientHello");
			else
				conn_fail(c, TLS_O_PROTOCOL,
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
				raw_reply(c);
				return;
			}
			c->got_hello = 1;
			if ((c->hs = lib_malloc(RAW_CERT_IN)) == NULL) {
				c->cert_note = "no certificate: out of memory";
				raw_reply(c);
				return;
			}
		}
		if (raw_certs(c) == 1) {
			raw_reply(c);
			return;
		}
	}
}

/* --------------------------------------------------- connection driver */

static int
is_raw(enum tls_probe_kind k)
{
	return k == TLS_K_SSL3 || k == TLS_K_SSL2 || k == TLS_K_WEAK ||
	    k == TLS_K_COMPRESS || k == TLS_K_RAW10 || k == TLS_K_RAW11;
}

/* The endpoint's address i as text ("::1"), for messages. */
static const char *
addr_name(const struct endpoint *ep, int i)
{
	const struct tls_result *r = ep->res;

	return (size_t)i < r->naddresses ? r->addresses[i] : "?";
}

static void
on_connected(struct conn *c)
{
	struct endpoint *ep = c->ep;

	if (ep->addr_ok < 0) {
		ep->addr_ok = c->ai;
		ep->res->address = addr_name(ep, c->ai);
	}
	c->deadline = mono_ms() + c->s->handshake_ms;
	if (is_raw(c->kind)) {
		if (raw_setup(c) == -1)
			return;
		c->phase = C_RAW_SEND;
		raw_step(c);
		return;
	}
	if (tls_setup(c) == -1)
		return;
	c->phase = C_TLS;
	tls_step(c);
}

/* The last address this connection may try. */
static int
last_addr(const struct conn *c)
{
	/* Once an address has connected, the endpoint sticks to it. */
	return c->ep->addr_ok >= 0 ? c->ai : c->ep->naddrs - 1;
}

/*
 * Address c->ai failed (outcome o, why): close the socket and move on to
 * the next address.  0 when there is one to try, -1 when the probe is
 * finished (as o, naming every address tried).
 */
static int
conn_next_addr(struct conn *c, enum tls_outcome o, const char *why)
{
	struct scan *s = c->s;
	struct endpoint *ep = c->ep;
	struct arena *a = ep->res->arena;
	const char *tried;

	if (c->fd != -1) {
		epoll_ctl(s->ep_fd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
	}
	tried = arena_printf(a, "%s%s%s: %s", c->tried ? c->tried : "",
	    c->tried ? "; " : "", addr_name(ep, c->ai), why);
	if (c->ai < last_addr(c) && mono_ms() < c->connect_end) {
		c->tried = tried;
		c->ai++;
		return 0;
	}
	if (c->tried == NULL && o == TLS_O_TIMEOUT)
		conn_fail(c, o,
		    arena_printf(
			a, "no TCP connection within %d ms", s->connect_ms));
	else if (c->tried == NULL)
		conn_fail(c, o, arena_printf(a, "connect: %s", why));
	else
		conn_fail(c, o,
		    arena_printf(a,
			"no TCP connection to any address within %d ms (%s)",
			s->connect_ms, tried ? tried : why));
	return -1;
}

/*
 * Start connecting to address c->ai, moving on to the next address on an
 * immediate failure.  Each attempt gets an equal share of what is left of
 * the connect deadline.
 */
static void
conn_connect(struct conn *c)
{
	struct scan *s = c->s;
	struct endpoint *ep = c->ep;
	struct arena *a = ep->res->arena;
	struct epoll_event ev;
	int one = 1, fl, left;
	int64_t t;

	for (;;) {
		t = mono_ms();
		left = last_addr(c) - c->ai + 1;
		c->deadline = c->connect_end <= t
		    ? c->connect_end
		    : t + (c->connect_end - t) / left;
		c->phase = C_CONNECT;
		c->events = 0;
		c->fd = socket(ep->addrs[c->ai].ss_family, SOCK_STREAM, 0);
		if (c->fd == -1) {
			if (conn_next_addr(c, TLS_O_LOCAL,
				arena_printf(
				    a, "socket: %s", strerror(errno))) == 0)
				continue;
			return;
		}
		if ((fl = fcntl(c->fd, F_GETFL)) == -1 ||
		    fcntl(c->fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
		    fcntl(c->fd, F_SETFD, FD_CLOEXEC) == -1) {
			conn_fail(c, TLS_O_LOCAL,
			    arena_printf(a, "fcntl: %s", strerror(errno)));
			return;
		}
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLOUT;
		ev.data.ptr = c;
		if (epoll_ctl(s->ep_fd, EPOLL_CTL_ADD, c->fd, &ev) == -1) {
			conn_fail(c, TLS_O_LOCAL,
			    arena_printf(a, "epoll_ctl: %s", strerror(errno)));
			return;
		}
		c->events = EPOLLOUT;
		if (connect(c->fd, (struct sockaddr *)&ep->addrs[c->ai],
			ep->alens[c->ai]) == 0) {
			on_connected(c);
			return;
		}
		if (errno == EINPROGRESS)
			return;
		if (conn_next_addr(c, TLS_O_TCP, strerror(errno)) == -1)
			return;
	}
}

static void
conn_event(struct conn *c, unsigned events)
{
	int err = 0;
	socklen_t len = sizeof(err);

	switch (c->phase) {
	case C_CONNECT:
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
			err = errno;
		if (err != 0) {
			if (conn_next_addr(c, TLS_O_TCP, strerror(err)) == 0)
				conn_connect(c);
			return;
		}
		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		on_connected(c);
		return;
	case C_TLS:
		tls_step(c);
		return;
	case C_RAW_SEND:
	case C_RAW_RECV:
		raw_step(c);
		return;
	default:
		return;
	}
}

static void
conn_timeout(struct conn *c)
{
	struct arena *a = c->ep->res->arena;
	uint64_t nread = 0;
	BIO *rb;

	if (c->phase == C_CONNECT) {
		if (conn_next_addr(c, TLS_O_TIMEOUT, "no answer") == 0)
			conn_connect(c);
		return;
	}
	if (c->got_hello) {
		/* The ServerHello stands; only the certificate is late. */
		c->cert_note = "no certificate: not complete within the "
			       "handshake deadline";
		raw_reply(c);
		return;
	}
	if (c->ssl != NULL && (rb = SSL_get_rbio(c->ssl)) != NULL)
		nread = BIO_number_read(rb);
	else
		nread = c->inlen;
	conn_fail(c, TLS_O_TIMEOUT,
	    arena_printf(a,
		"handshake not answered within %d ms (%llu bytes received)",
		c->s->handshake_ms, (unsigned long long)nread));
}

static void
conn_start(
    struct scan *s, struct endpoint *ep, enum tls_probe_kind k, struct conn *c)
{
	c->phase = C_CONNECT;
	c->s = s;
	c->ep = ep;
	c->kind = k;
	c->ssl = NULL;
	c->fd = -1;
	c->hello = 0;
	memset(&c->reply, 0, sizeof(c->reply));
	c->alert_recv = 0;
	c->in = c->hs = NULL;
	c->inlen = c->incap = c->outlen = c->outoff = 0;
	c->got_hello = 0;
	c->cert_note = NULL;
	c->events = 0;
	c->tried = NULL;
	c->ai = ep->addr_ok >= 0 ? ep->addr_ok : 0;
	s->nactive++;
	s->host_active[ep->host]++;
	ep->nactive++;
	ep->active |= 1u << k;
	ep->pending &= ~(1u << k);
	if (k == TLS_K_WEAK)
		ep->weak_iter++;
	if (k == TLS_K_UNAPPROVED)
		ep->unapp_iter++;
	c->connect_end = mono_ms() + s->connect_ms;
	conn_connect(c);
}

/* ------------------------------------------------------------ endpoints */

/*
 * Probes finish in whatever order the network decides; sort the log by
 * kind (stable: repeated probes keep their order) so output is
 * deterministic.
 */
static void
sort_probes(struct tls_result *r)
{
	struct tls_probe_log t;
	size_t i, j;

	for (i = 1; i < r->nprobes; i++) {
		t = r->probes[i];
		for (j = i; j > 0 && r->probes[j - 1].kind > t.kind; j--)
			r->probes[j] = r->probes[j - 1];
		r->probes[j] = t;
	}
}

/* Copy the main handshake's parameters into the evidence. */
static void
fill_negotiated(struct endpoint *ep)
{
	static const enum tls_probe_kind order[] = { TLS_K_TLS13, TLS_K_TLS12,
		TLS_K_TLS11, TLS_K_TLS10 };
	/* Raw hellos that offered EMS and renegotiation_info, newest first. */
	static const enum tls_probe_kind raw[] = { TLS_K_WEAK, TLS_K_COMPRESS,
		TLS_K_RAW11, TLS_K_RAW10 };
	struct tls_negotiated *n = &ep->res->neg;
	const struct tls_probe_rec *p, *c = &ep->rec[TLS_K_COMPRESS];
	size_t i;

	if (c->hello)
		n->compression = c->compression;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		p = &ep->rec[order[i]];
		if (p->outcome != TLS_O_OK)
			continue;
		n->protocol = tls_version_name(p->version);
		n->cipher = p->cipher;
		n->suite = p->suite;
		n->group = p->kx;
		n->kx_bits = p->kx_bits;
		n->ocsp_stapled = p->ocsp == 1;
		break;
	}
	for (i = 1; i < sizeof(order) / sizeof(order[0]); i++) {
		p = &ep->rec[order[i]];
		if (p->outcome != TLS_O_OK)
			continue;
		n->ems = p->ems;
		n->secure_reneg = p->reneg;
		return;
	}
	for (i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
		p = &ep->rec[raw[i]];
		if (!p->hello || p->version < 0x0301 || p->version > 0x0303)
			continue;
		n->ems = p->ems;
		n->secure_reneg = p->reneg;
		return;
	}
}

static void
deliver(struct scan *s)
{
	struct tls_result *r;
	size_t slot;

	while (!s->failed && s->next_out < s->neps) {
		slot = s->next_out % s->window;
		if ((r = s->held[slot]) == NULL)
			return;
		s->held[slot] = NULL;
		s->next_out++;
		if (s->cb(s->cb_ctx, s->next_out - 1, r) == -1)
			s->failed = 1;
		/* NULL when the callback took the result over. */
		arena_free(r->arena);
	}
}

static void
ep_finish(struct scan *s, struct endpoint *ep)
{
	struct tls_result *r = ep->res;
	STACK_OF(X509) *chain = ep->chain ? ep->chain : ep->raw_chain;
	int kind = ep->chain ? ep->chain_kind : ep->raw_chain_kind;
	size_t i;

	if (chain != NULL) {
		if (tls_cert_eval(r->arena, s->store, chain, ep_name(ep),
			s->now, &r->cert, r->checks) == -1)
			r->cert.present = 0;
		else
			r->cert.source =
			    tls_probe_name((enum tls_probe_kind)kind);
	}
	fill_negotiated(ep);
	sort_probes(r);
	tls_evaluate(r, s->o, ep->rec);
	r->elapsed_ms = mono_ms() - ep->started;
	sk_X509_pop_free(ep->chain, X509_free);
	sk_X509_pop_free(ep->raw_chain, X509_free);
	ep->chain = ep->raw_chain = NULL;
	for (i = 0; i < s->nopen; i++)
		if (s->open[i] == ep) {
			s->open[i] = s->open[--s->nopen];
			break;
		}
	/* The scheduler keeps idx within the window of next_out. */
	s->held[ep->idx % s->window] = r;
	ep->res = NULL; /* the slot is free */
	s->done++;
	if (s->o->progress != NULL)
		s->o->progress(s->o->progress_ctx, s->done, s->neps);
	deliver(s);
}

static struct tls_result *
result_new(struct scan *s, const struct tls_target *t)
{
	struct arena *a;
	struct tls_result *r;

	if ((a = arena_new()) == NULL ||
	    (r = arena_alloc(a, sizeof(*r))) == NULL)
		goto oom;
	r->arena = a;
	r->target = *t;
	r->target.host = arena_strdup(a, t->host);
	r->target.sni = t->sni ? arena_strdup(a, t->sni) : NULL;
	r->sni = r->target.sni ? r->target.sni
	    : s->o->sni        ? arena_strdup(a, s->o->sni)
			       : r->target.host;
	r->neg.ems = r->neg.secure_reneg = r->neg.ocsp_stapled = -1;
	r->neg.compression = -1;
	if (r->target.host == NULL || r->sni == NULL)
		goto oom;
	return r;
oom:
	arena_free(a);
	diag_sys(s->d, NULL, "out of memory");
	return NULL;
}

/*
 * The addresses resolve.c found for the endpoint's name into ep->addrs,
 * with the target's port.  0, or -1 with the reason kept.
 */
static int
ep_resolved(const struct scan *s, struct endpoint *ep)
{
	const struct tls_resolved *rv = &s->resolved[ep->host];
	struct tls_result *r = ep->res;
	struct sockaddr_in6 *v6;
	struct sockaddr_in *v4;
	char buf[INET6_ADDRSTRLEN];
	const void *sa;
	size_t i;

	if (rv->n > 0 &&
	    (r->addresses = arena_alloc(
		 r->arena, TLS_MAX_ADDRS * sizeof(*r->addresses))) == NULL)
		return diag_sys(s->d, NULL, "out of memory");
	for (i = 0; i < rv->n && ep->naddrs < TLS_MAX_ADDRS; i++) {
		memcpy(&ep->addrs[ep->naddrs], &rv->addrs[i], rv->lens[i]);
		if (rv->addrs[i].sin6_family == AF_INET6) {
			v6 = (struct sockaddr_in6 *)&ep->addrs[ep->naddrs];
			v6->sin6_port = htons(r->target.port);
			sa = &v6->sin6_addr;
		} else {
			v4 = (struct sockaddr_in *)&ep->addrs[ep->naddrs];
			v4->sin_port = htons(r->target.port);
			sa = &v4->sin_addr;
		}
		if (inet_ntop(rv->addrs[i].sin6_family, sa, buf, sizeof(buf)) ==
			NULL ||
		    (r->addresses[r->naddresses] =
			    arena_strdup(r->arena, buf)) == NULL)
			continue;
		r->naddresses++;
		ep->alens[ep->naddrs++] = rv->lens[i];
	}
	if (ep->naddrs > 0)
		return 0;
	ep->rec[TLS_K_TLS12].outcome = TLS_O_TCP;
	ep->rec[TLS_K_TLS12].detail =
	    arena_printf(r->arena, "cannot resolve '%s': %s", r->target.host,
		rv->error ? rv->error : "no IPv4 or IPv6 address");
	return -1;
}

/* Resolve the endpoint's name into ep->addrs; -1 with the reason kept. */
static int
ep_resolve(const struct scan *s, struct endpoint *ep)
{
	struct tls_result *r = ep->res;
	struct addrinfo hints, *ai = NULL, *p;
	char port[8], buf[INET6_ADDRSTRLEN];
	const void *sa;
	int rc;

	/* A name: resolved by resolve.c beforehand, never here. */
	if (!r->target.is_ip && s->resolved != NULL)
		return ep_resolved(s, ep);

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags =
	    AI_NUMERICSERV | (r->target.is_ip ? AI_NUMERICHOST : 0);
	snprintf(port, sizeof(port), "%u", r->target.port);
	rc = getaddrinfo(r->target.host, port, &hints, &ai);
	if (rc == 0 &&
	    (r->addresses = arena_alloc(
		 r->arena, TLS_MAX_ADDRS * sizeof(*r->addresses))) == NULL)
		rc = EAI_MEMORY;
	for (p = rc == 0 ? ai : NULL; p != NULL && ep->naddrs < TLS_MAX_ADDRS;
	     p = p->ai_next) {
		if ((p->ai_family != AF_INET && p->ai_family != AF_INET6) ||
		    p->ai_addrlen > sizeof(ep->addrs[0]))
			continue;
		sa = p->ai_family == AF_INET6
		    ? (const void *)&((struct sockaddr_in6 *)p->ai_addr)
			  ->sin6_addr
		    : (const void *)&((struct sockaddr_in *)p->ai_addr)
			  ->sin_addr;
		if (inet_ntop(p->ai_family, sa, buf, sizeof(buf)) == NULL ||
		    (r->addresses[r->naddresses] =
			    arena_strdup(r->arena, buf)) == NULL)
			continue;
		r->naddresses++;
		memcpy(&ep->addrs[ep->naddrs], p->ai_addr, p->ai_addrlen);
		ep->alens[ep->naddrs++] = p->ai_addrlen;
	}
	if (ai != NULL)
		freeaddrinfo(ai);
	if (rc == 0 && ep->naddrs > 0)
		return 0;
	ep->rec[TLS_K_TLS12].outcome = TLS_O_TCP;
	ep->rec[TLS_K_TLS12].detail =
	    arena_printf(r->arena, "cannot resolve '%s': %s", r->target.host,
		rc != 0 ? gai_strerror(rc) : "no IPv4 or IPv6 address");
	return -1;
}

/* Open the next target in a free slot of the pool. */
static void
ep_open(struct scan *s)
{
	size_t idx = s->next_new++, i;
	struct endpoint *ep = NULL;
	struct tls_result *r;

	for (i = 0; i < s->maxopen && ep == NULL; i++)
		if (s->eps[i].res == NULL)
			ep = &s->eps[i];
	if (ep == NULL || (r = result_new(s, &s->targets[idx])) == NULL) {
		if (ep == NULL)
			diag_err(s->d, NULL, "internal error: no free slot");
		s->failed = 1;
		return;
	}
	memset(ep, 0, sizeof(*ep));
	ep->res = r;
	ep->idx = idx;
	ep->host = s->host_of[idx];
	ep->addr_ok = -1;
	ep->chain_kind = ep->raw_chain_kind = TLS_K_COUNT;
	ep->started = mono_ms();
	s->open[s->nopen++] = ep;
	if (ep_resolve(s, ep) == -1) {
		ep->pending = 0;
		ep_finish(s, ep);
		return;
	}
	ep->pending = TLS_K_PHASE0;
}

static struct conn *
free_conn(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nconns; i++)
		if (s->conns[i].phase == C_FREE)
			return &s->conns[i];
	return NULL;
}

/* Start whatever the caps allow; open endpoints first, then new ones. */
static void
schedule(struct scan *s)
{
	const struct tls_opts *o = s->o;
	struct endpoint *ep;
	struct conn *c;
	unsigned ready;
	size_t i;
	int k, progress = 1;

	while (progress && !s->failed) {
		progress = 0;
		for (i = 0; i < s->nopen && s->nactive < s->nconns; i++) {
			ep = s->open[i];
			ready = ep->pending & ~ep->active;
			if (ready == 0 ||
			    s->host_active[ep->host] >= o->per_host)
				continue;
			for (k = 0; !(ready & (1u << k)); k++)
				;
			if ((c = free_conn(s)) == NULL)
				return;
			conn_start(s, ep, (enum tls_probe_kind)k, c);
			progress = 1;
			break; /* the open list may have changed */
		}
		if (progress)
			continue;
		if (s->next_new < s->neps && s->nopen < s->maxopen &&
		    s->next_new - s->next_out < s->window &&
		    s->nactive < s->nconns &&
		    s->host_active[s->host_of[s->next_new]] < o->per_host) {
			ep_open(s);
			progress = 1;
		}
	}
}

static int
host_cmp(const void *a, const void *b)
{
	const struct tls_target *x = *(const struct tls_target *const *)a,
				*y = *(const struct tls_target *const *)b;

	return strcmp(x->host, y->host);
}

/*
 * Resolve the name of every host group that is not a numeric address,
 * all at once (resolve.c), before the first probe.
 */
static int
resolve_names(struct scan *s, size_t ngroups)
{
	const char **names;
	size_t i, nnames = 0;
	int rc;

	if ((names = lib_calloc(ngroups, sizeof(*names))) == NULL)
		return diag_sys(s->d, NULL, "out of memory");
	for (i = 0; i < s->neps; i++)
		if (!s->targets[i].is_ip && names[s->host_of[i]] == NULL) {
			names[s->host_of[i]] = s->targets[i].host;
			nnames++;
		}
	rc = 0;
	if (nnames > 0 &&
	    ((s->resolved = lib_calloc(ngroups, sizeof(*s->resolved))) ==
		    NULL ||
		tls_resolve(s->d, names, ngroups, s->connect_ms, NULL,
		    s->resolved) == -1))
		rc = s->resolved == NULL ? diag_sys(s->d, NULL, "out of memory")
					 : -1;
	lib_free(names);
	return rc;
}

/* One host group per distinct host name: the per-host cap counts them. */
static int
group_hosts(struct scan *s)
{
	const struct tls_target **v;
	size_t i;
	int g = -1;

	if (s->neps == 0)
		return 0;
	if ((v = lib_calloc(s->neps, sizeof(*v))) == NULL ||
	    (s->host_of = lib_calloc(s->neps, sizeof(int))) == NULL) {
		lib_free(v);
		return diag_sys(s->d, NULL, "out of memory");
	}
	for (i = 0; i < s->neps; i++)
		v[i] = &s->targets[i];
	qsort(v, s->neps, sizeof(*v), host_cmp);
	for (i = 0; i < s->neps; i++) {
		if (i == 0 || host_cmp(&v[i - 1], &v[i]) != 0)
			g++;
		s->host_of[v[i] - s->targets] = g;
	}
	lib_free(v);
	if ((s->host_active = lib_calloc((size_t)g + 1, sizeof(int))) == NULL)
		return diag_sys(s->d, NULL, "out of memory");
	return resolve_names(s, (size_t)g + 1);
}

static int
loop(struct scan *s)
{
	struct epoll_event evs[64];
	int64_t t, next;
	size_t i;
	int n, j, timeout;

	while (s->done < s->neps) {
		schedule(s);
		if (s->failed)
			return -1;
		if (s->done == s->neps)
			break;
		if (s->nactive == 0)
			return diag_err(s->d, NULL,
			    "internal error: TLS scan stalled with %zu of %zu "
			    "endpoints done",
			    s->done, s->neps);
		t = mono_ms();
		next = INT64_MAX;
		for (i = 0; i < s->nconns; i++)
			if (s->conns[i].phase != C_FREE &&
			    s->conns[i].deadline < next)
				next = s->conns[i].deadline;
		timeout =
		    next <= t ? 0 : (int)(next - t > 60000 ? 60000 : next - t);
		n = epoll_wait(s->ep_fd, evs, 64, timeout);
		if (n == -1 && errno != EINTR)
			return diag_sys(
			    s->d, NULL, "epoll_wait: %s", strerror(errno));
		for (j = 0; j < n; j++) {
			struct conn *c = evs[j].data.ptr;

			if (c->phase != C_FREE)
				conn_event(c, evs[j].events);
		}
		t = mono_ms();
		for (i = 0; i < s->nconns; i++)
			if (s->conns[i].phase != C_FREE &&
			    s->conns[i].deadline <= t)
				conn_timeout(&s->conns[i]);
		if (s->failed)
			return -1;
	}
	return s->failed ? -1 : 0;
}

int
tls_scan_each(const struct tls_opts *opts, const struct tls_target *targets,
    size_t n, tls_result_fn cb, void *ctx, struct diag *d)
{
	struct tls_opts o = *opts;
	struct scan s;
	size_t i;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	s.ep_fd = -1;
	s.d = d;
	if (o.connect_timeout_ms <= 0)
		o.connect_timeout_ms = DEFAULT_CONNECT_MS;
	if (o.handshake_timeout_ms <= 0)
		o.handshake_timeout_ms = DEFAULT_HANDSHAKE_MS;
	if (o.concurrency <= 0)
		o.concurrency = DEFAULT_CONCURRENCY;
	if (o.per_host <= 0)
		o.per_host = DEFAULT_PER_HOST;
	if (o.window <= 0)
		o.window = o.concurrency * 4 > DEFAULT_WINDOW_MIN
		    ? o.concurrency * 4
		    : DEFAULT_WINDOW_MIN;
	s.o = &o;
	s.cb = cb;
	s.cb_ctx = ctx;
	s.targets = targets;
	s.connect_ms = o.connect_timeout_ms;
	s.handshake_ms = o.handshake_timeout_ms;
	s.now = o.now ? o.now : (int64_t)time(NULL);
	s.neps = n;
	s.nconns = (size_t)o.concurrency;
	s.maxopen = s.nconns;
	s.window = (size_t)o.window;
	if ((s.eps = lib_calloc(s.maxopen, sizeof(*s.eps))) == NULL ||
	    (s.conns = lib_calloc(s.nconns, sizeof(*s.conns))) == NULL ||
	    (s.open = lib_calloc(s.maxopen, sizeof(*s.open))) == NULL ||
	    (s.held = lib_calloc(s.window, sizeof(*s.held))) == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto out;
	}
	for (i = 0; i < s.nconns; i++)
		s.conns[i].fd = -1;
	if (group_hosts(&s) == -1 || scan_init(&s) == -1)
		goto out;
	if (loop(&s) == -1)
		goto out;
	rc = 0;
out:
	for (i = 0; s.conns != NULL && i < s.nconns; i++) {
		SSL_free(s.conns[i].ssl);
		lib_free(s.conns[i].in);
		lib_free(s.conns[i].hs);
		if (s.conns[i].fd != -1)
			close(s.conns[i].fd);
	}
	for (i = 0; s.eps != NULL && i < s.maxopen; i++) {
		sk_X509_pop_free(s.eps[i].chain, X509_free);
		sk_X509_pop_free(s.eps[i].raw_chain, X509_free);
		if (s.eps[i].res != NULL)
			arena_free(s.eps[i].res->arena);
	}
	for (i = 0; s.held != NULL && i < s.window; i++)
		if (s.held[i] != NULL)
			arena_free(s.held[i]->arena);
	if (s.ep_fd != -1)
		close(s.ep_fd);
	SSL_CTX_free(s.ctx);
	X509_STORE_free(s.store);
	lib_free(s.conns);
	lib_free(s.eps);
	lib_free(s.open);
	lib_free(s.held);
	lib_free(s.host_of);
	lib_free(s.host_active);
	lib_free(s.resolved);
	return rc;
}

/* tls_scan()'s callback: take every result over into the array. */
static int
collect(void *ctx, size_t idx, struct tls_result *r)
{
	struct tls_result *v = ctx;

	v[idx] = *r;
	r->arena = NULL;
	return 0;
}

int
tls_scan(const struct tls_opts *opts, const struct tls_target *targets,
    size_t n, struct tls_result **out, struct diag *d)
{
	if ((*out = lib_calloc(n ? n : 1, sizeof(**out))) == NULL)
		return diag_sys(d, NULL, "out of memory");
	if (tls_scan_each(opts, targets, n, collect, *out, d) == -1) {
		tls_results_free(*out, n);
		*out = NULL;
		return -1;
	}
	return 0;
}

void
tls_results_free(struct tls_result *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		arena_free(v[i].arena);
	lib_free(v);
}
