// Test-only: an entity that meets every rule of the default policy at NOW,
// for the evaluator's tests to break one rule at a time.
import { Entity } from '@backstage/catalog-model';

export const NOW = new Date('2026-11-23T12:00:00Z');

/** PII, encrypted, tested on 2026-10-01 and access-reviewed on 2026-10-15. */
export const complete: Record<string, string> = {
  'backup-assurance.io/method': 'pitr',
  'backup-assurance.io/data-classification': 'pii',
  'backup-assurance.io/owner': 'group:default/payments',
  'backup-assurance.io/frequency': 'P1D',
  'backup-assurance.io/retention': 'P35D',
  'backup-assurance.io/encryption': 'customer-managed',
  'backup-assurance.io/last-restore-test': '2026-10-01',
  'backup-assurance.io/restore-test-evidence': 'https://t.example.com/OPS-1',
  'backup-assurance.io/backup-admins': 'group:default/backup-admins',
  'backup-assurance.io/deletion-protection': 'immutable',
  'backup-assurance.io/access-logging': 'tamper-evident',
  'backup-assurance.io/last-access-review': '2026-10-15',
  'backup-assurance.io/access-review-evidence': 'https://t.example.com/SEC-1',
};

export const withoutKeys = (...keys: string[]) =>
  Object.fromEntries(
    Object.entries(complete).filter(([key]) => !keys.includes(key)),
  );

/** A production service component with these annotations. */
export function component(
  annotations: Record<string, string>,
  spec: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'x', ...spec },
  };
}
