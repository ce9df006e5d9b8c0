/*
 * dump.c: the provider-neutral reader of API dumps (dump.h): one JSON
 * file per API call (and per resource), read from a provider's table.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "checks/sources/dump.h"

#define COLLECTION_FILE "rampart-collection.json"

/* -------------------------------------------------------------- misc */

int
dump_oom(struct dump *d)
{
	return diag_sys(d->d, NULL, "out of memory");
}

int
dump_path_join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

int
dump_strv_push(struct arena *a, struct dump_strv *sv, const char *str)
{
	const char **v;
	size_t cap;

	if (sv->n == sv->cap) {
		cap = sv->cap != 0 ? sv->cap * 2 : 64;
		if ((v = arena_realloc(a, sv->v, sv->cap * sizeof(*v),
			 cap * sizeof(*v))) == NULL)
			return -1;
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = str;
	return 0;
}

int
dump_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
dump_strv_has(const struct dump_strv *sv, const char *str)
{
	return sv->n != 0 &&
	    bsearch(&str, sv->v, sv->n, sizeof(*sv->v), dump_cmp_str) != NULL;
}

/*
 * The one JSON document of file path: from the bytes the run's digest
 * walk kept when it read the file whole (lib.h, dir_index_keep()), else
 * from the file.  NULL on error (reported in d->d).
 */
static struct doc_node *
dump_load(struct dump *d, const char *path)
{
	const char *buf;
	size_t len;

	if (dir_index_bytes(d->ix, path, &buf, &len))
		return doc_load_one_buf(
		    d->a, d->d, path, buf, len, DOC_FMT_JSON, d->lim);
	return doc_load_one(d->a, d->d, path, DOC_FMT_JSON, d->lim);
}

/* ------------------------------------------------------------- setup */

int
dump_init(struct dump *d, const struct dump_layout *lay, struct diag *dg,
    const char *root, const struct load_limits *lim, resource_fn fn, void *ctx)
{
	struct input *in;

	memset(d, 0, sizeof(*d));
	d->lay = lay;
	d->d = dg;
	d->root = root;
	d->lim = lim;
	d->fn = fn;
	d->ctx = ctx;
	if ((in = input_of(lim, root)) != NULL && in->dirs != NULL) {
		d->ix = in->dirs;
	} else {
		d->ix = dir_index_new();
		d->ix_own = 1;
	}
	if (d->ix == NULL || (d->a = arena_new()) == NULL) {
		dump_fini(d);
		return dump_oom(d);
	}
	d->keep = d->a;
	return 0;
}

void
dump_fini(struct dump *d)
{
	arena_free(d->keep);
	if (d->ix_own)
		dir_index_free(d->ix);
	d->a = d->keep = NULL;
	d->ix = NULL;
	d->ix_own = 0;
}

int
dump_read_collection(struct dump *d)
{
	char path[PATH_MAX];
	struct doc_node *doc;
	const struct doc_node *v;
	struct time_error te;
	struct stat st;

	if (dump_path_join(path, sizeof(path), d->root, COLLECTION_FILE) != 0 ||
	    dir_index_stat(d->ix, path, &st) != 0)
		return 0;
	if ((doc = dump_load(d, path)) == NULL)
		return -1;
	v = doc_get(doc, "started");
	if (v == NULL || v->type != DOC_STRING)
		return diag_err(d->d, v != NULL ? &v->mark : &doc->mark,
		    "'started' must be the RFC 3339 time the collection "
		    "began");
	if (time_parse(v->str, v->len, TIME_DATETIME, &d->collected, &te) == -1)
		return diag_err(
		    d->d, &v->mark, "'started' ('%s'): %s", v->str, te.why);
	return 0;
}

int
dump_regions(struct dump *d, const char ***out, size_t *n)
{
	const char *const *names;
	const char **v = NULL, **nv;
	size_t cap = 0, nn, i;

	*n = 0;
	*out = NULL;
	if (dir_index_names(d->ix, d->root, &names, &nn) != 0)
		return diag_errno(
		    d->d, NULL, errno, "cannot read directory '%s'", d->root);
	for (i = 0; i < nn; i++) {
		if (!src_is_region(names[i]))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			nv = arena_realloc(
			    d->a, v, *n * sizeof(*v), cap * sizeof(*v));
			if (nv == NULL)
				return dump_oom(d);
			v = nv;
		}
		if ((v[*n] = arena_strdup(d->a, names[i])) == NULL)
			return dump_oom(d);
		(*n)++;
	}
	if (*n > 1)
		qsort(v, *n, sizeof(*v), dump_cmp_str);
	*out = v;
	return 0;
}

/* ------------------------------------------------- the layout's table */

const struct dump_call *
dump_call_find(const struct dump_layout *lay, const char *svc, const char *call)
{
	size_t i;

	for (i = 0; i < lay->ncalls; i++)
		if ((svc == NULL || strcmp(lay->calls[i].svc, svc) == 0) &&
		    strcmp(lay->calls[i].call, call) == 0)
			return &lay->calls[i];
	return NULL;
}

static const struct dump_error *
error_row(const struct dump_layout *lay, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < lay->nerrors; i++)
		if (strcmp(code, lay->errors[i].code) == 0)
			return &lay->errors[i];
	return NULL;
}

enum dump_class
dump_classify(const struct dump_layout *lay, const struct dump_call *c,
    const char *code, int64_t status)
{
	const struct dump_error *e;

	if (c != NULL && c->notconf != NULL && code != NULL &&
	    strcmp(code, c->notconf) == 0)
		return DUMP_CLS_NOTCONF;
	if ((e = error_row(lay, code)) != NULL)
		return e->cls;
	if (status == 401 || status == 403 || status == 404)
		return DUMP_CLS_DENIED;
	if (status == 429)
		return DUMP_CLS_THROTTLED;
	return DUMP_CLS_OTHER;
}

const char *
dump_class_name(enum dump_class cls)
{
	switch (cls) {
	case DUMP_CLS_DENIED:
		return "denied";
	case DUMP_CLS_THROTTLED:
		return "throttled";
	case DUMP_CLS_NOTCONF:
		return "not configured";
	case DUMP_CLS_OTHER:
		break;
	}
	return "failed";
}

const char *
dump_error_words(const struct dump_layout *lay, const struct dump_call *c,
    const char *code, int64_t status)
{
	const struct dump_error *e = error_row(lay, code);
	enum dump_class cls = dump_classify(lay, c, code, status);

	if (e != NULL && e->words != NULL && e->cls == cls)
		return e->words;
	return dump_class_name(cls);
}

/* Whether a page flag's value v says more pages follow. */
static int
flag_set(const struct dump_layout *lay, const struct doc_node *v)
{
	if (v->type == DOC_BOOL)
		return v->u.b;
	if (lay->flag_strings && v->type == DOC_STRING) {
		if (strcmp(v->str, "false") == 0)
			return 0;
	}
	return 1;
}

const char *
dump_more_pages(const struct dump_layout *lay, const struct doc_node *data)
{
	const struct doc_node *v;
	size_t i;

	if (data == NULL || data->type != DOC_MAP)
		return NULL;
	for (i = 0; lay->page_tokens != NULL && lay->page_tokens[i] != NULL;
	     i++) {
		v = doc_get(data, lay->page_tokens[i]);
		if (v != NULL && v->type != DOC_NULL &&
		    !(v->type == DOC_STRING && v->len == 0))
			return lay->page_tokens[i];
	}
	for (i = 0; lay->page_flags != NULL && lay->page_flags[i] != NULL;
	     i++) {
		v = doc_get(data, lay->page_flags[i]);
		if (v != NULL && flag_set(lay, v))
			return lay->page_flags[i];
	}
	return NULL;
}

/* ----------------------------------------------------- reading a file */

/* The default file of call c: see dump_layout.path. */
static int
default_path(const struct dump_scope *s, const struct dump_call *c,
    const char *name, char *buf, size_t len)
{
	char safe[NAME_MAX];
	size_t i;
	int n;

	if (name != NULL && name[0] != '\0') {
		/* A name never escapes its directory. */
		for (i = 0; name[i] != '\0' && i + 1 < sizeof(safe); i++)
			safe[i] = name[i] == '/' ? '_' : name[i];
		safe[i] = '\0';
		if (strcmp(safe, ".") == 0 || strcmp(safe, "..") == 0)
			return -1;
		n = snprintf(buf, len, "%s/%s/%s/%s.json", s->dir, c->svc,
		    c->call, safe);
	} else {
		n = snprintf(
		    buf, len, "%s/%s/%s.json", s->dir, c->svc, c->call);
	}
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* An error response r: "'<tool> svc call' failed: why (file)". */
static int
resp_fail(struct dump *d, struct dump_resp *r, const struct dump_call *c,
    const char *code, const char *why, const char *file)
{
	r->kind = DUMP_ERROR;
	r->code = code;
	r->cls = DUMP_CLS_OTHER;
	r->msg = arena_printf(d->a, "'%s %s %s' failed: %s (%s)", d->lay->tool,
	    c->svc, c->call, why, file);
	return r->msg == NULL ? dump_oom(d) : 0;
}

/* The default envelope: {"Error": {"Code", "Message"}} is an error. */
static int
default_unwrap(struct dump *d, const struct dump_call *c, struct doc_node *doc,
    struct dump_resp *r)
{
	const struct doc_node *err = doc_get(doc, "Error");
	const char *msg;

	if (err == NULL) {
		r->kind = DUMP_OK;
		r->data = doc;
		return 0;
	}
	r->kind = DUMP_ERROR;
	r->code = doc_str(doc_get(err, "Code"));
	if (r->code == NULL)
		r->code = "UnknownError";
	msg = doc_str(doc_get(err, "Message"));
	r->msg = arena_printf(d->a, "'%s %s %s' failed: %s%s%s (%s)",
	    d->lay->tool, c->svc, c->call, r->code, msg ? ": " : "",
	    msg ? msg : "", doc->mark.file);
	return r->msg == NULL ? dump_oom(d) : 0;
}

int
dump_get(struct dump *d, const struct dump_scope *s, const struct dump_call *c,
    const char *name, size_t index, struct dump_resp *r)
{
	char path[PATH_MAX];
	struct doc_node *doc;
	struct stat st;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = d->lay->path != NULL
	    ? d->lay->path(d, s, c, name, index, path, sizeof(path))
	    : default_path(s, c, name, path, sizeof(path));
	if (rc != 0 || dir_index_stat(d->ix, path, &st) != 0) {
		if (rc != 0 || errno == ENOENT)
			return 0;
		if (d->lay->strict_files)
			return diag_errno(
			    d->d, NULL, errno, "cannot read '%s'", path);
		if ((r->mark.file = arena_strdup(d->a, path)) == NULL)
			return dump_oom(d);
		return resp_fail(
		    d, r, c, "Unreadable", strerror(errno), r->mark.file);
	}
	if (!S_ISREG(st.st_mode)) {
		if (d->lay->strict_files)
			return diag_err(d->d, NULL,
			    "'%s' is not a regular file (an %s output was "
			    "expected)",
			    path, d->lay->what);
		if ((r->mark.file = arena_strdup(d->a, path)) == NULL)
			return dump_oom(d);
		return resp_fail(d, r, c, "Unreadable",
		    S_ISDIR(st.st_mode)
			? "a directory stands where its output file should be"
			: "its output is not a regular file",
		    r->mark.file);
	}
	if ((doc = dump_load(d, path)) == NULL)
		return -1;
	r->mark = doc->mark;
	if ((d->lay->unwrap != NULL ? d->lay->unwrap(d, c, doc, r)
				    : default_unwrap(d, c, doc, r)) != 0)
		return -1;
	if (r->kind == DUMP_ERROR) {
		r->cls = dump_classify(d->lay, c, r->code, r->status);
		if (r->cls == DUMP_CLS_NOTCONF) {
			r->kind = DUMP_NOTCONF;
			r->msg = NULL;
		} else if (r->msg == NULL &&
		    (r->msg = arena_printf(d->a, "'%s %s %s' %s: %s (%s)",
			 d->lay->tool, c->svc, c->call,
			 dump_error_words(d->lay, c, r->code, r->status),
			 r->code != NULL ? r->code : "(no code)",
			 r->mark.file)) == NULL)
			return dump_oom(d);
	} else if (r->kind == DUMP_OK && r->more == NULL) {
		r->more = dump_more_pages(d->lay, r->data);
	}
	return 0;
}

/* --------------------------------------------------------- emitting */

int
dump_emit(struct dump *d, const struct dump_scope *s, const char *type,
    const char *id, struct doc_node *attrs, const char *rerr,
    const struct mark *m)
{
	struct resource r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.id = id;
	r.region = s->region;
	r.account = d->account;
	r.provider = d->lay->provider;
	r.source = m->file != NULL ? m->file : d->root;
	r.mark = *m;
	r.attrs = attrs;
	r.read_error = rerr;
	r.unreadable = doc_get(attrs, RESOURCE_UNREADABLE);
	r.collected = d->collected;
	d->emitted++;
	d->resources++;
	return d->fn(d->ctx, &r, d->a);
}

int
dump_marker(struct dump *d, const struct dump_scope *s, const char *type,
    const char *rerr, const struct mark *m)
{
	struct resource r, place;

	memset(&place, 0, sizeof(place));
	place.region = s->region;
	place.account = d->account;
	place.provider = d->lay->provider;
	place.collected = d->collected;
	src_marker(&r, &place, type, m->file != NULL ? m->file : d->root, rerr);
	r.mark = *m;
	if (d->lay->marker_attrs && (r.attrs = src_map(d->a, m)) == NULL)
		return dump_oom(d);
	d->emitted++;
	return d->fn(d->ctx, &r, d->a);
}

int
dump_mark_calls_error(struct dump *d, const struct dump_scope *s,
    const char *svc, const char *call, const char *path, const char *why)
{
	const struct dump_layout *lay = d->lay;
	const char *msg;
	struct mark m = { NULL, 0, 0 };
	size_t i, j;

	if ((msg = arena_printf(d->a, "%s: '%s'", why, path)) == NULL ||
	    (m.file = arena_strdup(d->a, path)) == NULL)
		return dump_oom(d);
	for (i = 0; i < lay->ncalls; i++) {
		if (lay->calls[i].type == NULL ||
		    strcmp(lay->calls[i].svc, svc) != 0 ||
		    (call != NULL && strcmp(lay->calls[i].call, call) != 0))
			continue;
		/* One marker per type: the first row naming it. */
		for (j = 0; j < i; j++)
			if (lay->calls[j].type != NULL &&
			    strcmp(lay->calls[j].svc, svc) == 0 &&
			    (call == NULL ||
				strcmp(lay->calls[j].call, call) == 0) &&
			    strcmp(lay->calls[j].type, lay->calls[i].type) == 0)
				break;
		if (j < i)
			continue;
		if (dump_marker(d, s, lay->calls[i].type, msg, &m) != 0)
			return -1;
	}
	return 0;
}

/* attrs[map][key] = r's message, creating the map attrs[map].  0 or -1. */
static int
note_msg(struct dump *d, struct doc_node *attrs, const char *map,
    const char *key, const struct dump_resp *r)
{
	struct doc_node *m;

	if ((m = doc_get(attrs, map)) == NULL) {
		if ((m = src_map(d->a, &r->mark)) == NULL ||
		    src_set(d->a, attrs, map, m) != 0)
			return dump_oom(d);
	}
	if (src_set(d->a, m, key, src_str(d->a, r->msg, &r->mark)) != 0)
		return dump_oom(d);
	return 0;
}

int
dump_add_read_error(struct dump *d, struct doc_node *attrs, const char *call,
    const struct dump_resp *r, const char **rerr)
{
	if (note_msg(d, attrs, SRC_READ_ERRORS, call, r) != 0)
		return -1;
	if (*rerr == NULL)
		*rerr = r->msg;
	return 0;
}

int
dump_add_unreadable(struct dump *d, struct doc_node *attrs, const char *call,
    const char *attr, const struct dump_resp *r)
{
	if (note_msg(d, attrs, SRC_READ_ERRORS, call, r) != 0)
		return -1;
	return note_msg(d, attrs, RESOURCE_UNREADABLE, attr, r);
}

/* ---------------------------------------------------- listings, joins */

static const char *
more_words(struct dump *d, const struct dump_call *c, const char *file,
    const char *key)
{
	if (d->lay->more_words != NULL)
		return d->lay->more_words(d, c, file, key);
	return arena_printf(d->a,
	    "'%s %s %s' is incomplete: its last page says '%s', so more "
	    "pages exist than the export holds (%s)",
	    d->lay->tool, c->svc, c->call, key, file);
}

static const char *
page_missing(struct dump *d, const struct dump_scope *s,
    const struct dump_call *c, size_t index, size_t npages)
{
	char path[PATH_MAX];

	if (d->lay->page_missing != NULL)
		return d->lay->page_missing(d, s, c, index, npages);
	if ((d->lay->path != NULL
		    ? d->lay->path(d, s, c, "", index, path, sizeof(path))
		    : default_path(s, c, "", path, sizeof(path))) != 0)
		snprintf(path, sizeof(path), "%s", s->dir);
	return arena_printf(d->a,
	    "'%s %s %s' is incomplete: page %zu of %zu is missing (%s)",
	    d->lay->tool, c->svc, c->call, index + 1, npages, path);
}

/* Append the items of seq l to *all (made from *list on first use). */
static int
append_page(struct dump *d, struct doc_node **all, const struct doc_node **list,
    const struct doc_node *l)
{
	size_t j;

	if (*all == NULL) {
		if ((*all = src_seq(d->a, &(*list)->mark)) == NULL)
			return dump_oom(d);
		for (j = 0; j < (*list)->u.seq.n; j++)
			if (doc_seq_push(d->a, *all, (*list)->u.seq.items[j]))
				return dump_oom(d);
		*list = *all;
	}
	for (j = 0; j < l->u.seq.n; j++)
		if (doc_seq_push(d->a, *all, l->u.seq.items[j]))
			return dump_oom(d);
	return 0;
}

int
dump_read_listing(struct dump *d, const struct dump_scope *s, const char *type,
    const struct dump_call *c, const char *key, size_t npages, int shared,
    struct dump_resp *r, const struct doc_node **list)
{
	const struct doc_node *l, *last = NULL;
	struct doc_node *all = NULL;
	const char *rerr = NULL, *more;
	struct mark m = { NULL, 0, 0 };
	size_t i, pages = 0;
	int seen = 0;
	struct dump_resp p;

	*list = NULL;
	memset(r, 0, sizeof(*r));
	for (i = 0; i < npages; i++) {
		if (dump_get(d, s, c, "", i, &p))
			return -1;
		if (p.kind == DUMP_MISSING) {
			/* Only with pages: a gap in 1 ... npages. */
			if (npages > 1 && rerr == NULL &&
			    (rerr = page_missing(d, s, c, i, npages)) == NULL)
				return dump_oom(d);
			continue;
		}
		if (p.kind != DUMP_OK) {
			/* Shared pages: an error is either API's. */
			if (!seen)
				m = p.mark;
			seen = 1;
			if (rerr == NULL)
				rerr = p.msg != NULL
				    ? p.msg
				    : arena_printf(d->a,
					  "'%s %s %s' failed: %s (%s)",
					  d->lay->tool, c->svc, c->call, p.code,
					  p.mark.file);
			if (rerr == NULL)
				return dump_oom(d);
			continue;
		}
		l = doc_get(p.data, key);
		if (l == NULL && shared)
			continue;
		if (l == NULL || l->type != DOC_SEQ)
			return diag_err(d->d, &p.mark,
			    "output of '%s %s %s' has no '%s' list",
			    d->lay->tool, c->svc, c->call, key);
		if (r->kind == DUMP_MISSING) {
			*r = p;
			if (!seen)
				m = p.mark;
		}
		seen = 1;
		last = p.data;
		if (pages++ == 0)
			*list = l;
		else if (append_page(d, &all, list, l) != 0)
			return -1;
	}
	if (!seen)
		return 0;
	if (rerr == NULL && last != NULL &&
	    (more = dump_more_pages(d->lay, last)) != NULL &&
	    (rerr = more_words(d, c, r->mark.file, more)) == NULL)
		return dump_oom(d);
	if (rerr != NULL) {
		r->kind = DUMP_ERROR;
		r->msg = rerr;
	}
	if (type != NULL && dump_marker(d, s, type, rerr, &m) != 0)
		return -1;
	return 0;
}

/*
 * Remember that the per-resource file of name for call c was looked for,
 * so that a file no listing names is found (dump_check_per_resource).
 */
static int
note_joined(struct dump *d, const struct dump_call *c, const char *name)
{
	char *key;
	size_t i, o;

	if (name == NULL || name[0] == '\0')
		return 0;
	if ((key = arena_printf(d->keep, "%s/%s/%s", c->svc, c->call, name)) ==
	    NULL)
		return dump_oom(d);
	/* The file name the default path gives it. */
	o = strlen(c->svc) + strlen(c->call) + 2;
	for (i = o; key[i] != '\0'; i++)
		if (key[i] == '/')
			key[i] = '_';
	if (dump_strv_push(d->keep, &d->joined, key) != 0)
		return dump_oom(d);
	return 0;
}

/* The unreadable value v of a join: the attribute, or the resource. */
static int
join_unreadable(struct dump *d, struct doc_node *attrs, const char **rerr,
    const struct dump_call *c, const char *attr, const struct dump_resp *r)
{
	if (rerr == NULL)
		return dump_add_unreadable(d, attrs, c->call, attr, r);
	return dump_add_read_error(d, attrs, c->call, r, rerr);
}

/* Merge every field of r's data into attrs. */
static int
join_merge(struct dump *d, struct doc_node *attrs, const struct dump_resp *r)
{
	size_t i;

	for (i = 0; r->data->type == DOC_MAP && i < r->data->u.map.n; i++)
		if (src_set(d->a, attrs, r->data->u.map.pairs[i].key->str,
			r->data->u.map.pairs[i].val))
			return dump_oom(d);
	return 0;
}

int
dump_join(struct dump *d, const struct dump_scope *s, struct doc_node *attrs,
    const char **rerr, const struct dump_call *c, const char *name,
    size_t index)
{
	struct dump_resp r;
	struct doc_node *v, *out;
	const char *why = NULL, *attr = c->attr != NULL ? c->attr : c->field;

	if (note_joined(d, c, name) != 0 ||
	    dump_get(d, s, c, name, index, &r) != 0)
		return -1;
	if (r.kind == DUMP_MISSING && d->lay->missing != NULL &&
	    d->lay->missing(d, s, c, name, index, &r) != 0)
		return -1;
	if (r.kind == DUMP_OK && r.more != NULL) {
		r.kind = DUMP_ERROR;
		r.code = "Incomplete";
		if ((r.msg = arena_printf(d->a,
			 "'%s %s %s' failed: its output says '%s': more "
			 "pages exist than the export holds (%s)",
			 d->lay->tool, c->svc, c->call, r.more, r.mark.file)) ==
		    NULL)
			return dump_oom(d);
	}
	switch (r.kind) {
	case DUMP_MISSING:
		return 0;
	case DUMP_ERROR:
		if (rerr == NULL && c->field != NULL)
			return join_unreadable(d, attrs, NULL, c, attr, &r);
		return dump_add_read_error(d, attrs, c->call, &r, rerr);
	case DUMP_NOTCONF:
		if (src_not_configured(d->a, attrs,
			attr != NULL ? attr : c->call, r.code, &r.mark))
			return dump_oom(d);
		return 0;
	case DUMP_OK:
		break;
	}
	if (c->field == NULL)
		return join_merge(d, attrs, &r);
	v = c->field[0] == '\0' ? r.data : doc_get(r.data, c->field);
	if (v == NULL)
		return 0;
	out = v;
	if (c->fix != 0 && d->lay->fix != NULL &&
	    d->lay->fix(d, c->fix, v, &out, &why) != 0)
		return -1;
	if (out == NULL) {
		r.msg = arena_printf(d->a, "'%s %s %s': %s is unreadable: %s",
		    d->lay->tool, c->svc, c->call, c->field,
		    why != NULL ? why : "out of memory");
		if (r.msg == NULL)
			return dump_oom(d);
		return join_unreadable(d, attrs, rerr, c, attr, &r);
	}
	if (src_set(d->a, attrs, attr, out))
		return dump_oom(d);
	return 0;
}

int
dump_join_all(struct dump *d, const struct dump_scope *s, const char *type,
    struct doc_node *attrs, const char **rerr, const char *name, size_t index)
{
	const struct dump_call *c;
	size_t i;

	for (i = 0; i < d->lay->ncalls; i++) {
		c = &d->lay->calls[i];
		if (!c->join || c->type == NULL || strcmp(c->type, type) != 0)
			continue;
		if (dump_join(d, s, attrs, c->field != NULL ? NULL : rerr, c,
			name, index))
			return -1;
	}
	return 0;
}

int
dump_warn_unread(struct dump *d, const char *path, const char *why)
{
	struct mark m = { NULL, 0, 0 };

	m.file = path;
	diag_warn(d->d, &m, "'%s' is not read: %s", path, why);
	return 0;
}

int
dump_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/*
 * Why entry de of per-resource folder dir (of row c) is not read, or
 * NULL when a join looked for it; *key receives "" on out of memory.
 */
static const char *
per_resource_why(struct dump *d, const struct dump_call *c, const char *dir,
    const char *name, char *path, size_t plen, int *oom)
{
	struct stat st;
	size_t len = strlen(name);
	char *key;

	*oom = 0;
	if (dump_path_join(path, plen, dir, name))
		return "path too long to read";
	if (dir_index_stat(d->ix, path, &st) != 0 || !S_ISREG(st.st_mode))
		return "not a regular file";
	if (!dump_ends_with(name, ".json") || len == 5)
		return "not a '<name>.json' file";
	if ((key = arena_printf(d->a, "%s/%s/%.*s", c->svc, c->call,
		 (int)(len - 5), name)) == NULL) {
		*oom = 1;
		return NULL;
	}
	if (dump_strv_has(&d->joined, key))
		return NULL;
	return "a resource that no listing in the export names";
}

/* One per-resource folder: its unread entries make c's type an error. */
static int
check_folder(struct dump *d, const struct dump_scope *s,
    const struct dump_call *c, const char *dir, const char *const *names,
    size_t n)
{
	char path[PATH_MAX];
	const char *first = NULL, *why;
	size_t bad = 0, i;
	int oom;

	for (i = 0; i < n; i++) {
		if (names[i][0] == '.' &&
		    dump_path_join(path, sizeof(path), dir, names[i]) == 0) {
			/* never written by a collector; holds no
			 * resource's evidence (.DS_Store, .tmp) */
			dump_warn_unread(d, path, "hidden file");
			continue;
		}
		why = per_resource_why(
		    d, c, dir, names[i], path, sizeof(path), &oom);
		if (oom)
			return dump_oom(d);
		if (why == NULL)
			continue;
		if (bad++ == 0 &&
		    (first = arena_printf(d->a, "%s (%s)", path, why)) == NULL)
			return dump_oom(d);
	}
	if (bad > 0 &&
	    dump_mark_calls_error(d, s, c->svc, c->call, first,
		bad == 1 ? "1 per-resource output is not read"
			 : arena_printf(d->a,
			       "%zu per-resource outputs are not read, the "
			       "first",
			       bad)))
		return -1;
	return 0;
}

int
dump_check_per_resource(struct dump *d, const struct dump_scope *s,
    int (*skip)(const struct dump_scope *s, const struct dump_call *c))
{
	char dir[PATH_MAX];
	const struct dump_call *c;
	const char *const *names;
	size_t i, n;

	if (d->joined.n > 0)
		qsort(d->joined.v, d->joined.n, sizeof(*d->joined.v),
		    dump_cmp_str);
	for (i = 0; i < d->lay->ncalls; i++) {
		c = &d->lay->calls[i];
		if (c->per == DUMP_ONCE || c->type == NULL ||
		    (skip != NULL && skip(s, c)))
			continue;
		snprintf(dir, sizeof(dir), "%s/%s/%s", s->dir, c->svc, c->call);
		if (dir_index_names(d->ix, dir, &names, &n) != 0) {
			if (errno == ENOENT)
				continue;
			if (dump_mark_calls_error(d, s, c->svc, c->call, dir,
				errno == ENOTDIR
				    ? "per-resource outputs expected in a "
				      "folder, found a file"
				    : "per-resource folder cannot be read"))
				return -1;
			continue;
		}
		if (check_folder(d, s, c, dir, names, n) != 0)
			return -1;
	}
	d->joined.n = 0;
	return 0;
}

/* The row of svc whose call matches name (len bytes) in any case. */
static const struct dump_call *
call_nocase(const struct dump_layout *lay, const char *svc, const char *name,
    size_t len)
{
	size_t i;

	for (i = 0; i < lay->ncalls; i++)
		if (strcmp(lay->calls[i].svc, svc) == 0 &&
		    strlen(lay->calls[i].call) == len &&
		    strncasecmp(name, lay->calls[i].call, len) == 0)
			return &lay->calls[i];
	return NULL;
}

size_t
dump_stem_len(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot != NULL && dot != name ? (size_t)(dot - name) : strlen(name);
}

/* One entry of a service folder (dump_check_service_dir). */
static int
check_service_entry(struct dump *d, const struct dump_scope *s, const char *svc,
    const char *name, const char *path)
{
	const struct dump_call *c;
	struct stat st;
	size_t len = strlen(name);
	int isdir =
	    dir_index_stat(d->ix, path, &st) == 0 && S_ISDIR(st.st_mode);

	if (!isdir && dump_ends_with(name, ".json")) {
		c = call_nocase(d->lay, svc, name, len - 5);
		if (c != NULL && strncmp(c->call, name, len - 5) != 0)
			return dump_mark_calls_error(d, s, svc, c->call, path,
			    "output file name in unexpected case");
		return 0;
	}
	if (isdir) {
		c = call_nocase(d->lay, svc, name, len);
		/* "<call>.json/": a folder where the call's file belongs */
		if (c == NULL && dump_ends_with(name, ".json") &&
		    (c = call_nocase(d->lay, svc, name, len - 5)) != NULL)
			return dump_mark_calls_error(d, s, svc, c->call, path,
			    "a folder stands where the call's output file "
			    "is expected");
		if (c == NULL)
			return dump_warn_unread(d, path,
			    "not a per-resource folder of a call rampart "
			    "reads");
		if (strcmp(c->call, name) != 0)
			return dump_mark_calls_error(d, s, svc, c->call, path,
			    "per-resource folder name in unexpected case");
		if (c->per == DUMP_ONCE)
			return dump_mark_calls_error(d, s, svc, c->call, path,
			    "a folder stands where the call's output file "
			    "is expected");
		return 0;
	}
	c = call_nocase(d->lay, svc, name, dump_stem_len(name));
	if (c == NULL)
		c = call_nocase(d->lay, svc, name, len);
	if (c != NULL)
		return dump_mark_calls_error(d, s, svc, c->call, path,
		    "output file without the '.json' extension");
	return dump_warn_unread(d, path, "not a '<call>.json' file");
}

int
dump_check_service_dir(struct dump *d, const struct dump_scope *s,
    const char *svc, const char *dir)
{
	char path[PATH_MAX];
	const char *const *names;
	size_t i, n;
	int rc = 0;

	if (dir_index_names(d->ix, dir, &names, &n) != 0)
		return dump_mark_calls_error(
		    d, s, svc, NULL, dir, "service folder cannot be read");
	for (i = 0; rc == 0 && i < n; i++) {
		if (dump_path_join(path, sizeof(path), dir, names[i]))
			rc = dump_mark_calls_error(d, s, svc, NULL, dir,
			    "an entry's path is too long to read");
		else
			rc = check_service_entry(d, s, svc, names[i], path);
	}
	return rc;
}

/* --------------------------------------------- a scope from the table */

/* The file of call c for name (see dump_layout.path) into buf. */
static int
call_path(struct dump *d, const struct dump_scope *s, const struct dump_call *c,
    const char *name, size_t index, char *buf, size_t len)
{
	if (d->lay->path != NULL)
		return d->lay->path(d, s, c, name, index, buf, len);
	return default_path(s, c, name, buf, len);
}

/* The type a row's elements are kept under: its type, or "svc/call". */
static const char *
row_type(struct dump *d, const struct dump_call *c)
{
	if (c->type != NULL)
		return c->type;
	return arena_printf(d->a, "%s/%s", c->svc, c->call);
}

/* Whether type is a row's name ("svc/call"), never emitted. */
static int
hidden_type(const char *type)
{
	return strchr(type, '/') != NULL;
}

const struct dump_listing *
dump_listing_of(struct dump *d, const char *type)
{
	size_t i;

	for (i = 0; i < d->nl; i++)
		if (strcmp(d->l[i].type, type) == 0)
			return &d->l[i];
	return NULL;
}

int
dump_listed(struct dump *d, const char *type, const char *why, const char *src)
{
	struct dump_listing *l =
	    (struct dump_listing *)dump_listing_of(d, type);

	if (l == NULL) {
		if (d->nl == d->capl) {
			d->capl = d->capl ? d->capl * 2 : 16;
			l = arena_realloc(d->a, d->l, d->nl * sizeof(*l),
			    d->capl * sizeof(*l));
			if (l == NULL)
				return dump_oom(d);
			d->l = l;
		}
		l = &d->l[d->nl++];
		memset(l, 0, sizeof(*l));
		l->type = type;
	}
	if (l->source == NULL)
		l->source = src;
	if (why != NULL && l->why == NULL)
		l->why = why;
	return 0;
}

static int
add_res(struct dump *d, const char *type, const char *id,
    struct doc_node *attrs, const char *src)
{
	struct dump_res *v;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		v = arena_realloc(
		    d->a, d->v, d->n * sizeof(*v), d->cap * sizeof(*v));
		if (v == NULL)
			return dump_oom(d);
		d->v = v;
	}
	v = &d->v[d->n++];
	memset(v, 0, sizeof(*v));
	v->type = type;
	v->id = id;
	v->attrs = attrs;
	v->mark = attrs->mark;
	v->source = src;
	return 0;
}

int
dump_res_unreadable(
    struct dump *d, struct dump_res *x, const char *attr, const char *why)
{
	struct doc_node *w;

	if (attr[0] == '\0') {
		if (x->read_error == NULL)
			x->read_error = why;
		return 0;
	}
	if (x->unread == NULL) {
		if ((x->unread = src_map(d->a, &x->mark)) == NULL ||
		    src_set(d->a, x->attrs, RESOURCE_UNREADABLE, x->unread) !=
			0)
			return dump_oom(d);
	}
	if ((w = src_str(d->a, why, &x->mark)) == NULL ||
	    src_set(d->a, x->unread, attr, w) != 0)
		return dump_oom(d);
	return 0;
}

/*
 * r's data at c's member, which must be a list (list) or a map or a
 * list; an input error otherwise.
 */
static int
take_member(
    struct dump *d, const struct dump_call *c, struct dump_resp *r, int list)
{
	struct doc_node *data = r->data;

	if (c->member != NULL && data->type == DOC_MAP)
		data = doc_get(data, c->member);
	if (data == NULL || (list && data->type != DOC_SEQ) ||
	    (!list && data->type != DOC_MAP && data->type != DOC_SEQ))
		return diag_err(d->d, &r->mark, "'%s': '%s' must be a %s",
		    r->mark.file,
		    c->member != NULL ? c->member : "the response",
		    list ? "list" : "map");
	r->data = data;
	return 0;
}

/* The id of element el of listing c (the id hook, or its field). */
static const char *
elem_id(struct dump *d, const struct dump_scope *s, const struct dump_call *c,
    const struct doc_node *el)
{
	if (d->lay->id != NULL)
		return d->lay->id(d, s, c, el);
	if (c->id == NULL)
		return d->account;
	return doc_str(doc_get(el, c->id));
}

/* The elements of a listed response become resources of c's type. */
static int
add_listed(struct dump *d, const struct dump_scope *s,
    const struct dump_call *c, const struct dump_resp *r)
{
	struct doc_node *e, *attrs, *idn;
	const char *id, *type = row_type(d, c);
	size_t i, n;

	if (type == NULL)
		return dump_oom(d);
	n = r->data->type == DOC_SEQ ? r->data->u.seq.n : 1;
	for (i = 0; i < n; i++) {
		e = r->data->type == DOC_SEQ ? r->data->u.seq.items[i]
					     : r->data;
		if (e->type != DOC_MAP)
			return diag_err(d->d, &e->mark,
			    "'%s': element %zu is not a map", r->mark.file, i);
		if ((attrs = src_map_clone(d->a, e)) == NULL)
			return dump_oom(d);
		id = elem_id(d, s, c, e);
		if (id == NULL || id[0] == '\0')
			return diag_err(d->d, &e->mark,
			    "'%s': element %zu has no '%s'", r->mark.file, i,
			    c->id != NULL ? c->id : "account id");
		/* A singleton of the account carries its id. */
		if ((idn = src_str(d->a, id, &e->mark)) == NULL ||
		    (c->id == NULL && src_set(d->a, attrs, "id", idn) != 0) ||
		    add_res(d, type, id, attrs, r->mark.file) != 0)
			return dump_oom(d);
	}
	return 0;
}

/* Read the listing row c of the scope over keys (per key or parent). */
static int
scope_listing(struct dump *d, const struct dump_scope *s,
    const struct dump_call *c, const char **keys, size_t nkeys)
{
	char path[PATH_MAX], dir[PATH_MAX];
	const char *why = NULL, *src, *type = row_type(d, c);
	struct dump_resp r;
	struct stat sb;
	size_t i;

	if (type == NULL)
		return dump_oom(d);
	if (c->per == DUMP_ONCE) {
		if (dump_get(d, s, c, NULL, 0, &r) != 0)
			return -1;
		if (r.kind == DUMP_MISSING)
			return 0;
		if (r.kind == DUMP_OK &&
		    (take_member(d, c, &r, c->id != NULL) ||
			add_listed(d, s, c, &r)))
			return -1;
		if (r.kind == DUMP_OK && r.more != NULL &&
		    (r.msg = more_words(d, c, r.mark.file, r.more)) == NULL)
			return dump_oom(d);
		return dump_listed(d, type, r.msg, r.mark.file);
	}
	snprintf(dir, sizeof(dir), "%s/%s/%s", s->dir, c->svc, c->call);
	if (dir_index_stat(d->ix, dir, &sb) != 0)
		return 0; /* not collected: no listing at all */
	if (!S_ISDIR(sb.st_mode))
		return diag_err(d->d, NULL, "'%s' must be a directory", dir);
	for (i = 0; i < nkeys; i++) {
		if (dump_get(d, s, c, keys[i], i, &r) != 0)
			return -1;
		if (r.kind == DUMP_MISSING) {
			if (why == NULL &&
			    (call_path(d, s, c, keys[i], i, path,
				 sizeof(path)) != 0 ||
				(why = arena_printf(d->a,
				     "'%s' is missing: the listing of '%s' "
				     "is incomplete",
				     path, type)) == NULL))
				return dump_oom(d);
			continue;
		}
		if (r.kind == DUMP_OK &&
		    (take_member(d, c, &r, 1) != 0 ||
			add_listed(d, s, c, &r) != 0))
			return -1;
		if (r.kind == DUMP_OK && r.more != NULL &&
		    (r.msg = more_words(d, c, r.mark.file, r.more)) == NULL)
			return dump_oom(d);
		if (r.msg != NULL && why == NULL)
			why = r.msg;
	}
	if ((src = arena_strdup(d->a, dir)) == NULL)
		return dump_oom(d);
	return dump_listed(d, type, why, src);
}

/* Join row c's response r into resource x (scope joins). */
static int
scope_join_one(struct dump *d, const struct dump_call *c, struct dump_res *x,
    struct dump_resp *r)
{
	const char *attr = c->attr != NULL ? c->attr : "", *key;
	size_t j;

	if (r->kind == DUMP_OK && take_member(d, c, r, attr[0] != '\0') != 0)
		return -1;
	if (r->kind == DUMP_OK && r->more != NULL &&
	    (r->msg = more_words(d, c, r->mark.file, r->more)) == NULL)
		return dump_oom(d);
	if (r->kind != DUMP_OK || r->more != NULL)
		return dump_res_unreadable(d, x, attr, r->msg);
	if (attr[0] != '\0') {
		if (src_set(d->a, x->attrs, attr, r->data) != 0)
			return dump_oom(d);
		return 0;
	}
	for (j = 0; r->data->type == DOC_MAP && j < r->data->u.map.n; j++)
		if (src_set(d->a, x->attrs, r->data->u.map.pairs[j].key->str,
			r->data->u.map.pairs[j].val) != 0)
			return dump_oom(d);
	if (c->rename != NULL &&
	    (key = doc_str(doc_get(r->data, c->rename))) != NULL)
		x->id = key;
	return 0;
}

/* A join row: one file per resource of c's type, named by its pkey. */
static int
scope_join(
    struct dump *d, const struct dump_scope *s, const struct dump_call *c)
{
	char dir[PATH_MAX];
	const char *key;
	struct dump_resp r;
	struct stat sb;
	size_t i;

	snprintf(dir, sizeof(dir), "%s/%s/%s", s->dir, c->svc, c->call);
	if (dir_index_stat(d->ix, dir, &sb) != 0)
		return 0;
	for (i = 0; i < d->n; i++) {
		if (strcmp(d->v[i].type, c->type) != 0)
			continue;
		key = doc_str(doc_get(d->v[i].attrs, c->pkey));
		if (key == NULL)
			continue;
		if (dump_get(d, s, c, key, i, &r) != 0)
			return -1;
		if (r.kind == DUMP_MISSING)
			continue; /* not collected: the attribute is absent */
		if (scope_join_one(d, c, &d->v[i], &r) != 0)
			return -1;
	}
	return 0;
}

/* The pkey values of the parents of row c read in this scope. */
static int
parent_keys(
    struct dump *d, const struct dump_call *c, const char ***keys, size_t *n)
{
	const char **v;
	const char *k;
	size_t i;

	*n = 0;
	if ((v = arena_alloc(d->a, (d->n + 1) * sizeof(*v))) == NULL)
		return dump_oom(d);
	for (i = 0; i < d->n; i++) {
		if (strcmp(d->v[i].type, c->parent) != 0)
			continue;
		if ((k = doc_str(doc_get(d->v[i].attrs, c->pkey))) != NULL)
			v[(*n)++] = k;
	}
	*keys = v;
	return 0;
}

/*
 * After a per-parent listing: no parent in a complete parent listing is
 * provably no child; children of an incomplete parent listing are
 * incomplete.
 */
static int
child_listing(struct dump *d, const struct dump_call *c, size_t nkeys)
{
	const struct dump_listing *pl = dump_listing_of(d, c->parent);
	const char *type = row_type(d, c);

	if (pl == NULL)
		return 0;
	if (type == NULL)
		return dump_oom(d);
	if (nkeys == 0 && pl->why == NULL &&
	    dump_listed(d, type, NULL, pl->source) != 0)
		return -1;
	if (pl->why != NULL && dump_listing_of(d, type) != NULL &&
	    dump_listed(d, type, pl->why, pl->source) != 0)
		return -1;
	return 0;
}

int
dump_read_scope(struct dump *d, const struct dump_scope *s, int root)
{
	const struct dump_call *c;
	const char **keys;
	size_t i, nkeys;

	d->n = d->nl = 0;
	for (i = 0; i < d->lay->ncalls; i++) {
		c = &d->lay->calls[i];
		if (!c->regional && !root)
			continue;
		if (c->join) {
			if (scope_join(d, s, c) != 0)
				return -1;
			continue;
		}
		keys = d->keys;
		nkeys = d->nkeys;
		if (c->per == DUMP_PER_PARENT &&
		    parent_keys(d, c, &keys, &nkeys) != 0)
			return -1;
		if (scope_listing(d, s, c, keys, nkeys) != 0)
			return -1;
		if (c->per == DUMP_PER_PARENT &&
		    child_listing(d, c, nkeys) != 0)
			return -1;
	}
	return 0;
}

int
dump_emit_scope(struct dump *d, const struct dump_scope *s)
{
	struct dump_res *x;
	struct mark m;
	size_t i;

	for (i = 0; i < d->n; i++) {
		x = &d->v[i];
		if (hidden_type(x->type))
			continue;
		if (dump_emit(d, s, x->type, x->id, x->attrs, x->read_error,
			&x->mark) != 0)
			return -1;
	}
	for (i = 0; i < d->nl; i++) {
		if (hidden_type(d->l[i].type))
			continue;
		m.file = d->l[i].source;
		m.line = 0;
		m.col = 0;
		if (dump_marker(d, s, d->l[i].type, d->l[i].why, &m) != 0)
			return -1;
	}
	return 0;
}
