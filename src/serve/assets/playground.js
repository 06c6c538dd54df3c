// The playground: the statement, zone, start instant and custom conditions live in the URL
// (/?s=&tz=&after=&c=); every change asks the API and redraws. Text from the statement and
// the server is only ever set as text.
"use strict";

(() => {
  const { el, postJson, getJson, indexOfByte, clear, drawDays } = tminus;
  const $ = (id) => document.getElementById(id);
  const fields = { s: $("statement"), tz: $("zone"), after: $("after"), c: $("conds") };
  const WEEK_DAYS = 7;
  const LIST_COUNT = 10;
  // The most windows drawn in the week (the API's limit per request).
  const WEEK_WINDOWS = 1000;
  let generation = 0;
  let timer = null;

  function browserZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch (_) { return "UTC"; }
  }

  async function loadZones(wanted) {
    let zones = [];
    try { zones = (await getJson("/api/zones")).body.zones; } catch (_) { zones = ["UTC"]; }
    if (!zones.includes(wanted)) zones.unshift(wanted);
    for (const z of zones) fields.tz.append(el("option", { value: z }, z));
    fields.tz.value = wanted;
  }

  // "name" or "name = true|false", one a line.
  function conds() {
    return fields.c.value.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")).map((line) => {
      const m = line.match(/^(.*?)\s*=\s*(true|false)$/i);
      return m ? { name: m[1], value: m[2].toLowerCase() === "true" } : { name: line, value: false };
    });
  }

  function writeUrl() {
    const q = new URLSearchParams();
    q.set("s", fields.s.value);
    q.set("tz", fields.tz.value);
    if (fields.after.value.trim()) q.set("after", fields.after.value.trim());
    if (fields.c.value.trim()) q.set("c", fields.c.value);
    history.replaceState(null, "", "/?" + q.toString());
  }

  function status(text, kind = "") {
    $("status").textContent = text;
    $("status").className = "status " + kind;
  }

  // The statement with each diagnostic's primary span underlined.
  function showSource(text, diagnostics) {
    const node = $("source");
    clear(node);
    const marks = diagnostics
      .filter((d) => d.labels.length > 0)
      .map((d) => ({ start: d.labels[0].start, end: d.labels[0].end, severity: d.severity, message: d.message }))
      .sort((a, b) => a.start - b.start);
    let at = 0;
    for (const m of marks) {
      const start = indexOfByte(text, m.start);
      const end = indexOfByte(text, m.end);
      if (start < at) continue;
      node.append(text.slice(at, start));
      const shown = end > start ? text.slice(start, end) : "\u00a0";
      node.append(el("span", { class: "fault " + m.severity + (end > start ? "" : " empty"), title: m.message }, shown));
      at = Math.max(end, start);
    }
    node.append(text.slice(at));
  }

  function suggestionOf(d) {
    const m = (d.help || "").match(/^did you mean `([^`]+)`\?$/);
    return m && d.labels.length > 0 ? m[1] : null;
  }

  // Replaces the misspelt word: the labelled span, or its first word when the label
  // covers a whole unknown phrase.
  function applyFix(d, word) {
    const text = fields.s.value;
    const start = indexOfByte(text, d.labels[0].start);
    let end = indexOfByte(text, d.labels[0].end);
    const space = text.slice(start, end).search(/\s/);
    if (space > 0) end = start + space;
    fields.s.value = text.slice(0, start) + word + text.slice(end);
    schedule(0);
  }

  // Errors under Diagnostics; the parser's and the optimizer's warnings under Warnings.
  function showDiagnostics(diagnostics) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    showList($("diagnostics"), errors, "no errors");
    showList($("warnings"), diagnostics.filter((d) => d.severity !== "error"), "no warnings");
  }

  function showList(list, diagnostics, none) {
    clear(list);
    if (diagnostics.length === 0) list.append(el("li", { class: "none" }, none));
    for (const d of diagnostics) {
      const item = el("li", { class: d.severity },
        el("span", { class: "badge " + d.severity }, d.severity),
        " ", el("span", { class: "message" }, d.message),
        " ", el("code", { class: "code" }, d.code));
      for (const l of d.labels.slice(0, 1)) {
        if (l.message && l.message !== d.message) item.append(el("div", { class: "label" }, l.message));
      }
      if (d.help) {
        const help = el("div", { class: "help" }, "help: ", el("span", {}, d.help));
        const word = suggestionOf(d);
        if (word !== null) {
          const button = el("button", { type: "button", class: "fix" }, "use " + word);
          button.addEventListener("click", () => applyFix(d, word));
          help.append(" ", button);
        }
        item.append(help);
      }
      list.append(item);
    }
  }

  function timeCell(at, text) {
    return at ? el("time", { datetime: at, title: at }, text) : el("span", { class: "open" }, "open");
  }

  function verdictText(next) {
    if (next.never) return "never: no instant can satisfy this statement";
    if (next.not_within_horizon) return "not true within the horizon";
    if (next.waits_on && next.waits_on.length > 0) {
      const what = next.waits_on.map((t) => t.task ? `task '${t.task}' ${t.action || (t.running ? "starts running" : "stops running")}` : t.param ? `param '${t.param}' changes` : t.predicate ? `'${t.predicate}' changes` : "the scheduler changes");
      return "time alone never makes it true; it waits on: " + what.join(", ");
    }
    return "";
  }

  function showWindows(next) {
    const body = $("windows").querySelector("tbody");
    clear(body);
    $("verdict").textContent = verdictText(next);
    const rows = next.windows.length > 0 ? next.windows : next.waits_on_windows || [];
    if (next.windows.length === 0 && rows.length > 0) $("verdict").textContent += " (if it happened now, these windows:)";
    rows.forEach((w, i) => {
      body.append(el("tr", {}, el("td", {}, String(i + 1)), el("td", { class: "start" }, timeCell(w.start, w.start_text)), el("td", { class: "end" }, timeCell(w.end, w.end_text))));
    });
  }

  function explanationNode(e) {
    const item = el("li", {},
      el("div", { class: "node" },
        el("span", { class: "badge " + (e.value ? "true" : "false") }, e.value ? "true" : "false"),
        " ", el("code", {}, e.statement),
        el("div", { class: "reading" }, e.reading),
        el("div", { class: "why" }, e.why),
        el("div", { class: "change" }, "next change: " + e.next_change)));
    if (e.children.length > 0) item.append(el("ul", {}, ...e.children.map(explanationNode)));
    return item;
  }

  function clearResults() {
    $("canonical").textContent = "";
    $("verdict").textContent = "";
    clear($("windows").querySelector("tbody"));
    clear($("explanation"));
    clear($("timeline"));
    $("timeline-note").textContent = "";
  }

  // The instant searched from: the field, or now (to the minute).
  function afterValue() {
    const typed = fields.after.value.trim();
    if (typed) return typed;
    const now = new Date();
    now.setUTCSeconds(0, 0);
    return now.toISOString().replace(".000Z", "Z");
  }

  // Marks the page settled for this generation (tests and screenshots wait for it).
  async function update() {
    const mine = ++generation;
    try {
      await refresh(mine);
    } finally {
      if (mine === generation) document.body.dataset.ready = String(mine);
    }
  }

  async function refresh(mine) {
    writeUrl();
    const statement = fields.s.value;
    const zone = fields.tz.value;
    $("zone-name").textContent = "in " + zone;
    if (statement.trim() === "") {
      showSource("", []); showDiagnostics([]); clearResults(); status("type a statement");
      return;
    }
    const c = conds();
    const lint = await postJson("/api/lint", { statement, conds: c });
    if (mine !== generation) return;
    if (!lint.ok) { clearResults(); status(lint.body ? lint.body.error.message : "error " + lint.status, "bad"); return; }
    showSource(statement, lint.body.diagnostics);
    showDiagnostics(lint.body.diagnostics);
    if (!lint.body.valid) { clearResults(); status("the statement has errors", "bad"); return; }
    $("canonical").textContent = lint.body.canonical;
    const after = afterValue();
    const next = await postJson("/api/next", { statement, conds: c, zone, after, count: LIST_COUNT });
    if (mine !== generation) return;
    if (!next.ok) { clearResults(); $("canonical").textContent = lint.body.canonical; status(next.body.error.message, "bad"); return; }
    showWindows(next.body);
    const from = next.body.after;
    const until = new Date(Date.parse(from) + WEEK_DAYS * 86400000).toISOString();
    const [week, explained] = await Promise.all([
      postJson("/api/next", { statement, conds: c, zone, after: from, until, count: WEEK_WINDOWS }),
      postJson("/api/explain", { statement, conds: c, zone, at: from }),
    ]);
    if (mine !== generation) return;
    const fromText = from.slice(0, 16).replace("T", " ");
    if (week.ok) drawDays($("timeline"), { first: fromText.slice(0, 10), days: WEEK_DAYS, now: fromText, windows: week.body.windows });
    const drawn = week.ok ? week.body.windows : [];
    $("timeline-note").textContent = week.ok && week.body.truncated
      ? `only the first ${drawn.length} windows are drawn, up to ${drawn[drawn.length - 1].start_text}`
      : "";
    clear($("explanation"));
    if (explained.ok) $("explanation").append(explanationNode(explained.body.explanation));
    status(next.body.windows.length > 0 ? "ok" : "no window", "good");
  }

  function schedule(delay = 150) {
    clearTimeout(timer);
    timer = setTimeout(() => { update().catch((e) => status("cannot reach the server: " + e.message, "bad")); }, delay);
  }

  async function start() {
    getJson("/api/tasks").then((r) => { if (r.ok) $("dashboard-link").hidden = false; }).catch(() => {});
    const q = new URLSearchParams(location.search);
    fields.s.value = q.get("s") || "";
    fields.after.value = q.get("after") || "";
    fields.c.value = q.get("c") || "";
    await loadZones(q.get("tz") || browserZone());
    for (const f of [fields.s, fields.after, fields.c]) f.addEventListener("input", () => schedule());
    fields.tz.addEventListener("change", () => schedule(0));
    if (fields.s.value === "") fields.s.value = "time of week between Mon and Fri & time of day between 09:00 and 17:00";
    schedule(0);
  }

  start();
})();
