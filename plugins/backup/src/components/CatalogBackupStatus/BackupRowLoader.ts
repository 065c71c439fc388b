import { BackupEntityRow } from '@backup-assurance/plugin-backup-common';
import { BackupApi } from '../../api';

type Waiter = {
  resolve: (row: BackupEntityRow | null) => void;
  reject: (error: unknown) => void;
};

/**
 * Collects the rows asked for within one tick and fetches them with a single
 * `getEntityRowsByRefs` call, so that a table of cells costs one request
 * rather than one per row. A row is reused for `maxAgeMs`: the catalog table
 * remounts its cells while its filters settle.
 */
export class BackupRowLoader {
  private waiting = new Map<string, Waiter[]>();
  private readonly recent = new Map<
    string,
    { row: Promise<BackupEntityRow | null>; at: number }
  >();

  constructor(
    private readonly api: Pick<BackupApi, 'getEntityRowsByRefs'>,
    private readonly options: { maxAgeMs: number; now: () => number } = {
      maxAgeMs: 30_000,
      now: Date.now,
    },
  ) {}

  load(entityRef: string): Promise<BackupEntityRow | null> {
    const now = this.options.now();
    const recent = this.recent.get(entityRef);
    if (recent && now - recent.at < this.options.maxAgeMs) {
      return recent.row;
    }
    const row = this.enqueue(entityRef);
    this.recent.set(entityRef, { row, at: now });
    row.catch(() => this.recent.delete(entityRef));
    return row;
  }

  private enqueue(entityRef: string): Promise<BackupEntityRow | null> {
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) {
        // A macrotask rather than a microtask: cells mounted by the same
        // render commit their effects before it runs, lazy ones a little later.
        setTimeout(() => this.flush(), 0);
      }
      const waiters = this.waiting.get(entityRef) ?? [];
      waiters.push({ resolve, reject });
      this.waiting.set(entityRef, waiters);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    const refs = [...batch.keys()];
    try {
      const rows = await this.api.getEntityRowsByRefs(refs);
      refs.forEach((ref, index) =>
        batch.get(ref)!.forEach(waiter => waiter.resolve(rows[index] ?? null)),
      );
    } catch (error) {
      batch.forEach(waiters => waiters.forEach(waiter => waiter.reject(error)));
    }
  }
}

const loaders = new WeakMap<BackupApi, BackupRowLoader>();

/** One loader per API instance, so every cell of a table shares its batches. */
export function backupRowLoaderFor(api: BackupApi): BackupRowLoader {
  let loader = loaders.get(api);
  if (!loader) {
    loader = new BackupRowLoader(api);
    loaders.set(api, loader);
  }
  return loader;
}
