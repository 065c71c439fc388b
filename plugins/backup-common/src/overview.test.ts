import { BackupEntityRow } from './overview';
import {
  computeBackupFigures,
  groupBackupFigures,
  matchesBackupFilters,
  sortBackupRows,
} from './overview';

const NOW = new Date('2026-11-23T12:00:00Z');

function row(overrides: Partial<BackupEntityRow>): BackupEntityRow {
  return {
    entityRef: 'component:default/x',
    kind: 'component',
    name: 'x',
    status: 'compliant',
    lastRestoreTest: '2026-10-01T00:00:00.000Z',
    nextRestoreTestDue: '2026-12-30T00:00:00.000Z',
    daysOverdue: null,
    findings: [],
    ...overrides,
  };
}

const finding = (code: any) => ({
  code,
  severity: 'error' as const,
  message: '',
});

// A hand-counted fixture: 6 entities, 5 in scope, 3 holding PII (one not
// encrypted, another with its access review overdue).
const rows: BackupEntityRow[] = [
  row({
    entityRef: 'component:default/a',
    owner: 'group:default/payments',
    system: 'system:default/pay',
    dataClassification: 'pii',
  }),
  row({
    entityRef: 'component:default/b',
    owner: 'group:default/payments',
    system: 'system:default/pay',
    dataClassification: 'pii',
    status: 'non-compliant',
    findings: [finding('encryption-required')],
  }),
  row({
    entityRef: 'resource:default/c',
    kind: 'resource',
    owner: 'group:default/identity',
    dataClassification: 'sensitive-pii',
    status: 'overdue',
    nextRestoreTestDue: '2026-11-01T00:00:00.000Z',
    daysOverdue: 22,
    findings: [
      finding('restore-test-overdue'),
      finding('access-review-overdue'),
    ],
  }),
  row({
    entityRef: 'component:default/d',
    owner: 'group:default/identity',
    status: 'incomplete',
    nextRestoreTestDue: null,
    lastRestoreTest: null,
    findings: [finding('annotation-missing'), finding('restore-test-missing')],
  }),
  row({
    entityRef: 'component:default/e',
    owner: 'group:default/identity',
    status: 'exempt',
    nextRestoreTestDue: null,
    exemptionExpires: '2026-12-10T00:00:00.000Z',
  }),
  row({
    entityRef: 'component:default/f',
    status: 'out-of-scope',
    nextRestoreTestDue: null,
  }),
];

describe('computeBackupFigures', () => {
  it('counts statuses and coverage as hand-computed', () => {
    expect(computeBackupFigures(rows, NOW)).toEqual({
      total: 6,
      inScope: 5,
      counts: {
        'out-of-scope': 1,
        invalid: 0,
        exempt: 1,
        incomplete: 1,
        'non-compliant': 1,
        overdue: 1,
        'due-soon': 0,
        compliant: 1,
      },
      coverage: {
        // d misses an annotation
        validAnnotations: { count: 4, total: 5, ratio: 0.8 },
        // a and b are due after now; c is overdue; d and e have no due date
        restoreTestInPolicy: { count: 2, total: 5, ratio: 0.4 },
        // b's PII backups are unencrypted
        piiEncrypted: { count: 2, total: 3, ratio: 2 / 3 },
        // c's access review is overdue
        piiAccessControlled: { count: 2, total: 3, ratio: 2 / 3 },
      },
      overdue: 1,
      nonCompliant: 1,
      piiWithoutEncryption: 1,
      piiWithoutAccessControl: 1,
      exemptionsExpiringSoon: 1,
    });
  });

  it('has no ratio when there is nothing to measure', () => {
    expect(computeBackupFigures([], NOW).coverage.piiEncrypted).toEqual({
      count: 0,
      total: 0,
      ratio: null,
    });
  });

  it('does not count an exemption expiring after 30 days or already expired', () => {
    const figures = computeBackupFigures(
      [
        row({ exemptionExpires: '2027-01-10T00:00:00.000Z' }),
        row({ exemptionExpires: '2026-11-01T00:00:00.000Z' }),
      ],
      NOW,
    );
    expect(figures.exemptionsExpiringSoon).toBe(0);
  });
});

describe('groupBackupFigures', () => {
  it('groups by owner, largest first, with entities without owner under none', () => {
    const groups = groupBackupFigures(rows, r => r.owner, NOW);
    expect(groups.map(g => [g.key, g.total, g.inScope])).toEqual([
      ['group:default/identity', 3, 3],
      ['group:default/payments', 2, 2],
      ['none', 1, 0],
    ]);
    expect(groups[1].coverage.piiEncrypted).toEqual({
      count: 1,
      total: 2,
      ratio: 0.5,
    });
  });
});

describe('matchesBackupFilters', () => {
  it('combines filters', () => {
    const matching = rows.filter(r =>
      matchesBackupFilters(r, {
        owner: 'group:default/identity',
        kind: 'Resource',
        classification: 'sensitive-pii',
      }),
    );
    expect(matching.map(r => r.entityRef)).toEqual(['resource:default/c']);
    expect(rows.filter(r => matchesBackupFilters(r, {}))).toHaveLength(6);
    expect(
      rows.filter(r => matchesBackupFilters(r, { status: 'overdue' })),
    ).toHaveLength(1);
  });
});

describe('sortBackupRows', () => {
  it('puts never-tested first, then the longest overdue, out-of-scope and exempt last', () => {
    expect(
      sortBackupRows(rows, 'most-overdue').map(r => r.entityRef.split('/')[1]),
    ).toEqual(['d', 'c', 'b', 'a', 'f', 'e']);
  });

  it('sorts by status severity or by name', () => {
    expect(sortBackupRows(rows, 'status').map(r => r.status)).toEqual([
      'out-of-scope',
      'exempt',
      // a confirmed violation before missing data
      'non-compliant',
      'incomplete',
      'overdue',
      'compliant',
    ]);
    expect(sortBackupRows(rows, 'name').map(r => r.entityRef)[0]).toBe(
      'component:default/a',
    );
  });
});
