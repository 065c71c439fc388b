import { BackupEntityRow } from '@backup-assurance/plugin-backup-common';
import { BackupRowLoader } from './BackupRowLoader';

const rowOf = (entityRef: string) =>
  ({ entityRef, status: 'compliant' } as BackupEntityRow);

function loaderOver(
  answer: (refs: string[]) => Promise<unknown[]>,
  clock = { now: 0 },
) {
  const getEntityRowsByRefs = jest.fn(answer) as jest.Mock;
  const loader = new BackupRowLoader(
    { getEntityRowsByRefs },
    { maxAgeMs: 30_000, now: () => clock.now },
  );
  return { loader, getEntityRowsByRefs };
}

describe('BackupRowLoader', () => {
  it('fetches the rows asked for in one tick with one call, each ref once', async () => {
    const { loader, getEntityRowsByRefs } = loaderOver(async refs =>
      refs.map(ref => (ref.endsWith('unknown') ? null : rowOf(ref))),
    );
    const rows = await Promise.all([
      loader.load('component:default/a'),
      loader.load('component:default/b'),
      loader.load('component:default/a'),
      loader.load('component:default/unknown'),
    ]);
    expect(getEntityRowsByRefs).toHaveBeenCalledTimes(1);
    expect(getEntityRowsByRefs).toHaveBeenCalledWith([
      'component:default/a',
      'component:default/b',
      'component:default/unknown',
    ]);
    expect(rows.map(row => row?.entityRef ?? null)).toEqual([
      'component:default/a',
      'component:default/b',
      'component:default/a',
      null,
    ]);
  });

  it('starts a new batch for rows asked for after the last one went out', async () => {
    const { loader, getEntityRowsByRefs } = loaderOver(async refs =>
      refs.map(rowOf),
    );
    await loader.load('component:default/a');
    await loader.load('component:default/b');
    expect(getEntityRowsByRefs.mock.calls).toEqual([
      [['component:default/a']],
      [['component:default/b']],
    ]);
  });

  it('reuses a row for 30 seconds, then asks again', async () => {
    const clock = { now: 0 };
    const { loader, getEntityRowsByRefs } = loaderOver(
      async refs => refs.map(rowOf),
      clock,
    );
    await loader.load('component:default/a');
    clock.now = 29_999;
    await loader.load('component:default/a');
    expect(getEntityRowsByRefs).toHaveBeenCalledTimes(1);
    clock.now = 30_000;
    await loader.load('component:default/a');
    expect(getEntityRowsByRefs).toHaveBeenCalledTimes(2);
  });

  it('fails every row of a batch when the call fails', async () => {
    const { loader } = loaderOver(async () => {
      throw new Error('backend down');
    });
    const rows = [
      loader.load('component:default/a'),
      loader.load('component:default/b'),
    ];
    await expect(rows[0]).rejects.toThrow('backend down');
    await expect(rows[1]).rejects.toThrow('backend down');
  });

  it('asks again after a failure rather than keeping it', async () => {
    let fail = true;
    const { loader, getEntityRowsByRefs } = loaderOver(async refs => {
      if (fail) throw new Error('backend down');
      return refs.map(rowOf);
    });
    await expect(loader.load('component:default/a')).rejects.toThrow();
    fail = false;
    await expect(loader.load('component:default/a')).resolves.toEqual(
      rowOf('component:default/a'),
    );
    expect(getEntityRowsByRefs).toHaveBeenCalledTimes(2);
  });
});
