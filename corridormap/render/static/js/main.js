// Wires the page together: reads the data, makes the panes, layers, controls and panels, keeps
// the view in the URL hash, and follows the basemap's datum.
CM.main = (() => {
  const { el, ui } = CM.text;
  // Panes bottom to top: areas, density, routes, clusters, city labels, point symbols, spread stacks.
  const PANES = [["cmAreas", 400], ["cmDivisions", 405], ["cmDensity", 410], ["cmOutlines", 415], ["cmRoutes", 420], ["cmClusters", 430], ["cmLabels", 435],
                 ["cmPoints", 440], ["cmSpider", 460]];

  function context(map, data, handles) {
    const ctx = { map, data, overlays: handles.overlays, handles, datum: "wgs84", day: null, compact: false };
    const shiftables = [];
    ctx.place = (lat, lon) => L.latLng(CM.datum.place(lat, lon, ctx.datum));
    ctx.shiftable = (layer) => {
      layer.cmOrig = layer.getLatLngs();
      shiftables.push(layer);
      return layer;
    };
    const shiftDeep = (ll) => (Array.isArray(ll) ? ll.map(shiftDeep) : ctx.place(ll.lat, ll.lng));
    ctx.setDatum = (datum) => {
      if (datum === ctx.datum) return;
      ctx.datum = datum;
      shiftables.forEach((layer) => layer.setLatLngs(shiftDeep(layer.cmOrig)));
      map.fire("cm:datum");
      ctx.redraw();
    };
    const seats = {};
    data.seats.forEach((s) => { seats[s.city_id] = s; });
    ctx.seatOf = (cityId) => seats[cityId];
    const cityNames = {};
    data.cities.forEach((c) => { cityNames[c.id] = c.name; });
    ctx.cityName = (id) => (id ? cityNames[id] || id : null);
    // A view change of ours waits for a zoom animation under way (a double click's, the wheel's) to
    // end: Leaflet finishes an animation it was interrupted in, undoing a jump made meanwhile.
    let animating = false;
    map.on("zoomanim", () => { animating = true; });
    map.on("zoomend", () => { animating = false; });
    ctx.whenStill = (fn) => (animating ? map.once("zoomend", () => setTimeout(fn, 0)) : fn());
    return ctx;
  }

  function curatedItems(ctx) {
    const { data } = ctx, P = CM.popup, items = [];
    const joined = {};
    data.cities.forEach((c) => { joined[c.id] = c.joined; });
    data.seats.forEach((s) => items.push({  // a seat is drawn from the day its city joined the corridor
      id: "seat:" + s.city_id, symbol: "seat", group: ctx.overlays.cities, lat: s.lat, lon: s.lon, name: s.name,
      kindLabel: ui("seatSym"), precision: s.precision, opened: joined[s.city_id] || null,
      popup: () => P.card(s.name, ui("seatSym"), [[ui("kind"), s.kind], [ui("city"), ctx.cityName(s.city_id)],
        [ui("precision"), P.precisionNode(s.precision)]], { sources: s.source_ids, note: s.note }),
    }));
    items.push(...ctx.routes.stopItems());
    data.enclaves.forEach((e) => items.push({
      id: "enclave:" + e.id, symbol: "enclave", group: ctx.overlays.enclaves, lat: e.lat, lon: e.lon, name: e.name,
      kindLabel: e.kindLabel,
      precision: e.precision, opened: e.opened, search: { text: e.search, kind: ui("enclaveSym") },
      popup: () => P.card(e.name, e.kindLabel, [
        [ui("host"), e.hosts.join(", ")], [ui("city"), ctx.cityName(e.city_id)], [ui("opened"), e.opened || ui("noDate")],
        [ui("companies"), e.companies], [ui("hostCities"), e.hostCities], [ui("tenants"), P.list(e.tenants)],
        [ui("description"), P.paragraphs(e.about)], [ui("precision"), P.precisionNode(e.precision)],
      ], { sources: e.source_ids, note: e.note }),
    }));
    data.places.forEach((p) => items.push({
      id: "place:" + p.id, symbol: "place", group: ctx.overlays.places, lat: p.lat, lon: p.lon, name: p.name,
      kindLabel: p.kindLabel,
      precision: p.precision, opened: p.opened, search: { text: p.search, kind: ui("placeSym") },
      popup: () => P.card(p.name, p.kindLabel, [
        [ui("city"), ctx.cityName(p.city_id)], [ui("opened"), p.opened || ui("noDate")],
        [ui("description"), P.paragraphs(p.about)], [ui("precision"), P.precisionNode(p.precision)],
      ], { sources: p.source_ids, note: p.note }),
    }));
    return items;
  }

  // What the search box finds besides the organisation lists.
  function searchables(ctx, items) {
    const out = [];
    ctx.data.cities.forEach((c) => out.push({ text: c.search, label: c.name, kind: ui("city"), go: () => ctx.whenStill(() => {
      ctx.map.setView(ctx.place(c.rep[0], c.rep[1]), Math.max(ctx.map.getZoom(), 9), { animate: false });
      ctx.areas.openCity(c.id);
    }) }));
    ctx.data.routes.forEach((r) => out.push({ text: r.search, label: r.name, kind: ui("route"), go: () => ctx.whenStill(() => {
      const line = ctx.routes.lines[r.id];
      if (!line) return;
      if (!ctx.map.hasLayer(line.group)) ctx.map.addLayer(line.group);
      ctx.map.fitBounds(line.line.getBounds(), { animate: false });
      const mid = r.coords[Math.floor(r.coords.length / 2)];
      line.line.openPopup(ctx.place(mid[0], mid[1]));
    }) }));
    items.filter((it) => it.search).forEach((it) => out.push({
      text: it.search.text, label: it.name, kind: it.search.kind, go: () => ctx.whenStill(() => {
        if (!ctx.map.hasLayer(it.group)) ctx.map.addLayer(it.group);
        ctx.map.setView(ctx.place(it.lat, it.lon), CM.popup.precisionOf(it.precision).zoom, { animate: false });
        ctx.openItem(it.id);
      }) }));
    return out;
  }

  function addControls(ctx, panels) {
    const { map, handles } = ctx;
    const zoom = L.control.zoom({ position: "topleft", zoomInTitle: ui("zoomIn"), zoomOutTitle: ui("zoomOut") }).addTo(map);
    CM.scale.create({ position: "bottomleft" }).addTo(map);
    // On a phone (or any small map) the zoom buttons sit above the toolbar at the thumb, no measuring tool.
    ctx.compactControls = (compact) => {
      zoom.setPosition(compact ? "bottomright" : "topleft");
      if (!compact) panels.title.after(zoom.getContainer());
      const measure = handles.measure, box = measure && measure.getContainer();
      const shown = !!(box && map.getContainer().contains(box));
      if (measure && compact && shown) map.removeControl(measure);
      if (measure && !compact && !shown) map.addControl(measure);
    };
  }

  function buildPanels(ctx) {
    const panels = CM.panels.create(ctx);
    ctx.panels = panels;
    addControls(ctx, panels);
    const search = CM.search.create(ctx);
    panels.addSection("search", ui("search"), search.node, false, panels.title.cmSearchSlot);
    const layerBox = ctx.handles.layers.getContainer();
    layerBox.classList.add("cm-layer-list");
    const toggle = layerBox.querySelector(".leaflet-control-layers-toggle");  // Leaflet's own title is English
    if (toggle) { toggle.title = ui("layers"); toggle.setAttribute("aria-label", ui("layers")); }
    panels.addSection("layers", ui("layers"), layerBox, false);
    const legend = CM.legend.create(ctx);
    const colour = CM.legend.colourControl(ctx, (id) => ctx.setMeasure(id));
    ctx.colourSelect = colour.select;
    ctx.legend = legend;
    const legendBox = el("div");
    legendBox.appendChild(colour.node);
    legendBox.appendChild(legend.node);
    panels.addSection("legend", ui("legend"), legendBox, true);
    panels.addSection("filter", ui("filter"), CM.filterpanel.create(ctx).node, false);
    panels.addSection("facts", ui("facts"), CM.facts.create(ctx).node, false, null, ui("factsShort"));
    panels.addSection("about", ui("about"), CM.panels.aboutNode(ctx), false);
    const time = CM.timepanel.create(ctx);
    if (time) {
      ctx.time = time;
      ctx.timebar = time.node;
      panels.addSection("time", ui("time"), time.node, false, true);
    }
    panels.arrange();
    return panels;
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

  function undatedCount(ctx) {
    const d = ctx.data;
    return d.enclaves.filter((e) => !e.opened).length + d.places.filter((p) => !p.opened).length +
      d.stops.filter((s) => s.kind === "station" && !s.opened).length + d.routes.filter((r) => !r.opened).length +
      (d.milestones.length ? d.cities.filter((c) => !c.joined).length : 0);
  }

  async function start(block, handles) {
    const data = await CM.columns.read(handles.host ? { bytes: handles.host.data } : block);
    CM.text.setLabels(data.ui, data.terms, data.lang);
    CM.popup.setup(data);
    const map = handles.map, ctx = context(map, data, handles);
    PANES.forEach(([name, z]) => { map.createPane(name).style.zIndex = String(z); });
    map.getContainer().setAttribute("role", "main");
    map.getContainer().setAttribute("aria-label", ui("map"));
    ctx.areas = CM.areas.create(ctx);
    ctx.divisions = CM.divisions.create(ctx);
    ctx.routes = CM.routes.create(ctx);
    ctx.flows = CM.flows.create(ctx);
    ctx.points = CM.points.create(ctx);
    const items = curatedItems(ctx);
    ctx.points.add(items);
    ctx.lists = CM.lists.create(ctx);
    ctx.searchables = searchables(ctx, items);
    ctx.undatedCount = () => undatedCount(ctx);
    ctx.redraw = () => ctx.lists.redraw();
    ctx.openItem = (id) => { ctx.redraw(); return ctx.points.open(id); };
    ctx.setDay = (day, quiet) => {
      ctx.day = day;
      ctx.areas.applyTime(day);
      ctx.divisions.applyTime(day);
      ctx.routes.applyTime(day);
      ctx.redraw();
      if (!quiet) ctx.writeHash();
    };
    ctx.setMeasure = (id) => {
      const m = data.measures.find((x) => x.id === id) || null;
      ctx.measure = m;
      ctx.areas.setMeasure(m);
      ctx.divisions.setMeasure(m);
      ctx.legend.showMeasure(m);
      if (ctx.colourSelect.value !== (m ? m.id : "")) ctx.colourSelect.value = m ? m.id : "";
      ctx.writeHash();
    };
    CM.state.attach(ctx);
    CM.tour.create(ctx, buildPanels(ctx));
    CM.state.follow(ctx);
    map.on("moveend overlayadd overlayremove", ctx.redraw);
    keyboardPopups(map);
    refitOnToggle(map);
    CM.state.restore(ctx);
    ctx.redraw();
    ctx.areas.place();
    if (handles.host) CM.widget.attach(ctx, handles.host);  // the page of a Jupyter widget (widget.js)
    requestAnimationFrame(() => { document.documentElement.dataset.cmReady = "1"; });
    window.corridormap = testHooks(ctx);
  }

  // For tests and the benchmark: where a coordinate is drawn on screen, and read-only state.
  function testHooks(ctx) {
    let moving = false;
    ctx.map.on("movestart zoomstart", () => { moving = true; });
    ctx.map.on("moveend", () => { moving = false; });
    return {
      moving: () => moving,
      map: ctx.map, data: ctx.data,
      project: (lat, lon) => {
        const p = ctx.map.latLngToContainerPoint(ctx.place(lat, lon));
        return [p.x, p.y];
      },
      datum: () => ctx.datum, day: () => ctx.day, measure: () => (ctx.measure ? ctx.measure.id : null),
      shown: (key) => {
        const s = ctx.lists.byKey[key];
        if (!s.mask) return s.n;
        let n = 0;
        for (let i = 0; i < s.n; i++) n += s.mask[i];
        return n;
      },
    };
  }

  return { start };
})();
