import {
  mockCredentials,
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DEFAULT_BACKUP_POLICY,
  evaluateBackupStatus,
} from '@backup-assurance/plugin-backup-common';
import { DatabaseEvidenceStore } from '../database/DatabaseEvidenceStore';
import {
  BackupOverviewService,
  EVALUATION_REUSE_MS,
} from './BackupOverviewService';
import { EntityReader } from './entityAccess';
import {
  scheduleEvaluationWarmUp,
  WARM_EVALUATIONS_TASK_ID,
} from './warmEvaluations';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    etag: `etag-${name}`,
    annotations: { 'backup-assurance.io/method': 'snapshot' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

async function overviewOf(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseEvidenceStore.create({
    database: mockServices.database({ knex }),
  });
  let now = new Date('2026-11-20T10:00:00Z');
  const evaluator = jest.fn(evaluateBackupStatus);
  const overview = BackupOverviewService.create({
    entities: EntityReader.create({
      catalog: catalogServiceMock({
        entities: [component('a'), component('b'), component('c')],
      }),
      auth: mockServices.auth(),
    }),
    store,
    policy: DEFAULT_BACKUP_POLICY,
    clock: () => now,
    evaluator,
  });
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  return { overview, evaluator, advance };
}

describe.each(databases.eachSupportedId())(
  'evaluations kept warm on %p',
  databaseId => {
    const userCredentials = mockCredentials.user('user:default/alice');

    it('evaluates every entity, so that the next call evaluates none', async () => {
      const { overview, evaluator, advance } = await overviewOf(databaseId);
      expect(await overview.warm()).toBe(3);
      expect(evaluator).toHaveBeenCalledTimes(3);
      advance(EVALUATION_REUSE_MS / 2 + 1_000);
      const rows = await overview.rows(userCredentials);
      expect(rows.map(row => row.name)).toEqual(['a', 'b', 'c']);
      expect(evaluator).toHaveBeenCalledTimes(3);
    });

    it('re-evaluates on every run, and callers after the reuse window', async () => {
      const { overview, evaluator, advance } = await overviewOf(databaseId);
      await overview.warm();
      await overview.warm();
      expect(evaluator).toHaveBeenCalledTimes(6);
      advance(EVALUATION_REUSE_MS);
      await overview.rows(userCredentials);
      expect(evaluator).toHaveBeenCalledTimes(9);
    });
  },
);

describe('scheduleEvaluationWarmUp', () => {
  it('warms this process more often than an evaluation expires', async () => {
    const scheduler = mockServices.scheduler.mock();
    const overview = { warm: jest.fn(async () => 3) };
    await scheduleEvaluationWarmUp({
      scheduler,
      logger: mockServices.logger.mock(),
      overview: overview as unknown as BackupOverviewService,
    });
    const [task] = scheduler.scheduleTask.mock.calls[0];
    expect(task).toMatchObject({
      id: WARM_EVALUATIONS_TASK_ID,
      scope: 'local',
      frequency: { milliseconds: EVALUATION_REUSE_MS / 2 },
    });
    await task.fn(new AbortController().signal);
    expect(overview.warm).toHaveBeenCalledTimes(1);
  });
});
