import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parse } from 'yaml';
import { evaluateBackupStatus } from './evaluate';
import { DEFAULT_BACKUP_POLICY } from './policy';

/** The first YAML block of the root README: the annotation example. */
function readmeExample() {
  const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
  const block = readme.match(/```yaml\n([\s\S]*?)```/);
  return parse(block![1]);
}

describe("the README's annotation example", () => {
  it('is compliant under the default policy when copied as it stands', () => {
    // the day the example's dates were last brought up to date
    const written = new Date('2026-11-25T12:00:00Z');
    const evaluation = evaluateBackupStatus(
      readmeExample(),
      DEFAULT_BACKUP_POLICY,
      written,
    );
    expect(evaluation.findings).toEqual([]);
    expect(evaluation.status).toBe('compliant');
  });
});
