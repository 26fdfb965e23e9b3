// Unit tests of the page's pure functions, against values computed in Python (fixtures.json).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load, fixtures } = require("./load.js");

const plain = (v) => JSON.parse(JSON.stringify(v));  // values from the modules' own realm, as plain data

const CM = load("text.js", "datum.js", "hash.js", "columns.js", "cells.js", "bounds.js", "groups.js", "filter.js", "timeline.js");

test("GCJ-02 shift equals corridormap.datum's to 1e-9 degrees", () => {
  for (const [lat, lon, glat, glon] of fixtures.datum) {
    const [y, x] = CM.datum.toGcj02(lat, lon);
    assert.ok(Math.abs(y - glat) < 1e-9 && Math.abs(x - glon) < 1e-9, `${lat},${lon}`);
  }
  assert.deepEqual(plain(CM.datum.toGcj02(48.85, 2.35)), [48.85, 2.35]);  // outside China: unchanged
  assert.deepEqual(plain(CM.datum.place(31, 121, "wgs84")), [31, 121]);
});

test("GCJ-02 back to WGS-84 recovers corridormap.datum's input to 1e-9 degrees", () => {
  for (const [lat, lon, glat, glon] of fixtures.datum) {
    const [y, x] = CM.datum.unplace(glat, glon, "gcj02");
    assert.ok(Math.abs(y - lat) < 1e-9 && Math.abs(x - lon) < 1e-9, `${glat},${glon}`);
  }
  assert.deepEqual(plain(CM.datum.fromGcj02(48.85, 2.35)), [48.85, 2.35]);  // outside China: unchanged
  assert.deepEqual(plain(CM.datum.unplace(31, 121, "wgs84")), [31, 121]);
});

test("coarser H3 cells from the stored low bits equal h3-py's cell_to_parent", () => {
  for (const { key, parents } of fixtures.cells) {
    for (const [res, index] of Object.entries(parents)) {
      const r = Number(res);
      assert.equal(CM.cells.indexOf(CM.cells.parentKey(key, r), r), index, `res ${r}`);
    }
  }
});

test("a UTF-8 text column cuts back into the values Python wrote", () => {
  const t = fixtures.text, bytes = Uint8Array.from(Buffer.from(t.utf8, "base64"));
  const col = CM.columns.text({ utf8: bytes, lengths: Uint32Array.from(t.lengths), missing: t.missing });
  t.values.forEach((v, i) => assert.equal(col.get(i), v));
  const coded = CM.columns.text({ values: ["a", "b"], codes: [1, -1, 0] });
  assert.deepEqual([0, 1, 2].map(coded.get), ["b", null, "a"]);
  assert.deepEqual([0, 1].map(CM.columns.text(["x", null]).get), ["x", null]);
});

test("numbers are grouped and rounded, never in exponent form", () => {
  const f = CM.text.formatNumber;
  assert.equal(f(1234567.891), "1,234,567.89");
  assert.equal(f(44200), "44,200");
  assert.equal(f(3.55, 2), "3.55");
  assert.equal(f(3.5, 2), "3.5");
  assert.equal(f(3, 1), "3");
  assert.equal(f(0.05, 1), "0.1");
  assert.equal(f(-1500), "-1,500");
  assert.equal(CM.text.formatKm(8300), "8.3");
  assert.equal(CM.text.formatKm(16800), "17");
});

test("labels fill their placeholders; unknown terms stay as they are", () => {
  CM.text.setLabels({ more: "… and {n} more", x: "{a}-{a}" }, { "new energy": "新能源" });
  assert.equal(CM.text.ui("more", { n: 3 }), "… and 3 more");
  assert.equal(CM.text.ui("x", { a: 1 }), "1-1");
  assert.equal(CM.text.ui("missing"), "missing");
  assert.equal(CM.text.term("new energy"), "新能源");
  assert.equal(CM.text.term("生物医药"), "生物医药");
  assert.equal(CM.text.safeUrl("javascript:alert(1)"), null);
  assert.equal(CM.text.safeUrl("https://example.org/a b"), "https://example.org/a%20b");
});

test("the URL hash parses what it formats, values with separators included", () => {
  const state = {
    map: { zoom: 9.25, lat: 30.123456, lon: 120.5 }, base: 2, off: ["provinces"], on: ["density:list-1"],
    date: "2017-07-01", colour: "list-1:share:new energy",
    filters: { "list-1": { sector: ["a|b", "c;d:e", "生物医药"], city: [] } }, tour: 3,
  };
  const back = plain(CM.hash.parse(CM.hash.format(state)));
  assert.deepEqual(back.map, { zoom: 9.25, lat: 30.12346, lon: 120.5 });
  assert.equal(back.base, 2);
  assert.deepEqual(back.off, ["provinces"]);
  assert.deepEqual(back.on, ["density:list-1"]);
  assert.equal(back.date, "2017-07-01");
  assert.equal(back.colour, state.colour);
  assert.deepEqual(back.filters["list-1"], state.filters["list-1"]);
  assert.equal(back.tour, 3);
  assert.deepEqual(plain(CM.hash.parse("#map=x/1/2&date=17&base=-1&tour=0")),
                   { map: null, base: null, off: null, on: null, date: null, colour: null, filters: {}, tour: null });
});

test("groups count every shown point once, and spread symbols never overlap", () => {
  const n = 500, x = new Int32Array(n), y = new Int32Array(n), cell = new Float64Array(n);
  for (let i = 0; i < n; i++) { x[i] = 120000000 + (i % 25) * 1000; y[i] = 30000000 + Math.floor(i / 25) * 1000; cell[i] = i * 2 ** 27; }
  const mask = new Uint8Array(n).map((_, i) => (i % 3 ? 1 : 0));
  const groups = Array.from(CM.groups.byCell({ x, y, cell }, 3, mask, null).values());
  assert.equal(groups.reduce((a, g) => a + g.n, 0), Array.from(mask).reduce((a, b) => a + b, 0));
  const items = groups.map((g, k) => ({ key: g.key, n: g.n, px: (k * 7) % 300, py: (k * 13) % 200, x0: g.x0, y0: g.y0, x1: g.x1, y1: g.y1 }));
  const symbols = CM.groups.spread(items);
  assert.equal(symbols.reduce((a, s) => a + s.n, 0), groups.reduce((a, g) => a + g.n, 0));
  for (let i = 0; i < symbols.length; i++) {
    for (let j = i + 1; j < symbols.length; j++) {
      const a = symbols[i], b = symbols[j];
      assert.ok(Math.hypot(a.px - b.px, a.py - b.py) >= a.r + b.r + CM.groups.GAP - 1e-9);
    }
  }
});

test("a box holds a point on or inside its edges; indicesIn finds the shown points inside, in order", () => {
  const box = [10, 20, 30, 40];
  assert.ok(CM.bounds.contains(box, 10, 20) && CM.bounds.contains(box, 30, 40) && CM.bounds.contains(box, 15, 35));
  for (const [x, y] of [[9, 30], [31, 30], [20, 19], [20, 41], [NaN, 30]]) assert.ok(!CM.bounds.contains(box, x, y), `${x},${y}`);
  const n = 1000, x = new Int32Array(n), y = new Int32Array(n), mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) { x[i] = (i * 37) % 50; y[i] = (i * 11) % 60; mask[i] = i % 4 ? 1 : 0; }
  const want = [], wantAll = [];
  for (let i = 0; i < n; i++) {  // the box test written out, as each caller wrote it before
    const inside = !(x[i] < box[0] || x[i] > box[2] || y[i] < box[1] || y[i] > box[3]);
    if (inside) wantAll.push(i);
    if (inside && mask[i]) want.push(i);
  }
  assert.ok(want.length > 50 && want.length < wantAll.length);
  assert.deepEqual(plain(CM.bounds.indicesIn(x, y, mask, box)), want);
  assert.deepEqual(plain(CM.bounds.indicesIn(x, y, null, box)), wantAll);
  // The groups of byCell inside a box hold exactly the points indicesIn finds there.
  const cell = Float64Array.from(x, (_, i) => i * 2 ** 45);
  const grouped = Array.from(CM.groups.byCell({ x, y, cell }, 15, mask, box).values());
  assert.deepEqual(grouped.map((g) => g.first).sort((a, b) => a - b), want);
});

test("facet counts are the points each value would show given the other facets", () => {
  const cats = [
    { key: "sector", values: ["a", "b"], codes: Int32Array.from([0, 0, 1, 1, -1]) },
    { key: "city", values: ["p", "q"], codes: Int32Array.from([0, 1, 0, 1, 0]) },
  ];
  const selection = { sector: new Set([0]) };
  assert.deepEqual(Array.from(CM.filter.mask(cats, selection, 5, null)), [1, 1, 0, 0, 0]);
  const counts = CM.filter.counts(cats, selection, 5, null);
  assert.deepEqual(Array.from(counts.sector), [1, 2, 2]);  // missing, a, b: city unrestricted
  assert.deepEqual(Array.from(counts.city), [0, 1, 1]);  // within sector a
  const values = plain(CM.filter.toValues(cats, selection));
  assert.deepEqual(values, { sector: ["a"] });
  assert.deepEqual(Array.from(CM.filter.fromValues(cats, values).sector), [0]);
});

test("dates compare by day; undated records are always shown", () => {
  const T = CM.timeline;
  assert.equal(T.dayNumber("2017"), 20170101);
  assert.equal(T.dayNumber("2017-07"), 20170701);
  assert.equal(T.dayNumber("2024-12-26"), 20241226);
  assert.equal(T.dayNumber(null), null);
  assert.ok(T.shown(null, 20170101) && T.shown("2016-05-24", 20170101) && !T.shown("2018-06-01", 20170101));
  assert.ok(T.shown("2030", null));
  const steps = plain(T.months(20160524, 20161001));
  assert.deepEqual(steps, [20160524, 20160601, 20160701, 20160801, 20160901, 20161001]);
  const ms = [{ date: "2016-05-24" }, { date: "2017-07" }];
  assert.equal(T.milestoneAt(ms, 20170630).date, "2016-05-24");
  assert.equal(T.milestoneAt(ms, 20160101), null);
});

test("ringIndex holds a point inside the outer ring and not in its hole, as ray casting over every edge says", () => {
  const square = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], hole = [[3, 3], [7, 3], [7, 7], [3, 7]];
  const island = [[20, 2], [24, 2], [22, 8]];
  const { box, holds } = CM.bounds.ringIndex([square, hole, island], 4);
  assert.deepEqual(plain(box), [0, 0, 24, 10]);
  for (const [x, y] of [[1, 1], [9, 5], [5, 2], [5, 8.5], [22, 4]]) assert.ok(holds(x, y), `in ${x},${y}`);
  for (const [x, y] of [[5, 5], [4, 6], [15, 5], [-1, 5], [5, 11], [21, 7.5], [NaN, 5]]) assert.ok(!holds(x, y), `out ${x},${y}`);
  // Star-shaped rings with many vertices, filed in 64 bands, against the test of every edge.
  const everyEdge = (rings, x, y) => {
    let odd = false;
    rings.forEach((ring) => ring.forEach((a, i) => {
      const b = ring[(i || ring.length) - 1];
      if ((a[1] > y) !== (b[1] > y) && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) odd = !odd;
    }));
    return odd;
  };
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const star = (cx, cy, r, n) => Array.from({ length: n }, (_, i) => {
    const t = (2 * Math.PI * i) / n, k = r * (0.4 + 0.6 * rand());
    return [cx + k * Math.cos(t), cy + k * Math.sin(t)];
  });
  const rings = [star(50, 50, 40, 900), star(50, 50, 12, 200), star(120, 60, 20, 300)];
  const index = CM.bounds.ringIndex(rings);
  let inside = 0;
  for (let i = 0; i < 20000; i++) {
    const x = rand() * 160 - 10, y = rand() * 110 - 5, want = everyEdge(rings, x, y);
    assert.equal(index.holds(x, y), want, `${x},${y}`);
    inside += want;
  }
  assert.ok(inside > 3000 && inside < 15000);
  for (const ring of rings) for (const [x, y] of ring.slice(0, 50)) assert.equal(index.holds(x, y), everyEdge(rings, x, y));  // on vertices
});

test("the scale bar takes the round length under its width: 1, 2, 3 or 5 times a power of ten", () => {
  const S = load("text.js", "scale.js").scale;
  assert.deepEqual([9.99, 10, 19, 20, 29, 30, 49, 50, 99, 4321, 0.7].map(S.roundLength), [5, 10, 10, 20, 20, 30, 30, 50, 50, 3000, 0.5]);
  const unit = (u) => u;
  assert.deepEqual(plain(S.bar(1000, unit)), { text: "1 km", width: 100 });
  assert.deepEqual(plain(S.bar(740, unit)), { text: "500 m", width: 68 });
  assert.deepEqual(plain(S.bar(45000, unit)), { text: "30 km", width: 67 });
});

test("a point's name and description are made by the rule Python sends, as Python makes them", () => {
  const lists = load("text.js", "lists.js").lists;
  for (const [lang, f] of Object.entries(fixtures.names)) {
    const text = {};
    ["name_en", "name_zh", "name", "description", "description_zh"].forEach((k) => {
      text[k] = { get: (i) => (f.rows[i][k] === undefined ? null : f.rows[i][k]) };
    });
    const s = { text, spec: { names: f.names } };
    assert.deepEqual(f.rows.map((_, i) => lists.nameOf(s, i)), f.name, lang);
    assert.deepEqual(f.rows.map((_, i) => plain(lists.texts(s, f.about, i))), f.texts, lang);
  }
});

test("a unit after a number is the one Python resolved; a key without one is its label", () => {
  const T = load("text.js").text;
  T.setLabels({ km: "km · 公里", kmh: "km/h · 公里/小时" }, {}, "both", { km: "km" });
  assert.equal(T.unit("km"), "km");
  assert.equal(T.unit("kmh"), "km/h · 公里/小时");
});
