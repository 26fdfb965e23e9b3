// The time slider: from the corridor's founding to today, with a play button; cities appear when
// they joined, enclaves, places, stations and railways when they opened, the milestone named.
CM.timepanel = (() => {
  const { el, ui } = CM.text;
  const T = CM.timeline;

  function create(ctx) {
    const { data } = ctx, start = T.dayNumber(data.time.start);
    if (start === null) return null;
    const end = Math.max(T.today(), T.dayNumber(data.time.end) || 0), steps = T.months(start, end);
    const bar = el("div", "cm-timebar leaflet-bar");
    L.DomEvent.disableClickPropagation(bar);
    const play = el("button", "cm-play", "▶");
    play.type = "button";
    play.setAttribute("aria-label", ui("play"));
    play.title = ui("play");
    const range = el("input", "cm-range");
    range.type = "range";
    range.min = "0";
    range.max = String(steps.length - 1);
    range.step = "1";
    range.value = range.max;
    range.setAttribute("aria-label", ui("timeDate"));
    const caption = el("div", "cm-caption");
    caption.setAttribute("aria-live", "polite");
    const date = el("strong", "cm-date"), milestone = el("span", "cm-milestone");
    caption.appendChild(date);
    caption.appendChild(milestone);
    const ticks = el("div", "cm-ticks");
    data.milestones.filter((m) => m.kind === "stage" || m.kind === "opening").forEach((m) => {
      const k = steps.findIndex((d) => d >= T.dayNumber(m.date));
      if (k < 0) return;
      const tick = el("span", "cm-tick");
      tick.style.left = (100 * k / (steps.length - 1)) + "%";
      tick.title = m.date + " · " + m.name;
      ticks.appendChild(tick);
    });
    const track = el("div", "cm-track");
    track.appendChild(range);
    track.appendChild(ticks);
    [play, track, caption].forEach((n) => bar.appendChild(n));
    const undated = ctx.undatedCount();
    if (undated) bar.appendChild(el("div", "cm-undated", ui("timeUndated", { n: undated })));

    function show(k, quiet) {
      range.value = String(k);
      const day = steps[k], atEnd = k === steps.length - 1;
      date.textContent = atEnd ? ui("timeAll") : T.fromDay(day).slice(0, 7);
      const m = T.milestoneAt(data.milestones, day);
      milestone.textContent = m ? " · " + m.date + " " + m.name : "";
      ctx.setDay(atEnd ? null : day, quiet);
    }
    range.addEventListener("input", () => { stop(); show(Number(range.value)); });

    let timer = null;
    function stop() {
      if (timer) clearInterval(timer);
      timer = null;
      play.textContent = "▶";
      play.setAttribute("aria-label", ui("play"));
    }
    play.addEventListener("click", () => {
      if (timer) { stop(); return; }
      let k = Number(range.value) >= steps.length - 1 ? 0 : Number(range.value);
      play.textContent = "❚❚";
      play.setAttribute("aria-label", ui("pause"));
      show(k);
      timer = setInterval(() => {
        k += 1;
        if (k >= steps.length) { stop(); return; }
        show(k);
      }, Math.max(40, 12000 / steps.length));
    });

    function setDay(day) {  // from the URL hash
      if (day === null) { show(steps.length - 1, true); return; }
      let k = steps.findIndex((d) => d > day);
      k = k < 0 ? steps.length - 1 : Math.max(0, k - 1);
      show(k, true);
    }
    show(steps.length - 1, true);
    return { node: bar, setDay, steps, range };
  }

  return { create };
})();
