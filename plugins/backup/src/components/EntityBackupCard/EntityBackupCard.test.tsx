import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { cleanup, screen, within } from '@testing-library/react';
import { DEFAULT_BACKUP_POLICY } from '@backup-assurance/plugin-backup-common';
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
  'backup-assurance.io/backup-admins':
    'group:default/backup-admins, user:default/alice',
  'backup-assurance.io/deletion-protection': 'immutable',
  'backup-assurance.io/access-logging': 'tamper-evident',
  'backup-assurance.io/last-access-review': '2026-10-15',
  'backup-assurance.io/access-review-evidence': 'https://t.example.com/SEC-4',
};

const ACCESS_ANNOTATIONS = [
  'backup-admins',
  'deletion-protection',
  'access-logging',
  'last-access-review',
  'access-review-evidence',
].map(name => `backup-assurance.io/${name}`);

/** The annotations without the access controls. */
const withoutAccessControls = (annotations: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(annotations).filter(
      ([key]) => !ACCESS_ANNOTATIONS.includes(key),
    ),
  );

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
  new InMemoryBackupApi(entity, () => NOW, {
    ...DEFAULT_BACKUP_POLICY,
    exemptionApprovers: ['group:default/security-grc'],
  });

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

  it('shows who can delete backups, how deletion and access are guarded, and the access review', async () => {
    await renderCard(component(complete));
    expect(await statusOf()).toBe('compliant');
    const access = screen.getByTestId('backup-access-controls');
    expect(access).toHaveTextContent('Access to backups');
    const admins = screen.getByTestId('backup-admins');
    expect(admins).toHaveTextContent(
      'Who can delete backups: backup-admins, user:alice',
    );
    expect(
      within(admins).getByRole('link', { name: 'backup-admins' }),
    ).toHaveAttribute('href', '/catalog/default/group/backup-admins');
    expect(
      within(admins).getByRole('link', { name: 'user:alice' }),
    ).toHaveAttribute('href', '/catalog/default/user/alice');
    expect(screen.getByTestId('backup-deletion-protection')).toHaveTextContent(
      'Deletion protection: Immutable copies (object or vault lock)',
    );
    expect(screen.getByTestId('backup-access-logging')).toHaveTextContent(
      'Access logging: Access logged, logs protected from tampering',
    );
    const review = screen.getByTestId('backup-last-access-review');
    expect(review).toHaveTextContent(
      'Last access review: 15 Oct 2026 (from the annotation)',
    );
    expect(
      within(review).getByRole('link', { name: /evidence/ }),
    ).toHaveAttribute('href', 'https://t.example.com/SEC-4');
    // 15 Oct 2026 plus the policy's 90 days
    expect(screen.getByTestId('backup-next-access-review')).toHaveTextContent(
      'Next access review due: 13 Jan 2027',
    );
  });

  it('says which access controls a PII entity has not declared', async () => {
    await renderCard(component(withoutAccessControls(complete)));
    // no access review recorded: a violation, which outranks what is undeclared
    expect(await statusOf()).toBe('non-compliant');
    expect(screen.getByTestId('backup-admins')).toHaveTextContent(
      'Who can delete backups: not declared',
    );
    expect(screen.getByTestId('backup-deletion-protection')).toHaveTextContent(
      'Deletion protection: not declared',
    );
    expect(screen.getByTestId('backup-access-logging')).toHaveTextContent(
      'Access logging: not declared',
    );
    expect(screen.getByTestId('backup-last-access-review')).toHaveTextContent(
      'Last access review: none recorded',
    );
    expect(screen.getByTestId('backup-next-access-review')).toHaveTextContent(
      'Next access review due: now (no access review recorded)',
    );
    expect(screen.getByTestId('backup-findings')).toHaveTextContent(
      'declare who can delete backups or disable backup jobs',
    );
  });

  it('shows an access review recorded in the portal, and when it is overdue', async () => {
    const entity = component({
      ...complete,
      'backup-assurance.io/last-access-review': '2026-05-01',
    });
    const api = new InMemoryBackupApi(entity, () => NOW);
    await renderCard(entity, api);
    expect(await statusOf()).toBe('non-compliant');
    expect(screen.getByTestId('backup-next-access-review')).toHaveTextContent(
      'Next access review due: now (was due 30 Jul 2026)',
    );
    cleanup();

    await api.recordAccessReview(getCompoundEntityRef(entity), {
      reviewedAt: '2026-11-20T09:00:00Z',
      reviewer: 'Security team',
      outcome: 'confirmed',
      admins: ['group:default/backup-admins'],
    });
    await renderCard(entity, api);
    expect(await statusOf()).toBe('compliant');
    const review = screen.getByTestId('backup-last-access-review');
    expect(review).toHaveTextContent(
      'Last access review: 20 Nov 2026 (recorded in the portal)',
    );
    // the annotation's evidence belongs to the older review
    expect(within(review).queryByRole('link')).not.toBeInTheDocument();
    expect(screen.getByTestId('backup-next-access-review')).toHaveTextContent(
      'Next access review due: 18 Feb 2027',
    );
  });

  it('leaves access controls out where the policy does not ask for them and none are declared', async () => {
    await renderCard(
      component({
        ...withoutAccessControls(complete),
        'backup-assurance.io/data-classification': 'internal',
      }),
    );
    expect(await statusOf()).toBe('compliant');
    expect(
      screen.queryByTestId('backup-access-controls'),
    ).not.toBeInTheDocument();
  });

  it('shows declared access controls even where the policy does not ask for them', async () => {
    await renderCard(
      component({
        ...withoutAccessControls(complete),
        'backup-assurance.io/data-classification': 'internal',
        'backup-assurance.io/deletion-protection': 'soft-delete',
      }),
    );
    expect(await statusOf()).toBe('compliant');
    expect(screen.getByTestId('backup-deletion-protection')).toHaveTextContent(
      'Deletion protection: Soft delete (recoverable for a period)',
    );
    expect(screen.getByTestId('backup-admins')).toHaveTextContent(
      'not declared',
    );
    expect(
      screen.queryByTestId('backup-next-access-review'),
    ).not.toBeInTheDocument();
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
        'backup-assurance.io/exemption-approved-by':
          'group:default/security-grc',
        'backup-assurance.io/encryption': 'none',
      },
      'exempt',
      'Exempt until 2027-01-31, approved by group:default/security-grc: Being retired',
    ],
    [
      {
        'backup-assurance.io/exemption': 'Being retired',
        'backup-assurance.io/exemption-expires': '2027-01-31',
        'backup-assurance.io/encryption': 'none',
      },
      'non-compliant',
      'The exemption names no approver, so it is not honoured',
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

  it('still shows declared access controls when the policy cannot be read', async () => {
    const api = new InMemoryBackupApi(component(complete), () => NOW);
    api.getPolicy = async () => {
      throw new Error('policy unavailable');
    };
    await renderCard(component(complete), api);
    expect(await statusOf()).toBe('compliant');
    expect(screen.getByTestId('backup-deletion-protection')).toHaveTextContent(
      'Immutable copies (object or vault lock)',
    );
    // the due date needs the policy's interval
    expect(
      screen.queryByTestId('backup-next-access-review'),
    ).not.toBeInTheDocument();
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
