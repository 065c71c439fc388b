import { HumanDuration } from '@backstage/types';

export interface Config {
  backup?: {
    /** The evidence store. */
    evidence?: {
      /**
       * Age after which backup-run reports are pruned by a daily task
       * (restore-test records are never pruned). ISO 8601 duration or a
       * duration object. Default 400 days.
       */
      backupRunRetention?: string | HumanDuration;
    };
    /** The evidence-pack download, `GET /export`. */
    export?: {
      /**
       * Evidence-pack downloads streamed at once (each holds at most about
       * 8 MB of records); more are answered 429 with Retry-After. A whole
       * number from 1 to 100. Default 4.
       */
      maxConcurrentDownloads?: number;
    };
    /** The daily snapshots of the figures per owner, the dashboard's trends. */
    snapshots?: {
      /**
       * Past days (0 to 366) that the snapshot task reconstructs when they
       * have no snapshot, so that a new portal's trend is not a single dot:
       * today's entities evaluated at the end of each day with the evidence
       * of times up to it (a record sent late counts from the time it names).
       * Default 0: only days actually observed.
       */
      backfillDays?: number;
    };
    /**
     * Reminders to each entity's owner (spec.owner) through Backstage
     * notifications, and a weekly digest to a managers' group. Every event is
     * notified once, whatever the number of runs, restarts and replicas.
     */
    notifications?: {
      /** Schedule the reminder task. Default false. */
      enabled?: boolean;
      /**
       * When the task runs (scope is always global). Defaults: every hour
       * (PT1H), a 15-minute timeout (PT15M), first run 5 minutes after start-up.
       */
      schedule?: {
        /** ISO 8601 duration, a duration object, or { cron: "0 7 * * *" }. */
        frequency?: string | HumanDuration | { cron: string };
        /** Also how long an unfinished send blocks other replicas. */
        timeout?: string | HumanDuration;
        initialDelay?: string | HumanDuration;
      };
      /** Which reminders are sent; each defaults to true. */
      events?: {
        /** The restore test falls due within backup.policy.dueSoonWindow. */
        restoreTestDueSoon?: boolean;
        /** The restore test is overdue, or none was ever recorded. */
        restoreTestOverdue?: boolean;
        /** A failed backup run or restore test was not acknowledged in time. */
        failureUnacknowledged?: boolean;
        /** The access review of PII backups is due soon, overdue or missing. */
        accessReviewDue?: boolean;
        /** An exemption ends within exemptionExpiringWithin. */
        exemptionExpiring?: boolean;
      };
      /**
       * How long before an exemption ends its owners are reminded (ISO 8601 or
       * { days: … }). Default 30 days, as the dashboard's "expiring soon".
       */
      exemptionExpiringWithin?: string | HumanDuration;
      /** The weekly digest of the org-wide figures, once per ISO week. */
      digest?: {
        /** Default: true when a recipient is set. */
        enabled?: boolean;
        /** Entity ref of the group to send it to, e.g. group:default/security-grc. */
        recipient?: string;
      };
    };
    /**
     * The agreed backup policy every entity in scope is evaluated against.
     * Every key is optional; omitted keys take the defaults in the README.
     */
    policy?: {
      /** Policy version shown to auditors, e.g. "2026.1". Default "unversioned". */
      version?: string;
      /** Who approved the policy, e.g. "CTO, Jane Doe". */
      approvedBy?: string;
      /** When the policy was approved (ISO 8601 date). */
      approvedAt?: string;
      /**
       * Which entities the policy covers: an entity is in scope when it matches
       * any rule. Default: production components and all resources.
       */
      scope?: Array<{
        /** Entity kinds, e.g. Component or [Component, Resource]. */
        kind: string | string[];
        /** spec.type values; omitted matches any. */
        type?: string | string[];
        /** spec.lifecycle values; omitted matches any. */
        lifecycle?: string | string[];
      }>;
      /**
       * Annotations every in-scope entity must carry, by short name (method,
       * data-classification, owner, ...). Default: method,
       * data-classification, owner, frequency, retention.
       */
      requiredAnnotations?: string[];
      /**
       * Maximum age of the last restore test per data classification, as an
       * ISO 8601 duration or a duration object. Default: 180 days; 90 days for
       * pii and sensitive-pii.
       */
      restoreTestInterval?: {
        default?: string | HumanDuration;
        public?: string | HumanDuration;
        internal?: string | HumanDuration;
        confidential?: string | HumanDuration;
        pii?: string | HumanDuration;
        'sensitive-pii'?: string | HumanDuration;
      };
      /** How long before the due date a test counts as due soon. Default 14 days. */
      dueSoonWindow?: string | HumanDuration;
      /**
       * Data classifications whose backups must be encrypted.
       * Default: confidential, pii, sensitive-pii.
       */
      encryptionRequiredFor?: string[];
      /**
       * Data classifications whose backups must be access-controlled like
       * production: named administrators, deletion protection, access logging
       * and a periodic access review. Default: pii, sensitive-pii.
       */
      accessControlRequiredFor?: string[];
      /**
       * Maximum age of the last review of who can delete backups or disable
       * backup jobs (ISO 8601 or { days: … }). Default: 90 days.
       */
      accessReviewInterval?: string | HumanDuration;
      /**
       * How soon a failed backup run or restore test must be acknowledged
       * with a ticket before it is a finding (ISO 8601 or { hours: … }).
       * Default: one day.
       */
      failureAcknowledgeWithin?: string | HumanDuration;
      /**
       * Group entity refs (kind defaults to group, namespace to default)
       * whose members may approve an exemption; the group itself may be
       * named as approver too. An exemption whose
       * backup-assurance.io/exemption-approved-by names anyone else is not
       * honoured. Default: none, so no exemption is honoured until the policy
       * names who approves them.
       */
      exemptionApprovers?: string[];
      /**
       * The longest an exemption may run: it is honoured only while its
       * expiry lies within this much of the evaluation time (ISO 8601 or
       * { days: … }). Default: 180 days.
       */
      maxExemption?: string | HumanDuration;
    };
  };
}
