/*
 * keys.c: signing keys.  Generation, PKCS#8 / SPKI PEM files, passphrases,
 * key ids, and the raw sign / verify primitives that bundle.c builds on.
 *
 * The default PEM_write_bio_PKCS8PrivateKey uses an 8-byte salt and 2048
 * PBKDF2 iterations; we build the PBES2 parameters ourselves with
 * PKCS8_encrypt_ex (16-byte salt, 600,000 iterations, AES-256-CBC).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

#include "reports/sign.h"

/* Largest key or passphrase file we read; real ones are < 1 KiB. */
#define KEY_FILE_MAX (64u << 10)

/*
 * Longest passphrase: decryption hands the passphrase callback a
 * PEM_BUFSIZE (1024) buffer, so keygen refuses anything longer rather
 * than write a key nobody can ever load.
 */
#define KEY_PASS_MAX PEM_BUFSIZE

/*
 * Keep secrets out of core dumps (and out of reach of ptrace by other
 * processes of the same user): called before a private key or passphrase
 * is first read or made.  The process stays non-dumpable to its end; it
 * ends soon after signing, and nothing after needs a core dump more than
 * the key needs protecting.
 */
static void
key_hold_secrets(void)
{
#ifdef __linux__
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

/*
 * Read a whole secret file (a private key or a passphrase) into one
 * buffer of exactly its size, so no reallocation leaves copies behind;
 * the caller wipes it.  With check_mode, a file any group or other user
 * may access is refused, as ssh refuses such a private key.  "-" is
 * standard input (never mode-checked).  0 or -1.
 */
static int
read_secret_file(
    struct diag *d, const char *path, int check_mode, char **bufp, size_t *lenp)
{
	struct mark m = { path, 0, 0 };
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap;
	ssize_t n;
	int fd, rc = -1;

	*bufp = NULL;
	*lenp = 0;
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return diag_errno(d, &m, errno, "cannot open");
	if (fstat(fd, &st) != 0) {
		diag_sys(d, &m, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_err(d, &m, "is a directory, expected a file");
		goto out;
	}
	/*
	 * Pipes (--passphrase-file <(...)) are read as they come; the mode
	 * of a regular file is what others could read it through.
	 */
	if (check_mode && fd != STDIN_FILENO && S_ISREG(st.st_mode) &&
	    (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		diag_err(d, &m,
		    "refusing private key: permissions %04o are too open (it "
		    "is accessible by %s); run 'chmod 600 %s'",
		    (unsigned)(st.st_mode & 07777),
		    (st.st_mode & S_IRWXO) ? "others" : "group", path);
		goto out;
	}
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size : KEY_FILE_MAX;
	if (cap > KEY_FILE_MAX) {
		diag_err(d, &m, "file is larger than the limit of %u bytes",
		    KEY_FILE_MAX);
		goto out;
	}
	/* One byte more, so growth since fstat is seen, and the NUL. */
	if ((buf = lib_malloc(cap + 2)) == NULL) {
		diag_sys(d, &m, "out of memory");
		goto out;
	}
	for (;;) {
		n = read(fd, buf + len, cap + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			diag_errno(d, &m, errno, "read error");
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > cap) {
			diag_err(d, &m, "file changed or is too large");
			goto out;
		}
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	buf = NULL;
	rc = 0;
out:
	if (buf != NULL) {
		OPENSSL_cleanse(buf, cap + 2);
		lib_free(buf);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

static const struct {
	const char *name;
	enum key_alg alg;
} key_algs[] = {
	{ "ecdsa-p256", KEY_ALG_ECDSA_P256 },
	{ "ed25519", KEY_ALG_ED25519 },
};

const char *
key_alg_name(enum key_alg alg)
{
	size_t i;

	for (i = 0; i < sizeof(key_algs) / sizeof(key_algs[0]); i++)
		if (key_algs[i].alg == alg)
			return key_algs[i].name;
	return "unknown";
}

int
key_alg_parse(const char *s, enum key_alg *out)
{
	size_t i;

	for (i = 0; i < sizeof(key_algs) / sizeof(key_algs[0]); i++) {
		if (strcmp(key_algs[i].name, s) == 0) {
			*out = key_algs[i].alg;
			return 0;
		}
	}
	return -1;
}

void
key_free(struct sign_key *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	lib_free(k);
}

/*
 * Put an EC key in its one canonical form: named curve, uncompressed
 * point.  The same key read from a compressed-point or hybrid SPKI would
 * otherwise encode (and so hash) differently: two ids for one key.
 */
static int
key_canonical(struct diag *d, EVP_PKEY *pkey)
{
	if (!EVP_PKEY_is_a(pkey, "EC"))
		return 0;
	if (!EVP_PKEY_set_utf8_string_param(pkey,
		OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
		OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED) ||
	    !EVP_PKEY_set_utf8_string_param(
		pkey, OSSL_PKEY_PARAM_EC_ENCODING, OSSL_PKEY_EC_ENCODING_GROUP))
		return diag_openssl(
		    d, NULL, "cannot put the EC key in canonical form");
	return 0;
}

int
key_id_of(struct diag *d, EVP_PKEY *pkey, char out[SHA256_HEX_LEN + 1])
{
	unsigned char *der = NULL;
	EVP_PKEY *canon = NULL;
	int len, rc = -1;

	/*
	 * The id is over the canonical SPKI (named curve, uncompressed
	 * point), computed on a copy so the caller's key is left as it is.
	 */
	if ((canon = EVP_PKEY_dup(pkey)) == NULL) {
		diag_openssl(d, NULL, "cannot copy public key");
		goto out;
	}
	if (key_canonical(d, canon) == -1)
		goto out;
	if ((len = i2d_PUBKEY(canon, &der)) <= 0) {
		diag_openssl(d, NULL, "cannot encode public key");
		goto out;
	}
	sha256_hex(der, (size_t)len, out);
	rc = 0;
out:
	OPENSSL_free(der);
	EVP_PKEY_free(canon);
	return rc;
}

struct sign_key *
key_from_pkey(struct diag *d, EVP_PKEY *pkey, int priv)
{
	struct sign_key *k = NULL;
	char group[64], enc[32];
	enum key_alg alg;

	if (EVP_PKEY_is_a(pkey, "ED25519")) {
		alg = KEY_ALG_ED25519;
	} else if (EVP_PKEY_is_a(pkey, "EC")) {
		/*
		 * Explicit curve parameters are refused even when they spell
		 * out P-256: they are how curve-substitution attacks
		 * (CVE-2020-0601) pass a look-alike curve, and they would give
		 * the same key a second encoding.
		 */
		if (EVP_PKEY_get_utf8_string_param(pkey,
			OSSL_PKEY_PARAM_EC_ENCODING, enc, sizeof(enc), NULL) &&
		    strcmp(enc, OSSL_PKEY_EC_ENCODING_EXPLICIT) == 0) {
			diag_err(d, NULL,
			    "refusing an EC key with explicit curve "
			    "parameters: only the named curve P-256 is "
			    "accepted");
			goto fail;
		}
		if (!EVP_PKEY_get_utf8_string_param(pkey,
			OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
			NULL) ||
		    (strcmp(group, "prime256v1") != 0 &&
			strcmp(group, "P-256") != 0)) {
			diag_err(d, NULL,
			    "unsupported EC curve: only P-256 keys are "
			    "accepted");
			goto fail;
		}
		alg = KEY_ALG_ECDSA_P256;
	} else {
		diag_err(d, NULL,
		    "unsupported key type '%s': use ecdsa-p256 or ed25519",
		    EVP_PKEY_get0_type_name(pkey)
			? EVP_PKEY_get0_type_name(pkey)
			: "?");
		goto fail;
	}
	/* Canonical from here on: whatever re-encodes it gets one form. */
	if (key_canonical(d, pkey) == -1)
		goto fail;
	if ((k = lib_calloc(1, sizeof(*k))) == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto fail;
	}
	k->pkey = pkey;
	k->alg = alg;
	k->has_private = priv;
	if (key_id_of(d, pkey, k->id) == -1) {
		key_free(k);
		return NULL;
	}
	return k;
fail:
	EVP_PKEY_free(pkey);
	return NULL;
}

const char *
key_provider_name(const struct sign_key *k)
{
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	const OSSL_PROVIDER *prov = NULL;
	const char *name = NULL;
	int ok;

	/*
	 * Set up the very operation key_sign() (or key_verify(), for a
	 * public key) performs, and ask which provider OpenSSL fetched it
	 * from: with --fips, or a key held by another provider, that is not
	 * simply "default".
	 */
	if (k == NULL || (ctx = EVP_MD_CTX_new()) == NULL)
		goto out;
	if (k->has_private)
		ok = EVP_DigestSignInit_ex(ctx, &pctx,
		    k->alg == KEY_ALG_ED25519 ? NULL : "SHA256", NULL, NULL,
		    k->pkey, NULL);
	else
		ok = EVP_DigestVerifyInit_ex(ctx, &pctx,
		    k->alg == KEY_ALG_ED25519 ? NULL : "SHA256", NULL, NULL,
		    k->pkey, NULL);
	if (ok != 1 || pctx == NULL)
		goto out;
	if ((prov = EVP_PKEY_CTX_get0_provider(pctx)) == NULL)
		prov = EVP_PKEY_get0_provider(k->pkey);
	if (prov != NULL)
		name = OSSL_PROVIDER_get0_name(prov);
out:
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	return name;
}

int
key_fips_enable(struct diag *d)
{
	/*
	 * The provider stays loaded for the life of the process: it belongs
	 * to OpenSSL's default library context, not to us.
	 */
	if (OSSL_PROVIDER_load(NULL, "fips") == NULL)
		return diag_openssl(d, NULL,
		    "cannot load the OpenSSL FIPS provider (not installed or "
		    "not configured: see openssl-fipsinstall(1))");
	if (OSSL_PROVIDER_load(NULL, "base") == NULL ||
	    !EVP_default_properties_enable_fips(NULL, 1))
		return diag_openssl(d, NULL, "cannot enable FIPS mode");
	return 0;
}

struct sign_key *
key_generate(struct diag *d, enum key_alg alg)
{
	EVP_PKEY *pkey;

	key_hold_secrets();
	if (alg == KEY_ALG_ED25519)
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	else
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (pkey == NULL) {
		diag_openssl(d, NULL, "key generation failed");
		return NULL;
	}
	return key_from_pkey(d, pkey, 1);
}

/*
 * Write a memory BIO's contents atomically with the given mode.  The
 * stream is unbuffered, so the bytes (a private key) go from the BIO,
 * which wipes itself, straight to the file and never sit in a stdio
 * buffer that would be freed without being wiped.
 */
static int
write_bio(struct diag *d, BIO *bio, const char *path, unsigned int mode)
{
	struct mark m = { path, 0, 0 };
	struct atomic_file *af;
	char *p = NULL;
	long n;

	n = BIO_get_mem_data(bio, &p);
	if (n <= 0 || p == NULL)
		return diag_err(d, NULL, "internal error: empty PEM output");
	if ((af = atomic_open(d, path, mode)) == NULL)
		return -1;
	/* Before any output: no buffer is ever allocated. */
	if (setvbuf(atomic_fp(af), NULL, _IONBF, 0) != 0 ||
	    fwrite(p, 1, (size_t)n, atomic_fp(af)) != (size_t)n) {
		diag_sys(d, &m, "write error: %s", strerror(errno));
		atomic_abort(af);
		return -1;
	}
	return atomic_commit(d, af);
}

int
key_write_private(struct diag *d, const struct sign_key *k, const char *path,
    const char *pass, size_t passlen)
{
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	X509_SIG *enc = NULL;
	BIO *bio = NULL;
	struct mark m = { path, 0, 0 };
	int rc = -1;

	if (!k->has_private)
		return diag_err(d, &m, "internal error: not a private key");
	/*
	 * Decryption hands the passphrase callback a PEM_BUFSIZE buffer: a
	 * longer passphrase would make a key nobody can ever load.
	 */
	if (passlen > KEY_PASS_MAX)
		return diag_err(d, &m,
		    "passphrase is %zu bytes long; at most %d are accepted",
		    passlen, KEY_PASS_MAX);
	/* A secure-heap BIO is wiped when freed. */
	if ((bio = BIO_new(BIO_s_secmem())) == NULL ||
	    (p8 = EVP_PKEY2PKCS8(k->pkey)) == NULL) {
		diag_openssl(d, &m, "cannot encode private key");
		goto out;
	}
	if (pass != NULL && passlen > 0) {
		enc =
		    PKCS8_encrypt_ex(-1, EVP_aes_256_cbc(), pass, (int)passlen,
			NULL, KEY_SALT_LEN, KEY_PBKDF2_ITER, p8, NULL, NULL);
		if (enc == NULL || !PEM_write_bio_PKCS8(bio, enc)) {
			diag_openssl(d, &m, "cannot encrypt private key");
			goto out;
		}
	} else if (!PEM_write_bio_PKCS8_PRIV_KEY_INFO(bio, p8)) {
		diag_openssl(d, &m, "cannot encode private key");
		goto out;
	}
	rc = write_bio(d, bio, path, 0600);
out:
	X509_SIG_free(enc);
	PKCS8_PRIV_KEY_INFO_free(p8);
	BIO_free(bio);
	return rc;
}

int
key_write_public(struct diag *d, const struct sign_key *k, const char *path)
{
	BIO *bio = NULL;
	struct mark m = { path, 0, 0 };
	int rc = -1;

	if ((bio = BIO_new(BIO_s_mem())) == NULL ||
	    !PEM_write_bio_PUBKEY(bio, k->pkey)) {
		diag_openssl(d, &m, "cannot encode public key");
		goto out;
	}
	rc = write_bio(d, bio, path, 0644);
out:
	BIO_free(bio);
	return rc;
}

/* Passphrase callback state: never prompts on a terminal. */
struct pw {
	const char *pass;
	size_t len;
	int asked;
};

static int
pw_cb(char *buf, int size, int rwflag, void *u)
{
	struct pw *pw = u;

	(void)rwflag;
	pw->asked = 1;
	if (pw->pass == NULL || size <= 0 || pw->len > (size_t)size)
		return -1;
	memcpy(buf, pw->pass, pw->len);
	return (int)pw->len;
}

struct sign_key *
key_load_private(
    struct diag *d, const char *path, const char *pass, size_t passlen)
{
	struct mark m = { path, 0, 0 };
	struct pw pw = { pass, passlen, 0 };
	EVP_PKEY *pkey = NULL;
	BIO *bio = NULL;
	char *buf = NULL;
	size_t len = 0;

	key_hold_secrets();
	if (read_secret_file(d, path, 1, &buf, &len) == -1)
		return NULL;
	if ((bio = BIO_new_mem_buf(buf, (int)len)) == NULL) {
		diag_openssl(d, &m, "cannot read private key");
		goto out;
	}
	pkey = PEM_read_bio_PrivateKey(bio, NULL, pw_cb, &pw);
	/* Said at every use, not only at keygen. */
	if (pkey != NULL && !pw.asked)
		diag_warn(d, &m,
		    "private key is not encrypted: anyone who can read the "
		    "file can sign as you (rampart keygen --passphrase-file)");
	if (pkey == NULL) {
		ERR_clear_error();
		if (pw.asked && pass == NULL)
			diag_err(d, &m,
			    "private key is encrypted: give "
			    "--passphrase-file or set RAMPART_PASSPHRASE");
		else if (pw.asked)
			diag_err(d, &m,
			    "cannot decrypt private key: wrong passphrase "
			    "or damaged file");
		else
			diag_err(d, &m, "not a PEM private key");
	}
out:
	BIO_free(bio);
	if (buf != NULL)
		OPENSSL_cleanse(buf, len);
	lib_free(buf);
	if (pkey == NULL)
		return NULL;
	return key_from_pkey(d, pkey, 1);
}

struct sign_key *
key_public_from_pem(
    struct diag *d, const char *name, const char *pem, size_t len)
{
	struct mark m = { name, 0, 0 };
	EVP_PKEY *pkey = NULL;
	BIO *bio = NULL;
	struct sign_key *k;
	size_t n0 = d->nerrors;

	if (len > INT_MAX || (bio = BIO_new_mem_buf(pem, (int)len)) == NULL) {
		diag_openssl(d, &m, "cannot read public key");
		return NULL;
	}
	pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (pkey == NULL) {
		ERR_clear_error();
		diag_err(d, &m, "not a PEM public key (SPKI)");
		return NULL;
	}
	k = key_from_pkey(d, pkey, 0);
	if (k == NULL && d->nerrors > n0 && d->n > 0 &&
	    d->v[d->n - 1].file == NULL)
		diag_note(d, &m, "in this key file");
	return k;
}

struct sign_key *
key_load_public(struct diag *d, const char *path)
{
	struct sign_key *k;
	char *buf = NULL;
	size_t len = 0;

	if (file_read_all(d, path, KEY_FILE_MAX, &buf, &len) == -1)
		return NULL;
	k = key_public_from_pem(d, path, buf, len);
	lib_free(buf);
	return k;
}

void
key_passphrase_free(char *pass, size_t passlen)
{
	if (pass == NULL)
		return;
	OPENSSL_cleanse(pass, passlen);
	lib_free(pass);
}

/*
 * Read one line from the terminal on standard input with echo off,
 * prompting on standard error.  Read byte by byte with read(2), so the
 * passphrase never sits in a stdio buffer.  0 or -1.
 */
static int
read_tty_line(struct diag *d, char *buf, size_t cap, size_t *lenp)
{
	struct termios old, quiet;
	size_t len = 0;
	ssize_t n;
	char ch;
	int rc = 0, restored;

	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return diag_err(
		    d, NULL, "cannot read the terminal: %s", strerror(errno));
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
		return diag_sys(d, NULL, "cannot turn terminal echo off: %s",
		    strerror(errno));
	fputs("passphrase: ", stderr);
	fflush(stderr);
	for (;;) {
		n = read(STDIN_FILENO, &ch, 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0 || ch == '\n' || ch == '\r')
			break;
		if (len + 1 >= cap) {
			rc = diag_err(d, NULL,
			    "passphrase is longer than %zu bytes", cap - 1);
			break;
		}
		buf[len++] = ch;
	}
	ch = 0;
	restored = tcsetattr(STDIN_FILENO, TCSAFLUSH, &old) == 0;
	fputc('\n', stderr);
	if (!restored && rc == 0)
		rc = diag_sys(d, NULL, "cannot restore terminal echo: %s",
		    strerror(errno));
	buf[len] = '\0';
	*lenp = len;
	return rc;
}

int
key_read_passphrase(
    struct diag *d, const char *path, int use_env, char **pass, size_t *passlen)
{
	struct mark m = { path, 0, 0 };
	char *env;
	char *buf = NULL, *p;
	size_t len = 0, n, cap = 0;

	*pass = NULL;
	*passlen = 0;
	if (path != NULL || (use_env && getenv("RAMPART_PASSPHRASE") != NULL))
		key_hold_secrets();
	if (path != NULL) {
		if (strcmp(path, "-") == 0 && isatty(STDIN_FILENO)) {
			cap = KEY_PASS_MAX + 2;
			if ((buf = lib_malloc(cap)) == NULL)
				return diag_sys(d, &m, "out of memory");
			if (read_tty_line(d, buf, cap, &len) == -1) {
				OPENSSL_cleanse(buf, cap);
				lib_free(buf);
				return -1;
			}
		} else if (read_secret_file(d, path, 0, &buf, &len) == -1) {
			return -1;
		} else {
			cap = len + 2;
		}
		/* The first line only, without its line ending. */
		for (n = 0; n < len && buf[n] != '\n' && buf[n] != '\r'; n++)
			;
		if (n == 0) {
			OPENSSL_cleanse(buf, cap);
			lib_free(buf);
			return diag_err(d, &m, "passphrase file is empty");
		}
		if ((p = lib_malloc(n + 1)) == NULL) {
			OPENSSL_cleanse(buf, cap);
			lib_free(buf);
			return diag_sys(d, &m, "out of memory");
		}
		memcpy(p, buf, n);
		p[n] = '\0';
		OPENSSL_cleanse(buf, cap);
		lib_free(buf);
		*pass = p;
		*passlen = n;
		return 0;
	}
	if (!use_env || (env = getenv("RAMPART_PASSPHRASE")) == NULL)
		return 0;
	/*
	 * Taken out of the environment once read, so no child process and
	 * no /proc/PID/environ reader sees it; the variable's bytes are
	 * wiped first (unsetenv does not).
	 */
	n = strlen(env);
	if (n > 0 && (*pass = lib_strdup(env)) == NULL)
		return diag_sys(d, NULL, "out of memory");
	OPENSSL_cleanse(env, n);
	unsetenv("RAMPART_PASSPHRASE");
	if (n == 0)
		return diag_err(d, NULL, "RAMPART_PASSPHRASE is empty");
	*passlen = n;
	return 0;
}

int
key_sign(struct diag *d, const struct sign_key *k, const void *msg, size_t len,
    unsigned char **sigp, size_t *siglenp)
{
	EVP_MD_CTX *ctx = NULL;
	unsigned char *sig = NULL;
	size_t siglen = 0;
	int rc = -1;

	*sigp = NULL;
	*siglenp = 0;
	if (!k->has_private)
		return diag_err(d, NULL, "signing needs a private key");
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		goto ossl;
	/* Ed25519 in OpenSSL 3.0 is one-shot with a NULL digest. */
	if (!EVP_DigestSignInit_ex(ctx, NULL,
		k->alg == KEY_ALG_ED25519 ? NULL : "SHA256", NULL, NULL,
		k->pkey, NULL))
		goto ossl;
	if (!EVP_DigestSign(ctx, NULL, &siglen, msg, len))
		goto ossl;
	if ((sig = lib_malloc(siglen)) == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto out;
	}
	if (!EVP_DigestSign(ctx, sig, &siglen, msg, len))
		goto ossl;
	*sigp = sig;
	*siglenp = siglen;
	sig = NULL;
	rc = 0;
	goto out;
ossl:
	diag_openssl(d, NULL, "signing failed");
out:
	lib_free(sig);
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
key_verify(const struct sign_key *k, const void *msg, size_t len,
    const unsigned char *sig, size_t siglen)
{
	EVP_MD_CTX *ctx = NULL;
	int rc = -1;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		goto out;
	/* The algorithm is the trusted key's, never the envelope's. */
	if (EVP_DigestVerifyInit_ex(ctx, NULL,
		k->alg == KEY_ALG_ED25519 ? NULL : "SHA256", NULL, NULL,
		k->pkey, NULL) != 1)
		goto out;
	rc = EVP_DigestVerify(ctx, sig, siglen, msg, len);
	/* 1 valid, 0 bad signature, negative: malformed or error. */
	if (rc != 1)
		rc = rc == 0 ? 0 : -1;
out:
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	return rc;
}
