// @ts-check

/**
 * Restore-test records and backup-run reports: append-only evidence, each
 * record chained by hash to the previous record of the same entity.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('restore_tests', table => {
    table.comment('Restore-test records (append-only)');
    table.string('id').primary().notNullable();
    table.string('entity_ref').notNullable();
    table
      .integer('sequence')
      .notNullable()
      .comment('Position in the entity chain, from 1');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('completed_at', { useTz: true }).notNullable();
    table.string('result').notNullable();
    table.text('scope').notNullable();
    table.timestamp('recovery_point_at', { useTz: true }).nullable();
    table.integer('restore_duration_seconds').notNullable();
    table
      .text('validation')
      .notNullable()
      .comment('JSON array of validation steps');
    table.string('executor').notNullable();
    table.text('evidence_url').nullable();
    table.text('issues_found').nullable();
    table.text('remediation').nullable();
    table.string('source').notNullable();
    table.string('external_id').nullable();
    table
      .string('supersedes')
      .nullable()
      .references('id')
      .inTable('restore_tests');
    table.string('recorded_by').notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.string('previous_hash').notNullable();
    table.string('hash').notNullable();
    table.unique(['entity_ref', 'sequence'], {
      indexName: 'restore_tests_chain_idx',
    });
    table.unique(['entity_ref', 'external_id'], {
      indexName: 'restore_tests_external_id_idx',
    });
    table.index(
      ['entity_ref', 'completed_at'],
      'restore_tests_entity_completed_idx',
    );
  });

  await knex.schema.createTable('backup_runs', table => {
    table.comment('Backup-run reports (append-only; pruned by age)');
    table.string('id').primary().notNullable();
    table.string('entity_ref').notNullable();
    table.integer('sequence').notNullable();
    table.timestamp('run_at', { useTz: true }).notNullable();
    table.string('outcome').notNullable();
    table.bigInteger('size_bytes').nullable();
    table.integer('duration_seconds').nullable();
    table.text('message').nullable();
    table.string('source').notNullable();
    table.string('external_id').nullable();
    table.string('recorded_by').notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.string('previous_hash').notNullable();
    table.string('hash').notNullable();
    table.unique(['entity_ref', 'sequence'], {
      indexName: 'backup_runs_chain_idx',
    });
    table.unique(['entity_ref', 'external_id'], {
      indexName: 'backup_runs_external_id_idx',
    });
    table.index(['entity_ref', 'run_at'], 'backup_runs_entity_run_idx');
    table.index(['recorded_at'], 'backup_runs_recorded_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('backup_runs');
  await knex.schema.dropTable('restore_tests');
};
