/*
 * tls.h: the TLS endpoint prober and its NIST SP 800-52 Rev 2 checks.
 *
 * A caller (the `rampart tls` command, `rampart scan --tls`) parses
 * targets with tls_target_parse(), fills a struct tls_opts and calls
 * tls_scan_each(), which probes every endpoint concurrently and hands each
 * finished struct tls_result to a callback, in target order, freeing it
 * afterwards: memory stays bounded however many targets there are.
 * tls_scan() collects them all into an array instead.  Each result holds one
 * status per check of the policy table (policy.c) with the reason for it,
 * and the evidence the decision rests on.  tls_result_json() renders one
 * result.
 *
 * Everything else in this header (policy tables, the ClientHello builder
 * and ServerHello parser, certificate evaluation) is internal to
 * checks/tls/ and exported only for the unit tests and the fuzz target.
 *
 * Missing evidence is never `pass`: a probe that timed out, was reset,
 * got garbage or was refused by our own TLS library makes the check it
 * feeds `error`, never "the server does not support it".
 */
#ifndef RAMPART_TLS_H
#define RAMPART_TLS_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "lib/lib.h"

/* ------------------------------------------------------------ statuses */

/* Ordered by severity: the worst status of the checks wins. */
enum tls_status {
	TLS_NA, /* not applicable (e.g. no TLS 1.2, so no EMS check) */
	TLS_PASS,
	TLS_WARN, /* passes, with a finding to review */
	TLS_ERROR, /* could not be evaluated */
	TLS_FAIL
};

/* "pass", "fail", "warn", "error", "not_applicable". */
const char *tls_status_name(enum tls_status s);

/* ------------------------------------------------------- policy tables */

/* Protocol versions, oldest first.  Indices into tls_protocols[]. */
enum tls_proto {
	TLS_P_SSL2,
	TLS_P_SSL3,
	TLS_P_TLS10,
	TLS_P_TLS11,
	TLS_P_TLS12,
	TLS_P_TLS13,
	TLS_P_COUNT
};

enum tls_proto_rule {
	TLS_PROTO_FORBIDDEN, /* accepted -> fail */
	TLS_PROTO_LEGACY, /* accepted -> fail, or warn when citizen-facing */
	TLS_PROTO_REQUIRED /* not accepted -> fail */
};

struct tls_protocol {
	enum tls_proto id;
	const char *name; /* "TLS 1.2" */
	const char *key; /* "tls1_2": JSON evidence key */
	uint16_t wire; /* 0x0303; 0x0002 for SSL 2.0 */
	enum tls_proto_rule rule;
	const char *ref; /* "SP 800-52r2 §3.1" */
};

extern const struct tls_protocol tls_protocols[TLS_P_COUNT];

/* How a cipher suite stands against §3.3.1. */
enum tls_suite_class {
	TLS_SUITE_APPROVED,
	TLS_SUITE_RSA_KX, /* approved but RSA key transport: warn */
	TLS_SUITE_NOT_FIPS, /* TLS 1.3 ChaCha20-Poly1305: warn */
	TLS_SUITE_WEAK /* outside §3.3.1: fail */
};

/* Why a weak suite is weak (for evidence), a bit set. */
#define TLS_WEAK_RC4 0x0001u
#define TLS_WEAK_3DES 0x0002u
#define TLS_WEAK_DES 0x0004u
#define TLS_WEAK_NULL 0x0008u
#define TLS_WEAK_ANON 0x0010u
#define TLS_WEAK_EXPORT 0x0020u
#define TLS_WEAK_MD5 0x0040u
#define TLS_WEAK_IDEA 0x0080u
#define TLS_WEAK_SEED 0x0100u
#define TLS_WEAK_RC2 0x0200u
#define TLS_WEAK_OTHER 0x0400u /* not listed in §3.3.1 (CAMELLIA, ARIA) */

struct tls_suite {
	uint16_t code; /* IANA value */
	const char *name; /* IANA name */
	enum tls_suite_class cls;
	unsigned weak; /* TLS_WEAK_* bits */
	int raw; /* offered by the hand-built ClientHello (OpenSSL cannot) */
	const char *ref;
};

/* Sorted by code (a unit test asserts it). */
extern const struct tls_suite tls_suites[];
extern const size_t tls_nsuites;

/*
 * The policy's entry for a suite, or NULL when the table does not list it
 * (then tls_suite_class_of() says WEAK: not approved means not approved).
 */
const struct tls_suite *tls_suite_find(uint16_t code);
enum tls_suite_class tls_suite_class_of(uint16_t code);

/* SSL 2.0 cipher kinds offered by the SSLv2-format hello. */
extern const uint32_t tls_ssl2_specs[];
extern const size_t tls_nssl2_specs;

struct tls_group {
	uint16_t code; /* IANA NamedGroup */
	const char *name; /* IANA name: "secp256r1" */
	const char *ossl; /* name for SSL_set1_groups_list: "P-256" */
	/*
	 * What a server that negotiates only this group gets: TLS_PASS for
	 * approved groups, TLS_WARN for groups the policy flags (X25519),
	 * TLS_FAIL otherwise.
	 */
	enum tls_status status;
	const char *ref;
};

/* Sorted by code. */
extern const struct tls_group tls_groups[];
extern const size_t tls_ngroups;
const struct tls_group *tls_group_find(uint16_t code);
/* The entry whose name or OpenSSL name is s (case-insensitive), or NULL. */
const struct tls_group *tls_group_by_name(const char *s);

/* The check table: one row per check; enum order = table order. */
enum tls_check_id {
	TLS_C_SSL2,
	TLS_C_SSL3,
	TLS_C_TLS10,
	TLS_C_TLS11,
	TLS_C_TLS12,
	TLS_C_TLS13,
	TLS_C_CIPHER_WEAK,
	TLS_C_CIPHER_RSA_KX,
	TLS_C_CIPHER_CHACHA,
	TLS_C_KX_DHE,
	TLS_C_KX_GROUPS,
	TLS_C_CERT_CHAIN,
	TLS_C_CERT_HOSTNAME,
	TLS_C_CERT_VALIDITY,
	TLS_C_CERT_KEY,
	TLS_C_CERT_SIGALG,
	TLS_C_CERT_EKU,
	TLS_C_EXT_EMS,
	TLS_C_EXT_RENEG,
	TLS_C_EXT_COMPRESSION,
	TLS_C_EXT_OCSP,
	TLS_C_COUNT
};

struct tls_check {
	enum tls_check_id id;
	const char *name; /* "protocol.tls1_0" */
	const char *title;
	/* Status a violation gets: TLS_FAIL, or TLS_WARN for advisories. */
	enum tls_status violation;
	const char *ref; /* "SP 800-52r2 §3.1" */
	const char *controls; /* "SC-8, SC-13" */
};

extern const struct tls_check tls_checks[TLS_C_COUNT];

/* Certificate and key-exchange limits. */
struct tls_cert_policy {
	int min_rsa_bits; /* 2048 */
	int min_dhe_bits; /* 2048 */
	const char *const *ec_curves; /* approved certificate curves */
	size_t nec_curves;
	int max_lifetime_days; /* 398 */
	int expiry_warn_days; /* 30 */
	const char *const *weak_digests; /* "SHA1", "MD5", ... */
	size_t nweak_digests;
	const char *key_ref, *sig_ref, *lifetime_ref, *dhe_ref;
};

extern const struct tls_cert_policy tls_cert_policy;

/* ------------------------------------------------------------- targets */

struct tls_target {
	const char *host; /* name or address, without brackets */
	uint16_t port; /* 443 when not given */
	const char *sni; /* server name to send and verify; NULL: host */
	int is_ip; /* host is an IPv4 or IPv6 literal */
};

/*
 * Parse "HOST", "HOST:PORT", "[V6]", "[V6]:PORT" or a bare IPv6 literal
 * into t; strings are copied into a.  `where` (may be NULL) is the mark
 * used in messages (a targets file's line).  0 or -1 with the error in d.
 */
int tls_target_parse(struct arena *a, struct diag *d, const struct mark *where,
    const char *s, struct tls_target *t);
/*
 * Read targets from a file: one "HOST[:PORT] [SNI]" per line, blank lines
 * and '#' comments ignored.  Appends to *v (lib_realloc'd array of *n
 * targets, caller frees the array; strings live in a).  Every bad line is
 * reported; -1 when any was bad or the file could not be read.
 */
int tls_targets_read(struct arena *a, struct diag *d, const char *path,
    struct tls_target **v, size_t *n);

/* -------------------------------------------------------------- scanning */

struct tls_opts {
	const char *ca_file; /* trust anchors (PEM); NULL: system store */
	const char *sni; /* default server name for targets without one */
	int connect_timeout_ms; /* 0: 5000 */
	int handshake_timeout_ms; /* 0: 10000 */
	int concurrency; /* connections at once, 0: 64 */
	int per_host; /* connections at once per host name, 0: 8 */
	int citizen_facing; /* TLS 1.1 accepted is a warning, not a failure */
	int64_t now; /* clock for certificate checks; 0: time(NULL) */
	/*
	 * Results are delivered in target order, so a finished result waits
	 * while an earlier target is still being probed.  At most `window`
	 * targets past the oldest unfinished one are started, which bounds
	 * how many finished results wait (0: 4 x concurrency, at least 256).
	 */
	int window;
	/* Called after each finished endpoint (may be NULL). */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
};

/* What one probe connection came to. */
enum tls_outcome {
	TLS_O_NONE, /* not run */
	TLS_O_OK, /* handshake completed / ServerHello received */
	TLS_O_ALERT, /* the server answered with an alert */
	TLS_O_CLOSED, /* the server closed the connection, no answer */
	TLS_O_RESET, /* connection reset by the server */
	TLS_O_TCP, /* could not connect (refused, unreachable, DNS) */
	TLS_O_TIMEOUT, /* deadline passed (connect or handshake) */
	TLS_O_PROTOCOL, /* the server sent something that is not TLS */
	TLS_O_LOCAL /* our own TLS library refused: never "unsupported" */
};

const char *tls_outcome_name(enum tls_outcome o);

/* One probe's record, kept as evidence. */
struct tls_probe_log {
	int kind; /* enum tls_probe_kind: the log is sorted by it */
	const char *name; /* "tls1_2", "weak-suites-raw" */
	enum tls_outcome outcome;
	const char *detail; /* human readable, arena-owned */
	uint16_t version; /* version the server selected, 0 if none */
	uint16_t suite; /* suite the server selected, 0 if none */
};

struct tls_accepted_suite {
	uint16_t code;
	uint16_t version; /* protocol it was accepted on */
	const char *name;
	unsigned weak; /* TLS_WEAK_* bits */
};

/* Negotiated parameters of the main handshake (TLS 1.3, else 1.2, ...). */
struct tls_negotiated {
	const char *protocol; /* "TLSv1.3"; NULL if no handshake completed */
	const char *cipher; /* OpenSSL name */
	uint16_t suite; /* IANA code */
	const char *group; /* key exchange group or "DHE-2048" */
	int kx_bits;
	int ems; /* -1 unknown, 0/1 */
	int secure_reneg; /* -1 unknown, 0/1 */
	int ocsp_stapled; /* -1 unknown, 0/1 */
	int compression; /* compression method the server chose; -1 unknown */
};

struct tls_cert_info {
	int present;
	const char *subject, *issuer; /* RFC 2253 */
	const char **sans; /* "DNS:x", "IP:1.2.3.4" */
	size_t nsans;
	int64_t not_before, not_after;
	const char *key_type; /* "RSA", "EC", "ED25519" */
	int key_bits;
	const char *key_curve; /* EC curve name or NULL */
	const char *sig_alg; /* "sha256WithRSAEncryption" */
	int eku_server_auth; /* -1 no EKU extension, 0 without, 1 with */
	int chain_len;
	const char *verify_error; /* NULL when the chain verified */
	/* Probe the chain came from: "tls1_2", or "tls1_0-raw" when only a
	 * hand-built ClientHello got an answer (TLS <= 1.2 sends it in
	 * cleartext after the ServerHello). */
	const char *source;
};

struct tls_check_result {
	enum tls_status status;
	const char *reason; /* why, arena-owned */
};

/*
 * One endpoint's result.  Everything it points to is owned by its arena,
 * released by tls_results_free().
 */
struct tls_result {
	struct arena *arena;
	struct tls_target target;
	const char *sni; /* the name used for SNI and hostname checks */
	enum tls_status status; /* worst check status (NA counts as pass) */
	const char *error; /* endpoint-level reason when not probed */
	/*
	 * Every address the name resolved to, in the resolver's order (at
	 * most TLS_MAX_ADDRS), and the one that was probed: the first that
	 * accepted a TCP connection; NULL when none did.
	 */
	const char **addresses;
	size_t naddresses;
	const char *address;
	struct tls_check_result checks[TLS_C_COUNT];
	/* Evidence. */
	enum tls_outcome protocols[TLS_P_COUNT]; /* OK = accepted */
	/*
	 * Bit i: some ServerHello, from any probe, selected tls_protocols[i]
	 * (a TLS 1.0 server with only 3DES answers only the raw hello).
	 */
	unsigned hello_versions;
	struct tls_accepted_suite *weak_suites;
	size_t nweak_suites;
	struct tls_negotiated neg;
	struct tls_cert_info cert;
	struct tls_probe_log *probes;
	size_t nprobes;
	int64_t elapsed_ms;
};

/* Addresses of one name tried, in order, until one connects. */
#define TLS_MAX_ADDRS 8

/*
 * Called once per target with its result (idx: its index in targets).
 * The result is borrowed: tls_scan_each() frees it when the callback
 * returns, unless the callback took it over by copying *r and setting
 * r->arena to NULL (the copy then owns the arena, which holds *r too).
 * Return 0, or -1 to stop the scan (after reporting the error in the
 * diag the callback knows about).
 */
typedef int (*tls_result_fn)(void *ctx, size_t idx, struct tls_result *r);

/*
 * Probe targets[0..n) and evaluate every check of the policy, calling
 * cb(ctx, i, result) for each target in target order (0, 1, ...) as soon
 * as it and every target before it are finished.  Finished results
 * waiting for an earlier target are bounded by opts->window; everything
 * else is per open endpoint, so memory does not grow with n.  An endpoint
 * that cannot be probed is a result with status TLS_ERROR, not a failure:
 * -1 only for local trouble (no memory, unreadable CA file, epoll) with
 * the error in d, or when cb returned -1.  Targets are borrowed for the
 * duration of the call and copied into each result.
 */
int tls_scan_each(const struct tls_opts *opts, const struct tls_target *targets,
    size_t n, tls_result_fn cb, void *ctx, struct diag *d);
/*
 * tls_scan_each() collecting every result: *out gets a lib_malloc'd array
 * of n results in target order (free with tls_results_free()).  Memory
 * grows with n; prefer tls_scan_each() for large target lists.
 */
int tls_scan(const struct tls_opts *opts, const struct tls_target *targets,
    size_t n, struct tls_result **out, struct diag *d);
void tls_results_free(struct tls_result *v, size_t n); /* accepts NULL */

/*
 * Append one result as a JSON object to sb.  Deterministic: the same
 * result gives the same bytes.  0 or -1 (out of memory).
 */
int tls_result_json(struct strbuf *sb, const struct tls_result *r);

/* --------------------------------------- internal: ClientHello / replies */

#define TLS_HELLO_MAX 2048

struct tls_hello_spec {
	uint16_t record_version; /* 0x0301 usually, 0x0300 for SSL 3.0 */
	uint16_t client_version; /* highest version offered */
	const uint16_t *suites;
	size_t nsuites;
	const uint8_t *compression; /* NULL: { 0 } (null only) */
	size_t ncompression;
	const char *sni; /* NULL: no server_name extension */
	int extensions; /* 0: none at all (SSL 3.0 style) */
	unsigned char random[32];
};

/*
 * Build a TLS ClientHello record into buf (cap bytes).  *len gets its
 * size.  0, or -1 when it does not fit or the spec is invalid.  Pure.
 */
int tls_hello_build(const struct tls_hello_spec *spec, unsigned char *buf,
    size_t cap, size_t *len);
/* Build an SSL 2.0 CLIENT-HELLO offering specs[0..n).  Pure. */
int tls_hello_build_ssl2(const uint32_t *specs, size_t n,
    const unsigned char challenge[16], unsigned char *buf, size_t cap,
    size_t *len);

enum tls_reply_kind {
	TLS_REPLY_NEED_MORE,
	TLS_REPLY_SERVER_HELLO,
	TLS_REPLY_HRR, /* TLS 1.3 HelloRetryRequest */
	TLS_REPLY_SSL2_HELLO,
	TLS_REPLY_SSL2_ERROR,
	TLS_REPLY_ALERT,
	TLS_REPLY_MALFORMED
};

struct tls_reply {
	enum tls_reply_kind kind;
	uint16_t record_version;
	uint16_t legacy_version; /* ServerHello.server_version */
	uint16_t version; /* selected: supported_versions if present */
	uint16_t suite;
	uint8_t compression;
	uint8_t alert_level, alert_desc;
	int reneg_info; /* renegotiation_info extension present */
	int ems; /* extended_master_secret extension present */
	size_t nssl2_specs; /* SSLv2: cipher specs the server offered */
	uint32_t ssl2_spec; /* the first of them */
	uint16_t ssl2_error;
	const char *why; /* MALFORMED: static description */
};

/*
 * Parse what a server sent back to a ClientHello: the start of its byte
 * stream, len bytes.  Returns and stores in r->kind NEED_MORE when the
 * first message is not complete yet, else what it is.  Never reads past
 * len; pure, so it is fuzzed.
 */
enum tls_reply_kind tls_reply_parse(
    const unsigned char *buf, size_t len, struct tls_reply *r);
/*
 * Parse one complete handshake message (type, 24-bit length, body) that
 * must be a ServerHello.  SERVER_HELLO, HRR or MALFORMED.
 */
enum tls_reply_kind tls_server_hello_parse(
    const unsigned char *msg, size_t len, struct tls_reply *r);
/* Peer certificate list limits: bytes, and certificates. */
#define TLS_CERT_LIST_MAX (64 * 1024)
#define TLS_CERTS_MAX 10

enum tls_certs_kind {
	TLS_CERTS_NEED_MORE,
	TLS_CERTS_FOUND,
	TLS_CERTS_ABSENT, /* the server sent something else after ServerHello */
	TLS_CERTS_MALFORMED
};

struct tls_cert_list {
	const unsigned char *der[TLS_CERTS_MAX]; /* into the hs scratch */
	size_t len[TLS_CERTS_MAX];
	size_t n;
	const char *why; /* ABSENT, MALFORMED: static description */
};

/*
 * Find the Certificate message that follows a TLS <= 1.2 ServerHello:
 * buf holds len bytes of the server's stream from its first record.  The
 * handshake records are reassembled into hs (hscap bytes, scratch); the
 * certificates found point into it, leaf first.  NEED_MORE while the
 * message is incomplete; MALFORMED past TLS_CERT_LIST_MAX bytes, hscap or
 * TLS_CERTS_MAX certificates.  Never reads past len; pure, so fuzzed.
 */
enum tls_certs_kind tls_certificate_parse(const unsigned char *buf, size_t len,
    unsigned char *hs, size_t hscap, struct tls_cert_list *out);
/* "handshake_failure" for an alert description; "unknown" otherwise. */
const char *tls_alert_name(uint8_t desc);
/* "TLS 1.2" for 0x0303; "SSL 2.0" for 0x0002; "0x%04x" never (NULL). */
const char *tls_version_name(uint16_t v);

/* ----------------------------------------- internal: probes, evaluation */

/*
 * The probe plan.  Phase 0 (TLS 1.3, 1.2, 1.0 through OpenSSL) tells
 * whether the endpoint speaks TLS at all; the rest runs only then.  WEAK
 * and UNAPPROVED repeat, each time without the suites already accepted,
 * only while the server keeps accepting weak suites.
 */
enum tls_probe_kind {
	TLS_K_TLS13, /* main: certificate, OCSP, group */
	TLS_K_TLS12, /* main for 1.2: EMS, renegotiation_info */
	TLS_K_TLS10,
	TLS_K_TLS11,
	TLS_K_SSL3, /* raw SSL 3.0 hello */
	TLS_K_SSL2, /* raw SSL 2.0 hello */
	TLS_K_WEAK, /* raw hello offering suites OpenSSL cannot */
	TLS_K_COMPRESS, /* raw hello offering DEFLATE */
	TLS_K_UNAPPROVED, /* OpenSSL TLS 1.2, every suite outside §3.3.1 */
	TLS_K_RSAKX, /* OpenSSL TLS 1.2, RSA key transport only */
	TLS_K_DHE, /* OpenSSL TLS 1.2, DHE only */
	TLS_K_CHACHA, /* OpenSSL TLS 1.3, ChaCha20-Poly1305 only */
	TLS_K_GROUPS13, /* OpenSSL TLS 1.3, approved groups only */
	TLS_K_GROUPS12, /* OpenSSL TLS 1.2 ECDHE, approved curves only */
	/*
	 * Raw hellos pinned to TLS 1.0 / 1.1 offering every suite of the
	 * table: a server that refuses OpenSSL's TLS 1.0 hello may still
	 * speak TLS 1.0 with suites OpenSSL cannot offer.
	 */
	TLS_K_RAW10,
	TLS_K_RAW11,
	TLS_K_COUNT
};

#define TLS_K_PHASE0 \
	((1u << TLS_K_TLS13) | (1u << TLS_K_TLS12) | (1u << TLS_K_TLS10))

/* Name of a probe kind ("tls1_2", "weak-raw"). */
const char *tls_probe_name(enum tls_probe_kind k);

/* The last outcome of one kind of probe: what evaluation reads. */
struct tls_probe_rec {
	enum tls_outcome outcome; /* TLS_O_NONE: not run */
	const char *detail; /* why, for messages */
	int hello; /* a ServerHello (or SSL 2.0 SERVER-HELLO) was seen */
	uint16_t version; /* ... selecting this version */
	uint16_t suite; /* ... and this suite */
	int compression; /* ... and this compression method */
	/* After a completed OpenSSL handshake: */
	int ems, reneg; /* 1/0 */
	int ocsp; /* 1 a valid "good" response stapled, 0 none, 2 invalid */
	const char *ocsp_why; /* why a stapled response does not count */
	int kx_bits;
	uint16_t group; /* IANA group code, 0 unknown */
	const char *kx; /* "X25519", "DHE", "ECDHE P-256" */
	const char *cipher; /* OpenSSL name */
};

/*
 * Decide every non-certificate check of r from the probe records, and the
 * certificate checks too when r->cert.present is 0 (then they are
 * errors).  Sets r->status and, when the endpoint never answered in TLS,
 * r->error.  Strings go to r->arena.  Pure apart from allocation.
 */
void tls_evaluate(struct tls_result *r, const struct tls_opts *o,
    const struct tls_probe_rec rec[TLS_K_COUNT]);

/* -------------------------------------------- internal: certificate */

/*
 * Describe and evaluate a server's certificate chain.  chain[0] is the
 * leaf (as SSL_get_peer_cert_chain() returns it on a client).  store holds
 * the trust anchors.  name is the expected host (DNS name or IP literal),
 * now the clock the checks use.  Fills info (strings in a) and the six
 * TLS_C_CERT_* entries of res.  0, or -1 on allocation failure.
 */
int tls_cert_eval(struct arena *a, X509_STORE *store, STACK_OF(X509) * chain,
    const char *name, int64_t now, struct tls_cert_info *info,
    struct tls_check_result res[TLS_C_COUNT]);

/*
 * Whether a stapled OCSP response (DER, len bytes) vouches for the leaf
 * chain[0]: it parses, its status is successful, its signature verifies
 * (by the issuer or a responder the issuer delegated to, against store),
 * it names the leaf, it is current at now (thisUpdate no later than five
 * minutes ahead, nextUpdate present and no earlier than five minutes ago)
 * and it says good.  1 when it does; 0 when not, with *why (static or in
 * a) saying why.  Any bytes are not enough.
 */
int tls_ocsp_check(struct arena *a, const unsigned char *der, long len,
    STACK_OF(X509) * chain, X509_STORE *store, int64_t now, const char **why);

/* ------------------------------------------------- names (resolve.c) */

/* Names asked at once, and a name's deadline when none is given. */
#define TLS_RESOLVE_INFLIGHT 256
#define TLS_RESOLVE_TIMEOUT_MS 5000

/* The addresses of one name, in the resolver's order. */
struct tls_resolved {
	struct sockaddr_in6 addrs[TLS_MAX_ADDRS]; /* or a sockaddr_in */
	socklen_t lens[TLS_MAX_ADDRS];
	size_t n;
	const char *error; /* static text; NULL when the name resolved */
};

/*
 * Resolve hosts[0..n) concurrently with c-ares (A and AAAA, the hosts
 * file then DNS), at most TLS_RESOLVE_INFLIGHT at once, each name within
 * timeout_ms (0: TLS_RESOLVE_TIMEOUT_MS) of being asked.  NULL entries
 * are skipped (numeric addresses need no resolver).  servers: name
 * servers as "ADDR[:PORT],..." instead of the system's (tests), or NULL.
 * out[i] receives up
 * to TLS_MAX_ADDRS addresses (port 0) or the reason it has none.  0, or
 * -1 when the resolver cannot start (reported in d).  Not thread-safe
 * (c-ares's library initialisation): call it from one thread at a time.
 */
int tls_resolve(struct diag *d, const char *const *hosts, size_t n,
    int timeout_ms, const char *servers, struct tls_resolved *out);

#endif /* RAMPART_TLS_H */
