/*
 * gcp_kms.c: Cloud KMS keys rotate automatically within the SC-12
 * period.  `rotationPeriod` is a protobuf Duration in JSON ("7776000s",
 * seconds with an optional fraction), which a numeric comparison cannot
 * read as it is.
 *
 * A key whose primary version is DESTROYED or DESTROY_SCHEDULED holds no
 * usable material: not_applicable.  No rotationPeriod: fail (no
 * automatic rotation; asymmetric and MAC keys cannot rotate
 * automatically and fail too, as AWS's check does).  A period longer
 * than max_rotation_days fails.  A period that is no Duration is error.
 */
#include <string.h>

#include "checks/gcp/gcp.h"

/* "7776000s" or "7776000.5s" -> whole seconds; -1 when not a Duration. */
static long long
duration_secs(const char *s, size_t n)
{
	long long v = 0;
	size_t i;

	if (n < 2 || s[n - 1] != 's')
		return -1;
	for (i = 0; i + 1 < n && s[i] != '.'; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 15)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0)
		return -1;
	if (s[i] == '.') {
		if (i + 2 >= n)
			return -1;
		for (i++; i + 1 < n; i++)
			if (s[i] < '0' || s[i] > '9')
				return -1;
		v++; /* a fraction rounds up: never shorter than it is */
	}
	return v;
}

static int
kms_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *rp, *st;
	const char *state;
	int64_t max = check_param_int(c, "max_rotation_days", -1);
	long long secs;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	if (max <= 0)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'max_rotation_days' is not a positive integer");
	st = doc_get(doc_get(r->attrs, "primary"), "state");
	state = doc_str(st);
	check_evidence(c, "primary.state", st);
	if (state != NULL &&
	    (strcmp(state, "DESTROYED") == 0 ||
		strcmp(state, "DESTROY_SCHEDULED") == 0))
		return check_emit(c, r, ST_NOT_APPLICABLE,
		    "the primary version is %s: no usable key material", state);
	rp = doc_get(r->attrs, "rotationPeriod");
	check_evidence(c, "rotationPeriod", rp);
	if (rp == NULL || rp->type == DOC_NULL)
		return check_emit(c, r, ST_FAIL,
		    "no rotationPeriod: the key never rotates automatically");
	if (rp->type != DOC_STRING ||
	    (secs = duration_secs(rp->str, rp->len)) < 0)
		return check_emit(c, r, ST_ERROR,
		    "'rotationPeriod' is not a Duration such as '7776000s'");
	if (secs > (long long)max * 86400)
		return check_emit(c, r, ST_FAIL,
		    "the key rotates every %lld days, more than %lld",
		    (secs + 86399) / 86400, (long long)max);
	return check_emit(c, r, ST_PASS,
	    "the key rotates every %lld days (at most %lld)",
	    (secs + 86399) / 86400, (long long)max);
}

static const char *const kms_types[] = { "GCP::KMS::CryptoKey", NULL };

static const struct plugin_param kms_params[] = {
	{ "max_rotation_days", DOC_INT, "365",
	    "the longest rotation period allowed, in days" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin gcp_kms_rotation_plugin = {
	.name = "gcp_kms_rotation",
	.summary = "Cloud KMS keys: rotationPeriod within the allowed days",
	.resource_types = kms_types,
	.params = kms_params,
	.evaluate = kms_evaluate,
};
