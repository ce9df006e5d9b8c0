/*
 * cmd_merge.c: `rampart merge SHARD_REPORT.json...` (issue 18,
 * docs/scale.md): check that the shard reports are the N parts of one
 * scan (each part once, the same baseline, mapping, rules, POA&M, scope
 * and options, signatures valid when keys are given), read their check
 * outcomes back (reports/read.c), fold them (rules/merge.c) and decide
 * controls and the verdict again with run_finish(), exactly as one run
 * over every input decides them.  The merged report pins each shard
 * report's digest in its provenance and signed statement.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "reports/report.h"
#include "reports/sign.h"

enum {
	M_KEY = 1,
	M_KEYRING,
	M_FORMAT,
	M_OUTPUT,
	M_OUTPUT_DIR,
	M_SIGN,
	M_PASSFILE,
	M_VERBOSE,
	M_HELP,
	M_CONFIG
};

const struct opt merge_opts[] = {
	{ "key", 0, "PUB", M_KEY, 0,
	    "verify each shard's signature (<report>.sigstore.json)", NULL },
	{ "keyring", 0, "FILE", M_KEYRING, OPT_CFG,
	    "... against a keyring instead", NULL },
	{ "format", 'f', "F[,F...]", M_FORMAT, OPT_CFG,
	    "report formats (default text)", NULL },
	{ "json", 0, NULL, M_FORMAT, OPT_ALIAS, "--format json", "json" },
	{ "output", 'o', "FILE", M_OUTPUT, 0,
	    "write the (single) report to FILE", NULL },
	{ "output-dir", 0, "DIR", M_OUTPUT_DIR, OPT_CFG,
	    "write each format to DIR", NULL },
	{ "sign", 0, "KEY", M_SIGN, 0, "sign every report written", NULL },
	{ "passphrase-file", 0, "F", M_PASSFILE, 0,
	    "passphrase of an encrypted KEY", NULL },
	{ "verbose", 'v', NULL, M_VERBOSE, 0,
	    "list passing checks in the text report", NULL },
	{ "config", 0, "FILE", M_CONFIG, OPT_CFGFILE,
	    "configuration file (default ./.rampart.yaml when present)", NULL },
	{ "no-config", 0, NULL, M_CONFIG, OPT_CFGFILE,
	    "ignore .rampart.yaml and RAMPART_* variables", NULL },
	{ "help", 'h', NULL, M_HELP, 0, "show this help", NULL },
	OPT_END,
};

#define MERGE_MAX_FORMATS 16

#define MERGE_MAX_SHARDS 4096

struct merge_args {
	const char *reports[MERGE_MAX_SHARDS];
	size_t nreports;
	const char *key, *keyring, *format, *output, *output_dir, *sign;
	const char *passfile;
	int verbose;
};

static void
merge_help(const struct command *cmd)
{
	cli_help(cmd, stdout);
	printf("\nJoin the reports of `rampart scan --shard K/N` (every K "
	       "from 1 to N, once)\ninto the report one scan of every input "
	       "would have written: controls and\nthe verdict are decided "
	       "again from the shards' check outcomes.\n\n"
	       "The shards must agree on baseline, mapping, rules, plugins, "
	       "POA&M,\nattestations, CRM, scope and options (--fixed-time is "
	       "required: one scan\ntime for every shard).  The files they "
	       "name are loaded again and must\nhave the digests the shards "
	       "pinned.\n\nexit: as `rampart scan`: 0 eligible, 1 not "
	       "eligible, 2 usage, 3 invalid\n      input (a refused shard "
	       "set included), 4 incomplete, 5 system error\n");
}

static int
parse_args(struct cli *c, const struct command *cmd, int argc, char **argv,
    struct merge_args *a)
{
	struct opt_parse p;
	const char *arg;
	int o;

	memset(a, 0, sizeof(*a));
	opt_init(&p, c, cmd, argc, argv);
	while ((o = opt_next(&p)) != -1) {
		arg = p.arg;
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (a->nreports == MERGE_MAX_SHARDS)
				return cli_usage_err(cmd, "too many shards");
			a->reports[a->nreports++] = opt_operand(&p);
			break;
		case M_KEY:
			a->key = arg;
			break;
		case M_KEYRING:
			a->keyring = arg;
			break;
		case M_FORMAT:
			a->format = arg;
			break;
		case M_OUTPUT:
			a->output = arg;
			break;
		case M_OUTPUT_DIR:
			a->output_dir = arg;
			break;
		case M_SIGN:
			a->sign = arg;
			break;
		case M_PASSFILE:
			a->passfile = arg;
			break;
		case M_VERBOSE:
			a->verbose = 1;
			break;
		case M_HELP:
			merge_help(cmd);
			return -1;
		default:
			return opt_unhandled(&p, o);
		}
	}
	if (a->nreports == 0)
		return cli_usage_err(cmd, "missing shard reports");
	if (a->key != NULL && a->keyring != NULL)
		return cli_usage_err(
		    cmd, "--key and --keyring exclude each other");
	if (a->output != NULL && a->output_dir != NULL)
		return cli_usage_err(
		    cmd, "--output and --output-dir exclude each other");
	if (a->sign != NULL && a->output == NULL && a->output_dir == NULL)
		return cli_usage_err(
		    cmd, "--sign needs --output or --output-dir");
	if (a->passfile != NULL && a->sign == NULL)
		return cli_usage_err(cmd, "--passphrase-file goes with --sign");
	return 0;
}

/* Verify rd's bundle beside it with the trusted key(s).  0 or -1. */
static int
verify_shard(
    struct diag *d, const struct report_doc *rd, const struct verify_opts *vo)
{
	struct verify_result vr;
	struct arena *a;
	char bpath[4200], *b = NULL;
	size_t blen = 0;
	struct mark m = { rd->path, 0, 0 };
	int v = VERIFY_ERROR;

	if ((size_t)snprintf(bpath, sizeof(bpath), "%s%s", rd->path,
		BUNDLE_SUFFIX) >= sizeof(bpath))
		return diag_err(d, &m, "path too long");
	if ((a = arena_new()) == NULL)
		return diag_sys(d, NULL, "out of memory");
	memset(&vr, 0, sizeof(vr));
	if (file_read_all(d, bpath, 64u << 20, &b, &blen) == 0)
		v = bundle_verify_buf(
		    a, d, bpath, b, blen, rd->buf, rd->len, vo, &vr);
	lib_free(b);
	arena_free(a);
	if (v != VERIFY_VALID)
		return diag_err(d, &m,
		    "the shard report's signature does not verify: it is "
		    "refused");
	return 0;
}

/* Each shard K of N once, all of the same N.  0 or -1. */
static int
check_parts(struct diag *d, struct report_doc **rds, size_t n)
{
	unsigned of = rds[0]->shard_of, k;
	struct report_doc **by;
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		struct mark m = { rds[i]->path, 0, 0 };

		if (rds[i]->shard_of == 0)
			return diag_err(d, &m,
			    "not a shard report (no 'shard': scan it with "
			    "--shard K/N)");
		if (rds[i]->shard_of != of || rds[i]->shard_k < 1 ||
		    rds[i]->shard_k > of)
			return diag_err(d, &m,
			    "shard %u of %u does not belong with shards of %u",
			    rds[i]->shard_k, rds[i]->shard_of, of);
	}
	if ((by = lib_calloc(of + 1, sizeof(*by))) == NULL)
		return diag_sys(d, NULL, "out of memory");
	for (i = 0; i < n; i++) {
		k = rds[i]->shard_k;
		if (by[k] != NULL) {
			struct mark m = { rds[i]->path, 0, 0 };

			rc = diag_err(d, &m,
			    "shard %u of %u is given twice (also '%s')", k, of,
			    by[k]->path);
		} else
			by[k] = rds[i];
	}
	for (k = 1; k <= of; k++)
		if (by[k] == NULL)
			rc = diag_err(d, NULL,
			    "shard %u of %u is missing: the merge would not "
			    "cover every input",
			    k, of);
	/* From here on, in shard order. */
	if (rc == 0)
		memcpy(rds, by + 1, of * sizeof(*rds));
	lib_free(by);
	return rc;
}

/* Whether a pin names what decides results (not the tool or inputs). */
static int
pin_decides(const struct sign_pin *p)
{
	return strcmp(p->role, "tool") != 0 && strcmp(p->role, "input") != 0 &&
	    strcmp(p->role, "input-file") != 0 &&
	    strcmp(p->role, "shard-report") != 0;
}

/*
 * "role sha256" of every deciding pin, sorted, joined: two runs agree on
 * baseline, mapping, rules, plugins, POA&M, attestations, CRM and scope
 * when their keys are equal (names may differ: installed paths).
 */
static const char *
pins_key(struct arena *a, const struct sign_pin *v, size_t n)
{
	const char **k;
	struct strbuf sb;
	const char *out;
	size_t i, m = 0, x, y;

	if ((k = arena_alloc(a, (n + 1) * sizeof(*k))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (pin_decides(&v[i]) &&
		    (k[m++] = arena_printf(
			 a, "%s %s", v[i].role, v[i].sha256)) == NULL)
			return NULL;
	for (x = 1; x < m; x++) /* insertion sort: a few dozen pins */
		for (y = x; y > 0 && strcmp(k[y - 1], k[y]) > 0; y--) {
			const char *t = k[y];

			k[y] = k[y - 1];
			k[y - 1] = t;
		}
	sb_init(&sb);
	for (i = 0; i < m; i++) {
		sb_adds(&sb, k[i]);
		sb_addc(&sb, '\n');
	}
	out = sb.oom ? NULL : arena_strdup(a, sb.s ? sb.s : "");
	sb_free(&sb);
	return out;
}

/* The options of a report but "shard", as "name=value\n" in order. */
static const char *
options_key(struct arena *a, const struct doc_node *opts)
{
	struct strbuf sb;
	const char *out, *k, *v;
	size_t i;

	sb_init(&sb);
	for (i = 0; opts != NULL && opts->type == DOC_MAP && i < opts->u.map.n;
	     i++) {
		k = opts->u.map.pairs[i].key->str;
		v = doc_str(opts->u.map.pairs[i].val);
		if (strcmp(k, "shard") == 0)
			continue;
		sb_printf(&sb, "%s=%s\n", k, v ? v : "");
	}
	out = sb.oom ? NULL : arena_strdup(a, sb.s ? sb.s : "");
	sb_free(&sb);
	return out;
}

/* Every shard agrees with the first on what decides results. */
static int
check_agree(struct arena *a, struct diag *d, struct report_doc **rds, size_t n)
{
	const char *pk0, *ok0, *pk, *ok;
	struct sign_pin *v;
	size_t nv, i;
	int rc = 0;

	/* The reader knows this version's reports: shards made by another
	 * rampart (whose checks may also decide otherwise) are refused. */
	for (i = 0; i < n; i++)
		if (rds[i]->version == NULL ||
		    strcmp(rds[i]->version, RAMPART_VERSION) != 0) {
			struct mark m = { rds[i]->path, 0, 0 };

			return diag_err(d, &m,
			    "made by rampart %s; this is rampart %s: merge "
			    "with the version that scanned the shards",
			    rds[i]->version ? rds[i]->version : "(unknown)",
			    RAMPART_VERSION);
		}
	if (report_pins(a, d, rds[0], &v, &nv) == -1)
		return -1;
	pk0 = pins_key(a, v, nv);
	ok0 = options_key(a, doc_get(rds[0]->provenance, "options"));
	if (pk0 == NULL || ok0 == NULL)
		return diag_sys(d, NULL, "out of memory");
	for (i = 1; i < n; i++) {
		struct mark m = { rds[i]->path, 0, 0 };

		if (report_pins(a, d, rds[i], &v, &nv) == -1)
			return -1;
		pk = pins_key(a, v, nv);
		ok = options_key(a, doc_get(rds[i]->provenance, "options"));
		if (pk == NULL || ok == NULL)
			return diag_sys(d, NULL, "out of memory");
		if (strcmp(rds[i]->baseline_sha256, rds[0]->baseline_sha256) ||
		    strcmp(rds[i]->baseline_id, rds[0]->baseline_id))
			rc = diag_err(d, &m,
			    "baseline '%s' (%.12s) differs from shard 1's "
			    "'%s' (%.12s)",
			    rds[i]->baseline_id, rds[i]->baseline_sha256,
			    rds[0]->baseline_id, rds[0]->baseline_sha256);
		else if (strcmp(pk, pk0) != 0)
			rc = diag_err(d, &m,
			    "its mapping, rules, plugins, POA&M, attestations, "
			    "CRM or scope differ from shard 1's");
		else if (strcmp(ok, ok0) != 0)
			rc = diag_err(d, &m,
			    "its options (scan time, gate, maximum evidence "
			    "age, result cap) differ from shard 1's");
		else if (rds[i]->total_inputs != rds[0]->total_inputs ||
		    rds[i]->total_targets != rds[0]->total_targets)
			rc = diag_err(d, &m,
			    "it split %zu inputs and %zu TLS targets, shard 1 "
			    "%zu and %zu: not the same scan",
			    rds[i]->total_inputs, rds[i]->total_targets,
			    rds[0]->total_inputs, rds[0]->total_targets);
	}
	return rc;
}

/* Everything merge loads and makes; freed by merge_state_free(). */
struct merge_state {
	struct arena *a;
	struct report_doc **rds;
	size_t n;
	struct report_defs df;
	struct run *r;
	struct sign_key *key, *signkey;
	struct keyring *kr;
	struct report_setup s;
};

static void
merge_state_free(struct merge_state *m)
{
	size_t i;

	run_free(m->r);
	report_defs_free(&m->df);
	key_free(m->key);
	key_free(m->signkey);
	keyring_free(m->kr);
	for (i = 0; m->rds != NULL && i < m->n; i++)
		report_doc_free(m->rds[i]);
	lib_free(m->rds);
	arena_free(m->a);
}

/* Read every shard's outcomes into a new run and decide it. */
static int
merge_run(struct diag *d, struct merge_state *m)
{
	size_t i;

	if ((m->r = run_new(d, m->df.bl, m->df.rs, m->df.poam, &m->s.ro)) ==
	    NULL)
		return -1;
	run_declare(m->r, m->df.attest, m->df.crm, m->df.scope);
	for (i = 0; i < m->n; i++)
		if (report_read_outcomes(m->r, m->rds[i]) == -1)
			return -1;
	if (run_merge_order(m->r) == -1)
		return -1;
	run_merged(m->r, (unsigned)m->n);
	return run_finish(m->r);
}

/*
 * The merged run's provenance: what it loaded (hashed now, and it must
 * be what the shards pinned), every input, options as the shards', and
 * each shard report by digest.
 */
static int
merge_meta(struct diag *d, struct merge_state *m, const struct report_opts *ro,
    struct sign_meta *meta)
{
	struct report_setup *s = &m->s;
	struct sign_scan ss;
	struct sign_pin *v;
	struct sign_option *o;
	const char *want, *have;
	size_t i;

	memset(&ss, 0, sizeof(ss));
	ss.poam = s->poam;
	ss.crm = s->crm;
	ss.attest = s->attest;
	ss.scope = s->scope;
	ss.rules = s->rules;
	ss.nrules = s->nrules;
	ss.plugins = s->plugins;
	ss.nplugins = s->nplugins;
	ss.gate = s->ro.gate == GATE_CHECKS ? "checks" : "eligibility";
	ss.max_evidence_age_days = s->max_age_days;
	ss.max_results = s->max_results;
	ss.fixed_time = s->ro.now;
	if (sign_meta_from_run(m->a, d, &m->r->as, ro, &ss, meta) == -1)
		return -1;
	want = pins_key(m->a, s->pins, s->npins);
	have = pins_key(m->a, meta->pins, meta->npins);
	if (want == NULL || have == NULL)
		return diag_sys(d, NULL, "out of memory");
	if (strcmp(want, have) != 0)
		return diag_err(d, NULL,
		    "the baseline, mapping, rules, POA&M, attestations, CRM "
		    "or scope found here differ from what the shards pinned: "
		    "merge where the shards' files are");
	v = arena_alloc(m->a, (meta->npins + m->n) * sizeof(*v));
	o = arena_alloc(m->a, (meta->noptions + 1) * sizeof(*o));
	if (v == NULL || o == NULL)
		return diag_sys(d, NULL, "out of memory");
	memcpy(v, meta->pins, meta->npins * sizeof(*v));
	for (i = 0; i < m->n; i++) {
		memset(&v[meta->npins + i], 0, sizeof(*v));
		v[meta->npins + i].role = "shard-report";
		v[meta->npins + i].name = m->rds[i]->path;
		v[meta->npins + i].sha256 = m->rds[i]->sha256;
	}
	meta->pins = v;
	meta->npins += m->n;
	memcpy(o, meta->options, meta->noptions * sizeof(*o));
	o[meta->noptions].name = "merged_shards";
	if ((o[meta->noptions].value = arena_printf(m->a, "%zu", m->n)) == NULL)
		return diag_sys(d, NULL, "out of memory");
	meta->options = o;
	meta->noptions++;
	return 0;
}

/* Write one report (and its bundle with --sign). */
static int
write_one(struct diag *d, const struct writer *w, struct merge_state *m,
    const struct report_opts *ro, const char *path,
    const struct sign_meta *meta)
{
	char cpath[4096];

	if (report_write(d, w, &m->r->as, ro, path) == -1)
		return -1;
	if (m->signkey == NULL)
		return 0;
	if (bundle_sign_file(d, path, meta, m->signkey, NULL) == -1)
		return -1;
	if (w->companion != NULL &&
	    (report_companion_path(w, path, cpath, sizeof(cpath)) == -1 ||
		bundle_sign_file(d, cpath, meta, m->signkey, NULL) == -1))
		return -1;
	return 0;
}

static int
write_reports(struct cli *c, const struct command *cmd,
    const struct merge_args *a, struct diag *d, struct merge_state *m)
{
	const struct writer *ws[MERGE_MAX_FORMATS];
	char buf[256], *p, *comma, path[4096];
	struct report_opts ro;
	struct sign_meta meta;
	struct strbuf prov;
	size_t n = 0, i;
	int rc = EXIT_SYSTEM;

	if ((size_t)snprintf(buf, sizeof(buf), "%s",
		a->format ? a->format : "text") >= sizeof(buf))
		return cli_usage_err(cmd, "format list too long");
	for (p = buf; p != NULL; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		if (n == MERGE_MAX_FORMATS ||
		    (ws[n++] = writer_find(p)) == NULL)
			return cli_usage_err(cmd, "unknown format '%s'", p);
	}
	memset(&ro, 0, sizeof(ro));
	ro.tool_version = RAMPART_VERSION;
	ro.fixed_time = m->s.ro.now;
	ro.verbose = a->verbose;
	if (a->output == NULL && a->output_dir == NULL) {
		if (n != 1)
			return cli_usage_err(
			    cmd, "several formats need --output-dir");
		ro.color = c->color_out && strcmp(ws[0]->name, "text") == 0;
		return ws[0]->write(stdout, &m->r->as, &ro) == -1 ? EXIT_SYSTEM
								  : 0;
	}
	sb_init(&prov);
	if (merge_meta(d, m, &ro, &meta) == -1 ||
	    provenance_json(&prov, &meta) == -1) {
		rc = cli_exit_for(d);
		goto out;
	}
	ro.provenance = prov.s;
	if (a->output != NULL) {
		if (n != 1) {
			rc = cli_usage_err(
			    cmd, "several formats need --output-dir");
			goto out;
		}
		rc = write_one(d, ws[0], m, &ro, a->output, &meta) == -1
		    ? cli_exit_for(d)
		    : 0;
		goto out;
	}
	if (mkdir(a->output_dir, 0755) == -1 && errno != EEXIST) {
		struct mark mk = { a->output_dir, 0, 0 };

		diag_sys(
		    d, &mk, "cannot create directory: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", a->output_dir,
			ws[i]->filename) >= sizeof(path) ||
		    write_one(d, ws[i], m, &ro, path, &meta) == -1)
			goto out;
	}
	rc = 0;
out:
	sb_free(&prov);
	return rc;
}

/* Read, verify and check the shard reports, then load and merge. */
static int
merge_prepare(struct diag *d, const struct merge_args *a, struct merge_state *m,
    char **pass, size_t *passlen)
{
	struct verify_opts vo;
	size_t i;

	if ((m->a = arena_new()) == NULL ||
	    (m->rds = lib_calloc(a->nreports, sizeof(*m->rds))) == NULL)
		return diag_sys(d, NULL, "out of memory");
	m->n = a->nreports;
	if (a->key != NULL && (m->key = key_load_public(d, a->key)) == NULL)
		return -1;
	if (a->keyring != NULL && (m->kr = keyring_load(d, a->keyring)) == NULL)
		return -1;
	if (a->sign != NULL &&
	    (key_read_passphrase(d, a->passfile, 1, pass, passlen) == -1 ||
		(m->signkey = key_load_private(d, a->sign, *pass, *passlen)) ==
		    NULL))
		return -1;
	memset(&vo, 0, sizeof(vo));
	vo.key = m->key;
	vo.keyring = m->kr;
	for (i = 0; i < m->n; i++) {
		if (report_doc_load(d, a->reports[i], &m->rds[i]) == -1)
			return -1;
		if ((m->key != NULL || m->kr != NULL) &&
		    verify_shard(d, m->rds[i], &vo) == -1)
			return -1;
	}
	if (check_parts(d, m->rds, m->n) == -1 ||
	    check_agree(m->a, d, m->rds, m->n) == -1 ||
	    report_setup_read(m->a, d, m->rds[0], 1, &m->s) == -1 ||
	    report_defs_load(d, &m->s, &m->df) == -1 || merge_run(d, m) == -1)
		return -1;
	return 0;
}

int
cmd_merge(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("merge");
	struct merge_args a;
	struct merge_state m;
	struct diag d;
	char *pass = NULL;
	size_t passlen = 0;
	int rc;

	if ((rc = parse_args(c, cmd, argc, argv, &a)) != 0)
		return rc == -1 ? 0 : rc;
	diag_init(&d);
	memset(&m, 0, sizeof(m));
	rc = EXIT_INVALID_INPUT;
	if (merge_prepare(&d, &a, &m, &pass, &passlen) == -1)
		goto out;
	if ((rc = write_reports(c, cmd, &a, &d, &m)) != 0)
		goto out;
	switch (m.r->as.exit_verdict) {
	case VERDICT_ELIGIBLE:
		rc = EXIT_ELIGIBLE;
		break;
	case VERDICT_NOT_ELIGIBLE:
		rc = EXIT_NOT_ELIGIBLE;
		break;
	default:
		rc = EXIT_INCOMPLETE;
		break;
	}
out:
	if (rc == EXIT_INVALID_INPUT)
		rc = cli_exit_for(&d);
	if (d.n > 0)
		cli_diag(c, &d);
	if (rc == EXIT_INVALID_INPUT)
		fprintf(stderr,
		    "rampart merge: shards refused; no report "
		    "written\n");
	key_passphrase_free(pass, passlen);
	merge_state_free(&m);
	diag_free(&d);
	return rc;
}
