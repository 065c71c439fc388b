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

const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 3600_000).toISOString();

const type = (id: string, value: string) =>
  fireEvent.change(document.getElementById(id)!, { target: { value } });

/** The table row holding a cell with this exact text. */
const rowWith = (text: string) =>
  screen.getByRole('cell', { name: text }).closest('tr')!;

const followUpIn = (text: string) =>
  within(rowWith(text)).getByTestId('follow-up');

/** A demo of a failed nightly job 30 hours ago, after a good one. */
function apiWithFailedRun() {
  const api = new InMemoryBackupApi(entity);
  api.reportBackupRun({
    runAt: hoursAgo(54),
    outcome: 'succeeded',
    message: 'Nightly job done',
    source: 'velero',
  });
  const failed = api.reportBackupRun({
    runAt: hoursAgo(30),
    outcome: 'failed',
    message: 'Vault disk full',
    source: 'velero',
  });
  return { api, failed };
}

async function record() {
  fireEvent.click(screen.getByRole('button', { name: 'Record' }));
  await waitFor(() =>
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
  );
}

describe('EntityBackupContent follow-ups', () => {
  it('acknowledges a failed run with a ticket, then resolves it with a note', async () => {
    const { api, failed } = apiWithFailedRun();
    await renderWithBackup(
      <>
        <EntityBackupCard />
        <EntityBackupContent />
      </>,
      { entity, api },
    );
    expect(await screen.findByTestId('backup-findings')).toHaveTextContent(
      /The backup run that failed on \d{4}-\d\d-\d\d was not acknowledged within 1 day; acknowledge it with a ticket\./,
    );
    await screen.findByText('Recent backup runs (2)');
    expect(
      within(rowWith('Nightly job done')).queryByTestId('follow-up'),
    ).not.toBeInTheDocument();
    expect(followUpIn('Vault disk full')).toHaveAttribute(
      'data-state',
      'unacknowledged',
    );
    expect(followUpIn('Vault disk full')).toHaveAttribute(
      'data-overdue',
      'true',
    );
    expect(followUpIn('Vault disk full')).toHaveTextContent(
      `Not acknowledgedOverdue since ${formatDate(hoursAgo(6))}`,
    );

    fireEvent.click(
      within(rowWith('Vault disk full')).getByRole('button', {
        name: 'Acknowledge',
      }),
    );
    expect(screen.getByRole('dialog')).toHaveTextContent(
      `The backup run that failed on ${formatDate(failed.runAt)}`,
    );
    type('follow-up-ticketUrl', ' https://tickets.example.com/OPS-42 ');
    await record();

    await waitFor(() =>
      expect(followUpIn('Vault disk full')).toHaveAttribute(
        'data-state',
        'acknowledged',
      ),
    );
    expect(
      within(followUpIn('Vault disk full')).getByRole('link', {
        name: /^tickets.example.com\/OPS-42/,
      }),
    ).toHaveAttribute('href', 'https://tickets.example.com/OPS-42');
    expect(followUpIn('Vault disk full')).toHaveTextContent(
      'Acknowledged — tickets.example.com/OPS-42',
    );
    expect(followUpIn('Vault disk full')).toHaveTextContent(
      `by user:default/guest on ${formatDate(new Date().toISOString())}`,
    );
    expect((await api.getStatus()).findings.map(f => f.code)).not.toContain(
      'failure-unacknowledged',
    );

    fireEvent.click(
      within(rowWith('Vault disk full')).getByRole('button', {
        name: 'Resolve',
      }),
    );
    type('follow-up-resolution', 'Vault disk expanded; job re-run');
    await record();

    await waitFor(() =>
      expect(followUpIn('Vault disk full')).toHaveAttribute(
        'data-state',
        'resolved',
      ),
    );
    const resolved = followUpIn('Vault disk full');
    expect(resolved).toHaveTextContent(
      'Resolved — Vault disk expanded; job re-run',
    );
    expect(resolved).toHaveTextContent('by user:default/guest on');
    expect(
      within(resolved).getByRole('link', {
        name: /^tickets.example.com\/OPS-42/,
      }),
    ).toHaveAttribute('href', 'https://tickets.example.com/OPS-42');
    expect(
      within(rowWith('Vault disk full')).queryByRole('button'),
    ).not.toBeInTheDocument();
    expect(screen.getByTestId('evidence-chain')).toHaveTextContent(
      '0 restore tests, 2 backup runs, 0 access reviews and 2 follow-ups verified',
    );
    expect(api.followUps).toEqual([
      expect.objectContaining({
        failure: { kind: 'backup-run', id: failed.id },
        action: 'resolved',
        resolution: 'Vault disk expanded; job re-run',
        source: 'manual',
      }),
      expect.objectContaining({
        failure: { kind: 'backup-run', id: failed.id },
        action: 'acknowledged',
        ticketUrl: 'https://tickets.example.com/OPS-42',
      }),
    ]);
  });

  it('explains what is missing before anything is sent', async () => {
    const { api } = apiWithFailedRun();
    const acknowledged = api.reportBackupRun({
      runAt: hoursAgo(78),
      outcome: 'failed',
      message: 'Snapshot quota exceeded',
      source: 'velero',
    });
    await api.recordFollowUp(
      { kind: 'component', namespace: 'default', name: 'payments-api' },
      {
        failure: { kind: 'backup-run', id: acknowledged.id },
        action: 'acknowledged',
        ticketUrl: 'https://tickets.example.com/OPS-40',
        at: hoursAgo(70),
      },
    );
    await renderWithBackup(<EntityBackupContent />, { entity, api });
    await screen.findByText('Recent backup runs (3)');

    fireEvent.click(
      within(rowWith('Vault disk full')).getByRole('button', {
        name: 'Acknowledge',
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Record' }));
    expect(
      await screen.findByText(
        'Enter the link to the ticket that tracks this failure.',
      ),
    ).toBeInTheDocument();
    type('follow-up-ticketUrl', 'OPS-42');
    expect(
      await screen.findByText('Use an http(s) link to the ticket.'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    fireEvent.click(
      within(rowWith('Snapshot quota exceeded')).getByRole('button', {
        name: 'Resolve',
      }),
    );
    expect(document.getElementById('follow-up-resolution')).toHaveValue('');
    fireEvent.click(screen.getByRole('button', { name: 'Record' }));
    expect(
      await screen.findByText('Say how the failure was resolved.'),
    ).toBeInTheDocument();
    expect(api.followUps).toHaveLength(1);
  });

  it('verifies the follow-up chain too', async () => {
    const { api } = apiWithFailedRun();
    api.brokenChain = 'followUps';
    await renderWithBackup(<EntityBackupContent />, { entity, api });
    expect(await screen.findByTestId('evidence-chain')).toHaveTextContent(
      'Evidence chain broken at record 1: its content does not match its hash. A stored follow-up record was changed or removed outside the portal.',
    );
  });

  it("shows the backend's reason and keeps the dialog open", async () => {
    const { api } = apiWithFailedRun();
    api.recordFollowUp = async () => {
      throw new Error('Not allowed: backup.follow-up.create');
    };
    await renderWithBackup(<EntityBackupContent />, { entity, api });
    await screen.findByText('Recent backup runs (2)');
    fireEvent.click(
      within(rowWith('Vault disk full')).getByRole('button', {
        name: 'Acknowledge',
      }),
    );
    type('follow-up-ticketUrl', 'https://tickets.example.com/OPS-42');
    fireEvent.click(screen.getByRole('button', { name: 'Record' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not record the acknowledgement: Not allowed: backup.follow-up.create',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('follows up a partly failed restore test, and is calm about a failure still within the window', async () => {
    const api = new InMemoryBackupApi(entity);
    await api.recordRestoreTest(
      { kind: 'component', namespace: 'default', name: 'payments-api' },
      {
        startedAt: hoursAgo(3),
        completedAt: hoursAgo(2),
        result: 'partial',
        scope: 'payments-db into staging',
        validation: [],
        executor: 'Alice',
      },
    );
    await renderWithBackup(<EntityBackupContent />, { entity, api });
    await screen.findByText('Restore tests (1)');
    const followUp = followUpIn('payments-db into staging');
    expect(followUp).toHaveAttribute('data-state', 'unacknowledged');
    expect(followUp).toHaveAttribute('data-overdue', 'false');
    expect(followUp).toHaveTextContent(
      `Not acknowledgedAcknowledge by ${formatDate(hoursAgo(-22))}`,
    );
    fireEvent.click(
      within(followUp).getByRole('button', { name: 'Acknowledge' }),
    );
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'The restore test that failed on',
    );
    type('follow-up-ticketUrl', 'https://tickets.example.com/OPS-7');
    await record();
    await waitFor(() =>
      expect(followUpIn('payments-db into staging')).toHaveAttribute(
        'data-state',
        'acknowledged',
      ),
    );
    expect(api.followUps[0].failure).toEqual({
      kind: 'restore-test',
      id: api.restoreTests[0].id,
    });
  });
});
