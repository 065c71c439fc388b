// Browser test: the demo portal's service pages show the backup card with the
// right status. Run through `yarn test:e2e`, which starts the portal if needed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPortal, PORTAL_URL, tableOverflow } from './browser.mjs';
import { readFileSync } from 'node:fs';

let browser;
let page;

before(async () => {
  ({ browser, page } = await openPortal());
});

after(async () => {
  await browser?.close();
});

async function backupStatusOn(path) {
  await page.goto(`${PORTAL_URL}${path}`);
  const status = page.getByTestId('backup-status');
  await status.waitFor();
  return status.getAttribute('data-status');
}

describe('backup card in the demo portal', () => {
  it('shows a compliant service as compliant, with its next due date', async () => {
    assert.equal(
      await backupStatusOn('/catalog/default/component/payments-api'),
      'compliant',
    );
    await page.getByText('Compliant', { exact: true }).waitFor();
    await page.getByTestId('backup-next-due').waitFor();
    await page.screenshot({
      path: 'e2e-test-report/payments-api.png',
      fullPage: true,
    });
  });

  it('shows unencrypted PII backups as non-compliant, with the finding', async () => {
    assert.equal(
      await backupStatusOn('/catalog/default/component/identity-api'),
      'non-compliant',
    );
    await page
      .getByText('Backups of pii data must be encrypted like production', {
        exact: false,
      })
      .waitFor();
  });

  it('shows the catalog processing error that names the bad annotation', async () => {
    assert.equal(
      await backupStatusOn('/catalog/default/component/notification-worker'),
      'invalid',
    );
    await page
      .getByText('Invalid annotation backup-assurance.io/frequency', {
        exact: false,
      })
      .first()
      .waitFor();
    await page.screenshot({
      path: 'e2e-test-report/notification-worker.png',
      fullPage: true,
    });
  });
});

/** A `datetime-local` value in the browser's time zone, some hours ago. */
function localHoursAgo(hours) {
  const date = new Date(Date.now() - hours * 3600_000);
  const pad = n => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

async function chooseOption(selectId, option) {
  await page.locator(`#${selectId}`).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('recording a restore test in the demo portal', () => {
  it('records through the dialog and shows it in the history and the card', async () => {
    const scope = `e2e restore drill ${Date.now()}`;
    await page.goto(
      `${PORTAL_URL}/catalog/default/component/backup-assurance/backup`,
    );
    await page.getByTestId('evidence-chain').waitFor();
    await page.getByRole('button', { name: 'Record restore test' }).click();
    await page.fill('#restore-test-startedAt', localHoursAgo(2));
    await page.fill('#restore-test-completedAt', localHoursAgo(1));
    await chooseOption('restore-test-result', 'Succeeded');
    await page.fill('#restore-test-executor', 'E2E Tester');
    await page.fill('#restore-test-scope', scope);
    await chooseOption('restore-test-validation-integrity', 'Passed');
    await chooseOption('restore-test-validation-recoverability', 'Passed');
    await page.fill(
      '#restore-test-evidenceUrl',
      'https://tickets.example.com/E2E-1',
    );
    await page.getByRole('button', { name: 'Record', exact: true }).click();

    await page.getByRole('cell', { name: scope }).waitFor();
    await page.screenshot({
      path: 'e2e-test-report/record-restore-test.png',
      fullPage: true,
    });

    await page.goto(`${PORTAL_URL}/catalog/default/component/backup-assurance`);
    const lastTest = page.getByTestId('backup-last-test');
    await lastTest.waitFor();
    assert.match(await lastTest.innerText(), /recorded in the portal/);
    assert.equal(
      await page.getByTestId('backup-status').getAttribute('data-status'),
      'compliant',
    );
  });
});

describe('evidence tables at 1,400 px', () => {
  it('shows every column of the Backup tab and of the owner table', async () => {
    await page.goto(
      `${PORTAL_URL}/catalog/default/component/payments-api/backup`,
    );
    for (const table of [
      'backup-restore-tests',
      'backup-backup-runs',
      'backup-access-reviews',
    ]) {
      const container = page.getByTestId(table);
      await container.locator('tbody tr').first().waitFor();
      assert.equal(await tableOverflow(page, container), 0, table);
    }

    await page.goto(`${PORTAL_URL}/backup`);
    const owners = page.getByTestId('backup-owner-table');
    await owners.getByRole('button', { name: 'platform' }).waitFor();
    assert.equal(await tableOverflow(page, owners), 0);
  });
});

describe('the backup dashboard in the demo portal', () => {
  it('filters, drills into an entity page and downloads the CSV evidence pack', async () => {
    await page.goto(`${PORTAL_URL}/backup`);
    await page.getByTestId('backup-tiles').waitFor();
    await page
      .getByTestId('backup-policy')
      .getByText('2026.1')
      .first()
      .waitFor();

    // a filter narrows the view and lands in the URL
    await page.selectOption('#backup-filter-status', 'non-compliant');
    await page.waitForURL(/status=non-compliant/);
    const list = page.getByTestId('backup-entity-list');
    await list.getByText('identity-api').first().waitFor();
    assert.equal(await list.getByText('payments-api').count(), 0);

    // follow a row to its entity page
    await list
      .getByRole('link', { name: /identity-api/ })
      .first()
      .click();
    await page.waitForURL(/\/catalog\/default\/component\/identity-api/);
    await page.getByTestId('backup-status').waitFor();

    // the evidence pack downloads as a CSV file
    await page.goto(`${PORTAL_URL}/backup`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('backup-export-csv').click(),
    ]);
    assert.match(download.suggestedFilename(), /^backup-evidence-.*\.csv$/);
    const path = `e2e-test-report/${download.suggestedFilename()}`;
    await download.saveAs(path);
    const csv = readFileSync(path, 'utf8');
    assert.match(csv, /^section,key,value\r\n/);
    assert.match(csv, /policy,version,2026\.1/);
    assert.match(csv, /component:default\/payments-api/);
    await page.screenshot({
      path: 'e2e-test-report/dashboard.png',
      fullPage: true,
    });
  });
});
