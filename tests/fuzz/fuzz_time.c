/*
 * fuzz_time.c: the strict date and time parser (lib/time.c) on arbitrary
 * bytes.  Invariants: a refusal names a reason and a position inside the
 * input; an accepted value lies in TIME_PARSE_MIN..TIME_PARSE_MAX, holds
 * no NUL byte, and its canonical form (format_time) parses back to the
 * same instant; the day arithmetic on it never overflows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct time_error err = { NULL, 0 };
	int64_t t = 0, back = 0, sum;
	char canon[32];
	int rc;

	rc = time_parse(s, size, TIME_ANY, &t, &err);
	if (rc == -1) {
		if (err.why == NULL || err.at > size)
			abort();
		return 0;
	}
	if ((rc != TIME_DATE && rc != TIME_DATETIME) || t < TIME_PARSE_MIN ||
	    t > TIME_PARSE_MAX || memchr(s, '\0', size) != NULL)
		abort();
	format_time(t, canon);
	if (t >= -62167219200LL && t <= 253402300799LL &&
	    (time_parse(canon, strlen(canon), TIME_DATETIME, &back, NULL) !=
		    TIME_DATETIME ||
		back != t))
		abort();
	/* Only one form was asked for: the other one is refused. */
	if (time_parse(s, size, rc == TIME_DATE ? TIME_DATETIME : TIME_DATE,
		&back, NULL) != -1)
		abort();
	(void)time_days_between(INT64_MIN, t);
	(void)time_days_between(t, INT64_MAX);
	if (time_add_days(t, 180, &sum) == -1 || sum <= t)
		abort();
	return 0;
}
