#!/bin/sh
# The Azure recordings in ../shared (cloud-custodian's VCR cassettes of a
# real subscription): the test-only converter, re-run on them, must give
# exactly the committed copies (tests/fixtures/azure/recordings), and a
# scan of the converted exports must report what the recordings show.
# Skips cleanly (exit 0, "skip") when ../shared or python3 is absent.
# Run from the repository root with $RAMPART and $SHARED set.
set -u
RAMPART=${RAMPART:-build/rampart}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
X=$SHARED/data/exports
if [ ! -d "$X/custodian-azure-cassettes" ] || ! command -v python3 >/dev/null; then
	echo "skip: no ../shared Azure recordings (or no python3)"
	exit 0
fi
T=$(mktemp -d /tmp/rampart-azure-shared-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
NOW=2026-12-01T00:00:00Z
REC=tests/fixtures/azure/recordings
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

python3 tests/fixtures/azure/convert.py "$X/custodian-azure-cassettes" \
	"$X/custodian-azure-cassettes-2" "$T/rec" || bad "convert.py failed"
if diff -r "$T/rec" "$REC" >"$T/diff" 2>&1; then
	ok "convert.py on ../shared gives the committed recordings"
else
	bad "committed recordings differ from a fresh conversion: $(head -3 "$T/diff")"
fi

# scan DIR: the JSON report of one converted recording.
scan() {
	"$RAMPART" scan --baseline fedramp-high --input "$REC/$1" --format json \
		--fixed-time $NOW --max-evidence-age 0 >"$T/r.json" 2>"$T/err"
}
# expect ID STATUS [RESOURCE-SUFFIX RESULT-STATUS]...: in the last scan.
expect() {
	id=$1; st=$2; shift 2
	got=$(jq -r --arg id "$id" '[.controls[].checks[] | select(.id == $id)][0].status' "$T/r.json")
	[ "$got" = "$st" ] || { bad "$id is '$got', expected '$st'"; return; }
	while [ $# -ge 2 ]; do
		r=$(jq -r --arg id "$id" --arg s "$1" '[.controls[].checks[] |
			select(.id == $id)][0].resources[] | select(.id | endswith($s)) |
			.status' "$T/r.json" | head -n 1)
		[ "$r" = "$2" ] || { bad "$id on ...$1 is '$r', expected '$2'"; return; }
		shift 2
	done
	ok "$id $st"
}

scan AccessControlTest.test_find_assignments_by_role
n=$(jq '[.controls[].checks[] | select(.id == "azure-rbac-no-user-privileged-subscription")][0].counts.fail' "$T/r.json")
if [ "$n" = 14 ]; then
	ok "real subscription: 14 User Owner assignments at subscription or management-group scope"
else
	bad "privileged user assignments: $n"
fi
scan DefenderTest.test_azure_defender_pricing
expect azure-defender-plans-standard fail /pricings/Containers fail \
	/pricings/OpenSourceRelationalDatabases fail /pricings/VirtualMachines pass
scan KeyVaultKeyTest.test_key_vault_keys_rotation
expect azure-keyvault-key-rotation fail /keys/cfb-vpbanzbk-generated-certificate fail \
	/keys/cfb-qmbknzbm-generated-certificate pass
expect azure-keyvault-recoverable fail /vaults/cfb-qmbknzbm-keyvault fail
scan MySQLFlexibleServerTest.test_server_server_parameter
expect azure-db-no-public-network fail /flexibleServers/azureheight fail
expect azure-mysql-secure-transport fail \
	/flexibleServers/azureheight/configurations/tls_version fail \
	/flexibleServers/mysql-test-server-20221213/configurations/tls_version pass
scan StorageTest.test_storage_settings_require_secure_transfer_min_tls_version
expect azure-storage-min-tls12 fail /storageAccounts/cctstoragevbnu36vrszu5c fail
expect azure-storage-https-only pass
scan SubscriptionDiagnosticSettingsFilterTest.diag
expect azure-activity-log-all-categories fail
scan NetworkSecurityGroupTest.test_cidr_and_ingress_no_match
expect azure-nsg-no-admin-ports pass /networkSecurityGroups/nessus pass
expect azure-nsg-flow-logs fail /networkSecurityGroups/JMEUNIER-TEST-NSG fail
scan MonitorLogprofileTest.test_find_storage
expect azure-activity-log-retention fail
expect azure-storage-cmk pass
scan "ResourceGraphSource.test_resource_graph_and_arm_sources_storage_are_equivalent-graph"
expect azure-storage-https-only fail /storageAccounts/cctstoragey6akyqpagdt3o fail

[ $fails = 0 ] && echo "azure_shared: all passed" || echo "azure_shared: $fails FAILED"
[ $fails = 0 ]
