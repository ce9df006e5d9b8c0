/*
 * resolve.c: name resolution for the prober that never blocks it (issue
 * 18).  Every distinct host name of a scan is resolved concurrently with
 * c-ares, the resolver curl uses: non-blocking sockets, A and AAAA
 * (ares_getaddrinfo with AF_UNSPEC: every address family), the hosts
 * file first and then DNS, as the system resolver does.  Each name has
 * its own deadline: a name that does not answer in time is an error for
 * its endpoints alone ("cannot resolve"), while the other names resolve
 * and are probed.  At most TLS_RESOLVE_INFLIGHT names are asked at once.
 *
 * Why not getaddrinfo_a (glibc): it runs each lookup on a helper thread
 * of its own, and a lookup that has started cannot be cancelled, so a
 * per-name timeout would leave threads behind; c-ares is one socket and
 * one poll loop whatever the number of names.
 *
 * CARES_HOSTS (c-ares's own variable) names another hosts file: the tests
 * use it to resolve made-up names on loopback.  (c-ares 1.18.1 leaks ten
 * bytes per lookup of "localhost" when the hosts file lacks it and it
 * makes the answer up itself, c-ares#439; Debian's /etc/hosts has it.)
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <ares.h>

#include "checks/tls/tls.h"

/* One name being resolved. */
struct rq {
	struct tls_resolved *out;
	int64_t deadline; /* ms, monotonic */
	int pending; /* asked, no answer yet */
};

static void
on_answer(void *arg, int status, int timeouts, struct ares_addrinfo *ai)
{
	struct rq *q = arg;
	struct tls_resolved *o = q->out;
	struct ares_addrinfo_node *p;

	(void)timeouts;
	if (!q->pending) { /* timed out already, or the channel is closing */
		ares_freeaddrinfo(ai);
		return;
	}
	q->pending = 0;
	for (p = status == ARES_SUCCESS && ai != NULL ? ai->nodes : NULL;
	     p != NULL && o->n < TLS_MAX_ADDRS; p = p->ai_next) {
		if ((p->ai_family != AF_INET && p->ai_family != AF_INET6) ||
		    (size_t)p->ai_addrlen > sizeof(o->addrs[0]))
			continue;
		memcpy(&o->addrs[o->n], p->ai_addr, (size_t)p->ai_addrlen);
		o->lens[o->n++] = (socklen_t)p->ai_addrlen;
	}
	if (status != ARES_SUCCESS)
		o->error = ares_strerror(status);
	else if (o->n == 0)
		o->error = "no IPv4 or IPv6 address";
	ares_freeaddrinfo(ai);
}

/* Wait for the channel's sockets (or the next deadline) and process. */
static void
step(ares_channel ch, int64_t next_deadline)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	struct pollfd pfd[ARES_GETSOCK_MAXNUM];
	struct timeval tv, *tvp, maxtv;
	int64_t wait;
	unsigned bits, rd, wr;
	int i, n = 0, rc;

	/*
	 * Bit i: socket i is to be read, bit i + ARES_GETSOCK_MAXNUM: to be
	 * written.  Read as unsigned: ARES_GETSOCK_WRITABLE shifts an int
	 * into its sign bit for the last socket.
	 */
	bits = (unsigned)ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM);
	for (i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
		rd = bits >> i & 1u;
		wr = bits >> (i + ARES_GETSOCK_MAXNUM) & 1u;
		if (!rd && !wr)
			continue;
		pfd[n].fd = socks[i];
		pfd[n].events = (short)((rd ? POLLIN : 0) | (wr ? POLLOUT : 0));
		pfd[n++].revents = 0;
	}
	wait = next_deadline - mono_ms();
	if (wait < 0)
		wait = 0;
	maxtv.tv_sec = (time_t)(wait / 1000);
	maxtv.tv_usec = (suseconds_t)(wait % 1000 * 1000);
	tvp = ares_timeout(ch, &maxtv, &tv);
	wait = (int64_t)tvp->tv_sec * 1000 + tvp->tv_usec / 1000;
	rc = poll(pfd, (nfds_t)n, (int)(wait > 0 ? wait : 1));
	if (rc <= 0) {
		/* Let c-ares retry and time its queries out. */
		ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
		return;
	}
	for (i = 0; i < n; i++)
		if (pfd[i].revents != 0)
			ares_process_fd(ch,
			    pfd[i].revents & (POLLIN | POLLERR | POLLHUP)
				? pfd[i].fd
				: ARES_SOCKET_BAD,
			    pfd[i].revents & POLLOUT ? pfd[i].fd
						     : ARES_SOCKET_BAD);
}

int
tls_resolve(struct diag *d, const char *const *hosts, size_t n, int timeout_ms,
    const char *servers, struct tls_resolved *out)
{
	struct ares_options opt;
	struct ares_addrinfo_hints hints;
	ares_channel ch;
	struct rq *q;
	size_t live[TLS_RESOLVE_INFLIGHT], nlive = 0, next = 0, i, k, asked = 0;
	int64_t now, soonest;
	int rc;

	memset(out, 0, n * sizeof(*out));
	for (i = 0; i < n; i++)
		asked += hosts[i] != NULL;
	if (asked == 0)
		return 0;
	if (timeout_ms <= 0)
		timeout_ms = TLS_RESOLVE_TIMEOUT_MS;
	if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS)
		return diag_sys(d, NULL, "cannot start the resolver: %s",
		    ares_strerror(rc));
	memset(&opt, 0, sizeof(opt));
	/* Two tries per server, sharing the name's time. */
	opt.timeout = timeout_ms / 2 > 0 ? timeout_ms / 2 : 1;
	opt.tries = 2;
	opt.lookups = (char *)"fb"; /* the hosts file, then DNS */
	if ((rc = ares_init_options(&ch, &opt,
		 ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS)) !=
	    ARES_SUCCESS) {
		ares_library_cleanup();
		return diag_sys(d, NULL, "cannot start the resolver: %s",
		    ares_strerror(rc));
	}
	if (servers != NULL &&
	    (rc = ares_set_servers_ports_csv(ch, servers)) != ARES_SUCCESS) {
		ares_destroy(ch);
		ares_library_cleanup();
		return diag_err(d, NULL, "invalid name servers '%s': %s",
		    servers, ares_strerror(rc));
	}
	if ((q = lib_calloc(n + 1, sizeof(*q))) == NULL) {
		ares_destroy(ch);
		ares_library_cleanup();
		return diag_sys(d, NULL, "out of memory");
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = getenv("CARES_HOSTS") != NULL ? ARES_AI_ENVHOSTS : 0;
	for (;;) {
		now = mono_ms();
		while (next < n && nlive < TLS_RESOLVE_INFLIGHT) {
			i = next++;
			if (hosts[i] == NULL)
				continue;
			q[i].out = &out[i];
			q[i].deadline = now + timeout_ms;
			q[i].pending = 1;
			live[nlive++] = i;
			ares_getaddrinfo(
			    ch, hosts[i], NULL, &hints, on_answer, &q[i]);
		}
		/* Drop the answered names and those past their deadline. */
		soonest = INT64_MAX;
		for (k = 0; k < nlive;) {
			i = live[k];
			if (q[i].pending && q[i].deadline <= now) {
				q[i].pending = 0;
				out[i].error = "no answer in time";
			}
			if (!q[i].pending) {
				live[k] = live[--nlive];
				continue;
			}
			if (q[i].deadline < soonest)
				soonest = q[i].deadline;
			k++;
		}
		if (nlive == 0 && next == n)
			break;
		if (nlive > 0)
			step(ch, soonest);
	}
	/* Queries still running answer ARES_EDESTRUCTION: ignored. */
	ares_destroy(ch);
	ares_library_cleanup();
	lib_free(q);
	return 0;
}
