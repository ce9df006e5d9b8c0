/*
 * driver.c: replays a fuzz target's corpus without libFuzzer, so every
 * target compiles and runs in `make check` and never bit-rots.
 * Usage: fuzz_x DIR|FILE...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/lib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	struct diag d;
	char *buf;
	size_t len;

	diag_init(&d);
	if (file_read_all(&d, path, 0, &buf, &len) == -1) {
		fprintf(stderr, "cannot read %s\n", path);
		diag_free(&d);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	lib_free(buf);
	diag_free(&d);
	return 0;
}

int
main(int argc, char **argv)
{
	struct stat st;
	struct dirent *de;
	DIR *dir;
	char path[4096];
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			fprintf(stderr, "cannot stat %s\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (replay_file(argv[i]) == -1)
				return 1;
			n++;
			continue;
		}
		if ((dir = opendir(argv[i])) == NULL)
			return 1;
		while ((de = readdir(dir)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(
			    path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (replay_file(path) == -1) {
				closedir(dir);
				return 1;
			}
			n++;
		}
		closedir(dir);
	}
	printf("replayed %d inputs\n", n);
	return n > 0 ? 0 : 1;
}
