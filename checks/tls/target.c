/*
 * target.c: "HOST[:PORT]" operands and targets files.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "checks/tls/tls.h"

#define TLS_DEFAULT_PORT 443

static int
parse_port(const char *s, size_t n, uint16_t *port)
{
	unsigned long v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/*
 * A DNS name: labels of letters, digits, '-', '_' separated by dots, no
 * label starting or ending with '-' (so "-x" is never taken for a host).
 */
static int
valid_hostname(const char *s, size_t n)
{
	size_t i, label = 0;

	if (n == 0 || n > 253 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-' ||
			    (i + 1 < n && s[i + 1] == '-'))
				return 0;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
		if (++label > 63)
			return 0;
	}
	return 1;
}

int
tls_target_parse(struct arena *a, struct diag *d, const struct mark *where,
    const char *s, struct tls_target *t)
{
	struct in6_addr a6;
	struct in_addr a4;
	const char *host, *colon, *close;
	size_t hlen;
	char buf[INET6_ADDRSTRLEN + 8];

	memset(t, 0, sizeof(*t));
	t->port = TLS_DEFAULT_PORT;
	if (s == NULL || *s == '\0')
		return diag_err(d, where, "empty target");
	if (s[0] == '[') {
		if ((close = strchr(s, ']')) == NULL)
			return diag_err(d, where,
			    "target '%s': missing ']' after IPv6 address", s);
		host = s + 1;
		hlen = (size_t)(close - host);
		if (close[1] == ':') {
			if (parse_port(
				close + 2, strlen(close + 2), &t->port) == -1)
				return diag_err(
				    d, where, "target '%s': bad port", s);
		} else if (close[1] != '\0') {
			return diag_err(
			    d, where, "target '%s': junk after ']'", s);
		}
		if (hlen == 0 || hlen >= sizeof(buf))
			return diag_err(
			    d, where, "target '%s': bad IPv6 address", s);
		memcpy(buf, host, hlen);
		buf[hlen] = '\0';
		if (inet_pton(AF_INET6, buf, &a6) != 1)
			return diag_err(
			    d, where, "target '%s': bad IPv6 address", s);
		t->is_ip = 1;
	} else if ((colon = strchr(s, ':')) != NULL &&
	    strchr(colon + 1, ':') != NULL) {
		/* Two colons and no brackets: a bare IPv6 literal. */
		hlen = strlen(s);
		if (hlen >= sizeof(buf) || inet_pton(AF_INET6, s, &a6) != 1)
			return diag_err(d, where,
			    "target '%s': bad IPv6 address (write "
			    "[ADDR]:PORT to give a port)",
			    s);
		host = s;
		t->is_ip = 1;
	} else {
		host = s;
		hlen = colon ? (size_t)(colon - s) : strlen(s);
		if (colon != NULL &&
		    parse_port(colon + 1, strlen(colon + 1), &t->port) == -1)
			return diag_err(d, where, "target '%s': bad port", s);
		if (!valid_hostname(host, hlen))
			return diag_err(
			    d, where, "target '%s': bad host name", s);
		if (hlen < sizeof(buf)) {
			memcpy(buf, host, hlen);
			buf[hlen] = '\0';
			t->is_ip = inet_pton(AF_INET, buf, &a4) == 1;
		}
	}
	if ((t->host = arena_strndup(a, host, hlen)) == NULL)
		return diag_sys(d, where, "out of memory");
	return 0;
}

int
tls_targets_read(struct arena *a, struct diag *d, const char *path,
    struct tls_target **v, size_t *n)
{
	struct tls_target t, *nv;
	struct mark m = { path, 0, 1 };
	char *buf = NULL, *line, *next, *end, *f2, *name;
	size_t len, cap = *n;
	int rc = 0;

	if (file_read_all(d, path, 16u << 20, &buf, &len) == -1)
		return -1;
	if ((m.file = arena_strdup(a, path)) == NULL) {
		lib_free(buf);
		return diag_sys(d, NULL, "out of memory");
	}
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		m.line++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((end = strchr(line, '#')) != NULL)
			*end = '\0';
		while (isspace((unsigned char)*line))
			line++;
		end = line + strlen(line);
		while (end > line && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*line == '\0')
			continue;
		f2 = line + strcspn(line, " \t");
		name = NULL;
		if (*f2 != '\0') {
			*f2++ = '\0';
			f2 += strspn(f2, " \t");
			if (strcspn(f2, " \t") != strlen(f2) ||
			    !valid_hostname(f2, strlen(f2))) {
				m.col = (uint32_t)(f2 - line + 1);
				rc =
				    diag_err(d, &m, "bad server name '%s'", f2);
				continue;
			}
			name = f2;
		}
		m.col = 1;
		if (tls_target_parse(a, d, &m, line, &t) == -1) {
			rc = -1;
			continue;
		}
		if (name != NULL && (t.sni = arena_strdup(a, name)) == NULL) {
			rc = diag_sys(d, NULL, "out of memory");
			break;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = lib_realloc(*v, cap * sizeof(*nv))) == NULL) {
				rc = diag_sys(d, NULL, "out of memory");
				break;
			}
			*v = nv;
		}
		(*v)[(*n)++] = t;
	}
	lib_free(buf);
	return rc;
}
