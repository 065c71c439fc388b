import {
  BackupEntityRow,
  BackupPolicy,
  EVIDENCE_LIMITS,
  FOLLOW_UP_FAILURE_KINDS,
  FollowUpFailureKind,
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
import {
  columnsObject,
  FAILURE_COLUMNS,
  FOLLOW_UP_COLUMNS,
  PackColumns,
  PackFailure,
  packFailure,
  policyFields,
  REGISTER_COLUMNS,
  RESTORE_TEST_COLUMNS,
} from './evidencePackSections';

export type EvidencePackFormat = 'csv' | 'json';

/** Heap bytes of records one download holds at most. */
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

/** A follow-up at its limits: ticket URL, resolution, by, failure id, source, external id. */
const MAX_FOLLOW_UP_CHARS =
  EVIDENCE_LIMITS.url +
  EVIDENCE_LIMITS.longText +
  EVIDENCE_LIMITS.shortText * 4 +
  2000;

/** A backup-run report at its limits: message, source and external id. */
const MAX_BACKUP_RUN_CHARS =
  EVIDENCE_LIMITS.longText + EVIDENCE_LIMITS.shortText * 2 + 2000;

/** Worst-case heap bytes of a follow-up, counted as a restore test is. */
export const WORST_CASE_FOLLOW_UP_BYTES = MAX_FOLLOW_UP_CHARS * 8;

/**
 * Worst-case heap bytes of one failure of a batch: the failed record and
 * its first acknowledgement and first resolution.
 */
export const WORST_CASE_FAILURE_BYTES: Record<FollowUpFailureKind, number> = {
  'backup-run': MAX_BACKUP_RUN_CHARS * 8 + 2 * WORST_CASE_FOLLOW_UP_BYTES,
  'restore-test': WORST_CASE_RECORD_BYTES + 2 * WORST_CASE_FOLLOW_UP_BYTES,
};

/** Records per database read, so that a batch stays within the budget. */
export const batchRowsFor = (
  budgetBytes: number,
  recordBytes = WORST_CASE_RECORD_BYTES,
) => Math.max(1, Math.floor(budgetBytes / recordBytes));

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

export interface EvidencePackSource {
  format: EvidencePackFormat;
  policy: BackupPolicy;
  /** In-scope entities the caller may read. */
  register: BackupEntityRow[];
  /** Only records (restore tests, failures, follow-ups) of these entities are exported. */
  visibleEntityRefs: Set<string>;
  from: Date;
  to: Date;
  store: EvidenceStore;
  /** Default EXPORT_MEMORY_BUDGET_BYTES. */
  memoryBudgetBytes?: number;
  /** Default 5 minutes. */
  stallTimeoutMs?: number;
  /** The pack's generatedAt, when failures are judged; default now. */
  now?: Date;
}

/** The source, with the time the pack is generated at fixed. */
type PackSource = EvidencePackSource & { now: Date };

/** A section of records after the register, in the pack's order. */
interface RecordSection<T> {
  /** The CSV title line's first cell. */
  title: string;
  /** The JSON property. */
  key: string;
  columns: PackColumns<T>;
  /** The JSON value of a record. */
  json(record: T): unknown;
  /** Counts a record in the manifest. */
  count(manifest: EvidencePackManifestBuilder, record: T): void;
  records: AsyncIterable<T>;
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
 * The later sections are read when their turn comes.
 */
export async function openEvidencePack(
  input: EvidencePackSource,
): Promise<EvidencePack> {
  const source = { ...input, now: input.now ?? new Date() };
  const budget = source.memoryBudgetBytes ?? EXPORT_MEMORY_BUDGET_BYTES;
  const batches = source.store.restoreTestsCompletedBetween(
    source.from,
    source.to,
    batchRowsFor(budget),
  );
  const first = await batches.next();
  const restoreTests = visible(
    prepend(first, batches),
    source.visibleEntityRefs,
    record => record.entityRef,
  );
  const sections = recordSections(source, restoreTests, budget);
  return { writeTo: out => writePack(source, sections, out) };
}

/** The policy, the register and the records of a period, streamed. */
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

async function* visible<T>(
  batches: AsyncIterable<T[]>,
  entityRefs: Set<string>,
  entityOf: (item: T) => string,
): AsyncGenerator<T> {
  for await (const batch of batches) {
    for (const item of batch) {
      if (entityRefs.has(entityOf(item))) yield item;
    }
  }
}

/** Failed backup runs, then failed restore tests, judged at `now`. */
async function* failures(
  source: PackSource,
  budget: number,
): AsyncGenerator<PackFailure> {
  for (const kind of FOLLOW_UP_FAILURE_KINDS) {
    const batches = source.store.failuresBetween(
      kind,
      source.from,
      source.to,
      batchRowsFor(budget, WORST_CASE_FAILURE_BYTES[kind]),
    );
    const shown = visible(
      batches,
      source.visibleEntityRefs,
      failure => failure.record.entityRef,
    );
    for await (const failure of shown) {
      yield packFailure(
        failure,
        source.policy.failureAcknowledgeWithin,
        source.now,
      );
    }
  }
}

/**
 * The sections after the register. Their generators read nothing until
 * their section is written, and one batch at a time.
 */
function recordSections(
  source: PackSource,
  restoreTests: AsyncIterable<RestoreTestRecord>,
  budget: number,
): RecordSection<any>[] {
  const { from, to, store, visibleEntityRefs } = source;
  return [
    {
      title: 'restore tests',
      key: 'restoreTests',
      columns: RESTORE_TEST_COLUMNS,
      json: record => record,
      count: (manifest, record) => manifest.addRestoreTest(record),
      records: restoreTests,
    } satisfies RecordSection<RestoreTestRecord>,
    {
      title: 'failures',
      key: 'failures',
      columns: FAILURE_COLUMNS,
      json: failure => columnsObject(FAILURE_COLUMNS, failure),
      count: manifest => manifest.addFailure(),
      records: failures(source, budget),
    } satisfies RecordSection<PackFailure>,
    {
      title: 'follow-ups',
      key: 'followUps',
      columns: FOLLOW_UP_COLUMNS,
      json: record => record,
      count: (manifest, record) => manifest.addFollowUp(record),
      records: visible(
        store.followUpsOfFailuresBetween(
          from,
          to,
          batchRowsFor(budget, WORST_CASE_FOLLOW_UP_BYTES),
        ),
        visibleEntityRefs,
        record => record.entityRef,
      ),
    },
  ];
}

async function writePack(
  source: PackSource,
  sections: RecordSection<any>[],
  out: Writable,
): Promise<EvidencePackOutcome> {
  const manifest = new EvidencePackManifestBuilder();
  const send = senderTo(out, source.stallTimeoutMs ?? STALL_TIMEOUT_MS);
  let sent = false;
  try {
    for await (const chunk of packChunks(source, sections, manifest)) {
      // leaving the loop closes the generators, so the reads stop
      if (!(await send(chunk))) return CANCELLED;
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
  source: PackSource,
  sections: RecordSection<any>[],
  manifest: EvidencePackManifestBuilder,
): AsyncGenerator<string> {
  const body =
    source.format === 'csv'
      ? csvBody(source, sections, manifest)
      : jsonBody(source, sections, manifest);
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

/** The CSV title line of a section: the period, and for failures when they were judged. */
function csvTitle(
  { from, to, now }: PackSource,
  section: RecordSection<unknown>,
) {
  const cells = [section.title, from.toISOString(), to.toISOString()];
  if (section.key === 'failures') cells.push(`as of ${now.toISOString()}`);
  return `\r\n${csvLine(cells)}`;
}

async function* csvBody(
  source: PackSource,
  sections: RecordSection<any>[],
  manifest: EvidencePackManifestBuilder,
): AsyncGenerator<string> {
  yield `${CSV_HEADER}\r\n`;
  for (const [key, value] of policyFields(source.policy)) {
    manifest.counts.policyFields++;
    yield csvLine(['policy', key, value]);
  }
  yield `\r\n${csvLine(['backup register'])}`;
  yield csvLine(REGISTER_COLUMNS.map(([column]) => column));
  for (const entry of source.register) {
    manifest.counts.registerRows++;
    yield csvLine(REGISTER_COLUMNS.map(([, cell]) => cell(entry)));
  }
  for (const section of sections) {
    yield csvTitle(source, section);
    yield csvLine(section.columns.map(([column]) => column));
    for await (const record of section.records) {
      section.count(manifest, record);
      yield csvLine(section.columns.map(([, cell]) => cell(record)));
    }
  }
}

async function* jsonBody(
  { policy, register, from, to, now }: PackSource,
  sections: RecordSection<any>[],
  manifest: EvidencePackManifestBuilder,
): AsyncGenerator<string> {
  const policyJson = JSON.stringify(policy);
  // as a reader counts them: JSON drops undefined values
  manifest.counts.policyFields = Object.keys(JSON.parse(policyJson)).length;
  yield `{"generatedAt":${JSON.stringify(
    now.toISOString(),
  )},"period":${JSON.stringify({
    from: from.toISOString(),
    to: to.toISOString(),
  })},"policy":${policyJson},"register":[`;
  for (const [i, entry] of register.entries()) {
    manifest.counts.registerRows++;
    yield `${i ? ',' : ''}${JSON.stringify(
      columnsObject(REGISTER_COLUMNS, entry),
    )}`;
  }
  for (const section of sections) {
    yield `],${JSON.stringify(section.key)}:[`;
    let first = true;
    for await (const record of section.records) {
      section.count(manifest, record);
      yield `${first ? '' : ','}${JSON.stringify(section.json(record))}`;
      first = false;
    }
  }
  yield ']';
}

/** Writes a chunk, waiting while the client is slow; false once it is gone. */
/** Writes a chunk; resolves false when the client went away or stalled. */
type Sender = (chunk: string) => Promise<boolean>;

/**
 * A sender that waits for 'drain' when the client reads slower than the
 * pack is written. One 'drain' and one 'close' listener for the whole
 * download: compression's response routes 'drain' listeners to its zlib
 * stream, where a listener added per wait (even with once) is never
 * removed, so thousands piled up over a large pack.
 */
function senderTo(out: Writable, stallMs: number): Sender {
  let waiting: ((drained: boolean) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const settle = (drained: boolean) => {
    clearTimeout(timer);
    waiting?.(drained);
    waiting = undefined;
  };
  out.on('drain', () => settle(true));
  // destroying emits 'close', which answers false
  out.once('close', () => settle(false));
  return async chunk => {
    if (out.destroyed || out.closed) return false;
    if (out.write(chunk)) return true;
    return new Promise(resolve => {
      waiting = resolve;
      timer = setTimeout(() => out.destroy(), stallMs);
    });
  };
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
