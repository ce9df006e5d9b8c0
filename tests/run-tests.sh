#!/bin/sh
# Run every unit test binary, fuzz corpus replay and end-to-end script.
# Prints one closing line "tests: N passed, N failed".
# Environment: BUILD (build dir), SHARED (../shared, optional).
BUILD=${BUILD:-build}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
export BUILD SHARED
RAMPART=$(pwd)/$BUILD/rampart
export RAMPART
# git checks the test keys out 0644; rampart refuses a private key that
# group or others can read (as ssh does).
chmod 600 tests/fixtures/sign/*.key
pass=0 fail=0 failed=""
log=$BUILD/test-logs
mkdir -p "$log"

run() {	# name command...
	name=$1; shift
	if "$@" >"$log/$name.log" 2>&1; then
		pass=$((pass + 1)); echo "ok   $name"
	else
		fail=$((fail + 1)); failed="$failed $name"
		echo "FAIL $name (log: $log/$name.log)"
		tail -n 30 "$log/$name.log" | sed 's/^/    /'
	fi
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	case $t in *.d|*.o) continue;; esac
	run "$(basename "$t")" "$t"
done
for f in "$BUILD"/fuzz-replay/fuzz_*; do
	[ -x "$f" ] || continue
	n=$(basename "$f"); c=tests/fuzz/corpus/${n#fuzz_}
	run "replay-$n" "$f" "$c"
done
for e in tests/e2e/*.sh; do
	[ -f "$e" ] || continue
	run "e2e-$(basename "$e" .sh)" sh "$e"
done
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
