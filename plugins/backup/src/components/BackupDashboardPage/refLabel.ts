import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';

/**
 * `group:default/payments` -> `payments` when the kind is the expected one;
 * the `none` group key of entities without an owner or system stays readable.
 */
export function refLabel(ref: string, defaultKind: string): string {
  if (ref === 'none') return `No ${defaultKind}`;
  return humanizeEntityRef(parseEntityRef(ref), {
    defaultKind,
    defaultNamespace: 'default',
  });
}
