// The view in the URL hash, so a shared link reopens it:
// #map=zoom/lat/lon&base=i&off=k1,k2&on=k3&date=2017-08-01&colour=measure&f.layer=cat:v1|v2;cat2:v3
// (off: overlays shown by default but hidden; on: overlays hidden by default but shown).
CM.hash = (() => {
  function parse(hash) {
    const state = { map: null, base: null, off: null, on: null, date: null, colour: null, filters: {} };
    String(hash || "").replace(/^#/, "").split("&").forEach((pair) => {
      const i = pair.indexOf("=");
      if (i <= 0) return;
      const key = pair.slice(0, i), raw = pair.slice(i + 1);
      if (key === "map") {
        const v = raw.split("/").map(Number);
        if (v.length === 3 && v.every(isFinite)) state.map = { zoom: v[0], lat: v[1], lon: v[2] };
      } else if (key === "base") {
        if (/^\d+$/.test(raw)) state.base = Number(raw);
      } else if (key === "off" || key === "on") {
        state[key] = raw ? raw.split(",").map(decodeURIComponent) : [];
      } else if (key === "date") {
        if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(raw)) state.date = raw;
      } else if (key === "colour") {
        state.colour = decodeURIComponent(raw);
      } else if (key.slice(0, 2) === "f.") {
        state.filters[decodeURIComponent(key.slice(2))] = parseFilter(raw);
      }
    });
    return state;
  }

  function parseFilter(raw) {
    const out = {};
    raw.split(";").forEach((part) => {
      const i = part.indexOf(":");
      if (i <= 0) return;
      const values = part.slice(i + 1);
      out[decodeURIComponent(part.slice(0, i))] = values ? values.split("|").map(decodeURIComponent) : [];
    });
    return out;
  }

  function format(state) {
    const parts = [];
    if (state.map) {
      const m = state.map;
      parts.push("map=" + Number(m.zoom.toFixed(2)) + "/" + m.lat.toFixed(5) + "/" + m.lon.toFixed(5));
    }
    if (state.base !== null && state.base !== undefined) parts.push("base=" + state.base);
    if (state.off && state.off.length) parts.push("off=" + state.off.map(encodeURIComponent).join(","));
    if (state.on && state.on.length) parts.push("on=" + state.on.map(encodeURIComponent).join(","));
    if (state.date) parts.push("date=" + state.date);
    if (state.colour) parts.push("colour=" + encodeURIComponent(state.colour));
    Object.keys(state.filters || {}).sort().forEach((layer) => {
      const cats = state.filters[layer];
      const text = Object.keys(cats).sort().map((cat) =>
        encodeURIComponent(cat) + ":" + cats[cat].map(encodeURIComponent).join("|")).join(";");
      if (text) parts.push("f." + encodeURIComponent(layer) + "=" + text);
    });
    return "#" + parts.join("&");
  }

  return { parse, format };
})();
