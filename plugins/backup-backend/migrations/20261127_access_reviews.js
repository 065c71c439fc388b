// @ts-check

/**
 * Reviews of who can delete backups or disable backup jobs: append-only and
 * chained per entity like the other evidence. The derived latest_evidence
 * table gains the latest review of each entity.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('access_reviews', table => {
    table.comment('Backup administrator access reviews (append-only)');
    table.string('id').primary().notNullable();
    table.string('entity_ref').notNullable();
    table.integer('sequence').notNullable();
    table.timestamp('reviewed_at', { useTz: true }).notNullable();
    table.string('reviewer').notNullable();
    table.string('outcome').notNullable();
    table.text('admins').notNullable().comment('JSON array of strings');
    table.text('evidence_url').nullable();
    table.text('notes').nullable();
    table.string('source').notNullable();
    table.string('external_id').nullable();
    table.string('recorded_by').notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.string('previous_hash').notNullable();
    table.string('hash').notNullable();
    table.unique(['entity_ref', 'sequence'], {
      indexName: 'access_reviews_chain_idx',
    });
    table.unique(['entity_ref', 'external_id'], {
      indexName: 'access_reviews_external_id_idx',
    });
    table.index(
      ['entity_ref', 'reviewed_at'],
      'access_reviews_entity_reviewed_idx',
    );
  });
  await knex.schema.alterTable('latest_evidence', table => {
    table.string('latest_review_id').nullable();
    table.timestamp('latest_review_at', { useTz: true }).nullable();
    table.string('latest_review_outcome').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('latest_evidence', table => {
    table.dropColumn('latest_review_id');
    table.dropColumn('latest_review_at');
    table.dropColumn('latest_review_outcome');
  });
  await knex.schema.dropTable('access_reviews');
};
