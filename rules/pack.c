/*
 * pack.c: rule packs.  A pack is a YAML file with a list of checks; each
 * check is either declarative (`plugin: assert`, evaluated by
 * rules/assert.c) or names a native plugin from checks/.  Loading lints
 * everything and reports every error of a file with file:line:col.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/rules.h"

static const char *const severity_names[] = { "info", "low", "medium", "high",
	"critical" };

const char *
severity_name(enum severity s)
{
	return (unsigned)s <= SEV_CRITICAL ? severity_names[s] : "?";
}

int
severity_parse(const char *s, enum severity *out)
{
	int i;

	for (i = 0; i <= SEV_CRITICAL; i++)
		if (strcmp(s, severity_names[i]) == 0) {
			*out = (enum severity)i;
			return 0;
		}
	return -1;
}

struct rule_set *
rule_set_new(void)
{
	struct rule_set *rs;

	if ((rs = lib_calloc(1, sizeof(*rs))) == NULL)
		return NULL;
	if ((rs->a = arena_new()) == NULL) {
		lib_free(rs);
		return NULL;
	}
	return rs;
}

void
rule_set_free(struct rule_set *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	/* Rules may point into plugins: free the arena first. */
	arena_free(rs->a);
	for (i = 0; i < rs->nplugins; i++)
		plugin_unload(rs->plugins[i]);
	lib_free(rs->plugins);
	lib_free(rs->v);
	lib_free(rs);
}

int
rule_set_add_plugin(struct rule_set *rs, struct diag *d, const char *path)
{
	struct plugin_handle *h, **v;

	if ((h = plugin_load(d, path)) == NULL)
		return -1;
	v = lib_realloc(rs->plugins, (rs->nplugins + 1) * sizeof(*v));
	if (v == NULL) {
		plugin_unload(h);
		return diag_sys(d, NULL, "out of memory");
	}
	rs->plugins = v;
	rs->plugins[rs->nplugins++] = h;
	return 0;
}

/* A plugin by name: built-in first, then external ones. */
static const struct check_plugin *
find_plugin(const struct rule_set *rs, const char *name)
{
	const struct check_plugin *p;
	size_t i, j;

	if ((p = check_plugin_find(name)) != NULL)
		return p;
	for (i = 0; i < rs->nplugins; i++)
		for (j = 0; j < plugin_count(rs->plugins[i]); j++) {
			p = plugin_get(rs->plugins[i], j);
			if (strcmp(p->name, name) == 0)
				return p;
		}
	return NULL;
}

static int
rule_cmp(const void *a, const void *b)
{
	const struct rule *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

static int
rule_key_cmp(const void *key, const void *elem)
{
	const struct rule *const *r = elem;

	return strcmp(key, (*r)->id);
}

struct rule *
rule_find(const struct rule_set *rs, const char *id)
{
	struct rule **r;

	if (rs->n == 0)
		return NULL;
	r = bsearch(id, rs->v, rs->n, sizeof(*rs->v), rule_key_cmp);
	return r != NULL ? *r : NULL;
}

static const struct field pack_fields[] = {
	{ "pack", DOC_STRING, 0 },
	{ "description", DOC_STRING, 0 },
	{ "checks", DOC_SEQ, 1 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field rule_fields[] = {
	{ "id", DOC_STRING, 1 },
	{ "title", DOC_STRING, 1 },
	{ "description", DOC_STRING, 0 },
	{ "severity", DOC_STRING, 1 },
	{ "remediation", DOC_STRING, 1 },
	{ "resource_types", DOC_SEQ, 0 },
	{ "controls", DOC_NULL, 0 }, /* ignored, with a warning */
	{ "plugin", DOC_STRING, 0 },
	{ "params", DOC_MAP, 0 },
	{ "assert", DOC_MAP, 0 },
	{ "required", DOC_BOOL, 0 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field param_fields[] = {
	{ "type", DOC_STRING, 0 },
	{ "default", DOC_NULL, 0 },
	{ "description", DOC_STRING, 0 },
	{ "unit", DOC_STRING, 0 },
	{ NULL, DOC_NULL, 0 },
};

/* A rule id: lowercase letters, digits and dashes, 3..80 characters. */
static int
valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 80 || s[0] == '-')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-.") == n;
}

/*
 * `unit: days` of a parameter declaration: the unit a threshold bound to
 * a baseline parameter's text is converted to (rules/param.c).
 */
static int
load_unit(struct rule_set *rs, struct diag *d, struct rule *r,
    const struct doc_node *k, const struct doc_node *u)
{
	char canon[32];
	struct doc_node *n;

	if (u == NULL || u->type != DOC_STRING)
		return 0;
	if (param_unit_canon(u->str, canon, sizeof(canon)) == -1)
		return diag_err(d, &u->mark,
		    "unit '%s' of parameter '%s' must be a word such as "
		    "'days'",
		    u->str, k->str);
	if ((n = doc_new_string(rs->a, canon, strlen(canon), &u->mark)) ==
		NULL ||
	    doc_map_put(rs->a, r->units, (struct doc_node *)k, n) == -1)
		return diag_sys(d, &u->mark, "out of memory");
	return 0;
}

/*
 * Validate the params declarations of a rule and collect their defaults
 * into rule->params (name -> default).  For native plugins, every name
 * must be one the plugin declares, and plugin defaults fill the rest.
 */
static int
load_params(struct rule_set *rs, struct diag *d, struct rule *r,
    const struct doc_node *decl)
{
	const struct plugin_param *pp;
	const struct doc_node *k, *v, *def;
	struct doc_node *dv, *key, **docs;
	struct diag tmp;
	size_t i, nd;
	int rc = 0, found;

	if ((r->params = doc_new(rs->a, DOC_MAP, &r->mark)) == NULL ||
	    (r->units = doc_new(rs->a, DOC_MAP, &r->mark)) == NULL)
		return diag_sys(d, &r->mark, "out of memory");
	for (i = 0; decl != NULL && i < decl->u.map.n; i++) {
		k = decl->u.map.pairs[i].key;
		v = decl->u.map.pairs[i].val;
		if (schema_check(d, v, param_fields, "parameter") == -1) {
			rc = -1;
			continue;
		}
		if (load_unit(rs, d, r, k, doc_get(v, "unit")) == -1)
			rc = -1;
		if (r->impl != NULL) {
			found = 0;
			for (pp = r->impl->params; pp && pp->name; pp++)
				if (strcmp(pp->name, k->str) == 0)
					found = 1;
			if (!found) {
				rc = diag_err(d, &k->mark,
				    "plugin '%s' has no "
				    "parameter '%s'",
				    r->impl->name, k->str);
				continue;
			}
		}
		if ((def = doc_get(v, "default")) == NULL)
			continue;
		if (doc_map_put(rs->a, r->params,
			k->str == NULL ? NULL : (struct doc_node *)k,
			(struct doc_node *)def) == -1)
			return diag_sys(d, &k->mark, "out of memory");
	}
	if (r->impl == NULL)
		return rc;
	/* Plugin defaults, parsed from their YAML text. */
	for (pp = r->impl->params; pp && pp->name; pp++) {
		if (doc_get(r->params, pp->name) != NULL || pp->def == NULL)
			continue;
		diag_init(&tmp);
		if (doc_load_buf(rs->a, &tmp, "<plugin default>", pp->def,
			strlen(pp->def), DOC_FMT_YAML, NULL, &docs,
			&nd) == -1 ||
		    nd != 1) {
			diag_free(&tmp);
			rc = diag_err(d, &r->mark,
			    "plugin '%s' has a bad "
			    "default for '%s'",
			    r->impl->name, pp->name);
			continue;
		}
		diag_free(&tmp);
		dv = docs[0];
		if ((key = doc_new_string(rs->a, pp->name, strlen(pp->name),
			 &r->mark)) == NULL ||
		    doc_map_put(rs->a, r->params, key, dv) == -1)
			return diag_sys(d, &r->mark, "out of memory");
	}
	return rc;
}

static int
add_rule(struct rule_set *rs, struct diag *d, struct rule *r)
{
	struct rule **v;
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i]->id, r->id) == 0)
			return diag_err(d, &r->mark,
			    "duplicate check id '%s' "
			    "(first defined at %s:%u:%u)",
			    r->id, rs->v[i]->mark.file, rs->v[i]->mark.line,
			    rs->v[i]->mark.col);
	if ((v = lib_realloc(rs->v, (rs->n + 1) * sizeof(*v))) == NULL)
		return diag_sys(d, &r->mark, "out of memory");
	rs->v = v;
	rs->v[rs->n++] = r;
	qsort(rs->v, rs->n, sizeof(*rs->v), rule_cmp);
	return 0;
}

static int
load_rule(struct rule_set *rs, struct diag *d, const struct doc_node *n,
    const char *file)
{
	struct rule *r;
	const char *s;
	const struct doc_node *at;
	int rc = 0;
	size_t i;

	if (schema_check(d, n, rule_fields, "check") == -1)
		rc = -1;
	if (n->type != DOC_MAP)
		return -1;
	if ((r = arena_alloc(rs->a, sizeof(*r))) == NULL)
		return diag_sys(d, &n->mark, "out of memory");
	r->mark = n->mark;
	r->pack = file;
	r->id = schema_str(n, "id");
	r->title = schema_str(n, "title");
	r->description = schema_str(n, "description");
	r->remediation = schema_str(n, "remediation");
	if (r->id != NULL && !valid_id(r->id))
		rc = diag_err(d, &doc_get(n, "id")->mark,
		    "check id '%s' must "
		    "be 3-80 characters of a-z, 0-9, '-' and '.'",
		    r->id);
	if ((s = schema_str(n, "severity")) != NULL &&
	    severity_parse(s, &r->severity) == -1)
		rc = diag_err(d, &doc_get(n, "severity")->mark,
		    "unknown "
		    "severity '%s' (expected info, low, medium, high or "
		    "critical)",
		    s);
	if (schema_strlist(rs->a, d, doc_get(n, "resource_types"), &r->types,
		&r->ntypes) == -1)
		rc = -1;
	/*
	 * Which controls a check evidences is decided in one place, the
	 * mapping (rules/mappings/), with a rationale and `decides:` per
	 * binding; a pack's own list used to disagree with it.  Old packs
	 * still load: the list is ignored, and lint says so.
	 */
	if ((at = doc_get(n, "controls")) != NULL)
		diag_warn(d, &at->mark,
		    "'controls' of check '%s' is ignored: a mapping "
		    "(rules/mappings/) binds checks to controls",
		    r->id ? r->id : "?");
	if (doc_get(n, "required") != NULL &&
	    doc_get(n, "required")->type == DOC_BOOL)
		r->required = doc_get(n, "required")->u.b;
	r->plugin = schema_str(n, "plugin");
	if (r->plugin == NULL)
		r->plugin = "assert";
	at = doc_get(n, "assert");
	if (strcmp(r->plugin, "assert") == 0) {
		if (at == NULL)
			rc = diag_err(d, &n->mark,
			    "check '%s' with plugin "
			    "'assert' needs an 'assert' tree",
			    r->id ? r->id : "?");
		if (r->ntypes == 0)
			rc = diag_err(d, &n->mark,
			    "check '%s' needs "
			    "'resource_types'",
			    r->id ? r->id : "?");
	} else {
		if ((r->impl = find_plugin(rs, r->plugin)) == NULL)
			rc = diag_err(d, &doc_get(n, "plugin")->mark,
			    "unknown plugin '%s'", r->plugin);
		if (at != NULL)
			rc = diag_err(d, &at->mark,
			    "'assert' is only valid "
			    "with plugin 'assert'");
	}
	if (load_params(rs, d, r, doc_get(n, "params")) == -1)
		rc = -1;
	if (at != NULL && strcmp(r->plugin, "assert") == 0 &&
	    (r->assert = assert_compile(rs->a, d, at, doc_get(n, "params"))) ==
		NULL)
		rc = -1;
	if (rc == -1 || r->id == NULL)
		return -1;
	if (r->ntypes == 0 && r->impl != NULL) {
		/* Take the plugin's resource types. */
		for (i = 0;
		     r->impl->resource_types && r->impl->resource_types[i]; i++)
			;
		r->types = (const char **)r->impl->resource_types;
		r->ntypes = i;
	}
	return add_rule(rs, d, r);
}

static int
load_pack_file(struct rule_set *rs, struct diag *d, const char *path)
{
	struct doc_node *root, *checks;
	size_t i;
	int rc = 0;

	if ((root = doc_load_one(rs->a, d, path, DOC_FMT_YAML, NULL)) == NULL)
		return -1;
	if (schema_check(d, root, pack_fields, "rule pack") == -1)
		rc = -1;
	checks = doc_get(root, "checks");
	if (checks == NULL)
		return -1; /* reported by schema_check */
	if (checks->type != DOC_SEQ)
		return diag_err(d, &checks->mark,
		    "'checks' must be a list of "
		    "checks, found %s",
		    doc_type_name(checks->type));
	for (i = 0; i < checks->u.seq.n; i++)
		if (load_rule(rs, d, checks->u.seq.items[i], root->mark.file) ==
		    -1)
			rc = -1;
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted list of *.yaml / *.yml under dir, recursively (lib_malloc). */
static int
list_yaml(struct diag *d, const char *dir, char ***out, size_t *nout)
{
	DIR *dp;
	struct dirent *de;
	struct stat st;
	char path[PATH_MAX], **v;
	size_t n;
	int rc = 0;

	if ((dp = opendir(dir)) == NULL) {
		struct mark m = { dir, 0, 0 };
		return diag_errno(d, &m, errno, "cannot open directory");
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
			de->d_name) >= sizeof(path))
			continue;
		if (stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (list_yaml(d, path, out, nout) == -1)
				rc = -1;
			continue;
		}
		n = strlen(de->d_name);
		if (!(n > 5 && strcmp(de->d_name + n - 5, ".yaml") == 0) &&
		    !(n > 4 && strcmp(de->d_name + n - 4, ".yml") == 0))
			continue;
		if ((v = lib_realloc(*out, (*nout + 1) * sizeof(*v))) == NULL) {
			rc = diag_sys(d, NULL, "out of memory");
			break;
		}
		*out = v;
		if ((v[*nout] = lib_strdup(path)) == NULL) {
			rc = diag_sys(d, NULL, "out of memory");
			break;
		}
		(*nout)++;
	}
	closedir(dp);
	if (*nout > 1)
		qsort(*out, *nout, sizeof(**out), name_cmp);
	return rc;
}

int
rule_set_load(struct rule_set *rs, struct diag *d, const char *path)
{
	struct stat st;
	struct mark m = { path, 0, 0 };
	char **files = NULL;
	size_t i, n = 0;
	int rc = 0;

	if (stat(path, &st) == -1)
		return diag_errno(d, &m, errno, "cannot open");
	if (!S_ISDIR(st.st_mode))
		return load_pack_file(rs, d, path);
	if (list_yaml(d, path, &files, &n) == -1)
		rc = -1;
	for (i = 0; i < n; i++) {
		if (load_pack_file(rs, d, files[i]) == -1)
			rc = -1;
		lib_free(files[i]);
	}
	lib_free(files);
	return rc;
}

int
rules_dir(char *buf, size_t len)
{
	const char *env = getenv("RAMPART_RULES_DIR");
	char exe[PATH_MAX], *slash;
	struct stat st;
	ssize_t n;
	static const char *const rel[] = { "/../rules",
		"/../share/rampart/rules", NULL };
	int i;

	if (env != NULL && env[0] != '\0') {
		if ((size_t)snprintf(buf, len, "%s", env) >= len)
			return -1;
		return 0;
	}
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return -1;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return -1;
	*slash = '\0';
	for (i = 0; rel[i] != NULL; i++) {
		if ((size_t)snprintf(buf, len, "%s%s", exe, rel[i]) >= len)
			continue;
		if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
	}
	return -1;
}

int
rule_set_load_shipped(struct rule_set *rs, struct diag *d)
{
	char dir[PATH_MAX], packs[PATH_MAX + 8];

	if (rules_dir(dir, sizeof(dir)) == -1)
		return diag_err(d, NULL,
		    "cannot find the shipped rules "
		    "directory; set RAMPART_RULES_DIR");
	snprintf(packs, sizeof(packs), "%s/packs", dir);
	return rule_set_load(rs, d, packs);
}
