import { TestDatabases } from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { spawnSync } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync, writeFileSync } from 'fs';
import http from 'http';
import { Knex } from 'knex';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import request from 'supertest';
import v8 from 'v8';
import vm from 'vm';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import {
  ENTITY_PATH,
  FIXTURE_ENTITY,
  hoursAgo,
  startBackupBackend,
  user,
  waitForCatalog,
} from '../__testUtils__/testBackend';
import { verifyEvidencePack } from './evidencePackManifest';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const SCRIPT = resolve(__dirname, '../../bin/verify-evidence-pack.js');

/** Seeded records at every size limit, all completed in 2021. */
const LARGE_RECORDS = 2000;
const LARGE_PERIOD = 'from=2021-01-01&to=2021-12-31';
const SLOW_CLIENTS = 50;
/**
 * Heap growth allowed while 4 downloads of large records are held open by
 * clients that stopped reading: 4 × a batch within the 8 MB budget, plus
 * the requests and buffers (measured: about 23 MB). Reading 1000-row
 * batches as before, the same four held 727 MB.
 */
const HEAP_GROWTH_BOUND = 64 * 1024 * 1024;

/** Text that breaks a careless CSV or JSON writer or reader. */
const trickyRestoreTest = (i: number) => ({
  startedAt: hoursAgo(10 + i),
  completedAt: hoursAgo(9 + i),
  result: 'succeeded',
  scope: `drill ${i}\r\nmanifest\r\nsha256,${'0'.repeat(64)}`,
  validation: [
    { type: 'integrity', outcome: 'passed', notes: '","manifest":{}' },
  ],
  executor: 'Alice "the restorer", Zürich',
  issuesFound: '=HYPERLINK("http://evil.example") — 東京',
});

/** One user-visible text at its limit; the € makes V8 store 2 bytes a character. */
const largeText = (length: number) => `€${'x'.repeat(length - 1)}`;

async function seedLargeRecords(db: Knex, count: number) {
  const start = Date.UTC(2021, 0, 1);
  const row = (i: number) => ({
    id: randomUUID(),
    entity_ref: FIXTURE_ENTITY,
    sequence: 100_000 + i,
    started_at: new Date(start + i * 60_000),
    completed_at: new Date(start + i * 60_000 + 30_000),
    result: 'succeeded',
    scope: largeText(4000),
    restore_duration_seconds: 30,
    validation: JSON.stringify(
      Array.from({ length: 10 }, () => ({
        type: 'integrity',
        outcome: 'passed',
        notes: largeText(4000),
      })),
    ),
    executor: largeText(200),
    evidence_url: `https://tickets.example.com/${'a'.repeat(1970)}`,
    issues_found: largeText(4000),
    remediation: largeText(4000),
    source: 'ci',
    recorded_by: 'service:seed',
    recorded_at: new Date(start),
    previous_hash: 'seeded',
    hash: `seeded-${i}`,
  });
  for (let at = 0; at < count; at += 20) {
    const rows = Array.from({ length: Math.min(20, count - at) }, (_, i) =>
      row(at + i),
    );
    await db.batchInsert('restore_tests', rows, 20);
  }
}

/** Every log line's level, message and fields (the audit log is separate). */
function recordingRootLogger() {
  const entries: Array<{ level: string; message: string; fields: object }> = [];
  const logger = (fields: object): RootLoggerService => {
    const log = (level: string) => (message: string) => {
      entries.push({ level, message, fields });
    };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: meta => logger({ ...fields, ...meta }),
    };
  };
  const factory = createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => logger({}),
  });
  return { entries, factory };
}

/** gc() even when jest was started without --expose-gc. */
function exposedGc(): () => void {
  if (typeof global.gc === 'function') return global.gc;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
}

function heapAfterGc(gc: () => void) {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface OpenDownload {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  close: () => void;
}

/**
 * A client that takes the first chunk of a 200 and then stops reading, as a
 * slow or stalled connection would; any other answer is read in full.
 */
function openSlowDownload(port: number, path: string): Promise<OpenDownload> {
  return new Promise((resolvePromise, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path,
        agent: false,
        headers: { authorization: user },
      },
      res => {
        const answer = (body: string) =>
          resolvePromise({
            status: res.statusCode!,
            headers: res.headers,
            body,
            close: () => req.destroy(),
          });
        if (res.statusCode === 200) {
          res.once('data', () => {
            res.pause();
            answer('');
          });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => answer(Buffer.concat(chunks).toString('utf8')));
      },
    );
    req.on('error', reject);
  });
}

async function waitFor(condition: () => boolean, what: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (condition()) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every way of damaging a pack that verification must catch. */
function damaged(text: string) {
  const at = text.indexOf('drill 0');
  return {
    'cut in half': text.slice(0, Math.floor(text.length / 2)),
    'cut at the manifest': text.slice(0, text.lastIndexOf('manifest')),
    'last byte missing': text.slice(0, -1),
    'one byte of a record edited': `${text.slice(0, at)}D${text.slice(at + 1)}`,
  };
}

function runScript(dir: string, name: string, content: string) {
  const file = join(dir, name);
  writeFileSync(file, content);
  return spawnSync(process.execPath, [SCRIPT, file], { encoding: 'utf8' });
}

describe.each(databases.eachSupportedId())(
  'evidence pack download on %p',
  databaseId => {
    let server: http.Server;
    let port: number;
    const logs = recordingRootLogger();
    const auditor = recordingAuditor();
    const exportEvents = () => auditor.eventsOf('evidence-export');

    beforeAll(async () => {
      const backend = await startBackupBackend({
        databases,
        databaseId,
        features: [logs.factory, auditor.factory],
      });
      server = backend.server;
      port = (server.address() as AddressInfo).port;
      await waitForCatalog(server);
      for (const i of [0, 1, 2]) {
        const res = await request(server)
          .post(`${ENTITY_PATH}/restore-tests`)
          .set('Authorization', user)
          .send(trickyRestoreTest(i));
        if (res.status !== 201) throw new Error(`fixture: ${res.status}`);
      }
      await seedLargeRecords(backend.databaseOf('backup')!, LARGE_RECORDS);
    });

    const get = (path: string) =>
      request(server).get(path).set('Authorization', user);

    const failures = () =>
      logs.entries.filter(
        e => e.level === 'error' || /status 5\d\d/.test(e.message),
      );

    it.each(['csv', 'json'])(
      'downloads a %s pack that verifies, while cuts and edits do not (function and script)',
      async format => {
        const res = await get(`/api/backup/export?format=${format}`);
        expect(res.status).toBe(200);
        const text: string = res.text;
        const result = verifyEvidencePack(text);
        expect(result).toMatchObject({
          valid: true,
          format,
          counts: { registerRows: 1, restoreTests: 3 },
        });
        const dir = mkdtempSync(join(tmpdir(), 'evidence-pack-'));
        const ok = runScript(dir, `pack.${format}`, text);
        expect(ok.status).toBe(0);
        expect(ok.stdout).toMatch(/: OK \(/);

        for (const [damage, content] of Object.entries(damaged(text))) {
          expect({ damage, valid: verifyEvidencePack(content).valid }).toEqual({
            damage,
            valid: false,
          });
          const script = runScript(dir, `damaged.${format}`, content);
          expect({ damage, exit: script.status }).toEqual({ damage, exit: 1 });
          expect(script.stdout).toMatch(/INVALID\n {2}- /);
        }
      },
    );

    it('caps downloads, holds bounded memory for slow clients, and keeps answering', async () => {
      const gc = exposedGc();
      const before = heapAfterGc(gc);
      const clients = await Promise.all(
        Array.from({ length: SLOW_CLIENTS }, () =>
          openSlowDownload(
            port,
            `/api/backup/export?format=json&${LARGE_PERIOD}`,
          ),
        ),
      );
      try {
        const held = clients.filter(c => c.status === 200);
        const turnedAway = clients.filter(c => c.status === 429);
        expect(held).toHaveLength(4);
        expect(turnedAway).toHaveLength(SLOW_CLIENTS - 4);
        expect(turnedAway[0].headers['retry-after']).toBe('30');
        expect(JSON.parse(turnedAway[0].body).error).toEqual({
          name: 'TooManyRequestsError',
          message:
            'Too many evidence-pack downloads in progress; retry in 30 seconds',
        });

        // let the held downloads fill the socket buffers and stall
        await new Promise(r => setTimeout(r, 2000));
        const growth = heapAfterGc(gc) - before;
        // eslint-disable-next-line no-console
        console.log(
          `${databaseId}: heap growth with 4 stalled downloads: ${(
            growth /
            1024 /
            1024
          ).toFixed(1)} MB`,
        );
        expect(growth).toBeLessThan(HEAP_GROWTH_BOUND);

        const started = Date.now();
        const status = await get(`${ENTITY_PATH}/status`);
        expect(status.status).toBe(200);
        expect(status.body.entityRef).toBe(FIXTURE_ENTITY);
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        clients.forEach(c => c.close());
      }
      await waitFor(
        () => exportEvents().filter(e => e.meta?.cancelled).length >= 4,
        'the held downloads to be cancelled',
      );
    });

    it('treats a client that goes away as a quiet cancellation and frees its slot', async () => {
      const cancelledBefore = exportEvents().filter(
        e => e.meta?.cancelled,
      ).length;
      const client = await openSlowDownload(
        port,
        `/api/backup/export?format=csv&${LARGE_PERIOD}`,
      );
      expect(client.status).toBe(200);
      client.close();
      await waitFor(
        () =>
          exportEvents().filter(e => e.meta?.cancelled).length >
          cancelledBefore,
        'the cancellation',
      );
      expect(exportEvents().filter(e => e.meta?.cancelled)).toContainEqual({
        eventId: 'evidence-export',
        outcome: 'success',
        meta: { cancelled: true, reason: 'client disconnected' },
      });
      // only the downloads turned away at the cap failed, without a 500
      expect(
        exportEvents()
          .filter(e => e.outcome === 'fail')
          .map(e => e.error?.name),
      ).toEqual(Array(SLOW_CLIENTS - 4).fill('TooManyRequestsError'));
      expect(failures()).toEqual([]);

      // every slot is free again: a full set of downloads succeeds
      const downloads = await Promise.all(
        [1, 2, 3, 4].map(() => get('/api/backup/export?format=json')),
      );
      expect(downloads.map(d => d.status)).toEqual([200, 200, 200, 200]);
      expect(downloads.every(d => verifyEvidencePack(d.text).valid)).toBe(true);
      expect(exportEvents().slice(-1)[0]).toEqual({
        eventId: 'evidence-export',
        outcome: 'success',
        meta: {
          policyFields: expect.any(Number),
          registerRows: 1,
          restoreTests: 3,
          failures: 0,
          followUps: 0,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      });
    });

    it('lists the failures of a period with their tickets and resolutions, in CSV and JSON, verifiably', async () => {
      const post = async (path: string, body: object) => {
        const res = await request(server)
          .post(`${ENTITY_PATH}${path}`)
          .set('Authorization', user)
          .send(body);
        expect(res.status).toBe(201);
        return res.body;
      };
      const run = (runAt: string, outcome: string, message?: string) =>
        post('/backup-runs', { runAt, outcome, message, source: 'velero' });
      const failedRun = await run(
        '2022-03-01T02:00:00Z',
        'failed',
        'vault disk full',
      );
      await run('2022-03-02T02:00:00Z', 'succeeded');
      const failedLater = await run('2023-02-01T02:00:00Z', 'failed');
      const failedTest = await post('/restore-tests', {
        startedAt: '2022-03-05T08:00:00Z',
        completedAt: '2022-03-05T09:00:00Z',
        result: 'failed',
        scope: 'payments-db into staging',
        validation: [{ type: 'integrity', outcome: 'failed' }],
        executor: 'Alice',
        issuesFound: 'checksum mismatch',
      });
      const ofRun = { kind: 'backup-run', id: failedRun.id };
      const acknowledged = await post('/follow-ups', {
        failure: ofRun,
        action: 'acknowledged',
        ticketUrl: 'https://tickets.example.com/OPS-42',
        at: '2022-03-01T08:00:00Z',
      });
      const resolved = await post('/follow-ups', {
        failure: ofRun,
        action: 'resolved',
        resolution: 'Expanded the vault disk and re-ran the job',
        at: '2022-03-02T10:00:00Z',
        by: 'Bob Backup',
      });
      // the follow-up of a failure outside the period stays out
      await post('/follow-ups', {
        failure: { kind: 'backup-run', id: failedLater.id },
        action: 'acknowledged',
        ticketUrl: 'https://tickets.example.com/OPS-99',
        at: '2023-02-01T03:00:00Z',
      });
      const period = 'from=2022-01-01&to=2022-12-31';

      const json = await get(`/api/backup/export?format=json&${period}`);
      const doc = JSON.parse(json.text);
      expect(doc.failures).toEqual([
        {
          entity_ref: FIXTURE_ENTITY,
          failure_kind: 'backup-run',
          failure_id: failedRun.id,
          failed_at: '2022-03-01T02:00:00.000Z',
          result: 'failed',
          details: 'vault disk full',
          follow_up: 'resolved',
          ticket_url: 'https://tickets.example.com/OPS-42',
          acknowledged_by: 'user:default/alice',
          acknowledged_at: '2022-03-01T08:00:00.000Z',
          resolution: 'Expanded the vault disk and re-ran the job',
          resolved_by: 'Bob Backup',
          resolved_at: '2022-03-02T10:00:00.000Z',
          first_acknowledged_at: '2022-03-01T08:00:00.000Z',
          acknowledge_deadline: '2022-03-02T02:00:00.000Z',
          acknowledge_window: 'acknowledged in time',
        },
        {
          entity_ref: FIXTURE_ENTITY,
          failure_kind: 'restore-test',
          failure_id: failedTest.id,
          failed_at: '2022-03-05T09:00:00.000Z',
          result: 'failed',
          scope: 'payments-db into staging',
          failed_validation: ['integrity'],
          details: 'checksum mismatch',
          follow_up: 'not acknowledged',
          acknowledge_deadline: '2022-03-06T09:00:00.000Z',
          acknowledge_window: 'overdue',
        },
      ]);
      expect(doc.followUps).toEqual([acknowledged, resolved]);
      expect(doc.manifest).toMatchObject({
        version: 2,
        counts: { restoreTests: 1, failures: 2, followUps: 2 },
        followUpChainHeads: [
          {
            entityRef: FIXTURE_ENTITY,
            sequence: resolved.sequence,
            hash: resolved.hash,
          },
        ],
      });

      const csv = (await get(`/api/backup/export?format=csv&${period}`)).text;
      const lines = csv.split('\r\n');
      const section = (title: string) => {
        const start = lines.findIndex(line => line.startsWith(`${title},`));
        return lines.slice(start + 2, lines.indexOf('', start));
      };
      expect(section('failures')).toEqual([
        `${FIXTURE_ENTITY},backup-run,${failedRun.id},2022-03-01T02:00:00.000Z,failed,,,vault disk full,resolved,https://tickets.example.com/OPS-42,user:default/alice,2022-03-01T08:00:00.000Z,Expanded the vault disk and re-ran the job,Bob Backup,2022-03-02T10:00:00.000Z,2022-03-01T08:00:00.000Z,2022-03-02T02:00:00.000Z,acknowledged in time`,
        `${FIXTURE_ENTITY},restore-test,${failedTest.id},2022-03-05T09:00:00.000Z,failed,payments-db into staging,integrity,checksum mismatch,not acknowledged,,,,,,,,2022-03-06T09:00:00.000Z,overdue`,
      ]);
      expect(section('follow-ups').map(line => line.split(',')[0])).toEqual([
        acknowledged.id,
        resolved.id,
      ]);

      const dir = mkdtempSync(join(tmpdir(), 'evidence-pack-'));
      for (const [format, text] of [
        ['json', json.text],
        ['csv', csv],
      ]) {
        expect(verifyEvidencePack(text)).toMatchObject({
          valid: true,
          counts: { restoreTests: 1, failures: 2, followUps: 2 },
        });
        expect(runScript(dir, `pack.${format}`, text).stdout).toMatch(
          /: OK \(.*, 2 failures, 2 follow-ups\)/,
        );
        const edited = text.replace('re-ran the job', 're-ran the jobs');
        expect(verifyEvidencePack(edited).valid).toBe(false);
        expect(runScript(dir, `edited.${format}`, edited).status).toBe(1);
      }
    });
  },
);
