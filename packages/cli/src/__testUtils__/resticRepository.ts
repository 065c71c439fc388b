// Test-only: a small real restic repository in a temporary directory.
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { captureToolOutput } from './toolOutputCapture';

const run = promisify(execFile);

export interface ResticRepository {
  path: string;
  /** How users configure restic: the repository and its password. */
  env: { RESTIC_REPOSITORY: string; RESTIC_PASSWORD: string };
}

const restic = (repository: ResticRepository, args: string[], cwd?: string) =>
  run('restic', args, {
    cwd,
    env: {
      ...process.env,
      ...repository.env,
      RESTIC_CACHE_DIR: join(repository.path, '..', 'cache'),
    },
  });

/** A repository with two snapshots of a small file tree (`data/`). */
export async function createResticRepository(
  directory: string,
): Promise<ResticRepository> {
  const repository: ResticRepository = {
    path: join(directory, 'repo'),
    env: {
      RESTIC_REPOSITORY: join(directory, 'repo'),
      RESTIC_PASSWORD: 'test-only',
    },
  };
  const source = join(directory, 'source');
  await mkdir(join(source, 'data', 'orders'), { recursive: true });
  await writeFile(join(source, 'data', 'orders', '1.json'), '{"order":1}\n');
  await restic(repository, ['init']);
  await restic(
    repository,
    ['backup', '--host', 'app-1', '--tag', 'nightly', 'data'],
    source,
  );
  await writeFile(join(source, 'data', 'orders', '2.json'), '{"order":2}\n');
  await restic(
    repository,
    ['backup', '--host', 'app-1', '--tag', 'nightly', 'data'],
    source,
  );
  const { stdout } = await restic(repository, ['snapshots', '--json']);
  captureToolOutput('restic-snapshots.json', stdout);
  return repository;
}

/** A copy whose every pack file has garbage in the middle. */
export async function corruptedCopy(
  repository: ResticRepository,
  directory: string,
): Promise<ResticRepository> {
  await cp(repository.path, directory, { recursive: true });
  const packs = await readdir(join(directory, 'data'), {
    recursive: true,
    withFileTypes: true,
  });
  for (const pack of packs.filter(entry => entry.isFile())) {
    const file = join(pack.parentPath, pack.name);
    await chmod(file, 0o600);
    await run('dd', [
      `of=${file}`,
      'bs=1',
      'seek=20',
      'count=16',
      'conv=notrunc',
      'if=/dev/urandom',
    ]);
  }
  return {
    path: directory,
    env: { ...repository.env, RESTIC_REPOSITORY: directory },
  };
}
