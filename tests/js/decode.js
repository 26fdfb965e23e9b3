// The page's data block decoded by the page's own reader (columns.js), for the Python tests:
// stdin is the block's text, argv[2] "deflate-base64" when it is deflated; stdout is the data as
// JSON, typed arrays as lists and UTF-8 text columns as their strings (cut by columns.text).
"use strict";
const fs = require("node:fs");
const { load } = require("./load.js");

const CM = load("columns.js");

function plain(obj) {
  if (ArrayBuffer.isView(obj)) return Array.from(obj);
  if (Array.isArray(obj)) return obj.map(plain);
  if (!obj || typeof obj !== "object") return obj;
  if (ArrayBuffer.isView(obj.utf8)) {
    const col = CM.columns.text(obj);
    return Array.from(obj.lengths, (_, i) => col.get(i));
  }
  const out = {};
  Object.keys(obj).forEach((k) => { out[k] = plain(obj[k]); });
  return out;
}

const block = { textContent: fs.readFileSync(0, "utf8"), getAttribute: () => process.argv[2] || null };
CM.columns.read(block).then(
  (data) => process.stdout.write(JSON.stringify(plain(data))),
  (err) => { process.stderr.write(String(err)); process.exit(1); },
);
