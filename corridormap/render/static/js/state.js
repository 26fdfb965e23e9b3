// The view kept in the URL hash (centre, zoom, basemap, overlays, filters, colour, date), the
// basemap's datum followed, and the opening view: the shared link's, or the corridor fitted.
CM.state = (() => {
  function overlayKeys(ctx) {
    return Object.keys(ctx.overlays);
  }

  function defaultOn(key) {
    return key.slice(0, 8) !== "density:";
  }

  function attach(ctx) {
    const { map } = ctx;
    let restoring = false, pending = null;
    // The hash is written a moment after the view settles: history.replaceState costs ~10 ms, too
    // much for every step of a pan.
    ctx.writeHash = () => {
      if (restoring || !ctx.ready || pending) return;
      pending = setTimeout(() => { pending = null; writeNow(); }, 200);
    };
    ctx.writeHashNow = () => {
      if (pending) { clearTimeout(pending); pending = null; }
      if (!restoring && ctx.ready) writeNow();
    };
    const writeNow = () => {
      const c = map.getCenter(), bases = ctx.handles.bases;
      const state = {
        map: { zoom: map.getZoom(), lat: c.lat, lon: c.lng },
        base: Math.max(0, bases.findIndex((b) => map.hasLayer(b.layer))),
        off: overlayKeys(ctx).filter((k) => defaultOn(k) && !map.hasLayer(ctx.overlays[k])),
        on: overlayKeys(ctx).filter((k) => !defaultOn(k) && map.hasLayer(ctx.overlays[k])),
        date: ctx.day ? CM.timeline.fromDay(ctx.day) : null,
        colour: ctx.measure ? ctx.measure.id : null,
        filters: {},
        tour: ctx.tourStep ? ctx.tourStep() : null,
      };
      ctx.lists.states.forEach((s) => {
        const values = CM.filter.toValues(s.cats, s.selection);
        if (Object.keys(values).length) state.filters[s.key] = values;
      });
      const hash = CM.hash.format(state);
      if (window.location.hash === hash) return;
      try {
        history.replaceState(null, "", hash);
      } catch {
        // A page without a URL of its own (a notebook's srcdoc frame) cannot keep a hash.
      }
    };
    ctx.setRestoring = (v) => { restoring = v; };
    ctx.resetView = () => {
      map.closePopup();
      ctx.whenStill(() => fit(ctx));
    };
  }

  // Fit the nine cities into the room the panels leave.
  function fit(ctx) {
    const { map } = ctx, o = L.Popup.prototype.options;
    // Room for the city labels beside the outermost seats, too.
    const topLeft = ctx.compact ? o.autoPanPaddingTopLeft : L.point(o.autoPanPaddingTopLeft.x + 24, 10);
    const bottomRight = ctx.compact ? o.autoPanPaddingBottomRight : o.autoPanPaddingBottomRight.add([40, 0]);
    const bounds = L.latLngBounds(ctx.data.bounds.map(([lat, lon]) => ctx.place(lat, lon)));
    map.fitBounds(bounds, { paddingTopLeft: topLeft, paddingBottomRight: bottomRight, animate: false });
  }

  function follow(ctx) {
    const { map, handles } = ctx;
    const datumOf = (layer) => (handles.bases.find((b) => b.layer === layer) || { datum: "wgs84" }).datum;
    map.on("baselayerchange", (e) => ctx.setDatum(datumOf(e.layer)));
    handles.bases.forEach((b) => { if (map.hasLayer(b.layer)) ctx.setDatum(b.datum); });
    map.on("moveend baselayerchange overlayadd overlayremove", () => ctx.writeHash());
    window.addEventListener("hashchange", () => restore(ctx));
  }

  function restore(ctx) {
    const { map, handles } = ctx, state = CM.hash.parse(window.location.hash);
    ctx.setRestoring(true);
    if (state.base !== null && handles.bases[state.base]) {
      const want = handles.bases[state.base].layer;
      handles.bases.forEach((b) => { if (b.layer !== want && map.hasLayer(b.layer)) map.removeLayer(b.layer); });
      if (!map.hasLayer(want)) map.addLayer(want);
      ctx.setDatum(handles.bases[state.base].datum);
    }
    overlayKeys(ctx).forEach((k) => {
      const listed = defaultOn(k) ? (state.off || []).indexOf(k) < 0 : (state.on || []).indexOf(k) >= 0;
      const want = state.off === null && state.on === null ? map.hasLayer(ctx.overlays[k]) : listed;
      if (want && !map.hasLayer(ctx.overlays[k])) map.addLayer(ctx.overlays[k]);
      if (!want && map.hasLayer(ctx.overlays[k])) map.removeLayer(ctx.overlays[k]);
    });
    ctx.lists.states.forEach((s) => {
      const sel = CM.filter.fromValues(s.cats, state.filters[s.key] || {});
      ctx.lists.setSelection(s.key, sel);
    });
    if (ctx.time) ctx.time.setDay(state.date ? CM.timeline.dayNumber(state.date) : null);
    ctx.setMeasure(state.colour);
    if (state.map) map.setView([state.map.lat, state.map.lon], state.map.zoom, { animate: false });
    else if (!ctx.ready) fit(ctx);
    if (ctx.tourRestore) ctx.tourRestore(state.tour);
    ctx.setRestoring(false);
    ctx.ready = true;
  }

  return { attach, follow, restore, fit };
})();
