/*
 * test_inputs.c: inputs are read once, completely, or refused (lib/load.c
 * struct input, checks/registry.c adapter_detect_input), and the AWS
 * Config adapter's listing markers, unprocessed keys and capture times
 * (checks/sources/aws_config.c) on fixtures derived from the real
 * recordings (tests/fixtures/config/README.md).
 *
 * Every input is read here as `rampart scan` reads it: input_open(),
 * detection from the head, the adapter given the input through
 * load_limits.input, the digest computed while parsing.
 */
#include "tests/unit/testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "checks/check.h"

#define FIX "tests/fixtures/config/"

/* One resource or marker as the adapter produced it, copied. */
struct got {
	char *type, *id, *region, *read_error, *attrs;
	int listing;
	int64_t collected;
};

struct gotlist {
	struct got *v;
	size_t n;
};

struct readout {
	struct gotlist g;
	size_t n; /* the adapter's *nresources */
	char sha[SHA256_HEX_LEN + 1];
	int digest_done;
	const char *adapter;
};

static char *
dup_or_null(const char *s)
{
	char *c;

	if (s == NULL)
		return NULL;
	c = strdup(s);
	assert_non_null(c);
	return c;
}

/* attrs as compact JSON, to compare two reads of the same export. */
static char *
attrs_json(const struct doc_node *n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	if (n == NULL)
		return NULL;
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	doc_write_json(n, fp);
	fclose(fp);
	return buf;
}

static int
grab(void *ctx, const struct resource *r, struct arena *a)
{
	struct gotlist *l = ctx;
	struct got *g;

	(void)a;
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	assert_non_null(l->v);
	g = &l->v[l->n++];
	g->type = dup_or_null(r->type);
	g->id = dup_or_null(r->id);
	g->region = dup_or_null(r->region);
	g->read_error = dup_or_null(r->read_error);
	g->attrs = attrs_json(r->attrs);
	g->listing = r->listing;
	g->collected = r->collected;
	if (r->listing) {
		assert_null(r->id);
		assert_null(r->attrs);
	}
	return 0;
}

static void
readout_free(struct readout *o)
{
	size_t i;

	for (i = 0; i < o->g.n; i++) {
		free(o->g.v[i].type);
		free(o->g.v[i].id);
		free(o->g.v[i].region);
		free(o->g.v[i].read_error);
		free(o->g.v[i].attrs);
	}
	free(o->g.v);
	memset(o, 0, sizeof(*o));
}

/*
 * Read path as run_input() does; adapter NULL: detect.  0 or -1 (errors
 * in d).
 */
static int
read_input(
    struct diag *d, const char *path, const char *adapter, struct readout *o)
{
	struct load_limits lim;
	struct load_digest dg;
	struct input in;
	const struct adapter *ad;
	int rc = -1;

	memset(o, 0, sizeof(*o));
	load_limits_default(&lim);
	memset(&dg, 0, sizeof(dg));
	dg.path = path;
	if (input_open(d, path, &in) == -1)
		goto out;
	ad = adapter != NULL ? adapter_find(adapter)
			     : adapter_detect_input(d, &in);
	if (ad == NULL)
		goto out;
	o->adapter = ad->name;
	if (!in.is_dir)
		lim.digest = &dg;
	lim.input = &in;
	rc = ad->read(d, path, &lim, grab, &o->g, &o->n);
	if (dg.done) {
		o->digest_done = 1;
		memcpy(o->sha, dg.hex, sizeof(o->sha));
	}
out:
	input_close(&in);
	return rc;
}

static size_t
nmarkers(const struct readout *o)
{
	size_t i, n = 0;

	for (i = 0; i < o->g.n; i++)
		n += o->g.v[i].listing;
	return n;
}

static const struct got *
marker(const struct readout *o, const char *type, const char *region)
{
	size_t i;
	const struct got *g;

	for (i = 0; i < o->g.n; i++) {
		g = &o->g.v[i];
		if (g->listing && strcmp(g->type, type) == 0 &&
		    (region == NULL ? g->region == NULL
				    : g->region != NULL &&
				strcmp(g->region, region) == 0))
			return g;
	}
	return NULL;
}

static const struct got *
resource(const struct readout *o, const char *type, const char *id)
{
	size_t i;

	for (i = 0; i < o->g.n; i++)
		if (!o->g.v[i].listing && strcmp(o->g.v[i].type, type) == 0 &&
		    strcmp(o->g.v[i].id, id) == 0)
			return &o->g.v[i];
	return NULL;
}

/* The same resources, in the same order, with the same attributes. */
static void
assert_same(const struct readout *a, const struct readout *b)
{
	size_t i;

	assert_int_equal(a->g.n, b->g.n);
	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->g.n; i++) {
		assert_string_equal(a->g.v[i].type, b->g.v[i].type);
		assert_int_equal(a->g.v[i].listing, b->g.v[i].listing);
		assert_int_equal(a->g.v[i].collected, b->g.v[i].collected);
		if (a->g.v[i].id != NULL || b->g.v[i].id != NULL)
			assert_string_equal(a->g.v[i].id, b->g.v[i].id);
		if (a->g.v[i].attrs != NULL || b->g.v[i].attrs != NULL)
			assert_string_equal(a->g.v[i].attrs, b->g.v[i].attrs);
		assert_true((a->g.v[i].read_error == NULL) ==
		    (b->g.v[i].read_error == NULL));
	}
}

/* ------------------------------------------------------------ plumbing */

static char tmpdir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/rampart-inputs-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void
spit(const char *path, const char *buf, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* A child writing buf to fd in small slices (so reads come short). */
static pid_t
writer(int fd, const char *buf, size_t len)
{
	pid_t pid = fork();
	size_t off = 0, k;
	ssize_t w;

	assert_true(pid != -1);
	if (pid != 0)
		return pid;
	while (off < len) {
		k = len - off < 7919 ? len - off : 7919;
		if ((w = write(fd, buf + off, k)) <= 0)
			_exit(1);
		off += (size_t)w;
	}
	close(fd);
	_exit(0);
}

static void
reap(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* Read file through a pipe named by how (0 "-", 1 /dev/fd/N, 2 FIFO). */
static int
read_piped(struct diag *d, const char *file, int how, const char *adapter,
    struct readout *o)
{
	char *buf, path[128];
	size_t len;
	int p[2], saved = -1, rc, fd;
	pid_t pid;

	buf = slurp(file, &len);
	if (how == 2) {
		snprintf(path, sizeof(path), "%s/fifo", tmpdir);
		unlink(path);
		assert_int_equal(mkfifo(path, 0600), 0);
		pid = fork();
		assert_true(pid != -1);
		if (pid == 0) {
			if ((fd = open(path, O_WRONLY)) == -1)
				_exit(1);
			_exit(waitpid(writer(fd, buf, len), &rc, 0) > 0 &&
				    WIFEXITED(rc) && WEXITSTATUS(rc) == 0
				? 0
				: 1);
		}
		rc = read_input(d, path, adapter, o);
		reap(pid);
		free(buf);
		return rc;
	}
	assert_int_equal(pipe(p), 0);
	pid = writer(p[1], buf, len);
	close(p[1]);
	if (how == 0) {
		saved = dup(STDIN_FILENO);
		assert_int_equal(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
		snprintf(path, sizeof(path), "-");
	} else {
		snprintf(path, sizeof(path), "/dev/fd/%d", p[0]);
	}
	rc = read_input(d, path, adapter, o);
	if (saved != -1) {
		assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
		close(saved);
	}
	close(p[0]);
	reap(pid);
	free(buf);
	return rc;
}

/* --------------------------------------------------------- read once */

/* A pipe in each of its forms gives what the file gives, digest too. */
static void
test_pipe_forms_read_once(void **state)
{
	static const char *files[] = { FIX "snapshot-recorder-all.json",
		FIX "batch-unprocessed.json",
		FIX "event-config-rule-security-group.json" };
	struct readout f, p;
	struct diag d;
	char hex[SHA256_HEX_LEN + 1];
	size_t i;
	int how;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		diag_init(&d);
		assert_int_equal(read_input(&d, files[i], NULL, &f), 0);
		assert_true(f.digest_done);
		assert_int_equal(sha256_file_hex(&d, files[i], hex), 0);
		assert_string_equal(f.sha, hex);
		assert_true(f.g.n > 0);
		for (how = 0; how < 3; how++) {
			assert_int_equal(
			    read_piped(&d, files[i], how, NULL, &p), 0);
			assert_string_equal(p.adapter, f.adapter);
			assert_same(&f, &p);
			assert_true(p.digest_done);
			assert_string_equal(p.sha, f.sha);
			readout_free(&p);
		}
		readout_free(&f);
		assert_int_equal(d.nerrors, 0);
		diag_free(&d);
	}
}

/* A ~3 MB snapshot: the threaded reader and the serial one, piped. */
static void
test_big_snapshot_through_pipe(void **state)
{
	static const enum load_threads modes[] = { LOAD_THREADS_AUTO,
		LOAD_THREADS_ALWAYS, LOAD_THREADS_OFF };
	struct readout f, p;
	struct diag d;
	struct strbuf sb;
	char path[128], hex[SHA256_HEX_LEN + 1];
	size_t i, m;

	(void)state;
	sb_init(&sb);
	sb_adds(&sb,
	    "{\"fileVersion\": \"1.0\", \"configSnapshotId\": \"big\", "
	    "\"configurationItems\": [\n");
	for (i = 0; i < 9000; i++) {
		char item[512];

		snprintf(item, sizeof(item),
		    "%s{\"configurationItemCaptureTime\": "
		    "\"2020-11-02T03:28:12.399000-05:00\", "
		    "\"configurationItemStatus\": \"OK\", \"resourceType\": "
		    "\"AWS::S3::Bucket\", \"resourceId\": \"bucket-%05zu\", "
		    "\"resourceName\": \"bucket-%05zu\", \"awsRegion\": "
		    "\"us-east-1\", \"awsAccountId\": \"644160558196\", "
		    "\"configuration\": {\"name\": \"bucket-%05zu\", "
		    "\"owner\": {\"id\": \"0123456789abcdef\"}, "
		    "\"creationDate\": \"2017-08-12T04:02:36.000Z\"}, "
		    "\"tags\": {\"Team\": \"t%zu\"}}\n",
		    i ? "," : "", i, i, i, i % 97);
		sb_adds(&sb, item);
	}
	sb_adds(&sb,
	    ",{\"configurationItemStatus\": \"OK\", \"resourceType\": "
	    "\"AWS::Config::ConfigurationRecorder\", \"resourceId\": "
	    "\"default\", \"awsRegion\": \"us-east-1\", \"configuration\": "
	    "{\"name\": \"default\", \"recordingGroup\": {\"allSupported\": "
	    "true, \"includeGlobalResourceTypes\": false}}}\n]}\n");
	assert_false(sb.oom);
	assert_true(sb.len > 3u << 20);
	snprintf(path, sizeof(path), "%s/big.json", tmpdir);
	spit(path, sb.s, sb.len);
	sha256_hex(sb.s, sb.len, hex);
	sb_free(&sb);
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		load_set_threads(modes[m], 0);
		diag_init(&d);
		assert_int_equal(read_input(&d, path, NULL, &f), 0);
		assert_int_equal(f.n, 9001);
		assert_string_equal(f.sha, hex);
		/* Streamed: the recorder item still proves the listing. */
		assert_non_null(marker(&f, "AWS::S3::Bucket", "us-east-1"));
		assert_null(marker(&f, "AWS::IAM::User", NULL));
		assert_int_equal(
		    resource(&f, "AWS::S3::Bucket", "bucket-04321")->collected,
		    1604305692);
		assert_int_equal(read_piped(&d, path, 0, NULL, &p), 0);
		assert_same(&f, &p);
		assert_string_equal(p.sha, hex);
		readout_free(&p);
		assert_int_equal(read_piped(&d, path, 2, NULL, &p), 0);
		assert_same(&f, &p);
		assert_string_equal(p.sha, hex);
		readout_free(&p);
		readout_free(&f);
		assert_int_equal(d.nerrors, 0);
		diag_free(&d);
	}
	load_set_threads(LOAD_THREADS_AUTO, 0);
}

static int
count_elem(void *ctx, struct doc_node *elem, struct arena *a)
{
	(void)elem;
	(void)a;
	++*(size_t *)ctx;
	return 0;
}

/* YAML from a pipe: every element, and the digest of every byte. */
static void
test_yaml_pipe(void **state)
{
	struct diag d;
	struct load_limits lim;
	struct load_digest dg;
	struct input in;
	char path[128], hex[SHA256_HEX_LEN + 1];
	struct strbuf sb;
	size_t i, n = 0;
	int p[2];
	pid_t pid;

	(void)state;
	sb_init(&sb);
	for (i = 0; i < 20000; i++) {
		char line[64];

		snprintf(
		    line, sizeof(line), "- {id: %zu, name: item-%zu}\n", i, i);
		sb_adds(&sb, line);
	}
	assert_false(sb.oom);
	sha256_hex(sb.s, sb.len, hex);
	assert_int_equal(pipe(p), 0);
	pid = writer(p[1], sb.s, sb.len);
	close(p[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", p[0]);
	diag_init(&d);
	load_limits_default(&lim);
	memset(&dg, 0, sizeof(dg));
	dg.path = path;
	lim.digest = &dg;
	assert_int_equal(input_open(&d, path, &in), 0);
	assert_false(in.eof);
	lim.input = &in;
	assert_int_equal(doc_stream_file(&d, path, DOC_FMT_YAML, "[*]", &lim,
			     count_elem, &n, NULL),
	    0);
	assert_int_equal(n, 20000);
	assert_true(dg.done);
	assert_string_equal(dg.hex, hex);
	/* The pipe is spent: a second read is refused, not empty. */
	assert_int_equal(doc_stream_file(&d, path, DOC_FMT_YAML, "[*]", &lim,
			     count_elem, &n, NULL),
	    -1);
	assert_diag_has(&d, "was already read");
	input_close(&in);
	close(p[0]);
	reap(pid);
	diag_free(&d);
	sb_free(&sb);
}

/*
 * Inputs of exactly the head's size and one byte either side, as a file
 * and piped: the head's end is not the input's end.
 */
static void
test_head_boundary(void **state)
{
	static const char item[] =
	    "{\"resourceType\": \"AWS::S3::Bucket\", \"resourceId\": \"b%d\", "
	    "\"awsRegion\": \"us-east-1\", \"configuration\": {\"name\": "
	    "\"b%d\"}}";
	struct readout f, p;
	struct diag d;
	struct strbuf sb;
	char path[128], one[256];
	size_t want, k;
	int delta, i, how;

	(void)state;
	snprintf(path, sizeof(path), "%s/edge.json", tmpdir);
	for (delta = -1; delta <= 1; delta++) {
		want = (size_t)((int)INPUT_HEAD + delta);
		sb_init(&sb);
		sb_adds(&sb, "{\"configurationItems\": [");
		for (i = 0; sb.len < want - 400; i++) {
			snprintf(one, sizeof(one), item, i, i);
			sb_adds(&sb, i ? "," : "");
			sb_adds(&sb, one);
		}
		sb_adds(&sb, "]}");
		for (k = sb.len; k < want; k++)
			sb_addc(&sb, ' ');
		assert_int_equal(sb.len, want);
		spit(path, sb.s, sb.len);
		sb_free(&sb);
		diag_init(&d);
		assert_int_equal(read_input(&d, path, NULL, &f), 0);
		assert_int_equal(f.n, (size_t)i);
		for (how = 0; how < 3; how++) {
			assert_int_equal(
			    read_piped(&d, path, how, NULL, &p), 0);
			assert_same(&f, &p);
			assert_string_equal(p.sha, f.sha);
			readout_free(&p);
		}
		readout_free(&f);
		assert_int_equal(d.nerrors, 0);
		diag_free(&d);
	}
}

/*
 * Listing markers need both a delivered snapshot and the recorder: every
 * combination of the real snapshot's parts, only the last claims.
 */
static void
test_config_marker_conditions(void **state)
{
	struct readout o;
	struct diag d;
	struct strbuf sb;
	char path[128];
	char *items;
	size_t len;
	int mask, snap, item, list;

	(void)state;
	items = slurp(FIX "snapshot-no-recorder.json", &len);
	/* The items array of the real snapshot, verbatim. */
	{
		char *a = strstr(items, "\"configurationItems\"");
		char *z = strrchr(items, ']');

		assert_non_null(a);
		assert_non_null(z);
		a = strchr(a, '[');
		z[1] = '\0';
		memmove(items, a, strlen(a) + 1);
		items[strlen(items) - 1] = '\0'; /* reopened below */
	}
	snprintf(path, sizeof(path), "%s/cond.json", tmpdir);
	for (mask = 0; mask < 8; mask++) {
		snap = mask & 1;
		item = mask & 2;
		list = mask & 4;
		sb_init(&sb);
		sb_adds(&sb, "{");
		if (snap)
			sb_adds(&sb, "\"configSnapshotId\": \"s\", ");
		if (list)
			sb_adds(&sb,
			    "\"configurationRecorders\": [{\"name\": "
			    "\"default\", \"recordingGroup\": "
			    "{\"allSupported\": true}}], ");
		sb_adds(&sb, "\"configurationItems\": ");
		sb_adds(&sb, items);
		if (item)
			sb_adds(&sb,
			    ", {\"resourceType\": "
			    "\"AWS::Config::ConfigurationRecorder\", "
			    "\"resourceId\": \"default\", \"awsRegion\": "
			    "\"us-east-1\", \"configuration\": {\"name\": "
			    "\"default\", \"recordingGroup\": "
			    "{\"allSupported\": true}}}");
		sb_adds(&sb, "]}");
		assert_false(sb.oom);
		spit(path, sb.s, sb.len);
		sb_free(&sb);
		diag_init(&d);
		assert_int_equal(read_input(&d, path, NULL, &o), 0);
		if ((nmarkers(&o) > 0) != (snap && (item || list)))
			fail_msg("snapshot %d, recorder item %d, recorder list "
				 "%d: %zu markers",
			    snap, item != 0, list != 0, nmarkers(&o));
		if (nmarkers(&o) > 0)
			assert_non_null(
			    marker(&o, "AWS::S3::Bucket", "us-east-1"));
		readout_free(&o);
		diag_free(&d);
	}
	free(items);
}

/* Sockets and devices are refused with the path and what it is. */
static void
test_refused_kinds(void **state)
{
	struct sockaddr_un sa;
	struct diag d;
	struct input in;
	int s;

	(void)state;
	diag_init(&d);
	assert_int_equal(input_open(&d, "/dev/null", &in), -1);
	input_close(&in);
	assert_diag_has(
	    &d, "cannot read '/dev/null': it is a character device");
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/sock", tmpdir);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(input_open(&d, sa.sun_path, &in), -1);
	input_close(&in);
	assert_diag_has(
	    &d, "it is a socket; give a file, a directory or a pipe");
	close(s);
	/* A missing file names the path and the reason. */
	assert_int_equal(input_open(&d, "/nonexistent/x.json", &in), -1);
	input_close(&in);
	assert_diag_has(
	    &d, "cannot open '/nonexistent/x.json': No such file or directory");
	/* A directory where the adapter reads a file. */
	assert_int_equal(input_open(&d, tmpdir, &in), 0);
	assert_true(in.is_dir);
	input_close(&in);
	diag_free(&d);
	{
		struct readout o;

		diag_init(&d);
		assert_int_equal(read_input(&d, tmpdir, "aws-config", &o), -1);
		assert_diag_has(
		    &d, "it is a directory, and a file is expected");
		readout_free(&o);
		diag_free(&d);
	}
}

/* Empty input: the adapter reports zero resources (the engine refuses). */
static void
test_empty_inputs_count(void **state)
{
	static const char *bodies[] = { "", "\n",
		"{\"configurationItems\": []}",
		"{\"baseConfigurationItems\": [], "
		"\"unprocessedResourceKeys\": []}" };
	struct readout o;
	struct diag d;
	char path[128];
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/empty.json", tmpdir);
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		spit(path, bodies[i], strlen(bodies[i]));
		diag_init(&d);
		assert_int_equal(read_piped(&d, path, 0, "aws-config", &o), 0);
		assert_int_equal(o.n, 0);
		assert_int_equal(o.g.n, 0);
		readout_free(&o);
		diag_free(&d);
	}
	/* `{}` is not an AWS Config export at all. */
	spit(path, "{}", 2);
	diag_init(&d);
	assert_int_equal(read_piped(&d, path, 1, "aws-config", &o), -1);
	assert_diag_has(&d, "not an AWS Config export");
	readout_free(&o);
	diag_free(&d);
}

/* ------------------------------------------------------- AWS Config */

static void
read_fixture(const char *name, struct readout *o, struct diag *d)
{
	char path[256];

	snprintf(path, sizeof(path), FIX "%s", name);
	diag_init(d);
	assert_int_equal(read_input(d, path, NULL, o), 0);
	assert_string_equal(o->adapter, "aws-config");
}

static void
test_config_markers(void **state)
{
	static const char *regional[] = { "AWS::S3::Bucket",
		"AWS::EC2::SecurityGroup", "AWS::KMS::Key",
		"AWS::RDS::DBCluster", "AWS::CloudTrail::Trail" };
	struct readout o;
	struct diag d;
	size_t i;

	(void)state;
	/* allSupported + global types, recorder in us-east-1. */
	read_fixture("snapshot-recorder-all.json", &o, &d);
	assert_int_equal(o.n, 4);
	for (i = 0; i < sizeof(regional) / sizeof(regional[0]); i++)
		assert_non_null(marker(&o, regional[i], "us-east-1"));
	assert_non_null(marker(&o, "AWS::IAM::User", NULL));
	assert_non_null(marker(&o, "AWS::IAM::Policy", NULL));
	assert_null(marker(&o, "AWS::IAM::User", "us-east-1"));
	assert_null(marker(&o, "AWS::S3::Bucket", NULL));
	assert_null(marker(&o, "AWS::S3::Bucket", "us-east-2"));
	/* 16 known regional, 4 global, 2 seen (DBCluster, the recorder). */
	assert_int_equal(nmarkers(&o), 22);
	for (i = 0; i < o.g.n; i++)
		assert_null(o.g.v[i].read_error);
	readout_free(&o);
	diag_free(&d);

	/* No recorder information: nothing is claimed. */
	read_fixture("snapshot-no-recorder.json", &o, &d);
	assert_int_equal(o.n, 3);
	assert_int_equal(nmarkers(&o), 0);
	readout_free(&o);
	diag_free(&d);

	/* Inclusion: S3 buckets only. */
	read_fixture("snapshot-recorder-s3-only.json", &o, &d);
	assert_int_equal(nmarkers(&o), 1);
	assert_non_null(marker(&o, "AWS::S3::Bucket", "us-east-1"));
	readout_free(&o);
	diag_free(&d);

	/* Exclusion: all but KMS keys and security groups, no IAM. */
	read_fixture("snapshot-recorder-exclusion.json", &o, &d);
	assert_non_null(marker(&o, "AWS::S3::Bucket", "us-east-1"));
	assert_null(marker(&o, "AWS::KMS::Key", "us-east-1"));
	assert_null(marker(&o, "AWS::EC2::SecurityGroup", "us-east-1"));
	assert_null(marker(&o, "AWS::IAM::User", NULL));
	readout_free(&o);
	diag_free(&d);

	/* describe-configuration-recorders beside the items (placebo). */
	read_fixture("snapshot-describe-recorders.json", &o, &d);
	assert_non_null(marker(&o, "AWS::EC2::Volume", "us-east-1"));
	assert_null(marker(&o, "AWS::IAM::Role", NULL));
	assert_int_equal(nmarkers(&o), 16 + 1);
	readout_free(&o);
	diag_free(&d);

	/* Configuration history is no listing, whatever the recorder. */
	read_fixture("history-recorder.json", &o, &d);
	assert_int_equal(nmarkers(&o), 0);
	assert_diag_has(&d, "no 'configSnapshotId'");
	readout_free(&o);
	diag_free(&d);
}

/* A recording group that cannot be read claims nothing. */
static void
test_config_recorder_variants(void **state)
{
	static const struct {
		const char *group;
		size_t markers;
	} cases[] = {
		{ "{\"allSupported\": true}", 16 },
		{ "{\"allSupported\": \"true\"}", 0 },
		{ "{\"allSupported\": false}", 0 },
		{ "{\"allSupported\": false, \"resourceTypes\": []}", 0 },
		{ "{\"allSupported\": false, \"resourceTypes\": "
		  "[\"AWS::KMS::Key\", 7]}",
		    1 },
		{ "{\"allSupported\": true, \"exclusionByResourceTypes\": "
		  "{\"resourceTypes\": [1]}}",
		    0 },
		{ "{\"allSupported\": true, \"exclusionByResourceTypes\": "
		  "{\"resourceTypes\": \"AWS::S3::Bucket\"}}",
		    0 },
		{ "null", 0 },
		{ "[]", 0 },
	};
	struct readout o;
	struct diag d;
	char path[128], body[1024];
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/rec.json", tmpdir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(snprintf(body, sizeof(body),
				"{\"configSnapshotId\": \"x\", "
				"\"configurationItems\": [{\"resourceType\": "
				"\"AWS::S3::Bucket\", \"resourceId\": \"b\", "
				"\"awsRegion\": \"us-east-1\", "
				"\"configuration\": {}}], "
				"\"configurationRecorders\": [{\"name\": "
				"\"default\", \"recordingGroup\": %s}]}",
				cases[i].group) < (int)sizeof(body));
		spit(path, body, strlen(body));
		diag_init(&d);
		assert_int_equal(read_input(&d, path, NULL, &o), 0);
		if (nmarkers(&o) != cases[i].markers)
			fail_msg("%s: %zu markers, want %zu", cases[i].group,
			    nmarkers(&o), cases[i].markers);
		readout_free(&o);
		diag_free(&d);
	}
}

static void
test_config_unprocessed(void **state)
{
	const struct got *g;
	struct readout o;
	struct diag d;

	(void)state;
	read_fixture("batch-unprocessed.json", &o, &d);
	assert_int_equal(o.n, 3);
	g = resource(&o, "AWS::S3::Bucket", "config-rule-sanity");
	assert_non_null(g);
	assert_null(g->read_error);
	g = resource(&o, "AWS::S3::Bucket", "testing-99");
	assert_non_null(g);
	assert_string_equal(g->read_error,
	    "not returned by AWS Config (unprocessedResourceKeys)");
	g = resource(&o, "AWS::EC2::SecurityGroup", "sg-6c7fa917");
	assert_non_null(g);
	assert_non_null(g->read_error);
	assert_int_equal(nmarkers(&o), 0);
	readout_free(&o);
	diag_free(&d);

	read_fixture("batch-processed.json", &o, &d);
	assert_int_equal(o.n, 1);
	assert_null(o.g.v[0].read_error);
	readout_free(&o);
	diag_free(&d);
}

/* Capture times: strict RFC 3339 or epoch seconds in range, else error. */
static void
test_config_capture_time(void **state)
{
	static const struct {
		const char *json;
		int64_t want; /* 0: must be a read error */
	} cases[] = {
		{ "\"2017-11-27T14:26:11.300Z\"", 1511792771 },
		{ "\"2020-11-02T03:28:12.399000-05:00\"", 1604305692 },
		{ "\"2016-02-29T23:59:60Z\"", 1456790399 },
		{ "\"2000-01-01T00:00:00+14:00\"", 946634400 },
		{ "\"2017-11-27t14:26:11z\"", 1511792771 },
		{ "1502510556.116", 1502510556 },
		{ "1502510556", 1502510556 },
		{ "\"2017-02-29T00:00:00Z\"", 0 },
		{ "\"2017-13-01T00:00:00Z\"", 0 },
		{ "\"2017-11-27 14:26:11Z\"", 0 },
		{ "\"20171127T142611Z\"", 0 },
		{ "\"2017-11-27T14:26:11\"", 0 },
		{ "\"2017-11-27T24:00:00Z\"", 0 },
		{ "\"2017-11-27T14:26:11+5:00\"", 0 },
		{ "\"2017-11-27T14:26:11.Z\"", 0 },
		{ "\"2017-11-27T14:26:11Z \"", 0 },
		{ "\"1502510556\"", 0 },
		{ "\"\"", 0 },
		{ "\"1969-12-31T23:59:59Z\"", 0 },
		{ "0", 0 },
		{ "-0", 0 },
		{ "-1", 0 },
		{ "0.5", 0 },
		{ "253402300800", 0 },
		{ "1502510556116", 0 }, /* milliseconds */
		{ "9223372036854775807", 0 },
		{ "1e300", 0 },
		{ "true", 0 },
		{ "{}", 0 },
	};
	struct readout o;
	struct diag d;
	char path[128], body[1024];
	size_t i;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/ct.json", tmpdir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(snprintf(body, sizeof(body),
				"{\"resourceType\": \"AWS::S3::Bucket\", "
				"\"resourceId\": \"b\", \"resourceName\": "
				"\"b\", \"awsRegion\": \"us-east-1\", "
				"\"configurationItemCaptureTime\": %s, "
				"\"configuration\": {\"name\": \"b\"}}",
				cases[i].json) < (int)sizeof(body));
		spit(path, body, strlen(body));
		diag_init(&d);
		rc = read_input(&d, path, NULL, &o);
		assert_int_equal(rc, 0);
		assert_int_equal(o.g.n, 1);
		if (cases[i].want != 0) {
			if (o.g.v[0].read_error != NULL ||
			    o.g.v[0].collected != cases[i].want)
				fail_msg("%s: collected %lld, error %s",
				    cases[i].json,
				    (long long)o.g.v[0].collected,
				    o.g.v[0].read_error ? o.g.v[0].read_error
							: "none");
		} else {
			if (o.g.v[0].read_error == NULL ||
			    strstr(o.g.v[0].read_error,
				"configurationItemCaptureTime") == NULL ||
			    o.g.v[0].collected != 0)
				fail_msg("%s: taken as %lld", cases[i].json,
				    (long long)o.g.v[0].collected);
		}
		readout_free(&o);
		diag_free(&d);
	}
	/* Out of a double's range: an error either way, never a time. */
	spit(path,
	    "{\"resourceType\": \"AWS::S3::Bucket\", \"resourceId\": \"b\", "
	    "\"configurationItemCaptureTime\": 1e400, \"configuration\": {}}",
	    strlen("{\"resourceType\": \"AWS::S3::Bucket\", \"resourceId\": "
		   "\"b\", \"configurationItemCaptureTime\": 1e400, "
		   "\"configuration\": {}}"));
	diag_init(&d);
	rc = read_input(&d, path, NULL, &o);
	assert_true(rc == -1 ||
	    (o.g.n == 1 && o.g.v[0].read_error != NULL &&
		o.g.v[0].collected == 0));
	readout_free(&o);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_forms_read_once),
		cmocka_unit_test(test_big_snapshot_through_pipe),
		cmocka_unit_test(test_yaml_pipe),
		cmocka_unit_test(test_head_boundary),
		cmocka_unit_test(test_refused_kinds),
		cmocka_unit_test(test_empty_inputs_count),
		cmocka_unit_test(test_config_markers),
		cmocka_unit_test(test_config_recorder_variants),
		cmocka_unit_test(test_config_marker_conditions),
		cmocka_unit_test(test_config_unprocessed),
		cmocka_unit_test(test_config_capture_time),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("inputs", tests, setup, teardown);
}
