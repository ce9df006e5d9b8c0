/*
 * registry.c: the tables of built-in check plugins and export adapters.
 * Adding a plugin or an adapter is one file plus one line here; both
 * tables are sorted by name (a unit test asserts it) so lookups bsearch.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "checks/check.h"
#include "checks/aws/aws.h"
#include "checks/sources/sources.h"
#include "checks/tls/endpoint.h"

const struct check_plugin *const check_plugins[] = {
	&aws_credential_report_plugin,
	&aws_iam_policy_plugin,
	&aws_network_exposure_plugin,
	&aws_s3_acl_plugin,
	&aws_service_plugin,
	&tls_endpoint_plugin,
};

const size_t check_nplugins = sizeof(check_plugins) / sizeof(check_plugins[0]);

const struct adapter *const adapters[] = {
	&adapter_aws_cli,
	&adapter_aws_config,
};

const size_t nadapters = sizeof(adapters) / sizeof(adapters[0]);

static int
plugin_cmp(const void *key, const void *elem)
{
	const struct check_plugin *const *p = elem;

	return strcmp(key, (*p)->name);
}

const struct check_plugin *
check_plugin_find(const char *name)
{
	const struct check_plugin *const *p;

	if (name == NULL)
		return NULL;
	p = bsearch(name, check_plugins, check_nplugins,
	    sizeof(check_plugins[0]), plugin_cmp);
	return p != NULL ? *p : NULL;
}

static int
adapter_cmp(const void *key, const void *elem)
{
	const struct adapter *const *a = elem;

	return strcmp(key, (*a)->name);
}

const struct adapter *
adapter_find(const char *name)
{
	const struct adapter *const *a;

	if (name == NULL)
		return NULL;
	a = bsearch(
	    name, adapters, nadapters, sizeof(adapters[0]), adapter_cmp);
	return a != NULL ? *a : NULL;
}

/* Bytes of a file's start shown to detect(). */
#define DETECT_HEAD 4096

/*
 * Ask every adapter; the highest score wins (ties go to the first in the
 * table, which keeps the choice deterministic).  A file nobody recognises
 * is an error naming the file and the known formats, never an empty scan.
 */
const struct adapter *
adapter_detect(struct diag *d, const char *path)
{
	const struct adapter *best = NULL;
	struct mark m = { path, 0, 0 };
	char head[DETECT_HEAD];
	struct strbuf names;
	struct stat st;
	ssize_t got = 0;
	int fd, score, bestscore = 0, is_dir;
	size_t i;

	if (stat(path, &st) != 0) {
		diag_err(
		    d, &m, "cannot read input '%s': %s", path, strerror(errno));
		return NULL;
	}
	is_dir = S_ISDIR(st.st_mode);
	if (!is_dir) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			diag_err(d, &m, "cannot open input '%s': %s", path,
			    strerror(errno));
			return NULL;
		}
		got = read(fd, head, sizeof(head) - 1);
		close(fd);
		if (got < 0) {
			diag_err(d, &m, "cannot read input '%s': %s", path,
			    strerror(errno));
			return NULL;
		}
		head[got] = '\0';
	}
	for (i = 0; i < nadapters; i++) {
		score = adapters[i]->detect(
		    path, is_dir, is_dir ? NULL : head, (size_t)got);
		if (score > bestscore) {
			bestscore = score;
			best = adapters[i];
		}
	}
	if (best != NULL)
		return best;
	sb_init(&names);
	for (i = 0; i < nadapters; i++) {
		sb_adds(&names, i ? ", " : "");
		sb_adds(&names, adapters[i]->name);
	}
	diag_err(d, &m,
	    "cannot tell the export format of '%s' (known formats: %s); "
	    "use --input-format",
	    path, names.s != NULL ? names.s : "");
	sb_free(&names);
	return NULL;
}
