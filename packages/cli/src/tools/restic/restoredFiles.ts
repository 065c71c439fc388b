import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { formatBytes } from '../../formatBytes';
import { RestoredCopy } from '../ToolDriver';

/** How many regular files a restore wrote and their total size. */
export async function restoredFiles(
  directory: string,
): Promise<{ files: number; bytes: number }> {
  const entries = await readdir(directory, {
    recursive: true,
    withFileTypes: true,
  });
  let files = 0;
  let bytes = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await lstat(join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

/**
 * Files restored into the target (restic, borg): usable when the restore
 * wrote at least one; `how` ends the summary, e.g. "restored and verified
 * against the snapshot".
 */
export async function restoredFileCopy(
  target: string,
  how: string,
): Promise<RestoredCopy> {
  const { files, bytes } = await restoredFiles(target);
  return {
    recoverability: {
      outcome: files > 0 ? 'passed' : 'failed',
      summary: `${files} ${files === 1 ? 'file' : 'files'} (${formatBytes(
        bytes,
      )}) ${how}`,
      log: '',
    },
    cwd: target,
    env: { BACKUP_ASSURANCE_RESTORE_DIR: target },
    release: async () => {},
  };
}
