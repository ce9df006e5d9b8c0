/*
 * time.c: the one strict parser for every date and time rampart reads,
 * its formatter, and overflow-safe day arithmetic.
 *
 * Accepted (docs/formats.md, "Dates and times"):
 *   - RFC 3339 date-times: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM).
 *     Seconds and the UTC offset are required; the fraction has one or
 *     more digits and is truncated; `t` and `z` may be lowercase (RFC 3339
 *     section 5.6 allows it).  A leap second (:60) is accepted only where
 *     one can occur, at 23:59:60 UTC on the last day of a month, and is
 *     read as 23:59:59 (POSIX time has no leap seconds; reading it as the
 *     next second would move the date).
 *   - Dates: YYYY-MM-DD, midnight UTC.
 * Everything else is refused with a reason: epoch seconds (`20261231`
 * is not 1970), a space for `T`, a missing offset, `+0000`, hour 24,
 * 2025-02-29, surrounding spaces, trailing bytes, embedded NUL bytes.
 * Years are 0000..9999 (four digits), so every result, offsets applied,
 * lies between TIME_PARSE_MIN and TIME_PARSE_MAX and fits int64_t and a
 * 64-bit time_t with room to spare.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/lib.h"

#define DAY 86400

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

/* The inverse: y-m-d of a day number (any int64_t day / 86400 fits). */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };

	return m == 2 && leap_year(y) ? 29 : mdays[m - 1];
}

/* Floor division and its non-negative remainder, for any int64_t. */
static int64_t
floor_div(int64_t a, int64_t b, int64_t *rem)
{
	int64_t q = a / b, r = a % b;

	if (r < 0) {
		r += b;
		q--;
	}
	*rem = r;
	return q;
}

/* The parse state: where we are, and the first problem found. */
struct tp {
	const char *s;
	size_t len, i;
	struct time_error *err;
};

static int
tp_fail(struct tp *p, size_t at, const char *why)
{
	if (p->err != NULL) {
		p->err->why = why;
		p->err->at = at;
	}
	return -1;
}

/* Exactly n ASCII digits at the current position. */
static int
tp_digits(struct tp *p, size_t n, int *out, const char *what)
{
	size_t k;
	int v = 0;

	for (k = 0; k < n; k++) {
		if (p->i + k >= p->len)
			return tp_fail(p, p->i + k, what);
		if (p->s[p->i + k] < '0' || p->s[p->i + k] > '9')
			return tp_fail(p, p->i + k, what);
		v = v * 10 + (p->s[p->i + k] - '0');
	}
	p->i += n;
	*out = v;
	return 0;
}

static int
tp_char(struct tp *p, char c, const char *why)
{
	if (p->i >= p->len || p->s[p->i] != c)
		return tp_fail(p, p->i, why);
	p->i++;
	return 0;
}

int
time_parse(const char *s, size_t len, int forms, int64_t *epoch,
    struct time_error *err)
{
	struct tp p = { s, len, 0, err };
	int y, mo, d, h, mi, sec, oh, om, sign;
	int64_t t, day, rem;
	unsigned m2, d2;
	int64_t y2;
	size_t at;

	if (s == NULL || len == 0)
		return tp_fail(&p, 0, "empty value");
	if (memchr(s, '\0', len) != NULL)
		return tp_fail(&p,
		    (size_t)((const char *)memchr(s, '\0', len) - s),
		    "NUL byte in the value");
	if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')
		return tp_fail(&p, 0, "leading white space");
	if (len > 64)
		return tp_fail(&p, 64, "too long for a date or date-time");
	if (tp_digits(&p, 4, &y, "expected a four-digit year (YYYY-MM-DD)"))
		return -1;
	if (tp_char(&p, '-',
		p.i < len && s[p.i] >= '0' && s[p.i] <= '9'
		    ? "expected YYYY-MM-DD, not a number (epoch seconds and "
		      "YYYYMMDD are not dates here)"
		    : "expected '-' after the year"))
		return -1;
	if (tp_digits(&p, 2, &mo, "expected a two-digit month"))
		return -1;
	if (mo < 1 || mo > 12)
		return tp_fail(&p, p.i - 2, "month out of range 01..12");
	if (tp_char(&p, '-', "expected '-' after the month") ||
	    tp_digits(&p, 2, &d, "expected a two-digit day"))
		return -1;
	if (d < 1 || d > month_days(y, mo))
		return tp_fail(&p, p.i - 2,
		    mo == 2 && d == 29 ? "day 29 of February in a year "
					 "that is not a leap year"
				       : "day out of range for the month");
	day = days_from_civil(y, (unsigned)mo, (unsigned)d);
	if (p.i == len) {
		if (!(forms & TIME_DATE))
			return tp_fail(&p, p.i,
			    "a date without a time (expected an RFC 3339 "
			    "date-time such as 2026-12-31T00:00:00Z)");
		*epoch = day * DAY;
		return TIME_DATE;
	}
	if (s[p.i] != 'T' && s[p.i] != 't')
		return tp_fail(&p, p.i,
		    s[p.i] == ' ' ? "a space instead of 'T' between date and "
				    "time"
				  : "trailing characters after the date");
	p.i++;
	if (!(forms & TIME_DATETIME))
		return tp_fail(&p, p.i - 1,
		    "a date-time where a date (YYYY-MM-DD) is expected");
	if (tp_digits(&p, 2, &h, "expected a two-digit hour"))
		return -1;
	if (h > 23)
		return tp_fail(&p, p.i - 2, "hour out of range 00..23");
	if (tp_char(&p, ':', "expected ':' after the hour") ||
	    tp_digits(&p, 2, &mi, "expected two-digit minutes"))
		return -1;
	if (mi > 59)
		return tp_fail(&p, p.i - 2, "minutes out of range 00..59");
	if (tp_char(&p, ':', "expected ':' and seconds after the minutes") ||
	    tp_digits(&p, 2, &sec, "expected two-digit seconds"))
		return -1;
	if (sec > 60)
		return tp_fail(&p, p.i - 2, "seconds out of range 00..60");
	at = p.i - 2;
	if (p.i < len && s[p.i] == '.') {
		p.i++;
		if (p.i >= len || s[p.i] < '0' || s[p.i] > '9')
			return tp_fail(
			    &p, p.i, "expected digits after the decimal point");
		while (p.i < len && s[p.i] >= '0' && s[p.i] <= '9')
			p.i++;
	}
	t = day * DAY + h * 3600 + mi * 60 + (sec == 60 ? 59 : sec);
	if (p.i >= len)
		return tp_fail(&p, p.i,
		    "no UTC offset (add 'Z' or an offset such as '+00:00')");
	if (s[p.i] == 'Z' || s[p.i] == 'z') {
		p.i++;
	} else if (s[p.i] == '+' || s[p.i] == '-') {
		sign = s[p.i++] == '-' ? -1 : 1;
		if (tp_digits(&p, 2, &oh, "expected a two-digit offset hour"))
			return -1;
		if (oh > 23)
			return tp_fail(
			    &p, p.i - 2, "offset hour out of range 00..23");
		if (tp_char(
			&p, ':', "expected ':' in the UTC offset (+HH:MM)") ||
		    tp_digits(&p, 2, &om, "expected two-digit offset minutes"))
			return -1;
		if (om > 59)
			return tp_fail(
			    &p, p.i - 2, "offset minutes out of range 00..59");
		t -= sign * (oh * 3600 + om * 60);
	} else {
		return tp_fail(
		    &p, p.i, "expected 'Z' or a UTC offset such as '+00:00'");
	}
	if (p.i != len)
		return tp_fail(&p, p.i, "trailing characters after the time");
	if (sec == 60) {
		/* 23:59:59 UTC on the last day of a month, in UTC. */
		day = floor_div(t, DAY, &rem);
		civil_from_days(day + 1, &y2, &m2, &d2);
		if (rem != DAY - 1 || d2 != 1)
			return tp_fail(&p, at,
			    "a leap second (:60) is only possible at "
			    "23:59:60 UTC on the last day of a month");
	}
	*epoch = t;
	return TIME_DATETIME;
}

int
parse_time(const char *s, int64_t *epoch)
{
	if (s == NULL)
		return -1;
	return time_parse(s, strlen(s), TIME_ANY, epoch, NULL) < 0 ? -1 : 0;
}

int64_t
time_days_between(int64_t from, int64_t to)
{
	int64_t rf, rt, qf, qt;

	qf = floor_div(from, DAY, &rf);
	qt = floor_div(to, DAY, &rt);
	/* |qf|, |qt| <= INT64_MAX / 86400: the difference cannot overflow. */
	return qt - qf - (rt < rf);
}

int
time_add_days(int64_t t, int64_t days, int64_t *out)
{
	int64_t secs;

	if (days > INT64_MAX / DAY || days < INT64_MIN / DAY)
		return -1;
	secs = days * DAY;
	if ((secs > 0 && t > INT64_MAX - secs) ||
	    (secs < 0 && t < INT64_MIN - secs))
		return -1;
	*out = t + secs;
	return 0;
}

void
format_time(int64_t t, char out[32])
{
	int64_t day, rem, y;
	unsigned m, d;

	day = floor_div(t, DAY, &rem);
	civil_from_days(day, &y, &m, &d);
	snprintf(out, 32, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m,
	    d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

int64_t
mono_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
mono_ms(void)
{
	return mono_ns() / 1000000;
}
