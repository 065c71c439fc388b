// @ts-check

/**
 * The evidence pack reads restore tests of a period in completion order, in
 * keyset batches: an index on (completed_at, id) keeps each batch a seek.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('restore_tests', table => {
    table.index(['completed_at', 'id'], 'restore_tests_completed_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('restore_tests', table => {
    table.dropIndex(['completed_at', 'id'], 'restore_tests_completed_idx');
  });
};
