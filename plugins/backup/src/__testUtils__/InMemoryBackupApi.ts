// Test double of the backend that applies the real shared rules (evaluator,
// submission checks) to records kept in memory.
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  BackupEvaluation,
  BackupPolicy,
  BackupRunRecord,
  DEFAULT_BACKUP_POLICY,
  evaluateBackupStatus,
  EvidencePage,
  EvidenceVerification,
  RestoreTestInput,
  restoreTestInputProblems,
  RestoreTestRecord,
} from '@backup-assurance/plugin-backup-common';
import { BackupApi, EvidencePageRequest } from '../api';

export class InMemoryBackupApi implements BackupApi {
  readonly restoreTests: RestoreTestRecord[] = [];
  readonly backupRuns: BackupRunRecord[] = [];
  chainIntact = true;

  constructor(
    private readonly entity: Entity,
    private readonly now: () => Date = () => new Date(),
    private readonly policy: BackupPolicy = DEFAULT_BACKUP_POLICY,
  ) {}

  async getStatus(): Promise<BackupEvaluation> {
    const successful = this.restoreTests.filter(r => r.result === 'succeeded');
    const newest = (records: RestoreTestRecord[]) =>
      [...records].sort((a, b) =>
        b.completedAt.localeCompare(a.completedAt),
      )[0];
    return evaluateBackupStatus(this.entity, this.policy, this.now(), {
      latestRestoreTest: newest(this.restoreTests),
      lastSuccessfulRestoreTest: newest(successful),
    });
  }

  async getPolicy() {
    return this.policy;
  }

  async listRestoreTests(
    _ref: CompoundEntityRef,
    page: EvidencePageRequest = {},
  ): Promise<EvidencePage<RestoreTestRecord>> {
    return this.page(this.restoreTests, page);
  }

  async recordRestoreTest(
    _ref: CompoundEntityRef,
    input: RestoreTestInput,
  ): Promise<RestoreTestRecord> {
    const problems = restoreTestInputProblems(input, this.now());
    if (problems.length > 0) {
      throw new Error(problems.map(p => p.message).join('; '));
    }
    const record: RestoreTestRecord = {
      ...input,
      id: `rt-${this.restoreTests.length + 1}`,
      entityRef: stringifyEntityRef(this.entity),
      restoreDurationSeconds:
        (Date.parse(input.completedAt) - Date.parse(input.startedAt)) / 1000,
      source: input.source ?? 'manual',
      recordedBy: 'user:default/guest',
      recordedAt: this.now().toISOString(),
      sequence: this.restoreTests.length + 1,
      previousHash: 'genesis',
      hash: 'x',
    };
    this.restoreTests.unshift(record);
    return record;
  }

  async listBackupRuns(
    _ref: CompoundEntityRef,
    page: EvidencePageRequest = {},
  ): Promise<EvidencePage<BackupRunRecord>> {
    return this.page(this.backupRuns, page);
  }

  async verifyEvidence(): Promise<EvidenceVerification> {
    const chain = (count: number) =>
      this.chainIntact
        ? { intact: true, count }
        : {
            intact: false,
            count,
            brokenAt: {
              id: 'rt-1',
              sequence: 1,
              problem: 'its content does not match its hash',
            },
          };
    return {
      entityRef: stringifyEntityRef(this.entity),
      intact: this.chainIntact,
      restoreTests: chain(this.restoreTests.length),
      backupRuns: { intact: true, count: this.backupRuns.length },
      verifiedAt: this.now().toISOString(),
    };
  }

  private page<T>(items: T[], page: EvidencePageRequest): EvidencePage<T> {
    const limit = page.limit ?? 20;
    const offset = page.offset ?? 0;
    return {
      items: items.slice(offset, offset + limit),
      totalCount: items.length,
      limit,
      offset,
    };
  }
}
