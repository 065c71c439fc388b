// @ts-check

/**
 * Indexes in the order evidence is ranked: an entity's records by time, then
 * sequence. History pages and the newest record of an entity (read when a
 * correction replaces the latest evidence) walk them backwards without a
 * sort. They replace the (entity_ref, time) indexes, which they cover.
 */
const RANKED = [
  {
    table: 'restore_tests',
    time: 'completed_at',
    index: 'restore_tests_entity_rank_idx',
    replaced: 'restore_tests_entity_completed_idx',
  },
  {
    table: 'backup_runs',
    time: 'run_at',
    index: 'backup_runs_entity_rank_idx',
    replaced: 'backup_runs_entity_run_idx',
  },
  {
    table: 'access_reviews',
    time: 'reviewed_at',
    index: 'access_reviews_entity_rank_idx',
    replaced: 'access_reviews_entity_reviewed_idx',
  },
];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const { table, time, index, replaced } of RANKED) {
    await knex.schema.alterTable(table, t => {
      t.index(['entity_ref', time, 'sequence'], index);
      t.dropIndex(['entity_ref', time], replaced);
    });
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const { table, time, index, replaced } of RANKED) {
    await knex.schema.alterTable(table, t => {
      t.index(['entity_ref', time], replaced);
      t.dropIndex(['entity_ref', time, 'sequence'], index);
    });
  }
};
