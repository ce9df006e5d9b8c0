/*
 * fuzz_rules.c: baseline and rule-pack compilation.  The input is written
 * to a temporary file (both loaders take paths, as the CLI does) and
 * loaded as a rule pack, then as a baseline bound against the packs that
 * loaded; every failure must come with a diagnostic, never a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/rampart-fuzz-rules-XXXXXX";
	struct rule_set *rs;
	struct baseline *b;
	struct diag d;
	int fd;

	if ((fd = mkstemp(path)) == -1)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	diag_init(&d);
	if ((rs = rule_set_new()) != NULL) {
		if (rule_set_load(rs, &d, path) == -1 && d.nerrors == 0)
			abort(); /* a failure must say why */
		diag_clear(&d);
		b = baseline_load(&d, path, rs);
		if (b == NULL && d.nerrors == 0)
			abort();
		baseline_free(b);
		rule_set_free(rs);
	}
	diag_free(&d);
	unlink(path);
	return 0;
}
