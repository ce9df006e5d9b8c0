/*
 * scan_impl.h: what the parts of the TLS prober share: scan.c (set-up,
 * scheduler, event loop, entry points), scan_conn.c (connections),
 * scan_ossl.c (OpenSSL probes), scan_raw.c (hand-built ClientHello
 * probes), scan_plan.c (probe plan, suite enumeration) and scan_ep.c
 * (endpoints and their results).  Internal to checks/tls/; the shared
 * functions carry the tsc_ prefix.
 */
#ifndef RAMPART_TLS_SCAN_IMPL_H
#define RAMPART_TLS_SCAN_IMPL_H

#include <sys/socket.h>

#include "checks/tls/tls.h"

#define MAX_ITER 32 /* rounds of WEAK / UNAPPROVED enumeration */
#define MAX_CERT_LIST TLS_CERT_LIST_MAX /* peer certificate list, bytes */

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

/*
 * scan_conn.c: connections.  conn_start() takes free slot c for probe k
 * of ep and starts connecting; conn_event() and conn_timeout() drive it
 * from the loop.  conn_finish() records probe p (the ServerHello the
 * message callback saw included), releases c and runs the plan, finishing
 * the endpoint when nothing is left; conn_fail() does so for an outcome
 * without a reply.  want() sets c's epoll interest.  hello_desc()
 * describes a ServerHello; ossl_reason() is the last queued OpenSSL error
 * as text (clearing the queue; *reason, may be NULL, its reason code).
 */
void tsc_conn_event(struct conn *c, unsigned events);
void tsc_conn_fail(struct conn *c, enum tls_outcome o, const char *detail);
void tsc_conn_finish(struct conn *c, struct tls_probe_rec *p);
void tsc_conn_start(
    struct scan *s, struct endpoint *ep, enum tls_probe_kind k, struct conn *c);
void tsc_conn_timeout(struct conn *c);
const char *tsc_hello_desc(struct arena *a, const struct tls_reply *r);
const char *tsc_ossl_reason(struct arena *a, int *reason);
void tsc_want(struct conn *c, unsigned events);

/*
 * scan_ep.c: endpoints.  ep_open() opens the next target in a free slot
 * (resolving it; an unresolvable one is finished at once); ep_finish()
 * assembles its result, frees the slot and delivers what is in order.
 * sni_of() is the name to send as SNI, NULL for an IP literal.
 */
void tsc_ep_finish(struct scan *s, struct endpoint *ep);
void tsc_ep_open(struct scan *s);
const char *tsc_sni_of(const struct endpoint *ep);

/*
 * scan_ossl.c: once connected, ossl_setup() makes c's SSL for its probe
 * kind (-1: the probe is already finished, as failed); ossl_step() drives
 * the handshake on each event.
 */
int tsc_ossl_setup(struct conn *c);
void tsc_ossl_step(struct conn *c);

/*
 * scan_plan.c: plan_done() keeps probe k's record p, notes weak suites
 * and queues the probes the answer calls for.  unapproved_init() lists
 * OpenSSL's TLS <= 1.2 suites outside §3.3.1 (0 or -1 with the error in
 * s->d); unapproved_list() is the cipher list of those ep has not
 * excluded, in sb (NULL: none left).
 */
void tsc_plan_done(struct scan *s, struct endpoint *ep, enum tls_probe_kind k,
    const struct tls_probe_rec *p);
int tsc_unapproved_init(struct scan *s);
const char *tsc_unapproved_list(
    struct scan *s, struct endpoint *ep, struct strbuf *sb);

/*
 * scan_raw.c: once connected, raw_setup() builds c's ClientHello (-1:
 * the probe is already finished, as failed); raw_step() sends it and
 * reads the reply on each event; raw_reply() records the reply read so
 * far (with c->cert_note) and finishes the probe.
 */
void tsc_raw_reply(struct conn *c);
int tsc_raw_setup(struct conn *c);
void tsc_raw_step(struct conn *c);

#endif /* RAMPART_TLS_SCAN_IMPL_H */
