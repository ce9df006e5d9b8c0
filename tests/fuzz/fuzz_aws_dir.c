/*
 * fuzz_aws_dir.c: mutated AWS CLI export directories through the adapters
 * and the engine, asserting the honesty property of issue 12: no mutation
 * of the evidence turns a check into `pass` or `not_applicable` that was
 * not so before, and a check that still passes passes on exactly as many
 * resources (a resource that vanished with its evidence is a wrong pass).
 *
 * The base is examples/aws-export (or $RAMPART_FUZZ_EXPORT), copied once
 * into a temporary folder.  The input is a list of operations, two bytes
 * each: the first picks the mutation, the second the file:
 *   0 delete the file        1 cut it in half
 *   2 replace it by {}       3 add "NextToken" to its top-level object
 *   4 upper-case its name    5 replace it by a directory
 *   6 empty it (zero bytes)  7 append a second document
 * Each input starts from the pristine copy.  A scan refused as an input
 * error is fine; a crash or a wrong pass aborts.  Which checks read a
 * file is learnt once by deleting it: those checks may not pass on a
 * listing left with a NextToken.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILES 256
#define NOW 1704067200

struct state {
	char base[64], work[96];
	char *files[MAX_FILES];
	size_t nfiles;
	struct rule_set *rs;
	struct baseline *bl;
	size_t nchecks;
	enum status *st;
	size_t *pass;
	/* dep[f][c]: deleting file f changes check c (c reads f). */
	unsigned char *dep[MAX_FILES];
};

static struct state S;

static void
list(const char *root, const char *rel)
{
	char path[1024], sub[512];
	struct dirent *de;
	struct stat st;
	DIR *dp;

	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	if ((dp = opendir(path)) == NULL)
		abort();
	while ((de = readdir(dp)) != NULL && S.nfiles < MAX_FILES) {
		if (de->d_name[0] == '.' ||
		    strcmp(de->d_name, "SOURCE.md") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
		    de->d_name);
		snprintf(path, sizeof(path), "%s/%s", root, sub);
		if (lstat(path, &st) != 0)
			abort();
		if (S_ISDIR(st.st_mode))
			list(root, sub);
		else if (S_ISREG(st.st_mode))
			S.files[S.nfiles++] = strdup(sub);
	}
	closedir(dp);
}

/* Scan S.work; statuses into st/pass (allocated), or -1 when refused. */
static int
scan(enum status **st, size_t **pass, size_t *n)
{
	struct run_opts ro;
	struct run *r;
	struct diag d;
	size_t i;
	int rc = -1;

	diag_init(&d);
	memset(&ro, 0, sizeof(ro));
	ro.now = NOW;
	load_limits_default(&ro.lim);
	if ((r = run_new(&d, S.bl, S.rs, NULL, &ro)) == NULL)
		abort();
	if (run_input(r, S.work, NULL) == 0) {
		if (run_finish(r) != 0)
			abort();
		*n = r->as.nchecks;
		*st = calloc(r->as.nchecks + 1, sizeof(**st));
		*pass = calloc(r->as.nchecks + 1, sizeof(**pass));
		if (*st == NULL || *pass == NULL)
			abort();
		for (i = 0; i < r->as.nchecks; i++) {
			(*st)[i] = r->as.checks[i].status;
			(*pass)[i] = r->as.checks[i].counts[ST_PASS];
		}
		rc = 0;
	} else if (d.nerrors == 0) {
		abort(); /* a refusal must say why */
	}
	run_free(r);
	diag_free(&d);
	return rc;
}

/* Replace the work copy by a fresh copy of the pristine one. */
static void
reset_work(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -R '%s/pristine' '%s'",
	    S.work, S.base, S.work);
	if (system(cmd) != 0)
		abort();
}

static void work_path(size_t i, char *out, size_t len);

/* Which checks read each file: those whose result changes without it. */
static void
deps(void)
{
	enum status *st;
	size_t *pass, n, f, c;
	char p[1024];

	for (f = 0; f < S.nfiles; f++) {
		if ((S.dep[f] = calloc(S.nchecks + 1, 1)) == NULL)
			abort();
		work_path(f, p, sizeof(p));
		unlink(p);
		if (scan(&st, &pass, &n) == 0) {
			for (c = 0; c < n; c++)
				S.dep[f][c] =
				    st[c] != S.st[c] || pass[c] != S.pass[c];
			free(st);
			free(pass);
		}
		reset_work();
	}
}

static void
init(void)
{
	const char *src = getenv("RAMPART_FUZZ_EXPORT");
	struct diag d;

	if (src == NULL)
		src = "examples/aws-export";
	setenv("RAMPART_RULES_DIR", "rules", 0);
	snprintf(S.base, sizeof(S.base), "/tmp/rampart-fuzz-dir-XXXXXX");
	if (mkdtemp(S.base) == NULL)
		abort();
	snprintf(S.work, sizeof(S.work), "%s/work", S.base);
	{
		char cmd[1024];

		snprintf(
		    cmd, sizeof(cmd), "cp -R '%s' '%s/pristine'", src, S.base);
		if (system(cmd) != 0)
			abort();
	}
	list(S.base, "pristine");
	diag_init(&d);
	if ((S.rs = rule_set_new()) == NULL ||
	    rule_set_load_shipped(S.rs, &d) != 0 ||
	    (S.bl = baseline_load(&d, "fedramp-moderate", S.rs)) == NULL) {
		diag_print(&d, stderr, 0, 0);
		abort();
	}
	diag_free(&d);
	reset_work();
	/* work/ is a copy of pristine/: file names are relative to it. */
	if (scan(&S.st, &S.pass, &S.nchecks) != 0)
		abort();
	deps();
}

/* Path of file i under the work copy. */
static void
work_path(size_t i, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", S.work, S.files[i] + strlen("pristine/"));
}

/* Whether file i is a listing call's output (describe-*, list-*). */
static int
is_listing(size_t i)
{
	const char *b = strrchr(S.files[i], '/');

	b = b ? b + 1 : S.files[i];
	return strncmp(b, "describe-", 9) == 0 || strncmp(b, "list-", 5) == 0;
}

/*
 * Apply mutation op to file i.  Returns 1 when it left a listing that
 * says it is incomplete (a NextToken): every check reading the file must
 * then not pass.
 */
static int
mutate(unsigned op, size_t i)
{
	char p[1024], q[1100], *buf = NULL, *s;
	size_t len = 0, k;
	FILE *fp;
	struct stat st;

	int truncated = 0;

	work_path(i, p, sizeof(p));
	if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode))
		return 0; /* already mutated away */
	if ((fp = fopen(p, "rb")) != NULL) {
		buf = malloc((size_t)st.st_size + 1);
		if (buf == NULL)
			abort();
		len = fread(buf, 1, (size_t)st.st_size, fp);
		buf[len] = '\0';
		fclose(fp);
	}
	switch (op % 8) {
	case 0:
		unlink(p);
		break;
	case 1:
		if (truncate(p, (off_t)(len / 2)) != 0)
			abort();
		break;
	case 2:
		if ((fp = fopen(p, "wb")) == NULL)
			abort();
		fputs("{}", fp);
		fclose(fp);
		break;
	case 3:
		/*
		 * Into the response object: the top level of a CLI output,
		 * or "data" of a recorded {status_code, data} response.
		 */
		s = buf != NULL ? strstr(buf, "\"data\"") : NULL;
		s = s != NULL     ? strchr(s, '{')
		    : buf != NULL ? strchr(buf, '{')
				  : NULL;
		if (s != NULL && (fp = fopen(p, "wb")) != NULL) {
			fwrite(buf, 1, (size_t)(s - buf) + 1, fp);
			fputs("\"NextToken\": \"eyJmdXp6Ijp0cnVlfQ==\", ", fp);
			fputs(s + 1, fp);
			fclose(fp);
			truncated = is_listing(i);
		}
		break;
	case 4:
		snprintf(q, sizeof(q), "%s", p);
		s = strrchr(q, '/');
		for (k = s ? (size_t)(s - q) + 1 : 0; q[k] != '\0'; k++)
			if (q[k] >= 'a' && q[k] <= 'z')
				q[k] = (char)(q[k] - 'a' + 'A');
		if (strcmp(p, q) != 0 && rename(p, q) != 0)
			abort();
		break;
	case 5:
		unlink(p);
		if (mkdir(p, 0700) != 0)
			abort();
		break;
	case 6:
		if (truncate(p, 0) != 0)
			abort();
		break;
	case 7:
		if ((fp = fopen(p, "ab")) != NULL) {
			fputs("\n{\"second\": true}\n", fp);
			fclose(fp);
		}
		break;
	}
	free(buf);
	return truncated;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum status *st = NULL;
	size_t *pass = NULL, n = 0, i, c;
	unsigned char paged[MAX_FILES];

	if (S.rs == NULL)
		init();
	if (size < 2 || size > 64)
		return 0;
	reset_work();
	memset(paged, 0, sizeof(paged));
	for (i = 0; i + 1 < size; i += 2)
		if (mutate(data[i], data[i + 1] % S.nfiles))
			paged[data[i + 1] % S.nfiles] = 1;
	if (scan(&st, &pass, &n) == 0) {
		if (n != S.nchecks)
			abort();
		for (i = 0; i < n; i++) {
			if (st[i] == ST_NOT_APPLICABLE &&
			    S.st[i] != ST_NOT_APPLICABLE) {
				fprintf(stderr,
				    "check %zu became "
				    "not_applicable\n",
				    i);
				abort();
			}
			if (st[i] == ST_PASS &&
			    (S.st[i] != ST_PASS || pass[i] != S.pass[i])) {
				fprintf(stderr,
				    "check %zu passes on %zu resources "
				    "(before: %s on %zu)\n",
				    i, pass[i], status_name(S.st[i]),
				    S.pass[i]);
				abort();
			}
		}
		for (i = 0; i < S.nfiles; i++)
			for (c = 0; paged[i] && c < n; c++)
				if (S.dep[i][c] && st[c] == ST_PASS) {
					fprintf(stderr,
					    "check %zu passes on %s although "
					    "the listing has a NextToken\n",
					    c, S.files[i]);
					abort();
				}
	}
	free(st);
	free(pass);
	return 0;
}
