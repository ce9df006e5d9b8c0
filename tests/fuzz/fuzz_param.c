/*
 * fuzz_param.c: organisation-defined parameter text (rules/param.c) on
 * arbitrary bytes.  The input, cut at its first NUL, is parsed; the
 * invariants: a refusal always says why; a value that is read holds its
 * number in the text (in digits, or the text holds no digit at all), is
 * never more than the text could say, and converts to days either exactly
 * or with a reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lib.h"
#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct param_value pv;
	char *text, why[256], digits[32];
	int64_t out;

	if (size > 4096)
		return 0;
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	why[0] = '\0';
	if (param_parse(text, &pv, why, sizeof(why)) != 0) {
		if (why[0] == '\0')
			abort();
		free(text);
		return 0;
	}
	if (strpbrk(text, "0123456789") != NULL) {
		snprintf(digits, sizeof(digits), "%lld",
		    (long long)(pv.v < 0 ? -pv.v : pv.v));
		if (pv.v == INT64_MIN || strstr(text, digits) == NULL) {
			/* "1,095": the digits are grouped in the text. */
			if (strchr(text, ',') == NULL)
				abort();
		}
	}
	why[0] = '\0';
	if (param_convert(&pv, "days", &out, why, sizeof(why)) != 0 &&
	    why[0] == '\0')
		abort();
	free(text);
	return 0;
}
