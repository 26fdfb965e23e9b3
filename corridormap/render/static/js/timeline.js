// Dates on the time slider: ISO dates of a year, a month or a day, compared as numbers; a record
// without a date is always shown.
CM.timeline = (() => {
  // "2017" -> 20170101, "2017-07" -> 20170701, "2017-07-12" -> 20170712; null when not a date.
  function dayNumber(value) {
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(String(value || ""));
    if (!m) return null;
    return Number(m[1]) * 10000 + Number(m[2] || 1) * 100 + Number(m[3] || 1);
  }

  function fromDay(day) {
    const y = Math.floor(day / 10000), mo = Math.floor(day / 100) % 100, d = day % 100;
    return y + "-" + String(mo).padStart(2, "0") + "-" + String(d).padStart(2, "0");
  }

  // Is a record dated `date` there at slider day `day` (null: no date chosen, everything shown)?
  function shown(date, day) {
    if (day === null || day === undefined) return true;
    const d = dayNumber(date);
    return d === null || d <= day;
  }

  // The last milestone on or before day, or null.
  function milestoneAt(milestones, day) {
    let found = null;
    for (const m of milestones) if (dayNumber(m.date) <= day) found = m;
    return found;
  }

  // The slider's steps: the start day, the first day of every month after it, and the end day.
  function months(startDay, endDay) {
    const out = [startDay];
    let y = Math.floor(startDay / 10000), mo = Math.floor(startDay / 100) % 100;
    for (;;) {
      mo += 1;
      if (mo > 12) { mo = 1; y += 1; }
      const day = y * 10000 + mo * 100 + 1;
      if (day >= endDay) break;
      out.push(day);
    }
    if (endDay > startDay) out.push(endDay);
    return out;
  }

  function today() {
    const d = new Date();
    return d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
  }

  return { dayNumber, fromDay, shown, milestoneAt, months, today };
})();
