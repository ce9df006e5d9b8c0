#!/bin/sh
# TLS at organisation scale (issue 18, docs/scale.md), run by
# tests/bench/tls/run.sh (`make bench`) or alone:
#
#     tests/bench/tls/scale.sh [BUILD-DIR]      (NTLS=10000)
#
# One nginx on one port answers every loopback address, so NTLS endpoints
# are NTLS distinct addresses 127.x.y.z:PORT (each its own host for the
# per-host cap), all with SNI localhost.
#  1. `rampart scan --tls-targets` of NTLS/10 and of NTLS endpoints in one
#     run: wall time, endpoints/s, CPU seconds and peak RSS, which must
#     stay flat (results stream into the run; only capped results are
#     kept): the script FAILS when the peak RSS at NTLS exceeds the one at
#     NTLS/10 by more than RSS_MARGIN_MB (default 8 MB), and when any
#     endpoint was not probed to a decision (a TLS check counted `error`:
#     on loopback that means a timeout or a refused connection, not a
#     measurement);
#  2. the same NTLS endpoints in 4 shards (--shard K/4, one after the
#     other: the sum is the work, the longest the wall time on 4
#     machines), then `rampart merge`: the merged decision (verdict,
#     every control and check status, counts) must equal the single
#     run's (tests/e2e/scale_compare.py --decisions).
# The first line says what the machine lent the run (CPUs, load average,
# descriptors, ephemeral ports, TIME_WAIT sockets and their cap): the wall
# times only mean something beside it; the CPU column does not depend on
# the other jobs of the machine.
# Needs nginx-light, openssl, python3, bc.
BUILD=${1:-build}
RAMPART=${RAMPART:-$(pwd)/$BUILD/rampart}
NTLS=${NTLS:-10000}
RSS_MARGIN_MB=${RSS_MARGIN_MB:-8}
FAIL=0
E2E=$(cd "$(dirname "$0")/../../e2e" && pwd)
CMP="python3 $E2E/scale_compare.py --decisions"
. "$E2E/tls/lib.sh"
[ -x "$RAMPART" ] || { echo "no $RAMPART: build first"; exit 1; }
[ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 4096 ] &&
    { ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)"; }
# net: TIME_WAIT sockets now, and the machine's TCP limits.
net() {
	tw=$(ss -tan state time-wait 2>/dev/null | tail -n +2 | wc -l)
	cap=$(cat /proc/sys/net/ipv4/tcp_max_tw_buckets 2>/dev/null)
	eph=$(tr '\t' - </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	echo "$tw TIME_WAIT (cap $cap), ephemeral ports $eph"
}
echo "machine   $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)," \
    "ulimit -n $(ulimit -n), $(net)"
mkca
mkcert good
P=$(free_port)
mkdir -p "$T/ngx"
{
	echo "worker_processes 2; daemon off; pid $T/ngx/nginx.pid;"
	echo "error_log $T/ngx/error.log warn;"
	echo "events { worker_connections 4096; }"
	echo "http { access_log off;"
	for d in client_body proxy fastcgi uwsgi scgi; do
		echo "  ${d}_temp_path $T/ngx/$d;"
	done
	echo "  ssl_certificate $T/good.pem; ssl_certificate_key $T/good.key;"
	echo "  ssl_protocols TLSv1.2 TLSv1.3;"
	echo "  ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384;"
	echo "  ssl_ecdh_curve prime256v1:secp384r1;"
	echo "  server { listen $P ssl; location / { return 200 'ok'; } } }"
} >"$T/ngx/nginx.conf"
bg nginx nginx -c "$T/ngx/nginx.conf" -p "$T/ngx" -e "$T/ngx/error.log"
wait_port "$P" || { cat "$T/ngx/error.log"; exit 1; }

# targets N FILE: N distinct loopback addresses on port P, SNI localhost.
targets() {
	$PY - "$1" "$P" >"$2" <<'PY'
import sys
n, p = int(sys.argv[1]), sys.argv[2]
for i in range(n):
    print(f"127.{1 + i // 62500}.{i // 250 % 250}.{1 + i % 250}:{p} localhost")
PY
}
now() { $PY -c 'import time; print(time.time())'; }
# probed REPORT N: the TLS checks of the report counted N endpoints, none
# `error`; prints "endpoints errors" and fails when that does not hold.
probed() {
	$PY - "$1" "$2" <<'PY'
import json, sys
r, n = json.load(open(sys.argv[1])), int(sys.argv[2])
tot = err = 0
for c in r["controls"]:
    for k in c["checks"]:
        if k["id"].startswith("tls-"):
            v = k["counts"]
            tot = max(tot, sum(v.values()))
            err = max(err, v.get("error", 0))
print(tot, err)
sys.exit(0 if tot == n and err == 0 else 1)
PY
}
SCAN="$RAMPART scan --baseline fedramp-moderate --fixed-time 2026-11-27T00:00:00Z --tls-ca-file $T/ca.pem --format json"

# one N OUT: one run over N endpoints; prints "seconds peak-RSS-KiB
# cpu-seconds", or exits when the scan failed or left endpoints unprobed.
one() {
	targets "$1" "$T/t$1.txt"
	s=$(now)
	/usr/bin/time -f '%M %U %S' -o "$T/rss" $SCAN \
	    --tls-targets "$T/t$1.txt" --output "$2" 2>"$T/err"
	rc=$?
	e=$(now)
	case $rc in 0|1|4) ;; *) echo "bench: scan exit $rc" >&2; cat "$T/err" >&2; exit 1 ;; esac
	if ! pe=$(probed "$2" "$1"); then
		echo "bench: $1 endpoints: the report counts $pe (endpoints, errors)" >&2
		exit 1
	fi
	set -- $(tail -n 1 "$T/rss")
	echo "$(echo "$e - $s" | bc -l) $1 $(echo "$2 + $3" | bc -l)"
}
small=$((NTLS / 10))
[ "$small" -ge 1 ] || small=1
echo "== 1. one run: $small and $NTLS loopback endpoints"
r=$(one "$small" "$T/small.json") || exit 1
set -- $r
ss=$1 sr=$2 sc=$3
r=$(one "$NTLS" "$T/one.json") || exit 1
set -- $r
ls=$1 lr=$2 lc=$3
row() { # NAME N SECONDS RSS-KiB CPU-SECONDS
	printf '%-14s %9d %9.2f %12.1f %7.1f MB %8.2f\n' "$1" "$2" "$3" \
	    "$(echo "$2 / $3" | bc -l)" "$(echo "$4 / 1024" | bc -l)" "$5"
}
printf '%-14s %9s %9s %12s %10s %8s\n' row endpoints "wall s" endpoints/s \
    "peak RSS" "cpu s"
row "one run" "$small" "$ss" "$sr" "$sc"
row "one run" "$NTLS" "$ls" "$lr" "$lc"
echo "probed    every endpoint of both runs to a decision (no TLS check error)"
d=$((lr - sr))
if [ "$d" -le $((RSS_MARGIN_MB * 1024)) ]; then
	v="flat (margin $RSS_MARGIN_MB MB)"
else
	v="GROWS: more than the $RSS_MARGIN_MB MB margin"
	FAIL=1
fi
printf 'rss       %d -> %d endpoints: %+.1f MB, %+.0f bytes per endpoint: %s\n' \
    "$small" "$NTLS" "$(echo "$d / 1024" | bc -l)" \
    "$(echo "$d * 1024 / ($NTLS - $small)" | bc -l)" "$v"
echo "net       after the runs: $(net)"

echo "== 2. $NTLS endpoints in 4 shards, merged"
tot=0 max=0 mr=0
for k in 1 2 3 4; do
	s=$(now)
	/usr/bin/time -f '%M %U %S' -o "$T/rss" $SCAN \
	    --tls-targets "$T/t$NTLS.txt" --shard $k/4 \
	    --output "$T/shard-$k.json" 2>"$T/err"
	rc=$?
	e=$(now)
	case $rc in 0|1|4) ;; *) echo "bench: shard $k exit $rc"; cat "$T/err"; exit 1 ;; esac
	w=$(echo "$e - $s" | bc -l)
	tot=$(echo "$tot + $w" | bc -l)
	max=$(echo "if ($w > $max) $w else $max" | bc -l)
	set -- $(tail -n 1 "$T/rss")
	r=$1 c=$(echo "$2 + $3" | bc -l)
	[ "$r" -gt "$mr" ] && mr=$r
	n=$($PY -c "import json; print(json.load(open('$T/shard-$k.json'))['shard']['targets'])")
	if ! pe=$(probed "$T/shard-$k.json" "$n"); then
		echo "bench: shard $k/4 of $n endpoints: the report counts $pe (endpoints, errors)"
		exit 1
	fi
	row "shard $k/4" "$n" "$w" "$r" "$c"
done
s=$(now)
$RAMPART merge "$T"/shard-1.json "$T"/shard-2.json "$T"/shard-3.json \
    "$T"/shard-4.json --format json --output "$T/merged.json" 2>"$T/err"
rc=$?
e=$(now)
case $rc in 0|1|4) ;; *) echo "bench: merge exit $rc"; cat "$T/err"; exit 1 ;; esac
printf '%-14s %9d %9.2f\n' "merge of 4" "$NTLS" "$(echo "$e - $s" | bc -l)"
printf 'shards    work %.2f s, wall on 4 machines %.2f s (one run %.2f s), peak RSS %.1f MB\n' \
    "$tot" "$max" "$ls" "$(echo "$mr / 1024" | bc -l)"
if $CMP "$T/one.json" "$T/merged.json"; then
	echo "merge     = one run: same verdict, control and check statuses, counts"
else
	echo "merge     DIFFERS from the one run"
	exit 1
fi
if [ "$FAIL" != 0 ]; then
	echo "bench: FAILED: peak RSS grows with the number of endpoints"
	exit 1
fi
