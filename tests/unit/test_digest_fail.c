/*
 * test_digest_fail.c: a digest that cannot be computed is an error, never
 * an all-zero (or any valid-looking) digest.  The process loads only
 * OpenSSL's "null" provider before anything else, so SHA-256 is
 * unavailable everywhere: the hashing helpers, signing and verification
 * must all fail rather than produce or accept a digest.
 */
#include "testutil.h"

#include <openssl/provider.h>

#include "reports/sign.h"

static void
test_sha256_unavailable(void **state)
{
	char out[SHA256_HEX_LEN + 1];
	struct diag d;
	size_t i;

	(void)state;
	diag_init(&d);
	memset(out, 'z', sizeof(out));
	sha256_hex("abc", 3, out);
	assert_int_equal(strlen(out), SHA256_HEX_LEN);
	for (i = 0; i < SHA256_HEX_LEN; i++)
		assert_int_equal(out[i], '-');
	assert_int_equal(sha256_buf_hex(&d, "abc", 3, out), -1);
	assert_true(d.nerrors > 0);
	assert_int_equal(out[0], '-');
	diag_free(&d);
}

static void
test_sign_buf_fails(void **state)
{
	struct sign_meta m;
	struct sign_key k;
	struct diag d;

	(void)state;
	diag_init(&d);
	memset(&m, 0, sizeof(m));
	memset(&k, 0, sizeof(k));
	/* The digest fails before any key is used. */
	assert_int_equal(bundle_sign_buf(&d, "/nonexistent/report.json", "{}",
			     2, &m, &k, NULL),
	    -1);
	assert_true(d.nerrors > 0);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_unavailable),
		cmocka_unit_test(test_sign_buf_fails),
	};

	OSSL_PROVIDER *null;
	int rc;

	/* Explicitly loading a provider stops the default one loading. */
	if ((null = OSSL_PROVIDER_load(NULL, "null")) == NULL) {
		fprintf(stderr, "cannot load the null provider\n");
		return 1;
	}
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	rc = cmocka_run_group_tests_name("digest_fail", tests, NULL, NULL);
	OSSL_PROVIDER_unload(null);
	return rc;
}
