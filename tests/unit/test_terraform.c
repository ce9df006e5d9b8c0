/*
 * test_terraform.c: the terraform-plan adapter (checks/sources/
 * terraform*.c, tf_aws.c) through the real pipeline: the shipped AWS
 * checks on plans.
 *
 * - tables: sorted, every default and constant valid JSON, every default
 *   with its documentation, every part naming a deferred target.
 * - fixtures (tests/fixtures/terraform/<check>/): exact statuses per
 *   planned resource; `same CASE EXPORT-ID ADDRESS` lines require the
 *   plan resource to have the status the same check gives the equivalent
 *   resource of an AWS export (tests/fixtures/aws-checks/CASE).
 * - metamorphic: one resource written at the root, with count, with
 *   for_each, in a child module, in a counted module and two modules
 *   deep gives one status; an unknown value is error in every form; a
 *   deleted resource is never evaluated.
 * - security groups: an open port written as an inline block, an
 *   aws_security_group_rule or aws_vpc_security_group_ingress_rule
 *   joined by reference or by value, with the CIDR and protocol written
 *   several ways, fails every time; the closed twin passes.
 * - sensitive values are never copied into a resource.
 * - the spill: parts before or after their targets, hundreds of each,
 *   joined the same; no temporary directory is an error.
 */
#include "testutil.h"

#include <dirent.h>

#include "rules/rules.h"
#include "checks/sources/terraform.h"
#include "collect.h"

#define FIX "tests/fixtures"
struct same_line {
	char kase[256], export_id[256], address[256];
};

/* A case's expect file: test_expect's lines, and "same" lines. */
struct expect {
	struct test_expect t;
	struct same_line same[8];
	size_t nsame;
};

static struct rule_set *rs;
static char tmpdir[64];

/* test_read_expect() callback: "same CASE EXPORT-ID ADDRESS". */
static int
same_line(void *ctx, const char *key, char *rest)
{
	struct expect *e = ctx;
	struct same_line *s = &e->same[e->nsame];
	char *a = strchr(rest, ' '), *b;

	if (strcmp(key, "same") != 0)
		return 0;
	if (e->nsame == 8 || a == NULL || (b = strchr(a + 1, ' ')) == NULL)
		return -1;
	*a++ = '\0';
	*b++ = '\0';
	snprintf(s->kase, sizeof(s->kase), "%s", rest);
	snprintf(s->export_id, sizeof(s->export_id), "%s", a);
	snprintf(s->address, sizeof(s->address), "%s", b);
	e->nsame++;
	return 1;
}

/* Run one check on an input with an adapter; NULL when the run failed. */
static struct run *
run_check(const char *check, const char *input, const char *adapter,
    struct baseline **blp, struct diag *d)
{
	*blp = NULL;
	return test_run_check(rs, tmpdir, check, "decides: part", TEST_NOW,
	    input, adapter_find(adapter), blp, d);
}

/* The status of resource id in a finished one-check run, or -1. */
static int
status_of(const struct run *r, const char *id)
{
	const struct check_outcome *o = &r->as.checks[0];
	size_t i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->results[i].resource_id, id) == 0)
			return (int)o->results[i].status;
	return -1;
}

/* Scan a plan with one check; the status of address (-1: no result). */
static int
plan_status(const char *check, const char *plan, const char *address)
{
	struct baseline *bl = NULL;
	struct diag d;
	struct run *r;
	int st = -2;

	diag_init(&d);
	/* A run that fails (-2) is what a deleted resource must give. */
	if ((r = run_check(check, plan, "terraform-plan", &bl, &d)) != NULL)
		st = status_of(r, address);
	run_free(r);
	baseline_free(bl);
	diag_free(&d);
	return st;
}

static int
setup(void **state)
{
	(void)state;
	return test_rules_setup(
	    &rs, tmpdir, sizeof(tmpdir), "/tmp/rampart-tf-XXXXXX");
}

static int
teardown(void **state)
{
	static const char *const extra[] = { "plan.json", NULL };

	(void)state;
	test_rules_teardown(rs, tmpdir, extra);
	return 0;
}

/* ------------------------------------------------------------- tables */

static void
check_attrs(const struct tf_attr *at, const char *tf)
{
	struct arena *a = arena_new();
	struct doc_node **docs;
	struct diag d;
	size_t i, j, n;

	assert_non_null(a);
	diag_init(&d);
	for (i = 0; at[i].to != NULL; i++) {
		if (at[i].def != NULL) {
			if (doc_load_buf(a, &d, tf, at[i].def,
				strlen(at[i].def), DOC_FMT_JSON, NULL, &docs,
				&n) != 0 ||
			    n != 1)
				fail_msg(
				    "%s.%s: def is not JSON", tf, at[i].to);
			/* A default needs its documentation. */
			if (at[i].conv != TF_CONST && at[i].src == NULL)
				fail_msg("%s.%s: default without a source", tf,
				    at[i].to);
		}
		if (at[i].conv == TF_CONST)
			assert_non_null(at[i].def);
		else if (at[i].conv != TF_ADDRESS)
			assert_non_null(at[i].from);
		for (j = 0; at[i].conv == TF_ENUM && at[i].enums[j].value; j++)
			if (doc_load_buf(a, &d, tf, at[i].enums[j].json,
				strlen(at[i].enums[j].json), DOC_FMT_JSON, NULL,
				&docs, &n) != 0 ||
			    n != 1)
				fail_msg("%s: enum '%s' is not JSON", tf,
				    at[i].enums[j].value);
		if (at[i].conv == TF_LIST || at[i].conv == TF_BLOCK) {
			assert_non_null(at[i].sub);
			check_attrs(at[i].sub, tf);
		}
		if (at[i].conv == TF_WRAP)
			assert_non_null(at[i].wrap);
	}
	diag_free(&d);
	arena_free(a);
}

static void
test_tables(void **state)
{
	static const struct tf_provider *const all[] = { &tf_aws, &tf_azure,
		&tf_google, &tf_oci };
	const struct tf_provider *p;
	const struct tf_absent *ab;
	size_t i, j, k;
	int found;

	(void)state;
	for (k = 0; k < sizeof(all) / sizeof(all[0]); k++) {
		p = all[k];
		for (i = 0; i < p->ntypes; i++) {
			const struct tf_type *t = &p->types[i];

			if (i > 0)
				assert_true(
				    strcmp(p->types[i - 1].tf, t->tf) < 0);
			assert_int_equal(
			    strncmp(t->tf, p->prefix, strlen(p->prefix)), 0);
			assert_true((t->type == NULL) != (t->target == NULL));
			check_attrs(t->attrs, t->tf);
			if (t->type != NULL)
				continue;
			assert_non_null(t->ref);
			assert_non_null(t->target_key);
			assert_non_null(t->into);
			for (j = 0, found = 0; j < p->ntypes; j++)
				if (strcmp(p->types[j].tf, t->target) == 0 &&
				    p->types[j].deferred)
					found = 1;
			if (!found)
				fail_msg(
				    "%s: target '%s' is not a deferred type",
				    t->tf, t->target);
			/* terraform_join.c reads a group's members as spilled. */
			for (j = 0; j < p->ntypes; j++)
				if (strcmp(p->types[j].tf, t->target) == 0 &&
				    p->types[j].group != NULL)
					fail_msg("%s: target '%s' is grouped",
					    t->tf, t->target);
		}
		for (ab = p->absent; ab->target != NULL; ab++)
			if ((ab->created != NULL || ab->not_configured) &&
			    ab->src == NULL)
				fail_msg(
				    "%s.%s: a created value without a source",
				    ab->target, ab->into);
	}
}

/* ----------------------------------------------------------- fixtures */

/* One case: exact statuses, and the export twin's status. */
static size_t
run_case(const char *name)
{
	char dir[512], path[600], exp[600];
	struct expect e;
	struct baseline *bl = NULL;
	struct diag d;
	struct run *r, *er;
	size_t i, failures = 0;
	int st, est;

	snprintf(dir, sizeof(dir), "%s/terraform/%s", FIX, name);
	snprintf(path, sizeof(path), "%s/expect", dir);
	e.nsame = 0;
	if (test_read_expect(path, &e.t, same_line, &e) != 0)
		return 1;
	snprintf(path, sizeof(path), "%s/plan.json", dir);
	/*
	 * Azure, Google Cloud and Oracle Cloud checks live on their own
	 * branches: their cases run once the checks are in the tree.
	 */
	if (rule_find(rs, e.t.check) == NULL) {
		print_message("%s: check '%s' not in this tree, skipped\n", dir,
		    e.t.check);
		return strncmp(name, "aws-", 4) == 0;
	}
	diag_init(&d);
	if ((r = run_check(e.t.check, path, "terraform-plan", &bl, &d)) ==
	    NULL) {
		print_message("%s: run failed\n", dir);
		test_print_diag(&d);
		baseline_free(bl);
		diag_free(&d);
		return 1;
	}
	if (r->as.checks[0].n != e.t.n) {
		print_message("%s: %zu results, expected %zu\n", dir,
		    r->as.checks[0].n, e.t.n);
		for (i = 0; i < r->as.checks[0].n; i++)
			print_message("  %s %s\n",
			    status_name(r->as.checks[0].results[i].status),
			    r->as.checks[0].results[i].resource_id);
		failures++;
	}
	for (i = 0; i < e.t.n; i++)
		if ((st = status_of(r, e.t.v[i].id)) != (int)e.t.v[i].st) {
			print_message("%s: '%s' is %s, expected %s\n", dir,
			    e.t.v[i].id,
			    st < 0 ? "missing" : status_name((enum status)st),
			    status_name(e.t.v[i].st));
			failures++;
		}
	for (i = 0; i < e.nsame; i++) {
		struct baseline *ebl = NULL;

		snprintf(
		    exp, sizeof(exp), "%s/aws-checks/%s", FIX, e.same[i].kase);
		er = run_check(e.t.check, exp, "aws-cli", &ebl, &d);
		assert_non_null(er);
		est = status_of(er, e.same[i].export_id);
		st = status_of(r, e.same[i].address);
		if (est < 0 || est != st) {
			print_message("%s: plan '%s' is %d, export '%s' %d\n",
			    dir, e.same[i].address, st, e.same[i].export_id,
			    est);
			failures++;
		}
		run_free(er);
		baseline_free(ebl);
	}
	run_free(r);
	baseline_free(bl);
	diag_free(&d);
	return failures;
}

static void
test_fixtures(void **state)
{
	char **cases;
	size_t i, failures = 0, ncases = 0;

	(void)state;
	cases = test_subdirs(FIX "/terraform");
	assert_non_null(cases);
	for (i = 0; cases[i] != NULL; i++) {
		if (strncmp(cases[i], "aws-", 4) &&
		    strncmp(cases[i], "azure-", 6) &&
		    strncmp(cases[i], "gcp-", 4) &&
		    strncmp(cases[i], "oci-", 4))
			continue;
		ncases++;
		failures += run_case(cases[i]);
	}
	test_free_list(cases);
	assert_true(ncases >= 10);
	assert_int_equal(failures, 0);
}

/* -------------------------------------------------------- metamorphic */

/* A one-resource plan written in one of several forms. */
enum form { F_ROOT, F_COUNT, F_EACH, F_MODULE, F_MODULE_COUNT, F_DEEP, NFORMS };

static const char *
write_plan(const char *tf, const char *after, const char *unknown,
    const char *actions, enum form f, char *address, size_t alen)
{
	static char path[128];
	const char *mod = NULL, *idx = NULL;
	FILE *fp;

	switch (f) {
	case F_ROOT:
		break;
	case F_COUNT:
		idx = "0";
		break;
	case F_EACH:
		idx = "\"a\"";
		break;
	case F_MODULE:
		mod = "module.net";
		break;
	case F_MODULE_COUNT:
		mod = "module.net[1]";
		idx = "2";
		break;
	case F_DEEP:
		mod = "module.a[\"x\"].module.b";
		break;
	case NFORMS:
		break;
	}
	snprintf(address, alen, "%s%s%s.r%s%s%s", mod ? mod : "",
	    mod ? "." : "", tf, idx ? "[" : "", idx ? idx : "", idx ? "]" : "");
	snprintf(path, sizeof(path), "%s/plan.json", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp,
	    "{\"format_version\":\"1.2\",\"terraform_version\":\"1.5.7\","
	    "\"planned_values\":{},\"resource_changes\":[{\"address\":");
	fputc('"', fp);
	for (const char *p = address; *p; p++) {
		if (*p == '"')
			fputc('\\', fp);
		fputc(*p, fp);
	}
	fprintf(fp,
	    "\",%s%s%s\"mode\":\"managed\",\"type\":\"%s\","
	    "\"name\":\"r\",\"provider_name\":"
	    "\"registry.terraform.io/hashicorp/aws\","
	    "\"change\":{\"actions\":%s,\"before\":null,\"after\":%s,"
	    "\"after_unknown\":%s,\"after_sensitive\":{}}}]}\n",
	    mod ? "\"module_address\":\"" : "",
	    mod ? (f == F_DEEP ? "module.a[\\\"x\\\"].module.b" : mod) : "",
	    mod ? "\"," : "", tf, actions, after, unknown);
	fclose(fp);
	return path;
}

static const struct {
	const char *check, *tf, *after, *unknown;
	enum status st;
} variants[] = {
	{ "aws-ebs-volume-encrypted", "aws_ebs_volume",
	    "{\"encrypted\":false,\"size\":8}", "{\"id\":true}", ST_FAIL },
	{ "aws-ebs-volume-encrypted", "aws_ebs_volume",
	    "{\"encrypted\":true,\"size\":8}", "{\"id\":true}", ST_PASS },
	{ "aws-ebs-volume-encrypted", "aws_ebs_volume", "{\"size\":8}",
	    "{\"id\":true,\"encrypted\":true}", ST_ERROR },
	{ "aws-rds-encrypted", "aws_db_instance",
	    "{\"storage_encrypted\":null}", "{}", ST_FAIL },
	{ "aws-rds-encrypted", "aws_db_instance",
	    "{\"storage_encrypted\":true}", "{}", ST_PASS },
	{ "aws-rds-encrypted", "aws_db_instance", "{}",
	    "{\"storage_encrypted\":true}", ST_ERROR },
	{ "aws-rds-not-public", "aws_db_instance",
	    "{\"publicly_accessible\":true}", "{}", ST_FAIL },
	{ "aws-kms-key-rotation", "aws_kms_key",
	    "{\"enable_key_rotation\":true}", "{\"key_id\":true}", ST_PASS },
	{ "aws-kms-key-rotation", "aws_kms_key", "{}",
	    "{\"enable_key_rotation\":true}", ST_ERROR },
	{ "aws-ec2-imdsv2", "aws_instance",
	    "{\"metadata_options\":[{\"http_tokens\":\"optional\","
	    "\"http_endpoint\":\"enabled\"}]}",
	    "{\"id\":true}", ST_FAIL },
	{ "aws-ec2-imdsv2", "aws_instance",
	    "{\"metadata_options\":[{\"http_endpoint\":\"enabled\"}]}",
	    "{\"metadata_options\":[{\"http_tokens\":true}]}", ST_ERROR },
	{ "aws-cloudtrail-kms", "aws_cloudtrail",
	    "{\"name\":\"t\",\"kms_key_id\":null}", "{}", ST_FAIL },
	{ "aws-cloudtrail-kms", "aws_cloudtrail", "{\"name\":\"t\"}",
	    "{\"kms_key_id\":true}", ST_ERROR },
	{ "aws-logs-retention", "aws_cloudwatch_log_group",
	    "{\"name\":\"g\",\"retention_in_days\":0}", "{}", ST_PASS },
	{ "aws-logs-retention", "aws_cloudwatch_log_group",
	    "{\"name\":\"g\",\"retention_in_days\":30}", "{}", ST_FAIL },
	{ "aws-ebs-default-encryption", "aws_ebs_encryption_by_default",
	    "{\"enabled\":false}", "{}", ST_FAIL },
	{ "aws-ebs-default-encryption", "aws_ebs_encryption_by_default",
	    "{\"enabled\":null}", "{}", ST_PASS },
	{ "aws-iam-password-no-symbol-rule", "aws_iam_account_password_policy",
	    "{\"require_symbols\":true,\"minimum_password_length\":14}", "{}",
	    ST_FAIL },
};

/*
 * Every variant in every form: the same status; a created resource and
 * its replacement agree; the same resource deleted gives no result.
 */
static void
test_metamorphic(void **state)
{
	char address[256];
	const char *plan;
	size_t i, f, failures = 0;
	int st;

	(void)state;
	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		for (f = 0; f < NFORMS; f++) {
			plan = write_plan(variants[i].tf, variants[i].after,
			    variants[i].unknown,
			    f % 2 ? "[\"delete\",\"create\"]" : "[\"create\"]",
			    (enum form)f, address, sizeof(address));
			st = plan_status(variants[i].check, plan, address);
			if (st != (int)variants[i].st) {
				print_message("%s %s form %zu: %d, expected "
					      "%s\n",
				    variants[i].check, variants[i].after, f, st,
				    status_name(variants[i].st));
				failures++;
			}
			plan = write_plan(variants[i].tf, variants[i].after,
			    variants[i].unknown, "[\"delete\"]", (enum form)f,
			    address, sizeof(address));
			/* Nothing left to evaluate: the run is an input error. */
			st = plan_status(variants[i].check, plan, address);
			if (st != -2) {
				print_message("%s deleted form %zu: %d\n",
				    variants[i].check, f, st);
				failures++;
			}
		}
	}
	assert_int_equal(failures, 0);
}

/* ----------------------------------------------------- security groups */

struct rule_form {
	const char *proto;
	int from, to;
	const char *v4[2], *v6[2];
};

/* JSON list of the non-NULL strings of v. */
static void
json_list(struct strbuf *sb, const char *const *v)
{
	size_t i;

	sb_addc(sb, '[');
	for (i = 0; i < 2 && v[i] != NULL; i++)
		sb_printf(sb, "%s\"%s\"", i ? "," : "", v[i]);
	sb_addc(sb, ']');
}

static void
add_change(struct strbuf *sb, const char *mod, const char *tf, const char *name,
    const char *idx, const char *actions, const char *after,
    const char *unknown)
{
	if (sb->len > 0 && sb->s[sb->len - 1] == '}')
		sb_addc(sb, ',');
	sb_printf(sb,
	    "{\"address\":\"%s%s%s.%s%s\",%s%s%s\"mode\":\"managed\","
	    "\"type\":\"%s\",\"name\":\"%s\",\"provider_name\":\"aws\","
	    "\"change\":{\"actions\":%s,\"before\":null,\"after\":%s,"
	    "\"after_unknown\":%s}}",
	    mod ? mod : "", mod ? "." : "", tf, name, idx ? idx : "",
	    mod ? "\"module_address\":\"" : "", mod ? mod : "",
	    mod ? "\"," : "", tf, name, actions, after, unknown);
}

/*
 * The plan of group g with the rule rf in form `how`: 0 inline, 1
 * aws_security_group_rule by reference, 2 vpc ingress rules by
 * reference, 3 aws_security_group_rule by value on an existing group,
 * 4 form 1 inside a counted module.  Returns the group's address.
 */
static const char *
sg_plan(const struct rule_form *rf, int how, const char *path)
{
	static char gaddr[128];
	struct strbuf sb, ing;
	const char *mod = how == 4 ? "module.m[0]" : NULL;
	const char *idx = how == 4 ? "[0]" : NULL;
	const char *ref =
	    how == 4 ? "aws_security_group.g[0]" : "aws_security_group.g";
	size_t i;
	FILE *fp;

	sb_init(&sb);
	sb_init(&ing);
	sb_printf(&ing,
	    "{\"protocol\":\"%s\",\"from_port\":%d,\"to_port\":%d,"
	    "\"cidr_blocks\":",
	    rf->proto, rf->from, rf->to);
	json_list(&ing, rf->v4);
	sb_adds(&ing, ",\"ipv6_cidr_blocks\":");
	json_list(&ing, rf->v6);
	sb_adds(&ing,
	    ",\"prefix_list_ids\":[],\"security_groups\":[],"
	    "\"self\":false}");
	sb_adds(&sb,
	    "{\"format_version\":\"1.1\",\"planned_values\":{},"
	    "\"resource_changes\":[");
	if (how == 0) {
		char *after = NULL;
		struct strbuf g;

		sb_init(&g);
		sb_printf(&g, "{\"name\":\"g\",\"egress\":[],\"ingress\":[%s]}",
		    ing.s);
		after = sb_detach(&g);
		add_change(&sb, mod, "aws_security_group", "g", idx,
		    "[\"create\"]", after, "{\"id\":true}");
		free(after);
	} else {
		add_change(&sb, mod, "aws_security_group", "g", idx,
		    how == 3 ? "[\"no-op\"]" : "[\"create\"]",
		    how == 3 ? "{\"id\":\"sg-1\",\"name\":\"g\",\"egress\":[],"
			       "\"ingress\":[]}"
			     : "{\"name\":\"g\"}",
		    how == 3
			? "{}"
			: "{\"id\":true,\"ingress\":true,\"egress\":true}");
	}
	if (how == 1 || how == 3 || how == 4) {
		struct strbuf r;
		char *after;

		sb_init(&r);
		sb_printf(&r,
		    "{\"type\":\"ingress\",\"protocol\":\"%s\","
		    "\"from_port\":%d,\"to_port\":%d,\"cidr_blocks\":",
		    rf->proto, rf->from, rf->to);
		json_list(&r, rf->v4);
		sb_adds(&r, ",\"ipv6_cidr_blocks\":");
		json_list(&r, rf->v6);
		sb_printf(&r, ",\"security_group_id\":%s}",
		    how == 3 ? "\"sg-1\"" : "null");
		after = sb_detach(&r);
		add_change(&sb, mod, "aws_security_group_rule", "r", idx,
		    "[\"create\"]", after,
		    how == 3 ? "{\"id\":true}"
			     : "{\"id\":true,\"security_group_id\":true}");
		free(after);
	}
	for (i = 0; how == 2 && i < 4; i++) {
		const char *c = i < 2 ? rf->v4[i] : rf->v6[i - 2];
		char after[512], name[8];

		if (c == NULL)
			continue;
		snprintf(name, sizeof(name), "r%zu", i);
		snprintf(after, sizeof(after),
		    "{\"ip_protocol\":\"%s\",\"from_port\":%d,\"to_port\":%d,"
		    "\"%s\":\"%s\",\"security_group_id\":null}",
		    rf->proto, rf->from, rf->to,
		    i < 2 ? "cidr_ipv4" : "cidr_ipv6", c);
		add_change(&sb, mod, "aws_vpc_security_group_ingress_rule",
		    name, idx, "[\"create\"]", after,
		    "{\"id\":true,\"security_group_id\":true}");
	}
	sb_adds(&sb, "],\"configuration\":{\"root_module\":{");
	if (how == 1 || how == 2 || how == 4) {
		const char *res = how == 2
		    ? "aws_vpc_security_group_ingress_rule"
		    : "aws_security_group_rule";
		struct strbuf c;
		size_t j;

		sb_init(&c);
		sb_adds(&c, "\"resources\":[");
		for (j = 0; j < (how == 2 ? 4u : 1u); j++)
			sb_printf(&c,
			    "%s{\"address\":\"%s.%s\",\"type\":\"%s\","
			    "\"expressions\":{\"security_group_id\":{"
			    "\"references\":[\"%s.id\",\"%s\"]}}}",
			    j ? "," : "", res,
			    how == 2
				? (const char *[]){ "r0", "r1", "r2", "r3" }[j]
				: "r",
			    res, ref, ref);
		sb_adds(&c, "]");
		if (how == 4)
			sb_printf(&sb,
			    "\"module_calls\":{\"m\":{\"module\":{%s}}}", c.s);
		else
			sb_adds(&sb, c.s);
		sb_free(&c);
	}
	sb_adds(&sb, "}}}\n");
	assert_false(sb.oom);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(sb.s, fp);
	fclose(fp);
	sb_free(&sb);
	sb_free(&ing);
	snprintf(gaddr, sizeof(gaddr), "%s%saws_security_group.g%s",
	    mod ? mod : "", mod ? "." : "", idx ? idx : "");
	return gaddr;
}

static void
test_security_group_forms(void **state)
{
	static const struct rule_form open[] = {
		{ "tcp", 22, 22, { "0.0.0.0/0", NULL }, { NULL, NULL } },
		{ "TCP", 20, 25, { "0.0.0.0/1", "128.0.0.0/1" },
		    { NULL, NULL } },
		{ "6", 22, 22, { NULL, NULL }, { "::/0", NULL } },
		{ "-1", 0, 0, { "0.0.0.0/0", NULL }, { NULL, NULL } },
		{ "tcp", 3389, 3389, { "10.0.0.0/8", NULL },
		    { "::/1", "8000::/1" } },
	};
	static const struct rule_form closed[] = {
		{ "tcp", 443, 443, { "0.0.0.0/0", NULL }, { NULL, NULL } },
		{ "TCP", 20, 25, { "0.0.0.0/1", NULL }, { NULL, NULL } },
		{ "6", 22, 22, { NULL, NULL }, { "2001:db8::/32", NULL } },
		{ "-1", 0, 0, { "10.0.0.0/8", NULL }, { NULL, NULL } },
		{ "udp", 3389, 3389, { "10.0.0.0/8", NULL }, { NULL, NULL } },
	};
	char path[128];
	const char *g;
	size_t i, failures = 0;
	int how, st;

	(void)state;
	snprintf(path, sizeof(path), "%s/plan.json", tmpdir);
	for (i = 0; i < sizeof(open) / sizeof(open[0]); i++)
		for (how = 0; how < 5; how++) {
			g = sg_plan(&open[i], how, path);
			st = plan_status("aws-ec2-sg-no-admin-ports", path, g);
			if (st != ST_FAIL) {
				print_message(
				    "open %zu form %d: %d\n", i, how, st);
				failures++;
			}
			g = sg_plan(&closed[i], how, path);
			st = plan_status("aws-ec2-sg-no-admin-ports", path, g);
			/*
			 * A group created without inline rules has rules
			 * known only after apply (the provider reads them
			 * back): error, unless a known rule fails it.
			 */
			if (st != (how == 0 || how == 3 ? ST_PASS : ST_ERROR)) {
				print_message(
				    "closed %zu form %d: %d\n", i, how, st);
				failures++;
			}
		}
	assert_int_equal(failures, 0);
}

/* ------------------------------------------------ sensitive, real plans */

/* Whether any string under n contains needle. */
static int
holds(const struct doc_node *n, const char *needle)
{
	size_t i;

	if (n == NULL)
		return 0;
	if (n->type == DOC_STRING)
		return strstr(n->str, needle) != NULL;
	if (n->type == DOC_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			if (holds(n->u.seq.items[i], needle))
				return 1;
	} else if (n->type == DOC_MAP) {
		for (i = 0; i < n->u.map.n; i++)
			if (holds(n->u.map.pairs[i].key, needle) ||
			    holds(n->u.map.pairs[i].val, needle))
				return 1;
	}
	return 0;
}

static int
read_plan(const char *path, struct coll *c, struct diag *d)
{
	const struct adapter *ad = adapter_find("terraform-plan");

	memset(c, 0, sizeof(*c));
	c->a = arena_new();
	assert_non_null(c->a);
	assert_non_null(ad);
	return ad->read(d, path, NULL, collect, c, NULL);
}

static const struct resource *
find(const struct coll *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].id, id) == 0)
			return &c->v[i];
	return NULL;
}

/*
 * A sensitive value is never copied: the policy marked sensitive is
 * "(sensitive)" and unreadable; nothing of it is anywhere in the
 * resources (the evidence is drawn from them).  The real plan with
 * after_sensitive blocks keeps no sensitive string either.
 */
static void
test_sensitive(void **state)
{
	const struct resource *r;
	struct coll c;
	struct diag d;
	size_t i;

	(void)state;
	diag_init(&d);
	assert_int_equal(read_plan(FIX "/terraform/aws-iam-no-admin-policies/"
				       "plan.json",
			     &c, &d),
	    0);
	for (i = 0; i < c.n; i++)
		assert_false(holds(c.v[i].attrs, "SECRET-MARKER"));
	r = find(&c, "aws_iam_policy.secret");
	assert_non_null(r);
	assert_non_null(r->unreadable);
	assert_string_equal(
	    doc_str(doc_get(doc_get(r->attrs, "PolicyVersion"), "Document")),
	    "(sensitive)");
	arena_free(c.a);
	diag_free(&d);
}

/*
 * Real plans (copies in tests/fixtures/terraform/real, README.md):
 * resources under their full addresses, modules as namespaces of the
 * Terraform map; a state and a broken file refused with a position; the
 * UTF-16 plan of Windows PowerShell read like any other.
 */
static void
test_real_plans(void **state)
{
	const struct adapter *ad;
	struct coll c;
	struct diag d;

	(void)state;
	diag_init(&d);
	assert_int_equal(
	    read_plan(FIX "/terraform/real/nested_modules.json", &c, &d), 0);
	assert_int_equal(c.n, 4);
	assert_non_null(find(&c,
	    "module.s3_module.module.s3_submodule.aws_s3_bucket."
	    "submodule_bucket"));
	assert_non_null(find(&c, "module.s3_bucket.aws_s3_bucket.this[0]"));
	arena_free(c.a);
	assert_int_equal(
	    read_plan(FIX "/terraform/real/terragoat.json", &c, &d), 0);
	assert_int_equal(c.n, 13);
	arena_free(c.a);
	assert_int_equal(
	    read_plan(FIX "/terraform/real/win_utf16.json", &c, &d), 0);
	assert_int_equal(c.n, 1);
	arena_free(c.a);
	ad = adapter_detect(&d, FIX "/terraform/real/win_utf16.json");
	assert_non_null(ad);
	assert_string_equal(ad->name, "terraform-plan");
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(
	    read_plan(FIX "/terraform/real/state_not_plan.json", &c, &d), -1);
	assert_diag_has(&d, "is a Terraform state ('values'), not a plan");
	arena_free(c.a);
	diag_clear(&d);
	assert_int_equal(
	    read_plan(FIX "/terraform/real/invalid_plan.json", &c, &d), -1);
	assert_diag_has(&d, "invalid_plan.json:676:29: error: invalid JSON");
	arena_free(c.a);
	diag_clear(&d);
	/* Only unmapped types (null_resource): nothing, and a note. */
	assert_int_equal(
	    read_plan(FIX "/terraform/real/sensitive_values.json", &c, &d), 0);
	assert_int_equal(c.n, 0);
	assert_diag_has(&d, "of types rampart does not map");
	arena_free(c.a);
	diag_free(&d);
}

/* ------------------------------------------------- the other providers */

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* The node at a dotted path of r's attributes ("a.b.0.c"). */
static const struct doc_node *
at(const struct resource *r, const char *path)
{
	const struct doc_node *n = r->attrs;
	char buf[256], *p, *e;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf; n != NULL && p != NULL; p = e) {
		if ((e = strchr(p, '.')) != NULL)
			*e++ = '\0';
		if (*p >= '0' && *p <= '9')
			n = doc_index(n, (size_t)strtoul(p, NULL, 10));
		else
			n = doc_get(n, p);
	}
	return n;
}

static const char *
str_at(const struct resource *r, const char *path)
{
	const struct doc_node *n = at(r, path);

	return n != NULL ? doc_str(n) : NULL;
}

static size_t
len_at(const struct resource *r, const char *path)
{
	const struct doc_node *n = at(r, path);

	return n != NULL && n->type == DOC_SEQ ? n->u.seq.n : (size_t)-1;
}

#define RC(addr, type, name, acts, after, unknown) \
	"{\"address\":\"" addr "\",\"mode\":\"managed\",\"type\":\"" type \
	"\",\"name\":\"" name "\",\"change\":{\"actions\":[\"" acts \
	"\"],\"after\":" after ",\"after_unknown\":" unknown "}}"

/*
 * Azure, Google Cloud and Oracle Cloud resources in the shapes their
 * sections of docs/resources.md define (their checks are on their own
 * branches; the shapes are what those checks read): an NSG with its
 * inline, by-reference and by-value rules in ARM's properties; firewall
 * rules grouped by network (by value and by reference), none for a
 * network known only after apply; a security list in the OCI CLI's
 * kebab-case, an unknown rule as an unknown protocol.
 */
static void
test_other_providers(void **state)
{
	char path[128];
	const struct resource *r;
	struct coll c;
	struct diag d;

	(void)state;
	snprintf(path, sizeof(path), "%s/plan.json", tmpdir);
	write_file(path,
	    "{\"format_version\":\"1.2\",\"planned_values\":{},"
	    "\"resource_changes\":[" RC("azurerm_network_security_group.web",
		"azurerm_network_security_group", "web", "create",
		"{\"name\":\"web-nsg\",\"location\":\"eastus\","
		"\"security_rule\":[{\"name\":\"ssh\",\"priority\":100,"
		"\"direction\":\"Inbound\",\"access\":\"Allow\","
		"\"protocol\":\"Tcp\",\"source_address_prefix\":\"*\","
		"\"source_address_prefixes\":[],"
		"\"destination_port_range\":\"22\"}]}",
		"{\"id\":true}") "," RC("azurerm_network_security_rule.rdp",
		"azurerm_network_security_rule", "rdp", "create",
		"{\"name\":\"rdp\",\"priority\":110,\"direction\":\"Inbound\","
		"\"access\":\"Allow\",\"protocol\":\"Tcp\","
		"\"source_address_prefix\":\"Internet\","
		"\"destination_port_range\":\"3389\","
		"\"network_security_group_name\":\"web-nsg\"}",
		"{\"id\":true}") "," RC("azurerm_network_security_group.db",
		"azurerm_network_security_group", "db", "create",
		"{\"name\":\"db-nsg\"}",
		"{\"id\":true,\"security_rule\":true}") "," RC("azurerm_"
							       "storage_"
							       "account.sa",
		"azurerm_storage_account", "sa", "create",
		"{\"name\":\"acct\",\"https_traffic_only_enabled\":true,"
		"\"min_tls_version\":null,"
		"\"allow_nested_items_to_be_public\":false,"
		"\"public_network_access_enabled\":false}",
		"{\"id\":true}") "," RC("google_compute_firewall.a",
		"google_compute_firewall", "a", "create",
		"{\"name\":\"a\",\"network\":null,\"source_ranges\":"
		"[\"0.0.0.0/0\"],\"allow\":[{\"protocol\":\"tcp\","
		"\"ports\":[]}],\"deny\":[],\"priority\":null}",
		"{\"id\":true,\"network\":true}") "," RC("google_compute_"
							 "firewall.b",
		"google_compute_firewall", "b", "create",
		"{\"name\":\"b\",\"network\":null,\"source_ranges\":[],"
		"\"deny\":[{\"protocol\":\"all\",\"ports\":[]}],"
		"\"allow\":[]}",
		"{\"id\":true,\"network\":true}") "," RC("google_compute_"
							 "firewall.c",
		"google_compute_firewall", "c", "no-op",
		"{\"name\":\"c\",\"network\":\"default\",\"allow\":[]}",
		"{}") "," RC("google_compute_firewall.d",
		"google_compute_firewall", "d", "create",
		"{\"name\":\"d\",\"network\":null,\"allow\":[]}",
		"{\"network\":true}") "," RC("oci_core_security_list.sl",
		"oci_core_security_list", "sl", "create",
		"{\"display_name\":\"sl\",\"ingress_security_rules\":["
		"{\"protocol\":\"6\",\"source\":\"0.0.0.0/0\","
		"\"source_type\":\"CIDR_BLOCK\",\"stateless\":false,"
		"\"tcp_options\":[{\"min\":22,\"max\":22}],"
		"\"udp_options\":[]},{\"protocol\":\"17\"}]}",
		"{\"id\":true,\"ingress_security_rules\":[{},"
		"{\"source\":true}]}") "," RC("oci_objectstorage_bucket.b",
		"oci_objectstorage_bucket", "b", "create",
		"{\"name\":\"b\",\"namespace\":\"ns\"}",
		"{\"id\":true}") "],\"configuration\":{\"root_module\":{"
				 "\"resources\":["
				 "{\"address\":\"google_compute_firewall.a\","
				 "\"type\":"
				 "\"google_compute_firewall\",\"expressions\":{"
				 "\"network\":"
				 "{\"references\":[\"google_compute_network."
				 "vpc.id\","
				 "\"google_compute_network.vpc\"]}}},"
				 "{\"address\":\"google_compute_firewall.b\","
				 "\"type\":"
				 "\"google_compute_firewall\",\"expressions\":{"
				 "\"network\":"
				 "{\"references\":[\"google_compute_network."
				 "vpc.self_link\","
				 "\"google_compute_network.vpc\"]}}}]}}}\n");
	diag_init(&d);
	assert_int_equal(read_plan(path, &c, &d), 0);
	assert_int_equal(c.n, 9);

	r = find(&c, "azurerm_network_security_group.web");
	assert_non_null(r);
	assert_int_equal(len_at(r, "properties.securityRules"), 2);
	assert_string_equal(
	    str_at(r, "properties.securityRules.0.properties.access"), "Allow");
	assert_string_equal(str_at(r,
				"properties.securityRules.0.properties."
				"destinationPortRange"),
	    "22");
	assert_string_equal(
	    str_at(r, "properties.securityRules.1.name"), "rdp");
	assert_string_equal(str_at(r,
				"properties.securityRules.1.properties."
				"sourceAddressPrefix"),
	    "Internet");
	/* Rules known only after apply: one rule that cannot be read. */
	r = find(&c, "azurerm_network_security_group.db");
	assert_non_null(r);
	assert_int_equal(len_at(r, "properties.securityRules"), 1);
	assert_non_null(
	    strstr(str_at(r, "properties.securityRules.0.properties"),
		"not known until apply"));
	r = find(&c, "azurerm_storage_account.sa");
	assert_non_null(r);
	assert_true(at(r, "properties.supportsHttpsTrafficOnly")->u.b);
	assert_string_equal(
	    str_at(r, "properties.minimumTlsVersion"), "TLS1_2");
	assert_string_equal(
	    str_at(r, "properties.publicNetworkAccess"), "Disabled");

	r = find(&c, "google_compute_firewall.a");
	assert_non_null(r);
	assert_string_equal(r->type, "GCP::Compute::Firewall");
	assert_string_equal(str_at(r, "direction"), "INGRESS");
	assert_int_equal(at(r, "priority")->u.i, 1000);
	assert_null(at(r, "allowed.0.ports")); /* [] is every port */
	assert_int_equal(len_at(r, "rampartNetworkRules"), 2);
	assert_null(at(find(&c, "google_compute_firewall.b"), "sourceRanges"));
	assert_int_equal(len_at(find(&c, "google_compute_firewall.b"),
			     "rampartNetworkRules"),
	    2);
	assert_int_equal(len_at(find(&c, "google_compute_firewall.c"),
			     "rampartNetworkRules"),
	    1);
	assert_null(
	    at(find(&c, "google_compute_firewall.d"), "rampartNetworkRules"));

	r = find(&c, "oci_core_security_list.sl");
	assert_non_null(r);
	assert_string_equal(
	    str_at(r, "ingress-security-rules.0.source-type"), "CIDR_BLOCK");
	assert_int_equal(at(r,
			     "ingress-security-rules.0.tcp-options."
			     "destination-port-range.max")
			     ->u.i,
	    22);
	assert_null(at(r, "ingress-security-rules.0.udp-options"));
	assert_non_null(strstr(str_at(r, "ingress-security-rules.1.protocol"),
	    "not known until apply"));
	r = find(&c, "oci_objectstorage_bucket.b");
	assert_non_null(r);
	assert_string_equal(str_at(r, "public-access-type"), "NoPublicAccess");
	arena_free(c.a);
	diag_free(&d);
}

/* ------------------------------------------------------------ the spill */

/*
 * NB buckets, each with its public access block joined by value and a
 * policy joined by reference (the bucket's name known only after apply),
 * and NB groups each with a rule joined by value; parts_first writes
 * every part before the targets it configures.
 */
#define NB 300

static void
write_joins(const char *path, int parts_first)
{
	FILE *fp = fopen(path, "w");
	int pass, i, n = 0;

	assert_non_null(fp);
	fputs("{\"format_version\":\"1.2\",\"resource_changes\":[", fp);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < NB; i++) {
			if ((pass == 0) == (parts_first != 0)) {
				fprintf(fp,
				    "%s{\"address\":\"aws_s3_bucket_public_"
				    "access_block.p[%d]\",\"mode\":\"managed\","
				    "\"type\":\"aws_s3_bucket_public_access_"
				    "block\",\"name\":\"p\",\"change\":{"
				    "\"actions\":[\"create\"],\"after\":{"
				    "\"bucket\":\"b-%d\",\"block_public_acls"
				    "\":%s,\"block_public_policy\":true,"
				    "\"ignore_public_acls\":true,"
				    "\"restrict_public_buckets\":true}}}",
				    n++ ? "," : "", i, i,
				    i % 3 ? "true" : "false");
				fprintf(fp,
				    ",{\"address\":\"aws_s3_bucket_policy.q[%d]"
				    "\",\"mode\":\"managed\",\"type\":"
				    "\"aws_s3_bucket_policy\",\"name\":\"q\","
				    "\"change\":{\"actions\":[\"create\"],"
				    "\"after\":{\"policy\":\"{\\\"Id\\\":"
				    "\\\"p-%d\\\"}\"},"
				    "\"after_unknown\":{\"bucket\":true}}}",
				    i, i);
				fprintf(fp,
				    ",{\"address\":\"aws_vpc_security_group_"
				    "ingress_rule.r[%d]\",\"mode\":\"managed\","
				    "\"type\":\"aws_vpc_security_group_ingress_"
				    "rule\",\"name\":\"r\",\"change\":{"
				    "\"actions\":[\"create\"],\"after\":{"
				    "\"security_group_id\":\"sg-%d\","
				    "\"ip_protocol\":\"tcp\",\"from_port\":%d,"
				    "\"to_port\":%d,\"cidr_ipv4\":\"0.0.0.0/"
				    "0\"}}}",
				    i, i, 20 + i, 20 + i);
				continue;
			}
			fprintf(fp,
			    "%s{\"address\":\"aws_s3_bucket.b[%d]\",\"mode"
			    "\":\"managed\",\"type\":\"aws_s3_bucket\","
			    "\"name\":\"b\",\"change\":{\"actions\":"
			    "[\"create\"],\"after\":{\"bucket\":\"b-%d\"}}}",
			    n++ ? "," : "", i, i);
			fprintf(fp,
			    ",{\"address\":\"aws_security_group.g[%d]\","
			    "\"mode\":\"managed\",\"type\":"
			    "\"aws_security_group\",\"name\":\"g\","
			    "\"change\":{\"actions\":[\"update\"],"
			    "\"after\":{\"id\":\"sg-%d\",\"name\":\"g\","
			    "\"ingress\":[],\"egress\":[]}}}",
			    i, i);
		}
	}
	fputs("],\"configuration\":{\"root_module\":{\"resources\":["
	      "{\"address\":\"aws_s3_bucket_policy.q\",\"type\":"
	      "\"aws_s3_bucket_policy\",\"expressions\":{\"bucket\":{"
	      "\"references\":[\"aws_s3_bucket.b.id\",\"aws_s3_bucket.b"
	      "\"]}}}]}}}\n",
	    fp);
	assert_int_equal(fclose(fp), 0);
}

/*
 * Targets and parts go through the spill file and are joined at the
 * end: whether a part comes before or after its target, each of NB
 * buckets and groups gets its own parts (a block per bucket, the
 * configuration's reference by instance key, one rule per group), the
 * same tree either way.  Without a temporary directory the plan is an
 * error, never a half-joined pass.
 */
static void
test_spill(void **state)
{
	struct coll c[2];
	const struct resource *r, *r2;
	char path[2][128], addr[64];
	struct diag d;
	int k, i;

	(void)state;
	diag_init(&d);
	for (k = 0; k < 2; k++) {
		snprintf(
		    path[k], sizeof(path[k]), "%s/spill%d.json", tmpdir, k);
		write_joins(path[k], k);
		if (read_plan(path[k], &c[k], &d) != 0)
			test_print_diag(&d);
		assert_int_equal(d.nerrors, 0);
		assert_int_equal(c[k].n, 2 * NB);
	}
	for (i = 0; i < NB; i++) {
		snprintf(addr, sizeof(addr), "aws_s3_bucket.b[%d]", i);
		r = find(&c[0], addr);
		r2 = find(&c[1], addr);
		assert_non_null(r);
		assert_non_null(r2);
		assert_true(at(r,
				"PublicAccessBlockConfiguration."
				"BlockPublicAcls")
				->u.b == (i % 3 != 0));
		snprintf(addr, sizeof(addr), "p-%d", i);
		assert_non_null(str_at(r, "Policy.Id"));
		assert_string_equal(str_at(r, "Policy.Id"), addr);
		assert_true(doc_equal(r->attrs, r2->attrs));
		snprintf(addr, sizeof(addr), "aws_security_group.g[%d]", i);
		r = find(&c[0], addr);
		r2 = find(&c[1], addr);
		assert_non_null(r);
		assert_non_null(r2);
		assert_int_equal(len_at(r, "IpPermissions"), 1);
		assert_int_equal(
		    at(r, "IpPermissions.0.FromPort")->u.i, 20 + i);
		assert_true(doc_equal(r->attrs, r2->attrs));
	}
	for (k = 0; k < 2; k++)
		arena_free(c[k].a);
	setenv("TMPDIR", "/nonexistent/rampart-test", 1);
	assert_int_equal(read_plan(path[0], &c[0], &d), -1);
	unsetenv("TMPDIR");
	assert_diag_has(&d, "cannot create a temporary file");
	assert_int_equal(c[0].n, 0);
	arena_free(c[0].a);
	for (k = 0; k < 2; k++)
		unlink(path[k]);
	diag_free(&d);
}

/*
 * A part whose configuration names its target without an index
 * (`bucket = aws_s3_bucket.b[var.i].id`: references "aws_s3_bucket.b"):
 * with one bucket it is that bucket's; with several and none of the
 * part's own instance key, it may be any of them, so every bucket's
 * public access block is unreadable (error), never another bucket's
 * settings (a wrong pass); with matching keys each gets its own.
 */
static void
write_ref_plan(
    const char *path, const char *bidx, int nb, const char *pidx, int np)
{
	FILE *fp = fopen(path, "w");
	int i, n = 0;

	assert_non_null(fp);
	fputs("{\"format_version\":\"1.2\",\"resource_changes\":[", fp);
	for (i = 0; i < nb; i++)
		fprintf(fp,
		    "%s{\"address\":\"aws_s3_bucket.b%s\",\"mode\":"
		    "\"managed\",\"type\":\"aws_s3_bucket\",\"name\":"
		    "\"b\",\"change\":{\"actions\":[\"create\"],"
		    "\"after\":{},\"after_unknown\":{\"bucket\":true}}}",
		    n++ ? "," : "", nb > 1 ? (i ? "[1]" : "[0]") : bidx);
	for (i = 0; i < np; i++)
		fprintf(fp,
		    ",{\"address\":\"aws_s3_bucket_public_access_block.p%s"
		    "\",\"mode\":\"managed\",\"type\":\"aws_s3_bucket_"
		    "public_access_block\",\"name\":\"p\",\"change\":{"
		    "\"actions\":[\"create\"],\"after\":{"
		    "\"block_public_acls\":%s,\"block_public_policy\":true,"
		    "\"ignore_public_acls\":true,\"restrict_public_buckets\":"
		    "true},\"after_unknown\":{\"bucket\":true}}}",
		    np > 1 ? (i ? "[1]" : "[0]") : pidx, i ? "false" : "true");
	fputs("],\"configuration\":{\"root_module\":{\"resources\":["
	      "{\"address\":\"aws_s3_bucket_public_access_block.p\","
	      "\"type\":\"aws_s3_bucket_public_access_block\","
	      "\"expressions\":{\"bucket\":{\"references\":["
	      "\"aws_s3_bucket.b\",\"var.i\"]}}}]}}}\n",
	    fp);
	assert_int_equal(fclose(fp), 0);
}

/* A bucket's BlockPublicAcls: 0, 1, or -1 when it has none. */
static int
block_acls(const struct coll *c, const char *addr)
{
	const struct resource *r = find(c, addr);
	const struct doc_node *n;

	assert_non_null(r);
	n = at(r, "PublicAccessBlockConfiguration.BlockPublicAcls");
	return n != NULL && n->type == DOC_BOOL ? n->u.b != 0 : -1;
}

static void
test_ambiguous_reference(void **state)
{
	struct coll c;
	struct diag d;
	char path[128];
	const char *pab = "PublicAccessBlockConfiguration";
	size_t i;

	(void)state;
	diag_init(&d);
	snprintf(path, sizeof(path), "%s/ambiguous.json", tmpdir);
	/* One bucket: the part's. */
	write_ref_plan(path, "", 1, "", 1);
	assert_int_equal(read_plan(path, &c, &d), 0);
	assert_int_equal(block_acls(&c, "aws_s3_bucket.b"), 1);
	arena_free(c.a);
	/* Two buckets, one part without an instance key: either bucket. */
	write_ref_plan(path, "", 2, "", 1);
	assert_int_equal(read_plan(path, &c, &d), 0);
	assert_int_equal(c.n, 2);
	for (i = 0; i < c.n; i++) {
		assert_null(at(&c.v[i], pab));
		assert_non_null(doc_get(c.v[i].unreadable, pab));
	}
	arena_free(c.a);
	/* Two and two, keys matching: each bucket its own block. */
	write_ref_plan(path, "", 2, "", 2);
	assert_int_equal(read_plan(path, &c, &d), 0);
	assert_int_equal(block_acls(&c, "aws_s3_bucket.b[0]"), 1);
	assert_int_equal(block_acls(&c, "aws_s3_bucket.b[1]"), 0);
	arena_free(c.a);
	assert_int_equal(d.nerrors, 0);
	unlink(path);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_metamorphic),
		cmocka_unit_test(test_security_group_forms),
		cmocka_unit_test(test_sensitive),
		cmocka_unit_test(test_real_plans),
		cmocka_unit_test(test_other_providers),
		cmocka_unit_test(test_spill),
		cmocka_unit_test(test_ambiguous_reference),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("terraform", tests, setup, teardown);
}
