#!/usr/bin/env python3
"""Loads a local HTML page in headless Chromium and reports what a reader would see go wrong.

Usage: scripts/browser_check.py PAGE.html [--width 1280] [--height 900] [--screenshot OUT.png [--full-page]] [--timeout 60]

Prints one JSON object on stdout:
  errors             console.error/console.assert calls, uncaught exceptions, and browser log entries of level
                     "error" (failed loads, blocked requests, CSP violations), each a string
  requests           every URL the page asked for other than itself and data: URLs (a self-contained page has none)
  charts             per <svg class="chart">: title, kind, declared_marks (its data-marks), drawn_marks (elements of
                     class "mark" with a non-empty box inside the chart that are displayed and visible), and
                     min_font_px (the smallest text of the chart as rendered: font size x the SVG's scale)
  title              document.title
Exit status: 0 when the page loaded (whatever it reports), 2 on bad usage, 3 when Chromium failed or timed out.

How: Chromium is started with --remote-debugging-pipe, so the DevTools protocol runs over file descriptors 3 and 4
(NUL-terminated JSON messages) with no port, no websocket library, nothing but the Python standard library. The page
is opened in a fresh target with Runtime, Log, Network and Page events on before navigation, so errors raised while
the page parses are caught; after the load event the marks are counted by script in the page.
"""
import argparse
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MEASURE = r"""
(() => {
  const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
    const box = svg.getBoundingClientRect();
    const scale = svg.getScreenCTM() ? svg.getScreenCTM().a : 0;
    const drawn = [...svg.querySelectorAll('.mark')].filter(m => {
      const r = m.getBoundingClientRect(), s = getComputedStyle(m);
      return (r.width > 0 || r.height > 0) && s.display !== 'none' && s.visibility !== 'hidden' && s.opacity !== '0'
        && r.right >= box.left - 1 && r.left <= box.right + 1 && r.bottom >= box.top - 1 && r.top <= box.bottom + 1;
    }).length;
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize) * scale);
    const t = svg.querySelector('title');
    return {title: t ? t.textContent : '', kind: svg.dataset.chart || '', declared_marks: Number(svg.dataset.marks || -1),
            drawn_marks: drawn, min_font_px: sizes.length ? Math.min(...sizes) : null, width_px: box.width};
  });
  return JSON.stringify({title: document.title, charts, scroll_width: document.documentElement.scrollWidth,
                         viewport_width: window.innerWidth});
})()
"""


class Browser:
    """A headless Chromium spoken to over the DevTools pipe."""

    def __init__(self, binary, timeout):
        self.profile = tempfile.mkdtemp(prefix="fitdata-chromium-")
        self.deadline = time.monotonic() + timeout
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # The child reads commands on fd 3 and writes replies on fd 4. The ends are first copied above 10 so that
        # placing one cannot overwrite the other (a pipe end may itself be fd 3 or 4).
        def wire():
            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3, inheritable=True)
            os.dup2(high_w, 4, inheritable=True)
        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--mute-audio",
             f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            preexec_fn=wire, close_fds=False)  # pipe ends are non-inheritable; the dup2'd 3 and 4 are
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        return self.next_id

    def read(self):
        """The next message from Chromium (raises TimeoutError past the deadline)."""
        import select
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self.from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe: " + self.stderr_tail())
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=None):
        """Sends a command and returns its result, keeping the events that arrive meanwhile."""
        wanted = self.send(method, params, session)
        while True:
            message = self.read()
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method):
        """Waits for the event `method`, keeping the others."""
        for i, event in enumerate(self.events):
            if event["method"] == method:
                return self.events.pop(i)
        while True:
            message = self.read()
            if message.get("method") == method:
                return message
            if "method" in message:
                self.events.append(message)

    def stderr_tail(self):
        try:
            self.proc.kill()
            return self.proc.stderr.read().decode(errors="replace")[-2000:]
        except Exception:
            return ""

    def close(self):
        try:
            os.close(self.to_child)
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.from_child)
        shutil.rmtree(self.profile, ignore_errors=True)


def describe_exception(details):
    exception = details.get("exception") or {}
    text = exception.get("description") or details.get("text") or "exception"
    return f"uncaught: {text} ({details.get('url', '')}:{details.get('lineNumber', 0) + 1})"


def check(page, width, height, screenshot, full_page, timeout, binary):
    url = page.resolve().as_uri()
    browser = Browser(binary, timeout)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            browser.call(f"{domain}.enable", session=session)
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}, session=session)
        browser.call("Page.navigate", {"url": url}, session=session)
        browser.wait_for("Page.loadEventFired")
        result = browser.call("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True}, session=session)
        measured = json.loads(result["result"]["value"])
        if screenshot:
            # The viewport (width x height), or with --full-page the whole page's length.
            params = {"format": "png"}
            if full_page:
                size = browser.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
                params.update(captureBeyondViewport=True,
                              clip={"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1})
            shot = browser.call("Page.captureScreenshot", params, session=session)
            Path(screenshot).write_bytes(base64.b64decode(shot["data"]))
        errors, requests = [], []
        for event in browser.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                texts = [a.get("value", a.get("description", "")) for a in params.get("args", [])]
                errors.append("console." + params["type"] + ": " + " ".join(str(t) for t in texts))
            elif method == "Runtime.exceptionThrown":
                errors.append(describe_exception(params.get("exceptionDetails", {})))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                errors.append(f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".strip())
            elif method == "Network.requestWillBeSent":
                requested = params.get("request", {}).get("url", "")
                if requested != url and not requested.startswith("data:"):
                    requests.append(requested)
        measured.update(errors=errors, requests=requests)
        return measured
    finally:
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("page")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--screenshot")
    parser.add_argument("--full-page", action="store_true", help="screenshot the whole page, not just the viewport")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    page = Path(args.page)
    if not page.is_file():
        print(f"browser_check: {page}: no such file", file=sys.stderr)
        return 2
    binary = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        print("browser_check: chromium not found (apt-get install chromium, or set CHROMIUM)", file=sys.stderr)
        return 3
    try:
        report = check(page, args.width, args.height, args.screenshot, args.full_page, args.timeout, binary)
    except (TimeoutError, RuntimeError, OSError) as error:
        print(f"browser_check: {page}: {error}", file=sys.stderr)
        return 3
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
