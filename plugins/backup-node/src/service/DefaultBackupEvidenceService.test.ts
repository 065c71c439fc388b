import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// the default service is tested against the real backend plugin it calls
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import backupPlugin from '@backup-assurance/plugin-backup-backend';
import { BackupEvidenceService } from './BackupEvidenceService';
import { backupEvidenceServiceRef } from './backupEvidenceServiceRef';

jest.setTimeout(60_000);

const ENTITY = 'resource:default/payments-db';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'payments-db',
    annotations: {
      'backup-assurance.io/method': 'pitr',
      'backup-assurance.io/data-classification': 'internal',
      'backup-assurance.io/owner': 'group:default/payments',
      'backup-assurance.io/frequency': 'P1D',
      'backup-assurance.io/retention': 'P35D',
      'backup-assurance.io/encryption': 'customer-managed',
    },
  },
  spec: { type: 'database', owner: 'payments' },
};

const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 3600_000).toISOString();

const restoreTest = (externalId: string) => ({
  startedAt: hoursAgo(3),
  completedAt: hoursAgo(2),
  result: 'succeeded' as const,
  scope: 'payments-db restore into staging',
  validation: [{ type: 'integrity' as const, outcome: 'passed' as const }],
  executor: 'restore drill',
  source: 'ci',
  externalId,
});

/** Another plugin of the backend, holding the service as any module would. */
async function startWithEvidenceService(): Promise<BackupEvidenceService> {
  let service: BackupEvidenceService | undefined;
  const consumer = createBackendPlugin({
    pluginId: 'evidence-consumer',
    register(env) {
      env.registerInit({
        deps: { evidence: backupEvidenceServiceRef },
        async init({ evidence }) {
          service = evidence;
        },
      });
    },
  });
  await startTestBackend({
    features: [
      backupPlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      consumer,
    ],
  });
  return service!;
}

describe('DefaultBackupEvidenceService', () => {
  let evidence: BackupEvidenceService;

  beforeAll(async () => {
    evidence = await startWithEvidenceService();
  });

  it('appends a batch in order, once per external id', async () => {
    const first = await evidence.recordRestoreTests(ENTITY, [
      restoreTest('drill-1'),
      restoreTest('drill-2'),
    ]);
    expect(first.map(r => [r.created, r.record.externalId])).toEqual([
      [true, 'drill-1'],
      [true, 'drill-2'],
    ]);
    expect(first[0].record).toMatchObject({
      entityRef: ENTITY,
      recordedBy: 'service:plugin:evidence-consumer',
      sequence: 1,
    });

    const again = await evidence.recordRestoreTest(
      ENTITY,
      restoreTest('drill-2'),
    );
    expect(again).toEqual({ created: false, record: first[1].record });
  });

  it('appends backup runs and access reviews', async () => {
    const run = await evidence.recordBackupRun(
      { kind: 'resource', namespace: 'default', name: 'payments-db' },
      { runAt: hoursAgo(1), outcome: 'succeeded', externalId: 'job-1' },
    );
    expect(run.created).toBe(true);
    const [review] = await evidence.recordAccessReviews(ENTITY, [
      {
        reviewedAt: hoursAgo(5),
        reviewer: 'Sam Security',
        outcome: 'confirmed',
        admins: ['group:default/payments'],
        externalId: 'review-1',
      },
    ]);
    expect(review.record.reviewer).toBe('Sam Security');
  });

  it('reads the evaluation with the stored evidence', async () => {
    const evaluation = await evidence.getEvaluation(ENTITY);
    expect(evaluation).toMatchObject({
      entityRef: ENTITY,
      status: 'compliant',
      lastRestoreTestSource: 'record',
    });
  });

  it('throws a ResponseError naming what the backend refused', async () => {
    const unknown = evidence.recordBackupRun('resource:default/nowhere', {
      runAt: hoursAgo(1),
      outcome: 'succeeded',
      externalId: 'job-2',
    });
    await expect(unknown).rejects.toBeInstanceOf(ResponseError);
    await expect(unknown).rejects.toMatchObject({
      statusCode: 404,
      cause: { name: 'NotFoundError' },
    });

    await expect(
      evidence.recordRestoreTest(ENTITY, {
        ...restoreTest('drill-3'),
        completedAt: hoursAgo(4),
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('sends a batch larger than the route takes in several requests', async () => {
    const runs = Array.from({ length: 1001 }, (_, i) => ({
      runAt: hoursAgo(2),
      outcome: 'succeeded' as const,
      externalId: `bulk-${i}`,
    }));
    const results = await evidence.recordBackupRuns(ENTITY, runs);
    expect(results.map(r => r.record.externalId)).toEqual(
      runs.map(r => r.externalId),
    );
    expect(results.every(r => r.created)).toBe(true);
  });

  it('sends nothing for an empty batch', async () => {
    await expect(evidence.recordBackupRuns(ENTITY, [])).resolves.toEqual([]);
  });
});
