"""Starts the tests' fake Hevy server (Tests/HevySyncTests/fake_hevy) for the sync operation."""
import json
import os
import subprocess
import sys
import urllib.request

API_KEY = "faults-harness-key"


class FakeHevy:
    """The fake server as a child process; it exits when its stdin closes (stop())."""

    def __init__(self, root, workouts, page_delay):
        script = os.path.join(root, "Tests", "HevySyncTests", "fake_hevy", "fake_hevy_server.py")
        self.proc = subprocess.Popen([sys.executable, script, "--port", "0", "--api-key", API_KEY,
                                      "--workouts", str(workouts), "--templates", "120", "--body", "40"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "PORT":
            raise RuntimeError(f"the fake Hevy server did not start: {line}")
        self.url = f"http://127.0.0.1:{line[1]}"
        if page_delay > 0:   # every workout / body page answers slowly, so kills land between pages
            self.control("/_control/faults", {"faults": [
                {"path": "/v1/workouts", "times": -1, "delay": page_delay},
                {"path": "/v1/body_measurements", "times": -1, "delay": page_delay}]})

    def control(self, path, body):
        """POSTs a scenario-control request."""
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=10).read()

    def env(self):
        """HEVY_API_KEY and HEVY_API_URL for fitdata."""
        return {"HEVY_API_KEY": API_KEY, "HEVY_API_URL": self.url}

    def stop(self):
        """Closes its stdin (it exits), killing it after 5 s."""
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
