import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The org-wide backup dashboard. One ref serves both frontend systems: a
 * legacy route ref also carries the new system's route ref fields, which is
 * all `convertLegacyRouteRef` would return for it.
 */
export const rootRouteRef = createRouteRef({ id: 'backup' });
