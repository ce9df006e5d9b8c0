#!/usr/bin/env python3
"""A tiny RFC 3161 time-stamping authority for rampart's tests.

Serves POST requests (application/timestamp-query) on 127.0.0.1 by running
`openssl ts -reply` with the given config.  Writes the port it bound to
into PORTFILE once it is listening.  Loopback only, one request at a time.

usage: tsa_server.py OPENSSL_TS_CONFIG PORTFILE
"""
import http.server
import os
import subprocess
import sys
import tempfile

CONFIG, PORTFILE = sys.argv[1], sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        if n <= 0 or n > 65536:
            self.send_error(400, "bad length")
            return
        query = self.rfile.read(n)
        with tempfile.TemporaryDirectory() as d:
            q, r = os.path.join(d, "q.tsq"), os.path.join(d, "r.tsr")
            with open(q, "wb") as f:
                f.write(query)
            p = subprocess.run(
                ["openssl", "ts", "-reply", "-config", CONFIG,
                 "-queryfile", q, "-out", r],
                capture_output=True)
            if p.returncode != 0:
                sys.stderr.write(p.stderr.decode(errors="replace"))
                self.send_error(500, "openssl ts failed")
                return
            with open(r, "rb") as f:
                body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("tsa: " + (fmt % args) + "\n")


srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
tmp = PORTFILE + ".tmp"
with open(tmp, "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(tmp, PORTFILE)
srv.serve_forever()
