#!/bin/sh
# collect-azure.sh: collect the ARM (and Microsoft Graph) listings
# rampart's "azure" adapter reads, for one subscription, with read-only
# calls only: every call is an HTTP GET through `az rest`.
#
# Usage: scripts/collect-azure.sh OUTDIR [SUBSCRIPTION_ID]
#   The subscription defaults to the CLI's current one (az account show).
#   Needs the Azure CLI (az login done) and jq.  The least role it needs
#   is scripts/azure-readonly-role.json (Reader plus the Key Vault key
#   listing); without Microsoft Graph's Reports.Read.All /
#   AuditLog.Read.All the Entra ID listing is recorded as denied.
#
# Layout (docs/azure.md), one file per listing, the ARM list response
# with every page merged into "value":
#   OUTDIR/<group>/<command>.json
#   OUTDIR/<group>/<command>/<parent-name>.json   one per parent resource
#   OUTDIR/rampart-collection.json                when it ran
#
# Every page is fetched (nextLink, @odata.nextLink).  A call that fails is
# not dropped: its file holds the ARM error,
#   {"error": {"code": "AuthorizationFailed", "message": "..."}}
# so rampart reports the checks on that listing as `error`, never `pass`.
# Progress goes to stderr.  Exit: 0 every call succeeded; 1 some failed
# (their files say which); 2 usage, missing tools, or credentials that
# cannot read the subscription at all (nothing is collected then).
set -u

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 OUTDIR [SUBSCRIPTION_ID]" >&2
	exit 2
fi
out=$1
command -v az >/dev/null 2>&1 || { echo "error: az CLI not found" >&2; exit 2; }
command -v jq >/dev/null 2>&1 || { echo "error: jq not found" >&2; exit 2; }
ARM=https://management.azure.com
GRAPH=https://graph.microsoft.com/v1.0

if [ $# -eq 2 ]; then
	sub=$2
else
	sub=$(az account show --query id --output tsv 2>/dev/null) || sub=
	if [ -z "$sub" ]; then
		echo "error: no current subscription (run 'az login', or give SUBSCRIPTION_ID)" >&2
		exit 2
	fi
fi
case $sub in
*[!0-9A-Za-z-]* | "")
	echo "error: '$sub' is not a subscription id" >&2
	exit 2
	;;
esac
mkdir -p "$out" || exit 2
collect_started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
failed_log=$out/.collect-failures
: >"$failed_log"
S=/subscriptions/$sub

# The ARM error code of az's stderr ("ERROR: (AuthorizationFailed) ...",
# "Forbidden(...)", "ERROR: Too Many Requests ..."), else CliError.
error_code() {
	code=$(sed -n 's/.*(\([A-Za-z_][A-Za-z0-9_.]*\)).*/\1/p' "$1" | head -n 1)
	if [ -z "$code" ]; then
		if grep -qi 'too many requests' "$1"; then
			code=TooManyRequests
		elif grep -qi 'forbidden' "$1"; then
			code=Forbidden
		else
			code=CliError
		fi
	fi
	echo "$code"
}

# get URL FILE: one GET into FILE; 0, or 1 with the error recorded there.
get() {
	if az rest --method get --url "$1" --output json >"$2" 2>"$2.err"; then
		rm -f "$2.err"
		return 0
	fi
	code=$(error_code "$2.err")
	jq -n --arg c "$code" --rawfile m "$2.err" \
		'{error: {code: $c, message: ($m | gsub("[\r\n\t]+"; " "))}}' >"$2"
	rm -f "$2.err"
	return 1
}

# list FILE URL: every page of a listing, merged into FILE's "value".
list() {
	file=$1
	url=$2
	mkdir -p "$(dirname "$file")"
	pages=0
	: >"$file.pages"
	while [ -n "$url" ]; do
		pages=$((pages + 1))
		if ! get "$url" "$file.page"; then
			mv "$file.page" "$file"
			rm -f "$file.pages"
			echo "azure: ${file#"$out"/}: $(jq -r .error.code "$file") (recorded)" >&2
			echo "$file" >>"$failed_log"
			return 1
		fi
		cat "$file.page" >>"$file.pages"
		url=$(jq -r '(.nextLink // .["@odata.nextLink"] // empty)' "$file.page")
	done
	jq -s '{value: [.[] | (.value // [.]) | .[]]}' "$file.pages" >"$file"
	rm -f "$file.page" "$file.pages"
	echo "azure: ${file#"$out"/}: $(jq '.value | length' "$file") objects, $pages page(s)" >&2
	return 0
}

# per_parent PARENT_FILE DIR SUFFIX: the listing SUFFIX of every resource
# the parent listing names, into DIR/<name>.json (the parent's id + SUFFIX).
per_parent() {
	[ -f "$1" ] && jq -e '.value' "$1" >/dev/null 2>&1 || return 0
	jq -r '.value[] | [.name, .id] | @tsv' "$1" |
		while IFS="$(printf '\t')" read -r name id; do
			list "$2/$name.json" "$ARM$id$3"
		done
}

# Credentials that can read nothing stop here, before any file is written.
if ! get "$ARM$S?api-version=2022-12-01" "$out/.probe.json"; then
	code=$(jq -r .error.code "$out/.probe.json")
	rm -f "$out/.probe.json" "$failed_log"
	echo "error: cannot read subscription $sub ($code): check 'az login' and the role (scripts/azure-readonly-role.json); nothing collected" >&2
	exit 2
fi
rm -f "$out/.probe.json"
echo "azure: collecting subscription $sub into $out" >&2

list "$out/network/nsg-list.json" \
	"$ARM$S/providers/Microsoft.Network/networkSecurityGroups?api-version=2023-09-01"
list "$out/network/watcher-list.json" \
	"$ARM$S/providers/Microsoft.Network/networkWatchers?api-version=2023-09-01"
per_parent "$out/network/watcher-list.json" "$out/network/flow-log-list" \
	"/flowLogs?api-version=2023-09-01"
list "$out/network/application-gateway-list.json" \
	"$ARM$S/providers/Microsoft.Network/applicationGateways?api-version=2023-09-01"
list "$out/cdn/profile-list.json" \
	"$ARM$S/providers/Microsoft.Cdn/profiles?api-version=2023-05-01"
per_parent "$out/cdn/profile-list.json" "$out/cdn/custom-domain-list" \
	"/customDomains?api-version=2023-05-01"
list "$out/storage/account-list.json" \
	"$ARM$S/providers/Microsoft.Storage/storageAccounts?api-version=2023-01-01"
per_parent "$out/storage/account-list.json" "$out/storage/blob-service-list" \
	"/blobServices?api-version=2023-01-01"
per_parent "$out/storage/account-list.json" "$out/storage/container-list" \
	"/blobServices/default/containers?api-version=2023-01-01"
list "$out/sql/server-list.json" \
	"$ARM$S/providers/Microsoft.Sql/servers?api-version=2021-11-01"
per_parent "$out/sql/server-list.json" "$out/sql/firewall-rule-list" \
	"/firewallRules?api-version=2021-11-01"
list "$out/postgres/flexible-server-list.json" \
	"$ARM$S/providers/Microsoft.DBforPostgreSQL/flexibleServers?api-version=2022-12-01"
list "$out/postgres/server-list.json" \
	"$ARM$S/providers/Microsoft.DBforPostgreSQL/servers?api-version=2017-12-01"
list "$out/mysql/flexible-server-list.json" \
	"$ARM$S/providers/Microsoft.DBforMySQL/flexibleServers?api-version=2023-06-30"
per_parent "$out/mysql/flexible-server-list.json" "$out/mysql/configuration-list" \
	"/configurations?api-version=2023-06-30"
list "$out/webapp/list.json" \
	"$ARM$S/providers/Microsoft.Web/sites?api-version=2022-03-01"
per_parent "$out/webapp/list.json" "$out/webapp/config" \
	"/config/web?api-version=2022-03-01"
list "$out/keyvault/list.json" \
	"$ARM$S/providers/Microsoft.KeyVault/vaults?api-version=2023-07-01"
per_parent "$out/keyvault/list.json" "$out/keyvault/key-list" \
	"/keys?api-version=2023-07-01"
list "$out/security/pricing-list.json" \
	"$ARM$S/providers/Microsoft.Security/pricings?api-version=2024-01-01"
list "$out/monitor/diagnostic-settings-subscription-list.json" \
	"$ARM$S/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview"
list "$out/monitor/log-profile-list.json" \
	"$ARM$S/providers/Microsoft.Insights/logprofiles?api-version=2016-03-01"
list "$out/role/assignment-list.json" \
	"$ARM$S/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01"
list "$out/ad/user-registration-details.json" \
	"$GRAPH/reports/authenticationMethods/userRegistrationDetails"

collect_finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)
jq -n --arg s "$collect_started" --arg f "$collect_finished" --arg sub "$sub" \
	'{collector: "scripts/collect-azure.sh", subscription: $sub,
	  started: $s, finished: $f}' >"$out/rampart-collection.json"
nfail=$(wc -l <"$failed_log")
rm -f "$failed_log"
if [ "$nfail" -gt 0 ]; then
	echo "azure: $nfail calls failed; their files record the error" >&2
	exit 1
fi
echo "azure: done" >&2
exit 0
