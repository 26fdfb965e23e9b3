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
        view.keyOpens(hit, () => openEnclave(map, popupOf, f, line.getLatLngs().slice(-1)[0]));
      };
      hit.on("add", decorate);
      lines[f.id] = { record: f, line, hit, decorate, trim };
    });
    // The gap before the arrow is in pixels: the drawn line is cut again at each zoom and datum.
    const trimAll = () => Object.values(lines).forEach(({ trim }) => trim());
    map.on("zoomend cm:datum", trimAll);
    map.whenReady(trimAll);
    const homes = data.flows.homes.map((h) => homePoint(view, group, renderer, h));
    if (map.hasLayer(group)) Object.values(lines).forEach(({ decorate }) => decorate());
    // Below zoom 7 a home's name would lie over the corridor cities' own: its point stays, unnamed.
    const small = () => map.getContainer().classList.toggle("cm-homes-small", map.getZoom() < HOME_LABEL_ZOOM);
    map.on("zoomend", small);
    small();
    // The homes' names, then the signs, placed each time the city labels are ("cm:labels": after
    // each move) or the flows are switched: once for all the events of one task.
    const drawn = keptBoxes(map), signs = edgeLabels(view, group, Object.values(lines), homes);
    const place = () => {
      const taken = drawn();  // the city names and symbols, then the homes' names as they are placed
      fitHomeLabels(view, group, homes, taken);
      signs(taken);
    };
    map.on("cm:labels overlayadd overlayremove", CM.view.afterEvents(place));
    map.whenReady(place);
    return { lines };
  }

  // A home outside the nine: its point and its name (hidden until placed), in the flows' group.
  function homePoint(view, group, renderer, h) {
    const dot = L.circleMarker(view.place(h.lat, h.lon), { pane: "cmRoutes", renderer, radius: 5, color: "#fff", weight: 2,
                                                            fillColor: COLOUR, fillOpacity: 1, interactive: false });
    const name = nameMarker(h.name, "cm-home-label", [3, 0]);
    group.addLayer(dot).addLayer(name.marker);
    return { dot, name };
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
  // function that places the signs clear of boxes (the names and symbols placed, container pixels).
  const INWARD = { top: "bottom", bottom: "top", left: "right", right: "left" };
  function edgeLabels(view, group, lines, homes) {
    const map = view.map, signs = {};  // by home name, kept across moves (shown or hidden)
    const signOf = (name) => {
      signs[name] = signs[name] || nameMarker(ui("flowFrom").split("{home}").join(name), "cm-home-edge", [4, 1], true);
      return signs[name];
    };
    return (boxes) => {
      const room = viewRoom(view), named = new Set();
      const taken = room.controls.concat(boxes, homes.filter((h) => map.hasLayer(h.dot)).map((h) => dotBox(map, h.dot)));
      if (map.hasLayer(group)) lines.forEach(({ record, hit }) => {
        if (named.has(record.homeName) || room.shows(map.latLngToContainerPoint(view.place(...record.coords[0])))) return;
        const e = entry(hit.getLatLngs().map((ll) => map.latLngToContainerPoint(ll)), room.inside, room.inner);
        const box = e && signAt(map, group, signOf(record.homeName), e, room.inner, taken);
        if (!box) return;
        named.add(record.homeName);
        taken.push(box);  // two homes' lines entering side by side: the later one moves or is left out
      });
      Object.keys(signs).forEach((name) => { if (!named.has(name)) showName(group, signs[name], false); });
    };
  }

  // The map's room for signs (container pixels): the free view less 4 px (inner, [x0, y0, x1, y1]),
  // inside(p) (in it and under no control), the controls' boxes and shows(p): is a point on the
  // map and under no control (a home there is seen, and named, where it is).
  function viewRoom(view) {
    const map = view.map, r = view.freeRect(), size = map.getSize();
    const at = map.getContainer().getBoundingClientRect(), controls = [...map.getContainer()
      .querySelectorAll(".leaflet-control")].map((n) => n.getBoundingClientRect()).filter((b) => b.width)
      .map((b) => ({ left: b.left - at.left, top: b.top - at.top, right: b.right - at.left, bottom: b.bottom - at.top }));
    const under = (p) => controls.some((b) => p.x > b.left - 4 && p.x < b.right + 4 && p.y > b.top - 4 && p.y < b.bottom + 4);
    const inner = [r[0] + 4, r[1] + 4, r[2] - 4, r[3] - 4];
    const inside = (p) => p.x >= inner[0] && p.y >= inner[1] && p.x <= inner[2] && p.y <= inner[3] && !under(p);
    const shows = (p) => p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y && !under(p);
    return { inner, inside, shows, controls };
  }

  // The city names and the point symbols as last placed (their boxes as the events that placed them
  // gave them, in layer pixels): a function giving them as container boxes now. Read from the
  // events, not off the page: reading a hundred symbols' boxes forced a layout on every pan.
  function keptBoxes(map) {
    let symbols = [], labels = [];
    map.on("cm:points", (e) => { symbols = e.boxes; });
    map.on("cm:labels", (e) => { labels = e.boxes || []; });
    return () => {
      const o = map.layerPointToContainerPoint([0, 0]);
      return labels.concat(symbols).map((b) => ({ left: o.x + b[0], top: o.y + b[1], right: o.x + b[2], bottom: o.y + b[3] }));
    };
  }

  // A home's point (radius 5, its white ring 2 px more) as a container box.
  function dotBox(map, dot) {
    const p = map.latLngToContainerPoint(dot.getLatLng());
    return { left: p.x - 7, top: p.y - 7, right: p.x + 7, bottom: p.y + 7 };
  }

  // A name on the map whose size is known from its text (measured on a canvas in NAME_FONT, as
  // corridor.css sets it): a marker in the tooltip pane (over the symbols, as a tooltip is), its box
  // placed by arithmetic. Placing the names and signs as Leaflet tooltips read each one's size off
  // the page at every move and zoom (a layout forced each time). pad: [x, y] px inside its border.
  const NAME_FONT = '600 12px "Helvetica Neue", Arial, "Noto Sans CJK SC", sans-serif', NAME_LINE = 16;
  function nameMarker(text, className, pad, border) {
    const edge = border ? 1 : 0, w = CM.text.textWidth(text, NAME_FONT) + 2 * (pad[0] + edge), h = NAME_LINE + 2 * (pad[1] + edge);
    // Made hidden ("cm-name-off", also when its group is added again), shown once placed.
    const icon = L.divIcon({ className: className + " cm-name-off", html: el("span", null, text), iconSize: [w, h], iconAnchor: [0, 0] });
    return { marker: L.marker([0, 0], { pane: "tooltipPane", icon, interactive: false, keyboard: false }), w, h, box: null, shown: false };
  }

  // Name n shown in group with its box's top left corner d = [dx, dy] px from p, the container point
  // of ll: its box (container pixels).
  function setName(map, group, n, ll, p, d) {
    const icon = n.marker.options.icon, anchor = [-Math.round(d[0]), -Math.round(d[1])], old = icon.options.iconAnchor;
    if (!n.marker.getLatLng().equals(ll)) n.marker.setLatLng(ll);  // a home's name that stays: nothing written
    if (old[0] !== anchor[0] || old[1] !== anchor[1]) {  // a new element only when it moves beside its place
      icon.options.iconAnchor = anchor;
      n.marker.setIcon(icon);
    }
    n.box = { left: p.x - anchor[0], top: p.y - anchor[1], right: p.x - anchor[0] + n.w, bottom: p.y - anchor[1] + n.h };
    showName(group, n, true);
    return n.box;
  }

  // A name shown or hidden (kept in the group, hidden by a class: no element made anew at each move).
  function showName(group, n, on) {
    n.shown = on;
    if (on && !group.hasLayer(n.marker)) group.addLayer(n.marker);
    const node = n.marker.getElement();
    if (node) node.classList.toggle("cm-name-off", !on);
  }

  // Where a name's box of w x h lies from the point it names, on side (beside the point, as a
  // tooltip's direction) with offset [ox, oy]: its top left corner [dx, dy].
  function corner(side, w, h, [ox, oy]) {
    if (side === "top") return [ox - w / 2, oy - h];
    if (side === "bottom") return [ox - w / 2, oy];
    if (side === "right") return [ox, oy - h / 2];
    return [ox - w, oy - h / 2];
  }

  // The sign at the entry point, on the view's side of the edge, shifted along the edge into the
  // view where it would be cut (near a corner), then along the edge (up to SLIDE px, nearest
  // first) off the boxes taken: its box, or null (hidden) where no spot is free. frame: the room's
  // inner rectangle.
  const SLIDE = 40;
  function signAt(map, group, sign, e, frame, taken) {
    const d = corner(INWARD[e.side], sign.w, sign.h, [0, 0]);
    const left = e.p.x + d[0], top = e.p.y + d[1];
    const dx = Math.max(0, frame[0] - left) - Math.max(0, left + sign.w - frame[2]);
    const dy = Math.max(0, frame[1] - top) - Math.max(0, top + sign.h - frame[3]);
    const along = e.side === "top" || e.side === "bottom";
    for (let s = 0; s <= SLIDE; s += 4) {
      for (const step of s ? [s, -s] : [0]) {
        const ox = dx + (along ? step : 0), oy = dy + (along ? 0 : step);
        const b = { left: left + ox, right: left + ox + sign.w, top: top + oy, bottom: top + oy + sign.h };
        if (b.left < frame[0] || b.right > frame[2] || b.top < frame[1] || b.bottom > frame[3] ||
            taken.some((t) => overlaps(t, b))) continue;
        return setName(map, group, sign, map.containerPointToLatLng(e.p), e.p, [d[0] + ox, d[1] + oy]);
      }
    }
    showName(group, sign, false);
    return null;
  }

  // A home's name never lies over a city's name, a point symbol, another home's name nor outside
  // the free view (under a panel, past the map's edge): above its point, else below, right or left
  // of it (shifted along that side into the free view near its edge), else hidden (the point
  // stays). Below HOME_LABEL_ZOOM, or with the point out of the free view, hidden.
  const SIDES = [["top", [0, -5]], ["bottom", [0, 5]], ["right", [6, 0]], ["left", [-6, 0]]];
  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  function fitHomeLabels(view, group, homes, taken) {
    const map = view.map, r = view.freeRect(), small = map.getZoom() < HOME_LABEL_ZOOM;
    const free = (b) => b.left >= r[0] && b.top >= r[1] && b.right <= r[2] && b.bottom <= r[3] && !taken.some((t) => overlaps(b, t));
    homes.forEach(({ dot, name }) => {
      const p = map.latLngToContainerPoint(dot.getLatLng());
      const seen = map.hasLayer(dot) && !small && p.x >= r[0] && p.y >= r[1] && p.x <= r[2] && p.y <= r[3];
      const side = seen && SIDES.map(([s, offset]) => {
        const d = corner(s, name.w, name.h, offset), across = s === "top" || s === "bottom";
        const x = p.x + d[0], y = p.y + d[1];  // then shifted along its side into the free view
        if (across) d[0] += Math.max(0, r[0] - x) - Math.max(0, x + name.w - r[2]);
        else d[1] += Math.max(0, r[1] - y) - Math.max(0, y + name.h - r[3]);
        return d;
      }).find((d) => free({ left: p.x + d[0], top: p.y + d[1], right: p.x + d[0] + name.w, bottom: p.y + d[1] + name.h }));
      if (!side) { showName(group, name, false); return; }
      taken.push(setName(map, group, name, dot.getLatLng(), p, side));
    });
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
