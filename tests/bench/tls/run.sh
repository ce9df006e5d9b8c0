#!/bin/sh
# TLS prober benchmark (issue 5), all on loopback against one local nginx:
#  1. sslscan and rampart probing the same endpoint: wall time for one host
#     (target: rampart <= 1/3 of sslscan);
#  2. openssl s_time -new against it: this machine's handshake ceiling;
#  3. rampart probing NPORTS endpoints of the same nginx: endpoints/s,
#     handshakes/s (target: >= 50% of s_time's rate) and peak RSS;
#  4. rampart probing NLARGE endpoints (2000): peak RSS, which must stay
#     flat (results are streamed and freed, not kept to the end).
#  5. tests/bench/tls/scale.sh: NTLS endpoints in one run and in 4 shards
#     merged (issue 18).
# Usage: tests/bench/tls/run.sh [BUILD-DIR]   (NPORTS=300, NLARGE=2000,
# NTLS=10000)
# Needs nginx-light, openssl, python3; sslscan is optional (Debian package
# sslscan); without it step 1 reports rampart alone.
BUILD=${1:-build}
RAMPART=${RAMPART:-$(pwd)/$BUILD/rampart}
NPORTS=${NPORTS:-300}
NLARGE=${NLARGE:-2000}
RUNS=${RUNS:-5}
E2E=$(cd "$(dirname "$0")/../../e2e" && pwd)
# lib.sh wants $0 in tests/e2e for E2E_DIR; only its helpers are used.
. "$E2E/tls/lib.sh"
[ -x "$RAMPART" ] || { echo "no $RAMPART: build first"; exit 1; }

# nginx holds one descriptor per port: raise the soft limit if needed.
need=$((NLARGE + NPORTS + 256))
[ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ] &&
    { ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"; }
NALL=$((NLARGE > NPORTS ? NLARGE : NPORTS))
mkca
mkcert good
PORTS=$($PY -c "
import socket
ss=[]
for i in range($NALL + 1):
    s=socket.socket(); s.bind(('127.0.0.1',0)); ss.append(s)
print(' '.join(str(s.getsockname()[1]) for s in ss))")
P=${PORTS%% *}
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
	echo "  ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384;"
	echo "  ssl_ecdh_curve prime256v1:secp384r1;"
	echo "  server {"
	for p in $PORTS; do echo "    listen 127.0.0.1:$p ssl;"; done
	echo "    location / { return 200 'ok'; } } }"
} >"$T/ngx/nginx.conf"
bg nginx nginx -c "$T/ngx/nginx.conf" -p "$T/ngx" -e "$T/ngx/error.log"
wait_port "$P" || { cat "$T/ngx/error.log"; exit 1; }

now() { $PY -c 'import time; print(time.time())'; }
R="$RAMPART tls --ca-file $T/ca.pem --sni localhost --format json"

echo "== 1. one host: 127.0.0.1:$P (best of $RUNS runs)"
best=""
i=0
while [ $i -lt "$RUNS" ]; do
	s=$(now); $R "127.0.0.1:$P" >"$T/one.json"; e=$(now)
	best=$($PY -c "b='$best'; t=$e-$s; print(t if not b or t < float(b) else b)")
	i=$((i + 1))
done
hs=$($PY -c "import json; print(json.load(open('$T/one.json'))['endpoints'][0]['evidence']['handshakes'])")
st=$($PY -c "import json; print(json.load(open('$T/one.json'))['endpoints'][0]['status'])")
printf 'rampart   %.3f s  (%s handshakes, status %s)\n' "$best" "$hs" "$st"
if command -v sslscan >/dev/null 2>&1; then
	sbest=""
	i=0
	while [ $i -lt 2 ]; do
		s=$(now); sslscan --no-colour "127.0.0.1:$P" >"$T/sslscan.txt" 2>&1; e=$(now)
		sbest=$($PY -c "b='$sbest'; t=$e-$s; print(t if not b or t < float(b) else b)")
		i=$((i + 1))
	done
	printf 'sslscan   %.3f s  (best of 2)\n' "$sbest"
	$PY -c "
r=$best/$sbest
print('ratio     rampart/sslscan = %.3f (target <= 0.333): %s' % (r, 'MET' if r <= 1/3 else 'NOT MET'))"
else
	echo "sslscan   not installed (apt-get install sslscan): comparison skipped"
fi

echo "== 2. openssl s_time -new, 5 s: handshake ceiling"
openssl s_time -connect "127.0.0.1:$P" -new -time 5 >"$T/stime.txt" 2>&1
srate=$($PY -c "
import re
t = open('$T/stime.txt').read()
m = re.search(r'(\d+) connections in (\d+) real seconds', t)
print('%.1f' % (int(m.group(1)) / int(m.group(2))) if m else 0)")
echo "s_time    $srate handshakes/s (sequential, one connection at a time)"

echo "== 3. rampart, $NPORTS endpoints"
# targets N FILE: the first N endpoint ports as a targets file.
targets() {
	echo "${PORTS#* }" | tr ' ' '\n' | head -n "$1" |
	    sed 's/^/127.0.0.1:/' >"$2"
}
targets "$NPORTS" "$T/many.txt"
s=$(now)
/usr/bin/time -f '%M' -o "$T/rss" $R --concurrency 64 --per-host 64 --targets "$T/many.txt" >"$T/many.json"
rc=$?
e=$(now)
$PY - "$T/many.json" "$s" "$e" "$(cat "$T/rss")" "$srate" "$rc" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s, e, rss, srate, rc = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
n = len(d["endpoints"])
hs = sum(x["evidence"]["handshakes"] for x in d["endpoints"])
ok = sum(1 for x in d["endpoints"] if x["status"] in ("pass", "warn"))
w = e - s
print("rampart   %d endpoints (%d pass, exit %s) in %.2f s: %.1f endpoints/s, %.0f handshakes/s, peak RSS %.1f MiB"
      % (n, ok, rc, w, n / w, hs / w, rss / 1024))
if srate > 0:
    r = hs / w / srate
    print("ratio     rampart/s_time handshake rate = %.2f (target >= 0.50): %s" % (r, "MET" if r >= 0.5 else "NOT MET"))
PY

echo "== 4. rampart, $NLARGE endpoints: peak RSS (fails if it grows by 4 MiB)"
targets "$NLARGE" "$T/large.txt"
s=$(now)
/usr/bin/time -f '%M' -o "$T/rss-large" $R --concurrency 64 --per-host 64 --targets "$T/large.txt" >"$T/large.json"
rc=$?
e=$(now)
$PY - "$T/large.json" "$s" "$e" "$(cat "$T/rss-large")" "$(cat "$T/rss")" "$rc" "$NPORTS" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s, e, rss, small, rc, nsmall = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], int(sys.argv[7])
n = len(d["endpoints"])
hs = sum(x["evidence"]["handshakes"] for x in d["endpoints"])
ok = sum(1 for x in d["endpoints"] if x["status"] in ("pass", "warn"))
w = e - s
print("rampart   %d endpoints (%d pass, exit %s) in %.2f s: %.1f endpoints/s, %.0f handshakes/s, peak RSS %.1f MiB"
      % (n, ok, rc, w, n / w, hs / w, rss / 1024))
print("rss       %d endpoints %.1f MiB, %d endpoints %.1f MiB: %+.1f MiB (%s)"
      % (nsmall, small / 1024, n, rss / 1024, (rss - small) / 1024,
         "flat" if rss - small < 4096 else "GROWS"))
sys.exit(0 if rss - small < 4096 else 1)
PY
[ $? -eq 0 ] || { echo "bench: peak RSS grows with the endpoints (more than 4 MiB)" >&2; exit 1; }

# 5. Organisation scale (issue 18): NTLS (10,000 unless set) endpoints in
# one run and in 4 merged shards, by its own script (its own nginx); its
# exit status (flat memory, every endpoint probed, merge = one run) is
# this script's.
NTLS=${NTLS:-10000} sh "$(dirname "$0")/scale.sh" "$BUILD"
