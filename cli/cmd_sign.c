/*
 * cmd_sign.c: `rampart sign REPORT --key KEY` writes REPORT.sigstore.json,
 * a Sigstore bundle whose signed statement is built from REPORT's own
 * bytes, read once (a non-JSON report's verdict must agree with the
 * report.json beside it, which supplies the other facts).
 */
#include <string.h>

#include "cli/cli.h"
#include "reports/sign.h"

enum { O_KEY = 1, O_PASSFILE, O_TSA, O_TSA_CA, O_TSA_POLICY, O_FIPS, O_HELP };

const struct opt sign_opts[] = {
	{ "key", 'k', "KEY", O_KEY, 0,
	    "private key from 'rampart keygen' (required)", NULL },
	{ "passphrase-file", 0, "F", O_PASSFILE, 0,
	    "passphrase of an encrypted key (or RAMPART_PASSPHRASE)", NULL },
	{ "tsa-url", 0, "URL", O_TSA, 0,
	    "add an RFC 3161 timestamp from this TSA (http://)", NULL },
	{ "tsa-ca", 0, "FILE", O_TSA_CA, 0,
	    "check the TSA's reply against these CA certificates (signature, "
	    "accuracy <= 60 s, time) before using it",
	    NULL },
	{ "tsa-policy", 0, "OID", O_TSA_POLICY, 0,
	    "require this TSA policy (with --tsa-ca)", NULL },
	{ "fips", 0, NULL, O_FIPS, 0,
	    "use the OpenSSL FIPS provider (recorded in the statement)", NULL },
	{ "help", 'h', NULL, O_HELP, 0, "show this help", NULL },
	OPT_END,
};

static void
sign_help(const struct command *cmd)
{
	cli_help(cmd, stdout);
	printf("\nWrites REPORT.sigstore.json, a Sigstore bundle v0.3 with a "
	       "DSSE-signed in-toto\nstatement (subject: REPORT's sha256; "
	       "the verdict REPORT states; pinned files,\noptions and "
	       "control results from the JSON report: REPORT itself or the\n"
	       "report.json beside it, which must state the same "
	       "verdict).\n");
}

int
cmd_sign(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("sign");
	const char *report = NULL, *keyfile = NULL, *passfile = NULL;
	const char *tsa = NULL, *tsa_ca = NULL, *tsa_policy = NULL, *arg;
	struct sign_key *k = NULL;
	struct arena *a = NULL;
	struct sign_meta m;
	char *pass = NULL, *buf = NULL;
	size_t passlen = 0, len = 0;
	struct diag d;
	struct opt_parse p;
	int o, fips = 0, rc = EXIT_INVALID_INPUT;

	diag_init(&d);
	opt_init(&p, c, cmd, argc, argv);
	while ((o = opt_next(&p)) != -1) {
		arg = p.arg;
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (report != NULL)
				return cli_usage_err(cmd, "one REPORT only");
			report = opt_operand(&p);
			break;
		case O_KEY:
			keyfile = arg;
			break;
		case O_PASSFILE:
			passfile = arg;
			break;
		case O_TSA:
			tsa = arg;
			break;
		case O_TSA_CA:
			tsa_ca = arg;
			break;
		case O_TSA_POLICY:
			tsa_policy = arg;
			break;
		case O_FIPS:
			fips = 1;
			break;
		case O_HELP:
			sign_help(cmd);
			return 0;
		default:
			return opt_unhandled(&p, o);
		}
	}
	if (report == NULL)
		return cli_usage_err(cmd, "missing REPORT");
	if (keyfile == NULL)
		return cli_usage_err(cmd, "missing --key KEY");
	if ((tsa_ca != NULL || tsa_policy != NULL) && tsa == NULL)
		return cli_usage_err(
		    cmd, "--tsa-ca and --tsa-policy need --tsa-url");
	if (tsa_policy != NULL && tsa_ca == NULL)
		return cli_usage_err(cmd, "--tsa-policy needs --tsa-ca");
	if (tsa != NULL && strncmp(tsa, "http://", 7) != 0)
		return cli_usage_err(cmd, "--tsa-url must be an http:// URL");
	if (fips && key_fips_enable(&d) == -1) {
		cli_diag(c, &d);
		diag_free(&d);
		return EXIT_SYSTEM;
	}
	if ((a = arena_new()) == NULL) {
		fprintf(stderr, "rampart sign: out of memory\n");
		return EXIT_SYSTEM;
	}
	if (key_read_passphrase(&d, passfile, 1, &pass, &passlen) == -1 ||
	    (k = key_load_private(&d, keyfile, pass, passlen)) == NULL)
		goto fail;
	/* Read once: the statement and the digest come from these bytes. */
	if (file_read_all(&d, report, 0, &buf, &len) == -1 ||
	    sign_meta_from_report(a, &d, report, buf, len, &m) == -1)
		goto fail;
	m.tsa_ca = tsa_ca;
	m.tsa_policy = tsa_policy;
	if (fips && k->alg == KEY_ALG_ED25519) {
		diag_err(
		    &d, NULL, "--fips: Ed25519 keys are not FIPS-approved");
		goto fail;
	}
	if (bundle_sign_buf(&d, report, buf, len, &m, k, tsa) == -1)
		goto fail;
	/* Warnings too (an unencrypted key is said at every use). */
	if (d.n > 0)
		cli_diag(c, &d);
	printf(
	    "signed %s: %s%s (key %s)\n", report, report, BUNDLE_SUFFIX, k->id);
	rc = 0;
	goto out;
fail:
	cli_diag(c, &d);
	rc = cli_exit_for(&d);
out:
	lib_free(buf);
	key_passphrase_free(pass, passlen);
	key_free(k);
	arena_free(a);
	diag_free(&d);
	return rc;
}
