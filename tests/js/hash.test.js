// The URL hash parser (hash.js) fuzzed: random and hostile hashes never throw, a malformed escape
// costs only its own part, and every state it formats parses back to itself.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load } = require("./load.js");

const CM = load("hash.js");
const plain = (v) => JSON.parse(JSON.stringify(v));

// A small seeded generator (mulberry32), so a failure can be replayed.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ["map=", "on=", "off=", "base=", "date=", "colour=", "f.", "&", "=", "/", ",", "|", ";", ":", "%",
                "%E4", "%E4%B8", "%E4%B8%AD", "%ZZ", "%%", "%2", "__proto__", "constructor", "9", "30.75", "-1",
                "NaN", "1e999", "<img src=x onerror=alert(1)>", "中文", "\u0000", "#", " "];

function randomHash(next) {
  let out = "#";
  const n = Math.floor(next() * 12);
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(next() * PIECES.length)];
  return out;
}

test("a link cut mid-character keeps its view and ignores only the bad part", () => {
  const s = CM.hash.parse("#map=9/30.75/120.76&on=%E4%B8%A");
  assert.deepEqual(plain(s.map), { zoom: 9, lat: 30.75, lon: 120.76 });
  assert.deepEqual(plain(s.on), []);
  const t = CM.hash.parse("#map=9/30.75/120.76&off=cities,%E4%B8%A,%E4%B8%AD&colour=%E4%B8&f.list-1=sector:a|%E4|b;%ZZ:c");
  assert.deepEqual(plain(t.off), ["cities", "中"]);
  assert.equal(t.colour, null);
  assert.deepEqual(plain(t.filters), { "list-1": { sector: ["a", "b"] } });
  assert.deepEqual(plain(t.map), { zoom: 9, lat: 30.75, lon: 120.76 });
});

test("hostile and random hashes never throw and give only the state's own shape", () => {
  const hostile = ["#%", "#map=%E4%B8%A", "#f.%E4=a:b", "#f.__proto__=polluted:yes", "#f.x=__proto__:a",
                   "#f.x=constructor:a", "#map=1e999/NaN/Infinity", "#colour=%3Cscript%3E", "#" + "a=b&".repeat(50000),
                   "#on=" + "%".repeat(1000), "#&&&==&=", "#base=99999999999999999999"];
  const next = random(20);
  const hashes = hostile.concat(Array.from({ length: 5000 }, () => randomHash(next)));
  for (const h of hashes) {
    let s;
    assert.doesNotThrow(() => { s = CM.hash.parse(h); }, h);
    assert.deepEqual(Object.keys(s).sort(), ["base", "colour", "date", "filters", "map", "off", "on", "tour"], h);
    assert.ok(s.tour === null || (Number.isInteger(s.tour) && s.tour >= 1), h);
    assert.ok(s.map === null || [s.map.zoom, s.map.lat, s.map.lon].every(Number.isFinite), h);
    assert.ok(s.on === null || s.on.every((v) => typeof v === "string"), h);
    assert.equal(Object.getPrototypeOf(s.filters), null, h);
    assert.doesNotThrow(() => CM.hash.format(s), h);
  }
  assert.equal({}.polluted, undefined);
});

test("every state formatted parses back to itself (random names with separators and non-ASCII)", () => {
  const next = random(7), word = () => Array.from({ length: 1 + Math.floor(next() * 6) },
    () => ["a", "中", "&", "=", ",", "|", ";", ":", "%", "/", " ", "é", "__proto__"][Math.floor(next() * 13)]).join("");
  for (let i = 0; i < 500; i++) {
    const state = {
      map: { zoom: Math.round(next() * 18 * 4) / 4, lat: Number((next() * 10 + 25).toFixed(5)), lon: Number((next() * 10 + 115).toFixed(5)) },
      base: Math.floor(next() * 5), off: [word(), word()], on: [word()], date: "2020-01-02", colour: word(),
      filters: { [word()]: { [word()]: [word(), word()] } }, tour: next() < 0.3 ? null : 1 + Math.floor(next() * 20),
    };
    assert.deepEqual(plain(CM.hash.parse(CM.hash.format(state))), plain(state), JSON.stringify(state));
  }
});
