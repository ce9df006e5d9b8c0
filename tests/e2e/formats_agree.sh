#!/bin/sh
# Cross-format consistency: the same scan written in every format must
# state the same verdict, the same gate (and gate result), the same
# per-status control counts, and an exit code that matches them; OSCAL
# marks `satisfied` exactly the controls that pass; no format calls a run
# eligible while a control is open.  Run over several scans: shipped
# baselines, a POA&M, attestations, the example baseline, and both gates.
set -u
R=${RAMPART:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
NOW=2026-12-01
EX=examples/aws-export
ATT=tests/fixtures/attest/attestations.yaml

cat >"$T/two.yaml" <<EOF
id: two
title: one evidenced control and one manual control
controls:
  - id: cm-8
    checks: [{id: aws-config-recorder-on, decides: part}]
  - id: ac-1
EOF
cat >"$T/full.yaml" <<EOF
id: full
title: one control decided in full by a passing check
controls:
  - id: cm-8.1
    checks: [{id: aws-config-recorder-on, decides: full}]
EOF

# agree LABEL ARGS...: scan once into every format and compare.
agree() {
	l=$1; shift
	d=$T/$(echo "$l" | tr -c 'a-z0-9\n' '_')
	mkdir -p "$d"
	"$R" scan --input $EX --fixed-time $NOW --max-evidence-age 0 \
	    --format text,json,markdown,html,sarif,junit,oscal \
	    --output-dir "$d" "$@" >/dev/null 2>"$d/err"
	rc=$?
	if out=$(python3 - "$d" "$rc" <<'PY'
import json, re, sys
d, rc = sys.argv[1], int(sys.argv[2])
ORDER = ["pass", "fail", "error", "partial", "waived", "not_applicable",
         "manual", "inherited"]
WORD = {"ELIGIBLE": "eligible", "NOT ELIGIBLE": "not_eligible",
        "INCOMPLETE": "incomplete"}
errs = []
j = json.load(open(d + "/report.json"))
ref = {"verdict": j["verdict"], "gate": j["gate"],
       "gate_result": j.get("gate_result"),
       "controls": {k: j["summary"]["controls"][k] for k in ORDER}}
total = sum(ref["controls"].values())
if total != j["summary"]["coverage"]["controls"]:
    errs.append("json: counts sum %d != coverage %d" %
                (total, j["summary"]["coverage"]["controls"]))
seen = {"json": ref}

# text
t = open(d + "/report.txt").read()
m = re.search(r"^verdict: ([A-Z ]+?)  ", t, re.M)
# Zero counts but pass, fail and error are left out; long lines wrap
# under a 10-column indentation; not_applicable reads "n/a".
c = re.search(r"^controls: (.*(?:\n {10}.*)*)", t, re.M)
cc = dict((w.replace("n/a", "not_applicable"), int(n))
          for n, w in re.findall(r"(\d+) ([\w/]+)", c.group(1)))
g = re.search(r"^gate: checks: (PASS|FAIL|ERROR)", t, re.M)
seen["text"] = {"verdict": WORD[m.group(1)],
                "gate": "checks" if g else "eligibility",
                "gate_result": g.group(1).lower() if g else None,
                "controls": {k: cc.get(k, 0) for k in ORDER}}

def table(rowhead, cells):
    v = [int(x) for x in cells]
    # total, pass, fail, error, partial, waived, n/a, manual, inherited
    return dict(zip(["total"] + ORDER, v))

# markdown
md = open(d + "/report.md").read()
m = re.search(r"\*\*Verdict: ([A-Z ]+)\*\*", md)
row = re.search(r"^\| controls \|(.*)\|$", md, re.M).group(1)
tb = table("controls", [x.strip() for x in row.split("|")])
g = re.search(r"gate: checks: (PASS|FAIL|ERROR)", md)
seen["markdown"] = {"verdict": WORD[m.group(1)],
                    "gate": "checks" if g else "eligibility",
                    "gate_result": g.group(1).lower() if g else None,
                    "controls": {k: tb[k] for k in ORDER}}

# html
h = open(d + "/report.html").read()
m = re.search(r"<h1>([A-Z ]+)</h1>", h)
hd = re.search(r"<tr><th></th>((?:<th>[^<]*</th>)+)</tr>", h).group(1)
if re.findall(r"<th>([^<]*)</th>", hd) != ["total", "pass", "fail", "error",
        "partial", "waived", "n/a", "manual", "inherited"]:
    errs.append("html: summary columns changed: " + hd)
row = re.search(r"<tr><th>controls</th>(.*?)</tr>", h).group(1)
tb = table("controls", re.findall(r"<td[^>]*>(\d+)</td>", row))
g = re.search(r"gate: checks: (PASS|FAIL|ERROR)", h)
seen["html"] = {"verdict": WORD[m.group(1)],
                "gate": "checks" if g else "eligibility",
                "gate_result": g.group(1).lower() if g else None,
                "controls": {k: tb[k] for k in ORDER}}

# sarif
s = json.load(open(d + "/report.sarif"))["runs"][0]["properties"]
seen["sarif"] = {"verdict": s["verdict"], "gate": s["gate"],
                 "gate_result": s.get("gate_result"),
                 "controls": {k: s["controls"][k] for k in ORDER}}

# junit: verdict and gate properties (no control counts to compare)
x = open(d + "/report.junit.xml").read()
props = dict(re.findall(r'<property name="([^"]+)" value="([^"]*)"', x))
seen["junit"] = {"verdict": props["verdict"], "gate": props["gate"],
                 "gate_result": props.get("gate.result"),
                 "controls": ref["controls"]}

# oscal: props, the description's counts, and the findings themselves
o = json.load(open(d + "/report.oscal.json"))["assessment-results"]
res = o["results"][0]
p = dict((q["name"], q["value"]) for q in res.get("props", []))
desc = res["description"]
dc = dict((w.replace("not applicable", "not_applicable"), int(n))
          for n, w in re.findall(r"(\d+) (pass|fail|error|partial|waived|"
                                 r"not applicable|manual|inherited)", desc))
seen["oscal"] = {"verdict": p["verdict"], "gate": p["gate"],
                 "gate_result": p.get("gate-result"),
                 "controls": {k: dc[k] for k in ORDER}}
sat = sum(1 for f in res.get("findings", [])
          if f["target"]["status"]["state"] == "satisfied")
if sat != ref["controls"]["pass"]:
    errs.append("oscal: %d findings satisfied, but %d controls pass" %
                (sat, ref["controls"]["pass"]))

for fmt, v in seen.items():
    if v != ref:
        errs.append("%s disagrees with json: %s vs %s" % (fmt, v, ref))

# The verdict is the eligibility decision in every format.
c = ref["controls"]
want = ("not_eligible" if c["fail"] else
        "incomplete" if c["error"] + c["partial"] + c["manual"] else
        "eligible")
if ref["verdict"] != want:
    errs.append("verdict %s, but the counts make it %s" %
                (ref["verdict"], want))
# The exit code: the verdict's, or under --gate checks the gate's.
code = {"eligible": 0, "not_eligible": 1, "incomplete": 4}
if ref["gate"] == "checks":
    wantrc = {"pass": 0, "fail": 1, "error": 4}[ref["gate_result"]]
else:
    wantrc = code[ref["verdict"]]
    if ref["gate_result"] is not None:
        errs.append("gate_result without --gate checks")
if rc != wantrc:
    errs.append("exit %d, want %d" % (rc, wantrc))
print("; ".join(errs) if errs else
      "%s gate %s%s, %s" % (ref["verdict"], ref["gate"],
                            "/" + ref["gate_result"] if ref["gate_result"]
                            else "", c))
sys.exit(1 if errs else 0)
PY
); then
		ok "$l: every format agrees ($out)"
	else
		bad "$l: $out"
		head -3 "$d/err"
	fi
}

agree "example + POA&M" --baseline rules/baselines/example.yaml \
    --poam examples/poam.yaml
for b in fedramp-low fedramp-moderate fedramp-high fedramp-li-saas; do
	agree "$b" --baseline $b
	agree "$b gate checks" --baseline $b --gate checks
done
agree "fedramp-moderate attested" --baseline fedramp-moderate --attest "$ATT"
agree "one open control, gate checks passes" --baseline "$T/two.yaml" \
    --gate checks
agree "one open control" --baseline "$T/two.yaml"
agree "every control decided" --baseline "$T/full.yaml"
agree "every control decided, gate checks" --baseline "$T/full.yaml" \
    --gate checks

echo "formats_agree e2e: $fail failure(s)"
[ "$fail" -eq 0 ]
