"""Browser-test fixtures (STYLE: Tests): Debian's Chromium driven by Playwright's sync API.

Mark browser tests `@pytest.mark.browser` and `@pytest.mark.xdist_group("browser")` so they
share one worker and one Chromium, and ask for `live_server` (which brings transactional_db).
See docs/testing.md.
"""

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# What the root conftest star-imports: the fixtures and the two hooks.
__all__ = [
    "browser",
    "browser_locale",
    "new_page",
    "page",
    "page_log",
    "pytest_runtest_makereport",
    "pytest_runtest_teardown",
]

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium calls Google services at start-up; tests
# must not talk to anything but the live server.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
DEFAULT_LOCALE = "en-US"
TIME_ZONE = "Asia/Shanghai"
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error"}

# The live server listens on 127.0.0.1 (pytest-django's default is "localhost"), so a test can
# tell requests to the server from anything that leaves the machine.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

_PAGE_LOGS = pytest.StashKey[dict]()
_FAILURE_DIR = pytest.StashKey[Path]()


def chromium_path() -> Path:
    return Path(os.environ.get("SALESDESK_CHROMIUM") or DEFAULT_CHROMIUM)


def browser_tests_required() -> bool:
    return os.environ.get("SALESDESK_BROWSER_TESTS", "").strip().lower() == "required"


class _Chromium:
    """One Playwright driver and one Chromium per worker process, launched on first use.

    Playwright's sync API keeps an asyncio loop running in the test thread while it is started,
    which breaks asyncio.run() and async_to_sync() in ordinary tests; so `pytest_runtest_teardown`
    below stops it as soon as the next test on this worker is not a browser test.
    """

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None

    def get(self):
        if self._browser is None or not self._browser.is_connected():
            self.stop()
            self._browser = self._launch()
        return self._browser

    def _launch(self):
        path = chromium_path()
        if not (path.is_file() and os.access(path, os.X_OK)):
            message = (
                f"Chromium not found at {path}: install Debian's chromium to run browser tests"
            )
            if browser_tests_required():
                pytest.fail(f"{message} (SALESDESK_BROWSER_TESTS=required)", pytrace=False)
            pytest.skip(message)
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        return self._playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)

    def open_pages(self) -> list:
        if self._browser is None:
            return []
        return [page for context in self._browser.contexts for page in context.pages]

    def stop(self) -> None:
        if self._browser is not None and self._browser.is_connected():
            self._browser.close()
        self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None


_CHROMIUM = _Chromium()


@dataclass
class PageLog:
    """What one page did: console errors, uncaught exceptions and every URL it requested."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def external_requests(self, host: str = "127.0.0.1") -> list[str]:
        """Requested URLs that went anywhere but `host` (data:, blob: and about: are local)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname != host
        ]

    def record_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")


@pytest.fixture
def browser():
    """The worker's shared Chromium (a Playwright Browser); skips without Chromium.

    With SALESDESK_BROWSER_TESTS=required (CI) a missing Chromium fails the test instead.
    """
    return _CHROMIUM.get()


@pytest.fixture
def browser_locale() -> str:
    """The browser's language (Accept-Language); parametrize it to change it for a test."""
    return DEFAULT_LOCALE


@pytest.fixture
def new_page(browser, browser_locale, request, tmp_path_factory) -> Iterator[Callable]:
    """Open pages, each in a context of its own (own cookies): `new_page(locale="zh-CN")`."""
    contexts = []
    logs = request.node.stash.setdefault(_PAGE_LOGS, {})
    request.node.stash[_FAILURE_DIR] = tmp_path_factory.getbasetemp() / "browser-failures"

    def open_page(locale: str | None = None, **context_options):
        options = {
            "locale": locale or browser_locale,
            "viewport": VIEWPORT,
            "timezone_id": TIME_ZONE,
            **context_options,
        }
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        log = logs[page] = PageLog()
        page.on("console", log.record_console)
        page.on("pageerror", lambda error: log.page_errors.append(str(error)))
        page.on("request", lambda sent: log.requests.append(sent.url))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A fresh 1280x800 page in the `browser_locale` language; screenshot kept on failure."""
    return new_page()


@pytest.fixture
def page_log(page, request) -> PageLog:
    """Console errors, uncaught page errors and requested URLs of `page`."""
    return request.node.stash[_PAGE_LOGS][page]


def login(page, live_server, user, password: str) -> None:
    """Sign in through the login page; fail with the page's error text when refused."""
    username = getattr(user, "username", user)
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("form", has=page.locator("#id_password"))
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if urlsplit(page.url).path == "/accounts/login/":
        errors = page.locator(".errorlist, [role=alert]").all_inner_texts()
        raise AssertionError(f"login as {username!r} failed: {errors or page.url}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed browser test, save a screenshot of each open page and list the files."""
    report = yield
    if report.when == "call" and report.failed and _FAILURE_DIR in item.stash:
        lines = _save_screenshots(item.stash[_FAILURE_DIR], item.nodeid)
        for log in item.stash.get(_PAGE_LOGS, {}).values():
            lines.extend(f"console error: {text}" for text in log.console_errors)
            lines.extend(f"page error: {text}" for text in log.page_errors)
        if lines:
            report.sections.append(("browser", "\n".join(lines)))
    return report


def _save_screenshots(directory: Path, nodeid: str) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", nodeid)[-150:]
    lines = []
    for number, page in enumerate(_CHROMIUM.open_pages(), start=1):
        path = directory / f"{stem}-{number}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as exc:  # a broken page must not hide the test's own failure
            lines.append(f"screenshot of {page.url} failed: {exc}")
        else:
            lines.append(f"screenshot of {page.url}: {path}")
    return lines


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """Stop Chromium when the next test on this worker does not use it (see _Chromium)."""
    if nextitem is None or "browser" not in nextitem.fixturenames:
        _CHROMIUM.stop()
