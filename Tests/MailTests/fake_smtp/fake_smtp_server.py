#!/usr/bin/env python3
"""A real SMTP server for the Mail tests: aiosmtpd with STARTTLS (required before AUTH and MAIL) and AUTH PLAIN/LOGIN.

  --cert/--key PEM files for STARTTLS (omit with --no-tls: a server that offers no STARTTLS)
  --user/--password the one accepted login
  --out DIR          each accepted message is written as DIR/<n>.json:
                     {"mail_from", "rcpt_tos", "auth_user", "tls", "raw", "headers": {name: value},
                      "content_type", "parts": [{"content_type", "charset", "transfer_encoding", "text"}]}
                     parsed with Python's email package (an independent MIME parser)

Prints `PORT <n>` once listening; exits when stdin closes.
"""
import argparse
import email
import email.policy
import json
import os
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        parts = []
        for part in (msg.iter_parts() if msg.is_multipart() else [msg]):
            parts.append({"content_type": part.get_content_type(), "charset": part.get_content_charset(),
                          "transfer_encoding": part.get("Content-Transfer-Encoding"), "text": part.get_content()})
        self.count += 1
        record = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                  "auth_user": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
                  "tls": session.ssl is not None, "raw": raw.decode("utf-8", "replace"),
                  "headers": {k: str(v) for k, v in msg.items()}, "content_type": msg.get_content_type(), "parts": parts}
        path = os.path.join(self.out, "%d.json" % self.count)
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 OK"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--no-tls", action="store_true")
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user \
            and auth_data.password.decode() == args.password
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    kwargs = dict(authenticator=authenticator, auth_required=True, auth_require_tls=not args.no_tls)
    if not args.no_tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        kwargs.update(tls_context=context, require_starttls=True)
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", args.port))
    port = s.getsockname()[1]
    s.close()
    controller = Controller(Handler(args.out), hostname="127.0.0.1", port=port, server_hostname="localhost", **kwargs)
    controller.start()
    print("PORT %d" % port, flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
