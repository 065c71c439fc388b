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
import { ExemptionApproverReader } from './ExemptionApproverReader';

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
 * the stored evidence and its exemption approver's groups, and evaluates
 * them against the policy.
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
      ExemptionApproverReader.create(options),
      options.clock ?? (() => new Date()),
    );
  }

  private constructor(
    private readonly entities: EntityReader,
    private readonly store: EvidenceStore,
    private readonly policy: BackupPolicy,
    private readonly approvers: ExemptionApproverReader,
    private readonly clock: () => Date,
  ) {}

  async getStatus(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<BackupEvaluation> {
    const requestedRef = stringifyEntityRef(entityRef);
    // The evidence read does not wait for the catalog's: the ref is known.
    // Until the catalog answers, nothing of the evidence leaves this method,
    // so an entity the caller cannot read stays a 404.
    const requestedEvidence = this.store.getLatestEvidence(requestedRef);
    requestedEvidence.catch(() => {}); // awaited below, unless readVisible throws
    const entity = await this.entities.readVisible(requestedRef, credentials);
    const ref = stringifyEntityRef(entity);
    const [evidence, context] = await Promise.all([
      // refs are case-insensitive: evidence is kept under the canonical one
      ref === requestedRef
        ? requestedEvidence
        : this.store.getLatestEvidence(ref),
      this.approvers.contextFor([entity]),
    ]);
    return evaluateBackupStatus(
      entity,
      this.policy,
      this.clock(),
      evidence,
      context,
    );
  }

  getPolicy(): BackupPolicy {
    return this.policy;
  }
}
