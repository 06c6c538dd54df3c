// Takes the screenshots in docs/images/ from a running server:
//   TMINUS_URL=http://127.0.0.1:8080 [DASHBOARD_URL=http://127.0.0.1:8081] node screenshots.mjs
// Not a test: run by hand when the pages change.
import { launch, settled, link } from "./browser.mjs";

const out = new URL("../../../docs/images/", import.meta.url).pathname;
const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(link({
    s: "time of week between Mon and Fri & time of day between 09:30 and 10:00 | cron 0 14 * * sat",
    tz: "Europe/Helsinki",
    after: "2024-03-28T12:00:00Z",
  }));
  await settled(page);
  await page.screenshot({ path: out + "playground.png", fullPage: true });
  await page.goto(link({ s: "daily betwen 10:00 and 12:00 & time of day after 11:00", tz: "Europe/Helsinki", after: "2024-03-28T12:00:00Z" }));
  await settled(page);
  await page.screenshot({ path: out + "playground-typo.png", clip: { x: 0, y: 0, width: 1100, height: 520 } });
  if (process.env.DASHBOARD_URL) {
    await page.goto(process.env.DASHBOARD_URL + "/dashboard#task=report");
    await page.waitForSelector("#tasks tbody tr");
    await page.waitForTimeout(1500);
    await page.screenshot({ path: out + "dashboard.png", fullPage: true });
  }
} finally {
  await browser.close();
}
