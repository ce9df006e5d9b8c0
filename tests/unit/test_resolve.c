/*
 * test_resolve.c: concurrent name resolution for the TLS prober
 * (checks/tls/resolve.c, c-ares), on loopback names only: localhost;
 * made-up names in a test hosts file (CARES_HOSTS), IPv4 and IPv6, one
 * name with both; more names than are asked at once; and the per-name
 * deadline: with a name server on 127.0.0.1 that never answers, a name
 * missing from the hosts file fails with its own timeout while the names
 * in the file resolve in the same call, and the call returns within a
 * small multiple of the deadline (a slow name blocks nothing else).
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>

#include "checks/tls/tls.h"

static char hosts_path[64];

static int
setup(void **state)
{
	FILE *fp;
	int fd, i;

	(void)state;
	snprintf(hosts_path, sizeof(hosts_path), "/tmp/rampart-hosts-XXXXXX");
	assert_true((fd = mkstemp(hosts_path)) != -1);
	assert_non_null(fp = fdopen(fd, "w"));
	/*
	 * localhost is in the file as in any /etc/hosts: c-ares 1.18.1
	 * leaks the name when it makes localhost up itself (c-ares#439).
	 */
	fprintf(fp,
	    "# test hosts file\n"
	    "127.0.0.1 localhost\n"
	    "::1 localhost\n"
	    "127.0.0.9 v4.rampart.invalid\n"
	    "::1 v6.rampart.invalid\n"
	    "127.0.0.10 both.rampart.invalid\n"
	    "::1 both.rampart.invalid\n");
	for (i = 0; i < 300; i++)
		fprintf(fp, "127.1.%d.%d n%d.rampart.invalid\n", i / 250,
		    1 + i % 250, i);
	assert_int_equal(fclose(fp), 0);
	setenv("CARES_HOSTS", hosts_path, 1);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(hosts_path);
	unsetenv("CARES_HOSTS");
	return 0;
}

/* The addresses of r as "a,b" text. */
static void
addrs_text(const struct tls_resolved *r, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	const void *sa;
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < r->n; i++) {
		sa = r->addrs[i].sin6_family == AF_INET6
		    ? (const void *)&r->addrs[i].sin6_addr
		    : (const void *)&((const struct sockaddr_in *)&r->addrs[i])
			  ->sin_addr;
		assert_non_null(
		    inet_ntop(r->addrs[i].sin6_family, sa, a, sizeof(a)));
		o +=
		    (size_t)snprintf(buf + o, len - o, "%s%s", i ? "," : "", a);
	}
}

static void
hosts_file_names(void **state)
{
	const char *names[] = { "v4.rampart.invalid", NULL,
		"v6.rampart.invalid", "both.rampart.invalid", "localhost" };
	struct tls_resolved out[5];
	struct diag d;
	char buf[256];

	(void)state;
	diag_init(&d);
	assert_int_equal(tls_resolve(&d, names, 5, 2000, NULL, out), 0);
	addrs_text(&out[0], buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.9");
	assert_int_equal(out[1].n, 0); /* NULL: skipped */
	assert_null(out[1].error);
	addrs_text(&out[2], buf, sizeof(buf));
	assert_string_equal(buf, "::1");
	/* Every address family of a name. */
	addrs_text(&out[3], buf, sizeof(buf));
	assert_non_null(strstr(buf, "127.0.0.10"));
	assert_non_null(strstr(buf, "::1"));
	assert_true(out[4].n >= 1);
	assert_null(out[4].error);
	diag_free(&d);
}

static void
many_names(void **state)
{
	const char *names[300];
	struct tls_resolved *out;
	struct diag d;
	char buf[256], want[64];
	static char store[300][32];
	int i;

	(void)state;
	for (i = 0; i < 300; i++) {
		snprintf(store[i], sizeof(store[i]), "n%d.rampart.invalid", i);
		names[i] = store[i];
	}
	assert_non_null(out = calloc(300, sizeof(*out)));
	diag_init(&d);
	assert_int_equal(tls_resolve(&d, names, 300, 2000, NULL, out), 0);
	for (i = 0; i < 300; i++) {
		snprintf(
		    want, sizeof(want), "127.1.%d.%d", i / 250, 1 + i % 250);
		addrs_text(&out[i], buf, sizeof(buf));
		assert_string_equal(buf, want);
	}
	free(out);
	diag_free(&d);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
slow_name_blocks_nothing(void **state)
{
	const char *names[] = { "slow.rampart.invalid", "v4.rampart.invalid",
		"also-slow.rampart.invalid", "v6.rampart.invalid" };
	struct tls_resolved out[4];
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	struct diag d;
	char servers[64], buf[256];
	double t0, t;
	int fd;

	(void)state;
	/* A name server that reads queries and never answers. */
	assert_true((fd = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	snprintf(servers, sizeof(servers), "127.0.0.1:%u",
	    (unsigned)ntohs(sa.sin_port));
	diag_init(&d);
	t0 = now_s();
	assert_int_equal(tls_resolve(&d, names, 4, 400, servers, out), 0);
	t = now_s() - t0;
	assert_int_equal(out[0].n, 0);
	assert_non_null(out[0].error);
	assert_int_equal(out[2].n, 0);
	assert_non_null(out[2].error);
	addrs_text(&out[1], buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.9");
	addrs_text(&out[3], buf, sizeof(buf));
	assert_string_equal(buf, "::1");
	/* Both slow names wait together, not one after the other. */
	assert_true(t < 0.4 * 1.9);
	assert_true(t >= 0.3);
	close(fd);
	diag_free(&d);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    hosts_file_names, setup, teardown),
		cmocka_unit_test_setup_teardown(many_names, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    slow_name_blocks_nothing, setup, teardown),
	};

	RUN_TESTS("resolve", tests, argc, argv);
}
