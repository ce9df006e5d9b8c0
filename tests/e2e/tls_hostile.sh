#!/bin/sh
# Hostile endpoints: each must give `error` with a clear reason within its
# timeout, never `pass`, exit 4; and rampart must not leak descriptors.
. "$(dirname "$0")/tls/lib.sh"

bg hostile $PY "$E2E_DIR/tls/hostile.py" "$T/ports" 60
i=0
while [ ! -s "$T/ports" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port() { awk -v m="$1" '$1 == m { print $2 }' "$T/ports"; }
mkca
CLOSED=$(free_port)   # nothing listens here

# check MODE PORT REASON-REGEX MAX-SECONDS
check() {
	start=$($PY -c 'import time; print(time.time())')
	scan "$1" "127.0.0.1:$2"
	el=$($PY -c "import time; print(round(time.time() - $start, 2))")
	expect_rc "$1" 4
	expect_py "$1" "e['status'] == 'error'" "status error"
	expect_py "$1" "all(c['status'] in ('error', 'not_applicable') for c in e['checks'].values())" "no check passes or fails"
	expect_py "$1" "__import__('re').search(r'$3', e['error'])" "reason matches /$3/: $(jget "$1" "e['error']")"
	if $PY -c "import sys; sys.exit(0 if $el <= $4 else 1)"; then
		ok "$1: finished in $el s (limit $4 s)"
	else
		bad "$1: took $el s, limit $4 s"
	fi
}

# Timeouts are 2 s: one phase of parallel probes, then stop.
check silent "$(port silent)" "timeout: handshake not answered within 2000 ms" 4
check reset "$(port reset)" "reset" 4
check close "$(port close)" "closed: connection closed by the server after our ClientHello" 4
check garbage "$(port garbage)" "protocol_error: invalid" 4
check drip "$(port drip)" "timeout: handshake not answered within 2000 ms \(([1-9]) bytes" 4
check refused "$CLOSED" "tcp_error: connect: Connection refused" 2

# All at once, several times each, under valgrind's descriptor tracking:
# every socket closed, no memory errors.  Valgrind cannot run a binary
# built with AddressSanitizer (the `make asan` pass): there ASan itself
# checks memory, and the descriptor check runs in the plain pass.
if command -v valgrind >/dev/null 2>&1 &&
    ! grep -q __asan_init "$RAMPART" 2>/dev/null; then
	valgrind -q --track-fds=yes --error-exitcode=99 \
	    --log-file="$T/vg.log" "$RAMPART" tls --format json \
	    --connect-timeout 2 --handshake-timeout 2 --ca-file "$T/ca.pem" \
	    "127.0.0.1:$(port silent)" "127.0.0.1:$(port reset)" \
	    "127.0.0.1:$(port close)" "127.0.0.1:$(port garbage)" \
	    "127.0.0.1:$(port drip)" "127.0.0.1:$CLOSED" >"$T/vg.json" 2>&1
	vrc=$?
	# Descriptors open at exit that rampart opened itself (not std,
	# not inherited from this shell).
	nfd=$($PY -c '
import re, sys
t = open(sys.argv[1]).read()
blocks = re.findall(r"Open (?:file descriptor|AF_\w+ socket) (\d+)[^\n]*\n==\d+==\s+(\S.*)", t)
print(sum(1 for fd, nxt in blocks if "inherited" not in nxt and int(fd) > 2))
' "$T/vg.log")
	if [ "$vrc" = 4 ] && [ "$nfd" = 0 ]; then
		ok "valgrind: exit 4, no descriptor left open, no memory error"
	else
		bad "valgrind: exit $vrc, $nfd descriptor(s) left open"
		cat "$T/vg.log"
	fi
fi
finish
