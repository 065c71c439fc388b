import { DEFAULT_BACKUP_POLICY } from '@backup-assurance/plugin-backup-common';
import { screen, waitFor, within } from '@testing-library/react';
import { InMemoryBackupApi } from '../../__testUtils__/InMemoryBackupApi';
import { renderWithBackup } from '../../__testUtils__/renderWithBackup';
import { BackupPolicyPanel } from './BackupPolicyPanel';

async function renderPolicy(policy = DEFAULT_BACKUP_POLICY) {
  await renderWithBackup(<BackupPolicyPanel />, {
    api: new InMemoryBackupApi([], () => new Date(), policy),
  });
  const panel = await screen.findByTestId('backup-policy');
  await waitFor(() => expect(panel).toHaveTextContent(policy.version));
  return {
    row: (label: RegExp) => within(panel).getByText(label).closest('tr')!,
  };
}

describe('BackupPolicyPanel', () => {
  it('shows the exception process: who approves, and for how long at most', async () => {
    const { row } = await renderPolicy({
      ...DEFAULT_BACKUP_POLICY,
      exemptionApprovers: [
        'group:default/security-grc',
        'group:risk/change-board',
      ],
      maxExemption: { months: 18 },
    });
    const approvers = row(/Exemptions approved by/i);
    expect(approvers).toHaveTextContent(
      'security-grc, risk/change-board or one of their members',
    );
    expect(
      within(approvers).getByRole('link', { name: 'security-grc' }),
    ).toHaveAttribute('href', '/catalog/default/group/security-grc');
    expect(row(/Exemptions run at most/i)).toHaveTextContent(
      '18 months ahead; a longer one is not honoured',
    );
  });

  it('says that no exemption is honoured while the policy names no approver', async () => {
    const { row } = await renderPolicy();
    expect(row(/Exemptions approved by/i)).toHaveTextContent(
      'no one named, so no exemption is honoured',
    );
    expect(row(/Exemptions run at most/i)).toHaveTextContent('180 days ahead');
  });
});
