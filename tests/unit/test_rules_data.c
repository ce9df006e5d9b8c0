/*
 * test_rules_data.c: runs the data-driven assertion tests,
 * tests/rules/<name>.test (paths relative to the repository root, where the
 * test runner starts us).
 *
 * A .test file is a sequence of blocks (jq's tests/jq.test style).
 * Outside blocks, blank lines and lines starting with '#' are comments.
 *
 *	%%TEST name of the case
 *	<rule: YAML map with `assert:` (the assertion tree), optional
 *	 `params:` (declarations: name -> {type, default, description}),
 *	 `values:` (bound parameter values; default: the declared defaults)
 *	 and `now:` (evaluation time; default 2024-01-01T00:00:00Z)>
 *	%%INPUT
 *	<resource attributes, JSON or YAML>
 *	%%EXPECT pass|fail|error [text the explanation must contain]
 *
 * A %%TEST block may hold several %%INPUT / %%EXPECT pairs, each run
 * against the same rule.
 *
 *	%%FAIL name of the case
 *	<rule YAML that must not compile>
 *	%%EXPECT
 *	LINE:COL: message
 *	...
 *
 * The expected diagnostics of a %%FAIL block (up to the next blank line
 * or %% line) must be exactly the diagnostics reported, in order.  LINE
 * is counted from 1 at the first line of the rule, COL from 1 in
 * characters; the rule is written to a file of its own, so quoted
 * scalars are located as in a real rule pack.
 */
#include "testutil.h"

#include <glob.h>

#include "rules/rules.h"

#define DEFAULT_NOW 1704067200 /* 2024-01-01T00:00:00Z */

struct section {
	char *text;
	size_t len;
	int line; /* line in the .test file where the section starts */
};

struct runner {
	char dir[64]; /* temporary directory for rule files */
	char rule_path[128];
	int cases, failures;
};

/* Append a line to a section. */
static void
sec_add(struct strbuf *sb, const char *line, size_t len)
{
	sb_add(sb, line, len);
	sb_addc(sb, '\n');
}

static void report(struct runner *r, const char *file, int line,
    const char *name, const char *fmt, ...) PRINTF_LIKE(5, 6);

static void
report(struct runner *r, const char *file, int line, const char *name,
    const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	print_message("%s:%d: %s: %s\n", file, line, name, buf);
	r->failures++;
}

/* Load the rule text (written to a file) and compile its assertion. */
static struct assertion *
load_rule(struct runner *r, struct arena *a, struct diag *d, const char *text,
    const struct doc_node **root)
{
	struct doc_node *n;

	if (atomic_write(d, r->rule_path, text, strlen(text), 0600) == -1)
		return NULL;
	n = doc_load_one(a, d, r->rule_path, DOC_FMT_YAML, NULL);
	*root = n;
	if (n == NULL)
		return NULL;
	if (n->type != DOC_MAP || doc_get(n, "assert") == NULL) {
		diag_err(d, &n->mark, "test rule has no 'assert'");
		return NULL;
	}
	return assert_compile(a, d, doc_get(n, "assert"), doc_get(n, "params"));
}

/* Bound values: `values:`, else the declared defaults. */
static const struct doc_node *
bound_params(struct arena *a, const struct doc_node *rule)
{
	const struct doc_node *v = doc_get(rule, "values"), *decl;
	struct doc_node *m;
	size_t i;

	if (v != NULL)
		return v;
	if ((m = doc_new(a, DOC_MAP, NULL)) == NULL)
		return NULL;
	decl = doc_get(rule, "params");
	for (i = 0; decl != NULL && i < decl->u.map.n; i++) {
		const struct doc_node *def =
		    doc_get(decl->u.map.pairs[i].val, "default");

		if (def != NULL)
			doc_map_put(a, m, decl->u.map.pairs[i].key,
			    (struct doc_node *)def);
	}
	return m;
}

static void
diag_dump(const struct diag *d)
{
	char buf[2048];
	size_t i;

	for (i = 0; i < d->n; i++) {
		diag_format(d, i, buf, sizeof(buf));
		print_message("    %s\n", buf);
	}
}

/* One %%INPUT / %%EXPECT pair of a %%TEST block. */
static void
run_case(struct runner *r, const char *file, const char *name,
    const struct section *rule, const struct section *input, const char *expect,
    int expect_line)
{
	struct arena *a = arena_new();
	struct diag d;
	struct check_ctx c;
	struct assertion *as;
	const struct doc_node *root = NULL, *now;
	struct doc_node **docs;
	size_t nd;
	enum status want, got;
	const char *why = NULL, *sub;
	char word[32];
	size_t wl;

	assert_non_null(a);
	diag_init(&d);
	r->cases++;
	wl = strcspn(expect, " \t");
	if (wl >= sizeof(word)) {
		report(r, file, expect_line, name, "bad %%%%EXPECT line");
		goto out;
	}
	memcpy(word, expect, wl);
	word[wl] = '\0';
	sub = expect + wl;
	sub += strspn(sub, " \t");
	if (status_parse(word, &want) == -1) {
		report(r, file, expect_line, name, "unknown status '%s'", word);
		goto out;
	}
	if ((as = load_rule(r, a, &d, rule->text, &root)) == NULL) {
		report(r, file, rule->line, name, "rule did not compile:");
		diag_dump(&d);
		goto out;
	}
	if (doc_load_buf(a, &d, "input", input->text, input->len, DOC_FMT_AUTO,
		NULL, &docs, &nd) == -1 ||
	    nd != 1) {
		report(r, file, input->line, name, "bad input:");
		diag_dump(&d);
		goto out;
	}
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.d = &d;
	c.params = bound_params(a, root);
	c.now = DEFAULT_NOW;
	if ((now = doc_get(root, "now")) != NULL) {
		if (now->type == DOC_INT)
			c.now = now->u.i;
		else if (now->type != DOC_STRING ||
		    parse_time(now->str, &c.now) == -1) {
			report(r, file, rule->line, name, "bad 'now'");
			goto out;
		}
	}
	check_ctx_reset(&c);
	/* As the engine does with struct resource's unreadable. */
	c.unreadable = doc_get(docs[0], RESOURCE_UNREADABLE);
	got = assert_eval(as, docs[0], &c, &why);
	if (got != want) {
		report(r, file, expect_line, name, "expected %s, got %s: %s",
		    status_name(want), status_name(got), why ? why : "(null)");
		goto out;
	}
	if (why == NULL || (*sub != '\0' && strstr(why, sub) == NULL)) {
		report(r, file, expect_line, name,
		    "explanation '%s' does not contain '%s'",
		    why ? why : "(null)", sub);
		goto out;
	}
	/* Every evaluated leaf records evidence. */
	if (c.result.nev == 0)
		report(r, file, expect_line, name, "no evidence recorded");
out:
	diag_free(&d);
	arena_free(a);
}

/* A %%FAIL block: the rule must not compile, with exactly these diags. */
static void
run_fail(struct runner *r, const char *file, const char *name,
    const struct section *rule, const struct section *expect)
{
	struct arena *a = arena_new();
	struct diag d;
	const struct doc_node *root;
	struct strbuf got;
	size_t i;

	assert_non_null(a);
	diag_init(&d);
	sb_init(&got);
	r->cases++;
	if (load_rule(r, a, &d, rule->text, &root) != NULL) {
		report(r, file, rule->line, name, "rule compiled");
		goto out;
	}
	for (i = 0; i < d.n; i++)
		sb_printf(
		    &got, "%u:%u: %s\n", d.v[i].line, d.v[i].col, d.v[i].msg);
	if (got.s == NULL || strcmp(got.s, expect->text) != 0) {
		report(r, file, expect->line, name,
		    "diagnostics differ\n  expected:\n%s  got:\n%s",
		    expect->text, got.s ? got.s : "(none)\n");
		goto out;
	}
out:
	sb_free(&got);
	diag_free(&d);
	arena_free(a);
}

enum mode { M_OUT, M_RULE, M_INPUT, M_FAILEXP };

static void
run_file(struct runner *r, const char *file)
{
	struct diag d;
	char *buf, *p, *nl, *name = NULL;
	size_t len, ll;
	struct strbuf rule, input, exp;
	struct section rs = { 0 }, is = { 0 }, es = { 0 };
	enum mode mode = M_OUT;
	int lineno = 0, is_fail = 0, pairs = 0;

	diag_init(&d);
	if (file_read_all(&d, file, 0, &buf, &len) == -1)
		fail_msg("cannot read %s", file);
	diag_free(&d);
	sb_init(&rule);
	sb_init(&input);
	sb_init(&exp);
	for (p = buf; p < buf + len; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		ll = (size_t)(nl - p);
		if (mode == M_FAILEXP && (ll == 0 || strncmp(p, "%%", 2))) {
			if (ll == 0) {
				es.text = exp.s ? exp.s : "";
				run_fail(r, file, name, &rs, &es);
				mode = M_OUT;
			} else {
				sec_add(&exp, p, ll);
			}
			continue;
		}
		if (mode == M_FAILEXP) {
			es.text = exp.s ? exp.s : "";
			run_fail(r, file, name, &rs, &es);
			mode = M_OUT;
		}
		if (ll >= 2 && strncmp(p, "%%", 2) == 0) {
			char *arg = p + 2 + strcspn(p + 2, " \n");

			while (arg < nl && *arg == ' ')
				arg++;
			if (strncmp(p, "%%TEST", 6) == 0 ||
			    strncmp(p, "%%FAIL", 6) == 0) {
				if (mode == M_RULE || mode == M_INPUT)
					report(r, file, lineno, name,
					    "block without %%%%EXPECT");
				if (!is_fail && name != NULL && pairs == 0)
					report(r, file, lineno, name,
					    "%%%%TEST without a case");
				lib_free(name);
				name = lib_malloc((size_t)(nl - arg) + 1);
				memcpy(name, arg, (size_t)(nl - arg));
				name[nl - arg] = '\0';
				is_fail = p[2] == 'F';
				pairs = 0;
				sb_free(&rule);
				sb_init(&rule);
				rs.line = lineno + 1;
				mode = M_RULE;
			} else if (strncmp(p, "%%INPUT", 7) == 0 && !is_fail &&
			    name != NULL) {
				rs.text = rule.s ? rule.s : "";
				sb_free(&input);
				sb_init(&input);
				is.line = lineno + 1;
				mode = M_INPUT;
			} else if (strncmp(p, "%%EXPECT", 8) == 0 &&
			    mode == M_INPUT) {
				char *e = lib_malloc((size_t)(nl - arg) + 1);

				memcpy(e, arg, (size_t)(nl - arg));
				e[nl - arg] = '\0';
				is.text = input.s ? input.s : "";
				is.len = input.len;
				run_case(r, file, name, &rs, &is, e, lineno);
				lib_free(e);
				pairs++;
				mode = M_OUT;
			} else if (strncmp(p, "%%EXPECT", 8) == 0 &&
			    mode == M_RULE && is_fail) {
				rs.text = rule.s ? rule.s : "";
				sb_free(&exp);
				sb_init(&exp);
				es.line = lineno + 1;
				mode = M_FAILEXP;
			} else {
				report(r, file, lineno, name ? name : "-",
				    "unexpected '%.*s'", (int)ll, p);
				mode = M_OUT;
			}
			continue;
		}
		switch (mode) {
		case M_RULE:
			sec_add(&rule, p, ll);
			break;
		case M_INPUT:
			sec_add(&input, p, ll);
			break;
		default:
			if (ll > 0 && p[0] != '#')
				report(r, file, lineno, name ? name : "-",
				    "text outside a block");
			break;
		}
	}
	if (mode == M_FAILEXP) {
		es.text = exp.s ? exp.s : "";
		run_fail(r, file, name, &rs, &es);
	} else if (mode != M_OUT) {
		report(
		    r, file, lineno, name ? name : "-", "unterminated block");
	}
	lib_free(name);
	sb_free(&rule);
	sb_free(&input);
	sb_free(&exp);
	lib_free(buf);
}

static void
test_rules_files(void **state)
{
	struct runner r;
	glob_t g;
	size_t i;

	(void)state;
	memset(&r, 0, sizeof(r));
	snprintf(r.dir, sizeof(r.dir), "/tmp/rampart-rules-XXXXXX");
	assert_non_null(mkdtemp(r.dir));
	snprintf(r.rule_path, sizeof(r.rule_path), "%s/rule.yaml", r.dir);
	if (glob("tests/rules/*.test", 0, NULL, &g) != 0)
		fail_msg(
		    "no tests/rules/*.test (run from the repository root)");
	for (i = 0; i < g.gl_pathc; i++)
		run_file(&r, g.gl_pathv[i]);
	print_message("%zu files, %d cases, %d failures\n", g.gl_pathc, r.cases,
	    r.failures);
	globfree(&g);
	unlink(r.rule_path);
	rmdir(r.dir);
	assert_int_equal(r.failures, 0);
	assert_true(r.cases > 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_files),
	};

	RUN_TESTS("rules_data", tests, argc, argv);
}
