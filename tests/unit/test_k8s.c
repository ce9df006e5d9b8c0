/*
 * test_k8s.c: the "kubernetes" adapter (checks/sources/k8s.c) and the k8s
 * plugins (checks/k8s/) beyond the fixtures of tests/fixtures/k8s-checks:
 * types, ids, namespaces and listing markers of every input shape,
 * incomplete lists, secret redaction, manifest directories, and the
 * classes of wrong passes as generated variants: a violating container
 * in any list (containers, initContainers, ephemeralContainers), at any
 * position, of any workload kind, written in YAML or JSON, must fail.
 */
#include "tests/unit/testutil.h"

#include "checks/k8s/k8s.h"
#include "rules/rules.h"

static struct rule_set *rs;
static char tmpdir[64];

/* ------------------------------------------------------------- helpers */

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static const char *
tmp(const char *name)
{
	static char p[8][256];
	static int i;

	i = (i + 1) % 8;
	snprintf(p[i], sizeof(p[i]), "%s/%s", tmpdir, name);
	return p[i];
}

/* What the adapter emitted, one line per resource or marker. */
struct seen {
	struct strbuf log;
	struct strbuf json; /* every attribute tree, serialised */
};

static int
record(void *ctx, const struct resource *r, struct arena *a)
{
	struct seen *s = ctx;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)a;
	if (r->listing) {
		sb_printf(&s->log, "listing %s%s%s\n", r->type,
		    r->read_error ? " error: " : "",
		    r->read_error ? r->read_error : "");
		return 0;
	}
	assert_string_equal(r->provider, "kubernetes");
	sb_printf(&s->log, "%s %s ns=%s%s%s\n", r->type, r->id,
	    r->namespace ? r->namespace : "-", r->read_error ? " error: " : "",
	    r->read_error ? r->read_error : "");
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	doc_write_json(r->attrs, fp);
	fclose(fp);
	sb_add(&s->json, buf, len);
	sb_addc(&s->json, '\n');
	free(buf);
	return 0;
}

/* Read path with the kubernetes adapter: 0 or -1; s filled. */
static int
read_k8s(const char *path, struct seen *s, struct diag *d)
{
	size_t n = 0;

	sb_init(&s->log);
	sb_init(&s->json);
	diag_init(d);
	return adapter_k8s.read(d, path, NULL, record, s, &n);
}

static void
seen_free(struct seen *s, struct diag *d)
{
	sb_free(&s->log);
	sb_free(&s->json);
	diag_free(d);
}

static int
has(const struct seen *s, const char *line)
{
	return s->log.s != NULL && strstr(s->log.s, line) != NULL;
}

/*
 * The status of check on resource id after a full run over input (a
 * baseline with one control binding the check), or -1 when the run
 * failed or the resource has no result.
 */
static int
status_of(const char *check, const char *input, const char *id)
{
	struct baseline *bl;
	struct run_opts ro;
	struct run *r;
	struct diag d;
	size_t i;
	int st = -1;
	FILE *fp;

	diag_init(&d);
	fp = fopen(tmp("baseline.yaml"), "w");
	assert_non_null(fp);
	fprintf(fp,
	    "id: t\ntitle: t\nimpact: moderate\ncontrols:\n"
	    "  - id: ca-7\n    checks:\n      - id: %s\n"
	    "        decides: part\n",
	    check);
	fclose(fp);
	bl = baseline_load(&d, tmp("baseline.yaml"), rs);
	assert_non_null(bl);
	memset(&ro, 0, sizeof(ro));
	ro.now = 1704067200;
	load_limits_default(&ro.lim);
	r = run_new(&d, bl, rs, NULL, &ro);
	assert_non_null(r);
	if (run_input(r, input, NULL) == 0 && run_finish(r) == 0)
		for (i = 0; i < r->as.checks[0].n; i++)
			if (strcmp(r->as.checks[0].results[i].resource_id,
				id) == 0)
				st = (int)r->as.checks[0].results[i].status;
	run_free(r);
	baseline_free(bl);
	diag_free(&d);
	return st;
}

static int
setup(void **state)
{
	struct diag d;

	(void)state;
	setenv("RAMPART_RULES_DIR", "rules", 1);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/rampart-k8s-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	diag_init(&d);
	rs = rule_set_new();
	if (rs == NULL || rule_set_load_shipped(rs, &d) != 0)
		return -1;
	diag_free(&d);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	rule_set_free(rs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------ adapter */

static const char kubectl_list[] =
    "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":"
    "{\"resourceVersion\":\"\"},\"items\":["
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\","
    "\"namespace\":\"a\",\"uid\":\"1\"},\"spec\":{\"containers\":[]}},"
    "{\"apiVersion\":\"extensions/v1beta1\",\"kind\":\"Deployment\","
    "\"metadata\":{\"name\":\"old\",\"namespace\":\"a\",\"uid\":\"2\"},"
    "\"spec\":{}},"
    "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":"
    "\"ClusterRoleBinding\",\"metadata\":{\"name\":\"crb\",\"uid\":\"3\"}},"
    "{\"apiVersion\":\"cert-manager.io/v1\",\"kind\":\"Certificate\","
    "\"metadata\":{\"name\":\"c\",\"namespace\":\"a\",\"uid\":\"4\"}},"
    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":"
    "{\"name\":\"a\",\"uid\":\"5\"}}]}";

/* A kubectl List: each item its own kind; groups by kind, not version. */
static void
test_kubectl_list(void **state)
{
	struct seen s;
	struct diag d;

	(void)state;
	write_file(tmp("list.json"), kubectl_list);
	assert_int_equal(read_k8s(tmp("list.json"), &s, &d), 0);
	assert_true(has(&s, "K8s::Core::Pod Pod/a/p ns=a\n"));
	assert_true(has(&s, "K8s::Apps::Deployment Deployment/a/old ns=a\n"));
	assert_true(has(&s,
	    "K8s::Rbac::ClusterRoleBinding "
	    "ClusterRoleBinding/crb ns=-\n"));
	assert_true(
	    has(&s, "K8s::CertManager::Certificate Certificate/a/c ns=a\n"));
	assert_true(has(&s, "K8s::Core::Namespace Namespace/a ns=-\n"));
	assert_true(has(&s, "listing K8s::Core::Pod\n"));
	assert_true(has(&s, "listing K8s::Apps::Deployment\n"));
	/* A List lists the kinds it holds, not the whole workload family. */
	assert_false(has(&s, "listing K8s::Apps::DaemonSet"));
	/* The Pod's template is at one path for every kind. */
	assert_non_null(strstr(s.json.s, "\"PodSpec\":{\"containers\":[]}"));
	seen_free(&s, &d);

	/* An authored List (items without uid) is a set of manifests. */
	write_file(tmp("authored.yaml"),
	    "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n"
	    "  kind: Deployment\n  metadata: {name: d, namespace: a}\n");
	assert_int_equal(read_k8s(tmp("authored.yaml"), &s, &d), 0);
	assert_true(has(&s, "listing K8s::Apps::DaemonSet\n"));
	seen_free(&s, &d);
}

/* API lists: items without kind take the list's; empty lists list. */
static void
test_api_lists(void **state)
{
	struct seen s;
	struct diag d;

	(void)state;
	write_file(tmp("roles.json"),
	    "{\"kind\":\"RoleList\",\"apiVersion\":"
	    "\"rbac.authorization.k8s.io/v1\",\"metadata\":{},\"items\":["
	    "{\"metadata\":{\"name\":\"r\",\"namespace\":\"n\"},\"rules\":[]}]}"
	    "\n");
	assert_int_equal(read_k8s(tmp("roles.json"), &s, &d), 0);
	assert_true(has(&s, "K8s::Rbac::Role Role/n/r ns=n\n"));
	assert_true(has(&s, "listing K8s::Rbac::Role\n"));
	assert_non_null(strstr(s.json.s, "\"kind\":\"Role\""));
	seen_free(&s, &d);

	write_file(tmp("pods.json"),
	    "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},"
	    "\"items\":[]}");
	assert_int_equal(read_k8s(tmp("pods.json"), &s, &d), 0);
	assert_string_equal(s.log.s, "listing K8s::Core::Pod\n");
	seen_free(&s, &d);
}

/* A continue token or remaining items: the listing is incomplete. */
static void
test_incomplete_lists(void **state)
{
	static const char *const meta[] = {
		"{\"continue\":\"eyJ2\"}",
		"{\"remainingItemCount\":3}",
		"{\"continue\":\"eyJ2\",\"remainingItemCount\":0}",
	};
	char text[512];
	struct seen s;
	struct diag d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(meta) / sizeof(meta[0]); i++) {
		snprintf(text, sizeof(text),
		    "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":"
		    "%s,\"items\":[{\"metadata\":{\"name\":\"p\","
		    "\"namespace\":\"n\"},\"spec\":{}}]}",
		    meta[i]);
		write_file(tmp("page.json"), text);
		assert_int_equal(read_k8s(tmp("page.json"), &s, &d), 0);
		assert_true(has(&s, "listing K8s::Core::Pod error: "));
		assert_false(has(&s, "listing K8s::Core::Pod\n"));
		seen_free(&s, &d);
	}
	/* Through the engine: every check on pods is error, not pass. */
	write_file(tmp("page.json"),
	    "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":"
	    "{\"continue\":\"x\"},\"items\":[]}");
	assert_int_equal(status_of("k8s-apiserver-audit-log", tmp("page.json"),
			     "listing of K8s::Core::Pod"),
	    ST_ERROR);
}

/* Secret values never reach the attributes a report could print. */
static void
test_secret_redaction(void **state)
{
	struct seen s;
	struct diag d;

	(void)state;
	write_file(tmp("secret.yaml"),
	    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n"
	    "  namespace: n\n  annotations:\n"
	    "    kubectl.kubernetes.io/last-applied-configuration: "
	    "'{\"data\":{\"pw\":\"c2VjcmV0LXZhbHVl\"}}'\n"
	    "data:\n  pw: c2VjcmV0LXZhbHVl\n"
	    "stringData:\n  token: plain-token-value\n"
	    "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: t\n"
	    "data: not-a-map-c2VjcmV0\n");
	assert_int_equal(read_k8s(tmp("secret.yaml"), &s, &d), 0);
	assert_true(has(&s, "K8s::Core::Secret Secret/n/s ns=n\n"));
	assert_true(has(&s, "K8s::Core::Secret Secret/default/t ns=default\n"));
	assert_null(strstr(s.json.s, "c2VjcmV0"));
	assert_null(strstr(s.json.s, "plain-token-value"));
	assert_non_null(strstr(s.json.s, "\"pw\":\"(redacted)\""));
	seen_free(&s, &d);
}

/* A manifest directory: recursive, multi-document, JSON and YAML. */
static void
test_manifest_dir(void **state)
{
	struct seen s;
	struct diag d;
	char p[300];

	(void)state;
	snprintf(p, sizeof(p), "%s/m/sub", tmpdir);
	assert_int_equal(mkdir(tmp("m"), 0700), 0);
	assert_int_equal(mkdir(p, 0700), 0);
	write_file(tmp("m/ns.yaml"),
	    "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
	    "---\n---\n");
	write_file(tmp("m/sub/deploy.JSON"),
	    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":"
	    "{\"name\":\"web\",\"namespace\":\"shop\"},\"spec\":{\"template\":"
	    "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]}}}}");
	write_file(tmp("m/sub/job.yml"),
	    "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n"
	    "  namespace: other\nspec:\n  template:\n    spec:\n"
	    "      containers: [{name: c, image: x}]\n");
	write_file(tmp("m/README.md"), "# not a manifest\n");
	assert_int_equal(read_k8s(tmp("m"), &s, &d), 0);
	assert_true(has(&s, "K8s::Apps::Deployment Deployment/shop/web"));
	assert_true(has(&s, "K8s::Batch::Job Job/other/j"));
	/* The set deploys no DaemonSet: the workload family is listed. */
	assert_true(has(&s, "listing K8s::Apps::DaemonSet\n"));
	assert_true(has(&s, "listing K8s::Core::Namespace\n"));
	/* A namespace the objects use but the set lacks: unknown, error. */
	assert_true(has(&s,
	    "K8s::Core::Namespace Namespace/other ns=other "
	    "error: "));
	assert_false(has(&s, "Namespace/shop ns=shop error"));
	assert_diag_has(&d, "skipped");
	assert_diag_has(&d, "README.md");
	seen_free(&s, &d);

	/* A kustomization is refused: it is not what gets applied. */
	write_file(tmp("m/kustomization.yaml"),
	    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: "
	    "Kustomization\nresources: [ns.yaml]\n");
	assert_int_equal(read_k8s(tmp("m"), &s, &d), -1);
	assert_diag_has(&d, "kubectl kustomize");
	seen_free(&s, &d);
	unlink(tmp("m/kustomization.yaml"));

	/* A namespace that is not a string is no namespace: an error. */
	write_file(tmp("m/bad.yaml"),
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: 7}\n");
	assert_int_equal(read_k8s(tmp("m"), &s, &d), -1);
	assert_diag_has(&d, "'metadata.namespace' is not a string");
	seen_free(&s, &d);

	/* A document that is no object is an error with its position. */
	write_file(tmp("m/bad.yaml"), "apiVersion: v1\nmetadata: {}\n");
	assert_int_equal(read_k8s(tmp("m"), &s, &d), -1);
	assert_diag_has(&d, "bad.yaml:1:1: error: not a Kubernetes object");
	seen_free(&s, &d);
	unlink(tmp("m/bad.yaml"));
}

/* Detection: objects and lists, YAML and JSON, directories of them. */
static void
test_detect(void **state)
{
	static const char yaml[] = "apiVersion: v1\nkind: Pod\n";
	static const char json[] = "{\"kind\":\"List\",\"apiVersion\":\"v1\"}";
	static const char aws[] = "{\"SecurityGroups\": []}";

	(void)state;
	assert_true(adapter_k8s.detect("x", 0, yaml, strlen(yaml)) > 0);
	assert_true(adapter_k8s.detect("x", 0, json, strlen(json)) > 0);
	static const char arm[] = "{\"apiVersion\": \"2021-04-01\", "
				  "\"kind\": \"StorageV2\"}";
	static const char crd[] = "kind: Certificate\n"
				  "apiVersion: cert-manager.io/v1alpha2\n";
	static const char spaced[] = "{\"kind\": \"Pod\", \"apiVersion\" : "
				     "\"v1\"}";

	assert_int_equal(adapter_k8s.detect("x", 0, aws, strlen(aws)), 0);
	/* An Azure Resource Manager object is not a Kubernetes one. */
	assert_int_equal(adapter_k8s.detect("x", 0, arm, strlen(arm)), 0);
	assert_true(adapter_k8s.detect("x", 0, crd, strlen(crd)) > 0);
	assert_true(adapter_k8s.detect("x", 0, spaced, strlen(spaced)) > 0);
	assert_true(adapter_k8s.detect("examples/k8s", 1, NULL, 0) > 0);
	assert_int_equal(
	    adapter_k8s.detect("examples/aws-export", 1, NULL, 0), 0);
}

/* ----------------------------------------------------------- plugins */

/* Names that look like secrets, in every spelling; and near misses. */
static void
test_secret_names(void **state)
{
	static const char *const yes[] = { "DB_PASSWORD", "db-password",
		"dbPassword", "DbPassWord", "db.password", "API_KEY", "apiKey",
		"api-key", "SSH_KEY", "key", "AWS_SECRET_ACCESS_KEY",
		"GITHUB_TOKEN", "ghToken", "CLIENT_CREDENTIALS", "MYSQL_PWD",
		"PRIVATE_KEY", "privateKey", "REDIS_PASS", "passphrase" };
	static const char *const no[] = { "PWD", "MONKEY", "KEYCLOAK_URL",
		"PASSAGE", "DB_USER", "HOME", "keyboard_layout" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!k8s_secret_name(yes[i]))
			fail_msg("'%s' should look like a secret", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (k8s_secret_name(no[i]))
			fail_msg("'%s' should not look like a secret", no[i]);
}

/* The workload kinds and the prefix that leads to their pod spec. */
static const struct {
	const char *api, *kind, *open, *close;
} kinds[] = {
	{ "v1", "Pod", "spec:\n", "" },
	{ "apps/v1", "Deployment", "spec:\n  template:\n    spec:\n", "" },
	{ "apps/v1", "StatefulSet", "spec:\n  template:\n    spec:\n", "" },
	{ "apps/v1", "DaemonSet", "spec:\n  template:\n    spec:\n", "" },
	{ "apps/v1", "ReplicaSet", "spec:\n  template:\n    spec:\n", "" },
	{ "batch/v1", "Job", "spec:\n  template:\n    spec:\n", "" },
	{ "batch/v1", "CronJob",
	    "spec:\n  jobTemplate:\n    spec:\n      template:\n"
	    "        spec:\n",
	    "" },
	{ "v1", "ReplicationController", "spec:\n  template:\n    spec:\n",
	    "" },
	{ "v1", "PodTemplate", "template:\n  spec:\n", "" },
};

/* Indentation of the pod spec's keys for kind k. */
static int
depth_of(size_t k)
{
	const char *p = kinds[k].open, *last = p;
	int n = 0;

	for (; *p != '\0'; p++)
		if (*p == '\n' && p[1] != '\0')
			last = p + 1;
	while (last[n] == ' ')
		n++;
	return n + 2;
}

/*
 * A manifest of kind k whose list `list` holds a compliant container and
 * a bad one (bad first when first), as YAML; the pod spec is hardened so
 * that only `bad` breaks the check.
 */
static void
variant(char *out, size_t len, size_t k, const char *list, int first,
    const char *bad)
{
	const char *good = "{name: ok, image: x, securityContext: "
			   "{privileged: false, runAsUser: 1000, "
			   "allowPrivilegeEscalation: false, "
			   "capabilities: {drop: [ALL]}}}";
	char b[512], in[16];
	int ind = depth_of(k);

	snprintf(
	    b, sizeof(b), "{name: bad, image: x, securityContext: {%s}}", bad);
	snprintf(in, sizeof(in), "%*s", ind, "");
	snprintf(out, len,
	    "apiVersion: %s\nkind: %s\nmetadata:\n  name: w\n"
	    "  namespace: n\n%s%scontainers: [%s]\n%s%s: [%s, %s]\n",
	    kinds[k].api, kinds[k].kind, kinds[k].open, in, good, in, list,
	    first ? b : good, first ? good : b);
	if (strcmp(list, "containers") == 0)
		snprintf(out, len,
		    "apiVersion: %s\nkind: %s\nmetadata:\n  name: w\n"
		    "  namespace: n\n%s%scontainers: [%s, %s]\n",
		    kinds[k].api, kinds[k].kind, kinds[k].open, in,
		    first ? b : good, first ? good : b);
}

/*
 * Every container of every pod template counts: for each workload kind,
 * each container list and each position, a container that breaks the
 * check fails it, and its compliant twin passes.
 */
static void
test_every_container(void **state)
{
	static const char *const lists[] = { "containers", "initContainers",
		"ephemeralContainers" };
	static const struct {
		const char *check, *bad, *good;
	} cases[] = {
		{ "k8s-privileged-container", "privileged: true",
		    "privileged: false" },
		{ "k8s-run-as-non-root", "runAsUser: 0", "runAsUser: 7" },
		{ "k8s-capabilities",
		    "capabilities: {drop: [ALL], add: [CAP_sys_admin]}",
		    "capabilities: {drop: [ALL], add: [net_bind_service]}" },
		{ "k8s-privilege-escalation",
		    "allowPrivilegeEscalation: true, capabilities: {drop: "
		    "[ALL]}",
		    "allowPrivilegeEscalation: false" },
	};
	char text[2048], id[64];
	size_t k, l, c;
	int first, want;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			for (l = 0; l < 3; l++)
				for (first = 0; first < 2; first++) {
					const char *b[2] = { cases[c].good,
						cases[c].bad };
					int bad;

					for (bad = 0; bad < 2; bad++) {
						variant(text, sizeof(text), k,
						    lists[l], first, b[bad]);
						write_file(tmp("v.yaml"), text);
						snprintf(id, sizeof(id),
						    "%s/n/w", kinds[k].kind);
						want = bad ? ST_FAIL : ST_PASS;
						if (status_of(cases[c].check,
							tmp("v.yaml"),
							id) != want)
							fail_msg("%s: %s %s "
								 "%s first=%d "
								 "bad=%d",
							    cases[c].check,
							    kinds[k].kind,
							    lists[l], b[bad],
							    first, bad);
					}
				}
}

/* runAsUser and runAsNonRoot at pod and container level, combined. */
static void
test_run_as_forms(void **state)
{
	static const struct {
		const char *pod, *ctr;
		int want;
	} v[] = {
		{ "{runAsUser: 1000}", "{runAsNonRoot: false}", ST_PASS },
		{ "{runAsNonRoot: true}", "{runAsNonRoot: false}", ST_FAIL },
		{ "{runAsNonRoot: true}", "{runAsUser: 0}", ST_FAIL },
		{ "{runAsUser: 0}", "{runAsUser: 5}", ST_PASS },
		{ "{runAsUser: 5}", "{runAsUser: 0}", ST_FAIL },
		{ "{runAsNonRoot: true}", "{}", ST_PASS },
		{ "{}", "{}", ST_FAIL },
		{ "{runAsUser: root}", "{}", ST_ERROR },
		{ "{runAsUser: -1}", "{}", ST_ERROR },
		{ "{runAsNonRoot: \"true\"}", "{}", ST_ERROR },
	};
	char text[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(text, sizeof(text),
		    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: "
		    "n}\nspec:\n  securityContext: %s\n  containers: [{name: "
		    "c, image: x, securityContext: %s}]\n",
		    v[i].pod, v[i].ctr);
		write_file(tmp("ru.yaml"), text);
		if (status_of("k8s-run-as-non-root", tmp("ru.yaml"),
			"Pod/n/p") != v[i].want)
			fail_msg("pod %s container %s: expected %s", v[i].pod,
			    v[i].ctr, status_name((enum status)v[i].want));
	}
}

/* YAML and JSON renderings of one object decide alike. */
static void
test_yaml_json_agree(void **state)
{
	(void)state;
	write_file(tmp("p.yaml"),
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\n"
	    "spec:\n  hostPID: true\n  containers: [{name: c, image: x}]\n");
	write_file(tmp("p.json"),
	    "{\"spec\":{\"containers\":[{\"image\":\"x\",\"name\":\"c\"}],"
	    "\"hostPID\":true},\"metadata\":{\"namespace\":\"n\",\"name\":"
	    "\"p\"},\"kind\":\"Pod\",\"apiVersion\":\"v1\"}");
	assert_int_equal(
	    status_of("k8s-host-namespaces", tmp("p.yaml"), "Pod/n/p"),
	    ST_FAIL);
	assert_int_equal(
	    status_of("k8s-host-namespaces", tmp("p.json"), "Pod/n/p"),
	    ST_FAIL);
	/* A string "true" is not a boolean: error, never read as false. */
	write_file(tmp("p.yaml"),
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\n"
	    "spec:\n  hostPID: \"true\"\n  containers: [{name: c, image: "
	    "x}]\n");
	assert_int_equal(
	    status_of("k8s-host-namespaces", tmp("p.yaml"), "Pod/n/p"),
	    ST_ERROR);
}

/* A workload without a pod template, or without containers: error. */
static void
test_no_template(void **state)
{
	size_t k;
	char text[512], id[64];

	(void)state;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		snprintf(text, sizeof(text),
		    "apiVersion: %s\nkind: %s\nmetadata: {name: w, namespace: "
		    "n}\n",
		    kinds[k].api, kinds[k].kind);
		write_file(tmp("t.yaml"), text);
		snprintf(id, sizeof(id), "%s/n/w", kinds[k].kind);
		assert_int_equal(
		    status_of("k8s-privileged-container", tmp("t.yaml"), id),
		    ST_ERROR);
	}
}

/* Default-deny: the selector and type forms that mean "all pods". */
static void
test_default_deny_forms(void **state)
{
	static const struct {
		const char *spec;
		int want;
	} v[] = {
		{ "{podSelector: {}, policyTypes: [Ingress]}", ST_PASS },
		{ "{podSelector: {}}", ST_PASS },
		{ "{podSelector: {matchLabels: {}}, policyTypes: [Ingress]}",
		    ST_PASS },
		{ "{podSelector: {matchExpressions: []}}", ST_PASS },
		{ "{podSelector: {}, policyTypes: [Ingress], ingress: []}",
		    ST_PASS },
		{ "{podSelector: {}, policyTypes: [Ingress], ingress: [{}]}",
		    ST_FAIL },
		{ "{podSelector: {matchLabels: {app: a}}}", ST_FAIL },
		{ "{podSelector: {}, policyTypes: [Egress]}", ST_FAIL },
		{ "{podSelector: {}, policyTypes: [ingress]}", ST_FAIL },
		{ "{podSelector: {}, policyTypes: Ingress}", ST_ERROR },
	};
	/* Beside a default deny: allow-all undoes it, an exception not. */
	static const struct {
		const char *spec;
		int want;
	} w[] = {
		{ "{podSelector: {}, ingress: [{}]}", ST_FAIL },
		{ "{podSelector: {}, ingress: [{from: [], ports: []}]}",
		    ST_FAIL },
		{ "{podSelector: {matchLabels: {}}, policyTypes: [Ingress], "
		  "ingress: [{ports: [{port: 80}]}, {}]}",
		    ST_FAIL },
		{ "{podSelector: {}, ingress: [{ports: [{port: 8080}]}]}",
		    ST_PASS },
		{ "{podSelector: {}, ingress: [{from: [{namespaceSelector: "
		  "{matchLabels: {a: b}}}]}]}",
		    ST_PASS },
		{ "{podSelector: {matchLabels: {app: web}}, ingress: [{}]}",
		    ST_PASS },
		{ "{podSelector: {}, ingress: {}}", ST_ERROR },
	};
	char text[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		snprintf(text, sizeof(text),
		    "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"
		    "---\napiVersion: networking.k8s.io/v1\nkind: "
		    "NetworkPolicy\nmetadata: {name: deny, namespace: a}\n"
		    "spec: {podSelector: {}, policyTypes: [Ingress]}\n"
		    "---\napiVersion: networking.k8s.io/v1\nkind: "
		    "NetworkPolicy\nmetadata: {name: p, namespace: a}\n"
		    "spec: %s\n",
		    w[i].spec);
		write_file(tmp("np.yaml"), text);
		if (status_of("k8s-namespace-default-deny", tmp("np.yaml"),
			"Namespace/a") != w[i].want)
			fail_msg("deny + %s: expected %s", w[i].spec,
			    status_name((enum status)w[i].want));
	}
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(text, sizeof(text),
		    "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"
		    "---\napiVersion: networking.k8s.io/v1\nkind: "
		    "NetworkPolicy\nmetadata: {name: p, namespace: a}\n"
		    "spec: %s\n",
		    v[i].spec);
		write_file(tmp("np.yaml"), text);
		if (status_of("k8s-namespace-default-deny", tmp("np.yaml"),
			"Namespace/a") != v[i].want)
			fail_msg("%s: expected %s", v[i].spec,
			    status_name((enum status)v[i].want));
	}
}

/* kube-apiserver flags in every form pflag and a shell accept. */
static void
test_apiserver_flag_forms(void **state)
{
	static const struct {
		const char *cmd;
		int want;
	} v[] = {
		{ "[kube-apiserver, --anonymous-auth=false]", ST_PASS },
		{ "[/usr/local/bin/kube-apiserver, --anonymous-auth=FALSE]",
		    ST_PASS },
		{ "[kube-apiserver, --anonymous-auth]", ST_FAIL },
		{ "[kube-apiserver, --anonymous-auth, \"false\"]", ST_FAIL },
		{ "[kube-apiserver, --anonymous-auth=false, "
		  "--anonymous-auth=true]",
		    ST_FAIL },
		{ "[/bin/sh, -c, \"exec kube-apiserver --anonymous-auth=false "
		  "--v=2\"]",
		    ST_PASS },
		{ "[kube-apiserver, --anonymous-auth=maybe]", ST_ERROR },
		{ "[kube-apiserver]", ST_FAIL },
	};
	char text[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(text, sizeof(text),
		    "apiVersion: v1\nkind: Pod\nmetadata: {name: "
		    "kube-apiserver,"
		    " namespace: kube-system}\nspec:\n  containers:\n"
		    "  - name: a\n    image: x\n    command: %s\n",
		    v[i].cmd);
		write_file(tmp("api.yaml"), text);
		if (status_of("k8s-apiserver-anonymous-auth", tmp("api.yaml"),
			"Pod/kube-system/kube-apiserver") != v[i].want)
			fail_msg("%s: expected %s", v[i].cmd,
			    status_name((enum status)v[i].want));
	}
}

/* Broad subjects in every form the API writes them. */
static void
test_broad_subjects(void **state)
{
	static const struct {
		const char *subject;
		int want;
	} v[] = {
		{ "{kind: Group, name: system:authenticated}", ST_FAIL },
		{ "{kind: Group, name: system:unauthenticated}", ST_FAIL },
		{ "{kind: User, name: system:anonymous}", ST_FAIL },
		{ "{kind: Group, name: system:serviceaccounts}", ST_FAIL },
		{ "{kind: Group, name: \"system:serviceaccounts:ns\"}",
		    ST_FAIL },
		{ "{kind: Group, name: system:masters}", ST_PASS },
		{ "{kind: ServiceAccount, name: default, namespace: ns}",
		    ST_PASS },
	};
	char text[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(text, sizeof(text),
		    "apiVersion: rbac.authorization.k8s.io/v1\nkind: "
		    "ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: "
		    "ClusterRole, name: wide, apiGroup: "
		    "rbac.authorization.k8s.io}\nsubjects: [%s]\n---\n"
		    "apiVersion: rbac.authorization.k8s.io/v1\nkind: "
		    "ClusterRole\nmetadata: {name: wide}\nrules: [{apiGroups: "
		    "[\"\"], resources: [pods], verbs: [\"*\"]}]\n",
		    v[i].subject);
		write_file(tmp("rb.yaml"), text);
		if (status_of("k8s-rbac-broad-admin-binding", tmp("rb.yaml"),
			"ClusterRoleBinding/b") != v[i].want)
			fail_msg("%s: expected %s", v[i].subject,
			    status_name((enum status)v[i].want));
	}
}

/*
 * A role defined twice (two manifests): a wildcard in either definition
 * is seen, whichever order the files come in.
 */
static void
test_duplicate_role(void **state)
{
	static const char binding[] =
	    "apiVersion: rbac.authorization.k8s.io/v1\nkind: "
	    "ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: "
	    "ClusterRole, name: r, apiGroup: rbac.authorization.k8s.io}\n"
	    "subjects: [{kind: Group, name: system:authenticated}]\n";
	static const char *const defs[] = {
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
		"metadata: {name: r}\nrules: [{apiGroups: [\"\"], resources: "
		"[pods], verbs: [get]}]\n",
		"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
		"metadata: {name: r}\nrules: [{apiGroups: [\"\"], resources: "
		"[\"*\"], verbs: [get]}]\n",
	};
	struct seen s;
	struct diag d;
	int order;

	(void)state;
	assert_int_equal(mkdir(tmp("dup"), 0700), 0);
	write_file(tmp("dup/b.yaml"), binding);
	for (order = 0; order < 2; order++) {
		write_file(tmp("dup/r1.yaml"), defs[order]);
		write_file(tmp("dup/r2.yaml"), defs[!order]);
		assert_int_equal(status_of("k8s-rbac-broad-admin-binding",
				     tmp("dup"), "ClusterRoleBinding/b"),
		    ST_FAIL);
		assert_int_equal(read_k8s(tmp("dup"), &s, &d), 0);
		assert_diag_has(&d, "'ClusterRole/r' is also defined at");
		seen_free(&s, &d);
	}
	/* One narrow definition alone passes: the test can tell. */
	unlink(tmp("dup/r2.yaml"));
	write_file(tmp("dup/r1.yaml"), defs[0]);
	assert_int_equal(status_of("k8s-rbac-broad-admin-binding", tmp("dup"),
			     "ClusterRoleBinding/b"),
	    ST_PASS);
}

/* One container's securityContext or image, judged by one check. */
static int
one_container(const char *check, const char *ctr)
{
	char text[1024];

	snprintf(text, sizeof(text),
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\n"
	    "spec:\n  containers: [{name: c, %s}]\n",
	    ctr);
	write_file(tmp("one.yaml"), text);
	return status_of(check, tmp("one.yaml"), "Pod/n/p");
}

/*
 * Capability names in every spelling the runtimes accept are the same
 * capability; image digests must be whole.
 */
static void
test_spellings(void **state)
{
	static const char *const sysadmin[] = { "SYS_ADMIN", "sys_admin",
		"CAP_SYS_ADMIN", "cap_sys_admin", "Cap_Sys_Admin", "NET_RAW",
		"ALL", "all" };
	static const struct {
		const char *image;
		int want;
	} img[] = {
		{ "nginx@sha256:"
		  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
		  "cdef",
		    ST_PASS },
		{ "reg.io:5000/a/nginx:1.25@sha256:"
		  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
		  "cdef",
		    ST_PASS },
		{ "nginx@sha256:"
		  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
		  "cde",
		    ST_FAIL },
		{ "nginx@sha256:"
		  "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789ab"
		  "cdef",
		    ST_FAIL },
		{ "nginx@sha512:"
		  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
		  "cdef",
		    ST_FAIL },
		{ "nginx:sha256-0123", ST_FAIL },
		{ "nginx:1.25", ST_FAIL },
		{ "nginx", ST_FAIL },
	};
	char c[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sysadmin) / sizeof(sysadmin[0]); i++) {
		snprintf(c, sizeof(c),
		    "image: x, securityContext: {capabilities: {drop: [ALL], "
		    "add: [%s]}}",
		    sysadmin[i]);
		if (one_container("k8s-capabilities", c) != ST_FAIL)
			fail_msg("add %s should fail", sysadmin[i]);
	}
	for (i = 0; i < 3; i++) {
		static const char *const drops[] = { "all", "CAP_ALL", "All" };

		snprintf(c, sizeof(c),
		    "image: x, securityContext: {capabilities: {drop: [%s]}}",
		    drops[i]);
		if (one_container("k8s-capabilities", c) != ST_FAIL)
			fail_msg("drop %s is not the restricted ALL", drops[i]);
	}
	for (i = 0; i < sizeof(img) / sizeof(img[0]); i++) {
		snprintf(c, sizeof(c), "image: \"%s\"", img[i].image);
		if (one_container("k8s-image-digest", c) != img[i].want)
			fail_msg("%s: expected %s", img[i].image,
			    status_name((enum status)img[i].want));
	}
}

/*
 * Every result of a run of several k8s checks over input, as one string
 * ("check id status;..."), in sb; -1 when the run failed (then d says
 * why).
 */
static int
run_summary(const char *input, struct strbuf *sb, struct diag *d)
{
	static const char *const checks[] = { "k8s-capabilities",
		"k8s-env-plain-secret", "k8s-namespace-default-deny",
		"k8s-pod-sa-token", "k8s-privileged-container",
		"k8s-rbac-broad-admin-binding" };
	struct baseline *bl;
	struct run_opts ro;
	struct run *r = NULL;
	size_t i, j;
	int rc = -1;
	FILE *fp;

	fp = fopen(tmp("tb.yaml"), "w");
	assert_non_null(fp);
	fprintf(fp,
	    "id: t\ntitle: t\nimpact: moderate\ncontrols:\n"
	    "  - id: ca-7\n    checks:\n");
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		fprintf(fp, "      - {id: %s, decides: part}\n", checks[i]);
	fclose(fp);
	if ((bl = baseline_load(d, tmp("tb.yaml"), rs)) == NULL)
		return -1;
	memset(&ro, 0, sizeof(ro));
	ro.now = 1704067200;
	load_limits_default(&ro.lim);
	if ((r = run_new(d, bl, rs, NULL, &ro)) == NULL ||
	    run_input(r, input, NULL) != 0 || run_finish(r) != 0)
		goto out;
	for (i = 0; i < r->as.nchecks; i++)
		for (j = 0; j < r->as.checks[i].n; j++)
			sb_printf(sb, "%s %s %s;", r->as.checks[i].rule->id,
			    r->as.checks[i].results[j].resource_id,
			    status_name(r->as.checks[i].results[j].status));
	rc = 0;
out:
	run_free(r);
	baseline_free(bl);
	return rc;
}

/*
 * Fail each allocation of a scan of examples/k8s in turn: the run either
 * stops with an error that says so, or gives exactly the reference
 * results; never a crash, never a different status.
 */
static void
test_every_allocation_fails_cleanly(void **state)
{
	struct strbuf ref, got;
	struct diag d;
	long n, total;
	int rc;

	(void)state;
	sb_init(&ref);
	diag_init(&d);
	lib_alloc_fail_at(0);
	(void)lib_alloc_count();
	assert_int_equal(run_summary("examples/k8s", &ref, &d), 0);
	total = lib_alloc_count();
	diag_free(&d);
	assert_true(total > 100);
	assert_non_null(strstr(ref.s,
	    "k8s-privileged-container "
	    "Deployment/shop/web pass;"));
	for (n = 1; n <= total + 1; n++) {
		sb_init(&got);
		diag_init(&d);
		lib_alloc_fail_at(n);
		rc = run_summary("examples/k8s", &got, &d);
		lib_alloc_fail_at(0);
		if (rc == -1 && d.nerrors == 0)
			fail_msg("allocation %ld failed silently", n);
		if (rc == 0 && !got.oom && strcmp(got.s, ref.s) != 0)
			fail_msg(
			    "allocation %ld changed the results: %s", n, got.s);
		sb_free(&got);
		diag_free(&d);
	}
	sb_free(&ref);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kubectl_list),
		cmocka_unit_test(test_api_lists),
		cmocka_unit_test(test_incomplete_lists),
		cmocka_unit_test(test_secret_redaction),
		cmocka_unit_test(test_manifest_dir),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_secret_names),
		cmocka_unit_test(test_every_container),
		cmocka_unit_test(test_run_as_forms),
		cmocka_unit_test(test_yaml_json_agree),
		cmocka_unit_test(test_no_template),
		cmocka_unit_test(test_default_deny_forms),
		cmocka_unit_test(test_apiserver_flag_forms),
		cmocka_unit_test(test_broad_subjects),
		cmocka_unit_test(test_duplicate_role),
		cmocka_unit_test(test_spellings),
		cmocka_unit_test(test_every_allocation_fails_cleanly),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("k8s", tests, setup, teardown);
}
