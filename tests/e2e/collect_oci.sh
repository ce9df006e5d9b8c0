#!/bin/sh
# End-to-end scripts/collect-oci.sh, against tests/e2e/oci-stub/oci (a
# stand-in for the OCI CLI that answers from a tenancy directory, pages a
# listing asked without --all, and logs every call), then `rampart scan`
# of what it collected.
#
# The tenancy is tests/fixtures/oci/tenancy (the union of the oci-cli
# fixture cases, made from the real inventory: make_fixtures.py); the stub
# denies `os bucket get` and `iam user api-key list`.  Asserts: only read-only calls (list, get,
# list-groups); every listing asked with --all (no page left behind, none
# in the files); progress on stderr; the layout is the one docs/oci.md
# gives and the files are the tenancy's; the denied calls are recorded as
# ServiceError files and make the script exit 1; the scan of the
# collected tree fails what the tenancy shows and reports the buckets
# whose `get` was denied as error, never pass; credentials that cannot
# list the compartments stop the collection at once (exit 3) with a clear
# message.  Run from the repository root with $RAMPART set.
set -u
RAMPART=${RAMPART:-build/rampart}
T=$(mktemp -d /tmp/rampart-collect-oci-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
TEN=ocid1.tenancy.oc1..aaaaaaaabkqehju37orqb2rs6qqtte4p4elzyfjtjkjdq5bkihntaegh2taa

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

OCI_STUB_DATA=$(pwd)/tests/fixtures/oci/tenancy
OCI_STUB_LOG=$T/calls.log
OCI_STUB_DENY="os bucket-get,iam user-api-key-list"
export OCI_STUB_DATA OCI_STUB_LOG OCI_STUB_DENY
PATH=$(pwd)/tests/e2e/oci-stub:$PATH sh scripts/collect-oci.sh \
	"$T/out" us-ashburn-1 >"$T/collect.out" 2>"$T/collect.err"
rc=$?
if [ $rc = 1 ] && grep -q "calls failed; their files record the error" \
	"$T/collect.err"; then
	ok "collect-oci exits 1 when calls were denied, and says so"
else
	bad "collect-oci exited $rc"
	tail -5 "$T/collect.err"
fi
if grep -q '^collect-oci: \[[0-9]*\] oci ' "$T/collect.err"; then
	ok "progress on stderr ($(grep -c '^collect-oci: \[' "$T/collect.err") lines)"
else
	bad "no progress on stderr"
fi

# Read-only calls only: the last command word is list, get or list-groups.
if [ -s "$T/calls.log" ] && ! awk '{print $2}' "$T/calls.log" |
	grep -Ev '(^|-)(list|get|list-groups)$' | grep -q .; then
	ok "$(wc -l <"$T/calls.log") calls, every one a list or get"
else
	bad "a call that is not read-only:"
	awk '{print $2}' "$T/calls.log" | sort -u | head
fi
# Every listing with --all (api-key list is not paged by OCI).
if ! awk '$2 ~ /list$/ && $2 != "user-api-key-list" && $3 != "--all"' \
	"$T/calls.log" | grep -q .; then
	ok "every paged listing asked with --all"
else
	bad "a listing without --all:"
	awk '$2 ~ /list$/ && $3 != "--all"' "$T/calls.log" | head -3
fi
if ! grep -rl '"opc-next-page"' "$T/out" | grep -q .; then
	ok "no page left in the collected files"
else
	bad "a page left: $(grep -rl opc-next-page "$T/out" | head -1)"
fi

# The layout and content are the tenancy's (but the denied calls).
(cd tests/fixtures/oci/tenancy && find . -type f | sort) >"$T/want"
(cd "$T/out" && find . -type f ! -name rampart-collection.json | sort) \
	>"$T/got"
if cmp -s "$T/want" "$T/got"; then
	ok "the collected layout is the tenancy's ($(wc -l <"$T/got") files)"
else
	bad "layout differs:"
	diff "$T/want" "$T/got" | head -10
fi
same=1
while read -r f; do
	case $f in */bucket-get/* | */user-api-key-list/*) continue ;; esac
	python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' \
		"tests/fixtures/oci/tenancy/$f" "$T/out/$f" 2>/dev/null || {
		same=0
		bad "content differs: $f"
	}
done <"$T/want"
[ $same = 1 ] && ok "every collected file holds the tenancy's data"
if grep -q '"NotAuthorizedOrNotFound"' \
	"$T/out/us-ashburn-1/os/bucket-get/test_bucket.json"; then
	ok "a denied call is recorded as a ServiceError"
else
	bad "the denied bucket get is not recorded"
fi

# The scan of the collected tree, every oci- check bound to one control.
{
	printf 'id: t\ntitle: t\nimpact: moderate\ncontrols:\n  - id: ca-7\n    checks:\n'
	"$RAMPART" checks list | awk '$1 ~ /^oci-/ {print "      - {id: " $1 ", decides: part}"}'
} >"$T/b.yaml"
"$RAMPART" scan --baseline "$T/b.yaml" --input "$T/out" \
	--fixed-time 2024-01-01T00:00:00Z --max-evidence-age 0 \
	--max-results 0 --format json --output "$T/r.json" \
	>/dev/null 2>"$T/scan.err"
rc=$?
python3 - "$T/r.json" >"$T/st" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
seen = set()
for c in d["controls"]:
    for ch in c["checks"]:
        for r in ch["resources"]:
            k = (ch["id"], r["status"], r["id"])
            if k not in seen:
                seen.add(k)
                print(*k)
print("format", d["inputs"][0]["format"])
PY
st() { grep -q "^$1 $2 $3\$" "$T/st"; }
if [ $rc = 1 ] && grep -q '^format oci-cli$' "$T/st"; then
	ok "scan of the collection: oci-cli, not eligible"
else
	bad "scan exited $rc"
	head -3 "$T/scan.err"
fi
if st oci-iam-admin-policy fail ocid1.policy.oc1..aaaaaaaaam5skd5bb3bdm3x7y3fxwl3klwmetrpkloevwj576zlcwoxz3uza; then
	ok "the real TestingScript policy fails (manage all-resources in tenancy)"
else
	bad "the TestingScript policy does not fail"
fi
if st oci-cloudguard-enabled fail "$TEN"; then
	ok "Cloud Guard disabled fails"
else
	bad "Cloud Guard disabled does not fail"
fi
if grep '^oci-objectstorage-bucket-not-public ' "$T/st" | grep -qv ' error ' ||
	! grep -q '^oci-objectstorage-bucket-not-public error ' "$T/st"; then
	bad "a bucket whose get was denied is not error"
	grep '^oci-objectstorage-bucket' "$T/st"
else
	ok "buckets whose get was denied are error, never pass"
fi

# A denied join (api-key list) makes only that attribute unreadable: the
# key-age check is error for every user, the MFA check still decides.
if grep -q '^oci-iam-api-key-age ' "$T/st" &&
	! grep '^oci-iam-api-key-age ' "$T/st" | grep -qv ' error ' &&
	grep -q '^oci-iam-privileged-user-mfa fail ' "$T/st"; then
	ok "a denied api-key list: key age error, never pass; MFA still judged"
else
	bad "denied api-key list: $(grep -E '^oci-iam-(api-key-age|privileged)' "$T/st" | tr '\n' ';')"
fi

# Credentials that can read nothing: a clear, early stop.
OCI_STUB_DENY_ALL=1 PATH=$(pwd)/tests/e2e/oci-stub:$PATH sh \
	scripts/collect-oci.sh "$T/none" us-ashburn-1 >/dev/null 2>"$T/none.err"
rc=$?
n=$(grep -c '^collect-oci: \[' "$T/none.err")
if [ $rc = 3 ] && [ "$n" = 1 ] &&
	grep -q "cannot list the tenancy's compartments (NotAuthorizedOrNotFound)" \
		"$T/none.err"; then
	ok "no readable compartment: exit 3 after one call, with the reason"
else
	bad "denied credentials: exit $rc after $n calls"
	cat "$T/none.err" | head -3
fi

[ $fails = 0 ] || exit 1
exit 0
