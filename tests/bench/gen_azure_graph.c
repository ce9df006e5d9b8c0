/*
 * gen_azure_graph.c: write a synthetic Azure Resource Graph dump of at
 * least the requested size, for the Azure benchmark
 * (tests/bench/providers/azure.sh).
 *
 *     gen_azure_graph OUT.json MEGABYTES
 *
 * The shape is what `az graph query -q "Resources | ..." --first 1000`
 * prints, pages concatenated: {"count": N, "data": [...], "skip_token":
 * null, "total_records": N}, one object a line, cycling through network
 * security groups (with security rules and default rules, some open to
 * the internet, some shadowed by a Deny), storage accounts, SQL servers,
 * key vaults and Defender pricings: the types the azure adapter maps,
 * with passing and failing resources for their checks.  Types are
 * lower-cased, as Resource Graph prints them.  Deterministic.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct out {
	FILE *fp;
	char buf[1 << 20];
	size_t len;
	unsigned long long total;
};

static void
flush(struct out *o)
{
	if (o->len > 0 && fwrite(o->buf, 1, o->len, o->fp) != o->len) {
		perror("write");
		exit(1);
	}
	o->total += o->len;
	o->len = 0;
}

static void put(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len + 16384 > sizeof(o->buf))
		flush(o);
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, sizeof(o->buf) - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(o->buf) - o->len) {
		fprintf(stderr, "gen_azure_graph: object too long\n");
		exit(1);
	}
	o->len += (size_t)n;
}

static const char *const locs[] = { "eastus", "westus2", "usgovvirginia",
	"westeurope" };
#define SUB "ea42f556-5106-4743-99b0-c129bfa71a47"

static void
head(struct out *o, unsigned long i, const char *prov, const char *type,
    const char *name)
{
	put(o,
	    "{\"id\":\"/subscriptions/" SUB "/resourceGroups/rg-%03lu/"
	    "providers/%s/%s\",\"name\":\"%s\",\"type\":\"%s\","
	    "\"tenantId\":\"b0257c14-cacc-44c6-8927-5b4ce5de0874\","
	    "\"kind\":\"\",\"location\":\"%s\",\"resourceGroup\":\"rg-%03lu\","
	    "\"subscriptionId\":\"" SUB "\",\"managedBy\":\"\",\"sku\":null,"
	    "\"plan\":null,\"tags\":{\"team\":\"t%lu\",\"env\":\"%s\"},"
	    "\"identity\":null,\"zones\":null,\"extendedLocation\":null,",
	    i % 1000, prov, name, strchr(name, '/') + 1, type, locs[i % 4],
	    i % 1000, i % 17, i % 3 ? "prod" : "dev");
}

static void
rule(struct out *o, const char *nsg, int k, const char *name, int prio,
    const char *access, const char *proto, const char *port, const char *src,
    int comma)
{
	put(o,
	    "{\"name\":\"%s\",\"id\":\"%s/securityRules/%s\",\"type\":"
	    "\"Microsoft.Network/networkSecurityGroups/securityRules\","
	    "\"properties\":{\"provisioningState\":\"Succeeded\","
	    "\"protocol\":\"%s\",\"sourcePortRange\":\"*\","
	    "\"destinationPortRange\":\"%s\",\"sourceAddressPrefix\":\"%s\","
	    "\"destinationAddressPrefix\":\"*\",\"access\":\"%s\","
	    "\"priority\":%d,\"direction\":\"Inbound\",\"sourcePortRanges\":[],"
	    "\"destinationPortRanges\":[],\"sourceAddressPrefixes\":[],"
	    "\"destinationAddressPrefixes\":[]}}%s",
	    name, nsg, name, proto, port, src, access, prio + k,
	    comma ? "," : "");
}

static void
nsg(struct out *o, unsigned long i)
{
	char name[96], id[256];
	int k;

	snprintf(name, sizeof(name), "networkSecurityGroups/nsg-%06lu", i);
	snprintf(id, sizeof(id),
	    "/subscriptions/" SUB "/resourceGroups/rg-%03lu/providers/"
	    "Microsoft.Network/%s",
	    i % 1000, name);
	head(o, i, "Microsoft.Network",
	    "microsoft.network/networksecuritygroups", name);
	put(o,
	    "\"properties\":{\"provisioningState\":\"Succeeded\","
	    "\"securityRules\":[");
	for (k = 0; k < 6; k++)
		rule(o, id, k, k == 0 ? "deny-ssh" : "allow-app", 100 + 10 * k,
		    k == 0 && i % 3 ? "Deny" : "Allow", k % 2 ? "Tcp" : "*",
		    k == 0       ? "22"
			: k == 1 ? "443"
				 : "8000-8100",
		    k == 0 || i % 7 == 0 ? "*" : "10.0.0.0/8", 1);
	rule(o, id, 0, "ssh", 200, "Allow", "Tcp", "22",
	    i % 5 ? "203.0.113.0/24" : "Internet", 0);
	put(o, "],\"defaultSecurityRules\":[");
	rule(o, id, 0, "AllowVnetInBound", 65000, "Allow", "*", "*",
	    "VirtualNetwork", 1);
	rule(o, id, 0, "AllowAzureLoadBalancerInBound", 65001, "Allow", "*",
	    "*", "AzureLoadBalancer", 1);
	rule(o, id, 0, "DenyAllInBound", 65500, "Deny", "*", "*", "*", 0);
	put(o, "],\"flowLogs\":[%s]}}",
	    i % 4 ? "{\"id\":\"/subscriptions/" SUB "/resourceGroups/"
		    "NetworkWatcherRG/providers/Microsoft.Network/"
		    "networkWatchers/NetworkWatcher_eastus/flowLogs/fl\"}"
		  : "");
}

static void
storage(struct out *o, unsigned long i)
{
	char name[96];

	snprintf(name, sizeof(name), "storageAccounts/st%08lu", i);
	head(o, i, "Microsoft.Storage", "microsoft.storage/storageaccounts",
	    name);
	put(o,
	    "\"properties\":{\"provisioningState\":\"Succeeded\","
	    "\"minimumTlsVersion\":\"%s\",\"allowBlobPublicAccess\":%s,"
	    "\"supportsHttpsTrafficOnly\":%s,\"networkAcls\":{\"bypass\":"
	    "\"AzureServices\",\"virtualNetworkRules\":[],\"ipRules\":[],"
	    "\"defaultAction\":\"%s\"},\"encryption\":{\"services\":{\"file\":"
	    "{\"keyType\":\"Account\",\"enabled\":true},\"blob\":{\"keyType\":"
	    "\"Account\",\"enabled\":true}},\"keySource\":\"%s\"},"
	    "\"accessTier\":\"Hot\",\"creationTime\":"
	    "\"2023-%02lu-%02luT10:00:00.0000000Z\",\"primaryEndpoints\":{"
	    "\"blob\":\"https://st%08lu.blob.core.windows.net/\"}}}",
	    i % 4 ? "TLS1_2" : "TLS1_0", i % 5 ? "false" : "true",
	    i % 6 ? "true" : "false", i % 2 ? "Deny" : "Allow",
	    i % 3 ? "Microsoft.Storage" : "Microsoft.Keyvault", i % 12 + 1,
	    i % 28 + 1, i);
}

static void
sql(struct out *o, unsigned long i)
{
	char name[96];

	snprintf(name, sizeof(name), "servers/sql-%06lu", i);
	head(o, i, "Microsoft.Sql", "microsoft.sql/servers", name);
	put(o,
	    "\"properties\":{\"administratorLogin\":\"admin%lu\","
	    "\"version\":\"12.0\",\"state\":\"Ready\","
	    "\"fullyQualifiedDomainName\":\"sql-%06lu.database.windows.net\","
	    "\"privateEndpointConnections\":[],\"minimalTlsVersion\":\"%s\","
	    "\"publicNetworkAccess\":\"%s\"}}",
	    i, i, i % 3 ? "1.2" : "1.0", i % 2 ? "Disabled" : "Enabled");
}

static void
vault(struct out *o, unsigned long i)
{
	char name[96];

	snprintf(name, sizeof(name), "vaults/kv-%06lu", i);
	head(o, i, "Microsoft.KeyVault", "microsoft.keyvault/vaults", name);
	put(o,
	    "\"properties\":{\"sku\":{\"family\":\"A\",\"name\":\"standard\"},"
	    "\"tenantId\":\"b0257c14-cacc-44c6-8927-5b4ce5de0874\","
	    "\"accessPolicies\":[],\"enableSoftDelete\":true,"
	    "\"softDeleteRetentionInDays\":90,%s\"enableRbacAuthorization\":"
	    "true,\"vaultUri\":\"https://kv-%06lu.vault.azure.net/\"}}",
	    i % 2 ? "\"enablePurgeProtection\":true," : "", i);
}

int
main(int argc, char **argv)
{
	static struct out o;
	unsigned long long want;
	unsigned long i = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: gen_azure_graph OUT.json MEGABYTES\n");
		return 2;
	}
	want = strtoull(argv[2], NULL, 10) * 1048576ull;
	if ((o.fp = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	put(&o, "{\"count\":0,\"data\":[\n");
	while (o.total + o.len < want) {
		if (i > 0)
			put(&o, ",\n");
		switch (i % 8) {
		case 0:
		case 1:
		case 2:
			nsg(&o, i);
			break;
		case 3:
		case 4:
			storage(&o, i);
			break;
		case 5:
		case 6:
			sql(&o, i);
			break;
		default:
			vault(&o, i);
			break;
		}
		i++;
	}
	put(&o, "\n],\"skip_token\":null,\"total_records\":%lu}\n", i);
	flush(&o);
	if (fclose(o.fp) != 0) {
		perror(argv[1]);
		return 1;
	}
	printf("%lu objects, %llu bytes\n", i, o.total);
	return 0;
}
