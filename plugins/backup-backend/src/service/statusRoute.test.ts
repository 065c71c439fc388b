import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  hoursAgo,
  startBackupBackend,
  user,
  waitForCatalog,
  hideSecretEntitiesFromUsers,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const service = mockCredentials.service.header();

describe.each(databases.eachSupportedId())(
  'GET /entities/:kind/:namespace/:name/status on %p',
  databaseId => {
    let server: any;

    beforeAll(async () => {
      ({ server } = await startBackupBackend({
        databases,
        databaseId,
        fixture: 'organisation.yaml',
        features: [hideSecretEntitiesFromUsers],
      }));
      await waitForCatalog(server, 'resource/default/accounts-db');
      await waitForCatalog(server, 'component/default/pay-api');
    });

    const status = (path: string, auth = user) =>
      request(server)
        .get(`/api/backup/entities/${path}/status`)
        .set('Authorization', auth);

    it('answers 404 for an entity the caller cannot read, as for none', async () => {
      const hidden = await status('resource/default/accounts-db');
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.name).toBe('NotFoundError');
      expect((await status('component/default/nothing-here')).status).toBe(404);
      expect(
        (await status('resource/default/accounts-db', service)).status,
      ).toBe(200);
    });

    it('evaluates the evidence of the entity under any casing of its ref', async () => {
      const completedAt = hoursAgo(2);
      const recorded = await request(server)
        .post('/api/backup/entities/component/default/pay-api/restore-tests')
        .set('Authorization', user)
        .send({
          startedAt: hoursAgo(3),
          completedAt,
          result: 'succeeded',
          scope: 'full restore',
          validation: [{ type: 'integrity', outcome: 'passed' }],
          executor: 'Alice',
        });
      expect(recorded.status).toBe(201);
      for (const path of [
        'component/default/pay-api',
        'Component/default/Pay-API',
      ]) {
        const res = await status(path);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          entityRef: 'component:default/pay-api',
          lastRestoreTest: new Date(completedAt).toISOString(),
          lastRestoreTestSource: 'record',
        });
      }
    });
  },
);
