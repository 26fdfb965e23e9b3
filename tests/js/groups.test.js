// The one collision rule (CM.groups.arrange) and the count symbols built on it (CM.groups.spread).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load } = require("./load.js");

const CM = load("text.js", "cells.js", "bounds.js", "groups.js");
const { arrange, overlap, spread } = CM.groups;

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

// n shapes over a square holding about `density` shapes per 100x100 px (a crowded screen): circles of radius 5-24
// (count symbols, never joined across layers) and squares of half side 10 (point symbols, which
// join any other point symbol), in `layers` layers.
function shapes(n, seed, layers = 3, density = 3) {
  const rnd = random(seed), side = 100 * Math.sqrt(n / density), out = [];
  for (let i = 0; i < n; i++) {
    const x = rnd() * side, y = rnd() * side, kind = rnd();
    if (kind < 0.3) out.push({ x, y, h: 10, join: "point" });
    else out.push({ x, y, r: 5 + rnd() * 19, join: "layer" + Math.floor(rnd() * layers) });
  }
  return out;
}

// Each placed shape's members, as plain arrays (the module's arrays come from another realm).
const plainMembers = (placed) => JSON.parse(JSON.stringify(placed.map((p) => p.members)));

function assertApart(placed, gap) {
  const sorted = placed.slice().sort((a, b) => a.x - b.x);  // pairs within 60 px in x: sweep
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].x - sorted[i].x < 60; j++) {
      assert.ok(!overlap(sorted[i], sorted[j], gap - 1e-9), JSON.stringify([sorted[i], sorted[j]]));
    }
  }
}

test("the overlap test reads circles and squares", () => {
  assert.ok(overlap({ x: 0, y: 0, r: 5 }, { x: 9, y: 0, r: 5 }, 0));
  assert.ok(!overlap({ x: 0, y: 0, r: 5 }, { x: 11, y: 0, r: 5 }, 0));
  assert.ok(overlap({ x: 0, y: 0, r: 5 }, { x: 11, y: 0, r: 5 }, 2));
  assert.ok(overlap({ x: 0, y: 0, h: 10 }, { x: 19, y: 19, h: 10 }, 0));
  assert.ok(!overlap({ x: 0, y: 0, h: 10 }, { x: 21, y: 0, h: 10 }, 0));
  // A circle off a square's corner: the boxes overlap, the shapes do not.
  assert.ok(!overlap({ x: 0, y: 0, h: 10 }, { x: 14, y: 14, r: 5 }, 0));
  assert.ok(overlap({ x: 0, y: 0, h: 10 }, { x: 13, y: 0, r: 5 }, 0));
});

test("random shapes: none overlaps, each kept once, joined only within its join key, deterministic", () => {
  for (const seed of [1, 2, 3]) {
    const input = shapes(1500, seed), gap = 1 + (seed % 3);
    const placed = arrange(input, gap);
    assertApart(placed, gap);
    const seen = new Uint8Array(input.length), count = {}, given = {};
    input.forEach((s) => { given[s.join] = (given[s.join] || 0) + 1; });
    for (const p of placed) {
      for (const i of p.members) {
        assert.equal(seen[i], 0, `member ${i} twice`);
        seen[i] = 1;
        assert.equal(input[i].join, p.join, "joined across join keys");
        count[p.join] = (count[p.join] || 0) + 1;
      }
      const first = input[p.members[0]];
      assert.equal(p.r, first.r);  // a symbol keeps its own size when others join it
      assert.equal(p.h, first.h);
      if (!p.moved) assert.deepEqual([p.x, p.y], [first.x, first.y]);
    }
    assert.deepEqual(count, given);  // every shape held, per join key
    assert.equal(JSON.stringify(arrange(input, gap)), JSON.stringify(placed));
  }
});

test("a count symbol over another layer's stack is moved aside, never swallowed", () => {
  // The case that undid the last attempt: a list's count symbol drawn where curated points stack.
  const input = [
    { x: 100, y: 100, h: 10, join: "point" }, { x: 108, y: 102, h: 10, join: "point" },
    { x: 104, y: 99, r: 16, join: null }, { x: 110, y: 104, r: 12, join: null },
  ];
  const placed = arrange(input, 2);
  assert.equal(placed.length, 3);
  assert.deepEqual(plainMembers(placed), [[0, 1], [2], [3]]);
  assert.deepEqual([placed[0].x, placed[0].y, placed[0].moved], [100, 100, false]);
  assert.ok(placed[1].moved && placed[2].moved);
  assertApart(placed, 2);
  // Moved no further than it must: next to the stack, not across the screen.
  assert.ok(Math.hypot(placed[1].x - 104, placed[1].y - 99) < 10 + 16 + 2 + 8);
});

test("within a layer the nearer of two overlapping symbols is joined", () => {
  const placed = arrange([
    { x: 0, y: 0, r: 10, join: 0 }, { x: 40, y: 0, r: 10, join: 0 }, { x: 25, y: 0, r: 6, join: 0 },
  ], 0);
  assert.deepEqual(plainMembers(placed), [[0], [1, 2]]);
});

test("spread: counts conserved, no two count symbols within GAP, larger groups placed first", () => {
  const rnd = random(7), items = [];
  for (let k = 0; k < 3000; k++) {
    items.push({ key: k, n: 1 + Math.floor(rnd() * rnd() * 5000), px: rnd() * 1400, py: rnd() * 900 });
  }
  const symbols = spread(items);
  assert.equal(symbols.reduce((a, s) => a + s.n, 0), items.reduce((a, g) => a + g.n, 0));
  assertApart(symbols.map((s) => ({ x: s.px, y: s.py, r: s.r })), CM.groups.GAP);
  const biggest = items.reduce((a, b) => (b.n > a.n ? b : a));
  assert.equal(symbols[0].groups[0], biggest);
  assert.equal(symbols[0].r, CM.groups.radius(biggest.n));
});

test("pair tests grow as n log n at most: 10^4 against 10^5 shapes at the same density", () => {
  const tests = (n) => {
    const stats = { tests: 0 };
    arrange(shapes(n, 11, 3, 2), 2, stats);
    return stats.tests;
  };
  const small = tests(1e4), large = tests(1e5);
  const nlogn = (1e5 * Math.log2(1e5)) / (1e4 * Math.log2(1e4));  // 12.5; a quadratic rule gives 100
  assert.ok(small > 1e4, small);  // the counter counts
  assert.ok(large / small < nlogn, `${small} -> ${large}: ${(large / small).toFixed(1)}x`);
});

test("thousands of count symbols at one spot are placed in linear time (the page hung on a district-placed list)", () => {
  const crowd = (n) => Array.from({ length: n }, () => ({ x: 500, y: 500, r: 12, join: null }));
  const tests = (n) => { const stats = { tests: 0 }; assert.equal(arrange(crowd(n), 1, stats).length, n); return stats.tests; };
  const small = tests(2000), large = tests(8000);
  assert.ok(large < 5 * small, `pair tests ${small} at 2,000 and ${large} at 8,000: more than linear`);
});
