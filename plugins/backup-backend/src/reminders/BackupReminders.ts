import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import {
  BackupEntityRow,
  BackupPolicy,
} from '@backup-assurance/plugin-backup-common';
import { NotificationsConfig } from '../config';
import { EvidenceStore } from '../database/EvidenceStore';
import { BackupOverviewService } from '../service/BackupOverviewService';
import { EntityReader } from '../service/entityAccess';
import {
  ReminderEvent,
  reminderEventsOf,
  remindsOfFailures,
  unacknowledgedFailureEvents,
} from './reminderEvents';
import { reminderNotification } from './reminderNotification';
import { ReminderOccurrence, SentReminderStore } from './SentReminderStore';
import {
  digestFiguresOf,
  digestNotification,
  isoWeekOf,
  WEEKLY_DIGEST,
} from './weeklyDigest';

/** What one run did. */
export interface ReminderRunSummary {
  /** Notifications sent by this run. */
  sent: number;
  /** Events sent before, or being sent by another run right now. */
  alreadySent: number;
  /** Sends that failed; their events are retried by the next run. */
  failed: number;
  /** Events of entities without an owner, which nobody can be told about. */
  withoutOwner: number;
}

/**
 * Reminds owners of what falls due and what was left unattended, and sends
 * the managers a weekly digest; every event at most once.
 */
export interface BackupReminders {
  /** Sends every reminder (and the digest) due now that was not sent yet. */
  run(): Promise<ReminderRunSummary>;
}

export interface BackupRemindersOptions {
  overview: BackupOverviewService;
  entities: EntityReader;
  store: EvidenceStore;
  policy: BackupPolicy;
  notifications: NotificationService;
  sentReminders: SentReminderStore;
  config: Pick<
    NotificationsConfig,
    'events' | 'exemptionExpiringWithin' | 'digest'
  >;
  logger: LoggerService;
  clock?: () => Date;
}

/**
 * Evaluates every entity as the dashboard does, then for each event claims
 * it in the sent-reminders table before sending: of concurrent runs (a
 * timed-out run repeated on another replica) only the claimant sends. A
 * failed send gives the claim up so that the next run retries.
 */
export class DefaultBackupReminders implements BackupReminders {
  static create(options: BackupRemindersOptions): DefaultBackupReminders {
    return new DefaultBackupReminders(
      options,
      options.clock ?? (() => new Date()),
    );
  }

  private constructor(
    private readonly deps: Omit<BackupRemindersOptions, 'clock'>,
    private readonly clock: () => Date,
  ) {}

  async run(): Promise<ReminderRunSummary> {
    const summary: ReminderRunSummary = {
      sent: 0,
      alreadySent: 0,
      failed: 0,
      withoutOwner: 0,
    };
    const now = this.clock();
    const rows = await this.deps.overview.rows(
      await this.deps.entities.ownCredentials(),
    );
    for (const row of rows) {
      const events = await this.eventsOf(row, now);
      if (!row.owner) {
        summary.withoutOwner += events.length;
        continue;
      }
      for (const event of events) {
        await this.deliver(
          {
            entityRef: row.entityRef,
            kind: event.kind,
            key: event.key,
            recipient: row.owner,
          },
          reminderNotification(row, row.owner, event),
          summary,
        );
      }
    }
    const digest = this.deps.config.digest;
    if (digest) {
      const week = isoWeekOf(now);
      await this.deliver(
        {
          entityRef: digest.recipient,
          kind: WEEKLY_DIGEST,
          key: week,
          recipient: digest.recipient,
        },
        digestNotification(digest.recipient, week, digestFiguresOf(rows, now)),
        summary,
      );
    }
    return summary;
  }

  private async eventsOf(
    row: BackupEntityRow,
    now: Date,
  ): Promise<ReminderEvent[]> {
    const { config, entities, store, policy } = this.deps;
    const events = reminderEventsOf(row, {
      kinds: config.events,
      exemptionExpiringWithin: config.exemptionExpiringWithin,
      now,
    });
    if (remindsOfFailures(row, config.events)) {
      const [entity, evidence] = await Promise.all([
        entities.readVisible(row.entityRef, await entities.ownCredentials()),
        store.getLatestEvidence(row.entityRef),
      ]);
      events.push(
        ...unacknowledgedFailureEvents(entity, evidence, policy, now),
      );
    }
    return events;
  }

  /** Claim, send, record; or give the claim back if the send failed. */
  private async deliver(
    occurrence: ReminderOccurrence,
    notification: NotificationSendOptions,
    summary: ReminderRunSummary,
  ) {
    const { sentReminders, notifications, logger } = this.deps;
    const claim = await sentReminders.claim(occurrence, this.clock());
    if (!claim) {
      summary.alreadySent += 1;
      return;
    }
    try {
      await notifications.send(notification);
    } catch (error) {
      await sentReminders.release(claim);
      summary.failed += 1;
      logger.warn(
        `Backup reminder ${occurrence.kind} for ${occurrence.entityRef} not sent; the next run retries: ${error}`,
      );
      return;
    }
    await sentReminders.markSent(claim, this.clock());
    summary.sent += 1;
  }
}
