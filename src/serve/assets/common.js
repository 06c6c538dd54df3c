// Shared by the playground and the dashboard. Everything that shows text from a statement,
// a task or the server goes through text nodes and textContent, never through markup, so
// that text stays text.
"use strict";

const tminus = (() => {
  const SVG = "http://www.w3.org/2000/svg";

  // An element with attributes and children (strings become text nodes).
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v !== undefined && v !== null) node.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }

  // An SVG element with attributes.
  function svg(tag, attrs = {}, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // POSTs JSON and resolves to {ok, status, body}; a network failure rejects.
  async function postJson(path, body, headers = {}) {
    const response = await fetch(path, {
      method: "POST",
      headers: Object.assign({ "Content-Type": "application/json" }, headers),
      body: JSON.stringify(body),
    });
    let parsed = null;
    try { parsed = await response.json(); } catch (_) { parsed = null; }
    return { ok: response.ok, status: response.status, body: parsed };
  }

  async function getJson(path) {
    const response = await fetch(path);
    return { ok: response.ok, status: response.status, body: await response.json() };
  }

  // The string index of a UTF-8 byte offset into `text` (diagnostics count bytes).
  function indexOfByte(text, byte) {
    let bytes = 0;
    let index = 0;
    for (const ch of text) {
      if (bytes >= byte) break;
      const cp = ch.codePointAt(0);
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      index += ch.length;
    }
    return index;
  }

  // Empties a node.
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // Civil "YYYY-MM-DD HH:MM[:SS]" text to [date, minutes of the day].
  function civilParts(text) {
    const [date, time] = text.split(" ");
    const [h, m, s] = time.split(":").map(Number);
    return [date, h * 60 + m + (s || 0) / 60];
  }

  // The civil date `days` after `date` ("YYYY-MM-DD"), calendar arithmetic only.
  function addDays(date, days) {
    const [y, m, d] = date.split("-").map(Number);
    const t = new Date(Date.UTC(y, m - 1, d + days));
    return t.toISOString().slice(0, 10);
  }

  // Draws civil days as rows of an SVG, 00 to 24 each: `windows` ({start_text, end_text})
  // as bars, `runs` ({text, ok}) as ticks, and everything before `now` (civil text) shaded.
  // `first` is the first row's date (YYYY-MM-DD).
  function drawDays(node, { first, days, now, windows = [], runs = [] }) {
    clear(node);
    const left = 124, width = 720, row = 22, top = 20;
    const height = top + row * days + 4;
    node.setAttribute("viewBox", `0 0 ${left + width + 8} ${height}`);
    node.setAttribute("width", left + width + 8);
    node.setAttribute("height", height);
    const x = (minute) => left + (minute / 1440) * width;
    for (let h = 0; h <= 24; h += 3) {
      node.append(svg("line", { x1: x(h * 60), y1: top - 4, x2: x(h * 60), y2: height - 4, class: "tick" }));
      node.append(svg("text", { x: x(h * 60), y: top - 7, class: "hour" }, String(h).padStart(2, "0")));
    }
    const [nowDate, nowMinute] = civilParts(now);
    const rowOf = new Map();
    for (let d = 0; d < days; d++) {
      const date = addDays(first, d);
      rowOf.set(date, d);
      const y = top + d * row;
      const weekday = new Date(date + "T00:00:00Z").toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
      node.append(svg("text", { x: 4, y: y + 15, class: "day" }, weekday + " " + date));
      node.append(svg("rect", { x: left, y: y + 3, width, height: row - 6, class: "lane" }));
      const past = date < nowDate ? 1440 : date === nowDate ? nowMinute : 0;
      if (past > 0) node.append(svg("rect", { x: left, y: y + 3, width: x(past) - left, height: row - 6, class: "past" }));
    }
    const end = addDays(first, days);
    const bar = (date, from, to) => {
      const d = rowOf.get(date);
      if (d === undefined || to <= from) return;
      const y = top + d * row;
      const w = Math.max(1.5, x(to) - x(from));
      node.append(svg("rect", { x: x(from), y: y + 4, width: w, height: row - 8, class: "on" }));
    };
    for (const w of windows) {
      const [sd, sm] = civilParts(w.start_text);
      const [ed, em] = w.end_text ? civilParts(w.end_text) : [end, 0];
      for (let date = sd, guard = 0; date <= ed && guard <= days + 1; date = addDays(date, 1), guard++) {
        bar(date, date === sd ? sm : 0, date === ed ? em : 1440);
      }
    }
    for (const r of runs) {
      const [date, minute] = civilParts(r.text);
      const d = rowOf.get(date);
      if (d === undefined) continue;
      const y = top + d * row;
      node.append(svg("rect", { x: x(minute) - 1, y: y + 1, width: 3, height: row - 2, class: r.ok ? "run ok" : "run bad" }));
    }
  }

  return { el, svg, postJson, getJson, indexOfByte, clear, civilParts, addDays, drawDays };
})();
