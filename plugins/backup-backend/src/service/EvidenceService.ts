import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import {
  AccessReviewInput,
  accessReviewInputProblems,
  AccessReviewRecord,
  backupAccessReviewCreatePermission,
  backupBackupRunCreatePermission,
  backupEvidenceReadPermission,
  BackupRunInput,
  BackupRunRecord,
  backupRunInputProblems,
  backupRestoreTestCreatePermission,
  EvidenceInputProblem,
  EvidencePage,
  EvidenceVerification,
  RestoreTestInput,
  restoreTestInputProblems,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import {
  AppendResult,
  EvidenceStore,
  PageRequest,
} from '../database/EvidenceStore';
import { EntityReader } from './entityAccess';
import { requirePermission } from './permissionCheck';

/** Who made a request, as it is written into a record. */
function recorderOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as
    | { type: 'user'; userEntityRef: string }
    | { type: 'service'; subject: string };
  return principal.type === 'user'
    ? principal.userEntityRef
    : `service:${principal.subject}`;
}

function rejectProblems(problems: EvidenceInputProblem[]) {
  if (problems.length > 0) {
    throw new InputError(problems.map(p => p.message).join('; '));
  }
}

/**
 * The rules around evidence: who may record and read it (permission
 * framework, for users and machines alike), that the entity must be visible
 * to the caller in the catalog, and that submissions make sense in time.
 */
export class EvidenceService {
  static create(options: {
    store: EvidenceStore;
    entities: EntityReader;
    permissions: PermissionsService;
    clock?: () => Date;
  }): EvidenceService {
    return new EvidenceService(
      options.store,
      options.entities,
      options.permissions,
      options.clock ?? (() => new Date()),
    );
  }

  private constructor(
    private readonly store: EvidenceStore,
    private readonly entities: EntityReader,
    private readonly permissions: PermissionsService,
    private readonly clock: () => Date,
  ) {}

  async recordRestoreTest(
    entityRef: string,
    input: RestoreTestInput,
    credentials: BackstageCredentials,
  ): Promise<AppendResult<RestoreTestRecord>> {
    await this.authorize(backupRestoreTestCreatePermission, credentials);
    const ref = await this.visibleRef(entityRef, credentials);
    const now = this.clock();
    rejectProblems(restoreTestInputProblems(input, now));
    return this.store.addRestoreTest(input, {
      entityRef: ref,
      recordedBy: recorderOf(credentials),
      recordedAt: now,
    });
  }

  async recordBackupRun(
    entityRef: string,
    input: BackupRunInput,
    credentials: BackstageCredentials,
  ): Promise<AppendResult<BackupRunRecord>> {
    await this.authorize(backupBackupRunCreatePermission, credentials);
    const ref = await this.visibleRef(entityRef, credentials);
    const now = this.clock();
    rejectProblems(backupRunInputProblems(input, now));
    return this.store.addBackupRun(input, {
      entityRef: ref,
      recordedBy: recorderOf(credentials),
      recordedAt: now,
    });
  }

  async recordAccessReview(
    entityRef: string,
    input: AccessReviewInput,
    credentials: BackstageCredentials,
  ): Promise<AppendResult<AccessReviewRecord>> {
    await this.authorize(backupAccessReviewCreatePermission, credentials);
    const ref = await this.visibleRef(entityRef, credentials);
    const now = this.clock();
    rejectProblems(accessReviewInputProblems(input, now));
    return this.store.addAccessReview(input, {
      entityRef: ref,
      recordedBy: recorderOf(credentials),
      recordedAt: now,
    });
  }

  async listRestoreTests(
    entityRef: string,
    page: PageRequest,
    credentials: BackstageCredentials,
  ): Promise<EvidencePage<RestoreTestRecord>> {
    await this.authorize(backupEvidenceReadPermission, credentials);
    const ref = await this.visibleRef(entityRef, credentials);
    return this.store.listRestoreTests(ref, page);
  }

  async getRestoreTest(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<RestoreTestRecord> {
    await this.authorize(backupEvidenceReadPermission, credentials);
    const record = await this.store.getRestoreTest(id);
    if (!record) {
      throw new NotFoundError(`No restore test ${id} found`);
    }
    try {
      await this.entities.readVisible(record.entityRef, credentials);
    } catch {
      // do not reveal which entity a hidden record belongs to
      throw new NotFoundError(`No restore test ${id} found`);
    }
    return record;
  }

  async listBackupRuns(
    entityRef: string,
    page: PageRequest,
    credentials: BackstageCredentials,
  ): Promise<EvidencePage<BackupRunRecord>> {
    await this.authorize(backupEvidenceReadPermission, credentials);
    const ref = await this.visibleRef(entityRef, credentials);
    return this.store.listBackupRuns(ref, page);
  }

  async listAccessReviews(
    entityRef: string,
    page: PageRequest,
    credentials: BackstageCredentials,
  ): Promise<EvidencePage<AccessReviewRecord>> {
    await this.authorize(backupEvidenceReadPermission, credentials);
    const ref = await this.visibleRef(entityRef, credentials);
    return this.store.listAccessReviews(ref, page);
  }

  async verify(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EvidenceVerification> {
    await this.authorize(backupEvidenceReadPermission, credentials);
    const ref = await this.visibleRef(entityRef, credentials);
    return this.store.verify(ref, this.clock());
  }

  private authorize(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ) {
    return requirePermission(this.permissions, permission, credentials);
  }

  private async visibleRef(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<string> {
    return stringifyEntityRef(
      await this.entities.readVisible(entityRef, credentials),
    );
  }
}
