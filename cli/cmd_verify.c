/*
 * cmd_verify.c: `rampart verify REPORT (--key PUB | --keyring FILE)`
 * checks REPORT against its signed bundle and says what it verified: the
 * signature and key, the timestamp, the subject digest, the verdict and
 * every file the statement pins.  With --inputs it recomputes each pinned
 * digest from the files found there; with --rescan it scans them again
 * and requires the same verdict and control statuses.  Exit 0 valid, 1
 * invalid (with the reason), 2 usage, 3 malformed files, 5 system error.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "reports/report.h"
#include "reports/sign.h"

extern char **environ;

enum {
	O_BUNDLE = 1,
	O_KEY,
	O_KEYRING,
	O_TSA_CA,
	O_REQ_TS,
	O_FIPS,
	O_INPUTS,
	O_RESCAN,
	O_FORMAT,
	O_HELP,
	O_CONFIG
};

const struct opt verify_opts[] = {
	{ "bundle", 0, "FILE", O_BUNDLE, 0,
	    "the Sigstore bundle (default REPORT.sigstore.json)", NULL },
	{ "key", 'k', "PUB", O_KEY, OPT_CFG, "trust this public key (SPKI PEM)",
	    NULL },
	{ "keyring", 0, "FILE", O_KEYRING, OPT_CFG,
	    "trust the keys of this keyring (docs/signing.md)", NULL },
	{ "tsa-ca", 0, "FILE", O_TSA_CA, OPT_CFG,
	    "CA certificates to check RFC 3161 timestamps with", NULL },
	{ "require-timestamp", 0, NULL, O_REQ_TS, OPT_CFG,
	    "a verified timestamp is required (implied by a keyring entry "
	    "with validity dates)",
	    NULL },
	{ "inputs", 0, "DIR", O_INPUTS, OPT_REPEAT,
	    "recompute every pinned file's sha256 from the files under DIR; "
	    "name each missing or changed one",
	    NULL },
	{ "rescan", 0, NULL, O_RESCAN, 0,
	    "scan the pinned inputs again (needs --inputs) and require the "
	    "same verdict and control statuses",
	    NULL },
	{ "format", 'f', "F", O_FORMAT, OPT_CFG, "output format (default text)",
	    "text|json" },
	{ "json", 0, NULL, O_FORMAT, OPT_ALIAS, "--format json", "json" },
	{ "fips", 0, NULL, O_FIPS, 0, "use the OpenSSL FIPS provider", NULL },
	{ "config", 0, "FILE", O_CONFIG, OPT_CFGFILE,
	    "configuration file (default ./.rampart.yaml when present)", NULL },
	{ "no-config", 0, NULL, O_CONFIG, OPT_CFGFILE,
	    "ignore .rampart.yaml and RAMPART_* variables", NULL },
	{ "help", 'h', NULL, O_HELP, 0, "show this help", NULL },
	OPT_END,
};

#define MAX_DIRS 64

static void
verify_help(const struct command *cmd)
{
	cli_help(cmd, stdout);
	printf("\nVerify REPORT against its signed bundle.\n\n"
	       "exit: 0 valid, 1 invalid, changed or not reproduced, 2 "
	       "usage, 3 malformed\nfile, 5 system error\n");
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

static const char *
or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

/* A control status difference found by --rescan. */
struct diff {
	const char *id, *signed_status, *rescan_status;
};

struct rescan {
	int done; /* the scan ran and its report was read */
	const char *verdict;
	struct diff *v;
	size_t n;
	const char *error; /* why it could not run */
};

static const char *
pinned(const struct pin_check *c, size_t n, const char *role)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].role, role) == 0 && c[i].file != NULL)
			return c[i].file;
	return NULL;
}

static const char *
option(const struct verify_result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->noptions; i++)
		if (strcmp(r->options[i].name, name) == 0)
			return r->options[i].value;
	return NULL;
}

/* argv for the rescan: every pinned file as found, the pinned options. */
static int
rescan_argv(struct arena *a, const struct verify_result *r,
    const struct pin_check *c, size_t n, const char *out, char ***argvp)
{
	char **v, self[PATH_MAX], *w, *sp;
	size_t i, k = 0, nw;
	ssize_t len;
	const char *s, *sel;
	static const char *const single[][2] = { { "poam", "--poam" },
		{ "attestations", "--attest" }, { "crm", "--crm" },
		{ "scope", "--scope" } };
	static const char *const opts[][2] = { { "gate", "--gate" },
		{ "max_evidence_age_days", "--max-evidence-age" },
		{ "max_results", "--max-results" },
		{ "input_format", "--input-format" } };

	if ((len = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return -1;
	self[len] = '\0';
	sel = option(r, "selection");
	for (s = sel, nw = 0; s != NULL && *s != '\0'; s++)
		nw += *s == ' ';
	if ((v = arena_alloc(a, (2 * n + 34 + nw) * sizeof(*v))) == NULL)
		return -1;
	v[k++] = arena_strdup(a, self);
	v[k++] = "scan";
	if ((s = pinned(c, n, "baseline")) == NULL)
		return -1;
	v[k++] = "--baseline";
	v[k++] = (char *)s;
	for (i = 0; i < n; i++) {
		if (c[i].file == NULL)
			continue;
		if (strcmp(c[i].role, "input") == 0) {
			v[k++] = "--input";
			v[k++] = (char *)c[i].file;
		} else if (strcmp(c[i].role, "plugin") == 0) {
			v[k++] = "--plugin";
			v[k++] = (char *)c[i].file;
		} else if (strcmp(c[i].role, "rules") == 0 &&
		    c[i].source == NULL) {
			v[k++] = "--rules";
			v[k++] = (char *)c[i].file;
		}
	}
	for (i = 0; i < sizeof(single) / sizeof(single[0]); i++)
		if ((s = pinned(c, n, single[i][0])) != NULL) {
			v[k++] = (char *)single[i][1];
			v[k++] = (char *)s;
		}
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if ((s = option(r, opts[i][0])) != NULL) {
			v[k++] = (char *)opts[i][1];
			v[k++] = (char *)s;
		}
	/* A tailored scan again with its selection ("--check X ..."). */
	if (sel != NULL) {
		if ((w = arena_strdup(a, sel)) == NULL)
			return -1;
		for (; w != NULL; w = sp) {
			if ((sp = strchr(w, ' ')) != NULL)
				*sp++ = '\0';
			if (*w != '\0')
				v[k++] = w;
		}
	}
	/* What was signed alone: no .rampart.yaml, no RAMPART_*. */
	v[k++] = "--no-config";
	/* The scan's own time, so evidence ages are judged as they were. */
	if ((s = option(r, "fixed_time")) == NULL)
		s = r->finished;
	if (s != NULL) {
		v[k++] = "--fixed-time";
		v[k++] = (char *)s;
	}
	v[k++] = "--format";
	v[k++] = "json";
	v[k++] = "--output";
	v[k++] = (char *)out;
	v[k] = NULL;
	for (i = 0; i < k; i++)
		if (v[i] == NULL)
			return -1;
	*argvp = v;
	return 0;
}

/* Run the scan again and compare; rs->error says why it could not. */
static void
rescan(struct arena *a, struct diag *d, const struct verify_result *r,
    const struct pin_check *c, size_t n, struct rescan *rs)
{
	char tmpl[] = "/tmp/rampart-rescan.XXXXXX", *out, *buf = NULL;
	const struct doc_node *ctl, *e;
	struct report_doc rd;
	posix_spawn_file_actions_t fa;
	size_t i, j, len = 0;
	const char *id, *st;
	char **argv;
	pid_t pid;
	int status;

	memset(rs, 0, sizeof(*rs));
	for (i = 0; i < n; i++)
		if (strcmp(c[i].role, "input") == 0 &&
		    c[i].status == PIN_NOT_RECHECKED) {
			rs->error = "the scan probed live TLS endpoints, which "
				    "a rescan cannot reproduce";
			return;
		}
	/* A plugin runs code as it loads: only the one that was pinned. */
	for (i = 0; i < n; i++)
		if (strcmp(c[i].role, "plugin") == 0 && c[i].status != PIN_OK) {
			rs->error = "a pinned plugin is changed or missing; it "
				    "is not loaded";
			return;
		}
	if (mkdtemp(tmpl) == NULL) {
		rs->error = "cannot create a temporary directory";
		return;
	}
	out = arena_printf(a, "%s/report.json", tmpl);
	if (out == NULL || rescan_argv(a, r, c, n, out, &argv) == -1) {
		rs->error = "the pinned baseline or tool cannot be found";
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		rs->error = "cannot run the scan";
		goto out;
	}
	posix_spawn_file_actions_destroy(&fa);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			rs->error = "cannot wait for the scan";
			goto out;
		}
	if (!WIFEXITED(status) ||
	    (WEXITSTATUS(status) != EXIT_ELIGIBLE &&
		WEXITSTATUS(status) != EXIT_NOT_ELIGIBLE &&
		WEXITSTATUS(status) != EXIT_INCOMPLETE)) {
		rs->error = "the scan of the pinned inputs failed (run it "
			    "yourself to see why)";
		goto out;
	}
	if (file_read_all(d, out, 0, &buf, &len) == -1 ||
	    report_doc_parse(a, d, "rescan report", buf, len,
		REPORT_DOC_PARTIAL, &rd) == -1) {
		rs->error = "the rescan's report cannot be read";
		goto out;
	}
	rs->verdict = rd.verdict;
	ctl = rd.controls;
	if (rs->verdict == NULL || ctl == NULL || ctl->type != DOC_SEQ) {
		rs->error = "the rescan's report has no verdict";
		goto out;
	}
	rs->v =
	    arena_alloc(a, (ctl->u.seq.n + r->ncontrols + 1) * sizeof(*rs->v));
	if (rs->v == NULL) {
		rs->error = "out of memory";
		goto out;
	}
	/* Every signed status must be reproduced, and nothing new. */
	for (i = 0; i < r->ncontrols; i++) {
		st = NULL;
		for (j = 0; j < ctl->u.seq.n; j++) {
			e = ctl->u.seq.items[j];
			id = doc_str(doc_get(e, "id"));
			if (id != NULL && strcmp(id, r->controls[i].id) == 0)
				st = doc_str(doc_get(e, "status"));
		}
		if (st == NULL || strcmp(st, r->controls[i].status) != 0) {
			rs->v[rs->n].id = r->controls[i].id;
			rs->v[rs->n].signed_status = r->controls[i].status;
			rs->v[rs->n++].rescan_status = st;
		}
	}
	for (j = 0; j < ctl->u.seq.n; j++) {
		e = ctl->u.seq.items[j];
		if ((id = doc_str(doc_get(e, "id"))) == NULL)
			continue;
		for (i = 0; i < r->ncontrols; i++)
			if (strcmp(id, r->controls[i].id) == 0)
				break;
		if (i == r->ncontrols) {
			rs->v[rs->n].id = id;
			rs->v[rs->n].signed_status = NULL;
			rs->v[rs->n++].rescan_status =
			    doc_str(doc_get(e, "status"));
		}
	}
	rs->done = 1;
out:
	lib_free(buf);
	if (out != NULL)
		unlink(out);
	rmdir(tmpl);
}

/* The pins as not rechecked (no --inputs): nothing is read. */
static long
unchecked(struct arena *a, struct diag *d, const struct verify_result *r,
    struct pin_check **out, size_t *n)
{
	struct pin_check *c;
	size_t i;

	if ((c = arena_alloc(a, (r->npins + 1) * sizeof(*c))) == NULL)
		return diag_sys(d, NULL, "out of memory");
	for (i = 0; i < r->npins; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].role = r->pins[i].role;
		c[i].name = r->pins[i].name;
		c[i].input = r->pins[i].input;
		c[i].source = r->pins[i].source;
		c[i].want = r->pins[i].sha256;
		c[i].status = PIN_NOT_RECHECKED;
	}
	*out = c;
	*n = r->npins;
	return 0;
}

static void
json_result(const struct verify_result *r, const char *report, int keyring,
    int valid, const char *why, const struct pin_check *c, size_t nc,
    int rechecked, const struct rescan *rs, int ran_rescan)
{
	struct jw w;
	char when[32];
	size_t i;

	jw_init(&w, stdout);
	jw_obj(&w);
	jw_kstr(&w, "report", report);
	jw_key(&w, "valid");
	jw_bool(&w, valid);
	if (why != NULL)
		jw_kstr(&w, "reason", why);
	jw_key(&w, "signature");
	jw_obj(&w);
	jw_key(&w, "verified");
	jw_bool(&w, valid);
	jw_kstr(&w, "key_id", r->key_id[0] ? r->key_id : NULL);
	jw_kstr(&w, "key_algorithm", r->key_algorithm);
	jw_kstr(&w, "signer", r->signer);
	jw_key(&w, "keyring");
	if (!keyring) {
		jw_null(&w);
	} else {
		/* Reached only when the entry was found and its validity
		 * window (and revocation) checked. */
		jw_obj(&w);
		jw_key(&w, "key_found");
		jw_bool(&w, valid);
		jw_key(&w, "validity_checked");
		jw_bool(&w, valid);
		jw_end_obj(&w);
	}
	jw_end_obj(&w);
	jw_key(&w, "timestamp");
	jw_obj(&w);
	jw_kint(&w, "count", r->ntimestamps);
	jw_key(&w, "verified");
	jw_bool(&w, r->timestamp_verified);
	if (r->timestamp_verified) {
		format_time(r->timestamp, when);
		jw_kstr(&w, "time", when);
	}
	jw_kstr(&w, "claimed_time", r->time);
	jw_end_obj(&w);
	jw_key(&w, "subject");
	jw_obj(&w);
	jw_kstr(&w, "name", r->subject);
	jw_kstr(&w, "sha256", r->subject_sha256);
	jw_key(&w, "matches");
	jw_bool(&w, valid);
	jw_end_obj(&w);
	jw_kstr(&w, "verdict", r->verdict);
	jw_kstr(&w, "selection", option(r, "selection"));
	jw_kstr(&w, "result", r->result);
	jw_kstr(&w, "started", r->started);
	jw_kstr(&w, "finished", r->finished);
	jw_key(&w, "tool");
	jw_obj(&w);
	jw_kstr(&w, "version", r->tool_version);
	jw_kstr(&w, "build_id", r->build_id);
	jw_kstr(&w, "sha256", r->tool_sha256);
	jw_end_obj(&w);
	jw_key(&w, "options");
	jw_obj(&w);
	for (i = 0; i < r->noptions; i++)
		jw_kstr(&w, r->options[i].name, r->options[i].value);
	jw_end_obj(&w);
	jw_key(&w, "pinned");
	jw_arr(&w);
	for (i = 0; i < nc; i++) {
		jw_obj(&w);
		jw_kstr(&w, "role", c[i].role);
		jw_kstr(&w, "name", c[i].name);
		if (c[i].input != NULL)
			jw_kstr(&w, "input", c[i].input);
		jw_kstr(&w, "sha256", c[i].want);
		jw_key(&w, "rechecked");
		jw_bool(&w,
		    rechecked && c[i].status != PIN_NOT_RECHECKED &&
			c[i].status != PIN_MISSING);
		jw_kstr(&w, "status",
		    rechecked ? pin_status_name(c[i].status) : "not_rechecked");
		if (rechecked && c[i].got != NULL)
			jw_kstr(&w, "recomputed", c[i].got);
		if (rechecked && c[i].file != NULL)
			jw_kstr(&w, "file", c[i].file);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_key(&w, "rescan");
	if (!ran_rescan) {
		jw_null(&w);
	} else {
		jw_obj(&w);
		jw_key(&w, "ran");
		jw_bool(&w, rs->done);
		if (rs->error != NULL)
			jw_kstr(&w, "error", rs->error);
		jw_kstr(&w, "verdict", rs->verdict);
		jw_key(&w, "differences");
		jw_arr(&w);
		for (i = 0; i < rs->n; i++) {
			jw_obj(&w);
			jw_kstr(&w, "control", rs->v[i].id);
			jw_kstr(&w, "signed", rs->v[i].signed_status);
			jw_kstr(&w, "rescan", rs->v[i].rescan_status);
			jw_end_obj(&w);
		}
		jw_end_arr(&w);
		jw_end_obj(&w);
	}
	jw_end_obj(&w);
	jw_finish(&w);
}

/* "label: value", the value escaped for the terminal. */
static void
print_field(const char *label, const char *s)
{
	fputs(label, stdout);
	put(stdout, s != NULL ? s : "-");
	fputc('\n', stdout);
}

static void
text_result(const char *report, const struct verify_result *r,
    const struct pin_check *c, size_t nc, int rechecked,
    const struct rescan *rs, int ran_rescan)
{
	char when[32], lb[64];
	size_t i, k[5] = { 0 };

	print_field("verified: ", report);
	fputs("signer:   ", stdout);
	put(stdout, or_dash(r->signer));
	printf(" (key %s, %s)\n", r->key_id, or_dash(r->key_algorithm));
	print_field("time:     ", r->time);
	if (r->timestamp_verified) {
		format_time(r->timestamp, when);
		printf("timestamp: %s (RFC 3161, verified)\n", when);
	} else if (r->ntimestamps > 0) {
		printf("timestamp: present, not checked (no --tsa-ca)\n");
	} else {
		printf("timestamp: none\n");
	}
	printf("subject:  ");
	put(stdout, or_dash(r->subject));
	printf(" (sha256 %s, matches)\n", or_dash(r->subject_sha256));
	fputs("baseline: ", stdout);
	put(stdout, or_dash(r->baseline_id));
	printf(" (sha256 %s)\n", or_dash(r->baseline_sha256));
	fputs("tool:     rampart ", stdout);
	put(stdout, or_dash(r->tool_version));
	printf(" (build %s)\n", or_dash(r->build_id));
	fputs("verdict:  ", stdout);
	put(stdout, or_dash(r->verdict));
	printf(" (%s)\n", or_dash(r->result));
	/* A tailored scan is never read as a full one. */
	if (option(r, "selection") != NULL) {
		fputs("selection: ", stdout);
		put(stdout, option(r, "selection"));
		fputs(" (a tailored scan: checks not run, their controls "
		      "open)\n",
		    stdout);
	}
	for (i = 0; i < nc; i++)
		k[c[i].status]++;
	if (!rechecked) {
		printf("pinned:   %zu files, not rechecked (give --inputs "
		       "DIR)\n",
		    r->npins);
	} else {
		printf("pinned:   %zu files: %zu recomputed and equal, %zu "
		       "changed, %zu missing, %zu unpinned, %zu not "
		       "rechecked (the tool, live TLS probes)\n",
		    r->npins, k[PIN_OK], k[PIN_CHANGED], k[PIN_MISSING],
		    k[PIN_UNPINNED], k[PIN_NOT_RECHECKED]);
		for (i = 0; i < nc; i++) {
			if (c[i].status == PIN_OK ||
			    c[i].status == PIN_NOT_RECHECKED)
				continue;
			printf("  %-9s %s ", pin_status_name(c[i].status),
			    c[i].role);
			put(stdout, c[i].name);
			if (c[i].input != NULL) {
				fputs(" in ", stdout);
				put(stdout, c[i].input);
			}
			if (c[i].file != NULL) {
				fputs(" (", stdout);
				put(stdout, c[i].file);
				fputc(')', stdout);
			}
			fputc('\n', stdout);
		}
	}
	if (!ran_rescan)
		return;
	if (!rs->done) {
		printf("rescan:   not run: %s\n", or_dash(rs->error));
		return;
	}
	printf("rescan:   verdict %s, %zu control%s differ%s\n",
	    or_dash(rs->verdict), rs->n, rs->n == 1 ? "" : "s",
	    rs->n == 1 ? "s" : "");
	for (i = 0; i < rs->n; i++) {
		/* Control ids print as labels (AC-2(3)) in text output. */
		fputs("  ", stdout);
		put(stdout,
		    control_label(rs->v[i].id, lb, sizeof(lb)) == 0
			? lb
			: rs->v[i].id);
		printf(": signed %s, rescan %s\n",
		    or_dash(rs->v[i].signed_status),
		    or_dash(rs->v[i].rescan_status));
	}
}

/* The command line of verify. */
struct verify_args {
	const char *report, *bundle, *keyfile, *ringfile;
	const char *dirs[MAX_DIRS]; /* --inputs */
	size_t ndirs;
	int fips, json, do_rescan;
	struct verify_opts vo; /* key and keyring set after loading */
};

/*
 * Parse verify's options and operand into *va and check how they
 * combine.  Returns -1 to go on, or the exit code to return (0 after
 * --help), the reason printed.
 */
static int
verify_parse(struct cli *c, const struct command *cmd, int argc, char **argv,
    struct verify_args *va)
{
	struct opt_parse p;
	const char *arg;
	int o;

	memset(va, 0, sizeof(*va));
	opt_init(&p, c, cmd, argc, argv);
	while ((o = opt_next(&p)) != -1) {
		arg = p.arg;
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (va->report != NULL)
				return cli_usage_err(cmd, "one REPORT only");
			va->report = opt_operand(&p);
			break;
		case O_BUNDLE:
			va->bundle = arg;
			break;
		case O_KEY:
			va->keyfile = arg;
			break;
		case O_KEYRING:
			va->ringfile = arg;
			break;
		case O_TSA_CA:
			va->vo.tsa_ca = arg;
			break;
		case O_REQ_TS:
			va->vo.require_timestamp = 1;
			break;
		case O_FIPS:
			va->fips = 1;
			break;
		case O_INPUTS:
			if (va->ndirs == MAX_DIRS)
				return cli_usage_err(cmd, "too many --inputs");
			va->dirs[va->ndirs++] = arg;
			break;
		case O_RESCAN:
			va->do_rescan = 1;
			break;
		case O_FORMAT:
			va->json = strcmp(arg, "json") == 0;
			break;
		case O_HELP:
			verify_help(cmd);
			return 0;
		default:
			return opt_unhandled(&p, o);
		}
	}
	if (va->report == NULL)
		return cli_usage_err(cmd, "missing REPORT");
	if ((va->keyfile == NULL) == (va->ringfile == NULL))
		return cli_usage_err(cmd,
		    "give exactly one of --key and "
		    "--keyring");
	if (va->do_rescan && va->ndirs == 0)
		return cli_usage_err(cmd,
		    "--rescan needs --inputs DIR (where the pinned "
		    "files are)");
	if (va->vo.require_timestamp && va->vo.tsa_ca == NULL)
		return cli_usage_err(cmd,
		    "--require-timestamp needs --tsa-ca to verify the "
		    "timestamp with");
	return -1;
}

/*
 * Say why the bundle did not verify (v is not VERIFY_VALID): the
 * diagnostics, the JSON result with --json, and the one-line verdict.
 * Returns the exit code.
 */
static int
verify_refused(struct cli *c, struct diag *d, const struct verify_args *va,
    const struct verify_result *r, int v)
{
	int rc;

	/* Tri-state and more: anything but VALID is a failure. */
	rc = v == VERIFY_INVALID    ? EXIT_NOT_ELIGIBLE
	    : v == VERIFY_MALFORMED ? EXIT_INVALID_INPUT
				    : cli_exit_for(d);
	cli_diag(c, d);
	if (va->json)
		json_result(r, va->report, va->vo.keyring != NULL, 0,
		    rc == EXIT_NOT_ELIGIBLE ? "invalid signature "
					      "or report"
					    : "cannot verify",
		    NULL, 0, 0, NULL, 0);
	fputs("rampart verify: ", stderr);
	put(stderr, va->report);
	fprintf(stderr, ": %s\n",
	    rc == EXIT_NOT_ELIGIBLE ? "INVALID signature or report"
				    : "cannot verify");
	return rc;
}

/*
 * The signature verified: recheck the pins (with --inputs; else list them
 * as not rechecked), rescan with --rescan, print the result and decide
 * the exit code.  Returns it, or -1 on a system error (reported on d).
 */
static int
verify_pins(struct arena *a, struct diag *d, const struct verify_args *va,
    const struct verify_result *r)
{
	struct pin_check *pc = NULL;
	struct rescan rs;
	size_t npc = 0;
	long bad;
	int rc = 0;

	memset(&rs, 0, sizeof(rs));
	/* Without --inputs each pin is listed as not rechecked. */
	if (va->ndirs > 0)
		bad = pins_recheck(
		    a, d, r->pins, r->npins, va->dirs, va->ndirs, &pc, &npc);
	else
		bad = unchecked(a, d, r, &pc, &npc);
	if (bad < 0)
		return -1;
	if (va->do_rescan)
		rescan(a, d, r, pc, npc, &rs);
	if (va->json)
		json_result(r, va->report, va->vo.keyring != NULL, 1, NULL, pc,
		    npc, va->ndirs > 0, &rs, va->do_rescan);
	else
		text_result(
		    va->report, r, pc, npc, va->ndirs > 0, &rs, va->do_rescan);
	if (bad > 0) {
		fprintf(stderr,
		    "rampart verify: %s: the signature is valid, but %ld "
		    "pinned file%s changed or missing\n",
		    va->report, bad, bad == 1 ? " is" : "s are");
		rc = EXIT_NOT_ELIGIBLE;
	}
	if (va->do_rescan &&
	    (!rs.done || rs.n > 0 ||
		(r->verdict != NULL && rs.verdict != NULL &&
		    strcmp(r->verdict, rs.verdict) != 0))) {
		fprintf(stderr, "rampart verify: %s: the rescan %s\n",
		    va->report,
		    !rs.done ? "could not run"
			     : "does not reproduce the "
			       "signed verdict and "
			       "statuses");
		rc = EXIT_NOT_ELIGIBLE;
	}
	return rc;
}

int
cmd_verify(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("verify");
	struct verify_args va;
	struct verify_result r;
	struct sign_key *k = NULL;
	struct keyring *kr = NULL;
	struct arena *a = NULL;
	struct diag d;
	int v, rc = EXIT_INVALID_INPUT;

	diag_init(&d);
	if ((rc = verify_parse(c, cmd, argc, argv, &va)) != -1)
		return rc;
	rc = EXIT_INVALID_INPUT;
	if (va.fips && key_fips_enable(&d) == -1) {
		cli_diag(c, &d);
		diag_free(&d);
		return EXIT_SYSTEM;
	}
	if ((a = arena_new()) == NULL) {
		fprintf(stderr, "rampart verify: out of memory\n");
		return EXIT_SYSTEM;
	}
	if (va.keyfile != NULL && (k = key_load_public(&d, va.keyfile)) == NULL)
		goto fail;
	if (va.ringfile != NULL && (kr = keyring_load(&d, va.ringfile)) == NULL)
		goto fail;
	if (va.fips && k != NULL && k->alg == KEY_ALG_ED25519) {
		diag_err(
		    &d, NULL, "--fips: Ed25519 keys are not FIPS-approved");
		goto fail;
	}
	va.vo.key = k;
	va.vo.keyring = kr;
	v = bundle_verify_file(a, &d, va.report, va.bundle, &va.vo, &r);
	if (v != VERIFY_VALID) {
		rc = verify_refused(c, &d, &va, &r, v);
		goto out;
	}
	if (d.n > 0)
		cli_diag(c, &d);
	diag_clear(&d);
	if ((rc = verify_pins(a, &d, &va, &r)) == -1) {
		rc = cli_exit_for(&d);
		goto fail;
	}
	goto out;
fail:
	cli_diag(c, &d);
	if (rc == EXIT_INVALID_INPUT)
		rc = cli_exit_for(&d);
out:
	key_free(k);
	keyring_free(kr);
	arena_free(a);
	diag_free(&d);
	return rc;
}
