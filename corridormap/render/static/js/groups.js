// Points grouped by H3 cell, then spread on screen so that no two symbols overlap (arrange: the one
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

  // Shapes on screen, in pixels: a circle {x, y, r} or a square {x, y, h} (h: half its side).
  const half = (s) => (s.h === undefined ? s.r : s.h);

  // Whether two shapes come closer than gap pixels.
  function overlap(a, b, gap) {
    const dx = Math.abs(a.x - b.x), dy = Math.abs(a.y - b.y);
    if (a.h === undefined && b.h === undefined) return Math.hypot(dx, dy) < a.r + b.r + gap;
    if (a.h !== undefined && b.h !== undefined) return dx < a.h + b.h + gap && dy < a.h + b.h + gap;
    const square = a.h === undefined ? b : a, circle = a.h === undefined ? a : b;
    return Math.hypot(Math.max(0, dx - square.h), Math.max(0, dy - square.h)) < circle.r + gap;
  }

  // A uniform grid of placed shapes, cells as wide as the largest shape plus gap: a shape can only
  // overlap shapes whose centres lie in its own cell or the eight around it.
  function shapeGrid(size, stats) {
    const cells = new Map();
    // A small integer per cell (cells 2^15 apart share one: their shapes are only tested in vain).
    const key = (cx, cy) => ((cx & 0x7fff) << 15) | (cy & 0x7fff);
    return {
      add(s) {
        const k = key(Math.floor(s.x / size), Math.floor(s.y / size));
        if (!cells.has(k)) cells.set(k, []);
        cells.get(k).push(s);
      },
      // Each placed shape within reach of s, in the order placed within each cell.
      near(s, fn) {
        const cx = Math.floor(s.x / size), cy = Math.floor(s.y / size);
        for (let dx = -1; dx <= 1; dx++) {
          for (let dy = -1; dy <= 1; dy++) {
            for (const p of cells.get(key(cx + dx, cy + dy)) || []) {
              if (stats) stats.tests++;
              if (fn(p) === false) return;
            }
          }
        }
      },
    };
  }

  // The nearest spot to shape s (on rings a few pixels apart, starting to the north, clockwise)
  // where it overlaps no placed shape, or null after TRIES spots: where thousands of symbols lie
  // at one spot an unbounded search made the page hang. `stats.spots` counts the spots tried.
  const TRIES = 5000, FULL = 24;
  function freeSpot(s, grid, gap, stats) {
    const step = Math.max(2, half(s) / 3), at = Object.assign({}, s);
    let tried = 0;
    for (let k = 1; tried < TRIES; k++) {
      const d = k * step, m = Math.max(8, Math.ceil((2 * Math.PI * d) / step));
      for (let j = 0; j < m && tried < TRIES; j++, tried++) {
        const a = -Math.PI / 2 + (2 * Math.PI * j) / m;
        at.x = s.x + d * Math.cos(a);
        at.y = s.y + d * Math.sin(a);
        if (stats) stats.spots = (stats.spots || 0) + 1;
        let free = true;
        grid.near(at, (p) => (free = !overlap(at, p, gap)));
        if (free) return at;
      }
    }
    return null;
  }

  // The one collision rule of the page, for every layer of symbols. Shapes (circles {x, y, r} or
  // squares {x, y, h}, each with a `join` key) are taken in the order given (the caller's
  // priority); each one that would come within gap pixels of a shape already placed with the same
  // join key (not null) joins the nearest such one, which keeps its place and size; one that would
  // only overlap shapes it may not join (another layer's) is moved to the nearest free spot;
  // otherwise it is placed where it is. So no two placed shapes overlap, and no shape is swallowed
  // by another layer's. O(n) grid look-ups of O(1) shapes each for shapes of bounded size and
  // density (`stats.tests` counts the pair tests, `stats.spots` the free spots tried). Returns the placed shapes in order, each
  // {x, y, r | h, join, moved, members: [indices of the shapes it holds, itself first]}.
  function arrange(shapes, gap, stats) {
    let size = 1;
    shapes.forEach((s) => { size = Math.max(size, 2 * half(s) + gap); });
    const grid = shapeGrid(size, stats), placed = [], full = new Set();
    shapes.forEach((s, i) => {
      let host = null, best = Infinity, hit = false;
      grid.near(s, (p) => {
        if (!overlap(s, p, gap)) return;
        hit = true;
        const d = Math.hypot(p.x - s.x, p.y - s.y);
        if (s.join !== null && p.join === s.join && d < best) { best = d; host = p; }
      });
      if (host) { host.members.push(i); return; }
      // Where a search was in vain (a crowd), the crowd's other shapes within FULL px are not
      // searched again: each would try TRIES spots in vain too.
      const here = Math.floor(s.x / FULL) + "," + Math.floor(s.y / FULL);
      const spot = !hit ? s : full.has(here) ? null : freeSpot(s, grid, gap, stats), at = spot || s;
      if (!spot) full.add(here);
      const symbol = { x: at.x, y: at.y, join: s.join, moved: Boolean(hit && spot), members: [i] };
      if (s.h === undefined) symbol.r = s.r; else symbol.h = s.h;
      // No free spot near: drawn where it is, over the crowd, and left out of the grid so that the
      // crowd's later shapes are not tested against it as well.
      if (spot) grid.add(symbol);
      placed.push(symbol);
    });
    return placed;
  }

  // One layer's groups (with px, py screen positions) as count symbols: larger groups placed first,
  // a group whose symbol would come within GAP of one placed joins it (arrange). Each symbol's
  // radius is radius(n), at least `least` px. Returns the symbols: {px, py, r, n, groups: [...]}
  // with n the points of all the groups joined.
  function spread(items, least = 0, stats) {
    const order = items.slice().sort((a, b) => b.n - a.n || a.key - b.key);
    const shapes = order.map((it) => ({ x: it.px, y: it.py, r: Math.max(least, radius(it.n)), join: 0 }));
    return arrange(shapes, GAP, stats).map((s) => {
      const groups = s.members.map((i) => order[i]);
      return { px: s.x, py: s.y, r: s.r, n: groups.reduce((a, g) => a + g.n, 0), groups };
    });
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

  const STACK = 10;  // half the side of a stack's square; each point symbol keeps this much room
  const APART = 1;  // pixels kept clear between two symbols of the point layer

  // The point layer's items (each with px {x, y} on screen; radiusOf(item) its symbol's radius)
  // arranged: point symbols first, in their order (curated first), each keeping a stack's square
  // and joining any other point symbol it would overlap; then count symbols (symbol "cluster"),
  // the largest first, never joined (each layer has joined its own already: spread) but moved
  // aside from what lies there. Returns [{members, symbol}] (symbol as arrange places it).
  function onScreen(items, radiusOf, stats) {
    const points = items.filter((it) => it.symbol !== "cluster");
    const counts = items.filter((it) => it.symbol === "cluster").sort((a, b) => radiusOf(b) - radiusOf(a));
    const order = points.concat(counts);
    const shapes = order.map((it) => (it.symbol === "cluster"
      ? { x: it.px.x, y: it.px.y, r: radiusOf(it), join: null }
      : { x: it.px.x, y: it.px.y, h: Math.max(STACK, radiusOf(it)), join: "point" }));
    return arrange(shapes, APART, stats).map((symbol) => ({ members: symbol.members.map((i) => order[i]), symbol }));
  }

  return { byCell, radius, overlap, arrange, spread, onScreen, extent, GAP, KEEP };
})();
