/*
 * cmd_verify.c: `rampart verify REPORT (--key PUB | --keyring FILE)`
 * checks REPORT against its signed bundle and prints who signed it, when,
 * from which baseline, with which verdict.  Exit 0 valid, 1 invalid (with
 * the reason), 2 usage, 3 malformed files, 5 system error.
 */
#include <string.h>

#include "cli/cli.h"
#include "reports/sign.h"

enum { O_BUNDLE = 1, O_KEY, O_KEYRING, O_TSA_CA, O_REQ_TS, O_FIPS, O_HELP };

static const struct opt verify_opts[] = {
	{ "bundle", 1, O_BUNDLE },
	{ "key", 1, O_KEY },
	{ "keyring", 1, O_KEYRING },
	{ "require-timestamp", 0, O_REQ_TS },
	{ "tsa-ca", 1, O_TSA_CA },
	{ "fips", 0, O_FIPS },
	{ "help", 0, O_HELP },
	{ NULL, 0, 0 },
};

static void
verify_help(const struct command *cmd)
{
	cli_usage(cmd, stdout);
	printf("\nVerify REPORT against its signed bundle "
	       "(REPORT.sigstore.json unless\n--bundle is given).\n\n"
	       "  --bundle FILE    the Sigstore bundle\n"
	       "  --key PUB        trust this public key (SPKI PEM)\n"
	       "  --keyring FILE   trust the keys of this keyring "
	       "(docs/signing.md)\n"
	       "  --tsa-ca FILE    CA certificates to check RFC 3161 "
	       "timestamps with\n"
	       "  --require-timestamp  a verified timestamp is required "
	       "(implied by a\n"
	       "                   keyring entry with validity dates)\n"
	       "  --fips           use the OpenSSL FIPS provider\n\n"
	       "exit: 0 valid, 1 invalid, 2 usage, 3 malformed file, 5 "
	       "system error\n");
}

/*
 * Print s, or "-", escaped for the terminal: the statement's strings are
 * the signer's and the keyring's, and must not drive the terminal.
 */
static void
put(FILE *fp, const char *s)
{
	term_fputs(fp, s != NULL ? s : "-");
}

int
cmd_verify(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("verify");
	const char *report = NULL, *bundle = NULL, *keyfile = NULL;
	const char *ringfile = NULL, *arg;
	struct verify_opts vo;
	struct verify_result r;
	struct sign_key *k = NULL;
	struct keyring *kr = NULL;
	struct arena *a = NULL;
	struct diag d;
	char when[32];
	int i = 1, o, v, fips = 0, rc = EXIT_INVALID_INPUT;

	memset(&vo, 0, sizeof(vo));
	diag_init(&d);
	while ((o = opt_next(cmd, verify_opts, argc, argv, &i, &arg)) != -1) {
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (report != NULL)
				return cli_usage_err(cmd, "one REPORT only");
			report = argv[i++];
			break;
		case O_BUNDLE:
			bundle = arg;
			break;
		case O_KEY:
			keyfile = arg;
			break;
		case O_KEYRING:
			ringfile = arg;
			break;
		case O_TSA_CA:
			vo.tsa_ca = arg;
			break;
		case O_REQ_TS:
			vo.require_timestamp = 1;
			break;
		case O_FIPS:
			fips = 1;
			break;
		case O_HELP:
			verify_help(cmd);
			return 0;
		}
	}
	if (report == NULL)
		return cli_usage_err(cmd, "missing REPORT");
	if ((keyfile == NULL) == (ringfile == NULL))
		return cli_usage_err(cmd,
		    "give exactly one of --key and "
		    "--keyring");
	if (vo.require_timestamp && vo.tsa_ca == NULL)
		return cli_usage_err(cmd,
		    "--require-timestamp needs --tsa-ca to verify the "
		    "timestamp with");
	if (fips && key_fips_enable(&d) == -1) {
		cli_diag(c, &d);
		diag_free(&d);
		return EXIT_SYSTEM;
	}
	if ((a = arena_new()) == NULL) {
		fprintf(stderr, "rampart verify: out of memory\n");
		return EXIT_SYSTEM;
	}
	if (keyfile != NULL && (k = key_load_public(&d, keyfile)) == NULL)
		goto fail;
	if (ringfile != NULL && (kr = keyring_load(&d, ringfile)) == NULL)
		goto fail;
	if (fips && k != NULL && k->alg == KEY_ALG_ED25519) {
		diag_err(
		    &d, NULL, "--fips: Ed25519 keys are not FIPS-approved");
		goto fail;
	}
	vo.key = k;
	vo.keyring = kr;
	v = bundle_verify_file(a, &d, report, bundle, &vo, &r);
	if (v != VERIFY_VALID) {
		/* Tri-state and more: anything but VALID is a failure. */
		rc = v == VERIFY_INVALID    ? EXIT_NOT_ELIGIBLE
		    : v == VERIFY_MALFORMED ? EXIT_INVALID_INPUT
					    : EXIT_SYSTEM;
		cli_diag(c, &d);
		fputs("rampart verify: ", stderr);
		put(stderr, report);
		fprintf(stderr, ": %s\n",
		    rc == EXIT_NOT_ELIGIBLE ? "INVALID signature or report"
					    : "cannot verify");
		goto out;
	}
	if (d.n > 0)
		cli_diag(c, &d);
	fputs("verified: ", stdout);
	put(stdout, report);
	fputs("\nsigner:   ", stdout);
	put(stdout, r.signer);
	printf(" (key %s)\ntime:     ", r.key_id);
	put(stdout, r.time);
	fputs(" (claimed by the signer)\n", stdout);
	if (r.timestamp_verified) {
		format_time(r.timestamp, when);
		printf("timestamp: %s (RFC 3161, verified)\n", when);
	} else if (r.ntimestamps > 0) {
		printf("timestamp: present, not checked (no --tsa-ca)\n");
	} else {
		printf("timestamp: none\n");
	}
	fputs("baseline: ", stdout);
	put(stdout, r.baseline_id);
	fputs(" (sha256 ", stdout);
	put(stdout, r.baseline_sha256);
	fputs(")\nverdict:  ", stdout);
	put(stdout, r.verdict);
	fputs(" (", stdout);
	put(stdout, r.result);
	fputs(")\n", stdout);
	rc = 0;
	goto out;
fail:
	cli_diag(c, &d);
out:
	key_free(k);
	keyring_free(kr);
	arena_free(a);
	diag_free(&d);
	return rc;
}
