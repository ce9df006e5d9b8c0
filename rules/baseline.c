/*
 * baseline.c: control baselines.  A baseline lists controls with their
 * responsibility (automated, manual, inherited) and, for automated ones,
 * the checks that evidence them with parameter bindings to the
 * baseline's organisation-defined parameter values.  `extends` tailors
 * another baseline: parameter overrides, added or replaced controls, and
 * removals, each with a stated reason.
 */
#include <ctype.h>
#include <errno.h>
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/rules.h"

#define EXTENDS_MAX_DEPTH 8

static const char *const resp_names[] = { "automated", "manual", "inherited" };

const char *
responsibility_name(enum responsibility r)
{
	return (unsigned)r <= RESP_INHERITED ? resp_names[r] : "?";
}

static const struct field baseline_fields[] = {
	{ "id", DOC_STRING, 1 },
	{ "title", DOC_STRING, 1 },
	{ "impact", DOC_STRING, 0 },
	{ "description", DOC_STRING, 0 },
	{ "source", DOC_MAP, 0 },
	{ "extends", DOC_STRING, 0 },
	{ "parameters", DOC_MAP, 0 },
	{ "controls", DOC_SEQ, 0 },
	{ "remove", DOC_SEQ, 0 },
	{ "mapping", DOC_STRING, 0 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field source_fields[] = {
	{ "file", DOC_STRING, 1 },
	{ "sha256", DOC_STRING, 0 },
	{ "version", DOC_STRING, 0 },
	{ "profile", DOC_STRING, 0 },
	{ "profile_sha256", DOC_STRING, 0 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field control_fields[] = {
	{ "id", DOC_STRING, 1 },
	{ "label", DOC_STRING, 0 },
	{ "title", DOC_STRING, 0 },
	{ "family", DOC_STRING, 0 },
	{ "class", DOC_STRING, 0 },
	{ "statement", DOC_STRING, 0 },
	{ "responsibility", DOC_STRING, 0 },
	{ "checks", DOC_SEQ, 0 },
	{ "core", DOC_BOOL, 0 },
	{ "method", DOC_NULL, 0 }, /* a string or a list of strings */
	{ "parameters", DOC_SEQ, 0 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field param_fields[] = {
	{ "id", DOC_STRING, 1 },
	{ "label", DOC_STRING, 0 },
	{ "value", DOC_STRING, 0 },
	{ "select", DOC_STRING, 0 },
	{ "choices", DOC_SEQ, 0 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field binding_fields[] = {
	{ "id", DOC_STRING, 1 },
	{ "params", DOC_MAP, 0 },
	{ "rationale", DOC_STRING, 0 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field remove_fields[] = {
	{ "id", DOC_STRING, 1 },
	{ "reason", DOC_STRING, 1 },
	{ NULL, DOC_NULL, 0 },
};

/* Our private extension of struct baseline: the parent it extends. */
struct baseline_priv {
	struct baseline b;
	struct baseline *parent;
	size_t cap;
};

void
baseline_free(struct baseline *b)
{
	struct baseline_priv *p = (struct baseline_priv *)b;

	if (b == NULL)
		return;
	baseline_free(p->parent);
	arena_free(b->a);
	lib_free(b->controls);
	lib_free(p);
}

struct control *
baseline_control(const struct baseline *b, const char *id)
{
	size_t i;

	for (i = 0; i < b->ncontrols; i++)
		if (strcmp(b->controls[i].id, id) == 0)
			return &b->controls[i];
	return NULL;
}

/* "ac-2.1" -> "AC-2(1)"; "ac-2" -> "AC-2". */
static char *
default_label(struct arena *a, const char *id)
{
	char buf[64];
	size_t i, o = 0;
	int open = 0;

	for (i = 0; id[i] != '\0' && o + 3 < sizeof(buf); i++) {
		if (id[i] == '.') {
			if (open)
				buf[o++] = ')';
			buf[o++] = '(';
			open = 1;
			continue;
		}
		buf[o++] = (char)toupper((unsigned char)id[i]);
	}
	if (open)
		buf[o++] = ')';
	buf[o] = '\0';
	return arena_strdup(a, buf);
}

/* "ac-2.1" -> "AC". */
static char *
default_family(struct arena *a, const char *id)
{
	size_t n = strcspn(id, "-");
	char *f;
	size_t i;

	if ((f = arena_strndup(a, id, n)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		f[i] = (char)toupper((unsigned char)f[i]);
	return f;
}

/* The first integer in a parameter's text ("90 days" -> 90). */
static int
first_int(const char *s, int64_t *out)
{
	const char *start = s;
	char *end;
	long long v;
	int neg;

	while (*s != '\0' && !isdigit((unsigned char)*s))
		s++;
	if (*s == '\0')
		return -1;
	/* "-30" is negative; "at least-30" is not worth guessing about. */
	neg = s > start && s[-1] == '-' &&
	    (s - 1 == start || isspace((unsigned char)s[-2]));
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

/*
 * Resolve one bound parameter value: a literal, or {baseline: PARAM}
 * taken from the baseline's parameters and converted to the type of the
 * rule's default (an integer is the first number in the text).
 */
static struct doc_node *
bind_value(struct baseline *b, struct diag *d, const struct rule *r,
    const char *name, struct doc_node *v)
{
	const struct doc_node *ref, *pv, *def;
	struct doc_node *n;
	int64_t iv;

	if (v->type != DOC_MAP)
		return v;
	if ((ref = doc_get(v, "baseline")) == NULL || v->u.map.n != 1 ||
	    ref->type != DOC_STRING) {
		diag_err(d, &v->mark,
		    "parameter '%s' must be a value or "
		    "{baseline: PARAMETER-ID}",
		    name);
		return NULL;
	}
	if ((pv = doc_get(b->params, ref->str)) == NULL) {
		diag_err(d, &ref->mark, "baseline '%s' has no parameter '%s'",
		    b->id, ref->str);
		return NULL;
	}
	def = doc_get(r->params, name);
	if (def != NULL && def->type == DOC_INT && pv->type == DOC_STRING) {
		if (first_int(pv->str, &iv) == -1) {
			diag_err(d, &ref->mark,
			    "baseline parameter '%s' "
			    "('%s') holds no number for check parameter "
			    "'%s'",
			    ref->str, pv->str, name);
			return NULL;
		}
		if ((n = doc_new(b->a, DOC_INT, &pv->mark)) == NULL ||
		    (n->str = arena_printf(b->a, "%lld", (long long)iv)) ==
			NULL) {
			diag_err(d, &ref->mark, "out of memory");
			return NULL;
		}
		n->u.i = iv;
		n->len = strlen(n->str);
		return n;
	}
	return (struct doc_node *)pv;
}

static int
load_binding(struct baseline *b, struct diag *d, const struct rule_set *rs,
    const struct doc_node *n, struct control_check *cc)
{
	const struct doc_node *ps, *k;
	struct doc_node *v;
	size_t i;
	int rc = 0;

	if (schema_check(d, n, binding_fields, "check binding") == -1)
		return -1;
	cc->mark = n->mark;
	cc->check_id = schema_str(n, "id");
	cc->rationale = schema_str(n, "rationale");
	if (rs != NULL && (cc->rule = rule_find(rs, cc->check_id)) == NULL)
		return diag_err(d, &doc_get(n, "id")->mark,
		    "unknown check "
		    "'%s'",
		    cc->check_id);
	if ((cc->params = doc_new(b->a, DOC_MAP, &n->mark)) == NULL)
		return diag_err(d, &n->mark, "out of memory");
	ps = doc_get(n, "params");
	for (i = 0; ps != NULL && i < ps->u.map.n; i++) {
		k = ps->u.map.pairs[i].key;
		if (cc->rule != NULL &&
		    doc_get(cc->rule->params, k->str) == NULL &&
		    cc->rule->impl == NULL) {
			rc = diag_err(d, &k->mark,
			    "check '%s' has no "
			    "parameter '%s'",
			    cc->check_id, k->str);
			continue;
		}
		/* Resolved against the final baseline in resolve_bindings. */
		v = ps->u.map.pairs[i].val;
		if (doc_map_put(b->a, cc->params, (struct doc_node *)k, v) ==
		    -1)
			return diag_err(d, &n->mark, "out of memory");
	}
	return rc;
}

int
baseline_bind_checks(struct baseline *b, struct diag *d,
    const struct rule_set *rs, const struct doc_node *seq, struct control *c)
{
	struct control_check *v;
	size_t i;
	int rc = 0;

	if (seq == NULL || seq->type != DOC_SEQ || seq->u.seq.n == 0)
		return 0;
	v = arena_alloc(b->a, (c->nchecks + seq->u.seq.n) * sizeof(*v));
	if (v == NULL)
		return diag_err(d, &seq->mark, "out of memory");
	if (c->nchecks > 0)
		memcpy(v, c->checks, c->nchecks * sizeof(*v));
	c->checks = v;
	for (i = 0; i < seq->u.seq.n; i++)
		if (load_binding(b, d, rs, seq->u.seq.items[i],
			&c->checks[c->nchecks++]) == -1)
			rc = -1;
	return rc;
}

/* `method: ATTEST` or `method: [ASSESS, CONDITIONAL]` -> "ASSESS,CONDITIONAL". */
static int
load_method(struct baseline *b, struct diag *d, const struct doc_node *n,
    struct control *c)
{
	struct strbuf sb;
	size_t i;

	if (n == NULL)
		return 0;
	if (n->type == DOC_STRING) {
		c->method = n->str;
		return 0;
	}
	if (n->type != DOC_SEQ)
		return diag_err(d, &n->mark,
		    "'method' must be a string or a list of strings");
	sb_init(&sb);
	for (i = 0; i < n->u.seq.n; i++) {
		if (n->u.seq.items[i]->type != DOC_STRING) {
			sb_free(&sb);
			return diag_err(d, &n->u.seq.items[i]->mark,
			    "'method' entries must be strings");
		}
		if (i > 0)
			sb_addc(&sb, ',');
		sb_adds(&sb, n->u.seq.items[i]->str);
	}
	c->method = arena_strdup(b->a, sb.s != NULL ? sb.s : "");
	sb_free(&sb);
	if (c->method == NULL)
		return diag_err(d, &n->mark, "out of memory");
	return 0;
}

/* The control's organisation-defined parameters (documentation; the
 * values checks bind to are the baseline-level `parameters`). */
static int
load_params(struct baseline *b, struct diag *d, const struct doc_node *n,
    struct control *c)
{
	const struct doc_node *it, *ch, *sel;
	struct control_param *p;
	size_t i;
	int rc = 0;

	if (n == NULL || n->type != DOC_SEQ || n->u.seq.n == 0)
		return 0;
	c->params = arena_alloc(b->a, n->u.seq.n * sizeof(*c->params));
	if (c->params == NULL)
		return diag_err(d, &n->mark, "out of memory");
	for (i = 0; i < n->u.seq.n; i++) {
		it = n->u.seq.items[i];
		if (schema_check(d, it, param_fields, "parameter") == -1 ||
		    it->type != DOC_MAP) {
			rc = -1;
			continue;
		}
		p = &c->params[c->nparams++];
		p->mark = it->mark;
		p->id = schema_str(it, "id");
		p->label = schema_str(it, "label");
		p->value = schema_str(it, "value");
		p->select = schema_str(it, "select");
		if ((sel = doc_get(it, "select")) != NULL &&
		    sel->type == DOC_STRING && strcmp(p->select, "one") != 0 &&
		    strcmp(p->select, "one-or-more") != 0)
			rc = diag_err(d, &sel->mark,
			    "unknown selection '%s' (expected one or "
			    "one-or-more)",
			    p->select);
		ch = doc_get(it, "choices");
		if (ch != NULL &&
		    schema_strlist(b->a, d, ch, &p->choices, &p->nchoices) ==
			-1)
			rc = -1;
	}
	return rc;
}

static int
load_control(struct baseline *b, struct diag *d, const struct rule_set *rs,
    const struct doc_node *n, struct control *c)
{
	const struct doc_node *cs, *r;
	const char *s;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	if (schema_check(d, n, control_fields, "control") == -1)
		rc = -1;
	if (n->type != DOC_MAP || (c->id = schema_str(n, "id")) == NULL)
		return -1;
	c->mark = n->mark;
	if (strspn(c->id, "abcdefghijklmnopqrstuvwxyz0123456789-.") !=
	    strlen(c->id))
		rc = diag_err(d, &doc_get(n, "id")->mark,
		    "control id '%s' "
		    "must be lowercase like 'ac-2.1'",
		    c->id);
	c->label = schema_str(n, "label");
	c->title = schema_str(n, "title");
	c->family = schema_str(n, "family");
	c->klass = schema_str(n, "class");
	c->statement = schema_str(n, "statement");
	if ((r = doc_get(n, "core")) != NULL && r->type == DOC_BOOL)
		c->core = r->u.b;
	if (c->label == NULL && (c->label = default_label(b->a, c->id)) == NULL)
		return diag_err(d, &n->mark, "out of memory");
	if (c->family == NULL &&
	    (c->family = default_family(b->a, c->id)) == NULL)
		return diag_err(d, &n->mark, "out of memory");
	if (load_method(b, d, doc_get(n, "method"), c) == -1 ||
	    load_params(b, d, doc_get(n, "parameters"), c) == -1)
		rc = -1;
	cs = doc_get(n, "checks");
	if (cs != NULL && cs->type == DOC_SEQ &&
	    baseline_bind_checks(b, d, rs, cs, c) == -1)
		rc = -1;
	s = schema_str(n, "responsibility");
	if (s == NULL) {
		c->resp = c->nchecks > 0 ? RESP_AUTOMATED : RESP_MANUAL;
	} else if (strcmp(s, "automated") == 0) {
		c->resp = RESP_AUTOMATED;
		if (c->nchecks == 0)
			rc = diag_err(d, &doc_get(n, "responsibility")->mark,
			    "control '%s' is automated but binds no checks",
			    c->id);
	} else if (strcmp(s, "manual") == 0) {
		c->resp = RESP_MANUAL;
	} else if (strcmp(s, "inherited") == 0) {
		c->resp = RESP_INHERITED;
	} else {
		rc = diag_err(d, &doc_get(n, "responsibility")->mark,
		    "unknown responsibility '%s' (expected automated, manual "
		    "or inherited)",
		    s);
	}
	return rc;
}

static int
add_control(struct baseline_priv *p, struct diag *d, const struct control *c)
{
	struct baseline *b = &p->b;
	struct control *v;
	size_t ncap;

	if (b->ncontrols == p->cap) {
		ncap = p->cap ? p->cap * 2 : 64;
		if ((v = lib_realloc(b->controls, ncap * sizeof(*v))) == NULL)
			return diag_err(d, &c->mark, "out of memory");
		b->controls = v;
		p->cap = ncap;
	}
	b->controls[b->ncontrols++] = *c;
	return 0;
}

/* NAME or path -> file path.  Names are looked up in the shipped dir. */
static int
resolve(struct diag *d, const char *name, char *buf, size_t len)
{
	char dir[PATH_MAX];
	struct stat st;

	if (strchr(name, '/') != NULL || stat(name, &st) == 0) {
		if ((size_t)snprintf(buf, len, "%s", name) >= len)
			return diag_err(d, NULL, "path too long");
		return 0;
	}
	if (rules_dir(dir, sizeof(dir)) == 0 &&
	    (size_t)snprintf(buf, len, "%s/baselines/%s.yaml", dir, name) <
		len &&
	    stat(buf, &st) == 0)
		return 0;
	return diag_err(d, NULL,
	    "no baseline named '%s' (try 'rampart "
	    "baseline list') and no such file",
	    name);
}

/*
 * In a tailoring baseline, every parameter override must name a parameter
 * some control declares (a typo would otherwise silently change nothing).
 * Baselines whose controls declare no parameters are not checked.
 */
static int
check_param_ids(struct baseline *b, struct diag *d, const struct doc_node *ps)
{
	const struct doc_node *k;
	size_t i, j, l, declared = 0;
	int rc = 0, found;

	for (j = 0; j < b->ncontrols; j++)
		declared += b->controls[j].nparams;
	if (declared == 0)
		return 0;
	for (i = 0; i < ps->u.map.n; i++) {
		k = ps->u.map.pairs[i].key;
		found = 0;
		for (j = 0; j < b->ncontrols && !found; j++)
			for (l = 0; l < b->controls[j].nparams; l++)
				if (strcmp(b->controls[j].params[l].id,
					k->str) == 0) {
					found = 1;
					break;
				}
		if (!found)
			rc = diag_err(d, &k->mark,
			    "unknown parameter '%s': no control of this "
			    "baseline declares it",
			    k->str);
	}
	return rc;
}

static int resolve_bindings(struct baseline *b, struct diag *d);

static struct baseline *
load_depth(
    struct diag *d, const char *name, const struct rule_set *rs, int depth)
{
	struct baseline_priv *p;
	struct baseline *b, *parent;
	struct doc_node *root, *cs, *rm, *params, *src;
	struct control c, *old;
	char path[PATH_MAX];
	const char *ext;
	size_t i, j;
	int rc = 0;

	if (depth > EXTENDS_MAX_DEPTH) {
		diag_err(d, NULL,
		    "baseline 'extends' chain deeper than %d "
		    "(a cycle?) at '%s'",
		    EXTENDS_MAX_DEPTH, name);
		return NULL;
	}
	if (resolve(d, name, path, sizeof(path)) == -1)
		return NULL;
	if ((p = lib_calloc(1, sizeof(*p))) == NULL ||
	    (p->b.a = arena_new()) == NULL) {
		lib_free(p);
		diag_err(d, NULL, "out of memory");
		return NULL;
	}
	b = &p->b;
	if ((b->path = arena_strdup(b->a, path)) == NULL)
		goto oom;
	if (sha256_file_hex(d, path, b->sha256) == -1 ||
	    (root = doc_load_one(b->a, d, path, DOC_FMT_YAML, NULL)) == NULL)
		goto fail;
	if (schema_check(d, root, baseline_fields, "baseline") == -1)
		rc = -1;
	if (root->type != DOC_MAP)
		goto fail;
	b->id = schema_str(root, "id");
	b->title = schema_str(root, "title");
	b->impact = schema_str(root, "impact");
	b->extends = schema_str(root, "extends");
	if ((src = doc_get(root, "source")) != NULL) {
		if (schema_check(d, src, source_fields, "source") == -1)
			rc = -1;
		b->source_file = schema_str(src, "file");
		b->source_sha256 = schema_str(src, "sha256");
		b->source_version = schema_str(src, "version");
	}
	b->mapping = schema_str(root, "mapping");
	if (b->impact != NULL && strcmp(b->impact, "low") != 0 &&
	    strcmp(b->impact, "moderate") != 0 &&
	    strcmp(b->impact, "high") != 0 && strcmp(b->impact, "li-saas") != 0)
		rc = diag_err(d, &doc_get(root, "impact")->mark,
		    "unknown "
		    "impact '%s' (expected low, moderate, high or li-saas)",
		    b->impact);
	if ((b->params = doc_new(b->a, DOC_MAP, &root->mark)) == NULL)
		goto oom;
	if ((ext = b->extends) != NULL) {
		if ((parent = load_depth(d, ext, rs, depth + 1)) == NULL) {
			diag_err(d, &doc_get(root, "extends")->mark,
			    "cannot "
			    "load the baseline '%s' this one extends",
			    ext);
			goto fail;
		}
		p->parent = parent;
		if (b->impact == NULL)
			b->impact = parent->impact;
		for (i = 0; i < parent->params->u.map.n; i++)
			if (doc_map_put(b->a, b->params,
				parent->params->u.map.pairs[i].key,
				parent->params->u.map.pairs[i].val) == -1)
				goto oom;
		for (i = 0; i < parent->ncontrols; i++)
			if (add_control(p, d, &parent->controls[i]) == -1)
				goto fail;
	}
	if ((params = doc_get(root, "parameters")) != NULL &&
	    params->type == DOC_MAP) {
		for (i = 0; i < params->u.map.n; i++) {
			struct doc_pair *pp = &params->u.map.pairs[i];

			for (j = 0; j < b->params->u.map.n; j++)
				if (strcmp(b->params->u.map.pairs[j].key->str,
					pp->key->str) == 0)
					break;
			if (j < b->params->u.map.n)
				b->params->u.map.pairs[j].val = pp->val;
			else if (doc_map_put(
				     b->a, b->params, pp->key, pp->val) == -1)
				goto oom;
		}
	}
	if ((rm = doc_get(root, "remove")) != NULL) {
		if (b->extends == NULL)
			rc = diag_err(d, &rm->mark,
			    "'remove' is only valid in "
			    "a baseline that extends another");
		for (i = 0; rm->type == DOC_SEQ && i < rm->u.seq.n; i++) {
			struct doc_node *it = rm->u.seq.items[i];
			const char *id, *why;

			if (schema_check(d, it, remove_fields, "removal") ==
			    -1) {
				rc = -1;
				continue;
			}
			id = schema_str(it, "id");
			why = schema_str(it, "reason");
			if (why == NULL || why[strspn(why, " \t\n")] == '\0') {
				rc = diag_err(d, &it->mark,
				    "removal of '%s' "
				    "needs a stated reason",
				    id);
				continue;
			}
			if ((old = baseline_control(b, id)) == NULL) {
				rc = diag_err(d, &doc_get(it, "id")->mark,
				    "cannot remove '%s': no such control in "
				    "'%s'",
				    id, b->extends);
				continue;
			}
			j = (size_t)(old - b->controls);
			memmove(old, old + 1,
			    (b->ncontrols - j - 1) * sizeof(*old));
			b->ncontrols--;
		}
	}
	if ((cs = doc_get(root, "controls")) != NULL && cs->type == DOC_SEQ) {
		for (i = 0; i < cs->u.seq.n; i++) {
			if (load_control(b, d, rs, cs->u.seq.items[i], &c) ==
			    -1) {
				rc = -1;
				continue;
			}
			if ((old = baseline_control(b, c.id)) != NULL) {
				if (b->extends == NULL) {
					rc = diag_err(d, &c.mark,
					    "duplicate "
					    "control '%s' (first at %u:%u)",
					    c.id, old->mark.line,
					    old->mark.col);
					continue;
				}
				*old = c; /* tailoring replaces it */
			} else if (add_control(p, d, &c) == -1) {
				goto fail;
			}
		}
	}
	if (b->extends != NULL && params != NULL && params->type == DOC_MAP &&
	    check_param_ids(b, d, params) == -1)
		rc = -1;
	if (rc == 0 && b->mapping != NULL &&
	    mapping_apply(
		b, d, b->mapping, rs, &doc_get(root, "mapping")->mark) == -1)
		rc = -1;
	if (rc == -1) {
		/* Lint reports binding errors too, not only the first kind. */
		if (depth == 0)
			resolve_bindings(b, d);
		goto fail;
	}
	return b;
oom:
	diag_err(d, NULL, "out of memory");
fail:
	baseline_free(b);
	return NULL;
}

/*
 * Bind every check parameter to its value in the final baseline, after
 * tailoring, so an override of a parameter in a baseline that extends
 * another reaches the checks the parent bound.
 */
static int
resolve_bindings(struct baseline *b, struct diag *d)
{
	struct control_check *cc;
	struct doc_node *m, *v;
	size_t i, j, k;
	int rc = 0;

	for (i = 0; i < b->ncontrols; i++) {
		for (j = 0; j < b->controls[i].nchecks; j++) {
			cc = &b->controls[i].checks[j];
			if (cc->rule == NULL)
				continue;
			if ((m = doc_new(b->a, DOC_MAP, &cc->mark)) == NULL)
				return diag_err(d, NULL, "out of memory");
			for (k = 0; k < cc->params->u.map.n; k++) {
				v = bind_value(b, d, cc->rule,
				    cc->params->u.map.pairs[k].key->str,
				    cc->params->u.map.pairs[k].val);
				if (v == NULL) {
					rc = -1;
					continue;
				}
				if (doc_map_put(b->a, m,
					cc->params->u.map.pairs[k].key,
					v) == -1)
					return diag_err(
					    d, NULL, "out of memory");
			}
			cc->params = m;
		}
	}
	return rc;
}

struct baseline *
baseline_load(
    struct diag *d, const char *name_or_path, const struct rule_set *rs)
{
	struct baseline *b;

	if ((b = load_depth(d, name_or_path, rs, 0)) == NULL)
		return NULL;
	if (resolve_bindings(b, d) == -1) {
		baseline_free(b);
		return NULL;
	}
	return b;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
baseline_list_shipped(void)
{
	char dir[PATH_MAX], sub[PATH_MAX + 16], **v = NULL, **nv;
	struct dirent *de;
	DIR *dp;
	size_t n = 0, len;

	if (rules_dir(dir, sizeof(dir)) == -1)
		return lib_calloc(1, sizeof(char *));
	snprintf(sub, sizeof(sub), "%s/baselines", dir);
	if ((dp = opendir(sub)) == NULL)
		return lib_calloc(1, sizeof(char *));
	while ((de = readdir(dp)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		if ((nv = lib_realloc(v, (n + 2) * sizeof(*v))) == NULL)
			break;
		v = nv;
		if ((v[n] = lib_malloc(len - 4)) == NULL)
			break;
		memcpy(v[n], de->d_name, len - 5);
		v[n][len - 5] = '\0';
		n++;
		v[n] = NULL;
	}
	closedir(dp);
	if (v == NULL)
		return lib_calloc(1, sizeof(char *));
	qsort(v, n, sizeof(*v), str_cmp);
	return v;
}
