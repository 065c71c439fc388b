// @ts-check

/**
 * Daily figures per owner group, for the coverage trend. One row per day and
 * owner: a second replica running the snapshot task writes nothing new.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('backup_snapshots', table => {
    table.comment('Daily backup figures per owner group');
    table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.string('owner').notNullable();
    table.text('figures').notNullable().comment('JSON BackupFigures');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['day', 'owner']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('backup_snapshots');
};
