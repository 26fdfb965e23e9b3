"""Error types: one base class, and a data error that lists every problem found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["CorridorError", "DataError", "Problem"]

SPREADSHEETS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")  # a problem's row is the sheet's row
GEOJSON = (".geojson", ".json")
GDAL = (".gpkg", ".shp", ".fgb")  # read through pyogrio
PARQUET = (".parquet", ".geoparquet")
SPATIAL = GEOJSON + GDAL + PARQUET  # a problem's row is the feature's number
FRAME = "DataFrame"  # the "file" of a problem found in a (Geo)DataFrame given in Python
MAX_ROWS = 20  # rows listed per check (and column); the rest are counted in one problem, not listed


class CorridorError(Exception):
    """Base class of every error corridormap raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in the data.

    Attributes
    ----------
    file
        File name, e.g. ``"enterprises.csv"`` (``"DataFrame"`` for a frame given in Python).
    row
        Where in the file: the line of a CSV file (the header is line 1), the row of a
        spreadsheet (as the spreadsheet numbers it), the 1-based feature of a spatial file,
        or the position (from 0) in a DataFrame; ``None`` when the problem concerns the file.
    field
        Column or property name as the file spells it, or ``None``.
    message
        What is wrong, in words.
    hint
        How to fix it, when that can be said.
    severity
        ``"error"`` (the data cannot be used) or ``"warning"`` (kept, reported).
    sheet
        The sheet of a spreadsheet, else ``None``.
    """

    file: str
    row: int | None
    field: str | None
    message: str
    hint: str | None = None
    severity: str = "error"
    sheet: str | None = None

    @property
    def unit(self) -> str:
        """What ``row`` counts: ``"line"``, ``"row"``, ``"feature"`` or ``"index"``."""
        name = self.file.lower()
        if self.file == FRAME:
            return "index"
        if name.endswith(SPREADSHEETS):
            return "row"
        return "feature" if name.endswith(SPATIAL) else "line"

    @property
    def location(self) -> str:
        """Sheet, line (row, feature) and field, e.g. ``"line 5, field 'lat'"``; ``""`` for the whole file."""
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{self.unit} {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)

    @property
    def where(self) -> str:
        """Human-readable location: file, sheet, line/row/feature and field."""
        return ", ".join(p for p in (self.file, self.location) if p)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as a JSON-ready dict."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }


def reading_order(p: Problem) -> tuple[bool, str, str, bool, int]:
    """Sort key for a report: errors first, by file and sheet; a whole file's problems before its rows, then
    its rows in order, then the counts of rows beyond those listed (``"... and 180 more rows: ..."``)."""
    counted = p.row is None and p.message.startswith("... and ")
    return (p.severity != "error", p.file, p.sheet or "", counted, p.row or 0)


class DataError(CorridorError, ValueError):
    """The data cannot be used; ``problems`` lists everything found, errors first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=reading_order)
        self.errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(self.report())

    def report(self, limit: int | None = 50) -> str:
        """Return a readable multi-line report of the problems."""
        n = len(self.errors)
        files = sorted({p.file for p in self.errors})
        what = files[0] if len(files) == 1 else "the corridor data"
        head = f"{n} problem{'s' if n != 1 else ''} in {what}"
        shown = self.errors if limit is None else self.errors[:limit]
        lines = [head + ":"] + [f"  {p}" for p in shown]
        if len(shown) < n:
            lines.append(f"  ... and {n - len(shown)} more (run 'corridormap validate' for all)")
        return "\n".join(lines)
