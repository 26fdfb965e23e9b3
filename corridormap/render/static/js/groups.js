// Points grouped by H3 cell, then spread on screen so that no two symbols overlap: groups whose
// symbols would touch are merged into the larger one. Pure functions over typed arrays.
CM.groups = (() => {
  const GAP = 3;  // pixels kept clear between two symbols

  const KEEP = 12;  // point indices each group keeps (a few points at one spot are drawn one by one)

  // Groups of the points shown (mask[i] === 1), at H3 resolution res, optionally only inside bbox
  // [west, south, east, north] in micro-degrees. Each: {key, n, sx, sy, x0, y0, x1, y1, first, some}
  // with `some` the first KEEP point indices.
  function byCell(points, res, mask, bbox) {
    const { x, y, cell } = points, groups = new Map(), n = x.length;
    const s = Math.pow(2, 3 * (15 - res));
    for (let i = 0; i < n; i++) {
      if (mask && !mask[i]) continue;
      const xi = x[i], yi = y[i];
      if (bbox && !CM.bounds.contains(bbox, xi, yi)) continue;
      const key = Math.floor(cell[i] / s);
      let g = groups.get(key);
      if (!g) {
        g = { key, n: 0, sx: 0, sy: 0, x0: xi, y0: yi, x1: xi, y1: yi, first: i, some: [] };
        groups.set(key, g);
      }
      if (g.n < KEEP) g.some.push(i);
      g.n++;
      g.sx += xi;
      g.sy += yi;
      if (xi < g.x0) g.x0 = xi; else if (xi > g.x1) g.x1 = xi;
      if (yi < g.y0) g.y0 = yi; else if (yi > g.y1) g.y1 = yi;
    }
    return groups;
  }

  // The symbol radius in pixels for a group of n points.
  function radius(n) {
    return n < 2 ? 6 : Math.min(24, 11 + 4 * Math.log10(n));
  }

  // Place each group (with px, py screen positions) as a symbol; a group whose symbol would overlap
  // one already placed joins it instead. Larger groups are placed first. Returns the symbols:
  // {px, py, r, n, groups: [...]} with n the points of all the groups joined.
  function spread(items) {
    const order = items.slice().sort((a, b) => b.n - a.n || a.key - b.key);
    const cellSize = 2 * radius(1e9) + GAP, grid = new Map(), placed = [];
    for (const item of order) {
      const r = radius(item.n), cx = Math.floor(item.px / cellSize), cy = Math.floor(item.py / cellSize);
      let host = null, best = Infinity;
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const p of grid.get((cx + dx) + "," + (cy + dy)) || []) {
            const d = Math.hypot(p.px - item.px, p.py - item.py);
            if (d < p.r + r + GAP && d < best) { best = d; host = p; }
          }
        }
      }
      if (host) {
        host.n += item.n;
        host.groups.push(item);
        continue;
      }
      const symbol = { px: item.px, py: item.py, r, n: item.n, groups: [item] };
      placed.push(symbol);
      const k = cx + "," + cy;
      if (!grid.has(k)) grid.set(k, []);
      grid.get(k).push(symbol);
    }
    return placed;
  }

  // The extent of a symbol's points [x0, y0, x1, y1] in micro-degrees.
  function extent(symbol) {
    const e = [Infinity, Infinity, -Infinity, -Infinity];
    for (const g of symbol.groups) {
      e[0] = Math.min(e[0], g.x0); e[1] = Math.min(e[1], g.y0);
      e[2] = Math.max(e[2], g.x1); e[3] = Math.max(e[3], g.y1);
    }
    return e;
  }

  return { byCell, radius, spread, extent, GAP, KEEP };
})();
