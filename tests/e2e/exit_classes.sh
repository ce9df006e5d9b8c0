#!/bin/sh
# Exit codes by diagnostic class (lib/lib.h enum diag_class, cli/exit.c):
# a bad command line is 2; a wrong file the user named (malformed export,
# missing input, bad or missing key file for --sign) is 3; the machine
# failing (a full device as --output, an --output-dir that cannot be made,
# an unreachable TSA, out of memory under `ulimit -v` while loading the
# rules or a large export) is 5, never 3.  No report is left behind by a
# failed run.  Run from the repository root with $RAMPART set.
set -u
RAMPART=${RAMPART:-build/rampart}
BL=rules/baselines/example.yaml
EXP=examples/aws-export
KEY=tests/fixtures/sign/test-ed25519.key
NOW=2026-11-27T00:00:00Z
T=$(mktemp -d /tmp/rampart-exit-XXXXXX)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
fails=0

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# expect_rc WANT DESC CMD...: run, keep stderr in $T/err.
expect_rc() {
	want=$1 desc=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" = "$want" ]; then ok "exit $rc: $desc"
	else bad "exit $rc (want $want): $desc"; sed 's/^/    /' "$T/err" | head -5; fi
}

# no_report FILE DESC: a failed run leaves neither the report nor a
# temporary file next to it.
no_report() {
	if [ -e "$1" ] || ls "$(dirname "$1")" | grep -q "^$(basename "$1")\.tmp"
	then bad "$2: a report or temporary file was left"
	else ok "$2: no report left"; fi
}

scan() { "$RAMPART" scan --baseline $BL --fixed-time $NOW --format json "$@"; }

chmod 600 $KEY

# ------------------------------------------------------------- usage: 2
expect_rc 2 "unknown option" scan --input $EXP --no-such-option
expect_rc 2 "unknown command" "$RAMPART" no-such-command
expect_rc 2 "option without its value" scan --input

# ------------------------------------------------------------- input: 3
mkdir -p "$T/bad/ec2"
printf '{"SecurityGroups": [ {"GroupId": ' \
	>"$T/bad/ec2/describe-security-groups.json"
expect_rc 3 "malformed export" scan --input "$T/bad" --output "$T/r1.json"
grep -q 'describe-security-groups.json:1:[0-9]*: error' "$T/err" ||
	bad "malformed export: no file:line:col"
no_report "$T/r1.json" "malformed export"
expect_rc 3 "missing --input" scan --input "$T/none" --output "$T/r2.json"
no_report "$T/r2.json" "missing --input"
echo "not a key" >"$T/garbage.key"
chmod 600 "$T/garbage.key"
expect_rc 3 "--sign with a file that is not a PEM key" \
	scan --input $EXP --output "$T/r3.json" --sign "$T/garbage.key"
grep -q 'not a PEM private key' "$T/err" || bad "bad key: message"
no_report "$T/r3.json" "bad key"
expect_rc 3 "--sign with a missing key file" \
	scan --input $EXP --output "$T/r4.json" --sign "$T/none.key"
cp $KEY "$T/open.key"
chmod 644 "$T/open.key"
expect_rc 3 "--sign with a key others can read" \
	scan --input $EXP --output "$T/r5.json" --sign "$T/open.key"
expect_rc 3 "baseline lint of a missing file" \
	"$RAMPART" baseline lint "$T/none.yaml"

# ------------------------------------------------------------ system: 5
if [ -w /dev/full ]; then
	expect_rc 5 "--output /dev/full" scan --input $EXP --output /dev/full
	grep -q '/dev/full: error' "$T/err" || bad "/dev/full: message"
else
	echo "skip /dev/full: not writable here"
fi
: >"$T/afile"
expect_rc 5 "--output-dir under a regular file" \
	scan --input $EXP --output-dir "$T/afile/reports"
expect_rc 5 "--output into a missing directory" \
	scan --input $EXP --output "$T/nodir/r.json"
if [ "$(id -u)" != 0 ]; then
	mkdir "$T/ro"
	chmod 555 "$T/ro"
	expect_rc 5 "--output-dir not writable" \
		scan --input $EXP --output-dir "$T/ro"
	no_report "$T/ro/report.json" "--output-dir not writable"
else
	echo "skip read-only --output-dir: root writes anyway"
fi
# A TSA nobody listens on (port 1 on loopback): the machine's network.
expect_rc 5 "--tsa-url that refuses the connection" \
	scan --input $EXP --output "$T/r6.json" --sign $KEY \
	--tsa-url http://127.0.0.1:1/
# The report is written before it is signed; the bundle never is.
no_report "$T/r6.json.sigstore.json" "unreachable TSA (bundle)"

# ------------------------------------------ out of memory (ulimit -v): 5
# A sanitizer build reserves terabytes of address space and cannot run
# under a small ulimit -v; then this part is skipped.
if { sh -c 'ulimit -v 200000 && exec "$0" --version' "$RAMPART"; } \
	>/dev/null 2>&1; then
	mkdir -p "$T/big/ec2"
	python3 - "$T/big/ec2/describe-security-groups.json" <<'EOF'
import json, sys
rule = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
        "IpRanges": [{"CidrIp": "10.0.0.0/8"}], "Ipv6Ranges": [],
        "PrefixListIds": [], "UserIdGroupPairs": []}
gs = [{"GroupId": "sg-%017x" % i, "GroupName": "g%d" % i,
       "Description": "generated", "VpcId": "vpc-1",
       "OwnerId": "123456789012", "IpPermissions": [rule],
       "IpPermissionsEgress": []} for i in range(20000)]
json.dump({"status_code": 200, "data": {"SecurityGroups": gs}},
          open(sys.argv[1], "w"))
EOF
	# Without a limit the export scans (exit 4: most evidence absent).
	expect_rc 4 "6 MB export, no limit" scan --input "$T/big" \
		--output "$T/big.json"
	for th in 0 1; do
		( ulimit -v 40000
		  RAMPART_THREADS=$th scan --input "$T/big" --output "$T/o.json"
		) >"$T/out" 2>"$T/err"
		rc=$?
		if [ $rc = 5 ] && grep -q 'out of memory' "$T/err"; then
			ok "exit 5: out of memory reading a 6 MB export (threads=$th)"
		else
			bad "exit $rc (want 5, out of memory): 6 MB export under ulimit -v 40000 (threads=$th)"
			sed 's/^/    /' "$T/err" | head -3
		fi
		no_report "$T/o.json" "out of memory (threads=$th)"
	done
	# Across limits, the loader, the rules and the engine fail where they
	# fail: the code is a verdict (0 1 4) or 5, never 3 and never a crash.
	n5=0
	for v in 12000 16000 20000 24000 28000 32000 36000; do
		( ulimit -v $v
		  scan --input $EXP --output "$T/v.json" ) >/dev/null 2>"$T/err"
		rc=$?
		case $rc in
		0|1|4) ;;
		5) n5=$((n5 + 1)) ;;
		*) bad "ulimit -v $v: exit $rc"; sed 's/^/    /' "$T/err" | head -3 ;;
		esac
		rm -f "$T/v.json"
	done
	if [ $n5 -gt 0 ]; then ok "ulimit -v sweep: $n5 runs out of memory, all exit 5"
	else bad "ulimit -v sweep: no run ran out of memory (limits too high?)"; fi
	# The same with five inputs on two workers (threads, the rules
	# loaded twice, yajl parsing on each worker: yajl does not check its
	# allocations, lib/json.c stops the program instead), three times
	# each, as where memory runs out depends on the threads.
	mkdir -p "$T/accts"
	for i in 1 2 3 4 5; do cp -r $EXP "$T/accts/a$i"; done
	n5=0
	for v in 40000 48000 56000 60000 64000 68000 72000 80000; do
		for k in 1 2 3; do
			( ulimit -v $v
			  scan --input-each "$T/accts" --jobs 2 \
			      --output "$T/w.json" ) >/dev/null 2>"$T/err"
			rc=$?
			case $rc in
			0|1|4) ;;
			5) n5=$((n5 + 1))
			   [ -e "$T/w.json" ] && bad "ulimit -v $v --jobs 2: exit 5 left a report" ;;
			*) bad "ulimit -v $v --jobs 2: exit $rc"; sed 's/^/    /' "$T/err" | head -3 ;;
			esac
			rm -f "$T/w.json"
		done
	done
	if [ $n5 -gt 0 ]; then ok "ulimit -v sweep, 5 inputs, --jobs 2: $n5 runs out of memory, all exit 5, no report left"
	else bad "ulimit -v sweep --jobs 2: no run ran out of memory (limits too high?)"; fi
else
	echo "skip out of memory: the binary does not start under ulimit -v"
fi

if [ $fails -gt 0 ]; then
	echo "exit_classes: $fails failed"
	exit 1
fi
echo "exit_classes: all passed"
