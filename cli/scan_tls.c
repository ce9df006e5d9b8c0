/*
 * scan_tls.c: `rampart scan --tls HOST[:PORT] --tls-targets FILE`: probe
 * the endpoints with checks/tls and feed each as a TLS::Endpoint resource
 * into the run, so the TLS checks evidence their controls (SC-8, SC-13,
 * SC-17, ...) beside the exports'.  The input's digest is the digest of
 * the observed evidence (the endpoints' JSON results, in target order),
 * computed as results stream in, so memory does not grow with the
 * number of endpoints.
 */
#include <string.h>

#include <openssl/evp.h>

#include "cli/scan_tls.h"
#include "checks/tls/endpoint.h"

/* What the per-endpoint callback needs. */
struct feed {
	struct run *r;
	struct input_info *in;
	struct diag *d;
	EVP_MD_CTX *md; /* digest of the evidence, in target order */
	struct strbuf ev; /* one endpoint's JSON, reused */
};

/*
 * tls_scan_each() callback: one endpoint becomes one resource of the run
 * and its JSON goes into the digest; then the result is freed.  Results
 * arrive in target order, so the report and the digest are the same
 * whatever order the probes finished in.
 */
static int
feed_one(void *ctx, size_t idx, struct tls_result *res)
{
	struct feed *f = ctx;
	struct arena *ra;
	struct resource rsrc;
	int rc = -1;

	(void)idx;
	if ((ra = arena_new()) == NULL)
		return diag_sys(f->d, NULL, "out of memory");
	f->ev.len = 0;
	if (tls_endpoint_resource(ra, f->d, res, &rsrc, &f->ev) == -1)
		goto out;
	if (f->ev.oom) {
		diag_sys(f->d, NULL, "out of memory");
		goto out;
	}
	if (EVP_DigestUpdate(f->md, f->ev.s ? f->ev.s : "", f->ev.len) != 1) {
		diag_openssl(f->d, NULL, "cannot digest the TLS evidence");
		goto out;
	}
	if (run_resource(f->r, f->in, &rsrc, ra) == -1)
		goto out;
	rc = 0;
out:
	arena_free(ra);
	return rc;
}

void
tls_progress(void *ctx, size_t done, size_t total)
{
	struct tls_progress *p = ctx;

	progress_update(&p->line, "%s: %zu/%zu endpoints", p->who, done, total);
	if (done == total)
		progress_clear(&p->line);
}

/*
 * --shard K/N: keep the targets whose "host:port" falls in part K (a
 * stable hash, rules/merge.c), in their order; the run records how many
 * there were and how many it took.
 */
static int
shard_targets(struct run *r, struct diag *d, struct tls_target *t, size_t *n,
    const struct scan_tls_args *ta)
{
	char key[1100];
	size_t i, total = *n, m = 0;

	for (i = 0; i < *n; i++) {
		if ((size_t)snprintf(key, sizeof(key), "%s:%u", t[i].host,
			(unsigned)t[i].port) >= sizeof(key))
			return diag_err(
			    d, NULL, "TLS target '%s' too long", t[i].host);
		if (shard_takes(key, ta->shard_k, ta->shard_n))
			t[m++] = t[i];
	}
	*n = m;
	run_shard_targets(r, total, m);
	return 0;
}

int
scan_tls(struct cli *c, struct run *r, const struct scan_tls_args *ta,
    struct diag *d)
{
	struct arena *a = NULL;
	struct tls_target *t = NULL, *nt;
	struct tls_opts o;
	struct feed f;
	struct resource mk;
	struct tls_progress prog = { .who = "rampart scan: probing TLS" };
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, j;
	size_t n = 0, i;
	int rc = -1;

	memset(&f, 0, sizeof(f));
	sb_init(&f.ev);
	progress_start(&prog.line, c);
	if ((a = arena_new()) == NULL)
		return diag_sys(d, NULL, "out of memory");
	for (i = 0; i < ta->ntargets; i++) {
		if ((nt = lib_realloc(t, (n + 1) * sizeof(*t))) == NULL) {
			diag_sys(d, NULL, "out of memory");
			goto out;
		}
		t = nt;
		if (tls_target_parse(a, d, NULL, ta->targets[i], &t[n]) == -1)
			goto out;
		n++;
	}
	for (i = 0; i < ta->nfiles; i++)
		if (tls_targets_read(a, d, ta->files[i], &t, &n) == -1)
			goto out;
	if (ta->shard_n != 0 && shard_targets(r, d, t, &n, ta) == -1)
		goto out;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.ca_file = ta->ca_file;
	o.connect_timeout_ms = ta->connect_timeout_ms;
	o.handshake_timeout_ms = ta->handshake_timeout_ms;
	o.now = r->as.opts.now;
	/* The same N/TOTAL progress as `rampart tls` (a terminal only). */
	if (c->tty_err) {
		o.progress = tls_progress;
		o.progress_ctx = &prog;
	}
	if ((f.in = run_add_input(
		 r, n == 1 ? "tls-endpoint" : "tls-endpoints", "tls")) == NULL)
		goto out;
	f.in->ordinal = ta->ordinal;
	f.r = r;
	f.d = d;
	if ((f.md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(f.md, EVP_sha256(), NULL) != 1) {
		diag_openssl(d, NULL, "cannot digest the TLS evidence");
		goto out;
	}
	/*
	 * The targets the user named are the complete list of endpoints
	 * to judge: a listing (check.h), so TLS checks with no endpoint
	 * in it could be told apart from TLS evidence never asked for.
	 */
	memset(&mk, 0, sizeof(mk));
	mk.type = TLS_RESOURCE_TYPE;
	mk.listing = 1;
	if (run_resource(r, f.in, &mk, a) == -1)
		goto out;
	if (tls_scan_each(&o, t, n, feed_one, &f, d) == -1)
		goto out;
	if (EVP_DigestFinal_ex(f.md, md, &mdlen) != 1 ||
	    mdlen * 2 > SHA256_HEX_LEN) {
		diag_openssl(d, NULL, "cannot digest the TLS evidence");
		goto out;
	}
	for (j = 0; j < mdlen; j++)
		snprintf(f.in->sha256 + j * 2, 3, "%02x", md[j]);
	rc = 0;
out:
	progress_clear(&prog.line);
	EVP_MD_CTX_free(f.md);
	lib_free(t);
	sb_free(&f.ev);
	arena_free(a);
	return rc;
}
