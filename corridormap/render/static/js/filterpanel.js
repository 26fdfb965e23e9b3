// The filter panel: for each organisation layer, its facets (sector, city, kind and an own list's
// categorical columns), each value a checkbox with the count it would show. Kept in the URL hash.
// Receives the map and the organisation lists (lists.js); a tick sets its layer's filter there.
// Listens to "cm:filter" (checks and counts follow the filter, wherever it was set).
CM.filterpanel = (() => {
  const { el, ui, formatNumber } = CM.text;

  function create(map, lists) {
    const root = el("div", "cm-filters"), views = [];
    lists.states.forEach((s) => views.push(layerFilter(lists, s, root)));
    function refresh() { views.forEach((v) => v.refresh()); }
    map.on("cm:filter", refresh);
    refresh();
    return { node: root, refresh, views };
  }

  function layerFilter(lists, s, root) {
    const box = el("fieldset", "cm-filter");
    const legend = el("legend", null, s.spec.name);
    box.appendChild(legend);
    const shown = el("div", "cm-filter-shown");
    shown.setAttribute("aria-live", "polite");
    box.appendChild(shown);
    if (s.spec.notPlaced > 0) {  // rows of the list left out by a lenient build (listed in its not-placed CSV)
      const n = s.spec.notPlaced;
      box.appendChild(el("div", "cm-filter-unplaced", n === 1 ? ui("notPlacedOne") : ui("notPlaced", { n: formatNumber(n) })));
    }
    const facets = s.cats.map((cat) => facet(lists, s, cat, box));
    root.appendChild(box);

    function refresh() {
      const counts = CM.filter.counts(s.cats, s.selection, s.n, null);
      let total = 0;
      if (s.mask) for (let i = 0; i < s.n; i++) total += s.mask[i]; else total = s.n;
      shown.textContent = ui("filterShown", { n: formatNumber(total), total: formatNumber(s.n) });
      facets.forEach((f) => f.refresh(counts[f.cat.key]));
    }
    return { refresh, box };
  }

  function facet(lists, s, cat, parent) {
    const details = el("details", "cm-facet"), summary = el("summary", null, cat.label);
    details.appendChild(summary);
    const tools = el("div", "cm-facet-tools");
    const all = el("button", "cm-link", ui("filterAll")), none = el("button", "cm-link", ui("filterNone"));
    all.type = none.type = "button";
    tools.appendChild(all);
    tools.appendChild(none);
    details.appendChild(tools);
    const list = el("ul", "cm-facet-values");
    details.appendChild(list);
    parent.appendChild(details);
    const boxes = cat.values.map((v, k) => {
      const li = el("li"), label = el("label"), input = el("input"), count = el("span", "cm-count");
      input.type = "checkbox";
      input.checked = true;
      input.value = String(k);
      label.appendChild(input);
      label.appendChild(el("span", null, " " + (cat.labels[k] === null ? v : cat.labels[k])));
      label.appendChild(count);
      li.appendChild(label);
      list.appendChild(li);
      input.addEventListener("change", () => apply());
      return { input, count, li, k };
    });

    function apply(codes) {
      const chosen = codes || new Set(boxes.filter((b) => b.input.checked).map((b) => b.k));
      const selection = Object.assign({}, s.selection);
      if (chosen.size === cat.values.length) delete selection[cat.key]; else selection[cat.key] = chosen;
      lists.setSelection(s.key, selection);
    }
    all.addEventListener("click", () => apply(new Set(cat.values.map((_, k) => k))));
    none.addEventListener("click", () => apply(new Set()));

    // Values with most points first, in the order of the whole list (values stay where they are
    // while the reader ticks them).
    let ordered = false;

    // Checked state from the selection; counts beside each value.
    function refresh(counts) {
      const chosen = s.selection[cat.key];
      boxes.forEach((b) => {
        b.input.checked = !chosen || chosen.has(b.k);
        b.count.textContent = " " + formatNumber(counts[b.k + 1]);
      });
      if (!ordered) {
        const totals = CM.filter.counts([cat], {}, s.n, null)[cat.key];
        boxes.slice().sort((a, b) => totals[b.k + 1] - totals[a.k + 1] || a.k - b.k).forEach((b) => list.appendChild(b.li));
        ordered = true;
      }
      summary.textContent = cat.label + (chosen ? " (" + chosen.size + "/" + cat.values.length + ")" : "");
    }
    return { cat, refresh, apply };
  }

  return { create };
})();
