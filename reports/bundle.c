/*
 * bundle.c: signed report bundles.  Building the in-toto Statement, the
 * DSSE envelope and the Sigstore bundle v0.3 around it, and verifying one.
 *
 * Verification follows a fixed order so that nothing unauthenticated is
 * interpreted before it has to be: the bundle's framing (mediaType, one
 * signature, payloadType), then the key (the hint only picks a keyring
 * entry), then the signature over the PAE, and only then the payload.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/provider.h>

#include "reports/sign.h"

/* Report a reason for invalidity; evaluates to VERIFY_INVALID. */
#define INVALID(...) (diag_err(__VA_ARGS__), VERIFY_INVALID)

/* Bundles and payloads are small; refuse anything absurd. */
#define BUNDLE_MAX_BYTES (16u << 20)

static const char *const results[] = {
	[SIGN_VERDICT_ELIGIBLE] = "PASSED",
	[SIGN_VERDICT_NOT_ELIGIBLE] = "FAILED",
	[SIGN_VERDICT_INCOMPLETE] = "WARNED",
};

static const char *const verdicts[] = {
	[SIGN_VERDICT_ELIGIBLE] = "eligible",
	[SIGN_VERDICT_NOT_ELIGIBLE] = "not_eligible",
	[SIGN_VERDICT_INCOMPLETE] = "incomplete",
};

const char *
sign_verdict_name(enum sign_verdict v)
{
	if ((unsigned)v >= sizeof(verdicts) / sizeof(verdicts[0]))
		return "unknown";
	return verdicts[v];
}

int
sign_verdict_parse(const char *s, enum sign_verdict *out)
{
	size_t i;

	for (i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		if (strcmp(verdicts[i], s) == 0) {
			*out = (enum sign_verdict)i;
			return 0;
		}
	}
	return -1;
}

int
dsse_pae(struct strbuf *sb, const char *type, const void *payload, size_t len)
{
	size_t tlen = strlen(type);

	sb_printf(sb, "DSSEv1 %zu ", tlen);
	sb_add(sb, type, tlen);
	sb_printf(sb, " %zu ", len);
	sb_add(sb, payload, len);
	return sb->oom ? -1 : 0;
}

static int
is_sha256_hex(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != SHA256_HEX_LEN)
		return 0;
	for (i = 0; i < SHA256_HEX_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static void
json_s(struct strbuf *sb, const char *s)
{
	sb_json_str(sb, s, strlen(s));
}

/* "key":"value" with a leading comma unless first. */
static void
json_kv(struct strbuf *sb, int first, const char *k, const char *v)
{
	if (!first)
		sb_addc(sb, ',');
	json_s(sb, k);
	sb_addc(sb, ':');
	json_s(sb, v);
}

/* A ResourceDescriptor {name, digest{sha256}, annotations{...}}. */
static void
json_descriptor(struct strbuf *sb, const char *name, const char *sha256,
    const char *role, const char *version)
{
	sb_addc(sb, '{');
	json_kv(sb, 1, "name", name);
	sb_adds(sb, ",\"digest\":{");
	json_kv(sb, 1, "sha256", sha256);
	sb_adds(sb, "},\"annotations\":{");
	json_kv(sb, 1, "role", role);
	if (version != NULL)
		json_kv(sb, 0, "version", version);
	sb_adds(sb, "}}");
}

static void
json_str_list(struct strbuf *sb, const char *const *v, size_t n)
{
	size_t i;

	sb_addc(sb, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			sb_addc(sb, ',');
		json_s(sb, v[i]);
	}
	sb_addc(sb, ']');
}

static const char *
provider_name(void)
{
	return OSSL_PROVIDER_available(NULL, "fips") ? "fips" : "default";
}

/* The directory-less name of a path. */
static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

int
statement_build(struct diag *d, struct strbuf *sb, const char *subject_name,
    const char *subject_sha256, const struct sign_meta *m,
    const struct sign_key *key)
{
	char self[SHA256_HEX_LEN + 1], now[32];
	const char *bin = m->binary_sha256, *t = m->sign_time;
	size_t i;

	if ((unsigned)m->verdict >= sizeof(verdicts) / sizeof(verdicts[0]))
		return INVALID(d, NULL, "internal error: bad verdict");
	if (!is_sha256_hex(subject_sha256))
		return diag_err(d, NULL, "internal error: bad subject digest");
	if ((m->baseline_id == NULL) != (m->baseline_sha256 == NULL) ||
	    (m->baseline_sha256 != NULL && !is_sha256_hex(m->baseline_sha256)))
		return diag_err(d, NULL,
		    "the baseline needs both an id and a sha256 (64 hex "
		    "digits)");
	for (i = 0; i < m->ninputs; i++)
		if (m->inputs[i].path == NULL ||
		    !is_sha256_hex(m->inputs[i].sha256))
			return diag_err(d, NULL,
			    "input %zu needs a path and a sha256 (64 hex "
			    "digits)",
			    i + 1);
	for (i = 0; i < m->npins; i++)
		if (m->pins[i].role == NULL || m->pins[i].name == NULL ||
		    !is_sha256_hex(m->pins[i].sha256))
			return diag_err(d, NULL,
			    "pinned file %zu needs a role, a name and a "
			    "sha256 (64 hex digits)",
			    i + 1);
	if (bin == NULL) {
		if (lib_self_sha256(d, self) == -1)
			return -1;
		bin = self;
	} else if (!is_sha256_hex(bin)) {
		return diag_err(d, NULL, "internal error: bad binary digest");
	}
	if (t == NULL) {
		format_time((int64_t)time(NULL), now);
		t = now;
	}

	sb_addc(sb, '{');
	json_kv(sb, 1, "_type", INTOTO_STATEMENT_V1);
	sb_adds(sb, ",\"subject\":[{");
	json_kv(sb, 1, "name", subject_name);
	sb_adds(sb, ",\"digest\":{");
	json_kv(sb, 1, "sha256", subject_sha256);
	sb_adds(sb, "}}]");
	json_kv(sb, 0, "predicateType", TEST_RESULT_PREDICATE);
	sb_adds(sb, ",\"predicate\":{");
	json_kv(sb, 1, "result", results[m->verdict]);
	sb_adds(sb, ",\"configuration\":[");
	for (i = 0; i < m->npins; i++)
		if (strcmp(m->pins[i].role, "tool") == 0)
			break;
	if (m->pins == NULL || i == m->npins) {
		json_descriptor(sb, "rampart", bin, "tool",
		    m->version != NULL ? m->version : RAMPART_VERSION);
		if (m->npins > 0)
			sb_addc(sb, ',');
	}
	provenance_pins_json(sb, m->pins, m->npins);
	if (m->pins == NULL && m->baseline_id != NULL) {
		sb_addc(sb, ',');
		json_descriptor(
		    sb, m->baseline_id, m->baseline_sha256, "baseline", NULL);
	}
	for (i = 0; m->pins == NULL && i < m->ninputs; i++) {
		sb_addc(sb, ',');
		json_descriptor(
		    sb, m->inputs[i].path, m->inputs[i].sha256, "input", NULL);
	}
	sb_adds(sb, "],\"passedTests\":");
	json_str_list(sb, m->passed, m->npassed);
	sb_adds(sb, ",\"failedTests\":");
	json_str_list(sb, m->failed, m->nfailed);
	sb_addc(sb, ',');
	json_s(sb, RAMPART_EXTENSION);
	sb_adds(sb, ":{");
	json_kv(sb, 1, "verdict", verdicts[m->verdict]);
	if (m->started != NULL)
		json_kv(sb, 0, "started", m->started);
	if (m->finished != NULL)
		json_kv(sb, 0, "finished", m->finished);
	json_kv(sb, 0, "time", t);
	json_kv(sb, 0, "signer_key_id", key->id);
	json_kv(sb, 0, "key_algorithm", key_alg_name(key->alg));
	/* The provider that signs with this key, not merely one loaded. */
	json_kv(sb, 0, "crypto_provider",
	    m->provider != NULL                  ? m->provider
		: key_provider_name(key) != NULL ? key_provider_name(key)
						 : provider_name());
	json_kv(sb, 0, "crypto_library", OpenSSL_version(OPENSSL_VERSION));
	if (m->options != NULL) {
		sb_adds(sb, ",\"options\":");
		provenance_options_json(sb, m->options, m->noptions);
	}
	if (m->controls != NULL) {
		sb_adds(sb, ",\"controls\":{");
		for (i = 0; i < m->ncontrols; i++)
			json_kv(sb, i == 0, m->controls[i].id,
			    m->controls[i].status);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "}}}");
	if (sb->oom)
		return diag_sys(d, NULL, "out of memory");
	return 0;
}

/* Append "key": "<base64 of buf>". */
static int
json_b64(struct strbuf *sb, const unsigned char *buf, size_t len)
{
	char *b = base64_encode(buf, len);

	if (b == NULL) {
		sb->oom = 1;
		return -1;
	}
	json_s(sb, b);
	lib_free(b);
	return 0;
}

int
bundle_build(struct diag *d, struct strbuf *out, const char *subject_name,
    const char *subject_sha256, const struct sign_meta *m,
    const struct sign_key *key, const char *tsa_url)
{
	struct strbuf payload, pae;
	unsigned char *sig = NULL, *ts = NULL;
	size_t siglen = 0, tslen = 0;
	int64_t sent;
	int rc = -1;

	sb_init(&payload);
	sb_init(&pae);
	if (statement_build(
		d, &payload, subject_name, subject_sha256, m, key) == -1)
		goto out;
	if (dsse_pae(&pae, DSSE_PAYLOAD_TYPE, payload.s, payload.len) == -1) {
		diag_sys(d, NULL, "out of memory");
		goto out;
	}
	if (key_sign(d, key, pae.s, pae.len, &sig, &siglen) == -1)
		goto out;
	/* The timestamp covers the signature bytes, as Sigstore does. */
	sent = (int64_t)time(NULL);
	if (tsa_url != NULL &&
	    tsa_timestamp(d, tsa_url, sig, siglen, 10000, &ts, &tslen) == -1)
		goto out;
	/* Check the reply before it goes into the bundle (--tsa-ca). */
	if (tsa_url != NULL && m->tsa_ca != NULL &&
	    tsa_check_reply(d, ts, tslen, sig, siglen, m->tsa_ca, m->tsa_policy,
		sent, (int64_t)time(NULL)) != 1)
		goto out;
	if (tsa_url != NULL && m->tsa_ca == NULL)
		diag_warn(d, NULL,
		    "the TSA's reply was not verified (no --tsa-ca): its "
		    "signature, policy and time are taken on trust");

	sb_adds(out, "{\n  \"mediaType\": ");
	json_s(out, BUNDLE_MEDIA_TYPE);
	sb_adds(out,
	    ",\n  \"verificationMaterial\": {\n"
	    "    \"publicKey\": {\n      \"hint\": ");
	json_s(out, key->id);
	sb_adds(out, "\n    }");
	if (ts != NULL) {
		sb_adds(out,
		    ",\n    \"timestampVerificationData\": {\n"
		    "      \"rfc3161Timestamps\": [\n"
		    "        {\n          \"signedTimestamp\": ");
		json_b64(out, ts, tslen);
		sb_adds(out, "\n        }\n      ]\n    }");
	}
	sb_adds(out, "\n  },\n  \"dsseEnvelope\": {\n    \"payload\": ");
	json_b64(out, (const unsigned char *)payload.s, payload.len);
	sb_adds(out, ",\n    \"payloadType\": ");
	json_s(out, DSSE_PAYLOAD_TYPE);
	sb_adds(out, ",\n    \"signatures\": [\n      {\n        \"sig\": ");
	json_b64(out, sig, siglen);
	sb_adds(out, ",\n        \"keyid\": ");
	json_s(out, key->id);
	sb_adds(out, "\n      }\n    ]\n  }\n}\n");
	if (out->oom) {
		diag_sys(d, NULL, "out of memory");
		goto out;
	}
	rc = 0;
out:
	sb_free(&payload);
	sb_free(&pae);
	lib_free(sig);
	lib_free(ts);
	return rc;
}

int
bundle_sign_buf(struct diag *d, const char *report_path, const void *buf,
    size_t len, const struct sign_meta *m, const struct sign_key *key,
    const char *tsa_url)
{
	char digest[SHA256_HEX_LEN + 1];
	struct strbuf out, path;
	int rc = -1;

	sb_init(&out);
	sb_init(&path);
	if (sha256_buf_hex(d, buf, len, digest) == -1)
		goto out;
	if (sb_adds(&path, report_path) == -1 ||
	    sb_adds(&path, BUNDLE_SUFFIX) == -1) {
		diag_sys(d, NULL, "out of memory");
		goto out;
	}
	if (bundle_build(
		d, &out, base_name(report_path), digest, m, key, tsa_url) == -1)
		goto out;
	rc = atomic_write(d, path.s, out.s, out.len, 0644);
out:
	sb_free(&out);
	sb_free(&path);
	return rc;
}

int
bundle_sign_file(struct diag *d, const char *report_path,
    const struct sign_meta *m, const struct sign_key *key, const char *tsa_url)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	/* Read once; the digest is of these bytes. */
	if (file_read_all(d, report_path, 0, &buf, &len) == -1)
		return -1;
	rc = bundle_sign_buf(d, report_path, buf, len, m, key, tsa_url);
	lib_free(buf);
	return rc;
}

/* ---------------------------------------------------------- verification */

/* Required string member; VERIFY_MALFORMED when absent or not a string. */
static int
need_str(struct diag *d, const struct doc_node *map, const char *key,
    const char *where, const char **out)
{
	const struct doc_node *n = doc_get(map, key);

	if (n == NULL || (*out = doc_plain_str(n)) == NULL) {
		diag_err(d, map != NULL ? &map->mark : NULL,
		    "%s: '%s' is missing or not a string", where, key);
		return VERIFY_MALFORMED;
	}
	return 0;
}

/* Decode a base64 member into a lib_malloc'd buffer. */
static int
need_b64(struct diag *d, const struct doc_node *map, const char *key,
    const char *where, unsigned char **out, size_t *len)
{
	const char *s;
	int rc;

	if ((rc = need_str(d, map, key, where, &s)) != 0)
		return rc;
	if ((*out = base64_decode(s, strlen(s), len)) == NULL) {
		diag_err(d, &doc_get(map, key)->mark,
		    "%s: '%s' is not valid base64", where, key);
		return VERIFY_MALFORMED;
	}
	return 0;
}

/* Find the configuration descriptor with annotations.role == role. */
static const struct doc_node *
find_role(const struct doc_node *config, const char *role)
{
	const struct doc_node *e;
	const char *r;
	size_t i;

	if (config == NULL || config->type != DOC_SEQ)
		return NULL;
	for (i = 0; i < config->u.seq.n; i++) {
		e = config->u.seq.items[i];
		r = doc_plain_str(doc_get(doc_get(e, "annotations"), "role"));
		if (r != NULL && strcmp(r, role) == 0)
			return e;
	}
	return NULL;
}

/* Check the statement (already authenticated) and fill r. */
/* The extension's options and controls (string maps) into r. */
static int
read_ext_maps(struct arena *a, struct diag *d, const struct doc_node *ext,
    struct verify_result *r)
{
	const struct doc_node *o = doc_get(ext, "options");
	const struct doc_node *c = doc_get(ext, "controls");
	size_t i;

	if (o != NULL && o->type == DOC_MAP && o->u.map.n > 0) {
		if ((r->options = arena_alloc(
			 a, o->u.map.n * sizeof(*r->options))) == NULL)
			return diag_sys(d, NULL, "out of memory");
		for (i = 0; i < o->u.map.n; i++) {
			r->options[i].name =
			    doc_plain_str(o->u.map.pairs[i].key);
			r->options[i].value =
			    doc_plain_str(o->u.map.pairs[i].val);
			if (r->options[i].name == NULL ||
			    r->options[i].value == NULL)
				return INVALID(
				    d, &o->mark, "options must be strings");
		}
		r->noptions = o->u.map.n;
	}
	if (c != NULL && c->type == DOC_MAP && c->u.map.n > 0) {
		if ((r->controls = arena_alloc(
			 a, c->u.map.n * sizeof(*r->controls))) == NULL)
			return diag_sys(d, NULL, "out of memory");
		for (i = 0; i < c->u.map.n; i++) {
			r->controls[i].id =
			    doc_plain_str(c->u.map.pairs[i].key);
			r->controls[i].status =
			    doc_plain_str(c->u.map.pairs[i].val);
			if (r->controls[i].id == NULL ||
			    r->controls[i].status == NULL)
				return INVALID(d, &c->mark,
				    "control statuses must be strings");
		}
		r->ncontrols = c->u.map.n;
	}
	return 0;
}

static int
check_statement(struct arena *a, struct diag *d, const struct doc_node *st,
    const char *report_sha256, const struct sign_key *key,
    struct verify_result *r)
{
	const struct doc_node *tool;
	const struct doc_node *subj, *pred, *ext, *base;
	const char *s, *digest;
	enum sign_verdict v;

	if (st->type != DOC_MAP)
		return diag_err(
		    d, NULL, "the signed payload is not a JSON object");
	s = doc_plain_str(doc_get(st, "_type"));
	if (s == NULL || strcmp(s, INTOTO_STATEMENT_V1) != 0)
		return INVALID(d, NULL,
		    "the signed payload is not an in-toto Statement "
		    "v1");
	s = doc_plain_str(doc_get(st, "predicateType"));
	if (s == NULL || strcmp(s, TEST_RESULT_PREDICATE) != 0)
		return INVALID(d, NULL, "predicateType is '%s', expected '%s'",
		    s ? s : "(missing)", TEST_RESULT_PREDICATE);
	subj = doc_get(st, "subject");
	if (subj == NULL || subj->type != DOC_SEQ || subj->u.seq.n != 1)
		return INVALID(
		    d, NULL, "the statement must have exactly one subject");
	digest = doc_plain_str(
	    doc_get(doc_get(subj->u.seq.items[0], "digest"), "sha256"));
	if (digest == NULL || strcmp(digest, report_sha256) != 0)
		return INVALID(d, NULL,
		    "the report's sha256 %s does not match the signed "
		    "subject digest %s: the report was changed",
		    report_sha256, digest ? digest : "(missing)");
	r->subject = doc_plain_str(doc_get(subj->u.seq.items[0], "name"));
	pred = doc_get(st, "predicate");
	ext = doc_get(pred, RAMPART_EXTENSION);
	s = doc_plain_str(doc_get(ext, "signer_key_id"));
	if (s == NULL || strcmp(s, key->id) != 0)
		return INVALID(d, NULL,
		    "the statement names signer key '%s', but it was "
		    "verified with key '%s'",
		    s ? s : "(missing)", key->id);
	r->verdict = doc_plain_str(doc_get(ext, "verdict"));
	r->result = doc_plain_str(doc_get(pred, "result"));
	if (r->verdict == NULL || sign_verdict_parse(r->verdict, &v) == -1 ||
	    r->result == NULL || strcmp(r->result, results[v]) != 0)
		return INVALID(d, NULL,
		    "the statement's verdict and result are missing "
		    "or disagree");
	r->time = doc_plain_str(doc_get(ext, "time"));
	r->finished = doc_plain_str(doc_get(ext, "finished"));
	base = find_role(doc_get(pred, "configuration"), "baseline");
	if (base != NULL) {
		r->baseline_id = doc_plain_str(doc_get(base, "name"));
		r->baseline_sha256 =
		    doc_plain_str(doc_get(doc_get(base, "digest"), "sha256"));
	}
	r->subject_sha256 = arena_strdup(a, report_sha256);
	r->predicate_type = TEST_RESULT_PREDICATE;
	r->started = doc_plain_str(doc_get(ext, "started"));
	r->key_algorithm = doc_plain_str(doc_get(ext, "key_algorithm"));
	r->crypto_provider = doc_plain_str(doc_get(ext, "crypto_provider"));
	if ((tool = find_role(doc_get(pred, "configuration"), "tool")) !=
	    NULL) {
		r->tool_version = doc_plain_str(
		    doc_get(doc_get(tool, "annotations"), "version"));
		r->build_id = doc_plain_str(
		    doc_get(doc_get(tool, "annotations"), "build_id"));
		r->tool_sha256 =
		    doc_plain_str(doc_get(doc_get(tool, "digest"), "sha256"));
	}
	if (pins_parse(a, d, doc_get(pred, "configuration"), &r->pins,
		&r->npins) == -1)
		return VERIFY_INVALID;
	if (read_ext_maps(a, d, ext, r) != 0)
		return VERIFY_INVALID;
	return 1;
}

/* Check every RFC 3161 timestamp in the bundle. */
static int
check_timestamps(struct diag *d, const struct doc_node *vm,
    const unsigned char *sig, size_t siglen, const char *tsa_ca,
    struct verify_result *r)
{
	const struct doc_node *list, *e;
	unsigned char *der = NULL;
	size_t i, derlen;
	int64_t when;
	int rc;

	list = doc_get(
	    doc_get(vm, "timestampVerificationData"), "rfc3161Timestamps");
	if (list == NULL)
		return 1;
	if (list->type != DOC_SEQ) {
		diag_err(d, &list->mark, "rfc3161Timestamps must be a list");
		return VERIFY_MALFORMED;
	}
	r->ntimestamps = (int)list->u.seq.n;
	if (list->u.seq.n == 0)
		return 1;
	if (tsa_ca == NULL) {
		diag_warn(d, &list->mark,
		    "the bundle has a timestamp, but no --tsa-ca was given "
		    "to check it; it is ignored");
		return 1;
	}
	for (i = 0; i < list->u.seq.n; i++) {
		e = list->u.seq.items[i];
		if ((rc = need_b64(d, e, "signedTimestamp", "timestamp", &der,
			 &derlen)) != 0)
			return rc;
		rc = tsa_verify(d, der, derlen, sig, siglen, tsa_ca, &when);
		lib_free(der);
		der = NULL;
		if (rc != 1)
			return rc == 0 ? VERIFY_INVALID : VERIFY_ERROR;
		if (i == 0 || when < r->timestamp)
			r->timestamp = when;
	}
	r->timestamp_verified = 1;
	return 1;
}

/*
 * A verified timestamp was required (--require-timestamp, or a keyring
 * entry with validity dates, so a retired key cannot backdate a signature
 * by leaving the timestamp out) and there is none.  Returns
 * VERIFY_INVALID.
 */
static int
no_timestamp(struct diag *d, const struct verify_opts *o,
    const struct keyring_entry *ke, const struct verify_result *r)
{
	const char *why = o->require_timestamp
	    ? "--require-timestamp was given"
	    : "its keyring entry bounds the key's validity in time";

	if (r->ntimestamps > 0)
		return INVALID(d, NULL,
		    "a verified RFC 3161 timestamp is required (%s), and the "
		    "bundle's timestamp cannot be checked without --tsa-ca",
		    why);
	return INVALID(d, NULL,
	    "a verified RFC 3161 timestamp is required (%s), and the "
	    "bundle has none%s%s%s",
	    why, ke != NULL ? ": key '" : "", ke != NULL ? ke->id : "",
	    ke != NULL ? "' cannot vouch for its own signing time" : "");
}

/* The keyring's validity window for the entry. */
static int
check_validity(struct diag *d, const struct keyring_entry *ke,
    const struct verify_result *r)
{
	char b1[32], b2[32];
	int64_t t = 0;

	if (ke->revoked_at != 0) {
		format_time(ke->revoked_at, b1);
		if (!r->timestamp_verified)
			return INVALID(d, NULL,
			    "key '%s' was revoked at %s and no verified "
			    "timestamp proves the report was signed "
			    "before",
			    ke->id, b1);
		if (r->timestamp >= ke->revoked_at) {
			format_time(r->timestamp, b2);
			return INVALID(d, NULL,
			    "key '%s' was revoked at %s; the report "
			    "was timestamped at %s",
			    ke->id, b1, b2);
		}
	}
	if (ke->not_before == 0 && ke->retired_at == 0)
		return 1;
	/* Signing time: the verified timestamp, else the signer's claim. */
	if (r->timestamp_verified)
		t = r->timestamp;
	else if (r->time == NULL || parse_time(r->time, &t) == -1)
		return INVALID(d, NULL,
		    "the statement has no valid signing time to check "
		    "key '%s' validity against",
		    ke->id);
	if (ke->not_before != 0 && t < ke->not_before) {
		format_time(ke->not_before, b1);
		return INVALID(d, NULL,
		    "the report was signed before key '%s' became "
		    "valid (%s)",
		    ke->id, b1);
	}
	if (ke->retired_at != 0 && t >= ke->retired_at) {
		format_time(ke->retired_at, b1);
		return INVALID(d, NULL,
		    "the report was signed after key '%s' was retired "
		    "(%s)",
		    ke->id, b1);
	}
	return 1;
}

/*
 * The steps of bundle_verify_buf(), in order.  Each returns 1 to go on,
 * or the outcome to return (VERIFY_MALFORMED, VERIFY_INVALID,
 * VERIFY_ERROR) with the reason in d.
 */

/* 1. One JSON object of the rampart mediaType, with its two parts. */
static int
step_bundle(struct arena *a, struct diag *d, const struct mark *m,
    const char *bundle, size_t blen, const struct load_limits *lim,
    const struct doc_node **env, const struct doc_node **vm)
{
	struct doc_node **docs = NULL, *root;
	const char *s;
	size_t ndocs = 0;

	if (blen > BUNDLE_MAX_BYTES) {
		diag_err(
		    d, m, "bundle is larger than %u bytes", BUNDLE_MAX_BYTES);
		return VERIFY_MALFORMED;
	}
	if (doc_load_buf(a, d, m->file, bundle, blen, DOC_FMT_JSON, lim, &docs,
		&ndocs) == -1)
		return VERIFY_MALFORMED;
	if (ndocs != 1 || (root = docs[0])->type != DOC_MAP) {
		diag_err(d, m, "a bundle must be one JSON object");
		return VERIFY_MALFORMED;
	}
	if (need_str(d, root, "mediaType", "bundle", &s) != 0)
		return VERIFY_MALFORMED;
	if (strcmp(s, BUNDLE_MEDIA_TYPE) != 0)
		return INVALID(d, &doc_get(root, "mediaType")->mark,
		    "unsupported bundle mediaType '%s', expected '%s'", s,
		    BUNDLE_MEDIA_TYPE);
	if (doc_get(root, "messageSignature") != NULL)
		return INVALID(d, m,
		    "a bundle with a messageSignature is not a "
		    "rampart report bundle");
	*env = doc_get(root, "dsseEnvelope");
	*vm = doc_get(root, "verificationMaterial");
	if (*env == NULL || (*env)->type != DOC_MAP || *vm == NULL ||
	    (*vm)->type != DOC_MAP) {
		diag_err(d, m,
		    "bundle: 'dsseEnvelope' and 'verificationMaterial' must "
		    "be objects");
		return VERIFY_MALFORMED;
	}
	return 1;
}

/* 2-3. Exactly one signature, and the in-toto payloadType. */
static int
step_envelope(struct diag *d, const struct doc_node *env,
    const struct doc_node **sig0, const char **ptype)
{
	const struct doc_node *sigs = doc_get(env, "signatures");

	if (sigs == NULL || sigs->type != DOC_SEQ) {
		diag_err(d, &env->mark,
		    "dsseEnvelope: 'signatures' is missing or not a list");
		return VERIFY_MALFORMED;
	}
	if (sigs->u.seq.n != 1)
		return INVALID(d, &sigs->mark,
		    "the envelope must hold exactly one signature, it holds "
		    "%zu",
		    sigs->u.seq.n);
	*sig0 = sigs->u.seq.items[0];
	if (need_str(d, env, "payloadType", "dsseEnvelope", ptype) != 0)
		return VERIFY_MALFORMED;
	if (strcmp(*ptype, DSSE_PAYLOAD_TYPE) != 0)
		return INVALID(d, &doc_get(env, "payloadType")->mark,
		    "payloadType is '%s', expected '%s'", *ptype,
		    DSSE_PAYLOAD_TYPE);
	return 1;
}

/* 4. The key.  Hints are unauthenticated: they only select. */
static int
step_key(struct diag *d, const struct mark *m, const struct verify_opts *o,
    const struct doc_node *vm, const struct doc_node *sig0,
    const struct sign_key **key, const struct keyring_entry **ke,
    struct verify_result *r)
{
	const char *hint = NULL, *keyid = NULL;

	*key = o->key;
	*ke = NULL;
	if (doc_get(vm, "publicKey") != NULL)
		hint = doc_plain_str(doc_get(doc_get(vm, "publicKey"), "hint"));
	if (sig0->type == DOC_MAP)
		keyid = doc_plain_str(doc_get(sig0, "keyid"));
	if (hint != NULL && keyid != NULL && keyid[0] != '\0' &&
	    strcmp(hint, keyid) != 0)
		return INVALID(d, &sig0->mark,
		    "the signature's keyid '%s' differs from the bundle's "
		    "key hint '%s'",
		    keyid, hint);
	if (hint == NULL)
		hint = keyid;
	if (o->keyring != NULL) {
		if (hint == NULL)
			return INVALID(d, m,
			    "the bundle names no key (no hint, no keyid) to "
			    "look up in the keyring");
		if ((*ke = keyring_find(o->keyring, hint)) == NULL)
			return INVALID(d, m,
			    "the bundle's key '%s' is not in the keyring",
			    hint);
		*key = (*ke)->key;
		r->signer = (*ke)->name;
	}
	memcpy(r->key_id, (*key)->id, sizeof(r->key_id));
	return 1;
}

/* 5. The signature over the PAE, before the payload is parsed. */
static int
step_signature(struct diag *d, const struct mark *m, const struct sign_key *key,
    const struct doc_node *env, const struct doc_node *sig0, const char *ptype,
    unsigned char **payload, size_t *plen, unsigned char **sig, size_t *siglen)
{
	struct strbuf pae;
	int rc = 1;

	if (need_b64(d, sig0, "sig", "signature", sig, siglen) != 0 ||
	    need_b64(d, env, "payload", "dsseEnvelope", payload, plen) != 0)
		return VERIFY_MALFORMED;
	sb_init(&pae);
	if (dsse_pae(&pae, ptype, *payload, *plen) == -1) {
		diag_sys(d, NULL, "out of memory");
		rc = VERIFY_ERROR;
	} else if (key_verify(key, pae.s, pae.len, *sig, *siglen) != 1) {
		rc = INVALID(d, m,
		    "the signature does not verify with key '%s' (%s)", key->id,
		    key_alg_name(key->alg));
	}
	sb_free(&pae);
	return rc;
}

/* 6-9. The payload (duplicate keys rejected by the loader), then its
 * predicateType, subject digest and signer key id. */
static int
step_statement(struct arena *a, struct diag *d, const struct mark *m,
    const unsigned char *payload, size_t plen, const struct load_limits *lim,
    const void *report, size_t rlen, const struct sign_key *key,
    struct verify_result *r)
{
	struct doc_node **pdocs = NULL;
	char report_sha[SHA256_HEX_LEN + 1];
	size_t npdocs = 0;

	if (doc_load_buf(a, d, "signed payload", (const char *)payload, plen,
		DOC_FMT_JSON, lim, &pdocs, &npdocs) == -1 ||
	    npdocs != 1)
		return INVALID(d, m,
		    "the signed payload is not one valid JSON "
		    "document");
	if (sha256_buf_hex(d, report, rlen, report_sha) == -1)
		return VERIFY_ERROR;
	return check_statement(a, d, pdocs[0], report_sha, key, r) == 1
	    ? 1
	    : VERIFY_INVALID;
}

/* 10. Timestamps, then the keyring's validity window. */
static int
step_time(struct diag *d, const struct verify_opts *o,
    const struct doc_node *vm, const unsigned char *sig, size_t siglen,
    const struct keyring_entry *ke, struct verify_result *r)
{
	int rc;

	if ((rc = check_timestamps(d, vm, sig, siglen, o->tsa_ca, r)) != 1)
		return rc;
	if (ke != NULL && (rc = check_validity(d, ke, r)) != 1)
		return rc;
	if ((o->require_timestamp ||
		(ke != NULL && keyring_entry_bounded(ke))) &&
	    !r->timestamp_verified)
		return no_timestamp(d, o, ke, r);
	return 1;
}

int
bundle_verify_buf(struct arena *a, struct diag *d, const char *name,
    const char *bundle, size_t blen, const void *report, size_t rlen,
    const struct verify_opts *o, struct verify_result *r)
{
	const struct doc_node *env = NULL, *vm = NULL, *sig0 = NULL;
	const struct keyring_entry *ke = NULL;
	const struct sign_key *key = NULL;
	const char *ptype = NULL;
	unsigned char *payload = NULL, *sig = NULL;
	size_t plen = 0, siglen = 0;
	struct load_limits lim;
	struct mark m = { name, 0, 0 };
	int rc;

	memset(r, 0, sizeof(*r));
	if ((o->key == NULL) == (o->keyring == NULL)) {
		diag_err(d, NULL, "internal error: give a key or a keyring");
		return VERIFY_ERROR;
	}
	load_limits_default(&lim);
	lim.max_depth = 32;
	lim.max_doc_bytes = BUNDLE_MAX_BYTES;
	if ((rc = step_bundle(a, d, &m, bundle, blen, &lim, &env, &vm)) == 1 &&
	    (rc = step_envelope(d, env, &sig0, &ptype)) == 1 &&
	    (rc = step_key(d, &m, o, vm, sig0, &key, &ke, r)) == 1 &&
	    (rc = step_signature(d, &m, key, env, sig0, ptype, &payload, &plen,
		 &sig, &siglen)) == 1 &&
	    (rc = step_statement(
		 a, d, &m, payload, plen, &lim, report, rlen, key, r)) == 1 &&
	    (rc = step_time(d, o, vm, sig, siglen, ke, r)) == 1)
		rc = VERIFY_VALID;
	lib_free(payload);
	lib_free(sig);
	return rc;
}

int
bundle_verify_file(struct arena *a, struct diag *d, const char *report_path,
    const char *bundle_path, const struct verify_opts *o,
    struct verify_result *r)
{
	char *report = NULL, *bundle = NULL;
	size_t rlen = 0, blen = 0;
	struct strbuf path;
	int rc = VERIFY_MALFORMED;

	memset(r, 0, sizeof(*r));
	sb_init(&path);
	if (bundle_path == NULL) {
		if (sb_adds(&path, report_path) == -1 ||
		    sb_adds(&path, BUNDLE_SUFFIX) == -1) {
			diag_sys(d, NULL, "out of memory");
			rc = VERIFY_ERROR;
			goto out;
		}
		bundle_path = path.s;
	}
	if (file_read_all(d, report_path, 0, &report, &rlen) == -1 ||
	    file_read_all(d, bundle_path, BUNDLE_MAX_BYTES, &bundle, &blen) ==
		-1)
		goto out;
	if ((bundle_path = arena_strdup(a, bundle_path)) == NULL) {
		diag_sys(d, NULL, "out of memory");
		rc = VERIFY_ERROR;
		goto out;
	}
	rc = bundle_verify_buf(
	    a, d, bundle_path, bundle, blen, report, rlen, o, r);
out:
	sb_free(&path);
	lib_free(report);
	lib_free(bundle);
	return rc;
}
