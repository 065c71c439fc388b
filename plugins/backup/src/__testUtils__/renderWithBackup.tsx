// Test-only: renders plugin components as an entity page would, with the
// in-memory backend double and a permission decision.
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ReactNode } from 'react';
import { BackupApi, backupApiRef } from '../api';

export async function renderWithBackup(
  ui: ReactNode,
  options: {
    entity: Entity;
    api: BackupApi;
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
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
      ]}
    >
      <EntityProvider entity={options.entity}>{ui}</EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
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
