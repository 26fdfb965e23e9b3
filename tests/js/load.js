// Load page modules for a unit test the way the build joins them: in one scope sharing CM.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const DIR = path.join(__dirname, "..", "..", "corridormap", "render", "static", "js");

// The CM namespace after running the named modules, in order, with browser globals stubbed.
function load(...names) {
  const source = names.map((n) => fs.readFileSync(path.join(DIR, n), "utf8")).join("\n");
  const sandbox = { TextDecoder, URL, Math, JSON, Map, Set, console, atob, DecompressionStream, Response };
  vm.createContext(sandbox);
  vm.runInContext("var CM = {};\n" + source + "\nthis.CM = CM;", sandbox);
  return sandbox.CM;
}

const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures.json"), "utf8"));

module.exports = { load, fixtures };
