"""A tiny Chrome DevTools Protocol client over `--remote-debugging-pipe` (stdlib only, no websockets).

Chromium reads NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4. Enough to load a
page, click, evaluate JavaScript and take a screenshot in a test.

Usage as a script (e.g. the README screenshot): python tests/results/headless.py PAGE.html OUT.png [WIDTH HEIGHT]
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_S = 30.0


def find_chromium() -> str | None:
    """Path of a Chromium binary on PATH, if any."""
    return next((p for p in map(shutil.which, CHROMIUM_NAMES) if p), None)


def high_fd(fd: int) -> int:
    """Move a descriptor to >= 10 (close-on-exec), clear of the 3 and 4 Chromium reads and writes."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class Browser:
    """One headless Chromium with one page, driven over the DevTools pipe."""

    def __init__(self, width: int = 1200, height: int = 900, mobile: bool = False) -> None:
        binary = find_chromium()
        if binary is None:
            raise RuntimeError("no chromium on PATH")
        self.profile = tempfile.mkdtemp(prefix="scaleblind-chromium-")
        cmd_r, self.cmd_w = os.pipe()
        self.out_r, out_w = os.pipe()
        cmd_r, out_w = high_fd(cmd_r), high_fd(out_w)   # so dup2 onto 3 and 4 cannot clobber a source
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--no-first-run",
                 f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"]

        def wire_pipe() -> None:   # in the child: the pipe ends become the fds 3 and 4 Chromium expects
            os.dup2(cmd_r, 3)
            os.dup2(out_w, 4)

        # close_fds=False: the fds made in preexec_fn must survive; the parent's other fds are close-on-exec.
        self.proc = subprocess.Popen([binary, *flags], preexec_fn=wire_pipe, close_fds=False,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(cmd_r)
        os.close(out_w)
        self.buffer, self.next_id, self.events = b"", 0, []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=mobile)   # mobile: a phone's viewport and overlay scrollbars

    def _read_message(self, deadline: float) -> dict[str, Any]:
        """Next JSON message from fd 4."""
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.out_r], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self.out_r, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its reply (events that arrive meanwhile are kept)."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self.cmd_w, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str) -> dict[str, Any]:
        """Wait for an event (e.g. Page.loadEventFired), including ones already received."""
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))

    def open(self, path: Path) -> None:
        """Navigate to a local file and wait until it has loaded."""
        self.events.clear()
        self.call("Page.navigate", session=True, url=path.resolve().as_uri())
        self.wait_event("Page.loadEventFired")

    def eval(self, expression: str) -> Any:
        """Evaluate JavaScript in the page and return its JSON value."""
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"javascript error: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def screenshot(self, out: Path, full_page: bool = True, clip: dict[str, float] | None = None) -> Path:
        """Save a PNG of the page (the whole page by default, or the `clip` rectangle in page coordinates)."""
        params: dict[str, Any] = {"format": "png"}
        if clip:
            params["clip"] = {**clip, "scale": 1}
            params["captureBeyondViewport"] = True
        elif full_page:
            height = int(self.eval("document.documentElement.scrollHeight"))
            width = int(self.eval("document.documentElement.scrollWidth"))
            params["clip"] = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
            params["captureBeyondViewport"] = True
        out.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", session=True, **params)["data"]))
        return out

    def close(self) -> None:
        """Ask Chromium to exit; kill it (our own child only) if it does not."""
        try:
            self.call("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.cmd_w, self.out_r):
            os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


if __name__ == "__main__":
    page, png = Path(sys.argv[1]), Path(sys.argv[2])
    size = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (1100, 800)
    with Browser(*size) as browser:
        browser.open(page)
        browser.screenshot(png, full_page=False)
    print(f"wrote {png}")
