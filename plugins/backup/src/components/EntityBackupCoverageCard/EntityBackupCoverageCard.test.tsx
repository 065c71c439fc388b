import { Entity } from '@backstage/catalog-model';
import { screen, within } from '@testing-library/react';
import { orgBackupApi } from '../../__testUtils__/backupOrg';
import { renderWithBackup } from '../../__testUtils__/renderWithBackup';
import { EntityBackupCoverageCard } from './EntityBackupCoverageCard';

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

const renderCard = (entity: Entity, api = orgBackupApi()) =>
  renderWithBackup(<EntityBackupCoverageCard />, { entity, api });

const tile = (id: string) => screen.getByTestId(`backup-tile-${id}`);

describe('EntityBackupCoverageCard', () => {
  it("shows the group's figures and links to the dashboard filtered to it", async () => {
    const api = orgBackupApi();
    const getSummary = jest.spyOn(api, 'getSummary');
    await renderCard(group('payments'), api);

    expect(
      await screen.findByText(
        '4 entities owned by payments, against backup policy 2026.2',
      ),
    ).toBeInTheDocument();
    expect(getSummary).toHaveBeenCalledWith({
      owner: 'group:default/payments',
    });
    expect(tile('valid-annotations')).toHaveTextContent('100%');
    expect(tile('valid-annotations')).toHaveTextContent(
      '4 of 4 in-scope entities',
    );
    expect(tile('restore-test-in-policy')).toHaveTextContent('50%');
    expect(tile('restore-test-in-policy')).toHaveTextContent('2 of 4');
    expect(tile('pii-encrypted')).toHaveTextContent('50%');
    expect(tile('pii-encrypted')).toHaveTextContent('1 of 2');
    expect(tile('pii-access-controlled')).toHaveTextContent('100%');
    expect(tile('pii-access-controlled')).toHaveTextContent('2 of 2');
    expect(tile('overdue')).toHaveTextContent('1');
    expect(tile('pii-without-encryption')).toHaveTextContent('1');
    expect(tile('exemptions-expiring')).toHaveTextContent('1');

    const counts = within(screen.getByTestId('backup-status-counts'));
    const countOf = (status: string) =>
      screen
        .getByTestId('backup-status-counts')
        .querySelector(`[data-status="${status}"]`);
    expect(counts.getAllByRole('listitem')).toHaveLength(4);
    expect(countOf('compliant')).toHaveTextContent('Compliant1');
    expect(countOf('overdue')).toHaveTextContent('Restore test overdue1');
    expect(countOf('non-compliant')).toHaveTextContent('Non-compliant1');
    expect(countOf('exempt')).toHaveTextContent('Exempt1');

    expect(
      screen.getByRole('link', { name: /Open in the backup dashboard/ }),
    ).toHaveAttribute('href', '/backup?owner=group%3Adefault%2Fpayments');
  });

  it('says so when the group owns nothing to back up', async () => {
    await renderCard(group('marketing'));
    expect(
      await screen.findByText(/owns no components or resources/),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('backup-tile-overdue')).not.toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    const api = orgBackupApi();
    api.getSummary = async () => {
      throw new Error('backup backend unreachable');
    };
    await renderCard(group('payments'), api);
    expect(
      (await screen.findAllByText(/backup backend unreachable/)).length,
    ).toBeGreaterThan(0);
  });
});
