"""The table every reader gives back (every column as text), and what all readers share.

Besides the text, a :class:`Table` keeps what the reader set aside, so that a lenient reading
(:func:`corridormap.read_points` with ``errors="report"``) can list every row it did not use:
blank rows, lines that do not split into the header's columns, and the rows each check rejected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .errors import Problem

__all__ = ["Rejected", "Table", "drop_blank_rows", "find_header", "named", "nulls_for_blanks"]

HEADER_ROWS = 30  # the header is looked for in the first rows of a file or sheet


@dataclass
class Rejected:
    """Rows a check found unusable: positions in the table, the field, the message and each row's value."""

    positions: np.ndarray
    field: str | None
    message: str
    values: Any = None
    quoted: bool = True

    def reason(self, k: int) -> str:
        """The message for the ``k``-th of :attr:`positions`, after its value (quoted) when there is one."""
        if self.values is None:
            return self.message
        value = self.values[int(self.positions[k])]
        return f"{value!r} {self.message}" if self.quoted else f"{value} {self.message}"


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
    blank
        The source's numbers (line, sheet row) of the blank rows dropped.
    malformed
        Lines of a delimited file that did not split into the header's columns: (line, cells, reason).
    rejected
        What the checks of :mod:`corridormap._typed` (and the list reader) found unusable, row by row.
    blank_warning
        The warning that counted the blank rows, if any (a lenient reading lists them instead).
    malformed_more
        The error that counted the malformed lines beyond those reported one by one, if any (a
        lenient reading lists them instead).
    """

    file: str
    text: pa.Table
    geometry: np.ndarray | None = None
    sheet: str | None = None
    encoding: str | None = None
    # row position in the table -> its number in the source (line, sheet row, feature, index)
    numbering: Callable[[np.ndarray], np.ndarray] = field(default=lambda i: i + 2, repr=False)
    blank: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)
    malformed: list[tuple[int | None, list[str], str]] = field(default_factory=list, repr=False)
    rejected: list[Rejected] = field(default_factory=list, repr=False)
    blank_warning: Problem | None = field(default=None, repr=False)
    malformed_more: Problem | None = field(default=None, repr=False)

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

    def reject(self, mask: Any, field: str | None, message: str, values: Any = None, quoted: bool = True) -> None:
        """Record the rows where ``mask`` holds as unusable (every one, not only those a report lists)."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(positions):
            self.rejected.append(Rejected(positions, field, message, values, quoted))


def find_header(rows: Sequence[Sequence[Any]], score: Callable[[list[str]], int] | None) -> int:
    """Return the index of the header among the first rows of a file or sheet (each a list of cells).

    The header is the row that ``score`` (the number of its cells that name a known column) rates
    highest, when some row names at least two; else the first row with as many filled cells as
    the widest of the first rows has, up to two (a title row of one merged cell above it is skipped).
    """
    head = [[str(c).strip() if c is not None else "" for c in row] for row in rows[:HEADER_ROWS]]
    if not head:
        return 0
    if score is not None:
        scores = [score([c for c in row if c]) for row in head]
        best = max(range(len(head)), key=lambda i: (scores[i], -i))
        if scores[best] >= 2:
            return best
    filled = [sum(bool(c) for c in row) for row in head]
    need = min(2, max(filled))
    return next((i for i, k in enumerate(filled) if k >= need), 0)


def named(table: pa.Table, header: list[str]) -> pa.Table:
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
        if not (str(header[i] if i < len(header) else "").strip() == "" and all_blank(col))
    ]
    return pa.table({names[i]: nulls_for_blanks(columns[i]) for i in keep})


def all_blank(col: pa.ChunkedArray) -> bool:
    return bool(pc.all(pc.fill_null(pc.equal(pc.utf8_trim_whitespace(col), ""), True)).as_py() is not False)


def nulls_for_blanks(col: Any) -> Any:
    """Text with an empty cell as null (spaces are trimmed later, in :mod:`corridormap._typed`)."""
    if col.null_count == len(col):
        return col
    empty = pc.equal(col, "")
    return pc.if_else(empty, pa.scalar(None, pa.string()), col) if pc.any(empty).as_py() else col


def drop_blank_rows(table: Table, problems: list[Problem]) -> Table:
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
    table.blank = np.asarray(number(np.flatnonzero(mask)), dtype=np.int64)
    table.blank_warning = Problem(
        table.file, None, None, f"{n} blank row{'s' if n != 1 else ''} skipped", severity="warning", sheet=table.sheet
    )
    problems.append(table.blank_warning)
    return table
