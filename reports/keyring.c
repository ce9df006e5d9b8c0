/*
 * keyring.c: the file of trusted public keys that `rampart verify
 * --keyring` looks signers up in.  The format is described in
 * docs/signing.md.  Every entry's id is recomputed from its key, so a
 * keyring cannot bind a name to a key it does not hold.
 */
#include <string.h>

#include "reports/sign.h"
#include "rules/rules.h"

/*
 * The keys an entry may have.  Checked like a POA&M file: an unknown key
 * is an error with its position, so a misspelled revocation can never be
 * a silent no-op.  Types are checked by load_entry() with messages of its
 * own, so any type passes here.
 */
static const struct field entry_fields[] = {
	{ "id", DOC_NULL, 1 },
	{ "name", DOC_NULL, 0 },
	{ "algorithm", DOC_NULL, 0 },
	{ "pem", DOC_NULL, 0 },
	{ "path", DOC_NULL, 0 },
	{ "not_before", DOC_NULL, 0 },
	{ "retired_at", DOC_NULL, 0 },
	{ "revoked_at", DOC_NULL, 0 },
	{ NULL, DOC_NULL, 0 },
};

static const struct field file_fields[] = {
	{ "keys", DOC_SEQ, 1 },
	{ NULL, DOC_NULL, 0 },
};

/* What a likely misspelling of a validity field meant. */
static const struct {
	const char *typo, *meant;
} entry_typos[] = {
	{ "expires", "retired_at" },
	{ "expires_at", "retired_at" },
	{ "not_after", "retired_at" },
	{ "notafter", "retired_at" },
	{ "notbefore", "not_before" },
	{ "retired", "retired_at" },
	{ "revoked", "revoked_at" },
	{ "valid_from", "not_before" },
	{ "valid_until", "retired_at" },
};

/* Check e's keys; a note says what a known misspelling meant. */
static int
entry_schema(struct diag *d, const struct doc_node *e)
{
	const struct doc_node *k;
	size_t i, j;
	int rc;

	rc = schema_check(d, e, entry_fields, "keyring entry");
	if (rc == 0)
		return 0;
	for (i = 0; i < e->u.map.n; i++) {
		k = e->u.map.pairs[i].key;
		for (j = 0; j < sizeof(entry_typos) / sizeof(entry_typos[0]);
		     j++)
			if (strcmp(k->str, entry_typos[j].typo) == 0)
				diag_note(d, &k->mark,
				    "did you mean '%s'? (see docs/signing.md)",
				    entry_typos[j].meant);
	}
	return -1;
}

/* Optional time field: 0 when absent, -1 on a bad value. */
static int
entry_time(
    struct diag *d, const struct doc_node *e, const char *key, int64_t *out)
{
	const struct doc_node *n = doc_get(e, key);
	struct time_error err;
	int64_t t;

	*out = 0;
	if (n == NULL || n->type == DOC_NULL)
		return 0;
	if (n->type != DOC_STRING)
		return diag_err(d, &n->mark,
		    "'%s' must be an RFC 3339 date-time such as "
		    "'2026-01-02T03:04:05Z', found %s '%s'",
		    key, doc_type_name(n->type), n->str ? n->str : "");
	if (time_parse(n->str, n->len, TIME_ANY, &t, &err) == -1)
		return diag_err(d, &n->mark,
		    "'%s' must be an RFC 3339 date-time such as "
		    "'2026-01-02T03:04:05Z': '%s': %s",
		    key, n->str, err.why);
	/* 0 means "not set" in struct keyring_entry. */
	if (t <= 0)
		return diag_err(d, &n->mark,
		    "'%s' '%s' is not after 1970-01-01T00:00:00Z", key, n->str);
	*out = t;
	return 0;
}

/* Directory part of path ("." when none), in the arena. */
static char *
dir_of(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return arena_strdup(a, ".");
	if (slash == path)
		return arena_strdup(a, "/");
	return arena_strndup(a, path, (size_t)(slash - path));
}

static int
load_entry(struct diag *d, struct keyring *kr, const char *dir,
    const struct doc_node *e, struct keyring_entry *out)
{
	const struct doc_node *idn, *pemn, *pathn, *algn, *namen;
	const char *id, *s, *file;
	enum key_alg alg;

	if (e->type != DOC_MAP)
		return diag_err(d, &e->mark, "a keyring entry must be a map");
	out->mark = e->mark;
	if (entry_schema(d, e) == -1)
		return -1;
	idn = doc_get(e, "id");
	if (idn == NULL)
		return diag_err(d, &e->mark, "keyring entry needs an 'id'");
	/*
	 * An unquoted id made of digits is a YAML or JSON number: say so,
	 * rather than that the id is missing.
	 */
	if (idn->type == DOC_INT || idn->type == DOC_FLOAT)
		return diag_err(d, &idn->mark,
		    "keyring entry id %s is a number, not a string: a key id "
		    "is the key's sha256 in hex (rampart keygen prints it); "
		    "quote it as '%s'",
		    idn->str, idn->str);
	if ((id = doc_plain_str(idn)) == NULL)
		return diag_err(d, &idn->mark,
		    "keyring entry id must be a string of hex digits, not %s",
		    idn->type == DOC_STRING ? "a string with a NUL byte"
					    : doc_type_name(idn->type));
	out->id = id;
	namen = doc_get(e, "name");
	if (namen != NULL && (out->name = doc_plain_str(namen)) == NULL)
		return diag_err(d, &namen->mark, "'name' must be a string");
	pemn = doc_get(e, "pem");
	pathn = doc_get(e, "path");
	if ((pemn == NULL) == (pathn == NULL))
		return diag_err(d, &e->mark,
		    "keyring entry '%s' needs exactly one of 'pem' and "
		    "'path'",
		    id);
	if (pemn != NULL) {
		if (doc_str(pemn) == NULL)
			return diag_err(
			    d, &pemn->mark, "'pem' must be a string");
		out->key = key_public_from_pem(d,
		    pemn->mark.file ? pemn->mark.file : "keyring", pemn->str,
		    pemn->len);
	} else {
		if ((s = doc_plain_str(pathn)) == NULL || s[0] == '\0')
			return diag_err(
			    d, &pathn->mark, "'path' must be a file name");
		file = s[0] == '/' ? s : arena_printf(kr->a, "%s/%s", dir, s);
		if (file == NULL)
			return diag_sys(d, &pathn->mark, "out of memory");
		out->key = key_load_public(d, file);
	}
	if (out->key == NULL)
		return diag_err(d, &e->mark, "keyring entry '%s': bad key", id);
	if (strcmp(out->key->id, id) != 0)
		return diag_err(d, &idn->mark,
		    "keyring entry id '%s' does not match its key, whose id "
		    "is '%s'",
		    id, out->key->id);
	if ((algn = doc_get(e, "algorithm")) != NULL) {
		if ((s = doc_plain_str(algn)) == NULL ||
		    key_alg_parse(s, &alg) == -1)
			return diag_err(d, &algn->mark,
			    "'algorithm' must be 'ecdsa-p256' or 'ed25519'");
		if (alg != out->key->alg)
			return diag_err(d, &algn->mark,
			    "keyring entry '%s' says '%s' but its key is '%s'",
			    id, s, key_alg_name(out->key->alg));
	}
	if (entry_time(d, e, "not_before", &out->not_before) == -1 ||
	    entry_time(d, e, "retired_at", &out->retired_at) == -1 ||
	    entry_time(d, e, "revoked_at", &out->revoked_at) == -1)
		return -1;
	return 0;
}

struct keyring *
keyring_load(struct diag *d, const char *path)
{
	struct keyring *kr = NULL;
	struct doc_node *root;
	const struct doc_node *list;
	const char *dir;
	size_t i, j, n0 = d->nerrors;
	struct mark m = { path, 0, 0 };

	if ((kr = lib_calloc(1, sizeof(*kr))) == NULL ||
	    (kr->a = arena_new()) == NULL) {
		diag_sys(d, &m, "out of memory");
		goto fail;
	}
	if ((root = doc_load_one(kr->a, d, path, DOC_FMT_AUTO, NULL)) == NULL)
		goto fail;
	if (root->type == DOC_MAP &&
	    schema_check(d, root, file_fields, "keyring") == -1)
		goto fail;
	list = root->type == DOC_MAP ? doc_get(root, "keys") : root;
	if (list == NULL || list->type != DOC_SEQ) {
		diag_err(d, &root->mark,
		    "a keyring is a list of keys or a map with a 'keys' list");
		goto fail;
	}
	if ((dir = dir_of(kr->a, path)) == NULL ||
	    (kr->v = arena_alloc(kr->a,
		 (list->u.seq.n ? list->u.seq.n : 1) * sizeof(*kr->v))) ==
		NULL) {
		diag_sys(d, &m, "out of memory");
		goto fail;
	}
	for (i = 0; i < list->u.seq.n; i++) {
		if (load_entry(d, kr, dir, list->u.seq.items[i], &kr->v[i]) ==
		    -1) {
			kr->n = i + 1;
			goto fail;
		}
		kr->n = i + 1;
		/*
		 * Unique by key, not by id string: the same key written
		 * twice (say once with a compressed point) must not become
		 * two entries with different names or validity.
		 */
		for (j = 0; j < i; j++)
			if (EVP_PKEY_eq(
				kr->v[j].key->pkey, kr->v[i].key->pkey) == 1 ||
			    strcmp(kr->v[j].id, kr->v[i].id) == 0) {
				diag_err(d, &kr->v[i].mark,
				    "duplicate key in keyring: entry '%s' "
				    "holds "
				    "the key of the entry at line %u",
				    kr->v[i].id, kr->v[j].mark.line);
				goto fail;
			}
	}
	if (kr->n == 0) {
		diag_err(d, &root->mark, "the keyring holds no keys");
		goto fail;
	}
	return kr;
fail:
	if (d->nerrors == n0)
		diag_err(d, &m, "cannot load keyring");
	keyring_free(kr);
	return NULL;
}

void
keyring_free(struct keyring *kr)
{
	size_t i;

	if (kr == NULL)
		return;
	for (i = 0; i < kr->n; i++)
		key_free(kr->v[i].key);
	arena_free(kr->a);
	lib_free(kr);
}

const struct keyring_entry *
keyring_find(const struct keyring *kr, const char *id)
{
	size_t i;

	if (kr == NULL || id == NULL)
		return NULL;
	for (i = 0; i < kr->n; i++)
		if (strcmp(kr->v[i].id, id) == 0)
			return &kr->v[i];
	return NULL;
}

int
keyring_entry_bounded(const struct keyring_entry *ke)
{
	return ke != NULL &&
	    (ke->not_before != 0 || ke->retired_at != 0 || ke->revoked_at != 0);
}
