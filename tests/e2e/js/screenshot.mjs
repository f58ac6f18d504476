// Full-page screenshots of one URL at several viewport widths, with horizontal-overflow facts.
// Usage: node screenshot.mjs URL OUT_DIR WIDTH...   prints JSON:
//   {shots: [{width, path, status, scrollWidth, clientWidth, overflowing: [...]}]}
// Widths below 600 px emulate a phone (isMobile, touch), so a page without a viewport meta tag
// lays out at 980 px and overflows, as it would on a real phone.
import { join } from 'node:path';
import { runMain, withContext } from './browser.mjs';

function measure() {
  const root = document.documentElement;
  const limit = root.clientWidth + 0.5;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).join('.');
    return s;
  };
  const overflowing = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > limit) {
      overflowing.push({ element: describe(el), right: Math.round(r.right), width: Math.round(r.width) });
    }
  }
  return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, overflowing: overflowing.slice(0, 15) };
}

async function shoot(url, outDir, width) {
  const mobile = width < 600;
  const options = { viewport: { width, height: mobile ? 844 : 800 }, deviceScaleFactor: 1, isMobile: mobile, hasTouch: mobile };
  return withContext(options, async (context) => {
    const page = context.pages()[0] || (await context.newPage());
    const response = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
    const path = join(outDir, `screenshot-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    return { width, path, status: response ? response.status() : null, ...(await page.evaluate(measure)) };
  });
}

runMain(async () => {
  const [url, outDir, ...widths] = process.argv.slice(2);
  if (!url || !outDir || !widths.length) throw new Error('usage: node screenshot.mjs URL OUT_DIR WIDTH...');
  const shots = [];
  for (const w of widths) shots.push(await shoot(url, outDir, parseInt(w, 10)));
  return { shots };
});
