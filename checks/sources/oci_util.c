/*
 * oci_util.c: what the Oracle Cloud (OCI) adapters share: the canonical
 * resource types and the names OCI Search gives them, the conversion of
 * every export's key spelling to the OCI CLI's kebab-case, and the region
 * an OCID names.  docs/resources.md (Oracle Cloud) is the contract.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/sources/sources.h"

/*
 * OCI Search resource types (as `oci search resource structured-search`
 * and the CIS landing-zone inventory name them) -> canonical type.
 * Sorted by search name: looked up with bsearch.  Types not listed are
 * skipped by the adapters (no shipped check reads them).
 */
static const struct oci_type oci_types[] = {
	{ "AutonomousDatabase", "OCI::Database::AutonomousDatabase", 0 },
	{ "Bucket", "OCI::ObjectStorage::Bucket", 0 },
	{ "CloudGuardTarget", "OCI::CloudGuard::Target", 0 },
	{ "Compartment", "OCI::Identity::Compartment", 1 },
	{ "DbSystem", "OCI::Database::DbSystem", 0 },
	{ "EventRule", "OCI::Events::Rule", 0 },
	{ "Group", "OCI::Identity::Group", 1 },
	{ "Instance", "OCI::Core::Instance", 0 },
	{ "Key", "OCI::KeyManagement::Key", 0 },
	{ "LoadBalancer", "OCI::LoadBalancer::LoadBalancer", 0 },
	{ "Log", "OCI::Logging::Log", 0 },
	{ "LogGroup", "OCI::Logging::LogGroup", 0 },
	{ "NetworkSecurityGroup", "OCI::Core::NetworkSecurityGroup", 0 },
	{ "OnsTopic", "OCI::Ons::Topic", 0 },
	{ "Policy", "OCI::Identity::Policy", 1 },
	{ "SecurityList", "OCI::Core::SecurityList", 0 },
	{ "SecurityZonesSecurityZone", "OCI::CloudGuard::SecurityZone", 0 },
	{ "Subnet", "OCI::Core::Subnet", 0 },
	{ "User", "OCI::Identity::User", 1 },
	{ "Vault", "OCI::KeyManagement::Vault", 0 },
	{ "Vcn", "OCI::Core::Vcn", 0 },
};

static int
type_cmp(const void *key, const void *elem)
{
	const struct oci_type *t = elem;

	return strcmp(key, t->search);
}

const struct oci_type *
oci_type_by_search(const char *name)
{
	if (name == NULL)
		return NULL;
	return bsearch(name, oci_types,
	    sizeof(oci_types) / sizeof(oci_types[0]), sizeof(oci_types[0]),
	    type_cmp);
}

const struct oci_type *
oci_type_at(size_t i)
{
	return i < sizeof(oci_types) / sizeof(oci_types[0]) ? &oci_types[i]
							    : NULL;
}

/*
 * Maps whose keys are the user's own (tags, instance metadata): copied
 * verbatim, never converted.  Compared after conversion.
 */
static const char *const freeform_keys[] = { "defined-tags",
	"extended-metadata", "freeform-tags", "metadata", "system-tags" };

/* Whether a key may be a free-form one (its first letter, any case). */
static int
is_freeform_start(const struct doc_node *k)
{
	char c = k->len > 0 ? k->str[0] : 0;

	return c == 'd' || c == 'e' || c == 'f' || c == 'm' || c == 's' ||
	    c == 'D' || c == 'E' || c == 'F' || c == 'M' || c == 'S';
}

static int
is_freeform(const char *k)
{
	size_t i;

	/* Every free-form key starts with one of these letters. */
	if (k[0] != 'd' && k[0] != 'e' && k[0] != 'f' && k[0] != 'm' &&
	    k[0] != 's')
		return 0;
	for (i = 0; i < sizeof(freeform_keys) / sizeof(freeform_keys[0]); i++)
		if (strcmp(k, freeform_keys[i]) == 0)
			return 1;
	return 0;
}

/*
 * A key in kebab-case: "isMfaActivated" and "is_mfa_activated" become
 * "is-mfa-activated", "ipv6CidrBlock" "ipv6-cidr-block", "vcnID"
 * "vcn-id"; a kebab-case key is left as it is.  NULL when out of memory.
 */
/* Convert len bytes of k into out (room for 2 * len + 1); the length. */
static size_t
kebab_into(char *out, const char *k, size_t len)
{
	char *o = out;
	size_t i;
	unsigned char c, p, nx;

	for (i = 0; i < len; i++) {
		c = (unsigned char)k[i];
		p = i > 0 ? (unsigned char)k[i - 1] : 0;
		nx = i + 1 < len ? (unsigned char)k[i + 1] : 0;
		if (c == '_') {
			*o++ = '-';
			continue;
		}
		if (isupper(c)) {
			if (i > 0 && p != '_' && p != '-' &&
			    (islower(p) || isdigit(p) ||
				(isupper(p) && islower(nx))))
				*o++ = '-';
			*o++ = (char)tolower(c);
			continue;
		}
		*o++ = (char)c;
	}
	*o = '\0';
	return (size_t)(o - out);
}

char *
oci_kebab_key(struct arena *a, const char *k, size_t len)
{
	char *out;

	if (len > (SIZE_MAX - 1) / 2 ||
	    (out = arena_alloc(a, len * 2 + 1)) == NULL)
		return NULL;
	kebab_into(out, k, len);
	return out;
}

/* Whether a key needs converting (holds an upper-case letter or '_'). */
static int
needs_kebab(const char *k, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((k[i] >= 'A' && k[i] <= 'Z') || k[i] == '_')
			return 1;
	return 0;
}

#define KEBAB_STACK 32

static struct doc_node *kebab_tree(
    struct arena *a, const struct doc_node *n, int depth);

/*
 * Convert a map: the converted values first; a map none of whose keys or
 * values changed is returned as it is (kebab-case input is not copied).
 */
static struct doc_node *
kebab_map(struct arena *a, const struct doc_node *n, int depth)
{
	struct doc_node *c, *k, *stackv[KEBAB_STACK], **vals = stackv;
	const struct doc_node *ok;
	char *key, buf[256];
	size_t i, klen, nn = n->u.map.n;
	int changed = 0, ff;

	if (nn > KEBAB_STACK &&
	    (vals = arena_alloc(a, nn * sizeof(*vals))) == NULL)
		return NULL;
	for (i = 0; i < nn; i++) {
		ok = n->u.map.pairs[i].key;
		/* Free-form maps keep their keys (compared converted). */
		if (!needs_kebab(ok->str, ok->len)) {
			ff = is_freeform(ok->str);
		} else {
			changed = 1;
			ff = ok->len < sizeof(buf) / 2 &&
			    is_freeform_start(ok) &&
			    (kebab_into(buf, ok->str, ok->len),
				is_freeform(buf));
		}
		if (ff) {
			vals[i] = n->u.map.pairs[i].val;
			continue;
		}
		if ((vals[i] = kebab_tree(
			 a, n->u.map.pairs[i].val, depth + 1)) == NULL)
			return NULL;
		if (vals[i] != n->u.map.pairs[i].val)
			changed = 1;
	}
	if (!changed)
		return (struct doc_node *)n;
	if ((c = src_map(a, &n->mark)) == NULL)
		return NULL;
	for (i = 0; i < nn; i++) {
		ok = n->u.map.pairs[i].key;
		if (!needs_kebab(ok->str, ok->len)) {
			/* Already kebab-case: the key node is shared. */
			k = (struct doc_node *)ok;
		} else if (ok->len < sizeof(buf) / 2) {
			/* Short keys (all of OCI's): no extra copy. */
			klen = kebab_into(buf, ok->str, ok->len);
			if ((k = doc_new_string(a, buf, klen, &ok->mark)) ==
			    NULL)
				return NULL;
		} else if ((key = oci_kebab_key(a, ok->str, ok->len)) == NULL ||
		    (k = doc_new_string(a, key, strlen(key), &ok->mark)) ==
			NULL) {
			return NULL;
		}
		/*
		 * Two spellings of one key in one map ("isMfaActivated"
		 * beside "is-mfa-activated") would read two ways: refuse
		 * them (the caller reports it).
		 */
		if (doc_getn(c, k->str, k->len) != NULL ||
		    doc_map_put(a, c, k, vals[i]) != 0)
			return NULL;
	}
	return c;
}

static struct doc_node *
kebab_tree(struct arena *a, const struct doc_node *n, int depth)
{
	struct doc_node *c, *v, *stackv[KEBAB_STACK], **vals = stackv;
	size_t i, nn;
	int changed = 0;

	if (depth > 256)
		return NULL;
	switch (n->type) {
	case DOC_MAP:
		return kebab_map(a, n, depth);
	case DOC_SEQ:
		nn = n->u.seq.n;
		if (nn > KEBAB_STACK &&
		    (vals = arena_alloc(a, nn * sizeof(*vals))) == NULL)
			return NULL;
		for (i = 0; i < nn; i++) {
			if ((vals[i] = kebab_tree(
				 a, n->u.seq.items[i], depth + 1)) == NULL)
				return NULL;
			if (vals[i] != n->u.seq.items[i])
				changed = 1;
		}
		if (!changed)
			return (struct doc_node *)n;
		if ((c = src_seq(a, &n->mark)) == NULL)
			return NULL;
		for (i = 0; i < nn; i++) {
			v = vals[i];
			if (doc_seq_push(a, c, v) != 0)
				return NULL;
		}
		return c;
	default:
		return (struct doc_node *)n;
	}
}

struct doc_node *
oci_kebab(struct arena *a, const struct doc_node *n)
{
	return n != NULL ? kebab_tree(a, n, 0) : NULL;
}

/*
 * Region keys of OCIDs (ocid1.<type>.<realm>.<region>.<id>) -> names.
 * Newer regions write the name itself; an unknown key is kept as it is.
 */
static const struct {
	const char *key, *name;
} region_keys[] = {
	{ "ams", "eu-amsterdam-1" },
	{ "arn", "eu-stockholm-1" },
	{ "auh", "me-abudhabi-1" },
	{ "bog", "sa-bogota-1" },
	{ "bom", "ap-mumbai-1" },
	{ "cdg", "eu-paris-1" },
	{ "cwl", "uk-cardiff-1" },
	{ "dxb", "me-dubai-1" },
	{ "fra", "eu-frankfurt-1" },
	{ "gru", "sa-saopaulo-1" },
	{ "hyd", "ap-hyderabad-1" },
	{ "iad", "us-ashburn-1" },
	{ "icn", "ap-seoul-1" },
	{ "jed", "me-jeddah-1" },
	{ "jnb", "af-johannesburg-1" },
	{ "kix", "ap-osaka-1" },
	{ "lfi", "us-langley-1" },
	{ "lhr", "uk-london-1" },
	{ "lin", "eu-milan-1" },
	{ "luf", "us-luke-1" },
	{ "mad", "eu-madrid-1" },
	{ "mel", "ap-melbourne-1" },
	{ "mrs", "eu-marseille-1" },
	{ "mtz", "il-jerusalem-1" },
	{ "nrt", "ap-tokyo-1" },
	{ "ord", "us-chicago-1" },
	{ "phx", "us-phoenix-1" },
	{ "pia", "us-gov-chicago-1" },
	{ "qro", "mx-queretaro-1" },
	{ "ric", "us-gov-ashburn-1" },
	{ "scl", "sa-santiago-1" },
	{ "sin", "ap-singapore-1" },
	{ "sjc", "us-sanjose-1" },
	{ "syd", "ap-sydney-1" },
	{ "tus", "us-gov-phoenix-1" },
	{ "vcp", "sa-vinhedo-1" },
	{ "yny", "ap-chuncheon-1" },
	{ "yul", "ca-montreal-1" },
	{ "yyz", "ca-toronto-1" },
	{ "zrh", "eu-zurich-1" },
};

const char *
oci_ocid_region(struct arena *a, const char *ocid)
{
	const char *p, *q;
	size_t i, len;
	int dots = 0;

	if (ocid == NULL || strncmp(ocid, "ocid1.", 6) != 0)
		return NULL;
	/* Skip "ocid1.<type>.<realm>." to the region field. */
	for (p = ocid; *p != '\0' && dots < 3; p++)
		if (*p == '.')
			dots++;
	if (dots < 3 || (q = strchr(p, '.')) == NULL || q == p)
		return NULL; /* a tenancy-wide resource: no region */
	len = (size_t)(q - p);
	for (i = 0; i < sizeof(region_keys) / sizeof(region_keys[0]); i++)
		if (strlen(region_keys[i].key) == len &&
		    strncasecmp(p, region_keys[i].key, len) == 0)
			return region_keys[i].name;
	return arena_strndup(a, p, len);
}

int
oci_is_tenancy(const char *ocid)
{
	return ocid != NULL && strncmp(ocid, "ocid1.tenancy.", 14) == 0;
}
