/*
 * aws_s3_acl.c: an S3 bucket ACL (`Grants`, from get-bucket-acl or
 * Config's AccessControlList) must grant nothing to the public groups.
 *
 * The shape is judged before the content, because the declarative
 * "no Grants[*].Grantee.URI is public" passed whenever the URIs could
 * not be read: `Grants` absent, null, or an object rather than a list,
 * a grant that is not an object, and a grantee that cannot be
 * identified (a Group without a URI, a grantee with no Type, URI, ID or
 * EmailAddress) are `error`.  URIs compare case-insensitively and
 * without regard to http/https, as S3 accepts both spellings.
 */
#include <strings.h>
#include <string.h>

#include "checks/aws/aws.h"

/* The URI without "http://" or "https://". */
static const char *
uri_rest(const char *u)
{
	if (strncasecmp(u, "http://", 7) == 0)
		return u + 7;
	if (strncasecmp(u, "https://", 8) == 0)
		return u + 8;
	return u;
}

/* Whether uri is one of the public group URIs in groups (a list). */
static int
is_public(const struct doc_node *groups, const char *uri)
{
	const char *g;
	size_t i;

	for (i = 0;
	     groups != NULL && groups->type == DOC_SEQ && i < groups->u.seq.n;
	     i++)
		if ((g = doc_str(groups->u.seq.items[i])) != NULL &&
		    strcasecmp(uri_rest(g), uri_rest(uri)) == 0)
			return 1;
	return 0;
}

static int
acl_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *grants, *g, *who, *groups;
	const char *type, *uri, *perm;
	char ev[64];
	size_t i, npublic = 0, first = 0;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	groups = check_param(c, "public_groups");
	if (groups == NULL || groups->type != DOC_SEQ || groups->u.seq.n == 0)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'public_groups' is not a non-empty list");
	grants = doc_get(r->attrs, "Grants");
	if (grants == NULL || grants->type == DOC_NULL) {
		check_evidence(c, "Grants", grants);
		return check_emit(c, r, ST_ERROR,
		    "the bucket ACL (get-bucket-acl) was not exported");
	}
	if (grants->type != DOC_SEQ) {
		check_evidence(c, "Grants", grants);
		return check_emit(c, r, ST_ERROR,
		    "'Grants' is a %s, not a list of grants",
		    doc_type_name(grants->type));
	}
	for (i = 0; i < grants->u.seq.n; i++) {
		g = grants->u.seq.items[i];
		snprintf(ev, sizeof(ev), "Grants[%zu]", i);
		who = doc_get(g, "Grantee");
		if (g->type != DOC_MAP || who == NULL || who->type != DOC_MAP) {
			check_evidence(c, ev, g);
			return check_emit(c, r, ST_ERROR,
			    "grant %zu has no 'Grantee' object", i);
		}
		type = doc_str(doc_get(who, "Type"));
		uri = doc_str(doc_get(who, "URI"));
		if (type != NULL && strcmp(type, "Group") == 0 && uri == NULL) {
			check_evidence(c, ev, g);
			return check_emit(c, r, ST_ERROR,
			    "grant %zu names a Group grantee without a URI", i);
		}
		if (uri == NULL && doc_str(doc_get(who, "ID")) == NULL &&
		    doc_str(doc_get(who, "EmailAddress")) == NULL) {
			check_evidence(c, ev, g);
			return check_emit(c, r, ST_ERROR,
			    "grant %zu names a grantee with no URI, ID or "
			    "EmailAddress",
			    i);
		}
		if (uri != NULL && is_public(groups, uri)) {
			if (check_evidence(c, ev, g) != 0)
				return -1;
			if (npublic++ == 0)
				first = i;
		}
	}
	if (npublic > 0) {
		g = grants->u.seq.items[first];
		perm = doc_str(doc_get(g, "Permission"));
		return check_emit(c, r, ST_FAIL,
		    "grant %zu gives '%s' to '%s'%s", first,
		    perm != NULL ? perm : "?",
		    doc_str(doc_get(doc_get(g, "Grantee"), "URI")),
		    npublic > 1 ? " (and more grants)" : "");
	}
	if (check_evidence(c, "Grants", grants) != 0)
		return -1;
	return check_emit(c, r, ST_PASS, "%zu grants, none to a public group",
	    grants->u.seq.n);
}

static const char *const acl_types[] = { "AWS::S3::Bucket", NULL };

static const struct plugin_param acl_params[] = {
	{ "public_groups", DOC_SEQ,
	    "[http://acs.amazonaws.com/groups/global/AllUsers, "
	    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers]",
	    "grantee group URIs that make a bucket public" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin aws_s3_acl_plugin = {
	.name = "aws_s3_acl",
	.summary = "S3 bucket ACL: no grant to a public group; an ACL that "
		   "cannot be read as grants is an error",
	.resource_types = acl_types,
	.params = acl_params,
	.evaluate = acl_evaluate,
};
