// Boxes [west, south, east, north] (or [x0, y0, x1, y1] on screen), edges included: the one test
// of a point in a box, and the points of typed coordinate arrays inside one; and the test of a point
// in polygon rings. Pure functions.
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

  // Rings of [x, y] (a polygon's outer rings and holes, any number of parts) filed for the even-odd
  // test of a point: each edge under every one of `bands` horizontal bands its y-range meets. A test
  // reads only the edges of the point's band, a few dozen of a city's thousand. Returns {box, holds}:
  // the rings' bounding box and holds(x, y), whether the rings hold the point (as ray casting over
  // every edge would say).
  function ringIndex(rings, bands = 64) {
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    rings.forEach((ring) => ring.forEach(([x, y]) => {
      box[0] = Math.min(box[0], x); box[1] = Math.min(box[1], y); box[2] = Math.max(box[2], x); box[3] = Math.max(box[3], y);
    }));
    const height = (box[3] - box[1]) / bands || 1, filed = Array.from({ length: bands }, () => []);
    const band = (y) => Math.min(bands - 1, Math.max(0, Math.floor((y - box[1]) / height)));
    rings.forEach((ring) => ring.forEach((a, i) => {
      const b = ring[(i || ring.length) - 1];
      for (let k = band(Math.min(a[1], b[1])), last = band(Math.max(a[1], b[1])); k <= last; k++) filed[k].push(a[0], a[1], b[0], b[1]);
    }));
    const holds = (x, y) => {
      if (!contains(box, x, y)) return false;
      const e = filed[band(y)];
      let odd = false;
      for (let i = 0; i < e.length; i += 4) {
        const ay = e[i + 1], by = e[i + 3];
        if ((ay > y) !== (by > y) && x < ((e[i + 2] - e[i]) * (y - ay)) / (by - ay) + e[i]) odd = !odd;
      }
      return odd;
    };
    return { box, holds };
  }

  return { contains, indicesIn, ringIndex };
})();
