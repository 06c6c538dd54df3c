// The dashboard in a real browser against a running `tminus run --ui` (started by
// tests/web.rs with two tasks: `greet`, run only when asked, and `flaky`, which failed at
// start with markup on its standard error). $TMINUS_TOKEN is the scheduler's token.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, strictPage, BASE } from "./browser.mjs";

const TOKEN = process.env.TMINUS_TOKEN;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const row = (page, task) => page.locator(`#tasks tbody tr[data-task="${task}"]`);
const logText = (page) => page.textContent("#log");

test("tasks, their last outcome and the log are shown; output stays text", async () => {
  const page = await strictPage(browser.context);
  await page.goto(BASE + "/dashboard#task=flaky");
  await page.waitForSelector('#tasks tbody tr[data-task="flaky"]');
  assert.equal(await row(page, "flaky").locator(".state").textContent(), "idle");
  assert.match(await row(page, "flaky").locator(".last").textContent(), /fail.*exit status 3/s);
  assert.equal(await row(page, "greet").locator(".statement").textContent(), "cron 0 0 1 1 *");
  await page.waitForFunction(() => document.querySelectorAll("#runs tbody tr").length > 0);
  const run = await page.textContent("#runs tbody tr");
  assert.ok(run.includes("<img src=x onerror=alert(1)>"), run);
  assert.equal(await page.locator("img").count(), 0);
  assert.ok((await page.locator("#task-timeline rect.run.bad").count()) >= 1, "the failed run is drawn");
  assert.ok((await page.locator("#task-timeline rect.on").count()) >= 1, "future windows are drawn");
  await page.waitForFunction(() => document.querySelectorAll("#log .record").length >= 2);
  assert.match(await logText(page), /flaky\s*fail exit status 3/);
  assert.deepEqual(page.problems, []);
});

test("run now is refused without the token and done with it", async () => {
  const page = await strictPage(browser.context);
  await page.goto(BASE + "/dashboard");
  await page.waitForSelector('#tasks tbody tr[data-task="greet"]');
  await row(page, "greet").locator('button[data-action="run"]').click();
  await page.waitForFunction(() => /^401/.test(document.querySelector("#status").textContent));
  assert.match(await page.textContent("#status"), /Bearer/);
  await page.waitForTimeout(2500);
  assert.ok(!/greet\s*run/.test(await logText(page)), "nothing ran without the token");
  assert.match(await row(page, "greet").locator(".last").textContent(), /never ran/);

  await page.fill("#token", TOKEN);
  await page.click('#token-form button[type="submit"]');
  assert.match(await page.textContent("#token-state"), /token set/);
  await row(page, "greet").locator('button[data-action="run"]').click();
  await page.waitForFunction(() => /greet\s*success/.test(document.querySelector("#log").textContent), null, { timeout: 30000 });
  assert.match(await logText(page), /greet\s*run/);
  await page.waitForFunction(() => /success/.test(document.querySelector('#tasks tr[data-task="greet"] .last').textContent));
  assert.deepEqual(page.problems, []);
});

test("disable and enable with the token", async () => {
  const page = await strictPage(browser.context);
  await page.goto(BASE + "/dashboard");
  await page.evaluate((t) => sessionStorage.setItem("tminus-token", t), TOKEN);
  await page.reload();
  await page.waitForSelector('#tasks tbody tr[data-task="greet"]');
  await row(page, "greet").locator('button[data-action="disable"]').click();
  await page.waitForFunction(() => document.querySelector('#tasks tr[data-task="greet"] .state').textContent === "disabled");
  await row(page, "greet").locator('button[data-action="enable"]').click();
  await page.waitForFunction(() => document.querySelector('#tasks tr[data-task="greet"] .state').textContent === "idle");
  assert.deepEqual(page.problems, []);
});
