// Shared Chromium launch for the e2e drivers: Debian's /usr/bin/chromium driven by playwright-core,
// headless, with the flags this machine needs and a fresh --user-data-dir per launch.
// Profiles go under $BRANDSITE_E2E_PROFILE_ROOT (a temp folder the Python side owns and uses to
// reap any leftover process); they are removed when the context closes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROME_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--hide-scrollbars', '--mute-audio',
];

/** Launch Chromium with a fresh profile, run fn(context), always close and delete the profile. */
export async function withContext(contextOptions, fn) {
  const root = process.env.BRANDSITE_E2E_PROFILE_ROOT || tmpdir();
  const profile = mkdtempSync(join(root, 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROME_FLAGS,
    ...contextOptions,
  });
  try {
    return await fn(context);
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Run main() and print its result as JSON on stdout; exit 2 with the stack on failure. */
export function runMain(main) {
  main().then(
    (result) => { process.stdout.write(JSON.stringify(result) + '\n'); },
    (err) => { console.error(err && err.stack ? err.stack : err); process.exit(2); },
  );
}
