// The view kept in the URL hash (centre, zoom, basemap, overlays, filters, colour, date, tour
// step), the basemap's datum followed, and the opening view: the shared link's, or the corridor
// fitted.
//
// Receives the map's view (view.js) and {bases, overlays, bounds, eastRoom}: the basemaps, the
// overlay groups, the corridor's bounds and the room its easternmost city label takes (px). Listens to "cm:filter" {layer, values}, "cm:day" {day, quiet},
// "cm:measure" {measure} and "cm:tour" {step} (what the hash keeps, written after each), the map's
// moves and layer changes, and hashchange. Fires "cm:restore" {state} (each module takes its part
// of a shared link: filters, date, colour) and then, the view set, "cm:restored" {state} (the
// tour's step).
CM.state = (() => {
  function defaultOn(key) {
    return key.slice(0, 8) !== "density:";
  }

  // What the hash keeps besides the map's own view, as the modules announce it.
  function tracked(map) {
    const kept = { day: null, colour: null, tour: null, filters: {} };
    map.on("cm:day", (e) => { kept.day = e.day; });
    map.on("cm:measure", (e) => { kept.colour = e.measure ? e.measure.id : null; });
    map.on("cm:tour", (e) => { kept.tour = e.step; });
    map.on("cm:filter", (e) => {
      if (Object.keys(e.values).length) kept.filters[e.layer] = e.values; else delete kept.filters[e.layer];
    });
    return kept;
  }

  function hashOf(map, { bases, overlays }, kept) {
    const c = map.getCenter(), keys = Object.keys(overlays);
    return CM.hash.format({
      map: { zoom: map.getZoom(), lat: c.lat, lon: c.lng },
      base: Math.max(0, bases.findIndex((b) => map.hasLayer(b.layer))),
      off: keys.filter((k) => defaultOn(k) && !map.hasLayer(overlays[k])),
      on: keys.filter((k) => !defaultOn(k) && map.hasLayer(overlays[k])),
      date: kept.day ? CM.timeline.fromDay(kept.day) : null,
      colour: kept.colour,
      filters: Object.assign({}, kept.filters),
      tour: kept.tour,
    });
  }

  function writeHash(hash) {
    if (window.location.hash === hash) return;
    try {
      history.replaceState(null, "", hash);
    } catch {
      // A page without a URL of its own (a notebook's srcdoc frame) cannot keep a hash.
    }
  }

  // Fit the nine cities into the room the panels leave, on a desktop with room for the city labels
  // beside the outermost seats too: east of the easternmost seat, its label's width (eastRoom px:
  // Songjiang, a city too small to hold its name, is named over Shanghai beside it, not over Suzhou
  // or Jiaxing). Not on a phone: there that room would cost the whole corridor a quarter of its size.
  function fit(view, bounds, eastRoom = 40) {
    const o = L.Popup.prototype.options, compact = window.matchMedia(CM.panels.COMPACT).matches;
    const topLeft = compact ? o.autoPanPaddingTopLeft : L.point(o.autoPanPaddingTopLeft.x + 24, 10);
    const bottomRight = compact ? o.autoPanPaddingBottomRight : o.autoPanPaddingBottomRight.add([eastRoom, 0]);
    const box = L.latLngBounds(bounds.map(([lat, lon]) => view.place(lat, lon)));
    view.map.fitBounds(box, { paddingTopLeft: topLeft, paddingBottomRight: bottomRight, animate: false });
  }

  // The basemap and overlays a shared link names (none named: as they are).
  function restoreLayers(view, { bases, overlays }, state) {
    const map = view.map;
    if (state.base !== null && bases[state.base]) {
      const want = bases[state.base].layer;
      bases.forEach((b) => { if (b.layer !== want && map.hasLayer(b.layer)) map.removeLayer(b.layer); });
      if (!map.hasLayer(want)) map.addLayer(want);
      view.setDatum(bases[state.base].datum);
    }
    Object.keys(overlays).forEach((k) => {
      const listed = defaultOn(k) ? (state.off || []).indexOf(k) < 0 : (state.on || []).indexOf(k) >= 0;
      const want = state.off === null && state.on === null ? map.hasLayer(overlays[k]) : listed;
      if (want && !map.hasLayer(overlays[k])) map.addLayer(overlays[k]);
      if (!want && map.hasLayer(overlays[k])) map.removeLayer(overlays[k]);
    });
  }

  function create(view, layers) {
    const map = view.map, kept = tracked(map);
    let restoring = false, ready = false, pending = null;
    const writeNow = () => { if (!restoring && ready) writeHash(hashOf(map, layers, kept)); };
    // The hash is written a moment after the view settles: history.replaceState costs ~10 ms, too
    // much for every step of a pan.
    const later = () => {
      if (restoring || !ready || pending) return;
      pending = setTimeout(() => { pending = null; writeNow(); }, 200);
    };
    map.on("cm:filter cm:measure cm:tour", later);
    map.on("cm:day", (e) => { if (!e.quiet) later(); });
    function restore() {
      const state = CM.hash.parse(window.location.hash);
      restoring = true;
      restoreLayers(view, layers, state);
      map.fire("cm:restore", { state });
      if (state.map) map.setView([state.map.lat, state.map.lon], state.map.zoom, { animate: false });
      else if (!ready) fit(view, layers.bounds, layers.eastRoom);
      map.fire("cm:restored", { state });
      restoring = false;
      ready = true;
    }
    // The datum of the basemap shown; the hash follows the map; a new hash (a link followed) is applied.
    function follow() {
      const datumOf = (layer) => (layers.bases.find((b) => b.layer === layer) || { datum: "wgs84" }).datum;
      map.on("baselayerchange", (e) => view.setDatum(datumOf(e.layer)));
      layers.bases.forEach((b) => { if (map.hasLayer(b.layer)) view.setDatum(b.datum); });
      map.on("moveend baselayerchange overlayadd overlayremove", later);
      window.addEventListener("hashchange", restore);
    }
    return {
      restore, follow,
      // The link of this view: its hash written now (not a moment later).
      shareUrl: () => {
        if (pending) { clearTimeout(pending); pending = null; }
        writeNow();
        return window.location.href;
      },
      resetView: () => {
        map.closePopup();
        view.whenStill(() => fit(view, layers.bounds, layers.eastRoom));
      },
    };
  }

  return { create };
})();
