/*
 * fuzz_assert.c: the assertion compiler and evaluator on arbitrary YAML.
 * The input is a YAML document holding an assertion tree, or a map with
 * `assert:` (the tree) and `params:` (declarations).  A tree that
 * compiles is evaluated against a small fixed resource.  Invariants: a
 * failed compile always comes with an error diagnostic; evaluation yields
 * pass, fail or error with an explanation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char resource[] =
    "{\"Name\": \"prod-bucket\", \"Encrypted\": true, \"Size\": 42,"
    " \"Ratio\": 0.5, \"Count\": \"17\", \"Created\": "
    "\"2024-01-01T00:00:00Z\", \"Epoch\": 1700000000,"
    " \"Tags\": {\"Owner\": \"ops\", \"Env\": \"prod\"},"
    " \"Rules\": [{\"Cidr\": \"10.0.0.0/8\", \"Port\": 22},"
    " {\"Cidr\": \"0.0.0.0/0\", \"Port\": 443}, {\"Cidr\": \"::/0\"}],"
    " \"Empty\": [], \"Null\": null, \"Policy\": {\"Statement\": [{"
    "\"Effect\": \"Allow\", \"Principal\": \"*\", \"Condition\": {\"Bool\":"
    " {\"aws:SecureTransport\": \"false\"}}}]}}";

static const char values[] =
    "{min: 3, re: '^prod', list: [1, 2, 'x'], net: '10.0.0.0/8',"
    " flag: true, name: ops, bad_re: 'a(', age: 30}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = NULL, *res = NULL;
	struct diag d;
	struct doc_node **docs, **rdocs, **vdocs;
	const struct doc_node *tree, *params = NULL;
	struct assertion *as;
	struct check_ctx c;
	const char *why;
	enum status st;
	size_t n, rn, vn;

	diag_init(&d);
	if ((a = arena_new()) == NULL || (res = arena_new()) == NULL)
		goto out;
	if (doc_load_buf(a, &d, "fuzz.yaml", (const char *)data, size,
		DOC_FMT_YAML, NULL, &docs, &n) == -1 ||
	    n == 0)
		goto out;
	tree = docs[0];
	if (tree->type == DOC_MAP && doc_get(tree, "assert") != NULL) {
		params = doc_get(tree, "params");
		tree = doc_get(tree, "assert");
	}
	as = assert_compile(a, &d, tree, params);
	if (as == NULL) {
		if (d.nerrors == 0)
			abort();
		goto out;
	}
	if (doc_load_buf(a, &d, "resource.json", resource, sizeof(resource) - 1,
		DOC_FMT_JSON, NULL, &rdocs, &rn) == -1 ||
	    doc_load_buf(a, &d, "values.yaml", values, sizeof(values) - 1,
		DOC_FMT_YAML, NULL, &vdocs, &vn) == -1)
		abort();
	memset(&c, 0, sizeof(c));
	c.a = res;
	c.d = &d;
	c.params = vdocs[0];
	c.now = 1717200000;
	check_ctx_reset(&c);
	why = NULL;
	st = assert_eval(as, rdocs[0], &c, &why);
	if ((st != ST_PASS && st != ST_FAIL && st != ST_ERROR) || why == NULL)
		abort();
	/* Twice: cached regexes and evidence buffers are reused. */
	check_ctx_reset(&c);
	if (assert_eval(as, rdocs[0], &c, &why) != st)
		abort();
out:
	arena_free(res);
	arena_free(a);
	diag_free(&d);
	return 0;
}
