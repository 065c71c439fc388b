// Browser test: the demo portal's reminders reach the owners through Backstage
// notifications. The guest (user:default/guest, a member of payments and
// platform in examples/org.yaml) owns the demo's due-soon restore test
// (ledger-service) and overdue ones (invoice-archive, analytics-warehouse).
// The reminder task first runs a minute after the backend starts
// (backup.notifications.schedule in app-config.yaml), so the page is reloaded
// until the reminders are there. Run through `yarn test:e2e`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND_URL, openPortal, PORTAL_URL } from './browser.mjs';

/** The owners of the demo's due-soon and overdue restore tests. */
const OWNERS = ['group:default/payments', 'group:default/platform'];
/** The first run, plus the catalog and the demo evidence it waits for. */
const FIRST_RUN_WITHIN_MS = 5 * 60_000;

let browser;
let page;

/** Who the guest signs in as, and what it is a member of. */
async function guestIdentity() {
  const res = await fetch(
    `${BACKEND_URL}/api/auth/guest/refresh?env=development`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  assert.equal(res.status, 200, 'guest sign-in');
  return (await res.json()).backstageIdentity.identity;
}

before(async () => {
  // Reminders go to the owning groups' members: fail fast, and say why, if
  // the guest is not one of them
  const { userEntityRef, ownershipEntityRefs } = await guestIdentity();
  const missing = OWNERS.filter(ref => !ownershipEntityRefs.includes(ref));
  assert.deepEqual(
    missing,
    [],
    `the guest signs in as ${userEntityRef}, a member of ${ownershipEntityRefs.join(
      ', ',
    )}; it must be a member of ${OWNERS.join(
      ' and ',
    )} to see their reminders (auth.providers.guest.userEntityRef and examples/org.yaml)`,
  );
  ({ browser, page } = await openPortal());
});

after(async () => {
  await browser?.close();
});

/**
 * The reminders with this title on the notifications page, found through
 * its search box so that paging cannot hide them.
 */
async function remindersTitled(title) {
  await page.goto(`${PORTAL_URL}/notifications`);
  const searched = page.waitForResponse(
    res => new URL(res.url()).searchParams.get('search') === title,
  );
  await page.getByPlaceholder('Filter').fill(title);
  await searched;
  const reminder = page.getByText(title, { exact: true });
  await reminder.first().waitFor({ timeout: 10_000 });
  return reminder;
}

/** Reloads until every title shows: the first run may still be ahead. */
async function waitForReminders(titles) {
  const deadline = Date.now() + FIRST_RUN_WITHIN_MS;
  for (const title of titles) {
    for (;;) {
      try {
        await remindersTitled(title);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await page.waitForTimeout(5_000);
      }
    }
  }
}

describe('backup reminders in the demo portal', () => {
  it('lists the due-soon and overdue restore tests of the guest’s teams', async () => {
    await waitForReminders([
      'Restore test due soon: ledger-service',
      'Restore test overdue: invoice-archive',
      'No restore test recorded: analytics-warehouse',
    ]);
    await page.goto(`${PORTAL_URL}/notifications`);
    await page.getByText('plugin:backup', { exact: false }).first().waitFor();
    await page.screenshot({
      path: 'e2e-test-report/notifications.png',
      fullPage: true,
    });
  });

  it('sends each reminder once, with the evaluation’s words', async () => {
    const reminder = await remindersTitled(
      'Restore test due soon: ledger-service',
    );
    assert.equal(await reminder.count(), 1);
    await page
      .getByText(/^The next restore test is due on \d{4}-\d{2}-\d{2}\.$/)
      .waitFor();
  });

  it('links a reminder to the entity’s Backup tab', async () => {
    const reminder = await remindersTitled(
      'Restore test overdue: invoice-archive',
    );
    await reminder.first().click();
    await page.waitForURL(
      /\/catalog\/default\/resource\/invoice-archive\/backup$/,
    );
    await page.getByTestId('evidence-chain').waitFor();
  });
});
