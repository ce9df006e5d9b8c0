/*
 * markup.c: helpers shared by the writers: escaping for XML, HTML and
 * Markdown, file paths as URI references, per-family counts, and the
 * verdict and status wording that every readable format uses.
 *
 * Strings in a report come from users (resource ids, tag values, POA&M
 * justifications, rule text), so every writer escapes them; these
 * helpers never let a byte through that could end the surrounding
 * construct or make the file unreadable (XML forbids most C0 controls
 * even as character references, so they become U+FFFD).
 */
#include <string.h>

#include "reports/report.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD in UTF-8 */

void
markup_escape(FILE *fp, const char *s, int attr)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len;
	uint32_t cp;

	if (s == NULL)
		return;
	n = strlen(s);
	while (n > 0) {
		if ((len = utf8_decode(p, n, &cp)) == 0) {
			fputs(REPLACEMENT, fp);
			p++;
			n--;
			continue;
		}
		switch (cp) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		case '\t':
		case '\n':
		case '\r':
			/* Attribute values normalise raw whitespace away. */
			if (attr)
				fprintf(fp, "&#%lu;", (unsigned long)cp);
			else
				fputc((int)cp, fp);
			break;
		default:
			if (cp < 0x20 || cp == 0x7f || cp == 0xfffe ||
			    cp == 0xffff || (cp >= 0x80 && cp < 0xa0))
				fputs(REPLACEMENT, fp);
			else
				fwrite(p, 1, len, fp);
		}
		p += len;
		n -= len;
	}
}

void
markdown_escape(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len;
	uint32_t cp;

	if (s == NULL)
		return;
	n = strlen(s);
	while (n > 0) {
		if ((len = utf8_decode(p, n, &cp)) == 0) {
			fputs(REPLACEMENT, fp);
			p++;
			n--;
			continue;
		}
		if (cp == '\n' || cp == '\r' || cp == '\t') {
			/* One line per table cell or list item. */
			fputc(' ', fp);
		} else if (cp < 0x20 || cp == 0x7f) {
			fputs(REPLACEMENT, fp);
		} else if (cp < 0x80 && strchr("\\`*_[]<>|&~$", (int)cp)) {
			/*
			 * CommonMark lets any ASCII punctuation be
			 * backslash-escaped; these are the ones that can
			 * start emphasis, links, code, raw HTML, entities,
			 * table cells or (GitHub) maths anywhere in a line.
			 * The writer never starts a line with user text, so
			 * line-start markers (# - + 1.) need no escape.
			 */
			fputc('\\', fp);
			fputc((int)cp, fp);
		} else {
			fwrite(p, 1, len, fp);
		}
		p += len;
		n -= len;
	}
}

void
text_escape(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len;
	uint32_t cp;

	if (s == NULL)
		return;
	n = strlen(s);
	while (n > 0) {
		len = utf8_decode(p, n, &cp);
		if (len == 1 && cp == '\n') {
			fputs("\\n", fp);
		} else if (len == 1 && cp == '\t') {
			fputs("\\t", fp);
		} else if (len == 0 || cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0)) {
			/*
			 * A terminal would act on ESC sequences and other
			 * controls in a resource id; show them instead.
			 */
			if (len == 0)
				len = 1;
			for (size_t i = 0; i < len; i++)
				fprintf(fp, "\\x%02x", p[i]);
		} else {
			fwrite(p, 1, len, fp);
		}
		p += len;
		n -= len;
	}
}

int
uri_from_path(struct strbuf *sb, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	if (path[0] == '/' && sb_adds(sb, "file://") == -1)
		return -1;
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		/* RFC 3986 unreserved characters and the path separator. */
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL) {
			sb_addc(sb, (char)*p);
		} else {
			sb_addc(sb, '%');
			sb_addc(sb, hex[*p >> 4]);
			sb_addc(sb, hex[*p & 15]);
		}
	}
	return sb->oom ? -1 : 0;
}

size_t
report_families(const struct run *r, struct family_count *fc, size_t max)
{
	const char *name;
	size_t i, f, n = 0;

	for (i = 0; i < r->ncontrols; i++) {
		name = r->controls[i].control->family;
		if (name == NULL)
			name = "?";
		for (f = 0; f < n; f++)
			if (strcmp(fc[f].name, name) == 0)
				break;
		if (f == n) {
			if (n == max)
				continue;
			memset(&fc[n], 0, sizeof(fc[n]));
			fc[n++].name = name;
		}
		fc[f].n[r->controls[i].status]++;
		fc[f].total++;
	}
	return n;
}

const char *
report_verdict_text(enum verdict v)
{
	switch (v) {
	case VERDICT_ELIGIBLE:
		return "ELIGIBLE";
	case VERDICT_NOT_ELIGIBLE:
		return "NOT ELIGIBLE";
	default:
		return "INCOMPLETE";
	}
}

const char *
report_status_text(enum status s)
{
	return s == ST_NOT_APPLICABLE ? "n/a" : status_name(s);
}
