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
 *
 * The prober is split by concern, sharing scan_impl.h: scan.c (set-up,
 * the scheduler, the event loop and the entry points), scan_conn.c (one
 * connection: addresses, connect, events, deadlines), scan_ossl.c (the
 * OpenSSL handshake probes), scan_raw.c (the hand-built ClientHello
 * probes), scan_plan.c (the probe plan and the enumeration of weak and
 * unapproved suites) and scan_ep.c (opening an endpoint, resolving it,
 * assembling its result and handing results over in target order).
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "checks/tls/scan_impl.h"

#define DEFAULT_CONNECT_MS 5000
#define DEFAULT_HANDSHAKE_MS 10000
#define DEFAULT_CONCURRENCY 64
#define DEFAULT_PER_HOST 8
#define DEFAULT_WINDOW_MIN 256

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
	if (tsc_unapproved_init(s) == -1)
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
			tsc_conn_start(s, ep, (enum tls_probe_kind)k, c);
			progress = 1;
			break; /* the open list may have changed */
		}
		if (progress)
			continue;
		if (s->next_new < s->neps && s->nopen < s->maxopen &&
		    s->next_new - s->next_out < s->window &&
		    s->nactive < s->nconns &&
		    s->host_active[s->host_of[s->next_new]] < o->per_host) {
			tsc_ep_open(s);
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
				tsc_conn_event(c, evs[j].events);
		}
		t = mono_ms();
		for (i = 0; i < s->nconns; i++)
			if (s->conns[i].phase != C_FREE &&
			    s->conns[i].deadline <= t)
				tsc_conn_timeout(&s->conns[i]);
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
