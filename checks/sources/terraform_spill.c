/*
 * terraform_spill.c: the Terraform adapter's spill file.  The targets
 * that parts join onto (buckets, security groups, network ACLs, load
 * balancers, firewalls) and the parts themselves are written here,
 * converted, as the plan streams, and read back one at a time for the
 * joins at the end (terraform.c): memory stays flat whatever the number
 * of them.  The file has no name (unlinked at once) and is read only by
 * the process that wrote it; a record read back is still checked, so a
 * short or damaged file is an error, never a wrong resource.
 *
 * A record: its length (u32), then the provider and type numbers, the
 * flags and the mark, the strings (u32 length + 1, 0 for NULL, then the
 * bytes), then the trees (keys, which the head ends with, then attrs,
 * unread, info), each node as its
 * type (0xff: no tree), line, column, text (u64 length + 1, 0 for none)
 * and value or children.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/sources/terraform_impl.h"

#define NO_TREE 0xff
/* One record at most: the loader's per-element limit, with margin. */
#define MAX_RECORD ((uint64_t)LOAD_DEFAULT_MAX_DOC_BYTES * 4)

uint64_t
tf_hash(uint64_t h, const char *s, size_t len)
{
	size_t i;

	for (i = 0; s != NULL && i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	/* The length ends each string: ("ab", "c") is not ("a", "bc"). */
	for (i = 0; i < sizeof(len); i++) {
		h ^= (unsigned char)(len >> (8 * i));
		h *= 0x100000001b3ULL;
	}
	return h;
}

int
tf_spill_open(struct tf_spill *s)
{
	const char *dir = getenv("TMPDIR");
	struct strbuf sb;

	s->fd = -1;
	s->size = 0;
	s->why = NULL;
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	sb_init(&sb);
	sb_printf(&sb, "%s/rampart-tfplan-XXXXXX", dir);
	if (sb.oom) {
		s->why = "out of memory";
		return -1;
	}
	if ((s->fd = mkstemp(sb.s)) == -1) {
		s->why = strerror(errno);
		sb_free(&sb);
		return -1;
	}
	(void)unlink(sb.s);
	sb_free(&sb);
	return 0;
}

void
tf_spill_close(struct tf_spill *s)
{
	if (s->fd != -1)
		(void)close(s->fd);
	s->fd = -1;
}

/* ------------------------------------------------------------ writing */

static void
put_u(struct strbuf *sb, uint64_t v, size_t n)
{
	char b[8];
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (char)(v >> (8 * i));
	sb_add(sb, b, n);
}

static void
put_str(struct strbuf *sb, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	put_u(sb, s != NULL ? (uint64_t)n + 1 : 0, 4);
	if (n > 0)
		sb_add(sb, s, n);
}

static void
put_node(struct strbuf *sb, const struct doc_node *n)
{
	uint64_t f;
	size_t i;

	if (n == NULL) {
		put_u(sb, NO_TREE, 1);
		return;
	}
	put_u(sb, (uint64_t)n->type, 1);
	put_u(sb, n->mark.line, 4);
	put_u(sb, n->mark.col, 4);
	put_u(sb, n->str != NULL ? (uint64_t)n->len + 1 : 0, 8);
	if (n->str != NULL)
		sb_add(sb, n->str, n->len);
	switch (n->type) {
	case DOC_BOOL:
		put_u(sb, (uint64_t)(n->u.b != 0), 1);
		break;
	case DOC_INT:
		put_u(sb, (uint64_t)n->u.i, 8);
		break;
	case DOC_FLOAT:
		memcpy(&f, &n->u.f, sizeof(f));
		put_u(sb, f, 8);
		break;
	case DOC_SEQ:
		put_u(sb, n->u.seq.n, 4);
		for (i = 0; i < n->u.seq.n; i++)
			put_node(sb, n->u.seq.items[i]);
		break;
	case DOC_MAP:
		put_u(sb, n->u.map.n, 4);
		for (i = 0; i < n->u.map.n; i++) {
			put_node(sb, n->u.map.pairs[i].key);
			put_node(sb, n->u.map.pairs[i].val);
		}
		break;
	default:
		break;
	}
}

/* pwrite (wr 1) or pread all n bytes at off.  0, or -1 with s->why. */
static int
io_all(struct tf_spill *s, int wr, void *buf, size_t n, uint64_t off)
{
	unsigned char *p = buf;
	ssize_t got;

	while (n > 0) {
		got = wr ? pwrite(s->fd, p, n, (off_t)off)
			 : pread(s->fd, p, n, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got < 0)
				s->why = strerror(errno);
			else
				s->why = wr ? "short write" : "short read";
			return -1;
		}
		p += got;
		n -= (size_t)got;
		off += (uint64_t)got;
	}
	return 0;
}

int
tf_spill_put(struct tf_spill *s, const struct tf_item *it, uint64_t *off)
{
	struct strbuf sb;
	size_t pi, ti;
	int rc;

	for (pi = 0; pi < tf_nproviders && tf_providers[pi] != it->p; pi++)
		;
	ti = (size_t)(it->t - it->p->types);
	sb_init(&sb);
	put_u(&sb, 0, 4); /* the length, set below */
	put_u(&sb, pi, 1);
	put_u(&sb, ti, 2);
	put_u(&sb,
	    (uint64_t)((it->created != 0) | (it->unknown != 0) << 1 |
		(it->ref_unknown != 0) << 2),
	    1);
	put_u(&sb, it->mark.line, 4);
	put_u(&sb, it->mark.col, 4);
	put_str(&sb, it->address);
	put_str(&sb, it->module);
	put_str(&sb, it->name);
	put_str(&sb, it->inst);
	put_str(&sb, it->key);
	put_str(&sb, it->dir);
	put_str(&sb, it->rerr);
	put_str(&sb, it->gkey);
	put_node(&sb, it->keys);
	put_node(&sb, it->attrs);
	put_node(&sb, it->unread);
	put_node(&sb, it->info);
	if (sb.oom || sb.len - 4 > MAX_RECORD) {
		s->why = sb.oom ? "out of memory" : "a record is too large";
		sb_free(&sb);
		return -1;
	}
	for (pi = 0; pi < 4; pi++)
		sb.s[pi] = (char)((sb.len - 4) >> (8 * pi));
	*off = s->size;
	rc = io_all(s, 1, sb.s, sb.len, s->size);
	if (rc == 0)
		s->size += sb.len;
	sb_free(&sb);
	return rc;
}

/* ------------------------------------------------------------ reading */

struct rd {
	const unsigned char *p, *end;
	struct arena *a;
	const char *file;
	int bad;
};

static uint64_t
get_u(struct rd *r, size_t n)
{
	uint64_t v = 0;
	size_t i;

	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return 0;
	}
	for (i = 0; i < n; i++)
		v |= (uint64_t)r->p[i] << (8 * i);
	r->p += n;
	return v;
}

static const char *
get_str(struct rd *r)
{
	uint64_t n = get_u(r, 4);
	const char *s;

	if (r->bad || n == 0)
		return NULL;
	if (n - 1 > (uint64_t)(r->end - r->p) ||
	    (s = arena_strndup(r->a, (const char *)r->p, (size_t)n - 1)) ==
		NULL) {
		r->bad = 1;
		return NULL;
	}
	r->p += n - 1;
	return s;
}

static struct doc_node *
get_node(struct rd *r, unsigned depth)
{
	struct doc_node *n, *k, *v;
	struct mark m;
	uint64_t t, len, cnt, i, f;

	if ((t = get_u(r, 1)) == NO_TREE || r->bad)
		return NULL;
	m.file = r->file;
	m.line = (uint32_t)get_u(r, 4);
	m.col = (uint32_t)get_u(r, 4);
	len = get_u(r, 8);
	if (r->bad || t > DOC_MAP || depth > 1024 ||
	    (n = doc_new(r->a, (enum doc_type)t, &m)) == NULL) {
		r->bad = 1;
		return NULL;
	}
	if (len > 0) {
		if (len - 1 > (uint64_t)(r->end - r->p) ||
		    (n->str = arena_strndup(
			 r->a, (const char *)r->p, (size_t)len - 1)) == NULL) {
			r->bad = 1;
			return NULL;
		}
		n->len = (size_t)len - 1;
		r->p += len - 1;
	}
	switch (n->type) {
	case DOC_BOOL:
		n->u.b = (int)get_u(r, 1);
		break;
	case DOC_INT:
		n->u.i = (int64_t)get_u(r, 8);
		break;
	case DOC_FLOAT:
		f = get_u(r, 8);
		memcpy(&n->u.f, &f, sizeof(f));
		break;
	case DOC_SEQ:
		cnt = get_u(r, 4);
		for (i = 0; i < cnt && !r->bad; i++)
			if ((v = get_node(r, depth + 1)) == NULL ||
			    doc_seq_push(r->a, n, v) == -1)
				r->bad = 1;
		break;
	case DOC_MAP:
		cnt = get_u(r, 4);
		for (i = 0; i < cnt && !r->bad; i++)
			if ((k = get_node(r, depth + 1)) == NULL ||
			    (v = get_node(r, depth + 1)) == NULL ||
			    doc_map_put(r->a, n, k, v) == -1)
				r->bad = 1;
		break;
	default:
		break;
	}
	return r->bad ? NULL : n;
}

/* The record's head: numbers, flags, mark and strings. */
static void
get_head(struct rd *r, struct tf_item *it)
{
	uint64_t pi = get_u(r, 1), ti = get_u(r, 2), fl = get_u(r, 1);

	if (r->bad || pi >= tf_nproviders || ti >= tf_providers[pi]->ntypes) {
		r->bad = 1;
		return;
	}
	it->p = tf_providers[pi];
	it->t = &it->p->types[ti];
	it->created = (int)(fl & 1);
	it->unknown = (int)(fl >> 1 & 1);
	it->ref_unknown = (int)(fl >> 2 & 1);
	it->mark.file = r->file;
	it->mark.line = (uint32_t)get_u(r, 4);
	it->mark.col = (uint32_t)get_u(r, 4);
	it->address = get_str(r);
	it->module = get_str(r);
	it->name = get_str(r);
	it->inst = get_str(r);
	it->key = get_str(r);
	it->dir = get_str(r);
	it->rerr = get_str(r);
	it->gkey = get_str(r);
	if (it->address == NULL || it->name == NULL || it->inst == NULL)
		r->bad = 1;
	it->keys = get_node(r, 0);
}

int
tf_spill_get(struct tf_spill *s, uint64_t off, int head_only, struct arena *a,
    const char *file, struct tf_item *it)
{
	unsigned char lenb[4], *buf;
	uint64_t len = 0;
	struct rd r;
	size_t i;

	memset(it, 0, sizeof(*it));
	if (io_all(s, 0, lenb, sizeof(lenb), off) != 0)
		return -1;
	for (i = 0; i < 4; i++)
		len |= (uint64_t)lenb[i] << (8 * i);
	if (len == 0 || off + 4 + len > s->size) {
		s->why = "a record is damaged";
		return -1;
	}
	if ((buf = lib_malloc((size_t)len)) == NULL) {
		s->why = "out of memory";
		return -1;
	}
	if (io_all(s, 0, buf, (size_t)len, off + 4) != 0) {
		lib_free(buf);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.p = buf;
	r.end = buf + len;
	r.a = a;
	r.file = file;
	get_head(&r, it);
	if (!head_only && !r.bad) {
		it->attrs = get_node(&r, 0);
		it->unread = get_node(&r, 0);
		it->info = get_node(&r, 0);
		if (it->attrs == NULL || it->info == NULL)
			r.bad = 1;
	}
	lib_free(buf);
	if (r.bad) {
		s->why = "a record is damaged, or memory ran out";
		return -1;
	}
	return 0;
}
