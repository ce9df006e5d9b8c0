/*
 * merge.c: many inputs in one run, and the union of check outcomes.
 *
 * A run over inputs 1..n is the fold, in input order, of n partial runs,
 * one per input (run_fold()): counts add up, the seen and listing flags
 * are or-ed, and listed results are appended while fewer than
 * max_results of their status are listed.  That is what lets --jobs
 * workers stream inputs concurrently and still produce, byte for byte,
 * the report of the sequential run; `rampart merge` folds the outcomes
 * read back from shard reports the same way (reports/read.c).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

/* Make room for n input indices in o->result_input (run arena). */
static int
grow_tracked(struct run *r, struct check_outcome *o, size_t n)
{
	uint32_t *v;
	size_t ncap;

	if (n <= o->tracked_cap && o->result_input != NULL)
		return 0;
	/* Doubling: appending one result at a time stays linear. */
	ncap = o->tracked_cap ? o->tracked_cap * 2 : 16;
	while (ncap < n)
		ncap *= 2;
	v = arena_realloc(r->as.a, o->result_input, o->tracked_cap * sizeof(*v),
	    ncap * sizeof(*v));
	if (v == NULL)
		return diag_sys(r->d, NULL, "out of memory");
	o->result_input = v;
	o->tracked_cap = ncap;
	return 0;
}

int
run_track_inputs(struct run *r)
{
	struct check_outcome *o;
	size_t i;

	if (r->as.ninputs == 0)
		return 0;
	for (i = 0; i < r->as.nchecks; i++) {
		o = &r->as.checks[i];
		if (o->ntracked == o->n && o->result_input != NULL)
			continue;
		if (grow_tracked(r, o, o->n) == -1)
			return -1;
		while (o->ntracked < o->n)
			o->result_input[o->ntracked++] =
			    (uint32_t)(r->as.ninputs - 1);
	}
	return 0;
}

static const char *
dup_str(struct arena *a, const char *s, int *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = arena_strdup(a, s)) == NULL)
		*oom = 1;
	return d;
}

/* Room for one more result of o, listed and tracked: 0 or -1. */
static int
result_room(struct run *r, struct check_outcome *o)
{
	struct check_result *v;
	size_t ncap;

	if (o->n == o->cap) {
		ncap = o->cap ? o->cap * 2 : 16;
		if ((v = lib_realloc(o->results, ncap * sizeof(*v))) == NULL)
			return diag_sys(r->d, NULL, "out of memory");
		o->results = v;
		o->cap = ncap;
	}
	return grow_tracked(r, o, o->n + 1);
}

/* o's new last result came from input in. */
static void
result_added(struct check_outcome *o, uint32_t in)
{
	/* Results before the first tracked one belong to no input. */
	while (o->ntracked < o->n)
		o->result_input[o->ntracked++] = UINT32_MAX;
	o->result_input[o->ntracked++] = in;
	o->n++;
}

int
run_add_result(struct run *r, struct check_outcome *o,
    const struct check_result *res, uint32_t in)
{
	struct check_result *dst;
	size_t i;
	int oom = 0;

	if (result_room(r, o) == -1)
		return -1;
	dst = &o->results[o->n];
	memset(dst, 0, sizeof(*dst));
	dst->status = res->status;
	dst->resource_id = dup_str(r->as.a, res->resource_id, &oom);
	dst->resource_type = dup_str(r->as.a, res->resource_type, &oom);
	dst->region = dup_str(r->as.a, res->region, &oom);
	dst->message = dup_str(r->as.a, res->message, &oom);
	dst->account = dup_str(r->as.a, res->account, &oom);
	dst->namespace = dup_str(r->as.a, res->namespace, &oom);
	if (res->nev > 0 &&
	    (dst->ev = arena_alloc(r->as.a, res->nev * sizeof(*dst->ev))) ==
		NULL)
		oom = 1;
	for (i = 0; !oom && i < res->nev; i++) {
		dst->ev[i].path = dup_str(r->as.a, res->ev[i].path, &oom);
		dst->ev[i].value = dup_str(r->as.a, res->ev[i].value, &oom);
		dst->ev[i].source = res->ev[i].source;
		dst->ev[i].source.file =
		    dup_str(r->as.a, res->ev[i].source.file, &oom);
	}
	if (oom)
		return diag_sys(r->d, NULL, "out of memory");
	dst->nev = res->nev;
	result_added(o, in);
	return 0;
}

/*
 * Whether every listed result of partial run p goes into r, none beyond
 * r's cap (--max-results): then the fold takes p's arena, where those
 * results' strings already are, instead of copying each.
 */
static int
fold_keeps_all(const struct run *r, const struct run *p)
{
	const struct check_outcome *o, *po;
	size_t i, k, have[ST_COUNT], max = r->as.opts.max_results;
	int s;

	if (max == 0)
		return 1;
	for (i = 0; i < r->as.nchecks; i++) {
		o = &r->as.checks[i];
		po = &p->as.checks[i];
		if (po->n == 0)
			continue;
		for (s = 0; s < ST_COUNT; s++)
			have[s] = o->counts[s] > max ? max : o->counts[s];
		for (k = 0; k < po->n; k++)
			if (++have[po->results[k].status] > max)
				return 0;
	}
	return 1;
}

/* Copy input p into a new input of r (strings into r's arena). */
static int
fold_input(struct run *r, const struct input_info *p)
{
	struct input_info *v, *in;
	int oom = 0;

	v = arena_realloc(r->as.a, r->as.inputs, r->as.ninputs * sizeof(*v),
	    (r->as.ninputs + 1) * sizeof(*v));
	if (v == NULL)
		return diag_sys(r->d, NULL, "out of memory");
	r->as.inputs = v;
	in = &r->as.inputs[r->as.ninputs];
	*in = *p;
	in->path = dup_str(r->as.a, p->path, &oom);
	in->format = dup_str(r->as.a, p->format, &oom);
	in->account = dup_str(r->as.a, p->account, &oom);
	if (oom)
		return diag_sys(r->d, NULL, "out of memory");
	r->as.providers |= p->providers;
	r->as.ninputs++;
	return 0;
}

int
run_fold(struct run *r, struct run *p)
{
	struct check_outcome *o;
	const struct check_outcome *po;
	size_t i, k, listed[ST_COUNT], max = r->as.opts.max_results;
	uint32_t in;
	int s, take;

	if (p->as.ninputs != 1 || p->as.nchecks != r->as.nchecks)
		return diag_err(r->d, NULL,
		    "internal error: a partial run of %zu inputs and %zu "
		    "checks cannot be folded into a run of %zu checks",
		    p->as.ninputs, p->as.nchecks, r->as.nchecks);
	for (i = 0; i < r->as.nchecks; i++)
		if (strcmp(r->as.checks[i].rule->id,
			p->as.checks[i].rule->id) != 0)
			return diag_err(r->d, NULL,
			    "internal error: check %zu is '%s' in the run and "
			    "'%s' in the partial run",
			    i, r->as.checks[i].rule->id,
			    p->as.checks[i].rule->id);
	in = (uint32_t)r->as.ninputs;
	if (fold_input(r, &p->as.inputs[0]) == -1)
		return -1;
	/*
	 * First p's arena becomes r's: its results then point into r's.
	 * Only a run_partial()'s, whose checks are not in its arena.
	 */
	take = p->block != NULL && p->as.a != NULL && fold_keeps_all(r, p) &&
	    run_adopt_arena(r, p->as.a) == 0;
	if (take)
		p->as.a = NULL;
	for (i = 0; i < r->as.nchecks; i++) {
		o = &r->as.checks[i];
		po = &p->as.checks[i];
		/* Results of earlier inputs not tracked yet are theirs. */
		if (o->ntracked < o->n) {
			if (grow_tracked(r, o, o->n) == -1)
				return -1;
			while (o->ntracked < o->n)
				o->result_input[o->ntracked++] = in - 1;
		}
		for (s = 0; s < ST_COUNT; s++)
			listed[s] =
			    max != 0 && o->counts[s] > max ? max : o->counts[s];
		for (k = 0; k < po->n; k++) {
			s = (int)po->results[k].status;
			if (max != 0 && listed[s] >= max)
				continue;
			if (!take) {
				if (run_add_result(r, o, &po->results[k], in) ==
				    -1)
					return -1;
			} else if (result_room(r, o) == -1) {
				return -1;
			} else {
				o->results[o->n] = po->results[k];
				result_added(o, in);
			}
			listed[s]++;
		}
		for (s = 0; s < ST_COUNT; s++)
			o->counts[s] += po->counts[s];
		for (k = 0; k < o->rule->ntypes; k++)
			o->seen[k] |= po->seen[k];
		o->listed |= po->listed;
	}
	return 0;
}

int
shard_takes(const char *key, unsigned k, unsigned n)
{
	char hex[SHA256_HEX_LEN + 1];
	uint64_t h = 0;
	int i, c;

	if (n <= 1)
		return 1;
	sha256_hex(key, strlen(key), hex);
	for (i = 0; i < 16; i++) {
		c = hex[i];
		h = h << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
	}
	return h % n == (uint64_t)(k - 1);
}

/* ------------------------------------------------------------ workers */

struct worker;

/* One input's partial run, from a worker to the folding thread. */
struct slot {
	struct run *part;
	struct diag d;
	int done;
	int rc;
	const struct worker *by; /* the worker that made part */
	struct slot *next_freed; /* in pool.freed */
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const struct run_jobs *j;
	const struct run *r; /* options only: workers never touch it */
	struct slot *slots;
	size_t next; /* the next input to claim */
	size_t folded; /* inputs folded so far */
	size_t window; /* claimed but not folded: at most this many */
	/*
	 * Folded partials, for the workers that made them to free: memory
	 * freed on another thread than the one that took it goes back to
	 * the other thread's malloc arena under its lock (2 % of a
	 * 200-input scan's CPU when the folding thread freed them).
	 */
	struct slot *freed;
	int stop;
};

struct worker {
	struct pool *p;
	struct baseline *bl;
	struct rule_set *rs;
	struct run *tmpl; /* what its partial runs are copied from */
	int load; /* load bl and rs first (all workers but the first) */
	int failed; /* ... and that failed: the reason is in d */
	struct diag d;
	pthread_t t;
	int started;
};

/* Stream input i into its own partial run. */
static void
work_one(struct worker *w, size_t i)
{
	const struct run_jobs *j = w->p->j;
	struct slot *s = &w->p->slots[i];

	s->rc = -1;
	s->by = w;
	if ((s->part = run_partial(w->tmpl, &s->d)) == NULL)
		return;
	s->rc = run_input(s->part, j->paths[i], j->ad);
	if (s->rc == 0 && s->part->as.ninputs != 1)
		s->rc = diag_err(&s->d, NULL,
		    "internal error: input '%s' made %zu inputs", j->paths[i],
		    s->part->as.ninputs);
	if (s->rc == 0 && j->input_done != NULL)
		j->input_done(j->arg, i, &s->part->as.inputs[0]);
}

/* Unlink w's folded partials from p->freed (p->mu held). */
static struct slot *
take_freed(struct pool *p, const struct worker *w)
{
	struct slot **pp = &p->freed, *s, *mine = NULL;

	while ((s = *pp) != NULL) {
		if (s->by == w) {
			*pp = s->next_freed;
			s->next_freed = mine;
			mine = s;
		} else {
			pp = &s->next_freed;
		}
	}
	return mine;
}

/* Free the partials of a take_freed() list (unlocked). */
static void
free_slots(struct slot *s)
{
	for (; s != NULL; s = s->next_freed) {
		run_free(s->part);
		s->part = NULL;
	}
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->p;
	struct run_opts opts = p->r->as.opts;
	struct slot *mine;
	size_t i;

	/* On this thread, while the first worker already reads inputs; the
	 * template once: run_new() per input cost more than small inputs. */
	if ((w->load && p->j->load(p->j->arg, &w->d, &w->bl, &w->rs) == -1) ||
	    (w->tmpl = run_new(&w->d, w->bl, w->rs, NULL, &opts)) == NULL) {
		/* The run fails (run_inputs() says why): stop the others. */
		pthread_mutex_lock(&p->mu);
		w->failed = 1;
		p->stop = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->next < p->j->n &&
		    p->next >= p->folded + p->window)
			pthread_cond_wait(&p->cv, &p->mu);
		mine = take_freed(p, w);
		if (p->stop || p->next >= p->j->n) {
			pthread_mutex_unlock(&p->mu);
			free_slots(mine);
			return NULL;
		}
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		free_slots(mine);
		work_one(w, i);
		pthread_mutex_lock(&p->mu);
		p->slots[i].done = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

/* The sequential path: today's run_input() loop on this thread. */
static int
inputs_sequential(struct run *r, const struct run_jobs *j)
{
	size_t i;

	for (i = 0; i < j->n; i++) {
		if (j->progress != NULL)
			j->progress(j->arg, i, j->paths[i]);
		if (run_input(r, j->paths[i], j->ad) == -1)
			return -1;
		r->as.inputs[r->as.ninputs - 1].ordinal =
		    j->ordinals ? j->ordinals[i] : i;
		if (run_track_inputs(r) == -1)
			return -1;
		if (j->input_done != NULL)
			j->input_done(
			    j->arg, i, &r->as.inputs[r->as.ninputs - 1]);
	}
	return 0;
}

/* Fold the partials in input order as the workers finish them. */
static int
fold_all(struct run *r, struct pool *p)
{
	const struct run_jobs *j = p->j;
	struct slot *s;
	size_t i;
	int rc = 0;

	for (i = 0; i < j->n && rc == 0; i++) {
		s = &p->slots[i];
		pthread_mutex_lock(&p->mu);
		while (!s->done && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (!s->done) { /* a worker failed: run_inputs() says why */
			pthread_mutex_unlock(&p->mu);
			rc = -1;
			break;
		}
		pthread_mutex_unlock(&p->mu);
		if (j->progress != NULL)
			j->progress(j->arg, i, j->paths[i]);
		diag_move(r->d, &s->d);
		if (s->rc == -1 || run_fold(r, s->part) == -1)
			rc = -1;
		else
			r->as.inputs[r->as.ninputs - 1].ordinal =
			    j->ordinals ? j->ordinals[i] : i;
		pthread_mutex_lock(&p->mu);
		s->next_freed = p->freed;
		p->freed = s;
		p->folded = i + 1;
		if (rc == -1)
			p->stop = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return rc;
}

int
run_inputs(struct run *r, const struct run_jobs *j)
{
	struct worker *w = NULL;
	struct pool p;
	size_t i, nw;
	int rc = -1;

	nw = j->jobs == 0 ? 1 : j->jobs;
	if (nw > j->n)
		nw = j->n;
	/*
	 * Under allocation-failure injection (tests) the order of
	 * allocations must not depend on threads: read sequentially.
	 */
	if (nw <= 1 || j->load == NULL || lib_alloc_armed())
		return inputs_sequential(r, j);
	memset(&p, 0, sizeof(p));
	p.j = j;
	p.r = r;
	p.window = 2 * nw;
	if ((p.slots = lib_calloc(j->n, sizeof(*p.slots))) == NULL ||
	    (w = lib_calloc(nw, sizeof(*w))) == NULL) {
		lib_free(p.slots);
		return diag_sys(r->d, NULL, "out of memory");
	}
	for (i = 0; i < j->n; i++)
		diag_init(&p.slots[i].d);
	/* Worker 0 shares the caller's: this thread only folds. */
	w[0].bl = r->as.bl;
	w[0].rs = r->as.rs;
	for (i = 0; i < nw; i++) {
		diag_init(&w[i].d);
		w[i].load = i > 0;
	}
	if (pthread_mutex_init(&p.mu, NULL) != 0)
		goto out;
	if (pthread_cond_init(&p.cv, NULL) != 0) {
		pthread_mutex_destroy(&p.mu);
		goto out;
	}
	for (i = 0; i < nw; i++) {
		w[i].p = &p;
		if (pthread_create(&w[i].t, NULL, worker_main, &w[i]) != 0) {
			diag_sys(r->d, NULL, "cannot start a worker thread");
			break;
		}
		w[i].started = 1;
	}
	if (i == nw)
		rc = fold_all(r, &p);
	pthread_mutex_lock(&p.mu);
	p.stop = 1;
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	for (i = 0; i < nw; i++)
		if (w[i].started)
			pthread_join(w[i].t, NULL);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	/* A worker that could not load fails the run (after the others). */
	for (i = 0; i < nw; i++)
		if (w[i].failed) {
			diag_move(r->d, &w[i].d);
			rc = -1;
		}
out:
	for (i = 0; i < j->n; i++) {
		run_free(p.slots[i].part);
		diag_free(&p.slots[i].d);
	}
	/* The partials are folded and freed: their templates can go. */
	for (i = 0; w != NULL && i < nw; i++)
		run_free(w[i].tmpl);
	for (i = 1; i < nw; i++) {
		if (w[i].bl != NULL || w[i].rs != NULL)
			j->unload(j->arg, w[i].bl, w[i].rs);
		diag_free(&w[i].d);
	}
	if (w != NULL)
		diag_free(&w[0].d);
	lib_free(w);
	lib_free(p.slots);
	return rc;
}

/* ---------------------------------------------------- merged reports */

struct order_key {
	size_t key; /* input ordinal, or new input index */
	size_t idx; /* position before: the sort is stable */
};

static int
order_cmp(const void *x, const void *y)
{
	const struct order_key *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Order the results of o by input (new indices in map) and cap them. */
static int
order_results(struct run *r, struct check_outcome *o, const size_t *map)
{
	struct order_key *k;
	struct check_result *res;
	uint32_t *rin;
	size_t i, n = 0, listed[ST_COUNT], max = r->as.opts.max_results;
	int s;

	if (o->n == 0)
		return 0;
	k = lib_calloc(o->n, sizeof(*k));
	res = lib_calloc(o->n, sizeof(*res));
	rin = arena_alloc(r->as.a, (o->n + 1) * sizeof(*rin));
	if (k == NULL || res == NULL || rin == NULL) {
		lib_free(k);
		lib_free(res);
		return diag_sys(r->d, NULL, "out of memory");
	}
	for (i = 0; i < o->n; i++) {
		k[i].key = i < o->ntracked && o->result_input[i] != UINT32_MAX
		    ? map[o->result_input[i]]
		    : SIZE_MAX;
		k[i].idx = i;
	}
	qsort(k, o->n, sizeof(*k), order_cmp);
	memset(listed, 0, sizeof(listed));
	for (i = 0; i < o->n; i++) {
		s = (int)o->results[k[i].idx].status;
		if (max != 0 && listed[s] >= max)
			continue;
		listed[s]++;
		res[n] = o->results[k[i].idx];
		rin[n++] = (uint32_t)k[i].key;
	}
	memcpy(o->results, res, n * sizeof(*res));
	o->n = n;
	o->result_input = rin;
	o->ntracked = n;
	o->tracked_cap = o->n + 1;
	lib_free(k);
	lib_free(res);
	return 0;
}

int
run_merge_order(struct run *r)
{
	struct order_key *k = NULL;
	struct input_info *in = NULL;
	size_t *map = NULL, i;
	int rc = -1;

	if (r->as.ninputs > 0 &&
	    ((k = lib_calloc(r->as.ninputs, sizeof(*k))) == NULL ||
		(map = lib_calloc(r->as.ninputs, sizeof(*map))) == NULL ||
		(in = arena_alloc(r->as.a, r->as.ninputs * sizeof(*in))) ==
		    NULL)) {
		diag_sys(r->d, NULL, "out of memory");
		goto out;
	}
	for (i = 0; i < r->as.ninputs; i++) {
		k[i].key = r->as.inputs[i].ordinal;
		k[i].idx = i;
	}
	if (r->as.ninputs > 1)
		qsort(k, r->as.ninputs, sizeof(*k), order_cmp);
	for (i = 0; i < r->as.ninputs; i++) {
		in[i] = r->as.inputs[k[i].idx];
		map[k[i].idx] = i;
	}
	if (r->as.ninputs > 0)
		r->as.inputs = in;
	for (i = 0; i < r->as.nchecks; i++)
		if (order_results(r, &r->as.checks[i], map) == -1)
			goto out;
	rc = 0;
out:
	lib_free(k);
	lib_free(map);
	return rc;
}
