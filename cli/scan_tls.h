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

/* Probe every target and feed the results into r.  0 or -1. */
int scan_tls(struct cli *c, struct run *r, const struct scan_tls_args *ta,
    struct diag *d);

#endif
