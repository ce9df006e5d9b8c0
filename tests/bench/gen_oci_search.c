/*
 * gen_oci_search.c: a large synthetic OCI structured-search export
 * (`oci search resource structured-search ... --all` output:
 * {"data": {"items": [summary, ...]}}), for tests/bench/providers/oci.sh.
 * The summaries are shaped after the real CIS landing-zone inventory
 * (tests/fixtures/oci/cis-inventory.json): security lists with ingress
 * rules (some open on 22 to 0.0.0.0/0), buckets (some public), policies
 * with statements, users, with the landing zone's defined and free-form
 * tags, pretty-printed as the CLI prints: about 1.3 KB a summary (the
 * real inventory averages 1.5 KB).
 *
 *     gen_oci_search FILE MB
 */
#include <stdio.h>
#include <stdlib.h>

static const char *const tenancy =
    "ocid1.tenancy.oc1.."
    "aaaaaaaabkqehju37orqb2rs6qqtte4p4elzyfjtjkjdq5bkihntaegh2taa";

static void
common(FILE *fp, const char *type, const char *ocid, unsigned long i)
{
	fprintf(fp,
	    "    {\n"
	    "      \"availability-domain\": null,\n"
	    "      \"compartment-id\": \"%s\",\n"
	    "      \"defined-tags\": {\n"
	    "        \"cis\": {\"CreatedBy\": \"user-4d0d921d@example.com\", "
	    "\"CreatedOn\": \"2023-06-23T18:09:15.140Z\"},\n"
	    "        \"Oracle-Tags\": {\"CreatedBy\": "
	    "\"user-4d0d921d@example.com\", \"CreatedOn\": "
	    "\"2023-06-23T18:09:15.141Z\"}\n      },\n"
	    "      \"display-name\": \"%s-%lu\",\n"
	    "      \"freeform-tags\": {\"cis-landing-zone\": "
	    "\"iss274-quickstart\", \"cislz-terraform-module\": "
	    "\"iam-policies/0.1.5\"},\n"
	    "      \"identifier\": \"%s%lu\",\n"
	    "      \"identity-context\": {},\n"
	    "      \"lifecycle-state\": \"ACTIVE\",\n"
	    "      \"resource-type\": \"%s\",\n"
	    "      \"search-context\": null,\n"
	    "      \"system-tags\": {},\n"
	    "      \"time-created\": \"2023-06-23T18:09:15.209000+00:00\",\n",
	    tenancy, type, i, ocid, i, type);
}

int
main(int argc, char **argv)
{
	unsigned long long want, n = 0;
	unsigned long i = 0;
	FILE *fp;
	long pos;

	if (argc != 3 || (fp = fopen(argv[1], "w")) == NULL) {
		fprintf(stderr, "usage: gen_oci_search FILE MB\n");
		return 2;
	}
	want = strtoull(argv[2], NULL, 10) * 1048576ULL;
	fputs("{\n  \"data\": {\n    \"items\": [\n", fp);
	for (;;) {
		pos = ftell(fp);
		if (pos < 0 || (unsigned long long)pos >= want - 64)
			break;
		if (i > 0)
			fputs(",\n", fp);
		switch (i % 4) {
		case 0:
			common(fp, "SecurityList",
			    "ocid1.securitylist.oc1.iad.aaaaaaaaklqidovpcgun",
			    i);
			fprintf(fp,
			    "      \"additional-details\": {\n"
			    "        \"vcnId\": "
			    "\"ocid1.vcn.oc1.iad.amaaaaaaxgk\",\n"
			    "        \"ingressSecurityRules\": [\n"
			    "          {\"protocol\": \"6\", \"isStateless\": "
			    "false, "
			    "\"source\": \"%s\", \"tcpOptions\": "
			    "{\"sourcePortRange\": null, "
			    "\"destinationPortRange\": "
			    "{\"min\": 22, \"max\": 22}}},\n"
			    "          {\"protocol\": \"1\", \"isStateless\": "
			    "false, "
			    "\"source\": \"0.0.0.0/0\", \"icmpOptions\": "
			    "{\"code\": 4, \"type\": 3}, \"tcpOptions\": "
			    "null}\n"
			    "        ],\n"
			    "        \"egressSecurityRules\": [{\"protocol\": "
			    "\"all\", "
			    "\"destination\": \"0.0.0.0/0\"}]\n"
			    "      }\n    }",
			    i % 8 == 0 ? "0.0.0.0/0" : "10.0.0.0/16");
			break;
		case 1:
			common(fp, "Bucket",
			    "ocid1.bucket.oc1.iad.aaaaaaaaimixbnjtuqy55c", i);
			fprintf(fp,
			    "      \"additional-details\": {\"storageTier\": "
			    "\"Standard\", \"publicAccessType\": \"%s\", "
			    "\"createdBy\": null, \"namespace\": "
			    "\"idza1eidlizt\", "
			    "\"kmsKeyId\": null}\n    }",
			    i % 16 == 1 ? "ObjectRead" : "NoPublicAccess");
			break;
		case 2:
			common(fp, "Policy",
			    "ocid1.policy.oc1..aaaaaaaaiutucdds2hfhxahtoka7",
			    i);
			fputs(
			    "      \"additional-details\": {\"name\": \"p\", "
			    "\"description\": \"CIS Landing Zone policy\", "
			    "\"statements\": [\"allow group "
			    "iss274-network-admin-group to manage "
			    "virtual-network-family in compartment "
			    "iss274-network-cmp\", \"allow group "
			    "iss274-auditor-group to inspect all-resources in "
			    "tenancy\", \"Allow service cloudguard to read "
			    "all-resources in tenancy\"], \"inactiveStatus\": "
			    "0}\n    }",
			    fp);
			break;
		default:
			common(fp, "User", "ocid1.user.oc1..aaaaaaaaiyag4uxy4q",
			    i);
			fputs("      \"additional-details\": {\"domainName\": "
			      "null, "
			      "\"name\": \"iamadmin\", \"description\": \"IAM "
			      "Admin\", \"domainOcid\": null, "
			      "\"inactiveStatus\": "
			      "0, \"domainDisplayName\": null}\n    }",
			    fp);
			break;
		}
		i++;
		n++;
	}
	fputs("\n    ]\n  }\n}\n", fp);
	if (fclose(fp) != 0)
		return 1;
	printf("%llu\n", n);
	return 0;
}
