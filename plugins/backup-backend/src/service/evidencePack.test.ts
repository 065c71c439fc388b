import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { ConfigReader } from '@backstage/config';
import {
  BackupEntityRow,
  DEFAULT_BACKUP_POLICY,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import express from 'express';
import http from 'http';
import { AddressInfo } from 'net';
import { PassThrough, Writable } from 'stream';
import { readExportConfig } from '../config';
import { EvidenceStore } from '../database/EvidenceStore';
import { BackupOverviewService } from './BackupOverviewService';
import {
  batchRowsFor,
  EvidencePackFormat,
  EXPORT_MEMORY_BUDGET_BYTES,
  openEvidencePack,
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

/**
 * A store serving records in the batch size asked for; it can fail after a
 * number of batches, and it notes what it was asked.
 */
function fakeStore(records: RestoreTestRecord[], failAfterBatches = Infinity) {
  const seen = { batchSizes: [] as number[], batchesRead: 0, closed: false };
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
  } as unknown as EvidenceStore;
  return { store, seen };
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
});

async function pack(format: EvidencePackFormat, records: RestoreTestRecord[]) {
  const { out, text } = collector();
  const outcome = await writeEvidencePack({
    ...source(format, fakeStore(records).store),
    out,
  });
  return { outcome, text: text() };
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
      const { outcome, text } = await pack(format, records);
      expect(outcome.status).toBe('complete');
      const result = verifyEvidencePack(text);
      expect(result).toEqual({
        valid: true,
        format,
        counts: {
          policyFields: expect.any(Number),
          registerRows: 1,
          restoreTests: 30, // not the record of an entity the caller cannot see
        },
        problems: [],
      });
      expect(outcome).toMatchObject({
        manifest: {
          counts: result.counts,
          chainHeads: [{ entityRef: ENTITY, sequence: 30, hash: 'hash-29' }],
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
      'manifest',
    ]);
    expect(doc.restoreTests[4].scope).toMatch(/^","manifest":/);
  });

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
