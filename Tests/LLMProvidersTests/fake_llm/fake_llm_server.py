#!/usr/bin/env python3
"""Fake model servers for the LLMProviders tests, written from the published API contracts.

  --provider openai     POST {prefix}/chat/completions (OpenAI Chat Completions; prefix e.g. /v1)
                        Authorization: Bearer <key>; body {model, messages[{role, content}], max_tokens |
                        max_completion_tokens, temperature}; reply a chat.completion object.
  --provider anthropic  POST /v1/messages (Anthropic Messages API); x-api-key: <key>,
                        anthropic-version: 2023-06-01; body {model, max_tokens, system, messages[{role, content}]};
                        reply a Message {content[{type: text, text}], usage{input_tokens, output_tokens}}.
  --provider bedrock    POST /model/{modelId}/converse (Amazon Bedrock Converse); the SigV4 Authorization header is
                        recomputed with botocore's SigV4Auth (service bedrock, --region, the given access key pair)
                        over the headers the client declared signed; a mismatch is 403 InvalidSignatureException.
                        Body {messages[{role, content[{text}]}], system[{text}], inferenceConfig{maxTokens, temperature}};
                        reply {output{message{role, content[{text}]}}, stopReason, usage{inputTokens, outputTokens}}.

A request that breaks the contract is answered 400 with the problems listed (and logged).
Wrong credentials are answered as the real service does (401 for OpenAI/Anthropic, 403 for Bedrock).

Started by the tests on 127.0.0.1 with a free port; prints `PORT <n>` on stdout once listening; exits when stdin closes.
Control (JSON):
  POST /_control/script  {"steps": [Step...]}  the next API requests are answered by these steps in order, then normally.
       Step: {"status": 500, "headers": {...}, "body": "<raw text>"} | {"hang": true} (never answer)
             | {"echo_secret": true} (a 200 whose text quotes the credential the client sent)
  GET  /_control/log     [{"method", "path", "headers", "body", "problems", "auth_ok", "answered"}]
"""
import argparse
import datetime
import hashlib
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LOCK = threading.Lock()
SCRIPT = []
LOG = []
STOP = threading.Event()


def check_chat(body, problems):
    """OpenAI Chat Completions request shape."""
    if not isinstance(body.get("model"), str) or not body["model"]:
        problems.append("model must be a non-empty string")
    msgs = body.get("messages")
    if not isinstance(msgs, list) or not msgs:
        problems.append("messages must be a non-empty array")
        return
    for m in msgs:
        if not isinstance(m, dict) or m.get("role") not in ("system", "developer", "user", "assistant"):
            problems.append("messages[].role invalid: %r" % (m,))
        elif not isinstance(m.get("content"), str):
            problems.append("messages[].content must be a string here")
    if "max_tokens" in body and "max_completion_tokens" in body:
        problems.append("max_tokens and max_completion_tokens both given")
    for k in ("max_tokens", "max_completion_tokens"):
        if k in body and not isinstance(body[k], int):
            problems.append("%s must be an integer" % k)
    if "temperature" in body and not isinstance(body["temperature"], (int, float)):
        problems.append("temperature must be a number")


def check_messages(body, problems):
    """Anthropic Messages request shape."""
    if not isinstance(body.get("model"), str) or not body["model"]:
        problems.append("model must be a non-empty string")
    if not isinstance(body.get("max_tokens"), int) or body["max_tokens"] < 1:
        problems.append("max_tokens is required (integer >= 1)")
    if "system" in body and not isinstance(body["system"], (str, list)):
        problems.append("system must be a string or text blocks")
    msgs = body.get("messages")
    if not isinstance(msgs, list) or not msgs:
        problems.append("messages must be a non-empty array")
        return
    for m in msgs:
        if not isinstance(m, dict) or m.get("role") not in ("user", "assistant"):
            problems.append("messages[].role must be user or assistant: %r" % (m,))
        elif not isinstance(m.get("content"), (str, list)):
            problems.append("messages[].content must be a string or content blocks")
    if msgs and isinstance(msgs[0], dict) and msgs[0].get("role") != "user":
        problems.append("the first message must be the user's")


def check_converse(body, problems):
    """Bedrock Converse request shape."""
    msgs = body.get("messages")
    if not isinstance(msgs, list) or not msgs:
        problems.append("messages must be a non-empty array")
    else:
        for m in msgs:
            if not isinstance(m, dict) or m.get("role") not in ("user", "assistant"):
                problems.append("messages[].role invalid")
            elif not isinstance(m.get("content"), list) or not all(isinstance(b, dict) and isinstance(b.get("text"), str) for b in m["content"]):
                problems.append("messages[].content must be [{text}] blocks")
    sys_ = body.get("system", [])
    if not isinstance(sys_, list) or not all(isinstance(b, dict) and isinstance(b.get("text"), str) for b in sys_):
        problems.append("system must be [{text}] blocks")
    ic = body.get("inferenceConfig", {})
    if not isinstance(ic, dict) or ("maxTokens" in ic and not isinstance(ic["maxTokens"], int)) \
            or ("temperature" in ic and not isinstance(ic["temperature"], (int, float))):
        problems.append("inferenceConfig must be {maxTokens: int, temperature: number}")
    for k in body:
        if k not in ("messages", "system", "inferenceConfig", "toolConfig", "guardrailConfig",
                     "additionalModelRequestFields", "additionalModelResponseFieldPaths"):
            problems.append("unknown member %s" % k)


def sigv4_ok(handler, raw_body):
    """Recomputes the SigV4 signature with botocore; returns (ok, reason)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    auth = handler.headers.get("Authorization", "")
    prefix = "AWS4-HMAC-SHA256 "
    if not auth.startswith(prefix):
        return False, "no AWS4-HMAC-SHA256 Authorization header"
    parts = dict(p.strip().split("=", 1) for p in auth[len(prefix):].split(","))
    amz_date = handler.headers.get("X-Amz-Date", "")
    cred = parts.get("Credential", "").split("/")
    if len(cred) != 5 or cred[0] != ARGS.access_key or cred[2] != ARGS.region or cred[3] != "bedrock" or cred[4] != "aws4_request":
        return False, "credential scope %s is not <key>/<date>/%s/bedrock/aws4_request" % (parts.get("Credential"), ARGS.region)
    if cred[1] != amz_date[:8]:
        return False, "scope date differs from X-Amz-Date"
    signed = parts.get("SignedHeaders", "").split(";")
    for required in ("host", "x-amz-date"):
        if required not in signed:
            return False, "%s is not signed" % required
    if ARGS.session_token:
        if handler.headers.get("X-Amz-Security-Token") != ARGS.session_token:
            return False, "X-Amz-Security-Token missing or wrong"
        if "x-amz-security-token" not in signed:
            return False, "x-amz-security-token is not signed"
    sent_hash = handler.headers.get("X-Amz-Content-SHA256")
    if sent_hash is not None and sent_hash != hashlib.sha256(raw_body).hexdigest():
        return False, "X-Amz-Content-SHA256 is not the body's hash"
    headers = {}
    for name in signed:
        value = handler.headers.get(name)
        if value is None:
            return False, "signed header %s was not sent" % name
        headers[name] = value
    url = "http://%s%s" % (handler.headers.get("Host"), handler.path)
    request = AWSRequest(method=handler.command, url=url, data=raw_body, headers=headers)
    request.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(ARGS.access_key, ARGS.secret_key, ARGS.session_token or None), "bedrock", ARGS.region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if expected != parts.get("Signature"):
        return False, "signature mismatch (botocore's canonical request: %r)" % canonical
    return True, ""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body, headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_control/log":
            with LOCK:
                self.send(200, LOG)
        else:
            self.send(404, {"message": "not found"})

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/_control/script":
            with LOCK:
                SCRIPT[:] = json.loads(raw)["steps"]
            return self.send(200, {})
        problems, model, secret_sent, auth_ok = [], None, None, True
        try:
            body = json.loads(raw)
        except ValueError:
            body, problems = None, ["the body is not JSON"]
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            problems.append("Content-Type is not application/json")
        path = urllib.parse.urlsplit(self.path).path
        if ARGS.provider == "openai":
            if path != ARGS.prefix + "/chat/completions":
                problems.append("path %s is not %s/chat/completions" % (path, ARGS.prefix))
            sent = self.headers.get("Authorization")
            secret_sent = sent
            if ARGS.key:
                auth_ok = sent == "Bearer " + ARGS.key
            elif sent is not None:
                problems.append("an Authorization header was sent without a key configured")
            if body is not None:
                check_chat(body, problems)
                model = body.get("model")
        elif ARGS.provider == "anthropic":
            if path != "/v1/messages":
                problems.append("path %s is not /v1/messages" % path)
            if self.headers.get("anthropic-version") != "2023-06-01":
                problems.append("anthropic-version is %r" % self.headers.get("anthropic-version"))
            if self.headers.get("Authorization") is not None:
                problems.append("Authorization sent to Anthropic (the key goes in x-api-key)")
            secret_sent = self.headers.get("x-api-key")
            auth_ok = secret_sent == ARGS.key
            if body is not None:
                check_messages(body, problems)
                model = body.get("model")
        else:
            segs = path.split("/")
            if len(segs) != 4 or segs[1] != "model" or segs[3] != "converse":
                problems.append("path %s is not /model/{modelId}/converse" % path)
            else:
                model = urllib.parse.unquote(segs[2])
                if "/" in segs[2] or ":" in segs[2]:
                    problems.append("the model id is not percent-encoded in the path")
            ok, reason = sigv4_ok(self, raw)
            auth_ok = ok
            secret_sent = self.headers.get("X-Amz-Security-Token")
            if not ok:
                problems.append("auth: " + reason)
            if body is not None:
                check_converse(body, problems)
        entry = {"method": self.command, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                 "body": body, "problems": [p for p in problems if not p.startswith("auth: ")], "auth_ok": auth_ok,
                 "auth_problem": next((p for p in problems if p.startswith("auth: ")), None), "answered": True}
        with LOCK:
            LOG.append(entry)
            step = SCRIPT.pop(0) if SCRIPT else None
        if step and step.get("hang"):
            entry["answered"] = False
            STOP.wait(60)
            return
        if not auth_ok:
            if ARGS.provider == "openai":
                return self.send(401, {"error": {"message": "Incorrect API key provided: %s" % secret_sent, "type": "invalid_request_error", "code": "invalid_api_key"}})
            if ARGS.provider == "anthropic":
                return self.send(401, {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key %s" % secret_sent}})
            return self.send(403, {"message": "The request signature we calculated does not match the signature you provided."},
                             {"x-amzn-ErrorType": "InvalidSignatureException"})
        if entry["problems"]:
            return self.send(400, {"message": "; ".join(entry["problems"]), "error": {"type": "invalid_request_error", "message": "; ".join(entry["problems"])}})
        if step and "status" in step:
            return self.send(step["status"], step.get("body", "").encode(), step.get("headers"))
        text = "Fake reply from %s for %s." % (ARGS.provider, model)
        if step and step.get("echo_secret"):
            text += " You sent %s." % secret_sent
        if ARGS.provider == "openai":
            reply = {"id": "chatcmpl-1", "object": "chat.completion", "created": int(time.time()), "model": model + "-2024",
                     "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                     "usage": {"prompt_tokens": 101, "completion_tokens": 17, "total_tokens": 118}}
        elif ARGS.provider == "anthropic":
            reply = {"id": "msg_1", "type": "message", "role": "assistant", "model": model + "-20250929",
                     "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "stop_sequence": None,
                     "usage": {"input_tokens": 102, "output_tokens": 18}}
        else:
            reply = {"output": {"message": {"role": "assistant", "content": [{"text": text}]}}, "stopReason": "end_turn",
                     "usage": {"inputTokens": 103, "outputTokens": 19, "totalTokens": 122}, "metrics": {"latencyMs": 5}}
        self.send(200, reply)


class Server(ThreadingHTTPServer):
    daemon_threads = True


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--provider", choices=["openai", "anthropic", "bedrock"], required=True)
    p.add_argument("--key", default="")
    p.add_argument("--prefix", default="/v1")
    p.add_argument("--region", default="us-east-1")
    p.add_argument("--access-key", default="")
    p.add_argument("--secret-key", default="")
    p.add_argument("--session-token", default="")
    ARGS = p.parse_args()
    if ARGS.provider == "bedrock":
        import botocore  # noqa: F401  (fail at start, visibly, when botocore is missing)
    server = Server(("127.0.0.1", ARGS.port), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), STOP.set(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
