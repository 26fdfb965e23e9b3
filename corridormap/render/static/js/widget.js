// The page in step with its widget (corridormap.MapWidget, in Jupyter): the host (the widget's
// front end, widget.mjs) hands the page its data and the widget's state; the page reports its view,
// filters, date, colouring and selection back, and follows the widget when Python sets them.
// Values from the host are checked here; nothing from either side is run as code.
CM.widget = (() => {
  const finite = (v) => typeof v === "number" && Number.isFinite(v);

  // {center: [lat, lon], zoom, basemap}: the centre in the basemap's frame (GCJ-02 on Gaode's).
  function viewOf(ctx) {
    const { map, handles } = ctx, c = map.getCenter(), base = handles.bases.find((b) => map.hasLayer(b.layer));
    const round = (v) => Math.round(v * 1e6) / 1e6;
    return { center: [round(c.lat), round(c.lng)], zoom: map.getZoom(), basemap: base ? base.key : null };
  }

  function setView(ctx, v) {
    if (!v || typeof v !== "object") return;
    const { map, handles } = ctx, want = handles.bases.find((b) => b.key === v.basemap);
    if (want && !map.hasLayer(want.layer)) {
      handles.bases.forEach((b) => { if (map.hasLayer(b.layer)) map.removeLayer(b.layer); });
      map.addLayer(want.layer);
      ctx.setDatum(want.datum);
      map.fire("baselayerchange", { layer: want.layer });
    }
    const c = Array.isArray(v.center) && v.center.length === 2 && v.center.every(finite) ? v.center : null;
    const zoom = finite(v.zoom) ? v.zoom : null;
    if (!c && zoom === null) return;
    const now = viewOf(ctx);
    if (c && c[0] === now.center[0] && c[1] === now.center[1] && (zoom === null || zoom === now.zoom)) return;
    ctx.whenStill(() => map.setView(c || map.getCenter(), zoom === null ? map.getZoom() : zoom, { animate: false }));
  }

  function filtersOf(ctx) {
    const out = {};
    ctx.lists.states.forEach((s) => {
      const values = CM.filter.toValues(s.cats, s.selection);
      if (Object.keys(values).length) out[s.key] = values;
    });
    return out;
  }

  // {layer: {column: [values shown]}}; a layer or column left out shows everything.
  function setFilters(ctx, f) {
    const filters = f && typeof f === "object" ? f : {};
    ctx.lists.states.forEach((s) => {
      const given = filters[s.key] && typeof filters[s.key] === "object" ? filters[s.key] : {};
      const values = {};
      Object.keys(given).forEach((k) => { if (Array.isArray(given[k])) values[k] = given[k].map(String); });
      const next = CM.filter.fromValues(s.cats, values);
      if (JSON.stringify(CM.filter.toValues(s.cats, next)) !== JSON.stringify(CM.filter.toValues(s.cats, s.selection))) {
        ctx.lists.setSelection(s.key, next);
      }
    });
  }

  function setDate(ctx, d) {
    if (!ctx.time) return;
    const day = typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d) ? CM.timeline.dayNumber(d) : null;
    if (day !== ctx.day) ctx.time.setDay(day);
  }

  function attach(ctx, host) {
    const { map } = ctx;
    const apply = {
      view: (v) => setView(ctx, v), filters: (f) => setFilters(ctx, f), date: (d) => setDate(ctx, d),
      colouring: (c) => { const id = typeof c === "string" ? c : null; if (id !== (ctx.measure ? ctx.measure.id : null)) ctx.setMeasure(id); },
    };
    const report = {
      view: () => viewOf(ctx), filters: () => filtersOf(ctx), colouring: () => (ctx.measure ? ctx.measure.id : null),
      date: () => (ctx.day ? CM.timeline.fromDay(ctx.day) : null),
    };
    const state = host.state();
    Object.keys(apply).forEach((k) => { if (state[k] !== null && state[k] !== undefined) apply[k](state[k]); });
    const send = (name) => host.report(name, report[name]());
    map.on("moveend baselayerchange", () => send("view"));
    map.on("cm:filter", () => send("filters"));
    const setDay = ctx.setDay, setMeasure = ctx.setMeasure;
    ctx.setDay = (day, quiet) => { setDay(day, quiet); send("date"); };
    ctx.setMeasure = (id) => { setMeasure(id); send("colouring"); };
    host.listen((name, value) => { if (apply[name]) apply[name](value); });
    CM.select.create(ctx, (sel) => host.report("_selection", sel));
    Object.keys(report).forEach(send);
  }

  return { attach };
})();
