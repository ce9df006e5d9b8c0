/*
 * test_check_fixtures.c: every shipped check of every provider against its
 * fixtures, tests/fixtures/P-checks/<check>/<case>/ (P: aws, azure, gcp,
 * oci, k8s, the prefix of the check id): small exports made from real
 * recordings (README.md there says where each file comes from) with an
 * `expect` file:
 *
 *	now 2016-12-01T00:00:00Z	evaluation time (default 2024-01-01)
 *	param NAME YAML-VALUE		parameter bound by the baseline
 *	adapter NAME			the adapter (default: aws-cli for
 *					aws, else detected)
 *	input RELATIVE-PATH		the input (default: the case dir)
 *	STATUS RESOURCE-ID		one line per resource, exact
 *
 * Each case runs through the real pipeline: the shipped rule set
 * (rule_set_load_shipped), a baseline with one control binding the check,
 * the adapter, run_finish.  The results must be exactly the expected
 * resources with the expected statuses; every shipped check must have a
 * passing and a failing resource among its cases; every required AWS
 * check must be `error`, not not_applicable, when its export is missing.
 */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>

#include "rules/rules.h"

/* Check id prefixes with a fixture folder tests/fixtures/P-checks each. */
static const char *const prefixes[] = { "aws", "azure", "gcp", "oci", "k8s" };
#define DEFAULT_NOW 1704067200 /* 2024-01-01T00:00:00Z */
#define MAX_EXPECT 64

struct expect_line {
	enum status st;
	char id[256];
};

struct expect {
	int64_t now;
	char adapter[64]; /* empty: the prefix's default */
	char input[512]; /* relative to the case dir; empty: the dir */
	char params[1024]; /* YAML flow-map body: "a: 1, b: x" */
	struct expect_line v[MAX_EXPECT];
	size_t n;
};

static struct rule_set *rs;
static char tmpdir[64];

static void
print_diag(const struct diag *d)
{
	char buf[2048];
	size_t i;

	for (i = 0; i < d->n; i++) {
		diag_format(d, i, buf, sizeof(buf));
		print_message("  diag: %s\n", buf);
	}
}

/* Parse dir/expect into e.  0 or -1. */
static int
read_expect(const char *dir, struct expect *e)
{
	char path[1100], line[512], *sp, *nl;
	FILE *fp;
	size_t plen = 0;

	memset(e, 0, sizeof(*e));
	e->now = DEFAULT_NOW;
	snprintf(path, sizeof(path), "%s/expect", dir);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if ((sp = strchr(line, ' ')) == NULL)
			goto bad;
		*sp++ = '\0';
		if (strcmp(line, "now") == 0) {
			if (parse_time(sp, &e->now) != 0)
				goto bad;
		} else if (strcmp(line, "adapter") == 0) {
			snprintf(e->adapter, sizeof(e->adapter), "%s", sp);
		} else if (strcmp(line, "input") == 0) {
			if (sp[0] == '/' || strstr(sp, "..") != NULL)
				goto bad;
			snprintf(e->input, sizeof(e->input), "%s", sp);
		} else if (strcmp(line, "param") == 0) {
			char *v = strchr(sp, ' ');

			if (v == NULL)
				goto bad;
			*v++ = '\0';
			plen += (size_t)snprintf(e->params + plen,
			    sizeof(e->params) - plen, "%s%s: %s",
			    plen ? ", " : "", sp, v);
			if (plen >= sizeof(e->params))
				goto bad;
		} else {
			if (e->n == MAX_EXPECT ||
			    status_parse(line, &e->v[e->n].st) != 0)
				goto bad;
			snprintf(
			    e->v[e->n].id, sizeof(e->v[e->n].id), "%s", sp);
			e->n++;
		}
	}
	fclose(fp);
	return 0;
bad:
	print_message("%s: bad line '%s'\n", path, line);
	fclose(fp);
	return -1;
}

/*
 * Run one check on an input directory: a baseline with one automated
 * control binding the check (with params), the aws-cli adapter.  Returns
 * the run (caller frees run and baseline) or NULL.
 */
static struct run *
run_check(const char *check, const char *input, const struct expect *e,
    struct baseline **blp, struct diag *d)
{
	const struct adapter *ad =
	    strncmp(check, "aws-", 4) == 0 ? adapter_find("aws-cli") : NULL;
	char path[128], in[1600];
	struct run_opts ro;
	struct run *r;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/baseline.yaml", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp,
	    "id: t\ntitle: t\nimpact: moderate\ncontrols:\n"
	    "  - id: ca-7\n    checks:\n      - id: %s\n"
	    "        params: {%s}\n",
	    check, e->params);
	fclose(fp);
	if ((*blp = baseline_load(d, path, rs)) == NULL)
		return NULL;
	memset(&ro, 0, sizeof(ro));
	ro.now = e->now;
	ro.max_results = 0;
	load_limits_default(&ro.lim);
	if ((r = run_new(d, *blp, rs, NULL, &ro)) == NULL)
		return NULL;
	if (e->adapter[0] != '\0' && (ad = adapter_find(e->adapter)) == NULL) {
		diag_err(d, NULL, "no adapter '%s'", e->adapter);
		run_free(r);
		return NULL;
	}
	if (e->input[0] != '\0') {
		snprintf(in, sizeof(in), "%s/%s", input, e->input);
		input = in;
	}
	if (run_input(r, input, ad) != 0 || run_finish(r) != 0) {
		run_free(r);
		return NULL;
	}
	return r;
}

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted subdirectory names of dir (NULL-terminated, caller frees). */
static char **
subdirs(const char *dir)
{
	char **v = NULL, p[1400];
	struct dirent *de;
	size_t n = 0;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (!is_dir(p))
			continue;
		v = realloc(v, (n + 2) * sizeof(*v));
		assert_non_null(v);
		v[n++] = strdup(de->d_name);
		v[n] = NULL;
	}
	closedir(dp);
	if (v != NULL)
		qsort(v, n, sizeof(*v), cmp_str);
	return v;
}

static void
free_list(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static int
setup(void **state)
{
	struct diag d;

	(void)state;
	setenv("RAMPART_RULES_DIR", "rules", 1);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/rampart-aws-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	diag_init(&d);
	rs = rule_set_new();
	if (rs == NULL || rule_set_load_shipped(rs, &d) != 0) {
		print_diag(&d);
		diag_free(&d);
		return -1;
	}
	diag_free(&d);
	return 0;
}

static int
teardown(void **state)
{
	char p[128];

	(void)state;
	rule_set_free(rs);
	snprintf(p, sizeof(p), "%s/baseline.yaml", tmpdir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/empty/iam", tmpdir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/empty", tmpdir);
	rmdir(p);
	rmdir(tmpdir);
	return 0;
}

/* Every shipped AWS check, at least 30, each with controls. */
static void
test_shipped_checks(void **state)
{
	size_t i, naws = 0;

	(void)state;
	for (i = 0; i < rs->n; i++) {
		if (strncmp(rs->v[i]->id, "aws-", 4) != 0)
			continue;
		naws++;
		/* Controls come from the mapping: test_mapping.c
		 * checks_are_mapped. */
		assert_non_null(rs->v[i]->remediation);
		assert_non_null(rs->v[i]->description);
		assert_true(rs->v[i]->ntypes > 0);
	}
	assert_true(naws >= 30);
}

/* The cases of the checks whose ids start with prefix: failures. */
static size_t
prefix_fixtures(const char *prefix, size_t *ncasesp)
{
	char **checks, **cases, dir[1024], fix[128], pre[32];
	size_t i, j, k, l, failures = 0, ncases = 0;

	snprintf(fix, sizeof(fix), "tests/fixtures/%s-checks", prefix);
	snprintf(pre, sizeof(pre), "%s-", prefix);
	checks = subdirs(fix);
	for (i = 0; checks != NULL && checks[i] != NULL; i++)
		if (rule_find(rs, checks[i]) == NULL) {
			print_message("%s/%s: no shipped check of that id\n",
			    fix, checks[i]);
			failures++;
		}
	for (i = 0; i < rs->n; i++) {
		const char *id = rs->v[i]->id;
		int seen[ST_COUNT] = { 0 };

		if (strncmp(id, pre, strlen(pre)) != 0)
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", fix, id);
		if ((cases = subdirs(dir)) == NULL) {
			print_message("%s: no fixtures\n", id);
			failures++;
			continue;
		}
		for (j = 0; cases[j] != NULL; j++) {
			struct expect e;
			struct baseline *bl = NULL;
			struct run *r;
			struct diag d;
			const struct check_outcome *o;
			int *used;

			snprintf(
			    dir, sizeof(dir), "%s/%s/%s", fix, id, cases[j]);
			ncases++;
			if (read_expect(dir, &e) != 0) {
				failures++;
				continue;
			}
			diag_init(&d);
			r = run_check(id, dir, &e, &bl, &d);
			if (r == NULL) {
				print_message("%s: run failed\n", dir);
				print_diag(&d);
				failures++;
				baseline_free(bl);
				diag_free(&d);
				continue;
			}
			assert_int_equal(r->as.nchecks, 1);
			o = &r->as.checks[0];
			used = calloc(o->n + 1, sizeof(*used));
			assert_non_null(used);
			for (k = 0; k < e.n; k++) {
				for (l = 0; l < o->n; l++)
					if (!used[l] &&
					    strcmp(o->results[l].resource_id,
						e.v[k].id) == 0)
						break;
				if (l == o->n) {
					print_message(
					    "%s: no result for '%s'\n", dir,
					    e.v[k].id);
					failures++;
					continue;
				}
				used[l] = 1;
				seen[o->results[l].status]++;
				if (o->results[l].status != e.v[k].st) {
					print_message("%s: '%s' is %s (%s), "
						      "expected %s\n",
					    dir, e.v[k].id,
					    status_name(o->results[l].status),
					    o->results[l].message
						? o->results[l].message
						: "",
					    status_name(e.v[k].st));
					failures++;
				}
			}
			for (l = 0; l < o->n; l++)
				if (!used[l]) {
					print_message("%s: unexpected result "
						      "%s '%s'\n",
					    dir,
					    status_name(o->results[l].status),
					    o->results[l].resource_id);
					failures++;
				}
			free(used);
			run_free(r);
			baseline_free(bl);
			diag_free(&d);
		}
		free_list(cases);
		/*
		 * aws-iam-root-mfa cannot pass on what the adapter exports
		 * (root's own device list is not collected): its compliant
		 * twin is `error` (device type unknown), never a pass.
		 */
		if ((!seen[ST_PASS] &&
			!(strcmp(id, "aws-iam-root-mfa") == 0 &&
			    seen[ST_ERROR])) ||
		    !seen[ST_FAIL]) {
			print_message("%s: fixtures need a passing and a "
				      "failing resource (pass %d, fail %d)\n",
			    id, seen[ST_PASS], seen[ST_FAIL]);
			failures++;
		}
	}
	free_list(checks);
	print_message("%s: %zu fixture cases\n", prefix, ncases);
	*ncasesp = ncases;
	return failures;
}

/*
 * Every case of every check of every provider: exact statuses per
 * resource.  Every shipped check has fixtures with a passing and a
 * failing resource; every fixture directory names a shipped check.
 */
static void
test_fixtures(void **state)
{
	size_t i, n, failures = 0;

	(void)state;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		failures += prefix_fixtures(prefixes[i], &n);
		if (i == 0)
			assert_true(n >= 60); /* the AWS cases */
	}
	assert_int_equal(failures, 0);
}

/*
 * Absent is not empty: an export that holds only CloudWatch log groups
 * has no evidence for any other check, and every shipped AWS check whose
 * types it does not list is `error` (incomplete), never a silent
 * not_applicable or pass.  Generated over the whole rule set, so a new
 * check is covered without a list to maintain.
 */
static void
test_required_missing(void **state)
{
	char dir[128], file[256], cmd[512];
	struct expect e;
	size_t i, j, n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/only-logs/logs", tmpdir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(file, sizeof(file), "%s/describe-log-groups.json", dir);
	snprintf(cmd, sizeof(cmd),
	    "cp examples/aws-export/logs/describe-log-groups.json '%s'", file);
	assert_int_equal(system(cmd), 0);
	snprintf(dir, sizeof(dir), "%s/only-logs", tmpdir);
	memset(&e, 0, sizeof(e));
	e.now = DEFAULT_NOW;
	for (i = 0; i < rs->n; i++) {
		const struct rule *ru = rs->v[i];
		struct baseline *bl = NULL;
		struct diag d;
		struct run *r;
		int logs = 0;

		if (strncmp(ru->id, "aws-", 4) != 0)
			continue;
		for (j = 0; j < ru->ntypes; j++)
			logs |=
			    strcmp(ru->types[j], "AWS::Logs::LogGroup") == 0;
		if (logs)
			continue;
		diag_init(&d);
		r = run_check(ru->id, dir, &e, &bl, &d);
		if (r == NULL)
			print_diag(&d);
		assert_non_null(r);
		if (r->as.checks[0].status != ST_ERROR)
			print_message("%s: %s on an export without its "
				      "evidence\n",
			    ru->id, status_name(r->as.checks[0].status));
		assert_int_equal(r->as.checks[0].status, ST_ERROR);
		/* Missing evidence, or a listing the adapter knows is
		 * missing (a region without its settings file). */
		if (r->as.checks[0].why == NULL ||
		    strstr(r->as.checks[0].why, "no listing of") == NULL) {
			if (r->as.checks[0].counts[ST_ERROR] == 0)
				print_message(
				    "%s: error without a reason\n", ru->id);
			assert_true(r->as.checks[0].counts[ST_ERROR] > 0);
			print_message("%s: %s\n", ru->id,
			    r->as.checks[0].results[0].message);
		}
		assert_int_not_equal(r->as.verdict, VERDICT_ELIGIBLE);
		run_free(r);
		baseline_free(bl);
		diag_free(&d);
		n++;
	}
	assert_true(n >= 30);
}

/* The shipped example baseline binds every shipped AWS check. */
static void
test_example_baseline(void **state)
{
	struct baseline *bl;
	struct diag d;
	size_t i, j, k;
	int found;

	(void)state;
	diag_init(&d);
	bl = baseline_load(&d, "rules/baselines/example.yaml", rs);
	if (bl == NULL)
		print_diag(&d);
	assert_non_null(bl);
	for (i = 0; i < rs->n; i++) {
		if (strncmp(rs->v[i]->id, "aws-", 4) != 0)
			continue;
		found = 0;
		for (j = 0; j < bl->ncontrols; j++)
			for (k = 0; k < bl->controls[j].nchecks; k++)
				if (bl->controls[j].checks[k].rule == rs->v[i])
					found = 1;
		if (!found)
			print_message("%s is not bound\n", rs->v[i]->id);
		assert_true(found);
	}
	baseline_free(bl);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_checks),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_required_missing),
		cmocka_unit_test(test_example_baseline),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name(
	    "check_fixtures", tests, setup, teardown);
}
