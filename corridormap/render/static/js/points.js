// Point symbols of every overlay (seats, stations, stops, enclaves, places and the single points of
// the organisation lists) on one layer: symbols that would overlap are drawn as one stack, which
// spreads its members out in a ring on click (or Enter), each reachable on its own.
CM.points = (() => {
  const { el, ui } = CM.text;
  const RADIUS = { seat: 6, station: 7, stop: 5, enclave: 9, place: 9, org: 7 };
  const CELL = 24;

  function create(ctx) {
    const { map } = ctx, layer = L.layerGroup().addTo(map), legs = L.layerGroup().addTo(map);
    const fixed = [], dynamic = {}, drawn = new Map();
    let spider = null, boxes = [];

    function visible() {
      const all = fixed.concat(...Object.values(dynamic));
      return all.filter((it) => map.hasLayer(it.group) && CM.timeline.shown(it.opened, ctx.day));
    }

    function redraw() {
      const items = visible(), size = map.getSize();
      items.forEach((it) => { it.px = map.latLngToContainerPoint(ctx.place(it.lat, it.lon)); });
      const inView = items.filter((it) => it.px.x > -40 && it.px.y > -40 && it.px.x < size.x + 40 && it.px.y < size.y + 40);
      const groups = overlapGroups(inView), keep = new Set();
      boxes = [];
      groups.forEach((members) => {
        const key = members.map((m) => m.id).sort().join("|");
        keep.add(key);
        const box = membersBox(members);
        boxes.push(box);
        let entry = drawn.get(key);
        if (!entry) {
          entry = { marker: members.length === 1 ? singleMarker(ctx, members[0]) : stackMarker(members, box), members };
          drawn.set(key, entry);
          entry.marker.addTo(layer);
        } else {
          entry.marker.setLatLng(members.length === 1 ? ctx.place(members[0].lat, members[0].lon) : boxCentre(box));
        }
      });
      drawn.forEach((entry, key) => {
        if (!keep.has(key) && !(spider && spider.key === key)) { entry.marker.remove(); drawn.delete(key); }
      });
      if (spider && !keep.has(spider.key)) collapse();
      map.fire("cm:points");
    }

    function boxCentre(box) {
      return map.containerPointToLatLng([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2]);
    }

    // A stack: covers its members' symbols and shows their number; spreads them out when clicked.
    function stackMarker(members, box) {
      const w = Math.max(20, box[2] - box[0]), h = Math.max(20, box[3] - box[1]);
      const names = members.map((m) => m.name);
      const label = ui("hereCount", { n: members.length }) + ": " + names.slice(0, 8).join("; ") +
        (names.length > 8 ? " " + ui("more", { n: names.length - 8 }) : "");
      const marker = L.marker(boxCentre(box), {
        pane: "cmPoints", keyboard: true, title: label,
        icon: L.divIcon({ className: "cm-stack", iconSize: [w, h], html: el("span", "cm-stack-count", members.length) }),
      });
      marker.bindTooltip(() => stackTooltip(members), { direction: "top", offset: [0, -h / 2], className: "cm-tip-list" });
      const key = members.map((m) => m.id).sort().join("|");
      marker.on("click", () => openStack(key, members, marker));
      marker.on("keypress", (e) => { if (e.originalEvent.key === "Enter") openStack(key, members, marker, true); });
      return marker;
    }

    // Members that share one spot spread out in a ring; members apart from each other are shown
    // by zooming in until they part (as a cluster's click does).
    function openStack(key, members, marker, focus) {
      const lats = members.map((m) => m.lat), lons = members.map((m) => m.lon);
      const south = Math.min(...lats), north = Math.max(...lats), west = Math.min(...lons), east = Math.max(...lons);
      const apart = (north - south) > 3e-4 || (east - west) > 3e-4;  // more than ~30 m
      const z = map.getZoom(), fitted = map.getBoundsZoom(L.latLngBounds([south, west], [north, east]).pad(0.5));
      if (apart && z < map.getMaxZoom()) {
        const target = Math.min(map.getMaxZoom(), Math.max(Math.floor(z) + 1, Math.min(fitted, Math.floor(z) + 3)));
        map.setView(ctx.place((south + north) / 2, (west + east) / 2), target);
        return;
      }
      fanOut(key, members, marker, focus);
    }

    function stackTooltip(members) {
      const box = el("div");
      box.appendChild(el("strong", null, ui("hereCount", { n: members.length })));
      const ul = el("ul", "cm-list");
      members.slice(0, 8).forEach((m) => ul.appendChild(el("li", null, m.name)));
      if (members.length > 8) ul.appendChild(el("li", null, ui("more", { n: members.length - 8 })));
      box.appendChild(ul);
      return box;
    }

    // The members in a ring around the stack, a leg to each one's true position; the map first
    // moves the stack clear of the panels when the ring would reach under them.
    function fanOut(key, members, stack, focus) {
      collapse();
      stack.closeTooltip();
      const n = members.length, r = Math.max(34, (n * 22) / (2 * Math.PI)), free = ctx.freeRect();
      let c = map.latLngToContainerPoint(stack.getLatLng());
      const dx = Math.max(0, free[0] + r + 12 - c.x) - Math.max(0, c.x + r + 12 - free[2]);
      const dy = Math.max(0, free[1] + r + 12 - c.y) - Math.max(0, c.y + r + 12 - free[3]);
      if (dx || dy) {
        map.panBy([-dx, -dy], { animate: false });
        c = map.latLngToContainerPoint(stack.getLatLng());
      }
      const markers = [];
      stack.getElement().classList.add("cm-stack-open");
      members.forEach((m, k) => {
        const a = -Math.PI / 2 + (2 * Math.PI * k) / n;
        const at = map.containerPointToLatLng([c.x + r * Math.cos(a), c.y + r * Math.sin(a)]);
        L.polyline([ctx.place(m.lat, m.lon), at], { pane: "cmSpider", color: "#222", weight: 1.5, interactive: false }).addTo(legs);
        const marker = singleMarker(ctx, m, at, "cmSpider");
        marker.addTo(legs);
        markers.push(marker);
      });
      spider = { key, stack, markers };
      if (focus && markers[0].getElement()) markers[0].getElement().focus();
    }

    function collapse() {
      if (!spider) return;
      legs.clearLayers();
      const element = spider.stack.getElement();
      if (element) element.classList.remove("cm-stack-open");
      spider = null;
    }

    map.on("zoomstart", collapse);
    map.on("click", (e) => { if (!e.originalEvent || !e.originalEvent.defaultPrevented) collapse(); });
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") collapse(); });

    // Where symbols are drawn, for the city labels to keep clear of: [x0, y0, x1, y1] boxes.
    function occupied() {
      return boxes.slice();
    }

    // Open an item's popup where it is drawn, spreading out the stack it is in first.
    function open(id) {
      for (const [key, entry] of drawn) {
        const k = entry.members.findIndex((m) => m.id === id);
        if (k < 0) continue;
        if (entry.members.length === 1) { entry.marker.openPopup(); return true; }
        fanOut(key, entry.members, entry.marker);  // (search has zoomed in already)
        spider.markers[k].openPopup();
        return true;
      }
      return false;
    }

    return {
      add: (items) => { fixed.push(...items); },
      open,
      setDynamic: (source, items) => { dynamic[source] = items; },
      redraw, occupied, collapse,
      items: () => fixed,
      drawnCount: () => drawn.size,
    };
  }

  // A symbol's own marker (a single point, or a member of a spread-out stack).
  function singleMarker(ctx, it, at, pane) {
    const r = RADIUS[it.symbol] || 7, shape = el("span", "cm-shape");
    if (it.colour) shape.style.background = it.colour;
    const loose = CM.popup.precisionOf(it.precision).ref ? " cm-loose" : "";
    const marker = L.marker(at || ctx.place(it.lat, it.lon), {
      pane: pane || "cmPoints", keyboard: true, title: it.name,
      icon: L.divIcon({ className: "cm-sym cm-sym-" + it.symbol + loose, iconSize: [2 * r, 2 * r], html: shape }),
    });
    marker.bindTooltip(() => el("span", null, it.name), { direction: "top", offset: [0, -r] });
    marker.bindPopup(() => it.popup(), it.popupOptions || {});
    marker.on("popupopen", () => { if (it.onOpen) it.onOpen(); });
    return marker;
  }

  // Items whose symbols overlap, joined (union-find over a grid of the screen).
  function overlapGroups(items) {
    const parent = items.map((_, i) => i), grid = new Map();
    const find = (i) => { while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; } return i; };
    items.forEach((it, i) => {
      const cx = Math.floor(it.px.x / CELL), cy = Math.floor(it.px.y / CELL), r = RADIUS[it.symbol] || 7;
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const j of grid.get((cx + dx) + "," + (cy + dy)) || []) {
            const o = items[j], d = Math.hypot(o.px.x - it.px.x, o.px.y - it.px.y);
            // Stacked when one symbol would cover the other's centre (where a reader points at it);
            // symbols that only touch stay apart, each clickable at its own place.
            if (d < Math.max(r, RADIUS[o.symbol] || 7) + 2) parent[find(i)] = find(j);
          }
        }
      }
      const k = cx + "," + cy;
      if (!grid.has(k)) grid.set(k, []);
      grid.get(k).push(i);
    });
    const out = new Map();
    items.forEach((it, i) => {
      const root = find(i);
      if (!out.has(root)) out.set(root, []);
      out.get(root).push(it);
    });
    return Array.from(out.values());
  }

  function membersBox(members) {
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    members.forEach((m) => {
      const r = RADIUS[m.symbol] || 7;
      box[0] = Math.min(box[0], m.px.x - r); box[1] = Math.min(box[1], m.px.y - r);
      box[2] = Math.max(box[2], m.px.x + r); box[3] = Math.max(box[3], m.px.y + r);
    });
    return box;
  }

  return { create, RADIUS, overlapGroups };
})();
