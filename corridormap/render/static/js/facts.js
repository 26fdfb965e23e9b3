// The corridor facts: the article's figures, some as small charts, each with its source.
// Receives the payload's charts and facts; fires and listens to no events.
CM.facts = (() => {
  const { el } = CM.text;

  function create(data) {
    const root = el("div", "cm-facts"), charted = new Set();
    data.charts.forEach((c) => {
      const chart = c.kind === "share" ? CM.charts.shares(c.items, c.title) : CM.charts.change(c.items, c.title);
      root.appendChild(CM.charts.figure(c.title, chart));
      c.items.forEach((item) => charted.add(item.label));
    });
    const ul = el("ul", "cm-fact-list");
    data.facts.forEach((f) => {
      const li = el("li");
      li.appendChild(el("span", null, f.label + ": "));
      li.appendChild(el("strong", null, f.text));
      if (f.period) li.appendChild(el("span", "cm-by", " (" + f.period + ")"));
      ul.appendChild(li);
    });
    root.appendChild(ul);
    const ids = Array.from(new Set(data.facts.flatMap((f) => String(f.source_ids || "").split(";")).filter(Boolean)));
    const sources = CM.popup.sourcesList(ids.join(";"));
    if (sources) root.appendChild(sources);
    return { node: root };
  }

  return { create };
})();
