// A module of the benchmarks' backend that seeds evidence through the backup
// evidence service (the seam any backend module uses), so that seeded
// records are chained, checked and stored by the plugin itself. The bench
// asks for records by writing `<name>.plan.json` into BENCH_SEED_DIR; the
// module appends them in batches and answers with `<name>.done.json`
// ({ added, seconds } or { error }).
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  BackupEvidenceService,
  backupEvidenceServiceRef,
} from '@backup-assurance/plugin-backup-node';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { join } from 'path';
import { backupRun, restoreTest } from './seedRecords';

/** Records to append to one entity's chain, dated over the year before. */
export interface SeedRequest {
  entityRef: string;
  kind: 'restore-tests' | 'backup-runs';
  count: number;
}

const BATCH = 1000;
const DAY_MS = 86_400_000;

/**
 * Appends one request's records in batches, the oldest first, the newest a
 * day old; returns how many were created.
 */
async function seed(
  evidence: BackupEvidenceService,
  request: SeedRequest,
  salt: string,
): Promise<number> {
  const { entityRef, kind, count } = request;
  const step = (365 * DAY_MS) / Math.max(count, 1);
  const end = Date.now() - DAY_MS;
  const at = (i: number) => new Date(end - (count - i) * step);
  let created = 0;
  for (let start = 0; start < count; start += BATCH) {
    const indexes = Array.from(
      { length: Math.min(BATCH, count - start) },
      (_, i) => start + i,
    );
    const results =
      kind === 'backup-runs'
        ? await evidence.recordBackupRuns(
            entityRef,
            indexes.map(i => backupRun(at(i), i, salt)),
          )
        : await evidence.recordRestoreTests(
            entityRef,
            indexes.map(i => restoreTest(at(i), i, salt)),
          );
    created += results.filter(result => result.created).length;
  }
  return created;
}

/** Takes each new plan in the directory (renamed, so it is taken once). */
async function takePlans(dir: string, evidence: BackupEvidenceService) {
  for (const file of readdirSync(dir)) {
    const name = file.match(/^(.+)\.plan\.json$/)?.[1];
    if (!name) continue;
    const taken = join(dir, `${name}.taken.json`);
    renameSync(join(dir, file), taken);
    const started = performance.now();
    const requests: SeedRequest[] = JSON.parse(readFileSync(taken, 'utf8'));
    const seedAll = async () => {
      let added = 0;
      for (const request of requests) {
        added += await seed(evidence, request, name);
      }
      return added;
    };
    const answer = await seedAll().then(
      added => ({ added, seconds: (performance.now() - started) / 1000 }),
      error => ({ error: String(error) }),
    );
    const done = join(dir, `${name}.done.json`);
    writeFileSync(`${done}.tmp`, JSON.stringify(answer));
    renameSync(`${done}.tmp`, done);
  }
}

export const benchSeedModule = createBackendModule({
  pluginId: 'backup',
  moduleId: 'bench-seed',
  register(env) {
    env.registerInit({
      deps: {
        evidence: backupEvidenceServiceRef,
        lifecycle: coreServices.lifecycle,
      },
      async init({ evidence, lifecycle }) {
        const dir = process.env.BENCH_SEED_DIR;
        if (!dir) return;
        let busy = false;
        const timer = setInterval(() => {
          if (busy) return;
          busy = true;
          takePlans(dir, evidence).finally(() => {
            busy = false;
          });
        }, 500);
        lifecycle.addShutdownHook(() => clearInterval(timer));
      },
    });
  },
});
