/*
 * yajl_parse_only.c: the benchmark's ceiling.  yajl with callbacks that do
 * nothing, fed in the same 256 KiB chunks as rampart's loader.
 *
 *     yajl_parse_only FILE
 *
 * Prints one line: "<events> <bytes> <seconds> <peak RSS KiB>".
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
on_null(void *ctx)
{
	++*(unsigned long long *)ctx;
	return 1;
}

static int
on_bool(void *ctx, int v)
{
	(void)v;
	++*(unsigned long long *)ctx;
	return 1;
}

static int
on_number(void *ctx, const char *s, size_t n)
{
	(void)s;
	(void)n;
	++*(unsigned long long *)ctx;
	return 1;
}

static int
on_string(void *ctx, const unsigned char *s, size_t n)
{
	(void)s;
	(void)n;
	++*(unsigned long long *)ctx;
	return 1;
}

static const yajl_callbacks callbacks = { on_null, on_bool, NULL, NULL,
	on_number, on_string, on_null, on_string, on_null, on_null, on_null };

int
main(int argc, char **argv)
{
	static unsigned char buf[CHUNK];
	unsigned long long events = 0, bytes = 0;
	struct timespec t0, t1;
	struct rusage ru;
	yajl_handle h;
	ssize_t n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: yajl_parse_only FILE\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDONLY)) == -1) {
		perror(argv[1]);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((h = yajl_alloc(&callbacks, NULL, &events)) == NULL)
		return 1;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		bytes += (unsigned long long)n;
		if (yajl_parse(h, buf, (size_t)n) != yajl_status_ok)
			goto bad;
	}
	if (n < 0 || yajl_complete_parse(h) != yajl_status_ok)
		goto bad;
	yajl_free(h);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru);
	printf("%llu %llu %.3f %ld %.3f\n", events, bytes,
	    (double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    ru.ru_maxrss,
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	close(fd);
	return 0;
bad:
	fprintf(stderr, "yajl_parse_only: %s: parse failed\n", argv[1]);
	return 1;
}
