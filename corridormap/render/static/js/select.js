// Picking features on the map (the page of corridormap.MapWidget): a click picks a point, a
// shift-click adds it (or takes it out again), and a box or a lasso drawn with the mouse or a finger
// picks every shown point inside it (shift held: added to the selection). The selection is drawn as
// rings over its points and handed on as row indices per layer, never as rows.
// Receives the map's view (view.js) and {data, overlays, lists, day()}. Listens to "cm:pick"
// {id, add} (a symbol clicked) and "cm:datum" (the rings follow the basemap's datum).
CM.select = (() => {
  const { el, ui, formatNumber } = CM.text;
  const SVG = "http://www.w3.org/2000/svg";

  // The points a reader can pick, per layer: the organisation lists, enclaves and places.
  function sources(map, { data, overlays, lists, day }) {
    const out = lists.states.map((s) => ({
      key: s.key, n: s.n, lat: (i) => s.y[i] / 1e6, lon: (i) => s.x[i] / 1e6,
      on: () => map.hasLayer(s.group), shown: (i) => !s.mask || s.mask[i] === 1,
      index: (id) => (id.startsWith(s.key + ":") && /^\d+$/.test(id.slice(s.key.length + 1)) ? Number(id.slice(s.key.length + 1)) : -1),
    }));
    [["enclaves", "enclave:", data.enclaves], ["places", "place:", data.places]].forEach(([key, prefix, rows]) => {
      out.push({
        key, n: rows.length, lat: (i) => rows[i].lat, lon: (i) => rows[i].lon,
        on: () => map.hasLayer(overlays[key]), shown: (i) => CM.timeline.shown(rows[i].opened, day()),
        index: (id) => (id.startsWith(prefix) ? rows.findIndex((r) => prefix + r.id === id) : -1),
      });
    });
    return out;
  }

  // Per layer, the shown points drawn where inside(x, y) holds (container pixels). Only the points
  // in the shape's box (unprojected, widened by a datum's shift) are projected and tested.
  function within(view, srcs, box, inside) {
    const map = view.map, pad = 0.02;
    const sw = map.containerPointToLatLng([box[0], box[3]]), ne = map.containerPointToLatLng([box[2], box[1]]);
    const out = {}, wide = [sw.lng - pad, sw.lat - pad, ne.lng + pad, ne.lat + pad];
    srcs.forEach((src) => {
      if (!src.on()) return;
      const hits = [];
      for (let i = 0; i < src.n; i++) {
        const lat = src.lat(i), lon = src.lon(i);
        if (!CM.bounds.contains(wide, lon, lat) || !src.shown(i)) continue;
        const p = map.latLngToContainerPoint(view.place(lat, lon));
        if (inside(p.x, p.y)) hits.push(i);
      }
      if (hits.length) out[src.key] = hits;
    });
    return out;
  }

  // Even-odd rule: is (x, y) inside the polygon [[x, y], ...]?
  function inPolygon(ring, x, y) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i], [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function bbox(ring) {
    const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  }

  // The shape being drawn (box or lasso) over the map, in an SVG the size of the map.
  function sketch(map) {
    const svg = document.createElementNS(SVG, "svg"), shape = document.createElementNS(SVG, "polygon");
    svg.setAttribute("class", "cm-select-sketch");
    svg.appendChild(shape);
    map.getContainer().appendChild(svg);
    return {
      draw: (ring) => shape.setAttribute("points", ring.map((p) => p.join(",")).join(" ")),
      remove: () => svg.remove(),
    };
  }

  // A box or lasso drawn by one pointer from press to release; done(ring, add) at release.
  function drawShape(map, kind, done) {
    const box = map.getContainer();
    let ring = null, start = null, drawing = null;
    const at = (e) => { const r = box.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    const down = (e) => {
      if (e.target.closest(".leaflet-control") || ring) return;
      e.preventDefault();
      e.stopPropagation();
      start = at(e);
      ring = [start];
      drawing = sketch(map);
      box.setPointerCapture(e.pointerId);
    };
    const move = (e) => {
      if (!ring) return;
      const p = at(e);
      ring = kind === "box" ? [start, [p[0], start[1]], p, [start[0], p[1]]] : ring.concat([p]);
      drawing.draw(ring);
    };
    const up = (e) => {
      if (!ring) return;
      drawing.remove();
      const shape = ring;
      ring = null;
      stop();
      if (shape.length >= 3) done(shape, e.shiftKey);
    };
    box.addEventListener("pointerdown", down, true);
    box.addEventListener("pointermove", move, true);
    box.addEventListener("pointerup", up, true);
    map.dragging.disable();
    box.classList.add("cm-selecting");
    function stop() {
      box.removeEventListener("pointerdown", down, true);
      box.removeEventListener("pointermove", move, true);
      box.removeEventListener("pointerup", up, true);
      if (drawing) drawing.remove();
      ring = null;
      map.dragging.enable();
      box.classList.remove("cm-selecting");
    }
    return stop;
  }

  // Rings over the selected points, on a canvas of their own (thousands draw in milliseconds).
  function highlighter(view, srcs) {
    const map = view.map;
    map.createPane("cmSelected").style.zIndex = "450";
    const renderer = L.canvas({ pane: "cmSelected", padding: 0.2 }), layer = L.layerGroup().addTo(map);
    return (sel) => {
      layer.clearLayers();
      srcs.forEach((src) => (sel[src.key] || []).forEach((i) => {
        layer.addLayer(L.circleMarker(view.place(src.lat(i), src.lon(i)), {
          renderer, radius: 9, weight: 3, color: "#d7191c", fill: false, interactive: false,
        }));
      }));
    };
  }

  function toolbar(map, actions) {
    const bar = el("div", "leaflet-bar cm-select-bar");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", ui("selectTools"));
    const button = (cls, text, title, fn) => {
      const b = el("button", "cm-select-" + cls, text);
      b.type = "button";
      b.title = title;
      b.setAttribute("aria-label", title);
      b.addEventListener("click", (e) => { e.stopPropagation(); fn(b); });
      bar.appendChild(b);
      return b;
    };
    const box = button("box", "▭", ui("selectBox"), () => actions.tool("box"));
    const lasso = button("lasso", "◌", ui("selectLasso"), () => actions.tool("lasso"));
    button("clear", "✕", ui("selectClear"), () => actions.clear());
    const count = el("div", "cm-select-count");
    count.setAttribute("aria-live", "polite");
    bar.appendChild(count);
    L.DomEvent.disableClickPropagation(bar);
    const Control = L.Control.extend({ onAdd: () => bar });
    new Control({ position: "topleft" }).addTo(map);
    return {
      pressed: (kind) => {
        box.setAttribute("aria-pressed", String(kind === "box"));
        lasso.setAttribute("aria-pressed", String(kind === "lasso"));
      },
      count: (n) => { count.textContent = n ? ui("selected", { n: formatNumber(n) }) : ""; },
    };
  }

  // The selection tool; changed(selection) is called with {layer: [row indices, ascending]}.
  function create(view, parts, changed) {
    const map = view.map, srcs = sources(map, parts), draw = highlighter(view, srcs);
    let sel = {}, stop = null, kind = null;
    const set = (next, add) => {
      const out = add ? Object.assign({}, sel) : {};
      Object.keys(next).forEach((k) => {
        const merged = new Set(out[k] || []);
        next[k].forEach((i) => merged.add(i));
        out[k] = Array.from(merged).sort((a, b) => a - b);
      });
      sel = out;
      draw(sel);
      bar.count(Object.values(sel).reduce((a, v) => a + v.length, 0));
      changed(sel);
    };
    const tool = (next) => {
      if (stop) stop();
      stop = null;
      kind = kind === next ? null : next;
      bar.pressed(kind);
      if (!kind) return;
      stop = drawShape(map, kind, (ring, add) => {
        stop = null;
        kind = null;
        bar.pressed(null);
        set(within(view, srcs, bbox(ring), (x, y) => inPolygon(ring, x, y)), add);
      });
    };
    const bar = toolbar(map, { tool, clear: () => set({}, false) });
    bar.pressed(null);
    document.addEventListener("keydown", (e) => { if (e.key === "Escape" && kind) tool(kind); });
    map.on("cm:pick", (e) => pick(e.id, e.add));
    map.on("cm:datum", () => draw(sel));
    function pick(id, add) {
      const src = srcs.find((s) => s.index(id) >= 0);
      if (!src) return;
      const i = src.index(id), had = (sel[src.key] || []).indexOf(i) >= 0;
      if (add && had) {
        const next = Object.assign({}, sel, { [src.key]: sel[src.key].filter((j) => j !== i) });
        if (!next[src.key].length) delete next[src.key];
        set(next, false);
      } else set({ [src.key]: [i] }, add);
    }
    return { set: (next) => set(next, false), get: () => sel };
  }

  return { create, inPolygon };
})();
