// Provinces (context outlines), the nine cities (tooltip, summary popup, choropleth colours) and
// the cities' name labels, placed beside their seat where they overlap nothing else.
CM.areas = (() => {
  const { el, ui, unit, formatNumber } = CM.text;
  const LABEL_FONT = "600 11.5px Helvetica Neue, Arial, Noto Sans CJK SC, sans-serif";

  function cityStyle(colours, measure, i) {
    if (measure && measure.level === "district") {  // drawn on the divisions, over the cities
      return { color: colours.cityLine, weight: 1.2, fillColor: colours.cityFill, fillOpacity: 0 };
    }
    if (measure) {
      return { color: colours.cityLine, weight: 1.2, fillColor: measure.colours[measure.classes[i]], fillOpacity: 0.7 };
    }
    return { color: colours.cityLine, weight: 1.2, fillColor: colours.cityFill, fillOpacity: 0.45 };
  }

  // A city's area: tooltip, summary popup (with the measure shown: current()), Enter opens it.
  function cityLayer(view, data, c, i, current) {
    const layer = L.geoJSON(c.geometry, { pane: "cmAreas", style: () => cityStyle(data.colours, current(), i) });
    layer.eachLayer((part) => view.shiftable(part));
    layer.bindTooltip(() => el("span", null, c.name), { sticky: true, direction: "top", offset: [0, -8] });
    layer.bindPopup(() => cityPopup(data, c, i, current()), { className: "cm-city-popup" });
    layer.on("mouseover", () => layer.setStyle({ weight: 2.5 }));
    layer.on("mouseout", () => layer.setStyle({ weight: 1.2 }));
    return layer;
  }

  // The provinces' outlines, the cities' areas and their labels. Receives the map's view (view.js),
  // the payload, the overlay groups and the routes' lines (for the labels to keep off them).
  // Listens to "cm:measure" {measure} (the choropleth), "cm:day" {day} (a city not yet in the
  // corridor is not drawn), "cm:points" {boxes} (the point symbols the labels keep clear of) and
  // the moves after which the labels are placed again.
  function create(view, data, overlays, routeLines) {
    const map = view.map, cities = {}, labels = {};
    let measure = null;
    data.provinces.forEach((line) => {
      const style = { pane: "cmAreas", interactive: false, color: data.colours.province, weight: 1.2, dashArray: "6 4" };
      view.shiftable(L.polyline(line, style)).addTo(overlays.provinces);
    });
    data.cities.forEach((c, i) => {
      const layer = cityLayer(view, data, c, i, () => measure);
      layer.eachLayer((part) => part.on("add", () => enterOpens(part, (ll) => openCity(c.id, ll))));
      cities[c.id] = { record: c, layer, outline: outlineOf(view, data, c), index: i };
      labels[c.id] = cityLabel(c, () => openCity(c.id));
    });
    function openCity(id, latlng) {
      const city = cities[id];
      if (city) city.layer.openPopup(latlng || view.place(city.record.rep[0], city.record.rep[1]));
    }
    const syncOutlines = followDensity(map, overlays, cities);
    let taken = [];
    const place = () => placeLabels(view, { labels, cities, taken, seats: data.seats, onMap: map.hasLayer(overlays.cities),
                                            lines: routeSegments(map, routeLines) });
    map.on("cm:points", (e) => { taken = e.boxes; });
    map.on("zoomend moveend resize cm:datum cm:points", place);
    map.on("cm:measure", (e) => {
      measure = e.measure;
      Object.values(cities).forEach(({ layer, index }) => layer.setStyle(cityStyle(data.colours, measure, index)));
    });
    map.on("cm:day", (e) => {  // cities not yet in the corridor at the slider's date are not drawn
      Object.values(cities).forEach(({ record, layer }) => {
        labels[record.id].shown = CM.timeline.shown(record.joined, e.day);
        if (labels[record.id].shown) overlays.cities.addLayer(layer); else overlays.cities.removeLayer(layer);
      });
      syncOutlines();
      place();
    });
    return { openCity, place };
  }

  // The city whose drawn outline holds this screen point, or null (a label is read as naming the
  // area it lies in).
  function cityAt(map, cities, x, y) {
    const ll = map.containerPointToLatLng([x, y]);
    const hit = Object.values(cities).find(({ layer }) => map.hasLayer(layer) && contains(layer, ll));
    return hit ? hit.record.id : null;
  }

  // The city's outline once more, above the density hexagons (which would hide its borders).
  function outlineOf(view, data, c) {
    const style = { color: data.colours.cityLine, weight: 1.2, fill: false };
    const outline = L.geoJSON(c.geometry, { pane: "cmOutlines", interactive: false, style: () => style });
    outline.eachLayer((part) => view.shiftable(part));
    return outline;
  }

  // The outlines are drawn only while a density layer is (a second copy of every outline would
  // double their share of each pan's redraw). Returns the function that brings them up to date.
  function followDensity(map, overlays, cities) {
    const groups = Object.keys(overlays).filter((k) => k.startsWith("density:")).map((k) => overlays[k]);
    const sync = () => {
      const density = groups.some((g) => map.hasLayer(g));
      Object.values(cities).forEach(({ layer, outline }) => {
        const on = density && map.hasLayer(layer);
        if (on && !map.hasLayer(outline)) outline.addTo(map);
        if (!on && map.hasLayer(outline)) outline.remove();
      });
    };
    groups.forEach((g) => g.on("add remove", sync));
    overlays.cities.on("add remove", sync);
    return sync;
  }

  // A shape the keyboard reaches (Leaflet makes a shape with a tooltip focusable) opens on Enter.
  function enterOpens(part, open) {
    const node = part.getElement();
    if (!node || node.cmEnter) return;
    node.cmEnter = true;
    node.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
  }

  function labelText(c) {
    const parts = String(c.name).split(" · ");
    return parts.length === 2 ? parts : [c.name];
  }

  let measurer = null;
  function textWidth(text) {
    measurer = measurer || document.createElement("canvas").getContext("2d");
    measurer.font = LABEL_FONT;
    return Math.ceil(measurer.measureText(text).width);
  }

  // A city's name label: a marker (keyboard-reachable) that opens the city's popup.
  function cityLabel(c, open) {
    const lines = labelText(c), w = Math.max(...lines.map(textWidth)) + 8, h = lines.length * 14 + 2;
    const html = el("span", "cm-label-text");
    lines.forEach((t, k) => html.appendChild(el("span", k ? "cm-label-zh" : null, t)));
    const marker = L.marker([0, 0], {
      pane: "cmLabels", keyboard: true, autoPanOnFocus: false, title: c.name, riseOnHover: true,
      icon: L.divIcon({ className: "cm-city-label", html, iconSize: [w, h], iconAnchor: [-8, h / 2] }),
    });
    marker.on("click keypress", (e) => {
      if (e.type === "keypress" && e.originalEvent.key !== "Enter") return;
      open();
    });
    marker.bindTooltip(() => el("span", null, c.name), { direction: "top", offset: [0, -h / 2] });
    return { marker, record: c, w, h, shown: true };
  }

  // Put each label beside its seat, on screen, in the best place chooseBox finds: clear of the
  // other labels, the symbols (taken), the route lines, inside the free part of the map.
  function placeLabels(view, { labels, cities, taken, seats, onMap, lines }) {
    const map = view.map, free = view.freeRect(), placed = [];
    Object.values(labels).forEach((lab) => {
      const seat = seats.find((s) => s.city_id === lab.record.id);
      if (!onMap || !lab.shown || !seat) { lab.marker.remove(); return; }
      const ll = view.place(seat.lat, seat.lon), p = map.latLngToContainerPoint(ll);
      const misplaced = (x, y) => {  // 0 in its own city, 5 outside every city, 8 in another one
        const at = cityAt(map, cities, x, y);
        return at === lab.record.id ? 0 : at === null ? 5 : 8;
      };
      const box = chooseBox(p, lab.w, lab.h, { taken, placed, free, lines, misplaced });
      if (!box) { lab.marker.remove(); return; }
      placed.push(box);
      lab.marker.setLatLng(ll);
      const icon = lab.marker.options.icon, anchor = [Math.round(p.x - box[0]), Math.round(p.y - box[1])];
      const old = icon.options.iconAnchor;
      if (old[0] !== anchor[0] || old[1] !== anchor[1]) {  // a new icon element only when it moves
        icon.options.iconAnchor = anchor;
        lab.marker.setIcon(icon);
      }
      if (!map.hasLayer(lab.marker)) lab.marker.addTo(map);
    });
  }

  // The place beside the seat (near ones first, then farther) inside the free part of the map that
  // covers no other label, then the fewest symbols, then lies in its own city, then crosses the
  // fewest route lines; none free: the least covering one (the labels' pane lies under the point
  // symbols, so a label never hides one from the pointer; two labels over each other read as one).
  function chooseBox(p, w, h, { taken, placed, free, lines, misplaced }) {
    let best = null, bestScore = Infinity;
    for (const d of [9, 16, 26]) {
      const candidates = [
        [p.x + d, p.y - h / 2], [p.x - d - w, p.y - h / 2], [p.x - w / 2, p.y - d - h], [p.x - w / 2, p.y + d],
        [p.x + d - 2, p.y - d - h + 4], [p.x + d - 2, p.y + d - 4], [p.x - d - w + 2, p.y - d - h + 4],
        [p.x - d - w + 2, p.y + d - 4],
      ];
      for (const [x, y] of candidates) {
        const box = [x, y, x + w, y + h];
        if (x < free[0] + 2 || y < free[1] + 2 || x + w > free[2] - 2 || y + h > free[3] - 2) continue;
        let score = 30 * placed.filter((t) => overlaps(box, t)).length + 10 * taken.filter((t) => overlaps(box, t)).length +
          lines.filter((seg) => crosses(box, seg)).length;
        if (score >= bestScore) continue;
        score += misplaced(x + w / 2, y + h / 2);
        if (score === 0) return box;
        if (score < bestScore) { best = box; bestScore = score; }
      }
    }
    return best;
  }

  // The drawn routes as screen segments [x1, y1, x2, y2], for labels to keep off them.
  function routeSegments(map, routeLines) {
    const out = [];
    Object.values(routeLines).forEach(({ line, group }) => {
      if (!map.hasLayer(group)) return;
      const pts = line.getLatLngs().map((ll) => map.latLngToContainerPoint(ll));
      for (let k = 1; k < pts.length; k++) out.push([pts[k - 1].x, pts[k - 1].y, pts[k].x, pts[k].y]);
    });
    return out;
  }

  // Does segment seg cross box (or lie inside it)? Sampled along the segment every 3 pixels.
  function crosses(box, seg) {
    const [x1, y1, x2, y2] = seg, steps = Math.max(1, Math.ceil(Math.hypot(x2 - x1, y2 - y1) / 3));
    if (Math.max(x1, x2) < box[0] || Math.min(x1, x2) > box[2] || Math.max(y1, y2) < box[1] || Math.min(y1, y2) > box[3]) return false;
    for (let k = 0; k <= steps; k++) {
      const x = x1 + ((x2 - x1) * k) / steps, y = y1 + ((y2 - y1) * k) / steps;
      if (x >= box[0] - 3 && x <= box[2] + 3 && y >= box[1] - 3 && y <= box[3] + 3) return true;
    }
    return false;
  }

  // Even-odd ray casting over every ring of a city's drawn parts (holes and islands included).
  function contains(layer, ll) {
    if (!layer.getBounds().contains(ll)) return false;  // most tries: a city's box is cheap to rule out
    let inside = false;
    const rings = (lls) => (L.LineUtil.isFlat(lls) ? [lls] : lls.flatMap(rings));
    layer.eachLayer((part) => rings(part.getLatLngs()).forEach((ring) => {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const a = ring[i], b = ring[j];
        if ((a.lat > ll.lat) !== (b.lat > ll.lat) && ll.lng < ((b.lng - a.lng) * (ll.lat - a.lat)) / (b.lat - a.lat) + a.lng) {
          inside = !inside;
        }
      }
    }));
    return inside;
  }

  function overlaps(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  // The city's summary: what the corridor has there, and the choropleth value when one is shown.
  function cityPopup(data, c, i, measure) {
    const s = c.summary, rows = [[ui("province"), c.province], [ui("joined"), c.joined],
      [ui("area"), formatNumber(c.areaKm2) + " " + unit("km2")], [ui("adcode"), c.adcode], [ui("seat"), c.seat]];
    data.layers.forEach((layer) => rows.push([layer.name, formatNumber(c.lists[layer.key] || 0)]));
    rows.push([ui("enclaves"), s.enclaves], [ui("places"), s.places], [ui("stations"), s.stations]);
    if (s.routeKm.length) {
      rows.push([ui("routeKm"), CM.popup.list(s.routeKm.map(([name, km]) => name + ": " + formatNumber(km, 1) + " " + unit("km")))]);
    }
    if (measure && measure.level !== "district") rows.push([measure.label, measureText(measure, i)]);
    const extra = [];
    data.layers.forEach((layer) => {
      const counts = c.sectorCounts[layer.key] || [];
      if (!counts.length) return;
      const items = counts.slice(0, 8).map(([label, n, colour]) => ({ label, value: n, colour }));
      const title = layer.name + " · " + ui("bySector");
      extra.push(CM.charts.figure(title, CM.charts.bars(items, { title })));
    });
    return CM.popup.card(c.name, ui("cityPopup"), rows, { sources: c.source_ids, extra });
  }

  function measureText(m, i) {
    const value = formatNumber(m.values[i], m.decimals) + (m.unit ? " " + m.unit : "");
    const k = m.classes[i], low = formatNumber(m.lows[k], m.decimals), high = formatNumber(m.bins[k], m.decimals);
    const range = low === high ? high : low + "–" + high;
    return value + " (" + ui("class", { k: k + 1, n: m.bins.length, range }) + ")";
  }

  return { create, measureText, enterOpens };
})();
