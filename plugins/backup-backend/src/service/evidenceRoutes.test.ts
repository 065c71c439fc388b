import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
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

const restoreTest = (overrides: Record<string, unknown> = {}) => ({
  startedAt: hoursAgo(3),
  completedAt: hoursAgo(2),
  result: 'succeeded',
  scope: 'payments-db point-in-time restore into staging',
  recoveryPointAt: hoursAgo(10),
  validation: [
    { type: 'integrity', outcome: 'passed' },
    { type: 'recoverability', outcome: 'passed' },
    { type: 'application', outcome: 'passed', notes: 'checkout smoke test' },
  ],
  executor: 'Alice',
  evidenceUrl: 'https://tickets.example.com/OPS-77',
  ...overrides,
});

const backupRun = (overrides: Record<string, unknown> = {}) => ({
  runAt: hoursAgo(1),
  outcome: 'succeeded',
  sizeBytes: 123456,
  durationSeconds: 300,
  source: 'velero',
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'evidence routes on %p',
  databaseId => {
    let server: any;
    let backupDatabase: Knex;
    const auditor = recordingAuditor();

    beforeAll(async () => {
      const backend = await startBackupBackend({
        databases,
        databaseId,
        features: [auditor.factory],
      });
      server = backend.server;
      backupDatabase = backend.databaseOf('backup')!;
      await waitForCatalog(server);
    });

    const post = (path: string, body: unknown, auth = user) =>
      request(server)
        .post(path)
        .set('Authorization', auth)
        .send(body as object);
    const get = (path: string, auth = user) =>
      request(server).get(path).set('Authorization', auth);

    it('records a restore test (201), attributed to the caller, and serves it back', async () => {
      const res = await post(`${ENTITY_PATH}/restore-tests`, restoreTest());
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        entityRef: FIXTURE_ENTITY,
        result: 'succeeded',
        restoreDurationSeconds: 3600,
        recordedBy: 'user:default/alice',
        source: 'manual',
        sequence: expect.any(Number),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const one = await get(`/api/backup/restore-tests/${res.body.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(res.body);

      const list = await get(`${ENTITY_PATH}/restore-tests`);
      expect(list.status).toBe(200);
      expect(list.body.items[0]).toEqual(res.body);
      expect(list.body).toMatchObject({ limit: 20, offset: 0 });
      expect(auditor.events).toContainEqual({
        eventId: 'restore-test-create',
        outcome: 'success',
        meta: {
          entityRef: FIXTURE_ENTITY,
          recordId: res.body.id,
          created: true,
        },
      });
    });

    it('paginates history with a hard limit', async () => {
      const page = await get(`${ENTITY_PATH}/restore-tests?limit=1&offset=0`);
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(1);
      const tooMany = await get(`${ENTITY_PATH}/restore-tests?limit=101`);
      expect(tooMany.status).toBe(400);
    });

    it.each([
      ['an unknown result', { result: 'sort-of' }, /result/],
      [
        'completion before start',
        { startedAt: hoursAgo(1), completedAt: hoursAgo(2) },
        /completedAt is before startedAt/,
      ],
      [
        'a date in the future',
        { completedAt: new Date(Date.now() + 86400_000).toISOString() },
        /completedAt is in the future/,
      ],
      [
        'a recovery point after the start',
        { recoveryPointAt: hoursAgo(2.5) },
        /recoveryPointAt is after startedAt/,
      ],
      [
        'an unknown field',
        { recordedBy: 'user:default/mallory' },
        /additional properties/,
      ],
      ['oversize text', { scope: 'x'.repeat(4001) }, /scope/],
      ['a malformed date', { startedAt: 'yesterday' }, /startedAt/],
      [
        'a non-http evidence link',
        { evidenceUrl: 'ftp://files.example.com/report' },
        /evidenceUrl/,
      ],
      ['a missing required field', { executor: undefined }, /executor/],
    ])('rejects %s with 400', async (_what, change, message) => {
      const res = await post(
        `${ENTITY_PATH}/restore-tests`,
        restoreTest(change),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
    });

    it('audits rejected writes too', async () => {
      await post(
        `${ENTITY_PATH}/restore-tests`,
        restoreTest({ result: 'meh' }),
      );
      expect(auditor.events).toContainEqual(
        expect.objectContaining({
          eventId: 'restore-test-create',
          outcome: 'fail',
        }),
      );
    });

    it('rejects a malformed entity ref with 400', async () => {
      const res = await post(
        '/api/backup/entities/component/default/bad%20name!/restore-tests',
        restoreTest(),
      );
      expect(res.status).toBe(400);
    });

    it('answers 404 for an unknown entity and an unknown record', async () => {
      expect(
        (
          await post(
            '/api/backup/entities/component/default/nope/restore-tests',
            restoreTest(),
          )
        ).status,
      ).toBe(404);
      expect((await get('/api/backup/restore-tests/no-such-id')).status).toBe(
        404,
      );
    });

    it('rejects callers without credentials with 401', async () => {
      const res = await post(
        `${ENTITY_PATH}/restore-tests`,
        restoreTest(),
        mockCredentials.none.header(),
      );
      expect(res.status).toBe(401);
    });

    it('stores one record for 20 concurrent submissions with one external id', async () => {
      const body = restoreTest({
        externalId: `ci-${databaseId}`,
        source: 'ci',
      });
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          post(`${ENTITY_PATH}/restore-tests`, body),
        ),
      );
      const statuses = responses.map(r => r.status).sort();
      expect(statuses).toEqual([200, ...Array(18).fill(200), 201].sort());
      expect(new Set(responses.map(r => r.body.id)).size).toBe(1);
      const all = await get(`${ENTITY_PATH}/restore-tests?limit=100`);
      expect(
        all.body.items.filter((r: any) => r.externalId === `ci-${databaseId}`),
      ).toHaveLength(1);
    });

    it('records backup runs and lists them newest first', async () => {
      const older = await post(
        `${ENTITY_PATH}/backup-runs`,
        backupRun({ runAt: hoursAgo(30) }),
      );
      const newer = await post(`${ENTITY_PATH}/backup-runs`, backupRun());
      expect([older.status, newer.status]).toEqual([201, 201]);
      const list = await get(`${ENTITY_PATH}/backup-runs`);
      expect(list.body.items.map((r: any) => r.id).slice(0, 2)).toEqual([
        newer.body.id,
        older.body.id,
      ]);
      expect(
        (
          await post(
            `${ENTITY_PATH}/backup-runs`,
            backupRun({ outcome: 'maybe' }),
          )
        ).status,
      ).toBe(400);
    });

    it('records an access review (201, audited) that the status then uses', async () => {
      const codes = async () =>
        (await get(`${ENTITY_PATH}/status`)).body.findings.map(
          (f: any) => f.code,
        );
      expect(await codes()).toContain('access-review-missing');
      const review = {
        reviewedAt: hoursAgo(5),
        reviewer: 'Sam Security',
        outcome: 'changed',
        admins: ['group:default/backup-admins', 'role:aws/BackupVaultAdmin'],
        evidenceUrl: 'https://tickets.example.com/SEC-12',
        notes: 'Removed a former contractor from the vault admin role',
        externalId: 'sec-12',
      };
      const created = await post(`${ENTITY_PATH}/access-reviews`, review);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        entityRef: FIXTURE_ENTITY,
        outcome: 'changed',
        admins: review.admins,
        recordedBy: 'user:default/alice',
        sequence: 1,
      });
      const repeated = await post(`${ENTITY_PATH}/access-reviews`, review);
      expect(repeated.status).toBe(200);
      expect(repeated.body.id).toBe(created.body.id);
      expect(auditor.events).toContainEqual(
        expect.objectContaining({
          eventId: 'access-review-create',
          outcome: 'success',
        }),
      );

      const status = (await get(`${ENTITY_PATH}/status`)).body;
      expect(status.lastAccessReviewSource).toBe('record');
      expect(await codes()).not.toContain('access-review-missing');
      const list = await get(`${ENTITY_PATH}/access-reviews`);
      expect(list.body).toMatchObject({ totalCount: 1, limit: 20, offset: 0 });

      const rejected = await Promise.all([
        post(`${ENTITY_PATH}/access-reviews`, {
          ...review,
          externalId: undefined,
          reviewedAt: new Date(Date.now() + 86_400_000).toISOString(),
        }),
        post(`${ENTITY_PATH}/access-reviews`, { ...review, admins: [] }),
        post(`${ENTITY_PATH}/access-reviews`, { ...review, outcome: 'fine' }),
      ]);
      expect(rejected.map(r => r.status)).toEqual([400, 400, 400]);
      expect(rejected[0].body.error.message).toBe(
        'reviewedAt is in the future',
      );
      expect(rejected[1].body.error.message).toMatch(/admins/);
    });

    it('feeds the status: a failed latest restore test makes it non-compliant', async () => {
      const before = await get(`${ENTITY_PATH}/status`);
      expect(before.body.lastRestoreTestSource).toBe('record');
      await post(
        `${ENTITY_PATH}/restore-tests`,
        restoreTest({
          startedAt: hoursAgo(1),
          completedAt: hoursAgo(0.5),
          recoveryPointAt: undefined,
          result: 'failed',
          issuesFound: 'WAL archive missing',
        }),
      );
      const after = await get(`${ENTITY_PATH}/status`);
      expect(after.body.findings.map((f: any) => f.code)).toContain(
        'restore-test-failed',
      );
    });

    it('reports an intact chain, and the break after a record is edited in the database', async () => {
      const intact = await get(`${ENTITY_PATH}/evidence/verify`);
      expect(intact.status).toBe(200);
      expect(intact.body).toMatchObject({
        entityRef: FIXTURE_ENTITY,
        intact: true,
      });
      expect(intact.body.restoreTests.count).toBeGreaterThan(1);

      const tamperTarget = (await get(`${ENTITY_PATH}/restore-tests?limit=1`))
        .body.items[0];
      await backupDatabase('restore_tests')
        .where({ id: tamperTarget.id })
        .update({ executor: 'Mallory' });
      const broken = await get(`${ENTITY_PATH}/evidence/verify`);
      expect(broken.body.intact).toBe(false);
      expect(broken.body.restoreTests.brokenAt).toMatchObject({
        id: tamperTarget.id,
        problem: 'its content does not match its hash',
      });
    });
  },
);

describe.each(databases.eachSupportedId())(
  'evidence route permissions on %p',
  databaseId => {
    const deny = (names: string[], principal: 'user' | 'any' = 'any') =>
      mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result: names.includes(r.permission.name)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
          })),
        authorizeConditional: async (requests, { credentials }) =>
          requests.map(() => ({
            result:
              principal === 'user' &&
              (credentials.principal as { type: string }).type === 'user'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory;

    it('answers 403 to a user without the create or read permission', async () => {
      const { server } = await startBackupBackend({
        databases,
        databaseId,
        features: [
          deny([
            'backup.restore-test.create',
            'backup.backup-run.create',
            'backup.access-review.create',
            'backup.follow-up.create',
            'backup.evidence.read',
          ]),
        ],
      });
      await waitForCatalog(server);
      const write = await request(server)
        .post(`${ENTITY_PATH}/restore-tests`)
        .set('Authorization', user)
        .send(restoreTest());
      expect(write.status).toBe(403);
      expect(write.body.error.message).toBe(
        'Not allowed: backup.restore-test.create',
      );
      const run = await request(server)
        .post(`${ENTITY_PATH}/backup-runs`)
        .set('Authorization', user)
        .send(backupRun());
      expect(run.status).toBe(403);
      const review = await request(server)
        .post(`${ENTITY_PATH}/access-reviews`)
        .set('Authorization', user)
        .send({
          reviewedAt: hoursAgo(1),
          reviewer: 'Sam',
          outcome: 'confirmed',
          admins: ['group:default/backup-admins'],
        });
      expect(review.status).toBe(403);
      expect(review.body.error.message).toBe(
        'Not allowed: backup.access-review.create',
      );
      const followUp = await request(server)
        .post(`${ENTITY_PATH}/follow-ups`)
        .set('Authorization', user)
        .send({
          failure: { kind: 'backup-run', id: 'any' },
          action: 'acknowledged',
          ticketUrl: 'https://tickets.example.com/OPS-1',
          at: hoursAgo(1),
        });
      expect(followUp.status).toBe(403);
      expect(followUp.body.error.message).toBe(
        'Not allowed: backup.follow-up.create',
      );
      const read = await request(server)
        .get(`${ENTITY_PATH}/restore-tests`)
        .set('Authorization', user);
      expect(read.status).toBe(403);
    });

    it('answers 404 to a user who cannot see the entity in the catalog', async () => {
      const { server } = await startBackupBackend({
        databases,
        databaseId,
        features: [deny([], 'user')],
      });
      await waitForCatalog(server);
      const write = await request(server)
        .post(`${ENTITY_PATH}/restore-tests`)
        .set('Authorization', user)
        .send(restoreTest());
      expect(write.status).toBe(404);
      const read = await request(server)
        .get(`${ENTITY_PATH}/restore-tests`)
        .set('Authorization', user);
      expect(read.status).toBe(404);
    });

    describe('with a static token restricted to backup runs', () => {
      const token = 'ci-backup-runs-0123456789abcdefghij';
      let server: any;

      beforeAll(async () => {
        ({ server } = await startBackupBackend({
          databases,
          databaseId,
          config: {
            backend: {
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: { token, subject: 'backup-tool' },
                    accessRestrictions: [
                      {
                        plugin: 'backup',
                        permission: 'backup.backup-run.create',
                      },
                    ],
                  },
                ],
              },
            },
          },
          features: [
            authServiceFactory,
            httpAuthServiceFactory,
            permissionsServiceFactory,
          ],
        }));
      });

      const withToken = (req: request.Test) =>
        req.set('Authorization', `Bearer ${token}`);

      async function postRunWhenCatalogReady() {
        // the catalog processes the fixture in the background
        for (let attempt = 0; attempt < 150; attempt++) {
          const res = await withToken(
            request(server)
              .post(`${ENTITY_PATH}/backup-runs`)
              .send(backupRun()),
          );
          if (res.status !== 404) return res;
          await new Promise(r => setTimeout(r, 200));
        }
        throw new Error('the catalog never processed the fixture');
      }

      it('may report a backup run, recorded under its subject', async () => {
        const res = await postRunWhenCatalogReady();
        expect(res.status).toBe(201);
        expect(res.body.recordedBy).toBe('service:backup-tool');
      });

      it('answers 403 for a permission outside its access restrictions', async () => {
        const res = await withToken(
          request(server)
            .post(`${ENTITY_PATH}/restore-tests`)
            .send(restoreTest()),
        );
        expect(res.status).toBe(403);
        const read = await withToken(
          request(server).get(`${ENTITY_PATH}/backup-runs`),
        );
        expect(read.status).toBe(403);
      });

      it('answers 401 for an unknown token', async () => {
        const res = await request(server)
          .post(`${ENTITY_PATH}/backup-runs`)
          .set('Authorization', 'Bearer not-a-known-token')
          .send(backupRun());
        expect(res.status).toBe(401);
      });
    });
  },
);
