/*
 * test_azure.c: the "azure" adapter (checks/sources/azure.c): the
 * recordings converted to the collector's layout, Resource Graph dumps
 * (whole and streamed), paging tokens, recorded errors, per-parent
 * completeness, az CLI's flattened shape, and type-case variants.
 */
#include "tests/unit/testutil.h"

#include "checks/check.h"
#include "checks/sources/sources.h"

#define REC "tests/fixtures/azure/recordings/"

/* One resource or marker seen: type, id, state. */
struct seen {
	char type[96];
	char id[512];
	char account[64];
	char region[32];
	int listing;
	int err;
	char attrs[65536];
};

struct got {
	struct seen v[480];
	size_t n;
};

static int
keep(void *ctx, const struct resource *r, struct arena *a)
{
	struct got *g = ctx;
	struct seen *s;
	FILE *fp;

	(void)a;
	assert_true(g->n < sizeof(g->v) / sizeof(g->v[0]));
	s = &g->v[g->n++];
	memset(s, 0, sizeof(*s));
	snprintf(s->type, sizeof(s->type), "%s", r->type);
	snprintf(s->id, sizeof(s->id), "%s", r->id ? r->id : "");
	snprintf(
	    s->account, sizeof(s->account), "%s", r->account ? r->account : "");
	snprintf(
	    s->region, sizeof(s->region), "%s", r->region ? r->region : "");
	s->listing = r->listing;
	s->err = r->read_error != NULL;
	if (r->attrs != NULL &&
	    (fp = fmemopen(s->attrs, sizeof(s->attrs) - 1, "w")) != NULL) {
		doc_write_json(r->attrs, fp);
		fclose(fp);
	}
	return 0;
}

static int
read_into(const char *path, struct got *g, struct diag *d)
{
	size_t n = 0;

	memset(g, 0, sizeof(*g));
	return adapter_azure.read(d, path, NULL, keep, g, &n);
}

static size_t
count(const struct got *g, const char *type, int listing)
{
	size_t i, n = 0;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->v[i].type, type) == 0 &&
		    g->v[i].listing == listing)
			n++;
	return n;
}

static const struct seen *
marker(const struct got *g, const char *type)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->v[i].listing && strcmp(g->v[i].type, type) == 0)
			return &g->v[i];
	return NULL;
}

static const struct seen *
by_id_suffix(const struct got *g, const char *suffix)
{
	size_t i, n, k = strlen(suffix);

	for (i = 0; i < g->n; i++) {
		n = strlen(g->v[i].id);
		if (n >= k && strcmp(g->v[i].id + n - k, suffix) == 0)
			return &g->v[i];
	}
	return NULL;
}

static char tmproot[256];

static void
mkdirs(const char *path)
{
	char buf[1024], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	mkdir(buf, 0755);
}

static void
put(const char *root, const char *rel, const char *text)
{
	char path[1024], dir[1024], *slash;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		mkdirs(dir);
	}
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static const char *
new_tmpdir(void)
{
	snprintf(tmproot, sizeof(tmproot), "/tmp/rampart-azure-XXXXXX");
	assert_non_null(mkdtemp(tmproot));
	return tmproot;
}

static void
rm_rf(const char *dir)
{
	char cmd[512];

	if (strncmp(dir, "/tmp/rampart-azure-", 19) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

#define SUB "/subscriptions/0000-1111"
#define NSG(name, type) \
	"{\"id\": \"" SUB "/resourceGroups/rg/providers/" \
	"Microsoft.Network/networkSecurityGroups/" name "\", " \
	"\"name\": \"" name "\", \"type\": \"" type "\", " \
	"\"location\": \"EastUS\", \"properties\": {\"securityRules\": []}}"

/* ------------------------------------------------------------ tests */

static void
test_real_nsg_subscription(void **state)
{
	struct got *g = calloc(1, sizeof(*g));
	struct diag d;
	const struct seen *m;

	(void)state;
	diag_init(&d);
	assert_int_equal(read_into(REC "NetworkSecurityGroupTest."
				       "test_cidr_and_ingress_no_match",
			     g, &d),
	    0);
	assert_int_equal(
	    count(g, "Azure::Network::NetworkSecurityGroup", 0), 43);
	m = marker(g, "Azure::Network::NetworkSecurityGroup");
	assert_non_null(m);
	assert_false(m->err);
	m = by_id_suffix(g, "/networkSecurityGroups/nessus");
	assert_non_null(m);
	assert_string_equal(m->account, "ea42f556-5106-4743-99b0-c129bfa71a47");
	assert_true(m->region[0] != '\0');
	assert_non_null(strstr(m->attrs, "\"resourceGroup\":"));
	diag_free(&d);
	free(g);
}

/* The vault listing is merged from its $skiptoken pages; keys joined. */
static void
test_real_key_vault(void **state)
{
	struct got *g = calloc(1, sizeof(*g));
	struct diag d;
	const struct seen *k;

	(void)state;
	diag_init(&d);
	assert_int_equal(read_into(REC "KeyVaultKeyTest."
				       "test_key_vault_keys_rotation",
			     g, &d),
	    0);
	assert_int_equal(count(g, "Azure::KeyVault::Vault", 0), 2);
	assert_int_equal(count(g, "Azure::KeyVault::Key", 0), 2);
	assert_false(marker(g, "Azure::KeyVault::Key")->err);
	k = by_id_suffix(g, "/keys/cfb-qmbknzbm-generated-certificate");
	assert_non_null(k);
	assert_non_null(strstr(k->attrs, "\"timeBeforeExpiry\":\"P30D\""));
	diag_free(&d);
	free(g);
}

/* A vault whose key listing file is missing: the key listing errors. */
static void
test_per_parent_missing(void **state)
{
	const char *root = new_tmpdir();
	struct got *g = calloc(1, sizeof(*g));
	struct diag d;
	const struct seen *m;

	(void)state;
	diag_init(&d);
	put(root, "keyvault/list.json",
	    "{\"value\": [{\"id\": \"" SUB "/resourceGroups/rg/providers/"
	    "Microsoft.KeyVault/vaults/v1\", \"name\": \"v1\", \"type\": "
	    "\"Microsoft.KeyVault/vaults\", \"properties\": {}}, "
	    "{\"id\": \"" SUB "/resourceGroups/rg/providers/"
	    "Microsoft.KeyVault/vaults/v2\", \"name\": \"v2\", \"type\": "
	    "\"Microsoft.KeyVault/vaults\", \"properties\": {}}]}");
	put(root, "keyvault/key-list/v1.json", "{\"value\": []}");
	assert_int_equal(read_into(root, g, &d), 0);
	m = marker(g, "Azure::KeyVault::Key");
	assert_non_null(m);
	assert_true(m->err);
	assert_false(marker(g, "Azure::KeyVault::Vault")->err);
	/* With the second vault's (empty) listing the keys are complete. */
	put(root, "keyvault/key-list/V2.json", "{\"value\": []}");
	assert_int_equal(read_into(root, g, &d), 0);
	assert_false(marker(g, "Azure::KeyVault::Key")->err);
	assert_int_equal(count(g, "Azure::KeyVault::Key", 0), 0);
	rm_rf(root);
	diag_free(&d);
	free(g);
}

/*
 * A file outside the layout (one vault's keys saved as misc/keys.json)
 * lists nothing: its key is read, but no marker claims the type complete,
 * so keys of other vaults cannot be taken for absent.
 */
static void
test_other_file_lists_nothing(void **state)
{
	const char *root = new_tmpdir();
	struct got *g = calloc(1, sizeof(*g));
	struct diag d;

	(void)state;
	diag_init(&d);
	put(root, "misc/keys.json",
	    "{\"value\": [{\"id\": \"" SUB "/resourceGroups/rg/providers/"
	    "Microsoft.KeyVault/vaults/v1/keys/k\", \"name\": \"k\", "
	    "\"type\": \"Microsoft.KeyVault/vaults/keys\", "
	    "\"properties\": {}}]}");
	put(root, "security/pricing-list.json", "{\"value\": []}");
	assert_int_equal(read_into(root, g, &d), 0);
	assert_int_equal(count(g, "Azure::KeyVault::Key", 0), 1);
	assert_null(marker(g, "Azure::KeyVault::Key"));
	assert_non_null(marker(g, "Azure::Security::Pricing"));
	rm_rf(root);
	diag_free(&d);
	free(g);
}

/* nextLink / skip_token left, recorded errors: error markers. */
static void
test_incomplete_listings(void **state)
{
	static const char *const bodies[] = {
		"{\"value\": [" NSG("a",
		    "Microsoft.Network/networkSecurityGroups") "], "
							       "\"nextLink\": "
							       "\"https://"
							       "management."
							       "azure.com/"
							       "x?$skiptoken="
							       "1\"}",
		"{\"count\": 1, \"data\": [" NSG("a",
		    "microsoft.network/"
		    "networksecuritygroups") "], \"skip_token\": \"ew0=\", "
					     "\"total_records\": 7}",
		"{\"error\": {\"code\": \"AuthorizationFailed\", \"message\": "
		"\"no read\"}}",
		"{\"error\": {\"code\": \"TooManyRequests\"}}",
		"{\"totalRecords\": 1, \"count\": 1, \"resultTruncated\": "
		"\"true\","
		" \"data\": [" NSG(
		    "a", "Microsoft.Network/networkSecurityGroups") "]}",
	};
	const char *root = new_tmpdir();
	struct got *g = calloc(1, sizeof(*g));
	struct diag d;
	const struct seen *m;
	size_t i;
	char dir[512];

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		diag_init(&d);
		snprintf(dir, sizeof(dir), "%s/%zu", root, i);
		put(dir, "network/nsg-list.json", bodies[i]);
		assert_int_equal(read_into(dir, g, &d), 0);
		m = marker(g, "Azure::Network::NetworkSecurityGroup");
		assert_non_null(m);
		assert_true(m->err);
		diag_free(&d);
	}
	rm_rf(root);
	free(g);
}

/*
 * Metamorphic: every paging key of the layout (the tokens and Resource
 * Graph's flag) in every value form gives the same listing state whether
 * the file is read whole or streamed (past the 64 KiB head, the key then
 * found in the file's tail): a token says more pages unless null or "",
 * the flag unless false or "false".
 */
static void
test_page_keys_agree(void **state)
{
	static const char *const keys[] = { "nextLink", "@odata.nextLink",
		"skip_token", "$skipToken", "skipToken", "resultTruncated" };
	static const char *const vals[] = { NULL, "null", "\"\"", "false",
		"\"false\"", "\"x\"", "true", "\"true\"" };
	/* per value: whether a token, and the flag, say more pages */
	static const int token_more[] = { 0, 0, 0, 1, 1, 1, 1, 1 };
	static const int flag_more[] = { 0, 1, 1, 0, 0, 1, 1, 1 };
	const char *root = new_tmpdir();
	struct got *g = calloc(1, sizeof(*g));
	const struct seen *m;
	struct diag d;
	char dir[512], path[600];
	size_t k, v, i, n;
	int large, want;
	FILE *fp;

	(void)state;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		for (v = 0; v < sizeof(vals) / sizeof(vals[0]); v++)
			for (large = 0; large < 2; large++) {
				snprintf(dir, sizeof(dir), "%s/%zu-%zu-%d",
				    root, k, v, large);
				snprintf(path, sizeof(path),
				    "%s/network/nsg-list.json", dir);
				put(dir, "network/nsg-list.json", "");
				assert_non_null(fp = fopen(path, "w"));
				n = large ? 400 : 1;
				fputs("{\"value\": [", fp);
				for (i = 0; i < n; i++)
					fprintf(fp,
					    "%s" NSG("n%zu",
						"Microsoft.Network/"
						"networkSecurityGroups"),
					    i ? ", " : "", i, i);
				fputs("]", fp);
				if (vals[v] != NULL)
					fprintf(fp, ", \"%s\": %s", keys[k],
					    vals[v]);
				fputs("}", fp);
				assert_int_equal(fclose(fp), 0);
				diag_init(&d);
				assert_int_equal(read_into(dir, g, &d), 0);
				diag_free(&d);
				assert_int_equal(
				    count(g,
					"Azure::Network::NetworkSecurityGroup",
					0),
				    n);
				m = marker(
				    g, "Azure::Network::NetworkSecurityGroup");
				assert_non_null(m);
				want = k + 1 < sizeof(keys) / sizeof(keys[0])
				    ? token_more[v]
				    : flag_more[v];
				if (m->err != want)
					fail_msg("'%s': %s (%s): marker %s",
					    keys[k],
					    vals[v] ? vals[v] : "absent",
					    large ? "streamed" : "whole",
					    m->err ? "error" : "clean");
			}
	rm_rf(root);
	free(g);
}

/*
 * Metamorphic: the same NSG in every export form and type case gives the
 * same canonical resource and a complete listing.
 */
static void
test_forms_agree(void **state)
{
	static const char *const bodies[] = {
		"{\"value\": [" NSG(
		    "a", "Microsoft.Network/networkSecurityGroups") "]}",
		"{\"value\": [" NSG(
		    "a", "MICROSOFT.NETWORK/NETWORKSECURITYGROUPS") "], "
								    "\"nextLink"
								    "\": null}",
		"{\"count\": 1, \"data\": [" NSG("a",
		    "microsoft.network/"
		    "networksecuritygroups") "], \"skip_token\": null, "
					     "\"total_records\": 1}",
		"[" NSG("a", "microsoft.network/networkSecurityGroups") "]",
		NSG("a", "Microsoft.Network/networkSecurityGroups"),
		/* az network nsg list: flattened, rules without properties */
		"[{\"id\": \"" SUB "/resourceGroups/rg/providers/"
		"Microsoft.Network/networkSecurityGroups/a\", \"name\": \"a\", "
		"\"type\": \"Microsoft.Network/networkSecurityGroups\", "
		"\"location\": \"eastus\", \"securityRules\": []}]",
		/* type null: taken from the id */
		"{\"value\": [{\"id\": \"" SUB "/resourceGroups/rg/providers/"
		"Microsoft.Network/networkSecurityGroups/a\", \"type\": null, "
		"\"location\": \"eastus\", \"properties\": {}}]}",
	};
	const char *root = new_tmpdir();
	struct got *g = calloc(1, sizeof(*g));
	struct diag d;
	const struct seen *r;
	size_t i;
	char dir[512];

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		diag_init(&d);
		snprintf(dir, sizeof(dir), "%s/%zu", root, i);
		put(dir, "network/nsg-list.json", bodies[i]);
		assert_int_equal(read_into(dir, g, &d), 0);
		r = by_id_suffix(g, "/networkSecurityGroups/a");
		assert_non_null(r);
		assert_string_equal(
		    r->type, "Azure::Network::NetworkSecurityGroup");
		assert_string_equal(r->account, "0000-1111");
		assert_string_equal(r->region, "eastus");
		assert_non_null(strstr(r->attrs, "\"properties\":{"));
		assert_non_null(
		    marker(g, "Azure::Network::NetworkSecurityGroup"));
		assert_false(
		    marker(g, "Azure::Network::NetworkSecurityGroup")->err);
		diag_free(&d);
	}
	rm_rf(root);
	free(g);
}

/* az storage account list's SDK name is folded back to ARM's. */
static void
test_flattened_storage(void **state)
{
	const char *root = new_tmpdir();
	struct got *g = calloc(1, sizeof(*g));
	struct diag d;
	const struct seen *r;

	(void)state;
	diag_init(&d);
	put(root, "storage/account-list.json",
	    "[{\"id\": \"" SUB "/resourceGroups/rg/providers/"
	    "Microsoft.Storage/storageAccounts/s\", \"name\": \"s\", \"type\": "
	    "\"Microsoft.Storage/storageAccounts\", \"location\": \"westus\", "
	    "\"enableHttpsTrafficOnly\": false, \"minimumTlsVersion\": "
	    "\"TLS1_0\"}]");
	assert_int_equal(read_into(root, g, &d), 0);
	r = by_id_suffix(g, "/storageAccounts/s");
	assert_non_null(r);
	assert_non_null(strstr(r->attrs,
	    "\"properties\":{\"supportsHttpsTrafficOnly\":false,"
	    "\"minimumTlsVersion\":\"TLS1_0\"}"));
	rm_rf(root);
	diag_free(&d);
	free(g);
}

/*
 * A large Resource Graph dump is streamed; its skip_token is still seen,
 * and a "value" list inside a resource is not taken for the listing.
 */
static void
test_streamed_graph(void **state)
{
	const char *root = new_tmpdir();
	struct got *g = calloc(1, sizeof(*g));
	struct diag d;
	char path[512], line[512];
	FILE *fp;
	size_t i;
	int tail;

	(void)state;
	for (tail = 0; tail < 3; tail++) {
		diag_init(&d);
		snprintf(path, sizeof(path), "%s/graph%d.json", root, tail);
		assert_non_null(fp = fopen(path, "w"));
		fputs("{\"count\": 400, \"data\": [", fp);
		for (i = 0; i < 400; i++) {
			snprintf(line, sizeof(line),
			    "%s{\"id\": \"" SUB "/resourceGroups/rg/providers/"
			    "Microsoft.Storage/storageAccounts/s%zu\", "
			    "\"name\": "
			    "\"s%zu\", \"tags\": {\"value\": [1]}, \"type\": "
			    "\"microsoft.storage/"
			    "storageaccounts\", \"location\": \"eastus\", "
			    "\"properties\": {\"supportsHttpsTrafficOnly\": "
			    "true,"
			    " \"pad\": \"%0200d\"}}",
			    i ? ", " : "", i, i, 0);
			fputs(line, fp);
		}
		fputs(tail == 0     ? "], \"skip_token\": null}"
			: tail == 1 ? "], \"skip_token\": \"ew0KICAi\"}"
				    : "], \"total_records\": 400}",
		    fp);
		assert_int_equal(fclose(fp), 0);
		assert_int_equal(read_into(path, g, &d), 0);
		assert_int_equal(
		    count(g, "Azure::Storage::StorageAccount", 0), 400);
		/*
		 * A dump of another name lists nothing complete: no marker,
		 * unless a skip_token says pages are missing (an error one).
		 */
		if (tail == 1) {
			assert_non_null(
			    marker(g, "Azure::Storage::StorageAccount"));
			assert_true(
			    marker(g, "Azure::Storage::StorageAccount")->err);
		} else {
			assert_null(
			    marker(g, "Azure::Storage::StorageAccount"));
		}
		diag_free(&d);
	}
	rm_rf(root);
	free(g);
}

/* The table result format is refused, not read as empty. */
static void
test_table_format_refused(void **state)
{
	const char *root = new_tmpdir();
	struct got *g = calloc(1, sizeof(*g));
	struct diag d;
	char path[512];

	(void)state;
	diag_init(&d);
	snprintf(path, sizeof(path), "%s/t.json", root);
	put(root, "t.json",
	    "{\"totalRecords\": 1, \"count\": 1, \"data\": {\"columns\": "
	    "[{\"name\": \"id\"}], \"rows\": [[\"" SUB "/x\"]]}}");
	assert_int_equal(read_into(path, g, &d), -1);
	assert_diag_has(&d, "table format");
	rm_rf(root);
	diag_free(&d);
	free(g);
}

/* Detection: a Graph dump and a layout directory; AWS is not claimed. */
static void
test_detect(void **state)
{
	static const char graph[] = "{\"count\": 1, \"data\": [{\"id\": "
				    "\"/subscriptions/x/resourceGroups/r\"}], "
				    "\"skip_token\": null}";
	static const char aws[] = "{\"configurationItems\": []}";

	(void)state;
	assert_true(
	    adapter_azure.detect("g.json", 0, graph, sizeof(graph) - 1) > 0);
	assert_int_equal(
	    adapter_azure.detect("a.json", 0, aws, sizeof(aws) - 1), 0);
	assert_true(
	    adapter_azure.detect(REC "StorageTest.firewall", 1, NULL, 0) > 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_nsg_subscription),
		cmocka_unit_test(test_real_key_vault),
		cmocka_unit_test(test_per_parent_missing),
		cmocka_unit_test(test_other_file_lists_nothing),
		cmocka_unit_test(test_incomplete_listings),
		cmocka_unit_test(test_page_keys_agree),
		cmocka_unit_test(test_forms_agree),
		cmocka_unit_test(test_flattened_storage),
		cmocka_unit_test(test_streamed_graph),
		cmocka_unit_test(test_table_format_refused),
		cmocka_unit_test(test_detect),
	};

	RUN_TESTS("azure", tests, argc, argv);
}
