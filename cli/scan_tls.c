/*
 * scan_tls.c: `rampart scan --tls HOST[:PORT] --tls-targets FILE`: probe
 * the endpoints with checks/tls and feed each as a TLS::Endpoint resource
 * into the run, so the TLS checks evidence their controls (SC-8, SC-13,
 * SC-17, ...) beside the exports'.  The input's digest is the digest of
 * the observed evidence (the endpoints' JSON results).
 */
#include <string.h>

#include "cli/scan_tls.h"
#include "checks/tls/endpoint.h"

int
scan_tls(struct cli *c, struct run *r, const struct scan_tls_args *ta,
    struct diag *d)
{
	struct arena *a = NULL, *ra;
	struct tls_target *t = NULL, *nt;
	struct tls_result *res = NULL;
	struct tls_opts o;
	struct input_info *in;
	struct resource rsrc;
	struct strbuf ev;
	size_t n = 0, i;
	int rc = -1;

	sb_init(&ev);
	if ((a = arena_new()) == NULL)
		return diag_err(d, NULL, "out of memory");
	for (i = 0; i < ta->ntargets; i++) {
		if ((nt = lib_realloc(t, (n + 1) * sizeof(*t))) == NULL) {
			diag_err(d, NULL, "out of memory");
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
	if (n == 0) {
		rc = 0;
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.ca_file = ta->ca_file;
	o.connect_timeout_ms = ta->connect_timeout_ms;
	o.handshake_timeout_ms = ta->handshake_timeout_ms;
	o.now = r->opts.now;
	if (c->tty_err)
		fprintf(stderr, "rampart: probing %zu TLS endpoint%s...\r", n,
		    n == 1 ? "" : "s");
	if (tls_scan(&o, t, n, &res, d) == -1)
		goto out;
	if ((in = run_add_input(
		 r, n == 1 ? "tls-endpoint" : "tls-endpoints", "tls")) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		if ((ra = arena_new()) == NULL) {
			diag_err(d, NULL, "out of memory");
			goto out;
		}
		if (tls_endpoint_resource(ra, d, &res[i], &rsrc, &ev) == -1 ||
		    run_resource(r, in, &rsrc, ra) == -1) {
			arena_free(ra);
			goto out;
		}
		arena_free(ra);
	}
	if (ev.oom) {
		diag_err(d, NULL, "out of memory");
		goto out;
	}
	sha256_hex(ev.s ? ev.s : "", ev.len, in->sha256);
	rc = 0;
out:
	tls_results_free(res, n);
	lib_free(t);
	sb_free(&ev);
	arena_free(a);
	return rc;
}
