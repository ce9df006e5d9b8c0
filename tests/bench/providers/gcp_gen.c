/*
 * gcp_gen.c: a synthetic Cloud Asset Inventory export for the benchmark
 * (tests/bench/providers/gcp.sh): newline-delimited JSON, one asset a
 * line, in the shape of `gcloud asset export --content-type=resource`
 * and `--content-type=iam-policy` (camelCase), of about MB megabytes.
 * Every 100 assets: 60 compute instances (a type rampart does not read:
 * parsed and skipped), 20 subnetworks, 8 buckets, 5 IAM policies, 3
 * Cloud SQL instances, 2 KMS keys and 2 firewall rules, ten rules to a
 * network, one project in a hundred.
 *
 *     gcp_gen FILE MB
 */
#include <stdio.h>
#include <stdlib.h>

static long long
line(FILE *fp, unsigned long i)
{
	unsigned long p = i / 10000, k = i % 100;
	int n = 0;

	if (k < 60)
		n = fprintf(fp,
		    "{\"name\":\"//compute.googleapis.com/projects/p%lu/zones/"
		    "us-central1-a/instances/vm-%lu\",\"assetType\":\"compute."
		    "googleapis.com/Instance\",\"ancestors\":[\"projects/%lu\","
		    "\"organizations/1\"],\"resource\":{\"version\":\"v1\","
		    "\"discoveryName\":\"Instance\",\"location\":\"us-central1-"
		    "a\","
		    "\"data\":{\"name\":\"vm-%lu\",\"machineType\":\"e2-"
		    "small\","
		    "\"status\":\"RUNNING\",\"networkInterfaces\":[{"
		    "\"network\":"
		    "\"https://www.googleapis.com/compute/v1/projects/p%lu/"
		    "global/"
		    "networks/"
		    "n%lu\",\"networkIP\":\"10.0.%lu.%lu\"}],\"disks\":"
		    "[{\"boot\":true,\"autoDelete\":true}],\"labels\":{\"env\":"
		    "\"prod\",\"team\":\"t%lu\"}}},\"updateTime\":"
		    "\"2026-11-01T00:00:00Z\"}\n",
		    p, i, p, i, p, i / 10, (i / 256) % 256, i % 256, k);
	else if (k < 80)
		n = fprintf(fp,
		    "{\"name\":\"//compute.googleapis.com/projects/p%lu/"
		    "regions/"
		    "us-central1/subnetworks/s%lu\",\"assetType\":\"compute."
		    "googleapis.com/Subnetwork\",\"ancestors\":[\"projects/"
		    "%lu\"],"
		    "\"resource\":{\"version\":\"v1\",\"location\":\"us-"
		    "central1\","
		    "\"data\":{\"name\":\"s%lu\",\"ipCidrRange\":\"10.%lu.0.0/"
		    "20\","
		    "\"logConfig\":{\"enable\":%s,\"flowSampling\":0.5},"
		    "\"privateIpGoogleAccess\":true}}}\n",
		    p, i, p, i, i % 256, i % 3 ? "true" : "false");
	else if (k < 88)
		n = fprintf(fp,
		    "{\"name\":\"//storage.googleapis.com/b%lu\",\"assetType\":"
		    "\"storage.googleapis.com/"
		    "Bucket\",\"ancestors\":[\"projects/"
		    "%lu\"],\"resource\":{\"version\":\"v1\",\"location\":"
		    "\"us\","
		    "\"data\":{\"name\":\"b%lu\",\"iamConfiguration\":{"
		    "\"uniformBucketLevelAccess\":{\"enabled\":%s}},"
		    "\"versioning\":{\"enabled\":true},\"encryption\":{"
		    "\"defaultKmsKeyName\":\"projects/p%lu/locations/us/"
		    "keyRings/"
		    "r/cryptoKeys/k\"}}}}\n",
		    i, p, i, i % 2 ? "true" : "false", p);
	else if (k < 93)
		n = fprintf(fp,
		    "{\"name\":\"//storage.googleapis.com/b%lu\",\"assetType\":"
		    "\"storage.googleapis.com/"
		    "Bucket\",\"iamPolicy\":{\"version\":"
		    "1,\"bindings\":[{\"role\":\"roles/storage.objectViewer\","
		    "\"members\":[\"group:readers@example.com\","
		    "\"serviceAccount:"
		    "sa%lu@p%lu.iam.gserviceaccount.com\"]},{\"role\":\"roles/"
		    "storage.admin\",\"members\":[\"user:admin@example.com\"]}]"
		    "}}\n",
		    i, i, p);
	else if (k < 96)
		n = fprintf(fp,
		    "{\"name\":\"//cloudsql.googleapis.com/projects/p%lu/"
		    "instances/db%lu\",\"assetType\":\"sqladmin.googleapis.com/"
		    "Instance\",\"resource\":{\"version\":\"v1beta4\",\"data\":"
		    "{"
		    "\"name\":\"db%lu\",\"region\":\"us-central1\","
		    "\"settings\":{"
		    "\"ipConfiguration\":{\"ipv4Enabled\":true,\"requireSsl\":%"
		    "s,"
		    "\"authorizedNetworks\":[{\"value\":\"203.0.113.0/"
		    "24\"}]}}}}}\n",
		    p, i, i, i % 2 ? "true" : "false");
	else if (k < 98)
		n = fprintf(fp,
		    "{\"name\":\"//cloudkms.googleapis.com/projects/p%lu/"
		    "locations/us/keyRings/r/cryptoKeys/k%lu\",\"assetType\":"
		    "\"cloudkms.googleapis.com/CryptoKey\",\"resource\":{"
		    "\"version\":\"v1\",\"data\":{\"purpose\":\"ENCRYPT_"
		    "DECRYPT\","
		    "\"rotationPeriod\":\"%lus\",\"primary\":{\"state\":"
		    "\"ENABLED\"}}}}\n",
		    p, i, 86400UL * (30 + i % 400));
	else
		n = fprintf(fp,
		    "{\"name\":\"//compute.googleapis.com/projects/p%lu/global/"
		    "firewalls/fw%lu\",\"assetType\":\"compute.googleapis.com/"
		    "Firewall\",\"resource\":{\"version\":\"v1\",\"data\":{"
		    "\"name\":\"fw%lu\",\"network\":\"https://"
		    "www.googleapis.com/"
		    "compute/v1/projects/p%lu/global/networks/n%lu\","
		    "\"direction\":\"INGRESS\",\"priority\":%lu,"
		    "\"sourceRanges\":"
		    "[\"%s\"],\"%s\":[{\"IPProtocol\":\"tcp\",\"ports\":["
		    "\"22\","
		    "\"443\",\"8000-9000\"]}]}}}\n",
		    p, i, i, p, i / 500, 100 + i % 1000,
		    i % 7 ? "10.0.0.0/8" : "0.0.0.0/0",
		    i % 5 ? "allowed" : "denied");
	return n;
}

int
main(int argc, char **argv)
{
	long long want, have = 0;
	unsigned long i = 0;
	FILE *fp;

	if (argc != 3 || (want = atoll(argv[2]) * 1048576LL) <= 0) {
		fprintf(stderr, "usage: gcp_gen FILE MB\n");
		return 2;
	}
	if ((fp = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	while (have < want)
		have += line(fp, i++);
	if (fclose(fp) != 0) {
		perror(argv[1]);
		return 1;
	}
	printf("%lu assets, %lld bytes\n", i, have);
	return 0;
}
