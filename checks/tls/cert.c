/*
 * cert.c: the server certificate checks of §3.2.1 and §3.2.3.  The chain
 * is verified here with an X509_STORE_CTX of our own, never taken from the
 * handshake (which runs with SSL_VERIFY_NONE so that a bad certificate is
 * still seen and described), and every check reads the clock it is given,
 * so tests can set the time.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "checks/tls/tls.h"

#define VERIFY_DEPTH 8

static void
set(struct tls_check_result *c, enum tls_status s, const char *reason)
{
	c->status = s;
	c->reason = reason;
}

/* ASN1_TIME to epoch seconds; 0 or -1. */
static int
asn1_epoch(const ASN1_TIME *t, int64_t *out)
{
	ASN1_TIME *epoch = NULL;
	int day, sec, rc = -1;

	if (t == NULL || (epoch = ASN1_TIME_set(NULL, 0)) == NULL)
		return -1;
	if (ASN1_TIME_diff(&day, &sec, epoch, t) == 1) {
		*out = (int64_t)day * 86400 + sec;
		rc = 0;
	}
	ASN1_TIME_free(epoch);
	return rc;
}

static const char *
name_str(struct arena *a, const X509_NAME *n)
{
	BIO *b = NULL;
	char *p;
	long len;
	const char *s = NULL;

	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (X509_NAME_print_ex(
		b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0)
		goto out;
	len = BIO_get_mem_data(b, &p);
	s = arena_strndup(a, p, len > 0 ? (size_t)len : 0);
out:
	BIO_free(b);
	return s;
}

static int
collect_sans(struct arena *a, X509 *x, struct tls_cert_info *info)
{
	GENERAL_NAMES *gens = NULL;
	const GENERAL_NAME *g;
	const unsigned char *ip;
	char buf[INET6_ADDRSTRLEN];
	int i, n, rc = -1;
	const char *s;

	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	if (gens == NULL)
		return 0;
	n = sk_GENERAL_NAME_num(gens);
	if (n > 256)
		n = 256;
	info->sans = arena_alloc(a, sizeof(*info->sans) * (size_t)(n + 1));
	if (info->sans == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		g = sk_GENERAL_NAME_value(gens, i);
		s = NULL;
		if (g->type == GEN_DNS)
			s = arena_printf(a, "DNS:%.*s",
			    ASN1_STRING_length(g->d.dNSName),
			    (const char *)ASN1_STRING_get0_data(g->d.dNSName));
		else if (g->type == GEN_IPADD) {
			ip = ASN1_STRING_get0_data(g->d.iPAddress);
			if (ASN1_STRING_length(g->d.iPAddress) == 4 &&
			    inet_ntop(AF_INET, ip, buf, sizeof(buf)))
				s = arena_printf(a, "IP:%s", buf);
			else if (ASN1_STRING_length(g->d.iPAddress) == 16 &&
			    inet_ntop(AF_INET6, ip, buf, sizeof(buf)))
				s = arena_printf(a, "IP:%s", buf);
		}
		if (s != NULL)
			info->sans[info->nsans++] = s;
	}
	rc = 0;
out:
	GENERAL_NAMES_free(gens);
	return rc;
}

/* Key type, size and curve of a certificate's public key. */
static void
describe_key(struct arena *a, X509 *x, struct tls_cert_info *info)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	char curve[64];
	size_t clen = 0;

	if (pk == NULL) {
		info->key_type = "unknown";
		return;
	}
	info->key_bits = EVP_PKEY_get_bits(pk);
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
		info->key_type = "RSA";
		break;
	case EVP_PKEY_RSA_PSS:
		info->key_type = "RSA-PSS";
		break;
	case EVP_PKEY_EC:
		info->key_type = "EC";
		if (EVP_PKEY_get_utf8_string_param(pk,
			OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof(curve),
			&clen) == 1)
			info->key_curve = arena_strndup(a, curve, clen);
		break;
	case EVP_PKEY_ED25519:
		info->key_type = "ED25519";
		break;
	case EVP_PKEY_ED448:
		info->key_type = "ED448";
		break;
	case EVP_PKEY_DSA:
		info->key_type = "DSA";
		break;
	default:
		info->key_type = "unknown";
	}
}

/*
 * Time errors on the leaf belong to the validity check, which reports
 * them with dates; the chain check is about trust.  Everything else,
 * including an expired intermediate, fails the chain.
 */
static int
verify_cb(int ok, X509_STORE_CTX *ctx)
{
	int err = X509_STORE_CTX_get_error(ctx);

	if (!ok && X509_STORE_CTX_get_error_depth(ctx) == 0 &&
	    (err == X509_V_ERR_CERT_HAS_EXPIRED ||
		err == X509_V_ERR_CERT_NOT_YET_VALID))
		return 1;
	return ok;
}

static int
check_chain(struct arena *a, X509_STORE *store, STACK_OF(X509) * chain,
    int64_t now, struct tls_cert_info *info, struct tls_check_result *c)
{
	X509_STORE_CTX *ctx = NULL;
	X509_VERIFY_PARAM *vp;
	X509 *leaf = sk_X509_value(chain, 0);
	int rc = -1, err, depth;

	if ((ctx = X509_STORE_CTX_new()) == NULL)
		goto out;
	if (X509_STORE_CTX_init(ctx, store, leaf, chain) != 1)
		goto out;
	vp = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_time(vp, (time_t)now);
	X509_VERIFY_PARAM_set_depth(vp, VERIFY_DEPTH);
	/*
	 * A TLS server chain: every CA's extendedKeyUsage, when present,
	 * must allow serverAuth (an intermediate limited to e-mail cannot
	 * vouch for a web server).
	 */
	if (X509_VERIFY_PARAM_set_purpose(vp, X509_PURPOSE_SSL_SERVER) != 1)
		goto out;
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	if (X509_verify_cert(ctx) == 1) {
		set(c, TLS_PASS,
		    arena_printf(a,
			"chain of %d certificate(s) verifies to a trust "
			"anchor",
			X509_STORE_CTX_get_num_untrusted(ctx) + 1));
	} else {
		err = X509_STORE_CTX_get_error(ctx);
		depth = X509_STORE_CTX_get_error_depth(ctx);
		info->verify_error = arena_printf(a, "%s (depth %d)",
		    X509_verify_cert_error_string(err), depth);
		set(c, TLS_FAIL,
		    arena_printf(
			a, "chain does not verify: %s", info->verify_error));
	}
	rc = 0;
out:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	return rc;
}

static void
check_hostname(struct arena *a, X509 *leaf, const char *name,
    struct tls_cert_info *info, struct tls_check_result *c)
{
	int r, is_ip;
	unsigned char tmp[16];

	if (name == NULL || *name == '\0') {
		set(c, TLS_ERROR,
		    "no host name to check the certificate "
		    "against");
		return;
	}
	is_ip = inet_pton(AF_INET, name, tmp) == 1 ||
	    inet_pton(AF_INET6, name, tmp) == 1;
	if (is_ip)
		r = X509_check_ip_asc(leaf, name, 0);
	else
		r = X509_check_host(leaf, name, strlen(name),
		    X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, NULL);
	if (r == 1)
		set(c, TLS_PASS,
		    arena_printf(a, "subjectAltName matches '%s'", name));
	else if (r == 0)
		set(c, TLS_FAIL,
		    arena_printf(a,
			"no subjectAltName matches '%s' (%zu SAN entries; "
			"the subject CN is not used)",
			name, info->nsans));
	else
		set(c, TLS_ERROR,
		    arena_printf(a,
			"cannot match '%s' against the "
			"certificate",
			name));
}

static void
check_validity(struct arena *a, int64_t now, struct tls_cert_info *info,
    struct tls_check_result *c)
{
	const struct tls_cert_policy *p = &tls_cert_policy;
	int64_t life = info->not_after - info->not_before;
	char nb[32], na[32];

	format_time(info->not_before, nb);
	format_time(info->not_after, na);
	if (now < info->not_before)
		set(c, TLS_FAIL, arena_printf(a, "not valid before %s", nb));
	else if (now > info->not_after)
		set(c, TLS_FAIL, arena_printf(a, "expired on %s", na));
	else if (life > (int64_t)p->max_lifetime_days * 86400)
		set(c, TLS_FAIL,
		    arena_printf(a,
			"lifetime of %lld days exceeds the %d-day limit (%s)",
			(long long)(life / 86400), p->max_lifetime_days,
			p->lifetime_ref));
	else if (info->not_after - now < (int64_t)p->expiry_warn_days * 86400)
		set(c, TLS_WARN,
		    arena_printf(a, "expires on %s, within %d days", na,
			p->expiry_warn_days));
	else
		set(c, TLS_PASS,
		    arena_printf(a, "valid from %s to %s (%lld days)", nb, na,
			(long long)(life / 86400)));
}

static void
check_key(
    struct arena *a, struct tls_cert_info *info, struct tls_check_result *c)
{
	const struct tls_cert_policy *p = &tls_cert_policy;
	size_t i;

	if (strcmp(info->key_type, "RSA") == 0 ||
	    strcmp(info->key_type, "RSA-PSS") == 0) {
		if (info->key_bits >= p->min_rsa_bits)
			set(c, TLS_PASS,
			    arena_printf(a, "RSA %d bits", info->key_bits));
		else
			set(c, TLS_FAIL,
			    arena_printf(a, "RSA %d bits, below %d",
				info->key_bits, p->min_rsa_bits));
		return;
	}
	if (strcmp(info->key_type, "EC") == 0) {
		for (i = 0; info->key_curve != NULL && i < p->nec_curves; i++)
			if (strcmp(info->key_curve, p->ec_curves[i]) == 0) {
				set(c, TLS_PASS,
				    arena_printf(a, "EC %s", info->key_curve));
				return;
			}
		set(c, TLS_FAIL,
		    arena_printf(a, "EC curve %s is not approved",
			info->key_curve ? info->key_curve : "(unknown)"));
		return;
	}
	set(c, TLS_FAIL,
	    arena_printf(a,
		"%s keys are not approved for server "
		"certificates",
		info->key_type));
}

/*
 * The digest of x's signature, decoded from the signature parameters
 * (so RSASSA-PSS over SHA-1 is SHA-1, not "unknown"), into *name: 0 when
 * approved or intrinsic (Ed25519, Ed448), 1 when weak, 2 when known but
 * not approved, -1 when it cannot be decoded (never taken as strong).
 */
static int
sig_digest(X509 *x, const char **name)
{
	static const int approved[] = { NID_sha224, NID_sha256, NID_sha384,
		NID_sha512, NID_sha512_224, NID_sha512_256, NID_sha3_224,
		NID_sha3_256, NID_sha3_384, NID_sha3_512 };
	const struct tls_cert_policy *p = &tls_cert_policy;
	int md = NID_undef, pk = NID_undef, bits = 0;
	uint32_t flags = 0;
	const char *sn;
	size_t i;

	*name = NULL;
	if (X509_get_signature_info(x, &md, &pk, &bits, &flags) != 1 ||
	    !(flags & X509_SIG_INFO_VALID)) {
		ERR_clear_error();
		return -1;
	}
	if (pk == NID_ED25519 || pk == NID_ED448) {
		*name = OBJ_nid2sn(pk);
		return 0;
	}
	if (md == NID_undef || (sn = OBJ_nid2sn(md)) == NULL)
		return -1;
	*name = sn;
	for (i = 0; i < p->nweak_digests; i++)
		if (strcasecmp(sn, p->weak_digests[i]) == 0)
			return 1;
	for (i = 0; i < sizeof(approved) / sizeof(approved[0]); i++)
		if (md == approved[i])
			return 0;
	return 2;
}

static void
check_sigalg(struct arena *a, STACK_OF(X509) * chain,
    struct tls_cert_info *info, struct tls_check_result *c)
{
	X509 *x;
	const char *dg;
	int i, n = sk_X509_num(chain), rc;

	for (i = 0; i < n && i < VERIFY_DEPTH; i++) {
		x = sk_X509_value(chain, i);
		/* A self-signed anchor's own signature does not matter. */
		if (i > 0 && (X509_get_extension_flags(x) & EXFLAG_SS))
			continue;
		rc = sig_digest(x, &dg);
		if (rc == -1) {
			set(c, TLS_ERROR,
			    arena_printf(a,
				"cannot decode the signature digest of "
				"certificate %d of the chain (%s)",
				i, OBJ_nid2ln(X509_get_signature_nid(x))));
			return;
		}
		if (rc > 0) {
			set(c, TLS_FAIL,
			    arena_printf(a,
				"certificate %d of the chain is signed with "
				"%s (%s)%s",
				i, dg, OBJ_nid2ln(X509_get_signature_nid(x)),
				rc == 2 ? ", not an approved digest" : ""));
			return;
		}
	}
	set(c, TLS_PASS,
	    arena_printf(
		a, "signed with %s", info->sig_alg ? info->sig_alg : "?"));
}

static void
check_eku(struct tls_cert_info *info, struct tls_check_result *c)
{
	if (info->eku_server_auth == 1)
		set(c, TLS_PASS, "extendedKeyUsage includes serverAuth");
	else if (info->eku_server_auth == 0)
		set(c, TLS_FAIL, "extendedKeyUsage lacks serverAuth");
	else
		set(c, TLS_FAIL,
		    "no extendedKeyUsage extension (serverAuth "
		    "required)");
}

int
tls_cert_eval(struct arena *a, X509_STORE *store, STACK_OF(X509) * chain,
    const char *name, int64_t now, struct tls_cert_info *info,
    struct tls_check_result res[TLS_C_COUNT])
{
	X509 *leaf;
	uint32_t flags;

	if (chain == NULL || sk_X509_num(chain) < 1)
		return -1;
	leaf = sk_X509_value(chain, 0);
	memset(info, 0, sizeof(*info));
	info->present = 1;
	info->chain_len = sk_X509_num(chain);
	info->subject = name_str(a, X509_get_subject_name(leaf));
	info->issuer = name_str(a, X509_get_issuer_name(leaf));
	if (collect_sans(a, leaf, info) == -1)
		return -1;
	if (asn1_epoch(X509_get0_notBefore(leaf), &info->not_before) == -1 ||
	    asn1_epoch(X509_get0_notAfter(leaf), &info->not_after) == -1) {
		set(&res[TLS_C_CERT_VALIDITY], TLS_ERROR,
		    "cannot read the validity dates");
	} else {
		check_validity(a, now, info, &res[TLS_C_CERT_VALIDITY]);
	}
	describe_key(a, leaf, info);
	info->sig_alg = OBJ_nid2ln(X509_get_signature_nid(leaf));
	flags = X509_get_extension_flags(leaf);
	if (flags & EXFLAG_XKUSAGE)
		info->eku_server_auth =
		    (X509_get_extended_key_usage(leaf) & XKU_SSL_SERVER) != 0;
	else
		info->eku_server_auth = -1;
	if (check_chain(a, store, chain, now, info, &res[TLS_C_CERT_CHAIN]) ==
	    -1)
		set(&res[TLS_C_CERT_CHAIN], TLS_ERROR,
		    "cannot set up chain verification");
	check_hostname(a, leaf, name, info, &res[TLS_C_CERT_HOSTNAME]);
	check_key(a, info, &res[TLS_C_CERT_KEY]);
	check_sigalg(a, chain, info, &res[TLS_C_CERT_SIGALG]);
	check_eku(info, &res[TLS_C_CERT_EKU]);
	return 0;
}

/* Five minutes of clock skew, as OCSP_check_validity() allows. */
#define OCSP_SKEW 300

int
tls_ocsp_check(struct arena *a, const unsigned char *der, long len,
    STACK_OF(X509) * chain, X509_STORE *store, int64_t now, const char **why)
{
	const unsigned char *p = der;
	OCSP_RESPONSE *resp = NULL;
	OCSP_BASICRESP *bs = NULL;
	OCSP_CERTID *id = NULL;
	ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
	X509 *leaf, *issuer = NULL, *x;
	X509_STORE_CTX *sctx = NULL;
	int64_t t_this, t_next;
	int i, st, status = -1, reason = -1, good = 0;

	*why = NULL;
	if (der == NULL || len <= 0 || chain == NULL ||
	    sk_X509_num(chain) < 1) {
		*why = "no response";
		return 0;
	}
	leaf = sk_X509_value(chain, 0);
	for (i = 1; i < sk_X509_num(chain); i++) {
		x = sk_X509_value(chain, i);
		if (X509_check_issued(x, leaf) == X509_V_OK) {
			issuer = X509_dup(x);
			break;
		}
	}
	/* A server may leave out an issuer that is a trust anchor. */
	if (issuer == NULL && store != NULL &&
	    (sctx = X509_STORE_CTX_new()) != NULL &&
	    X509_STORE_CTX_init(sctx, store, leaf, chain) == 1 &&
	    X509_STORE_CTX_get1_issuer(&issuer, sctx, leaf) != 1)
		issuer = NULL;
	if ((resp = d2i_OCSP_RESPONSE(NULL, &p, len)) == NULL ||
	    p != der + len) {
		*why = "the stapled response does not parse";
		goto out;
	}
	if ((st = OCSP_response_status(resp)) !=
	    OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		*why = arena_printf(a, "the responder answered '%s'",
		    OCSP_response_status_str(st));
		goto out;
	}
	if ((bs = OCSP_response_get1_basic(resp)) == NULL) {
		*why = "the response holds no basic OCSP response";
		goto out;
	}
	if (issuer == NULL) {
		*why = "the certificate's issuer is neither in the chain nor "
		       "a trust anchor: nothing to match the response against";
		goto out;
	}
	if (OCSP_basic_verify(bs, chain, store, 0) != 1) {
		*why = "the response's signature does not verify to the "
		       "certificate's issuer or a delegated responder";
		goto out;
	}
	if ((id = OCSP_cert_to_id(NULL, leaf, issuer)) == NULL ||
	    OCSP_resp_find_status(
		bs, id, &status, &reason, &rev, &thisupd, &nextupd) != 1) {
		*why = "the response is not about the server's certificate";
		goto out;
	}
	if (thisupd == NULL || asn1_epoch(thisupd, &t_this) == -1 ||
	    t_this > now + OCSP_SKEW) {
		*why = "the response's thisUpdate is missing or in the future";
		goto out;
	}
	if (nextupd == NULL || asn1_epoch(nextupd, &t_next) == -1) {
		*why = "the response has no nextUpdate: its freshness is "
		       "unknown";
		goto out;
	}
	if (t_next < now - OCSP_SKEW) {
		*why = "the response is stale (nextUpdate has passed)";
		goto out;
	}
	if (status != V_OCSP_CERTSTATUS_GOOD) {
		*why = arena_printf(
		    a, "the response says '%s'", OCSP_cert_status_str(status));
		goto out;
	}
	good = 1;
out:
	ERR_clear_error();
	OCSP_CERTID_free(id);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(resp);
	X509_free(issuer);
	X509_STORE_CTX_free(sctx);
	if (*why == NULL && !good)
		*why = "out of memory";
	return good;
}
