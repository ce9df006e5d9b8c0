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

/* The call of svc whose name matches case-insensitively, or NULL. */
static const struct call_info *
call_nocase(const char *svc, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ac_ncalls; i++)
		if (strcmp(ac_calls[i].svc, svc) == 0 &&
		    strlen(ac_calls[i].call) == len &&
		    strncasecmp(name, ac_calls[i].call, len) == 0)
			return &ac_calls[i];
	return NULL;
}

/* name's length without a last extension (".JSON", ".txt"). */
static size_t
stem_len(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot != NULL && dot != name ? (size_t)(dot - name) : strlen(name);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* dir/name into buf; -1 when it does not fit. */
int
ac_path_join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* A warning that path is not read, with why. */
static int
warn_unread(struct cli *c, const char *path, const char *why)
{
	struct mark m = { NULL, 0, 0 };

	m.file = path;
	diag_warn(c->d, &m, "'%s' is not read: %s", path, why);
	return 0;
}

/*
 * The per-resource folders of scope s (CLI layout): every entry must be
 * a regular "<name>.json" that a listing named (ac_join() looked for it).
 * Anything else could be evidence of a resource the reader did not
 * see, so the type's marker carries the error (one per folder, with
 * the count and the first such file).
 */
int
ac_check_per_resource(struct cli *c, const struct scope *s)
{
	char dir[PATH_MAX], path[PATH_MAX], *key;
	const char *first, *why;
	struct dirent *de;
	struct stat st;
	size_t i, bad, len;
	DIR *dp;

	if (c->joined.n > 0)
		qsort(
		    c->joined.v, c->joined.n, sizeof(*c->joined.v), ac_cmp_str);
	for (i = 0; i < ac_ncalls; i++) {
		if (!ac_calls[i].per_resource || ac_calls[i].type == NULL ||
		    (s->region != NULL &&
			ac_is_global_service(ac_calls[i].svc)))
			continue;
		snprintf(dir, sizeof(dir), "%s/%s/%s", s->dir, ac_calls[i].svc,
		    ac_calls[i].call);
		if ((dp = opendir(dir)) == NULL) {
			if (errno == ENOENT)
				continue;
			if (ac_mark_calls_error(c, s, ac_calls[i].svc,
				ac_calls[i].call, dir,
				errno == ENOTDIR
				    ? "per-resource outputs expected in a "
				      "folder, found a file"
				    : "per-resource folder cannot be read"))
				return -1;
			continue;
		}
		bad = 0;
		first = why = NULL;
		while ((de = readdir(dp)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			if (de->d_name[0] == '.' &&
			    ac_path_join(path, sizeof(path), dir, de->d_name) ==
				0) {
				/* never written by a collector; holds no
				 * resource's evidence (.DS_Store, .tmp) */
				warn_unread(c, path, "hidden file");
				continue;
			}
			len = strlen(de->d_name);
			key = NULL;
			if (ac_path_join(path, sizeof(path), dir, de->d_name))
				why = "path too long to read";
			else if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
				why = "not a regular file";
			else if (!ends_with(de->d_name, ".json") || len == 5)
				why = "not a '<name>.json' file";
			else if ((key = arena_printf(c->a, "%s/%s/%.*s",
				      ac_calls[i].svc, ac_calls[i].call,
				      (int)(len - 5), de->d_name)) == NULL) {
				closedir(dp);
				return diag_sys(c->d, NULL, "out of memory");
			} else if (ac_strv_has(&c->joined, key))
				continue;
			else
				why = "a resource that no listing in the "
				      "export names";
			if (bad++ == 0 &&
			    (first = arena_printf(
				 c->a, "%s (%s)", path, why)) == NULL) {
				closedir(dp);
				return diag_sys(c->d, NULL, "out of memory");
			}
		}
		closedir(dp);
		if (bad > 0 &&
		    ac_mark_calls_error(c, s, ac_calls[i].svc, ac_calls[i].call,
			first,
			bad == 1 ? "1 per-resource output is not read"
				 : arena_printf(c->a,
				       "%zu per-resource outputs are not "
				       "read, the first",
				       bad)))
			return -1;
	}
	c->joined.n = 0;
	return 0;
}

/*
 * A service folder svc of scope s: files of calls the adapter reads in
 * another case or without ".json", and folders where an output file is
 * expected, could hide the evidence of their type: its marker carries
 * the error.  Other unexpected entries are warnings.
 */
static int
check_service_dir(
    struct cli *c, const struct scope *s, const char *svc, const char *dir)
{
	char path[PATH_MAX];
	const struct call_info *ci;
	struct dirent *de;
	struct stat st;
	size_t len;
	int isdir, rc = 0;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return ac_mark_calls_error(
		    c, s, svc, NULL, dir, "service folder cannot be read");
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (ac_path_join(path, sizeof(path), dir, de->d_name)) {
			rc = ac_mark_calls_error(c, s, svc, NULL, dir,
			    "an entry's path is too long to read");
			continue;
		}
		isdir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
		len = strlen(de->d_name);
		if (!isdir && ends_with(de->d_name, ".json")) {
			ci = call_nocase(svc, de->d_name, len - 5);
			if (ci != NULL &&
			    strncmp(ci->call, de->d_name, len - 5) != 0)
				rc = ac_mark_calls_error(c, s, svc, ci->call,
				    path,
				    "output file name in unexpected case");
			continue;
		}
		if (isdir) {
			ci = call_nocase(svc, de->d_name, len);
			if (ci == NULL)
				rc = warn_unread(c, path,
				    "not a per-resource folder of a call "
				    "rampart reads");
			else if (strcmp(ci->call, de->d_name) != 0)
				rc = ac_mark_calls_error(c, s, svc, ci->call,
				    path,
				    "per-resource folder name in unexpected "
				    "case");
			else if (!ci->per_resource)
				rc = ac_mark_calls_error(c, s, svc, ci->call,
				    path,
				    "a folder stands where the call's output "
				    "file is expected");
			continue;
		}
		ci = call_nocase(svc, de->d_name, stem_len(de->d_name));
		if (ci == NULL)
			ci = call_nocase(svc, de->d_name, len);
		if (ci != NULL)
			rc = ac_mark_calls_error(c, s, svc, ci->call, path,
			    "output file without the '.json' extension");
		else
			rc = warn_unread(c, path, "not a '<call>.json' file");
	}
	closedir(dp);
	return rc;
}

/*
 * The service folders under an unknown folder of the root: their types'
 * evidence is not read (the folder is no region), so their markers
 * carry the error.  Returns how many were found, or -1.
 */
static int
check_unknown_dir(struct cli *c, const struct scope *s, const char *dir)
{
	char path[PATH_MAX];
	const char *svc;
	struct dirent *de;
	DIR *dp;
	int n = 0;

	if ((dp = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL) {
		svc = service_nocase(de->d_name, strlen(de->d_name));
		if (svc == NULL)
			continue;
		if (ac_path_join(path, sizeof(path), dir, de->d_name))
			continue;
		n++;
		if (ac_mark_calls_error(c, s, svc, NULL, path,
			"outputs under a folder that is not an AWS region "
			"name are not read")) {
			closedir(dp);
			return -1;
		}
	}
	closedir(dp);
	return n;
}

/*
 * The layout of scope s (the root, or a region folder): every entry is
 * a service folder in its exact case, a region folder (root), or
 * documentation; anything else is an error marker for the types it
 * could hold, or a warning when it can hold none.
 */
int
ac_check_layout(struct cli *c, const struct scope *s, int root)
{
	char path[PATH_MAX];
	const char *svc;
	struct dirent *de;
	struct stat st;
	int rc = 0, isdir, n;
	DIR *dp;

	if ((dp = opendir(s->dir)) == NULL)
		return 0;
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (ac_path_join(path, sizeof(path), s->dir, de->d_name)) {
			rc = warn_unread(
			    c, s->dir, "an entry's path is too long to read");
			continue;
		}
		isdir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
		svc = service_nocase(de->d_name,
		    isdir ? strlen(de->d_name) : stem_len(de->d_name));
		if (isdir && is_cli_service(de->d_name)) {
			if (!root && ac_is_global_service(de->d_name))
				rc = ac_mark_calls_error(c, s, de->d_name, NULL,
				    path,
				    "an account-wide service under a region "
				    "folder is not read");
			else
				rc = check_service_dir(c, s, de->d_name, path);
		} else if (isdir && root && src_is_region(de->d_name)) {
			continue;
		} else if (svc != NULL) {
			rc = ac_mark_calls_error(c, s, svc, NULL, path,
			    isdir ? "service folder name in unexpected case"
				  : "a file stands where the service folder "
				    "is expected");
		} else if (isdir) {
			if ((n = check_unknown_dir(c, s, path)) < 0)
				rc = -1;
			else if (n == 0)
				rc = warn_unread(c, path,
				    "not an AWS CLI service or region folder");
		} else if (!ends_with(de->d_name, ".md") &&
		    !ends_with(de->d_name, ".txt") &&
		    !(root && strcmp(de->d_name, COLLECTION_FILE) == 0)) {
			rc = warn_unread(c, path,
			    "not an AWS CLI output (<service>/<call>.json)");
		}
	}
	closedir(dp);
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
check_placebo_entry(struct cli *c, const struct scope *s, const char *name)
{
	char path[PATH_MAX], op[128], stem[256];
	const char *us = strrchr(name, '_');
	size_t i, len = us != NULL ? (size_t)(us - name) : stem_len(name);
	int hit = 0;

	if (ac_path_join(path, sizeof(path), s->dir, name))
		return 0;
	for (i = 0; i < ac_ncalls; i++) {
		ac_placebo_op(ac_calls[i].call, op, sizeof(op));
		snprintf(stem, sizeof(stem), "%s.%s",
		    ac_placebo_svc(ac_calls[i].svc), op);
		if (ac_calls[i].type == NULL || strlen(stem) != len ||
		    strncasecmp(stem, name, len) != 0)
			continue;
		hit = 1;
		if (ac_mark_calls_error(c, s, ac_calls[i].svc, ac_calls[i].call,
			path,
			"recording name not in the form "
			"'<service>.<Operation>_<N>.json'"))
			return -1;
	}
	return hit ? 0 : warn_unread(c, path, "not a placebo recording");
}

/* Index the recordings of a placebo root into c->rec; report the rest. */
int
ac_index_recordings(struct cli *c, const struct scope *s)
{
	struct precording *v;
	struct dirent *de;
	size_t cap = 0, slen, seq;
	DIR *dp;
	int rc = 0;

	if ((dp = opendir(s->dir)) == NULL)
		return diag_errno(
		    c->d, NULL, errno, "cannot read '%s'", s->dir);
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (!parse_recording(de->d_name, &slen, &seq)) {
			if (!ends_with(de->d_name, ".md") &&
			    !ends_with(de->d_name, ".txt"))
				rc = check_placebo_entry(c, s, de->d_name);
			continue;
		}
		if (c->nrec == cap) {
			cap = cap != 0 ? cap * 2 : 64;
			if ((v = arena_realloc(c->a, c->rec,
				 c->nrec * sizeof(*v), cap * sizeof(*v))) ==
			    NULL) {
				rc = diag_sys(c->d, NULL, "out of memory");
				break;
			}
			c->rec = v;
		}
		c->rec[c->nrec].seq = seq;
		if ((c->rec[c->nrec++].stem =
			    arena_strndup(c->a, de->d_name, slen)) == NULL)
			rc = diag_sys(c->d, NULL, "out of memory");
	}
	closedir(dp);
	if (rc == 0 && c->nrec > 0)
		qsort(c->rec, c->nrec, sizeof(*c->rec), ac_cmp_rec);
	return rc;
}

/* 2 placebo layout, 1 CLI layout, 0 neither.  Regions into *regions. */
int
ac_scan_root(const char *root, struct arena *a, char ***regions, size_t *nreg)
{
	struct dirent *de;
	DIR *dir;
	int kind = 0;
	char path[PATH_MAX];
	struct stat st;
	size_t cap = 0;
	char **v;

	if (regions != NULL)
		*regions = NULL, *nreg = 0;
	if ((dir = opendir(root)) == NULL)
		return 0;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (is_placebo_name(de->d_name) && kind == 0)
			kind = 2;
		snprintf(path, sizeof(path), "%s/%s", root, de->d_name);
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		if (is_cli_service(de->d_name))
			kind = 1;
		else if (src_is_region(de->d_name)) {
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
				(*regions)[(*nreg)++] =
				    arena_strdup(a, de->d_name);
			}
		}
	}
	closedir(dir);
	if (regions != NULL && *regions != NULL)
		qsort(*regions, *nreg, sizeof(char *), ac_cmp_str);
	return kind;
}
