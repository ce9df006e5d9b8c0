/*
 * hello.c: the hand-built ClientHello for what stock OpenSSL will not
 * offer (SSL 2.0, SSL 3.0, RC4, 3DES, DES, EXPORT, IDEA, SEED, NULL,
 * compression) and the parsers of what we read back: the server's first
 * message (a ServerHello or an alert) and, for TLS <= 1.2, the Certificate
 * message that follows in cleartext.  Everything here is pure (no I/O, no
 * allocation), so the parsers are fuzzed directly.
 */
#include <string.h>

#include "checks/tls/tls.h"

/* ------------------------------------------------------------ building */

struct wbuf {
	unsigned char *p;
	size_t len, cap;
	int bad;
};

static void
put8(struct wbuf *w, unsigned v)
{
	if (w->len >= w->cap) {
		w->bad = 1;
		return;
	}
	w->p[w->len++] = (unsigned char)v;
}

static void
put16(struct wbuf *w, unsigned v)
{
	put8(w, (v >> 8) & 0xff);
	put8(w, v & 0xff);
}

static void
put24(struct wbuf *w, unsigned long v)
{
	put8(w, (unsigned)(v >> 16) & 0xff);
	put16(w, (unsigned)(v & 0xffff));
}

static void
putn(struct wbuf *w, const void *s, size_t n)
{
	if (n > w->cap - w->len) {
		w->bad = 1;
		return;
	}
	memcpy(w->p + w->len, s, n);
	w->len += n;
}

/* Patch a 16- or 24-bit length at off to cover everything after it. */
static void
patch_len(struct wbuf *w, size_t off, int bytes)
{
	size_t n = w->len - off - (size_t)bytes;

	if (w->bad)
		return;
	if (bytes == 3) {
		w->p[off] = (unsigned char)(n >> 16);
		off++;
	}
	w->p[off] = (unsigned char)(n >> 8);
	w->p[off + 1] = (unsigned char)n;
}

/*
 * Extensions a 2010s client sends, enough for any server to pick an
 * ECDHE or DHE suite: SNI, supported_groups, ec_point_formats,
 * signature_algorithms (SHA-1 and MD5 included: we want the server's
 * worst), renegotiation_info, extended_master_secret.
 */
static void
put_extensions(struct wbuf *w, const struct tls_hello_spec *s)
{
	static const uint16_t groups[] = { 0x0017, 0x0018, 0x0019, 0x001d,
		0x001e, 0x0100, 0x0101, 0x0102, 0x0015, 0x0013 };
	static const uint16_t sigalgs[] = { 0x0403, 0x0503, 0x0603, 0x0804,
		0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201, 0x0402,
		0x0202, 0x0101 };
	size_t ext, off, n, i;

	ext = w->len;
	put16(w, 0);
	if (s->sni != NULL && (n = strlen(s->sni)) > 0 && n < 256) {
		put16(w, 0x0000);
		put16(w, (unsigned)n + 5);
		put16(w, (unsigned)n + 3);
		put8(w, 0); /* host_name */
		put16(w, (unsigned)n);
		putn(w, s->sni, n);
	}
	put16(w, 0x000a);
	off = w->len;
	put16(w, 0);
	put16(w, (unsigned)(sizeof(groups) / sizeof(groups[0]) * 2));
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		put16(w, groups[i]);
	patch_len(w, off, 2);
	put16(w, 0x000b); /* ec_point_formats: uncompressed */
	put16(w, 2);
	put8(w, 1);
	put8(w, 0);
	if (s->client_version >= 0x0303) {
		put16(w, 0x000d);
		off = w->len;
		put16(w, 0);
		put16(w, (unsigned)(sizeof(sigalgs) / sizeof(sigalgs[0]) * 2));
		for (i = 0; i < sizeof(sigalgs) / sizeof(sigalgs[0]); i++)
			put16(w, sigalgs[i]);
		patch_len(w, off, 2);
	}
	put16(w, 0x0017); /* extended_master_secret */
	put16(w, 0);
	put16(w, 0xff01); /* renegotiation_info, initial handshake */
	put16(w, 1);
	put8(w, 0);
	patch_len(w, ext, 2);
}

int
tls_hello_build(
    const struct tls_hello_spec *s, unsigned char *buf, size_t cap, size_t *len)
{
	static const uint8_t null_only[] = { 0 };
	const uint8_t *comp = s->compression ? s->compression : null_only;
	size_t ncomp = s->compression ? s->ncompression : 1;
	struct wbuf w = { buf, 0, cap, 0 };
	size_t rec, hs, i;

	if (s->nsuites == 0 || s->nsuites > 0x7fff || ncomp == 0 ||
	    ncomp > 0xff || s->client_version < 0x0300)
		return -1;
	put8(&w, 22);
	put16(&w, s->record_version);
	rec = w.len;
	put16(&w, 0);
	put8(&w, 1); /* client_hello */
	hs = w.len;
	put24(&w, 0);
	put16(&w, s->client_version);
	putn(&w, s->random, 32);
	put8(&w, 0); /* empty session id */
	put16(&w, (unsigned)s->nsuites * 2);
	for (i = 0; i < s->nsuites; i++)
		put16(&w, s->suites[i]);
	put8(&w, (unsigned)ncomp);
	putn(&w, comp, ncomp);
	if (s->extensions)
		put_extensions(&w, s);
	patch_len(&w, hs, 3);
	patch_len(&w, rec, 2);
	if (w.bad || w.len - 5 > 16384)
		return -1;
	*len = w.len;
	return 0;
}

int
tls_hello_build_ssl2(const uint32_t *specs, size_t n,
    const unsigned char challenge[16], unsigned char *buf, size_t cap,
    size_t *len)
{
	struct wbuf w = { buf, 0, cap, 0 };
	size_t i, body;

	if (n == 0 || n > 1000)
		return -1;
	body = 9 + n * 3 + 16;
	put16(&w, 0x8000 | (unsigned)body); /* 2-byte header, no padding */
	put8(&w, 1); /* CLIENT-HELLO */
	put16(&w, 0x0002);
	put16(&w, (unsigned)n * 3);
	put16(&w, 0); /* session id */
	put16(&w, 16); /* challenge */
	for (i = 0; i < n; i++) {
		put8(&w, (specs[i] >> 16) & 0xff);
		put16(&w, specs[i] & 0xffff);
	}
	putn(&w, challenge, 16);
	if (w.bad)
		return -1;
	*len = w.len;
	return 0;
}

/* ------------------------------------------------------------- parsing */

/* A bounds-checked reader: every get fails once past the end. */
struct rbuf {
	const unsigned char *p;
	size_t len, off;
	int bad;
};

static unsigned
get8(struct rbuf *r)
{
	if (r->off >= r->len) {
		r->bad = 1;
		return 0;
	}
	return r->p[r->off++];
}

static unsigned
get16(struct rbuf *r)
{
	unsigned hi = get8(r);

	return (hi << 8) | get8(r);
}

static void
skip(struct rbuf *r, size_t n)
{
	if (n > r->len - r->off) {
		r->bad = 1;
		r->off = r->len;
		return;
	}
	r->off += n;
}

static enum tls_reply_kind
malformed(struct tls_reply *r, const char *why)
{
	r->kind = TLS_REPLY_MALFORMED;
	r->why = why;
	return r->kind;
}

/* The SHA-256 of "HelloRetryRequest" (RFC 8446 §4.1.3). */
static const unsigned char hrr_random[32] = { 0xcf, 0x21, 0xad, 0x74, 0xe5,
	0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2,
	0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8,
	0xa8, 0x33, 0x9c };

enum tls_reply_kind
tls_server_hello_parse(
    const unsigned char *msg, size_t len, struct tls_reply *r)
{
	struct rbuf b = { msg, len, 0, 0 };
	struct rbuf e;
	size_t body, sid, extlen, elen;
	unsigned type, etype;
	int hrr;

	if (get8(&b) != 2 || b.bad)
		return malformed(r,
		    "first handshake message is not a "
		    "ServerHello");
	body = (size_t)get8(&b) << 16;
	body |= get16(&b);
	if (b.bad || body != len - 4)
		return malformed(r, "ServerHello length mismatch");
	r->legacy_version = (uint16_t)get16(&b);
	r->version = r->legacy_version;
	if (b.bad || (r->legacy_version >> 8) != 3)
		return malformed(r, "ServerHello version is not 3.x");
	if (b.off + 32 > b.len)
		return malformed(r, "ServerHello truncated");
	hrr = memcmp(b.p + b.off, hrr_random, 32) == 0;
	skip(&b, 32);
	sid = get8(&b);
	if (sid > 32)
		return malformed(r, "ServerHello session id too long");
	skip(&b, sid);
	r->suite = (uint16_t)get16(&b);
	r->compression = (uint8_t)get8(&b);
	if (b.bad)
		return malformed(r, "ServerHello truncated");
	if (b.off < b.len) {
		extlen = get16(&b);
		if (b.bad || extlen != b.len - b.off)
			return malformed(r,
			    "ServerHello extensions length "
			    "mismatch");
		while (b.off < b.len) {
			etype = get16(&b);
			elen = get16(&b);
			if (b.bad || elen > b.len - b.off)
				return malformed(r,
				    "ServerHello extension "
				    "truncated");
			e.p = b.p + b.off;
			e.len = elen;
			e.off = 0;
			e.bad = 0;
			skip(&b, elen);
			if (etype == 0xff01)
				r->reneg_info = 1;
			else if (etype == 0x0017)
				r->ems = 1;
			else if (etype == 0x002b) {
				r->version = (uint16_t)get16(&e);
				if (e.bad || e.len != 2)
					return malformed(r,
					    "bad supported_versions "
					    "extension");
			}
		}
	}
	type = hrr ? TLS_REPLY_HRR : TLS_REPLY_SERVER_HELLO;
	r->kind = (enum tls_reply_kind)type;
	return r->kind;
}

/* An SSL 2.0 record starting at buf (the MSB of buf[0] is set). */
static enum tls_reply_kind
parse_ssl2(const unsigned char *buf, size_t len, struct tls_reply *r)
{
	struct rbuf b;
	size_t reclen, certlen, specslen;
	unsigned type;

	if (len < 3)
		return r->kind = TLS_REPLY_NEED_MORE;
	reclen = ((size_t)(buf[0] & 0x7f) << 8) | buf[1];
	type = buf[2];
	if (type != 4 && type != 0)
		return malformed(r, "not TLS: unexpected SSL 2.0 message");
	if (reclen < 1)
		return malformed(r, "empty SSL 2.0 record");
	if (len < 2 + reclen)
		return r->kind = TLS_REPLY_NEED_MORE;
	b.p = buf + 2;
	b.len = reclen;
	b.off = 1;
	b.bad = 0;
	if (type == 0) {
		r->ssl2_error = (uint16_t)get16(&b);
		if (b.bad)
			return malformed(r, "SSL 2.0 error truncated");
		return r->kind = TLS_REPLY_SSL2_ERROR;
	}
	skip(&b, 2); /* session id hit, certificate type */
	r->version = r->legacy_version = (uint16_t)get16(&b);
	certlen = get16(&b);
	specslen = get16(&b);
	skip(&b, 2); /* connection id length */
	if (b.bad || r->version != 0x0002 || specslen % 3 != 0)
		return malformed(r, "bad SSL 2.0 SERVER-HELLO");
	skip(&b, certlen);
	if (b.off + specslen > b.len || b.bad)
		return malformed(r, "SSL 2.0 SERVER-HELLO truncated");
	r->nssl2_specs = specslen / 3;
	if (specslen > 0)
		r->ssl2_spec = ((uint32_t)b.p[b.off] << 16) |
		    ((uint32_t)b.p[b.off + 1] << 8) | b.p[b.off + 2];
	return r->kind = TLS_REPLY_SSL2_HELLO;
}

/* Largest ServerHello we accept: real ones are a few hundred bytes. */
#define SH_MAX 4096

enum tls_reply_kind
tls_reply_parse(const unsigned char *buf, size_t len, struct tls_reply *r)
{
	unsigned char hs[SH_MAX];
	size_t off = 0, hslen = 0, reclen, need;
	unsigned type;

	memset(r, 0, sizeof(*r));
	if (len == 0)
		return r->kind = TLS_REPLY_NEED_MORE;
	if (buf[0] & 0x80)
		return parse_ssl2(buf, len, r);
	if (buf[0] != 21 && buf[0] != 22)
		return malformed(r,
		    buf[0] == 'H' ? "not TLS: looks like HTTP"
				  : "not TLS: unexpected "
				    "record type");
	/* Reassemble the first handshake message across records. */
	for (;;) {
		if (len - off < 5)
			return r->kind = TLS_REPLY_NEED_MORE;
		type = buf[off];
		if (off == 0)
			r->record_version =
			    (uint16_t)((buf[off + 1] << 8) | buf[off + 2]);
		reclen = ((size_t)buf[off + 3] << 8) | buf[off + 4];
		if (buf[off + 1] != 3)
			return malformed(r,
			    "not TLS: record version is "
			    "not 3.x");
		if (reclen > 16384 + 2048)
			return malformed(r, "record too long");
		if (type == 21 && hslen == 0) {
			if (reclen < 2)
				return malformed(r, "alert record too short");
			if (len - off - 5 < 2)
				return r->kind = TLS_REPLY_NEED_MORE;
			r->alert_level = buf[off + 5];
			r->alert_desc = buf[off + 6];
			return r->kind = TLS_REPLY_ALERT;
		}
		if (type != 22)
			return malformed(r,
			    "unexpected record before the "
			    "ServerHello");
		if (len - off - 5 < reclen)
			return r->kind = TLS_REPLY_NEED_MORE;
		need = reclen;
		if (need > SH_MAX - hslen)
			return malformed(r, "ServerHello too large");
		memcpy(hs + hslen, buf + off + 5, need);
		hslen += need;
		off += 5 + reclen;
		if (hslen >= 4) {
			if (hs[0] != 2)
				return malformed(r,
				    "first handshake message "
				    "is not a ServerHello");
			need = ((size_t)hs[1] << 16) | ((size_t)hs[2] << 8) |
			    hs[3];
			if (need > SH_MAX - 4)
				return malformed(r, "ServerHello too large");
			if (hslen >= 4 + need) {
				return tls_server_hello_parse(hs, 4 + need, r);
			}
		}
		if (off >= len)
			return r->kind = TLS_REPLY_NEED_MORE;
	}
}

static enum tls_certs_kind
certs_fail(struct tls_cert_list *out, enum tls_certs_kind k, const char *why)
{
	out->n = 0;
	out->why = why;
	return k;
}

static size_t
get24(const unsigned char *p)
{
	return ((size_t)p[0] << 16) | ((size_t)p[1] << 8) | p[2];
}

enum tls_certs_kind
tls_certificate_parse(const unsigned char *buf, size_t len, unsigned char *hs,
    size_t hscap, struct tls_cert_list *out)
{
	size_t off = 0, hslen = 0, reclen, pos, mlen, total, clen, end;
	int stopped = 0; /* a record that is not a handshake came next */

	memset(out, 0, sizeof(*out));
	/* The handshake bytes of the leading complete handshake records. */
	while (len - off >= 5) {
		reclen = ((size_t)buf[off + 3] << 8) | buf[off + 4];
		if (buf[off + 1] != 3)
			return certs_fail(out, TLS_CERTS_MALFORMED,
			    "record version is not 3.x");
		if (reclen > 16384 + 2048)
			return certs_fail(
			    out, TLS_CERTS_MALFORMED, "record too long");
		if (buf[off] != 22) {
			stopped = 1;
			break;
		}
		if (len - off - 5 < reclen)
			break;
		if (reclen > hscap - hslen)
			return certs_fail(out, TLS_CERTS_MALFORMED,
			    "handshake messages exceed the certificate list "
			    "limit");
		memcpy(hs + hslen, buf + off + 5, reclen);
		hslen += reclen;
		off += 5 + reclen;
	}
	/* The ServerHello, then the message after it. */
	pos = 0;
	if (hslen < 4)
		goto incomplete;
	if (hs[0] != 2)
		return certs_fail(out, TLS_CERTS_MALFORMED,
		    "first handshake message is not a ServerHello");
	mlen = get24(hs + 1);
	if (mlen > hslen - 4)
		goto incomplete;
	pos = 4 + mlen;
	if (hslen - pos < 4)
		goto incomplete;
	if (hs[pos] != 11)
		return certs_fail(out, TLS_CERTS_ABSENT,
		    "no Certificate message after the ServerHello");
	mlen = get24(hs + pos + 1);
	if (mlen > TLS_CERT_LIST_MAX)
		return certs_fail(out, TLS_CERTS_MALFORMED,
		    "certificate list exceeds the limit");
	if (mlen > hslen - pos - 4)
		goto incomplete;
	pos += 4;
	end = pos + mlen;
	if (mlen < 3 || (total = get24(hs + pos)) != mlen - 3)
		return certs_fail(out, TLS_CERTS_MALFORMED,
		    "Certificate message length mismatch");
	pos += 3;
	if (total == 0)
		return certs_fail(
		    out, TLS_CERTS_ABSENT, "empty certificate list");
	while (pos < end) {
		if (end - pos < 3)
			return certs_fail(out, TLS_CERTS_MALFORMED,
			    "certificate entry truncated");
		clen = get24(hs + pos);
		pos += 3;
		if (clen == 0 || clen > end - pos)
			return certs_fail(out, TLS_CERTS_MALFORMED,
			    "certificate entry length mismatch");
		if (out->n == TLS_CERTS_MAX)
			return certs_fail(out, TLS_CERTS_MALFORMED,
			    "more certificates than the chain limit");
		out->der[out->n] = hs + pos;
		out->len[out->n++] = clen;
		pos += clen;
	}
	return TLS_CERTS_FOUND;
incomplete:
	if (stopped)
		return certs_fail(out, TLS_CERTS_ABSENT,
		    "a record that is not a handshake came before the "
		    "Certificate");
	return certs_fail(out, TLS_CERTS_NEED_MORE, NULL);
}

const char *
tls_alert_name(uint8_t desc)
{
	switch (desc) {
	case 0:
		return "close_notify";
	case 10:
		return "unexpected_message";
	case 20:
		return "bad_record_mac";
	case 22:
		return "record_overflow";
	case 40:
		return "handshake_failure";
	case 42:
		return "bad_certificate";
	case 47:
		return "illegal_parameter";
	case 50:
		return "decode_error";
	case 51:
		return "decrypt_error";
	case 70:
		return "protocol_version";
	case 71:
		return "insufficient_security";
	case 80:
		return "internal_error";
	case 86:
		return "inappropriate_fallback";
	case 90:
		return "user_canceled";
	case 109:
		return "missing_extension";
	case 110:
		return "unsupported_extension";
	case 112:
		return "unrecognized_name";
	case 120:
		return "no_application_protocol";
	}
	return "unknown";
}

const char *
tls_version_name(uint16_t v)
{
	size_t i;

	for (i = 0; i < TLS_P_COUNT; i++)
		if (tls_protocols[i].wire == v)
			return tls_protocols[i].name;
	return NULL;
}
