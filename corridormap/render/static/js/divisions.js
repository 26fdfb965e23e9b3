// The county-level divisions: thin borders inside the cities (each shared border once), named on
// hover, a click (or Enter) opens a summary like a city's; coloured by a choropleth measure
// "by county/district". Shapes come as differences on a 1e-4 degree grid (divisionpage.py).
// Receives the map's view (view.js), the payload and the divisions' overlay group. Listens to
// "cm:measure" {measure} (colours by a measure "by county/district") and "cm:day" {day} (the
// divisions of a city not yet in the corridor are not drawn).
CM.divisions = (() => {
  const { el, ui, unit, formatNumber } = CM.text;
  const NONE = { shapes: [] };

  // Runs of [lat, lng] from delta-coded x/y and the length of each run.
  function runs(spec, lengthsKey) {
    const x = CM.columns.typed(spec.x, Int32Array), y = CM.columns.typed(spec.y, Int32Array);
    const lengths = CM.columns.typed(spec[lengthsKey], Int32Array), out = [];
    let k = 0, lon = 0, lat = 0;
    for (const n of lengths) {
      const run = [];
      for (let j = 0; j < n; j++, k++) {
        lon += x[k];
        lat += y[k];
        run.push(L.latLng(lat / 1e4, lon / 1e4));
      }
      out.push(run);
    }
    return out;
  }

  function create(view, data, group) {
    const map = view.map;
    if (!group || !data.divisions.length) return NONE;
    const line = { pane: "cmDivisions", interactive: false, color: data.colours.divisionLine, weight: 0.8 };
    const lineCity = CM.columns.typed(data.divisionLines.city, Int32Array), lines = [];
    runs(data.divisionLines, "parts").forEach((run, k) => {
      lines.push({ city: data.cities[lineCity[k]], layer: view.shiftable(L.polyline(run, line)).addTo(group) });
    });
    const owner = CM.columns.typed(data.divisionShapes.of, Int32Array), rings = data.divisions.map(() => []);
    runs(data.divisionShapes, "rings").forEach((ring, k) => rings[owner[k]].push(ring));
    let measure = null;
    const style = (k) => (measure
      ? { stroke: false, fillColor: measure.colours[measure.classes[k]], fillOpacity: 0.75 }
      : { stroke: false, fillColor: "#ffffff", fillOpacity: 0 });
    const shapes = data.divisions.map((d, k) => {
      // Drawn without a stroke: the borders are the lines above, each once; the shape is what a
      // reader points at (even-odd fill: islands and holes alike).
      const shape = view.shiftable(L.polygon(rings[k], Object.assign({ pane: "cmDivisions" }, style(k))));
      shape.bindTooltip(() => el("span", null, d.name + " · " + d.city), { sticky: true, direction: "top", offset: [0, -8] });
      shape.bindPopup(() => popup(data, d, k, measure), { className: "cm-city-popup" });
      shape.on("add", () => {
        shape.getElement().setAttribute("data-adcode", d.adcode);
        view.keyOpens(shape, () => shape.openPopup());
      });
      shape.on("mouseover", () => shape.setStyle({ stroke: true, color: data.colours.cityLine, weight: 2 }));
      shape.on("mouseout", () => shape.setStyle({ stroke: false }));
      return shape.addTo(group);
    });

    function setMeasure(m) {
      measure = m && m.level === "district" ? m : null;
      if (measure && !map.hasLayer(group)) map.addLayer(group);  // the measure is drawn on the divisions
      shapes.forEach((shape, k) => shape.setStyle(style(k)));
    }

    // Divisions of a city not yet in the corridor at the slider's date are not drawn.
    function applyTime(day) {
      const joined = {};
      data.cities.forEach((c) => { joined[c.id] = CM.timeline.shown(c.joined, day); });
      const show = (layer, on) => {
        if (on && !group.hasLayer(layer)) group.addLayer(layer);
        if (!on && group.hasLayer(layer)) group.removeLayer(layer);
      };
      shapes.forEach((shape, k) => show(shape, joined[data.divisions[k].cityId]));
      lines.forEach(({ city, layer }) => show(layer, joined[city.id]));
    }
    map.on("cm:measure", (e) => setMeasure(e.measure));
    map.on("cm:day", (e) => applyTime(e.day));
    return { shapes };
  }

  // The division's summary: its city, area and code, each list's organisations in it (by sector).
  function popup(data, d, k, measure) {
    const rows = [[ui("divisionCity"), d.city], [ui("area"), formatNumber(d.areaKm2) + " " + unit("km2")], [ui("adcode"), d.adcode]];
    data.layers.forEach((layer) => rows.push([layer.name, formatNumber(d.lists[layer.key] || 0)]));
    if (measure) rows.push([measure.label, CM.areas.measureText(measure, k)]);
    const extra = [];
    data.layers.forEach((layer) => {
      const counts = d.sectorCounts[layer.key] || [];
      if (!counts.length) return;
      const items = counts.slice(0, 8).map(([label, n, colour]) => ({ label, value: n, colour }));
      const title = layer.name + " · " + ui("bySector");
      extra.push(CM.charts.figure(title, CM.charts.bars(items, { title })));
    });
    return CM.popup.card(d.name, ui("divisionPopup"), rows, { sources: d.source_ids, extra });
  }

  return { create };
})();
