/*
 * alloc.c: the allocation functions every module uses, with the
 * fault-injection hook that `make torture` and the tests drive.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/lib.h"

/*
 * Test-only state: which allocation to fail.  Never set outside tests, so
 * in production this is a read of two zeros per allocation.
 */
static long alloc_fail_at;
static long alloc_count;

void
lib_alloc_fail_at(long nth)
{
	alloc_fail_at = nth;
	alloc_count = 0;
}

long
lib_alloc_count(void)
{
	return alloc_count;
}

static int
should_fail(void)
{
	alloc_count++;
	return alloc_fail_at > 0 && alloc_count >= alloc_fail_at;
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
