"""Read a file, or a frame given in Python, into a table of text: the one reading path of every layer and list.

- CSV, TSV, TXT: UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode text"), else
  GB18030 (a superset of GBK); the delimiter (comma, tab, semicolon) is sniffed from the first lines;
  parsed by pyarrow's multi-threaded reader, every column as text.
- Excel ``.xlsx``/``.xlsm``/``.xls``/``.ods``: python-calamine through pandas; the first sheet or ``sheet``.
- GeoJSON as JSON (orjson), its geometries read in one vectorised call (``shapely.from_geojson``);
  GeoPackage, Shapefile, FlatGeobuf through pyogrio; (Geo)Parquet through pyarrow/geopandas.
- A ``pandas.DataFrame`` or ``geopandas.GeoDataFrame``.

Blank rows are skipped and counted. Nothing here raises for bad data: every problem is appended
to ``problems`` with file, row and field, and the reader returns ``None`` when the source cannot
be read at all. Typing the columns and checking values is :mod:`corridormap._typed`'s job.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .errors import FRAME, GDAL, GEOJSON, PARQUET, SPREADSHEETS, Problem

__all__ = ["Table", "read_source"]

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_DELIMITERS = (",", "\t", ";")
_WGS84 = ("EPSG:4326", "OGC:CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84")


@dataclass
class Table:
    """A source read as text: what :mod:`corridormap._typed` types and checks.

    Attributes
    ----------
    file
        The name problems give: the file's name, or ``"DataFrame"``.
    text
        Every column as text (pyarrow strings; null where a cell is blank or missing),
        headers as written, trimmed; blank rows already dropped.
    geometry
        For a spatial source, one shapely geometry per row in WGS-84 (EPSG:4326), else ``None``.
    sheet
        The spreadsheet's sheet (or the GeoPackage's layer) that was read.
    encoding
        The text encoding of a delimited file.
    """

    file: str
    text: pa.Table
    geometry: np.ndarray | None = None
    sheet: str | None = None
    encoding: str | None = None
    # row position in the table -> its number in the source (line, sheet row, feature, index)
    numbering: Callable[[np.ndarray], np.ndarray] = field(default=lambda i: i + 2, repr=False)

    @property
    def columns(self) -> list[str]:
        """The column names, as the source spells them (trimmed)."""
        return list(self.text.column_names)

    def __len__(self) -> int:
        return self.text.num_rows

    def rows(self, positions: Any) -> np.ndarray:
        """Return the source's row numbers (see :class:`corridormap.Problem`) of table positions."""
        return np.asarray(self.numbering(np.asarray(positions, dtype=np.int64)), dtype=np.int64)

    def row(self, position: int) -> int:
        """Return the source's row number of one table position."""
        return int(self.rows([position])[0])

    def problem(
        self, position: int | None, column: str | None, message: str, hint: str | None = None, severity: str = "error"
    ) -> Problem:
        """Return a :class:`Problem` at a table position (``None``: the whole file) and column."""
        row = None if position is None else self.row(position)
        return Problem(self.file, row, column, message, hint, severity, self.sheet)


def read_source(
    source: Any,
    problems: list[Problem],
    *,
    sheet: str | None = None,
    strict: bool = False,
    missing_hint: str = "check the path",
) -> Table | None:
    """Read ``source`` (a path, a DataFrame or a GeoDataFrame) into a :class:`Table`.

    ``strict`` is for the curated files: their coordinates must already be WGS-84, and a file that
    is not UTF-8 is a warning. An own list is read leniently: a spatial file in another CRS is
    reprojected, any of the encodings above is fine.
    """
    if _is_frame(source):
        return _read_frame(source, problems)
    path = Path(os.fspath(source))
    name = path.name
    suffix = path.suffix.lower()
    if suffix in GDAL + PARQUET:  # read from the path (a Shapefile is several files)
        if not path.exists():
            problems.append(Problem(name, None, None, f"file not found in {path.parent}", missing_hint))
            return None
        return (
            _read_parquet(path, problems, strict=strict)
            if suffix in PARQUET
            else _read_gdal(path, problems, sheet=sheet, strict=strict)
        )
    raw = _read_bytes(path, problems, missing_hint)
    if raw is None:
        return None
    if suffix in GEOJSON:
        return _read_geojson(raw, name, problems, strict=strict)
    if suffix in SPREADSHEETS or raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_workbook(raw, name, problems, sheet=sheet)
    return _read_delimited(raw, name, problems, strict=strict, tab=suffix in (".tsv", ".tab"))


def _is_frame(source: Any) -> bool:
    return hasattr(source, "columns") and hasattr(source, "iloc")


def _read_bytes(path: Path, problems: list[Problem], missing_hint: str) -> bytes | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(path.name, None, None, f"file not found in {path.parent}", missing_hint))
        return None
    except IsADirectoryError:
        problems.append(Problem(path.name, None, None, "is a directory, not a file"))
        return None
    except OSError as exc:
        problems.append(Problem(path.name, None, None, f"cannot read file: {exc.strerror or exc}"))
        return None
    if (raw[: 1 << 16].isspace() and raw.isspace()) or not raw:  # (no copy of a large file)
        problems.append(Problem(path.name, None, None, "file is empty", "it needs a header line and rows"))
        return None
    return raw


# ---------------------------------------------------------------- delimited text
def _unbom(raw: bytes, name: str, problems: list[Problem]) -> tuple[bytes, str] | None:
    """The bytes without a BOM, as UTF-8 (UTF-16 is decoded), and the encoding the BOM says; else ``"utf-8"``."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            if encoding == "utf-8":
                return raw[len(bom) :], "utf-8-sig"
            try:
                return raw.decode(encoding).encode("utf-8"), encoding
            except UnicodeDecodeError as exc:
                problems.append(Problem(name, None, None, f"not valid UTF-16 text: {exc.reason}"))
                return None
    return raw, "utf-8"


def _from_gb18030(raw: bytes, name: str, problems: list[Problem], strict: bool) -> bytes | None:
    """Text that is not UTF-8, read as GB18030 (a superset of GBK) and given back as UTF-8; else an error."""
    try:
        raw.decode("utf-8")
        line = None  # pragma: no cover - only called on text that is not UTF-8
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        problems.append(Problem(name, line, None, "text is not UTF-8", "save the file as UTF-8 (CSV UTF-8 in Excel)"))
        return None
    if strict:  # a curated file should be UTF-8; an analyst's list saved by Excel in China is GB18030 as a rule
        problems.append(
            Problem(
                name,
                line,
                None,
                "text is not UTF-8; read it as GBK/GB18030",
                "save the file as UTF-8 to be sure",
                severity="warning",
            )
        )
    return text.encode("utf-8")


def _sniff(head: str, tab_first: bool) -> str:
    """The delimiter that splits the first lines into the most columns, consistently."""
    lines = head.splitlines(keepends=True)[:50]
    best, best_score = ",", 1
    for delim in ("\t", ",", ";") if tab_first else _DELIMITERS:
        rows = [r for r in csv.reader(lines, delimiter=delim) if r]
        if not rows:
            continue
        width = len(rows[0])
        consistent = sum(len(r) == width for r in rows) >= 0.8 * len(rows)
        if width > best_score and consistent:
            best, best_score = delim, width
    return best


def _parse_csv(data: bytes, delim: str, width: int, invalid: list[tuple[int, str]]) -> pa.Table:
    """Read every field as text with pyarrow (multi-threaded; it checks the UTF-8); bad rows go to ``invalid``."""

    def skip(row: Any) -> str:
        invalid.append((row.actual_columns, row.text))
        return "skip"

    return pacsv.read_csv(
        pa.BufferReader(data),
        read_options=pacsv.ReadOptions(autogenerate_column_names=True),  # the header is row 0: see _read_delimited
        parse_options=pacsv.ParseOptions(
            delimiter=delim,
            newlines_in_values=True,  # a quoted value may hold a line break
            invalid_row_handler=skip,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={f"f{i}": pa.string() for i in range(width)}, strings_can_be_null=False
        ),
    )


def _head(data: bytes) -> bytes:
    """The first 64 KiB, in whole lines."""
    head = data[: 1 << 16]
    return head[: head.rindex(b"\n") + 1] if len(head) < len(data) and b"\n" in head else head


def _read_delimited(raw: bytes, name: str, problems: list[Problem], *, strict: bool, tab: bool) -> Table | None:
    unbommed = _unbom(raw, name, problems)
    if unbommed is None:
        return None
    data, encoding = unbommed
    try:
        head_text = _head(data).decode("utf-8")
    except UnicodeDecodeError:  # not UTF-8 from the start (Excel in China writes GB18030): converted once
        converted = _from_gb18030(data, name, problems, strict)
        if converted is None:
            return None
        data, encoding = converted, "gb18030"
        head_text = _head(data).decode("utf-8")
    delim = _sniff(head_text, tab)
    # The first line that is not blank, as pyarrow (which skips blank lines) reads it; newline="":
    # a line may end in "\r" alone (Excel for Mac's "CSV (Macintosh)").
    header = next((row for row in csv.reader(io.StringIO(head_text, newline=""), delimiter=delim) if row), [])
    n = len(header)
    invalid: list[tuple[int, str]] = []  # (columns found, the row's text) of rows pyarrow skipped
    try:
        try:
            table = _parse_csv(data, delim, n, invalid)
        except pa.ArrowInvalid as exc:
            if "UTF8" not in str(exc) or encoding != "utf-8":
                raise
            converted = _from_gb18030(data, name, problems, strict)  # UTF-8 at first, GB18030 further down
            if converted is None:
                return None
            data, encoding, invalid = converted, "gb18030", []
            table = _parse_csv(data, delim, n, invalid)
    except (pa.ArrowInvalid, ValueError) as exc:
        problems.append(Problem(name, None, None, f"not a valid CSV file: {exc}".strip()))
        return None
    table = table.slice(1)  # row 0 is the header, read as data so that duplicate or blank names survive
    lines = _LineNumbers(data, delim, n, table.num_rows)
    for columns, text in invalid[:20]:
        if not text.strip(delim + " \t\r\n"):
            continue  # a blank line of spaces: skipped like any blank row
        problems.append(
            Problem(
                name,
                lines.of_text(text),
                None,
                f"has {columns} field{'s' if columns != 1 else ''}, the header has {n}",
                f"check the {_delimiter_name(delim)}s and quotes on this line",
            )
        )
    out = Table(name, _named(table, header), encoding=encoding, numbering=lines)
    return _drop_blank_rows(out, problems)


def _delimiter_name(delim: str) -> str:
    return {",": "comma", "\t": "tab", ";": "semicolon"}[delim]


class _LineNumbers:
    """Row position -> line in the file (header: line 1), counted only when asked for.

    When the file has a line per row (no blank lines, no line breaks inside values), row ``i`` is
    line ``i + 2``; otherwise the lines are counted once with the standard library's reader. Why the
    shortcut: every generated id names its line, and counting a million rows in Python takes ~2 s,
    against ~0.06 s to count the line breaks (bench/RESULTS.txt).
    """

    def __init__(self, data: bytes, delim: str, width: int, n_rows: int):
        self.data, self.delim, self.width, self.n_rows = data, delim, width, n_rows
        self._lines: np.ndarray | None = None

    def _simple(self) -> bool:
        newlines = self.data.count(b"\n") + (not self.data.endswith(b"\n"))
        if newlines != self.n_rows + 1:
            return False
        return b"\r" not in self.data or self.data.count(b"\r") == self.data.count(b"\r\n")  # no lone CR

    def __call__(self, positions: np.ndarray) -> np.ndarray:
        if self._lines is None:
            if self._simple():
                return positions + 2
            self._lines = self._count()
        return self._lines[positions]

    def _count(self) -> np.ndarray:
        reader = csv.reader(io.StringIO(self.data.decode("utf-8", "replace"), newline=""), delimiter=self.delim)
        starts, end = [], 0
        for fields in reader:
            start, end = end + 1, reader.line_num
            if fields and len(fields) == self.width:  # as pyarrow: blank lines and rows of another width skipped
                starts.append(start)
        lines = np.asarray(starts[1:], dtype=np.int64)  # the first is the header
        if len(lines) < self.n_rows:  # the two readers disagree: number on, rather than fail
            lines = np.concatenate([lines, np.arange(self.n_rows - len(lines)) + (lines[-1] if len(lines) else 1) + 1])
        return lines

    def of_text(self, text: str) -> int | None:
        at = self.data.find(text.encode("utf-8"))
        return None if at < 0 else self.data[:at].count(b"\n") + 1


def _named(table: pa.Table, header: list[str]) -> pa.Table:
    """The columns under the header's names: trimmed, blank ones named by position, repeated ones numbered."""
    names: list[str] = []
    for i, raw in enumerate(header[: table.num_columns]):
        base = str(raw).strip() or f"column {i + 1}"
        name, k = base, 2
        while name in names:
            name, k = f"{base} ({k})", k + 1
        names.append(name)
    names += [f"column {i + 1}" for i in range(len(names), table.num_columns)]
    columns = [table.column(i) for i in range(table.num_columns)]
    keep = [
        i
        for i, (nm, col) in enumerate(zip(names, columns))
        if not (str(header[i] if i < len(header) else "").strip() == "" and _all_blank(col))
    ]
    return pa.table({names[i]: _nulls_for_blanks(columns[i]) for i in keep})


def _all_blank(col: pa.ChunkedArray) -> bool:
    return bool(pc.all(pc.fill_null(pc.equal(pc.utf8_trim_whitespace(col), ""), True)).as_py() is not False)


def _nulls_for_blanks(col: Any) -> Any:
    """Text with an empty cell as null (spaces are trimmed later, in :mod:`corridormap._typed`)."""
    if col.null_count == len(col):
        return col
    empty = pc.equal(col, "")
    return pc.if_else(empty, pa.scalar(None, pa.string()), col) if pc.any(empty).as_py() else col


def _drop_blank_rows(table: Table, problems: list[Problem]) -> Table:
    """Drop rows whose every cell is blank, with one warning counting them."""
    text = table.text
    if text.num_columns == 0 or text.num_rows == 0:
        return table
    blank = None
    for col in text.columns:
        cell = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(col), ""), True)
        blank = cell if blank is None else pc.and_(blank, cell)
        if not pc.any(blank).as_py():
            return table
    mask = np.asarray(blank, dtype=bool)
    kept = np.flatnonzero(~mask)
    number = table.numbering
    table.text = text.filter(pa.array(~mask))
    if table.geometry is not None:
        table.geometry = table.geometry[kept]
    table.numbering = lambda i: number(kept[i])
    n = int(mask.sum())
    problems.append(
        Problem(
            table.file,
            None,
            None,
            f"{n} blank row{'s' if n != 1 else ''} skipped",
            severity="warning",
            sheet=table.sheet,
        )
    )
    return table


# ---------------------------------------------------------------- spreadsheets
def _cell_text(value: Any) -> str | None:
    """A spreadsheet cell as text: whole numbers without '.0', dates as ISO, blanks as None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if hasattr(value, "isoformat"):  # date, datetime, time
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)


def _read_workbook(raw: bytes, name: str, problems: list[Problem], *, sheet: str | None) -> Table | None:
    import pandas as pd

    try:
        book = pd.ExcelFile(io.BytesIO(raw), engine="calamine")
        names = [str(s) for s in book.sheet_names]
    except Exception as exc:  # calamine's errors name no common base class
        problems.append(
            Problem(name, None, None, f"cannot read the workbook: {exc}", "save it again from Excel as .xlsx or .csv")
        )
        return None
    chosen = _pick(names, sheet)
    if chosen is None:
        problems.append(
            Problem(name, None, None, f"no sheet {sheet!r} in the workbook", f"sheets: {', '.join(names)} (--sheet)")
        )
        return None
    try:
        frame = pd.read_excel(book, sheet_name=chosen, header=None, dtype=object, na_filter=False)
    except Exception as exc:
        problems.append(Problem(name, None, None, f"cannot read the sheet: {exc}", sheet=chosen))
        return None
    cells = [[_cell_text(v) for v in frame[c].tolist()] for c in frame.columns]
    filled = [sum(col[i] is not None for col in cells) for i in range(len(frame))]
    if not any(filled):
        problems.append(
            Problem(name, None, None, "the sheet is empty", "put a header row and rows in it", sheet=chosen)
        )
        return None
    # The header is the first row with as many filled cells as the first rows have (a title row above it is skipped).
    need = min(2, max(filled[:20]))
    top = next(i for i, k in enumerate(filled) if k >= need)
    header = [col[top] or "" for col in cells]
    body = pa.table({f"f{j}": pa.array(col[top + 1 :], pa.string()) for j, col in enumerate(cells)})
    first = top + 2  # the sheet's row number of the first data row (rows count from 1)
    out = Table(name, _named(body, header), sheet=chosen, numbering=lambda i: i + first)
    return _drop_blank_rows(out, problems)


def _pick(names: list[str], wanted: str | None) -> str | None:
    """Return the sheet (or layer) called ``wanted`` (exactly, else ignoring case), or the n-th (from 1).

    The first by default; ``None`` when there is no such sheet.
    """
    if not names:
        return None
    if wanted is None:
        return names[0]
    for candidate in (wanted, wanted.strip().casefold()):
        for n in names:
            if n == candidate or n.strip().casefold() == candidate:
                return n
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    return None


# ---------------------------------------------------------------- spatial files and frames
def _text(arr: Any) -> Any:
    """Any pyarrow column as text (numbers, dates and booleans as they print; nested values as JSON)."""
    if isinstance(arr, pa.ChunkedArray):
        return pa.chunked_array([_text(c) for c in arr.chunks], type=pa.string())
    if isinstance(arr.type, pa.ExtensionType):
        arr = arr.storage
    if pa.types.is_string(arr.type):
        return arr
    try:
        return pc.cast(arr, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        values = arr.to_pylist()
        return pa.array(
            [
                None if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
                for v in values
            ],
            pa.string(),
        )


def _text_table(table: pa.Table, skip: tuple[str, ...] = ()) -> pa.Table:
    cols = {str(k): _text(table.column(k)) for k in table.column_names if k not in skip}
    return pa.table({k: _nulls_for_blanks(v) for k, v in cols.items()})


def _crs_problem(name: str, crs: str, strict: bool, problems: list[Problem]) -> bool:
    """Whether coordinates in ``crs`` are usable; a curated file must be WGS-84 already."""
    if not strict:
        return True
    problems.append(
        Problem(
            name,
            None,
            "crs",
            f"coordinates are in {crs}, not WGS-84",
            "reproject to EPSG:4326, e.g. ogr2ogr -t_srs EPSG:4326, or geopandas to_crs(4326)",
        )
    )
    return False


def _is_wgs84(crs: Any) -> bool:
    if crs is None:
        return True  # GeoJSON is WGS-84 by definition; a Shapefile without .prj is taken to be
    text = str(crs)
    if text in _WGS84 or text.upper().replace("::", ":").endswith(("EPSG:4326", "CRS84")):
        return True
    import pyproj

    try:
        return bool(pyproj.CRS.from_user_input(crs).equals("EPSG:4326", ignore_axis_order=True))
    except pyproj.exceptions.CRSError:
        return False


def _to_wgs84(geoms: np.ndarray, crs: Any) -> np.ndarray:
    import pyproj
    import shapely

    transformer = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return np.asarray(shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))))


def _read_gdal(path: Path, problems: list[Problem], *, sheet: str | None, strict: bool) -> Table | None:
    import pyogrio
    import shapely

    name = path.name

    try:
        layer = None
        if sheet is not None:  # a GeoPackage's layer (listing them costs as much as reading a small file)
            layers = [str(row[0]) for row in pyogrio.list_layers(path)]
            layer = _pick(layers, sheet)
            if layer is None:
                problems.append(
                    Problem(name, None, None, f"no layer {sheet!r} in the file", f"layers: {', '.join(layers)}")
                )
                return None
        meta, table = pyogrio.read_arrow(path, layer=layer)
    except Exception as exc:  # GDAL's errors: pyogrio.errors.* and others
        problems.append(_unreadable(path, exc))
        return None
    crs = meta.get("crs")
    geometry_name = meta.get("geometry_name") or "wkb_geometry"
    if geometry_name in table.column_names:
        geoms = np.asarray(shapely.from_wkb(table.column(geometry_name).to_numpy(zero_copy_only=False)), dtype=object)
    else:
        geoms = np.full(table.num_rows, None, dtype=object)
    if not _is_wgs84(crs):
        if not _crs_problem(name, str(crs), strict, problems):
            return None
        geoms = _to_wgs84(geoms, crs)
    text = _text_table(table, skip=(geometry_name,))
    return Table(name, text, geometry=geoms, sheet=layer, numbering=lambda i: i + 1)


def _unreadable(path: Path, exc: Exception) -> Problem:
    """Why GDAL cannot read a spatial file, in its first line."""
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return Problem(path.name, None, None, f"cannot read the file: {message}")


def _values_text(values: list[Any]) -> Any:
    """JSON property values as text: numbers and booleans as pyarrow prints them, nested values as JSON."""
    try:
        return _text(pa.array(values))
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types, e.g. a number in one feature and text in another
        return pa.array(
            [v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values], pa.string()
        )


def _read_geojson(raw: bytes, name: str, problems: list[Problem], *, strict: bool) -> Table | None:
    import orjson
    import shapely

    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        converted = _from_gb18030(data, name, problems, strict)
        if converted is None:
            return None
        data = converted
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as err:
        problems.append(Problem(name, None, None, f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"))
        return None
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc]}
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        problems.append(Problem(name, None, None, "not a GeoJSON FeatureCollection"))
        return None
    crs = ((doc.get("crs") or {}).get("properties") or {}).get("name")  # GeoJSON before RFC 7946 could name one
    if crs and not _is_wgs84(crs) and not _crs_problem(name, crs, strict, problems):
        return None
    features = [f if isinstance(f, dict) else {} for f in doc["features"]]
    props = [f.get("properties") or {} for f in features]
    keys = list(dict.fromkeys(k for p in props for k in p))
    text = pa.table({str(k): _nulls_for_blanks(_values_text([p.get(k) for p in props])) for k in keys})
    if not keys:
        text = pa.table({"": pa.nulls(len(features), pa.string())}).drop_columns([""])
    given = [f.get("geometry") for f in features]
    shapes = np.array([None if g is None else orjson.dumps(g) for g in given], dtype=object)
    geoms = np.asarray(shapely.from_geojson(shapes, on_invalid="ignore"), dtype=object)
    for i in np.flatnonzero(np.array([g is not None for g in given], dtype=bool) & shapely.is_missing(geoms))[:20]:
        problems.append(Problem(name, int(i) + 1, "geometry", "unreadable geometry"))
    if crs and not _is_wgs84(crs):
        geoms = _to_wgs84(geoms, crs)
    return Table(name, text, geometry=geoms, numbering=lambda i: i + 1)


def _read_parquet(path: Path, problems: list[Problem], *, strict: bool) -> Table | None:
    import pyarrow.parquet as pq

    name = path.name
    try:
        schema = pq.read_schema(path)
        geo = json.loads((schema.metadata or {}).get(b"geo", b"null"))
        table = pq.read_table(path)
    except (OSError, pa.ArrowException, ValueError) as exc:
        problems.append(Problem(name, None, None, f"cannot read the Parquet file: {exc}"))
        return None
    if not geo:  # plain Parquet: a table with lon/lat columns
        return Table(name, _text_table(table), numbering=lambda i: i + 1)
    import geopandas as gpd

    try:
        gdf = gpd.read_parquet(path)
    except Exception as exc:  # geopandas raises ValueError, TypeError, pyarrow errors
        problems.append(Problem(name, None, None, f"cannot read the GeoParquet file: {exc}"))
        return None
    return _from_geoframe(gdf, name, problems, strict=strict, numbering=lambda i: i + 1)


def _read_frame(frame: Any, problems: list[Problem]) -> Table | None:
    import pandas as pd

    index = frame.index
    labels = np.asarray(index) if pd.api.types.is_integer_dtype(index.dtype) else None

    def numbering(i: np.ndarray) -> np.ndarray:  # the index label where it is a number, else the position
        return labels[i] if labels is not None else i

    if getattr(frame, "_geometry_column_name", None) in frame.columns:  # a GeoDataFrame with its geometry
        return _from_geoframe(frame, FRAME, problems, strict=False, numbering=numbering)
    return _drop_blank_rows(Table(FRAME, _frame_text(frame), numbering=numbering), problems)


def _frame_text(frame: Any) -> pa.Table:
    cols = {}
    for k in frame.columns:
        s = frame[k]
        try:
            arr = pa.array(s, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arr = pa.array([None if v is None or v != v else str(v) for v in s.tolist()], pa.string())
        cols[str(k)] = arr
    return _text_table(pa.table(cols) if cols else pa.table({}))


def _from_geoframe(
    gdf: Any, name: str, problems: list[Problem], *, strict: bool, numbering: Callable[[np.ndarray], np.ndarray]
) -> Table | None:
    geom_name = gdf.geometry.name
    geoms = np.asarray(gdf.geometry.to_numpy(), dtype=object)
    crs = gdf.crs
    if crs is not None and not _is_wgs84(crs):
        if not _crs_problem(name, crs.to_string(), strict, problems):
            return None
        geoms = _to_wgs84(geoms, crs)
    return Table(name, _frame_text(gdf.drop(columns=[geom_name])), geometry=geoms, numbering=numbering)
