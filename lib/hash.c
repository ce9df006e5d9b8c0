/*
 * hash.c: sha256 helpers, hex, base64 and percent-decoding.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "lib/lib.h"

/*
 * SHA-256 fetched from the default provider once.  EVP_sha256() makes
 * OpenSSL 3 look the implementation up in its provider store, under a
 * lock, at every digest: a 100-byte digest took 0.74 us with that
 * lookup and 0.34 us without it here, and a report fingerprints every
 * result it lists; `scan --jobs` workers hashing files contended on it.  Never freed (it lives as long as the
 * process); NULL if the fetch failed, and then EVP_sha256() is used.
 */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void
sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

const EVP_MD *
lib_sha256_md(void)
{
	pthread_once(&sha256_once, sha256_fetch);
	return sha256_md != NULL ? sha256_md : EVP_sha256();
}

void
hex_encode(const unsigned char *in, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * len] = '\0';
}

/*
 * A failing digest (no memory, a provider without SHA-256) never yields a
 * digest that looks valid: the output is 64 '-', which no comparison with
 * a real digest accepts and no hex check lets through.
 */
void
sha256_hex(const void *buf, size_t len, char out[SHA256_HEX_LEN + 1])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (!EVP_Digest(buf, len, md, &mdlen, lib_sha256_md(), NULL) ||
	    mdlen != 32) {
		memset(out, '-', SHA256_HEX_LEN);
		out[SHA256_HEX_LEN] = '\0';
		return;
	}
	hex_encode(md, 32, out);
}

int
sha256_buf_hex(
    struct diag *d, const void *buf, size_t len, char out[SHA256_HEX_LEN + 1])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (!EVP_Digest(buf, len, md, &mdlen, lib_sha256_md(), NULL) ||
	    mdlen != 32) {
		memset(out, '-', SHA256_HEX_LEN);
		out[SHA256_HEX_LEN] = '\0';
		diag_openssl(d, NULL, "sha256");
		return -1;
	}
	hex_encode(md, 32, out);
	return 0;
}

int
sha256_fd_copy(struct diag *d, int fd, const char *path,
    char out[SHA256_HEX_LEN + 1], char *copy, size_t cap, size_t *len)
{
	EVP_MD_CTX *ctx = NULL;
	unsigned char buf[65536], md[32];
	unsigned int mdlen = 0;
	ssize_t n;
	int rc = -1;
	struct mark m = { path, 0, 0 };
	size_t total = 0;

	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(ctx, lib_sha256_md(), NULL)) {
		diag_openssl(d, &m, "sha256");
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			diag_errno(d, &m, errno, "read error");
			goto out;
		}
		if (!EVP_DigestUpdate(ctx, buf, (size_t)n)) {
			diag_openssl(d, &m, "sha256");
			goto out;
		}
		if (copy != NULL && total + (size_t)n <= cap)
			memcpy(copy + total, buf, (size_t)n);
		total += (size_t)n;
	}
	if (!EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen != 32) {
		diag_openssl(d, &m, "sha256");
		goto out;
	}
	hex_encode(md, 32, out);
	if (len != NULL)
		*len = total;
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
sha256_fd_hex(
    struct diag *d, int fd, const char *path, char out[SHA256_HEX_LEN + 1])
{
	return sha256_fd_copy(d, fd, path, out, NULL, 0, NULL);
}

int
sha256_file_hex(struct diag *d, const char *path, char out[SHA256_HEX_LEN + 1])
{
	struct mark m = { path, 0, 0 };
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return diag_errno(d, &m, errno, "cannot open");
	rc = sha256_fd_hex(d, fd, path, out);
	close(fd);
	return rc;
}

/*
 * The running binary's digest (the provenance's "tool" pin): hashing
 * /proc/self/exe (4 MB) took 3 ms on the thread that writes the report
 * after the scan.  lib_self_sha256_start() hashes it on a thread of its
 * own instead; the thread takes no lock, its join publishes what it wrote.
 */
static pthread_mutex_t self_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_t self_thread;
static int self_state; /* 0 not known, 1 on its thread, 2 known */
static int self_ok;
static char self_hex[SHA256_HEX_LEN + 1];

static void *
self_hash(void *arg)
{
	struct diag d;

	(void)arg;
	diag_init(&d);
	self_ok = sha256_file_hex(&d, "/proc/self/exe", self_hex) == 0;
	diag_free(&d);
	return NULL;
}

/* Join the hashing thread if it runs (self_mu held). */
static void
self_join(void)
{
	if (self_state == 1) {
		pthread_join(self_thread, NULL);
		self_state = self_ok ? 2 : 0;
	}
}

void
lib_self_sha256_start(void)
{
	/*
	 * OpenSSL's first use initialises it: here, on the caller's thread.
	 * Begun on the hashing thread while the caller loads, that startup
	 * could run out of memory half-way under `ulimit -v` and the fetch
	 * then took a lock that was never made (a crash, exit_classes.sh).
	 */
	if (lib_sha256_md() == NULL)
		return;
	pthread_mutex_lock(&self_mu);
	if (self_state == 0 &&
	    pthread_create(&self_thread, NULL, self_hash, NULL) == 0)
		self_state = 1;
	pthread_mutex_unlock(&self_mu);
}

void
lib_self_sha256_wait(void)
{
	pthread_mutex_lock(&self_mu);
	self_join();
	pthread_mutex_unlock(&self_mu);
}

int
lib_self_sha256(struct diag *d, char out[SHA256_HEX_LEN + 1])
{
	int rc = 0;

	pthread_mutex_lock(&self_mu);
	self_join();
	if (self_state == 2)
		memcpy(out, self_hex, sizeof(self_hex));
	else if ((rc = sha256_file_hex(d, "/proc/self/exe", out)) == 0) {
		memcpy(self_hex, out, sizeof(self_hex));
		self_state = 2;
	}
	pthread_mutex_unlock(&self_mu);
	return rc;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
base64_encode(const unsigned char *in, size_t len)
{
	size_t i, o = 0, outlen;
	char *out;
	uint32_t v;

	if (len > (SIZE_MAX - 1) / 4 * 3 - 3)
		return NULL;
	outlen = (len + 2) / 3 * 4;
	if ((out = lib_malloc(outlen + 1)) == NULL)
		return NULL;
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	if (i < len) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

static int
b64val(unsigned char c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64, c)) == NULL)
		return -1;
	return (int)(p - b64);
}

unsigned char *
base64_decode(const char *in, size_t len, size_t *outlen)
{
	unsigned char *out;
	size_t i, o = 0, pad = 0;
	uint32_t v = 0;
	int n = 0, x;

	/* Strict: length a multiple of 4, padding only at the end. */
	if (len % 4 != 0)
		return NULL;
	if (len > 0 && in[len - 1] == '=')
		pad++;
	if (len > 1 && in[len - 2] == '=')
		pad++;
	if ((out = lib_malloc(len / 4 * 3 + 1)) == NULL)
		return NULL;
	for (i = 0; i < len - pad; i++) {
		if ((x = b64val((unsigned char)in[i])) < 0) {
			lib_free(out);
			return NULL;
		}
		v = v << 6 | (uint32_t)x;
		if (++n == 4) {
			out[o++] = (unsigned char)(v >> 16);
			out[o++] = (unsigned char)(v >> 8);
			out[o++] = (unsigned char)v;
			n = 0;
			v = 0;
		}
	}
	if (n == 2) {
		out[o++] = (unsigned char)(v >> 4);
	} else if (n == 3) {
		out[o++] = (unsigned char)(v >> 10);
		out[o++] = (unsigned char)(v >> 2);
	} else if (n == 1) {
		lib_free(out);
		return NULL;
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
url_decode(const char *in, size_t len, size_t *outlen)
{
	char *out;
	size_t i, o = 0;
	int hi, lo;

	if ((out = lib_malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (in[i] == '%') {
			if (i + 2 >= len) {
				lib_free(out);
				return NULL;
			}
			hi = hexval((unsigned char)in[i + 1]);
			lo = hexval((unsigned char)in[i + 2]);
			if (hi < 0 || lo < 0) {
				lib_free(out);
				return NULL;
			}
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	return out;
}
