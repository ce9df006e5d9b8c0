/*
 * progress.c: the one progress line on stderr of the commands that take
 * long ("rampart: reading X...", "rampart tls: 3/10 endpoints").  It is
 * drawn and erased with carriage returns and spaces alone, so it is the
 * same whatever NO_COLOR, --color or TERM say, and it is cut to the
 * terminal's width: a line that wrapped could not be erased with "\r".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"

/* The width of stderr's terminal in columns: the tty's, $COLUMNS, or 80. */
static size_t
term_columns(void)
{
	struct winsize ws;
	const char *s = getenv("COLUMNS");
	char *end;
	long n;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (s != NULL && *s != '\0') {
		n = strtol(s, &end, 10);
		if (*end == '\0' && n > 0 && n < 10000)
			return (size_t)n;
	}
	return 80;
}

size_t
progress_fit(char *dst, size_t len, const char *text, size_t cols)
{
	size_t n, i, w = 0;

	n = term_escape(dst, len, text, strlen(text), 0);
	/* Escaped text is printable ASCII or valid UTF-8: a column is a
	 * byte that does not continue a sequence. */
	for (i = 0; i < n; i++) {
		if (((unsigned char)dst[i] & 0xc0) == 0x80)
			continue;
		if (w == cols)
			break;
		w++;
	}
	dst[i] = '\0';
	return w;
}

void
progress_start(struct progress *p, const struct cli *c)
{
	p->on = c->tty_err;
	p->width = 0;
}

void
progress_update(struct progress *p, const char *fmt, ...)
{
	char raw[1024], line[4096];
	size_t cols, w;
	va_list ap;

	if (!p->on)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* The last column is left free: writing it wraps some terminals. */
	cols = term_columns();
	w = progress_fit(line, sizeof(line), raw, cols > 1 ? cols - 1 : 1);
	fprintf(stderr, "\r%s", line);
	if (w < p->width)
		fprintf(stderr, "%*s", (int)(p->width - w), "");
	else
		p->width = w;
	fflush(stderr);
}

void
progress_clear(struct progress *p)
{
	if (p->width == 0)
		return;
	fprintf(stderr, "\r%*s\r", (int)p->width, "");
	p->width = 0;
	fflush(stderr);
}
