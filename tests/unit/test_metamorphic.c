/*
 * test_metamorphic.c: deleting an attribute a check reads never turns
 * its verdict into `pass`.
 *
 * For every shipped AWS check and every fixture case of it
 * (tests/fixtures/aws-checks/<check>/<case>/, see test_aws_content.c),
 * each resource that passes is evaluated again with one attribute
 * removed, once per attribute the check read: the evidence paths its pass
 * result records, plus, for native plugins (whose pass evidence is capped
 * on long lists and names list elements, which are not deleted), the
 * attributes listed in `reads` below.  The resource goes
 * through the real pipeline: the aws-cli adapter reads the fixture, a
 * wrapping adapter deletes the attribute from that one resource, and the
 * engine evaluates the check as bound by a one-control baseline.  The
 * result must be fail or error, unless the rule declares absence of that
 * path compliant (`absent: pass`, read from the pack file).
 *
 * And deleting any one evidence file of a scan never makes a check or a
 * control pass (test_delete_evidence_file).
 */
#include "testutil.h"

#include <dirent.h>

#include "rules/rules.h"

#define FIX "tests/fixtures/aws-checks"
#define DEFAULT_NOW 1704067200
#define MAX_PATHS 64

/* Attributes native plugins read on every resource of these fixtures. */
static const struct {
	const char *check;
	const char *paths[8];
} reads[] = {
	{ "aws-ec2-nacl-no-admin-ports",
	    { "Entries", "Entries[*].Egress", "Entries[*].RuleAction",
		"Entries[*].RuleNumber", "Entries[*].Protocol" } },
	{ "aws-ec2-sg-no-admin-ports", { "IpPermissions" } },
	{ "aws-ec2-sg-no-all-ports", { "IpPermissions" } },
	{ "aws-iam-access-key-rotation",
	    { "Users", "Users[*].access_key_1_active",
		"Users[*].access_key_2_active",
		"Users[*].access_key_1_last_rotated" } },
	{ "aws-iam-console-mfa",
	    { "Users", "Users[*].password_enabled", "Users[*].mfa_active",
		"Users[*].user" } },
	{ "aws-iam-no-admin-policies",
	    { "PolicyVersion", "PolicyVersion.Document",
		"PolicyVersion.Document.Statement",
		"PolicyVersion.Document.Statement[*].Effect" } },
	{ "aws-iam-root-mfa",
	    { "Users", "Users[*].mfa_active", "Users[*].user" } },
	{ "aws-iam-root-no-access-keys",
	    { "Users", "Users[*].access_key_1_active",
		"Users[*].access_key_2_active", "Users[*].user" } },
	{ "aws-iam-unused-credentials",
	    { "Users", "Users[*].password_enabled",
		"Users[*].access_key_1_active",
		"Users[*].access_key_2_active" } },
	{ "aws-s3-tls-only-policy",
	    { "Policy", "Policy.Statement", "Policy.Statement[*].Effect",
		"Policy.Statement[*].Principal", "Policy.Statement[*].Action",
		"Policy.Statement[*].Condition" } },
};

/* Checks whose every read attribute may legitimately be absent. */
static const char *const absence_ok[] = { "aws-logs-retention", NULL };
/*
 * Checks no fixture can pass: aws-iam-root-mfa cannot tell a FIDO key
 * from a hardware TOTP token on what the exports hold (`error` at best).
 */
static const char *const never_pass[] = { "aws-iam-root-mfa", NULL };

struct expect {
	int64_t now;
	char params[1024];
};

static struct rule_set *rs;
static char tmpdir[64];

/* The mutation the wrapping adapter applies. */
static struct {
	const char *type, *id, *path;
	int deleted; /* how many nodes were removed */
} mut;

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

static int
read_expect(const char *dir, struct expect *e)
{
	char path[1100], line[512], *sp, *nl, *v;
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
		if ((sp = strchr(line, ' ')) == NULL)
			continue;
		*sp++ = '\0';
		if (strcmp(line, "now") == 0 && parse_time(sp, &e->now) != 0)
			break;
		if (strcmp(line, "param") == 0 &&
		    (v = strchr(sp, ' ')) != NULL) {
			*v++ = '\0';
			plen += (size_t)snprintf(e->params + plen,
			    sizeof(e->params) - plen, "%s%s: %s",
			    plen ? ", " : "", sp, v);
		}
	}
	fclose(fp);
	return plen < sizeof(e->params) ? 0 : -1;
}

/* ------------------------------------------------------ path deletion */

/* One step of a path: a key, an index, or a wildcard. */
struct step {
	char key[128];
	long index; /* -1: key step; -2: [*] or .* */
};

/* Split "a.b[*].c", "a[\"k.x\"]", "a[0]" into steps.  Count or -1. */
static int
split_path(const char *p, struct step *v, int max)
{
	int n = 0;
	size_t k;

	while (*p != '\0') {
		if (n == max)
			return -1;
		memset(&v[n], 0, sizeof(v[n]));
		v[n].index = -1;
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '[') {
			p++;
			if (*p == '*') {
				v[n].index = -2;
				p++;
			} else if (*p == '"') {
				for (p++, k = 0; *p != '\0' && *p != '"'; p++)
					if (k + 1 < sizeof(v[n].key))
						v[n].key[k++] = *p;
				if (*p == '"')
					p++;
			} else {
				v[n].index = strtol(p, (char **)&p, 10);
			}
			if (*p != ']')
				return -1;
			p++;
		} else if (*p == '*') {
			v[n].index = -2;
			p++;
		} else {
			for (k = 0; *p != '\0' && *p != '.' && *p != '['; p++)
				if (k + 1 < sizeof(v[n].key))
					v[n].key[k++] = *p;
		}
		n++;
	}
	return n;
}

/* Remove the node(s) the path selects, below n.  Returns the count. */
static int
delete_at(struct doc_node *n, const struct step *s, int ns)
{
	size_t i, j;
	int c = 0;

	if (n == NULL || ns == 0)
		return 0;
	if (ns == 1) {
		/* Only map keys are deleted: an attribute, not an element. */
		if (s->index != -1 || n->type != DOC_MAP)
			return 0;
		for (i = j = 0; i < n->u.map.n; i++) {
			if (strcmp(n->u.map.pairs[i].key->str, s->key) == 0) {
				c++;
				continue;
			}
			n->u.map.pairs[j++] = n->u.map.pairs[i];
		}
		n->u.map.n = j;
		return c;
	}
	if (s->index == -1)
		return n->type == DOC_MAP
		    ? delete_at(doc_get(n, s->key), s + 1, ns - 1)
		    : 0;
	if (s->index >= 0)
		return n->type == DOC_SEQ && (size_t)s->index < n->u.seq.n
		    ? delete_at(n->u.seq.items[s->index], s + 1, ns - 1)
		    : 0;
	if (n->type == DOC_SEQ)
		for (i = 0; i < n->u.seq.n; i++)
			c += delete_at(n->u.seq.items[i], s + 1, ns - 1);
	else if (n->type == DOC_MAP)
		for (i = 0; i < n->u.map.n; i++)
			c += delete_at(n->u.map.pairs[i].val, s + 1, ns - 1);
	return c;
}

/* ------------------------------------------------ the wrapping adapter */

struct wrap {
	resource_fn fn;
	void *ctx;
};

static int
mutate_cb(void *ctx, const struct resource *r, struct arena *a)
{
	struct wrap *w = ctx;
	struct resource copy;
	struct step steps[16];
	int ns;

	/* A listing marker (no id) is no resource to mutate. */
	if (mut.path == NULL || r->listing || strcmp(r->type, mut.type) != 0 ||
	    strcmp(r->id, mut.id) != 0)
		return w->fn(w->ctx, r, a);
	copy = *r;
	if ((copy.attrs = doc_copy(a, r->attrs)) == NULL)
		return -1;
	/* The unreadable map is the one in attrs: point into the copy. */
	if (r->unreadable != NULL)
		copy.unreadable = doc_get(copy.attrs, RESOURCE_UNREADABLE);
	ns = split_path(mut.path, steps, 16);
	if (ns > 0)
		mut.deleted += delete_at(copy.attrs, steps, ns);
	return w->fn(w->ctx, &copy, a);
}

static int
mutate_read(struct diag *d, const char *path, const struct load_limits *lim,
    resource_fn fn, void *ctx, size_t *nresources)
{
	struct wrap w = { fn, ctx };

	return adapter_find("aws-cli")->read(
	    d, path, lim, mutate_cb, &w, nresources);
}

static const struct adapter mutating = {
	.name = "aws-cli",
	.summary = "aws-cli with one attribute removed",
	.detect = NULL,
	.read = mutate_read,
};

/* ------------------------------------------------------------ running */

static struct run *
run_check(const char *check, const char *input, const struct expect *e,
    struct baseline **blp, struct diag *d)
{
	char path[128];
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
	load_limits_default(&ro.lim);
	if ((r = run_new(d, *blp, rs, NULL, &ro)) == NULL)
		return NULL;
	if (run_input(r, input, &mutating) != 0 || run_finish(r) != 0) {
		run_free(r);
		return NULL;
	}
	return r;
}

/*
 * Paths of leaves of rule `id` that declare `absent: pass`, from its
 * pack file.  Up to max, in out (pointers into the loaded tree, whose
 * arena the caller frees).
 */
static void
walk_absent_pass(const struct doc_node *n, const char **out, size_t *nout,
    size_t max, int depth)
{
	const struct doc_node *ab, *p;
	size_t i;

	if (n == NULL || depth > 32)
		return;
	if (n->type == DOC_MAP) {
		ab = doc_get(n, "absent");
		p = doc_get(n, "path");
		if (doc_str(ab) != NULL && strcmp(ab->str, "pass") == 0 &&
		    doc_str(p) != NULL && *nout < max)
			out[(*nout)++] = p->str;
		for (i = 0; i < n->u.map.n; i++)
			walk_absent_pass(
			    n->u.map.pairs[i].val, out, nout, max, depth + 1);
	} else if (n->type == DOC_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			walk_absent_pass(
			    n->u.seq.items[i], out, nout, max, depth + 1);
	}
}

static size_t
absent_pass_paths(
    struct arena *a, const struct rule *ru, const char **out, size_t max)
{
	struct doc_node *root, *checks, *c;
	struct diag d;
	size_t i, n = 0;

	diag_init(&d);
	root = doc_load_one(a, &d, ru->pack, DOC_FMT_YAML, NULL);
	diag_free(&d);
	checks = doc_get(root, "checks");
	for (i = 0; checks != NULL && i < checks->u.seq.n; i++) {
		c = checks->u.seq.items[i];
		if (doc_str(doc_get(c, "id")) != NULL &&
		    strcmp(doc_get(c, "id")->str, ru->id) == 0)
			walk_absent_pass(doc_get(c, "assert"), out, &n, max, 0);
	}
	return n;
}

static int
has_path(const char **v, size_t n, const char *p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], p) == 0)
			return 1;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **
subdirs(const char *dir)
{
	char **v = NULL, p[1400];
	struct dirent *de;
	struct stat st;
	size_t n = 0;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
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

/* A pass result to mutate, copied out of its run. */
struct target {
	char type[128], id[256];
	const char *paths[MAX_PATHS];
	size_t npaths;
};

/*
 * One case of one check: every passing resource, every read attribute
 * deleted in turn.  Adds to *tried and *failures.
 */
static void
mutate_case(const struct rule *ru, const char *dir, const char **okp,
    size_t nok, struct arena *a, size_t *tried, size_t *passes,
    size_t *failures)
{
	struct expect e;
	struct baseline *bl = NULL;
	struct run *r;
	struct diag d;
	struct target *tv = NULL;
	const struct check_result *res;
	size_t nt = 0, i, j, k, l;

	assert_int_equal(read_expect(dir, &e), 0);
	memset(&mut, 0, sizeof(mut));
	diag_init(&d);
	r = run_check(ru->id, dir, &e, &bl, &d);
	if (r == NULL)
		print_diag(&d);
	assert_non_null(r);
	for (i = 0; i < r->as.checks[0].n; i++) {
		res = &r->as.checks[0].results[i];
		if (res->status != ST_PASS)
			continue;
		tv = realloc(tv, (nt + 1) * sizeof(*tv));
		assert_non_null(tv);
		memset(&tv[nt], 0, sizeof(tv[nt]));
		snprintf(
		    tv[nt].type, sizeof(tv[nt].type), "%s", res->resource_type);
		snprintf(tv[nt].id, sizeof(tv[nt].id), "%s", res->resource_id);
		for (j = 0; j < res->nev; j++)
			if (res->ev[j].value != NULL &&
			    !has_path(
				tv[nt].paths, tv[nt].npaths, res->ev[j].path) &&
			    tv[nt].npaths < MAX_PATHS)
				tv[nt].paths[tv[nt].npaths++] =
				    arena_strdup(a, res->ev[j].path);
		for (j = 0; j < sizeof(reads) / sizeof(reads[0]); j++)
			if (strcmp(reads[j].check, ru->id) == 0)
				for (k = 0; k < 8 && reads[j].paths[k]; k++)
					if (!has_path(tv[nt].paths,
						tv[nt].npaths,
						reads[j].paths[k]) &&
					    tv[nt].npaths < MAX_PATHS)
						tv[nt].paths[tv[nt].npaths++] =
						    reads[j].paths[k];
		nt++;
	}
	run_free(r);
	baseline_free(bl);
	diag_free(&d);
	*passes += nt;
	for (i = 0; i < nt; i++)
		for (j = 0; j < tv[i].npaths; j++) {
			if (has_path(okp, nok, tv[i].paths[j]))
				continue;
			mut.type = tv[i].type;
			mut.id = tv[i].id;
			mut.path = tv[i].paths[j];
			mut.deleted = 0;
			diag_init(&d);
			r = run_check(ru->id, dir, &e, &bl, &d);
			if (r == NULL)
				print_diag(&d);
			assert_non_null(r);
			if (mut.deleted > 0) {
				(*tried)++;
				for (l = 0; l < r->as.checks[0].n; l++) {
					res = &r->as.checks[0].results[l];
					if (strcmp(res->resource_id, mut.id) ||
					    strcmp(
						res->resource_type, mut.type) ||
					    res->status != ST_PASS)
						continue;
					print_message("%s: %s '%s' without "
						      "'%s' still passes: %s\n",
					    dir, ru->id, mut.id, mut.path,
					    res->message ? res->message : "");
					(*failures)++;
				}
			}
			run_free(r);
			baseline_free(bl);
			diag_free(&d);
			memset(&mut, 0, sizeof(mut));
		}
	free(tv);
}

static void
test_delete_read_attribute(void **state)
{
	char dir[1024], **cases;
	const char *okp[32];
	size_t i, j, k, nok, tried, passes, failures = 0, total = 0,
					    nchecks = 0;
	struct arena *a;
	int exempt;

	(void)state;
	for (i = 0; i < rs->n; i++) {
		const struct rule *ru = rs->v[i];

		if (strncmp(ru->id, "aws-", 4) != 0)
			continue;
		nchecks++;
		a = arena_new();
		assert_non_null(a);
		nok = absent_pass_paths(a, ru, okp, 32);
		snprintf(dir, sizeof(dir), "%s/%s", FIX, ru->id);
		cases = subdirs(dir);
		assert_non_null(cases);
		tried = passes = 0;
		for (j = 0; cases[j] != NULL; j++) {
			snprintf(dir, sizeof(dir), "%s/%s/%s", FIX, ru->id,
			    cases[j]);
			mutate_case(
			    ru, dir, okp, nok, a, &tried, &passes, &failures);
		}
		free_list(cases);
		arena_free(a);
		for (k = 0, exempt = 0; absence_ok[k] != NULL; k++)
			exempt |= strcmp(absence_ok[k], ru->id) == 0;
		print_message("%-40s %3zu passing resources, %4zu deletions\n",
		    ru->id, passes, tried);
		for (k = 0; never_pass[k] != NULL; k++)
			if (strcmp(never_pass[k], ru->id) == 0 && passes == 0)
				exempt = 2;
		if ((passes == 0 && exempt != 2) || (tried == 0 && !exempt)) {
			print_message("%s: nothing exercised\n", ru->id);
			failures++;
		}
		total += tried;
	}
	assert_true(nchecks >= 30);
	assert_true(total > 100);
	assert_int_equal(failures, 0);
}

/* The deletion helper itself: keys, wildcards, no element removal. */
static void
test_delete_helper(void **state)
{
	struct arena *a = arena_new();
	struct diag d;
	struct doc_node **docs, *n;
	struct step s[16];
	size_t nd;
	const char *json =
	    "{\"A\": {\"B\": 1, \"C\": 2}, \"L\": [{\"X\": 1}, {\"X\": 2, "
	    "\"Y\": 3}], \"k.x\": {\"Z\": 1}}";

	(void)state;
	diag_init(&d);
	assert_int_equal(doc_load_buf(a, &d, "t.json", json, strlen(json),
			     DOC_FMT_JSON, NULL, &docs, &nd),
	    0);
	n = docs[0];
	assert_int_equal(delete_at(n, s, split_path("A.B", s, 16)), 1);
	assert_null(doc_get(doc_get(n, "A"), "B"));
	assert_non_null(doc_get(doc_get(n, "A"), "C"));
	assert_int_equal(delete_at(n, s, split_path("L[*].X", s, 16)), 2);
	assert_int_equal(delete_at(n, s, split_path("L[0]", s, 16)), 0);
	assert_int_equal(delete_at(n, s, split_path("L[1].Y", s, 16)), 1);
	assert_int_equal(delete_at(n, s, split_path("[\"k.x\"].Z", s, 16)), 1);
	assert_int_equal(delete_at(n, s, split_path("Nope.Z", s, 16)), 0);
	diag_free(&d);
	arena_free(a);
}

/* ------------------------------------------- deleting evidence files */

/* Statuses of one scan: per check, its status and pass count; per control. */
struct snap {
	size_t nchecks, ncontrols;
	char **check_ids;
	enum status *check_st;
	size_t *check_pass;
	enum status *control_st;
	enum verdict verdict;
};

static void
snap_free(struct snap *s)
{
	size_t i;

	for (i = 0; i < s->nchecks; i++)
		free(s->check_ids[i]);
	free(s->check_ids);
	free(s->check_st);
	free(s->check_pass);
	free(s->control_st);
	memset(s, 0, sizeof(*s));
}

/*
 * Scan dir against the shipped fedramp-moderate baseline (evidence age
 * unlimited: the fixture's files are as old as the checkout) into s.
 * 0, or -1 when the scan itself is refused (an input error).
 */
static int
snap_scan(const char *dir, struct snap *s)
{
	struct baseline *bl;
	struct run_opts ro;
	struct run *r;
	struct diag d;
	size_t i;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	diag_init(&d);
	bl = baseline_load(&d, "fedramp-moderate", rs);
	assert_non_null(bl);
	memset(&ro, 0, sizeof(ro));
	ro.now = DEFAULT_NOW;
	ro.max_results = 0;
	load_limits_default(&ro.lim);
	r = run_new(&d, bl, rs, NULL, &ro);
	assert_non_null(r);
	if (run_input(r, dir, NULL) == 0) {
		assert_int_equal(run_finish(r), 0);
		s->nchecks = r->as.nchecks;
		s->ncontrols = r->as.ncontrols;
		s->check_ids = calloc(r->as.nchecks + 1, sizeof(char *));
		s->check_st = calloc(r->as.nchecks + 1, sizeof(enum status));
		s->check_pass = calloc(r->as.nchecks + 1, sizeof(size_t));
		s->control_st =
		    calloc(r->as.ncontrols + 1, sizeof(enum status));
		assert_non_null(s->check_ids);
		assert_non_null(s->check_st);
		assert_non_null(s->check_pass);
		assert_non_null(s->control_st);
		for (i = 0; i < r->as.nchecks; i++) {
			s->check_ids[i] = strdup(r->as.checks[i].rule->id);
			s->check_st[i] = r->as.checks[i].status;
			s->check_pass[i] = r->as.checks[i].counts[ST_PASS];
		}
		for (i = 0; i < r->as.ncontrols; i++)
			s->control_st[i] = r->as.controls[i].status;
		s->verdict = r->as.verdict;
		rc = 0;
	}
	run_free(r);
	baseline_free(bl);
	diag_free(&d);
	return rc;
}

/* Every regular file under root (relative paths), into *v. */
static void
list_files(const char *root, const char *rel, char ***v, size_t *n)
{
	char path[2048], sub[1024];
	struct dirent *de;
	struct stat st;
	DIR *dp;

	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	dp = opendir(path);
	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
		    de->d_name);
		snprintf(path, sizeof(path), "%s/%s", root, sub);
		assert_int_equal(lstat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			list_files(root, sub, v, n);
		} else if (S_ISREG(st.st_mode)) {
			*v = realloc(*v, (*n + 1) * sizeof(char *));
			assert_non_null(*v);
			(*v)[(*n)++] = strdup(sub);
		}
	}
	closedir(dp);
}

/*
 * Delete any one evidence file of a scan: no check and no control may
 * become `pass` (so OSCAL `satisfied`) or `not_applicable` (a deleted
 * file proves nothing empty), and a check that still passes
 * must pass on exactly as many resources as before: a resource that
 * silently vanished with its file is a wrong pass.  The verdict may not
 * improve.  Run over every file of examples/aws-export, against the
 * shipped fedramp-moderate baseline and mapping.
 */
static void
test_delete_evidence_file(void **state)
{
	char dir[128], cmd[512], from[1024], to[1024], **files = NULL;
	struct snap before, after;
	size_t nfiles = 0, f, i, refused = 0, changed = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/export", tmpdir);
	snprintf(cmd, sizeof(cmd),
	    "rm -rf '%s' && cp -R examples/aws-export "
	    "'%s' && rm -f '%s/SOURCE.md'",
	    dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(snap_scan(dir, &before), 0);
	list_files(dir, "", &files, &nfiles);
	assert_true(nfiles >= 30);
	for (f = 0; f < nfiles; f++) {
		snprintf(from, sizeof(from), "%s/%s", dir, files[f]);
		snprintf(to, sizeof(to), "%s/deleted", tmpdir);
		assert_int_equal(rename(from, to), 0);
		if (snap_scan(dir, &after) == -1) {
			refused++;
			assert_int_equal(rename(to, from), 0);
			continue;
		}
		assert_int_equal(after.nchecks, before.nchecks);
		for (i = 0; i < after.nchecks; i++) {
			assert_string_equal(
			    after.check_ids[i], before.check_ids[i]);
			changed += after.check_st[i] != before.check_st[i];
			/* A deleted file never proves a type empty. */
			if (after.check_st[i] == ST_NOT_APPLICABLE &&
			    before.check_st[i] != ST_NOT_APPLICABLE) {
				print_error("deleting %s: check %s became "
					    "not_applicable (was %s)\n",
				    files[f], after.check_ids[i],
				    status_name(before.check_st[i]));
				fail();
			}
			if (after.check_st[i] != ST_PASS)
				continue;
			if (before.check_st[i] != ST_PASS ||
			    after.check_pass[i] != before.check_pass[i]) {
				print_error(
				    "deleting %s: check %s passes "
				    "(%zu resources; before: %s, %zu)\n",
				    files[f], after.check_ids[i],
				    after.check_pass[i],
				    status_name(before.check_st[i]),
				    before.check_pass[i]);
				fail();
			}
		}
		for (i = 0; i < after.ncontrols; i++)
			if (after.control_st[i] == ST_PASS &&
			    before.control_st[i] != ST_PASS) {
				print_error("deleting %s: control %zu passes\n",
				    files[f], i);
				fail();
			}
		if (before.verdict != VERDICT_ELIGIBLE)
			assert_int_not_equal(after.verdict, VERDICT_ELIGIBLE);
		snap_free(&after);
		assert_int_equal(rename(to, from), 0);
	}
	print_message("  %zu files deleted in turn: %zu check statuses "
		      "changed, %zu scans refused as empty\n",
	    nfiles, changed, refused);
	assert_true(changed > 0);
	snap_free(&before);
	for (f = 0; f < nfiles; f++)
		free(files[f]);
	free(files);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static int
setup(void **state)
{
	struct diag d;

	(void)state;
	setenv("RAMPART_RULES_DIR", "rules", 1);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/rampart-meta-XXXXXX");
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
	rmdir(tmpdir);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delete_helper),
		cmocka_unit_test(test_delete_read_attribute),
		cmocka_unit_test(test_delete_evidence_file),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name(
	    "metamorphic", tests, setup, teardown);
}
