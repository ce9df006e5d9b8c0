/*
 * policy.c: NIST SP 800-52 Rev 2 as data.  Protocols, cipher suites,
 * named groups, certificate limits and the check table, each row with the
 * section it comes from.  A revision of the guideline is an edit of this
 * file only: the prober and the evaluation read these tables and hold no
 * thresholds of their own.
 *
 * Section numbers refer to SP 800-52 Rev 2 (August 2019): §3.1 protocol
 * versions, §3.2.1 server certificate profile, §3.2.3 certificate
 * assurance, §3.3.1.1 / §3.3.1.2 cipher suites for TLS 1.2 / 1.3,
 * §3.4.1.x mandatory extensions, §3.7 compression.
 */
#include <stdlib.h>
#include <strings.h>

#include "checks/tls/tls.h"

#define R31 "SP 800-52r2 §3.1"
#define R3311 "SP 800-52r2 §3.3.1.1"
#define R3312 "SP 800-52r2 §3.3.1.2"

const struct tls_protocol tls_protocols[TLS_P_COUNT] = {
	{ TLS_P_SSL2, "SSL 2.0", "ssl2", 0x0002, TLS_PROTO_FORBIDDEN, R31 },
	{ TLS_P_SSL3, "SSL 3.0", "ssl3", 0x0300, TLS_PROTO_FORBIDDEN, R31 },
	{ TLS_P_TLS10, "TLS 1.0", "tls1_0", 0x0301, TLS_PROTO_FORBIDDEN, R31 },
	{ TLS_P_TLS11, "TLS 1.1", "tls1_1", 0x0302, TLS_PROTO_LEGACY, R31 },
	{ TLS_P_TLS12, "TLS 1.2", "tls1_2", 0x0303, TLS_PROTO_REQUIRED, R31 },
	/* Required since 2024-01-01 (§3.1). */
	{ TLS_P_TLS13, "TLS 1.3", "tls1_3", 0x0304, TLS_PROTO_REQUIRED, R31 },
};

#define A TLS_SUITE_APPROVED
#define K TLS_SUITE_RSA_KX
#define W TLS_SUITE_WEAK
#define RC4 TLS_WEAK_RC4
#define TDES TLS_WEAK_3DES
#define DES TLS_WEAK_DES
#define NUL TLS_WEAK_NULL
#define ANON TLS_WEAK_ANON
#define EXP TLS_WEAK_EXPORT
#define MD5 TLS_WEAK_MD5

/*
 * Sorted by code.  Approved (A) and RSA key transport (K) rows are the
 * §3.3.1 lists; weak (W) rows are the suites the hand-built ClientHello
 * offers because stock OpenSSL cannot (raw = 1).  A suite absent from the
 * table is not approved.
 */
const struct tls_suite tls_suites[] = {
	{ 0x0001, "TLS_RSA_WITH_NULL_MD5", W, NUL | MD5, 1, R3311 },
	{ 0x0002, "TLS_RSA_WITH_NULL_SHA", W, NUL, 1, R3311 },
	{ 0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", W, EXP | RC4 | MD5, 1,
	    R3311 },
	{ 0x0004, "TLS_RSA_WITH_RC4_128_MD5", W, RC4 | MD5, 1, R3311 },
	{ 0x0005, "TLS_RSA_WITH_RC4_128_SHA", W, RC4, 1, R3311 },
	{ 0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", W,
	    EXP | TLS_WEAK_RC2 | MD5, 1, R3311 },
	{ 0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA", W, TLS_WEAK_IDEA, 1, R3311 },
	{ 0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", W, EXP | DES, 1, R3311 },
	{ 0x0009, "TLS_RSA_WITH_DES_CBC_SHA", W, DES, 1, R3311 },
	{ 0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", W, TDES, 1, R3311 },
	{ 0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", W, EXP | DES, 1,
	    R3311 },
	{ 0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA", W, DES, 1, R3311 },
	{ 0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", W, TDES, 1, R3311 },
	{ 0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", W, EXP | DES, 1,
	    R3311 },
	{ 0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA", W, DES, 1, R3311 },
	{ 0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", W, TDES, 1, R3311 },
	{ 0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", W,
	    ANON | EXP | RC4 | MD5, 1, R3311 },
	{ 0x0018, "TLS_DH_anon_WITH_RC4_128_MD5", W, ANON | RC4 | MD5, 1,
	    R3311 },
	{ 0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA", W, ANON | EXP | DES,
	    1, R3311 },
	{ 0x001A, "TLS_DH_anon_WITH_DES_CBC_SHA", W, ANON | DES, 1, R3311 },
	{ 0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA", W, ANON | TDES, 1,
	    R3311 },
	{ 0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", K, 0, 0, R3311 },
	{ 0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", A, 0, 0, R3311 },
	{ 0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", A, 0, 0, R3311 },
	{ 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", K, 0, 0, R3311 },
	{ 0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", A, 0, 0, R3311 },
	{ 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", A, 0, 0, R3311 },
	{ 0x003B, "TLS_RSA_WITH_NULL_SHA256", W, NUL, 1, R3311 },
	{ 0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", K, 0, 0, R3311 },
	{ 0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", K, 0, 0, R3311 },
	{ 0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", A, 0, 0, R3311 },
	{ 0x0062, "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA", W, EXP | DES, 1,
	    R3311 },
	{ 0x0064, "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA", W, EXP | RC4, 1,
	    R3311 },
	{ 0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", A, 0, 0, R3311 },
	{ 0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", A, 0, 0, R3311 },
	{ 0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", A, 0, 0, R3311 },
	{ 0x0096, "TLS_RSA_WITH_SEED_CBC_SHA", W, TLS_WEAK_SEED, 1, R3311 },
	{ 0x0099, "TLS_DHE_DSS_WITH_SEED_CBC_SHA", W, TLS_WEAK_SEED, 1, R3311 },
	{ 0x009A, "TLS_DHE_RSA_WITH_SEED_CBC_SHA", W, TLS_WEAK_SEED, 1, R3311 },
	{ 0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", K, 0, 0, R3311 },
	{ 0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", K, 0, 0, R3311 },
	{ 0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", A, 0, 0, R3311 },
	{ 0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", A, 0, 0, R3311 },
	{ 0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", A, 0, 0, R3311 },
	{ 0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", A, 0, 0, R3311 },
	{ 0x1301, "TLS_AES_128_GCM_SHA256", A, 0, 0, R3312 },
	{ 0x1302, "TLS_AES_256_GCM_SHA384", A, 0, 0, R3312 },
	/* Not in §3.3.1.2; ChaCha20-Poly1305 is not FIPS-approved. */
	{ 0x1303, "TLS_CHACHA20_POLY1305_SHA256", TLS_SUITE_NOT_FIPS, 0, 0,
	    R3312 },
	{ 0x1304, "TLS_AES_128_CCM_SHA256", A, 0, 0, R3312 },
	{ 0x1305, "TLS_AES_128_CCM_8_SHA256", A, 0, 0, R3312 },
	{ 0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA", W, NUL, 1, R3311 },
	{ 0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", W, RC4, 1, R3311 },
	{ 0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", W, TDES, 1, R3311 },
	{ 0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", A, 0, 0, R3311 },
	{ 0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", A, 0, 0, R3311 },
	{ 0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA", W, NUL, 1, R3311 },
	{ 0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA", W, RC4, 1, R3311 },
	{ 0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", W, TDES, 1, R3311 },
	{ 0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", A, 0, 0, R3311 },
	{ 0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", A, 0, 0, R3311 },
	{ 0xC016, "TLS_ECDH_anon_WITH_RC4_128_SHA", W, ANON | RC4, 1, R3311 },
	{ 0xC017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA", W, ANON | TDES, 1,
	    R3311 },
	{ 0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", A, 0, 0, R3311 },
	{ 0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", A, 0, 0, R3311 },
	{ 0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", A, 0, 0, R3311 },
	{ 0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", A, 0, 0, R3311 },
	{ 0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", A, 0, 0, R3311 },
	{ 0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", A, 0, 0, R3311 },
	{ 0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", A, 0, 0, R3311 },
	{ 0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", A, 0, 0, R3311 },
	{ 0xC09C, "TLS_RSA_WITH_AES_128_CCM", K, 0, 0, R3311 },
	{ 0xC09D, "TLS_RSA_WITH_AES_256_CCM", K, 0, 0, R3311 },
	{ 0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM", A, 0, 0, R3311 },
	{ 0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM", A, 0, 0, R3311 },
	{ 0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8", K, 0, 0, R3311 },
	{ 0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8", K, 0, 0, R3311 },
	{ 0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8", A, 0, 0, R3311 },
	{ 0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8", A, 0, 0, R3311 },
	{ 0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", A, 0, 0, R3311 },
	{ 0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", A, 0, 0, R3311 },
	{ 0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", A, 0, 0, R3311 },
	{ 0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", A, 0, 0, R3311 },
};

const size_t tls_nsuites = sizeof(tls_suites) / sizeof(tls_suites[0]);

/*
 * SSL 2.0 cipher kinds (3 bytes each): RC4-MD5, RC4-EXPORT40, RC2-CBC,
 * RC2-EXPORT40, IDEA-CBC, DES-CBC, DES-EDE3-CBC.  Any of them is weak; an
 * SSL 2.0 server hello at all fails the protocol check.
 */
const uint32_t tls_ssl2_specs[] = { 0x010080, 0x020080, 0x030080, 0x040080,
	0x050080, 0x060040, 0x0700c0 };
const size_t tls_nssl2_specs =
    sizeof(tls_ssl2_specs) / sizeof(tls_ssl2_specs[0]);

#define RG "SP 800-52r2 §3.4.1.6"

/*
 * Named groups, sorted by code.  X25519 and X448 are not approved for key
 * establishment by the policy (SP 800-56A Rev 3 has no Montgomery curves);
 * a server that offers only them is flagged.
 */
const struct tls_group tls_groups[] = {
	{ 0x0017, "secp256r1", "P-256", TLS_PASS, RG },
	{ 0x0018, "secp384r1", "P-384", TLS_PASS, RG },
	{ 0x0019, "secp521r1", "P-521", TLS_PASS, RG },
	{ 0x001D, "x25519", "X25519", TLS_WARN, RG },
	{ 0x001E, "x448", "X448", TLS_WARN, RG },
	{ 0x0100, "ffdhe2048", "ffdhe2048", TLS_PASS, RG },
	{ 0x0101, "ffdhe3072", "ffdhe3072", TLS_PASS, RG },
	{ 0x0102, "ffdhe4096", "ffdhe4096", TLS_PASS, RG },
	{ 0x0103, "ffdhe6144", "ffdhe6144", TLS_PASS, RG },
	{ 0x0104, "ffdhe8192", "ffdhe8192", TLS_PASS, RG },
};

const size_t tls_ngroups = sizeof(tls_groups) / sizeof(tls_groups[0]);

#define CT "SC-8, SC-8(1), SC-13"
#define CC "SC-17, SC-23, IA-5(2)"
#define CK "SC-12, SC-13"

const struct tls_check tls_checks[TLS_C_COUNT] = {
	{ TLS_C_SSL2, "protocol.ssl2", "SSL 2.0 not accepted", TLS_FAIL, R31,
	    CT },
	{ TLS_C_SSL3, "protocol.ssl3", "SSL 3.0 not accepted", TLS_FAIL, R31,
	    CT },
	{ TLS_C_TLS10, "protocol.tls1_0", "TLS 1.0 not accepted", TLS_FAIL, R31,
	    CT },
	{ TLS_C_TLS11, "protocol.tls1_1", "TLS 1.1 not accepted", TLS_FAIL, R31,
	    CT },
	{ TLS_C_TLS12, "protocol.tls1_2", "TLS 1.2 supported", TLS_FAIL, R31,
	    CT },
	{ TLS_C_TLS13, "protocol.tls1_3", "TLS 1.3 supported", TLS_FAIL, R31,
	    CT },
	{ TLS_C_CIPHER_WEAK, "cipher.approved",
	    "only cipher suites of §3.3.1 accepted", TLS_FAIL,
	    "SP 800-52r2 §3.3.1", CT },
	{ TLS_C_CIPHER_RSA_KX, "cipher.rsa_key_transport",
	    "no RSA key transport suites", TLS_WARN, R3311, CK },
	{ TLS_C_CIPHER_CHACHA, "cipher.tls13_fips",
	    "TLS 1.3 suites are FIPS-approved", TLS_WARN, R3312, "SC-13" },
	{ TLS_C_KX_DHE, "kex.dhe_size",
	    "ephemeral DH groups of 2048 bits or more", TLS_FAIL,
	    "SP 800-52r2 §3.3.1.1", CK },
	{ TLS_C_KX_GROUPS, "kex.named_groups", "approved named groups",
	    TLS_FAIL, RG, CK },
	{ TLS_C_CERT_CHAIN, "cert.chain",
	    "certificate chains to a trust anchor", TLS_FAIL,
	    "SP 800-52r2 §3.2.3", CC },
	{ TLS_C_CERT_HOSTNAME, "cert.hostname",
	    "certificate subjectAltName matches the host", TLS_FAIL,
	    "SP 800-52r2 §3.2.1", CC },
	{ TLS_C_CERT_VALIDITY, "cert.validity",
	    "certificate currently valid, lifetime within policy", TLS_FAIL,
	    "SP 800-52r2 §3.2.1", CC },
	{ TLS_C_CERT_KEY, "cert.key", "certificate key strength", TLS_FAIL,
	    "SP 800-52r2 §3.2.1", CK },
	{ TLS_C_CERT_SIGALG, "cert.signature",
	    "certificate signatures without SHA-1 or MD5", TLS_FAIL,
	    "SP 800-52r2 §3.2.1", CC },
	{ TLS_C_CERT_EKU, "cert.eku",
	    "certificate extendedKeyUsage includes serverAuth", TLS_FAIL,
	    "SP 800-52r2 §3.2.1", CC },
	{ TLS_C_EXT_EMS, "ext.extended_master_secret",
	    "extended master secret (RFC 7627)", TLS_FAIL,
	    "SP 800-52r2 §3.4.1.3", CT },
	{ TLS_C_EXT_RENEG, "ext.secure_renegotiation",
	    "secure renegotiation (RFC 5746)", TLS_FAIL, "SP 800-52r2 §3.4.1.1",
	    CT },
	{ TLS_C_EXT_COMPRESSION, "ext.no_compression",
	    "TLS compression not accepted", TLS_FAIL, "SP 800-52r2 §3.7", CT },
	{ TLS_C_EXT_OCSP, "ext.ocsp_stapling", "OCSP stapling", TLS_WARN,
	    "SP 800-52r2 §3.4.1.5", CC },
};

static const char *const ec_curves[] = { "prime256v1", "secp384r1" };
static const char *const weak_digests[] = { "MD2", "MD4", "MD5", "SHA1" };

const struct tls_cert_policy tls_cert_policy = {
	.min_rsa_bits = 2048,
	.min_dhe_bits = 2048,
	.ec_curves = ec_curves,
	.nec_curves = sizeof(ec_curves) / sizeof(ec_curves[0]),
	/* Not an 800-52r2 number: the CA/Browser Forum limit (BR §6.3.2). */
	.max_lifetime_days = 398,
	.expiry_warn_days = 30,
	.weak_digests = weak_digests,
	.nweak_digests = sizeof(weak_digests) / sizeof(weak_digests[0]),
	.key_ref = "SP 800-52r2 §3.2.1",
	.sig_ref = "SP 800-52r2 §3.2.1",
	.lifetime_ref = "CA/B Forum BR §6.3.2",
	.dhe_ref = "SP 800-52r2 §3.3.1.1",
};

static int
suite_cmp(const void *key, const void *elem)
{
	uint16_t k = *(const uint16_t *)key;
	const struct tls_suite *s = elem;

	return k < s->code ? -1 : k > s->code;
}

const struct tls_suite *
tls_suite_find(uint16_t code)
{
	return bsearch(
	    &code, tls_suites, tls_nsuites, sizeof(tls_suites[0]), suite_cmp);
}

enum tls_suite_class
tls_suite_class_of(uint16_t code)
{
	const struct tls_suite *s = tls_suite_find(code);

	return s != NULL ? s->cls : TLS_SUITE_WEAK;
}

static int
group_cmp(const void *key, const void *elem)
{
	uint16_t k = *(const uint16_t *)key;
	const struct tls_group *g = elem;

	return k < g->code ? -1 : k > g->code;
}

const struct tls_group *
tls_group_find(uint16_t code)
{
	return bsearch(
	    &code, tls_groups, tls_ngroups, sizeof(tls_groups[0]), group_cmp);
}

const struct tls_group *
tls_group_by_name(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < tls_ngroups; i++)
		if (strcasecmp(s, tls_groups[i].name) == 0 ||
		    strcasecmp(s, tls_groups[i].ossl) == 0)
			return &tls_groups[i];
	return NULL;
}

const char *
tls_status_name(enum tls_status s)
{
	switch (s) {
	case TLS_NA:
		return "not_applicable";
	case TLS_PASS:
		return "pass";
	case TLS_WARN:
		return "warn";
	case TLS_ERROR:
		return "error";
	case TLS_FAIL:
		return "fail";
	}
	return "error";
}
