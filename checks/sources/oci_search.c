/*
 * oci_search.c: the "oci-search" adapter.  Two exports of OCI Search
 * resource summaries:
 *
 *  - `oci search resource structured-search --query-text "query all
 *    resources return allAdditionalFields" --all` output:
 *    {"data": {"items": [summary, ...]}} (or {"data": [...]}), with
 *    "opc-next-page" beside "data" when more pages were left unread.  A
 *    regular file is streamed one summary at a time (flat memory); a
 *    pipe is read whole, as its trailing keys cannot be looked at first.
 *  - the raw inventory of Oracle's CIS landing-zone compliance script
 *    (raw_data_all_resources.json): {region: {ResourceType: [summary]}},
 *    snake_case summary keys, camelCase additional_details.  Read whole:
 *    its type keys (also the empty ones) are the evidence of complete
 *    listings.
 *
 * A summary becomes one resource of the canonical type (oci_type_by_search)
 * named by its OCID, in kebab-case, with additional-details merged into
 * the top level (docs/resources.md).  Search summaries carry only the
 * details OCI Search indexes: a check needing more (a user's MFA, NSG
 * rules) finds its attribute absent and is `error`, never a pass.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/sources/sources.h"

/* Bytes at the end of a streamed file where "opc-next-page" is looked for. */
#define TAIL_BYTES 4096

struct srch {
	struct diag *d;
	struct arena *a; /* the run's: seen types, tenancy */
	const char *path;
	resource_fn fn;
	void *ctx;
	const char *tenancy; /* inventory: the tenancy OCID, when found */
	unsigned char *seen; /* per oci_type_at(i): a listing was read */
	size_t ntypes;
	size_t emitted, skipped, gone;
	int inventory;
	int more; /* a search page read whole holds "opc-next-page" */
	struct doc_node *rules; /* inventory: every region's Events rules */
	/* Global resources appear under every region of an inventory. */
	const char **globals;
	size_t nglobals, cglobals;
};

static size_t
ntypes(void)
{
	size_t n = 0;

	while (oci_type_at(n) != NULL)
		n++;
	return n;
}

static size_t
type_index(const struct oci_type *t)
{
	size_t i;

	for (i = 0; oci_type_at(i) != NULL; i++)
		if (oci_type_at(i) == t)
			return i;
	return 0;
}

static int
global_seen(struct srch *x, const char *id)
{
	const char **v;
	size_t i;

	for (i = 0; i < x->nglobals; i++)
		if (strcmp(x->globals[i], id) == 0)
			return 1;
	if (x->nglobals == x->cglobals) {
		x->cglobals = x->cglobals ? x->cglobals * 2 : 64;
		v = arena_realloc(x->a, x->globals, x->nglobals * sizeof(*v),
		    x->cglobals * sizeof(*v));
		if (v == NULL)
			return -1;
		x->globals = v;
	}
	if ((x->globals[x->nglobals] = arena_strdup(x->a, id)) == NULL)
		return -1;
	x->nglobals++;
	return 0;
}

/*
 * The summary's attributes: kebab-case, additional-details merged into
 * the top level (the summary's own keys win), "id" = the OCID.
 */
static struct doc_node *
summary_attrs(struct arena *a, const struct doc_node *kb, const char *id)
{
	struct doc_node *attrs, *v, *k;
	const struct doc_node *ad;
	size_t i;

	if ((attrs = src_map(a, &kb->mark)) == NULL)
		return NULL;
	for (i = 0; i < kb->u.map.n; i++) {
		if (strcmp(kb->u.map.pairs[i].key->str, "additional-details") ==
		    0)
			continue;
		if (doc_map_put(a, attrs, kb->u.map.pairs[i].key,
			kb->u.map.pairs[i].val) != 0)
			return NULL;
	}
	ad = doc_get(kb, "additional-details");
	for (i = 0; ad != NULL && ad->type == DOC_MAP && i < ad->u.map.n; i++)
		if (doc_getn(attrs, ad->u.map.pairs[i].key->str,
			ad->u.map.pairs[i].key->len) == NULL &&
		    doc_map_put(a, attrs, ad->u.map.pairs[i].key,
			ad->u.map.pairs[i].val) != 0)
			return NULL;
	/* "id" is not a summary key: appended, never replacing one. */
	if (doc_getn(attrs, "id", 2) == NULL &&
	    ((v = src_str(a, id, &kb->mark)) == NULL ||
		(k = src_str(a, "id", &kb->mark)) == NULL ||
		doc_map_put(a, attrs, k, v) != 0))
		return NULL;
	return attrs;
}

/* One resource summary; region NULL: from the OCID. */
static int
summary(struct srch *x, const struct doc_node *n, const char *region,
    struct arena *a)
{
	const struct oci_type *t;
	struct doc_node *kb, *attrs;
	struct resource r;
	const char *id, *st, *comp;
	int g;

	if (n->type != DOC_MAP)
		return diag_err(x->d, &n->mark,
		    "an OCI resource summary must be a map, got %s",
		    doc_type_name(n->type));
	if ((kb = oci_kebab(a, n)) == NULL)
		return diag_err(x->d, &n->mark,
		    "cannot read this resource summary (a key spelt two ways, "
		    "nesting too deep, or out of memory)");
	id = doc_str(doc_get(kb, "identifier"));
	if (id == NULL || id[0] == '\0')
		return diag_err(x->d, &n->mark,
		    "resource summary without an 'identifier' (OCID)");
	t = oci_type_by_search(doc_str(doc_get(kb, "resource-type")));
	if (t == NULL || strncmp(id, "ocid1.dynamicgroup.", 19) == 0) {
		x->skipped++;
		return 0;
	}
	st = doc_str(doc_get(kb, "lifecycle-state"));
	if (st != NULL &&
	    (strcasecmp(st, "TERMINATED") == 0 ||
		strcasecmp(st, "DELETED") == 0)) {
		x->gone++;
		return 0;
	}
	if (t->global) {
		if (x->inventory && (g = global_seen(x, id)) != 0)
			return g < 0 ? diag_sys(x->d, &n->mark, "out of memory")
				     : 0;
		region = NULL;
	} else if (region == NULL) {
		region = oci_ocid_region(a, id);
	}
	if ((attrs = summary_attrs(a, kb, id)) == NULL)
		return diag_sys(x->d, &n->mark, "out of memory");
	comp = doc_str(doc_get(kb, "compartment-id"));
	memset(&r, 0, sizeof(r));
	r.type = t->type;
	r.id = id;
	r.region = region;
	r.account = x->tenancy != NULL ? x->tenancy : comp;
	r.source = x->path;
	r.mark = n->mark;
	r.attrs = attrs;
	OCI_SET_PROVIDER(r);
	if (!x->inventory) {
		x->seen[type_index(t)] = 1;
	}
	x->emitted++;
	return x->fn(x->ctx, &r, a);
}

static int
marker(struct srch *x, const char *type, const char *region, const char *why)
{
	struct resource r;
	struct mark m = { x->path, 1, 1 };

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.region = region;
	r.account = x->tenancy;
	r.source = x->path;
	r.mark = m;
	r.listing = 1;
	r.read_error = why;
	OCI_SET_PROVIDER(r);
	return x->fn(x->ctx, &r, x->a);
}

/* ----------------------------------------------------- structured search */

static int
search_elem(void *ctx, struct doc_node *elem, struct arena *a)
{
	return summary(ctx, elem, NULL, a);
}

/*
 * The listing markers of a search export: a clean one for each type it
 * holds (the query covered it); when a page was left, an incomplete one
 * for every known type (the next page may hold any).
 */
static int
search_markers(struct srch *x, int more)
{
	const struct oci_type *t;
	size_t i;

	for (i = 0; (t = oci_type_at(i)) != NULL; i++) {
		if (more) {
			if (marker(x, t->type, NULL,
				arena_printf(x->a,
				    "'%s' is one page of the search: "
				    "'opc-next-page' is set, so the listing "
				    "is incomplete (run the search with --all)",
				    x->path)) != 0)
				return -1;
		} else if (x->seen[i] && marker(x, t->type, NULL, NULL) != 0) {
			return -1;
		}
	}
	return 0;
}

/* Whether the last TAIL_BYTES of a regular file hold "opc-next-page". */
static int
tail_has_next(struct srch *x, const char *path, int *more)
{
	char buf[TAIL_BYTES + 1];
	struct stat st;
	ssize_t got;
	off_t off;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		if (fd != -1)
			close(fd);
		return diag_err(x->d, NULL, "cannot read '%s'", path);
	}
	off = st.st_size > TAIL_BYTES ? st.st_size - TAIL_BYTES : 0;
	got = pread(fd, buf, TAIL_BYTES, off);
	close(fd);
	if (got < 0)
		return diag_err(x->d, NULL, "cannot read '%s'", path);
	buf[got] = '\0';
	if (src_has_key(buf, (size_t)got, "opc-next-page"))
		*more = 1;
	return 0;
}

/* The first character of the value of the key "data" in head, or 0. */
static int
data_opens(const char *head, size_t len)
{
	size_t i = 0, j;

	for (i = 0; i + 6 <= len; i++) {
		if (memcmp(head + i, "\"data\"", 6) != 0)
			continue;
		for (j = i + 6; j < len && strchr(" \t\r\n", head[j]) != NULL;
		     j++)
			;
		if (j >= len || head[j] != ':')
			continue;
		for (j++; j < len && strchr(" \t\r\n", head[j]) != NULL; j++)
			;
		return j < len ? head[j] : 0;
	}
	return 0;
}

static int
search_doc(void *ctx, struct doc_node *doc, struct arena *a)
{
	struct srch *x = ctx;
	const struct doc_node *data, *items;
	size_t i;

	data = doc_get(doc, "data");
	items = data != NULL && data->type == DOC_MAP ? doc_get(data, "items")
						      : data;
	if (items == NULL || items->type != DOC_SEQ)
		return diag_err(x->d, &doc->mark,
		    "an OCI search export holds 'data.items' (or 'data'), "
		    "a list of resource summaries");
	if (doc_get(doc, "opc-next-page") != NULL)
		x->more = 1;
	for (i = 0; i < items->u.seq.n; i++)
		if (summary(x, items->u.seq.items[i], NULL, a) != 0)
			return -1;
	return 0;
}

static int
search_read(
    struct srch *x, const struct input *in, const struct load_limits *lim)
{
	int more = 0, opens;

	opens = data_opens(in->head, in->hlen);
	if (in->is_regular && !in->eof && (opens == '{' || opens == '[')) {
		more = src_has_key(in->head, in->hlen, "opc-next-page");
		if (tail_has_next(x, in->path, &more) != 0)
			return -1;
		if (doc_stream_file(x->d, x->path, DOC_FMT_JSON,
			opens == '{' ? "data.items[*]" : "data[*]", lim,
			search_elem, x, NULL) != 0)
			return -1;
	} else {
		if (doc_stream_file(x->d, x->path, DOC_FMT_JSON, NULL, lim,
			search_doc, x, NULL) != 0)
			return -1;
		more = x->more;
	}
	return search_markers(x, more);
}

/* --------------------------------------------------- CIS inventory */

/* The tenancy OCID: the compartment of a root-level resource. */
static const char *
inv_tenancy(const struct doc_node *doc)
{
	const struct doc_node *reg, *list, *it;
	const char *c;
	size_t i, j, k;

	for (i = 0; i < doc->u.map.n; i++) {
		reg = doc->u.map.pairs[i].val;
		for (j = 0; reg->type == DOC_MAP && j < reg->u.map.n; j++) {
			list = reg->u.map.pairs[j].val;
			for (k = 0; list->type == DOC_SEQ && k < list->u.seq.n;
			     k++) {
				it = list->u.seq.items[k];
				c = doc_str(doc_get(it, "compartment_id"));
				if (c == NULL)
					c = doc_str(
					    doc_get(it, "compartment-id"));
				if (oci_is_tenancy(c))
					return c;
			}
		}
	}
	return NULL;
}

/*
 * The inventory's Events rules of every region, in one tenancy-wide
 * OCI::Events::RuleSet (identity events are delivered in the home region
 * only: the rules of all regions are judged together).
 */
static int
add_rules(struct srch *x, const struct doc_node *list, struct arena *a)
{
	struct doc_node *kb, *attrs;
	const char *id, *st;
	size_t k;

	if (x->rules == NULL && (x->rules = src_seq(a, &list->mark)) == NULL)
		return diag_sys(x->d, &list->mark, "out of memory");
	for (k = 0; k < list->u.seq.n; k++) {
		if ((kb = oci_kebab(a, list->u.seq.items[k])) == NULL ||
		    kb->type != DOC_MAP)
			return diag_err(x->d, &list->u.seq.items[k]->mark,
			    "cannot read this Events rule summary");
		id = doc_str(doc_get(kb, "identifier"));
		st = doc_str(doc_get(kb, "lifecycle-state"));
		if (id == NULL ||
		    (st != NULL &&
			(strcasecmp(st, "DELETED") == 0 ||
			    strcasecmp(st, "TERMINATED") == 0)))
			continue;
		if ((attrs = summary_attrs(a, kb, id)) == NULL ||
		    doc_seq_push(a, x->rules, attrs) != 0)
			return diag_sys(x->d, &kb->mark, "out of memory");
	}
	return 0;
}

static int
inv_rule_set(struct srch *x, const struct doc_node *doc, struct arena *a)
{
	struct resource r;
	struct doc_node *attrs;

	if (x->rules == NULL)
		return 0;
	if ((attrs = src_map(a, &doc->mark)) == NULL ||
	    src_set(a, attrs, "rules", x->rules) != 0)
		return diag_sys(x->d, &doc->mark, "out of memory");
	memset(&r, 0, sizeof(r));
	r.type = "OCI::Events::RuleSet";
	r.id = x->tenancy != NULL ? x->tenancy : "tenancy";
	r.account = x->tenancy;
	r.source = x->path;
	r.mark = doc->mark;
	r.attrs = attrs;
	OCI_SET_PROVIDER(r);
	x->emitted++;
	if (x->fn(x->ctx, &r, a) != 0)
		return -1;
	return marker(x, "OCI::Events::RuleSet", NULL, NULL);
}

static int
inv_doc(void *ctx, struct doc_node *doc, struct arena *a)
{
	struct srch *x = ctx;
	const struct doc_node *reg, *list;
	const struct oci_type *t;
	const char *region, *key;
	size_t i, j, k, ti;

	if (doc->type != DOC_MAP)
		return diag_err(
		    x->d, &doc->mark, "a CIS inventory is a map of regions");
	x->tenancy = inv_tenancy(doc);
	if (x->tenancy != NULL &&
	    (x->tenancy = arena_strdup(x->a, x->tenancy)) == NULL)
		return diag_sys(x->d, &doc->mark, "out of memory");
	for (i = 0; i < doc->u.map.n; i++) {
		region = doc->u.map.pairs[i].key->str;
		reg = doc->u.map.pairs[i].val;
		if (reg->type != DOC_MAP)
			return diag_err(x->d, &reg->mark,
			    "region '%s' of a CIS inventory must map resource "
			    "types to lists",
			    region);
		for (j = 0; j < reg->u.map.n; j++) {
			key = reg->u.map.pairs[j].key->str;
			list = reg->u.map.pairs[j].val;
			if (list->type != DOC_SEQ)
				return diag_err(x->d, &list->mark,
				    "'%s.%s' must be a list of resource "
				    "summaries",
				    region, key);
			if ((t = oci_type_by_search(key)) == NULL) {
				x->skipped += list->u.seq.n;
				continue;
			}
			for (k = 0; k < list->u.seq.n; k++)
				if (summary(x, list->u.seq.items[k],
					t->global ? NULL : region, a) != 0)
					return -1;
			ti = type_index(t);
			if (strcmp(key, "EventRule") == 0 &&
			    add_rules(x, list, a) != 0)
				return -1;
			if (t->global && x->seen[ti])
				continue;
			if (marker(x, t->type, t->global ? NULL : region,
				NULL) != 0)
				return -1;
			x->seen[ti] = 1;
		}
	}
	return inv_rule_set(x, doc, a);
}

/* ----------------------------------------------------------- adapter */

/* Whether the document's first key is "data" (after '{' and spaces). */
static int
first_key_is_data(const char *head, size_t len)
{
	size_t i = 0;

	while (i < len && strchr(" \t\r\n", head[i]) != NULL && head[i] != 0)
		i++;
	if (i >= len || head[i] != '{')
		return 0;
	for (i++; i < len && strchr(" \t\r\n", head[i]) != NULL && head[i] != 0;
	     i++)
		;
	return len - i >= 6 && memcmp(head + i, "\"data\"", 6) == 0;
}

static int
srch_detect(const char *path, int is_dir, const char *head, size_t len)
{
	(void)path;
	if (is_dir || head == NULL)
		return 0;
	if (src_has_key(head, len, "resource_type") &&
	    src_has_key(head, len, "identifier") &&
	    src_has_key(head, len, "compartment_id"))
		return 80;
	if (src_has_key(head, len, "data") &&
	    src_has_key(head, len, "identifier") &&
	    (src_has_key(head, len, "resource-type") ||
		src_has_key(head, len, "resourceType")))
		return 80;
	return 0;
}

static int
srch_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	struct srch x;
	struct input own, *in;
	struct load_limits ol;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	memset(&own, 0, sizeof(own));
	own.fd = -1;
	x.d = d;
	x.path = path;
	x.fn = fn;
	x.ctx = ctx;
	if ((in = input_of(lim, path)) == NULL) {
		if (lim != NULL)
			ol = *lim;
		else
			load_limits_default(&ol);
		if (input_open(d, path, &own) == -1)
			goto out;
		ol.input = in = &own;
		lim = &ol;
	}
	if ((x.a = arena_new()) == NULL ||
	    (x.seen = arena_alloc(x.a, ntypes() + 1)) == NULL) {
		diag_sys(d, NULL, "out of memory");
		goto out;
	}
	memset(x.seen, 0, ntypes() + 1);
	/* A search export's first key is "data"; an inventory's a region. */
	x.inventory = !first_key_is_data(in->head, in->hlen);
	if (x.inventory)
		rc = doc_stream_file(
		    d, path, DOC_FMT_JSON, NULL, lim, inv_doc, &x, NULL);
	else
		rc = search_read(&x, in, lim);
	if (rc == 0 && x.skipped + x.gone > 0) {
		struct mark m = { path, 0, 0 };

		diag_note(d, &m,
		    "skipped %zu summaries of types no check reads and %zu "
		    "terminated or deleted resources",
		    x.skipped, x.gone);
	}
out:
	if (nresources != NULL)
		*nresources = x.emitted;
	arena_free(x.a);
	input_close(&own);
	return rc;
}

const struct adapter adapter_oci_search = {
	.name = "oci-search",
	.summary = "OCI Search resource summaries: `oci search resource "
		   "structured-search` output, the CIS landing-zone raw "
		   "inventory",
	.detect = srch_detect,
	.read = srch_read,
};
