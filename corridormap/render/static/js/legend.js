// The legend (every symbol on the map, compact; a click on a sector filters to it) and the
// "colour cities by" choice of a choropleth measure with its classes.
// Receives the map, the payload and the organisation lists (lists.js). Listens to "cm:measure"
// {measure} (its classes shown, the choice kept in step), "cm:density" and overlayremove (the
// density classes), "cm:filter" (which sector is pressed); a sector's click sets its layer's filter.
CM.legend = (() => {
  const { el, ui, formatNumber } = CM.text;

  function row(parent, keyClass, text, style) {
    const r = el("div", "cm-legend-row"), key = el("span", "cm-key " + keyClass);
    key.setAttribute("aria-hidden", "true");
    if (style) Object.keys(style).forEach((k) => { key.style[k] = style[k]; });
    r.appendChild(key);
    r.appendChild(el("span", "cm-legend-text", text));
    parent.appendChild(r);
    return r;
  }

  function heading(parent, text) {
    parent.appendChild(el("div", "cm-legend-head", text));
  }

  function create(map, data, lists) {
    const root = el("div", "cm-legend"), classes = el("div", "cm-legend-classes"), density = el("div", "cm-legend-density");
    root.appendChild(classes);  // what the reader chose to show comes first
    root.appendChild(density);
    heading(root, ui("legendAreas"));
    row(root, "cm-key-area", ui("cityArea"));
    if (data.divisions && data.divisions.length) row(root, "cm-key-division", ui("divisionLine"));
    row(root, "cm-key-province", ui("provinceLine"));
    heading(root, ui("legendRoutes"));
    row(root, "cm-key-expressway", ui("expressway"));
    row(root, "cm-key-railway", ui("railway"));
    row(root, "cm-key-context", ui("contextRailway"));
    if (data.flows.lines.length) CM.flows.legend(root, row, heading);
    heading(root, ui("legendPoints"));
    [["cm-sym-seat", "seatSym"], ["cm-sym-station", "station"], ["cm-sym-stop", "otherStop"],
     ["cm-sym-enclave", "enclaveSym"], ["cm-sym-place", "placeSym"], ["cm-key-stack", "stackSym"],
     ["cm-key-cluster", "clusterSym"], ["cm-key-loose", "imprecise"], ["cm-key-area-count", "areaCountSym"]]
      .filter(([cls]) => cls !== "cm-key-area-count" || lists.states.some((s) => s.areas.length)).forEach(([cls, key]) => {
      const r = row(root, cls, ui(key));
      r.firstChild.appendChild(el("span", "cm-shape"));
    });
    lists.states.forEach((s) => sectorRows(map, lists, s, root));
    map.on("cm:density overlayremove", () => densityRows(map, data, lists, density));
    root.appendChild(el("p", "cm-legend-note", ui("schematicNote")));

    function showMeasure(m) {
      classes.textContent = "";
      if (!m) return;
      heading(classes, m.label);
      m.bins.forEach((b, k) => {
        const low = formatNumber(m.lows[k], m.decimals), high = formatNumber(b, m.decimals);
        const range = (low === high ? high : low + "–" + high) + (m.unit ? " " + m.unit : "");
        row(classes, "cm-key-area", range, { background: m.colours[k], opacity: 1 });
      });
      classes.appendChild(el("div", "cm-legend-note", ui("naturalBreaks")));
    }
    map.on("cm:measure", (e) => showMeasure(e.measure));
    return { node: root };
  }

  // The density classes of each density layer shown: hexagon colour and its range of counts.
  function densityRows(map, data, lists, box) {
    box.textContent = "";
    lists.states.forEach((s) => {
      if (!s.densityBounds || !s.density || !map.hasLayer(s.density)) return;
      heading(box, ui("densitySym") + " · " + s.spec.name);
      const colours = data.densityColours.slice(data.densityColours.length - s.densityBounds.length);
      let low = 1;
      s.densityBounds.forEach((b, k) => {
        row(box, "cm-key-hex", low === b ? formatNumber(b) : formatNumber(low) + "–" + formatNumber(b), { background: colours[k] });
        low = b + 1;
      });
    });
  }

  // A layer's sectors, one row each (those past the twelfth as one "other values" row): a click
  // (or Enter) shows only that sector, a second click shows them all again.
  function sectorRows(map, lists, s, root) {
    if (!s.spec.sectors.length) return;
    heading(root, s.spec.name + " · " + ui("sectorsHead"));
    const grid = el("div", "cm-legend-grid");
    const top = s.spec.sectors.filter((x) => !x.other), rest = s.spec.sectors.filter((x) => x.other);
    const entries = top.map((x) => ({ text: x.label, colour: x.colour, codes: [s.spec.sectors.indexOf(x)] }));
    if (rest.length) entries.push({ text: ui("filterOther"), colour: rest[0].colour, codes: rest.map((x) => s.spec.sectors.indexOf(x)) });
    entries.forEach((entry) => {
      const b = el("button", "cm-legend-row cm-legend-button");
      b.type = "button";
      const key = el("span", "cm-key cm-key-dot");
      key.style.background = entry.colour;
      key.setAttribute("aria-hidden", "true");
      b.appendChild(key);
      b.appendChild(el("span", "cm-legend-text", entry.text));
      b.title = ui("sectorClick");
      b.addEventListener("click", () => {
        const current = s.selection.sector, only = current && current.size === entry.codes.length &&
          entry.codes.every((c) => current.has(c));
        const selection = Object.assign({}, s.selection);
        if (only) delete selection.sector; else selection.sector = new Set(entry.codes);
        lists.setSelection(s.key, selection);
      });
      map.on("cm:filter", () => {
        const cur = s.selection.sector;
        b.setAttribute("aria-pressed", String(!!cur && entry.codes.every((c) => cur.has(c)) && cur.size === entry.codes.length));
      });
      b.setAttribute("aria-pressed", "false");
      grid.appendChild(b);
    });
    root.appendChild(grid);
    root.appendChild(el("div", "cm-legend-note", ui("sectorClick")));
  }

  // The choice of choropleth measure: none, or per layer its count, density or a sector's share.
  // Receives the map, the payload and onChange(measure id or null); kept in step on "cm:measure".
  function colourControl(map, data, onChange) {
    const box = el("div", "cm-colour"), select = el("select");
    select.setAttribute("aria-label", ui("colourBy"));
    const none = el("option", null, ui("colourNone"));
    none.value = "";
    select.appendChild(none);
    // Per layer, its measures by city, then (where the divisions are drawn) by county/district.
    data.layers.forEach((layer) => [["city", "byCity"], ["district", "byDistrict"]].forEach(([level, key]) => {
      const measures = data.measures.filter((m) => m.layer === layer.key && (m.level || "city") === level);
      if (!measures.length) return;
      const group = el("optgroup");
      group.label = layer.name + " · " + ui(key);
      measures.forEach((m) => {
        const o = el("option", null, m.label);
        o.value = m.id;
        group.appendChild(o);
      });
      select.appendChild(group);
    }));
    box.appendChild(el("label", "cm-colour-label", ui("colourBy")));
    box.firstChild.appendChild(select);
    select.addEventListener("change", () => onChange(select.value || null));
    map.on("cm:measure", (e) => {
      const id = e.measure ? e.measure.id : "";
      if (select.value !== id) select.value = id;
    });
    return { node: box, select };
  }

  return { create, colourControl };
})();
