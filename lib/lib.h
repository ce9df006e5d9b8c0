/*
 * lib.h: rampart's shared infrastructure.  Nothing in lib/ knows about
 * compliance: arenas, diagnostics, the document tree with its YAML and
 * JSON loaders, path expressions, atomic writes, hashing and base64.
 *
 * Conventions: functions return 0 or -1 (or a pointer or NULL).  A failure
 * is reported once, where it is detected, through diag_err() (or
 * diag_sys(), diag_openssl(): see enum diag_class).  Unless a
 * contract comment says otherwise, a function borrows its arguments and
 * the arena owns whatever it returns.
 */
#ifndef RAMPART_LIB_H
#define RAMPART_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* ---------------------------------------------------------------- alloc */

/*
 * Every allocation in rampart goes through lib_malloc() and friends so that
 * tests can fail the Nth allocation (fault injection, `make torture`).
 * The counters are process-wide test state (lib/alloc.c), never set
 * outside tests.  The other mutable globals of lib/ are the JSON reader's
 * thread mode and piece size (lib/json.c, load_set_threads()), also set
 * only by tests and by RAMPART_THREADS at start-up.
 */
void *lib_malloc(size_t n);
void *lib_calloc(size_t nmemb, size_t size);
void *lib_realloc(void *p, size_t n);
char *lib_strdup(const char *s);
void lib_free(void *p);
/* Fail the nth allocation from now (1 = the next one); 0 disables. */
void lib_alloc_fail_at(long nth);
/*
 * Number of allocations made since the counter was last set; counted
 * only once lib_alloc_fail_at() was called (tests), 0 before.
 */
long lib_alloc_count(void);
/* Whether an allocation failure is armed (for code that would make the
 * order of allocations depend on threads). */
int lib_alloc_armed(void);

/* ---------------------------------------------------------------- arena */

struct arena;

/*
 * An arena owns every allocation made from it; arena_free() releases them
 * all at once.  Built with -DARENA_DEBUG, each allocation is its own
 * malloc() so AddressSanitizer sees overruns.  Allocations are zeroed and
 * aligned for any type.  All return NULL when memory runs out.
 */
struct arena *arena_new(void);
void arena_free(struct arena *a); /* accepts NULL */
void *arena_alloc(struct arena *a, size_t n);
/* The same without zeroing, for memory about to be overwritten. */
void *arena_alloc_uninit(struct arena *a, size_t n);
void *arena_realloc(struct arena *a, void *p, size_t old, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Bytes handed out so far (for limits and benchmarks). */
size_t arena_used(const struct arena *a);
/*
 * Run fn(p) when the arena is freed (last registered runs first), for
 * library handles owned by arena-allocated objects (pcre2_code, ...).
 * 0 or -1 (then fn was not registered and the caller must release p).
 */
int arena_defer(struct arena *a, void (*fn)(void *), void *p);

/* ----------------------------------------------------------- diagnostics */

/* A position in a user's file: 1-based line and column; 0 = unknown. */
struct mark {
	const char *file; /* not owned; must outlive the mark's users */
	uint32_t line;
	uint32_t col;
};

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

/*
 * What an error says went wrong; only cli/ maps a class to an exit code
 * (cli_exit_for()).  The rule at a call site:
 *  - DIAG_INPUT: a file, argument value or remote document the user gave
 *    is wrong: malformed, over a limit, missing or unreadable (ENOENT,
 *    EACCES, ENOTDIR, EISDIR, ELOOP, ENAMETOOLONG when opening it).
 *    diag_err() and diag_warn() record this class.
 *  - DIAG_SYSTEM: the machine failed at something that should work: out
 *    of memory, thread or process creation, an I/O error (EIO, EMFILE,
 *    ENOSPC...) reading a file that opened, and every failure to create,
 *    write, fsync, rename or close an output or temporary file (an
 *    unwritable --output-dir included), a network service that cannot
 *    be reached or answers nonsense (the TSA).  diag_sys(); diag_errno()
 *    picks between the two from errno.
 *  - DIAG_CRYPTO: the OpenSSL library failed (diag_openssl()), or a
 *    signature or timestamp from elsewhere fails our checks while we sign
 *    (a TSA's reply under the wrong policy or accuracy).  OpenSSL
 *    refusing the user's own key, certificate or signature bytes is
 *    DIAG_INPUT and is reported with diag_err() (keys.c) or
 *    diag_openssl_input().
 *  - DIAG_USAGE: the command line itself is wrong.
 * Warnings and notes carry a class too but are not counted per class.
 */
enum diag_class { DIAG_INPUT, DIAG_SYSTEM, DIAG_CRYPTO, DIAG_USAGE };
#define DIAG_NCLASS 4

struct diag_entry {
	enum diag_level level;
	enum diag_class cls;
	char *file; /* owned by the diag; may be NULL */
	uint32_t line, col;
	char *msg; /* owned by the diag */
};

/*
 * A diagnostics collector.  Every message is kept (so lint reports every
 * error of a file, not the first) and counted.  Zero-initialise it or call
 * diag_init().
 */
struct diag {
	struct diag_entry *v;
	size_t n, cap;
	size_t nerrors, nwarnings;
	/* Errors per enum diag_class; they add up to nerrors.  Counted
	 * even past max and when the entry could not be stored (OOM). */
	size_t nclass[DIAG_NCLASS];
	size_t max; /* stop keeping entries past this; 0 = 1000 */
};

void diag_init(struct diag *d);
void diag_free(struct diag *d); /* accepts NULL */
/* Record an input error (DIAG_INPUT) at mark m (may be NULL).  Returns -1. */
int diag_err(struct diag *d, const struct mark *m, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* Record a system error (DIAG_SYSTEM).  Always returns -1. */
int diag_sys(struct diag *d, const struct mark *m, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* Record an error of class cls.  Always returns -1. */
int diag_err_class(struct diag *d, enum diag_class cls, const struct mark *m,
    const char *fmt, ...) PRINTF_LIKE(4, 5);
/*
 * Record "<message>: <strerror(err)>" for a failed open or read of a file
 * the user named: DIAG_INPUT when err says the file is missing or not
 * accessible to us (diag_errno_class()), DIAG_SYSTEM otherwise.  -1.
 */
int diag_errno(struct diag *d, const struct mark *m, int err, const char *fmt,
    ...) PRINTF_LIKE(4, 5);
/* The class of a failed open or read of a user's file with errno err. */
enum diag_class diag_errno_class(int err);
/* Record a warning.  Returns 0. */
int diag_warn(struct diag *d, const struct mark *m, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* Record a note that belongs to the previous message.  Returns 0. */
int diag_note(struct diag *d, const struct mark *m, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/*
 * Drain the OpenSSL error queue into one error: "<what>: <openssl reason>",
 * of class DIAG_CRYPTO.  Returns -1.
 */
int diag_openssl(struct diag *d, const struct mark *m, const char *what);
/* The same, of class DIAG_INPUT: OpenSSL refused bytes of a user's file
 * (a CA bundle, a certificate).  Returns -1. */
int diag_openssl_input(struct diag *d, const struct mark *m, const char *what);
/* Append src's entries and counts to dst, in order, and empty src. */
void diag_move(struct diag *dst, struct diag *src);
/*
 * Print every entry as `file:line:col: error: message`; with show_source,
 * the offending line is re-read from the file and shown with a caret under
 * the column.  color: use ANSI colours.  Only cli/ calls this.
 */
void diag_print(const struct diag *d, FILE *fp, int show_source, int color);
/* Format entry i as "file:line:col: error: msg" into buf (truncating). */
void diag_format(const struct diag *d, size_t i, char *buf, size_t len);
/* Forget all entries and counts. */
void diag_clear(struct diag *d);
/*
 * Copy n bytes of untrusted text from src to dst (len bytes, always
 * NUL-terminated when len > 0) so that it cannot drive a terminal: control
 * bytes, DEL, invalid UTF-8, C1 controls and bidirectional overrides become
 * \xNN per byte; printable ASCII and valid UTF-8 pass.  keep_tab keeps
 * tabs as they are.  Stops before a unit that would not fit.  Returns the
 * length written.
 */
size_t term_escape(
    char *dst, size_t len, const char *src, size_t n, int keep_tab);
/* fputs() of s escaped as by term_escape(); for cli/ only. */
void term_fputs(FILE *fp, const char *s);

/* --------------------------------------------------------- document tree */

enum doc_type {
	DOC_NULL,
	DOC_BOOL,
	DOC_INT,
	DOC_FLOAT,
	DOC_STRING,
	DOC_SEQ,
	DOC_MAP
};

struct doc_node;

struct doc_pair {
	struct doc_node *key; /* always DOC_STRING */
	struct doc_node *val;
};

/*
 * One node of a loaded document.  Every node keeps its source mark.  For
 * DOC_INT and DOC_FLOAT, `str` holds the exact source text of the number
 * (so 1.10 and 1e3 survive); for DOC_STRING it holds the decoded string,
 * NUL-terminated, `len` bytes (it may contain NUL).  Map pairs keep their
 * source order.  Nodes are owned by the arena they were loaded into.
 */
struct doc_node {
	enum doc_type type;
	struct mark mark;
	const char *str; /* string value or number text */
	size_t len;
	union {
		int b;
		int64_t i;
		double f;
		struct {
			struct doc_node **items;
			size_t n;
		} seq;
		struct {
			struct doc_pair *pairs;
			size_t n;
		} map;
	} u;
};

/* Lookups return NULL when absent or when the node has the wrong type. */
struct doc_node *doc_get(const struct doc_node *map, const char *key);

/*
 * doc_get() for a key of len bytes (not NUL-terminated), inline: path
 * evaluation looks up a key at every step.
 */
static inline struct doc_node *
doc_getn(const struct doc_node *map, const char *key, size_t len)
{
	const struct doc_pair *p;
	size_t i;

	if (map == NULL || map->type != DOC_MAP)
		return NULL;
	/* Most keys of the same length differ in the first byte already. */
	for (i = 0; i < map->u.map.n; i++) {
		p = &map->u.map.pairs[i];
		if (p->key->len == len &&
		    (len == 0 ||
			(p->key->str[0] == key[0] &&
			    memcmp(p->key->str, key, len) == 0)))
			return p->val;
	}
	return NULL;
}
struct doc_node *doc_index(const struct doc_node *seq, size_t i);
/* String value of a DOC_STRING node, else NULL. */
const char *doc_str(const struct doc_node *n);
/* The same, but NULL too when the string holds a NUL byte. */
const char *doc_plain_str(const struct doc_node *n);
const char *doc_type_name(enum doc_type t);
/* Print a tree with types and line:col, indented (for `rampart doc`). */
void doc_dump(const struct doc_node *n, FILE *fp, int indent);
/* Serialise a node as compact JSON (strings escaped) into fp. */
void doc_write_json(const struct doc_node *n, FILE *fp);
/* Deep-copy a subtree into another arena.  NULL on allocation failure. */
struct doc_node *doc_copy(struct arena *a, const struct doc_node *n);
/* Structural equality (numbers by value, maps as ordered pairs). */
int doc_equal(const struct doc_node *a, const struct doc_node *b);

/* Constructors, used by loaders and adapters.  NULL on allocation failure. */
struct doc_node *doc_new(
    struct arena *a, enum doc_type t, const struct mark *m);
struct doc_node *doc_new_string(
    struct arena *a, const char *s, size_t len, const struct mark *m);
/* Append to a DOC_SEQ / DOC_MAP built with doc_new.  0 or -1. */
int doc_seq_push(struct arena *a, struct doc_node *seq, struct doc_node *item);
int doc_map_put(struct arena *a, struct doc_node *map, struct doc_node *key,
    struct doc_node *val);

/* --------------------------------------------------------------- loaders */

struct load_digest;
struct input;

/* Limits on untrusted input; every breach is an error with a position. */
struct load_limits {
	uint32_t max_depth; /* nesting of maps and seqs */
	uint64_t max_alias_nodes; /* nodes reachable through aliases */
	size_t max_scalar; /* bytes in one scalar or key */
	size_t max_doc_bytes; /* bytes of one document/element */
	uint64_t max_file_bytes; /* 0 = unlimited (streaming) */
	/*
	 * Not a limit: when not NULL, the loader hashes the file it reads
	 * (see struct load_digest).  load_limits_default() sets NULL.
	 */
	struct load_digest *digest;
	/*
	 * Not a limit: when not NULL, the input already opened for the path
	 * input->path (see struct input); the loaders read that path from it
	 * instead of opening the path again.  load_limits_default() sets NULL.
	 */
	struct input *input;
};

#define LOAD_DEFAULT_MAX_DEPTH 256
#define LOAD_DEFAULT_MAX_ALIAS_NODES 100000
#define LOAD_DEFAULT_MAX_SCALAR (16u << 20)
#define LOAD_DEFAULT_MAX_DOC_BYTES (256u << 20)

void load_limits_default(struct load_limits *l);

/*
 * The JSON loader parses on a thread of its own beside the caller's
 * (which builds the trees and runs the element callbacks): by default for
 * files larger than the format-detection prefix (64 KiB) on a machine
 * with two CPUs or more.  OFF parses on the caller's thread alone; ALWAYS
 * uses the thread for every JSON input, buffers included (tests).  piece
 * is the bytes handed over at a time (0: the default, 128 KiB).  Never
 * while an allocation failure is armed (lib_alloc_fail_at).  Set it
 * before loading, from one thread.
 */
enum load_threads { LOAD_THREADS_AUTO, LOAD_THREADS_OFF, LOAD_THREADS_ALWAYS };
void load_set_threads(enum load_threads mode, size_t piece);

enum doc_format { DOC_FMT_AUTO, DOC_FMT_JSON, DOC_FMT_NDJSON, DOC_FMT_YAML };

const char *doc_format_name(enum doc_format f);
/* Parse "json", "ndjson", "yaml", "auto"; -1 if unknown. */
int doc_format_parse(const char *s, enum doc_format *out);
/*
 * Guess the format from the name (.json .ndjson .jsonl .yaml .yml) and, for
 * other names, from the first bytes.
 */
enum doc_format doc_format_detect(
    const char *name, const char *buf, size_t len);

/*
 * Called once per streamed element (or document).  The element and
 * everything it points to live in `a`, which is freed after the callback
 * returns, unless the callback copies what it needs.  Return 0 to go on,
 * -1 to stop (the callback reports its own error).
 */
typedef int (*doc_each_fn)(void *ctx, struct doc_node *elem, struct arena *a);

/*
 * Stream a file: for each element selected by `collection` (a path such as
 * "configurationItems[*]"; NULL or "" selects each whole document: each
 * line of NDJSON, each document of a YAML stream, the one JSON document),
 * build it in its own arena and call cb.  Memory stays flat whatever the
 * file size.  `path` "-" reads standard input.  lim NULL = defaults.
 * Returns 0, or -1 with the error in d.  *count (may be NULL) receives the
 * number of elements delivered.
 */
int doc_stream_file(struct diag *d, const char *path, enum doc_format fmt,
    const char *collection, const struct load_limits *lim, doc_each_fn cb,
    void *ctx, size_t *count);
/* The same over a buffer; `name` is used in diagnostics. */
int doc_stream_buf(struct diag *d, const char *name, const char *buf,
    size_t len, enum doc_format fmt, const char *collection,
    const struct load_limits *lim, doc_each_fn cb, void *ctx, size_t *count);

/*
 * An input read once.  A path given to --input may be a pipe (`-` for
 * standard input, /dev/stdin, bash's <(...), a FIFO): it can be opened and
 * read only once, so format detection and the parse share one descriptor.
 * input_open() opens the path (a directory is only stat'ed: adapters read
 * directories by path), refuses sockets, devices and terminals, and reads
 * the first INPUT_HEAD bytes into head, where detection looks; a loader
 * given the input through load_limits.input continues from the same
 * descriptor after the head.
 */
#define INPUT_HEAD 65536

struct input {
	const char *path; /* as given (borrowed); "-" is standard input */
	int fd; /* -1 for a directory, or after input_close() */
	int is_dir;
	int is_regular; /* a regular file: may be opened again by path */
	char *head; /* lib_malloc'd, hlen bytes and a NUL; NULL for a dir */
	size_t hlen;
	int eof; /* head holds the whole input */
	int used; /* a loader has read past the head */
	/* A directory: its folders' listings once walked (or NULL), for
	 * the reader (lib.h, "directory index"); freed by input_close(). */
	struct dir_index *dirs;
};

/*
 * Open path into *in (which the caller owns; release it with
 * input_close(), also after a failure).  0, or -1 with an error naming
 * the path in d (missing, unreadable, a socket, a device).
 */
int input_open(struct diag *d, const char *path, struct input *in);
/* Close the descriptor and free the head.  Accepts a zeroed input. */
void input_close(struct input *in);
/* lim's input when it was opened for path, else NULL (lim may be NULL). */
struct input *input_of(const struct load_limits *lim, const char *path);

/*
 * Load every document of a file (or buffer) into arena a.  *docs receives
 * an arena-owned array of *ndocs roots.  The file name is copied into the
 * arena and used in every node's mark.
 */
int doc_load_file(struct arena *a, struct diag *d, const char *path,
    enum doc_format fmt, const struct load_limits *lim, struct doc_node ***docs,
    size_t *ndocs);
int doc_load_buf(struct arena *a, struct diag *d, const char *name,
    const char *buf, size_t len, enum doc_format fmt,
    const struct load_limits *lim, struct doc_node ***docs, size_t *ndocs);
/* Convenience: exactly one document, else an error.  NULL on error. */
struct doc_node *doc_load_one(struct arena *a, struct diag *d, const char *path,
    enum doc_format fmt, const struct load_limits *lim);
/*
 * The same from a buffer named name: for a file read whole before (less
 * than INPUT_HEAD bytes), exactly what doc_load_one() of it gives.
 */
struct doc_node *doc_load_one_buf(struct arena *a, struct diag *d,
    const char *name, const char *buf, size_t len, enum doc_format fmt,
    const struct load_limits *lim);

/*
 * Decode the well-formed UTF-8 sequence at p (n > 0 bytes available):
 * its length (1..4) with the code point in *cp, or 0 when it is
 * malformed, truncated, overlong, a surrogate or beyond U+10FFFF
 * (RFC 3629).  The one decoder of the project; inline because the JSON
 * loader calls it for every non-ASCII byte.
 */
static inline size_t
utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c, min;
	size_t len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		c = p[0] & 0x1F;
		min = 0x80;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		c = p[0] & 0x0F;
		min = 0x800;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/*
 * Input hygiene shared by both loaders.  Checks buf for valid UTF-8 and
 * reports the first bad byte's line:col.  A UTF-16 (LE or BE) or UTF-32
 * byte-order mark is reported as "file is UTF-16LE encoded; convert it to
 * UTF-8"; transcoding is done by text_to_utf8.  0 or -1.
 */
int text_check_utf8(
    struct diag *d, const char *name, const char *buf, size_t len);
/*
 * If buf starts with a UTF-16 BOM, decode it into a new lib_malloc'd UTF-8
 * buffer (*out, *outlen; caller frees) and return 1; a UTF-8 BOM is
 * skipped (return 2, *out points into buf); otherwise return 0.  -1 on
 * malformed UTF-16 (unpaired surrogate) with the position in d.
 */
int text_to_utf8(struct diag *d, const char *name, const char *buf, size_t len,
    char **out, size_t *outlen);

/* ---------------------------------------------------- the event builder */

/*
 * Both loaders translate their parser's events into calls on a builder,
 * which assembles trees, enforces the depth and size limits, rejects
 * duplicate keys (reporting both positions) and, when a collection path is
 * set, cuts the stream into separately allocated elements.  Loaders own the
 * parser; the builder owns tree construction.
 */
struct builder;

struct builder *builder_new(struct diag *d, const char *name,
    const char *collection, const struct load_limits *lim, doc_each_fn cb,
    void *ctx);
void builder_free(struct builder *b);
/* The interned file name, valid while the builder lives. */
const char *builder_name(const struct builder *b);
int builder_doc_start(struct builder *b, const struct mark *m);
int builder_doc_end(struct builder *b);
int builder_map_start(struct builder *b, const struct mark *m);
int builder_map_end(struct builder *b);
int builder_seq_start(struct builder *b, const struct mark *m);
int builder_seq_end(struct builder *b);
int builder_key(
    struct builder *b, const char *s, size_t len, const struct mark *m);
/* A scalar already typed by the loader; text is the exact source text. */
int builder_scalar(struct builder *b, enum doc_type t, const char *text,
    size_t len, const struct mark *m);
/*
 * A finished subtree (YAML alias expansion): attached as a value, shared,
 * not copied, so it must live in the arena being built (builder_arena()).
 * Outside the selected elements it is skipped (n may then be NULL).
 */
int builder_node(struct builder *b, struct doc_node *n);
/* The node most recently completed (for YAML anchors); may be NULL. */
struct doc_node *builder_last(const struct builder *b);
/* The arena of the element being built (NULL when outside one). */
struct arena *builder_arena(const struct builder *b);
/* Elements delivered so far. */
size_t builder_count(const struct builder *b);
/*
 * Whether the current position lies inside a selected element (loaders
 * may skip building nodes outside, e.g. for scalars nobody will see).
 */
int builder_in_element(const struct builder *b);
/*
 * Whether a value starting now would be built: inside an element, or
 * starting one (a collection member).  YAML aliases check this before
 * handing builder_node() a node that must still be alive.
 */
int builder_wants_value(const struct builder *b);

/* ------------------------------------------------------ path expressions */

/*
 * A path selects nodes in a tree: `a.b[*].c`, `a["key.with.dots"]`,
 * `items[0]`, `tags.*` (every value of a map), `[*]` at the start.
 * The empty path selects the root.
 */
struct doc_path;

/* One step of a compiled path: a key, an index or any member. */
enum doc_step_kind { DOC_STEP_KEY, DOC_STEP_INDEX, DOC_STEP_ANY };

struct doc_step {
	enum doc_step_kind kind;
	const char *key; /* DOC_STEP_KEY: keylen bytes */
	size_t keylen;
	size_t index; /* DOC_STEP_INDEX */
};

struct doc_path *doc_path_compile(
    struct arena *a, struct diag *d, const char *expr, const struct mark *m);
/* The expression text as given. */
const char *doc_path_text(const struct doc_path *p);
/* The steps of p, in order (the streaming builder follows them). */
const struct doc_step *doc_path_steps(const struct doc_path *p, size_t *n);
/* Whether the path contains a wildcard (can select many nodes). */
int doc_path_is_multi(const struct doc_path *p);
/*
 * The key of the path's first step: 1 with *key and *len set, or 0 when
 * the path is empty or starts with an index or a wildcard.
 */
int doc_path_head(const struct doc_path *p, const char **key, size_t *len);
/*
 * Call fn for each node the path selects under root, in document order;
 * fn returns 0 to continue, 1 to stop early, -1 on error.  Returns the
 * number of nodes visited, or -1 when fn failed.  `missing` (may be NULL)
 * is set to 1 when the path could not be followed at some step because a
 * key or index was absent or a node had the wrong type.
 */
typedef int (*doc_path_fn)(void *ctx, const struct doc_node *n);
long doc_path_eval(const struct doc_path *p, const struct doc_node *root,
    doc_path_fn fn, void *ctx, int *missing);
/* First node selected, or NULL. */
const struct doc_node *doc_path_first(
    const struct doc_path *p, const struct doc_node *root);

/* ------------------------------------------------------------ files, I/O */

/*
 * Read a whole file into a lib_malloc'd buffer (NUL-terminated, caller
 * frees).  max_bytes 0 = unlimited.  "-" reads standard input.
 */
int file_read_all(struct diag *d, const char *path, uint64_t max_bytes,
    char **buf, size_t *len);

/*
 * Atomic file writing: a temporary file in the target's directory
 * (O_EXCL, O_NOFOLLOW, the given mode), written, fsync'd, renamed over the
 * target, then the directory fsync'd.  On any error the temporary file is
 * removed and the target is untouched.
 */
struct atomic_file;

struct atomic_file *atomic_open(
    struct diag *d, const char *path, unsigned int mode);
FILE *atomic_fp(struct atomic_file *af);
/* Flush, fsync, rename.  Frees af.  0 or -1. */
int atomic_commit(struct diag *d, struct atomic_file *af);
/* Remove the temporary file and free af.  Accepts NULL. */
void atomic_abort(struct atomic_file *af);
/* Write a buffer atomically in one call. */
int atomic_write(struct diag *d, const char *path, const void *buf, size_t len,
    unsigned int mode);

/* --------------------------------------------------- directory index */

/*
 * A reader's index of directory listings, for one input on one thread
 * (lib/dirindex.c): each directory is listed once, with the type of
 * each entry, and the existence and type questions a reader asks of the
 * paths under it are answered from the listing instead of a stat(2)
 * (and a path walk) each.  Names match byte for byte, as the kernel
 * matches them on a case-sensitive file system.  The index is a
 * snapshot: a file added or removed after its directory was listed is
 * not seen (the provenance pins re-hash the input to catch that).
 */
struct dir_index;
struct stat;

/* A name of a folder and its d_type (DT_* of <dirent.h>). */
struct dir_entry {
	const char *name;
	unsigned char type;
};

/* A new, empty index; NULL when memory runs out.  dir_index_free(). */
struct dir_index *dir_index_new(void);
/* Free ix and every listing in it; accepts NULL. */
void dir_index_free(struct dir_index *ix);
/*
 * The entries of directory dir, "." and ".." left out, in the order
 * readdir(3) gave them (dir is listed at the first question about it).
 * *names (owned by ix, valid until dir_index_free()) and *n; or -1 with
 * errno as opendir(3) set it (ENOENT, ENOTDIR, EACCES, ...).
 */
int dir_index_names(struct dir_index *ix, const char *dir,
    const char *const **names, size_t *n);
/*
 * stat(2) of path, answered from the listing of its directory: 0 with
 * st->st_mode's file type set (every other field zero), or -1 with
 * errno ENOENT or ENOTDIR, as stat(2) would give them.  When the listing
 * cannot tell (a symbolic link, a file system without d_type, a
 * directory that cannot be listed or searched, a name that is ".",
 * ".." or longer than NAME_MAX, a path without a directory) this is
 * stat(2) itself, with all of st.  ix NULL: stat(2).
 */
int dir_index_stat(struct dir_index *ix, const char *path, struct stat *st);
/*
 * Record the listing of folder dir that the caller read from its open
 * descriptor dfd (v: its n entries without "." and "..", in readdir
 * order; copied), as if dir_index_names() had listed it: a walk that
 * reads the folders anyway hands them to the reader that follows.  A
 * folder already listed is left as it is.  0, or -1 (out of memory).
 */
int dir_index_add(struct dir_index *ix, const char *dir, int dfd,
    const struct dir_entry *v, size_t n);
/*
 * Keep the whole content of file path (len bytes of buf, copied): a walk
 * that read it to hash it hands it to the reader, which parses those
 * very bytes instead of opening the file again (dir_index_bytes()).
 * Nothing is kept past DIR_INDEX_KEEP_MAX bytes per index, nor for a
 * file whose folder the index has not listed.  0, or -1 (out of memory).
 */
#define DIR_INDEX_KEEP_MAX (4u << 20)
int dir_index_keep(
    struct dir_index *ix, const char *path, const char *buf, size_t len);
/* 1 with the kept bytes of path (owned by ix, NUL-terminated), else 0. */
int dir_index_bytes(
    struct dir_index *ix, const char *path, const char **buf, size_t *len);

/* A regular file found by dir_walk_files(), valid during the call. */
struct walk_file {
	const char *rel; /* its path under the root ("iam/list-users.json") */
	const char *path; /* root/rel */
	const char *name; /* its last component */
	const char *sha256; /* of its bytes, hex */
	const struct stat *st; /* fstat(2) of the descriptor hashed */
};

/* dir_walk_files(): follow links (stat(2)) instead of skipping them. */
#define WALK_FOLLOW 1u

/*
 * Hash every regular file under root in manifest order: depth first,
 * each directory's entries sorted by strcmp(), names starting with '.'
 * left out, at most 16 levels below root, symbolic links skipped (or
 * followed with WALK_FOLLOW); want (may be NULL) picks the files by
 * name.  fn(ctx, f) for each file, in that order; its -1 stops the walk.
 * An entry that cannot be looked at is skipped; a folder that cannot be
 * opened is an error ("cannot open directory", at mark m, may be NULL),
 * as is a file that cannot be opened or read.  Files are opened
 * relative to their folder's descriptor (one per level).  ix (may be
 * NULL) receives the listing of every folder walked (dir_index_add()).
 * 0 or -1.
 */
int dir_walk_files(struct diag *d, const char *root, const struct mark *m,
    unsigned flags, int (*want)(const char *name),
    int (*fn)(void *ctx, const struct walk_file *f), void *ctx,
    struct dir_index *ix);

/* -------------------------------------------------- hashing and encoding */

#define SHA256_HEX_LEN 64

/*
 * sha256 of a buffer or file as lowercase hex (out: 65 bytes).  When the
 * digest cannot be computed sha256_hex writes 64 '-' (never a valid
 * digest); sha256_buf_hex does the same and reports the error: 0 or -1.
 */
void sha256_hex(const void *buf, size_t len, char out[SHA256_HEX_LEN + 1]);
int sha256_buf_hex(
    struct diag *d, const void *buf, size_t len, char out[SHA256_HEX_LEN + 1]);
int sha256_file_hex(
    struct diag *d, const char *path, char out[SHA256_HEX_LEN + 1]);
/* The same of what is left to read of fd (path names it in messages). */
int sha256_fd_hex(
    struct diag *d, int fd, const char *path, char out[SHA256_HEX_LEN + 1]);
/*
 * sha256_fd_hex() that also copies the bytes it hashes into copy (cap
 * bytes) while they fit; *len receives how many bytes were hashed (the
 * copy is whole when *len <= cap).
 */
int sha256_fd_copy(struct diag *d, int fd, const char *path,
    char out[SHA256_HEX_LEN + 1], char *copy, size_t cap, size_t *len);
/*
 * sha256 of the running binary (/proc/self/exe), computed once: 0, or -1
 * (said in d).  lib_self_sha256_start() begins computing it on a thread
 * of its own (a no-op when known or started); lib_self_sha256() waits for
 * that thread, and lib_self_sha256_wait() only waits (before exit).
 */
int lib_self_sha256(struct diag *d, char out[SHA256_HEX_LEN + 1]);
void lib_self_sha256_start(void);
void lib_self_sha256_wait(void);
/*
 * OpenSSL's SHA-256 (EVP_MD), fetched once for the process (thread-safe):
 * digests with it skip the provider lookup EVP_sha256() makes each time.
 */
struct evp_md_st;
const struct evp_md_st *lib_sha256_md(void);
void hex_encode(const unsigned char *in, size_t len, char *out);

/*
 * The SHA-256 of an input file, computed by the loader while it reads the
 * file for parsing, so that a caller needing both the tree and the digest
 * reads the file once.  Set `path` and `done` = 0 and point
 * load_limits.digest at it: when doc_stream_file() or doc_load_file()
 * reads that very path (same string) to its end and succeeds, hex receives
 * the digest of every byte read (byte-order marks and all) and done
 * becomes 1; later reads leave it alone.  done stays 0 when the loader
 * could not see every byte (YAML, whose parser reads the file itself;
 * buffers; failures): the caller then hashes the file itself.
 */
struct load_digest {
	const char *path; /* borrowed */
	int done;
	char hex[SHA256_HEX_LEN + 1];
};

/* Standard base64 with padding.  Returns a lib_malloc'd string. */
char *base64_encode(const unsigned char *in, size_t len);
/* Decode; rejects invalid characters.  lib_malloc'd; NULL on error. */
unsigned char *base64_decode(const char *in, size_t len, size_t *outlen);

/* Percent-decoding (IAM policy documents).  lib_malloc'd; NULL on error. */
char *url_decode(const char *in, size_t len, size_t *outlen);

/* --------------------------------------------------------------- strings */

/* A growable byte buffer on lib_malloc. */
struct strbuf {
	char *s;
	size_t len, cap;
	int oom; /* set once an append failed */
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
int sb_add(struct strbuf *sb, const char *s, size_t n);
int sb_adds(struct strbuf *sb, const char *s);
int sb_addc(struct strbuf *sb, char c);
int sb_printf(struct strbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* JSON-escape s (len bytes) with surrounding quotes. */
/* doc_write_json() appended to sb.  0, or -1 (out of memory: sb->oom). */
int doc_write_json_sb(const struct doc_node *n, struct strbuf *sb);
int sb_json_str(struct strbuf *sb, const char *s, size_t len);
/*
 * The JSON escape of byte c into out (\" \\ \n \r \t or \u00XX for other
 * control bytes and DEL) and its length, or 0 when c stands as it is.
 * Inline: writers call it for every byte.
 */
static inline size_t
json_escape(unsigned char c, char out[6])
{
	static const char hex[] = "0123456789abcdef";

	if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
		return 0;
	out[0] = '\\';
	switch (c) {
	case '"':
	case '\\':
		out[1] = (char)c;
		return 2;
	case '\n':
		out[1] = 'n';
		return 2;
	case '\r':
		out[1] = 'r';
		return 2;
	case '\t':
		out[1] = 't';
		return 2;
	default:
		out[1] = 'u';
		out[2] = '0';
		out[3] = '0';
		out[4] = hex[c >> 4];
		out[5] = hex[c & 15];
		return 6;
	}
}
/*
 * The length of the first run of s (at most len bytes) that needs no
 * escape (json_escape() returns 0 for each of its bytes).  Eight bytes
 * at a time: a report of many results is mostly such runs.
 */
size_t json_plain_len(const char *s, size_t len);
/* Detach: return the buffer (NUL-terminated) and reset sb. */
char *sb_detach(struct strbuf *sb);

/* Parse a whole decimal integer; 0 or -1 (no overflow, no junk). */
int parse_int64(const char *s, int64_t *out);
/* ----------------------------------------------------------------- time */

/* Forms time_parse() accepts; a caller may ask for one or both. */
#define TIME_DATE 1 /* YYYY-MM-DD, read as midnight UTC */
#define TIME_DATETIME 2 /* RFC 3339 date-time with seconds and offset */
#define TIME_ANY (TIME_DATE | TIME_DATETIME)

/*
 * Every time time_parse() returns lies in this range: years 0000..9999
 * with any UTC offset applied (0000-01-01T00:00:00+23:59 and
 * 9999-12-31T23:59:59-23:59).
 */
#define TIME_PARSE_MIN (-62167219200LL - 86340)
#define TIME_PARSE_MAX (253402300799LL + 86340)

/* Why time_parse() refused a value. */
struct time_error {
	const char *why; /* static text: lowercase, no final period */
	size_t at; /* byte offset of the problem in the value */
};

/*
 * The strict date and time parser (lib/time.c; docs/formats.md "Dates
 * and times"): s[0..len) must be exactly an RFC 3339 date-time (seconds
 * and a UTC offset required, `t`/`z` in either case, fraction truncated,
 * :60 only at 23:59:60 UTC at a month's end, read as :59) or a
 * YYYY-MM-DD date (midnight UTC), among the `forms` asked for, with a
 * valid calendar date.  Epoch seconds, YYYYMMDD, spaces, trailing bytes
 * and NUL bytes are refused.  Returns TIME_DATE or TIME_DATETIME with
 * *epoch (seconds since 1970-01-01T00:00:00Z, in TIME_PARSE_MIN..MAX),
 * or -1 with *err filled when err is not NULL.  *epoch is untouched on
 * failure.
 */
int time_parse(const char *s, size_t len, int forms, int64_t *epoch,
    struct time_error *err);
/* time_parse(s, strlen(s), TIME_ANY, epoch, NULL): 0 or -1. */
int parse_time(const char *s, int64_t *epoch);
/*
 * Whole days from `from` to `to` (floor of (to - from) / 86400, negative
 * when `to` is earlier), for any two int64_t times without overflow.
 */
int64_t time_days_between(int64_t from, int64_t to);
/* *out = t + days * 86400; -1 (and *out untouched) if it would overflow. */
int time_add_days(int64_t t, int64_t days, int64_t *out);
/* Format epoch seconds as RFC 3339 UTC ("2026-01-02T03:04:05Z"). */
void format_time(int64_t t, char out[32]);
/* The monotonic clock in nanoseconds and milliseconds (0 if unreadable). */
int64_t mono_ns(void);
int64_t mono_ms(void);

#endif /* RAMPART_LIB_H */
