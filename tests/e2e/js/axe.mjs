// axe-core on each given URL in headless Chromium; prints JSON:
//   {axe, pages: [{url, status, violations: [{id, impact, help, helpUrl, nodes: [...]}]}]}
// Usage: node axe.mjs URL...   (exit 0 whatever axe finds; the Python tests judge; 2 = tool failure)
import { createRequire } from 'node:module';
import { runMain, withContext } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_VERSION = require('axe-core/package.json').version;

async function audit(context, url) {
  const page = await context.newPage();
  try {
    const response = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
    await page.addScriptTag({ path: AXE_PATH });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    return {
      url,
      status: response ? response.status() : null,
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({
          target: n.target.join(' '),
          html: n.html.slice(0, 200),
          summary: (n.failureSummary || '').slice(0, 400),
        })),
      })),
    };
  } finally {
    await page.close();
  }
}

runMain(async () => {
  const urls = process.argv.slice(2);
  if (!urls.length) throw new Error('usage: node axe.mjs URL...');
  // bypassCSP: the theme's Content-Security-Policy (script-src 'self') would block the injected axe.
  return withContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true }, async (context) => {
    const pages = [];
    for (const url of urls) pages.push(await audit(context, url));
    return { axe: AXE_VERSION, pages };
  });
});
