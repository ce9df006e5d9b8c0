/*
 * stream_load.c: rampart's streaming load, as the benchmark measures it:
 * doc_stream_file() over "configurationItems[*]", counting the elements
 * (each one is built in full, handed to the callback, then freed), with
 * the loader's defaults (its reader thread on a machine with two CPUs).
 *
 *     stream_load FILE [COLLECTION]
 *
 * Prints one line: "<elements> <bytes> <seconds> <peak RSS KiB> <CPU
 * seconds>" (CPU: user + system, all threads).
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "lib/lib.h"

static int
count_item(void *ctx, struct doc_node *elem, struct arena *a)
{
	(void)a;
	if (elem->type != DOC_MAP)
		return -1;
	++*(unsigned long long *)ctx;
	return 0;
}

int
main(int argc, char **argv)
{
	const char *coll = argc > 2 ? argv[2] : "configurationItems[*]";
	unsigned long long items = 0;
	struct timespec t0, t1;
	struct rusage ru;
	struct stat st;
	struct diag d;
	char msg[1024];
	size_t i;
	int rc;

	if (argc < 2 || stat(argv[1], &st) == -1) {
		fprintf(stderr, "usage: stream_load FILE [COLLECTION]\n");
		return 2;
	}
	diag_init(&d);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = doc_stream_file(
	    &d, argv[1], DOC_FMT_JSON, coll, NULL, count_item, &items, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < d.n; i++) {
		diag_format(&d, i, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
	}
	diag_free(&d);
	if (rc == -1)
		return 1;
	getrusage(RUSAGE_SELF, &ru);
	printf("%llu %llu %.3f %ld %.3f\n", items,
	    (unsigned long long)st.st_size,
	    (double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    ru.ru_maxrss,
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return 0;
}
