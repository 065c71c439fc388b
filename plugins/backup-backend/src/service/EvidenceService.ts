import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import {
  AccessReviewInput,
  accessReviewInputProblems,
  AccessReviewRecord,
  backupAccessReviewCreatePermission,
  backupBackupRunCreatePermission,
  backupEvidenceReadPermission,
  backupFollowUpCreatePermission,
  BackupRunInput,
  BackupRunRecord,
  backupRunInputProblems,
  backupRestoreTestCreatePermission,
  EvidenceInputProblem,
  EvidencePage,
  EvidenceVerification,
  FollowUpInput,
  followUpInputProblems,
  FollowUpRecord,
  RestoreTestInput,
  restoreTestInputProblems,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import {
  AppendResult,
  EvidenceStore,
  PageRequest,
  RecordedBy,
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
    const [result] = await this.recordRestoreTests(
      entityRef,
      [input],
      credentials,
    );
    return result;
  }

  /** Many restore tests of one entity, chained in order (for collectors). */
  recordRestoreTests(
    entityRef: string,
    inputs: RestoreTestInput[],
    credentials: BackstageCredentials,
  ): Promise<AppendResult<RestoreTestRecord>[]> {
    return this.record(entityRef, inputs, credentials, {
      permission: backupRestoreTestCreatePermission,
      problems: restoreTestInputProblems,
      append: (items, meta) => this.store.addRestoreTests(items, meta),
    });
  }

  async recordBackupRun(
    entityRef: string,
    input: BackupRunInput,
    credentials: BackstageCredentials,
  ): Promise<AppendResult<BackupRunRecord>> {
    const [result] = await this.recordBackupRuns(
      entityRef,
      [input],
      credentials,
    );
    return result;
  }

  recordBackupRuns(
    entityRef: string,
    inputs: BackupRunInput[],
    credentials: BackstageCredentials,
  ): Promise<AppendResult<BackupRunRecord>[]> {
    return this.record(entityRef, inputs, credentials, {
      permission: backupBackupRunCreatePermission,
      problems: backupRunInputProblems,
      append: (items, meta) => this.store.addBackupRuns(items, meta),
    });
  }

  async recordAccessReview(
    entityRef: string,
    input: AccessReviewInput,
    credentials: BackstageCredentials,
  ): Promise<AppendResult<AccessReviewRecord>> {
    const [result] = await this.recordAccessReviews(
      entityRef,
      [input],
      credentials,
    );
    return result;
  }

  recordAccessReviews(
    entityRef: string,
    inputs: AccessReviewInput[],
    credentials: BackstageCredentials,
  ): Promise<AppendResult<AccessReviewRecord>[]> {
    return this.record(entityRef, inputs, credentials, {
      permission: backupAccessReviewCreatePermission,
      problems: accessReviewInputProblems,
      append: (items, meta) => this.store.addAccessReviews(items, meta),
    });
  }

  /** Acknowledgements and resolutions of failures, chained in order. */
  recordFollowUps(
    entityRef: string,
    inputs: FollowUpInput[],
    credentials: BackstageCredentials,
  ): Promise<AppendResult<FollowUpRecord>[]> {
    return this.record(entityRef, inputs, credentials, {
      permission: backupFollowUpCreatePermission,
      problems: followUpInputProblems,
      append: (items, meta) => this.store.addFollowUps(items, meta),
    });
  }

  /**
   * The path every submission takes: permission, a visible entity, every
   * item checked against the shared rules (a batch is stored whole or not
   * at all), then one append recorded as the caller.
   */
  private async record<I, R>(
    entityRef: string,
    inputs: I[],
    credentials: BackstageCredentials,
    kind: {
      permission: BasicPermission;
      problems: (input: I, now: Date) => EvidenceInputProblem[];
      append: (inputs: I[], meta: RecordedBy) => Promise<AppendResult<R>[]>;
    },
  ): Promise<AppendResult<R>[]> {
    await this.authorize(kind.permission, credentials);
    const ref = await this.entities.visibleRef(entityRef, credentials);
    const now = this.clock();
    rejectProblems(
      inputs.flatMap((input, i) =>
        kind
          .problems(input, now)
          .map(p =>
            inputs.length > 1
              ? { ...p, message: `items[${i}]: ${p.message}` }
              : p,
          ),
      ),
    );
    return kind.append(inputs, {
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
    const ref = await this.entities.visibleRef(entityRef, credentials);
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
    const ref = await this.entities.visibleRef(entityRef, credentials);
    return this.store.listBackupRuns(ref, page);
  }

  async listAccessReviews(
    entityRef: string,
    page: PageRequest,
    credentials: BackstageCredentials,
  ): Promise<EvidencePage<AccessReviewRecord>> {
    await this.authorize(backupEvidenceReadPermission, credentials);
    const ref = await this.entities.visibleRef(entityRef, credentials);
    return this.store.listAccessReviews(ref, page);
  }

  async listFollowUps(
    entityRef: string,
    page: PageRequest,
    credentials: BackstageCredentials,
  ): Promise<EvidencePage<FollowUpRecord>> {
    await this.authorize(backupEvidenceReadPermission, credentials);
    const ref = await this.entities.visibleRef(entityRef, credentials);
    return this.store.listFollowUps(ref, page);
  }

  async verify(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EvidenceVerification> {
    await this.authorize(backupEvidenceReadPermission, credentials);
    const ref = await this.entities.visibleRef(entityRef, credentials);
    return this.store.verify(ref, this.clock());
  }

  private authorize(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ) {
    return requirePermission(this.permissions, permission, credentials);
  }
}
