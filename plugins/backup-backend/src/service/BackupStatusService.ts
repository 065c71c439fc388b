import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  BackupEvaluation,
  BackupPolicy,
  evaluateBackupStatus,
} from '@backup-assurance/plugin-backup-common';
import { EvidenceStore } from '../database/EvidenceStore';
import { EntityReader } from './entityAccess';

/**
 * Evaluates the backup status of catalog entities, as the caller sees them.
 *
 * @public
 */
export interface BackupStatusService {
  /** Throws NotFoundError when the entity does not exist or the caller cannot read it. */
  getStatus(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<BackupEvaluation>;
  getPolicy(): BackupPolicy;
}

/**
 * Combines the entity's annotations (as the caller may see them) with
 * the stored evidence and evaluates them against the policy.
 *
 * @public
 */
export class DefaultBackupStatusService implements BackupStatusService {
  /**
   * Used by the plugin itself: the entity reader and the evidence store are
   * internal to this package, so this factory is not part of the public API.
   *
   * @internal
   */
  static create(options: {
    entities: EntityReader;
    store: EvidenceStore;
    policy: BackupPolicy;
    clock?: () => Date;
  }): DefaultBackupStatusService {
    return new DefaultBackupStatusService(
      options.entities,
      options.store,
      options.policy,
      options.clock ?? (() => new Date()),
    );
  }

  private constructor(
    private readonly entities: EntityReader,
    private readonly store: EvidenceStore,
    private readonly policy: BackupPolicy,
    private readonly clock: () => Date,
  ) {}

  async getStatus(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<BackupEvaluation> {
    const entity = await this.entities.readVisible(
      stringifyEntityRef(entityRef),
      credentials,
    );
    const evidence = await this.store.getLatestEvidence(
      stringifyEntityRef(entity),
    );
    return evaluateBackupStatus(entity, this.policy, this.clock(), evidence);
  }

  getPolicy(): BackupPolicy {
    return this.policy;
  }
}
