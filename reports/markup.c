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
report_families(const struct assessment *r, struct family_count *fc, size_t max)
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

size_t
report_max_items(const struct report_opts *o, size_t def)
{
	size_t n = o->max_items_set ? o->max_items : def;

	return n == 0 ? SIZE_MAX : n;
}

/* One field of a fingerprint: "LEN:BYTES\n", or "-\n" when absent. */
static void
fingerprint_field(struct strbuf *sb, const char *s)
{
	char num[24], *p = num + sizeof(num);
	size_t len, n;

	if (s == NULL) {
		sb_adds(sb, "-\n");
		return;
	}
	/* The length by hand: a report fingerprints each result it lists,
	 * and sb_printf() formatted it twice. */
	len = n = strlen(s);
	*--p = ':';
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	sb_add(sb, p, (size_t)(num + sizeof(num) - p));
	sb_add(sb, s, len);
	sb_addc(sb, '\n');
}

void
report_fingerprint(const char *check_id, const char *type, const char *id,
    const char *region, char out[SHA256_HEX_LEN + 1])
{
	struct strbuf sb;

	sb_init(&sb);
	sb_adds(&sb, "rampart-finding/v1\n");
	fingerprint_field(&sb, check_id);
	fingerprint_field(&sb, type);
	fingerprint_field(&sb, id);
	fingerprint_field(&sb, region);
	if (sb.oom || sb.s == NULL) {
		/* No memory: a fingerprint no real finding can have. */
		memset(out, '0', SHA256_HEX_LEN);
		out[SHA256_HEX_LEN] = '\0';
	} else {
		sha256_hex(sb.s, sb.len, out);
	}
	sb_free(&sb);
}

void
report_check_counts(const struct assessment *r, size_t n[ST_COUNT])
{
	const struct check_outcome *o;
	size_t i, c, j, uses, waived;

	memset(n, 0, ST_COUNT * sizeof(n[0]));
	for (i = 0; i < r->nchecks; i++) {
		o = &r->checks[i];
		uses = waived = 0;
		for (c = 0; c < r->ncontrols; c++)
			for (j = 0; j < r->controls[c].nchecks; j++) {
				if (r->controls[c].checks[j].outcome != o)
					continue;
				uses++;
				if (r->controls[c].checks[j].status ==
				    ST_WAIVED)
					waived++;
			}
		if (o->status == ST_FAIL && uses > 0 && waived == uses)
			n[ST_WAIVED]++;
		else
			n[o->status]++;
	}
}

size_t
report_listed(const struct check_outcome *o, enum status s)
{
	size_t i, k = 0;

	for (i = 0; i < o->n; i++)
		if (o->results[i].status == s)
			k++;
	return k;
}

const char *
report_count_text(size_t n, char buf[32])
{
	char tmp[32];
	size_t len, i, k = 0;

	len = (size_t)snprintf(tmp, sizeof(tmp), "%zu", n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = tmp[i];
	}
	buf[k] = '\0';
	return buf;
}
