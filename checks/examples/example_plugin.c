/*
 * example_plugin.c: an external check plugin, built into
 * build/plugins/example_plugin.so and loaded with
 * `rampart scan --plugin build/plugins/example_plugin.so`.
 *
 * The check: a resource must carry an owner tag (parameter `tag`,
 * default "Owner") with a non-empty value, read from the AWS CLI's
 * `Tags` (or RDS's `TagList`) list of {"Key", "Value"}.  No tag list at
 * all is `error` (the export did not say), never a pass.
 *
 * A plugin sees only lib/lib.h and checks/check.h; rampart resolves the
 * functions it calls (check_emit, doc_get...) when it loads the object.
 * Build your own the same way:
 *	cc -std=c11 -I. -Ilib -fPIC -shared -o my.so my.c
 * and keep the file and its directory writable by their owner only.
 */
#include <string.h>

#include "checks/check.h"

static int
owner_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *tags, *t, *k, *v;
	const char *want = doc_str(check_param(c, "tag"));
	const char *attr = "Tags";
	char path[64];
	size_t i;

	if (want == NULL)
		want = "Owner";
	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	if ((tags = doc_get(r->attrs, "Tags")) == NULL &&
	    (tags = doc_get(r->attrs, "TagList")) != NULL)
		attr = "TagList";
	if (tags == NULL || tags->type != DOC_SEQ) {
		check_evidence(c, attr, tags);
		return check_emit(c, r, ST_ERROR,
		    "'%s' has no 'Tags' list: cannot tell its owner", r->id);
	}
	for (i = 0; i < tags->u.seq.n; i++) {
		t = tags->u.seq.items[i];
		k = doc_get(t, "Key");
		if (doc_str(k) == NULL || strcmp(doc_str(k), want) != 0)
			continue;
		v = doc_get(t, "Value");
		snprintf(path, sizeof(path), "%s[%zu]", attr, i);
		if (check_evidence(c, path, t) != 0)
			return -1;
		if (doc_str(v) == NULL || doc_str(v)[0] == '\0')
			return check_emit(
			    c, r, ST_FAIL, "tag '%s' is empty", want);
		return check_emit(
		    c, r, ST_PASS, "tag '%s' is '%s'", want, doc_str(v));
	}
	if (check_evidence(c, attr, tags) != 0)
		return -1;
	return check_emit(c, r, ST_FAIL, "no '%s' tag", want);
}

static const char *const owner_types[] = {
	"AWS::EC2::Instance",
	"AWS::EC2::SecurityGroup",
	"AWS::EC2::Volume",
	"AWS::EC2::VPC",
	"AWS::RDS::DBInstance",
	"AWS::S3::Bucket",
	NULL,
};

static const struct plugin_param owner_params[] = {
	{ "tag", DOC_STRING, "Owner", "the tag key that names the owner" },
	{ NULL, DOC_NULL, NULL, NULL },
};

static const struct check_plugin example_plugins[] = {
	{
	    .name = "example_owner_tag",
	    .summary = "resources carry a non-empty owner tag",
	    .resource_types = owner_types,
	    .params = owner_params,
	    .evaluate = owner_evaluate,
	},
};

/* The one symbol rampart looks up. */
const struct rampart_plugin_v1 rampart_plugin_v1 = {
	.abi = RAMPART_PLUGIN_ABI,
	.plugins = example_plugins,
	.n = sizeof(example_plugins) / sizeof(example_plugins[0]),
};
