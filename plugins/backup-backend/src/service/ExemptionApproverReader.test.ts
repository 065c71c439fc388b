import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  catalogConfig,
  hideEntitiesFromUsers,
  startBackupBackend,
  user,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Users may not read User entities; services read everything. */
const hideUsersFromUsers = hideEntitiesFromUsers({
  rule: 'IS_ENTITY_KIND',
  params: { kinds: ['user'] },
});

const fixture = catalogConfig('exemptions.yaml');

/** Waits until the catalog has the components and the users' memberships. */
async function waitForMemberships(server: any) {
  for (let attempt = 0; attempt < 150; attempt++) {
    const res = await request(server)
      .get('/api/catalog/entities/by-name/user/default/dana')
      .set('Authorization', mockCredentials.service.header());
    const summary = await request(server)
      .get('/api/backup/summary')
      .set('Authorization', mockCredentials.service.header());
    const member = res.body?.relations?.some(
      (r: { type: string }) => r.type === 'memberOf',
    );
    if (member && summary.body.total === 4) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error('the catalog never processed the exemption fixture');
}

describe.each(databases.eachSupportedId())(
  'exemption approvers looked up in the catalog on %p',
  databaseId => {
    let server: any;

    beforeAll(async () => {
      ({ server } = await startBackupBackend({
        databases,
        databaseId,
        fixture: 'exemptions.yaml',
        features: [hideUsersFromUsers],
        config: {
          catalog: {
            ...fixture.catalog,
            rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
          },
          backup: {
            policy: {
              exemptionApprovers: ['group:default/security-grc'],
              maxExemption: 'P100Y',
            },
          },
        },
      }));
      await waitForMemberships(server);
    });

    const statusOf = async (name: string) => {
      const res = await request(server)
        .get(`/api/backup/entities/component/default/${name}/status`)
        .set('Authorization', user);
      expect(res.status).toBe(200);
      return res.body;
    };

    it.each([
      ['a member listed by the group', 'approved-by-member'],
      ['a member by her own memberOf', 'approved-by-declared-member'],
      ['the approver group itself', 'approved-by-group'],
    ])(
      'honours an exemption approved by %s, even for a user who may not read users',
      async (_who, name) => {
        const dana = await request(server)
          .get('/api/catalog/entities/by-name/user/default/dana')
          .set('Authorization', user);
        expect(dana.status).toBe(404);
        expect((await statusOf(name)).status).toBe('exempt');
      },
    );

    it('does not honour an exemption approved by someone outside the approver groups', async () => {
      const body = await statusOf('approved-by-outsider');
      expect(body.status).toBe('non-compliant');
      expect(body.findings.map((f: { code: string }) => f.code)).toContain(
        'exemption-approver-not-allowed',
      );
    });

    it('counts and lists the same statuses in the org-wide views', async () => {
      const summary = await request(server)
        .get('/api/backup/summary')
        .set('Authorization', user);
      expect(summary.body.counts).toMatchObject({
        exempt: 3,
        'non-compliant': 1,
      });
      const list = await request(server)
        .get('/api/backup/entities?sort=name')
        .set('Authorization', user);
      expect(
        list.body.items.map((row: any) => [
          row.name,
          row.status,
          row.exemptionApprovedBy,
        ]),
      ).toEqual([
        ['approved-by-declared-member', 'exempt', 'user:default/erin'],
        ['approved-by-group', 'exempt', 'group:default/security-grc'],
        ['approved-by-member', 'exempt', 'user:default/dana'],
        ['approved-by-outsider', 'non-compliant', 'user:default/bob'],
      ]);
    });
  },
);
