import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  hoursAgo,
  startBackupBackend,
  user,
  hideSecretEntitiesFromUsers,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Waits until the fixture is processed, with owner and system relations. */
async function waitForOrganisation(server: any) {
  for (let attempt = 0; attempt < 150; attempt++) {
    const res = await request(server)
      .get('/api/backup/summary')
      .set('Authorization', mockCredentials.service.header());
    const ready =
      res.body.total === 5 &&
      res.body.byOwner.every((g: any) => g.key !== 'none') &&
      res.body.bySystem.length === 3;
    if (ready) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error('the catalog never processed the organisation fixture');
}

describe.each(databases.eachSupportedId())(
  'overview routes on %p',
  databaseId => {
    let server: any;

    let snapshotTask: () => Promise<void>;

    beforeAll(async () => {
      // the real scheduled task function, run on demand
      const scheduler = mockServices.scheduler.mock({
        scheduleTask: async task => {
          if (task.id === 'backup-daily-snapshot') {
            snapshotTask = async () => {
              await task.fn(new AbortController().signal);
            };
          }
        },
      });
      ({ server } = await startBackupBackend({
        databases,
        databaseId,
        fixture: 'organisation.yaml',
        features: [scheduler.factory],
      }));
      await waitForOrganisation(server);
      const recorded = await request(server)
        .post('/api/backup/entities/component/default/pay-api/restore-tests')
        .set('Authorization', user)
        .send({
          startedAt: hoursAgo(26),
          completedAt: hoursAgo(25),
          result: 'succeeded',
          scope: '=SUM(A1) restore of pay-db',
          validation: [{ type: 'integrity', outcome: 'passed' }],
          executor: 'Alice',
        });
      if (recorded.status !== 201) {
        throw new Error(`fixture restore test: ${recorded.status}`);
      }
      // users may not see accounts-db: a service records its review
      for (const entity of [
        'component/default/pay-api',
        'resource/default/accounts-db',
      ]) {
        const reviewed = await request(server)
          .post(`/api/backup/entities/${entity}/access-reviews`)
          .set('Authorization', mockCredentials.service.header())
          .send({
            reviewedAt: hoursAgo(48),
            reviewer: 'Sam Security',
            outcome: 'confirmed',
            admins: ['group:default/payments-admins'],
          });
        if (reviewed.status !== 201) {
          throw new Error(`fixture access review: ${reviewed.status}`);
        }
      }
    });

    const get = (path: string, auth = user) =>
      request(server).get(path).set('Authorization', auth);

    it('counts statuses and coverage as hand-computed from the fixture', async () => {
      const res = await get('/api/backup/summary');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        total: 5,
        inScope: 4,
        counts: {
          compliant: 1, // pay-api, tested yesterday
          'non-compliant': 1, // pay-worker: PII unencrypted, deletable
          overdue: 1, // accounts-db: tested in 2020
          incomplete: 1, // accounts-api: no annotations
          'out-of-scope': 1, // docs-site: experimental
          'due-soon': 0,
          exempt: 0,
          invalid: 0,
        },
        coverage: {
          validAnnotations: { count: 3, total: 4, ratio: 0.75 },
          restoreTestInPolicy: { count: 1, total: 4, ratio: 0.25 },
          piiEncrypted: { count: 2, total: 3 },
          // pay-worker: no deletion protection, access review of 2020
          piiAccessControlled: { count: 2, total: 3 },
        },
        overdue: 1,
        nonCompliant: 1,
        piiWithoutEncryption: 1,
        piiWithoutAccessControl: 1,
        policy: { version: 'unversioned' },
      });
      expect(
        res.body.byOwner.map((g: any) => [g.key, g.total, g.counts.compliant]),
      ).toEqual([
        ['group:default/identity', 3, 0],
        ['group:default/payments', 2, 1],
      ]);
      expect(res.body.bySystem.map((g: any) => [g.key, g.total])).toEqual([
        ['system:default/accounts', 2],
        ['system:default/pay', 2],
        ['none', 1],
      ]);
    });

    it.each([
      ['owner=group:default/payments', 2],
      ['system=system:default/accounts', 2],
      ['domain=domain:default/commerce', 4],
      ['kind=resource', 1],
      ['classification=pii', 2],
      ['status=overdue', 1],
      ['owner=group:default/identity&status=incomplete', 1],
    ])('filters the summary by %s', async (query, total) => {
      const res = await get(`/api/backup/summary?${query}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(total);
    });

    it('rejects an unknown filter value with 400', async () => {
      expect((await get('/api/backup/summary?status=great')).status).toBe(400);
      expect((await get('/api/backup/summary?colour=red')).status).toBe(400);
    });

    it('lists entities most overdue first, paginated', async () => {
      const res = await get('/api/backup/entities?limit=3');
      expect(res.status).toBe(200);
      expect(res.body.totalCount).toBe(5);
      // both never tested: the violation before the missing annotations
      expect(res.body.items.map((r: any) => [r.name, r.status])).toEqual([
        ['pay-worker', 'non-compliant'],
        ['accounts-api', 'incomplete'],
        ['accounts-db', 'overdue'],
      ]);
      expect(res.body.items[2]).toMatchObject({
        owner: 'group:default/identity',
        system: 'system:default/accounts',
        domain: 'domain:default/commerce',
        daysOverdue: expect.any(Number),
      });
      const byName = await get('/api/backup/entities?sort=name&offset=4');
      expect(byName.body.items.map((r: any) => r.name)).toEqual([
        'accounts-db',
      ]);
    });

    it('counts only entities the caller may read in the catalog', async () => {
      const { server: restricted } = await startBackupBackend({
        databases,
        databaseId,
        fixture: 'organisation.yaml',
        features: [hideSecretEntitiesFromUsers],
      });
      await waitForOrganisation(restricted);
      const res = await request(restricted)
        .get('/api/backup/summary')
        .set('Authorization', user);
      expect(res.body.total).toBe(4);
      // accounts-db is hidden; pay-api, untested in this backend, is overdue
      expect(res.body.byOwner.map((g: any) => [g.key, g.total])).toEqual([
        ['group:default/identity', 2],
        ['group:default/payments', 2],
      ]);
      const list = await request(restricted)
        .get('/api/backup/entities?limit=100')
        .set('Authorization', user);
      expect(list.body.items.map((r: any) => r.name)).not.toContain(
        'accounts-db',
      );
    });

    it('exports the evidence pack as CSV, escaped against formula injection', async () => {
      const res = await get('/api/backup/export?format=csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="backup-evidence-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const csv: string = res.text;
      expect(csv).toContain('policy,version,unversioned\r\n');
      expect(csv).toContain('\r\nbackup register\r\n');
      // the register holds the 4 in-scope entities, not docs-site
      expect(csv).toContain('component:default/pay-worker,component,');
      expect(csv).not.toContain('component:default/docs-site');
      // a cell a spreadsheet would run as a formula is defused and quoted
      expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
      expect(csv).toContain("'=SUM(A1) restore of pay-db");
      expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    });

    it('exports the evidence pack as JSON', async () => {
      const res = await get('/api/backup/export?format=json');
      expect(res.status).toBe(200);
      const pack = JSON.parse(res.text);
      expect(pack).toMatchObject({
        policy: { version: 'unversioned' },
        period: { from: expect.any(String), to: expect.any(String) },
      });
      expect(pack.register).toHaveLength(4);
      expect(
        pack.register.find(
          (e: any) => e.entity_ref === 'resource:default/accounts-db',
        ),
      ).toEqual({
        entity_ref: 'resource:default/accounts-db',
        kind: 'resource',
        owner: 'group:default/identity',
        backup_owner: 'group:default/identity',
        system: 'system:default/accounts',
        data_classification: 'sensitive-pii',
        methods: ['pitr'],
        encryption: 'customer-managed',
        backup_admins: ['group:default/identity', 'user:default/ops-oncall'],
        deletion_protection: 'soft-delete',
        access_logging: 'logged',
        // the recorded review, not an annotation
        last_access_review: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        status: 'overdue',
        last_restore_test: '2020-01-01T00:00:00.000Z',
        next_restore_test_due: '2020-03-31T00:00:00.000Z',
      });
      expect(pack.restoreTests).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/pay-api',
          result: 'succeeded',
          hash: expect.any(String),
        }),
      ]);
    });

    it('limits the exported restore tests to the period', async () => {
      const res = await get(
        '/api/backup/export?format=json&from=2020-01-01&to=2020-12-31',
      );
      expect(JSON.parse(res.text).restoreTests).toEqual([]);
      expect(
        (await get('/api/backup/export?from=2026-12-01&to=2026-01-01')).status,
      ).toBe(400);
    });

    it('writes a daily snapshot once, even when two runs overlap, and serves it as a trend', async () => {
      await Promise.all([snapshotTask(), snapshotTask()]);
      await snapshotTask();
      const today = new Date().toISOString().slice(0, 10);
      const trends = (await get('/api/backup/trends')).body;
      expect(trends.points.map((p: any) => [p.day, p.owner, p.total])).toEqual([
        [today, 'group:default/identity', 3],
        [today, 'group:default/payments', 2],
      ]);
      expect(trends.points[1].counts.compliant).toBe(1);
      const one = await get('/api/backup/trends?owner=group:default/payments');
      expect(one.body.points.map((p: any) => p.owner)).toEqual([
        'group:default/payments',
      ]);
      expect(
        (await get('/api/backup/trends?from=2020-01-01&to=2020-01-31')).body
          .points,
      ).toEqual([]);
    });
  },
);

describe('evidence export permission', () => {
  it('answers 403 without backup.evidence.export', async () => {
    const { server } = await startBackupBackend({
      fixture: 'organisation.yaml',
      features: [
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(r => ({
              result:
                r.permission.name === 'backup.evidence.export'
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }).factory,
      ],
    });
    const res = await request(server)
      .get('/api/backup/export')
      .set('Authorization', user);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('Not allowed: backup.evidence.export');
  });
});
