// The page in step with its widget (corridormap.MapWidget, in Jupyter): the host (the widget's
// front end, widget.mjs) hands the page its data and the widget's state; the page reports its view,
// filters, date, colouring and selection back, and follows the widget when Python sets them.
// Values from the host are checked here; nothing from either side is run as code.
//
// Receives the map's view (view.js), the host and the page's parts: {data, overlays, bases, lists,
// time, setMeasure(id), day(), measure()}. Listens to moveend, baselayerchange, "cm:filter",
// "cm:day" and "cm:measure" (each reported to the host).
CM.widget = (() => {
  const finite = (v) => typeof v === "number" && Number.isFinite(v);

  // {center: [lat, lon], zoom, basemap}: the centre in WGS-84, as all the data; on a Gaode basemap
  // (GCJ-02) the map's own centre is shifted back before it goes to Python.
  function viewOf(view, bases) {
    const map = view.map, c = map.getCenter(), base = bases.find((b) => map.hasLayer(b.layer));
    const round = (v) => Math.round(v * 1e6) / 1e6;
    const w = CM.datum.unplace(c.lat, c.lng, view.datum());
    return { center: [round(w[0]), round(w[1])], zoom: map.getZoom(), basemap: base ? base.key : null };
  }

  // A view from Python: a WGS-84 centre is drawn where the basemap's datum puts it. A basemap
  // switched without a centre keeps the WGS-84 centre it had. The old basemap is taken off, the map
  // moved (in the new basemap's datum), then the new basemap put on: one with fewer zoom levels
  // then zooms out around the right centre (moved after it, its zoom animation would undo the move).
  function setView(view, bases, v) {
    if (!v || typeof v !== "object") return;
    const map = view.map, want = bases.find((b) => b.key === v.basemap);
    const switching = Boolean(want) && !map.hasLayer(want.layer);
    const now = viewOf(view, bases);
    const given = Array.isArray(v.center) && v.center.length === 2 && v.center.every(finite) ? v.center : null;
    const c = given || (switching ? now.center : null);
    const zoom = finite(v.zoom) ? v.zoom : null;
    const moved = (c && (c[0] !== now.center[0] || c[1] !== now.center[1])) || (zoom !== null && zoom !== now.zoom);
    if (!switching && !moved) return;
    const datum = switching ? want.datum : view.datum();
    view.whenStill(() => {
      if (switching) bases.forEach((b) => { if (map.hasLayer(b.layer)) map.removeLayer(b.layer); });
      const at = c ? L.latLng(CM.datum.place(c[0], c[1], datum)) : map.getCenter();
      map.setView(at, zoom === null ? map.getZoom() : zoom, { animate: false });
      if (!switching) return;
      map.addLayer(want.layer);
      view.setDatum(want.datum);
      map.fire("baselayerchange", { layer: want.layer });
    });
  }

  function filtersOf(lists) {
    const out = {};
    lists.states.forEach((s) => {
      const values = CM.filter.toValues(s.cats, s.selection);
      if (Object.keys(values).length) out[s.key] = values;
    });
    return out;
  }

  // {layer: {column: [values shown]}}; a layer or column left out shows everything.
  function setFilters(lists, f) {
    const filters = f && typeof f === "object" ? f : {};
    lists.states.forEach((s) => {
      const given = filters[s.key] && typeof filters[s.key] === "object" ? filters[s.key] : {};
      const values = {};
      Object.keys(given).forEach((k) => { if (Array.isArray(given[k])) values[k] = given[k].map(String); });
      const next = CM.filter.fromValues(s.cats, values);
      if (JSON.stringify(CM.filter.toValues(s.cats, next)) !== JSON.stringify(CM.filter.toValues(s.cats, s.selection))) {
        lists.setSelection(s.key, next);
      }
    });
  }

  function setDate(parts, d) {
    if (!parts.time) return;
    const day = typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d) ? CM.timeline.dayNumber(d) : null;
    if (day !== parts.day()) parts.time.setDay(day);
  }

  function attach(view, host, parts) {
    const map = view.map, measureId = () => (parts.measure() ? parts.measure().id : null);
    const apply = {
      view: (v) => setView(view, parts.bases, v), filters: (f) => setFilters(parts.lists, f), date: (d) => setDate(parts, d),
      colouring: (c) => { const id = typeof c === "string" ? c : null; if (id !== measureId()) parts.setMeasure(id); },
    };
    const report = {
      view: () => viewOf(view, parts.bases), filters: () => filtersOf(parts.lists), colouring: measureId,
      date: () => (parts.day() ? CM.timeline.fromDay(parts.day()) : null),
    };
    const state = host.state();
    Object.keys(apply).forEach((k) => { if (state[k] !== null && state[k] !== undefined) apply[k](state[k]); });
    const send = (name) => host.report(name, report[name]());
    map.on("moveend baselayerchange", () => send("view"));
    map.on("cm:filter", () => send("filters"));
    map.on("cm:day", () => send("date"));
    map.on("cm:measure", () => send("colouring"));
    host.listen((name, value) => { if (apply[name]) apply[name](value); });
    CM.select.create(view, parts, (sel) => host.report("_selection", sel));
    Object.keys(report).forEach(send);
  }

  return { attach };
})();
