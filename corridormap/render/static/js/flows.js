// The innovation enclaves as flows: a curved line (its geometry computed in Python, the same as
// `corridormap export` writes) from each home city to its enclave, an arrowhead at the enclave,
// its width by the companies in the enclave where a source gives them. Homes outside the nine
// cities are labelled points. A line's tooltip names both ends; a click opens the enclave.
CM.flows = (() => {
  const { el, ui } = CM.text;
  const COLOUR = "#6a3d9a", UNKNOWN = 1.75, HOME_LABEL_ZOOM = 7;

  const width = (companies) => (companies ? Math.min(9, 2 + 1.4 * Math.sqrt(companies)) : UNKNOWN);

  // One SVG arrowhead for every line, in the flows' own renderer (sized by the line's width).
  function arrowhead(renderer) {
    const svg = renderer._container;  // Leaflet 1.9's SVG renderer element, made on its first layer
    if (!svg || svg.querySelector("#cm-flow-arrow")) return;
    const ns = "http://www.w3.org/2000/svg";
    const defs = document.createElementNS(ns, "defs"), marker = document.createElementNS(ns, "marker");
    const attrs = { id: "cm-flow-arrow", viewBox: "0 0 10 10", refX: "7", refY: "5", markerWidth: "3.2",
                    markerHeight: "3.2", orient: "auto" };
    Object.keys(attrs).forEach((k) => marker.setAttribute(k, attrs[k]));
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M0,0 L10,5 L0,10 z");
    path.setAttribute("fill", COLOUR);
    marker.appendChild(path);
    defs.appendChild(marker);
    svg.insertBefore(defs, svg.firstChild);
  }

  function create(ctx) {
    const { map, data } = ctx, group = ctx.overlays.flows, lines = {};
    if (!group) return { lines };
    const renderer = L.svg({ pane: "cmRoutes" });
    data.flows.lines.forEach((f) => {
      const w = width(f.companies);
      const line = ctx.shiftable(L.polyline(f.coords, {
        pane: "cmRoutes", renderer, color: COLOUR, weight: w, opacity: 0.85, interactive: false,
        dashArray: f.companies ? null : "6 5", className: "cm-flow",
      })).addTo(group);
      const hit = ctx.shiftable(L.polyline(f.coords, { pane: "cmRoutes", renderer, weight: 14, opacity: 0,
                                                     className: "cm-flow-hit", bubblingMouseEvents: false })).addTo(group);
      const label = ui("flowTo").replace("{home}", f.homeName).replace("{enclave}", f.enclaveName);
      hit.bindTooltip(() => el("span", null, label), { sticky: true, direction: "top", offset: [0, -6] });
      const open = () => openEnclave(ctx, f);
      hit.on("click", open);
      const decorate = () => {
        arrowhead(renderer);
        const node = line.getElement();
        if (node) node.setAttribute("marker-end", "url(#cm-flow-arrow)");
        const h = hit.getElement();
        if (h) CM.areas.enterOpens(hit, open);
      };
      hit.on("add", decorate);
      lines[f.id] = { record: f, line, hit, decorate };
    });
    data.flows.homes.forEach((h) => {
      const at = ctx.place(h.lat, h.lon);
      const dot = L.circleMarker(at, { pane: "cmRoutes", renderer, radius: 5, color: "#fff", weight: 2,
                                       fillColor: COLOUR, fillOpacity: 1, interactive: false });
      dot.bindTooltip(el("span", null, h.name), { permanent: true, direction: "top", className: "cm-home-label", offset: [0, -5] });
      group.addLayer(dot);
    });
    if (map.hasLayer(group)) Object.values(lines).forEach(({ decorate }) => decorate());
    // Below zoom 7 a home's name would lie over the corridor cities' own: its point stays, unnamed.
    const small = () => map.getContainer().classList.toggle("cm-homes-small", map.getZoom() < HOME_LABEL_ZOOM);
    map.on("zoomend", small);
    small();
    return { lines };
  }

  // The enclave's own popup, where its symbol is drawn (brought on screen and shown if need be).
  function openEnclave(ctx, f) {
    const enclaves = ctx.overlays.enclaves;
    if (enclaves && !ctx.map.hasLayer(enclaves)) ctx.map.addLayer(enclaves);
    if (ctx.openItem(f.enclave)) return;
    const end = f.coords[f.coords.length - 1];
    ctx.map.setView(ctx.place(end[0], end[1]), ctx.map.getZoom(), { animate: false });
    ctx.openItem(f.enclave);
  }

  // The legend's rows: what a line means, its width, and the homes outside the nine.
  function legend(root, row, heading) {
    heading(root, ui("legendFlows"));
    row(root, "cm-key-flow", ui("flowSym"));
    row(root, "cm-key-flow cm-key-flow-wide", ui("flowWidth"));
    row(root, "cm-key-flow cm-key-flow-unknown", ui("flowUnknown"));
    row(root, "cm-key-home", ui("homeSym"));
  }

  return { create, legend, width };
})();
