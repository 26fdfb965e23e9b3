// Organisation lists (the curated enterprises and institutes, and each list of the reader's own):
// points grouped by H3 cell and drawn as count symbols that never overlap, single points at their
// place (through points.js, so they stack with other layers' symbols), and an optional density
// layer of H3 hexagons. Everything follows the layer's filter.
//
// Receives the map's view (view.js), the payload, the overlay groups and the point layer
// (points.js) its symbols go to. Fires "cm:filter" {layer, values} when a layer's filter changes
// and "cm:density" {layer, bounds, colours} when a density layer is drawn. Listens to
// "cm:restore" {state} (the filters of a shared link).
CM.lists = (() => {
  const { el, ui, term, formatNumber, safeUrl, link } = CM.text;
  const DEEP = 15;  // from this zoom every point is drawn on its own
  // H3 resolution by whole zoom, 0-14: cells 55-130 px apart on screen, so that a crowded view
  // holds a readable number of count symbols (at zoom 10, ~80 rather than ~300 at the next finer one).
  const RES = [3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 5, 6, 7, 8, 8];
  const DENSITY_RES = [3, 3, 3, 3, 3, 3, 3, 4, 4, 5, 6, 7, 7, 8, 9];  // hexagons 40-90 px across
  const GLOBAL_RES = 6;  // up to this resolution groups are counted over all points once per filter

  function create(view, data, overlays, points) {
    const map = view.map, stations = data.stops.filter((st) => st.kind === "station");
    const states = data.layers.map((spec) => layerState(spec, overlays));
    const byKey = {};
    states.forEach((s) => { byKey[s.key] = s; });
    const popupOf = (s, i) => pointPopup(s, i, stations);
    // A point item's popup, opened where it is drawn (after a redraw); false when it is not drawn.
    const openItem = (id) => { redraw(); return points.open(id); };
    const focusOn = (s, i) => focus(view, s, i, openItem, popupOf);
    const calls = { popupOf, focus: focusOn };

    // Everything drawn anew; on a pan (e: its moveend) that stays within the region the symbols
    // were arranged over (points.js, covers()), only the density hexagons (classed by the counts in
    // view) and which symbols the keyboard reaches.
    function redraw(e) {
      const panned = e && e.type === "moveend" && points.covers();
      states.forEach((s) => {
        if (!panned) drawLayer(view, points, s, calls);
        drawDensity(view, s, data.densityColours);
      });
      if (panned) points.reachable(); else points.redraw();
    }

    function setSelection(key, selection) {
      const s = byKey[key];
      s.selection = selection;
      s.mask = Object.keys(selection).length ? CM.filter.mask(s.cats, selection, s.n, null) : null;
      s.drawn = CM.areaPoints.drawnMask(s);
      s.cache = new Map();
      redraw();
      map.fire("cm:filter", { layer: key, values: CM.filter.toValues(s.cats, selection) });
    }
    map.on("cm:restore", (e) => states.forEach((s) => {
      setSelection(s.key, CM.filter.fromValues(s.cats, e.state.filters[s.key] || {}));
    }));

    return { states, byKey, redraw, openItem, setSelection, search: (q, limit) => search(states, q, limit), focus: focusOn };
  }

  function layerState(spec, overlays) {
    const t = CM.columns.text, cols = spec.columns;
    const text = {};
    Object.keys(cols).forEach((k) => { text[k] = t(cols[k]); });
    const cats = spec.cats.map((c) => Object.assign({}, c, { codes: CM.columns.typed(c.codes, Int32Array) }));
    const sector = cats.find((c) => c.key === "sector");
    const s = {
      key: spec.key, spec, n: spec.n, text, cats,
      x: CM.columns.typed(spec.x, Int32Array), y: CM.columns.typed(spec.y, Int32Array),
      cell: CM.columns.typed(spec.cell, Float64Array),
      sectorCodes: sector ? sector.codes : null, colours: spec.sectors.map((s) => s.colour),
      selection: {}, mask: null, cache: new Map(),
      group: overlays[spec.key], density: overlays["density:" + spec.key],
      hexes: new Map(),
    };
    CM.areaPoints.setup(s);  // s.drawn: the points drawn as points (those placed to an area are not)
    return s;
  }

  // Point i's texts by a rule Python sends for the page's language (labels.text_rule): the
  // non-empty values of its columns in order, all of them (distinct) or only the first.
  function texts(s, rule, i) {
    const out = [];
    rule.columns.forEach((k) => {
      const v = s.text[k] ? s.text[k].get(i) : null;
      if (v && out.indexOf(v) < 0) out.push(v);
    });
    return rule.all ? out : out.slice(0, 1);
  }

  // Point i's name in the page's language(s), else its plain name or id.
  function nameOf(s, i) {
    const rule = s.spec.names;
    return (rule ? texts(s, rule, i).join(rule.sep) : "") ||
      (s.text.name ? s.text.name.get(i) : null) || (s.text.id ? s.text.id.get(i) : String(i));
  }

  // The view widened by `reach` of its size on each side, then 15 % more, in micro-degrees: a
  // WGS-84 query (a GCJ-02 view is ~500 m off, inside the 15 %).
  function viewBox(map, reach) {
    const b = map.getBounds().pad(reach + 0.15);
    return [Math.round((b.getWest() - 0.01) * 1e6), Math.round((b.getSouth() - 0.01) * 1e6),
            Math.round((b.getEast() + 0.01) * 1e6), Math.round((b.getNorth() + 0.01) * 1e6)];
  }

  const FEW = 3000;  // a layer this small is spread point by point: only symbols that would overlap join

  // Each point in view its own group (a small layer: grouping by cell would join points a cell apart).
  function pointGroups(s, bbox) {
    return CM.bounds.indicesIn(s.x, s.y, s.drawn, bbox).map((i) => {
      const x = s.x[i], y = s.y[i];
      return { key: i, n: 1, sx: x, sy: y, x0: x, y0: y, x1: x, y1: y, first: i, some: [i] };
    });
  }

  // Groups at res in the view: counted over every point once per filter for coarse cells (kept in
  // s.cache until the filter changes: recounting them on every move made a pan twice as slow, as
  // measured in bench/RESULTS.txt, "Kept: the coarse cells' groups"), over the points in view for
  // fine ones.
  function groupsInView(s, res, bbox) {
    if (res > GLOBAL_RES) return Array.from(CM.groups.byCell(s, res, s.drawn, bbox).values());
    if (!s.cache.has(res)) s.cache.set(res, Array.from(CM.groups.byCell(s, res, s.drawn, null).values()));
    return s.cache.get(res).filter((g) => g.x1 >= bbox[0] && g.x0 <= bbox[2] && g.y1 >= bbox[1] && g.y0 <= bbox[3]);
  }

  // The layer's symbols in view, handed to the point layer (so that no symbol of any overlay covers
  // another): single points, a few points at one spot one by one, and count symbols.
  // calls: {popupOf(s, i), focus(s, i)}, a point's popup content and the focus on a point.
  function drawLayer(view, points, s, calls) {
    const map = view.map, z = Math.floor(map.getZoom());
    if (!map.hasLayer(s.group)) { points.setDynamic(s.key, []); return; }
    const bbox = viewBox(map, points.reach), res = RES[Math.max(0, Math.min(z, RES.length - 1))];
    const out = z >= DEEP
      ? CM.bounds.indicesIn(s.x, s.y, s.drawn, bbox).map((i) => pointItem(s, i, calls.popupOf))
      : symbolItems(view, s, res, bbox, calls);
    points.setDynamic(s.key, out.concat(CM.areaPoints.items(view, s, calls.popupOf, bbox)));
  }

  // The layer's groups in view at res spread on screen: single points, a few points at one spot
  // one by one (they stack, and spread out on click, each reachable), and count symbols.
  function symbolItems(view, s, res, bbox, calls) {
    const out = [], items = (s.n <= FEW ? pointGroups(s, bbox) : groupsInView(s, res, bbox)).map((g) => {
      const p = view.map.latLngToLayerPoint(view.place(g.sy / g.n / 1e6, g.sx / g.n / 1e6));
      return { key: g.key, n: g.n, px: p.x, py: p.y, x0: g.x0, y0: g.y0, x1: g.x1, y1: g.y1, first: g.first, some: g.some };
    });
    CM.groups.spread(items).forEach((symbol) => {
      if (symbol.n === 1) { out.push(pointItem(s, symbol.groups[0].first, calls.popupOf)); return; }
      const e = CM.groups.extent(symbol);
      if (symbol.n <= CM.groups.KEEP && e[2] - e[0] < 20 && e[3] - e[1] < 20) {
        symbol.groups.forEach((g) => g.some.forEach((i) => out.push(pointItem(s, i, calls.popupOf))));
        return;
      }
      out.push(clusterItem(view, s, symbol, res, calls.focus));
    });
    return out;
  }

  function countLabel(n) {
    return n >= 10000 ? Math.round(n / 1000) + "k" : formatNumber(n);
  }

  // A count symbol, for the point layer: a click zooms in far enough to split it, or lists its
  // points when they share a spot.
  function clusterItem(view, s, symbol, res, focusOn) {
    const at = view.map.layerPointToLatLng([symbol.px, symbol.py]);
    return {
      id: s.key + ":c" + res + ":" + symbol.groups[0].key + ":" + symbol.n, symbol: "cluster", group: s.group,
      at, r: symbol.r, count: countLabel(symbol.n), opened: null, precision: "site",
      name: ui("inList", { n: formatNumber(symbol.n), list: s.spec.name }) + " · " + ui("clusterSym"),
      open: (marker) => expand(view, s, symbol, res, marker, focusOn),
    };
  }

  function expand(view, s, symbol, res, marker, focusOn) {
    const map = view.map, e = CM.groups.extent(symbol), z = map.getZoom();
    const sameSpot = e[2] - e[0] < 20 && e[3] - e[1] < 20;  // within ~2 m: zooming in would not split it
    if (sameSpot || z >= map.getMaxZoom()) { membersPopup(map, s, symbol, res, marker.getLatLng(), focusOn); return; }
    zoomInto(view, e, DEEP);
  }

  // Zoom in on extent e ([x0, y0, x1, y1], micro-degrees) a few levels at a time, to fit it but
  // no further than zoom cap.
  function zoomInto(view, e, cap) {
    const map = view.map, z = Math.floor(map.getZoom());
    const sw = view.place(e[1] / 1e6, e[0] / 1e6), ne = view.place(e[3] / 1e6, e[2] / 1e6);
    const fitted = Math.min(cap, map.getBoundsZoom(L.latLngBounds(sw, ne).pad(0.1)));
    const target = Math.max(z + 1, Math.min(fitted, z + 3));
    view.whenStill(() => map.setView(L.latLngBounds(sw, ne).getCenter(), target, { animate: false }));
  }

  // The points of a symbol, as buttons that open each one's popup (when they share one spot).
  function membersPopup(map, s, symbol, res, at, focusOn) {
    const keys = new Set(symbol.groups.map((g) => g.key)), scale = Math.pow(2, 3 * (15 - res)), ids = [];
    for (let i = 0; i < s.n && ids.length < 200; i++) {
      if ((!s.drawn || s.drawn[i]) && keys.has(Math.floor(s.cell[i] / scale))) ids.push(i);
    }
    const box = el("div", "cm-popup"), ul = el("ul", "cm-members");
    box.appendChild(el("h2", "cm-title", ui("inList", { n: formatNumber(symbol.n), list: s.spec.name })));
    ids.forEach((i) => {
      const b = el("button", "cm-member", nameOf(s, i));
      b.type = "button";
      b.addEventListener("click", () => { map.closePopup(); focusOn(s, i); });
      const li = el("li");
      li.appendChild(b);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    if (symbol.n > ids.length) box.appendChild(el("div", "cm-subtitle", ui("more", { n: formatNumber(symbol.n - ids.length) })));
    L.popup().setLatLng(at).setContent(box).openOn(map);
  }

  // A single point, for the point layer (so that it stacks with other layers' symbols).
  function pointItem(s, i, popupOf) {
    const code = s.sectorCodes ? s.sectorCodes[i] : -1;
    const precision = s.text.location_precision ? s.text.location_precision.get(i) || "" : "";
    return {
      id: s.key + ":" + i, symbol: "org", group: s.group, lat: s.y[i] / 1e6, lon: s.x[i] / 1e6, kindLabel: s.spec.name,
      get name() { return nameOf(s, i); },
      colour: code >= 0 ? s.colours[code] : "#ffffff", precision, opened: null,
      popup: () => popupOf(s, i),
    };
  }

  function nearestStation(stations, lat, lon) {
    let best = null, bestM = Infinity;
    const here = L.latLng(lat, lon);
    stations.forEach((st) => {
      const d = here.distanceTo(L.latLng(st.lat, st.lon));
      if (d < bestM) { bestM = d; best = st; }
    });
    return best ? { stop: best, m: bestM } : null;
  }

  function fieldValue(s, field, i) {
    const col = s.text[field.key];
    if (field.key === "sector" && s.sectorCodes) {
      const c = s.sectorCodes[i];
      return c >= 0 ? s.spec.sectors[c].label : null;
    }
    if (!col) return null;
    if (field.show === "about" && field.texts) return CM.popup.paragraphs(texts(s, field.texts, i));
    const v = col.get(i);
    if (v === null || v === undefined || v === "") return null;
    if (field.show === "term") return term(v);
    if (field.show === "url") { const url = safeUrl(v); return url ? link(url, url) : String(v); }
    if (field.show === "about") return CM.popup.paragraphs([v]);
    return String(v);
  }

  function pointPopup(s, i, stations) {
    const precision = s.text.location_precision ? s.text.location_precision.get(i) || "" : "";
    const lat = s.y[i] / 1e6, lon = s.x[i] / 1e6, near = nearestStation(stations, lat, lon);
    const cityCat = s.cats.find((c) => c.key === "city"), cityCode = cityCat ? cityCat.codes[i] : -1;
    const rows = s.spec.fields.map((f) => [f.label, fieldValue(s, f, i)]);
    rows.splice(rows.length, 0,
      [ui("city"), cityCode >= 0 ? cityCat.labels[cityCode] : null],
      [ui("precision"), CM.popup.precisionNode(precision)],
      [ui("nearest"), near ? near.stop.name + " — " + CM.popup.distanceText(near.m, precision) : null]);
    const sourceIds = s.text.source_ids ? s.text.source_ids.get(i) : null;
    const note = s.text.note ? s.text.note.get(i) : null;
    return CM.popup.card(nameOf(s, i), s.spec.name, rows,
                         { sources: sourceIds || (s.spec.source ? s.spec.source.id : null), note });
  }

  // Zoom as close as the point's precision allows (a point known only to its city: the whole city),
  // then open its popup where it is drawn, or at its place when it is inside a count symbol there.
  function focus(view, s, i, openItem, popupOf) {
    const map = view.map, precision = s.text.location_precision ? s.text.location_precision.get(i) || "" : "";
    const at = view.place(s.y[i] / 1e6, s.x[i] / 1e6);
    if (!map.hasLayer(s.group)) map.addLayer(s.group);
    view.whenStill(() => {
      map.setView(at, CM.popup.precisionOf(precision).zoom, { animate: false });
      if (!openItem(s.key + ":" + i)) L.popup().setLatLng(at).setContent(popupOf(s, i)).openOn(map);
    });
  }

  // Upper bounds of up to k classes of counts, by quantiles of the counts shown.
  function quantileBounds(counts, k) {
    const sorted = counts.slice().sort((a, b) => a - b), out = [];
    for (let j = 1; j <= k; j++) {
      const v = sorted[Math.min(sorted.length - 1, Math.ceil((j * sorted.length) / k) - 1)];
      if (v !== undefined && (!out.length || v > out[out.length - 1])) out.push(v);
    }
    return out;
  }

  // H3 hexagons of the filtered points in view, shaded by count (quantile classes of the counts in
  // view), with the count in a tooltip.
  function drawDensity(view, s, colours) {
    const map = view.map;
    if (!s.density || !map.hasLayer(s.density) || typeof h3 === "undefined") {
      s.hexes.forEach((h) => h.remove());
      s.hexes.clear();
      s.densityBounds = null;
      return;
    }
    const z = Math.floor(map.getZoom()), res = DENSITY_RES[Math.min(DENSITY_RES.length - 1, Math.max(0, z))];
    const groups = groupsInView(s, res, viewBox(map, 0)), keep = new Set();
    const bounds = quantileBounds(groups.map((g) => g.n), colours.length), offset = colours.length - bounds.length;
    groups.forEach((g) => {
      const id = res + ":" + g.key + ":" + view.datum();
      keep.add(id);
      let hex = s.hexes.get(id);
      if (!hex) {
        const index = CM.cells.indexOf(g.key, res);
        const ring = h3.cellToBoundary(index).map(([lat, lon]) => view.place(lat, lon));
        hex = L.polygon(ring, { pane: "cmDensity", weight: 0.8, color: "#ffffff", opacity: 0.8, fillOpacity: 0.6 });
        hex.bindTooltip(() => el("span", null, ui("inList", { n: formatNumber(hex.cmCount), list: s.spec.name })),
                        { sticky: true });
        hex.cmIndex = index;
        hex.on("add", () => hex.getElement().setAttribute("data-cell", index));
        hex.addTo(s.density);
        s.hexes.set(id, hex);
      }
      hex.cmCount = g.n;
      const k = bounds.findIndex((b) => g.n <= b);
      hex.setStyle({ fillColor: colours[offset + Math.max(0, k)] });
      hex.getElement().setAttribute("data-count", String(g.n));
    });
    s.hexes.forEach((h, id) => { if (!keep.has(id)) { h.remove(); s.hexes.delete(id); } });
    s.densityBounds = bounds;
    map.fire("cm:density", { layer: s.key, bounds, colours: colours.slice(offset) });
  }

  function search(states, query, limit) {
    const q = query.toLowerCase(), hits = [];
    for (const s of states) {
      const cols = ["name", "name_en", "name_zh"].filter((k) => s.text[k]).map((k) => s.text[k]);
      for (let i = 0; i < s.n && hits.length < limit; i++) {
        if (s.mask && !s.mask[i]) continue;
        if (cols.some((c) => String(c.get(i) || "").toLowerCase().indexOf(q) >= 0)) hits.push({ state: s, index: i });
      }
    }
    return hits;
  }

  return { create, nameOf, texts, zoomInto, DEEP, RES };
})();
