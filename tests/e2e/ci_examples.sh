#!/bin/sh
# End-to-end: the CI examples run locally.  Each YAML under examples/ci/
# is read by a small parser (block mappings, sequences, literal blocks:
# what the two files use; no yq), and its commands run in a scratch
# folder as the CI would run them, against the shipped example export:
#  - GitHub Actions: every `run:` step of the job but the package
#    install (tests/e2e/deb.sh covers it), with ${{ secrets.* }} and
#    ${{ runner.temp }} filled in; the `uses:` steps (checkout, AWS
#    credentials, SARIF and artifact upload) are CI-only and skipped.  The
#    collection runs scripts/collect-aws.sh against the AWS CLI stand-in
#    (tests/e2e/aws-stub) answering from examples/aws-export.
#  - GitLab CI: the job's `script:` lines in one shell (before_script,
#    which installs the package, skipped), taking examples/aws-export as
#    the export.
# Asserts the reports, their signatures (verified by the `verify` step),
# the step summary, and that the job's exit code is the gate's: the one
# `rampart scan` gives on the same input.
# Environment: RAMPART (binary).
set -u
R=${RAMPART:-$(pwd)/build/rampart}
REPO=$(pwd)
T=$(mktemp -d /tmp/rampart-e2e-ci.XXXXXX)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
n=0 fails=0
# Debian's python3: a pyenv shim puts its own folders (an aws CLI among
# them) before the stand-in on PATH.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
ok() { n=$((n + 1)); echo "ok   $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $1"; }

# GitHub: an encrypted key and its passphrase secret; GitLab: a plain
# key and no passphrase variable.
echo "ci-passphrase" >"$T/pass"
"$R" keygen --out "$T/k" --passphrase-file "$T/pass" >/dev/null 2>&1 &&
	"$R" keygen --out "$T/p" >/dev/null 2>&1 || { echo "FAIL keygen"; exit 1; }

# The parser and runner: python3, no YAML library.
cat >"$T/ci.py" <<'PY'
import os, re, subprocess, sys

def parse(text):
    """Block YAML as the examples write it: mappings, sequences of
    mappings or scalars, `|` literal blocks, comments."""
    lines = [l.rstrip("\n") for l in text.split("\n")]
    def indent(l): return len(l) - len(l.lstrip(" "))
    def clean(v):
        v = re.sub(r"\s+#.*$", "", v).strip()
        if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
            v = v[1:-1]
        return v
    pos = 0
    def skip():
        nonlocal pos
        while pos < len(lines) and (not lines[pos].strip() or
                                    lines[pos].lstrip().startswith("#")):
            pos += 1
    def block(ind):
        nonlocal pos
        out = []
        while pos < len(lines) and (not lines[pos].strip() or
                                    indent(lines[pos]) >= ind):
            out.append(lines[pos][ind:])
            pos += 1
        while out and not out[-1].strip():
            out.pop()
        return "\n".join(out) + "\n"
    def value(rest, ind):
        nonlocal pos
        rest = clean(rest)
        if rest == "|":
            skip()
            return block(indent(lines[pos]))
        if rest:
            return rest
        skip()
        if pos < len(lines) and indent(lines[pos]) > ind:
            return node(indent(lines[pos]))
        if pos < len(lines) and indent(lines[pos]) == ind and \
                lines[pos].lstrip().startswith("- "):
            return node(ind)
        return None
    def node(ind):
        nonlocal pos
        skip()
        if lines[pos].lstrip().startswith("- "):
            seq = []
            while True:
                skip()
                if pos >= len(lines) or indent(lines[pos]) != ind or \
                        not lines[pos].lstrip().startswith("- "):
                    return seq
                item = lines[pos][ind + 2:]
                if re.match(r"^[\w.-]+:(\s|$)", item):
                    lines[pos] = " " * (ind + 2) + item
                    seq.append(node(ind + 2))
                else:
                    seq.append(clean(item))
                    pos += 1
        m = {}
        while True:
            skip()
            if pos >= len(lines) or indent(lines[pos]) != ind:
                return m
            mm = re.match(r"^\s*([\w.-]+):\s*(.*)$", lines[pos])
            if not mm:
                raise SystemExit("cannot parse line %d: %r" % (pos + 1,
                                                                lines[pos]))
            pos += 1
            m[mm.group(1)] = value(mm.group(2), ind)
    return node(0)

def fill(s, ctx):
    def sub(mm):
        k = mm.group(1).strip()
        if k not in ctx:
            raise SystemExit("no value for ${{ %s }}" % k)
        return ctx[k]
    return re.sub(r"\$\{\{([^}]*)\}\}", sub, s)

def run(script, env, cwd, log):
    log.write("$ " + script.replace("\n", "\n  ") + "\n")
    log.flush()
    return subprocess.call(["sh", "-c", script], env=env, cwd=cwd,
                           stdout=log, stderr=log)

kind, yml, cwd, logpath = sys.argv[1:5]
doc = parse(open(yml).read())
log = open(logpath, "w")
env = dict(os.environ)
ran, skipped = [], []
if kind == "github":
    job = next(iter(doc["jobs"].values()))
    ctx = {"secrets.RAMPART_SIGN_KEY": open(os.environ["KEY"]).read(),
           "secrets.RAMPART_PASSPHRASE": "ci-passphrase",
           "secrets.AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/x",
           "runner.temp": os.environ["RUNNER_TEMP"]}
    for k, v in (job.get("env") or {}).items():
        env[k] = fill(v, ctx)
    rc = 0
    for st in job["steps"]:
        name = st.get("name") or st.get("uses")
        if "uses" in st or name == "Install rampart":
            skipped.append(name)
            continue
        e = dict(env)
        for k, v in (st.get("env") or {}).items():
            e[k] = fill(v, ctx)
        rc = run(fill(st["run"], ctx), e, cwd, log)
        ran.append("%s=%d" % (name, rc))
        if rc != 0:
            break
else:
    job = doc["rampart"]
    for k, v in (job.get("variables") or {}).items():
        env[k] = v
    skipped.append("before_script (%d lines)" % len(job["before_script"]))
    rc = run("set -e\n" + "\n".join(job["script"]), env, cwd, log)
    ran.append("script (%d lines)=%d" % (len(job["script"]), rc))
print("ran: %s; skipped: %s" % (", ".join(ran), ", ".join(skipped)))
sys.exit(rc)
PY

# A scratch checkout: the examples and scripts the commands name.
work() {
	d=$T/$1
	mkdir -p "$d"
	ln -s "$REPO/examples" "$d/examples"
	ln -s "$REPO/scripts" "$d/scripts"
	cp "$T/k.pub" "$d/rampart.pub"
	echo "$d"
}

# The gate's exit code: the one rampart scan gives on the same input.
want_rc() {
	"$R" scan --baseline fedramp-moderate --input "$1" --gate checks \
	    --format json >/dev/null 2>&1
	echo $?
}

# check DIR LABEL: the reports and signatures the examples keep.
check_out() {
	d=$1/rampart-out l=$2
	for f in report.sarif report.json report.txt report.html \
	    report.junit.xml summary.md; do
		if [ -s "$d/$f" ] && [ -s "$d/$f.sigstore.json" ]; then :
		else bad "$l: no $f or no signature"; return; fi
	done
	ok "$l: SARIF, JSON, text, HTML, JUnit and the summary, each signed"
	grep -q "steps: verified rampart-out/report.sarif" "$1/ci.log" &&
		ok "$l: the verify step checked the signatures" ||
		bad "$l: signatures not verified"
}

# ------------------------------------------------------- GitHub Actions
W=$(work gh)
mkdir -p "$T/account" "$T/runner"
cp -r examples/aws-export/* "$T/account/"
: >"$T/step-summary"
( cd "$W" && KEY=$T/k.key RUNNER_TEMP=$T/runner RAMPART=$R \
    PATH=$REPO/tests/e2e/aws-stub:$PATH AWS_STUB_DATA=$T/account \
    AWS_STUB_LOG=$T/calls.log RAMPART_REGIONS=us-east-1 \
    RAMPART_COLLECT="sh scripts/collect-aws.sh" \
    GITHUB_STEP_SUMMARY=$T/step-summary \
    $PY "$T/ci.py" github "$REPO/examples/ci/github-actions.yml" "$W" \
    "$W/ci.log" ) >"$T/gh.out" 2>&1
rc=$?
cat "$T/gh.out"
grep -q "ran: Collect=0, Scan and sign=0, Verify the signatures=0, Summary=0, Gate=" "$T/gh.out" &&
	ok "github: every run step but the install, in order" ||
	{ bad "github: steps"; tail -20 "$W/ci.log"; }
[ -s "$W/rampart-export/iam/get-credential-report.json" ] &&
	ok "github: collected an export (collect-aws.sh against the stub)" ||
	bad "github: nothing collected"
w=$(want_rc "$W/rampart-export")
[ "$rc" = "$w" ] && ok "github: the job exits $rc, the gate's (rampart scan: $w)" ||
	bad "github: the job exits $rc, rampart scan $w"
check_out "$W" github
cmp -s "$T/step-summary" "$W/rampart-out/summary.md" &&
	ok "github: the Markdown summary went to \$GITHUB_STEP_SUMMARY" ||
	bad "github: step summary"

# ------------------------------------------------------------ GitLab CI
W=$(work gl)
cp "$T/p.pub" "$W/rampart.pub"
( cd "$W" && RAMPART=$R RAMPART_INPUT=examples/aws-export \
    RAMPART_SIGN_KEY_PEM=$T/p.key \
    $PY "$T/ci.py" gitlab "$REPO/examples/ci/gitlab-ci.yml" "$W" \
    "$W/ci.log" ) >"$T/gl.out" 2>&1
rc=$?
cat "$T/gl.out"
grep -q "ran: script (6 lines)=" "$T/gl.out" &&
	ok "gitlab: the script lines" || { bad "gitlab: script"; tail -20 "$W/ci.log"; }
w=$(want_rc examples/aws-export)
[ "$rc" = "$w" ] && ok "gitlab: the job exits $rc, the gate's (rampart scan: $w)" ||
	bad "gitlab: the job exits $rc, rampart scan $w"
check_out "$W" gitlab
grep -q "^## rampart: NOT ELIGIBLE" "$W/ci.log" &&
	ok "gitlab: the summary is printed in the job log" ||
	bad "gitlab: no summary in the log"

echo "ci_examples e2e: $n checks, $fails failed"
[ "$fails" -eq 0 ]
