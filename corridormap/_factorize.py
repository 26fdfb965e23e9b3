"""``pandas.factorize`` for text columns, remembered while the column's data lives.

A build factorises the same columns of a large list several times: the value checks, the
cross-layer checks and the map's columnar data each need codes for city, sector, kind, source.
pandas' text columns are pyarrow arrays, which are immutable, so the array object identifies
its content; the memo entry goes when the array is collected.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

__all__ = ["factorize"]

_MEMO: dict[int, tuple[weakref.ref, np.ndarray, pd.Index]] = {}


def factorize(series: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(series, use_na_sentinel=True)``: codes (-1 for missing) and distinct values.

    The codes returned are the caller's own copy.
    """
    if getattr(series.dtype, "storage", None) != "pyarrow":  # numpy-backed: nothing stable to key on
        return pd.factorize(series, use_na_sentinel=True)
    arr = series.array.__arrow_array__()
    hit = _MEMO.get(id(arr))
    if hit is not None and hit[0]() is arr:
        return hit[1].copy(), hit[2]
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    _MEMO[id(arr)] = (weakref.ref(arr), codes.copy(), uniques)
    weakref.finalize(arr, _MEMO.pop, id(arr), None)
    return codes, uniques
