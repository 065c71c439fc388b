import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { InMemoryBackupApi } from '../../__testUtils__/InMemoryBackupApi';
import {
  renderWithBackup,
  untestedPiiService,
} from '../../__testUtils__/renderWithBackup';
import { EntityBackupCard } from '../EntityBackupCard';
import { formatDate } from '../EntityBackupCard/format';
import { EntityBackupContent } from './EntityBackupContent';

// Dialogs driven event by event are slow on a loaded CI machine.
jest.setTimeout(30_000);

const entity = untestedPiiService;

/** The same service before its backup administrators were ever reviewed. */
const { 'backup-assurance.io/last-access-review': _review, ...unreviewed } =
  entity.metadata.annotations!;
const unreviewedService: Entity = {
  ...entity,
  metadata: { ...entity.metadata, annotations: unreviewed },
};

const renderContent = (api: InMemoryBackupApi, shown: Entity = entity) =>
  renderWithBackup(
    <>
      <EntityBackupCard />
      <EntityBackupContent />
    </>,
    { entity: shown, api },
  );

/** A `datetime-local` value (browser local time) some hours ago. */
const localHoursAgo = (hours: number) => {
  const date = new Date(Date.now() - hours * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

const type = (id: string, value: string) =>
  fireEvent.change(document.getElementById(id)!, { target: { value } });

async function choose(id: string, option: string) {
  fireEvent.mouseDown(
    within(document.getElementById(id)!.parentElement!).getByRole('button'),
  );
  fireEvent.click(await screen.findByRole('option', { name: option }));
}

describe('EntityBackupContent', () => {
  it('shows empty history, an intact chain and the record button', async () => {
    await renderContent(new InMemoryBackupApi(entity));
    expect(await screen.findByTestId('evidence-chain')).toHaveTextContent(
      'Evidence intact: 0 restore tests, 0 backup runs, 0 access reviews and 0 follow-ups verified',
    );
    expect(
      screen.getByText(/No restore test recorded yet/),
    ).toBeInTheDocument();
    expect(screen.getByText('Access reviews (0)')).toBeInTheDocument();
    expect(
      screen.getByText(/No access review recorded yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Record restore test' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Record access review' }),
    ).toBeInTheDocument();
  });

  it('reports a broken evidence chain', async () => {
    const api = new InMemoryBackupApi(entity);
    api.brokenChain = 'restoreTests';
    await renderContent(api);
    const chain = await screen.findByTestId('evidence-chain');
    expect(chain).toHaveAttribute('data-intact', 'false');
    expect(chain).toHaveTextContent(
      'Evidence chain broken at record 1: its content does not match its hash. A stored restore-test record was changed or removed outside the portal.',
    );
  });

  it('verifies the access-review chain too', async () => {
    const api = new InMemoryBackupApi(entity);
    api.brokenChain = 'accessReviews';
    await renderContent(api);
    const chain = await screen.findByTestId('evidence-chain');
    expect(chain).toHaveAttribute('data-intact', 'false');
    expect(chain).toHaveTextContent(
      'Evidence chain broken at record 1: its content does not match its hash. A stored access-review record was changed or removed outside the portal.',
    );
  });

  it('explains each problem in words before anything is sent', async () => {
    const api = new InMemoryBackupApi(entity);
    await renderContent(api);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Record restore test' }),
    );
    type('restore-test-startedAt', localHoursAgo(1));
    type('restore-test-completedAt', localHoursAgo(2));
    type('restore-test-evidenceUrl', 'ticket 42');
    fireEvent.click(screen.getByRole('button', { name: 'Record' }));
    expect(
      await screen.findByText('Completed must be after Started.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Choose the result.')).toBeInTheDocument();
    expect(screen.getByText('Say what was restored.')).toBeInTheDocument();
    expect(
      screen.getByText('Use an http(s) link to the ticket, log or report.'),
    ).toBeInTheDocument();

    type('restore-test-completedAt', localHoursAgo(-48));
    expect(
      await screen.findByText('Completed cannot be in the future.'),
    ).toBeInTheDocument();
    expect(api.restoreTests).toHaveLength(0);
  });

  it('records a restore test and shows it in the history and the card', async () => {
    const api = new InMemoryBackupApi(entity);
    await renderContent(api);
    expect(
      (await screen.findByTestId('backup-status')).getAttribute('data-status'),
    ).toBe('overdue');

    fireEvent.click(
      screen.getByRole('button', { name: 'Record restore test' }),
    );
    type('restore-test-startedAt', localHoursAgo(3));
    type('restore-test-completedAt', localHoursAgo(2));
    await choose('restore-test-result', 'Succeeded');
    type('restore-test-executor', 'Alice');
    type('restore-test-scope', 'payments-db into staging');
    await choose('restore-test-validation-integrity', 'Passed');
    type('restore-test-evidenceUrl', 'https://tickets.example.com/OPS-9');
    fireEvent.click(screen.getByRole('button', { name: 'Record' }));

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(await screen.findByText('Restore tests (1)')).toBeInTheDocument();
    expect(
      screen.getByRole('cell', { name: 'payments-db into staging' }),
    ).toBeInTheDocument();
    expect(api.restoreTests[0]).toMatchObject({
      result: 'succeeded',
      executor: 'Alice',
      validation: [
        { type: 'integrity', outcome: 'passed' },
        { type: 'recoverability', outcome: 'not-performed' },
        { type: 'application', outcome: 'not-performed' },
      ],
      evidenceUrl: 'https://tickets.example.com/OPS-9',
    });
  });
});

describe('EntityBackupContent access reviews', () => {
  const openDialog = async () =>
    fireEvent.click(
      await screen.findByRole('button', { name: 'Record access review' }),
    );

  it('starts from the declared administrators and explains each problem in words', async () => {
    const api = new InMemoryBackupApi(entity);
    await renderContent(api);
    await openDialog();
    expect(document.getElementById('access-review-admins')).toHaveValue(
      'group:default/backup-admins\nuser:default/alice',
    );
    type('access-review-reviewedAt', localHoursAgo(-48));
    type('access-review-admins', ' , \n ');
    type('access-review-evidenceUrl', 'ticket 42');
    fireEvent.click(screen.getByRole('button', { name: 'Record' }));
    expect(
      await screen.findByText('Reviewed cannot be in the future.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Say who reviewed the access.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Choose the outcome.')).toBeInTheDocument();
    expect(
      screen.getByText(
        'List who can delete backups or disable backup jobs after the review.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Use an http(s) link to the review record.'),
    ).toBeInTheDocument();

    type(
      'access-review-admins',
      Array.from({ length: 51 }, (_, i) => `user:default/admin-${i}`).join(
        ', ',
      ),
    );
    expect(
      await screen.findByText(/^List at most 50 administrators \(51 given\)/),
    ).toBeInTheDocument();
    expect(api.accessReviews).toHaveLength(0);
  });

  it('records an access review and shows it in the history', async () => {
    const api = new InMemoryBackupApi(unreviewedService);
    await renderContent(api, unreviewedService);
    expect(await screen.findByTestId('backup-findings')).toHaveTextContent(
      'No review of who can delete backups or disable backup jobs is recorded',
    );
    expect(screen.getByTestId('backup-last-access-review')).toHaveTextContent(
      'Last access review: none recorded',
    );

    await openDialog();
    const reviewedAt = localHoursAgo(2);
    type('access-review-reviewedAt', reviewedAt);
    type('access-review-reviewer', 'Security team');
    await choose('access-review-outcome', 'Access changed in the review');
    type(
      'access-review-admins',
      'group:default/backup-admins\nuser:default/bob, group:default/backup-admins',
    );
    type('access-review-evidenceUrl', 'https://tickets.example.com/SEC-9');
    type('access-review-notes', 'Removed alice, who left the team');
    fireEvent.click(screen.getByRole('button', { name: 'Record' }));

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(await screen.findByText('Access reviews (1)')).toBeInTheDocument();
    const row = screen
      .getByRole('cell', { name: 'Removed alice, who left the team' })
      .closest('tr')!;
    expect(row).toHaveTextContent(
      formatDate(new Date(reviewedAt).toISOString()),
    );
    expect(row).toHaveTextContent('Security team');
    expect(row).toHaveTextContent('Access changed in the review');
    expect(
      within(row).getByRole('link', { name: 'backup-admins' }),
    ).toHaveAttribute('href', '/catalog/default/group/backup-admins');
    expect(within(row).getByRole('link', { name: 'user:bob' })).toHaveAttribute(
      'href',
      '/catalog/default/user/bob',
    );
    expect(within(row).getByRole('link', { name: /^record/ })).toHaveAttribute(
      'href',
      'https://tickets.example.com/SEC-9',
    );
    expect(row).toHaveTextContent('user:default/guest (manual)');
    expect(screen.getByTestId('evidence-chain')).toHaveTextContent(
      '0 restore tests, 0 backup runs, 1 access reviews and 0 follow-ups verified',
    );
    expect(api.accessReviews).toEqual([
      expect.objectContaining({
        reviewedAt: new Date(reviewedAt).toISOString(),
        reviewer: 'Security team',
        outcome: 'changed',
        admins: ['group:default/backup-admins', 'user:default/bob'],
        evidenceUrl: 'https://tickets.example.com/SEC-9',
        notes: 'Removed alice, who left the team',
        source: 'manual',
      }),
    ]);
  });
});

describe('EntityBackupContent when the backend refuses', () => {
  it('shows the reason in words and keeps the dialog open', async () => {
    const api = new InMemoryBackupApi(entity);
    api.recordRestoreTest = async () => {
      throw new Error('Not allowed: backup.restore-test.create');
    };
    await renderContent(api);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Record restore test' }),
    );
    type('restore-test-startedAt', localHoursAgo(3));
    type('restore-test-completedAt', localHoursAgo(2));
    await choose('restore-test-result', 'Failed');
    type('restore-test-executor', 'Alice');
    type('restore-test-scope', 'payments-db');
    fireEvent.click(screen.getByRole('button', { name: 'Record' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not record the restore test: Not allowed: backup.restore-test.create',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it("shows the backend's reason for refusing an access review and keeps the dialog open", async () => {
    const api = new InMemoryBackupApi(entity);
    api.recordAccessReview = async () => {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message: 'admins must NOT have more than 50 items',
            },
            request: { method: 'POST', url: '/access-reviews' },
            response: { statusCode: 400 },
          }),
          {
            status: 400,
            statusText: 'Bad Request',
            headers: { 'Content-Type': 'application/json' },
          },
        ),
      );
    };
    await renderContent(api);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Record access review' }),
    );
    type('access-review-reviewedAt', localHoursAgo(1));
    type('access-review-reviewer', 'Security team');
    await choose('access-review-outcome', 'Access confirmed as it is');
    fireEvent.click(screen.getByRole('button', { name: 'Record' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not record the access review: admins must NOT have more than 50 items',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });
});
