/* corridormap: builds the corridor layers, popups, legend, facts panel and search.
 * All data text is inserted as DOM text (textContent), never as HTML; links are
 * made only for http(s) addresses. */
(function () {
  "use strict";

  var LANG = "both";
  var UI = {
    city: ["City", "城市"], province: ["Province", "省份"], sector: ["Sector", "行业"], kind: ["Type", "类型"],
    description: ["About", "简介"], precision: ["Located to", "定位精度"], opened: ["Opened", "开业/开通"],
    sources: ["Sources", "来源"], tenants: ["Named tenants", "入驻企业"], host: ["Enclave of", "所属城市"],
    companies: ["Companies", "企业数"], hostCities: ["Cities with enclaves here", "设飞地城市数"],
    nearest: ["Nearest station", "最近车站"], route: ["Route", "线路"], stop: ["Stop no.", "序号"],
    length: ["Length (official)", "全长"], speed: ["Design speed", "设计时速"], crosses: ["Drawn across", "示意线经过"],
    geometry: ["Line", "线形"], enterprises: ["Enterprises & institutes", "企业与机构"], enclaves: ["Innovation enclaves", "科创飞地"],
    places: ["Places", "地点"], stations: ["Stations", "车站"], routeKm: ["Route km (schematic)", "线路里程（示意）"],
    seat: ["Seat", "驻地"], adcode: ["Admin code", "行政区划代码"], website: ["Website", "网站"], note: ["Note", "备注"],
    legend: ["Legend", "图例"], facts: ["Corridor facts", "走廊数据"], search: ["Search cities, stations, enterprises…", "搜索城市、车站、企业…"],
    schematic: ["schematic: straight lines between named stops, not the real alignment",
                "示意：按站点直线连接，非实际走向"],
    imprecise: ["dashed outline: located only to its town, district or city", "虚线圈：仅定位到镇、区或城市"],
    cityArea: ["City area (click for summary)", "城市范围（点击查看汇总）"], seatSym: ["City seat", "城市驻地"],
    expressway: ["G60 Expressway", "沪昆高速"], railway: ["High-speed railway", "高速铁路"],
    station: ["Station", "车站"], otherStop: ["Interchange / town on the route", "途经立交/城镇"],
    enclaveSym: ["Innovation enclave", "科创飞地"], placeSym: ["Place", "地点"], km: ["km", "公里"],
    none: ["No results", "无结果"]
  };
  var PRECISION = {
    address: ["address", "门牌地址"], campus: ["campus", "校区"], site: ["the site itself", "实际位置"],
    station: ["the station itself", "车站本身"],
    town: ["town only: shown at the town's reference point", "仅到镇：显示于镇的参考点"],
    district: ["district only: shown at the district's reference point", "仅到区县：显示于区县参考点"],
    city: ["city only: shown at the city's reference point", "仅到城市：显示于城市参考点"]
  };
  var IMPRECISE = { town: 1, district: 1, city: 1 };

  function t(pair) {
    if (LANG === "en") return pair[0];
    if (LANG === "zh") return pair[1];
    return pair[0] + " · " + pair[1];
  }
  function nm(p) {
    var en = p.name_en || "", zh = p.name_zh || "";
    if (LANG === "en" || !zh) return en || zh;
    if (LANG === "zh") return zh || en;
    return en + " " + zh;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function safeUrl(u) {
    if (!u) return null;
    try {
      var x = new URL(String(u));
      return x.protocol === "http:" || x.protocol === "https:" ? x.href : null;
    } catch (e) { return null; }
  }
  function fmtNum(v) {
    return typeof v === "number" ? v.toLocaleString("en-US") : String(v);
  }

  function Popup(D) {
    this.D = D;
  }
  Popup.prototype.table = function (title, subtitle, rows, sourceIds) {
    var box = el("div", "cm-popup");
    box.appendChild(el("div", "cm-title", title));
    if (subtitle) box.appendChild(el("div", "cm-subtitle", subtitle));
    var tbl = el("table", "cm-table");
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined || r[1] === "") return;
      var tr = el("tr");
      tr.appendChild(el("th", null, t(r[0])));
      var td = el("td");
      if (r[1] instanceof Node) td.appendChild(r[1]); else td.textContent = String(r[1]);
      tr.appendChild(td);
      tbl.appendChild(tr);
    });
    box.appendChild(tbl);
    if (sourceIds) box.appendChild(this.sources(sourceIds));
    return box;
  };
  Popup.prototype.sources = function (ids) {
    var D = this.D, wrap = el("div", "cm-sources");
    wrap.appendChild(el("div", "cm-sources-head", t(UI.sources)));
    var ol = el("ol");
    String(ids).split(";").forEach(function (id) {
      var s = D.sources[id];
      if (!s) return;
      var li = el("li"), url = safeUrl(s.url);
      var label = s.title + " — " + s.publisher + (s.date ? ", " + s.date : "");
      if (url) {
        var a = el("a", null, label);
        a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
        li.appendChild(a);
      } else {
        li.textContent = label;
      }
      ol.appendChild(li);
    });
    wrap.appendChild(ol);
    return wrap;
  };
  Popup.prototype.precision = function (p) {
    var pr = PRECISION[p] || [p, p];
    var span = el("span", IMPRECISE[p] ? "cm-imprecise" : null, t(pr));
    return span;
  };
  Popup.prototype.cityName = function (id) {
    var c = this.D.cityNames[id];
    if (!c) return id ? String(id).charAt(0).toUpperCase() + String(id).slice(1) : null;
    return nm({ name_en: c[0], name_zh: c[1] });
  };

  function circleStyle(colour, precision) {
    var loose = IMPRECISE[precision];
    return {
      radius: loose ? 8 : 7, color: loose ? colour : "#222", weight: loose ? 2 : 1, dashArray: loose ? "3 3" : null,
      fillColor: colour, fillOpacity: loose ? 0.45 : 0.9
    };
  }

  function controlBox(position, cls, build) {
    var C = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var div = L.DomUtil.create("div", "leaflet-bar cm-panel " + cls);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        build(div);
        return div;
      }
    });
    return new C();
  }

  window.corridormapInit = function (D) {
    LANG = D.lang || "both";
    var map = window[D.map];
    var G = {};
    Object.keys(D.groups).forEach(function (k) { G[k] = window[D.groups[k]]; });
    var P = new Popup(D);
    var registry = { markers: {}, cities: {}, routes: {}, stops: {}, search: [] };
    var sectorColour = {};
    D.sectors.forEach(function (s) { sectorColour[s[0]] = s[1]; });

    // Provinces: context outlines only.
    D.provinces.forEach(function (p) {
      L.geoJSON(p.geometry, {
        style: { color: "#777", weight: 1.2, dashArray: "6 4", fill: false }, interactive: false
      }).addTo(G.provinces);
    });

    // Cities: filled polygons, bilingual tooltip, summary popup; seats with labels.
    D.cities.forEach(function (c) {
      var layer = L.geoJSON(c.geometry, {
        style: { color: "#555", weight: 1, fillColor: c.colour, fillOpacity: 0.28 }
      });
      layer.bindTooltip(function () { return el("span", null, nm(c)); }, { sticky: true });
      layer.bindPopup(function () {
        var s = c.summary, km = el("div");
        D.routes.forEach(function (r) {
          var v = s.route_km[r.id];
          if (v > 0) km.appendChild(el("div", null, nm(r) + ": " + v.toFixed(1) + " " + t(UI.km)));
        });
        if (!km.childNodes.length) km.textContent = "0";
        return P.table(nm(c), t(UI.cityArea), [
          [UI.province, LANG === "zh" ? c.province_zh : LANG === "en" ? c.province_en : c.province_en + " " + c.province_zh],
          [UI.adcode, c.adcode], [UI.seat, s.seat], [UI.enterprises, s.enterprises], [UI.enclaves, s.enclaves],
          [UI.places, s.places], [UI.stations, s.stations], [UI.routeKm, km]
        ], c.source_ids);
      }, { maxWidth: 380 });
      layer.addTo(G.cities);
      registry.cities[c.id] = layer;
      registry.search.push({ label: nm(c), kind: t(UI.city), go: function () { map.fitBounds(layer.getBounds()); layer.openPopup(layer.getBounds().getCenter()); } });
    });
    D.seats.forEach(function (s) {
      var m = L.circleMarker([s.lat, s.lon], { radius: 4, color: "#222", weight: 1.5, fillColor: "#fff", fillOpacity: 1 });
      var label = el("span", null, nm(s));
      m.bindTooltip(label, { permanent: true, direction: "right", className: "cm-city-label", offset: [6, 0] });
      m.bindPopup(function () {
        return P.table(nm(s), t(UI.seatSym), [[UI.kind, s.seat_kind], [UI.precision, P.precision(s.location_precision)]], s.source_ids);
      });
      m.addTo(G.cities);
    });

    function labelVisibility() {
      var c = map.getContainer();
      if (map.getZoom() < 7) c.classList.add("cm-hide-labels"); else c.classList.remove("cm-hide-labels");
    }
    map.on("zoomend", labelVisibility);
    labelVisibility();

    // Routes, drawn through their stops: always labelled schematic.
    D.routes.forEach(function (r) {
      var group = G[r.id];
      if (!group) return;
      var latlngs = r.geometry.coordinates.map(function (c) { return [c[1], c[0]]; });
      var style = r.kind === "expressway"
        ? { color: "#c0392b", weight: 5, opacity: 0.85 }
        : { color: r.role === "context" ? "#6c7a89" : "#1f3a93", weight: 3.5, opacity: 0.9, dashArray: "10 6" };
      var line = L.polyline(latlngs, style);
      line.bindTooltip(function () { return el("span", null, nm(r) + " (" + t(UI.schematic).split(":")[0] + ")"); }, { sticky: true });
      line.bindPopup(function () {
        var crosses = Object.keys(r.km_by_city).map(function (cid) {
          return P.cityName(cid) + " " + r.km_by_city[cid].toFixed(1) + " " + t(UI.km);
        }).join("; ");
        return P.table(nm(r), t(UI.schematic), [
          [UI.kind, r.kind], [UI.opened, r.opened], [UI.length, r.length_km ? fmtNum(r.length_km) + " " + t(UI.km) : null],
          [UI.speed, r.design_speed_kmh ? r.design_speed_kmh + " km/h" : null], [UI.crosses, crosses],
          [UI.description, r.description]
        ], r.source_ids);
      }, { maxWidth: 400 });
      line.addTo(group);
      registry.routes[r.id] = line;
    });
    D.stops.forEach(function (s) {
      var group = G[s.route_id];
      if (!group) return;
      var isStation = s.kind === "station";
      var m = L.circleMarker([s.lat, s.lon], isStation
        ? { radius: 5, color: "#1f3a93", weight: 2.5, fillColor: "#fff", fillOpacity: 1, dashArray: IMPRECISE[s.location_precision] ? "2 2" : null }
        : { radius: 3.5, color: "#c0392b", weight: 1.5, fillColor: "#fff", fillOpacity: 1, dashArray: IMPRECISE[s.location_precision] ? "2 2" : null });
      var route = D.routes.filter(function (r) { return r.id === s.route_id; })[0];
      m.bindTooltip(function () { return el("span", null, nm(s)); });
      m.bindPopup(function () {
        return P.table(nm(s), t(isStation ? UI.station : UI.otherStop), [
          [UI.route, route ? nm(route) : s.route_id], [UI.stop, s.seq], [UI.kind, s.kind],
          [UI.city, P.cityName(s.city_id)], [UI.precision, P.precision(s.location_precision)], [UI.note, s.note]
        ], s.source_ids);
      }, { maxWidth: 380 });
      m.addTo(group);
      registry.stops[s.id] = m;
      if (isStation) registry.search.push({ label: nm(s), kind: t(UI.station), go: function () { map.setView(m.getLatLng(), 11); m.openPopup(); } });
    });

    // Enterprises: coloured by sector, clustered when zoomed out.
    var stopNames = {};
    D.stops.forEach(function (s) { stopNames[s.id] = s; });
    D.enterprises.forEach(function (e) {
      var m = L.circleMarker([e.lat, e.lon], circleStyle(sectorColour[e.sector] || "#666", e.location_precision));
      m.options.corridorId = e.id;
      m.bindTooltip(function () { return el("span", null, nm(e)); });
      m.bindPopup(function () {
        var ns = e.nearest_station && stopNames[e.nearest_station.id];
        var near = ns ? nm(ns) + " — " + (e.nearest_station.m / 1000).toFixed(1) + " " + t(UI.km) : null;
        var web = safeUrl(e.website), webNode = null;
        if (web) { webNode = el("a", null, web); webNode.href = web; webNode.target = "_blank"; webNode.rel = "noopener noreferrer"; }
        return P.table(nm(e), e.kind, [
          [UI.city, P.cityName(e.city_id)], [UI.sector, e.sector], [UI.description, e.description],
          [UI.precision, P.precision(e.location_precision)], [UI.nearest, near], [UI.website, webNode], [UI.note, e.note]
        ], e.source_ids);
      }, { maxWidth: 400 });
      G.enterprises.addLayer(m);
      registry.markers[e.id] = m;
      registry.search.push({ label: nm(e), kind: t(UI.enterprises), go: function () {
        G.enterprises.zoomToShowLayer(m, function () { m.openPopup(); });
      } });
    });

    function symbol(cls) {
      return L.divIcon({ className: "cm-sym " + cls, iconSize: [16, 16], iconAnchor: [8, 8], popupAnchor: [0, -8] });
    }
    var enterpriseNames = {};
    D.enterprises.forEach(function (e) { enterpriseNames[e.id] = e; });
    D.enclaves.forEach(function (e) {
      var m = L.marker([e.lat, e.lon], { icon: symbol("cm-enclave" + (IMPRECISE[e.location_precision] ? " cm-loose" : "")) });
      m.bindTooltip(function () { return el("span", null, nm(e)); });
      m.bindPopup(function () {
        var tenants = null;
        if (e.tenant_ids) {
          tenants = el("ul", "cm-list");
          e.tenant_ids.split(";").forEach(function (id) {
            tenants.appendChild(el("li", null, enterpriseNames[id] ? nm(enterpriseNames[id]) : id));
          });
        }
        var hosts = e.host_city_ids ? e.host_city_ids.split(";").map(function (c) { return P.cityName(c); }).join(", ") : null;
        return P.table(nm(e), t(UI.enclaveSym), [
          [UI.host, hosts], [UI.city, P.cityName(e.city_id)], [UI.opened, e.opened], [UI.companies, e.companies_count],
          [UI.hostCities, e.host_cities_count], [UI.tenants, tenants], [UI.description, e.description],
          [UI.precision, P.precision(e.location_precision)], [UI.note, e.note]
        ], e.source_ids);
      }, { maxWidth: 400 });
      m.addTo(G.enclaves);
      registry.markers[e.id] = m;
      registry.search.push({ label: nm(e), kind: t(UI.enclaveSym), go: function () { map.setView(m.getLatLng(), 12); m.openPopup(); } });
    });
    D.places.forEach(function (p) {
      var m = L.marker([p.lat, p.lon], { icon: symbol("cm-place" + (IMPRECISE[p.location_precision] ? " cm-loose" : "")) });
      m.bindTooltip(function () { return el("span", null, nm(p)); });
      m.bindPopup(function () {
        return P.table(nm(p), p.kind, [
          [UI.city, P.cityName(p.city_id)], [UI.opened, p.opened], [UI.description, p.description],
          [UI.precision, P.precision(p.location_precision)], [UI.note, p.note]
        ], p.source_ids);
      }, { maxWidth: 400 });
      m.addTo(G.places);
      registry.markers[p.id] = m;
      registry.search.push({ label: nm(p), kind: t(UI.placeSym), go: function () { map.setView(m.getLatLng(), 12); m.openPopup(); } });
    });

    // Legend.
    controlBox("bottomleft", "cm-legend", function (div) {
      var det = el("details");
      det.open = window.innerHeight >= 600 && window.innerWidth >= 700;
      det.appendChild(el("summary", null, t(UI.legend)));
      function row(symCls, label, style, parent) {
        var r = el("div", "cm-legend-row"), s = el("span", "cm-key " + symCls);
        if (style) Object.keys(style).forEach(function (k) { s.style[k] = style[k]; });
        r.appendChild(s); r.appendChild(el("span", null, label)); (parent || det).appendChild(r);
      }
      row("cm-key-area", t(UI.cityArea));
      row("cm-key-seat", t(UI.seatSym));
      row("cm-key-expressway", t(UI.expressway));
      row("cm-key-railway", t(UI.railway));
      row("cm-key-station", t(UI.station));
      row("cm-key-otherstop", t(UI.otherStop));
      row("cm-sym cm-enclave", t(UI.enclaveSym));
      row("cm-sym cm-place", t(UI.placeSym));
      var grid = el("div", "cm-legend-grid");
      D.sectors.forEach(function (s) { row("cm-key-dot", s[0], { background: s[1] }, grid); });
      det.appendChild(grid);
      row("cm-key-dot cm-key-loose", t(UI.imprecise));
      det.appendChild(el("div", "cm-legend-note", t(UI.schematic)));
      div.appendChild(det);
    }).addTo(map);

    // Corridor facts.
    controlBox("topright", "cm-facts", function (div) {
      var det = el("details");
      det.appendChild(el("summary", null, t(UI.facts)));
      var ul = el("ul", "cm-list");
      D.facts.forEach(function (f) {
        var li = el("li");
        var q = f.qualifier ? f.qualifier + " " : "";
        li.appendChild(el("strong", null, q + fmtNum(f.value) + " " + f.unit));
        var label = LANG === "zh" && f.label_zh ? f.label_zh : LANG === "both" && f.label_zh ? f.label_en + " · " + f.label_zh : f.label_en;
        li.appendChild(el("span", null, " " + label + (f.period ? " (" + f.period + ")" : "")));
        if (f.note) li.appendChild(el("div", "cm-fact-note", f.note));
        ul.appendChild(li);
      });
      det.appendChild(ul);
      if (D.facts.length) det.appendChild(P.sources(D.facts[0].source_ids));
      div.appendChild(det);
    }).addTo(map);

    // Search over cities, stations, enterprises, enclaves and places.
    controlBox("topleft", "cm-search", function (div) {
      var input = el("input");
      input.type = "search";
      input.placeholder = t(UI.search);
      input.setAttribute("aria-label", t(UI.search));
      var list = el("ul", "cm-results");
      div.appendChild(input); div.appendChild(list);
      function update() {
        var q = input.value.trim().toLowerCase();
        list.textContent = "";
        if (!q) return;
        var hits = registry.search.filter(function (h) { return h.label.toLowerCase().indexOf(q) >= 0; }).slice(0, 12);
        if (!hits.length) { list.appendChild(el("li", "cm-none", t(UI.none))); return; }
        hits.forEach(function (h) {
          var li = el("li");
          var b = el("button", null, h.label);
          b.type = "button";
          b.appendChild(el("small", null, " " + h.kind));
          b.addEventListener("click", function () { h.go(); list.textContent = ""; });
          li.appendChild(b); list.appendChild(li);
        });
      }
      input.addEventListener("input", update);
      input.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter") { var b = list.querySelector("button"); if (b) b.click(); }
      });
    }).addTo(map);

    window.corridormap = { map: map, groups: G, registry: registry, data: D };
  };
})();
