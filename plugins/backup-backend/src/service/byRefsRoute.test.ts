import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  hideSecretEntitiesFromUsers,
  startBackupBackend,
  user,
} from '../__testUtils__/testBackend';
import { EVIDENCE_LIMITS } from '@backup-assurance/plugin-backup-common';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const service = mockCredentials.service.header();

describe.each(databases.eachSupportedId())(
  'POST /entities/by-refs on %p',
  databaseId => {
    let server: any;

    beforeAll(async () => {
      ({ server } = await startBackupBackend({
        databases,
        databaseId,
        fixture: 'organisation.yaml',
        features: [hideSecretEntitiesFromUsers],
      }));
      // until every entity has its system, and every system its domain
      for (let attempt = 0; attempt < 150; attempt++) {
        const res = await request(server)
          .get('/api/backup/summary')
          .set('Authorization', service);
        if (res.body.total === 5 && res.body.bySystem.length === 3) return;
        await new Promise(r => setTimeout(r, 200));
      }
      throw new Error('the catalog never processed the organisation fixture');
    });

    const byRefs = (body: unknown, auth = user) =>
      request(server)
        .post('/api/backup/entities/by-refs')
        .set('Authorization', auth)
        .send(body as object);

    it('answers the rows of /entities in the order asked, null where there is none', async () => {
      const res = await byRefs({
        entityRefs: [
          'resource:default/accounts-db', // secret: users cannot see it
          'component:default/pay-worker',
          'component:default/no-such-thing',
          'system:default/pay', // neither a component nor a resource
          'Component:default/Pay-API', // refs are case-insensitive
        ],
      });
      expect(res.status).toBe(200);
      const listed = await request(server)
        .get('/api/backup/entities?limit=100')
        .set('Authorization', user);
      const rowOf = (ref: string) =>
        listed.body.items.find((row: any) => row.entityRef === ref);
      expect(res.body.items).toEqual([
        null,
        rowOf('component:default/pay-worker'),
        null,
        null,
        rowOf('component:default/pay-api'),
      ]);
      expect(res.body.items[1]).toMatchObject({
        status: 'non-compliant',
        domain: 'domain:default/commerce',
      });
    });

    it('answers an entity to a caller who may read it', async () => {
      const res = await byRefs(
        { entityRefs: ['resource:default/accounts-db'] },
        service,
      );
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({ entityRef: 'resource:default/accounts-db' }),
      ]);
    });

    it.each([
      ['no refs', { entityRefs: [] }],
      ['no body field', {}],
      ['a ref that is not a string', { entityRefs: [42] }],
      ['a ref without a kind', { entityRefs: ['default/pay-api'] }],
      [
        'a ref with a name the catalog refuses',
        { entityRefs: ['component:default/-x'] },
      ],
      ['an unknown field', { entityRefs: ['component:pay-api'], limit: 5 }],
      [
        'more refs than one call may ask for',
        {
          entityRefs: Array.from(
            { length: EVIDENCE_LIMITS.maxEntityRefsPerCall + 1 },
            (_, i) => `component:default/entity-${i}`,
          ),
        },
      ],
    ])('rejects %s with a 400 naming the field', async (_case, body) => {
      const res = await byRefs(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/entityRefs|additional/);
    });

    it('answers as many refs as one call may ask for', async () => {
      const res = await byRefs({
        entityRefs: Array.from(
          { length: EVIDENCE_LIMITS.maxEntityRefsPerCall },
          (_, i) => `component:default/entity-${i}`,
        ),
      });
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(EVIDENCE_LIMITS.maxEntityRefsPerCall);
    });
  },
);
