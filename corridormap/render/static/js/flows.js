// The innovation enclaves as flows: a curved line (its geometry computed in Python, the same as
// `corridormap export` writes) from each home city to its enclave, an arrowhead at the enclave,
// its width by the companies in the enclave where a source gives them. Homes outside the nine
// cities are labelled points. A line's tooltip names both ends; a click opens the enclave.
// Receives the map's view (view.js), the payload, the flows' overlay group and popupOf(id), the
// popup content of a point item (the enclave's). Listens to zoomend and cm:datum (the lines cut
// again), overlay changes, "cm:points" {boxes} (the symbols' boxes) and "cm:labels" {boxes} (the
// city names' boxes: the homes' names and signs placed after them, clear of both).
CM.flows = (() => {
  const { el, ui } = CM.text;
  const COLOUR = "#6a3d9a", UNKNOWN = 1.75, HOME_LABEL_ZOOM = 7, END_GAP = 12;  // px from the host point
  // A line takes the pointer from this many px past its home: a click beside a city's seat, where
  // every flow from that city starts, opens the city (or the seat), not one of its enclaves. HIT:
  // the width of the invisible line that takes the pointer (its round end reaches half of it further).
  const HOME_GAP = 16, HIT = 14;

  const width = (companies) => (companies ? Math.min(9, 2 + 1.4 * Math.sqrt(companies)) : UNKNOWN);

  // One SVG arrowhead for every line, in the SVG element the flows are drawn in (sized by the line's width).
  function arrowhead(svg) {
    if (!svg || svg.querySelector("#cm-flow-arrow")) return;
    const ns = "http://www.w3.org/2000/svg";
    const defs = document.createElementNS(ns, "defs"), marker = document.createElementNS(ns, "marker");
    const attrs = { id: "cm-flow-arrow", viewBox: "0 0 10 10", refX: "7", refY: "5", markerWidth: "3.2",
                    markerHeight: "3.2", orient: "auto" };
    Object.keys(attrs).forEach((k) => marker.setAttribute(k, attrs[k]));
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M0,0 L10,5 L0,10 z");
    path.setAttribute("fill", COLOUR);
    marker.appendChild(path);
    defs.appendChild(marker);
    svg.insertBefore(defs, svg.firstChild);
  }

  // The line as drawn: its full course (from the data, shifted with the datum) less its last
  // END_GAP px on screen plus the arrowhead's overshoot (0.96 of the width past the line's end), so
  // that the arrow's tip stops a few pixels before the enclave's symbol at every zoom.
  function trimmed(map, latlngs, w, gap = END_GAP + 0.96 * w) {
    const pts = latlngs.map((ll) => map.latLngToLayerPoint(ll));
    let left = gap;
    for (let i = pts.length - 1; i > 0; i -= 1) {
      const step = pts[i].distanceTo(pts[i - 1]);
      if (step >= left) {
        const p = pts[i].add(pts[i - 1].subtract(pts[i]).multiplyBy(left / step));
        return latlngs.slice(0, i).concat([map.layerPointToLatLng(p)]);
      }
      left -= step;
    }
    return latlngs.slice(0, 1);
  }

  // The function that cuts a flow's lines to its full course (in the basemap's datum) as drawn now:
  // the drawn line before the enclave (trimmed), the pointer's line also HOME_GAP px past the home.
  function trimmer(view, f, line, hit, w) {
    const map = view.map;
    return () => {
      const full = f.coords.map(([lat, lon]) => view.place(lat, lon));
      line.setLatLngs(trimmed(map, full, w));
      hit.setLatLngs(trimmed(map, trimmed(map, full, w, END_GAP).reverse(), w, HOME_GAP + HIT / 2).reverse());
    };
  }

  function create(view, data, group, popupOf) {
    const map = view.map, lines = {};
    if (!group) return { lines };
    const renderer = L.svg({ pane: "cmRoutes" });
    data.flows.lines.forEach((f) => {
      const w = width(f.companies);
      const line = L.polyline(f.coords, {
        pane: "cmRoutes", renderer, color: COLOUR, weight: w, opacity: 0.85, interactive: false,
        dashArray: f.companies ? null : "6 5", className: "cm-flow",
      }).addTo(group);
      const hit = L.polyline(f.coords, { pane: "cmRoutes", renderer, weight: HIT, opacity: 0,
                                         className: "cm-flow-hit", bubblingMouseEvents: false }).addTo(group);
      const label = ui("flowTo").split("{home}").join(f.homeName).split("{enclave}").join(f.enclaveName);
      hit.bindTooltip(() => el("span", null, label), { sticky: true, direction: "top", offset: [0, -6], className: "cm-flow-tip" });
      const trim = trimmer(view, f, line, hit, w);
      hit.on("click", (e) => openEnclave(map, popupOf, f, e.latlng));
      const decorate = () => {
        const node = line.getElement();
        if (node) {
          arrowhead(node.ownerSVGElement);
          node.setAttribute("marker-end", "url(#cm-flow-arrow)");
        }
        if (hit.getElement()) CM.areas.enterOpens(hit, () => openEnclave(map, popupOf, f, line.getLatLngs().slice(-1)[0]));
      };
      hit.on("add", decorate);
      lines[f.id] = { record: f, line, hit, decorate, trim };
    });
    // The gap before the arrow is in pixels: the drawn line is cut again at each zoom and datum.
    const trimAll = () => Object.values(lines).forEach(({ trim }) => trim());
    map.on("zoomend cm:datum", trimAll);
    map.whenReady(trimAll);
    const dots = data.flows.homes.map((h) => {
      const at = view.place(h.lat, h.lon);
      const dot = L.circleMarker(at, { pane: "cmRoutes", renderer, radius: 5, color: "#fff", weight: 2,
                                       fillColor: COLOUR, fillOpacity: 1, interactive: false });
      dot.bindTooltip(el("span", null, h.name), { permanent: true, direction: "top", className: "cm-home-label", offset: [0, -5] });
      return group.addLayer(dot) && dot;
    });
    const tips = dots.map((dot) => dot.getTooltip());
    if (map.hasLayer(group)) Object.values(lines).forEach(({ decorate }) => decorate());
    // Below zoom 7 a home's name would lie over the corridor cities' own: its point stays, unnamed.
    const small = () => map.getContainer().classList.toggle("cm-homes-small", map.getZoom() < HOME_LABEL_ZOOM);
    map.on("zoomend", small);
    small();
    // The homes' names, then the signs, placed each time the city labels are ("cm:labels": after
    // each move) or the flows are switched: once for all the events of one task.
    const drawn = keptBoxes(map), signs = edgeLabels(view, group, Object.values(lines), dots, drawn);
    map.on("cm:labels overlayadd overlayremove", CM.view.afterEvents(() => {
      fitHomeLabels(map, tips, drawn);
      signs();
    }));
    map.whenReady(signs);
    return { lines };
  }

  // Where a line's course (container points, its home first) last comes into the free view, on the
  // view's border, and the side it crosses: null when its end is out of view or its home in view.
  // inside(p) is the free view less the controls, r = [x0, y0, x1, y1] its border.
  function entry(pts, inside, r) {
    let k = pts.length - 1;
    if (!inside(pts[k])) return null;
    while (k > 0 && inside(pts[k - 1])) k -= 1;
    if (k === 0) return null;
    const a = pts[k - 1], d = pts[k].subtract(a);
    let t = 0, side = "top";  // Liang-Barsky: the segment enters the rectangle at the largest entering t
    [[-d.x, a.x - r[0], "left"], [d.x, r[2] - a.x, "right"], [-d.y, a.y - r[1], "top"], [d.y, r[3] - a.y, "bottom"]]
      .forEach(([p, q, s]) => { if (p < 0 && q / p > t) { t = q / p; side = s; } });
    const n = Math.max(1, Math.ceil(d.distanceTo(L.point(0, 0)) / 2));  // then past any control, 2 px a step
    for (let i = Math.ceil(t * n); i <= n; i += 1) {
      const p = a.add(d.multiplyBy(i / n));
      if (inside(p)) return { p, side };
    }
    return { p: pts[k], side };
  }

  // A home out of view is named where its line comes into the view, at the view's edge like a
  // direction sign ("→ Huaibei"), the name on the view's side of the edge and wholly in the free
  // view (clear of the panels): one label per home, where its line last enters. A home whose point
  // is on the map (not under a panel) is named there, not by a sign. A sign lies over no label and
  // no symbol: moved along the edge to a free spot near its line, else left out. Returns the
  // function that places the signs.
  const INWARD = { top: "bottom", bottom: "top", left: "right", right: "left" };
  function edgeLabels(view, group, lines, dots, drawn) {
    const map = view.map, tips = {};  // by home name, kept across moves (a removed tooltip fades out)
    const tipOf = (name) => {
      tips[name] = tips[name] || L.tooltip({ permanent: true, className: "cm-home-edge", interactive: false })
        .setContent(el("span", null, ui("flowFrom").split("{home}").join(name)));
      return tips[name];
    };
    const place = () => {
      const room = viewRoom(view), named = new Set();
      const taken = room.controls.concat(drawn(), shownBoxes(map, ".leaflet-tooltip.cm-home-label"),
                                         dots.filter((d) => map.hasLayer(d)).map((d) => dotBox(map, d)));
      if (map.hasLayer(group)) lines.forEach(({ record, hit }) => {
        if (named.has(record.homeName) || room.shows(map.latLngToContainerPoint(view.place(...record.coords[0])))) return;
        const e = entry(hit.getLatLngs().map((ll) => map.latLngToContainerPoint(ll)), room.inside, room.inner);
        const box = e && signAt(map, tipOf(record.homeName), e, room.frame, taken);
        if (!box) return;
        named.add(record.homeName);
        taken.push(box);  // two homes' lines entering side by side: the later one moves or is left out
      });
      Object.keys(tips).forEach((name) => { if (!named.has(name)) tips[name].remove(); });
    };
    return place;
  }

  // The map's room for signs: the free view less 4 px (inner, container pixels), inside(p) (in it and
  // under no control), its frame on the page, the controls' boxes (page) and shows(p): is a
  // container point on the map and under no control (a home there is seen, and named, where it is).
  function viewRoom(view) {
    const map = view.map, r = view.freeRect(), size = map.getSize();
    const at = map.getContainer().getBoundingClientRect(), controls = [...map.getContainer()
      .querySelectorAll(".leaflet-control")].map((n) => n.getBoundingClientRect()).filter((b) => b.width);
    const under = (p) => controls.some((b) => p.x > b.left - at.left - 4 && p.x < b.right - at.left + 4 &&
                                              p.y > b.top - at.top - 4 && p.y < b.bottom - at.top + 4);
    const inner = [r[0] + 4, r[1] + 4, r[2] - 4, r[3] - 4];
    const inside = (p) => p.x >= inner[0] && p.y >= inner[1] && p.x <= inner[2] && p.y <= inner[3] && !under(p);
    const shows = (p) => p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y && !under(p);
    const frame = { left: at.left + inner[0], top: at.top + inner[1], right: at.left + inner[2], bottom: at.top + inner[3] };
    return { inner, inside, shows, frame, controls };
  }

  // The page boxes of what is drawn of selector (a hidden home's name has none).
  function shownBoxes(map, selector) {
    return [...map.getContainer().querySelectorAll(selector)].map((n) => placed(map, n)).filter(Boolean);
  }

  // The city names and the point symbols as last placed (their boxes as the events that placed them
  // gave them, in layer pixels): a function giving them as page boxes now. Read from the events,
  // not off the page: reading a hundred symbols' boxes forced a layout on every pan (6 ms of it).
  function keptBoxes(map) {
    let symbols = [], labels = [];
    map.on("cm:points", (e) => { symbols = e.boxes; });
    map.on("cm:labels", (e) => { labels = e.boxes || []; });
    return () => {
      const at = map.getContainer().getBoundingClientRect(), o = map.layerPointToContainerPoint([0, 0]);
      const x = at.left + o.x, y = at.top + o.y;
      return labels.concat(symbols).map((b) => ({ left: x + b[0], top: y + b[1], right: x + b[2], bottom: y + b[3] }));
    };
  }

  // A marker's or tooltip's box on the page where Leaflet has put it (L.DomUtil.setPosition), not
  // where a zoom's transition may still be drawing it (a box read then lay 20 px off, toward
  // where the symbol was before the zoom); null when it is not shown.
  function placed(map, node) {
    const pos = L.DomUtil.getPosition(node), size = node.getBoundingClientRect();  // its size (a move keeps it)
    if (!size.width || !pos) return null;
    const p = map.layerPointToContainerPoint(pos), at = map.getContainer().getBoundingClientRect(), css = getComputedStyle(node);
    const left = at.left + p.x + (parseFloat(css.marginLeft) || 0), top = at.top + p.y + (parseFloat(css.marginTop) || 0);
    return { left, top, right: left + size.width, bottom: top + size.height };
  }

  // A home's point (radius 5, its white ring 2 px more) as a page box.
  function dotBox(map, dot) {
    const p = map.latLngToContainerPoint(dot.getLatLng()), at = map.getContainer().getBoundingClientRect();
    return { left: at.left + p.x - 7, top: at.top + p.y - 7, right: at.left + p.x + 7, bottom: at.top + p.y + 7 };
  }

  // The sign at the entry point, on the view's side of the edge, shifted along the edge into the
  // view where it would be cut (near a corner), then along the edge (up to SLIDE px, nearest
  // first) off the boxes taken: its box on the page, or null (removed) where no spot is free.
  const SLIDE = 40;
  function signAt(map, tip, e, frame, taken) {
    Object.assign(tip.options, { direction: INWARD[e.side], offset: [0, 0] });
    tip.setLatLng(map.containerPointToLatLng(e.p));  // placed anew when open
    if (!map.hasLayer(tip)) tip.addTo(map);
    const box = placed(map, tip.getElement());
    const dx = Math.max(0, frame.left - box.left) - Math.max(0, box.right - frame.right);
    const dy = Math.max(0, frame.top - box.top) - Math.max(0, box.bottom - frame.bottom);
    const along = e.side === "top" || e.side === "bottom";
    for (let s = 0; s <= SLIDE; s += 4) {
      for (const d of s ? [s, -s] : [0]) {
        const ox = dx + (along ? d : 0), oy = dy + (along ? 0 : d);
        const b = { left: box.left + ox, right: box.right + ox, top: box.top + oy, bottom: box.bottom + oy };
        if (b.left < frame.left || b.right > frame.right || b.top < frame.top || b.bottom > frame.bottom ||
            taken.some((t) => overlaps(t, b))) continue;
        if (ox || oy) {
          tip.options.offset = [ox, oy];
          tip.update();
        }
        return b;
      }
    }
    tip.remove();
    return null;
  }

  // A home's name never lies over a city's name, a point symbol nor past the map's edge: above its
  // point, else below, right or left of it (shifted along that side into the map near its edge),
  // else hidden (the point stays). The names are read together (one layout); only a name that
  // must move is tried side by side.
  const SIDES = [["top", [0, -5]], ["bottom", [0, 5]], ["right", [6, 0]], ["left", [-6, 0]]];
  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  function fitHomeLabels(map, tips, drawn) {
    if (map.getContainer().classList.contains("cm-homes-small")) return;  // no home is named
    const v = map.getContainer().getBoundingClientRect(), cities = drawn();
    const free = (box) => !!box && box.left >= v.left && box.top >= v.top && box.right <= v.right && box.bottom <= v.bottom &&
      !cities.some((c) => overlaps(box, c));
    const open = tips.filter((tip) => tip.getElement() && tip.isOpen());
    const stays = open.map((tip) => {
      const node = tip.getElement(), [direction, offset] = SIDES[0];
      return tip.options.direction === direction && String(tip.options.offset) === String(offset) &&
        !node.classList.contains("cm-home-hidden") && free(placed(map, node));
    });
    const size = map.getSize();
    open.forEach((tip, i) => {
      if (stays[i]) return;
      const node = tip.getElement(), p = map.latLngToContainerPoint(tip.getLatLng());
      node.classList.remove("cm-home-hidden");
      if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) node.classList.add("cm-home-hidden");  // an edge sign names it
      else if (!SIDES.some((side) => free(tryLabel(map, tip, node, side, v)))) node.classList.add("cm-home-hidden");
    });
  }

  // The home's name on one side of its point, moved along that side to lie within the view v where
  // the point is near its edge: the name's box on the page.
  function tryLabel(map, tip, node, [direction, offset], v) {
    Object.assign(tip.options, { direction, offset });
    tip.update();
    const box = placed(map, node), across = direction === "top" || direction === "bottom";
    const shift = across ? Math.max(0, v.left - box.left) - Math.max(0, box.right - v.right)
      : Math.max(0, v.top - box.top) - Math.max(0, box.bottom - v.bottom);
    if (!shift) return box;
    tip.options.offset = across ? [offset[0] + shift, offset[1]] : [offset[0], offset[1] + shift];
    tip.update();
    return placed(map, node);
  }

  // The enclave's own popup, its tip at the point of the line clicked (or at the arrow for the
  // keyboard): the enclave's stack is left as it is.
  function openEnclave(map, popupOf, f, at) {
    const content = popupOf(f.enclave);
    if (content) L.popup().setLatLng(at).setContent(content).openOn(map);
  }

  // The legend's rows: what a line means, its width, and the homes outside the nine.
  function legend(root, row, heading) {
    heading(root, ui("legendFlows"));
    row(root, "cm-key-flow", ui("flowSym"));
    row(root, "cm-key-flow cm-key-flow-wide", ui("flowWidth"));
    row(root, "cm-key-flow cm-key-flow-unknown", ui("flowUnknown"));
    row(root, "cm-key-home", ui("homeSym"));
  }

  return { create, legend, width };
})();
