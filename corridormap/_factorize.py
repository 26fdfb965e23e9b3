"""``pandas.factorize`` for text columns, remembered while the column's data lives.

A build factorises the same columns of a large list several times: the value checks, the
cross-layer checks and the map's columnar data each need codes for city, sector, kind, source.
pandas' text columns are pyarrow arrays, which are immutable, so the array object identifies
its content; the memo entry goes when the array is collected. :func:`per_object` is the
mechanism, also used for the digests and GeoJSON of (immutable) shapely geometries.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

__all__ = ["factorize", "per_object", "remember_factorized"]

_MEMO: dict[tuple[str, int], tuple[weakref.ref, object]] = {}


def per_object(obj, compute, kind: str = ""):
    """``compute(obj)``, remembered while ``obj`` lives; ``obj`` must be immutable (a pyarrow array,
    a shapely geometry), so its identity stands for its content. ``kind`` tells apart several results
    kept for one object (a geometry's digest and its GeoJSON)."""
    key = (kind, id(obj))
    hit = _MEMO.get(key)
    if hit is not None and hit[0]() is obj:
        return hit[1]
    value = compute(obj)
    _MEMO[key] = (weakref.ref(obj), value)
    weakref.finalize(obj, _MEMO.pop, key, None)
    return value


def factorize(series: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(series, use_na_sentinel=True)``: codes (-1 for missing) and distinct values.

    The codes returned are the caller's own copy.
    """
    if getattr(series.dtype, "storage", None) != "pyarrow":  # numpy-backed: nothing stable to key on
        return pd.factorize(series, use_na_sentinel=True)
    codes, uniques = per_object(series.array.__arrow_array__(), lambda _: pd.factorize(series, use_na_sentinel=True))
    return codes.copy(), uniques


def remember_factorized(series: pd.Series, codes: np.ndarray, uniques) -> None:
    """Record what :func:`factorize` returns for ``series``, already known from a dictionary encoding.

    ``codes`` as pandas gives them (-1 for missing), ``uniques`` the distinct values (a pyarrow array)
    in order of first appearance, as pandas orders them.
    """
    if getattr(series.dtype, "storage", None) != "pyarrow":
        return
    index = pd.Index(pd.array(uniques.to_pylist(), dtype=series.dtype))
    per_object(series.array.__arrow_array__(), lambda _: (codes, index))
