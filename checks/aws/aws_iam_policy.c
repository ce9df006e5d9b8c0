/*
 * aws_iam_policy.c: policy documents (S3 bucket `Policy`, IAM policy
 * `PolicyVersion.Document` or Config's `PolicyVersionList`), whether an
 * object, a JSON string or URL-encoded JSON as the IAM API returns it.
 *
 * Fails on
 *  - an Allow to everyone (Principal "*", {"AWS": "*"}, or NotPrincipal)
 *    without a restricting condition (docs/plugins.md lists the keys);
 *  - for IAM policies, an Allow of Action "*" on Resource "*" (admin);
 *  - with require_secure_transport, the absence of a Deny to everyone of
 *    all actions under Bool {"aws:SecureTransport": "false"}.
 * NotAction and NotPrincipal are treated as broad (conservative).
 */
#include <strings.h>
#include <string.h>

#include "checks/aws/aws.h"
#include "checks/sources/sources.h"

/*
 * A pass records the Statement it read when it has at most this many
 * statements, else the Allow statements it judged (and the TLS Deny),
 * up to this many.
 */
#define PASS_EVIDENCE 16

/* Condition keys that limit who can use an Allow to "*". */
static const char *const restricting_keys[] = {
	"aws:PrincipalAccount",
	"aws:PrincipalArn",
	"aws:PrincipalOrgID",
	"aws:PrincipalOrgPaths",
	"aws:SourceAccount",
	"aws:SourceArn",
	"aws:SourceIp",
	"aws:SourceOrgID",
	"aws:SourceOrgPaths",
	"aws:SourceVpc",
	"aws:SourceVpce",
	"aws:userid",
	"aws:username",
	NULL,
};

/* Call fn on each string of a string-or-list node; 1 if any returns 1. */
static int
any_str(const struct doc_node *n, int (*fn)(const char *))
{
	size_t i;

	if (n == NULL)
		return 0;
	if (n->type == DOC_STRING)
		return fn(n->str);
	if (n->type == DOC_SEQ)
		for (i = 0; i < n->u.seq.n; i++)
			if (doc_str(n->u.seq.items[i]) != NULL &&
			    fn(n->u.seq.items[i]->str))
				return 1;
	return 0;
}

static int
is_star(const char *s)
{
	return strcmp(s, "*") == 0;
}

static int
is_all_actions(const char *s)
{
	return strcmp(s, "*") == 0 || strcmp(s, "*:*") == 0;
}

static int
is_all_s3_actions(const char *s)
{
	return is_all_actions(s) || strcasecmp(s, "s3:*") == 0;
}

/* Whether a principal node means everyone. */
static int
principal_everyone(const struct doc_node *p)
{
	if (p == NULL)
		return 0;
	if (p->type == DOC_STRING)
		return is_star(p->str);
	return any_str(doc_get(p, "AWS"), is_star) ||
	    any_str(doc_get(p, "CanonicalUser"), is_star);
}

static int
is_wild_value(const char *s)
{
	return strcmp(s, "*") == 0 || strcmp(s, "0.0.0.0/0") == 0 ||
	    strcmp(s, "::/0") == 0 || strcmp(s, "") == 0;
}

/*
 * Whether a Condition limits an Allow: a positive operator (no "Not",
 * no "IfExists") on a restricting key with no wildcard value.
 */
static int
condition_restricts(const struct doc_node *cond)
{
	const struct doc_node *op, *vals;
	const char *opname, *key;
	size_t i, j, k;

	if (cond == NULL || cond->type != DOC_MAP)
		return 0;
	for (i = 0; i < cond->u.map.n; i++) {
		opname = cond->u.map.pairs[i].key->str;
		op = cond->u.map.pairs[i].val;
		if (strstr(opname, "Not") != NULL ||
		    strstr(opname, "IfExists") != NULL ||
		    strcmp(opname, "Null") == 0 || op->type != DOC_MAP)
			continue;
		for (j = 0; j < op->u.map.n; j++) {
			key = op->u.map.pairs[j].key->str;
			vals = op->u.map.pairs[j].val;
			for (k = 0; restricting_keys[k] != NULL; k++)
				if (strcasecmp(key, restricting_keys[k]) == 0)
					break;
			if (restricting_keys[k] == NULL)
				continue;
			if (vals->type == DOC_STRING &&
			    !is_wild_value(vals->str))
				return 1;
			if (vals->type == DOC_SEQ && vals->u.seq.n > 0 &&
			    !any_str(vals, is_wild_value))
				return 1;
		}
	}
	return 0;
}

/* Whether a Deny statement enforces TLS for everyone on all actions. */
static int
denies_insecure_transport(const struct doc_node *st)
{
	const struct doc_node *b, *v;
	const char *s;
	size_t i;

	s = doc_str(doc_get(st, "Effect"));
	if (s == NULL || strcmp(s, "Deny") != 0)
		return 0;
	if (!principal_everyone(doc_get(st, "Principal")))
		return 0;
	if (!any_str(doc_get(st, "Action"), is_all_s3_actions))
		return 0;
	b = doc_get(doc_get(st, "Condition"), "Bool");
	if (b == NULL || b->type != DOC_MAP)
		return 0;
	for (i = 0; i < b->u.map.n; i++) {
		if (strcasecmp(
			b->u.map.pairs[i].key->str, "aws:SecureTransport") != 0)
			continue;
		v = b->u.map.pairs[i].val;
		if (v->type == DOC_SEQ && v->u.seq.n == 1)
			v = v->u.seq.items[0];
		if ((v->type == DOC_BOOL && !v->u.b) ||
		    (doc_str(v) != NULL && strcasecmp(v->str, "false") == 0))
			return 1;
	}
	return 0;
}

/*
 * The policy document as a tree.  *path receives the attribute path read.
 * NULL with *why when it is absent or unreadable; *absent is set when the
 * export says the resource has no policy (NotConfigured).
 */
static const struct doc_node *
get_document(struct arena *a, const struct resource *r, const char **path,
    const char **why, int *absent)
{
	const struct doc_node *d, *pvl, *v;
	char *dec;
	size_t i, n;

	*absent = 0;
	*why = NULL;
	if ((d = doc_get(r->attrs, "Policy")) != NULL ||
	    doc_get(doc_get(r->attrs, SRC_NOT_CONFIGURED), "Policy") != NULL) {
		*path = "Policy";
		if (d == NULL || d->type == DOC_NULL) {
			*absent = 1;
			return NULL;
		}
	} else if ((d = doc_get(doc_get(r->attrs, "PolicyVersion"),
			"Document")) != NULL) {
		*path = "PolicyVersion.Document";
	} else if ((pvl = doc_get(r->attrs, "PolicyVersionList")) != NULL) {
		*path = "PolicyVersionList[default].Document";
		for (i = 0; pvl->type == DOC_SEQ && i < pvl->u.seq.n; i++) {
			v = doc_get(pvl->u.seq.items[i], "IsDefaultVersion");
			if (v != NULL && v->type == DOC_BOOL && v->u.b)
				d = doc_get(pvl->u.seq.items[i], "Document");
		}
	} else if ((d = doc_get(r->attrs, "PolicyDocument")) != NULL) {
		*path = "PolicyDocument";
	} else {
		*path = "Policy";
	}
	if (d == NULL) {
		*why = "no policy document";
		return NULL;
	}
	if (d->type == DOC_STRING) {
		if (memchr(d->str, '%', d->len) != NULL && d->str[0] != '{') {
			struct doc_node *s;

			if ((dec = url_decode(d->str, d->len, &n)) == NULL) {
				*why = "the document is not valid URL encoding";
				return NULL;
			}
			s = doc_new_string(a, dec, n, &d->mark);
			lib_free(dec);
			if (s == NULL) {
				*why = "out of memory";
				return NULL;
			}
			d = s;
		}
		d = src_parse_json_string(a, d, why);
	}
	if (d != NULL && d->type != DOC_MAP) {
		*why = "the document is not a JSON object";
		return NULL;
	}
	return d;
}

static int
ip_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *doc, *stmts, *st, *p, *tls;
	const char *path, *why, *eff, *first = NULL;
	struct arena *tmp = NULL;
	char ev[128];
	size_t i, n, nbad = 0, tls_at = 0, nev;
	int absent, iam, require_tls, has_tls = 0, rc;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	tls = check_param(c, "require_secure_transport");
	require_tls = tls != NULL && tls->type == DOC_BOOL && tls->u.b;
	iam = strncmp(r->type, "AWS::IAM::", 10) == 0;
	if ((tmp = arena_new()) == NULL)
		return diag_err(check_diag(c), NULL, "out of memory");
	doc = get_document(tmp, r, &path, &why, &absent);
	if (doc == NULL) {
		if (absent) {
			check_evidence(c, path, doc_get(r->attrs, "Policy"));
			if (require_tls)
				rc = check_emit(c, r, ST_FAIL,
				    "no policy, so no Deny of "
				    "aws:SecureTransport false");
			else
				rc = check_emit(c, r, ST_PASS,
				    "no policy: nothing is granted to "
				    "everyone");
		} else {
			check_evidence(c, path, NULL);
			rc = check_emit(c, r, ST_ERROR, "'%s': %s", path,
			    why != NULL ? why : "unreadable");
		}
		goto out;
	}
	stmts = doc_get(doc, "Statement");
	if (stmts == NULL ||
	    (stmts->type != DOC_MAP && stmts->type != DOC_SEQ)) {
		check_evidence(c, path, doc);
		rc = check_emit(c, r, ST_ERROR,
		    "policy document has no 'Statement' object or list");
		goto out;
	}
	n = stmts->type == DOC_SEQ ? stmts->u.seq.n : 1;
	for (i = 0; i < n; i++) {
		st = stmts->type == DOC_SEQ ? stmts->u.seq.items[i] : stmts;
		snprintf(ev, sizeof(ev), "%s.Statement[%zu]", path, i);
		eff = doc_str(doc_get(st, "Effect"));
		if (eff == NULL ||
		    (strcmp(eff, "Allow") != 0 && strcmp(eff, "Deny") != 0)) {
			check_evidence(c, ev, st);
			rc = check_emit(c, r, ST_ERROR,
			    "statement %zu has no Effect Allow or Deny", i);
			goto out;
		}
		if (!has_tls && denies_insecure_transport(st)) {
			has_tls = 1;
			tls_at = i;
		}
		if (strcmp(eff, "Allow") != 0)
			continue;
		p = doc_get(st, "Principal");
		if ((principal_everyone(p) ||
			doc_get(st, "NotPrincipal") != NULL) &&
		    !condition_restricts(doc_get(st, "Condition"))) {
			if (check_evidence(c, ev, st) != 0)
				goto fail;
			if (nbad++ == 0)
				first = arena_printf(check_arena(c),
				    "statement %zu allows everyone without a "
				    "restricting condition",
				    i);
			continue;
		}
		if (iam &&
		    (any_str(doc_get(st, "Action"), is_all_actions) ||
			doc_get(st, "NotAction") != NULL) &&
		    any_str(doc_get(st, "Resource"), is_star) &&
		    doc_get(st, "Condition") == NULL) {
			if (check_evidence(c, ev, st) != 0)
				goto fail;
			if (nbad++ == 0)
				first = arena_printf(check_arena(c),
				    "statement %zu allows every action on "
				    "every resource (administrator access)",
				    i);
		}
	}
	if (nbad > 0) {
		rc = check_emit(c, r, ST_FAIL, "%s%s", first,
		    nbad > 1 ? " (and more statements)" : "");
		goto out;
	}
	if (require_tls && !has_tls) {
		check_evidence(c, path, doc);
		rc = check_emit(c, r, ST_FAIL,
		    "no Deny of all actions to everyone when "
		    "aws:SecureTransport is false");
		goto out;
	}
	/* What the pass rests on: the statements, or the ones judged. */
	snprintf(ev, sizeof(ev), "%s.Statement", path);
	if (n <= PASS_EVIDENCE) {
		if (check_evidence(c, ev, stmts) != 0)
			goto fail;
	} else {
		nev = 0;
		if (require_tls) {
			snprintf(
			    ev, sizeof(ev), "%s.Statement[%zu]", path, tls_at);
			if (check_evidence(c, ev, stmts->u.seq.items[tls_at]))
				goto fail;
			nev++;
		}
		for (i = 0; i < n && nev < PASS_EVIDENCE; i++) {
			st = stmts->u.seq.items[i];
			if (strcmp(doc_str(doc_get(st, "Effect")), "Allow") !=
			    0)
				continue;
			snprintf(ev, sizeof(ev), "%s.Statement[%zu]", path, i);
			if (check_evidence(c, ev, st) != 0)
				goto fail;
			nev++;
		}
	}
	rc = check_emit(c, r, ST_PASS, "%zu statements, none too broad%s", n,
	    require_tls ? "; insecure transport denied" : "");
	goto out;
fail:
	rc = -1;
out:
	arena_free(tmp);
	return rc;
}

static const char *const ip_types[] = { "AWS::IAM::Policy", "AWS::S3::Bucket",
	NULL };

static const struct plugin_param ip_params[] = {
	{ "require_secure_transport", DOC_BOOL, "false",
	    "fail unless a Deny covers aws:SecureTransport false" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin aws_iam_policy_plugin = {
	.name = "aws_iam_policy",
	.summary = "policy documents: public Allow without condition, admin "
		   "Allow, TLS-only bucket policy",
	.resource_types = ip_types,
	.params = ip_params,
	.evaluate = ip_evaluate,
};
