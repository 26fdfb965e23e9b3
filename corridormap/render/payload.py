"""The page's data block: JSON for small maps, deflated JSON plus binary sections for large ones.

Data text never passes through folium's templates or ``innerHTML``. Up to :data:`COMPRESS_OVER`
bytes the data is JSON in a ``<script type="application/json">`` block, with every ``<`` escaped
so it cannot close the block. Larger data (a list of many thousand points) is deflated and
base64-encoded (``data-encoding="deflate-base64"``), which the browser inflates with its own
``DecompressionStream``: inflated, it is a line with the JSON's length in bytes, the JSON, then
binary sections the JSON names as ``{"section": [offset, length], "type": "int32"}``. Numeric
columns travel as little-endian typed arrays and long text columns as their values' UTF-8 bytes
back to back (straight from pyarrow's buffers) plus uint32 byte lengths, decoded only when a
popup, tooltip or the search first reads them.
"""

from __future__ import annotations

import base64

import numpy as np
import orjson
import pandas as pd
import pyarrow
from branca.element import Element

try:  # ISA-L's deflate: the same zlib format, four times as fast as the standard library's
    from isal.isal_zlib import compressobj
except ImportError:  # pragma: no cover - isal has wheels for the usual platforms
    from zlib import compressobj  # type: ignore[assignment]

__all__ = ["COMPRESS_OVER", "Numbers", "Payload", "TextColumn", "binary", "text_column"]

COMPRESS_OVER = 1_000_000  # bytes of data: larger map data is embedded deflated

_TYPES = {"int32": "<i4", "uint32": "<u4", "float64": "<f8", "uint8": "u1", "int16": "<i2", "uint16": "<u2"}


class Numbers:
    """A numeric column for the page: a typed array in deflated data, a plain list in JSON."""

    __slots__ = ("array", "type")

    def __init__(self, array: np.ndarray, type_: str):
        self.array = np.ascontiguousarray(array, dtype=_TYPES[type_])
        self.type = type_


class TextColumn:
    """A text column for the page (one value per row, ``None`` where missing).

    In deflated data: every value's UTF-8 bytes back to back with their lengths; in JSON, a list.
    """

    __slots__ = ("arr",)

    def __init__(self, arr):
        self.arr = arr  # a pyarrow (large_)string ChunkedArray

    def as_list(self) -> list:
        """The values as Python strings."""
        return self.arr.to_pylist()

    def parts(self) -> tuple[list, np.ndarray, np.ndarray]:
        """The value bytes (pyarrow buffers, not copied), each value's length in bytes, missing positions."""
        data, lengths = [], [np.zeros(0, dtype=np.int64)]
        for chunk in self.arr.chunks:
            _, offs_buffer, data_buffer = chunk.buffers()
            if data_buffer is None:  # no text at all (every value missing)
                lengths.append(np.zeros(len(chunk), dtype=np.int64))
                continue
            width = np.int64 if pyarrow.types.is_large_string(chunk.type) else np.int32
            offs = np.frombuffer(offs_buffer, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
            data.append(data_buffer[int(offs[0]) : int(offs[-1])])
            lengths.append(np.diff(offs))
        missing = np.flatnonzero(self.arr.is_null().to_numpy()) if self.arr.null_count else np.zeros(0, np.int64)
        return data, np.concatenate(lengths), missing


def text_column(series: pd.Series) -> TextColumn | list:
    """A text column of a frame for the page (a plain list when it does not convert to text)."""
    try:
        arr = pyarrow.array(series, from_pandas=True)
        if not isinstance(arr, pyarrow.ChunkedArray):
            arr = pyarrow.chunked_array([arr])
        if not (pyarrow.types.is_string(arr.type) or pyarrow.types.is_large_string(arr.type)):
            arr = arr.cast(pyarrow.large_string())
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, pyarrow.ArrowNotImplementedError):
        values = series.to_numpy(object)
        return [None if pd.isna(v) else str(v) for v in values]
    return TextColumn(arr)


def _script_safe(text: bytes) -> bytes:
    """JSON made safe inside <script type="application/json">: no ``</script`` or ``<!--`` possible.

    JSON.parse reads ``\\u003c`` back as ``<``; the block is never run as JavaScript.
    """
    return text.replace(b"<", b"\\u003c") if b"<" in text else text


def _as_lists(obj):
    if isinstance(obj, TextColumn):
        return obj.as_list()
    if isinstance(obj, Numbers):
        return obj.array.tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def _encode(data: dict) -> tuple[bytes, list]:
    """The data as JSON naming binary sections, and those sections (numeric and long text columns)."""
    sections: list = []
    size = [0]

    def section(buffers: list, type_: str) -> dict:
        offset = size[0]
        for b in buffers:
            sections.append(b)
            size[0] += memoryview(b).nbytes
        return {"section": [offset, size[0] - offset], "type": type_}

    def as_sections(obj):
        if isinstance(obj, Numbers):
            return section([obj.array], obj.type)
        if not isinstance(obj, TextColumn):
            raise TypeError(f"{type(obj).__name__} is not JSON serializable")
        values, lengths, missing = obj.parts()  # lengths, not offsets: small numbers deflate well
        if len(lengths) and lengths.max() >= 2**32:
            return obj.as_list()
        return {"utf8": section(values, "utf8"), "lengths": section([lengths.astype("<u4")], "uint32"),
                "missing": missing.tolist()}  # fmt: skip

    return orjson.dumps(data, default=as_sections, option=orjson.OPT_SERIALIZE_NUMPY), sections


def _deflate(text: bytes, sections: list) -> bytes:
    z = compressobj(1)
    parts = [z.compress(f"{len(text)}\n".encode("ascii")), z.compress(text)]
    parts += [z.compress(b) for b in sections]
    return b"".join([*parts, z.flush()])


def binary(data: dict) -> bytes:
    """The page's data as the deflated bytes a large map's data block holds, before base64.

    The widget (:mod:`corridormap.widget`) sends these once, as a binary message.
    """
    return _deflate(*_encode(data))


class Payload(Element):
    """The map's data in a ``<script>`` data block, kept as bytes.

    :func:`corridormap.save_map` splices these bytes into the file, so megabytes of data are not
    decoded to text and encoded back; rendering to a string (Jupyter) decodes them.
    """

    def __init__(self, data: dict):
        super().__init__()
        self._name = "cm_data"
        text, sections = _encode(data)
        self.compressed = len(text) + sum(memoryview(b).nbytes for b in sections) > COMPRESS_OVER
        if self.compressed:  # never parsed as HTML: no escaping needed inside
            self.data = base64.b64encode(_deflate(text, sections))
        else:
            self.data = _script_safe(orjson.dumps(data, default=_as_lists, option=orjson.OPT_SERIALIZE_NUMPY))
        self.placeholder: str | None = None

    def render(self, **kwargs: object) -> str:
        """The ``<script>`` block (with the data, or the placeholder :func:`render_bytes` splices)."""
        body = self.placeholder if self.placeholder is not None else self.data.decode("utf-8")
        if self.compressed:
            return (
                '<script type="application/octet-stream" id="corridor-data" data-encoding="deflate-base64">'
                f"{body}</script>"
            )
        return f'<script type="application/json" id="corridor-data">{body}</script>'
