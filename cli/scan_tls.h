/*
 * scan_tls.h: TLS endpoints as inputs of `rampart scan`.
 */
#ifndef RAMPART_SCAN_TLS_H
#define RAMPART_SCAN_TLS_H

#include "cli/cli.h"
#include "rules/rules.h"

struct scan_tls_args {
	const char *targets[64]; /* --tls HOST[:PORT] */
	size_t ntargets;
	const char *files[16]; /* --tls-targets FILE */
	size_t nfiles;
	const char *ca_file; /* --tls-ca-file */
	int connect_timeout_ms; /* --tls-timeout (both) */
	int handshake_timeout_ms;
	/* --shard K/N: probe only the targets shard_takes("host:port"). */
	unsigned shard_k, shard_n;
	size_t ordinal; /* input_info.ordinal of the TLS input */
};

/*
 * The "who: N/TOTAL endpoints" progress line on stderr, for `tls` and
 * `scan --tls`: a tls_opts.progress callback whose ctx is a struct
 * tls_progress.  Only on a terminal; it is erased with spaces, never
 * with escape codes when colour is off (TERM=dumb, NO_COLOR, --color
 * never).  tls_progress_clear() erases a line still shown.
 */
struct tls_progress {
	const struct cli *c;
	const char *who; /* "rampart tls" */
	size_t width; /* columns last written */
};
void tls_progress(void *ctx, size_t done, size_t total);
void tls_progress_clear(struct tls_progress *p);

/* Probe every target and feed the results into r.  0 or -1. */
int scan_tls(struct cli *c, struct run *r, const struct scan_tls_args *ta,
    struct diag *d);

#endif
