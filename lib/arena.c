/*
 * arena.c: region allocation.  A parse tree, a rule set or one streamed
 * resource lives in one arena and is released at once.  With ARENA_DEBUG
 * every allocation is its own malloc() so AddressSanitizer sees overruns
 * (lcc's PURIFY).
 */
#include <stdarg.h>
#include <string.h>

#include "lib/arena_impl.h"

struct arena *
arena_new(void)
{
	return lib_calloc(1, sizeof(struct arena));
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	struct arena_cleanup *cl;

	if (a == NULL)
		return;
	for (cl = a->cleanups; cl != NULL; cl = cl->next)
		cl->fn(cl->p);
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		lib_free(c);
	}
	lib_free(a);
}

void
arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next, *keep = NULL;
	struct arena_cleanup *cl;

	for (cl = a->cleanups; cl != NULL; cl = cl->next)
		cl->fn(cl->p);
	a->cleanups = NULL;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
#ifndef ARENA_DEBUG
		/* Keep one standard chunk: oversized ones go back. */
		if (keep == NULL && c->size == ARENA_CHUNK) {
			keep = c;
			continue;
		}
#endif
		lib_free(c);
	}
	if (keep != NULL) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
	a->used = 0;
}

#ifdef ARENA_DEBUG
static void *
alloc_raw(struct arena *a, size_t n)
{
	struct arena_chunk *c;

	if (n > SIZE_MAX - sizeof(*c))
		return NULL;
	if ((c = lib_calloc(1, sizeof(*c) + n)) == NULL)
		return NULL;
	c->size = c->used = n;
	c->next = a->head;
	a->head = c;
	a->used += n;
	return c->data;
}
#else
/* Hot path of every loader: no zeroing here, callers decide. */
static void *
alloc_raw(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need, sz;
	void *p;

	need = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (need < n)
		return NULL;
	if (c == NULL || c->size - c->used < need) {
		sz = need > ARENA_CHUNK / 4 ? need : ARENA_CHUNK;
		if (sz > SIZE_MAX - sizeof(*c))
			return NULL;
		if ((c = lib_malloc(sizeof(*c) + sz)) == NULL)
			return NULL;
		c->size = sz;
		c->used = 0;
		if (need > ARENA_CHUNK / 4 && a->head != NULL) {
			/* Keep the current chunk open for small allocations. */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->data + c->used;
	c->used += need;
	a->used += n;
	return p;
}
#endif

void *
arena_alloc(struct arena *a, size_t n)
{
	void *p;

	if ((p = alloc_raw(a, n)) != NULL)
		memset(p, 0, n);
	return p;
}

void *
arena_alloc_uninit(struct arena *a, size_t n)
{
	return alloc_raw(a, n);
}

void *
arena_realloc(struct arena *a, void *p, size_t old, size_t n)
{
	void *q;

	if (n <= old && p != NULL)
		return p;
	if (p == NULL)
		old = 0;
	if ((q = alloc_raw(a, n)) == NULL)
		return NULL;
	if (old > 0)
		memcpy(q, p, old);
	memset((char *)q + old, 0, n - old);
	return q;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX || (p = alloc_raw(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = arena_alloc(a, (size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t
arena_used(const struct arena *a)
{
	return a->used;
}

int
arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
	struct arena_cleanup *cl;

	if ((cl = arena_alloc(a, sizeof(*cl))) == NULL)
		return -1;
	cl->fn = fn;
	cl->p = p;
	cl->next = a->cleanups;
	a->cleanups = cl;
	return 0;
}
