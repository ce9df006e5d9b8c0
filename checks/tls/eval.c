/*
 * eval.c: from probe records to check statuses.  The rules that keep a
 * scanner honest live here:
 *  - a protocol or suite counts as accepted only when the server said so
 *    (a ServerHello selecting it), whether or not our library then
 *    finished the handshake;
 *  - it counts as refused only when the server said so (an alert, a
 *    ServerHello selecting something else, or a close or reset after our
 *    ClientHello from a server that answers TLS otherwise);
 *  - anything else (timeout, garbage, our own library refusing) is
 *    `error`, never `pass`.
 */
#include <string.h>

#include "checks/tls/tls.h"

static const char *const probe_names[TLS_K_COUNT] = {
	[TLS_K_TLS13] = "tls1_3",
	[TLS_K_TLS12] = "tls1_2",
	[TLS_K_TLS10] = "tls1_0",
	[TLS_K_TLS11] = "tls1_1",
	[TLS_K_SSL3] = "ssl3-raw",
	[TLS_K_SSL2] = "ssl2-raw",
	[TLS_K_WEAK] = "weak-suites-raw",
	[TLS_K_COMPRESS] = "compression-raw",
	[TLS_K_UNAPPROVED] = "unapproved-suites",
	[TLS_K_RSAKX] = "rsa-key-transport",
	[TLS_K_DHE] = "dhe",
	[TLS_K_CHACHA] = "tls1_3-chacha20",
	[TLS_K_GROUPS13] = "tls1_3-approved-groups",
	[TLS_K_GROUPS12] = "tls1_2-approved-curves",
	[TLS_K_RAW10] = "tls1_0-raw",
	[TLS_K_RAW11] = "tls1_1-raw",
};

const char *
tls_probe_name(enum tls_probe_kind k)
{
	return (unsigned)k < TLS_K_COUNT ? probe_names[k] : "?";
}

const char *
tls_outcome_name(enum tls_outcome o)
{
	switch (o) {
	case TLS_O_NONE:
		return "not_run";
	case TLS_O_OK:
		return "ok";
	case TLS_O_ALERT:
		return "alert";
	case TLS_O_CLOSED:
		return "closed";
	case TLS_O_RESET:
		return "reset";
	case TLS_O_TCP:
		return "tcp_error";
	case TLS_O_TIMEOUT:
		return "timeout";
	case TLS_O_PROTOCOL:
		return "protocol_error";
	case TLS_O_LOCAL:
		return "local_refusal";
	}
	return "?";
}

/* Three answers to "did the server accept what this probe offered?". */
enum answer { ANS_UNKNOWN, ANS_ACCEPTED, ANS_REFUSED };

/*
 * The answer of a probe that offered exactly version `wire` (0: any
 * version; then any ServerHello is acceptance).
 */
static enum answer
answer_of(const struct tls_probe_rec *p, uint16_t wire)
{
	if (p->hello)
		return wire == 0 || p->version == wire ? ANS_ACCEPTED
						       : ANS_REFUSED;
	switch (p->outcome) {
	case TLS_O_ALERT:
	case TLS_O_CLOSED:
	case TLS_O_RESET:
		return ANS_REFUSED;
	default:
		return ANS_UNKNOWN;
	}
}

static void
set(struct tls_result *r, enum tls_check_id id, enum tls_status s,
    const char *reason)
{
	r->checks[id].status = s;
	r->checks[id].reason = reason;
}

static const char *
why_unknown(
    struct tls_result *r, const struct tls_probe_rec *p, const char *what)
{
	if (p->outcome == TLS_O_NONE)
		return arena_printf(r->arena,
		    "cannot tell %s: probe not run%s%s", what,
		    p->detail ? ": " : "", p->detail ? p->detail : "");
	return arena_printf(r->arena, "cannot tell %s: %s%s%s", what,
	    tls_outcome_name(p->outcome), p->detail ? ": " : "",
	    p->detail ? p->detail : "");
}

static const char *
refusal(struct tls_result *r, const struct tls_probe_rec *p)
{
	if (p->hello)
		return arena_printf(r->arena, "server selected %s instead",
		    tls_version_name(p->version) ? tls_version_name(p->version)
						 : "another version");
	return p->detail ? p->detail : tls_outcome_name(p->outcome);
}

static const char *
suite_name(uint16_t code)
{
	const struct tls_suite *s = tls_suite_find(code);

	return s ? s->name : "an unlisted suite";
}

static const enum tls_probe_kind proto_kind[TLS_P_COUNT] = {
	[TLS_P_SSL2] = TLS_K_SSL2,
	[TLS_P_SSL3] = TLS_K_SSL3,
	[TLS_P_TLS10] = TLS_K_TLS10,
	[TLS_P_TLS11] = TLS_K_TLS11,
	[TLS_P_TLS12] = TLS_K_TLS12,
	[TLS_P_TLS13] = TLS_K_TLS13,
};

static void
eval_protocols(struct tls_result *r, const struct tls_opts *o,
    const struct tls_probe_rec rec[TLS_K_COUNT])
{
	const struct tls_protocol *pr;
	const struct tls_probe_rec *p, *raw;
	enum tls_check_id id;
	const char *other;
	enum answer a, b;
	size_t i, j;

	for (i = 0; i < TLS_P_COUNT; i++) {
		pr = &tls_protocols[i];
		p = &rec[proto_kind[i]];
		id = (enum tls_check_id)(TLS_C_SSL2 + i);
		a = answer_of(p, pr->wire);
		if (i == TLS_P_TLS10 || i == TLS_P_TLS11) {
			/* Refused only if both hellos were refused. */
			raw =
			    &rec[i == TLS_P_TLS10 ? TLS_K_RAW10 : TLS_K_RAW11];
			b = answer_of(raw, pr->wire);
			if (b == ANS_ACCEPTED ||
			    (a == ANS_REFUSED && b == ANS_UNKNOWN)) {
				a = b;
				p = raw;
			}
		}
		other = NULL;
		if (a != ANS_ACCEPTED && (r->hello_versions & (1u << i))) {
			/* Another probe's ServerHello selected it. */
			a = ANS_ACCEPTED;
			other = "a ServerHello to another probe selected it";
			for (j = 0; j < r->nweak_suites; j++)
				if (r->weak_suites[j].version == pr->wire) {
					other = arena_printf(r->arena,
					    "with %s, offered by a hand-built "
					    "ClientHello",
					    r->weak_suites[j].name);
					break;
				}
		}
		r->protocols[i] = a == ANS_ACCEPTED ? TLS_O_OK
		    : a == ANS_REFUSED              ? TLS_O_ALERT
						    : p->outcome;
		if (a == ANS_UNKNOWN) {
			set(r, id, TLS_ERROR,
			    why_unknown(r, p,
				arena_printf(r->arena, "whether %s is accepted",
				    pr->name)));
			continue;
		}
		if (pr->rule == TLS_PROTO_REQUIRED) {
			if (a == ANS_ACCEPTED && other != NULL)
				set(r, id, TLS_PASS,
				    arena_printf(r->arena, "%s accepted (%s)",
					pr->name, other));
			else if (a == ANS_ACCEPTED)
				set(r, id, TLS_PASS,
				    arena_printf(r->arena, "%s accepted%s%s",
					pr->name, p->cipher ? " with " : "",
					p->cipher ? p->cipher : ""));
			else
				set(r, id, tls_checks[id].violation,
				    arena_printf(r->arena,
					"%s not supported (%s)", pr->name,
					refusal(r, p)));
			continue;
		}
		if (a == ANS_REFUSED) {
			set(r, id, TLS_PASS,
			    arena_printf(r->arena, "%s refused (%s)", pr->name,
				refusal(r, p)));
			continue;
		}
		if (other != NULL) {
			set(r, id,
			    pr->rule == TLS_PROTO_LEGACY && o->citizen_facing
				? TLS_WARN
				: tls_checks[id].violation,
			    arena_printf(r->arena, "server accepts %s (%s)",
				pr->name, other));
			continue;
		}
		set(r, id,
		    pr->rule == TLS_PROTO_LEGACY && o->citizen_facing
			? TLS_WARN
			: tls_checks[id].violation,
		    arena_printf(r->arena, "server accepts %s%s%s%s", pr->name,
			p->suite ? " (" : "",
			p->suite ? suite_name(p->suite) : "",
			p->suite ? ")" : ""));
	}
}

static void
eval_ciphers(struct tls_result *r, const struct tls_probe_rec rec[TLS_K_COUNT])
{
	const struct tls_probe_rec *w = &rec[TLS_K_WEAK],
				   *u = &rec[TLS_K_UNAPPROVED],
				   *k = &rec[TLS_K_RSAKX],
				   *c = &rec[TLS_K_CHACHA];
	struct strbuf sb;
	size_t i;
	enum answer a;

	if (r->nweak_suites > 0) {
		sb_init(&sb);
		sb_printf(&sb, "server accepts %zu suite(s) outside §3.3.1:",
		    r->nweak_suites);
		for (i = 0; i < r->nweak_suites && i < 8; i++)
			sb_printf(&sb, "%s %s (%s)", i ? "," : "",
			    r->weak_suites[i].name,
			    tls_version_name(r->weak_suites[i].version)
				? tls_version_name(r->weak_suites[i].version)
				: "?");
		if (r->nweak_suites > 8)
			sb_adds(&sb, ", ...");
		set(r, TLS_C_CIPHER_WEAK,
		    tls_checks[TLS_C_CIPHER_WEAK].violation,
		    sb.s ? arena_strdup(r->arena, sb.s) : NULL);
		sb_free(&sb);
	} else if (answer_of(w, 0) == ANS_UNKNOWN) {
		set(r, TLS_C_CIPHER_WEAK, TLS_ERROR,
		    why_unknown(r, w, "whether weak suites are accepted"));
	} else if (u->outcome != TLS_O_NONE && answer_of(u, 0) == ANS_UNKNOWN) {
		set(r, TLS_C_CIPHER_WEAK, TLS_ERROR,
		    why_unknown(
			r, u, "whether unapproved suites are accepted"));
	} else {
		set(r, TLS_C_CIPHER_WEAK, TLS_PASS,
		    "no suite outside §3.3.1 accepted (RC4, 3DES, DES, IDEA, "
		    "SEED, NULL, EXPORT offered by a hand-built ClientHello, "
		    "the rest through OpenSSL)");
	}

	a = answer_of(k, 0);
	if (a == ANS_ACCEPTED)
		set(r, TLS_C_CIPHER_RSA_KX,
		    tls_checks[TLS_C_CIPHER_RSA_KX].violation,
		    arena_printf(r->arena,
			"server accepts RSA key transport (%s): no forward "
			"secrecy",
			suite_name(k->suite)));
	else if (a == ANS_REFUSED)
		set(r, TLS_C_CIPHER_RSA_KX, TLS_PASS,
		    "RSA key transport suites refused");
	else
		set(r, TLS_C_CIPHER_RSA_KX, TLS_ERROR,
		    why_unknown(r, k, "whether RSA key transport is accepted"));

	a = answer_of(c, 0x0304);
	if (r->protocols[TLS_P_TLS13] != TLS_O_OK)
		set(r, TLS_C_CIPHER_CHACHA, TLS_NA, "TLS 1.3 not accepted");
	else if (a == ANS_ACCEPTED)
		set(r, TLS_C_CIPHER_CHACHA,
		    tls_checks[TLS_C_CIPHER_CHACHA].violation,
		    "server accepts TLS_CHACHA20_POLY1305_SHA256, which is not "
		    "FIPS-approved");
	else if (a == ANS_REFUSED)
		set(r, TLS_C_CIPHER_CHACHA, TLS_PASS,
		    "ChaCha20-Poly1305 refused; TLS 1.3 suites are "
		    "AES-GCM/CCM");
	else
		set(r, TLS_C_CIPHER_CHACHA, TLS_ERROR,
		    why_unknown(r, c, "whether ChaCha20-Poly1305 is accepted"));
}

static const char *
group_name(uint16_t code)
{
	const struct tls_group *g = tls_group_find(code);

	return g ? g->name : "an unlisted group";
}

/* One protocol's part of the named-group check. */
static enum tls_status
groups_part(struct tls_result *r, const struct tls_probe_rec *main,
    const struct tls_probe_rec *approved, const char *proto, struct strbuf *why)
{
	const struct tls_group *g;
	enum answer a = answer_of(approved, 0);
	enum tls_status s;

	if (a == ANS_ACCEPTED) {
		sb_printf(why, "%s%s: approved group %s accepted",
		    why->len ? "; " : "", proto,
		    approved->group ? group_name(approved->group)
				    : (approved->kx ? approved->kx : "?"));
		return TLS_PASS;
	}
	if (a == ANS_UNKNOWN) {
		sb_printf(why, "%s%s: %s", why->len ? "; " : "", proto,
		    why_unknown(r, approved, "which groups are accepted"));
		return TLS_ERROR;
	}
	g = tls_group_find(main->group);
	s = g != NULL ? g->status : tls_checks[TLS_C_KX_GROUPS].violation;
	if (s == TLS_PASS) /* refused all approved groups, yet used one */
		s = tls_checks[TLS_C_KX_GROUPS].violation;
	sb_printf(why, "%s%s: only %s accepted, no approved group",
	    why->len ? "; " : "", proto,
	    main->group ? group_name(main->group) : "unknown groups");
	return s;
}

static int
is_ecdhe_kx(const struct tls_probe_rec *p)
{
	const struct tls_group *g = tls_group_find(p->group);

	return p->group != 0 && g != NULL && strncmp(g->name, "ffdhe", 5) != 0;
}

static enum tls_status
worst(enum tls_status a, enum tls_status b)
{
	return a > b ? a : b;
}

static void
eval_kx(struct tls_result *r, const struct tls_probe_rec rec[TLS_K_COUNT])
{
	const struct tls_cert_policy *cp = &tls_cert_policy;
	const struct tls_probe_rec *d = &rec[TLS_K_DHE];
	enum tls_status s = TLS_NA;
	struct strbuf why;
	enum answer a = answer_of(d, 0);

	if (d->outcome == TLS_O_OK && d->kx_bits > 0) {
		if (d->kx_bits >= cp->min_dhe_bits)
			set(r, TLS_C_KX_DHE, TLS_PASS,
			    arena_printf(
				r->arena, "DHE group of %d bits", d->kx_bits));
		else
			set(r, TLS_C_KX_DHE, tls_checks[TLS_C_KX_DHE].violation,
			    arena_printf(r->arena,
				"DHE group of %d bits, below %d (%s)",
				d->kx_bits, cp->min_dhe_bits, cp->dhe_ref));
	} else if (a == ANS_REFUSED) {
		set(r, TLS_C_KX_DHE, TLS_NA,
		    "server does not accept DHE suites");
	} else {
		set(r, TLS_C_KX_DHE, TLS_ERROR,
		    why_unknown(r, d, "the DHE group size"));
	}

	sb_init(&why);
	if (r->protocols[TLS_P_TLS13] == TLS_O_OK)
		s = worst(s,
		    groups_part(r, &rec[TLS_K_TLS13], &rec[TLS_K_GROUPS13],
			"TLS 1.3", &why));
	if (rec[TLS_K_TLS12].outcome == TLS_O_OK &&
	    is_ecdhe_kx(&rec[TLS_K_TLS12]))
		s = worst(s,
		    groups_part(r, &rec[TLS_K_TLS12], &rec[TLS_K_GROUPS12],
			"TLS 1.2 ECDHE", &why));
	if (s == TLS_NA)
		set(r, TLS_C_KX_GROUPS, TLS_NA,
		    "no TLS 1.3 or TLS 1.2 ECDHE handshake completed");
	else
		set(r, TLS_C_KX_GROUPS, s,
		    why.s ? arena_strdup(r->arena, why.s) : NULL);
	sb_free(&why);
}

/* The completed handshake below TLS 1.3 that extension checks read. */
static const struct tls_probe_rec *
legacy_main(const struct tls_probe_rec rec[TLS_K_COUNT])
{
	static const enum tls_probe_kind order[] = { TLS_K_TLS12, TLS_K_TLS11,
		TLS_K_TLS10 };
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (rec[order[i]].outcome == TLS_O_OK)
			return &rec[order[i]];
	return NULL;
}

/*
 * Failing an OpenSSL handshake below TLS 1.3, a TLS 1.0-1.2 ServerHello to
 * a hand-built ClientHello: it offered extended_master_secret and
 * renegotiation_info, so the server's echo of each (or its absence) is its
 * answer (RFC 7627 §5.1, RFC 5746 §3.6).  The SSL 3.0 hello offered no
 * extensions and does not count.
 */
static const struct tls_probe_rec *
legacy_raw(const struct tls_probe_rec rec[TLS_K_COUNT])
{
	static const enum tls_probe_kind order[] = { TLS_K_WEAK, TLS_K_COMPRESS,
		TLS_K_RAW11, TLS_K_RAW10 };
	const struct tls_probe_rec *p;
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		p = &rec[order[i]];
		if (p->hello && p->version >= 0x0301 && p->version <= 0x0303)
			return p;
	}
	return NULL;
}

static void
eval_ext(struct tls_result *r, const struct tls_probe_rec rec[TLS_K_COUNT])
{
	const struct tls_probe_rec *l = legacy_main(rec), *m, *c;
	const char *via = "";
	enum answer a;

	if (l == NULL && (l = legacy_raw(rec)) != NULL)
		via = " (ServerHello to a hand-built ClientHello offering it)";
	if (l == NULL && rec[TLS_K_TLS13].outcome == TLS_O_OK) {
		set(r, TLS_C_EXT_EMS, TLS_NA,
		    "TLS 1.3 only: the key schedule always binds the "
		    "handshake");
		set(r, TLS_C_EXT_RENEG, TLS_NA,
		    "TLS 1.3 only: no renegotiation");
	} else if (l == NULL) {
		set(r, TLS_C_EXT_EMS, TLS_ERROR,
		    why_unknown(r, &rec[TLS_K_TLS12],
			"extended master secret "
			"support"));
		set(r, TLS_C_EXT_RENEG, TLS_ERROR,
		    why_unknown(r, &rec[TLS_K_TLS12], "RFC 5746 support"));
	} else {
		if (l->ems == 1)
			set(r, TLS_C_EXT_EMS, TLS_PASS,
			    arena_printf(r->arena,
				"extended_master_secret negotiated%s", via));
		else
			set(r, TLS_C_EXT_EMS,
			    tls_checks[TLS_C_EXT_EMS].violation,
			    arena_printf(r->arena,
				"server does not support extended master "
				"secret%s",
				via));
		if (l->reneg == 1)
			set(r, TLS_C_EXT_RENEG, TLS_PASS,
			    arena_printf(r->arena,
				"renegotiation_info (RFC 5746) supported%s",
				via));
		else
			set(r, TLS_C_EXT_RENEG,
			    tls_checks[TLS_C_EXT_RENEG].violation,
			    arena_printf(r->arena,
				"server does not support secure renegotiation "
				"(RFC 5746)%s",
				via));
	}

	c = &rec[TLS_K_COMPRESS];
	a = answer_of(c, 0);
	if (a == ANS_ACCEPTED && c->compression != 0)
		set(r, TLS_C_EXT_COMPRESSION,
		    tls_checks[TLS_C_EXT_COMPRESSION].violation,
		    arena_printf(r->arena,
			"server selected compression method %d (DEFLATE)",
			c->compression));
	else if (a == ANS_ACCEPTED)
		set(r, TLS_C_EXT_COMPRESSION, TLS_PASS,
		    "server selected null compression although DEFLATE was "
		    "offered");
	else if (a == ANS_REFUSED)
		set(r, TLS_C_EXT_COMPRESSION, TLS_PASS,
		    arena_printf(r->arena,
			"server refused a ClientHello offering DEFLATE (%s)",
			refusal(r, c)));
	else
		set(r, TLS_C_EXT_COMPRESSION, TLS_ERROR,
		    why_unknown(r, c, "whether compression is accepted"));

	m = rec[TLS_K_TLS13].outcome == TLS_O_OK ? &rec[TLS_K_TLS13] : l;
	if (m == NULL)
		set(r, TLS_C_EXT_OCSP, TLS_ERROR,
		    "cannot tell: no handshake completed");
	else if (m->ocsp == 1)
		set(r, TLS_C_EXT_OCSP, TLS_PASS,
		    "a current OCSP response stapled, signed for this "
		    "certificate, says good");
	else if (m->ocsp == 2)
		set(r, TLS_C_EXT_OCSP, tls_checks[TLS_C_EXT_OCSP].violation,
		    arena_printf(r->arena,
			"the stapled OCSP response does not count: %s",
			m->ocsp_why ? m->ocsp_why : "invalid"));
	else
		set(r, TLS_C_EXT_OCSP, tls_checks[TLS_C_EXT_OCSP].violation,
		    "no OCSP response stapled");
}

/* A probe got any TLS answer: ServerHello or alert. */
static int
answered(const struct tls_probe_rec *p)
{
	return p->hello || p->outcome == TLS_O_OK || p->outcome == TLS_O_ALERT;
}

void
tls_evaluate(struct tls_result *r, const struct tls_opts *o,
    const struct tls_probe_rec rec[TLS_K_COUNT])
{
	const struct tls_probe_rec *why = NULL;
	enum tls_status s = TLS_NA;
	size_t i;
	int alive = 0;

	for (i = 0; i < TLS_K_COUNT; i++)
		if (answered(&rec[i]))
			alive = 1;
	if (!alive) {
		/* Never pass, never fail: we learnt nothing. */
		why = &rec[TLS_K_TLS12];
		if (why->outcome == TLS_O_NONE)
			why = &rec[TLS_K_TLS13];
		r->error = arena_printf(r->arena,
		    "no TLS answer from the endpoint: %s%s%s",
		    tls_outcome_name(why->outcome), why->detail ? ": " : "",
		    why->detail ? why->detail : "");
		for (i = 0; i < TLS_C_COUNT; i++)
			set(r, (enum tls_check_id)i, TLS_ERROR, r->error);
		r->status = TLS_ERROR;
		return;
	}
	eval_protocols(r, o, rec);
	eval_ciphers(r, rec);
	eval_kx(r, rec);
	eval_ext(r, rec);
	if (!r->cert.present)
		for (i = TLS_C_CERT_CHAIN; i <= TLS_C_CERT_EKU; i++)
			set(r, (enum tls_check_id)i, TLS_ERROR,
			    "no certificate obtained: no TLS handshake "
			    "completed and no Certificate message read");
	for (i = 0; i < TLS_C_COUNT; i++) {
		if (r->checks[i].status == TLS_NA &&
		    r->checks[i].reason == NULL)
			set(r, (enum tls_check_id)i, TLS_ERROR,
			    "check not evaluated");
		s = worst(s, r->checks[i].status);
	}
	r->status = s == TLS_NA ? TLS_PASS : s;
}
