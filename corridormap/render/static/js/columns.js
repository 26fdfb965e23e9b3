// The data block: JSON, or deflated base64 holding the JSON's length, the JSON and binary sections
// (see corridormap/render/payload.py). Numeric columns become typed arrays, text columns accessors.
CM.columns = (() => {
  const TYPES = { int32: Int32Array, uint32: Uint32Array, float64: Float64Array, uint8: Uint8Array,
                  int16: Int16Array, uint16: Uint16Array };

  function base64Bytes(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    const bin = atob(text), bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }

  // The block's data, inflated by the browser's own DecompressionStream when it is deflated
  // ({bytes}: the same deflated data handed over as bytes, by the widget's host).
  async function read(block) {
    if (block.bytes) return inflated(block.bytes);
    const text = block.textContent;
    if (block.getAttribute("data-encoding") !== "deflate-base64") return JSON.parse(text);
    return inflated(base64Bytes(text));
  }

  async function inflated(bytes) {
    const inflate = new DecompressionStream("deflate"), writer = inflate.writable.getWriter();
    writer.write(bytes).catch(() => {});  // a corrupt block is reported by the reading side
    writer.close().catch(() => {});
    const data = new Uint8Array(await new Response(inflate.readable).arrayBuffer());
    const nl = data.indexOf(10), utf8 = new TextDecoder();
    const start = nl + 1 + Number(utf8.decode(data.subarray(0, nl)));
    const doc = JSON.parse(utf8.decode(data.subarray(nl + 1, start)));
    return resolveSections(doc, data.subarray(start));
  }

  // Replace every {section, type} by a typed array over the binary part (copied: aligned).
  function resolveSections(obj, bytes) {
    if (Array.isArray(obj)) return obj.map((v) => resolveSections(v, bytes));
    if (!obj || typeof obj !== "object") return obj;
    if (obj.section && obj.type) {
      const part = bytes.slice(obj.section[0], obj.section[0] + obj.section[1]);
      return obj.type === "utf8" ? part : new TYPES[obj.type](part.buffer);
    }
    const out = {};
    Object.keys(obj).forEach((k) => { out[k] = resolveSections(obj[k], bytes); });
    return out;
  }

  // A numeric column as a typed array (plain JSON carries lists).
  function typed(values, Type) {
    if (ArrayBuffer.isView(values)) return values;
    return Type.from(values || []);
  }

  // UTF-8 bytes back to back and their byte lengths, cut into strings: one decode, then cuts at
  // the UTF-16 positions of the byte offsets (characters beyond the BMP take two units).
  function cutUtf8(bytes, lengths, missing) {
    const n = lengths.length, out = new Array(n), all = new TextDecoder().decode(bytes);
    let b = 0, pos = 0;
    const ascii = all.length === bytes.length;
    for (let i = 0; i < n; i++) {
      const end = b + lengths[i], from = pos;
      if (ascii) pos += lengths[i];
      else for (; b < end; b++) if ((bytes[b] & 0xc0) !== 0x80) pos += bytes[b] >= 0xf0 ? 2 : 1;
      b = end;
      out[i] = all.slice(from, pos);
    }
    (missing || []).forEach((i) => { out[i] = null; });
    return out;
  }

  // An accessor for a text column in any of its forms: {get(i)}; long columns are cut on first use.
  function text(spec) {
    if (!spec) return { get: () => null };
    if (spec.text !== undefined) return text(spec.text);
    if (Array.isArray(spec)) return { get: (i) => spec[i] };
    if (spec.values && spec.codes) {
      const codes = typed(spec.codes, Int32Array), values = spec.values;
      return { get: (i) => (codes[i] < 0 ? null : values[codes[i]]), values, codes };
    }
    if (spec.utf8 !== undefined) {
      let cut = null;
      return { get: (i) => (cut || (cut = cutUtf8(spec.utf8, typed(spec.lengths, Uint32Array), spec.missing)))[i] };
    }
    return { get: () => null };
  }

  return { read, typed, text, cutUtf8 };
})();
