// Test-only: a small organisation of two owner groups, evaluated at NOW with
// the real rules by InMemoryBackupApi.
import { Entity } from '@backstage/catalog-model';
import {
  BackupCoverage,
  BackupCoverageFigures,
  BackupPolicy,
  BackupTrendPoint,
  computeBackupFigures,
  DEFAULT_BACKUP_POLICY,
} from '@backup-assurance/plugin-backup-common';
import { DateTime } from 'luxon';
import { InMemoryBackupApi } from './InMemoryBackupApi';

export const NOW = new Date('2026-11-23T12:00:00Z');

export const PAYMENTS = 'group:default/payments';
export const SEARCH = 'group:default/search';

export const orgPolicy: BackupPolicy = {
  ...DEFAULT_BACKUP_POLICY,
  version: '2026.2',
  approvedBy: 'Chief Information Security Officer',
  approvedAt: '2026-09-15',
  exemptionApprovers: ['group:default/security-grc'],
};

const declared = {
  'backup-assurance.io/method': 'snapshot',
  'backup-assurance.io/frequency': 'P1D',
  'backup-assurance.io/retention': 'P35D',
  'backup-assurance.io/encryption': 'provider-managed',
  'backup-assurance.io/restore-test-evidence': 'https://t.example.com/OPS-1',
};

function entity(
  kind: 'Component' | 'Resource',
  name: string,
  owner: string,
  system: string,
  annotations: Record<string, string>,
  lifecycle = 'production',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle, owner, system },
  };
}

/** PII backups guarded like production, reviewed on 15 Oct 2026. */
const accessControlled = {
  'backup-assurance.io/backup-admins': 'group:default/backup-admins',
  'backup-assurance.io/deletion-protection': 'immutable',
  'backup-assurance.io/access-logging': 'tamper-evident',
  'backup-assurance.io/last-access-review': '2026-10-15',
  'backup-assurance.io/access-review-evidence': 'https://t.example.com/SEC-4',
};

/** Every required annotation, accountable to `owner`. */
const owned = (owner: string, classification: string, lastTest?: string) => ({
  ...declared,
  'backup-assurance.io/data-classification': classification,
  'backup-assurance.io/owner': owner,
  ...(lastTest ? { 'backup-assurance.io/last-restore-test': lastTest } : {}),
});

const system = (name: string, domain: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name, namespace: 'default' },
  spec: { owner: 'payments', domain },
});

/**
 * payments: compliant PII api, unencrypted PII database (non-compliant),
 * both with access-controlled backups,
 * overdue worker, exempt reports job whose exemption ends in 17 days.
 * search: never-tested api (overdue), index without annotations
 * (incomplete), experimental prototype (out of scope).
 */
export const orgEntities: Entity[] = [
  system('payments', 'commerce'),
  system('search', 'discovery'),
  entity('Component', 'payments-api', 'payments', 'payments', {
    ...owned(PAYMENTS, 'pii', '2026-10-01'),
    ...accessControlled,
    'backup-assurance.io/encryption': 'customer-managed',
  }),
  entity('Resource', 'payments-db', 'payments', 'payments', {
    ...owned(PAYMENTS, 'pii', '2026-10-01'),
    ...accessControlled,
    'backup-assurance.io/encryption': 'none',
  }),
  entity(
    'Component',
    'payments-worker',
    'payments',
    'payments',
    owned(PAYMENTS, 'internal', '2026-01-01'),
  ),
  entity('Component', 'payments-reports', 'payments', 'payments', {
    ...owned(PAYMENTS, 'internal'),
    'backup-assurance.io/exemption': 'Being retired',
    'backup-assurance.io/exemption-expires': '2026-12-10',
    'backup-assurance.io/exemption-approved-by': 'group:default/security-grc',
  }),
  entity(
    'Component',
    'search-api',
    'search',
    'search',
    owned(SEARCH, 'confidential'),
  ),
  entity('Resource', 'search-index', 'search', 'search', {
    'backup-assurance.io/method': 'snapshot',
  }),
  entity(
    'Component',
    'search-prototype',
    'search',
    'search',
    {},
    'experimental',
  ),
];

const coverage = (count: number, total: number): BackupCoverage => ({
  count,
  total,
  ratio: total === 0 ? null : count / total,
});

/**
 * A stored daily snapshot of one owner with the given coverage; without
 * `piiAccessControlled` it is one taken before access controls were modelled.
 */
function snapshot(
  day: string,
  owner: string,
  figures: Record<
    Exclude<keyof BackupCoverageFigures, 'piiAccessControlled'>,
    [number, number]
  > & { piiAccessControlled?: [number, number] },
): BackupTrendPoint {
  // the snapshot figures before access controls lacked this count
  const { piiWithoutAccessControl: _added, ...before } = computeBackupFigures(
    [],
    NOW,
  );
  const point: BackupTrendPoint = {
    ...before,
    day,
    owner,
    coverage: {
      validAnnotations: coverage(...figures.validAnnotations),
      restoreTestInPolicy: coverage(...figures.restoreTestInPolicy),
      piiEncrypted: coverage(...figures.piiEncrypted),
    },
  };
  if (figures.piiAccessControlled) {
    const [count, total] = figures.piiAccessControlled;
    point.coverage.piiAccessControlled = coverage(count, total);
    point.piiWithoutAccessControl = total - count;
  }
  return point;
}

/** `n` days before today (the chart asks for days before the real today). */
export const daysAgo = (n: number) =>
  DateTime.utc().minus({ days: n }).toISODate()!;

/**
 * Two days of snapshots. Org-wide, valid annotations go from 3/6 (50%) to
 * 4/7 (57%); an average of the owners' ratios would say 50% to 54%. The
 * older day predates access controls; on the newer one 1 of 2 PII entities
 * had access-controlled backups.
 */
export const orgTrendPoints = (): BackupTrendPoint[] => [
  snapshot(daysAgo(10), PAYMENTS, {
    validAnnotations: [2, 4],
    restoreTestInPolicy: [1, 4],
    piiEncrypted: [1, 2],
  }),
  snapshot(daysAgo(10), SEARCH, {
    validAnnotations: [1, 2],
    restoreTestInPolicy: [0, 2],
    piiEncrypted: [0, 0],
  }),
  snapshot(daysAgo(1), PAYMENTS, {
    validAnnotations: [3, 4],
    restoreTestInPolicy: [2, 4],
    piiEncrypted: [1, 2],
    piiAccessControlled: [1, 2],
  }),
  snapshot(daysAgo(1), SEARCH, {
    validAnnotations: [1, 3],
    restoreTestInPolicy: [0, 3],
    piiEncrypted: [0, 0],
    piiAccessControlled: [0, 0],
  }),
  // Outside the default 90 days: must not be asked for.
  snapshot(daysAgo(200), PAYMENTS, {
    validAnnotations: [0, 4],
    restoreTestInPolicy: [0, 4],
    piiEncrypted: [0, 2],
  }),
];

/** The backend double over the organisation, with its snapshots. */
export function orgBackupApi(): InMemoryBackupApi {
  const api = new InMemoryBackupApi(orgEntities, () => NOW, orgPolicy);
  api.trendPoints.push(...orgTrendPoints());
  return api;
}
