/*
 * test_tls.c: the TLS module's pure parts (policy tables, ClientHello
 * builder, ServerHello/alert and Certificate message parsers, targets),
 * the certificate checks
 * under an injected clock, the evaluation rules that keep a local refusal
 * or a timeout from ever counting as "not supported", and the prober's
 * deadlines, ordered streaming and descriptor hygiene against in-process
 * sockets.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "checks/tls/tls.h"

/* 2030-01-01T00:00:00Z: the injected "now" of the certificate tests. */
#define T0 ((int64_t)1893456000)
#define DAY ((int64_t)86400)

/* ------------------------------------------------------------ policy */

static void
test_policy_tables(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 1; i < tls_nsuites; i++)
		assert_true(tls_suites[i - 1].code < tls_suites[i].code);
	for (i = 1; i < tls_ngroups; i++)
		assert_true(tls_groups[i - 1].code < tls_groups[i].code);
	for (i = 0; i < TLS_P_COUNT; i++) {
		assert_int_equal(tls_protocols[i].id, i);
		assert_non_null(tls_protocols[i].ref);
		if (i > 0)
			assert_true(
			    tls_protocols[i - 1].wire < tls_protocols[i].wire);
	}
	for (i = 0; i < TLS_C_COUNT; i++) {
		assert_int_equal(tls_checks[i].id, i);
		assert_non_null(tls_checks[i].name);
		assert_non_null(tls_checks[i].ref);
		assert_true(tls_checks[i].violation == TLS_FAIL ||
		    tls_checks[i].violation == TLS_WARN);
		for (j = 0; j < i; j++)
			assert_string_not_equal(
			    tls_checks[i].name, tls_checks[j].name);
	}
	/* Raw-offered suites are exactly weak ones; weak ones say why. */
	for (i = 0; i < tls_nsuites; i++) {
		if (tls_suites[i].raw)
			assert_int_equal(tls_suites[i].cls, TLS_SUITE_WEAK);
		if (tls_suites[i].cls == TLS_SUITE_WEAK)
			assert_true(tls_suites[i].weak != 0);
		assert_non_null(tls_suites[i].ref);
	}
}

static void
test_policy_lookup(void **state)
{
	(void)state;
	assert_int_equal(tls_suite_class_of(0xC02F), TLS_SUITE_APPROVED);
	assert_int_equal(tls_suite_class_of(0x1301), TLS_SUITE_APPROVED);
	assert_int_equal(tls_suite_class_of(0x009C), TLS_SUITE_RSA_KX);
	assert_int_equal(tls_suite_class_of(0x1303), TLS_SUITE_NOT_FIPS);
	assert_int_equal(tls_suite_class_of(0x000A), TLS_SUITE_WEAK);
	assert_true(tls_suite_find(0x000A)->weak & TLS_WEAK_3DES);
	assert_true(tls_suite_find(0x0005)->weak & TLS_WEAK_RC4);
	/* Unlisted (ChaCha20 in TLS 1.2, CAMELLIA) is not approved. */
	assert_null(tls_suite_find(0xCCA8));
	assert_int_equal(tls_suite_class_of(0xCCA8), TLS_SUITE_WEAK);
	assert_int_equal(tls_group_find(0x0017)->status, TLS_PASS);
	assert_int_equal(tls_group_find(0x001D)->status, TLS_WARN);
	assert_ptr_equal(tls_group_by_name("x25519"), tls_group_find(0x001D));
	assert_ptr_equal(tls_group_by_name("P-384"), tls_group_find(0x0018));
	assert_string_equal(tls_version_name(0x0301), "TLS 1.0");
	assert_null(tls_version_name(0x0305));
	assert_string_equal(tls_alert_name(40), "handshake_failure");
}

/* ------------------------------------------------------- ClientHello */

static int
contains(const unsigned char *buf, size_t len, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(buf + i, s, n) == 0)
			return 1;
	return 0;
}

static void
test_hello_build(void **state)
{
	static const uint16_t suites[] = { 0x000A, 0x0005 };
	static const uint8_t comp[] = { 1, 0 };
	struct tls_hello_spec s;
	unsigned char buf[TLS_HELLO_MAX];
	size_t len, off, extlen;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.record_version = 0x0301;
	s.client_version = 0x0303;
	s.suites = suites;
	s.nsuites = 2;
	s.compression = comp;
	s.ncompression = 2;
	s.sni = "example.org";
	s.extensions = 1;
	assert_int_equal(tls_hello_build(&s, buf, sizeof(buf), &len), 0);
	assert_int_equal(buf[0], 22);
	assert_int_equal((buf[3] << 8 | buf[4]) + 5, len);
	assert_int_equal(buf[5], 1);
	assert_int_equal(
	    (size_t)(buf[6] << 16 | buf[7] << 8 | buf[8]) + 9, len);
	assert_int_equal(buf[9] << 8 | buf[10], 0x0303);
	off = 11 + 32;
	assert_int_equal(buf[off], 0); /* session id */
	off++;
	assert_int_equal(buf[off] << 8 | buf[off + 1], 4);
	assert_int_equal(buf[off + 2] << 8 | buf[off + 3], 0x000A);
	off += 6;
	assert_int_equal(buf[off], 2);
	assert_int_equal(buf[off + 1], 1);
	off += 3;
	extlen = (size_t)(buf[off] << 8 | buf[off + 1]);
	assert_int_equal(off + 2 + extlen, len);
	assert_true(contains(buf, len, "example.org"));

	/* SSL 3.0 style: no extensions at all. */
	s.extensions = 0;
	s.record_version = s.client_version = 0x0300;
	assert_int_equal(tls_hello_build(&s, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 5 + 4 + 2 + 32 + 1 + 2 + 4 + 1 + 2);
	/* Too small a buffer or no suites: -1, no overrun. */
	assert_int_equal(tls_hello_build(&s, buf, 20, &len), -1);
	s.nsuites = 0;
	assert_int_equal(tls_hello_build(&s, buf, sizeof(buf), &len), -1);
}

static void
test_hello_ssl2(void **state)
{
	unsigned char ch[16] = { 0 }, buf[128];
	size_t len;

	(void)state;
	assert_int_equal(tls_hello_build_ssl2(tls_ssl2_specs, tls_nssl2_specs,
			     ch, buf, sizeof(buf), &len),
	    0);
	assert_true(buf[0] & 0x80);
	assert_int_equal(((buf[0] & 0x7f) << 8 | buf[1]) + 2, len);
	assert_int_equal(buf[2], 1);
	assert_int_equal(buf[3] << 8 | buf[4], 0x0002);
	assert_int_equal(buf[5] << 8 | buf[6], tls_nssl2_specs * 3);
}

/* ------------------------------------------------------------ replies */

/* Append a ServerHello handshake message to b; returns its length. */
static size_t
server_hello(unsigned char *b, uint16_t ver, uint16_t suite, uint8_t comp,
    const unsigned char *ext, size_t extlen, int hrr)
{
	static const unsigned char hrr_random[32] = { 0xcf, 0x21, 0xad, 0x74,
		0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65,
		0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
		0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c };
	size_t n = 4, body;

	b[n++] = ver >> 8;
	b[n++] = ver & 0xff;
	if (hrr)
		memcpy(b + n, hrr_random, 32);
	else
		memset(b + n, 0x42, 32);
	n += 32;
	b[n++] = 0; /* session id */
	b[n++] = suite >> 8;
	b[n++] = suite & 0xff;
	b[n++] = comp;
	if (ext != NULL) {
		b[n++] = extlen >> 8;
		b[n++] = extlen & 0xff;
		memcpy(b + n, ext, extlen);
		n += extlen;
	}
	body = n - 4;
	b[0] = 2;
	b[1] = 0;
	b[2] = (unsigned char)(body >> 8);
	b[3] = (unsigned char)body;
	return n;
}

/* Wrap msg into one record of type t (or split into two records). */
static size_t
records(
    unsigned char *out, int t, const unsigned char *msg, size_t n, size_t split)
{
	size_t o = 0, parts[2], i, off = 0, np = split ? 2 : 1;

	parts[0] = split ? split : n;
	parts[1] = n - parts[0];
	for (i = 0; i < np; i++) {
		out[o++] = (unsigned char)t;
		out[o++] = 3;
		out[o++] = 3;
		out[o++] = (unsigned char)(parts[i] >> 8);
		out[o++] = (unsigned char)parts[i];
		memcpy(out + o, msg + off, parts[i]);
		o += parts[i];
		off += parts[i];
	}
	return o;
}

static void
test_reply_server_hello(void **state)
{
	static const unsigned char ext[] = { 0xff, 0x01, 0x00, 0x01, 0x00, 0x00,
		0x17, 0x00, 0x00 };
	unsigned char msg[256], rec[512];
	struct tls_reply r;
	size_t n, len, i;

	(void)state;
	n = server_hello(msg, 0x0301, 0x000A, 1, ext, sizeof(ext), 0);
	len = records(rec, 22, msg, n, 0);
	assert_int_equal(tls_reply_parse(rec, len, &r), TLS_REPLY_SERVER_HELLO);
	assert_int_equal(r.version, 0x0301);
	assert_int_equal(r.suite, 0x000A);
	assert_int_equal(r.compression, 1);
	assert_true(r.reneg_info);
	assert_true(r.ems);
	/* Every strict prefix needs more; nothing past len is read. */
	for (i = 0; i < len; i++)
		assert_int_equal(
		    tls_reply_parse(rec, i, &r), TLS_REPLY_NEED_MORE);
	/* Split across two records. */
	len = records(rec, 22, msg, n, 3);
	assert_int_equal(tls_reply_parse(rec, len, &r), TLS_REPLY_SERVER_HELLO);
	assert_int_equal(r.suite, 0x000A);
	for (i = 0; i < len; i++)
		assert_int_equal(
		    tls_reply_parse(rec, i, &r), TLS_REPLY_NEED_MORE);
}

static void
test_reply_tls13_and_hrr(void **state)
{
	static const unsigned char sv[] = { 0x00, 0x2b, 0x00, 0x02, 0x03,
		0x04 };
	unsigned char msg[256], rec[512];
	struct tls_reply r;
	size_t n, len;

	(void)state;
	n = server_hello(msg, 0x0303, 0x1301, 0, sv, sizeof(sv), 0);
	len = records(rec, 22, msg, n, 0);
	assert_int_equal(tls_reply_parse(rec, len, &r), TLS_REPLY_SERVER_HELLO);
	assert_int_equal(r.legacy_version, 0x0303);
	assert_int_equal(r.version, 0x0304);
	n = server_hello(msg, 0x0303, 0x1301, 0, sv, sizeof(sv), 1);
	len = records(rec, 22, msg, n, 0);
	assert_int_equal(tls_reply_parse(rec, len, &r), TLS_REPLY_HRR);
	/* The same parser on a bare handshake message (OpenSSL probes). */
	assert_int_equal(tls_server_hello_parse(msg, n, &r), TLS_REPLY_HRR);
	assert_int_equal(
	    tls_server_hello_parse(msg, n - 1, &r), TLS_REPLY_MALFORMED);
}

static void
test_reply_alert_and_garbage(void **state)
{
	static const unsigned char alert[] = { 21, 3, 1, 0, 2, 2, 40 };
	static const unsigned char http[] = "HTTP/1.1 400 Bad Request\r\n";
	static const unsigned char ssh[] = "SSH-2.0-OpenSSH_9.2\r\n";
	static const unsigned char longrec[] = { 22, 3, 3, 0xff, 0xff };
	static const unsigned char notsh[] = { 22, 3, 3, 0, 4, 11, 0, 0, 0 };
	static const unsigned char ccs[] = { 20, 3, 3, 0, 1, 1 };
	static const unsigned char v2[] = { 0x80, 0x0f, 4, 0, 1, 0, 2, 0, 0, 0,
		3, 0, 0, 0x01, 0x00, 0x80, 0 };
	static const unsigned char v2err[] = { 0x80, 0x03, 0, 0, 1 };
	struct tls_reply r;

	(void)state;
	assert_int_equal(
	    tls_reply_parse(alert, sizeof(alert), &r), TLS_REPLY_ALERT);
	assert_int_equal(r.alert_level, 2);
	assert_int_equal(r.alert_desc, 40);
	assert_int_equal(tls_reply_parse(alert, 6, &r), TLS_REPLY_NEED_MORE);
	assert_int_equal(
	    tls_reply_parse(http, sizeof(http) - 1, &r), TLS_REPLY_MALFORMED);
	assert_non_null(strstr(r.why, "HTTP"));
	assert_int_equal(
	    tls_reply_parse(ssh, sizeof(ssh) - 1, &r), TLS_REPLY_MALFORMED);
	assert_int_equal(
	    tls_reply_parse(longrec, sizeof(longrec), &r), TLS_REPLY_MALFORMED);
	assert_int_equal(
	    tls_reply_parse(notsh, sizeof(notsh), &r), TLS_REPLY_MALFORMED);
	assert_int_equal(
	    tls_reply_parse(ccs, sizeof(ccs), &r), TLS_REPLY_MALFORMED);
	assert_int_equal(
	    tls_reply_parse(v2, sizeof(v2), &r), TLS_REPLY_SSL2_HELLO);
	assert_int_equal(r.nssl2_specs, 1);
	assert_int_equal(r.ssl2_spec, 0x010080);
	assert_int_equal(
	    tls_reply_parse(v2err, sizeof(v2err), &r), TLS_REPLY_SSL2_ERROR);
	assert_int_equal(tls_reply_parse(v2, 2, &r), TLS_REPLY_NEED_MORE);
}

/* ------------------------------------------------------------ targets */

static void
test_target_parse(void **state)
{
	struct arena *a = arena_new();
	struct diag d;
	struct tls_target t;
	static const char *const bad[] = { "", "host:0", "host:65536",
		"host:", "host:x", "[::1", "[zz]:1", "[::1]x", "a b",
		"[::1]:99999", "-", "a..b", "::zz" };
	size_t i;

	(void)state;
	diag_init(&d);
	assert_int_equal(tls_target_parse(a, &d, NULL, "example.org", &t), 0);
	assert_string_equal(t.host, "example.org");
	assert_int_equal(t.port, 443);
	assert_false(t.is_ip);
	assert_int_equal(
	    tls_target_parse(a, &d, NULL, "example.org:8443", &t), 0);
	assert_int_equal(t.port, 8443);
	assert_int_equal(tls_target_parse(a, &d, NULL, "[::1]:4433", &t), 0);
	assert_string_equal(t.host, "::1");
	assert_int_equal(t.port, 4433);
	assert_true(t.is_ip);
	assert_int_equal(tls_target_parse(a, &d, NULL, "[2001:db8::1]", &t), 0);
	assert_int_equal(t.port, 443);
	assert_int_equal(tls_target_parse(a, &d, NULL, "fe80::1", &t), 0);
	assert_string_equal(t.host, "fe80::1");
	assert_int_equal(tls_target_parse(a, &d, NULL, "127.0.0.1:1", &t), 0);
	assert_true(t.is_ip);
	assert_int_equal(t.port, 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		diag_clear(&d);
		if (tls_target_parse(a, &d, NULL, bad[i], &t) != -1)
			fail_msg("accepted bad target '%s'", bad[i]);
		assert_int_equal(d.nerrors, 1);
	}
	diag_free(&d);
	arena_free(a);
}

static void
test_targets_file(void **state)
{
	char path[] = "/tmp/rampart-tls-targets.XXXXXX";
	const char *text = "# endpoints\n"
			   "a.example:8443\n"
			   "\n"
			   "  [::1]:443   localhost  # loopback\n"
			   "bad host here\n"
			   "b.example:99999\n";
	struct arena *a = arena_new();
	struct tls_target *v = NULL;
	struct diag d;
	size_t n = 0;
	int fd;

	(void)state;
	diag_init(&d);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(tls_targets_read(a, &d, path, &v, &n), -1);
	unlink(path);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].host, "a.example");
	assert_int_equal(v[0].port, 8443);
	assert_string_equal(v[1].host, "::1");
	assert_string_equal(v[1].sni, "localhost");
	assert_int_equal(d.nerrors, 2);
	assert_diag_has(&d, ":5:");
	assert_diag_has(&d, ":6:1: error: target 'b.example:99999': bad port");
	lib_free(v);
	diag_free(&d);
	arena_free(a);
}

/* ------------------------------------------------------- certificates */

struct pki {
	EVP_PKEY *ca_key, *key, *rsa1024;
	X509 *ca;
	X509_STORE *store;
	struct arena *a;
};

static void
add_ext(X509 *x, X509 *issuer, int nid, const char *val)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, val);
	assert_non_null(e);
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
}

/* A certificate for key, signed by signer (issuer NULL: self-signed). */
static X509 *
mk_cert(EVP_PKEY *key, EVP_PKEY *signer, X509 *issuer, const char *cn,
    int64_t nb, int64_t na, const char *san, int eku, const EVP_MD *md)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	static long serial = 1;

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	ASN1_TIME_set(X509_getm_notBefore(x), (time_t)nb);
	ASN1_TIME_set(X509_getm_notAfter(x), (time_t)na);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(
	    name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
	X509_NAME_free(name);
	if (issuer == NULL) {
		add_ext(x, NULL, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, NULL, NID_key_usage, "critical,keyCertSign,cRLSign");
	} else {
		add_ext(x, issuer, NID_basic_constraints, "CA:FALSE");
	}
	if (san != NULL)
		add_ext(x, issuer, NID_subject_alt_name, san);
	if (eku)
		add_ext(x, issuer, NID_ext_key_usage, "serverAuth");
	assert_true(X509_sign(x, signer, md) > 0);
	return x;
}

static int
pki_setup(void **state)
{
	struct pki *p = calloc(1, sizeof(*p));

	p->ca_key = EVP_EC_gen("P-256");
	p->key = EVP_EC_gen("P-256");
	p->rsa1024 = EVP_RSA_gen(1024);
	p->ca = mk_cert(p->ca_key, p->ca_key, NULL, "test CA", T0 - 3650 * DAY,
	    T0 + 3650 * DAY, NULL, 0, EVP_sha256());
	p->store = X509_STORE_new();
	X509_STORE_add_cert(p->store, p->ca);
	*state = p;
	return 0;
}

static int
pki_teardown(void **state)
{
	struct pki *p = *state;

	EVP_PKEY_free(p->ca_key);
	EVP_PKEY_free(p->key);
	EVP_PKEY_free(p->rsa1024);
	X509_free(p->ca);
	X509_STORE_free(p->store);
	free(p);
	return 0;
}

/* Evaluate one leaf (chain: leaf, CA) at time now for name. */
static void
eval_leaf(struct pki *p, X509 *leaf, const char *name, int64_t now,
    struct tls_cert_info *info, struct tls_check_result *res)
{
	STACK_OF(X509) *chain = sk_X509_new_null();

	sk_X509_push(chain, leaf);
	sk_X509_push(chain, p->ca);
	memset(res, 0, sizeof(*res) * TLS_C_COUNT);
	assert_int_equal(
	    tls_cert_eval(p->a, p->store, chain, name, now, info, res), 0);
	sk_X509_free(chain);
}

static void
test_cert_good_and_clock(void **state)
{
	struct pki *p = *state;
	struct tls_check_result res[TLS_C_COUNT];
	struct tls_cert_info info;
	X509 *leaf;

	p->a = arena_new();
	leaf = mk_cert(p->key, p->ca_key, p->ca, "good", T0, T0 + 90 * DAY,
	    "DNS:localhost,IP:127.0.0.1", 1, EVP_sha256());
	eval_leaf(p, leaf, "localhost", T0 + DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_CHAIN].status, TLS_PASS);
	assert_int_equal(res[TLS_C_CERT_HOSTNAME].status, TLS_PASS);
	assert_int_equal(res[TLS_C_CERT_VALIDITY].status, TLS_PASS);
	assert_int_equal(res[TLS_C_CERT_KEY].status, TLS_PASS);
	assert_int_equal(res[TLS_C_CERT_SIGALG].status, TLS_PASS);
	assert_int_equal(res[TLS_C_CERT_EKU].status, TLS_PASS);
	assert_int_equal(info.not_before, T0);
	assert_int_equal(info.not_after, T0 + 90 * DAY);
	assert_int_equal(info.nsans, 2);
	assert_string_equal(info.sans[1], "IP:127.0.0.1");
	assert_string_equal(info.subject, "CN=good");
	assert_string_equal(info.key_type, "EC");

	/* The injected clock moves; nothing else changes. */
	eval_leaf(p, leaf, "localhost", T0 + 100 * DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_VALIDITY].status, TLS_FAIL);
	assert_non_null(strstr(res[TLS_C_CERT_VALIDITY].reason, "expired"));
	/* Leaf expiry belongs to the validity check, not the chain. */
	assert_int_equal(res[TLS_C_CERT_CHAIN].status, TLS_PASS);
	eval_leaf(p, leaf, "localhost", T0 - DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_VALIDITY].status, TLS_FAIL);
	assert_non_null(strstr(res[TLS_C_CERT_VALIDITY].reason, "not valid"));
	eval_leaf(p, leaf, "localhost", T0 + 80 * DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_VALIDITY].status, TLS_WARN);
	/* A CA expired by then fails the chain. */
	eval_leaf(p, leaf, "localhost", T0 + 4000 * DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_CHAIN].status, TLS_FAIL);

	/* Host names: SAN only, IP literals against IP SANs. */
	eval_leaf(p, leaf, "127.0.0.1", T0 + DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_HOSTNAME].status, TLS_PASS);
	eval_leaf(p, leaf, "good", T0 + DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_HOSTNAME].status, TLS_FAIL);
	eval_leaf(p, leaf, "www.example.org", T0 + DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_HOSTNAME].status, TLS_FAIL);
	X509_free(leaf);
	arena_free(p->a);
}

static void
test_cert_bad(void **state)
{
	struct pki *p = *state;
	struct tls_check_result res[TLS_C_COUNT];
	struct tls_cert_info info;
	X509 *x;

	p->a = arena_new();
	x = mk_cert(p->key, p->ca_key, p->ca, "long", T0, T0 + 500 * DAY,
	    "DNS:localhost", 1, EVP_sha256());
	eval_leaf(p, x, "localhost", T0 + DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_VALIDITY].status, TLS_FAIL);
	assert_non_null(strstr(res[TLS_C_CERT_VALIDITY].reason, "lifetime"));
	X509_free(x);

	x = mk_cert(p->rsa1024, p->ca_key, p->ca, "weak", T0, T0 + 90 * DAY,
	    "DNS:localhost", 1, EVP_sha256());
	eval_leaf(p, x, "localhost", T0 + DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_KEY].status, TLS_FAIL);
	assert_int_equal(info.key_bits, 1024);
	X509_free(x);

	x = mk_cert(p->key, p->ca_key, p->ca, "sha1", T0, T0 + 90 * DAY,
	    "DNS:localhost", 1, EVP_sha1());
	eval_leaf(p, x, "localhost", T0 + DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_SIGALG].status, TLS_FAIL);
	assert_non_null(strstr(res[TLS_C_CERT_SIGALG].reason, "SHA1"));
	X509_free(x);

	x = mk_cert(p->key, p->ca_key, p->ca, "noeku", T0, T0 + 90 * DAY,
	    "DNS:localhost", 0, EVP_sha256());
	eval_leaf(p, x, "localhost", T0 + DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_EKU].status, TLS_FAIL);
	assert_int_equal(info.eku_server_auth, -1);
	X509_free(x);

	/* Self-signed: not in the store, the chain fails. */
	x = mk_cert(p->key, p->key, NULL, "self", T0, T0 + 90 * DAY,
	    "DNS:localhost", 1, EVP_sha256());
	eval_leaf(p, x, "localhost", T0 + DAY, &info, res);
	assert_int_equal(res[TLS_C_CERT_CHAIN].status, TLS_FAIL);
	assert_non_null(info.verify_error);
	X509_free(x);
	arena_free(p->a);
}

/* Sign x with an RSA key using RSASSA-PSS over md. */
static void
sign_pss(X509 *x, EVP_PKEY *key, const EVP_MD *md)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;

	assert_non_null(mctx);
	assert_int_equal(EVP_DigestSignInit(mctx, &pctx, md, NULL, key), 1);
	assert_true(
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0);
	assert_true(
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0);
	assert_true(X509_sign_ctx(x, mctx) > 0);
	EVP_MD_CTX_free(mctx);
}

/*
 * RSASSA-PSS hides its digest in the signature parameters: decoded, a
 * PSS signature over SHA-1 fails like PKCS#1 v1.5 over SHA-1, and the
 * approved digests pass.  Generated over the digests.
 */
static void
test_cert_pss_digest(void **state)
{
	static const struct {
		const char *md;
		enum tls_status want;
	} cases[] = {
		{ "SHA1", TLS_FAIL },
		{ "SHA224", TLS_PASS },
		{ "SHA256", TLS_PASS },
		{ "SHA384", TLS_PASS },
		{ "SHA512", TLS_PASS },
	};
	struct pki *p = *state;
	struct tls_check_result res[TLS_C_COUNT];
	struct tls_cert_info info;
	EVP_PKEY *rsa = EVP_RSA_gen(2048);
	X509 *ca, *leaf, *save_ca = p->ca;
	X509_STORE *store = X509_STORE_new(), *save_store = p->store;
	size_t i;

	assert_non_null(rsa);
	p->a = arena_new();
	ca = mk_cert(rsa, rsa, NULL, "rsa CA", T0 - 3650 * DAY, T0 + 3650 * DAY,
	    NULL, 0, EVP_sha256());
	X509_STORE_add_cert(store, ca);
	p->ca = ca;
	p->store = store;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EVP_MD *md = EVP_MD_fetch(NULL, cases[i].md, NULL);

		assert_non_null(md);
		leaf = mk_cert(p->key, rsa, ca, "pss", T0, T0 + 90 * DAY,
		    "DNS:localhost", 1, EVP_sha256());
		sign_pss(leaf, rsa, md);
		eval_leaf(p, leaf, "localhost", T0 + DAY, &info, res);
		if (res[TLS_C_CERT_SIGALG].status != cases[i].want)
			fail_msg("PSS over %s: %s (%s)", cases[i].md,
			    tls_status_name(res[TLS_C_CERT_SIGALG].status),
			    res[TLS_C_CERT_SIGALG].reason);
		if (cases[i].want == TLS_FAIL)
			assert_non_null(
			    strstr(res[TLS_C_CERT_SIGALG].reason, cases[i].md));
		assert_int_equal(res[TLS_C_CERT_CHAIN].status, TLS_PASS);
		X509_free(leaf);
		EVP_MD_free(md);
	}
	p->ca = save_ca;
	p->store = save_store;
	X509_free(ca);
	X509_STORE_free(store);
	EVP_PKEY_free(rsa);
	arena_free(p->a);
}

/*
 * Chain validation is for a TLS server: an intermediate CA whose
 * extendedKeyUsage does not allow serverAuth cannot vouch for a server,
 * even when the leaf itself says serverAuth.
 */
static void
test_cert_chain_purpose(void **state)
{
	static const struct {
		const char *eku;
		enum tls_status want;
	} cases[] = {
		{ "emailProtection", TLS_FAIL }, { "codeSigning", TLS_FAIL },
		{ "serverAuth", TLS_PASS },
		{ NULL, TLS_PASS }, /* no EKU: unrestricted */
	};
	struct pki *p = *state;
	struct tls_check_result res[TLS_C_COUNT];
	struct tls_cert_info info;
	EVP_PKEY *ikey = EVP_EC_gen("P-256");
	STACK_OF(X509) * chain;
	X509 *inter, *leaf;
	X509_NAME *name;
	size_t i;

	p->a = arena_new();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		inter = X509_new();
		name = X509_NAME_new();
		X509_set_version(inter, 2);
		ASN1_INTEGER_set(X509_get_serialNumber(inter), 9000 + (long)i);
		ASN1_TIME_set(X509_getm_notBefore(inter), (time_t)(T0 - DAY));
		ASN1_TIME_set(
		    X509_getm_notAfter(inter), (time_t)(T0 + 900 * DAY));
		X509_set_pubkey(inter, ikey);
		X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
		    (const unsigned char *)"intermediate", -1, -1, 0);
		X509_set_subject_name(inter, name);
		X509_set_issuer_name(inter, X509_get_subject_name(p->ca));
		X509_NAME_free(name);
		add_ext(
		    inter, p->ca, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(inter, p->ca, NID_key_usage,
		    "critical,keyCertSign,cRLSign");
		if (cases[i].eku != NULL)
			add_ext(inter, p->ca, NID_ext_key_usage, cases[i].eku);
		assert_true(X509_sign(inter, p->ca_key, EVP_sha256()) > 0);
		leaf = mk_cert(p->key, ikey, inter, "leaf", T0, T0 + 90 * DAY,
		    "DNS:localhost", 1, EVP_sha256());
		chain = sk_X509_new_null();
		sk_X509_push(chain, leaf);
		sk_X509_push(chain, inter);
		memset(res, 0, sizeof(res));
		assert_int_equal(tls_cert_eval(p->a, p->store, chain,
				     "localhost", T0 + DAY, &info, res),
		    0);
		if (res[TLS_C_CERT_CHAIN].status != cases[i].want)
			fail_msg("intermediate EKU %s: chain %s (%s)",
			    cases[i].eku ? cases[i].eku : "(none)",
			    tls_status_name(res[TLS_C_CERT_CHAIN].status),
			    res[TLS_C_CERT_CHAIN].reason);
		sk_X509_free(chain);
		X509_free(leaf);
		X509_free(inter);
	}
	EVP_PKEY_free(ikey);
	arena_free(p->a);
}

/*
 * An OCSP response about leaf (issued by issuer), signed by signer/skey,
 * with this status and update times (nextupd 0: none), as DER into *der.
 * bytes: its length.
 */
static long
mk_ocsp(X509 *leaf, X509 *issuer, X509 *signer, EVP_PKEY *skey, int status,
    int64_t thisupd, int64_t nextupd, unsigned char **der)
{
	OCSP_CERTID *id = OCSP_cert_to_id(NULL, leaf, issuer);
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	ASN1_TIME *tu = ASN1_TIME_set(NULL, (time_t)thisupd);
	ASN1_TIME *nu = nextupd ? ASN1_TIME_set(NULL, (time_t)nextupd) : NULL;
	ASN1_TIME *rev = ASN1_TIME_set(NULL, (time_t)thisupd);
	OCSP_RESPONSE *resp;
	long n;

	assert_non_null(id);
	assert_non_null(bs);
	assert_non_null(OCSP_basic_add1_status(bs, id, status,
	    OCSP_REVOKED_STATUS_KEYCOMPROMISE,
	    status == V_OCSP_CERTSTATUS_REVOKED ? rev : NULL, tu, nu));
	assert_int_equal(
	    OCSP_basic_sign(bs, signer, skey, EVP_sha256(), NULL, 0), 1);
	resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	assert_non_null(resp);
	*der = NULL;
	n = i2d_OCSP_RESPONSE(resp, der);
	assert_true(n > 0);
	OCSP_RESPONSE_free(resp);
	OCSP_BASICRESP_free(bs);
	OCSP_CERTID_free(id);
	ASN1_TIME_free(tu);
	ASN1_TIME_free(nu);
	ASN1_TIME_free(rev);
	return n;
}

/*
 * OCSP stapling counts only for a response that parses, is signed for
 * this certificate by its issuer, is current and says good: each way of
 * falling short is refused with its reason.
 */
static void
test_ocsp_staple(void **state)
{
	struct pki *p = *state;
	int64_t now = (int64_t)time(NULL);
	EVP_PKEY *other = EVP_EC_gen("P-256");
	X509 *leaf, *leaf2, *rogue;
	STACK_OF(X509) *chain = sk_X509_new_null(), *bare = sk_X509_new_null();
	unsigned char *der, junk[64];
	const char *why;
	long n;

	p->a = arena_new();
	leaf = mk_cert(p->key, p->ca_key, p->ca, "good", now - DAY,
	    now + 90 * DAY, "DNS:localhost", 1, EVP_sha256());
	leaf2 = mk_cert(p->key, p->ca_key, p->ca, "other", now - DAY,
	    now + 90 * DAY, "DNS:localhost", 1, EVP_sha256());
	rogue = mk_cert(other, other, NULL, "test CA", now - DAY,
	    now + 90 * DAY, NULL, 0, EVP_sha256());
	sk_X509_push(chain, leaf);
	sk_X509_push(chain, p->ca);
	sk_X509_push(bare, leaf);

	/* The compliant twin: good, current, signed by the issuer. */
	n = mk_ocsp(leaf, p->ca, p->ca, p->ca_key, V_OCSP_CERTSTATUS_GOOD,
	    now - 3600, now + 7 * DAY, &der);
	assert_int_equal(
	    tls_ocsp_check(p->a, der, n, chain, p->store, now, &why), 1);
	/* The issuer may be left out of the chain when it is an anchor. */
	assert_int_equal(
	    tls_ocsp_check(p->a, der, n, bare, p->store, now, &why), 1);
	/* Neither in the chain nor trusted: it cannot be matched. */
	{
		X509_STORE *empty = X509_STORE_new();

		assert_int_equal(
		    tls_ocsp_check(p->a, der, n, bare, empty, now, &why), 0);
		assert_non_null(strstr(why, "issuer"));
		X509_STORE_free(empty);
	}
	/* Truncated or trailing bytes. */
	assert_int_equal(
	    tls_ocsp_check(p->a, der, n - 1, chain, p->store, now, &why), 0);
	assert_non_null(strstr(why, "does not parse"));
	/* The same response, weeks later: stale. */
	assert_int_equal(
	    tls_ocsp_check(p->a, der, n, chain, p->store, now + 30 * DAY, &why),
	    0);
	assert_non_null(strstr(why, "stale"));
	OPENSSL_free(der);

	n = mk_ocsp(leaf, p->ca, p->ca, p->ca_key, V_OCSP_CERTSTATUS_REVOKED,
	    now - 3600, now + 7 * DAY, &der);
	assert_int_equal(
	    tls_ocsp_check(p->a, der, n, chain, p->store, now, &why), 0);
	assert_non_null(strstr(why, "revoked"));
	OPENSSL_free(der);

	n = mk_ocsp(leaf, p->ca, p->ca, p->ca_key, V_OCSP_CERTSTATUS_UNKNOWN,
	    now - 3600, now + 7 * DAY, &der);
	assert_int_equal(
	    tls_ocsp_check(p->a, der, n, chain, p->store, now, &why), 0);
	OPENSSL_free(der);

	/* About another certificate of the same CA. */
	n = mk_ocsp(leaf2, p->ca, p->ca, p->ca_key, V_OCSP_CERTSTATUS_GOOD,
	    now - 3600, now + 7 * DAY, &der);
	assert_int_equal(
	    tls_ocsp_check(p->a, der, n, chain, p->store, now, &why), 0);
	assert_non_null(strstr(why, "not about"));
	OPENSSL_free(der);

	/* Signed by a key that is not the issuer's (same name). */
	n = mk_ocsp(leaf, p->ca, rogue, other, V_OCSP_CERTSTATUS_GOOD,
	    now - 3600, now + 7 * DAY, &der);
	assert_int_equal(
	    tls_ocsp_check(p->a, der, n, chain, p->store, now, &why), 0);
	assert_non_null(strstr(why, "signature"));
	OPENSSL_free(der);

	/* No nextUpdate; thisUpdate in the future. */
	n = mk_ocsp(leaf, p->ca, p->ca, p->ca_key, V_OCSP_CERTSTATUS_GOOD,
	    now - 3600, 0, &der);
	assert_int_equal(
	    tls_ocsp_check(p->a, der, n, chain, p->store, now, &why), 0);
	assert_non_null(strstr(why, "nextUpdate"));
	OPENSSL_free(der);
	n = mk_ocsp(leaf, p->ca, p->ca, p->ca_key, V_OCSP_CERTSTATUS_GOOD,
	    now + DAY, now + 7 * DAY, &der);
	assert_int_equal(
	    tls_ocsp_check(p->a, der, n, chain, p->store, now, &why), 0);
	assert_non_null(strstr(why, "future"));
	OPENSSL_free(der);

	/* Any bytes are not a response. */
	memset(junk, 0x30, sizeof(junk));
	assert_int_equal(tls_ocsp_check(p->a, junk, sizeof(junk), chain,
			     p->store, now, &why),
	    0);
	assert_int_equal(
	    tls_ocsp_check(p->a, NULL, 0, chain, p->store, now, &why), 0);

	sk_X509_free(chain);
	sk_X509_free(bare);
	X509_free(leaf);
	X509_free(leaf2);
	X509_free(rogue);
	EVP_PKEY_free(other);
	arena_free(p->a);
}

/* -------------------------------------------------------- evaluation */

static void
rec_ok(struct tls_probe_rec *p, uint16_t ver, uint16_t suite)
{
	memset(p, 0, sizeof(*p));
	p->outcome = TLS_O_OK;
	p->hello = 1;
	p->version = ver;
	p->suite = suite;
	p->ems = p->reneg = 1;
	p->group = 0x0017;
}

static void
rec_set(struct tls_probe_rec *p, enum tls_outcome o)
{
	memset(p, 0, sizeof(*p));
	p->outcome = o;
	p->detail = "test";
}

/* A compliant endpoint's records. */
static void
compliant(struct tls_probe_rec *rec)
{
	size_t i;

	for (i = 0; i < TLS_K_COUNT; i++)
		rec_set(&rec[i], TLS_O_ALERT);
	rec_ok(&rec[TLS_K_TLS13], 0x0304, 0x1301);
	rec[TLS_K_TLS13].ocsp = 1;
	rec_ok(&rec[TLS_K_TLS12], 0x0303, 0xC02F);
	rec_ok(&rec[TLS_K_GROUPS13], 0x0304, 0x1301);
	rec_ok(&rec[TLS_K_GROUPS12], 0x0303, 0xC02F);
	rec_ok(&rec[TLS_K_COMPRESS], 0x0303, 0xC02F);
}

static struct tls_result *
evaluate(struct tls_probe_rec *rec, int citizen)
{
	struct tls_result *r = calloc(1, sizeof(*r));
	struct tls_opts o;

	memset(&o, 0, sizeof(o));
	o.citizen_facing = citizen;
	r->arena = arena_new();
	r->cert.present = 1;
	for (size_t i = TLS_C_CERT_CHAIN; i <= TLS_C_CERT_EKU; i++) {
		r->checks[i].status = TLS_PASS;
		r->checks[i].reason = "test";
	}
	tls_evaluate(r, &o, rec);
	return r;
}

static void
result_free(struct tls_result *r)
{
	arena_free(r->arena);
	free(r);
}

static void
test_eval_compliant(void **state)
{
	struct tls_probe_rec rec[TLS_K_COUNT];
	struct tls_result *r;
	size_t i;

	(void)state;
	compliant(rec);
	r = evaluate(rec, 0);
	for (i = 0; i < TLS_C_COUNT; i++)
		if (r->checks[i].status != TLS_PASS &&
		    r->checks[i].status != TLS_NA)
			fail_msg("%s: %s (%s)", tls_checks[i].name,
			    tls_status_name(r->checks[i].status),
			    r->checks[i].reason);
	assert_int_equal(r->status, TLS_PASS);
	result_free(r);
}

static void
test_eval_never_false_pass(void **state)
{
	struct tls_probe_rec rec[TLS_K_COUNT];
	struct tls_result *r;

	(void)state;
	/* Our library refused TLS 1.0 before any reply: error, not pass. */
	compliant(rec);
	rec_set(&rec[TLS_K_TLS10], TLS_O_LOCAL);
	r = evaluate(rec, 0);
	assert_int_equal(r->checks[TLS_C_TLS10].status, TLS_ERROR);
	assert_int_equal(r->status, TLS_ERROR);
	result_free(r);

	/* The server selected TLS 1.0, then our library refused: fail. */
	compliant(rec);
	rec_set(&rec[TLS_K_TLS10], TLS_O_LOCAL);
	rec[TLS_K_TLS10].hello = 1;
	rec[TLS_K_TLS10].version = 0x0301;
	r = evaluate(rec, 0);
	assert_int_equal(r->checks[TLS_C_TLS10].status, TLS_FAIL);
	result_free(r);

	/* OpenSSL's TLS 1.0 hello refused, the raw one accepted: fail. */
	compliant(rec);
	rec_ok(&rec[TLS_K_RAW10], 0x0301, 0x000A);
	r = evaluate(rec, 0);
	assert_int_equal(r->checks[TLS_C_TLS10].status, TLS_FAIL);
	result_free(r);

	/* The raw TLS 1.0 hello timed out: cannot tell, error. */
	compliant(rec);
	rec_set(&rec[TLS_K_RAW10], TLS_O_TIMEOUT);
	r = evaluate(rec, 0);
	assert_int_equal(r->checks[TLS_C_TLS10].status, TLS_ERROR);
	result_free(r);

	/* Weak-suite probe got garbage: the cipher check is an error. */
	compliant(rec);
	rec_set(&rec[TLS_K_WEAK], TLS_O_PROTOCOL);
	r = evaluate(rec, 0);
	assert_int_equal(r->checks[TLS_C_CIPHER_WEAK].status, TLS_ERROR);
	result_free(r);

	/* TLS 1.1 accepted: fail, or warn when citizen-facing. */
	compliant(rec);
	rec_ok(&rec[TLS_K_TLS11], 0x0302, 0xC013);
	r = evaluate(rec, 0);
	assert_int_equal(r->checks[TLS_C_TLS11].status, TLS_FAIL);
	result_free(r);
	r = evaluate(rec, 1);
	assert_int_equal(r->checks[TLS_C_TLS11].status, TLS_WARN);
	result_free(r);

	/* Compression chosen by the server: fail. */
	compliant(rec);
	rec[TLS_K_COMPRESS].compression = 1;
	r = evaluate(rec, 0);
	assert_int_equal(r->checks[TLS_C_EXT_COMPRESSION].status, TLS_FAIL);
	result_free(r);

	/* X25519 only in TLS 1.3: flagged (warn) per the group table. */
	compliant(rec);
	rec[TLS_K_TLS13].group = 0x001D;
	rec_set(&rec[TLS_K_GROUPS13], TLS_O_ALERT);
	r = evaluate(rec, 0);
	assert_int_equal(r->checks[TLS_C_KX_GROUPS].status, TLS_WARN);
	result_free(r);
}

static void
test_eval_silent_endpoint(void **state)
{
	struct tls_probe_rec rec[TLS_K_COUNT];
	struct tls_result *r;
	size_t i;

	(void)state;
	for (i = 0; i < TLS_K_COUNT; i++)
		rec_set(&rec[i], i < 3 ? TLS_O_TIMEOUT : TLS_O_NONE);
	r = evaluate(rec, 0);
	r->cert.present = 0;
	assert_int_equal(r->status, TLS_ERROR);
	assert_non_null(r->error);
	for (i = 0; i < TLS_C_COUNT; i++)
		assert_int_equal(r->checks[i].status, TLS_ERROR);
	result_free(r);

	/* Closed after every ClientHello: no TLS answer, still error. */
	for (i = 0; i < TLS_K_COUNT; i++)
		rec_set(&rec[i], TLS_O_CLOSED);
	r = evaluate(rec, 0);
	assert_int_equal(r->status, TLS_ERROR);
	result_free(r);
}

/* ----------------------------------------- Certificate after ServerHello */

/* Append a handshake message (type, 24-bit length, body) to b at n. */
static size_t
hs_msg(
    unsigned char *b, size_t n, int type, const unsigned char *body, size_t len)
{
	b[n++] = (unsigned char)type;
	b[n++] = (unsigned char)(len >> 16);
	b[n++] = (unsigned char)(len >> 8);
	b[n++] = (unsigned char)len;
	memcpy(b + n, body, len);
	return n + len;
}

/* A Certificate message body for der[0..n). */
static size_t
cert_body(unsigned char *b, unsigned char *const *der, const int *len, size_t n)
{
	size_t o = 3, i, total;

	for (i = 0; i < n; i++) {
		b[o++] = (unsigned char)(len[i] >> 16);
		b[o++] = (unsigned char)(len[i] >> 8);
		b[o++] = (unsigned char)len[i];
		memcpy(b + o, der[i], (size_t)len[i]);
		o += (size_t)len[i];
	}
	total = o - 3;
	b[0] = (unsigned char)(total >> 16);
	b[1] = (unsigned char)(total >> 8);
	b[2] = (unsigned char)total;
	return o;
}

/* Records of at most `chunk` bytes each carrying msg. */
static size_t
chunked(unsigned char *out, const unsigned char *msg, size_t n, size_t chunk)
{
	size_t o = 0, off = 0, part;

	while (off < n) {
		part = n - off < chunk ? n - off : chunk;
		out[o++] = 22;
		out[o++] = 3;
		out[o++] = 1;
		out[o++] = (unsigned char)(part >> 8);
		out[o++] = (unsigned char)part;
		memcpy(out + o, msg + off, part);
		o += part;
		off += part;
	}
	return o;
}

static void
test_certificate_message(void **state)
{
	struct pki *p = *state;
	static const unsigned char done[1] = { 0 };
	unsigned char *der[TLS_CERTS_MAX + 1], *hs, *msg, *rec, *body;
	int len[TLS_CERTS_MAX + 1];
	struct tls_cert_list cl;
	const unsigned char *q;
	size_t n, blen, rlen, i, hscap = 1 << 17;
	X509 *leaf, *x;

	p->a = arena_new();
	leaf = mk_cert(p->key, p->ca_key, p->ca, "raw", T0, T0 + 90 * DAY,
	    "DNS:localhost", 1, EVP_sha256());
	der[0] = der[1] = NULL;
	len[0] = i2d_X509(leaf, &der[0]);
	len[1] = i2d_X509(p->ca, &der[1]);
	assert_true(len[0] > 0 && len[1] > 0);
	hs = malloc(hscap);
	msg = malloc(hscap);
	rec = malloc(hscap * 2);
	body = malloc(hscap);

	/* ServerHello, Certificate (leaf, CA), ServerHelloDone. */
	n = server_hello(msg, 0x0301, 0x000A, 0, NULL, 0, 0);
	blen = cert_body(body, der, len, 2);
	n = hs_msg(msg, n, 11, body, blen);
	n = hs_msg(msg, n, 14, done, 0);
	rlen = chunked(rec, msg, n, 16384);
	assert_int_equal(
	    tls_certificate_parse(rec, rlen, hs, hscap, &cl), TLS_CERTS_FOUND);
	assert_int_equal(cl.n, 2);
	q = cl.der[0];
	x = d2i_X509(NULL, &q, (long)cl.len[0]);
	assert_non_null(x);
	assert_int_equal(X509_cmp(x, leaf), 0);
	X509_free(x);
	/* Split into 7-byte records: every prefix short of the Certificate
	 * needs more, and nothing past len is read. */
	rlen = chunked(rec, msg, n, 7);
	assert_int_equal(
	    tls_certificate_parse(rec, rlen, hs, hscap, &cl), TLS_CERTS_FOUND);
	for (i = 0; i < rlen - 12; i += 13)
		assert_int_equal(tls_certificate_parse(rec, i, hs, hscap, &cl),
		    TLS_CERTS_NEED_MORE);
	/* The scratch is bounded: too small is malformed, not overrun. */
	assert_int_equal(tls_certificate_parse(rec, rlen, hs, 600, &cl),
	    TLS_CERTS_MALFORMED);

	/* No Certificate (anonymous suite): ServerHello, ServerHelloDone. */
	n = server_hello(msg, 0x0301, 0x0018, 0, NULL, 0, 0);
	n = hs_msg(msg, n, 14, done, 0);
	rlen = chunked(rec, msg, n, 16384);
	assert_int_equal(
	    tls_certificate_parse(rec, rlen, hs, hscap, &cl), TLS_CERTS_ABSENT);
	assert_non_null(cl.why);
	/* An alert after the ServerHello. */
	n = server_hello(msg, 0x0301, 0x000A, 0, NULL, 0, 0);
	rlen = chunked(rec, msg, n, 16384);
	memcpy(rec + rlen, "\x15\x03\x01\x00\x02\x02\x28", 7);
	assert_int_equal(tls_certificate_parse(rec, rlen + 7, hs, hscap, &cl),
	    TLS_CERTS_ABSENT);
	/* More certificates than the chain limit. */
	OPENSSL_free(der[0]);
	for (i = 0; i <= TLS_CERTS_MAX; i++) {
		der[i] = der[1];
		len[i] = len[1];
	}
	der[0] = der[1];
	blen = cert_body(body, der, len, TLS_CERTS_MAX + 1);
	n = server_hello(msg, 0x0301, 0x000A, 0, NULL, 0, 0);
	n = hs_msg(msg, n, 11, body, blen);
	rlen = chunked(rec, msg, n, 16384);
	assert_int_equal(tls_certificate_parse(rec, rlen, hs, hscap, &cl),
	    TLS_CERTS_MALFORMED);
	/* A list length that disagrees with the message length. */
	blen = cert_body(body, der, len, 1);
	body[2] ^= 1;
	n = server_hello(msg, 0x0301, 0x000A, 0, NULL, 0, 0);
	n = hs_msg(msg, n, 11, body, blen);
	rlen = chunked(rec, msg, n, 16384);
	assert_int_equal(tls_certificate_parse(rec, rlen, hs, hscap, &cl),
	    TLS_CERTS_MALFORMED);
	/* Past the peer certificate list limit, decided from the header. */
	n = server_hello(msg, 0x0301, 0x000A, 0, NULL, 0, 0);
	msg[n] = 11;
	msg[n + 1] = (TLS_CERT_LIST_MAX + 1) >> 16;
	msg[n + 2] = (unsigned char)((TLS_CERT_LIST_MAX + 1) >> 8);
	msg[n + 3] = (unsigned char)(TLS_CERT_LIST_MAX + 1);
	rlen = chunked(rec, msg, n + 4, 16384);
	assert_int_equal(tls_certificate_parse(rec, rlen, hs, hscap, &cl),
	    TLS_CERTS_MALFORMED);

	OPENSSL_free(der[1]);
	free(hs);
	free(msg);
	free(rec);
	free(body);
	X509_free(leaf);
	arena_free(p->a);
}

/* ---------------------------------------------------- prober, sockets */

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void
test_scan_deadlines_and_fds(void **state)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	struct tls_target t[3];
	struct tls_result *res = NULL;
	struct tls_opts o;
	struct diag d;
	char cafile[] = "/tmp/rampart-tls-ca.XXXXXX";
	int ls, closed, before, fd;
	uint16_t lport, cport;
	struct timespec a, b;
	double el;
	FILE *fp;
	struct pki *p = *state;

	diag_init(&d);
	/* A listener that never accepts: the kernel completes the TCP
	 * handshake, then nothing ever answers. */
	ls = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(ls, 16), 0);
	getsockname(ls, (struct sockaddr *)&sa, &sl);
	lport = ntohs(sa.sin_port);
	/* A port nobody listens on. */
	closed = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_port = 0;
	bind(closed, (struct sockaddr *)&sa, sizeof(sa));
	sl = sizeof(sa);
	getsockname(closed, (struct sockaddr *)&sa, &sl);
	cport = ntohs(sa.sin_port);
	close(closed);

	assert_true((fd = mkstemp(cafile)) >= 0);
	fp = fdopen(fd, "w");
	PEM_write_X509(fp, p->ca);
	fclose(fp);

	memset(t, 0, sizeof(t));
	t[0].host = t[1].host = t[2].host = "127.0.0.1";
	t[0].is_ip = t[1].is_ip = t[2].is_ip = 1;
	t[0].port = lport;
	t[1].port = cport;
	t[2].port = lport;
	memset(&o, 0, sizeof(o));
	o.ca_file = cafile;
	o.connect_timeout_ms = 300;
	o.handshake_timeout_ms = 300;
	before = count_fds();
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(tls_scan(&o, t, 3, &res, &d), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	el = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	unlink(cafile);
	assert_int_equal(count_fds(), before);
	/* One phase of parallel probes, then stop: well under 3 x 300 ms. */
	assert_true(el < 0.9);
	assert_int_equal(res[0].status, TLS_ERROR);
	assert_non_null(strstr(res[0].error, "timeout"));
	assert_int_equal(res[1].status, TLS_ERROR);
	assert_non_null(strstr(res[1].error, "refused"));
	assert_int_equal(res[2].status, TLS_ERROR);
	assert_int_equal(res[0].nprobes, 3);
	/* The address that connected is evidence; none for a refusal. */
	assert_string_equal(res[0].address, "127.0.0.1");
	assert_null(res[1].address);
	assert_int_equal(res[1].naddresses, 1);
	tls_results_free(res, 3);
	close(ls);
	diag_free(&d);
}

struct order {
	size_t seen[64];
	size_t n;
	size_t stop_at; /* return -1 on this index */
	int bad_address;
};

static int
on_result(void *ctx, size_t idx, struct tls_result *r)
{
	struct order *o = ctx;

	o->seen[o->n++] = idx;
	if (r->naddresses != 1 || strcmp(r->addresses[0], "127.0.0.1") != 0 ||
	    r->address != NULL || r->status != TLS_ERROR)
		o->bad_address = 1;
	return idx == o->stop_at ? -1 : 0;
}

static void
test_scan_each_order(void **state)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	struct tls_target t[40];
	struct tls_opts o;
	struct order ord;
	struct diag d;
	size_t i;
	int closed, before;

	(void)state;
	diag_init(&d);
	closed = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(closed, (struct sockaddr *)&sa, sizeof(sa));
	getsockname(closed, (struct sockaddr *)&sa, &sl);
	close(closed);
	memset(t, 0, sizeof(t));
	for (i = 0; i < 40; i++) {
		t[i].host = "127.0.0.1";
		t[i].is_ip = 1;
		t[i].port = ntohs(sa.sin_port);
	}
	memset(&o, 0, sizeof(o));
	o.concurrency = 6;
	o.per_host = 6;
	o.window = 3;
	o.connect_timeout_ms = 500;
	memset(&ord, 0, sizeof(ord));
	ord.stop_at = (size_t)-1;
	before = count_fds();
	/* Every target once, in target order, whatever finished first. */
	assert_int_equal(tls_scan_each(&o, t, 40, on_result, &ord, &d), 0);
	assert_int_equal(ord.n, 40);
	for (i = 0; i < 40; i++)
		assert_int_equal(ord.seen[i], i);
	assert_false(ord.bad_address);
	/* A callback that fails stops the scan: nothing after it, no leak. */
	memset(&ord, 0, sizeof(ord));
	ord.stop_at = 5;
	assert_int_equal(tls_scan_each(&o, t, 40, on_result, &ord, &d), -1);
	assert_int_equal(ord.n, 6);
	assert_int_equal(count_fds(), before);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_tables),
		cmocka_unit_test(test_policy_lookup),
		cmocka_unit_test(test_hello_build),
		cmocka_unit_test(test_hello_ssl2),
		cmocka_unit_test(test_reply_server_hello),
		cmocka_unit_test(test_reply_tls13_and_hrr),
		cmocka_unit_test(test_reply_alert_and_garbage),
		cmocka_unit_test(test_target_parse),
		cmocka_unit_test(test_targets_file),
		cmocka_unit_test_setup_teardown(
		    test_cert_good_and_clock, pki_setup, pki_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cert_bad, pki_setup, pki_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cert_pss_digest, pki_setup, pki_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cert_chain_purpose, pki_setup, pki_teardown),
		cmocka_unit_test_setup_teardown(
		    test_ocsp_staple, pki_setup, pki_teardown),
		cmocka_unit_test(test_eval_compliant),
		cmocka_unit_test(test_eval_never_false_pass),
		cmocka_unit_test(test_eval_silent_endpoint),
		cmocka_unit_test_setup_teardown(
		    test_certificate_message, pki_setup, pki_teardown),
		cmocka_unit_test_setup_teardown(
		    test_scan_deadlines_and_fds, pki_setup, pki_teardown),
		cmocka_unit_test(test_scan_each_order),
	};

	RUN_TESTS("tls", tests, argc, argv);
}
