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
#     run: wall time, endpoints/s and peak RSS, which must stay flat
#     (results stream into the run; only capped results are kept);
#  2. the same NTLS endpoints in 4 shards (--shard K/4, one after the
#     other: the sum is the work, the longest the wall time on 4
#     machines), then `rampart merge`: the merged decision (verdict,
#     every control and check status, counts) must equal the single
#     run's (tests/e2e/scale_compare.py --decisions).
# Needs nginx-light, openssl, python3.
BUILD=${1:-build}
RAMPART=${RAMPART:-$(pwd)/$BUILD/rampart}
NTLS=${NTLS:-10000}
E2E=$(cd "$(dirname "$0")/../../e2e" && pwd)
CMP="python3 $E2E/scale_compare.py --decisions"
. "$E2E/tls/lib.sh"
[ -x "$RAMPART" ] || { echo "no $RAMPART: build first"; exit 1; }
[ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 4096 ] &&
    { ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)"; }
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
SCAN="$RAMPART scan --baseline fedramp-moderate --fixed-time 2026-11-27T00:00:00Z --tls-ca-file $T/ca.pem --format json"

# one N OUT: one run over N endpoints; prints "seconds peak-RSS-KiB".
one() {
	targets "$1" "$T/t$1.txt"
	s=$(now)
	/usr/bin/time -f '%M' -o "$T/rss" $SCAN --tls-targets "$T/t$1.txt" \
	    --output "$2" 2>"$T/err"
	rc=$?
	e=$(now)
	case $rc in 0|1|4) ;; *) echo "bench: scan exit $rc"; cat "$T/err"; exit 1 ;; esac
	echo "$(echo "$e - $s" | bc -l) $(tail -n 1 "$T/rss")"
}
small=$((NTLS / 10))
[ "$small" -ge 1 ] || small=1
echo "== 1. one run: $small and $NTLS loopback endpoints"
set -- $(one "$small" "$T/small.json")
ss=$1 sr=$2
set -- $(one "$NTLS" "$T/one.json")
ls=$1 lr=$2
printf '%-28s %8s %10s %12s %10s\n' row endpoints seconds endpoints/s "peak RSS"
printf '%-28s %8d %10.2f %12.1f %7.1f MB\n' "one run" "$small" "$ss" \
    "$(echo "$small / $ss" | bc -l)" "$(echo "$sr / 1024" | bc -l)"
printf '%-28s %8d %10.2f %12.1f %7.1f MB\n' "one run" "$NTLS" "$ls" \
    "$(echo "$NTLS / $ls" | bc -l)" "$(echo "$lr / 1024" | bc -l)"
d=$(( (lr - sr) / 1024 ))
echo "rss       $small -> $NTLS endpoints: ${d} MB more ($([ $d -lt 8 ] && echo flat || echo GROWS))"

echo "== 2. $NTLS endpoints in 4 shards, merged"
tot=0 max=0 mr=0
for k in 1 2 3 4; do
	s=$(now)
	/usr/bin/time -f '%M' -o "$T/rss" $SCAN --tls-targets "$T/t$NTLS.txt" \
	    --shard $k/4 --output "$T/shard-$k.json" 2>"$T/err"
	rc=$?
	e=$(now)
	case $rc in 0|1|4) ;; *) echo "bench: shard $k exit $rc"; cat "$T/err"; exit 1 ;; esac
	w=$(echo "$e - $s" | bc -l)
	tot=$(echo "$tot + $w" | bc -l)
	max=$(echo "if ($w > $max) $w else $max" | bc -l)
	r=$(tail -n 1 "$T/rss")
	[ "$r" -gt "$mr" ] && mr=$r
	n=$($PY -c "import json; print(json.load(open('$T/shard-$k.json'))['shard']['targets'])")
	printf '%-28s %8d %10.2f %12.1f %7.1f MB\n' "shard $k/4" "$n" "$w" \
	    "$(echo "$n / $w" | bc -l)" "$(echo "$r / 1024" | bc -l)"
done
s=$(now)
$RAMPART merge "$T"/shard-1.json "$T"/shard-2.json "$T"/shard-3.json \
    "$T"/shard-4.json --format json --output "$T/merged.json" 2>"$T/err"
rc=$?
e=$(now)
case $rc in 0|1|4) ;; *) echo "bench: merge exit $rc"; cat "$T/err"; exit 1 ;; esac
printf '%-28s %8d %10.2f\n' "merge of 4" "$NTLS" "$(echo "$e - $s" | bc -l)"
printf 'shards    work %.2f s, wall on 4 machines %.2f s (one run %.2f s), peak RSS %.1f MB\n' \
    "$tot" "$max" "$ls" "$(echo "$mr / 1024" | bc -l)"
if $CMP "$T/one.json" "$T/merged.json"; then
	echo "merge     = one run: same verdict, control and check statuses, counts"
else
	echo "merge     DIFFERS from the one run"
	exit 1
fi
