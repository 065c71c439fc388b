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
    };
  };
}
