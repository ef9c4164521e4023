"""Headless Chromium (Debian's ``chromium``) for screenshots, DOM dumps and page checks of rendered maps.

Chromium runs with the flags this machine needs (no sandbox as root, no background networking, a fresh
profile) and with every network request outside ``file:`` refused by a proxy that does not exist, so a
map that needs the network shows it.

:func:`inspect_page` drives the same Chromium over the DevTools protocol (PyPI ``playwright``, its
bundled driver only: never ``playwright install``) to see what a screenshot cannot: console errors,
uncaught exceptions and every request the page makes (each one outside ``file:``/``data:`` is recorded
and refused).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.errors import SitmapError

__all__ = [
    "CHROMIUM_FLAGS",
    "BrowserError",
    "PageReport",
    "chromium_path",
    "dump_dom",
    "inspect_page",
    "playwright_available",
    "screenshot",
]

#: Flags for headless Chromium here: no sandbox (root in containers), no GPU, nothing in the background.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class BrowserError(SitmapError, RuntimeError):
    """Headless Chromium is missing or failed."""


def chromium_path() -> str | None:
    """The Chromium executable (``$SITMAP_CHROMIUM`` first), or ``None`` when none is installed."""
    env = os.environ.get("SITMAP_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(args: list[str], *, timeout: float) -> subprocess.CompletedProcess[str]:
    exe = chromium_path()
    if exe is None:
        raise BrowserError("headless Chromium is not installed (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="sitmap-chromium-") as profile:
        cmd = [
            exe,
            "--headless",
            *CHROMIUM_FLAGS,
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            f"--user-data-dir={profile}",
            *args,
        ]
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise BrowserError(f"Chromium did not finish within {timeout:.0f} s") from exc


def screenshot(
    html: str | os.PathLike[str],
    png: str | os.PathLike[str],
    *,
    width: int = 1400,
    height: int = 900,
    wait_ms: int = 4000,
    timeout: float = 120,
) -> Path:
    """Render the HTML file ``html`` in headless Chromium and write a PNG screenshot to ``png``."""
    src, out = Path(html).resolve(), Path(png).resolve()
    r = _run(
        [
            f"--window-size={width},{height}",
            f"--virtual-time-budget={wait_ms}",
            f"--screenshot={out}",
            src.as_uri(),
        ],
        timeout=timeout,
    )
    if not out.exists() or out.stat().st_size == 0:
        raise BrowserError(f"Chromium wrote no screenshot (exit {r.returncode}): {r.stderr.strip()[-300:]}")
    return out


def dump_dom(html: str | os.PathLike[str], *, wait_ms: int = 4000, timeout: float = 120) -> str:
    """The DOM of the HTML file after its scripts ran (``chromium --dump-dom``)."""
    src = Path(html).resolve()
    r = _run([f"--virtual-time-budget={wait_ms}", "--dump-dom", src.as_uri()], timeout=timeout)
    if r.returncode != 0 or not r.stdout:
        raise BrowserError(f"Chromium failed (exit {r.returncode}): {r.stderr.strip()[-300:]}")
    return r.stdout


@dataclass(frozen=True, slots=True)
class PageReport:
    """What happened while a page loaded in headless Chromium (see :func:`inspect_page`)."""

    #: console messages of level ``error`` and uncaught exceptions, in order
    errors: tuple[str, ...]
    #: every URL the page requested (the page itself included)
    requests: tuple[str, ...]
    #: requested URLs outside ``file:`` and ``data:`` (each one was refused)
    external: tuple[str, ...]
    #: the value of each expression passed to :func:`inspect_page`, by name
    values: Mapping[str, Any] = field(default_factory=dict)


def playwright_available() -> bool:
    """Whether the PyPI package ``playwright`` (the DevTools-protocol driver) is installed."""
    return importlib.util.find_spec("playwright") is not None


def inspect_page(
    html: str | os.PathLike[str],
    *,
    expressions: Mapping[str, str] | None = None,
    png: str | os.PathLike[str] | None = None,
    width: int = 1400,
    height: int = 900,
    ready: str = "window.sitmap !== undefined",
    timeout: float = 30,
) -> PageReport:
    """Load the HTML file in headless Chromium with the network off; report errors and requests.

    Parameters
    ----------
    html
        The page (a file).
    expressions
        JavaScript expressions evaluated after the page is ready, by name; their values come back in
        :attr:`PageReport.values`. Evaluated in order (one may act, e.g. open every popup, and a later
        one check the result).
    png
        Where to write a screenshot, if anywhere.
    ready
        A JavaScript expression that turns true once the page has drawn (sitmap maps set
        ``window.sitmap``); a page whose scripts fail never gets there and is reported after ``timeout``.
    """
    exe = chromium_path()
    if exe is None:
        raise BrowserError("headless Chromium is not installed (Debian: apt-get install chromium)")
    if not playwright_available():
        raise BrowserError("inspecting a page needs the PyPI package playwright (pip install playwright)")
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import Route, sync_playwright

    src = Path(html).resolve()
    errors: list[str] = []
    requests: list[str] = []
    external: list[str] = []

    def route(r: Route) -> None:
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            external.append(url)
            r.abort()

    values: dict[str, Any] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_FLAGS), timeout=timeout * 1000)
        try:
            context = browser.new_context(offline=True, viewport={"width": width, "height": height})
            page = context.new_page()
            page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"exception: {e}"))
            page.on("request", lambda r: requests.append(r.url))
            page.route("**/*", route)
            page.goto(src.as_uri(), wait_until="load", timeout=timeout * 1000)
            try:
                page.wait_for_function(ready, timeout=timeout * 1000)
            except PlaywrightError as exc:
                errors.append(f"not ready: {ready} ({str(exc).splitlines()[0]})")
            # two animation frames: Leaflet has laid out markers and paths
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            for name, expression in (expressions or {}).items():
                values[name] = page.evaluate(expression)
            if png is not None:
                page.screenshot(path=str(Path(png).resolve()))
        finally:
            browser.close()
    return PageReport(tuple(errors), tuple(requests), tuple(external), values)
