/*
 * gen_tfplan.c: write a synthetic `terraform show -json` plan of at least
 * the requested size, for the Terraform benchmark
 * (tests/bench/providers/terraform.sh).
 *
 *     gen_tfplan OUT.json MEGABYTES
 *
 * Format 1.2, the shape of the real plans in ../shared/data/exports:
 * planned_values, then resource_changes (one per line) cycling through
 * EBS volumes, EC2 instances, RDS instances, KMS keys, IAM policies and
 * log groups (streamed and handed over one at a time) with security
 * groups, their rules, and buckets with their public access blocks (4 of
 * every 13 changes: the targets and parts the adapter spills until the
 * joins), at the root, with count and for_each, and in modules two
 * deep; each change carries before, after, after_unknown and
 * after_sensitive as Terraform writes them, and a padding tag map the
 * size of real provider attributes.  Then the configuration (its size
 * grows with the number of modules, not of instances).  Deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = {
	"aws_ebs_volume",
	"aws_instance",
	"aws_db_instance",
	"aws_kms_key",
	"aws_iam_policy",
	"aws_cloudwatch_log_group",
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static const char *
after_of(const char *kind, unsigned long i)
{
	static char buf[1024];

	if (strcmp(kind, "aws_ebs_volume") == 0)
		snprintf(buf, sizeof(buf),
		    "{\"availability_zone\":\"us-east-1a\",\"encrypted\":%s,"
		    "\"size\":%lu,\"type\":\"gp3\"",
		    i % 7 ? "true" : "false", 8 + i % 100);
	else if (strcmp(kind, "aws_instance") == 0)
		snprintf(buf, sizeof(buf),
		    "{\"ami\":\"ami-09a5b0b7edf08843d\",\"instance_type\":"
		    "\"t3.micro\",\"metadata_options\":[{\"http_endpoint\":"
		    "\"enabled\",\"http_tokens\":\"%s\"}]",
		    i % 5 ? "required" : "optional");
	else if (strcmp(kind, "aws_db_instance") == 0)
		snprintf(buf, sizeof(buf),
		    "{\"identifier\":\"db-%lu\",\"engine\":\"postgres\","
		    "\"storage_encrypted\":%s,\"publicly_accessible\":false,"
		    "\"backup_retention_period\":%lu,\"password\":\"x\"",
		    i, i % 3 ? "true" : "false", i % 14);
	else if (strcmp(kind, "aws_kms_key") == 0)
		snprintf(buf, sizeof(buf),
		    "{\"description\":\"key %lu\",\"enable_key_rotation\":%s,"
		    "\"is_enabled\":true",
		    i, i % 4 ? "true" : "false");
	else if (strcmp(kind, "aws_iam_policy") == 0)
		snprintf(buf, sizeof(buf),
		    "{\"name\":\"p-%lu\",\"path\":\"/\",\"policy\":"
		    "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":"
		    "[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"%s\\\","
		    "\\\"Resource\\\":\\\"*\\\"}]}\"",
		    i, i % 9 ? "s3:GetObject" : "*");
	else
		snprintf(buf, sizeof(buf),
		    "{\"name\":\"/app/%lu\",\"retention_in_days\":%d", i,
		    i % 2 ? 400 : 30);
	return buf;
}

/* Padding: real `after` objects hold dozens of provider attributes. */
static void
tags(FILE *fp, unsigned long i)
{
	int k;

	fputs(",\"tags\":{", fp);
	for (k = 0; k < 24; k++)
		fprintf(fp,
		    "%s\"tag-%02d\":\"value %lu of a tag for cost "
		    "allocation and ownership\"",
		    k ? "," : "", k, i * 24 + (unsigned long)k);
	fputc('}', fp);
}

/* The address prefix of change i: root, module, counted module, deep. */
static void
placement(unsigned long i, char *mod, size_t mlen, char *idx, size_t ilen)
{
	mod[0] = idx[0] = '\0';
	switch (i % 4) {
	case 1:
		snprintf(mod, mlen, "module.app%lu", i % 16);
		snprintf(idx, ilen, "[%lu]", i);
		break;
	case 2:
		snprintf(mod, mlen, "module.net[%lu].module.inner", i % 3);
		snprintf(idx, ilen, "[\\\"k%lu\\\"]", i);
		break;
	case 3:
		snprintf(mod, mlen, "module.data");
		snprintf(idx, ilen, "[%lu]", i);
		break;
	default:
		snprintf(idx, ilen, "[%lu]", i);
		break;
	}
}

static void
change(FILE *fp, const char *mod, const char *kind, const char *name,
    const char *idx, const char *after, unsigned long i, const char *unknown)
{
	char modaddr[256];

	/* In JSON an escaped quote stays escaped; module_address as given. */
	snprintf(modaddr, sizeof(modaddr), "%s", mod);
	fprintf(fp,
	    ",\n{\"address\":\"%s%s%s.%s%s\",%s%s%s\"mode\":\"managed\","
	    "\"type\":\"%s\",\"name\":\"%s\",\"provider_name\":"
	    "\"registry.terraform.io/hashicorp/aws\",\"change\":{\"actions\":"
	    "[\"%s\"],\"before\":null,\"after\":%s",
	    mod, *mod ? "." : "", kind, name, idx,
	    *mod ? "\"module_address\":\"" : "", modaddr, *mod ? "\"," : "",
	    kind, name, i % 10 ? "create" : "update", after);
	tags(fp, i);
	fprintf(fp,
	    "},\"after_unknown\":{\"id\":true,\"arn\":true%s},"
	    "\"before_sensitive\":false,\"after_sensitive\":{\"tags\":{}}}}",
	    unknown);
}

int
main(int argc, char **argv)
{
	unsigned long long want;
	unsigned long i;
	char mod[128], idx[64], name[32], after[512];
	FILE *fp;
	long pos;

	if (argc != 3) {
		fprintf(stderr, "usage: gen_tfplan OUT.json MEGABYTES\n");
		return 2;
	}
	want = strtoull(argv[2], NULL, 10) << 20;
	if ((fp = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	fputs("{\"format_version\":\"1.2\",\"terraform_version\":\"1.5.7\","
	      "\"planned_values\":{\"root_module\":{}},\"resource_changes\":[",
	    fp);
	fputs(
	    "\n{\"address\":\"null_resource.first\",\"mode\":\"managed\","
	    "\"type\":\"null_resource\",\"name\":\"first\",\"provider_name\":"
	    "\"registry.terraform.io/hashicorp/null\",\"change\":{\"actions\":"
	    "[\"create\"],\"before\":null,\"after\":{},\"after_unknown\":"
	    "{\"id\":true}}}",
	    fp);
	for (i = 0;; i++) {
		if ((pos = ftell(fp)) < 0 || (unsigned long long)pos >= want)
			break;
		placement(i, mod, sizeof(mod), idx, sizeof(idx));
		if (i % 10 == 0) {
			/*
			 * A group with an inline rule and a rule joined to it
			 * by value (the group exists: its id is known), and a
			 * bucket with its block joined by value: the targets
			 * and parts the adapter spills until the joins.
			 */
			snprintf(name, sizeof(name), "g%lu", i);
			snprintf(after, sizeof(after),
			    "{\"id\":\"sg-%08lx\",\"name\":\"g\","
			    "\"egress\":[],\"ingress\":[{"
			    "\"protocol\":\"tcp\",\"from_port\":443,"
			    "\"to_port\":443,\"cidr_blocks\":[\"0.0.0.0/0\"],"
			    "\"ipv6_cidr_blocks\":[]}]",
			    i);
			change(fp, mod, "aws_security_group", name, "", after,
			    i, "");
			snprintf(after, sizeof(after),
			    "{\"security_group_id\":\"sg-%08lx\","
			    "\"ip_protocol\":\"tcp\",\"from_port\":%d,"
			    "\"to_port\":%d,\"cidr_ipv4\":\"%s\"",
			    i, i % 30 ? 443 : 22, i % 30 ? 443 : 22,
			    i % 30 ? "10.0.0.0/8" : "0.0.0.0/0");
			change(fp, mod, "aws_vpc_security_group_ingress_rule",
			    name, "", after, i, "");
			snprintf(name, sizeof(name), "b%lu", i);
			snprintf(after, sizeof(after),
			    "{\"bucket\":\"bench-%lu\"", i);
			change(
			    fp, mod, "aws_s3_bucket", name, "", after, i, "");
			snprintf(after, sizeof(after),
			    "{\"bucket\":\"bench-%lu\",\"block_public_acls\":"
			    "true,\"block_public_policy\":true,"
			    "\"ignore_public_acls\":true,"
			    "\"restrict_public_buckets\":true",
			    i);
			change(fp, mod, "aws_s3_bucket_public_access_block",
			    name, "", after, i, "");
			continue;
		}
		change(fp, mod, kinds[i % NKINDS], "r", idx,
		    after_of(kinds[i % NKINDS], i), i, "");
	}
	fputs(
	    "\n],\"configuration\":{\"root_module\":{\"resources\":[],"
	    "\"module_calls\":{\"data\":{\"module\":{\"resources\":[]}}}}}}\n",
	    fp);
	if (fclose(fp) != 0) {
		perror(argv[1]);
		return 1;
	}
	printf("%lu resource changes\n", i + 1);
	return 0;
}
