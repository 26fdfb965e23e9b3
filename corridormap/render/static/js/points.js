// Point symbols of every overlay (seats, stations, stops, enclaves, places and the single points of
// the organisation lists) on one layer: symbols that would overlap are drawn as one stack, which
// spreads its members out in a ring on click (or Enter), each reachable on its own.
// Symbols are arranged over the view and REACH of its size beyond each side, in layer pixels (which
// a pan leaves as they are): a pan that stays within that region moves nothing but the map pane
// (covers()). A symbol is made when it is within MARGIN of the view at a redraw, or when a move
// brings it within AHEAD (a drag shows the symbols coming in as they will be).
// Receives the map's view (view.js). Fires "cm:points" {boxes} after each redraw (where symbols
// are drawn, [x0, y0, x1, y1] in layer pixels, for the city labels, the homes' names and the edge
// signs to keep clear of) and "cm:pick" {id, add} when a symbol is clicked. Listens to "cm:day"
// {day} (what the time slider shows), move (symbols coming into view made), zoomstart and click (a
// spread stack closes).
CM.points = (() => {
  const { el, ui } = CM.text;
  const RADIUS = { seat: 6, station: 7, stop: 5, enclave: 9, place: 9, org: 7 };
  const radius = (item) => item.r || RADIUS[item.symbol] || 7;
  const keyOf = (members) => members.map((m) => m.id).sort().join("|");
  // The region arranged reaches this share of the view's width (height) beyond its left and right
  // (top and bottom) edges. A pan within it arranges nothing: 400 x 250 px pans at zoom 9 with
  // 44,200 firms took 26-34 ms of handlers when each pan arranged the view anew, 16-19 ms with the
  // region (the rest: placing the labels and signs); the pan that leaves the region arranges about
  // four views' symbols at once (bench/RESULTS.txt, "Pans that stay within the arranged region").
  const REACH = 0.5;
  const MARGIN = 40;  // px: a symbol this far out of the view still shows part of itself
  // px: a symbol arranged this near the view is made on a move (in a drag, before it comes into
  // view); at a redraw, those within MARGIN. The rest of the region is made only as moves bring it
  // near. Made when the page was idle instead, they were 475 markers against 304 at zoom 9 over the
  // centre, each a compositing layer of the browser's, for the same moves drawn (bench/RESULTS.txt).
  const AHEAD = 120;

  class PointLayer {
    constructor(view) {
      this.view = view;
      this.map = view.map;
      this.day = null;
      this.layer = L.layerGroup().addTo(view.map);
      this.legs = L.layerGroup().addTo(view.map);
      this.fixed = [];
      this.dynamic = {};
      this.drawn = new Map();  // stack or item key -> {marker, members}
      this.spider = null;  // the stack spread out: {key, stack, markers}
      this.boxes = [];
      this.region = null;  // {zoom, rect}: what the last redraw arranged, in layer pixels
      this.later = [];  // [key, members, symbol] arranged but not near the view yet, not made
      this.map.on("cm:day", (e) => { this.day = e.day; });
      this.map.on("move", () => { if (this.region && this.region.zoom === this.map.getZoom()) this.bringIn(AHEAD); });
      this.map.on("zoomstart", () => this.collapse());
      this.map.on("click", () => this.collapse());
      document.addEventListener("keydown", (e) => { if (e.key === "Escape") this.collapse(); });
    }

    get reach() { return REACH; }

    add(items) { this.fixed.push(...items); }

    setDynamic(source, items) { this.dynamic[source] = items; }

    visible() {
      const all = this.fixed.concat(...Object.values(this.dynamic));
      return all.filter((it) => (it.groups || [it.group]).some((g) => this.map.hasLayer(g)) &&
        CM.timeline.shown(it.opened, this.day));
    }

    // The view in layer pixels [x0, y0, x1, y1], widened by `reach` of its size and `margin` px
    // on each side.
    viewRect(reach, margin) {
      const size = this.map.getSize(), o = this.map.containerPointToLayerPoint([0, 0]);
      const dx = reach * size.x + margin, dy = reach * size.y + margin;
      return [o.x - dx, o.y - dy, o.x + size.x + dx, o.y + size.y + dy];
    }

    // Whether the symbols arranged last still cover the view as it is now (same zoom, the view
    // within the region arranged): a pan then needs no redraw.
    covers() {
      const r = this.region, v = this.viewRect(0, MARGIN);
      return !!r && r.zoom === this.map.getZoom() && v[0] >= r.rect[0] && v[1] >= r.rect[1] && v[2] <= r.rect[2] && v[3] <= r.rect[3];
    }

    // Symbols in the view and REACH beyond it, arranged so that none overlaps another
    // (CM.groups.arrange): point symbols of any layer that would overlap are one stack; a count
    // symbol is never joined to another layer's symbols but moved aside. Markers kept across
    // redraws by key; those not within AHEAD of the view made when a move brings them near:
    // making them all at once made each zoom about 15 ms slower (bench/RESULTS.txt, "Pans that
    // stay within the arranged region").
    redraw() {
      const keep = new Set(), rect = this.viewRect(REACH, MARGIN), near = this.viewRect(0, MARGIN);
      const items = this.visible();
      items.forEach((it) => { it.px = this.map.latLngToLayerPoint(it.at || this.view.place(it.lat, it.lon)); });
      const inView = items.filter((it) => it.px.x > rect[0] && it.px.y > rect[1] && it.px.x < rect[2] && it.px.y < rect[3]);
      this.region = { zoom: this.map.getZoom(), rect };
      this.boxes = [];
      this.later = [];
      arranged(inView).forEach(({ members, symbol }) => {
        const key = keyOf(members), h = half(symbol);
        keep.add(key);
        this.boxes.push([symbol.x - h, symbol.y - h, symbol.x + h, symbol.y + h]);
        if (this.drawn.has(key) || within(near, symbol)) this.place(key, members, symbol);
        else this.later.push([key, members, symbol]);
      });
      this.drawn.forEach((entry, key) => {
        if (keep.has(key) || (this.spider && this.spider.key === key)) return;
        entry.marker.remove();
        this.drawn.delete(key);
      });
      if (this.spider && !keep.has(this.spider.key)) this.collapse();
      this.reachable();
      this.map.fire("cm:points", { boxes: this.boxes.slice() });
    }

    // The symbols arranged that a move has brought within margin px of the view, made.
    bringIn(margin) {
      if (!this.later.length) return;
      const near = this.viewRect(0, margin);
      this.later = this.later.filter(([key, members, symbol]) => {
        if (!within(near, symbol)) return true;
        this.place(key, members, symbol);
        return false;
      });
    }

    // The keyboard reaches the symbols in the free view only (those beyond it, and those under a
    // panel, are skipped by Tab); the symbols a pan brought near are made first.
    reachable() {
      this.bringIn(MARGIN);
      const f = this.view.freeRect(), o = this.map.containerPointToLayerPoint([0, 0]);
      const v = [o.x + f[0], o.y + f[1], o.x + f[2], o.y + f[3]];
      this.drawn.forEach(({ marker }) => {
        const node = marker.getElement();
        if (!node) return;
        const p = this.map.latLngToLayerPoint(marker.getLatLng());
        const inside = p.x >= v[0] && p.y >= v[1] && p.x <= v[2] && p.y <= v[3];
        if (node.tabIndex !== (inside ? 0 : -1)) node.tabIndex = inside ? 0 : -1;
      });
    }

    // A marker for each single symbol or stack, kept while its members stay the same; a count
    // symbol moved aside is drawn where it was placed.
    place(key, members, symbol) {
      const single = members.length === 1, entry = this.drawn.get(key);
      const at = symbol.moved ? this.map.layerPointToLatLng([symbol.x, symbol.y])
        : members[0].at || this.view.place(members[0].lat, members[0].lon);
      if (entry) {
        // Moved only when it moves: setLatLng makes an open popup re-check its place, and that
        // popup's autopan would start the next redraw.
        if (entry.marker.getLatLng().distanceTo(at) > (single ? 0.01 : 1)) entry.marker.setLatLng(at);
        return;
      }
      const marker = single ? singleMarker(this.view, members[0], at) : this.stackMarker(members, at, symbol.h);
      this.drawn.set(key, { marker, members });
      marker.addTo(this.layer);
    }

    // A stack: a square over its first member's place, showing their number; opens when clicked.
    stackMarker(members, at, h) {
      const names = members.map((m) => m.name);
      const title = ui("hereCount", { n: members.length }) + ": " + names.slice(0, 8).join("; ") +
        (names.length > 8 ? " " + ui("more", { n: names.length - 8 }) : "");
      const marker = L.marker(at, {
        pane: "cmPoints", keyboard: true, autoPanOnFocus: false, title,
        icon: L.divIcon({ className: "cm-stack", iconSize: [2 * h, 2 * h], html: el("span", "cm-stack-count", members.length) }),
      });
      marker.bindTooltip(() => stackTooltip(members), { direction: "top", offset: [0, -h], className: "cm-tip-list" });
      marker.on("tooltipopen", (e) => keepClear(this.view, e.tooltip, 2 * h, 2 * h));
      const key = keyOf(members);
      marker.on("click", () => this.openStack(key, members, marker));
      marker.on("keypress", (e) => { if (e.originalEvent.key === "Enter") this.openStack(key, members, marker, true); });
      return marker;
    }

    // Members that share one spot spread out in a ring; members apart from each other are shown
    // by zooming in until they part (as a cluster's click does).
    openStack(key, members, marker, focus) {
      const spots = members.map((m) => m.at || L.latLng(m.lat, m.lon));  // a count symbol has its place
      const lats = spots.map((ll) => ll.lat), lons = spots.map((ll) => ll.lng);
      const south = Math.min(...lats), north = Math.max(...lats), west = Math.min(...lons), east = Math.max(...lons);
      const apart = north - south > 3e-4 || east - west > 3e-4;  // more than ~30 m
      const z = Math.floor(this.map.getZoom()), max = this.map.getMaxZoom();
      if (apart && z < max) {
        const fitted = this.map.getBoundsZoom(L.latLngBounds([south, west], [north, east]).pad(0.5));
        const target = Math.min(max, Math.max(z + 1, Math.min(fitted, z + 3)));
        const at = this.view.place((south + north) / 2, (west + east) / 2);
        this.view.whenStill(() => this.map.setView(at, target, { animate: false }));
        return;
      }
      this.fanOut(key, members, marker, focus);
    }

    // The members in a ring around the stack, a leg to each one's true position; the map first
    // moves the stack clear of the panels when the ring would reach under them.
    fanOut(key, members, stack, focus) {
      this.collapse();
      stack.closeTooltip();
      const n = members.length, r = Math.max(34, (n * 22) / (2 * Math.PI));
      const c = this.clearOfPanels(stack.getLatLng(), r + 12), markers = [];
      stack.getElement().classList.add("cm-stack-open");
      members.forEach((m, k) => {
        const a = -Math.PI / 2 + (2 * Math.PI * k) / n;
        const at = this.map.containerPointToLatLng([c.x + r * Math.cos(a), c.y + r * Math.sin(a)]);
        L.polyline([m.at || this.view.place(m.lat, m.lon), at], { pane: "cmSpider", color: "#222", weight: 1.5, interactive: false })
          .addTo(this.legs);
        const marker = singleMarker(this.view, m, at, "cmSpider").addTo(this.legs);
        markers.push(marker);
      });
      this.spider = { key, stack, markers };
      if (focus && markers[0].getElement()) markers[0].getElement().focus();
    }

    // Pan so that a circle of radius r around latlng lies in the free part of the map; its centre.
    clearOfPanels(latlng, r) {
      const free = this.view.freeRect(), c = this.map.latLngToContainerPoint(latlng);
      const dx = Math.max(0, free[0] + r - c.x) - Math.max(0, c.x + r - free[2]);
      const dy = Math.max(0, free[1] + r - c.y) - Math.max(0, c.y + r - free[3]);
      if (!dx && !dy) return c;
      this.map.panBy([-dx, -dy], { animate: false });
      return this.map.latLngToContainerPoint(latlng);
    }

    collapse() {
      if (!this.spider) return;
      this.legs.clearLayers();
      const element = this.spider.stack.getElement();
      if (element) element.classList.remove("cm-stack-open");
      this.spider = null;
    }

    // Every symbol arranged, made now (those not near the view too).
    makeLater() {
      this.later.forEach(([key, members, symbol]) => this.place(key, members, symbol));
      this.later = [];
    }

    // Open an item's popup where it is drawn, spreading out the stack it is in first.
    open(id) {
      this.makeLater();
      for (const [key, entry] of this.drawn) {
        const k = entry.members.findIndex((m) => m.id === id || (m.ids && m.ids.includes(id)));
        if (k < 0) continue;
        if (entry.members.length === 1) { entry.marker.openPopup(); return true; }
        this.fanOut(key, entry.members, entry.marker);
        this.spider.markers[k].openPopup();
        return true;
      }
      return false;
    }
  }

  // A stack's list tooltip on the side of the stack where it lies wholly in the free part of the
  // map (above it, else below, left or right; else the side that leaves the most of it in view).
  function keepClear(view, tooltip, w, h) {
    const node = tooltip.getElement(), map = view.map;
    if (!node) return;
    const free = view.freeRect();
    const frame = map.getContainer().getBoundingClientRect();
    const sides = [["top", [0, -h / 2]], ["bottom", [0, h / 2]], ["left", [-w / 2, 0]], ["right", [w / 2, 0]]];
    let best = null, bestOut = Infinity;
    for (const [direction, offset] of sides) {
      Object.assign(tooltip.options, { direction, offset });
      tooltip.update();
      const r = node.getBoundingClientRect(), x0 = r.left - frame.left, y0 = r.top - frame.top;
      const out = Math.max(0, free[0] - x0) + Math.max(0, x0 + r.width - free[2]) +
        Math.max(0, free[1] - y0) + Math.max(0, y0 + r.height - free[3]);
      if (out === 0) return;
      if (out < bestOut) { best = [direction, offset]; bestOut = out; }
    }
    Object.assign(tooltip.options, { direction: best[0], offset: best[1] });
    tooltip.update();
  }

  function stackTooltip(members) {
    const box = el("div");
    box.appendChild(el("strong", null, ui("hereCount", { n: members.length })));
    const ul = el("ul", "cm-list");
    members.slice(0, 8).forEach((m) => ul.appendChild(el("li", null, m.name + (m.kindLabel ? " (" + m.kindLabel + ")" : ""))));
    if (members.length > 8) ul.appendChild(el("li", null, ui("more", { n: members.length - 8 })));
    box.appendChild(ul);
    return box;
  }

  // A symbol's own marker (a single point, or a member of a spread-out stack). A count symbol
  // opens (zooms in, or lists its points) instead of having a popup.
  function singleMarker(view, it, at, pane) {
    const r = radius(it), cluster = it.symbol === "cluster";
    const shape = cluster ? el("span", null, it.count) : el("span", "cm-shape");
    if (it.colour) shape.style.background = it.colour;
    const loose = !cluster && CM.popup.precisionOf(it.precision).ref ? " cm-loose" : "";
    const marker = L.marker(at || it.at || view.place(it.lat, it.lon), {
      // Count symbols under the city labels, point symbols over them (no two overlap either way).
      pane: pane || (cluster ? "cmClusters" : "cmPoints"), keyboard: true, autoPanOnFocus: false, title: it.name,
      icon: L.divIcon({ className: cluster ? "cm-cluster" + (it.area ? " cm-cluster-area" : "") : "cm-sym cm-sym-" + it.symbol + loose, iconSize: [2 * r, 2 * r],
                        html: shape }),
    });
    marker.bindTooltip(() => el("span", null, it.name), { direction: "top", offset: [0, -r] });
    if (cluster) {
      marker.on("click", () => it.open(marker));
      marker.on("keypress", (e) => { if (e.originalEvent.key === "Enter") it.open(marker); });
    } else {
      marker.bindPopup(() => it.popup());
      marker.on("click", (e) => view.map.fire("cm:pick", { id: it.id, add: !!(e.originalEvent && e.originalEvent.shiftKey) }));
    }
    return marker;
  }

  const half = (s) => (s.h === undefined ? s.r : s.h);
  const within = (r, s) => s.x >= r[0] && s.y >= r[1] && s.x <= r[2] && s.y <= r[3];
  const arranged = (items) => CM.groups.onScreen(items, radius);

  return { create: (view) => new PointLayer(view), RADIUS };
})();
