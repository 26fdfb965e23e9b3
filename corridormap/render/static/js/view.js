// The map as the modules draw on it: where a WGS-84 coordinate is drawn in the basemap's datum,
// the shapes that follow a datum change, a view change that waits for a zoom animation, and the
// part of the map no control covers. Made once by main.js and handed to each module's create.
//
// Receives: the Leaflet map. Fires on the map: "cm:datum" {datum} when the basemap's datum
// changes (after the shapes have moved). Listens to: zoomanim, zoomend (for whenStill); moveend,
// resize and cm:room (the shapes the keyboard reaches).
CM.view = (() => {
  // The part of the map no control covers, in container pixels [x0, y0, x1, y1]: the popups' pan
  // padding, which the panels (panels.js) keep clear of the controls.
  function freeRect(map) {
    const o = L.Popup.prototype.options, size = map.getSize();
    const tl = o.autoPanPaddingTopLeft || L.point(0, 0), br = o.autoPanPaddingBottomRight || L.point(0, 0);
    return [tl.x, tl.y, size.x - br.x, size.y - br.y];
  }

  // fn now, or once a zoom animation under way (a double click's, the wheel's) has ended: Leaflet
  // finishes an animation it was interrupted in, undoing a jump made meanwhile.
  function stillness(map) {
    let animating = false;
    map.on("zoomanim", () => { animating = true; });
    map.on("zoomend", () => { animating = false; });
    return (fn) => (animating ? map.once("zoomend", () => setTimeout(fn, 0)) : fn());
  }

  // fn, run once after the events of this task (a move ends in several: zoomend, moveend and the
  // redraws they start), before the page is drawn: the function to listen with.
  function afterEvents(fn) {
    let queued = false;
    return () => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => { queued = false; fn(); });
    };
  }

  // fn(layer, open): a shape that opens on Enter. Leaflet makes a shape with a tooltip focusable,
  // so Tab reaches it; it is in the tab order only while its box meets the free part of the map,
  // as the point symbols are (points.js reachable). Tab had stopped on shapes out of view or under
  // a panel: 11 of 39 stops on a phone at zoom 11 over the centre.
  function keyOpens(map) {
    const shapes = new Set();
    const freeBounds = () => {
      const f = freeRect(map);
      return { rect: L.bounds([f[0], f[1]], [f[2], f[3]]),
               box: L.latLngBounds(map.containerPointToLatLng([f[0], f[3]]), map.containerPointToLatLng([f[2], f[1]])) };
    };
    const flat = (lls) => (L.LineUtil.isFlat(lls) ? [lls] : lls.flatMap(flat));
    // An area whose box meets the free view; a line with a stretch in it (a diagonal line's box
    // can meet the view while the line passes by).
    const meets = (layer, free) => free.box.intersects(layer.getBounds()) && (layer instanceof L.Polygon ||
      flat(layer.getLatLngs()).some((line) => {
        const pts = line.map((ll) => map.latLngToContainerPoint(ll));
        return pts.some((p, k) => k > 0 && L.LineUtil.clipSegment(pts[k - 1], p, free.rect));
      }));
    const reach = (layer, free) => {
      const node = layer.getElement();  // none while the layer is off the map
      const tab = node && (meets(layer, free) ? "0" : "-1");
      if (node && node.getAttribute("tabindex") !== tab) node.setAttribute("tabindex", tab);
    };
    map.on("moveend resize cm:room", afterEvents(() => {
      const free = freeBounds();
      shapes.forEach((layer) => reach(layer, free));
    }));
    return (layer, open) => {
      const node = layer.getElement();
      if (!node) return;
      if (!node.cmEnter) {
        node.cmEnter = true;
        node.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
      }
      shapes.add(layer);
      reach(layer, freeBounds());
    };
  }

  function create(map) {
    let datum = "wgs84";
    const shiftables = [];
    const place = (lat, lon) => L.latLng(CM.datum.place(lat, lon, datum));
    const shiftDeep = (ll) => (Array.isArray(ll) ? ll.map(shiftDeep) : place(ll.lat, ll.lng));
    return Object.freeze({
      map,
      place,
      datum: () => datum,
      // A path drawn from WGS-84 coordinates, moved with the datum from now on.
      shiftable(layer) {
        layer.cmOrig = layer.getLatLngs();
        shiftables.push(layer);
        return layer;
      },
      setDatum(next) {
        if (next === datum) return;
        datum = next;
        shiftables.forEach((layer) => layer.setLatLngs(shiftDeep(layer.cmOrig)));
        map.fire("cm:datum", { datum });
      },
      whenStill: stillness(map),
      freeRect: () => freeRect(map),
      keyOpens: keyOpens(map),
    });
  }

  return { create, afterEvents };
})();
