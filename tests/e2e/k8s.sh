#!/bin/sh
# End-to-end Kubernetes: `rampart scan` of real cluster answers
# (tests/fixtures/k8s/cluster: API lists of a Docker Desktop cluster and a
# minikube kube-apiserver pod, see the README there) and of the manifest
# example (examples/k8s), against the shipped FedRAMP Moderate mapping.
# Asserts the findings the data shows (wildcard roles, no encryption
# provider, unlabelled namespaces, unpinned images), that the same
# objects as one `kubectl get -A -o json` List (also through a pipe)
# give the same per-resource results, that a continued list is an
# error, that no secret value reaches any report format, and that the
# pre-deployment gate fails a manifest set with one privileged container.
# Run from the repository root with $RAMPART set.
set -u
RAMPART=${RAMPART:-build/rampart}
T=$(mktemp -d /tmp/rampart-k8s-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0
NOW=2024-01-01T00:00:00Z
C=tests/fixtures/k8s/cluster

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

scan() { # OUT ARGS...: JSON report to OUT, exit code echoed
	out=$1
	shift
	"$RAMPART" scan --baseline fedramp-moderate --fixed-time "$NOW" \
	    --max-evidence-age 0 --max-results 0 --gate checks \
	    --format json --output "$out" "$@" 2>"$out.err"
	echo $?
}

# "check status id" for every k8s- result of a JSON report, sorted.
results() {
	python3 - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
seen = set()
for c in d["controls"]:
    for ch in c["checks"]:
        if not ch["id"].startswith("k8s-") or ch["id"] in seen:
            continue
        seen.add(ch["id"])
        print(ch["id"], "check", ch["status"])
        for r in ch.get("resources", []):
            print(ch["id"], r["status"], r["id"], r.get("namespace") or "-")
EOF
}

expect() { # FILE LINE: the results hold LINE exactly
	if grep -qxF "$2" "$1"; then ok "$2"; else bad "missing: $2"; fi
}

# ---------------------------------------------------------------- cluster
rc=$(scan "$T/c.json" --input "$C")
[ "$rc" = 1 ] && ok "cluster: gate fails (exit 1)" || bad "cluster: exit $rc"
results "$T/c.json" | sort >"$T/c.txt"
expect "$T/c.txt" "k8s-rbac-wildcard-role check fail"
expect "$T/c.txt" "k8s-rbac-wildcard-role fail ClusterRole/vpnkit-controller -"
expect "$T/c.txt" "k8s-rbac-wildcard-role fail ClusterRole/storage-provisioner -"
expect "$T/c.txt" "k8s-rbac-wildcard-role not_applicable ClusterRole/cluster-admin -"
expect "$T/c.txt" "k8s-rbac-wildcard-role pass Role/kube-system/kube-proxy kube-system"
expect "$T/c.txt" "k8s-apiserver-encryption-config fail Pod/kube-system/kube-apiserver-minikube kube-system"
expect "$T/c.txt" "k8s-apiserver-authorization-mode pass Pod/kube-system/kube-apiserver-minikube kube-system"
expect "$T/c.txt" "k8s-apiserver-anonymous-auth fail Pod/kube-system/kube-apiserver-minikube kube-system"
expect "$T/c.txt" "k8s-namespace-psa-enforce fail Namespace/kube-system -"
expect "$T/c.txt" "k8s-image-digest fail Deployment/default/hello-node default"
expect "$T/c.txt" "k8s-image-digest fail Deployment/kube-system/coredns kube-system"
# Namespaces without a NetworkPolicy listing: unknown, never a pass.
expect "$T/c.txt" "k8s-namespace-default-deny check error"
expect "$T/c.txt" "k8s-namespace-default-deny error Namespace/default -"
# No DaemonSet listing in these answers: workload checks are error.
expect "$T/c.txt" "k8s-privileged-container check error"

# -------------------------------------- the same as one kubectl List
python3 - "$C" "$T/list.json" <<'EOF'
import json, os, sys
items = []
for f in sorted(os.listdir(sys.argv[1])):
    d = json.load(open(os.path.join(sys.argv[1], f)))
    if d.get("kind", "").endswith("List"):
        kind = d["kind"][:-4]
        for it in d["items"]:
            it.setdefault("kind", kind)
            it.setdefault("apiVersion", d["apiVersion"])
            items.append(it)
    else:
        items.append(d)
json.dump({"apiVersion": "v1", "kind": "List", "items": items,
           "metadata": {"resourceVersion": ""}}, open(sys.argv[2], "w"))
EOF
scan "$T/l.json" --input "$T/list.json" >/dev/null
results "$T/l.json" | grep -v " check " | sort >"$T/l.txt"
grep -v " check " "$T/c.txt" >"$T/c-res.txt"
if cmp -s "$T/c-res.txt" "$T/l.txt"; then
	ok "List and API lists: same per-resource results ($(wc -l <"$T/l.txt"))"
else
	bad "List and API lists differ"
	diff "$T/c-res.txt" "$T/l.txt" | head -10
fi
cat "$T/list.json" | scan "$T/p.json" --input - >/dev/null
results "$T/p.json" | grep -v " check " | sort >"$T/p.txt"
cmp -s "$T/l.txt" "$T/p.txt" && ok "List through a pipe: same results" ||
	bad "List through a pipe differs"

# ------------------------------------------------------- continued list
python3 - "$C/deployments.json" "$T/page.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["metadata"]["continue"] = "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ"
json.dump(d, open(sys.argv[2], "w"))
EOF
scan "$T/pg.json" --input "$T/page.json" >/dev/null
results "$T/pg.json" | sort >"$T/pg.txt"
expect "$T/pg.txt" "k8s-image-digest error listing of K8s::Apps::Deployment -"
grep -q "metadata.continue" "$T/pg.json" && ok "continue token named" ||
	bad "continue token not named"

# ------------------------------------------------- no secret in reports
F=tests/fixtures/k8s-checks/k8s-env-plain-secret/plain-password
"$RAMPART" scan --baseline fedramp-moderate --fixed-time "$NOW" \
    --max-evidence-age 0 --input "$F/pods.yaml" \
    --format json,sarif,text,markdown,html,junit,oscal --output-dir "$T/out" \
    >/dev/null 2>&1
n=$(ls "$T/out" | wc -l)
[ "$n" -ge 7 ] && ok "secret scan wrote $n reports" || bad "reports: $n"
if grep -rl -e "hunter2-do-not-print" -e "YmFja2VuZC1hZG1pbg" -e \
    "ZGItYWRtaW4" "$T/out" >/dev/null; then
	bad "a secret value reached a report"
else
	ok "no secret value in any report format"
fi
grep -q "DB_PASSWORD" "$T/out/report.json" && grep -q "(redacted)" \
    "$T/out/report.json" && ok "evidence names the variable, value redacted" ||
	bad "redacted evidence missing"

# ---------------------------------------------------- pre-deploy gate
scan "$T/g.json" --input examples/k8s/ >/dev/null
results "$T/g.json" | grep " check " | grep -v -e " pass$" \
    -e " not_applicable$" >"$T/g-bad.txt"
[ ! -s "$T/g-bad.txt" ] && ok "examples/k8s: every k8s check passes or n/a" ||
	{ bad "examples/k8s:"; cat "$T/g-bad.txt"; }
mkdir "$T/bad"
cp examples/k8s/*.yaml "$T/bad/"
sed 's/allowPrivilegeEscalation: false/allowPrivilegeEscalation: false\n            privileged: true/' \
    examples/k8s/deployment.yaml >"$T/bad/deployment.yaml"
rc=$(scan "$T/b.json" --input "$T/bad")
[ "$rc" = 1 ] && ok "one privileged container: gate exit 1" ||
	bad "privileged manifest: exit $rc"
results "$T/b.json" >"$T/b.txt"
expect "$T/b.txt" "k8s-privileged-container fail Deployment/shop/web shop"

[ "$fails" -eq 0 ] && echo "k8s: all ok" && exit 0
echo "k8s: $fails failure(s)"
exit 1
