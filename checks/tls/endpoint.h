/*
 * endpoint.h: TLS endpoints as resources of the rule engine.  A probed
 * endpoint becomes a resource of type TLS::Endpoint whose attributes are
 * its JSON result (checks, negotiated parameters, certificate), and the
 * `tls_endpoint` plugin decides a rule from a list of the prober's checks.
 */
#ifndef RAMPART_TLS_ENDPOINT_H
#define RAMPART_TLS_ENDPOINT_H

#include "checks/check.h"
#include "checks/tls/tls.h"

#define TLS_RESOURCE_TYPE "TLS::Endpoint"

extern const struct check_plugin tls_endpoint_plugin;

/*
 * Build the resource for result res in arena a.  An endpoint that could
 * not be probed gets read_error (every check on it is `error`).  The
 * resource's JSON text is appended to evidence (may be NULL) so the
 * caller can digest what was observed.  0 or -1 with the error in d.
 */
int tls_endpoint_resource(struct arena *a, struct diag *d,
    const struct tls_result *res, struct resource *out,
    struct strbuf *evidence);

#endif /* RAMPART_TLS_ENDPOINT_H */
