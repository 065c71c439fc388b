import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { InMemoryBackupApi } from '../../__testUtils__/InMemoryBackupApi';
import {
  renderWithBackup,
  untestedPiiService,
} from '../../__testUtils__/renderWithBackup';
import { EntityBackupCard } from '../EntityBackupCard';
import { EntityBackupContent } from './EntityBackupContent';

const entity = untestedPiiService;

const renderContent = (api: InMemoryBackupApi) =>
  renderWithBackup(
    <>
      <EntityBackupCard />
      <EntityBackupContent />
    </>,
    { entity, api },
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
      'Evidence intact: 0 restore tests and 0 backup runs verified',
    );
    expect(
      screen.getByText(/No restore test recorded yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Record restore test' }),
    ).toBeInTheDocument();
  });

  it('reports a broken evidence chain', async () => {
    const api = new InMemoryBackupApi(entity);
    api.chainIntact = false;
    await renderContent(api);
    const chain = await screen.findByTestId('evidence-chain');
    expect(chain).toHaveAttribute('data-intact', 'false');
    expect(chain).toHaveTextContent(
      'Evidence chain broken at record 1: its content does not match its hash',
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
});
