import {
  BackupEntityRow,
  BackupPolicy,
  EVIDENCE_LIMITS,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { Writable } from 'stream';
import { finished } from 'stream/promises';
import { EvidenceStore } from '../database/EvidenceStore';
import {
  CSV_HEADER,
  CSV_MANIFEST_TITLE,
  EvidencePackManifest,
  EvidencePackManifestBuilder,
  JSON_MANIFEST_KEY,
  manifestCsvRows,
} from './evidencePackManifest';

export type EvidencePackFormat = 'csv' | 'json';

/** Heap bytes of restore-test records one download holds at most. */
export const EXPORT_MEMORY_BUDGET_BYTES = 8 * 1024 * 1024;

/**
 * Characters of a restore-test record with every text at its limit: scope,
 * issues found, remediation and each validation note (long text), the
 * evidence URL, executor and external id, plus ids, refs, hashes and times.
 */
const MAX_RECORD_CHARS =
  EVIDENCE_LIMITS.longText * (3 + EVIDENCE_LIMITS.validationSteps) +
  EVIDENCE_LIMITS.url +
  EVIDENCE_LIMITS.shortText * 2 +
  2000;

/**
 * Worst-case heap bytes of one record of a batch: the driver's row and the
 * parsed record (2 bytes a character when a text is not Latin-1), and the
 * validation column as stored JSON, where an escaped control character
 * takes 6. Measured at the limits: 96 kB (ASCII), 189 kB (non-Latin-1),
 * 296 kB (control characters).
 */
export const WORST_CASE_RECORD_BYTES = MAX_RECORD_CHARS * 8;

/** Records per database read, so that a batch stays within the budget. */
export const batchRowsFor = (budgetBytes: number) =>
  Math.max(1, Math.floor(budgetBytes / WORST_CASE_RECORD_BYTES));

/** Characters gathered into one write: few writes, little held. */
const CHUNK_CHARS = 16 * 1024;

/** A client that has read nothing for this long is treated as gone. */
const STALL_TIMEOUT_MS = 5 * 60_000;

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

const POLICY_FIELDS = (policy: BackupPolicy): Array<[string, unknown]> => [
  ['version', policy.version],
  ['approvedBy', policy.approvedBy],
  ['approvedAt', policy.approvedAt],
  ['dueSoonWindow', JSON.stringify(policy.dueSoonWindow)],
  ['encryptionRequiredFor', policy.encryptionRequiredFor],
  ['accessControlRequiredFor', policy.accessControlRequiredFor],
  ['accessReviewInterval', JSON.stringify(policy.accessReviewInterval)],
  ['failureAcknowledgeWithin', JSON.stringify(policy.failureAcknowledgeWithin)],
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
  'sequence',
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
  'previous_hash',
  'hash',
];

const restoreTestCells = (r: RestoreTestRecord) => [
  r.id,
  r.entityRef,
  r.sequence,
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
  r.previousHash,
  r.hash,
];

export interface EvidencePackSource {
  format: EvidencePackFormat;
  policy: BackupPolicy;
  /** In-scope entities the caller may read. */
  register: BackupEntityRow[];
  /** Only restore tests of these entities are exported. */
  visibleEntityRefs: Set<string>;
  from: Date;
  to: Date;
  store: EvidenceStore;
  /** Default EXPORT_MEMORY_BUDGET_BYTES. */
  memoryBudgetBytes?: number;
  /** Default 5 minutes. */
  stallTimeoutMs?: number;
  /** The pack's generatedAt; default now. */
  now?: Date;
}

/** How a download ended, short of a server failure (which rejects). */
export type EvidencePackOutcome =
  | { status: 'complete'; manifest: EvidencePackManifest }
  | { status: 'cancelled' };

const CANCELLED: EvidencePackOutcome = { status: 'cancelled' };

/** A pack whose first records are read; nothing is sent yet. */
export interface EvidencePack {
  /**
   * Streams the pack at the client's pace. Resolves `cancelled` when the
   * client goes away (reads stop). On a failure after bytes were sent, `out`
   * is destroyed (an aborted transfer, no manifest) and the error rethrown.
   */
  writeTo(out: Writable): Promise<EvidencePackOutcome>;
}

/**
 * Reads the first batch of records before anything is sent, so that a
 * database that cannot answer becomes an error response, not a cut file.
 */
export async function openEvidencePack(
  source: EvidencePackSource,
): Promise<EvidencePack> {
  const batchRows = batchRowsFor(
    source.memoryBudgetBytes ?? EXPORT_MEMORY_BUDGET_BYTES,
  );
  const batches = source.store.restoreTestsCompletedBetween(
    source.from,
    source.to,
    batchRows,
  );
  const first = await batches.next();
  const records = visibleRecords(
    prepend(first, batches),
    source.visibleEntityRefs,
  );
  return { writeTo: out => writePack(source, records, out) };
}

/** The policy, the register and the restore tests of a period, streamed. */
export async function writeEvidencePack(
  input: EvidencePackSource & { out: Writable },
): Promise<EvidencePackOutcome> {
  return (await openEvidencePack(input)).writeTo(input.out);
}

async function* prepend<T>(
  first: IteratorResult<T>,
  rest: AsyncGenerator<T>,
): AsyncGenerator<T> {
  try {
    if (first.done) return;
    yield first.value;
    yield* rest;
  } finally {
    // closed early (a client gone), the store stops reading too
    await rest.return(undefined);
  }
}

async function* visibleRecords(
  batches: AsyncIterable<RestoreTestRecord[]>,
  visible: Set<string>,
): AsyncGenerator<RestoreTestRecord> {
  for await (const batch of batches) {
    for (const record of batch) {
      if (visible.has(record.entityRef)) yield record;
    }
  }
}

async function writePack(
  source: EvidencePackSource,
  records: AsyncGenerator<RestoreTestRecord>,
  out: Writable,
): Promise<EvidencePackOutcome> {
  const manifest = new EvidencePackManifestBuilder();
  const stallMs = source.stallTimeoutMs ?? STALL_TIMEOUT_MS;
  let sent = false;
  try {
    for await (const chunk of packChunks(source, records, manifest)) {
      // leaving the loop closes the generators, so the reads stop
      if (!(await send(out, chunk, stallMs))) return CANCELLED;
      sent = true;
    }
  } catch (error) {
    // once bytes are out, only an aborted transfer shows the file is cut
    if (sent) out.destroy();
    throw error;
  }
  return (await end(out))
    ? { status: 'complete', manifest: manifest.finish() }
    : CANCELLED;
}

async function* packChunks(
  source: EvidencePackSource,
  records: AsyncIterable<RestoreTestRecord>,
  manifest: EvidencePackManifestBuilder,
): AsyncGenerator<string> {
  const body =
    source.format === 'csv'
      ? csvBody(source, records, manifest)
      : jsonBody(source, records, manifest);
  for await (const chunk of coalesce(body)) yield manifest.hashed(chunk);
  const result = manifest.finish();
  yield source.format === 'csv'
    ? `\r\n${csvLine([CSV_MANIFEST_TITLE])}${manifestCsvRows(result)
        .map(csvLine)
        .join('')}`
    : `${JSON_MANIFEST_KEY}${JSON.stringify(result)}}`;
}

async function* coalesce(chunks: AsyncIterable<string>) {
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

async function* csvBody(
  { policy, register, from, to }: EvidencePackSource,
  records: AsyncIterable<RestoreTestRecord>,
  manifest: EvidencePackManifestBuilder,
): AsyncGenerator<string> {
  yield `${CSV_HEADER}\r\n`;
  for (const [key, value] of POLICY_FIELDS(policy)) {
    manifest.counts.policyFields++;
    yield csvLine(['policy', key, value]);
  }
  yield `\r\n${csvLine(['backup register'])}`;
  yield csvLine(REGISTER.map(([column]) => column));
  for (const entry of register) {
    manifest.counts.registerRows++;
    yield csvLine(REGISTER.map(([, cell]) => cell(entry)));
  }
  yield `\r\n${csvLine([
    'restore tests',
    from.toISOString(),
    to.toISOString(),
  ])}`;
  yield csvLine(RESTORE_TEST_COLUMNS);
  for await (const record of records) {
    manifest.addRestoreTest(record);
    yield csvLine(restoreTestCells(record));
  }
}

async function* jsonBody(
  { policy, register, from, to, now }: EvidencePackSource,
  records: AsyncIterable<RestoreTestRecord>,
  manifest: EvidencePackManifestBuilder,
): AsyncGenerator<string> {
  const policyJson = JSON.stringify(policy);
  // as a reader counts them: JSON drops undefined values
  manifest.counts.policyFields = Object.keys(JSON.parse(policyJson)).length;
  yield `{"generatedAt":${JSON.stringify(
    (now ?? new Date()).toISOString(),
  )},"period":${JSON.stringify({
    from: from.toISOString(),
    to: to.toISOString(),
  })},"policy":${policyJson},"register":[`;
  for (const [i, entry] of register.entries()) {
    manifest.counts.registerRows++;
    const object = Object.fromEntries(
      REGISTER.map(([column, cell]) => [column, cell(entry)]),
    );
    yield `${i ? ',' : ''}${JSON.stringify(object)}`;
  }
  yield '],"restoreTests":[';
  let first = true;
  for await (const record of records) {
    manifest.addRestoreTest(record);
    yield `${first ? '' : ','}${JSON.stringify(record)}`;
    first = false;
  }
  yield ']';
}

/** Writes a chunk, waiting while the client is slow; false once it is gone. */
async function send(out: Writable, chunk: string, stallMs: number) {
  if (out.destroyed || out.closed) return false;
  return out.write(chunk) || drained(out, stallMs);
}

/** True on drain; false when the client goes away or stalls. */
function drained(out: Writable, stallMs: number): Promise<boolean> {
  return new Promise(resolve => {
    // destroying emits 'close', which answers false
    const timer = setTimeout(() => out.destroy(), stallMs);
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    out.once('close', onClose);
    // 'drain' may be on compression's stream: only 'close' is removed
    out.once('drain', () => {
      clearTimeout(timer);
      out.off('close', onClose);
      resolve(true);
    });
  });
}

/** Ends the response; false when the client left before the last byte. */
async function end(out: Writable): Promise<boolean> {
  if (out.destroyed) return false;
  out.end();
  try {
    await finished(out);
    return true;
  } catch {
    return false;
  }
}
