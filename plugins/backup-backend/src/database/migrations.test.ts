import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'fs';
import { Knex } from 'knex';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@backup-assurance/plugin-backup-backend',
  'migrations',
);
const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter(file => file.endsWith('.js'))
  .sort();

async function migrateUpOnce(knex: Knex) {
  await knex.migrate.up({ directory: migrationsDir });
}

async function migrateDownOnce(knex: Knex) {
  await knex.migrate.down({ directory: migrationsDir });
}

async function indexNames(knex: Knex, table: string): Promise<string[]> {
  if (knex.client.dialect === 'postgresql') {
    return knex('pg_indexes').where({ tablename: table }).pluck('indexname');
  }
  const indexes = await knex.raw('pragma index_list(??)', [table]);
  return indexes.map((index: { name: string }) => index.name);
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('migrations on %p', databaseId => {
  it('steps every migration up and down, keeping data on the way up', async () => {
    const knex = await databases.init(databaseId);
    expect(migrationFiles).toEqual([
      '20261123_evidence.js',
      '20261124_snapshots.js',
      '20261125_restore_tests_indexes.js',
      '20261126_latest_evidence.js',
      '20261127_access_reviews.js',
      '20261128_evidence_rank_indexes.js',
      '20261129_follow_ups.js',
      '20261130_sent_reminders.js',
      '20261207_backup_runs_time_index.js',
    ]);

    // 20261123_evidence
    await migrateUpOnce(knex);
    await knex('restore_tests').insert({
      id: 'rt-1',
      entity_ref: 'component:default/a',
      sequence: 1,
      started_at: new Date('2026-11-01T08:00:00Z'),
      completed_at: new Date('2026-11-01T09:00:00Z'),
      result: 'succeeded',
      scope: 'full restore',
      restore_duration_seconds: 3600,
      validation: '[]',
      executor: 'alice',
      source: 'manual',
      recorded_by: 'user:default/alice',
      recorded_at: new Date('2026-11-01T09:05:00Z'),
      previous_hash: 'genesis',
      hash: 'h1',
    });
    await knex('backup_runs').insert({
      id: 'br-1',
      entity_ref: 'component:default/a',
      sequence: 1,
      run_at: new Date('2026-11-01T02:00:00Z'),
      outcome: 'succeeded',
      size_bytes: 10_000_000_000,
      source: 'velero',
      recorded_by: 'service:external:velero',
      recorded_at: new Date('2026-11-01T02:10:00Z'),
      previous_hash: 'genesis',
      hash: 'h2',
    });

    // 20261124_snapshots: the evidence survives it
    await migrateUpOnce(knex);
    expect(await knex('restore_tests').select('id')).toEqual([{ id: 'rt-1' }]);
    const [run] = await knex('backup_runs').select('size_bytes');
    expect(Number(run.size_bytes)).toBe(10_000_000_000);
    await knex('backup_snapshots').insert({
      day: '2026-11-23',
      owner: 'group:default/payments',
      figures: '{}',
      created_at: new Date(),
    });

    // 20261125_restore_tests_indexes: indexes only, data untouched
    await migrateUpOnce(knex);
    expect(await knex('restore_tests').select('id')).toEqual([{ id: 'rt-1' }]);
    expect(await knex('backup_snapshots').count({ n: '*' })).toEqual([
      { n: expect.anything() },
    ]);

    // 20261126_latest_evidence: a derived table, filled by the store
    await migrateUpOnce(knex);
    expect(await knex('restore_tests').select('id')).toEqual([{ id: 'rt-1' }]);
    expect(await knex.schema.hasTable('latest_evidence')).toBe(true);
    await knex('latest_evidence').insert({
      entity_ref: 'component:default/a',
      latest_test_id: 'rt-1',
    });

    // 20261127_access_reviews: a new chain, and the derived row keeps its data
    await migrateUpOnce(knex);
    await knex('access_reviews').insert({
      id: 'ar-1',
      entity_ref: 'component:default/a',
      sequence: 1,
      reviewed_at: new Date('2026-11-02T10:00:00Z'),
      reviewer: 'Sam Security',
      outcome: 'confirmed',
      admins: '["group:default/backup-admins"]',
      source: 'manual',
      recorded_by: 'user:default/sam',
      recorded_at: new Date('2026-11-02T10:05:00Z'),
      previous_hash: 'genesis',
      hash: 'h3',
    });
    expect(
      await knex('latest_evidence').select(
        'latest_test_id',
        'latest_review_id',
      ),
    ).toEqual([{ latest_test_id: 'rt-1', latest_review_id: null }]);

    // 20261128_evidence_rank_indexes: ranking indexes replace the time ones
    await migrateUpOnce(knex);
    expect(await knex('restore_tests').select('id')).toEqual([{ id: 'rt-1' }]);
    expect(await indexNames(knex, 'restore_tests')).toContain(
      'restore_tests_entity_rank_idx',
    );
    expect(await indexNames(knex, 'backup_runs')).not.toContain(
      'backup_runs_entity_run_idx',
    );
    expect(await indexNames(knex, 'access_reviews')).toContain(
      'access_reviews_entity_rank_idx',
    );

    // 20261129_follow_ups: a new chain; the derived table is emptied, to be
    // derived again with the latest failures
    await migrateUpOnce(knex);
    expect(await knex('latest_evidence').select('entity_ref')).toEqual([]);
    await knex('follow_ups').insert({
      id: 'fu-1',
      entity_ref: 'component:default/a',
      sequence: 1,
      failure_kind: 'backup-run',
      failure_id: 'br-1',
      action: 'acknowledged',
      acted_at: new Date('2026-11-03T10:00:00Z'),
      ticket_url: 'https://tickets.example.com/OPS-1',
      source: 'manual',
      recorded_by: 'user:default/sam',
      recorded_at: new Date('2026-11-03T10:05:00Z'),
      previous_hash: 'genesis',
      hash: 'h4',
    });
    await knex('latest_evidence').insert({
      entity_ref: 'component:default/a',
      latest_test_id: 'rt-1',
      failed_run_id: 'br-1',
    });
    expect(await indexNames(knex, 'follow_ups')).toContain(
      'follow_ups_failure_idx',
    );

    // 20261130_sent_reminders: one row per event, a second insert refused
    await migrateUpOnce(knex);
    const reminder = {
      entity_ref: 'component:default/a',
      event_kind: 'restore-test-due-soon',
      event_key: '2026-12-02',
      recipient: 'group:default/payments',
      claim_id: '00000000-0000-4000-8000-000000000001',
      claimed_at: new Date('2026-11-30T08:00:00Z'),
    };
    await knex('backup_sent_reminders').insert(reminder);
    await expect(
      knex('backup_sent_reminders').insert({ ...reminder, claim_id: 'other' }),
    ).rejects.toThrow();
    expect(await knex('follow_ups').select('id')).toEqual([{ id: 'fu-1' }]);

    // 20261207_backup_runs_time_index: an index only, data untouched
    await migrateUpOnce(knex);
    expect(await indexNames(knex, 'backup_runs')).toContain(
      'backup_runs_time_idx',
    );
    expect(await knex('backup_runs').select('id')).toEqual([{ id: 'br-1' }]);

    // and back down, one step at a time
    await migrateDownOnce(knex);
    expect(await indexNames(knex, 'backup_runs')).not.toContain(
      'backup_runs_time_idx',
    );
    expect(await knex('backup_runs').select('id')).toEqual([{ id: 'br-1' }]);
    await migrateDownOnce(knex);
    expect(await knex.schema.hasTable('backup_sent_reminders')).toBe(false);
    expect(await knex('follow_ups').select('id')).toEqual([{ id: 'fu-1' }]);
    await migrateDownOnce(knex);
    expect(await knex.schema.hasTable('follow_ups')).toBe(false);
    expect(
      await knex.schema.hasColumn('latest_evidence', 'failed_run_id'),
    ).toBe(false);
    expect(await knex('latest_evidence').select('latest_test_id')).toEqual([
      { latest_test_id: 'rt-1' },
    ]);
    await migrateDownOnce(knex);
    expect(await indexNames(knex, 'restore_tests')).toContain(
      'restore_tests_entity_completed_idx',
    );
    expect(await indexNames(knex, 'backup_runs')).not.toContain(
      'backup_runs_entity_rank_idx',
    );
    expect(await knex('access_reviews').select('id')).toEqual([{ id: 'ar-1' }]);
    await migrateDownOnce(knex);
    expect(await knex.schema.hasTable('access_reviews')).toBe(false);
    expect(
      await knex.schema.hasColumn('latest_evidence', 'latest_review_id'),
    ).toBe(false);
    expect(await knex('latest_evidence').select('latest_test_id')).toEqual([
      { latest_test_id: 'rt-1' },
    ]);
    await migrateDownOnce(knex);
    expect(await knex.schema.hasTable('latest_evidence')).toBe(false);
    await migrateDownOnce(knex);
    expect(await knex('restore_tests').select('id')).toEqual([{ id: 'rt-1' }]);
    await migrateDownOnce(knex);
    expect(await knex.schema.hasTable('backup_snapshots')).toBe(false);
    expect(await knex('restore_tests').select('id')).toEqual([{ id: 'rt-1' }]);
    await migrateDownOnce(knex);
    expect(await knex.schema.hasTable('restore_tests')).toBe(false);
    expect(await knex.schema.hasTable('backup_runs')).toBe(false);

    await knex.migrate.latest({ directory: migrationsDir });
    expect(await knex.schema.hasTable('backup_snapshots')).toBe(true);
    await knex.destroy();
  });
});
