/*
 * loader.h: the interface between lib/load.c (file handling, format
 * detection, encodings) and the two parsers, lib/json.c (yajl) and
 * lib/yaml.c (libyaml).  Internal to lib/.
 */
#ifndef RAMPART_LOADER_H
#define RAMPART_LOADER_H

#include <openssl/evp.h>
#include <sys/types.h>

#include "lib/lib.h"

/*
 * Parse input and drive the builder.  The input is `prefix` (plen bytes,
 * already read, possibly the whole input) followed, when fd != -1, by the
 * rest of the file read from fd in chunks, so memory stays flat.  `name`
 * is the file name for diagnostics (borrowed; it outlives the call).
 * Every diagnostic carries 1-based line:col.  Returns 0 or -1.
 */
int json_feed(struct builder *b, struct diag *d, const char *name,
    const char *prefix, size_t plen, int fd, int ndjson,
    const struct load_limits *lim);
int yaml_feed(struct builder *b, struct diag *d, const char *name,
    const char *prefix, size_t plen, int fd, const struct load_limits *lim);

/*
 * Make the builder put every node into arena a and never free it
 * (doc_load_*), instead of a fresh arena per element.
 */
void builder_set_arena(struct builder *b, struct arena *a);

/*
 * Read up to n bytes from fd, retrying short reads and EINTR: fewer only
 * at end of file.  The byte count, or -1 with errno set.
 */
ssize_t read_full(int fd, void *buf, size_t n);

/*
 * Feed the file's digest md (NULL: none) with n bytes read; a failure is
 * reported in d (the reading thread's: OpenSSL's error queue is per
 * thread).  0 or -1.
 */
int digest_update(
    EVP_MD_CTX *md, struct diag *d, const char *name, const char *p, size_t n);

#endif /* RAMPART_LOADER_H */
