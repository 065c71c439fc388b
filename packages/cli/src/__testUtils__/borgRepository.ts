// Test-only: a small real borg repository in a temporary directory.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { captureToolOutput } from './toolOutputCapture';

const run = promisify(execFile);

/** Size of the incompressible file: one chunk, most of a segment file. */
const SCAN_BYTES = 200_000;

export interface BorgRepository {
  path: string;
  /**
   * How users configure borg: the repository and its passphrase; borg's
   * cache and security data go into the test's directory, not $HOME.
   */
  env: { BORG_REPO: string; BORG_PASSPHRASE: string; BORG_BASE_DIR: string };
  /** When the archives were being created, to check the times read back. */
  createdBetween: { from: Date; to: Date };
}

const borg = (repository: BorgRepository, args: string[], cwd?: string) =>
  run('borg', args, {
    cwd,
    env: { ...process.env, ...repository.env, TZ: 'UTC' },
  });

/**
 * A repokey-encrypted repository with two archives, `nightly-1` and
 * `nightly-2`, of a small file tree (`data/`).
 */
export async function createBorgRepository(
  directory: string,
): Promise<BorgRepository> {
  const repository: BorgRepository = {
    path: join(directory, 'repo'),
    env: {
      BORG_REPO: join(directory, 'repo'),
      BORG_PASSPHRASE: 'test-only',
      BORG_BASE_DIR: join(directory, 'borg-base'),
    },
    createdBetween: { from: new Date(), to: new Date() },
  };
  const source = join(directory, 'source');
  await mkdir(join(source, 'data', 'orders'), { recursive: true });
  await mkdir(join(source, 'data', 'attachments'));
  await writeFile(join(source, 'data', 'orders', '1.json'), '{"order":1}\n');
  await writeFile(
    join(source, 'data', 'attachments', 'scan.bin'),
    randomBytes(SCAN_BYTES),
  );
  await borg(repository, ['init', '--encryption=repokey']);
  // borg stores archive times in whole seconds
  const from = new Date(Math.floor(Date.now() / 1000) * 1000);
  await borg(repository, ['create', '::nightly-1', 'data'], source);
  await writeFile(join(source, 'data', 'orders', '2.json'), '{"order":2}\n');
  await borg(repository, ['create', '::nightly-2', 'data'], source);
  repository.createdBetween = { from, to: new Date() };
  const { stdout } = await borg(repository, [
    'info',
    '--json',
    '--glob-archives',
    '*',
  ]);
  captureToolOutput('borg-info.json', stdout);
  return repository;
}

/**
 * A copy whose largest segment file has garbage in its middle: inside the
 * chunk of `scan.bin`, so the manifest and archive metadata still read.
 */
export async function damagedCopy(
  repository: BorgRepository,
  directory: string,
): Promise<BorgRepository> {
  await cp(repository.path, directory, { recursive: true });
  const entries = await readdir(join(directory, 'data'), {
    recursive: true,
    withFileTypes: true,
  });
  const segments = await Promise.all(
    entries
      .filter(entry => entry.isFile())
      .map(async entry => {
        const file = join(entry.parentPath, entry.name);
        return { file, size: (await stat(file)).size };
      }),
  );
  const [largest] = segments.sort((a, b) => b.size - a.size);
  if (!largest || largest.size < SCAN_BYTES) {
    throw new Error('no segment file holds the chunk of scan.bin');
  }
  await run('dd', [
    `of=${largest.file}`,
    'bs=1',
    `seek=${Math.floor(largest.size / 2)}`,
    'count=16',
    'conv=notrunc',
    'if=/dev/urandom',
  ]);
  return {
    ...repository,
    path: directory,
    // its own base directory: borg would ask whether a repository it knows
    // at another path may be used
    env: {
      ...repository.env,
      BORG_REPO: directory,
      BORG_BASE_DIR: `${directory}-borg-base`,
    },
  };
}
