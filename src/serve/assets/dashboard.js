// The dashboard: polls the tasks and the log every two seconds; actions are POSTs with the
// token the user gave once (kept for the browser tab only). All text from tasks, their
// statements and their output is set as text.
"use strict";

(() => {
  const { el, postJson, getJson, clear, drawDays, addDays } = tminus;
  const $ = (id) => document.getElementById(id);
  const POLL_MS = 2000;
  const LOG_LINES = 500;
  let logNext = null;
  let live = false;
  let selected = decodeURIComponent((location.hash.match(/^#task=(.*)$/) || [])[1] || "");

  function token() { return sessionStorage.getItem("tminus-token") || ""; }

  function showTokenState() {
    $("token-state").textContent = token() ? "token set for this tab" : "no token: actions will be refused";
  }

  function status(text, kind = "") {
    $("status").textContent = text;
    $("status").className = "status " + kind;
  }

  async function act(task, action) {
    const headers = token() ? { Authorization: "Bearer " + token() } : {};
    const r = await postJson(`/api/tasks/${encodeURIComponent(task)}/${action}`, {}, headers);
    if (r.ok) {
      status(`${action}: ${task}`, "good");
    } else {
      status(`${r.status}: ${r.body ? r.body.error.message : "refused"}`, "bad");
      if (r.status === 401) $("token").focus();
    }
    refresh();
  }

  function lastCell(last) {
    if (!last) return el("td", { class: "last" }, el("span", { class: "hint" }, "never ran"));
    return el("td", { class: "last" },
      el("span", { class: "badge " + last.action }, last.action), " ",
      el("span", { class: "when" }, last.at_text),
      last.message ? el("div", { class: "hint message" }, last.message) : null);
  }

  function actions(t) {
    const cell = el("td", { class: "actions" });
    if (!live) return cell;
    const button = (label, action) => {
      const b = el("button", { type: "button", "data-action": action }, label);
      b.addEventListener("click", (e) => { e.stopPropagation(); act(t.task, action); });
      return b;
    };
    cell.append(button("run now", "run"), " ", t.state === "disabled" ? button("enable", "enable") : button("disable", "disable"));
    return cell;
  }

  function renderTasks(body) {
    $("zone").textContent = "· " + body.zone;
    $("now").textContent = "now " + body.now;
    live = body.live;
    const rows = $("tasks").querySelector("tbody");
    clear(rows);
    for (const t of body.tasks) {
      const row = el("tr", { "data-task": t.task, class: t.task === selected ? "selected" : "" },
        el("td", { class: "name" }, el("a", { href: "#task=" + encodeURIComponent(t.task) }, t.task)),
        el("td", { class: "state" }, el("span", { class: "badge " + t.state }, t.state)),
        lastCell(t.last),
        el("td", { class: "next" }, t.next_text),
        el("td", { class: "statement" }, el("code", {}, t.statement || "")),
        actions(t));
      rows.append(row);
    }
  }

  function renderDetail(d) {
    $("detail").hidden = false;
    $("detail-name").textContent = d.task.task;
    $("detail-statement").textContent = d.task.statement || "";
    const today = d.now.slice(0, 10);
    const runs = d.runs.filter((r) => r.start_text).map((r) => ({ text: r.start_text, ok: r.outcome === "success" || r.outcome === null }));
    drawDays($("task-timeline"), { first: addDays(today, -3), days: 7, now: d.now, windows: d.windows, runs });
    const rows = $("runs").querySelector("tbody");
    clear(rows);
    for (const r of d.runs) {
      const message = [r.message, r.exc_text].filter(Boolean).join("\n");
      rows.append(el("tr", {},
        el("td", {}, r.start_text || "?"),
        el("td", {}, r.end_text || "running"),
        el("td", {}, el("span", { class: "badge " + (r.outcome || "running") }, r.outcome || "running")),
        el("td", { class: "message" }, el("pre", {}, message))));
    }
  }

  async function refresh() {
    try {
      const tasks = await getJson("/api/tasks");
      if (!tasks.ok) { status(tasks.body.error.message, "bad"); return; }
      renderTasks(tasks.body);
      if (selected) {
        const d = await getJson("/api/tasks/" + encodeURIComponent(selected));
        if (d.ok) renderDetail(d.body); else $("detail").hidden = true;
      }
      document.body.dataset.ready = "1";
    } catch (e) {
      status("cannot reach the scheduler: " + e.message, "bad");
    }
  }

  async function pollLog() {
    try {
      const r = await getJson("/api/log" + (logNext ? "?after=" + (logNext - 1) : ""));
      if (!r.ok) return;
      const log = $("log");
      const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
      for (const rec of r.body.records) {
        const line = el("div", { class: "record " + rec.action, "data-seq": rec.seq },
          el("span", { class: "hint" }, rec.at_text), " ", el("b", {}, rec.task), " ",
          el("span", { class: "badge " + rec.action }, rec.action),
          rec.message ? " " + rec.message : "");
        log.append(line);
      }
      while (log.childElementCount > LOG_LINES) log.firstElementChild.remove();
      if (atBottom) log.scrollTop = log.scrollHeight;
      logNext = r.body.next;
      document.body.dataset.logNext = String(logNext);
    } catch (_) { /* the next poll tries again */ }
  }

  function tick() {
    Promise.all([refresh(), pollLog()]).finally(() => setTimeout(tick, POLL_MS));
  }

  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem("tminus-token", $("token").value.trim());
    $("token").value = "";
    showTokenState();
    status("token set", "good");
  });
  window.addEventListener("hashchange", () => {
    selected = decodeURIComponent((location.hash.match(/^#task=(.*)$/) || [])[1] || "");
    refresh();
  });
  showTokenState();
  tick();
})();
