#!/bin/sh
# rampart diff: the regression gate between two JSON reports.
set -u
R=${RAMPART:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
rc_is() {	# WANT DESC CMD...
	want=$1 desc=$2; shift 2
	"$@" > "$T/out" 2> "$T/err"; got=$?
	[ "$got" = "$want" ] && ok "$desc (exit $got)" || { bad "$desc: exit $got, want $want"; cat "$T/out" "$T/err"; }
}
scan() {	# OUT ARGS...
	out=$1; shift
	"$R" scan --baseline rules/baselines/example.yaml --input examples/aws-export \
	    --fixed-time 2026-11-27T00:00:00Z --format json --output "$T/$out" "$@" 2>/dev/null
}
# With the POA&M the waived control is not a failure; without it, it is.
scan with-poam.json --poam examples/poam.yaml
scan without-poam.json
rc_is 0 "a report against itself does not regress" "$R" diff "$T/with-poam.json" "$T/with-poam.json"
grep -q "no regression" "$T/out" && ok "says no regression" || bad "no 'no regression' line"
rc_is 1 "losing the POA&M waiver is a regression" "$R" diff "$T/with-poam.json" "$T/without-poam.json"
grep -q "^new_failures" "$T/out" && ok "lists the new failure" || bad "no new_failures section"
rc_is 0 "regaining the waiver is not a regression" "$R" diff "$T/without-poam.json" "$T/with-poam.json"
rc_is 1 "json format" "$R" diff --format json "$T/with-poam.json" "$T/without-poam.json"
python3 -c "
import json,sys; d=json.load(open('$T/out'))
assert d['regressed'] is True and len(d['new_failures']) >= 1, d
" && ok "json names the regression" || bad "json diff content"
# A control dropped from NEW is a regression (no longer assessed).
python3 - "$T/with-poam.json" "$T/dropped.json" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
d["controls"] = d["controls"][1:]
json.dump(d, open(sys.argv[2], "w"))
P
rc_is 1 "a control no longer assessed is a regression" "$R" diff "$T/with-poam.json" "$T/dropped.json"
printf '{"verdict": "eligible",}' > "$T/bad.json"
rc_is 3 "malformed report is invalid input" "$R" diff "$T/with-poam.json" "$T/bad.json"
grep -q "bad.json:1:" "$T/err" && ok "error names file:line:col" || bad "no position in: $(cat "$T/err")"
printf '{"verdict": "great", "controls": []}' > "$T/odd.json"
rc_is 3 "a report without a valid verdict is invalid input" "$R" diff "$T/odd.json" "$T/with-poam.json"
rc_is 2 "one operand is a usage error" "$R" diff "$T/with-poam.json"

# Findings, not only controls: an export with one more security group
# open to the internet on SSH.  SC-7 already fails in the example, so
# its status does not change; the new finding alone must fail the gate.
cp -R examples/aws-export "$T/exp-open"
python3 - "$T/exp-open/ec2/describe-security-groups.json" <<'P'
import copy, json, sys
p = sys.argv[1]
d = json.load(open(p))
sgs = d["data"]["SecurityGroups"]
sg = copy.deepcopy(sgs[0])
sg["GroupId"] = "sg-0e2e0pen0000000001"
sg["GroupName"] = "e2e-open-ssh"
sg["IpPermissions"] = [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
    "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [],
    "PrefixListIds": [], "UserIdGroupPairs": []}]
sgs.append(sg)
json.dump(d, open(p, "w"), indent=1)
P
scan_in() {	# OUT EXPORT ARGS...
	out=$1 exp=$2; shift 2
	"$R" scan --baseline rules/baselines/example.yaml --input "$exp" \
	    --fixed-time 2026-11-27T00:00:00Z --format json --output "$T/$out" "$@" 2>/dev/null
}
scan_in base.json examples/aws-export
scan_in open.json "$T/exp-open"
python3 - "$T/base.json" "$T/open.json" <<'P' && ok "SC-7 fails in both reports (the control does not change)" || bad "SC-7 precondition"
import json, sys
for f in sys.argv[1:]:
    d = json.load(open(f))
    assert [c["status"] for c in d["controls"] if c["id"] == "sc-7"] == ["fail"], f
P
rc_is 1 "a new open security group inside an already failing SC-7 is a regression" \
	"$R" diff "$T/base.json" "$T/open.json"
grep -q "^new findings" "$T/out" && grep -q "sg-0e2e0pen0000000001" "$T/out" &&
	ok "the new finding is listed" || bad "new finding not listed: $(cat "$T/out")"
grep -q "^new_failures" "$T/out" && bad "SC-7 was reported as a new control failure" ||
	ok "no control change claimed"
rc_is 0 "removing it again is no regression" "$R" diff "$T/open.json" "$T/base.json"
grep -q "^resolved findings" "$T/out" && ok "the resolved finding is listed" || bad "no resolved findings"
rc_is 1 "json: the new finding" "$R" diff --format json "$T/base.json" "$T/open.json"
python3 - "$T/out" "$T/open.json" <<'P' && ok "json names it by the report's fingerprint" || bad "json findings"
import json, sys
d = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
new = d["findings"]["new"]
assert d["regressed"] and d["exact"] and len(new) == 1, d
assert new[0]["id"] == "sg-0e2e0pen0000000001" and new[0]["to"] == "fail", new
fps = [x["fingerprint"] for c in r["controls"] for k in c["checks"]
       for x in k["resources"] if x["id"] == "sg-0e2e0pen0000000001"]
assert new[0]["fingerprint"] in fps, (new, fps)
assert d["new_failures"] == [], d
P

# A failing finding that turns into an error is a regression too (the
# failure's evidence is lost), and a passing one that errors.
python3 - "$T/open.json" "$T/err.json" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["controls"]:
    for k in c["checks"]:
        for x in k["resources"]:
            if x["id"] == "sg-0e2e0pen0000000001" and x["status"] == "fail":
                x["status"] = "error"
                k["counts"]["fail"] -= 1
                k["counts"]["error"] += 1
json.dump(d, open(sys.argv[2], "w"))
P
rc_is 1 "fail -> error of one finding is a regression" "$R" diff "$T/open.json" "$T/err.json"
grep -q "fail *-> error" "$T/out" && ok "listed as a changed finding" || bad "fail -> error not listed"
python3 - "$T/base.json" "$T/perr.json" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
done = False
for c in d["controls"]:
    for k in c["checks"]:
        for x in k["resources"]:
            if not done and x["status"] == "pass" and k["id"] == "aws-ec2-sg-no-all-ports":
                x["status"] = "error"; key = x["fingerprint"]; done = True
for c in d["controls"]:
    for k in c["checks"]:
        for x in k["resources"]:
            if done and x["fingerprint"] == key:
                x["status"] = "error"
json.dump(d, open(sys.argv[2], "w"))
P
rc_is 1 "pass -> error of one finding is a regression" "$R" diff "$T/base.json" "$T/perr.json"

# The class, not one example: every status change of one finding into
# fail or error regresses (exit 1); every change out of them, or between
# the other statuses, does not (exit 0).  The finding is a security group
# of a check that is listed whole (no cap), edited in every control.
python3 - "$T/base.json" "$T/gen" <<'P'
import copy, json, os, sys
base = json.load(open(sys.argv[1]))
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
CHECK = "aws-ec2-sg-no-all-ports"
target = next(x["fingerprint"] for c in base["controls"] for k in c["checks"]
              if k["id"] == CHECK for x in k["resources"])
def variant(status):
    d = copy.deepcopy(base)
    for c in d["controls"]:
        for k in c["checks"]:
            if k["id"] != CHECK:
                continue
            keep = []
            for x in k["resources"]:
                if x["fingerprint"] == target:
                    k["counts"][x["status"]] -= 1
                    if status is None:
                        continue
                    x["status"] = status
                    k["counts"][status] += 1
                keep.append(x)
            k["resources"] = keep
    return d
states = ["pass", "not_applicable", "fail", "error", None]
with open(os.path.join(out, "cases"), "w") as cases:
    for a in states:
        for b in states:
            if a == b or a is None:
                continue
            fa, fb = "%s/%s.json" % (out, a), "%s/%s-%s.json" % (out, a, b)
            json.dump(variant(a), open(fa, "w"))
            json.dump(variant(b), open(fb, "w"))
            want = 1 if b in ("fail", "error") else 0
            cases.write("%d %s %s %s->%s\n" % (want, fa, fb, a, b))
P
gen_fail=0
while read -r want old new what; do
	"$R" diff "$old" "$new" >/dev/null 2>&1; got=$?
	[ "$got" = "$want" ] || { bad "finding $what: exit $got, want $want"; gen_fail=1; }
done < "$T/gen/cases"
[ $gen_fail = 0 ] && ok "every finding status change into fail or error regresses, and only those ($(wc -l < "$T/gen/cases") cases)"

# Reports of different baselines (or of the same id with other content)
# are refused unless --allow-baseline-change.
"$R" scan --baseline fedramp-moderate --input examples/aws-export \
    --fixed-time 2026-11-27T00:00:00Z --format json --output "$T/moderate.json" 2>/dev/null
rc_is 3 "two baselines are refused" "$R" diff "$T/base.json" "$T/moderate.json"
grep -q "different baselines" "$T/err" && ok "says why" || bad "no reason: $(cat "$T/err")"
rc_is 1 "--allow-baseline-change compares them" \
	"$R" diff --allow-baseline-change "$T/base.json" "$T/moderate.json"
grep -q "allowed by --allow-baseline-change" "$T/out" && ok "and says so" || bad "no baseline note"
sed 's/^title: .*/title: "Example, edited"/' rules/baselines/example.yaml > "$T/example-edited.yaml"
"$R" scan --baseline "$T/example-edited.yaml" --input examples/aws-export \
    --fixed-time 2026-11-27T00:00:00Z --format json --output "$T/edited.json" 2>/dev/null
rc_is 3 "same baseline id, other digest: refused" "$R" diff "$T/base.json" "$T/edited.json"

# Capped lists (--max-results): counted but not listed failures cannot be
# compared; diff says so (exit 4) instead of claiming no regression.
scan_in capped.json examples/aws-export --max-results 1
rc_is 4 "a capped NEW report cannot be compared exactly" "$R" diff "$T/base.json" "$T/capped.json"
grep -q "cannot be compared exactly" "$T/err" && ok "warns about the cap" || bad "no cap warning"
grep -q "CANNOT COMPARE EXACTLY" "$T/out" && ok "does not claim no regression" || bad "claims: $(tail -1 "$T/out")"
# The new open group is not listed in a capped NEW, but the exact counts
# of the capped check rose: a regression all the same.
scan_in open-capped.json "$T/exp-open" --max-results 1
grep -q "sg-0e2e0pen0000000001" "$T/open-capped.json" &&
	bad "precondition: the new group should be cut from the capped list" ||
	ok "the new group is cut from the capped list"
rc_is 1 "a rise of the exact counts behind a capped list is a regression" \
	"$R" diff "$T/base.json" "$T/open-capped.json"
grep -q "more failing or errored results in capped lists" "$T/out" &&
	ok "says which counts rose" || bad "no count rise listed"
exit $fail
