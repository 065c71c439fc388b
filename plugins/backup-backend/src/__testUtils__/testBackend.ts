// Test-only helpers: a backend with the real catalog and the backup plugin,
// each plugin on its own database of the engine under test.
import {
  coreServices,
  createServiceFactory,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { backupPlugin } from '../plugin';

export const FIXTURE_ENTITY = 'component:default/payments-api';

/**
 * A permission service under which users may not read the catalog entities
 * a rule matches, while services read everything; other permissions allow.
 */
export const hideEntitiesFromUsers = (rule: {
  rule: string;
  params: Record<string, unknown>;
}) =>
  mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(() =>
        (credentials.principal as { type: string }).type === 'user'
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                not: { ...rule, resourceType: 'catalog-entity' },
              },
            }
          : { result: AuthorizeResult.ALLOW },
      ) as any,
  }).factory;

/** Users may not see entities labelled secret; services see all. */
export const hideSecretEntitiesFromUsers = hideEntitiesFromUsers({
  rule: 'HAS_LABEL',
  params: { label: 'secret' },
});
/** The fixture entity's routes under the backup plugin. */
export const ENTITY_PATH =
  '/api/backup/entities/component/default/payments-api';
/** A signed-in user, as an Authorization header. */
export const user = mockCredentials.user.header('user:default/alice');

/** An ISO 8601 instant the given number of hours ago. */
export const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 3600_000).toISOString();

/** Catalog config reading one file under src/__fixtures__. */
export const catalogConfig = (fixture: string) => ({
  catalog: {
    rules: [
      {
        allow: [
          'Component',
          'Resource',
          'System',
          'Domain',
          'Group',
          'Location',
        ],
      },
    ],
    locations: [
      {
        type: 'file',
        target: resolvePackagePath(
          '@backup-assurance/plugin-backup-backend',
          `src/__fixtures__/${fixture}`,
        ),
      },
    ],
  },
});

/** A fresh database of the given engine for every plugin that asks. */
function perPluginDatabases(
  databases: TestDatabases,
  id: TestDatabaseId,
  handles: Map<string, Knex>,
) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { pluginMetadata: coreServices.pluginMetadata },
    async factory({ pluginMetadata }) {
      const knex = await databases.init(id);
      handles.set(pluginMetadata.getId(), knex);
      return mockServices.database({ knex });
    },
  });
}

export async function startBackupBackend(
  options: {
    databases?: TestDatabases;
    databaseId?: TestDatabaseId;
    config?: object;
    /** Catalog file under src/__fixtures__ (default entities.yaml). */
    fixture?: string;
    features?: Parameters<typeof startTestBackend>[0]['features'];
  } = {},
) {
  const { databases, databaseId } = options;
  const handles = new Map<string, Knex>();
  const backend = await startTestBackend({
    features: [
      backupPlugin,
      catalogPlugin,
      mockServices.rootConfig.factory({
        data: {
          ...catalogConfig(options.fixture ?? 'entities.yaml'),
          ...options.config,
        },
      }),
      ...(databases && databaseId
        ? [perPluginDatabases(databases, databaseId, handles)]
        : []),
      ...(options.features ?? []),
    ],
  });
  return {
    server: backend.server,
    /** The database a plugin got, when an engine was chosen. */
    databaseOf: (pluginId: string) => handles.get(pluginId),
  };
}

/** Waits until the catalog has processed the fixture entities. */
export async function waitForCatalog(
  server: any,
  entity = 'component/default/payments-api',
) {
  for (let attempt = 0; attempt < 150; attempt++) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-name/${entity}`)
      .set('Authorization', mockCredentials.service.header());
    if (res.status === 200) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error('the catalog never processed the fixture');
}
