import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { InMemoryBackupApi } from '../../__testUtils__/InMemoryBackupApi';
import {
  renderWithBackup,
  untestedPiiService,
} from '../../__testUtils__/renderWithBackup';
import { EntityBackupContent } from './EntityBackupContent';

// In a file of its own: permission decisions are cached per test file.
describe('EntityBackupContent without the create permission', () => {
  it('hides the record buttons but still shows the history', async () => {
    await renderWithBackup(<EntityBackupContent />, {
      entity: untestedPiiService,
      api: new InMemoryBackupApi(untestedPiiService),
      permission: AuthorizeResult.DENY,
    });
    await screen.findByTestId('evidence-chain');
    expect(screen.getByText('Restore tests (0)')).toBeInTheDocument();
    expect(screen.getByText('Access reviews (0)')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Record restore test' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Record access review' }),
    ).not.toBeInTheDocument();
  });
});
