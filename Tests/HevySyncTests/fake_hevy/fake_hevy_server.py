#!/usr/bin/env python3
"""A fake Hevy public API for the HevySync tests, written from the published OpenAPI spec (v0.0.1).

Implements the read endpoints the sync uses, with the spec's shapes and limits:
  GET /v1/workouts?page&pageSize            pageSize <= 10, newest first, 404 past the last page
  GET /v1/workouts/count                    {"workout_count": n}
  GET /v1/workouts/events?page&pageSize&since   newest first; {type: updated, workout} | {type: deleted, id, deleted_at}
  GET /v1/workouts/{id}                     404 "Workout not found" when unknown
  GET /v1/exercise_templates?page&pageSize  pageSize <= 100
  GET /v1/exercise_templates/{id}           404 when unknown
  GET /v1/body_measurements?page&pageSize   pageSize <= 10, newest first
Every call needs the header `api-key` equal to the configured key (else 401 {"error": "Unauthorized"}).

Started by the tests on 127.0.0.1 with a free port; prints `PORT <n>` on stdout once listening.
Scenario control (JSON bodies), on the same port:
  POST /_control/workouts   {"workouts": [Workout...]}  create or edit (sets updated_at, adds an `updated` event)
  POST /_control/delete     {"ids": [...]}              delete (adds a `deleted` event)
  POST /_control/faults     {"faults": [Fault...]}      replace the fault rules (see Fault below)
  POST /_control/config     {"api_key"?, "page_count_extra"?, "hidden_workouts"?}
  POST /_control/templates  {"templates": [...]}        add or replace exercise templates
  POST /_control/body       {"body_measurements": [...]} add or replace body measurements (by date)
  GET  /_control/log        requests seen: [{"path", "query", "user_agent", "api_key_ok", "api_key_sent", "status"}]
  GET  /_control/state      {"workouts": [...], "templates": [...], "body_measurements": [...]}
Fault: {"path": "/v1/workouts" (exact path), "page": 2 (optional), "times": 1 (-1 = always),
        "skip": 0 (let this many matching requests through first), one of:
        "status": 500 [+ "retry_after": "1"] | "delay": 2.0 (seconds before answering) |
        "body": "<raw text with status 200>" | "drop": true (close the connection without answering) |
        "redirect": "http://host:port" (302 to that origin, same path and query) |
        "huge": <bytes> [+ "declare_length": true] (a 200 body of that size, streamed; without a length the
                connection closes at the end) |
        "trickle": <seconds> [+ "interval": 0.2] (one body byte per interval for that long, then close)}
Every change (create, edit, delete) gets its own second: updated_at and deleted_at strictly increase, as
Hevy's millisecond times do, so the order of events is never ambiguous.
"""
import argparse
import datetime as dt
import json
import random
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

EPOCH = "1970-01-01T00:00:00Z"
MUSCLES = ["chest", "shoulders", "triceps", "biceps", "lats", "upper_back", "quadriceps", "hamstrings", "glutes", "abdominals"]
TYPES = ["weight_reps", "reps_only", "bodyweight_reps", "duration", "distance_duration"]


def iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(s: str) -> dt.datetime:
    s = s.strip().replace("Z", "+00:00")
    t = dt.datetime.fromisoformat(s)
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class State:
    def __init__(self, api_key: str, n_workouts: int, n_templates: int, n_body: int, seed: int):
        self.lock = threading.Lock()
        self.api_key = api_key
        self.page_count_extra = 0
        self.faults = []
        self.log = []
        rnd = random.Random(seed)
        self.templates = []
        for i in range(n_templates):
            self.templates.append({
                "id": "%08X" % (0x1000 + i) if i < n_templates - 2 else str(uuid.UUID(int=rnd.getrandbits(128))),
                "title": "Exercise %03d (Barbell)" % i,
                "type": TYPES[i % len(TYPES)],
                "primary_muscle_group": MUSCLES[i % len(MUSCLES)],
                "secondary_muscle_groups": [MUSCLES[(i + 3) % len(MUSCLES)]] if i % 2 else [],
                "is_custom": i >= n_templates - 2,
            })
        self.last_change = None
        self.workouts = {}     # id -> workout
        self.events = []       # (time, event) in creation order
        base = dt.datetime(2024, 1, 1, 7, 30, 15, tzinfo=dt.timezone.utc)
        for i in range(n_workouts):
            start = base + dt.timedelta(days=2 * i, minutes=rnd.randint(0, 50))
            w = self.make_workout(rnd, str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                                  ["Push Day", "Pull Day", "Leg Day"][i % 3], start)
            w["updated_at"] = w["created_at"] = iso(start + dt.timedelta(hours=2))
            self.workouts[w["id"]] = w
            self.events.append((parse_iso(w["updated_at"]), {"type": "updated", "workout": w}))
        self.body = []
        for i in range(n_body):
            d = dt.date(2024, 1, 1) + dt.timedelta(days=3 * i)
            self.body.append({"date": d.isoformat(), "weight_kg": round(80 - 0.1 * i, 1),
                              "fat_percent": 18.5 if i % 2 == 0 else None, "waist": 82 + (i % 3)})

    def make_workout(self, rnd, wid, title, start):
        exercises = []
        for e in range(3):
            t = self.templates[rnd.randrange(len(self.templates))] if self.templates else {"id": "DEADBEEF", "title": "Unknown"}
            sets = []
            for s in range(3):
                sets.append({"index": s, "type": "warmup" if s == 0 else "normal",
                             "weight_kg": 40 + 2.5 * rnd.randint(0, 20), "reps": rnd.randint(3, 12),
                             "distance_meters": None, "duration_seconds": None,
                             "rpe": rnd.choice([None, 7, 7.5, 8, 8.5, 9]), "custom_metric": None})
            exercises.append({"index": e, "title": t["title"], "notes": "note %d" % e if e == 0 else None,
                              "exercise_template_id": t["id"], "supersets_id": None, "sets": sets})
        return {"id": wid, "title": title, "routine_id": None, "description": "fake workout",
                "start_time": iso(start), "end_time": iso(start + dt.timedelta(minutes=65)),
                "updated_at": iso(start), "created_at": iso(start), "exercises": exercises}

    def tick(self) -> dt.datetime:
        """The time of a new change: now, or one second after the previous change (call with the lock held)."""
        t = now()
        if self.last_change is not None and t <= self.last_change:
            t = self.last_change + dt.timedelta(seconds=1)
        self.last_change = t
        return t

    # faults ---------------------------------------------------------------------------------------
    def take_fault(self, path, query):
        with self.lock:
            for f in self.faults:
                if f.get("path") != path:
                    continue
                if "page" in f and str(f["page"]) != query.get("page", "1"):
                    continue
                if f.get("skip", 0) > 0:
                    f["skip"] -= 1
                    continue
                times = f.get("times", 1)
                if times == 0:
                    continue
                if times > 0:
                    f["times"] = times - 1
                return dict(f)
        return None


def paged(items, query, max_size, default_size, extra_pages):
    """Returns (status, page dict or error) following the spec's paging rules."""
    try:
        page = int(query.get("page", "1"))
        size = int(query.get("pageSize", str(default_size)))
    except ValueError:
        return 400, {"error": "Invalid page or pageSize"}
    if page < 1 or size < 1 or size > max_size:
        return 400, {"error": "Invalid page size"}
    page_count = (len(items) + size - 1) // size
    if page > max(page_count, 1):
        return 404, {"error": "Page not found"}
    return 200, {"page": page, "page_count": page_count + extra_pages, "items": items[(page - 1) * size: page * size]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeHevy/1.0"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):  # quiet
        pass

    @property
    def state(self) -> State:
        return self.server.state

    def send_json(self, status, obj, headers=None):
        body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def read_json(self):
        n = int(self.headers.get("Content-Length", "0") or 0)
        return json.loads(self.rfile.read(n) or b"{}")

    # control --------------------------------------------------------------------------------------
    def do_POST(self):
        url = urlparse(self.path)
        body = self.read_json()
        st = self.state
        with st.lock:
            if url.path == "/_control/workouts":
                for w in body["workouts"]:
                    t = st.tick()
                    old = st.workouts.get(w["id"], {})
                    merged = {**old, **w}
                    merged.setdefault("created_at", iso(t))
                    merged["updated_at"] = w.get("updated_at", iso(t))
                    st.workouts[w["id"]] = merged
                    st.events.append((parse_iso(merged["updated_at"]), {"type": "updated", "workout": json.loads(json.dumps(merged))}))
                return self.send_json(200, {"ok": True})
            if url.path == "/_control/delete":
                for wid in body["ids"]:
                    t = st.tick()
                    st.workouts.pop(wid, None)
                    st.events.append((t, {"type": "deleted", "id": wid, "deleted_at": iso(t)}))
                return self.send_json(200, {"ok": True})
            if url.path == "/_control/faults":
                st.faults = body.get("faults", [])
                return self.send_json(200, {"ok": True})
            if url.path == "/_control/config":
                if "api_key" in body:
                    st.api_key = body["api_key"]
                if "page_count_extra" in body:
                    st.page_count_extra = int(body["page_count_extra"])
                return self.send_json(200, {"ok": True})
            if url.path == "/_control/body":
                by_date = {b["date"]: b for b in st.body}
                for b in body["body_measurements"]:
                    by_date[b["date"]] = b
                st.body = list(by_date.values())
                return self.send_json(200, {"ok": True})
            if url.path == "/_control/templates":
                by_id = {t["id"]: t for t in st.templates}
                for t in body["templates"]:
                    by_id[t["id"]] = t
                st.templates = list(by_id.values())
                return self.send_json(200, {"ok": True})
        self.send_json(404, {"error": "unknown control path"})

    # API ------------------------------------------------------------------------------------------
    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        st = self.state
        if url.path.startswith("/_control/"):
            with st.lock:
                if url.path == "/_control/log":
                    return self.send_json(200, st.log)
                if url.path == "/_control/state":
                    return self.send_json(200, {"workouts": list(st.workouts.values()), "templates": st.templates,
                                                "body_measurements": st.body})
            return self.send_json(404, {"error": "unknown control path"})

        entry = {"path": url.path, "query": url.query, "user_agent": self.headers.get("User-Agent"),
                 "api_key_ok": self.headers.get("api-key") == st.api_key,
                 "api_key_sent": self.headers.get("api-key") is not None, "status": None}
        with st.lock:
            st.log.append(entry)
        status, obj, headers = self.route(url.path, query, entry)
        entry["status"] = status
        if status is None:
            return  # connection dropped on purpose
        self.send_json(status, obj, headers)

    def stream_huge(self, size, declare_length):
        """A 200 response of `size` bytes, written in 1 MiB chunks until done or the client goes away."""
        self.close_connection = True
        chunk = b" " * (1 << 20)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if declare_length:
                self.send_header("Content-Length", str(size))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b'{"page": 1, "page_count": 1, "workouts": [')
            sent = 0
            while sent < size:
                n = min(len(chunk), size - sent)
                self.wfile.write(chunk[:n])
                sent += n
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass

    def trickle(self, seconds, interval):
        """A 200 response whose body arrives one byte per `interval` for `seconds`, then the connection closes."""
        self.close_connection = True
        end = time.monotonic() + seconds
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(int(seconds / interval) + 1000))
            self.end_headers()
            self.wfile.flush()
            while time.monotonic() < end:
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(interval)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass

    def route(self, path, query, entry):
        st = self.state
        if not entry["api_key_ok"]:
            return 401, {"error": "Unauthorized"}, None
        fault = st.take_fault(path, query)
        if fault:
            if fault.get("drop"):
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return None, None, None
            if "delay" in fault:
                time.sleep(float(fault["delay"]))
            if "redirect" in fault:
                target = fault["redirect"].rstrip("/") + self.path
                return 302, {"error": "moved"}, {"Location": target}
            if "huge" in fault:
                self.stream_huge(int(fault["huge"]), bool(fault.get("declare_length")))
                return None, None, None
            if "trickle" in fault:
                self.trickle(float(fault["trickle"]), float(fault.get("interval", 0.2)))
                return None, None, None
            if "status" in fault:
                headers = {"Retry-After": str(fault["retry_after"])} if "retry_after" in fault else None
                return fault["status"], {"error": "fault %d" % fault["status"]}, headers
            if "body" in fault:
                return 200, fault["body"].encode(), None
        with st.lock:
            extra = st.page_count_extra
            if path == "/v1/workouts":
                items = sorted(st.workouts.values(), key=lambda w: w["start_time"], reverse=True)
                status, page = paged(items, query, 10, 5, extra)
                return status, ({"page": page["page"], "page_count": page["page_count"], "workouts": page["items"]}
                                if status == 200 else page), None
            if path == "/v1/workouts/count":
                return 200, {"workout_count": len(st.workouts)}, None
            if path == "/v1/workouts/events":
                try:
                    since = parse_iso(query.get("since", EPOCH))
                except ValueError:
                    return 400, {"error": "Invalid since"}, None
                items = [e for (t, e) in reversed(st.events) if t > since]
                status, page = paged(items, query, 10, 5, extra)
                if status == 404 and page.get("error") == "Page not found" and not items and query.get("page", "1") == "1":
                    status, page = 200, {"page": 1, "page_count": 0, "items": []}
                return status, ({"page": page["page"], "page_count": page["page_count"], "events": page["items"]}
                                if status == 200 else page), None
            if path == "/v1/exercise_templates":
                status, page = paged(st.templates, query, 100, 5, extra)
                return status, ({"page": page["page"], "page_count": page["page_count"], "exercise_templates": page["items"]}
                                if status == 200 else page), None
            if path.startswith("/v1/workouts/"):
                wid = path.rsplit("/", 1)[1]
                if wid in st.workouts:
                    return 200, st.workouts[wid], None
                return 404, {"error": "Workout not found"}, None
            if path.startswith("/v1/exercise_templates/"):
                tid = path.rsplit("/", 1)[1]
                for t in st.templates:
                    if t["id"] == tid:
                        return 200, t, None
                return 404, {"error": "Exercise template not found"}, None
            if path == "/v1/body_measurements":
                items = sorted(st.body, key=lambda b: b["date"], reverse=True)
                status, page = paged(items, query, 10, 10, extra)
                return status, ({"page": page["page"], "page_count": page["page_count"], "body_measurements": page["items"]}
                                if status == 200 else page), None
        return 404, {"error": "Not found"}, None


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--api-key", required=True)
    ap.add_argument("--workouts", type=int, default=23)
    ap.add_argument("--templates", type=int, default=120)
    ap.add_argument("--body", type=int, default=15)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(args.api_key, args.workouts, args.templates, args.body, args.seed)
    print("PORT %d" % server.server_address[1], flush=True)
    # exit when the test process goes away (stdin closes)
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
