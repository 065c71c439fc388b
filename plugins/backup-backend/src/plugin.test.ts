import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { backupPlugin } from './plugin';
import { primedPaths } from './service/primeValidation';
import {
  startBackupBackend,
  waitForCatalog,
} from './__testUtils__/testBackend';

jest.setTimeout(60_000);

const STATUS_PATH =
  '/api/backup/entities/component/default/payments-api/status';

/** Users may read nothing in the catalog; services (the test itself) may. */
const denyUsersCatalogReads = mockServices.permissions.mock({
  authorizeConditional: async (requests, { credentials }) =>
    requests.map(() => ({
      result:
        (credentials.principal as { type: string }).type === 'user'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    })),
}).factory;

const startWithCatalog = async (options: { denyUserReads?: boolean } = {}) =>
  (
    await startBackupBackend({
      features: options.denyUserReads ? [denyUsersCatalogReads] : [],
    })
  ).server;

describe('backup backend plugin', () => {
  let server: any;

  beforeAll(async () => {
    server = await startWithCatalog();
    await waitForCatalog(server);
  });

  it('answers /health without credentials', async () => {
    const res = await request(server)
      .get('/api/backup/health')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('primes every read route with a request its validation rejects, before any handler runs', async () => {
    const paths = primedPaths();
    expect(paths).toContain('/entities/x/x/x/status?prime-validation=1');
    expect(paths).toContain('/summary?prime-validation=1');
    for (const path of paths) {
      const res = await request(server)
        .get(`/api/backup${path}`)
        .set('Authorization', mockCredentials.service.header());
      expect([path, res.status, res.body.error?.name]).toEqual([
        path,
        400,
        'InputError',
      ]);
    }
  });

  it('returns the evaluation of an entity read from the catalog', async () => {
    const res = await request(server)
      .get('/api/backup/entities/Component/default/payments-api/status')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/payments-api',
      status: 'non-compliant',
      nextRestoreTestDue: '2020-03-31T00:00:00.000Z',
      lastRestoreTest: '2020-01-01T00:00:00.000Z',
      profile: { methods: ['pitr'], encryption: 'none' },
      policyVersion: 'unversioned',
    });
    expect(res.body.findings.map((f: { code: string }) => f.code)).toEqual([
      'encryption-required',
      'access-review-missing',
      'restore-test-overdue',
      'restore-test-evidence-missing',
    ]);
  });

  it('accepts service callers too', async () => {
    const res = await request(server)
      .get(STATUS_PATH)
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
  });

  it('rejects callers without credentials with 401', async () => {
    const res = await request(server)
      .get(STATUS_PATH)
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('answers 404 for an entity that does not exist', async () => {
    const res = await request(server)
      .get('/api/backup/entities/component/default/nope/status')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({
      name: 'NotFoundError',
      message: 'No entity component:default/nope found',
    });
  });

  it('answers 400 for a malformed entity ref', async () => {
    const res = await request(server)
      .get('/api/backup/entities/component/default/bad%20name!/status')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Malformed entity ref: invalid name "bad name!"',
    );
  });
});

describe('backup backend plugin, caller without catalog read access', () => {
  it('answers 404 for an entity the caller cannot see', async () => {
    const server = await startWithCatalog({ denyUserReads: true });
    await waitForCatalog(server); // the entity exists, read as a service
    const res = await request(server)
      .get(STATUS_PATH)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
  });
});

describe('backup backend plugin policy', () => {
  const startWithPolicy = (policy: object) =>
    startTestBackend({
      features: [
        backupPlugin,
        mockServices.rootConfig.factory({ data: { backup: { policy } } }),
      ],
    });

  it('serves the configured policy', async () => {
    const { server } = await startWithPolicy({
      version: '2026.1',
      approvedBy: 'CTO',
    });
    const res = await request(server)
      .get('/api/backup/policy')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: '2026.1', approvedBy: 'CTO' });
  });

  it('refuses to start with an invalid policy, naming the key', async () => {
    await expect(startWithPolicy({ dueSoonWindow: 'soon' })).rejects.toThrow(
      "Invalid backup policy config at 'backup.policy.dueSoonWindow'",
    );
  });
});
