"""Content-addressed cache of checked layers from a data directory.

Reading and checking the curated layers costs more than the rest of a build
together, and they rarely change. Each layer's typed frame and the warnings
found in it are stored under a key made from the file's bytes, the layer's
schema, the input datum and the versions of corridormap and of the libraries
that pickle the frame; a changed byte, schema or version gives a new key. A
user's own enterprise list (``--enterprises``) is never cached: it is read
and checked on every build.

The cache lives in ``$CORRIDORMAP_CACHE`` or ``~/.cache/corridormap/layers``
(``$XDG_CACHE_HOME`` is honoured); ``CORRIDORMAP_CACHE=off`` turns it off.
Entries are written atomically and read only from a directory the current
user owns; an unreadable entry is ignored and rewritten. Results derived from
curated layers only (the route/city overlay, the cross-layer checks that do not
involve the enterprise layer) are kept the same way.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .schema import LAYERS

__all__ = ["cache_dir", "derived_key", "get", "key", "put"]

_KEEP = 4  # entries kept per layer
_CODE = ("load.py", "schema.py", "join.py", "validate.py", "datum.py", "errors.py", "_factorize.py", "_layer_cache.py")
_LIBS = ("corridormap", "pandas", "geopandas", "shapely", "numpy", "pyproj", "pyarrow", "pandera")


def _versions() -> str:
    # The code that produces cached values counts too: a development checkout changes without a new version.
    here = Path(__file__).resolve().parent
    code = hashlib.sha256(b"".join((here / f).read_bytes() for f in _CODE)).hexdigest()
    out = [sys.version, code]
    for lib in _LIBS:
        try:
            out.append(f"{lib}={version(lib)}")
        except PackageNotFoundError:
            out.append(f"{lib}=?")
    return ";".join(out)


_VERSIONS = _versions()


def cache_dir() -> Path | None:
    """Where checked layers are kept, or ``None`` when caching is off."""
    env = os.environ.get("CORRIDORMAP_CACHE")
    if env and env.lower() in ("0", "off", "no", "false"):
        return None
    return Path(env).expanduser() if env else cache_root() / "layers"


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/corridormap``, else ``~/.cache/corridormap`` (layers and npm packages live below)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "corridormap"


def key(layer: str, file_name: str, data: bytes, input_datum: str) -> str:
    """A name for this layer's cached result: it changes with any byte of the file, the schema or a version."""
    h = hashlib.sha256()
    for part in (_VERSIONS, repr(LAYERS[layer]), file_name, input_datum):
        h.update(part.encode("utf-8") + b"\0")
    h.update(data)
    return f"{layer}-{h.hexdigest()[:32]}"


def derived_key(kind: str, digest: bytes) -> str:
    """A name for a result derived from layers (e.g. the route/city overlay), identified by ``digest``."""
    h = hashlib.sha256(_VERSIONS.encode("utf-8") + b"\0" + kind.encode("utf-8") + b"\0" + digest)
    return f"{kind}-{h.hexdigest()[:32]}"


def _usable(directory: Path) -> bool:
    try:
        st = directory.stat()
    except OSError:
        return False
    return not hasattr(os, "getuid") or (st.st_uid == os.getuid() and not st.st_mode & 0o022)


def get(name: str):
    """The cached value, or ``None`` (missing, unreadable, or the directory is not the user's own)."""
    directory = cache_dir()
    if directory is None or not _usable(directory):
        return None
    try:
        with open(directory / f"{name}.pickle", "rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, truncated or from an incompatible build: recompute
        return None


def put(name: str, value) -> None:
    """Store ``value`` atomically and keep only the newest entries of the layer; never fails the build."""
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _usable(directory):
            return
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, directory / f"{name}.pickle")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        layer = name.rsplit("-", 1)[0]
        entries = sorted(directory.glob(f"{layer}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[_KEEP:]:  # a few versions per layer (e.g. two data directories), not every edit
            old.unlink(missing_ok=True)
    except OSError:
        return
