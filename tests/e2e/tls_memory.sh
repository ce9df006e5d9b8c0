#!/bin/sh
# Memory stays flat however many endpoints are probed: results are
# streamed (tls_scan_each) and freed, not kept to the end.  300 and 3000
# endpoints that refuse the connection (fast: no TLS server needed) must
# peak within 3 MiB of each other; keeping every result costs ~6 KiB an
# endpoint (~16 MiB more for 3000).  Output stays in target order.  The
# RSS of real handshakes is measured by tests/bench/tls/run.sh.
. "$(dirname "$0")/tls/lib.sh"

P=$(free_port)	# nothing listens there
# peak NAME N FORMAT: run rampart on N targets, print its peak RSS (KiB).
peak() {
	$PY - "$RAMPART" "$P" "$2" "$3" "$T/$1.json" <<'PY'
import os, resource, subprocess, sys
rampart, port, n, fmt, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
tg = out + ".targets"
with open(tg, "w") as f:
    for i in range(n):
        f.write("127.0.0.1:%s\n" % port)
with open(out, "w") as f:
    # ASan builds: freed memory would sit in the quarantine and count.
    env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=0")
    rc = subprocess.call([rampart, "tls", "--format", fmt, "--targets", tg,
                          "--connect-timeout", "2"], stdout=f, env=env)
if rc != 4:
    sys.exit("exit %d, want 4" % rc)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

small=$(peak small 300 text) || bad "300 endpoints: $small"
large=$(peak large 3000 json) || bad "3000 endpoints: $large"
echo "note: peak RSS 300 endpoints ${small} KiB, 3000 endpoints ${large} KiB"
if [ $((large - small)) -lt 3072 ]; then
	ok "peak RSS flat: 3000 endpoints use $((large - small)) KiB more than 300"
else
	bad "peak RSS grows: 3000 endpoints use $((large - small)) KiB more than 300"
fi
expect_py large "len(d['endpoints']) == 3000 and all(x['status'] == 'error' for x in d['endpoints'])" "3000 endpoints in the streamed JSON, all error"
n=$(grep -c "^127.0.0.1:" "$T/small.json")
[ "$n" = 300 ] && ok "300 endpoints in the streamed text" || bad "text has $n endpoints, want 300"
finish
