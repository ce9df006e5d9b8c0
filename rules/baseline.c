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
	{ "decides", DOC_STRING, 0 },
	{ "objective", DOC_NULL, 0 }, /* a part letter or a list of them */
	{ NULL, DOC_NULL, 0 },
};

/* A parameter bound to the baseline: {baseline: ID [, otherwise:
 * default]}. */
static const struct field param_ref_fields[] = {
	{ "baseline", DOC_STRING, 1 },
	{ "otherwise", DOC_STRING, 0 },
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

const struct baseline *
baseline_parent(const struct baseline *b)
{
	return b != NULL ? ((const struct baseline_priv *)b)->parent : NULL;
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

int
control_label(const char *id, char *buf, size_t len)
{
	size_t i, o = 0;
	int open = 0;

	if (len < 4)
		return -1;
	for (i = 0; id[i] != '\0'; i++) {
		if (o + 3 >= len)
			return -1;
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
	return 0;
}

/* "ac-2.1" -> "AC-2(1)" in the arena. */
static char *
default_label(struct arena *a, const char *id)
{
	char buf[64];

	if (control_label(id, buf, sizeof(buf)) == -1)
		return NULL;
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

int
binding_decides(struct diag *d, const struct doc_node *n, int *full)
{
	if (n != NULL && n->type == DOC_STRING && strcmp(n->str, "full") == 0) {
		if (full != NULL)
			*full = 1;
		return 0;
	}
	if (n != NULL && n->type == DOC_STRING && strcmp(n->str, "part") == 0) {
		if (full != NULL)
			*full = 0;
		return 0;
	}
	if (n == NULL)
		return diag_err(d, NULL, "'decides' must be 'full' or 'part'");
	return diag_err(d, &n->mark,
	    "'decides' must be 'full' or 'part', found '%s'",
	    n->type == DOC_STRING ? n->str : doc_type_name(n->type));
}

/* Whether some control of b declares the parameter id. */
static int
param_declared(const struct baseline *b, const char *id)
{
	size_t i, j;

	if (doc_get(b->params, id) != NULL)
		return 1;
	for (i = 0; i < b->ncontrols; i++)
		for (j = 0; j < b->controls[i].nparams; j++)
			if (strcmp(b->controls[i].params[j].id, id) == 0)
				return 1;
	return 0;
}

/* Add key -> string value (value NULL: skipped) to map m. */
static int
src_put(
    struct baseline *b, struct doc_node *m, const char *key, const char *val)
{
	struct doc_node *k, *v;

	if (val == NULL)
		return 0;
	if ((k = doc_new_string(b->a, key, strlen(key), &m->mark)) == NULL ||
	    (v = doc_new_string(b->a, val, strlen(val), &m->mark)) == NULL)
		return -1;
	return doc_map_put(b->a, m, k, v);
}

/* A provenance entry {from, param, text, note} (NULLs left out). */
static struct doc_node *
src_new(struct baseline *b, const struct mark *mk, const char *from,
    const char *param, const char *text, const char *note)
{
	struct doc_node *m;

	if ((m = doc_new(b->a, DOC_MAP, mk)) == NULL ||
	    src_put(b, m, "from", from) == -1 ||
	    src_put(b, m, "param", param) == -1 ||
	    src_put(b, m, "text", text) == -1 ||
	    src_put(b, m, "note", note) == -1)
		return NULL;
	return m;
}

/* The text of a baseline parameter value (a scalar), or NULL. */
static const char *
value_text(const struct doc_node *pv)
{
	if (pv == NULL || pv->type == DOC_MAP || pv->type == DOC_SEQ ||
	    pv->type == DOC_NULL)
		return NULL;
	return pv->str;
}

/*
 * Resolve one bound parameter value: a literal, or {baseline: PARAM}
 * taken from the baseline's parameters.  A check parameter whose default
 * is an integer is read from the parameter's text with its unit and sign
 * (rules/param.c) and converted to the unit the check declares; text
 * that cannot be read exactly is an error naming both parameters, unless
 * the binding says `otherwise: default`, in which case the check's
 * default applies and *src says why.  *src receives the provenance.
 */
static struct doc_node *
bind_value(struct baseline *b, struct diag *d, const struct rule *r,
    const char *name, struct doc_node *v, struct doc_node **src)
{
	const struct doc_node *ref = NULL, *pv, *def, *ow;
	struct doc_node *n;
	struct param_value q;
	const char *text, *unit;
	char why[256], note[384];
	int64_t iv;

	*src = NULL;
	def = doc_get(r->params, name);
	if (v->type != DOC_MAP) {
		*src = src_new(b, &v->mark, "binding", NULL, NULL, NULL);
		goto done;
	}
	if ((ref = doc_get(v, "baseline")) == NULL || ref->type != DOC_STRING ||
	    schema_check(d, v, param_ref_fields, "parameter binding") == -1) {
		diag_err(d, &v->mark,
		    "parameter '%s' must be a value or "
		    "{baseline: PARAMETER-ID [, otherwise: default]}",
		    name);
		return NULL;
	}
	if ((ow = doc_get(v, "otherwise")) != NULL &&
	    strcmp(ow->str, "default") != 0) {
		diag_err(d, &ow->mark,
		    "'otherwise' of parameter '%s' must be 'default'", name);
		return NULL;
	}
	pv = doc_get(b->params, ref->str);
	text = value_text(pv);
	if (pv == NULL && !(ow != NULL && param_declared(b, ref->str))) {
		diag_err(d, &ref->mark, "baseline '%s' has no parameter '%s'",
		    b->id, ref->str);
		return NULL;
	}
	if (pv == NULL) {
		/* Organisation-defined with no value in this baseline. */
		if (def == NULL)
			goto nodefault;
		*src = src_new(b, &ref->mark, "default", ref->str, NULL,
		    "the baseline gives this parameter no value");
		v = (struct doc_node *)def;
		goto done;
	}
	if (def == NULL || def->type != DOC_INT) {
		*src = src_new(b, &ref->mark, ref->str, NULL, text, NULL);
		v = (struct doc_node *)pv;
		goto done;
	}
	unit = doc_str(doc_get(r->units, name));
	if (text == NULL || param_parse(text, &q, why, sizeof(why)) == -1) {
		if (text == NULL)
			snprintf(why, sizeof(why), "it is not text");
		if (ow == NULL) {
			diag_err(d, &ref->mark,
			    "baseline parameter '%s' ('%s') cannot be read as "
			    "check parameter '%s' of '%s': %s",
			    ref->str, text ? text : "?", name, r->id, why);
			return NULL;
		}
		snprintf(note, sizeof(note),
		    "the baseline value cannot be read as a number: %s", why);
		*src = src_new(b, &ref->mark, "default", ref->str, text, note);
		v = (struct doc_node *)def;
		goto done;
	}
	if (param_convert(&q, unit, &iv, why, sizeof(why)) == -1) {
		diag_err(d, &ref->mark,
		    "baseline parameter '%s' ('%s') cannot be read as check "
		    "parameter '%s' of '%s'%s%s%s: %s",
		    ref->str, text, name, r->id, unit ? " (in " : "",
		    unit ? unit : "", unit ? ")" : "", why);
		return NULL;
	}
	if ((n = doc_new(b->a, DOC_INT, &pv->mark)) == NULL ||
	    (n->str = arena_printf(b->a, "%lld", (long long)iv)) == NULL)
		goto oom;
	n->u.i = iv;
	n->len = strlen(n->str);
	if ((*src = src_new(b, &ref->mark, ref->str, NULL, text, NULL)) == NULL)
		goto oom;
	return n;
done:
	if (*src == NULL)
		goto oom;
	return v;
nodefault:
	diag_err(d, &ref->mark,
	    "baseline '%s' gives parameter '%s' no value and check parameter "
	    "'%s' of '%s' has no default",
	    b->id, ref->str, name, r->id);
	return NULL;
oom:
	diag_sys(d, &v->mark, "out of memory");
	return NULL;
}

/*
 * A binding's `objective:`: the lettered part(s) of the control's
 * statement it evidences ("d" or [a, c]), so OSCAL findings can target
 * the assessment objective "<control>_obj.<part>".  0 or -1.
 */
static int
load_objective(struct baseline *b, struct diag *d, const struct doc_node *n,
    struct control_check *cc)
{
	size_t i;

	if (n == NULL)
		return 0;
	if (schema_strlist(b->a, d, n, &cc->objective, &cc->nobjective) == -1)
		return -1;
	for (i = 0; i < cc->nobjective; i++)
		if (cc->objective[i][0] < 'a' || cc->objective[i][0] > 'z' ||
		    cc->objective[i][1] != '\0')
			return diag_err(d, &n->mark,
			    "objective '%s' is not a statement part (a "
			    "letter a-z)",
			    cc->objective[i]);
	return 0;
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
	if (load_objective(b, d, doc_get(n, "objective"), cc) == -1)
		return -1;
	/* Mapping files require `decides:` (rules/mapping.c); a baseline's
	 * own binding without it counts as part, and lint says so. */
	if (doc_get(n, "decides") == NULL)
		diag_warn(d, &n->mark,
		    "binding of check '%s' has no 'decides: full|part'; it "
		    "counts as 'part'",
		    cc->check_id);
	else if (binding_decides(d, doc_get(n, "decides"), &cc->full) == -1)
		rc = -1;
	if (rs != NULL && (cc->rule = rule_find(rs, cc->check_id)) == NULL)
		return diag_err(d, &doc_get(n, "id")->mark,
		    "unknown check "
		    "'%s'",
		    cc->check_id);
	if ((cc->params = doc_new(b->a, DOC_MAP, &n->mark)) == NULL)
		return diag_sys(d, &n->mark, "out of memory");
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
			return diag_sys(d, &n->mark, "out of memory");
	}
	return rc;
}

/* Whether c->checks[k]'s check is already among the first k. */
static int
bound_twice(const struct control *c, size_t k)
{
	size_t i;

	if (c->checks[k].rule == NULL)
		return 0;
	for (i = 0; i < k; i++)
		if (c->checks[i].rule == c->checks[k].rule)
			return 1;
	return 0;
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
		return diag_sys(d, &seq->mark, "out of memory");
	if (c->nchecks > 0)
		memcpy(v, c->checks, c->nchecks * sizeof(*v));
	c->checks = v;
	for (i = 0; i < seq->u.seq.n; i++) {
		if (load_binding(b, d, rs, seq->u.seq.items[i],
			&c->checks[c->nchecks]) == -1) {
			rc = -1;
			c->nchecks++;
			continue;
		}
		if (bound_twice(c, c->nchecks))
			rc = diag_err(d, &seq->u.seq.items[i]->mark,
			    "check '%s' is bound to control '%s' twice",
			    c->checks[c->nchecks].rule->id, c->id);
		c->nchecks++;
	}
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
		return diag_sys(d, &n->mark, "out of memory");
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
		return diag_sys(d, &n->mark, "out of memory");
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
		return diag_sys(d, &n->mark, "out of memory");
	if (c->family == NULL &&
	    (c->family = default_family(b->a, c->id)) == NULL)
		return diag_sys(d, &n->mark, "out of memory");
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
			return diag_sys(d, &c->mark, "out of memory");
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

/* The files of an `extends` chain being loaded, outermost first. */
struct chain {
	char paths[EXTENDS_MAX_DEPTH + 2][PATH_MAX];
	dev_t dev[EXTENDS_MAX_DEPTH + 2];
	ino_t ino[EXTENDS_MAX_DEPTH + 2];
	int n;
};

/*
 * Whether path is already in the chain: then report the cycle once, at
 * the `extends` that closes it (m), naming every file in it.
 */
static int
chain_cycle(struct diag *d, const struct chain *ch, const char *path,
    const struct stat *st, const struct mark *m)
{
	struct strbuf sb;
	int i, at = -1;

	for (i = 0; i < ch->n; i++)
		if (ch->dev[i] == st->st_dev && ch->ino[i] == st->st_ino) {
			at = i;
			break;
		}
	if (at == -1)
		return 0;
	sb_init(&sb);
	for (i = at; i < ch->n; i++) {
		sb_adds(&sb, ch->paths[i]);
		sb_adds(&sb, " -> ");
	}
	sb_adds(&sb, path);
	diag_err(
	    d, m, "baseline 'extends' cycle: %s", sb.s != NULL ? sb.s : path);
	sb_free(&sb);
	return 1;
}

/*
 * Load one baseline of an `extends` chain.  `from` is the `extends` that
 * names it (NULL at the top).  *nested is set when the failure is one
 * already reported further up the chain, so each ancestor does not add
 * its own "cannot load" line for the same cause.
 */
/* The baseline's own fields: id, title, impact, extends, source, mapping. */
static int
load_header(struct baseline *b, struct diag *d, const struct doc_node *root)
{
	const struct doc_node *src;
	int rc = 0;

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
	return rc;
}

/* What a baseline that extends parent starts from: its impact, parameter
 * values and controls.  0, or -1 with the error in d. */
static int
inherit(struct baseline_priv *p, struct diag *d, const struct baseline *parent)
{
	struct baseline *b = &p->b;
	size_t i;

	if (b->impact == NULL)
		b->impact = parent->impact;
	for (i = 0; i < parent->params->u.map.n; i++)
		if (doc_map_put(b->a, b->params,
			parent->params->u.map.pairs[i].key,
			parent->params->u.map.pairs[i].val) == -1)
			return diag_sys(d, NULL, "out of memory");
	for (i = 0; i < parent->ncontrols; i++)
		if (add_control(p, d, &parent->controls[i]) == -1)
			return -1;
	return 0;
}

/* The `parameters` map (may be NULL) over the inherited values. */
static int
set_params(struct baseline *b, struct diag *d, const struct doc_node *params)
{
	size_t i, j;

	if (params == NULL || params->type != DOC_MAP)
		return 0;
	for (i = 0; i < params->u.map.n; i++) {
		struct doc_pair *pp = &params->u.map.pairs[i];

		for (j = 0; j < b->params->u.map.n; j++)
			if (strcmp(b->params->u.map.pairs[j].key->str,
				pp->key->str) == 0)
				break;
		if (j < b->params->u.map.n)
			b->params->u.map.pairs[j].val = pp->val;
		else if (doc_map_put(b->a, b->params, pp->key, pp->val) == -1)
			return diag_sys(d, NULL, "out of memory");
	}
	return 0;
}

/* The `remove` list of a tailored baseline: each with its reason. */
static int
remove_controls(struct baseline *b, struct diag *d, const struct doc_node *rm)
{
	struct control *old;
	size_t i, j;
	int rc = 0;

	if (b->extends == NULL)
		rc = diag_err(d, &rm->mark,
		    "'remove' is only valid in "
		    "a baseline that extends another");
	for (i = 0; rm->type == DOC_SEQ && i < rm->u.seq.n; i++) {
		struct doc_node *it = rm->u.seq.items[i];
		const char *id, *why;

		if (schema_check(d, it, remove_fields, "removal") == -1) {
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
		memmove(old, old + 1, (b->ncontrols - j - 1) * sizeof(*old));
		b->ncontrols--;
	}
	return rc;
}

/*
 * The `controls` list: new controls, or, in a baseline that extends
 * another, tailored replacements.  0, -1 (errors in d, go on checking),
 * or -2 (out of memory: stop).
 */
static int
load_controls(struct baseline_priv *p, struct diag *d,
    const struct rule_set *rs, const struct doc_node *cs)
{
	struct baseline *b = &p->b;
	struct control c, *old;
	size_t i;
	int rc = 0;

	for (i = 0; i < cs->u.seq.n; i++) {
		if (load_control(b, d, rs, cs->u.seq.items[i], &c) == -1) {
			rc = -1;
			continue;
		}
		if ((old = baseline_control(b, c.id)) != NULL) {
			if (b->extends == NULL) {
				rc = diag_err(d, &c.mark,
				    "duplicate "
				    "control '%s' (first at %u:%u)",
				    c.id, old->mark.line, old->mark.col);
				continue;
			}
			*old = c; /* tailoring replaces it */
		} else if (add_control(p, d, &c) == -1) {
			return -2;
		}
	}
	return rc;
}

static struct baseline *
load_depth(struct diag *d, const char *name, const struct rule_set *rs,
    int depth, struct chain *ch, const struct mark *from, int *nested)
{
	struct baseline_priv *p;
	struct baseline *b, *parent;
	struct doc_node *root, *cs, *rm, *params;
	char path[PATH_MAX];
	const char *ext;
	struct stat st;
	int rc = 0, pnested = 0;

	*nested = 0;
	if (resolve(d, name, path, sizeof(path)) == -1)
		return NULL;
	/* The same file under another name closes a cycle too. */
	if (stat(path, &st) == -1)
		memset(&st, 0, sizeof(st));
	if (chain_cycle(d, ch, path, &st, from)) {
		*nested = 1;
		return NULL;
	}
	if (depth > EXTENDS_MAX_DEPTH) {
		diag_err(d, from,
		    "baseline 'extends' chain deeper than %d at "
		    "'%s'",
		    EXTENDS_MAX_DEPTH, name);
		*nested = 1;
		return NULL;
	}
	snprintf(ch->paths[ch->n], PATH_MAX, "%s", path);
	ch->dev[ch->n] = st.st_dev;
	ch->ino[ch->n++] = st.st_ino;
	if ((p = lib_calloc(1, sizeof(*p))) == NULL ||
	    (p->b.a = arena_new()) == NULL) {
		lib_free(p);
		diag_sys(d, NULL, "out of memory");
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
	if (load_header(b, d, root) == -1)
		rc = -1;
	if ((b->params = doc_new(b->a, DOC_MAP, &root->mark)) == NULL)
		goto oom;
	if ((ext = b->extends) != NULL) {
		parent = load_depth(d, ext, rs, depth + 1, ch,
		    &doc_get(root, "extends")->mark, &pnested);
		if (parent == NULL) {
			if (!pnested)
				diag_err(d, &doc_get(root, "extends")->mark,
				    "cannot load the baseline '%s' this one "
				    "extends",
				    ext);
			*nested = 1;
			goto fail;
		}
		p->parent = parent;
		if (inherit(p, d, parent) == -1)
			goto fail;
	}
	params = doc_get(root, "parameters");
	if (set_params(b, d, params) == -1)
		goto fail;
	if ((rm = doc_get(root, "remove")) != NULL &&
	    remove_controls(b, d, rm) == -1)
		rc = -1;
	if ((cs = doc_get(root, "controls")) != NULL && cs->type == DOC_SEQ) {
		switch (load_controls(p, d, rs, cs)) {
		case -2:
			goto fail;
		case -1:
			rc = -1;
			break;
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
	diag_sys(d, NULL, "out of memory");
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
	struct doc_node *m, *v, *srcs, *src;
	const struct doc_node *k;
	size_t i, j, l;
	int rc = 0;

	for (i = 0; i < b->ncontrols; i++) {
		for (j = 0; j < b->controls[i].nchecks; j++) {
			cc = &b->controls[i].checks[j];
			if (cc->rule == NULL || cc->param_src != NULL)
				continue; /* a parent's, already resolved */
			if ((m = doc_new(b->a, DOC_MAP, &cc->mark)) == NULL ||
			    (srcs = doc_new(b->a, DOC_MAP, &cc->mark)) == NULL)
				return diag_sys(d, NULL, "out of memory");
			for (l = 0; l < cc->params->u.map.n; l++) {
				k = cc->params->u.map.pairs[l].key;
				v = bind_value(b, d, cc->rule, k->str,
				    cc->params->u.map.pairs[l].val, &src);
				if (v == NULL) {
					rc = -1;
					continue;
				}
				if (doc_map_put(b->a, m, (struct doc_node *)k,
					v) == -1 ||
				    doc_map_put(b->a, srcs,
					(struct doc_node *)k, src) == -1)
					return diag_sys(
					    d, NULL, "out of memory");
			}
			/* Every other parameter keeps the check's default. */
			for (l = 0; l < cc->rule->params->u.map.n; l++) {
				k = cc->rule->params->u.map.pairs[l].key;
				if (doc_get(srcs, k->str) != NULL)
					continue;
				if ((src = src_new(b, &cc->mark, "default",
					 NULL, NULL, NULL)) == NULL ||
				    doc_map_put(b->a, srcs,
					(struct doc_node *)k, src) == -1)
					return diag_sys(
					    d, NULL, "out of memory");
			}
			cc->params = m;
			cc->param_src = srcs;
		}
	}
	return rc;
}

struct baseline *
baseline_load(
    struct diag *d, const char *name_or_path, const struct rule_set *rs)
{
	struct baseline *b;
	struct chain *ch;
	int nested;

	/* PATH_MAX * 10 bytes: not on the stack. */
	if ((ch = lib_calloc(1, sizeof(*ch))) == NULL) {
		diag_sys(d, NULL, "out of memory");
		return NULL;
	}
	b = load_depth(d, name_or_path, rs, 0, ch, NULL, &nested);
	lib_free(ch);
	if (b == NULL)
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
