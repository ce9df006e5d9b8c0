/*
 * oscal.c: import an OSCAL catalog (optionally through an OSCAL profile)
 * as a rampart baseline.
 *
 * The FedRAMP resolved-profile catalogs are 1-4 MB of YAML or JSON.  They
 * are streamed one group (control family) at a time (`catalog.groups[*]`),
 * each group built in its own arena and freed after it is converted, so
 * memory stays proportional to the largest family.  A first, short pass
 * reads `catalog.metadata` and stops as soon as it has it.
 *
 * For each control and enhancement we emit id, label, title, family,
 * class, the statement prose with every `{{ insert: param, X }}` resolved
 * to the FedRAMP value (the parameter's `values`, else its
 * `constraints[].description`), a selection list when the parameter is a
 * choice without a value, or a visible `[Assignment: organization-defined
 * LABEL]` when nothing is set; the parameters themselves; the FedRAMP
 * props `CORE` and `method` (LI-SaaS).  A profile, when given, selects
 * controls (include-controls with-ids / with-child-controls,
 * exclude-controls), overrides parameter values (set-parameters) and adds
 * control-level props (alters/adds); the profile's import href is not
 * followed: the catalog given on the command line is the one it applies
 * to.  The output is written atomically, in catalog order, with no
 * absolute paths, so regeneration is byte-for-byte reproducible.
 */
#include <ctype.h>
#include <string.h>

#include "rules/rules.h"

#define FEDRAMP_NS "https://fedramp.gov/ns/oscal"
#define INSERT_MAX_DEPTH 4 /* choices may insert parameters */
#define MISSING_LISTED 10

/* A profile, reduced to what the importer applies. */
struct profile {
	const char *path;
	int include_all;
	const struct doc_node **inc; /* with-ids entries (strings) */
	unsigned char *inc_children; /* with-child-controls per entry */
	unsigned char *inc_seen;
	size_t ninc;
	const struct doc_node **exc;
	size_t nexc;
	const struct doc_node **setp; /* set-parameters items */
	size_t nsetp;
	const struct doc_node **alters; /* alters items */
	size_t nalters;
	char sha256[SHA256_HEX_LEN + 1];
};

/* A parameter visible to the family being converted. */
struct pref {
	const char *id;
	const struct doc_node *node;
};

struct imp {
	struct diag *d;
	struct arena *a; /* importer lifetime */
	const struct oscal_opts *o;
	struct profile *pf; /* NULL without --profile */
	struct strbuf ctl; /* controls: ... */
	struct strbuf par; /* parameters: ... */
	struct oscal_stats st;
	/* metadata pass */
	const char *title, *version;
	int have_meta;
	/* the family being converted */
	struct pref *refs;
	size_t nrefs;
	const char *family;
	size_t family_controls;
	int err;
};

/* ------------------------------------------------------------- helpers */

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s != NULL ? s + 1 : p;
}

/*
 * Append s with white space runs (including line breaks and control
 * characters) folded to one space and both ends trimmed.
 */
static void
add_folded(struct strbuf *sb, const char *s)
{
	int space = 0, any = 0;

	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= ' ' || *s == 0x7f) {
			space = any;
			continue;
		}
		if (space)
			sb_addc(sb, ' ');
		sb_addc(sb, *s);
		space = 0;
		any = 1;
	}
}

/* Whether s may be written as a YAML plain scalar safely (ids). */
static int
plain_ok(const char *s)
{
	static const char *const reserved[] = { "true", "false", "null", "yes",
		"no", "on", "off", "y", "n", NULL };
	size_t i;

	if (!islower((unsigned char)s[0]))
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) &&
		    strchr("._-", s[i]) == NULL)
			return 0;
	for (i = 0; reserved[i] != NULL; i++)
		if (strcmp(s, reserved[i]) == 0)
			return 0;
	return 1;
}

/* A YAML scalar: plain when obviously safe, else double-quoted. */
static void
yaml_str(struct strbuf *sb, const char *s)
{
	const unsigned char *p;

	if (plain_ok(s)) {
		sb_adds(sb, s);
		return;
	}
	sb_addc(sb, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			sb_addc(sb, '\\');
			sb_addc(sb, (char)*p);
		} else if (*p == '\n') {
			sb_adds(sb, "\\n");
		} else if (*p < 0x20 || *p == 0x7f) {
			sb_printf(sb, "\\x%02x", *p);
		} else {
			sb_addc(sb, (char)*p);
		}
	}
	sb_addc(sb, '"');
}

/*
 * A multi-line text as a literal block (`|-`) indented by `ind` spaces
 * when every line is safe for it (no leading space on the first line, no
 * trailing space, no control characters), else double-quoted.
 */
static void
yaml_block(struct strbuf *sb, const char *s, int ind)
{
	const char *p, *nl;
	int ok = s[0] != '\0' && s[0] != ' ';

	for (p = s; ok && *p != '\0'; p++) {
		if (((unsigned char)*p < 0x20 && *p != '\n') || *p == 0x7f)
			ok = 0;
		if ((*p == '\n' || p[1] == '\0') && p > s &&
		    (p[*p == '\n' ? -1 : 0] == ' '))
			ok = 0;
		if (*p == '\n' && (p[1] == '\n' || p[1] == '\0'))
			ok = 0;
	}
	if (!ok) {
		yaml_str(sb, s);
		sb_addc(sb, '\n');
		return;
	}
	sb_adds(sb, "|-\n");
	for (p = s; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		sb_printf(sb, "%*s", ind, "");
		sb_add(sb, p, (size_t)(nl - p));
		sb_addc(sb, '\n');
		if (*nl == '\0')
			break;
	}
}

/* The string value of key in map, or NULL. */
static const char *
str_of(const struct doc_node *map, const char *key)
{
	return doc_str(doc_get(map, key));
}

/* The value of the first prop `name` (without class, or any). */
static const char *
prop_value(const struct doc_node *c, const char *name, int classless)
{
	const struct doc_node *ps = doc_get(c, "props"), *p;
	size_t i;

	for (i = 0; ps != NULL && ps->type == DOC_SEQ && i < ps->u.seq.n; i++) {
		p = ps->u.seq.items[i];
		if (p->type != DOC_MAP || str_of(p, "name") == NULL ||
		    strcmp(str_of(p, "name"), name) != 0)
			continue;
		if (classless && doc_get(p, "class") != NULL)
			continue;
		return str_of(p, "value");
	}
	return NULL;
}

/* ------------------------------------------------------------- profile */

/* Push pointers to the string items of `seq` onto v. */
static int
push_strings(struct imp *im, const struct doc_node *seq,
    const struct doc_node ***v, size_t *n)
{
	const struct doc_node **nv;
	size_t i;

	if (seq == NULL)
		return 0;
	if (seq->type != DOC_SEQ)
		return diag_err(im->d, &seq->mark, "expected a list of ids");
	nv = arena_realloc(
	    im->a, *v, *n * sizeof(*nv), (*n + seq->u.seq.n) * sizeof(*nv));
	if (nv == NULL)
		return diag_sys(im->d, &seq->mark, "out of memory");
	*v = nv;
	for (i = 0; i < seq->u.seq.n; i++) {
		if (seq->u.seq.items[i]->type != DOC_STRING)
			return diag_err(im->d, &seq->u.seq.items[i]->mark,
			    "control id must be a string");
		nv[(*n)++] = seq->u.seq.items[i];
	}
	return 0;
}

static int
load_profile(struct imp *im, const char *path)
{
	struct profile *pf;
	const struct doc_node *root, *p, *imps, *im1, *sel, *m, *set, *alt;
	size_t i, j, before;
	int children;

	if ((pf = arena_alloc(im->a, sizeof(*pf))) == NULL)
		return diag_sys(im->d, NULL, "out of memory");
	pf->path = path;
	if (sha256_file_hex(im->d, path, pf->sha256) == -1)
		return -1;
	root = doc_load_one(im->a, im->d, path, DOC_FMT_AUTO, NULL);
	if (root == NULL)
		return -1;
	if ((p = doc_get(root, "profile")) == NULL || p->type != DOC_MAP)
		return diag_err(im->d, &root->mark,
		    "not an OSCAL profile: no 'profile' object");
	if ((imps = doc_get(p, "imports")) == NULL || imps->type != DOC_SEQ ||
	    imps->u.seq.n == 0)
		return diag_err(im->d, &p->mark, "profile has no 'imports'");
	for (i = 0; i < imps->u.seq.n; i++) {
		im1 = imps->u.seq.items[i];
		if (doc_get(im1, "include-all") != NULL)
			pf->include_all = 1;
		sel = doc_get(im1, "include-controls");
		for (j = 0;
		     sel != NULL && sel->type == DOC_SEQ && j < sel->u.seq.n;
		     j++) {
			m = sel->u.seq.items[j];
			if (doc_get(m, "matching") != NULL)
				return diag_err(im->d,
				    &doc_get(m, "matching")->mark,
				    "'matching' selections are not supported; "
				    "list the controls 'with-ids'");
			children = str_of(m, "with-child-controls") != NULL &&
			    strcmp(str_of(m, "with-child-controls"), "yes") ==
				0;
			before = pf->ninc;
			if (push_strings(im, doc_get(m, "with-ids"), &pf->inc,
				&pf->ninc) == -1)
				return -1;
			pf->inc_children = arena_realloc(
			    im->a, pf->inc_children, before, pf->ninc + 1);
			if (pf->inc_children == NULL)
				return diag_sys(im->d, NULL, "out of memory");
			memset(pf->inc_children + before, children,
			    pf->ninc - before);
		}
		sel = doc_get(im1, "exclude-controls");
		for (j = 0;
		     sel != NULL && sel->type == DOC_SEQ && j < sel->u.seq.n;
		     j++)
			if (push_strings(im,
				doc_get(sel->u.seq.items[j], "with-ids"),
				&pf->exc, &pf->nexc) == -1)
				return -1;
	}
	if ((pf->inc_seen = arena_alloc(im->a, pf->ninc + 1)) == NULL)
		return diag_sys(im->d, NULL, "out of memory");
	if ((m = doc_get(p, "modify")) != NULL) {
		set = doc_get(m, "set-parameters");
		alt = doc_get(m, "alters");
		if (set != NULL && set->type == DOC_SEQ) {
			pf->setp = (const struct doc_node **)set->u.seq.items;
			pf->nsetp = set->u.seq.n;
		}
		if (alt != NULL && alt->type == DOC_SEQ) {
			pf->alters = (const struct doc_node **)alt->u.seq.items;
			pf->nalters = alt->u.seq.n;
		}
	}
	im->pf = pf;
	return 0;
}

/* Whether the profile selects control `id` (parent_kids: the parent was
 * included with its child controls). */
static int
profile_selects(struct profile *pf, const char *id, int parent_kids)
{
	size_t i;
	int in = pf->include_all || parent_kids;

	for (i = 0; i < pf->ninc; i++)
		if (strcmp(pf->inc[i]->str, id) == 0) {
			pf->inc_seen[i] = 1;
			in = 1;
		}
	for (i = 0; i < pf->nexc; i++)
		if (strcmp(pf->exc[i]->str, id) == 0)
			return 0;
	return in;
}

static int
profile_children(const struct profile *pf, const char *id)
{
	size_t i;

	for (i = 0; i < pf->ninc; i++)
		if (pf->inc_children[i] && strcmp(pf->inc[i]->str, id) == 0)
			return 1;
	return 0;
}

/* The profile's set-parameters entry for param id, or NULL. */
static const struct doc_node *
profile_setp(const struct profile *pf, const char *id)
{
	size_t i;
	const char *pid;

	for (i = 0; pf != NULL && i < pf->nsetp; i++)
		if ((pid = str_of(pf->setp[i], "param-id")) != NULL &&
		    strcmp(pid, id) == 0)
			return pf->setp[i];
	return NULL;
}

/*
 * Control-level props the profile adds to control `id` (adds without
 * by-id, or by-id naming the control itself), name `name`, appended to
 * sb comma-separated.  Returns how many were found.
 */
static int
profile_props(const struct profile *pf, const char *id, const char *name,
    struct strbuf *sb)
{
	const struct doc_node *adds, *ad, *props, *pr;
	const char *cid, *by;
	size_t i, j, k;
	int n = 0;

	for (i = 0; pf != NULL && i < pf->nalters; i++) {
		if ((cid = str_of(pf->alters[i], "control-id")) == NULL ||
		    strcmp(cid, id) != 0)
			continue;
		adds = doc_get(pf->alters[i], "adds");
		for (j = 0;
		     adds != NULL && adds->type == DOC_SEQ && j < adds->u.seq.n;
		     j++) {
			ad = adds->u.seq.items[j];
			by = str_of(ad, "by-id");
			if (by != NULL && strcmp(by, id) != 0)
				continue;
			props = doc_get(ad, "props");
			for (k = 0; props != NULL && props->type == DOC_SEQ &&
			     k < props->u.seq.n;
			     k++) {
				pr = props->u.seq.items[k];
				if (str_of(pr, "name") == NULL ||
				    strcmp(str_of(pr, "name"), name) != 0 ||
				    str_of(pr, "value") == NULL)
					continue;
				if (n++ > 0)
					sb_addc(sb, ',');
				sb_adds(sb, str_of(pr, "value"));
			}
		}
	}
	return n;
}

/* ---------------------------------------------------------- parameters */

static const struct doc_node *
find_param(const struct imp *im, const char *id)
{
	size_t i;

	for (i = 0; i < im->nrefs; i++)
		if (strcmp(im->refs[i].id, id) == 0)
			return im->refs[i].node;
	return NULL;
}

/*
 * The FedRAMP value of parameter p: the profile's set-parameters first,
 * then the catalog's `values`, then `constraints[].description`, joined
 * with "; ".  Appended folded to sb; returns whether there was one.
 */
static int
param_value(const struct imp *im, const struct doc_node *p, struct strbuf *sb)
{
	const struct doc_node *src[2], *v;
	size_t i, k;
	int n = 0, s;
	const char *t;

	src[0] = profile_setp(im->pf, str_of(p, "id"));
	src[1] = p;
	for (s = 0; s < 2 && n == 0; s++) {
		if (src[s] == NULL)
			continue;
		if ((v = doc_get(src[s], "values")) != NULL &&
		    v->type == DOC_SEQ) {
			for (i = 0; i < v->u.seq.n; i++) {
				if ((t = doc_str(v->u.seq.items[i])) == NULL)
					continue;
				if (n++ > 0)
					sb_adds(sb, "; ");
				add_folded(sb, t);
			}
		}
		if (n == 0 && (v = doc_get(src[s], "constraints")) != NULL &&
		    v->type == DOC_SEQ) {
			for (k = 0; k < v->u.seq.n; k++) {
				t = str_of(v->u.seq.items[k], "description");
				if (t == NULL)
					continue;
				if (n++ > 0)
					sb_adds(sb, "; ");
				add_folded(sb, t);
			}
		}
	}
	return n > 0;
}

static void resolve_prose(struct imp *im, const char *s, struct strbuf *out,
    int depth, const char *cid);

/* Render one inserted parameter into out. */
static void
render_param(struct imp *im, const char *pid, struct strbuf *out, int depth,
    const char *cid)
{
	const struct doc_node *p, *sel, *ch;
	const char *label, *hm;
	struct strbuf v;
	size_t i;

	if ((p = find_param(im, pid)) == NULL) {
		diag_warn(im->d, NULL,
		    "control '%s' inserts parameter '%s', which no control "
		    "of its family declares",
		    cid, pid);
		sb_printf(out, "[Assignment: %s]", pid);
		im->st.assignments++;
		return;
	}
	sb_init(&v);
	if (param_value(im, p, &v)) {
		sb_add(out, v.s, v.len);
		sb_free(&v);
		return;
	}
	sb_free(&v);
	sel = doc_get(p, "select");
	if (sel != NULL && (ch = doc_get(sel, "choice")) != NULL &&
	    ch->type == DOC_SEQ && depth < INSERT_MAX_DEPTH) {
		hm = str_of(sel, "how-many");
		sb_printf(out, "[Selection%s: ",
		    hm != NULL && strcmp(hm, "one-or-more") == 0
			? " (one or more)"
			: "");
		for (i = 0; i < ch->u.seq.n; i++) {
			if (i > 0)
				sb_adds(out, "; ");
			if (doc_str(ch->u.seq.items[i]) != NULL)
				resolve_prose(im, doc_str(ch->u.seq.items[i]),
				    out, depth + 1, cid);
		}
		sb_addc(out, ']');
		return;
	}
	label = str_of(p, "label");
	im->st.assignments++;
	if (label == NULL)
		sb_printf(
		    out, "[Assignment: organization-defined value of %s]", pid);
	else if (strncmp(label, "organization-defined", 20) == 0)
		sb_printf(out, "[Assignment: %s]", label);
	else
		sb_printf(out, "[Assignment: organization-defined %s]", label);
}

/*
 * Fold prose and replace `{{ insert: param, X }}` with X's rendering.
 * Other inserts are kept as written.
 */
static void
resolve_prose(struct imp *im, const char *s, struct strbuf *out, int depth,
    const char *cid)
{
	struct strbuf f;
	const char *p, *q, *e;
	char id[128];
	size_t n;

	sb_init(&f);
	add_folded(&f, s);
	p = f.s != NULL ? f.s : "";
	while ((q = strstr(p, "{{")) != NULL) {
		sb_add(out, p, (size_t)(q - p));
		e = strstr(q, "}}");
		p = q + 2;
		while (*p == ' ')
			p++;
		if (e == NULL || strncmp(p, "insert:", 7) != 0) {
			sb_add(out, q, 2);
			p = q + 2;
			continue;
		}
		p += 7;
		while (*p == ' ')
			p++;
		if (strncmp(p, "param", 5) != 0) {
			sb_add(out, q, (size_t)(e + 2 - q));
			p = e + 2;
			continue;
		}
		p += 5;
		while (*p == ' ' || *p == ',')
			p++;
		n = strcspn(p, " }");
		if (n == 0 || n >= sizeof(id) || p + n > e) {
			sb_add(out, q, (size_t)(e + 2 - q));
			p = e + 2;
			continue;
		}
		memcpy(id, p, n);
		id[n] = '\0';
		render_param(im, id, out, depth, cid);
		p = e + 2;
	}
	sb_adds(out, p);
	sb_free(&f);
}

/* Collect the params of control c and its enhancements into im->refs. */
static int
collect_params(struct imp *im, struct arena *a, const struct doc_node *c)
{
	const struct doc_node *ps = doc_get(c, "params"), *cs, *p;
	struct pref *v;
	size_t i;

	for (i = 0; ps != NULL && ps->type == DOC_SEQ && i < ps->u.seq.n; i++) {
		p = ps->u.seq.items[i];
		if (str_of(p, "id") == NULL)
			return diag_err(
			    im->d, &p->mark, "parameter without 'id'");
		v = arena_realloc(a, im->refs, im->nrefs * sizeof(*v),
		    (im->nrefs + 1) * sizeof(*v));
		if (v == NULL)
			return diag_sys(im->d, NULL, "out of memory");
		im->refs = v;
		v[im->nrefs].id = str_of(p, "id");
		v[im->nrefs++].node = p;
	}
	cs = doc_get(c, "controls");
	for (i = 0; cs != NULL && cs->type == DOC_SEQ && i < cs->u.seq.n; i++)
		if (collect_params(im, a, cs->u.seq.items[i]) == -1)
			return -1;
	return 0;
}

/* ----------------------------------------------------------- statement */

/* One line per part: indentation, label, title, prose; then sub-parts. */
static void
render_part(struct imp *im, const struct doc_node *part, int depth,
    struct strbuf *out, const char *cid, int self)
{
	const struct doc_node *subs;
	const char *label, *title, *prose;
	struct strbuf line;
	size_t i;

	if (self) {
		label = prop_value(part, "label", 1);
		title = str_of(part, "title");
		prose = str_of(part, "prose");
		sb_init(&line);
		if (label != NULL) {
			add_folded(&line, label);
			sb_addc(&line, ' ');
		}
		if (title != NULL) {
			add_folded(&line, title);
			sb_adds(&line, prose != NULL ? ": " : "");
		}
		if (prose != NULL)
			resolve_prose(im, prose, &line, 0, cid);
		while (line.len > 0 && line.s[line.len - 1] == ' ')
			line.len--;
		if (line.len > 0) {
			if (out->len > 0)
				sb_addc(out, '\n');
			sb_printf(out, "%*s", depth * 2, "");
			sb_add(out, line.s, line.len);
		}
		sb_free(&line);
		depth++;
	}
	subs = doc_get(part, "parts");
	for (i = 0; subs != NULL && subs->type == DOC_SEQ && i < subs->u.seq.n;
	     i++)
		render_part(im, subs->u.seq.items[i], depth, out, cid, 1);
}

static void
statement(struct imp *im, const struct doc_node *c, struct strbuf *out)
{
	const struct doc_node *parts = doc_get(c, "parts"), *p;
	const char *name;
	size_t i;

	for (i = 0;
	     parts != NULL && parts->type == DOC_SEQ && i < parts->u.seq.n;
	     i++) {
		p = parts->u.seq.items[i];
		if ((name = str_of(p, "name")) == NULL ||
		    strcmp(name, "statement") != 0)
			continue;
		if (str_of(p, "prose") != NULL) {
			resolve_prose(
			    im, str_of(p, "prose"), out, 0, str_of(c, "id"));
		}
		render_part(im, p, 0, out, str_of(c, "id"), 0);
	}
}

/* ------------------------------------------------------------- control */

static void
emit_params(struct imp *im, const struct doc_node *c)
{
	const struct doc_node *ps = doc_get(c, "params"), *p, *sel, *ch;
	struct strbuf v, t;
	const char *hm;
	size_t i, j;
	int first = 1;

	for (i = 0; ps != NULL && ps->type == DOC_SEQ && i < ps->u.seq.n; i++) {
		p = ps->u.seq.items[i];
		if (first)
			sb_adds(&im->ctl, "    parameters:\n");
		first = 0;
		im->st.params++;
		sb_adds(&im->ctl, "      - id: ");
		yaml_str(&im->ctl, str_of(p, "id"));
		sb_addc(&im->ctl, '\n');
		if (str_of(p, "label") != NULL) {
			sb_init(&t);
			add_folded(&t, str_of(p, "label"));
			sb_adds(&im->ctl, "        label: ");
			yaml_str(&im->ctl, t.s != NULL ? t.s : "");
			sb_addc(&im->ctl, '\n');
			sb_free(&t);
		}
		sb_init(&v);
		if (param_value(im, p, &v)) {
			im->st.values++;
			sb_adds(&im->ctl, "        value: ");
			yaml_str(&im->ctl, v.s);
			sb_addc(&im->ctl, '\n');
			sb_adds(&im->par, "  ");
			yaml_str(&im->par, str_of(p, "id"));
			sb_adds(&im->par, ": ");
			yaml_str(&im->par, v.s);
			sb_addc(&im->par, '\n');
		}
		sb_free(&v);
		sel = doc_get(p, "select");
		if (sel == NULL || (ch = doc_get(sel, "choice")) == NULL ||
		    ch->type != DOC_SEQ)
			continue;
		hm = str_of(sel, "how-many");
		sb_adds(&im->ctl, "        select: ");
		sb_adds(&im->ctl,
		    hm != NULL && strcmp(hm, "one-or-more") == 0 ? "one-or-more"
								 : "one");
		sb_adds(&im->ctl, "\n        choices:\n");
		for (j = 0; j < ch->u.seq.n; j++) {
			if (doc_str(ch->u.seq.items[j]) == NULL)
				continue;
			sb_init(&t);
			resolve_prose(im, doc_str(ch->u.seq.items[j]), &t, 1,
			    str_of(c, "id"));
			sb_adds(&im->ctl, "          - ");
			yaml_str(&im->ctl, t.s != NULL ? t.s : "");
			sb_addc(&im->ctl, '\n');
			sb_free(&t);
		}
	}
}

static int
emit_control(struct imp *im, const struct doc_node *c, int parent_kids)
{
	const struct doc_node *cs, *idn = doc_get(c, "id");
	const char *id, *label, *title, *klass, *core;
	struct strbuf t, meth;
	int selected = 1, kids = 0, nmeth;
	size_t i;

	if ((id = doc_str(idn)) == NULL)
		return diag_err(im->d, &c->mark, "control without an 'id'");
	if ((title = str_of(c, "title")) == NULL)
		return diag_err(
		    im->d, &c->mark, "control '%s' has no 'title'", id);
	if (im->pf != NULL) {
		selected = profile_selects(im->pf, id, parent_kids);
		kids =
		    profile_children(im->pf, id) || (parent_kids && selected);
	}
	if (selected) {
		im->st.controls++;
		im->family_controls++;
		label = prop_value(c, "label", 1);
		klass = str_of(c, "class");
		sb_adds(&im->ctl, "  - id: ");
		yaml_str(&im->ctl, id);
		if (label != NULL) {
			sb_adds(&im->ctl, "\n    label: ");
			yaml_str(&im->ctl, label);
		}
		sb_init(&t);
		add_folded(&t, title);
		sb_adds(&im->ctl, "\n    title: ");
		yaml_str(&im->ctl, t.s != NULL ? t.s : "");
		sb_free(&t);
		sb_adds(&im->ctl, "\n    family: ");
		yaml_str(&im->ctl, im->family);
		if (klass != NULL) {
			sb_adds(&im->ctl, "\n    class: ");
			yaml_str(&im->ctl, klass);
		}
		sb_addc(&im->ctl, '\n');
		/* FedRAMP props: in the catalog, or added by the profile. */
		sb_init(&meth);
		core = prop_value(c, "CORE", 0);
		if ((core != NULL && strcmp(core, "true") == 0) ||
		    (profile_props(im->pf, id, "CORE", &meth) > 0 &&
			strcmp(meth.s, "true") == 0))
			sb_adds(&im->ctl, "    core: true\n");
		meth.len = 0;
		nmeth = profile_props(im->pf, id, "method", &meth);
		if (nmeth == 0) {
			const struct doc_node *ps = doc_get(c, "props"), *p;

			for (i = 0; ps != NULL && ps->type == DOC_SEQ &&
			     i < ps->u.seq.n;
			     i++) {
				p = ps->u.seq.items[i];
				if (str_of(p, "name") == NULL ||
				    strcmp(str_of(p, "name"), "method") != 0 ||
				    str_of(p, "value") == NULL)
					continue;
				if (nmeth++ > 0)
					sb_addc(&meth, ',');
				sb_adds(&meth, str_of(p, "value"));
			}
		}
		if (nmeth == 1) {
			sb_adds(&im->ctl, "    method: ");
			yaml_str(&im->ctl, meth.s);
			sb_addc(&im->ctl, '\n');
		} else if (nmeth > 1) {
			char *s = meth.s, *comma;

			sb_adds(&im->ctl, "    method: [");
			for (; s != NULL; s = comma) {
				if ((comma = strchr(s, ',')) != NULL)
					*comma++ = '\0';
				yaml_str(&im->ctl, s);
				if (comma != NULL)
					sb_adds(&im->ctl, ", ");
			}
			sb_adds(&im->ctl, "]\n");
		}
		sb_free(&meth);
		sb_init(&t);
		statement(im, c, &t);
		if (t.len > 0) {
			sb_adds(&im->ctl, "    statement: ");
			yaml_block(&im->ctl, t.s, 6);
		}
		sb_free(&t);
		emit_params(im, c);
	}
	cs = doc_get(c, "controls");
	for (i = 0; cs != NULL && cs->type == DOC_SEQ && i < cs->u.seq.n; i++)
		if (emit_control(im, cs->u.seq.items[i], kids) == -1)
			return -1;
	return 0;
}

/* One group (family), streamed. */
static int
on_group(void *ctx, struct doc_node *g, struct arena *a)
{
	struct imp *im = ctx;
	const struct doc_node *cs;
	char fam[32];
	const char *gid;
	size_t i, n;

	if ((gid = str_of(g, "id")) == NULL)
		return diag_err(im->d, &g->mark, "group without an 'id'");
	if (doc_get(g, "groups") != NULL)
		return diag_err(im->d, &doc_get(g, "groups")->mark,
		    "nested groups are not supported");
	n = strlen(gid);
	if (n >= sizeof(fam))
		return diag_err(im->d, &g->mark, "group id too long");
	for (i = 0; i <= n; i++)
		fam[i] = (char)toupper((unsigned char)gid[i]);
	im->family = fam;
	im->family_controls = 0;
	im->refs = NULL;
	im->nrefs = 0;
	cs = doc_get(g, "controls");
	for (i = 0; cs != NULL && cs->type == DOC_SEQ && i < cs->u.seq.n; i++)
		if (collect_params(im, a, cs->u.seq.items[i]) == -1)
			return -1;
	for (i = 0; cs != NULL && cs->type == DOC_SEQ && i < cs->u.seq.n; i++)
		if (emit_control(im, cs->u.seq.items[i], 0) == -1)
			return -1;
	if (im->family_controls > 0)
		im->st.families++;
	im->refs = NULL;
	im->family = NULL;
	if (im->ctl.oom || im->par.oom)
		return diag_sys(im->d, NULL, "out of memory");
	return 0;
}

/* The metadata pass: copy what we need, then stop the stream. */
static int
on_meta(void *ctx, struct doc_node *m, struct arena *a)
{
	struct imp *im = ctx;
	const char *t = str_of(m, "title"), *v = str_of(m, "version");

	(void)a;
	im->have_meta = 1;
	if (t != NULL && (im->title = arena_strdup(im->a, t)) == NULL)
		return diag_sys(im->d, NULL, "out of memory");
	if (v != NULL && (im->version = arena_strdup(im->a, v)) == NULL)
		return diag_sys(im->d, NULL, "out of memory");
	return -1; /* stop: the rest of the file is not needed */
}

static int
write_out(
    struct imp *im, const char *catalog, const char *out, const char *cat_sha)
{
	struct strbuf h;
	struct strbuf t;
	int rc;

	sb_init(&h);
	sb_adds(&h,
	    "# Generated by `rampart baseline import-oscal` from the "
	    "OSCAL file named\n# under `source`; regenerate with "
	    "`make baselines`, do not edit by hand.\n");
	sb_adds(&h, "id: ");
	yaml_str(&h, im->o->id);
	sb_init(&t);
	add_folded(&t,
	    im->o->title != NULL    ? im->o->title
		: im->title != NULL ? im->title
				    : im->o->id);
	sb_adds(&h, "\ntitle: ");
	yaml_str(&h, t.s != NULL ? t.s : "");
	sb_free(&t);
	sb_addc(&h, '\n');
	if (im->o->impact != NULL) {
		sb_adds(&h, "impact: ");
		yaml_str(&h, im->o->impact);
		sb_addc(&h, '\n');
	}
	sb_adds(&h, "source:\n  file: ");
	yaml_str(&h, base_name(catalog));
	sb_printf(&h, "\n  sha256: %s\n", cat_sha);
	if (im->version != NULL) {
		sb_adds(&h, "  version: ");
		yaml_str(&h, im->version);
		sb_addc(&h, '\n');
	}
	if (im->pf != NULL) {
		sb_adds(&h, "  profile: ");
		yaml_str(&h, base_name(im->pf->path));
		sb_printf(&h, "\n  profile_sha256: %s\n", im->pf->sha256);
	}
	if (im->o->mapping != NULL) {
		sb_adds(&h, "mapping: ");
		yaml_str(&h, im->o->mapping);
		sb_addc(&h, '\n');
	}
	if (im->par.len > 0) {
		sb_adds(&h, "parameters:\n");
		sb_add(&h, im->par.s, im->par.len);
	}
	sb_adds(&h, "controls:\n");
	if (im->ctl.len > 0)
		sb_add(&h, im->ctl.s, im->ctl.len);
	if (h.oom) {
		sb_free(&h);
		return diag_sys(im->d, NULL, "out of memory");
	}
	rc = atomic_write(im->d, out, h.s, h.len, 0644);
	sb_free(&h);
	return rc;
}

int
oscal_import(struct diag *d, const char *catalog, const struct oscal_opts *o,
    const char *out, struct oscal_stats *st)
{
	struct imp im;
	struct mark cm = { catalog, 0, 0 };
	char sha[SHA256_HEX_LEN + 1];
	size_t nerr, ngroups = 0, i, missing = 0, first = 0;
	struct strbuf ms;
	int rc = -1;

	memset(&im, 0, sizeof(im));
	im.d = d;
	im.o = o;
	sb_init(&im.ctl);
	sb_init(&im.par);
	if (o->id == NULL || !plain_ok(o->id))
		return diag_err(d, NULL,
		    "baseline id '%s' must be lowercase letters, digits, '-', "
		    "'.' or '_'",
		    o->id != NULL ? o->id : "");
	if ((im.a = arena_new()) == NULL)
		return diag_sys(d, NULL, "out of memory");
	if (sha256_file_hex(d, catalog, sha) == -1)
		goto out;
	if (o->profile != NULL && load_profile(&im, o->profile) == -1)
		goto out;
	nerr = d->nerrors;
	if (doc_stream_file(d, catalog, DOC_FMT_AUTO, "catalog.metadata", NULL,
		on_meta, &im, NULL) == -1 &&
	    (!im.have_meta || d->nerrors != nerr)) {
		if (!im.have_meta)
			diag_note(d, &cm,
			    "not an OSCAL catalog? (a profile is given with "
			    "--profile, next to its catalog)");
		goto out;
	}
	if (doc_stream_file(d, catalog, DOC_FMT_AUTO, "catalog.groups[*]", NULL,
		on_group, &im, &ngroups) == -1)
		goto out;
	if (ngroups == 0) {
		diag_err(d, &cm,
		    "no 'catalog.groups' in this file: not an OSCAL catalog "
		    "(a profile must be given with --profile)");
		goto out;
	}
	if (im.pf != NULL) {
		sb_init(&ms);
		for (i = 0; i < im.pf->ninc; i++) {
			if (im.pf->inc_seen[i])
				continue;
			if (missing == 0)
				first = i;
			if (missing++ < MISSING_LISTED)
				sb_printf(&ms, "%s'%s'",
				    missing > 1 ? ", " : "",
				    im.pf->inc[i]->str);
		}
		if (missing > 0) {
			diag_err(d, &im.pf->inc[first]->mark,
			    "profile '%s' includes %zu control%s the catalog "
			    "does not contain: %s%s",
			    base_name(im.pf->path), missing,
			    missing == 1 ? "" : "s", ms.s ? ms.s : "",
			    missing > MISSING_LISTED ? ", ..." : "");
			sb_free(&ms);
			goto out;
		}
		sb_free(&ms);
	}
	if (im.st.controls == 0) {
		diag_err(d, &cm, "no control selected: nothing to import");
		goto out;
	}
	if (write_out(&im, catalog, out, sha) == -1)
		goto out;
	if (st != NULL)
		*st = im.st;
	rc = 0;
out:
	sb_free(&im.ctl);
	sb_free(&im.par);
	arena_free(im.a);
	return rc;
}
