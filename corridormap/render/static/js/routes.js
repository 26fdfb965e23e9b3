// The routes, drawn straight through their named stops (schematic), and their stops as point items.
// Receives the map's view (view.js), the payload and the overlay groups (one per route).
// Listens to "cm:day" {day}: a route not yet open at the slider's date is not drawn.
CM.routes = (() => {
  const { el, ui, unit, formatNumber } = CM.text;

  function styleOf(route, colours) {
    if (route.kind === "expressway") return [{ color: "#ffffff", weight: 7, opacity: 0.9 }, { color: colours.expressway, weight: 4 }];
    if (route.role === "context") return [{ color: colours.contextRailway, weight: 3, dashArray: "7 5" }];
    return [{ color: "#ffffff", weight: 6, opacity: 0.9 }, { color: colours.railway, weight: 3.5, dashArray: "10 6" }];
  }

  function create(view, data, overlays) {
    const lines = {};
    data.routes.forEach((r) => {
      const group = overlays[r.id];
      if (!group) return;
      const parts = styleOf(r, data.colours).map((style) =>
        view.shiftable(L.polyline(r.coords, Object.assign({ pane: "cmRoutes", interactive: false }, style))).addTo(group));
      // On top, an invisible wider line takes the pointer: a thin or dashed line is hard to hit.
      const line = view.shiftable(L.polyline(r.coords, { pane: "cmRoutes", weight: 14, opacity: 0, className: "cm-route-hit" }));
      // Listened to before it is added: a line added first (its group on the map) never opened on Enter.
      line.on("add", () => view.keyOpens(line, () => line.openPopup()));
      line.addTo(group);
      parts.push(line);
      line.bindTooltip(() => el("span", null, r.name + (r.schematic ? " (" + ui("schematic") + ")" : "")),
                       { sticky: true, direction: "top", offset: [0, -6] });
      line.bindPopup(() => routePopup(r));
      lines[r.id] = { record: r, parts, line, group };
    });

    function applyTime(day) {
      Object.values(lines).forEach(({ record, parts, group }) => {
        const shown = CM.timeline.shown(record.opened, day);
        parts.forEach((p) => {
          if (shown && !group.hasLayer(p)) group.addLayer(p);
          if (!shown && group.hasLayer(p)) group.removeLayer(p);
        });
      });
    }

    view.map.on("cm:day", (e) => applyTime(e.day));
    return { lines, stopItems: () => stopItems(data, overlays) };
  }

  function routePopup(r) {
    const crosses = r.crosses.map(([city, km]) => city + " " + formatNumber(km, 1) + " " + unit("km"));
    return CM.popup.card(r.name, r.schematic ? ui("schematicNote") : null, [
      [ui("kind"), r.kindLabel], [ui("opened"), r.opened || ui("noDate")],
      [ui("length"), r.length_km ? formatNumber(r.length_km) + " " + unit("km") : null],
      [ui("speed"), r.speed ? r.speed + " " + unit("kmh") : null],
      [ui("crosses"), CM.popup.list(crosses)], [ui("description"), CM.popup.paragraphs(r.about)],
    ], { sources: r.source_ids });
  }

  // Stations and other stops, for the point layer (see points.js). A station on two routes (Huzhou,
  // a stop of both railways: one row per route in stops.csv) is one item, drawn while either
  // route is; its popup names both routes.
  function stopItems(data, overlays) {
    const routes = {}, items = [], byStation = new Map();
    data.routes.forEach((r) => { routes[r.id] = r; });
    data.stops.filter((s) => overlays[s.route_id]).forEach((s) => {
      const key = s.kind === "station" ? [s.name, s.lat, s.lon].join("|") : null;
      if (key && byStation.has(key)) { byStation.get(key).push(s); return; }
      const rows = [s];
      if (key) byStation.set(key, rows);
      items.push(rows);
    });
    return items.map((rows) => stopItem(overlays, routes, rows));
  }

  // The point item of one stop (rows: that stop on each route it serves, in the data's order).
  function stopItem(overlays, routes, rows) {
    const s = rows[0], station = s.kind === "station";
    // On the time slider a stop shows once both it and its line are open (a station older than
    // the line waits for the line); a station of several lines, once the first of them is.
    const shownFrom = (r) => {
      const route = routes[r.route_id], dates = [station ? r.opened : null, route ? route.opened : null].filter(Boolean).sort();
      return dates.length ? dates[dates.length - 1] : null;
    };
    const starts = rows.map(shownFrom), opened = starts.includes(null) ? null : starts.sort()[0];
    const routeName = (r) => (routes[r.route_id] ? routes[r.route_id].name : r.route_id);
    const lines = rows.length === 1 ? [[ui("route"), routeName(s)], [ui("stop"), s.seq]]
      : [[ui("route"), CM.popup.list(rows.map((r) => routeName(r) + " (" + ui("stop") + " " + r.seq + ")"))]];
    const sources = [...new Set(rows.flatMap((r) => String(r.source_ids || "").split(";")).filter(Boolean))].join(";");
    const note = [...new Set(rows.map((r) => r.note).filter(Boolean))].join("\n");
    return {
      id: "stop:" + s.id, ids: rows.map((r) => "stop:" + r.id), symbol: station ? "station" : "stop",
      group: overlays[s.route_id], groups: rows.map((r) => overlays[r.route_id]),
      kindLabel: station ? ui("station") : s.kindLabel,
      lat: s.lat, lon: s.lon, name: s.name, precision: s.precision, opened,
      search: { text: s.search, kind: station ? ui("station") : s.kindLabel },
      popup: () => CM.popup.card(s.name, station ? ui("station") : ui("otherStop"), [
        ...lines, [ui("kind"), s.kindLabel],
        [ui("city"), CM.popup.cityName(s.city_id)], [ui("opened"), station ? s.opened || ui("noDate") : null],
        [ui("precision"), CM.popup.precisionNode(s.precision)],
      ], { sources, note }),
    };
  }

  return { create };
})();
