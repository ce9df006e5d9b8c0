/*
 * cmd_keygen.c: `rampart keygen --out PREFIX` writes a signing key pair,
 * PREFIX.key (PKCS#8, mode 0600, encrypted when a passphrase is given) and
 * PREFIX.pub (SPKI), and prints the key id.
 */
#include <string.h>
#include <sys/stat.h>

#include <openssl/pem.h>

#include "cli/cli.h"
#include "reports/sign.h"

enum { O_OUT = 1, O_ALG, O_PASSFILE, O_FORCE, O_FIPS, O_HELP };

const struct opt keygen_opts[] = {
	{ "output", 'o', "PREFIX", O_OUT, 0,
	    "write PREFIX.key and PREFIX.pub (required)", NULL },
	{ "out", 0, "PREFIX", O_OUT, OPT_ALIAS, "--output", NULL },
	{ "algorithm", 0, "A", O_ALG, 0, "key algorithm (default ecdsa-p256)",
	    "ecdsa-p256|ed25519" },
	{ "passphrase-file", 0, "F", O_PASSFILE, 0,
	    "encrypt the private key with the first line of F (AES-256-CBC, "
	    "PBKDF2 600,000 iterations); RAMPART_PASSPHRASE works too; '-' "
	    "reads standard input; at most 1024 bytes",
	    NULL },
	{ "force", 0, NULL, O_FORCE, 0, "overwrite existing key files", NULL },
	{ "fips", 0, NULL, O_FIPS, 0,
	    "use the OpenSSL FIPS provider (ecdsa-p256 only)", NULL },
	{ "help", 'h', NULL, O_HELP, 0, "show this help", NULL },
	OPT_END,
};

static void
keygen_help(const struct command *cmd)
{
	cli_help(cmd, stdout);
	printf("\nPREFIX.key is PKCS#8 PEM, mode 0600; PREFIX.pub the public "
	       "key (SPKI PEM).\nPrints the key id (sha256 of the DER "
	       "public key, hex) on standard output.\n");
}

int
cmd_keygen(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("keygen");
	const char *prefix = NULL, *passfile = NULL, *arg;
	enum key_alg alg = KEY_ALG_ECDSA_P256;
	struct sign_key *k = NULL;
	char *pass = NULL, *keypath = NULL, *pubpath = NULL;
	size_t passlen = 0, n;
	struct diag d;
	struct stat st;
	struct opt_parse p;
	int o, force = 0, fips = 0, rc = EXIT_SYSTEM;

	diag_init(&d);
	opt_init(&p, c, cmd, argc, argv);
	while ((o = opt_next(&p)) != -1) {
		arg = p.arg;
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			return cli_usage_err(
			    cmd, "unexpected argument '%s'", p.argv[p.i]);
		case O_OUT:
			prefix = arg;
			break;
		case O_ALG:
			if (key_alg_parse(arg, &alg) == -1)
				return cli_usage_err(cmd,
				    "unknown algorithm '%s' (ecdsa-p256 or "
				    "ed25519)",
				    arg);
			break;
		case O_PASSFILE:
			passfile = arg;
			break;
		case O_FORCE:
			force = 1;
			break;
		case O_FIPS:
			fips = 1;
			break;
		case O_HELP:
			keygen_help(cmd);
			return 0;
		default:
			return opt_unhandled(&p, o);
		}
	}
	if (prefix == NULL || prefix[0] == '\0')
		return cli_usage_err(cmd, "missing --output PREFIX");
	if (fips && alg == KEY_ALG_ED25519)
		return cli_usage_err(cmd,
		    "--fips: Ed25519 is not FIPS-approved "
		    "here; use ecdsa-p256");
	if (fips && key_fips_enable(&d) == -1) {
		cli_diag(c, &d);
		diag_free(&d);
		return EXIT_SYSTEM;
	}
	n = strlen(prefix) + 5;
	if ((keypath = lib_malloc(n)) == NULL ||
	    (pubpath = lib_malloc(n)) == NULL) {
		fprintf(stderr, "rampart keygen: out of memory\n");
		goto out;
	}
	snprintf(keypath, n, "%s.key", prefix);
	snprintf(pubpath, n, "%s.pub", prefix);
	if (!force && (lstat(keypath, &st) == 0 || lstat(pubpath, &st) == 0)) {
		fprintf(stderr,
		    "rampart keygen: '%s' or '%s' exists; use --force to "
		    "replace it\n",
		    keypath, pubpath);
		rc = EXIT_USAGE;
		goto out;
	}
	if (key_read_passphrase(&d, passfile, 1, &pass, &passlen) == -1)
		goto fail;
	/*
	 * Decryption hands OpenSSL's passphrase callback PEM_BUFSIZE bytes:
	 * a longer passphrase would make a key nobody can load.  Said here,
	 * as bad input, before a key is made (key_write_private refuses it
	 * too).
	 */
	if (passlen > PEM_BUFSIZE) {
		diag_err(&d, NULL,
		    "passphrase is %zu bytes long; at most %d are accepted",
		    passlen, PEM_BUFSIZE);
		goto fail;
	}
	if ((k = key_generate(&d, alg)) == NULL ||
	    key_write_private(&d, k, keypath, pass, passlen) == -1 ||
	    key_write_public(&d, k, pubpath) == -1)
		goto fail;
	printf("%s\n", k->id);
	fprintf(stderr, "rampart keygen: wrote %s (%s, %s) and %s\n", keypath,
	    key_alg_name(alg),
	    pass != NULL ? "encrypted" : "NOT encrypted: keep it safe",
	    pubpath);
	rc = 0;
	goto out;
fail:
	cli_diag(c, &d);
	rc = cli_exit_for(&d);
out:
	key_passphrase_free(pass, passlen);
	key_free(k);
	lib_free(keypath);
	lib_free(pubpath);
	diag_free(&d);
	return rc;
}
