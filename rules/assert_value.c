/*
 * assert_value.c: the values the assertion operators compare: numbers
 * (exact integers and doubles, never silently rounded), times and
 * networks (lib/cidr.h).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/assert_impl.h"

/* ------------------------------------------------------------- values */

/* Whether number text has only digits after its sign (no . e E). */
int
av_integer_text(const char *s, size_t len)
{
	size_t i = 0;

	if (s == NULL || len == 0)
		return 0;
	if (s[0] == '-' || s[0] == '+')
		i++;
	if (i == len)
		return 0;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * A number: DOC_INT, DOC_FLOAT, or a string that is entirely a decimal
 * number ("90", "-1.5", "1e3"; no spaces, hex, inf or nan).  0, NUM_NOT,
 * or NUM_RANGE for a number that cannot be represented: an overflowing
 * float (1e400, .inf) or an integer beyond 64 bits, which the loaders
 * keep as a float that would compare loosely.
 */
int
av_num(const struct doc_node *n, struct num *out)
{
	const char *s;
	char buf[64], *end;
	size_t i = 0, len;
	int digits = 0, is_int = 1;

	switch (n->type) {
	case DOC_INT:
		out->is_int = 1;
		out->i = n->u.i;
		out->f = (double)n->u.i;
		return 0;
	case DOC_FLOAT:
		if (isnan(n->u.f))
			return NUM_NOT;
		if (!isfinite(n->u.f) || av_integer_text(n->str, n->len))
			return NUM_RANGE;
		out->is_int = 0;
		out->f = n->u.f;
		return 0;
	case DOC_STRING:
		break;
	default:
		return -1;
	}
	s = n->str;
	len = n->len;
	if (len == 0 || len >= sizeof(buf) || strlen(s) != len)
		return -1;
	if (s[i] == '+' || s[i] == '-')
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < len && s[i] == '.') {
		is_int = 0;
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	}
	if (digits == 0)
		return -1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		is_int = 0;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i == len || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i != len)
		return -1;
	memcpy(buf, s[0] == '+' ? s + 1 : s, len - (s[0] == '+'));
	buf[len - (s[0] == '+')] = '\0';
	if (is_int && parse_int64(buf, &out->i) == 0) {
		out->is_int = 1;
		out->f = (double)out->i;
		return 0;
	}
	if (is_int)
		return NUM_RANGE;
	errno = 0;
	out->f = strtod(buf, &end);
	if (*end != '\0')
		return NUM_NOT;
	if (!isfinite(out->f))
		return NUM_RANGE;
	out->is_int = 0;
	return 0;
}

int
av_num_cmp(const struct num *a, const struct num *b)
{
	if (a->is_int && b->is_int)
		return a->i < b->i ? -1 : a->i > b->i;
	return a->f < b->f ? -1 : a->f > b->f;
}

int
av_cmp_holds(enum cmp c, int r)
{
	switch (c) {
	case CMP_EQ:
		return r == 0;
	case CMP_NE:
		return r != 0;
	case CMP_LT:
		return r < 0;
	case CMP_LE:
		return r <= 0;
	case CMP_GT:
		return r > 0;
	case CMP_GE:
		return r >= 0;
	}
	return 0;
}

/*
 * Latest accepted time, 9999-12-31T23:59:59Z.  Epoch milliseconds of
 * today's dates lie far beyond it, so they are refused rather than read
 * as seconds in a distant future (which would make every age negative
 * and pass an "age < N" check).
 */
#define TIME_MAX 253402300799LL

/*
 * A timestamp: a JSON/YAML number of epoch seconds, or a string that the
 * strict time_parse() reads (RFC 3339 date-time or YYYY-MM-DD).  A string
 * of digits is not read as epoch seconds: "20261231" would be 1970.
 */
int
av_time(const struct doc_node *n, int64_t *t)
{
	if (n->type == DOC_INT) {
		*t = n->u.i;
	} else if (n->type == DOC_FLOAT) {
		if (!isfinite(n->u.f) || fabs(n->u.f) > (double)TIME_MAX)
			return -1;
		*t = (int64_t)floor(n->u.f);
	} else if (n->type != DOC_STRING ||
	    time_parse(n->str, n->len, TIME_ANY, t, NULL) == -1) {
		return -1;
	}
	return *t > TIME_MAX || *t < -TIME_MAX ? -1 : 0;
}

/* ------------------------------------------------------------- networks */

/*
 * A network for the CIDR operators (lib/cidr.h): "addr" or "addr/n",
 * IPv4 or IPv6, host bits ignored; an IPv4-mapped IPv6 network
 * (::ffff:10.0.0.0/104) is the IPv4 network, as docs/rules.md says.
 * Families never mix: 0.0.0.0/0 does not contain ::/0.  0 or -1.
 */
int
av_net(const char *s, size_t len, struct cidr *out)
{
	if (cidr_parse(s, len, 0, out) == -1)
		return -1;
	cidr_unmap(out);
	return 0;
}

const char *
av_article(enum doc_type t)
{
	static const char *const names[] = { "null", "a bool", "an int",
		"a float", "a string", "a list", "a map" };

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

/*
 * Whether v fits what an operand must be.  NULL when it does, else a
 * description of the problem (static text).  Regexes are compiled
 * elsewhere.
 */
const char *
av_operand_problem(enum want w, const struct doc_node *v)
{
	struct cidr net;

	switch (w) {
	case W_TRUE:
		return v->type == DOC_BOOL && v->u.b ? NULL : "expects true";
	case W_ANY:
		return NULL;
	case W_SEQ:
		return v->type == DOC_SEQ ? NULL : "expects a list";
	case W_REGEX:
		if (v->type != DOC_STRING)
			return "expects a string (a regex)";
		return strlen(v->str) == v->len ? NULL
						: "regex contains a NUL byte";
	case W_NUMBER:
		if (v->type == DOC_FLOAT && !isfinite(v->u.f))
			return "expects a finite number";
		if (v->type == DOC_FLOAT && av_integer_text(v->str, v->len))
			return "expects an integer that fits in 64 bits";
		return v->type == DOC_INT || v->type == DOC_FLOAT
		    ? NULL
		    : "expects a number";
	case W_COUNT:
		return v->type == DOC_INT && v->u.i >= 0 &&
			!(v->u.i == 0 && v->str != NULL && v->len > 0 &&
			    v->str[0] == '-')
		    ? NULL
		    : "expects a non-negative integer";
	case W_BOOL:
		return v->type == DOC_BOOL ? NULL : "expects true or false";
	case W_CIDR:
		if (v->type != DOC_STRING || av_net(v->str, v->len, &net) == -1)
			return "expects an IP network such as '10.0.0.0/8'";
		return NULL;
	}
	return "?";
}
