/*
 * strbuf.c: growable strings, JSON string escaping and number parsing
 * shared by every module (dates and times: time.c).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/lib.h"

void
sb_init(struct strbuf *sb)
{
	memset(sb, 0, sizeof(*sb));
}

void
sb_free(struct strbuf *sb)
{
	lib_free(sb->s);
	sb_init(sb);
}

static int
sb_grow(struct strbuf *sb, size_t more)
{
	size_t ncap;
	char *p;

	if (sb->oom)
		return -1;
	if (sb->len + more + 1 <= sb->cap)
		return 0;
	ncap = sb->cap ? sb->cap : 64;
	while (ncap < sb->len + more + 1) {
		if (ncap > SIZE_MAX / 2) {
			sb->oom = 1;
			return -1;
		}
		ncap *= 2;
	}
	if ((p = lib_realloc(sb->s, ncap)) == NULL) {
		sb->oom = 1;
		return -1;
	}
	sb->s = p;
	sb->cap = ncap;
	return 0;
}

int
sb_add(struct strbuf *sb, const char *s, size_t n)
{
	if (sb_grow(sb, n) == -1)
		return -1;
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
	return 0;
}

int
sb_adds(struct strbuf *sb, const char *s)
{
	return sb_add(sb, s, strlen(s));
}

int
sb_addc(struct strbuf *sb, char c)
{
	return sb_add(sb, &c, 1);
}

int
sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || sb_grow(sb, (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
	return 0;
}

/* Whether a byte of x is below 0x20, or '"', '\\' or DEL. */
static int
word_special(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull;
	const uint64_t high = 0x8080808080808080ull;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
	uint64_t del = x ^ (ones * 0x7f);

	/* (v - ones) & ~v & high: some byte of v is 0 (or below n for
	 * v - n * ones), exact as a test of the whole word. */
	return ((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) |
		    ((b - ones) & ~b) | ((del - ones) & ~del)) &
		   high) != 0;
}

size_t
json_plain_len(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[6];
	uint64_t x;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&x, p + i, 8);
		if (word_special(x))
			break;
	}
	while (i < len && json_escape(p[i], esc) == 0)
		i++;
	return i;
}

int
sb_json_str(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, start = 0, k;
	char esc[6];

	if (sb_addc(sb, '"') == -1)
		return -1;
	for (i = start; (i += json_plain_len(s + i, len - i)) < len; i++) {
		k = json_escape(p[i], esc);
		sb_add(sb, s + start, i - start);
		sb_add(sb, esc, k);
		start = i + 1;
	}
	sb_add(sb, s + start, len - start);
	sb_addc(sb, '"');
	return sb->oom ? -1 : 0;
}

char *
sb_detach(struct strbuf *sb)
{
	char *s = sb->s;

	if (s == NULL && !sb->oom)
		s = lib_strdup("");
	if (sb->oom) {
		lib_free(s);
		s = NULL;
	}
	sb_init(sb);
	return s;
}

int
parse_int64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}
