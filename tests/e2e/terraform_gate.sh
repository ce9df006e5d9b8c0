#!/bin/sh
# The pre-deployment gate of examples/ci/pre-deploy, end to end: the
# commands its README gives (terraform itself is not installed: they start
# from the committed plan.json, the output of `terraform show -json
# plan.out`).  The plan that would create violations fails the gate (exit
# 1) with each failure pointing at the plan file; its compliant twin
# passes (exit 0); without the scope file the compliant plan is
# incomplete (4: a plan is no evidence of the account), never a pass; a
# plan read through a pipe cannot have its configuration read again, so
# the parts it joins by reference are error (4), never pass.  When the
# Kubernetes adapter and examples/k8s/ are in this tree, the same gate
# with `--input examples/k8s/` fails the violating plan and passes the
# compliant one.
# Run from the repository root with $RAMPART set.
set -u
RAMPART=${RAMPART:-build/rampart}
case $RAMPART in /*) ;; *) RAMPART=$(pwd)/$RAMPART ;; esac
EX=$(pwd)/examples/ci/pre-deploy
K8S=$(pwd)/examples/k8s
RAMPART_RULES_DIR=${RAMPART_RULES_DIR:-$(pwd)/rules}
export RAMPART_RULES_DIR
T=$(mktemp -d /tmp/rampart-tfgate-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# gate WANT DIR [EXTRA ARGS]: the README's scan in DIR, exit WANT.
gate() {
	want=$1 dir=$2
	shift 2
	(cd "$dir" && "$RAMPART" scan --baseline fedramp-moderate \
	    --input plan.json "$@" --gate checks --format text,sarif \
	    --output-dir out >"$T/stdout" 2>"$T/stderr")
	rc=$?
	if [ "$rc" = "$want" ]; then ok "exit $rc: $dir $*"
	else bad "exit $rc (want $want): $dir $*"; head -5 "$T/stderr"; fi
}

mkdir -p "$T/bad" "$T/good"
cp "$EX/plan.json" "$EX/scope.yaml" "$T/bad/"
cp "$EX/compliant/plan.json" "$EX/scope.yaml" "$T/good/"

gate 1 "$T/bad" --scope scope.yaml
grep -q '^gate: checks: FAIL (exit 1)' "$T/bad/out/report.txt" &&
    ok "text report states the failed gate" || bad "text gate line"
# Every violation, in SARIF, at the plan file with a line.
python3 - "$T/bad/out/report.sarif" <<'PY' && ok "sarif: the four violations at plan.json" || bad "sarif results"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["version"] == "2.1.0"
fails = {}
for r in s["runs"][0]["results"]:
    if r.get("kind") != "fail":
        continue
    loc = r["locations"][0]["physicalLocation"]
    fails.setdefault(r["ruleId"], []).append(
        (loc["artifactLocation"]["uri"], loc["region"]["startLine"]))
want = {"aws-ec2-sg-no-admin-ports", "aws-kms-key-rotation",
        "aws-s3-no-public-acl", "aws-s3-bucket-public-access-block"}
assert want <= set(fails), fails
for rule in want:
    for uri, line in fails[rule]:
        assert uri.endswith("plan.json") and line > 0, (rule, uri, line)
PY

gate 0 "$T/good" --scope scope.yaml
grep -q '^gate: checks: PASS (exit 0)' "$T/good/out/report.txt" &&
    ok "text report states the passed gate" || bad "text gate line"

# No scope: the account-level checks have no evidence in a plan.
gate 4 "$T/good"

# Through a pipe: the configuration cannot be read a second time.
(cd "$T/good" && "$RAMPART" scan --baseline fedramp-moderate --input - \
    --scope scope.yaml --gate checks --format json --output out/pipe.json \
    <plan.json >"$T/stdout" 2>"$T/stderr")
rc=$?
[ "$rc" = 4 ] && ok "exit 4: compliant plan through a pipe" ||
    bad "exit $rc (want 4): compliant plan through a pipe"
grep -q "read from a pipe or standard input" "$T/good/out/pipe.json" &&
    ok "the pipe's reason is in the report" || bad "pipe reason"
(cd "$T/bad" && "$RAMPART" scan --baseline fedramp-moderate --input - \
    --scope scope.yaml --gate checks --format json --output out/pipe.json \
    <plan.json >"$T/stdout" 2>"$T/stderr")
rc=$?
[ "$rc" = 1 ] && ok "exit 1: violating plan through a pipe" ||
    bad "exit $rc (want 1): violating plan through a pipe"

# With the Kubernetes manifests, once that adapter is in this tree.
if [ -d "$K8S" ] && "$RAMPART" help scan 2>&1 | grep -q 'kubernetes'; then
	gate 1 "$T/bad" --input "$K8S" --scope scope.yaml
	gate 0 "$T/good" --input "$K8S" --scope scope.yaml
else
	echo "skip the --input examples/k8s/ run (no Kubernetes adapter here)"
fi

[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all ok"
