// @ts-check

/**
 * Reminders sent to owners (and the weekly digest), one row per event: the
 * primary key is what makes an event notify once across runs, restarts and
 * replicas. A row is claimed before the notification is sent and marked sent
 * after; a claim never marked sent may be taken over once it is older than
 * the reminder task's timeout.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('backup_sent_reminders', table => {
    table.comment('Reminders and digests sent, one row per event');
    table.string('entity_ref').notNullable().comment('Or the digest recipient');
    table.string('event_kind', 64).notNullable();
    table
      .string('event_key')
      .notNullable()
      .comment('The occurrence: a due date, a failed record id, an ISO week');
    table.string('recipient').notNullable();
    table.string('claim_id', 36).notNullable().comment('The run sending it');
    table.timestamp('claimed_at', { useTz: true }).notNullable();
    table.timestamp('sent_at', { useTz: true }).nullable();
    table.primary(['entity_ref', 'event_kind', 'event_key']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('backup_sent_reminders');
};
