/*
 * test_tables.c: every lookup table is sorted by name (lookups bsearch
 * them) and holds no duplicate, and each entry is complete.
 */
#include "testutil.h"

#include "reports/report.h"

static void
plugins_sorted(void **state)
{
	size_t i;

	(void)state;
	assert_true(check_nplugins > 0);
	for (i = 0; i < check_nplugins; i++) {
		assert_non_null(check_plugins[i]->name);
		assert_non_null(check_plugins[i]->evaluate);
		assert_ptr_equal(check_plugin_find(check_plugins[i]->name),
		    check_plugins[i]);
		if (i > 0)
			assert_true(strcmp(check_plugins[i - 1]->name,
					check_plugins[i]->name) < 0);
	}
	assert_null(check_plugin_find("no-such-plugin"));
}

static void
adapters_sorted(void **state)
{
	size_t i;

	(void)state;
	assert_true(nadapters > 0);
	for (i = 0; i < nadapters; i++) {
		assert_non_null(adapters[i]->detect);
		assert_non_null(adapters[i]->read);
		assert_ptr_equal(adapter_find(adapters[i]->name), adapters[i]);
		if (i > 0)
			assert_true(strcmp(adapters[i - 1]->name,
					adapters[i]->name) < 0);
	}
}

static void
writers_sorted(void **state)
{
	size_t i, j;

	(void)state;
	assert_true(nwriters >= 2);
	for (i = 0; i < nwriters; i++) {
		assert_non_null(writers[i]->write);
		assert_non_null(writers[i]->filename);
		assert_ptr_equal(writer_find(writers[i]->name), writers[i]);
		if (i > 0)
			assert_true(
			    strcmp(writers[i - 1]->name, writers[i]->name) < 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(
			    writers[i]->filename, writers[j]->filename);
	}
}

static void
statuses_and_severities(void **state)
{
	enum severity s;

	(void)state;
	assert_int_equal(severity_parse("critical", &s), 0);
	assert_int_equal(s, SEV_CRITICAL);
	assert_int_equal(severity_parse("urgent", &s), -1);
	assert_string_equal(status_name(ST_NOT_APPLICABLE), "not_applicable");
	assert_string_equal(responsibility_name(RESP_INHERITED), "inherited");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plugins_sorted),
		cmocka_unit_test(adapters_sorted),
		cmocka_unit_test(writers_sorted),
		cmocka_unit_test(statuses_and_severities),
	};

	RUN_TESTS("tables", tests, argc, argv);
}
