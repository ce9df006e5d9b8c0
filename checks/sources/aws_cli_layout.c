/*
 * aws_cli_layout.c: the aws-cli adapter's checks of an export's layout
 * (unknown services, files no call writes, per-resource folders, regions)
 * and the index of placebo recordings.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "checks/sources/aws_cli_impl.h"

/* Services whose presence marks a CLI export directory. */
static const char *const cli_services[] = { "acm", "cloudtrail",
	"configservice", "ec2", "elb", "elbv2", "guardduty", "iam", "kms",
	"logs", "rds", "s3api", "s3control", "securityhub", "sts", NULL };

static int
is_cli_service(const char *name)
{
	size_t i;

	for (i = 0; cli_services[i] != NULL; i++)
		if (strcmp(name, cli_services[i]) == 0)
			return 1;
	return 0;
}

/* The service name matches case-insensitively, or NULL. */
static const char *
service_nocase(const char *name, size_t len)
{
	size_t i;

	for (i = 0; cli_services[i] != NULL; i++)
		if (strlen(cli_services[i]) == len &&
		    strncasecmp(name, cli_services[i], len) == 0)
			return cli_services[i];
	return NULL;
}

/* A region's rows of an account-wide service are not read there. */
static int
skip_global(const struct dump_scope *s, const struct dump_call *ci)
{
	return s->region != NULL && ac_is_global_service(ci->svc);
}

/*
 * The per-resource folders of scope s (CLI layout): every entry must be
 * a regular "<name>.json" that a listing named (dump_check_per_resource).
 */
int
ac_check_per_resource(struct dump *c, const struct dump_scope *s)
{
	return dump_check_per_resource(c, s, skip_global);
}

/*
 * The service folders under an unknown folder of the root: their types'
 * evidence is not read (the folder is no region), so their markers
 * carry the error.  Returns how many were found, or -1.
 */
static int
check_unknown_dir(struct dump *c, const struct dump_scope *s, const char *dir)
{
	char path[PATH_MAX];
	const char *svc;
	const char *const *names;
	size_t nn, i;
	int n = 0;

	if (dir_index_names(c->ix, dir, &names, &nn) != 0)
		return 0;
	for (i = 0; i < nn; i++) {
		svc = service_nocase(names[i], strlen(names[i]));
		if (svc == NULL)
			continue;
		if (dump_path_join(path, sizeof(path), dir, names[i]))
			continue;
		n++;
		if (dump_mark_calls_error(c, s, svc, NULL, path,
			"outputs under a folder that is not an AWS region "
			"name are not read"))
			return -1;
	}
	return n;
}

/*
 * The layout of scope s (the root, or a region folder): every entry is
 * a service folder in its exact case, a region folder (root), or
 * documentation; anything else is an error marker for the types it
 * could hold, or a warning when it can hold none.
 */
int
ac_check_layout(struct dump *c, const struct dump_scope *s, int root)
{
	char path[PATH_MAX];
	const char *svc, *name;
	const char *const *names;
	struct stat st;
	int rc = 0, isdir, n;
	size_t nn, i;

	if (dir_index_names(c->ix, s->dir, &names, &nn) != 0)
		return 0;
	for (i = 0; rc == 0 && i < nn; i++) {
		name = names[i];
		if (name[0] == '.')
			continue;
		if (dump_path_join(path, sizeof(path), s->dir, name)) {
			rc = dump_warn_unread(
			    c, s->dir, "an entry's path is too long to read");
			continue;
		}
		isdir = dir_index_stat(c->ix, path, &st) == 0 &&
		    S_ISDIR(st.st_mode);
		svc = service_nocase(
		    name, isdir ? strlen(name) : dump_stem_len(name));
		if (isdir && is_cli_service(name)) {
			if (!root && ac_is_global_service(name))
				rc = dump_mark_calls_error(c, s, name, NULL,
				    path,
				    "an account-wide service under a region "
				    "folder is not read");
			else
				rc = dump_check_service_dir(c, s, name, path);
		} else if (isdir && root && src_is_region(name)) {
			continue;
		} else if (svc != NULL) {
			rc = dump_mark_calls_error(c, s, svc, NULL, path,
			    isdir ? "service folder name in unexpected case"
				  : "a file stands where the service folder "
				    "is expected");
		} else if (isdir) {
			if ((n = check_unknown_dir(c, s, path)) < 0)
				rc = -1;
			else if (n == 0)
				rc = dump_warn_unread(c, path,
				    "not an AWS CLI service or region folder");
		} else if (!dump_ends_with(name, ".md") &&
		    !dump_ends_with(name, ".txt") &&
		    !(root && strcmp(name, COLLECTION_FILE) == 0)) {
			rc = dump_warn_unread(c, path,
			    "not an AWS CLI output (<service>/<call>.json)");
		}
	}
	return rc;
}

/* Whether name looks like a placebo recording "<svc>.<Op>_N.json". */
static int
is_placebo_name(const char *name)
{
	const char *dot = strchr(name, '.'), *us = strrchr(name, '_');
	size_t len = strlen(name);

	return dot != NULL && us != NULL && us > dot && len > 5 &&
	    strcmp(name + len - 5, ".json") == 0 && dot[1] >= 'A' &&
	    dot[1] <= 'Z' && us[1] >= '0' && us[1] <= '9';
}

/*
 * name as a placebo recording: *stem_len and *seq, or 0 when it is not
 * exactly "<svc>.<Op>_<digits>.json".
 */
static int
parse_recording(const char *name, size_t *slen, size_t *seq)
{
	const char *us = strrchr(name, '_'), *p;
	size_t v = 0;

	if (!is_placebo_name(name))
		return 0;
	for (p = us + 1; *p >= '0' && *p <= '9'; p++) {
		if (v > 1000000)
			return 0;
		v = v * 10 + (size_t)(*p - '0');
	}
	if (strcmp(p, ".json") != 0 || v == 0)
		return 0;
	*slen = (size_t)(us - name);
	*seq = v;
	return 1;
}

/*
 * An entry of a placebo root that is no recording: when it names,
 * in any case and with any extension, an operation the adapter reads,
 * its types' markers carry the error; else a warning.
 */
static int
check_placebo_entry(
    struct dump *c, const struct dump_scope *s, const char *name)
{
	char path[PATH_MAX], op[128], stem[256];
	const char *us = strrchr(name, '_');
	size_t i, len = us != NULL ? (size_t)(us - name) : dump_stem_len(name);
	int hit = 0;

	if (dump_path_join(path, sizeof(path), s->dir, name))
		return 0;
	for (i = 0; i < ac_ncalls; i++) {
		ac_placebo_op(ac_calls[i].call, op, sizeof(op));
		snprintf(stem, sizeof(stem), "%s.%s",
		    ac_placebo_svc(ac_calls[i].svc), op);
		if (ac_calls[i].type == NULL || strlen(stem) != len ||
		    strncasecmp(stem, name, len) != 0)
			continue;
		hit = 1;
		if (dump_mark_calls_error(c, s, ac_calls[i].svc,
			ac_calls[i].call, path,
			"recording name not in the form "
			"'<service>.<Operation>_<N>.json'"))
			return -1;
	}
	return hit ? 0 : dump_warn_unread(c, path, "not a placebo recording");
}

/* Index the recordings of a placebo root into AWS(c)->rec; report the rest. */
int
ac_index_recordings(struct dump *c, const struct dump_scope *s)
{
	struct precording *v;
	const char *const *names;
	const char *name;
	size_t cap = 0, slen, seq, n, i;
	int rc = 0;

	if (dir_index_names(c->ix, s->dir, &names, &n) != 0)
		return diag_errno(
		    c->d, NULL, errno, "cannot read '%s'", s->dir);
	for (i = 0; rc == 0 && i < n; i++) {
		name = names[i];
		if (name[0] == '.')
			continue;
		if (!parse_recording(name, &slen, &seq)) {
			if (!dump_ends_with(name, ".md") &&
			    !dump_ends_with(name, ".txt"))
				rc = check_placebo_entry(c, s, name);
			continue;
		}
		if (AWS(c)->nrec == cap) {
			cap = cap != 0 ? cap * 2 : 64;
			if ((v = arena_realloc(c->a, AWS(c)->rec,
				 AWS(c)->nrec * sizeof(*v),
				 cap * sizeof(*v))) == NULL) {
				rc = diag_sys(c->d, NULL, "out of memory");
				break;
			}
			AWS(c)->rec = v;
		}
		AWS(c)->rec[AWS(c)->nrec].seq = seq;
		if ((AWS(c)->rec[AWS(c)->nrec++].stem =
			    arena_strndup(c->a, name, slen)) == NULL)
			rc = diag_sys(c->d, NULL, "out of memory");
	}
	if (rc == 0 && AWS(c)->nrec > 0)
		qsort(AWS(c)->rec, AWS(c)->nrec, sizeof(*AWS(c)->rec),
		    ac_cmp_rec);
	return rc;
}

/*
 * 2 placebo layout, 1 CLI layout, 0 neither, from root's listing in ix.
 * Regions into *regions.
 */
int
ac_scan_root(struct dir_index *ix, const char *root, struct arena *a,
    char ***regions, size_t *nreg)
{
	const char *const *names;
	const char *name;
	int kind = 0;
	char path[PATH_MAX];
	struct stat st;
	size_t cap = 0, n, i;
	char **v;

	if (regions != NULL)
		*regions = NULL, *nreg = 0;
	if (dir_index_names(ix, root, &names, &n) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		name = names[i];
		if (name[0] == '.')
			continue;
		if (is_placebo_name(name) && kind == 0)
			kind = 2;
		snprintf(path, sizeof(path), "%s/%s", root, name);
		if (dir_index_stat(ix, path, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		if (is_cli_service(name))
			kind = 1;
		else if (src_is_region(name)) {
			kind = 1;
			if (regions != NULL && a != NULL) {
				if (*nreg == cap) {
					cap = cap != 0 ? cap * 2 : 16;
					v = arena_realloc(a, *regions,
					    *nreg * sizeof(char *),
					    cap * sizeof(char *));
					if (v == NULL)
						break;
					*regions = v;
				}
				(*regions)[(*nreg)++] = arena_strdup(a, name);
			}
		}
	}
	if (regions != NULL && *regions != NULL)
		qsort(*regions, *nreg, sizeof(char *), dump_cmp_str);
	return kind;
}
