/*
 * fuzz_aws_cli.c: the aws-cli directory adapter on mutated directories.
 * The input is a recipe: byte 0 picks one of the listings below, byte 1
 * how its file is laid out (as is, in another case, without ".json", a
 * directory or a FIFO in its place, an extra per-resource file), and the
 * rest is the listing file's bytes.  The directory is written to a temp
 * folder beside the other listings, read through the adapter, and the
 * invariants checked: a failed read comes with an error; every resource
 * has a type and an id; a marker has none; and the picked type never
 * gets a clean listing marker unless its file is a regular, exactly
 * named "<call>.json" whose bytes hold no pagination token, so a cut,
 * misnamed or unreadable listing can never read as complete.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *svc, *call, *type, *body;
} listings[] = {
	{ "ec2", "describe-security-groups", "AWS::EC2::SecurityGroup",
	    "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\"}]}" },
	{ "ec2", "describe-volumes", "AWS::EC2::Volume",
	    "{\"Volumes\": [{\"VolumeId\": \"vol-1\", \"Encrypted\": true}]}" },
	{ "kms", "list-keys", "AWS::KMS::Key",
	    "{\"Keys\": [{\"KeyId\": \"k1\"}]}" },
	{ "s3api", "list-buckets", "AWS::S3::Bucket",
	    "{\"Buckets\": [{\"Name\": \"b1\"}]}" },
	{ "guardduty", "list-detectors", "AWS::GuardDuty::Detector",
	    "{\"DetectorIds\": []}" },
};

#define NLIST (sizeof(listings) / sizeof(listings[0]))

enum layout { LAY_PLAIN, LAY_CASE, LAY_NOEXT, LAY_DIR, LAY_FIFO, LAY_EXTRA };

struct seen {
	const char *type;
	int clean, error;
};

static int
on_resource(void *ctx, const struct resource *r, struct arena *a)
{
	struct seen *s = ctx;

	(void)a;
	if (r->type == NULL)
		abort();
	if (r->listing) {
		if (r->id != NULL)
			abort();
		if (strcmp(r->type, s->type) == 0) {
			if (r->read_error != NULL)
				s->error = 1;
			else
				s->clean = 1;
		}
		return 0;
	}
	if (r->id == NULL || r->attrs == NULL || r->attrs->type != DOC_MAP)
		abort();
	return 0;
}

static void
put(const char *path, const void *buf, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL)
		abort();
	if (len > 0 && fwrite(buf, 1, len, fp) != len)
		abort();
	if (fclose(fp) != 0)
		abort();
}

/* Whether a response map says more pages follow (a token not null/""). */
static int
map_more(const struct doc_node *m)
{
	static const char *const keys[] = { "NextToken", "nextToken",
		"NextMarker", "NextPageToken", "NextContinuationToken" };
	const struct doc_node *v;
	size_t k;

	if (m == NULL || m->type != DOC_MAP)
		return 0;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		v = doc_get(m, keys[k]);
		if (v != NULL && v->type != DOC_NULL &&
		    !(v->type == DOC_STRING && v->len == 0))
			return 1;
	}
	v = doc_get(m, "IsTruncated");
	return v != NULL && !(v->type == DOC_BOOL && !v->u.b);
}

/*
 * Whether the listing bytes say more pages follow (at the top or in a
 * placebo wrapper's data), judged apart from the adapter; unparsable
 * bytes count as saying so (the adapter must not call them whole).
 */
static int
has_token(const uint8_t *buf, size_t len)
{
	struct arena *a = arena_new();
	struct doc_node **docs;
	struct diag d;
	size_t n;
	int more = 1;

	if (a == NULL)
		abort();
	diag_init(&d);
	if (doc_load_buf(a, &d, "listing", (const char *)buf, len, DOC_FMT_JSON,
		NULL, &docs, &n) == 0 &&
	    n == 1)
		more = map_more(docs[0]) || map_more(doc_get(docs[0], "data"));
	diag_free(&d);
	arena_free(a);
	return more;
}

/* Whether buf may name the extra per-resource file's resource. */
static int
has_name(const uint8_t *buf, size_t len)
{
	static const char name[] = "zz-not-listed";
	size_t i;

	for (i = 0; i + sizeof(name) - 1 <= len; i++)
		if (memcmp(buf + i, name, sizeof(name) - 1) == 0 ||
		    memcmp(buf + i, "\\u", 2) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char root[64] = "/tmp/rampart-fuzz-cli-XXXXXX";
	char dir[256], path[512], extra[512];
	const struct adapter *ad = adapter_find("aws-cli");
	struct seen s = { NULL, 0, 0 };
	struct diag d;
	size_t i, pick, n;
	enum layout lay;
	int rc;

	if (size < 2 || ad == NULL || mkdtemp(root) == NULL)
		return 0;
	pick = data[0] % NLIST;
	lay = (enum layout)(data[1] % 6);
	s.type = listings[pick].type;
	/* the other listings, whole */
	for (i = 0; i < NLIST; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", root, listings[i].svc);
		mkdir(dir, 0755);
		if (i == pick)
			continue;
		snprintf(
		    path, sizeof(path), "%s/%s.json", dir, listings[i].call);
		put(path, listings[i].body, strlen(listings[i].body));
	}
	snprintf(dir, sizeof(dir), "%s/%s", root, listings[pick].svc);
	n = (size_t)snprintf(
	    path, sizeof(path), "%s/%s.json", dir, listings[pick].call);
	extra[0] = '\0';
	switch (lay) {
	case LAY_CASE:
		path[strlen(dir) + 1] = (char)(path[strlen(dir) + 1] - 32);
		put(path, data + 2, size - 2);
		break;
	case LAY_NOEXT:
		path[n - 5] = '\0';
		put(path, data + 2, size - 2);
		break;
	case LAY_DIR:
		mkdir(path, 0755);
		break;
	case LAY_FIFO:
		if (mkfifo(path, 0644) != 0)
			abort();
		break;
	case LAY_EXTRA:
		put(path, data + 2, size - 2);
		/* a per-resource file no listing names */
		snprintf(extra, sizeof(extra), "%s/get-detector", dir);
		if (strcmp(listings[pick].svc, "ec2") == 0)
			snprintf(extra, sizeof(extra), "%s", "");
		else if (strcmp(listings[pick].svc, "kms") == 0)
			snprintf(extra, sizeof(extra), "%s/describe-key", dir);
		else if (strcmp(listings[pick].svc, "s3api") == 0)
			snprintf(extra, sizeof(extra),
			    "%s/get-bucket-encryption", dir);
		if (extra[0] != '\0') {
			mkdir(extra, 0755);
			n = strlen(extra);
			snprintf(extra + n, sizeof(extra) - n, "%s",
			    "/zz-not-listed.json");
			put(extra, "{}", 2);
		}
		break;
	case LAY_PLAIN:
		put(path, data + 2, size - 2);
		break;
	}
	diag_init(&d);
	rc = ad->read(&d, root, NULL, on_resource, &s, NULL);
	if (rc != 0 && d.nerrors == 0)
		abort();
	if (rc == 0 && s.clean && lay != LAY_EXTRA &&
	    (lay != LAY_PLAIN || has_token(data + 2, size - 2)))
		abort();
	/* Unless the fuzzed listing itself names the extra resource. */
	if (rc == 0 && lay != LAY_PLAIN && !s.error &&
	    !(lay == LAY_EXTRA &&
		(extra[0] == '\0' || has_name(data + 2, size - 2))))
		abort();
	diag_free(&d);
	/* remove what was written (known names only) */
	if (extra[0] != '\0') {
		unlink(extra);
		*strrchr(extra, '/') = '\0';
		rmdir(extra);
	}
	if (lay == LAY_DIR)
		rmdir(path);
	else
		unlink(path);
	for (i = 0; i < NLIST; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s.json", root,
		    listings[i].svc, listings[i].call);
		unlink(path);
		snprintf(dir, sizeof(dir), "%s/%s", root, listings[i].svc);
		rmdir(dir);
	}
	rmdir(root);
	return 0;
}
