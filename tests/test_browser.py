"""A generated report in a real browser: headless Chromium opens it from disk.

The test drives Debian's ``chromium`` over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: commands on fd 3, replies on fd 4, each a JSON
message ended by a NUL byte), so it needs no driver and no network port. It
checks that every image loaded and has an alt text, that the page logs no
error, asks for nothing but its own file, that every link of the table of
contents leads to a heading, and that no chart can be cut in half on paper;
then it prints the page to PDF. A screenshot of the top of the page (the
summary) and the PDF are written to ``reports/browser-test/`` for a person
to look at; the test prints their paths.

Without Chromium (``.ci/run`` installs it) the test is skipped with the reason.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import signal
import time
from pathlib import Path

import pytest

from mus_analysis import build_report, text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example-2025"
SHOTS = ROOT / "reports" / "browser-test"
CHROMIUM = os.environ.get("MUS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--remote-debugging-pipe"]
A4_CONTENT_MM = (210 - 2 * 15, 297 - 2 * 15)   # the report's @page: A4, 15 mm margins
PX_PER_MM = 96 / 25.4
VIEWPORT = {"width": 1200, "height": 1500}     # the screenshot: the top of the page

pytestmark = pytest.mark.skipif(
    not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)),
    reason=f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium; "
           ".ci/run installs it)")


class Browser:
    """Headless Chromium, spoken to over the DevTools protocol on a pipe."""

    def __init__(self, profile: Path, log: Path):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # The browser must find the pipe ends at fds 3 and 4. Copies at high
        # numbers first, so that no dup2 below overwrites an end still needed.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
                for fd in (to_browser_r, from_browser_w)]
        actions = [(os.POSIX_SPAWN_DUP2, high[0], 3), (os.POSIX_SPAWN_DUP2, high[1], 4),
                   (os.POSIX_SPAWN_OPEN, 1, str(log), os.O_WRONLY | os.O_CREAT, 0o644),
                   (os.POSIX_SPAWN_DUP2, 1, 2)]
        argv = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"]
        self.pid = os.posix_spawn(CHROMIUM, argv, os.environ, file_actions=actions,
                                  setsid=True)
        for fd in (to_browser_r, from_browser_w, *high):
            os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, *, session: str | None = None,
             timeout: float = 60) -> dict:
        """Send one command and return its result; events meanwhile go to ``events``."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._receive(deadline, method)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event: str, *, timeout: float = 60) -> dict:
        """Wait for an event (or find it among those already received)."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.events:
                if message.get("method") == event:
                    return message
            self.events.append(self._receive(deadline, event))

    def _receive(self, deadline: float, waiting_for: str) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            if not ready:
                raise TimeoutError(f"Chromium did not answer {waiting_for} in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium closed the pipe while waiting for {waiting_for}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (OSError, RuntimeError, TimeoutError):
            pass
        for _ in range(50):
            if os.waitpid(self.pid, os.WNOHANG)[0]:
                break
            time.sleep(0.1)
        else:
            os.killpg(self.pid, signal.SIGKILL)   # the browser's own process group
            os.waitpid(self.pid, 0)
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The Danish report of the example round, and its summary.json."""
    tmp = tmp_path_factory.mktemp("browser")
    page = build_report(EXAMPLE, tmp / "reports", processed_dir=tmp / "processed")
    summary = json.loads((page.parent / "summary.json").read_text("utf-8"))
    return page, summary


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("chromium")
    chromium = Browser(tmp / "profile", tmp / "chromium.log")
    try:
        yield chromium
    except BaseException:
        print((tmp / "chromium.log").read_text("utf-8", "replace")[-3000:])
        raise
    finally:
        chromium.close()


@pytest.fixture(scope="module")
def page(browser, report):
    """A tab with the report loaded; returns (session id, report summary)."""
    path, summary = report
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget",
                           {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.send(f"{domain}.enable", session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {**VIEWPORT, "deviceScaleFactor": 1, "mobile": False}, session=session)
    browser.send("Page.navigate", {"url": path.as_uri()}, session=session)
    browser.wait_for("Page.loadEventFired")
    return session, summary


def evaluate(browser, session, expression: str):
    result = browser.send("Runtime.evaluate", {"expression": expression,
                                               "returnByValue": True}, session=session)
    if "exceptionDetails" in result:
        raise AssertionError(result["exceptionDetails"])
    return result["result"].get("value")


def test_every_image_loaded_and_has_an_alt_text(browser, page):
    session, _ = page
    images = evaluate(browser, session, """
        Array.from(document.images).map(i => ({
            loaded: i.complete && i.naturalWidth > 0, alt: i.alt, width: i.naturalWidth}))
    """)
    assert len(images) == 4                      # bands, two spreads, pairs
    assert all(image["loaded"] for image in images), images
    for image in images:
        assert len(image["alt"]) > 40 and "No description" not in image["alt"]


def test_the_page_logs_no_error_and_asks_for_nothing_from_the_network(browser, page):
    session, _ = page
    evaluate(browser, session, "1")              # let pending events arrive
    errors = [e for e in browser.events
              if e.get("method") == "Runtime.exceptionThrown"
              or (e.get("method") == "Runtime.consoleAPICalled"
                  and e["params"]["type"] in ("error", "assert"))
              or (e.get("method") == "Log.entryAdded"
                  and e["params"]["entry"]["level"] == "error")]
    assert errors == []
    requested = [e["params"]["request"]["url"] for e in browser.events
                 if e.get("method") == "Network.requestWillBeSent"]
    assert requested and all(url.startswith(("file:", "data:")) for url in requested), \
        requested


def test_every_contents_link_leads_to_a_heading(browser, page):
    session, _ = page
    links = evaluate(browser, session, """
        Array.from(document.querySelectorAll('nav.toc a')).map(a => {
            const target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
            return {href: a.getAttribute('href'), text: a.textContent,
                    target: target ? target.tagName : null,
                    same: target ? target.textContent.trim() === a.textContent : false};
        })
    """)
    assert len(links) >= 8
    for link in links:
        assert link["target"] in ("H2", "H3") and link["same"], link
    hrefs = [link["href"] for link in links]
    assert {"#bands", "#spread", "#pairs"} <= set(hrefs)


def test_screenshot_shows_the_summary(browser, page):
    session, summary = page
    words = text.words("da")
    box = evaluate(browser, session, """(() => {
        const head = document.getElementById('summary');
        const end = document.querySelector('nav.toc');
        const range = document.createRange();
        range.setStartBefore(head);
        range.setEndBefore(end);
        return {top: head.getBoundingClientRect().top,
                bottom: end.getBoundingClientRect().top, text: range.toString()};
    })()""")
    assert 0 <= box["top"] < box["bottom"] <= VIEWPORT["height"]   # all in the screenshot

    shown = box["text"]
    headlines = summary["headlines"]
    assert words["summary_head"] in shown
    assert f"{summary['data_quality']['respondents']} besvarelser" in shown
    for band in headlines["top_band"].values():
        assert band in shown
    assert "Jeres MUS-proces skaber værdi." in shown            # the verdict of 61-80
    for gap in headlines["largest_gaps"]:
        assert text.number(gap["gap"], "da", 2) in shown
    for items in headlines["weakest_items"].values():
        for entry in items:
            assert text.number(entry["mean"], "da", 2) in shown

    shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / "summary.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.read_bytes().startswith(b"\x89PNG")
    print(f"\nscreenshot of the summary: {path}")


def test_no_chart_is_cut_in_half_on_paper(browser, page):
    session, _ = page
    width_mm, height_mm = A4_CONTENT_MM
    browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": round(width_mm * PX_PER_MM), "height": round(height_mm * PX_PER_MM),
                  "deviceScaleFactor": 1, "mobile": False}, session=session)
    try:
        images = evaluate(browser, session, """
            Array.from(document.images).map(i => ({
                height: i.getBoundingClientRect().height,
                width: i.getBoundingClientRect().width,
                avoid: getComputedStyle(i).breakInside}))
        """)
    finally:
        browser.send("Emulation.setEmulatedMedia", {"media": ""}, session=session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {**VIEWPORT, "deviceScaleFactor": 1, "mobile": False}, session=session)
    for image in images:
        assert image["avoid"] == "avoid"                       # never split over pages
        assert image["height"] <= height_mm * PX_PER_MM        # and always fits on one
        assert image["width"] <= width_mm * PX_PER_MM + 1


def test_prints_to_pdf(browser, page):
    session, _ = page
    pdf = browser.send("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True},
                       session=session, timeout=120)
    data = base64.b64decode(pdf["data"])
    assert data.startswith(b"%PDF-")
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / "report.pdf"
    path.write_bytes(data)
    print(f"\nthe report printed to PDF: {path}")
