/*
 * fuzz_poam.c: POA&M loading and validation (rules/poam.c) on arbitrary
 * YAML, against the shipped rule packs and rules/baselines/example.yaml
 * (loaded once; replay runs from the repository root).  Invariants: a
 * refusal always comes with an error diagnostic; an accepted POA&M has
 * only items whose control is a control of the baseline, whose check (if
 * any) is bound to it, whose id, approver and justification are not
 * blank, and which expire within their RA-5(d) deadline unless an
 * operational-requirement or false-positive deviation is approved.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rule_set *rs;
static struct baseline *bl;

static void
load_once(void)
{
	struct diag d;

	if (bl != NULL)
		return;
	diag_init(&d);
	setenv("RAMPART_RULES_DIR", "rules", 0);
	if ((rs = rule_set_new()) == NULL ||
	    rule_set_load_shipped(rs, &d) == -1 ||
	    (bl = baseline_load(&d, "rules/baselines/example.yaml", rs)) ==
		NULL) {
		diag_print(&d, stderr, 0, 0);
		abort();
	}
	diag_free(&d);
}

static int
blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

static void
check_item(const struct poam_item *it)
{
	const struct control *c = baseline_control(bl, it->control);
	int64_t deadline;
	size_t i;

	if (c == NULL || blank(it->id) || blank(it->approver) ||
	    blank(it->justification) || !it->has_severity ||
	    it->detected_text == NULL || it->expires_text == NULL)
		abort();
	if (it->check != NULL) {
		for (i = 0; i < c->nchecks; i++)
			if (strcmp(c->checks[i].check_id, it->check) == 0)
				break;
		if (i == c->nchecks)
			abort();
	}
	if (it->deviation == POAM_DEV_OPERATIONAL_REQUIREMENT ||
	    it->deviation == POAM_DEV_FALSE_POSITIVE)
		return;
	if (time_add_days(it->detected, poam_remediation_days(it->severity),
		&deadline) == -1 ||
	    it->expires > deadline)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	struct diag d;
	struct poam *p;
	size_t i;
	FILE *fp;
	int fd;

	load_once();
	snprintf(path, sizeof(path), "/tmp/rampart-fuzz-poam-XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	if (fclose(fp) != 0)
		abort();
	diag_init(&d);
	p = poam_load(&d, path);
	if (p == NULL) {
		if (d.nerrors == 0)
			abort();
	} else if (poam_validate(p, bl, rs, &d) == -1) {
		if (d.nerrors == 0)
			abort();
	} else {
		for (i = 0; i < p->n; i++)
			check_item(&p->items[i]);
	}
	poam_free(p);
	diag_free(&d);
	unlink(path);
	return 0;
}
