/*
 * dump.h: the provider-neutral reader of API dumps, "a directory of one
 * JSON file per API call (and per resource)" (docs/resources.md, section
 * "API-dump layouts: the reader core").  A provider's layout is a table
 * (struct dump_layout: its calls, its error classes, its page tokens)
 * plus hooks for what cannot be declared (file names of a second layout,
 * an envelope, a fix-up of a value).  The core reads a call's file into a
 * classified response (struct dump_resp), joins per-resource files into
 * resources, reads listings page by page, emits resources and listing
 * markers (src_marker()), checks per-resource folders for files no
 * listing names, and can drive a whole scope from the table alone
 * (dump_read_scope()).
 *
 * Evidence honesty (docs/decisions.md): a missing file is DUMP_MISSING
 * (no marker, no resource: the type is not evidenced); a denied,
 * throttled or failed call, a page token left, or a file that is not a
 * regular file is an error response, never an empty listing.
 *
 * Internal to checks/sources/.
 */
#ifndef RAMPART_DUMP_H
#define RAMPART_DUMP_H

#include "checks/sources/sources.h"

/* ------------------------------------------------------------ table */

/* How many files a call writes in one scope (region folder or root). */
enum dump_per {
	DUMP_ONCE, /* <svc>/<call>.json */
	/* <svc>/<call>/<key>.json for each key of dump.keys (compartments) */
	DUMP_PER_KEY,
	/* <svc>/<call>/<name>.json for each resource of type `parent`,
	 * name = its attribute `pkey` ('/' in it becomes '_') */
	DUMP_PER_PARENT,
};

/*
 * One row of a provider's calls table: one call, and the resource type
 * whose evidence its file holds (a call holding evidence of two types
 * has two rows).  Rows are read in table order by dump_read_scope(), so
 * a parent's listing comes before the calls that need it.
 */
struct dump_call {
	const char *svc, *call; /* the file <svc>/<call>.json */
	/* The type listed, or joined into; NULL: read, but no evidence. */
	const char *type;
	enum dump_per per;
	int regional; /* read in region folders too, not the root alone */
	/*
	 * A listing: its elements (under member, NULL the data itself) are
	 * resources of type, named by their field id (NULL: one resource,
	 * the account's own, dump.account).
	 */
	const char *member, *id;
	/*
	 * DUMP_PER_PARENT: the parent, and its attribute naming the files.
	 * parent is a type, or "svc/call": the elements of that row (whose
	 * type is NULL: read for their names, never emitted or marked).
	 */
	const char *parent, *pkey;
	/*
	 * join: the per-resource file joins into its resource of type:
	 * attrs[attr or field] = response[field] (the whole response when
	 * field is ""), or every field merged (field NULL; then an error
	 * makes the whole resource unreadable, else only the attribute).
	 */
	int join;
	const char *field, *attr;
	int fix; /* a value of the layout's fix hook, 0: none */
	const char *notconf; /* the error code meaning "not configured" */
	const char *alias; /* the call's name in a second layout (hooks) */
	/* A merge join (field NULL): the resource is then named by this
	 * field of the response when it has it (OCI's bucket OCID). */
	const char *rename;
};

/* What an error recorded in a file means for the evidence. */
enum dump_class {
	DUMP_CLS_DENIED,
	DUMP_CLS_THROTTLED,
	DUMP_CLS_NOTCONF, /* the setting or service is absent */
	DUMP_CLS_OTHER, /* any other failure (never a pass either) */
};

/* An error code (or status string) and its class. */
struct dump_error {
	const char *code;
	enum dump_class cls;
	const char *words; /* in messages; NULL: dump_class_name(cls) */
};

struct dump;
struct dump_scope;
struct dump_resp;

/* The table and hooks of one provider's API-dump layout. */
struct dump_layout {
	const char *provider; /* resource.provider ("oci"); NULL from type */
	const char *tool; /* messages say "'<tool> <svc> <call>' failed" */
	const struct dump_call *calls;
	size_t ncalls;
	const struct dump_error *errors; /* any order; a row's notconf wins */
	size_t nerrors;
	/* Keys of a response whose value other than null or "" says more
	 * pages exist than the file holds (NULL-terminated, may be NULL). */
	const char *const *page_tokens;
	/* Keys whose value other than the boolean false says the same. */
	const char *const *page_flags;
	/* Nonzero: a non-regular file where a call's file is expected is an
	 * input error (-1); zero: an error response (DUMP_ERROR). */
	int strict_files;
	/* What wrote the files, in messages ("AWS CLI", "OCI CLI"). */
	const char *what;
	/* Nonzero: listing markers carry an empty attrs map (else NULL). */
	int marker_attrs;
	/* Nonzero: a page flag's string "false" is false, "true" true. */
	int flag_strings;
	/*
	 * The file of call c in scope s: name NULL the scope-wide call;
	 * name "" page index (0, 1, ...) of the scope-wide listing
	 * (dump_read_listing()); else the per-resource or per-key file of
	 * name, index the how-manieth resource the call is read for.  NULL
	 * hook: <dir>/<svc>/<call>.json (every page) and
	 * <dir>/<svc>/<call>/<name>.json ('/' in name made '_'; "." and ".."
	 * refused).  0, or -1 when there is no such file name.
	 */
	int (*path)(struct dump *d, const struct dump_scope *s,
	    const struct dump_call *c, const char *name, size_t index,
	    char *buf, size_t len);
	/*
	 * The provider's envelope: turn the loaded doc into r->data (OK),
	 * or an error (r->code set, r->status when known, r->msg when the
	 * hook words it; the core classifies and words the rest); may set
	 * r->more (a page left that the response data does not show).
	 * NULL hook: the doc is the data; {"Error": {"Code", "Message"}} is
	 * an error.  0 or -1 (input error, reported in d->d).
	 */
	int (*unwrap)(struct dump *d, const struct dump_call *c,
	    struct doc_node *doc, struct dump_resp *r);
	/*
	 * Post-process a joined value (the row's fix): *out the value to
	 * join, or NULL with *why when it is unreadable (why NULL: out of
	 * memory).
	 */
	int (*fix)(struct dump *d, int fix, struct doc_node *v,
	    struct doc_node **out, const char **why);
	/*
	 * The id of listed element el of call c (in d->a), or NULL when it
	 * has none (an input error naming the element).  NULL hook: the
	 * element's field c->id verbatim (c->id NULL: d->account).
	 */
	const char *(*id)(struct dump *d, const struct dump_scope *s,
	    const struct dump_call *c, const struct doc_node *el);
	/*
	 * Words for "file says more pages exist by key" (in d->a; NULL out
	 * of memory).  NULL hook: "'<tool> <svc> <call>' is incomplete: its
	 * last page says '<key>', so more pages exist than the export holds
	 * (<file>)".
	 */
	const char *(*more_words)(struct dump *d, const struct dump_call *c,
	    const char *file, const char *key);
	/*
	 * Words for "page index of npages is missing" (in d->a).  NULL
	 * hook: "'<tool> <svc> <call>' is incomplete: page <i> of <n> is
	 * missing (<path>)".
	 */
	const char *(*page_missing)(struct dump *d, const struct dump_scope *s,
	    const struct dump_call *c, size_t index, size_t npages);
	/*
	 * A join's file is missing (dump_join()): the hook may make r an
	 * error (DUMP_ERROR with msg: the call was recorded for other
	 * resources, so this one's evidence is lost, not absent).  0/-1.
	 */
	int (*missing)(struct dump *d, const struct dump_scope *s,
	    const struct dump_call *c, const char *name, size_t index,
	    struct dump_resp *r);
};

/* ------------------------------------------------------ reader state */

/* A growable array of strings in an arena (doubling: linear memory). */
struct dump_strv {
	const char **v;
	size_t n, cap;
};

/* One resource assembled by dump_read_scope(). */
struct dump_res {
	const char *type, *id;
	struct doc_node *attrs;
	struct doc_node *unread; /* attr -> why, or NULL */
	const char *read_error;
	struct mark mark;
	const char *source;
};

/* A listing of one type in one scope (read: complete or not). */
struct dump_listing {
	const char *type;
	const char *why; /* NULL: complete */
	const char *source;
};

/* The state of one read: set by dump_init(), the rest by the adapter. */
struct dump {
	const struct dump_layout *lay;
	struct diag *d;
	struct arena *a; /* allocations of the current scope */
	struct arena *keep; /* of the whole read */
	/*
	 * The listings of the input's folders (lib.h, "directory index"):
	 * every existence and type question of the read is answered from
	 * them, each folder listed once.  Of this read and its thread:
	 * the input's (struct input.dirs, filled by the run's digest walk)
	 * when lim carries the input, else the read's own (ix_own).
	 */
	struct dir_index *ix;
	int ix_own;
	const struct load_limits *lim;
	const char *root;
	const char *account; /* account, subscription, project or tenancy */
	resource_fn fn;
	void *ctx;
	size_t emitted; /* resources and listing markers */
	size_t resources; /* resources alone */
	int64_t collected; /* rampart-collection.json's start, or 0 */
	struct dump_strv joined; /* per-resource files looked for */
	void *priv; /* the provider's own state (hooks) */
	/* dump_read_scope(): DUMP_PER_KEY's keys, the assembled scope */
	const char **keys;
	size_t nkeys;
	struct dump_res *v;
	size_t n, cap;
	struct dump_listing *l;
	size_t nl, capl;
};

/* The folder a scope reads from, and its region (NULL: none). */
struct dump_scope {
	const char *dir;
	const char *region;
};

/* ---------------------------------------------------------- reading */

enum dump_kind { DUMP_MISSING, DUMP_OK, DUMP_NOTCONF, DUMP_ERROR };

/* One call's file, read and classified. */
struct dump_resp {
	enum dump_kind kind;
	struct doc_node *data; /* DUMP_OK: the response, envelope removed */
	const char *code; /* NOTCONF, ERROR: the error code */
	int64_t status; /* the HTTP status when the file says, else 0 */
	enum dump_class cls; /* DUMP_ERROR, DUMP_NOTCONF */
	const char *msg; /* DUMP_ERROR: the message (file named in it) */
	const char *more; /* DUMP_OK: the page key left, or NULL */
	struct mark mark;
};

/*
 * Start a read of root with layout lay: a fresh arena (a == keep) and
 * the directory index of the input lim carries for root (input_of()),
 * else a fresh one.  0, or -1 (out of memory, reported in d).
 * dump_fini() frees what is the read's own.
 */
int dump_init(struct dump *d, const struct dump_layout *lay, struct diag *dg,
    const char *root, const struct load_limits *lim, resource_fn fn, void *ctx);
void dump_fini(struct dump *d);

/*
 * rampart-collection.json at the root ({"started": RFC 3339}, written by
 * the collectors) into d->collected.  Absent: 0 and collected stays 0;
 * present but unreadable or without a strict time: an input error (-1).
 */
int dump_read_collection(struct dump *d);

/*
 * The sorted names of root's region folders (src_is_region()), in d->a.
 * 0 or -1.
 */
int dump_regions(struct dump *d, const char ***out, size_t *n);

/* The first row of call svc/call (svc NULL: any service), or NULL. */
const struct dump_call *dump_call_find(
    const struct dump_layout *lay, const char *svc, const char *call);

/*
 * The class of error code for call c (NULL: any): the row's notconf,
 * then the layout's errors; an unknown code by status (401, 403, 404
 * denied, 429 throttled), else DUMP_CLS_OTHER.
 */
enum dump_class dump_classify(const struct dump_layout *lay,
    const struct dump_call *c, const char *code, int64_t status);
/* "denied", "throttled", "not configured", "failed". */
const char *dump_class_name(enum dump_class cls);
/*
 * How messages word an error code: its row's words, else its class's
 * name (dump_classify()).
 */
const char *dump_error_words(const struct dump_layout *lay,
    const struct dump_call *c, const char *code, int64_t status);

/*
 * The page key data says more pages exist by (layout's keys), or NULL.
 * A pure function of the layout and data, as are dump_call_find(),
 * dump_classify() and dump_error_words().
 */
const char *dump_more_pages(
    const struct dump_layout *lay, const struct doc_node *data);

/*
 * Read call c's file in scope s (name, index: see the path hook) into r.
 * Missing: DUMP_MISSING.  A non-regular file: DUMP_ERROR, or an input
 * error with strict_files (never opened, so a FIFO cannot block).  An
 * unparsable file: -1 with its file:line:col.  Else the unwrap hook, the
 * class (DUMP_NOTCONF for a not-configured code), the message, and
 * r->more from the page keys.
 */
int dump_get(struct dump *d, const struct dump_scope *s,
    const struct dump_call *c, const char *name, size_t index,
    struct dump_resp *r);

/* --------------------------------------------------------- emitting */

/* Emit a resource of scope s (provider, account, collected filled). */
int dump_emit(struct dump *d, const struct dump_scope *s, const char *type,
    const char *id, struct doc_node *attrs, const char *rerr,
    const struct mark *m);
/*
 * Emit the listing marker of type in scope s (src_marker()): rerr NULL
 * says the input holds the whole listing there (possibly empty), else
 * why it is incomplete or unreadable.
 */
int dump_marker(struct dump *d, const struct dump_scope *s, const char *type,
    const char *rerr, const struct mark *m);
/*
 * An error marker for every type read from service svc (call NULL) or
 * from its call, with the message "why: 'path'".  0 or -1.
 */
int dump_mark_calls_error(struct dump *d, const struct dump_scope *s,
    const char *svc, const char *call, const char *path, const char *why);
/* Record r's message in attrs.ReadErrors[call]; the first is *rerr. */
int dump_add_read_error(struct dump *d, struct doc_node *attrs,
    const char *call, const struct dump_resp *r, const char **rerr);
/* ReadErrors[call] and attrs[RESOURCE_UNREADABLE][attr] = r's message. */
int dump_add_unreadable(struct dump *d, struct doc_node *attrs,
    const char *call, const char *attr, const struct dump_resp *r);

/* ---------------------------------------------------- listings, joins */

/*
 * The listing at member key of call c: every page read and joined into
 * *list (NULL when there is none).  Pages: the path hook's index 0, 1,
 * ... below npages (1 for one file).  With type, emits the type's
 * marker for s: clean when every page is there, readable and the last
 * leaves no page token; an error naming the first problem otherwise;
 * none without a listing.  shared: pages lacking key belong to another
 * API and are skipped.  *r: the first readable page, DUMP_ERROR with the
 * problem as msg when incomplete, DUMP_MISSING when there is no listing.
 */
int dump_read_listing(struct dump *d, const struct dump_scope *s,
    const char *type, const struct dump_call *c, const char *key, size_t npages,
    int shared, struct dump_resp *r, const struct doc_node **list);

/*
 * Join call c's per-resource file of name (index: the resource's rank)
 * into attrs, as the row says (field, attr, fix).  Not configured:
 * attrs[attr] = null + NotConfigured.  An error: ReadErrors and *rerr,
 * or with rerr NULL the attribute alone is unreadable.  A page token
 * left is an error.  Missing: nothing (checks reading it are `error`).
 */
int dump_join(struct dump *d, const struct dump_scope *s,
    struct doc_node *attrs, const char **rerr, const struct dump_call *c,
    const char *name, size_t index);

/* Every joined row of type: dump_join() of each, in table order. */
int dump_join_all(struct dump *d, const struct dump_scope *s, const char *type,
    struct doc_node *attrs, const char **rerr, const char *name, size_t index);

/*
 * The per-resource folders of scope s: each entry must be a regular
 * "<name>.json" that a join looked for; anything else could hold a
 * resource the reader did not see, so the type's marker carries the
 * error.  Rows whose service is not read in s (global) are skipped by
 * skip (may be NULL).  Clears the looked-for list.  0 or -1.
 */
int dump_check_per_resource(struct dump *d, const struct dump_scope *s,
    int (*skip)(const struct dump_scope *s, const struct dump_call *c));

/*
 * A service folder svc of scope s, against the table: a file of a call
 * in another case or without ".json", a folder where a call's file is
 * expected (or a file where its per-resource folder is), makes the
 * row's type marker an error; other unknown entries are warnings.  0/-1.
 */
int dump_check_service_dir(struct dump *d, const struct dump_scope *s,
    const char *svc, const char *dir);

/* --------------------------------------------- a scope from the table */

/*
 * Read every row of the table in scope s (root: the account-wide rows
 * too) into d->v and d->l: listings (DUMP_ONCE, DUMP_PER_KEY over
 * d->keys, DUMP_PER_PARENT over the parents read), joins over the
 * resources read.  A child of an incomplete parent listing is
 * incomplete; no parent in a complete parent listing is a complete,
 * empty child listing.  Folders of per-key and per-parent rows are
 * <dir>/<svc>/<call>; a listing element without its id, or a response
 * of the wrong shape, is an input error.  Joins here: attrs[attr] = the
 * data at member (a list), or its keys merged (field NULL, then
 * renamed by `rename`); a failed or paged join makes attr unreadable
 * (the whole resource for a merge), with no ReadErrors entry.  Nothing
 * is emitted: the adapter adds what the table cannot say, then
 * dump_emit_scope().
 */
int dump_read_scope(struct dump *d, const struct dump_scope *s, int root);
/* Emit d->v (resources) then d->l (markers) of scope s. */
int dump_emit_scope(struct dump *d, const struct dump_scope *s);
/* The listing of type read in this scope, or NULL. */
const struct dump_listing *dump_listing_of(struct dump *d, const char *type);
/* Record a listing of type in this scope (why != NULL: incomplete). */
int dump_listed(
    struct dump *d, const char *type, const char *why, const char *src);
/* Attribute attr of x is unreadable (attr "": the whole resource). */
int dump_res_unreadable(
    struct dump *d, struct dump_res *x, const char *attr, const char *why);

/* ------------------------------------------------------------- misc */

int dump_strv_push(struct arena *a, struct dump_strv *sv, const char *str);
/* Whether the sorted sv holds str. */
int dump_strv_has(const struct dump_strv *sv, const char *str);
/* strcmp of two (const char *) elements, for qsort and bsearch. */
int dump_cmp_str(const void *a, const void *b);
/* dir/name into buf; -1 when it does not fit. */
int dump_path_join(char *buf, size_t len, const char *dir, const char *name);
/* name's length without its last extension (".JSON", ".txt"). */
size_t dump_stem_len(const char *name);
/* Whether s ends with suffix. */
int dump_ends_with(const char *s, const char *suffix);
/* A warning that path is not read, with why (diag_warn); 0. */
int dump_warn_unread(struct dump *d, const char *path, const char *why);
/* diag_err(d, NULL, "out of memory"). */
int dump_oom(struct dump *d);

#endif /* RAMPART_DUMP_H */
