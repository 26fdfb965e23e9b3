// ESLint for the page's own script: its modules are joined into one function scope at build time
// (corridormap/render/map.py), sharing the CM namespace; Leaflet (L) and h3-js (h3) are globals.
"use strict";
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: [".venv/**", "node_modules/**", "build/**", "dist/**"] },
  js.configs.recommended,
  {
    files: ["corridormap/render/static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, CM: "writable", L: "readonly", h3: "readonly" },
    },
    rules: {
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: ["error", "always"],
      "no-unused-vars": ["error", { args: "none" }],
      // No function over ~50 lines (the house style). A module's wrapper, CM.x = (() => {...})(),
      // is the module itself, not a function: IIFEs are not counted (eslint's default, said here).
      "max-lines-per-function": ["error", { max: 50, skipBlankLines: true, skipComments: true, IIFEs: false }],
      "no-implicit-globals": "off",
    },
  },
  {
    files: ["corridormap/render/static/*.mjs"],  // the widget's ES module (anywidget), run in Jupyter's page
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
    rules: { "no-var": "error", "prefer-const": "error", eqeqeq: ["error", "always"] },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: { ...globals.node } },
  },
];
