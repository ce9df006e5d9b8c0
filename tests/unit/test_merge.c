/*
 * test_merge.c: the union of check outcomes (rules/merge.c).  One
 * sequential run over a list of real inputs is the reference; the same
 * inputs read by run_inputs() with 2, 3 and 4 workers, and folded by hand
 * from one partial run per input, must give the same run: inputs, every
 * check's counts, listed results (status, resource, message, input, in
 * order), types seen, listing flag, then the same statuses and verdict.
 * A loop over result caps (0 = all, 1, 2, 3, 1000) proves the capped
 * union lists exactly what the sequential run lists; the same loop over
 * input orders proves the fold is order-faithful, not order-blind.
 */
#include "testutil.h"

#include <pthread.h>

#include "rules/rules.h"

static const char *const inputs[] = {
	"examples/aws-export",
	"tests/fixtures/config/history-recorder.json",
	"tests/fixtures/config/batch-processed.json",
	"tests/fixtures/config/s3-bucket.json",
	"tests/fixtures/config/snapshot-recorder-all.json",
	"tests/fixtures/config/snapshot-recorder-exclusion.json",
};
#define NINPUTS (sizeof(inputs) / sizeof(inputs[0]))

/* The second input is missing: the scan stops there. */
static const char *const bad[] = {
	"examples/aws-export",
	"tests/fixtures/config/nonexistent.json",
	"tests/fixtures/config/s3-bucket.json",
};

static const char *const baseline = "fedramp-moderate";

static int
load(void *arg, struct diag *d, struct baseline **bl, struct rule_set **rs)
{
	(void)arg;
	*bl = NULL;
	if ((*rs = rule_set_new()) == NULL ||
	    rule_set_load_shipped(*rs, d) != 0 ||
	    (*bl = baseline_load(d, baseline, *rs)) == NULL) {
		rule_set_free(*rs);
		*rs = NULL;
		return -1;
	}
	return 0;
}

static void
unload(void *arg, struct baseline *bl, struct rule_set *rs)
{
	(void)arg;
	baseline_free(bl);
	rule_set_free(rs);
}

struct world {
	struct diag d;
	struct baseline *bl;
	struct rule_set *rs;
};

static int
setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	setenv("RAMPART_RULES_DIR", "rules", 1);
	diag_init(&w->d);
	assert_int_equal(load(NULL, &w->d, &w->bl, &w->rs), 0);
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;

	unload(NULL, w->bl, w->rs);
	diag_free(&w->d);
	free(w);
	return 0;
}

static struct run *
new_run(struct world *w, size_t max)
{
	struct run_opts ro;
	struct run *r;

	memset(&ro, 0, sizeof(ro));
	ro.now = 1795737600; /* 2026-11-27 */
	ro.max_results = max;
	load_limits_default(&ro.lim);
	r = run_new(&w->d, w->bl, w->rs, NULL, &ro);
	assert_non_null(r);
	return r;
}

static const char *
s_or(const char *s)
{
	return s ? s : "(null)";
}

/* Assert that runs x and y hold the same inputs and outcomes. */
static void
assert_same_run(const struct run *x, const struct run *y)
{
	const struct check_outcome *a, *b;
	size_t i, k;

	assert_int_equal(x->as.ninputs, y->as.ninputs);
	for (i = 0; i < x->as.ninputs; i++) {
		assert_string_equal(x->as.inputs[i].path, y->as.inputs[i].path);
		assert_string_equal(
		    x->as.inputs[i].sha256, y->as.inputs[i].sha256);
		assert_int_equal(
		    x->as.inputs[i].resources, y->as.inputs[i].resources);
		assert_int_equal(
		    x->as.inputs[i].listings, y->as.inputs[i].listings);
		assert_int_equal(
		    x->as.inputs[i].collected, y->as.inputs[i].collected);
		assert_int_equal(
		    x->as.inputs[i].ordinal, y->as.inputs[i].ordinal);
		assert_string_equal(s_or(x->as.inputs[i].account),
		    s_or(y->as.inputs[i].account));
	}
	assert_int_equal(x->as.nchecks, y->as.nchecks);
	for (i = 0; i < x->as.nchecks; i++) {
		a = &x->as.checks[i];
		b = &y->as.checks[i];
		assert_string_equal(a->rule->id, b->rule->id);
		assert_memory_equal(a->counts, b->counts, sizeof(a->counts));
		assert_int_equal(a->listed, b->listed);
		assert_memory_equal(a->seen, b->seen, a->rule->ntypes);
		assert_int_equal(a->n, b->n);
		assert_int_equal(a->ntracked, a->n);
		assert_int_equal(b->ntracked, b->n);
		for (k = 0; k < a->n; k++) {
			assert_int_equal(
			    a->results[k].status, b->results[k].status);
			assert_string_equal(s_or(a->results[k].resource_id),
			    s_or(b->results[k].resource_id));
			assert_string_equal(s_or(a->results[k].message),
			    s_or(b->results[k].message));
			assert_int_equal(a->results[k].nev, b->results[k].nev);
			assert_int_equal(
			    a->result_input[k], b->result_input[k]);
		}
	}
}

static void
assert_same_decision(const struct run *x, const struct run *y)
{
	size_t i;

	assert_int_equal(x->as.verdict, y->as.verdict);
	assert_memory_equal(x->as.count_controls, y->as.count_controls,
	    sizeof(x->as.count_controls));
	for (i = 0; i < x->as.nchecks; i++)
		assert_int_equal(
		    x->as.checks[i].status, y->as.checks[i].status);
	for (i = 0; i < x->as.ncontrols; i++)
		assert_int_equal(
		    x->as.controls[i].status, y->as.controls[i].status);
}

static struct run *
sequential(struct world *w, const char *const *in, size_t n, size_t max)
{
	struct run *r = new_run(w, max);
	size_t i;

	for (i = 0; i < n; i++) {
		assert_int_equal(run_input(r, in[i], NULL), 0);
		r->as.inputs[r->as.ninputs - 1].ordinal = i;
		assert_int_equal(run_track_inputs(r), 0);
	}
	return r;
}

/*
 * Fold one partial run per input, by hand, in order: made by run_new()
 * (the fold copies their results) or, with partial set, copied from a
 * template by run_partial() as the workers make them (the fold takes
 * their arena when all their results fit under the cap, else copies).
 */
static struct run *
folded_as(
    struct world *w, const char *const *in, size_t n, size_t max, int partial)
{
	struct run *r = new_run(w, max), *p, *tmpl = new_run(w, max);
	size_t i;

	for (i = 0; i < n; i++) {
		p = partial ? run_partial(tmpl, &w->d) : new_run(w, max);
		assert_non_null(p);
		assert_int_equal(run_input(p, in[i], NULL), 0);
		assert_int_equal(run_fold(r, p), 0);
		r->as.inputs[r->as.ninputs - 1].ordinal = i;
		run_free(p);
	}
	run_free(tmpl);
	return r;
}

static struct run *
folded(struct world *w, const char *const *in, size_t n, size_t max)
{
	return folded_as(w, in, n, max, 0);
}

/* How run_inputs() reads in[0..n) with `jobs` workers. */
static void
jobs_init(struct run_jobs *j, const char *const *in, size_t n, unsigned jobs)
{
	memset(j, 0, sizeof(*j));
	j->paths = in;
	j->n = n;
	j->jobs = jobs;
	j->load = load;
	j->unload = unload;
}

static struct run *
workers(
    struct world *w, const char *const *in, size_t n, size_t max, unsigned jobs)
{
	struct run *r = new_run(w, max);
	struct run_jobs j;

	jobs_init(&j, in, n, jobs);
	assert_int_equal(run_inputs(r, &j), 0);
	return r;
}

static void
fold_equals_sequential(void **state)
{
	static const size_t caps[] = { 0, 1, 2, 3, 1000 };
	struct world *w = *state;
	struct run *seq, *f, *par;
	const char *rev[NINPUTS];
	size_t c, i;
	unsigned jobs;

	for (i = 0; i < NINPUTS; i++)
		rev[i] = inputs[NINPUTS - 1 - i];
	for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		seq = sequential(w, inputs, NINPUTS, caps[c]);
		f = folded(w, inputs, NINPUTS, caps[c]);
		assert_same_run(seq, f);
		run_free(f);
		/* Partials whose arena the fold takes (unless capped). */
		f = folded_as(w, inputs, NINPUTS, caps[c], 1);
		assert_same_run(seq, f);
		for (jobs = 2; jobs <= 4; jobs++) {
			par = workers(w, inputs, NINPUTS, caps[c], jobs);
			assert_same_run(seq, par);
			assert_int_equal(run_finish(par), 0);
			assert_int_equal(run_finish(seq), 0);
			assert_same_decision(seq, par);
			run_free(par);
		}
		run_free(f);
		run_free(seq);
		/* Reversed order: the fold follows the order it is given. */
		seq = sequential(w, rev, NINPUTS, caps[c]);
		par = workers(w, rev, NINPUTS, caps[c], 3);
		assert_same_run(seq, par);
		run_free(par);
		run_free(seq);
	}
	assert_int_equal(w->d.nerrors, 0);
}

/* The cap keeps counts exact: the listed results never exceed it. */
static void
cap_keeps_counts(void **state)
{
	struct world *w = *state;
	struct run *all, *one;
	size_t i;
	int s;

	all = workers(w, inputs, NINPUTS, 0, 2);
	one = workers(w, inputs, NINPUTS, 1, 2);
	for (i = 0; i < all->as.nchecks; i++) {
		assert_memory_equal(all->as.checks[i].counts,
		    one->as.checks[i].counts, sizeof(all->as.checks[i].counts));
		for (s = 0; s < ST_COUNT; s++) {
			size_t k, n = 0;

			for (k = 0; k < one->as.checks[i].n; k++)
				n += one->as.checks[i].results[k].status ==
				    (enum status)s;
			assert_true(n <= 1);
			assert_int_equal(
			    n, one->as.checks[i].counts[s] > 0 ? 1 : 0);
		}
	}
	run_free(all);
	run_free(one);
}

/* A failing input stops the run as the sequential run stops. */
static void
failing_input_stops(void **state)
{
	struct world *w = *state;
	struct run *r = new_run(w, 1000);
	struct run_jobs j;
	size_t before = w->d.nerrors;

	jobs_init(&j, bad, 3, 3);
	assert_int_equal(run_inputs(r, &j), -1);
	assert_int_equal(r->as.ninputs, 1);
	assert_true(w->d.nerrors > before);
	assert_diag_has(&w->d, "nonexistent.json");
	run_free(r);
	diag_clear(&w->d);
}

/* What run_jobs.input_done saw (workers call it concurrently). */
struct done_log {
	pthread_mutex_t mu;
	const char *const *paths;
	unsigned calls[NINPUTS];
	int path_ok[NINPUTS];
	char sha256[NINPUTS][SHA256_HEX_LEN + 1];
};

static void
on_done(void *arg, size_t i, const struct input_info *in)
{
	struct done_log *l = arg;

	pthread_mutex_lock(&l->mu);
	if (i < NINPUTS) {
		l->calls[i]++;
		l->path_ok[i] = strcmp(in->path, l->paths[i]) == 0;
		memcpy(l->sha256[i], in->sha256, sizeof(l->sha256[i]));
	}
	pthread_mutex_unlock(&l->mu);
}

static void
done_run(struct world *w, struct done_log *l, const char *const *in, size_t n,
    unsigned jobs, int rc)
{
	struct run *r = new_run(w, 1000);
	struct run_jobs j;
	size_t i;

	memset(l->calls, 0, sizeof(l->calls));
	memset(l->path_ok, 0, sizeof(l->path_ok));
	l->paths = in;
	jobs_init(&j, in, n, jobs);
	j.arg = l;
	j.input_done = on_done;
	assert_int_equal(run_inputs(r, &j), rc);
	/* Each input folded was announced once, with its own input_info. */
	for (i = 0; i < r->as.ninputs; i++) {
		assert_int_equal(l->calls[i], 1);
		assert_true(l->path_ok[i]);
		assert_string_equal(l->sha256[i], r->as.inputs[i].sha256);
	}
	run_free(r);
}

/*
 * run_jobs.input_done (what `scan` pins each directory input's files
 * with): once for each input read, on whichever thread read it, with
 * that input's path and digest, for 1 to 4 workers; never for an input
 * that failed, nor (sequentially) for one after it.
 */
static void
input_done_once_each(void **state)
{
	struct world *w = *state;
	struct done_log l;
	unsigned jobs;

	memset(&l, 0, sizeof(l));
	assert_int_equal(pthread_mutex_init(&l.mu, NULL), 0);
	for (jobs = 1; jobs <= 4; jobs++)
		done_run(w, &l, inputs, NINPUTS, jobs, 0);
	for (jobs = 1; jobs <= 3; jobs++) {
		done_run(w, &l, bad, 3, jobs, -1);
		assert_int_equal(l.calls[0], 1);
		assert_int_equal(l.calls[1], 0);
		if (jobs == 1)
			assert_int_equal(l.calls[2], 0);
		diag_clear(&w->d);
	}
	pthread_mutex_destroy(&l.mu);
}

/*
 * Every allocation of the fold and of run_merge_order() failed in turn:
 * a clean -1 with an error counted, never a crash or a leak (ASan), and
 * with no failure left the fold succeeds.
 */
static void
fold_under_alloc_failure(void **state)
{
	struct world *w = *state;
	struct run *p, *r;
	long nth;
	int rc = -1;

	p = new_run(w, 2);
	assert_int_equal(run_input(p, inputs[0], NULL), 0);
	for (nth = 1; nth < 100000 && rc != 0; nth++) {
		r = new_run(w, 2);
		lib_alloc_fail_at(nth);
		rc = run_fold(r, p);
		if (rc == 0)
			rc = run_merge_order(r);
		lib_alloc_fail_at(0);
		/* Every later allocation fails too, the message's included:
		 * the error is counted even when its text could not be kept. */
		if (rc != 0)
			assert_true(w->d.nerrors > 0);
		diag_clear(&w->d);
		run_free(r);
	}
	assert_int_equal(rc, 0);
	assert_true(nth > 2);
	run_free(p);
}

/* shard_takes(): every key in exactly one part, stable. */
static void
shards_partition(void **state)
{
	char key[64];
	unsigned n, k, hits;
	int i;

	(void)state;
	for (n = 1; n <= 7; n++)
		for (i = 0; i < 200; i++) {
			snprintf(key, sizeof(key), "accounts/%d.json", i);
			for (hits = 0, k = 1; k <= n; k++)
				hits += (unsigned)shard_takes(key, k, n);
			assert_int_equal(hits, 1);
		}
	/* Pinned (python3: int(sha256(key).hexdigest()[:16], 16) % n + 1). */
	assert_true(shard_takes("examples/aws-export", 1, 7));
	assert_true(shard_takes("accounts/0.json", 3, 7));
	assert_true(shard_takes("accounts/0.json", 1, 4));
	assert_true(shard_takes("127.0.0.1:443", 5, 7));
	assert_true(shard_takes("tests/fixtures/config/s3-bucket.json", 3, 4));
	assert_false(shard_takes("tests/fixtures/config/s3-bucket.json", 4, 4));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    fold_equals_sequential, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    cap_keeps_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    failing_input_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    input_done_once_each, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    fold_under_alloc_failure, setup, teardown),
		cmocka_unit_test(shards_partition),
	};

	RUN_TESTS("merge", tests, argc, argv);
}
