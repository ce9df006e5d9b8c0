/*
 * aws_iam_policy.c: policy documents (S3 bucket `Policy`, IAM policy
 * `PolicyVersion.Document` or Config's `PolicyVersionList`), whether an
 * object, a JSON string or URL-encoded JSON as the IAM API returns it,
 * evaluated as AWS evaluates them (docs/plugins.md states every rule):
 *
 *  - an Allow to everyone (Principal "*", {"AWS": "*"}, a list holding
 *    "*", or NotPrincipal) fails unless one condition really restricts
 *    it: a positive operator (not Not..., not ...IfExists, not
 *    ForAllValues:) on a key that names who or where the caller is, with
 *    values that are not wildcards and (aws:SourceIp) whose union is not
 *    the whole IPv4 or IPv6 space;
 *  - for IAM policies, an Allow of every action (`*`, `**`, `*:*`,
 *    NotAction) on every resource (`*`, `arn:*`, `arn:aws:*:*:*:*`,
 *    NotResource) fails as administrator access; a condition on such a
 *    statement is named in the message, never taken as an exemption;
 *  - with require_secure_transport, a bucket policy passes only with a
 *    Deny to everyone of every S3 action on the bucket and its objects
 *    whose only condition is Bool or BoolIfExists aws:SecureTransport
 *    false;
 *  - the evaluated IAM version is the default one named by the listing;
 *    another version, or two versions marked default, is `error`.
 *
 * Condition operators compare case-sensitively (an operator spelled
 * otherwise is unknown, and an unknown operator never restricts an Allow
 * nor counts as a TLS Deny); condition keys compare case-insensitively,
 * as AWS documents.
 */
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "checks/aws/aws.h"
#include "lib/cidr.h"
#include "checks/sources/sources.h"

/*
 * A pass records the Statement it read when it has at most this many
 * statements, else the Allow statements it judged (and the TLS Deny),
 * up to this many.
 */
#define PASS_EVIDENCE 16

/* Longest wildcard pattern matched (longer ones: see glob_states). */
#define PATTERN_MAX 1024

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

/*
 * Partitions a bucket ARN may name.  The policy is attached to the
 * bucket, and AWS refuses a policy naming another partition, so the
 * bucket's own partition need not be known.
 */
static const char *const partitions[] = {
	"aws",
	"aws-cn",
	"aws-eusc",
	"aws-iso",
	"aws-iso-b",
	"aws-iso-e",
	"aws-iso-f",
	"aws-us-gov",
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

/* Whether n is absent, a string, or a list of strings only. */
static int
str_or_list(const struct doc_node *n)
{
	size_t i;

	if (n == NULL || n->type == DOC_STRING)
		return 1;
	if (n->type != DOC_SEQ)
		return 0;
	for (i = 0; i < n->u.seq.n; i++)
		if (n->u.seq.items[i]->type != DOC_STRING)
			return 0;
	return 1;
}

static int
is_star(const char *s)
{
	return strcmp(s, "*") == 0;
}

/*
 * Whether s is made of wildcards only: at least one '*', any number of
 * '*' and at most maxq '?'.  Such a pattern matches every string of at
 * least maxq characters.
 */
static int
wild_span(const char *s, size_t len, int maxq)
{
	size_t i;
	int stars = 0, q = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '*')
			stars++;
		else if (s[i] == '?')
			q++;
		else
			return 0;
	}
	return stars > 0 && q <= maxq;
}

static int
wild_tail(const char *s, int maxq)
{
	return wild_span(s, strlen(s), maxq);
}

static int
chr_eq(char a, char b, int ci)
{
	if (ci && a >= 'A' && a <= 'Z')
		a = (char)(a - 'A' + 'a');
	if (ci && b >= 'A' && b <= 'Z')
		b = (char)(b - 'A' + 'a');
	return a == b;
}

/*
 * Run the wildcard pattern p ('*' any run, '?' one character) over the
 * text t as a set of positions in p (no backtracking, so no blow-up on
 * "*a*a*a..."); st[i] is 1 when p[i..] may still match what follows t.
 * -1 when p is longer than PATTERN_MAX: the caller decides on the safe
 * side.
 */
static int
glob_states(const char *p, const char *t, int ci, unsigned char *st)
{
	unsigned char nx[PATTERN_MAX + 1];
	size_t m = strlen(p), i;

	if (m > PATTERN_MAX)
		return -1;
	memset(st, 0, m + 1);
	st[0] = 1;
	for (;;) {
		/* A star may match nothing: close over it. */
		for (i = 0; i < m; i++)
			if (st[i] && p[i] == '*')
				st[i + 1] = 1;
		if (*t == '\0')
			break;
		memset(nx, 0, m + 1);
		for (i = 0; i < m; i++) {
			if (!st[i])
				continue;
			if (p[i] == '*')
				nx[i] = 1;
			else if (p[i] == '?' || chr_eq(p[i], *t, ci))
				nx[i + 1] = 1;
		}
		memcpy(st, nx, m + 1);
		t++;
	}
	return 0;
}

/* Whether pattern p matches all of t; -1 when p is too long. */
static int
glob_match(const char *p, const char *t, int ci)
{
	unsigned char st[PATTERN_MAX + 1];

	if (glob_states(p, t, ci, st) != 0)
		return -1;
	return st[strlen(p)];
}

/*
 * Whether p matches every string that starts with prefix and goes on
 * with at least one character: some way of reading prefix leaves a
 * wildcard-only rest.  rest_ok judges that rest (NULL: wild_tail(1)).
 * -1 when p is too long.
 */
static int
glob_covers(
    const char *p, const char *prefix, int ci, int (*rest_ok)(const char *))
{
	unsigned char st[PATTERN_MAX + 1];
	size_t i, m = strlen(p);

	if (glob_states(p, prefix, ci, st) != 0)
		return -1;
	for (i = 0; i <= m; i++)
		if (st[i] &&
		    (rest_ok != NULL ? rest_ok(p + i) : wild_tail(p + i, 1)))
			return 1;
	return 0;
}

/*
 * Whether an Action pattern matches every action ("service:name",
 * service at least 2 characters, name at least 1).  Too long a pattern
 * counts as matching everything (the admin test errs towards fail).
 */
static int
action_is_all(const char *p)
{
	const char *colon = strchr(p, ':');

	if (strlen(p) > PATTERN_MAX)
		return 1;
	if (colon == NULL)
		return wild_tail(p, 4);
	if (strchr(colon + 1, ':') != NULL)
		return 0;
	return wild_span(p, (size_t)(colon - p), 2) && wild_tail(colon + 1, 1);
}

/* Whether an Action pattern matches every S3 action ("s3:" anything). */
static int
action_is_all_s3(const char *p)
{
	return glob_covers(p, "s3:", 1, NULL) == 1;
}

/*
 * Whether an Action pattern matches every IAM action: whoever may call
 * them all on every resource can grant itself anything else.
 */
static int
action_is_all_iam(const char *p)
{
	return glob_covers(p, "iam:", 1, NULL) != 0;
}

/*
 * After "arn:", whether the rest of a Resource pattern matches every
 * "partition:service:region:account:resource": each colon-separated
 * field is stars only (a star spans colons too), except a literal
 * partition name (the account lives in one partition).
 */
static int
arn_rest_all(const char *r)
{
	const char *f = r, *c;
	size_t len, nf = 0;
	int last_wild = 0;

	if (wild_tail(r, 0))
		return 1;
	for (;;) {
		c = strchr(f, ':');
		len = c != NULL ? (size_t)(c - f) : strlen(f);
		if (wild_span(f, len, 0))
			last_wild = 1;
		else if (nf == 0 && len >= 3 && strncmp(f, "aws", 3) == 0 &&
		    memchr(f, '*', len) == NULL && memchr(f, '?', len) == NULL)
			last_wild = 0;
		else
			return 0;
		nf++;
		if (c == NULL)
			break;
		f = c + 1;
	}
	if (nf > 5)
		return 0;
	return nf == 5 || last_wild;
}

/* Whether a Resource pattern matches every resource. */
static int
resource_is_all(const char *p)
{
	if (strlen(p) > PATTERN_MAX)
		return 1;
	if (wild_tail(p, 0))
		return 1;
	return glob_covers(p, "arn:", 0, arn_rest_all) == 1;
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

/* ------------------------------------------------- address unions */

/*
 * Whether aws:SourceIp values restrict: 1 when they do, 0 when their
 * union is the whole IPv4 or the whole IPv6 space (lib/cidr.c compares
 * address sets, never text: 0.0.0.0/1 plus 128.0.0.0/1 is everyone), or
 * when one is not an address (AWS would refuse the policy; we do not
 * guess), -1 on memory exhaustion.
 */
static int
source_ip_restricts(struct arena *a, const struct doc_node *vals)
{
	const struct doc_node *one[1];
	const struct doc_node *const *items;
	struct cidr *set, all;
	size_t n, i;

	if (vals->type == DOC_STRING) {
		one[0] = vals;
		items = one;
		n = 1;
	} else {
		items = (const struct doc_node *const *)vals->u.seq.items;
		n = vals->u.seq.n;
	}
	if ((set = arena_alloc(a, (n + 1) * sizeof(*set))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (doc_str(items[i]) == NULL ||
		    cidr_parse(items[i]->str, items[i]->len, 0, &set[i]) != 0)
			return 0;
	cidr_all(CIDR_V4, &all);
	if (cidr_union_covers(set, n, &all))
		return 0;
	cidr_all(CIDR_V6, &all);
	return !cidr_union_covers(set, n, &all);
}

/* ------------------------------------------------------ conditions */

static int
has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/*
 * Whether a *Like value for key matches (nearly) everyone: wildcards
 * only, an ARN whose account field is a wildcard, or an identifier whose
 * literal part before the first wildcard is only its type prefix
 * ("o-*", "vpce-*", "1*" is kept: it names some accounts only).
 */
static int
like_value_wild(const char *key, const char *v)
{
	/* Type prefixes of ids: "AIDA*" is every IAM user of every account. */
	static const char *const id_prefixes[] = { "o-", "ou-", "r-", "vpce-",
		"vpc-", "AIDA", "AROA", NULL };
	const char *w = strpbrk(v, "*?"), *f;
	size_t lit, i, acct;
	int field;

	if (w == NULL)
		return 0;
	if (strspn(v, "*?:/") == strlen(v))
		return 1;
	if (strcasecmp(key, "aws:PrincipalArn") == 0 ||
	    strcasecmp(key, "aws:SourceArn") == 0) {
		/* arn:partition:service:region:account:...; a wildcard
		 * before the account field may span it. */
		for (f = v, field = 0; field < 4; field++) {
			if ((f = strchr(f, ':')) == NULL || f > w)
				return 1;
			f++;
		}
		acct = strcspn(f, ":");
		if (memchr(f, '*', acct) != NULL ||
		    memchr(f, '?', acct) != NULL)
			return 1;
		/*
		 * An ARN without an account (S3: arn:aws:s3:::bucket)
		 * names no owner: a wildcard at the start of its resource
		 * ("arn:aws:s3:::*", "arn:aws:s3:::?*") is every bucket
		 * of every account.
		 */
		return acct == 0 && f[0] == ':' && (f[1] == '*' || f[1] == '?');
	}
	lit = (size_t)(w - v);
	if (lit == 0)
		return 1;
	for (i = 0; id_prefixes[i] != NULL; i++)
		if (lit <= strlen(id_prefixes[i]) &&
		    strncasecmp(v, id_prefixes[i], lit) == 0)
			return 1;
	return 0;
}

/*
 * Whether one operator/key/values triple of an Allow's Condition
 * restricts who can use it.  1 yes, 0 no, -1 out of memory.
 */
static int
triple_restricts(struct arena *a, const char *op, const char *key,
    const struct doc_node *vals)
{
	static const char *const equals[] = { "StringEquals",
		"StringEqualsIgnoreCase", "ArnEquals", NULL };
	static const char *const likes[] = { "StringLike", "ArnLike", NULL };
	const char *v;
	size_t i, k, n;
	int like = 0, ip;

	/* True when the key is absent: restricts nothing. */
	if (has_prefix(op, "ForAllValues:"))
		return 0;
	if (has_prefix(op, "ForAnyValue:"))
		op += strlen("ForAnyValue:");
	/* The key may be absent (anonymous, VPC endpoint, AWS service). */
	n = strlen(op);
	if (n >= 8 && strcmp(op + n - 8, "IfExists") == 0)
		return 0;
	for (k = 0; restricting_keys[k] != NULL; k++)
		if (strcasecmp(key, restricting_keys[k]) == 0)
			break;
	if (restricting_keys[k] == NULL)
		return 0;
	ip = strcasecmp(key, "aws:SourceIp") == 0;
	if (ip) {
		if (strcmp(op, "IpAddress") != 0)
			return 0;
	} else {
		for (i = 0; equals[i] != NULL; i++)
			if (strcmp(op, equals[i]) == 0)
				break;
		if (equals[i] == NULL) {
			for (i = 0; likes[i] != NULL; i++)
				if (strcmp(op, likes[i]) == 0)
					break;
			if (likes[i] == NULL)
				return 0; /* negated, Null, unknown */
			like = 1;
		}
	}
	if (vals->type != DOC_STRING &&
	    (vals->type != DOC_SEQ || vals->u.seq.n == 0 || !str_or_list(vals)))
		return 0;
	if (ip)
		return source_ip_restricts(a, vals);
	n = vals->type == DOC_SEQ ? vals->u.seq.n : 1;
	for (i = 0; i < n; i++) {
		v = vals->type == DOC_SEQ ? vals->u.seq.items[i]->str
					  : vals->str;
		if (v[0] == '\0' || is_star(v))
			return 0;
		if (like && like_value_wild(key, v))
			return 0;
	}
	return 1;
}

/*
 * Whether a Condition limits an Allow: one operator/key pair (they are
 * ANDed) that restricts.  1 yes, 0 no, -1 out of memory.
 */
static int
condition_restricts(struct arena *a, const struct doc_node *cond)
{
	const struct doc_node *op;
	size_t i, j;
	int rc;

	if (cond == NULL || cond->type != DOC_MAP)
		return 0;
	for (i = 0; i < cond->u.map.n; i++) {
		op = cond->u.map.pairs[i].val;
		if (op->type != DOC_MAP)
			continue;
		for (j = 0; j < op->u.map.n; j++) {
			rc = triple_restricts(a, cond->u.map.pairs[i].key->str,
			    op->u.map.pairs[j].key->str,
			    op->u.map.pairs[j].val);
			if (rc != 0)
				return rc;
		}
	}
	return 0;
}

/* "'Op key', 'Op key'" naming a Condition's tests, for messages. */
static const char *
condition_names(struct arena *a, const struct doc_node *cond)
{
	const struct doc_node *op;
	const char *out = "";
	size_t i, j;

	for (i = 0; i < cond->u.map.n && out != NULL; i++) {
		op = cond->u.map.pairs[i].val;
		if (op->type != DOC_MAP || op->u.map.n == 0) {
			out = arena_printf(a, "%s%s'%s'", out, *out ? ", " : "",
			    cond->u.map.pairs[i].key->str);
			continue;
		}
		for (j = 0; j < op->u.map.n && out != NULL; j++)
			out = arena_printf(a, "%s%s'%s %s'", out,
			    *out ? ", " : "", cond->u.map.pairs[i].key->str,
			    op->u.map.pairs[j].key->str);
	}
	return out != NULL ? out : "?";
}

/* --------------------------------------------------------- TLS Deny */

/* Whether a Bool value is false: JSON false, "false", or a list with one. */
static int
bool_false(const struct doc_node *v)
{
	size_t i;

	if (v->type == DOC_BOOL)
		return !v->u.b;
	if (v->type == DOC_STRING)
		return strcmp(v->str, "false") == 0;
	if (v->type == DOC_SEQ)
		for (i = 0; i < v->u.seq.n; i++)
			if (v->u.seq.items[i]->type != DOC_SEQ &&
			    bool_false(v->u.seq.items[i]))
				return 1;
	return 0;
}

/*
 * Whether a Deny's Condition is exactly "aws:SecureTransport is false"
 * under Bool or BoolIfExists.  0 when it does not test SecureTransport
 * at all; 1 when that is its only test; -1 when something else narrows
 * it (*extra names the first other test).
 */
static int
tls_condition(const struct doc_node *cond, const char **extra)
{
	const struct doc_node *op;
	const char *opname, *key;
	size_t i, j;
	int found = 0, other = 0;

	*extra = NULL;
	if (cond == NULL || cond->type != DOC_MAP)
		return 0;
	for (i = 0; i < cond->u.map.n; i++) {
		opname = cond->u.map.pairs[i].key->str;
		op = cond->u.map.pairs[i].val;
		if (op->type != DOC_MAP || op->u.map.n == 0) {
			other = 1;
			if (*extra == NULL)
				*extra = opname;
			continue;
		}
		for (j = 0; j < op->u.map.n; j++) {
			key = op->u.map.pairs[j].key->str;
			if ((strcmp(opname, "Bool") == 0 ||
				strcmp(opname, "BoolIfExists") == 0) &&
			    strcasecmp(key, "aws:SecureTransport") == 0 &&
			    bool_false(op->u.map.pairs[j].val)) {
				found = 1;
				continue;
			}
			other = 1;
			if (*extra == NULL)
				*extra = key;
		}
	}
	if (!found)
		return 0;
	return other ? -1 : 1;
}

/* What a TLS Deny covers: the bucket, its objects. */
#define TLS_BUCKET 1
#define TLS_OBJECTS 2

/*
 * Whether a Deny statement enforces TLS for everyone and every S3 action,
 * and on what: TLS_BUCKET and/or TLS_OBJECTS of bucket b, 0 when it does
 * not count at all.  Several statements may together cover both (one
 * for the bucket, one for its objects).  A statement that tests
 * SecureTransport but misses something leaves the reason in *why.
 */
static int
tls_deny(
    struct arena *a, const struct doc_node *st, const char *b, const char **why)
{
	const struct doc_node *res, *item;
	const char *extra = NULL, *pat;
	char arn[256], obj[256];
	size_t i, k, n;
	int rc, bucket = 0, objects = 0;

	*why = NULL;
	rc = tls_condition(doc_get(st, "Condition"), &extra);
	if (rc == 0)
		return 0;
	if (rc < 0) {
		*why = arena_printf(a,
		    "its condition also tests '%s', which narrows the Deny",
		    extra);
		return 0;
	}
	if (doc_get(st, "NotPrincipal") != NULL ||
	    !principal_everyone(doc_get(st, "Principal"))) {
		*why = "its Principal is not everyone (\"*\")";
		return 0;
	}
	if (doc_get(st, "NotAction") != NULL ||
	    !any_str(doc_get(st, "Action"), action_is_all_s3)) {
		*why = "its Action does not cover every S3 action ('s3:*')";
		return 0;
	}
	res = doc_get(st, "Resource");
	if (doc_get(st, "NotResource") != NULL || res == NULL) {
		*why = "it has no Resource (NotResource is not accepted)";
		return 0;
	}
	n = res->type == DOC_SEQ ? res->u.seq.n : 1;
	for (i = 0; i < n; i++) {
		item = res->type == DOC_SEQ ? res->u.seq.items[i] : res;
		if ((pat = doc_str(item)) == NULL)
			continue;
		for (k = 0; partitions[k] != NULL; k++) {
			/* Bucket names have at most 63 characters. */
			if ((size_t)snprintf(arn, sizeof(arn), "arn:%s:s3:::%s",
				partitions[k], b) >= sizeof(arn) ||
			    (size_t)snprintf(obj, sizeof(obj),
				"arn:%s:s3:::%s/", partitions[k],
				b) >= sizeof(obj))
				continue;
			if (glob_match(pat, arn, 0) == 1)
				bucket = 1;
			if (glob_covers(pat, obj, 0, NULL) == 1)
				objects = 1;
		}
	}
	if (!bucket || !objects)
		*why = arena_printf(a,
		    "its Resource does not cover 'arn:aws:s3:::%s%s'", b,
		    bucket ? "/*" : "");
	return (bucket ? TLS_BUCKET : 0) | (objects ? TLS_OBJECTS : 0);
}

/* ------------------------------------------------- the document */

/*
 * The default version's document in Config's PolicyVersionList, or
 * NULL with *why: the version DefaultVersionId names, which must be the
 * one (and only one) marked IsDefaultVersion.
 */
static const struct doc_node *
default_of_list(struct arena *a, const struct doc_node *attrs,
    const struct doc_node *pvl, const char **why)
{
	const struct doc_node *v, *e, *named = NULL, *marked = NULL;
	const char *def = doc_str(doc_get(attrs, "DefaultVersionId"));
	size_t i, nmarked = 0, nnamed = 0;

	if (pvl->type != DOC_SEQ) {
		*why = "'PolicyVersionList' is not a list";
		return NULL;
	}
	for (i = 0; i < pvl->u.seq.n; i++) {
		e = pvl->u.seq.items[i];
		v = doc_get(e, "IsDefaultVersion");
		/*
		 * A flag that is not a boolean ("true", null) cannot say
		 * which version AWS enforces: not skipped, refused.
		 */
		if (v != NULL && v->type != DOC_BOOL) {
			*why = arena_printf(a,
			    "version %zu's IsDefaultVersion is %s, not a "
			    "boolean",
			    i + 1, doc_type_name(v->type));
			return NULL;
		}
		if (v != NULL && v->u.b) {
			nmarked++;
			marked = e;
		}
		if (def != NULL && (v = doc_get(e, "VersionId")) != NULL &&
		    doc_str(v) != NULL && strcmp(v->str, def) == 0) {
			nnamed++;
			named = e;
		}
	}
	/* The same version twice (merged exports): which one is it? */
	if (nnamed > 1) {
		*why = arena_printf(a,
		    "%zu versions have the VersionId '%s' (DefaultVersionId)",
		    nnamed, def);
		return NULL;
	}
	if (nmarked > 1) {
		*why = arena_printf(
		    a, "%zu versions are marked IsDefaultVersion", nmarked);
		return NULL;
	}
	if (def != NULL && named == NULL) {
		*why = arena_printf(
		    a, "no version '%s' (DefaultVersionId) in the list", def);
		return NULL;
	}
	if (def != NULL && marked != NULL && marked != named) {
		*why = arena_printf(a,
		    "DefaultVersionId is '%s' but another version is marked "
		    "IsDefaultVersion",
		    def);
		return NULL;
	}
	if (named == NULL)
		named = marked;
	if (named == NULL) {
		*why = "no version is marked IsDefaultVersion";
		return NULL;
	}
	if ((v = doc_get(named, "Document")) == NULL)
		*why = "the default version has no Document";
	return v;
}

/*
 * Whether a get-policy-version output is the default version: its
 * VersionId must be the listing's DefaultVersionId, and it must not say
 * IsDefaultVersion false.  NULL when it is, else the reason.
 */
static const char *
not_default(struct arena *a, const struct doc_node *attrs)
{
	const struct doc_node *pv = doc_get(attrs, "PolicyVersion"), *v;
	const char *def = doc_str(doc_get(attrs, "DefaultVersionId"));
	const char *ver = doc_str(doc_get(pv, "VersionId"));

	v = doc_get(pv, "IsDefaultVersion");
	if (v != NULL && (v->type != DOC_BOOL || !v->u.b))
		return arena_printf(a,
		    "the exported version '%s' is not the default version "
		    "(IsDefaultVersion is not true)",
		    ver != NULL ? ver : "?");
	if (def == NULL)
		return NULL;
	if (ver == NULL)
		return arena_printf(a,
		    "the exported version has no VersionId to compare with the "
		    "default version '%s'",
		    def);
	if (strcmp(ver, def) != 0)
		return arena_printf(a,
		    "the exported version is '%s' but the listing names '%s' "
		    "as the default version",
		    ver, def);
	return NULL;
}

static int
is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
	    (ch >= 'A' && ch <= 'F');
}

/*
 * A document given as a string: JSON (leading white space allowed) or
 * URL-encoded JSON as the IAM API returns it.  NULL with *why.
 */
static const struct doc_node *
parse_string_document(
    struct arena *a, const struct doc_node *d, const char **why)
{
	struct doc_node *s;
	const char *p = d->str;
	char *dec;
	size_t n, i;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p == '\0') {
		*why = "the document is an empty string";
		return NULL;
	}
	if (*p == '%') {
		/* Name the first bad escape rather than fail vaguely. */
		for (i = (size_t)(p - d->str); i < d->len; i++) {
			if (d->str[i] != '%')
				continue;
			if (i + 2 >= d->len || !is_hex(d->str[i + 1]) ||
			    !is_hex(d->str[i + 2])) {
				*why = arena_printf(a,
				    "the document looks URL-encoded but has "
				    "an invalid escape at offset %zu",
				    i);
				return NULL;
			}
		}
		if ((dec = url_decode(p, d->len - (size_t)(p - d->str), &n)) ==
		    NULL) {
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
	} else if (*p != '{' && *p != '"') {
		*why = arena_printf(a,
		    "the document is neither JSON nor URL-encoded JSON (it "
		    "starts with '%c')",
		    *p);
		return NULL;
	}
	return src_parse_json_string(a, d, why);
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
	const struct doc_node *d, *pvl;

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
		if ((*why = not_default(a, r->attrs)) != NULL)
			return NULL;
	} else if ((pvl = doc_get(r->attrs, "PolicyVersionList")) != NULL) {
		*path = "PolicyVersionList[default].Document";
		if ((d = default_of_list(a, r->attrs, pvl, why)) == NULL)
			return NULL;
	} else if ((d = doc_get(r->attrs, "PolicyDocument")) != NULL) {
		*path = "PolicyDocument";
	} else {
		*path = "Policy";
	}
	if (d == NULL) {
		*why = "no policy document";
		return NULL;
	}
	if (d->type == DOC_STRING)
		d = parse_string_document(a, d, why);
	if (d != NULL && d->type != DOC_MAP) {
		*why = "the document is not a JSON object";
		return NULL;
	}
	return d;
}

/* ------------------------------------------------------ evaluation */

/* The bucket's name: the listing's Name, else the resource id. */
static const char *
bucket_name(const struct resource *r)
{
	const char *s = doc_str(doc_get(r->attrs, "Name"));

	return s != NULL ? s : r->id;
}

/* Statement i's shape problem, or NULL (also when out of memory). */
static const char *
shape_msg(struct arena *a, const struct doc_node *st, size_t i)
{
	static const char *const lists[] = { "Action", "NotAction", "Resource",
		"NotResource", NULL };
	const struct doc_node *cond;
	const char *eff;
	size_t k;

	if (st->type != DOC_MAP)
		return arena_printf(a, "statement %zu is not an object", i);
	eff = doc_str(doc_get(st, "Effect"));
	if (eff == NULL ||
	    (strcmp(eff, "Allow") != 0 && strcmp(eff, "Deny") != 0))
		return arena_printf(
		    a, "statement %zu has no Effect Allow or Deny", i);
	for (k = 0; lists[k] != NULL; k++)
		if (!str_or_list(doc_get(st, lists[k])))
			return arena_printf(a,
			    "statement %zu: '%s' is not a string or a list "
			    "of strings",
			    i, lists[k]);
	cond = doc_get(st, "Condition");
	if (cond != NULL && cond->type != DOC_MAP && cond->type != DOC_NULL)
		return arena_printf(a,
		    "statement %zu: 'Condition' is a %s, not an object", i,
		    doc_type_name(cond->type));
	return NULL;
}

/*
 * Statement i's shape problem, or NULL when it reads cleanly; a fixed
 * message when the precise one cannot be allocated (still an error).
 */
static const char *
bad_shape(struct arena *a, const struct doc_node *st, size_t i)
{
	static const char oom[] = "a statement is malformed (out of memory "
				  "while describing it)";
	const char *eff = doc_str(doc_get(st, "Effect"));
	const char *m = shape_msg(a, st, i);

	if (m != NULL)
		return m;
	/* shape_msg returns NULL for a clean statement, or on OOM. */
	if (st->type != DOC_MAP || eff == NULL ||
	    (strcmp(eff, "Allow") != 0 && strcmp(eff, "Deny") != 0))
		return oom;
	return NULL;
}

/*
 * Whether an Allow statement grants every action on every resource:
 * then *msg names it (with its condition, if any).
 */
static int
admin_statement(
    struct arena *a, const struct doc_node *st, size_t i, const char **msg)
{
	const struct doc_node *cond = doc_get(st, "Condition");
	const char *what, *on;

	if (doc_get(st, "NotAction") != NULL)
		what = "every action but those in NotAction";
	else if (any_str(doc_get(st, "Action"), action_is_all))
		what = "every action";
	else if (any_str(doc_get(st, "Action"), action_is_all_iam))
		what = "every IAM action (so it can grant itself any other)";
	else
		return 0;
	if (doc_get(st, "NotResource") != NULL)
		on = "every resource but those in NotResource";
	else if (any_str(doc_get(st, "Resource"), resource_is_all))
		on = "every resource";
	else
		return 0;
	if (cond == NULL || cond->type != DOC_MAP || cond->u.map.n == 0)
		*msg = arena_printf(a,
		    "statement %zu allows %s on %s (administrator access)", i,
		    what, on);
	else
		*msg = arena_printf(a,
		    "statement %zu allows %s on %s (administrator access) "
		    "under condition %s, which does not make it less than "
		    "administrator access",
		    i, what, on, condition_names(a, cond));
	/* Out of memory: still a failure, with a fixed message. */
	if (*msg == NULL)
		*msg = "a statement allows every action on every resource "
		       "(administrator access)";
	return 1;
}

/* A resource without a policy document: absent, or unreadable. */
static int
no_document(struct check_ctx *c, const struct resource *r, const char *path,
    const char *why, int absent, int require_tls)
{
	if (!absent) {
		check_evidence(c, path, NULL);
		return check_emit(c, r, ST_ERROR, "'%s': %s", path,
		    why != NULL ? why : "unreadable");
	}
	check_evidence(c, path, doc_get(r->attrs, "Policy"));
	if (require_tls)
		return check_emit(c, r, ST_FAIL,
		    "no policy, so no Deny of "
		    "aws:SecureTransport false");
	return check_emit(
	    c, r, ST_PASS, "no policy: nothing is granted to everyone");
}

/*
 * A bucket policy without the Deny of insecure transport it must have:
 * the statement that came nearest (near: why it falls short), or the
 * whole document.
 */
static int
no_tls_deny(struct check_ctx *c, const struct resource *r, const char *path,
    const struct doc_node *doc, const struct doc_node *stmts, const char *near,
    size_t near_at)
{
	char ev[128];

	if (near == NULL) {
		check_evidence(c, path, doc);
		return check_emit(c, r, ST_FAIL,
		    "no Deny of every S3 action to everyone on the "
		    "bucket and its objects when aws:SecureTransport "
		    "is false");
	}
	snprintf(ev, sizeof(ev), "%s.Statement[%zu]", path, near_at);
	check_evidence(c, ev,
	    stmts->type == DOC_SEQ ? stmts->u.seq.items[near_at] : stmts);
	return check_emit(c, r, ST_FAIL,
	    "no Deny of every S3 action to everyone on the "
	    "bucket and its objects when aws:SecureTransport "
	    "is false: statement %zu tests it, but %s",
	    near_at, near);
}

/*
 * What a pass rests on: the statements, or, when there are many, the
 * TLS Deny (tls_at, when required) and the first Allow statements.
 * 0 or -1.
 */
static int
pass_evidence(struct check_ctx *c, const char *path,
    const struct doc_node *stmts, size_t n, int require_tls, size_t tls_at)
{
	const struct doc_node *st;
	char ev[128];
	size_t i, nev = 0;

	snprintf(ev, sizeof(ev), "%s.Statement", path);
	if (n <= PASS_EVIDENCE)
		return check_evidence(c, ev, stmts) != 0 ? -1 : 0;
	if (require_tls) {
		snprintf(ev, sizeof(ev), "%s.Statement[%zu]", path, tls_at);
		if (check_evidence(c, ev, stmts->u.seq.items[tls_at]))
			return -1;
		nev++;
	}
	for (i = 0; i < n && nev < PASS_EVIDENCE; i++) {
		st = stmts->u.seq.items[i];
		if (strcmp(doc_str(doc_get(st, "Effect")), "Allow") != 0)
			continue;
		snprintf(ev, sizeof(ev), "%s.Statement[%zu]", path, i);
		if (check_evidence(c, ev, st) != 0)
			return -1;
		nev++;
	}
	return 0;
}

static int
ip_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *doc, *stmts, *st, *tls;
	const char *path, *why, *eff, *first = NULL, *msg, *near = NULL;
	struct arena *tmp = NULL;
	char ev[128];
	size_t i, n, nbad = 0, tls_at = 0, near_at = 0;
	int absent, iam, require_tls, has_tls = 0, rc, cov, tls_cov = 0;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	tls = check_param(c, "require_secure_transport");
	require_tls = tls != NULL && tls->type == DOC_BOOL && tls->u.b;
	iam = strncmp(r->type, "AWS::IAM::", 10) == 0;
	if ((tmp = arena_new()) == NULL)
		return diag_sys(check_diag(c), NULL, "out of memory");
	doc = get_document(tmp, r, &path, &why, &absent);
	if (doc == NULL) {
		rc = no_document(c, r, path, why, absent, require_tls);
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
		if ((msg = bad_shape(tmp, st, i)) != NULL) {
			check_evidence(c, ev, st);
			rc = check_emit(c, r, ST_ERROR, "%s", msg);
			goto out;
		}
		eff = doc_str(doc_get(st, "Effect"));
		if (strcmp(eff, "Deny") == 0) {
			if (require_tls && !has_tls) {
				cov = tls_deny(tmp, st, bucket_name(r), &why);
				if (cov != 0)
					tls_at = i;
				tls_cov |= cov;
				if (tls_cov == (TLS_BUCKET | TLS_OBJECTS))
					has_tls = 1;
				else if (why != NULL && near == NULL) {
					near = why;
					near_at = i;
				}
			}
			continue;
		}
		if (principal_everyone(doc_get(st, "Principal")) ||
		    doc_get(st, "NotPrincipal") != NULL) {
			rc = condition_restricts(tmp, doc_get(st, "Condition"));
			if (rc < 0)
				goto nomem;
			if (rc == 0) {
				if (check_evidence(c, ev, st) != 0)
					goto fail;
				if (nbad++ == 0)
					first = arena_printf(check_arena(c),
					    "statement %zu allows everyone "
					    "without a restricting condition",
					    i);
				continue;
			}
		}
		if (iam && admin_statement(tmp, st, i, &msg)) {
			if (check_evidence(c, ev, st) != 0)
				goto fail;
			if (nbad++ == 0)
				first = arena_strdup(check_arena(c), msg);
		}
	}
	if (nbad > 0) {
		rc = check_emit(c, r, ST_FAIL, "%s%s",
		    first != NULL ? first : "a statement is too broad",
		    nbad > 1 ? " (and more statements)" : "");
		goto out;
	}
	if (require_tls && !has_tls) {
		rc = no_tls_deny(c, r, path, doc, stmts, near, near_at);
		goto out;
	}
	if (pass_evidence(c, path, stmts, n, require_tls, tls_at) != 0)
		goto fail;
	rc = check_emit(c, r, ST_PASS, "%zu statements, none too broad%s", n,
	    require_tls ? "; insecure transport denied" : "");
	goto out;
nomem:
	diag_sys(check_diag(c), NULL, "out of memory");
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
	    "fail unless a Deny of s3:* to everyone on the bucket and its "
	    "objects covers aws:SecureTransport false" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin aws_iam_policy_plugin = {
	.name = "aws_iam_policy",
	.summary = "policy documents: public Allow without a restricting "
		   "condition, admin Allow, TLS-only bucket policy",
	.resource_types = ip_types,
	.params = ip_params,
	.evaluate = ip_evaluate,
};
