// Renders one HTML file in headless Chromium and prints, as JSON, what a reader would see:
//   node check.mjs FILE.html SCREENSHOT.png
// {"consoleErrors": [...], "pageErrors": [...], "requests": [...non-file URLs asked for...],
//  "rendered": <document.body.dataset.rendered>, "svg": {"charts": n, "shapes": n}, "canvases": n, "title": ...}
// The page must work offline: any request that is not for the file itself is reported.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [file, screenshot] = process.argv.slice(2);
const executablePath = process.env.WIRELAKE_CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const result = { consoleErrors: [], pageErrors: [], requests: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const url = pathToFileURL(file).href;
  page.on('console', message => { if (message.type() === 'error') result.consoleErrors.push(message.text()); });
  page.on('pageerror', error => result.pageErrors.push(String(error)));
  page.on('request', request => { if (request.url() !== url && !request.url().startsWith('data:')) result.requests.push(request.url()); });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(500);
  result.title = await page.title();
  result.rendered = await page.evaluate(() => document.body.dataset.rendered ?? null);
  result.svg = await page.evaluate(() => ({
    charts: document.querySelectorAll('svg.chart').length,
    shapes: document.querySelectorAll('svg.chart rect, svg.chart path, svg.chart circle, svg.chart line, svg.chart polyline').length,
  }));
  result.canvases = await page.evaluate(() => document.querySelectorAll('canvas').length);
  if (screenshot) {
    await page.screenshot({ path: screenshot, fullPage: true });
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
