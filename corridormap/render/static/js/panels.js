// The page around the map: a title card (title, search, share / reset), a side panel of sections
// (layers, legend, filter, facts, about) on a desktop, a toolbar of buttons with a bottom sheet on
// a phone, and the room popups must leave for them.
// Receives the map and the page's callbacks: resetView(), shareUrl() (the link of this view, its
// hash written now) and onArrange(compact) (the map's own controls follow the layout). Fires
// "cm:room" when the free part of the map changes (a section opened or closed, the phone's sheet,
// the tour's card: what is placed to keep clear of the panels is placed again). Listens to resize
// (laid out again).
CM.panels = (() => {
  const { el, ui, link, safeUrl } = CM.text;
  // A phone, or a map too small for a side panel (a notebook's frame): a toolbar and one sheet.
  const COMPACT = "(max-width: 799px), (max-height: 599px)";

  class Panels {
    constructor(map, calls) {
      this.calls = calls;
      this.map = map;
      this.container = map.getContainer();
      this.compactQuery = window.matchMedia(COMPACT);
      this.compact = this.compactQuery.matches;
      this.sections = [];
      this.current = null;  // the section shown in the phone's sheet
      this.title = titleCard(calls);
      this.side = el("div", "cm-side leaflet-control");
      this.side.setAttribute("role", "region");
      this.side.setAttribute("aria-label", ui("panels"));
      this.sheet = el("div", "cm-sheet");
      this.toolbar = el("nav", "cm-toolbar");
      this.toolbar.setAttribute("aria-label", ui("panels"));
      this.mount();
      this.compactQuery.addEventListener("change", () => { this.arrange(); calls.resetView(); });
      this.map.on("resize", () => this.layout());
    }

    mount() {
      [this.title, this.side, this.sheet, this.toolbar].forEach((node) => {
        L.DomEvent.disableClickPropagation(node);
        L.DomEvent.disableScrollPropagation(node);
      });
      this.topleft = this.container.querySelector(".leaflet-top.leaflet-left");
      this.topleft.insertBefore(this.title, this.topleft.firstChild);
      this.container.querySelector(".leaflet-top.leaflet-right").appendChild(this.side);
      // Controls first in the document, so the keyboard reaches them before the map's shapes.
      this.controls = this.container.querySelector(".leaflet-control-container");
      this.container.insertBefore(this.controls, this.container.firstChild);
      this.controls.appendChild(this.sheet);
      this.controls.appendChild(this.toolbar);
    }

    // A section of the side panel (a button and the sheet on a phone); with `home`, a desktop shows
    // the node there instead: true for the map's own controls (the time slider, under the map), or
    // a node (the search box, in the title card).
    addSection(key, label, node, open, home, short) {
      const details = el("details", "cm-section cm-section-" + key);
      details.open = !!open;
      details.appendChild(el("summary", null, label));
      const body = el("div", "cm-section-body");
      body.appendChild(node);
      details.appendChild(body);
      // Only a section the reader opens is revealed: the toggle events of the sections open at
      // the start come later too, and revealing them scrolled the panel past its first section.
      let asked = false;
      details.firstChild.addEventListener("click", () => { asked = true; });
      details.addEventListener("toggle", () => {
        this.layout();
        if (details.open && asked) this.reveal(details);
        asked = false;
      });
      const place = home === true ? this.controls : home || null;
      const section = { key, label, node, details, body, home: place, short: short || label };
      this.sections.push(section);
      return section;
    }

    // A section opened in the side panel below its fold scrolls up into view (its heading at the top).
    reveal(details) {
      if (this.compact || !this.side.contains(details)) return;
      const box = this.side.getBoundingClientRect(), r = details.getBoundingClientRect();
      if (r.bottom > box.bottom) this.side.scrollTop += Math.min(r.top - box.top - 2, r.bottom - box.bottom + 2);
    }

    // The phone's sheet closed (the map needs its room back to show a search result).
    closeSheet() {
      if (this.current) this.showSheet(this.current);
    }

    showSheet(section) {
      this.current = this.current === section ? null : section;
      this.sheet.textContent = "";
      Array.from(this.toolbar.children).forEach((b) => b.setAttribute("aria-pressed", String(b.cmSection === this.current)));
      if (this.current) {
        const head = el("div", "cm-sheet-head"), close = el("button", "cm-close", "×");
        head.appendChild(el("h2", null, this.current.label));
        close.type = "button";
        close.setAttribute("aria-label", ui("close"));
        close.addEventListener("click", () => this.showSheet(this.current));
        head.appendChild(close);
        this.sheet.appendChild(head);
        this.sheet.appendChild(this.current.node);
        const field = this.current.node.querySelector("input[type=search]");
        if (field) field.focus();
      }
      this.sheet.classList.toggle("cm-sheet-open", !!this.current);
      this.layout();
    }

    // Desktop: sections in the side panel; phone: a button each in the toolbar, one sheet at a time.
    arrange() {
      this.compact = this.compactQuery.matches;
      this.container.classList.toggle("cm-compact", this.compact);
      [this.side, this.toolbar, this.sheet].forEach((n) => { n.textContent = ""; });
      this.sections.forEach((s) => s.node.remove());  // from wherever the other layout put it
      this.current = null;
      this.sheet.classList.remove("cm-sheet-open");
      this.sections.forEach((s) => {
        if (this.compact) this.toolbar.appendChild(this.toolButton(s));
        else if (s.home) s.home.appendChild(s.node);
        else { s.body.appendChild(s.node); this.side.appendChild(s.details); }
      });
      this.calls.onArrange(this.compact);
      this.layout();
    }

    toolButton(section) {
      const b = el("button", "cm-tool", section.short);
      b.type = "button";
      b.cmSection = section;
      b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", () => this.showSheet(section));
      return b;
    }

    // Popups open clear of the controls and fit the screen; longer content scrolls inside them.
    layout() {
      const size = this.map.getSize(), box = this.container.getBoundingClientRect(), o = L.Popup.prototype.options;
      const pad = this.compact ? this.compactPadding(box) : this.desktopPadding(box);
      const before = String([o.autoPanPaddingTopLeft, o.autoPanPaddingBottomRight]);
      o.autoPanPaddingTopLeft = L.point(Math.ceil(pad[0]), Math.ceil(pad[1]));
      o.autoPanPaddingBottomRight = L.point(Math.ceil(pad[2]), Math.ceil(pad[3]));
      o.maxWidth = Math.max(200, Math.min(380, size.x - pad[0] - pad[2] - 30));  // the content; its box adds ~28 px
      o.minWidth = Math.min(240, o.maxWidth);
      o.maxHeight = Math.max(160, size.y - pad[1] - pad[3] - 40);
      if (!this.compact) this.side.style.maxHeight = (size.y - 20 - pad[3]) + "px";
      if (String([o.autoPanPaddingTopLeft, o.autoPanPaddingBottomRight]) !== before) this.map.fire("cm:room");
    }

    compactPadding(box) {
      const top = Math.max(...Array.from(this.topleft.children).map((n) => n.getBoundingClientRect().bottom)) - box.top + 8;
      const open = this.sheet.classList.contains("cm-sheet-open");
      const below = Array.from(this.container.querySelectorAll(".leaflet-bottom.leaflet-right .leaflet-control-zoom"));
      const tops = [this.toolbar, ...below].map((n) => n.getBoundingClientRect().top);
      const tour = this.container.querySelector(".cm-tour.cm-tour-on");  // the tour's bottom sheet
      const edge = Math.min(...tops, open ? this.sheet.getBoundingClientRect().top : Infinity,
                            tour && !open ? tour.getBoundingClientRect().top : Infinity);
      return [8, top, 8, box.bottom - edge + 8];
    }

    desktopPadding(box) {
      const right = (node) => (node.offsetParent ? node.getBoundingClientRect().right - box.left : 0);
      const left = Math.max(...Array.from(this.topleft.children).map(right)) + 10;
      const side = this.side.offsetParent ? box.right - this.side.getBoundingClientRect().left + 10 : 10;
      const time = this.sections.find((s) => s.key === "time");  // the time slider, under the map
      const bar = time ? box.bottom - time.node.getBoundingClientRect().top + 10 : 24;
      return [left, 10, side, bar];
    }
  }

  // The title card: the map's title, the search box's slot, and share / reset buttons.
  function titleCard(calls) {
    const card = el("div", "cm-titlecard leaflet-control");
    card.appendChild(el("h1", "cm-maptitle", ui("title")));
    card.appendChild(el("div", "cm-mapsubtitle", ui("subtitle")));
    card.cmSearchSlot = el("div", "cm-search-slot");
    card.appendChild(card.cmSearchSlot);
    const row = el("div", "cm-buttons");
    [["share", () => share(calls.shareUrl, row)], ["reset", () => calls.resetView()]].forEach(([key, fn]) => {
      const b = el("button", "cm-button", ui(key));
      b.type = "button";
      b.addEventListener("click", fn);
      row.appendChild(b);
    });
    card.appendChild(row);
    return card;
  }

  // Copy the link of this view (its URL hash) or, where the clipboard is not allowed, show it.
  function share(shareUrl, row) {
    const url = shareUrl(), note = row.querySelector(".cm-share-note") || el("div", "cm-share-note");
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
      navigator.clipboard.writeText(url).then(() => {
        note.textContent = ui("shareCopied");
        setTimeout(() => { if (note.textContent === ui("shareCopied")) note.remove(); }, 4000);
      }, showLink);
    } else {
      showLink();
    }
  }

  // About: what the map is, where its data and boundaries come from, the basemap's attribution.
  function aboutNode(map, d) {
    const box = el("div", "cm-about-panel");
    [ui("aboutData"), ui("aboutRoutes"), ui("aboutBoundaries")].forEach((t) => box.appendChild(el("p", null, t)));
    const main = d.about.source && d.sources[d.about.source];
    if (main) {
      const p = el("p", "cm-cite", ui("aboutSources") + ": "), url = safeUrl(main.url);
      p.appendChild(url ? link(url, main.title) : el("span", null, main.title));
      p.appendChild(el("span", null, " — " + [main.publisher, main.date].filter(Boolean).join(", ")));
      box.appendChild(p);
    }
    const boundaries = CM.popup.sourcesList(d.about.boundaries.join(";"));
    if (boundaries) box.appendChild(boundaries);
    const attribution = el("p", "cm-attribution");
    const showAttribution = () => {
      const control = map.attributionControl;
      attribution.textContent = ui("aboutBasemap") + " " + (control ? control.getContainer().textContent : "");
    };
    map.on("baselayerchange", () => setTimeout(showAttribution, 0));  // after the new layer's credit is in
    setTimeout(showAttribution, 0);
    box.appendChild(attribution);
    box.appendChild(el("p", "cm-subtitle", ui("aboutTool")));
    return box;
  }

  return { create: (map, calls) => new Panels(map, calls), aboutNode, COMPACT };
})();
