// @ts-check

/**
 * Indexes for reading restore tests across entities: the evidence pack reads
 * a period in completion order, in keyset batches (completed_at, id), and
 * the latest evidence of every entity skips records that a later one
 * supersedes (supersedes).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('restore_tests', table => {
    table.index(['completed_at', 'id'], 'restore_tests_completed_idx');
    table.index(['supersedes'], 'restore_tests_supersedes_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('restore_tests', table => {
    table.dropIndex(['supersedes'], 'restore_tests_supersedes_idx');
    table.dropIndex(['completed_at', 'id'], 'restore_tests_completed_idx');
  });
};
