// The guided tour (geodata/tour.csv): a "Tour" button opens a card of steps. Each step flies the
// map to its features' bounds, turns on the overlays and sets the date it needs, outlines its
// features (the rest dimmed) and shows its text, figures and sources. Next / previous by button,
// arrow keys or a swipe; Escape or "Explore freely" leaves the tour where the map is. The step
// is in the URL hash (&tour=3). On a phone the card is a bottom sheet above the toolbar.
//
// Receives the map's view (view.js), the payload, the panels (panels.js), the time slider (or
// null) and the overlay groups. Fires "cm:tour" {step, cities} (1-based, null when left; the ids
// of the cities it outlines) as a step shows or the tour closes. Listens to "cm:restored" {state} (a shared link's step, after its view) and
// "cm:datum" (the outlines follow the basemap's datum).
CM.tour = (() => {
  const { el, ui } = CM.text;
  const HIGHLIGHT = "#e08a00", FLY_SECONDS = 0.8, MAX_ZOOM = 12, SWIPE_PX = 40;
  const CONTROLS_PX = 215;  // the zoom, fullscreen and measure buttons under the card, and the scale bar

  function button(label, cls, fn) {
    const b = el("button", "cm-button " + cls, label);
    b.type = "button";
    b.addEventListener("click", fn);
    return b;
  }

  // The step's figures: the charts whose facts it names, then its other facts as a list.
  function figures(data, step) {
    const box = el("div", "cm-tour-figures");
    data.charts.filter((c) => step.charts.indexOf(c.id) >= 0).forEach((c) => {
      const chart = c.kind === "share" ? CM.charts.shares(c.items, c.title) : CM.charts.change(c.items, c.title);
      box.appendChild(CM.charts.figure(c.title, chart));
    });
    const facts = step.facts.map((id) => data.facts.find((f) => f.id === id)).filter(Boolean);
    if (facts.length) {
      const ul = el("ul", "cm-fact-list");
      facts.forEach((f) => {
        const li = el("li");
        li.appendChild(el("span", null, f.label + ": "));
        li.appendChild(el("strong", null, f.text));
        if (f.period) li.appendChild(el("span", "cm-by", " (" + f.period + ")"));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    return box.childNodes.length ? box : null;
  }

  // The step's lines and points outlined above everything else, in a pane of their own. Its
  // cities are outlined by areas.js in their own drawn shapes, told by "cm:tour" (a second copy of
  // the nine outlines, 6,800 points, was projected and clipped again at every zoom of a step).
  function highlight(view, group, step) {
    group.clearLayers();
    const style = { pane: "cmTour", interactive: false, color: HIGHLIGHT };
    step.lines.forEach((line) => {
      L.polyline(line.map(([lat, lon]) => view.place(lat, lon)), { ...style, weight: 8, opacity: 0.3 }).addTo(group);
    });
    step.points.forEach(([lat, lon]) => {
      L.circleMarker(view.place(lat, lon), { ...style, radius: 15, weight: 3, fill: false }).addTo(group);
    });
  }

  class Tour {
    constructor(view, data, { panels, time, overlays }) {
      Object.assign(this, { view, data, map: view.map, panels, time, overlays });
      this.steps = data.tour;
      this.index = -1;
      this.map.createPane("cmTour").style.zIndex = "455";
      this.map.getPane("cmTour").style.pointerEvents = "none";
      this.group = L.layerGroup().addTo(this.map);
      this.card = el("section", "cm-tour");
      this.card.setAttribute("aria-label", ui("tourTitle"));
      this.card.setAttribute("role", "region");
      L.DomEvent.disableClickPropagation(this.card);
      L.DomEvent.disableScrollPropagation(this.card);
      this.open = button(ui("tour"), "cm-tour-open", () => this.show(Math.max(0, this.index)));
      this.open.setAttribute("aria-expanded", "false");
      this.keys();
      this.swipe();
      this.map.on("cm:datum", () => { if (this.index >= 0) highlight(view, this.group, this.steps[this.index]); });
    }

    // The button goes last in the title card's row; the card under the title card (desktop) or
    // above the toolbar (phone), placed each time a step shows (the layout may have changed).
    mount() {
      this.panels.title.querySelector(".cm-buttons").appendChild(this.open);
    }

    place() {
      const p = this.panels;
      if (p.compact) {
        if (this.card.parentNode !== p.controls) p.controls.appendChild(this.card);
        this.card.style.maxHeight = "";
        return;
      }
      if (p.title.nextSibling !== this.card) p.title.after(this.card);
      // Room left under the title card for the card and the zoom, fullscreen and measure buttons.
      const box = this.map.getContainer().getBoundingClientRect();
      const below = p.title.getBoundingClientRect().bottom - box.top;
      this.card.style.maxHeight = Math.max(160, box.height - below - CONTROLS_PX) + "px";
    }

    show(i, instant) {
      const map = this.map, step = this.steps[i];
      if (!step) return;
      this.index = i;
      map.closePopup();
      this.panels.closeSheet();
      const layers = step.cities.length ? step.layers.concat(["cities"]) : step.layers;  // its cities are outlined there
      layers.forEach((k) => { if (this.overlays[k] && !map.hasLayer(this.overlays[k])) map.addLayer(this.overlays[k]); });
      if (this.time) this.time.setDay(step.date ? CM.timeline.dayNumber(step.date) : null);
      highlight(this.view, this.group, step);
      map.getContainer().classList.add("cm-touring");
      this.place();
      this.render(step, i);
      this.open.setAttribute("aria-expanded", "true");
      this.panels.layout();
      this.fly(step, instant);
      map.fire("cm:tour", { step: i + 1, cities: step.cities });
    }

    fly(step, instant) {
      const view = this.view, map = this.map, o = L.Popup.prototype.options;
      const bounds = L.latLngBounds(step.bounds.map(([lat, lon]) => view.place(lat, lon)));
      // Room beyond the features for their symbols and labels (a home city's name sits above it).
      const opts = { paddingTopLeft: o.autoPanPaddingTopLeft.add([16, 30]), maxZoom: MAX_ZOOM,
                     paddingBottomRight: o.autoPanPaddingBottomRight.add([12, 12]) };
      view.whenStill(() => {
        if (instant) map.fitBounds(bounds, { ...opts, animate: false });
        else map.flyToBounds(bounds, { ...opts, duration: FLY_SECONDS });
      });
    }

    // On a phone the controls at the bottom (zoom, scale) move up above the sheet; back on leaving.
    lift(on) {
      const raise = on && this.panels.compact ? this.card.offsetHeight + 44 + 8 + "px" : "";
      this.map.getContainer().querySelectorAll(".leaflet-bottom").forEach((n) => { n.style.bottom = raise; });
    }

    render(step, i) {
      const card = this.card;
      card.textContent = "";
      card.classList.add("cm-tour-on");
      const head = el("div", "cm-tour-head");
      const progress = el("span", "cm-tour-progress", (i + 1) + " / " + this.steps.length);
      head.appendChild(progress);
      const close = button("×", "cm-close", () => this.close());
      close.setAttribute("aria-label", ui("tourExit"));
      head.appendChild(close);
      card.appendChild(head);
      const h = el("h2", "cm-tour-title", step.title);
      h.tabIndex = -1;
      card.appendChild(h);
      const body = el("div", "cm-tour-body");
      step.text.forEach((t) => body.appendChild(el("p", null, t)));
      const figs = figures(this.data, step);
      if (figs) body.appendChild(figs);
      const sources = CM.popup.sourcesList(step.source_ids);
      if (sources) body.appendChild(sources);
      card.appendChild(body);
      const nav = el("div", "cm-tour-nav");
      const prev = button("‹ " + ui("tourPrev"), "cm-tour-prev", () => this.show(this.index - 1));
      const next = button(ui("tourNext") + " ›", "cm-tour-next", () => this.show(this.index + 1));
      prev.disabled = i === 0;
      next.disabled = i === this.steps.length - 1;
      nav.appendChild(prev);
      nav.appendChild(next);
      nav.appendChild(button(ui("tourExit"), "cm-tour-exit", () => this.close()));
      body.appendChild(el("p", "cm-tour-keys", ui("tourKeys")));
      // The buttons stay at the foot of the card, the text scrolling above them.
      const foot = el("div", "cm-tour-foot");
      foot.appendChild(nav);
      card.appendChild(foot);
      progress.setAttribute("aria-live", "polite");
      card.scrollTop = 0;
      this.lift(true);
      const focused = document.activeElement;
      if (!card.contains(focused) || !focused.isConnected) (next.disabled ? prev : next).focus({ preventScroll: true });
    }

    // Leave the tour where the map is: the card, the outlines and the dimming go, the view stays.
    close() {
      if (this.index < 0 && !this.card.classList.contains("cm-tour-on")) return;
      this.index = -1;
      this.group.clearLayers();
      this.card.classList.remove("cm-tour-on");
      this.card.textContent = "";
      this.lift(false);
      this.map.getContainer().classList.remove("cm-touring");
      this.open.setAttribute("aria-expanded", "false");
      this.panels.layout();
      this.open.focus({ preventScroll: true });
      this.map.fire("cm:tour", { step: null, cities: [] });
    }

    keys() {
      document.addEventListener("keydown", (e) => {
        if (this.index < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
        const t = e.target, tag = t && t.tagName;
        if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
        if (e.key === "Escape" && !document.querySelector(".leaflet-popup")) { this.close(); return; }
        const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
        if (!step) return;
        e.preventDefault();
        e.stopPropagation();  // the map's own arrow keys would pan it
        this.show(Math.min(this.steps.length - 1, Math.max(0, this.index + step)));
      }, true);
    }

    swipe() {
      let start = null;
      this.card.addEventListener("touchstart", (e) => {
        const p = e.changedTouches[0];
        start = [p.clientX, p.clientY];
      }, { passive: true });
      // A sideways swipe is the tour's: not the browser's back / forward gesture.
      this.card.addEventListener("touchmove", (e) => {
        const p = e.changedTouches[0];
        if (start && e.cancelable && Math.abs(p.clientX - start[0]) > Math.abs(p.clientY - start[1])) e.preventDefault();
      }, { passive: false });
      this.card.addEventListener("touchend", (e) => {
        if (!start || this.index < 0) return;
        const p = e.changedTouches[0], dx = p.clientX - start[0], dy = p.clientY - start[1];
        start = null;
        if (Math.abs(dx) < SWIPE_PX || Math.abs(dx) < 1.5 * Math.abs(dy)) return;
        const i = this.index + (dx < 0 ? 1 : -1);
        if (i >= 0 && i < this.steps.length) this.show(i);
      });
    }
  }

  // The tour, its button in the title card and its card placed; null when the data has no tour.
  // (parts: {panels, time, overlays}.)
  function create(view, data, parts) {
    if (!data.tour || !data.tour.length) return null;
    const tour = new Tour(view, data, parts);
    tour.mount();
    view.map.on("cm:restored", (e) => {
      const n = e.state.tour;
      if (n && tour.steps[n - 1]) tour.show(n - 1, true);
      else if (tour.index >= 0) tour.close();
    });
    return tour;
  }

  return { create };
})();
