#!/bin/sh
# tests/bench/providers/k8s.sh BUILD: the Kubernetes row of `make bench`.
#
# Generates a `kubectl get -A -o json` List of BENCH_SIZES MB (default
# "20 200") into tests/bench/data/ (gitignored; reused when the size is
# right): namespaces, each with a NetworkPolicy and a mix of
# Deployments, DaemonSets, CronJobs and Pods of two containers.  Rows, as
# tests/bench/run.sh prints them: yajl with no-op callbacks (the
# ceiling), and `rampart scan` of the List with every shipped k8s- check
# bound (a baseline written to a temporary folder) and the JSON report
# written.  The kubernetes adapter holds an input in memory to join
# namespaces, policies and roles (docs/kubernetes.md): its peak RSS grows
# with the input, which this row shows.
set -euf
BUILD=${1:-build}
B=$BUILD/bench
DATA=tests/bench/data
SIZES=${BENCH_SIZES:-20 200}
RUNS=${BENCH_RUNS:-3}
CC=${CC:-cc}
CFLAGS="-O2 -g -std=c11 -D_POSIX_C_SOURCE=200809L -I. -Ilib"

mkdir -p "$B" "$DATA"
$CC $CFLAGS -o "$B/yajl_parse_only" tests/bench/yajl_parse_only.c -lyajl
$CC $CFLAGS -o "$B/rusage_run" tests/bench/rusage_run.c
RAMPART_RULES_DIR=$(pwd)/rules
export RAMPART_RULES_DIR
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

{
	printf 'id: bench-k8s\ntitle: every k8s check\nimpact: moderate\n'
	printf 'controls:\n  - id: ca-7\n    checks:\n'
	"$BUILD/rampart" checks list | awk '/^k8s-/ {
	    print "      - id: " $1 "\n        decides: part" }'
} >"$TMP/baseline.yaml"

gen() { # FILE MB
	python3 - "$1" "$2" <<'PY'
import json, sys
path, mb = sys.argv[1], int(sys.argv[2])
want = mb * 1048576
ctr = lambda n, i: {"name": "c%d" % i, "image": "registry.example/app:%d" % n,
    "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
    "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]}},
    "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}}}
spec = lambda n: {"serviceAccountName": "app", "securityContext": {"runAsNonRoot": True,
    "seccompProfile": {"type": "RuntimeDefault"}}, "containers": [ctr(n, 0), ctr(n, 1)]}
with open(path, "w") as f:
    f.write('{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[')
    n, size, first = 0, 0, True
    while size < want:
        ns = "ns%d" % (n // 50)
        if n % 50 == 0:
            items = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns,
                "labels": {"pod-security.kubernetes.io/enforce": "restricted"}}},
                {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                 "metadata": {"name": "deny", "namespace": ns},
                 "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}]
        else:
            items = []
        k = n % 4
        md = {"name": "w%d" % n, "namespace": ns, "uid": "%032x" % n}
        if k == 0:
            items.append({"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": spec(n)})
        elif k == 1:
            items.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": md,
                "spec": {"template": {"spec": spec(n)}}})
        elif k == 2:
            items.append({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": md,
                "spec": {"template": {"spec": spec(n)}}})
        else:
            items.append({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": md,
                "spec": {"jobTemplate": {"spec": {"template": {"spec": spec(n)}}}}})
        for it in items:
            s = ("" if first else ",") + json.dumps(it, separators=(",", ":"))
            first = False
            f.write(s)
            size += len(s)
        n += 1
    f.write("]}\n")
PY
}

ROWS='yajl parse-only (ceiling)|yajl_parse_only|$F
rampart scan, all k8s checks|rusage_run|$F $TMP/report.json -- $BUILD/rampart scan --baseline $TMP/baseline.yaml --input $F --max-evidence-age 0 --format json --output $TMP/report.json'

for mb in $SIZES; do
	F=$DATA/k8s-list-$mb.json
	have=$(stat -c %s "$F" 2>/dev/null || echo 0)
	want=$((mb * 1048576))
	if [ "$have" -lt "$want" ] || [ "$have" -gt $((want + 65536)) ]; then
		gen "$F" "$mb"
	fi
	rm -f "$TMP"/row.*
	i=0
	while [ $i -lt "$RUNS" ]; do
		n=0
		echo "$ROWS" | while IFS='|' read -r label prog args; do
			n=$((n + 1))
			# shellcheck disable=SC2086
			out=$("$B/$prog" $(eval echo "$args")) ||
			    { echo "bench: $label failed" >&2; exit 1; }
			if [ ! -f "$TMP/row.$n" ] || [ "$(echo "$out \
			    $(cat "$TMP/row.$n")" | awk '{print ($3 < $8)}')" = 1 ]
			then
				echo "$out" >"$TMP/row.$n"
			fi
		done
		i=$((i + 1))
	done
	echo "== $F ($(($(stat -c %s "$F") / 1048576)) MB), best of $RUNS"
	printf '%-40s %9s %7s %6s %9s %10s %9s\n' row count "MB/s" ratio \
	    "MB/s cpu" "cpu ratio" "peak RSS"
	n=0
	base=
	cbase=
	echo "$ROWS" | while IFS='|' read -r label prog args; do
		n=$((n + 1))
		r=$(cat "$TMP/row.$n")
		mbs=$(echo "$r" | awk '{printf "%.1f", $2 / 1048576 / $3}')
		cpu=$(echo "$r" | awk '{printf "%.1f", $2 / 1048576 / $5}')
		rss=$(echo "$r" | awk '{printf "%.1f MB", $4 / 1024}')
		[ -n "$base" ] || base=$mbs
		[ -n "$cbase" ] || cbase=$cpu
		printf '%-40s %9s %7s %6s %9s %10s %9s\n' "$label" \
		    "$(echo "$r" | awk '{print $1}')" "$mbs" \
		    "$(echo "$mbs $base" | awk '{printf "%.0f%%", 100*$1/$2}')" \
		    "$cpu" \
		    "$(echo "$cpu $cbase" | awk '{printf "%.0f%%", 100*$1/$2}')" \
		    "$rss"
	done
done
