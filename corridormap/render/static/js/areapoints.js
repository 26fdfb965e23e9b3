// Points of a list placed only to a district or a city (no site of their own): never drawn as
// points nor grouped with the sited ones, but as one count symbol per area at the area's reference
// point, with the dashed outline of a point located only to its area. The symbol opens a
// scrollable list of its members, each opening its own popup. Following the layer's filter.
// Pure but for items (given the map and popupOf(s, i), a member's popup content); no events.
CM.areaPoints = (() => {
  const { el, ui, formatNumber } = CM.text;
  const LISTED = 500;  // members listed in one area's popup; the rest are counted

  // The layer's area codes (or null) and the mask of its points at a site (1) or in an area (0).
  function setup(s) {
    s.area = s.spec.area ? CM.columns.typed(s.spec.area, Int32Array) : null;
    s.areas = s.spec.areas || [];
    s.sited = null;
    if (s.area) {
      s.sited = new Uint8Array(s.n);
      for (let i = 0; i < s.n; i++) s.sited[i] = s.area[i] < 0 ? 1 : 0;
    }
    s.drawn = drawnMask(s);
  }

  // The points drawn as points (and counted in groups and hexagons): shown by the filter, at a site.
  function drawnMask(s) {
    if (!s.sited) return s.mask;
    if (!s.mask) return s.sited;
    const out = new Uint8Array(s.n);
    for (let i = 0; i < s.n; i++) out[i] = s.mask[i] && s.sited[i];
    return out;
  }

  // Each area's members shown by the filter, in the list's order.
  function members(s) {
    const out = s.areas.map(() => []);
    if (!s.area) return out;
    for (let i = 0; i < s.n; i++) {
      const a = s.area[i];
      if (a >= 0 && (!s.mask || s.mask[i])) out[a].push(i);
    }
    return out;
  }

  // The count symbol's title: one sentence per language shown, each with the area's name in that
  // language (the templates and names come from Python: spec.areaTitle, area.names).
  function title(s, area, n) {
    const vars = { n: formatNumber(n), list: s.spec.name };
    const titles = s.spec.areaTitle || [];
    if (!titles.length) return ui("areaCount", { ...vars, area: area.name });
    return titles.map((t, k) => fill(t, { ...vars, area: (area.names || [])[k] ?? area.name })).join(" · ");
  }

  // {n}, {list} and {area} filled in one pass, so that a name holding "{n}" stays as written.
  function fill(template, vars) {
    return template.replace(/\{(n|list|area)\}/g, (m, k) => String(vars[k]));
  }

  // One count symbol per area with members shown, for the point layer.
  function items(map, s, popupOf) {
    if (!s.area) return [];
    const out = [];
    members(s).forEach((ids, a) => {
      if (!ids.length) return;
      const area = s.areas[a], n = ids.length;
      const name = title(s, area, n);
      out.push({
        id: s.key + ":a" + a + ":" + n, symbol: "cluster", area: true, group: s.group,
        lat: area.lat, lon: area.lon, r: Math.max(9, CM.groups.radius(n)), count: n >= 10000 ? Math.round(n / 1000) + "k" : formatNumber(n),
        opened: null, precision: area.precision, name,
        open: (marker) => membersPopup({ map, s, area, ids, popupOf }, marker.getLatLng()),
      });
    });
    return out;
  }

  // The area's members as buttons (each the whole row), in a scrolling list; each opens the
  // member's own popup there. ``back`` is the member whose popup was left: it gets the focus.
  // (list: {map, s, area, ids, popupOf}, the area's members and how to show one.)
  function membersPopup(list, at, back) {
    const { map, s, area, ids } = list;
    const box = el("div", "cm-popup"), ul = el("ul", "cm-members cm-area-members");
    box.appendChild(el("h2", "cm-title", title(s, area, ids.length)));
    const where = CM.popup.precisionOf(area.precision).text;
    box.appendChild(el("div", "cm-subtitle", area.city ? area.city + " — " + where : where));
    let focus = null;
    ids.slice(0, LISTED).forEach((i) => {
      const b = el("button", "cm-member", CM.lists.nameOf(s, i));
      b.type = "button";
      b.addEventListener("click", () => memberPopup(list, at, i));
      if (i === back || !focus) focus = b;
      const li = el("li");
      li.appendChild(b);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    if (ids.length > LISTED) box.appendChild(el("div", "cm-subtitle", ui("more", { n: formatNumber(ids.length - LISTED) })));
    // Escape closes the list and leaves the focus on the map (not lost with the popup).
    onEscape(box, () => { map.closePopup(); map.getContainer().focus({ preventScroll: true }); });
    L.popup({ className: "cm-area-popup" }).setLatLng(at).setContent(box).openOn(map);
    if (focus) {
      focus.focus({ preventScroll: true });
      if (back !== undefined) focus.scrollIntoView({ block: "nearest" });
    }
  }

  // A member's popup, led by a button back to the area's list (Escape goes back too).
  function memberPopup(list, at, i) {
    list.map.closePopup();
    const box = el("div", "cm-area-member");
    const toList = () => membersPopup(list, at, i);
    const back = el("button", "cm-button cm-back", "← " + ui("backToList", { n: formatNumber(list.ids.length) }));
    back.type = "button";
    back.addEventListener("click", toList);
    box.appendChild(back);
    box.appendChild(list.popupOf(list.s, i));
    onEscape(box, toList);
    L.popup().setLatLng(at).setContent(box).openOn(list.map);
    back.focus({ preventScroll: true });
  }

  // Escape inside a popup runs ``fn`` instead of Leaflet's closing it.
  function onEscape(box, fn) {
    box.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      e.preventDefault();
      e.stopPropagation();
      fn();
    });
  }

  return { setup, drawnMask, items, members };
})();
