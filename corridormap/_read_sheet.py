"""Spreadsheets (``.xlsx``/``.xlsm``/``.xls``/``.ods``) read into a :class:`~corridormap._table.Table`.

python-calamine through pandas reads the first sheet (or the one asked for). The header is found
by its content when the caller says what a header holds, else it is the first row as filled as
the rows below (a merged title cell above it holds one value, and is skipped).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from ._table import Table, drop_blank_rows, find_header, named
from .errors import Problem

__all__ = ["pick", "read_workbook"]


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


def read_workbook(
    raw: bytes,
    name: str,
    problems: list[Problem],
    *,
    sheet: str | None,
    header: Callable[[list[str]], int] | None = None,
) -> Table | None:
    """Read a sheet; ``header`` scores a row as a header (see :func:`~corridormap._table.find_header`)."""
    import pandas as pd

    try:
        book = pd.ExcelFile(io.BytesIO(raw), engine="calamine")
        names = [str(s) for s in book.sheet_names]
    except Exception as exc:  # calamine's errors name no common base class
        problems.append(
            Problem(name, None, None, f"cannot read the workbook: {exc}", "save it again from Excel as .xlsx or .csv")
        )
        return None
    chosen = pick(names, sheet)
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
    top = find_header([[col[i] for col in cells] for i in range(min(len(frame), 30))], header)
    names = [col[top] or "" for col in cells]
    body = pa.table({f"f{j}": pa.array(col[top + 1 :], pa.string()) for j, col in enumerate(cells)})
    first = top + 2  # the sheet's row number of the first data row (rows count from 1)
    out = Table(name, named(body, names), sheet=chosen, numbering=lambda i: i + first)
    return drop_blank_rows(out, problems)


def pick(names: list[str], wanted: str | None) -> str | None:
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
