/*
 * scan_inputs.c: the option helpers of `rampart scan` for organisation
 * scale (issue 18, docs/scale.md): input lists (--input, --inputs-from,
 * --input-each), --jobs and --shard, and what each worker loads.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/scan_inputs.h"

void
scan_list_free(struct scan_list *l)
{
	size_t i;

	for (i = 0; l->pinned != NULL && i < l->n; i++)
		lib_free(l->pinned[i].files);
	lib_free(l->pinned);
	lib_free(l->v);
	lib_free(l->ordinals);
	arena_free(l->a);
	memset(l, 0, sizeof(*l));
}

int
scan_list_add(const struct command *cmd, struct scan_list *l, const char *path)
{
	const char **v;
	size_t *o, ncap;

	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 64;
		if ((v = lib_realloc(l->v, ncap * sizeof(*v))) == NULL)
			return cli_usage_err(cmd, "out of memory");
		l->v = v;
		if ((o = lib_realloc(l->ordinals, ncap * sizeof(*o))) == NULL)
			return cli_usage_err(cmd, "out of memory");
		l->ordinals = o;
		l->cap = ncap;
	}
	l->v[l->n] = path;
	l->ordinals[l->n] = l->n;
	l->n++;
	l->total = l->n;
	return 0;
}

/* A copy of s in the list's arena. */
static const char *
list_dup(struct scan_list *l, const char *s, size_t n)
{
	if (l->a == NULL && (l->a = arena_new()) == NULL)
		return NULL;
	return arena_strndup(l->a, s, n);
}

int
scan_inputs_from(
    const struct command *cmd, struct scan_list *l, const char *file)
{
	struct diag d;
	char *buf = NULL, *p, *e, *nl;
	const char *s;
	size_t len, line = 0;
	int rc = 0;

	diag_init(&d);
	if (file_read_all(&d, file, 0, &buf, &len) == -1) {
		char msg[512];

		diag_format(&d, 0, msg, sizeof(msg));
		diag_free(&d);
		return cli_usage_err(cmd, "--inputs-from: %s", msg);
	}
	diag_free(&d);
	for (p = buf; rc == 0 && p < buf + len; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		e = nl;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		while (
		    e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (p == e || *p == '#')
			continue;
		if (memchr(p, '\0', (size_t)(e - p)) != NULL) {
			rc = cli_usage_err(
			    cmd, "%s:%zu: a NUL byte in a path", file, line);
			break;
		}
		if ((s = list_dup(l, p, (size_t)(e - p))) == NULL)
			rc = cli_usage_err(cmd, "out of memory");
		else
			rc = scan_list_add(cmd, l, s);
	}
	lib_free(buf);
	return rc;
}

static int
name_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int
scan_input_each(const struct command *cmd, struct scan_list *l, const char *dir)
{
	struct dirent *de;
	char **names = NULL, **nv;
	const char *s;
	size_t n = 0, i;
	DIR *dp;
	int rc = 0;

	if ((dp = opendir(dir)) == NULL)
		return cli_usage_err(
		    cmd, "--input-each '%s': %s", dir, strerror(errno));
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((nv = lib_realloc(names, (n + 1) * sizeof(*nv))) == NULL) {
			rc = cli_usage_err(cmd, "out of memory");
			break;
		}
		names = nv;
		if ((names[n] = lib_strdup(de->d_name)) == NULL) {
			rc = cli_usage_err(cmd, "out of memory");
			break;
		}
		n++;
	}
	closedir(dp);
	if (rc == 0 && n == 0)
		rc = cli_usage_err(cmd,
		    "--input-each '%s': the directory is empty (an empty input "
		    "is not evidence)",
		    dir);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; rc == 0 && i < n; i++) {
		if (l->a == NULL && (l->a = arena_new()) == NULL)
			s = NULL;
		else
			s = arena_printf(l->a, "%s%s%s", dir,
			    dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/",
			    names[i]);
		rc = s == NULL ? cli_usage_err(cmd, "out of memory")
			       : scan_list_add(cmd, l, s);
	}
	for (i = 0; i < n; i++)
		lib_free(names[i]);
	lib_free(names);
	return rc;
}

void
scan_list_shard(struct scan_list *l, unsigned k, unsigned n)
{
	size_t i, m = 0;

	l->total = l->n;
	for (i = 0; i < l->n; i++)
		if (shard_takes(l->v[i], k, n)) {
			l->v[m] = l->v[i];
			l->ordinals[m++] = l->ordinals[i];
		}
	l->n = m;
}

/* A whole decimal number in [lo, hi]; 0 or -1. */
static int
parse_uint(
    const char *s, const char *end, unsigned lo, unsigned hi, unsigned *out)
{
	unsigned long v = 0;
	const char *p;

	if (s == end)
		return -1;
	for (p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > hi)
			return -1;
	}
	if (v < lo)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int
scan_jobs_parse(const struct command *cmd, const char *arg, unsigned *jobs)
{
	if (parse_uint(arg, arg + strlen(arg), 1, 256, jobs) == -1)
		return cli_usage_err(cmd,
		    "invalid --jobs '%s' (a number of workers, 1 to 256)", arg);
	return 0;
}

unsigned
scan_jobs_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

int
scan_shard_parse(
    const struct command *cmd, const char *arg, unsigned *k, unsigned *n)
{
	const char *slash = strchr(arg, '/');

	if (slash == NULL || parse_uint(arg, slash, 1, 4096, k) == -1 ||
	    parse_uint(slash + 1, slash + strlen(slash), 1, 4096, n) == -1 ||
	    *k > *n)
		return cli_usage_err(cmd,
		    "invalid --shard '%s' (K/N: part K of N, 1 <= K <= N <= "
		    "4096)",
		    arg);
	return 0;
}

static void *
preload_main(void *arg)
{
	struct scan_preload *p = arg;

	p->rc = scan_load(&p->ld, &p->d, &p->bl, &p->rs);
	return NULL;
}

void
scan_preload_start(struct scan_preload *p, const struct scan_loader *ld)
{
	memset(p, 0, sizeof(*p));
	diag_init(&p->d);
	p->ld = *ld;
	p->ld.pre = NULL;
	if (lib_alloc_armed() || pthread_mutex_init(&p->mu, NULL) != 0)
		return;
	if (pthread_create(&p->t, NULL, preload_main, p) != 0) {
		pthread_mutex_destroy(&p->mu);
		return;
	}
	p->started = 1;
}

/* Take the preloaded pair if nobody did: 1 (its rc in *rc), else 0. */
static int
preload_take(struct scan_preload *p, struct diag *d, struct baseline **bl,
    struct rule_set **rs, int *rc)
{
	int mine;

	pthread_mutex_lock(&p->mu);
	mine = !p->taken;
	p->taken = 1;
	pthread_mutex_unlock(&p->mu);
	if (!mine)
		return 0;
	pthread_join(p->t, NULL);
	diag_move(d, &p->d);
	*bl = p->bl;
	*rs = p->rs;
	p->bl = NULL;
	p->rs = NULL;
	*rc = p->rc;
	return 1;
}

void
scan_preload_end(struct scan_preload *p)
{
	if (p->started) {
		if (!p->taken)
			pthread_join(p->t, NULL);
		pthread_mutex_destroy(&p->mu);
	}
	scan_unload(NULL, p->bl, p->rs);
	diag_free(&p->d);
	memset(p, 0, sizeof(*p));
}

int
scan_load(void *arg, struct diag *d, struct baseline **bl, struct rule_set **rs)
{
	const struct scan_loader *ld = arg;
	size_t i;
	int rc;

	if (ld->pre != NULL && ld->pre->started &&
	    preload_take(ld->pre, d, bl, rs, &rc))
		return rc;
	*bl = NULL;
	if ((*rs = rule_set_new()) == NULL)
		return diag_sys(d, NULL, "out of memory");
	for (i = 0; i < ld->nplugins; i++)
		if (rule_set_add_plugin(*rs, d, ld->plugins[i]) == -1)
			goto fail;
	if (rule_set_load_shipped(*rs, d) == -1)
		goto fail;
	for (i = 0; i < ld->nrules; i++)
		if (rule_set_load(*rs, d, ld->rules[i]) == -1)
			goto fail;
	if ((*bl = baseline_load(d, ld->baseline, *rs)) == NULL)
		goto fail;
	return 0;
fail:
	rule_set_free(*rs);
	*rs = NULL;
	return -1;
}

void
scan_unload(void *arg, struct baseline *bl, struct rule_set *rs)
{
	(void)arg;
	baseline_free(bl);
	rule_set_free(rs);
}

int
scan_meta_shard(struct arena *a, struct diag *d, struct sign_meta *m,
    unsigned k, unsigned n)
{
	struct sign_option *v;
	const char *val;

	if (n == 0)
		return 0;
	v = arena_alloc(a, (m->noptions + 1) * sizeof(*v));
	val = arena_printf(a, "%u/%u", k, n);
	if (v == NULL || val == NULL)
		return diag_sys(d, NULL, "out of memory");
	if (m->noptions > 0)
		memcpy(v, m->options, m->noptions * sizeof(*v));
	v[m->noptions].name = "shard";
	v[m->noptions].value = val;
	m->options = v;
	m->noptions++;
	return 0;
}

int
scan_pin_begin(struct scan_list *l)
{
	if (l->n > 0 &&
	    (l->pinned = lib_calloc(l->n, sizeof(*l->pinned))) == NULL)
		return -1;
	return 0;
}

/*
 * The n pins of v with their strings in one block (input: the directory
 * as given): an arena per input would keep a 64 KiB chunk each.
 */
static struct sign_pin *
pins_pack(const struct sign_pin *v, size_t n, const char *input)
{
	struct sign_pin *out;
	size_t i, len = n * sizeof(*v) + 1, k;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(v[i].name) + strlen(v[i].sha256) + 2;
	if ((out = lib_malloc(len)) == NULL)
		return NULL;
	s = (char *)(out + n);
	for (i = 0; i < n; i++) {
		out[i] = v[i];
		out[i].input = input;
		k = strlen(v[i].name) + 1;
		out[i].name = memcpy(s, v[i].name, k);
		s += k;
		k = strlen(v[i].sha256) + 1;
		out[i].sha256 = memcpy(s, v[i].sha256, k);
		s += k;
	}
	return out;
}

void
scan_pin_input(void *arg, size_t i, const struct input_info *in)
{
	const struct scan_loader *ld = arg;
	struct scan_list *l = ld->pin;
	struct sign_input_files *f;
	struct sign_pin *v;
	struct stat st;
	struct diag d;
	struct arena *a;

	/* Input i's entry is this thread's alone: no lock. */
	if (l == NULL || l->pinned == NULL || i >= l->n ||
	    strcmp(l->v[i], in->path) != 0 || stat(l->v[i], &st) != 0 ||
	    !S_ISDIR(st.st_mode) || (a = arena_new()) == NULL)
		return;
	f = &l->pinned[i];
	diag_init(&d);
	if (pins_dir(a, &d, l->v[i], &v, &f->nfiles, f->digest) == 0 &&
	    (f->files = pins_pack(v, f->nfiles, l->v[i])) != NULL) {
		f->path = l->v[i];
		f->done = 1;
	} else {
		memset(f, 0, sizeof(*f));
	}
	arena_free(a);
	diag_free(&d);
}
