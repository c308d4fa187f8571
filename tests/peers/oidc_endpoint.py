#!/usr/bin/env python3
"""An OAuth 2.0 token endpoint over HTTPS for the OIDC tests (tests/oidc.rs).

usage: oidc_endpoint.py --cert PEM --key PEM --client-id ID --secret S
                        [--scope SCOPE] [--sub NAME] [--lifetime SECONDS]
                        --port-file FILE --log FILE

Serves the client-credentials grant on 127.0.0.1 (a free port, written to
--port-file once listening): a POST whose Authorization is HTTP Basic with
ID:S and whose form body has grant_type=client_credentials and, with
--scope, scope=SCOPE, gets {"access_token": JWT, "token_type": "bearer",
"expires_in": LIFETIME} with a JWT (RS256-looking header, a signature of
random bytes) whose payload has sub, iat and exp = now + LIFETIME. Anything
else gets 401 (bad credentials) or 400 (bad grant or scope) with an OAuth
error body. Every request is logged to --log as one JSON line: method,
path, the Accept, Content-Type and Authorization headers, the body and the
status answered, so tests can count hits and compare clients.
"""

import argparse
import base64
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(sub, lifetime):
    now = int(time.time())
    header = {"alg": "RS256", "typ": "JWT", "kid": "test-key"}
    payload = {"sub": sub, "iat": now, "exp": now + lifetime, "iss": "oidc-endpoint"}
    return ".".join([
        b64url(json.dumps(header).encode()),
        b64url(json.dumps(payload).encode()),
        b64url(os.urandom(64)),
    ])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--client-id", required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--scope")
    ap.add_argument("--sub", default="oidc-principal")
    ap.add_argument("--lifetime", type=int, default=3600)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()

    expected_auth = "Basic " + base64.b64encode(
        f"{args.client_id}:{args.secret}".encode()).decode()
    log_lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode(errors="replace")
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
            if self.headers.get("Authorization") != expected_auth:
                status, reply = 401, {"error": "invalid_client"}
            elif form.get("grant_type") != ["client_credentials"]:
                status, reply = 400, {"error": "unsupported_grant_type"}
            elif args.scope is not None and form.get("scope") != [args.scope]:
                status, reply = 400, {"error": "invalid_scope"}
            else:
                status = 200
                reply = {
                    "access_token": make_jwt(args.sub, args.lifetime),
                    "token_type": "bearer",
                    "expires_in": args.lifetime,
                }
            with log_lock, open(args.log, "a") as f:
                f.write(json.dumps({
                    "method": "POST",
                    "path": self.path,
                    "accept": self.headers.get("Accept"),
                    "content_type": self.headers.get("Content-Type"),
                    "authorization": self.headers.get("Authorization"),
                    "body": body,
                    "status": status,
                }) + "\n")
            self.answer(status, reply)

        def log_message(self, fmt, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, args.port_file)
    print("listening", server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
