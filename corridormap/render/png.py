"""A static picture of the map, taken by headless chromium (for reports and slides)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import CorridorError
from .write import atomic_write

__all__ = ["CHROMIUM_ARGS", "chromium_path", "save_png"]

# Headless, and quiet: this machine's closed network refuses chromium's background connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]  # fmt: skip

_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def chromium_path() -> str:
    """Return the chromium to use: ``$CORRIDORMAP_CHROMIUM``, else Debian's ``/usr/bin/chromium``."""
    env = os.environ.get("CORRIDORMAP_CHROMIUM")
    for path in ([env] if env else []) + list(_CANDIDATES) + [shutil.which("chromium") or ""]:
        if path and Path(path).exists():
            return path
    raise CorridorError("--png needs chromium: install Debian's package 'chromium' or set CORRIDORMAP_CHROMIUM")


def save_png(html_path: str | os.PathLike, png_path: str | os.PathLike, *, width: int = 1600, height: int = 1000,
             tile_wait_ms: int = 4000) -> Path:  # fmt: skip
    """Open a written map in headless chromium and save a PNG of it, atomically.

    Basemap tiles are given up to ``tile_wait_ms`` to load; when none can be
    reached the picture still shows every vector layer.
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise CorridorError("--png needs playwright: pip install 'corridormap[png]'") from exc
    exe = chromium_path()
    args = CHROMIUM_ARGS
    try:
        with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
            browser = p.chromium.launch(executable_path=exe, args=args)
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(Path(html_path).resolve().as_uri())
            page.wait_for_function("window.corridormap !== undefined", timeout=30_000)
            # Tiles unreachable or slow: the vector layers are drawn regardless.
            with contextlib.suppress(PlaywrightError):
                page.wait_for_load_state("networkidle", timeout=tile_wait_ms)
            shot = Path(tmp) / "map.png"
            page.screenshot(path=str(shot))
            browser.close()
            return atomic_write(png_path, shot.read_bytes())
    except PlaywrightError as exc:
        raise CorridorError(f"chromium could not render the map: {exc}") from exc
