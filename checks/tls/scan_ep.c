/*
 * scan_ep.c: the prober's endpoints (scan.c): opening a target in a slot
 * of the pool, its addresses (resolve.c's for a name, getaddrinfo for a
 * numeric address), assembling its result when its last probe is done
 * (certificate evaluation, negotiated parameters, checks) and handing
 * results to the caller in target order.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>

#include "checks/tls/scan_impl.h"

static const char *
ep_name(const struct endpoint *ep)
{
	return ep->res->sni;
}

/* The name sent as SNI: never an IP literal (RFC 6066 §3). */
const char *
tsc_sni_of(const struct endpoint *ep)
{
	unsigned char tmp[16];
	const char *n = ep_name(ep);

	if (n == NULL || inet_pton(AF_INET, n, tmp) == 1 ||
	    inet_pton(AF_INET6, n, tmp) == 1)
		return NULL;
	return n;
}

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

void
tsc_ep_finish(struct scan *s, struct endpoint *ep)
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
void
tsc_ep_open(struct scan *s)
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
		tsc_ep_finish(s, ep);
		return;
	}
	ep->pending = TLS_K_PHASE0;
}
