/*
 * strbuf.c: growable strings, JSON string escaping, number and time
 * parsing shared by every module.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
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

int
sb_json_str(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, start = 0, k;
	char esc[6];

	if (sb_addc(sb, '"') == -1)
		return -1;
	for (i = 0; i < len; i++) {
		if ((k = json_escape(p[i], esc)) == 0)
			continue;
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

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int
parse_time(const char *s, int64_t *epoch)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, oh, om, sign;
	int64_t t;
	char *end;
	double f;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };

	if (s == NULL || *s == '\0')
		return -1;
	/* Epoch seconds, possibly with a fraction (AWS Config's capture). */
	if (strchr(s, '-') == NULL ||
	    (s[0] != '\0' && strspn(s, "0123456789.") == strlen(s))) {
		errno = 0;
		f = strtod(s, &end);
		if (errno != 0 || *end != '\0' || f < 0 || f > 1e13)
			return -1;
		*epoch = (int64_t)f;
		return 0;
	}
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return -1;
			if (*p == '.' || *p == ',') {
				p++;
				if (!isdigit((unsigned char)*p))
					return -1;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
	}
	t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
	    mi * 60 + sec;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (digits(&p, 2, &om) || oh > 23 || om > 59)
			return -1;
		t -= sign * (oh * 3600 + om * 60);
	}
	if (*p != '\0')
		return -1;
	*epoch = t;
	return 0;
}

void
format_time(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL) {
		snprintf(out, 32, "1970-01-01T00:00:00Z");
		return;
	}
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
