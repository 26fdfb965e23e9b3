// Facet filters over a point layer's categorical columns: which points are shown, and how many
// each value would show given the other facets (the counts beside each checkbox).
CM.filter = (() => {
  // A facet selection: {catKey: Set of codes shown}; a facet absent from it shows every value.
  // Returns a Uint8Array, 1 where a point passes every facet and extra (a mask or null).
  // (Indexed loops over typed arrays: a million points in a few milliseconds per facet.)
  function mask(cats, selection, n, extra) {
    const out = new Uint8Array(n);
    if (extra) out.set(extra); else out.fill(1);
    for (const f of activeFacets(cats, selection)) {
      const codes = f.codes, allowed = f.allowed;
      for (let i = 0; i < n; i++) if (out[i] && !allowed[codes[i] + 1]) out[i] = 0;
    }
    return out;
  }

  // The facets with a selection, each with a lookup table allowed[code + 1] (code -1: missing).
  function activeFacets(cats, selection) {
    const out = [];
    cats.forEach((cat, index) => {
      const chosen = selection[cat.key];
      if (!chosen) return;
      const allowed = new Uint8Array(cat.values.length + 1);
      chosen.forEach((code) => { allowed[code + 1] = 1; });
      out.push({ key: cat.key, index, codes: cat.codes, allowed });
    });
    return out;
  }

  // For each facet, the points per value that pass all the other facets (and extra):
  // {catKey: Int32Array(values + 1)}, index code + 1 (0 counts missing values). One pass counts
  // how many facets each point fails; a point failing none counts in every facet, a point failing
  // one counts in that one only.
  function counts(cats, selection, n, extra) {
    const active = activeFacets(cats, selection), fails = new Uint8Array(n), which = new Uint8Array(n);
    for (const f of active) {
      const codes = f.codes, allowed = f.allowed, k = f.index;
      for (let i = 0; i < n; i++) if (!allowed[codes[i] + 1]) { fails[i]++; which[i] = k; }
    }
    const out = {};
    cats.forEach((cat, k) => {
      const tally = new Int32Array(cat.values.length + 1), codes = cat.codes;
      for (let i = 0; i < n; i++) {
        if (extra && !extra[i]) continue;
        const f = fails[i];
        if (f === 0 || (f === 1 && which[i] === k)) tally[codes[i] + 1]++;
      }
      out[cat.key] = tally;
    });
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
