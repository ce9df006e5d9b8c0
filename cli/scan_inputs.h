/*
 * scan_inputs.h: many inputs for `rampart scan` (issue 18): --input
 * lists, --inputs-from, --input-each, --jobs and --shard (docs/scale.md).
 */
#ifndef RAMPART_SCAN_INPUTS_H
#define RAMPART_SCAN_INPUTS_H

#include <pthread.h>

#include "cli/cli.h"
#include "reports/sign.h"
#include "rules/rules.h"

/*
 * The inputs of a scan in command-line order.  v[i] is borrowed from argv
 * or owned by the list's arena; ordinals[i] is the input's position in
 * the whole list before --shard took its part.
 */
struct scan_list {
	struct arena *a;
	const char **v;
	size_t *ordinals;
	size_t n, cap;
	size_t total; /* before --shard */
	/*
	 * With scan_pin_begin(): pinned[i] holds directory input v[i]'s
	 * files (pins_dir()), hashed by the thread that read the input
	 * right after it did (scan_pin_input()), each entry's files and
	 * their strings in one lib_malloc() block: the report's
	 * provenance (sign_scan.input_files) takes them from here instead
	 * of hashing every file again after the scan.
	 */
	struct sign_input_files *pinned;
};

/* Free the list's memory (accepts a zeroed list). */
void scan_list_free(struct scan_list *l);
/* Append one path (borrowed).  0 or EXIT_USAGE (reported). */
int scan_list_add(
    const struct command *cmd, struct scan_list *l, const char *path);
/*
 * --inputs-from FILE: one path a line; blank lines and lines whose first
 * non-blank character is '#' are skipped; surrounding blanks are
 * trimmed.  0 or EXIT_USAGE (reported with file:line).
 */
int scan_inputs_from(
    const struct command *cmd, struct scan_list *l, const char *file);
/*
 * --input-each DIR: every entry of DIR (names starting with '.' left
 * out), sorted by byte value, is one input.  0 or EXIT_USAGE.
 */
int scan_input_each(
    const struct command *cmd, struct scan_list *l, const char *dir);
/*
 * Keep the inputs that part k of n takes (shard_takes() on the path as
 * given); total keeps the count before.
 */
void scan_list_shard(struct scan_list *l, unsigned k, unsigned n);

/* --jobs N: 1 to 256.  0 or EXIT_USAGE. */
int scan_jobs_parse(const struct command *cmd, const char *arg, unsigned *jobs);
/* The default number of workers: the online CPUs (1 when unknown). */
unsigned scan_jobs_default(void);
/* --shard K/N: 1 <= K <= N <= 4096.  0 or EXIT_USAGE. */
int scan_shard_parse(
    const struct command *cmd, const char *arg, unsigned *k, unsigned *n);

/*
 * Add the option "shard" = "K/N" to the provenance m (what report.json
 * and the signed statement carry), when n is not 0.  0 or -1.
 */
int scan_meta_shard(struct arena *a, struct diag *d, struct sign_meta *m,
    unsigned k, unsigned n);

/*
 * Make room to pin the files of each of l's inputs as it is read (call
 * it after scan_list_shard(), before the scan).  0 or -1 (no memory:
 * nothing is pinned early; the report pins the files itself).
 */
int scan_pin_begin(struct scan_list *l);

/* What a worker loads: the same rule set and baseline as the scan's. */
struct scan_preload;

struct scan_loader {
	const char *baseline;
	const char *const *plugins;
	size_t nplugins;
	const char *const *rules;
	size_t nrules;
	struct progress prog; /* "reading X..." on a terminal's stderr */
	/* The list whose directory inputs scan_pin_input() pins, or NULL. */
	struct scan_list *pin;
	/* A load started early, which the first scan_load() takes; or NULL. */
	struct scan_preload *pre;
};

/*
 * The second worker's baseline and rule set, loaded on a thread of their
 * own while the main thread loads its own: with --jobs, that worker
 * starts reading at once instead of loading first.
 */
struct scan_preload {
	pthread_mutex_t mu;
	pthread_t t;
	int started, taken, rc;
	struct scan_loader ld; /* what to load (its pre is NULL) */
	struct diag d;
	struct baseline *bl;
	struct rule_set *rs;
};

/*
 * Start loading what ld names on a thread (not under allocation-failure
 * injection, whose order must not depend on threads); p is zeroed first.
 * Whether it started or not, end with scan_preload_end().
 */
void scan_preload_start(struct scan_preload *p, const struct scan_loader *ld);
/* Wait for a load nobody took and free it. */
void scan_preload_end(struct scan_preload *p);

/*
 * Load a rule set (plugins, shipped packs, --rules) and the baseline as
 * `scan` does, for run_jobs.load (arg: a struct scan_loader).  0 or -1.
 */
int scan_load(
    void *arg, struct diag *d, struct baseline **bl, struct rule_set **rs);
/* run_jobs.unload: frees what scan_load() made. */
void scan_unload(void *arg, struct baseline *bl, struct rule_set *rs);
/*
 * run_jobs.input_done (arg: a struct scan_loader): when input i is a
 * directory, pin its files into ld->pin->pinned[i], on the thread that
 * read it.  A failure pins nothing (the report pins the files itself,
 * and reports the failure then).
 */
void scan_pin_input(void *arg, size_t i, const struct input_info *in);

#endif
