// @ts-check

/**
 * The latest evidence of each entity, kept up to date on every append, so
 * that the org-wide views read one small row per entity instead of ranking
 * every record. The store fills it for existing records at start-up.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('latest_evidence', table => {
    table.comment('Latest restore test and backup run per entity (derived)');
    table.string('entity_ref').primary().notNullable();
    table.string('latest_test_id').nullable();
    table.timestamp('latest_test_completed_at', { useTz: true }).nullable();
    table.string('latest_test_result').nullable();
    table.integer('latest_test_duration_seconds').nullable();
    table.string('successful_test_id').nullable();
    table.timestamp('successful_test_completed_at', { useTz: true }).nullable();
    table.integer('successful_test_duration_seconds').nullable();
    table.string('latest_run_id').nullable();
    table.timestamp('latest_run_at', { useTz: true }).nullable();
    table.string('latest_run_outcome').nullable();
    table.string('successful_run_id').nullable();
    table.timestamp('successful_run_at', { useTz: true }).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('latest_evidence');
};
