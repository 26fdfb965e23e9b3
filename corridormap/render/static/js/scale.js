// A metric scale bar in the page's language, from Leaflet's public API only (map.distance and
// the container's projection), styled as Leaflet's own scale control.
CM.scale = (() => {
  const MAX_WIDTH = 100;  // pixels, as Leaflet's scale control

  // The round length (1, 2, 3 or 5 times a power of ten) at most metres.
  function roundLength(metres) {
    const power = Math.pow(10, Math.floor(Math.log10(metres))), d = metres / power;
    return power * (d >= 5 ? 5 : d >= 3 ? 3 : d >= 2 ? 2 : 1);
  }

  // The bar's text and width in pixels, for maxMetres across MAX_WIDTH pixels.
  function bar(maxMetres, unit) {
    const metres = roundLength(maxMetres);
    const text = metres < 1000 ? metres + " " + unit("m") : metres / 1000 + " " + unit("km");
    return { text, width: Math.round((MAX_WIDTH * metres) / maxMetres) };
  }

  // The control (Leaflet's L.Control, made when the page creates it).
  function create(options) {
    const Control = L.Control.extend({
      onAdd(map) {
        const box = L.DomUtil.create("div", "leaflet-control-scale");
        this.line = L.DomUtil.create("div", "leaflet-control-scale-line", box);
        this.update = () => {
          const y = map.getSize().y / 2;
          const maxMetres = map.distance(map.containerPointToLatLng([0, y]), map.containerPointToLatLng([MAX_WIDTH, y]));
          if (!(maxMetres > 0)) return;
          const b = bar(maxMetres, CM.text.unit);
          this.line.textContent = b.text;
          this.line.style.width = b.width + "px";
        };
        map.on("move", this.update);
        map.whenReady(this.update);
        return box;
      },
      onRemove(map) { map.off("move", this.update); },
    });
    return new Control(options);
  }

  return { create, roundLength, bar };
})();
