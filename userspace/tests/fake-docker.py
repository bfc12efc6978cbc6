#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""fake-docker.py SOCKET STATUS BODYFILE: answer every request on the unix
socket SOCKET with HTTP status STATUS and the body in BODYFILE, as the
Docker Engine API answers GET /containers/json; each request line is
appended to SOCKET.log.  Runs until killed."""
import os
import socket
import sys

path, status, body_file = sys.argv[1], sys.argv[2], sys.argv[3]
with open(body_file, 'rb') as f:
    body = f.read()
if os.path.exists(path):
    os.unlink(path)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path + '.new')
srv.listen(4)
os.rename(path + '.new', path)
while True:
    conn, _ = srv.accept()
    req = b''
    while b'\r\n\r\n' not in req:
        chunk = conn.recv(4096)
        if not chunk:
            break
        req += chunk
    with open(path + '.log', 'ab') as log:
        log.write(req.split(b'\r\n')[0] + b'\n')
    conn.sendall(b'HTTP/1.0 ' + status.encode() + b' X\r\n'
                 b'Content-Type: application/json\r\n\r\n' + body)
    conn.close()
