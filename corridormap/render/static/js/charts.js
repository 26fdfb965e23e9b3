// Small SVG charts built from the data, with every label set as text (never markup).
CM.charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const { el, formatNumber } = CM.text;

  function svg(tag, attrs, text) {
    const node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach((k) => node.setAttribute(k, attrs[k]));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Horizontal bars, each under its label (a label in two languages on two lines): items
  // [{label, value, text, colour}], lengths against max.
  function bars(items, options) {
    const opts = options || {}, width = opts.width || 270, max = opts.max || Math.max(1, ...items.map((d) => d.value));
    const space = width - 100, rows = items.map((d) => String(d.label).split(" · "));
    const height = rows.reduce((h, lines) => h + lines.length * 13 + 17, 2);
    const chart = svg("svg", { width, height, viewBox: "0 0 " + width + " " + height, class: "cm-chart",
                               role: "img", "aria-label": opts.title || "" });
    if (opts.title) chart.appendChild(svg("title", {}, opts.title));
    let y = 0;
    items.forEach((d, i) => {
      const w = Math.max(1.5, (d.value / max) * space);
      rows[i].forEach((line) => { y += 13; chart.appendChild(svg("text", { x: 0, y: y - 2, class: "cm-chart-label" }, line)); });
      if (opts.max) chart.appendChild(svg("rect", { x: 0, y: y + 2, width: space, height: 10, class: "cm-chart-track" }));
      chart.appendChild(svg("rect", { x: 0, y: y + 2, width: w, height: 10, fill: d.colour || "#4a6fa5", class: "cm-chart-bar" }));
      chart.appendChild(svg("text", { x: w + 4, y: y + 11, class: "cm-chart-value" },
                            d.text !== undefined ? d.text : formatNumber(d.value)));
      y += 17;
    });
    return chart;
  }

  // A figure at two dates: two bars and the change between them.
  function change(items, title) {
    return bars(items.map((d) => ({ label: d.period || d.label, value: d.value, text: d.text })),
                { title });
  }

  // Shares of national totals, each bar against 100 %.
  function shares(items, title) {
    return bars(items.map((d) => ({ label: d.label, value: d.value, text: d.text })),
                { title, max: 100 });
  }

  // A chart block with a heading.
  function figure(title, chart) {
    const box = el("figure", "cm-figure");
    box.appendChild(el("figcaption", null, title));
    box.appendChild(chart);
    return box;
  }

  return { bars, change, shares, figure };
})();
