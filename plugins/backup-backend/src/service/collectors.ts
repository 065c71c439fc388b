import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import {
  AccessReviewInput,
  BackupRunInput,
  RestoreTestInput,
} from '@backup-assurance/plugin-backup-common';
import {
  BackupEvidenceCollector,
  BackupEvidenceCollectorExtensionPoint,
  CollectedEntityEvidence,
} from '@backup-assurance/plugin-backup-node';
import { AppendResult } from '../database/EvidenceStore';
import { EvidenceService } from './EvidenceService';

/** The collectors that modules added through the extension point. */
export class EvidenceCollectorRegistry
  implements BackupEvidenceCollectorExtensionPoint
{
  readonly #collectors = new Map<string, BackupEvidenceCollector>();

  addCollector(collector: BackupEvidenceCollector): void {
    // two collectors under one id would share one scheduled task
    if (this.#collectors.has(collector.id)) {
      throw new Error(
        `Backup evidence collector '${collector.id}' was added twice`,
      );
    }
    this.#collectors.set(collector.id, collector);
  }

  list(): BackupEvidenceCollector[] {
    return [...this.#collectors.values()];
  }
}

/** What one run of a collector did. */
export interface CollectorRunSummary {
  stored: number;
  repeated: number;
  /** Records not stored: no external id, a malformed ref, or rejected by the input rules. */
  rejected: number;
  /** Entity refs the catalog does not know, in the order they were met. */
  unknownEntities: string[];
}

type EvidenceList = 'restoreTests' | 'backupRuns' | 'accessReviews';

type Append = (
  evidence: EvidenceService,
  entityRef: string,
  inputs: object[],
  credentials: BackstageCredentials,
) => Promise<AppendResult<unknown>[]>;

/** Each list of collected evidence, in the order it is appended. */
const EVIDENCE_LISTS: Array<{ list: EvidenceList; append: Append }> = [
  {
    list: 'restoreTests',
    append: (evidence, ref, inputs, credentials) =>
      evidence.recordRestoreTests(
        ref,
        inputs as RestoreTestInput[],
        credentials,
      ),
  },
  {
    list: 'backupRuns',
    append: (evidence, ref, inputs, credentials) =>
      evidence.recordBackupRuns(ref, inputs as BackupRunInput[], credentials),
  },
  {
    list: 'accessReviews',
    append: (evidence, ref, inputs, credentials) =>
      evidence.recordAccessReviews(
        ref,
        inputs as AccessReviewInput[],
        credentials,
      ),
  },
];

const hasExternalId = (input: unknown): input is object =>
  typeof input === 'object' &&
  input !== null &&
  typeof (input as { externalId?: unknown }).externalId === 'string' &&
  (input as { externalId: string }).externalId.trim() !== '';

/** Names at most ten things in a log line. */
function listed(names: string[]): string {
  const more = names.length > 10 ? `, and ${names.length - 10} more` : '';
  return `${names.slice(0, 10).join(', ')}${more}`;
}

/** The running tally of one run, and the problems worth one log line each. */
class CollectorRun {
  readonly summary: CollectorRunSummary = {
    stored: 0,
    repeated: 0,
    rejected: 0,
    unknownEntities: [],
  };
  readonly problems: string[] = [];

  counted(results: AppendResult<unknown>[]) {
    for (const { created } of results) {
      if (created) this.summary.stored++;
      else this.summary.repeated++;
    }
  }

  reject(count: number, problem: string) {
    this.summary.rejected += count;
    this.problems.push(problem);
  }

  unknown(entityRef: string) {
    if (!this.summary.unknownEntities.includes(entityRef)) {
      this.summary.unknownEntities.push(entityRef);
    }
  }
}

/**
 * Schedules the added collectors and stores what they collect through the
 * plugin's own {@link EvidenceService}, as the plugin itself (a service
 * principal), so the same permission, catalog and input rules apply as to
 * any API caller.
 */
export class EvidenceCollectorRunner {
  static create(options: {
    evidence: EvidenceService;
    auth: AuthService;
    logger: LoggerService;
  }): EvidenceCollectorRunner {
    return new EvidenceCollectorRunner(
      options.evidence,
      options.auth,
      options.logger,
    );
  }

  private constructor(
    private readonly evidence: EvidenceService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  /** Global scope: one replica runs a collector at a time; a rerun is harmless. */
  async schedule(
    scheduler: SchedulerService,
    collectors: BackupEvidenceCollector[],
  ): Promise<void> {
    for (const collector of collectors) {
      await scheduler.scheduleTask({
        ...collector.schedule,
        id: `backup-collector-${collector.id}`,
        scope: 'global',
        fn: async signal => {
          await this.run(collector, signal);
        },
      });
    }
  }

  /** Collects once and stores the result, entity by entity. */
  async run(
    collector: BackupEvidenceCollector,
    signal?: AbortSignal,
  ): Promise<CollectorRunSummary> {
    const logger = this.logger.child({ collector: collector.id });
    const collected = await collector.collect({ logger, signal });
    const credentials = await this.auth.getOwnServiceCredentials();
    const run = new CollectorRun();
    for (const item of collected.items) {
      signal?.throwIfAborted();
      await this.store(item, credentials, run);
    }
    this.report(collector.id, run, logger);
    return run.summary;
  }

  private async store(
    item: CollectedEntityEvidence,
    credentials: BackstageCredentials,
    run: CollectorRun,
  ) {
    const lists = EVIDENCE_LISTS.map(kind => ({
      ...kind,
      inputs: (item[kind.list] ?? []) as unknown[],
    })).filter(kind => kind.inputs.length > 0);
    if (!isEntityRef(item.entityRef)) {
      const count = lists.reduce((sum, kind) => sum + kind.inputs.length, 0);
      run.reject(
        count,
        `malformed entity ref ${JSON.stringify(item.entityRef)}`,
      );
      return;
    }
    for (const list of lists) {
      if (!(await this.appendList(item.entityRef, list, credentials, run))) {
        run.unknown(item.entityRef);
        return;
      }
    }
  }

  /** Appends one list of an entity; false when the catalog does not know it. */
  private async appendList(
    entityRef: string,
    {
      list,
      append,
      inputs,
    }: { list: EvidenceList; append: Append; inputs: unknown[] },
    credentials: BackstageCredentials,
    run: CollectorRun,
  ): Promise<boolean> {
    const valid = inputs.filter(hasExternalId);
    const missing = inputs.length - valid.length;
    if (missing > 0) {
      run.reject(
        missing,
        `${entityRef} ${list}: ${missing} without an externalId`,
      );
    }
    if (valid.length === 0) return true;
    try {
      run.counted(await append(this.evidence, entityRef, valid, credentials));
      return true;
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') return false;
      // bad data stays bad on the next run; anything else (the database
      // unreachable) fails the run, and the next run repeats it harmlessly
      if (!isError(error) || error.name !== 'InputError') throw error;
      run.reject(valid.length, `${entityRef} ${list}: ${error.message}`);
      return true;
    }
  }

  /** One line per run, one for unknown entities, one for rejections. */
  private report(id: string, run: CollectorRun, logger: LoggerService) {
    const { stored, repeated, rejected, unknownEntities } = run.summary;
    logger.info(
      `Collector ${id}: records stored: ${stored}, repeated: ${repeated}, ` +
        `rejected: ${rejected}; unknown entities skipped: ${unknownEntities.length}`,
    );
    if (unknownEntities.length > 0) {
      logger.warn(
        `Collector ${id}: skipped entities unknown to the catalog ` +
          `(${unknownEntities.length}): ${listed(unknownEntities)}`,
      );
    }
    if (run.problems.length > 0) {
      logger.error(
        `Collector ${id}: rejected records (${rejected}): ${listed(
          run.problems,
        )}`,
      );
    }
  }
}

function isEntityRef(ref: unknown): ref is string {
  if (typeof ref !== 'string') return false;
  try {
    parseEntityRef(ref);
    return true;
  } catch {
    return false;
  }
}
