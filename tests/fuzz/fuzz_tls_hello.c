/*
 * fuzz_tls_hello.c: the parsers of what a TLS server sends back to our
 * ClientHello (ServerHello, alert, SSL 2.0 SERVER-HELLO, and the
 * Certificate message after a TLS <= 1.2 ServerHello), fed bytes that a
 * hostile server could send.  Any input must return one of the kinds,
 * never read out of bounds, and stay stable as bytes are appended.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks/tls/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_reply r, r2;
	struct tls_cert_list cl;
	enum tls_reply_kind k;
	enum tls_certs_kind ck;
	unsigned char *copy, *hs;
	size_t i, hscap;

	/* An exact-size heap copy, so ASan sees any read past the end. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	k = tls_reply_parse(copy, size, &r);
	if (k != r.kind || (unsigned)k > TLS_REPLY_MALFORMED)
		abort();
	if (k == TLS_REPLY_MALFORMED && r.why == NULL)
		abort();
	/* A decided prefix stays decided the same way. */
	if (k != TLS_REPLY_NEED_MORE) {
		for (i = size; i > 0; i--) {
			if (tls_reply_parse(copy, i, &r2) ==
			    TLS_REPLY_NEED_MORE)
				break;
			if (r2.kind != k && r2.kind != TLS_REPLY_MALFORMED &&
			    k != TLS_REPLY_MALFORMED)
				abort();
		}
	}
	(void)tls_server_hello_parse(copy, size, &r);
	(void)tls_alert_name(size ? copy[0] : 0);

	/*
	 * The Certificate parser, with an exact-size scratch as small as
	 * the input allows, so ASan sees any write past it; every
	 * certificate it returns lies inside the scratch.
	 */
	hscap = size ? size : 1;
	if ((hs = malloc(hscap)) == NULL) {
		free(copy);
		return 0;
	}
	ck = tls_certificate_parse(copy, size, hs, hscap, &cl);
	if ((unsigned)ck > TLS_CERTS_MALFORMED ||
	    (ck == TLS_CERTS_FOUND && (cl.n == 0 || cl.n > TLS_CERTS_MAX)) ||
	    ((ck == TLS_CERTS_ABSENT || ck == TLS_CERTS_MALFORMED) &&
		cl.why == NULL))
		abort();
	for (i = 0; ck == TLS_CERTS_FOUND && i < cl.n; i++)
		if (cl.der[i] < hs || cl.len[i] == 0 ||
		    cl.len[i] > hscap - (size_t)(cl.der[i] - hs))
			abort();
	/* A found list is found the same way with the input's tail cut. */
	if (ck == TLS_CERTS_FOUND && size > 0 &&
	    tls_certificate_parse(copy, size - 1, hs, hscap, &cl) ==
		TLS_CERTS_MALFORMED)
		abort();
	free(hs);
	free(copy);
	return 0;
}
