// Popup contents for readers: what a thing is, where it is (and how precisely that is known),
// where the facts come from. Curator notes stay behind a closed "Data notes" disclosure.
CM.popup = (() => {
  const { el, ui, link, safeUrl } = CM.text;
  let sources = {}, precision = {}, cityNames = {};

  // The payload's sources, precision words and city names, set once at the start.
  function setup(data) {
    sources = data.sources || {};
    precision = data.precision || {};
    cityNames = {};
    (data.cities || []).forEach((c) => { cityNames[c.id] = c.name; });
  }

  // A city's name by its id (the id itself when unknown, null for none).
  function cityName(id) {
    return id ? cityNames[id] || id : null;
  }

  function precisionOf(value) {
    return precision[value || ""] || precision[""] || { text: String(value || ""), zoom: 14, ref: null };
  }

  // "known only to its district: shown at the district's reference point", marked when approximate.
  function precisionNode(value) {
    const p = precisionOf(value);
    return el("span", p.ref ? "cm-imprecise" : null, p.text);
  }

  // A distance in words: "≈ 8 km, from the district's reference point" when the point is a proxy.
  function distanceText(metres, value) {
    return ui(precisionOf(value).ref || "distSite", { v: CM.text.formatKm(metres) });
  }

  function paragraphs(texts) {
    if (!texts || !texts.length) return null;
    const box = el("div", "cm-about");
    texts.forEach((t) => box.appendChild(el("p", null, t)));
    return box;
  }

  function list(items) {
    if (!items || !items.length) return null;
    const ul = el("ul", "cm-list");
    items.forEach((t) => ul.appendChild(el("li", null, t)));
    return ul;
  }

  // The sources as a readable list of links: title — publisher, date.
  function sourcesList(ids) {
    const known = String(ids || "").split(";").map((s) => s.trim()).filter((id) => sources[id]);
    if (!known.length) return null;
    const wrap = el("div", "cm-sources");
    wrap.appendChild(el("div", "cm-sources-head", ui("sources")));
    const ol = el("ol");
    known.forEach((id) => {
      const s = sources[id], li = el("li"), url = safeUrl(s.url);
      const title = s.title || id;
      li.appendChild(url ? link(url, title) : el("span", null, title));
      const by = [s.publisher, s.date].filter(Boolean).join(", ");
      if (by) li.appendChild(el("span", "cm-by", " — " + by));
      ol.appendChild(li);
    });
    wrap.appendChild(ol);
    return wrap;
  }

  // The curator's notes (one paragraph a line), closed. The curated notes are written in English
  // only: on a Chinese page a note without Chinese text says so, and is marked as English.
  function notes(text) {
    if (!text) return null;
    const d = el("details", "cm-notes"), english = CM.text.lang() === "zh" && !/[\u3400-\u9fff]/.test(text);
    d.appendChild(el("summary", null, ui(english ? "dataNotesEn" : "dataNotes")));
    String(text).split("\n").forEach((line) => {
      const p = el("p", null, line);
      if (english) p.lang = "en";
      d.appendChild(p);
    });
    return d;
  }

  // A popup card: title, subtitle, a table of [label, value] rows (a value may be a Node; empty
  // values are left out), extra nodes, the sources and the data notes.
  function card(title, subtitle, rows, options) {
    const opts = options || {}, box = el("div", "cm-popup");
    box.appendChild(el("h2", "cm-title", title));
    if (subtitle) box.appendChild(el("div", "cm-subtitle", subtitle));
    const table = el("table", "cm-table");
    rows.forEach(([label, value]) => {
      if (value === null || value === undefined || value === "") return;
      const tr = el("tr");
      tr.appendChild(el("th", null, label));
      const td = el("td");
      if (value instanceof Node) td.appendChild(value); else td.textContent = String(value);
      tr.appendChild(td);
      table.appendChild(tr);
    });
    if (table.childNodes.length) box.appendChild(table);
    (opts.extra || []).forEach((node) => { if (node) box.appendChild(node); });
    const src = sourcesList(opts.sources);
    if (src) box.appendChild(src);
    const n = notes(opts.note);
    if (n) box.appendChild(n);
    return box;
  }

  return { setup, card, cityName, precisionOf, precisionNode, distanceText, paragraphs, list, sourcesList };
})();
