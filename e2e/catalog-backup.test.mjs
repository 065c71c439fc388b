// Browser test: the demo catalog's "Backup" column and backup-status filter.
// Run through `yarn test:e2e`, which starts the portal if needed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPortal, PORTAL_URL } from './browser.mjs';

// The catalog is the landing page; every owner's resources.
const RESOURCES = `${PORTAL_URL}/?filters[kind]=resource&filters[user]=all`;

let browser;
let page;

before(async () => {
  ({ browser, page } = await openPortal());
});

after(async () => {
  await browser?.close();
});

/** The catalog table's row of an entity. */
const rowOf = name =>
  page.locator('tbody tr').filter({
    has: page.getByRole('link', { name, exact: true }),
  });

describe('backup in the demo catalog', () => {
  it('shows each row backup status, linking to its Backup tab', async () => {
    await page.goto(RESOURCES);
    const status = rowOf('payments-db').getByTestId('catalog-backup-status');
    await status.waitFor();
    assert.equal(
      await status.getByTestId('backup-status').getAttribute('data-status'),
      'compliant',
    );
    assert.equal(
      await status.getAttribute('href'),
      '/catalog/default/resource/payments-db/backup',
    );
  });

  it('filters the catalog to the overdue entities', async () => {
    await page.goto(RESOURCES);
    await rowOf('payments-db').waitFor();
    await page.getByTestId('backup-status-picker-expand').click();
    await page.getByRole('option', { name: 'Restore test overdue' }).click();
    await page.keyboard.press('Escape');

    await rowOf('payments-db').waitFor({ state: 'detached' });
    const overdue = rowOf('analytics-warehouse');
    await overdue.waitFor();
    assert.equal(
      await overdue.getByTestId('backup-status').getAttribute('data-status'),
      'overdue',
    );
    for (const compliant of ['identity-db', 'build-artifacts']) {
      assert.equal(await rowOf(compliant).count(), 0, compliant);
    }
    // The choice is kept in the URL, like the catalog's own filters.
    assert.match(
      decodeURIComponent(page.url()),
      /filters\[backupStatus\]=overdue/,
    );
    await page.screenshot({
      path: 'e2e-test-report/catalog-overdue.png',
      fullPage: true,
    });
  });
});
