#!/bin/sh
# Run every unit test binary, fuzz corpus replay and end-to-end script.
# Prints one closing line "tests: N passed, N failed".
# Environment: BUILD (build dir), SHARED (../shared, optional), E2E_SKIP
# (names of e2e scripts not to run in this pass, with why in the
# Makefile: `make asan` leaves out the package test, which builds its own
# plain binary).
BUILD=${BUILD:-build}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
export BUILD SHARED
RAMPART=$(pwd)/$BUILD/rampart
export RAMPART
# git checks the test keys out 0644; rampart refuses a private key that
# group or others can read (as ssh does).
chmod 600 tests/fixtures/sign/*.key
log=$BUILD/test-logs
mkdir -p "$log"

# Two lanes at once (the machine has two cores; most tests use one).
# Lane "net" holds the end-to-end scripts that start servers on loopback
# ports or build into $BUILD (the package, the reports fixture), one
# after the other, and two long scripts that balance the lanes
# (cli_limits, collect: about 100 s of the ASan pass); lane "rest" holds
# everything else.  Each lane writes its lines to a file; they are
# printed lane by lane at the end.
NET_E2E=" cli_limits cli_tls collect deb hardening output reports scale \
scan_tls sign time_poam tls_addresses tls_gnutls tls_hostile tls_memory \
tls_nginx tls_openssl "
E2E_SKIP=" ${E2E_SKIP:-} "

run() {	# out name command...
	out=$1 name=$2; shift 2
	t0=$(date +%s)
	if "$@" >"$log/$name.log" 2>&1; then
		echo "ok   $name ($(($(date +%s) - t0)) s)" >>"$out"
	else
		{
			echo "FAIL $name ($(($(date +%s) - t0)) s, log: $log/$name.log)"
			tail -n 30 "$log/$name.log" | sed 's/^/    /'
		} >>"$out"
	fi
}

lane_net() {
	for e in tests/e2e/*.sh; do
		[ -f "$e" ] || continue
		n=$(basename "$e" .sh)
		case $NET_E2E in *" $n "*) ;; *) continue;; esac
		case $E2E_SKIP in *" $n "*) continue;; esac
		run "$log/lane-net.out" "e2e-$n" sh "$e"
	done
}

lane_rest() {
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		case $t in *.d|*.o) continue;; esac
		run "$log/lane-rest.out" "$(basename "$t")" "$t"
	done
	for f in "$BUILD"/fuzz-replay/fuzz_*; do
		[ -x "$f" ] || continue
		n=$(basename "$f"); c=tests/fuzz/corpus/${n#fuzz_}
		run "$log/lane-rest.out" "replay-$n" "$f" "$c"
	done
	for e in tests/e2e/*.sh; do
		[ -f "$e" ] || continue
		n=$(basename "$e" .sh)
		case $NET_E2E in *" $n "*) continue;; esac
		case $E2E_SKIP in *" $n "*) continue;; esac
		run "$log/lane-rest.out" "e2e-$n" sh "$e"
	done
}

rm -f "$log/lane-net.out" "$log/lane-rest.out"
: >"$log/lane-net.out"
: >"$log/lane-rest.out"
lane_net &
lane_rest
wait
cat "$log/lane-rest.out" "$log/lane-net.out"
pass=$(grep -c '^ok   ' "$log/lane-rest.out" "$log/lane-net.out" |
    awk -F: '{ n += $2 } END { print n + 0 }')
fail=$(grep -c '^FAIL ' "$log/lane-rest.out" "$log/lane-net.out" |
    awk -F: '{ n += $2 } END { print n + 0 }')
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
