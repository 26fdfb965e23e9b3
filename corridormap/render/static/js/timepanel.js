// The time slider: from the corridor's founding to today, with a play button; cities appear when
// they joined, enclaves, places, stations and railways when they opened, the milestone named.
// Receives the map, the payload and the count of undated records. Fires "cm:day" {day, quiet}
// (day: days since 1970, null for today; quiet: not the reader's move, not for the URL hash).
// Listens to "cm:restore" {state} (a shared link's date).
CM.timepanel = (() => {
  const { el, ui } = CM.text;
  const T = CM.timeline;
  const PLAY_MS = 12000;  // the whole history in about twelve seconds

  class TimeBar {
    constructor(map, data, steps, undated) {
      this.map = map;
      this.data = data;
      this.steps = steps;
      this.timer = null;
      this.node = el("div", "cm-timebar");
      L.DomEvent.disableClickPropagation(this.node);
      this.play = el("button", "cm-play", "▶");
      this.play.type = "button";
      this.play.setAttribute("aria-label", ui("play"));
      this.play.title = ui("play");
      this.range = el("input", "cm-range");
      Object.assign(this.range, { type: "range", min: "0", max: String(steps.length - 1), step: "1" });
      this.range.value = this.range.max;
      this.range.setAttribute("aria-label", ui("timeDate"));
      this.date = el("strong", "cm-date");
      this.milestone = el("span", "cm-milestone");
      this.build(undated);
      this.range.addEventListener("input", () => { this.stop(); this.show(Number(this.range.value)); });
      this.play.addEventListener("click", () => (this.timer ? this.stop() : this.start()));
      this.show(steps.length - 1, true);
    }

    build(undated) {
      const track = el("div", "cm-track"), caption = el("div", "cm-caption");
      caption.setAttribute("aria-live", "polite");
      caption.appendChild(this.date);
      caption.appendChild(this.milestone);
      track.appendChild(this.range);
      track.appendChild(this.ticks());
      [this.play, track, caption].forEach((n) => this.node.appendChild(n));
      if (undated) this.node.appendChild(el("div", "cm-undated", ui("timeUndated", { n: undated })));
    }

    // A tick under the slider at each stage and opening, named in its tooltip.
    ticks() {
      const box = el("div", "cm-ticks"), last = this.steps.length - 1;
      this.data.milestones.filter((m) => m.kind === "stage" || m.kind === "opening").forEach((m) => {
        const k = this.steps.findIndex((d) => d >= T.dayNumber(m.date));
        if (k < 0) return;
        const tick = el("span", "cm-tick");
        tick.style.left = (100 * k) / last + "%";
        tick.title = m.date + " · " + m.name;
        box.appendChild(tick);
      });
      return box;
    }

    show(k, quiet) {
      this.range.value = String(k);
      const day = this.steps[k], atEnd = k === this.steps.length - 1;
      this.date.textContent = atEnd ? ui("timeAll") : T.fromDay(day).slice(0, 7);
      const m = T.milestoneAt(this.data.milestones, day);
      this.milestone.textContent = m ? " · " + m.date + " " + m.name : "";
      this.map.fire("cm:day", { day: atEnd ? null : day, quiet: !!quiet });
    }

    start() {
      let k = Number(this.range.value) >= this.steps.length - 1 ? 0 : Number(this.range.value);
      this.play.textContent = "❚❚";
      this.play.setAttribute("aria-label", ui("pause"));
      this.show(k);
      this.timer = setInterval(() => {
        k += 1;
        if (k >= this.steps.length) { this.stop(); return; }
        this.show(k);
      }, Math.max(40, PLAY_MS / this.steps.length));
    }

    stop() {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      this.play.textContent = "▶";
      this.play.setAttribute("aria-label", ui("play"));
    }

    // The step on or before day (from the URL hash); null: today.
    setDay(day) {
      if (day === null) { this.show(this.steps.length - 1, true); return; }
      const after = this.steps.findIndex((d) => d > day);
      this.show(after < 0 ? this.steps.length - 1 : Math.max(0, after - 1), true);
    }
  }

  function create(map, data, undated) {
    const start = T.dayNumber(data.time.start);
    if (start === null) return null;
    const end = Math.max(T.today(), T.dayNumber(data.time.end) || 0);
    const bar = new TimeBar(map, data, T.months(start, end), undated);
    map.on("cm:restore", (e) => bar.setDay(e.state.date ? T.dayNumber(e.state.date) : null));
    return bar;
  }

  return { create };
})();
