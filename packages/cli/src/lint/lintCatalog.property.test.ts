import {
  BACKUP_ANNOTATIONS,
  DEFAULT_BACKUP_POLICY,
} from '@backup-assurance/plugin-backup-common';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { lintCatalogText, lintExitCode } from './lintCatalog';

const NOW = new Date('2026-11-26T12:00:00Z');

/** Pieces of catalog YAML, so that random text reaches the deeper paths. */
const FRAGMENTS = [
  '---\n',
  '\n',
  '  ',
  '    ',
  '- ',
  ': ',
  '&a ',
  '*a ',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '#',
  '\t',
  'apiVersion: backstage.io/v1alpha1\n',
  'kind: Component\n',
  'kind: Location\n',
  'kind: User\n',
  'metadata:\n',
  '  name: x\n',
  '  annotations:\n',
  'spec:\n',
  '  lifecycle: production\n',
  '  target: ./nowhere.yaml\n',
  '  memberOf: [grc]\n',
  ...Object.values(BACKUP_ANNOTATIONS).map(key => `    ${key}: `),
  'pitr',
  'pii',
  'none',
  '2026-01-01',
  'P1D',
  'user:default/dana',
];

const yamlishText = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 })
  .map(parts => parts.join(''));

const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  yamlishText,
  fc.jsonValue().map(value => stringify(value)),
);

const annotationKey = fc.oneof(
  fc.constantFrom(...Object.values(BACKUP_ANNOTATIONS)),
  fc.string(),
);

/** An in-scope entity with annotation values of any type, written as YAML. */
const entityWithAnyAnnotations = fc
  .dictionary(annotationKey, fc.jsonValue(), { maxKeys: 12 })
  .map(annotations =>
    stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x', annotations },
      spec: { type: 'service', lifecycle: 'production' },
    }),
  );

function expectWellFormedProblems(text: string) {
  const problems = lintCatalogText(text, 'x.yaml', {
    policy: DEFAULT_BACKUP_POLICY,
    now: NOW,
  });
  for (const problem of problems) {
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.column).toBeGreaterThanOrEqual(1);
    expect(['error', 'warning', 'info']).toContain(problem.severity);
    expect(typeof problem.message).toBe('string');
  }
  const hasError = problems.some(p => p.severity === 'error');
  expect(lintExitCode(problems)).toBe(hasError ? 1 : 0);
}

describe('lint on outside input', () => {
  it('never throws on arbitrary text: it answers with problems or none', () => {
    const property = fc.property(anyText, expectWellFormedProblems);
    expect(() => fc.assert(property, { numRuns: 1000 })).not.toThrow();
  });

  it('never throws on arbitrary annotation values', () => {
    const property = fc.property(
      entityWithAnyAnnotations,
      expectWellFormedProblems,
    );
    expect(() => fc.assert(property, { numRuns: 400 })).not.toThrow();
  });
});
