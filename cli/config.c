/*
 * config.c: options a pipeline repeats, from RAMPART_* variables and the
 * configuration file (.rampart.yaml in the working directory, or
 * --config FILE).  The command line wins over the environment, which wins
 * over the file, option by option.  The file has one section per command:
 *
 *	scan:
 *	  baseline: fedramp-moderate
 *	  format: json,sarif
 *	  skip-check: [aws-s3-*]
 *
 * Every key must name an option of its command that may come from the
 * configuration (OPT_CFG); anything else is an error with file:line:col.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#define CONFIG_DEFAULT ".rampart.yaml"
#define CONFIG_MAX_BYTES (1u << 20)

/* "max-items" -> "RAMPART_MAX_ITEMS". */
static void
env_name(const char *opt, char *buf, size_t len)
{
	size_t i, n;

	n = (size_t)snprintf(buf, len, "RAMPART_%s", opt);
	for (i = 8; i < n && i < len; i++)
		buf[i] =
		    buf[i] == '-' ? '_' : (char)toupper((unsigned char)buf[i]);
}

static int
parse_bool(const char *s, int *v)
{
	if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 ||
	    strcmp(s, "yes") == 0)
		*v = 1;
	else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0 ||
	    strcmp(s, "no") == 0 || s[0] == '\0')
		*v = 0;
	else
		return -1;
	return 0;
}

static int
config_arena(struct opt_parse *p)
{
	if (p->cli->a == NULL && (p->cli->a = arena_new()) == NULL) {
		fprintf(stderr, "rampart: out of memory\n");
		return -1;
	}
	return 0;
}

/* The next piece of a comma-separated list taken from the environment. */
static int
env_pending(struct opt_parse *p)
{
	char *s = p->pending, *comma;

	if ((comma = strchr(s, ',')) != NULL) {
		*comma = '\0';
		p->pending = comma + 1;
	} else {
		p->pending = NULL;
	}
	return opt_take(p, p->pending_k, s, 2);
}

static int
env_next(struct opt_parse *p)
{
	const struct opt *o;
	const char *v;
	char name[160];
	int on;

	if (p->pending != NULL)
		return env_pending(p);
	for (; p->opts[p->next].name != NULL; p->next++) {
		o = &p->opts[p->next];
		if (!(o->flags & OPT_CFG) || (o->flags & OPT_ALIAS) ||
		    opt_seen(p, o->id))
			continue;
		env_name(o->name, name, sizeof(name));
		if ((v = getenv(name)) == NULL || (o->arg && v[0] == '\0'))
			continue;
		if (config_arena(p) == -1)
			return -2;
		if (p->cfg.nenv < OPT_MAX)
			p->cfg.env[p->cfg.nenv++] =
			    arena_strdup(p->cli->a, name);
		p->next++;
		if (o->arg == NULL) {
			if (parse_bool(v, &on) == -1) {
				fprintf(stderr,
				    "rampart %s: %s='%s': expected 1 or 0, "
				    "true or false\n",
				    p->cmd->name, name, v);
				return -2;
			}
			if (!on)
				return env_next(p);
			p->given = arena_strdup(p->cli->a, name);
			return opt_take(p, (size_t)(o - p->opts), NULL, 2);
		}
		p->given = arena_strdup(p->cli->a, name);
		if (o->flags & OPT_REPEAT) {
			if ((p->pending = arena_strdup(p->cli->a, v)) == NULL)
				return -2;
			p->pending_k = (size_t)(o - p->opts);
			return env_pending(p);
		}
		return opt_take(p, (size_t)(o - p->opts), v, 2);
	}
	return -1;
}

/* Report an error at node n of the configuration file; -2. */
static int cfg_err(const struct doc_node *n, const char *fmt, ...)
    PRINTF_LIKE(2, 3);

static int
cfg_err(const struct doc_node *n, const char *fmt, ...)
{
	struct diag d;
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_init(&d);
	diag_err(&d, &n->mark, "%s", msg);
	diag_print(&d, stderr, 1, 0);
	diag_free(&d);
	return -2;
}

/* Option named key in cmd's table that the configuration may set. */
static const struct opt *
cfg_opt(const struct command *cmd, const char *key)
{
	const struct opt *o;

	for (o = cmd->opts; o != NULL && o->name != NULL; o++)
		if ((o->flags & OPT_CFG) && strcmp(o->name, key) == 0)
			return o;
	return NULL;
}

static int
cfg_scalar_ok(const struct doc_node *v)
{
	return v->type == DOC_STRING || v->type == DOC_INT ||
	    v->type == DOC_FLOAT || v->type == DOC_BOOL;
}

/* Check one command's section. */
static int
cfg_check_section(const struct command *cmd, const struct doc_node *sec)
{
	const char *names[OPT_MAX], *near;
	const struct doc_node *k, *v;
	const struct opt *o;
	size_t i, j, n = 0;

	if (sec->type != DOC_MAP)
		return cfg_err(
		    sec, "section '%s' must be a map of options", cmd->name);
	for (o = cmd->opts; o->name != NULL && n < OPT_MAX; o++)
		if (o->flags & OPT_CFG)
			names[n++] = o->name;
	for (i = 0; i < sec->u.map.n; i++) {
		k = sec->u.map.pairs[i].key;
		v = sec->u.map.pairs[i].val;
		if ((o = cfg_opt(cmd, k->str)) == NULL) {
			near = cli_suggest(k->str, names, n);
			cfg_err(k, "unknown key '%s' in section '%s'", k->str,
			    cmd->name);
			if (near != NULL)
				fprintf(stderr, "  did you mean '%s'?\n", near);
			return -2;
		}
		if (v->type == DOC_SEQ) {
			if (!(o->flags & OPT_REPEAT))
				return cfg_err(v,
				    "option '%s' takes one value, not a list",
				    o->name);
			for (j = 0; j < v->u.seq.n; j++)
				if (!cfg_scalar_ok(v->u.seq.items[j]))
					return cfg_err(v->u.seq.items[j],
					    "'%s' needs a scalar value",
					    o->name);
		} else if (!cfg_scalar_ok(v)) {
			return cfg_err(v, "'%s' needs a scalar value", o->name);
		} else if (o->arg == NULL && v->type != DOC_BOOL) {
			return cfg_err(
			    v, "'%s' is a flag: true or false", o->name);
		}
	}
	return 0;
}

/* Check the whole file: every section is a command, every key known. */
static int
cfg_check(const struct doc_node *root)
{
	const char *names[64], *near;
	const struct command *cmds, *cmd;
	const struct doc_node *k;
	size_t i, n, m = 0;

	cmds = cli_commands(&n);
	for (i = 0; i < n && m < 64; i++)
		if (cmds[i].flags & CMD_CONFIG)
			names[m++] = cmds[i].name;
	if (root->type != DOC_MAP)
		return cfg_err(root,
		    "expected a map of command sections (scan:, tls:, ...)");
	for (i = 0; i < root->u.map.n; i++) {
		k = root->u.map.pairs[i].key;
		cmd = cli_find(k->str);
		if (cmd == NULL || !(cmd->flags & CMD_CONFIG)) {
			near = cli_suggest(k->str, names, m);
			cfg_err(k, "unknown section '%s'%s", k->str,
			    cmd != NULL ? " (that command reads no "
					  "configuration)"
					: "");
			if (near != NULL)
				fprintf(stderr, "  did you mean '%s'?\n", near);
			return -2;
		}
		if (cfg_check_section(cmd, root->u.map.pairs[i].val) != 0)
			return -2;
	}
	return 0;
}

static int
cfg_load(struct opt_parse *p)
{
	struct load_limits lim;
	struct doc_node **docs;
	struct diag d;
	const char *path = p->config_path;
	char *buf = NULL;
	size_t len, ndocs;
	int rc = -2;

	if (path == NULL) {
		if (access(CONFIG_DEFAULT, F_OK) != 0)
			return 0;
		path = CONFIG_DEFAULT;
	}
	if (config_arena(p) == -1)
		return -2;
	diag_init(&d);
	load_limits_default(&lim);
	if (file_read_all(&d, path, CONFIG_MAX_BYTES, &buf, &len) == -1 ||
	    doc_load_buf(p->cli->a, &d, path, buf, len, DOC_FMT_YAML, &lim,
		&docs, &ndocs) == -1)
		goto out;
	if (ndocs > 1) {
		struct mark m = { path, 1, 1 };

		diag_err(
		    &d, &m, "expected one YAML document, found %zu", ndocs);
		goto out;
	}
	sha256_hex(buf, len, p->cfg.digest);
	p->cfg.path = arena_strdup(p->cli->a, path);
	if (ndocs == 0 || docs[0]->type == DOC_NULL) {
		rc = 0; /* an empty file */
		goto out;
	}
	if (cfg_check(docs[0]) != 0)
		goto out;
	p->cfg_map = doc_get(docs[0], p->cmd->name);
	rc = 0;
out:
	if (d.n > 0)
		diag_print(&d, stderr, 1, 0);
	diag_free(&d);
	lib_free(buf);
	return rc;
}

/* Text of a scalar node as an option argument. */
static const char *
cfg_text(const struct doc_node *v)
{
	if (v->type == DOC_BOOL)
		return v->u.b ? "true" : "false";
	return v->str;
}

/* Return option o with the value of node v; a refused value is located. */
static int
file_take(struct opt_parse *p, const struct opt *o, const struct doc_node *v)
{
	int id;

	id = opt_take(p, (size_t)(o - p->opts), o->arg ? cfg_text(v) : NULL, 3);
	if (id == -2)
		fprintf(stderr,
		    "%s:%u:%u: note: the value given to '%s' here\n",
		    v->mark.file, v->mark.line, v->mark.col, o->name);
	return id;
}

static int
file_next(struct opt_parse *p)
{
	const struct doc_node *k, *v, *item;
	const struct opt *o;

	if (!p->cfg_loaded) {
		p->cfg_loaded = 1;
		if (cfg_load(p) != 0)
			return -2;
	}
	if (p->cfg_map == NULL)
		return -1;
	for (; p->next < p->cfg_map->u.map.n; p->next++, p->vi = 0) {
		k = p->cfg_map->u.map.pairs[p->next].key;
		v = p->cfg_map->u.map.pairs[p->next].val;
		o = cfg_opt(p->cmd, k->str);
		/* The command line and the environment win, per option. */
		if (o == NULL || opt_source(p, o->id) == 1 ||
		    opt_source(p, o->id) == 2)
			continue;
		p->given = k->str;
		if (v->type == DOC_SEQ) {
			if (p->vi >= v->u.seq.n)
				continue;
			item = v->u.seq.items[p->vi++];
			return file_take(p, o, item);
		}
		if (o->arg == NULL && !v->u.b)
			continue;
		p->next++;
		p->vi = 0;
		return file_take(p, o, v);
	}
	return -1;
}

int
config_next(struct opt_parse *p)
{
	int o;

	if (p->stage == 1) {
		if ((o = env_next(p)) != -1)
			return o;
		p->stage = 2;
		p->next = 0;
		p->vi = 0;
	}
	if (p->stage == 2) {
		if ((o = file_next(p)) != -1)
			return o;
		p->stage = 3;
	}
	return -1;
}
