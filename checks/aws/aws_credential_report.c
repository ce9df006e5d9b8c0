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
 * date that cannot be read is `error`.
 */
#include <string.h>

#include "checks/aws/aws.h"

#define DAY 86400
/* Evidence entries kept per resource (the message counts them all). */
#define MAX_EVIDENCE 25

enum cr_check {
	CR_CONSOLE_MFA,
	CR_KEY_ROTATION,
	CR_UNUSED,
	CR_ROOT_KEYS,
	CR_ROOT_MFA,
};

static const char *const cr_names[] = { "console_mfa", "key_rotation",
	"unused_credentials", "root_access_keys", "root_mfa", NULL };

/* The evaluation of one row. */
struct cr_eval {
	struct check_ctx *c;
	enum cr_check which;
	int64_t max_key_age, max_unused;
	size_t nfail, nerr;
	const char *first_fail, *first_err;
	const char *prefix; /* evidence path prefix */
};

static int
evidence(struct cr_eval *e, const struct doc_node *row, const char *field)
{
	char path[256];

	if (e->nfail + e->nerr > MAX_EVIDENCE)
		return 0;
	snprintf(path, sizeof(path), "%s%s", e->prefix, field);
	return check_evidence(e->c, path, doc_get(row, field));
}

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

/* "true" 1, "false" 0, other -1. */
static int
truth(const struct doc_node *row, const char *field)
{
	const char *s = doc_str(doc_get(row, field));

	if (s == NULL)
		return -1;
	if (strcmp(s, "true") == 0)
		return 1;
	if (strcmp(s, "false") == 0)
		return 0;
	return -1;
}

/* A report date, or -1 when unknown ("N/A", "no_information", junk). */
static int64_t
date_of(const struct doc_node *row, const char *field)
{
	const char *s = doc_str(doc_get(row, field));
	int64_t t;

	if (s == NULL || parse_time(s, &t) != 0)
		return -1;
	return t;
}

static const char *
user_of(const struct doc_node *row)
{
	const char *u = doc_str(doc_get(row, "user"));

	return u != NULL ? u : "?";
}

static int
row_console_mfa(struct cr_eval *e, const struct doc_node *row)
{
	struct arena *a = check_arena(e->c);
	int pw = truth(row, "password_enabled"), mfa;

	if (pw == 0)
		return 0;
	if (pw < 0) {
		if (evidence(e, row, "password_enabled"))
			return -1;
		note_err(e,
		    arena_printf(a, "user '%s': password_enabled unknown",
			user_of(row)));
		return 0;
	}
	mfa = truth(row, "mfa_active");
	if (mfa == 1)
		return 0;
	if (evidence(e, row, "password_enabled") ||
	    evidence(e, row, "mfa_active"))
		return -1;
	if (mfa < 0)
		note_err(e,
		    arena_printf(
			a, "user '%s': mfa_active unknown", user_of(row)));
	else
		note_fail(e,
		    arena_printf(a,
			"user '%s' has a console password and no MFA",
			user_of(row)));
	return 0;
}

static int
row_keys(struct cr_eval *e, const struct doc_node *row)
{
	struct arena *a = check_arena(e->c);
	char active[32], rotated[40], used[40];
	int64_t now = check_now(e->c), t, age;
	int k, on;

	for (k = 1; k <= 2; k++) {
		snprintf(active, sizeof(active), "access_key_%d_active", k);
		snprintf(
		    rotated, sizeof(rotated), "access_key_%d_last_rotated", k);
		snprintf(used, sizeof(used), "access_key_%d_last_used_date", k);
		on = truth(row, active);
		if (on == 0)
			continue;
		if (evidence(e, row, active))
			return -1;
		if (on < 0) {
			note_err(e,
			    arena_printf(a, "user '%s': %s unknown",
				user_of(row), active));
			continue;
		}
		if (e->which == CR_KEY_ROTATION) {
			if (evidence(e, row, rotated))
				return -1;
			if ((t = date_of(row, rotated)) < 0) {
				note_err(e,
				    arena_printf(a, "user '%s': %s unreadable",
					user_of(row), rotated));
				continue;
			}
			age = (now - t) / DAY;
			if (age > e->max_key_age)
				note_fail(e,
				    arena_printf(a,
					"user '%s' access key %d is "
					"%lld days old (max %lld)",
					user_of(row), k, (long long)age,
					(long long)e->max_key_age));
			continue;
		}
		/* unused: last use, else (never used) since creation */
		if (evidence(e, row, used))
			return -1;
		if ((t = date_of(row, used)) < 0) {
			if (evidence(e, row, rotated))
				return -1;
			t = date_of(row, rotated);
		}
		if (t < 0) {
			note_err(e,
			    arena_printf(a,
				"user '%s': access key %d last use "
				"and creation unreadable",
				user_of(row), k));
			continue;
		}
		age = (now - t) / DAY;
		if (age > e->max_unused)
			note_fail(e,
			    arena_printf(a,
				"user '%s' access key %d unused for "
				"%lld days (max %lld)",
				user_of(row), k, (long long)age,
				(long long)e->max_unused));
	}
	return 0;
}

static int
row_unused_password(struct cr_eval *e, const struct doc_node *row)
{
	struct arena *a = check_arena(e->c);
	int64_t t, age;
	int pw = truth(row, "password_enabled");

	if (pw == 0)
		return 0;
	if (evidence(e, row, "password_enabled"))
		return -1;
	if (pw < 0) {
		note_err(e,
		    arena_printf(a, "user '%s': password_enabled unknown",
			user_of(row)));
		return 0;
	}
	if (evidence(e, row, "password_last_used"))
		return -1;
	/* Never used ("no_information", "N/A"): since it was set. */
	if ((t = date_of(row, "password_last_used")) < 0) {
		if (evidence(e, row, "password_last_changed"))
			return -1;
		if ((t = date_of(row, "password_last_changed")) < 0) {
			if (evidence(e, row, "user_creation_time"))
				return -1;
			t = date_of(row, "user_creation_time");
		}
	}
	if (t < 0) {
		note_err(e,
		    arena_printf(a, "user '%s': password last use unreadable",
			user_of(row)));
		return 0;
	}
	age = (check_now(e->c) - t) / DAY;
	if (age > e->max_unused)
		note_fail(e,
		    arena_printf(a,
			"user '%s' console password unused for %lld "
			"days (max %lld)",
			user_of(row), (long long)age,
			(long long)e->max_unused));
	return 0;
}

static int
row_root(struct cr_eval *e, const struct doc_node *row)
{
	struct arena *a = check_arena(e->c);
	int k1, k2, mfa;

	if (e->which == CR_ROOT_MFA) {
		if (evidence(e, row, "mfa_active"))
			return -1;
		mfa = truth(row, "mfa_active");
		if (mfa < 0)
			note_err(e, "root account: mfa_active unknown");
		else if (mfa == 0)
			note_fail(e, "the root account has no MFA");
		return 0;
	}
	if (evidence(e, row, "access_key_1_active") ||
	    evidence(e, row, "access_key_2_active"))
		return -1;
	k1 = truth(row, "access_key_1_active");
	k2 = truth(row, "access_key_2_active");
	if (k1 == 1 || k2 == 1)
		note_fail(e,
		    arena_printf(a,
			"the root account has an active access key "
			"(%s)",
			k1 == 1 ? "access_key_1" : "access_key_2"));
	else if (k1 < 0 || k2 < 0)
		note_err(e, "root account: access key state unknown");
	return 0;
}

static int
is_root(const struct doc_node *row)
{
	const char *u = doc_str(doc_get(row, "user"));

	return u != NULL && strcmp(u, "<root_account>") == 0;
}

static int
eval_row(struct cr_eval *e, const struct doc_node *row)
{
	if (row == NULL || row->type != DOC_MAP) {
		note_err(e, "credential report row is not a map");
		return 0;
	}
	switch (e->which) {
	case CR_CONSOLE_MFA:
		return row_console_mfa(e, row);
	case CR_KEY_ROTATION:
		return row_keys(e, row);
	case CR_UNUSED:
		return row_unused_password(e, row) || row_keys(e, row);
	case CR_ROOT_KEYS:
	case CR_ROOT_MFA:
		return row_root(e, row);
	}
	return 0;
}

static int
cr_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *users, *row;
	struct cr_eval e;
	const char *which;
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
		if (eval_row(&e, row) != 0)
			return -1;
	} else {
		users = doc_get(r->attrs, "Users");
		if (users == NULL || users->type != DOC_SEQ) {
			check_evidence(c, "Users", users);
			return check_emit(c, r, ST_ERROR,
			    "the credential report has no 'Users' list");
		}
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
