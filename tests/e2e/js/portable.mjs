// Open a portable build from disk (file://) and walk it as a reviewer would: the home page, a click
// on the first story card, a click on "Our values" in the navigation.
// Usage: node portable.mjs FILE_URL_OF_INDEX_HTML   prints JSON:
//   {pages: [{url, title, body, primary, broken, images}], failed: [...], outside: [...]}
// Requests that leave file:// are recorded in `outside` and aborted, so nothing reaches a network.
import { runMain, withContext } from './browser.mjs';

async function settle(page) {
  await page.waitForLoadState('load');
  for (let step = 0; step < 40; step++) { // scroll step by step so every lazy picture is wanted
    const done = await page.evaluate(() => {
      // 'instant': the theme scrolls smoothly, and a smooth scroll has not moved yet when read
      window.scrollBy({ top: window.innerHeight, behavior: 'instant' });
      return window.scrollY + window.innerHeight >= document.body.scrollHeight;
    });
    if (done) break;
  }
  await page.waitForFunction(
    () => [...document.images].every((img) => img.complete),
    null,
    { timeout: 15000 },
  );
}

function facts() {
  const body = getComputedStyle(document.body);
  const images = [...document.images];
  return {
    url: location.href,
    title: document.title,
    body: { display: body.display, background: body.backgroundColor },
    primary: getComputedStyle(document.documentElement).getPropertyValue('--color-primary').trim(),
    sheets: document.styleSheets.length,
    images: images.length,
    broken: images.filter((img) => !img.naturalWidth).map((img) => img.currentSrc || img.src),
  };
}

runMain(async () => {
  const [start] = process.argv.slice(2);
  if (!start || !start.startsWith('file://')) throw new Error('usage: node portable.mjs FILE_URL');
  return withContext({ viewport: { width: 1280, height: 900 } }, async (context) => {
    const failed = [];
    const outside = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    const page = context.pages()[0] || (await context.newPage());
    page.on('requestfailed', (request) => {
      if (request.url().startsWith('file://')) failed.push(`${request.url()} (${request.failure()?.errorText})`);
    });
    const pages = [];
    await page.goto(start, { waitUntil: 'load', timeout: 30000 });
    await settle(page);
    pages.push(await page.evaluate(facts));

    await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
    await Promise.all([page.waitForURL(/\/stories\/[^/]+\/index\.html$/), page.click('a.card__link[href*="stories/"]')]);
    await settle(page);
    pages.push(await page.evaluate(facts));

    await Promise.all([page.waitForURL(/\/values\/index\.html$/), page.click('.site-nav a[href$="values/index.html"]')]);
    await settle(page);
    pages.push(await page.evaluate(facts));
    return { pages, failed, outside };
  });
});
