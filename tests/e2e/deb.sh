#!/bin/sh
# End-to-end: `make deb` builds the Debian package with dpkg-buildpackage;
# it is unpacked into a scratch root with `dpkg -x` (no install on this
# machine) and the installed binary scans examples/aws-export with the
# installed rules and baselines (found beside the binary, not in this
# checkout), giving the same verdict and control statuses as the build's
# binary.  The package holds the man page, the collect scripts and their
# read-only policies, and the shell completions when the binary can
# print them.  About 30 s (a clean -j2 build without debug symbols).
# Environment: RAMPART (the build's binary), BUILD.
set -u
R=${RAMPART:-$(pwd)/build/rampart}
BUILD=${BUILD:-build}
EX=$(pwd)/examples/aws-export
T=$(mktemp -d /tmp/rampart-e2e-deb.XXXXXX)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
n=0 fails=0
ok() { n=$((n + 1)); echo "ok   $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL $1"; }

for tool in dpkg-buildpackage dh dpkg; do
	command -v $tool >/dev/null ||
		{ echo "FAIL $tool is not installed (make deps)"; exit 1; }
done
DEB_BUILD_OPTIONS="noddebs nocheck parallel=2" \
    make --no-print-directory deb BUILD="$BUILD" >"$T/build.log" 2>&1
rc=$?
DEB=$(ls "$BUILD"/deb/rampart_*.deb 2>/dev/null | head -1)
if [ $rc -eq 0 ] && [ -n "$DEB" ]; then
	ok "make deb: $(basename "$DEB")"
else
	bad "make deb (exit $rc)"; tail -20 "$T/build.log"
	exit 1
fi
dpkg-deb --info "$DEB" >"$T/info"
grep -q "Depends:.*libyaml" "$T/info" && grep -q "Depends:.*libssl3" "$T/info" &&
	ok "package depends on the runtime libraries" ||
	bad "package dependencies: $(grep Depends "$T/info")"

ROOT=$T/root
dpkg -x "$DEB" "$ROOT" && ok "dpkg -x into a scratch root" || bad "dpkg -x"
for f in usr/bin/rampart usr/bin/rampart-collect-aws \
    usr/share/man/man1/rampart.1.gz \
    usr/share/rampart/rules/baselines/fedramp-moderate.yaml \
    usr/share/rampart/policies/aws-readonly-policy.json \
    usr/share/doc/rampart/copyright; do
	[ -s "$ROOT/$f" ] && ok "installs /$f" || bad "no /$f"
done
ls "$ROOT"/usr/share/rampart/rules/packs/*/*.yaml >/dev/null 2>&1 &&
	ok "installs the rule packs" || bad "no rule packs"
if find "$ROOT/usr/share/rampart" -name '*.[ch]' | grep -q .; then
	bad "C sources shipped under /usr/share/rampart"
else
	ok "no C sources under /usr/share/rampart"
fi
gzip -t "$ROOT/usr/share/man/man1/rampart.1.gz" && ok "man page is gzip" ||
	bad "man page"
# Completions: exactly when the binary can print them.
if "$R" completion bash >/dev/null 2>&1; then
	for f in usr/share/bash-completion/completions/rampart \
	    usr/share/zsh/vendor-completions/_rampart \
	    usr/share/fish/vendor_completions.d/rampart.fish; do
		[ -s "$ROOT/$f" ] && ok "installs /$f" || bad "no /$f"
	done
else
	[ -d "$ROOT/usr/share/bash-completion" ] &&
		bad "completion shipped though the binary has none" ||
		ok "no completion (this binary has no 'completion' command)"
fi

# The installed binary, run from elsewhere, with its own rules.
(
	cd "$T" && env -u RAMPART_RULES_DIR "$ROOT/usr/bin/rampart" scan \
	    --baseline fedramp-moderate --input "$EX" --max-evidence-age 0 \
	    --fixed-time 2026-11-27T00:00:00Z --format json --output inst.json
) 2>"$T/inst.err"
rc=$?
[ $rc -eq 1 ] && ok "installed rampart scans the example: exit 1" ||
	{ bad "installed rampart: exit $rc"; head -5 "$T/inst.err"; }
"$R" scan --baseline fedramp-moderate --input "$EX" --max-evidence-age 0 \
    --fixed-time 2026-11-27T00:00:00Z --format json --output "$T/build.json" \
    2>/dev/null
if python3 - "$T/inst.json" "$T/build.json" "$ROOT" <<'PY'; then
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
root = sys.argv[3]
errs = []
if a["verdict"] != b["verdict"]:
    errs.append("verdict %s, the build's %s" % (a["verdict"], b["verdict"]))
sa = {c["id"]: c["status"] for c in a["controls"]}
sb = {c["id"]: c["status"] for c in b["controls"]}
if sa != sb:
    errs.append("%d control statuses differ" %
                sum(1 for k in sa if sa[k] != sb.get(k)))
if a["baseline"]["sha256"] != b["baseline"]["sha256"]:
    errs.append("the installed baseline differs from the checkout's")
errs and print("; ".join(errs))
sys.exit(1 if errs else 0)
PY
	ok "installed rules and baselines: same verdict and control statuses as the build"
else
	bad "installed scan differs from the build's"
fi
# The rules are the installed ones: without the installed baseline the
# installed binary does not find it (it never reads this checkout's).
cp -a "$ROOT" "$T/root2"
rm "$T/root2/usr/share/rampart/rules/baselines/fedramp-moderate.yaml"
(cd "$T" && env -u RAMPART_RULES_DIR "$T/root2/usr/bin/rampart" scan \
    --baseline fedramp-moderate --input "$EX" --format json \
    --output inst2.json) 2>"$T/inst2.err"
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 1 ] && grep -q "fedramp-moderate" "$T/inst2.err" &&
	ok "the installed binary reads the installed baselines (removed: exit $rc)" ||
	bad "the installed binary found a baseline it does not ship (exit $rc)"
"$ROOT/usr/bin/rampart-collect-aws" >/dev/null 2>"$T/c.err"
[ $? -eq 2 ] && grep -q "usage" "$T/c.err" &&
	ok "rampart-collect-aws runs (usage, exit 2)" ||
	bad "rampart-collect-aws: $(head -2 "$T/c.err")"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
    "$ROOT/usr/share/rampart/policies/aws-readonly-policy.json" &&
	ok "the read-only policy is JSON" || bad "the read-only policy is not JSON"

echo "deb e2e: $n checks, $fails failed"
[ "$fails" -eq 0 ]
