import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import {
  ENTITY_PATH,
  FIXTURE_ENTITY,
  hoursAgo,
  startBackupBackend,
  user,
  waitForCatalog,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const run = (outcome: 'succeeded' | 'failed', runAt = hoursAgo(3)) => ({
  runAt,
  outcome,
  source: 'velero',
});

const acknowledge = (id: string, overrides: object = {}) => ({
  failure: { kind: 'backup-run', id },
  action: 'acknowledged',
  ticketUrl: 'https://tickets.example.com/OPS-42',
  at: hoursAgo(0.5),
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'follow-up routes on %p',
  databaseId => {
    let server: any;
    const auditor = recordingAuditor();

    beforeAll(async () => {
      ({ server } = await startBackupBackend({
        databases,
        databaseId,
        features: [auditor.factory],
        config: { backup: { policy: { failureAcknowledgeWithin: 'PT1H' } } },
      }));
      await waitForCatalog(server);
    });

    const post = (path: string, body: unknown) =>
      request(server)
        .post(`${ENTITY_PATH}${path}`)
        .set('Authorization', user)
        .send(body as object);
    const get = (path: string) =>
      request(server).get(`${ENTITY_PATH}${path}`).set('Authorization', user);
    const codes = async () =>
      (await get('/status')).body.findings.map((f: any) => f.code);

    it('follows a failed run to resolution: finding, ticket, resolution, chain', async () => {
      const failed = await post('/backup-runs', run('failed'));
      expect(await codes()).toContain('failure-unacknowledged');

      const ack = await post(
        '/follow-ups',
        acknowledge(failed.body.id, { externalId: 'OPS-42' }),
      );
      expect(ack.status).toBe(201);
      expect(ack.body).toMatchObject({
        entityRef: FIXTURE_ENTITY,
        failure: { kind: 'backup-run', id: failed.body.id },
        recordedBy: 'user:default/alice',
        sequence: 1,
      });
      expect(auditor.events).toContainEqual({
        eventId: 'follow-up-create',
        outcome: 'success',
        meta: {
          entityRef: FIXTURE_ENTITY,
          recordId: ack.body.id,
          created: true,
        },
      });
      const repeat = await post(
        '/follow-ups',
        acknowledge(failed.body.id, { externalId: 'OPS-42' }),
      );
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual(ack.body);
      expect(await codes()).not.toContain('failure-unacknowledged');

      const resolved = await post('/follow-ups/batch', {
        items: [
          {
            failure: { kind: 'backup-run', id: failed.body.id },
            action: 'resolved',
            resolution: 'Vault disk full; expanded and re-ran the job',
            at: hoursAgo(0.25),
          },
        ],
      });
      expect(resolved.status).toBe(201);
      expect(resolved.body.items[0].record.previousHash).toBe(ack.body.hash);

      const list = await get('/follow-ups');
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ totalCount: 2, limit: 20, offset: 0 });
      expect(list.body.items[0]).toEqual(resolved.body.items[0].record);
      const verify = await get('/evidence/verify');
      expect(verify.body).toMatchObject({
        intact: true,
        followUps: { intact: true, count: 2 },
      });
    });

    it('rejects follow-ups of a succeeded or unknown run, and without a ticket', async () => {
      const ok = await post('/backup-runs', run('succeeded', hoursAgo(0.1)));
      const succeeded = await post('/follow-ups', acknowledge(ok.body.id));
      expect(succeeded.status).toBe(400);
      expect(succeeded.body.error.message).toBe(
        `failure: no failed backup-run ${ok.body.id} of ${FIXTURE_ENTITY}`,
      );
      const unknown = await post('/follow-ups', acknowledge('nope'));
      expect(unknown.status).toBe(400);
      expect(auditor.events).toContainEqual(
        expect.objectContaining({
          eventId: 'follow-up-create',
          outcome: 'fail',
        }),
      );
      const failed = await post('/backup-runs', run('failed', hoursAgo(0.1)));
      const noTicket = await post(
        '/follow-ups',
        acknowledge(failed.body.id, { ticketUrl: undefined }),
      );
      expect(noTicket.status).toBe(400);
      expect(noTicket.body.error.message).toMatch(/ticketUrl is required/);
      const noNote = await post(
        '/follow-ups',
        acknowledge(failed.body.id, { action: 'resolved' }),
      );
      expect(noNote.status).toBe(400);
      expect(noNote.body.error.message).toMatch(/resolution is required/);
    });
  },
);
