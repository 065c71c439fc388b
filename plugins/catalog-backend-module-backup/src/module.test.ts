import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { resolve as resolvePath } from 'path';
import request from 'supertest';
import { catalogModuleBackup } from './module';

jest.setTimeout(60_000);

/** Polls the real catalog until processing has stored the entity. */
async function waitForEntity(server: any, name: string): Promise<AlphaEntity> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-name/component/default/${name}`)
      .set('Authorization', mockCredentials.user.header());
    if (res.status === 200) return res.body;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`${name} never appeared in the catalog`);
}

describe('catalogModuleBackup in a real catalog', () => {
  it('keeps a malformed entity in the catalog and shows the processing error', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleBackup,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'Location'] }],
              locations: [
                {
                  type: 'file',
                  target: resolvePath(__dirname, '__fixtures__/entities.yaml'),
                },
              ],
            },
          },
        }),
      ],
    });

    const malformed = await waitForEntity(server, 'malformed-service');
    expect(malformed.status?.items).toEqual([
      expect.objectContaining({
        type: 'backstage.io/catalog-processing',
        level: 'error',
        error: expect.objectContaining({
          name: 'InputError',
          message: expect.stringContaining(
            'Invalid annotation backup-assurance.io/frequency: "daily"',
          ),
        }),
      }),
    ]);

    const unannotated = await waitForEntity(server, 'unannotated-service');
    expect(unannotated.status).toBeUndefined();
  });

  it('with missingAnnotations: warn, stores an unannotated in-scope entity with a warning per missing annotation', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleBackup,
        mockServices.rootConfig.factory({
          data: {
            backup: { enforcement: { missingAnnotations: 'warn' } },
            catalog: {
              rules: [{ allow: ['Component', 'Location'] }],
              locations: [
                {
                  type: 'file',
                  target: resolvePath(__dirname, '__fixtures__/entities.yaml'),
                },
              ],
            },
          },
        }),
      ],
    });
    const unannotated = await waitForEntity(server, 'unannotated-service');
    expect(unannotated.status?.items).toContainEqual(
      expect.objectContaining({
        type: 'backstage.io/catalog-processing',
        level: 'warning',
        message: expect.stringContaining('backup-assurance.io/method'),
      }),
    );
  });
});
