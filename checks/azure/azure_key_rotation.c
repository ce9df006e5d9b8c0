/*
 * azure_key_rotation.c: Key Vault keys must rotate automatically within
 * the cryptoperiod (SC-12), read from the key's rotation policy
 * (properties.rotationPolicy, the same object the data plane's
 * `az keyvault key rotation-policy show` prints).
 *
 * A lifetime action of type Rotate (any case) rotates the key either
 * timeAfterCreate after each version is made, or timeBeforeExpiry before
 * the version expires, which the policy's attributes.expiryTime sets
 * after creation: the interval is then expiryTime - timeBeforeExpiry.
 * Durations are ISO 8601 (P90D, P1Y, P2M, P1W, P1Y6M, PT12H); since a
 * month or a year has no fixed length, each is read as a range of days
 * (a year 365..366, a month 28..31) and the longest interval the policy
 * allows must be at most max_rotation_days, so a pass holds in every
 * calendar.  Notify actions do not rotate anything.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/azure/azure.h"

/* Days of an ISO 8601 duration as a range; 0 or -1 (not a duration). */
static int
duration_days(const char *s, int64_t *min, int64_t *max)
{
	int64_t lo = 0, hi = 0, n, secs = 0;
	const char *p = s;
	int in_time = 0, any = 0;

	if (s == NULL || *p++ != 'P' || *p == '\0')
		return -1;
	while (*p != '\0') {
		if (*p == 'T') {
			if (in_time || p[1] == '\0')
				return -1;
			in_time = 1;
			p++;
			continue;
		}
		if (*p < '0' || *p > '9')
			return -1;
		for (n = 0; *p >= '0' && *p <= '9'; p++) {
			if (n > 100000)
				return -1;
			n = n * 10 + (*p - '0');
		}
		switch (in_time ? *p | 0x100 : *p) {
		case 'Y':
			lo += n * 365;
			hi += n * 366;
			break;
		case 'M':
			lo += n * 28;
			hi += n * 31;
			break;
		case 'W':
			lo += n * 7;
			hi += n * 7;
			break;
		case 'D':
			lo += n;
			hi += n;
			break;
		case 'H' | 0x100:
			secs += n * 3600;
			break;
		case 'M' | 0x100:
			secs += n * 60;
			break;
		case 'S' | 0x100:
			secs += n;
			break;
		default:
			return -1;
		}
		p++;
		any = 1;
	}
	if (!any)
		return -1;
	*min = lo + secs / 86400;
	*max = hi + (secs + 86399) / 86400;
	return 0;
}

struct rot {
	struct check_ctx *c;
	const struct resource *r;
	int64_t limit;
	int64_t best; /* shortest longest-interval of a Rotate action, or -1 */
	const char *bad; /* an action that could not be read */
};

/* One lifetime action at index i. */
static void
action(struct rot *x, const struct doc_node *a, size_t i,
    const struct doc_node *expiry)
{
	const struct doc_node *trig = doc_get(a, "trigger");
	const char *type = doc_str(doc_get(doc_get(a, "action"), "type"));
	const char *after = doc_str(doc_get(trig, "timeAfterCreate"));
	const char *before = doc_str(doc_get(trig, "timeBeforeExpiry"));
	int64_t lo, hi, elo, ehi, interval;

	if (type != NULL && strcasecmp(type, "Notify") == 0)
		return;
	if (type == NULL || strcasecmp(type, "Rotate") != 0) {
		x->bad = arena_printf(check_arena(x->c),
		    "lifetimeActions[%zu]: action type '%s' is not Rotate or "
		    "Notify",
		    i, type != NULL ? type : "(none)");
		return;
	}
	if (after != NULL) {
		if (duration_days(after, &lo, &hi) != 0) {
			x->bad = arena_printf(check_arena(x->c),
			    "lifetimeActions[%zu]: timeAfterCreate '%s' is not "
			    "an ISO 8601 duration",
			    i, after);
			return;
		}
		interval = hi;
	} else if (before != NULL) {
		if (duration_days(before, &lo, &hi) != 0 ||
		    duration_days(doc_str(expiry), &elo, &ehi) != 0) {
			x->bad = arena_printf(check_arena(x->c),
			    "lifetimeActions[%zu]: timeBeforeExpiry '%s' with "
			    "expiryTime '%s' cannot be read as ISO 8601 "
			    "durations",
			    i, before,
			    doc_str(expiry) ? doc_str(expiry) : "(none)");
			return;
		}
		interval = ehi - lo;
	} else {
		x->bad = arena_printf(check_arena(x->c),
		    "lifetimeActions[%zu]: the trigger has neither "
		    "timeAfterCreate nor timeBeforeExpiry",
		    i);
		return;
	}
	if (x->best < 0 || interval < x->best)
		x->best = interval;
}

static int
rot_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *props, *pol, *acts, *expiry;
	struct rot x;
	size_t i;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.r = r;
	x.best = -1;
	x.limit = check_param_int(c, "max_rotation_days", -1);
	if (x.limit < 1)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'max_rotation_days' must be a positive number "
		    "of days");
	props = doc_get(r->attrs, "properties");
	if (props == NULL || props->type != DOC_MAP)
		return check_emit(
		    c, r, ST_ERROR, "key '%s' has no 'properties'", r->id);
	pol = doc_get(props, "rotationPolicy");
	if (check_evidence(c, "properties.rotationPolicy", pol) != 0)
		return -1;
	if (pol == NULL || pol->type == DOC_NULL)
		return check_emit(c, r, ST_FAIL,
		    "key '%s' has no rotation policy: it is never rotated "
		    "automatically",
		    r->id);
	if (pol->type != DOC_MAP)
		return check_emit(c, r, ST_ERROR,
		    "key '%s': rotationPolicy is not an object", r->id);
	acts = doc_get(pol, "lifetimeActions");
	expiry = doc_get(doc_get(pol, "attributes"), "expiryTime");
	if (acts != NULL && acts->type != DOC_NULL && acts->type != DOC_SEQ)
		return check_emit(c, r, ST_ERROR,
		    "key '%s': lifetimeActions is not a list", r->id);
	for (i = 0; acts != NULL && acts->type == DOC_SEQ && i < acts->u.seq.n;
	     i++)
		action(&x, acts->u.seq.items[i], i, expiry);
	if (x.best >= 0 && x.best <= x.limit)
		return check_emit(c, r, ST_PASS,
		    "key '%s' rotates automatically at most %lld days after "
		    "each version is made (limit %lld)",
		    r->id, (long long)x.best, (long long)x.limit);
	if (x.bad != NULL)
		return check_emit(c, r, ST_ERROR, "key '%s': %s", r->id, x.bad);
	if (x.best >= 0)
		return check_emit(c, r, ST_FAIL,
		    "key '%s' rotates automatically only up to %lld days after "
		    "each version is made, more than %lld",
		    r->id, (long long)x.best, (long long)x.limit);
	return check_emit(c, r, ST_FAIL,
	    "key '%s' has no Rotate action in its rotation policy (notify "
	    "only, or none): it is never rotated automatically",
	    r->id);
}

static const char *const rot_types[] = { "Azure::KeyVault::Key", NULL };

static const struct plugin_param rot_params[] = {
	{ "max_rotation_days", DOC_INT, "366",
	    "longest interval, in days, between automatic rotations" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin azure_key_rotation_plugin = {
	.name = "azure_key_rotation",
	.summary = "Key Vault keys rotated automatically within the "
		   "cryptoperiod (rotation policy lifetime actions)",
	.resource_types = rot_types,
	.params = rot_params,
	.evaluate = rot_evaluate,
};
