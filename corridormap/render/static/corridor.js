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
  // Chinese for the schema's fixed vocabularies (sectors, kinds); data text is never translated.
  var TERMS = {
    "aerospace": "航空航天", "artificial intelligence": "人工智能", "education": "教育", "medical devices": "医疗器械",
    "new energy": "新能源", "new materials": "新材料", "optical communications": "光通信", "optoelectronics": "光电",
    "satellite navigation": "卫星导航", "semiconductors": "半导体", "research": "科研", "other": "其他",
    "company": "企业", "institute": "研究机构", "university": "大学", "station": "车站", "interchange": "立交",
    "junction": "枢纽", "exit": "出口", "town": "城镇", "expressway": "高速公路", "railway": "铁路",
    "enclave": "科创飞地", "enclave-group": "飞地群", "science-city": "科技城", "lake-district": "科创湖区",
    "campus": "校区", "college": "学院", "project": "项目", "office": "办公室", "government": "政府驻地",
    "city-centre": "市中心"
  };
  function term(v) {
    if (v === null || v === undefined || v === "") return v;
    var zh = TERMS[v];
    return zh ? t([v, zh]) : v;
  }

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
  function fmtNum(v) {  // 1234567.891 -> "1,234,567.891"; not toLocaleString, whose first call costs ~30 ms
    if (typeof v !== "number") return String(v);
    var parts = String(Math.round(v * 1000) / 1000).split(".");
    return parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (parts.length > 1 ? "." + parts[1] : "");
  }

  // WGS-84 -> GCJ-02, the same formula as corridormap.datum (tested against it).
  var GCJ_A = 6378245.0, GCJ_EE = 0.00669342162296594323;
  function gcj(lat, lon) {
    if (lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271) return [lat, lon];
    var x = lon - 105.0, y = lat - 35.0, pi = Math.PI;
    var common = (20 * Math.sin(6 * x * pi) + 20 * Math.sin(2 * x * pi)) * 2 / 3;
    var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x)) + common +
      (20 * Math.sin(y * pi) + 40 * Math.sin(y / 3 * pi)) * 2 / 3 +
      (160 * Math.sin(y / 12 * pi) + 320 * Math.sin(y * pi / 30)) * 2 / 3;
    var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x)) + common +
      (20 * Math.sin(x * pi) + 40 * Math.sin(x / 3 * pi)) * 2 / 3 +
      (150 * Math.sin(x / 12 * pi) + 300 * Math.sin(x / 30 * pi)) * 2 / 3;
    var rad = lat / 180 * pi, magic = 1 - GCJ_EE * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((GCJ_A * (1 - GCJ_EE)) / (magic * sq) * pi);
    dLon = (dLon * 180) / (GCJ_A / sq * Math.cos(rad) * pi);
    return [lat + dLat, lon + dLon];
  }
  function shiftDeep(ll, datum) {
    if (Array.isArray(ll)) return ll.map(function (x) { return shiftDeep(x, datum); });
    if (datum !== "gcj02") return L.latLng(ll.lat, ll.lng);
    var g = gcj(ll.lat, ll.lng);
    return L.latLng(g[0], g[1]);
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

  // The data block holds JSON or, for large maps, deflated data in base64 (see _Payload in map.py),
  // which the browser inflates natively before the layers are built.
  window.corridormapLoad = function (block) {
    var text = block.textContent;
    if (block.getAttribute("data-encoding") !== "deflate-base64") { window.corridormapInit(JSON.parse(text)); return; }
    var bytes;
    if (Uint8Array.fromBase64) bytes = Uint8Array.fromBase64(text);
    else {
      var bin = atob(text);
      bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    }
    var inflate = new DecompressionStream("deflate"), writer = inflate.writable.getWriter();
    writer.write(bytes).catch(function () {});  // a corrupt block is reported by the reading side
    writer.close().catch(function () {});
    new Response(inflate.readable).arrayBuffer().then(function (buf) {
      // The JSON's length in bytes on the first line, the JSON, then binary sections it points into.
      var data = new Uint8Array(buf), nl = data.indexOf(10), utf8 = new TextDecoder();
      var start = nl + 1 + Number(utf8.decode(data.subarray(0, nl)));
      var D = JSON.parse(utf8.decode(data.subarray(nl + 1, start)));
      D.section = function (s) { return data.subarray(start + s[0], start + s[0] + s[1]); };
      window.corridormapInit(D);
    }).catch(function (e) {
      setTimeout(function () { throw e; }, 0);  // surface it as an error of the page
    });
  };

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
      // The name beside the seat: a marker whose icon CSS lays out (a permanent tooltip would measure
      // itself, forcing a page layout per label while the map loads).
      L.marker([s.lat, s.lon], {
        icon: L.divIcon({ className: "cm-city-label", html: el("span", null, nm(s)), iconSize: null, iconAnchor: [-8, 8] }),
        pane: "tooltipPane", interactive: false, keyboard: false
      }).addTo(G.cities);
      m.bindPopup(function () {
        return P.table(nm(s), t(UI.seatSym), [[UI.kind, term(s.seat_kind)], [UI.precision, P.precision(s.location_precision)]], s.source_ids);
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
          [UI.kind, term(r.kind)], [UI.opened, r.opened], [UI.length, r.length_km ? fmtNum(r.length_km) + " " + t(UI.km) : null],
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
          [UI.route, route ? nm(route) : s.route_id], [UI.stop, s.seq], [UI.kind, term(s.kind)],
          [UI.city, P.cityName(s.city_id)], [UI.precision, P.precision(s.location_precision)], [UI.note, s.note]
        ], s.source_ids);
      }, { maxWidth: 380 });
      m.addTo(group);
      registry.stops[s.id] = m;
      if (isStation) registry.search.push({ label: nm(s), kind: t(UI.station), go: function () { map.setView(m.getLatLng(), 11); m.openPopup(); } });
    });

    // Enterprises: columnar data, clustered with supercluster; only what is in view is drawn,
    // and a popup is built from the columns when a point is clicked. Scales to a million points.
    var E = D.enterprises, N = E.n;
    // A text column is a list, repeated values as {values, codes}, or (deflated data) its values' UTF-8
    // bytes back to back with their byte lengths, cut into strings the first time a popup, tooltip or
    // the search reads the column: one decode, then cuts at the UTF-16 positions of the byte offsets.
    function utf8Column(c) {
      var bytes = D.section(c.utf8.section), len = new Uint32Array(D.section(c.lengths.section).slice().buffer);
      var off = new Float64Array(N + 1), i;
      for (i = 0; i < N; i++) off[i + 1] = off[i] + len[i];
      var all = new TextDecoder().decode(bytes), a = new Array(N);
      if (all.length === bytes.length) {  // ASCII: a byte is a character
        for (i = 0; i < N; i++) a[i] = all.slice(off[i], off[i + 1]);
      } else {  // count UTF-16 units: one per lead byte, two for a 4-byte sequence
        var b = 0, pos = 0;
        for (i = 0; i < N; i++) {
          var from = pos;
          for (; b < off[i + 1]; b++) if ((bytes[b] & 0xc0) !== 0x80) pos += bytes[b] >= 0xf0 ? 2 : 1;
          a[i] = all.slice(from, pos);
        }
      }
      for (var k = 0; k < c.missing.length; k++) a[c.missing[k]] = null;
      return a;
    }
    function column(name) {
      var c = E[name];
      if (c && c.utf8 !== undefined) c = E[name] = utf8Column(c);
      return c;
    }
    function col(c, i) { return Array.isArray(c) ? c[i] : c.values[c.codes[i]]; }
    function ef(name, i) { return col(column(name), i); }
    var stations = D.stops.filter(function (s) { return s.kind === "station"; });
    function nearestStation(lat, lon) {  // great-circle distance; a dozen stations, computed on click
      var best = null, bestM = Infinity, here = L.latLng(lat, lon);
      stations.forEach(function (s) {
        var d = map.distance(here, L.latLng(s.lat, s.lon));
        if (d < bestM) { bestM = d; best = s; }
      });
      return best ? { stop: best, m: bestM } : null;
    }
    function entRecord(i) {
      return {
        id: ef("id", i), name_en: ef("name_en", i), name_zh: ef("name_zh", i), description: ef("description", i),
        note: ef("note", i), website: ef("website", i), lon: E.x[i] / 1e6, lat: E.y[i] / 1e6, city_id: col(E.city_id, i), kind: col(E.kind, i),
        sector: col(E.sector, i), location_precision: col(E.location_precision, i), source_ids: col(E.source_ids, i)
      };
    }
    function entPopup(i) {
      var e = entRecord(i), ns = nearestStation(e.lat, e.lon);
      var near = ns ? nm(ns.stop) + " — " + (ns.m / 1000).toFixed(1) + " " + t(UI.km) : null;
      var web = safeUrl(e.website), webNode = null;
      if (web) { webNode = el("a", null, web); webNode.href = web; webNode.target = "_blank"; webNode.rel = "noopener noreferrer"; }
      return P.table(nm(e), term(e.kind), [
        [UI.city, P.cityName(e.city_id)], [UI.sector, term(e.sector)], [UI.description, e.description],
        [UI.precision, P.precision(e.location_precision)], [UI.nearest, near], [UI.website, webNode], [UI.note, e.note]
      ], e.source_ids);
    }
    // One index over every point clusters zooms 0-10 (0-11 past 50,000 points). The zooms below, to 14,
    // are clustered from the points in view only (about a thousand of 44,200 at zoom 11, a few thousand
    // of a million at 12: milliseconds), and single points show from zoom 15. The deep levels barely
    // cluster (94% of 44,200 synthetic points are single at 14), yet in a global index they cost more
    // time and heap than all the levels above them.
    var MAXZOOM = N > 50000 ? 11 : 10, DEEPZOOM = 14;
    function pointIndex(items, minZoom, maxZoom) {  // items: enterprise indices, or null for all
      var n = items ? items.length : N, pts = new Array(n);
      for (var j = 0; j < n; j++) {
        var i = items ? items[j] : j;
        pts[j] = { geometry: { coordinates: [E.x[i] / 1e6, E.y[i] / 1e6] } };
      }
      var idx = new Supercluster({ radius: 48, minZoom: minZoom, maxZoom: maxZoom, minPoints: 2 });
      idx.load(pts);
      // supercluster keeps the input array and hands back its items for unclustered points; the
      // coordinates live in E.x/E.y already, so keep only each point's index (~100 bytes less each).
      for (var k = 0; k < n; k++) pts[k] = items ? items[k] : k;
      return idx;
    }
    var index = pointIndex(null, 0, MAXZOOM);
    // Clusters and points (as indices into the columns) to draw in bbox at zoom z, and the index
    // that made them (a cluster's expansion zoom must come from the same index).
    function viewClusters(bbox, z) {
      if (z <= MAXZOOM) return { index: index, items: index.getClusters(bbox, z) };
      var inView = index.getClusters(bbox, MAXZOOM + 1);  // every point in bbox
      if (z > DEEPZOOM || inView.length < 2) return { index: index, items: inView };
      var local = pointIndex(inView, z, DEEPZOOM);
      return { index: local, items: local.getClusters(bbox, z) };
    }
    // Their own pane, above the city polygons (SVG), so a click on a point reaches the point.
    map.createPane("cmEnterprises").style.zIndex = 450;
    var canvas = L.canvas({ padding: 0.2, pane: "cmEnterprises" });
    var drawn = {};  // enterprise index -> marker currently on the map
    var datum = "wgs84";
    function place(lat, lon) { return datum === "gcj02" ? gcj(lat, lon) : [lat, lon]; }
    function clusterIcon(count) {
      var size = count < 10 ? 26 : count < 100 ? 32 : count < 1000 ? 38 : 46;
      var label = count >= 10000 ? Math.round(count / 1000) + "k" : String(count);
      // The label is a number we computed, never data text.
      return L.divIcon({ className: "cm-cluster cm-cluster-" + (count < 10 ? "s" : count < 1000 ? "m" : "l"),
                         iconSize: [size, size], iconAnchor: [size / 2, size / 2], html: label });
    }
    var openIndex = -1, redrawing = false;  // the point whose popup is open survives redraws (pan, autopan, zoom)
    function redrawEnterprises() {
      if (!map.hasLayer(G.enterprises)) return;
      var reopen = openIndex;
      redrawing = true;
      G.enterprises.clearLayers();
      drawn = {};
      var b = map.getBounds().pad(0.1), z = map.getZoom();
      // Query in WGS-84; on a GCJ-02 basemap the view is ~500 m off, well inside the padding.
      var bbox = [Math.max(-180, b.getWest() - 0.01), Math.max(-85, b.getSouth() - 0.01),
                  Math.min(180, b.getEast() + 0.01), Math.min(85, b.getNorth() + 0.01)];
      // At the map's deepest zoom nothing stays clustered: every point can be clicked.
      var view = viewClusters(bbox, z >= map.getMaxZoom() ? DEEPZOOM + 1 : z), feats = view.items;
      // Points sharing a spot (e.g. a district's reference point) fan out in a ring around it.
      var total = {}, stack = {};
      feats.forEach(function (f) {
        if (typeof f === "number") { var key = E.x[f] + "," + E.y[f]; total[key] = (total[key] || 0) + 1; }
      });
      feats.forEach(function (f) {
        if (typeof f !== "number") {  // a cluster
          var c = f.geometry.coordinates, ll = place(c[1], c[0]);
          var count = f.properties.point_count, id = f.properties.cluster_id;
          var m = L.marker(ll, { icon: clusterIcon(count), keyboard: false });
          m.options.cmCount = count;
          m.on("click", function () {
            map.setView(ll, Math.min(view.index.getClusterExpansionZoom(id), map.getMaxZoom()));
          });
          m.addTo(G.enterprises);
          return;
        }
        var i = f, key = E.x[i] + "," + E.y[i];
        var ll = place(E.y[i] / 1e6, E.x[i] / 1e6);
        var k = stack[key] = (stack[key] || 0) + 1, n = total[key];
        var mk = L.circleMarker(ll, L.extend({ renderer: canvas, pane: "cmEnterprises" },
          circleStyle(sectorColour[col(E.sector, i)] || "#666", col(E.location_precision, i))));
        if (n > 1) {
          var p = map.latLngToLayerPoint(ll), a = 2 * Math.PI * (k - 1) / n - Math.PI / 2, r = Math.max(20, 5 * n);
          mk.setLatLng(map.layerPointToLatLng([p.x + r * Math.cos(a), p.y + r * Math.sin(a)]));
        }
        mk.options.cmIndex = i;
        mk.bindTooltip(function () { return el("span", null, nm({ name_en: ef("name_en", i), name_zh: ef("name_zh", i) })); });
        mk.bindPopup(function () { return entPopup(i); }, { maxWidth: 400 });
        mk.on("popupopen", function () { openIndex = i; });
        mk.on("popupclose", function () { if (openIndex === i && !redrawing) openIndex = -1; });
        mk.addTo(G.enterprises);
        drawn[i] = mk;
      });
      if (reopen >= 0 && drawn[reopen]) {
        drawn[reopen].getPopup().options.autoPan = false;  // no pan, so no redraw loop
        drawn[reopen].openPopup();
        drawn[reopen].getPopup().options.autoPan = true;
      }
      redrawing = false;
    }
    map.on("moveend", redrawEnterprises);
    map.on("overlayadd", function (e) { if (e.layer === G.enterprises) redrawEnterprises(); });
    function focusEnterprise(i, open) {
      var ll = place(E.y[i] / 1e6, E.x[i] / 1e6);
      map.setView(ll, map.getMaxZoom(), { animate: false });
      redrawEnterprises();
      var m = drawn[i];
      if (m && open) m.openPopup();
      return m;
    }
    redrawEnterprises();

    function symbol(cls) {
      return L.divIcon({ className: "cm-sym " + cls, iconSize: [16, 16], iconAnchor: [8, 8], popupAnchor: [0, -8] });
    }
    D.enclaves.forEach(function (e) {
      var m = L.marker([e.lat, e.lon], { icon: symbol("cm-enclave" + (IMPRECISE[e.location_precision] ? " cm-loose" : "")) });
      m.bindTooltip(function () { return el("span", null, nm(e)); });
      m.bindPopup(function () {
        var tenants = null;
        if (e.tenant_ids) {
          tenants = el("ul", "cm-list");
          e.tenant_ids.split(";").forEach(function (id) {
            var k = column("id").indexOf(id);
            tenants.appendChild(el("li", null, k >= 0 ? nm({ name_en: ef("name_en", k), name_zh: ef("name_zh", k) }) : id));
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
        return P.table(nm(p), term(p.kind), [
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
      D.sectors.forEach(function (s) { row("cm-key-dot", term(s[0]), { background: s[1] }, grid); });
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
        for (var i = 0; i < N && hits.length < 12; i++) {  // enterprises: scan the name columns
          var en = ef("name_en", i) || "", zh = ef("name_zh", i) || "";
          if (en.toLowerCase().indexOf(q) >= 0 || zh.indexOf(q) >= 0) {
            (function (k) {
              hits.push({ label: nm({ name_en: ef("name_en", k), name_zh: ef("name_zh", k) }), kind: t(UI.enterprises),
                          go: function () { focusEnterprise(k, true); } });
            })(i);
          }
        }
        if (!hits.length) { list.appendChild(el("li", "cm-none", t(UI.none))); return; }
        hits.forEach(function (h) {
          var li = el("li");
          var b = el("button", null, h.label);
          b.type = "button";
          b.appendChild(el("small", null, " " + h.kind));
          b.addEventListener("click", function (ev) {
            ev.stopPropagation();
            list.textContent = "";
            setTimeout(h.go, 0);  // after this click is done, so the map does not take it as a click to close
          });
          li.appendChild(b); list.appendChild(li);
        });
      }
      input.addEventListener("input", update);
      input.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter") { var b = list.querySelector("button"); if (b) b.click(); }
      });
    }).addTo(map);

    // Datum: overlays follow the basemap showing (GCJ-02 on Gaode, WGS-84 elsewhere).
    var shiftables = [];
    function collect(layer) {
      if (layer instanceof L.LayerGroup) { layer.eachLayer(collect); return; }
      if (layer.getLatLngs) layer._cmOrig = shiftDeep(layer.getLatLngs(), "wgs84");
      else if (layer.getLatLng) layer._cmOrig = shiftDeep(layer.getLatLng(), "wgs84");
      else return;
      shiftables.push(layer);
    }
    Object.keys(G).forEach(function (k) {
      if (k !== "enterprises") collect(G[k]);  // enterprises are placed in the datum when drawn
    });
    function applyDatum(d) {
      if (d === datum) return;
      datum = d;
      shiftables.forEach(function (layer) {
        if (layer.setLatLngs) layer.setLatLngs(shiftDeep(layer._cmOrig, d));
        else layer.setLatLng(shiftDeep(layer._cmOrig, d));
      });
      redrawEnterprises();
    }
    var baseKeys = Object.keys(D.basemaps);
    function baseDatum(layer) {
      for (var i = 0; i < baseKeys.length; i++) if (window[baseKeys[i]] === layer) return D.basemaps[baseKeys[i]];
      return "wgs84";
    }
    map.on("baselayerchange", function (e) { applyDatum(baseDatum(e.layer)); });
    baseKeys.forEach(function (k) { if (map.hasLayer(window[k])) applyDatum(D.basemaps[k]); });

    // Shareable views: centre, zoom, basemap and hidden overlays live in the URL hash.
    var groupKeys = Object.keys(G);
    function writeHash() {
      var c = map.getCenter(), base = 0, off = [];
      baseKeys.forEach(function (k, i) { if (map.hasLayer(window[k])) base = i; });
      groupKeys.forEach(function (k) { if (!map.hasLayer(G[k])) off.push(k); });
      var h = "#map=" + map.getZoom() + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5) + "&base=" + base;
      if (off.length) h += "&off=" + off.join(",");
      if (window.location.hash !== h) history.replaceState(null, "", h);
    }
    function readHash() {
      var q = {};
      window.location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
        var i = kv.indexOf("=");
        if (i > 0) q[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
      });
      if (q.base !== undefined && baseKeys[+q.base]) {
        var want = window[baseKeys[+q.base]];
        baseKeys.forEach(function (k) { if (window[k] !== want && map.hasLayer(window[k])) map.removeLayer(window[k]); });
        if (!map.hasLayer(want)) map.addLayer(want);
        applyDatum(D.basemaps[baseKeys[+q.base]]);
      }
      if (q.off !== undefined) {
        var off = q.off ? q.off.split(",") : [];
        groupKeys.forEach(function (k) {
          var hide = off.indexOf(k) >= 0;
          if (hide && map.hasLayer(G[k])) map.removeLayer(G[k]);
          if (!hide && !map.hasLayer(G[k])) map.addLayer(G[k]);
        });
      }
      var v = (q.map || "").split("/").map(Number);
      if (v.length === 3 && v.every(function (x) { return isFinite(x); })) map.setView([v[1], v[2]], v[0], { animate: false });
    }
    readHash();
    map.on("moveend zoomend baselayerchange overlayadd overlayremove", writeHash);
    window.addEventListener("hashchange", readHash);
    writeHash();

    window.corridormap = {
      map: map, groups: G, registry: registry, data: D, gcj: gcj, datum: function () { return datum; },
      enterprise: function (id) { return column("id").indexOf(id); }, enterpriseRecord: entRecord,
      focusEnterprise: focusEnterprise,
      drawnEnterprises: function () { return drawn; }, clusterIndex: index,
      clustersInView: function (bbox, z) { return viewClusters(bbox, z).items; }
    };
  };
})();
