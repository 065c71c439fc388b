import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { ConfigReader } from '@backstage/config';
import {
  BackupEntityRow,
  BackupRunRecord,
  DEFAULT_BACKUP_POLICY,
  FollowUpRecord,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { createHash } from 'crypto';
import express from 'express';
import http from 'http';
import { AddressInfo } from 'net';
import { PassThrough, Writable } from 'stream';
import { readExportConfig } from '../config';
import { EvidenceStore, FollowedUpFailure } from '../database/EvidenceStore';
import { BackupOverviewService } from './BackupOverviewService';
import {
  batchRowsFor,
  EvidencePackFormat,
  EXPORT_MEMORY_BUDGET_BYTES,
  openEvidencePack,
  WORST_CASE_FAILURE_BYTES,
  WORST_CASE_FOLLOW_UP_BYTES,
  WORST_CASE_RECORD_BYTES,
  writeEvidencePack,
} from './evidencePack';
import { verifyEvidencePack } from './evidencePackManifest';
import { createExportLimiter, exportEvidencePack } from './exportRoute';
import { periodFromQuery } from './queryPeriod';

const ENTITY = 'component:default/payments-api';
const HIDDEN = 'component:default/secret-api';
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2026-02-01T00:00:00Z');

/** Text a careless writer or reader would break on. */
const TRICKY = [
  'line one\r\nline two',
  'a "quoted", comma',
  '=HYPERLINK("http://evil.example")',
  '\r\nmanifest\r\nsha256,0000',
  '","manifest":{"sha256":"0"}',
  'Zürich — 東京 €',
];

function record(i: number, entityRef = ENTITY, text = 'x'): RestoreTestRecord {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    entityRef,
    sequence: i + 1,
    previousHash: `prev-${i}`,
    hash: `hash-${i}`,
    source: 'ci',
    recordedBy: 'user:default/alice',
    recordedAt: '2026-01-02T00:00:00.000Z',
    startedAt: '2026-01-02T00:00:00.000Z',
    completedAt: '2026-01-02T01:00:00.000Z',
    result: 'succeeded',
    scope: `${TRICKY[i % TRICKY.length]} ${text}`,
    restoreDurationSeconds: 3600,
    validation: [{ type: 'integrity', outcome: 'passed', notes: text }],
    executor: 'Alice',
  };
}

const registerRow = {
  entityRef: ENTITY,
  kind: 'component',
  name: 'payments-api',
  owner: 'group:default/payments',
  status: 'compliant',
  dataClassification: 'pii',
  methods: ['pitr'],
  findings: [],
} as unknown as BackupEntityRow;

/** Failures and follow-ups a fake store serves besides restore tests. */
interface FakeFailures {
  failures?: FollowedUpFailure[];
  followUps?: FollowUpRecord[];
  /** Reading the failures fails. */
  broken?: boolean;
}

/**
 * A store serving records in the batch size asked for; it can fail after a
 * number of batches of restore tests, and it notes what it was asked.
 */
function fakeStore(
  records: RestoreTestRecord[],
  failAfterBatches = Infinity,
  { failures = [], followUps = [], broken = false }: FakeFailures = {},
) {
  const seen = {
    batchSizes: [] as number[],
    failureBatchSizes: {} as Record<string, number>,
    followUpBatchSize: 0,
    batchesRead: 0,
    closed: false,
  };
  async function* inBatches<T>(items: T[], batchSize: number) {
    if (broken) throw new Error('connection to the database lost');
    for (let at = 0; at < items.length; at += batchSize) {
      yield items.slice(at, at + batchSize);
    }
  }
  const store = {
    async *restoreTestsCompletedBetween(
      _from: Date,
      _to: Date,
      batchSize = 1000,
    ) {
      seen.batchSizes.push(batchSize);
      try {
        for (let at = 0; at < records.length; at += batchSize) {
          if (seen.batchesRead >= failAfterBatches) {
            throw new Error('connection to the database lost');
          }
          seen.batchesRead++;
          yield records.slice(at, at + batchSize);
        }
      } finally {
        seen.closed = true;
      }
    },
    failuresBetween(kind: string, _from: Date, _to: Date, batchSize = 100) {
      seen.failureBatchSizes[kind] = batchSize;
      return inBatches(
        failures.filter(f => f.kind === kind),
        batchSize,
      );
    },
    followUpsOfFailuresBetween(_from: Date, _to: Date, batchSize = 1000) {
      seen.followUpBatchSize = batchSize;
      return inBatches(followUps, batchSize);
    },
  } as unknown as EvidenceStore;
  return { store, seen };
}

const meta = (id: string, entityRef: string, sequence: number) => ({
  id,
  entityRef,
  sequence,
  previousHash: `prev-${id}`,
  hash: `hash-${id}`,
  source: 'manual',
  recordedBy: 'user:default/alice',
  recordedAt: '2026-01-20T00:00:00.000Z',
});

const failedRun = (id: string, runAt: string, entityRef = ENTITY) =>
  ({
    ...meta(id, entityRef, 1),
    runAt,
    outcome: 'failed',
    message: 'vault unreachable, "retry" failed',
  } as BackupRunRecord);

let followUpSequence = 0;
const followUpOf = (
  failure: FollowUpRecord['failure'],
  action: FollowUpRecord['action'],
  at: string,
  entityRef = ENTITY,
): FollowUpRecord => ({
  ...meta(`fu-${++followUpSequence}`, entityRef, followUpSequence),
  failure,
  action,
  at,
  ...(action === 'acknowledged'
    ? { ticketUrl: `https://tickets.example.com/OPS-${followUpSequence}` }
    : { resolution: 'expanded the vault', by: 'Bob Backup' }),
});

/**
 * One failure in each state of the acknowledgement window (policy: 1 day),
 * judged on 2026-01-20, and one of an entity the caller cannot see.
 */
function failuresInEveryState() {
  const resolvedRun = failedRun('run-1', '2026-01-05T02:00:00.000Z');
  const lateRun = failedRun('run-2', '2026-01-10T02:00:00.000Z');
  const hiddenRun = failedRun('run-3', '2026-01-10T02:00:00.000Z', HIDDEN);
  const overdueTest = {
    ...record(40),
    id: 'test-1',
    completedAt: '2026-01-15T00:00:00.000Z',
    result: 'failed',
    issuesFound: 'checksum mismatch',
    validation: [
      { type: 'integrity', outcome: 'failed' },
      { type: 'application', outcome: 'not-performed' },
    ],
  } as RestoreTestRecord;
  const openTest = {
    ...record(41),
    id: 'test-2',
    completedAt: '2026-01-19T12:00:00.000Z',
    result: 'partial',
  } as RestoreTestRecord;
  const ack = followUpOf(
    { kind: 'backup-run', id: 'run-1' },
    'acknowledged',
    '2026-01-05T08:00:00.000Z',
  );
  const resolution = followUpOf(
    { kind: 'backup-run', id: 'run-1' },
    'resolved',
    '2026-01-06T08:00:00.000Z',
  );
  const lateAck = followUpOf(
    { kind: 'backup-run', id: 'run-2' },
    'acknowledged',
    '2026-01-12T00:00:00.000Z',
  );
  const hiddenAck = followUpOf(
    { kind: 'backup-run', id: 'run-3' },
    'acknowledged',
    '2026-01-10T03:00:00.000Z',
    HIDDEN,
  );
  return {
    failures: [
      {
        kind: 'backup-run',
        record: resolvedRun,
        followUps: {
          acknowledged: ack,
          resolved: resolution,
          firstAt: ack.at,
        },
      },
      {
        kind: 'backup-run',
        record: lateRun,
        followUps: { acknowledged: lateAck, firstAt: lateAck.at },
      },
      {
        kind: 'backup-run',
        record: hiddenRun,
        followUps: { acknowledged: hiddenAck, firstAt: hiddenAck.at },
      },
      { kind: 'restore-test', record: overdueTest, followUps: {} },
      { kind: 'restore-test', record: openTest, followUps: {} },
    ] as FollowedUpFailure[],
    followUps: [ack, resolution, lateAck, hiddenAck],
  };
}

const JUDGED_AT = new Date('2026-01-20T00:00:00Z');

/** The CSV lines of a section, title and column line first. */
function csvSection(text: string, title: string) {
  const lines = text.split('\r\n');
  const start = lines.findIndex(line => line.startsWith(`${title},`));
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
}

function collector() {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

const source = (format: EvidencePackFormat, store: EvidenceStore) => ({
  format,
  policy: DEFAULT_BACKUP_POLICY,
  register: [registerRow],
  visibleEntityRefs: new Set([ENTITY]),
  from: FROM,
  to: TO,
  store,
  now: JUDGED_AT,
});

async function pack(
  format: EvidencePackFormat,
  records: RestoreTestRecord[],
  failures: FakeFailures = {},
) {
  const { out, text } = collector();
  const outcome = await writeEvidencePack({
    ...source(format, fakeStore(records, Infinity, failures).store),
    out,
  });
  return { outcome, text: text() };
}

const sha256 = (text: string) =>
  createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The pack as version 1 wrote it (no failures, no follow-ups), from a
 * version 2 pack: older packs must keep verifying.
 */
function asVersion1(format: EvidencePackFormat, text: string) {
  if (format === 'json') {
    const { failures, followUps, manifest, ...doc } = JSON.parse(text);
    const hashed = JSON.stringify(doc).slice(0, -1);
    const { failures: _f, followUps: _u, ...counts } = manifest.counts;
    const v1 = {
      version: 1,
      counts,
      chainHeads: manifest.chainHeads,
      sha256: sha256(hashed),
    };
    return `${hashed},"manifest":${JSON.stringify(v1)}}`;
  }
  const hashed = text.slice(0, text.indexOf('\r\nfailures,'));
  const manifest = verifyEvidencePack(text).counts;
  const heads = text
    .slice(text.lastIndexOf('\r\n\r\nmanifest\r\n'))
    .split('\r\n')
    .filter(line => line.startsWith('chain_head,'));
  expect(heads).toHaveLength(1);
  return `${hashed}\r\nmanifest\r\n${[
    'version,1',
    `policy_fields,${manifest.policyFields}`,
    `register_rows,${manifest.registerRows}`,
    `restore_tests,${manifest.restoreTests}`,
    ...heads,
    `sha256,${sha256(hashed)}`,
  ].join('\r\n')}\r\n`;
}

/** Every way of cutting or editing a pack that verification must catch. */
function damaged(text: string) {
  const at = text.indexOf('Alice');
  const edited = `${text.slice(0, at)}B${text.slice(at + 1)}`;
  return {
    'cut in half': text.slice(0, text.length / 2),
    'cut before the manifest': text.slice(0, text.lastIndexOf('manifest')),
    'last byte cut': text.slice(0, -1),
    'manifest cut': text.slice(0, -20),
    'one byte of a record edited': edited,
  };
}

describe('evidence pack', () => {
  const records = [
    ...Array.from({ length: 30 }, (_, i) => record(i)),
    record(30, HIDDEN),
  ];

  it.each(['csv', 'json'] as const)(
    'ends %s with a manifest that verifies, and catches cuts and edits',
    async format => {
      const { outcome, text } = await pack(
        format,
        records,
        failuresInEveryState(),
      );
      expect(outcome.status).toBe('complete');
      const result = verifyEvidencePack(text);
      expect(result).toEqual({
        valid: true,
        format,
        // none of an entity the caller cannot see
        counts: {
          policyFields: expect.any(Number),
          registerRows: 1,
          restoreTests: 30,
          failures: 4,
          followUps: 3,
        },
        problems: [],
      });
      expect(outcome).toMatchObject({
        manifest: {
          version: 2,
          counts: result.counts,
          chainHeads: [{ entityRef: ENTITY, sequence: 30, hash: 'hash-29' }],
          followUpChainHeads: [
            {
              entityRef: ENTITY,
              sequence: expect.any(Number),
              hash: expect.any(String),
            },
          ],
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      });
      for (const [damage, content] of Object.entries(damaged(text))) {
        const verdict = verifyEvidencePack(Buffer.from(content));
        expect({ damage, valid: verdict.valid }).toEqual({
          damage,
          valid: false,
        });
        expect(verdict.problems.length).toBeGreaterThan(0);
      }
    },
  );

  it('keeps the JSON pack valid JSON, with the manifest as its last property', async () => {
    const { text } = await pack('json', records);
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual([
      'generatedAt',
      'period',
      'policy',
      'register',
      'restoreTests',
      'failures',
      'followUps',
      'manifest',
    ]);
    expect(doc.restoreTests[4].scope).toMatch(/^","manifest":/);
  });

  it('states the exception process and who approved each exemption', async () => {
    const policy = {
      ...DEFAULT_BACKUP_POLICY,
      exemptionApprovers: ['group:default/security-grc'],
      maxExemption: { days: 180 },
    };
    const exempt = {
      ...registerRow,
      status: 'exempt',
      exemption: 'Decommissioned in Q1; data exported to the archive',
      exemptionExpires: '2026-03-31T00:00:00.000Z',
      exemptionApprovedBy: 'user:default/carol',
    } as BackupEntityRow;
    const write = async (format: EvidencePackFormat) => {
      const { out, text } = collector();
      await writeEvidencePack({
        ...source(format, fakeStore([]).store),
        policy,
        register: [exempt],
        out,
      });
      return text();
    };
    const csv = await write('csv');
    expect(csvSection(csv, 'policy')).toEqual(
      expect.arrayContaining([
        'policy,exemptionApprovers,group:default/security-grc',
        'policy,maxExemption,"{""days"":180}"',
      ]),
    );
    const lines = csv.split('\r\n');
    const [header, row] = lines.slice(lines.indexOf('backup register') + 1);
    const cells = Object.fromEntries(
      header.split(',').map((name, i) => [name, row.split(',')[i]]),
    );
    expect(cells).toMatchObject({
      status: 'exempt',
      exemption_expires: '2026-03-31T00:00:00.000Z',
      exemption_approved_by: 'user:default/carol',
    });
    const json = JSON.parse(await write('json'));
    expect(json.policy).toMatchObject({
      exemptionApprovers: ['group:default/security-grc'],
      maxExemption: { days: 180 },
    });
    expect(json.register[0]).toMatchObject({
      exemption_approved_by: 'user:default/carol',
    });
    expect(json.register[0].exemption_refused_because).toBeUndefined();
    const refused = {
      ...exempt,
      status: 'compliant',
      findings: [
        {
          code: 'exemption-too-long',
          severity: 'warning',
          message: 'Exemption runs past the 180 days the policy allows',
        },
      ],
    } as BackupEntityRow;
    const { out, text } = collector();
    await writeEvidencePack({
      ...source('json', fakeStore([]).store),
      register: [refused],
      out,
    });
    expect(JSON.parse(text()).register[0]).toMatchObject({
      exemption_refused_because:
        'Exemption runs past the 180 days the policy allows',
    });
  });

  it('lists each failure with its follow-up and where it stands against the acknowledgement window', async () => {
    const failures = failuresInEveryState();
    const json = JSON.parse((await pack('json', [], failures)).text);
    expect(json.failures).toEqual([
      {
        entity_ref: ENTITY,
        failure_kind: 'backup-run',
        failure_id: 'run-1',
        failed_at: '2026-01-05T02:00:00.000Z',
        result: 'failed',
        details: 'vault unreachable, "retry" failed',
        follow_up: 'resolved',
        ticket_url: failures.followUps[0].ticketUrl,
        acknowledged_by: 'user:default/alice',
        acknowledged_at: '2026-01-05T08:00:00.000Z',
        resolution: 'expanded the vault',
        resolved_by: 'Bob Backup',
        resolved_at: '2026-01-06T08:00:00.000Z',
        first_acknowledged_at: '2026-01-05T08:00:00.000Z',
        acknowledge_deadline: '2026-01-06T02:00:00.000Z',
        acknowledge_window: 'acknowledged in time',
      },
      expect.objectContaining({
        failure_id: 'run-2',
        follow_up: 'acknowledged',
        acknowledge_window: 'acknowledged late',
      }),
      {
        entity_ref: ENTITY,
        failure_kind: 'restore-test',
        failure_id: 'test-1',
        failed_at: '2026-01-15T00:00:00.000Z',
        result: 'failed',
        scope: expect.any(String),
        failed_validation: ['integrity'],
        details: 'checksum mismatch',
        follow_up: 'not acknowledged',
        acknowledge_deadline: '2026-01-16T00:00:00.000Z',
        acknowledge_window: 'overdue',
      },
      expect.objectContaining({
        failure_id: 'test-2',
        result: 'partial',
        follow_up: 'not acknowledged',
        acknowledge_window: 'open',
      }),
    ]);
    expect(json.followUps).toEqual(failures.followUps.slice(0, 3));

    const csv = (await pack('csv', [], failures)).text;
    const [title, columns, ...rows] = csvSection(csv, 'failures');
    expect(title).toBe(
      'failures,2026-01-01T00:00:00.000Z,2026-02-01T00:00:00.000Z,as of 2026-01-20T00:00:00.000Z',
    );
    expect(columns).toBe(
      'entity_ref,failure_kind,failure_id,failed_at,result,scope,failed_validation,details,follow_up,ticket_url,acknowledged_by,acknowledged_at,resolution,resolved_by,resolved_at,first_acknowledged_at,acknowledge_deadline,acknowledge_window',
    );
    expect(rows).toHaveLength(4);
    expect(rows[0]).toBe(
      `${ENTITY},backup-run,run-1,2026-01-05T02:00:00.000Z,failed,,,"vault unreachable, ""retry"" failed",resolved,${failures.followUps[0].ticketUrl},user:default/alice,2026-01-05T08:00:00.000Z,expanded the vault,Bob Backup,2026-01-06T08:00:00.000Z,2026-01-05T08:00:00.000Z,2026-01-06T02:00:00.000Z,acknowledged in time`,
    );
    expect(rows[2]).toMatch(
      /,restore-test,test-1,.*,integrity,checksum mismatch,not acknowledged,,,,,,,,2026-01-16T00:00:00\.000Z,overdue$/,
    );
    const [, followUpColumns, ...followUpRows] = csvSection(csv, 'follow-ups');
    expect(followUpColumns).toBe(
      'id,entity_ref,sequence,failure_kind,failure_id,action,at,by,ticket_url,resolution,source,recorded_by,recorded_at,previous_hash,hash',
    );
    expect(followUpRows.map(row => row.split(',')[0])).toEqual(
      failures.followUps.slice(0, 3).map(f => f.id),
    );
  });

  it.each(['csv', 'json'] as const)(
    'still verifies a %s pack of version 1, without failures and follow-ups',
    async format => {
      const { text } = await pack(format, records, failuresInEveryState());
      const v1 = asVersion1(format, text);
      expect(verifyEvidencePack(v1).problems).toEqual([]);
      expect(verifyEvidencePack(v1)).toMatchObject({
        valid: true,
        counts: { restoreTests: 30, failures: 0, followUps: 0 },
      });
      const edited = v1.replace('Alice', 'Blice');
      expect(verifyEvidencePack(edited).valid).toBe(false);
    },
  );

  it('names a manifest version it does not know', async () => {
    const { text } = await pack('json', records);
    const v3 = text.replace(
      /"manifest":\{"version":2,/,
      '"manifest":{"version":3,',
    );
    expect(v3).not.toBe(text);
    expect(verifyEvidencePack(v3)).toMatchObject({
      valid: false,
      problems: ['unknown manifest version 3'],
    });
  });

  it.each(['csv', 'json'] as const)(
    'catches an edited follow-up or failure in a %s pack',
    async format => {
      const { text } = await pack(format, [], failuresInEveryState());
      for (const [from, to] of [
        ['expanded the vault', 'expanded the vauIt'],
        ['overdue', 'open'],
        ['acknowledged late', 'acknowledged in time'],
      ]) {
        const edited = text.replace(from, to);
        expect(edited).not.toBe(text);
        expect({ from, valid: verifyEvidencePack(edited).valid }).toEqual({
          from,
          valid: false,
        });
      }
    },
  );

  it('reads the records in batches that fit the memory budget', async () => {
    const rows = batchRowsFor(EXPORT_MEMORY_BUDGET_BYTES);
    expect(rows * WORST_CASE_RECORD_BYTES).toBeLessThanOrEqual(
      EXPORT_MEMORY_BUDGET_BYTES,
    );
    expect(rows).toBeGreaterThanOrEqual(10);
    const { store, seen } = fakeStore(records);
    const { out } = collector();
    await writeEvidencePack({ ...source('csv', store), out });
    expect(seen.batchSizes).toEqual([rows]);
    for (const [kind, size] of Object.entries(seen.failureBatchSizes)) {
      const bytes =
        WORST_CASE_FAILURE_BYTES[kind as keyof typeof WORST_CASE_FAILURE_BYTES];
      expect(size * bytes).toBeLessThanOrEqual(EXPORT_MEMORY_BUDGET_BYTES);
      expect(size).toBeGreaterThanOrEqual(10);
    }
    expect(Object.keys(seen.failureBatchSizes)).toEqual([
      'backup-run',
      'restore-test',
    ]);
    expect(
      seen.followUpBatchSize * WORST_CASE_FOLLOW_UP_BYTES,
    ).toBeLessThanOrEqual(EXPORT_MEMORY_BUDGET_BYTES);
    expect(seen.followUpBatchSize).toBeGreaterThanOrEqual(100);
  });

  it('stops reading when the client goes away', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => record(i));
    const { store, seen } = fakeStore(many);
    let written = 0;
    const out = new Writable({
      write(chunk, _encoding, done) {
        written += chunk.length;
        // the client leaves after the first few chunks
        if (written > 50_000) out.destroy();
        done();
      },
    });
    const outcome = await writeEvidencePack({ ...source('csv', store), out });
    expect(outcome).toEqual({ status: 'cancelled' });
    expect(seen.closed).toBe(true);
    expect(seen.batchesRead).toBeLessThan(many.length / seen.batchSizes[0]);
  });

  it('waits for a slow client many times with one drain listener', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => record(i));
    let waits = 0;
    const out = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, done) {
        setImmediate(done); // a client slower than the pack
      },
    });
    out.on('drain', () => waits++);
    // compression moves 'drain' listeners onto its zlib stream, where a
    // listener added per wait is never removed: so count the additions
    const addOn = jest.spyOn(out, 'on');
    const addOnce = jest.spyOn(out, 'once');
    const outcome = await writeEvidencePack({
      ...source('csv', fakeStore(many).store),
      out,
    });
    expect(outcome.status).toBe('complete');
    const drainListeners = [...addOn.mock.calls, ...addOnce.mock.calls].filter(
      ([event]) => event === 'drain',
    );
    expect(waits).toBeGreaterThan(10);
    expect(drainListeners).toHaveLength(1);
  });

  it('gives up on a client that stops reading', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => record(i));
    const out = new Writable({ highWaterMark: 1024, write() {} });
    const outcome = await writeEvidencePack({
      ...source('json', fakeStore(many).store),
      stallTimeoutMs: 200,
      out,
    });
    expect(outcome).toEqual({ status: 'cancelled' });
    expect(out.destroyed).toBe(true);
  });

  it('fails before anything is sent when the first read fails', async () => {
    const { store } = fakeStore(records, 0);
    await expect(openEvidencePack(source('csv', store))).rejects.toThrow(
      'connection to the database lost',
    );
  });

  it('aborts the output without a manifest when a read fails midway', async () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      record(i, ENTITY, 'y'.repeat(2000)),
    );
    const { store } = fakeStore(many, 3);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', chunk => chunks.push(chunk));
    const written = writeEvidencePack({ ...source('csv', store), out });
    await expect(written).rejects.toThrow('connection to the database lost');
    expect(out.destroyed).toBe(true);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.length).toBeGreaterThan(0);
    expect(verifyEvidencePack(text)).toMatchObject({
      valid: false,
      problems: expect.arrayContaining([expect.stringMatching(/no manifest/)]),
    });
  });

  it.each(['csv', 'json'] as const)(
    'aborts the %s output without a manifest when reading the failures fails',
    async format => {
      // enough to have sent bytes before the failures are read
      const many = Array.from({ length: 50 }, (_, i) =>
        record(i, ENTITY, 'y'.repeat(2000)),
      );
      const { store } = fakeStore(many, Infinity, { broken: true });
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', chunk => chunks.push(chunk));
      const written = writeEvidencePack({ ...source(format, store), out });
      await expect(written).rejects.toThrow('connection to the database lost');
      expect(out.destroyed).toBe(true);
      const text = Buffer.concat(chunks).toString('utf8');
      expect(text).toContain('y'.repeat(2000));
      expect(verifyEvidencePack(text).valid).toBe(false);
    },
  );
});

describe('export route', () => {
  /** Just the route and Backstage's error handling, over a given store. */
  async function serve(store: EvidenceStore, maxConcurrentDownloads = 4) {
    const logger = mockServices.logger.mock();
    const auditor = mockServices.auditor.mock();
    const limiter = createExportLimiter({ maxConcurrentDownloads });
    const app = express();
    app.get('/export', async (req, res, next) => {
      try {
        await exportEvidencePack(req, res, mockCredentials.user(), {
          auditor,
          logger,
          limiter,
          permissions: mockServices.permissions(),
          policy: DEFAULT_BACKUP_POLICY,
          store,
          overview: {
            rows: async () => [registerRow],
          } as unknown as BackupOverviewService,
          period: query =>
            periodFromQuery(
              { from: '2026-01-01', to: '2026-01-31', ...query },
              365,
              new Date(),
            ),
        });
      } catch (error) {
        next(error);
      }
    });
    app.use(
      MiddlewareFactory.create({
        config: new ConfigReader({}),
        logger,
      }).error(),
    );
    const server = app.listen(0);
    await new Promise(resolve => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    return { server, port, logger, auditor };
  }

  /** The raw response: status, headers, body, and whether it was cut. */
  function download(port: number, query = '') {
    return new Promise<{
      status: number;
      headers: http.IncomingHttpHeaders;
      body: string;
      aborted: boolean;
    }>((resolve, reject) => {
      http
        .get(`http://127.0.0.1:${port}/export${query}`, res => {
          const chunks: Buffer[] = [];
          let aborted = false;
          res.on('data', chunk => chunks.push(chunk));
          res.on('aborted', () => {
            aborted = true;
          });
          res.on('error', () => {
            aborted = true;
          });
          res.on('close', () =>
            resolve({
              status: res.statusCode!,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
              aborted: aborted || !res.complete,
            }),
          );
        })
        .on('error', reject);
    });
  }

  it('answers a failure after the headers with an aborted transfer, logged once', async () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      record(i, ENTITY, 'y'.repeat(2000)),
    );
    const { server, port, logger, auditor } = await serve(
      fakeStore(many, 3).store,
    );
    try {
      const res = await download(port);
      expect(res.status).toBe(200);
      expect(res.aborted).toBe(true);
      expect(verifyEvidencePack(res.body).valid).toBe(false);
      expect(/\r\nsha256,[0-9a-f]{64}\r\n$/.test(res.body)).toBe(false);
      expect(logger.error).toHaveBeenCalledTimes(1);
      const event = await auditor.createEvent.mock.results[0].value;
      expect(event.fail).toHaveBeenCalledTimes(1);
      expect(event.success).not.toHaveBeenCalled();
    } finally {
      server.close();
    }
  });

  it('answers a failure of the first read with an error, not a file', async () => {
    const { server, port } = await serve(fakeStore([record(0)], 0).store);
    try {
      const res = await download(port);
      expect(res.status).toBe(500);
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(JSON.parse(res.body).error.message).toBe(
        'connection to the database lost',
      );
    } finally {
      server.close();
    }
  });

  it('turns away downloads beyond the cap with 429 and Retry-After', async () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      record(i, ENTITY, 'z'.repeat(2000)),
    );
    const { server, port } = await serve(fakeStore(many).store, 1);
    const held = http.get(`http://127.0.0.1:${port}/export`);
    try {
      const first = await new Promise<http.IncomingMessage>(resolve =>
        held.on('response', resolve),
      );
      first.pause();
      expect(first.statusCode).toBe(200);
      const turnedAway = await download(port, '?format=json');
      expect(turnedAway.status).toBe(429);
      expect(turnedAway.headers['retry-after']).toBe('30');
      expect(JSON.parse(turnedAway.body)).toMatchObject({
        error: {
          name: 'TooManyRequestsError',
          message: expect.stringMatching(/^Too many evidence-pack downloads/),
        },
        response: { statusCode: 429 },
      });
      held.destroy();
      // the slot is freed once the server sees the client leave
      let next = await download(port, '?format=json');
      for (let i = 0; next.status === 429 && i < 50; i++) {
        await new Promise(r => setTimeout(r, 100));
        next = await download(port, '?format=json');
      }
      expect(next.status).toBe(200);
      expect(verifyEvidencePack(next.body).valid).toBe(true);
    } finally {
      held.destroy();
      server.close();
    }
  });

  it('rejects an unknown format and a day that does not exist before anything is sent', async () => {
    const { server, port } = await serve(fakeStore([]).store);
    try {
      const res = await download(port, '?format=xml');
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error.message).toBe(
        'format must be csv or json',
      );
      const day = await download(port, '?from=2026-01-32');
      expect(day.status).toBe(400);
      expect(day.headers['content-disposition']).toBeUndefined();
      expect(JSON.parse(day.body).error.message).toBe(
        'from is not a real calendar day from 1970 on (YYYY-MM-DD)',
      );
    } finally {
      server.close();
    }
  });
});

describe('readExportConfig', () => {
  const read = (value?: unknown) =>
    readExportConfig(
      new ConfigReader(
        value === undefined
          ? {}
          : { backup: { export: { maxConcurrentDownloads: value } } },
      ),
    );

  it('defaults to 4 concurrent downloads', () => {
    expect(read()).toEqual({ maxConcurrentDownloads: 4 });
    expect(read(10)).toEqual({ maxConcurrentDownloads: 10 });
  });

  it.each([0, -1, 2.5, 101, 'many'])(
    'fails start-up on %p, naming the key',
    value => {
      expect(() => read(value)).toThrow(
        /^Invalid config at 'backup\.export\.maxConcurrentDownloads': .*expected a whole number from 1 to 100$/,
      );
    },
  );
});
