// The innovation enclaves as flows: a curved line (its geometry computed in Python, the same as
// `corridormap export` writes) from each home city to its enclave, an arrowhead at the enclave,
// its width by the companies in the enclave where a source gives them. Homes outside the nine
// cities are labelled points. A line's tooltip names both ends; a click opens the enclave.
// Receives the map's view (view.js), the payload, the flows' overlay group and popupOf(id), the
// popup content of a point item (the enclave's). Listens to zoomend, moveend, resize, overlay
// changes, "cm:datum" and "cm:points" (to place the homes' labels after the city labels).
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
      hit.bindTooltip(() => el("span", null, label), { sticky: true, direction: "top", offset: [0, -6] });
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
    const tips = data.flows.homes.map((h) => {
      const at = view.place(h.lat, h.lon);
      const dot = L.circleMarker(at, { pane: "cmRoutes", renderer, radius: 5, color: "#fff", weight: 2,
                                       fillColor: COLOUR, fillOpacity: 1, interactive: false });
      dot.bindTooltip(el("span", null, h.name), { permanent: true, direction: "top", className: "cm-home-label", offset: [0, -5] });
      group.addLayer(dot);
      return dot.getTooltip();
    });
    if (map.hasLayer(group)) Object.values(lines).forEach(({ decorate }) => decorate());
    // Below zoom 7 a home's name would lie over the corridor cities' own: its point stays, unnamed.
    const small = () => map.getContainer().classList.toggle("cm-homes-small", map.getZoom() < HOME_LABEL_ZOOM);
    map.on("zoomend", small);
    small();
    // After the city labels are placed (areas.js places them on the same events, registered first).
    map.on("zoomend moveend resize cm:datum cm:points", () => fitHomeLabels(map, tips));
    edgeLabels(view, group, Object.values(lines));
    return { lines };
  }

  // A home out of view is named where its line leaves the view ("→ Huaibei"), on the view's inner
  // side, clear of the panels: one label per home, where the line last enters the free view.
  function edgeLabels(view, group, lines) {
    const map = view.map, tips = {};  // by home name, kept across moves (a removed tooltip fades out)
    const tipOf = (name) => {
      tips[name] = tips[name] || L.tooltip({ permanent: true, className: "cm-home-edge", interactive: false })
        .setContent(el("span", null, ui("flowFrom").split("{home}").join(name)));
      return tips[name];
    };
    const place = () => {
      const r = view.freeRect();
      const at = map.getContainer().getBoundingClientRect(), controls = [...map.getContainer()
        .querySelectorAll(".leaflet-control")].map((n) => n.getBoundingClientRect()).filter((b) => b.width);
      const under = (p) => controls.some((b) => p.x > b.left - at.left - 12 && p.x < b.right - at.left + 12 &&
                                                p.y > b.top - at.top - 24 && p.y < b.bottom - at.top + 24);
      const inside = (p) => p.x >= r[0] + 4 && p.y >= r[1] + 4 && p.x <= r[2] - 4 && p.y <= r[3] - 4 && !under(p);
      const named = new Set(), boxes = [];
      lines.forEach(({ record, hit }) => {
        const pts = hit.getLatLngs().map((ll) => map.latLngToContainerPoint(ll));
        if (!map.hasLayer(group) || named.has(record.homeName) || inside(pts[0])) return;
        let k = pts.length - 1;
        while (k > 0 && inside(pts[k - 1])) k -= 1;
        if (k === 0 || !inside(pts[k])) return;  // the line is not in view where it reaches its enclave
        named.add(record.homeName);
        const p = pts[k], dx = pts[k - 1].x - p.x, dy = pts[k - 1].y - p.y, tip = tipOf(record.homeName);
        tip.options.direction = Math.abs(dy) > Math.abs(dx) ? (dy < 0 ? "bottom" : "top") : (dx < 0 ? "right" : "left");
        tip.setLatLng(map.containerPointToLatLng(p));
        if (!map.hasLayer(tip)) tip.addTo(map);
        // Two homes' lines entering side by side would stack their names: the later one is left out.
        const box = tip.getElement().getBoundingClientRect();
        if (boxes.some((b) => overlaps(b, box))) { named.delete(record.homeName); return; }
        boxes.push(box);
      });
      Object.keys(tips).forEach((name) => { if (!named.has(name)) tips[name].remove(); });
    };
    map.on("moveend zoomend resize overlayadd overlayremove cm:datum", place);
    map.whenReady(place);
  }

  // A home's name never lies over a city's name: above its point, else below, right or left of it,
  // else hidden (the point stays).
  const SIDES = [["top", [0, -5]], ["bottom", [0, 5]], ["right", [6, 0]], ["left", [-6, 0]]];
  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  function fitHomeLabels(map, tips) {
    const cities = [...map.getContainer().querySelectorAll(".cm-city-label")].map((n) => n.getBoundingClientRect());
    tips.forEach((tip) => {
      const node = tip.getElement();
      if (!node || !tip.isOpen()) return;
      node.classList.remove("cm-home-hidden");
      const free = SIDES.find(([direction, offset]) => {
        Object.assign(tip.options, { direction, offset });
        tip.update();
        const box = node.getBoundingClientRect();
        return !cities.some((c) => overlaps(box, c));
      });
      if (!free) node.classList.add("cm-home-hidden");
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
