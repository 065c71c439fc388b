import { DateTime } from 'luxon';
import {
  AccessLoggingLevel,
  BackupMethod,
  DataClassification,
  DeletionProtection,
  EncryptionLevel,
} from './annotations';
import { BackupEvaluation } from './evaluate';
import { BACKUP_STATUS_PRECEDENCE, BackupStatus } from './status';

/**
 * Filters of the org-wide views; every one is optional and they combine.
 *
 * @public
 */
export interface BackupOverviewFilters {
  /** Entity ref of the owning group or user (catalog `spec.owner`). */
  owner?: string;
  /** Entity ref of the system the entity is part of. */
  system?: string;
  /** Entity ref of the domain of that system. */
  domain?: string;
  /** `component` or `resource`. */
  kind?: string;
  classification?: DataClassification;
  status?: BackupStatus;
}

/** @public */
export const BACKUP_OVERVIEW_SORTS = [
  'most-overdue',
  'name',
  'status',
] as const;
/** @public */
export type BackupOverviewSort = (typeof BACKUP_OVERVIEW_SORTS)[number];

/** Classifications that hold personal data. @public */
export const PII_CLASSIFICATIONS: readonly DataClassification[] = [
  'pii',
  'sensitive-pii',
];

/** How long ahead an expiring exemption is reported. @public */
export const EXEMPTION_WARNING_DAYS = 30;

/**
 * One evaluated entity with the catalog facts the org-wide views group by.
 *
 * @public
 */
export interface BackupEntityRow {
  entityRef: string;
  kind: string;
  name: string;
  title?: string;
  owner?: string;
  system?: string;
  domain?: string;
  status: BackupStatus;
  dataClassification?: DataClassification;
  /** Register facts from the annotations, for the evidence pack. */
  methods?: BackupMethod[];
  locations?: string[];
  encryption?: EncryptionLevel;
  provider?: string;
  /** The accountable owner named by the backup annotation. */
  backupOwner?: string;
  /** Who can delete backups or disable backup jobs, and how that is guarded. */
  backupAdmins?: string[];
  deletionProtection?: DeletionProtection;
  accessLogging?: AccessLoggingLevel;
  /** The newer of the annotated and the recorded access review. */
  lastAccessReview?: string;
  accessReviewEvidence?: string;
  lastRestoreTest: string | null;
  nextRestoreTestDue: string | null;
  /** Whole days past the due date; null when not overdue or never tested. */
  daysOverdue: number | null;
  /** The exemption as declared; the status says whether it is honoured. */
  exemption?: string;
  exemptionExpires?: string;
  exemptionApprovedBy?: string;
  findings: BackupEvaluation['findings'];
}

/** @public */
export interface BackupEntityPage {
  items: BackupEntityRow[];
  totalCount: number;
  limit: number;
  offset: number;
}

/** `count` of `total`; ratio is null when there is nothing to measure. @public */
export interface BackupCoverage {
  count: number;
  total: number;
  ratio: number | null;
}

/** @public */
export interface BackupCoverageFigures {
  /** In-scope entities: how many carry every required annotation, validly. */
  validAnnotations: BackupCoverage;
  /** In-scope entities with a restore test inside the policy's interval. */
  restoreTestInPolicy: BackupCoverage;
  /** In-scope entities holding PII: how many have encrypted backups. */
  piiEncrypted: BackupCoverage;
  /**
   * In-scope entities holding PII: how many have backups access-controlled
   * like production (named administrators, deletion protection, access
   * logging, an access review inside the policy's interval).
   */
  piiAccessControlled?: BackupCoverage;
}

/** Figures for one set of entities (the whole filter, an owner, a system). @public */
export interface BackupFigures {
  total: number;
  inScope: number;
  counts: Record<BackupStatus, number>;
  coverage: BackupCoverageFigures;
  overdue: number;
  nonCompliant: number;
  piiWithoutEncryption: number;
  /** Absent from snapshots taken before access controls were modelled. */
  piiWithoutAccessControl?: number;
  exemptionsExpiringSoon: number;
}

/** @public */
export interface BackupSummaryGroup extends BackupFigures {
  /** Owner or system entity ref; `none` for entities without one. */
  key: string;
}

/**
 * `GET /summary`: the figures for the filtered entities, broken down by owner
 * and by system, with the policy they were measured against.
 *
 * @public
 */
export interface BackupSummary extends BackupFigures {
  policy: { version: string; approvedBy?: string; approvedAt?: string };
  filters: BackupOverviewFilters;
  byOwner: BackupSummaryGroup[];
  bySystem: BackupSummaryGroup[];
  generatedAt: string;
}

/** One day's figures of one owner, as the daily snapshot stores them. @public */
export interface BackupTrendPoint extends BackupFigures {
  day: string;
  owner: string;
}

/** `GET /trends`. @public */
export interface BackupTrends {
  from: string;
  to: string;
  points: BackupTrendPoint[];
}

const ratio = (count: number, total: number): BackupCoverage => ({
  count,
  total,
  ratio: total === 0 ? null : count / total,
});

const emptyCounts = (): Record<BackupStatus, number> =>
  Object.fromEntries(BACKUP_STATUS_PRECEDENCE.map(s => [s, 0])) as Record<
    BackupStatus,
    number
  >;

const ANNOTATION_GAPS = new Set([
  'annotation-invalid',
  'annotation-missing',
  'encryption-undeclared',
  'access-control-undeclared',
]);
const UNENCRYPTED = new Set(['encryption-required', 'encryption-undeclared']);
const ACCESS_CONTROL_GAPS = new Set([
  'access-control-undeclared',
  'deletion-protection-required',
  'access-logging-required',
  'access-review-missing',
  'access-review-overdue',
  'access-review-in-future',
]);

/**
 * The figures of a set of evaluated entities at `now`. Pure, so the backend's
 * summary, the daily snapshot and any client compute them the same way.
 *
 * @public
 */
export function computeBackupFigures(
  rows: BackupEntityRow[],
  now: Date,
): BackupFigures {
  const at = DateTime.fromJSDate(now, { zone: 'utc' });
  const warnUntil = at.plus({ days: EXEMPTION_WARNING_DAYS });
  const counts = emptyCounts();
  let inScope = 0;
  let validAnnotations = 0;
  let testedInPolicy = 0;
  let pii = 0;
  let piiEncrypted = 0;
  let piiAccessControlled = 0;
  let expiringSoon = 0;
  for (const row of rows) {
    counts[row.status] += 1;
    if (row.status === 'out-of-scope') continue;
    inScope += 1;
    const codes = new Set(row.findings.map(f => f.code));
    if (![...codes].some(code => ANNOTATION_GAPS.has(code))) {
      validAnnotations += 1;
    }
    if (
      row.nextRestoreTestDue &&
      Date.parse(row.nextRestoreTestDue) > now.getTime()
    ) {
      testedInPolicy += 1;
    }
    if (
      row.dataClassification &&
      PII_CLASSIFICATIONS.includes(row.dataClassification)
    ) {
      pii += 1;
      if (![...codes].some(code => UNENCRYPTED.has(code))) piiEncrypted += 1;
      if (![...codes].some(code => ACCESS_CONTROL_GAPS.has(code))) {
        piiAccessControlled += 1;
      }
    }
    if (row.exemptionExpires) {
      const expires = DateTime.fromISO(row.exemptionExpires, { zone: 'utc' });
      if (expires > at && expires <= warnUntil) expiringSoon += 1;
    }
  }
  return {
    total: rows.length,
    inScope,
    counts,
    coverage: {
      validAnnotations: ratio(validAnnotations, inScope),
      restoreTestInPolicy: ratio(testedInPolicy, inScope),
      piiEncrypted: ratio(piiEncrypted, pii),
      piiAccessControlled: ratio(piiAccessControlled, pii),
    },
    overdue: counts.overdue,
    nonCompliant: counts['non-compliant'],
    piiWithoutEncryption: pii - piiEncrypted,
    piiWithoutAccessControl: pii - piiAccessControlled,
    exemptionsExpiringSoon: expiringSoon,
  };
}

/** Figures per value of `keyOf` (owner, system), largest group first. @public */
export function groupBackupFigures(
  rows: BackupEntityRow[],
  keyOf: (row: BackupEntityRow) => string | undefined,
  now: Date,
): BackupSummaryGroup[] {
  const groups = new Map<string, BackupEntityRow[]>();
  for (const row of rows) {
    const key = keyOf(row) ?? 'none';
    const members = groups.get(key);
    if (members) members.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.entries()]
    .map(([key, members]) => ({ key, ...computeBackupFigures(members, now) }))
    .sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
}

/** Whether a row passes every given filter. @public */
export function matchesBackupFilters(
  row: BackupEntityRow,
  filters: BackupOverviewFilters,
): boolean {
  return (
    (!filters.owner || row.owner === filters.owner) &&
    (!filters.system || row.system === filters.system) &&
    (!filters.domain || row.domain === filters.domain) &&
    (!filters.kind || row.kind === filters.kind.toLocaleLowerCase('en-US')) &&
    (!filters.classification ||
      row.dataClassification === filters.classification) &&
    (!filters.status || row.status === filters.status)
  );
}

const precedence = (status: BackupStatus) =>
  BACKUP_STATUS_PRECEDENCE.indexOf(status);

/** The order of entity refs in lists: localeCompare's, with one collator. */
const NAME_ORDER = new Intl.Collator();

/**
 * Orders rows for the entity list. `most-overdue`: never tested first, then
 * the longest overdue, then by due date, then by how serious the status is.
 *
 * @public
 */
export function sortBackupRows(
  rows: BackupEntityRow[],
  sort: BackupOverviewSort,
): BackupEntityRow[] {
  const due = (row: BackupEntityRow) => {
    if (row.status === 'out-of-scope' || row.status === 'exempt') {
      return Number.POSITIVE_INFINITY;
    }
    return row.nextRestoreTestDue === null
      ? Number.NEGATIVE_INFINITY
      : Date.parse(row.nextRestoreTestDue);
  };
  // keys computed once per row, not once per comparison: thousands of rows
  const keyed = rows.map(row => ({
    row,
    due: due(row),
    precedence: precedence(row.status),
  }));
  type Keyed = (typeof keyed)[number];
  const byName = (a: Keyed, b: Keyed) =>
    NAME_ORDER.compare(a.row.entityRef, b.row.entityRef);
  const compare: Record<BackupOverviewSort, (a: Keyed, b: Keyed) => number> = {
    'most-overdue': (a, b) =>
      a.due - b.due || a.precedence - b.precedence || byName(a, b),
    name: byName,
    status: (a, b) => a.precedence - b.precedence || byName(a, b),
  };
  return keyed.sort(compare[sort]).map(({ row }) => row);
}
