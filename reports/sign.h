/*
 * sign.h: signing keys, signed report bundles and their verification.
 *
 * A signed report is a Sigstore bundle v0.3 (`<report>.sigstore.json`)
 * holding a DSSE envelope whose payload is an in-toto Statement v1 with the
 * test-result predicate.  Keys are ECDSA P-256 (default) or Ed25519, kept as
 * PKCS#8 PEM (private, optionally encrypted with PBES2) and SPKI PEM
 * (public).  A key id is the sha256 of the DER SubjectPublicKeyInfo, hex.
 *
 * Kept apart from reports/report.h (the writers' header) so the signing code
 * can be used by `rampart scan --sign` and by `sign` / `verify` alike.
 * Conventions as in lib/lib.h: 0 or -1, errors reported once through the
 * diag; verification functions are tri-state (see bundle_verify_buf).
 */
#ifndef RAMPART_SIGN_H
#define RAMPART_SIGN_H

#include <openssl/evp.h>

#include "lib/lib.h"

#define BUNDLE_MEDIA_TYPE "application/vnd.dev.sigstore.bundle.v0.3+json"
#define DSSE_PAYLOAD_TYPE "application/vnd.in-toto+json"
#define INTOTO_STATEMENT_V1 "https://in-toto.io/Statement/v1"
#define TEST_RESULT_PREDICATE "https://in-toto.io/attestation/test-result/v0.1"
#define RAMPART_EXTENSION "https://rampart.dev/extension/v1"
#define BUNDLE_SUFFIX ".sigstore.json"

/* Private key encryption: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC. */
#define KEY_PBKDF2_ITER 600000
#define KEY_SALT_LEN 16

/* ------------------------------------------------------------------ keys */

enum key_alg { KEY_ALG_ECDSA_P256, KEY_ALG_ED25519 };

/* "ecdsa-p256" or "ed25519". */
const char *key_alg_name(enum key_alg alg);
/* Parse an algorithm name; 0 or -1 (unknown). */
int key_alg_parse(const char *s, enum key_alg *out);

/*
 * A loaded key.  `pkey` is owned by the struct; key_free() releases both.
 * The algorithm always comes from the key material itself.
 */
struct sign_key {
	EVP_PKEY *pkey;
	enum key_alg alg;
	char id[SHA256_HEX_LEN + 1]; /* sha256 of the DER SPKI, hex */
	int has_private;
};

void key_free(struct sign_key *k); /* accepts NULL */

/*
 * Load the OpenSSL FIPS provider and make FIPS-approved implementations
 * the default for this process (`--fips`).  A clear error when the
 * provider is not installed.  Ed25519 is not approved: callers refuse it.
 * 0 or -1.
 */
int key_fips_enable(struct diag *d);

/* Generate a new key pair.  NULL on error. */
struct sign_key *key_generate(struct diag *d, enum key_alg alg);

/*
 * Wrap an EVP_PKEY (ownership passes to the result, also on error, when
 * it is freed).  Rejects key types other than P-256 and Ed25519.
 */
struct sign_key *key_from_pkey(struct diag *d, EVP_PKEY *pkey, int priv);

/*
 * Key id of a public key: sha256 hex of its canonical DER SPKI (for EC:
 * named curve, uncompressed point, whatever form it was read in).  0 or
 * -1.
 */
int key_id_of(struct diag *d, EVP_PKEY *pkey, char out[SHA256_HEX_LEN + 1]);

/*
 * Write the private key as PKCS#8 PEM, atomically, mode 0600.  With a
 * passphrase (pass, passlen > 0) it is encrypted with AES-256-CBC under
 * PBKDF2-HMAC-SHA256, a 16-byte random salt and KEY_PBKDF2_ITER
 * iterations; without one it is written in the clear.  Every buffer that
 * held key material is wiped.  0 or -1.
 */
int key_write_private(struct diag *d, const struct sign_key *k,
    const char *path, const char *pass, size_t passlen);
/* Write the public key as SPKI PEM, atomically, mode 0644.  0 or -1. */
int key_write_public(
    struct diag *d, const struct sign_key *k, const char *path);

/*
 * Load a private key from a PEM file.  pass may be NULL: an encrypted key
 * then fails with a message naming the ways to give a passphrase (never a
 * terminal prompt).  NULL on error (wrong passphrase included).
 */
struct sign_key *key_load_private(
    struct diag *d, const char *path, const char *pass, size_t passlen);
/* Load a public key from an SPKI PEM file.  NULL on error. */
struct sign_key *key_load_public(struct diag *d, const char *path);
/* The same from PEM text in memory; name is used in messages. */
struct sign_key *key_public_from_pem(
    struct diag *d, const char *name, const char *pem, size_t len);

/*
 * Read a passphrase: the first line of the file at path (its newline
 * stripped), or else the RAMPART_PASSPHRASE environment variable when
 * use_env is set.  *pass receives a lib_malloc'd NUL-terminated copy (free
 * with key_passphrase_free, which wipes it) or NULL when none was given.
 * An empty passphrase is an error.  0 or -1.
 */
int key_read_passphrase(struct diag *d, const char *path, int use_env,
    char **pass, size_t *passlen);
void key_passphrase_free(char *pass, size_t passlen);

/*
 * Sign msg with the key: ECDSA P-256 over SHA-256 (DER signature, as
 * Sigstore and cosign expect) or pure Ed25519 (one-shot).  *sig is
 * lib_malloc'd.  0 or -1.
 */
int key_sign(struct diag *d, const struct sign_key *k, const void *msg,
    size_t len, unsigned char **sig, size_t *siglen);
/*
 * Name of the OpenSSL provider that performs key_sign() (or, for a public
 * key, key_verify()) with this key, e.g. "default" or "fips": for the
 * statement's crypto_provider.  The string is the provider's, valid while
 * it stays loaded (the whole run).  NULL when it cannot be found out.
 */
const char *key_provider_name(const struct sign_key *k);
/*
 * Verify sig over msg with the trusted key's own algorithm.  Returns 1
 * valid, 0 invalid, -1 error: treat anything but 1 as invalid.
 */
int key_verify(const struct sign_key *k, const void *msg, size_t len,
    const unsigned char *sig, size_t siglen);

/* --------------------------------------------------------------- keyring */

/*
 * A keyring: trusted public keys with their validity.  Times are epoch
 * seconds; 0 means unset.  A key may sign from not_before on; a retired
 * key's signatures made before retired_at stay valid; a revoked key's
 * signatures are valid only when a verified RFC 3161 timestamp proves they
 * were made before revoked_at.
 */
struct keyring_entry {
	const char *id; /* key id, hex */
	const char *name; /* signer name, may be NULL */
	struct sign_key *key;
	int64_t not_before, retired_at, revoked_at;
	struct mark mark;
};

struct keyring {
	struct arena *a;
	struct keyring_entry *v;
	size_t n;
};

/*
 * Load a keyring file (YAML or JSON, see docs/signing.md): either a list
 * of entries or a map with a `keys` list.  Each entry: `id`, `name`,
 * optional `algorithm`, one of `pem` (inline SPKI PEM) or `path` (relative
 * to the keyring's directory), optional `not_before`, `retired_at`,
 * `revoked_at`.  The id must equal the key's computed id; ids are unique.
 * NULL on error.
 */
struct keyring *keyring_load(struct diag *d, const char *path);
void keyring_free(struct keyring *kr); /* accepts NULL */
/* Entry with that id, or NULL. */
const struct keyring_entry *keyring_find(
    const struct keyring *kr, const char *id);
/*
 * Whether the entry bounds its key's validity in time (not_before,
 * retired_at or revoked_at): verifying against it then needs a verified
 * timestamp, since the signer's own claim of time could be backdated.
 */
int keyring_entry_bounded(const struct keyring_entry *ke);

/* ---------------------------------------------------- what gets signed */

enum sign_verdict {
	SIGN_VERDICT_ELIGIBLE,
	SIGN_VERDICT_NOT_ELIGIBLE,
	SIGN_VERDICT_INCOMPLETE
};

/* "eligible", "not_eligible", "incomplete". */
const char *sign_verdict_name(enum sign_verdict v);
int sign_verdict_parse(const char *s, enum sign_verdict *out);

struct sign_input {
	const char *path;
	const char *sha256; /* 64 lowercase hex digits */
};

/*
 * One pinned file: an in-toto ResourceDescriptor of the predicate's
 * `configuration` (docs/signing.md, docs/predicate.schema.json).  role is
 * one of tool, baseline, mapping, rules, plugin, poam, attestations, crm,
 * scope, keyring, input, input-file.  name is the path as given to rampart
 * (for input-file: the path relative to its input's root, and `input`
 * names that input).  A directory input's sha256 is the digest of its
 * manifest (docs/signing.md).  NULL annotations are left out.
 */
struct sign_pin {
	const char *role;
	const char *name;
	const char *sha256;
	const char *input; /* input-file: its directory input */
	const char *format; /* input: adapter */
	const char *collected; /* input: evidence collection time */
	const char *collected_how;
	const char *version; /* tool */
	const char *build_id; /* tool */
	const char *path; /* baseline: the file (name is its id) */
	const char *source; /* rules: "shipped" for the shipped packs */
};

/* An option that changes results ("gate" -> "checks"), both strings. */
struct sign_option {
	const char *name;
	const char *value;
};

/* A control's status as the report states it. */
struct sign_control {
	const char *id;
	const char *status;
};

/*
 * The facts a signed statement carries about one run.  Everything is
 * borrowed.  NULL fields: started/finished/baseline are left out;
 * version defaults to RAMPART_VERSION, binary_sha256 to the sha256 of
 * /proc/self/exe, provider to the active OpenSSL provider, sign_time to
 * now.  sign_time exists so tests can make byte-identical bundles.
 * When pins is set it is the whole `configuration` (a `tool` pin there
 * replaces the signing binary's own descriptor) and inputs/baseline_* are
 * not emitted again.
 */
struct sign_meta {
	enum sign_verdict verdict;
	const char *started, *finished; /* RFC 3339 */
	const char *baseline_id, *baseline_sha256;
	const struct sign_input *inputs;
	size_t ninputs;
	const char *const *passed; /* control ids */
	size_t npassed;
	const char *const *failed;
	size_t nfailed;
	const char *version;
	const char *binary_sha256;
	const char *provider;
	const char *sign_time;
	const struct sign_pin *pins;
	size_t npins;
	const struct sign_option *options;
	size_t noptions;
	const struct sign_control *controls;
	size_t ncontrols;
	/*
	 * Not part of the statement: with tsa_ca set, the TSA's reply is
	 * checked by tsa_check_reply() (tsa_policy may be NULL); without,
	 * a warning says it was not.
	 */
	const char *tsa_ca, *tsa_policy;
};

/*
 * Fill m from a report file's own bytes (buf, len, read once by the
 * caller, who also hashes that same buffer).  A `.json` report must parse
 * and be a rampart JSON report: verdict, started, finished,
 * baseline{id,sha256}, inputs[]{path,sha256}, controls[]{id,status} and
 * its `provenance` (pins and options).  For report.html, report.sarif,
 * report.junit.xml and report.txt the verdict is read from the file
 * itself; the other facts from `report.json` beside it, whose verdict
 * (and baseline digest, where the file states one) must agree, else the
 * file is refused.  Strings live in arena a.  0 or -1.
 */
int sign_meta_from_report(struct arena *a, struct diag *d,
    const char *report_path, const char *buf, size_t len, struct sign_meta *m);

/* ------------------------------------------ provenance (provenance.c) */

struct assessment;
struct report_opts;

/*
 * A directory input's files as pins_dir() gave them, pinned by the
 * caller right after the scan read that input (`scan --jobs` workers do
 * it beside the scan): path is the input as given; done 0 = not pinned.
 */
struct sign_input_files {
	const char *path;
	struct sign_pin *files;
	size_t nfiles;
	char digest[SHA256_HEX_LEN + 1];
	int done;
};

/* What `scan` was given beyond the run itself (all borrowed, may be NULL). */
struct sign_scan {
	const char *poam, *crm, *attest, *scope, *keyring;
	const char *const *rules; /* --rules, as given */
	size_t nrules;
	const char *const *plugins;
	size_t nplugins;
	const char *input_format;
	const char *const *checks; /* a check selection, if any */
	size_t nchecks;
	/* The run's tailoring (run_selection.text), NULL for a full run. */
	const char *selection;
	/* What the configuration sources gave ("FILE sha256:HEX; env:
	 * RAMPART_A,RAMPART_B"), NULL when none. */
	const char *config;
	const char *gate; /* "eligibility" or "checks" */
	long long max_evidence_age_days;
	long long max_results;
	int64_t fixed_time; /* 0: none */
	/* input_files[i]: r->inputs[i]'s files when done (same path), else
	 * they are pinned here; may be NULL. */
	const struct sign_input_files *input_files;
	size_t ninput_files;
};

/*
 * Build the statement's facts for a finished run: verdict, times, the
 * per-control statuses, every pinned file with its sha256 (the tool, the
 * baseline, its mapping, every rule pack file loaded, external plugins,
 * the POA&M, attestations, CRM, scope and keyring files, each input and,
 * for a directory input, each of its files) and the options that change
 * results.  Files are hashed now, but a directory input's that
 * s->input_files holds (hashed after the scan read the input); a
 * directory input whose files no longer give the digest the scan
 * recorded is an error (it changed under the scan).  Strings live in
 * arena a, or are borrowed from s->input_files.  0 or -1.
 */
int sign_meta_from_run(struct arena *a, struct diag *d,
    const struct assessment *r, const struct report_opts *ro,
    const struct sign_scan *s, struct sign_meta *m);

/*
 * Append m's provenance as compact JSON to sb: {"configuration": [...],
 * "options": {...}} (what report.json carries as `provenance`).  0 or -1.
 */
int provenance_json(struct strbuf *sb, const struct sign_meta *m);
/* The pins as the elements of a JSON array (no brackets). */
void provenance_pins_json(
    struct strbuf *sb, const struct sign_pin *v, size_t n);
/* The options as a JSON object of strings. */
void provenance_options_json(
    struct strbuf *sb, const struct sign_option *v, size_t n);

/*
 * Read a `configuration` list (statement or report provenance) into
 * arena-owned pins; each needs a name, a role and a 64-hex sha256.  0 or
 * -1.
 */
int pins_parse(struct arena *a, struct diag *d, const struct doc_node *cfg,
    struct sign_pin **out, size_t *n);

/*
 * The files of a directory input in manifest order (depth first, each
 * directory's entries sorted by byte value, names starting with '.' and
 * anything but directories and regular files skipped, symbolic links not
 * followed), with their sha256, as role "input-file" pins whose `input` is
 * root.  *digest receives the manifest digest: sha256 over, for each
 * file, "RELPATH" NUL "SHA256HEX" LF.  0 or -1.
 */
int pins_dir(struct arena *a, struct diag *d, const char *root,
    struct sign_pin **out, size_t *n, char digest[SHA256_HEX_LEN + 1]);

/* ---------------------------------------------------------------- bundle */

/*
 * Append the DSSE pre-authentication encoding
 * "DSSEv1 <len(type)> <type> <len(payload)> <payload>" to sb.  0 or -1.
 */
int dsse_pae(
    struct strbuf *sb, const char *type, const void *payload, size_t len);

/*
 * Append the in-toto Statement (compact JSON, fixed key order) for a
 * subject (file base name and sha256 hex) to sb.  0 or -1.
 */
int statement_build(struct diag *d, struct strbuf *sb, const char *subject_name,
    const char *subject_sha256, const struct sign_meta *m,
    const struct sign_key *key);

/*
 * Build a whole bundle into out: statement, signature over the PAE and,
 * when tsa_url is not NULL, an RFC 3161 timestamp over the signature
 * bytes.  0 or -1.
 */
int bundle_build(struct diag *d, struct strbuf *out, const char *subject_name,
    const char *subject_sha256, const struct sign_meta *m,
    const struct sign_key *key, const char *tsa_url);

/*
 * Sign a report file: write `<report_path>.sigstore.json` atomically.
 * key must hold a private key.  tsa_url may be NULL.  0 or -1.
 */
int bundle_sign_file(struct diag *d, const char *report_path,
    const struct sign_meta *m, const struct sign_key *key, const char *tsa_url);

/*
 * The same for a report already in memory (buf, len: the bytes read once
 * and parsed for m): the bundle goes to `<report_path>.sigstore.json`.
 */
int bundle_sign_buf(struct diag *d, const char *report_path, const void *buf,
    size_t len, const struct sign_meta *m, const struct sign_key *key,
    const char *tsa_url);

/* Verification outcomes.  Only VERIFY_VALID (1) means valid. */
#define VERIFY_VALID 1
#define VERIFY_INVALID 0
#define VERIFY_ERROR (-1) /* system, memory or crypto library error */
#define VERIFY_MALFORMED (-2) /* a file is not what it should be */

struct verify_opts {
	const struct sign_key *key; /* trusted key (--key), or */
	const struct keyring *keyring; /* trusted keys (--keyring) */
	const char *tsa_ca; /* CA file for timestamps; NULL: not checked */
	int require_timestamp; /* a verified timestamp is required */
};

/* What a valid bundle says; strings live in the caller's arena. */
struct verify_result {
	char key_id[SHA256_HEX_LEN + 1];
	const char *signer; /* keyring name, or NULL */
	const char *time; /* signing time claimed by the signer */
	const char *finished; /* when the run finished, or NULL */
	const char *baseline_id, *baseline_sha256; /* or NULL */
	const char *verdict; /* eligible / not_eligible / incomplete */
	const char *result; /* PASSED / WARNED / FAILED */
	const char *subject; /* subject name */
	int ntimestamps;
	int timestamp_verified; /* checked against tsa_ca */
	int64_t timestamp; /* verified time, epoch seconds */
	const char *subject_sha256; /* the report's, as checked */
	const char *predicate_type;
	const char *started, *key_algorithm, *crypto_provider, *build_id;
	const char *tool_version, *tool_sha256;
	struct sign_pin *pins; /* the statement's configuration */
	size_t npins;
	struct sign_option *options;
	size_t noptions;
	struct sign_control *controls;
	size_t ncontrols;
};

/*
 * Verify a bundle (bundle, blen; name for messages) against the report's
 * bytes, in this order: mediaType; exactly one signature; payloadType;
 * the key (the hint only selects a keyring entry; --key is used as is);
 * the signature over the PAE, before the payload is parsed; the payload
 * (duplicate keys rejected); predicateType; subject digest; signer key id;
 * timestamps; keyring validity.  Returns VERIFY_VALID, VERIFY_INVALID
 * (reason in d), VERIFY_MALFORMED or VERIFY_ERROR.
 */
int bundle_verify_buf(struct arena *a, struct diag *d, const char *name,
    const char *bundle, size_t blen, const void *report, size_t rlen,
    const struct verify_opts *o, struct verify_result *r);
/*
 * The same on files; bundle_path NULL means `<report_path>.sigstore.json`.
 * An unreadable file is VERIFY_MALFORMED.
 */
int bundle_verify_file(struct arena *a, struct diag *d, const char *report_path,
    const char *bundle_path, const struct verify_opts *o,
    struct verify_result *r);

/* ------------------------------------------------------ RFC 3161 (tsa.c) */

/*
 * Ask the time-stamping authority at url (http:// only) for a timestamp
 * over sha256(data), with a nonce and the TSA certificate requested; the
 * reply is checked against the request (status, imprint, nonce).  *der
 * receives the DER TimeStampResp, lib_malloc'd.  timeout_ms bounds the
 * whole exchange.  0 or -1.
 */
int tsa_timestamp(struct diag *d, const char *url, const void *data, size_t len,
    int timeout_ms, unsigned char **der, size_t *derlen);
/*
 * Verify a DER TimeStampResp over sha256(data) against the CA certificates
 * in ca_file (the TSA certificate must carry the critical timeStamping
 * extended key usage; it is checked at the token's time).  *when gets the
 * token's time.  Returns 1 valid, 0 invalid (reason in d), -1 error.
 */
int tsa_verify(struct diag *d, const unsigned char *der, size_t derlen,
    const void *data, size_t len, const char *ca_file, int64_t *when);
/*
 * At signing time, check the TSA's reply before it goes into the bundle:
 * tsa_verify() against ca_file, then the token's policy (when policy, a
 * dotted OID, is not NULL), its stated accuracy (at most 60 s) and its
 * time (within [sent, received], epoch seconds, widened by the accuracy
 * and 300 s of clock difference).  Returns 1 valid, 0 invalid (reason in
 * d), -1 error.
 */
int tsa_check_reply(struct diag *d, const unsigned char *der, size_t derlen,
    const void *data, size_t len, const char *ca_file, const char *policy,
    int64_t sent, int64_t received);

/* ------------------------------------- rechecking pins (provenance.c) */

enum pin_status {
	PIN_OK, /* recomputed, equal */
	PIN_CHANGED, /* recomputed, different */
	PIN_MISSING, /* not found under any directory given */
	PIN_UNPINNED, /* a file in a directory input the statement lacks */
	PIN_NOT_RECHECKED /* the tool itself, a live TLS probe */
};

/* "ok", "changed", "missing", "unpinned", "not_rechecked". */
const char *pin_status_name(enum pin_status s);

struct pin_check {
	const char *role, *name, *input; /* as pinned (input: input-file) */
	const char *source; /* as pinned (rules: "shipped") */
	const char *want; /* pinned sha256, NULL for unpinned */
	const char *got; /* recomputed sha256, or NULL */
	const char *file; /* the file found and read, or NULL */
	enum pin_status status;
};

/*
 * Look every pin up under dirs (a relative pinned path P as DIR/P, then
 * any path as DIR/basename(P); an absolute P also as itself; a baseline
 * by its `path`; an input-file under its located input) and recompute its
 * sha256; a directory input is recomputed from its manifest and each file
 * it holds that the statement does not pin is reported as unpinned.
 * *out is arena-owned.  Returns the number of pins that are changed,
 * missing or unpinned (0: all recomputed and equal), or -1 on a system
 * error.
 */
long pins_recheck(struct arena *a, struct diag *d, const struct sign_pin *v,
    size_t n, const char *const *dirs, size_t ndirs, struct pin_check **out,
    size_t *nout);

#endif /* RAMPART_SIGN_H */
