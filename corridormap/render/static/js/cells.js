// H3 cells as numbers. Python stores each point's resolution-9 cell as the low 52 bits of its H3
// index (a float64 holds them exactly): bits 45-51 the base cell, then 15 digits of 3 bits, the
// digits past the resolution all 7. A coarser cell drops the low digits; its index string puts the
// mode (1) and the resolution back on top.
CM.cells = (() => {
  const FINEST = 15;

  function scale(res) {
    return Math.pow(2, 3 * (FINEST - res));
  }

  // The group number of a stored cell at resolution res (the same for every cell inside it).
  function parentKey(cell, res) {
    return Math.floor(cell / scale(res));
  }

  // The H3 index (hex string, as h3-js and h3-py write it) of a group number at resolution res.
  function indexOf(key, res) {
    const s = scale(res), low = key * s + (s - 1);
    return "8" + res.toString(16) + low.toString(16).padStart(13, "0");
  }

  return { parentKey, indexOf };
})();
