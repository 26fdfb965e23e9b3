// Points of a list placed only to a district or a city (no site of their own): never drawn as
// points nor grouped with the sited ones, but as one count symbol per area at the area's reference
// point, with the dashed outline of a point located only to its area; areas whose symbols would
// overlap on screen are one symbol. The symbol opens a scrollable list of its members, each
// opening its own popup. Following the layer's filter.
// Pure but for items (given the view and popupOf(s, i), a member's popup content); no events.
CM.areaPoints = (() => {
  const { el, ui, formatNumber } = CM.text;
  const LISTED = 500;  // members listed in one area's popup; the rest are counted

  // The layer's area codes (or null) and the mask of its points at a site (1) or in an area (0).
  function setup(s) {
    s.area = s.spec.area ? CM.columns.typed(s.spec.area, Int32Array) : null;
    s.areas = s.spec.areas || [];
    s.sited = null;
    // Each area's reference point in micro-degrees, as the points' x and y (for the view box).
    s.areaX = Int32Array.from(s.areas, (a) => Math.round(a.lon * 1e6));
    s.areaY = Int32Array.from(s.areas, (a) => Math.round(a.lat * 1e6));
    if (s.area) {
      s.sited = new Uint8Array(s.n);
      for (let i = 0; i < s.n; i++) s.sited[i] = s.area[i] < 0 ? 1 : 0;
    }
    s.drawn = drawnMask(s);
  }

  // The points drawn as points (and counted in groups and hexagons): shown by the filter, at a site.
  function drawnMask(s) {
    if (!s.sited) return s.mask;
    if (!s.mask) return s.sited;
    const out = new Uint8Array(s.n);
    for (let i = 0; i < s.n; i++) out[i] = s.mask[i] && s.sited[i];
    return out;
  }

  // Each area's members shown by the filter, in the list's order.
  function members(s) {
    const out = s.areas.map(() => []);
    if (!s.area) return out;
    for (let i = 0; i < s.n; i++) {
      const a = s.area[i];
      if (a >= 0 && (!s.mask || s.mask[i])) out[a].push(i);
    }
    return out;
  }

  // The count symbol's title: one sentence per language shown, each with the area's name in that
  // language (the templates and names come from Python: spec.areaTitle, area.names).
  function title(s, area, n) {
    const vars = { n: formatNumber(n), list: s.spec.name };
    const titles = s.spec.areaTitle || [];
    if (!titles.length) return ui("areaCount", { ...vars, area: area.name });
    return titles.map((t, k) => fill(t, { ...vars, area: (area.names || [])[k] ?? area.name })).join(" · ");
  }

  // {n}, {list} and {area} filled in one pass, so that a name holding "{n}" stays as written.
  function fill(template, vars) {
    return template.replace(/\{(n|list|area)\}/g, (m, k) => String(vars[k]));
  }

  const LEAST = 9;  // an area's count symbol is at least this large (room for its dashed ring)
  const GROW = 4;  // passes that join crowds grown to their count's size
  // Areas are first taken together by H3 cell this many resolutions finer than the lists' count
  // symbols (CM.lists.RES: cells 55-130 px apart), ~21-50 px apart: about two symbols' reach, so
  // that a list whose every row is an area reads as a sited list does. Up to resolution 9, the
  // finest stored.
  const CELLS = 1;

  // Each area with members shown, as a group for CM.groups.spread ({key (the area's index), n,
  // x0, y0, x1, y1 (its point, micro-degrees), ids (its members)}), kept until the filter changes
  // (s.cache is emptied then; a layer without one counts afresh).
  function areaGroups(s) {
    if (s.cache && s.cache.has("areas")) return s.cache.get("areas");
    const out = [];
    members(s).forEach((ids, a) => {
      const x = s.areaX[a], y = s.areaY[a];
      if (ids.length) out.push({ key: a, n: ids.length, x0: x, y0: y, x1: x, y1: y, ids });
    });
    if (s.cache) s.cache.set("areas", out);
    return out;
  }

  // The areas gathered by H3 cell at res (null: each alone), the largest first in each, kept per
  // filter and res: [{key, n, at (the largest area, where it is drawn), areas}]. res is one whose
  // cells are about as wide on screen as two symbols' reach (CELLS); for a list whose every row is
  // an area, gathering them made a pan several times cheaper (bench/RESULTS.txt, s4-collide's pan).
  function cellGroups(s, res) {
    const id = "areas:" + res;
    if (s.cache && s.cache.has(id)) return s.cache.get(id);
    const scale = Math.pow(2, 3 * (15 - res)), cells = new Map();
    for (const g of areaGroups(s)) {
      const key = res === null ? g.key : Math.floor(s.cell[g.ids[0]] / scale);
      const c = cells.get(key);
      if (!c) { cells.set(key, { key, n: g.n, at: g, areas: [g] }); continue; }
      c.n += g.n;
      c.areas.push(g);
      if (g.n > c.at.n) c.at = g;
    }
    const out = Array.from(cells.values());
    out.forEach((c) => { if (c.areas.length > 1) c.areas.sort((p, q) => q.n - p.n || p.key - q.key); });
    if (s.cache) s.cache.set(id, out);
    return out;
  }

  // The layer's areas in bbox ([west, south, east, north], micro-degrees) gathered at res (as
  // cellGroups), as items for CM.groups.spread: {key, n, px, py, areas}; project(lat, lon) gives
  // {x, y} in pixels (the map's layer pixels).
  function inView(s, bbox, project, res) {
    const out = [];
    for (const c of cellGroups(s, res)) {
      if (!CM.bounds.contains(bbox, c.at.x0, c.at.y0)) continue;
      const area = s.areas[c.at.key], p = project(area.lat, area.lon);
      out.push({ key: c.key, n: c.n, px: p.x, py: p.y, areas: c.areas });
    }
    return out;
  }

  // The layer's areas in bbox as count symbols on screen: areas whose symbols would overlap are
  // joined into one (CM.groups.spread), never each moved aside, so that thousands of areas at a
  // few spots cost what a few symbols cost. res: an H3 resolution whose cells are smaller on
  // screen than a symbol (areas in one are taken together first), or null. Pure. Returns spread's
  // symbols ({px, py, r, n, groups}: groups its areas as areaGroups gives them, n the members of
  // all, groups[0] the largest area, where it is drawn).
  function crowds(s, bbox, project, stats, res = null) {
    let symbols = CM.groups.spread(inView(s, bbox, project, res), LEAST, stats)
      .map((c) => ({ px: c.px, py: c.py, r: c.r, n: c.n, groups: c.groups.flatMap((g) => g.areas) }));
    // A crowd is drawn at the size of its count, so crowds that then overlap join again (a pass
    // joins none: done). Each pass is linear and holds fewer symbols than the last.
    for (let pass = 0; pass < GROW; pass++) {
      const grown = CM.groups.spread(symbols.map((c) => ({ key: c.groups[0].key, n: c.n, px: c.px, py: c.py, c })), LEAST, stats);
      if (grown.length === symbols.length) break;
      symbols = grown.map((g) => ({ px: g.px, py: g.py, r: g.r, n: g.n, groups: g.groups.flatMap((it) => it.c.groups) }));
    }
    return symbols;
  }

  // A short number that tells crowds of areas apart (the same host and count at another zoom may
  // hold other areas; a marker is kept across redraws by its id).
  function hashOf(groups) {
    let h = 2166136261;
    groups.forEach((g) => { h = Math.imul(h ^ g.key, 16777619) >>> 0; });
    return h.toString(36);
  }

  // The layer's areas in view as count symbols for the point layer: one per area, or one for areas
  // whose symbols would overlap (a click zooms in until they part, or lists all their members
  // where they share a spot). bbox as inView's.
  function items(view, s, popupOf, bbox) {
    if (!s.area) return [];
    const project = (lat, lon) => view.map.latLngToLayerPoint(view.place(lat, lon));
    const z = Math.floor(view.map.getZoom()), res = z < CM.lists.RES.length ? CM.lists.RES[Math.max(0, z)] + CELLS : 99;
    return crowds(s, bbox, project, null, res <= 9 ? res : null).map((symbol) => {
      const area = s.areas[symbol.groups[0].key], n = symbol.n, one = symbol.groups.length === 1;
      const areas = () => symbol.groups.map((g) => s.areas[g.key]);  // when drawn or opened
      const list = () => ({ map: view.map, s, areas: areas(), popupOf,
                            ids: one ? symbol.groups[0].ids : symbol.groups.flatMap((g) => g.ids) });
      return {
        id: s.key + ":a" + symbol.groups[0].key + (one ? "" : "+" + hashOf(symbol.groups)) + ":" + n,
        symbol: "cluster", area: true, group: s.group, lat: area.lat, lon: area.lon, r: symbol.r,
        count: n >= 10000 ? Math.round(n / 1000) + "k" : formatNumber(n), opened: null,
        precision: area.precision,
        get name() { return one ? title(s, area, n) : crowdTitle(s, areas(), n); },  // read only for a new marker
        open: (marker) => (one ? membersPopup(list(), marker.getLatLng()) : openCrowd(view, symbol, list, marker)),
      };
    });
  }

  // A crowd's title: its count in the list, then the names of its first areas.
  function crowdTitle(s, areas, n) {
    const names = areas.slice(0, 3).map((a) => a.name).join("; ");
    return ui("inList", { n: formatNumber(n), list: s.spec.name }) + ": " + names +
      (areas.length > 3 ? " " + ui("more", { n: areas.length - 3 }) : "");
  }

  // A crowd of areas apart from each other zooms in until they part (as a cluster's click does);
  // one whose areas share a spot (or at the deepest zoom) lists all their members.
  function openCrowd(view, symbol, list, marker) {
    const e = CM.groups.extent(symbol), map = view.map;
    if ((e[2] - e[0] < 20 && e[3] - e[1] < 20) || map.getZoom() >= map.getMaxZoom()) {
      membersPopup(list(), marker.getLatLng());
      return;
    }
    CM.lists.zoomInto(view, e, map.getMaxZoom());
  }

  // The members of one or more areas as buttons (each the whole row), in a scrolling list; each
  // opens the member's own popup there. ``back`` is the member whose popup was left: it gets the
  // focus. (list: {map, s, areas, ids, popupOf}, the areas' members and how to show one.)
  function membersPopup(list, at, back) {
    const { map, s, areas, ids } = list, area = areas[0];
    const box = el("div", "cm-popup"), ul = el("ul", "cm-members cm-area-members");
    box.appendChild(el("h2", "cm-title", areas.length === 1 ? title(s, area, ids.length) : crowdTitle(s, areas, ids.length)));
    const where = CM.popup.precisionOf(area.precision).text;
    box.appendChild(el("div", "cm-subtitle", area.city ? area.city + " — " + where : where));
    let focus = null;
    ids.slice(0, LISTED).forEach((i) => {
      const b = el("button", "cm-member", CM.lists.nameOf(s, i));
      b.type = "button";
      b.addEventListener("click", () => memberPopup(list, at, i));
      if (i === back || !focus) focus = b;
      const li = el("li");
      li.appendChild(b);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    if (ids.length > LISTED) box.appendChild(el("div", "cm-subtitle", ui("more", { n: formatNumber(ids.length - LISTED) })));
    // Escape closes the list and leaves the focus on the map (not lost with the popup).
    onEscape(box, () => { map.closePopup(); map.getContainer().focus({ preventScroll: true }); });
    L.popup({ className: "cm-area-popup" }).setLatLng(at).setContent(box).openOn(map);
    if (focus) {
      focus.focus({ preventScroll: true });
      if (back !== undefined) focus.scrollIntoView({ block: "nearest" });
    }
  }

  // A member's popup, led by a button back to the area's list (Escape goes back too).
  function memberPopup(list, at, i) {
    list.map.closePopup();
    const box = el("div", "cm-area-member");
    const toList = () => membersPopup(list, at, i);
    const back = el("button", "cm-button cm-back", "← " + ui("backToList", { n: formatNumber(list.ids.length) }));
    back.type = "button";
    back.addEventListener("click", toList);
    box.appendChild(back);
    box.appendChild(list.popupOf(list.s, i));
    onEscape(box, toList);
    L.popup().setLatLng(at).setContent(box).openOn(list.map);
    back.focus({ preventScroll: true });
  }

  // Escape inside a popup runs ``fn`` instead of Leaflet's closing it.
  function onEscape(box, fn) {
    box.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      e.preventDefault();
      e.stopPropagation();
      fn();
    });
  }

  return { setup, drawnMask, items, crowds, members };
})();
