// Boxes [west, south, east, north] (or [x0, y0, x1, y1] on screen), edges included: the one test
// of a point in a box, and the points of typed coordinate arrays inside one. Pure functions.
CM.bounds = (() => {
  // Does the box hold (x, y)? Its edges count as inside.
  function contains(box, x, y) {
    return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
  }

  // The indices i of the points (x[i], y[i]) inside box, skipping those where mask[i] is 0 (a null
  // mask skips none). Indexed loop over typed arrays: a million points in a few milliseconds.
  function indicesIn(x, y, mask, box) {
    const out = [];
    for (let i = 0, n = x.length; i < n; i++) {
      if ((!mask || mask[i]) && contains(box, x[i], y[i])) out.push(i);
    }
    return out;
  }

  return { contains, indicesIn };
})();
