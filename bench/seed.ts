// Shared by the benchmarks: seeding evidence through the backend.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { SeedRequest } from './seedModule';

export type { SeedRequest } from './seedModule';

let seedCount = 0;
/** The module looks for plans twice a second once the backend is up. */
const PLAN_TAKEN_WITHIN_MS = 120_000;

/**
 * Asks the benchmarks' backend (its bench-seed module, bench/seedModule.ts)
 * to append these records through the backup evidence service, and waits
 * until it has: seeded records are chained and stored by the plugin itself.
 * Returns how many were created.
 */
export async function seedThroughBackend(
  seedDir: string,
  requests: SeedRequest[],
): Promise<number> {
  const name = `seed-${++seedCount}-${Date.now()}`;
  const plan = join(seedDir, `${name}.plan.json`);
  writeFileSync(`${plan}.tmp`, JSON.stringify(requests));
  renameSync(`${plan}.tmp`, plan); // the module never sees half a plan
  const done = join(seedDir, `${name}.done.json`);
  const asked = Date.now();
  while (!existsSync(done)) {
    if (existsSync(plan) && Date.now() - asked > PLAN_TAKEN_WITHIN_MS) {
      throw new Error(
        `the backend did not take the seeding plan ${plan}: is bench/seedModule.ts in it, with BENCH_SEED_DIR set?`,
      );
    }
    await new Promise(r => setTimeout(r, 250));
  }
  const answer = JSON.parse(readFileSync(done, 'utf8'));
  if (answer.error) throw new Error(`seeding failed: ${answer.error}`);
  return answer.added;
}
