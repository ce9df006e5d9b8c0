#!/bin/sh
# collect-aws.sh: collect the AWS CLI outputs rampart's "aws-cli" adapter
# reads, with read-only calls only (describe-*, get-*, list-*, plus
# generate-credential-report, which only asks IAM to build the report).
#
# Usage: scripts/collect-aws.sh OUTDIR [REGION...]
#   Regions default to every region enabled for the account
#   (ec2 describe-regions), else $AWS_REGION / $AWS_DEFAULT_REGION.
#   Credentials and profile come from the usual AWS CLI environment.
#
# Layout (docs/resources.md):
#   OUTDIR/<service>/<call>.json              global services (iam, s3api,
#   OUTDIR/<service>/<call>/<name>.json        s3control, sts)
#   OUTDIR/<region>/<service>/<call>.json     regional services
#   OUTDIR/<region>/<service>/<call>/<name>.json
#
# A call that fails is not dropped: its file holds
#   {"Error": {"Code": "<AWS error code>", "Message": "<message>"}}
# so rampart reports the affected checks as `error` (never `pass`), or, for
# codes meaning "not configured" (NoSuchEntity for the password policy...),
# as the evidence that the setting is absent.  The script exits 0 when
# every call succeeded, 1 when some failed (their files say which).
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 OUTDIR [REGION...]" >&2
	exit 2
fi
out=$1
shift
command -v aws >/dev/null 2>&1 || { echo "error: aws CLI not found" >&2; exit 2; }
mkdir -p "$out" || exit 2
# When the evidence was collected: rampart-collection.json at the root,
# read by the aws-cli adapter (docs/resources.md); the scan's evidence age
# is measured from `started`.
collect_started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# Failed calls are counted in a file: some run in pipeline subshells.
failed_log=$out/.collect-failures
: >"$failed_log"

# JSON-escape stdin as the contents of a string (no quotes added).
json_escape() {
	tr -d '\r' | tr '\n\t' '  ' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'
}

# run FILE SERVICE CALL [ARGS...]: one CLI call into FILE.
run() {
	file=$1
	shift
	mkdir -p "$(dirname "$file")"
	if aws "$@" --output json >"$file.tmp" 2>"$file.err"; then
		# Some calls print nothing on success (an empty result).
		[ -s "$file.tmp" ] || echo '{}' >"$file.tmp"
		mv "$file.tmp" "$file"
	else
		code=$(sed -n 's/.*An error occurred (\([A-Za-z0-9_.]*\)).*/\1/p' \
			"$file.err" | head -n 1)
		[ -n "$code" ] || code=CliError
		msg=$(json_escape <"$file.err")
		printf '{"Error": {"Code": "%s", "Message": "%s"}}\n' \
			"$code" "$msg" >"$file"
		rm -f "$file.tmp"
		case $code in
		NoSuchEntity | NoSuchBucketPolicy | NoSuchTagSet | \
			NoSuchPublicAccessBlockConfiguration | \
			ServerSideEncryptionConfigurationNotFoundError)
			;; # the setting is absent: evidence, not a failure
		*)
			echo "warning: aws $1 $2 failed ($code), recorded in $file" >&2
			echo "$file" >>"$failed_log"
			;;
		esac
	fi
	rm -f "$file.err"
}

# names SERVICE CALL QUERY [ARGS...]: the names a listing returns (text).
names() {
	svc=$1
	call=$2
	query=$3
	shift 3
	aws "$svc" "$call" "$@" --query "$query" --output text 2>/dev/null |
		tr '\t' '\n' | grep -v '^None$' | grep -v '^$'
}

# ---------------------------------------------------------------- global
account=$(aws sts get-caller-identity --query Account --output text 2>/dev/null)
run "$out/sts/get-caller-identity.json" sts get-caller-identity

iam=$out/iam
run "$iam/get-account-password-policy.json" iam get-account-password-policy
run "$iam/get-account-summary.json" iam get-account-summary
run "$iam/list-virtual-mfa-devices.json" iam list-virtual-mfa-devices
# The report is built asynchronously: ask until it is COMPLETE.
i=0
while [ $i -lt 30 ]; do
	state=$(aws iam generate-credential-report --query State --output text 2>/dev/null)
	[ "$state" = COMPLETE ] && break
	i=$((i + 1))
	sleep 2
done
run "$iam/get-credential-report.json" iam get-credential-report
run "$iam/list-users.json" iam list-users
for u in $(names iam list-users 'Users[].UserName'); do
	run "$iam/list-mfa-devices/$u.json" iam list-mfa-devices --user-name "$u"
	run "$iam/list-access-keys/$u.json" iam list-access-keys --user-name "$u"
done
run "$iam/list-policies.json" iam list-policies --scope Local
names iam list-policies 'Policies[].[PolicyName,Arn,DefaultVersionId]' \
	--scope Local | paste - - - | while read -r name arn version; do
	run "$iam/get-policy-version/$name.json" iam get-policy-version \
		--policy-arn "$arn" --version-id "$version"
done

s3=$out/s3api
run "$s3/list-buckets.json" s3api list-buckets
for b in $(names s3api list-buckets 'Buckets[].Name'); do
	for call in get-bucket-encryption get-public-access-block \
		get-bucket-policy get-bucket-acl get-bucket-versioning \
		get-bucket-logging get-bucket-tagging get-bucket-location; do
		run "$s3/$call/$b.json" s3api "$call" --bucket "$b"
	done
done
if [ -n "$account" ] && [ "$account" != None ]; then
	run "$out/s3control/get-public-access-block.json" s3control \
		get-public-access-block --account-id "$account"
fi

# -------------------------------------------------------------- regional
if [ $# -gt 0 ]; then
	regions=$*
else
	regions=$(aws ec2 describe-regions --query 'Regions[].RegionName' \
		--output text 2>/dev/null)
	[ -n "$regions" ] || regions=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
fi
[ -n "$regions" ] || { echo "error: no region given or found" >&2; exit 2; }

for r in $regions; do
	d=$out/$r
	R="--region $r"
	for call in describe-security-groups describe-network-acls \
		describe-volumes describe-instances describe-vpcs \
		describe-flow-logs get-ebs-encryption-by-default; do
		# shellcheck disable=SC2086
		run "$d/ec2/$call.json" ec2 "$call" $R
	done
	# shellcheck disable=SC2086
	run "$d/rds/describe-db-instances.json" rds describe-db-instances $R
	# shellcheck disable=SC2086
	run "$d/logs/describe-log-groups.json" logs describe-log-groups $R

	# shellcheck disable=SC2086
	run "$d/kms/list-keys.json" kms list-keys $R
	# shellcheck disable=SC2086
	for k in $(names kms list-keys 'Keys[].KeyId' $R); do
		run "$d/kms/describe-key/$k.json" kms describe-key --key-id "$k" $R
		run "$d/kms/get-key-rotation-status/$k.json" kms \
			get-key-rotation-status --key-id "$k" $R
	done

	# shellcheck disable=SC2086
	run "$d/cloudtrail/describe-trails.json" cloudtrail describe-trails $R
	# shellcheck disable=SC2086
	names cloudtrail describe-trails 'trailList[].[Name,TrailARN]' $R |
		paste - - | while read -r name arn; do
		run "$d/cloudtrail/get-trail-status/$name.json" cloudtrail \
			get-trail-status --name "$arn" $R
		run "$d/cloudtrail/get-event-selectors/$name.json" cloudtrail \
			get-event-selectors --trail-name "$arn" $R
	done

	# shellcheck disable=SC2086
	run "$d/configservice/describe-configuration-recorders.json" \
		configservice describe-configuration-recorders $R
	# shellcheck disable=SC2086
	run "$d/configservice/describe-configuration-recorder-status.json" \
		configservice describe-configuration-recorder-status $R

	# shellcheck disable=SC2086
	run "$d/guardduty/list-detectors.json" guardduty list-detectors $R
	# shellcheck disable=SC2086
	for g in $(names guardduty list-detectors 'DetectorIds[]' $R); do
		run "$d/guardduty/get-detector/$g.json" guardduty get-detector \
			--detector-id "$g" $R
	done

	# shellcheck disable=SC2086
	run "$d/securityhub/describe-hub.json" securityhub describe-hub $R

	# shellcheck disable=SC2086
	run "$d/elbv2/describe-load-balancers.json" elbv2 \
		describe-load-balancers $R
	# shellcheck disable=SC2086
	names elbv2 describe-load-balancers \
		'LoadBalancers[].[LoadBalancerName,LoadBalancerArn]' $R |
		paste - - | while read -r name arn; do
		run "$d/elbv2/describe-listeners/$name.json" elbv2 \
			describe-listeners --load-balancer-arn "$arn" $R
	done

	# Classic load balancers and their policies (the TLS negotiation
	# policy's attributes say which protocols and ciphers are on).
	# shellcheck disable=SC2086
	run "$d/elb/describe-load-balancers.json" elb describe-load-balancers $R
	# shellcheck disable=SC2086
	for name in $(names elb describe-load-balancers \
		'LoadBalancerDescriptions[].LoadBalancerName' $R); do
		run "$d/elb/describe-load-balancer-policies/$name.json" elb \
			describe-load-balancer-policies --load-balancer-name "$name" $R
	done

	# shellcheck disable=SC2086
	run "$d/acm/list-certificates.json" acm list-certificates $R
	# shellcheck disable=SC2086
	for c in $(names acm list-certificates \
		'CertificateSummaryList[].CertificateArn' $R); do
		run "$d/acm/describe-certificate/${c##*/}.json" acm \
			describe-certificate --certificate-arn "$c" $R
	done
done

printf '{"collector": "rampart scripts/collect-aws.sh", "started": "%s", "finished": "%s"}\n' \
	"$collect_started" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	>"$out/rampart-collection.json"
failures=$(wc -l <"$failed_log")
if [ "$failures" -gt 0 ]; then
	echo "collect-aws: $failures calls failed; their files record the error" >&2
	exit 1
fi
echo "collect-aws: done: $out"
