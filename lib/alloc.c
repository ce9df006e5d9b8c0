/*
 * alloc.c: the allocation functions every module uses, with the
 * fault-injection hook that `make torture` and the tests drive.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lib.h"

/*
 * Test-only state: which allocation to fail, and the count of
 * allocations, kept once a test called lib_alloc_fail_at() (atomic: the
 * JSON loader allocates on two threads).  Never set outside tests, so in
 * production this is one read of a zero per allocation: an increment of
 * the shared count on every allocation made `scan --jobs` workers
 * contend for its cache line (about 2,000 allocations per input).
 */
static _Atomic long alloc_fail_at;
static _Atomic long alloc_count;
static _Atomic int alloc_counting;

void
lib_alloc_fail_at(long nth)
{
	atomic_store_explicit(&alloc_counting, 1, memory_order_relaxed);
	atomic_store_explicit(&alloc_fail_at, nth, memory_order_relaxed);
	atomic_store_explicit(&alloc_count, 0, memory_order_relaxed);
}

long
lib_alloc_count(void)
{
	return atomic_load_explicit(&alloc_count, memory_order_relaxed);
}

int
lib_alloc_armed(void)
{
	return atomic_load_explicit(&alloc_fail_at, memory_order_relaxed) > 0;
}

static int
should_fail(void)
{
	long n, at;

	if (!atomic_load_explicit(&alloc_counting, memory_order_relaxed))
		return 0;
	n = atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed) +
	    1;
	at = atomic_load_explicit(&alloc_fail_at, memory_order_relaxed);
	return at > 0 && n >= at;
}

void *
lib_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *
lib_calloc(size_t nmemb, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *
lib_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

char *
lib_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p;

	if ((p = lib_malloc(n)) != NULL)
		memcpy(p, s, n);
	return p;
}

void
lib_free(void *p)
{
	free(p);
}
