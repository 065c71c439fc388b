import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { DatabaseEvidenceStore } from './DatabaseEvidenceStore';
import {
  accessReview,
  backupRun,
  ENTITY,
  followUp,
  meta,
  restoreTest,
} from './evidenceTestData';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseEvidenceStore.create({
    database: mockServices.database({ knex }),
  });
  return { knex, store };
}

describe.each(databases.eachSupportedId())(
  'DatabaseEvidenceStore on %p',
  databaseId => {
    it('stores a restore test and derives the restore duration and chain fields', async () => {
      const { store } = await createStore(databaseId);
      const { record, created } = await store.addRestoreTest(
        restoreTest(),
        meta(),
      );
      expect(created).toBe(true);
      expect(record).toEqual({
        id: expect.any(String),
        entityRef: ENTITY,
        sequence: 1,
        startedAt: '2026-11-19T08:00:00.000Z',
        completedAt: '2026-11-19T09:30:00.000Z',
        result: 'succeeded',
        scope: 'payments-db snapshot into the staging account',
        recoveryPointAt: '2026-11-19T02:00:00.000Z',
        restoreDurationSeconds: 5400,
        validation: [
          { type: 'integrity', outcome: 'passed' },
          {
            type: 'application',
            outcome: 'passed',
            notes: 'smoke tests green',
          },
        ],
        executor: 'user:default/alice',
        evidenceUrl: 'https://tickets.example.com/OPS-1',
        source: 'manual',
        recordedBy: 'user:default/alice',
        recordedAt: '2026-11-20T10:00:00.000Z',
        previousHash: 'genesis',
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(await store.getRestoreTest(record.id)).toEqual(record);
    });

    it('chains each record to the previous one of the same entity', async () => {
      const { store } = await createStore(databaseId);
      const first = await store.addRestoreTest(restoreTest(), meta());
      const second = await store.addRestoreTest(restoreTest(), meta());
      const other = await store.addRestoreTest(restoreTest(), {
        ...meta(),
        entityRef: 'resource:default/payments-db',
      });
      expect(second.record.sequence).toBe(2);
      expect(second.record.previousHash).toBe(first.record.hash);
      expect(other.record.sequence).toBe(1);
      expect((await store.verify(ENTITY, new Date())).intact).toBe(true);
    });

    it('lists history newest first, paginated, with the total count', async () => {
      const { store } = await createStore(databaseId);
      for (const day of ['01', '03', '02']) {
        await store.addRestoreTest(
          restoreTest({
            startedAt: `2026-11-${day}T08:00:00Z`,
            completedAt: `2026-11-${day}T09:00:00Z`,
            recoveryPointAt: undefined,
            scope: `day ${day}`,
          }),
          meta(),
        );
      }
      const page = await store.listRestoreTests(ENTITY, {
        limit: 2,
        offset: 0,
      });
      expect(page.totalCount).toBe(3);
      expect(page.items.map(r => r.scope)).toEqual(['day 03', 'day 02']);
      const next = await store.listRestoreTests(ENTITY, {
        limit: 2,
        offset: 2,
      });
      expect(next.items.map(r => r.scope)).toEqual(['day 01']);
    });

    it('returns the first record for a repeated external id', async () => {
      const { store } = await createStore(databaseId);
      const first = await store.addRestoreTest(
        restoreTest({ externalId: 'ci-run-42' }),
        meta(),
      );
      const again = await store.addRestoreTest(
        restoreTest({ externalId: 'ci-run-42', scope: 'different' }),
        meta(),
      );
      expect(again).toEqual({ record: first.record, created: false });
    });

    it('stores one record for 20 concurrent submissions with one external id', async () => {
      const { store } = await createStore(databaseId);
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          store.addRestoreTest(restoreTest({ externalId: 'ci-run-7' }), meta()),
        ),
      );
      expect(results.filter(r => r.created)).toHaveLength(1);
      expect(new Set(results.map(r => r.record.id)).size).toBe(1);
      expect(
        (await store.listRestoreTests(ENTITY, { limit: 100, offset: 0 }))
          .totalCount,
      ).toBe(1);
    });

    it('keeps one unbroken chain under 20 concurrent distinct submissions', async () => {
      const { store } = await createStore(databaseId);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.addBackupRun(backupRun({ externalId: `run-${i}` }), meta()),
        ),
      );
      const verification = await store.verify(ENTITY, new Date());
      expect(verification.backupRuns).toEqual({ intact: true, count: 20 });
    });

    it('marks a corrected record as superseded and ignores it as latest evidence', async () => {
      const { store } = await createStore(databaseId);
      const wrong = await store.addRestoreTest(
        restoreTest({ completedAt: '2026-11-19T10:00:00Z' }),
        meta(),
      );
      const correction = await store.addRestoreTest(
        restoreTest({
          result: 'failed',
          completedAt: '2026-11-19T09:00:00Z',
          supersedes: wrong.record.id,
          issuesFound: 'The restore had actually failed',
        }),
        meta(),
      );
      expect(await store.getRestoreTest(wrong.record.id)).toMatchObject({
        supersededBy: correction.record.id,
      });
      const latest = await store.getLatestEvidence(ENTITY);
      expect(latest.latestRestoreTest?.id).toBe(correction.record.id);
      expect(latest.lastSuccessfulRestoreTest).toBeUndefined();
    });

    it('refuses to supersede a record of another entity', async () => {
      const { store } = await createStore(databaseId);
      const other = await store.addRestoreTest(restoreTest(), {
        ...meta(),
        entityRef: 'resource:default/other',
      });
      await expect(
        store.addRestoreTest(
          restoreTest({ supersedes: other.record.id }),
          meta(),
        ),
      ).rejects.toThrow(/supersedes: no restore test/);
    });

    it('reports the latest and last successful backup runs', async () => {
      const { store } = await createStore(databaseId);
      await store.addBackupRun(
        backupRun({ runAt: '2026-11-18T02:00:00Z' }),
        meta(),
      );
      await store.addBackupRun(
        backupRun({
          runAt: '2026-11-19T02:00:00Z',
          outcome: 'failed',
          sizeBytes: undefined,
        }),
        meta(),
      );
      const latest = await store.getLatestEvidence(ENTITY);
      expect(latest.latestBackupRun).toMatchObject({
        runAt: '2026-11-19T02:00:00.000Z',
        outcome: 'failed',
      });
      expect(latest.lastSuccessfulBackupRun).toMatchObject({
        runAt: '2026-11-18T02:00:00.000Z',
        sizeBytes: 5_000_000_000,
      });
    });

    it('chains access reviews, keeps the newest as latest, and detects edits', async () => {
      const { store, knex } = await createStore(databaseId);
      const first = await store.addAccessReview(
        accessReview({ externalId: 'review-q3' }),
        meta(),
      );
      expect(first.record).toEqual({
        id: expect.any(String),
        entityRef: ENTITY,
        sequence: 1,
        reviewedAt: '2026-11-10T10:00:00.000Z',
        reviewer: 'Sam Security',
        outcome: 'confirmed',
        admins: ['group:default/backup-admins', 'role:aws/BackupVaultAdmin'],
        evidenceUrl: 'https://tickets.example.com/SEC-9',
        source: 'manual',
        externalId: 'review-q3',
        recordedBy: 'user:default/alice',
        recordedAt: '2026-11-20T10:00:00.000Z',
        previousHash: expect.any(String),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const repeated = await store.addAccessReview(
        accessReview({ externalId: 'review-q3', reviewer: 'someone else' }),
        meta(),
      );
      expect(repeated).toEqual({ record: first.record, created: false });
      // recorded later, but reviewed earlier: not the latest review
      await store.addAccessReview(
        accessReview({ reviewedAt: '2026-08-01T10:00:00Z' }),
        meta(),
      );
      const latest = await store.getLatestEvidence(ENTITY);
      expect(latest.latestAccessReview?.id).toBe(first.record.id);
      const summaries = await store.getLatestEvidenceByEntity();
      expect(summaries.get(ENTITY)?.latestAccessReview).toEqual({
        id: first.record.id,
        reviewedAt: '2026-11-10T10:00:00.000Z',
        outcome: 'confirmed',
      });
      const page = await store.listAccessReviews(ENTITY, {
        limit: 1,
        offset: 1,
      });
      expect(page.totalCount).toBe(2);
      expect(page.items[0].reviewedAt).toBe('2026-08-01T10:00:00.000Z');

      expect((await store.verify(ENTITY, new Date())).intact).toBe(true);
      await knex('access_reviews')
        .where({ id: first.record.id })
        .update({ admins: '["everyone"]' });
      const verification = await store.verify(ENTITY, new Date());
      expect(verification.intact).toBe(false);
      expect(verification.accessReviews.brokenAt).toMatchObject({
        id: first.record.id,
        problem: 'its content does not match its hash',
      });
    });

    it('chains follow-ups of failures and reports them with the latest failure', async () => {
      const { store, knex } = await createStore(databaseId);
      const failed = await store.addBackupRun(
        backupRun({ outcome: 'failed', runAt: '2026-11-19T02:00:00Z' }),
        meta(),
      );
      await store.addBackupRun(backupRun(), meta());
      const failure = { kind: 'backup-run', id: failed.record.id } as const;
      const [ack] = await store.addFollowUps(
        [followUp(failure, { externalId: 'OPS-42' })],
        meta(),
      );
      expect(ack.record).toEqual({
        id: expect.any(String),
        entityRef: ENTITY,
        sequence: 1,
        failure,
        action: 'acknowledged',
        ticketUrl: 'https://tickets.example.com/OPS-42',
        at: '2026-11-20T08:00:00.000Z',
        source: 'manual',
        externalId: 'OPS-42',
        recordedBy: 'user:default/alice',
        recordedAt: '2026-11-20T10:00:00.000Z',
        previousHash: 'genesis',
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const [repeat, resolved] = await store.addFollowUps(
        [
          followUp(failure, { externalId: 'OPS-42' }),
          followUp(failure, {
            action: 'resolved',
            ticketUrl: undefined,
            resolution: 'Full disk on the vault; expanded and re-ran',
            at: '2026-11-20T09:00:00Z',
            by: 'Bob',
          }),
        ],
        meta(),
      );
      expect(repeat).toEqual({ record: ack.record, created: false });
      expect(resolved.record.previousHash).toBe(ack.record.hash);
      const expected = {
        id: failed.record.id,
        runAt: '2026-11-19T02:00:00.000Z',
        outcome: 'failed',
        acknowledgedAt: '2026-11-20T08:00:00.000Z',
        resolvedAt: '2026-11-20T09:00:00.000Z',
      };
      expect(
        (await store.getLatestEvidenceByEntity()).get(ENTITY)
          ?.latestFailedBackupRun,
      ).toEqual(expected);
      expect(
        (await store.getLatestEvidence(ENTITY)).latestFailedBackupRun,
      ).toMatchObject(expected);
      const page = await store.listFollowUps(ENTITY, { limit: 10, offset: 0 });
      expect(page.items.map(r => r.action)).toEqual([
        'resolved',
        'acknowledged',
      ]);
      expect(page.items[0]).toEqual(resolved.record);

      expect((await store.verify(ENTITY, new Date())).followUps).toEqual({
        intact: true,
        count: 2,
      });
      await knex('follow_ups')
        .where({ id: ack.record.id })
        .update({ ticket_url: 'https://tickets.example.com/OTHER' });
      const verification = await store.verify(ENTITY, new Date());
      expect(verification.intact).toBe(false);
      expect(verification.followUps?.brokenAt?.id).toBe(ack.record.id);
    });

    it("refuses follow-ups of succeeded, unknown or other entities' records", async () => {
      const { store } = await createStore(databaseId);
      const ok = await store.addBackupRun(backupRun(), meta());
      const okTest = await store.addRestoreTest(restoreTest(), meta());
      const otherRef = 'resource:default/payments-db';
      const elsewhere = await store.addBackupRun(
        backupRun({ outcome: 'failed' }),
        { ...meta(), entityRef: otherRef },
      );
      const partial = await store.addRestoreTest(
        restoreTest({ result: 'partial' }),
        meta(),
      );
      for (const failure of [
        { kind: 'backup-run', id: ok.record.id },
        { kind: 'restore-test', id: okTest.record.id },
        { kind: 'backup-run', id: elsewhere.record.id },
        { kind: 'restore-test', id: ok.record.id },
        { kind: 'backup-run', id: 'no-such-run' },
      ] as const) {
        await expect(
          store.addFollowUps([followUp(failure)], meta()),
        ).rejects.toThrow(`failure: no failed ${failure.kind} ${failure.id}`);
      }
      const accepted = await store.addFollowUps(
        [followUp({ kind: 'restore-test', id: partial.record.id })],
        meta(),
      );
      expect(accepted[0].record.sequence).toBe(1);
    });

    it('detects a record edited directly in the database', async () => {
      const { store, knex } = await createStore(databaseId);
      await store.addRestoreTest(restoreTest(), meta());
      const second = await store.addRestoreTest(restoreTest(), meta());
      await store.addRestoreTest(restoreTest(), meta());
      await knex('restore_tests')
        .where({ id: second.record.id })
        .update({ result: 'failed' });
      const verification = await store.verify(ENTITY, new Date());
      expect(verification.intact).toBe(false);
      expect(verification.restoreTests.brokenAt).toEqual({
        id: second.record.id,
        sequence: 2,
        problem: 'its content does not match its hash',
      });
    });

    it('detects a record deleted from the middle of a chain', async () => {
      const { store, knex } = await createStore(databaseId);
      await store.addBackupRun(backupRun(), meta());
      const second = await store.addBackupRun(backupRun(), meta());
      await store.addBackupRun(backupRun(), meta());
      await knex('backup_runs').where({ id: second.record.id }).delete();
      const { backupRuns } = await store.verify(ENTITY, new Date());
      expect(backupRuns.intact).toBe(false);
      expect(backupRuns.brokenAt?.problem).toBe('records 2 to 2 are missing');
    });

    it('prunes old backup runs from the start of each chain, leaving it verifiable', async () => {
      const { store } = await createStore(databaseId);
      await store.addBackupRun(backupRun(), meta('2025-01-01T00:00:00Z'));
      await store.addBackupRun(backupRun(), meta('2025-02-01T00:00:00Z'));
      await store.addBackupRun(backupRun(), meta('2026-11-01T00:00:00Z'));
      await store.addRestoreTest(restoreTest(), meta('2020-01-01T00:00:00Z'));
      expect(
        await store.pruneBackupRuns(new Date('2026-01-01T00:00:00Z')),
      ).toBe(2);
      const verification = await store.verify(ENTITY, new Date());
      expect(verification.backupRuns).toEqual({ intact: true, count: 1 });
      // restore tests are never pruned
      expect(verification.restoreTests.count).toBe(1);
    });

    it('streams restore tests of a period in bounded batches, ties included', async () => {
      const { store } = await createStore(databaseId);
      for (let i = 0; i < 23; i++) {
        // pairs share a completion time, so batch boundaries must break ties
        const minute = String(Math.floor(i / 2)).padStart(2, '0');
        await store.addRestoreTest(
          restoreTest({
            startedAt: '2026-11-19T08:00:00Z',
            completedAt: `2026-11-19T09:${minute}:00Z`,
            recoveryPointAt: undefined,
            scope: `test ${i}`,
          }),
          meta(),
        );
      }
      await store.addRestoreTest(
        restoreTest({
          startedAt: '2026-11-20T23:00:00Z',
          completedAt: '2026-11-21T00:00:00Z',
          recoveryPointAt: undefined,
        }),
        meta(),
      );
      const batches: number[] = [];
      const scopes: string[] = [];
      for await (const batch of store.restoreTestsCompletedBetween(
        new Date('2026-11-19T00:00:00Z'),
        new Date('2026-11-20T00:00:00Z'),
        5,
      )) {
        batches.push(batch.length);
        scopes.push(...batch.map(r => r.scope));
      }
      expect(batches).toEqual([5, 5, 5, 5, 3]);
      expect(new Set(scopes).size).toBe(23);
    });

    it('reports the latest evidence of every entity in one pass', async () => {
      const { store } = await createStore(databaseId);
      const other = { ...meta(), entityRef: 'resource:default/payments-db' };
      await store.addRestoreTest(
        restoreTest({ completedAt: '2026-11-19T09:30:00Z' }),
        meta(),
      );
      await store.addRestoreTest(
        restoreTest({ completedAt: '2026-11-19T10:00:00Z', result: 'failed' }),
        meta(),
      );
      await store.addBackupRun(backupRun(), other);
      const byEntity = await store.getLatestEvidenceByEntity();
      const single = await store.getLatestEvidence(ENTITY);
      expect(byEntity.get(ENTITY)).toEqual({
        latestRestoreTest: {
          id: single.latestRestoreTest!.id,
          completedAt: '2026-11-19T10:00:00.000Z',
          result: 'failed',
          restoreDurationSeconds:
            single.latestRestoreTest!.restoreDurationSeconds,
        },
        latestFailedRestoreTest: {
          id: single.latestRestoreTest!.id,
          completedAt: '2026-11-19T10:00:00.000Z',
          result: 'failed',
        },
        lastSuccessfulRestoreTest: {
          id: single.lastSuccessfulRestoreTest!.id,
          completedAt: '2026-11-19T09:30:00.000Z',
          result: 'succeeded',
          restoreDurationSeconds: 5400,
        },
      });
      expect(byEntity.get('resource:default/payments-db')).toEqual({
        latestBackupRun: expect.objectContaining({ outcome: 'succeeded' }),
        lastSuccessfulBackupRun: expect.objectContaining({
          runAt: '2026-11-20T02:00:00.000Z',
        }),
      });
    });

    it('keeps the per-entity latest evidence current through corrections, pruning and restarts', async () => {
      const { store, knex } = await createStore(databaseId);
      const wrong = await store.addRestoreTest(
        restoreTest({ completedAt: '2026-11-19T10:00:00Z' }),
        meta(),
      );
      expect(
        (await store.getLatestEvidenceByEntity()).get(ENTITY)
          ?.lastSuccessfulRestoreTest?.id,
      ).toBe(wrong.record.id);
      await store.addRestoreTest(
        restoreTest({ result: 'failed', supersedes: wrong.record.id }),
        meta(),
      );
      expect(
        (await store.getLatestEvidenceByEntity()).get(ENTITY)
          ?.lastSuccessfulRestoreTest,
      ).toBeUndefined();

      await store.addBackupRun(backupRun(), meta('2025-01-01T00:00:00Z'));
      await store.pruneBackupRuns(new Date('2026-01-01T00:00:00Z'));
      expect(
        (await store.getLatestEvidenceByEntity()).get(ENTITY)?.latestBackupRun,
      ).toBeUndefined();

      // records stored before the table existed are picked up at start-up
      await knex('latest_evidence').delete();
      const restarted = await DatabaseEvidenceStore.create({
        database: mockServices.database({ knex }),
      });
      expect(
        (await restarted.getLatestEvidenceByEntity()).get(ENTITY)
          ?.latestRestoreTest?.result,
      ).toBe('failed');
    });

    it('answers a write with exactly the record that reads return, for every kind', async () => {
      const { store } = await createStore(databaseId);
      const everything = { source: 'ci', externalId: 'x-1' };
      const tests = [
        await store.addRestoreTest(restoreTest(everything), meta()),
        await store.addRestoreTest(
          restoreTest({
            recoveryPointAt: undefined,
            evidenceUrl: undefined,
            restoreDurationSeconds: 42,
            issuesFound: 'slow',
            remediation: 'tune',
            validation: [{ type: 'integrity', outcome: 'failed' }],
            result: 'partial',
          }),
          meta(),
        ),
      ];
      const runs = [
        await store.addBackupRun(backupRun(everything), meta()),
        await store.addBackupRun(
          { runAt: '2026-11-20T03:00:00.5Z', outcome: 'failed', message: 'x' },
          meta(),
        ),
      ];
      const reviews = [
        await store.addAccessReview(
          accessReview({ ...everything, notes: 'all fine' }),
          meta(),
        ),
        await store.addAccessReview(
          accessReview({ evidenceUrl: undefined, admins: [] }),
          meta(),
        ),
      ];
      const page = { limit: 10, offset: 0 };
      const byId = <T extends { id: string }>(items: T[]) =>
        new Map(items.map(item => [item.id, item]));
      const listedTests = byId(
        (await store.listRestoreTests(ENTITY, page)).items,
      );
      const listedRuns = byId((await store.listBackupRuns(ENTITY, page)).items);
      const listedReviews = byId(
        (await store.listAccessReviews(ENTITY, page)).items,
      );
      for (const { record } of tests) {
        expect(record).toStrictEqual(listedTests.get(record.id));
        expect(record).toStrictEqual(await store.getRestoreTest(record.id));
      }
      for (const { record } of runs) {
        expect(record).toStrictEqual(listedRuns.get(record.id));
      }
      for (const { record } of reviews) {
        expect(record).toStrictEqual(listedReviews.get(record.id));
      }
      // and the hashes cover exactly those records
      expect((await store.verify(ENTITY, new Date())).intact).toBe(true);
    });

    it('appends a batch in order, chained, idempotent within and across batches', async () => {
      const { store } = await createStore(databaseId);
      const first = await store.addBackupRuns(
        [
          backupRun({ runAt: '2026-11-20T01:00:00Z' }),
          backupRun({ runAt: '2026-11-20T02:00:00Z', externalId: 'job-2' }),
          backupRun({ runAt: '2026-11-20T03:00:00Z', outcome: 'failed' }),
          backupRun({ runAt: '2026-11-20T09:00:00Z', externalId: 'job-2' }),
          backupRun({ runAt: '2026-11-20T04:00:00Z', externalId: 'job-4' }),
        ],
        meta(),
      );
      expect(first.map(r => [r.created, r.record.sequence])).toEqual([
        [true, 1],
        [true, 2],
        [true, 3],
        [false, 2],
        [true, 4],
      ]);
      expect(first[3].record).toBe(first[1].record);
      expect(first.map(r => r.record.runAt)).toEqual([
        '2026-11-20T01:00:00.000Z',
        '2026-11-20T02:00:00.000Z',
        '2026-11-20T03:00:00.000Z',
        '2026-11-20T02:00:00.000Z',
        '2026-11-20T04:00:00.000Z',
      ]);
      expect(first[0].record.previousHash).toBe('genesis');
      for (const i of [1, 2]) {
        expect(first[i].record.previousHash).toBe(first[i - 1].record.hash);
      }
      expect(first[4].record.previousHash).toBe(first[2].record.hash);

      const second = await store.addBackupRuns(
        [
          backupRun({ externalId: 'job-4', outcome: 'failed' }),
          backupRun({ runAt: '2026-11-20T05:00:00Z' }),
        ],
        meta(),
      );
      expect(second[0]).toEqual({ record: first[4].record, created: false });
      expect(second[1]).toMatchObject({
        created: true,
        record: { sequence: 5 },
      });
      expect(second[1].record.previousHash).toBe(first[4].record.hash);

      const listed = await store.listBackupRuns(ENTITY, {
        limit: 10,
        offset: 0,
      });
      expect(listed.totalCount).toBe(5);
      const stored = [...first, ...second]
        .filter(r => r.created)
        .map(r => r.record)
        .sort((a, b) => b.sequence - a.sequence);
      expect(listed.items).toStrictEqual(stored);
      expect((await store.verify(ENTITY, new Date())).backupRuns).toEqual({
        intact: true,
        count: 5,
      });
      expect(
        (await store.getLatestEvidenceByEntity()).get(ENTITY)?.latestBackupRun,
      ).toEqual({
        id: second[1].record.id,
        runAt: '2026-11-20T05:00:00.000Z',
        outcome: 'succeeded',
      });
    });

    it('appends batches of restore tests and access reviews as reads return them', async () => {
      const { store } = await createStore(databaseId);
      const [wrong] = await store.addRestoreTests(
        [restoreTest({ externalId: 'rt-0' })],
        meta(),
      );
      const tests = await store.addRestoreTests(
        [
          restoreTest({
            externalId: 'rt-1',
            completedAt: '2026-11-19T10:00:00Z',
          }),
          restoreTest({ supersedes: wrong.record.id, result: 'failed' }),
          restoreTest({ externalId: 'rt-1' }),
        ],
        meta(),
      );
      expect(tests.map(r => r.created)).toEqual([true, true, false]);
      const reviews = await store.addAccessReviews(
        [accessReview(), accessReview({ reviewedAt: '2026-11-11T10:00:00Z' })],
        meta(),
      );
      const page = { limit: 10, offset: 0 };
      const listedTests = (await store.listRestoreTests(ENTITY, page)).items;
      expect(listedTests.find(t => t.id === tests[0].record.id)).toStrictEqual(
        tests[0].record,
      );
      expect(listedTests.find(t => t.id === tests[1].record.id)).toStrictEqual(
        tests[1].record,
      );
      expect((await store.listAccessReviews(ENTITY, page)).items).toStrictEqual(
        reviews.map(r => r.record).reverse(),
      );
      // a repeat of a corrected record answers with what a read returns
      const [again] = await store.addRestoreTests(
        [restoreTest({ externalId: 'rt-0' })],
        meta(),
      );
      expect(again).toStrictEqual({
        record: { ...wrong.record, supersededBy: tests[1].record.id },
        created: false,
      });
      expect(again.record).toStrictEqual(
        await store.getRestoreTest(wrong.record.id),
      );
      expect((await store.verify(ENTITY, new Date())).intact).toBe(true);
    });

    it('stores none of a batch when one submission is refused', async () => {
      const { store } = await createStore(databaseId);
      await expect(
        store.addRestoreTests(
          [restoreTest(), restoreTest({ supersedes: 'no-such-record' })],
          meta(),
        ),
      ).rejects.toThrow(/supersedes: no restore test no-such-record/);
      expect(
        (await store.listRestoreTests(ENTITY, { limit: 10, offset: 0 }))
          .totalCount,
      ).toBe(0);
      expect((await store.getLatestEvidenceByEntity()).size).toBe(0);
    });

    it('appends a large batch in several statements, as one chain', async () => {
      const { store } = await createStore(databaseId);
      const inputs = Array.from({ length: 1200 }, (_, i) =>
        backupRun({
          runAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
          externalId: `run-${i % 1100}`,
        }),
      );
      const results = await store.addBackupRuns(inputs, meta());
      expect(results.filter(r => r.created)).toHaveLength(1100);
      expect(results[1150].record).toBe(results[50].record);
      expect((await store.verify(ENTITY, new Date())).backupRuns).toEqual({
        intact: true,
        count: 1100,
      });
      expect((await store.getLatestEvidence(ENTITY)).latestBackupRun?.id).toBe(
        results[1099].record.id,
      );
    });

    it('counts history from the chain ends, also after pruning', async () => {
      const { store } = await createStore(databaseId);
      const other = { ...meta(), entityRef: 'resource:default/payments-db' };
      for (const month of ['01', '02', '03', '11', '11']) {
        await store.addBackupRun(
          backupRun(),
          meta(`2026-${month}-01T00:00:00Z`),
        );
      }
      await store.addBackupRun(backupRun(), {
        ...other,
        recordedAt: new Date('2026-01-01T00:00:00Z'),
      });
      const page = { limit: 2, offset: 0 };
      expect((await store.listBackupRuns(ENTITY, page)).totalCount).toBe(5);
      expect(
        await store.listBackupRuns('component:default/none', page),
      ).toEqual({ items: [], totalCount: 0, limit: 2, offset: 0 });

      expect(
        await store.pruneBackupRuns(new Date('2026-03-15T00:00:00Z')),
      ).toBe(4);
      const pruned = await store.listBackupRuns(ENTITY, page);
      expect(pruned.totalCount).toBe(2);
      expect(pruned.items.map(r => r.sequence)).toEqual([5, 4]);
      expect(
        (await store.listBackupRuns(other.entityRef, page)).totalCount,
      ).toBe(0);
      // an entity left without evidence drops out of the overview
      expect(
        (await store.getLatestEvidenceByEntity()).has(other.entityRef),
      ).toBe(false);
      await store.addBackupRun(backupRun(), meta());
      expect((await store.listBackupRuns(ENTITY, page)).totalCount).toBe(3);
    });
  },
);

/**
 * A passed test on the 10th, corrected later (same time, failed), a backup
 * run on the 12th, a failed test on the 15th acknowledged on the 16th.
 */
async function storeWithHistory(databaseId: TestDatabaseId) {
  const { store } = await createStore(databaseId);
  const passed = await store.addRestoreTest(
    restoreTest({
      startedAt: '2026-11-10T08:00:00Z',
      completedAt: '2026-11-10T09:00:00Z',
    }),
    meta(),
  );
  const run = await store.addBackupRun(
    backupRun({ runAt: '2026-11-12T02:00:00Z' }),
    meta(),
  );
  const failed = await store.addRestoreTest(
    restoreTest({
      startedAt: '2026-11-15T08:00:00Z',
      completedAt: '2026-11-15T09:00:00Z',
      result: 'failed',
    }),
    meta(),
  );
  await store.addFollowUps(
    [
      followUp(
        { kind: 'restore-test', id: failed.record.id },
        { at: '2026-11-16T10:00:00Z' },
      ),
    ],
    meta(),
  );
  const correction = await store.addRestoreTest(
    restoreTest({
      startedAt: '2026-11-10T08:00:00Z',
      completedAt: '2026-11-10T09:00:00Z',
      result: 'partial',
      supersedes: passed.record.id,
    }),
    meta('2026-11-21T10:00:00Z'),
  );
  const asOf = async (at: string) =>
    (await store.getLatestEvidenceByEntityAsOf(new Date(at))).get(ENTITY);
  return {
    store,
    asOf,
    ids: {
      run: run.record.id,
      failed: failed.record.id,
      correction: correction.record.id,
    },
  };
}

describe.each(databases.eachSupportedId())(
  'latest evidence as of a past time on %p',
  databaseId => {
    it('names, at each time, the newest records of times up to it', async () => {
      const { asOf, ids } = await storeWithHistory(databaseId);
      expect(await asOf('2026-11-09T00:00:00Z')).toBeUndefined();

      // the correction has the corrected test's time, so it counts from then
      const on11th = await asOf('2026-11-11T00:00:00Z');
      expect(on11th?.latestRestoreTest).toMatchObject({
        id: ids.correction,
        result: 'partial',
      });
      expect(on11th?.lastSuccessfulRestoreTest).toBeUndefined();
      expect(on11th?.latestBackupRun).toBeUndefined();

      const on15th = await asOf('2026-11-15T12:00:00Z');
      expect(on15th?.latestBackupRun?.id).toBe(ids.run);
      expect(on15th?.latestFailedRestoreTest).toEqual({
        id: ids.failed,
        completedAt: '2026-11-15T09:00:00.000Z',
        result: 'failed',
      });

      const on17th = await asOf('2026-11-17T00:00:00Z');
      expect(on17th?.latestFailedRestoreTest).toEqual({
        id: ids.failed,
        completedAt: '2026-11-15T09:00:00.000Z',
        result: 'failed',
        acknowledgedAt: '2026-11-16T10:00:00.000Z',
      });
    });

    it('is, as of now, what the derived latest-evidence rows name', async () => {
      const { store } = await storeWithHistory(databaseId);
      expect(
        await store.getLatestEvidenceByEntityAsOf(
          new Date('2026-12-01T00:00:00Z'),
        ),
      ).toEqual(await store.getLatestEvidenceByEntity());
    });
  },
);
