// Labels (handed over by Python, resolved for the page's language), DOM text and number formatting.
CM.text = (() => {
  let labels = {}, terms = {}, units = {}, language = "both";

  // The payload's labels: ui, terms (vocabulary), the page's language, units (after a number).
  function setLabels(ui, vocabulary, lang, unitLabels) {
    labels = ui || {};
    terms = vocabulary || {};
    language = lang || "both";
    units = unitLabels || {};
  }

  // The page's language: "en", "zh" or "both".
  function lang() {
    return language;
  }

  // An interface label, with {name} placeholders filled in.
  function ui(key, vars) {
    let s = Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : key;
    if (vars) Object.keys(vars).forEach((k) => { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }

  // A unit after a number, as Python resolves it (labels.resolve: in a bilingual page the
  // international one once, "50 km", not "50 km · 公里").
  function unit(key) {
    return Object.prototype.hasOwnProperty.call(units, key) ? units[key] : ui(key);
  }

  // A vocabulary value (sector, kind) in the page's language; other values as they are.
  function term(value) {
    if (value === null || value === undefined || value === "") return value;
    return Object.prototype.hasOwnProperty.call(terms, value) ? terms[value] : String(value);
  }

  // A new element whose text (data or label) is set as text, never parsed as markup.
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Only http(s) addresses become links.
  function safeUrl(value) {
    if (!value) return null;
    try {
      const url = new URL(String(value));
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function link(url, text) {
    const a = el("a", null, text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  // 1234567.891 -> "1,234,567.89" (not toLocaleString, whose first call costs ~30 ms of ICU start-up).
  function formatNumber(value, decimals) {
    if (typeof value !== "number" || !isFinite(value)) return String(value);
    const places = decimals === undefined ? (Number.isInteger(value) ? 0 : 2) : decimals;
    const fixed = value.toFixed(places);
    const [whole, frac] = fixed.split(".");
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return frac && /[1-9]/.test(frac) ? grouped + "." + frac.replace(/0+$/, "") : grouped;
  }

  // A distance in metres as kilometres: one decimal under 10 km.
  function formatKm(metres) {
    const km = metres / 1000;
    return formatNumber(km, km < 10 ? 1 : 0);
  }

  // The width in pixels of text set in font (a CSS font), measured on a canvas (no layout).
  let measurer = null;
  function textWidth(text, font) {
    measurer = measurer || document.createElement("canvas").getContext("2d");
    measurer.font = font;
    return Math.ceil(measurer.measureText(text).width);
  }

  return { textWidth, setLabels, lang, ui, unit, term, el, safeUrl, link, formatNumber, formatKm };
})();
