// Wires the page together: reads the data, makes the panes, the map's view (view.js) and each
// module, handing each what it needs as arguments; the modules talk by events on the map:
//   "cm:datum" {datum}           view.js    -> flows, tour, select; redrawn here
//   "cm:day" {day, quiet}        timepanel  -> areas, divisions, routes, points, state, widget; redrawn here
//   "cm:measure" {measure}       here       -> areas, divisions, legend, state, widget
//   "cm:filter" {layer, values}  lists      -> legend, filterpanel, search, state, widget
//   "cm:points" {boxes}          points     -> areas, flows (labels, homes' names, signs kept clear of the symbols)
//   "cm:labels" {boxes}          areas      -> flows (homes' names and edge signs placed after the labels, clear of them)
//   "cm:tour" {step, cities}     tour       -> areas (the step's cities outlined), state
//   "cm:room"                    panels     -> areas (the labels placed again, then the signs)
//   "cm:density", "cm:pick", and "cm:restore" / "cm:restored" {state} (state.js)
CM.main = (() => {
  const { el, ui } = CM.text;
  // Panes bottom to top: areas, density, routes, clusters, city labels, point symbols, spread stacks.
  const PANES = [["cmAreas", 400], ["cmDivisions", 405], ["cmDensity", 410], ["cmOutlines", 415], ["cmRoutes", 420], ["cmClusters", 430], ["cmLabels", 435],
                 ["cmPoints", 440], ["cmSpider", 460]];

  // The curated point items: seats, stops, enclaves and places (drawn by points.js).
  function curatedItems(data, overlays, routes) {
    const P = CM.popup, items = [];
    const joined = {};
    data.cities.forEach((c) => { joined[c.id] = c.joined; });
    data.seats.forEach((s) => items.push({  // a seat is drawn from the day its city joined the corridor
      id: "seat:" + s.city_id, symbol: "seat", group: overlays.cities, lat: s.lat, lon: s.lon, name: s.name,
      kindLabel: ui("seatSym"), precision: s.precision, opened: joined[s.city_id] || null,
      popup: () => P.card(s.name, ui("seatSym"), [[ui("kind"), s.kind], [ui("city"), P.cityName(s.city_id)],
        [ui("precision"), P.precisionNode(s.precision)]], { sources: s.source_ids, note: s.note }),
    }));
    items.push(...routes.stopItems());
    data.enclaves.forEach((e) => items.push({
      id: "enclave:" + e.id, symbol: "enclave", group: overlays.enclaves, lat: e.lat, lon: e.lon, name: e.name,
      kindLabel: e.kindLabel,
      precision: e.precision, opened: e.opened, search: { text: e.search, kind: ui("enclaveSym") },
      popup: () => P.card(e.name, e.kindLabel, [
        [ui("host"), e.hosts.join(", ")], [ui("city"), P.cityName(e.city_id)], [ui("opened"), e.opened || ui("noDate")],
        [ui("companies"), e.companies], [ui("hostCities"), e.hostCities], [ui("tenants"), P.list(e.tenants)],
        [ui("description"), P.paragraphs(e.about)], [ui("precision"), P.precisionNode(e.precision)],
      ], { sources: e.source_ids, note: e.note }),
    }));
    data.places.forEach((p) => items.push({
      id: "place:" + p.id, symbol: "place", group: overlays.places, lat: p.lat, lon: p.lon, name: p.name,
      kindLabel: p.kindLabel,
      precision: p.precision, opened: p.opened, search: { text: p.search, kind: ui("placeSym") },
      popup: () => P.card(p.name, p.kindLabel, [
        [ui("city"), P.cityName(p.city_id)], [ui("opened"), p.opened || ui("noDate")],
        [ui("description"), P.paragraphs(p.about)], [ui("precision"), P.precisionNode(p.precision)],
      ], { sources: p.source_ids, note: p.note }),
    }));
    return items;
  }

  // What the search box finds besides the organisation lists.
  function searchables(view, data, items, { areas, routes, lists }) {
    const map = view.map, out = [];
    data.cities.forEach((c) => out.push({ text: c.search, label: c.name, kind: ui("city"), go: () => view.whenStill(() => {
      map.setView(view.place(c.rep[0], c.rep[1]), Math.max(map.getZoom(), 9), { animate: false });
      areas.openCity(c.id);
    }) }));
    data.routes.forEach((r) => out.push({ text: r.search, label: r.name, kind: ui("route"), go: () => view.whenStill(() => {
      const line = routes.lines[r.id];
      if (!line) return;
      if (!map.hasLayer(line.group)) map.addLayer(line.group);
      map.fitBounds(line.line.getBounds(), { animate: false });
      const mid = r.coords[Math.floor(r.coords.length / 2)];
      line.line.openPopup(view.place(mid[0], mid[1]));
    }) }));
    items.filter((it) => it.search).forEach((it) => out.push({
      text: it.search.text, label: it.name, kind: it.search.kind, go: () => view.whenStill(() => {
        if (!map.hasLayer(it.group)) map.addLayer(it.group);
        map.setView(view.place(it.lat, it.lon), CM.popup.precisionOf(it.precision).zoom, { animate: false });
        lists.openItem(it.id);
      }) }));
    return out;
  }

  // The zoom buttons and scale bar; returns how they follow the layout: on a phone (or any small
  // map) the zoom buttons sit above the toolbar at the thumb, no measuring tool.
  function addControls(map, handles, title) {
    const zoom = L.control.zoom({ position: "topleft", zoomInTitle: ui("zoomIn"), zoomOutTitle: ui("zoomOut") }).addTo(map);
    CM.scale.create({ position: "bottomleft" }).addTo(map);
    return (compact) => {
      zoom.setPosition(compact ? "bottomright" : "topleft");
      if (!compact) title.after(zoom.getContainer());
      const measure = handles.measure, box = measure && measure.getContainer();
      const shown = !!(box && map.getContainer().contains(box));
      if (measure && compact && shown) map.removeControl(measure);
      if (measure && !compact && !shown) map.addControl(measure);
    };
  }

  // The panels and their sections; the time slider (or null) with them. (parts: {lists, state,
  // measure, found}: the lists, the hash keeper, the measure choice, what the search box finds.)
  function buildPanels(view, data, handles, parts) {
    const map = view.map, { lists, state, measure } = parts;
    let follow = null;
    const panels = CM.panels.create(map, { resetView: state.resetView, shareUrl: state.shareUrl, onArrange: (c) => follow(c) });
    follow = addControls(map, handles, panels.title);
    const search = CM.search.create(map, lists, parts.found, () => panels.closeSheet());
    panels.addSection("search", ui("search"), search.node, false, panels.title.cmSearchSlot);
    const layerBox = handles.layers.getContainer();
    layerBox.classList.add("cm-layer-list");
    const toggle = layerBox.querySelector(".leaflet-control-layers-toggle");  // Leaflet's own title is English
    if (toggle) { toggle.title = ui("layers"); toggle.setAttribute("aria-label", ui("layers")); }
    panels.addSection("layers", ui("layers"), layerBox, false);
    const legendBox = el("div");
    legendBox.appendChild(CM.legend.colourControl(map, data, measure.set).node);
    legendBox.appendChild(CM.legend.create(map, data, lists).node);
    panels.addSection("legend", ui("legend"), legendBox, true);
    panels.addSection("filter", ui("filter"), CM.filterpanel.create(map, lists).node, false);
    panels.addSection("facts", ui("facts"), CM.facts.create(data).node, false, null, ui("factsShort"));
    panels.addSection("about", ui("about"), CM.panels.aboutNode(map, data), false);
    const time = CM.timepanel.create(map, data, undatedCount(data));
    if (time) panels.addSection("time", ui("time"), time.node, false, true);
    panels.arrange();
    return { panels, time };
  }

  // The choropleth measure shown, set by its id (the colour choice, a shared link, the widget)
  // and announced as "cm:measure" {measure}.
  function measureChoice(map, data) {
    let current = null;
    const set = (id) => {
      current = data.measures.find((x) => x.id === id) || null;
      map.fire("cm:measure", { measure: current });
    };
    map.on("cm:restore", (e) => set(e.state.colour));
    return { set, current: () => current };
  }

  // Keyboard readers: a popup opened from the keyboard takes focus (its close button, then its
  // links), and closing it gives focus back to what opened it. Escape closes the open popup
  // wherever the focus is (Leaflet's own Escape works only while the map's box has the focus).
  function keyboardPopups(map) {
    let keyboard = false, opener = null, open = null;
    document.addEventListener("keydown", (e) => {
      keyboard = true;
      if (e.key === "Escape" && open) map.closePopup(open);
    }, true);
    document.addEventListener("pointerdown", () => { keyboard = false; }, true);
    map.on("popupopen", (e) => {
      open = e.popup;
      if (!keyboard) return;
      opener = document.activeElement;
      const close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) close.focus();
    });
    map.on("popupclose", (e) => {
      if (e.popup === open) open = null;
      if (keyboard && opener && document.contains(opener)) opener.focus();
      opener = null;
    });
  }

  // A disclosure opened or closed inside a popup changes its size: lay it out again (bounded to
  // the screen, scrolling inside) and pan it clear of the controls, with Leaflet's public
  // setContent. Given the content function, it would render the content anew, closing the
  // disclosure again: so it is given the node already drawn, and the function back once the
  // popup is closed (its next opening renders afresh).
  function refitOnToggle(map) {
    map.on("popupopen", (e) => {
      const popup = e.popup, made = popup.getContent(), node = popup.getElement().querySelector(".leaflet-popup-content");
      node.querySelectorAll("details").forEach((d) => d.addEventListener("toggle", () => {
        if (!popup.isOpen() || !node.firstChild) return;
        if (typeof made === "function" && popup.getContent() === made) popup.once("remove", () => popup.setContent(made));
        const top = node.scrollTop;  // re-adding the node scrolls a tall popup back to its top
        popup.setContent(node.firstChild);
        node.scrollTop = top;
      }));
    });
  }

  function undatedCount(d) {
    return d.enclaves.filter((e) => !e.opened).length + d.places.filter((p) => !p.opened).length +
      d.stops.filter((s) => s.kind === "station" && !s.opened).length + d.routes.filter((r) => !r.opened).length +
      (d.milestones.length ? d.cities.filter((c) => !c.joined).length : 0);
  }

  // The map's drawn layers: routes, areas, divisions, flows, the point symbols and the lists.
  function drawLayers(view, data, overlays) {
    const routes = CM.routes.create(view, data, overlays);
    const areas = CM.areas.create(view, data, overlays, routes.lines);
    CM.divisions.create(view, data, overlays.divisions);
    const items = curatedItems(data, overlays, routes);
    const popupOf = (id) => { const it = items.find((x) => x.id === id); return it ? it.popup() : null; };
    CM.flows.create(view, data, overlays.flows, popupOf);
    const points = CM.points.create(view);
    points.add(items);
    const lists = CM.lists.create(view, data, overlays, points);
    return { routes, areas, items, points, lists };
  }

  async function start(block, handles) {
    const data = await CM.columns.read(handles.host ? { bytes: handles.host.data } : block);
    CM.text.setLabels(data.ui, data.terms, data.lang, data.units);
    CM.popup.setup(data);
    const map = handles.map, view = CM.view.create(map), overlays = handles.overlays;
    PANES.forEach(([name, z]) => { map.createPane(name).style.zIndex = String(z); });
    map.getContainer().setAttribute("role", "main");
    map.getContainer().setAttribute("aria-label", ui("map"));
    const drawn = drawLayers(view, data, overlays), { lists } = drawn;
    const measure = measureChoice(map, data);
    let day = null;
    map.on("cm:day", (e) => { day = e.day; lists.redraw(); });
    const state = CM.state.create(view, { bases: handles.bases, overlays, bounds: data.bounds, eastRoom: drawn.areas.eastRoom() });
    const { panels, time } = buildPanels(view, data, handles, { lists, state, measure, found: searchables(view, data, drawn.items, drawn) });
    CM.tour.create(view, data, { panels, time, overlays });
    map.on("moveend overlayadd overlayremove cm:datum", lists.redraw);
    state.follow();
    keyboardPopups(map);
    refitOnToggle(map);
    state.restore();
    lists.redraw();
    drawn.areas.place();
    const now = { day: () => day, measure: measure.current };
    if (handles.host) {  // the page of a Jupyter widget (widget.js)
      CM.widget.attach(view, handles.host, { data, overlays, bases: handles.bases, lists, time, setMeasure: measure.set, ...now });
    }
    requestAnimationFrame(() => { document.documentElement.dataset.cmReady = "1"; });
    window.corridormap = testHooks(view, data, lists, now);
  }

  // For tests and the benchmark: where a coordinate is drawn on screen, and read-only state.
  function testHooks(view, data, lists, now) {
    const map = view.map;
    let moving = false;
    map.on("movestart zoomstart", () => { moving = true; });
    map.on("moveend", () => { moving = false; });
    return {
      moving: () => moving,
      map, data,
      project: (lat, lon) => {
        const p = map.latLngToContainerPoint(view.place(lat, lon));
        return [p.x, p.y];
      },
      datum: () => view.datum(), day: now.day, measure: () => (now.measure() ? now.measure().id : null),
      shown: (key) => {
        const s = lists.byKey[key];
        if (!s.mask) return s.n;
        let n = 0;
        for (let i = 0; i < s.n; i++) n += s.mask[i];
        return n;
      },
    };
  }

  return { start };
})();
