/*
 * tsa.c: RFC 3161 timestamps.  A request over sha256 of the signature
 * bytes, sent by HTTP POST (http:// only: the reply is signed, so transport
 * security adds nothing to its integrity) over a non-blocking socket with
 * one absolute deadline, and the verification of a stored reply.
 */
#ifdef __linux__
#define _GNU_SOURCE /* getaddrinfo_a */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "reports/sign.h"

#define TSA_REPLY_MAX (1u << 20)
/*
 * At signing, a reply's time must fall within the exchange, widened by
 * the token's stated accuracy and this much clock difference, and the
 * stated accuracy must be at most TSA_MAX_ACCURACY: a token good to a day
 * proves little about when a report was signed.
 */
#define TSA_MAX_SKEW 300
#define TSA_MAX_ACCURACY 60

struct url {
	char host[256];
	char port[8];
	char path[1024];
};

/* Parse http://host[:port][/path]; [v6] literals allowed. */
static int
url_parse(struct diag *d, const char *s, struct url *u)
{
	const char *h, *end, *p;
	size_t n;

	if (strncmp(s, "http://", 7) != 0)
		return diag_err(d, NULL,
		    "TSA URL '%s' must start with http:// (the timestamp is "
		    "signed, so https adds nothing)",
		    s);
	h = s + 7;
	p = strchr(h, '/');
	end = p != NULL ? p : h + strlen(h);
	memcpy(u->port, "80", 3);
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));

		if (rb == NULL)
			return diag_err(d, NULL, "bad TSA URL '%s'", s);
		n = (size_t)(rb - h - 1);
		if (n == 0 || n >= sizeof(u->host))
			return diag_err(d, NULL, "bad TSA URL '%s'", s);
		memcpy(u->host, h + 1, n);
		u->host[n] = '\0';
		h = rb + 1;
		if (h < end && *h != ':')
			return diag_err(d, NULL, "bad TSA URL '%s'", s);
	} else {
		const char *c = memchr(h, ':', (size_t)(end - h));

		n = (size_t)((c != NULL ? c : end) - h);
		if (n == 0 || n >= sizeof(u->host))
			return diag_err(d, NULL, "bad TSA URL '%s'", s);
		memcpy(u->host, h, n);
		u->host[n] = '\0';
		h += n;
	}
	if (h < end) { /* ":port" */
		n = (size_t)(end - h - 1);
		if (n == 0 || n >= sizeof(u->port) ||
		    strspn(h + 1, "0123456789") < n)
			return diag_err(d, NULL, "bad port in TSA URL '%s'", s);
		memcpy(u->port, h + 1, n);
		u->port[n] = '\0';
	}
	n = p != NULL ? strlen(p) : 1;
	if (n >= sizeof(u->path) || (p != NULL && strpbrk(p, " \r\n") != NULL))
		return diag_err(d, NULL, "bad path in TSA URL '%s'", s);
	memcpy(u->path, p != NULL ? p : "/", n + 1);
	return 0;
}

/* Wait for events on fd until the deadline: 1 ready, 0 timeout, -1. */
static int
wait_fd(int fd, short ev, int64_t deadline)
{
	struct pollfd pfd = { fd, ev, 0 };
	int64_t left;
	int n;

	for (;;) {
		if ((left = deadline - mono_ms()) <= 0)
			return 0;
		n = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (n == -1 && errno == EINTR)
			continue;
		return n > 0 ? 1 : n;
	}
}

#if defined(__GLIBC__) && defined(__linux__)
/*
 * A lookup handed to glibc's resolver thread, with copies of everything
 * it reads: on a timeout it may still be running after we return.
 */
struct lookup {
	struct gaicb cb;
	struct addrinfo hints;
	char host[256];
	char port[8];
};

/*
 * Resolve u's host by the connection's deadline.  getaddrinfo() cannot be
 * bounded (a silent name server holds it for timeout x attempts, by
 * default 10 s per address family and up to minutes with RES_OPTIONS),
 * so the lookup runs asynchronously and we stop waiting at the deadline.
 * A lookup still running then is cancelled, or, if glibc cannot cancel
 * it, left to finish on its own with its memory (a few hundred bytes,
 * once per process): freeing it would be a use after free.  0 or -1.
 */
static int
resolve(struct diag *d, const struct url *u, const struct addrinfo *hints,
    int64_t deadline, struct addrinfo **res)
{
	struct lookup *lk;
	struct gaicb *list[1];
	struct timespec ts;
	int64_t left;
	int e;

	*res = NULL;
	if ((lk = lib_calloc(1, sizeof(*lk))) == NULL)
		return diag_sys(d, NULL, "out of memory");
	memcpy(lk->host, u->host, sizeof(lk->host));
	memcpy(lk->port, u->port, sizeof(lk->port));
	lk->hints = *hints;
	lk->cb.ar_name = lk->host;
	lk->cb.ar_service = lk->port;
	lk->cb.ar_request = &lk->hints;
	list[0] = &lk->cb;
	if ((e = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL)) != 0) {
		lib_free(lk);
		return diag_sys(d, NULL, "cannot resolve TSA host '%s': %s",
		    u->host, gai_strerror(e));
	}
	while ((e = gai_error(&lk->cb)) == EAI_INPROGRESS) {
		if ((left = deadline - mono_ms()) <= 0)
			break;
		ts.tv_sec = (time_t)(left / 1000);
		ts.tv_nsec = (long)(left % 1000) * 1000000L;
		(void)gai_suspend((const struct gaicb *const *)list, 1, &ts);
	}
	if (e == EAI_INPROGRESS) {
		switch (gai_cancel(&lk->cb)) {
		case EAI_ALLDONE: /* finished meanwhile: too late anyway */
			if (gai_error(&lk->cb) == 0)
				freeaddrinfo(lk->cb.ar_result);
			/* FALLTHROUGH */
		case EAI_CANCELED:
			lib_free(lk);
			break;
		default: /* still running: it owns lk now */
			break;
		}
		return diag_sys(d, NULL,
		    "cannot resolve TSA host '%s': no answer before the "
		    "deadline",
		    u->host);
	}
	if (e != 0) {
		lib_free(lk);
		return diag_sys(d, NULL, "cannot resolve TSA host '%s': %s",
		    u->host, gai_strerror(e));
	}
	*res = lk->cb.ar_result;
	lib_free(lk);
	return 0;
}
#else
/* Without getaddrinfo_a the lookup cannot be bounded.  0 or -1. */
static int
resolve(struct diag *d, const struct url *u, const struct addrinfo *hints,
    int64_t deadline, struct addrinfo **res)
{
	int e;

	(void)deadline;
	if ((e = getaddrinfo(u->host, u->port, hints, res)) != 0)
		return diag_sys(d, NULL, "cannot resolve TSA host '%s': %s",
		    u->host, gai_strerror(e));
	return 0;
}
#endif

static int
connect_to(struct diag *d, const struct url *u, int64_t deadline)
{
	struct addrinfo hints, *res = NULL, *ai;
	int fd = -1, e, err = 0;
	socklen_t len;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (resolve(d, u, &hints, deadline, &res) == -1)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd == -1)
			continue;
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1)
			goto next;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno != EINPROGRESS)
			goto next;
		if (wait_fd(fd, POLLOUT, deadline) != 1) {
			errno = ETIMEDOUT;
			goto next;
		}
		len = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
		    err == 0)
			break;
		errno = err;
	next:
		e = errno;
		close(fd);
		fd = -1;
		errno = e;
	}
	freeaddrinfo(res);
	if (fd == -1)
		return diag_sys(d, NULL, "cannot connect to TSA %s:%s: %s",
		    u->host, u->port, strerror(errno));
	return fd;
}

/* POST body; read the whole reply (the server closes). */
static int
http_post(struct diag *d, const struct url *u, const unsigned char *body,
    size_t blen, int timeout_ms, struct strbuf *reply)
{
	struct strbuf req;
	int64_t deadline = mono_ms() + timeout_ms;
	size_t off = 0;
	ssize_t n;
	char buf[8192];
	int fd = -1, rc = -1;

	sb_init(&req);
	sb_printf(&req,
	    "POST %s HTTP/1.0\r\nHost: %s:%s\r\n"
	    "Content-Type: application/timestamp-query\r\n"
	    "Accept: application/timestamp-reply\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
	    u->path, u->host, u->port, blen);
	sb_add(&req, (const char *)body, blen);
	if (req.oom) {
		diag_sys(d, NULL, "out of memory");
		goto out;
	}
	if ((fd = connect_to(d, u, deadline)) == -1)
		goto out;
	while (off < req.len) {
		n = send(fd, req.s + off, req.len - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    wait_fd(fd, POLLOUT, deadline) == 1)
			continue;
		diag_sys(d, NULL, "cannot send to TSA %s:%s: %s", u->host,
		    u->port, n == -1 ? strerror(errno) : "timed out");
		goto out;
	}
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n == 0)
			break;
		if (n > 0) {
			if (reply->len + (size_t)n > TSA_REPLY_MAX) {
				diag_sys(d, NULL, "TSA reply is too large");
				goto out;
			}
			if (sb_add(reply, buf, (size_t)n) == -1) {
				diag_sys(d, NULL, "out of memory");
				goto out;
			}
			continue;
		}
		if (errno == EINTR)
			continue;
		if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
		    wait_fd(fd, POLLIN, deadline) == 1)
			continue;
		diag_sys(d, NULL, "no reply from TSA %s:%s: %s", u->host,
		    u->port,
		    errno == EAGAIN || errno == EWOULDBLOCK ? "timed out"
							    : strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	sb_free(&req);
	return rc;
}

/* Split an HTTP/1.x reply; body points into reply.  0 or -1. */
static int
http_body(
    struct diag *d, const struct strbuf *reply, const char **body, size_t *blen)
{
	const char *p = reply->s, *end;

	if (reply->len < 12 || strncmp(p, "HTTP/1.", 7) != 0)
		return diag_sys(d, NULL, "TSA reply is not HTTP");
	if (strncmp(p + 8, " 200", 4) != 0) {
		end = memchr(p, '\r', reply->len);
		return diag_sys(d, NULL, "TSA answered '%.*s'",
		    (int)(end != NULL ? end - p : 12), p);
	}
	for (end = p; end + 4 <= p + reply->len; end++)
		if (memcmp(end, "\r\n\r\n", 4) == 0)
			break;
	if (end + 4 > p + reply->len)
		return diag_sys(d, NULL, "TSA reply has no body");
	*body = end + 4;
	*blen = reply->len - (size_t)(end + 4 - p);
	return 0;
}

static int
make_request(struct diag *d, const void *data, size_t len, TS_REQ **out)
{
	unsigned char md[32], rnd[8];
	TS_REQ *req = NULL;
	TS_MSG_IMPRINT *mi = NULL;
	X509_ALGOR *alg = NULL;
	ASN1_INTEGER *nonce = NULL;
	BIGNUM *bn = NULL;
	int rc = -1;

	if (!EVP_Digest(data, len, md, NULL, EVP_sha256(), NULL) ||
	    RAND_bytes(rnd, sizeof(rnd)) != 1)
		goto ossl;
	rnd[0] &= 0x7f; /* a positive INTEGER */
	if ((req = TS_REQ_new()) == NULL || !TS_REQ_set_version(req, 1) ||
	    (mi = TS_MSG_IMPRINT_new()) == NULL ||
	    (alg = X509_ALGOR_new()) == NULL ||
	    !X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) ||
	    !TS_MSG_IMPRINT_set_algo(mi, alg) ||
	    !TS_MSG_IMPRINT_set_msg(mi, md, sizeof(md)) ||
	    !TS_REQ_set_msg_imprint(req, mi) ||
	    (bn = BN_bin2bn(rnd, sizeof(rnd), NULL)) == NULL ||
	    (nonce = BN_to_ASN1_INTEGER(bn, NULL)) == NULL ||
	    !TS_REQ_set_nonce(req, nonce) || !TS_REQ_set_cert_req(req, 1))
		goto ossl;
	*out = req;
	req = NULL;
	rc = 0;
	goto out;
ossl:
	diag_openssl(d, NULL, "cannot build timestamp request");
out:
	TS_REQ_free(req);
	TS_MSG_IMPRINT_free(mi);
	X509_ALGOR_free(alg);
	ASN1_INTEGER_free(nonce);
	BN_free(bn);
	return rc;
}

int
tsa_timestamp(struct diag *d, const char *urlstr, const void *data, size_t len,
    int timeout_ms, unsigned char **der, size_t *derlen)
{
	struct url u;
	struct strbuf reply;
	TS_REQ *req = NULL;
	TS_RESP *resp = NULL;
	TS_VERIFY_CTX *vctx = NULL;
	unsigned char *qder = NULL, *rder = NULL;
	const unsigned char *p;
	const char *body = NULL;
	size_t blen = 0;
	int qlen, rlen, rc = -1;

	*der = NULL;
	*derlen = 0;
	sb_init(&reply);
	if (url_parse(d, urlstr, &u) == -1 ||
	    make_request(d, data, len, &req) == -1)
		goto out;
	if ((qlen = i2d_TS_REQ(req, &qder)) <= 0) {
		diag_openssl(d, NULL, "cannot encode timestamp request");
		goto out;
	}
	if (http_post(d, &u, qder, (size_t)qlen, timeout_ms, &reply) == -1 ||
	    http_body(d, &reply, &body, &blen) == -1)
		goto out;
	p = (const unsigned char *)body;
	if (blen > INT_MAX ||
	    (resp = d2i_TS_RESP(NULL, &p, (long)blen)) == NULL) {
		diag_openssl(d, NULL, "TSA reply is not a TimeStampResp");
		goto out;
	}
	/* Status, imprint and nonce must answer our request. */
	if ((vctx = TS_REQ_to_TS_VERIFY_CTX(req, NULL)) == NULL) {
		diag_openssl(d, NULL, "cannot check timestamp reply");
		goto out;
	}
	TS_VERIFY_CTX_set_flags(
	    vctx, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE);
	if (TS_RESP_verify_response(vctx, resp) != 1) {
		diag_openssl(d, NULL, "TSA reply does not answer the request");
		goto out;
	}
	if ((rlen = i2d_TS_RESP(resp, &rder)) <= 0) {
		diag_openssl(d, NULL, "cannot encode timestamp reply");
		goto out;
	}
	if ((*der = lib_malloc((size_t)rlen)) == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto out;
	}
	memcpy(*der, rder, (size_t)rlen);
	*derlen = (size_t)rlen;
	rc = 0;
out:
	OPENSSL_free(qder);
	OPENSSL_free(rder);
	TS_VERIFY_CTX_free(vctx);
	TS_RESP_free(resp);
	TS_REQ_free(req);
	sb_free(&reply);
	return rc;
}

/* Epoch seconds of an ASN1_TIME.  0 or -1. */
static int
asn1_epoch(const ASN1_TIME *t, int64_t *out)
{
	ASN1_TIME *epoch = NULL;
	int days = 0, secs = 0, ok;

	if ((epoch = ASN1_TIME_set(NULL, 0)) == NULL)
		return -1;
	ok = ASN1_TIME_diff(&days, &secs, epoch, t);
	ASN1_TIME_free(epoch);
	if (!ok)
		return -1;
	*out = (int64_t)days * 86400 + secs;
	return 0;
}

int
tsa_verify(struct diag *d, const unsigned char *der, size_t derlen,
    const void *data, size_t len, const char *ca_file, int64_t *when)
{
	TS_RESP *resp = NULL;
	TS_TST_INFO *tst;
	TS_VERIFY_CTX *ctx = NULL;
	X509_STORE *store = NULL;
	X509_ALGOR *alg;
	const ASN1_OBJECT *obj = NULL;
	unsigned char *imprint = NULL;
	const unsigned char *p = der;
	struct mark m = { ca_file, 0, 0 };
	int rc = -1;

	*when = 0;
	if (derlen > INT_MAX ||
	    (resp = d2i_TS_RESP(NULL, &p, (long)derlen)) == NULL ||
	    p != der + derlen) {
		ERR_clear_error();
		diag_err_class(d, DIAG_CRYPTO, NULL,
		    "the timestamp is not a DER TimeStampResp");
		rc = 0;
		goto out;
	}
	if ((tst = TS_RESP_get_tst_info(resp)) == NULL ||
	    asn1_epoch(TS_TST_INFO_get_time(tst), when) == -1) {
		diag_err_class(
		    d, DIAG_CRYPTO, NULL, "the timestamp holds no valid token");
		rc = 0;
		goto out;
	}
	alg = TS_MSG_IMPRINT_get_algo(TS_TST_INFO_get_msg_imprint(tst));
	if (alg != NULL)
		X509_ALGOR_get0(&obj, NULL, NULL, alg);
	if (alg == NULL || OBJ_obj2nid(obj) != NID_sha256) {
		diag_err_class(d, DIAG_CRYPTO, NULL,
		    "the timestamp is not over a sha256 digest");
		rc = 0;
		goto out;
	}
	if ((store = X509_STORE_new()) == NULL ||
	    (imprint = OPENSSL_malloc(32)) == NULL ||
	    (ctx = TS_VERIFY_CTX_new()) == NULL ||
	    !EVP_Digest(data, len, imprint, NULL, EVP_sha256(), NULL)) {
		diag_openssl(d, NULL, "cannot verify timestamp");
		goto out;
	}
	if (X509_STORE_load_file(store, ca_file) != 1) {
		diag_openssl_input(d, &m, "cannot load TSA CA certificates");
		goto out;
	}
	/* An auditor checks months later: judge the chain at the token's time. */
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), (time_t)*when);
	TS_VERIFY_CTX_set_flags(
	    ctx, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
	TS_VERIFY_CTX_set_imprint(ctx, imprint, 32);
	imprint = NULL; /* owned by ctx */
	TS_VERIFY_CTX_set_store(ctx, store);
	store = NULL; /* owned by ctx */
	if (TS_RESP_verify_response(ctx, resp) != 1) {
		diag_openssl(d, NULL, "the timestamp does not verify");
		rc = 0;
		goto out;
	}
	rc = 1;
out:
	TS_VERIFY_CTX_free(ctx);
	X509_STORE_free(store);
	OPENSSL_free(imprint);
	TS_RESP_free(resp);
	return rc;
}

/* The token's stated accuracy in whole seconds, rounded up; 0 if none. */
static int64_t
accuracy_secs(TS_TST_INFO *tst)
{
	const TS_ACCURACY *acc = TS_TST_INFO_get_accuracy(tst);
	const ASN1_INTEGER *v;
	int64_t secs = 0, sub = 0, x;

	if (acc == NULL)
		return 0;
	if ((v = TS_ACCURACY_get_seconds(acc)) != NULL) {
		if (!ASN1_INTEGER_get_int64(&x, v) || x < 0)
			return INT64_MAX;
		secs = x;
	}
	if ((v = TS_ACCURACY_get_millis(acc)) != NULL &&
	    ASN1_INTEGER_get_int64(&x, v) && x > 0)
		sub = 1;
	if ((v = TS_ACCURACY_get_micros(acc)) != NULL &&
	    ASN1_INTEGER_get_int64(&x, v) && x > 0)
		sub = 1;
	return secs > INT64_MAX - 1 ? INT64_MAX : secs + sub;
}

int
tsa_check_reply(struct diag *d, const unsigned char *der, size_t derlen,
    const void *data, size_t len, const char *ca_file, const char *policy,
    int64_t sent, int64_t received)
{
	TS_RESP *resp = NULL;
	TS_TST_INFO *tst;
	const unsigned char *p = der;
	char got[128], b1[32], b2[32], b3[32];
	int64_t when = 0, acc;
	int rc;

	/* Signature, chain (critical timeStamping EKU) and imprint. */
	if ((rc = tsa_verify(d, der, derlen, data, len, ca_file, &when)) != 1)
		return rc;
	rc = -1;
	if ((resp = d2i_TS_RESP(NULL, &p, (long)derlen)) == NULL ||
	    (tst = TS_RESP_get_tst_info(resp)) == NULL) {
		diag_openssl(d, NULL, "cannot read the timestamp token");
		goto out;
	}
	rc = 0;
	got[0] = '\0';
	if (TS_TST_INFO_get_policy_id(tst) != NULL)
		OBJ_obj2txt(
		    got, sizeof(got), TS_TST_INFO_get_policy_id(tst), 1);
	if (policy != NULL && strcmp(got, policy) != 0) {
		diag_err_class(d, DIAG_CRYPTO, NULL,
		    "the TSA answered under policy '%s', not the required "
		    "'%s'",
		    got, policy);
		goto out;
	}
	if ((acc = accuracy_secs(tst)) > TSA_MAX_ACCURACY) {
		diag_err_class(d, DIAG_CRYPTO, NULL,
		    "the TSA states an accuracy of %lld s; at most %d s is "
		    "accepted",
		    (long long)acc, TSA_MAX_ACCURACY);
		goto out;
	}
	if (when + acc < sent - TSA_MAX_SKEW ||
	    when - acc > received + TSA_MAX_SKEW) {
		format_time(when, b1);
		format_time(sent, b2);
		format_time(received, b3);
		diag_err_class(d, DIAG_CRYPTO, NULL,
		    "the TSA's time %s (+/- %lld s) is not when it was asked "
		    "(%s to %s, allowing %d s of clock difference)",
		    b1, (long long)acc, b2, b3, TSA_MAX_SKEW);
		goto out;
	}
	rc = 1;
out:
	TS_RESP_free(resp);
	return rc;
}
