#!/usr/bin/env python3
"""Hostile TLS endpoints for rampart's e2e tests, on 127.0.0.1 only.

Usage: hostile.py PORTFILE LIFETIME
Listens on five free ports, writes "mode port" lines to PORTFILE, serves
until LIFETIME seconds have passed, then exits by itself.
  silent   accepts and never answers
  reset    reads the ClientHello, then resets the connection (RST)
  close    reads the ClientHello, then closes cleanly (FIN)
  garbage  answers with bytes that are not TLS
  drip     answers a plausible TLS record one byte per second
"""
import os
import socket
import struct
import sys
import threading
import time

MODES = ["silent", "reset", "close", "garbage", "drip"]
DRIP = bytes([0x16, 0x03, 0x03, 0x00, 0x40]) + bytes(0x40)


def handle(mode, conn, deadline):
    try:
        conn.settimeout(max(0.1, deadline - time.time()))
        if mode == "silent":
            while time.time() < deadline:
                if not conn.recv(4096):
                    break
            return
        if mode in ("reset", "close", "garbage"):
            conn.recv(4096)
        if mode == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
        elif mode == "garbage":
            conn.sendall(b"SSH-2.0-OpenSSH_9.2 not TLS at all\r\n" * 4)
            time.sleep(0.2)
        elif mode == "drip":
            for b in DRIP:
                if time.time() >= deadline:
                    break
                conn.sendall(bytes([b]))
                time.sleep(1)
    except OSError:
        pass
    finally:
        conn.close()


def serve(mode, sock, deadline):
    sock.settimeout(0.2)
    while time.time() < deadline:
        try:
            conn, _ = sock.accept()
        except socket.timeout:
            continue
        except OSError:
            break
        threading.Thread(target=handle, args=(mode, conn, deadline),
                         daemon=True).start()
    sock.close()


def main():
    portfile, lifetime = sys.argv[1], float(sys.argv[2])
    deadline = time.time() + lifetime
    socks, lines = [], []
    for mode in MODES:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        socks.append((mode, s))
        lines.append("%s %d\n" % (mode, s.getsockname()[1]))
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.writelines(lines)
    os.rename(tmp, portfile)
    threads = [threading.Thread(target=serve, args=(m, s, deadline))
               for m, s in socks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
