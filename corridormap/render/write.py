"""Write the map's HTML atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import folium

from ..errors import CorridorError
from .map import render_bytes

__all__ = ["atomic_write", "save_map"]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_temps(path: Path) -> None:
    """Remove temp files left by builds that were killed (their process is gone).

    Temp names carry the writer's pid, so a build running at the same time keeps
    its own file.
    """
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        parts = tmp.name[len(path.name) + 2 :].split(".")
        if parts and parts[0].isdigit() and not _pid_alive(int(parts[0])):
            tmp.unlink(missing_ok=True)


def atomic_write(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same directory and a rename.

    Readers see either the old file or the complete new one, never a mix; a
    failure leaves the old file untouched and removes the temporary file.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(path)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    except OSError as exc:
        raise CorridorError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise CorridorError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise
    return path


def save_map(m: folium.Map, path: str | os.PathLike, *, cdn: bool = False, self_contained: bool | None = None) -> Path:
    """Render ``m`` and write it to ``path`` atomically.

    Parameters
    ----------
    m
        A map from :func:`corridormap.build_map`.
    path
        Output HTML file; its directory is created.
    cdn
        Link the JavaScript/CSS libraries from jsDelivr (a smaller file that needs internet)
        instead of carrying them inside. By default they are inlined, taken from npm (see
        :mod:`corridormap.render.assets`), so the file needs no network but for basemap tiles;
        where npm or the network is missing at first use, they are linked with an
        :class:`~corridormap.render.assets.AssetWarning` naming the fix.
    self_contained
        Kept for older scripts: ``True`` is the default, ``False`` the same as ``cdn=True``.

    Returns
    -------
    Path
        The file written.
    """
    if self_contained is not None:
        if cdn and self_contained:
            raise ValueError("cdn=True and self_contained=True contradict each other: pass one")
        cdn = not self_contained
    return atomic_write(path, render_bytes(m, cdn=cdn))
