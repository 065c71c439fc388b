// @ts-check

/**
 * The evidence pack reads a period's failed backup runs in time order, in
 * keyset batches (run_at, id), as it reads restore tests by
 * restore_tests_completed_idx: each batch seeks to where the last ended.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('backup_runs', table => {
    table.index(['run_at', 'id'], 'backup_runs_time_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('backup_runs', table => {
    table.dropIndex(['run_at', 'id'], 'backup_runs_time_idx');
  });
};
