// Launches Debian's Chromium, headless, with a fresh profile and no network but loopback,
// for the browser tests. The server under test is at $TMINUS_URL (started by tests/web.rs).
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BASE = process.env.TMINUS_URL;
if (!BASE) throw new Error("TMINUS_URL is not set: run these through `cargo test --test web`");

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// A browser with its own profile directory; close() removes it.
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "tminus-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: FLAGS,
    headless: true,
    timezoneId: process.env.BROWSER_TZ || "Asia/Tokyo",
    viewport: { width: 1100, height: 1400 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// A page that fails the test on any dialog (alert), page error or CSP violation.
export async function strictPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("dialog", async (d) => { problems.push("dialog: " + d.message()); await d.dismiss(); });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  // Refusals the pages ask for on purpose (a 401 without the token, the playground's probe
  // for a dashboard) are logged by Chromium as failed loads: only other errors count, and
  // any file of the page itself (document, script, style, image) that fails.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push("console error: " + m.text());
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== "fetch") problems.push(`${r.status()} for ${r.url()}`);
  });
  // A poll still in flight when the page reloads is cancelled by the browser
  // (net::ERR_ABORTED): that is navigation, not a failure of the server.
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push("request failed: " + r.url());
  });
  page.problems = problems;
  return page;
}

// The texts of the windows table: [[start, end], ...].
export async function windowTexts(page) {
  return page.$$eval("#windows tbody tr", (rows) =>
    rows.map((r) => [r.querySelector(".start").textContent, r.querySelector(".end").textContent]));
}

// Waits until the page has answered for the statement now in the field.
export async function settled(page, previous) {
  await page.waitForFunction((p) => document.body.dataset.ready && document.body.dataset.ready !== p, previous ?? "", { timeout: 30000 });
  return page.evaluate(() => document.body.dataset.ready);
}

export function link(params) {
  return BASE + "/?" + new URLSearchParams(params).toString();
}
