/*
 * fuzz_bundle.c: bundle parsing and verification.  The input is a
 * `.sigstore.json` bundle, verified against the committed test report and
 * public key (tests/fixtures/sign/, read from the repository root where
 * the fuzzers run).  Whatever the bytes, verification must return one of
 * its four outcomes without crashing, and a failure must say why.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct verify_opts o;
	struct verify_result vr;
	struct sign_key *key;
	struct arena *a;
	struct diag d;
	char *report = NULL, *pem = NULL;
	size_t rlen, plen;
	int rc;

	diag_init(&d);
	if (file_read_all(&d, "tests/fixtures/sign/report.json", 0, &report,
		&rlen) == -1 ||
	    file_read_all(&d, "tests/fixtures/sign/test.pub", 0, &pem, &plen) ==
		-1) {
		fprintf(stderr, "fuzz_bundle: run from the repository root\n");
		abort();
	}
	if ((key = key_public_from_pem(&d, "test.pub", pem, plen)) == NULL)
		abort();
	if ((a = arena_new()) == NULL)
		abort();
	memset(&o, 0, sizeof(o));
	memset(&vr, 0, sizeof(vr));
	o.key = key;
	rc = bundle_verify_buf(a, &d, "fuzz.sigstore.json", (const char *)data,
	    size, report, rlen, &o, &vr);
	if (rc != VERIFY_VALID && rc != VERIFY_INVALID &&
	    rc != VERIFY_MALFORMED && rc != VERIFY_ERROR)
		abort();
	if (rc != VERIFY_VALID && d.nerrors == 0)
		abort(); /* a refusal must say why */
	arena_free(a);
	key_free(key);
	lib_free(report);
	lib_free(pem);
	diag_free(&d);
	return 0;
}
