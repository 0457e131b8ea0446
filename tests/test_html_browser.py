"""The HTML report in a real browser: headless Chromium (Debian's package, which
.ci/run installs) loads reports/seeds.html and a page of hostile input from disk.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
JSON messages ending in a NUL byte on file descriptors 3 and 4), so no port, websocket
library or driver binary is needed. It runs in a process group of its own, killed
whatever the test's outcome, so no Chromium process outlives the tests.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dedup.ingest import read_sources
from dedup.pipeline import find_duplicates, member_diffs
from dedup.render.html import render_html
from dedup.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "fixtures" / "hostile" / "hostile.jsonl"
_TIMEOUT = 30.0
_FLAGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-pipe",
]


def chromium_path() -> str | None:
    """Debian's chromium, or any chromium on PATH."""
    candidates = ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class Browser:
    """One headless Chromium and the DevTools messages it sent."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def give_pipes() -> None:  # in the child: the protocol's fixed descriptors
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self.process = subprocess.Popen(
            [executable, *_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(3, 4),
            preexec_fn=give_pipes,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], deadline - time.monotonic())
            if not ready:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        result: dict[str, Any] = json.loads(message)
        return result

    def call(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        """Send one command and wait for its answer; events meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + _TIMEOUT
        while True:
            answer = self._receive(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def open(self, path: Path, width: int = 1280, height: int = 900) -> str:
        """A new tab showing ``path``, loaded; its session id."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session: str = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=session)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        first_event = len(self.events)
        self.call("Page.navigate", {"url": path.resolve().as_uri()}, session)
        deadline = time.monotonic() + _TIMEOUT
        while not any(
            event.get("method") == "Page.loadEventFired" and event.get("sessionId") == session
            for event in self.events[first_event:]
        ):
            self.events.append(self._receive(deadline))
        return session

    def evaluate(self, session: str, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page."""
        result = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, session: str) -> bytes:
        """A PNG of the whole page, not only the window."""
        data = self.call(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session
        )["data"]
        return base64.b64decode(data)

    def problems(self, session: str) -> list[str]:
        """Console errors and warnings, uncaught exceptions and log errors of a tab."""
        found = []
        for event in self.events:
            if event.get("sessionId") != session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning"):
                found.append(f"console.{params['type']}: {params['args']}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails']}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append(f"log {params['entry']['level']}: {params['entry']['text']}")
        return found

    def requests(self, session: str) -> list[str]:
        """Every URL the tab asked for."""
        return [
            event["params"]["request"]["url"]
            for event in self.events
            if event.get("method") == "Network.requestWillBeSent"
            and event.get("sessionId") == session
        ]

    def stop(self) -> None:
        """Close Chromium and kill its whole process group, whatever state it is in."""
        try:
            with contextlib.suppress(OSError, EOFError, TimeoutError, RuntimeError):
                self.call("Browser.close")
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=_TIMEOUT)
            os.close(self._to_browser)
            os.close(self._from_browser)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "no Chromium to run the HTML report in: .ci/run installs Debian's "
            "(apt-get install -y chromium), which failed or was not run here"
        )
    running = Browser(executable, tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield running
    finally:
        group = running.process.pid
        running.stop()
        # Every process of the group is gone (children are reaped by init shortly).
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"Chromium processes of group {group} outlived the test")


def test_the_seeds_page_loads_offline_without_errors(browser: Browser, tmp_path: Path) -> None:
    page = ROOT / "reports" / "seeds.html"
    session = browser.open(page)
    screenshot = browser.screenshot(session)
    (tmp_path / "seeds.png").write_bytes(screenshot)
    assert screenshot.startswith(b"\x89PNG")
    assert browser.problems(session) == []
    assert browser.requests(session) == [page.resolve().as_uri()]
    assert browser.evaluate(session, "document.title") == "dedup report: 5 documents, 1 cluster"


def test_arabic_headlines_are_right_aligned(browser: Browser) -> None:
    session = browser.open(ROOT / "reports" / "seeds.html")
    # For each headline cell: where its text's box starts and ends inside the cell's
    # content box (the cell less its padding), in pixels.
    boxes = browser.evaluate(
        session,
        """[...document.querySelectorAll('td.headline')].map(cell => {
            const style = getComputedStyle(cell);
            const box = cell.getBoundingClientRect();
            const range = document.createRange();
            range.selectNodeContents(cell);
            const text = range.getBoundingClientRect();
            return {text: cell.textContent, direction: style.direction,
                    left: text.left - (box.left + parseFloat(style.paddingLeft)),
                    right: box.right - parseFloat(style.paddingRight) - text.right};
        })""",
    )
    assert len(boxes) == 5
    for box in boxes:
        assert box["direction"] == "rtl", box
        assert abs(box["right"]) < 1.5, box
    # The unmatched headline is short: right-aligned, it leaves room on its left.
    assert max(box["left"] for box in boxes) > 40


def _hostile_page(tmp_path: Path) -> Path:
    articles = read_sources([str(HOSTILE)]).articles
    report = find_duplicates(articles, Settings())
    path = tmp_path / "hostile.html"
    path.write_text(render_html(report, member_diffs(report)), encoding="utf-8")
    return path


def test_hostile_text_shows_literally_and_runs_nothing(browser: Browser, tmp_path: Path) -> None:
    session = browser.open(_hostile_page(tmp_path))
    assert browser.problems(session) == []
    found = browser.evaluate(
        session,
        """({scripts: document.scripts.length,
             images: document.images.length,
             handlers: [...document.querySelectorAll('*')].flatMap(element =>
                 [...element.attributes].map(a => a.name).filter(n => n.startsWith('on'))),
             links: [...document.links].map(a => [a.protocol, a.rel]),
             styles: document.querySelectorAll('style').length,
             text: document.body.innerText,
             alerted: typeof window.dedupHostile})""",
    )
    assert found["scripts"] == 0
    assert found["images"] == 0
    assert found["handlers"] == []
    assert found["styles"] == 1
    assert found["alerted"] == "undefined"
    # The https URL and the in-page links to clusters; never javascript: or data:.
    assert found["links"] == [["https:", "noopener noreferrer"]]
    for literal in (
        "<script>window.dedupHostile = 1</script>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(1)",
        "</style><script>",
    ):
        assert literal in found["text"]
    assert browser.requests(session) == [(tmp_path / "hostile.html").resolve().as_uri()]


def test_printing_unfolds_every_diff(browser: Browser) -> None:
    session = browser.open(ROOT / "reports" / "seeds.html")
    folded = "[...document.querySelectorAll('details:not([open]) table')]"
    shown = f"{folded}.map(t => t.checkVisibility())"
    assert browser.evaluate(session, shown) == [False, False, False]
    browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session)
    assert browser.evaluate(session, shown) == [True, True, True]
