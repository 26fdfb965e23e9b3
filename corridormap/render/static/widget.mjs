// corridormap.MapWidget's front end, an anywidget ES module: the page corridormap builds (its own
// scripts, CSS and libraries inline; no network but the basemap's tiles) in a frame in the widget's
// output, so it looks and lays out as the file does (the phone layout in a narrow output). The
// page's data arrives once, as bytes; the page and the widget's traitlets are kept in step through
// the frame's host object (read by the page's widget.js).
const SYNCED = ["view", "filters", "date", "colouring"];

function bytesOf(value) {
  if (value instanceof DataView) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(value);
}

function render({ model, el }) {
  const frame = document.createElement("iframe");
  frame.className = "corridormap-widget";
  frame.title = model.get("_title");
  frame.style.cssText = "display: block; width: 100%; border: 0";
  frame.style.height = model.get("height");
  const listeners = [];
  let fromPage = false;
  frame.cmHost = {
    data: bytesOf(model.get("_data")),
    state: () => Object.fromEntries(SYNCED.map((k) => [k, model.get(k)])),
    listen: (fn) => { listeners.push(fn); },
    // A value from the page, as JSON (the frame's own objects are not handed on).
    report: (name, value) => {
      fromPage = true;
      try {
        model.set(name, JSON.parse(JSON.stringify(value)));
      } finally {
        fromPage = false;
      }
      model.save_changes();
    },
  };
  const handlers = SYNCED.map((k) => {
    const fn = () => { if (!fromPage) listeners.forEach((listen) => listen(k, model.get(k))); };
    model.on("change:" + k, fn);
    return [k, fn];
  });
  const resize = () => { frame.style.height = model.get("height"); };
  model.on("change:height", resize);
  frame.srcdoc = model.get("_page");
  el.appendChild(frame);
  return () => {
    handlers.forEach(([k, fn]) => model.off("change:" + k, fn));
    model.off("change:height", resize);
  };
}

export default { render };
