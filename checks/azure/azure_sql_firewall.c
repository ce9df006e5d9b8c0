/*
 * azure_sql_firewall.c: Azure SQL server firewall rules
 * (Microsoft.Sql/servers/firewallRules, startIpAddress..endIpAddress,
 * IPv4) that open the server to too much of the internet.
 *
 * A rule fails when it is Azure's "allow Azure services" rule
 * (0.0.0.0..0.0.0.0: every Azure tenant's addresses, not only yours), or
 * when its range holds more than max_addresses addresses (default 256, a
 * /24).  Addresses are read by lib/cidr.c (no leading zeros, IPv4 only);
 * a range that does not parse or runs backwards is `error`.  Each rule is
 * judged alone: several narrow rules that together span more are not
 * added up.
 */
#include <string.h>

#include "checks/azure/azure.h"
#include "lib/cidr.h"

static int
ipv4(const struct doc_node *n, uint32_t *out)
{
	struct cidr c;

	if (n == NULL || n->type != DOC_STRING ||
	    cidr_parse(n->str, n->len, 0, &c) != 0 || c.family != CIDR_V4 ||
	    c.len != 32)
		return -1;
	*out = (uint32_t)c.addr[0] << 24 | (uint32_t)c.addr[1] << 16 |
	    (uint32_t)c.addr[2] << 8 | c.addr[3];
	return 0;
}

static int
fw_evaluate(struct check_ctx *c, const struct resource *r)
{
	const struct doc_node *p = doc_get(r->attrs, "properties");
	const struct doc_node *s = doc_get(p, "startIpAddress");
	const struct doc_node *e = doc_get(p, "endIpAddress");
	int64_t max = check_param_int(c, "max_addresses", -1), n;
	uint32_t a, b;

	if (r->read_error != NULL)
		return check_emit(c, r, ST_ERROR, "%s", r->read_error);
	if (max < 1)
		return check_emit(c, r, ST_ERROR,
		    "parameter 'max_addresses' must be a positive number");
	if (check_evidence(c, "properties.startIpAddress", s) != 0 ||
	    check_evidence(c, "properties.endIpAddress", e) != 0)
		return -1;
	if (ipv4(s, &a) != 0 || ipv4(e, &b) != 0 || b < a)
		return check_emit(c, r, ST_ERROR,
		    "firewall rule '%s': the range is not two IPv4 addresses "
		    "in order",
		    r->id);
	if (a == 0 && b == 0)
		return check_emit(c, r, ST_FAIL,
		    "firewall rule '%s' allows every Azure service "
		    "(0.0.0.0), including other customers' resources",
		    r->id);
	n = (int64_t)b - (int64_t)a + 1;
	if (n > max)
		return check_emit(c, r, ST_FAIL,
		    "firewall rule '%s' admits %lld addresses (%s-%s), more "
		    "than %lld",
		    r->id, (long long)n, s->str, e->str, (long long)max);
	return check_emit(c, r, ST_PASS,
	    "firewall rule '%s' admits %lld addresses (limit %lld)", r->id,
	    (long long)n, (long long)max);
}

static const char *const fw_types[] = { "Azure::Sql::FirewallRule", NULL };

static const struct plugin_param fw_params[] = {
	{ "max_addresses", DOC_INT, "256",
	    "most IPv4 addresses one firewall rule may admit" },
	{ NULL, DOC_NULL, NULL, NULL },
};

const struct check_plugin azure_sql_firewall_plugin = {
	.name = "azure_sql_firewall",
	.summary = "Azure SQL firewall rules: no Azure-wide rule, no range "
		   "wider than the limit",
	.resource_types = fw_types,
	.params = fw_params,
	.evaluate = fw_evaluate,
};
