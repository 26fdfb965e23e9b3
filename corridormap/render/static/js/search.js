// The search box: cities, routes, stations, enclaves, places and every organisation list (as
// filtered). A result flies no closer than its location's precision allows, then opens its popup.
// Receives the map, the organisation lists (lists.js), the other things it finds ({text, label,
// kind, go}) and closeSheet() (a phone's sheet makes room for the result). Listens to "cm:filter"
// (results follow the filter) and click (a click on the map closes them).
CM.search = (() => {
  const { el, ui } = CM.text;
  const LIMIT = 12;

  // The search box (its place, in the title card or a sheet, is the panels' to decide).
  function create(map, lists, searchables, closeSheet) {
    const box = el("div", "cm-search"), input = el("input"), list = el("ul", "cm-results");
    input.type = "search";
    input.placeholder = ui("searchPlaceholder");
    input.setAttribute("aria-label", ui("search"));
    list.setAttribute("aria-label", ui("searchResults"));
    box.appendChild(input);
    box.appendChild(list);

    function update() {
      const q = input.value.trim().toLowerCase();
      list.textContent = "";
      if (!q) return;
      // Names that start with the query first, then a word that does, then any match.
      const rank = (text) => { const t = text.toLowerCase(), k = t.indexOf(q); return k < 0 ? -1 : k === 0 ? 0 : /[\s(·-]/.test(t[k - 1]) ? 1 : 2; };
      const hits = searchables.map((h) => [rank(h.text), h]).filter(([r]) => r >= 0)
        .sort((a, b) => a[0] - b[0]).map(([, h]) => h).slice(0, LIMIT);
      lists.search(q, LIMIT - hits.length).forEach(({ state, index }) => {
        hits.push({ label: CM.lists.nameOf(state, index), kind: state.spec.name, go: () => lists.focus(state, index) });
      });
      if (!hits.length) { list.appendChild(el("li", "cm-none", ui("noResults"))); return; }
      hits.forEach((h) => {
        const li = el("li"), b = el("button", null, h.label);
        b.type = "button";
        b.appendChild(el("small", null, " " + h.kind));
        b.addEventListener("click", () => {
          list.textContent = "";
          closeSheet();  // on a phone the map needs its room back to show the result
          setTimeout(h.go, 0);  // after this click, so the map does not take it as a click to close
        });
        li.appendChild(b);
        list.appendChild(li);
      });
    }

    input.addEventListener("input", update);
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { const b = list.querySelector("button"); if (b) b.click(); }
      if (e.key === "ArrowDown") { const b = list.querySelector("button"); if (b) { e.preventDefault(); b.focus(); } }
    });
    list.addEventListener("keydown", (e) => {
      const items = Array.from(list.querySelectorAll("button")), k = items.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && k < items.length - 1) { e.preventDefault(); items[k + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (k > 0 ? items[k - 1] : input).focus(); }
    });
    map.on("cm:filter", () => { if (input.value) update(); });
    map.on("click", () => { list.textContent = ""; });
    return { node: box, input, list, update };
  }

  return { create };
})();
