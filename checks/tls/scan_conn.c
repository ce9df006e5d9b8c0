/*
 * scan_conn.c: one connection of the prober (scan.c): its socket, the
 * endpoint's addresses tried in turn within the connect deadline, epoll
 * events and deadlines, handing over to the OpenSSL (scan_ossl.c) or raw
 * (scan_raw.c) probe once connected, and recording what it came to.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include "checks/tls/scan_impl.h"

void
tsc_want(struct conn *c, unsigned events)
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
const char *
tsc_ossl_reason(struct arena *a, int *reason)
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
void
tsc_conn_finish(struct conn *c, struct tls_probe_rec *p)
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
	tsc_plan_done(s, ep, c->kind, p);
	if (ep->pending == 0 && ep->active == 0)
		tsc_ep_finish(s, ep);
}

void
tsc_conn_fail(struct conn *c, enum tls_outcome o, const char *detail)
{
	struct tls_probe_rec p;

	memset(&p, 0, sizeof(p));
	p.outcome = o;
	p.detail = detail;
	p.compression = -1;
	tsc_conn_finish(c, &p);
}

const char *
tsc_hello_desc(struct arena *a, const struct tls_reply *r)
{
	const struct tls_suite *ts = tls_suite_find(r->suite);
	const char *v = tls_version_name(r->version);

	if (ts != NULL)
		return arena_printf(
		    a, "server selected %s %s", v ? v : "?", ts->name);
	return arena_printf(
	    a, "server selected %s suite 0x%04x", v ? v : "?", r->suite);
}

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
		if (tsc_raw_setup(c) == -1)
			return;
		c->phase = C_RAW_SEND;
		tsc_raw_step(c);
		return;
	}
	if (tsc_ossl_setup(c) == -1)
		return;
	c->phase = C_TLS;
	tsc_ossl_step(c);
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
		tsc_conn_fail(c, o,
		    arena_printf(
			a, "no TCP connection within %d ms", s->connect_ms));
	else if (c->tried == NULL)
		tsc_conn_fail(c, o, arena_printf(a, "connect: %s", why));
	else
		tsc_conn_fail(c, o,
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
			tsc_conn_fail(c, TLS_O_LOCAL,
			    arena_printf(a, "fcntl: %s", strerror(errno)));
			return;
		}
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLOUT;
		ev.data.ptr = c;
		if (epoll_ctl(s->ep_fd, EPOLL_CTL_ADD, c->fd, &ev) == -1) {
			tsc_conn_fail(c, TLS_O_LOCAL,
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

void
tsc_conn_event(struct conn *c, unsigned events)
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
		tsc_ossl_step(c);
		return;
	case C_RAW_SEND:
	case C_RAW_RECV:
		tsc_raw_step(c);
		return;
	default:
		return;
	}
}

void
tsc_conn_timeout(struct conn *c)
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
		tsc_raw_reply(c);
		return;
	}
	if (c->ssl != NULL && (rb = SSL_get_rbio(c->ssl)) != NULL)
		nread = BIO_number_read(rb);
	else
		nread = c->inlen;
	tsc_conn_fail(c, TLS_O_TIMEOUT,
	    arena_printf(a,
		"handshake not answered within %d ms (%llu bytes received)",
		c->s->handshake_ms, (unsigned long long)nread));
}

void
tsc_conn_start(
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
