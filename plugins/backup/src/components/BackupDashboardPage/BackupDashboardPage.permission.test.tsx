import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor } from '@testing-library/react';
import { orgBackupApi } from '../../__testUtils__/backupOrg';
import { renderWithBackup } from '../../__testUtils__/renderWithBackup';
import { BackupDashboardPage } from './BackupDashboardPage';

// In a file of its own: permission decisions are cached per test file.
describe('BackupDashboardPage without the export permission', () => {
  it('offers no download but still shows the figures', async () => {
    await renderWithBackup(<BackupDashboardPage />, {
      api: orgBackupApi(),
      route: '/backup',
      permission: AuthorizeResult.DENY,
    });
    const csv = await screen.findByTestId('backup-export-csv');
    await waitFor(() => expect(csv).toBeDisabled());
    expect(screen.getByTestId('backup-export-json')).toBeDisabled();
    expect(screen.getByTestId('backup-export')).toHaveTextContent(
      'You may not download the evidence pack: it needs the backup.evidence.export permission.',
    );
    expect(await screen.findByTestId('backup-tile-overdue')).toHaveTextContent(
      '2',
    );
  });
});
