// Points grouped by H3 cell, then spread on screen so that no two symbols overlap (apart: the one
// collision rule, used by every layer of symbols). Pure functions over typed arrays.
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
      if (bbox && (xi < bbox[0] || xi > bbox[2] || yi < bbox[1] || yi > bbox[3])) continue;
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

  // Shapes on screen, in pixels: a circle {x, y, r} or a box {box: [x0, y0, x1, y1]}.
  function bounds(s) {
    return s.box || [s.x - s.r, s.y - s.r, s.x + s.r, s.y + s.r];
  }

  // Whether two shapes come closer than gap pixels.
  function overlap(a, b, gap) {
    if (!a.box && !b.box) return Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r + gap;
    if (a.box && b.box) {
      return a.box[0] < b.box[2] + gap && b.box[0] < a.box[2] + gap && a.box[1] < b.box[3] + gap && b.box[1] < a.box[3] + gap;
    }
    const box = a.box || b.box, c = a.box ? b : a;  // a circle and a box: the box's point nearest the centre
    const nx = Math.max(box[0], Math.min(c.x, box[2])), ny = Math.max(box[1], Math.min(c.y, box[3]));
    return Math.hypot(nx - c.x, ny - c.y) < c.r + gap;
  }

  // One pass: the shapes' overlapping pairs, found through a uniform grid of cells as large as the
  // largest shape (each shape lies in at most four cells), joined by union-find. Returns each
  // shape's root (the lowest index of its joined set), or null when no pair overlaps.
  function joinOverlapping(shapes, gap) {
    const boxes = shapes.map(bounds), n = shapes.length;
    let size = 1;
    boxes.forEach((b) => { size = Math.max(size, b[2] - b[0] + gap, b[3] - b[1] + gap); });
    const grid = new Map(), parent = Int32Array.from({ length: n }, (_, i) => i);
    const root = (i) => { while (parent[i] !== i) i = parent[i] = parent[parent[i]]; return i; };
    let joined = false;
    for (let i = 0; i < n; i++) {
      const b = boxes[i], seen = new Set();
      for (let cx = Math.floor(b[0] / size); cx <= Math.floor((b[2] + gap) / size); cx++) {
        for (let cy = Math.floor(b[1] / size); cy <= Math.floor((b[3] + gap) / size); cy++) {
          const k = cx + "," + cy;
          for (const j of grid.get(k) || []) {
            if (seen.has(j) || !overlap(shapes[i], shapes[j], gap)) continue;
            seen.add(j);
            const ri = root(i), rj = root(j);
            if (ri !== rj) { parent[Math.max(ri, rj)] = Math.min(ri, rj); joined = true; }
          }
          if (!grid.has(k)) grid.set(k, []);
          grid.get(k).push(i);
        }
      }
    }
    return joined ? Array.from(parent, (_, i) => root(i)) : null;
  }

  // The one collision rule of the page: items (each first a group of its own) are joined wherever
  // their groups' shapes (shapeOf(members) gives a circle or a box) come closer than gap pixels,
  // pass after pass, until no two groups' shapes do. A pass is O(n) over a uniform grid (for shapes
  // of bounded size) and each pass that joins leaves fewer groups. Deterministic: groups come in
  // the order of their first item, members in input order. Returns arrays of the input items.
  function apart(items, shapeOf, gap) {
    let groups = items.map((it) => [it]);
    for (;;) {
      const roots = joinOverlapping(groups.map(shapeOf), gap);
      if (!roots) return groups;
      const out = new Map();
      groups.forEach((g, i) => {
        const k = roots[i];
        if (out.has(k)) out.get(k).push(...g); else out.set(k, g.slice());
      });
      groups = Array.from(out.values());
    }
  }

  // A count symbol of groups (with px, py screen positions): at their centre weighted by count,
  // sized by their total.
  function symbolOf(groups) {
    let n = 0, sx = 0, sy = 0;
    groups.forEach((g) => { n += g.n; sx += g.px * g.n; sy += g.py * g.n; });
    return { px: sx / n, py: sy / n, r: radius(n), n, groups };
  }

  // The groups as count symbols, joined (apart) until no two symbols come within GAP pixels of
  // each other. Returns the symbols: {px, py, r, n, groups: [...]}, largest groups first.
  function spread(items) {
    const order = items.slice().sort((a, b) => b.n - a.n || a.key - b.key);
    return apart(order, (groups) => {
      const s = symbolOf(groups);
      return { x: s.px, y: s.py, r: s.r };
    }, GAP).map(symbolOf);
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

  return { byCell, radius, apart, overlap, spread, extent, GAP, KEEP };
})();
