import {
  CollectedBackupRun,
  CollectedEntityEvidence,
  CollectedEvidence,
  CollectedRestoreTest,
} from '@backup-assurance/plugin-backup-node';
import { ResourceClaims } from '../catalog/ResourceClaims';

interface EntityLists {
  backupRuns: Map<string, CollectedBackupRun>;
  restoreTests: Map<string, CollectedRestoreTest>;
}

/** What one run skipped, for its single log line. */
export interface SkippedJobs {
  /** Jobs of resources no entity claims, by resource ARN. */
  unclaimed: Map<string, number>;
  /** Restore jobs whose source resource AWS Backup does not name. */
  unresolved: number;
}

/**
 * Gathers the records of one run under the entities that claim each job's
 * resource, once per external id, and counts what no entity claims.
 */
export class EvidenceByEntity {
  readonly #entities = new Map<string, EntityLists>();
  readonly skipped: SkippedJobs = { unclaimed: new Map(), unresolved: 0 };

  constructor(private readonly claims: ResourceClaims) {}

  addBackupRun(resourceArn: string | undefined, run: CollectedBackupRun) {
    for (const lists of this.listsOf(resourceArn)) {
      lists.backupRuns.set(run.externalId, run);
    }
  }

  addRestoreTest(resourceArn: string | undefined, test: CollectedRestoreTest) {
    for (const lists of this.listsOf(resourceArn)) {
      lists.restoreTests.set(test.externalId, test);
    }
  }

  /** Each entity's lists oldest first, the order they are chained in. */
  toCollected(): CollectedEvidence {
    const items: CollectedEntityEvidence[] = [];
    for (const [entityRef, lists] of this.#entities) {
      const backupRuns = [...lists.backupRuns.values()].sort((a, b) =>
        a.runAt.localeCompare(b.runAt),
      );
      const restoreTests = [...lists.restoreTests.values()].sort((a, b) =>
        a.startedAt.localeCompare(b.startedAt),
      );
      items.push({
        entityRef,
        ...(backupRuns.length ? { backupRuns } : {}),
        ...(restoreTests.length ? { restoreTests } : {}),
      });
    }
    return { items };
  }

  private listsOf(resourceArn: string | undefined): EntityLists[] {
    if (!resourceArn) {
      this.skipped.unresolved++;
      return [];
    }
    const entityRefs = this.claims.entitiesOf(resourceArn);
    if (entityRefs.length === 0) {
      const { unclaimed } = this.skipped;
      unclaimed.set(resourceArn, (unclaimed.get(resourceArn) ?? 0) + 1);
    }
    return entityRefs.map(entityRef => {
      let lists = this.#entities.get(entityRef);
      if (!lists) {
        lists = { backupRuns: new Map(), restoreTests: new Map() };
        this.#entities.set(entityRef, lists);
      }
      return lists;
    });
  }
}
