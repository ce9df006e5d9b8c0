#!/bin/sh
# An AWS CLI directory of 100k per-resource outputs without a listing
# (iam/get-policy-version/<name>.json) reads in linear, small memory:
# each output is read into its own arena, freed once handed over.
# (Before: the name vector grew one slot at a time, 20k files = 1.6 GB.)
set -u
R=${RAMPART:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
N=100000
BOUND_KB=150000
# Under the sanitizers every allocation carries redzones and the debug
# arena mallocs each one (85-195 MB seen): a looser bound, still far
# below the quadratic growth this guards against (20k files took 1.6 GB).
case $R in *-asan/* | *-ubsan/* | *-tsan/*) BOUND_KB=600000 ;; esac
mkdir -p "$T/exp/iam/get-policy-version"
python3 - "$T/exp/iam/get-policy-version" "$N" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
doc = ('{"PolicyVersion": {"Document": {"Version": "2012-10-17", '
       '"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
       '"Resource": "*"}]}, "VersionId": "v1", "IsDefaultVersion": true}}\n')
for i in range(n):
    with open("%s/p%06d.json" % (d, i), "w") as f:
        f.write(doc)
PY
# Peak RSS of the scan alone (ru_maxrss of the child, in KiB).
python3 - "$R" "$T" > "$T/rss" <<'PY'
import os, resource, subprocess, sys
r, t = sys.argv[1], sys.argv[2]
# Under AddressSanitizer freed memory is held in quarantine (256 MB by
# default): turn it off so the bound measures what the program keeps.
env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") +
    ":quarantine_size_mb=0")
p = subprocess.run([r, "scan", "--baseline", "rules/baselines/example.yaml",
    "--input", t + "/exp", "--format", "json", "--output", t + "/r.json"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
read rc kb < "$T/rss"
case $rc in 0|1|4) ok "scan of $N per-resource files ran (exit $rc)";;
*) bad "scan of $N per-resource files: exit $rc";; esac
if [ "$kb" -lt "$BOUND_KB" ]; then ok "peak RSS ${kb} KiB < ${BOUND_KB} KiB"
else bad "peak RSS ${kb} KiB >= ${BOUND_KB} KiB"; fi
n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["inputs"][0]["resources"])' "$T/r.json" 2>/dev/null)
[ "$n" = "$N" ] && ok "every file is a resource ($n)" || bad "resources: '$n', want $N"
exit $fail
