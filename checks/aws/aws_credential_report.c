/*
 * aws_credential_report.c: checks over the IAM credential report
 * (AWS::IAM::CredentialReport, whose Users hold one map per CSV row, and
 * AWS::IAM::User, whose CredentialReport holds its row).
 *
 * Parameter `check` selects one of: console_mfa, key_rotation,
 * unused_credentials, root_access_keys, root_mfa.  Thresholds come from
 * the baseline (max_key_age_days, max_unused_days).  Values the report
 * leaves unknown ("N/A", "no_information") never pass by accident: an
 * unused credential's age is measured from its creation instead, and a
 * date that cannot be read is `error`.  A column the row lacks is not
 * such a value but a malformed report: `error`, never a fallback.
 *
 * Before any check reads a report, its shape is verified (report_defect):
 * rows present, exactly one <root_account> row, every row of the same
 * width with text values and no line break inside a name or value (CR-only
 * line endings merge rows).  A defect is `error` for every check.
 */
#include <string.h>

#include "checks/aws/aws.h"

#define DAY 86400
/*
 * Evidence kept per resource: the columns of up to this many offending
 * rows, and up to this many entries from rows without a finding (the
 * message counts every finding).
 */
#define MAX_EVIDENCE 25
/* Columns one row's evaluation may read. */
#define MAX_READ 12

enum cr_check {
	CR_CONSOLE_MFA,
	CR_KEY_ROTATION,
	CR_UNUSED,
	CR_ROOT_KEYS,
	CR_ROOT_MFA,
};

static const char *const cr_names[] = { "console_mfa", "key_rotation",
	"unused_credentials", "root_access_keys", "root_mfa", NULL };

/* The columns of access key 1 and 2. */
static const struct {
	const char *active, *rotated, *used;
} key_cols[] = {
	{ "access_key_1_active", "access_key_1_last_rotated",
	    "access_key_1_last_used_date" },
	{ "access_key_2_active", "access_key_2_last_rotated",
	    "access_key_2_last_used_date" },
};

/* The evaluation of one row. */
struct cr_eval {
	struct check_ctx *c;
	enum cr_check which;
	int64_t max_key_age, max_unused;
	size_t nfail, nerr;
	const char *first_fail, *first_err;
	const char *prefix; /* evidence path prefix */
	/* The columns the current row's evaluation read, in order. */
	const char *read[MAX_READ];
	size_t nread;
	size_t nev_clean; /* evidence entries of rows without a finding */
};

static void
note_fail(struct cr_eval *e, const char *msg)
{
	if (e->nfail++ == 0)
		e->first_fail = msg;
}

static void
note_err(struct cr_eval *e, const char *msg)
{
	if (e->nerr++ == 0)
		e->first_err = msg;
}

static const char *
user_of(const struct doc_node *row)
{
	const char *u = doc_str(doc_get(row, "user"));

	return u != NULL ? u : "?";
}

/*
 * The value of a column of row, recorded as read.  A row without the
 * column (a truncated row, or a report without that column) is a
 * malformed report: an error is noted and NULL returned, so that it is
 * never mistaken for one of the report's own "no value" markers.
 */
static const char *
column(struct cr_eval *e, const struct doc_node *row, const char *field)
{
	const char *s;
	size_t i;

	for (i = 0; i < e->nread && strcmp(e->read[i], field) != 0; i++)
		;
	if (i == e->nread && e->nread < MAX_READ)
		e->read[e->nread++] = field;
	if ((s = doc_str(doc_get(row, field))) == NULL)
		note_err(e,
		    arena_printf(check_arena(e->c),
			"user '%s': the credential report has no '%s' "
			"column (truncated row or malformed report)",
			user_of(row), field));
	return s;
}

/* "true" 1, "false" 0, other -1 (an error noted), missing -2 (noted). */
static int
truth(struct cr_eval *e, const struct doc_node *row, const char *field)
{
	const char *s = column(e, row, field);

	if (s == NULL)
		return -2;
	if (strcmp(s, "true") == 0)
		return 1;
	if (strcmp(s, "false") == 0)
		return 0;
	note_err(e,
	    arena_printf(check_arena(e->c),
		"user '%s': %s is '%s', not true "
		"or false",
		user_of(row), field, s));
	return -1;
}

static int is_root(const struct doc_node *row);

/*
 * A date column: 1 with *t, 0 for the report's documented markers of
 * "none" or "unknown", -1 when the column is missing or holds anything
 * else (an error is noted, naming the row, the column and the value).
 * The markers (IAM User Guide, "Getting credential reports"): `N/A` in
 * any date column (no such credential, or never used); `no_information`
 * only in a last-used column (not used since tracking began); and
 * `not_supported` only in the root account's row.  A date is an RFC 3339
 * date-time read by the strict time_parse(): NaN, epoch seconds or
 * 2025-02-29 are errors, never a time.
 */
static int
date_col(struct cr_eval *e, const struct doc_node *row, const char *field,
    int64_t *t)
{
	const char *s = column(e, row, field), *why;
	const struct doc_node *n;
	struct time_error err;
	size_t flen = strlen(field);
	int last_used;

	if (s == NULL)
		return -1;
	n = doc_get(row, field);
	last_used =
	    (flen >= 10 && strcmp(field + flen - 10, "_last_used") == 0) ||
	    (flen >= 15 && strcmp(field + flen - 15, "_last_used_date") == 0);
	if (strcmp(s, "N/A") == 0 ||
	    (last_used && strcmp(s, "no_information") == 0) ||
	    (is_root(row) && strcmp(s, "not_supported") == 0))
		return 0;
	if (strcmp(s, "no_information") == 0)
		why = "'no_information' is only documented for last-used "
		      "columns";
	else if (strcmp(s, "not_supported") == 0)
		why = "'not_supported' is only documented for the root "
		      "account";
	else if (time_parse(s, n->len, TIME_DATETIME, t, &err) != -1)
		return 1;
	else
		why = err.why;
	note_err(e,
	    arena_printf(check_arena(e->c),
		"user '%s': %s '%s' is not a date (%s) at %s%s%s", user_of(row),
		field, s, why, e->prefix, field,
		n->mark.file != NULL
		    ? arena_printf(check_arena(e->c), ", %s:%u:%u",
			  n->mark.file, n->mark.line, n->mark.col)
		    : ""));
	return -1;
}

static void
row_console_mfa(struct cr_eval *e, const struct doc_node *row)
{
	struct arena *a = check_arena(e->c);

	if (truth(e, row, "password_enabled") != 1)
		return;
	if (truth(e, row, "mfa_active") == 0)
		note_fail(e,
		    arena_printf(a,
			"user '%s' has a console password and no MFA",
			user_of(row)));
}

static void
row_keys(struct cr_eval *e, const struct doc_node *row)
{
	struct arena *a = check_arena(e->c);
	int64_t now = check_now(e->c), t = 0, age;
	size_t k;
	int d;

	for (k = 0; k < sizeof(key_cols) / sizeof(key_cols[0]); k++) {
		if (truth(e, row, key_cols[k].active) != 1)
			continue;
		if (e->which == CR_KEY_ROTATION) {
			d = date_col(e, row, key_cols[k].rotated, &t);
			if (d < 0)
				continue;
			if (d == 0) {
				note_err(e,
				    arena_printf(a, "user '%s': %s unreadable",
					user_of(row), key_cols[k].rotated));
				continue;
			}
			age = (now - t) / DAY;
			if (age > e->max_key_age)
				note_fail(e,
				    arena_printf(a,
					"user '%s' access key %zu is "
					"%lld days old (max %lld)",
					user_of(row), k + 1, (long long)age,
					(long long)e->max_key_age));
			continue;
		}
		/* unused: last use, else (never used) since creation */
		d = date_col(e, row, key_cols[k].used, &t);
		if (d < 0)
			continue;
		if (d == 0 &&
		    (d = date_col(e, row, key_cols[k].rotated, &t)) < 0)
			continue;
		if (d == 0) {
			note_err(e,
			    arena_printf(a,
				"user '%s': access key %zu last use "
				"and creation unreadable",
				user_of(row), k + 1));
			continue;
		}
		age = (now - t) / DAY;
		if (age > e->max_unused)
			note_fail(e,
			    arena_printf(a,
				"user '%s' access key %zu unused for "
				"%lld days (max %lld)",
				user_of(row), k + 1, (long long)age,
				(long long)e->max_unused));
	}
}

static void
row_unused_password(struct cr_eval *e, const struct doc_node *row)
{
	struct arena *a = check_arena(e->c);
	int64_t t = 0, age;
	int d;

	if (truth(e, row, "password_enabled") != 1)
		return;
	/* Never used ("no_information", "N/A"): since it was set. */
	if ((d = date_col(e, row, "password_last_used", &t)) < 0)
		return;
	if (d == 0 && (d = date_col(e, row, "password_last_changed", &t)) < 0)
		return;
	if (d == 0 && (d = date_col(e, row, "user_creation_time", &t)) < 0)
		return;
	if (d == 0) {
		note_err(e,
		    arena_printf(a, "user '%s': password last use unreadable",
			user_of(row)));
		return;
	}
	age = (check_now(e->c) - t) / DAY;
	if (age > e->max_unused)
		note_fail(e,
		    arena_printf(a,
			"user '%s' console password unused for %lld "
			"days (max %lld)",
			user_of(row), (long long)age,
			(long long)e->max_unused));
}

static void
row_root(struct cr_eval *e, const struct doc_node *row)
{
	struct arena *a = check_arena(e->c);
	int k1, k2, mfa;

	if (e->which == CR_ROOT_MFA) {
		mfa = truth(e, row, "mfa_active");
		if (mfa == 0)
			note_fail(e, "the root account has no MFA");
		return;
	}
	k1 = truth(e, row, "access_key_1_active");
	k2 = truth(e, row, "access_key_2_active");
	if (k1 == 1 || k2 == 1)
		note_fail(e,
		    arena_printf(a,
			"the root account has an active access key "
			"(%s)",
			k1 == 1 ? "access_key_1" : "access_key_2"));
}

static int
is_root(const struct doc_node *row)
{
	const char *u = doc_str(doc_get(row, "user"));

	return u != NULL && strcmp(u, "<root_account>") == 0;
}

/*
 * Evaluate one row, then record the columns it decided on: every column
 * of an offending row (of the first MAX_EVIDENCE ones), and those of a
 * row without a finding while MAX_EVIDENCE such entries are not reached,
 * so that a pass shows what it was decided on too.
 */
static int
eval_row(struct cr_eval *e, const struct doc_node *row)
{
	size_t before = e->nfail + e->nerr, i;
	char path[256];
	int clean;

	if (row == NULL || row->type != DOC_MAP) {
		note_err(e, "credential report row is not a map");
		return 0;
	}
	e->nread = 0;
	switch (e->which) {
	case CR_CONSOLE_MFA:
		row_console_mfa(e, row);
		break;
	case CR_KEY_ROTATION:
		row_keys(e, row);
		break;
	case CR_UNUSED:
		row_unused_password(e, row);
		row_keys(e, row);
		break;
	case CR_ROOT_KEYS:
	case CR_ROOT_MFA:
		row_root(e, row);
		break;
	}
	clean = e->nfail + e->nerr == before;
	for (i = 0; i < e->nread; i++) {
		if (clean ? e->nev_clean >= MAX_EVIDENCE
			  : before >= MAX_EVIDENCE)
			break;
		snprintf(path, sizeof(path), "%s%s", e->prefix, e->read[i]);
		if (check_evidence(e->c, path, doc_get(row, e->read[i])) != 0)
			return -1;
		if (clean)
			e->nev_clean++;
	}
	return 0;
}

/* Whether s holds a line break: rows merged by foreign line endings. */
static int
has_break(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") != NULL;
}

/*
 * One row's shape: a map whose keys and values are strings without line
 * breaks.  NULL when sound, else why not (in the check's arena).
 */
static const char *
row_defect(struct check_ctx *c, const struct doc_node *row, size_t i)
{
	const struct doc_pair *p;
	size_t k;

	if (row == NULL || row->type != DOC_MAP)
		return arena_printf(check_arena(c),
		    "credential report row %zu is not a map", i + 1);
	for (k = 0; k < row->u.map.n; k++) {
		p = &row->u.map.pairs[k];
		if (doc_str(p->key) == NULL || has_break(doc_str(p->key)))
			return arena_printf(check_arena(c),
			    "credential report row %zu ('%s'): a column name "
			    "holds a line break (CR-only line endings merge "
			    "rows)",
			    i + 1, user_of(row));
		if (doc_str(p->val) == NULL)
			return arena_printf(check_arena(c),
			    "credential report row %zu ('%s'): column '%s' "
			    "is not text",
			    i + 1, user_of(row), doc_str(p->key));
		if (has_break(doc_str(p->val)))
			return arena_printf(check_arena(c),
			    "credential report row %zu ('%s'): column '%s' "
			    "holds a line break (CR-only line endings merge "
			    "rows)",
			    i + 1, user_of(row), doc_str(p->key));
	}
	return NULL;
}

/*
 * The whole report's shape, before any check reads it: rows present, a
 * <root_account> row (AWS always writes one, so its absence means a
 * truncated or merged report), every row sound and with the same number
 * of columns as the first (a row with more or fewer fields was split
 * or merged).  NULL when sound, else why not.
 */
static const char *
report_defect(struct check_ctx *c, const struct doc_node *users)
{
	const char *why;
	size_t i, ncols = 0;
	int nroot = 0;

	if (users->u.seq.n == 0)
		return "the credential report has no rows (header only, or "
		       "line endings that merge every row into it)";
	for (i = 0; i < users->u.seq.n; i++) {
		const struct doc_node *row = users->u.seq.items[i];

		if ((why = row_defect(c, row, i)) != NULL)
			return why;
		if (i == 0)
			ncols = row->u.map.n;
		else if (row->u.map.n != ncols)
			return arena_printf(check_arena(c),
			    "credential report row %zu ('%s') has %zu "
			    "columns, row 1 has %zu (rows split or merged)",
			    i + 1, user_of(row), row->u.map.n, ncols);
		if (doc_get(row, "user") == NULL)
			return arena_printf(check_arena(c),
			    "credential report row %zu has no 'user' column",
			    i + 1);
		nroot += is_root(row);
	}
	if (nroot == 0)
		return "the credential report has no <root_account> row "
		       "(truncated report, or rows merged by line endings)";
	if (nroot > 1)
		return "the credential report has more than one "
		       "<root_account> row";
	return NULL;
}

static int
cr_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *users, *row;
	struct cr_eval e;
	const char *which, *why;
	char prefix[64];
	size_t i;
	int user = strcmp(r->type, "AWS::IAM::User") == 0, found = 0, root;

	memset(&e, 0, sizeof(e));
	e.c = c;
	which = doc_str(check_param(c, "check"));
	for (i = 0; which != NULL && cr_names[i] != NULL; i++)
		if (strcmp(which, cr_names[i]) == 0)
			break;
	if (which == NULL || cr_names[i] == NULL)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'check' must be one of console_mfa, "
		    "key_rotation, unused_credentials, root_access_keys, "
		    "root_mfa");
	e.which = (enum cr_check)i;
	e.max_key_age = check_param_int(c, "max_key_age_days", 90);
	e.max_unused = check_param_int(c, "max_unused_days", 90);
	root = e.which == CR_ROOT_KEYS || e.which == CR_ROOT_MFA;
	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	if (user) {
		if (root)
			return check_emit(c, r, ST_NOT_APPLICABLE,
			    "root account checks read the credential report");
		row = doc_get(r->attrs, "CredentialReport");
		e.prefix = "CredentialReport.";
		if (row == NULL) {
			check_evidence(c, "CredentialReport", NULL);
			return check_emit(c, r, ST_ERROR,
			    "user '%s' has no credential report row "
			    "(iam/get-credential-report.json missing?)",
			    r->id);
		}
		if ((why = row_defect(c, row, 0)) != NULL) {
			check_evidence(c, "CredentialReport", row);
			return check_emit(c, r, ST_ERROR, "%s", why);
		}
		if (eval_row(&e, row) != 0)
			return -1;
	} else {
		users = doc_get(r->attrs, "Users");
		if (users == NULL || users->type != DOC_SEQ) {
			check_evidence(c, "Users", users);
			return check_emit(c, r, ST_ERROR,
			    "the credential report has no 'Users' list");
		}
		if ((why = report_defect(c, users)) != NULL)
			return check_emit(c, r, ST_ERROR, "%s", why);
		for (i = 0; i < users->u.seq.n; i++) {
			row = users->u.seq.items[i];
			if (is_root(row) != root)
				continue;
			found = 1;
			snprintf(prefix, sizeof(prefix), "Users[%zu].", i);
			e.prefix = prefix;
			if (eval_row(&e, row) != 0)
				return -1;
		}
		if (root && !found)
			return check_emit(c, r, ST_ERROR,
			    "the credential report has no <root_account> row");
	}
	if (e.nfail > 0)
		return check_emit(c, r, ST_FAIL, "%s%s",
		    e.first_fail ? e.first_fail : "failed",
		    e.nfail > 1 ? arena_printf(check_arena(c),
				      " (and %zu more)", e.nfail - 1)
				: "");
	if (e.nerr > 0)
		return check_emit(c, r, ST_ERROR, "%s",
		    e.first_err ? e.first_err : "unreadable report values");
	return check_emit(c, r, ST_PASS, "%s: no finding", cr_names[e.which]);
}

static const char *const cr_types[] = { "AWS::IAM::CredentialReport",
	"AWS::IAM::User", NULL };

static const struct plugin_param cr_params[] = {
	{ "check", DOC_STRING, NULL,
	    "console_mfa | key_rotation | unused_credentials | "
	    "root_access_keys | root_mfa" },
	{ "max_key_age_days", DOC_INT, "90",
	    "key_rotation: an active access key older than this fails" },
	{ "max_unused_days", DOC_INT, "90",
	    "unused_credentials: a credential unused this long fails" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin aws_credential_report_plugin = {
	.name = "aws_credential_report",
	.summary = "IAM credential report: console MFA, key age, unused "
		   "credentials, root keys and MFA",
	.resource_types = cr_types,
	.params = cr_params,
	.evaluate = cr_evaluate,
};
