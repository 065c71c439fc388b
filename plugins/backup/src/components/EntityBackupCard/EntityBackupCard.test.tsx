import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { InMemoryBackupApi } from '../../__testUtils__/InMemoryBackupApi';
import { BackupApi, backupApiRef } from '../../api';
import { EntityBackupCard } from './EntityBackupCard';

const NOW = new Date('2026-11-23T12:00:00Z');

const complete = {
  'backup-assurance.io/method': 'pitr, snapshot',
  'backup-assurance.io/data-classification': 'pii',
  'backup-assurance.io/owner': 'group:default/payments',
  'backup-assurance.io/frequency': 'P1D',
  'backup-assurance.io/retention': 'P35D',
  'backup-assurance.io/rto': 'PT4H',
  'backup-assurance.io/encryption': 'customer-managed',
  'backup-assurance.io/locations': 'eu-west-1, eu-central-1',
  'backup-assurance.io/last-restore-test': '2026-10-01',
  'backup-assurance.io/restore-test-evidence': 'https://t.example.com/OPS-1',
};

function component(
  annotations: Record<string, string>,
  lifecycle = 'production',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default', annotations },
    spec: { type: 'service', lifecycle, owner: 'payments' },
  };
}

/** Evaluates with the real shared rules, as the backend would. */
const backupApiFor = (entity: Entity): BackupApi =>
  new InMemoryBackupApi(entity, () => NOW);

async function renderCard(
  entity: Entity,
  api: BackupApi = backupApiFor(entity),
) {
  await renderInTestApp(
    <TestApiProvider apis={[[backupApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityBackupCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const statusOf = async () =>
  (await screen.findByTestId('backup-status')).getAttribute('data-status');

describe('EntityBackupCard', () => {
  it('shows a compliant entity: status, values in words and the next due date', async () => {
    await renderCard(component(complete));
    expect(await statusOf()).toBe('compliant');
    expect(screen.getByText('Compliant')).toBeInTheDocument();
    expect(screen.getByTestId('backup-next-due')).toHaveTextContent(
      'Next restore test due: 30 Dec 2026',
    );
    expect(
      screen.getByText('Point-in-time recovery, Volume or disk snapshot'),
    ).toBeInTheDocument();
    expect(screen.getByText('Personal data (PII)')).toBeInTheDocument();
    expect(screen.getByText('Every 1 day')).toBeInTheDocument();
    expect(screen.getByText('35 days')).toBeInTheDocument();
    expect(screen.getByText('4 hours')).toBeInTheDocument();
    expect(
      screen.getByText('Encrypted, customer-managed keys'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('backup-last-test')).toHaveTextContent(
      'Last restore test: 1 Oct 2026 (from the annotation)',
    );
    expect(screen.getByText('https://t.example.com/OPS-1')).toBeInTheDocument();
    expect(screen.getByTestId('backup-findings-empty')).toBeInTheDocument();
  });

  it.each([
    [
      { 'backup-assurance.io/last-restore-test': '2026-09-08' },
      'due-soon',
      'The next restore test is due on 2026-12-07.',
    ],
    [
      { 'backup-assurance.io/last-restore-test': '2026-01-01' },
      'overdue',
      'it was due on 2026-04-01',
    ],
    [
      { 'backup-assurance.io/encryption': 'none' },
      'non-compliant',
      'Backups of pii data must be encrypted like production',
    ],
    [
      { 'backup-assurance.io/owner': '' },
      'invalid',
      'backup-assurance.io/owner is ""',
    ],
    [
      {
        'backup-assurance.io/exemption': 'Being retired',
        'backup-assurance.io/exemption-expires': '2027-01-31',
        'backup-assurance.io/encryption': 'none',
      },
      'exempt',
      'Exempt until 2027-01-31: Being retired',
    ],
  ])(
    'shows %j as %s with the finding to act on',
    async (changes, status, message) => {
      await renderCard(component({ ...complete, ...changes }));
      expect(await statusOf()).toBe(status);
      expect(screen.getByTestId('backup-findings')).toHaveTextContent(message);
    },
  );

  it('lists each missing required annotation for an incomplete entity', async () => {
    await renderCard(component({ 'backup-assurance.io/method': 'snapshot' }));
    expect(await statusOf()).toBe('incomplete');
    const findings = screen.getByTestId('backup-findings');
    for (const name of [
      'data-classification',
      'owner',
      'frequency',
      'retention',
    ]) {
      expect(findings).toHaveTextContent(
        `Required annotation backup-assurance.io/${name} is missing.`,
      );
    }
    expect(screen.getByTestId('backup-next-due')).toHaveTextContent(
      'now (no restore test recorded)',
    );
  });

  it('offers a copyable YAML snippet to an entity without annotations', async () => {
    await renderCard(component({}));
    expect(await statusOf()).toBe('incomplete');
    expect(
      screen.getByText(/does not declare how it is backed up/),
    ).toHaveTextContent('Backup policy unversioned requires it.');
    expect(
      screen.getByText(/backup-assurance\.io\/data-classification/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /copy/i })).toBeInTheDocument();
  });

  it('says when the policy does not cover the entity', async () => {
    await renderCard(component({}, 'experimental'));
    expect(await statusOf()).toBe('out-of-scope');
    expect(screen.getByText('Out of scope')).toBeInTheDocument();
    expect(screen.queryByTestId('backup-next-due')).not.toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    const failing = new InMemoryBackupApi(component(complete));
    failing.getStatus = async () => {
      throw new Error('backend unreachable');
    };
    await renderCard(component(complete), failing);
    expect(
      (await screen.findAllByText(/backend unreachable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId('backup-status')).not.toBeInTheDocument();
  });
});
