import {
  BackupPolicy,
  DEFAULT_BACKUP_POLICY,
} from '@backup-assurance/plugin-backup-common';
import { resolve } from 'node:path';
import { ConfigurationError } from '../errors';
import {
  asWarnings,
  lintCatalogFiles,
  lintCatalogText,
  lintExitCode,
} from './lintCatalog';
import { LintProblem } from './LintProblem';
import { policyFromConfigFiles } from './lintPolicy';

const FIXTURES = resolve(__dirname, '../__fixtures__/lint');
const NOW = new Date('2026-11-26T12:00:00Z');

const lint = (patterns: string[], policy = DEFAULT_BACKUP_POLICY) =>
  lintCatalogFiles(patterns, FIXTURES, { policy, now: NOW });

/** `file:line:col severity code [annotation]`: one line a problem. */
const placed = (problems: LintProblem[]) =>
  problems.map(p =>
    [
      `${p.file}:${p.line}:${p.column}`,
      p.severity,
      p.code,
      ...(p.annotation
        ? [p.annotation.replace('backup-assurance.io/', '')]
        : []),
    ].join(' '),
  );

const errorsOf = (problems: LintProblem[]) =>
  placed(problems.filter(p => p.severity === 'error'));

describe('lintCatalogFiles', () => {
  it('checks every document of a multi-document file, at its own lines', async () => {
    const { files, problems } = await lint(['multi-document.yaml']);
    expect(files).toEqual(['multi-document.yaml']);
    expect(placed(problems)).toEqual([
      'multi-document.yaml:6:3 warning restore-test-missing last-restore-test',
      'multi-document.yaml:20:3 warning restore-test-missing last-restore-test',
      'multi-document.yaml:24:36 error annotation-invalid frequency',
      'multi-document.yaml:35:3 error annotation-missing data-classification',
      'multi-document.yaml:35:3 error annotation-missing owner',
      'multi-document.yaml:35:3 error annotation-missing frequency',
      'multi-document.yaml:35:3 error annotation-missing retention',
      'multi-document.yaml:35:3 warning restore-test-missing last-restore-test',
    ]);
    expect(problems[2]).toMatchObject({
      entityRef: 'component:default/orders-api',
      message:
        'backup-assurance.io/frequency is "hourly"; expected a positive ISO 8601 duration, e.g. P1D (daily), PT4H (4 hours), P30D, P1Y.',
    });
  });

  it('follows local Location targets once, notes URLs and reports missing files', async () => {
    const { files, problems } = await lint(['location.yaml']);
    // located/bucket.yaml points back at location.yaml: read once
    expect(files).toEqual(['location.yaml', 'located/bucket.yaml']);
    expect(placed(problems)).toEqual([
      'location.yaml:10:7 info location-target-remote',
      'location.yaml:11:7 error location-target-missing',
      'located/bucket.yaml:12:3 warning restore-test-missing last-restore-test',
      'located/bucket.yaml:17:36 error annotation-invalid retention',
    ]);
    expect(problems[1].message).toBe(
      'Location target ./located/missing.yaml matches no file (relative to the folder of location.yaml).',
    );
  });

  it('reads values through anchors and places them where the alias is written', async () => {
    const { problems } = await lint(['anchors.yaml']);
    expect(errorsOf(problems)).toEqual([
      'anchors.yaml:11:43 error annotation-invalid frequency',
      'anchors.yaml:12:30 error annotation-invalid rpo',
    ]);
    expect(problems[2].message).toContain('rpo is "every hour"');
  });

  it('reports a file that is not YAML at the place it breaks', async () => {
    const { problems } = await lint(['not-yaml.txt']);
    expect(problems).toEqual([
      {
        file: 'not-yaml.txt',
        line: 7,
        column: 1,
        severity: 'error',
        code: 'yaml-invalid',
        message:
          'Not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
    ]);
  });

  it('gives out-of-scope entities no errors', async () => {
    const { problems } = await lint(['out-of-scope.yaml']);
    expect(placed(problems)).toEqual([
      'out-of-scope.yaml:7:36 warning annotation-invalid frequency',
    ]);
    expect(lintExitCode(problems)).toBe(0);
  });

  it('fails on personal data backed up without encryption or access controls', async () => {
    const { problems } = await lint(['pii-unencrypted.yaml']);
    expect(errorsOf(problems)).toEqual([
      'pii-unencrypted.yaml:12:37 error encryption-required encryption',
      'pii-unencrypted.yaml:24:3 error access-control-undeclared backup-admins',
      'pii-unencrypted.yaml:24:3 error access-control-undeclared deletion-protection',
      'pii-unencrypted.yaml:24:3 error access-control-undeclared access-logging',
    ]);
    expect(problems.find(p => p.code === 'encryption-required')).toMatchObject({
      entityRef: 'resource:default/customers-db',
      message:
        'Backups of pii data must be encrypted like production, but encryption is "none".',
    });
    // never reviewed: recorded evidence may settle it, so a warning
    expect(problems.filter(p => p.code === 'access-review-missing')).toEqual([
      expect.objectContaining({ severity: 'warning' }),
      expect.objectContaining({ severity: 'warning' }),
    ]);
    expect(lintExitCode(problems)).toBe(1);
  });

  it('only warns about a restore test that fell due', async () => {
    const { problems } = await lint(['overdue.yaml']);
    expect(placed(problems)).toEqual([
      'overdue.yaml:12:44 warning restore-test-overdue last-restore-test',
    ]);
    expect(problems[0].message).toBe(
      "The last restore test (2020-01-15) is older than the policy's 180 days for internal data; it was due on 2020-07-13.",
    );
    expect(lintExitCode(problems)).toBe(0);
  });

  it('takes the policy from app-config, as the backend does', async () => {
    const { policy } = await policyFromConfigFiles([
      resolve(FIXTURES, 'app-config.lint.yaml'),
    ]);
    expect(policy.version).toBe('fixture-1');
    // a restore test is due every 100 years under this policy
    expect((await lint(['overdue.yaml'], policy)).problems).toEqual([]);
  });

  describe('exemptions', () => {
    let policy: BackupPolicy;
    beforeAll(async () => {
      policy = (
        await policyFromConfigFiles([resolve(FIXTURES, 'app-config.lint.yaml')])
      ).policy;
    });

    it('turns the gaps an honoured exemption covers into warnings', async () => {
      const { problems } = await lint(['exempt.yaml'], policy);
      expect(placed(problems)).toEqual([
        'exempt.yaml:7:3 warning annotation-missing frequency',
        'exempt.yaml:7:3 warning annotation-missing retention',
        'exempt.yaml:8:33 warning backup-method-none method',
        'exempt.yaml:11:36 info exemption-active exemption',
        'exempt.yaml:13:48 info exemption-approver-unchecked exemption-approved-by',
        'exempt.yaml:23:3 error annotation-missing frequency',
        'exempt.yaml:23:3 error annotation-missing retention',
        'exempt.yaml:24:33 error backup-method-none method',
        'exempt.yaml:29:48 warning exemption-approver-not-allowed exemption-approved-by',
      ]);
      expect(problems[0].message).toBe(
        'Required annotation backup-assurance.io/frequency is missing. Covered by the exemption until 2099-12-31.',
      );
    });

    const exemptApprovedByDana = (org: string) => `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: old
  annotations:
    backup-assurance.io/method: none
    backup-assurance.io/data-classification: internal
    backup-assurance.io/owner: group:default/platform
    backup-assurance.io/frequency: P1D
    backup-assurance.io/retention: P1D
    backup-assurance.io/exemption: Retiring
    backup-assurance.io/exemption-expires: '2099-01-01'
    backup-assurance.io/exemption-approved-by: user:default/dana
spec: { type: service, lifecycle: production }
---
${org}`;

    it.each([
      [
        'a user of an approving group',
        'apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: { name: dana }\nspec: { memberOf: [grc] }',
        [],
      ],
      [
        'a member listed by the group',
        'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: grc }\nspec: { type: team, members: [dana] }',
        [],
      ],
      [
        'a user of other groups only',
        'apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: { name: dana }\nspec: { memberOf: [platform] }',
        ['x.yaml:7:33 error backup-method-none method'],
      ],
    ])(
      'judges an exemption approved by %s from the linted files',
      (_, org, errors) => {
        const problems = lintCatalogText(exemptApprovedByDana(org), 'x.yaml', {
          policy,
          now: NOW,
        });
        expect(errorsOf(problems)).toEqual(errors);
        expect(
          problems.some(p => p.code === 'exemption-approver-unchecked'),
        ).toBe(false);
      },
    );
  });

  it('refuses a pattern that matches no file, as a usage error', async () => {
    await expect(lint(['nothing-*.yaml'])).rejects.toThrow(
      new ConfigurationError('no file matches nothing-*.yaml'),
    );
  });
});

describe('lintCatalogText', () => {
  const lintText = (text: string) =>
    lintCatalogText(text, 'x.yaml', {
      policy: DEFAULT_BACKUP_POLICY,
      now: NOW,
    });

  it('reports what the catalog would refuse, where it is written', () => {
    const problems = lintText(`apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: numbers
  annotations:
    backup-assurance.io/method: pitr
    backup-assurance.io/data-classification: internal
    backup-assurance.io/owner: group:default/platform
    backup-assurance.io/frequency: P1D
    backup-assurance.io/retention: 30
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  annotations: {}
---
- a list
---
restoreTests: []
`);
    expect(placed(problems)).toEqual([
      'x.yaml:5:3 warning restore-test-missing last-restore-test',
      // one problem for the unquoted number, not a second "missing" one
      'x.yaml:10:36 error annotation-not-string retention',
      'x.yaml:14:1 error entity-invalid',
      'x.yaml:17:1 error not-an-object',
      'x.yaml:19:1 warning not-an-entity',
    ]);
  });

  it('reports errors as warnings with --warn-only', () => {
    const problems = asWarnings(lintText('kind: Resource\napiVersion: v1\n'));
    expect(problems).not.toHaveLength(0);
    expect(problems.every(p => p.severity !== 'error')).toBe(true);
    expect(lintExitCode(problems)).toBe(0);
  });
});
