/*
 * schema.c: small helpers for validating the YAML files rules/ loads
 * (rule packs, baselines, POA&M), so each loader states its schema as a
 * table and lint reports every problem of a file at once.
 */
#include <fnmatch.h>
#include <string.h>

#include "rules/rules.h"

int
schema_check(struct diag *d, const struct doc_node *map,
    const struct field *fields, const char *what)
{
	const struct field *f;
	const struct doc_node *k, *v;
	size_t i;
	int rc = 0, found;

	if (map == NULL || map->type != DOC_MAP) {
		if (map == NULL)
			return diag_err(d, NULL, "expected a map for %s", what);
		return diag_err(d, &map->mark,
		    "expected a map for %s, found "
		    "%s",
		    what, doc_type_name(map->type));
	}
	for (i = 0; i < map->u.map.n; i++) {
		k = map->u.map.pairs[i].key;
		v = map->u.map.pairs[i].val;
		found = 0;
		for (f = fields; f->key != NULL; f++) {
			if (strcmp(f->key, k->str) != 0)
				continue;
			found = 1;
			if (f->type != DOC_NULL && v->type != f->type &&
			    !(f->type == DOC_FLOAT && v->type == DOC_INT) &&
			    !(f->type == DOC_SEQ && v->type == DOC_STRING))
				rc = diag_err(d, &v->mark,
				    "%s key '%s' must be "
				    "a %s, found %s",
				    what, k->str, doc_type_name(f->type),
				    doc_type_name(v->type));
			break;
		}
		if (!found)
			rc = diag_err(d, &k->mark, "unknown key '%s' in %s",
			    k->str, what);
	}
	for (f = fields; f->key != NULL; f++)
		if (f->required && doc_get(map, f->key) == NULL)
			rc = diag_err(d, &map->mark,
			    "%s is missing required "
			    "key '%s'",
			    what, f->key);
	return rc;
}

const char *
schema_str(const struct doc_node *map, const char *key)
{
	return doc_str(doc_get(map, key));
}

int
schema_strlist(struct arena *a, struct diag *d, const struct doc_node *n,
    const char ***out, size_t *nout)
{
	const char **v;
	size_t i, cnt;

	*out = NULL;
	*nout = 0;
	if (n == NULL)
		return 0;
	if (n->type == DOC_STRING) {
		if ((v = arena_alloc(a, sizeof(*v))) == NULL)
			return diag_sys(d, &n->mark, "out of memory");
		v[0] = n->str;
		*out = v;
		*nout = 1;
		return 0;
	}
	if (n->type != DOC_SEQ)
		return diag_err(d, &n->mark,
		    "expected a list of strings, "
		    "found %s",
		    doc_type_name(n->type));
	cnt = n->u.seq.n;
	if ((v = arena_alloc(a, (cnt + 1) * sizeof(*v))) == NULL)
		return diag_sys(d, &n->mark, "out of memory");
	for (i = 0; i < cnt; i++) {
		if (n->u.seq.items[i]->type != DOC_STRING)
			return diag_err(d, &n->u.seq.items[i]->mark,
			    "expected "
			    "a string, found %s",
			    doc_type_name(n->u.seq.items[i]->type));
		v[i] = n->u.seq.items[i]->str;
	}
	*out = v;
	*nout = cnt;
	return 0;
}

int
glob_match(const char *pattern, const char *s)
{
	return fnmatch(pattern, s, 0) == 0;
}
