import {
  BackupEntityRow,
  BackupPolicy,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { Writable } from 'stream';
import { once } from 'events';
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

async function write(out: Writable, chunk: string) {
  if (!out.write(chunk)) await once(out, 'drain');
}

const POLICY_FIELDS = (policy: BackupPolicy): Array<[string, unknown]> => [
  ['version', policy.version],
  ['approvedBy', policy.approvedBy],
  ['approvedAt', policy.approvedAt],
  ['dueSoonWindow', JSON.stringify(policy.dueSoonWindow)],
  ['encryptionRequiredFor', policy.encryptionRequiredFor],
  ['requiredAnnotations', policy.requiredAnnotations],
  ...Object.entries(policy.restoreTestInterval).map(
    ([classification, interval]): [string, unknown] => [
      `restoreTestInterval.${classification}`,
      JSON.stringify(interval),
    ],
  ),
];

const REGISTER_COLUMNS = [
  'entity_ref',
  'kind',
  'owner',
  'backup_owner',
  'system',
  'data_classification',
  'methods',
  'locations',
  'encryption',
  'provider',
  'status',
  'last_restore_test',
  'next_restore_test_due',
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
  const { format, policy, register, visibleEntityRefs, from, to, store, out } =
    input;
  const registerCells = (row: BackupEntityRow) => [
    row.entityRef,
    row.kind,
    row.owner,
    row.backupOwner,
    row.system,
    row.dataClassification,
    row.methods,
    row.locations,
    row.encryption,
    row.provider,
    row.status,
    row.lastRestoreTest,
    row.nextRestoreTestDue,
  ];

  if (format === 'csv') {
    await write(out, csvLine(['section', 'key', 'value']));
    for (const [key, value] of POLICY_FIELDS(policy)) {
      await write(out, csvLine(['policy', key, value]));
    }
    await write(out, `\r\n${csvLine(['backup register'])}`);
    await write(out, csvLine(REGISTER_COLUMNS));
    for (const entry of register) {
      await write(out, csvLine(registerCells(entry)));
    }
    await write(
      out,
      `\r\n${csvLine(['restore tests', from.toISOString(), to.toISOString()])}`,
    );
    await write(out, csvLine(RESTORE_TEST_COLUMNS));
  } else {
    await write(
      out,
      `{"generatedAt":${JSON.stringify(
        new Date().toISOString(),
      )},"period":${JSON.stringify({
        from: from.toISOString(),
        to: to.toISOString(),
      })},"policy":${JSON.stringify(policy)},"register":[`,
    );
    for (const [i, entry] of register.entries()) {
      const object = Object.fromEntries(
        REGISTER_COLUMNS.map((column, c) => [column, registerCells(entry)[c]]),
      );
      await write(out, `${i ? ',' : ''}${JSON.stringify(object)}`);
    }
    await write(out, '],"restoreTests":[');
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
      await write(out, chunk);
    }
  }
  if (format === 'json') await write(out, ']}');
  out.end();
}
