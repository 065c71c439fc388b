// @ts-check

/**
 * Follow-ups of failed backup runs and restore tests (acknowledged with a
 * ticket, resolved with a note): append-only and chained per entity like the
 * other evidence. latest_evidence gains each entity's newest failures; it is
 * emptied so that the store derives it again, failures included, at start-up.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('follow_ups', table => {
    table.comment('Follow-ups of failed runs and restore tests (append-only)');
    table.string('id').primary().notNullable();
    table.string('entity_ref').notNullable();
    table.integer('sequence').notNullable();
    table.string('failure_kind').notNullable();
    table.string('failure_id').notNullable();
    table.string('action').notNullable();
    table.timestamp('acted_at', { useTz: true }).notNullable();
    table.text('ticket_url').nullable();
    table.text('resolution').nullable();
    table.string('acted_by').nullable();
    table.string('source').notNullable();
    table.string('external_id').nullable();
    table.string('recorded_by').notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.string('previous_hash').notNullable();
    table.string('hash').notNullable();
    table.unique(['entity_ref', 'sequence'], {
      indexName: 'follow_ups_chain_idx',
    });
    table.unique(['entity_ref', 'external_id'], {
      indexName: 'follow_ups_external_id_idx',
    });
    table.index(['entity_ref', 'failure_id'], 'follow_ups_failure_idx');
    table.index(
      ['entity_ref', 'acted_at', 'sequence'],
      'follow_ups_entity_rank_idx',
    );
  });
  await knex.schema.alterTable('latest_evidence', table => {
    table.string('failed_test_id').nullable();
    table.timestamp('failed_test_completed_at', { useTz: true }).nullable();
    table.string('failed_test_result').nullable();
    table.string('failed_run_id').nullable();
    table.timestamp('failed_run_at', { useTz: true }).nullable();
  });
  await knex('latest_evidence').delete();
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('latest_evidence', table => {
    table.dropColumn('failed_test_id');
    table.dropColumn('failed_test_completed_at');
    table.dropColumn('failed_test_result');
    table.dropColumn('failed_run_id');
    table.dropColumn('failed_run_at');
  });
  await knex.schema.dropTable('follow_ups');
};
