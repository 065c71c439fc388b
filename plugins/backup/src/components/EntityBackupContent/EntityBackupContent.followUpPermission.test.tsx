import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { backupFollowUpCreatePermission } from '@backup-assurance/plugin-backup-common';
import { screen, within } from '@testing-library/react';
import { InMemoryBackupApi } from '../../__testUtils__/InMemoryBackupApi';
import {
  renderWithBackup,
  untestedPiiService,
} from '../../__testUtils__/renderWithBackup';
import { EntityBackupContent } from './EntityBackupContent';

const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 3600_000).toISOString();

// Dialogs and tables render slowly on a loaded CI machine.
jest.setTimeout(30_000);

// In a file of its own: permission decisions are cached per test file.
describe('EntityBackupContent without the follow-up permission', () => {
  it('shows how failures were followed up but offers no action on them', async () => {
    const api = new InMemoryBackupApi(untestedPiiService);
    const open = api.reportBackupRun({
      runAt: hoursAgo(30),
      outcome: 'failed',
      message: 'Vault disk full',
    });
    const tracked = api.reportBackupRun({
      runAt: hoursAgo(54),
      outcome: 'failed',
      message: 'Snapshot quota exceeded',
    });
    await api.recordFollowUp(
      { kind: 'component', namespace: 'default', name: 'payments-api' },
      {
        failure: { kind: 'backup-run', id: tracked.id },
        action: 'acknowledged',
        ticketUrl: 'https://tickets.example.com/OPS-40',
        at: hoursAgo(50),
      },
    );
    await renderWithBackup(<EntityBackupContent />, {
      entity: untestedPiiService,
      api,
      permission: request =>
        request.permission.name === backupFollowUpCreatePermission.name
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    await screen.findByText('Recent backup runs (2)');
    // the other records may still be made
    expect(
      await screen.findByRole('button', { name: 'Record restore test' }),
    ).toBeInTheDocument();

    const row = (text: string) =>
      screen.getByRole('cell', { name: text }).closest('tr')!;
    expect(
      within(row('Vault disk full')).getByTestId('follow-up'),
    ).toHaveTextContent('Not acknowledged');
    expect(
      within(row('Snapshot quota exceeded')).getByTestId('follow-up'),
    ).toHaveAttribute('data-state', 'acknowledged');
    expect(
      screen.queryByRole('button', { name: 'Acknowledge' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Resolve' }),
    ).not.toBeInTheDocument();
    expect(open.id).not.toBe(tracked.id);
  });
});
