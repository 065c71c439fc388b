import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

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
