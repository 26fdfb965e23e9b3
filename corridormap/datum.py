"""Convert coordinates between WGS-84 and China's GCJ-02 ("Mars") datum.

Everything in ``geodata/`` is WGS-84 (EPSG:4326). Gaode/AMap tiles are drawn in
GCJ-02, an obfuscated datum whose offset from WGS-84 is about 400–600 m in the
Yangtze River Delta. Overlays are shifted to GCJ-02 only when they are drawn on
such a basemap; data read from AMap-derived sources is shifted back on the way
in. Points outside mainland China's bounding box are returned unchanged, as
GCJ-02 defines them.

All functions are vectorised over NumPy arrays (scalars work too).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["gcj02_to_wgs84", "in_china", "wgs84_to_gcj02"]

# Krasovsky 1940 ellipsoid parameters used by the GCJ-02 algorithm.
_A = 6378245.0
_EE = 0.00669342162296594323


def in_china(lon: ArrayLike, lat: ArrayLike) -> np.ndarray:
    """Return a boolean mask of points inside GCJ-02's (rectangular) domain.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in degrees.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)


def _offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = lon - 105.0
    y = lat - 35.0
    pi = np.pi
    common = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + common
        + (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + common
        + (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    )
    rad = lat / 180.0 * pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Shift WGS-84 coordinates to GCJ-02.

    Parameters
    ----------
    lon, lat
        WGS-84 longitudes and latitudes in degrees (arrays or scalars).

    Returns
    -------
    tuple of numpy.ndarray
        GCJ-02 ``(lon, lat)``; points outside China are unchanged.

    Examples
    --------
    >>> lon, lat = wgs84_to_gcj02(121.2, 31.0)
    >>> bool(abs(lon - 121.2) > 0.003)
    True
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _offset(lon, lat)
    inside = in_china(lon, lat)
    return np.where(inside, lon + dlon, lon), np.where(inside, lat + dlat, lat)


def gcj02_to_wgs84(
    lon: ArrayLike, lat: ArrayLike, *, tol: float = 1e-10, max_iter: int = 30
) -> tuple[np.ndarray, np.ndarray]:
    """Shift GCJ-02 coordinates back to WGS-84 by fixed-point iteration.

    The forward transform has no closed-form inverse; iterating
    ``w <- w - (forward(w) - g)`` converges to well below a millimetre in a
    few steps because the offset varies slowly.

    Parameters
    ----------
    lon, lat
        GCJ-02 longitudes and latitudes in degrees.
    tol
        Stop when every point moves less than this many degrees.
    max_iter
        Upper bound on iterations.

    Returns
    -------
    tuple of numpy.ndarray
        WGS-84 ``(lon, lat)``; points outside China are unchanged.
    """
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(max_iter):
        # Iterate on the unmasked offset, so points near the domain's edge converge too.
        dlon, dlat = _offset(wlon, wlat)
        elon, elat = wlon + dlon - glon, wlat + dlat - glat
        wlon, wlat = wlon - elon, wlat - elat
        if np.all(np.abs(np.nan_to_num(elon)) < tol) and np.all(np.abs(np.nan_to_num(elat)) < tol):
            break
    # Outside the domain GCJ-02 is the identity, so a GCJ-02 point outside is its own WGS-84 point.
    # (Within ~0.01° of the domain's edge the forward map is not one-to-one; this picks the identity.)
    inside = in_china(glon, glat) & in_china(wlon, wlat)
    return np.where(inside, wlon, glon), np.where(inside, wlat, glat)
