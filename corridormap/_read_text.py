"""Delimited text (CSV, TSV, TXT) read into a :class:`~corridormap._table.Table`.

UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode text"), else GB18030 (a
superset of GBK); the delimiter (comma, tab, semicolon) is sniffed from the first lines; parsed by
pyarrow's multi-threaded reader, every column as text. The header is found by its content when
the caller says what a header holds (title lines above it are skipped); lines that do not split
into the header's columns are kept aside, with their line, for a lenient reading to list.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ._table import HEADER_ROWS, Table, drop_blank_rows, find_header, named
from .errors import MAX_ROWS, Problem

__all__ = ["from_gb18030", "read_delimited"]

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_DELIMITERS = (",", "\t", ";")
_LINE_END = re.compile(r"\r\n|\r|\n")


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


def from_gb18030(raw: bytes, name: str, problems: list[Problem], strict: bool) -> bytes | None:
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
    """The delimiter that splits the first lines into the most columns, consistently (title lines aside)."""
    lines = head.splitlines(keepends=True)[:50]
    best, best_score = ",", 1
    for delim in ("\t", ",", ";") if tab_first else _DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delim) if r]
        if not widths:
            continue
        width = max(set(widths), key=widths.count)  # the most common width: a title line has another
        consistent = widths.count(width) >= 0.6 * len(widths)
        if width > best_score and consistent:
            best, best_score = delim, width
    return best


def _parse_csv(data: bytes, delim: str, width: int, invalid: list[tuple[int, str]]) -> pa.Table:
    """Read every field as text with pyarrow (multi-threaded; it checks the UTF-8); bad rows go to ``invalid``."""

    def skip(row: Any) -> str:
        invalid.append((row.actual_columns, row.text))
        return "skip"

    table = _read_csv(data, delim, width, skip, threads=True)
    if invalid:  # pyarrow's threads hand bad rows over in no fixed order: read again in one, in the file's order
        invalid.clear()
        table = _read_csv(data, delim, width, skip, threads=False)
    return table


def _read_csv(data: bytes, delim: str, width: int, skip: Any, *, threads: bool) -> pa.Table:
    """pyarrow's CSV reader over ``data``, every field text, bad rows handed to ``skip``."""
    return pacsv.read_csv(
        pa.BufferReader(data),
        read_options=pacsv.ReadOptions(autogenerate_column_names=True, use_threads=threads),  # header: row 0
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


def read_delimited(
    raw: bytes,
    name: str,
    problems: list[Problem],
    *,
    strict: bool,
    tab: bool,
    header: Callable[[list[str]], int] | None = None,
) -> Table | None:
    """Read delimited text; ``header`` scores a row as a header (see :func:`~corridormap._table.find_header`)."""
    unbommed = _unbom(raw, name, problems)
    if unbommed is None:
        return None
    data, encoding = unbommed
    try:
        head_text = _head(data).decode("utf-8")
    except UnicodeDecodeError:  # not UTF-8 from the start (Excel in China writes GB18030): converted once
        converted = from_gb18030(data, name, problems, strict)
        if converted is None:
            return None
        data, encoding = converted, "gb18030"
        head_text = _head(data).decode("utf-8")
    delim = _sniff(head_text, tab)
    names, skipped = _header_line(head_text, delim, header)
    if skipped:  # title lines above the header: parsed from the header on, numbered as in the file
        data = data[_offset(head_text, skipped) :]
    n = len(names)
    invalid: list[tuple[int, str]] = []  # (columns found, the row's text) of rows pyarrow skipped
    try:
        try:
            table = _parse_csv(data, delim, n, invalid)
        except pa.ArrowInvalid as exc:
            if "UTF8" not in str(exc) or encoding != "utf-8":
                raise
            converted = from_gb18030(data, name, problems, strict)  # UTF-8 at first, GB18030 further down
            if converted is None:
                return None
            data, encoding, invalid = converted, "gb18030", []
            table = _parse_csv(data, delim, n, invalid)
    except (pa.ArrowInvalid, ValueError) as exc:
        problems.append(Problem(name, None, None, f"not a valid CSV file: {exc}".strip()))
        return None
    table = table.slice(1)  # row 0 is the header, read as data so that duplicate or blank names survive
    lines = _LineNumbers(data, delim, n, table.num_rows, skipped)
    out = Table(name, named(table, names), encoding=encoding, numbering=lines)
    _set_aside(out, invalid, lines, delim, names, problems)
    return drop_blank_rows(out, problems)


def _header_line(head_text: str, delim: str, score: Callable[[list[str]], int] | None) -> tuple[list[str], int]:
    """The header's cells and the number of lines above it.

    The first line that is not blank, as pyarrow (which skips blank lines) reads it, unless ``score``
    finds the header further down; newline="": a line may end in "\r" alone (Excel for Mac).
    """
    reader = csv.reader(io.StringIO(head_text, newline=""), delimiter=delim)
    rows, starts, end = [], [], 0
    for fields in reader:
        start, end = end, reader.line_num
        if fields:
            rows.append(fields)
            starts.append(start)
        if len(rows) >= HEADER_ROWS:
            break
    if not rows:
        return [], 0
    k = find_header(rows, score) if score is not None else 0
    return rows[k], starts[k] if k else 0


def _offset(text: str, lines: int) -> int:
    """The byte offset (in UTF-8) of the start of line ``lines + 1`` of ``text``."""
    at = 0
    for _ in range(lines):
        m = _LINE_END.search(text, at)
        if m is None:
            return len(text.encode("utf-8"))
        at = m.end()
    return len(text[:at].encode("utf-8"))


def _set_aside(
    table: Table, invalid: list[tuple[int, str]], lines: Any, delim: str, names: list[str], problems: list
) -> None:
    """Lines that do not split into the header's columns: kept aside with their line, the first reported.

    The first :data:`~corridormap.errors.MAX_ROWS` are each an error naming its line (and, for a
    line that is short, the first field it has no value for); one more error counts the rest
    (:attr:`Table.malformed_more`).
    """
    at, n = 0, len(names)
    for columns, text in invalid:
        if not text.strip(delim + " \t\r\n"):
            continue  # a blank line of spaces: skipped like any blank row
        line, at = lines.of_text(text, at)
        cells = next(csv.reader([text], delimiter=delim), [])
        reason = f"has {columns} field{'s' if columns != 1 else ''}, the header has {n}"
        table.malformed.append((line, cells, reason))
        if len(table.malformed) <= MAX_ROWS:
            hint = f"check the {_delimiter_name(delim)}s and quotes on this line"
            field = (names[columns].strip() or f"column {columns + 1}") if columns < n else None
            problems.append(Problem(table.file, line, field, reason, hint))
    more = len(table.malformed) - MAX_ROWS
    if more > 0:
        table.malformed_more = Problem(
            table.file,
            None,
            None,
            f"... and {more} more line{'s' if more != 1 else ''} that do not split into the header's {n} fields",
            f"check the {_delimiter_name(delim)}s and quotes on those lines",
        )
        problems.append(table.malformed_more)


def _delimiter_name(delim: str) -> str:
    return {",": "comma", "\t": "tab", ";": "semicolon"}[delim]


class _LineNumbers:
    """Row position -> line in the file (header: line 1), counted only when asked for.

    When the file has a line per row (no blank lines, no line breaks inside values), row ``i`` is
    line ``i + 2``; otherwise the lines are counted once with the standard library's reader. Why the
    shortcut: every generated id names its line, and counting the rows with the reader is far slower
    than counting line breaks (figures: bench/RESULTS.txt, "Figures that were in docstrings").
    """

    def __init__(self, data: bytes, delim: str, width: int, n_rows: int, skipped: int = 0):
        self.data, self.delim, self.width, self.n_rows = data, delim, width, n_rows
        self.skipped = skipped  # lines above the header (a title), not in ``data``
        self._lines: np.ndarray | None = None
        self._last = (0, 1)  # (byte, its line) of the row :meth:`of_text` found last

    def _simple(self) -> bool:
        newlines = self.data.count(b"\n") + (not self.data.endswith(b"\n"))
        if newlines != self.n_rows + 1:
            return False
        return b"\r" not in self.data or self.data.count(b"\r") == self.data.count(b"\r\n")  # no lone CR

    def __call__(self, positions: np.ndarray) -> np.ndarray:
        if self._lines is None:
            if self._simple():
                return positions + 2 + self.skipped
            self._lines = self._count() + self.skipped
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

    def of_text(self, text: str, start: int = 0) -> tuple[int | None, int]:
        """The line where ``text`` is, looked for from byte ``start`` on (rows come in order), and where it ends."""
        needle = text.encode("utf-8")
        at = self.data.find(needle, start)
        if at < 0:
            at = self.data.find(needle)
        if at < 0:
            return None, start
        return self._line_at(at) + self.skipped, at + len(needle)

    def _line_at(self, at: int) -> int:
        """The line (from 1, in ``data``) of byte ``at``: line breaks counted on from the byte asked for last.

        Rows set aside come in order, so the file is counted through once, not once per row (44,200
        rows of a 10 MB file each counted from the start took minutes).
        """
        byte, line = self._last if self._last[0] <= at else (0, 1)
        line += self.data.count(b"\n", byte, at)
        self._last = (at, line)
        return line
