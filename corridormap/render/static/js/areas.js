// Provinces (context outlines), the nine cities (tooltip, summary popup, choropleth colours) and
// the cities' name labels, placed beside their seat where they overlap nothing else.
CM.areas = (() => {
  const { el, ui, unit, formatNumber } = CM.text;
  const LABEL_FONT = "600 11.5px Helvetica Neue, Arial, Noto Sans CJK SC, sans-serif";
  const EAST_ROOM = 140;

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

  // A tour step's cities outlined in the tour's colour (corridor.css): a class on their own drawn
  // paths. Returns outline(id), which sets it again on a city's path drawn anew.
  function tourOutlines(map, cities) {
    let toured = [];
    const outline = (id) => cities[id].layer.eachLayer((part) => {
      const node = part.getElement && part.getElement();
      if (node) node.classList.toggle("cm-tour-city", toured.indexOf(id) >= 0);
    });
    map.on("cm:tour", (e) => { toured = e.cities || []; Object.keys(cities).forEach(outline); });
    return outline;
  }

  // The provinces' outlines, the cities' areas and their labels. Receives the map's view (view.js),
  // the payload, the overlay groups and the routes' lines (for the labels to keep off them).
  // Listens to "cm:measure" {measure} (the choropleth), "cm:day" {day} (a city not yet in the
  // corridor is not drawn), "cm:points" {boxes} (the point symbols the labels keep clear of), the
  // moves and "cm:room" (the panels' new room) after which the labels are placed again, and
  // "cm:tour" {cities} (a step's cities outlined).
  // Fires "cm:labels" {boxes} each time the labels have been placed (the labels shown, layer pixels).
  function create(view, data, overlays, routeLines) {
    const map = view.map, cities = {}, labels = {};
    let measure = null;
    // One path for all the provinces' lines: Leaflet's renderer redraws every path at each moveend,
    // and 463 paths (one per line) made each pan restyle, lay out and paint ~500 elements.
    const style = { pane: "cmAreas", interactive: false, color: data.colours.province, weight: 1.2, dashArray: "6 4" };
    if (data.provinces.length) view.shiftable(L.polyline(data.provinces, style)).addTo(overlays.provinces);
    const outline = tourOutlines(map, cities);
    data.cities.forEach((c, i) => {
      const layer = cityLayer(view, data, c, i, () => measure);
      layer.eachLayer((part) => part.on("add", () => {
        view.keyOpens(part, () => openCity(c.id));
        if (cities[c.id]) outline(c.id);  // a path drawn anew
      }));
      cities[c.id] = { record: c, layer, outline: outlineOf(view, data, c), index: i };
      labels[c.id] = cityLabel(c, () => openCity(c.id));
    });
    function openCity(id, latlng) {
      const city = cities[id];
      if (city) city.layer.openPopup(latlng || view.place(city.record.rep[0], city.record.rep[1]));
    }
    const syncOutlines = followDensity(map, overlays, cities);
    const place = labelPlacer(view, data, { overlays, routeLines, labels, cities });
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
      place(true);
    });
    // The room the easternmost seat's label takes beside it (a desktop's opening view leaves it), up
    // to EAST_ROOM px (a longer name is placed as any other: the corridor is not shrunk for it).
    const eastRoom = () => {
      const east = data.seats.reduce((a, b) => (b.lon > a.lon ? b : a), data.seats[0]);
      return east && labels[east.city_id] ? Math.min(EAST_ROOM, labels[east.city_id].w + 12) : 40;
    };
    return { openCity, place, eastRoom };
  }

  // The function that places the cities' names (placeLabels) and fires "cm:labels" {boxes}: run once
  // after all the events that end a move (zoomend, moveend and the symbols' redraw) and when the
  // panels leave the map another free part (cm:room); place(true) anew. After pans alone (the
  // symbols unchanged), a name that still lies wholly in the free part of the map stays where it is.
  // The tour step's cities are named first (where two names would meet, the other one gives way).
  function labelPlacer(view, data, { overlays, routeLines, labels, cities }) {
    const map = view.map;
    let taken = [], anew = true, first = [];  // the symbols' boxes (layer pixels); anything but pans since the last placing
    let outlines = cityOutlines(map, cities);
    map.on("cm:datum", () => { outlines = cityOutlines(map, cities); });  // the outlines were moved
    map.on("cm:tour", (e) => { first = e.cities || []; anew = true; });
    map.on("cm:points", (e) => { taken = e.boxes; });
    const place = (again) => {
      const o = map.layerPointToContainerPoint([0, 0]), shift = (b, d) => [b[0] + d.x, b[1] + d.y, b[2] + d.x, b[3] + d.y];
      const ordered = Object.values(labels).sort((a, b) => Number(first.includes(b.record.id)) - Number(first.includes(a.record.id)));
      const boxes = placeLabels(view, { labels: ordered, outlines, taken: taken.map((b) => shift(b, o)), seats: data.seats,
                                        onMap: map.hasLayer(overlays.cities), lines: routeSegments(map, routeLines),
                                        keep: !anew && again !== true });
      anew = false;
      map.fire("cm:labels", { boxes: boxes.map((b) => shift(b, o.multiplyBy(-1))) });
    };
    map.on("zoomend resize cm:datum cm:points cm:room", () => { anew = true; });
    map.on("zoomend moveend resize cm:datum cm:points cm:room", CM.view.afterEvents(place));
    return place;
  }

  // The cities' outlines as drawn (the datum's shift included), projected to the world pixels of
  // zoom 0 and filed for the point test (CM.bounds.ringIndex): a view only scales and shifts them,
  // so they are projected once, not at each placing (a placing tries some thousand points).
  function cityOutlines(map, cities) {
    const flat = (lls) => (L.LineUtil.isFlat(lls) ? [lls] : lls.flatMap(flat));
    return Object.values(cities).map(({ record, layer }) => {
      const rings = [];
      layer.eachLayer((part) => flat(part.getLatLngs()).forEach((ring) => {
        rings.push(ring.map((ll) => { const q = map.project(ll, 0); return [q.x, q.y]; }));
      }));
      return { id: record.id, layer, index: CM.bounds.ringIndex(rings) };
    });
  }

  // A function of a screen point: the shown city whose drawn outline holds it, or null (a label is
  // read as naming the area it lies in).
  function cityFinder(map, outlines) {
    const shown = outlines.filter(({ layer }) => map.hasLayer(layer));
    const k = map.getZoomScale(map.getZoom(), 0), o = map.containerPointToLayerPoint([0, 0]).add(map.getPixelOrigin());
    return (x, y) => {
      const wx = (x + o.x) / k, wy = (y + o.y) / k, hit = shown.find(({ index }) => index.holds(wx, wy));
      return hit ? hit.id : null;
    };
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

  // A label's lines: [text, class]. A name of several words wider than WRAP px is set on two lines
  // ("Songjiang / District": it takes less room beside its seat, by a small city).
  const WRAP = 80;
  function labelText(c) {
    const parts = String(c.name).split(" · "), zh = parts.length === 2 ? parts[1] : null;
    const first = zh === null ? String(c.name) : parts[0], cut = first.lastIndexOf(" ");
    const lines = cut > 0 && textWidth(first) > WRAP ? [first.slice(0, cut), first.slice(cut + 1)] : [first];
    return lines.map((t) => [t, null]).concat(zh === null ? [] : [[zh, "cm-label-zh"]]);
  }

  const textWidth = (text) => CM.text.textWidth(text, LABEL_FONT);

  // A city's name label: a marker (keyboard-reachable) that opens the city's popup.
  function cityLabel(c, open) {
    const lines = labelText(c), w = Math.max(...lines.map(([t]) => textWidth(t))) + 8, h = lines.length * 14 + 2;
    const html = el("span", "cm-label-text"), leader = el("span", "cm-label-leader");
    lines.forEach(([t, cls]) => html.appendChild(el("span", cls, t)));
    html.appendChild(leader);
    const marker = L.marker([0, 0], {
      pane: "cmLabels", keyboard: true, autoPanOnFocus: false, title: c.name, riseOnHover: true,
      icon: L.divIcon({ className: "cm-city-label", html, iconSize: [w, h], iconAnchor: [-8, h / 2] }),
    });
    marker.on("click keypress", (e) => {
      if (e.type === "keypress" && e.originalEvent.key !== "Enter") return;
      open();
    });
    marker.bindTooltip(() => el("span", null, c.name), { direction: "top", offset: [0, -h / 2] });
    return { marker, record: c, w, h, text: html, leader, shown: true };
  }

  // Put each label beside its seat, on screen, in the best place chooseBox finds: clear of the
  // other labels, the symbols (taken), the route lines and the other cities, inside the free part
  // of the map. With keep (only pans since the last placing: the symbols and lines lie where they
  // lay), a label still wholly in the free part stays (names do not jump about under a pan; every
  // rule it was placed by still holds) and the others are placed around them. labels: in the order
  // they are placed. Returns the boxes of the labels shown (container pixels).
  function placeLabels(view, { labels, outlines, taken, seats, onMap, lines, keep }) {
    const map = view.map, free = view.freeRect(), placed = [], todo = [], o = map.layerPointToContainerPoint([0, 0]);
    labels.forEach((lab) => {
      const seat = seats.find((s) => s.city_id === lab.record.id);
      if (!onMap || !lab.shown || !seat) { lab.marker.remove(); lab.at = null; return; }
      const was = keep && lab.at && [lab.at[0] + o.x, lab.at[1] + o.y, lab.at[2] + o.x, lab.at[3] + o.y];
      if (was && was[0] >= free[0] + 2 && was[1] >= free[1] + 2 && was[2] <= free[2] - 2 && was[3] <= free[3] - 2) placed.push(was);
      else todo.push([lab, seat]);
    });
    const cityAt = cityFinder(map, outlines);
    todo.forEach(([lab, seat]) => {
      const ll = view.place(seat.lat, seat.lon), p = map.latLngToContainerPoint(ll);
      const box = chooseBox(p, lab.w, lab.h, { taken, placed, free, lines, ...placing(cityAt, lab.record.id, p) });
      lab.at = box && [box[0] - o.x, box[1] - o.y, box[2] - o.x, box[3] - o.y];  // layer pixels
      if (!box) { lab.marker.remove(); return; }
      placed.push(box);
      // Set over a count symbol (no free place near its seat: a dense list at zoom 9), the name
      // is set on a plate, else the symbol's number reads through it.
      lab.text.classList.toggle("cm-label-over", taken.some((t) => overlaps(box, t)));
      drawLeader(lab.leader, p, box);
      lab.marker.setLatLng(ll);
      const icon = lab.marker.options.icon, anchor = [Math.round(p.x - box[0]), Math.round(p.y - box[1])];
      const old = icon.options.iconAnchor;
      if (old[0] !== anchor[0] || old[1] !== anchor[1]) {  // a new icon element only when it moves
        icon.options.iconAnchor = anchor;
        lab.marker.setIcon(icon);
      }
      if (!map.hasLayer(lab.marker)) lab.marker.addTo(map);
    });
    return placed;
  }

  // How a label of city id beside its seat p would be read: misplaced(box), how much of it lies in
  // another city (read as naming it) or outside every city, sampled on a grid of COLS x ROWS points
  // over it (0: wholly in its own city); across(q), how many of 10 points along a leader from p to q
  // lie in another city. On 4 x 2 points, half a pixel's difference in the outlines set Huzhou's
  // name on a phone a third over Xuancheng and Hangzhou.
  const COLS = 8, ROWS = 3;
  function placing(cityAt, id, p) {
    const misplaced = (box) => {
      let other = 0, none = 0;
      for (let i = 0; i < COLS; i++) {
        for (let j = 0; j < ROWS; j++) {
          const at = cityAt(box[0] + ((box[2] - box[0]) * (i + 0.5)) / COLS, box[1] + ((box[3] - box[1]) * (j + 0.5)) / ROWS);
          if (at === null) none += 1; else if (at !== id) other += 1;
        }
      }
      return (60 * other + 4 * none) / (COLS * ROWS);
    };
    const across = (q) => {
      let n = 0;
      for (let k = 1; k <= 10; k++) {
        const at = cityAt(p.x + ((q[0] - p.x) * k) / 11, p.y + ((q[1] - p.y) * k) / 11);
        if (at !== null && at !== id) n += 1;
      }
      return n;
    };
    return { misplaced, across };
  }

  // The place beside the seat (near ones first, then farther) inside the free part of the map that
  // covers no other label (nor touches one: two labels that touch read as one), then the fewest
  // symbols (SYMBOL each: a count symbol lies under the labels' pane, a point symbol over it), then
  // lies in its own city and not over another (a label is read as naming the city it lies in),
  // then crosses the fewest route lines (LINE each). Where every place beside the seat lies over
  // another city (a city too small for its name, by its neighbours) or over a symbol, one farther
  // off, tied to the seat by a leader line, that lies over no other city, whose leader crosses no
  // other label and the fewest other cities: on land outside every city (a lake, the sea) only
  // where no place beside the seat is clear (Huzhou's name was set over Lake Taihu, 50 px off, for
  // the route lines beside its seat).
  // PLACED: a name over (or touching) another name is never taken while a place over symbols is
  // free (at 100, four symbols outweighed it: on a phone with a list, Songjiang's name lay over
  // Hangzhou's).
  const SYMBOL = 30, LINE = 2, PLACED = 1000;
  function chooseBox(p, w, h, { taken: all, placed, free, lines, misplaced, across }) {
    let best = null, bestScore = Infinity;
    const reach = 80 + w + h, taken = all.filter((t) => t[2] > p.x - reach && t[0] < p.x + reach && t[3] > p.y - reach && t[1] < p.y + reach);
    const score = (box, near) => PLACED * placed.filter((t) => overlaps(near, t)).length +
      SYMBOL * taken.filter((t) => overlaps(box, t)).length + LINE * lines.filter((line) => line.some((seg) => crosses(box, seg))).length;
    for (const [x, y] of around(p, w, h, [9, 16, 26])) {
      const box = [x, y, x + w, y + h];
      if (x < free[0] + 2 || y < free[1] + 2 || x + w > free[2] - 2 || y + h > free[3] - 2) continue;
      let s = score(box, [x - 3, y - 3, x + w + 3, y + h + 3]);
      if (s >= bestScore) continue;
      s += misplaced(box);
      if (s === 0) return box;
      if (s < bestScore) { best = box; bestScore = s; }
    }
    const overOther = (box) => misplaced(box) > 4;  // 4: wholly outside every city
    const pad = (b) => [b[0] - 3, b[1] - 3, b[2] + 3, b[3] + 3];
    if (best && !overOther(best) && !taken.some((t) => overlaps(best, t)) && !placed.some((t) => overlaps(pad(best), t))) {
      return best;  // else a farther place, if any
    }
    for (const [x0, y0] of around(p, w, h, [40, 56, 72])) {
      const x = Math.max(free[0] + 2, Math.min(x0, free[2] - 2 - w)), y = Math.max(free[1] + 2, Math.min(y0, free[3] - 2 - h));
      const box = [x, y, x + w, y + h], q = nearestOnBox(p, box), length = Math.hypot(q[0] - p.x, q[1] - p.y);
      if (length < 30 || length > 80) continue;  // a seat under a panel is not named from afar
      let s = score(box, [x - 3, y - 3, x + w + 3, y + h + 3]) + 8 + length / 10 +
        PLACED * placed.filter((t) => crosses(t, [p.x, p.y, q[0], q[1]])).length;
      if (s >= bestScore) continue;
      const m = misplaced(box);
      if (m > 4) continue;
      s += m;
      if (s >= bestScore) continue;
      s += 3 * across(q);
      if (s < bestScore) { best = box; bestScore = s; }
    }
    return best && placed.some((t) => overlaps(best, t)) ? null : best;  // a name over a name reads as neither: left out
  }

  // Boxes (top left corners) around p at each distance: beside, above, below and at the corners.
  function around(p, w, h, distances) {
    return distances.flatMap((d) => [
      [p.x + d, p.y - h / 2], [p.x - d - w, p.y - h / 2], [p.x - w / 2, p.y - d - h], [p.x - w / 2, p.y + d],
      [p.x + d - 2, p.y - d - h + 4], [p.x + d - 2, p.y + d - 4], [p.x - d - w + 2, p.y - d - h + 4],
      [p.x - d - w + 2, p.y + d - 4],
    ]);
  }

  function nearestOnBox(p, box) {
    return [Math.max(box[0], Math.min(p.x, box[2])), Math.max(box[1], Math.min(p.y, box[3]))];
  }

  // A thin line from the seat to a label set farther off than beside it (hidden for a label beside it).
  function drawLeader(node, p, box) {
    const q = nearestOnBox(p, box), dx = q[0] - p.x, dy = q[1] - p.y, length = Math.hypot(dx, dy);
    node.style.display = length < 30 ? "none" : "block";
    if (length < 30) return;
    Object.assign(node.style, { left: (p.x - box[0]) + "px", top: (p.y - box[1]) + "px", width: (length - 2) + "px",
                                transform: "rotate(" + Math.atan2(dy, dx) + "rad)" });
  }

  // The drawn routes, each as its screen segments [x1, y1, x2, y2], for labels to keep off them
  // (a label is scored by the routes it crosses, not by their vertices).
  function routeSegments(map, routeLines) {
    const out = [];
    Object.values(routeLines).forEach(({ line, group }) => {
      if (!map.hasLayer(group)) return;
      const pts = line.getLatLngs().map((ll) => map.latLngToContainerPoint(ll)), segs = [];
      for (let k = 1; k < pts.length; k++) segs.push([pts[k - 1].x, pts[k - 1].y, pts[k].x, pts[k].y]);
      out.push(segs);
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

  return { create, measureText };
})();
