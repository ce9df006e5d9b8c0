/*
 * exit.c: the one place where the class of a diagnostic becomes an exit
 * code (lib/lib.h enum diag_class, cli/cli.h enum rampart_exit).  Its own
 * file, so tests/unit/test_diag.c compiles it without main().
 */
#include "cli/cli.h"

int
cli_exit_for(const struct diag *d)
{
	/*
	 * A system or crypto failure wins: the run could not be done, so
	 * what it found wrong in the input may be incomplete too.
	 */
	if (d->nclass[DIAG_SYSTEM] > 0 || d->nclass[DIAG_CRYPTO] > 0)
		return EXIT_SYSTEM;
	if (d->nclass[DIAG_INPUT] > 0)
		return EXIT_INVALID_INPUT;
	if (d->nclass[DIAG_USAGE] > 0)
		return EXIT_USAGE;
	/* Every input problem is reported where it is found; a failure
	 * with no error recorded is an allocation that failed silently. */
	return EXIT_SYSTEM;
}
