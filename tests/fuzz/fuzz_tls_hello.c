/*
 * fuzz_tls_hello.c: the parser of what a TLS server sends back to our
 * ClientHello (ServerHello, alert, SSL 2.0 SERVER-HELLO), fed bytes that
 * a hostile server could send.  Any input must return one of the kinds,
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
	enum tls_reply_kind k;
	unsigned char *copy;
	size_t i;

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
	free(copy);
	return 0;
}
