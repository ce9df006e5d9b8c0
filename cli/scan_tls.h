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
 * The "who: N/TOTAL endpoints" progress line on stderr (struct progress,
 * cli.h), for `tls` and `scan --tls`: a tls_opts.progress callback whose
 * ctx is a struct tls_progress, its line started with progress_start().
 * The line is erased when the last endpoint is done; progress_clear()
 * erases a line still shown.
 */
struct tls_progress {
	struct progress line;
	const char *who; /* "rampart tls" */
};
void tls_progress(void *ctx, size_t done, size_t total);

/* Probe every target and feed the results into r.  0 or -1. */
int scan_tls(struct cli *c, struct run *r, const struct scan_tls_args *ta,
    struct diag *d);

#endif
