/*
 * oci_policy.c: OCI IAM policies that make someone a tenancy
 * administrator besides the Administrators group.
 *
 * An OCI policy statement reads
 *
 *	Allow <subjects> to <verb> <resource-type> in <location> [where ...]
 *
 * with keywords in any case.  `manage all-resources in tenancy` grants
 * every permission on every resource of the tenancy: the privilege of
 * the tenancy's Administrators group.  A statement granting it to any
 * other subject (another group, `group id ocid1...`, a dynamic group,
 * `any-user`, `any-group`, a service) fails, also with a `where` clause
 * (a condition narrows the requests it applies to, not the privilege it
 * hands out; the message names the clause).  Subjects are a comma list;
 * a group may be named by name, 'quoted name', Domain/Name or
 * 'Domain'/'Name'.  Admin group names (parameter `admin_groups`) compare
 * case-insensitively; a name without a domain is the Default domain's.
 * Statements other than Allow (Define, Endorse, Admit: cross-tenancy
 * grants, judged elsewhere) are not judged here.  `statements` absent or
 * not a list of strings, or an Allow statement that does not parse, is
 * `error`, unless another statement fails the policy.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "checks/oci/oci.h"

#define MAX_TOKENS 64
#define TOKEN_MAX 256

struct tok {
	char s[TOKEN_MAX]; /* unquoted text */
	int quoted;
};

/*
 * Split a statement into words, quoted strings, ',' and '/' (each its
 * own token).  The number of tokens, or -1 when it does not fit or a
 * quote is not closed.
 */
static int
tokenize(const char *s, struct tok *t, int max)
{
	int n = 0;
	size_t k;
	char q;

	while (*s != '\0') {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (n == max)
			return -1;
		memset(&t[n], 0, sizeof(t[n]));
		k = 0;
		if (*s == ',' || *s == '/') {
			t[n].s[0] = *s++;
		} else if (*s == '\'' || *s == '"') {
			q = *s++;
			while (*s != '\0' && *s != q) {
				if (k + 1 >= TOKEN_MAX)
					return -1;
				t[n].s[k++] = *s++;
			}
			if (*s != q)
				return -1;
			s++;
			t[n].quoted = 1;
		} else {
			while (*s != '\0' && !isspace((unsigned char)*s) &&
			    *s != ',' && *s != '/' && *s != '\'' && *s != '"') {
				if (k + 1 >= TOKEN_MAX)
					return -1;
				t[n].s[k++] = *s++;
			}
		}
		n++;
	}
	return n;
}

static int
kw(const struct tok *t, const char *w)
{
	return !t->quoted && strcasecmp(t->s, w) == 0;
}

/* Whether group name (domain may be NULL) is one of the admin groups. */
static int
is_admin(const struct doc_node *admins, const char *domain, const char *name)
{
	const char *a, *slash;
	size_t i;

	if (domain != NULL && strcasecmp(domain, "Default") != 0)
		return 0;
	for (i = 0; admins != NULL && i < admins->u.seq.n; i++) {
		if ((a = doc_str(admins->u.seq.items[i])) == NULL)
			continue;
		slash = strchr(a, '/');
		if (slash != NULL) {
			if (strncasecmp(a, "Default/", 8) != 0)
				continue;
			a = slash + 1;
		}
		if (strcasecmp(a, name) == 0)
			return 1;
	}
	return 0;
}

/* The subject t[i..j-1] as text into who. */
static void
subject(const struct tok *t, int i, int j, char *who, size_t wlen)
{
	size_t o = 0;
	int k;

	who[0] = '\0';
	for (k = i; k < j && o + 1 < wlen; k++) {
		o += (size_t)snprintf(who + o, wlen - o, "%s%s",
		    k > i && t[k].s[0] != '/' && t[k - 1].s[0] != '/' ? " "
								      : "",
		    t[k].s);
		if (o >= wlen)
			break;
	}
}

enum verdict { V_NONE, V_ADMIN_OTHER, V_BAD };

/*
 * Judge one statement: V_ADMIN_OTHER when it grants manage all-resources
 * in tenancy to a subject that is not an admin group (*who names it),
 * V_BAD when an Allow statement does not parse, else V_NONE.
 */
static enum verdict
judge(const char *stmt, const struct doc_node *admins, char *who, size_t wlen,
    int *cond)
{
	struct tok t[MAX_TOKENS];
	int n, i, to = -1, j, k;
	const char *domain, *name, *kind = NULL;

	*cond = 0;
	if ((n = tokenize(stmt, t, MAX_TOKENS)) < 0)
		return V_BAD;
	if (n == 0 || !kw(&t[0], "allow"))
		return V_NONE;
	for (i = 1; i < n; i++)
		if (kw(&t[i], "to")) {
			to = i;
			break;
		}
	if (to < 2 || to + 4 >= n)
		return V_BAD;
	/* <verb> <resource> in <location> */
	if (!kw(&t[to + 3], "in"))
		return V_BAD;
	if (!kw(&t[to + 1], "manage") || !kw(&t[to + 2], "all-resources") ||
	    !kw(&t[to + 4], "tenancy"))
		return V_NONE;
	*cond = to + 5 < n && kw(&t[to + 5], "where");
	/*
	 * Subjects: t[1..to-1], comma-separated; an item without a kind
	 * keyword continues the previous kind ("group A, B").
	 */
	for (i = 1; i < to; i = j + 1) {
		for (j = i; j < to && !(t[j].s[0] == ',' && !t[j].quoted); j++)
			;
		k = i;
		/* A kind keyword, or the previous item's kind ("group A, B"). */
		if (kw(&t[k], "group") || kw(&t[k], "dynamic-group") ||
		    kw(&t[k], "service"))
			kind = t[k++].s;
		else if (kw(&t[k], "any-user") || kw(&t[k], "any-group"))
			kind = NULL;
		domain = NULL;
		name = NULL;
		if (kind != NULL && k < j && kw(&t[k], "id") && j - k == 2) {
			name = t[k + 1].s;
		} else if (kind != NULL && j - k == 1) {
			name = t[k].s;
		} else if (kind != NULL && j - k == 3 && t[k + 1].s[0] == '/' &&
		    !t[k + 1].quoted) {
			domain = t[k].s;
			name = t[k + 2].s;
		}
		if (name != NULL && strcasecmp(kind, "group") == 0 &&
		    is_admin(admins, domain, name))
			continue;
		/*
		 * Anything but a named admin group (another group, a dynamic
		 * group, a service, any-user, a form not known here) is
		 * someone else holding tenancy administration.
		 */
		subject(t, i, j, who, wlen);
		return V_ADMIN_OTHER;
	}
	return V_NONE;
}

static int
pol_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *st, *s, *admins;
	const char *bad_path = NULL;
	char who[TOKEN_MAX * 3], path[48];
	size_t i, bad_i = 0;
	int cond, bad = 0;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	admins = check_param(c, "admin_groups");
	if (admins == NULL || admins->type != DOC_SEQ || admins->u.seq.n == 0)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'admin_groups' is not a non-empty list");
	st = doc_get(r->attrs, "statements");
	if (st == NULL || st->type != DOC_SEQ) {
		check_evidence(c, "statements", st);
		return check_emit(c, r, ST_ERROR,
		    "'statements' is %s: the policy was not collected",
		    st == NULL ? "absent" : "not a list");
	}
	for (i = 0; i < st->u.seq.n; i++) {
		s = st->u.seq.items[i];
		snprintf(path, sizeof(path), "statements[%zu]", i);
		if (s->type != DOC_STRING || strlen(s->str) != s->len) {
			if (!bad) {
				bad = 1;
				bad_i = i;
				bad_path = "is not a string";
			}
			continue;
		}
		switch (judge(s->str, admins, who, sizeof(who), &cond)) {
		case V_ADMIN_OTHER:
			check_evidence(c, path, s);
			return check_emit(c, r, ST_FAIL,
			    "'%s' grants manage all-resources in tenancy "
			    "(tenancy administrator) to %s%s",
			    path, who,
			    cond ? " (a where clause narrows the requests, "
				   "not the privilege)"
				 : "");
		case V_BAD:
			if (!bad) {
				bad = 1;
				bad_i = i;
				bad_path = "does not parse as an OCI policy "
					   "statement";
			}
			break;
		case V_NONE:
			break;
		}
	}
	if (bad) {
		snprintf(path, sizeof(path), "statements[%zu]", bad_i);
		check_evidence(c, path, st->u.seq.items[bad_i]);
		return check_emit(c, r, ST_ERROR, "'%s' %s", path, bad_path);
	}
	check_evidence(c, "statements", st);
	return check_emit(c, r, ST_PASS,
	    "no statement grants manage all-resources in tenancy to anyone "
	    "but the administrators");
}

static const char *const pol_types[] = { "OCI::Identity::Policy", NULL };

static const struct plugin_param pol_params[] = {
	{ "admin_groups", DOC_SEQ, "[Administrators]",
	    "groups that may hold manage all-resources in tenancy (Domain/Name "
	    "or Name of the Default domain)" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin oci_iam_policy_plugin = {
	.name = "oci_iam_policy",
	.summary = "OCI IAM policy statements granting tenancy "
		   "administration outside the Administrators group",
	.resource_types = pol_types,
	.params = pol_params,
	.evaluate = pol_evaluate,
};
