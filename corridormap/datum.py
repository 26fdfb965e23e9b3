"""Convert coordinates between WGS-84, China's GCJ-02 ("Mars") datum and Baidu's BD-09.

Everything in ``geodata/`` is WGS-84 (EPSG:4326). Gaode/AMap tiles are drawn in
GCJ-02, an obfuscated datum whose offset from WGS-84 is about 400–600 m in the
Yangtze River Delta; Baidu Maps adds its own BD-09 offset on top of GCJ-02 (about
1 km from WGS-84 here). Overlays are shifted to GCJ-02 only when they are drawn on
such a basemap; coordinates copied from those maps are shifted back as they are
read (``--input-datum gcj02|bd09``). Points outside mainland China's bounding box
are left alone by GCJ-02, as it defines them; BD-09 applies everywhere.

All functions are vectorised over NumPy arrays (scalars work too).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .options import DATUMS  # named once, for the command line too

Floats = NDArray[np.float64]

__all__ = [
    "DATUMS",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "in_china",
    "to_wgs84",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]


# Krasovsky 1940 ellipsoid parameters used by the GCJ-02 algorithm.
_A = 6378245.0
_EE = 0.00669342162296594323


def in_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """Return a boolean mask of points inside GCJ-02's (rectangular) domain.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in degrees.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)


def _offset(lon: Floats, lat: Floats) -> tuple[Floats, Floats]:
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


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[Floats, Floats]:
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


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike, *, tol: float = 1e-10, max_iter: int = 30) -> tuple[Floats, Floats]:
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


# BD-09 rotates and scales GCJ-02 about the origin a little and shifts it (Baidu's published formula).
_X_PI = np.pi * 3000.0 / 180.0


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[Floats, Floats]:
    """Shift GCJ-02 coordinates to Baidu's BD-09.

    Parameters
    ----------
    lon, lat
        GCJ-02 longitudes and latitudes in degrees.

    Returns
    -------
    tuple of numpy.ndarray
        BD-09 ``(lon, lat)``.
    """
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike, *, tol: float = 1e-12, max_iter: int = 10) -> tuple[Floats, Floats]:
    """Shift BD-09 (Baidu) coordinates back to GCJ-02.

    Baidu's usual inverse formula is a first guess, within a few centimetres; a few
    fixed-point steps on :func:`gcj02_to_bd09` make it exact.

    Parameters
    ----------
    lon, lat
        BD-09 longitudes and latitudes in degrees.
    tol
        Stop when every point moves less than this many degrees.
    max_iter
        Upper bound on the refining steps.

    Returns
    -------
    tuple of numpy.ndarray
        GCJ-02 ``(lon, lat)``.
    """
    blon = np.asarray(lon, dtype=float)
    blat = np.asarray(lat, dtype=float)
    x, y = blon - 0.0065, blat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    glon, glat = z * np.cos(theta), z * np.sin(theta)
    for _ in range(max_iter):
        flon, flat = gcj02_to_bd09(glon, glat)
        elon, elat = flon - blon, flat - blat
        glon, glat = glon - elon, glat - elat
        if np.all(np.abs(np.nan_to_num(elon)) < tol) and np.all(np.abs(np.nan_to_num(elat)) < tol):
            break
    return glon, glat


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[Floats, Floats]:
    """Shift WGS-84 coordinates to BD-09 (through GCJ-02)."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[Floats, Floats]:
    """Shift BD-09 (Baidu) coordinates back to WGS-84 (through GCJ-02)."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def to_wgs84(lon: ArrayLike, lat: ArrayLike, datum: str) -> tuple[Floats, Floats]:
    """Convert coordinates given in ``datum`` (one of :data:`DATUMS`) to WGS-84.

    Examples
    --------
    >>> lon, lat = to_wgs84(*wgs84_to_bd09(121.2, 31.0), "bd09")
    >>> round(float(lon), 7), round(float(lat), 7)
    (121.2, 31.0)
    """
    if datum == "wgs84":
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    if datum == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if datum == "bd09":
        return bd09_to_wgs84(lon, lat)
    raise ValueError(f"unknown datum {datum!r}: use one of {', '.join(DATUMS)}")
