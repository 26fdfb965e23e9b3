"""Load the corridor as a whole: read every layer (:mod:`corridormap.load`), check across layers
(:mod:`corridormap.checks`), and either return it (:func:`load_corridor`) or report every
problem, your own lists' too (:func:`validate`).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ._paths import resolve_data_dir
from .checks import check_corridor
from .errors import DataError, Problem
from .lists import read_lists
from .load import Corridor, name_of, read_layers
from .tour import check_tour_lists

__all__ = ["load_corridor", "validate"]


def _collect(
    data_dir: str | os.PathLike[str] | None,
    problems: list[Problem],
    *,
    cross: bool = True,
    tour: str | os.PathLike[str] | None = None,
) -> Corridor | None:
    """Read every layer and run the checks across layers; ``None`` when a file could not be read at all.

    The cross-layer checks also run when single files already have errors, so a swapped lon/lat
    and an unknown city are reported in the same pass.
    """
    directory = resolve_data_dir(data_dir)
    corridor = read_layers(directory, problems, {"tour": Path(tour)} if tour is not None else None)
    if corridor is None or not cross:
        return corridor
    errors_before = any(p.severity == "error" for p in problems)
    try:
        problems += check_corridor(corridor)
    except Exception as exc:  # checks on data that already failed its type checks may not apply
        if not errors_before:
            raise
        problems.append(Problem("geodata", None, None, f"cross-layer checks skipped: {exc}", severity="warning"))
    return corridor


def load_corridor(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    validate: bool = True,
    problems: list[Problem] | None = None,
    tour: str | os.PathLike[str] | None = None,
) -> Corridor:
    """Load every layer of the corridor data.

    Parameters
    ----------
    data_dir
        Directory holding the ``geodata`` files. Default: ``$CORRIDORMAP_DATA``,
        else the copy installed with the package (or the checkout's).
    validate
        Also run the checks across layers (references, cities, routes and stops).
    problems
        A list that receives the warnings (and, before the error is raised, the errors);
        without one, warnings are issued with :func:`warnings.warn`.
    tour
        A tour file of your own (the columns of ``tour.csv``) to use instead of the data's.

    Returns
    -------
    Corridor

    Raises
    ------
    DataError
        Listing every problem found, each with file, row and field.

    Examples
    --------
    >>> import corridormap
    >>> c = corridormap.load_corridor()
    >>> len(c.cities)
    9
    """
    found: list[Problem] = [] if problems is None else problems
    before = len(found)
    corridor = _collect(data_dir, found, cross=validate, tour=tour)
    if corridor is None or any(p.severity == "error" for p in found[before:]):
        raise DataError(found[before:])
    if problems is None:
        for p in found:
            warnings.warn(str(p), stacklevel=2)
    return corridor


def validate(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    lists: Sequence[Any] = (),
    columns: str | Mapping[str, str] | None = None,
    datum: str = "wgs84",
    sheet: str | None = None,
    tour: str | os.PathLike[str] | None = None,
) -> list[Problem]:
    """Check the corridor data, and your own lists, and return every problem found (never raises for bad data).

    Parameters
    ----------
    data_dir
        Data directory; see :func:`load_corridor`.
    lists
        Own lists to check as :func:`corridormap.read_points` reads them: each a path or a
        (Geo)DataFrame, or a ``(name, source)`` pair.
    columns, datum, sheet
        As in :func:`corridormap.read_points`, for every list.
    tour
        A tour file of your own to check instead of the data's ``tour.csv`` (see :func:`load_corridor`).

    Returns
    -------
    list of Problem
        All problems, errors and warnings, each naming file, row and field.

    Examples
    --------
    >>> import corridormap
    >>> [p for p in corridormap.validate() if p.severity == "error"]
    []
    """
    problems: list[Problem] = []
    try:
        corridor = _collect(data_dir, problems, tour=tour)
    except DataError as exc:  # no data directory
        return list(exc.problems)
    cities = corridor.cities if corridor is not None else None
    read = read_lists(list(lists), cities, problems, columns=columns, datum=datum, sheet=sheet)
    if corridor is not None:
        problems += check_tour_lists(corridor, [name_of(g, k) for k, g in enumerate(read)])
    return problems
