// The playground in a real browser: a link reproduces its state, typos are underlined with
// a suggestion, zones switch across a DST change, hostile text stays text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, strictPage, windowTexts, settled, link, BASE } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test("a link shows its windows without typing", async () => {
  const page = await strictPage(browser.context);
  await page.goto(link({ s: "time of day between 09:00 and 10:00", tz: "Europe/Helsinki", after: "2024-03-29T00:00:00Z" }));
  await settled(page);
  const rows = await windowTexts(page);
  assert.ok(rows.length >= 10, `at least 10 windows, got ${rows.length}`);
  assert.deepEqual(rows.slice(0, 3), [
    ["2024-03-29 09:00", "2024-03-29 10:00"],
    ["2024-03-30 09:00", "2024-03-30 10:00"],
    ["2024-03-31 09:00", "2024-03-31 10:00"],
  ]);
  // The instants behind the texts follow Helsinki's clock change on 2024-03-31.
  const instants = await page.$$eval("#windows tbody .start time", (ts) => ts.map((t) => t.getAttribute("datetime")));
  assert.equal(instants[1], "2024-03-30T09:00:00+02:00");
  assert.equal(instants[2], "2024-03-31T09:00:00+03:00");
  assert.equal(await page.inputValue("#zone"), "Europe/Helsinki");
  assert.equal(await page.textContent("#canonical"), "time of day between 09:00 and 10:00");
  // A week drawn as SVG: seven days, one bar a day.
  assert.equal(await page.locator("#timeline text.day").count(), 7);
  assert.equal(await page.locator("#timeline rect.on").count(), 7);
  assert.ok((await page.locator("#explanation li").count()) >= 1);
  assert.deepEqual(page.problems, []);
});

test("a statement that is never true is an error, listed and underlined", async () => {
  const page = await strictPage(browser.context);
  await page.goto(link({ s: "time of day before 10:00 & time of day after 11:00", tz: "UTC", after: "2024-03-29T00:00:00Z" }));
  await settled(page);
  assert.match(await page.textContent("#diagnostics"), /tminus::never-true/);
  assert.match(await page.textContent("#warnings"), /no warnings/);
  assert.ok((await page.locator("#source .fault.error").count()) >= 1);
  assert.match(await page.textContent("#verdict"), /^never/);
  assert.equal((await windowTexts(page)).length, 0);
  assert.deepEqual(page.problems, []);
});

test("a week with more windows than are drawn says so", async () => {
  const page = await strictPage(browser.context);
  await page.goto(link({ s: "cron */5 * * * *", tz: "UTC", after: "2024-03-29T00:00:00Z" }));
  await settled(page);
  assert.equal(await page.locator("#timeline rect.on").count(), 1000);
  assert.match(await page.textContent("#timeline-note"), /only the first 1000 windows are drawn, up to 2024-04-01 11:15/);
  await page.goto(link({ s: "cron 0 * * * *", tz: "UTC", after: "2024-03-29T00:00:00Z" }));
  await settled(page);
  assert.equal(await page.locator("#timeline rect.on").count(), 168);
  assert.equal(await page.textContent("#timeline-note"), "");
});

test("seconds are shown only when they are not zero", async () => {
  const page = await strictPage(browser.context);
  await page.goto(link({ s: "time of day between 09:00:30 and 10:00", tz: "UTC", after: "2024-03-29T00:00:00Z" }));
  await settled(page);
  const rows = await windowTexts(page);
  assert.deepEqual(rows[0], ["2024-03-29 09:00:30", "2024-03-29 10:00"]);
});

test("a typo is underlined with its suggestion, and the fix applies it", async () => {
  const page = await strictPage(browser.context);
  await page.goto(link({ s: "", tz: "UTC", after: "2024-03-29T00:00:00Z" }));
  let ready = await settled(page);
  await page.fill("#statement", "");
  await page.locator("#statement").pressSequentially("every 10 minuts", { delay: 20 });
  await page.waitForFunction(() => document.querySelector("#source .fault.error")?.textContent === "minuts");
  const style = await page.$eval("#source .fault.error", (e) => getComputedStyle(e).textDecorationLine + " " + getComputedStyle(e).textDecorationStyle);
  assert.equal(style, "underline wavy");
  const diagnostics = await page.textContent("#diagnostics");
  assert.match(diagnostics, /unknown unit `minuts`/);
  assert.match(diagnostics, /did you mean `minutes`\?/);
  assert.equal(await page.textContent("#canonical"), "");
  assert.match(await page.textContent("#status"), /errors/);
  // The URL follows the typing.
  assert.equal(new URL(page.url()).searchParams.get("s"), "every 10 minuts");
  ready = await page.evaluate(() => document.body.dataset.ready);
  await page.click("button.fix");
  await settled(page, ready);
  assert.equal(await page.inputValue("#statement"), "every 10 minutes");
  assert.equal(await page.locator("#source .fault").count(), 0);
  assert.equal(await page.textContent("#canonical"), "every 10 minutes");
  assert.deepEqual(page.problems, []);
});

test("switching zones moves the windows across a DST change", async () => {
  const page = await strictPage(browser.context);
  await page.goto(link({ s: "time of day between 02:30 and 03:30", tz: "UTC", after: "2024-03-09T12:00:00Z" }));
  const ready = await settled(page);
  assert.deepEqual((await windowTexts(page)).slice(0, 2), [
    ["2024-03-10 02:30", "2024-03-10 03:30"],
    ["2024-03-11 02:30", "2024-03-11 03:30"],
  ]);
  await page.selectOption("#zone", "America/New_York");
  await settled(page, ready);
  // 02:30 does not exist in New York on 2024-03-10: the window opens at 03:00.
  assert.deepEqual((await windowTexts(page)).slice(0, 2), [
    ["2024-03-10 03:00", "2024-03-10 03:30"],
    ["2024-03-11 02:30", "2024-03-11 03:30"],
  ]);
  const instants = await page.$$eval("#windows tbody .start time", (ts) => ts.map((t) => t.getAttribute("datetime")));
  assert.equal(instants[0], "2024-03-10T03:00:00-04:00");
  assert.equal(new URL(page.url()).searchParams.get("tz"), "America/New_York");
  assert.match(await page.textContent("#windows").then(() => page.textContent("h2 .hint")), /America\/New_York/);
});

test("the state in the URL reproduces the page in a new tab", async () => {
  const page = await strictPage(browser.context);
  await page.goto(link({ s: "daily", tz: "UTC", after: "2024-01-01T00:00:00Z" }));
  let ready = await settled(page);
  await page.fill("#statement", "cron 15 8 * * mon-fri");
  ready = await settled(page, ready);
  await page.fill("#conds", "is holiday = false");
  await settled(page, ready);
  const url = page.url();
  const rows = await windowTexts(page);
  const fresh = await strictPage(browser.context);
  await fresh.goto(url);
  await settled(fresh);
  assert.equal(await fresh.inputValue("#statement"), "cron 15 8 * * mon-fri");
  assert.equal(await fresh.inputValue("#conds"), "is holiday = false");
  assert.deepEqual(await windowTexts(fresh), rows);
  assert.equal(rows[0][0], "2024-01-01 08:15");
});

test("custom conditions declared on the page are used", async () => {
  const page = await strictPage(browser.context);
  const s = "is business day & time of day between 10:00 and 11:00";
  await page.goto(link({ s, tz: "UTC", after: "2024-03-29T00:00:00Z" }));
  let ready = await settled(page);
  assert.match(await page.textContent("#diagnostics"), /unknown phrase `is business day`/);
  await page.fill("#conds", "is business day = true");
  ready = await settled(page, ready);
  assert.equal((await windowTexts(page))[0][0], "2024-03-29 10:00");
  await page.fill("#conds", "is business day = false");
  await settled(page, ready);
  // False now, and time alone cannot change it: the page says what it waits on.
  assert.match(await page.textContent("#verdict"), /waits on: 'is business day' changes/);
});

test("the zone defaults to the browser's", async () => {
  const page = await strictPage(browser.context);
  await page.goto(BASE + "/?s=daily");
  await settled(page);
  assert.equal(await page.inputValue("#zone"), process.env.BROWSER_TZ || "Asia/Tokyo");
});

test("hostile statements and conditions stay text", async () => {
  const page = await strictPage(browser.context);
  const hostile = "<img src=x onerror=alert(1)>";
  // Task names cannot hold parentheses: this one is valid and reaches every panel.
  const named = "<img src=x onerror=alert`1`>";
  const valid = `after task '${named}' succeeded`;
  for (const s of [hostile, valid, `"><script>alert(1)</script>`]) {
    await page.goto(link({ s, tz: "UTC", after: "2024-03-29T00:00:00Z", c: `<b onmouseover=alert(2)>x</b>` }));
    await settled(page);
    assert.equal(await page.inputValue("#statement"), s);
    assert.equal(await page.locator("img").count(), 0);
    assert.equal(await page.locator("main script, main b").count(), 0);
    assert.ok((await page.textContent("#source")).includes(s.slice(0, 10)));
  }
  // The valid one shows its task name as text in the canonical form and the explanation.
  await page.goto(link({ s: valid, tz: "UTC", after: "2024-03-29T00:00:00Z" }));
  await settled(page);
  assert.equal(await page.textContent("#canonical"), valid);
  assert.ok((await page.textContent("#explanation")).includes(named));
  assert.ok((await page.textContent("#verdict")).includes(named));
  assert.equal(await page.locator("img").count(), 0);
  assert.deepEqual(page.problems, []);
});
