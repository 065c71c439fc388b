/**
 * How each kind of evidence record maps to and from its table's rows, and
 * which of its fields the chain hash covers.
 */

import { InputError } from '@backstage/errors';
import {
  AccessReviewInput,
  AccessReviewRecord,
  BackupRunInput,
  BackupRunRecord,
  EvidenceRecordMeta,
  FollowUpInput,
  FollowUpRecord,
  RestoreTestInput,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { Knex } from 'knex';
import { RecordedBy } from './EvidenceStore';

export const RESTORE_TESTS = 'restore_tests';
export const BACKUP_RUNS = 'backup_runs';
export const ACCESS_REVIEWS = 'access_reviews';
export const FOLLOW_UPS = 'follow_ups';
export type EvidenceTable =
  | typeof RESTORE_TESTS
  | typeof BACKUP_RUNS
  | typeof ACCESS_REVIEWS
  | typeof FOLLOW_UPS;

export type Row = Record<string, any>;

/**
 * Rows per statement in a batch: bounds the bound parameters (PostgreSQL
 * allows 65535) and SQLite's compound SELECT that knex builds multi-row
 * inserts from (500 terms at most).
 */
const ROWS_PER_STATEMENT = 250;

export function chunks<T>(items: T[], size = ROWS_PER_STATEMENT): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

/** Timestamps come back as Date (PostgreSQL) or number/string (SQLite). */
export const toIso = (value: unknown): string =>
  new Date(value as any).toISOString();
export const toTime = (value: unknown): number =>
  new Date(value as any).getTime();
const toIsoOptional = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : toIso(value);
const orUndefined = <T>(value: T | null): T | undefined =>
  value === null ? undefined : value;
const toNumberOptional = (value: unknown): number | undefined =>
  value === null || value === undefined ? undefined : Number(value);

/** What every submission may carry besides its own fields. */
export interface Submission {
  source?: string;
  externalId?: string;
}

interface ChainPosition {
  id: string;
  sequence: number;
  previousHash: string;
}

/** The columns every evidence table has, read into a record's fields. */
function metaFromRow(row: Row): EvidenceRecordMeta {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    sequence: Number(row.sequence),
    source: row.source,
    externalId: orUndefined(row.external_id),
    recordedBy: row.recorded_by,
    recordedAt: toIso(row.recorded_at),
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

function metaToRow(record: EvidenceRecordMeta): Row {
  return {
    id: record.id,
    entity_ref: record.entityRef,
    sequence: record.sequence,
    source: record.source,
    external_id: record.externalId ?? null,
    recorded_by: record.recordedBy,
    recorded_at: new Date(record.recordedAt),
    previous_hash: record.previousHash,
    hash: record.hash,
  };
}

/** A new record's shared fields: its chain position, submitter and recorder. */
export function newRecordMeta(
  position: ChainPosition,
  meta: RecordedBy,
  input: Submission,
): EvidenceRecordMeta {
  return {
    ...position,
    entityRef: meta.entityRef,
    source: input.source ?? 'manual',
    externalId: input.externalId,
    recordedBy: meta.recordedBy,
    recordedAt: meta.recordedAt.toISOString(),
    hash: '',
  };
}

function restoreTestFields(input: RestoreTestInput) {
  const startedAt = new Date(input.startedAt);
  const completedAt = new Date(input.completedAt);
  return {
    startedAt: startedAt.toISOString(),
    completedAt: completedAt.toISOString(),
    result: input.result,
    scope: input.scope,
    recoveryPointAt: toIsoOptional(input.recoveryPointAt),
    restoreDurationSeconds:
      input.restoreDurationSeconds ??
      Math.round((completedAt.getTime() - startedAt.getTime()) / 1000),
    validation: input.validation.map(({ type, outcome, notes }) => ({
      type,
      outcome,
      ...(notes !== undefined ? { notes } : {}),
    })),
    executor: input.executor,
    evidenceUrl: input.evidenceUrl,
    issuesFound: input.issuesFound,
    remediation: input.remediation,
    supersedes: input.supersedes,
  };
}

export function restoreTestFromRow(row: Row): RestoreTestRecord {
  return {
    ...metaFromRow(row),
    startedAt: toIso(row.started_at),
    completedAt: toIso(row.completed_at),
    result: row.result,
    scope: row.scope,
    recoveryPointAt: toIsoOptional(row.recovery_point_at),
    restoreDurationSeconds: Number(row.restore_duration_seconds),
    validation: JSON.parse(row.validation),
    executor: row.executor,
    evidenceUrl: orUndefined(row.evidence_url),
    issuesFound: orUndefined(row.issues_found),
    remediation: orUndefined(row.remediation),
    supersedes: orUndefined(row.supersedes),
  };
}

function restoreTestToRow(record: RestoreTestRecord): Row {
  return {
    ...metaToRow(record),
    started_at: new Date(record.startedAt),
    completed_at: new Date(record.completedAt),
    result: record.result,
    scope: record.scope,
    recovery_point_at: record.recoveryPointAt
      ? new Date(record.recoveryPointAt)
      : null,
    restore_duration_seconds: record.restoreDurationSeconds,
    validation: JSON.stringify(record.validation),
    executor: record.executor,
    evidence_url: record.evidenceUrl ?? null,
    issues_found: record.issuesFound ?? null,
    remediation: record.remediation ?? null,
    supersedes: record.supersedes ?? null,
  };
}

/** Fields of a restore-test record that the chain hash covers. */
function restoreTestHashContent(record: RestoreTestRecord) {
  const { supersededBy: _derived, ...content } = record;
  return content;
}

/** A correction must name a restore test of the same entity. */
async function checkSupersedes(
  db: Knex,
  entityRef: string,
  inputs: RestoreTestInput[],
) {
  const named = [...new Set(inputs.flatMap(input => input.supersedes ?? []))];
  for (const ids of chunks(named)) {
    const found = await db(RESTORE_TESTS)
      .where({ entity_ref: entityRef })
      .whereIn('id', ids)
      .pluck('id');
    const missing = ids.find(id => !found.includes(id));
    if (missing !== undefined) {
      throw new InputError(
        `supersedes: no restore test ${missing} of ${entityRef}`,
      );
    }
  }
}

/** Adds `supersededBy` to each record that a later record corrects. */
export async function withSupersededBy(
  db: Knex,
  records: RestoreTestRecord[],
): Promise<RestoreTestRecord[]> {
  const supersededBy = new Map<string, string>();
  for (const ids of chunks(records.map(r => r.id))) {
    const corrections = await db(RESTORE_TESTS)
      .whereIn('supersedes', ids)
      .select('id', 'supersedes');
    corrections.forEach(c => supersededBy.set(c.supersedes, c.id));
  }
  return records.map(record =>
    supersededBy.has(record.id)
      ? { ...record, supersededBy: supersededBy.get(record.id) }
      : record,
  );
}

function backupRunFields(input: BackupRunInput) {
  return {
    runAt: new Date(input.runAt).toISOString(),
    outcome: input.outcome,
    sizeBytes: input.sizeBytes,
    durationSeconds: input.durationSeconds,
    message: input.message,
  };
}

function backupRunFromRow(row: Row): BackupRunRecord {
  return {
    ...metaFromRow(row),
    runAt: toIso(row.run_at),
    outcome: row.outcome,
    sizeBytes: toNumberOptional(row.size_bytes),
    durationSeconds: toNumberOptional(row.duration_seconds),
    message: orUndefined(row.message),
  };
}

function backupRunToRow(record: BackupRunRecord): Row {
  return {
    ...metaToRow(record),
    run_at: new Date(record.runAt),
    outcome: record.outcome,
    size_bytes: record.sizeBytes ?? null,
    duration_seconds: record.durationSeconds ?? null,
    message: record.message ?? null,
  };
}

function accessReviewFields(input: AccessReviewInput) {
  return {
    reviewedAt: new Date(input.reviewedAt).toISOString(),
    reviewer: input.reviewer,
    outcome: input.outcome,
    admins: input.admins,
    evidenceUrl: input.evidenceUrl,
    notes: input.notes,
  };
}

function accessReviewFromRow(row: Row): AccessReviewRecord {
  return {
    ...metaFromRow(row),
    reviewedAt: toIso(row.reviewed_at),
    reviewer: row.reviewer,
    outcome: row.outcome,
    admins: JSON.parse(row.admins),
    evidenceUrl: orUndefined(row.evidence_url),
    notes: orUndefined(row.notes),
  };
}

function accessReviewToRow(record: AccessReviewRecord): Row {
  return {
    ...metaToRow(record),
    reviewed_at: new Date(record.reviewedAt),
    reviewer: record.reviewer,
    outcome: record.outcome,
    admins: JSON.stringify(record.admins),
    evidence_url: record.evidenceUrl ?? null,
    notes: record.notes ?? null,
  };
}

function followUpFields(input: FollowUpInput) {
  return {
    failure: { kind: input.failure.kind, id: input.failure.id },
    action: input.action,
    ticketUrl: input.ticketUrl,
    resolution: input.resolution,
    at: new Date(input.at).toISOString(),
    by: input.by,
  };
}

function followUpFromRow(row: Row): FollowUpRecord {
  return {
    ...metaFromRow(row),
    failure: { kind: row.failure_kind, id: row.failure_id },
    action: row.action,
    ticketUrl: orUndefined(row.ticket_url),
    resolution: orUndefined(row.resolution),
    at: toIso(row.acted_at),
    by: orUndefined(row.acted_by),
  };
}

function followUpToRow(record: FollowUpRecord): Row {
  return {
    ...metaToRow(record),
    failure_kind: record.failure.kind,
    failure_id: record.failure.id,
    action: record.action,
    ticket_url: record.ticketUrl ?? null,
    resolution: record.resolution ?? null,
    acted_at: new Date(record.at),
    acted_by: record.by ?? null,
  };
}

/** Which stored records count as failed, per kind a follow-up may name. */
export const FAILED_RECORDS = {
  'backup-run': { table: BACKUP_RUNS, column: 'outcome', failed: ['failed'] },
  'restore-test': {
    table: RESTORE_TESTS,
    column: 'result',
    failed: ['failed', 'partial'],
  },
} as const;

/** A follow-up must name a failed record of the same entity. */
async function checkFailures(
  db: Knex,
  entityRef: string,
  inputs: FollowUpInput[],
) {
  for (const [kind, failed] of Object.entries(FAILED_RECORDS)) {
    const named = [
      ...new Set(
        inputs.flatMap(i => (i.failure.kind === kind ? [i.failure.id] : [])),
      ),
    ];
    for (const ids of chunks(named)) {
      const found = await db(failed.table)
        .where({ entity_ref: entityRef })
        .whereIn(failed.column, failed.failed)
        .whereIn('id', ids)
        .pluck('id');
      const missing = ids.find(id => !found.includes(id));
      if (missing !== undefined) {
        throw new InputError(
          `failure: no failed ${kind} ${missing} of ${entityRef}`,
        );
      }
    }
  }
}

/** How one kind of evidence is built, hashed, stored and read. */
export interface EvidenceKind<
  I extends Submission,
  R extends EvidenceRecordMeta,
> {
  table: EvidenceTable;
  /** The time that history and latest evidence rank by (then sequence). */
  rankedBy: string;
  fields(input: I): Omit<R, keyof EvidenceRecordMeta>;
  hashContent(record: R): { hash?: string };
  toRow(record: R): Row;
  fromRow(row: Row): R;
  /** Rejects submissions naming records they may not; in the write. */
  check?(db: Knex, entityRef: string, inputs: I[]): Promise<void>;
  /** Adds fields derived from later records to stored records. */
  derive?(db: Knex, records: R[]): Promise<R[]>;
}

export const RESTORE_TEST: EvidenceKind<RestoreTestInput, RestoreTestRecord> = {
  table: RESTORE_TESTS,
  rankedBy: 'completed_at',
  fields: restoreTestFields,
  hashContent: restoreTestHashContent,
  toRow: restoreTestToRow,
  fromRow: restoreTestFromRow,
  check: checkSupersedes,
  derive: withSupersededBy,
};

export const BACKUP_RUN: EvidenceKind<BackupRunInput, BackupRunRecord> = {
  table: BACKUP_RUNS,
  rankedBy: 'run_at',
  fields: backupRunFields,
  hashContent: record => record,
  toRow: backupRunToRow,
  fromRow: backupRunFromRow,
};

export const ACCESS_REVIEW: EvidenceKind<
  AccessReviewInput,
  AccessReviewRecord
> = {
  table: ACCESS_REVIEWS,
  rankedBy: 'reviewed_at',
  fields: accessReviewFields,
  hashContent: record => record,
  toRow: accessReviewToRow,
  fromRow: accessReviewFromRow,
};

export const FOLLOW_UP: EvidenceKind<FollowUpInput, FollowUpRecord> = {
  table: FOLLOW_UPS,
  rankedBy: 'acted_at',
  fields: followUpFields,
  hashContent: record => record,
  toRow: followUpToRow,
  fromRow: followUpFromRow,
  check: checkFailures,
};
