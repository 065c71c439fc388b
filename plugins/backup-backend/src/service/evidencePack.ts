import {
  BackupEntityRow,
  BackupPolicy,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { Readable, Writable } from 'stream';
import { pipeline } from 'stream/promises';
import { EvidenceStore } from '../database/EvidenceStore';

export type EvidencePackFormat = 'csv' | 'json';

/**
 * A CSV cell: quoted when needed, and defused when a spreadsheet would read
 * it as a formula (OWASP: prefix =, +, -, @, tab and carriage return).
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = Array.isArray(value) ? value.join('; ') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

interface EvidencePackInput {
  format: EvidencePackFormat;
  policy: BackupPolicy;
  /** In-scope entities the caller may read. */
  register: BackupEntityRow[];
  /** Only restore tests of these entities are exported. */
  visibleEntityRefs: Set<string>;
  from: Date;
  to: Date;
  store: EvidenceStore;
  out: Writable;
}

const POLICY_FIELDS = (policy: BackupPolicy): Array<[string, unknown]> => [
  ['version', policy.version],
  ['approvedBy', policy.approvedBy],
  ['approvedAt', policy.approvedAt],
  ['dueSoonWindow', JSON.stringify(policy.dueSoonWindow)],
  ['encryptionRequiredFor', policy.encryptionRequiredFor],
  ['accessControlRequiredFor', policy.accessControlRequiredFor],
  ['accessReviewInterval', JSON.stringify(policy.accessReviewInterval)],
  ['requiredAnnotations', policy.requiredAnnotations],
  ...Object.entries(policy.restoreTestInterval).map(
    ([classification, interval]): [string, unknown] => [
      `restoreTestInterval.${classification}`,
      JSON.stringify(interval),
    ],
  ),
];

/** The backup register: one column per fact an auditor asks about. */
const REGISTER: Array<[string, (row: BackupEntityRow) => unknown]> = [
  ['entity_ref', row => row.entityRef],
  ['kind', row => row.kind],
  ['owner', row => row.owner],
  ['backup_owner', row => row.backupOwner],
  ['system', row => row.system],
  ['data_classification', row => row.dataClassification],
  ['methods', row => row.methods],
  ['locations', row => row.locations],
  ['encryption', row => row.encryption],
  ['provider', row => row.provider],
  ['backup_admins', row => row.backupAdmins],
  ['deletion_protection', row => row.deletionProtection],
  ['access_logging', row => row.accessLogging],
  ['last_access_review', row => row.lastAccessReview],
  ['access_review_evidence', row => row.accessReviewEvidence],
  ['status', row => row.status],
  ['last_restore_test', row => row.lastRestoreTest],
  ['next_restore_test_due', row => row.nextRestoreTestDue],
];

const RESTORE_TEST_COLUMNS = [
  'id',
  'entity_ref',
  'started_at',
  'completed_at',
  'result',
  'scope',
  'recovery_point_at',
  'restore_duration_seconds',
  'validation',
  'executor',
  'evidence_url',
  'issues_found',
  'remediation',
  'source',
  'recorded_by',
  'recorded_at',
  'supersedes',
  'hash',
];

const restoreTestCells = (r: RestoreTestRecord) => [
  r.id,
  r.entityRef,
  r.startedAt,
  r.completedAt,
  r.result,
  r.scope,
  r.recoveryPointAt,
  r.restoreDurationSeconds,
  r.validation.map(v => `${v.type}: ${v.outcome}`),
  r.executor,
  r.evidenceUrl,
  r.issuesFound,
  r.remediation,
  r.source,
  r.recordedBy,
  r.recordedAt,
  r.supersedes,
  r.hash,
];

/**
 * Streams the evidence pack: the policy, the backup register and the
 * restore-test records of a period. Records are read in batches and written
 * as they come, so memory stays flat however many there are.
 */
export async function writeEvidencePack(input: EvidencePackInput) {
  // pipeline() applies the response's backpressure to the generator
  await pipeline(Readable.from(evidencePackChunks(input)), input.out);
}

async function* evidencePackChunks(
  input: Omit<EvidencePackInput, 'out'>,
): AsyncGenerator<string> {
  const { format, policy, register, visibleEntityRefs, from, to, store } =
    input;

  if (format === 'csv') {
    yield csvLine(['section', 'key', 'value']);
    for (const [key, value] of POLICY_FIELDS(policy)) {
      yield csvLine(['policy', key, value]);
    }
    yield `\r\n${csvLine(['backup register'])}`;
    yield csvLine(REGISTER.map(([column]) => column));
    for (const entry of register) {
      yield csvLine(REGISTER.map(([, cell]) => cell(entry)));
    }
    yield `\r\n${csvLine([
      'restore tests',
      from.toISOString(),
      to.toISOString(),
    ])}`;
    yield csvLine(RESTORE_TEST_COLUMNS);
  } else {
    yield `{"generatedAt":${JSON.stringify(
      new Date().toISOString(),
    )},"period":${JSON.stringify({
      from: from.toISOString(),
      to: to.toISOString(),
    })},"policy":${JSON.stringify(policy)},"register":[`;
    for (const [i, entry] of register.entries()) {
      const object = Object.fromEntries(
        REGISTER.map(([column, cell]) => [column, cell(entry)]),
      );
      yield `${i ? ',' : ''}${JSON.stringify(object)}`;
    }
    yield '],"restoreTests":[';
  }

  let first = true;
  for await (const batch of store.restoreTestsCompletedBetween(from, to)) {
    for (const record of batch) {
      if (!visibleEntityRefs.has(record.entityRef)) continue;
      const chunk =
        format === 'csv'
          ? csvLine(restoreTestCells(record))
          : `${first ? '' : ','}${JSON.stringify(record)}`;
      first = false;
      yield chunk;
    }
  }
  if (format === 'json') yield ']}';
}
