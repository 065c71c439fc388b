import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BackupEvaluation,
  BackupPolicy,
  evaluateBackupStatus,
} from '@backup-assurance/plugin-backup-common';

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
 * Reads entities through the catalog with the caller's own credentials, so
 * the catalog's permission rules decide what can be evaluated.
 *
 * @public
 */
export class DefaultBackupStatusService implements BackupStatusService {
  static create(options: {
    catalog: CatalogService;
    policy: BackupPolicy;
    clock?: () => Date;
  }): DefaultBackupStatusService {
    return new DefaultBackupStatusService(
      options.catalog,
      options.policy,
      options.clock ?? (() => new Date()),
    );
  }

  private constructor(
    private readonly catalog: CatalogService,
    private readonly policy: BackupPolicy,
    private readonly clock: () => Date,
  ) {}

  async getStatus(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<BackupEvaluation> {
    const ref = stringifyEntityRef(entityRef);
    const entity = await this.catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${ref} found`);
    }
    return evaluateBackupStatus(entity, this.policy, this.clock());
  }

  getPolicy(): BackupPolicy {
    return this.policy;
  }
}
