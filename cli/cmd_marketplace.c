/*
 * cmd_marketplace.c: `rampart marketplace import | show | list`, the
 * FedRAMP Marketplace feed that `rampart place` decides over.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "reports/placement.h"
#include "reports/report.h"

enum {
	O_OUT = 1,
	O_MARKETPLACE,
	O_CSP,
	O_IMPACT,
	O_STATUS,
	O_MODEL,
	O_FORMAT,
	O_ALLOW_OLDER,
	O_HELP
};

const struct opt marketplace_opts[] = {
	{ "format", 'f', "F", O_FORMAT, 0, "output of show and list",
	    "text|json" },
	{ "json", 0, NULL, O_FORMAT, OPT_ALIAS, "--format json", "json" },
	{ "marketplace", 0, "FILE", O_MARKETPLACE, 0,
	    "read this feed (official or compact; default: the shipped copy)",
	    NULL },
	{ "csp", 0, "NAME", O_CSP, 0,
	    "list: provider name contains NAME (any case)", NULL },
	{ "impact", 0, "LEVEL", O_IMPACT, 0,
	    "list: li-saas, low, moderate, high (20x levels count as their "
	    "level)",
	    NULL },
	{ "status", 0, "STATUS", O_STATUS, 0,
	    "list: authorized, ready, in_process, agency_in_process", NULL },
	{ "model", 0, "MODEL", O_MODEL, 0, "list: IaaS, PaaS or SaaS", NULL },
	{ "output", 'o', "FILE", O_OUT, 0,
	    "import: write the compact copy here, atomically (default: the "
	    "shipped copy)",
	    NULL },
	{ "out", 0, "FILE", O_OUT, OPT_ALIAS, "--output", NULL },
	{ "allow-older", 0, NULL, O_ALLOW_OLDER, 0,
	    "import: replace a copy with an older feed", NULL },
	{ "help", 'h', NULL, O_HELP, 0, "show this help", NULL },
	OPT_END,
};

static void
mkt_help(const struct command *cmd)
{
	cli_help(cmd, stdout);
	printf("\nThe FedRAMP Marketplace feed (docs/placement.md).\n\n"
	       "  import FILE   check a downloaded feed (data.json of\n"
	       "                marketplace.fedramp.gov) and write its "
	       "compact copy\n"
	       "  show ID|NAME  one offering: by Marketplace id, else by a "
	       "case-insensitive\n"
	       "                part of its name\n"
	       "  list          offerings, filtered by --csp, --impact, "
	       "--status, --model\n\n"
	       "exit: 0 ok, 1 nothing found, 2 usage, 3 invalid feed, 5 "
	       "system error\n");
}

/*
 * Drop "seg/.." pairs from a path in place, so reports name
 * ".../rules/marketplace/..." rather than ".../build/../rules/...".
 * Lexical only: rules_dir() builds the path from the directory of the
 * executable itself.
 */
static void
path_tidy(char *p)
{
	char *dd, *prev;

	while ((dd = strstr(p, "/../")) != NULL && dd > p) {
		prev = dd - 1;
		while (prev > p && *prev != '/')
			prev--;
		if (*prev != '/' || strncmp(prev, "/../", 4) == 0 ||
		    strncmp(prev, "/./", 3) == 0)
			return;
		memmove(prev, dd + 3, strlen(dd + 3) + 1);
	}
}

/* The shipped compact copy: <rules dir>/marketplace/fedramp-... */
int
cli_marketplace_default(char *buf, size_t len)
{
	char dir[PATH_MAX];

	if (rules_dir(dir, sizeof(dir)) == -1)
		return -1;
	if ((size_t)snprintf(buf, len,
		"%s/marketplace/fedramp-marketplace.json", dir) >= len)
		return -1;
	path_tidy(buf);
	return 0;
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}

static struct mkt_feed *
open_feed(struct cli *c, const char *path, struct diag *d)
{
	char def[PATH_MAX];
	struct mkt_feed *f;

	if (path == NULL) {
		if (cli_marketplace_default(def, sizeof(def)) == -1) {
			fprintf(stderr,
			    "rampart marketplace: no shipped feed found; give "
			    "--marketplace FILE\n");
			return NULL;
		}
		path = def;
	}
	f = mkt_feed_load(d, path);
	if (d->n > 0)
		cli_diag(c, d);
	return f;
}

static int
do_import(struct cli *c, const char *src, const char *out, int allow_older)
{
	struct diag d;
	struct mkt_feed *f, *old;
	struct atomic_file *af;
	char def[PATH_MAX];
	int rc = EXIT_INVALID_INPUT;

	diag_init(&d);
	if ((f = mkt_feed_load(&d, src)) == NULL) {
		cli_diag(c, &d);
		fprintf(stderr,
		    "rampart marketplace: '%s' is not a valid feed\n", src);
		rc = cli_exit_for(&d);
		diag_free(&d);
		return rc;
	}
	if (d.n > 0)
		cli_diag(c, &d);
	diag_clear(&d);
	if (out == NULL) {
		if (cli_marketplace_default(def, sizeof(def)) == -1) {
			fprintf(stderr,
			    "rampart marketplace: no rules directory; give "
			    "--out FILE\n");
			rc = EXIT_USAGE;
			goto out;
		}
		out = def;
	}
	/* A download older than the copy it would replace is refused: a
	 * stale or replayed feed must not silently undo newer facts. */
	if (!allow_older && access(out, F_OK) == 0) {
		struct diag d2;

		diag_init(&d2);
		if ((old = mkt_feed_load(&d2, out)) != NULL &&
		    old->last_change_t > f->last_change_t) {
			diag_err(&d, NULL,
			    "'%s' (last_change %s) is older than '%s' "
			    "(last_change %s): not replaced (--allow-older)",
			    src, f->last_change, out, old->last_change);
			mkt_feed_free(old);
			diag_free(&d2);
			goto fail;
		}
		mkt_feed_free(old);
		diag_free(&d2);
	}
	if ((af = atomic_open(&d, out, 0644)) == NULL) {
		rc = EXIT_SYSTEM;
		goto fail;
	}
	if (mkt_feed_write_compact(f, atomic_fp(af)) == -1) {
		diag_err(&d, NULL, "%s: write error", out);
		atomic_abort(af);
		rc = EXIT_SYSTEM;
		goto fail;
	}
	if (atomic_commit(&d, af) == -1) {
		rc = EXIT_SYSTEM;
		goto fail;
	}
	printf("imported %zu offerings from '%s' into '%s'\n", f->n, src, out);
	printf("feed: last_change %s, sha256 %s\n", f->last_change,
	    f->source_sha256);
	if (f->nunknown > 0)
		printf("warning: %zu offerings carry values rampart does not "
		       "know (listed above); they are never taken for known "
		       "ones\n",
		    f->nunknown);
	rc = 0;
	goto out;
fail:
	cli_diag(c, &d);
	if (rc == EXIT_INVALID_INPUT)
		rc = cli_exit_for(&d);
out:
	mkt_feed_free(f);
	diag_free(&d);
	return rc;
}

static void
print_offering_line(const struct mkt_offering *o)
{
	size_t j;

	text_escape(stdout, o->id);
	fputc('\t', stdout);
	text_escape(stdout, o->status);
	fputc('\t', stdout);
	text_escape(stdout, o->impact_level);
	fputc('\t', stdout);
	for (j = 0; j < o->nmodels; j++) {
		if (j > 0)
			fputc(',', stdout);
		text_escape(stdout, o->service_models[j]);
	}
	fputc('\t', stdout);
	text_escape(stdout, o->csp);
	fputs(" / ", stdout);
	text_escape(stdout, o->cso);
	fputc('\n', stdout);
}

static void
json_offering(
    struct jw *w, const struct mkt_feed *f, const struct mkt_offering *o)
{
	size_t i, j;

	jw_obj(w);
	jw_kstr(w, "id", o->id);
	jw_kstr(w, "csp", o->csp);
	jw_kstr(w, "cso", o->cso);
	jw_kstr(w, "status", o->status);
	jw_kstr(w, "impact_level", o->impact_level);
	jw_key(w, "service_models");
	jw_arr(w);
	for (j = 0; j < o->nmodels; j++)
		jw_str(w, o->service_models[j]);
	jw_end_arr(w);
	jw_kstr(w, "deployment_model", o->deployment_model);
	jw_kstr(w, "auth_type", o->auth_type);
	jw_kstr(w, "auth_date", o->auth_date);
	jw_kstr(w, "annual_assessment", o->annual_assessment);
	jw_key(w, "leveraged_systems");
	jw_arr(w);
	for (j = 0; j < o->nleveraged; j++)
		jw_str(w, o->leveraged[j]);
	jw_end_arr(w);
	jw_key(w, "built_on");
	jw_arr(w);
	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->v[i].nleveraged; j++)
			if (strcmp(f->v[i].leveraged[j], o->id) == 0)
				jw_str(w, f->v[i].id);
	jw_end_arr(w);
	jw_end_obj(w);
}

static int
do_show(struct cli *c, const char *mp, const char *what, int json)
{
	struct diag d;
	struct mkt_feed *f;
	const struct mkt_offering *o, *hit[64];
	struct jw w;
	size_t i, j, n = 0;
	int rc = 1;

	diag_init(&d);
	if ((f = open_feed(c, mp, &d)) == NULL) {
		rc = d.nerrors > 0 ? cli_exit_for(&d) : EXIT_INVALID_INPUT;
		diag_free(&d);
		return rc;
	}
	if ((o = mkt_find(f, what)) != NULL) {
		hit[n++] = o;
	} else {
		/* A whole name (any case) wins over names containing it. */
		for (i = 0; i < f->n; i++)
			if (strcasecmp(f->v[i].cso, what) == 0) {
				if (n < sizeof(hit) / sizeof(hit[0]))
					hit[n] = &f->v[i];
				n++;
			}
	}
	if (n == 0) {
		for (i = 0; i < f->n; i++)
			if (contains_ci(f->v[i].cso, what) ||
			    contains_ci(f->v[i].csp, what)) {
				if (n < sizeof(hit) / sizeof(hit[0]))
					hit[n] = &f->v[i];
				n++;
			}
	}
	if (n == 0) {
		fprintf(stderr,
		    "rampart marketplace: no offering with id or name '%s'\n",
		    what);
		goto out;
	}
	if (n > 1) {
		fprintf(stderr,
		    "rampart marketplace: %zu offerings match '%s'; give "
		    "an id:\n",
		    n, what);
		for (i = 0; i < n && i < sizeof(hit) / sizeof(hit[0]); i++)
			print_offering_line(hit[i]);
		goto out;
	}
	o = hit[0];
	if (json) {
		jw_init(&w, stdout);
		json_offering(&w, f, o);
		rc = jw_finish(&w) == 0 ? 0 : EXIT_SYSTEM;
		goto out;
	}
	printf("id:          %s\nprovider:    ", o->id);
	text_escape(stdout, o->csp);
	fputs("\noffering:    ", stdout);
	text_escape(stdout, o->cso);
	fputs("\nstatus:      ", stdout);
	text_escape(stdout, o->status);
	if (o->st == MKT_ST_UNKNOWN)
		fputs("  (unknown to rampart: not an authorization)", stdout);
	fputs("\nimpact:      ", stdout);
	text_escape(stdout, o->impact_level);
	if (o->is_20x)
		printf("  (FedRAMP 20x; compared as %s)",
		    mkt_level_name(o->level));
	if (o->level == MKT_LVL_UNKNOWN)
		fputs("  (unknown to rampart)", stdout);
	fputs("\nmodels:      ", stdout);
	for (j = 0; j < o->nmodels; j++) {
		if (j > 0)
			fputs(", ", stdout);
		text_escape(stdout, o->service_models[j]);
	}
	fputs("\ndeployment:  ", stdout);
	text_escape(stdout, o->deployment_model ? o->deployment_model : "-");
	fputs("\nauthorized:  ", stdout);
	text_escape(stdout, o->auth_date ? o->auth_date : "-");
	fputs(" (", stdout);
	text_escape(stdout, o->auth_type ? o->auth_type : "-");
	fputs(")\nassessment:  ", stdout);
	text_escape(stdout, o->annual_assessment ? o->annual_assessment : "-");
	printf("\nleveraged by: %zu offerings\n", o->nleveraged);
	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->v[i].nleveraged; j++)
			if (strcmp(f->v[i].leveraged[j], o->id) == 0) {
				fputs("built on:    ", stdout);
				print_offering_line(&f->v[i]);
			}
	printf("feed:        %s (%s, sha256 %s)\n", f->path, f->last_change,
	    f->source_sha256);
	rc = 0;
out:
	mkt_feed_free(f);
	diag_free(&d);
	return rc;
}

struct list_filter {
	const char *csp;
	int level; /* -1: any */
	int status; /* -1: any */
	unsigned model; /* 0: any */
};

static int
do_list(struct cli *c, const char *mp, const struct list_filter *flt, int json)
{
	struct diag d;
	struct mkt_feed *f;
	const struct mkt_offering *o;
	struct jw w;
	size_t i, n = 0;
	int rc;

	diag_init(&d);
	if ((f = open_feed(c, mp, &d)) == NULL) {
		rc = d.nerrors > 0 ? cli_exit_for(&d) : EXIT_INVALID_INPUT;
		diag_free(&d);
		return rc;
	}
	if (json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_kstr(&w, "feed", f->path);
		jw_kstr(&w, "last_change", f->last_change);
		jw_kstr(&w, "sha256", f->source_sha256);
		jw_key(&w, "offerings");
		jw_arr(&w);
	}
	for (i = 0; i < f->n; i++) {
		o = &f->v[i];
		if (flt->csp != NULL && !contains_ci(o->csp, flt->csp))
			continue;
		if (flt->level >= 0 && (int)o->level != flt->level)
			continue;
		if (flt->status >= 0 && (int)o->st != flt->status)
			continue;
		if (flt->model != 0 && (o->models & flt->model) == 0)
			continue;
		n++;
		if (json)
			json_offering(&w, f, o);
		else
			print_offering_line(o);
	}
	if (json) {
		jw_end_arr(&w);
		jw_end_obj(&w);
		rc = jw_finish(&w) == 0 ? 0 : EXIT_SYSTEM;
	} else {
		rc = 0;
	}
	if (rc == 0 && n == 0)
		rc = 1;
	if (!json)
		fprintf(
		    stderr, "%zu offerings (feed of %s)\n", n, f->last_change);
	mkt_feed_free(f);
	diag_free(&d);
	return rc;
}

static int
parse_status(const char *s)
{
	static const char *const names[] = { "authorized", "ready",
		"in_process", "agency_in_process" };
	static const enum mkt_status st[] = { MKT_ST_AUTHORIZED, MKT_ST_READY,
		MKT_ST_IN_PROCESS, MKT_ST_AGENCY_IN_PROCESS };
	size_t i;

	for (i = 0; i < 4; i++)
		if (strcasecmp(s, names[i]) == 0)
			return (int)st[i];
	return mkt_status_from_feed(s) != MKT_ST_UNKNOWN
	    ? (int)mkt_status_from_feed(s)
	    : -1;
}

int
cmd_marketplace(struct cli *c, int argc, char **argv)
{
	const struct command *cmd = cli_find("marketplace");
	const char *arg, *sub = NULL, *operand = NULL, *out = NULL;
	const char *mp = NULL, *fmt = "text";
	struct list_filter flt = { NULL, -1, -1, 0 };
	enum mkt_level lvl;
	struct opt_parse p;
	int o, is20x, allow_older = 0;

	opt_init(&p, c, cmd, argc, argv);
	while ((o = opt_next(&p)) != -1) {
		arg = p.arg;
		switch (o) {
		case -2:
			return EXIT_USAGE;
		case 0:
			if (sub == NULL)
				sub = opt_operand(&p);
			else if (operand == NULL)
				operand = opt_operand(&p);
			else
				return cli_usage_err(
				    cmd, "unexpected '%s'", p.argv[p.i]);
			break;
		case O_OUT:
			out = arg;
			break;
		case O_MARKETPLACE:
			mp = arg;
			break;
		case O_CSP:
			flt.csp = arg;
			break;
		case O_IMPACT:
			if (mkt_level_parse(arg, &lvl) == -1 &&
			    (lvl = mkt_level_from_feed(arg, &is20x)) ==
				MKT_LVL_UNKNOWN)
				return cli_usage_err(cmd,
				    "unknown impact level '%s' (li-saas, low, "
				    "moderate, high)",
				    arg);
			flt.level = (int)lvl;
			break;
		case O_STATUS:
			if ((flt.status = parse_status(arg)) < 0)
				return cli_usage_err(cmd,
				    "unknown status '%s' (authorized, ready, "
				    "in_process, agency_in_process)",
				    arg);
			break;
		case O_MODEL:
			flt.model = strcasecmp(arg, "iaas") == 0 ? MKT_SM_IAAS
			    : strcasecmp(arg, "paas") == 0       ? MKT_SM_PAAS
			    : strcasecmp(arg, "saas") == 0       ? MKT_SM_SAAS
								 : 0;
			if (flt.model == 0)
				return cli_usage_err(cmd,
				    "unknown service model '%s' (IaaS, PaaS, "
				    "SaaS)",
				    arg);
			break;
		case O_FORMAT:
			fmt = arg;
			break;
		case O_ALLOW_OLDER:
			allow_older = 1;
			break;
		case O_HELP:
			mkt_help(cmd);
			return 0;
		default:
			return opt_unhandled(&p, o);
		}
	}
	if (sub == NULL)
		return cli_usage_err(cmd, "missing import, show or list");
	if (strcmp(sub, "import") == 0) {
		if (operand == NULL)
			return cli_usage_err(cmd, "import needs a FILE");
		return do_import(c, operand, out, allow_older);
	}
	if (out != NULL)
		return cli_usage_err(cmd, "--output is for import only");
	if (strcmp(sub, "show") == 0) {
		if (operand == NULL)
			return cli_usage_err(cmd, "show needs an ID or NAME");
		return do_show(c, mp, operand, strcmp(fmt, "json") == 0);
	}
	if (strcmp(sub, "list") == 0) {
		if (operand != NULL)
			return cli_usage_err(
			    cmd, "list takes options, not '%s'", operand);
		return do_list(c, mp, &flt, strcmp(fmt, "json") == 0);
	}
	{
		static const char *const subs[] = { "import", "show", "list" };

		return opt_bad_value(&p, "subcommand", sub, subs, 3);
	}
}
