/*
 * cmd_place.c: `rampart place`: where may this workload go?  The FedRAMP
 * Marketplace feed says which offerings are authorized at the workload's
 * level for its service models; signed `rampart scan` reports say whether
 * the tenancy on an offering is configured compliantly.  Every evidence
 * report must verify against a trusted key, or it is refused.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "reports/placement.h"
#include "reports/report.h"
#include "reports/sign.h"

#define MAX_EVIDENCE 64
#define MAX_FORMATS 4
#define REPORT_MAX_BYTES (256u << 20)

enum {
	O_WORKLOAD = 1,
	O_EVIDENCE,
	O_KEY,
	O_KEYRING,
	O_MARKETPLACE,
	O_FORMAT,
	O_OUTPUT_DIR,
	O_SIGN,
	O_PASSFILE,
	O_NOW,
	O_HELP,
	O_CONFIG
};

const struct opt place_opts[] = {
	{ "workload", 0, "FILE", O_WORKLOAD, 0,
	    "the workload (YAML: name, impact, service_models, providers, "
	    "baseline; required)",
	    NULL },
	{ "evidence", 0, "ID=REPORT", O_EVIDENCE, OPT_REPEAT,
	    "a signed `rampart scan` JSON report of the tenancy on offering "
	    "ID (REPORT.sigstore.json beside it)",
	    NULL },
	{ "key", 0, "PUB", O_KEY, OPT_CFG, "trusted key for the evidence",
	    NULL },
	{ "keyring", 0, "FILE", O_KEYRING, OPT_CFG,
	    "trusted keys for the evidence", NULL },
	{ "marketplace", 0, "FILE", O_MARKETPLACE, OPT_CFG,
	    "the feed (default: the shipped copy)", NULL },
	{ "format", 'f', "F[,F...]", O_FORMAT, OPT_CFG,
	    "text, json, markdown, html (default text)", NULL },
	{ "json", 0, NULL, O_FORMAT, OPT_ALIAS, "--format json", "json" },
	{ "output-dir", 0, "DIR", O_OUTPUT_DIR, OPT_CFG,
	    "write placement.<ext> files there", NULL },
	{ "fixed-time", 0, "T", O_NOW, OPT_CFG,
	    "decide as of this time (RFC 3339 or YYYY-MM-DD, UTC)", NULL },
	{ "now", 0, "T", O_NOW, OPT_ALIAS, "--fixed-time", NULL },
	{ "time", 0, "T", O_NOW, OPT_ALIAS, "--fixed-time", NULL },
	{ "sign", 0, "KEY", O_SIGN, 0, "sign every file written", NULL },
	{ "passphrase-file", 0, "F", O_PASSFILE, 0,
	    "passphrase of the --sign key", NULL },
	{ "config", 0, "FILE", O_CONFIG, OPT_CFGFILE,
	    "configuration file (default ./.rampart.yaml when present)", NULL },
	{ "no-config", 0, NULL, O_CONFIG, OPT_CFGFILE,
	    "ignore .rampart.yaml and RAMPART_* variables", NULL },
	{ "help", 'h', NULL, O_HELP, 0, "show this help", NULL },
	OPT_END,
};

struct place_args {
	const char *workload, *key, *keyring, *marketplace, *output_dir;
	const char *sign, *passfile;
	const char *ev_id[MAX_EVIDENCE], *ev_path[MAX_EVIDENCE];
	size_t nev;
	const struct placement_writer *fmt[MAX_FORMATS];
	size_t nfmt;
	int64_t now;
	int now_set;
};

static void
place_help(const struct command *cmd)
{
	cli_help(cmd, stdout);
	printf("\nDecide which FedRAMP Marketplace offerings may host a "
	       "workload\n(docs/placement.md).\n\n"
	       "exit: 0 an eligible placement, 1 none, 2 usage, 3 invalid "
	       "workload,\n      feed or evidence, 4 incomplete, 5 system "
	       "error\n");
}

static int
parse_formats(const struct command *cmd, const char *list, struct place_args *a)
{
	char buf[128], *p, *comma;
	const struct placement_writer *w;

	a->nfmt = 0;
	if ((size_t)snprintf(buf, sizeof(buf), "%s", list) >= sizeof(buf))
		return cli_usage_err(cmd, "--format list too long");
	for (p = buf; p != NULL; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		if ((w = placement_writer_find(p)) == NULL)
			return cli_usage_err(cmd, "unknown format '%s' (%s)", p,
			    placement_formats());
		if (a->nfmt == MAX_FORMATS)
			return cli_usage_err(cmd, "too many formats");
		a->fmt[a->nfmt++] = w;
	}
	return 0;
}

static int
parse_args(struct cli *c, const struct command *cmd, int argc, char **argv,
    struct place_args *a)
{
	const char *arg, *eq;
	struct time_error te;
	struct opt_parse p;
	int o, rc;
	size_t k;

	memset(a, 0, sizeof(*a));
	opt_init(&p, c, cmd, argc, argv);
	while ((o = opt_next(&p)) != -1) {
		arg = p.arg;
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			return cli_usage_err(
			    cmd, "unexpected operand '%s'", p.argv[p.i]);
		case O_WORKLOAD:
			a->workload = arg;
			break;
		case O_EVIDENCE:
			if ((eq = strchr(arg, '=')) == NULL || eq == arg ||
			    eq[1] == '\0')
				return cli_usage_err(cmd,
				    "--evidence wants ID=REPORT, not '%s'",
				    arg);
			if (a->nev == MAX_EVIDENCE)
				return cli_usage_err(
				    cmd, "at most %d --evidence", MAX_EVIDENCE);
			a->ev_path[a->nev] = eq + 1;
			/* The id is the part before '='; arg points into
			 * argv, which is ours to cut. */
			((char *)arg)[eq - arg] = '\0';
			a->ev_id[a->nev] = arg;
			for (k = 0; k < a->nev; k++)
				if (strcmp(a->ev_id[k], a->ev_id[a->nev]) == 0)
					return cli_usage_err(cmd,
					    "two --evidence for '%s'",
					    a->ev_id[k]);
			a->nev++;
			break;
		case O_KEY:
			a->key = arg;
			break;
		case O_KEYRING:
			a->keyring = arg;
			break;
		case O_MARKETPLACE:
			a->marketplace = arg;
			break;
		case O_FORMAT:
			if ((rc = parse_formats(cmd, arg, a)) != 0)
				return rc;
			break;
		case O_OUTPUT_DIR:
			a->output_dir = arg;
			break;
		case O_SIGN:
			a->sign = arg;
			break;
		case O_PASSFILE:
			a->passfile = arg;
			break;
		case O_NOW:
			if (time_parse(
				arg, strlen(arg), TIME_ANY, &a->now, &te) == -1)
				return cli_usage_err(cmd,
				    "--fixed-time '%s' is not an RFC 3339 "
				    "time: "
				    "%s",
				    arg, te.why);
			a->now_set = 1;
			break;
		case O_HELP:
			place_help(cmd);
			return -1;
		default:
			return opt_unhandled(&p, o);
		}
	}
	if (a->workload == NULL)
		return cli_usage_err(cmd, "missing --workload FILE");
	if (a->key != NULL && a->keyring != NULL)
		return cli_usage_err(cmd, "give one of --key and --keyring");
	if (a->nev > 0 && a->key == NULL && a->keyring == NULL)
		return cli_usage_err(cmd,
		    "--evidence needs --key or --keyring: evidence is "
		    "verified before it is used");
	if (a->nfmt == 0) {
		a->fmt[0] = placement_writer_find("text");
		a->nfmt = 1;
	}
	if (a->nfmt > 1 && a->output_dir == NULL)
		return cli_usage_err(cmd, "several formats need --output-dir");
	if (a->sign != NULL && a->output_dir == NULL)
		return cli_usage_err(cmd,
		    "--sign needs --output-dir (a signature covers a file)");
	if (a->passfile != NULL && a->sign == NULL)
		return cli_usage_err(cmd, "--passphrase-file needs --sign");
	return 0;
}

/*
 * Read, verify and parse one evidence report.  The bytes that were
 * verified are the bytes parsed.  Returns 0, or an exit code (already
 * reported) when the report is refused.
 */
static int
load_evidence(struct arena *a, struct diag *d, const struct mkt_feed *f,
    const char *id, const char *path, const struct verify_opts *vo,
    struct mkt_evidence *ev)
{
	struct verify_result vr;
	struct load_limits lim;
	struct doc_node **docs, *root, *v, *bl;
	char *rep = NULL, *bun = NULL, *bpath, hex[SHA256_HEX_LEN + 1];
	size_t rlen, blen, ndocs;
	int rc = EXIT_INVALID_INPUT, vr_rc;

	memset(ev, 0, sizeof(*ev));
	if (mkt_find(f, id) == NULL) {
		diag_err(d, NULL,
		    "--evidence '%s': no offering with that id in the feed "
		    "(try 'rampart marketplace show')",
		    id);
		return EXIT_INVALID_INPUT;
	}
	if ((bpath = arena_printf(a, "%s%s", path, BUNDLE_SUFFIX)) == NULL) {
		diag_sys(d, NULL, "out of memory");
		return EXIT_SYSTEM;
	}
	if (file_read_all(d, path, REPORT_MAX_BYTES, &rep, &rlen) == -1)
		goto out;
	if (file_read_all(d, bpath, REPORT_MAX_BYTES, &bun, &blen) == -1) {
		diag_err(d, NULL,
		    "evidence '%s' needs its signed bundle '%s': unsigned "
		    "evidence is refused",
		    path, bpath);
		goto out;
	}
	memset(&vr, 0, sizeof(vr));
	vr_rc = bundle_verify_buf(a, d, bpath, bun, blen, rep, rlen, vo, &vr);
	if (vr_rc != VERIFY_VALID) {
		diag_err(d, NULL,
		    "evidence '%s' does not verify: refused, never ignored",
		    path);
		rc = vr_rc == VERIFY_ERROR ? EXIT_SYSTEM : EXIT_INVALID_INPUT;
		goto out;
	}
	load_limits_default(&lim);
	if (doc_load_buf(
		a, d, path, rep, rlen, DOC_FMT_JSON, &lim, &docs, &ndocs) == -1)
		goto out;
	root = ndocs == 1 ? docs[0] : NULL;
	if (root == NULL || root->type != DOC_MAP ||
	    doc_get(root, "verdict") == NULL) {
		diag_err(d, NULL,
		    "evidence '%s' is not a rampart scan JSON report", path);
		goto out;
	}
	v = doc_get(root, "kind");
	if (v != NULL && doc_str(v) != NULL &&
	    strcmp(doc_str(v), "placement") == 0) {
		diag_err(d, NULL,
		    "evidence '%s' is a placement report, not a scan of a "
		    "tenancy",
		    path);
		goto out;
	}
	v = doc_get(root, "gate");
	if (doc_str(v) == NULL || strcmp(doc_str(v), "eligibility") != 0) {
		diag_err(d, v ? &v->mark : &root->mark,
		    "evidence '%s' was decided with '--gate %s': a gate on "
		    "the automated checks alone is not tenancy evidence for "
		    "placement; scan without --gate",
		    path, doc_str(v) ? doc_str(v) : "?");
		goto out;
	}
	ev->verdict = doc_str(doc_get(root, "verdict"));
	if (ev->verdict == NULL ||
	    (strcmp(ev->verdict, "eligible") != 0 &&
		strcmp(ev->verdict, "not_eligible") != 0 &&
		strcmp(ev->verdict, "incomplete") != 0)) {
		diag_err(d, &root->mark, "evidence '%s': unknown verdict '%s'",
		    path, ev->verdict ? ev->verdict : "?");
		goto out;
	}
	if (vr.verdict == NULL || strcmp(vr.verdict, ev->verdict) != 0) {
		diag_err(d, NULL,
		    "evidence '%s': the signed verdict '%s' is not the "
		    "report's '%s'",
		    path, vr.verdict ? vr.verdict : "-", ev->verdict);
		goto out;
	}
	bl = doc_get(root, "baseline");
	ev->baseline_id = doc_str(doc_get(bl, "id"));
	if (ev->baseline_id == NULL) {
		diag_err(
		    d, &root->mark, "evidence '%s' names no baseline.id", path);
		goto out;
	}
	if (vr.baseline_id != NULL &&
	    strcmp(vr.baseline_id, ev->baseline_id) != 0) {
		diag_err(d, NULL,
		    "evidence '%s': the signed baseline '%s' is not the "
		    "report's '%s'",
		    path, vr.baseline_id, ev->baseline_id);
		goto out;
	}
	sha256_hex(rep, rlen, hex);
	ev->offering_id = id;
	ev->path = path;
	ev->finished = doc_str(doc_get(root, "finished"));
	if ((ev->sha256 = arena_strdup(a, hex)) == NULL ||
	    (ev->signer_key_id = arena_strdup(a, vr.key_id)) == NULL) {
		diag_sys(d, NULL, "out of memory");
		rc = EXIT_SYSTEM;
		goto out;
	}
	rc = 0;
out:
	lib_free(rep);
	lib_free(bun);
	return rc;
}

/* What the signed statement of a placement report says.  0 or -1. */
static int
place_sign_meta(struct arena *a, const struct placement_report *r,
    const char *sign_time, struct sign_meta *m)
{
	const struct mkt_placement *p = r->p;
	struct sign_input *in;
	const char **passed, **failed;
	size_t i, n = 0, np = 0, nf = 0;

	memset(m, 0, sizeof(*m));
	m->verdict = p->verdict == MKT_ELIGIBLE ? SIGN_VERDICT_ELIGIBLE
	    : p->verdict == MKT_NOT_ELIGIBLE    ? SIGN_VERDICT_NOT_ELIGIBLE
						: SIGN_VERDICT_INCOMPLETE;
	in = arena_alloc(a, (r->nev + 3) * sizeof(*in));
	passed = arena_alloc(a, (p->n + 1) * sizeof(char *));
	failed = arena_alloc(a, (p->n + 1) * sizeof(char *));
	if (in == NULL || passed == NULL || failed == NULL)
		return -1;
	in[n].path = arena_printf(a, "workload:%s", r->w->path);
	in[n++].sha256 = r->w->sha256;
	in[n].path = arena_printf(a, "marketplace:%s", r->feed->path);
	in[n++].sha256 = r->feed->sha256;
	if (r->feed->compact) {
		in[n].path = arena_printf(
		    a, "marketplace-source:%s", r->feed->last_change);
		in[n++].sha256 = r->feed->source_sha256;
	}
	for (i = 0; i < r->nev; i++) {
		in[n].path = arena_printf(
		    a, "evidence:%s:%s", r->ev[i].offering_id, r->ev[i].path);
		in[n++].sha256 = r->ev[i].sha256;
	}
	for (i = 0; i < n; i++)
		if (in[i].path == NULL)
			return -1;
	for (i = 0; i < p->n; i++) {
		if (p->v[i].decision == MKT_ELIGIBLE)
			passed[np++] = p->v[i].o->id;
		else if (p->v[i].decision == MKT_NOT_ELIGIBLE)
			failed[nf++] = p->v[i].o->id;
	}
	m->inputs = in;
	m->ninputs = n;
	m->passed = passed;
	m->npassed = np;
	m->failed = failed;
	m->nfailed = nf;
	m->finished = sign_time;
	m->sign_time = sign_time;
	return 0;
}

static int
write_outputs(struct diag *d, const struct place_args *a,
    const struct placement_report *r, const struct sign_key *key,
    const char *now_text)
{
	struct atomic_file *af;
	struct arena *ar;
	struct sign_meta m;
	char *path;
	size_t i;
	int rc = 0;

	if (a->output_dir == NULL)
		return a->fmt[0]->write(stdout, r) == 0
		    ? 0
		    : diag_err(d, NULL, "error writing the report");
	if ((ar = arena_new()) == NULL)
		return diag_sys(d, NULL, "out of memory");
	if (mkdir(a->output_dir, 0755) == -1 && errno != EEXIST) {
		arena_free(ar);
		return diag_sys(d, NULL, "cannot create '%s': %s",
		    a->output_dir, strerror(errno));
	}
	for (i = 0; i < a->nfmt && rc == 0; i++) {
		path = arena_printf(
		    ar, "%s/%s", a->output_dir, a->fmt[i]->filename);
		if (path == NULL) {
			rc = diag_sys(d, NULL, "out of memory");
			break;
		}
		if ((af = atomic_open(d, path, 0644)) == NULL) {
			rc = -1;
			break;
		}
		if (a->fmt[i]->write(atomic_fp(af), r) == -1) {
			atomic_abort(af);
			rc = diag_err(d, NULL, "%s: write error", path);
			break;
		}
		if (atomic_commit(d, af) == -1) {
			rc = -1;
			break;
		}
		if (key != NULL &&
		    (place_sign_meta(ar, r, now_text, &m) == -1 ||
			bundle_sign_file(d, path, &m, key, NULL) == -1))
			rc = -1;
		else
			fprintf(stderr, "wrote %s%s\n", path,
			    key != NULL ? " (signed)" : "");
	}
	arena_free(ar);
	return rc;
}

/* Add a warning to the report and to the diagnostics.  0 or -1. */
static int
warn_add(struct arena *a, struct diag *d, const char ***v, size_t *n,
    const char *msg)
{
	const char **nv;

	if (msg == NULL ||
	    (nv = arena_realloc(a, *v, *n * sizeof(char *),
		 (*n + 1) * sizeof(char *))) == NULL)
		return -1;
	nv[(*n)++] = msg;
	*v = nv;
	diag_warn(d, NULL, "%s", msg);
	return 0;
}

/*
 * What the user must know about the decision: a stale feed, a provider
 * with no offering in the feed (a misspelt name would otherwise drop out
 * silently), evidence for an offering that is not a candidate.  0 or -1.
 */
static int
place_warnings(struct arena *a, struct diag *d, const struct mkt_feed *f,
    const struct mkt_workload *w, const struct mkt_placement *p,
    const struct mkt_evidence *ev, size_t nev, struct placement_report *pr)
{
	const char **v = NULL;
	size_t n = 0, i, j;

	if (p->feed_stale &&
	    warn_add(a, d, &v, &n,
		arena_printf(a,
		    "the marketplace feed of %s is %lld days old (more than "
		    "%d): refresh it with 'rampart marketplace import'",
		    f->last_change, (long long)p->feed_age_days,
		    MKT_STALE_DAYS)) == -1)
		return -1;
	for (i = 0; i < w->nproviders; i++) {
		for (j = 0; j < f->n; j++)
			if (strcasecmp(f->v[j].csp, w->providers[i]) == 0)
				break;
		if (j == f->n &&
		    warn_add(a, d, &v, &n,
			arena_printf(a,
			    "provider '%s' has no offering in the feed (names "
			    "are matched whole, any case; try 'rampart "
			    "marketplace list --csp NAME')",
			    w->providers[i])) == -1)
			return -1;
	}
	for (i = 0; i < nev; i++) {
		for (j = 0; j < p->n; j++)
			if (p->v[j].evidence == &ev[i])
				break;
		if (j == p->n &&
		    warn_add(a, d, &v, &n,
			arena_printf(a,
			    "evidence for '%s' is unused: that offering is "
			    "not one of the workload's providers",
			    ev[i].offering_id)) == -1)
			return -1;
	}
	pr->warnings = v;
	pr->nwarnings = n;
	return 0;
}

int
cmd_place(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("place");
	struct place_args a;
	struct diag d;
	struct arena *ar = NULL;
	struct mkt_workload *w = NULL;
	struct mkt_feed *f = NULL;
	struct mkt_evidence *ev = NULL;
	struct mkt_placement p;
	struct placement_report pr;
	struct sign_key *pub = NULL, *key = NULL;
	struct keyring *kr = NULL;
	struct verify_opts vo;
	char def[PATH_MAX], now_text[32], *pass = NULL;
	const char *mp;
	size_t i, passlen = 0;
	int rc;

	if ((rc = parse_args(c, cmd, argc, argv, &a)) != 0)
		return rc == -1 ? 0 : rc;
	diag_init(&d);
	rc = EXIT_INVALID_INPUT;
	if ((ar = arena_new()) == NULL) {
		rc = EXIT_SYSTEM;
		goto out;
	}
	if (!a.now_set)
		a.now = (int64_t)time(NULL);
	format_time(a.now, now_text);
	if ((w = mkt_workload_load(&d, a.workload)) == NULL)
		goto out;
	mp = a.marketplace;
	if (mp == NULL) {
		if (cli_marketplace_default(def, sizeof(def)) == -1) {
			diag_err(&d, NULL,
			    "no shipped marketplace feed; give --marketplace "
			    "FILE");
			goto out;
		}
		mp = def;
	}
	if ((f = mkt_feed_load(&d, mp)) == NULL)
		goto out;
	if (a.sign != NULL &&
	    (key_read_passphrase(&d, a.passfile, 1, &pass, &passlen) == -1 ||
		(key = key_load_private(&d, a.sign, pass, passlen)) == NULL))
		goto out;
	memset(&vo, 0, sizeof(vo));
	if (a.key != NULL && (pub = key_load_public(&d, a.key)) == NULL)
		goto out;
	if (a.keyring != NULL && (kr = keyring_load(&d, a.keyring)) == NULL)
		goto out;
	vo.key = pub;
	vo.keyring = kr;
	if (a.nev > 0 &&
	    (ev = arena_alloc(ar, a.nev * sizeof(ev[0]))) == NULL) {
		rc = EXIT_SYSTEM;
		goto out;
	}
	for (i = 0; i < a.nev; i++) {
		if ((rc = load_evidence(ar, &d, f, a.ev_id[i], a.ev_path[i],
			 &vo, &ev[i])) != 0)
			goto out;
	}
	rc = EXIT_SYSTEM;
	memset(&pr, 0, sizeof(pr));
	if (mkt_decide(ar, f, w, ev, a.nev, a.now, &p) == -1) {
		diag_sys(&d, NULL, "out of memory");
		goto out;
	}
	if (place_warnings(ar, &d, f, w, &p, ev, a.nev, &pr) == -1) {
		rc = EXIT_SYSTEM;
		goto out;
	}
	pr.feed = f;
	pr.w = w;
	pr.p = &p;
	pr.ev = ev;
	pr.nev = a.nev;
	pr.decided = a.now;
	pr.tool_version = RAMPART_VERSION;
	pr.color = a.output_dir == NULL && c->color_out;
	if (d.n > 0)
		cli_diag(c, &d);
	diag_clear(&d);
	if (write_outputs(&d, &a, &pr, key, a.now_set ? now_text : NULL) == -1)
		goto out;
	rc = p.verdict == MKT_ELIGIBLE    ? EXIT_ELIGIBLE
	    : p.verdict == MKT_INCOMPLETE ? EXIT_INCOMPLETE
					  : EXIT_NOT_ELIGIBLE;
out:
	if (rc == EXIT_INVALID_INPUT)
		rc = cli_exit_for(&d);
	if (d.n > 0)
		cli_diag(c, &d);
	key_passphrase_free(pass, passlen);
	key_free(key);
	key_free(pub);
	keyring_free(kr);
	mkt_feed_free(f);
	mkt_workload_free(w);
	arena_free(ar);
	diag_free(&d);
	return rc;
}
