/*
 * test_aws_review.c: wave-3 review of issue 12 (AWS adapters and
 * plugins).  Each test mutates a real recording along one class of
 * inputs and asserts that no non-compliant or unreadable variant is read
 * as `pass`, beside compliant twins that still pass.
 */
#include "tests/unit/testutil.h"

#include "checks/check.h"
#include "tests/unit/collect.h"

#define S3_ITEM "tests/fixtures/config/s3-bucket.json"
#define ACL_KEY "\"AccessControlList\": \""

/* The whole of a file (caller frees). */
static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* s as the body of a JSON string (no quotes), appended to out. */
static void
esc_json(char *out, size_t cap, const char *s)
{
	size_t o = strlen(out);

	for (; *s != '\0'; s++) {
		assert_true(o + 3 < cap);
		if (*s == '"' || *s == '\\')
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o] = '\0';
}

/*
 * The real Config item with its AccessControlList replaced by acl (JSON
 * text), encoded twice as Config records it, written to a temporary file
 * whose path is returned (static buffer).
 */
static const char *
item_with_acl(const char *acl)
{
	static char path[64];
	char once[4096] = "\"", twice[8192] = "";
	char *src = slurp(S3_ITEM), *p, *q;
	FILE *fp;
	int fd;

	esc_json(once, sizeof(once), acl);
	assert_true(strlen(once) + 2 < sizeof(once));
	strncat(once, "\"", sizeof(once) - strlen(once) - 1);
	esc_json(twice, sizeof(twice), once);
	p = strstr(src, ACL_KEY);
	assert_non_null(p);
	p += strlen(ACL_KEY);
	/* the end of the string value: the first unescaped quote */
	for (q = p; *q != '"'; q++)
		if (*q == '\\')
			q++;
	snprintf(path, sizeof(path), "/tmp/rampart-review-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fprintf(fp, "%.*s%s%s", (int)(p - src), src, twice, q);
	fclose(fp);
	free(src);
	return path;
}

/* Run aws_s3_acl (default parameters) on the one bucket of path. */
static enum status
acl_status(const char *path, char *msg, size_t msgcap)
{
	const struct check_plugin *p = check_plugin_find("aws_s3_acl");
	static const char params[] =
	    "{\"public_groups\": ["
	    "\"http://acs.amazonaws.com/groups/global/AllUsers\", "
	    "\"http://acs.amazonaws.com/groups/global/AuthenticatedUsers\"]}";
	struct doc_node **docs;
	struct check_ctx c;
	struct coll coll;
	struct diag d;
	enum status st;
	size_t n;

	assert_non_null(p);
	memset(&coll, 0, sizeof(coll));
	coll.a = arena_new();
	diag_init(&d);
	assert_int_equal(adapter_find("aws-config")
			     ->read(&d, path, NULL, collect, &coll, NULL),
	    0);
	assert_int_equal(coll.n, 1);
	assert_string_equal(coll.v[0].type, "AWS::S3::Bucket");
	memset(&c, 0, sizeof(c));
	c.a = coll.a;
	c.d = &d;
	c.now = 1700000000;
	assert_int_equal(doc_load_buf(coll.a, &d, "params.json", params,
			     strlen(params), DOC_FMT_JSON, NULL, &docs, &n),
	    0);
	c.params = docs[0];
	check_ctx_reset(&c);
	assert_int_equal(p->evaluate(&c, &coll.v[0]), 0);
	assert_true(c.emitted);
	st = c.result.status;
	snprintf(msg, msgcap, "%s", c.result.message);
	arena_free(coll.a);
	diag_free(&d);
	return st;
}

struct acl_case {
	const char *acl;
	enum status want;
};

#define OWNER \
	"{\"grantee\":{\"id\":\"e7c8bb65a5fc49cf906715eae09de9e4bb7861a9636" \
	"1ba79b833aa45f6833b15\",\"displayName\":null}," \
	"\"permission\":\"FullControl\"}"
#define TAIL \
	",\"owner\":{\"displayName\":null,\"id\":\"e7c8bb65a5fc49cf906715eae" \
	"09de9e4bb7861a96361ba79b833aa45f6833b15\"},\"isRequesterCharged\":" \
	"false}"

/*
 * Config's AccessControlList: every spelling of a public grant fails,
 * every ACL whose grants cannot be read is `error`; the owner-only ACL
 * of the recording and its grantSet twin pass.  Before the fix a
 * lower-case group name, a "URI" typeIdentifier, grants in grantSet, and
 * a grantList that was an object, null or absent all passed.
 */
static void
test_config_acl_variants(void **state)
{
	static const char *const groups[] = { "AllUsers", "allusers",
		"ALLUSERS", "AuthenticatedUsers", "authenticatedUSERS" };
	static const char *const uri_kinds[] = { "uri", "URI", "Uri" };
	static const char *const uris[] = {
		"http://acs.amazonaws.com/groups/global/AllUsers",
		"https://acs.amazonaws.com/groups/global/AuthenticatedUsers",
		"HTTP://ACS.AMAZONAWS.COM/GROUPS/GLOBAL/ALLUSERS",
	};
	static const struct acl_case fixed[] = {
		/* the recording as it is: the owner only */
		{ "{\"grantSet\":null,\"grantList\":[" OWNER "]" TAIL,
		    ST_PASS },
		/* the same grant in grantSet */
		{ "{\"grantSet\":[" OWNER "],\"grantList\":null" TAIL,
		    ST_PASS },
		/* a canonical user spelled with typeIdentifier "ID" */
		{ "{\"grantSet\":null,\"grantList\":[{\"grantee\":{"
		  "\"identifier\":\"e7c8\",\"typeIdentifier\":\"ID\"},"
		  "\"permission\":\"Read\"}]" TAIL,
		    ST_PASS },
		/* a public grant in grantSet, owner in grantList */
		{ "{\"grantSet\":[{\"grantee\":\"AllUsers\",\"permission\":"
		  "\"Read\"}],\"grantList\":[" OWNER "]" TAIL,
		    ST_FAIL },
		/* grants that cannot be read */
		{ "{\"grantSet\":null,\"grantList\":{\"grantee\":"
		  "\"AllUsers\",\"permission\":\"Read\"}" TAIL,
		    ST_ERROR },
		{ "{\"grantSet\":null,\"grantList\":null" TAIL, ST_ERROR },
		{ "{\"owner\":null}", ST_ERROR },
		{ "{\"grantSet\":\"AllUsers\",\"grantList\":[" OWNER "]" TAIL,
		    ST_ERROR },
		{ "[{\"grantee\":\"AllUsers\",\"permission\":\"Read\"}]",
		    ST_ERROR },
		{ "\"AllUsers\"", ST_ERROR },
		/* a grantee kind the adapter does not know */
		{ "{\"grantSet\":null,\"grantList\":[{\"grantee\":{"
		  "\"identifier\":\"http://acs.amazonaws.com/groups/global/"
		  "AllUsers\",\"typeIdentifier\":\"group\"},"
		  "\"permission\":\"Read\"}]" TAIL,
		    ST_ERROR },
	};
	char acl[1024], msg[512];
	const char *path;
	enum status st;
	size_t i, j, k, ncase = 0;

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++, ncase++) {
		path = item_with_acl(fixed[i].acl);
		st = acl_status(path, msg, sizeof(msg));
		unlink(path);
		if (st != fixed[i].want)
			fail_msg("acl %s: %s (%s), want %s", fixed[i].acl,
			    status_name(st), msg, status_name(fixed[i].want));
	}
	/* every group spelling, in grantList and in grantSet */
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		for (k = 0; k < 2; k++, ncase++) {
			snprintf(acl, sizeof(acl),
			    "{\"%s\":[" OWNER ",{\"grantee\":\"%s\","
			    "\"permission\":\"Read\"}],\"%s\":null" TAIL,
			    k ? "grantSet" : "grantList", groups[i],
			    k ? "grantList" : "grantSet");
			path = item_with_acl(acl);
			st = acl_status(path, msg, sizeof(msg));
			unlink(path);
			if (st != ST_FAIL)
				fail_msg("group '%s' in %s: %s (%s)", groups[i],
				    k ? "grantSet" : "grantList",
				    status_name(st), msg);
		}
	/* every URI spelling under every typeIdentifier spelling */
	for (i = 0; i < sizeof(uri_kinds) / sizeof(uri_kinds[0]); i++)
		for (j = 0; j < sizeof(uris) / sizeof(uris[0]); j++, ncase++) {
			snprintf(acl, sizeof(acl),
			    "{\"grantSet\":null,\"grantList\":[" OWNER
			    ",{\"grantee\":{\"identifier\":\"%s\","
			    "\"typeIdentifier\":\"%s\"},\"permission\":"
			    "\"Write\"}]" TAIL,
			    uris[j], uri_kinds[i]);
			path = item_with_acl(acl);
			st = acl_status(path, msg, sizeof(msg));
			unlink(path);
			if (st != ST_FAIL)
				fail_msg("uri '%s' as '%s': %s (%s)", uris[j],
				    uri_kinds[i], status_name(st), msg);
		}
	assert_true(ncase >= 30);
}

/* Evaluate plugin on an inline resource of type with parameters params. */
static enum status
eval_inline(const char *plugin, const char *type, const char *json,
    const char *params, char *msg, size_t msgcap)
{
	const struct check_plugin *p = check_plugin_find(plugin);
	struct arena *a = arena_new();
	struct doc_node **docs;
	struct resource r;
	struct check_ctx c;
	struct diag d;
	enum status st;
	size_t n;

	assert_non_null(p);
	diag_init(&d);
	memset(&r, 0, sizeof(r));
	assert_int_equal(doc_load_buf(a, &d, "inline.json", json, strlen(json),
			     DOC_FMT_JSON, NULL, &docs, &n),
	    0);
	r.type = type;
	r.id = "inline";
	r.attrs = docs[0];
	r.source = "inline.json";
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.d = &d;
	c.now = 1700000000;
	assert_int_equal(doc_load_buf(a, &d, "params.json", params,
			     strlen(params), DOC_FMT_JSON, NULL, &docs, &n),
	    0);
	c.params = docs[0];
	check_ctx_reset(&c);
	assert_int_equal(p->evaluate(&c, &r), 0);
	assert_true(c.emitted);
	st = c.result.status;
	snprintf(msg, msgcap, "%s", c.result.message);
	arena_free(a);
	diag_free(&d);
	return st;
}

/*
 * CloudTrail advanced event selectors (the placebo recording
 * test_cloudtrail_success_management_advanced_events_included): the
 * recorded selector passes, and so do its twins with readOnly split
 * over two selectors; every narrowing added to a single management
 * selector (readOnly NotEquals, which records one half; an eventName or
 * an eventSource Equals/StartsWith; an eventCategory with another
 * operator) must not pass.  Before the fix a readOnly NotEquals and any
 * narrowing field were ignored and the trail passed.
 */
static void
test_trail_advanced_narrowing(void **state)
{
	static const char *const narrow[] = {
		"{\"Field\": \"readOnly\", \"NotEquals\": [\"true\"]}",
		"{\"Field\": \"readOnly\", \"NotEquals\": [\"false\"]}",
		"{\"Field\": \"readOnly\", \"NotEquals\": [\"TRUE\"]}",
		"{\"Field\": \"readOnly\", \"Equals\": [\"false\"]}",
		"{\"Field\": \"readOnly\", \"StartsWith\": [\"t\"]}",
		"{\"Field\": \"eventName\", \"Equals\": "
		"[\"ConsoleLogin\"]}",
		"{\"Field\": \"eventName\", \"NotStartsWith\": [\"Put\"]}",
		"{\"Field\": \"eventSource\", \"Equals\": "
		"[\"kms.amazonaws.com\"]}",
		"{\"Field\": \"eventSource\", \"StartsWith\": [\"s3\"]}",
		"{\"Field\": \"eventSource\", \"NotEquals\": "
		"[\"kms.amazonaws.com\"], \"Equals\": [\"s3.amazonaws.com\"]}",
		"{\"Field\": \"eventCategory\", \"NotEquals\": "
		"[\"Management\"]}",
		"{\"Field\": \"resources.type\", \"Equals\": "
		"[\"AWS::S3::Object\"]}",
		"{\"Field\": \"userIdentity.arn\", \"Equals\": "
		"[\"arn:aws:iam::1:root\"]}",
	};
	static const char base[] =
	    "{\"Field\": \"eventCategory\", \"Equals\": [\"Management\"]}, "
	    "{\"Field\": \"eventSource\", \"NotEquals\": "
	    "[\"rdsdata.amazonaws.com\"]}";
	static const char head[] =
	    "{\"IsMultiRegionTrail\": true, \"Status\": {\"IsLogging\": "
	    "true}, \"AdvancedEventSelectors\": [";
	static const char params[] = "{\"check\": \"trail\"}";
	char json[2048], msg[512];
	enum status st;
	size_t i;

	(void)state;
	/* the recording, and read/write split over two selectors */
	snprintf(
	    json, sizeof(json), "%s{\"FieldSelectors\": [%s]}]}", head, base);
	st = eval_inline("aws_service", "AWS::CloudTrail::Trail", json, params,
	    msg, sizeof(msg));
	if (st != ST_PASS)
		fail_msg("recording: %s (%s)", status_name(st), msg);
	snprintf(json, sizeof(json),
	    "%s{\"FieldSelectors\": [%s, {\"Field\": \"readOnly\", "
	    "\"NotEquals\": [\"true\"]}]}, {\"FieldSelectors\": [%s, "
	    "{\"Field\": \"readOnly\", \"Equals\": [\"true\"]}]}]}",
	    head, base, base);
	st = eval_inline("aws_service", "AWS::CloudTrail::Trail", json, params,
	    msg, sizeof(msg));
	if (st != ST_PASS)
		fail_msg("split twin: %s (%s)", status_name(st), msg);
	for (i = 0; i < sizeof(narrow) / sizeof(narrow[0]); i++) {
		snprintf(json, sizeof(json),
		    "%s{\"FieldSelectors\": [%s, %s]}]}", head, base,
		    narrow[i]);
		st = eval_inline("aws_service", "AWS::CloudTrail::Trail", json,
		    params, msg, sizeof(msg));
		if (st == ST_PASS || st == ST_NOT_APPLICABLE)
			fail_msg("narrowed by %s: %s (%s)", narrow[i],
			    status_name(st), msg);
	}
}

/*
 * Config recorder status matched by name, the same recorder seen twice
 * (placebo test_account_config: recorder "default", recording, last
 * status SUCCESS).  A second status entry for the same name in any
 * order, of which one is stopped or failed, must not pass; before the
 * fix the first status found decided.  The single status passes, and
 * so does a duplicate of another recorder's name that exists.
 */
static void
test_recorder_status_twice(void **state)
{
	static const char *const other[] = {
		"{\"name\": \"default\", \"recording\": false, "
		"\"lastStatus\": \"SUCCESS\"}",
		"{\"name\": \"default\", \"recording\": \"false\", "
		"\"lastStatus\": \"SUCCESS\"}",
		"{\"name\": \"default\", \"recording\": true, "
		"\"lastStatus\": \"FAILURE\"}",
		"{\"name\": \"default\", \"recording\": null}",
		"{\"name\": \"default\", \"recording\": true, "
		"\"lastStatus\": \"SUCCESS\"}",
	};
	static const char good[] =
	    "{\"name\": \"default\", \"recording\": true, "
	    "\"lastStatus\": \"SUCCESS\"}";
	static const char recs[] =
	    "{\"ConfigurationRecorders\": [{\"name\": \"default\", "
	    "\"roleARN\": \"arn:aws:iam::644160558196:role/config-role\", "
	    "\"recordingGroup\": {\"allSupported\": true, "
	    "\"includeGlobalResourceTypes\": false, "
	    "\"resourceTypes\": []}}], \"ConfigurationRecordersStatus\": [";
	static const char params[] = "{\"check\": \"config_recorder\"}";
	char json[2048], msg[512];
	enum status st;
	size_t i, k;

	(void)state;
	snprintf(json, sizeof(json), "%s%s]}", recs, good);
	st = eval_inline("aws_service", "AWS::Config::ConfigurationRecorder",
	    json, params, msg, sizeof(msg));
	if (st != ST_PASS)
		fail_msg("recording: %s (%s)", status_name(st), msg);
	snprintf(json, sizeof(json),
	    "%s%s, {\"name\": \"other\", \"recording\": false}]}", recs, good);
	st = eval_inline("aws_service", "AWS::Config::ConfigurationRecorder",
	    json, params, msg, sizeof(msg));
	if (st != ST_PASS)
		fail_msg("another name: %s (%s)", status_name(st), msg);
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		for (k = 0; k < 2; k++) {
			snprintf(json, sizeof(json), "%s%s, %s]}", recs,
			    k ? other[i] : good, k ? good : other[i]);
			st = eval_inline("aws_service",
			    "AWS::Config::ConfigurationRecorder", json, params,
			    msg, sizeof(msg));
			if (st == ST_PASS || st == ST_NOT_APPLICABLE)
				fail_msg("status twice %s: %s (%s)", json,
				    status_name(st), msg);
		}
}

/*
 * A bucket policy Allow to everyone "restricted" by an ARN pattern that
 * has no account field (S3 ARNs) and a wildcard where the bucket name
 * starts matches every bucket of every account: public.  Derived from
 * the placebo bucket custodian-policy-test.  Before the fix
 * "arn:aws:s3:::*" counted as a restriction; a named bucket, or a
 * named bucket prefix, still restricts.
 */
static void
test_policy_source_arn_no_account(void **state)
{
	static const char *const ops[] = { "ArnLike", "StringLike",
		"ForAnyValue:ArnLike" };
	static const char *const keys[] = { "aws:SourceArn", "AWS:SOURCEARN",
		"aws:PrincipalArn" };
	static const char *const wild[] = { "arn:aws:s3:::*", "arn:aws:s3:::?*",
		"arn:aws:s3:::*/*", "arn:aws-cn:s3:::*", "arn:aws:s3:::?" };
	static const char *const named[] = {
		"arn:aws:s3:::custodian-policy-test",
		"arn:aws:s3:::custodian-policy-test/*",
		"arn:aws:s3:::custodian-*",
	};
	static const char fmt[] =
	    "{\"Name\": \"custodian-policy-test\", \"Policy\": "
	    "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": "
	    "\"Zebra\", \"Effect\": \"Allow\", \"Principal\": \"*\", "
	    "\"Action\": \"s3:PutObject\", \"Resource\": "
	    "\"arn:aws:s3:::custodian-policy-test/*\", \"Condition\": "
	    "{\"%s\": {\"%s\": \"%s\"}}}]}}";
	char json[1024], msg[512];
	enum status st;
	size_t i, k, v;

	(void)state;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			for (v = 0; v < sizeof(wild) / sizeof(wild[0]); v++) {
				snprintf(json, sizeof(json), fmt, ops[i],
				    keys[k], wild[v]);
				st = eval_inline("aws_iam_policy",
				    "AWS::S3::Bucket", json, "{}", msg,
				    sizeof(msg));
				if (st != ST_FAIL)
					fail_msg("%s %s %s: %s (%s)", ops[i],
					    keys[k], wild[v], status_name(st),
					    msg);
			}
			if (k == 2)
				continue; /* no bucket is a principal */
			for (v = 0; v < sizeof(named) / sizeof(named[0]); v++) {
				snprintf(json, sizeof(json), fmt, ops[i],
				    keys[k], named[v]);
				st = eval_inline("aws_iam_policy",
				    "AWS::S3::Bucket", json, "{}", msg,
				    sizeof(msg));
				if (st != ST_PASS)
					fail_msg("twin %s %s %s: %s (%s)",
					    ops[i], keys[k], named[v],
					    status_name(st), msg);
			}
		}
}

/* What an aws-config read gave: resources, and error listing markers. */
struct cfg_seen {
	size_t nres, nbad;
	char type[64];
};

static int
cfg_seen_fn(void *ctx, const struct resource *r, struct arena *a)
{
	struct cfg_seen *s = ctx;

	(void)a;
	if (!r->listing) {
		s->nres++;
		return 0;
	}
	if (r->read_error != NULL) {
		s->nbad++;
		snprintf(s->type, sizeof(s->type), "%s", r->type);
	}
	return 0;
}

/* Read text (written to a temporary file) with aws-config. */
static int
cfg_read_text(const char *text, struct cfg_seen *s)
{
	char path[64];
	struct diag d;
	FILE *fp;
	int fd, rc;

	snprintf(path, sizeof(path), "/tmp/rampart-review-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	memset(s, 0, sizeof(*s));
	diag_init(&d);
	rc = adapter_find("aws-config")
		 ->read(&d, path, NULL, cfg_seen_fn, s, NULL);
	diag_free(&d);
	unlink(path);
	return rc;
}

/*
 * AWS Config pages: the real bucket item (s3.json) as one page of
 * get-resource-config-history (configurationItems) and of
 * select-resource-config (Results, the item as a JSON string).  A page
 * whose nextToken / NextToken says more follow is an incomplete listing
 * of AWS::S3::Bucket (an error marker), whatever the token's shape;
 * such a page without items is refused; a null or empty token, or none,
 * is a complete page.  A snapshot whose configurationItems is not a
 * list is refused (it read as "no items", which beside a recorder is
 * "every type empty").  Before the fix the adapter never looked at the
 * token, so the bucket on page 1 passed for the whole account.
 */
static void
test_config_pages(void **state)
{
	static const char *const more[] = { "\"abc\"", "\"x\"", "5",
		"{\"t\": 1}", "[\"t\"]" };
	static const char *const done[] = { NULL, "null", "\"\"" };
	static const char *const keys[] = { "nextToken", "NextToken" };
	char *item = slurp(S3_ITEM), *sitem, *text;
	size_t ilen = strlen(item), i, k, f, n;
	struct cfg_seen s;

	(void)state;
	/* the item as a JSON string, for select-resource-config */
	sitem = malloc(2 * ilen + 3);
	assert_non_null(sitem);
	sitem[0] = '"';
	sitem[1] = '\0';
	esc_json(sitem, 2 * ilen + 3, item);
	for (n = 0; sitem[n] != '\0'; n++)
		if (sitem[n] == '\n')
			sitem[n] = ' ';
	strncat(sitem, "\"", 2);
	text = malloc(2 * ilen + 256);
	assert_non_null(text);
	for (f = 0; f < 2; f++)
		for (k = 0; k < 2; k++) {
			for (i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
				snprintf(text, 2 * ilen + 256,
				    "{\"%s\": [%s], \"%s\": %s}",
				    f ? "Results" : "configurationItems",
				    f ? sitem : item, keys[k], more[i]);
				assert_int_equal(cfg_read_text(text, &s), 0);
				if (s.nbad != 1 || s.nres != 1 ||
				    strcmp(s.type, "AWS::S3::Bucket") != 0)
					fail_msg("%s %s %s: %zu error markers",
					    f ? "Results" : "items", keys[k],
					    more[i], s.nbad);
				/* the same page without its item */
				snprintf(text, 2 * ilen + 256,
				    "{\"%s\": [], \"%s\": %s}",
				    f ? "Results" : "configurationItems",
				    keys[k], more[i]);
				if (cfg_read_text(text, &s) == 0)
					fail_msg("empty page with %s %s read",
					    keys[k], more[i]);
			}
			for (i = 0; i < sizeof(done) / sizeof(done[0]); i++) {
				snprintf(text, 2 * ilen + 256,
				    "{\"%s\": [%s]%s%s%s%s}",
				    f ? "Results" : "configurationItems",
				    f ? sitem : item, done[i] ? ", \"" : "",
				    done[i] ? keys[k] : "",
				    done[i] ? "\": " : "",
				    done[i] ? done[i] : "");
				assert_int_equal(cfg_read_text(text, &s), 0);
				assert_int_equal(s.nres, 1);
				assert_int_equal(s.nbad, 0);
			}
		}
	/* a snapshot whose items are not a list */
	for (i = 0; i < 3; i++) {
		snprintf(text, 2 * ilen + 256,
		    "{\"configSnapshotId\": \"s\", \"configurationItems\": "
		    "%s}",
		    i == 0       ? "{}"
			: i == 1 ? "null"
				 : "\"x\"");
		if (cfg_read_text(text, &s) == 0)
			fail_msg("configurationItems %zu read", i);
	}
	free(text);
	free(sitem);
	free(item);
}

/*
 * IAM policy versions seen twice or flagged ambiguously.  The admin
 * document is the placebo test_iam_policy_allow_all recording (URL-
 * encoded, as the IAM API returns it); the benign one allows
 * iam:GetUser.  Before the fix, two list entries with the default
 * VersionId evaluated the last one, and an IsDefaultVersion "true"
 * (a string) was skipped, so the benign entry decided: pass.  The twin
 * with one default version passes (benign) or fails (admin).
 */
static void
test_policy_versions_twice(void **state)
{
	static const char admin[] =
	    "%7B%0A%20%20%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%2"
	    "0%20%20%22Statement%22%3A%20%5B%0A%20%20%20%20%20%20%20%20%7B%0A"
	    "%20%20%20%20%20%20%20%20%20%20%20%20%22Sid%22%3A%20%22Everything"
	    "%22%2C%0A%20%20%20%20%20%20%20%20%20%20%20%20%22Effect%22%3A%20%"
	    "22Allow%22%2C%0A%20%20%20%20%20%20%20%20%20%20%20%20%22Action%22"
	    "%3A%20%22%2A%22%2C%0A%20%20%20%20%20%20%20%20%20%20%20%20%22Reso"
	    "urce%22%3A%20%22%2A%22%0A%20%20%20%20%20%20%20%20%7D%0A%20%20%20"
	    "%20%5D%0A%7D";
	static const char benign[] =
	    "{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": "
	    "[{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": "
	    "\\\"iam:GetUser\\\", \\\"Resource\\\": \\\"*\\\"}]}";
	/* flags of the admin entry, then of the benign one */
	static const struct {
		const char *def, *fa, *va, *fb, *vb;
		enum status want;
	} cases[] = {
		/* the same VersionId twice, the admin one first */
		{ "\"v2\"", "false", "v2", "false", "v2", ST_ERROR },
		{ "\"v2\"", "true", "v2", "false", "v2", ST_ERROR },
		{ "\"v2\"", "true", "v2", "true", "v2", ST_ERROR },
		{ "\"v2\"", "false", "v2", "true", "v2", ST_ERROR },
		/* a flag that is not a boolean */
		{ NULL, "\"true\"", "v1", "true", "v2", ST_ERROR },
		{ NULL, "\"TRUE\"", "v1", "true", "v2", ST_ERROR },
		{ NULL, "1", "v1", "true", "v2", ST_ERROR },
		{ NULL, "null", "v1", "true", "v2", ST_ERROR },
		{ "\"v2\"", "\"true\"", "v1", "true", "v2", ST_ERROR },
		/* twins: one default version */
		{ "\"v2\"", "false", "v1", "true", "v2", ST_PASS },
		{ NULL, "false", "v1", "true", "v2", ST_PASS },
		{ "\"v1\"", "true", "v1", "false", "v2", ST_FAIL },
		{ NULL, "true", "v1", "false", "v2", ST_FAIL },
	};
	char json[4096], msg[512];
	enum status st;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(json, sizeof(json),
		    "{\"PolicyName\": \"p\", %s%s%s\"PolicyVersionList\": "
		    "[{\"Document\": \"%s\", \"VersionId\": \"%s\", "
		    "\"IsDefaultVersion\": %s}, {\"Document\": \"%s\", "
		    "\"VersionId\": \"%s\", \"IsDefaultVersion\": %s}]}",
		    cases[i].def ? "\"DefaultVersionId\": " : "",
		    cases[i].def ? cases[i].def : "", cases[i].def ? ", " : "",
		    admin, cases[i].va, cases[i].fa, benign, cases[i].vb,
		    cases[i].fb);
		st = eval_inline("aws_iam_policy", "AWS::IAM::Policy", json,
		    "{}", msg, sizeof(msg));
		if (st != cases[i].want)
			fail_msg("case %zu: %s (%s), want %s", i,
			    status_name(st), msg, status_name(cases[i].want));
	}
}

/*
 * Config security groups: the real item of
 * custodian-aws-config/cwe/event-config-rule-security-group.json (ssh
 * open to 0.0.0.0/0, spelt both as ipRanges and ipv4Ranges) with one of
 * the two spellings dropped, emptied, nulled or contradicting the other.
 * Port 22 must fail whenever either spelling opens it, or the two
 * together do; before the fix ipRanges was dropped whenever ipv4Ranges
 * was present, so ipv4Ranges [] or null beside ipRanges ["0.0.0.0/0"],
 * or the halves split across the two, passed.  The twin with
 * 10.0.0.0/8 in both passes; a spelling that is not a list is `error`.
 */
static void
test_config_sg_range_spellings(void **state)
{
	static const struct {
		const char *ranges;
		enum status want;
	} cases[] = {
		{ "\"ipv4Ranges\": [{\"cidrIp\": \"0.0.0.0/0\"}], "
		  "\"ipRanges\": [\"0.0.0.0/0\"]",
		    ST_FAIL },
		{ "\"ipv4Ranges\": [{\"cidrIp\": \"0.0.0.0/0\"}]", ST_FAIL },
		{ "\"ipv4Ranges\": [{\"cidrIp\": \"0.0.0.0/0\"}], "
		  "\"ipRanges\": []",
		    ST_FAIL },
		{ "\"ipv4Ranges\": [{\"cidrIp\": \"0.0.0.0/0\"}], "
		  "\"ipRanges\": null",
		    ST_FAIL },
		{ "\"ipv4Ranges\": [{\"cidrIp\": \"0.0.0.0/0\"}], "
		  "\"ipRanges\": [\"10.0.0.0/8\"]",
		    ST_FAIL },
		{ "\"ipv4Ranges\": [{\"cidrIp\": \"0.0.0.0/1\"}], "
		  "\"ipRanges\": [\"128.0.0.0/1\"]",
		    ST_FAIL },
		{ "\"ipv4Ranges\": [], \"ipRanges\": [\"0.0.0.0/0\"]",
		    ST_FAIL },
		{ "\"ipv4Ranges\": null, \"ipRanges\": [\"0.0.0.0/0\"]",
		    ST_FAIL },
		{ "\"ipRanges\": [\"0.0.0.0/0\"]", ST_FAIL },
		{ "\"ipv4Ranges\": {\"cidrIp\": \"0.0.0.0/0\"}, "
		  "\"ipRanges\": []",
		    ST_ERROR },
		{ "\"ipv4Ranges\": [{\"cidrIp\": \"10.0.0.0/8\"}], "
		  "\"ipRanges\": \"0.0.0.0/0\"",
		    ST_ERROR },
		/* twins */
		{ "\"ipv4Ranges\": [{\"cidrIp\": \"10.0.0.0/8\"}], "
		  "\"ipRanges\": [\"10.0.0.0/8\"]",
		    ST_PASS },
		{ "\"ipv4Ranges\": [], \"ipRanges\": []", ST_PASS },
	};
	static const char fmt[] =
	    "{\"configurationItemCaptureTime\": \"2018-07-02T22:35:41.001Z\", "
	    "\"awsAccountId\": \"123456789012\", "
	    "\"configurationItemStatus\": \"ResourceDiscovered\", "
	    "\"resourceId\": \"sg-e2fb6999\", \"resourceName\": "
	    "\"sg_open_ssh\", \"awsRegion\": \"us-east-1\", "
	    "\"resourceType\": \"AWS::EC2::SecurityGroup\", "
	    "\"configuration\": {\"description\": \"open ssh\", "
	    "\"groupName\": \"sg_open_ssh\", \"ipPermissions\": "
	    "[{\"fromPort\": 22, \"ipProtocol\": \"tcp\", \"ipv6Ranges\": "
	    "[], \"prefixListIds\": [], \"toPort\": 22, "
	    "\"userIdGroupPairs\": [], %s}], \"ownerId\": \"123456789012\", "
	    "\"groupId\": \"sg-e2fb6999\", \"tags\": [], \"vpcId\": "
	    "\"vpc-f16e4296\"}}";
	const struct check_plugin *p =
	    check_plugin_find("aws_network_exposure");
	static const char params[] = "{\"ports\": [22, 3389]}";
	char json[4096], path[64];
	struct doc_node **docs;
	struct check_ctx c;
	struct coll coll;
	struct diag d;
	size_t i, n;
	FILE *fp;
	int fd;

	(void)state;
	assert_non_null(p);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(json, sizeof(json), fmt, cases[i].ranges);
		snprintf(path, sizeof(path), "/tmp/rampart-review-XXXXXX");
		fd = mkstemp(path);
		assert_true(fd >= 0);
		fp = fdopen(fd, "w");
		assert_non_null(fp);
		fputs(json, fp);
		fclose(fp);
		memset(&coll, 0, sizeof(coll));
		coll.a = arena_new();
		diag_init(&d);
		assert_int_equal(
		    adapter_find("aws-config")
			->read(&d, path, NULL, collect, &coll, NULL),
		    0);
		unlink(path);
		assert_int_equal(coll.n, 1);
		memset(&c, 0, sizeof(c));
		c.a = coll.a;
		c.d = &d;
		c.now = 1700000000;
		assert_int_equal(
		    doc_load_buf(coll.a, &d, "params.json", params,
			strlen(params), DOC_FMT_JSON, NULL, &docs, &n),
		    0);
		c.params = docs[0];
		check_ctx_reset(&c);
		assert_int_equal(p->evaluate(&c, &coll.v[0]), 0);
		if (c.result.status != cases[i].want)
			fail_msg("%s: %s (%s), want %s", cases[i].ranges,
			    status_name(c.result.status), c.result.message,
			    status_name(cases[i].want));
		arena_free(coll.a);
		diag_free(&d);
	}
}

/*
 * IMDS: the instance's MetadataOptions as describe-instances prints them
 * (awscli-examples and the placebo recordings: HttpTokens, HttpEndpoint,
 * State "applied").  A change still "pending" shows the requested
 * settings, not those in force: every required/disabled combination
 * that passes when applied is `error` when pending (any case), or with
 * a State of another type.  Before the fix the pending change passed.
 */
static void
test_imds_pending(void **state)
{
	static const char *const good[] = {
		"\"HttpTokens\": \"required\", \"HttpEndpoint\": "
		"\"enabled\"",
		"\"HttpTokens\": \"optional\", \"HttpEndpoint\": "
		"\"disabled\"",
		"\"HttpTokens\": \"REQUIRED\", \"HttpEndpoint\": "
		"\"Enabled\"",
	};
	static const char *const states[] = { "\"pending\"", "\"PENDING\"",
		"\"Pending\"", "\"\"", "null", "true", "1" };
	static const char params[] = "{\"check\": \"imds\"}";
	char json[512], msg[512];
	enum status st;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(json, sizeof(json),
		    "{\"InstanceId\": \"i-1234567890abcdef0\", \"State\": "
		    "{\"Code\": 16, \"Name\": \"running\"}, "
		    "\"MetadataOptions\": {\"State\": \"applied\", %s, "
		    "\"HttpPutResponseHopLimit\": 1}}",
		    good[i]);
		st = eval_inline("aws_service", "AWS::EC2::Instance", json,
		    params, msg, sizeof(msg));
		if (st != ST_PASS)
			fail_msg("applied %s: %s (%s)", good[i],
			    status_name(st), msg);
		for (k = 0; k < sizeof(states) / sizeof(states[0]); k++) {
			snprintf(json, sizeof(json),
			    "{\"InstanceId\": \"i-1234567890abcdef0\", "
			    "\"State\": {\"Code\": 16, \"Name\": "
			    "\"running\"}, \"MetadataOptions\": {\"State\": "
			    "%s, %s, \"HttpPutResponseHopLimit\": 1}}",
			    states[k], good[i]);
			st = eval_inline("aws_service", "AWS::EC2::Instance",
			    json, params, msg, sizeof(msg));
			if (st != ST_ERROR)
				fail_msg("state %s %s: %s (%s)", states[k],
				    good[i], status_name(st), msg);
		}
	}
}

/*
 * user_mfa device kinds from the serial's ARN resource type, not a
 * substring: the placebo virtual device arn:aws:iam::644160558196:mfa/
 * test_mfa_device1 moved under paths that contain ":u2f/" (IAM paths
 * allow ':' and '/') must stay virtual: fail.  Before the fix each was
 * taken for a FIDO key and passed.  Twins: a FIDO key's serial
 * (u2f/user/...) passes alone, fails beside the virtual device.
 */
static void
test_user_mfa_serial_kind(void **state)
{
	static const char *const virt[] = {
		"arn:aws:iam::644160558196:mfa/x:u2f/test_mfa_device1",
		"arn:aws:iam::644160558196:mfa/:u2f/test_mfa_device1",
		"arn:aws:iam::644160558196:mfa/a/b:u2f/c/test_mfa_device1",
		"arn:aws:iam::644160558196:mfa/test_mfa_device1",
		"GAHT12345678:u2f/x",
		"arn:aws-us-gov:iam::644160558196:mfa/p:u2f/d",
	};
	static const char fido[] =
	    "arn:aws:iam::644160558196:u2f/user/mandeep/fidosecuritykey-"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	static const char fmt[] =
	    "{\"UserName\": \"mandeep\", \"CredentialReport\": "
	    "{\"user\": \"mandeep\", \"password_enabled\": \"true\", "
	    "\"mfa_active\": \"true\"}, \"MFADevices\": [%s]}";
	static const char params[] = "{\"check\": \"user_mfa\"}";
	char json[1024], devs[512], msg[512];
	enum status st;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(virt) / sizeof(virt[0]); i++) {
		snprintf(devs, sizeof(devs),
		    "{\"UserName\": \"mandeep\", "
		    "\"SerialNumber\": \"%s\"}",
		    virt[i]);
		snprintf(json, sizeof(json), fmt, devs);
		st = eval_inline("aws_service", "AWS::IAM::User", json, params,
		    msg, sizeof(msg));
		if (st != ST_FAIL)
			fail_msg("%s: %s (%s)", virt[i], status_name(st), msg);
		snprintf(devs, sizeof(devs),
		    "{\"SerialNumber\": \"%s\"}, {\"SerialNumber\": \"%s\"}",
		    fido, virt[i]);
		snprintf(json, sizeof(json), fmt, devs);
		st = eval_inline("aws_service", "AWS::IAM::User", json, params,
		    msg, sizeof(msg));
		if (st != ST_FAIL)
			fail_msg("fido + %s: %s (%s)", virt[i], status_name(st),
			    msg);
	}
	snprintf(devs, sizeof(devs), "{\"SerialNumber\": \"%s\"}", fido);
	snprintf(json, sizeof(json), fmt, devs);
	st = eval_inline(
	    "aws_service", "AWS::IAM::User", json, params, msg, sizeof(msg));
	if (st != ST_PASS)
		fail_msg("fido alone: %s (%s)", status_name(st), msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_acl_variants),
		cmocka_unit_test(test_trail_advanced_narrowing),
		cmocka_unit_test(test_recorder_status_twice),
		cmocka_unit_test(test_policy_source_arn_no_account),
		cmocka_unit_test(test_config_pages),
		cmocka_unit_test(test_policy_versions_twice),
		cmocka_unit_test(test_config_sg_range_spellings),
		cmocka_unit_test(test_imds_pending),
		cmocka_unit_test(test_user_mfa_serial_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
