#!/usr/bin/env python3
"""A fake AWS container credentials endpoint and EC2 instance metadata service (IMDSv2) on 127.0.0.1.

Serves, as the published contracts describe them:
  GET <container path>                                   -> credentials JSON (needs Authorization = --container-token when given)
  PUT /latest/api/token                                  -> a session token (needs X-aws-ec2-metadata-token-ttl-seconds)
  GET /latest/meta-data/iam/security-credentials/        -> the role name (needs X-aws-ec2-metadata-token)
  GET /latest/meta-data/iam/security-credentials/<role>  -> credentials JSON with Code=Success (same token)
  GET /_log                                              -> the requests seen so far (method, path, headers), not logged itself
Prints "PORT <n>" once listening; exits when stdin closes.
"""
import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

IMDS_TOKEN = "imds-session-token-0123456789"
ROLES = "/latest/meta-data/iam/security-credentials/"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--container-path", default="/v2/credentials/task-1")
    p.add_argument("--container-token")
    p.add_argument("--container-status", type=int, default=200)
    p.add_argument("--role", default="fitdata-task-role")
    p.add_argument("--access-key-id", required=True)
    p.add_argument("--secret-access-key", required=True)
    p.add_argument("--session-token", required=True)
    p.add_argument("--expiration", default="2099-01-01T00:00:00Z")
    args = p.parse_args()
    log = []
    lock = threading.Lock()
    creds = {"AccessKeyId": args.access_key_id, "SecretAccessKey": args.secret_access_key,
             "Token": args.session_token, "Expiration": args.expiration}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def reply(self, status, body, content_type="application/json"):
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def handle_any(self, method):
            if self.path == "/_log":
                with lock:
                    return self.reply(200, json.dumps(log))
            with lock:
                log.append({"method": method, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}})
            if method == "PUT" and self.path == "/latest/api/token":
                if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                    return self.reply(400, "missing ttl", "text/plain")
                return self.reply(200, IMDS_TOKEN, "text/plain")
            if method == "GET" and self.path.startswith(ROLES):
                if self.headers.get("X-aws-ec2-metadata-token") != IMDS_TOKEN:
                    return self.reply(401, "", "text/plain")
                if self.path == ROLES:
                    return self.reply(200, args.role, "text/plain")
                if self.path == ROLES + args.role:
                    return self.reply(200, json.dumps(dict(creds, Code="Success", Type="AWS-HMAC",
                                                           LastUpdated="2026-01-01T00:00:00Z")))
                return self.reply(404, "", "text/plain")
            if method == "GET" and self.path == args.container_path:
                if args.container_token is not None and self.headers.get("Authorization") != args.container_token:
                    return self.reply(403, json.dumps({"message": "bad token"}))
                if args.container_status != 200:
                    return self.reply(args.container_status, json.dumps({"message": "failing on purpose"}))
                return self.reply(200, json.dumps(dict(creds, RoleArn="arn:aws:iam::123456789012:role/" + args.role)))
            return self.reply(404, "", "text/plain")

        def do_GET(self):
            self.handle_any("GET")

        def do_PUT(self):
            self.handle_any("PUT")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
