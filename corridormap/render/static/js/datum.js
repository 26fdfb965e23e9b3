// WGS-84 -> GCJ-02 (the datum of Gaode/AMap tiles): the formula of corridormap.datum, tested against it.
CM.datum = (() => {
  const A = 6378245.0;
  const EE = 0.006693421622965943;  // 0.00669342162296594323, as a double

  function inChina(lat, lon) {
    return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
  }

  function offset(lat, lon) {
    const x = lon - 105.0, y = lat - 35.0, pi = Math.PI;
    const common = (20 * Math.sin(6 * x * pi) + 20 * Math.sin(2 * x * pi)) * 2 / 3;
    let dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x)) + common +
      (20 * Math.sin(y * pi) + 40 * Math.sin(y / 3 * pi)) * 2 / 3 +
      (160 * Math.sin(y / 12 * pi) + 320 * Math.sin(y * pi / 30)) * 2 / 3;
    let dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x)) + common +
      (20 * Math.sin(x * pi) + 40 * Math.sin(x / 3 * pi)) * 2 / 3 +
      (150 * Math.sin(x / 12 * pi) + 300 * Math.sin(x / 30 * pi)) * 2 / 3;
    const rad = lat / 180 * pi, magic = 1 - EE * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sq) * pi);
    dLon = (dLon * 180) / (A / sq * Math.cos(rad) * pi);
    return [dLat, dLon];
  }

  // [lat, lon] in GCJ-02; outside China's box unchanged, as GCJ-02 defines it.
  function toGcj02(lat, lon) {
    if (!inChina(lat, lon)) return [lat, lon];
    const d = offset(lat, lon);
    return [lat + d[0], lon + d[1]];
  }

  // GCJ-02 [lat, lon] back to WGS-84, by the fixed-point steps of corridormap.datum.gcj02_to_wgs84
  // (the forward shift has no closed-form inverse; it varies slowly, so a few steps reach 1e-10°).
  function fromGcj02(lat, lon) {
    let wLat = lat, wLon = lon;
    for (let i = 0; i < 30; i += 1) {
      const d = offset(wLat, wLon), eLat = wLat + d[0] - lat, eLon = wLon + d[1] - lon;
      wLat -= eLat;
      wLon -= eLon;
      if (Math.abs(eLat) < 1e-10 && Math.abs(eLon) < 1e-10) break;
    }
    return inChina(lat, lon) && inChina(wLat, wLon) ? [wLat, wLon] : [lat, lon];
  }

  // [lat, lon] as drawn on a basemap of this datum.
  function place(lat, lon, datum) {
    return datum === "gcj02" ? toGcj02(lat, lon) : [lat, lon];
  }

  // The WGS-84 [lat, lon] of a point drawn at [lat, lon] on a basemap of this datum (place undone).
  function unplace(lat, lon, datum) {
    return datum === "gcj02" ? fromGcj02(lat, lon) : [lat, lon];
  }

  return { toGcj02, fromGcj02, place, unplace };
})();
