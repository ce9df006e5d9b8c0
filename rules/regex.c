/*
 * regex.c: PCRE2 with limits, for the `matches` operator of assertions.
 *
 * Patterns come from rule packs and subjects from exports, so neither is
 * trusted (PITFALLS.md, PCRE2 section).  What bounds a match:
 *  - compile: pattern length and parenthesis nesting, \C refused (it
 *    breaks UTF-8), PCRE2_UTF so patterns and subjects must be valid UTF-8
 *    (checked by PCRE2 on every match: never PCRE2_NO_UTF_CHECK);
 *  - match: a low match limit, a depth limit (interpreter), a heap limit,
 *    a bounded JIT stack, a cap on the subject length;
 *  - time: the limits count per start position, so an unanchored pattern
 *    can still run for minutes.  The subject is therefore searched in
 *    slices of start positions (PCRE2_USE_OFFSET_LIMIT), and the clock is
 *    read between slices against a time budget per call.
 * Every outcome other than a match or PCRE2_ERROR_NOMATCH is an error,
 * never "no match".
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "rules/rules.h"

#define REGEX_MAX_PATTERN 1000
#define REGEX_MAX_NEST 50
#define REGEX_MATCH_LIMIT 100000
#define REGEX_DEPTH_LIMIT 5000
#define REGEX_HEAP_LIMIT_KIB 4096
#define REGEX_JIT_STACK_MIN (32 * 1024)
#define REGEX_JIT_STACK_MAX (512 * 1024)
#define REGEX_MAX_SUBJECT (64 * 1024)
/* Start positions searched between two looks at the clock. */
#define REGEX_SLICE 64
#define REGEX_BUDGET_NS (200 * 1000000LL)

/*
 * The match context, match data and JIT stack are reused by every
 * regex_match() call on this regex, so a regex must not be used by two
 * threads at once (rampart evaluates on one thread).
 */
struct regex {
	const char *pattern;
	pcre2_code *code;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	pcre2_jit_stack *jstack;
	int jit;
};

static void
regex_release(void *p)
{
	struct regex *re = p;

	pcre2_match_data_free(re->md);
	pcre2_match_context_free(re->mctx);
	pcre2_jit_stack_free(re->jstack);
	pcre2_code_free(re->code);
}

/* Characters (not bytes) in the UTF-8 text s[0..n). */
static uint32_t
utf8_chars(const char *s, size_t n)
{
	uint32_t c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/*
 * The last source file read_source_line() read, whole, per thread: a rule
 * pack marks every path it compiles (scalar_mark()), and reading the file
 * from its start for each of them cost more than the rest of loading it
 * (26 opens of one pack).  Kept while its name, inode, size and
 * modification time stay; files over 1 MiB are read as before.
 */
struct src_cache {
	char *path;
	char *text; /* the file, NUL-terminated */
	size_t len;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

#define SRC_CACHE_MAX (1 << 20)

static pthread_key_t src_key;
static pthread_once_t src_once = PTHREAD_ONCE_INIT;
static int src_key_ok;

static void
src_free(void *p)
{
	struct src_cache *c = p;

	if (c != NULL) {
		lib_free(c->path);
		lib_free(c->text);
		lib_free(c);
	}
}

static void
src_key_make(void)
{
	src_key_ok = pthread_key_create(&src_key, src_free) == 0;
}

/* The text of file (st: its stat), from the cache or read now; or NULL. */
static const struct src_cache *
src_text(const char *file, const struct stat *st)
{
	struct src_cache *c;
	size_t got = 0;
	ssize_t n;
	char *text;
	int fd;

	if (st->st_size > SRC_CACHE_MAX ||
	    pthread_once(&src_once, src_key_make) != 0 || !src_key_ok)
		return NULL;
	c = pthread_getspecific(src_key);
	if (c != NULL && strcmp(c->path, file) == 0 && c->dev == st->st_dev &&
	    c->ino == st->st_ino && c->size == st->st_size &&
	    c->mtime.tv_sec == st->st_mtim.tv_sec &&
	    c->mtime.tv_nsec == st->st_mtim.tv_nsec)
		return c;
	if ((text = lib_malloc((size_t)st->st_size + 1)) == NULL)
		return NULL;
	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		lib_free(text);
		return NULL;
	}
	while (got < (size_t)st->st_size &&
	    (n = read(fd, text + got, (size_t)st->st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (got != (size_t)st->st_size ||
	    (c == NULL && (c = lib_calloc(1, sizeof(*c))) == NULL)) {
		lib_free(text);
		return NULL;
	}
	lib_free(c->path);
	lib_free(c->text);
	c->text = text;
	c->text[got] = '\0';
	c->len = got;
	c->dev = st->st_dev;
	c->ino = st->st_ino;
	c->size = st->st_size;
	c->mtime = st->st_mtim;
	if ((c->path = lib_strdup(file)) == NULL) {
		src_free(c);
		pthread_setspecific(src_key, NULL);
		return NULL;
	}
	pthread_setspecific(src_key, c);
	return c;
}

/*
 * Read line `line` (1-based) of a regular file into buf.  0 or -1.  Only
 * used to locate an error, so any failure just means "unknown".
 */
static int
read_source_line(const char *file, uint32_t line, char *buf, size_t len)
{
	const struct src_cache *c;
	const char *p, *end;
	struct stat st;
	FILE *fp;
	uint32_t l = 1;
	int ch;
	size_t n = 0;

	if (file == NULL || line == 0 || strcmp(file, "-") == 0 ||
	    stat(file, &st) != 0 || !S_ISREG(st.st_mode))
		return -1;
	if ((c = src_text(file, &st)) != NULL) {
		p = c->text;
		end = c->text + c->len;
		for (; l < line &&
		     (p = memchr(p, '\n', (size_t)(end - p))) != NULL;
		     p++)
			l++;
		if (p == NULL)
			return -1;
		while (p < end && *p != '\n' && n + 1 < len)
			buf[n++] = *p++;
		buf[n] = '\0';
		return 0;
	}
	if ((fp = fopen(file, "r")) == NULL)
		return -1;
	while (l < line && (ch = getc(fp)) != EOF)
		if (ch == '\n')
			l++;
	while (l == line && (ch = getc(fp)) != EOF && ch != '\n' && n + 1 < len)
		buf[n++] = (char)ch;
	buf[n] = '\0';
	fclose(fp);
	return l == line ? 0 : -1;
}

/* Byte offset of 1-based character column col in s, or -1. */
static long
col_to_byte(const char *s, uint32_t col)
{
	uint32_t c = 1;
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (c == col)
			return (long)i;
		c++;
	}
	return -1;
}

/* Value of the n hex digits at p, or -1. */
static long
hex_value(const char *p, size_t n)
{
	long v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int ch = p[i] | 0x20;

		if (p[i] >= '0' && p[i] <= '9')
			v = v * 16 + (p[i] - '0');
		else if (ch >= 'a' && ch <= 'f')
			v = v * 16 + (ch - 'a' + 10);
		else
			return -1;
	}
	return v;
}

/*
 * A YAML double-quoted escape at p (just after the backslash): sets *src
 * to its source bytes after the backslash and returns the bytes it
 * decodes to.
 */
static size_t
dq_escape(const char *p, size_t *src)
{
	size_t n;
	long cp;

	switch (*p) {
	case 'x':
		n = 2;
		break;
	case 'u':
		n = 4;
		break;
	case 'U':
		n = 8;
		break;
	case 'N':
	case '_':
		*src = 1;
		return 2;
	case 'L':
	case 'P':
		*src = 1;
		return 3;
	default:
		*src = 1;
		return 1;
	}
	*src = 1 + strnlen(p + 1, n);
	if ((cp = hex_value(p + 1, *src - 1)) == -1)
		return 1;
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/*
 * The position of byte `off` of a scalar's decoded value, from the mark
 * of the scalar.  When the source line can be read and the scalar is
 * quoted there, the opening quote and escapes ('' in single quotes,
 * backslash escapes in double quotes) are accounted for; otherwise the
 * scalar is taken as plain.  Scalars spanning lines are located on their
 * first line only.
 */
struct mark
scalar_mark(const struct mark *m, const char *value, size_t off)
{
	struct mark r = { NULL, 0, 0 };
	char line[4096];
	const char *p;
	size_t done = 0;
	long b;

	if (m == NULL)
		return r;
	r = *m;
	if (m->col == 0)
		return r;
	if (read_source_line(m->file, m->line, line, sizeof(line)) == -1 ||
	    (b = col_to_byte(line, m->col)) == -1 ||
	    (line[b] != '"' && line[b] != '\'')) {
		r.col = m->col + utf8_chars(value, off);
		return r;
	}
	p = line + b + 1;
	r.col = m->col + 1;
	while (done < off && *p != '\0') {
		if (line[b] == '\'' && p[0] == '\'' && p[1] == '\'') {
			p += 2, r.col += 2, done++;
		} else if (line[b] == '\'' && *p == '\'') {
			break;
		} else if (line[b] == '"' && *p == '\\' && p[1] != '\0') {
			size_t sl;

			done += dq_escape(p + 1, &sl);
			r.col += 1 + utf8_chars(p + 1, sl);
			p += 1 + sl;
		} else if (line[b] == '"' && *p == '"') {
			break;
		} else {
			size_t n = 1;

			while (((unsigned char)p[n] & 0xC0) == 0x80)
				n++;
			done += n, p += n, r.col++;
		}
	}
	return r;
}

struct regex *
regex_compile(
    struct arena *a, struct diag *d, const char *pattern, const struct mark *m)
{
	pcre2_compile_context *cctx = NULL;
	struct regex *re, *ret = NULL;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroff;
	struct mark em;
	size_t plen = strlen(pattern);
	uint32_t have_jit = 0;
	int errcode;

	if ((re = arena_alloc(a, sizeof(*re))) == NULL) {
		diag_sys(d, m, "out of memory");
		return NULL;
	}
	if (arena_defer(a, regex_release, re) == -1) {
		diag_sys(d, m, "out of memory");
		return NULL;
	}
	if ((re->pattern = arena_strdup(a, pattern)) == NULL) {
		diag_sys(d, m, "out of memory");
		goto out;
	}
	if (plen > REGEX_MAX_PATTERN) {
		diag_err(d, m, "regex is too long (%zu bytes, at most %d)",
		    plen, REGEX_MAX_PATTERN);
		goto out;
	}
	if ((cctx = pcre2_compile_context_create(NULL)) == NULL) {
		diag_sys(d, m, "out of memory");
		goto out;
	}
	pcre2_set_max_pattern_length(cctx, REGEX_MAX_PATTERN);
	pcre2_set_parens_nest_limit(cctx, REGEX_MAX_NEST);
	re->code = pcre2_compile((PCRE2_SPTR)pattern, plen,
	    PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C | PCRE2_USE_OFFSET_LIMIT,
	    &errcode, &erroff, cctx);
	if (re->code == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		if (erroff > plen)
			erroff = plen;
		em = scalar_mark(m, pattern, erroff);
		diag_err(d, &em, "invalid regex '%s': %s", pattern,
		    (const char *)msg);
		goto out;
	}
	if ((re->mctx = pcre2_match_context_create(NULL)) == NULL ||
	    (re->md = pcre2_match_data_create(1, NULL)) == NULL) {
		diag_sys(d, m, "out of memory");
		goto out;
	}
	pcre2_set_match_limit(re->mctx, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(re->mctx, REGEX_DEPTH_LIMIT);
	pcre2_set_heap_limit(re->mctx, REGEX_HEAP_LIMIT_KIB);
	/* JIT is an optimisation: any failure falls back to the interpreter. */
	if (pcre2_config(PCRE2_CONFIG_JIT, &have_jit) >= 0 && have_jit &&
	    pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0) {
		re->jstack = pcre2_jit_stack_create(
		    REGEX_JIT_STACK_MIN, REGEX_JIT_STACK_MAX, NULL);
		if (re->jstack == NULL) {
			diag_sys(d, m, "out of memory");
			goto out;
		}
		pcre2_jit_stack_assign(re->mctx, NULL, re->jstack);
		re->jit = 1;
	}
	/* (*NO_JIT) in the pattern leaves JIT code out. */
	if (re->jit) {
		size_t jsize = 0;

		if (pcre2_pattern_info(re->code, PCRE2_INFO_JITSIZE, &jsize) !=
			0 ||
		    jsize == 0)
			re->jit = 0;
	}
	ret = re;
out:
	pcre2_compile_context_free(cctx);
	/* On failure the handles are released with the arena. */
	return ret;
}

int
regex_jit(const struct regex *re)
{
	return re->jit;
}

static const char *
match_error(int rc)
{
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
		return "regex match limit exceeded";
	case PCRE2_ERROR_DEPTHLIMIT:
		return "regex depth limit exceeded";
	case PCRE2_ERROR_HEAPLIMIT:
		return "regex heap limit exceeded";
	case PCRE2_ERROR_JIT_STACKLIMIT:
		return "regex JIT stack limit exceeded";
	case PCRE2_ERROR_NOMEMORY:
		return "regex out of memory";
	default:
		if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
			return "subject is not valid UTF-8";
		return "regex match failed";
	}
}

/*
 * Offset of the first byte that is not part of valid UTF-8 (the rules
 * PCRE2 applies: no overlongs, surrogates or code points past U+10FFFF),
 * or len when all is valid.
 */
static size_t
utf8_invalid_at(const unsigned char *p, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0)
			return i;
		i += n;
	}
	return len;
}

int
regex_match(const struct regex *re, const char *s, size_t len, const char **err)
{
	long long deadline;
	uint32_t opts = 0;
	size_t start;
	int rc;

	if (err != NULL)
		*err = NULL;
	if (re == NULL || re->code == NULL) {
		if (err != NULL)
			*err = "regex not compiled";
		return -1;
	}
	if (len > REGEX_MAX_SUBJECT) {
		if (err != NULL)
			*err = "subject longer than 65536 bytes";
		return -1;
	}
	if (utf8_invalid_at((const unsigned char *)s, len) != len) {
		if (err != NULL)
			*err = "subject is not valid UTF-8";
		return -1;
	}
	deadline = mono_ns() + REGEX_BUDGET_NS;
	/*
	 * Search start positions [start, start + REGEX_SLICE) at a time; a
	 * match in a later slice is found by a later call exactly as one
	 * unanchored call would find it, because lookbehinds still see the
	 * whole subject and ^ still means offset 0.  PCRE2 validates the
	 * subject on the first call (as we did above); the later calls over
	 * the same, unchanged bytes skip that check, which would otherwise
	 * make a long subject cost quadratic time.
	 */
	for (start = 0; start <= len; start += REGEX_SLICE) {
		pcre2_set_offset_limit(re->mctx, start + REGEX_SLICE - 1);
		rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, start, opts,
		    re->md, re->mctx);
		if (rc >= 0)
			return 1;
		if (rc != PCRE2_ERROR_NOMATCH) {
			if (err != NULL)
				*err = match_error(rc);
			return -1;
		}
		opts = PCRE2_NO_UTF_CHECK;
		if (start + REGEX_SLICE <= len && mono_ns() > deadline) {
			if (err != NULL)
				*err = "regex time budget exceeded";
			return -1;
		}
		/* The next slice starts on a character boundary. */
		while (start + REGEX_SLICE < len &&
		    ((unsigned char)s[start + REGEX_SLICE] & 0xC0) == 0x80)
			start++;
	}
	return 0;
}
