/*
 * rusage_run.c: run a command as the benchmark measures it, for rows that
 * time a real binary end to end (the full `rampart scan` row).
 *
 *     rusage_run FILE REPORT -- COMMAND [ARG...]
 *
 * Runs COMMAND with standard output discarded and waits for it.  Exit
 * statuses 0, 1 and 4 (eligible, not eligible, incomplete: a finished
 * scan) count as success; anything else fails the row.  Prints the line
 * every bench program prints: "<count> <bytes> <seconds> <peak RSS KiB>
 * <CPU seconds>", where bytes is FILE's size, peak RSS and CPU time are
 * the child's, and count is the first `"resources":N` of the JSON report
 * REPORT that COMMAND wrote (0 when absent).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The first "resources":N in the report, or 0. */
static unsigned long long
report_count(const char *path)
{
	static char buf[1 << 16];
	unsigned long long n = 0;
	const char *p;
	size_t len;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return 0;
	len = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[len] = '\0';
	if ((p = strstr(buf, "\"resources\":")) != NULL)
		n = strtoull(p + 12, NULL, 10);
	return n;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	struct stat st;
	pid_t pid;
	int status, fd;

	if (argc < 5 || strcmp(argv[3], "--") != 0 ||
	    stat(argv[1], &st) == -1) {
		fprintf(stderr,
		    "usage: rusage_run FILE REPORT -- COMMAND [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) != -1)
			dup2(fd, 1);
		execvp(argv[4], argv + 4);
		perror(argv[4]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1) {
		perror("waitpid");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* The only child: its usage is all of RUSAGE_CHILDREN. */
	getrusage(RUSAGE_CHILDREN, &ru);
	if (!WIFEXITED(status) ||
	    (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 1 &&
		WEXITSTATUS(status) != 4)) {
		fprintf(stderr, "rusage_run: %s failed (status %d)\n", argv[4],
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return 1;
	}
	printf("%llu %llu %.3f %ld %.3f\n", report_count(argv[2]),
	    (unsigned long long)st.st_size,
	    (double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    ru.ru_maxrss,
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return 0;
}
