// The browser tests' one way to open the demo portal: headless Chromium
// (the Debian package; never a downloaded browser) and the guest sign-in.
import { chromium } from 'playwright-core';

export const PORTAL_URL = process.env.PORTAL_URL ?? 'http://localhost:3000';
export const BACKEND_URL = process.env.BACKEND_URL ?? 'http://localhost:7007';

/** A signed-in page of the portal; close the browser when done. */
export async function openPortal() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(PORTAL_URL);
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  await enter.waitFor({ state: 'detached' });
  return { browser, page };
}

/**
 * How far a table runs past its container (0 when every column shows), at
 * the width the issue reports were seen at (1,400 px).
 */
export async function tableOverflow(page, container) {
  await page.setViewportSize({ width: 1400, height: 900 });
  return container.evaluate(element => {
    const table = element.querySelector('table');
    return Math.max(0, table.scrollWidth - element.clientWidth);
  });
}
