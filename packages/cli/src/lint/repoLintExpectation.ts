import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LintProblem } from './LintProblem';

/**
 * The repository's own catalog files as CI lints them (from the repository
 * root, against the demo's app-config policy), and every error the demo
 * carries on purpose. Shared by the test (repoLint.test.ts) and
 * scripts/lint-repo-examples.js, which CI runs against the real command.
 */
export function repoLintArgs(root: string): string[] {
  const patterns = ['examples/*.yaml'];
  if (existsSync(join(root, 'catalog-info.yaml'))) {
    patterns.push('catalog-info.yaml');
  }
  return [...patterns, '--config', 'app-config.yaml'];
}

export type ExpectedLintError = Required<
  Pick<LintProblem, 'file' | 'entityRef' | 'code'>
> &
  Pick<LintProblem, 'annotation'>;

const entities = 'examples/entities.yaml';

const expected = (
  entityRef: string,
  code: LintProblem['code'],
  annotation?: string,
): ExpectedLintError => ({
  file: entities,
  entityRef,
  code,
  ...(annotation && { annotation: `backup-assurance.io/${annotation}` }),
});

/**
 * The demo's invalid, incomplete and non-compliant entities (examples/
 * entities.yaml says which is which). Overdue and due-soon entities, and
 * everything recorded evidence decides, are warnings and not listed.
 */
export const REPO_LINT_EXPECTED_ERRORS: ExpectedLintError[] = [
  // non-compliant: PII backups unencrypted and deletable without a safeguard
  expected(
    'component:default/identity-api',
    'encryption-required',
    'encryption',
  ),
  expected(
    'component:default/identity-api',
    'deletion-protection-required',
    'deletion-protection',
  ),
  // incomplete: no owner, frequency, retention or PII access controls
  expected('component:default/profile-service', 'annotation-missing', 'owner'),
  expected(
    'component:default/profile-service',
    'annotation-missing',
    'frequency',
  ),
  expected(
    'component:default/profile-service',
    'annotation-missing',
    'retention',
  ),
  expected(
    'component:default/profile-service',
    'access-control-undeclared',
    'backup-admins',
  ),
  expected(
    'component:default/profile-service',
    'access-control-undeclared',
    'deletion-protection',
  ),
  expected(
    'component:default/profile-service',
    'access-control-undeclared',
    'access-logging',
  ),
  // invalid: "daily" is not an ISO 8601 duration
  expected(
    'component:default/notification-worker',
    'annotation-invalid',
    'frequency',
  ),
  // incomplete: declares nothing yet
  expected('component:default/ci-runner', 'annotation-missing', 'method'),
  expected(
    'component:default/ci-runner',
    'annotation-missing',
    'data-classification',
  ),
  expected('component:default/ci-runner', 'annotation-missing', 'owner'),
  expected('component:default/ci-runner', 'annotation-missing', 'frequency'),
  expected('component:default/ci-runner', 'annotation-missing', 'retention'),
];

const describeError = (error: Partial<LintProblem>) =>
  [error.file, error.entityRef, error.code, error.annotation]
    .filter(Boolean)
    .join(' ');

/**
 * How the lint's errors differ from the expectation, one line each; both
 * empty when they match exactly (positions aside, so that an edit of the
 * examples' comments does not break CI).
 */
export function repoLintDifferences(problems: Partial<LintProblem>[]): {
  unexpected: string[];
  missing: string[];
} {
  const found = problems
    .filter(problem => problem.severity === 'error')
    .map(describeError);
  const wanted = REPO_LINT_EXPECTED_ERRORS.map(describeError);
  const without = (list: string[], removed: string[]) => {
    const rest = [...removed];
    return list.filter(item => {
      const index = rest.indexOf(item);
      if (index < 0) return true;
      rest.splice(index, 1);
      return false;
    });
  };
  return {
    unexpected: without(found, wanted),
    missing: without(wanted, found),
  };
}
