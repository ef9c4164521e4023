"""Headless Chromium (Debian's ``chromium``) for screenshots and DOM dumps of rendered maps.

Chromium runs with the flags this machine needs (no sandbox as root, no background networking, a fresh
profile) and with every network request outside ``file:`` refused by a proxy that does not exist, so a
map that needs the network shows it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from geo.errors import SitmapError

__all__ = ["BrowserError", "chromium_path", "dump_dom", "screenshot"]

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
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
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
