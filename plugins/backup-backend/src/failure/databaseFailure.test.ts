// Failure behaviour on a real PostgreSQL 15 server of the test's own: the
// database stopped mid-load, sessions killed during writes, two replicas on
// one database. The shared server on 5432 is never touched.
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { isDeepStrictEqual } from 'util';
import {
  catalogConfig,
  hoursAgo,
  waitForCatalog,
} from '../__testUtils__/testBackend';
import {
  createPrivateCluster,
  hasClusterTools,
  PrivateCluster,
} from '../__testUtils__/privateCluster';
import { backupPlugin } from '../plugin';

jest.setTimeout(150_000);

/** Longer than any answer may take: a request still open then is a hang. */
const CLIENT_TIMEOUT_MS = 10_000;
const RECOVERY_BOUND_MS = 30_000;
const ENTITIES = [
  'component/default/pay-api',
  'component/default/pay-worker',
  'resource/default/accounts-db',
];
const AUTH = mockCredentials.user.header('user:default/alice');
const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

// ---- a backend replica on the private cluster ----------------------------

interface Replica {
  base: string;
  stop(): Promise<void>;
  /** The real daily snapshot task function of this replica. */
  snapshotTask(): Promise<void>;
}

/**
 * The real database service (one database `<prefix><pluginId>` per plugin),
 * so pools behave as in production. Each scenario has its own prefix.
 */
async function startReplica(
  cluster: PrivateCluster,
  prefix: string,
): Promise<Replica> {
  let snapshotFn: ((signal: AbortSignal) => Promise<void>) | undefined;
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: async task => {
      if (task.id === 'backup-daily-snapshot') snapshotFn = task.fn as any;
    },
  });
  const backend = await startTestBackend({
    features: [
      backupPlugin,
      catalogPlugin,
      databaseServiceFactory,
      scheduler.factory,
      // FAILURE_TEST_LOG_LEVEL=warn shows what the backend logged
      mockServices.rootLogger.factory({
        level: (process.env.FAILURE_TEST_LOG_LEVEL as any) ?? 'none',
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'pg', connection: cluster.connection, prefix },
          },
          ...catalogConfig('organisation.yaml'),
        },
      }),
    ],
  });
  for (const entity of ENTITIES) await waitForCatalog(backend.server, entity);
  return {
    base: `http://127.0.0.1:${backend.server.port()}`,
    stop: () => backend.stop(),
    snapshotTask: () => snapshotFn!(new AbortController().signal),
  };
}

// ---- HTTP with a bounded wait, and a log of every attempt ------------------

type Status = number | 'timeout' | 'network';

interface Attempt {
  method: 'GET' | 'POST';
  path: string;
  status: Status;
  body?: any;
  retryAfter?: string | null;
  startedAt: number;
  endedAt: number;
}

async function call(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  body?: object,
): Promise<Attempt> {
  const startedAt = Date.now();
  try {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the report
    }
    return {
      method,
      path,
      status: res.status,
      body: parsed,
      retryAfter: res.headers.get('retry-after'),
      startedAt,
      endedAt: Date.now(),
    };
  } catch (error) {
    const name = (error as Error).name;
    return {
      method,
      path,
      status: name === 'TimeoutError' ? 'timeout' : 'network',
      startedAt,
      endedAt: Date.now(),
    };
  }
}

type Kind = 'restore-tests' | 'backup-runs';

/** One evidence write; the marker identifies its row whatever the answer. */
interface Write {
  kind: Kind;
  entity: string;
  marker: string;
  externalId?: string;
  input: object;
  attempt: Attempt;
}

function writeInput(kind: Kind, marker: string, externalId?: string) {
  const idempotent = externalId ? { externalId, source: 'ci' } : {};
  return kind === 'restore-tests'
    ? {
        startedAt: hoursAgo(3),
        completedAt: hoursAgo(2),
        result: 'succeeded',
        scope: `load ${marker}`,
        validation: [{ type: 'integrity', outcome: 'passed' }],
        executor: 'Load',
        ...idempotent,
      }
    : {
        runAt: hoursAgo(1),
        outcome: 'succeeded',
        sizeBytes: 1024,
        message: `load ${marker}`,
        ...idempotent,
      };
}

const evidencePath = (entity: string, kind: string) =>
  `/api/backup/entities/${entity}/${kind}`;

/** Records everything a scenario sent and got. */
class Traffic {
  readonly writes: Write[] = [];
  readonly reads: Attempt[] = [];

  constructor(private readonly base: string) {}

  async write(kind: Kind, entity: string, withExternalId: boolean) {
    const marker = randomUUID();
    const externalId = withExternalId ? `ext-${marker}` : undefined;
    const input = writeInput(kind, marker, externalId);
    const attempt = await call(
      this.base,
      'POST',
      evidencePath(entity, kind),
      input,
    );
    const write = { kind, entity, marker, externalId, input, attempt };
    this.writes.push(write);
    return write;
  }

  async readStatus(entity: string) {
    const attempt = await call(
      this.base,
      'GET',
      evidencePath(entity, 'status'),
    );
    this.reads.push(attempt);
    return attempt;
  }

  all(): Attempt[] {
    return [...this.writes.map(w => w.attempt), ...this.reads];
  }

  /**
   * Workers cycling through the five kinds of request over the entities,
   * until stopped; `finish` waits for the requests in flight.
   */
  load(workers: number, pauseMs: number) {
    let running = true;
    const loops = Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; running; i++) {
        const entity = ENTITIES[(w + i) % ENTITIES.length];
        const op = (w + i) % 5;
        if (op === 4) await this.readStatus(entity);
        else {
          await this.write(
            op < 2 ? 'restore-tests' : 'backup-runs',
            entity,
            op % 2 === 1,
          );
        }
        await pause(pauseMs);
      }
    });
    return {
      finish: async () => {
        running = false;
        await Promise.all(loops);
      },
    };
  }
}

const is2xx = (status: Status) => status === 200 || status === 201;

function countStatuses(attempts: Attempt[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of attempts) {
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

// ---- what the database holds after the failure ------------------------------

const MARKER_COLUMN: Record<Kind, string> = {
  'restore-tests': 'scope',
  'backup-runs': 'message',
};
const TABLE: Record<Kind, string> = {
  'restore-tests': 'restore_tests',
  'backup-runs': 'backup_runs',
};

interface StoredRow {
  id: string;
  kind: Kind;
  entityRef: string;
  marker: string;
}

async function storedRows(db: Knex): Promise<StoredRow[]> {
  const rows: StoredRow[] = [];
  for (const kind of Object.keys(TABLE) as Kind[]) {
    const found = await db(TABLE[kind]).select(
      'id',
      'entity_ref',
      `${MARKER_COLUMN[kind]} as text`,
    );
    for (const row of found) {
      rows.push({
        id: row.id,
        kind,
        entityRef: row.entity_ref,
        marker: String(row.text ?? '').replace(/^load /, ''),
      });
    }
  }
  return rows;
}

/** Every record of the entities, as the API serves them, by id. */
async function servedRecords(base: string): Promise<Map<string, any>> {
  const byId = new Map<string, any>();
  for (const entity of ENTITIES) {
    for (const kind of Object.keys(TABLE)) {
      for (let offset = 0; ; offset += 100) {
        const page = await call(
          base,
          'GET',
          `${evidencePath(entity, kind)}?limit=100&offset=${offset}`,
        );
        if (page.status !== 200) {
          throw new Error(`listing ${kind} of ${entity}: ${page.status}`);
        }
        for (const record of page.body.items) byId.set(record.id, record);
        if (offset + 100 >= page.body.totalCount) break;
      }
    }
  }
  return byId;
}

interface WriteAudit {
  answered: number;
  errored: number;
  /** Answered 2xx, but no such row, or a different one. */
  lost: string[];
  changed: string[];
  /** Errored writes without an externalId that were stored after all. */
  storedDespiteError: string[];
  /** Errored writes with an externalId that were stored (allowed). */
  storedWithExternalId: number;
  duplicates: string[];
  strayRows: number;
  rows: number;
}

/** Compares the answers of every write with what the database holds. */
async function auditWrites(
  base: string,
  db: Knex,
  writes: Write[],
): Promise<WriteAudit> {
  const rows = await storedRows(db);
  const rowsByMarker = new Map<string, StoredRow[]>();
  for (const row of rows) {
    rowsByMarker.set(row.marker, [
      ...(rowsByMarker.get(row.marker) ?? []),
      row,
    ]);
  }
  const served = await servedRecords(base);
  const audit: WriteAudit = {
    answered: 0,
    errored: 0,
    lost: [],
    changed: [],
    storedDespiteError: [],
    storedWithExternalId: 0,
    duplicates: [],
    strayRows: 0,
    rows: rows.length,
  };
  const markers = new Set(writes.map(w => w.marker));
  for (const write of writes) {
    const stored = rowsByMarker.get(write.marker) ?? [];
    if (stored.length > 1) audit.duplicates.push(write.marker);
    if (is2xx(write.attempt.status)) {
      audit.answered++;
      const { id } = write.attempt.body;
      if (!stored.some(row => row.id === id)) audit.lost.push(id);
      else if (!isDeepStrictEqual(served.get(id), write.attempt.body)) {
        audit.changed.push(
          `${id}: answered ${JSON.stringify(
            write.attempt.body,
          )}, served ${JSON.stringify(served.get(id))}`,
        );
      }
    } else {
      audit.errored++;
      if (stored.length > 0 && write.externalId) audit.storedWithExternalId++;
      else if (stored.length > 0) audit.storedDespiteError.push(write.marker);
    }
  }
  audit.strayRows = rows.filter(row => !markers.has(row.marker)).length;
  return audit;
}

/** Problems of the chains: verify route not intact, sequence gaps. */
async function chainProblems(base: string, db: Knex): Promise<string[]> {
  const problems: string[] = [];
  for (const entity of ENTITIES) {
    const verify = await call(
      base,
      'GET',
      evidencePath(entity, 'evidence/verify'),
    );
    if (verify.status !== 200 || verify.body.intact !== true) {
      problems.push(
        `${entity}: verify ${verify.status} ${JSON.stringify(verify.body)}`,
      );
    }
  }
  for (const table of Object.values(TABLE)) {
    const ranges: Array<Record<string, unknown>> = await db(table)
      .select('entity_ref')
      .count({ n: '*' })
      .countDistinct({ distinct: 'sequence' })
      .min({ first: 'sequence' })
      .max({ last: 'sequence' })
      .groupBy('entity_ref');
    for (const r of ranges) {
      const [n, distinct, first, last] = [r.n, r.distinct, r.first, r.last].map(
        Number,
      );
      if (first !== 1 || last !== n || distinct !== n) {
        problems.push(
          `${table} ${r.entity_ref}: ${n} rows, sequences ${first}..${last}`,
        );
      }
    }
  }
  return problems;
}

/**
 * Posts each write with an externalId again. Expected: 200 with the stored
 * record when it was stored (whatever the first answer), else 201.
 */
async function retryProblems(base: string, db: Knex, writes: Write[]) {
  const rows = await storedRows(db);
  const idOfMarker = new Map(rows.map(row => [row.marker, row.id]));
  const problems: string[] = [];
  let retried = 0;
  const queue = writes.filter(w => w.externalId);
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let write = queue.shift(); write; write = queue.shift()) {
        const again = await call(
          base,
          'POST',
          evidencePath(write.entity, write.kind),
          write.input,
        );
        retried++;
        const storedId = idOfMarker.get(write.marker);
        const ok = storedId
          ? again.status === 200 && again.body.id === storedId
          : again.status === 201;
        if (!ok) {
          problems.push(
            `${write.externalId}: first ${write.attempt.status}, retry ${again.status} ${again.body?.id}, stored ${storedId}`,
          );
        }
      }
    }),
  );
  return { retried, problems };
}

/** What a problem answer said, short and without ids, for the tally. */
const gist = (a: Attempt) =>
  String(a.body?.error?.message ?? a.body ?? '')
    .replace(/[0-9a-f-]{36}|logId=\w+/g, '<id>')
    .slice(0, 140);

/** The route of a request, without the entity, for the tally. */
const route = (a: Attempt) =>
  `${a.method} ${a.path.split('?')[0].replace(/^.*\/(?=[^/]+$)/, '')}`;

/** The 503 the lead's error layer promises, without internals in it. */
function unavailableProblems(attempts: Attempt[], port: number): string[] {
  return attempts.flatMap(a => {
    const text = JSON.stringify(a.body ?? '');
    const wrong = [
      a.status !== 503 && `status ${a.status}`,
      !a.retryAfter && 'no Retry-After',
      a.body?.error?.name !== 'ServiceUnavailableError' &&
        `error name ${a.body?.error?.name}`,
      typeof a.body?.error?.message !== 'string' && 'no message',
      new RegExp(`:${port}\\b`).test(text) && 'host:port in body',
      /\b(select|insert into|update|delete from)\b/i.test(text) &&
        'SQL in body',
    ].filter(Boolean);
    return wrong.length ? [`${route(a)}: ${wrong.join(', ')}: ${gist(a)}`] : [];
  });
}

/** Answers by route and status, with what the errors said. */
const answerTally = (attempts: Attempt[]) =>
  tally(
    attempts.map(a =>
      is2xx(a.status)
        ? `${route(a)}: ${a.status}`
        : `${route(a)}: ${a.status}: ${gist(a)}`,
    ),
  );

/** Counts of each distinct problem. */
function tally(problems: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of problems) counts[p] = (counts[p] ?? 0) + 1;
  return counts;
}

/**
 * knex prints every failed or dropped pool connection with console.log;
 * here they are the point of the test, and would bury its report.
 * Returns the undo.
 */
function quietKnexConnectionErrors(): () => void {
  const expected = /^(Connection Error|Acquire connection error)/;
  const { log, warn } = console;
  const filtered =
    (print: typeof log) =>
    (message?: unknown, ...rest: unknown[]) => {
      if (!expected.test(String(message))) print(message, ...rest);
    };
  console.log = filtered(log);
  console.warn = filtered(warn);
  return () => Object.assign(console, { log, warn });
}

/**
 * The checks both load scenarios end with: every write audited against the
 * database, the chains, and retries by externalId. `scenario` is read when
 * the tests run, after the scenario's beforeAll.
 */
function itKeepsTheEvidence(
  scenario: () => { replica: Replica; db: Knex; traffic: Traffic },
  report: Record<string, unknown>,
  expected: {
    /** How the title ends: what became of the errored writes. */
    errored: string;
    answeredOver: number;
    /** Errored writes with an externalId that must have been retried. */
    retriedAtLeast: number;
  },
) {
  it(`loses no answered write and ${expected.errored}`, async () => {
    const { replica, db, traffic } = scenario();
    const audit = await auditWrites(replica.base, db, traffic.writes);
    report.writes = audit;
    expect(audit.answered).toBeGreaterThan(expected.answeredOver);
    expect({
      lost: audit.lost,
      changed: audit.changed,
      storedDespiteError: audit.storedDespiteError,
      duplicates: audit.duplicates,
      strayRows: audit.strayRows,
    }).toEqual({
      lost: [],
      changed: [],
      storedDespiteError: [],
      duplicates: [],
      strayRows: 0,
    });
    // rows = writes answered 2xx + errored ones with an externalId that
    // a retry will return
    expect(audit.rows).toBe(audit.answered + audit.storedWithExternalId);
  });

  it('keeps one verifiable chain per entity', async () => {
    const { replica, db } = scenario();
    expect(await chainProblems(replica.base, db)).toEqual([]);
  });

  it('returns the original record when a write is retried with its externalId', async () => {
    const { replica, db, traffic } = scenario();
    const { retried, problems } = await retryProblems(
      replica.base,
      db,
      traffic.writes,
    );
    report.externalIdRetries = { retried, problems: problems.length };
    expect(retried).toBeGreaterThanOrEqual(expected.retriedAtLeast);
    expect(problems).toEqual([]);
  });
}

// ---- the scenarios ------------------------------------------------------------

// These stop a database under load and time its recovery, so they run on
// their own (`yarn test:failure`, which CI runs after `yarn test:all`), not
// beside the other suites competing for the same two cores.
const requested = process.env.BACKUP_FAILURE_TESTS === '1';
const onCluster = hasClusterTools();
const describeOnCluster = requested && onCluster ? describe : describe.skip;

function title() {
  if (!requested) {
    return 'database failures (SKIPPED here: run them alone with yarn test:failure)';
  }
  return onCluster
    ? 'database failures on a private PostgreSQL 15 cluster'
    : 'database failures (SKIPPED: pg_createcluster is not installed)';
}

describeOnCluster(title(), () => {
  let cluster: PrivateCluster;
  let unquiet = () => {};
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    unquiet = quietKnexConnectionErrors();
    cluster = await createPrivateCluster();
  });

  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(
      `database failure figures\n${JSON.stringify(figures, null, 2)}`,
    );
    await cluster?.drop();
    unquiet();
  });

  describe('database stopped mid-load and started again', () => {
    let replica: Replica;
    let traffic: Traffic;
    let db: Knex;
    const t = { stopped: 0, starting: 0, started: 0 };
    let recoveryMs: number | undefined;
    const report: Record<string, unknown> = {};
    figures.stop = report;

    /** Polls a write and a read until both succeed, within the bound. */
    async function untilServing(): Promise<number | undefined> {
      while (Date.now() - t.started < RECOVERY_BOUND_MS) {
        const [write, read] = await Promise.all([
          traffic.write('backup-runs', ENTITIES[0], true),
          traffic.readStatus(ENTITIES[0]),
        ]);
        if (is2xx(write.attempt.status) && read.status === 200) {
          return Date.now() - t.started;
        }
        await pause(200);
      }
      return undefined;
    }

    beforeAll(async () => {
      replica = await startReplica(cluster, 'stop_');
      db = cluster.knex('stop_backup');
      traffic = new Traffic(replica.base);
      const load = traffic.load(4, 15);
      await pause(3000);
      await cluster.stop();
      t.stopped = Date.now();
      await pause(5000);
      t.starting = Date.now();
      await cluster.start();
      t.started = Date.now();
      recoveryMs = await untilServing();
      await pause(2000);
      await load.finish();
      report.recoverySeconds = recoveryMs && recoveryMs / 1000;
      report.statuses = countStatuses(traffic.all());
    });

    afterAll(() => replica?.stop());

    const whileDown = () =>
      traffic
        .all()
        .filter(a => a.startedAt >= t.stopped && a.endedAt <= t.starting);

    it('answers 503 with Retry-After and a clean body while the database is down', () => {
      const down = whileDown();
      report.whileDown = countStatuses(down);
      expect(down.length).toBeGreaterThan(10);
      expect(tally(unavailableProblems(down, cluster.port))).toEqual({});
    });

    it('never answers 500 and never leaves a request hanging', () => {
      const unexpected = traffic
        .all()
        .filter(a => ![200, 201, 503].includes(a.status as number));
      report.maxLatencyMs = Math.max(
        ...traffic.all().map(a => a.endedAt - a.startedAt),
      );
      expect(answerTally(unexpected)).toEqual({});
    });

    it('serves again within 30 s after the database returns', () => {
      expect(recoveryMs ?? Infinity).toBeLessThan(RECOVERY_BOUND_MS);
    });

    itKeepsTheEvidence(() => ({ replica, db, traffic }), report, {
      errored: 'half-stores no errored one',
      answeredOver: 20,
      retriedAtLeast: 11,
    });
  });

  describe('sessions killed during concurrent writes', () => {
    let replica: Replica;
    let traffic: Traffic;
    let db: Knex;
    const report: Record<string, unknown> = {};
    figures.kill = report;

    beforeAll(async () => {
      replica = await startReplica(cluster, 'kill_');
      db = cluster.knex('kill_backup');
      traffic = new Traffic(replica.base);
      const load = traffic.load(8, 0);
      let terminated = 0;
      let rounds = 0;
      // at least 8 s, and on a busy machine until enough writes met the kills
      const answered = () =>
        traffic.writes.filter(w => is2xx(w.attempt.status)).length;
      const [atLeast, atMost] = [Date.now() + 8000, Date.now() + 40_000];
      const killing = () =>
        Date.now() < atMost && (Date.now() < atLeast || answered() <= 60);
      for (; killing(); rounds++) {
        await pause(50 + Math.random() * 150);
        terminated += await cluster.terminateSessions('kill_backup');
      }
      await pause(1000);
      await load.finish();
      Object.assign(report, {
        rounds,
        terminated,
        statuses: countStatuses(traffic.all()),
      });
    });

    afterAll(() => replica?.stop());

    it('answers only 200, 201 or 503 (with Retry-After), never 500 or a hang', () => {
      const all = traffic.all();
      expect(report.terminated).toBeGreaterThan(0);
      const errors = all.filter(a => !is2xx(a.status));
      report.maxLatencyMs = Math.max(...all.map(a => a.endedAt - a.startedAt));
      expect(tally(unavailableProblems(errors, cluster.port))).toEqual({});
    });

    itKeepsTheEvidence(() => ({ replica, db, traffic }), report, {
      errored: 'answers no stored write with an error',
      answeredOver: 50,
      // the store's own retries usually absorb every kill: none may be left
      retriedAtLeast: 0,
    });
  });

  describe('two replicas on one database', () => {
    let replicas: Replica[];
    let db: Knex;
    const report: Record<string, unknown> = {};
    figures.replicas = report;

    beforeAll(async () => {
      // one after the other, as in a rolling deployment
      replicas = [
        await startReplica(cluster, 'pair_'),
        await startReplica(cluster, 'pair_'),
      ];
      db = cluster.knex('pair_backup');
    });

    afterAll(() => Promise.all(replicas?.map(r => r.stop()) ?? []));

    const post = (replica: Replica, kind: Kind, input: object) =>
      call(replica.base, 'POST', evidencePath(ENTITIES[0], kind), input);

    it('appends concurrently from both into one linear, verifiable chain', async () => {
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) => {
          const kind: Kind = i % 2 ? 'backup-runs' : 'restore-tests';
          return post(
            replicas[i % 4 < 2 ? 0 : 1],
            kind,
            writeInput(kind, randomUUID()),
          );
        }),
      );
      report.appendStatuses = countStatuses(answers);
      expect(answerTally(answers)).toEqual({
        'POST restore-tests: 201': 12,
        'POST backup-runs: 201': 12,
      });
      expect(await chainProblems(replicas[0].base, db)).toEqual([]);
      expect(await chainProblems(replicas[1].base, db)).toEqual([]);
      const sequences = await db('restore_tests')
        .where({ entity_ref: 'component:default/pay-api' })
        .orderBy('sequence')
        .pluck('sequence');
      expect(sequences.map(Number)).toEqual(
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
    });

    it('stores one record for one externalId posted to both at once', async () => {
      const input = writeInput(
        'restore-tests',
        randomUUID(),
        `shared-${randomUUID()}`,
      );
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          post(replicas[i % 2], 'restore-tests', input),
        ),
      );
      report.sharedExternalIdStatuses = countStatuses(answers);
      expect(answerTally(answers)).toEqual({
        'POST restore-tests: 200': 11,
        'POST restore-tests: 201': 1,
      });
      expect(new Set(answers.map(a => a.body.id)).size).toBe(1);
      const stored = await db('restore_tests').where({
        external_id: (input as { externalId: string }).externalId,
      });
      expect(stored).toHaveLength(1);
    });

    it('writes the daily snapshot once per owner when both replicas run the task at once', async () => {
      const runs = await Promise.allSettled(
        replicas.map(r => r.snapshotTask()),
      );
      expect(runs.map(r => r.status)).toEqual(['fulfilled', 'fulfilled']);
      const today = new Date().toISOString().slice(0, 10);
      const rows = await db('backup_snapshots').where({ day: today });
      report.snapshotRows = rows.length;
      expect(rows.map(r => r.owner).sort()).toEqual([
        'group:default/identity',
        'group:default/payments',
      ]);
      // a later run keeps the first snapshot of the day
      await Promise.all(replicas.map(r => r.snapshotTask()));
      const again = await db('backup_snapshots').where({ day: today });
      expect(again).toEqual(rows);
    });
  });
});
