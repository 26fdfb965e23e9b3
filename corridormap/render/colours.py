"""The map's colours: one fixed colour per known sector, a stable one for any other value.

Reference features (routes, stations, seats, enclaves, places, clusters) are drawn in black, greys
and white and told apart by shape, so that colour on the map always means a sector. Ten known
sectors take CARTO's colour-blind-safe qualitative palette "Safe" (the same values as
``palettable.cartocolors.qualitative.Safe_10``, which the test suite checks: the package itself
costs 0.7 s to import, too much for every build); "research" and "other" take two ColorBrewer Dark2
colours far from those. Any other value, from a user's own list, takes a
colour from ColorBrewer's qualitative schemes (through branca), chosen by a hash of the value, so
it keeps that colour in every build; colours too close to a sector colour, to the reference greys
or to each other are left out of that pool.
"""

from __future__ import annotations

import hashlib

__all__ = ["INK", "REFERENCE", "SAFE_10", "SECTOR_COLOURS", "sector_colours", "sequential"]

SAFE_10 = ("#88CCEE", "#CC6677", "#DDCC77", "#117733", "#332288", "#AA4499", "#44AA99", "#999933", "#882255",
           "#661100")  # fmt: skip

SECTOR_COLOURS = {
    "optical communications": SAFE_10[0],
    "artificial intelligence": SAFE_10[1],
    "satellite navigation": SAFE_10[2],
    "new energy": SAFE_10[3],
    "optoelectronics": SAFE_10[4],
    "semiconductors": SAFE_10[5],
    "aerospace": SAFE_10[6],
    "new materials": SAFE_10[7],
    "medical devices": SAFE_10[8],
    "education": SAFE_10[9],
    # Two more known sectors than Safe has colours: ColorBrewer Dark2's orange and mustard, far from the rest.
    "research": "#D95F02",
    "other": "#E6AB02",
}

INK = "#222222"
# Colours of the reference symbols (routes, stops, seats, enclaves, places, clusters, outlines).
REFERENCE = {
    "ink": INK,
    "expressway": "#4a4a4a",
    "divisionLine": "#7d7d7d",
    "railway": INK,
    "contextRailway": "#8c8c8c",
    "stopLine": "#6e6e6e",
    "cityFill": "#efe6d2",
    "cityLine": "#7a6a52",
    "province": "#8c8c8c",
    "paper": "#ffffff",
}

_QUALITATIVE = (("Set1", 9), ("Dark2", 8), ("Set2", 8), ("Paired", 12), ("Accent", 8), ("Set3", 12))
_MIN_DISTANCE = 22.0  # CIE76 ΔE between any two colours of the pool, and from every fixed colour
_MAX_LIGHTNESS = 88.0  # L*: paler colours vanish on a light basemap (and pale yellows look alike)


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB hex colour."""
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def distance(a: str, b: str) -> float:
    """CIE76 colour difference ΔE between two hex colours."""
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b))) ** 0.5


def _chroma(hex_colour: str) -> float:
    _, a, b = _lab(hex_colour)
    return (a * a + b * b) ** 0.5


def _pool() -> tuple[str, ...]:
    """ColorBrewer's qualitative colours, in a fixed order, far from the fixed ones and from each other."""
    from branca.utilities import color_brewer

    taken = [*SECTOR_COLOURS.values(), *REFERENCE.values()]
    pool: list[str] = []
    for name, n in _QUALITATIVE:
        for c in color_brewer(name, n):
            c = c.upper()
            if _chroma(c) < 25 or _lab(c)[0] > _MAX_LIGHTNESS:  # greys read as reference symbols
                continue
            if all(distance(c, t) >= _MIN_DISTANCE for t in (*taken, *pool)):
                pool.append(c)
    return tuple(pool)


def _stable_index(value: str, n: int) -> int:
    return int.from_bytes(hashlib.sha1(value.strip().casefold().encode("utf-8")).digest()[:8], "big") % n


def sector_colours(values: list[str], aliases: dict[str, str] | None = None) -> dict[str, str]:
    """A colour for each sector value: the fixed one for a known sector (or a name of it in
    ``aliases``, e.g. its Chinese name), else a stable pool colour.

    Values are taken in the order given (the most frequent first, say); a value whose pool colour is
    already used by an earlier one takes the next free colour, so the colours shown together differ.
    """
    pool = _pool()
    out: dict[str, str] = {}
    used = set(SECTOR_COLOURS.values())
    for v in values:
        known = (aliases or {}).get(str(v).strip().casefold(), v)
        if known in SECTOR_COLOURS:
            out[v] = SECTOR_COLOURS[known]
            continue
        start = _stable_index(str(v), len(pool))
        for step in range(len(pool)):
            c = pool[(start + step) % len(pool)]
            if c not in used:
                break
        out[v] = c
        used.add(c)
    return out


def sequential(name: str, n: int) -> list[str]:
    """``n`` colours of a ColorBrewer sequential scheme (through branca), light to dark."""
    from branca.utilities import color_brewer

    if n < 3:
        return color_brewer(name, 3)[-n:] if n else []
    return color_brewer(name, n)
