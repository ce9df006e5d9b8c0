/*
 * test_sign.c: keys, DSSE / in-toto / Sigstore bundles and verification.
 *
 * Verification tests need the JSON loader (lib/json.c); while it is not
 * built they are skipped, not passed.  Fixtures live in
 * tests/fixtures/sign/ (a committed test keypair and a stored signed
 * report, OpenBSD signify regress style).
 */
#include "testutil.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "reports/sign.h"

#define FIX "tests/fixtures/sign/"

/* ------------------------------------------------------------- helpers */

static int
json_ready(void)
{
	struct arena *a = arena_new();
	struct diag d;
	struct doc_node **docs;
	size_t n;
	int ok;

	diag_init(&d);
	ok = doc_load_buf(a, &d, "probe", "{\"a\":1}", 7, DOC_FMT_JSON, NULL,
		 &docs, &n) == 0;
	diag_free(&d);
	arena_free(a);
	return ok;
}

#define NEED_JSON() \
	do { \
		if (!json_ready()) { \
			print_message("  (JSON loader not built yet)\n"); \
			skip(); \
		} \
	} while (0)

static char tmpdir[64];

static int
setup_tmp(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/rampart-test-sign-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int
teardown_tmp(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static char *
tmp_path(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmpdir, name);
	return buf[i];
}

static const char *const passed[] = { "AC-2", "AC-2(3)" };
static const char *const failed[] = { "SC-8" };
static const struct sign_input inputs[] = {
	{ "exports/aws.json",
	    "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f"
	    "0" },
};

static void
sample_meta(struct sign_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->verdict = SIGN_VERDICT_NOT_ELIGIBLE;
	m->started = "2026-01-02T03:04:05Z";
	m->finished = "2026-01-02T03:05:00Z";
	m->baseline_id = "fedramp-moderate";
	m->baseline_sha256 =
	    "5b2f0d5b0b8e3f3b1f6a4f9c1c3e2d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e";
	m->inputs = inputs;
	m->ninputs = 1;
	m->passed = passed;
	m->npassed = 2;
	m->failed = failed;
	m->nfailed = 1;
	m->binary_sha256 =
	    "1111111111111111111111111111111111111111111111111111111111111111";
	m->sign_time = "2026-01-02T03:06:00Z";
}

static const char report[] = "{\"verdict\":\"not_eligible\"}\n";

/* Build a bundle for `report` with key k into a lib_malloc'd string. */
static char *
make_bundle(const struct sign_key *k, const char *body, size_t len)
{
	struct sign_meta m;
	struct strbuf sb;
	struct diag d;
	char digest[SHA256_HEX_LEN + 1];

	sample_meta(&m);
	sha256_hex(body, len, digest);
	sb_init(&sb);
	diag_init(&d);
	assert_int_equal(
	    bundle_build(&d, &sb, "report.json", digest, &m, k, NULL), 0);
	diag_free(&d);
	return sb_detach(&sb);
}

/* Verify with a key or keyring; returns the verdict code. */
static int
verify_buf(const char *bundle, const void *body, size_t len,
    const struct sign_key *k, const struct keyring *kr, struct diag *d)
{
	struct arena *a = arena_new();
	struct verify_opts o = { k, kr, NULL, 0 };
	struct verify_result r;
	int rc;

	assert_non_null(a);
	rc = bundle_verify_buf(
	    a, d, "bundle", bundle, strlen(bundle), body, len, &o, &r);
	if (rc == VERIFY_VALID) {
		assert_string_equal(r.key_id, kr ? r.key_id : k->id);
		assert_string_equal(r.verdict, "not_eligible");
		assert_string_equal(r.result, "FAILED");
	}
	arena_free(a);
	return rc;
}

/* Parts of a hand-made bundle, for the framing tests. */
struct parts {
	const char *media;
	const char *ptype;
	const char *hint;
	const char *payload; /* raw JSON */
	int nsigs;
	const struct sign_key *signer;
};

static char *
compose(const struct parts *p)
{
	struct strbuf pae, sb;
	struct diag d;
	unsigned char *sig;
	size_t siglen;
	char *b64p, *b64s;
	int i;

	diag_init(&d);
	sb_init(&pae);
	sb_init(&sb);
	assert_int_equal(
	    dsse_pae(&pae, p->ptype, p->payload, strlen(p->payload)), 0);
	assert_int_equal(
	    key_sign(&d, p->signer, pae.s, pae.len, &sig, &siglen), 0);
	b64p = base64_encode(
	    (const unsigned char *)p->payload, strlen(p->payload));
	b64s = base64_encode(sig, siglen);
	sb_printf(&sb,
	    "{\"mediaType\":\"%s\",\"verificationMaterial\":{\"publicKey\":"
	    "{\"hint\":\"%s\"}},\"dsseEnvelope\":{\"payload\":\"%s\","
	    "\"payloadType\":\"%s\",\"signatures\":[",
	    p->media, p->hint, b64p, p->ptype);
	for (i = 0; i < p->nsigs; i++)
		sb_printf(&sb, "%s{\"sig\":\"%s\",\"keyid\":\"%s\"}",
		    i ? "," : "", b64s, p->hint);
	sb_adds(&sb, "]}}");
	lib_free(sig);
	lib_free(b64p);
	lib_free(b64s);
	sb_free(&pae);
	diag_free(&d);
	return sb_detach(&sb);
}

/* A valid statement about `report`, signed by k. */
static char *
statement_for(const struct sign_key *k)
{
	struct sign_meta m;
	struct strbuf sb;
	struct diag d;
	char digest[SHA256_HEX_LEN + 1];

	sample_meta(&m);
	sha256_hex(report, strlen(report), digest);
	sb_init(&sb);
	diag_init(&d);
	assert_int_equal(
	    statement_build(&d, &sb, "report.json", digest, &m, k), 0);
	diag_free(&d);
	return sb_detach(&sb);
}

static struct sign_key *
load_priv(const char *path)
{
	struct diag d;
	struct sign_key *k;

	diag_init(&d);
	k = key_load_private(&d, path, NULL, 0);
	if (k == NULL)
		diag_print(&d, stderr, 0, 0);
	assert_non_null(k);
	diag_free(&d);
	return k;
}

/* --------------------------------------------------------------- tests */

static void
test_pae_exact(void **state)
{
	struct strbuf sb;
	static const char expect[] =
	    "DSSEv1 29 http://example.com/HelloWorld 11 hello world";

	(void)state;
	sb_init(&sb);
	/* The DSSE specification's own test vector. */
	assert_int_equal(
	    dsse_pae(&sb, "http://example.com/HelloWorld", "hello world", 11),
	    0);
	assert_int_equal(sb.len, sizeof(expect) - 1);
	assert_memory_equal(sb.s, expect, sb.len);
	sb_free(&sb);
	/* Empty payload and binary bytes are length-prefixed, not escaped. */
	sb_init(&sb);
	assert_int_equal(dsse_pae(&sb, "t", "\0\n", 2), 0);
	assert_int_equal(sb.len, 15);
	assert_memory_equal(sb.s, "DSSEv1 1 t 2 \0\n", 15);
	sb_free(&sb);
}

static void
keygen_roundtrip(enum key_alg alg)
{
	struct diag d;
	struct sign_key *k, *priv, *pub;
	struct stat st;
	unsigned char *sig;
	size_t siglen;

	diag_init(&d);
	assert_non_null(k = key_generate(&d, alg));
	assert_int_equal(k->alg, alg);
	assert_int_equal(strlen(k->id), SHA256_HEX_LEN);
	assert_int_equal(
	    key_write_private(&d, k, tmp_path("k.key"), NULL, 0), 0);
	assert_int_equal(key_write_public(&d, k, tmp_path("k.pub")), 0);
	assert_int_equal(stat(tmp_path("k.key"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_non_null(
	    priv = key_load_private(&d, tmp_path("k.key"), NULL, 0));
	assert_non_null(pub = key_load_public(&d, tmp_path("k.pub")));
	assert_string_equal(priv->id, k->id);
	assert_string_equal(pub->id, k->id);
	assert_int_equal(pub->alg, alg);
	assert_int_equal(key_sign(&d, priv, "msg", 3, &sig, &siglen), 0);
	assert_int_equal(key_verify(pub, "msg", 3, sig, siglen), 1);
	assert_int_equal(key_verify(pub, "msG", 3, sig, siglen), 0);
	if (alg == KEY_ALG_ED25519)
		assert_int_equal(siglen, 64);
	else /* DER ECDSA-Sig-Value */
		assert_int_equal(sig[0], 0x30);
	lib_free(sig);
	assert_int_equal(d.nerrors, 0);
	key_free(k);
	key_free(priv);
	key_free(pub);
	diag_free(&d);
}

static void
test_keygen_ecdsa(void **state)
{
	(void)state;
	keygen_roundtrip(KEY_ALG_ECDSA_P256);
}

static void
test_keygen_ed25519(void **state)
{
	(void)state;
	keygen_roundtrip(KEY_ALG_ED25519);
}

static void
test_encrypted_key(void **state)
{
	struct diag d;
	struct sign_key *k, *back;
	X509_SIG *p8 = NULL;
	const X509_ALGOR *alg;
	const ASN1_OBJECT *obj;
	const void *param;
	int ptype;
	PBE2PARAM *pbe2;
	PBKDF2PARAM *kdf;
	FILE *fp;

	(void)state;
	diag_init(&d);
	assert_non_null(k = key_generate(&d, KEY_ALG_ECDSA_P256));
	assert_int_equal(
	    key_write_private(&d, k, tmp_path("e.key"), "correct horse", 13),
	    0);

	/* Parse the PKCS#8 and check the PBES2 parameters. */
	assert_non_null(fp = fopen(tmp_path("e.key"), "r"));
	assert_non_null(p8 = PEM_read_PKCS8(fp, NULL, NULL, NULL));
	fclose(fp);
	X509_SIG_get0(p8, &alg, NULL);
	X509_ALGOR_get0(&obj, &ptype, &param, alg);
	assert_int_equal(OBJ_obj2nid(obj), NID_pbes2);
	assert_non_null(pbe2 = ASN1_TYPE_unpack_sequence(
			    ASN1_ITEM_rptr(PBE2PARAM), alg->parameter));
	assert_int_equal(OBJ_obj2nid(pbe2->keyfunc->algorithm), NID_id_pbkdf2);
	assert_int_equal(
	    OBJ_obj2nid(pbe2->encryption->algorithm), NID_aes_256_cbc);
	assert_non_null(
	    kdf = ASN1_TYPE_unpack_sequence(
		ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter));
	assert_true(ASN1_INTEGER_get(kdf->iter) >= 600000);
	assert_int_equal(kdf->salt->type, V_ASN1_OCTET_STRING);
	assert_int_equal(kdf->salt->value.octet_string->length, 16);
	assert_true(kdf->prf == NULL ||
	    OBJ_obj2nid(kdf->prf->algorithm) == NID_hmacWithSHA256);
	PBKDF2PARAM_free(kdf);
	PBE2PARAM_free(pbe2);
	X509_SIG_free(p8);

	/* No passphrase: a clear error, never a prompt. */
	assert_null(key_load_private(&d, tmp_path("e.key"), NULL, 0));
	assert_diag_has(&d, "private key is encrypted");
	diag_clear(&d);
	/* Wrong passphrase fails cleanly. */
	assert_null(key_load_private(&d, tmp_path("e.key"), "wrong", 5));
	assert_diag_has(&d, "wrong passphrase");
	diag_clear(&d);
	assert_non_null(back = key_load_private(
			    &d, tmp_path("e.key"), "correct horse", 13));
	assert_string_equal(back->id, k->id);
	key_free(back);
	/* The committed encrypted fixture and its passphrase file. */
	{
		char *pass;
		size_t plen;

		assert_int_equal(key_read_passphrase(
				     &d, FIX "test-enc.pass", 0, &pass, &plen),
		    0);
		assert_non_null(back = key_load_private(
				    &d, FIX "test-enc.key", pass, plen));
		key_passphrase_free(pass, plen);
		key_free(back);
	}
	key_free(k);
	diag_free(&d);
}

static void
roundtrip(enum key_alg alg)
{
	struct diag d;
	struct sign_key *k;
	char *b;

	NEED_JSON();
	diag_init(&d);
	assert_non_null(k = key_generate(&d, alg));
	b = make_bundle(k, report, strlen(report));
	assert_int_equal(
	    verify_buf(b, report, strlen(report), k, NULL, &d), VERIFY_VALID);
	lib_free(b);
	key_free(k);
	diag_free(&d);
}

static void
test_roundtrip_ecdsa(void **state)
{
	(void)state;
	roundtrip(KEY_ALG_ECDSA_P256);
}

static void
test_roundtrip_ed25519(void **state)
{
	(void)state;
	roundtrip(KEY_ALG_ED25519);
}

static void
test_tampered_report(void **state)
{
	struct diag d;
	struct sign_key *k;
	char *b, copy[sizeof(report)];
	size_t i;

	(void)state;
	NEED_JSON();
	diag_init(&d);
	k = load_priv(FIX "test.key");
	b = make_bundle(k, report, strlen(report));
	/* Flipping any single byte of the report must fail. */
	for (i = 0; i < strlen(report); i++) {
		memcpy(copy, report, sizeof(report));
		copy[i] ^= 0x01;
		assert_int_equal(
		    verify_buf(b, copy, strlen(report), k, NULL, &d),
		    VERIFY_INVALID);
		diag_clear(&d);
	}
	/* A shorter report too. */
	assert_int_not_equal(
	    verify_buf(b, report, strlen(report) - 1, k, NULL, &d),
	    VERIFY_VALID);
	assert_diag_has(&d, "the report was changed");
	lib_free(b);
	key_free(k);
	diag_free(&d);
}

/* Replace the first occurrence of `from` in s by `to`; lib_malloc'd. */
static char *
replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	struct strbuf sb;

	assert_non_null(p);
	sb_init(&sb);
	sb_add(&sb, s, (size_t)(p - s));
	sb_adds(&sb, to);
	sb_adds(&sb, p + strlen(from));
	return sb_detach(&sb);
}

/* The base64 value of "key": "..." in a bundle; lib_malloc'd. */
static char *
field(const char *bundle, const char *key)
{
	char pat[64];
	const char *p, *e;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	assert_non_null(p = strstr(bundle, pat));
	p += strlen(pat);
	assert_non_null(e = strchr(p, '"'));
	return strndup(p, (size_t)(e - p));
}

static void
tamper_field(const char *key)
{
	struct diag d;
	struct sign_key *k;
	char *b, *b64, *nb64, *nb;
	unsigned char *raw;
	size_t len, i;

	NEED_JSON();
	diag_init(&d);
	k = load_priv(FIX "test.key");
	b = make_bundle(k, report, strlen(report));
	b64 = field(b, key);
	assert_non_null(raw = base64_decode(b64, strlen(b64), &len));
	/* Every byte of the payload / signature, one bit each. */
	for (i = 0; i < len; i++) {
		raw[i] ^= 0x20;
		nb64 = base64_encode(raw, len);
		raw[i] ^= 0x20;
		nb = replace(b, b64, nb64);
		assert_int_not_equal(
		    verify_buf(nb, report, strlen(report), k, NULL, &d),
		    VERIFY_VALID);
		diag_clear(&d);
		lib_free(nb);
		lib_free(nb64);
	}
	lib_free(raw);
	free(b64);
	lib_free(b);
	key_free(k);
	diag_free(&d);
}

static void
test_tampered_payload(void **state)
{
	(void)state;
	tamper_field("payload");
}

static void
test_tampered_signature(void **state)
{
	(void)state;
	tamper_field("sig");
}

static void
test_wrong_key(void **state)
{
	struct diag d;
	struct sign_key *k, *other;
	char *b;

	(void)state;
	NEED_JSON();
	diag_init(&d);
	k = load_priv(FIX "test.key");
	other = load_priv(FIX "test-ed25519.key");
	b = make_bundle(k, report, strlen(report));
	assert_int_equal(verify_buf(b, report, strlen(report), other, NULL, &d),
	    VERIFY_INVALID);
	assert_diag_has(&d, "signature does not verify");
	diag_clear(&d);
	/* A different key of the same algorithm. */
	key_free(other);
	assert_non_null(other = key_generate(&d, KEY_ALG_ECDSA_P256));
	assert_int_equal(verify_buf(b, report, strlen(report), other, NULL, &d),
	    VERIFY_INVALID);
	lib_free(b);
	key_free(k);
	key_free(other);
	diag_free(&d);
}

static void
framing_case(struct parts *p, int expect_valid, const char *reason)
{
	struct diag d;
	char *b;
	int rc;

	diag_init(&d);
	b = compose(p);
	rc = verify_buf(b, report, strlen(report), p->signer, NULL, &d);
	if (expect_valid) {
		assert_int_equal(rc, VERIFY_VALID);
	} else {
		assert_int_not_equal(rc, VERIFY_VALID);
		assert_diag_has(&d, reason);
	}
	lib_free(b);
	diag_free(&d);
}

static void
test_framing(void **state)
{
	struct diag d;
	struct sign_key *k;
	char *st;
	struct parts p;

	(void)state;
	NEED_JSON();
	diag_init(&d);
	k = load_priv(FIX "test.key");
	st = statement_for(k);
	p = (struct parts){ BUNDLE_MEDIA_TYPE, DSSE_PAYLOAD_TYPE, k->id, st, 1,
		k };
	framing_case(&p, 1, NULL); /* the control: this one is valid */
	p.nsigs = 2;
	framing_case(&p, 0, "exactly one signature, it holds 2");
	p.nsigs = 0;
	framing_case(&p, 0, "exactly one signature, it holds 0");
	p.nsigs = 1;
	p.media = "application/vnd.dev.sigstore.bundle.v0.2+json";
	framing_case(&p, 0, "unsupported bundle mediaType");
	p.media = BUNDLE_MEDIA_TYPE;
	p.ptype = "application/json";
	framing_case(&p, 0, "payloadType is 'application/json'");
	lib_free(st);
	key_free(k);
	diag_free(&d);
}

static void
test_duplicate_keys_in_payload(void **state)
{
	struct sign_key *k;
	struct strbuf sb;
	char *st, *dup;
	struct parts p;
	const char *brace;

	(void)state;
	NEED_JSON();
	k = load_priv(FIX "test.key");
	st = statement_for(k);
	/* Inject a second, conflicting predicateType after the first '{'. */
	brace = strchr(st, '{');
	sb_init(&sb);
	sb_adds(&sb, "{\"predicateType\":\"https://example.com/other\",");
	sb_adds(&sb, brace + 1);
	dup = sb_detach(&sb);
	p = (struct parts){ BUNDLE_MEDIA_TYPE, DSSE_PAYLOAD_TYPE, k->id, dup, 1,
		k };
	framing_case(&p, 0, "duplicate");
	lib_free(dup);
	lib_free(st);
	key_free(k);
}

/* Absolute path of the repository root (tests run from there). */
static const char *
fixdir(void)
{
	static char cwd[512];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	return cwd;
}

static void
write_file(const char *path, const char *s)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(s, fp);
	assert_int_equal(fclose(fp), 0);
}

static void
test_keyring(void **state)
{
	struct diag d;
	struct sign_key *k, *stranger;
	struct keyring *kr;
	char *b, ring[1024], *pem;

	(void)state;
	NEED_JSON();
	diag_init(&d);
	k = load_priv(FIX "test.key");
	assert_non_null(kr = keyring_load(&d, FIX "keyring.json"));
	b = make_bundle(k, report, strlen(report));
	assert_int_equal(
	    verify_buf(b, report, strlen(report), NULL, kr, &d), VERIFY_VALID);
	keyring_free(kr);

	/* A bundle whose hint names a key the keyring lacks fails. */
	assert_non_null(stranger = key_generate(&d, KEY_ALG_ECDSA_P256));
	lib_free(b);
	b = make_bundle(stranger, report, strlen(report));
	assert_non_null(kr = keyring_load(&d, FIX "keyring.json"));
	assert_int_equal(verify_buf(b, report, strlen(report), NULL, kr, &d),
	    VERIFY_INVALID);
	assert_diag_has(&d, "is not in the keyring");
	diag_clear(&d);
	/* A hint pointing at a trusted key does not make a stranger's
	 * signature valid. */
	pem = replace(b, stranger->id, k->id);
	lib_free(b);
	b = replace(pem, stranger->id, k->id);
	lib_free(pem);
	assert_int_equal(verify_buf(b, report, strlen(report), NULL, kr, &d),
	    VERIFY_INVALID);
	assert_diag_has(&d, "signature does not verify");
	diag_clear(&d);
	keyring_free(kr);
	lib_free(b);

	/* Revoked without a timestamp: invalid; retired before signing too. */
	b = make_bundle(k, report, strlen(report));
	snprintf(ring, sizeof(ring),
	    "[{\"id\":\"%s\",\"name\":\"t\",\"path\":\"%s/" FIX
	    "test.pub\",\"revoked_at\":\"2027-01-01T00:00:00Z\"}]",
	    k->id, fixdir());
	write_file(tmp_path("ring.json"), ring);
	assert_non_null(kr = keyring_load(&d, tmp_path("ring.json")));
	assert_int_equal(verify_buf(b, report, strlen(report), NULL, kr, &d),
	    VERIFY_INVALID);
	assert_diag_has(&d, "was revoked");
	diag_clear(&d);
	keyring_free(kr);
	snprintf(ring, sizeof(ring),
	    "[{\"id\":\"%s\",\"path\":\"%s/" FIX
	    "test.pub\",\"retired_at\":\"2026-01-01T00:00:00Z\"}]",
	    k->id, fixdir());
	write_file(tmp_path("ring.json"), ring);
	assert_non_null(kr = keyring_load(&d, tmp_path("ring.json")));
	assert_int_equal(verify_buf(b, report, strlen(report), NULL, kr, &d),
	    VERIFY_INVALID);
	assert_diag_has(&d, "retired");
	diag_clear(&d);
	keyring_free(kr);
	/* An id that is not the key's own is refused at load. */
	snprintf(ring, sizeof(ring),
	    "[{\"id\":\"%s\",\"path\":\"%s/" FIX "test.pub\"}]", stranger->id,
	    fixdir());
	write_file(tmp_path("ring.json"), ring);
	assert_null(keyring_load(&d, tmp_path("ring.json")));
	assert_diag_has(&d, "does not match its key");
	lib_free(b);
	key_free(stranger);
	key_free(k);
	diag_free(&d);
}

static void
test_stored_fixture(void **state)
{
	struct arena *a;
	struct diag d;
	struct sign_key *pub;
	struct verify_opts o;
	struct verify_result r;

	(void)state;
	NEED_JSON();
	diag_init(&d);
	assert_non_null(a = arena_new());
	assert_non_null(pub = key_load_public(&d, FIX "test.pub"));
	memset(&o, 0, sizeof(o));
	o.key = pub;
	assert_int_equal(
	    bundle_verify_file(a, &d, FIX "report.json", NULL, &o, &r),
	    VERIFY_VALID);
	assert_string_equal(r.baseline_id, "fedramp-moderate");
	assert_string_equal(r.verdict, "not_eligible");
	/* The edited report beside a copy of the genuine bundle. */
	assert_int_equal(
	    bundle_verify_file(a, &d, FIX "report-forged.json", NULL, &o, &r),
	    VERIFY_INVALID);
	assert_diag_has(&d, "the report was changed");
	diag_clear(&d);
	/* The genuine bundle named explicitly for the forged report. */
	assert_int_equal(bundle_verify_file(a, &d, FIX "report-forged.json",
			     FIX "report.json.sigstore.json", &o, &r),
	    VERIFY_INVALID);
	key_free(pub);
	arena_free(a);
	diag_free(&d);
}

/* sign_meta_from_report on a file read once, as `rampart sign` does. */
static int
meta_of(struct arena *a, struct diag *d, const char *path, struct sign_meta *m)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (file_read_all(d, path, 0, &buf, &len) == -1)
		return -1;
	rc = sign_meta_from_report(a, d, path, buf, len, m);
	lib_free(buf);
	return rc;
}

static const char *const verdict_names[] = { "eligible", "not_eligible",
	"incomplete" };
static const char *const verdict_texts[] = { "ELIGIBLE", "NOT ELIGIBLE",
	"INCOMPLETE" };

static void
test_meta_from_report(void **state)
{
	char json[256], other[256], file[512];
	struct arena *a;
	struct diag d;
	struct sign_meta m;
	size_t i, j, k;

	(void)state;
	NEED_JSON();
	diag_init(&d);
	assert_non_null(a = arena_new());
	assert_int_equal(meta_of(a, &d, FIX "report.json", &m), 0);
	assert_int_equal(m.verdict, SIGN_VERDICT_NOT_ELIGIBLE);
	assert_string_equal(m.baseline_id, "fedramp-moderate");
	assert_int_equal(m.ninputs, 1);
	assert_int_equal(m.npassed, 2);
	assert_string_equal(m.passed[1], "AC-2(3)");
	assert_int_equal(m.nfailed, 1);
	assert_string_equal(m.failed[0], "SC-8");
	/*
	 * The stale-sign class: every report kind whose verdict is read from
	 * its own bytes, stating each verdict, beside a report.json stating
	 * each verdict: signed only when they agree, and then with the
	 * file's verdict.
	 */
	for (i = 0; i < 3; i++) {
		snprintf(json, sizeof(json),
		    "{\"verdict\": \"%s\", \"baseline\": {\"id\": \"b\", "
		    "\"sha256\": \"%064d\"}, \"controls\": []}",
		    verdict_names[i], 0);
		write_file(tmp_path("report.json"), json);
		for (j = 0; j < 3; j++) {
			for (k = 0; k < 5; k++) {
				const char *name[] = { "report.html",
					"report.sarif", "report.junit.xml",
					"report.md", "report.txt" };

				switch (k) {
				case 0:
					snprintf(file, sizeof(file),
					    "<!DOCTYPE html>\n<header "
					    "class=\"banner v-%s\">\n",
					    verdict_names[j]);
					break;
				case 1:
					snprintf(file, sizeof(file),
					    "{\"runs\": [{\"properties\": "
					    "{\"verdict\": \"%s\"}}]}",
					    verdict_names[j]);
					break;
				case 2:
					snprintf(file, sizeof(file),
					    "<property name=\"verdict\" "
					    "value=\"%s\"/>\n",
					    verdict_names[j]);
					break;
				case 3:
					snprintf(file, sizeof(file),
					    "# r\n\n**Verdict: %s**\n\n",
					    verdict_texts[j]);
					break;
				default:
					snprintf(file, sizeof(file),
					    "verdict: %s  baseline b\n",
					    verdict_texts[j]);
					break;
				}
				write_file(tmp_path(name[k]), file);
				diag_clear(&d);
				assert_int_equal(
				    meta_of(a, &d, tmp_path(name[k]), &m),
				    i == j ? 0 : -1);
				if (i == j)
					assert_int_equal(m.verdict, j);
				else
					assert_diag_has(
					    &d, "not from the same run");
			}
		}
	}
	/* A SARIF report naming another baseline digest is refused. */
	snprintf(file, sizeof(file),
	    "{\"runs\": [{\"properties\": {\"verdict\": \"incomplete\", "
	    "\"baseline\": {\"sha256\": \"%064d\"}}}]}",
	    1);
	write_file(tmp_path("report.sarif"), file);
	diag_clear(&d);
	assert_int_equal(meta_of(a, &d, tmp_path("report.sarif"), &m), -1);
	assert_diag_has(&d, "baseline sha256");
	/* A file without a verdict, or of an unknown kind: refused. */
	write_file(tmp_path("report.html"), "<html>no verdict</html>");
	assert_int_equal(meta_of(a, &d, tmp_path("report.html"), &m), -1);
	write_file(tmp_path("notes.pdf"), "verdict: ELIGIBLE\n");
	assert_int_equal(meta_of(a, &d, tmp_path("notes.pdf"), &m), -1);
	/* A JSON report of another format is not a rampart JSON report. */
	write_file(tmp_path("report.oscal.json"), "{\"oscal\": 1}");
	assert_int_equal(meta_of(a, &d, tmp_path("report.oscal.json"), &m), -1);
	/*
	 * A truncated JSON report beside an eligible report.json: each
	 * truncation is an error (the sibling is never consulted).
	 */
	snprintf(other, sizeof(other),
	    "{\"verdict\": \"not_eligible\", \"controls\": [{\"id\": "
	    "\"AC-2\", \"status\": \"fail\"}]}\n");
	write_file(tmp_path("report.json"),
	    "{\"verdict\": \"eligible\", \"controls\": []}");
	for (i = 0; i + 1 < strlen(other); i++) { /* all but the LF */
		FILE *fp = fopen(tmp_path("run2.json"), "w");

		assert_non_null(fp);
		assert_int_equal(fwrite(other, 1, i, fp), i);
		fclose(fp);
		diag_clear(&d);
		assert_int_equal(meta_of(a, &d, tmp_path("run2.json"), &m), -1);
	}
	write_file(tmp_path("run2.json"), other);
	assert_int_equal(meta_of(a, &d, tmp_path("run2.json"), &m), 0);
	assert_int_equal(m.verdict, SIGN_VERDICT_NOT_ELIGIBLE);
	/* A bad verdict is an error, never a default. */
	write_file(tmp_path("report.json"), "{\"verdict\": \"pass\"}");
	assert_int_equal(meta_of(a, &d, tmp_path("report.json"), &m), -1);
	assert_diag_has(&d, "'verdict' must be");
	arena_free(a);
	diag_free(&d);
}

static void
test_verify_alloc_failure(void **state)
{
	struct diag d;
	struct sign_key *k;
	struct arena *a;
	struct verify_opts o;
	struct verify_result r;
	char *b;
	long n, total;
	int rc;

	(void)state;
	NEED_JSON();
	diag_init(&d);
	k = load_priv(FIX "test.key");
	b = make_bundle(k, report, strlen(report));
	memset(&o, 0, sizeof(o));
	o.key = k;
	assert_non_null(a = arena_new());
	lib_alloc_fail_at(0);
	assert_int_equal(bundle_verify_buf(a, &d, "b", b, strlen(b), report,
			     strlen(report), &o, &r),
	    VERIFY_VALID);
	total = lib_alloc_count();
	arena_free(a);
	assert_true(total > 0);
	for (n = 1; n <= total; n++) {
		assert_non_null(a = arena_new());
		diag_clear(&d);
		lib_alloc_fail_at(n);
		rc = bundle_verify_buf(
		    a, &d, "b", b, strlen(b), report, strlen(report), &o, &r);
		lib_alloc_fail_at(0);
		if (rc == VERIFY_VALID)
			fail_msg("allocation %ld of %ld failed, yet valid", n,
			    total);
		arena_free(a);
	}
	lib_free(b);
	key_free(k);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pae_exact),
		cmocka_unit_test_setup_teardown(
		    test_keygen_ecdsa, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(
		    test_keygen_ed25519, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(
		    test_encrypted_key, setup_tmp, teardown_tmp),
		cmocka_unit_test(test_roundtrip_ecdsa),
		cmocka_unit_test(test_roundtrip_ed25519),
		cmocka_unit_test(test_tampered_report),
		cmocka_unit_test(test_tampered_payload),
		cmocka_unit_test(test_tampered_signature),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_duplicate_keys_in_payload),
		cmocka_unit_test_setup_teardown(
		    test_keyring, setup_tmp, teardown_tmp),
		cmocka_unit_test(test_stored_fixture),
		cmocka_unit_test_setup_teardown(
		    test_meta_from_report, setup_tmp, teardown_tmp),
		cmocka_unit_test(test_verify_alloc_failure),
	};

	/*
	 * Private keys readable by group or others are refused (as ssh
	 * does); git checks the fixtures out 0644.
	 */
	if (chmod(FIX "test.key", 0600) != 0 ||
	    chmod(FIX "test-ed25519.key", 0600) != 0 ||
	    chmod(FIX "test-enc.key", 0600) != 0) {
		perror("chmod " FIX "*.key");
		return 1;
	}
	RUN_TESTS("sign", tests, argc, argv);
}
