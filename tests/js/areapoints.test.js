// A list placed only to districts (CM.areaPoints.crowds): one count symbol per crowd of areas on
// screen, arranged with the other layers' symbols by the page's rule (CM.groups.onScreen).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load } = require("./load.js");

const CM = load("text.js", "cells.js", "bounds.js", "groups.js", "areapoints.js");
const { crowds } = CM.areaPoints;
const { onScreen, overlap } = CM.groups;

// A small deterministic generator (mulberry32), so that a failure can be replayed by its seed.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The screen: 1400x900 px over 4 x 2.6 degrees from (118.5 E, 29.5 N), linear (enough for a test).
const WEST = 118.5e6, SOUTH = 29.5e6, PER_PX = 4e6 / 1400;
const BOX = [WEST, SOUTH, WEST + 1400 * PER_PX, SOUTH + 900 * PER_PX];
const project = (lat, lon) => ({ x: (lon * 1e6 - WEST) / PER_PX, y: 900 - (lat * 1e6 - SOUTH) / PER_PX });

// A layer of `rows` rows placed only to districts, as area_groups makes it: each row keeps its own
// coordinates (a few metres from one of `spots` district points), so each row is an area of its
// own. `spots` 0: the rows lie anywhere on the screen (bench/pan.py's district-placed list).
function districtLayer(rows, spots, seed) {
  const rnd = random(seed), centres = [];
  for (let k = 0; k < spots; k++) centres.push([WEST + rnd() * 1400 * PER_PX, SOUTH + rnd() * 900 * PER_PX]);
  const area = new Int32Array(rows), areas = [];
  for (let i = 0; i < rows; i++) {
    const [x, y] = spots ? centres[i % spots] : [WEST + rnd() * 1400 * PER_PX, SOUTH + rnd() * 900 * PER_PX];
    const jitter = spots ? 50 : 0;  // micro-degrees: ~5 m
    areas.push({ lon: (x + (rnd() - 0.5) * jitter) / 1e6, lat: (y + (rnd() - 0.5) * jitter) / 1e6, precision: "district" });
    area[i] = i;
  }
  // As areaPoints.setup leaves a layer: each area's point in micro-degrees.
  const areaX = Int32Array.from(areas, (a) => Math.round(a.lon * 1e6)), areaY = Int32Array.from(areas, (a) => Math.round(a.lat * 1e6));
  return { n: rows, area, areas, areaX, areaY, mask: null };
}

// The layer's symbols as the point layer gets them (lists.js / areapoints.js items).
const clusterItems = (symbols, layer) => symbols.map((c) => ({ symbol: "cluster", px: { x: c.px, y: c.py }, r: c.r, n: c.n, layer }));

// The work of drawing one view of the layer: pair tests and free spots tried, over the layer's
// crowds and then the page's arrangement.
function work(s) {
  const stats = { tests: 0, spots: 0 };
  const symbols = crowds(s, BOX, project, stats);
  onScreen(clusterItems(symbols, "a"), (it) => it.r, stats);
  return { stats, symbols };
}

function assertApart(shapes, gap) {
  const sorted = shapes.slice().sort((a, b) => a.x - b.x);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].x - sorted[i].x < 60; j++) {
      assert.ok(!overlap(sorted[i], sorted[j], gap - 1e-9), JSON.stringify([sorted[i], sorted[j]]));
    }
  }
}

test("thousands of district-placed rows on 50 spots: joined per spot, no free spot searched", () => {
  // The page took 83 s to load a list like this: each row's symbol searched for a free spot.
  for (const rows of [5000, 20000]) {
    const { stats, symbols } = work(districtLayer(rows, 50, 3));
    assert.ok(symbols.length <= 50, `${symbols.length} symbols for 50 spots`);
    assert.equal(stats.spots, 0, `${stats.spots} free spots tried`);
    assert.ok(stats.tests < 4 * rows, `${stats.tests} pair tests for ${rows} rows`);
    assert.equal(symbols.reduce((a, c) => a + c.n, 0), rows);
  }
});

test("22,000 district-placed rows each at its own point: joined where they crowd, a few pair tests a row", () => {
  // bench/pan.py's district-placed page at zoom 9: 22,758 such symbols in view took 25.9 million
  // pair tests and 22 s in node when each was moved aside.
  for (const rows of [5500, 22000]) {
    const { stats, symbols } = work(districtLayer(rows, 0, 5));
    assert.equal(stats.spots, 0, `${stats.spots} free spots tried`);
    assert.ok(stats.tests < 10 * rows, `${stats.tests} pair tests for ${rows} rows`);
    assert.ok(symbols.length < 1000, `${symbols.length} symbols on a 1400x900 screen`);
  }
});

test("crowds: members conserved, the filter and the view obeyed, none overlapping, deterministic", () => {
  const s = districtLayer(3000, 40, 9);
  s.mask = new Uint8Array(s.n).map((_, i) => (i % 3 ? 1 : 0));
  const half = [BOX[0], BOX[1], (BOX[0] + BOX[2]) / 2, BOX[3]];
  const symbols = crowds(s, half, project);
  const held = JSON.parse(JSON.stringify(symbols.flatMap((c) => c.groups.flatMap((g) => g.ids))));
  const expected = [];
  for (let i = 0; i < s.n; i++) {
    const a = s.areas[s.area[i]];
    if (s.mask[i] && CM.bounds.contains(half, Math.round(a.lon * 1e6), Math.round(a.lat * 1e6))) expected.push(i);
  }
  assert.deepEqual(held.sort((a, b) => a - b), expected);
  symbols.forEach((c) => assert.equal(c.n, c.groups.reduce((a, g) => a + g.ids.length, 0)));
  assertApart(symbols.map((c) => ({ x: c.px, y: c.py, r: c.r })), CM.groups.GAP);
  assert.ok(symbols.every((c) => c.r >= 9));
  assert.equal(JSON.stringify(crowds(s, half, project)), JSON.stringify(symbols));
});

test("two district lists and curated stacks at the same spots: nothing joined across layers, none overlapping", () => {
  const a = crowds(districtLayer(4000, 30, 1), BOX, project), b = crowds(districtLayer(4000, 30, 1), BOX, project);
  const points = a.slice(0, 10).map((c, k) => ({ symbol: "seat", px: { x: c.px + (k % 3), y: c.py }, r: 6, layer: "curated" }));
  const items = points.concat(clusterItems(a, "a"), clusterItems(b, "b"));
  const stats = { tests: 0, spots: 0 }, placed = onScreen(items, (it) => it.r, stats);
  assertApart(placed.map(({ symbol }) => symbol), 1);
  for (const { members } of placed) assert.equal(new Set(members.map((m) => m.layer)).size, 1);
  for (const layer of ["a", "b"]) {
    const got = placed.flatMap(({ members }) => members).filter((m) => m.layer === layer);
    assert.equal(got.reduce((t, m) => t + m.n, 0), 4000);  // every row of each list, in clusters of its own
  }
  assert.ok(stats.spots < 300 * (a.length + b.length), `${stats.spots} spots tried for ${a.length + b.length} symbols`);
});

test("areas taken together by a fine cell first: the same properties, less work", () => {
  // Cells as H3 numbers at resolution 6 (CM.cells: the low digits past it), 21 px squares here.
  const s = districtLayer(22000, 0, 13), scale = Math.pow(2, 3 * (15 - 6));
  s.cell = new Float64Array(s.n);
  for (let i = 0; i < s.n; i++) {
    const p = project(s.areas[i].lat, s.areas[i].lon);
    s.cell[i] = (Math.floor(p.x / 21) * 1000 + Math.floor(p.y / 21) + 1) * scale + 5;
  }
  const alone = { tests: 0 }, gathered = { tests: 0, spots: 0 };
  crowds(s, BOX, project, alone);
  const symbols = crowds(s, BOX, project, gathered, 6);
  assert.ok(gathered.tests < alone.tests / 4, `${alone.tests} -> ${gathered.tests} pair tests`);
  assert.equal(symbols.reduce((a, c) => a + c.n, 0), s.n);
  const held = JSON.parse(JSON.stringify(symbols.flatMap((c) => c.groups.flatMap((g) => g.ids))));
  assert.deepEqual(held.sort((a, b) => a - b), Array.from({ length: s.n }, (_, i) => i));
  assertApart(symbols.map((c) => ({ x: c.px, y: c.py, r: c.r })), CM.groups.GAP);
  symbols.forEach((c) => {  // drawn at its largest area's point
    const at = project(s.areas[c.groups[0].key].lat, s.areas[c.groups[0].key].lon);
    assert.ok(Math.abs(at.x - c.px) < 1e-6 && Math.abs(at.y - c.py) < 1e-6);
    assert.ok(c.groups.every((g) => g.n <= c.groups[0].n));
  });
  assert.equal(JSON.stringify(crowds(s, BOX, project, null, 6)), JSON.stringify(symbols));
});
