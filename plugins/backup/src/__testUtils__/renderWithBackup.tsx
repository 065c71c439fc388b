// Test-only: renders plugin components as the app would, with the in-memory
// backend double, a permission decision and, for entity pages, the entity.
import { Entity } from '@backstage/catalog-model';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ReactNode } from 'react';
import { BackupApi, backupApiRef } from '../api';
import { rootRouteRef } from '../routes';

export async function renderWithBackup(
  ui: ReactNode,
  options: {
    /** The entity of the entity page; none for the dashboard. */
    entity?: Entity;
    api: BackupApi;
    /** One decision for every permission, or a decision per request. */
    permission?:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY
      | ((
          request: EvaluatePermissionRequest,
        ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);
    /** What the catalog holds (the dashboard lists its domains). */
    catalog?: Entity[];
    /** The URL to start at, such as `/backup?owner=...`. */
    route?: string;
  },
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [backupApiRef, options.api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.permission ?? AuthorizeResult.ALLOW,
          }),
        ],
        [catalogApiRef, catalogApiMock({ entities: options.catalog ?? [] })],
      ]}
    >
      {options.entity ? (
        <EntityProvider entity={options.entity}>{ui}</EntityProvider>
      ) : (
        ui
      )}
    </TestApiProvider>,
    {
      routeEntries: options.route ? [options.route] : undefined,
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/backup': rootRouteRef,
      },
    },
  );
}

/** Ten days ago, so the access review is current whenever the tests run. */
const TEN_DAYS_AGO = new Date(Date.now() - 10 * 24 * 3600_000)
  .toISOString()
  .slice(0, 10);

/**
 * A production PII service whose backups are encrypted and access-controlled
 * like production, but which has no restore test.
 */
export const untestedPiiService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: {
      'backup-assurance.io/method': 'pitr',
      'backup-assurance.io/data-classification': 'pii',
      'backup-assurance.io/owner': 'group:default/payments',
      'backup-assurance.io/frequency': 'P1D',
      'backup-assurance.io/retention': 'P35D',
      'backup-assurance.io/encryption': 'customer-managed',
      'backup-assurance.io/backup-admins':
        'group:default/backup-admins, user:default/alice',
      'backup-assurance.io/deletion-protection': 'soft-delete',
      'backup-assurance.io/access-logging': 'logged',
      'backup-assurance.io/last-access-review': TEN_DAYS_AGO,
      'backup-assurance.io/access-review-evidence':
        'https://tickets.example.com/SEC-1',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
};
