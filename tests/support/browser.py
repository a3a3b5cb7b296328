"""Browser tests in Debian's headless Chromium through Playwright (never a downloaded browser).

Fixtures (tests/conftest.py loads this module as a pytest plugin):
- `browser`: one Chromium for the session.
- `open_page(width, height)`: a fresh page whose every request, console error, uncaught
  exception and Content-Security-Policy violation is recorded; at the end of the test it fails
  if any request left the origin of the first page loaded, or if anything else was recorded.
  `page` is open_page() at a desktop size; `page_log(page)` gives a page's records, so a test
  that expects an error can check and clear it.
- `screenshot(page, suffix="", scroll=True)`: a full-page PNG in instance/screenshots/<test name>[-suffix].png.
Helpers: `assert_accessible(page)` runs axe-core (a test-only copy, injected through the
DevTools protocol, so the app never serves it and the page's CSP does not apply to it);
`serve(app)` runs a Flask app on a free port of 127.0.0.1 in a thread.

Without /usr/bin/chromium the tests are skipped, and with CI=true they fail instead.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("NABLAGRADE_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-dev-shm-usage", "--no-first-run", "--mute-audio"]
AXE = ROOT / "tests" / "support" / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "instance" / "screenshots"
DESKTOP = (1280, 900)
PHONE = (390, 844)
BLOCKING_IMPACTS = ("serious", "critical")
LOCAL_SCHEMES = ("data", "blob", "about", "chrome-error")

def require_chromium() -> None:
    """Skip without Chromium or Playwright, except under CI=true, where that is a failure."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (scripts/install-system-packages.sh installs Debian's chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "playwright is not installed (pip install -e '.[dev]')"
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests need Chromium: {problem}")
    pytest.skip(problem)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class PageLog:
    """What one page did, recorded as it happened."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[dict[str, Any]] = field(default_factory=list)
    home: str | None = None  # the origin of the first document loaded

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests
                if urlsplit(url).scheme not in LOCAL_SCHEMES and origin(url) != self.home]

    def problems(self) -> list[str]:
        found = [f"request to another origin: {url}" for url in self.outside_requests()]
        found += [f"CSP violation: {v.get('directive')} blocked {v.get('blocked') or 'inline code'}"
                  f" ({v.get('source') or v.get('document')}:{v.get('line')})" for v in self.csp_violations]
        found += [f"uncaught exception: {text}" for text in self.page_errors]
        found += [f"console error: {text}" for text in self.console_errors]
        return found


# Reports securitypolicyviolation events to the test through a binding, so violations in every
# document of the page are kept, not only in the last one.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__nablaReportCsp({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
                           line: e.lineNumber, document: e.documentURI, sample: e.sample});
});
"""

SCROLL_THROUGH = """async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) { window.scrollTo(0, y); await frame(); }
  window.scrollTo(0, 0);
  await frame();
}"""

_logs: dict[int, PageLog] = {}


def page_log(page: Any) -> PageLog:
    return _logs[id(page)]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Any]]:
    contexts: list[tuple[Any, Any]] = []

    def open_(width: int = DESKTOP[0], height: int = DESKTOP[1], **context_options: Any) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, **context_options)
        log = PageLog()
        context.expose_binding("__nablaReportCsp", lambda _source, report: log.csp_violations.append(report))
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.set_default_timeout(15_000)

        def on_request(req: Any) -> None:
            if log.home is None and req.is_navigation_request():
                log.home = origin(req.url)
            log.requests.append(req.url)

        page.on("request", on_request)
        page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: log.page_errors.append(str(error)))
        _logs[id(page)] = log
        contexts.append((context, page))
        return page

    yield open_
    problems: list[str] = []
    for context, page in contexts:
        problems += page_log(page).problems()
        _logs.pop(id(page), None)
        context.close()
    if problems:
        pytest.fail("the page did something it must not:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def page(open_page: Callable[..., Any]) -> Any:
    return open_page()


def assert_accessible(page: Any, *, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Run axe-core on the page; fail on serious or critical violations. Returns all violations
    (minor and moderate included) for a test that wants to look further."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    options = {"resultTypes": ["violations"]}
    result = page.evaluate("([exclude, options]) => axe.run(exclude.length ? {exclude} : document, options)",
                           [[[selector] for selector in exclude], options])
    violations = result["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = []
        for violation in blocking:
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            lines.append(f"{violation['impact']}: {violation['id']}: {violation['help']} ({len(violation['nodes'])} "
                         f"elements, e.g. {targets})")
        pytest.fail(f"axe-core found accessibility problems on {page.url}:\n  " + "\n  ".join(lines), pytrace=False)
    return violations


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """screenshot(page, suffix="") saves a full-page PNG named after the test; returns its path."""

    def take(page: Any, suffix: str = "", scroll: bool = True) -> Path:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
        path = SCREENSHOTS / f"{name}{'-' + suffix if suffix else ''}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        # Scroll through once first: widgets that measure themselves only when visible (the
        # editor's gutter) would otherwise be drawn from estimates in a full-page shot.
        # (A page opened with JavaScript off cannot run it: pass scroll=False.)
        if scroll:
            page.evaluate(SCROLL_THROUGH)
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@contextmanager
def serve(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """Run `app` with Werkzeug's threaded server on a free port; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server(host, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
