/*
 * arena_impl.h: the arena's layout and its allocation fast path, for the
 * loaders' hot paths inside lib/ (a tree builder makes millions of
 * allocations, and a call per node shows).  Everything else uses the
 * functions of lib.h.  Internal to lib/.
 */
#ifndef RAMPART_ARENA_IMPL_H
#define RAMPART_ARENA_IMPL_H

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/lib.h"

#define ARENA_ALIGN alignof(max_align_t)
#define ARENA_CHUNK (64u * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

struct arena_cleanup {
	struct arena_cleanup *next;
	void (*fn)(void *);
	void *p;
};

struct arena {
	struct arena_cleanup *cleanups;
	struct arena_chunk *head;
	size_t used; /* bytes handed out */
};

/*
 * arena_alloc_uninit() with the common case inlined: room left in the
 * current chunk.  With ARENA_DEBUG every allocation still goes through
 * arena.c, so each one is its own malloc() for AddressSanitizer.
 */
static inline void *
arena_bump(struct arena *a, size_t n)
{
#ifndef ARENA_DEBUG
	struct arena_chunk *c = a->head;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (c != NULL && need >= n && c->size - c->used >= need) {
		p = c->data + c->used;
		c->used += need;
		a->used += n;
		return p;
	}
#endif
	return arena_alloc_uninit(a, n);
}

/* Sizes arena_bump_small() takes: rounding them up cannot overflow. */
#define ARENA_SMALL_MAX (SIZE_MAX / 2)

/*
 * arena_bump() for n <= ARENA_SMALL_MAX (the caller checks), which saves
 * the overflow test on the path of every node.
 */
static inline void *
arena_bump_small(struct arena *a, size_t n)
{
#ifndef ARENA_DEBUG
	struct arena_chunk *c = a->head;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (c != NULL && c->size - c->used >= need) {
		p = c->data + c->used;
		c->used += need;
		a->used += n;
		return p;
	}
#endif
	return arena_alloc_uninit(a, n);
}

/*
 * Release everything allocated from a (running its deferred cleanups) but
 * keep one chunk for reuse, so that a loader streaming millions of
 * elements does not allocate and free a chunk for each.
 */
void arena_reset(struct arena *a);

#endif /* RAMPART_ARENA_IMPL_H */
