// Browser test: a failed backup run of a demo resource is acknowledged with a
// ticket and then resolved through the Backup tab. Run through
// `yarn test:e2e`, which starts the portal if needed.
//
// The demo keeps its records in SQLite files that outlive a restart, so the
// demo's own failure may already have been followed up. The test therefore
// reports a failure of its own first, as a backup tool would, and follows
// that one up: it passes however often it runs against the same portal.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND_URL, openPortal, PORTAL_URL } from './browser.mjs';

/** The demo resource whose backup runs already include a failure. */
const ENTITY = {
  kind: 'resource',
  namespace: 'default',
  name: 'invoice-archive',
};

let browser;
let page;

before(async () => {
  ({ browser, page } = await openPortal());
});

after(async () => {
  await browser?.close();
});

/** A guest's token, as the app gets it when signing in. */
async function guestToken() {
  const response = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()).backstageIdentity.token;
}

/**
 * Reports a failed backup run of the entity through the API; waits while a
 * freshly started catalog has not yet read the demo entities (404).
 */
async function reportFailedRun(message) {
  const { kind, namespace, name } = ENTITY;
  const url = `${BACKEND_URL}/api/backup/entities/${kind}/${namespace}/${name}/backup-runs`;
  const token = await guestToken();
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        runAt: new Date(Date.now() - 60_000).toISOString(),
        outcome: 'failed',
        durationSeconds: 42,
        message,
        source: 'e2e',
      }),
    });
    if (response.status !== 404 || attempt === 60) {
      assert.equal(response.status, 201, await response.text());
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

/** The follow-up cell of the backup run with this message, once in this state. */
function followUpOf(message, state) {
  return page
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: message, exact: true }) })
    .locator(`[data-testid="follow-up"][data-state="${state}"]`);
}

describe('following a failed backup run to resolution in the demo portal', () => {
  it('acknowledges the failure with a ticket, then resolves it with a note', async () => {
    const stamp = Date.now();
    const message = `e2e: replication role lost access (${stamp})`;
    const ticketUrl = `https://tickets.example.com/E2E-${stamp}`;
    const resolution = `Role permission restored and replication re-run (${stamp})`;
    await reportFailedRun(message);

    const { kind, namespace, name } = ENTITY;
    await page.goto(
      `${PORTAL_URL}/catalog/${namespace}/${kind}/${name}/backup`,
    );
    await page.getByTestId('evidence-chain').waitFor();

    const open = followUpOf(message, 'unacknowledged');
    await open.getByText('Not acknowledged').waitFor();
    await open.getByRole('button', { name: 'Acknowledge' }).click();
    await page.fill('#follow-up-ticketUrl', ticketUrl);
    await page.getByRole('button', { name: 'Record', exact: true }).click();

    const acknowledged = followUpOf(message, 'acknowledged');
    const ticket = acknowledged.getByRole('link', {
      name: ticketUrl.replace('https://', ''),
    });
    await ticket.waitFor();
    assert.equal(await ticket.getAttribute('href'), ticketUrl);
    await page.screenshot({
      path: 'e2e-test-report/follow-up-acknowledged.png',
      fullPage: true,
    });

    await acknowledged.getByRole('button', { name: 'Resolve' }).click();
    await page.fill('#follow-up-resolution', resolution);
    await page.getByRole('button', { name: 'Record', exact: true }).click();

    const resolved = followUpOf(message, 'resolved');
    await resolved.getByText(`Resolved — ${resolution}`).waitFor();
    assert.equal(
      await resolved
        .getByRole('link', { name: ticketUrl.replace('https://', '') })
        .getAttribute('href'),
      ticketUrl,
    );
    assert.equal(await resolved.getByRole('button').count(), 0);
    await page.screenshot({
      path: 'e2e-test-report/follow-up-resolved.png',
      fullPage: true,
    });
  });
});
