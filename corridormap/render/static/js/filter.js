// Facet filters over a point layer's categorical columns: which points are shown, and how many
// each value would show given the other facets (the counts beside each checkbox).
CM.filter = (() => {
  // A facet selection: {catKey: Set of codes shown}; a facet absent from it shows every value.
  // Returns a Uint8Array, 1 where a point passes every facet and extra (a mask or null).
  function mask(cats, selection, n, extra) {
    const out = new Uint8Array(n).fill(1), active = activeFacets(cats, selection);
    for (let i = 0; i < n; i++) {
      if (extra && !extra[i]) { out[i] = 0; continue; }
      for (const f of active) if (!f.allowed[f.codes[i] + 1]) { out[i] = 0; break; }
    }
    return out;
  }

  // The facets with a selection, each with a lookup table allowed[code + 1] (code -1: missing).
  function activeFacets(cats, selection) {
    const out = [];
    for (const cat of cats) {
      const chosen = selection[cat.key];
      if (!chosen) continue;
      const allowed = new Uint8Array(cat.values.length + 1);
      chosen.forEach((code) => { allowed[code + 1] = 1; });
      out.push({ key: cat.key, codes: cat.codes, allowed });
    }
    return out;
  }

  // For each facet, the points per value that pass all the other facets (and extra):
  // {catKey: Int32Array(values + 1)}, index code + 1 (0 counts missing values).
  function counts(cats, selection, n, extra) {
    const active = activeFacets(cats, selection), out = {};
    cats.forEach((c) => { out[c.key] = new Int32Array(c.values.length + 1); });
    for (let i = 0; i < n; i++) {
      if (extra && !extra[i]) continue;
      let failed = null, fails = 0;
      for (const f of active) {
        if (!f.allowed[f.codes[i] + 1]) { fails++; failed = f.key; if (fails > 1) break; }
      }
      if (fails > 1) continue;
      for (const c of cats) {
        if (fails === 0 || c.key === failed) out[c.key][c.codes[i] + 1]++;
      }
    }
    return out;
  }

  // The selection as the URL keeps it (values, not codes), and back.
  function toValues(cats, selection) {
    const out = {};
    cats.forEach((c) => {
      if (selection[c.key]) out[c.key] = Array.from(selection[c.key]).sort((a, b) => a - b).map((k) => String(c.values[k]));
    });
    return out;
  }

  function fromValues(cats, values) {
    const out = {};
    cats.forEach((c) => {
      if (!values || !values[c.key]) return;
      const index = new Map(c.values.map((v, k) => [String(v), k]));
      out[c.key] = new Set(values[c.key].filter((v) => index.has(v)).map((v) => index.get(v)));
    });
    return out;
  }

  return { mask, counts, toValues, fromValues };
})();
