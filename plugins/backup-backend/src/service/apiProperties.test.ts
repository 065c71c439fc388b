import { TestDatabases } from '@backstage/backend-test-utils';
import fc from 'fast-check';
import { Knex } from 'knex';
import request from 'supertest';
import { hashEvidence } from '../database/evidenceChain';
import {
  arbitraryFor,
  GeneratedRequest,
  requestsFor,
} from '../__testUtils__/openApiArbitraries';
import {
  ENTITY_PATH,
  hoursAgo,
  startBackupBackend,
  user,
  waitForCatalog,
} from '../__testUtils__/testBackend';
import { spec } from '../schema/openapi';

// Property tests of the whole HTTP API, generated from its OpenAPI document.
// Replay a failure with the seed and path fast-check prints:
//   FC_SEED=<seed> FC_PATH=<path> yarn test apiProperties
jest.setTimeout(600_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const RUNS = Number(process.env.API_PROPERTY_RUNS ?? 50);
const replay = process.env.FC_SEED
  ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH }
  : {};

const ENTITY = {
  kind: 'component',
  namespace: 'default',
  name: 'payments-api',
};

/** What an error message must never carry: SQL, schema names, internals. */
const LEAK =
  /\b(select|insert into|update \w+ set|delete from|returning)\b|sqlite|knex|pg_|restore_tests|backup_runs|access_reviews|follow_ups|latest_evidence|ECONNREFUSED|\d+\.\d+\.\d+\.\d+:\d+|\/work\/|node_modules|\bat \S+ \(/i;

/** Each record table: its columns holding the record's text fields. */
const TABLES: Record<string, { table: string; text: Record<string, string> }> =
  {
    'restore-tests': {
      table: 'restore_tests',
      text: {
        scope: 'scope',
        executor: 'executor',
        evidenceUrl: 'evidence_url',
        issuesFound: 'issues_found',
        remediation: 'remediation',
        source: 'source',
        externalId: 'external_id',
        validation: 'validation',
      },
    },
    'backup-runs': {
      table: 'backup_runs',
      text: { message: 'message', source: 'source', externalId: 'external_id' },
    },
    'access-reviews': {
      table: 'access_reviews',
      text: {
        reviewer: 'reviewer',
        evidenceUrl: 'evidence_url',
        notes: 'notes',
        source: 'source',
        externalId: 'external_id',
        admins: 'admins',
      },
    },
    'follow-ups': {
      table: 'follow_ups',
      text: {
        ticketUrl: 'ticket_url',
        resolution: 'resolution',
        by: 'acted_by',
        source: 'source',
        externalId: 'external_id',
      },
    },
  };

/** Generated follow-ups name random records, so they are refused (400). */
const FOLLOWS_FAILURES = new Set(['follow-ups']);

/** Every text the body carries: an error may quote any of it back. */
function bodyTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(bodyTexts);
  if (value && typeof value === 'object') {
    return Object.values(value).flatMap(bodyTexts);
  }
  return [];
}

/** The message without the caller's own input, which it may quote back. */
function withoutEcho(message: string, generated: GeneratedRequest) {
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const echoes = [
    ...generated.path.split(/[/?&=]/).map(decode),
    ...bodyTexts(generated.body),
  ].filter(part => part.length > 2);
  return echoes.reduce((text, echo) => text.split(echo).join(''), message);
}

const kindOfPath = (path: string) =>
  Object.keys(TABLES).find(kind => path.split('?')[0].includes(`/${kind}`));

describe.each(databases.eachSupportedId())('the API on %p', databaseId => {
  let server: any;
  let db: Knex;

  beforeAll(async () => {
    const backend = await startBackupBackend({ databases, databaseId });
    server = backend.server;
    db = backend.databaseOf('backup')!;
    await waitForCatalog(server);
  });

  const send = (generated: GeneratedRequest) => {
    const call = request(server)
      [generated.method](`/api/backup${generated.path}`)
      .set('Authorization', user);
    return generated.body === undefined
      ? call
      : call.set('Content-Type', 'application/json').send(
          // supertest would serialise lone surrogates as U+FFFD: send as is
          JSON.stringify(generated.body),
        );
  };

  /** The record as answered, as stored and as hashed are one and the same. */
  async function expectStoredAsAnswered(kind: string, record: any) {
    const { table, text } = TABLES[kind];
    const row = await db(table).where({ id: record.id }).first();
    expect(row).toBeDefined();
    for (const [field, column] of Object.entries(text)) {
      const stored =
        field === 'validation' || field === 'admins'
          ? JSON.parse(row[column])
          : row[column] ?? undefined;
      expect(stored).toEqual(record[field]);
    }
    const { supersededBy: _derived, ...content } = record;
    expect(hashEvidence(content)).toBe(record.hash);
    if (kind === 'restore-tests') {
      const read = await request(server)
        .get(`/api/backup/restore-tests/${record.id}`)
        .set('Authorization', user);
      expect(read.body).toEqual(record);
    }
  }

  async function expectChainIntact() {
    const res = await request(server)
      .get(
        `/api/backup/entities/component/default/payments-api/evidence/verify`,
      )
      .set('Authorization', user);
    expect(res.status).toBe(200);
    expect(res.body.intact).toBe(true);
  }

  async function checkResponse(generated: GeneratedRequest) {
    const res = await send(generated);
    if (res.status >= 500) {
      throw new Error(
        `${generated.method.toUpperCase()} ${generated.path} answered ${
          res.status
        }: ${JSON.stringify(res.body)}`,
      );
    }
    if (res.status >= 400) {
      expect(res.body.error).toEqual(
        expect.objectContaining({
          name: expect.any(String),
          message: expect.any(String),
        }),
      );
      expect(withoutEcho(res.body.error.message, generated)).not.toMatch(LEAK);
      return;
    }
    const kind = kindOfPath(generated.path);
    if (generated.method === 'post' && kind) {
      const records = generated.path.includes('/batch')
        ? res.body.items.map((item: any) => item.record)
        : [res.body];
      for (const record of records) await expectStoredAsAnswered(kind, record);
      await expectChainIntact();
    }
  }

  it.each(requestsFor(ENTITY).map(r => [r.operationId, r.arbitrary] as const))(
    '%s: no 5xx, clean errors, writes stored as answered',
    async (_operationId, arbitrary) => {
      await expect(
        fc.assert(fc.asyncProperty(arbitrary, checkResponse), {
          numRuns: RUNS,
          ...replay,
        }),
      ).resolves.toBeUndefined();
    },
  );

  const run = (overrides: object) => ({
    runAt: hoursAgo(1),
    outcome: 'succeeded',
    ...overrides,
  });

  // the inputs an outside tester found stored wrongly or answered with 500
  it.each([
    ['a rolled-over day', run({ runAt: '2026-02-30T10:00:00Z' }), 'runAt'],
    ['day 00', run({ runAt: '2026-01-00T10:00:00Z' }), 'runAt'],
    ['hour 24', run({ runAt: '2026-01-10T24:00:00Z' }), 'runAt'],
    ['a leap second', run({ runAt: '2016-12-31T23:59:60Z' }), 'runAt'],
    ['offset +99:99', run({ runAt: '2026-01-10T10:00:00+99:99' }), 'runAt'],
    ['year 0000', run({ runAt: '0000-01-01T00:00:00Z' }), 'runAt'],
    ['a lone surrogate', run({ message: 'ok \uD800' }), 'message'],
    ['NUL', run({ message: 'a\u0000b' }), 'message'],
    ['seconds past int4', run({ durationSeconds: 3e9 }), 'durationSeconds'],
    ['bytes past 2^53', run({ sizeBytes: 1e19 }), 'sizeBytes'],
  ])('rejects %s with a 400 naming the field', async (_case, body, field) => {
    const res = await send({
      operationId: 'CreateBackupRun',
      method: 'post',
      path: '/entities/component/default/payments-api/backup-runs',
      body,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });

  it.each([
    '/export?from=2026-01-32',
    '/trends?to=2026-13-01',
    '/export?to=2999-01-01',
    '/entities/component/default/payments-api/restore-tests?offset=99999999999',
  ])('rejects %s before anything is sent', async path => {
    const res = await send({ operationId: path, method: 'get', path });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/json/);
  });

  it('the generated requests reached the store with writes of every kind', async () => {
    const kinds = Object.keys(TABLES).filter(k => !FOLLOWS_FAILURES.has(k));
    for (const { table } of kinds.map(k => TABLES[k])) {
      const [{ count }] = await db(table).count({ count: '*' });
      expect(Number(count)).toBeGreaterThanOrEqual(2);
    }
  });

  async function failedRunId(): Promise<string> {
    const res = await send({
      operationId: 'CreateBackupRun',
      method: 'post',
      path: '/entities/component/default/payments-api/backup-runs',
      body: run({ outcome: 'failed' }),
    });
    return res.body.id;
  }

  it.each(Object.keys(TABLES))(
    '%s: any well-formed text in every field is stored, answered and hashed alike',
    async kind => {
      const schema = (spec.paths as any)[
        `/entities/{kind}/{namespace}/{name}/${kind}`
      ].post.requestBody.content['application/json'].schema;
      const failure = FOLLOWS_FAILURES.has(kind)
        ? { kind: 'backup-run', id: await failedRunId() }
        : undefined;
      await fc.assert(
        fc.asyncProperty(arbitraryFor(schema, 0), async generated => {
          const body = failure
            ? { ...(generated as object), failure }
            : generated;
          const res = await send({
            operationId: kind,
            method: 'post',
            path: `${ENTITY_PATH.replace('/api/backup', '')}/${kind}`,
            body,
          });
          // valid shapes can still break the time rules (order of dates),
          // or leave out what an action requires (ticket, resolution)
          const rejectedForTimeOrder =
            res.status === 400 &&
            /before|after|is required to/.test(res.body.error.message);
          expect(rejectedForTimeOrder || [200, 201].includes(res.status)).toBe(
            true,
          );
          if (!rejectedForTimeOrder) {
            await expectStoredAsAnswered(kind, res.body);
          }
        }),
        { numRuns: RUNS * 2, ...replay },
      );
      const [{ count }] = await db(TABLES[kind].table).count({ count: '*' });
      expect(Number(count)).toBeGreaterThanOrEqual(2);
      await expectChainIntact();
    },
  );
});
