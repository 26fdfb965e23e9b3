// The page around the map: a title card (title, search, about / share / reset), a side panel of
// sections (layers, legend, colour, filter, facts, about) on a desktop, a toolbar of buttons with
// a bottom sheet on a phone, and the room popups must leave for them.
CM.panels = (() => {
  const { el, ui, link, safeUrl } = CM.text;
  const PHONE = "(max-width: 480px)";

  function create(ctx) {
    const { map } = ctx, container = map.getContainer();
    const phone = window.matchMedia(PHONE);
    ctx.phone = phone.matches;
    const title = titleCard(ctx), sections = [], side = el("div", "cm-side leaflet-bar");
    side.setAttribute("role", "region");
    side.setAttribute("aria-label", ui("panels"));
    const sheet = el("div", "cm-sheet"), toolbar = el("nav", "cm-toolbar");
    toolbar.setAttribute("aria-label", ui("panels"));
    [title, side, sheet, toolbar].forEach((node) => {
      L.DomEvent.disableClickPropagation(node);
      L.DomEvent.disableScrollPropagation(node);
    });
    const corners = { topleft: container.querySelector(".leaflet-top.leaflet-left"),
                      topright: container.querySelector(".leaflet-top.leaflet-right") };
    corners.topleft.insertBefore(title, corners.topleft.firstChild);
    corners.topright.appendChild(side);
    container.appendChild(sheet);
    container.appendChild(toolbar);
    // Controls first in the document, so the keyboard reaches them before the map's shapes.
    const controls = container.querySelector(".leaflet-control-container");
    container.insertBefore(controls, container.firstChild);
    controls.appendChild(sheet);
    controls.appendChild(toolbar);

    // A section of the side panel (a button and the sheet on a phone); with `home`, a desktop shows
    // the node there instead (the time slider, under the map).
    function addSection(key, label, node, open, home, short) {
      const details = el("details", "cm-section cm-section-" + key);
      details.open = !!open;
      const summary = el("summary", null, label);
      details.appendChild(summary);
      const body = el("div", "cm-section-body");
      body.appendChild(node);
      details.appendChild(body);
      details.addEventListener("toggle", () => layout());
      const section = { key, label, node, details, body, open: !!open, home, short: short || label };
      sections.push(section);
      return section;
    }

    let current = null;  // the section shown in the phone's sheet
    function showSheet(section) {
      current = current === section ? null : section;
      sheet.textContent = "";
      Array.from(toolbar.children).forEach((b) => b.setAttribute("aria-pressed", String(b.cmSection === current)));
      if (current) {
        const head = el("div", "cm-sheet-head");
        head.appendChild(el("h2", null, current.label));
        const close = el("button", "cm-close", "×");
        close.type = "button";
        close.setAttribute("aria-label", ui("close"));
        close.addEventListener("click", () => showSheet(current));
        head.appendChild(close);
        sheet.appendChild(head);
        sheet.appendChild(current.node);
      }
      sheet.classList.toggle("cm-sheet-open", !!current);
      layout();
    }

    // Desktop: sections in the side panel; phone: a button each in the toolbar, one sheet at a time.
    function arrange() {
      ctx.phone = phone.matches;
      container.classList.toggle("cm-phone", ctx.phone);
      side.textContent = "";
      toolbar.textContent = "";
      sheet.textContent = "";
      current = null;
      sheet.classList.remove("cm-sheet-open");
      sections.forEach((s) => {
        if (ctx.phone) {
          const b = el("button", "cm-tool", s.short);
          b.type = "button";
          b.cmSection = s;
          b.setAttribute("aria-pressed", "false");
          b.addEventListener("click", () => showSheet(s));
          toolbar.appendChild(b);
        } else if (s.home) {
          s.home.appendChild(s.node);
        } else {
          s.body.appendChild(s.node);
          side.appendChild(s.details);
        }
      });
      ctx.phoneControls(ctx.phone);
      layout();
    }

    // Popups open clear of the controls and fit the screen; longer content scrolls inside them.
    function layout() {
      const size = map.getSize(), box = container.getBoundingClientRect(), o = L.Popup.prototype.options;
      const right = (node) => (node && node.offsetParent ? node.getBoundingClientRect().right - box.left : 0);
      if (ctx.phone) {
        const top = title.getBoundingClientRect().bottom - box.top + 8;
        const bottom = box.bottom - Math.min(toolbar.getBoundingClientRect().top,
          sheet.classList.contains("cm-sheet-open") ? sheet.getBoundingClientRect().top : Infinity) + 8;
        o.autoPanPaddingTopLeft = L.point(8, top);
        o.autoPanPaddingBottomRight = L.point(8, bottom);
        o.maxWidth = size.x - 40;
        o.minWidth = Math.min(240, size.x - 40);
        o.maxHeight = Math.max(160, size.y - top - bottom - 40);
      } else {
        const left = Math.max(...Array.from(corners.topleft.children).map(right)) + 10;
        const sideWidth = side.offsetParent ? box.right - side.getBoundingClientRect().left + 10 : 10;
        const bar = ctx.timebar ? box.bottom - ctx.timebar.getBoundingClientRect().top + 10 : 24;
        o.autoPanPaddingTopLeft = L.point(left, 10);
        o.autoPanPaddingBottomRight = L.point(sideWidth, bar);
        o.maxWidth = Math.max(220, Math.min(380, size.x - left - sideWidth - 20));
        o.minWidth = Math.min(240, o.maxWidth);
        o.maxHeight = Math.max(200, size.y - bar - 60);
        side.style.maxHeight = (size.y - 20 - bar) + "px";
      }
    }

    // The part of the map no control covers, in container pixels: [x0, y0, x1, y1].
    ctx.freeRect = () => {
      const o = L.Popup.prototype.options, size = map.getSize();
      const tl = o.autoPanPaddingTopLeft || L.point(0, 0), br = o.autoPanPaddingBottomRight || L.point(0, 0);
      return [tl.x, tl.y, size.x - br.x, size.y - br.y];
    };

    phone.addEventListener("change", arrange);
    map.on("resize", layout);
    return { addSection, arrange, layout, title, side, sheet, toolbar, sections };
  }

  // The title card: the map's title, the search box's slot, and about / share / reset buttons.
  function titleCard(ctx) {
    const card = el("div", "cm-titlecard leaflet-control");
    card.appendChild(el("h1", "cm-maptitle", ui("title")));
    card.appendChild(el("div", "cm-mapsubtitle", ui("subtitle")));
    const searchSlot = el("div", "cm-search-slot");
    card.appendChild(searchSlot);
    const row = el("div", "cm-buttons");
    [["share", () => share(ctx, row)], ["reset", () => ctx.resetView()]].forEach(([key, fn]) => {
      const b = el("button", "cm-button", ui(key));
      b.type = "button";
      b.addEventListener("click", fn);
      row.appendChild(b);
    });
    card.appendChild(row);
    card.cmSearchSlot = searchSlot;
    return card;
  }

  // Copy the link of this view (its URL hash) or, where the clipboard is not allowed, show it.
  function share(ctx, row) {
    ctx.writeHash();
    const url = window.location.href, note = row.querySelector(".cm-share-note") || el("div", "cm-share-note");
    note.textContent = "";
    note.setAttribute("role", "status");
    row.appendChild(note);
    const showLink = () => {
      note.appendChild(el("span", null, ui("shareCopy") + " "));
      const input = el("input");
      input.value = url;
      input.readOnly = true;
      input.setAttribute("aria-label", ui("share"));
      note.appendChild(input);
      input.select();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(() => { note.textContent = ui("shareCopied"); }, showLink);
    } else {
      showLink();
    }
  }

  // About: what the map is, where its data and boundaries come from, the basemap's attribution.
  function aboutNode(ctx) {
    const box = el("div", "cm-about-panel"), d = ctx.data;
    [ui("aboutData"), ui("aboutRoutes"), ui("aboutBoundaries")].forEach((t) => box.appendChild(el("p", null, t)));
    const main = d.about.source && d.sources[d.about.source];
    if (main) {
      const p = el("p", null, ui("aboutSources") + ": ");
      const url = safeUrl(main.url);
      p.appendChild(url ? link(url, main.title) : el("span", null, main.title));
      p.appendChild(el("span", null, " — " + [main.publisher, main.date].filter(Boolean).join(", ")));
      box.appendChild(p);
    }
    const boundaries = CM.popup.sourcesList(d.about.boundaries.join(";"));
    if (boundaries) box.appendChild(boundaries);
    box.appendChild(el("p", null, ui("aboutBasemap")));
    box.appendChild(el("p", "cm-subtitle", ui("aboutTool")));
    return box;
  }

  return { create, aboutNode, PHONE };
})();
