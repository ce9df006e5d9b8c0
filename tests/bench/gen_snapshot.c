/*
 * gen_snapshot.c: write a synthetic AWS Config snapshot of at least the
 * requested size, for the loader benchmark.
 *
 *     gen_snapshot OUT.json MEGABYTES
 *
 * The shape is what `aws configservice deliver-config-snapshot` drops in
 * S3: {"fileVersion", "configSnapshotId", "configurationItems": [...]},
 * one item per line, cycling through S3 buckets (with their
 * supplementaryConfiguration), security groups with ipPermissions, IAM
 * users, EC2 instances, EBS volumes and RDS instances: the types the
 * aws-config adapter maps and the shipped AWS checks read, with a mix of
 * passing and failing resources for each check.  As in real snapshots, some
 * `configuration` and `supplementaryConfiguration` values are JSON text
 * in a string, and a few strings carry non-ASCII characters and escapes.
 * Output is deterministic (fixed seed).  Written for speed, not beauty:
 * 500 MB takes a few seconds.
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

	if (o->len + 8192 > sizeof(o->buf))
		flush(o);
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, sizeof(o->buf) - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(o->buf) - o->len) {
		fprintf(stderr, "gen_snapshot: item too long\n");
		exit(1);
	}
	o->len += (size_t)n;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static const char *const regions[] = { "us-east-1", "us-west-2", "eu-west-1",
	"us-gov-west-1" };
static const char *const owners[] = { "platform", "payments", "data-eng",
	"s\\u00e9curit\\u00e9", "Zo\xc3\xab's team",
	"\xe6\x97\xa5\xe6\x9c\xac" };

static void
common(struct out *o, unsigned long i, const char *type, const char *id,
    const char *arn)
{
	const char *region = regions[i % 4];

	put(o,
	    "{\"version\":\"1.3\",\"accountId\":\"123456789012\","
	    "\"configurationItemCaptureTime\":\"2024-%02lu-%02luT%02lu:%02lu:"
	    "%02lu.%03luZ\",\"configurationItemStatus\":\"OK\","
	    "\"configurationStateId\":\"%lu\",\"configurationItemMD5Hash\":"
	    "\"\",\"ARN\":\"%s\",\"resourceType\":\"%s\",\"resourceId\":"
	    "\"%s\",\"resourceName\":\"%s\",\"awsRegion\":\"%s\","
	    "\"availabilityZone\":\"%s\",\"resourceCreationTime\":"
	    "\"2023-%02lu-%02luT00:00:00.000Z\",\"tags\":{\"Name\":\"%s\","
	    "\"owner\":\"%s\",\"env\":\"%s\",\"cost-center\":\"%u\"},"
	    "\"relatedEvents\":[],",
	    i % 12 + 1, i % 28 + 1, i % 24, i % 60, (i * 7) % 60, i % 1000,
	    1700000000000ul + i, arn, type, id, id, region,
	    strcmp(type, "AWS::EC2::Instance") == 0 ? "us-east-1a"
						    : "Not Applicable",
	    i % 12 + 1, i % 28 + 1, id, owners[i % 6],
	    i % 3 ? "prod" : "staging", rnd() % 10000);
}

static void
bucket(struct out *o, unsigned long i)
{
	char id[64], arn[128];

	snprintf(id, sizeof(id), "rampart-bench-bucket-%06lu", i);
	snprintf(arn, sizeof(arn), "arn:aws:s3:::%s", id);
	common(o, i, "AWS::S3::Bucket", id, arn);
	put(o,
	    "\"relationships\":[],\"configuration\":{\"name\":\"%s\","
	    "\"owner\":{\"displayName\":null,\"id\":\"%08x%08x%08x%08x\"},"
	    "\"creationDate\":\"2023-01-01T00:00:00.000Z\"},"
	    "\"supplementaryConfiguration\":{\"AccessControlList\":"
	    "\"{\\\"grantSet\\\":null,\\\"grantList\\\":[{\\\"grantee\\\":"
	    "{\\\"id\\\":\\\"%08x\\\",\\\"displayName\\\":null},"
	    "\\\"permission\\\":\\\"FullControl\\\"}],\\\"owner\\\":"
	    "{\\\"displayName\\\":null,\\\"id\\\":\\\"%08x\\\"},"
	    "\\\"isRequesterCharged\\\":false}\","
	    "\"BucketLoggingConfiguration\":{\"destinationBucketName\":%s,"
	    "\"logFilePrefix\":null},\"BucketPolicy\":{\"policyText\":%s},"
	    "\"BucketVersioningConfiguration\":{\"status\":\"%s\","
	    "\"isMfaDeleteEnabled\":null},"
	    "\"ServerSideEncryptionConfiguration\":{\"rules\":[{"
	    "\"applyServerSideEncryptionByDefault\":{\"sseAlgorithm\":\"%s\","
	    "\"kmsMasterKeyID\":null},\"bucketKeyEnabled\":%s}]},"
	    "\"PublicAccessBlockConfiguration\":{\"blockPublicAcls\":%s,"
	    "\"ignorePublicAcls\":true,\"blockPublicPolicy\":true,"
	    "\"restrictPublicBuckets\":%s},\"IsRequesterPaysEnabled\":false}}",
	    id, rnd(), rnd(), rnd(), rnd(), rnd(), rnd(),
	    i % 4 ? "\"central-logs\"" : "null",
	    i % 5
		? "null"
		: "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":"
		  "[{\\\"Effect\\\":\\\"Deny\\\",\\\"Principal\\\":\\\"*\\\","
		  "\\\"Action\\\":\\\"s3:*\\\",\\\"Condition\\\":{\\\"Bool\\\":"
		  "{\\\"aws:SecureTransport\\\":\\\"false\\\"}}}]}\"",
	    i % 3 ? "Enabled" : "Off", i % 2 ? "aws:kms" : "AES256",
	    i % 2 ? "true" : "false", i % 7 ? "true" : "false",
	    i % 9 ? "true" : "false");
}

static void
secgroup(struct out *o, unsigned long i)
{
	char id[64], arn[128];
	unsigned k, n = 1 + i % 5;

	snprintf(id, sizeof(id), "sg-%08lx%09u", i, rnd() % 1000000000u);
	snprintf(arn, sizeof(arn),
	    "arn:aws:ec2:us-east-1:123456789012:security-group/%s", id);
	common(o, i, "AWS::EC2::SecurityGroup", id, arn);
	put(o,
	    "\"relationships\":[{\"resourceType\":\"AWS::EC2::VPC\","
	    "\"resourceId\":\"vpc-%08x\",\"relationshipName\":\"Is contained "
	    "in Vpc\"}],\"configuration\":{\"description\":\"bench group "
	    "%lu \\u2013 \\\"web\\\" tier\",\"groupName\":\"web-%lu\","
	    "\"ipPermissions\":[",
	    rnd(), i, i);
	for (k = 0; k < n; k++) {
		unsigned port = k == 0 && i % 4 == 0 ? 22 : 443 + k;

		put(o,
		    "%s{\"fromPort\":%u,\"ipProtocol\":\"tcp\",\"ipv6Ranges\":"
		    "[{\"cidrIpv6\":\"::/0\"}],\"prefixListIds\":[],\"toPort\":"
		    "%u,\"userIdGroupPairs\":[],\"ipv4Ranges\":[{\"cidrIp\":"
		    "\"%s\",\"description\":\"rule "
		    "%u\"}],\"ipRanges\":[\"%s\"]}",
		    k ? "," : "", port, port,
		    port == 22 ? "0.0.0.0/0" : "10.0.0.0/8", k,
		    port == 22 ? "0.0.0.0/0" : "10.0.0.0/8");
	}
	put(o,
	    "],\"ownerId\":\"123456789012\",\"groupId\":\"%s\","
	    "\"ipPermissionsEgress\":[{\"ipProtocol\":\"-1\",\"ipv6Ranges\":"
	    "[],\"prefixListIds\":[],\"userIdGroupPairs\":[],\"ipv4Ranges\":"
	    "[{\"cidrIp\":\"0.0.0.0/0\"}],\"ipRanges\":[\"0.0.0.0/0\"]}],"
	    "\"tags\":[{\"key\":\"Name\",\"value\":\"web-%lu\"}],\"vpcId\":"
	    "\"vpc-%08x\"},\"supplementaryConfiguration\":{}}",
	    id, i, rnd());
}

static void
iamuser(struct out *o, unsigned long i)
{
	char id[64], arn[128];

	snprintf(id, sizeof(id), "AIDA%016lX", i * 2654435761ul);
	snprintf(arn, sizeof(arn), "arn:aws:iam::123456789012:user/user%lu", i);
	common(o, i, "AWS::IAM::User", id, arn);
	put(o,
	    "\"relationships\":[{\"resourceType\":\"AWS::IAM::Group\","
	    "\"resourceName\":\"developers\",\"relationshipName\":\"Is "
	    "attached to Group\"}],\"configuration\":\"{\\\"path\\\":"
	    "\\\"/\\\",\\\"userName\\\":\\\"user%lu\\\",\\\"userId\\\":"
	    "\\\"%s\\\",\\\"arn\\\":\\\"%s\\\",\\\"createDate\\\":"
	    "\\\"2023-03-0%luT12:00:00.000Z\\\",\\\"userPolicyList\\\":"
	    "[{\\\"policyName\\\":\\\"inline\\\",\\\"policyDocument\\\":"
	    "\\\"%%7B%%22Version%%22%%3A%%222012-10-17%%22%%2C%%22Statement"
	    "%%22%%3A%%5B%%7B%%22Effect%%22%%3A%%22Allow%%22%%2C%%22Action"
	    "%%22%%3A%%22%s%%22%%2C%%22Resource%%22%%3A%%22*%%22%%7D%%5D%%7D"
	    "\\\"}],\\\"groupList\\\":[\\\"developers\\\"],"
	    "\\\"attachedManagedPolicies\\\":[{\\\"policyName\\\":"
	    "\\\"ReadOnlyAccess\\\",\\\"policyArn\\\":\\\"arn:aws:iam::aws:"
	    "policy/ReadOnlyAccess\\\"}],\\\"permissionsBoundary\\\":null,"
	    "\\\"tags\\\":[]}\",\"supplementaryConfiguration\":{}}",
	    i, id, arn, i % 9 + 1, i % 10 ? "s3%3AGetObject" : "*");
}

static void
instance(struct out *o, unsigned long i)
{
	char id[64], arn[128];

	snprintf(id, sizeof(id), "i-%017lx", i * 11400714819323198485ul);
	snprintf(arn, sizeof(arn),
	    "arn:aws:ec2:us-east-1:123456789012:instance/%s", id);
	common(o, i, "AWS::EC2::Instance", id, arn);
	put(o,
	    "\"relationships\":[{\"resourceType\":\"AWS::EC2::Volume\","
	    "\"resourceId\":\"vol-%08x\",\"relationshipName\":\"Is attached "
	    "to Volume\"},{\"resourceType\":\"AWS::EC2::SecurityGroup\","
	    "\"resourceId\":\"sg-%08x\",\"relationshipName\":\"Is associated "
	    "with SecurityGroup\"}],\"configuration\":{\"amiLaunchIndex\":0,"
	    "\"imageId\":\"ami-%08x\",\"instanceId\":\"%s\",\"instanceType\":"
	    "\"%s\",\"launchTime\":\"2024-01-0%luT08:00:00.000Z\","
	    "\"monitoring\":{\"state\":\"disabled\"},\"placement\":"
	    "{\"availabilityZone\":\"us-east-1a\",\"groupName\":\"\","
	    "\"tenancy\":\"default\"},\"privateIpAddress\":\"10.%lu.%lu.%lu\","
	    "\"publicIpAddress\":%s,\"state\":{\"code\":16,\"name\":"
	    "\"running\"},\"subnetId\":\"subnet-%08x\",\"vpcId\":"
	    "\"vpc-%08x\",\"architecture\":\"x86_64\",\"blockDeviceMappings\":"
	    "[{\"deviceName\":\"/dev/xvda\",\"ebs\":{\"attachTime\":"
	    "\"2024-01-01T08:00:01.000Z\",\"deleteOnTermination\":true,"
	    "\"status\":\"attached\",\"volumeId\":\"vol-%08x\"}}],"
	    "\"ebsOptimized\":%s,\"enaSupport\":true,\"hypervisor\":\"xen\","
	    "\"iamInstanceProfile\":{\"arn\":\"arn:aws:iam::123456789012:"
	    "instance-profile/app\",\"id\":\"AIPA%08X\"},"
	    "\"networkInterfaces\":[{\"attachment\":{\"attachTime\":"
	    "\"2024-01-01T08:00:00.000Z\",\"attachmentId\":\"eni-attach-%08x\","
	    "\"deleteOnTermination\":true,\"deviceIndex\":0,\"status\":"
	    "\"attached\"},\"description\":\"\",\"groups\":[{\"groupName\":"
	    "\"web\",\"groupId\":\"sg-%08x\"}],\"ipv6Addresses\":[],"
	    "\"macAddress\":\"0e:%02x:%02x:%02x:%02x:%02x\","
	    "\"networkInterfaceId\":\"eni-%08x\",\"privateIpAddresses\":"
	    "[{\"primary\":true,\"privateIpAddress\":\"10.%lu.%lu.%lu\"}],"
	    "\"sourceDestCheck\":true,\"status\":\"in-use\"}],"
	    "\"rootDeviceName\":\"/dev/xvda\",\"rootDeviceType\":\"ebs\","
	    "\"securityGroups\":[{\"groupName\":\"web\",\"groupId\":"
	    "\"sg-%08x\"}],\"virtualizationType\":\"hvm\",\"cpuOptions\":"
	    "{\"coreCount\":%lu,\"threadsPerCore\":2},\"metadataOptions\":"
	    "{\"state\":\"applied\",\"httpTokens\":\"%s\","
	    "\"httpPutResponseHopLimit\":1,\"httpEndpoint\":\"enabled\"},"
	    "\"cpuUtilisation\":%lu.%02lu,\"credits\":%lue%lu},"
	    "\"supplementaryConfiguration\":{}}",
	    rnd(), rnd(), rnd(), id, i % 2 ? "t3.micro" : "m5.large", i % 9 + 1,
	    i % 256, (i >> 8) % 256, (i >> 16) % 256,
	    i % 6 ? "null" : "\"54.1.2.3\"", rnd(), rnd(), rnd(),
	    i % 2 ? "true" : "false", rnd(), rnd(), rnd(), rnd() % 256,
	    rnd() % 256, rnd() % 256, rnd() % 256, rnd() % 256, rnd(), i % 256,
	    (i >> 8) % 256, (i >> 16) % 256, rnd(), 1 + i % 4,
	    i % 3 ? "required" : "optional", i % 100, i % 100, i % 10 + 1,
	    i % 3);
}

static void
volume(struct out *o, unsigned long i)
{
	char id[64], arn[128];

	snprintf(id, sizeof(id), "vol-%017lx", i * 0x9E3779B97F4A7C15ul);
	snprintf(arn, sizeof(arn),
	    "arn:aws:ec2:us-east-1:123456789012:volume/%s", id);
	common(o, i, "AWS::EC2::Volume", id, arn);
	put(o,
	    "\"relationships\":[{\"resourceType\":\"AWS::EC2::Instance\","
	    "\"resourceId\":\"i-%08x\",\"relationshipName\":\"Is attached "
	    "to Instance\"}],\"configuration\":{\"attachments\":[{"
	    "\"attachTime\":\"2024-01-01T08:00:01.000Z\",\"device\":"
	    "\"/dev/xvda\",\"instanceId\":\"i-%08x\",\"state\":"
	    "\"attached\",\"volumeId\":\"%s\",\"deleteOnTermination\":"
	    "true}],\"availabilityZone\":\"us-east-1a\",\"createTime\":"
	    "\"2024-01-01T08:00:00.000Z\",\"encrypted\":%s,\"kmsKeyId\":%s,"
	    "\"size\":%lu,\"snapshotId\":\"\",\"state\":\"in-use\","
	    "\"volumeId\":\"%s\",\"iops\":%lu,\"tags\":[],\"volumeType\":"
	    "\"gp3\",\"multiAttachEnabled\":false,\"throughput\":125},"
	    "\"supplementaryConfiguration\":{}}",
	    rnd(), rnd(), id, i % 5 ? "true" : "false",
	    i % 5 ? "\"arn:aws:kms:us-east-1:123456789012:key/bench\"" : "null",
	    8 + i % 500, id, 3000 + i % 1000);
}

static void
rds(struct out *o, unsigned long i)
{
	char id[64], arn[128];

	snprintf(id, sizeof(id), "db-%016lX", i * 2654435761ul);
	snprintf(arn, sizeof(arn),
	    "arn:aws:rds:us-east-1:123456789012:db:bench-%lu", i);
	common(o, i, "AWS::RDS::DBInstance", id, arn);
	put(o,
	    "\"relationships\":[{\"resourceType\":\"AWS::EC2::SecurityGroup\","
	    "\"resourceId\":\"sg-%08x\",\"relationshipName\":\"Is "
	    "associated with SecurityGroup\"}],\"configuration\":{"
	    "\"dBInstanceIdentifier\":\"bench-%lu\",\"dBInstanceClass\":"
	    "\"db.t3.medium\",\"engine\":\"%s\",\"dBInstanceStatus\":"
	    "\"available\",\"masterUsername\":\"admin\",\"endpoint\":{"
	    "\"address\":\"bench-%lu.abc.us-east-1.rds.amazonaws.com\","
	    "\"port\":5432,\"hostedZoneId\":\"Z2R2ITUGPM61AM\"},"
	    "\"allocatedStorage\":%lu,\"instanceCreateTime\":"
	    "\"2023-06-01T00:00:00.000Z\",\"preferredBackupWindow\":"
	    "\"03:00-04:00\",\"backupRetentionPeriod\":%lu,"
	    "\"vpcSecurityGroups\":[{\"vpcSecurityGroupId\":\"sg-%08x\","
	    "\"status\":\"active\"}],\"multiAZ\":%s,\"engineVersion\":"
	    "\"15.4\",\"autoMinorVersionUpgrade\":true,"
	    "\"publiclyAccessible\":%s,\"storageType\":\"gp3\","
	    "\"storageEncrypted\":%s,\"kmsKeyId\":%s,\"dbiResourceId\":"
	    "\"db-%08X\",\"deletionProtection\":%s,"
	    "\"iAMDatabaseAuthenticationEnabled\":false,"
	    "\"performanceInsightsEnabled\":false},"
	    "\"supplementaryConfiguration\":{}}",
	    rnd(), i, i % 2 ? "postgres" : "mysql", i, 20 + i % 200,
	    i % 7 ? 7 + i % 30 : 1ul, rnd(), i % 3 ? "true" : "false",
	    i % 11 ? "false" : "true", i % 6 ? "true" : "false",
	    i % 6 ? "\"arn:aws:kms:us-east-1:123456789012:key/bench\"" : "null",
	    rnd(), i % 4 ? "true" : "false");
}

int
main(int argc, char **argv)
{
	static struct out o;
	unsigned long long want;
	unsigned long i;

	if (argc != 3) {
		fprintf(stderr, "usage: gen_snapshot OUT.json MEGABYTES\n");
		return 2;
	}
	want = strtoull(argv[2], NULL, 10) << 20;
	if ((o.fp = fopen(argv[1], "wb")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	put(&o,
	    "{\"fileVersion\":\"1.0\",\"configSnapshotId\":"
	    "\"5a5a4d0e-bench-4f8a-9a0b-rampart00001\",\"configurationItems\":"
	    "[\n");
	for (i = 0; o.total + o.len < want; i++) {
		if (i > 0)
			put(&o, ",\n");
		switch (i % 6) {
		case 0:
			bucket(&o, i / 6);
			break;
		case 1:
			secgroup(&o, i / 6);
			break;
		case 2:
			iamuser(&o, i / 6);
			break;
		case 3:
			instance(&o, i / 6);
			break;
		case 4:
			volume(&o, i / 6);
			break;
		default:
			rds(&o, i / 6);
			break;
		}
	}
	put(&o, "\n]}\n");
	flush(&o);
	if (fclose(o.fp) != 0) {
		perror(argv[1]);
		return 1;
	}
	printf("%s: %lu items, %llu bytes\n", argv[1], i, o.total);
	return 0;
}
