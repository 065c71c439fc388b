import { DatabaseService } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { DateTime } from 'luxon';
import { migratedClient } from '../database/migrations';

const SENT_REMINDERS = 'backup_sent_reminders';

/** One occurrence of something worth a notification. */
export interface ReminderOccurrence {
  /** The entity it is about, or the digest's recipient. */
  entityRef: string;
  kind: string;
  /** Tells this occurrence from later ones: a due date, a record id, a week. */
  key: string;
  recipient: string;
}

/** The right to send one occurrence's notification, held by one run. */
export interface ReminderClaim extends ReminderOccurrence {
  claimId: string;
}

/**
 * Which reminders were sent. An occurrence is claimed before its notification
 * is sent, so that of any number of concurrent runs exactly one sends it.
 */
export interface SentReminderStore {
  /**
   * Claims an occurrence; undefined when it was sent already or another run
   * holds a claim younger than the lease.
   */
  claim(
    occurrence: ReminderOccurrence,
    now: Date,
  ): Promise<ReminderClaim | undefined>;
  /** Records that the claimed notification was sent. */
  markSent(claim: ReminderClaim, now: Date): Promise<void>;
  /** Gives a claim up after a failed send, so that the next run retries. */
  release(claim: ReminderClaim): Promise<void>;
}

/**
 * The store on the plugin's database: the (entity, kind, key) primary key
 * decides which run's insert wins; a claim that was never marked sent (its
 * run died) can be taken over once it is older than the lease.
 */
export class DatabaseSentReminderStore implements SentReminderStore {
  static async create(options: {
    database: DatabaseService;
    /** How long a claim blocks other runs: the reminder task's timeout. */
    lease: HumanDuration;
  }): Promise<DatabaseSentReminderStore> {
    return new DatabaseSentReminderStore(
      await migratedClient(options.database),
      options.lease,
    );
  }

  private constructor(
    private readonly db: Knex,
    private readonly lease: HumanDuration,
  ) {}

  async claim(
    occurrence: ReminderOccurrence,
    now: Date,
  ): Promise<ReminderClaim | undefined> {
    const claim = { ...occurrence, claimId: randomUUID() };
    const inserted = await this.db(SENT_REMINDERS)
      .insert({
        ...this.eventColumns(occurrence),
        recipient: occurrence.recipient,
        claim_id: claim.claimId,
        claimed_at: now,
        sent_at: null,
      })
      .onConflict(['entity_ref', 'event_kind', 'event_key'])
      .ignore()
      .returning(['claim_id']);
    if (inserted.length > 0) return claim;
    const abandonedBefore = DateTime.fromJSDate(now)
      .minus(this.lease)
      .toJSDate();
    const taken = await this.db(SENT_REMINDERS)
      .where(this.eventColumns(occurrence))
      .whereNull('sent_at')
      .where('claimed_at', '<', abandonedBefore)
      .update({
        recipient: occurrence.recipient,
        claim_id: claim.claimId,
        claimed_at: now,
      });
    return taken === 1 ? claim : undefined;
  }

  async markSent(claim: ReminderClaim, now: Date): Promise<void> {
    await this.db(SENT_REMINDERS)
      .where({ ...this.eventColumns(claim), claim_id: claim.claimId })
      .update({ sent_at: now });
  }

  async release(claim: ReminderClaim): Promise<void> {
    await this.db(SENT_REMINDERS)
      .where({ ...this.eventColumns(claim), claim_id: claim.claimId })
      .whereNull('sent_at')
      .delete();
  }

  private eventColumns(occurrence: ReminderOccurrence) {
    return {
      entity_ref: occurrence.entityRef,
      event_kind: occurrence.kind,
      event_key: occurrence.key,
    };
  }
}
