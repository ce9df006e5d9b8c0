#!/bin/sh
# The Kubernetes recipe (issue 18, examples/scale/k8s-indexed-job.yaml)
# run locally: the manifest is read with `rampart doc --json` (rampart's
# own YAML reader); the shard arithmetic is checked (an Indexed Job whose
# completions equal SHARDS, JOB_COMPLETION_INDEX 0..N-1 mapped to --shard
# 1..N, each part once); the exact command of each index is run with the
# manifest's environment (volume paths mapped to a temporary directory,
# the Secret's keys to the test keys), then the merge Job's exact command;
# the merged report equals one scan of the same accounts field for field
# and its signature verifies.  Accounts: the example export and the real
# placebo recordings of tests/fixtures/aws-checks, one directory each.
# Run from the repository root with $RAMPART set.
set -u
RAMPART=${RAMPART:-build/rampart}
case $RAMPART in /*) ;; *) RAMPART=$(pwd)/$RAMPART ;; esac
T=$(mktemp -d /tmp/rampart-scale-k8s-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
KEYS=$(pwd)/tests/fixtures/sign
chmod 600 "$KEYS"/*.key 2>/dev/null
MANIFEST=examples/scale/k8s-indexed-job.yaml
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

mkdir -p "$T/bin" "$T/accounts" "$T/reports"
ln -s "$RAMPART" "$T/bin/rampart"
for d in tests/fixtures/aws-checks/*/*/; do
	n=$(echo "$d" | sed 's|tests/fixtures/aws-checks/||; s|/$||; s|/|--|')
	cp -r "$d" "$T/accounts/$n"
	rm -f "$T/accounts/$n/expect"
done
cp -r examples/aws-export "$T/accounts/zz-example"

"$RAMPART" doc "$MANIFEST" --json >"$T/manifest.jsonl" ||
	{ bad "rampart doc cannot read $MANIFEST"; exit 1; }

# Write one runner per Job: the container's environment (paths mapped to
# $T) and its exact script; print the shard count.
python3 - "$T" "$KEYS" <<'EOF2' >"$T/plan" || { bad "manifest shape"; exit 1; }
import json, shlex, sys
t, keys = sys.argv[1], sys.argv[2]
docs = [json.loads(l) for l in open(f"{t}/manifest.jsonl")]
jobs = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Job"}
shards, merge = jobs["rampart-shards"], jobs["rampart-merge"]
spec = shards["spec"]
assert spec["completionMode"] == "Indexed", "not an Indexed Job"
n = spec["completions"]
assert 1 <= spec["parallelism"] <= n
local = {"/data/accounts": f"{t}/accounts", "/reports": f"{t}/reports",
         "/keys/shard.key": f"{keys}/test.key",
         "/keys/shard.pub": f"{keys}/test.pub",
         "/keys/merge.key": f"{keys}/test.key"}
for name, job in (("shards", shards), ("merge", merge)):
    c = job["spec"]["template"]["spec"]["containers"][0]
    assert c["command"] == ["/bin/sh", "-c"], c["command"]
    env = {e["name"]: local.get(e["value"], e["value"]) for e in c["env"]}
    if name == "shards":
        assert env["SHARDS"] == str(n), "SHARDS must equal completions"
        assert "JOB_COMPLETION_INDEX" in c["args"][0]
        open(f"{t}/scan-time", "w").write(env["SCAN_TIME"])
        open(f"{t}/baseline", "w").write(env["BASELINE"])
    with open(f"{t}/{name}.sh", "w") as f:
        for k, v in env.items():
            f.write(f"export {k}={shlex.quote(v)}\n")
        f.write(f"exec /bin/sh -c {shlex.quote(c['args'][0])}\n")
print(n)
EOF2
N=$(cat "$T/plan")
ok "manifest: Indexed Job of $N completions, SHARDS=$N, a merge Job"

i=0
while [ $i -lt "$N" ]; do
	PATH="$T/bin:$PATH" JOB_COMPLETION_INDEX=$i sh "$T/shards.sh" \
		>"$T/out" 2>"$T/err"
	rc=$?
	[ $rc = 0 ] && ok "index $i: the Job's command succeeds" ||
		{ bad "index $i: exit $rc"; cat "$T/err"; }
	i=$((i + 1))
done
python3 - "$T" "$N" <<'EOF2' && ok "index i wrote shard i+1 of $N; every account in exactly one shard" || bad "shard arithmetic"
import json, os, sys
t, n = sys.argv[1], int(sys.argv[2])
total = len(os.listdir(f"{t}/accounts"))
seen = []
for k in range(1, n + 1):
    r = json.load(open(f"{t}/reports/shard-{k}.json"))
    assert r["shard"]["index"] == k and r["shard"]["of"] == n, r["shard"]
    assert r["shard"]["total_inputs"] == total
    seen += [i["ordinal"] for i in r["inputs"]]
assert sorted(seen) == list(range(total)), (sorted(seen), total)
EOF2

PATH="$T/bin:$PATH" sh "$T/merge.sh" >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 0 ] && ok "the merge Job's command succeeds" || { bad "merge: exit $rc"; cat "$T/err"; }
"$RAMPART" scan --baseline "$(cat "$T/baseline")" --input-each "$T/accounts" \
	--fixed-time "$(cat "$T/scan-time")" --format json --output "$T/one.json" 2>/dev/null
if python3 tests/e2e/scale_compare.py "$T/one.json" "$T/reports/merged/report.json"; then
	ok "merged report = one scan of every account, field for field"
else bad "merged report differs from one scan"; fi
"$RAMPART" verify "$T/reports/merged/report.json" --key "$KEYS/test.pub" >/dev/null 2>&1 &&
	ok "merged report's signature verifies" || bad "merged signature"
# The GitHub Actions example: its matrix is shards 1..SHARDS, merged once.
"$RAMPART" doc examples/scale/github-matrix.yml --json >"$T/gh.jsonl" &&
python3 - "$T/gh.jsonl" <<'EOF2' && ok "github-matrix.yml: matrix 1..SHARDS, a merge job after it" || bad "github-matrix.yml shape"
import json, sys
w = json.loads(open(sys.argv[1]).readline())
n = int(w["env"]["SHARDS"])
assert w["jobs"]["scan"]["strategy"]["matrix"]["shard"] == list(range(1, n + 1))
assert w["jobs"]["merge"]["needs"] == "scan"
assert "--shard" in json.dumps(w["jobs"]["scan"]["steps"])
EOF2
echo "scale_k8s: $fails failure(s)"
[ "$fails" = 0 ]
