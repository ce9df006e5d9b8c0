/*
 * gcp_yajl_ndjson.c: the ceiling of the Google Cloud benchmark: yajl with
 * callbacks that only count, over newline-delimited JSON (one value a
 * line, yajl_allow_multiple_values), fed in 256 KiB chunks as rampart's
 * loader is.
 *
 *     gcp_yajl_ndjson FILE
 *
 * Prints "<events> <bytes> <seconds> <peak RSS KiB> <CPU seconds>".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

#define CHUNK (256u * 1024)

static int
c0(void *ctx)
{
	++*(unsigned long long *)ctx;
	return 1;
}

static int
cb(void *ctx, int v)
{
	(void)v;
	return c0(ctx);
}

static int
cs(void *ctx, const char *s, size_t n)
{
	(void)s;
	(void)n;
	return c0(ctx);
}

static int
cu(void *ctx, const unsigned char *s, size_t n)
{
	(void)s;
	(void)n;
	return c0(ctx);
}

static const yajl_callbacks cbs = { c0, cb, NULL, NULL, cs, cu, c0, cu, c0, c0,
	c0 };

int
main(int argc, char **argv)
{
	static unsigned char buf[CHUNK];
	unsigned long long ev = 0, bytes = 0;
	struct timespec t0, t1;
	struct rusage ru;
	yajl_handle h;
	ssize_t n;
	int fd;

	if (argc != 2 || (fd = open(argv[1], O_RDONLY)) < 0) {
		fprintf(stderr, "usage: gcp_yajl_ndjson FILE\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	h = yajl_alloc(&cbs, NULL, &ev);
	yajl_config(h, yajl_allow_multiple_values, 1);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		bytes += (unsigned long long)n;
		if (yajl_parse(h, buf, (size_t)n) != yajl_status_ok)
			return 1;
	}
	if (yajl_complete_parse(h) != yajl_status_ok)
		return 1;
	yajl_free(h);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru);
	printf("%llu %llu %.3f %ld %.3f\n", ev, bytes,
	    (double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    ru.ru_maxrss,
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return 0;
}
