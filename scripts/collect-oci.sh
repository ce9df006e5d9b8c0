#!/bin/sh
# collect-oci.sh: collect the OCI CLI outputs rampart's "oci-cli" adapter
# reads, with read-only calls only (list, get, list-groups, list-users of
# the OCI CLI), every page fetched (--all).
#
# Usage: scripts/collect-oci.sh OUTDIR [REGION...]
#   Regions default to the tenancy's subscribed regions
#   (oci iam region-subscription list).  Credentials, profile and the
#   tenancy come from the usual OCI CLI configuration (~/.oci/config,
#   OCI_CLI_PROFILE, --auth via OCI_CLI_AUTH).  The policy the caller
#   needs is scripts/oci-readonly-policy.txt.
#
# Layout (docs/oci.md):
#   OUTDIR/iam/compartment-list.json                 tenancy-wide calls
#   OUTDIR/iam/policy-list/<compartment>.json        one file per compartment
#   OUTDIR/iam/user-api-key-list/<user>.json         one file per resource
#   OUTDIR/<region>/network/security-list-list/<compartment>.json
#
# A call that fails is not dropped: its file holds the CLI's ServiceError
#   {"ServiceError": {"code": "...", "message": "...", "status": N}}
# so rampart reports the affected checks as `error` (denied, throttled or
# other), never `pass`.  Progress goes to standard error.  The script exits
# 0 when every call succeeded, 1 when some failed (their files say which),
# 3 when the credentials cannot even list the compartments (nothing else
# can be collected), 2 on a usage error.
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 OUTDIR [REGION...]" >&2
	exit 2
fi
out=$1
shift
command -v oci >/dev/null 2>&1 || {
	echo "error: oci CLI not found" >&2
	exit 2
}
mkdir -p "$out" || exit 2
collect_started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
failed_log=$out/.collect-failures
: >"$failed_log"
calls_log=$out/.collect-calls
: >"$calls_log"

# JSON-escape stdin as the contents of a string (no quotes added).
json_escape() {
	tr -d '\r' | tr '\n\t' '  ' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'
}

# run FILE ARGS...: one OCI CLI call into FILE (ARGS without --output).
run() {
	file=$1
	shift
	echo "$file" >>"$calls_log"
	echo "collect-oci: [$(wc -l <"$calls_log" | tr -d ' ')] oci $*" |
		cut -c1-160 >&2
	mkdir -p "$(dirname "$file")"
	if oci "$@" --output json >"$file.tmp" 2>"$file.err"; then
		# A get or list with nothing to print prints nothing.
		[ -s "$file.tmp" ] || echo '{"data": []}' >"$file.tmp"
		mv "$file.tmp" "$file"
	else
		# The CLI prints "ServiceError:" and the error as JSON.
		se=$(sed -n '/^ServiceError:/,$p' "$file.err" | sed '1d')
		if [ -n "$se" ] && printf '%s' "$se" | grep -q '"code"'; then
			printf '{"ServiceError": %s}\n' "$se" >"$file"
			code=$(printf '%s' "$se" |
				sed -n 's/.*"code": *"\([A-Za-z0-9_.]*\)".*/\1/p' |
				head -n 1)
		else
			code=CliError
			msg=$(json_escape <"$file.err")
			printf '{"ServiceError": {"code": "CliError", "message": "%s", "status": 0}}\n' \
				"$msg" >"$file"
		fi
		rm -f "$file.tmp"
		echo "warning: oci $* failed (${code:-?}), recorded in $file" |
			cut -c1-240 >&2
		echo "$file" >>"$failed_log"
	fi
	rm -f "$file.err"
}

# ids FILE FIELD: the FIELD of every element of a listing we wrote, read
# back through the CLI's own JMESPath (--query on a saved file is not
# possible, so this asks the CLI again with the same arguments).
ids() {
	field=$1
	shift
	oci "$@" --query "join(' ', data[].\"$field\")" --raw-output \
		2>/dev/null | tr ' ' '\n' | grep -v '^$'
}

# ----------------------------------------------------------- tenancy
run "$out/iam/compartment-list.json" iam compartment list \
	--compartment-id-in-subtree true --access-level ACCESSIBLE \
	--include-root --all
if grep -q '"ServiceError"' "$out/iam/compartment-list.json"; then
	echo "error: the credentials cannot list the tenancy's compartments" \
		"($(sed -n 's/.*"code": *"\([A-Za-z0-9_.]*\)".*/\1/p' \
			"$out/iam/compartment-list.json" | head -n 1)); nothing" \
		"else can be collected; grant scripts/oci-readonly-policy.txt" >&2
	rm -f "$calls_log" "$failed_log"
	exit 3
fi
tenancy=$(ids id iam compartment list --compartment-id-in-subtree true \
	--access-level ACCESSIBLE --include-root --all | grep '^ocid1\.tenancy\.' |
	head -n 1)
if [ -z "$tenancy" ]; then
	echo "error: the compartment list names no tenancy (root)" >&2
	exit 3
fi
comps=$(ids id iam compartment list --compartment-id-in-subtree true \
	--access-level ACCESSIBLE --include-root --all --lifecycle-state ACTIVE)

iam=$out/iam
run "$iam/user-list.json" iam user list -c "$tenancy" --all
for u in $(ids id iam user list -c "$tenancy" --all); do
	run "$iam/user-api-key-list/$u.json" iam user api-key list --user-id "$u"
	run "$iam/user-list-groups/$u.json" iam user list-groups --user-id "$u" \
		--all
done
run "$iam/group-list.json" iam group list -c "$tenancy" --all
for c in $comps; do
	run "$iam/policy-list/$c.json" iam policy list -c "$c" --all
done
run "$iam/authentication-policy-get.json" iam authentication-policy get \
	-c "$tenancy"
run "$iam/domain-list.json" iam domain list -c "$tenancy" --all
oci iam domain list -c "$tenancy" --all \
	--query "join(' ', data[].join(',', [id, url]))" --raw-output 2>/dev/null |
	tr ' ' '\n' | grep -v '^$' | while IFS=, read -r d url; do
	run "$out/identity-domains/password-policies-list/$d.json" \
		identity-domains password-policies list --endpoint "$url" --all
done
run "$out/audit/config-get.json" audit config get -c "$tenancy"
run "$out/cloud-guard/configuration-get.json" cloud-guard configuration get \
	-c "$tenancy"

# ------------------------------------------------------------ regions
if [ $# -eq 0 ]; then
	set -- $(oci iam region-subscription list --tenancy-id "$tenancy" \
		--query "join(' ', data[].\"region-name\")" --raw-output \
		2>/dev/null)
fi
if [ $# -eq 0 ]; then
	echo "warning: no region given and none subscribed could be read" >&2
fi
for region in "$@"; do
	r=$out/$region
	for c in $comps; do
		for call in "network security-list-list:network security-list list" \
			"network nsg-list:network nsg list" \
			"network subnet-list:network subnet list" \
			"network vcn-list:network vcn list" \
			"os bucket-list:os bucket list" \
			"kms management-vault-list:kms management vault list" \
			"lb load-balancer-list:lb load-balancer list" \
			"db autonomous-database-list:db autonomous-database list" \
			"logging log-group-list:logging log-group list" \
			"events rule-list:events rule list"; do
			file=${call%%:*}
			words=${call#*:}
			# shellcheck disable=SC2086
			run "$r/${file% *}/${file#* }/$c.json" --region "$region" \
				$words -c "$c" --all
		done
		for n in $(ids id --region "$region" network nsg list -c "$c" --all); do
			run "$r/network/nsg-rules-list/$n.json" --region "$region" \
				network nsg rules list --nsg-id "$n" --all
		done
		for b in $(ids name --region "$region" os bucket list -c "$c" --all); do
			run "$r/os/bucket-get/$b.json" --region "$region" os bucket \
				get --bucket-name "$b"
		done
		oci --region "$region" kms management vault list -c "$c" --all \
			--query "join(' ', data[].join(',', [id, \"management-endpoint\"]))" \
			--raw-output 2>/dev/null | tr ' ' '\n' | grep -v '^$' |
			while IFS=, read -r v ep; do
				# Keys are listed in their vault's compartment.
				run "$r/kms/management-key-list/$v.json" --region "$region" \
					kms management key list -c "$c" --endpoint "$ep" --all
				for k in $(ids id --region "$region" kms management key \
					list -c "$c" --endpoint "$ep" --all); do
					run "$r/kms/management-key-version-list/$k.json" \
						--region "$region" kms management key-version \
						list --key-id "$k" --endpoint "$ep" --all
				done
			done
		for e in $(ids id --region "$region" events rule list -c "$c" \
			--all); do
			run "$r/events/rule-get/$e.json" --region "$region" events \
				rule get --rule-id "$e"
		done
		for g in $(ids id --region "$region" logging log-group list -c "$c" \
			--all); do
			run "$r/logging/log-list/$g.json" --region "$region" logging \
				log list --log-group-id "$g" --all
		done
	done
done

collect_finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)
printf '{"collector": "scripts/collect-oci.sh", "started": "%s", "finished": "%s"}\n' \
	"$collect_started" "$collect_finished" >"$out/rampart-collection.json"

nfailed=$(wc -l <"$failed_log" | tr -d ' ')
rm -f "$failed_log"
echo "collect-oci: $(wc -l <"$calls_log" | tr -d ' ') calls into $out" >&2
rm -f "$calls_log"
if [ "$nfailed" -gt 0 ]; then
	echo "warning: $nfailed calls failed; their files record the error" >&2
	exit 1
fi
exit 0
