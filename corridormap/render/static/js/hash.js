// The view in the URL hash, so a shared link reopens it:
// #map=zoom/lat/lon&base=i&off=k1,k2&on=k3&date=2017-08-01&colour=measure&f.layer=cat:v1|v2;cat2:v3
// &tour=3 (off: overlays shown by default but hidden; on: overlays hidden by default but shown;
// tour: the guided tour open at that step, from 1).
CM.hash = (() => {
  // A part of the hash as text, or null when its escapes are malformed (a link cut mid-character):
  // the caller then ignores that part only, and the rest of the link still applies.
  function decode(text) {
    try {
      return decodeURIComponent(text);
    } catch {
      return null;
    }
  }

  const decodeAll = (list) => list.map(decode).filter((v) => v !== null);

  function parse(hash) {
    // Filters keyed by names from the link: no prototype, so "__proto__" or "constructor" is just a name.
    const state = { map: null, base: null, off: null, on: null, date: null, colour: null, filters: Object.create(null),
                    tour: null };
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
        state[key] = raw ? decodeAll(raw.split(",")) : [];
      } else if (key === "date") {
        if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(raw)) state.date = raw;
      } else if (key === "tour") {
        if (/^[1-9]\d{0,3}$/.test(raw)) state.tour = Number(raw);
      } else if (key === "colour") {
        state.colour = decode(raw);
      } else if (key.slice(0, 2) === "f." && decode(key.slice(2)) !== null) {
        state.filters[decode(key.slice(2))] = parseFilter(raw);
      }
    });
    return state;
  }

  function parseFilter(raw) {
    const out = Object.create(null);
    raw.split(";").forEach((part) => {
      const i = part.indexOf(":");
      const name = i > 0 ? decode(part.slice(0, i)) : null;
      if (name === null) return;
      const values = part.slice(i + 1);
      out[name] = values ? decodeAll(values.split("|")) : [];
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
    if (state.tour) parts.push("tour=" + state.tour);
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
