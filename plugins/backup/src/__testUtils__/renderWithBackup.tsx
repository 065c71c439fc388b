// Test-only: renders plugin components as the app would, with the in-memory
// backend double, a permission decision and, for entity pages, the entity.
import { Entity } from '@backstage/catalog-model';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
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
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
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

/** A production PII service that declares everything but a restore test. */
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
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
};
