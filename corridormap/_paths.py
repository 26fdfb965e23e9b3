"""Where things are: the data directory (argument, CORRIDORMAP_DATA, the installed copy, the checkout) and the cache."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DataError, Problem

ENV_VAR = "CORRIDORMAP_DATA"
_PACKAGED = Path(__file__).resolve().parent / "geodata"  # inside an installed wheel
_CHECKOUT = Path(__file__).resolve().parent.parent / "geodata"  # editable install / source tree


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the directory to read ``geodata`` from.

    Order: the ``data_dir`` argument, the ``CORRIDORMAP_DATA`` environment
    variable, the copy shipped inside the wheel, the checkout's ``geodata/``.
    """
    chosen = data_dir if data_dir is not None else os.environ.get(ENV_VAR) or None
    if chosen is not None:
        path = Path(chosen).expanduser()
        if not path.is_dir():
            what = "--data / data_dir" if data_dir is not None else ENV_VAR
            raise DataError([Problem(str(path), None, None, "data directory does not exist", f"check {what}")])
        return path
    for path in (_PACKAGED, _CHECKOUT):
        if (path / "sources.csv").is_file():
            return path
    raise DataError([Problem("geodata", None, None, "no data directory found", f"pass --data DIR or set {ENV_VAR}")])


def cache_root() -> Path:
    """Return ``$XDG_CACHE_HOME/corridormap``, else ``~/.cache/corridormap`` (the npm packages live below)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "corridormap"
