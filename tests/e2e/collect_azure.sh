#!/bin/sh
# End-to-end scripts/collect-azure.sh against tests/e2e/azure-stub/az (a
# stand-in for the Azure CLI answering from a subscription directory made
# of the converted real recordings, serving every listing in pages of 2
# and logging every call), then `rampart scan` of what it collected.
#
# Asserts: only GET calls; every page fetched (43 NSGs of the real
# subscription come back from 22 pages); progress on stderr; a denied call
# (one vault's key listing, Microsoft Graph) is recorded as an ARM error
# and makes the script exit 1; the scan of the collected tree gives the
# statuses of a scan of the recordings themselves and never passes what a
# denial hid; credentials that can read nothing stop the collector at once
# with exit 2 and nothing written.  Run from the repository root with
# $RAMPART set.
set -u
RAMPART=${RAMPART:-build/rampart}
T=$(mktemp -d /tmp/rampart-collect-azure-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
NOW=2026-12-01T00:00:00Z
BL=fedramp-moderate
REC=tests/fixtures/azure/recordings

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# check REPORT ID: "status pass fail error" of a check in a JSON report.
check() {
	jq -r --arg id "$2" '[.controls[].checks[] | select(.id == $id)][0] |
		"\(.status) \(.counts.pass) \(.counts.fail) \(.counts.error)"' "$1"
}

mkdir -p "$T/sub"
for d in NetworkSecurityGroupTest.test_cidr_and_ingress_no_match \
	StorageContainerTest.containers KeyVaultKeyTest.test_key_vault_keys_rotation \
	WebAppTest.test_find_by_min_tls DefenderTest.test_azure_defender_pricing \
	SubscriptionDiagnosticSettingsFilterTest.diag \
	SqlServerTest.vulnerability-scan; do
	(cd "$REC/$d" && find . -path ./extra -prune -o -type f -print) |
		while read -r f; do
			mkdir -p "$T/sub/$(dirname "$f")"
			cp "$REC/$d/$f" "$T/sub/$f"
		done
done
AZ_STUB_DATA=$T/sub
AZ_STUB_LOG=$T/calls.log
AZ_STUB_SUB=ea42f556-5106-4743-99b0-c129bfa71a47
AZ_STUB_DENY="cfb-vpbanzbk-keyvault/keys,graph.microsoft.com"
export AZ_STUB_DATA AZ_STUB_LOG AZ_STUB_SUB AZ_STUB_DENY

PATH=$(pwd)/tests/e2e/azure-stub:$PATH sh scripts/collect-azure.sh \
	"$T/out" >"$T/collect.out" 2>"$T/collect.err"
rc=$?
if [ $rc = 1 ] && grep -q "calls failed; their files record the error" \
	"$T/collect.err"; then
	ok "collect-azure exits 1 when calls were denied, and says so"
else
	bad "collect-azure exited $rc"; tail -3 "$T/collect.err"
fi

if [ -s "$T/calls.log" ] && ! grep -v '^GET ' "$T/calls.log" | grep -q .; then
	ok "$(wc -l <"$T/calls.log") calls, every one a GET"
else
	bad "a call that is not a GET:"; grep -v '^GET ' "$T/calls.log" | head -3
fi

n=$(jq '.value | length' "$T/out/network/nsg-list.json" 2>/dev/null)
pages=$(grep -c 'networkSecurityGroups' "$T/calls.log")
if [ "$n" = 43 ] && [ "$pages" = 22 ]; then
	ok "every page fetched: 43 NSGs from 22 pages"
else
	bad "NSG listing: $n objects from $pages calls"
fi

if grep -q '^azure: network/nsg-list.json: 43 objects, 22 page(s)$' \
	"$T/collect.err"; then
	ok "progress on stderr"
else
	bad "no progress line for the NSG listing"; head -3 "$T/collect.err"
fi

for f in keyvault/key-list/cfb-vpbanzbk-keyvault.json \
	ad/user-registration-details.json; do
	if [ "$(jq -r .error.code "$T/out/$f" 2>/dev/null)" = AuthorizationFailed ]; then
		ok "denied call recorded: $f"
	else
		bad "denied call not recorded in $f"
	fi
done
if jq -e '.value | length == 1' \
	"$T/out/keyvault/key-list/cfb-qmbknzbm-keyvault.json" >/dev/null; then
	ok "the other vault's key listing is collected"
else
	bad "keyvault/key-list/cfb-qmbknzbm-keyvault.json"
fi
if jq -e '.started | test("^[0-9]{4}-")' "$T/out/rampart-collection.json" \
	>/dev/null 2>&1; then
	ok "rampart-collection.json records the start"
else
	bad "no rampart-collection.json"
fi

"$RAMPART" scan --baseline $BL --input "$T/out" --format json \
	--fixed-time $NOW >"$T/collected.json" 2>"$T/scan.err"
rc=$?
if [ $rc = 1 ]; then ok "scan of the collected tree: exit 1 (not eligible)"
else bad "scan of the collected tree exited $rc"; head -5 "$T/scan.err"; fi
if grep -q "not read" "$T/scan.err"; then
	bad "the adapter leaves collected files unread: $(grep 'not read' "$T/scan.err" | head -3)"
fi

"$RAMPART" scan --baseline $BL --input "$REC/NetworkSecurityGroupTest.test_cidr_and_ingress_no_match" \
	--format json --fixed-time $NOW --max-evidence-age 0 >"$T/direct.json" 2>/dev/null
for id in azure-nsg-no-admin-ports azure-nsg-no-all-ports azure-nsg-flow-logs; do
	a=$(check "$T/collected.json" $id)
	b=$(check "$T/direct.json" $id)
	if [ "$a" = "$b" ] && [ -n "$a" ]; then
		ok "$id: collected and recorded agree ($a)"
	else
		bad "$id: collected '$a', recorded '$b'"
	fi
done
for want in "azure-keyvault-key-rotation error" \
	"azure-entra-mfa-registered error" "azure-entra-guest-not-admin error" \
	"azure-defender-plans-standard fail 10 2 0" \
	"azure-storage-container-private fail 1 1 0" \
	"azure-appservice-min-tls12 fail 0 1 0" \
	"azure-sql-no-public-network pass 1 0 0" \
	"azure-activity-log-all-categories fail 0 1 0"; do
	id=${want%% *}
	got="$id $(check "$T/collected.json" "$id")"
	case $got in
	"$want"*) ok "$got" ;;
	*) bad "expected '$want', got '$got'" ;;
	esac
done

# Credentials that read nothing: a clear stop, nothing collected.
AZ_STUB_DENY='*' PATH=$(pwd)/tests/e2e/azure-stub:$PATH sh \
	scripts/collect-azure.sh "$T/none" ea42f556-5106-4743-99b0-c129bfa71a47 \
	>/dev/null 2>"$T/none.err"
rc=$?
if [ $rc = 2 ] && grep -q "cannot read subscription" "$T/none.err" &&
	[ -z "$(ls -A "$T/none")" ]; then
	ok "no readable subscription: exit 2, nothing written"
else
	bad "no readable subscription: exit $rc, $(ls -A "$T/none" | head -3)"
fi
# No az: a clear usage error.
if PATH=/usr/bin/nonexistent /bin/sh scripts/collect-azure.sh "$T/x" \
	>/dev/null 2>&1; then bad "ran without az"; else ok "no az: refused"; fi

[ $fails = 0 ] && echo "collect_azure: all passed" || echo "collect_azure: $fails FAILED"
[ $fails = 0 ]
