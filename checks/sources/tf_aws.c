/*
 * tf_aws.c: the hashicorp/aws provider's plan attributes mapped onto the
 * AWS CLI shapes of docs/resources.md, one table.  Defaults are used only
 * where the provider's documentation states them (registry.terraform.io
 * /providers/hashicorp/aws/latest/docs/resources/<name>, quoted in `src`);
 * every other attribute left null or unknown in the plan is absent or
 * unreadable, never guessed.  docs/terraform.md prints this table.
 */
#include "checks/sources/terraform.h"

#define DOC "hashicorp/aws docs, "
#define UNK "IpProtocol"

/* ---------------------------------------------------- security groups */

/* An inline ingress/egress block of aws_security_group. */
static const struct tf_attr sg_inline[] = { { .from = "protocol",
						.to = "IpProtocol" },
	{ .from = "from_port", .to = "FromPort" },
	{ .from = "to_port", .to = "ToPort" },
	{ .from = "cidr_blocks",
	    .to = "IpRanges",
	    .conv = TF_WRAP,
	    .wrap = "CidrIp" },
	{ .from = "ipv6_cidr_blocks",
	    .to = "Ipv6Ranges",
	    .conv = TF_WRAP,
	    .wrap = "CidrIpv6" },
	{ .from = "prefix_list_ids",
	    .to = "PrefixListIds",
	    .conv = TF_WRAP,
	    .wrap = "PrefixListId" },
	{ .from = "security_groups",
	    .to = "UserIdGroupPairs",
	    .conv = TF_WRAP,
	    .wrap = "GroupId" },
	{ .from = NULL } };

static const struct tf_attr sg[] = {
	{ .from = "id", .to = "GroupId", .ident = 1 },
	{ .from = "name", .to = "GroupName" },
	{ .from = "vpc_id", .to = "VpcId", .ident = 1 },
	{ .from = "ingress",
	    .to = "IpPermissions",
	    .conv = TF_LIST,
	    .sub = sg_inline,
	    .unknown_as = UNK },
	{ .from = "egress",
	    .to = "IpPermissionsEgress",
	    .conv = TF_LIST,
	    .sub = sg_inline,
	    .unknown_as = UNK },
	{ .from = NULL }
};

static const struct tf_attr sg_rule[] = { { .from = "protocol",
					      .to = "IpProtocol" },
	{ .from = "from_port", .to = "FromPort" },
	{ .from = "to_port", .to = "ToPort" },
	{ .from = "cidr_blocks",
	    .to = "IpRanges",
	    .conv = TF_WRAP,
	    .wrap = "CidrIp" },
	{ .from = "ipv6_cidr_blocks",
	    .to = "Ipv6Ranges",
	    .conv = TF_WRAP,
	    .wrap = "CidrIpv6" },
	{ .from = "prefix_list_ids",
	    .to = "PrefixListIds",
	    .conv = TF_WRAP,
	    .wrap = "PrefixListId" },
	{ .from = "source_security_group_id",
	    .to = "UserIdGroupPairs",
	    .conv = TF_WRAP,
	    .wrap = "GroupId" },
	{ .from = NULL } };

static const struct tf_attr vpc_sg_rule[] = { { .from = "ip_protocol",
						  .to = "IpProtocol" },
	{ .from = "from_port", .to = "FromPort" },
	{ .from = "to_port", .to = "ToPort" },
	{ .from = "cidr_ipv4",
	    .to = "IpRanges",
	    .conv = TF_WRAP,
	    .wrap = "CidrIp" },
	{ .from = "cidr_ipv6",
	    .to = "Ipv6Ranges",
	    .conv = TF_WRAP,
	    .wrap = "CidrIpv6" },
	{ .from = "prefix_list_id",
	    .to = "PrefixListIds",
	    .conv = TF_WRAP,
	    .wrap = "PrefixListId" },
	{ .from = "referenced_security_group_id",
	    .to = "UserIdGroupPairs",
	    .conv = TF_WRAP,
	    .wrap = "GroupId" },
	{ .from = NULL } };

/* ---------------------------------------------------------- network ACLs */

static const struct tf_attr nacl_in[] = {
	{ .from = "rule_no", .to = "RuleNumber" },
	{ .from = "action", .to = "RuleAction" },
	{ .from = "protocol", .to = "Protocol" },
	{ .from = "cidr_block", .to = "CidrBlock" },
	{ .from = "ipv6_cidr_block", .to = "Ipv6CidrBlock" },
	{ .from = "from_port", .to = "PortRange.From" },
	{ .from = "to_port", .to = "PortRange.To" },
	{ .to = "Egress", .conv = TF_CONST, .def = "false" }, { .from = NULL }
};

static const struct tf_attr nacl_out[] = { { .from = "rule_no",
					       .to = "RuleNumber" },
	{ .from = "action", .to = "RuleAction" },
	{ .from = "protocol", .to = "Protocol" },
	{ .from = "cidr_block", .to = "CidrBlock" },
	{ .from = "ipv6_cidr_block", .to = "Ipv6CidrBlock" },
	{ .from = "from_port", .to = "PortRange.From" },
	{ .from = "to_port", .to = "PortRange.To" },
	{ .to = "Egress", .conv = TF_CONST, .def = "true" }, { .from = NULL } };

static const struct tf_attr nacl[] = {
	{ .from = "id", .to = "NetworkAclId", .ident = 1 },
	{ .from = "vpc_id", .to = "VpcId", .ident = 1 },
	{ .from = "ingress", .to = "Entries", .conv = TF_LIST, .sub = nacl_in },
	{ .from = "egress", .to = "Entries", .conv = TF_LIST, .sub = nacl_out },
	{ .from = NULL }
};

static const struct tf_attr nacl_rule[] = { { .from = "rule_number",
						.to = "RuleNumber" },
	{ .from = "rule_action", .to = "RuleAction" },
	{ .from = "protocol", .to = "Protocol" },
	{ .from = "cidr_block", .to = "CidrBlock" },
	{ .from = "ipv6_cidr_block", .to = "Ipv6CidrBlock" },
	{ .from = "from_port", .to = "PortRange.From" },
	{ .from = "to_port", .to = "PortRange.To" },
	{ .from = "egress",
	    .to = "Egress",
	    .def = "false",
	    .src = DOC "aws_network_acl_rule: egress 'Default false'" },
	{ .from = NULL } };

/* ------------------------------------------------------------------ S3 */

#define OWNER \
	"{\"Grantee\": {\"Type\": \"CanonicalUser\", \"ID\": \"(bucket " \
	"owner)\"}, \"Permission\": \"FULL_CONTROL\"}"
#define GROUP(g, p) \
	"{\"Grantee\": {\"Type\": \"Group\", \"URI\": " \
	"\"http://acs.amazonaws.com/groups/" g "\"}, \"Permission\": \"" p \
	"\"}"

/* Canned ACLs (S3 User Guide, "Canned ACL") as the grants they make. */
static const struct tf_enum canned_acl[] = { { "private", "[" OWNER "]" },
	{ "public-read", "[" OWNER ", " GROUP("global/AllUsers", "READ") "]" },
	{ "public-read-write",
	    "[" OWNER ", " GROUP("global/AllUsers", "READ") ", " GROUP(
		"global/AllUsers", "WRITE") "]" },
	{ "authenticated-read",
	    "[" OWNER ", " GROUP("global/AuthenticatedUsers", "READ") "]" },
	{ "log-delivery-write",
	    "[" OWNER ", " GROUP("s3/LogDelivery", "WRITE") ", " GROUP(
		"s3/LogDelivery", "READ_ACP") "]" },
	{ "aws-exec-read",
	    "[" OWNER ", {\"Grantee\": {\"Type\": \"CanonicalUser\", "
	    "\"ID\": \"(Amazon EC2)\"}, \"Permission\": \"READ\"}]" },
	{ "bucket-owner-read", "[" OWNER "]" },
	{ "bucket-owner-full-control", "[" OWNER "]" }, { NULL, NULL } };

static const struct tf_attr sse_default[] = { { .from = "sse_algorithm",
						  .to = "SSEAlgorithm" },
	{ .from = "kms_master_key_id", .to = "KMSMasterKeyID" },
	{ .from = NULL } };

static const struct tf_attr sse_rule[] = {
	{ .from = "apply_server_side_encryption_by_default",
	    .to = "ApplyServerSideEncryptionByDefault",
	    .conv = TF_BLOCK,
	    .sub = sse_default },
	{ .from = "bucket_key_enabled", .to = "BucketKeyEnabled" },
	{ .from = NULL }
};

static const struct tf_attr sse_inline[] = {
	{ .from = "rule", .to = "Rules", .conv = TF_LIST, .sub = sse_rule },
	{ .from = NULL }
};

static const struct tf_attr s3_bucket[] = { { .from = "bucket", .to = "Name" },
	{ .from = "server_side_encryption_configuration",
	    .to = "ServerSideEncryptionConfiguration",
	    .conv = TF_BLOCK,
	    .sub = sse_inline,
	    .joinable = 1 },
	{ .from = "acl",
	    .to = "Grants",
	    .conv = TF_ENUM,
	    .enums = canned_acl,
	    .joinable = 1 },
	{ .from = "policy", .to = "Policy", .conv = TF_JSON, .joinable = 1 },
	{ .from = NULL } };

static const struct tf_attr s3_sse[] = {
	{ .from = "rule", .to = "Rules", .conv = TF_LIST, .sub = sse_rule },
	{ .from = NULL }
};

#define PAB_SRC DOC "aws_s3_bucket_public_access_block: 'Defaults to false'"

static const struct tf_attr s3_pab[] = { { .from = "block_public_acls",
					     .to = "BlockPublicAcls",
					     .def = "false",
					     .src = PAB_SRC },
	{ .from = "block_public_policy",
	    .to = "BlockPublicPolicy",
	    .def = "false",
	    .src = PAB_SRC },
	{ .from = "ignore_public_acls",
	    .to = "IgnorePublicAcls",
	    .def = "false",
	    .src = PAB_SRC },
	{ .from = "restrict_public_buckets",
	    .to = "RestrictPublicBuckets",
	    .def = "false",
	    .src = PAB_SRC },
	{ .from = NULL } };

#define APAB_SRC DOC "aws_s3_account_public_access_block: 'Defaults to false'"

static const struct tf_attr s3_account_pab[] = {
	{ .from = "account_id", .to = "AccountId", .ident = 1 },
	{ .from = "block_public_acls",
	    .to = "PublicAccessBlockConfiguration.BlockPublicAcls",
	    .def = "false",
	    .src = APAB_SRC },
	{ .from = "block_public_policy",
	    .to = "PublicAccessBlockConfiguration.BlockPublicPolicy",
	    .def = "false",
	    .src = APAB_SRC },
	{ .from = "ignore_public_acls",
	    .to = "PublicAccessBlockConfiguration.IgnorePublicAcls",
	    .def = "false",
	    .src = APAB_SRC },
	{ .from = "restrict_public_buckets",
	    .to = "PublicAccessBlockConfiguration.RestrictPublicBuckets",
	    .def = "false",
	    .src = APAB_SRC },
	{ .from = NULL }
};

static const struct tf_attr s3_policy[] = {
	{ .from = "policy", .to = "Policy", .conv = TF_JSON }, { .from = NULL }
};

static const struct tf_attr acl_grant[] = { { .from = "grantee.0.type",
						.to = "Grantee.Type" },
	{ .from = "grantee.0.uri", .to = "Grantee.URI" },
	{ .from = "grantee.0.id", .to = "Grantee.ID" },
	{ .from = "grantee.0.email_address", .to = "Grantee.EmailAddress" },
	{ .from = "permission", .to = "Permission" }, { .from = NULL } };

static const struct tf_attr s3_acl[] = {
	{ .from = "acl", .to = "Grants", .conv = TF_ENUM, .enums = canned_acl },
	{ .from = "access_control_policy.0.grant",
	    .to = "Grants",
	    .conv = TF_LIST,
	    .sub = acl_grant,
	    .empty_absent = 1,
	    .fallback = 1 },
	{ .from = NULL }
};

static const struct tf_attr s3_versioning[] = {
	{ .from = "versioning_configuration.0.status", .to = "Status" },
	{ .from = "versioning_configuration.0.mfa_delete", .to = "MFADelete" },
	{ .from = NULL }
};

static const struct tf_attr s3_logging[] = {
	{ .from = "target_bucket", .to = "LoggingEnabled.TargetBucket" },
	{ .from = "target_prefix", .to = "LoggingEnabled.TargetPrefix" },
	{ .from = NULL }
};

/* ------------------------------------------------------ load balancers */

static const struct tf_enum scheme[] = {
	{ "true", "\"internal\"" },
	{ "false", "\"internet-facing\"" },
	{ NULL, NULL },
};

static const struct tf_attr lb[] = {
	{ .from = "arn", .to = "LoadBalancerArn", .ident = 1 },
	{ .from = "name", .to = "LoadBalancerName" },
	{ .from = "load_balancer_type", .to = "Type" },
	{ .from = "internal",
	    .to = "Scheme",
	    .conv = TF_ENUM,
	    .enums = scheme },
	{ .from = NULL },
};

/*
 * A listener known only after apply in part makes the balancer's
 * Listeners unreadable: every listener is judged, so none is assumed.
 */
static const struct tf_attr lb_listener[] = {
	{ .from = "arn", .to = "ListenerArn", .ident = 1 },
	{ .from = "protocol", .to = "Protocol" },
	{ .from = "port", .to = "Port" },
	{ .from = "ssl_policy", .to = "SslPolicy" },
	{ .from = "certificate_arn",
	    .to = "Certificates",
	    .conv = TF_WRAP,
	    .wrap = "CertificateArn" },
	{ .from = NULL },
};

/* -------------------------------------------------------- other types */

#define TRAIL DOC "aws_cloudtrail: "

static const struct tf_attr trail_data[] = { { .from = "type", .to = "Type" },
	{ .from = "values", .to = "Values" }, { .from = NULL } };

static const struct tf_attr trail_selector[] = {
	{ .from = "read_write_type",
	    .to = "ReadWriteType",
	    .def = "\"All\"",
	    .src = TRAIL "read_write_type 'Defaults to All'" },
	{ .from = "include_management_events",
	    .to = "IncludeManagementEvents",
	    .def = "true",
	    .src = TRAIL "include_management_events 'Defaults to true'" },
	{ .from = "data_resource",
	    .to = "DataResources",
	    .conv = TF_LIST,
	    .sub = trail_data },
	{ .from = "exclude_management_event_sources",
	    .to = "ExcludeManagementEventSources" },
	{ .from = NULL }
};

static const struct tf_attr trail_field[] = { { .from = "field",
						  .to = "Field" },
	{ .from = "equals", .to = "Equals" },
	{ .from = "not_equals", .to = "NotEquals" },
	{ .from = "starts_with", .to = "StartsWith" },
	{ .from = "not_starts_with", .to = "NotStartsWith" },
	{ .from = "ends_with", .to = "EndsWith" },
	{ .from = "not_ends_with", .to = "NotEndsWith" }, { .from = NULL } };

static const struct tf_attr trail_adv[] = { { .from = "name", .to = "Name" },
	{ .from = "field_selector",
	    .to = "FieldSelectors",
	    .conv = TF_LIST,
	    .sub = trail_field },
	{ .from = NULL } };

/*
 * No selector block in the plan: the provider sets none, and the trail
 * keeps CloudTrail's own default, which the plan does not show; both
 * lists are then left absent and the check that reads them is error.
 */
static const struct tf_attr trail[] = { { .from = "name", .to = "Name" },
	{ .from = "is_multi_region_trail",
	    .to = "IsMultiRegionTrail",
	    .def = "false",
	    .src = TRAIL "is_multi_region_trail 'Defaults to false'" },
	{ .from = "enable_log_file_validation",
	    .to = "LogFileValidationEnabled",
	    .def = "false",
	    .src = TRAIL "enable_log_file_validation 'Defaults to false'" },
	{ .from = "kms_key_id", .to = "KmsKeyId" },
	{ .from = "enable_logging",
	    .to = "Status.IsLogging",
	    .def = "true",
	    .src = TRAIL "enable_logging 'Defaults to true'" },
	{ .from = "event_selector",
	    .to = "EventSelectors",
	    .conv = TF_LIST,
	    .sub = trail_selector,
	    .empty_absent = 1 },
	{ .from = "advanced_event_selector",
	    .to = "AdvancedEventSelectors",
	    .conv = TF_LIST,
	    .sub = trail_adv,
	    .empty_absent = 1 },
	{ .from = NULL } };

static const struct tf_attr log_group[] = { { .from = "name",
						.to = "logGroupName" },
	{ .from = "retention_in_days",
	    .to = "retentionInDays",
	    .conv = TF_ZERO_ABSENT,
	    .def = "0",
	    .src = DOC "aws_cloudwatch_log_group: retention_in_days 'If you "
		       "select 0, the events in the log group are always "
		       "retained and never expire' (the default)" },
	{ .from = "kms_key_id", .to = "kmsKeyId" }, { .from = NULL } };

#define RDS DOC "aws_db_instance: "

static const struct tf_attr db_instance[] = {
	{ .from = "identifier", .to = "DBInstanceIdentifier" },
	{ .from = "engine", .to = "Engine" },
	{ .from = "storage_encrypted",
	    .to = "StorageEncrypted",
	    .def = "false",
	    .src = RDS "storage_encrypted 'Default is false'" },
	{ .from = "kms_key_id", .to = "KmsKeyId" },
	{ .from = "publicly_accessible",
	    .to = "PubliclyAccessible",
	    .def = "false",
	    .src = RDS "publicly_accessible 'Default is false'" },
	{ .from = "backup_retention_period", .to = "BackupRetentionPeriod" },
	{ .from = "multi_az", .to = "MultiAZ" },
	{ .from = "deletion_protection", .to = "DeletionProtection" },
	{ .from = NULL }
};

static const struct tf_attr ebs_default[] = {
	{ .from = "enabled",
	    .to = "EbsEncryptionByDefault",
	    .def = "true",
	    .src = DOC "aws_ebs_encryption_by_default: enabled 'Defaults to "
		       "true'" },
	{ .from = NULL }
};

static const struct tf_attr ebs_volume[] = {
	{ .from = "id", .to = "VolumeId", .ident = 1 },
	{ .from = "availability_zone", .to = "AvailabilityZone", .ident = 1 },
	{ .from = "encrypted", .to = "Encrypted" },
	{ .from = "kms_key_id", .to = "KmsKeyId" },
	{ .from = "size", .to = "Size" },
	{ .from = "type", .to = "VolumeType" }, { .from = NULL }
};

#define PWD DOC "aws_iam_account_password_policy: "

static const struct tf_attr password_policy[] = {
	{ .from = "minimum_password_length",
	    .to = "PasswordPolicy.MinimumPasswordLength",
	    .def = "6",
	    .src = PWD "minimum_password_length 'Defaults to 6'" },
	{ .from = "require_symbols", .to = "PasswordPolicy.RequireSymbols" },
	{ .from = "require_numbers", .to = "PasswordPolicy.RequireNumbers" },
	{ .from = "require_uppercase_characters",
	    .to = "PasswordPolicy.RequireUppercaseCharacters" },
	{ .from = "require_lowercase_characters",
	    .to = "PasswordPolicy.RequireLowercaseCharacters" },
	{ .from = "allow_users_to_change_password",
	    .to = "PasswordPolicy.AllowUsersToChangePassword" },
	{ .from = "max_password_age", .to = "PasswordPolicy.MaxPasswordAge" },
	{ .from = "password_reuse_prevention",
	    .to = "PasswordPolicy.PasswordReusePrevention" },
	{ .from = "hard_expiry", .to = "PasswordPolicy.HardExpiry" },
	{ .from = NULL }
};

/*
 * The policy document Terraform writes is the policy's default (and
 * only) version: the IAM API's CreatePolicy makes it v1, the default.
 */
static const struct tf_attr iam_policy[] = { { .from = "name",
						 .to = "PolicyName" },
	{ .from = "arn", .to = "Arn", .ident = 1 },
	{ .from = "policy", .to = "PolicyVersion.Document" },
	{ .to = "PolicyVersion.VersionId", .conv = TF_CONST, .def = "\"v1\"" },
	{ .to = "PolicyVersion.IsDefaultVersion",
	    .conv = TF_CONST,
	    .def = "true" },
	{ .to = "DefaultVersionId", .conv = TF_CONST, .def = "\"v1\"" },
	{ .from = NULL } };

static const struct tf_attr instance[] = {
	{ .from = "id", .to = "InstanceId", .ident = 1 },
	{ .from = "ami", .to = "ImageId" },
	{ .from = "instance_type", .to = "InstanceType" },
	{ .from = "metadata_options.0.http_tokens",
	    .to = "MetadataOptions.HttpTokens" },
	{ .from = "metadata_options.0.http_endpoint",
	    .to = "MetadataOptions.HttpEndpoint" },
	{ .from = NULL }
};

#define KMS DOC "aws_kms_key: "

static const struct tf_attr kms_key[] = {
	{ .from = "key_id", .to = "KeyId", .ident = 1 },
	{ .from = "arn", .to = "KeyArn", .ident = 1 },
	{ .from = "enable_key_rotation",
	    .to = "KeyRotationEnabled",
	    .def = "false",
	    .src = KMS "enable_key_rotation 'Defaults to false'" },
	{ .to = "KeyMetadata.KeyManager",
	    .conv = TF_CONST,
	    .def = "\"CUSTOMER\"" },
	{ .from = "customer_master_key_spec",
	    .to = "KeyMetadata.KeySpec",
	    .def = "\"SYMMETRIC_DEFAULT\"",
	    .src = KMS "customer_master_key_spec 'Defaults to "
		       "SYMMETRIC_DEFAULT'" },
	{ .from = "key_usage",
	    .to = "KeyMetadata.KeyUsage",
	    .def = "\"ENCRYPT_DECRYPT\"",
	    .src = KMS "key_usage 'Defaults to ENCRYPT_DECRYPT'" },
	{ .from = NULL }
};

/* Sorted by tf name (test_terraform checks it). */
static const struct tf_type types[] = {
	{ .tf = "aws_alb",
	    .type = "AWS::ElasticLoadBalancingV2::LoadBalancer",
	    .attrs = lb,
	    .deferred = 1 },
	{ .tf = "aws_alb_listener",
	    .attrs = lb_listener,
	    .target = "aws_alb",
	    .ref = "load_balancer_arn",
	    .target_key = "arn",
	    .into = "Listeners",
	    .append = 1 },
	{ .tf = "aws_cloudtrail",
	    .type = "AWS::CloudTrail::Trail",
	    .attrs = trail },
	{ .tf = "aws_cloudwatch_log_group",
	    .type = "AWS::Logs::LogGroup",
	    .attrs = log_group },
	{ .tf = "aws_db_instance",
	    .type = "AWS::RDS::DBInstance",
	    .attrs = db_instance },
	{ .tf = "aws_ebs_encryption_by_default",
	    .type = "AWS::EC2::EBSEncryptionByDefault",
	    .attrs = ebs_default },
	{ .tf = "aws_ebs_volume",
	    .type = "AWS::EC2::Volume",
	    .attrs = ebs_volume },
	{ .tf = "aws_iam_account_password_policy",
	    .type = "AWS::IAM::PasswordPolicy",
	    .attrs = password_policy },
	{ .tf = "aws_iam_policy",
	    .type = "AWS::IAM::Policy",
	    .attrs = iam_policy },
	{ .tf = "aws_instance",
	    .type = "AWS::EC2::Instance",
	    .attrs = instance },
	{ .tf = "aws_kms_key", .type = "AWS::KMS::Key", .attrs = kms_key },
	{ .tf = "aws_lb",
	    .type = "AWS::ElasticLoadBalancingV2::LoadBalancer",
	    .attrs = lb,
	    .deferred = 1 },
	{ .tf = "aws_lb_listener",
	    .attrs = lb_listener,
	    .target = "aws_lb",
	    .ref = "load_balancer_arn",
	    .target_key = "arn",
	    .into = "Listeners",
	    .append = 1 },
	{ .tf = "aws_network_acl",
	    .type = "AWS::EC2::NetworkAcl",
	    .attrs = nacl,
	    .deferred = 1 },
	{ .tf = "aws_network_acl_rule",
	    .attrs = nacl_rule,
	    .target = "aws_network_acl",
	    .ref = "network_acl_id",
	    .target_key = "id",
	    .into = "Entries",
	    .append = 1 },
	{ .tf = "aws_s3_account_public_access_block",
	    .type = "AWS::S3::AccountPublicAccessBlock",
	    .attrs = s3_account_pab },
	{ .tf = "aws_s3_bucket",
	    .type = "AWS::S3::Bucket",
	    .attrs = s3_bucket,
	    .deferred = 1 },
	{ .tf = "aws_s3_bucket_acl",
	    .attrs = s3_acl,
	    .target = "aws_s3_bucket",
	    .ref = "bucket",
	    .target_key = "bucket",
	    .into = "Grants",
	    .part_key = "Grants" },
	{ .tf = "aws_s3_bucket_logging",
	    .attrs = s3_logging,
	    .target = "aws_s3_bucket",
	    .ref = "bucket",
	    .target_key = "bucket",
	    .into = "Logging" },
	{ .tf = "aws_s3_bucket_policy",
	    .attrs = s3_policy,
	    .target = "aws_s3_bucket",
	    .ref = "bucket",
	    .target_key = "bucket",
	    .into = "Policy",
	    .part_key = "Policy" },
	{ .tf = "aws_s3_bucket_public_access_block",
	    .attrs = s3_pab,
	    .target = "aws_s3_bucket",
	    .ref = "bucket",
	    .target_key = "bucket",
	    .into = "PublicAccessBlockConfiguration" },
	{ .tf = "aws_s3_bucket_server_side_encryption_configuration",
	    .attrs = s3_sse,
	    .target = "aws_s3_bucket",
	    .ref = "bucket",
	    .target_key = "bucket",
	    .into = "ServerSideEncryptionConfiguration" },
	{ .tf = "aws_s3_bucket_versioning",
	    .attrs = s3_versioning,
	    .target = "aws_s3_bucket",
	    .ref = "bucket",
	    .target_key = "bucket",
	    .into = "Versioning" },
	{ .tf = "aws_security_group",
	    .type = "AWS::EC2::SecurityGroup",
	    .attrs = sg,
	    .deferred = 1 },
	{ .tf = "aws_security_group_rule",
	    .attrs = sg_rule,
	    .target = "aws_security_group",
	    .ref = "security_group_id",
	    .target_key = "id",
	    .into = "IpPermissions",
	    .append = 1,
	    .dir_attr = "type",
	    .dir_value = "egress",
	    .into_alt = "IpPermissionsEgress",
	    .unknown_as = UNK },
	{ .tf = "aws_vpc_security_group_egress_rule",
	    .attrs = vpc_sg_rule,
	    .target = "aws_security_group",
	    .ref = "security_group_id",
	    .target_key = "id",
	    .into = "IpPermissionsEgress",
	    .append = 1,
	    .unknown_as = UNK },
	{ .tf = "aws_vpc_security_group_ingress_rule",
	    .attrs = vpc_sg_rule,
	    .target = "aws_security_group",
	    .ref = "security_group_id",
	    .target_key = "id",
	    .into = "IpPermissions",
	    .append = 1,
	    .unknown_as = UNK },
};

/*
 * A bucket S3 creates has no bucket policy and an ACL granting its owner
 * alone (S3 API CreateBucket without ACL headers; S3 User Guide, "Access
 * control list (ACL) overview"); a group the provider creates has no
 * inbound rules, and the provider removes AWS's default allow-all egress
 * rule ("Terraform will remove this default rule", aws_security_group).
 * Encryption and the public access block of a bucket no part sets are
 * not in the plan: unreadable.
 */
static const struct tf_absent absent[] = {
	{ "aws_s3_bucket", "ServerSideEncryptionConfiguration",
	    "aws_s3_bucket_server_side_encryption_configuration", NULL, 0,
	    NULL },
	{ "aws_s3_bucket", "PublicAccessBlockConfiguration",
	    "aws_s3_bucket_public_access_block", NULL, 0, NULL },
	{ "aws_s3_bucket", "Policy", "aws_s3_bucket_policy", NULL, 1,
	    "S3 CreateBucket: a new bucket has no bucket policy" },
	{ "aws_s3_bucket", "Grants", "aws_s3_bucket_acl", "[" OWNER "]", 0,
	    "S3 CreateBucket without ACL headers: a new bucket's ACL grants "
	    "FULL_CONTROL to its owner alone" },
	{ "aws_security_group", "IpPermissions", "aws_security_group_rule",
	    "[]", 0,
	    "EC2 CreateSecurityGroup: a new group has no inbound rules" },
	{ "aws_security_group", "IpPermissionsEgress",
	    "aws_security_group_rule", "[]", 0,
	    DOC "aws_security_group: 'Terraform will remove this default "
		"rule' (AWS's allow-all egress)" },
	{ "aws_alb", "Listeners", "aws_alb_listener", "[]", 0,
	    "ELBv2 CreateLoadBalancer: a new load balancer has no listener" },
	{ "aws_lb", "Listeners", "aws_lb_listener", "[]", 0,
	    "ELBv2 CreateLoadBalancer: a new load balancer has no listener" },
	{ NULL, NULL, NULL, NULL, 0, NULL }
};

const struct tf_provider tf_aws = {
	.prefix = "aws_",
	.name = "aws",
	.types = types,
	.ntypes = sizeof(types) / sizeof(types[0]),
	.absent = absent,
};
