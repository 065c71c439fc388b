import { mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigurationError } from '../errors';

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * The directory a restore test restores into. It must be empty (or not yet
 * exist), because everything in it is deleted afterwards, also when the test
 * fails or the job is stopped.
 */
export class ScratchTarget {
  private readonly releases: Array<() => Promise<void>> = [];
  private cleaned = false;

  private constructor(
    readonly path: string,
    private readonly created: boolean,
  ) {}

  static async prepare(path: string): Promise<ScratchTarget> {
    const absolute = resolve(path);
    const entries = await readdir(absolute).catch(error => {
      if (error.code === 'ENOENT') return undefined;
      throw new ConfigurationError(
        `cannot use ${absolute} as the restore target: ${error.message}`,
      );
    });
    if (entries && entries.length > 0) {
      throw new ConfigurationError(
        `the restore target ${absolute} is not empty; everything in it would be deleted afterwards, so give an empty or new directory`,
      );
    }
    if (!entries) await mkdir(absolute, { recursive: true, mode: 0o700 });
    return new ScratchTarget(absolute, !entries);
  }

  /** Something to stop before the files go (a started database). */
  onCleanup(release: () => Promise<void>) {
    this.releases.push(release);
  }

  /** Stops what was started and deletes the restored data; safe to call twice. */
  async cleanup(): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    for (const release of this.releases.reverse()) {
      await release().catch(() => {});
    }
    const entries = await readdir(this.path).catch(() => []);
    for (const entry of entries) {
      await rm(resolve(this.path, entry), { recursive: true, force: true });
    }
    if (this.created) await rmdir(this.path).catch(() => {});
  }

  /**
   * A CronJob or CI runner stops a job with SIGTERM: clean up before exiting.
   * Returns the function that removes the handlers again.
   */
  cleanUpOnSignals(): () => void {
    const handlers = Object.entries(SIGNAL_EXIT_CODES).map(([signal, code]) => {
      const handler = () => {
        this.cleanup().finally(() => process.exit(code));
      };
      process.once(signal, handler);
      return () => process.off(signal, handler);
    });
    return () => handlers.forEach(remove => remove());
  }
}
