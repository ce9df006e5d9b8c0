/*
 * param.c: reading organisation-defined parameter text as a quantity.
 *
 * FedRAMP writes its values for people: "ninety (90) days", "one (1)
 * year", "thirty-five (35) days (See additional requirements and
 * guidance.)", "1,095 days", "-30 days", "30 days before expiry".  A check
 * threshold bound to such a value must be the number the text means, in
 * the unit the check declares, or nothing at all: text that holds no
 * quantity ("at least annually"), several different ones ("ten (10) days
 * for privileged users, thirty (30) days for ..."), identifiers that look
 * like numbers ("M-21-31", "SP 800-53"), ordinals, decimals, percentages
 * or a number whose words and digits disagree is refused with the reason,
 * never read as its first number.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"

#define PARAM_MAX_QTY 16
#define PARAM_WORD_MAX 32

/* Time units, in seconds (months and years are special-cased). */
static const struct {
	const char *name; /* canonical, plural */
	const char *singular;
	int64_t seconds;
} time_units[] = {
	{ "seconds", "second", 1 },
	{ "minutes", "minute", 60 },
	{ "hours", "hour", 3600 },
	{ "days", "day", 86400 },
	{ "weeks", "week", 7 * 86400 },
	{ "months", "month", 0 },
	{ "years", "year", 365 * 86400 },
};
#define NTIME_UNITS (sizeof(time_units) / sizeof(time_units[0]))

/* Words that state a frequency, not an exact quantity. */
static const char *const frequency_words[] = { "hourly", "daily", "weekly",
	"biweekly", "monthly", "quarterly", "annually", "yearly",
	"semiannually", "biannually", NULL };

static const char *const small_words[] = { "zero", "one", "two", "three",
	"four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
	"twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
	"eighteen", "nineteen", NULL };

static const char *const tens_words[] = { "twenty", "thirty", "forty", "fifty",
	"sixty", "seventy", "eighty", "ninety", NULL };

enum tok_kind { T_NUM, T_WORD, T_LPAREN, T_RPAREN, T_PUNCT, T_END };

struct tok {
	enum tok_kind kind;
	char word[PARAM_WORD_MAX]; /* lowercased (T_WORD) */
	int64_t num; /* T_NUM */
	int neg; /* T_NUM written with a leading '-' */
	int joined; /* T_WORD joined to the previous word by '-' */
	const char *at; /* start in the text, for messages */
	size_t len;
};

struct lexer {
	const char *s, *p;
	char *why;
	size_t whylen;
};

static int refuse(struct lexer *lx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Write the reason for refusing the text; returns -1. */
static int
refuse(struct lexer *lx, const char *fmt, ...)
{
	va_list ap;

	if (lx->why != NULL && lx->whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(lx->why, lx->whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
word_index(const char *const *v, const char *w)
{
	int i;

	for (i = 0; v[i] != NULL; i++)
		if (strcmp(v[i], w) == 0)
			return i;
	return -1;
}

/*
 * One token.  Digits followed by a letter ("5th", "24h"), a decimal
 * point or a dash ("800-53"), or preceded by a letter, digit or a dash
 * glued to a word ("M-21-31", "A-130") are refused: they are not
 * quantities rampart can read exactly.
 */
/*
 * "- 30 days", "\u2212 30 days": a dash or a non-ASCII sign apart from
 * the number at start is refused, not read as 30.  0, or -1 (refused).
 */
static int
sign_apart(struct lexer *lx, const char *start)
{
	const char *q = start;

	if (start == lx->s)
		return 0;
	while (q > lx->s && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	if (q < start && q > lx->s &&
	    (q[-1] == '-' || (unsigned char)q[-1] >= 0x80))
		return refuse(lx, "the sign before '%.*s' is apart from it",
		    (int)strspn(start, "0123456789,"), start);
	return 0;
}

/*
 * The digits at start (with thousands separators: "1,095") into *v.
 * Just past them, or NULL (refused: too large).
 */
static const char *
lex_digits(struct lexer *lx, const char *start, int64_t *v)
{
	const char *p = start;

	*v = 0;
	for (;;) {
		if (isdigit((unsigned char)*p)) {
			if (*v > (INT64_MAX - 9) / 10) {
				refuse(lx, "the number '%.*s' is too large",
				    (int)((size_t)(p - start) + 1), start);
				return NULL;
			}
			*v = *v * 10 + (*p - '0');
			p++;
		} else if (*p == ',' && isdigit((unsigned char)p[1]) &&
		    isdigit((unsigned char)p[2]) &&
		    isdigit((unsigned char)p[3]) &&
		    !isdigit((unsigned char)p[4])) {
			p++;
		} else {
			return p;
		}
	}
}

static int
lex(struct lexer *lx, struct tok *t)
{
	const char *p = lx->p, *start;
	int64_t v;
	size_t n;
	int neg = 0;

	memset(t, 0, sizeof(*t));
	while (*p != '\0' && isspace((unsigned char)*p))
		p++;
	/* "thirty-five", "five-minute", "30-day": the dash joins a word. */
	if (*p == '-' && p > lx->s && isalnum((unsigned char)p[-1]) &&
	    isalpha((unsigned char)p[1]))
		p++;
	t->at = p;
	if (*p == '\0') {
		t->kind = T_END;
		lx->p = p;
		return 0;
	}
	if (*p == '-' && isdigit((unsigned char)p[1]) &&
	    (p == lx->s || isspace((unsigned char)p[-1]) || p[-1] == '(')) {
		neg = 1;
		p++;
	}
	if (isdigit((unsigned char)*p)) {
		start = p;
		if (start > lx->s && !neg &&
		    (isalnum((unsigned char)start[-1]) || start[-1] == '-' ||
			start[-1] == '.' || start[-1] == '/' ||
			(unsigned char)start[-1] >= 0x80))
			goto ident;
		if ((!neg && sign_apart(lx, start) == -1) ||
		    (p = lex_digits(lx, start, &v)) == NULL)
			return -1;
		if (isalpha((unsigned char)*p) ||
		    (*p == '-' && !isalpha((unsigned char)p[1])) || *p == '/' ||
		    (*p == '.' && isdigit((unsigned char)p[1])) || *p == '%' ||
		    (*p == ',' && isdigit((unsigned char)p[1]))) {
			while (*p != '\0' && !isspace((unsigned char)*p) &&
			    *p != ')' && *p != '(' && *p != ';')
				p++;
			goto ident_at;
		}
		t->kind = T_NUM;
		t->num = neg ? -v : v;
		t->neg = neg;
		t->len = (size_t)(p - t->at);
		lx->p = p;
		return 0;
	}
	if (isalpha((unsigned char)*p)) {
		start = p;
		while (isalpha((unsigned char)*p))
			p++;
		/* A word glued to digits ("M-21-31", "AU-2a", "SP-800"). */
		if (*p == '-' && isdigit((unsigned char)p[1]))
			goto ident_word;
		n = (size_t)(p - start);
		if (n >= PARAM_WORD_MAX)
			n = PARAM_WORD_MAX - 1;
		for (size_t i = 0; i < n; i++)
			t->word[i] = (char)tolower((unsigned char)start[i]);
		t->word[n] = '\0';
		t->kind = T_WORD;
		t->joined = start > lx->s && start[-1] == '-' &&
		    start - 1 > lx->s && isalpha((unsigned char)start[-2]);
		t->len = (size_t)(p - start);
		lx->p = p;
		return 0;
	}
	t->kind = *p == '(' ? T_LPAREN : *p == ')' ? T_RPAREN : T_PUNCT;
	t->len = 1;
	lx->p = p + 1;
	return 0;
ident_word:
	while (*p != '\0' && !isspace((unsigned char)*p) && *p != ')' &&
	    *p != '(' && *p != ';' && *p != ',')
		p++;
	goto ident_at;
ident:
	while (*p != '\0' && !isspace((unsigned char)*p) && *p != ')' &&
	    *p != '(' && *p != ';' && *p != ',')
		p++;
	/* Back to the start of the identifier for the message. */
	start = t->at;
	while (start > lx->s && !isspace((unsigned char)start[-1]) &&
	    start[-1] != '(')
		start--;
	t->at = start;
ident_at:
	return refuse(
	    lx, "'%.*s' is not a quantity", (int)((size_t)(p - t->at)), t->at);
}

/* Canonical unit name of word w: time units plural, others without a
 * final 's'.  buf receives it. */
static void
unit_canon(const char *w, char *buf, size_t len)
{
	size_t i, n;

	for (i = 0; i < NTIME_UNITS; i++)
		if (strcmp(w, time_units[i].name) == 0 ||
		    strcmp(w, time_units[i].singular) == 0) {
			snprintf(buf, len, "%s", time_units[i].name);
			return;
		}
	n = strlen(w);
	if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's')
		n--;
	snprintf(buf, len, "%.*s", (int)n, w);
}

/* Words that can follow a number without being its unit. */
static int
is_number_word(const char *w)
{
	return word_index(small_words, w) >= 0 ||
	    word_index(tens_words, w) >= 0 || strcmp(w, "hundred") == 0 ||
	    strcmp(w, "thousand") == 0;
}

struct qty {
	int64_t v;
	char unit[PARAM_WORD_MAX];
	const char *at;
	size_t len;
};

struct parser {
	struct lexer lx;
	struct tok t[2]; /* current and next */
};

static int
advance(struct parser *ps)
{
	ps->t[0] = ps->t[1];
	if (ps->t[0].kind == T_END)
		return 0;
	return lex(&ps->lx, &ps->t[1]);
}

/*
 * A run of number words ("one hundred and eighty", "thirty-five") at
 * the current token.  Returns 1 with *v, 0 when the current token is no
 * number word, -1 on a sequence that is not a number ("five five").
 */
static int
number_words(struct parser *ps, int64_t *v)
{
	int64_t total = 0, cur = 0;
	int last = 0, k, any = 0; /* 1 small, 2 tens, 3 hundred */
	const char *w;

	for (;;) {
		if (ps->t[0].kind != T_WORD)
			break;
		w = ps->t[0].word;
		if (any && strcmp(w, "and") == 0 && last == 3 &&
		    ps->t[1].kind == T_WORD && is_number_word(ps->t[1].word)) {
			if (advance(ps) == -1)
				return -1;
			continue;
		}
		if ((k = word_index(small_words, w)) >= 0) {
			if (last == 1 || (last == 2 && k >= 10) ||
			    (last == 2 && k == 0))
				return refuse(&ps->lx, "'%.*s' is not a number",
				    (int)(ps->t[0].len), ps->t[0].at);
			cur += k;
			last = 1;
		} else if ((k = word_index(tens_words, w)) >= 0) {
			if (last == 1 || last == 2)
				return refuse(&ps->lx, "'%.*s' is not a number",
				    (int)(ps->t[0].len), ps->t[0].at);
			cur += 20 + 10 * k;
			last = 2;
		} else if (strcmp(w, "hundred") == 0 && any && last != 3 &&
		    cur > 0 && cur < 10) {
			cur *= 100;
			last = 3;
		} else if (strcmp(w, "thousand") == 0 && any && cur > 0) {
			total += cur * 1000;
			cur = 0;
			last = 3;
		} else {
			break;
		}
		any = 1;
		if (advance(ps) == -1)
			return -1;
	}
	if (!any)
		return 0;
	*v = total + cur;
	return 1;
}

/*
 * The quantity at the current token, if any: [minus] (WORDS [(DIGITS)] |
 * DIGITS) [UNIT] [before].  1 with *q, 0 when none starts here, -1 when
 * the text cannot be read exactly.
 */
static int
quantity(struct parser *ps, struct qty *q)
{
	int64_t wv = 0;
	int r, neg = 0, have = 0;

	memset(q, 0, sizeof(*q));
	q->at = ps->t[0].at;
	if (ps->t[0].kind == T_WORD && strcmp(ps->t[0].word, "minus") == 0 &&
	    (ps->t[1].kind == T_NUM ||
		(ps->t[1].kind == T_WORD && is_number_word(ps->t[1].word)))) {
		neg = 1;
		if (advance(ps) == -1)
			return -1;
	}
	if ((r = number_words(ps, &wv)) == -1)
		return -1;
	if (r == 1) {
		q->v = wv;
		have = 1;
		/* "ninety (90)": the digits must say the same. */
		if (ps->t[0].kind == T_LPAREN && ps->t[1].kind == T_NUM) {
			if (advance(ps) == -1)
				return -1;
			if (ps->t[0].num != wv)
				return refuse(&ps->lx,
				    "'%.*s' says the number twice, differently",
				    (int)((size_t)(ps->t[0].at + ps->t[0].len -
					      q->at) +
					1),
				    q->at);
			if (advance(ps) == -1)
				return -1;
			if (ps->t[0].kind != T_RPAREN)
				return refuse(&ps->lx,
				    "'%.*s' is not a quantity",
				    (int)((size_t)(ps->t[0].at - q->at)),
				    q->at);
			if (advance(ps) == -1)
				return -1;
		}
	} else if (ps->t[0].kind == T_NUM) {
		q->v = ps->t[0].num;
		have = 1;
		if (advance(ps) == -1)
			return -1;
	}
	if (!have)
		return 0;
	if (neg) {
		if (q->v < 0)
			return refuse(&ps->lx, "'%.*s' has two signs",
			    (int)((size_t)(ps->t[0].at - q->at)), q->at);
		q->v = -q->v;
	}
	if (ps->t[0].kind == T_WORD && !is_number_word(ps->t[0].word) &&
	    word_index(frequency_words, ps->t[0].word) < 0) {
		unit_canon(ps->t[0].word, q->unit, sizeof(q->unit));
		if (advance(ps) == -1)
			return -1;
		if (ps->t[0].kind == T_WORD &&
		    strcmp(ps->t[0].word, "before") == 0) {
			if (q->v < 0)
				return refuse(&ps->lx, "'%.*s' has two signs",
				    (int)((size_t)(ps->t[0].at + ps->t[0].len -
					q->at)),
				    q->at);
			q->v = -q->v;
			if (advance(ps) == -1)
				return -1;
		}
	}
	q->len = (size_t)(ps->t[0].at - q->at);
	while (q->len > 0 && isspace((unsigned char)q->at[q->len - 1]))
		q->len--;
	return 1;
}

int
param_parse(const char *text, struct param_value *out, char *why, size_t len)
{
	struct parser ps;
	struct qty q[PARAM_MAX_QTY];
	size_t n = 0, i;
	int r;

	memset(&ps, 0, sizeof(ps));
	memset(out, 0, sizeof(*out));
	ps.lx.s = ps.lx.p = text;
	ps.lx.why = why;
	ps.lx.whylen = len;
	if (why != NULL && len > 0)
		why[0] = '\0';
	if (lex(&ps.lx, &ps.t[0]) == -1 || lex(&ps.lx, &ps.t[1]) == -1)
		return -1;
	while (ps.t[0].kind != T_END) {
		if ((r = quantity(&ps, &q[n])) == -1)
			return -1;
		if (r == 1) {
			if (++n == PARAM_MAX_QTY)
				return refuse(&ps.lx,
				    "'%.*s' holds too many numbers",
				    (int)(strlen(text)), text);
			continue;
		}
		if (ps.t[0].kind == T_WORD &&
		    word_index(frequency_words, ps.t[0].word) >= 0)
			return refuse(&ps.lx,
			    "'%.*s' is a frequency, not an exact quantity",
			    (int)(ps.t[0].len), ps.t[0].at);
		if (ps.t[0].kind == T_WORD &&
		    strcmp(ps.t[0].word, "immediately") == 0) {
			/* A second, zero, value beside any other. */
			q[n].v = 0;
			q[n].unit[0] = '\0';
			q[n].at = ps.t[0].at;
			q[n].len = ps.t[0].len;
			if (++n == PARAM_MAX_QTY)
				return refuse(&ps.lx,
				    "'%.*s' holds too many numbers",
				    (int)(strlen(text)), text);
		}
		if (advance(&ps) == -1)
			return -1;
	}
	if (n == 0) {
		if (why != NULL && len > 0)
			snprintf(why, len, "it holds no number");
		return -1;
	}
	for (i = 1; i < n; i++)
		if (q[i].v != q[0].v || strcmp(q[i].unit, q[0].unit) != 0) {
			char a[64], b[64];

			snprintf(a, sizeof(a), "%.*s", (int)q[0].len, q[0].at);
			snprintf(b, sizeof(b), "%.*s", (int)q[i].len, q[i].at);
			if (why != NULL && len > 0)
				snprintf(why, len,
				    "it holds different quantities ('%s' "
				    "and '%s')",
				    a, b);
			return -1;
		}
	/* A bare number is only read when it is the whole text ("-30"). */
	if (q[0].unit[0] == '\0' &&
	    (n > 1 || text + strspn(text, " \t\n") != q[0].at ||
		q[0].at[q[0].len + strspn(q[0].at + q[0].len, " \t\n")] !=
		    '\0'))
		return refuse(
		    &ps.lx, "'%.*s' has no unit", (int)(q[0].len), q[0].at);
	out->v = q[0].v;
	snprintf(out->unit, sizeof(out->unit), "%s", q[0].unit);
	return 0;
}

int
param_unit_canon(const char *unit, char *buf, size_t len)
{
	char w[PARAM_WORD_MAX];
	size_t i, n = strlen(unit);

	if (n == 0 || n >= sizeof(w))
		return -1;
	for (i = 0; i < n; i++) {
		if (!isalpha((unsigned char)unit[i]))
			return -1;
		w[i] = (char)tolower((unsigned char)unit[i]);
	}
	w[n] = '\0';
	unit_canon(w, buf, len);
	return 0;
}

static int64_t
unit_seconds(const char *u)
{
	size_t i;

	for (i = 0; i < NTIME_UNITS; i++)
		if (strcmp(u, time_units[i].name) == 0)
			return time_units[i].seconds;
	return -1;
}

int
param_convert(const struct param_value *pv, const char *unit, int64_t *out,
    char *why, size_t len)
{
	char to[PARAM_WORD_MAX];
	int64_t fs, ts, v = pv->v;

	if (unit == NULL || unit[0] == '\0') {
		if (pv->unit[0] == '\0') {
			*out = v;
			return 0;
		}
		snprintf(why, len,
		    "it is in %s but the check parameter declares no unit",
		    pv->unit);
		return -1;
	}
	if (param_unit_canon(unit, to, sizeof(to)) == -1) {
		snprintf(why, len, "unknown unit '%s'", unit);
		return -1;
	}
	if (pv->unit[0] == '\0') {
		snprintf(why, len, "it has no unit (expected %s)", to);
		return -1;
	}
	if (strcmp(pv->unit, to) == 0) {
		*out = v;
		return 0;
	}
	fs = unit_seconds(pv->unit);
	ts = unit_seconds(to);
	if (fs < 0 || ts < 0) {
		snprintf(
		    why, len, "%s cannot be converted to %s", pv->unit, to);
		return -1;
	}
	/* Months and years: a year is twelve months; a month has no exact
	 * number of days. */
	if (strcmp(pv->unit, "years") == 0 && strcmp(to, "months") == 0) {
		fs = 12;
		ts = 1;
	} else if (strcmp(pv->unit, "months") == 0 &&
	    strcmp(to, "years") == 0) {
		fs = 1;
		ts = 12;
	} else if (fs == 0 || ts == 0) {
		snprintf(why, len, "%s cannot be converted exactly to %s",
		    pv->unit, to);
		return -1;
	}
	if (v > INT64_MAX / fs || v < INT64_MIN / fs) {
		snprintf(why, len, "%lld %s do not fit in %s", (long long)v,
		    pv->unit, to);
		return -1;
	}
	if ((v * fs) % ts != 0) {
		snprintf(why, len, "%lld %s is not a whole number of %s",
		    (long long)v, pv->unit, to);
		return -1;
	}
	*out = v * fs / ts;
	return 0;
}
