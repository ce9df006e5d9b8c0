/*
 * test_gcp.c: the Google Cloud adapters and plugins.
 *
 * Firewall precedence is proved by generators: a real open rule (the
 * default-allow-ssh rule of forseti's Cloud Asset dump) is rewritten many
 * ways that must keep it open (protocol by name in any case or number,
 * "all", port ranges covering 22, no ports, the implied source, split
 * or zero-padded prefixes, IPv6 forms, key order, a deny that loses on
 * priority, targets, family, direction or port) and many ways that must
 * close it (a deny that wins, narrower sources, another port).  The
 * adapters are proved on mutated directories (page token, denied,
 * throttled, disabled API, misnamed file, missing per-resource file)
 * and on the two spellings of a Cloud Asset export, which must give the
 * same resources.
 */
#include "tests/unit/testutil.h"

#include "checks/check.h"
#include "checks/sources/sources.h"
#include "tests/unit/collect.h"

static struct arena *ta;

/* ------------------------------------------------------------ helpers */

static struct doc_node *
json(const char *text)
{
	struct doc_node **docs;
	struct diag d;
	size_t n;

	if (ta == NULL)
		ta = arena_new();
	diag_init(&d);
	if (doc_load_buf(ta, &d, "inline.json", text, strlen(text),
		DOC_FMT_JSON, NULL, &docs, &n) != 0)
		fail_msg("bad test JSON: %s", text);
	diag_free(&d);
	return docs[0];
}

static char last_msg[1024];

/* Evaluate plugin on attrs with params (JSON); the status. */
static enum status
eval(const char *plugin, const char *type, struct doc_node *attrs,
    const char *params)
{
	const struct check_plugin *p = check_plugin_find(plugin);
	struct resource r;
	struct check_ctx c;
	struct diag d;
	static struct arena *a;

	assert_non_null(p);
	arena_free(a);
	a = arena_new();
	memset(&r, 0, sizeof(r));
	r.type = type;
	r.id = "inline";
	r.attrs = attrs;
	r.source = "inline.json";
	diag_init(&d);
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.d = &d;
	c.now = 1700000000;
	c.params = json(params);
	check_ctx_reset(&c);
	assert_int_equal(p->evaluate(&c, &r), 0);
	assert_true(c.emitted);
	snprintf(last_msg, sizeof(last_msg), "%s",
	    c.result.message ? c.result.message : "");
	diag_free(&d);
	return c.result.status;
}

#define ADMIN "{\"ports\": [22, 3389]}"
#define ALLP "{\"min_open_ports\": 64512}"
#define FWT "GCP::Compute::Firewall"
#define NET "\"network\": \"n1\""

/*
 * The rule judged (rule, a JSON object body without braces) with the
 * other rules of its network (others: JSON objects separated by commas,
 * or ""): the attributes as the adapters build them.
 */
static struct doc_node *
net(const char *rule, const char *others)
{
	char buf[8192];

	snprintf(buf, sizeof(buf),
	    "{\"name\": \"r\", " NET ", %s, \"rampartNetworkRules\": "
	    "[{\"name\": \"r\", " NET ", %s}%s%s]}",
	    rule, rule, *others ? ", " : "", others);
	return json(buf);
}

/* ----------------------------------------------------------- firewall */

/* The real rule: forseti mock_cai_resources.dump, project2 ssh. */
#define SSH_BASE \
	"\"sourceRanges\": [\"0.0.0.0/0\"], " \
	"\"allowed\": [{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]"
#define REAL_SSH "\"direction\": \"INGRESS\", \"priority\": 1000, " SSH_BASE

static void
test_firewall_open_variants(void **state)
{
	/* each must keep tcp/22 (or udp/22) open to the whole internet */
	static const char *const open[] = {
		REAL_SSH,
		"\"allowed\": [{\"IPProtocol\": \"tcp\", \"ports\": "
		"[\"22\"]}], \"sourceRanges\": [\"0.0.0.0/0\"], "
		"\"priority\": 1000, \"direction\": \"INGRESS\"",
		"\"direction\": \"ingress\", \"sourceRanges\": "
		"[\"0.0.0.0/0\"], "
		"\"allowed\": [{\"IPProtocol\": \"TCP\", \"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"6\", \"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"all\"}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"ALL\"}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\"}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": []}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"0-65535\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"80\", \"20-23\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"udp\", \"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"17\", \"ports\": [\"3389\"]}]",
		/* no source at all: the implied 0.0.0.0/0 */
		"\"allowed\": [{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/1\", \"128.0.0.0/1\"], "
		"\"allowed\": [{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/00\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"10.0.0.0/8\", \"0.0.0.0/0\"], "
		"\"allowed\": [{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"::/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"::0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"0:0:0:0:0:0:0:0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"::/1\", \"8000::/1\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]",
		SSH_BASE ", \"priority\": \"1000\"",
		REAL_SSH ", \"disabled\": false",
		REAL_SSH ", \"targetTags\": [\"web\"]",
	};
	/* deny rules that must not close it */
	static const char *const weak_deny[] = {
		/* loses on priority */
		"{\"name\": \"d\", " NET ", \"priority\": 2000, "
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"denied\": "
		"[{\"IPProtocol\": \"all\"}]}",
		/* applies to tagged instances only */
		"{\"name\": \"d\", " NET ", \"priority\": 10, "
		"\"targetTags\": [\"secured\"], \"sourceRanges\": "
		"[\"0.0.0.0/0\"], \"denied\": [{\"IPProtocol\": \"all\"}]}",
		/* disabled */
		"{\"name\": \"d\", " NET
		", \"priority\": 10, \"disabled\": true, "
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"denied\": "
		"[{\"IPProtocol\": \"all\"}]}",
		/* egress */
		"{\"name\": \"d\", " NET ", \"priority\": 10, \"direction\": "
		"\"EGRESS\", \"destinationRanges\": [\"0.0.0.0/0\"], "
		"\"denied\": [{\"IPProtocol\": \"all\"}]}",
		/* another port */
		"{\"name\": \"d\", " NET ", \"priority\": 10, "
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"denied\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"23-3388\"]}]}",
		/* VMs only */
		"{\"name\": \"d\", " NET ", \"priority\": 10, "
		"\"sourceTags\": [\"x\"], \"denied\": [{\"IPProtocol\": "
		"\"all\"}]}",
		/* some destinations only */
		"{\"name\": \"d\", " NET ", \"priority\": 10, "
		"\"destinationRanges\": [\"10.0.0.5/32\"], "
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"denied\": "
		"[{\"IPProtocol\": \"all\"}]}",
		/* half the internet */
		"{\"name\": \"d\", " NET ", \"priority\": 10, "
		"\"sourceRanges\": [\"0.0.0.0/1\", \"::/1\"], \"denied\": "
		"[{\"IPProtocol\": \"all\"}]}",
	};
	char rule[1024];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(open) / sizeof(open[0]); i++) {
		if (eval("gcp_firewall", FWT, net(open[i], ""), ADMIN) !=
		    ST_FAIL)
			fail_msg("open variant %zu passed: %s", i, last_msg);
		for (j = 0; j < sizeof(weak_deny) / sizeof(weak_deny[0]); j++)
			if (eval("gcp_firewall", FWT,
				net(open[i], weak_deny[j]), ADMIN) != ST_FAIL)
				fail_msg("open variant %zu closed by weak deny "
					 "%zu: %s",
				    i, j, last_msg);
	}
	/* a deny for IPv4 only does not close ::/0 */
	snprintf(rule, sizeof(rule),
	    "\"sourceRanges\": [\"0.0.0.0/0\", \"::/0\"], \"allowed\": "
	    "[{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]");
	assert_int_equal(eval("gcp_firewall", FWT,
			     net(rule,
				 "{\"name\": \"d\", " NET ", \"priority\": 1, "
				 "\"sourceRanges\": [\"0.0.0.0/0\"], "
				 "\"denied\": [{\"IPProtocol\": \"all\"}]}"),
			     ADMIN),
	    ST_FAIL);
}

static void
test_firewall_closed_variants(void **state)
{
	static const char *const closed[] = {
		REAL_SSH ", \"disabled\": true",
		"\"direction\": \"EGRESS\", \"destinationRanges\": "
		"[\"0.0.0.0/0\"], \"allowed\": [{\"IPProtocol\": \"all\"}]",
		"\"sourceRanges\": [\"10.0.0.0/8\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/1\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]",
		"\"sourceTags\": [\"bastion\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"23\", \"80-443\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"icmp\"}, {\"IPProtocol\": \"esp\"}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"denied\": "
		"[{\"IPProtocol\": \"all\"}]",
	};
	/* deny rules that win over REAL_SSH */
	static const char *const strong_deny[] = {
		"{\"name\": \"d\", " NET ", \"priority\": 900, "
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"denied\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"22\", \"3389\"]}]}",
		/* equal priority: deny wins */
		"{\"name\": \"d\", " NET ", \"priority\": 1000, "
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"denied\": "
		"[{\"IPProtocol\": \"all\"}]}",
		/* no priority: 1000 */
		"{\"name\": \"d\", " NET ", \"sourceRanges\": [\"0.0.0.0/0\"], "
		"\"denied\": [{\"IPProtocol\": \"TCP\"}]}",
		"{\"name\": \"d\", " NET ", \"priority\": 5, "
		"\"sourceRanges\": [\"0.0.0.0/1\", \"128.0.0.0/1\"], "
		"\"denied\": [{\"IPProtocol\": \"6\", \"ports\": "
		"[\"0-65535\"]}]}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(closed) / sizeof(closed[0]); i++)
		if (eval("gcp_firewall", FWT, net(closed[i], ""), ADMIN) !=
		    ST_PASS)
			fail_msg("closed variant %zu: %s", i, last_msg);
	for (i = 0; i < sizeof(strong_deny) / sizeof(strong_deny[0]); i++)
		if (eval("gcp_firewall", FWT, net(REAL_SSH, strong_deny[i]),
			ADMIN) != ST_PASS)
			fail_msg(
			    "strong deny %zu did not close: %s", i, last_msg);
}

static void
test_firewall_pieces_and_blame(void **state)
{
	const char *half = "\"sourceRanges\": [\"0.0.0.0/1\"], \"allowed\": "
			   "[{\"IPProtocol\": \"tcp\", \"ports\": [\"22\"]}]";
	const char *other =
	    "{\"name\": \"o\", " NET ", \"sourceRanges\": [\"128.0.0.0/1\"], "
	    "\"allowed\": [{\"IPProtocol\": \"tcp\", "
	    "\"ports\": [\"20-30\"]}]}";
	const char *wide =
	    "{\"name\": \"w\", " NET ", \"sourceRanges\": [\"0.0.0.0/0\"], "
	    "\"allowed\": [{\"IPProtocol\": \"tcp\"}]}";
	const char *narrow = "\"sourceRanges\": [\"35.235.240.0/20\"], "
			     "\"allowed\": [{\"IPProtocol\": \"tcp\", "
			     "\"ports\": [\"22\"]}]";
	const char *tagged =
	    "{\"name\": \"o\", " NET ", \"targetTags\": [\"t\"], "
	    "\"sourceRanges\": [\"128.0.0.0/1\"], "
	    "\"allowed\": [{\"IPProtocol\": \"tcp\"}]}";

	(void)state;
	/* two halves in two rules: open, the rule judged is to blame */
	assert_int_equal(
	    eval("gcp_firewall", FWT, net(half, other), ADMIN), ST_FAIL);
	/* the other half on tagged instances only: not every instance */
	assert_int_equal(
	    eval("gcp_firewall", FWT, net(half, tagged), ADMIN), ST_PASS);
	/* a narrow rule beside a 0.0.0.0/0 rule is not to blame */
	assert_int_equal(
	    eval("gcp_firewall", FWT, net(narrow, wide), ADMIN), ST_PASS);
}

static void
test_firewall_errors(void **state)
{
	static const char *const bad[] = {
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcpp\"}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"256\"}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"ports\": [\"22\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"22-20\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [\"65536\"]}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\", \"ports\": [22]}]",
		"\"sourceRanges\": [\"0.0.0.0/33\"], \"allowed\": "
		"[{\"IPProtocol\": \"tcp\"}]",
		"\"sourceRanges\": \"0.0.0.0/0\", \"allowed\": "
		"[{\"IPProtocol\": \"tcp\"}]",
		SSH_BASE ", \"priority\": 70000",
		SSH_BASE ", \"direction\": \"SIDEWAYS\"",
		REAL_SSH ", \"denied\": [{\"IPProtocol\": \"tcp\"}]",
		"\"sourceRanges\": [\"0.0.0.0/0\"]",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (eval("gcp_firewall", FWT, net(bad[i], ""), ADMIN) !=
		    ST_ERROR)
			fail_msg("bad variant %zu: %s", i, last_msg);
	/* a malformed rule elsewhere in the network: error, never pass */
	assert_int_equal(eval("gcp_firewall", FWT,
			     net("\"sourceRanges\": [\"10.0.0.0/8\"], "
				 "\"allowed\": [{\"IPProtocol\": \"tcp\"}]",
				 "{\"name\": \"d\", " NET ", \"priority\": 1, "
				 "\"sourceRanges\": [\"x\"], \"denied\": "
				 "[{\"IPProtocol\": \"all\"}]}"),
			     ADMIN),
	    ST_ERROR);
	/* no network rules beside the rule: the adapter did not add them */
	assert_int_equal(
	    eval("gcp_firewall", FWT, json("{" REAL_SSH "}"), ADMIN), ST_ERROR);
}

static void
test_firewall_all_ports(void **state)
{
	const char *all = "\"sourceRanges\": [\"0.0.0.0/0\"], \"allowed\": "
			  "[{\"IPProtocol\": \"all\"}]";

	(void)state;
	assert_int_equal(
	    eval("gcp_firewall", FWT, net(all, ""), ALLP), ST_FAIL);
	assert_int_equal(eval("gcp_firewall", FWT,
			     net("\"sourceRanges\": [\"::/0\"], \"allowed\": "
				 "[{\"IPProtocol\": \"udp\", \"ports\": "
				 "[\"1024-65535\"]}]",
				 ""),
			     ALLP),
	    ST_FAIL);
	assert_int_equal(eval("gcp_firewall", FWT,
			     net("\"sourceRanges\": [\"0.0.0.0/0\"], "
				 "\"allowed\": [{\"IPProtocol\": \"tcp\", "
				 "\"ports\": [\"1025-65535\"]}]",
				 ""),
			     ALLP),
	    ST_PASS);
	/* a deny of 0-1000 leaves 64535 ports: still fails */
	assert_int_equal(eval("gcp_firewall", FWT,
			     net(all,
				 "{\"name\": \"d\", " NET ", \"priority\": 1, "
				 "\"sourceRanges\": [\"0.0.0.0/0\"], "
				 "\"denied\": [{\"IPProtocol\": \"tcp\", "
				 "\"ports\": [\"0-1000\"]}, {\"IPProtocol\": "
				 "\"udp\", \"ports\": [\"0-1000\"]}]}"),
			     ALLP),
	    ST_FAIL);
	/* a deny of 0-2000 leaves 63535: passes */
	assert_int_equal(eval("gcp_firewall", FWT,
			     net(all,
				 "{\"name\": \"d\", " NET ", \"priority\": 1, "
				 "\"sourceRanges\": [\"0.0.0.0/0\"], "
				 "\"denied\": [{\"IPProtocol\": \"tcp\", "
				 "\"ports\": [\"0-2000\"]}, {\"IPProtocol\": "
				 "\"udp\", \"ports\": [\"0-2000\"]}]}"),
			     ALLP),
	    ST_PASS);
}

/* ------------------------------------------------------------ iam, kms */

static void
test_iam_and_kms(void **state)
{
	const char *prim = "{\"roles\": [\"roles/owner\", \"roles/editor\"], "
			   "\"members\": [\"user:\", \"group:\"]}";
	const char *pub = "{\"roles\": [\"*\"], \"members\": [\"allUsers\", "
			  "\"allAuthenticatedUsers\"]}";
	const char *aud = "{\"audit_log_types\": [\"ADMIN_READ\", "
			  "\"DATA_READ\", \"DATA_WRITE\"]}";
	const char *kms = "{\"max_rotation_days\": 90}";
	const char *IT = "GCP::IAM::Policy", *KT = "GCP::KMS::CryptoKey";

	(void)state;
	assert_int_equal(eval("gcp_iam_policy", IT,
			     json("{\"bindings\": [{\"role\": \"roles/owner\", "
				  "\"members\": [\"USER:a@b.c\"]}]}"),
			     prim),
	    ST_FAIL);
	assert_int_equal(eval("gcp_iam_policy", IT,
			     json("{\"bindings\": [{\"role\": \"roles/owner\", "
				  "\"members\": [\"deleted:user:a@b.c?uid=1\"]"
				  "}]}"),
			     prim),
	    ST_FAIL);
	assert_int_equal(eval("gcp_iam_policy", IT,
			     json("{\"bindings\": [{\"role\": \"roles/owner\", "
				  "\"members\": [\"serviceAccount:a@b.c\"]}]}"),
			     prim),
	    ST_PASS);
	assert_int_equal(eval("gcp_iam_policy", IT,
			     json("{\"bindings\": [{\"role\": \"roles/x\", "
				  "\"members\": [\"allusers\"]}]}"),
			     pub),
	    ST_FAIL);
	assert_int_equal(
	    eval("gcp_iam_policy", IT,
		json("{\"bindings\": {\"role\": \"roles/x\"}}"), pub),
	    ST_ERROR);
	assert_int_equal(
	    eval("gcp_iam_policy", IT,
		json("{\"bindings\": [{\"role\": \"roles/x\"}]}"), pub),
	    ST_ERROR);
	assert_int_equal(
	    eval("gcp_iam_policy", IT,
		json("{\"auditConfigs\": [{\"service\": "
		     "\"allServices\", \"auditLogConfigs\": "
		     "[{\"logType\": \"ADMIN_READ\"}, {\"logType\":"
		     " \"DATA_READ\"}, {\"logType\": "
		     "\"DATA_WRITE\"}]}]}"),
		aud),
	    ST_PASS);
	assert_int_equal(
	    eval("gcp_iam_policy", IT,
		json("{\"auditConfigs\": [{\"service\": "
		     "\"storage.googleapis.com\", "
		     "\"auditLogConfigs\": [{\"logType\": "
		     "\"ADMIN_READ\"}, {\"logType\": \"DATA_READ\"}"
		     ", {\"logType\": \"DATA_WRITE\"}]}]}"),
		aud),
	    ST_FAIL);
	assert_int_equal(
	    eval("gcp_iam_policy", IT, json("{\"auditConfigs\": {}}"), aud),
	    ST_ERROR);
	assert_int_equal(eval("gcp_kms_rotation", KT,
			     json("{\"rotationPeriod\": \"7776000s\"}"), kms),
	    ST_PASS);
	assert_int_equal(eval("gcp_kms_rotation", KT,
			     json("{\"rotationPeriod\": \"7776000.5s\"}"), kms),
	    ST_FAIL);
	assert_int_equal(eval("gcp_kms_rotation", KT,
			     json("{\"rotationPeriod\": \"90d\"}"), kms),
	    ST_ERROR);
	assert_int_equal(eval("gcp_kms_rotation", KT,
			     json("{\"rotationPeriod\": 7776000}"), kms),
	    ST_ERROR);
	assert_int_equal(
	    eval("gcp_kms_rotation", KT, json("{\"purpose\": \"x\"}"), kms),
	    ST_FAIL);
}

/* ---------------------------------------------------------- adapters */

struct marks {
	char v[64][160];
	size_t n;
};

static int
on_res(void *ctx, const struct resource *r, struct arena *a)
{
	struct marks *m = ctx;

	(void)a;
	if (m->n < 64)
		snprintf(m->v[m->n++], sizeof(m->v[0]), "%s%s %s",
		    r->listing ? "" : "R:", r->type,
		    r->read_error != NULL ? "error" : "clean");
	return 0;
}

static const char *
marker_of(const struct marks *m, const char *type)
{
	size_t i, n = strlen(type);

	for (i = 0; i < m->n; i++)
		if (strncmp(m->v[i], type, n) == 0 && m->v[i][n] == ' ')
			return m->v[i] + n + 1;
	return "none";
}

static char tmp[64];

static void
put(const char *rel, const char *text)
{
	char path[512], dir[512], *s;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (s = dir + strlen(tmp) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(dir, 0755);
		*s = '/';
	}
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

static void
read_markers(const char *path, const char *adapter, struct marks *m)
{
	const struct adapter *ad = adapter_find(adapter);
	struct diag d;

	memset(m, 0, sizeof(*m));
	diag_init(&d);
	assert_non_null(ad);
	if (ad->read(&d, path, NULL, on_res, m, NULL) != 0) {
		diag_free(&d);
		fail_msg("read of '%s' failed", path);
	}
	diag_free(&d);
}

static void
fresh_dir(void)
{
	char cmd[128];

	if (tmp[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		assert_int_equal(system(cmd), 0);
	}
	snprintf(tmp, sizeof(tmp), "/tmp/rampart-gcp-XXXXXX");
	assert_non_null(mkdtemp(tmp));
}

#define FWLIST \
	"[{\"name\": \"a\", \"selfLink\": \"https://www.googleapis.com/" \
	"compute/v1/projects/p/global/firewalls/a\", " REAL_SSH "}]"

static void
test_gcloud_markers(void **state)
{
	struct marks m;

	(void)state;
	/* the clean twin */
	fresh_dir();
	put("projects/describe.json", "{\"projectId\": \"p\"}");
	put("compute/firewall-rules-list.json", FWLIST);
	put("sql/instances-list.json", "[]");
	put("storage/buckets-list.json", "{\"kind\": \"storage#buckets\"}");
	put("kms/keyrings-list.json",
	    "{\"keyRings\": [{\"name\": \"projects/p/locations/l/keyRings/"
	    "r\"}]}");
	put("kms/keys-list/projects_p_locations_l_keyRings_r.json", "[]");
	read_markers(tmp, "gcp-gcloud", &m);
	assert_string_equal(marker_of(&m, "GCP::Compute::Firewall"), "clean");
	assert_string_equal(marker_of(&m, "GCP::SQL::Instance"), "clean");
	assert_string_equal(marker_of(&m, "GCP::Storage::Bucket"), "clean");
	assert_string_equal(marker_of(&m, "GCP::KMS::CryptoKey"), "clean");
	assert_string_equal(marker_of(&m, "GCP::Logging::Sink"), "none");

	/* a page token left, a denied call, throttled, misnamed, missing */
	put("compute/firewall-rules-list.json",
	    "{\"items\": [], \"nextPageToken\": \"x\"}");
	put("sql/instances-list.json",
	    "{\"error\": {\"code\": 403, \"status\": \"PERMISSION_DENIED\", "
	    "\"message\": \"denied\"}}");
	put("logging/sinks-list.json",
	    "{\"error\": {\"code\": 429, \"status\": \"RESOURCE_EXHAUSTED\"}}");
	{
		char a[512], b[512];

		snprintf(a, sizeof(a), "%s/storage/buckets-list.json", tmp);
		snprintf(b, sizeof(b), "%s/storage/Buckets-List.json", tmp);
		assert_int_equal(rename(a, b), 0);
		snprintf(a, sizeof(a),
		    "%s/kms/keys-list/projects_p_locations_l_keyRings_r.json",
		    tmp);
		assert_int_equal(unlink(a), 0);
	}
	read_markers(tmp, "gcp-gcloud", &m);
	assert_string_equal(marker_of(&m, "GCP::Compute::Firewall"), "error");
	assert_string_equal(marker_of(&m, "GCP::SQL::Instance"), "error");
	assert_string_equal(marker_of(&m, "GCP::Logging::Sink"), "error");
	assert_string_equal(marker_of(&m, "GCP::Storage::Bucket"), "error");
	assert_string_equal(marker_of(&m, "GCP::KMS::CryptoKey"), "error");

	/* a per-resource file no listing names: the listing missed it */
	put("kms/keys-list/projects_p_locations_l_keyRings_r.json", "[]");
	read_markers(tmp, "gcp-gcloud", &m);
	assert_string_equal(marker_of(&m, "GCP::KMS::CryptoKey"), "clean");
	put("kms/keys-list/projects_p_locations_l_keyRings_zz.json", "[]");
	read_markers(tmp, "gcp-gcloud", &m);
	assert_string_equal(marker_of(&m, "GCP::KMS::CryptoKey"), "error");

	/* a disabled API: none of its resources exists, a clean listing */
	put("sql/instances-list.json",
	    "{\"error\": {\"code\": 403, \"status\": \"PERMISSION_DENIED\", "
	    "\"details\": [{\"reason\": \"SERVICE_DISABLED\"}]}}");
	read_markers(tmp, "gcp-gcloud", &m);
	assert_string_equal(marker_of(&m, "GCP::SQL::Instance"), "clean");

	/* hierarchical policies: an ingress allow decides before the VPC */
	put("compute/firewall-rules-list.json",
	    "{\"firewalls\": " FWLIST ", \"firewallPolicys\": [{\"rules\": "
	    "[{\"action\": \"allow\", \"direction\": \"EGRESS\"}, "
	    "{\"action\": \"deny\", \"direction\": \"INGRESS\"}]}]}");
	read_markers(tmp, "gcp-gcloud", &m);
	assert_string_equal(marker_of(&m, "GCP::Compute::Firewall"), "clean");
	put("compute/firewall-rules-list.json",
	    "{\"firewalls\": " FWLIST ", \"firewallPolicys\": [{\"rules\": "
	    "[{\"action\": \"allow\", \"direction\": \"INGRESS\"}]}]}");
	read_markers(tmp, "gcp-gcloud", &m);
	assert_string_equal(marker_of(&m, "GCP::Compute::Firewall"), "error");
}

/*
 * Metamorphic: every recorded error form of a call is an error of what
 * it lists (a listing, a per-resource listing, a policy), never clean,
 * except the API disabled (status or a detail's reason) where the table
 * says it means nothing is configured; and every form of a page token
 * says the same whichever key spells it.
 */
static void
test_gcloud_errors_agree(void **state)
{
	static const char *const errs[] = {
		"{\"error\": {\"code\": 403, \"status\": "
		"\"PERMISSION_DENIED\", \"message\": \"m\"}}",
		"{\"error\": {\"code\": 401, \"status\": \"UNAUTHENTICATED\"}}",
		"{\"error\": {\"code\": 429, \"status\": "
		"\"RESOURCE_EXHAUSTED\"}}",
		"{\"error\": {\"code\": 404, \"status\": \"NOT_FOUND\"}}",
		"{\"error\": {\"code\": 500, \"status\": \"SOMETHING_NEW\"}}",
		"{\"error\": {\"code\": 403}}",
		"{\"error\": {\"code\": 403, \"status\": "
		"\"PERMISSION_DENIED\", "
		"\"details\": [{\"reason\": \"SERVICE_DISABLED\"}]}}",
		"{\"error\": {\"status\": \"SERVICE_DISABLED\"}}",
	};
	static const char *const toks[] = { "nextPageToken",
		"next_page_token" };
	static const char *const vals[] = { "null", "\"\"", "\"x\"", "false",
		"1" };
	static const int more[] = { 0, 0, 1, 1, 1 };
	char body[256];
	struct marks m;
	size_t i, k;
	int disabled;

	(void)state;
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		disabled = strstr(errs[i], "SERVICE_DISABLED") != NULL;
		fresh_dir();
		put("projects/describe.json", "{\"projectId\": \"p\"}");
		put("sql/instances-list.json", errs[i]);
		put("projects/get-iam-policy.json", errs[i]);
		put("kms/keyrings-list.json",
		    "[{\"name\": \"projects/p/locations/l/keyRings/r\"}]");
		put("kms/keys-list/projects_p_locations_l_keyRings_r.json",
		    errs[i]);
		read_markers(tmp, "gcp-gcloud", &m);
		assert_string_equal(marker_of(&m, "GCP::SQL::Instance"),
		    disabled ? "clean" : "error");
		assert_string_equal(
		    marker_of(&m, "GCP::KMS::CryptoKey"), "error");
		assert_string_equal(
		    marker_of(&m, "R:GCP::IAM::Policy"), "error");
	}
	for (k = 0; k < sizeof(toks) / sizeof(toks[0]); k++)
		for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
			fresh_dir();
			snprintf(body, sizeof(body),
			    "{\"items\": [], \"%s\": %s}", toks[k], vals[i]);
			put("compute/firewall-rules-list.json", body);
			read_markers(tmp, "gcp-gcloud", &m);
			assert_string_equal(
			    marker_of(&m, "GCP::Compute::Firewall"),
			    more[i] ? "error" : "clean");
		}
}

/*
 * Metamorphic: the firewall listing written under any other spelling
 * (service folder or file name in another case, no ".json", a folder in
 * its place) is an error of its type, never clean and never a silent
 * "no listing"; the one right spelling is clean.
 */
static void
test_gcloud_names_agree(void **state)
{
	static const struct {
		const char *rel;
		int dir; /* a folder of that name (holding the output) */
		const char *want;
	} v[] = {
		{ "compute/firewall-rules-list.json", 0, "clean" },
		{ "Compute/firewall-rules-list.json", 0, "error" },
		{ "COMPUTE/firewall-rules-list.json", 0, "error" },
		{ "compute/Firewall-Rules-List.json", 0, "error" },
		{ "compute/firewall-rules-list.JSON", 0, "error" },
		{ "compute/firewall-rules-list", 0, "error" },
		{ "compute/firewall-rules-list.json", 1, "error" },
		{ "compute/firewall-rules-list", 1, "error" },
	};
	char rel[256];
	struct marks m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fresh_dir();
		put("projects/describe.json", "{\"projectId\": \"p\"}");
		put("sql/instances-list.json", "[]");
		snprintf(rel, sizeof(rel), "%s%s", v[i].rel,
		    v[i].dir ? "/x.json" : "");
		put(rel, FWLIST);
		read_markers(tmp, "gcp-gcloud", &m);
		if (strcmp(marker_of(&m, "GCP::Compute::Firewall"),
			v[i].want) != 0)
			fail_msg("'%s'%s: firewall listing %s, expected %s",
			    v[i].rel, v[i].dir ? " (a folder)" : "",
			    marker_of(&m, "GCP::Compute::Firewall"), v[i].want);
		assert_string_equal(
		    marker_of(&m, "GCP::SQL::Instance"), "clean");
	}
}

/* The same IAM policy and org policy in the two spellings of CAI. */
static void
test_asset_spellings(void **state)
{
	const struct adapter *ad = adapter_find("gcp-asset");
	struct coll a, b;
	struct diag d;
	char pa[128], pb[128];
	size_t i;

	(void)state;
	fresh_dir();
	put("snake.ndjson",
	    "{\"name\": \"//cloudresourcemanager.googleapis.com/projects/p\", "
	    "\"asset_type\": \"cloudresourcemanager.googleapis.com/Project\", "
	    "\"iam_policy\": {\"bindings\": [{\"role\": \"roles/owner\", "
	    "\"members\": [\"user:a@b.c\"]}], \"audit_configs\": "
	    "[{\"service\": \"allServices\", \"audit_log_configs\": "
	    "[{\"log_type\": 1}, {\"log_type\": 3, \"exempted_members\": "
	    "[\"user:x@y.z\"]}]}]}}\n"
	    "{\"name\": \"//cloudresourcemanager.googleapis.com/projects/p\", "
	    "\"asset_type\": \"cloudresourcemanager.googleapis.com/Project\", "
	    "\"org_policy\": [{\"constraint\": \"constraints/iam."
	    "disableServiceAccountKeyCreation\", \"boolean_policy\": "
	    "{\"enforced\": true}}]}\n");
	put("camel.ndjson",
	    "{\"name\": \"//cloudresourcemanager.googleapis.com/projects/p\", "
	    "\"assetType\": \"cloudresourcemanager.googleapis.com/Project\", "
	    "\"iamPolicy\": {\"bindings\": [{\"role\": \"roles/owner\", "
	    "\"members\": [\"user:a@b.c\"]}], \"auditConfigs\": "
	    "[{\"service\": \"allServices\", \"auditLogConfigs\": "
	    "[{\"logType\": \"ADMIN_READ\"}, {\"logType\": \"DATA_READ\", "
	    "\"exemptedMembers\": [\"user:x@y.z\"]}]}]}}\n"
	    "{\"name\": \"//cloudresourcemanager.googleapis.com/projects/p\", "
	    "\"assetType\": \"cloudresourcemanager.googleapis.com/Project\", "
	    "\"orgPolicy\": [{\"constraint\": \"constraints/iam."
	    "disableServiceAccountKeyCreation\", \"booleanPolicy\": "
	    "{\"enforced\": true}}]}\n");
	snprintf(pa, sizeof(pa), "%s/snake.ndjson", tmp);
	snprintf(pb, sizeof(pb), "%s/camel.ndjson", tmp);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.a = arena_new();
	b.a = arena_new();
	diag_init(&d);
	assert_int_equal(ad->read(&d, pa, NULL, collect, &a, NULL), 0);
	assert_int_equal(ad->read(&d, pb, NULL, collect, &b, NULL), 0);
	diag_free(&d);
	assert_int_equal(a.n, 2);
	assert_int_equal(b.n, 2);
	for (i = 0; i < a.n; i++) {
		assert_string_equal(a.v[i].type, b.v[i].type);
		assert_string_equal(a.v[i].id, b.v[i].id);
		assert_string_equal(a.v[i].account, "p");
		assert_true(doc_equal(a.v[i].attrs, b.v[i].attrs));
	}
	arena_free(a.a);
	arena_free(b.a);
}

static void
test_asset_markers(void **state)
{
	struct marks m;
	char p[128];

	(void)state;
	fresh_dir();
	put("x.ndjson",
	    "{\"name\": \"//compute.googleapis.com/projects/p/global/"
	    "firewalls/a\", \"assetType\": \"compute.googleapis.com/"
	    "Firewall\", \"resource\": {\"data\": {" REAL_SSH "}}}\n");
	snprintf(p, sizeof(p), "%s/x.ndjson", tmp);
	/* narrowed export: no listing claimed */
	read_markers(p, "gcp-asset", &m);
	assert_string_equal(marker_of(&m, "GCP::Storage::Bucket"), "none");
	put("x.ndjson",
	    "{\"name\": \"//cloudresourcemanager.googleapis.com/projects/p\", "
	    "\"assetType\": \"cloudresourcemanager.googleapis.com/Project\", "
	    "\"resource\": {\"data\": {}}}\n");
	/* a project's asset does not show the export was not narrowed */
	read_markers(p, "gcp-asset", &m);
	assert_string_equal(marker_of(&m, "GCP::Storage::Bucket"), "none");
	assert_string_equal(marker_of(&m, "GCP::IAM::Policy"), "none");
}

static void
test_types_sorted(void **state)
{
	const struct gcp_type *t;
	size_t i, n;

	(void)state;
	t = gcp_type_table(&n);
	for (i = 1; i < n; i++)
		assert_true(strcmp(t[i - 1].asset_type, t[i].asset_type) < 0);
	for (i = 0; i < n; i++)
		assert_int_equal(strncmp(t[i].type, "GCP::", 5), 0);
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	if (tmp[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firewall_open_variants),
		cmocka_unit_test(test_firewall_closed_variants),
		cmocka_unit_test(test_firewall_pieces_and_blame),
		cmocka_unit_test(test_firewall_errors),
		cmocka_unit_test(test_firewall_all_ports),
		cmocka_unit_test(test_iam_and_kms),
		cmocka_unit_test(test_gcloud_markers),
		cmocka_unit_test(test_gcloud_errors_agree),
		cmocka_unit_test(test_gcloud_names_agree),
		cmocka_unit_test(test_asset_spellings),
		cmocka_unit_test(test_asset_markers),
		cmocka_unit_test_teardown(test_types_sorted, teardown),
	};

	RUN_TESTS("gcp", tests, argc, argv);
}
