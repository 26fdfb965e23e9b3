"""Error types: one base class, and a data error that lists every problem found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CorridorError", "DataError", "Problem"]


class CorridorError(Exception):
    """Base class of every error corridormap raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in the data.

    Attributes
    ----------
    file
        File name relative to the data directory, e.g. ``"enterprises.csv"``.
    row
        Line number in a CSV file (the header is line 1) or 1-based feature
        number in a GeoJSON file; ``None`` when the problem concerns the file.
    field
        Column or property name, or ``None``.
    message
        What is wrong, in words.
    hint
        How to fix it, when that can be said.
    severity
        ``"error"`` (the data cannot be used) or ``"warning"`` (kept, reported).
    """

    file: str
    row: int | None
    field: str | None
    message: str
    hint: str | None = None
    severity: str = "error"

    @property
    def where(self) -> str:
        """Human-readable location: file, line/feature and field."""
        parts = [self.file]
        if self.row is not None:
            parts.append(f"{'feature' if self.file.endswith('json') else 'line'} {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def to_dict(self) -> dict:
        """Return the problem as a JSON-ready dict."""
        return {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }


class DataError(CorridorError, ValueError):
    """The data cannot be used; ``problems`` lists everything found, errors first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.severity != "error", p.file, p.row or 0))
        self.errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(self.report())

    def report(self, limit: int | None = 50) -> str:
        """Return a readable multi-line report of the problems."""
        n = len(self.errors)
        head = f"{n} problem{'s' if n != 1 else ''} in the corridor data"
        shown = self.errors if limit is None else self.errors[:limit]
        lines = [head + ":"] + [f"  {p}" for p in shown]
        if len(shown) < n:
            lines.append(f"  ... and {n - len(shown)} more (run 'corridormap validate' for all)")
        return "\n".join(lines)
