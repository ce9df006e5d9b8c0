#!/bin/sh
# collect-aws.sh: collect the AWS CLI outputs rampart's "aws-cli" adapter
# reads, with read-only calls only (describe-*, get-*, list-*, plus
# generate-credential-report, which only asks IAM to build the report).
# scripts/aws-readonly-policy.json lists exactly the IAM actions these
# calls need (tests/e2e/collect.sh compares the two).
#
# Usage: scripts/collect-aws.sh OUTDIR [REGION...]
#   Regions default to every region enabled for the account
#   (ec2 describe-regions), else $AWS_REGION / $AWS_DEFAULT_REGION.
#   Credentials and profile come from the usual AWS CLI environment.
#   COLLECT_JOBS=N: calls run at once (default 4); independent calls
#   run in parallel, in three rounds (identity; the listings and
#   account settings; the calls per listed resource).  Progress goes to
#   stderr.
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
# as the evidence that the setting is absent.
#
# Exit: 0 every call succeeded; 1 some failed (their files say which);
# 2 usage or no AWS CLI; 3 the credentials can read nothing (sts
# get-caller-identity failed, or every call of the first round was
# denied): nothing worth scanning was collected.
set -u

# ------------------------------------------------------ one call (worker)

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
	echo "$file" >>"$done_log"
	if [ -n "${COLLECT_TTY:-}" ]; then
		printf '\rcollect-aws: %s calls done' "$(wc -l <"$done_log")" >&2
	fi
}

# Worker mode: `collect-aws.sh --call FILE SERVICE CALL [ARGS...]`, what
# the rounds below run through xargs -P.
if [ "${1:-}" = --call ]; then
	shift
	run "$@"
	exit 0
fi

# ------------------------------------------------------------- the plan

if [ $# -lt 1 ]; then
	echo "usage: $0 OUTDIR [REGION...]" >&2
	exit 2
fi
out=$1
shift
command -v aws >/dev/null 2>&1 || { echo "error: aws CLI not found" >&2; exit 2; }
jobs=${COLLECT_JOBS:-4}
case $jobs in
'' | *[!0-9]* | 0) echo "error: COLLECT_JOBS must be a number from 1" >&2; exit 2 ;;
esac
mkdir -p "$out" || exit 2
self=$0
# When the evidence was collected: rampart-collection.json at the root,
# read by the aws-cli adapter (docs/resources.md); the scan's evidence age
# is measured from `started`.
collect_started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# Failed and finished calls are counted in files: workers are processes.
failed_log=$out/.collect-failures
done_log=$out/.collect-done
plan=$out/.collect-plan
: >"$failed_log"
: >"$done_log"
: >"$plan"
COLLECT_TTY=
[ -t 2 ] && COLLECT_TTY=1
export failed_log done_log COLLECT_TTY

# call FILE SERVICE CALL [ARGS...]: add one call to the current round.
# Names and ARNs never hold blanks or quotes (xargs splits on blanks).
call() {
	echo "$*" >>"$plan"
}

# round NAME: run the round's calls, COLLECT_JOBS at a time.
round() {
	# A listing may name one resource twice: one call per file, or two
	# workers would write the same file at once.
	sort -u "$plan" >"$plan.u"
	n=$(wc -l <"$plan.u")
	before=$(wc -l <"$done_log")
	echo "collect-aws: $1: $n calls, $jobs at a time" >&2
	if [ "$n" -gt 0 ]; then
		xargs -L 1 -P "$jobs" sh "$self" --call <"$plan.u"
	fi
	rm -f "$plan.u"
	[ -n "$COLLECT_TTY" ] && printf '\r%40s\r' '' >&2
	: >"$plan"
	echo "collect-aws: $1: done ($(($(wc -l <"$done_log") - before)) calls)" >&2
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

# --------------------------------------------- round 0: the credentials
if ! account=$(aws sts get-caller-identity --query Account --output text \
	2>"$out/.collect-sts.err"); then
	echo "error: these credentials cannot read anything: aws sts" \
		"get-caller-identity failed: $(json_escape <"$out/.collect-sts.err")" >&2
	echo "  (no, expired or wrong credentials: check AWS_PROFILE," \
		"AWS_ACCESS_KEY_ID or aws sso login)" >&2
	rm -f "$out/.collect-sts.err"
	exit 3
fi
rm -f "$out/.collect-sts.err"
run "$out/sts/get-caller-identity.json" sts get-caller-identity

if [ $# -gt 0 ]; then
	regions=$*
else
	regions=$(aws ec2 describe-regions --query 'Regions[].RegionName' \
		--output text 2>/dev/null)
	[ -n "$regions" ] || regions=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
fi
[ -n "$regions" ] || { echo "error: no region given or found" >&2; exit 2; }

# The credential report is built asynchronously: ask until COMPLETE,
# in the background while the first round runs.
(
	i=0
	while [ $i -lt 30 ]; do
		state=$(aws iam generate-credential-report --query State \
			--output text 2>/dev/null)
		[ "$state" = COMPLETE ] && break
		i=$((i + 1))
		sleep 2
	done
) &
report_wait=$!

# ------------------------------- round 1: listings and account settings
iam=$out/iam
s3=$out/s3api
call "$iam/get-account-password-policy.json" iam get-account-password-policy
call "$iam/get-account-summary.json" iam get-account-summary
call "$iam/list-virtual-mfa-devices.json" iam list-virtual-mfa-devices
call "$iam/list-users.json" iam list-users
call "$iam/list-policies.json" iam list-policies --scope Local
call "$s3/list-buckets.json" s3api list-buckets
if [ -n "$account" ] && [ "$account" != None ]; then
	call "$out/s3control/get-public-access-block.json" s3control \
		get-public-access-block --account-id "$account"
fi
for r in $regions; do
	d=$out/$r
	for c in describe-security-groups describe-network-acls \
		describe-volumes describe-instances describe-vpcs \
		describe-flow-logs get-ebs-encryption-by-default; do
		call "$d/ec2/$c.json" ec2 "$c" --region "$r"
	done
	call "$d/rds/describe-db-instances.json" rds describe-db-instances --region "$r"
	call "$d/logs/describe-log-groups.json" logs describe-log-groups --region "$r"
	call "$d/kms/list-keys.json" kms list-keys --region "$r"
	call "$d/cloudtrail/describe-trails.json" cloudtrail describe-trails --region "$r"
	call "$d/configservice/describe-configuration-recorders.json" \
		configservice describe-configuration-recorders --region "$r"
	call "$d/configservice/describe-configuration-recorder-status.json" \
		configservice describe-configuration-recorder-status --region "$r"
	call "$d/guardduty/list-detectors.json" guardduty list-detectors --region "$r"
	call "$d/securityhub/describe-hub.json" securityhub describe-hub --region "$r"
	call "$d/elbv2/describe-load-balancers.json" elbv2 \
		describe-load-balancers --region "$r"
	# Classic load balancers and their policies (the TLS negotiation
	# policy's attributes say which protocols and ciphers are on).
	call "$d/elb/describe-load-balancers.json" elb describe-load-balancers --region "$r"
	call "$d/acm/list-certificates.json" acm list-certificates --region "$r"
done
first=$(sort -u "$plan" | wc -l)
round "listings and account settings"

# Every call of the round denied: the credentials read nothing here.
denied=0
for f in $(cat "$failed_log"); do
	grep -Eq '"Code": "(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedAccess|UnrecognizedClientException|InvalidClientTokenId|AuthFailure|ExpiredToken|ExpiredTokenException|SignatureDoesNotMatch)"' \
		"$f" && denied=$((denied + 1))
done
if [ "$denied" -ge "$first" ]; then
	kill "$report_wait" 2>/dev/null
	wait "$report_wait" 2>/dev/null
	echo "error: these credentials can read nothing: all $first calls of" \
		"the first round were denied" >&2
	echo "  (attach the read-only policy rampart ships," \
		"aws-readonly-policy.json, or SecurityAudit, then run again)" >&2
	exit 3
fi

# ------------------------------------ round 2: per listed resource
wait "$report_wait" 2>/dev/null
call "$iam/get-credential-report.json" iam get-credential-report
for u in $(names iam list-users 'Users[].UserName'); do
	call "$iam/list-mfa-devices/$u.json" iam list-mfa-devices --user-name "$u"
	call "$iam/list-access-keys/$u.json" iam list-access-keys --user-name "$u"
done
names iam list-policies 'Policies[].[PolicyName,Arn,DefaultVersionId]' \
	--scope Local | paste - - - | while read -r name arn version; do
	call "$iam/get-policy-version/$name.json" iam get-policy-version \
		--policy-arn "$arn" --version-id "$version"
done
for b in $(names s3api list-buckets 'Buckets[].Name'); do
	for c in get-bucket-encryption get-public-access-block \
		get-bucket-policy get-bucket-acl get-bucket-versioning \
		get-bucket-logging get-bucket-tagging get-bucket-location; do
		call "$s3/$c/$b.json" s3api "$c" --bucket "$b"
	done
done
for r in $regions; do
	d=$out/$r
	for k in $(names kms list-keys 'Keys[].KeyId' --region "$r"); do
		call "$d/kms/describe-key/$k.json" kms describe-key --key-id "$k" \
			--region "$r"
		call "$d/kms/get-key-rotation-status/$k.json" kms \
			get-key-rotation-status --key-id "$k" --region "$r"
	done
	names cloudtrail describe-trails 'trailList[].[Name,TrailARN]' \
		--region "$r" | paste - - | while read -r name arn; do
		call "$d/cloudtrail/get-trail-status/$name.json" cloudtrail \
			get-trail-status --name "$arn" --region "$r"
		call "$d/cloudtrail/get-event-selectors/$name.json" cloudtrail \
			get-event-selectors --trail-name "$arn" --region "$r"
	done
	for g in $(names guardduty list-detectors 'DetectorIds[]' --region "$r"); do
		call "$d/guardduty/get-detector/$g.json" guardduty get-detector \
			--detector-id "$g" --region "$r"
	done
	names elbv2 describe-load-balancers \
		'LoadBalancers[].[LoadBalancerName,LoadBalancerArn]' \
		--region "$r" | paste - - | while read -r name arn; do
		call "$d/elbv2/describe-listeners/$name.json" elbv2 \
			describe-listeners --load-balancer-arn "$arn" --region "$r"
	done
	for name in $(names elb describe-load-balancers \
		'LoadBalancerDescriptions[].LoadBalancerName' --region "$r"); do
		call "$d/elb/describe-load-balancer-policies/$name.json" elb \
			describe-load-balancer-policies --load-balancer-name "$name" \
			--region "$r"
	done
	for c in $(names acm list-certificates \
		'CertificateSummaryList[].CertificateArn' --region "$r"); do
		call "$d/acm/describe-certificate/${c##*/}.json" acm \
			describe-certificate --certificate-arn "$c" --region "$r"
	done
done
round "resources"

printf '{"collector": "rampart scripts/collect-aws.sh", "started": "%s", "finished": "%s"}\n' \
	"$collect_started" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	>"$out/rampart-collection.json"
rm -f "$plan" "$done_log"
failures=$(wc -l <"$failed_log")
if [ "$failures" -gt 0 ]; then
	echo "collect-aws: $failures calls failed; their files record the error" >&2
	exit 1
fi
echo "collect-aws: done: $out"
